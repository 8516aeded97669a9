//! The hot path of [`super::wire`]: the `cup-pos` field table compiled, once, into a small
//! per-field shape table, and an encoder/decoder that walk it with plain loops.
//!
//! The spec stays the single source of truth: every shape is derived from its
//! [`FieldSpec`](crate::iso8583::FieldSpec), and only the shapes the POS dialect actually uses
//! (BCD `n`/`z` counting digits, ASCII `a`/`an`/`ans`, binary `b`, BCD length prefixes) are
//! compiled. Both directions are all-or-nothing: on anything unusual — a field without a
//! compiled shape, a value or byte the spec refuses, a secondary bitmap — they return `None`
//! and the caller runs the general codec, which accepts exactly the same inputs and reports
//! the precise error (field, offset, reason). So the fast path can only be faster, never
//! different; `tests` check that against the general codec.

use std::sync::OnceLock;

use crate::iso8583::{Align, Encoding, Format, LengthType, LengthUnit, PrefixEncoding, Spec};

/// What a field's content may hold, and how it sits on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Content {
    /// `n`, BCD: digits two per byte.
    Digits,
    /// `z`, BCD: the 4-bit track character set (`0`–`?`), two per byte.
    Track,
    /// `a`/`an`, ASCII: printable characters.
    Printable,
    /// `ans` (ASCII) or `b` (binary): any byte, copied as is.
    Bytes,
}

/// One field's compiled wire shape.
#[derive(Clone, Copy, Debug)]
struct Shape {
    content: Content,
    /// Bytes of the BCD length prefix: 0 = fixed length, 1 = L/LL, 2 = LLL/LLLL.
    prefix: u8,
    /// Whether the prefix has an odd digit count (its first nibble must be 0).
    prefix_odd: bool,
    /// Exact (fixed) or maximum (variable) length in characters (= digits or bytes).
    max: u16,
    /// For BCD with an odd digit count: the pad nibble comes first (right-aligned).
    pad_first: bool,
    /// The BCD pad nibble.
    pad: u8,
}

impl Shape {
    fn is_bcd(&self) -> bool {
        matches!(self.content, Content::Digits | Content::Track)
    }

    /// Wire bytes of `chars` characters.
    fn wire_len(&self, chars: usize) -> usize {
        if self.is_bcd() {
            chars.div_ceil(2)
        } else {
            chars
        }
    }
}

/// Shapes of fields 0–64 (`None`: not in the spec or not a shape compiled here).
struct Table([Option<Shape>; 65]);

fn compile(spec: &Spec) -> Table {
    let mut t = [None; 65];
    for (n, slot) in t.iter_mut().enumerate().skip(2) {
        let Some(fs) = spec.field(n as u16) else {
            continue;
        };
        let content = match (fs.encoding, fs.format, fs.counts) {
            (Encoding::Bcd, Format::N, LengthUnit::Chars) => Content::Digits,
            (Encoding::Bcd, Format::Z, LengthUnit::Chars) => Content::Track,
            (Encoding::Ascii, Format::A | Format::An, _) => Content::Printable,
            (Encoding::Ascii, Format::Ans, _) | (Encoding::Binary, Format::B, _) => Content::Bytes,
            _ => continue,
        };
        let digits = fs.length.digits();
        if fs.length != LengthType::Fixed && fs.prefix != PrefixEncoding::Bcd {
            continue;
        }
        if fs.pad > 0x0F {
            continue;
        }
        *slot = Some(Shape {
            content,
            prefix: digits.div_ceil(2),
            prefix_odd: digits % 2 == 1,
            max: fs.max,
            pad_first: fs.align == Align::Right,
            pad: fs.pad,
        });
    }
    Table(t)
}

