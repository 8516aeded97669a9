//! BER-TLV, EMV (explanations, field 55) and EMVCo QR for C.
//!
//! Structured results are JSON text in caller buffers (the core's serde form, bytes as hex).
//! Byte outputs use the same buffer convention as text (`out_len` = bytes needed), without a
//! terminator. Error messages (`paycore_last_error_message`) name the byte/character offset
//! and the tag/ID path; they never contain sensitive values.

use crate::boundary::{FfiError, bytes_arg, bytes_out, guard, str_arg, text_out, write_out};
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

impl From<emv::ExplainError> for FfiError {
    fn from(e: emv::ExplainError) -> Self {
        let code = match e {
            emv::ExplainError::UnknownFlag { .. } => paycore_result::PAYCORE_ERR_EMV_UNKNOWN_FLAG,
            _ => paycore_result::PAYCORE_ERR_EMV,
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
        let e = emv::explain(t, v)?;
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

/// One tag/value pair for [`paycore_tlv_encode`].
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct paycore_tlv_item {
    /// The tag's raw bytes as a number, e.g. `0x9F02` or `0xDF8129` (at most 4 bytes).
    pub tag: u32,
    /// The value bytes (NULL allowed when `value_len` is 0). For a constructed tag (e.g. `70`)
    /// this is its already-encoded content.
    pub value: *const u8,
    /// Number of bytes at `value`.
    pub value_len: usize,
}

/// The JSON array of sources for [`paycore_emv_build_dol`]: tag→hex maps, highest priority first.
fn dol_sources(json: &str) -> Result<Vec<emv::TagValues>, FfiError> {
    serde_json::from_str(json).map_err(json_err)
}

/// Encodes a JSON array of nodes (the form `paycore_tlv_decode_json` produces: `tag`, `value`
/// hex, `children`; `offset` optional) as BER-TLV with minimal lengths. Bytes go to `buf`.
///
/// # Safety
/// `json` valid for `json_len` bytes; `buf` for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tlv_encode_json(
    json: *const c_char,
    json_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let j = unsafe { str_arg(json, json_len, "json") }?;
        let objects: Vec<tlv::TlvObject> = serde_json::from_str(j).map_err(json_err)?;
        let bytes = tlv::encode_objects(&objects);
        // SAFETY: caller contract.
        unsafe { bytes_out(&bytes, buf, buf_len, out_len) }
    })
}

/// Encodes `count` tag/value pairs, in order, as BER-TLV with minimal lengths. An invalid tag
/// number gives `PAYCORE_ERR_INVALID_ARGUMENT` naming the item index. Bytes go to `buf`.
///
/// # Safety
/// `items` valid for `count` elements (NULL allowed when `count` is 0), each `value` valid for
/// its `value_len`; `buf` for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tlv_encode(
    items: *const paycore_tlv_item,
    count: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        let items: &[paycore_tlv_item] = if items.is_null() {
            if count != 0 {
                return Err(FfiError::null("items"));
            }
            &[]
        } else {
            // SAFETY: caller contract.
            unsafe { std::slice::from_raw_parts(items, count) }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let tag = Tag::new(item.tag).map_err(|e| {
                FfiError::new(
                    paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
                    format!("items[{i}].tag 0x{:X}: {e}", item.tag),
                )
            })?;
            // SAFETY: caller contract.
            let value = unsafe { bytes_arg(item.value, item.value_len, "items[].value") }?;
            tlv::encode_tlv(tag, value, &mut out);
        }
        // SAFETY: caller contract.
        unsafe { bytes_out(&out, buf, buf_len, out_len) }
    })
}

/// The value of the object at a tag path such as `6F/A5/BF0C/61/4F` (`.` also separates; at
/// each level the first match is taken), read with EMV rules. The value bytes go to `buf`; a
/// path that is not present gives `PAYCORE_ERR_TLV_NOT_FOUND`, malformed data
/// `PAYCORE_ERR_TLV_MALFORMED`, a path that is not hex tags `PAYCORE_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `data` valid for `len` bytes, `path` for `path_len`; `buf` for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tlv_find(
    data: *const u8,
    len: usize,
    path: *const c_char,
    path_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let d = unsafe { bytes_arg(data, len, "data") }?;
        // SAFETY: caller contract.
        let p = unsafe { str_arg(path, path_len, "path") }?;
        let parts: Vec<&str> = p.split(['/', '.']).filter(|s| !s.is_empty()).collect();
        if parts.is_empty() {
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
                "path names no tag",
            ));
        }
        for part in &parts {
            Tag::parse_hex(part).map_err(|e| {
                FfiError::new(
                    paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
                    format!("path: {e}"),
                )
            })?;
        }
        let tree = tlv::parse_tree(d, ParseOptions::emv())?;
        let node = tree.find_path(p).ok_or_else(|| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_TLV_NOT_FOUND,
                format!("tag path {} not present", parts.join("/")),
            )
        })?;
        // SAFETY: caller contract.
        unsafe { bytes_out(node.value(), buf, buf_len, out_len) }
    })
}

