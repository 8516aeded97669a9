//! Settlement runs: worked batch, carry-forward, minimum payout, reserves, periodic fees,
//! determinism and statement properties.

use chrono::NaiveDate;
use paycore::calendar::Calendar;
use paycore::fees::{CardType, Channel, PricingEngine};
use paycore::money::Currency;
use paycore::settlement::csv::{read_records, read_records_borrowed};
use paycore::settlement::{
    CarryState, CompiledTerms, LineKind, RecordKind, SettlementConfig, SettlementError,
    SettlementRun, TxnRecord, parse_event_time, settle,
};
use proptest::prelude::*;

const CONFIG: &str = include_str!("../../examples/data/fee-schedule.json");
const CSV: &str = include_str!("../../examples/data/transactions.csv");

fn setup() -> (PricingEngine, CompiledTerms, Calendar) {
    let config = SettlementConfig::from_json(CONFIG).unwrap();
    let engine = PricingEngine::new(&config.pricing).unwrap();
    let terms = config.settlement.compile(engine.currency()).unwrap();
    (engine, terms, Calendar::china())
}

fn run(records: &[TxnRecord], state: &CarryState) -> Result<SettlementRun, SettlementError> {
    let (engine, terms, cal) = setup();
    settle(records, &engine, &terms, &cal, state)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn check_statement(r: &SettlementRun) {
    for b in &r.batches {
        let sum: i64 = b.lines.iter().map(|l| l.amount_minor).sum();
        assert_eq!(sum, b.net_minor, "{}", b.batch_id);
        let t = &b.totals;
        assert_eq!(
            t.captured_minor - t.refunds_minor - t.fees_minor + t.refunded_fees_minor
                - t.adjustments_minor
                - t.reserve_withheld_minor
                + t.reserve_released_minor
                - t.d0_advances_minor
                - t.periodic_fees_minor
                + t.carried_in_minor,
            b.net_minor
        );
        assert_eq!(b.payout_minor + b.carried_forward_minor, b.net_minor);
    }
}

/// Records that borrow their ids from the file settle exactly like owned ones, quoted ids
/// (with a doubled quote) included.
#[test]
fn borrowed_records_settle_like_owned_ones() {
    let quoted = CSV.replacen("T0001,", "\"T0\"\"001\",", 1);
    assert_ne!(quoted, CSV);
    for text in [CSV, quoted.as_str()] {
        let owned = read_records(text, 1000).unwrap();
        let borrowed = read_records_borrowed(text, 1000).unwrap();
        assert_eq!(owned.len(), borrowed.len());
        for (o, b) in owned.iter().zip(&borrowed) {
            assert_eq!(o.id, b.id.as_ref());
            assert_eq!(o.merchant_id, b.merchant_id.as_ref());
            assert_eq!(o.original_id.as_deref(), b.original_id.as_deref());
            assert_eq!(
                (o.kind, o.amount_minor, o.at, o.card),
                (b.kind, b.amount_minor, b.at, b.card)
            );
        }
        let (engine, terms, calendar) = setup();
        let state = CarryState::default();
        assert_eq!(
            settle(&owned, &engine, &terms, &calendar, &state).unwrap(),
            settle(&borrowed, &engine, &terms, &calendar, &state).unwrap()
        );
    }
    assert!(
        read_records(&CSV.replacen("T0001,", "\"T0\"\"001\",", 1), 1000)
            .unwrap()
            .iter()
            .any(|r| r.id == "T0\"001")
    );
}

#[test]
fn example_file_worked_batches() {
    let records = read_records(CSV, 1000).unwrap();
    let r = run(&records, &CarryState::default()).unwrap();
    check_statement(&r);
    let ids: Vec<&str> = r.batches.iter().map(|b| b.batch_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "898310048161234.CNY.20260213",
            "898310048161234.CNY.20260224",
            "898310048165678.CNY.20260214",
            "898310048169999.CNY.20260214",
        ]
    );
    let b = &r.batches[0];
    // T1 of Thursday 12 Feb is Friday 13 Feb.
    assert_eq!(b.payout_day, d("2026-02-13"));
    let t = &b.totals;
    assert_eq!(t.captured_minor, 1_000_000 + 25_000 + 8_850);
    // Fees: debit 10 000 capped 20.00; credit 250 × 0.6 % = 1.50; QuickPass 88.50 × 0.38 % = 0.3363 → 0.34.
    assert_eq!(t.fees_minor, 2_000 + 150 + 34);
    assert_eq!(t.refunds_minor, 5_000 + 10_000);
    // Pro rata: T0004 returns 1.50 × 50/250 = 0.30; T0005 (sale outside the file, 300.00 →
    // fee 1.80) returns 1.80 × 100/300 = 0.60.
    assert_eq!(t.refunded_fees_minor, 30 + 60);
    // Rolling reserve 5 % of captured, rounded down.
    assert_eq!(t.reserve_withheld_minor, 1_033_850 * 5 / 100);
    // Periodic fee due on the 1st: charged in the first batch.
    assert_eq!(t.periodic_fees_minor, 1_500);
    assert_eq!(b.payout_minor, b.net_minor);
    // 23:30 Friday 13 Feb → network day Saturday 14 Feb (调休 working) → T1 = 24 Feb.
    assert_eq!(r.batches[1].payout_day, d("2026-02-24"));
    // D1 merchant: adjustment and D0 advance deducted; no reserve.
    let m2 = &r.batches[2];
    assert_eq!(m2.totals.adjustments_minor, 2_000);
    assert_eq!(m2.totals.d0_advances_minor, 100_000);
    assert_eq!(m2.totals.reserve_withheld_minor, 0);
    assert_eq!(m2.net_minor, 350_000 - 2_000 - 2_000 - 100_000); // fee 20.00 capped
    // Below the 10.00 minimum: carried forward.
    let small = &r.batches[3];
    assert_eq!(small.payout_minor, 0);
    assert_eq!(small.carried_forward_minor, small.net_minor);
    assert!(small.net_minor > 0);
    assert!(
        r.state
            .merchants
            .iter()
            .any(|m| m.merchant_id == "898310048169999" && m.carried_minor == small.net_minor)
    );
    // Statement lines name every record.
    assert!(
        b.lines
            .iter()
            .any(|l| l.kind == LineKind::RefundedFee && l.reference == "T0005")
    );
}

