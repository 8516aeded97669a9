//! The lifecycle's view of a China UnionPay POS message: an MTI and fields in their natural
//! form (ASCII digits for `n`, characters for `an`/`ans`, raw bytes for `b`).
//!
//! Encoding and decoding are done by the workspace's spec-driven codec
//! ([`crate::iso8583`], built-in dialect `cup-pos`, reference `iso8583-cup-pos.md` §4.3–4.4):
//! BCD numerics (F22 left-aligned), ASCII `an`/`ans`, raw `b`, BCD length prefixes, primary
//! bitmap. The frame starts at the MTI: the 2-byte length, TPDU and CUP header belong to the
//! transport ([`crate::iso8583::frame`]). The MAC block is every byte before F64
//! ([`crate::iso8583::mac::mac_input`]).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use zeroize::Zeroize;

use super::wire_fast;
use crate::iso8583::{self, LengthType, Mti, Spec};

/// The `cup-pos` spec, built once (it is immutable data; no state is shared through it).
fn cup_pos() -> Result<&'static Spec, WireError> {
    static SPEC: OnceLock<Option<Spec>> = OnceLock::new();
    SPEC.get_or_init(|| Spec::builtin("cup-pos"))
        .as_ref()
        .ok_or(WireError::NoSpec)
}

/// What went wrong while decoding or encoding, and where.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum WireError {
    /// The bytes are not a valid `cup-pos` message.
    #[error("field {field} at byte {offset}: {reason}")]
    Decode {
        /// Field number (0 = MTI, 1 = bitmap).
        field: u16,
        /// Byte offset from the MTI.
        offset: usize,
        /// What is wrong.
        reason: String,
    },
    /// A value does not fit its field.
    #[error("field {field}: {reason}")]
    Encode {
        /// Field number (0 = MTI).
        field: u16,
        /// What is wrong.
        reason: String,
    },
    /// The POS dialect uses the primary bitmap only.
    #[error("field {field}: beyond the primary bitmap")]
    UnsupportedField {
        /// Field number.
        field: u16,
    },
    /// The built-in `cup-pos` spec is missing (a build defect).
    #[error("the cup-pos spec is unavailable")]
    NoSpec,
}

impl From<iso8583::DecodeError> for WireError {
    fn from(e: iso8583::DecodeError) -> Self {
        WireError::Decode {
            field: e.field,
            offset: e.offset,
            reason: e.cause.to_string(),
        }
    }
}

impl From<iso8583::EncodeError> for WireError {
    fn from(e: iso8583::EncodeError) -> Self {
        WireError::Encode {
            field: e.field,
            reason: e.cause.to_string(),
        }
    }
}

impl From<iso8583::MacError> for WireError {
    fn from(e: iso8583::MacError) -> Self {
        WireError::Encode {
            field: 64,
            reason: e.to_string(),
        }
    }
}

/// Where a field's value sits in a [`Message`]'s buffer.
#[derive(Clone, Copy, Default, Debug)]
struct Span {
    start: u16,
    len: u16,
}

/// Highest field number kept in the inline table (the POS dialect's primary bitmap).
const TABLE_MAX: u8 = 64;

/// A message: MTI and up to 64 fields.
///
/// The values live in one buffer indexed by field number, so decoding, building and cloning
/// a message cost one allocation whatever the number of fields; the buffer is wiped on drop
/// (it holds PIN blocks, track data and key blocks).
pub struct Message {
    /// Message type indicator as a decimal number (`200` for 0200).
    pub mti: u16,
    /// Bit `n` set: field `n` (0–64) is present, its value at `spans[n]` in `data`.
    present: u128,
    spans: [Span; TABLE_MAX as usize + 1],
    data: Vec<u8>,
    /// Fields the table cannot hold: numbers beyond the primary bitmap (kept so that `get`
    /// sees them and `encode` refuses them) and values past the table's 64 KiB. Empty in
    /// practice.
    aside: Vec<(u8, Vec<u8>)>,
}

impl Default for Message {
    fn default() -> Self {
        Message::with_capacity(0, 0)
    }
}

impl Clone for Message {
    /// Copies the live values only (a replaced value may have left a gap in the buffer).
    fn clone(&self) -> Self {
        let mut m = Message::with_capacity(self.mti, self.data.len());
        for (f, v) in self.table() {
            m.push_table(f, v);
        }
        m.aside = self.aside.clone();
        m
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.mti == other.mti
            && self.present == other.present
            && self.aside == other.aside
            && self.table().zip(other.table()).all(|(a, b)| a == b)
    }
}

impl Eq for Message {}

