//! Card data: PAN, Luhn, brand, masking, track 2.

use crate::boundary::{FfiError, guard, guard_value, str_arg, text_out, write_out};
use crate::paycore_result;
use chrono::NaiveDate;
use paycore::card::{Brand, MaskStyle, Pan, Track2};
use std::os::raw::c_char;

/// A parsed PAN (opaque). Create with `paycore_pan_parse`; release with `paycore_pan_free`.
/// Immutable after creation: safe to share between threads for reading.
pub struct paycore_pan(Pan);

/// Parsed track 2 data (opaque). Create with `paycore_track2_parse`; release with
/// `paycore_track2_free`.
pub struct paycore_track2(Track2);

/// Card brands (returned as `uint32_t`; 0 means no brand matched).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_brand {
    /// No range of the BIN table matched.
    PAYCORE_BRAND_UNKNOWN = 0,
    /// China UnionPay.
    PAYCORE_BRAND_UNION_PAY = 1,
    /// Visa.
    PAYCORE_BRAND_VISA = 2,
    /// Mastercard.
    PAYCORE_BRAND_MASTERCARD = 3,
    /// American Express.
    PAYCORE_BRAND_AMEX = 4,
    /// JCB.
    PAYCORE_BRAND_JCB = 5,
    /// Discover.
    PAYCORE_BRAND_DISCOVER = 6,
    /// Diners Club.
    PAYCORE_BRAND_DINERS = 7,
    /// Maestro.
    PAYCORE_BRAND_MAESTRO = 8,
    /// Mir.
    PAYCORE_BRAND_MIR = 9,
}

/// Masking presets (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_mask_style {
    /// First 6 + last 4.
    PAYCORE_MASK_FIRST6_LAST4 = 0,
    /// First 8 + last 4.
    PAYCORE_MASK_FIRST8_LAST4 = 1,
    /// Last 4 only.
    PAYCORE_MASK_LAST4 = 2,
}

fn brand_code(b: Option<Brand>) -> u32 {
    use paycore_brand::*;
    (match b {
        None => PAYCORE_BRAND_UNKNOWN,
        Some(Brand::UnionPay) => PAYCORE_BRAND_UNION_PAY,
        Some(Brand::Visa) => PAYCORE_BRAND_VISA,
        Some(Brand::Mastercard) => PAYCORE_BRAND_MASTERCARD,
        Some(Brand::Amex) => PAYCORE_BRAND_AMEX,
        Some(Brand::Jcb) => PAYCORE_BRAND_JCB,
        Some(Brand::Discover) => PAYCORE_BRAND_DISCOVER,
        Some(Brand::Diners) => PAYCORE_BRAND_DINERS,
        Some(Brand::Maestro) => PAYCORE_BRAND_MAESTRO,
        Some(Brand::Mir) => PAYCORE_BRAND_MIR,
    }) as u32
}

fn mask_style(value: u32) -> Result<MaskStyle, FfiError> {
    match value {
        0 => Ok(MaskStyle::First6Last4),
        1 => Ok(MaskStyle::First8Last4),
        2 => Ok(MaskStyle::Last4),
        _ => Err(FfiError::new(
            paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
            format!("mask style {value} out of range 0..=2"),
        )),
    }
}

/// True when `digits` (pointer + length) is non-empty, all digits and passes Luhn.
/// NULL or invalid input gives false.
///
/// # Safety
/// `digits` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_luhn_valid(digits: *const c_char, len: usize) -> bool {
    guard_value(false, || {
        // SAFETY: caller contract.
        unsafe { str_arg(digits, len, "digits") }
            .map(paycore::card::luhn_valid)
            .unwrap_or(false)
    })
}

/// The brand of a PAN or PAN prefix (a `paycore_brand` value; 0 when unknown or invalid).
///
/// # Safety
/// `digits` valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_brand_detect(digits: *const c_char, len: usize) -> u32 {
    guard_value(0, || {
        // SAFETY: caller contract.
        unsafe { str_arg(digits, len, "digits") }
            .map(|d| brand_code(Brand::detect(d)))
            .unwrap_or(0)
    })
}

/// The static, NUL-terminated name of a `paycore_brand` value ("union_pay", "visa", …;
/// "unknown" for 0 or any other value). Never NULL; do not free.
#[unsafe(no_mangle)]
pub extern "C" fn paycore_brand_name(brand: u32) -> *const c_char {
    let name: &'static [u8] = match brand {
        1 => b"union_pay\0",
        2 => b"visa\0",
        3 => b"mastercard\0",
        4 => b"amex\0",
        5 => b"jcb\0",
        6 => b"discover\0",
        7 => b"diners\0",
        8 => b"maestro\0",
        9 => b"mir\0",
        _ => b"unknown\0",
    };
    name.as_ptr().cast()
}

/// Parses a PAN (12–19 digits; Luhn is not enforced). On success `*out` owns a new object
/// the caller must release with `paycore_pan_free`.
///
/// # Safety
/// `digits` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pan_parse(
    digits: *const c_char,
    len: usize,
    out: *mut *mut paycore_pan,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(digits, len, "digits") }?;
        let pan = Pan::parse(text)?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let raw = Box::into_raw(Box::new(paycore_pan(pan)));
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, raw, "out") }
    })
}

