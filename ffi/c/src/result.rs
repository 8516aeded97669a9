//! Result codes and error text.

use crate::boundary::{LAST_ERROR, write_text};
use std::os::raw::c_char;

/// Result of every fallible `paycore_` function. Values are stable; new codes are only added.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum paycore_result {
    /// Success.
    PAYCORE_OK = 0,
    /// A required pointer argument was NULL.
    PAYCORE_ERR_NULL_PARAMETER = 1,
    /// A Rust panic was caught at the boundary (a bug in paycore: please report it).
    PAYCORE_ERR_PANIC = 2,
    /// A text argument is not valid UTF-8.
    PAYCORE_ERR_INVALID_UTF8 = 3,
    /// The output buffer is too small; `out_len` holds the size needed.
    PAYCORE_ERR_BUFFER_TOO_SMALL = 4,
    /// An integer enum argument (rounding mode, mask style, …) is out of range.
    PAYCORE_ERR_INVALID_ARGUMENT = 5,
    /// Unknown ISO 4217 currency code.
    PAYCORE_ERR_UNKNOWN_CURRENCY = 100,
    /// Malformed decimal amount or rate text.
    PAYCORE_ERR_MALFORMED_AMOUNT = 101,
    /// More decimals than the currency's minor unit allows.
    PAYCORE_ERR_TOO_MANY_DECIMALS = 102,
    /// Arithmetic overflow.
    PAYCORE_ERR_OVERFLOW = 103,
    /// Two amounts in different currencies were combined.
    PAYCORE_ERR_CURRENCY_MISMATCH = 104,
    /// Unusable allocation weights.
    PAYCORE_ERR_INVALID_WEIGHTS = 105,
    /// PAN with non-digits or a length outside 12..=19.
    PAYCORE_ERR_INVALID_PAN = 200,
    /// Malformed track 2 data.
    PAYCORE_ERR_INVALID_TRACK2 = 201,
    /// Malformed expiry date.
    PAYCORE_ERR_INVALID_EXPIRY = 202,
    /// Malformed BER-TLV (message names the byte offset and tag path).
    PAYCORE_ERR_TLV_MALFORMED = 400,
    /// An EMV operation failed (unknown tag, bad value, missing field 55 object).
    PAYCORE_ERR_EMV = 401,
    /// A malformed EMVCo QR payload (message names the offset and ID path).
    PAYCORE_ERR_QR_MALFORMED = 402,
    /// An EMVCo QR CRC does not match (message gives expected and actual).
    PAYCORE_ERR_QR_CRC_MISMATCH = 403,
}

impl paycore_result {
    /// A fixed, human-readable description of the code.
    pub(crate) fn description(self) -> &'static str {
        use paycore_result::*;
        match self {
            PAYCORE_OK => "success",
            PAYCORE_ERR_NULL_PARAMETER => "a required pointer argument was NULL",
            PAYCORE_ERR_PANIC => "internal error (panic caught at the FFI boundary)",
            PAYCORE_ERR_INVALID_UTF8 => "text argument is not valid UTF-8",
            PAYCORE_ERR_BUFFER_TOO_SMALL => "output buffer too small",
            PAYCORE_ERR_INVALID_ARGUMENT => "enum argument out of range",
            PAYCORE_ERR_UNKNOWN_CURRENCY => "unknown currency",
            PAYCORE_ERR_MALFORMED_AMOUNT => "malformed amount",
            PAYCORE_ERR_TOO_MANY_DECIMALS => "too many decimal places for the currency",
            PAYCORE_ERR_OVERFLOW => "amount overflow",
            PAYCORE_ERR_CURRENCY_MISMATCH => "currency mismatch",
            PAYCORE_ERR_INVALID_WEIGHTS => "invalid allocation weights",
            PAYCORE_ERR_INVALID_PAN => "invalid PAN",
            PAYCORE_ERR_INVALID_TRACK2 => "invalid track 2 data",
            PAYCORE_ERR_INVALID_EXPIRY => "invalid expiry date",
            PAYCORE_ERR_TLV_MALFORMED => "malformed BER-TLV",
            PAYCORE_ERR_EMV => "EMV data error",
            PAYCORE_ERR_QR_MALFORMED => "malformed EMVCo QR payload",
            PAYCORE_ERR_QR_CRC_MISMATCH => "EMVCo QR CRC mismatch",
        }
    }

    fn from_u32(code: u32) -> Option<paycore_result> {
        use paycore_result::*;
        [
            PAYCORE_OK,
            PAYCORE_ERR_NULL_PARAMETER,
            PAYCORE_ERR_PANIC,
            PAYCORE_ERR_INVALID_UTF8,
            PAYCORE_ERR_BUFFER_TOO_SMALL,
            PAYCORE_ERR_INVALID_ARGUMENT,
            PAYCORE_ERR_UNKNOWN_CURRENCY,
            PAYCORE_ERR_MALFORMED_AMOUNT,
            PAYCORE_ERR_TOO_MANY_DECIMALS,
            PAYCORE_ERR_OVERFLOW,
            PAYCORE_ERR_CURRENCY_MISMATCH,
            PAYCORE_ERR_INVALID_WEIGHTS,
            PAYCORE_ERR_INVALID_PAN,
            PAYCORE_ERR_INVALID_TRACK2,
            PAYCORE_ERR_INVALID_EXPIRY,
            PAYCORE_ERR_TLV_MALFORMED,
            PAYCORE_ERR_EMV,
            PAYCORE_ERR_QR_MALFORMED,
            PAYCORE_ERR_QR_CRC_MISMATCH,
        ]
        .into_iter()
        .find(|c| *c as u32 == code)
    }
}

/// Writes the fixed description of `code` into `buf` (see the crate docs for the buffer
/// convention). Unknown codes are described as such; the function itself never fails except
/// for a NULL `out_len` or a too-small buffer.
///
/// # Safety
/// `buf` must be valid for `buf_len` bytes (or NULL with `buf_len` 0); `out_len` must be valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_result_description(
    code: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    let text = paycore_result::from_u32(code).map_or("unknown result code", |c| c.description());
    // SAFETY: forwarded caller contract.
    unsafe { write_text(text, buf, buf_len, out_len) }
}

/// Writes the message of the most recent failure on the calling thread (empty if none).
/// The message names what was wrong and where (field, offset); it never contains key material
/// or a full PAN.
///
/// # Safety
/// As for [`paycore_result_description`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    let msg = LAST_ERROR.with(|e| e.borrow().clone());
    // SAFETY: forwarded caller contract.
    unsafe { write_text(&msg, buf, buf_len, out_len) }
}
