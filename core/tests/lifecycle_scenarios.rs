//! Scenario tests: every transaction kind approved and declined, reversals, bad input,
//! batch close, restart.

mod lifecycle_support;

use chrono::Duration;
use lifecycle_support::*;
use paycore::lifecycle::wire::Message;
use paycore::lifecycle::*;

use TransactionKind as K;

fn approved(e: &TerminalEvent) -> (TxnRef, String, String) {
    match e {
        TerminalEvent::Approved {
            txn,
            auth_code,
            rrn,
            ..
        } => (*txn, auth_code.clone(), rrn.clone()),
        other => panic!("expected approval, got {other:?}"),
    }
}

fn declined_code(e: &TerminalEvent) -> String {
    match e {
        TerminalEvent::Declined { code, .. } => code.0.clone(),
        other => panic!("expected decline, got {other:?}"),
    }
}

fn host_decline_reason(w: &World) -> DeclineReason {
    match w.p_events.last() {
        Some(DomainEvent::Declined { reason, .. }) => *reason,
        other => panic!("expected host decline, got {other:?}"),
    }
}

#[test]
fn sale_approved_end_to_end() {
    let mut w = World::new();
    let e = w.run(req(K::Sale, 12_345, PAN));
    let (txn, auth, rrn) = approved(&e);
    assert_eq!(txn.stan.value(), 2, "STAN 1 went to the sign-on");
    assert_eq!(auth.len(), 6);
    assert_eq!(rrn.len(), 12);
    match w.p_events.last().unwrap() {
        DomainEvent::Captured(d) => {
            assert_eq!(d.amount, cny(12_345));
            assert_eq!(d.kind, K::Sale);
            assert_eq!(d.pan_masked, "622848*********0018");
            assert_eq!(d.channel, Channel::Card);
            assert_eq!(d.settlement_date.to_string(), "2026-03-02");
            assert_eq!(d.card.unwrap().brand, CardBrand::UnionPay);
            assert_eq!(d.rrn, rrn);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(w.term.totals().domestic.debit_amount, 12_345);
    assert!(w.term.is_ready() && w.proc.is_idle());
}

#[test]
fn sale_declined_by_issuer_carries_code_and_meaning() {
    let mut w = World::new();
    w.net = Net::Decline("51");
    let e = w.run(req(K::Sale, 100, PAN));
    assert_eq!(declined_code(&e), "51");
    if let TerminalEvent::Declined { code, .. } = e {
        assert_eq!(code.meaning(), "insufficient funds");
    }
    assert_eq!(host_decline_reason(&w), DeclineReason::Network);
    assert!(w.term.journal().is_empty());
    assert_eq!(w.term.totals(), BatchTotals::default());
}

#[test]
fn balance_inquiry_approved_and_declined() {
    let mut w = World::new();
    match w.run(req(K::BalanceInquiry, 0, PAN)) {
        TerminalEvent::Approved { balance, .. } => assert_eq!(balance, Some(123_456)),
        other => panic!("{other:?}"),
    }
    assert!(w.term.journal().is_empty(), "no money moved");
    w.net = Net::Decline("55");
    assert_eq!(declined_code(&w.run(req(K::BalanceInquiry, 0, PAN))), "55");
}

#[test]
fn void_rules() {
    let mut w = World::new();
    approved(&w.run(req(K::Sale, 5_000, PAN)));
    let sale = w.last_journal();
    // Wrong amount → 64.
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 4_000, PAN, &sale))),
        "64"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::AmountMismatch);
    // Other card → 14.
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 5_000, PAN2, &sale))),
        "14"
    );
    // Network declines the void → sale stays voidable.
    w.net = Net::Decline("05");
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 5_000, PAN, &sale))),
        "05"
    );
    w.net = Net::Approve;
    approved(&w.run(req_orig(K::Void, 5_000, PAN, &sale)));
    assert!(
        matches!(w.p_events.last(), Some(DomainEvent::Voided(d)) if d.original.as_ref().unwrap().stan == sale.txn.stan)
    );
    // Already voided → 12.
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 5_000, PAN, &sale))),
        "12"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::AlreadyVoided);
    // Missing original → 25.
    let mut ghost = sale.clone();
    ghost.txn.stan = Stan::new(777).unwrap();
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 5_000, PAN, &ghost))),
        "25"
    );
    // Totals: sale on the debit side, void on the credit side.
    let t = w.term.totals();
    assert_eq!(
        (t.domestic.debit_amount, t.domestic.credit_amount),
        (5_000, 5_000)
    );
    assert_eq!(w.proc.batch_totals(&tid(1), w.term.batch().unwrap()), t);
}

