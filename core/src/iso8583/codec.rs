//! Field-level wire rules: length prefixes, BCD packing, ASCII/EBCDIC/hex text.
//!
//! Decoding validates every byte in place without allocating; encoding writes through a
//! [`Sink`] so the same code fills a caller's slice or a `Vec`.

use super::error::{DecodeCause, DecodeError, EncodeCause, EncodeError};
use super::spec::{Align, Encoding, FieldSpec, Format, LengthType, LengthUnit, PrefixEncoding};

/// Where a decoded field sits in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    /// Offset of the first byte of the field (its prefix, if any).
    pub start: u32,
    /// Offset of the first content byte.
    pub data: u32,
    /// Offset one past the last content byte.
    pub end: u32,
    /// Logical length (digits, characters or bytes).
    pub chars: u32,
}

/// Output for the encoder.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeCause>;
    fn len(&self) -> usize;
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeCause> {
        self.extend_from_slice(bytes);
        Ok(())
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
}

/// A caller-provided buffer.
pub(crate) struct SliceSink<'b> {
    pub buf: &'b mut [u8],
    pub pos: usize,
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeCause> {
        let end = self.pos + bytes.len();
        let Some(dst) = self.buf.get_mut(self.pos..end) else {
            return Err(EncodeCause::BufferTooSmall { needed: end });
        };
        dst.copy_from_slice(bytes);
        self.pos = end;
        Ok(())
    }
    fn len(&self) -> usize {
        self.pos
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// ASCII (0x20–0x7E) → EBCDIC code page 037.
const ASCII_TO_EBCDIC: [u8; 95] = [
    0x40, 0x5A, 0x7F, 0x7B, 0x5B, 0x6C, 0x50, 0x7D, 0x4D, 0x5D, 0x5C, 0x4E, 0x6B, 0x60, 0x4B, 0x61,
    0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0x7A, 0x5E, 0x4C, 0x7E, 0x6E, 0x6F,
    0x7C, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6,
    0xD7, 0xD8, 0xD9, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xBA, 0xE0, 0xBB, 0xB0, 0x6D,
    0x79, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96,
    0x97, 0x98, 0x99, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xC0, 0x4F, 0xD0, 0xA1,
];

/// EBCDIC 037 → printable ASCII, 0 where unmapped.
const EBCDIC_TO_ASCII: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 95 {
        t[ASCII_TO_EBCDIC[i] as usize] = 0x20 + i as u8;
        i += 1;
    }
    t
};

/// EBCDIC byte to ASCII, `None` if it has no printable ASCII equivalent.
pub(crate) fn ebcdic_to_ascii(b: u8) -> Option<u8> {
    match EBCDIC_TO_ASCII[usize::from(b)] {
        0 => None,
        a => Some(a),
    }
}