/// The compiled table of `spec`, built on first use. One spec is compiled (the lifecycle
/// speaks only `cup-pos`); for any other spec object this is `None`, so the general codec
/// decides instead of a table that describes a different spec.
fn table(spec: &'static Spec) -> Option<&'static Table> {
    static TABLE: OnceLock<(&'static Spec, Table)> = OnceLock::new();
    let (compiled, t) = TABLE.get_or_init(|| (spec, compile(spec)));
    std::ptr::eq(*compiled, spec).then_some(t)
}

/// Appends `value` (a logical value: ASCII digits/characters or raw bytes) as field `shape`.
/// `None` if the spec would refuse it.
#[inline(always)]
fn put_field(shape: &Shape, value: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let len = value.len();
    if shape.prefix == 0 {
        if len != usize::from(shape.max) {
            return None;
        }
    } else {
        if len > usize::from(shape.max) {
            return None;
        }
        // Digits for n/z, bytes (= characters) for the rest: `len` either way.
        let v = len;
        if shape.prefix == 1 {
            out.push((((v / 10) % 10) as u8) << 4 | (v % 10) as u8);
        } else {
            out.push((((v / 1000) % 10) as u8) << 4 | ((v / 100) % 10) as u8);
            out.push((((v / 10) % 10) as u8) << 4 | (v % 10) as u8);
        }
    }
    match shape.content {
        Content::Bytes => out.extend_from_slice(value),
        Content::Printable => {
            if !value.iter().all(|c| (0x20..=0x7E).contains(c)) {
                return None;
            }
            out.extend_from_slice(value);
        }
        Content::Digits | Content::Track => {
            let ok = if shape.content == Content::Digits {
                value.iter().all(u8::is_ascii_digit)
            } else {
                value.iter().all(|c| (b'0'..=b'?').contains(c))
            };
            if !ok {
                return None;
            }
            let nib = |c: u8| (c - b'0') & 0x0F;
            let mut rest = value;
            if len % 2 == 1 && shape.pad_first {
                out.push(shape.pad << 4 | nib(rest[0]));
                rest = &rest[1..];
            }
            let mut pairs = rest.chunks_exact(2);
            for p in &mut pairs {
                out.push(nib(p[0]) << 4 | nib(p[1]));
            }
            if let [last] = pairs.remainder() {
                out.push(nib(*last) << 4 | shape.pad);
            }
        }
    }
    Some(())
}

/// Encodes MTI (BCD), the primary bitmap and `fields` (ascending, numbers 2–64, exactly the
/// bits of `present`: bit `n` = field `n`) into `out`, exactly as the general codec would;
/// `None` (with `out` in any state) if the general codec must decide.
pub(super) fn encode<'v>(
    spec: &'static Spec,
    mti: u16,
    present: u128,
    fields: impl Iterator<Item = (u8, &'v [u8])>,
    out: &mut Vec<u8>,
) -> Option<()> {
    // Only fields 2–64: no secondary bitmap, nothing outside the POS dialect.
    if mti > 9999 || present & !(u128::MAX << 2 & !(u128::MAX << 65)) != 0 {
        return None;
    }
    let t = table(spec)?;
    let m = |d: u16| (d % 10) as u8;
    out.push(m(mti / 1000) << 4 | m(mti / 100));
    out.push(m(mti / 10) << 4 | m(mti));
    // Bit n of the wire bitmap is field n, most significant first.
    let bitmap = ((present >> 1) as u64).reverse_bits();
    out.extend_from_slice(&bitmap.to_be_bytes());
    for (n, v) in fields {
        let shape = t.0[usize::from(n)].as_ref()?;
        put_field(shape, v, out)?;
    }
    Some(())
}

/// Decodes a frame (from the MTI) into `values`, calling `on_field(n, start, len)` with each
/// field's logical value at `values[start..start + len]`. Returns the MTI and the present
/// fields (bit `n` = field `n`), or `None` (with
/// `values` and the callbacks in any state) if the general codec must decide.
pub(super) fn decode(
    spec: &'static Spec,
    bytes: &[u8],
    values: &mut Vec<u8>,
    mut on_field: impl FnMut(u8, usize, usize),
) -> Option<(u16, u128)> {
    let t = table(spec)?;
    let head: &[u8; 10] = bytes.get(..10)?.try_into().ok()?;
    let mut mti = 0u16;
    for &b in &head[..2] {
        let (hi, lo) = (b >> 4, b & 0x0F);
        if hi > 9 || lo > 9 {
            return None;
        }
        mti = mti * 100 + u16::from(hi) * 10 + u16::from(lo);
    }
    let bitmap = u64::from_be_bytes(head[2..10].try_into().ok()?);
    if bitmap & (1 << 63) != 0 {
        return None; // a secondary bitmap: not in the POS dialect
    }
    let mut bits = bitmap;
    let mut pos = 10;
    while bits != 0 {
        let n = bits.leading_zeros() as u8 + 1;
        bits &= !(1u64 << (64 - u32::from(n)));
        let shape = t.0[usize::from(n)].as_ref()?;
        let chars = if shape.prefix == 0 {
            usize::from(shape.max)
        } else {
            let p = bytes.get(pos..pos + usize::from(shape.prefix))?;
            let mut v = 0usize;
            for (i, &b) in p.iter().enumerate() {
                let (hi, lo) = (b >> 4, b & 0x0F);
                if hi > 9 || lo > 9 || (i == 0 && shape.prefix_odd && hi != 0) {
                    return None;
                }
                v = v * 100 + usize::from(hi) * 10 + usize::from(lo);
            }
            pos += p.len();
            if v > usize::from(shape.max) {
                return None;
            }
            v
        };
        let wire = bytes.get(pos..pos + shape.wire_len(chars))?;
        pos += wire.len();
        let start = values.len();
        match shape.content {
            Content::Bytes => values.extend_from_slice(wire),
            Content::Printable => {
                if !wire.iter().all(|c| (0x20..=0x7E).contains(c)) {
                    return None;
                }
                values.extend_from_slice(wire);
            }
            Content::Digits | Content::Track => {
                // The pad nibble of an odd count (first when right-aligned, last when
                // left-aligned) must be the pad and is not a character.
                let mut body = wire;
                if chars % 2 == 1 {
                    let (&first, &last) = (wire.first()?, wire.last()?);
                    if shape.pad_first {
                        if first >> 4 != shape.pad {
                            return None;
                        }
                        values.push(b'0' + (first & 0x0F));
                        body = &wire[1..];
                    } else if last & 0x0F != shape.pad {
                        return None;
                    }
                }
                // Two characters per byte, through a stack buffer (no per-byte growth check).
                for part in body.chunks(32) {
                    let mut tmp = [0u8; 64];
                    for (d, &b) in tmp.chunks_exact_mut(2).zip(part) {
                        d[0] = b'0' + (b >> 4);
                        d[1] = b'0' + (b & 0x0F);
                    }
                    values.extend_from_slice(&tmp[..part.len() * 2]);
                }
                values.truncate(start + chars);
                if shape.content == Content::Digits
                    && !values.get(start..)?.iter().all(|&c| c <= b'9')
                {
                    return None;
                }
            }
        }
        on_field(n, start, values.len() - start);
    }
    // Field n is wire bit 64 - n (most significant first); presence bit n is field n.
    (pos == bytes.len()).then_some((mti, u128::from(bitmap.reverse_bits()) << 1))
}
