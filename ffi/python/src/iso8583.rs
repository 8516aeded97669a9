//! ISO 8583 for Python: `Iso8583Spec`, `Iso8583Message`, `Iso8583Frame` and the
//! `Iso8583Error` family (decode errors carry `.field` and `.offset`).
//!
//! Values are logical: `str` for n/an/ans/z fields (track data with `=`), and for `b` fields
//! upper-case hex as `str` (or raw `bytes` through `get_bytes`/assigning `bytes`), like the
//! JSON form. `repr()` lists field numbers only, never values.

use crate::errors::{Error, PaycoreError, Result};
use paycore::iso8583::{
    self as core, CupHeader, DecodeCause, DecodeError, EncodeCause, EncodeError, Format,
    FrameError, JsonError, MacError, Message, Mti, Spec, SpecError, Structure, Tpdu,
};
use pyo3::create_exception;
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyIterator, PyList, PyString};
use std::sync::Arc;

create_exception!(
    paycore,
    Iso8583Error,
    PaycoreError,
    "An ISO 8583 operation failed. `.field` is the field number involved (0 = MTI, 1 = bitmap) \
     or None; `.offset` the byte offset of a decode error or None."
);
create_exception!(
    paycore,
    Iso8583DecodeError,
    Iso8583Error,
    "A message could not be decoded; `.field` and `.offset` say where."
);
create_exception!(
    paycore,
    Iso8583TruncatedError,
    Iso8583DecodeError,
    "The message ends inside a field (more bytes are needed)."
);
create_exception!(
    paycore,
    Iso8583EncodeError,
    Iso8583Error,
    "A value or message does not fit the spec; `.field` names the field."
);
create_exception!(
    paycore,
    Iso8583SpecError,
    Iso8583Error,
    "Unknown built-in spec or invalid spec JSON."
);
create_exception!(
    paycore,
    Iso8583JsonError,
    Iso8583Error,
    "A message in JSON is malformed or does not fit the spec."
);
create_exception!(
    paycore,
    Iso8583FrameError,
    Iso8583Error,
    "Bad framing (length header, TPDU, CUP header)."
);
create_exception!(
    paycore,
    Iso8583MacError,
    Iso8583Error,
    "The spec or message has no usable MAC field."
);

/// An exception instance with `.field` / `.offset` set.
fn located(err: PyErr, field: Option<u16>, offset: Option<usize>) -> Error {
    Python::attach(|py| {
        let v = err.value(py);
        // Setting attributes on a fresh exception instance cannot fail in practice; if it
        // did, the exception still carries field and offset in its message.
        let _ = v.setattr("field", field);
        let _ = v.setattr("offset", offset);
    });
    Error(err)
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Error {
        let msg = format!("decode: {e}");
        let err = match e.cause {
            DecodeCause::Truncated { .. } => Iso8583TruncatedError::new_err(msg),
            _ => Iso8583DecodeError::new_err(msg),
        };
        located(err, Some(e.field), Some(e.offset))
    }
}

