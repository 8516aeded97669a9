//! A small, spec-as-data ISO 8583 codec for the fields the lifecycle uses, in the China UnionPay
//! POS encoding (`../shared/reference/iso8583-cup-pos.md` §4.3–4.4): BCD numerics (F22
//! left-aligned), ASCII `an`/`ans`, raw `b`, BCD length prefixes counting digits for `n` and
//! bytes otherwise, primary bitmap only.
//!
//! The frame starts at the MTI: the 2-byte length, TPDU and CUP header are the transport's
//! business. The MAC block (MAB) is every byte before F64, as in all public CUP samples.
//!
//! This is the lifecycle's own narrow codec so that the state machines are testable on real
//! bytes; the workspace's general `iso8583` codec is a drop-in replacement for it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How a field's content is represented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `n`: decimal digits packed as BCD.
    Numeric { left_aligned: bool },
    /// `an`/`ans`: printable ASCII.
    Ascii,
    /// `b`: raw bytes.
    Binary,
}

/// How a field's length is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Len {
    Fixed(usize),
    /// One BCD length byte (max 99).
    LlVar(usize),
    /// Two BCD length bytes (max 999).
    LllVar(usize),
}

const fn n(len: usize) -> Option<(Kind, Len)> {
    Some((
        Kind::Numeric {
            left_aligned: false,
        },
        Len::Fixed(len),
    ))
}
const fn an(len: usize) -> Option<(Kind, Len)> {
    Some((Kind::Ascii, Len::Fixed(len)))
}

/// The field table. `None` = not used by the lifecycle (rejected on decode, because its length
/// rule is unknown here and skipping it would misalign everything after it).
const SPEC: [Option<(Kind, Len)>; 65] = {
    let mut s: [Option<(Kind, Len)>; 65] = [None; 65];
    s[2] = Some((Kind::Numeric { left_aligned: true }, Len::LlVar(19)));
    s[3] = n(6);
    s[4] = n(12);
    s[11] = n(6);
    s[12] = n(6);
    s[13] = n(4);
    s[14] = n(4);
    s[15] = n(4);
    s[22] = Some((Kind::Numeric { left_aligned: true }, Len::Fixed(3)));
    s[23] = n(3);
    s[25] = n(2);
    s[26] = n(2);
    s[32] = Some((Kind::Numeric { left_aligned: true }, Len::LlVar(11)));
    s[37] = an(12);
    s[38] = an(6);
    s[39] = an(2);
    s[41] = an(8);
    s[42] = an(15);
    s[44] = Some((Kind::Ascii, Len::LlVar(25)));
    s[48] = Some((Kind::Numeric { left_aligned: true }, Len::LllVar(322)));
    s[49] = an(3);
    s[52] = Some((Kind::Binary, Len::Fixed(8)));
    s[53] = n(16);
    s[54] = Some((Kind::Ascii, Len::LllVar(20)));
    s[55] = Some((Kind::Binary, Len::LllVar(255)));
    s[60] = Some((Kind::Numeric { left_aligned: true }, Len::LllVar(17)));
    s[61] = Some((Kind::Numeric { left_aligned: true }, Len::LllVar(29)));
    s[62] = Some((Kind::Binary, Len::LllVar(512)));
    s[63] = Some((Kind::Ascii, Len::LllVar(163)));
    s[64] = Some((Kind::Binary, Len::Fixed(8)));
    s
};

/// What went wrong while decoding or encoding, and where.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum WireError {
    /// The input ended inside the MTI, bitmap or a field.
    #[error("field {field}: truncated at byte {offset} (needed {needed} more bytes)")]
    Truncated {
        /// 0 = MTI, 1 = bitmap, else the field number.
        field: u8,
        /// Byte offset where the missing bytes should start.
        offset: usize,
        /// How many were missing.
        needed: usize,
    },
    /// A BCD nibble above 9 or a non-zero pad nibble.
    #[error("field {field}: invalid BCD at byte {offset}")]
    BadBcd {
        /// Field number (0 = MTI).
        field: u8,
        /// Byte offset of the bad byte.
        offset: usize,
    },
    /// A length prefix larger than the field's maximum.
    #[error("field {field}: length {len} exceeds maximum {max} at byte {offset}")]
    TooLong {
        /// Field number.
        field: u8,
        /// Byte offset of the prefix.
        offset: usize,
        /// Declared length.
        len: usize,
        /// Maximum allowed.
        max: usize,
    },
    /// A non-printable byte in an ASCII field.
    #[error("field {field}: non-printable byte at {offset}")]
    BadAscii {
        /// Field number.
        field: u8,
        /// Byte offset.
        offset: usize,
    },
    /// The bitmap announces a field this codec does not know (or a secondary bitmap).
    #[error("field {field}: not supported by the lifecycle codec (bitmap at byte 2)")]
    UnsupportedField {
        /// Field number.
        field: u8,
    },
    /// Bytes left after the last field.
    #[error("{extra} trailing bytes after the last field at byte {offset}")]
    Trailing {
        /// Offset of the first extra byte.
        offset: usize,
        /// How many.
        extra: usize,
    },
    /// Encoding: a value that does not fit its field (wrong length or characters).
    #[error("field {field}: value does not fit the field format")]
    BadValue {
        /// Field number.
        field: u8,
    },
}

