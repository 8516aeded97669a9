//! One entry point that explains any supported data element, and its inverse for bit fields.

use serde::{Deserialize, Serialize};

use super::*;
use crate::tlv::Tag;

/// One named item of an explanation: a set bit, or a decoded sub-field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedItem {
    /// Byte number (1-based) for bit flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte: Option<u8>,
    /// Bit number (8..1) for bit flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bit: Option<u8>,
    /// Machine name, e.g. `pin_not_entered` or `cryptogram_type`.
    pub flag: String,
    /// Human-readable text.
    pub text: String,
}

impl ExplainedItem {
    pub(crate) fn bit(byte: u8, bit: u8, flag: &str, text: &str) -> Self {
        ExplainedItem {
            byte: Some(byte),
            bit: Some(bit),
            flag: flag.to_string(),
            text: text.to_string(),
        }
    }

    pub(crate) fn field(flag: &str, text: impl Into<String>) -> Self {
        ExplainedItem {
            byte: None,
            bit: None,
            flag: flag.to_string(),
            text: text.into(),
        }
    }
}

/// The explanation of a data element's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The tag.
    pub tag: Tag,
    /// The element's name.
    pub name: String,
    /// The value as hex.
    pub value: String,
    /// One-line summary.
    pub summary: String,
    /// Named flags or sub-fields.
    pub items: Vec<ExplainedItem>,
}

impl Explanation {
    pub(crate) fn new(
        tag: Tag,
        name: &str,
        value: &[u8],
        summary: String,
        items: Vec<ExplainedItem>,
    ) -> Self {
        Explanation {
            tag,
            name: name.to_string(),
            value: crate::hex::encode(value),
            summary,
            items,
        }
    }
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} {} = {}", self.tag, self.name, self.value)?;
        for i in &self.items {
            match (i.byte, i.bit) {
                (Some(byte), Some(bit)) => {
                    writeln!(f, "  byte {byte} b{bit}: {} ({})", i.text, i.flag)?
                }
                _ => writeln!(f, "  {}: {}", i.flag, i.text)?,
            }
        }
        if self.items.is_empty() {
            writeln!(f, "  {}", self.summary)?;
        }
        Ok(())
    }
}

/// Why a value could not be explained or encoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ExplainError {
    /// Wrong value length for the element.
    #[error("{tag}: expected {expected} bytes, got {actual}")]
    BadLength {
        /// The tag.
        tag: Tag,
        /// Required length (minimum for variable elements).
        expected: usize,
        /// Actual length.
        actual: usize,
    },
    /// A value that the element's coding does not allow.
    #[error("{tag}: {reason}")]
    BadValue {
        /// The tag.
        tag: Tag,
        /// What is wrong.
        reason: String,
    },
    /// No decoder for this tag.
    #[error("{0}: no explanation available")]
    Unsupported(Tag),
    /// A flag name the element does not define.
    #[error("{tag}: unknown flag {flag:?}")]
    UnknownFlag {
        /// The tag.
        tag: Tag,
        /// The unknown name.
        flag: String,
    },
}

/// Explains a data element: bit fields (`95`, `9B`, `82`, `9F07`, `9F33`, `9F40`), CVM
/// List (`8E`), CVM Results (`9F34`), CID (`9F27`), Terminal Type (`9F35`), Transaction Type
/// (`9C`), UnionPay IAD (`9F10`); any other dictionary tag is decoded by its format.
pub fn explain(tag: Tag, value: &[u8]) -> Result<Explanation, ExplainError> {
    match tag.raw() {
        0x95 => Ok(Tvr::from_bytes(value)?.explain()),
        0x9B => Ok(Tsi::from_bytes(value)?.explain()),
        0x82 => Ok(Aip::from_bytes(value)?.explain()),
        0x9F07 => Ok(Auc::from_bytes(value)?.explain()),
        0x9F33 => Ok(TerminalCapabilities::from_bytes(value)?.explain()),
        0x9F40 => Ok(AdditionalTerminalCapabilities::from_bytes(value)?.explain()),
        0x8E => Ok(CvmList::from_bytes(value)?.explain()),
        0x9F34 => Ok(CvmResults::from_bytes(value)?.explain()),
        0x9F27 => Ok(Cid::from_bytes(value)?.explain()),
        0x9F35 => Ok(TerminalType::from_bytes(value)?.explain()),
        0x9C => Ok(TransactionType::from_bytes(value)?.explain()),
        0x9F10 => Ok(CupIad::from_bytes(value)?.explain()),
        _ => {
            let info = lookup(tag).ok_or(ExplainError::Unsupported(tag))?;
            if crate::tlv::is_sensitive(tag) {
                let masked = crate::tlv::mask_value_hex(tag, value);
                return Ok(Explanation {
                    tag,
                    name: info.name.to_string(),
                    value: masked.clone(),
                    summary: format!("masked: {masked}"),
                    items: Vec::new(),
                });
            }
            let decoded = decode_value(tag, value).map_err(|e| ExplainError::BadValue {
                tag,
                reason: e.to_string(),
            })?;
            let text = match &decoded {
                DecodedValue::Numeric(s)
                | DecodedValue::CompressedNumeric(s)
                | DecodedValue::Text(s)
                | DecodedValue::Date(s)
                | DecodedValue::Time(s)
                | DecodedValue::Binary(s) => s.clone(),
            };
            Ok(Explanation::new(tag, info.name, value, text, Vec::new()))
        }
    }
}

/// Builds the value of a bit-field element from flag names (the `flag` names that
/// [`explain`] reports), e.g. `encode_flags(Tvr::TAG, &["pin_not_entered"])` → `0000080000`.
pub fn encode_flags(tag: Tag, flags: &[&str]) -> Result<Vec<u8>, ExplainError> {
    fn build<B: Copy, const N: usize>(
        tag: Tag,
        flags: &[&str],
        from_name: impl Fn(&str) -> Option<B>,
        make: impl Fn(&[B]) -> [u8; N],
    ) -> Result<Vec<u8>, ExplainError> {
        let bits = flags
            .iter()
            .map(|f| {
                from_name(f).ok_or_else(|| ExplainError::UnknownFlag {
                    tag,
                    flag: f.to_string(),
                })
            })
            .collect::<Result<Vec<B>, _>>()?;
        Ok(make(&bits).to_vec())
    }
    match tag.raw() {
        0x95 => build(tag, flags, TvrBit::from_name, |b| Tvr::from_flags(b).0),
        0x9B => build(tag, flags, TsiBit::from_name, |b| Tsi::from_flags(b).0),
        0x82 => build(tag, flags, AipBit::from_name, |b| Aip::from_flags(b).0),
        0x9F07 => build(tag, flags, AucBit::from_name, |b| Auc::from_flags(b).0),
        0x9F33 => build(tag, flags, TerminalCapabilitiesBit::from_name, |b| {
            TerminalCapabilities::from_flags(b).0
        }),
        0x9F40 => build(
            tag,
            flags,
            AdditionalTerminalCapabilitiesBit::from_name,
            |b| AdditionalTerminalCapabilities::from_flags(b).0,
        ),
        _ => Err(ExplainError::Unsupported(tag)),
    }
}