impl From<EncodeError> for Error {
    fn from(e: EncodeError) -> Error {
        located(
            Iso8583EncodeError::new_err(format!("encode: {e}")),
            Some(e.field),
            None,
        )
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Error {
        let field = match &e {
            SpecError::InvalidField { field, .. } => Some(*field),
            _ => None,
        };
        located(Iso8583SpecError::new_err(e.to_string()), field, None)
    }
}

impl From<JsonError> for Error {
    fn from(e: JsonError) -> Error {
        let field = match &e {
            JsonError::Field { field, .. } => Some(*field),
            JsonError::Syntax(_) => None,
        };
        located(Iso8583JsonError::new_err(e.to_string()), field, None)
    }
}

impl From<FrameError> for Error {
    fn from(e: FrameError) -> Error {
        located(
            Iso8583FrameError::new_err(format!("framing: {e}")),
            None,
            None,
        )
    }
}

impl From<MacError> for Error {
    fn from(e: MacError) -> Error {
        match e {
            MacError::Encode(e) => e.into(),
            MacError::Decode(e) => e.into(),
            MacError::NoMacField { field } => {
                located(Iso8583MacError::new_err(e.to_string()), Some(field), None)
            }
            other => located(Iso8583MacError::new_err(other.to_string()), None, None),
        }
    }
}

fn bad_mti() -> Error {
    EncodeError {
        field: core::FIELD_MTI,
        cause: EncodeCause::BadMti,
    }
    .into()
}

fn encode_err(field: u16, msg: String) -> Error {
    located(Iso8583EncodeError::new_err(msg), Some(field), None)
}

/// A value as text: hex for `b`, else UTF-8 (an error naming the field otherwise).
fn value_text(format: Format, field: u16, v: &[u8]) -> Result<String> {
    if format == Format::B {
        return Ok(paycore::hex::encode(v));
    }
    std::str::from_utf8(v).map(str::to_owned).map_err(|_| {
        located(
            Iso8583Error::new_err(format!(
                "field {field} is not UTF-8 text (read it with get_bytes())"
            )),
            Some(field),
            None,
        )
    })
}

fn parse_mti(text: &str) -> Result<Mti> {
    Mti::parse(text).map_err(|_| bad_mti())
}

/// An ISO 8583 dialect: `Iso8583Spec.builtin("cup-pos")` (also `iso87ascii`, `iso87binary`,
/// `iso93ascii`) or `Iso8583Spec.from_json(text)`. Immutable and shareable.
#[pyclass(frozen, module = "paycore")]
pub struct Iso8583Spec(Arc<Spec>);

impl Iso8583Spec {
    fn message(&self, msg: Message) -> Iso8583Message {
        Iso8583Message {
            spec: Arc::clone(&self.0),
            msg,
        }
    }
}

#[pymethods]
impl Iso8583Spec {
    /// A built-in spec by name.
    #[staticmethod]
    fn builtin(name: &str) -> Result<Self> {
        Spec::builtin(name)
            .map(|s| Iso8583Spec(Arc::new(s)))
            .ok_or_else(|| {
                located(
                    Iso8583SpecError::new_err(format!(
                        "unknown built-in spec {name:?} (built-ins: {})",
                        Spec::builtin_names().join(", ")
                    )),
                    None,
                    None,
                )
            })
    }

    /// The names of the built-in specs.
    #[staticmethod]
    fn builtin_names() -> Vec<&'static str> {
        Spec::builtin_names().to_vec()
    }

    /// A spec from its JSON description.
    #[staticmethod]
    fn from_json(text: &str) -> Result<Self> {
        Ok(Iso8583Spec(Arc::new(Spec::from_json(text)?)))
    }

    /// The spec's name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    /// The spec as JSON (loadable with `from_json`).
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// Decodes one message (MTI onwards, no framing).
    fn decode(&self, data: &[u8]) -> Result<Iso8583Message> {
        Ok(self.message(core::decode(&self.0, data)?))
    }

    /// Decodes a complete frame: length header (must match), TPDU and CUP header when the
    /// framing has them (cup-pos), then the message. Decode error offsets count from the
    /// start of the frame.
    fn decode_framed(&self, py: Python<'_>, frame: &[u8]) -> Result<Iso8583Frame> {
        let framing = self.0.framing();
        let f = framing.unwrap(frame)?;
        let msg = core::decode(&self.0, f.body).map_err(|e| DecodeError {
            offset: e.offset + framing.length.width() + framing.preamble_len(),
            ..e
        })?;
        Ok(Iso8583Frame {
            tpdu: f.tpdu.map(|t| t.to_string()),
            header: f.header.map(|h| h.to_string()),
            message: Py::new(py, self.message(msg))?,
        })
    }

    /// An empty message with a 4-digit MTI.
    fn new_message(&self, mti: &str) -> Result<Iso8583Message> {
        Ok(self.message(Message::new(parse_mti(mti)?)))
    }

    /// A message from its JSON form (`{"mti": …, "fields": {…}}`), checked against the spec.
    fn message_from_json(&self, text: &str) -> Result<Iso8583Message> {
        Ok(self.message(Message::from_json(text, &self.0)?))
    }

    fn __repr__(&self) -> String {
        format!("Iso8583Spec({:?})", self.0.name())
    }
}

/// A decoded frame: `tpdu` and `header` as hex (None when the framing has none) and the
/// `message`.
#[pyclass(frozen, module = "paycore")]
pub struct Iso8583Frame {
    /// The 5-byte TPDU as 10 hex digits.
    #[pyo3(get)]
    tpdu: Option<String>,
    /// The 6-byte CUP header as 12 hex digits.
    #[pyo3(get)]
    header: Option<String>,
    /// The message.
    #[pyo3(get)]
    message: Py<Iso8583Message>,
}

#[pymethods]
impl Iso8583Frame {
    fn __repr__(&self) -> String {
        format!(
            "Iso8583Frame(tpdu={:?}, header={:?})",
            self.tpdu, self.header
        )
    }
}