/// A decoded message: MTI and up to 64 fields, each stored in its natural form (ASCII digits for
/// `n`, the characters for `an`, raw bytes for `b`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Message type indicator as a decimal number (`200` for 0200).
    pub mti: u16,
    fields: Vec<(u8, Vec<u8>)>,
}

impl Message {
    /// An empty message of this type.
    pub fn new(mti: u16) -> Self {
        Message {
            mti,
            fields: Vec::with_capacity(16),
        }
    }

    /// Sets a field (replacing it). Values are checked on [`Message::encode`].
    pub fn set(&mut self, field: u8, value: impl Into<Vec<u8>>) -> &mut Self {
        let value = value.into();
        match self.fields.binary_search_by_key(&field, |(f, _)| *f) {
            Ok(i) => self.fields[i].1 = value,
            Err(i) => self.fields.insert(i, (field, value)),
        }
        self
    }

    /// Sets a fixed-length numeric field from a number, zero-padded to the field's length.
    pub fn set_num(&mut self, field: u8, value: u64) -> &mut Self {
        let width = match SPEC.get(usize::from(field)).copied().flatten() {
            Some((_, Len::Fixed(w))) => w,
            _ => 0,
        };
        let s = format!("{value:0width$}");
        self.set(field, s)
    }

    /// Removes a field.
    pub fn remove(&mut self, field: u8) {
        self.fields.retain(|(f, _)| *f != field);
    }

    /// The raw content of a field.
    pub fn get(&self, field: u8) -> Option<&[u8]> {
        self.fields
            .binary_search_by_key(&field, |(f, _)| *f)
            .ok()
            .map(|i| self.fields[i].1.as_slice())
    }

    /// A field as text (ASCII digits or characters); `None` if absent.
    pub fn text(&self, field: u8) -> Option<&str> {
        self.get(field).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// A numeric field as a number; `None` if absent or too long.
    pub fn num(&self, field: u8) -> Option<u64> {
        let t = self.text(field)?;
        if t.is_empty() || t.len() > 18 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    }

    /// Whether a field is present.
    pub fn has(&self, field: u8) -> bool {
        self.get(field).is_some()
    }

    /// Encodes MTI, bitmap and fields. F64, if set, is written last as given; use
    /// [`Message::mab`] to compute it.
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        let mut out = Vec::with_capacity(128);
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// The MAC block: the encoding up to (excluding) F64, with bit 64 set in the bitmap.
    pub fn mab(&self) -> Result<Vec<u8>, WireError> {
        let mut m = self.clone();
        m.set(64, [0u8; 8]);
        let mut bytes = m.encode()?;
        bytes.truncate(bytes.len() - 8);
        Ok(bytes)
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), WireError> {
        if self.mti > 9999 {
            return Err(WireError::BadValue { field: 0 });
        }
        push_bcd(out, format!("{:04}", self.mti).as_bytes(), false);
        let mut bitmap = [0u8; 8];
        for (f, _) in &self.fields {
            if *f < 2 || *f > 64 {
                return Err(WireError::BadValue { field: *f });
            }
            bitmap[usize::from(*f - 1) / 8] |= 0x80 >> ((*f - 1) % 8);
        }
        out.extend_from_slice(&bitmap);
        for (f, v) in &self.fields {
            let (kind, len) = SPEC[usize::from(*f)].ok_or(WireError::BadValue { field: *f })?;
            encode_field(out, *f, kind, len, v)?;
        }
        Ok(())
    }

    /// Decodes a frame that starts at the MTI. Never panics; bounded allocation (≤ input size).
    pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
        let mut r = Reader { bytes, pos: 0 };
        let mti_b = r.take(0, 2)?;
        let mti_d = unpack_bcd(mti_b, 4, false, 0, 0)?;
        let mti = mti_d.iter().fold(0u16, |a, d| a * 10 + u16::from(d - b'0'));
        let bitmap = r.take(1, 8)?;
        if bitmap[0] & 0x80 != 0 {
            return Err(WireError::UnsupportedField { field: 1 });
        }
        let mut msg = Message::new(mti);
        for f in 2u8..=64 {
            if bitmap[usize::from(f - 1) / 8] & (0x80 >> ((f - 1) % 8)) == 0 {
                continue;
            }
            let (kind, len) =
                SPEC[usize::from(f)].ok_or(WireError::UnsupportedField { field: f })?;
            let v = decode_field(&mut r, f, kind, len)?;
            msg.fields.push((f, v));
        }
        if r.pos != bytes.len() {
            return Err(WireError::Trailing {
                offset: r.pos,
                extra: bytes.len() - r.pos,
            });
        }
        Ok(msg)
    }
}

