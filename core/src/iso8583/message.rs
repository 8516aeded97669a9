//! Messages: the borrowed zero-copy view [`MessageRef`] and the owned [`Message`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use zeroize::Zeroize;

use super::codec::{self, Sink, SliceSink, Span};
use super::error::{DecodeCause, DecodeError, EncodeCause, EncodeError, FIELD_BITMAP, FIELD_MTI};
use super::mti::Mti;
use super::spec::{
    Align, BitmapEncoding, Encoding, FieldSpec, Format, MtiEncoding, Spec, Structure,
};

/// Presence bits for fields 1–192, most significant bit first (field 1 = bit 63 of word 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Bitmap(pub [u64; 3]);

impl Bitmap {
    /// Whether field `n` (1–192) is marked.
    pub fn has(&self, n: u16) -> bool {
        if !(1..=192).contains(&n) {
            return false;
        }
        let i = usize::from(n - 1);
        self.0[i / 64] & (1u64 << (63 - i % 64)) != 0
    }

    /// Marks field `n` (1–192); other numbers are ignored.
    pub fn set(&mut self, n: u16) {
        if (1..=192).contains(&n) {
            let i = usize::from(n - 1);
            self.0[i / 64] |= 1u64 << (63 - i % 64);
        }
    }

    /// The primary bitmap (fields 1–64).
    pub fn primary(&self) -> u64 {
        self.0[0]
    }

    /// The secondary bitmap (fields 65–128), if announced by bit 1.
    pub fn secondary(&self) -> Option<u64> {
        self.has(1).then_some(self.0[1])
    }

    /// The tertiary bitmap (fields 129–192), if any of those fields is marked.
    pub fn tertiary(&self) -> Option<u64> {
        (self.0[2] != 0).then_some(self.0[2])
    }

    /// Marked field numbers in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        BitmapIter {
            words: self.0,
            word: 0,
        }
    }
}

/// Walks the set bits word by word (a flat iterator: the decoder's inner loop).
struct BitmapIter {
    words: [u64; 3],
    word: usize,
}

impl Iterator for BitmapIter {
    type Item = u16;
    #[inline]
    fn next(&mut self) -> Option<u16> {
        loop {
            let bits = self.words.get_mut(self.word)?;
            if *bits != 0 {
                let lz = bits.leading_zeros();
                *bits &= !(1u64 << (63 - lz));
                return Some(self.word as u16 * 64 + lz as u16 + 1);
            }
            self.word += 1;
        }
    }
}

/// Whether `n` is a bitmap rather than a data element in this spec.
fn is_bitmap_field(spec: &Spec, n: u16) -> bool {
    n == 1 || (n == 65 && spec.has_tertiary())
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

fn decode_mti(spec: &Spec, buf: &[u8]) -> Result<Mti, DecodeError> {
    let width = spec.mti_width();
    let Some(b) = buf.get(..width) else {
        return Err(DecodeError::new(
            FIELD_MTI,
            0,
            DecodeCause::Truncated {
                needed: width,
                available: buf.len(),
            },
        ));
    };
    let bad = DecodeError::new(FIELD_MTI, 0, DecodeCause::BadMti);
    let digits = match spec.mti_encoding() {
        MtiEncoding::Ascii => [b[0], b[1], b[2], b[3]],
        MtiEncoding::Ebcdic => {
            let mut d = [0u8; 4];
            for (o, &i) in d.iter_mut().zip(b) {
                *o = codec::ebcdic_to_ascii(i).ok_or(bad)?;
            }
            d
        }
        MtiEncoding::Bcd => [
            b'0'.wrapping_add(b[0] >> 4),
            b'0'.wrapping_add(b[0] & 0xF),
            b'0'.wrapping_add(b[1] >> 4),
            b'0'.wrapping_add(b[1] & 0xF),
        ],
    };
    Mti::new(digits).map_err(|_| bad)
}

fn decode_bitmap_word(spec: &Spec, buf: &[u8], pos: usize) -> Result<u64, DecodeError> {
    let width = spec.bitmap_width();
    let Some(b) = buf.get(pos..pos + width) else {
        return Err(DecodeError::new(
            FIELD_BITMAP,
            pos,
            DecodeCause::Truncated {
                needed: width,
                available: buf.len().saturating_sub(pos),
            },
        ));
    };
    match spec.bitmap_encoding() {
        BitmapEncoding::Binary => {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            Ok(u64::from_be_bytes(a))
        }
        enc => {
            let mut v = 0u64;
            for (i, &c) in b.iter().enumerate() {
                let a = if enc == BitmapEncoding::EbcdicHex {
                    codec::ebcdic_to_ascii(c).unwrap_or(0)
                } else {
                    c
                };
                let n = match a {
                    b'0'..=b'9' => a - b'0',
                    b'A'..=b'F' => a - b'A' + 10,
                    _ => {
                        return Err(DecodeError::new(
                            FIELD_BITMAP,
                            pos + i,
                            DecodeCause::BadCharacter { byte: c },
                        ));
                    }
                };
                v = v << 4 | u64::from(n);
            }
            Ok(v)
        }
    }
}

/// A decoded message that borrows its bytes and its spec; decoding allocates nothing.
///
/// Every field was validated during decoding, so the accessors cannot fail.
#[derive(Clone)]
pub struct MessageRef<'a> {
    spec: &'a Spec,
    bytes: &'a [u8],
    mti: Mti,
    bitmap: Bitmap,
    spans: [Span; 193],
}

