//! BER-TLV, EMV (dictionary, explanations, DOL, field 55) and EMVCo QR for Python.
//!
//! Translation only. Structured results cross as JSON text (the core's serde form, hex for
//! bytes); failures raise `TlvError`, `EmvError` or `QrError` (subclasses of `PaycoreError`)
//! carrying `.offset` and `.path` attributes.

use std::collections::{BTreeMap, HashMap};

use paycore::emv;
use paycore::qr;
use paycore::tlv::{self, Mode, ParseOptions, Tag};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::PaycoreError;

create_exception!(
    paycore,
    TlvError,
    PaycoreError,
    "Malformed BER-TLV (attributes: offset, path)."
);
create_exception!(
    paycore,
    EmvError,
    PaycoreError,
    "An EMV operation failed (unknown tag, bad DOL, missing field 55 object)."
);
create_exception!(
    paycore,
    UnknownFlagError,
    EmvError,
    "A flag name that the EMV bit field does not define."
);
create_exception!(
    paycore,
    QrError,
    PaycoreError,
    "A malformed or inconsistent EMVCo QR payload (attributes: offset, path)."
);

fn located<E: pyo3::PyTypeInfo>(py: Python<'_>, msg: String, offset: usize, path: &str) -> PyErr {
    let err = PyErr::new::<E, _>(msg);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail in practice; ignore if so.
    let _ = value.setattr("offset", offset);
    let _ = value.setattr("path", path);
    err
}

fn tlv_err(e: tlv::TlvError) -> PyErr {
    Python::attach(|py| located::<TlvError>(py, e.to_string(), e.offset, &e.path))
}

fn qr_err(e: qr::QrError) -> PyErr {
    Python::attach(|py| located::<QrError>(py, e.to_string(), e.offset, &e.path))
}

/// DOL errors are TLV errors in the core; in Python they stay `EmvError` (as before), now with
/// `offset` and `path`.
fn dol_err(e: tlv::TlvError) -> PyErr {
    Python::attach(|py| located::<EmvError>(py, e.to_string(), e.offset, &e.path))
}

fn emv_err(msg: impl std::fmt::Display) -> PyErr {
    PyErr::new::<EmvError, _>(msg.to_string())
}

fn explain_err(e: emv::ExplainError) -> PyErr {
    match e {
        emv::ExplainError::UnknownFlag { .. } => PyErr::new::<UnknownFlagError, _>(e.to_string()),
        other => emv_err(other),
    }
}

fn json_err(e: serde_json::Error) -> PyErr {
    PyValueError::new_err(format!("invalid JSON: {e}"))
}

fn parse_mode(mode: &str) -> PyResult<Mode> {
    match mode {
        "strict" => Ok(Mode::Strict),
        "emv" => Ok(Mode::Emv),
        "lenient" => Ok(Mode::Lenient),
        _ => Err(PyValueError::new_err(
            "mode must be 'strict', 'emv' or 'lenient'",
        )),
    }
}

fn parse_tag(text: &str) -> PyResult<Tag> {
    Tag::parse_hex(text).map_err(|e| emv_err(format!("tag {text:?}: {e}")))
}

fn tag_map(tags: HashMap<String, Vec<u8>>) -> PyResult<BTreeMap<Tag, Vec<u8>>> {
    tags.into_iter()
        .map(|(k, v)| Ok((parse_tag(&k)?, v)))
        .collect()
}

/// Decodes BER-TLV into a JSON array of nodes (`tag`, `offset`, `value` hex, `children`).
#[pyfunction]
#[pyo3(signature = (data, mode = "emv", max_depth = 8))]
fn tlv_decode(data: &[u8], mode: &str, max_depth: u8) -> PyResult<String> {
    let mut options = ParseOptions::new(parse_mode(mode)?);
    options.max_depth = max_depth;
    let tree = tlv::parse_tree(data, options).map_err(tlv_err)?;
    serde_json::to_string(&tree.to_objects()).map_err(json_err)
}

