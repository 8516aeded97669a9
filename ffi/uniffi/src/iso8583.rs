//! ISO 8583 for Kotlin/Swift: `Iso8583Spec` and `Iso8583Message` objects (a message may hold
//! a PAN, track data and a PIN block, so it is never a data class that prints itself).
//!
//! Values are logical: text for n/an/ans/z fields (track data with `=`), raw bytes for `b`
//! fields; the text accessors show and take `b` values as upper-case hex, like the JSON form.

use crate::PaycoreError;
use paycore::iso8583::{
    self as core, CupHeader, DecodeCause, DecodeError, EncodeCause, EncodeError, Format,
    FrameError, JsonError, MacError, Message, Mti, Spec, SpecError, Structure, Tpdu,
};
use std::sync::{Arc, Mutex, MutexGuard};

impl From<DecodeError> for PaycoreError {
    fn from(e: DecodeError) -> Self {
        let m = format!("decode: {e}");
        match e.cause {
            DecodeCause::Truncated { .. } => PaycoreError::Iso8583Truncated(m),
            _ => PaycoreError::Iso8583Decode(m),
        }
    }
}

impl From<EncodeError> for PaycoreError {
    fn from(e: EncodeError) -> Self {
        PaycoreError::Iso8583Encode(format!("encode: {e}"))
    }
}

impl From<SpecError> for PaycoreError {
    fn from(e: SpecError) -> Self {
        PaycoreError::Iso8583Spec(e.to_string())
    }
}

impl From<JsonError> for PaycoreError {
    fn from(e: JsonError) -> Self {
        PaycoreError::Iso8583Json(e.to_string())
    }
}

impl From<FrameError> for PaycoreError {
    fn from(e: FrameError) -> Self {
        PaycoreError::Iso8583Frame(format!("framing: {e}"))
    }
}

impl From<MacError> for PaycoreError {
    fn from(e: MacError) -> Self {
        match e {
            MacError::Encode(e) => e.into(),
            MacError::Decode(e) => e.into(),
            other => PaycoreError::Iso8583Mac(other.to_string()),
        }
    }
}

fn bad_mti() -> PaycoreError {
    EncodeError {
        field: core::FIELD_MTI,
        cause: EncodeCause::BadMti,
    }
    .into()
}

fn value_text(format: Format, v: &[u8]) -> Option<String> {
    if format == Format::B {
        return Some(paycore::hex::encode(v));
    }
    std::str::from_utf8(v).ok().map(str::to_owned)
}