#[test]
fn void_only_on_the_same_settlement_day() {
    let mut w = World::new();
    approved(&w.run(req(K::Sale, 5_000, PAN)));
    let sale = w.last_journal();
    // 10:00 → 23:30 Beijing: past the 23:00 cut-off, next settlement day.
    w.advance(Duration::minutes(13 * 60 + 30));
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 5_000, PAN, &sale))),
        "12"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::NotSameDay);
}

#[test]
fn refund_rules() {
    let mut w = World::new();
    approved(&w.run(req(K::Sale, 10_000, PAN)));
    let sale = w.last_journal();
    assert_eq!(
        declined_code(&w.run(req_orig(K::Refund, 1_000, PAN, &sale))),
        "12"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::RefundSameDay);
    w.advance(Duration::days(1));
    approved(&w.run(req_orig(K::Refund, 6_000, PAN, &sale)));
    assert!(matches!(w.p_events.last(), Some(DomainEvent::Refunded(d)) if d.amount == cny(6_000)));
    // Cumulative 6 000 + 5 000 > 10 000 → 61.
    assert_eq!(
        declined_code(&w.run(req_orig(K::Refund, 5_000, PAN, &sale))),
        "61"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::AmountExceeded);
    assert_eq!(
        declined_code(&w.run(req_orig(K::Refund, 100, PAN2, &sale))),
        "14"
    );
    approved(&w.run(req_orig(K::Refund, 4_000, PAN, &sale)));
    // A void after a refund is refused.
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 10_000, PAN, &sale))),
        "12"
    );
    w.net = Net::Decline("05");
    let mut s2 = w.term.journal()[0].clone();
    s2.txn = sale.txn;
    assert_eq!(
        declined_code(&w.run(req_orig(K::Refund, 1, PAN, &s2))),
        "61"
    );
}

#[test]
fn pre_auth_completion_cancel_rules() {
    let mut w = World::new();
    approved(&w.run(req(K::PreAuth, 10_000, PAN)));
    let pa = w.last_journal();
    assert!(matches!(
        w.p_events.last(),
        Some(DomainEvent::Authorised(_))
    ));
    assert_eq!(
        w.term.totals(),
        BatchTotals::default(),
        "a pre-auth moves no money in the batch"
    );
    // Several completions up to the authorised amount.
    approved(&w.run(req_orig(K::Completion, 6_000, PAN, &pa)));
    assert!(matches!(w.p_events.last(), Some(DomainEvent::Captured(d)) if d.kind == K::Completion));
    let c1 = w.last_journal();
    assert_eq!(
        declined_code(&w.run(req_orig(K::Completion, 4_001, PAN, &pa))),
        "61"
    );
    approved(&w.run(req_orig(K::Completion, 4_000, PAN, &pa)));
    let c2 = w.last_journal();
    // Cancel of a completed pre-auth is refused.
    assert_eq!(
        declined_code(&w.run(req_orig(K::PreAuthCancel, 10_000, PAN, &pa))),
        "12"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::PreAuthCompleted);
    // Completion void (same day, full amount).
    approved(&w.run(req_orig(K::CompletionVoid, 6_000, PAN, &c1)));
    assert!(
        matches!(w.p_events.last(), Some(DomainEvent::Voided(d)) if d.kind == K::CompletionVoid)
    );
    w.net = Net::Decline("05");
    assert_eq!(
        declined_code(&w.run(req_orig(K::CompletionVoid, 4_000, PAN, &c2))),
        "05"
    );
    let t = w.term.totals();
    assert_eq!(
        (t.domestic.debit_amount, t.domestic.debit_count),
        (10_000, 2)
    );
    assert_eq!(
        (t.domestic.credit_amount, t.domestic.credit_count),
        (6_000, 1)
    );
}

