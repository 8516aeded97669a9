//! `rust_decimal::Decimal` as a UniFFI custom type carried as a decimal string.

use rust_decimal::Decimal;

/// Decimal numbers (rates, ratios, amounts in major units) cross the boundary as their exact
/// decimal text; Kotlin maps them to `java.math.BigDecimal` (see `uniffi.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalValue(pub Decimal);

/// A foreign decimal string that is not plain decimal text.
#[derive(Debug, thiserror::Error)]
#[error("not a plain decimal number: {0:?}")]
pub struct NotDecimal(String);

/// Parses plain decimal text only: digits, one optional leading '-', one optional '.'; no
/// exponent notation, no separators.
fn parse_plain(s: &str) -> Result<Decimal, NotDecimal> {
    let plain = !s.is_empty()
        && s.bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'));
    plain
        .then(|| Decimal::from_str_exact(s).ok())
        .flatten()
        .ok_or_else(|| NotDecimal(s.to_owned()))
}

uniffi::custom_type!(DecimalValue, String, {
    lower: |d| d.0.to_string(),
    try_lift: |s| Ok(DecimalValue(parse_plain(&s)?)),
});
