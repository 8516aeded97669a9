//! The panic and NULL boundary shared by every exported function.

use crate::paycore_result;
use paycore::card::CardError;
use paycore::money::MoneyError;
use std::cell::RefCell;
use std::os::raw::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    /// Message of the last failure on this thread (errno-style).
    pub(crate) static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A failure inside an exported function: a code plus a message for
/// `paycore_last_error_message`.
pub(crate) struct FfiError {
    pub code: paycore_result,
    pub message: String,
}

impl FfiError {
    pub(crate) fn new(code: paycore_result, message: impl Into<String>) -> Self {
        FfiError {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn null(name: &str) -> Self {
        FfiError::new(
            paycore_result::PAYCORE_ERR_NULL_PARAMETER,
            format!("{name} is NULL"),
        )
    }
}

impl From<MoneyError> for FfiError {
    fn from(e: MoneyError) -> Self {
        use paycore_result::*;
        let code = match e {
            MoneyError::UnknownCurrency { .. } => PAYCORE_ERR_UNKNOWN_CURRENCY,
            MoneyError::MalformedAmount { .. } => PAYCORE_ERR_MALFORMED_AMOUNT,
            MoneyError::TooManyDecimals { .. } => PAYCORE_ERR_TOO_MANY_DECIMALS,
            MoneyError::Overflow { .. } => PAYCORE_ERR_OVERFLOW,
            MoneyError::CurrencyMismatch { .. } => PAYCORE_ERR_CURRENCY_MISMATCH,
            MoneyError::InvalidWeights { .. } => PAYCORE_ERR_INVALID_WEIGHTS,
            _ => PAYCORE_ERR_INVALID_ARGUMENT,
        };
        FfiError::new(code, e.to_string())
    }
}

impl From<CardError> for FfiError {
    fn from(e: CardError) -> Self {
        use paycore_result::*;
        let code = match e {
            CardError::PanNotDigits { .. } | CardError::PanLength { .. } => PAYCORE_ERR_INVALID_PAN,
            CardError::Track2 { .. } => PAYCORE_ERR_INVALID_TRACK2,
            CardError::Expiry { .. } => PAYCORE_ERR_INVALID_EXPIRY,
            _ => PAYCORE_ERR_INVALID_ARGUMENT,
        };
        FfiError::new(code, e.to_string())
    }
}

/// Runs `body` behind the panic boundary and records the error message, if any.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), FfiError>) -> paycore_result {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        Err(FfiError::new(
            paycore_result::PAYCORE_ERR_PANIC,
            "internal error: panic caught at the FFI boundary",
        ))
    });
    match outcome {
        Ok(()) => {
            LAST_ERROR.with(|e| e.borrow_mut().clear());
            paycore_result::PAYCORE_OK
        }
        Err(err) => {
            LAST_ERROR.with(|e| *e.borrow_mut() = err.message);
            err.code
        }
    }
}

/// Like [`guard`] for functions that return a plain value; a panic yields `default`.
pub(crate) fn guard_value<T>(default: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}

/// Borrows a `(ptr, len)` UTF-8 string argument.
///
/// # Safety
/// `ptr` must be valid for reads of `len` bytes for the returned lifetime (or NULL).
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        if len == 0 {
            return Ok("");
        }
        return Err(FfiError::null(name));
    }
    // SAFETY: the caller promises `ptr` is valid for `len` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        FfiError::new(
            paycore_result::PAYCORE_ERR_INVALID_UTF8,
            format!("{name}: invalid UTF-8 at byte offset {}", e.valid_up_to()),
        )
    })
}

/// Writes through an out-pointer, checking it for NULL.
///
/// # Safety
/// `out` must be NULL or valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T, name: &str) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::null(name));
    }
    // SAFETY: non-NULL and valid per the caller contract.
    unsafe { out.write(value) };
    Ok(())
}

/// Copies `text` into a caller buffer per the crate's buffer convention.
///
/// # Safety
/// `buf` must be valid for `buf_len` bytes or NULL; `out_len` must be NULL or valid.
pub(crate) unsafe fn write_text(
    text: &str,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    if out_len.is_null() {
        return paycore_result::PAYCORE_ERR_NULL_PARAMETER;
    }
    // SAFETY: checked non-NULL above; valid per contract.
    unsafe { out_len.write(text.len()) };
    if buf.is_null() || buf_len < text.len() {
        return paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL;
    }
    // SAFETY: `buf` holds at least `text.len()` bytes (checked above); regions are distinct.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
        if buf_len > text.len() {
            buf.add(text.len()).write(0);
        }
    }
    paycore_result::PAYCORE_OK
}

/// [`write_text`] inside a [`guard`] body.
///
/// # Safety
/// As for [`write_text`].
pub(crate) unsafe fn text_out(
    text: &str,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), FfiError> {
    // SAFETY: forwarded caller contract.
    match unsafe { write_text(text, buf, buf_len, out_len) } {
        paycore_result::PAYCORE_OK => Ok(()),
        code => Err(FfiError::new(
            code,
            format!("output buffer needs {} bytes", text.len()),
        )),
    }
}

/// Borrows a `(ptr, len)` byte-string argument (NULL is allowed when `len` is 0).
///
/// # Safety
/// `ptr` must be valid for reads of `len` bytes for the returned lifetime (or NULL).
pub(crate) unsafe fn bytes_arg<'a>(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a [u8], FfiError> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(FfiError::null(name));
    }
    // SAFETY: the caller promises `ptr` is valid for `len` bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Copies `bytes` into a caller buffer: the text convention without a terminator. `out_len`
/// always gets the length needed; a NULL or short buffer gives `PAYCORE_ERR_BUFFER_TOO_SMALL`
/// and nothing is written to `buf`.
///
/// # Safety
/// `buf` must be valid for `buf_len` bytes or NULL; `out_len` must be NULL or valid.
pub(crate) unsafe fn bytes_out(
    bytes: &[u8],
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), FfiError> {
    // SAFETY: forwarded caller contract.
    unsafe { write_out(out_len, bytes.len(), "out_len") }?;
    if buf.is_null() || buf_len < bytes.len() {
        return Err(FfiError::new(
            paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
            format!("output buffer needs {} bytes", bytes.len()),
        ));
    }
    // SAFETY: `buf` holds at least `bytes.len()` bytes (checked above); regions are distinct.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len()) };
    Ok(())
}
