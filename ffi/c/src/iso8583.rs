//! ISO 8583: specs (built-in or JSON), decode/encode, field access, JSON, masked describe,
//! CUP framing and the MAC input.
//!
//! Values are *logical*: text for n/an/ans/z fields (track data with `=`), raw bytes for `b`
//! fields. The `_text` accessors show a `b` field (or `b` sub-field) as upper-case hex and
//! take hex when setting one, as the JSON form does.

use crate::boundary::{
    FfiError, bytes_arg, bytes_out, guard, guard_value, str_arg, text_out, write_out,
};
use crate::paycore_result;
use paycore::iso8583::{
    self as core, CupHeader, DecodeCause, DecodeError, EncodeCause, EncodeError, Format,
    FrameError, JsonError, MacError, Message, Mti, Spec, SpecError, Structure, Tpdu,
};
use std::os::raw::c_char;
use std::sync::Arc;

/// An ISO 8583 dialect (opaque). Create with `paycore_iso8583_spec_builtin` or
/// `paycore_iso8583_spec_from_json`; release with `paycore_iso8583_spec_free`. Immutable:
/// safe to share between threads.
pub struct paycore_iso8583_spec(Arc<Spec>);

/// An ISO 8583 message bound to its spec (opaque). Create with `paycore_iso8583_decode`,
/// `paycore_iso8583_decode_framed`, `paycore_iso8583_message_new` or
/// `paycore_iso8583_message_from_json`; release with `paycore_iso8583_message_free` (field
/// values are wiped). The message keeps its own reference to the spec, so the spec may be
/// freed first. Not synchronised: do not mutate it from two threads at once.
pub struct paycore_iso8583_message {
    spec: Arc<Spec>,
    msg: Message,
}

/// The framing layers in front of the MTI (CUP: TPDU and 6-byte application header).
/// `has_tpdu`/`has_header` say whether the spec's framing has each layer.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_iso8583_frame_layers {
    /// Whether `tpdu` is meaningful.
    pub has_tpdu: bool,
    /// The 5-byte TPDU (`60` + destination + source).
    pub tpdu: [u8; 5],
    /// Whether `header` is meaningful.
    pub has_header: bool,
    /// The 6-byte CUP application header.
    pub header: [u8; 6],
}

impl From<DecodeError> for FfiError {
    fn from(e: DecodeError) -> Self {
        let code = match e.cause {
            DecodeCause::Truncated { .. } => paycore_result::PAYCORE_ERR_ISO8583_TRUNCATED,
            _ => paycore_result::PAYCORE_ERR_ISO8583_DECODE,
        };
        FfiError::new(code, format!("decode: {e}"))
    }
}

impl From<EncodeError> for FfiError {
    fn from(e: EncodeError) -> Self {
        FfiError::new(
            paycore_result::PAYCORE_ERR_ISO8583_ENCODE,
            format!("encode: {e}"),
        )
    }
}

impl From<SpecError> for FfiError {
    fn from(e: SpecError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_ISO8583_SPEC, e.to_string())
    }
}

impl From<JsonError> for FfiError {
    fn from(e: JsonError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_ISO8583_JSON, e.to_string())
    }
}

impl From<FrameError> for FfiError {
    fn from(e: FrameError) -> Self {
        FfiError::new(
            paycore_result::PAYCORE_ERR_ISO8583_FRAME,
            format!("framing: {e}"),
        )
    }
}

impl From<MacError> for FfiError {
    fn from(e: MacError) -> Self {
        match e {
            MacError::Encode(e) => e.into(),
            MacError::Decode(e) => e.into(),
            other => FfiError::new(paycore_result::PAYCORE_ERR_ISO8583_MAC, other.to_string()),
        }
    }
}

fn absent(field: u16) -> FfiError {
    FfiError::new(
        paycore_result::PAYCORE_ERR_ISO8583_FIELD_ABSENT,
        format!("field {field} is not present"),
    )
}

/// Borrows the Rust value behind an opaque pointer.
///
/// # Safety
/// `ptr` must be NULL or a live object created by this library.
unsafe fn borrow<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::null(name))
}

/// Mutably borrows the Rust value behind an opaque pointer.
///
/// # Safety
/// `ptr` must be NULL or a live object created by this library, not aliased.
unsafe fn borrow_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_mut() }.ok_or_else(|| FfiError::null(name))
}

