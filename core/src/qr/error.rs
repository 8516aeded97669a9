//! QR errors: character offset (MPM) or byte offset (CPM), ID/tag path, and what.

use serde::{Deserialize, Serialize};

use crate::tlv::TlvErrorKind;

/// What is wrong with a QR payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum QrErrorKind {
    /// The payload ends inside an ID, a length or a value.
    #[error("truncated")]
    Truncated,
    /// The ID is not two decimal digits.
    #[error("bad ID")]
    BadId,
    /// The length is not two decimal digits in 01–99.
    #[error("bad length digits")]
    BadLengthDigits,
    /// An ID appears twice at the same level.
    #[error("duplicate ID")]
    Duplicate,
    /// `00` Payload Format Indicator is not the first object, or is not `01`.
    #[error("payload format indicator 00 must be first and equal 01")]
    PayloadFormatIndicator,
    /// The CRC `63` is missing, not last, or not 4 characters.
    #[error("CRC object 63 must be last with length 04")]
    CrcPosition,
    /// The CRC does not match.
    #[error("CRC mismatch: expected {expected}, found {actual}")]
    CrcMismatch {
        /// CRC computed over the payload.
        expected: String,
        /// CRC written in the payload.
        actual: String,
    },
    /// A mandatory object is missing.
    #[error("missing mandatory object {0}")]
    MissingMandatory(String),
    /// A value that breaks its format rules.
    #[error("invalid value: {0}")]
    BadValue(String),
    /// CPM: not valid Base64.
    #[error("invalid Base64: {0}")]
    Base64(String),
    /// CPM: BER-TLV error.
    #[error("TLV: {0}")]
    Tlv(TlvErrorKind),
    /// Payload longer than any QR code can hold.
    #[error("payload too long ({0})")]
    TooLong(usize),
}

/// A QR error. For MPM, `offset` counts characters from the start of the payload; for CPM,
/// bytes of the Base64-decoded data (or characters of the Base64 text for `Base64` errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{kind} at offset {offset}{}", if path.is_empty() { String::new() } else { format!(" (ID {path})") })]
pub struct QrError {
    /// Offset of the problem.
    pub offset: usize,
    /// ID path such as `62/05` (MPM) or tag path `61/4F` (CPM).
    pub path: String,
    /// What went wrong.
    pub kind: QrErrorKind,
}

impl QrError {
    pub(crate) fn new(offset: usize, path: impl Into<String>, kind: QrErrorKind) -> Self {
        QrError {
            offset,
            path: path.into(),
            kind,
        }
    }
}
