//! The zero-copy reader: one level of TLV objects at a time, no allocation.

use std::fmt;

use super::tag::TagReadError;
use super::{Mode, ParseOptions, Tag, TlvError, TlvErrorKind};

/// One TLV object, borrowed from the input.
///
/// `raw` is the exact byte span of the object (tag, length as encoded, value), so a MAC or a
/// signature can be verified over the original bytes even when the length was non-minimal.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    tag: Tag,
    offset: usize,
    header_len: usize,
    raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// The tag.
    pub fn tag(&self) -> Tag {
        self.tag
    }

    /// Byte offset of the first tag byte, from the start of the input given to the parser.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The full encoded object: tag, length and value, exactly as in the input.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The value bytes.
    pub fn value(&self) -> &'a [u8] {
        &self.raw[self.header_len..]
    }

    /// Byte offset of the first value byte.
    pub fn value_offset(&self) -> usize {
        self.offset + self.header_len
    }

    /// Number of bytes of tag and length.
    pub fn header_len(&self) -> usize {
        self.header_len
    }

    /// Whether the tag marks a constructed object.
    pub fn is_constructed(&self) -> bool {
        self.tag.is_constructed()
    }

    /// Iterates over the objects inside this one's value (meaningful for constructed tags).
    pub fn children(&self, options: ParseOptions) -> TlvIter<'a> {
        TlvIter::with_base(self.value(), self.value_offset(), options)
    }
}

impl fmt::Debug for Tlv<'_> {
    /// Sensitive values (PAN, track data, cardholder name) are masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tlv")
            .field("tag", &self.tag)
            .field("offset", &self.offset)
            .field("value", &super::mask_value_hex(self.tag, self.value()))
            .finish()
    }
}

/// Reads a BER definite length at the start of `bytes` (after the tag).
///
/// Returns `(length, bytes used by the length field)`. The indefinite form `80` is an error;
/// long forms are limited by the mode, and strict mode insists on the minimal form.
#[inline]
pub fn parse_length(bytes: &[u8], options: &ParseOptions) -> Result<(usize, usize), TlvErrorKind> {
    let Some(&first) = bytes.first() else {
        return Err(TlvErrorKind::Truncated);
    };
    if first < 0x80 {
        return Ok((first as usize, 1));
    }
    if first == 0x80 {
        return Err(TlvErrorKind::Indefinite);
    }
    let n = (first & 0x7F) as usize;
    if n > options.max_length_bytes() {
        return Err(TlvErrorKind::BadLength {
            reason: format!(
                "length form {first:02X} not allowed in {:?} mode",
                options.mode
            ),
        });
    }
    let Some(len_bytes) = bytes.get(1..1 + n) else {
        return Err(TlvErrorKind::Truncated);
    };
    let len = len_bytes
        .iter()
        .fold(0usize, |acc, &b| acc << 8 | b as usize);
    if options.mode == Mode::Strict {
        let minimal = if len < 0x80 {
            0
        } else {
            (usize::BITS - len.leading_zeros()).div_ceil(8) as usize
        };
        if n != minimal {
            return Err(TlvErrorKind::BadLength {
                reason: format!("non-minimal length encoding {first:02X} for {len}"),
            });
        }
    }
    Ok((len, 1 + n))
}

/// Iterator over the TLV objects at one level of `data`, skipping padding as the mode allows.
///
/// Allocation-free on success; after the first error it yields `None`.
#[derive(Debug, Clone)]
pub struct TlvIter<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    options: ParseOptions,
    /// Padding bytes skipped in this mode (`00`, `FF`), precomputed for the hot loop.
    skip_00: bool,
    skip_ff: bool,
    done: bool,
}

impl<'a> TlvIter<'a> {
    /// Iterates over `data` with `options`; offsets are relative to `data`.
    pub fn new(data: &'a [u8], options: ParseOptions) -> Self {
        Self::with_base(data, 0, options)
    }

    /// Like [`TlvIter::new`] but offsets are reported as `base + position`, for data that is
    /// a slice of a larger message.
    pub fn with_base(data: &'a [u8], base: usize, options: ParseOptions) -> Self {
        TlvIter {
            data,
            pos: 0,
            base,
            options,
            skip_00: options.is_padding(0x00),
            skip_ff: options.is_padding(0xFF),
            done: false,
        }
    }

    fn fail(
        &mut self,
        at: usize,
        path: String,
        kind: TlvErrorKind,
    ) -> Option<Result<Tlv<'a>, TlvError>> {
        self.done = true;
        Some(Err(TlvError::new(self.base + at, path, kind)))
    }
}

