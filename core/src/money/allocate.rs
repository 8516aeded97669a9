//! Splitting an amount into parts that add back to it exactly.
//!
//! ## The remainder rule (largest remainder, a.k.a. Hamilton's method)
//! For a total `T` and weights `w₁…wₙ` with sum `W`:
//! 1. each part starts at `⌊|T|·wᵢ / W⌋` minor units;
//! 2. the `r = |T| − Σ parts` units left over (always fewer than the number of non-zero
//!    weights) go one each to the parts with the largest remainders `|T|·wᵢ mod W`; equal
//!    remainders go to the earlier part (lower index) first;
//! 3. for a negative total the parts are computed on `|T|` and negated.
//!
//! Consequences, proven by property tests: the parts sum to `T` exactly, every part is less
//! than one minor unit away from its exact share `T·wᵢ/W`, a zero weight gets exactly zero,
//! and the result does not depend on anything but the inputs.

use super::{Money, MoneyError};
use rust_decimal::Decimal;

impl Money {
    /// Splits `self` in proportion to integer `weights` (see the module docs for the rule).
    ///
    /// Errors: no weights, or all weights zero.
    pub fn allocate(&self, weights: &[u64]) -> Result<Vec<Money>, MoneyError> {
        if weights.is_empty() {
            return Err(MoneyError::InvalidWeights {
                reason: "no weights given",
            });
        }
        // u64 weights and a |T| ≤ 2^63 keep every product below 2^127: no overflow possible.
        let total_weight: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        if total_weight == 0 {
            return Err(MoneyError::InvalidWeights {
                reason: "all weights are zero",
            });
        }
        let magnitude = u128::from(self.minor().unsigned_abs());
        let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
        let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
        for (i, &w) in weights.iter().enumerate() {
            let product = magnitude * u128::from(w);
            parts.push(product / total_weight);
            if w != 0 {
                remainders.push((product % total_weight, i));
            }
        }
        let assigned: u128 = parts.iter().sum();
        let leftover = (magnitude - assigned) as usize; // < number of non-zero weights
        // Largest remainder first; ties to the lower index.
        remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take(leftover) {
            parts[i] += 1;
        }
        let negative = self.is_negative();
        let currency = self.currency();
        Ok(parts
            .into_iter()
            .map(|p| {
                // p ≤ |T| ≤ 2^63, so the signed value always fits (−2^63 included).
                let v = p as i128;
                let minor = if negative { -v } else { v } as i64;
                Money::from_minor(minor, currency)
            })
            .collect())
    }

    /// Splits `self` by non-negative decimal ratios (e.g. `[0.3, 0.7]` or `[1, 1, 1]`); they
    /// need not sum to 1 — each part gets `ratio / Σ ratios` of the total.
    ///
    /// Errors: no ratios, a negative ratio, all zero, or ratios with more precision than a
    /// 64-bit integer can scale them to.
    pub fn allocate_ratios(&self, ratios: &[Decimal]) -> Result<Vec<Money>, MoneyError> {
        if ratios.iter().any(|r| r.is_sign_negative() && !r.is_zero()) {
            return Err(MoneyError::InvalidWeights {
                reason: "a ratio is negative",
            });
        }
        let scale = ratios
            .iter()
            .map(|r| r.normalize().scale())
            .max()
            .unwrap_or(0);
        let too_precise = MoneyError::InvalidWeights {
            reason: "ratios too large or too precise to scale to 64-bit weights",
        };
        let weights = ratios
            .iter()
            .map(|r| {
                let mut scaled = r.normalize();
                scaled.rescale(scale);
                u64::try_from(scaled.mantissa()).map_err(|_| too_precise.clone())
            })
            .collect::<Result<Vec<u64>, _>>()?;
        self.allocate(&weights)
    }

    /// Splits `self` into `n` parts as equal as possible (earlier parts get the extra units).
    pub fn split_even(&self, n: usize) -> Result<Vec<Money>, MoneyError> {
        self.allocate(&vec![1; n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn fen(v: i64) -> Money {
        Money::from_minor(v, Currency::CNY)
    }

    fn minors(v: Vec<Money>) -> Vec<i64> {
        v.into_iter().map(|m| m.minor()).collect()
    }

    #[test]
    fn documented_examples() {
        assert_eq!(minors(fen(100).split_even(3).unwrap()), [34, 33, 33]);
        assert_eq!(minors(fen(-100).split_even(3).unwrap()), [-34, -33, -33]);
        assert_eq!(minors(fen(5).allocate(&[3, 7]).unwrap()), [2, 3]); // 1.5/3.5: tie → first
        assert_eq!(minors(fen(1).allocate(&[0, 1, 0]).unwrap()), [0, 1, 0]);
        let r: Vec<Decimal> = ["0.3", "0.7"].iter().map(|s| s.parse().unwrap()).collect();
        assert_eq!(minors(fen(1001).allocate_ratios(&r).unwrap()), [300, 701]);
        assert_eq!(
            minors(fen(i64::MIN).split_even(2).unwrap()),
            [i64::MIN / 2, i64::MIN / 2]
        );
    }

    #[test]
    fn bad_weights() {
        assert!(fen(1).allocate(&[]).is_err());
        assert!(fen(1).allocate(&[0, 0]).is_err());
        let neg: Decimal = "-0.1".parse().unwrap();
        assert!(fen(1).allocate_ratios(&[neg, Decimal::ONE]).is_err());
        assert!(
            fen(1)
                .allocate_ratios(&[Decimal::MAX, Decimal::ONE])
                .is_err()
        );
    }
}