impl Drop for Message {
    fn drop(&mut self) {
        self.data.zeroize();
        for (_, v) in &mut self.aside {
            v.zeroize();
        }
    }
}

/// Present fields of the inline table in ascending order.
#[derive(Clone)]
struct TableIter<'a> {
    bits: u128,
    msg: &'a Message,
}

impl<'a> Iterator for TableIter<'a> {
    type Item = (u8, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        if self.bits == 0 {
            return None;
        }
        let n = self.bits.trailing_zeros() as u8;
        self.bits &= self.bits - 1;
        Some((n, self.msg.table_value(n)))
    }
}

/// Writes `value` as exactly `width` decimal digits (more if it needs more) into `buf`.
fn digits(value: u64, width: usize, buf: &mut [u8; 24]) -> &[u8] {
    let mut v = value;
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let width = width.min(buf.len());
    while buf.len() - i < width {
        i -= 1;
        buf[i] = b'0';
    }
    &buf[i..]
}

/// F12 (hhmmss) and F13 (MMDD) of a local date-time.
pub(crate) fn local_time(local: chrono::NaiveDateTime) -> ([u8; 6], [u8; 4]) {
    use chrono::{Datelike, Timelike};
    let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let (h, m, s) = (two(local.hour()), two(local.minute()), two(local.second()));
    let (mo, d) = (two(local.month()), two(local.day()));
    (
        [h[0], h[1], m[0], m[1], s[0], s[1]],
        [mo[0], mo[1], d[0], d[1]],
    )
}

impl Message {
    /// An empty message of this type.
    pub fn new(mti: u16) -> Self {
        Message::with_capacity(mti, 192)
    }

    fn with_capacity(mti: u16, bytes: usize) -> Self {
        Message {
            mti,
            present: 0,
            spans: [Span::default(); TABLE_MAX as usize + 1],
            data: Vec::with_capacity(bytes),
            aside: Vec::new(),
        }
    }

    /// Whether field `field` (≤ 64) is in the table (two 64-bit halves: cheaper than a
    /// variable 128-bit shift on the hot lookups).
    fn in_table(&self, field: u8) -> bool {
        let (lo, hi) = (self.present as u64, (self.present >> 64) as u64);
        match field {
            0..64 => lo >> field & 1 == 1,
            64 => hi & 1 == 1,
            _ => false,
        }
    }

