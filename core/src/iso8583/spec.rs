//! Message specifications as data.
//!
//! A [`Spec`] says, for every data element, what its characters are ([`Format`]), how long it
//! may be ([`LengthType`] + `max`), how a variable length is written ([`PrefixEncoding`],
//! [`LengthUnit`]), how the content is written ([`Encoding`], [`Align`], pad nibble) and whether
//! it has an inner structure ([`Structure`]). These axes are kept orthogonal on purpose: every
//! codec that conflated them (digits vs bytes, BCD alignment, pad nibble) collected bug reports.
//!
//! Specs serialize to and from JSON so an acquirer can add a dialect without recompiling;
//! [`Spec::from_json`] validates and names the offending field.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::error::SpecError;
use super::frame::Framing;

/// Highest data element number (tertiary bitmap).
pub const MAX_FIELD: u16 = 192;

/// The character class of a data element, as the ISO 8583 tables write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Numeric digits `0-9`.
    N,
    /// Alphabetic (treated like `an`: printable ASCII).
    A,
    /// Alphanumeric: printable ASCII.
    An,
    /// Alphanumeric and special: any byte (CUP responses carry GBK text in `ans` fields).
    Ans,
    /// Binary bytes.
    B,
    /// Track data: digits plus `=` (written as nibble `D` in BCD).
    Z,
    /// Amount with a `C`/`D` sign character followed by digits (`x+n`).
    Xn,
}

impl Format {
    /// The short name used in tables (`n`, `ans`, `x+n`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::N => "n",
            Format::A => "a",
            Format::An => "an",
            Format::Ans => "ans",
            Format::B => "b",
            Format::Z => "z",
            Format::Xn => "x+n",
        }
    }

    /// Whether values of this format are text (characters) rather than raw bytes.
    pub fn is_text(self) -> bool {
        !matches!(self, Format::B)
    }
}

/// Fixed length or the number of length-prefix digits (L … LLLL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LengthType {
    /// Exactly `max` units.
    #[serde(rename = "fixed")]
    Fixed,
    /// One-digit length prefix.
    L,
    /// Two-digit length prefix.
    LL,
    /// Three-digit length prefix.
    LLL,
    /// Four-digit length prefix.
    LLLL,
}

impl LengthType {
    /// Number of decimal digits of the prefix (0 for fixed).
    pub fn digits(self) -> u8 {
        match self {
            LengthType::Fixed => 0,
            LengthType::L => 1,
            LengthType::LL => 2,
            LengthType::LLL => 3,
            LengthType::LLLL => 4,
        }
    }
}

/// How a variable-length prefix is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrefixEncoding {
    /// Decimal ASCII digits, one byte per digit (`"19"`).
    #[default]
    Ascii,
    /// Decimal EBCDIC digits, one byte per digit.
    Ebcdic,
    /// Packed BCD, two digits per byte, right-aligned (`LLL 104` = `01 04`).
    Bcd,
    /// Unsigned big-endian binary, one byte for L/LL, two bytes for LLL/LLLL.
    Binary,
}

impl PrefixEncoding {
    /// Prefix width in bytes for a prefix of `digits` decimal digits.
    pub fn width(self, digits: u8) -> usize {
        let d = usize::from(digits);
        match self {
            PrefixEncoding::Ascii | PrefixEncoding::Ebcdic => d,
            PrefixEncoding::Bcd | PrefixEncoding::Binary => d.div_ceil(2),
        }
    }
}

/// What the length (prefix value and `max`) counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LengthUnit {
    /// Logical characters: digits for `n`/`z`, characters for `an`/`ans`, bytes for `b`.
    #[default]
    Chars,
    /// Encoded bytes on the wire (e.g. a BCD field of 19 digits counts 10).
    Bytes,
}

/// How the content of a data element is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// One ASCII byte per character.
    Ascii,
    /// One EBCDIC (code page 037) byte per character.
    Ebcdic,
    /// Packed BCD, two digits per byte; see [`Align`] and the pad nibble.
    Bcd,
    /// Raw bytes (only for `b`).
    Binary,
    /// Bytes written as upper-case ASCII hex, two characters per byte (only for `b`).
    Hex,
}

/// Where an odd number of BCD digits sits in its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Pad nibble first (`n3 "071"` → `00 71`).
    #[default]
    Right,
    /// Pad nibble last (`n3 "071"` → `07 10`, CUP F22 and every CUP LL/LLL numeric field).
    Left,
}

