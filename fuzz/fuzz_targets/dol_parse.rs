//! DOL parsing and building: never panics; the data length equals the requested lengths.
#![no_main]

use paycore::emv::{TagValues, build_dol_data, parse_dol};
use paycore::tlv::ParseOptions;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let split = data.first().map_or(0, |&b| b as usize).min(data.len());
    let (dol, source) = data.split_at(split);
    if let Ok(entries) = parse_dol(dol) {
        let values = TagValues::from_tlv(source, ParseOptions::lenient()).unwrap_or_default();
        let out = build_dol_data(&entries, &[&values]);
        assert_eq!(out.len(), entries.iter().map(|e| e.length).sum::<usize>());
    }
    let _ = paycore::emv::parse_field55_response(data);
});