/// Fields whose content is never shown: PAN (masked), tracks, PIN, EMV data, keys, MAC.
impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        m.entry(&"mti", &format_args!("{:04}", self.mti));
        for (field, v) in &self.fields {
            match field {
                2 => {
                    let t = String::from_utf8_lossy(v);
                    let masked = if t.len() >= 10 {
                        format!(
                            "{}{}{}",
                            &t[..6],
                            "*".repeat(t.len() - 10),
                            &t[t.len() - 4..]
                        )
                    } else {
                        "*".repeat(t.len())
                    };
                    m.entry(field, &masked)
                }
                35 | 36 | 52 | 55 | 62 | 64 => m.entry(field, &format_args!("<{} bytes>", v.len())),
                _ => m.entry(field, &String::from_utf8_lossy(v)),
            };
        }
        m.finish()
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, field: u8, n: usize) -> Result<&'a [u8], WireError> {
        let rest = self.bytes.len() - self.pos;
        if rest < n {
            return Err(WireError::Truncated {
                field,
                offset: self.pos,
                needed: n - rest,
            });
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
}

fn push_bcd(out: &mut Vec<u8>, digits: &[u8], left_aligned: bool) {
    let mut rest = digits;
    if digits.len() % 2 == 1 && !left_aligned {
        out.push(digits[0] - b'0');
        rest = &digits[1..];
    }
    let mut pairs = rest.chunks_exact(2);
    for p in &mut pairs {
        out.push(((p[0] - b'0') << 4) | (p[1] - b'0'));
    }
    if let [last] = pairs.remainder() {
        out.push((last - b'0') << 4);
    }
}

/// Unpacks `digits` BCD digits from `b` (which holds `digits.div_ceil(2)` bytes).
fn unpack_bcd(
    b: &[u8],
    digits: usize,
    left_aligned: bool,
    field: u8,
    base: usize,
) -> Result<Vec<u8>, WireError> {
    let mut out = Vec::with_capacity(digits);
    let skip_first = digits % 2 == 1 && !left_aligned;
    for (i, byte) in b.iter().enumerate() {
        for (j, nib) in [byte >> 4, byte & 0x0f].into_iter().enumerate() {
            let idx = i * 2 + j;
            let is_pad = (skip_first && idx == 0) || (!skip_first && idx >= digits);
            if is_pad {
                if nib != 0 {
                    return Err(WireError::BadBcd {
                        field,
                        offset: base + i,
                    });
                }
                continue;
            }
            if nib > 9 {
                return Err(WireError::BadBcd {
                    field,
                    offset: base + i,
                });
            }
            out.push(b'0' + nib);
        }
    }
    Ok(out)
}