#[test]
fn pre_auth_cancel_and_expiry() {
    let mut w = World::with_store(
        InMemoryStore::default(),
        ProcessorConfig {
            completion_tolerance_bp: 1_500,
            ..Default::default()
        },
    );
    w.net = Net::Decline("05");
    assert_eq!(declined_code(&w.run(req(K::PreAuth, 1_000, PAN))), "05");
    w.net = Net::Approve;
    approved(&w.run(req(K::PreAuth, 10_000, PAN)));
    let pa = w.last_journal();
    approved(&w.run(req_orig(K::PreAuthCancel, 10_000, PAN, &pa)));
    assert!(
        matches!(w.p_events.last(), Some(DomainEvent::Voided(d)) if d.kind == K::PreAuthCancel)
    );
    assert_eq!(
        declined_code(&w.run(req_orig(K::Completion, 100, PAN, &pa))),
        "12"
    );
    // Tolerance: 115 % of 10 000 = 11 500.
    approved(&w.run(req(K::PreAuth, 10_000, PAN)));
    let pa2 = w.last_journal();
    assert_eq!(
        declined_code(&w.run(req_orig(K::Completion, 11_501, PAN, &pa2))),
        "61"
    );
    approved(&w.run(req_orig(K::Completion, 11_500, PAN, &pa2)));
    approved(&w.run(req(K::PreAuth, 10_000, PAN)));
    let pa3 = w.last_journal();
    w.advance(Duration::days(31));
    assert_eq!(
        declined_code(&w.run(req_orig(K::Completion, 100, PAN, &pa3))),
        "33"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::PreAuthExpired);
}

#[test]
fn timeout_triggers_reversal_retried_until_acknowledged() {
    let mut w = World::new();
    w.drop_next_response = true;
    w.term.begin(w.now, req(K::Sale, 7_700, PAN)).unwrap();
    w.pump();
    assert!(
        matches!(w.p_events.last(), Some(DomainEvent::Captured(_))),
        "host approved"
    );
    // The terminal hears nothing; nothing new may start.
    assert!(matches!(
        w.term.begin(w.now, req(K::Sale, 1, PAN)),
        Err(LifecycleError::IllegalState { .. })
    ));
    // First reversal attempt is lost too.
    w.advance(Duration::seconds(59));
    assert!(!w.term.is_reversing());
    w.drop_next_response = true;
    w.advance(Duration::seconds(1));
    assert!(w.term.is_reversing());
    assert!(w.t_events.iter().any(|e| matches!(
        e,
        TerminalEvent::OutcomeUnknown {
            reason: UnknownOutcome::Timeout,
            reversing: true,
            ..
        }
    )));
    assert!(matches!(
        w.term.settle(w.now),
        Err(LifecycleError::IllegalState { .. })
    ));
    w.advance(Duration::seconds(120));
    assert!(w.term.is_ready());
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::Reversed { .. })
    ));
    let reversed: Vec<_> = w
        .p_events
        .iter()
        .filter(|e| matches!(e, DomainEvent::Reversed(_)))
        .collect();
    assert_eq!(reversed.len(), 1, "the repeated 0400 is idempotent");
    assert!(
        w.net_log
            .iter()
            .any(|r| matches!(r.body, NetworkRequestBody::Reversal { .. }))
    );
    assert_eq!(w.term.totals(), BatchTotals::default());
    assert_eq!(
        w.proc.batch_totals(&tid(1), w.term.batch().unwrap()),
        BatchTotals::default()
    );
}

