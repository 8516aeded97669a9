//! Fees: what the merchant pays (MDR), what the acquirer pays (IC++ costs), how the margin is
//! shared with agents (分润), and D0 advance pricing.
//!
//! Everything is integer arithmetic on minor units with rates as exact fixed point; rounding
//! happens once per computed amount, with the schedule's named mode (default half-up, 四舍五入),
//! after caps and floors. The same rule engine ([`schedule`]) prices the merchant fee, each
//! cost component and each agent level's cost.

pub mod agents;
pub mod cost;
pub mod d0;
pub mod exact;
pub mod pricing;
pub mod refund;
pub mod schedule;

pub use agents::{
    ActivationPolicy, ActivationReward, AgentProfit, AgentSpec, AgentTree, DeviceActivation,
};
pub use cost::CostModel;
pub use d0::{D0Error, D0Pricing, D0Quote, D0Request};
pub use pricing::{FeeQuote, PricingConfig, PricingEngine, QuoteReport};
pub use refund::{RefundFees, refund_fee_returned};
pub use schedule::{
    Band, CompiledSchedule, FeeFormula, FeeRule, FeeSchedule, FeeScheduleError, PricingInput,
    RefundFeePolicy, RuleFee, VolumeTier,
};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! selector_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal, { $($(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alias:literal)* ,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The snake_case name used in schedules, CSV files and the CLI.
            pub const fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            pub(crate) const fn bit(self) -> u8 {
                1 << (self as u8)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = FeeError;
            fn from_str(s: &str) -> Result<Self, FeeError> {
                // Exact names (what files and schedules carry) need no normalising copy.
                match s {
                    $($text $(| $alias)* => return Ok($name::$variant),)+
                    _ => {}
                }
                let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                match norm.as_str() {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(FeeError::UnknownValue { what: $what, value: s.to_owned() }),
                }
            }
        }
    };
}

selector_enum!(
    /// The card product, which selects the rate (and the regulated issuer fee).
    CardType, "card type", {
        /// Debit card (借记卡): issuer fee capped since 2016.
        Debit = "debit",
        /// Credit card (贷记卡).
        Credit = "credit",
        /// Quasi-credit card (准贷记卡), priced like credit.
        QuasiCredit = "quasi_credit" | "quasicredit",
        /// Prepaid card (预付卡).
        Prepaid = "prepaid",
    }
);

selector_enum!(
    /// How the card or wallet was presented.
    Channel, "channel", {
        /// Magnetic stripe.
        Swipe = "swipe" | "magstripe",
        /// EMV contact chip.
        Chip = "chip" | "contact",
        /// Contactless / QuickPass (闪付).
        Contactless = "contactless" | "quickpass" | "nfc",
        /// QR code (merchant- or consumer-presented).
        Qr = "qr",
        /// Small-amount no-PIN-no-signature (小额双免).
        SmallAmountNoPin = "small_amount_no_pin" | "no_pin",
    }
);

selector_enum!(
    /// The merchant's pricing category (标准 / 优惠 / 减免).
    MerchantType, "merchant type", {
        /// Standard (标准).
        Standard = "standard",
        /// Preferential (优惠).
        Preferential = "preferential",
        /// Waived / reduced (减免): non-profit, medical, education…
        Waived = "waived",
    }
);

/// Why a fee could not be computed for a transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeeError {
    /// No rule of the schedule matches the transaction.
    #[error(
        "schedule {schedule:?}: no rule matches card {card}, channel {channel}, merchant type {merchant_type}, amount {amount_minor} (minor units)"
    )]
    NoRuleMatches {
        /// Schedule name.
        schedule: String,
        /// Card type.
        card: CardType,
        /// Channel.
        channel: Channel,
        /// Merchant type.
        merchant_type: MerchantType,
        /// Amount.
        amount_minor: i64,
    },
    /// A value that is not a known card type, channel or merchant type.
    #[error("unknown {what} {value:?}")]
    UnknownValue {
        /// What was expected.
        what: &'static str,
        /// The value as given.
        value: String,
    },
    /// Fees are computed on non-negative amounts.
    #[error("amount {amount_minor} is negative")]
    NegativeAmount {
        /// The amount.
        amount_minor: i64,
    },
    /// The transaction's currency is not the schedule's.
    #[error("currency {given} does not match the schedule's {expected}")]
    CurrencyMismatch {
        /// The schedule's currency.
        expected: String,
        /// The transaction's currency.
        given: String,
    },
    /// Arithmetic overflow in a rule.
    #[error("rule {rule:?}: arithmetic overflow")]
    Overflow {
        /// Rule id.
        rule: String,
    },
    /// The agents' total profit exceeds the acquirer margin and the schedule does not allow it.
    #[error(
        "agent {agent:?}: total agent profit {profit_minor} exceeds the acquirer margin {margin_minor} (minor units)"
    )]
    AgentProfitExceedsMargin {
        /// The top agent of the chain.
        agent: String,
        /// Σ agent profits.
        profit_minor: i64,
        /// Merchant fee − costs.
        margin_minor: i64,
    },
    /// Unknown agent id.
    #[error("unknown agent {agent:?}")]
    UnknownAgent {
        /// The id as given.
        agent: String,
    },
    /// A refund larger than what remains of the original.
    #[error(
        "refund {refund_minor} exceeds the remaining {remaining_minor} of the original (minor units)"
    )]
    RefundExceedsOriginal {
        /// The refund.
        refund_minor: i64,
        /// What remains refundable.
        remaining_minor: i64,
    },
}
