//! BER-TLV as EMV uses it: raw tags, definite lengths, constructed templates and padding.
//!
//! Chip cards, contactless kernels and ISO 8583 field 55 all speak ISO/IEC 8825-1 BER-TLV with
//! EMV's restrictions (EMV 4.x Book 3 Annex B). This module reads it without copying
//! ([`TlvIter`], [`TlvTree`]) so that MACs and signatures can be checked over the *original*
//! bytes of every object, and writes it with minimal lengths ([`TlvBuilder`], [`encode_tlv`]).
//!
//! Everything is bounded: nesting depth is an explicit limit enforced with an explicit stack
//! (no recursion on input), and an announced length is checked against the bytes actually
//! present before anything is sliced or allocated, so a 2 GB length or a 100 000-deep
//! nesting is a fast, clean [`TlvError`].

mod builder;
mod error;
mod iter;
mod object;
mod options;
mod redact;
mod tag;
mod tree;

pub use builder::{TlvBuilder, encode_length, encode_tlv};
pub use error::{TlvError, TlvErrorKind};
pub use iter::{Tlv, TlvIter, parse_length};
pub use object::{TlvObject, encode_objects};
pub use options::{Mode, ParseOptions};
pub use redact::{SENSITIVE_TAGS, is_sensitive, mask_value_hex, redact_tlv};
pub use tag::{Tag, TagClass, TagError, TagReadError};
pub use tree::{Node, TlvTree, parse_tree};

/// Serde helper: `Vec<u8>` as upper-case hex text (what people read in logs and JSON).
pub(crate) mod hex_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialises bytes as upper-case hex.
    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::hex::encode(bytes))
    }

    /// Deserialises hex text (either case) into bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        crate::hex::decode(&s).map_err(serde::de::Error::custom)
    }
}
