//! Money: currencies, amounts, rates and allocation.

use crate::boundary::{FfiError, guard, str_arg, text_out, write_out};
use crate::paycore_result;
use paycore::money::{Currency, Money, Rounding};
use rust_decimal::Decimal;
use std::os::raw::c_char;

/// An ISO 4217 currency as plain data.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct paycore_currency {
    /// Alphabetic code, NUL-terminated ("CNY").
    pub alpha: [c_char; 4],
    /// Numeric code (156).
    pub numeric: u16,
    /// Minor-unit exponent (2 for CNY, 0 for JPY, 3 for KWD).
    pub exponent: u8,
}

/// An amount: minor units and the currency's ISO 4217 numeric code.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct paycore_money {
    /// Amount in minor units (fen for CNY).
    pub minor: i64,
    /// ISO 4217 numeric currency code (156 for CNY).
    pub currency: u16,
}

/// Rounding modes for `paycore_money_mul_rate` (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_rounding {
    /// Nearest, ties away from zero (commercial 四舍五入).
    PAYCORE_ROUNDING_HALF_UP = 0,
    /// Nearest, ties to even (banker's).
    PAYCORE_ROUNDING_HALF_EVEN = 1,
    /// Nearest, ties toward zero.
    PAYCORE_ROUNDING_HALF_DOWN = 2,
    /// Toward zero.
    PAYCORE_ROUNDING_DOWN = 3,
    /// Away from zero.
    PAYCORE_ROUNDING_UP = 4,
    /// Toward negative infinity.
    PAYCORE_ROUNDING_FLOOR = 5,
    /// Toward positive infinity.
    PAYCORE_ROUNDING_CEILING = 6,
}

/// Maps a C rounding value; never trusts an enum coming from C.
pub(crate) fn rounding_from_u32(value: u32) -> Result<Rounding, FfiError> {
    Rounding::ALL.get(value as usize).copied().ok_or_else(|| {
        FfiError::new(
            paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
            format!("rounding mode {value} out of range 0..=6"),
        )
    })
}

fn currency_out(c: Currency) -> paycore_currency {
    let mut alpha = [0 as c_char; 4];
    for (dst, src) in alpha.iter_mut().zip(c.alpha().bytes()) {
        *dst = src as c_char;
    }
    paycore_currency {
        alpha,
        numeric: c.numeric(),
        exponent: c.exponent(),
    }
}

fn to_core(m: paycore_money) -> Result<Money, FfiError> {
    Ok(Money::from_minor(
        m.minor,
        Currency::from_numeric(m.currency)?,
    ))
}

fn from_core(m: Money) -> paycore_money {
    paycore_money {
        minor: m.minor(),
        currency: m.currency().numeric(),
    }
}

/// Looks up a currency by alphabetic ("CNY", any case) or numeric ("156") code.
///
/// # Safety
/// `code` must be valid for `code_len` bytes; `out` must be valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_currency_lookup(
    code: *const c_char,
    code_len: usize,
    out: *mut paycore_currency,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let code = unsafe { str_arg(code, code_len, "code") }?;
        let c = Currency::from_code(code)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, currency_out(c), "out") }
    })
}

/// Parses a decimal amount in major units ("23.72") in the currency named by `currency`
/// (alphabetic or numeric code). More decimals than the currency allows is an error, never
/// a rounding.
///
/// # Safety
/// `text`/`currency` valid for their lengths; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_money_parse(
    text: *const c_char,
    text_len: usize,
    currency: *const c_char,
    currency_len: usize,
    out: *mut paycore_money,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(text, text_len, "text") }?;
        // SAFETY: caller contract.
        let code = unsafe { str_arg(currency, currency_len, "currency") }?;
        let m = Money::parse(text, Currency::from_code(code)?)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, from_core(m), "out") }
    })
}

/// Formats an amount as a plain decimal in major units ("23.72", "-0.05", "100" for JPY).
///
/// # Safety
/// `buf` valid for `buf_len` bytes (or NULL with 0); `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_money_format(
    money: paycore_money,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        let text = to_core(money)?.to_plain_string();
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// `a + b`; currencies must match; overflow is an error.
///
/// # Safety
/// `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_money_add(
    a: paycore_money,
    b: paycore_money,
    out: *mut paycore_money,
) -> paycore_result {
    guard(|| {
        let sum = to_core(a)?.checked_add(to_core(b)?)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, from_core(sum), "out") }
    })
}

/// `a − b`; currencies must match; overflow is an error.
///
/// # Safety
/// `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_money_sub(
    a: paycore_money,
    b: paycore_money,
    out: *mut paycore_money,
) -> paycore_result {
    guard(|| {
        let diff = to_core(a)?.checked_sub(to_core(b)?)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, from_core(diff), "out") }
    })
}

/// `money × rate` rounded to the minor unit by `rounding` (a `paycore_rounding` value). The
/// rate is decimal text ("0.0038"), never a float.
///
/// # Safety
/// `rate` valid for `rate_len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_money_mul_rate(
    money: paycore_money,
    rate: *const c_char,
    rate_len: usize,
    rounding: u32,
    out: *mut paycore_money,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let rate_text = unsafe { str_arg(rate, rate_len, "rate") }?;
        let rate = parse_decimal(rate_text, "rate")?;
        let m = to_core(money)?.mul_rate(rate, rounding_from_u32(rounding)?)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, from_core(m), "out") }
    })
}

/// Parses plain decimal text (digits, optional '-' and '.'; no exponent).
pub(crate) fn parse_decimal(text: &str, name: &str) -> Result<Decimal, FfiError> {
    let plain = !text.is_empty()
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'));
    plain
        .then(|| Decimal::from_str_exact(text).ok())
        .flatten()
        .ok_or_else(|| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_MALFORMED_AMOUNT,
                format!("{name}: {text:?} is not a plain decimal number"),
            )
        })
}

/// Splits `total` by `weights` (largest-remainder rule: parts sum exactly to the total and
/// each is within one minor unit of its exact share). Writes `count` amounts to `out_parts`.
///
/// # Safety
/// `weights` valid for `count` reads; `out_parts` valid for `count` writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_money_allocate(
    total: paycore_money,
    weights: *const u64,
    count: usize,
    out_parts: *mut paycore_money,
) -> paycore_result {
    guard(|| {
        if count > 0 && (weights.is_null() || out_parts.is_null()) {
            return Err(FfiError::null("weights/out_parts"));
        }
        let weights = if count == 0 {
            &[][..]
        } else {
            // SAFETY: non-NULL, valid for `count` reads per the caller contract.
            unsafe { std::slice::from_raw_parts(weights, count) }
        };
        let parts = to_core(total)?.allocate(weights)?;
        for (i, p) in parts.into_iter().enumerate() {
            // SAFETY: `out_parts` is valid for `count` writes and `i < count`.
            unsafe { out_parts.add(i).write(from_core(p)) };
        }
        Ok(())
    })
}