/// An ISO 8583 message bound to its spec. Field access: `msg[2]` / `msg.get(2)` give text
/// (hex for `b`), `msg.get_bytes(2)` the logical bytes; `msg[2] = "…"` (or `bytes`) sets and
/// checks against the spec at once. `repr()` shows field numbers only.
#[pyclass(module = "paycore")]
pub struct Iso8583Message {
    spec: Arc<Spec>,
    msg: Message,
}

impl Iso8583Message {
    fn format(&self, field: u16) -> Format {
        self.spec.field(field).map_or(Format::B, |f| f.format)
    }

    fn set_checked(&mut self, field: u16, value: Vec<u8>) -> Result<()> {
        let old = self.msg.get(field).map(<[u8]>::to_vec);
        self.msg.set(field, value);
        if let Err(e) = self.msg.validate(&self.spec) {
            match old {
                Some(v) => {
                    self.msg.set(field, v);
                }
                None => {
                    self.msg.remove(field);
                }
            }
            return Err(e.into());
        }
        Ok(())
    }

    fn set_value(&mut self, field: u16, value: &Bound<'_, PyAny>) -> Result<()> {
        if let Ok(b) = value.cast::<PyBytes>() {
            return self.set_checked(field, b.as_bytes().to_vec());
        }
        let Ok(s) = value.cast::<PyString>() else {
            return Err(Error(PyTypeError::new_err(
                "a field value is str (hex for b fields) or bytes",
            )));
        };
        let text = s.to_cow()?;
        let text: &str = &text;
        let v = if self.format(field) == Format::B && self.spec.field(field).is_some() {
            paycore::hex::decode(text).map_err(|e| {
                encode_err(
                    field,
                    format!("encode: field {field}: b field needs hex: {e}"),
                )
            })?
        } else {
            text.as_bytes().to_vec()
        };
        self.set_checked(field, v)
    }
}

#[pymethods]
impl Iso8583Message {
    /// An empty message for `spec` with a 4-digit MTI.
    #[new]
    fn new(spec: &Iso8583Spec, mti: &str) -> Result<Self> {
        spec.new_message(mti)
    }

    /// A message from its JSON form, checked against `spec`.
    #[staticmethod]
    fn from_json(spec: &Iso8583Spec, text: &str) -> Result<Self> {
        spec.message_from_json(text)
    }

    /// The spec the message is bound to.
    #[getter]
    fn spec(&self) -> Iso8583Spec {
        Iso8583Spec(Arc::clone(&self.spec))
    }

    /// The 4-digit MTI (assignable).
    #[getter]
    fn mti(&self) -> String {
        self.msg.mti().to_string()
    }

    #[setter]
    fn set_mti(&mut self, mti: &str) -> Result<()> {
        self.msg.set_mti(parse_mti(mti)?);
        Ok(())
    }

    /// The numbers of the present fields, ascending.
    fn fields(&self) -> Vec<u16> {
        self.msg.iter().map(|(n, _)| n).collect()
    }

    /// Field `field` as text (hex for `b`), or `default` when absent.
    #[pyo3(signature = (field, default = None))]
    fn get(&self, field: u16, default: Option<String>) -> Result<Option<String>> {
        match self.msg.get(field) {
            Some(v) => value_text(self.format(field), field, v).map(Some),
            None => Ok(default),
        }
    }

