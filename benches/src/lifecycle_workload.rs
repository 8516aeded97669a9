//! The lifecycle workload that the `lifecycle` bench and the `lifecycle_profile` example
//! both run, so criterion's times and callgrind's instruction counts describe the same work.

use std::hint::black_box;

use chrono::{DateTime, Duration, TimeZone, Utc};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::*;

/// The workload's fixed clock.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap()
}

/// A chip sale with PIN and ICC data.
pub fn sale() -> TransactionRequest {
    TransactionRequest {
        kind: TransactionKind::Sale,
        amount: Amount::cny(12_345).unwrap(),
        card: CardInput {
            pan: Pan::parse("6228480402564890018").unwrap(),
            track2: Some(Track2::parse("6228480402564890018=29122011234567").unwrap()),
            entry_mode: EntryMode::Chip,
            pin_block: Some([0x11; 8]),
            icc_data: Some(vec![
                0x9F, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x9F, 0x27, 0x01, 0x80,
            ]),
            card_sequence: Some(1),
        },
        original: None,
    }
}

/// The network's approval of request `id`.
pub fn approve(id: u64) -> NetworkResponse {
    NetworkResponse {
        id,
        outcome: NetworkOutcome::Approved {
            auth_code: "123456".into(),
            settlement_date: None,
            card: CardProfile {
                brand: CardBrand::UnionPay,
                card_type: CardType::Debit,
            },
            balance: None,
        },
    }
}

/// A signed-on terminal and its processor.
pub fn pair() -> (TerminalSession, AcquirerProcessor) {
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
    let mut t = TerminalSession::new(TerminalConfig::new(tid, mid, tmk));
    t.sign_on(now()).unwrap();
    round(&mut t, &mut p, now());
    (t, p)
}

/// Moves everything once: terminal → host → network → host → terminal.
pub fn round(t: &mut TerminalSession, p: &mut AcquirerProcessor, at: DateTime<Utc>) {
    while let Some(f) = t.poll_transmit() {
        p.handle_terminal(at, &f).unwrap();
    }
    while let Some(r) = p.poll_network_request() {
        p.handle_network_response(at, approve(r.id)).unwrap();
    }
    while let Some((_, f)) = p.poll_terminal_transmit() {
        t.handle_response(at, &f).unwrap();
    }
    while t.poll_event().is_some() {}
    while p.poll_event().is_some() {}
}

/// The measured part of `processor_sales_10k`: the processor takes each frame, gets the
/// network's approval and replies.
#[inline(never)]
pub fn process_sales(mut p: AcquirerProcessor, frames: &[Vec<u8>]) -> AcquirerProcessor {
    for f in frames {
        p.handle_terminal(now(), f).unwrap();
        let r = p.poll_network_request().unwrap();
        p.handle_network_response(now(), approve(r.id)).unwrap();
        black_box(p.poll_terminal_transmit());
        black_box(p.poll_event());
    }
    p
}

/// One `sale_round_trip` iteration: sale number `n` (from 1) through both state machines,
/// with a batch close every 900 sales so STANs never repeat within a batch.
pub fn round_trip(t: &mut TerminalSession, p: &mut AcquirerProcessor, n: u64) {
    let at = now() + Duration::milliseconds(n as i64);
    t.begin(at, black_box(sale())).unwrap();
    round(t, p, at);
    if n.is_multiple_of(900) {
        t.settle(at).unwrap();
        round(t, p, at);
        round(t, p, at);
    }
}

/// The measured part of `sale_round_trip`, sales 1..=n.
#[inline(never)]
pub fn round_trips(t: &mut TerminalSession, p: &mut AcquirerProcessor, n: u64) {
    for n in 1..=n {
        round_trip(t, p, n);
    }
}

/// `n` MAC'd sale frames with distinct STANs, and the signed-on processor to replay them
/// against (a scratch processor answers them so the terminal can go on).
pub fn sale_frames(n: usize) -> (AcquirerProcessor, Vec<Vec<u8>>) {
    let (mut t, mut scratch) = pair();
    let signed_on = scratch.clone();
    let mut frames = Vec::with_capacity(n);
    for i in 0..n {
        t.begin(now() + Duration::milliseconds(i as i64), sale())
            .unwrap();
        let f = t.poll_transmit().unwrap();
        frames.push(f.clone());
        scratch.handle_terminal(now(), &f).unwrap();
        while let Some(r) = scratch.poll_network_request() {
            scratch
                .handle_network_response(now(), approve(r.id))
                .unwrap();
        }
        while let Some((_, f)) = scratch.poll_terminal_transmit() {
            t.handle_response(now(), &f).unwrap();
        }
        while t.poll_event().is_some() {}
        if (i + 1).is_multiple_of(900) {
            t.settle(now()).unwrap();
            round(&mut t, &mut scratch, now());
            round(&mut t, &mut scratch, now());
        }
    }
    (signed_on, frames)
}
