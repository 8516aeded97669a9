//! Property tests: hostile bytes never panic a session or the processor and never change a
//! session when rejected; the codec round-trips; the settlement date is monotone.

mod lifecycle_support;

use chrono::{Duration, TimeZone, Utc};
use lifecycle_support::*;
use paycore::lifecycle::wire::Message;
use paycore::lifecycle::*;
use proptest::prelude::*;

/// A world with a sale in flight and its genuine (MAC'd) approval captured, not delivered.
fn in_flight() -> (World, Vec<u8>) {
    let mut w = World::new();
    w.term
        .begin(w.now, req(TransactionKind::Sale, 4_321, PAN))
        .unwrap();
    let f = w.term.poll_transmit().unwrap();
    w.proc.handle_terminal(w.now, &f).unwrap();
    let r = w.proc.poll_network_request().unwrap();
    w.proc
        .handle_network_response(
            w.now,
            NetworkResponse {
                id: r.id,
                outcome: NetworkOutcome::Approved {
                    auth_code: "654321".into(),
                    settlement_date: None,
                    card: CardProfile {
                        brand: CardBrand::UnionPay,
                        card_type: CardType::Debit,
                    },
                    balance: None,
                },
            },
        )
        .unwrap();
    let (_, resp) = w.proc.poll_terminal_transmit().unwrap();
    (w, resp)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_bytes_never_panic_and_errors_change_nothing(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let (mut w, _) = in_flight();
        let before = w.term.clone();
        if w.term.handle_response(w.now, &bytes).is_err() {
            prop_assert_eq!(&w.term, &before);
        }
        let _ = w.proc.handle_terminal(w.now, &bytes);
    }

    #[test]
    fn mutated_genuine_response_is_never_taken_as_a_silent_approval(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (mut w, resp) = in_flight();
        let mut bad = resp.clone();
        let i = at.index(bad.len());
        bad[i] ^= 1 << bit;
        let before = w.term.clone();
        match w.term.handle_response(w.now, &bad) {
            Err(_) => prop_assert_eq!(&w.term, &before),
            Ok(()) => {
                // Accepted frames either carry an untrusted answer (→ reversal) or lost F64
                // content in a way that still authenticates (impossible with a MAC over all).
                let events: Vec<_> = std::iter::from_fn(|| w.term.poll_event()).collect();
                prop_assert!(
                    events.iter().any(|e| matches!(e, TerminalEvent::OutcomeUnknown { reversing: true, .. })),
                    "{:?}", events
                );
            }
        }
        // The genuine answer is still accepted afterwards if the session is still waiting.
        if w.term.is_busy() && !w.term.is_reversing() {
            w.term.handle_response(w.now, &resp).unwrap();
            prop_assert!(w.term.is_ready());
        }
    }

    #[test]
    fn codec_round_trips(
        pan in "[0-9]{12,19}",
        amount in 0u64..=999_999_999_999,
        stan in 1u64..=999_999,
        f60 in "[0-9]{8,17}",
        icc in proptest::collection::vec(any::<u8>(), 0..=255),
        f63 in "[ -~]{0,163}",
    ) {
        let mut m = Message::new(200);
        m.set(2, pan.as_str()).set_num(4, amount).set_num(11, stan).set(22, "051").set(60, f60.as_str()).set(55, icc).set(63, f63.as_str());
        let bytes = m.encode().unwrap();
        prop_assert_eq!(Message::decode(&bytes).unwrap(), m);
        // Any strict prefix is an error, never a panic.
        for cut in 0..bytes.len() {
            prop_assert!(Message::decode(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn settlement_date_is_monotone_and_at_most_one_day_ahead(a in 0i64..10_000_000, b in 0i64..10_000_000) {
        let c = CutOff::unionpay();
        let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let (t1, t2) = (base + Duration::seconds(a.min(b)), base + Duration::seconds(a.max(b)));
        prop_assert!(c.settlement_date(t1) <= c.settlement_date(t2));
        let local = c.local(t1).date();
        let d = c.settlement_date(t1);
        prop_assert!(d == local || d == local.succ_opt().unwrap());
    }
}