/// Moves a new object to the caller.
///
/// # Safety
/// `out` NULL or valid for a write.
unsafe fn object_out<T>(out: *mut *mut T, value: T) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::null("out"));
    }
    let raw = Box::into_raw(Box::new(value));
    // SAFETY: checked non-NULL.
    unsafe { write_out(out, raw, "out") }
}

/// A field value as text: hex for `b`, else the UTF-8 text.
fn value_text(format: Format, field: u16, v: &[u8]) -> Result<String, FfiError> {
    if format == Format::B {
        return Ok(paycore::hex::encode(v));
    }
    std::str::from_utf8(v).map(str::to_owned).map_err(|_| {
        FfiError::new(
            paycore_result::PAYCORE_ERR_INVALID_UTF8,
            format!("field {field} is not UTF-8 text (read it with _get_bytes)"),
        )
    })
}

fn field_format(spec: &Spec, field: u16) -> Format {
    spec.field(field).map_or(Format::B, |f| f.format)
}

/// Sets `field` and checks the message against the spec; on error the old value is restored.
fn set_checked(
    m: &mut paycore_iso8583_message,
    field: u16,
    value: Vec<u8>,
) -> Result<(), FfiError> {
    let old = m.msg.get(field).map(<[u8]>::to_vec);
    m.msg.set(field, value);
    if let Err(e) = m.msg.validate(&m.spec) {
        match old {
            Some(v) => m.msg.set(field, v),
            None => {
                m.msg.remove(field);
                &mut m.msg
            }
        };
        return Err(e.into());
    }
    Ok(())
}

/// Creates a built-in spec: `cup-pos`, `iso87ascii`, `iso87binary` or `iso93ascii`.
/// An unknown name gives `PAYCORE_ERR_ISO8583_SPEC`.
///
/// # Safety
/// `name` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_spec_builtin(
    name: *const c_char,
    len: usize,
    out: *mut *mut paycore_iso8583_spec,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let name = unsafe { str_arg(name, len, "name") }?;
        let spec = Spec::builtin(name).ok_or_else(|| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_ISO8583_SPEC,
                format!(
                    "unknown built-in spec {name:?} (built-ins: {})",
                    Spec::builtin_names().join(", ")
                ),
            )
        })?;
        // SAFETY: caller contract.
        unsafe { object_out(out, paycore_iso8583_spec(Arc::new(spec))) }
    })
}

/// Loads a spec from its JSON description (the format `paycore_iso8583_spec_to_json` writes).
/// Errors (`PAYCORE_ERR_ISO8583_SPEC`) name the line/column or the field.
///
/// # Safety
/// `json` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_spec_from_json(
    json: *const c_char,
    len: usize,
    out: *mut *mut paycore_iso8583_spec,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(json, len, "json") }?;
        let spec = Spec::from_json(text)?;
        // SAFETY: caller contract.
        unsafe { object_out(out, paycore_iso8583_spec(Arc::new(spec))) }
    })
}

/// Releases a spec. NULL is ignored. Messages created from it stay valid.
///
/// # Safety
/// `spec` must come from this library and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_spec_free(spec: *mut paycore_iso8583_spec) {
    guard_value((), || {
        if !spec.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(spec) });
        }
    })
}

/// Writes the spec's name (`cup-pos`, …).
///
/// # Safety
/// `spec` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_spec_name(
    spec: *const paycore_iso8583_spec,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let spec = unsafe { borrow(spec, "spec") }?;
        // SAFETY: caller contract.
        unsafe { text_out(spec.0.name(), buf, buf_len, out_len) }
    })
}

/// Writes the spec as JSON (loadable with `paycore_iso8583_spec_from_json`).
///
/// # Safety
/// `spec` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_spec_to_json(
    spec: *const paycore_iso8583_spec,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let spec = unsafe { borrow(spec, "spec") }?;
        // SAFETY: caller contract.
        unsafe { text_out(&spec.0.to_json(), buf, buf_len, out_len) }
    })
}