/// How a describe dump treats the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mask {
    /// Shown as is.
    #[default]
    None,
    /// A PAN: first 6 and last 4 digits shown.
    Pan,
    /// Track data: the PAN part masked, the rest hidden.
    Track,
    /// Hidden entirely (PIN block, keys).
    Full,
    /// BER-TLV: sensitive EMV tags hidden, the tag structure shown.
    Tlv,
}

/// One positional sub-field of a composite data element.
///
/// Positions are counted in the parent's logical units: digits of a BCD `n` field (CUP F60),
/// characters of text, bytes of `b`. Sub-fields are numbered from 1 in order; only trailing
/// sub-fields may be absent (CUP F60 comes as 11, 13, 14 or 17 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubFieldSpec {
    /// Human-readable name.
    pub name: String,
    /// Character class.
    pub format: Format,
    /// Length in the parent's units (the maximum when `rest` is set).
    pub length: u16,
    /// The last sub-field takes whatever remains, up to `length`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rest: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Inner structure of a data element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Structure {
    /// Positional sub-fields laid end to end.
    Positional {
        /// The sub-fields, numbered from 1.
        subfields: Vec<SubFieldSpec>,
    },
    /// BER-TLV (EMV ICC data). The codec keeps the bytes; TLV parsing belongs to the TLV module.
    Tlv,
}

/// The description of one data element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// Human-readable name.
    pub name: String,
    /// Character class.
    pub format: Format,
    /// Fixed or prefixed.
    pub length: LengthType,
    /// Exact length (fixed) or maximum length (variable), in [`LengthUnit::Chars`].
    pub max: u16,
    /// Prefix encoding (ignored for fixed fields).
    #[serde(default)]
    pub prefix: PrefixEncoding,
    /// What the prefix counts.
    #[serde(default)]
    pub counts: LengthUnit,
    /// Content encoding.
    pub encoding: Encoding,
    /// BCD alignment.
    #[serde(default)]
    pub align: Align,
    /// BCD pad nibble (0–15).
    #[serde(default)]
    pub pad: u8,
    /// Masking in describe output.
    #[serde(default)]
    pub mask: Mask,
    /// Optional inner structure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<Structure>,
}

impl FieldSpec {
    /// A field with the given shape; prefix ASCII counting characters, right-aligned, pad 0.
    pub fn new(
        name: &str,
        format: Format,
        length: LengthType,
        max: u16,
        encoding: Encoding,
    ) -> Self {
        FieldSpec {
            name: name.to_owned(),
            format,
            length,
            max,
            prefix: PrefixEncoding::Ascii,
            counts: LengthUnit::Chars,
            encoding,
            align: Align::Right,
            pad: 0,
            mask: Mask::None,
            structure: None,
        }
    }

    /// Sets the prefix encoding and unit.
    pub fn with_prefix(mut self, prefix: PrefixEncoding, counts: LengthUnit) -> Self {
        self.prefix = prefix;
        self.counts = counts;
        self
    }

