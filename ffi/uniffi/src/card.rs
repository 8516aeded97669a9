//! Card data for Kotlin/Swift. PAN and track 2 are objects, so a data-class `toString()`
//! can never print a full card number into an app log.

use crate::PaycoreError;
use paycore::card as core;
use std::sync::Arc;

/// Card brands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Brand {
    /// China UnionPay.
    UnionPay,
    /// Visa.
    Visa,
    /// Mastercard.
    Mastercard,
    /// American Express.
    Amex,
    /// JCB.
    Jcb,
    /// Discover.
    Discover,
    /// Diners Club.
    Diners,
    /// Maestro.
    Maestro,
    /// Mir.
    Mir,
}

impl From<core::Brand> for Brand {
    fn from(b: core::Brand) -> Self {
        match b {
            core::Brand::UnionPay => Brand::UnionPay,
            core::Brand::Visa => Brand::Visa,
            core::Brand::Mastercard => Brand::Mastercard,
            core::Brand::Amex => Brand::Amex,
            core::Brand::Jcb => Brand::Jcb,
            core::Brand::Discover => Brand::Discover,
            core::Brand::Diners => Brand::Diners,
            core::Brand::Maestro => Brand::Maestro,
            core::Brand::Mir => Brand::Mir,
        }
    }
}

/// Masking presets.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum MaskStyle {
    /// First 6 + last 4.
    First6Last4,
    /// First 8 + last 4.
    First8Last4,
    /// Last 4 only.
    Last4,
}

impl From<MaskStyle> for core::MaskStyle {
    fn from(m: MaskStyle) -> Self {
        match m {
            MaskStyle::First6Last4 => core::MaskStyle::First6Last4,
            MaskStyle::First8Last4 => core::MaskStyle::First8Last4,
            MaskStyle::Last4 => core::MaskStyle::Last4,
        }
    }
}

/// True when `digits` is all digits and passes the Luhn check.
#[uniffi::export]
pub fn luhn_valid(digits: String) -> bool {
    core::luhn_valid(&digits)
}

/// The brand of a PAN or PAN prefix, from the built-in BIN table.
#[uniffi::export]
pub fn detect_brand(digits: String) -> Option<Brand> {
    core::Brand::detect(&digits).map(Brand::from)
}

/// Masks any digit string with a preset.
#[uniffi::export]
pub fn mask_digits(digits: String, style: MaskStyle) -> String {
    core::mask_digits(&digits, style.into())
}

/// A parsed PAN (12–19 digits; Luhn is checked separately).
#[derive(uniffi::Object)]
pub struct Pan(core::Pan);

impl std::fmt::Debug for Pan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export]
impl Pan {
    /// Parses the digits.
    #[uniffi::constructor]
    pub fn new(digits: String) -> Result<Arc<Pan>, PaycoreError> {
        Ok(Arc::new(Pan(core::Pan::parse(&digits)?)))
    }

    /// The full digits (cardholder data: handle with care).
    pub fn digits(&self) -> String {
        self.0.digits().to_owned()
    }

    /// Masked with a preset.
    pub fn masked(&self, style: MaskStyle) -> String {
        self.0.masked(style.into())
    }

    /// Luhn check.
    pub fn luhn_valid(&self) -> bool {
        self.0.luhn_valid()
    }

    /// Brand from the BIN table.
    pub fn brand(&self) -> Option<Brand> {
        self.0.brand().map(Brand::from)
    }

    /// First six digits.
    pub fn bin6(&self) -> String {
        self.0.bin6().to_owned()
    }

    /// Last four digits.
    pub fn last4(&self) -> String {
        self.0.last4().to_owned()
    }
}

/// Parsed track 2 data.
#[derive(uniffi::Object)]
pub struct Track2(core::Track2);

impl std::fmt::Debug for Track2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export]
impl Track2 {
    /// Parses `PAN=YYMMSSS…` (or `D` as separator; sentinels and `F` padding allowed).
    #[uniffi::constructor]
    pub fn parse(text: String) -> Result<Arc<Track2>, PaycoreError> {
        Ok(Arc::new(Track2(core::Track2::parse(&text)?)))
    }

    /// The PAN.
    pub fn pan(&self) -> Arc<Pan> {
        Arc::new(Pan(self.0.pan().clone()))
    }

    /// Expiry year (e.g. 2029).
    pub fn expiry_year(&self) -> u16 {
        self.0.expiry().year()
    }

    /// Expiry month (1–12).
    pub fn expiry_month(&self) -> u8 {
        self.0.expiry().month()
    }

    /// Three-digit service code.
    pub fn service_code(&self) -> String {
        self.0.service_code().as_string()
    }

    /// Whether the service code says a chip is present.
    pub fn chip_present(&self) -> bool {
        self.0.service_code().chip_present()
    }

    /// Masked form for logs.
    pub fn masked(&self) -> String {
        self.0.masked()
    }

    /// The canonical field 35 form (`=` separator).
    pub fn to_field35(&self) -> String {
        self.0.to_field35()
    }

    /// Whether the card has expired on the given date (from the caller's clock).
    pub fn is_expired_on(&self, year: i32, month: u32, day: u32) -> Result<bool, PaycoreError> {
        let date = chrono::NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
            PaycoreError::InvalidDate(format!("{year:04}-{month:02}-{day:02} is not a date"))
        })?;
        Ok(self.0.expiry().is_expired_on(date))
    }
}