/// Decodes a message body (MTI onwards, no framing) into a borrowed view.
pub fn decode_ref<'a>(spec: &'a Spec, bytes: &'a [u8]) -> Result<MessageRef<'a>, DecodeError> {
    let mut spans = [Span::default(); 193];
    let (mti, bitmap) = walk(spec, bytes, |n, _, span| {
        spans[usize::from(n)] = span;
    })?;
    Ok(MessageRef {
        spec,
        bytes,
        mti,
        bitmap,
        spans,
    })
}

/// Decodes like [`decode_ref`], handing each data element to `f` in field order as soon as it
/// is validated, without building a view. The message is only valid if the call returns `Ok`:
/// a later field may still fail after `f` saw earlier ones.
pub(crate) fn decode_each<'a>(
    spec: &'a Spec,
    bytes: &'a [u8],
    mut f: impl FnMut(FieldRef<'a>),
) -> Result<Mti, DecodeError> {
    let (mti, _) = walk(spec, bytes, |n, fs, s| {
        f(FieldRef {
            number: n,
            spec: fs,
            wire: &bytes[s.start as usize..s.end as usize],
            data: &bytes[s.data as usize..s.end as usize],
            chars: s.chars as usize,
        })
    })?;
    Ok(mti)
}

/// The decoder proper: validates MTI, bitmaps and every field, reporting each field's span.
fn walk<'a>(
    spec: &'a Spec,
    bytes: &[u8],
    mut on_field: impl FnMut(u16, &'a FieldSpec, Span),
) -> Result<(Mti, Bitmap), DecodeError> {
    let mti = decode_mti(spec, bytes)?;
    let mut pos = spec.mti_width();
    let mut bitmap = Bitmap([decode_bitmap_word(spec, bytes, pos)?, 0, 0]);
    pos += spec.bitmap_width();
    if bitmap.has(1) {
        bitmap.0[1] = decode_bitmap_word(spec, bytes, pos)?;
        if bitmap.0[1] == 0 {
            return Err(DecodeError::new(
                FIELD_BITMAP,
                pos,
                DecodeCause::EmptyBitmap,
            ));
        }
        pos += spec.bitmap_width();
    }
    if spec.has_tertiary() && bitmap.has(65) {
        bitmap.0[2] = decode_bitmap_word(spec, bytes, pos)?;
        if bitmap.0[2] == 0 {
            return Err(DecodeError::new(
                FIELD_BITMAP,
                pos,
                DecodeCause::EmptyBitmap,
            ));
        }
        pos += spec.bitmap_width();
    }
    let mut last = FIELD_BITMAP;
    for n in bitmap.iter() {
        if is_bitmap_field(spec, n) {
            continue;
        }
        let Some(fs) = spec.field(n) else {
            return Err(DecodeError::new(n, pos, DecodeCause::FieldNotInSpec));
        };
        let span = codec::decode_field(fs, n, bytes, pos)?;
        pos = span.end as usize;
        on_field(n, fs, span);
        last = n;
    }
    if pos != bytes.len() {
        return Err(DecodeError::new(
            last,
            pos,
            DecodeCause::TrailingBytes {
                count: bytes.len() - pos,
            },
        ));
    }
    Ok((mti, bitmap))
}