/// Encodes a JSON array of nodes (as produced by `tlv_decode`) with minimal lengths.
#[pyfunction]
fn tlv_encode(nodes_json: &str) -> PyResult<Vec<u8>> {
    let objects: Vec<tlv::TlvObject> = serde_json::from_str(nodes_json).map_err(json_err)?;
    Ok(tlv::encode_objects(&objects))
}

/// Encodes `(tag, value)` pairs, in order, as BER-TLV with minimal lengths (a constructed
/// tag's value is its already-encoded content).
#[pyfunction]
fn tlv_encode_pairs(pairs: Vec<(String, Vec<u8>)>) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    for (tag, value) in &pairs {
        tlv::encode_tlv(parse_tag(tag)?, value, &mut out);
    }
    Ok(out)
}

/// The value of the object at a tag path such as `"6F/A5/BF0C"` (EMV rules), or `None`.
#[pyfunction]
fn tlv_find(data: &[u8], path: &str) -> PyResult<Option<Vec<u8>>> {
    let tree = tlv::parse_tree(data, ParseOptions::emv()).map_err(tlv_err)?;
    Ok(tree.find_path(path).map(|n| n.value().to_vec()))
}

/// A log-safe rendering of BER-TLV with sensitive values masked.
#[pyfunction]
fn redact_tlv(data: &[u8]) -> PyResult<String> {
    tlv::redact_tlv(data).map_err(tlv_err)
}

/// Explains a bit-field value (e.g. TVR `95`) as JSON (`tag`, `name`, `items` with flags and text).
#[pyfunction]
fn explain(tag: &str, value: &[u8]) -> PyResult<String> {
    let e = emv::explain(parse_tag(tag)?, value).map_err(explain_err)?;
    serde_json::to_string(&e).map_err(json_err)
}

/// Builds a bit-field value from flag names (the inverse of `explain`).
#[pyfunction]
fn encode_flags(tag: &str, flags: Vec<String>) -> PyResult<Vec<u8>> {
    let refs: Vec<&str> = flags.iter().map(String::as_str).collect();
    emv::encode_flags(parse_tag(tag)?, &refs).map_err(explain_err)
}

/// The dictionary row of a tag as JSON (`name`, `format`, `source`, ...), or `None` if unknown.
/// `parent` (hex) selects the meaning of template-dependent tags (`81`, `82`, `90`, `9F2D`).
#[pyfunction]
#[pyo3(signature = (tag, parent = None))]
fn tag_info(tag: &str, parent: Option<&str>) -> PyResult<Option<String>> {
    let parent = parent.map(parse_tag).transpose()?;
    emv::lookup_in(parse_tag(tag)?, parent)
        .map(|i| serde_json::to_string(i).map_err(json_err))
        .transpose()
}

/// Parses a DOL into JSON entries (tag and length).
#[pyfunction]
fn parse_dol(dol: &[u8]) -> PyResult<String> {
    let entries = emv::parse_dol(dol).map_err(dol_err)?;
    serde_json::to_string(&entries).map_err(json_err)
}

/// Builds DOL data (e.g. PDOL/CDOL1) from a tag→value dict, or from a list of dicts in
/// priority order (the first dict that has a tag wins); absent tags are zero-filled.
#[pyfunction]
fn build_dol(dol: &[u8], values: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let sources: Vec<HashMap<String, Vec<u8>>> = if let Ok(one) = values.extract() {
        vec![one]
    } else {
        values.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "values must be a dict[str, bytes] or a list of such dicts",
            )
        })?
    };
    let maps = sources
        .into_iter()
        .map(tag_map)
        .collect::<PyResult<Vec<_>>>()?;
    let refs: Vec<&dyn emv::TagSource> = maps.iter().map(|m| m as &dyn emv::TagSource).collect();
    emv::build_dol(dol, &refs).map_err(dol_err)
}

/// Builds request field 55 in CUP order from a tag→value dict.
#[pyfunction]
#[pyo3(signature = (tags, kind = "sale", contactless = false))]
fn build_field55(
    tags: HashMap<String, Vec<u8>>,
    kind: &str,
    contactless: bool,
) -> PyResult<Vec<u8>> {
    let kind = match kind {
        "sale" => emv::Field55Kind::Sale,
        "preauth" => emv::Field55Kind::PreAuth,
        _ => return Err(PyValueError::new_err("kind must be 'sale' or 'preauth'")),
    };
    let options = emv::Field55Options {
        kind,
        contactless,
        include_ec_tags: false,
    };
    let map = tag_map(tags)?;
    emv::build_field55(&map, &options).map_err(|e| match e {
        emv::Field55Error::Tlv(t) => tlv_err(t),
        other => emv_err(other),
    })
}

