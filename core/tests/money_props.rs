//! Property tests for money: exact allocation and parse/format round trips.

use paycore::money::{Currency, Money, Rounding};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn any_currency() -> impl Strategy<Value = Currency> {
    let all: Vec<Currency> = Currency::all().collect();
    prop::sample::select(all)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Parts sum to the total exactly and each is within one minor unit of its exact share.
    #[test]
    fn allocation_is_exact_and_fair(
        total in any::<i64>(),
        weights in prop::collection::vec(0u64..=u64::MAX, 1..12),
    ) {
        prop_assume!(weights.iter().any(|&w| w > 0));
        let m = Money::from_minor(total, Currency::CNY);
        let parts = m.allocate(&weights).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        let sum: i128 = parts.iter().map(|p| i128::from(p.minor())).sum();
        prop_assert_eq!(sum, i128::from(total));
        let w_sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
        for (p, &w) in parts.iter().zip(&weights) {
            // |part·W − total·w| < W  ⇔  |part − exact share| < 1 minor unit.
            let diff = (i128::from(p.minor()) * w_sum) - i128::from(total) * i128::from(w);
            prop_assert!(diff.abs() < w_sum, "part {} weight {}", p.minor(), w);
            if w == 0 { prop_assert_eq!(p.minor(), 0); }
        }
    }

    /// Small weights too (the common case: 3-way agent splits, 30/70 ratios).
    #[test]
    fn allocation_small_weights(total in -1_000_000i64..1_000_000, weights in prop::collection::vec(0u64..10, 1..8)) {
        prop_assume!(weights.iter().any(|&w| w > 0));
        let parts = Money::from_minor(total, Currency::CNY).allocate(&weights).unwrap();
        prop_assert_eq!(parts.iter().map(|p| p.minor()).sum::<i64>(), total);
    }

    /// Decimal ratios add back exactly as well.
    #[test]
    fn ratio_allocation_sums(total in any::<i64>(), ratios in prop::collection::vec(0u32..10_000, 1..6)) {
        prop_assume!(ratios.iter().any(|&r| r > 0));
        let ratios: Vec<Decimal> = ratios.into_iter().map(|r| Decimal::new(i64::from(r), 4)).collect();
        let parts = Money::from_minor(total, Currency::USD).allocate_ratios(&ratios).unwrap();
        prop_assert_eq!(parts.iter().map(|p| i128::from(p.minor())).sum::<i128>(), i128::from(total));
    }

    /// parse(format(x)) == x for every currency exponent and every i64.
    #[test]
    fn parse_format_round_trip(minor in any::<i64>(), currency in any_currency()) {
        let m = Money::from_minor(minor, currency);
        let text = m.to_plain_string();
        prop_assert_eq!(Money::parse(&text, currency).unwrap(), m);
        prop_assert_eq!(Money::from_decimal(m.to_decimal(), currency).unwrap(), m);
    }

    /// Parsing arbitrary text never panics; success implies a canonical re-format.
    #[test]
    fn parse_never_panics(text in "\\PC{0,24}", currency in any_currency()) {
        if let Ok(m) = Money::parse(&text, currency) {
            let again = Money::parse(&m.to_plain_string(), currency).unwrap();
            prop_assert_eq!(again, m);
        }
    }

    /// Rounding a rate product lands within one minor unit of the exact value, in the
    /// direction the mode promises.
    #[test]
    fn rate_rounding_direction(minor in -10_000_000_000i64..10_000_000_000, rate_bp in 0u32..10_000) {
        let m = Money::from_minor(minor, Currency::CNY);
        let rate = Decimal::new(i64::from(rate_bp), 4);
        let exact = m.mul_rate_exact(rate).unwrap();
        let floor = m.mul_rate(rate, Rounding::Floor).unwrap().minor();
        let ceil = m.mul_rate(rate, Rounding::Ceiling).unwrap().minor();
        prop_assert!(Decimal::from(floor) <= exact && exact <= Decimal::from(ceil));
        prop_assert!(ceil - floor <= 1);
        for mode in Rounding::ALL {
            let v = m.mul_rate(rate, mode).unwrap().minor();
            prop_assert!(v == floor || v == ceil);
        }
    }
}
