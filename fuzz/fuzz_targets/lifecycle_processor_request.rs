//! Arbitrary bytes as a terminal frame into the acquirer processor: must never panic.
#![no_main]

use chrono::{TimeZone, Utc};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::*;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
    let tid = TerminalId::new("T0000001").unwrap();
    let mut p = AcquirerProcessor::new(ProcessorConfig::default(), InMemoryStore::default());
    p.register_terminal(TerminalProfile {
        terminal_id: tid.clone(),
        merchant_id: MerchantId::new("898100000000001").unwrap(),
        tmk: MasterKey::new([0x5A; 16]),
    });
    p.provide_working_keys(
        &tid,
        WorkingKeys {
            pik: PinKey::new([1; 16]),
            mak: MacKey::new([2; 8]),
        },
    )
    .unwrap();
    let _ = p.handle_terminal(now, data);
    let _ = p.handle_timeout(now + chrono::Duration::hours(1));
    let _ = wire::Message::decode(data);
});