    fn table(&self) -> TableIter<'_> {
        TableIter {
            bits: self.present,
            msg: self,
        }
    }

    fn table_value(&self, n: u8) -> &[u8] {
        let s = self.spans[usize::from(n)];
        let start = s.start as usize;
        self.data
            .get(start..start + s.len as usize)
            .unwrap_or_default()
    }

    /// Appends a value for a field not yet in the table; `false` if the buffer would pass
    /// 64 KiB (the caller then keeps the field aside).
    fn push_table(&mut self, field: u8, value: &[u8]) -> bool {
        let (Ok(start), Ok(len)) = (u16::try_from(self.data.len()), u16::try_from(value.len()))
        else {
            return false;
        };
        if start.checked_add(len).is_none() {
            return false;
        }
        self.data.extend_from_slice(value);
        self.spans[usize::from(field)] = Span { start, len };
        self.present |= 1u128 << field;
        true
    }

    /// Sets F12 (hhmmss) and F13 (MMDD) from a local date-time: both sides stamp messages in
    /// the network's local time, not UTC.
    pub fn set_local_time(&mut self, local: chrono::NaiveDateTime) -> &mut Self {
        let (f12, f13) = local_time(local);
        self.set(12, f12);
        self.set(13, f13)
    }

    /// Sets a field (replacing it). Values are checked on [`Message::encode`].
    pub fn set(&mut self, field: u8, value: impl AsRef<[u8]>) -> &mut Self {
        let value = value.as_ref();
        if !self.aside.is_empty() {
            self.aside.retain(|(f, _)| *f != field);
        }
        if field <= TABLE_MAX {
            let bit = 1u128 << field;
            if self.present & bit != 0 {
                let s = self.spans[usize::from(field)];
                let start = s.start as usize;
                if value.len() <= s.len as usize
                    && let Some(dst) = self.data.get_mut(start..start + value.len())
                {
                    // Same length or shorter: overwrite in place (the tail, if any, is left
                    // as a gap that clones and encodings skip).
                    dst.copy_from_slice(value);
                    // Not longer than the old length, which fitted.
                    self.spans[usize::from(field)].len = value.len() as u16;
                    return self;
                }
                self.present &= !bit;
            }
            if self.push_table(field, value) {
                return self;
            }
        }
        let at = self.aside.partition_point(|(f, _)| *f < field);
        self.aside.insert(at, (field, value.to_vec()));
        self
    }

    /// Sets a fixed-length numeric field from a number, zero-padded to the field's length
    /// (a value too long for the field is caught by [`Message::encode`]).
    pub fn set_num(&mut self, field: u8, value: u64) -> &mut Self {
        let width = cup_pos()
            .ok()
            .and_then(|s| s.field(u16::from(field)))
            .filter(|f| f.length == LengthType::Fixed)
            .map_or(0, |f| usize::from(f.max));
        if width > 24 {
            return self.set(field, format!("{value:0width$}"));
        }
        let mut buf = [0u8; 24];
        let d = digits(value, width, &mut buf);
        self.set(field, d)
    }

    /// Removes a field.
    pub fn remove(&mut self, field: u8) {
        if field <= TABLE_MAX {
            self.present &= !(1u128 << field);
        }
        if !self.aside.is_empty() {
            self.aside.retain(|(f, _)| *f != field);
        }
    }

    /// The raw content of a field.
    pub fn get(&self, field: u8) -> Option<&[u8]> {
        if field <= TABLE_MAX && self.in_table(field) {
            return Some(self.table_value(field));
        }
        self.aside
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_slice())
    }

    /// A field as text (ASCII digits or characters); `None` if absent.
    pub fn text(&self, field: u8) -> Option<&str> {
        self.get(field).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// A numeric field as a number; `None` if absent or too long.
    pub fn num(&self, field: u8) -> Option<u64> {
        let t = self.get(field)?;
        if t.is_empty() || t.len() > 18 || !t.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(t.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0')))
    }

    /// Whether a field is present.
    pub fn has(&self, field: u8) -> bool {
        self.get(field).is_some()
    }

    /// Present fields in ascending order.
    fn fields(&self) -> impl Iterator<Item = (u8, &[u8])> + Clone {
        let mut table = self.table().peekable();
        let mut aside = self
            .aside
            .iter()
            .map(|(f, v)| (*f, v.as_slice()))
            .peekable();
        std::iter::from_fn(move || match (table.peek(), aside.peek()) {
            (Some(a), Some(b)) if b.0 < a.0 => aside.next(),
            (Some(_), _) => table.next(),
            (None, _) => aside.next(),
        })
    }

    fn to_iso(&self) -> Result<iso8583::Message, WireError> {
        let mut m = iso8583::Message::new(self.iso_mti()?);
        for (f, v) in self.fields() {
            if !(2..=64).contains(&f) {
                return Err(WireError::UnsupportedField {
                    field: u16::from(f),
                });
            }
            m.set(u16::from(f), v);
        }
        Ok(m)
    }

    fn iso_mti(&self) -> Result<Mti, WireError> {
        let bad = || WireError::Encode {
            field: 0,
            reason: "bad MTI".into(),
        };
        if self.mti > 9999 {
            return Err(bad());
        }
        let mut buf = [0u8; 24];
        let d = digits(u64::from(self.mti), 4, &mut buf);
        let mut four = [0u8; 4];
        four.copy_from_slice(d);
        Mti::new(four).map_err(|_| bad())
    }

    /// Encodes with an optional trailing F64 placeholder (`mac`), without building an owned
    /// `iso8583::Message`.
    fn encode_with<'a>(&'a self, mac: Option<&'a [u8; 8]>) -> Result<Vec<u8>, WireError> {
        self.encode_via(mac, true)
    }

    /// [`Message::encode_with`], through the compiled fast path first (`fast`) or through the
    /// general codec only (the reference the fast path is tested against).
    fn encode_via<'a>(
        &'a self,
        mac: Option<&'a [u8; 8]>,
        fast: bool,
    ) -> Result<Vec<u8>, WireError> {
        // The first field the POS dialect cannot carry, in field order (as `to_iso` reports).
        if let Some(f) = self
            .fields()
            .map(|(f, _)| f)
            .find(|f| !(2..=64).contains(f))
        {
            return Err(WireError::UnsupportedField {
                field: u16::from(f),
            });
        }
        let spec = cup_pos()?;
        let mut out = Vec::with_capacity(self.data.len() + 48);
        let to_u16 = |(f, v): (u8, &'a [u8])| (u16::from(f), v);
        let mac = mac.map(|m| (64u8, &m[..]));
        if self.aside.is_empty() {
            // The usual case: every field in the table.
            let fields = self.table().filter(|(f, _)| mac.is_none() || *f != 64);
            let present = self.present | u128::from(mac.is_some()) << 64;
            if fast
                && wire_fast::encode(spec, self.mti, present, fields.clone().chain(mac), &mut out)
                    .is_some()
            {
                return Ok(out);
            }
            // Something for the general codec to judge (and name precisely).
            out.clear();
            let mti = self.iso_mti()?;
            iso8583::encode_fields(spec, mti, fields.chain(mac).map(to_u16), &mut out)?;
        } else {
            let mti = self.iso_mti()?;
            let fields = self.fields().filter(|(f, _)| mac.is_none() || *f != 64);
            iso8583::encode_fields(spec, mti, fields.chain(mac).map(to_u16), &mut out)?;
        }
        Ok(out)
    }

    /// Encodes a reply to this message without building it: message type `mti`, the fields of
    /// `self` named in the `echo` mask (bit `n` = field `n`) and `own` fields (ascending field
    /// numbers; they replace echoed ones), then F64 = `mac` if given. The bytes are those
    /// of a [`Message`] built with the same fields and encoded.
    pub(crate) fn encode_reply(
        &self,
        mti: u16,
        echo: u128,
        own: &[(u8, &[u8])],
        mac: Option<&[u8; 8]>,
    ) -> Result<Vec<u8>, WireError> {
        let sorted = own.windows(2).all(|w| w[0].0 < w[1].0);
        let own_mask = own
            .iter()
            .fold(0u128, |m, (f, _)| m | (1u128 << (f & 0x7F)));
        let in_range = own.iter().all(|(f, _)| (2..=63).contains(f));
        // Echoed fields 2–63 only: anything else (fields 0/1, the MAC, beyond 64) goes the
        // general way, which refuses what the dialect cannot carry with `UnsupportedField`.
        let echo_in_range = echo & (u128::MAX << 2) & !(u128::MAX << 64) == echo;
        if !(sorted && in_range && self.aside.is_empty() && echo_in_range) {
            // The general way (never taken by the processor's replies).
            let mut m = Message::new(mti);
            for f in 0..=TABLE_MAX {
                if echo & (1u128 << f) != 0
                    && let Some(v) = self.get(f)
                {
                    m.set(f, v);
                }
            }
            for (f, v) in own {
                m.set(*f, v);
            }
            return m.encode_with(mac);
        }
        let spec = cup_pos()?;
        let fields = {
            // Fields 2–63 only here (checked above): the masks fit a u64.
            let mut bits = ((self.present & echo & !own_mask) | own_mask) as u64;
            let own_bits = own_mask as u64;
            let mut own = own.iter();
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let n = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                if own_bits & (1u64 << n) != 0 {
                    own.next().map(|(f, v)| (*f, *v))
                } else {
                    Some((n, self.table_value(n)))
                }
            })
        };
        let present =
            (self.present & echo & !own_mask) | own_mask | u128::from(mac.is_some()) << 64;
        let mac = mac.map(|m| (64u8, &m[..]));
        let mut out = Vec::with_capacity(self.data.len() + 64);
        if wire_fast::encode(spec, mti, present, fields.clone().chain(mac), &mut out).is_some() {
            return Ok(out);
        }
        out.clear();
        let mti = Message::with_capacity(mti, 0).iso_mti()?;
        let fields = fields.chain(mac).map(|(f, v)| (u16::from(f), v));
        iso8583::encode_fields(spec, mti, fields, &mut out)?;
        Ok(out)
    }

    /// Encodes MTI, bitmap and fields with the `cup-pos` spec. F64, if set, is written as given;
    /// use [`Message::mab`] to compute it.
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        self.encode_with(None)
    }

    /// Encodes with F64 set to `mac` (replacing any F64 of the message) without changing the
    /// message: F64 is fixed-length and last, so the MAC block is the result minus 8 bytes.
    pub(crate) fn encode_with_mac(&self, mac: &[u8; 8]) -> Result<Vec<u8>, WireError> {
        self.encode_with(Some(mac))
    }

    /// The MAC block: the encoding up to (excluding) F64, with bit 64 set in the bitmap.
    pub fn mab(&self) -> Result<Vec<u8>, WireError> {
        Ok(iso8583::mac::mac_input(&self.to_iso()?, cup_pos()?)?)
    }

    /// Decodes a frame that starts at the MTI. Never panics; allocation bounded by the input.
    pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
        Message::decode_via(bytes, true)
    }

    /// [`Message::decode`], through the compiled fast path first (`fast`) or through the
    /// general codec only (the reference the fast path is tested against).
    fn decode_via(bytes: &[u8], fast: bool) -> Result<Message, WireError> {
        let spec = cup_pos()?;
        let mut msg = Message::with_capacity(0, bytes.len().saturating_mul(2));
        // Values are at most two bytes per wire byte, so every span fits the table's u16.
        if fast && bytes.len() <= usize::from(u16::MAX) / 2 {
            let spans = &mut msg.spans;
            let decoded = wire_fast::decode(spec, bytes, &mut msg.data, |n, start, len| {
                // Both below 2 × 32 KiB (checked above).
                spans[usize::from(n)] = Span {
                    start: start as u16,
                    len: len as u16,
                };
            });
            if let Some((mti, present)) = decoded {
                msg.mti = mti;
                msg.present = present;
                return Ok(msg);
            }
            // Something for the general codec to judge (and name precisely).
            msg.data.clear();
            msg.present = 0;
        }
        let mut beyond = None;
        let mti = iso8583::decode_each(spec, bytes, |f| {
            let n = f.number();
            match u8::try_from(n) {
                Ok(n @ 2..=TABLE_MAX) => {
                    let start = msg.data.len();
                    f.extend_value(&mut msg.data);
                    let end = msg.data.len();
                    if let (Ok(s), Ok(len)) = (u16::try_from(start), u16::try_from(end - start)) {
                        msg.spans[usize::from(n)] = Span { start: s, len };
                        msg.present |= 1u128 << n;
                    } else {
                        // Past the table's reach (never in a real POS frame): keep it aside.
                        let v = msg.data.split_off(start);
                        msg.aside.push((n, v));
                    }
                }
                Ok(0 | 1) => {}
                _ => beyond = beyond.or(Some(n)),
            }
        })?;
        if let Some(field) = beyond {
            return Err(WireError::UnsupportedField { field });
        }
        let d = mti.digits();
        if !d.iter().all(u8::is_ascii_digit) {
            return Err(WireError::Decode {
                field: 0,
                offset: 0,
                reason: "MTI is not four digits".into(),
            });
        }
        msg.mti = d.iter().fold(0u16, |a, &c| a * 10 + u16::from(c - b'0'));
        Ok(msg)
    }
}

