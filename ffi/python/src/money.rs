//! `Currency`, `Money` and `Rounding` for Python.

use crate::errors::{AmountFormatError, Result};
use paycore::money as core;
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
use rust_decimal::Decimal;

/// Rounding rules: every operation that rounds names one; there is no default.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Nearest, ties away from zero (commercial 四舍五入).
    HALF_UP,
    /// Nearest, ties to even (banker's rounding).
    HALF_EVEN,
    /// Nearest, ties toward zero.
    HALF_DOWN,
    /// Toward zero.
    DOWN,
    /// Away from zero.
    UP,
    /// Toward negative infinity.
    FLOOR,
    /// Toward positive infinity.
    CEILING,
}

impl From<Rounding> for core::Rounding {
    fn from(r: Rounding) -> Self {
        match r {
            Rounding::HALF_UP => core::Rounding::HalfUp,
            Rounding::HALF_EVEN => core::Rounding::HalfEven,
            Rounding::HALF_DOWN => core::Rounding::HalfDown,
            Rounding::DOWN => core::Rounding::Down,
            Rounding::UP => core::Rounding::Up,
            Rounding::FLOOR => core::Rounding::Floor,
            Rounding::CEILING => core::Rounding::Ceiling,
        }
    }
}

/// An ISO 4217 currency, looked up by alphabetic ("CNY") or numeric ("156") code.
#[pyclass(frozen, eq, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(pub(crate) core::Currency);

#[pymethods]
impl Currency {
    #[new]
    fn new(code: &str) -> Result<Self> {
        Ok(Currency(core::Currency::from_code(code)?))
    }

    /// Alphabetic code, e.g. "CNY".
    #[getter]
    fn alpha(&self) -> &'static str {
        self.0.alpha()
    }

    /// Numeric code, e.g. 156.
    #[getter]
    fn numeric(&self) -> u16 {
        self.0.numeric()
    }

    /// Minor-unit exponent (CNY 2, JPY 0, KWD 3, CLF 4).
    #[getter]
    fn exponent(&self) -> u8 {
        self.0.exponent()
    }

    /// English name.
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn __repr__(&self) -> String {
        format!("Currency('{}')", self.0.alpha())
    }

    fn __str__(&self) -> &'static str {
        self.0.alpha()
    }
}

/// Accepts a `Currency` or a code string.
pub(crate) fn currency_arg(obj: &Bound<'_, PyAny>) -> Result<core::Currency> {
    if let Ok(c) = obj.extract::<Currency>() {
        return Ok(c.0);
    }
    let code: String = obj
        .extract()
        .map_err(|_| PyTypeError::new_err("currency must be a Currency or a code string"))?;
    Ok(core::Currency::from_code(&code)?)
}

/// Accepts `decimal.Decimal`, `int` or decimal `str`; rejects `float` (binary floating point
/// cannot hold 0.1 exactly, so it never enters money arithmetic).
pub(crate) fn decimal_arg(obj: &Bound<'_, PyAny>, what: &str) -> Result<Decimal> {
    if obj.is_instance_of::<PyFloat>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be decimal.Decimal, int or str, not float"
        ))
        .into());
    }
    if obj.is_instance_of::<PyString>() {
        let s: String = obj.extract()?;
        return Decimal::from_str_exact(s.trim()).map_err(|_| {
            AmountFormatError::new_err(format!("{what}: {s:?} is not a decimal number")).into()
        });
    }
    if obj.is_instance_of::<PyInt>() {
        let v: i64 = obj.extract()?;
        return Ok(Decimal::from(v));
    }
    obj.extract::<Decimal>().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be decimal.Decimal, int or str")).into()
    })
}

/// An amount of money: exact integer minor units plus a currency.
///
/// `Money("23.72", "CNY")` or `Money(Decimal("23.72"), "CNY")` is 2372 fen; more decimals
/// than the currency allows raise `AmountFormatError`. Floats are refused.
#[pyclass(frozen, from_py_object, module = "paycore")]
#[derive(Clone, Copy)]
pub struct Money(pub(crate) core::Money);

#[pymethods]
impl Money {
    #[new]
    fn new(amount: &Bound<'_, PyAny>, currency: &Bound<'_, PyAny>) -> Result<Self> {
        let currency = currency_arg(currency)?;
        if amount.is_instance_of::<PyString>() {
            let text: String = amount.extract()?;
            return Ok(Money(core::Money::parse(&text, currency)?));
        }
        let d = decimal_arg(amount, "amount")?;
        Ok(Money(core::Money::from_decimal(d, currency)?))
    }