    /// Sets the BCD alignment.
    pub fn with_align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }

    /// Sets the masking rule.
    pub fn with_mask(mut self, mask: Mask) -> Self {
        self.mask = mask;
        self
    }

    /// Sets the inner structure.
    pub fn with_structure(mut self, structure: Structure) -> Self {
        self.structure = Some(structure);
        self
    }

    /// Table notation, e.g. `n..19`, `b64`-style `b8`, `ans...999`.
    pub fn notation(&self) -> String {
        let dots = match self.length {
            LengthType::Fixed => "",
            LengthType::L => ".",
            LengthType::LL => "..",
            LengthType::LLL => "...",
            LengthType::LLLL => "....",
        };
        format!("{}{}{}", self.format.as_str(), dots, self.max)
    }

    /// Encoded size in bytes of `chars` logical units.
    pub(crate) fn wire_len(&self, chars: usize) -> usize {
        match self.encoding {
            Encoding::Bcd => match self.format {
                Format::Xn => 1 + (chars.saturating_sub(1)).div_ceil(2),
                _ => chars.div_ceil(2),
            },
            Encoding::Hex => chars * 2,
            _ => chars,
        }
    }

    fn validate(&self, field: u16) -> Result<(), SpecError> {
        let bad = |reason: &str| {
            Err(SpecError::InvalidField {
                field,
                reason: reason.to_owned(),
            })
        };
        if self.max == 0 {
            return bad("max length is 0");
        }
        let enc_ok = match self.format {
            Format::N | Format::Z | Format::Xn => {
                matches!(
                    self.encoding,
                    Encoding::Ascii | Encoding::Ebcdic | Encoding::Bcd
                )
            }
            Format::A | Format::An | Format::Ans => {
                matches!(self.encoding, Encoding::Ascii | Encoding::Ebcdic)
            }
            Format::B => matches!(self.encoding, Encoding::Binary | Encoding::Hex),
        };
        if !enc_ok {
            return bad("encoding does not suit the format");
        }
        if self.format == Format::Xn && self.max < 2 {
            return bad("x+n needs a sign and at least one digit");
        }
        if self.pad > 0x0F {
            return bad("pad must be a nibble (0-15)");
        }
        if self.encoding == Encoding::Bcd && self.format != Format::Z && self.pad <= 9 {
            // A digit pad is fine for n; for z the pad must not collide with D ('=').
        }
        if self.format == Format::Z && self.encoding == Encoding::Bcd && self.pad == 0x0D {
            return bad("pad nibble D collides with the track separator");
        }
        let digits = self.length.digits();
        if digits > 0 {
            let limit_dec = 10u64.pow(u32::from(digits)) - 1;
            let width = self.prefix.width(digits);
            let limit_bin = if self.prefix == PrefixEncoding::Binary {
                (1u64 << (8 * width)) - 1
            } else {
                limit_dec
            };
            let max_count = match self.counts {
                LengthUnit::Chars => u64::from(self.max),
                LengthUnit::Bytes => self.wire_len(usize::from(self.max)) as u64,
            };
            if max_count > limit_dec.min(limit_bin) {
                return bad("max length does not fit the length prefix");
            }
        }
        if let Some(Structure::Positional { subfields }) = &self.structure {
            if subfields.is_empty() {
                return bad("positional structure without sub-fields");
            }
            let mut total: u32 = 0;
            for (i, s) in subfields.iter().enumerate() {
                if s.length == 0 {
                    return bad("sub-field of length 0");
                }
                if s.rest && i + 1 != subfields.len() {
                    return bad("only the last sub-field may take the rest");
                }
                let compatible = match self.format {
                    Format::N => s.format == Format::N,
                    Format::Z => matches!(s.format, Format::N | Format::Z),
                    Format::B => s.format == Format::B,
                    Format::Xn => false,
                    Format::A | Format::An | Format::Ans => {
                        matches!(s.format, Format::N | Format::A | Format::An | Format::Ans)
                    }
                };
                if !compatible {
                    return bad("sub-field format does not suit the field format");
                }
                total += u32::from(s.length);
            }
            if total < u32::from(self.max) && self.length == LengthType::Fixed {
                return bad("sub-fields do not cover the fixed length");
            }
        }
        if matches!(self.structure, Some(Structure::Tlv)) && self.format != Format::B {
            return bad("BER-TLV structure needs format b");
        }
        Ok(())
    }
}

/// How the MTI is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MtiEncoding {
    /// Four ASCII digits.
    Ascii,
    /// Four EBCDIC digits.
    Ebcdic,
    /// Two bytes of BCD.
    Bcd,
}

/// How each 64-bit bitmap is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BitmapEncoding {
    /// Eight raw bytes.
    Binary,
    /// Sixteen upper-case ASCII hex characters.
    Hex,
    /// Sixteen EBCDIC hex characters.
    EbcdicHex,
}

