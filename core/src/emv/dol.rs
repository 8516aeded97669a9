//! Data Object Lists (PDOL `9F38`, CDOL1 `8C`, CDOL2 `8D`, DDOL `9F49`, TDOL `97`).
//!
//! A DOL is a list of (tag, length) pairs without values: the card tells the terminal which
//! data to send, in which order and how long. Building the data applies EMV Book 3 §5.4:
//! numeric (`n`) values are right-aligned (left-padded with `00`, truncated on the left),
//! `cn` values are right-padded with `FF`, everything else right-padded with `00` and
//! truncated on the right; absent or constructed objects become zeros.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Format, lookup};
use crate::tlv::{ParseOptions, Tag, TlvError, TlvErrorKind, parse_length};

/// Errors in a DOL: byte offset, tag path and kind, as for TLV.
pub type DolError = TlvError;

/// One DOL entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DolEntry {
    /// The requested tag.
    pub tag: Tag,
    /// The requested length in bytes.
    pub length: usize,
}

/// Parses a DOL into its entries. A tag without its length byte is an error.
pub fn parse_dol(dol: &[u8]) -> Result<Vec<DolEntry>, DolError> {
    let options = ParseOptions::emv();
    let mut out = Vec::with_capacity(dol.len() / 2);
    let mut pos = 0;
    while pos < dol.len() {
        let (tag, tag_len) = Tag::read(&dol[pos..], options.max_tag_len as usize).map_err(|e| {
            let kind = match e {
                crate::tlv::TagReadError::Truncated => TlvErrorKind::Truncated,
                crate::tlv::TagReadError::Bad => TlvErrorKind::BadTag,
                crate::tlv::TagReadError::TooLong => TlvErrorKind::TagTooLong {
                    max: options.max_tag_len,
                },
            };
            TlvError::new(pos, String::new(), kind)
        })?;
        let at = pos + tag_len;
        let (length, len_len) = parse_length(&dol[at..], &options)
            .map_err(|kind| TlvError::new(at, tag.to_string(), kind))?;
        out.push(DolEntry { tag, length });
        pos = at + len_len;
    }
    Ok(out)
}

/// Something that can provide tag values (terminal data, card data, a parsed record…).
pub trait TagSource {
    /// The value of `tag`, if known.
    fn value(&self, tag: Tag) -> Option<&[u8]>;
}

impl<T: TagSource + ?Sized> TagSource for &T {
    fn value(&self, tag: Tag) -> Option<&[u8]> {
        (**self).value(tag)
    }
}

impl TagSource for BTreeMap<Tag, Vec<u8>> {
    fn value(&self, tag: Tag) -> Option<&[u8]> {
        self.get(&tag).map(Vec::as_slice)
    }
}

impl TagSource for crate::tlv::TlvTree<'_> {
    /// The first primitive object with `tag`, at any depth.
    fn value(&self, tag: Tag) -> Option<&[u8]> {
        self.iter()
            .find(|n| n.tag() == tag && !tag.is_constructed())
            .map(|n| n.value())
    }
}

/// A simple owned tag → value map (plain data for bindings; JSON `{"9F02": "000000000100"}`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TagValues(pub BTreeMap<Tag, Vec<u8>>);

impl Serialize for TagValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .map(|(t, v)| (t.to_string(), crate::hex::encode(v))),
        )
    }
}

impl<'de> Deserialize<'de> for TagValues {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, String>::deserialize(d)?;
        let mut map = BTreeMap::new();
        for (t, v) in raw {
            let tag = Tag::parse_hex(&t).map_err(serde::de::Error::custom)?;
            let value = crate::hex::decode(&v)
                .map_err(|e| serde::de::Error::custom(format!("{t}: {e}")))?;
            map.insert(tag, value);
        }
        Ok(TagValues(map))
    }
}

impl std::fmt::Debug for TagValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.0
                    .iter()
                    .map(|(t, v)| (t, crate::tlv::mask_value_hex(*t, v))),
            )
            .finish()
    }
}

impl TagValues {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a value (replacing an earlier one).
    pub fn insert(&mut self, tag: Tag, value: impl Into<Vec<u8>>) -> &mut Self {
        self.0.insert(tag, value.into());
        self
    }

    /// Collects every primitive object of a TLV string (the first occurrence wins).
    pub fn from_tlv(bytes: &[u8], options: ParseOptions) -> Result<Self, TlvError> {
        let tree = crate::tlv::parse_tree(bytes, options)?;
        let mut map = BTreeMap::new();
        for n in tree.iter().filter(|n| !n.tag().is_constructed()) {
            map.entry(n.tag()).or_insert_with(|| n.value().to_vec());
        }
        Ok(TagValues(map))
    }

    /// Parses pairs of hex text, e.g. `[("9F02", "000000000100")]`.
    pub fn from_hex_pairs(pairs: &[(&str, &str)]) -> Result<Self, String> {
        let mut map = BTreeMap::new();
        for (t, v) in pairs {
            let tag = Tag::parse_hex(t).map_err(|e| e.to_string())?;
            let value = crate::hex::decode(v).map_err(|e| format!("{t}: {e}"))?;
            map.insert(tag, value);
        }
        Ok(TagValues(map))
    }
}

