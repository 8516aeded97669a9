//! ISO 4217 currencies with lookup by alphabetic or numeric code.

use super::MoneyError;
use super::currency_table::TABLE;
use std::fmt;

/// An ISO 4217 currency: alphabetic code, numeric code and minor-unit exponent.
///
/// `Currency` is a small `Copy` value; two currencies are equal when their codes are. Build
/// one with [`Currency::from_alpha`], [`Currency::from_numeric`], [`Currency::from_code`] or
/// the constants for the currencies paycore meets most ([`Currency::CNY`], …).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    alpha: &'static str,
    numeric: u16,
    exponent: u8,
    name: &'static str,
}

impl Currency {
    /// Chinese yuan renminbi (156), 2 decimals: amounts in fen.
    pub const CNY: Currency = Currency::lit("CNY", 156, 2, "Yuan Renminbi");
    /// Hong Kong dollar (344).
    pub const HKD: Currency = Currency::lit("HKD", 344, 2, "Hong Kong Dollar");
    /// US dollar (840).
    pub const USD: Currency = Currency::lit("USD", 840, 2, "US Dollar");
    /// Euro (978).
    pub const EUR: Currency = Currency::lit("EUR", 978, 2, "Euro");
    /// Japanese yen (392), no minor unit.
    pub const JPY: Currency = Currency::lit("JPY", 392, 0, "Yen");
    /// Kuwaiti dinar (414), 3 decimals.
    pub const KWD: Currency = Currency::lit("KWD", 414, 3, "Kuwaiti Dinar");
    /// Chilean Unidad de Fomento (990), 4 decimals.
    pub const CLF: Currency = Currency::lit("CLF", 990, 4, "Unidad de Fomento");

    const fn lit(alpha: &'static str, numeric: u16, exponent: u8, name: &'static str) -> Self {
        Currency {
            alpha,
            numeric,
            exponent,
            name,
        }
    }

    /// Looks up a currency by its three-letter code (case-insensitive: "cny" is CNY).
    pub fn from_alpha(code: &str) -> Result<Currency, MoneyError> {
        TABLE
            .iter()
            .find(|row| row.0.eq_ignore_ascii_case(code))
            .map(|&(a, n, e, name)| Currency::lit(a, n, e, name))
            .ok_or_else(|| MoneyError::UnknownCurrency {
                code: code.to_owned(),
            })
    }

    /// Looks up a currency by its numeric code (156 is CNY), as ISO 8583 field 49 carries it.
    pub fn from_numeric(code: u16) -> Result<Currency, MoneyError> {
        TABLE
            .iter()
            .find(|row| row.1 == code)
            .map(|&(a, n, e, name)| Currency::lit(a, n, e, name))
            .ok_or_else(|| MoneyError::UnknownCurrency {
                code: format!("{code:03}"),
            })
    }

    /// Looks up by either form: three letters ("CNY") or three digits ("156").
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()) {
            // Three ASCII digits always parse.
            let n: u16 = code.parse().map_err(|_| MoneyError::UnknownCurrency {
                code: code.to_owned(),
            })?;
            Currency::from_numeric(n)
        } else {
            Currency::from_alpha(code)
        }
    }

    /// Every currency in the table, in alphabetical order.
    pub fn all() -> impl Iterator<Item = Currency> {
        TABLE
            .iter()
            .map(|&(a, n, e, name)| Currency::lit(a, n, e, name))
    }

    /// The alphabetic code, e.g. "CNY".
    pub const fn alpha(&self) -> &'static str {
        self.alpha
    }

    /// The numeric code, e.g. 156.
    pub const fn numeric(&self) -> u16 {
        self.numeric
    }

    /// The numeric code as the three digits ISO 8583 field 49 carries, e.g. "156".
    pub fn numeric_str(&self) -> String {
        format!("{:03}", self.numeric)
    }

    /// Number of decimal places of the minor unit (CNY 2, JPY 0, KWD 3, CLF 4).
    pub const fn exponent(&self) -> u8 {
        self.exponent
    }

    /// The ISO 4217 English name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Minor units per major unit, 10^exponent.
    pub const fn minor_per_major(&self) -> i64 {
        10i64.pow(self.exponent as u32)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alpha)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alpha)
    }
}

impl std::str::FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.alpha)
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::from_code(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        let mut alphas: Vec<_> = TABLE.iter().map(|r| r.0).collect();
        let sorted = alphas.clone();
        alphas.sort_unstable();
        assert_eq!(alphas, sorted, "table must stay in alphabetical order");
        alphas.dedup();
        assert_eq!(alphas.len(), TABLE.len(), "duplicate alphabetic code");
        let mut numerics: Vec<_> = TABLE.iter().map(|r| r.1).collect();
        numerics.sort_unstable();
        numerics.dedup();
        assert_eq!(numerics.len(), TABLE.len(), "duplicate numeric code");
        assert!(TABLE.iter().all(|r| r.2 <= 4));
    }

    #[test]
    fn constants_match_table() {
        for c in [
            Currency::CNY,
            Currency::HKD,
            Currency::USD,
            Currency::EUR,
            Currency::JPY,
            Currency::KWD,
            Currency::CLF,
        ] {
            assert_eq!(Currency::from_alpha(c.alpha()).unwrap(), c);
            assert_eq!(Currency::from_numeric(c.numeric()).unwrap(), c);
        }
    }
}