    /// The logical bytes of `field` (ASCII for text formats, raw for `b`), or None.
    fn get_bytes<'py>(&self, py: Python<'py>, field: u16) -> Option<Bound<'py, PyBytes>> {
        self.msg.get(field).map(|v| PyBytes::new(py, v))
    }

    /// The positional sub-fields of `field` as text (e.g. CUP F60), or None when absent or
    /// not composite.
    fn subfields(&self, field: u16) -> Result<Option<Vec<String>>> {
        let Some(parts) = self.msg.subfields(&self.spec, field) else {
            return Ok(None);
        };
        let subs = match self.spec.field(field).and_then(|f| f.structure.as_ref()) {
            Some(Structure::Positional { subfields }) => subfields,
            _ => return Ok(None),
        };
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| value_text(subs.get(i).map_or(Format::B, |s| s.format), field, p))
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    /// Sets a positional composite field from sub-field values (trailing ones may be
    /// omitted; hex for `b` sub-fields); each is checked.
    fn set_subfields(&mut self, field: u16, values: Vec<String>) -> Result<()> {
        let subs = match self.spec.field(field).and_then(|f| f.structure.as_ref()) {
            Some(Structure::Positional { subfields }) => subfields.as_slice(),
            _ => &[],
        };
        let mut parts = Vec::with_capacity(values.len());
        for (i, v) in values.into_iter().enumerate() {
            if subs.get(i).is_some_and(|s| s.format == Format::B) {
                parts.push(paycore::hex::decode(&v).map_err(|e| {
                    encode_err(
                        field,
                        format!("encode: field {field}: sub-field {} needs hex: {e}", i + 1),
                    )
                })?);
            } else {
                parts.push(v.into_bytes());
            }
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let mut probe = Message::new(self.msg.mti());
        probe.set_subfields(&self.spec, field, &refs)?;
        let value = probe.get(field).map(<[u8]>::to_vec).unwrap_or_default();
        self.set_checked(field, value)
    }

    /// Encodes the message (no framing); bitmaps are set automatically.
    fn encode<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.msg.encode(&self.spec)?))
    }

    /// Encodes a complete frame; `tpdu` (10 hex digits) and `header` (12 hex digits) are
    /// required when the spec's framing has them (cup-pos).
    #[pyo3(signature = (tpdu = None, header = None))]
    fn encode_framed<'py>(
        &self,
        py: Python<'py>,
        tpdu: Option<&str>,
        header: Option<&str>,
    ) -> Result<Bound<'py, PyBytes>> {
        let tpdu = tpdu.map(Tpdu::from_hex).transpose()?;
        let header = header.map(CupHeader::from_hex).transpose()?;
        let body = self.msg.encode(&self.spec)?;
        Ok(PyBytes::new(
            py,
            &self.spec.framing().wrap(tpdu, header, &body)?,
        ))
    }

    /// The message as JSON text (card data unmasked).
    fn to_json(&self) -> String {
        self.msg.to_json(&self.spec)
    }

    /// A readable dump, one line per field. PAN, track data, PIN block and sensitive EMV
    /// tags are masked unless `masked=False` is passed explicitly (never log that).
    #[pyo3(signature = (masked = true))]
    fn describe(&self, masked: bool) -> String {
        core::describe(&self.msg, &self.spec, masked)
    }

    /// The bytes the MAC covers: the encoded message from the MTI up to (not including) the
    /// MAC field, with the bitmap announcing it. Compute the MAC and set field 64.
    fn mac_input<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(
            py,
            &core::mac::mac_input(&self.msg, &self.spec)?,
        ))
    }

    fn __getitem__(&self, field: u16) -> Result<String> {
        match self.msg.get(field) {
            Some(v) => value_text(self.format(field), field, v),
            None => Err(Error(PyKeyError::new_err(field))),
        }
    }

    fn __setitem__(&mut self, field: u16, value: &Bound<'_, PyAny>) -> Result<()> {
        self.set_value(field, value)
    }

    fn __delitem__(&mut self, field: u16) -> Result<()> {
        if self.msg.remove(field) {
            Ok(())
        } else {
            Err(Error(PyKeyError::new_err(field)))
        }
    }

    fn __contains__(&self, field: u16) -> bool {
        self.msg.has(field)
    }

    fn __len__(&self) -> usize {
        self.msg.iter().count()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        PyList::new(py, self.fields())?.try_iter()
    }

    fn __repr__(&self) -> String {
        format!(
            "Iso8583Message(mti='{}', fields={:?})",
            self.msg.mti(),
            self.fields()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<Iso8583Error>();
    base.setattr("field", py.None())?;
    base.setattr("offset", py.None())?;
    m.add("Iso8583Error", base)?;
    m.add("Iso8583DecodeError", py.get_type::<Iso8583DecodeError>())?;
    m.add(
        "Iso8583TruncatedError",
        py.get_type::<Iso8583TruncatedError>(),
    )?;
    m.add("Iso8583EncodeError", py.get_type::<Iso8583EncodeError>())?;
    m.add("Iso8583SpecError", py.get_type::<Iso8583SpecError>())?;
    m.add("Iso8583JsonError", py.get_type::<Iso8583JsonError>())?;
    m.add("Iso8583FrameError", py.get_type::<Iso8583FrameError>())?;
    m.add("Iso8583MacError", py.get_type::<Iso8583MacError>())?;
    m.add_class::<Iso8583Spec>()?;
    m.add_class::<Iso8583Frame>()?;
    m.add_class::<Iso8583Message>()?;
    Ok(())
}