/// The names of the built-in specs.
#[uniffi::export]
pub fn iso8583_builtin_specs() -> Vec<String> {
    Spec::builtin_names()
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// An ISO 8583 dialect: built in (`cup-pos`, `iso87ascii`, `iso87binary`, `iso93ascii`) or
/// loaded from JSON. Immutable and thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct Iso8583Spec(Arc<Spec>);

/// A decoded frame: the TPDU and CUP header (hex; null when the framing has none) and the
/// message.
#[derive(uniffi::Record)]
pub struct Iso8583Frame {
    /// The 5-byte TPDU as 10 hex digits.
    pub tpdu: Option<String>,
    /// The 6-byte CUP application header as 12 hex digits.
    pub header: Option<String>,
    /// The message.
    pub message: Arc<Iso8583Message>,
}

impl Iso8583Spec {
    fn message(&self, msg: Message) -> Arc<Iso8583Message> {
        Arc::new(Iso8583Message {
            spec: Arc::clone(&self.0),
            msg: Mutex::new(msg),
        })
    }
}

#[uniffi::export]
impl Iso8583Spec {
    /// A built-in spec by name.
    #[uniffi::constructor]
    pub fn builtin(name: String) -> Result<Arc<Iso8583Spec>, PaycoreError> {
        Spec::builtin(&name)
            .map(|s| Arc::new(Iso8583Spec(Arc::new(s))))
            .ok_or_else(|| {
                PaycoreError::Iso8583Spec(format!(
                    "unknown built-in spec {name:?} (built-ins: {})",
                    Spec::builtin_names().join(", ")
                ))
            })
    }

    /// A spec from its JSON description.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Iso8583Spec>, PaycoreError> {
        Ok(Arc::new(Iso8583Spec(Arc::new(Spec::from_json(&json)?))))
    }

    /// The spec's name.
    pub fn name(&self) -> String {
        self.0.name().to_owned()
    }

    /// The spec as JSON (loadable with `fromJson`).
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// Decodes one message (MTI onwards). Errors name the field and the byte offset.
    pub fn decode(&self, bytes: Vec<u8>) -> Result<Arc<Iso8583Message>, PaycoreError> {
        Ok(self.message(core::decode(&self.0, &bytes)?))
    }

    /// Decodes a complete frame (length header, TPDU and CUP header for cup-pos, message).
    /// Decode error offsets count from the start of the frame.
    pub fn decode_framed(&self, frame: Vec<u8>) -> Result<Iso8583Frame, PaycoreError> {
        let framing = self.0.framing();
        let f = framing.unwrap(&frame)?;
        let msg = core::decode(&self.0, f.body).map_err(|e| DecodeError {
            offset: e.offset + framing.length.width() + framing.preamble_len(),
            ..e
        })?;
        Ok(Iso8583Frame {
            tpdu: f.tpdu.map(|t| t.to_string()),
            header: f.header.map(|h| h.to_string()),
            message: self.message(msg),
        })
    }

    /// An empty message with a 4-digit MTI.
    pub fn new_message(&self, mti: String) -> Result<Arc<Iso8583Message>, PaycoreError> {
        let mti = Mti::parse(&mti).map_err(|_| bad_mti())?;
        Ok(self.message(Message::new(mti)))
    }

    /// A message from its JSON form, checked against the spec.
    pub fn message_from_json(&self, json: String) -> Result<Arc<Iso8583Message>, PaycoreError> {
        Ok(self.message(Message::from_json(&json, &self.0)?))
    }
}

/// An ISO 8583 message bound to its spec. `toString()` shows nothing of the content; use
/// `describe()` (masked) for logs.
#[derive(uniffi::Object)]
pub struct Iso8583Message {
    spec: Arc<Spec>,
    msg: Mutex<Message>,
}

impl std::fmt::Debug for Iso8583Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iso8583Message").finish_non_exhaustive()
    }
}

impl Iso8583Message {
    fn lock(&self) -> MutexGuard<'_, Message> {
        self.msg.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn format(&self, field: u16) -> Format {
        self.spec.field(field).map_or(Format::B, |f| f.format)
    }

    fn set_checked(&self, field: u16, value: Vec<u8>) -> Result<(), PaycoreError> {
        let mut m = self.lock();
        let old = m.get(field).map(<[u8]>::to_vec);
        m.set(field, value);
        if let Err(e) = m.validate(&self.spec) {
            match old {
                Some(v) => {
                    m.set(field, v);
                }
                None => {
                    m.remove(field);
                }
            }
            return Err(e.into());
        }
        Ok(())
    }
}

#[uniffi::export]
impl Iso8583Message {
    /// The 4-digit MTI.
    pub fn mti(&self) -> String {
        self.lock().mti().as_str().to_owned()
    }

    /// Replaces the MTI.
    pub fn set_mti(&self, mti: String) -> Result<(), PaycoreError> {
        let mti = Mti::parse(&mti).map_err(|_| bad_mti())?;
        self.lock().set_mti(mti);
        Ok(())
    }

    /// The numbers of the present fields, ascending.
    pub fn fields(&self) -> Vec<u16> {
        self.lock().iter().map(|(n, _)| n).collect()
    }

    /// Whether a field is present.
    pub fn has(&self, field: u16) -> bool {
        self.lock().has(field)
    }

    /// A field as text (hex for `b`); null when absent or not UTF-8 text.
    pub fn text(&self, field: u16) -> Option<String> {
        let fmt = self.format(field);
        self.lock().get(field).and_then(|v| value_text(fmt, v))
    }

    /// A field's logical bytes (ASCII for text formats, raw for `b`); null when absent.
    pub fn bytes(&self, field: u16) -> Option<Vec<u8>> {
        self.lock().get(field).map(<[u8]>::to_vec)
    }

