//! The one error type of the card module. It never carries a full PAN.

/// Why card data was rejected. Offsets are zero-based character offsets into the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardError {
    /// A PAN holds something other than decimal digits.
    #[error("PAN: non-digit character at offset {offset}")]
    PanNotDigits {
        /// Offset of the first non-digit.
        offset: usize,
    },
    /// A PAN is shorter or longer than ISO/IEC 7812 allows (12–19 digits).
    #[error("PAN: length {len} outside 12..=19 digits")]
    PanLength {
        /// The number of characters given.
        len: usize,
    },
    /// Track 2 data is malformed.
    #[error("track 2: {reason} at offset {offset}")]
    Track2 {
        /// Offset of the offending character.
        offset: usize,
        /// What was wrong.
        reason: &'static str,
    },
    /// An expiry date is malformed (not YYMM, or month outside 01–12).
    #[error("expiry: {reason}")]
    Expiry {
        /// What was wrong.
        reason: &'static str,
    },
    /// A masking preset name that is not known.
    #[error("unknown mask style {name:?}")]
    UnknownMaskStyle {
        /// The name as given.
        name: String,
    },
}
