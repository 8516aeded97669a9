//! BER-TLV, EMV (explanations, field 55) and EMVCo QR for C.
//!
//! Structured results are JSON text in caller buffers (the core's serde form, bytes as hex).
//! Byte outputs use the same buffer convention as text (`out_len` = bytes needed), without a
//! terminator. Error messages (`paycore_last_error_message`) name the byte/character offset
//! and the tag/ID path; they never contain sensitive values.

use crate::boundary::{FfiError, guard, str_arg, text_out, write_out};
use crate::paycore_result;
use paycore::emv;
use paycore::qr;
use paycore::tlv::{self, Mode, ParseOptions, Tag};
use std::collections::BTreeMap;
use std::os::raw::c_char;

/// TLV parsing modes (`uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_tlv_mode {
    /// Strict BER.
    PAYCORE_TLV_STRICT = 0,
    /// EMV rules.
    PAYCORE_TLV_EMV = 1,
    /// Field data: also FF padding.
    PAYCORE_TLV_LENIENT = 2,
}

/// Field 55 kinds (`uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_field55_kind {
    /// Sale (0200).
    PAYCORE_FIELD55_SALE = 0,
    /// Pre-authorisation (0100).
    PAYCORE_FIELD55_PREAUTH = 1,
}

impl From<tlv::TlvError> for FfiError {
    fn from(e: tlv::TlvError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_TLV_MALFORMED, e.to_string())
    }
}

impl From<qr::QrError> for FfiError {
    fn from(e: qr::QrError) -> Self {
        let code = match e.kind {
            qr::QrErrorKind::CrcMismatch { .. } => paycore_result::PAYCORE_ERR_QR_CRC_MISMATCH,
            _ => paycore_result::PAYCORE_ERR_QR_MALFORMED,
        };
        FfiError::new(code, e.to_string())
    }
}

impl From<emv::Field55Error> for FfiError {
    fn from(e: emv::Field55Error) -> Self {
        match e {
            emv::Field55Error::Tlv(t) => t.into(),
            other => FfiError::new(paycore_result::PAYCORE_ERR_EMV, other.to_string()),
        }
    }
}

fn emv_err(e: impl std::fmt::Display) -> FfiError {
    FfiError::new(paycore_result::PAYCORE_ERR_EMV, e.to_string())
}

fn json_err(e: serde_json::Error) -> FfiError {
    FfiError::new(
        paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
        format!("invalid JSON: {e}"),
    )
}

/// Borrows a `(ptr, len)` byte argument (NULL allowed when `len` is 0).
///
/// # Safety
/// `ptr` valid for `len` bytes or NULL.
unsafe fn bytes_arg<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8], FfiError> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(FfiError::null(name));
    }
    // SAFETY: caller contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Copies bytes into a caller buffer (`out_len` gets the length needed in every case).
///
/// # Safety
/// `buf` valid for `buf_len` bytes or NULL; `out_len` valid or NULL.
unsafe fn bytes_out(
    bytes: &[u8],
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), FfiError> {
    // SAFETY: caller contract.
    unsafe { write_out(out_len, bytes.len(), "out_len") }?;
    if buf.is_null() || buf_len < bytes.len() {
        return Err(FfiError::new(
            paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
            format!("output buffer needs {} bytes", bytes.len()),
        ));
    }
    // SAFETY: `buf` holds at least `bytes.len()` bytes; distinct regions.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len()) };
    Ok(())
}

/// CRC-16/CCITT-FALSE (EMVCo QR) of `data`, written to `out`.
///
/// # Safety
/// `data` valid for `len` bytes; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_qr_crc16(
    data: *const u8,
    len: usize,
    out: *mut u16,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let d = unsafe { bytes_arg(data, len, "data") }?;
        // SAFETY: caller contract.
        unsafe { write_out(out, qr::crc16_ccitt_false(d), "out") }
    })
}

