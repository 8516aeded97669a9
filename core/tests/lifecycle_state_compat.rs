//! Saved state keeps loading: a terminal session and a processor serialised by the previous
//! representation of the wire messages and identifiers (`tests/data/*_v1.json`, written by
//! main at f5e8e4b) load, serialise back to the same bytes, and carry on where they stopped —
//! which also proves the MAC key schedule cache is rebuilt after deserialisation.

mod lifecycle_support;

use lifecycle_support::*;
use paycore::lifecycle::keys::{self, MacKey};
use paycore::lifecycle::wire::Message;
use paycore::lifecycle::*;

const SESSION_V1: &str = include_str!("data/lifecycle_session_v1.json");
const PROCESSOR_V1: &str = include_str!("data/lifecycle_processor_v1.json");

#[test]
fn v1_states_load_round_trip_and_resume() {
    let mut term: TerminalSession = serde_json::from_str(SESSION_V1).unwrap();
    let mut proc: AcquirerProcessor = serde_json::from_str(PROCESSOR_V1).unwrap();
    assert_eq!(serde_json::to_string_pretty(&term).unwrap(), SESSION_V1);
    assert_eq!(serde_json::to_string_pretty(&proc).unwrap(), PROCESSOR_V1);
    assert!(term.is_busy());
    assert_eq!(term.journal().len(), 1);

    // The network now answers request 2 (the in-flight 5.00 Visa sale).
    proc.handle_network_response(
        t0(),
        NetworkResponse {
            id: 2,
            outcome: NetworkOutcome::Approved {
                auth_code: "A00002".into(),
                settlement_date: None,
                card: CardProfile {
                    brand: CardBrand::Visa,
                    card_type: CardType::Credit,
                },
                balance: None,
            },
        },
    )
    .unwrap();
    let (tid, frame) = proc.poll_terminal_transmit().unwrap();
    assert_eq!(tid.as_str(), "T0000001");
    // Both MACs (the host's over its 0210, the terminal's check of it) use keys that came
    // out of JSON: the approval proves the rebuilt key schedules agree.
    term.handle_response(t0(), &frame).unwrap();
    match term.poll_event() {
        Some(TerminalEvent::Approved {
            amount, auth_code, ..
        }) => {
            assert_eq!(amount, cny(500));
            assert_eq!(auth_code, "A00002");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        proc.poll_event(),
        Some(DomainEvent::Captured(EventData { amount, .. })) if amount == cny(500)
    ));
    assert_eq!(term.journal().len(), 2);
    assert!(term.is_ready());
}

#[test]
fn a_new_mac_key_replaces_the_cached_schedule() {
    let mut w = World::new();
    assert!(matches!(
        w.run(req(TransactionKind::Sale, 100, PAN)),
        TerminalEvent::Approved { .. }
    ));
    let old = keys(1).mak;
    let new = keys(2).mak;
    // Sign on again with fresh keys: both sides must MAC with the new MAK from now on.
    w.proc.provide_working_keys(&tid(1), keys(2)).unwrap();
    w.term.sign_on(w.now).unwrap();
    w.pump();
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::SignedOn { .. })
    ));
    w.term
        .begin(w.now, req(TransactionKind::Sale, 200, PAN))
        .unwrap();
    let frame = w.term.poll_transmit().unwrap();
    let m = Message::decode(&frame).unwrap();
    assert!(keys::verify_frame(&frame, &m, &new));
    assert!(!keys::verify_frame(&frame, &m, &old));
    w.proc.handle_terminal(w.now, &frame).unwrap();
    w.pump();
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::Approved { amount, .. }) if *amount == cny(200)
    ));
}

#[test]
fn mac_key_cache_is_invisible() {
    let k = MacKey::new(*b"\x01\x23\x45\x67\x89\xab\xcd\xef");
    let fresh = MacKey::new(*k.expose());
    let m1 = keys::cup_ecb_mac(&k, b"0200 some message bytes"); // builds the schedule
    // Equality, clones and serde ignore whether the schedule was built.
    assert_eq!(k, fresh);
    let c = k.clone();
    assert_eq!(keys::cup_ecb_mac(&c, b"0200 some message bytes"), m1);
    assert_eq!(
        serde_json::to_string(&k).unwrap(),
        serde_json::to_string(&fresh).unwrap()
    );
    let back: MacKey = serde_json::from_str(&serde_json::to_string(&k).unwrap()).unwrap();
    assert_eq!(keys::cup_ecb_mac(&back, b"0200 some message bytes"), m1);
    // The same value as the security module computes from scratch.
    let sec = paycore::security::Key::des(k.expose()).unwrap();
    assert_eq!(
        paycore::security::cup_ecb_mac(&sec, b"0200 some message bytes").unwrap(),
        m1
    );
    assert!(serde_json::from_str::<MacKey>("\"0123\"").is_err());
    assert!(serde_json::from_str::<MacKey>("\"zz23456789ABCDEF\"").is_err());
    assert_eq!(format!("{k:?}"), "MacKey(<redacted>)");
}

fn recompute(t: &TerminalSession) -> BatchTotals {
    let mut b = BatchTotals::default();
    for e in t.journal().iter().filter(|e| !e.reversed) {
        if let Some(side) = e.kind.totals_side() {
            b.apply(e.brand.is_domestic(), side, e.amount.minor, 1);
        }
    }
    b
}

#[test]
fn running_totals_follow_the_journal() {
    let mut w = World::new();
    assert!(matches!(
        w.run(req(TransactionKind::Sale, 100, PAN)),
        TerminalEvent::Approved { .. }
    ));
    assert!(matches!(
        w.run(req(TransactionKind::Sale, 200, VISA)),
        TerminalEvent::Approved { .. }
    ));
    assert_eq!(w.term.totals(), recompute(&w.term));
    assert_eq!(w.term.totals().domestic.debit_amount, 100);
    assert_eq!(w.term.totals().foreign.debit_amount, 200);
    // A local failure reverses the last approval: it leaves the totals.
    w.term.handle_local_failure(w.now).unwrap();
    w.pump();
    assert_eq!(w.term.totals(), recompute(&w.term));
    assert_eq!(w.term.totals().foreign.debit_amount, 0);
    assert!(matches!(
        w.run(req(TransactionKind::Sale, 300, PAN)),
        TerminalEvent::Approved { .. }
    ));
    assert_eq!(w.term.totals().domestic.debit_amount, 400);
    assert_eq!(w.term.totals(), recompute(&w.term));
    // A restored session (no cached totals) reports and continues the same.
    let mut back: TerminalSession =
        serde_json::from_str(&serde_json::to_string(&w.term).unwrap()).unwrap();
    assert_eq!(back, w.term);
    assert_eq!(back.totals(), w.term.totals());
    back.begin(w.now, req(TransactionKind::Sale, 50, PAN))
        .unwrap();
    // Settlement empties the batch.
    w.term.settle(w.now).unwrap();
    w.pump();
    assert!(
        w.t_events
            .iter()
            .any(|e| matches!(e, TerminalEvent::BatchSettled { .. }))
    );
    assert_eq!(w.term.totals(), BatchTotals::default());
}
