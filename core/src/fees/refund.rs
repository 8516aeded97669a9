//! Fees returned on refunds, per the schedule's [`RefundFeePolicy`].

use super::FeeError;
use super::exact::round_div;
use super::schedule::RefundFeePolicy;
use crate::money::Rounding;
use serde::{Deserialize, Serialize};

/// The fee effect of one refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundFees {
    /// Fee returned to the merchant with this refund (minor units).
    pub returned_minor: i64,
    /// Fee the acquirer keeps after this refund (of the original fee).
    pub kept_minor: i64,
}

/// The fee kept on a sale of `amount` with fee `fee` after refunds totalling `refunded`.
fn kept(policy: RefundFeePolicy, rounding: Rounding, amount: i64, fee: i64, refunded: i64) -> i64 {
    match policy {
        RefundFeePolicy::None => fee,
        RefundFeePolicy::Full => {
            if refunded > 0 {
                0
            } else {
                fee
            }
        }
        RefundFeePolicy::ProRata => {
            if amount == 0 {
                return 0;
            }
            // Remaining-fee method: the fee on what remains, computed from the cumulative
            // refund each time, so the sum of returns telescopes to fee − kept(final).
            let exact = i128::from(fee) * i128::from(amount - refunded);
            round_div(exact, i128::from(amount), rounding) as i64
        }
    }
}

/// The fee returned by a refund of `refund` after earlier refunds of `refunded_before`, on a
/// sale of `original_amount` that paid `original_fee` (all minor units).
///
/// The returns of successive partial refunds always sum to `original_fee − kept`, where `kept`
/// is computed once from the cumulative refund: no drift whatever the split.
pub fn refund_fee_returned(
    policy: RefundFeePolicy,
    rounding: Rounding,
    original_amount: i64,
    original_fee: i64,
    refunded_before: i64,
    refund: i64,
) -> Result<RefundFees, FeeError> {
    if original_amount < 0 || original_fee < 0 || refunded_before < 0 || refund < 0 {
        return Err(FeeError::NegativeAmount {
            amount_minor: original_amount
                .min(original_fee)
                .min(refunded_before)
                .min(refund),
        });
    }
    let remaining = original_amount.saturating_sub(refunded_before);
    if refunded_before > original_amount || refund > remaining {
        return Err(FeeError::RefundExceedsOriginal {
            refund_minor: refund,
            remaining_minor: remaining.max(0),
        });
    }
    let before = kept(
        policy,
        rounding,
        original_amount,
        original_fee,
        refunded_before,
    );
    let after = kept(
        policy,
        rounding,
        original_amount,
        original_fee,
        refunded_before + refund,
    );
    Ok(RefundFees {
        returned_minor: before - after,
        kept_minor: after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pro_rata_thirds_do_not_drift() {
        // 100.00 sale, fee 0.60; three refunds of 33.33, 33.33, 33.34.
        let p = RefundFeePolicy::ProRata;
        let r = Rounding::HalfUp;
        let a = refund_fee_returned(p, r, 10_000, 60, 0, 3_333).unwrap();
        let b = refund_fee_returned(p, r, 10_000, 60, 3_333, 3_333).unwrap();
        let c = refund_fee_returned(p, r, 10_000, 60, 6_666, 3_334).unwrap();
        assert_eq!(a.returned_minor + b.returned_minor + c.returned_minor, 60);
        assert_eq!(c.kept_minor, 0);
        assert_eq!(
            (a.returned_minor, b.returned_minor, c.returned_minor),
            (20, 20, 20)
        );
    }

    #[test]
    fn policies() {
        let r = Rounding::HalfUp;
        let none = refund_fee_returned(RefundFeePolicy::None, r, 10_000, 60, 0, 5_000).unwrap();
        assert_eq!(none.returned_minor, 0);
        let full = refund_fee_returned(RefundFeePolicy::Full, r, 10_000, 60, 0, 100).unwrap();
        assert_eq!(full.returned_minor, 60);
        let again = refund_fee_returned(RefundFeePolicy::Full, r, 10_000, 60, 100, 100).unwrap();
        assert_eq!(again.returned_minor, 0);
        assert!(matches!(
            refund_fee_returned(RefundFeePolicy::ProRata, r, 10_000, 60, 9_000, 1_001),
            Err(FeeError::RefundExceedsOriginal {
                remaining_minor: 1_000,
                ..
            })
        ));
    }
}