#[test]
fn mac_error_on_response_reverses_with_a0() {
    let mut w = World::new();
    w.corrupt_next_response = true;
    w.term.begin(w.now, req(K::Sale, 300, PAN)).unwrap();
    w.pump();
    assert!(w.t_events.iter().any(|e| matches!(
        e,
        TerminalEvent::OutcomeUnknown {
            reason: UnknownOutcome::MacError,
            ..
        }
    )));
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::Reversed { .. })
    ));
    assert!(matches!(w.p_events.last(), Some(DomainEvent::Reversed(_))));
}

#[test]
fn local_failure_after_approval_reverses() {
    let mut w = World::new();
    approved(&w.run(req(K::Sale, 300, PAN)));
    w.term.handle_local_failure(w.now).unwrap();
    w.pump();
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::Reversed { .. })
    ));
    assert!(w.term.journal()[0].reversed);
    assert_eq!(w.term.totals(), BatchTotals::default());
    // Only once, and not after another request.
    assert!(w.term.handle_local_failure(w.now).is_err());
}

#[test]
fn refund_is_repeated_not_reversed_on_timeout() {
    let mut w = World::new();
    approved(&w.run(req(K::Sale, 1_000, PAN)));
    let sale = w.last_journal();
    w.advance(Duration::days(1));
    w.drop_next_response = true;
    w.term
        .begin(w.now, req_orig(K::Refund, 500, PAN, &sale))
        .unwrap();
    w.pump();
    w.advance(Duration::seconds(61));
    approved(w.t_events.last().unwrap());
    let refunds = w
        .p_events
        .iter()
        .filter(|e| matches!(e, DomainEvent::Refunded(_)))
        .count();
    assert_eq!(refunds, 1, "the repeat got the cached answer");
}

#[test]
fn network_silence_declines_98_and_reverses_at_network() {
    let mut w = World::new();
    w.net = Net::Silent;
    w.term.begin(w.now, req(K::Sale, 1_000, PAN)).unwrap();
    w.pump();
    w.advance(Duration::seconds(31));
    assert_eq!(declined_code(w.t_events.last().unwrap()), "98");
    assert_eq!(host_decline_reason(&w), DeclineReason::NetworkTimeout);
    assert!(matches!(
        w.net_log.last().unwrap().body,
        NetworkRequestBody::Reversal { reverses: 1 }
    ));
    assert!(w.proc.is_idle());
}

#[test]
fn mismatched_and_late_responses_change_nothing() {
    let mut w = World::new();
    w.net = Net::Silent;
    w.term.begin(w.now, req(K::Sale, 1_000, PAN)).unwrap();
    let frame = w.term.poll_transmit().unwrap();
    let req_msg = Message::decode(&frame).unwrap();
    let before = serde_json::to_string(&w.term).unwrap();
    let debug = format!("{:?} {:?} {req_msg:?}", w.term, w.proc);
    assert!(
        !debug.contains(PAN) && debug.contains("622848*********0018"),
        "{debug}"
    );
    let mut resp = req_msg.clone();
    resp.mti = 210;
    resp.remove(64);
    resp.set(39, "00");
    // Wrong STAN / amount / MTI / terminal.
    for (field, value) in [(11u8, "000099"), (4, "000000000999"), (41, "T9999999")] {
        let mut r = resp.clone();
        r.set(field, value);
        assert_eq!(
            w.term.handle_response(w.now, &r.encode().unwrap()),
            Err(LifecycleError::Mismatch { field })
        );
    }
    let mut r = resp.clone();
    r.mti = 230;
    assert_eq!(
        w.term.handle_response(w.now, &r.encode().unwrap()),
        Err(LifecycleError::Mismatch { field: 0 })
    );
    assert!(matches!(
        w.term.handle_response(w.now, &[0x02, 0x10, 0xff]),
        Err(LifecycleError::Wire(_))
    ));
    assert_eq!(serde_json::to_string(&w.term).unwrap(), before);
    // Late response after the reversal went out.
    w.advance(Duration::seconds(60));
    assert!(w.term.is_reversing() || w.term.is_ready());
    let mut w2 = World::new();
    w2.net = Net::Silent;
    w2.term.begin(w2.now, req(K::Sale, 1_000, PAN)).unwrap();
    let f = w2.term.poll_transmit().unwrap();
    w2.term
        .handle_timeout(w2.now + Duration::seconds(60))
        .unwrap();
    assert!(w2.term.is_reversing());
    let _ = w2.term.poll_transmit();
    let mut late = Message::decode(&f).unwrap();
    late.mti = 210;
    late.set(39, "00");
    let snapshot = serde_json::to_string(&w2.term).unwrap();
    assert!(matches!(
        w2.term.handle_response(w2.now, &late.encode().unwrap()),
        Err(LifecycleError::LateResponse { .. })
    ));
    assert_eq!(serde_json::to_string(&w2.term).unwrap(), snapshot);
    // Responses when nothing is outstanding.
    let mut w3 = World::new();
    assert!(matches!(
        w3.term.handle_response(w3.now, &late.encode().unwrap()),
        Err(LifecycleError::UnexpectedMessage { .. })
    ));
    w3.pump();
}