/// Releases a PAN (the digits are wiped). NULL is ignored. Each object must be freed once.
///
/// # Safety
/// `pan` must come from `paycore_pan_parse`/`paycore_track2_pan` and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pan_free(pan: *mut paycore_pan) {
    guard_value((), || {
        if !pan.is_null() {
            // SAFETY: the pointer came from Box::into_raw and is freed once (caller contract).
            drop(unsafe { Box::from_raw(pan) });
        }
    })
}

/// Borrows the Rust value behind an opaque pointer.
///
/// # Safety
/// `ptr` must be NULL or a live object created by this library.
unsafe fn borrow<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::null(name))
}

/// True when the PAN passes Luhn (false for NULL).
///
/// # Safety
/// `pan` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pan_luhn_valid(pan: *const paycore_pan) -> bool {
    guard_value(false, || {
        // SAFETY: caller contract.
        unsafe { pan.as_ref() }.is_some_and(|p| p.0.luhn_valid())
    })
}

/// The PAN's brand (a `paycore_brand` value; 0 for unknown or NULL).
///
/// # Safety
/// `pan` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pan_brand(pan: *const paycore_pan) -> u32 {
    guard_value(0, || {
        // SAFETY: caller contract.
        unsafe { pan.as_ref() }.map_or(0, |p| brand_code(p.0.brand()))
    })
}

/// Writes the PAN masked with `style` (a `paycore_mask_style` value).
///
/// # Safety
/// `pan` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pan_masked(
    pan: *const paycore_pan,
    style: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let pan = unsafe { borrow(pan, "pan") }?;
        let text = pan.0.masked(mask_style(style)?);
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Writes the full PAN digits (cardholder data: the caller is responsible for protecting
/// and wiping the buffer).
///
/// # Safety
/// `pan` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pan_digits(
    pan: *const paycore_pan,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let pan = unsafe { borrow(pan, "pan") }?;
        // SAFETY: caller contract.
        unsafe { text_out(pan.0.digits(), buf, buf_len, out_len) }
    })
}

/// Parses track 2 (`PAN=YYMMSSS…` or with `D`; `;`/`?` sentinels and `F` padding allowed).
/// On success `*out` owns a new object to release with `paycore_track2_free`.
///
/// # Safety
/// `text` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_track2_parse(
    text: *const c_char,
    len: usize,
    out: *mut *mut paycore_track2,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(text, len, "text") }?;
        let t = Track2::parse(text)?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let raw = Box::into_raw(Box::new(paycore_track2(t)));
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, raw, "out") }
    })
}

/// Releases track 2 data (sensitive parts are wiped). NULL is ignored.
///
/// # Safety
/// `t` must come from `paycore_track2_parse` and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_track2_free(t: *mut paycore_track2) {
    guard_value((), || {
        if !t.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(t) });
        }
    })
}

/// A new PAN object copied from the track; the caller frees it with `paycore_pan_free`.
///
/// # Safety
/// `t` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_track2_pan(
    t: *const paycore_track2,
    out: *mut *mut paycore_pan,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { borrow(t, "track2") }?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let raw = Box::into_raw(Box::new(paycore_pan(t.0.pan().clone())));
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, raw, "out") }
    })
}

/// The expiry year (e.g. 2029) and month (1–12).
///
/// # Safety
/// `t` live; `year`/`month` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_track2_expiry(
    t: *const paycore_track2,
    year: *mut u16,
    month: *mut u8,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { borrow(t, "track2") }?;
        if year.is_null() || month.is_null() {
            return Err(FfiError::null("year/month"));
        }
        // SAFETY: checked non-NULL.
        unsafe {
            write_out(year, t.0.expiry().year(), "year")?;
            write_out(month, t.0.expiry().month(), "month")
        }
    })
}

/// Writes the three-digit service code ("201").
///
/// # Safety
/// `t` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_track2_service_code(
    t: *const paycore_track2,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { borrow(t, "track2") }?;
        // SAFETY: caller contract.
        unsafe { text_out(&t.0.service_code().as_string(), buf, buf_len, out_len) }
    })
}

/// Writes the masked track (`622848*********6789=***********`), safe for logs.
///
/// # Safety
/// `t` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_track2_masked(
    t: *const paycore_track2,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { borrow(t, "track2") }?;
        // SAFETY: caller contract.
        unsafe { text_out(&t.0.masked(), buf, buf_len, out_len) }
    })
}

/// Whether the card has expired on the given calendar date (from the caller's clock).
///
/// # Safety
/// `t` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_track2_is_expired(
    t: *const paycore_track2,
    year: i32,
    month: u32,
    day: u32,
    out: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { borrow(t, "track2") }?;
        let today = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
                format!("{year:04}-{month:02}-{day:02} is not a calendar date"),
            )
        })?;
        // SAFETY: caller contract.
        unsafe { write_out(out, t.0.expiry().is_expired_on(today), "out") }
    })
}
