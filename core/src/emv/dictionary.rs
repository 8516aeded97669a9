//! The EMV tag dictionary and decoding of values by their EMV format.

use serde::{Deserialize, Serialize};

use crate::tlv::Tag;

/// EMV data element formats (EMV 4.4 Book 3 §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// `a`: alphabetic.
    A,
    /// `an`: alphanumeric.
    An,
    /// `ans`: alphanumeric and special characters.
    Ans,
    /// `b`: binary.
    B,
    /// `cn`: compressed numeric, BCD left-justified and padded with trailing `F`.
    Cn,
    /// `n`: numeric, BCD right-justified with leading zeros.
    N,
    /// `n 6` as YYMMDD (dates such as `9A`, `5F24`).
    Date,
    /// `n 6` as HHMMSS (`9F21`).
    Time,
    /// Variable or template content.
    Var,
}

impl Format {
    /// Numeric formats follow the `n` padding rules in DOLs (left-pad, keep rightmost).
    pub fn is_numeric(self) -> bool {
        matches!(self, Format::N | Format::Date | Format::Time)
    }
}

/// Who provides a data element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// The card.
    Icc,
    /// The terminal.
    Terminal,
    /// The issuer (host response).
    Issuer,
    /// Card or terminal depending on the template.
    IccOrTerminal,
    /// Issuer or terminal (e.g. `8A`).
    IssuerOrTerminal,
}

/// One dictionary row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TagInfo {
    /// The tag.
    pub tag: Tag,
    /// Name from EMV Book 3 (or the UnionPay/PBOC specification).
    pub name: &'static str,
    /// Templates the element appears in (empty: template-free or not specified).
    pub templates: &'static [Tag],
    /// Length as printed in the specification, e.g. `"5-16"`, `"var."`.
    pub length: &'static str,
    /// Minimum length in bytes.
    pub min_len: u16,
    /// Maximum length in bytes, when fixed by the specification.
    pub max_len: Option<u16>,
    /// Value format.
    pub format: Format,
    /// Format as printed in the specification, e.g. `"n 12"`.
    pub format_text: &'static str,
    /// Who provides it.
    pub source: Source,
}

/// All dictionary rows (EMV 4.4 Book 3 Annex A, then UnionPay/PBOC).
pub fn tags() -> &'static [TagInfo] {
    super::tags_data::TAGS
}

/// Looks a tag up; for tags with template-dependent meanings (`81`, `82`, `90`, `9F2D`,
/// `DF5x`) the template-free/first row is returned. Use [`lookup_in`] when the parent is known.
pub fn lookup(tag: Tag) -> Option<&'static TagInfo> {
    lookup_in(tag, None)
}

/// Looks a tag up in the context of its parent template.
pub fn lookup_in(tag: Tag, parent: Option<Tag>) -> Option<&'static TagInfo> {
    let mut rows = tags().iter().filter(|r| r.tag == tag);
    let first = rows.next()?;
    let mut fallback = first;
    for row in std::iter::once(first).chain(rows) {
        if let Some(p) = parent
            && row.templates.contains(&p)
        {
            return Some(row);
        }
        if row.templates.is_empty() && !fallback.templates.is_empty() {
            fallback = row;
        }
    }
    Some(fallback)
}

/// A value decoded according to its format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", content = "value", rename_all = "snake_case")]
pub enum DecodedValue {
    /// `n`: the digits, leading zeros kept (`"000000000100"`).
    Numeric(String),
    /// `cn`: the digits without `F` padding.
    CompressedNumeric(String),
    /// `a`/`an`/`ans`: the text.
    Text(String),
    /// `n 6` YYMMDD as ISO `YYYY-MM-DD` (years 50–99 are 19xx, EMV Book 4 §6.7.3).
    Date(String),
    /// `n 6` HHMMSS as `HH:MM:SS`.
    Time(String),
    /// Binary or unknown: upper-case hex.
    Binary(String),
}

/// Why a value does not match its format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ValueError {
    /// Length outside the dictionary's limits.
    #[error("length {actual} outside {min}..={max}", max = max.map_or("var".to_string(), |m| m.to_string()))]
    BadLength {
        /// Minimum.
        min: u16,
        /// Maximum, if fixed.
        max: Option<u16>,
        /// Actual length in bytes.
        actual: usize,
    },
    /// A byte that is not allowed by the format.
    #[error("byte {index} ({byte:02X}) not allowed in format {format:?}")]
    BadByte {
        /// Format.
        format: Format,
        /// Index of the byte in the value.
        index: usize,
        /// The byte.
        byte: u8,
    },
    /// A date or time that does not exist.
    #[error("invalid {0}")]
    BadDate(String),
}

/// Decodes `value` according to the dictionary format of `tag` (binary when unknown).
pub fn decode_value(tag: Tag, value: &[u8]) -> Result<DecodedValue, ValueError> {
    let Some(info) = lookup(tag) else {
        return Ok(DecodedValue::Binary(crate::hex::encode(value)));
    };
    let too_long = info.max_len.is_some_and(|m| value.len() > m as usize);
    if value.len() < info.min_len as usize || too_long {
        return Err(ValueError::BadLength {
            min: info.min_len,
            max: info.max_len,
            actual: value.len(),
        });
    }
    decode_format(info.format, value)
}

