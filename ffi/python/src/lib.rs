//! PyO3 extension module `paycore._paycore`, wrapped by the pure-Python package in
//! `bindings/python/python/paycore`.
//!
//! Translation only. Amounts cross as `decimal.Decimal` (or exact strings/ints), never
//! `float`: a float argument is a `TypeError`. Every failure raises a subclass of
//! `paycore.PaycoreError`.

// Python enum members are UPPER_CASE by convention; the Rust variants carry those names.
#![allow(non_camel_case_types, clippy::upper_case_acronyms)]

use pyo3::prelude::*;

mod card;
mod errors;
mod fees;
mod iso8583;
mod ledger;
mod lifecycle;
mod money;
mod security;
mod tlv;

#[pymodule]
fn _paycore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    money::register(m)?;
    card::register(m)?;
    iso8583::register(m)?;
    ledger::register(m)?;
    lifecycle::register(m)?;
    security::register(m)?;
    tlv::register(m)?;
    fees::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