/// The serialised form is the one of the original `{mti, fields: [[n, [bytes]], …]}` layout,
/// so that saved sessions and processor states keep loading.
impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Fields<'a>(&'a Message);
        impl Serialize for Fields<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.fields())
            }
        }
        let mut st = s.serialize_struct("Message", 2)?;
        st.serialize_field("mti", &self.mti)?;
        st.serialize_field("fields", &Fields(self))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "Message")]
        struct Repr {
            mti: u16,
            fields: Vec<(u8, Vec<u8>)>,
        }
        let mut r = Repr::deserialize(d)?;
        let mut m = Message::new(r.mti);
        for (f, v) in &mut r.fields {
            m.set(*f, &*v);
            v.zeroize();
        }
        Ok(m)
    }
}

/// Fields whose content is never shown: PAN (masked), tracks, PIN, EMV data, keys, MAC.
impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        m.entry(&"mti", &format_args!("{:04}", self.mti));
        for (field, v) in self.fields() {
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
                    m.entry(&field, &masked)
                }
                35 | 36 | 52 | 55 | 62 | 64 => {
                    m.entry(&field, &format_args!("<{} bytes>", v.len()))
                }
                _ => m.entry(&field, &String::from_utf8_lossy(v)),
            };
        }
        m.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Field values drawn to hit both sides of every rule: right and wrong lengths, digits,
    /// track characters, printable and non-printable bytes.
    fn field_value() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            4 => proptest::sample::select(b"0123456789".to_vec()),
            1 => proptest::sample::select(b"=?:DAZ a~".to_vec()),
            1 => any::<u8>(),
        ];
        proptest::collection::vec(byte, 0..40)
    }

    /// A sale-like request whose fields are sometimes replaced by arbitrary values.
    fn message() -> impl Strategy<Value = Message> {
        let fields = proptest::collection::vec(
            (
                prop_oneof![
                    8 => proptest::sample::select(
                        vec![2u8, 3, 4, 11, 12, 13, 14, 15, 22, 23, 25, 35, 37, 38, 39, 41, 42,
                             48, 49, 52, 54, 55, 60, 61, 62, 63, 64]
                    ),
                    1 => 0u8..=70,
                ],
                field_value(),
            ),
            0..6,
        );
        (
            prop_oneof![9 => Just(200u16), 1 => 0u16..=10_100],
            fields,
            any::<bool>(),
        )
            .prop_map(|(mti, extra, keep)| {
                let mut m = Message::new(mti);
                m.set(2, "6228480402564890018")
                    .set(3, "000000")
                    .set(4, "000000012345")
                    .set(11, "000123")
                    .set(22, "051")
                    .set(25, "00")
                    .set(35, "6228480402564890018=29122011234567")
                    .set(41, "T0000001")
                    .set(42, "898100000000001")
                    .set(49, "156")
                    .set(52, [0x11u8; 8])
                    .set(55, [0x9Fu8, 0x26, 0x01, 0xAB])
                    .set(60, "22000001000500")
                    .set(64, [0u8; 8]);
                if !keep {
                    m.set(60, "2200000100050").set(2, "622848040256489001");
                }
                for (f, v) in extra {
                    m.set(f, v);
                }
                m
            })
    }

    fn sale_request() -> Message {
        let mut m = Message::new(200);
        m.set(2, "6228480402564890018")
            .set(3, "000000")
            .set(4, "000000012345")
            .set(11, "000123")
            .set(14, "2912")
            .set(22, "051")
            .set(23, "001")
            .set(25, "00")
            .set(35, "6228480402564890018=29122011234567")
            .set(41, "T0000001")
            .set(42, "898100000000001")
            .set(49, "156")
            .set(52, [0x11u8; 8])
            .set(55, [0x9Fu8, 0x26, 0x01, 0xAB])
            .set(60, "22000001000500")
            .set(61, "0000010000010302")
            .set(63, "CUP")
            .set(64, [0u8; 8]);
        m
    }

    /// A reply that would echo field 0 or 1 (which the dialect cannot carry) is refused
    /// like the same reply built field by field: `UnsupportedField`, naming the field.
    #[test]
    fn encode_reply_refuses_fields_the_dialect_cannot_carry() {
        for field in [0u8, 1] {
            let mut req = sale_request();
            req.set(field, b"x");
            let echo = 1u128 << field | 1 << 3 | 1 << 11;
            let mut built = Message::new(210);
            built.set(field, b"x");
            for f in [3u8, 11] {
                built.set(f, req.get(f).unwrap());
            }
            let want = Err(WireError::UnsupportedField {
                field: u16::from(field),
            });
            assert_eq!(built.encode_with(None), want);
            assert_eq!(req.encode_reply(210, echo, &[], None), want);
            // Not echoed, it is not a problem.
            assert!(req.encode_reply(210, 1 << 3 | 1 << 11, &[], None).is_ok());
        }
    }

    /// The fast codec's table describes one spec object; any other spec — even an equal
    /// copy, or a different dialect — makes it step aside for the general codec.
    #[test]
    fn fast_codec_steps_aside_for_a_spec_it_did_not_compile() {
        let bytes = sale_request().encode_via(None, false).unwrap();
        let mut values = Vec::new();
        let ours = cup_pos().unwrap();
        assert!(wire_fast::decode(ours, &bytes, &mut values, |_, _, _| {}).is_some());
        let fields = [(3u8, &b"000000"[..]), (11, &b"000123"[..])];
        let present = 1 << 3 | 1 << 11;
        let mut out = Vec::new();
        assert!(wire_fast::encode(ours, 200, present, fields.into_iter(), &mut out).is_some());
        for other in ["cup-pos", "iso87binary"] {
            let spec: &'static Spec = Box::leak(Box::new(Spec::builtin(other).unwrap()));
            assert!(wire_fast::decode(spec, &bytes, &mut values, |_, _, _| {}).is_none());
            assert!(wire_fast::encode(spec, 200, present, fields.into_iter(), &mut out).is_none());
        }
    }

    /// Every single-byte corruption and every truncation of a sale frame: the fast decoder
    /// agrees with the general one (and does take the frame when it is intact).
    #[test]
    fn fast_decode_agrees_on_every_corruption() {
        let m = sale_request();
        let bytes = m.encode_via(None, false).unwrap();
        let mut values = Vec::new();
        assert!(wire_fast::decode(cup_pos().unwrap(), &bytes, &mut values, |_, _, _| {}).is_some());
        assert_eq!(Message::decode(&bytes), Ok(m));
        for i in 0..bytes.len() {
            for b in [
                0x00u8, 0x01, 0x09, 0x0A, 0x0F, 0x10, 0x1F, 0x20, 0x3A, 0x3F, 0x7E, 0x7F, 0x90,
                0x99, 0x9A, 0xA0, 0xF0, 0xFF,
            ] {
                let mut bad = bytes.clone();
                bad[i] = b;
                assert_eq!(
                    Message::decode_via(&bad, true),
                    Message::decode_via(&bad, false),
                    "byte {i} = {b:02X}"
                );
            }
        }
        for n in 0..=bytes.len() + 1 {
            let mut cut = bytes.clone();
            cut.resize(n, 0);
            assert_eq!(
                Message::decode_via(&cut, true),
                Message::decode_via(&cut, false),
                "{n}"
            );
        }
    }

    /// Every field of a sale set to values of every length up to past its maximum, in each
    /// character class: the fast encoder agrees with the general one.
    #[test]
    fn fast_encode_agrees_on_every_field_and_length() {
        let base = sale_request();
        let mut fast_taken = 0;
        for f in [
            2u8, 3, 4, 11, 12, 14, 22, 23, 25, 35, 37, 39, 41, 42, 48, 49, 52, 54, 55, 60, 61, 62,
            63, 64,
        ] {
            for class in [
                &b"0123456789"[..],
                b"=",
                b"?",
                b"@",
                b"A",
                b" ",
                b"~",
                b"\x7f",
                b"\0",
            ] {
                for len in 0..=60 {
                    let v: Vec<u8> = (0..len).map(|i| class[i % class.len()]).collect();
                    let mut m = base.clone();
                    m.set(f, &v);
                    let fast = m.encode_via(Some(&[7; 8]), true);
                    assert_eq!(fast, m.encode_via(Some(&[7; 8]), false), "F{f} {v:?}");
                    fast_taken += usize::from(fast.is_ok());
                }
            }
        }
        assert!(fast_taken > 100);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The compiled fast path encodes exactly like the general codec, and refuses exactly
        /// what it refuses (with the general codec's error).
        #[test]
        fn fast_encode_is_the_general_encode(m in message(), mac in any::<[u8; 8]>()) {
            prop_assert_eq!(m.encode_via(None, true), m.encode_via(None, false));
            prop_assert_eq!(m.encode_via(Some(&mac), true), m.encode_via(Some(&mac), false));
        }

        /// A reply encoded straight from the request is the reply message built field by
        /// field and encoded (bytes or error), with and without a MAC.
        #[test]
        fn encode_reply_is_the_built_reply(
            req in message(),
            own in proptest::collection::btree_map(
                proptest::sample::select(vec![3u8, 12, 13, 15, 37, 38, 39, 48, 54, 60, 62, 63]),
                field_value(),
                0..6,
            ),
            mac in any::<bool>(),
        ) {
            let echo = (1u128 << 3) | (1 << 4) | (1 << 11) | (1 << 37) | (1 << 60) | (1 << 41);
            let own: Vec<(u8, &[u8])> = own.iter().map(|(f, v)| (*f, v.as_slice())).collect();
            let mac = mac.then_some(&[9u8; 8]);
            let mut built = Message::new(req.mti + 10);
            for f in [3u8, 4, 11, 37, 41, 60] {
                if let Some(v) = req.get(f) {
                    built.set(f, v);
                }
            }
            for (f, v) in &own {
                built.set(*f, v);
            }
            prop_assert_eq!(req.encode_reply(req.mti + 10, echo, &own, mac), built.encode_with(mac));
        }

        /// The compiled fast path decodes exactly like the general codec, valid frames and
        /// damaged ones alike.
        #[test]
        fn fast_decode_is_the_general_decode(
            m in message(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
            cut in any::<prop::sample::Index>(),
            how in 0u8..4,
        ) {
            let Ok(mut bytes) = m.encode_via(None, false) else { return Ok(()) };
            match how {
                0 => {}
                1 => for (i, b) in &edits { let i = i.index(bytes.len()); bytes[i] = *b; },
                2 => bytes.truncate(cut.index(bytes.len() + 1)),
                _ => bytes.extend(edits.iter().map(|(_, b)| *b)),
            }
            let fast = Message::decode_via(&bytes, true);
            prop_assert_eq!(&fast, &Message::decode_via(&bytes, false));
            if how == 0 {
                prop_assert_eq!(fast, Ok(m));
            }
        }
    }

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
    fn one_buffer_behaves_like_a_field_map() {
        let mut m = Message::new(200);
        m.set(41, "12345678").set(3, "000000").set(11, "000001");
        // Replace with a shorter, then a longer value; remove; re-add.
        m.set(3, "12").set(11, "0000012345");
        assert_eq!(m.text(3), Some("12"));
        assert_eq!(m.text(11), Some("0000012345"));
        assert_eq!(m.num(11), Some(12345));
        m.remove(41);
        assert!(!m.has(41));
        m.set(41, "ABCDEFGH");
        let mut n = Message::new(200);
        n.set(3, "12").set(11, "0000012345").set(41, "ABCDEFGH");
        // Gaps left by replaced values are invisible to equality, clones and serde.
        assert_eq!(m, n);
        assert_eq!(m.clone(), n);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            serde_json::to_string(&n).unwrap()
        );
        n.set(3, "13");
        assert_ne!(m, n);
        // Numbers past 18 digits, empty or non-digit are not numbers.
        m.set(4, "1234567890123456789").set(5, "").set(6, "12a");
        assert_eq!((m.num(4), m.num(5), m.num(6)), (None, None, None));
    }

    #[test]
    fn serde_keeps_the_field_list_layout() {
        let mut m = Message::new(810);
        m.set(39, "00").set(12, [1u8, 2]);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"mti":810,"fields":[[12,[1,2]],[39,[48,48]]]}"#);
        assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), m);
        // Unordered lists (never written, but harmless) load in field order.
        let back: Message =
            serde_json::from_str(r#"{"mti":810,"fields":[[39,[48,48]],[12,[1,2]]]}"#).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn fields_outside_the_primary_bitmap_are_kept_but_refused() {
        let mut m = Message::new(200);
        m.set(41, "12345678").set(70, "301");
        assert_eq!(m.text(70), Some("301"));
        assert_eq!(m.encode(), Err(WireError::UnsupportedField { field: 70 }));
        m.set(1, "x");
        assert_eq!(m.encode(), Err(WireError::UnsupportedField { field: 1 }));
        m.remove(1);
        m.remove(70);
        assert!(m.encode().is_ok());
        // A value past the table's 64 KiB is kept aside, intact, and encoded in field order
        // (here refused by the codec as too long for F55).
        m.set(55, vec![7u8; 70_000]).set(62, "x");
        assert_eq!(m.get(55).map(<[u8]>::len), Some(70_000));
        assert_eq!(m.text(62), Some("x"));
        assert!(matches!(
            m.encode(),
            Err(WireError::Encode { field: 55, .. })
        ));
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), m);
        m.set(55, [1u8, 2]);
        assert_eq!(m.get(55), Some(&[1u8, 2][..]));
        m.remove(62);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), m);
    }

    #[test]
    fn set_num_pads_to_the_field_and_local_time_stamps() {
        let mut m = Message::new(200);
        m.set_num(11, 42).set_num(4, 12_345).set_num(41, 7);
        assert_eq!(m.text(11), Some("000042"));
        assert_eq!(m.text(4), Some("000000012345"));
        // A value longer than the field is kept whole, for encode to refuse.
        m.set_num(11, 1_234_567);
        assert_eq!(m.text(11), Some("1234567"));
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(9, 5, 7)
            .unwrap();
        m.set_local_time(t);
        assert_eq!((m.text(12), m.text(13)), (Some("090507"), Some("0302")));
    }

    #[test]
    fn decode_matches_the_owned_iso8583_decoder() {
        // Odd and even BCD lengths, left- and right-aligned, track data, ASCII and binary:
        // the sale request without its merchant id (42) and F63.
        let mut m = sale_request();
        m.remove(42);
        m.remove(63);
        for cut in [0usize, 1] {
            // Also with an odd-length F2 / F60.
            if cut == 1 {
                m.set(2, "622848040256489001").set(60, "2200000100050");
            }
            let bytes = m.encode().unwrap();
            let ours = Message::decode(&bytes).unwrap();
            let theirs = iso8583::decode(cup_pos().unwrap(), &bytes).unwrap();
            assert_eq!(ours, m);
            for (n, v) in theirs.iter() {
                assert_eq!(ours.get(n as u8), Some(v), "field {n}");
            }
        }
    }

    #[test]
    fn errors_name_field_and_offset() {
        let mut m = Message::new(210);
        m.set(39, "00").set(41, "12345678");
        let b = m.encode().unwrap();
        assert!(matches!(
            Message::decode(&b[..b.len() - 1]),
            Err(WireError::Decode {
                field: 41,
                offset: 12,
                ..
            })
        ));
        let mut bad = b.clone();
        bad[0] = 0x0a;
        assert!(matches!(
            Message::decode(&bad),
            Err(WireError::Decode { field: 0, .. })
        ));
        let mut long = b.clone();
        long.push(0);
        assert!(Message::decode(&long).is_err());
        // Values that do not fit are refused on encode, never truncated.
        let mut m = Message::new(200);
        m.set(41, "123");
        assert!(matches!(
            m.encode(),
            Err(WireError::Encode { field: 41, .. })
        ));
        m.set(41, "12345678").set(3, "12a456");
        assert!(matches!(
            m.encode(),
            Err(WireError::Encode { field: 3, .. })
        ));
    }
}