/// Decodes one message (MTI onwards, no framing). Errors: `PAYCORE_ERR_ISO8583_TRUNCATED`
/// or `PAYCORE_ERR_ISO8583_DECODE`; the last-error message reads
/// `decode: field F at byte O: cause` (O counted from the MTI).
///
/// # Safety
/// `spec` live; `data` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_decode(
    spec: *const paycore_iso8583_spec,
    data: *const u8,
    len: usize,
    out: *mut *mut paycore_iso8583_message,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let spec = unsafe { borrow(spec, "spec") }?;
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(data, len, "data") }?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let msg = core::decode(&spec.0, bytes)?;
        let m = paycore_iso8583_message {
            spec: Arc::clone(&spec.0),
            msg,
        };
        // SAFETY: caller contract.
        unsafe { object_out(out, m) }
    })
}

/// Decodes a complete frame: the spec's length header (which must match exactly), then the
/// TPDU and CUP header when the framing has them (cup-pos), then the message. `layers` may
/// be NULL; otherwise it receives the TPDU/header on success. Decode errors give the byte
/// offset counted from the start of the frame; framing errors give
/// `PAYCORE_ERR_ISO8583_FRAME`.
///
/// # Safety
/// `spec` live; `frame` valid for `len` bytes; `out` valid for a write; `layers` NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_decode_framed(
    spec: *const paycore_iso8583_spec,
    frame: *const u8,
    len: usize,
    out: *mut *mut paycore_iso8583_message,
    layers: *mut paycore_iso8583_frame_layers,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let spec = unsafe { borrow(spec, "spec") }?;
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(frame, len, "frame") }?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let framing = spec.0.framing();
        let f = framing.unwrap(bytes)?;
        let msg = core::decode(&spec.0, f.body).map_err(|e| DecodeError {
            offset: e.offset + framing.length.width() + framing.preamble_len(),
            ..e
        })?;
        let mut l = paycore_iso8583_frame_layers::default();
        if let Some(t) = f.tpdu {
            l.has_tpdu = true;
            l.tpdu = t.to_bytes();
        }
        if let Some(h) = f.header {
            l.has_header = true;
            l.header = h.to_bytes();
        }
        let m = paycore_iso8583_message {
            spec: Arc::clone(&spec.0),
            msg,
        };
        // SAFETY: caller contract.
        unsafe { object_out(out, m) }?;
        if !layers.is_null() {
            // SAFETY: non-NULL, valid per contract.
            unsafe { layers.write(l) };
        }
        Ok(())
    })
}

/// Creates an empty message with a 4-digit MTI (e.g. "0200") for `spec`.
///
/// # Safety
/// `spec` live; `mti` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_new(
    spec: *const paycore_iso8583_spec,
    mti: *const c_char,
    len: usize,
    out: *mut *mut paycore_iso8583_message,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let spec = unsafe { borrow(spec, "spec") }?;
        // SAFETY: caller contract.
        let mti = unsafe { str_arg(mti, len, "mti") }?;
        let mti = Mti::parse(mti).map_err(|_| EncodeError {
            field: core::FIELD_MTI,
            cause: EncodeCause::BadMti,
        })?;
        let m = paycore_iso8583_message {
            spec: Arc::clone(&spec.0),
            msg: Message::new(mti),
        };
        // SAFETY: caller contract.
        unsafe { object_out(out, m) }
    })
}

/// Reads a message from its JSON form (`{"mti": "0200", "fields": {"2": "…", …}}`); every
/// field is checked against the spec (`PAYCORE_ERR_ISO8583_JSON`, naming the field).
///
/// # Safety
/// `spec` live; `json` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_from_json(
    spec: *const paycore_iso8583_spec,
    json: *const c_char,
    len: usize,
    out: *mut *mut paycore_iso8583_message,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let spec = unsafe { borrow(spec, "spec") }?;
        // SAFETY: caller contract.
        let text = unsafe { str_arg(json, len, "json") }?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let msg = Message::from_json(text, &spec.0)?;
        let m = paycore_iso8583_message {
            spec: Arc::clone(&spec.0),
            msg,
        };
        // SAFETY: caller contract.
        unsafe { object_out(out, m) }
    })
}

/// Releases a message; field values (PAN, PIN block, …) are wiped. NULL is ignored.
///
/// # Safety
/// `msg` must come from this library and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_free(msg: *mut paycore_iso8583_message) {
    guard_value((), || {
        if !msg.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(msg) });
        }
    })
}

/// Writes the 4-digit MTI.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_mti(
    msg: *const paycore_iso8583_message,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        // SAFETY: caller contract.
        unsafe { text_out(m.msg.mti().as_str(), buf, buf_len, out_len) }
    })
}