fn rec(id: &str, merchant: &str, kind: RecordKind, amount: i64, at: &str) -> TxnRecord {
    TxnRecord {
        id: id.into(),
        merchant_id: merchant.into(),
        kind,
        amount_minor: amount,
        currency: Currency::CNY,
        at: parse_event_time(at).unwrap(),
        card: Some(CardType::Credit),
        channel: Some(Channel::Chip),
        original_id: None,
        original_amount_minor: None,
        refunded_before_minor: None,
    }
}

#[test]
fn negative_net_carries_forward_and_reserve_releases() {
    let m = "898310048165678"; // D1, no reserve
    let refund = TxnRecord {
        original_amount_minor: Some(500_000),
        ..rec(
            "R1",
            m,
            RecordKind::Refund,
            500_000,
            "2026-03-10T10:00:00+08:00",
        )
    };
    let day1 = run(&[refund], &CarryState::default()).unwrap();
    check_statement(&day1);
    let b = &day1.batches[0];
    assert!(b.net_minor < 0);
    assert_eq!(b.payout_minor, 0);
    let day2 = run(
        &[rec(
            "S1",
            m,
            RecordKind::Sale,
            1_000_000,
            "2026-03-11T10:00:00+08:00",
        )],
        &day1.state,
    )
    .unwrap();
    check_statement(&day2);
    let b2 = &day2.batches[0];
    assert_eq!(b2.totals.carried_in_minor, b.net_minor);
    assert_eq!(b2.payout_minor, 1_000_000 - 6_000 + b.net_minor);

    // Rolling reserve (default terms): 5 % held 30 days, released in the first batch after.
    let other = "M-ROLL";
    let first = run(
        &[rec(
            "S2",
            other,
            RecordKind::Sale,
            1_000_000,
            "2026-03-02T10:00:00+08:00",
        )],
        &CarryState::default(),
    )
    .unwrap();
    assert_eq!(first.batches[0].totals.reserve_withheld_minor, 50_000);
    let early = run(
        &[rec(
            "S3",
            other,
            RecordKind::Sale,
            100,
            "2026-03-20T10:00:00+08:00",
        )],
        &first.state,
    )
    .unwrap();
    assert_eq!(early.batches[0].totals.reserve_released_minor, 0);
    let late = run(
        &[rec(
            "S4",
            other,
            RecordKind::Sale,
            100,
            "2026-04-03T10:00:00+08:00",
        )],
        &early.state,
    )
    .unwrap();
    check_statement(&late);
    assert_eq!(late.batches[0].totals.reserve_released_minor, 50_000);
}

