//! `Money`: a count of minor units in a currency.

use super::{Currency, MoneyError, Rounding};
use rust_decimal::Decimal;
use std::fmt;

/// An amount of money: a signed count of the currency's minor unit.
///
/// `Money::parse("23.72", Currency::CNY)` is 2372 fen. Arithmetic is checked: overflow and
/// mixing currencies are errors, never wrap-around or silent conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// An amount of `minor` minor units (fen for CNY).
    pub const fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    /// The amount in minor units.
    pub const fn minor(&self) -> i64 {
        self.minor
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// True when the amount is zero.
    pub const fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// True when the amount is below zero.
    pub const fn is_negative(&self) -> bool {
        self.minor < 0
    }

    /// Parses a plain decimal string in major units: `[-]digits[.digits]`.
    ///
    /// The number of decimals may be at most the currency's exponent ("23.7" CNY is 2370 fen;
    /// "1.234" CNY is an error, never a rounding). Rejected: empty text, signs other than a
    /// leading '-', exponents ("1e3"), group or comma separators ("12,00", "1 000"), a bare
    /// or trailing point ("5.", ".5"), surrounding spaces.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let malformed = |offset: usize, reason: &'static str| MoneyError::MalformedAmount {
            input: text.to_owned(),
            offset,
            reason,
        };
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err(malformed(0, "an amount, not empty text"));
        }
        let (negative, digits_start) = if bytes[0] == b'-' {
            (true, 1)
        } else {
            (false, 0)
        };
        let body = &bytes[digits_start..];
        let point = body.iter().position(|&b| b == b'.');
        let (int_part, frac_part) = match point {
            Some(p) => (&body[..p], &body[p + 1..]),
            None => (body, &body[body.len()..]),
        };
        if int_part.is_empty() {
            return Err(malformed(digits_start, "a digit"));
        }
        if let Some(i) = int_part.iter().position(|b| !b.is_ascii_digit()) {
            return Err(malformed(digits_start + i, "a digit or '.'"));
        }
        if let Some(p) = point {
            let frac_start = digits_start + p + 1;
            if frac_part.is_empty() {
                return Err(malformed(frac_start, "a digit after '.'"));
            }
            if let Some(i) = frac_part.iter().position(|b| !b.is_ascii_digit()) {
                return Err(malformed(frac_start + i, "a digit"));
            }
        }
        let exponent = currency.exponent();
        if frac_part.len() > exponent as usize {
            return Err(MoneyError::TooManyDecimals {
                input: text.to_owned(),
                places: frac_part.len() as u32,
                max: exponent,
                currency: currency.alpha(),
            });
        }
        let overflow = || MoneyError::Overflow { operation: "parse" };
        // Accumulate as a negative number so that i64::MIN itself parses.
        let mut acc: i64 = 0;
        let pad = exponent as usize - frac_part.len();
        let all_digits = int_part
            .iter()
            .chain(frac_part)
            .copied()
            .chain(std::iter::repeat_n(b'0', pad));
        for d in all_digits {
            acc = acc
                .checked_mul(10)
                .and_then(|v| v.checked_sub(i64::from(d - b'0')))
                .ok_or_else(overflow)?;
        }
        let minor = if negative {
            acc
        } else {
            acc.checked_neg().ok_or_else(overflow)?
        };
        Ok(Money { minor, currency })
    }

    /// The amount as an exact `Decimal` in major units (2372 fen → 23.72).
    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor, u32::from(self.currency.exponent()))
    }

    /// An exact conversion from a `Decimal` in major units; more decimals than the currency
    /// allows is an error (trailing zeros are fine: 23.7200 CNY is 2372 fen).
    pub fn from_decimal(value: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        let normalized = value.normalize();
        if normalized.scale() > u32::from(currency.exponent()) {
            return Err(MoneyError::TooManyDecimals {
                input: value.to_string(),
                places: normalized.scale(),
                max: currency.exponent(),
                currency: currency.alpha(),
            });
        }
        Money::from_decimal_rounded(value, currency, Rounding::Down)
    }

    /// Converts a `Decimal` in major units, rounding to the minor unit with `rounding`.
    pub fn from_decimal_rounded(
        value: Decimal,
        currency: Currency,
        rounding: Rounding,
    ) -> Result<Money, MoneyError> {
        let scaled = value
            .checked_mul(Decimal::from(currency.minor_per_major()))
            .ok_or(MoneyError::Overflow {
                operation: "from_decimal",
            })?;
        Ok(Money {
            minor: rounding.round_to_i64(scaled)?,
            currency,
        })
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency.alpha(),
                right: other.currency.alpha(),
            })
        }
    }

    /// `self + other`; errors on currency mismatch or overflow.
    pub fn checked_add(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow { operation: "add" })?;
        Ok(Money { minor, ..*self })
    }

    /// `self − other`; errors on currency mismatch or overflow.
    pub fn checked_sub(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow {
                operation: "subtract",
            })?;
        Ok(Money { minor, ..*self })
    }

    /// `−self`; errors only for the most negative amount.
    pub fn checked_neg(&self) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_neg().ok_or(MoneyError::Overflow {
            operation: "negate",
        })?;
        Ok(Money { minor, ..*self })
    }

    /// `self × n` for an integer count (e.g. a per-item fee times items).
    pub fn checked_mul_int(&self, n: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_mul(n).ok_or(MoneyError::Overflow {
            operation: "multiply",
        })?;
        Ok(Money { minor, ..*self })
    }

    /// Sums amounts of one currency; an empty input is zero in `currency`.
    pub fn sum<I: IntoIterator<Item = Money>>(
        currency: Currency,
        items: I,
    ) -> Result<Money, MoneyError> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), |acc, m| acc.checked_add(m))
    }

    /// `self × rate`, rounded to the minor unit by the given rule.
    ///
    /// The product is computed exactly in `Decimal` and rounded once: 10000.00 CNY × 0.0038 =
    /// 38.00; 123.45 CNY × 0.006 = 0.7407 → 0.74 under half-up.
    pub fn mul_rate(&self, rate: Decimal, rounding: Rounding) -> Result<Money, MoneyError> {
        let exact = self.mul_rate_exact(rate)?;
        Ok(Money {
            minor: rounding.round_to_i64(exact)?,
            ..*self
        })
    }

    /// `self × rate` in (fractional) minor units, unrounded: for callers that must apply caps
    /// and floors before the single rounding step.
    pub fn mul_rate_exact(&self, rate: Decimal) -> Result<Decimal, MoneyError> {
        Decimal::from(self.minor)
            .checked_mul(rate)
            .ok_or(MoneyError::Overflow {
                operation: "multiply by rate",
            })
    }

    /// Formats as a plain decimal in major units with exactly `exponent` decimals ("23.72",
    /// "-0.05", "100" for JPY): the exact inverse of [`Money::parse`].
    pub fn to_plain_string(&self) -> String {
        let exp = u32::from(self.currency.exponent());
        let abs = self.minor.unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        if exp == 0 {
            return format!("{sign}{abs}");
        }
        let div = 10u64.pow(exp);
        format!(
            "{sign}{}.{:0width$}",
            abs / div,
            abs % div,
            width = exp as usize
        )
    }
}

