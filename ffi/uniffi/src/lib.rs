//! UniFFI surface of paycore for Kotlin (Android POS apps) and Swift (iOS).
//!
//! This crate only translates: every function forwards to `paycore` and maps types. Amounts
//! cross as `Money { minor, currency }` records and decimals as `Decimal` custom types (a
//! `java.math.BigDecimal` in Kotlin, configured in `uniffi.toml`; a decimal string in Swift),
//! never as floating point. Card data crosses as objects whose `toString()` never shows a
//! full PAN.

uniffi::setup_scaffolding!("paycore");

mod card;
mod decimal;
mod error;
mod fees;
mod iso8583;
mod ledger;
mod lifecycle;
mod money;
mod security;
mod tlv;

pub use card::*;
pub use decimal::*;
pub use error::PaycoreError;
pub use fees::*;
pub use iso8583::*;
pub use ledger::*;
pub use lifecycle::*;
pub use money::*;
pub use security::*;
pub use tlv::*;