/// Decodes `value` as `format`.
pub fn decode_format(format: Format, value: &[u8]) -> Result<DecodedValue, ValueError> {
    match format {
        Format::N => bcd_digits(value, format).map(DecodedValue::Numeric),
        Format::Cn => {
            let hex = crate::hex::encode(value);
            let digits = hex.trim_end_matches('F');
            if let Some(i) = digits.find(|c: char| !c.is_ascii_digit()) {
                return Err(ValueError::BadByte {
                    format,
                    index: i / 2,
                    byte: value[i / 2],
                });
            }
            Ok(DecodedValue::CompressedNumeric(digits.to_string()))
        }
        Format::A | Format::An | Format::Ans => {
            let ok = |b: u8| match format {
                Format::A => b.is_ascii_alphabetic(),
                Format::An => b.is_ascii_alphanumeric() || b == b' ',
                _ => (0x20..=0x7E).contains(&b),
            };
            if let Some(i) = value.iter().position(|&b| !ok(b)) {
                return Err(ValueError::BadByte {
                    format,
                    index: i,
                    byte: value[i],
                });
            }
            Ok(DecodedValue::Text(
                value.iter().map(|&b| b as char).collect(),
            ))
        }
        Format::Date | Format::Time => {
            let d = bcd_digits(value, format)?;
            if d.len() != 6 {
                return Err(ValueError::BadDate(d));
            }
            let n = |i: usize| d[i..i + 2].parse::<u32>().unwrap_or(99);
            if format == Format::Date {
                let (yy, mm, dd) = (n(0), n(2), n(4));
                let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
                if chrono::NaiveDate::from_ymd_opt(year as i32, mm, dd).is_none() {
                    return Err(ValueError::BadDate(format!("date {d}")));
                }
                Ok(DecodedValue::Date(format!("{year:04}-{mm:02}-{dd:02}")))
            } else {
                if n(0) > 23 || n(2) > 59 || n(4) > 59 {
                    return Err(ValueError::BadDate(format!("time {d}")));
                }
                Ok(DecodedValue::Time(format!(
                    "{}:{}:{}",
                    &d[0..2],
                    &d[2..4],
                    &d[4..6]
                )))
            }
        }
        Format::B | Format::Var => Ok(DecodedValue::Binary(crate::hex::encode(value))),
    }
}

fn bcd_digits(value: &[u8], format: Format) -> Result<String, ValueError> {
    let mut s = String::with_capacity(value.len() * 2);
    for (index, &byte) in value.iter().enumerate() {
        if byte >> 4 > 9 || byte & 0x0F > 9 {
            return Err(ValueError::BadByte {
                format,
                index,
                byte,
            });
        }
        s.push((b'0' + (byte >> 4)) as char);
        s.push((b'0' + (byte & 0x0F)) as char);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_rows() {
        let amount = lookup(Tag::of(0x9F02)).unwrap();
        assert_eq!(amount.format, Format::N);
        assert_eq!((amount.min_len, amount.max_len), (6, Some(6)));
        assert_eq!(amount.source, Source::Terminal);
        assert_eq!(lookup(Tag::of(0x5A)).unwrap().format, Format::Cn);
        assert_eq!(lookup(Tag::of(0x9A)).unwrap().format, Format::Date);
        assert_eq!(lookup(Tag::of(0x9F21)).unwrap().format, Format::Time);
        assert_eq!(lookup(Tag::of(0x9F19)).unwrap().format, Format::N);
        assert_eq!(lookup(Tag::of(0x50)).unwrap().format, Format::Ans);
        assert!(
            lookup(Tag::of(0x9F63))
                .unwrap()
                .name
                .contains("Card Product")
        );
        assert!(lookup(Tag::of(0xDF31)).is_some());
        assert!(lookup(Tag::of(0x9F74)).is_some());
        assert!(lookup(Tag::of(0x9F79)).is_some());
        // Template-dependent meanings.
        assert!(lookup(Tag::of(0x82)).unwrap().name.contains("Interchange"));
        assert!(
            lookup_in(Tag::of(0x82), Some(Tag::of(0xA1)))
                .unwrap()
                .name
                .contains("Biometric")
        );
        assert!(lookup(Tag::of(0x9F7F)).is_none());
        assert_eq!(tags().len(), 152 + 44);
    }

    #[test]
    fn decodes_by_format() {
        let v = |t: u32, h: &str| decode_value(Tag::of(t), &crate::hex::decode(h).unwrap());
        assert_eq!(
            v(0x9F02, "000000000100"),
            Ok(DecodedValue::Numeric("000000000100".into()))
        );
        assert_eq!(
            v(0x5A, "541333008902001F"),
            Ok(DecodedValue::CompressedNumeric("541333008902001".into()))
        );
        assert_eq!(
            v(0x9A, "240217"),
            Ok(DecodedValue::Date("2024-02-17".into()))
        );
        assert_eq!(
            v(0x5F24, "991231"),
            Ok(DecodedValue::Date("1999-12-31".into()))
        );
        assert!(matches!(v(0x9A, "240231"), Err(ValueError::BadDate(_))));
        assert_eq!(
            v(0x9F21, "235959"),
            Ok(DecodedValue::Time("23:59:59".into()))
        );
        assert_eq!(v(0x8A, "3030"), Ok(DecodedValue::Text("00".into())));
        assert_eq!(
            v(0x9F1E, "3132333435363738"),
            Ok(DecodedValue::Text("12345678".into()))
        );
        assert_eq!(
            v(0x95, "0000080000"),
            Ok(DecodedValue::Binary("0000080000".into()))
        );
        assert!(matches!(
            v(0x9F02, "0000000001"),
            Err(ValueError::BadLength { actual: 5, .. })
        ));
        assert!(matches!(
            v(0x9F02, "00000000010A"),
            Err(ValueError::BadByte { index: 5, .. })
        ));
        assert!(matches!(v(0x5A, "54F3"), Err(ValueError::BadByte { .. })));
    }
}