impl fmt::Display for Money {
    /// "23.72 CNY".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_plain_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny(s: &str) -> Result<Money, MoneyError> {
        Money::parse(s, Currency::CNY)
    }

    #[test]
    fn parses_exactly() {
        assert_eq!(cny("23.72").unwrap().minor(), 2372);
        assert_eq!(cny("23.7").unwrap().minor(), 2370);
        assert_eq!(cny("0").unwrap().minor(), 0);
        assert_eq!(cny("-0.05").unwrap().minor(), -5);
        assert_eq!(Money::parse("100", Currency::JPY).unwrap().minor(), 100);
        assert_eq!(Money::parse("1.234", Currency::KWD).unwrap().minor(), 1234);
        assert_eq!(Money::parse("0.0001", Currency::CLF).unwrap().minor(), 1);
        assert_eq!(
            cny("-92233720368547758.08").unwrap().minor(),
            i64::MIN,
            "the most negative amount parses"
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "", "-", "1e3", "12,00", " 1", "1 ", "5.", ".5", "+1", "1.2.3", "--1", "１",
        ] {
            assert!(
                matches!(cny(bad), Err(MoneyError::MalformedAmount { .. })),
                "{bad:?} -> {:?}",
                cny(bad)
            );
        }
        assert_eq!(
            cny("12,00"),
            Err(MoneyError::MalformedAmount {
                input: "12,00".into(),
                offset: 2,
                reason: "a digit or '.'"
            })
        );
        assert!(matches!(
            cny("1.234"),
            Err(MoneyError::TooManyDecimals {
                places: 3,
                max: 2,
                ..
            })
        ));
        assert!(matches!(
            Money::parse("1.5", Currency::JPY),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        assert!(matches!(
            cny("92233720368547758.08"),
            Err(MoneyError::Overflow { .. })
        ));
    }

    #[test]
    fn formats() {
        assert_eq!(cny("23.72").unwrap().to_string(), "23.72 CNY");
        assert_eq!(
            Money::from_minor(-5, Currency::CNY).to_plain_string(),
            "-0.05"
        );
        assert_eq!(Money::from_minor(7, Currency::JPY).to_plain_string(), "7");
        assert_eq!(
            Money::from_minor(1, Currency::CLF).to_plain_string(),
            "0.0001"
        );
        assert_eq!(
            Money::from_minor(i64::MIN, Currency::CNY).to_plain_string(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Money::from_minor(i64::MAX, Currency::CNY);
        assert!(matches!(
            a.checked_add(Money::from_minor(1, Currency::CNY)),
            Err(MoneyError::Overflow { .. })
        ));
        assert_eq!(
            Money::from_minor(1, Currency::CNY).checked_add(Money::from_minor(1, Currency::USD)),
            Err(MoneyError::CurrencyMismatch {
                left: "CNY",
                right: "USD"
            })
        );
        assert_eq!(
            Money::from_minor(i64::MIN, Currency::CNY).checked_neg(),
            Err(MoneyError::Overflow {
                operation: "negate"
            })
        );
    }

    #[test]
    fn rate_multiplication_rounds_once_by_the_named_rule() {
        let amount = cny("123.45").unwrap();
        let rate: Decimal = "0.006".parse().unwrap(); // 74.07 fen
        assert_eq!(amount.mul_rate(rate, Rounding::HalfUp).unwrap().minor(), 74);
        assert_eq!(amount.mul_rate(rate, Rounding::Up).unwrap().minor(), 75);
        let half: Decimal = "0.005".parse().unwrap();
        let x = Money::from_minor(100, Currency::CNY); // 0.5 fen
        assert_eq!(x.mul_rate(half, Rounding::HalfUp).unwrap().minor(), 1);
        assert_eq!(x.mul_rate(half, Rounding::HalfEven).unwrap().minor(), 0);
        let big = Money::from_minor(i64::MAX, Currency::CNY);
        assert!(big.mul_rate(Decimal::from(2), Rounding::HalfUp).is_err());
    }

    #[test]
    fn decimal_conversions() {
        let d: Decimal = "23.7200".parse().unwrap();
        assert_eq!(Money::from_decimal(d, Currency::CNY).unwrap().minor(), 2372);
        let d: Decimal = "23.725".parse().unwrap();
        assert!(Money::from_decimal(d, Currency::CNY).is_err());
        assert_eq!(
            Money::from_decimal_rounded(d, Currency::CNY, Rounding::HalfUp)
                .unwrap()
                .minor(),
            2373
        );
        assert_eq!(cny("23.72").unwrap().to_decimal().to_string(), "23.72");
    }

    #[test]
    fn serde_uses_currency_code() {
        let m = cny("1.00").unwrap();
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"minor":100,"currency":"CNY"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        assert!(serde_json::from_str::<Money>(r#"{"minor":1,"currency":"ZZZ"}"#).is_err());
    }
}
