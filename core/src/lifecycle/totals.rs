//! Batch totals (F48 of the 0500 settlement): debit (sales, completions) and credit (voids,
//! completion voids, refunds) amounts and counts, for domestic (内卡) and foreign (外卡) cards.

use serde::{Deserialize, Serialize};

use super::LifecycleError;
use super::types::TotalsSide;

/// Totals for one card origin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideTotals {
    /// Σ amount of debit-side transactions, minor units.
    pub debit_amount: i64,
    /// Number of debit-side transactions.
    pub debit_count: u32,
    /// Σ amount of credit-side transactions, minor units.
    pub credit_amount: i64,
    /// Number of credit-side transactions.
    pub credit_count: u32,
}

/// The reconciliation result the host reports in the last digit of each F48 half.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettleResult {
    /// `1` 对平: host and terminal agree.
    Balanced,
    /// `2` 不平: upload the details and settle again.
    Unbalanced,
    /// `3` error.
    Error,
}

impl SettleResult {
    fn digit(self) -> u8 {
        match self {
            SettleResult::Balanced => b'1',
            SettleResult::Unbalanced => b'2',
            SettleResult::Error => b'3',
        }
    }
    fn from_digit(d: u8) -> Option<Self> {
        match d {
            b'0' | b'1' => Some(SettleResult::Balanced),
            b'2' => Some(SettleResult::Unbalanced),
            b'3' => Some(SettleResult::Error),
            _ => None,
        }
    }
}

/// Batch totals, domestic and foreign.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchTotals {
    /// 内卡 (UnionPay cards).
    pub domestic: SideTotals,
    /// 外卡 (foreign brands).
    pub foreign: SideTotals,
}

impl BatchTotals {
    /// Adds (or with `sign = -1` removes, e.g. after a reversal) one transaction.
    pub fn apply(&mut self, domestic: bool, side: TotalsSide, amount: i64, sign: i64) {
        let t = if domestic {
            &mut self.domestic
        } else {
            &mut self.foreign
        };
        let dc = if sign >= 0 { 1u32 } else { u32::MAX }; // wrapping_add(MAX) = −1
        match side {
            TotalsSide::Debit => {
                t.debit_amount += sign * amount;
                t.debit_count = t.debit_count.wrapping_add(dc);
            }
            TotalsSide::Credit => {
                t.credit_amount += sign * amount;
                t.credit_count = t.credit_count.wrapping_add(dc);
            }
        }
    }

    /// F48 content: 62 digits, each half `amount n12, count n3, amount n12, count n3, result n1`.
    pub fn to_f48(&self, result: Option<SettleResult>) -> Result<String, LifecycleError> {
        let mut s = String::with_capacity(62);
        for t in [&self.domestic, &self.foreign] {
            for (amount, count) in [
                (t.debit_amount, t.debit_count),
                (t.credit_amount, t.credit_count),
            ] {
                if !(0..=999_999_999_999).contains(&amount) || count > 999 {
                    return Err(LifecycleError::OutOfRange {
                        what: "batch totals",
                        value: amount.unsigned_abs(),
                    });
                }
                s.push_str(&format!("{amount:012}{count:03}"));
            }
            s.push(char::from(result.map_or(b'0', SettleResult::digit)));
        }
        Ok(s)
    }

    /// Parses F48 of an 0500/0510; returns the totals and the host's result (from the domestic
    /// half: the worse of the two halves).
    pub fn from_f48(f48: &str) -> Result<(BatchTotals, SettleResult), LifecycleError> {
        let b = f48.as_bytes();
        let bad = |offset: usize| LifecycleError::Field {
            field: 48,
            offset,
            reason: "settlement totals",
        };
        if b.len() != 62 {
            return Err(bad(b.len().min(62)));
        }
        if let Some(i) = b.iter().position(|c| !c.is_ascii_digit()) {
            return Err(bad(i));
        }
        let num = |from: usize, len: usize| -> i64 {
            b[from..from + len]
                .iter()
                .fold(0i64, |a, d| a * 10 + i64::from(d - b'0'))
        };
        let half = |o: usize| SideTotals {
            debit_amount: num(o, 12),
            debit_count: num(o + 12, 3) as u32,
            credit_amount: num(o + 15, 12),
            credit_count: num(o + 27, 3) as u32,
        };
        let r1 = SettleResult::from_digit(b[30]).ok_or(bad(30))?;
        let r2 = SettleResult::from_digit(b[61]).ok_or(bad(61))?;
        let result = if r1 == SettleResult::Balanced { r2 } else { r1 };
        Ok((
            BatchTotals {
                domestic: half(0),
                foreign: half(31),
            },
            result,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f48_layout_round_trips() {
        let mut t = BatchTotals::default();
        t.apply(true, TotalsSide::Debit, 12_345, 1);
        t.apply(true, TotalsSide::Debit, 100, 1);
        t.apply(false, TotalsSide::Credit, 99, 1);
        let s = t.to_f48(Some(SettleResult::Unbalanced)).unwrap();
        assert_eq!(
            s,
            "0000000124450020000000000000002\
                       0000000000000000000000000990012"
        );
        assert_eq!(&s[..15], "000000012445002");
        assert_eq!(&s[30..31], "2");
        assert_eq!(&s[46..61], "000000000099001");
        let (back, r) = BatchTotals::from_f48(&s).unwrap();
        assert_eq!(back, t);
        assert_eq!(r, SettleResult::Unbalanced);
        assert!(BatchTotals::from_f48("12").is_err());
        let mut t2 = t;
        t2.apply(true, TotalsSide::Debit, 100, -1);
        assert_eq!(t2.domestic.debit_count, 1);
    }
}