impl TagSource for TagValues {
    fn value(&self, tag: Tag) -> Option<&[u8]> {
        self.0.value(tag)
    }
}

/// Builds the concatenated DOL data. `sources` are in priority order: the first source that
/// has a tag wins. The output length is exactly the sum of the entry lengths.
pub fn build_dol_data(entries: &[DolEntry], sources: &[&dyn TagSource]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.length).sum());
    for e in entries {
        let n = e.length;
        if n == 0 {
            continue;
        }
        let value = if e.tag.is_constructed() {
            None
        } else {
            sources.iter().find_map(|s| s.value(e.tag))
        };
        let Some(v) = value else {
            out.resize(out.len() + n, 0x00);
            continue;
        };
        let format = lookup(e.tag).map_or(Format::B, |i| i.format);
        if format.is_numeric() {
            if v.len() >= n {
                out.extend_from_slice(&v[v.len() - n..]);
            } else {
                out.resize(out.len() + (n - v.len()), 0x00);
                out.extend_from_slice(v);
            }
        } else {
            let take = v.len().min(n);
            out.extend_from_slice(&v[..take]);
            let pad = if format == Format::Cn { 0xFF } else { 0x00 };
            out.resize(out.len() + (n - take), pad);
        }
    }
    out
}

/// Parses `dol` and builds its data from `sources` (see [`build_dol_data`]).
pub fn build_dol(dol: &[u8], sources: &[&dyn TagSource]) -> Result<Vec<u8>, DolError> {
    Ok(build_dol_data(&parse_dol(dol)?, sources))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::decode;

    fn sources() -> (TagValues, TagValues) {
        let s1 = TagValues::from_hex_pairs(&[
            ("9C", "09"),
            ("9A", "240217"),
            ("5F2A", "0978"),
            ("9F02", "000123456789"),
            ("9F03", "000987654321"),
            ("9F37", "DEADBEEF"),
            ("5A", "541333008902001F"),
            ("9F20", "12345F"),
        ])
        .unwrap();
        let s2 = TagValues::from_hex_pairs(&[
            ("9F1A", "0528"),
            ("9F37", "DEADCAFE"),
            ("95", "1234554321"),
            ("9F20", "123F"),
            ("9F19", "654321012345"),
        ])
        .unwrap();
        (s1, s2)
    }

    #[test]
    fn reference_vector_exact_lengths() {
        let (s1, s2) = sources();
        let dol = decode("9F02069F03069F1A0295055F2A029A039C019F3704").unwrap();
        let data = build_dol(&dol, &[&s1, &s2]).unwrap();
        assert_eq!(
            crate::hex::encode(&data),
            "00012345678900098765432105281234554321097824021709DEADBEEF"
        );
    }

    #[test]
    fn tag_values_json_is_hex() {
        let (s1, _) = sources();
        let json = serde_json::to_string(&s1).unwrap();
        assert!(json.contains("\"9F02\":\"000123456789\""), "{json}");
        assert_eq!(serde_json::from_str::<TagValues>(&json).unwrap(), s1);
        // Debug masks the PAN.
        assert!(!format!("{s1:?}").contains("8902001"));
    }

    #[test]
    fn reference_invalid_dols() {
        let e = parse_dol(&decode("9F02069F03069F1A0295").unwrap()).unwrap_err();
        assert_eq!((e.offset, e.kind), (10, TlvErrorKind::Truncated));
        assert_eq!(e.path, "95");
        let e =
            parse_dol(&decode("9F02069F03069F1A0295055F2A029A039C019F37").unwrap()).unwrap_err();
        assert_eq!(e.kind, TlvErrorKind::Truncated);
        let e = parse_dol(&decode("9F").unwrap()).unwrap_err();
        assert_eq!((e.offset, e.kind), (0, TlvErrorKind::Truncated));
    }

    #[test]
    fn padding_and_truncation_rules() {
        let (s1, s2) = sources();
        let b =
            |dol: &str| crate::hex::encode(&build_dol(&decode(dol).unwrap(), &[&s1, &s2]).unwrap());
        // n: shorter → left pad; longer → keep rightmost.
        assert_eq!(b("9F0208"), "0000000123456789");
        assert_eq!(b("9F0204"), "23456789");
        // n 11 (9F19) from the dictionary: left pad.
        assert_eq!(b("9F1908"), "0000654321012345");
        // cn: right pad with FF, truncate right.
        assert_eq!(b("5A0A"), "541333008902001FFFFF");
        assert_eq!(b("5A04"), "54133300");
        assert_eq!(b("9F2004"), "12345FFF");
        // b: right pad with 00, truncate right.
        assert_eq!(b("9506"), "123455432100");
        assert_eq!(b("9503"), "123455");
        // absent, constructed, zero length.
        assert_eq!(b("9F3502"), "0000");
        assert_eq!(b("7003"), "000000");
        assert_eq!(b("9F0200"), "");
        assert_eq!(b("9F02009C01"), "09");
    }
}