/// Decodes a message body into an owned [`Message`].
pub fn decode(spec: &Spec, bytes: &[u8]) -> Result<Message, DecodeError> {
    decode_ref(spec, bytes).map(|m| m.to_message())
}

impl<'a> MessageRef<'a> {
    /// The MTI.
    pub fn mti(&self) -> Mti {
        self.mti
    }

    /// The bitmaps as decoded.
    pub fn bitmap(&self) -> Bitmap {
        self.bitmap
    }

    /// The spec the message was decoded with.
    pub fn spec(&self) -> &'a Spec {
        self.spec
    }

    /// The whole message as received.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether data element `n` is present.
    pub fn has(&self, n: u16) -> bool {
        !is_bitmap_field(self.spec, n) && self.bitmap.has(n)
    }

    /// Data element `n`, if present.
    pub fn field(&self, n: u16) -> Option<FieldRef<'a>> {
        if !self.has(n) {
            return None;
        }
        let spec = self.spec.field(n)?;
        let s = self.spans[usize::from(n)];
        Some(FieldRef {
            number: n,
            spec,
            wire: &self.bytes[s.start as usize..s.end as usize],
            data: &self.bytes[s.data as usize..s.end as usize],
            chars: s.chars as usize,
        })
    }

    /// Byte offset of data element `n` (its length prefix, if any) in the message.
    pub fn offset(&self, n: u16) -> Option<usize> {
        self.has(n)
            .then(|| self.spans[usize::from(n)].start as usize)
    }

    /// Present data elements in field-number order.
    pub fn fields(&self) -> impl Iterator<Item = FieldRef<'a>> + '_ {
        self.bitmap.iter().filter_map(|n| self.field(n))
    }

    /// The bytes the MAC covers: from the MTI up to (excluding) the MAC field (64, 128 or 192),
    /// which must be the last field. `None` if the message carries no MAC field.
    pub fn mac_input(&self) -> Option<&'a [u8]> {
        let last = self.bitmap.iter().last()?;
        if !matches!(last, 64 | 128 | 192) {
            return None;
        }
        Some(&self.bytes[..self.spans[usize::from(last)].start as usize])
    }

    /// The MAC field's content, if the message ends with one.
    pub fn mac(&self) -> Option<FieldRef<'a>> {
        let last = self.bitmap.iter().last()?;
        matches!(last, 64 | 128 | 192)
            .then(|| self.field(last))
            .flatten()
    }

    /// Copies into an owned [`Message`].
    pub fn to_message(&self) -> Message {
        let mut m = Message::new(self.mti);
        for f in self.fields() {
            m.fields.insert(f.number, f.value().into_owned());
        }
        m
    }
}

impl fmt::Debug for MessageRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageRef")
            .field("mti", &self.mti)
            .field("fields", &self.bitmap.iter().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// One data element of a [`MessageRef`].
#[derive(Clone, Copy)]
pub struct FieldRef<'a> {
    number: u16,
    spec: &'a FieldSpec,
    wire: &'a [u8],
    data: &'a [u8],
    chars: usize,
}

impl<'a> FieldRef<'a> {
    /// Field number.
    pub fn number(&self) -> u16 {
        self.number
    }

