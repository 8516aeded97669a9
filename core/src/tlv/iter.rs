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
    /// Bytes of tag and length; a `u32` so it packs with the tag and the object stays four
    /// words, which the iterator hands back by value.
    header_len: u32,
    offset: usize,
    raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// The tag.
    #[inline]
    pub fn tag(&self) -> Tag {
        self.tag
    }

    /// Byte offset of the first tag byte, from the start of the input given to the parser.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The full encoded object: tag, length and value, exactly as in the input.
    #[inline]
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The value bytes.
    #[inline]
    pub fn value(&self) -> &'a [u8] {
        &self.raw[self.header_len as usize..]
    }

    /// Byte offset of the first value byte.
    #[inline]
    pub fn value_offset(&self) -> usize {
        self.offset + self.header_len()
    }

    /// Number of bytes of tag and length.
    #[inline]
    pub fn header_len(&self) -> usize {
        self.header_len as usize
    }

    /// Whether the tag marks a constructed object.
    #[inline]
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
    /// What is left to read; emptied after an error so the iterator is fused.
    rest: &'a [u8],
    /// Offset just past the input in the caller's coordinates (`base + data.len()`): the
    /// offset of `rest` is `end - rest.len()`, so only `rest` changes per object.
    end: usize,
    options: ParseOptions,
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
            rest: data,
            end: base + data.len(),
            options,
        }
    }

    /// Offset of the next unread byte, in the caller's coordinates.
    #[inline]
    fn at(&self) -> usize {
        self.end - self.rest.len()
    }

    /// Ends the iteration with an error `skip` bytes into `rest`. Errors are rare, so the
    /// formatting of the path stays out of the hot loop.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, skip: usize, tag: Option<Tag>, kind: TlvErrorKind) -> Box<TlvError> {
        let at = self.at() + skip;
        self.rest = &[];
        let path = tag.map(|t| t.to_string()).unwrap_or_default();
        // Boxed so the hot path only carries a pointer: a by-value error would force every
        // returned object through memory.
        Box::new(TlvError::new(at, path, kind))
    }

    /// The slow path for a `00` or `FF` where a tag should start: padding this mode skips, or
    /// an error ("trailing" if only such bytes are left).
    #[cold]
    #[inline(never)]
    fn padding(&mut self) -> Option<Result<(), Box<TlvError>>> {
        let (skip_00, skip_ff) = (self.options.is_padding(0x00), self.options.is_padding(0xFF));
        let skipped = self
            .rest
            .iter()
            .take_while(|&&b| (b == 0x00 && skip_00) || (b == 0xFF && skip_ff))
            .count();
        self.rest = &self.rest[skipped..];
        match self.rest.first() {
            None => None,
            Some(&(0x00 | 0xFF)) => {
                let kind = if self.rest.iter().all(|&b| b == 0x00 || b == 0xFF) {
                    TlvErrorKind::Trailing
                } else {
                    TlvErrorKind::BadTag
                };
                Some(Err(self.fail(0, None, kind)))
            }
            Some(_) => Some(Ok(())),
        }
    }

    /// Long-form lengths (`81`…`84`) and every malformed length.
    #[cold]
    fn long_length(&mut self, tag: Tag, tag_len: usize) -> Result<(usize, usize), Box<TlvError>> {
        match parse_length(&self.rest[tag_len..], &self.options) {
            Ok(l) => Ok(l),
            Err(kind) => Err(self.fail(tag_len, Some(tag), kind)),
        }
    }

    /// Tags of three or more bytes, and every malformed tag.
    #[cold]
    fn long_tag(&mut self) -> Result<(Tag, usize), Box<TlvError>> {
        match Tag::read(self.rest, self.options.max_tag_len as usize) {
            Ok(t) => Ok(t),
            Err(TagReadError::Truncated) => Err(self.fail(0, None, TlvErrorKind::Truncated)),
            Err(TagReadError::Bad) => Err(self.fail(0, None, TlvErrorKind::BadTag)),
            Err(TagReadError::TooLong) => {
                let max = self.options.max_tag_len;
                Err(self.fail(0, None, TlvErrorKind::TagTooLong { max }))
            }
        }
    }
}

impl<'a> Iterator for TlvIter<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        // Fast paths for the shapes EMV data is made of (1- or 2-byte tag, short length);
        // everything else goes through the general readers.
        let (tag, tag_len) = match *rest {
            [] => return None,
            [0x00 | 0xFF, ..] => {
                return match self.padding()? {
                    Ok(()) => self.next(),
                    Err(e) => Some(Err(*e)),
                };
            }
            [t0, ..] if t0 & 0x1F != 0x1F => (Tag::from_checked(t0 as u32), 1),
            [t0, t1, ..] if t1 & 0x80 == 0 && self.options.max_tag_len >= 2 => {
                (Tag::from_checked((t0 as u32) << 8 | t1 as u32), 2)
            }
            _ => match self.long_tag() {
                Ok(t) => t,
                Err(e) => return Some(Err(*e)),
            },
        };
        let (len, len_len) = match rest.get(tag_len) {
            Some(&l) if l < 0x80 => (l as usize, 1),
            _ => match self.long_length(tag, tag_len) {
                Ok(l) => l,
                Err(e) => return Some(Err(*e)),
            },
        };
        let header_len = tag_len + len_len;
        let Some((raw, after)) = rest.split_at_checked(header_len.saturating_add(len)) else {
            return Some(Err(*self.fail(
                header_len,
                Some(tag),
                TlvErrorKind::Truncated,
            )));
        };
        let offset = self.at();
        self.rest = after;
        Some(Ok(Tlv {
            tag,
            header_len: header_len as u32,
            offset,
            raw,
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