    /// An amount from integer minor units (fen for CNY).
    #[staticmethod]
    fn from_minor(minor: i64, currency: &Bound<'_, PyAny>) -> Result<Self> {
        Ok(Money(core::Money::from_minor(
            minor,
            currency_arg(currency)?,
        )))
    }

    /// Minor units.
    #[getter]
    fn minor(&self) -> i64 {
        self.0.minor()
    }

    /// The currency.
    #[getter]
    fn currency(&self) -> Currency {
        Currency(self.0.currency())
    }

    /// The exact amount in major units as `decimal.Decimal`.
    #[getter]
    fn amount(&self) -> Decimal {
        self.0.to_decimal()
    }

    /// `self × rate`, rounded once to the minor unit by `rounding`.
    fn mul_rate(&self, rate: &Bound<'_, PyAny>, rounding: Rounding) -> Result<Money> {
        let rate = decimal_arg(rate, "rate")?;
        Ok(Money(self.0.mul_rate(rate, rounding.into())?))
    }

    /// Splits by non-negative integer weights; the parts sum exactly to `self`
    /// (largest-remainder rule, ties to the earlier part).
    fn allocate(&self, weights: Vec<u64>) -> Result<Vec<Money>> {
        Ok(self.0.allocate(&weights)?.into_iter().map(Money).collect())
    }

    /// Splits by decimal ratios (need not sum to 1); the parts sum exactly to `self`.
    fn allocate_ratios(&self, ratios: Vec<Bound<'_, PyAny>>) -> Result<Vec<Money>> {
        let ratios = ratios
            .iter()
            .map(|r| decimal_arg(r, "ratio"))
            .collect::<Result<Vec<_>>>()?;
        Ok(self
            .0
            .allocate_ratios(&ratios)?
            .into_iter()
            .map(Money)
            .collect())
    }

    fn __add__(&self, other: &Money) -> Result<Money> {
        Ok(Money(self.0.checked_add(other.0)?))
    }

    fn __sub__(&self, other: &Money) -> Result<Money> {
        Ok(Money(self.0.checked_sub(other.0)?))
    }

    fn __neg__(&self) -> Result<Money> {
        Ok(Money(self.0.checked_neg()?))
    }

    fn __bool__(&self) -> bool {
        !self.0.is_zero()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Result<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.extract::<Money>() else {
            return Ok(py.NotImplemented());
        };
        if self.0.currency() != other.0.currency() {
            return match op {
                CompareOp::Eq => Ok(py_bool(py, false)),
                CompareOp::Ne => Ok(py_bool(py, true)),
                _ => Err(crate::errors::Error::from(
                    paycore::money::MoneyError::CurrencyMismatch {
                        left: self.0.currency().alpha(),
                        right: other.0.currency().alpha(),
                    },
                )),
            };
        }
        let result = op.matches(self.0.minor().cmp(&other.0.minor()));
        Ok(py_bool(py, result))
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.0.hash(&mut h);
        h.finish()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Money('{}', '{}')",
            self.0.to_plain_string(),
            self.0.currency().alpha()
        )
    }
}

fn py_bool(py: Python<'_>, value: bool) -> Py<PyAny> {
    PyBool::new(py, value).to_owned().into_any().unbind()
}

/// Parses a rounding name ("half_up", "HALF-EVEN", …) into `Rounding`.
#[pyfunction]
fn rounding_from_name(name: &str) -> PyResult<Rounding> {
    let r: core::Rounding = name
        .parse()
        .map_err(|e: core::MoneyError| PyValueError::new_err(e.to_string()))?;
    Ok(match r {
        core::Rounding::HalfUp => Rounding::HALF_UP,
        core::Rounding::HalfEven => Rounding::HALF_EVEN,
        core::Rounding::HalfDown => Rounding::HALF_DOWN,
        core::Rounding::Down => Rounding::DOWN,
        core::Rounding::Up => Rounding::UP,
        core::Rounding::Floor => Rounding::FLOOR,
        core::Rounding::Ceiling => Rounding::CEILING,
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Rounding>()?;
    m.add_class::<Currency>()?;
    m.add_class::<Money>()?;
    m.add_function(wrap_pyfunction!(rounding_from_name, m)?)?;
    Ok(())
}