    /// The field's spec.
    pub fn spec(&self) -> &'a FieldSpec {
        self.spec
    }

    /// Content bytes as on the wire (without the length prefix).
    pub fn raw(&self) -> &'a [u8] {
        self.data
    }

    /// Prefix and content as on the wire.
    pub fn encoded(&self) -> &'a [u8] {
        self.wire
    }

    /// Logical length: digits, characters or bytes.
    pub fn len(&self) -> usize {
        self.chars
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.chars == 0
    }

    /// The value as text, borrowed without copying when the wire already holds ASCII.
    pub fn as_str(&self) -> Option<&'a str> {
        if self.spec.format.is_text() && self.spec.encoding == Encoding::Ascii {
            std::str::from_utf8(self.data).ok()
        } else {
            None
        }
    }

    /// The logical value: ASCII text for n/an/ans/z/x+n (`=` in track data), raw bytes for b.
    /// Borrowed when no translation is needed.
    pub fn value(&self) -> Cow<'a, [u8]> {
        match self.spec.encoding {
            Encoding::Ascii | Encoding::Binary => Cow::Borrowed(self.data),
            _ => Cow::Owned(codec::logical_value(self.spec, self.data, self.chars)),
        }
    }

    /// Appends the logical value (what [`FieldRef::value`] returns) to `out`, without an
    /// intermediate allocation.
    pub fn extend_value(&self, out: &mut Vec<u8>) {
        match self.spec.encoding {
            Encoding::Ascii | Encoding::Binary => out.extend_from_slice(self.data),
            Encoding::Hex => out.extend_from_slice(&self.value()),
            Encoding::Bcd if self.spec.format != Format::Xn => {
                // Two digits per byte; an odd count drops the pad nibble (first when right
                // aligned, last when left aligned). Same characters as `for_each_char`.
                let start = out.len();
                out.extend(
                    self.data
                        .iter()
                        .flat_map(|&b| [b'0' + (b >> 4), b'0' + (b & 0x0F)]),
                );
                let skip = usize::from(self.chars % 2 == 1 && self.spec.align == Align::Right);
                if skip == 1 && out.len() > start {
                    out.copy_within(start + 1.., start);
                }
                out.truncate(start + self.chars);
            }
            _ => {
                out.reserve(self.chars);
                codec::for_each_char(self.spec, self.data, self.chars, |c| out.push(c));
            }
        }
    }

    /// A numeric field's value as an integer (up to 19 digits), without allocating.
    pub fn to_u64(&self) -> Option<u64> {
        if self.spec.format != Format::N || self.chars == 0 || self.chars > 19 {
            return None;
        }
        let mut v: u64 = 0;
        codec::for_each_char(self.spec, self.data, self.chars, |c| {
            v = v * 10 + u64::from(c - b'0');
        });
        Some(v)
    }

    /// Writes the text value into `out` without allocating (for `b`, upper-case hex).
    pub fn write_text(&self, out: &mut impl fmt::Write) -> fmt::Result {
        if self.spec.format.is_text() {
            let mut r = Ok(());
            codec::for_each_char(self.spec, self.data, self.chars, |c| {
                if r.is_ok() {
                    r = out.write_char(char::from(c));
                }
            });
            r
        } else {
            let v = self.value();
            for b in v.iter() {
                write!(out, "{b:02X}")?;
            }
            Ok(())
        }
    }
}

impl fmt::Debug for FieldRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be card data: show the shape only.
        f.debug_struct("FieldRef")
            .field("number", &self.number)
            .field("len", &self.chars)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Owned message
// ---------------------------------------------------------------------------------------------

/// An owned message: an MTI and data elements by number. Bitmaps are derived from the
/// present fields when encoding. Values are logical: ASCII text for n/an/ans/z/x+n (`=` as the
/// track separator), raw bytes for b. All values are zeroized on drop (they may hold PIN blocks
/// and keys).
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    mti: Mti,
    fields: BTreeMap<u16, Vec<u8>>,
}