/// Replaces the MTI (4 digits).
///
/// # Safety
/// `msg` live; `mti` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_set_mti(
    msg: *mut paycore_iso8583_message,
    mti: *const c_char,
    len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow_mut(msg, "msg") }?;
        // SAFETY: caller contract.
        let mti = unsafe { str_arg(mti, len, "mti") }?;
        let mti = Mti::parse(mti).map_err(|_| EncodeError {
            field: core::FIELD_MTI,
            cause: EncodeCause::BadMti,
        })?;
        m.msg.set_mti(mti);
        Ok(())
    })
}

/// Whether field `field` is present (false for NULL).
///
/// # Safety
/// `msg` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_has(
    msg: *const paycore_iso8583_message,
    field: u16,
) -> bool {
    guard_value(false, || {
        // SAFETY: caller contract.
        unsafe { msg.as_ref() }.is_some_and(|m| m.msg.has(field))
    })
}

/// Writes the numbers of the present fields in ascending order into `buf` (`buf_len`
/// entries); `out_len` gets the count (`PAYCORE_ERR_BUFFER_TOO_SMALL` when it exceeds
/// `buf_len`). Bitmap fields (1, 65) are not listed.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len` entries or NULL; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_fields(
    msg: *const paycore_iso8583_message,
    buf: *mut u16,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let fields: Vec<u16> = m.msg.iter().map(|(n, _)| n).collect();
        // SAFETY: caller contract.
        unsafe { write_out(out_len, fields.len(), "out_len") }?;
        if buf.is_null() || buf_len < fields.len() {
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
                format!("output buffer needs {} entries", fields.len()),
            ));
        }
        // SAFETY: `buf` holds at least `fields.len()` entries; distinct regions.
        unsafe { std::ptr::copy_nonoverlapping(fields.as_ptr(), buf, fields.len()) };
        Ok(())
    })
}

/// Writes field `field` as text: n/an/ans/z as is (track data with `=`), `b` as upper-case
/// hex. `PAYCORE_ERR_ISO8583_FIELD_ABSENT` when absent; `PAYCORE_ERR_INVALID_UTF8` for text
/// that is not UTF-8 (GBK in CUP responses: use `_get_bytes`).
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_get_text(
    msg: *const paycore_iso8583_message,
    field: u16,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let v = m.msg.get(field).ok_or_else(|| absent(field))?;
        let text = value_text(field_format(&m.spec, field), field, v)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Writes the logical bytes of field `field` (ASCII text for text formats, raw bytes for
/// `b`); no terminator. `PAYCORE_ERR_ISO8583_FIELD_ABSENT` when absent.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_get_bytes(
    msg: *const paycore_iso8583_message,
    field: u16,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let v = m.msg.get(field).ok_or_else(|| absent(field))?;
        // SAFETY: caller contract.
        unsafe { bytes_out(v, buf, buf_len, out_len) }
    })
}

/// Writes positional sub-field `sub` (1-based) of field `field` as text (hex for `b`
/// sub-fields), e.g. CUP F60.1 (message type code). `PAYCORE_ERR_ISO8583_FIELD_ABSENT` when
/// the field or sub-field is absent or the field has no positional structure.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_get_subfield(
    msg: *const paycore_iso8583_message,
    field: u16,
    sub: u16,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let missing = || {
            FfiError::new(
                paycore_result::PAYCORE_ERR_ISO8583_FIELD_ABSENT,
                format!("field {field} has no sub-field {sub}"),
            )
        };
        let parts = m.msg.subfields(&m.spec, field).ok_or_else(missing)?;
        let i = usize::from(sub).checked_sub(1).ok_or_else(missing)?;
        let part = parts.get(i).ok_or_else(missing)?;
        let format = match m.spec.field(field).and_then(|f| f.structure.as_ref()) {
            Some(Structure::Positional { subfields }) => {
                subfields.get(i).map_or(Format::B, |s| s.format)
            }
            _ => Format::B,
        };
        let text = value_text(format, field, part)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Sets field `field` from text (hex for a `b` field). The value is checked against the spec
