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

/// A message: MTI and up to 64 fields.
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

    /// Sets F12 (hhmmss) and F13 (MMDD) from a local date-time: both sides stamp messages in
    /// the network's local time, not UTC.
    pub fn set_local_time(&mut self, local: chrono::NaiveDateTime) -> &mut Self {
        use chrono::{Datelike, Timelike};
        self.set(
            12,
            format!(
                "{:02}{:02}{:02}",
                local.hour(),
                local.minute(),
                local.second()
            ),
        );
        self.set(13, format!("{:02}{:02}", local.month(), local.day()))
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

    /// Sets a fixed-length numeric field from a number, zero-padded to the field's length
    /// (a value too long for the field is caught by [`Message::encode`]).
    pub fn set_num(&mut self, field: u8, value: u64) -> &mut Self {
        let width = cup_pos()
            .ok()
            .and_then(|s| s.field(u16::from(field)))
            .filter(|f| f.length == LengthType::Fixed)
            .map_or(0, |f| usize::from(f.max));
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

    fn to_iso(&self) -> Result<iso8583::Message, WireError> {
        let digits = format!("{:04}", self.mti);
        let mti = Mti::parse(&digits).map_err(|_| WireError::Encode {
            field: 0,
            reason: "bad MTI".into(),
        })?;
        let mut m = iso8583::Message::new(mti);
        for (f, v) in &self.fields {
            if !(2..=64).contains(f) {
                return Err(WireError::UnsupportedField {
                    field: u16::from(*f),
                });
            }
            m.set(u16::from(*f), v.clone());
        }
        Ok(m)
    }

    /// Encodes MTI, bitmap and fields with the `cup-pos` spec. F64, if set, is written as given;
    /// use [`Message::mab`] to compute it.
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        Ok(self.to_iso()?.encode(cup_pos()?)?)
    }

    /// The MAC block: the encoding up to (excluding) F64, with bit 64 set in the bitmap.
    pub fn mab(&self) -> Result<Vec<u8>, WireError> {
        Ok(iso8583::mac::mac_input(&self.to_iso()?, cup_pos()?)?)
    }

    /// Decodes a frame that starts at the MTI. Never panics; allocation bounded by the input.
    pub fn decode(bytes: &[u8]) -> Result<Message, WireError> {
        let view = iso8583::decode_ref(cup_pos()?, bytes)?;
        let mti = view
            .mti()
            .to_string()
            .parse()
            .map_err(|_| WireError::Decode {
                field: 0,
                offset: 0,
                reason: "MTI is not four digits".into(),
            })?;
        let mut msg = Message::new(mti);
        for f in view.fields() {
            let n = f.number();
            if n > 64 {
                return Err(WireError::UnsupportedField { field: n });
            }
            if n >= 2 {
                msg.fields.push((n as u8, f.value().into_owned()));
            }
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