impl Drop for Message {
    fn drop(&mut self) {
        for v in self.fields.values_mut() {
            v.zeroize();
        }
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("mti", &self.mti)
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Message {
    /// An empty message with the given MTI.
    pub fn new(mti: Mti) -> Message {
        Message {
            mti,
            fields: BTreeMap::new(),
        }
    }

    /// The MTI.
    pub fn mti(&self) -> Mti {
        self.mti
    }

    /// Replaces the MTI.
    pub fn set_mti(&mut self, mti: Mti) {
        self.mti = mti;
    }

    /// Sets field `n` to a logical value (text bytes or raw bytes). Checked when encoding.
    pub fn set(&mut self, n: u16, value: impl Into<Vec<u8>>) -> &mut Self {
        if let Some(mut old) = self.fields.insert(n, value.into()) {
            old.zeroize();
        }
        self
    }

    /// Sets a text field (n, an, ans, z with `=`, x+n).
    pub fn set_text(&mut self, n: u16, text: &str) -> &mut Self {
        self.set(n, text.as_bytes())
    }

    /// Sets a numeric (`n`) field from an integer, zero-filled on the left to a fixed field's
    /// length (the explicit, documented padding of ISO numerics); errors if it does not fit.
    pub fn set_number(
        &mut self,
        spec: &Spec,
        n: u16,
        value: u64,
    ) -> Result<&mut Self, EncodeError> {
        let fs = field_spec(spec, n)?;
        if fs.format != Format::N {
            return Err(EncodeError::new(n, EncodeCause::BadCharacter { index: 0 }));
        }
        let digits = value.to_string();
        let max = usize::from(fs.max);
        if digits.len() > max {
            return Err(EncodeError::new(
                n,
                EncodeCause::TooLong {
                    length: digits.len(),
                    max,
                },
            ));
        }
        let text = if fs.length == super::spec::LengthType::Fixed {
            format!("{digits:0>max$}")
        } else {
            digits
        };
        Ok(self.set(n, text))
    }

    /// A numeric field's value as an integer (up to 19 digits).
    pub fn number(&self, n: u16) -> Option<u64> {
        let v = self.get(n)?;
        if v.is_empty() || v.len() > 19 || !v.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(v.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0')))
    }

    /// Sets a binary field.
    pub fn set_bytes(&mut self, n: u16, bytes: &[u8]) -> &mut Self {
        self.set(n, bytes)
    }

    /// Sets a positional composite field from its sub-field values (trailing ones may be
    /// omitted); checks each sub-field's length and format.
    pub fn set_subfields(
        &mut self,
        spec: &Spec,
        n: u16,
        subs: &[&[u8]],
    ) -> Result<&mut Self, EncodeError> {
        let fs = spec
            .field(n)
            .ok_or(EncodeError::new(n, EncodeCause::FieldNotInSpec))?;
        let v = join_subfields(fs, subs).map_err(|c| EncodeError::new(n, c))?;
        Ok(self.set(n, v))
    }

    /// Removes field `n`, returning whether it was present.
    pub fn remove(&mut self, n: u16) -> bool {
        match self.fields.remove(&n) {
            Some(mut v) => {
                v.zeroize();
                true
            }
            None => false,
        }
    }

    /// Whether field `n` is present.
    pub fn has(&self, n: u16) -> bool {
        self.fields.contains_key(&n)
    }

    /// The logical value of field `n`.
    pub fn get(&self, n: u16) -> Option<&[u8]> {
        self.fields.get(&n).map(Vec::as_slice)
    }

    /// Field `n` as text (`None` if absent or not UTF-8, e.g. GBK in `ans`).
    pub fn text(&self, n: u16) -> Option<&str> {
        self.get(n).and_then(|v| std::str::from_utf8(v).ok())
    }

    /// The positional sub-fields of field `n` as slices of its value.
    pub fn subfields(&self, spec: &Spec, n: u16) -> Option<Vec<&[u8]>> {
        split_subfields(spec.field(n)?, self.get(n)?)
    }

    /// Present fields in number order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &[u8])> {
        self.fields.iter().map(|(k, v)| (*k, v.as_slice()))
    }

    /// The bitmaps this message encodes with (bit 1 and, with a tertiary spec, bit 65 set
    /// automatically).
    pub fn bitmap(&self, spec: &Spec) -> Bitmap {
        let mut b = Bitmap::default();
        for &n in self.fields.keys() {
            b.set(n);
        }
        if b.0[2] != 0 && spec.has_tertiary() {
            b.set(65);
        }
        if b.0[1] != 0 || b.0[2] != 0 {
            b.set(1);
        }
        b
    }

    /// Checks every field against the spec without encoding.
    pub fn validate(&self, spec: &Spec) -> Result<(), EncodeError> {
        for (&n, v) in &self.fields {
            let fs = field_spec(spec, n)?;
            codec::check_value(fs, v).map_err(|c| EncodeError::new(n, c))?;
        }
        Ok(())
    }

    /// Encodes into a new `Vec`.
    pub fn encode(&self, spec: &Spec) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(512);
        encode_into_sink(self, spec, &mut out, 0)?;
        Ok(out)
    }

    /// Encodes into `buf`, returning the number of bytes written.
    pub fn encode_into(&self, spec: &Spec, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let mut sink = SliceSink { buf, pos: 0 };
        encode_into_sink(self, spec, &mut sink, 0)?;
        Ok(sink.pos)
    }
}

fn field_spec(spec: &Spec, n: u16) -> Result<&FieldSpec, EncodeError> {
    if is_bitmap_field(spec, n) {
        return Err(EncodeError::new(n, EncodeCause::FieldNotInSpec));
    }
    spec.field(n)
        .ok_or(EncodeError::new(n, EncodeCause::FieldNotInSpec))
}

/// Encodes `msg`; returns the offset of field `mark` (0 = none) if it was written.
pub(crate) fn encode_into_sink<S: Sink>(
    msg: &Message,
    spec: &Spec,
    out: &mut S,
    mark: u16,
) -> Result<Option<usize>, EncodeError> {
    let fields = msg.fields.iter().map(|(k, v)| (*k, v.as_slice()));
    encode_parts(spec, msg.mti, fields, out, mark)
}

/// Encodes an MTI and field values without building a [`Message`] (for callers that keep
/// their fields in another shape). `fields` must yield ascending, distinct field numbers, as
/// [`Message::iter`] does; it is walked twice (bitmap, then values).
pub(crate) fn encode_fields<'v, I>(
    spec: &Spec,
    mti: Mti,
    fields: I,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError>
where
    I: Iterator<Item = (u16, &'v [u8])> + Clone,
{
    encode_parts(spec, mti, fields, out, 0).map(|_| ())
}

fn encode_parts<'v, S: Sink, I>(
    spec: &Spec,
    mti: Mti,
    fields: I,
    out: &mut S,
    mark: u16,
) -> Result<Option<usize>, EncodeError>
where
    I: Iterator<Item = (u16, &'v [u8])> + Clone,
{
    let e0 = |c| EncodeError::new(FIELD_MTI, c);
    let d = mti.digits();
    match spec.mti_encoding() {
        MtiEncoding::Ascii => out.put(d).map_err(e0)?,
        MtiEncoding::Ebcdic => out.put(&d.map(|c| 0xF0 | (c - b'0'))).map_err(e0)?,
        MtiEncoding::Bcd => out
            .put(&[
                (d[0] - b'0') << 4 | (d[1] - b'0'),
                (d[2] - b'0') << 4 | (d[3] - b'0'),
            ])
            .map_err(e0)?,
    }
    let mut bitmap = Bitmap::default();
    for (n, _) in fields.clone() {
        debug_assert!(!bitmap.has(n), "field {n} given twice or out of order");
        bitmap.set(n);
    }
    if bitmap.0[2] != 0 && spec.has_tertiary() {
        bitmap.set(65);
    }
    if bitmap.0[1] != 0 || bitmap.0[2] != 0 {
        bitmap.set(1);
    }
    let words = if bitmap.0[2] != 0 {
        if !spec.has_tertiary() {
            let n = fields
                .clone()
                .map(|(n, _)| n)
                .find(|&n| n > 128)
                .unwrap_or(129);
            return Err(EncodeError::new(n, EncodeCause::FieldNotInSpec));
        }
        3
    } else if bitmap.has(1) {
        2
    } else {
        1
    };
    let eb = |c| EncodeError::new(FIELD_BITMAP, c);
    for &w in &bitmap.0[..words] {
        match spec.bitmap_encoding() {
            BitmapEncoding::Binary => out.put(&w.to_be_bytes()).map_err(eb)?,
            enc => {
                let mut h = [0u8; 16];
                for (i, c) in h.iter_mut().enumerate() {
                    let n = ((w >> (60 - 4 * i)) & 0xF) as u8;
                    let a = b"0123456789ABCDEF"[usize::from(n)];
                    *c = if enc == BitmapEncoding::EbcdicHex {
                        codec::ascii_to_ebcdic(a).unwrap_or(0)
                    } else {
                        a
                    };
                }
                out.put(&h).map_err(eb)?;
            }
        }
    }
    let mut marked = None;
    for (n, v) in fields {
        let fs = field_spec(spec, n)?;
        if n == mark {
            marked = Some(out.len());
        }
        codec::encode_field(fs, n, v, out)?;
    }
    Ok(marked)
}

/// Splits a positional composite value into its sub-fields (trailing ones may be absent).
pub(crate) fn split_subfields<'v>(fs: &FieldSpec, value: &'v [u8]) -> Option<Vec<&'v [u8]>> {
    let Some(Structure::Positional { subfields }) = &fs.structure else {
        return None;
    };
    let mut out = Vec::with_capacity(subfields.len());
    let mut rest = value;
    for s in subfields {
        if rest.is_empty() {
            break;
        }
        let take = rest.len().min(usize::from(s.length));
        let (a, b) = rest.split_at(take);
        out.push(a);
        rest = b;
    }
    if !rest.is_empty() {
        // More data than the sub-fields describe: keep it visible as an extra part.
        out.push(rest);
    }
    Some(out)
}

