//! BER tags kept as their raw bytes (`0x9F02`, `0xDF8129`), which is how EMV names them.
//!
//! ASN.1 libraries decode a tag into (class, number) and thereby make `82` (AIP) and `9F02`
//! (Amount, Authorised) the same "context-specific 2". EMV identifies objects by the raw tag
//! bytes, so [`Tag`] stores exactly those.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A BER tag of 1–4 bytes, stored as its raw big-endian bytes (`9F02` is `0x9F02`).
///
/// Invariant: the bytes form one complete, well-formed tag (first byte not `00`; continuation
/// bytes flagged by b8 exactly when another byte follows).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(u32);

/// The class encoded in b8–b7 of a tag's first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagClass {
    /// `00`: universal (ASN.1 built-in types).
    Universal,
    /// `01`: application (e.g. `5A`, `6F`).
    Application,
    /// `10`: context-specific (e.g. `82`, `9F02`).
    ContextSpecific,
    /// `11`: private (e.g. `DF31`, `DF8129`).
    Private,
}

/// Why a number or text is not a well-formed tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    /// Not 2–8 hex digits.
    #[error("tag must be 1 to 4 bytes of hex, got {0:?}")]
    BadText(String),
    /// The bytes are not one complete BER tag.
    #[error("{0:08X} is not a well-formed BER tag")]
    Malformed(u32),
}

impl Tag {
    /// A tag from its raw bytes, for constants: `const PAN: Tag = Tag::of(0x5A);`.
    ///
    /// # Panics
    /// If the number is not a well-formed tag; in a `const` this is a compile error, which is
    /// the intended use. Use [`Tag::new`] for values that come from input.
    pub const fn of(raw: u32) -> Tag {
        match Self::check(raw) {
            Some(t) => t,
            None => panic!("not a well-formed BER tag"),
        }
    }

    /// A tag from its raw bytes, validated.
    pub fn new(raw: u32) -> Result<Tag, TagError> {
        Self::check(raw).ok_or(TagError::Malformed(raw))
    }

    const fn check(raw: u32) -> Option<Tag> {
        let bytes = raw.to_be_bytes();
        let len = Self::byte_len(raw);
        if len == 0 {
            return None;
        }
        let first = bytes[4 - len];
        let multi = first & 0x1F == 0x1F;
        if !multi {
            return if len == 1 { Some(Tag(raw)) } else { None };
        }
        if len == 1 {
            return None;
        }
        let mut i = 5 - len;
        while i < 4 {
            let more = bytes[i] & 0x80 != 0;
            if more != (i < 3) {
                return None;
            }
            i += 1;
        }
        Some(Tag(raw))
    }

    /// Builds a tag from bytes already checked by the reader (1- or 2-byte fast path).
    #[inline]
    pub(crate) const fn from_checked(raw: u32) -> Tag {
        Tag(raw)
    }

    const fn byte_len(raw: u32) -> usize {
        4 - (raw.leading_zeros() / 8) as usize
    }

    /// Reads one tag from the start of `bytes`, allowing at most `max_len` bytes.
    ///
    /// Returns the tag and the number of bytes it occupies.
    #[inline]
    pub fn read(bytes: &[u8], max_len: usize) -> Result<(Tag, usize), TagReadError> {
        let Some(&first) = bytes.first() else {
            return Err(TagReadError::Truncated);
        };
        if first == 0x00 {
            return Err(TagReadError::Bad);
        }
        let mut raw = first as u32;
        if first & 0x1F != 0x1F {
            return Ok((Tag(raw), 1));
        }
        let mut i = 1;
        loop {
            if i >= max_len.min(4) {
                return Err(TagReadError::TooLong);
            }
            let Some(&b) = bytes.get(i) else {
                return Err(TagReadError::Truncated);
            };
            raw = raw << 8 | b as u32;
            i += 1;
            if b & 0x80 == 0 {
                return Ok((Tag(raw), i));
            }
        }
    }

    /// The raw tag bytes as a number (`0x9F02`).
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// Number of bytes in the encoded tag (1–4).
    pub const fn len(self) -> usize {
        Self::byte_len(self.0)
    }

