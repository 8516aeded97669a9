//! The primary account number.

use super::{Brand, CardError, MaskStyle, luhn_valid, mask_digits};
use std::fmt;
use zeroize::Zeroize;

/// A primary account number: 12 to 19 decimal digits (ISO/IEC 7812).
///
/// Parsing checks only the characters and the length; Luhn is a separate question
/// ([`Pan::luhn_valid`]) because real and test traffic carries PANs that fail it.
/// `Debug` and `Display` show first 6 + last 4 (前6后4) and never the full number; the digits
/// are wiped from memory on drop. Serde (de)serialises the **full** number, for storage the
/// host protects; use [`Pan::masked`] for anything a person or a log may see.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Pan(String);

impl Pan {
    /// Parses a PAN from its digits.
    pub fn parse(digits: &str) -> Result<Pan, CardError> {
        if let Some(offset) = digits.bytes().position(|b| !b.is_ascii_digit()) {
            return Err(CardError::PanNotDigits { offset });
        }
        if !(12..=19).contains(&digits.len()) {
            return Err(CardError::PanLength { len: digits.len() });
        }
        Ok(Pan(digits.to_owned()))
    }

    /// The full digits. Handle with care: this is cardholder data.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a PAN has at least 12 digits.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// True when the last digit is the correct Luhn check digit.
    pub fn luhn_valid(&self) -> bool {
        luhn_valid(&self.0)
    }

    /// The brand, from the built-in BIN table.
    pub fn brand(&self) -> Option<Brand> {
        Brand::detect(&self.0)
    }

    /// The first six digits (the classic BIN / IIN).
    pub fn bin6(&self) -> &str {
        &self.0[..6]
    }

    /// The last four digits.
    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    /// The PAN masked with `style`.
    pub fn masked(&self, style: MaskStyle) -> String {
        mask_digits(&self.0, style)
    }
}

impl Drop for Pan {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pan({})", self.masked(MaskStyle::First6Last4))
    }
}

impl fmt::Display for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked(MaskStyle::First6Last4))
    }
}

impl std::str::FromStr for Pan {
    type Err = CardError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pan::parse(s)
    }
}

impl serde::Serialize for Pan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Pan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Pan::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_show() {
        let pan = Pan::parse("6228480012345676789").unwrap();
        assert_eq!(pan.to_string(), "622848*********6789");
        assert_eq!(format!("{pan:?}"), "Pan(622848*********6789)");
        assert_eq!(pan.bin6(), "622848");
        assert_eq!(pan.last4(), "6789");
        assert_eq!(pan.brand(), Some(Brand::UnionPay));
        assert_eq!(
            Pan::parse("41111111111x1111"),
            Err(CardError::PanNotDigits { offset: 11 })
        );
        assert_eq!(
            Pan::parse("41111111111"),
            Err(CardError::PanLength { len: 11 })
        );
        assert_eq!(
            Pan::parse("41111111111111111111"),
            Err(CardError::PanLength { len: 20 })
        );
        assert!(
            Pan::parse("1234567890123458").is_ok(),
            "Luhn is not enforced"
        );
        assert!(!Pan::parse("1234567890123458").unwrap().luhn_valid());
    }
}