    /// The positional sub-fields of a field as text (hex for `b` sub-fields), e.g. CUP F60;
    /// null when absent or not composite.
    pub fn subfields(&self, field: u16) -> Option<Vec<String>> {
        let m = self.lock();
        let parts = m.subfields(&self.spec, field)?;
        let subs = match self.spec.field(field).and_then(|f| f.structure.as_ref()) {
            Some(Structure::Positional { subfields }) => subfields,
            _ => return None,
        };
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| value_text(subs.get(i).map_or(Format::B, |s| s.format), p))
            .collect()
    }

    /// Sets a field from text (hex for a `b` field), checked against the spec at once.
    pub fn set_text(&self, field: u16, text: String) -> Result<(), PaycoreError> {
        let value = if self.format(field) == Format::B && self.spec.field(field).is_some() {
            paycore::hex::decode(&text).map_err(|e| {
                PaycoreError::Iso8583Encode(format!(
                    "encode: field {field}: b field needs hex: {e}"
                ))
            })?
        } else {
            text.into_bytes()
        };
        self.set_checked(field, value)
    }

    /// Sets a field to raw logical bytes, checked against the spec at once.
    pub fn set_bytes(&self, field: u16, bytes: Vec<u8>) -> Result<(), PaycoreError> {
        self.set_checked(field, bytes)
    }

    /// Sets a positional composite field from its sub-field values (trailing ones may be
    /// omitted); each sub-field's length and format are checked; `b` sub-fields are given as hex.
    pub fn set_subfields(&self, field: u16, values: Vec<String>) -> Result<(), PaycoreError> {
        let subs = match self.spec.field(field).and_then(|f| f.structure.as_ref()) {
            Some(Structure::Positional { subfields }) => subfields.as_slice(),
            _ => &[],
        };
        let mut parts = Vec::with_capacity(values.len());
        for (i, v) in values.into_iter().enumerate() {
            if subs.get(i).is_some_and(|s| s.format == Format::B) {
                parts.push(paycore::hex::decode(&v).map_err(|e| {
                    PaycoreError::Iso8583Encode(format!(
                        "encode: field {field}: sub-field {} needs hex: {e}",
                        i + 1
                    ))
                })?);
            } else {
                parts.push(v.into_bytes());
            }
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let mut probe = Message::new(self.lock().mti());
        probe.set_subfields(&self.spec, field, &refs)?;
        let value = probe.get(field).map(<[u8]>::to_vec).unwrap_or_default();
        self.set_checked(field, value)
    }

    /// Removes a field; returns whether it was present.
    pub fn remove(&self, field: u16) -> bool {
        self.lock().remove(field)
    }

    /// Encodes the message (no framing); bitmaps are set automatically.
    pub fn encode(&self) -> Result<Vec<u8>, PaycoreError> {
        Ok(self.lock().encode(&self.spec)?)
    }

    /// Encodes a complete frame; `tpdu` (10 hex digits) and `header` (12 hex digits) are
    /// required when the spec's framing has them (cup-pos).
    pub fn encode_framed(
        &self,
        tpdu: Option<String>,
        header: Option<String>,
    ) -> Result<Vec<u8>, PaycoreError> {
        let tpdu = tpdu.map(|t| Tpdu::from_hex(&t)).transpose()?;
        let header = header.map(|h| CupHeader::from_hex(&h)).transpose()?;
        let body = self.lock().encode(&self.spec)?;
        Ok(self.spec.framing().wrap(tpdu, header, &body)?)
    }

    /// The message as JSON (unmasked card data).
    pub fn to_json(&self) -> String {
        self.lock().to_json(&self.spec)
    }

    /// A readable dump with PAN, track, PIN block and sensitive EMV tags masked.
    pub fn describe(&self) -> String {
        core::describe(&self.lock(), &self.spec, true)
    }

    /// The dump WITHOUT masking: debugging only, never for logs.
    pub fn describe_unmasked(&self) -> String {
        core::describe(&self.lock(), &self.spec, false)
    }

    /// The bytes the MAC covers (MTI up to, not including, the MAC field, with the bitmap
    /// announcing it). Compute the MAC with the security module and set field 64.
    pub fn mac_input(&self) -> Result<Vec<u8>, PaycoreError> {
        Ok(core::mac::mac_input(&self.lock(), &self.spec)?)
    }
}
