//! Arbitrary bytes as a host response into a terminal session, in each state that waits for
//! one (signing on, sale in flight, reversing, settling): must never panic, and a rejected
//! frame must leave the session unchanged.
#![no_main]

use chrono::{TimeZone, Utc};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::*;

fn session(state: u8) -> TerminalSession {
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
    let tid = TerminalId::new("T0000001").unwrap();
    let mid = MerchantId::new("898100000000001").unwrap();
    let tmk = MasterKey::new([0x5A; 16]);
    let mut p = AcquirerProcessor::new(ProcessorConfig::default(), InMemoryStore::default());
    p.register_terminal(TerminalProfile {
        terminal_id: tid.clone(),
        merchant_id: mid.clone(),
        tmk: tmk.clone(),
    });
    p.provide_working_keys(
        &tid,
        WorkingKeys {
            pik: PinKey::new([1; 16]),
            mak: MacKey::new([2; 8]),
        },
    )
    .unwrap();
    let mut s = TerminalSession::new(TerminalConfig::new(tid, mid, tmk));
    s.sign_on(now).unwrap();
    if state.is_multiple_of(4) {
        return s;
    }
    let f = s.poll_transmit().unwrap();
    p.handle_terminal(now, &f).unwrap();
    let (_, r) = p.poll_terminal_transmit().unwrap();
    s.handle_response(now, &r).unwrap();
    let card = CardInput {
        pan: Pan::parse("6228480402564890018").unwrap(),
        track2: None,
        entry_mode: EntryMode::Chip,
        pin_block: None,
        icc_data: None,
        card_sequence: None,
    };
    match state % 4 {
        1 => {
            s.begin(
                now,
                TransactionRequest {
                    kind: TransactionKind::Sale,
                    amount: Amount::cny(100).unwrap(),
                    card,
                    original: None,
                },
            )
            .unwrap();
        }
        2 => {
            s.begin(
                now,
                TransactionRequest {
                    kind: TransactionKind::Sale,
                    amount: Amount::cny(100).unwrap(),
                    card,
                    original: None,
                },
            )
            .unwrap();
            s.handle_timeout(now + chrono::Duration::hours(1)).unwrap();
        }
        _ => s.settle(now).unwrap(),
    }
    while s.poll_transmit().is_some() {}
    while s.poll_event().is_some() {}
    s
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&state, frame)) = data.split_first() else {
        return;
    };
    let mut s = session(state);
    let before = s.clone();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 1).unwrap();
    if s.handle_response(now, frame).is_err() {
        assert_eq!(s, before, "an error must not change the session");
    }
});