/// at once (`PAYCORE_ERR_ISO8583_ENCODE` naming the field; the message is then unchanged):
/// no silent padding or truncation.
///
/// # Safety
/// `msg` live; `text` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_set_text(
    msg: *mut paycore_iso8583_message,
    field: u16,
    text: *const c_char,
    len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow_mut(msg, "msg") }?;
        // SAFETY: caller contract.
        let text = unsafe { str_arg(text, len, "text") }?;
        let value = if field_format(&m.spec, field) == Format::B && m.spec.field(field).is_some() {
            paycore::hex::decode(text).map_err(|e| {
                FfiError::new(
                    paycore_result::PAYCORE_ERR_ISO8583_ENCODE,
                    format!("encode: field {field}: b field needs hex: {e}"),
                )
            })?
        } else {
            text.as_bytes().to_vec()
        };
        set_checked(m, field, value)
    })
}

/// Sets field `field` to raw logical bytes (for `b` fields, or non-UTF-8 `ans` text);
/// checked against the spec at once like `_set_text`.
///
/// # Safety
/// `msg` live; `data` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_set_bytes(
    msg: *mut paycore_iso8583_message,
    field: u16,
    data: *const u8,
    len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow_mut(msg, "msg") }?;
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(data, len, "data") }?;
        set_checked(m, field, bytes.to_vec())
    })
}

/// Removes field `field`; `*removed` (may be NULL) says whether it was present.
///
/// # Safety
/// `msg` live; `removed` NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_remove(
    msg: *mut paycore_iso8583_message,
    field: u16,
    removed: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow_mut(msg, "msg") }?;
        let was = m.msg.remove(field);
        if !removed.is_null() {
            // SAFETY: non-NULL, valid per contract.
            unsafe { removed.write(was) };
        }
        Ok(())
    })
}

/// Encodes the message (MTI, bitmaps set automatically, fields) without framing.
/// `out_len` gets the size; `PAYCORE_ERR_BUFFER_TOO_SMALL` when `buf_len` is short.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_encode(
    msg: *const paycore_iso8583_message,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let bytes = m.msg.encode(&m.spec)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&bytes, buf, buf_len, out_len) }
    })
}

/// Encodes the message inside a complete frame: the spec's length header, then the TPDU and
/// CUP header from `layers` when the framing has them (`PAYCORE_ERR_ISO8583_FRAME` if
/// `layers` is NULL or lacks one the framing needs).
///
/// # Safety
/// `msg` live; `layers` NULL or valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_encode_framed(
    msg: *const paycore_iso8583_message,
    layers: *const paycore_iso8583_frame_layers,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        // SAFETY: caller contract.
        let l = unsafe { layers.as_ref() }.copied().unwrap_or_default();
        let tpdu = l.has_tpdu.then(|| Tpdu::from_bytes(l.tpdu));
        let header = l.has_header.then_some(CupHeader(l.header));
        let body = m.msg.encode(&m.spec)?;
        let frame = m.spec.framing().wrap(tpdu, header, &body)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&frame, buf, buf_len, out_len) }
    })
}

/// Writes the message as JSON: `mti` and `fields` keyed by number; text values as strings,
/// `b` as upper-case hex, positional sub-fields nested. Contains card data unmasked.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_to_json(
    msg: *const paycore_iso8583_message,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        // SAFETY: caller contract.
        unsafe { text_out(&m.msg.to_json(&m.spec), buf, buf_len, out_len) }
    })
}

/// Writes a human-readable dump (one line per field) with PAN, track data, PIN block and
/// sensitive EMV tags masked: safe for logs.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_describe(
    msg: *const paycore_iso8583_message,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let text = core::describe(&m.msg, &m.spec, true);
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// The same dump WITHOUT masking (full PAN, track, PIN block): for debugging only, never
/// for logs.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_describe_unmasked(
    msg: *const paycore_iso8583_message,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let text = core::describe(&m.msg, &m.spec, false);
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Writes the MAC input: the encoded message from the MTI up to (not including) the MAC
/// field (64, or 128/192 with a secondary/tertiary bitmap), with the bitmap announcing the MAC
/// field even if it is not set yet. Compute the MAC over these bytes and set the MAC field.
/// `PAYCORE_ERR_ISO8583_MAC` when the spec has no MAC field.
///
/// # Safety
/// `msg` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_iso8583_message_mac_input(
    msg: *const paycore_iso8583_message,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let m = unsafe { borrow(msg, "msg") }?;
        let input = core::mac::mac_input(&m.msg, &m.spec)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&input, buf, buf_len, out_len) }
    })
}
