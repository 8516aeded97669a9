//! The single error type of the Kotlin/Swift API (`PaycoreException` in Kotlin).

use paycore::card::CardError;
use paycore::money::MoneyError;

/// Every failure, by kind. The message says what was wrong and where; it never contains key
/// material or a full PAN.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum PaycoreError {
    /// Unknown ISO 4217 currency code.
    #[error("{0}")]
    UnknownCurrency(String),
    /// Malformed decimal amount or rate.
    #[error("{0}")]
    MalformedAmount(String),
    /// More decimals than the currency allows.
    #[error("{0}")]
    TooManyDecimals(String),
    /// Arithmetic overflow.
    #[error("{0}")]
    Overflow(String),
    /// Amounts in different currencies combined.
    #[error("{0}")]
    CurrencyMismatch(String),
    /// Unusable allocation weights.
    #[error("{0}")]
    InvalidWeights(String),
    /// Invalid PAN.
    #[error("{0}")]
    InvalidPan(String),
    /// Invalid track 2 data.
    #[error("{0}")]
    InvalidTrack2(String),
    /// Invalid expiry or calendar date.
    #[error("{0}")]
    InvalidDate(String),
    /// An argument outside its allowed set.
    #[error("{0}")]
    InvalidArgument(String),
    // security
    /// Key bytes of the wrong length for the algorithm.
    #[error("{0}")]
    KeyLength(String),
    /// A key check value did not match (e.g. a sign-on working key).
    #[error("{0}")]
    CheckValueMismatch(String),
    /// A MAC did not verify.
    #[error("{0}")]
    MacMismatch(String),
    /// Invalid PIN/PAN input or a malformed PIN block.
    #[error("{0}")]
    PinBlock(String),
    /// Invalid or exhausted DUKPT counter.
    #[error("{0}")]
    Dukpt(String),
    /// Malformed TR-31 key block or a failed key-block MAC.
    #[error("{0}")]
    Tr31(String),
    /// Any other security failure (hex, lengths, algorithm not allowed for the operation).
    #[error("{0}")]
    Security(String),
}

impl From<MoneyError> for PaycoreError {
    fn from(e: MoneyError) -> Self {
        let m = e.to_string();
        match e {
            MoneyError::UnknownCurrency { .. } => PaycoreError::UnknownCurrency(m),
            MoneyError::MalformedAmount { .. } => PaycoreError::MalformedAmount(m),
            MoneyError::TooManyDecimals { .. } => PaycoreError::TooManyDecimals(m),
            MoneyError::Overflow { .. } => PaycoreError::Overflow(m),
            MoneyError::CurrencyMismatch { .. } => PaycoreError::CurrencyMismatch(m),
            MoneyError::InvalidWeights { .. } => PaycoreError::InvalidWeights(m),
            _ => PaycoreError::InvalidArgument(m),
        }
    }
}

impl From<CardError> for PaycoreError {
    fn from(e: CardError) -> Self {
        let m = e.to_string();
        match e {
            CardError::PanNotDigits { .. } | CardError::PanLength { .. } => {
                PaycoreError::InvalidPan(m)
            }
            CardError::Track2 { .. } => PaycoreError::InvalidTrack2(m),
            CardError::Expiry { .. } => PaycoreError::InvalidDate(m),
            _ => PaycoreError::InvalidArgument(m),
        }
    }
}