/// Parses a DOL (PDOL `9F38`, CDOL1 `8C`, …) into a JSON array of entries
/// `[{"tag":"9F02","length":6},…]`. A truncated DOL gives `PAYCORE_ERR_TLV_MALFORMED` with
/// the byte offset.
///
/// # Safety
/// `dol` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_emv_parse_dol_json(
    dol: *const u8,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let d = unsafe { bytes_arg(dol, len, "dol") }?;
        let entries = emv::parse_dol(d)?;
        let json = serde_json::to_string(&entries).map_err(json_err)?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}

/// Builds DOL data: for each entry of `dol`, the value from the first source that has the tag,
/// formatted per EMV Book 3 §5.4 (`n` left-padded with `00`/truncated on the left, `cn`
/// right-padded with `FF`, others right-padded with `00`/truncated on the right; absent or
/// constructed tags become zeros). `sources_json` is a JSON array of tag→hex maps, highest
/// priority first, e.g. `[{"9F37":"DEADBEEF"},{"9F02":"000000000100"}]`. Bytes go to `buf`.
///
/// # Safety
/// `dol` valid for `dol_len` bytes, `sources_json` for `json_len`; `buf` for `buf_len`;
/// `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_emv_build_dol(
    dol: *const u8,
    dol_len: usize,
    sources_json: *const c_char,
    json_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let d = unsafe { bytes_arg(dol, dol_len, "dol") }?;
        // SAFETY: caller contract.
        let j = unsafe { str_arg(sources_json, json_len, "sources_json") }?;
        let sources = dol_sources(j)?;
        let refs: Vec<&dyn emv::TagSource> =
            sources.iter().map(|s| s as &dyn emv::TagSource).collect();
        let data = emv::build_dol(d, &refs)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&data, buf, buf_len, out_len) }
    })
}

/// Builds a bit-field value (e.g. TVR `95`, TSI `9B`, AIP `82`, `9F33`) from flag names as
/// `paycore_emv_explain_json` reports them, separated by commas (spaces around names are
/// ignored), e.g. `"pin_not_entered,merchant_forced_online"`. An unknown name gives
/// `PAYCORE_ERR_EMV_UNKNOWN_FLAG`. Bytes go to `buf`.
///
/// # Safety
/// `tag` valid for `tag_len` bytes, `flags` for `flags_len`; `buf` for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_emv_encode_flags(
    tag: *const c_char,
    tag_len: usize,
    flags: *const c_char,
    flags_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { str_arg(tag, tag_len, "tag") }?;
        // SAFETY: caller contract.
        let f = unsafe { str_arg(flags, flags_len, "flags") }?;
        let t = Tag::parse_hex(t).map_err(emv_err)?;
        let names: Vec<&str> = f
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        let value = emv::encode_flags(t, &names)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&value, buf, buf_len, out_len) }
    })
}

/// The EMV dictionary entry of a tag as JSON (`tag`, `name`, `templates`, `length`, `min_len`,
/// `max_len`, `format`, `format_text`, `source`). `parent` (hex, may be empty/NULL) selects
/// the meaning of template-dependent tags (`81`, `82`, `90`, `9F2D`, `DF5x`). A tag not in the
/// dictionary gives `PAYCORE_ERR_EMV_UNKNOWN_TAG`.
///
/// # Safety
/// `tag` valid for `tag_len` bytes, `parent` for `parent_len` (or NULL with 0); buffer
/// convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_emv_tag_info_json(
    tag: *const c_char,
    tag_len: usize,
    parent: *const c_char,
    parent_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { str_arg(tag, tag_len, "tag") }?;
        // SAFETY: caller contract.
        let p = unsafe { str_arg(parent, parent_len, "parent") }?;
        let t = Tag::parse_hex(t).map_err(emv_err)?;
        let parent = if p.trim().is_empty() {
            None
        } else {
            Some(Tag::parse_hex(p).map_err(emv_err)?)
        };
        let info = emv::lookup_in(t, parent).ok_or_else(|| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_EMV_UNKNOWN_TAG,
                format!("tag {t} is not in the EMV dictionary"),
            )
        })?;
        let json = serde_json::to_string(info).map_err(json_err)?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}

/// Parses a response field 55 (host → terminal) into JSON: `issuer_authentication` (`91`
/// split into `raw`/`arpc`/`rest`, or null), `scripts` (`71`/`72` with `template`,
/// `script_id`, `commands` and the byte-exact `raw` template to forward to the card) and
/// `other` objects. Malformed TLV gives `PAYCORE_ERR_TLV_MALFORMED` with the byte offset.
///
/// # Safety
/// `data` valid for `len` bytes; buffer convention as in the crate docs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_emv_parse_field55_response_json(
    data: *const u8,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let d = unsafe { bytes_arg(data, len, "data") }?;
        let r = emv::parse_field55_response(d)?;
        let json = serde_json::to_string(&r).map_err(json_err)?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}