    /// Always false: a tag has at least one byte (provided for clippy's `len` convention).
    pub const fn is_empty(self) -> bool {
        false
    }

    /// The first byte, which carries class and the constructed flag.
    pub const fn first_byte(self) -> u8 {
        (self.0 >> (8 * (self.len() - 1))) as u8
    }

    /// The class from b8–b7 of the first byte.
    pub const fn class(self) -> TagClass {
        match self.first_byte() >> 6 {
            0 => TagClass::Universal,
            1 => TagClass::Application,
            2 => TagClass::ContextSpecific,
            _ => TagClass::Private,
        }
    }

    /// Whether b6 of the first byte marks a constructed object (a template of TLVs).
    pub const fn is_constructed(self) -> bool {
        self.first_byte() & 0x20 != 0
    }

    /// Appends the raw tag bytes to `out`.
    pub fn write_to(self, out: &mut Vec<u8>) {
        let bytes = self.0.to_be_bytes();
        out.extend_from_slice(&bytes[4 - self.len()..]);
    }

    /// The raw tag bytes.
    pub fn to_bytes(self) -> Vec<u8> {
        let mut v = Vec::with_capacity(4);
        self.write_to(&mut v);
        v
    }

    /// Parses hex text such as `"9F02"` (either case).
    pub fn parse_hex(text: &str) -> Result<Tag, TagError> {
        let t = text.trim();
        if t.is_empty() || t.len() > 8 || !t.len().is_multiple_of(2) {
            return Err(TagError::BadText(t.chars().take(16).collect()));
        }
        let raw = u32::from_str_radix(t, 16)
            .map_err(|_| TagError::BadText(t.chars().take(16).collect()))?;
        // Leading zero bytes would silently shorten the tag.
        if Self::byte_len(raw) * 2 != t.len() {
            return Err(TagError::BadText(t.to_string()));
        }
        Tag::new(raw)
    }
}

/// Why [`Tag::read`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagReadError {
    /// The input ends inside the tag.
    Truncated,
    /// `00` as first byte.
    Bad,
    /// More continuation bytes than allowed.
    TooLong,
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$X}", self.0, width = self.len() * 2)
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({self})")
    }
}

impl std::str::FromStr for Tag {
    type Err = TagError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tag::parse_hex(s)
    }
}

impl Serialize for Tag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Tag::parse_hex(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_tags_keep_identity() {
        let aip = Tag::of(0x82);
        let amount = Tag::of(0x9F02);
        assert_ne!(aip, amount);
        assert_eq!(amount.len(), 2);
        assert_eq!(amount.class(), TagClass::ContextSpecific);
        assert!(!amount.is_constructed());
        assert!(Tag::of(0x70).is_constructed());
        assert_eq!(Tag::of(0xDF8129).to_string(), "DF8129");
        assert_eq!(Tag::of(0xDF8129).class(), TagClass::Private);
        assert_eq!(Tag::parse_hex("9f02").unwrap(), amount);
        assert!(Tag::parse_hex("009F").is_err());
        assert!(Tag::new(0x9F).is_err()); // needs a second byte
        assert!(Tag::new(0x5A01).is_err()); // single-byte tag with trailing byte
        assert!(Tag::new(0xDF81).is_err()); // continuation flag on last byte
    }

    #[test]
    fn read_limits() {
        assert_eq!(Tag::read(&[0x9F, 0x02, 0x06], 3), Ok((Tag::of(0x9F02), 2)));
        assert_eq!(
            Tag::read(&[0xDF, 0x81, 0x29], 3),
            Ok((Tag::of(0xDF8129), 3))
        );
        assert_eq!(
            Tag::read(&[0xDF, 0x81, 0x81, 0x01], 3),
            Err(TagReadError::TooLong)
        );
        assert_eq!(
            Tag::read(&[0xDF, 0x81, 0x81, 0x01], 4),
            Ok((Tag::of(0xDF818101), 4))
        );
        assert_eq!(
            Tag::read(&[0xDF, 0x81, 0x81, 0x81, 0x01], 4),
            Err(TagReadError::TooLong)
        );
        assert_eq!(Tag::read(&[0x9F], 3), Err(TagReadError::Truncated));
    }
}