/// Decodes BER-TLV into a JSON array of nodes (`tag`, `offset`, `value` hex, `children`).
/// `mode` is a `paycore_tlv_mode`.
///
/// # Safety
/// `data` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tlv_decode_json(
    data: *const u8,
    len: usize,
    mode: u32,
    max_depth: u8,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let d = unsafe { bytes_arg(data, len, "data") }?;
        let mode = match mode {
            0 => Mode::Strict,
            1 => Mode::Emv,
            2 => Mode::Lenient,
            v => {
                return Err(FfiError::new(
                    paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
                    format!("TLV mode {v} out of range 0..=2"),
                ));
            }
        };
        let mut options = ParseOptions::new(mode);
        options.max_depth = max_depth;
        let tree = tlv::parse_tree(d, options)?;
        let json = serde_json::to_string(&tree.to_objects()).map_err(json_err)?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}

/// A log-safe rendering of BER-TLV with sensitive values masked.
///
/// # Safety
/// `data` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tlv_redact(
    data: *const u8,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let d = unsafe { bytes_arg(data, len, "data") }?;
        let text = tlv::redact_tlv(d)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Explains a bit-field value (tag as hex text, e.g. `95`) as JSON (`name`, `summary`, `items`).
///
/// # Safety
/// `tag` valid for `tag_len` bytes, `value` for `value_len`; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_emv_explain_json(
    tag: *const c_char,
    tag_len: usize,
    value: *const u8,
    value_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { str_arg(tag, tag_len, "tag") }?;
        // SAFETY: caller contract.
        let v = unsafe { bytes_arg(value, value_len, "value") }?;
        let t = Tag::parse_hex(t).map_err(emv_err)?;
        let e = emv::explain(t, v).map_err(emv_err)?;
        let json = serde_json::to_string(&e).map_err(json_err)?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}

/// Builds request field 55 (CUP order) from a JSON tag→hex map such as
/// `{"9F26":"1122334455667788",...}`. `kind` is a `paycore_field55_kind`; bytes go to `buf`.
///
/// # Safety
/// `tags_json` valid for `json_len` bytes; `buf` for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_emv_build_field55(
    tags_json: *const c_char,
    json_len: usize,
    kind: u32,
    contactless: bool,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let j = unsafe { str_arg(tags_json, json_len, "tags_json") }?;
        let kind = match kind {
            0 => emv::Field55Kind::Sale,
            1 => emv::Field55Kind::PreAuth,
            v => {
                return Err(FfiError::new(
                    paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
                    format!("field 55 kind {v} out of range 0..=1"),
                ));
            }
        };
        let values: emv::TagValues = serde_json::from_str(j).map_err(json_err)?;
        let map: BTreeMap<Tag, Vec<u8>> = values.0;
        let options = emv::Field55Options {
            kind,
            contactless,
            include_ec_tags: false,
        };
        let f55 = emv::build_field55(&map, &options)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&f55, buf, buf_len, out_len) }
    })
}

/// Parses an EMVCo merchant-presented QR payload (UTF-8) into JSON; the CRC is checked.
///
/// # Safety
/// `text` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_qr_parse_mpm_json(
    text: *const c_char,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { str_arg(text, len, "text") }?;
        let p = qr::parse_mpm(t)?;
        let json = serde_json::to_string(&p).map_err(json_err)?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}

/// Builds an EMVCo merchant-presented QR payload (with CRC) from the JSON of
/// `paycore_qr_parse_mpm_json`.
///
/// # Safety
/// `json` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_qr_build_mpm_json(
    json: *const c_char,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let j = unsafe { str_arg(json, len, "json") }?;
        let p: qr::MerchantPayload = serde_json::from_str(j).map_err(json_err)?;
        let text = qr::build_mpm(&p)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Parses a consumer-presented (CPM) Base64 payload into JSON. The JSON contains card data
/// (the PAN in `5A`): the caller must not log it.
///
/// # Safety
/// `text` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_qr_parse_cpm_json(
    text: *const c_char,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { str_arg(text, len, "text") }?;
        let p = qr::parse_cpm(t)?;
        let json = serde_json::to_string(&p).map_err(json_err)?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}

/// Builds a consumer-presented (CPM) Base64 payload from JSON (`applications` with
/// `adf_name` hex and `data`/`transparent` nodes).
///
/// # Safety
/// `json` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_qr_build_cpm_json(
    json: *const c_char,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let j = unsafe { str_arg(json, len, "json") }?;
        let p: qr::ConsumerPayload = serde_json::from_str(j).map_err(json_err)?;
        let text = qr::build_cpm(&p)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}