/// Joins sub-field values into the composite value, checking lengths and formats.
pub(crate) fn join_subfields(fs: &FieldSpec, subs: &[&[u8]]) -> Result<Vec<u8>, EncodeCause> {
    let Some(Structure::Positional { subfields }) = &fs.structure else {
        return Err(EncodeCause::SubField {
            sub: 1,
            reason: "field has no positional sub-fields",
        });
    };
    if subs.len() > subfields.len() {
        return Err(EncodeCause::SubField {
            sub: subfields.len() as u16 + 1,
            reason: "more sub-fields than the spec defines",
        });
    }
    let mut v = Vec::new();
    for (i, (s, val)) in subfields.iter().zip(subs).enumerate() {
        let sub = i as u16 + 1;
        let last = i + 1 == subs.len();
        let ok_len = if s.rest {
            val.len() <= usize::from(s.length)
        } else {
            // A final sub-field may be short only if it is the last present one and the field is
            // variable; otherwise positions would shift.
            val.len() == usize::from(s.length)
        };
        if !ok_len {
            return Err(EncodeCause::SubField {
                sub,
                reason: "wrong length",
            });
        }
        if !last && val.is_empty() {
            return Err(EncodeCause::SubField {
                sub,
                reason: "empty sub-field before a present one",
            });
        }
        if val
            .iter()
            .enumerate()
            .any(|(k, &c)| !codec::char_ok(s.format, k, c))
        {
            return Err(EncodeCause::SubField {
                sub,
                reason: "character not allowed by the format",
            });
        }
        v.extend_from_slice(val);
    }
    Ok(v)
}

