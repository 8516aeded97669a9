//! BER-TLV, EMV (explanations, DOL, field 55) and EMVCo QR for Kotlin/Swift.
//!
//! Translation only. Structured results cross as JSON text (the core's serde form, hex for
//! bytes). Errors are `PaycoreException.TlvError` / `.EmvError` / `.QrError` whose messages
//! carry the byte/character offset and the tag/ID path.

use std::collections::{BTreeMap, HashMap};

use paycore::emv;
use paycore::qr;
use paycore::tlv::{self, Mode, ParseOptions, Tag};

use crate::error::PaycoreError;

/// How strictly BER-TLV is read.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum TlvMode {
    /// Strict BER.
    Strict,
    /// EMV rules (00 padding between objects).
    Emv,
    /// Data from the field: also FF padding and length quirks.
    Lenient,
}

/// Request field 55 kind.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum Field55Kind {
    /// Sale (0200).
    Sale,
    /// Pre-authorisation (0100).
    PreAuth,
}

impl From<tlv::TlvError> for PaycoreError {
    fn from(e: tlv::TlvError) -> Self {
        PaycoreError::TlvError(e.to_string())
    }
}

impl From<qr::QrError> for PaycoreError {
    fn from(e: qr::QrError) -> Self {
        PaycoreError::QrError(e.to_string())
    }
}

impl From<emv::Field55Error> for PaycoreError {
    fn from(e: emv::Field55Error) -> Self {
        match e {
            emv::Field55Error::Tlv(t) => t.into(),
            other => PaycoreError::EmvError(other.to_string()),
        }
    }
}

fn emv_err(e: impl std::fmt::Display) -> PaycoreError {
    PaycoreError::EmvError(e.to_string())
}

fn json_err(e: serde_json::Error) -> PaycoreError {
    PaycoreError::InvalidArgument(format!("invalid JSON: {e}"))
}

fn tag(text: &str) -> Result<Tag, PaycoreError> {
    Tag::parse_hex(text).map_err(|e| emv_err(format!("tag {text:?}: {e}")))
}

fn tag_map(tags: HashMap<String, Vec<u8>>) -> Result<BTreeMap<Tag, Vec<u8>>, PaycoreError> {
    tags.into_iter().map(|(k, v)| Ok((tag(&k)?, v))).collect()
}

/// Decodes BER-TLV to a JSON array of nodes (`tag`, `offset`, `value` hex, `children`).
#[uniffi::export]
pub fn tlv_decode_json(
    data: Vec<u8>,
    mode: TlvMode,
    max_depth: u8,
) -> Result<String, PaycoreError> {
    let mut options = ParseOptions::new(match mode {
        TlvMode::Strict => Mode::Strict,
        TlvMode::Emv => Mode::Emv,
        TlvMode::Lenient => Mode::Lenient,
    });
    options.max_depth = max_depth;
    let tree = tlv::parse_tree(&data, options)?;
    serde_json::to_string(&tree.to_objects()).map_err(json_err)
}

/// Encodes a JSON array of nodes (as from `tlvDecodeJson`) with minimal lengths.
#[uniffi::export]
pub fn tlv_encode_json(nodes_json: String) -> Result<Vec<u8>, PaycoreError> {
    let objects: Vec<tlv::TlvObject> = serde_json::from_str(&nodes_json).map_err(json_err)?;
    Ok(tlv::encode_objects(&objects))
}

/// The value at a tag path such as `6F/A5/BF0C` (EMV rules), or null.
#[uniffi::export]
pub fn tlv_find(data: Vec<u8>, path: String) -> Result<Option<Vec<u8>>, PaycoreError> {
    let tree = tlv::parse_tree(&data, ParseOptions::emv())?;
    Ok(tree.find_path(&path).map(|n| n.value().to_vec()))
}

/// A log-safe rendering of BER-TLV with sensitive values masked.
#[uniffi::export]
pub fn redact_tlv(data: Vec<u8>) -> Result<String, PaycoreError> {
    Ok(tlv::redact_tlv(&data)?)
}

