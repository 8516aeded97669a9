//! Malformed journal or snapshot input must be refused with a typed error, never a panic;
//! whatever replays or restores must satisfy the ledger's invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ledger) = paycore::ledger::journal::replay(text) {
        ledger
            .check_invariants()
            .expect("replayed ledger violates an invariant");
    }
    if let Ok(snapshot) = paycore::ledger::Snapshot::from_json(text)
        && let Ok(ledger) = paycore::ledger::Ledger::restore(snapshot)
    {
        ledger
            .check_invariants()
            .expect("restored ledger violates an invariant");
    }
});