/// Bitmapped sub-fields as `(sub-field number, logical value)` in number order.
pub type SubFieldValues = Vec<(u16, Vec<u8>)>;

/// Width in bytes of one encoded inner bitmap.
fn bitmap_width(enc: BitmapEncoding) -> usize {
    match enc {
        BitmapEncoding::Binary => 8,
        _ => 16,
    }
}

/// Splits a bitmapped composite value into `(sub-field number, logical value)` pairs.
/// Offsets in errors count from the start of the field's value; `field` is the parent.
pub(crate) fn split_bitmapped(
    fs: &FieldSpec,
    field: u16,
    value: &[u8],
) -> Option<Result<SubFieldValues, DecodeError>> {
    let Some(Structure::Bitmapped { bitmap, fields }) = &fs.structure else {
        return None;
    };
    Some((|| {
        let width = bitmap_width(*bitmap);
        let word = match value.get(..width) {
            None => {
                return Err(DecodeError::new(
                    field,
                    0,
                    DecodeCause::Truncated {
                        needed: width,
                        available: value.len(),
                    },
                ));
            }
            Some(b) => read_word(*bitmap, b).map_err(|i| {
                DecodeError::new(field, i, DecodeCause::BadCharacter { byte: b[i] })
            })?,
        };
        let mut pos = width;
        let mut out = Vec::new();
        for n in Bitmap([word, 0, 0]).iter() {
            let sub =
                fields
                    .get(&n)
                    .ok_or(DecodeError::new(field, pos, DecodeCause::FieldNotInSpec))?;
            let span = codec::decode_field(sub, field, value, pos)?;
            let data = &value[span.data as usize..span.end as usize];
            out.push((n, codec::logical_value(sub, data, span.chars as usize)));
            pos = span.end as usize;
        }
        if pos != value.len() {
            return Err(DecodeError::new(
                field,
                pos,
                DecodeCause::TrailingBytes {
                    count: value.len() - pos,
                },
            ));
        }
        Ok(out)
    })())
}