/// Parses a response field 55 (`91`, `71`/`72` scripts, others) into JSON.
#[pyfunction]
fn parse_field55_response(data: &[u8]) -> PyResult<String> {
    let r = emv::parse_field55_response(data).map_err(|e| match e {
        emv::Field55Error::Tlv(t) => tlv_err(t),
        other => emv_err(other),
    })?;
    serde_json::to_string(&r).map_err(json_err)
}

/// Parses an EMVCo merchant-presented QR payload into JSON (checks the CRC).
#[pyfunction]
fn parse_mpm(text: &str) -> PyResult<String> {
    let p = qr::parse_mpm(text).map_err(qr_err)?;
    serde_json::to_string(&p).map_err(json_err)
}

/// Builds an EMVCo merchant-presented QR payload (with CRC) from the JSON of `parse_mpm`.
#[pyfunction]
fn build_mpm(payload_json: &str) -> PyResult<String> {
    let p: qr::MerchantPayload = serde_json::from_str(payload_json).map_err(json_err)?;
    qr::build_mpm(&p).map_err(qr_err)
}

/// CRC-16/CCITT-FALSE as used by EMVCo QR (check value of b"123456789" is 0x29B1).
#[pyfunction]
fn crc16(data: &[u8]) -> u16 {
    qr::crc16_ccitt_false(data)
}

/// A consumer-presented (CPM) QR payload. Holds card data (the PAN in `5A`): `repr()` shows
/// only the application count; the data is reachable explicitly through `to_json()`.
#[pyclass(frozen, module = "paycore")]
pub struct CpmPayload(qr::ConsumerPayload);

#[pymethods]
impl CpmPayload {
    /// Parses Base64 CPM text (padding optional).
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        qr::parse_cpm(text).map(CpmPayload).map_err(qr_err)
    }

    /// Builds from JSON (`applications` with `adf_name` hex and `data`/`transparent` nodes).
    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Self> {
        serde_json::from_str(json).map(CpmPayload).map_err(json_err)
    }

    /// The payload as JSON (contains card data: do not log).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(json_err)
    }

    /// Encodes as Base64 text (standard alphabet, padded).
    fn to_base64(&self) -> PyResult<String> {
        qr::build_cpm(&self.0).map_err(qr_err)
    }

    fn __repr__(&self) -> String {
        format!("CpmPayload(<{} application(s)>)", self.0.applications.len())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TlvError", py.get_type::<TlvError>())?;
    m.add("EmvError", py.get_type::<EmvError>())?;
    m.add("UnknownFlagError", py.get_type::<UnknownFlagError>())?;
    m.add("QrError", py.get_type::<QrError>())?;
    m.add_function(wrap_pyfunction!(tlv_decode, m)?)?;
    m.add_function(wrap_pyfunction!(tlv_encode, m)?)?;
    m.add_function(wrap_pyfunction!(tlv_encode_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(tlv_find, m)?)?;
    m.add_function(wrap_pyfunction!(redact_tlv, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(encode_flags, m)?)?;
    m.add_function(wrap_pyfunction!(build_dol, m)?)?;
    m.add_function(wrap_pyfunction!(tag_info, m)?)?;
    m.add_function(wrap_pyfunction!(parse_dol, m)?)?;
    m.add_function(wrap_pyfunction!(build_field55, m)?)?;
    m.add_function(wrap_pyfunction!(parse_field55_response, m)?)?;
    m.add_function(wrap_pyfunction!(parse_mpm, m)?)?;
    m.add_function(wrap_pyfunction!(build_mpm, m)?)?;
    m.add_function(wrap_pyfunction!(crc16, m)?)?;
    m.add_class::<CpmPayload>()?;
    Ok(())
}