/// Explains a bit-field value (e.g. TVR `95`) as JSON (`name`, `summary`, `items`).
#[uniffi::export]
pub fn emv_explain_json(tag_hex: String, value: Vec<u8>) -> Result<String, PaycoreError> {
    let e = emv::explain(tag(&tag_hex)?, &value).map_err(emv_err)?;
    serde_json::to_string(&e).map_err(json_err)
}

/// Builds a bit-field value from flag names (the inverse of the explanation).
#[uniffi::export]
pub fn emv_encode_flags(tag_hex: String, flags: Vec<String>) -> Result<Vec<u8>, PaycoreError> {
    let refs: Vec<&str> = flags.iter().map(String::as_str).collect();
    emv::encode_flags(tag(&tag_hex)?, &refs).map_err(emv_err)
}

/// Builds DOL data from a tag→value map; absent tags are zero-filled.
#[uniffi::export]
pub fn build_dol(dol: Vec<u8>, values: HashMap<String, Vec<u8>>) -> Result<Vec<u8>, PaycoreError> {
    let map = tag_map(values)?;
    emv::build_dol(&dol, &[&map]).map_err(emv_err)
}

/// Builds request field 55 in CUP order from a tag→value map.
#[uniffi::export]
pub fn build_field55(
    tags: HashMap<String, Vec<u8>>,
    kind: Field55Kind,
    contactless: bool,
) -> Result<Vec<u8>, PaycoreError> {
    let options = emv::Field55Options {
        kind: match kind {
            Field55Kind::Sale => emv::Field55Kind::Sale,
            Field55Kind::PreAuth => emv::Field55Kind::PreAuth,
        },
        contactless,
        include_ec_tags: false,
    };
    Ok(emv::build_field55(&tag_map(tags)?, &options)?)
}

/// Parses a response field 55 (`91`, `71`/`72`, others) to JSON.
#[uniffi::export]
pub fn parse_field55_response_json(data: Vec<u8>) -> Result<String, PaycoreError> {
    let r = emv::parse_field55_response(&data)?;
    serde_json::to_string(&r).map_err(json_err)
}

/// Parses an EMVCo merchant-presented QR payload to JSON (the CRC is checked).
#[uniffi::export]
pub fn parse_mpm_json(text: String) -> Result<String, PaycoreError> {
    let p = qr::parse_mpm(&text)?;
    serde_json::to_string(&p).map_err(json_err)
}

/// Builds an EMVCo merchant-presented QR payload (with CRC) from the JSON of `parseMpmJson`.
#[uniffi::export]
pub fn build_mpm_json(payload_json: String) -> Result<String, PaycoreError> {
    let p: qr::MerchantPayload = serde_json::from_str(&payload_json).map_err(json_err)?;
    Ok(qr::build_mpm(&p)?)
}

/// CRC-16/CCITT-FALSE as used by EMVCo QR.
#[uniffi::export]
pub fn qr_crc16(data: Vec<u8>) -> u16 {
    qr::crc16_ccitt_false(&data)
}

/// A consumer-presented (CPM) QR payload. Holds card data (the PAN in `5A`), so it is an
/// object: `toString()` shows only the application count; data is reachable via `toJson()`.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct CpmPayload(qr::ConsumerPayload);

impl std::fmt::Display for CpmPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CpmPayload(<{} application(s)>)",
            self.0.applications.len()
        )
    }
}

#[uniffi::export]
impl CpmPayload {
    /// Parses Base64 CPM text (padding optional).
    #[uniffi::constructor]
    pub fn parse(text: String) -> Result<std::sync::Arc<Self>, PaycoreError> {
        Ok(std::sync::Arc::new(CpmPayload(qr::parse_cpm(&text)?)))
    }

    /// Builds from JSON (`applications` with `adf_name` hex and `data`/`transparent` nodes).
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<std::sync::Arc<Self>, PaycoreError> {
        let p = serde_json::from_str(&json).map_err(json_err)?;
        Ok(std::sync::Arc::new(CpmPayload(p)))
    }

    /// The payload as JSON (contains card data: do not log).
    pub fn to_json(&self) -> Result<String, PaycoreError> {
        serde_json::to_string(&self.0).map_err(json_err)
    }

    /// Encodes as Base64 text (standard alphabet, padded).
    pub fn to_base64(&self) -> Result<String, PaycoreError> {
        Ok(qr::build_cpm(&self.0)?)
    }
}
