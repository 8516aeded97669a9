//! Money for Kotlin/Swift.

use crate::{DecimalValue, PaycoreError};
use paycore::money as core;

/// An ISO 4217 currency.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Currency {
    /// Alphabetic code ("CNY").
    pub alpha: String,
    /// Numeric code (156).
    pub numeric: u16,
    /// Minor-unit exponent (2 for CNY).
    pub exponent: u8,
    /// English name.
    pub name: String,
}

/// An amount: integer minor units and the alphabetic currency code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Money {
    /// Minor units (fen for CNY).
    pub minor: i64,
    /// Alphabetic ISO 4217 code.
    pub currency: String,
}

/// Rounding rules; there is no default: every call names one.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum Rounding {
    /// Nearest, ties away from zero (commercial 四舍五入).
    HalfUp,
    /// Nearest, ties to even (banker's).
    HalfEven,
    /// Nearest, ties toward zero.
    HalfDown,
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
    /// Toward negative infinity.
    Floor,
    /// Toward positive infinity.
    Ceiling,
}

impl From<Rounding> for core::Rounding {
    fn from(r: Rounding) -> Self {
        match r {
            Rounding::HalfUp => core::Rounding::HalfUp,
            Rounding::HalfEven => core::Rounding::HalfEven,
            Rounding::HalfDown => core::Rounding::HalfDown,
            Rounding::Down => core::Rounding::Down,
            Rounding::Up => core::Rounding::Up,
            Rounding::Floor => core::Rounding::Floor,
            Rounding::Ceiling => core::Rounding::Ceiling,
        }
    }
}

pub(crate) fn to_core(m: &Money) -> Result<core::Money, PaycoreError> {
    Ok(core::Money::from_minor(
        m.minor,
        core::Currency::from_code(&m.currency)?,
    ))
}

pub(crate) fn from_core(m: core::Money) -> Money {
    Money {
        minor: m.minor(),
        currency: m.currency().alpha().to_owned(),
    }
}

/// Looks up a currency by alphabetic ("CNY") or numeric ("156") code.
#[uniffi::export]
pub fn currency_lookup(code: String) -> Result<Currency, PaycoreError> {
    let c = core::Currency::from_code(&code)?;
    Ok(Currency {
        alpha: c.alpha().to_owned(),
        numeric: c.numeric(),
        exponent: c.exponent(),
        name: c.name().to_owned(),
    })
}

/// Parses a decimal amount in major units ("23.72" CNY is 2372 fen); more decimals than the
/// currency allows is an error, never a rounding.
#[uniffi::export]
pub fn money_parse(text: String, currency: String) -> Result<Money, PaycoreError> {
    let c = core::Currency::from_code(&currency)?;
    Ok(from_core(core::Money::parse(&text, c)?))
}

/// Formats as a plain decimal in major units ("23.72").
#[uniffi::export]
pub fn money_format(money: Money) -> Result<String, PaycoreError> {
    Ok(to_core(&money)?.to_plain_string())
}

/// The amount as an exact decimal in major units.
#[uniffi::export]
pub fn money_to_decimal(money: Money) -> Result<DecimalValue, PaycoreError> {
    Ok(DecimalValue(to_core(&money)?.to_decimal()))
}

/// An exact conversion from a decimal in major units (error if it has too many decimals).
#[uniffi::export]
pub fn money_from_decimal(amount: DecimalValue, currency: String) -> Result<Money, PaycoreError> {
    let c = core::Currency::from_code(&currency)?;
    Ok(from_core(core::Money::from_decimal(amount.0, c)?))
}

/// `a + b` (same currency; overflow is an error).
#[uniffi::export]
pub fn money_add(a: Money, b: Money) -> Result<Money, PaycoreError> {
    Ok(from_core(to_core(&a)?.checked_add(to_core(&b)?)?))
}

/// `a − b` (same currency; overflow is an error).
#[uniffi::export]
pub fn money_sub(a: Money, b: Money) -> Result<Money, PaycoreError> {
    Ok(from_core(to_core(&a)?.checked_sub(to_core(&b)?)?))
}

/// `money × rate`, rounded once to the minor unit by `rounding`.
#[uniffi::export]
pub fn money_mul_rate(
    money: Money,
    rate: DecimalValue,
    rounding: Rounding,
) -> Result<Money, PaycoreError> {
    Ok(from_core(
        to_core(&money)?.mul_rate(rate.0, rounding.into())?,
    ))
}

/// Splits by integer weights; the parts always sum to the total (largest-remainder rule).
#[uniffi::export]
pub fn money_allocate(total: Money, weights: Vec<u64>) -> Result<Vec<Money>, PaycoreError> {
    Ok(to_core(&total)?
        .allocate(&weights)?
        .into_iter()
        .map(from_core)
        .collect())
}

/// Splits by decimal ratios (need not sum to 1); the parts always sum to the total.
#[uniffi::export]
pub fn money_allocate_ratios(
    total: Money,
    ratios: Vec<DecimalValue>,
) -> Result<Vec<Money>, PaycoreError> {
    let ratios: Vec<_> = ratios.into_iter().map(|r| r.0).collect();
    Ok(to_core(&total)?
        .allocate_ratios(&ratios)?
        .into_iter()
        .map(from_core)
        .collect())
}