#[test]
fn restart_resumes_pending_reversal() {
    let mut w = World::new();
    w.drop_next_response = true;
    w.term.begin(w.now, req(K::Sale, 4_200, PAN)).unwrap();
    w.pump();
    // The app dies; its persisted session comes back.
    let saved = serde_json::to_vec(&w.term).unwrap();
    w.term = serde_json::from_slice(&saved).unwrap();
    w.advance(Duration::seconds(61));
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::Reversed { .. })
    ));
    assert!(matches!(w.p_events.last(), Some(DomainEvent::Reversed(_))));
    // And the processor state serialises too.
    let p = serde_json::to_string(&w.proc).unwrap();
    let back: AcquirerProcessor = serde_json::from_str(&p).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), p);
}

#[test]
fn reversal_arriving_before_its_request_blocks_the_late_request() {
    let mut w = World::new();
    w.term.begin(w.now, req(K::Sale, 900, PAN)).unwrap();
    let lost = w.term.poll_transmit().unwrap(); // delayed in the network
    w.advance(Duration::seconds(60)); // terminal times out and reverses
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::Reversed { .. })
    ));
    w.proc.handle_terminal(w.now, &lost).unwrap();
    let (_, resp) = w.proc.poll_terminal_transmit().unwrap();
    assert_eq!(Message::decode(&resp).unwrap().text(39), Some("94"));
    assert!(w.proc.poll_network_request().is_none(), "never forwarded");
    assert!(
        !w.p_events
            .iter()
            .any(|e| matches!(e, DomainEvent::Captured(_)))
    );
}

#[test]
fn host_validation_duplicates_mac_sign_on() {
    let mut w = World::new();
    w.term.begin(w.now, req(K::Sale, 100, PAN)).unwrap();
    let f = w.term.poll_transmit().unwrap();
    w.proc.handle_terminal(w.now, &f).unwrap();
    w.pump();
    let first = w.t_events.last().cloned();
    approved(first.as_ref().unwrap());
    // Exact retransmission: same answer, no second capture.
    w.proc.handle_terminal(w.now, &f).unwrap();
    let (_, again) = w.proc.poll_terminal_transmit().unwrap();
    assert_eq!(Message::decode(&again).unwrap().text(39), Some("00"));
    assert_eq!(
        w.p_events
            .iter()
            .filter(|e| matches!(e, DomainEvent::Captured(_)))
            .count(),
        1
    );
    // Same STAN, different content: 94.
    let mut m = Message::decode(&f).unwrap();
    m.set(4, "000000000200");
    m.remove(64);
    let mab = m.mab().unwrap();
    m.set(64, keys::cup_ecb_mac(&keys(1).mak, &mab));
    w.proc.handle_terminal(w.now, &m.encode().unwrap()).unwrap();
    let (_, dup) = w.proc.poll_terminal_transmit().unwrap();
    assert_eq!(Message::decode(&dup).unwrap().text(39), Some("94"));
    // Bad MAC: A0, nothing forwarded.
    let mut bad = f.clone();
    let n = bad.len();
    bad[n - 1] ^= 1;
    w.proc.handle_terminal(w.now, &bad).unwrap();
    let (_, r) = w.proc.poll_terminal_transmit().unwrap();
    assert_eq!(Message::decode(&r).unwrap().text(39), Some("A0"));
    // Unknown terminal.
    let mut other = Message::decode(&f).unwrap();
    other.set(41, "ZZZZZZZZ");
    assert_eq!(
        w.proc.handle_terminal(w.now, &other.encode().unwrap()),
        Err(LifecycleError::UnknownTerminal)
    );
    // Not signed on: a second terminal that never signed on.
    w.proc.register_terminal(TerminalProfile {
        terminal_id: tid(2),
        merchant_id: mid(2),
        tmk: tmk(2),
    });
    let mut t2 = Message::decode(&f).unwrap();
    t2.set(41, tid(2).as_str()).set(42, mid(2).as_str());
    w.proc
        .handle_terminal(w.now, &t2.encode().unwrap())
        .unwrap();
    let (_, r) = w.proc.poll_terminal_transmit().unwrap();
    assert_eq!(Message::decode(&r).unwrap().text(39), Some("77"));
    assert!(w.proc.poll_network_request().is_none());
    // Garbage.
    assert!(matches!(
        w.proc.handle_terminal(w.now, b"\x99"),
        Err(LifecycleError::Wire(_))
    ));
}