#[test]
fn bad_runs_are_typed_errors() {
    let a = rec("X", "M", RecordKind::Sale, 100, "2026-03-10T10:00:00+08:00");
    assert!(matches!(
        run(&[a.clone(), a.clone()], &CarryState::default()),
        Err(SettlementError::DuplicateId {
            index: 1,
            first: 0,
            ..
        })
    ));
    let usd = TxnRecord {
        currency: Currency::USD,
        ..a.clone()
    };
    assert!(matches!(
        run(&[usd], &CarryState::default()),
        Err(SettlementError::InvalidRecord { index: 0, .. })
    ));
    let orphan = rec(
        "R",
        "M",
        RecordKind::Refund,
        100,
        "2026-03-10T10:00:00+08:00",
    );
    assert!(matches!(
        run(&[orphan], &CarryState::default()),
        Err(SettlementError::InvalidRecord { .. })
    ));
    let future = rec("F", "M", RecordKind::Sale, 100, "2027-03-10T10:00:00+08:00");
    assert!(matches!(
        run(&[future], &CarryState::default()),
        Err(SettlementError::Date { .. })
    ));
}

fn arb_records() -> impl Strategy<Value = Vec<TxnRecord>> {
    let merchants = ["M1", "M2", "898310048161234", "898310048165678"];
    prop::collection::vec(
        (
            0usize..4,
            0u8..5,
            1i64..2_000_000,
            0i64..(20 * 86_400),
            0usize..4,
            0usize..5,
        ),
        1..40,
    )
    .prop_map(move |v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (m, k, amount, secs, card, ch))| {
                let at = parse_event_time("2026-03-01T00:00:00+08:00").unwrap()
                    + chrono::Duration::seconds(secs);
                let kind = match k {
                    0 | 1 => RecordKind::Sale,
                    2 => RecordKind::Refund,
                    3 => RecordKind::Adjustment,
                    _ => RecordKind::D0Advance,
                };
                TxnRecord {
                    id: format!("T{i:04}"),
                    merchant_id: merchants[m].into(),
                    kind,
                    amount_minor: if kind == RecordKind::Refund {
                        amount / 2
                    } else {
                        amount
                    },
                    currency: Currency::CNY,
                    at,
                    card: Some(CardType::ALL[card]),
                    channel: Some(Channel::ALL[ch]),
                    original_id: None,
                    original_amount_minor: (kind == RecordKind::Refund).then_some(amount),
                    refunded_before_minor: None,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_order_same_result_and_statements_sum(
        records in arb_records(),
        seed in any::<u64>(),
    ) {
        let a = run(&records, &CarryState::default());
        let mut shuffled = records.clone();
        // Deterministic Fisher–Yates from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let b = run(&shuffled, &CarryState::default());
        match (&a, &b) {
            (Ok(x), Ok(y)) => {
                prop_assert_eq!(x, y);
                check_statement(x);
            }
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "order changed success: {:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
    }
}
