//! Hexadecimal text ⇄ bytes, the lingua franca of payment engineers' tools and logs.
//!
//! Decoding accepts upper- and lower-case digits and reports the character offset of the
//! first bad digit; encoding is upper-case, as HSM consoles, ISO 8583 dumps and the EMV
//! books print it.

use std::fmt::Write as _;

/// Why a hex string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// The string has an odd number of digits.
    #[error("odd number of hex digits ({len})")]
    OddLength {
        /// Number of characters in the input.
        len: usize,
    },
    /// The decoded value has the wrong number of bytes.
    #[error("expected {expected} bytes, got {actual}")]
    WrongLength {
        /// Bytes required.
        expected: usize,
        /// Bytes decoded.
        actual: usize,
    },
    /// A character that is not a hex digit.
    #[error("invalid hex digit at character offset {offset}")]
    InvalidDigit {
        /// Zero-based character offset of the bad digit.
        offset: usize,
    },
}

/// Decodes hex text (either case, no separators) into bytes.
pub fn decode(text: &str) -> Result<Vec<u8>, HexError> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(HexError::OddLength { len: bytes.len() });
    }
    let mut out = Vec::with_capacity(bytes.len() / 2);
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = nibble(pair[0]).ok_or(HexError::InvalidDigit { offset: 2 * i })?;
        let lo = nibble(pair[1]).ok_or(HexError::InvalidDigit { offset: 2 * i + 1 })?;
        out.push(hi << 4 | lo);
    }
    Ok(out)
}

/// Decodes hex text into a fixed-size array; the length must match exactly.
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
    let v = decode(text)?;
    v.try_into().map_err(|v: Vec<u8>| HexError::WrongLength {
        expected: N,
        actual: v.len(),
    })
}

/// Encodes bytes as upper-case hex.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02X}");
    }
    s
}

/// Value of one ASCII hex digit.
pub fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        assert_eq!(decode("00aB9f").unwrap(), vec![0x00, 0xAB, 0x9F]);
        assert_eq!(encode(&[0x00, 0xAB, 0x9F]), "00AB9F");
        assert_eq!(decode("abc"), Err(HexError::OddLength { len: 3 }));
        assert_eq!(decode("0g"), Err(HexError::InvalidDigit { offset: 1 }));
        assert_eq!(decode_array::<2>("0102").unwrap(), [1, 2]);
        assert!(decode_array::<2>("010203").is_err());
    }
}