impl<'a> Iterator for TlvIter<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let data = self.data;
        let mut start = self.pos;
        while let Some(&b) = data.get(start) {
            if (b == 0x00 && self.skip_00) || (b == 0xFF && self.skip_ff) {
                start += 1;
            } else {
                break;
            }
        }
        self.pos = start;
        let &first = data.get(start)?;
        if first == 0x00 || first == 0xFF {
            // Padding bytes this mode does not accept: "trailing" if only padding is left.
            let rest = &data[start..];
            let kind = if rest.iter().all(|&b| b == 0x00 || b == 0xFF) {
                TlvErrorKind::Trailing
            } else {
                TlvErrorKind::BadTag
            };
            return self.fail(start, String::new(), kind);
        }
        // Fast paths for the shapes EMV data is made of (1- or 2-byte tag, short length);
        // everything else goes through the general readers.
        let rest = &data[start..];
        let (tag, tag_len) = match *rest {
            [t0, ..] if t0 & 0x1F != 0x1F => (Tag::from_checked(t0 as u32), 1),
            [t0, t1, ..] if t1 & 0x80 == 0 && self.options.max_tag_len >= 2 => {
                (Tag::from_checked((t0 as u32) << 8 | t1 as u32), 2)
            }
            _ => match Tag::read(rest, self.options.max_tag_len as usize) {
                Ok(t) => t,
                Err(TagReadError::Truncated) => {
                    return self.fail(start, String::new(), TlvErrorKind::Truncated);
                }
                Err(TagReadError::Bad) => {
                    return self.fail(start, String::new(), TlvErrorKind::BadTag);
                }
                Err(TagReadError::TooLong) => {
                    let max = self.options.max_tag_len;
                    return self.fail(start, String::new(), TlvErrorKind::TagTooLong { max });
                }
            },
        };
        let len_at = start + tag_len;
        let (len, len_len) = match rest.get(tag_len) {
            Some(&l) if l < 0x80 => (l as usize, 1),
            _ => match parse_length(&data[len_at..], &self.options) {
                Ok(l) => l,
                Err(kind) => return self.fail(len_at, tag.to_string(), kind),
            },
        };
        let value_at = len_at + len_len;
        let available = data.len() - value_at;
        if len > available {
            return self.fail(value_at, tag.to_string(), TlvErrorKind::Truncated);
        }
        let end = value_at + len;
        self.pos = end;
        Some(Ok(Tlv {
            tag,
            offset: self.base + start,
            header_len: tag_len + len_len,
            raw: &data[start..end],
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(hex: &str, o: ParseOptions) -> Result<Vec<String>, TlvError> {
        let data = crate::hex::decode(hex).unwrap();
        TlvIter::new(&data, o)
            .map(|r| r.map(|t| format!("{}:{}", t.tag(), crate::hex::encode(t.value()))))
            .collect()
    }

    #[test]
    fn lengths() {
        let o = ParseOptions::emv();
        assert_eq!(parse_length(&[0x05], &o), Ok((5, 1)));
        assert_eq!(parse_length(&[0x81, 0x05], &o), Ok((5, 2)));
        assert_eq!(parse_length(&[0x82, 0x01, 0x00], &o), Ok((256, 3)));
        assert_eq!(parse_length(&[0x80], &o), Err(TlvErrorKind::Indefinite));
        assert!(matches!(
            parse_length(&[0x83, 0, 0, 1], &o),
            Err(TlvErrorKind::BadLength { .. })
        ));
        assert_eq!(
            parse_length(&[0x83, 0, 0, 1], &ParseOptions::lenient()),
            Ok((1, 4))
        );
        assert!(matches!(
            parse_length(&[0x81, 0x05], &ParseOptions::strict()),
            Err(TlvErrorKind::BadLength { .. })
        ));
        assert!(matches!(
            parse_length(&[0x82, 0x00, 0x85], &ParseOptions::strict()),
            Err(TlvErrorKind::BadLength { .. })
        ));
        assert_eq!(
            parse_length(&[0x81, 0x85], &ParseOptions::strict()),
            Ok((0x85, 2))
        );
        assert_eq!(
            parse_length(&[0x82, 0x01], &o),
            Err(TlvErrorKind::Truncated)
        );
    }

    #[test]
    fn padding_by_mode() {
        let hex = "00009F0206000000000100";
        assert_eq!(
            tags(hex, ParseOptions::emv()).unwrap(),
            ["9F02:000000000100"]
        );
        let e = tags(hex, ParseOptions::strict()).unwrap_err();
        assert_eq!((e.offset, e.kind), (0, TlvErrorKind::BadTag));
        let hex = "9F0206000000000100FFFF";
        let e = tags(hex, ParseOptions::strict()).unwrap_err();
        assert_eq!((e.offset, e.kind), (9, TlvErrorKind::Trailing));
        let e = tags(hex, ParseOptions::emv()).unwrap_err();
        assert_eq!(e.kind, TlvErrorKind::Trailing);
        assert_eq!(
            tags(hex, ParseOptions::lenient()).unwrap(),
            ["9F02:000000000100"]
        );
    }

    #[test]
    fn huge_announced_length_is_clean() {
        let data = [0x9F, 0x02, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x01];
        let e = TlvIter::new(&data, ParseOptions::lenient())
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (e.offset, e.path.as_str(), e.kind),
            (7, "9F02", TlvErrorKind::Truncated)
        );
        let e = TlvIter::new(&data, ParseOptions::emv())
            .next()
            .unwrap()
            .unwrap_err();
        assert!(matches!(e.kind, TlvErrorKind::BadLength { .. }));
        assert_eq!(e.offset, 2);
    }
}
