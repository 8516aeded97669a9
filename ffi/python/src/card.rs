//! `Pan`, `Track2`, brands and masking for Python. `repr()` never shows a full PAN.

use crate::errors::Result;
use chrono::NaiveDate;
use paycore::card as core;
use pyo3::prelude::*;

/// Card brands.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Brand {
    /// China UnionPay.
    UNION_PAY,
    /// Visa.
    VISA,
    /// Mastercard.
    MASTERCARD,
    /// American Express.
    AMEX,
    /// JCB.
    JCB,
    /// Discover.
    DISCOVER,
    /// Diners Club.
    DINERS,
    /// Maestro.
    MAESTRO,
    /// Mir.
    MIR,
}

impl From<core::Brand> for Brand {
    fn from(b: core::Brand) -> Self {
        match b {
            core::Brand::UnionPay => Brand::UNION_PAY,
            core::Brand::Visa => Brand::VISA,
            core::Brand::Mastercard => Brand::MASTERCARD,
            core::Brand::Amex => Brand::AMEX,
            core::Brand::Jcb => Brand::JCB,
            core::Brand::Discover => Brand::DISCOVER,
            core::Brand::Diners => Brand::DINERS,
            core::Brand::Maestro => Brand::MAESTRO,
            core::Brand::Mir => Brand::MIR,
        }
    }
}

/// Masking presets.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaskStyle {
    /// First 6 + last 4 (前6后4).
    FIRST6_LAST4,
    /// First 8 + last 4 (8-digit BINs).
    FIRST8_LAST4,
    /// Last 4 only.
    LAST4,
}

impl From<MaskStyle> for core::MaskStyle {
    fn from(m: MaskStyle) -> Self {
        match m {
            MaskStyle::FIRST6_LAST4 => core::MaskStyle::First6Last4,
            MaskStyle::FIRST8_LAST4 => core::MaskStyle::First8Last4,
            MaskStyle::LAST4 => core::MaskStyle::Last4,
        }
    }
}

/// True when `digits` is all digits and passes the Luhn check.
#[pyfunction]
fn luhn_valid(digits: &str) -> bool {
    core::luhn_valid(digits)
}

/// The brand of a PAN or PAN prefix, or None.
#[pyfunction]
fn detect_brand(digits: &str) -> Option<Brand> {
    core::Brand::detect(digits).map(Brand::from)
}

/// Masks a digit string with a preset.
#[pyfunction]
#[pyo3(signature = (digits, style = MaskStyle::FIRST6_LAST4))]
fn mask_digits(digits: &str, style: MaskStyle) -> String {
    core::mask_digits(digits, style.into())
}

/// A primary account number (12–19 digits; Luhn is checked separately).
#[pyclass(frozen, module = "paycore")]
pub struct Pan(core::Pan);

#[pymethods]
impl Pan {
    #[new]
    fn new(digits: &str) -> Result<Self> {
        Ok(Pan(core::Pan::parse(digits)?))
    }

    /// The full digits (cardholder data: handle with care).
    #[getter]
    fn digits(&self) -> &str {
        self.0.digits()
    }

    /// Masked with a preset (default first 6 + last 4).
    #[pyo3(signature = (style = MaskStyle::FIRST6_LAST4))]
    fn masked(&self, style: MaskStyle) -> String {
        self.0.masked(style.into())
    }

    /// Whether the Luhn check passes.
    #[getter]
    fn luhn_valid(&self) -> bool {
        self.0.luhn_valid()
    }

    /// Brand from the BIN table, or None.
    #[getter]
    fn brand(&self) -> Option<Brand> {
        self.0.brand().map(Brand::from)
    }

    /// First six digits.
    #[getter]
    fn bin6(&self) -> &str {
        self.0.bin6()
    }

    /// Last four digits.
    #[getter]
    fn last4(&self) -> &str {
        self.0.last4()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __eq__(&self, other: &Pan) -> bool {
        self.0 == other.0
    }

    fn __repr__(&self) -> String {
        format!("Pan('{}')", self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }
}

/// Parsed track 2 data.
#[pyclass(frozen, module = "paycore")]
pub struct Track2(core::Track2);

#[pymethods]
impl Track2 {
    /// Parses `PAN=YYMMSSS…` (or `D` as separator; sentinels and `F` padding allowed).
    #[staticmethod]
    fn parse(text: &str) -> Result<Self> {
        Ok(Track2(core::Track2::parse(text)?))
    }

    /// The PAN.
    #[getter]
    fn pan(&self) -> Pan {
        Pan(self.0.pan().clone())
    }

    /// Expiry as (year, month).
    #[getter]
    fn expiry(&self) -> (u16, u8) {
        (self.0.expiry().year(), self.0.expiry().month())
    }

    /// Three-digit service code.
    #[getter]
    fn service_code(&self) -> String {
        self.0.service_code().as_string()
    }

    /// Whether the service code says a chip is present.
    #[getter]
    fn chip_present(&self) -> bool {
        self.0.service_code().chip_present()
    }

    /// Whether the card has expired on `today` (a `datetime.date` from the caller's clock).
    fn is_expired(&self, today: NaiveDate) -> bool {
        self.0.expiry().is_expired_on(today)
    }

    /// Masked form for logs.
    fn masked(&self) -> String {
        self.0.masked()
    }

    /// Canonical field 35 text (`=` separator).
    fn to_field35(&self) -> String {
        self.0.to_field35()
    }

    fn __repr__(&self) -> String {
        format!("Track2('{}')", self.0.masked())
    }
}

/// Parses a YYMM expiry into (year, month).
#[pyfunction]
fn parse_expiry(yymm: &str) -> Result<(u16, u8)> {
    let e = core::Expiry::parse_yymm(yymm)?;
    Ok((e.year(), e.month()))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Brand>()?;
    m.add_class::<MaskStyle>()?;
    m.add_class::<Pan>()?;
    m.add_class::<Track2>()?;
    m.add_function(wrap_pyfunction!(luhn_valid, m)?)?;
    m.add_function(wrap_pyfunction!(detect_brand, m)?)?;
    m.add_function(wrap_pyfunction!(mask_digits, m)?)?;
    m.add_function(wrap_pyfunction!(parse_expiry, m)?)?;
    Ok(())
}
