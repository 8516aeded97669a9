//! Typed errors. Every decode error says where (field number, byte offset) and what; none of
//! them carries field content, so they are safe to log (no PAN, track or PIN data).

/// A spec could not be built or loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// The JSON is malformed or has the wrong shape.
    #[error("spec JSON at line {line}, column {column}: {reason}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde reported.
        reason: String,
    },
    /// A `fields` key is not a field number.
    #[error("spec: field key {key:?} is not a number")]
    BadFieldKey {
        /// The key as written.
        key: String,
    },
    /// A field description is inconsistent.
    #[error("spec: field {field}: {reason}")]
    InvalidField {
        /// Field number.
        field: u16,
        /// What is wrong.
        reason: String,
    },
    /// The framing description is inconsistent.
    #[error("spec: framing: {reason}")]
    InvalidFraming {
        /// What is wrong.
        reason: String,
    },
}

/// Field number used in errors for the MTI.
pub const FIELD_MTI: u16 = 0;
/// Field number used in errors for a bitmap.
pub const FIELD_BITMAP: u16 = 1;

/// Why decoding stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeCause {
    /// The message ends inside this part.
    #[error("truncated: need {needed} bytes, {available} left")]
    Truncated {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// A BCD nibble that is not allowed here (e.g. `A`–`F` in a numeric field).
    #[error("bad BCD nibble {nibble:X}")]
    BadBcdNibble {
        /// The nibble value.
        nibble: u8,
    },
    /// A pad nibble other than the spec's.
    #[error("bad pad nibble {nibble:X}")]
    BadPad {
        /// The nibble value.
        nibble: u8,
    },
    /// A character not allowed by the field's format (or a bad hex digit).
    #[error("bad character 0x{byte:02X}")]
    BadCharacter {
        /// The byte as found on the wire.
        byte: u8,
    },
    /// A length prefix that is not a number in its encoding.
    #[error("bad length prefix")]
    BadLengthPrefix,
    /// The announced length exceeds the field's maximum.
    #[error("length {length} over max {max}")]
    LengthOverMax {
        /// Announced length.
        length: usize,
        /// Maximum.
        max: usize,
    },
    /// The bitmap announces a field the spec does not define.
    #[error("field not defined by the spec")]
    FieldNotInSpec,
    /// Bytes are left after the last field.
    #[error("{count} trailing bytes")]
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// The MTI is not four digits.
    #[error("bad MTI")]
    BadMti,
    /// A secondary or tertiary bitmap is announced but marks no field; an encoder never
    /// produces one, so accepting it would break the byte-exact round trip.
    #[error("empty secondary/tertiary bitmap")]
    EmptyBitmap,
}

/// A message could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("field {field} at byte {offset}: {cause}")]
pub struct DecodeError {
    /// Field number (0 = MTI, 1 = bitmap; for trailing bytes the last field decoded).
    pub field: u16,
    /// Byte offset of the problem from the start of the message (the MTI).
    pub offset: usize,
    /// What went wrong.
    pub cause: DecodeCause,
}

impl DecodeError {
    pub(crate) fn new(field: u16, offset: usize, cause: DecodeCause) -> Self {
        DecodeError {
            field,
            offset,
            cause,
        }
    }
}

/// Why a value could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeCause {
    /// The message has a field the spec does not define.
    #[error("field not defined by the spec")]
    FieldNotInSpec,
    /// The value is longer than the field allows.
    #[error("length {length} over max {max}")]
    TooLong {
        /// Value length in the field's units.
        length: usize,
        /// Maximum.
        max: usize,
    },
    /// A fixed-length value of the wrong length (no silent padding or truncation).
    #[error("length {length}, fixed length is {expected}")]
    WrongLength {
        /// Value length.
        length: usize,
        /// Required length.
        expected: usize,
    },
    /// A character the format does not allow, at this index of the value.
    #[error("character at index {index} not allowed by the format")]
    BadCharacter {
        /// Index in the value.
        index: usize,
    },
    /// The caller's buffer is too small.
    #[error("buffer too small: need at least {needed} bytes")]
    BufferTooSmall {
        /// Bytes needed so far.
        needed: usize,
    },
    /// The MTI is not four digits.
    #[error("bad MTI")]
    BadMti,
    /// Sub-field values do not fit the field's structure.
    #[error("sub-field {sub}: {reason}")]
    SubField {
        /// Sub-field number.
        sub: u16,
        /// What is wrong.
        reason: &'static str,
    },
}

/// A message could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field {field}: {cause}")]
pub struct EncodeError {
    /// Field number (0 = MTI).
    pub field: u16,
    /// What went wrong.
    pub cause: EncodeCause,
}

impl EncodeError {
    pub(crate) fn new(field: u16, cause: EncodeCause) -> Self {
        EncodeError { field, cause }
    }
}

/// A JSON message could not be turned into a [`super::Message`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// Not JSON, or not the expected shape.
    #[error("JSON: {0}")]
    Syntax(String),
    /// A value is not acceptable for its field.
    #[error("JSON field {field}: {reason}")]
    Field {
        /// Field number.
        field: u16,
        /// What is wrong.
        reason: String,
    },
}
