//! Settlement-date rules: UnionPay 23:00 Beijing cut-off, T/D/S/W/M cycles on the official
//! China calendar, and properties (T+N monotonic, always a working day).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use paycore::calendar::Calendar;
use paycore::settlement::{
    NetworkCutoff, SettlementCycle, SettlementDateError, parse_event_time, settlement_dates,
};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(s: &str) -> DateTime<FixedOffset> {
    parse_event_time(s).unwrap()
}

fn payout(s: &str, cycle: &str) -> NaiveDate {
    settlement_dates(
        at(s),
        cycle.parse().unwrap(),
        &NetworkCutoff::UNIONPAY,
        &Calendar::china(),
    )
    .unwrap()
    .payout_day
}

#[test]
fn cutoff_is_23_00_beijing() {
    let cut = NetworkCutoff::UNIONPAY;
    assert_eq!(
        cut.settlement_day(at("2026-03-10T22:59:59+08:00")).unwrap(),
        d(2026, 3, 10)
    );
    assert_eq!(
        cut.settlement_day(at("2026-03-10T23:00:00+08:00")).unwrap(),
        d(2026, 3, 11)
    );
    // 15:30 UTC = 23:30 Beijing: next network day, although the UTC date is still the 10th.
    assert_eq!(
        cut.settlement_day(at("2026-03-10T15:30:00Z")).unwrap(),
        d(2026, 3, 11)
    );
    // 16:30 UTC on the 10th = 00:30 Beijing on the 11th.
    assert_eq!(
        cut.settlement_day(at("2026-03-10T16:30:00+00:00")).unwrap(),
        d(2026, 3, 11)
    );
    // 14:59 UTC = 22:59 Beijing.
    assert_eq!(
        cut.settlement_day(at("2026-03-10T14:59:00Z")).unwrap(),
        d(2026, 3, 10)
    );
    // Configurable: midnight cut-off.
    let midnight = NetworkCutoff::new(8 * 3600, 0, 0).unwrap();
    assert_eq!(
        midnight
            .settlement_day(at("2026-03-10T23:30:00+08:00"))
            .unwrap(),
        d(2026, 3, 10)
    );
}

#[test]
fn spring_festival_2026_t1() {
    // Friday 13 Feb 23:30 → network day Sat 14 Feb (a 调休 working day) → T1 is the first
    // working day after it: Tue 24 Feb (15–23 Feb are off).
    let dates = settlement_dates(
        at("2026-02-13T23:30:00+08:00"),
        SettlementCycle::T1,
        &NetworkCutoff::UNIONPAY,
        &Calendar::china(),
    )
    .unwrap();
    assert_eq!(dates.network_day, d(2026, 2, 14));
    assert_eq!(dates.payout_day, d(2026, 2, 24));
    assert!(!dates.provisional);
    // Before the cut-off: network day Fri 13 → T1 = Sat 14 (make-up working day).
    assert_eq!(payout("2026-02-13T10:00:00+08:00", "T1"), d(2026, 2, 14));
    assert_eq!(payout("2026-02-13T10:00:00+08:00", "T0"), d(2026, 2, 13));
    assert_eq!(payout("2026-02-16T10:00:00+08:00", "T0"), d(2026, 2, 24));
    assert_eq!(payout("2026-02-13T10:00:00+08:00", "D1"), d(2026, 2, 14));
    assert_eq!(payout("2026-02-15T10:00:00+08:00", "D1"), d(2026, 2, 16));
    assert_eq!(payout("2026-02-15T10:00:00+08:00", "D0"), d(2026, 2, 15));
    assert_eq!(payout("2026-02-13T23:30:00+08:00", "S0"), d(2026, 2, 13));
    assert_eq!(payout("2026-02-13T10:00:00+08:00", "T2"), d(2026, 2, 24));
}

#[test]
fn national_day_and_weekends() {
    // Sat 2026-09-19 → T1 = Sun 20 Sep (make-up working day).
    assert_eq!(payout("2026-09-19T12:00:00+08:00", "T1"), d(2026, 9, 20));
    // Wed 30 Sep 2026 → 1–7 Oct off (8 Oct Thu is working).
    assert_eq!(payout("2026-09-30T12:00:00+08:00", "T1"), d(2026, 10, 8));
    // Ordinary Friday → Monday.
    assert_eq!(payout("2026-03-13T12:00:00+08:00", "T1"), d(2026, 3, 16));
    // 2025 National Day + Mid-Autumn: 1–8 Oct off, Sat 11 Oct working.
    assert_eq!(payout("2025-09-30T12:00:00+08:00", "T1"), d(2025, 10, 9));
    assert_eq!(payout("2025-10-10T12:00:00+08:00", "T1"), d(2025, 10, 11));
    // 2019 notice moved 2018-12-29 (Sat) to a working day.
    assert_eq!(payout("2018-12-28T12:00:00+08:00", "T1"), d(2018, 12, 29));
}

