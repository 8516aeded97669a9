//! The one error type of the money module.

/// Why a money operation failed. Each variant names the offending input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The currency code is not in the ISO 4217 table.
    #[error("unknown currency {code:?}")]
    UnknownCurrency {
        /// The code as given (alphabetic or numeric).
        code: String,
    },
    /// The decimal text is not a plain decimal number.
    #[error("malformed amount {input:?} at character offset {offset}: {reason}")]
    MalformedAmount {
        /// The text as given.
        input: String,
        /// Zero-based character offset of the first offending character.
        offset: usize,
        /// What was expected there.
        reason: &'static str,
    },
    /// The amount has more decimal places than the currency's minor unit allows.
    #[error("{input:?} has {places} decimal places but {currency} allows {max}")]
    TooManyDecimals {
        /// The text (or decimal) as given.
        input: String,
        /// Decimal places present.
        places: u32,
        /// The currency's minor-unit exponent.
        max: u8,
        /// The currency.
        currency: &'static str,
    },
    /// The result does not fit in an `i64` count of minor units.
    #[error("amount overflow in {operation}")]
    Overflow {
        /// The operation that overflowed.
        operation: &'static str,
    },
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: {left} vs {right}")]
    CurrencyMismatch {
        /// Currency of the left operand.
        left: &'static str,
        /// Currency of the right operand.
        right: &'static str,
    },
    /// An allocation was asked for with unusable weights.
    #[error("invalid allocation weights: {reason}")]
    InvalidWeights {
        /// Why the weights cannot be used.
        reason: &'static str,
    },
    /// A rounding mode name that is not known.
    #[error("unknown rounding mode {name:?}")]
    UnknownRounding {
        /// The name as given.
        name: String,
    },
}
