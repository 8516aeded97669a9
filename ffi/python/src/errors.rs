//! The exception hierarchy: `PaycoreError` and one subclass per kind of failure.

use paycore::card::CardError as CoreCardError;
use paycore::money::MoneyError as CoreMoneyError;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    paycore,
    PaycoreError,
    PyException,
    "Base class of every paycore error."
);
create_exception!(
    paycore,
    MoneyError,
    PaycoreError,
    "A money operation failed."
);
create_exception!(
    paycore,
    UnknownCurrencyError,
    MoneyError,
    "Unknown ISO 4217 currency code."
);
create_exception!(
    paycore,
    AmountFormatError,
    MoneyError,
    "Malformed amount text, or more decimals than the currency allows."
);
create_exception!(
    paycore,
    AmountOverflowError,
    MoneyError,
    "An amount overflowed 64-bit minor units."
);
create_exception!(
    paycore,
    CurrencyMismatchError,
    MoneyError,
    "Amounts in different currencies were combined."
);
create_exception!(
    paycore,
    AllocationError,
    MoneyError,
    "Unusable allocation weights or ratios."
);
create_exception!(paycore, CardError, PaycoreError, "Card data was rejected.");
create_exception!(
    paycore,
    InvalidPanError,
    CardError,
    "A PAN with non-digits or a bad length."
);
create_exception!(paycore, Track2Error, CardError, "Malformed track 2 data.");
create_exception!(paycore, ExpiryError, CardError, "Malformed expiry date.");

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("PaycoreError", py.get_type::<PaycoreError>())?;
    m.add("MoneyError", py.get_type::<MoneyError>())?;
    m.add(
        "UnknownCurrencyError",
        py.get_type::<UnknownCurrencyError>(),
    )?;
    m.add("AmountFormatError", py.get_type::<AmountFormatError>())?;
    m.add("AmountOverflowError", py.get_type::<AmountOverflowError>())?;
    m.add(
        "CurrencyMismatchError",
        py.get_type::<CurrencyMismatchError>(),
    )?;
    m.add("AllocationError", py.get_type::<AllocationError>())?;
    m.add("CardError", py.get_type::<CardError>())?;
    m.add("InvalidPanError", py.get_type::<InvalidPanError>())?;
    m.add("Track2Error", py.get_type::<Track2Error>())?;
    m.add("ExpiryError", py.get_type::<ExpiryError>())?;
    Ok(())
}

/// Wrapper that turns core errors into Python exceptions (the orphan rule forbids
/// `From<MoneyError> for PyErr` here).
pub(crate) struct Error(pub PyErr);

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        e.0
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Error {
        Error(e)
    }
}

impl From<CoreMoneyError> for Error {
    fn from(e: CoreMoneyError) -> Error {
        let msg = e.to_string();
        Error(match e {
            CoreMoneyError::UnknownCurrency { .. } => UnknownCurrencyError::new_err(msg),
            CoreMoneyError::MalformedAmount { .. } | CoreMoneyError::TooManyDecimals { .. } => {
                AmountFormatError::new_err(msg)
            }
            CoreMoneyError::Overflow { .. } => AmountOverflowError::new_err(msg),
            CoreMoneyError::CurrencyMismatch { .. } => CurrencyMismatchError::new_err(msg),
            CoreMoneyError::InvalidWeights { .. } => AllocationError::new_err(msg),
            _ => MoneyError::new_err(msg),
        })
    }
}

impl From<CoreCardError> for Error {
    fn from(e: CoreCardError) -> Error {
        let msg = e.to_string();
        Error(match e {
            CoreCardError::PanNotDigits { .. } | CoreCardError::PanLength { .. } => {
                InvalidPanError::new_err(msg)
            }
            CoreCardError::Track2 { .. } => Track2Error::new_err(msg),
            CoreCardError::Expiry { .. } => ExpiryError::new_err(msg),
            _ => CardError::new_err(msg),
        })
    }
}

pub(crate) type Result<T> = std::result::Result<T, Error>;