#[test]
fn spring_festival_2024_and_2025() {
    // 2025: Sun 26 Jan is a make-up working day; 28 Jan–4 Feb off; Sat 8 Feb working.
    assert_eq!(payout("2025-01-24T12:00:00+08:00", "T1"), d(2025, 1, 26));
    assert_eq!(payout("2025-01-26T12:00:00+08:00", "T1"), d(2025, 1, 27));
    assert_eq!(payout("2025-01-27T12:00:00+08:00", "T1"), d(2025, 2, 5));
    assert_eq!(payout("2025-01-27T12:00:00+08:00", "T3"), d(2025, 2, 7));
    assert_eq!(payout("2025-01-27T12:00:00+08:00", "T4"), d(2025, 2, 8));
    assert_eq!(payout("2025-01-27T12:00:00+08:00", "D3"), d(2025, 1, 30));
    // 2024: Sun 4 Feb working; 10–17 Feb off; Sun 18 Feb working.
    assert_eq!(payout("2024-02-02T12:00:00+08:00", "T1"), d(2024, 2, 4));
    assert_eq!(payout("2024-02-09T12:00:00+08:00", "T1"), d(2024, 2, 18));
    // New Year's Eve after the cut-off: 2024-12-31 23:10 → network day 2025-01-01 (off).
    assert_eq!(payout("2024-12-31T23:10:00+08:00", "T1"), d(2025, 1, 2));
    assert_eq!(payout("2024-12-31T23:10:00+08:00", "T0"), d(2025, 1, 2));
    assert_eq!(payout("2024-12-31T15:10:00Z", "D0"), d(2025, 1, 1));
}

#[test]
fn weekly_and_monthly_cycles() {
    // Week of Wed 2026-03-11 → Monday 2026-03-16 for W1, 2026-03-23 for W2.
    assert_eq!(payout("2026-03-11T12:00:00+08:00", "W1"), d(2026, 3, 16));
    assert_eq!(payout("2026-03-11T12:00:00+08:00", "W2"), d(2026, 3, 23));
    // Monday 2026-02-16 is off → next working day 24 Feb.
    assert_eq!(payout("2026-02-11T12:00:00+08:00", "W1"), d(2026, 2, 24));
    // M1 of September 2026: 1 Oct off → 8 Oct.
    assert_eq!(payout("2026-09-15T12:00:00+08:00", "M1"), d(2026, 10, 8));
    assert_eq!(payout("2026-01-31T12:00:00+08:00", "M1"), d(2026, 2, 2));
}

#[test]
fn bad_inputs_are_typed_errors() {
    assert!(matches!(
        parse_event_time("2026-02-13T23:30:00"),
        Err(SettlementDateError::MissingZone { .. })
    ));
    assert!(matches!(
        parse_event_time("2026-02-13 23:30:00"),
        Err(SettlementDateError::MissingZone { .. })
    ));
    assert!(matches!(
        parse_event_time("yesterday"),
        Err(SettlementDateError::MalformedTime { offset: 0, .. })
    ));
    for bad in ["", "X1", "T", "T-1", "W0", "M0", "S1", "T9999", "T1x"] {
        assert!(bad.parse::<SettlementCycle>().is_err(), "{bad}");
    }
    assert_eq!(
        "t+1".parse::<SettlementCycle>().unwrap(),
        SettlementCycle::T(1)
    );
    // 2027 has no notice: fail closed.
    let err = settlement_dates(
        at("2026-12-31T12:00:00+08:00"),
        SettlementCycle::T1,
        &NetworkCutoff::UNIONPAY,
        &Calendar::china(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        SettlementDateError::Calendar(paycore::calendar::CalendarError::YearNotCovered {
            year: 2027,
            ..
        })
    ));
    assert!(NetworkCutoff::new(20 * 3600, 23, 0).is_err());
    assert!(NetworkCutoff::new(0, 24, 0).is_err());
}

static CHINA: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(Calendar::china);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn t_plus_n_is_monotonic_and_a_working_day(
        secs_a in 0i64..(19 * 365 * 86_400),
        delta in 0i64..(40 * 86_400),
        offset_h in -12i32..=14,
        n in 0u16..4,
    ) {
        let cal = &*CHINA;
        let zone = FixedOffset::east_opt(offset_h * 3600).unwrap();
        let base = zone.with_ymd_and_hms(2007, 1, 2, 0, 0, 0).unwrap();
        let a = base + Duration::seconds(secs_a);
        let b = a + Duration::seconds(delta);
        let cycle = SettlementCycle::T(n);
        let da = settlement_dates(a, cycle, &NetworkCutoff::UNIONPAY, cal).unwrap();
        let db = settlement_dates(b, cycle, &NetworkCutoff::UNIONPAY, cal).unwrap();
        prop_assert!(da.payout_day <= db.payout_day);
        prop_assert!(cal.is_working_day(da.payout_day).unwrap());
        prop_assert!(da.payout_day >= da.network_day);
        if n >= 1 {
            prop_assert!(da.payout_day > da.network_day);
        }
    }
}