fn encode_field(out: &mut Vec<u8>, f: u8, kind: Kind, len: Len, v: &[u8]) -> Result<(), WireError> {
    let bad = WireError::BadValue { field: f };
    match kind {
        Kind::Numeric { .. } if !v.iter().all(u8::is_ascii_digit) => return Err(bad),
        Kind::Ascii if !v.iter().all(|b| (0x20..0x7f).contains(b)) => return Err(bad),
        _ => {}
    }
    match len {
        Len::Fixed(n) if v.len() != n => return Err(bad),
        Len::LlVar(max) | Len::LllVar(max) if v.len() > max => return Err(bad),
        Len::Fixed(_) => {}
        Len::LlVar(_) => push_bcd(out, format!("{:02}", v.len()).as_bytes(), false),
        Len::LllVar(_) => push_bcd(out, format!("{:04}", v.len()).as_bytes(), false),
    }
    match kind {
        Kind::Numeric { left_aligned } => {
            let left = left_aligned || !matches!(len, Len::Fixed(_));
            push_bcd(out, v, left)
        }
        Kind::Ascii | Kind::Binary => out.extend_from_slice(v),
    }
    Ok(())
}

fn decode_field(r: &mut Reader<'_>, f: u8, kind: Kind, len: Len) -> Result<Vec<u8>, WireError> {
    let prefix_at = r.pos;
    let (count, max) = match len {
        Len::Fixed(n) => (n, n),
        Len::LlVar(max) => (bcd_len(r.take(f, 1)?, f, prefix_at)?, max),
        Len::LllVar(max) => (bcd_len(r.take(f, 2)?, f, prefix_at)?, max),
    };
    if count > max {
        return Err(WireError::TooLong {
            field: f,
            offset: prefix_at,
            len: count,
            max,
        });
    }
    let at = r.pos;
    match kind {
        Kind::Numeric { left_aligned } => {
            let b = r.take(f, count.div_ceil(2))?;
            let left = left_aligned || !matches!(len, Len::Fixed(_));
            unpack_bcd(b, count, left, f, at)
        }
        Kind::Ascii => {
            let b = r.take(f, count)?;
            if let Some(i) = b.iter().position(|c| !(0x20..0x7f).contains(c)) {
                return Err(WireError::BadAscii {
                    field: f,
                    offset: at + i,
                });
            }
            Ok(b.to_vec())
        }
        Kind::Binary => Ok(r.take(f, count)?.to_vec()),
    }
}

fn bcd_len(b: &[u8], f: u8, at: usize) -> Result<usize, WireError> {
    let mut n = 0usize;
    for (i, byte) in b.iter().enumerate() {
        let (hi, lo) = (byte >> 4, byte & 0x0f);
        if hi > 9 || lo > 9 {
            return Err(WireError::BadBcd {
                field: f,
                offset: at + i,
            });
        }
        n = n * 100 + usize::from(hi) * 10 + usize::from(lo);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcd_alignment_follows_cup_rules() {
        let mut m = Message::new(200);
        m.set(2, "6228480402564890018") // 19 digits: left-aligned, trailing 0 nibble
            .set(3, "000000")
            .set(22, "071") // left-aligned: 07 10
            .set(23, "001") // right-aligned: 00 01
            .set(60, "22000024000"); // 11 digits, LLL prefix counts digits
        let b = m.encode().unwrap();
        assert_eq!(&b[..2], &[0x02, 0x00]);
        // PAN: length 0x19, then 62 28 48 04 02 56 48 90 01 80
        assert_eq!(
            &b[10..21],
            &[
                0x19, 0x62, 0x28, 0x48, 0x04, 0x02, 0x56, 0x48, 0x90, 0x01, 0x80
            ]
        );
        assert_eq!(&b[21..24], &[0, 0, 0]);
        assert_eq!(&b[24..26], &[0x07, 0x10]);
        assert_eq!(&b[26..28], &[0x00, 0x01]);
        assert_eq!(&b[28..], &[0x00, 0x11, 0x22, 0x00, 0x00, 0x24, 0x00, 0x00]);
        assert_eq!(Message::decode(&b).unwrap(), m);
    }

    #[test]
    fn errors_name_field_and_offset() {
        let mut m = Message::new(210);
        m.set(39, "00").set(41, "12345678");
        let b = m.encode().unwrap();
        assert_eq!(
            Message::decode(&b[..b.len() - 1]),
            Err(WireError::Truncated {
                field: 41,
                offset: 12,
                needed: 1
            })
        );
        let mut bad = b.clone();
        bad[0] = 0x0a;
        assert_eq!(
            Message::decode(&bad),
            Err(WireError::BadBcd {
                field: 0,
                offset: 0
            })
        );
        let mut long = b.clone();
        long.push(0);
        assert_eq!(
            Message::decode(&long),
            Err(WireError::Trailing {
                offset: 20,
                extra: 1
            })
        );
    }
}