/// A complete message specification (dialect).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SpecRepr", into = "SpecRepr")]
pub struct Spec {
    name: String,
    mti: MtiEncoding,
    bitmap: BitmapEncoding,
    tertiary: bool,
    framing: Framing,
    fields: Vec<Option<FieldSpec>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecRepr {
    name: String,
    mti: MtiEncoding,
    bitmap: BitmapEncoding,
    /// Field 65 is the tertiary bitmap (fields 129–192).
    #[serde(default)]
    tertiary: bool,
    #[serde(default)]
    framing: Framing,
    fields: BTreeMap<String, FieldSpec>,
}

impl TryFrom<SpecRepr> for Spec {
    type Error = SpecError;
    fn try_from(r: SpecRepr) -> Result<Self, SpecError> {
        let mut fields = BTreeMap::new();
        for (k, v) in r.fields {
            let n: u16 = k
                .parse()
                .map_err(|_| SpecError::BadFieldKey { key: k.clone() })?;
            fields.insert(n, v);
        }
        Spec::new(&r.name, r.mti, r.bitmap, r.tertiary, r.framing, fields)
    }
}

impl From<Spec> for SpecRepr {
    fn from(s: Spec) -> Self {
        SpecRepr {
            name: s.name,
            mti: s.mti,
            bitmap: s.bitmap,
            tertiary: s.tertiary,
            framing: s.framing,
            fields: s
                .fields
                .into_iter()
                .enumerate()
                .filter_map(|(i, f)| f.map(|f| (i.to_string(), f)))
                .collect(),
        }
    }
}

impl Spec {
    /// Builds and validates a spec. Field numbers run from 2 to 192; field 1 (and field 65 with
    /// a tertiary bitmap) is the bitmap and must not be listed.
    pub fn new(
        name: &str,
        mti: MtiEncoding,
        bitmap: BitmapEncoding,
        tertiary: bool,
        framing: Framing,
        fields: BTreeMap<u16, FieldSpec>,
    ) -> Result<Spec, SpecError> {
        let mut table: Vec<Option<FieldSpec>> = vec![None; usize::from(MAX_FIELD) + 1];
        for (n, f) in fields {
            if !(2..=MAX_FIELD).contains(&n) {
                return Err(SpecError::InvalidField {
                    field: n,
                    reason: "field numbers run from 2 to 192".into(),
                });
            }
            if tertiary && n == 65 {
                return Err(SpecError::InvalidField {
                    field: n,
                    reason: "field 65 is the tertiary bitmap".into(),
                });
            }
            if !tertiary && n > 128 {
                return Err(SpecError::InvalidField {
                    field: n,
                    reason: "fields above 128 need a tertiary bitmap".into(),
                });
            }
            f.validate(n)?;
            table[usize::from(n)] = Some(f);
        }
        framing.validate()?;
        Ok(Spec {
            name: name.to_owned(),
            mti,
            bitmap,
            tertiary,
            framing,
            fields: table,
        })
    }

    /// Loads and validates a spec from JSON.
    pub fn from_json(json: &str) -> Result<Spec, SpecError> {
        let repr: SpecRepr = serde_json::from_str(json).map_err(|e| SpecError::Json {
            line: e.line(),
            column: e.column(),
            reason: e.to_string(),
        })?;
        Spec::try_from(repr)
    }

    /// Serializes the spec as pretty JSON (the format [`Spec::from_json`] reads).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// One of the built-in specs by name: `cup-pos`, `iso87ascii`, `iso87binary`, `iso93ascii`.
    /// Built on each call (no global state); keep the result for repeated use.
    pub fn builtin(name: &str) -> Option<Spec> {
        super::builtin::get(name)
    }

    /// The names accepted by [`Spec::builtin`].
    pub fn builtin_names() -> &'static [&'static str] {
        super::builtin::NAMES
    }

    /// The spec's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// MTI encoding.
    pub fn mti_encoding(&self) -> MtiEncoding {
        self.mti
    }

    /// Bitmap encoding.
    pub fn bitmap_encoding(&self) -> BitmapEncoding {
        self.bitmap
    }

    /// Whether field 65 is a tertiary bitmap.
    pub fn has_tertiary(&self) -> bool {
        self.tertiary
    }

    /// The default framing of this dialect.
    pub fn framing(&self) -> &Framing {
        &self.framing
    }

    /// The description of field `n`, if the spec has it.
    pub fn field(&self, n: u16) -> Option<&FieldSpec> {
        self.fields.get(usize::from(n)).and_then(Option::as_ref)
    }

    /// All fields in number order.
    pub fn fields(&self) -> impl Iterator<Item = (u16, &FieldSpec)> {
        self.fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_ref().map(|f| (i as u16, f)))
    }

    /// Bytes of one encoded bitmap.
    pub(crate) fn bitmap_width(&self) -> usize {
        match self.bitmap {
            BitmapEncoding::Binary => 8,
            BitmapEncoding::Hex | BitmapEncoding::EbcdicHex => 16,
        }
    }

    /// Bytes of the encoded MTI.
    pub(crate) fn mti_width(&self) -> usize {
        match self.mti {
            MtiEncoding::Bcd => 2,
            _ => 4,
        }
    }
}