/// Printable ASCII byte to EBCDIC.
pub(crate) fn ascii_to_ebcdic(a: u8) -> Option<u8> {
    if (0x20..=0x7E).contains(&a) {
        Some(ASCII_TO_EBCDIC[usize::from(a - 0x20)])
    } else {
        None
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Whether the logical character `c` at `index` is allowed by `format`.
#[inline]
pub(crate) fn char_ok(format: Format, index: usize, c: u8) -> bool {
    match format {
        Format::N => c.is_ascii_digit(),
        Format::Z => c.is_ascii_digit() || c == b'=',
        Format::Xn => {
            if index == 0 {
                c == b'C' || c == b'D'
            } else {
                c.is_ascii_digit()
            }
        }
        Format::A | Format::An => (0x20..=0x7E).contains(&c),
        Format::Ans | Format::B => true,
    }
}

/// Reads a length prefix of `digits` decimal digits.
fn read_prefix(
    enc: PrefixEncoding,
    digits: u8,
    field: u16,
    buf: &[u8],
    pos: usize,
) -> Result<(usize, usize), DecodeError> {
    let width = enc.width(digits);
    let bytes = buf.get(pos..pos + width).ok_or(DecodeError::new(
        field,
        pos,
        DecodeCause::Truncated {
            needed: width,
            available: buf.len().saturating_sub(pos),
        },
    ))?;
    let bad = DecodeError::new(field, pos, DecodeCause::BadLengthPrefix);
    let mut v: usize = 0;
    match enc {
        PrefixEncoding::Ascii | PrefixEncoding::Ebcdic => {
            for &b in bytes {
                let a = if enc == PrefixEncoding::Ebcdic {
                    ebcdic_to_ascii(b).ok_or(bad)?
                } else {
                    b
                };
                if !a.is_ascii_digit() {
                    return Err(bad);
                }
                v = v * 10 + usize::from(a - b'0');
            }
        }
        PrefixEncoding::Bcd => {
            // An odd digit count leaves a leading zero nibble (LLL 104 = 01 04).
            for (i, &b) in bytes.iter().enumerate() {
                let (hi, lo) = (b >> 4, b & 0x0F);
                if hi > 9 || lo > 9 || (i == 0 && digits % 2 == 1 && hi != 0) {
                    return Err(bad);
                }
                v = v * 100 + usize::from(hi) * 10 + usize::from(lo);
            }
        }
        PrefixEncoding::Binary => {
            for &b in bytes {
                v = (v << 8) | usize::from(b);
            }
            if v >= 10usize.pow(u32::from(digits)) {
                return Err(bad);
            }
        }
    }
    Ok((v, pos + width))
}

fn write_prefix<S: Sink>(
    enc: PrefixEncoding,
    digits: u8,
    value: usize,
    out: &mut S,
) -> Result<(), EncodeCause> {
    let mut tmp = [0u8; 4];
    let width = enc.width(digits);
    let t = &mut tmp[..width];
    match enc {
        PrefixEncoding::Ascii | PrefixEncoding::Ebcdic => {
            let mut v = value;
            for b in t.iter_mut().rev() {
                let d = b'0' + (v % 10) as u8;
                *b = if enc == PrefixEncoding::Ebcdic {
                    0xF0 | (d - b'0')
                } else {
                    d
                };
                v /= 10;
            }
        }
        PrefixEncoding::Bcd => {
            let mut v = value;
            for b in t.iter_mut().rev() {
                *b = (((v / 10) % 10) as u8) << 4 | (v % 10) as u8;
                v /= 100;
            }
        }
        PrefixEncoding::Binary => {
            let mut v = value;
            for b in t.iter_mut().rev() {
                *b = (v & 0xFF) as u8;
                v >>= 8;
            }
        }
    }
    out.put(t)
}

/// Nibble allowed in a BCD content position for `format` (`D` stands for `=` in track data).
#[inline]
fn nibble_ok(format: Format, n: u8) -> bool {
    n <= 9 || (format == Format::Z && n == 0x0D)
}

/// Decodes one field starting at `pos`: checks the prefix, the length and every content byte.
pub(crate) fn decode_field(
    fs: &FieldSpec,
    field: u16,
    buf: &[u8],
    pos: usize,
) -> Result<Span, DecodeError> {
    let start = pos;
    let (chars, data) = if fs.length == LengthType::Fixed {
        (usize::from(fs.max), pos)
    } else {
        let (count, data) = read_prefix(fs.prefix, fs.length.digits(), field, buf, pos)?;
        let (chars, max) = match fs.counts {
            LengthUnit::Chars => (count, usize::from(fs.max)),
            LengthUnit::Bytes => {
                let chars = match fs.encoding {
                    Encoding::Bcd if fs.format == Format::Xn => {
                        if count == 0 {
                            return Err(DecodeError::new(field, pos, DecodeCause::BadLengthPrefix));
                        }
                        1 + (count - 1) * 2
                    }
                    Encoding::Bcd => count * 2,
                    Encoding::Hex => {
                        if count % 2 != 0 {
                            return Err(DecodeError::new(field, pos, DecodeCause::BadLengthPrefix));
                        }
                        count / 2
                    }
                    _ => count,
                };
                (chars, fs.wire_len(usize::from(fs.max)))
            }
        };
        if count > max {
            return Err(DecodeError::new(
                field,
                pos,
                DecodeCause::LengthOverMax { length: count, max },
            ));
        }
        (chars, data)
    };
    if fs.format == Format::Xn && chars == 0 {
        // An amount needs at least its sign.
        return Err(DecodeError::new(field, pos, DecodeCause::BadLengthPrefix));
    }
    let wire = fs.wire_len(chars);
    let Some(bytes) = buf.get(data..data + wire) else {
        return Err(DecodeError::new(
            field,
            data,
            DecodeCause::Truncated {
                needed: wire,
                available: buf.len().saturating_sub(data),
            },
        ));
    };
    validate_content(fs, field, bytes, chars, data)?;
    Ok(Span {
        start: start as u32,
        data: data as u32,
        end: (data + wire) as u32,
        chars: chars as u32,
    })
}

fn validate_content(
    fs: &FieldSpec,
    field: u16,
    bytes: &[u8],
    chars: usize,
    base: usize,
) -> Result<(), DecodeError> {
    let err = |i: usize, cause| Err(DecodeError::new(field, base + i, cause));
    match fs.encoding {
        Encoding::Binary => Ok(()),
        Encoding::Ascii => {
            if fs.format == Format::Ans {
                return Ok(());
            }
            for (i, &c) in bytes.iter().enumerate() {
                if !char_ok(fs.format, i, c) {
                    return err(i, DecodeCause::BadCharacter { byte: c });
                }
            }
            Ok(())
        }
        Encoding::Ebcdic => {
            for (i, &b) in bytes.iter().enumerate() {
                match ebcdic_to_ascii(b) {
                    Some(c) if char_ok(fs.format, i, c) => {}
                    _ => return err(i, DecodeCause::BadCharacter { byte: b }),
                }
            }
            Ok(())
        }
        Encoding::Hex => {
            for (i, &c) in bytes.iter().enumerate() {
                if hex_val(c).is_none() {
                    return err(i, DecodeCause::BadCharacter { byte: c });
                }
            }
            Ok(())
        }
        Encoding::Bcd => {
            let (bytes, digits, skip) = if fs.format == Format::Xn {
                let s = bytes.first().copied().unwrap_or(0);
                if s != b'C' && s != b'D' {
                    return err(0, DecodeCause::BadCharacter { byte: s });
                }
                (&bytes[1..], chars - 1, 1)
            } else {
                (bytes, chars, 0)
            };
            let odd = digits % 2 == 1;
            let last = bytes.len().wrapping_sub(1);
            for (i, &b) in bytes.iter().enumerate() {
                let (hi, lo) = (b >> 4, b & 0x0F);
                let hi_pad = odd && i == 0 && fs.align == Align::Right;
                let lo_pad = odd && i == last && fs.align == Align::Left;
                for (n, pad) in [(hi, hi_pad), (lo, lo_pad)] {
                    if pad {
                        if n != fs.pad {
                            return err(i + skip, DecodeCause::BadPad { nibble: n });
                        }
                    } else if !nibble_ok(fs.format, n) {
                        return err(i + skip, DecodeCause::BadBcdNibble { nibble: n });
                    }
                }
            }
            Ok(())
        }
    }
}

/// Calls `f` with each logical character (ASCII) of a validated text field.
#[inline]
pub(crate) fn for_each_char(fs: &FieldSpec, bytes: &[u8], chars: usize, mut f: impl FnMut(u8)) {
    match fs.encoding {
        Encoding::Ascii | Encoding::Binary => bytes.iter().for_each(|&b| f(b)),
        Encoding::Ebcdic => bytes
            .iter()
            .for_each(|&b| f(ebcdic_to_ascii(b).unwrap_or(b'?'))),
        Encoding::Hex => bytes.iter().for_each(|&b| f(b)),
        Encoding::Bcd => {
            let (bytes, digits) = if fs.format == Format::Xn {
                f(bytes[0]);
                (&bytes[1..], chars - 1)
            } else {
                (bytes, chars)
            };
            let skip_first = digits % 2 == 1 && fs.align == Align::Right;
            let mut emitted = 0;
            for (i, &b) in bytes.iter().enumerate() {
                for (k, n) in [b >> 4, b & 0x0F].into_iter().enumerate() {
                    if (i == 0 && k == 0 && skip_first) || emitted == digits {
                        continue;
                    }
                    f(if n == 0x0D { b'=' } else { b'0' + n });
                    emitted += 1;
                }
            }
        }
    }
}

/// The logical value of a validated field as owned bytes (text as ASCII, `b` as raw bytes).
pub(crate) fn logical_value(fs: &FieldSpec, bytes: &[u8], chars: usize) -> Vec<u8> {
    match fs.encoding {
        Encoding::Binary | Encoding::Ascii => bytes.to_vec(),
        Encoding::Hex => bytes
            .chunks_exact(2)
            .map(|p| hex_val(p[0]).unwrap_or(0) << 4 | hex_val(p[1]).unwrap_or(0))
            .collect(),
        _ => {
            let mut v = Vec::with_capacity(chars);
            for_each_char(fs, bytes, chars, |c| v.push(c));
            v
        }
    }
}

/// Checks a logical value against the field and returns its length in characters.
pub(crate) fn check_value(fs: &FieldSpec, value: &[u8]) -> Result<usize, EncodeCause> {
    let len = value.len();
    let max = usize::from(fs.max);
    if fs.length == LengthType::Fixed {
        if len != max {
            return Err(EncodeCause::WrongLength {
                length: len,
                expected: max,
            });
        }
    } else if len > max {
        return Err(EncodeCause::TooLong { length: len, max });
    }
    if fs.format == Format::Xn && len == 0 {
        return Err(EncodeCause::BadCharacter { index: 0 });
    }
    for (i, &c) in value.iter().enumerate() {
        let ok = char_ok(fs.format, i, c)
            && match fs.encoding {
                Encoding::Ebcdic => ascii_to_ebcdic(c).is_some(),
                _ => true,
            };
        if !ok {
            return Err(EncodeCause::BadCharacter { index: i });
        }
    }
    if fs.format == Format::Z && fs.encoding == Encoding::Bcd && fs.counts == LengthUnit::Bytes {
        // Byte-counted BCD cannot express an odd digit count losslessly.
        if len % 2 == 1 && fs.length != LengthType::Fixed {
            return Err(EncodeCause::WrongLength {
                length: len,
                expected: len + 1,
            });
        }
    }
    if fs.encoding == Encoding::Bcd
        && fs.counts == LengthUnit::Bytes
        && fs.length != LengthType::Fixed
        && fs.format == Format::N
        && len % 2 == 1
    {
        return Err(EncodeCause::WrongLength {
            length: len,
            expected: len + 1,
        });
    }
    Ok(len)
}

/// Encodes one field's prefix and content.
pub(crate) fn encode_field<S: Sink>(
    fs: &FieldSpec,
    field: u16,
    value: &[u8],
    out: &mut S,
) -> Result<(), EncodeError> {
    let e = |c| EncodeError::new(field, c);
    let chars = check_value(fs, value).map_err(e)?;
    if fs.length != LengthType::Fixed {
        let count = match fs.counts {
            LengthUnit::Chars => chars,
            LengthUnit::Bytes => fs.wire_len(chars),
        };
        write_prefix(fs.prefix, fs.length.digits(), count, out).map_err(e)?;
    }
    write_content(fs, value, out).map_err(e)
}

fn write_content<S: Sink>(fs: &FieldSpec, value: &[u8], out: &mut S) -> Result<(), EncodeCause> {
    match fs.encoding {
        Encoding::Ascii | Encoding::Binary => out.put(value),
        Encoding::Ebcdic => {
            let mut chunk = [0u8; 64];
            for part in value.chunks(64) {
                for (d, &c) in chunk.iter_mut().zip(part) {
                    *d = ascii_to_ebcdic(c).unwrap_or(0x40);
                }
                out.put(&chunk[..part.len()])?;
            }
            Ok(())
        }
        Encoding::Hex => {
            let mut chunk = [0u8; 64];
            for part in value.chunks(32) {
                for (i, &b) in part.iter().enumerate() {
                    chunk[2 * i] = HEX_UPPER[usize::from(b >> 4)];
                    chunk[2 * i + 1] = HEX_UPPER[usize::from(b & 0x0F)];
                }
                out.put(&chunk[..part.len() * 2])?;
            }
            Ok(())
        }
        Encoding::Bcd => {
            let digits = if fs.format == Format::Xn {
                out.put(&value[..1])?;
                &value[1..]
            } else {
                value
            };
            let nib = |c: u8| if c == b'=' { 0x0D } else { c - b'0' };
            let odd = digits.len() % 2 == 1;
            let mut chunk = [0u8; 64];
            let mut n = 0;
            let mut put = |b: u8, out: &mut S| -> Result<(), EncodeCause> {
                chunk[n] = b;
                n += 1;
                if n == chunk.len() {
                    out.put(&chunk)?;
                    n = 0;
                }
                Ok(())
            };
            let mut rest = digits;
            if odd && fs.align == Align::Right {
                put(fs.pad << 4 | nib(rest[0]), out)?;
                rest = &rest[1..];
            }
            let mut pairs = rest.chunks_exact(2);
            for p in &mut pairs {
                put(nib(p[0]) << 4 | nib(p[1]), out)?;
            }
            if let [last] = pairs.remainder() {
                put(nib(*last) << 4 | fs.pad, out)?;
            }
            out.put(&chunk[..n])
        }
    }
}
