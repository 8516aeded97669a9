//! The fast journal-line reader accepts only lines exactly as the writer writes them: what
//! it reads must write back to the same bytes (so serde_json, the fallback, would read the
//! same record), and it never panics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(record) = paycore::ledger::journal::parse_canonical_line(line) {
        assert_eq!(
            record.to_line(),
            line,
            "fast reader accepted a non-canonical line"
        );
    }
});