#[test]
fn batch_close_balanced_moves_to_next_batch() {
    let mut w = World::new();
    approved(&w.run(req(K::Sale, 1_000, PAN)));
    let domestic_sale = w.last_journal();
    approved(&w.run(req(K::Sale, 2_000, VISA)));
    let sale = w.last_journal();
    approved(&w.run(req_orig(K::Void, 2_000, VISA, &sale)));
    let batch = w.term.batch().unwrap();
    let totals = w.term.totals();
    assert_eq!(totals.domestic.debit_amount, 1_000);
    assert_eq!(
        (totals.foreign.debit_amount, totals.foreign.credit_amount),
        (2_000, 2_000)
    );
    w.term.settle(w.now).unwrap();
    w.pump();
    assert_eq!(
        w.t_events.last(),
        Some(&TerminalEvent::BatchSettled {
            batch,
            totals,
            uploaded: false
        })
    );
    assert!(
        matches!(w.p_events.last(), Some(DomainEvent::BatchSettled { uploaded: false, host_totals, .. }) if *host_totals == totals)
    );
    assert_eq!(w.term.batch(), Some(batch.next()));
    assert!(w.term.journal().is_empty());
    // Settled: a void of a sale in the closed batch is refused.
    assert_eq!(
        declined_code(&w.run(req_orig(K::Void, 1_000, PAN, &domestic_sale))),
        "12"
    );
    assert_eq!(host_decline_reason(&w), DeclineReason::AlreadySettled);
    assert!(w.term.journal().is_empty());
}

/// A store that loses one record: the host's totals then disagree with the terminal's.
#[derive(Default)]
struct LossyStore {
    inner: InMemoryStore,
    lose_stan: Option<u32>,
}

impl TransactionStore for LossyStore {
    fn get(&self, key: &TxnKey) -> Option<TransactionRecord> {
        self.inner.get(key)
    }
    fn put(&mut self, record: TransactionRecord) {
        self.inner.put(record)
    }
    fn batch(&self, terminal: &TerminalId, batch: BatchNo) -> Vec<TransactionRecord> {
        self.inner
            .batch(terminal, batch)
            .into_iter()
            .filter(|r| Some(r.key.stan.value()) != self.lose_stan)
            .collect()
    }
}

