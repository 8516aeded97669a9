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
    // tlv
    /// Malformed BER-TLV (message names the byte offset and tag path).
    #[error("{0}")]
    TlvError(String),
    /// An EMV operation failed (unknown tag, bad DOL, missing field 55 object).
    #[error("{0}")]
    EmvError(String),
    /// A malformed EMVCo QR payload (message names the offset and ID path).
    #[error("{0}")]
    QrError(String),
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