fn read_word(enc: BitmapEncoding, b: &[u8]) -> Result<u64, usize> {
    match enc {
        BitmapEncoding::Binary => {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            Ok(u64::from_be_bytes(a))
        }
        _ => {
            let mut v = 0u64;
            for (i, &c) in b.iter().enumerate() {
                let a = if enc == BitmapEncoding::EbcdicHex {
                    codec::ebcdic_to_ascii(c).unwrap_or(0)
                } else {
                    c
                };
                let n = match a {
                    b'0'..=b'9' => a - b'0',
                    b'A'..=b'F' => a - b'A' + 10,
                    _ => return Err(i),
                };
                v = v << 4 | u64::from(n);
            }
            Ok(v)
        }
    }
}

/// Joins `(sub-field number, logical value)` pairs into a bitmapped composite value.
pub(crate) fn join_bitmapped(
    fs: &FieldSpec,
    subs: &[(u16, &[u8])],
) -> Result<Vec<u8>, EncodeCause> {
    let Some(Structure::Bitmapped { bitmap, fields }) = &fs.structure else {
        return Err(EncodeCause::SubField {
            sub: 1,
            reason: "field has no bitmapped sub-fields",
        });
    };
    let mut sorted: Vec<(u16, &[u8])> = subs.to_vec();
    sorted.sort_by_key(|(n, _)| *n);
    let mut word = Bitmap::default();
    for w in sorted.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(EncodeCause::SubField {
                sub: w[0].0,
                reason: "sub-field given twice",
            });
        }
    }
    for (n, _) in &sorted {
        if !fields.contains_key(n) {
            return Err(EncodeCause::SubField {
                sub: *n,
                reason: "sub-field not defined by the spec",
            });
        }
        word.set(*n);
    }
    let mut out = Vec::new();
    match bitmap {
        BitmapEncoding::Binary => out.extend_from_slice(&word.0[0].to_be_bytes()),
        enc => {
            for c in format!("{:016X}", word.0[0]).bytes() {
                out.push(if *enc == BitmapEncoding::EbcdicHex {
                    codec::ascii_to_ebcdic(c).unwrap_or(0)
                } else {
                    c
                });
            }
        }
    }
    for (n, v) in sorted {
        let sub = &fields[&n];
        codec::encode_field(sub, n, v, &mut out).map_err(|e| EncodeCause::SubField {
            sub: n,
            reason: match e.cause {
                EncodeCause::TooLong { .. } => "too long",
                EncodeCause::WrongLength { .. } => "wrong length",
                EncodeCause::BadCharacter { .. } => "character not allowed by the format",
                _ => "cannot be encoded",
            },
        })?;
    }
    Ok(out)
}

impl Message {
    /// The sub-fields of a bitmapped composite field `n`, in number order; `None` if the field
    /// is absent or has no bitmapped structure. Error offsets count from the field's value.
    pub fn bitmapped_subfields(
        &self,
        spec: &Spec,
        n: u16,
    ) -> Option<Result<SubFieldValues, DecodeError>> {
        split_bitmapped(spec.field(n)?, n, self.get(n)?)
    }

    /// Sets a bitmapped composite field from `(sub-field number, value)` pairs; the inner
    /// bitmap is built automatically.
    pub fn set_bitmapped(
        &mut self,
        spec: &Spec,
        n: u16,
        subs: &[(u16, &[u8])],
    ) -> Result<&mut Self, EncodeError> {
        let fs = spec
            .field(n)
            .ok_or(EncodeError::new(n, EncodeCause::FieldNotInSpec))?;
        let v = join_bitmapped(fs, subs).map_err(|c| EncodeError::new(n, c))?;
        Ok(self.set(n, v))
    }
}