#[test]
fn batch_close_unbalanced_uploads_and_settles_again() {
    let store = LossyStore {
        lose_stan: Some(3),
        ..Default::default()
    };
    let mut w = World::with_store(store, ProcessorConfig::default());
    for i in 0..10 {
        approved(&w.run(req(K::Sale, 100 + i, PAN)));
    }
    let totals = w.term.totals();
    w.term.settle(w.now).unwrap();
    w.pump();
    assert!(
        matches!(
            w.t_events.last(),
            Some(TerminalEvent::BatchSettled { uploaded: true, .. })
        ),
        "{:?}",
        w.t_events.last()
    );
    match w.p_events.last() {
        Some(DomainEvent::BatchSettled {
            uploaded: true,
            host_totals,
            terminal_totals,
            ..
        }) => {
            assert_eq!(*terminal_totals, totals);
            assert_eq!(host_totals.domestic.debit_count, 9);
        }
        other => panic!("{other:?}"),
    }
    assert!(w.term.is_ready());
}

#[test]
fn illegal_inputs_are_typed_errors() {
    let mut w = World::new();
    // A void without original data.
    assert!(matches!(
        w.term.begin(w.now, req(K::Void, 100, PAN)),
        Err(LifecycleError::InvalidRequest { .. })
    ));
    assert!(matches!(
        w.term.begin(w.now, req(K::Sale, 0, PAN)),
        Err(LifecycleError::InvalidRequest { .. })
    ));
    assert!(w.term.sign_on(w.now).is_ok());
    assert!(matches!(
        w.term.begin(w.now, req(K::Sale, 1, PAN)),
        Err(LifecycleError::IllegalState { .. })
    ));
    w.pump();
    let fresh = TerminalSession::new(TerminalConfig::new(tid(1), mid(1), tmk(1)));
    let mut fresh2 = fresh.clone();
    assert!(fresh2.begin(w.now, req(K::Sale, 1, PAN)).is_err());
    assert!(fresh2.settle(w.now).is_err());
    assert!(fresh2.handle_local_failure(w.now).is_err());
    assert_eq!(fresh2, fresh);
}

#[test]
fn stan_wraps_and_skips_zero() {
    assert_eq!(Stan::new(999_999).unwrap().next(), Stan::FIRST);
    assert!(Stan::new(0).is_err());
    assert!(serde_json::from_str::<Stan>("1000000").is_err());
    assert_eq!(BatchNo::new(999_999).unwrap().next(), BatchNo::FIRST);
}

#[test]
fn echo_and_sign_off() {
    let mut w = World::new();
    w.term.echo(w.now).unwrap();
    w.pump();
    assert_eq!(
        w.t_events.last(),
        Some(&TerminalEvent::EchoAnswered { ok: true })
    );
    w.term.echo(w.now).unwrap();
    w.drop_next_response = true;
    w.pump();
    w.advance(Duration::seconds(61));
    assert_eq!(
        w.t_events.last(),
        Some(&TerminalEvent::EchoAnswered { ok: false })
    );
    w.term.sign_off(w.now).unwrap();
    w.pump();
    assert_eq!(w.t_events.last(), Some(&TerminalEvent::SignedOff));
    assert!(!w.term.is_signed_on());
    assert!(w.term.begin(w.now, req(K::Sale, 1, PAN)).is_err());
    // The host erased the keys too: a MAC'd request from the old session is refused with 77.
    w.term.sign_on(w.now).unwrap();
    w.pump();
    assert!(w.term.is_ready(), "sign-on re-delivers keys");
}

#[test]
fn full_batch_must_be_settled_first() {
    let mut w = World::new();
    let mut n = 0;
    loop {
        match w.term.begin(w.now, req(K::Sale, 1, PAN)) {
            Ok(_) => {
                w.pump();
                n += 1;
            }
            Err(e) => {
                assert!(matches!(e, LifecycleError::IllegalState { .. }), "{e:?}");
                break;
            }
        }
        assert!(n < 2_000);
    }
    assert_eq!(n, 999);
    // The card's half of F48 is known only from the response, so any full half blocks;
    // settle frees the batch.
    assert!(w.term.begin(w.now, req(K::Sale, 1, VISA)).is_err());
    w.term.settle(w.now).unwrap();
    w.pump();
    assert!(matches!(
        w.t_events.last(),
        Some(TerminalEvent::BatchSettled { .. })
    ));
    approved(&w.run(req(K::Sale, 1, PAN)));
}
