//! Money: ISO 4217 currencies, integer minor-unit amounts, explicit rounding, exact allocation.
//!
//! An amount is always an `i64` count of the currency's minor unit (fen for CNY, yen for JPY,
//! fils for KWD) plus the currency. Nothing here uses floating point. Every operation that
//! could lose precision takes a [`Rounding`] argument: there is no default rounding, because
//! Chinese commercial practice (round half up, 四舍五入) and banker's rounding give different
//! fen and must never be mixed silently.
//!
//! ```
//! use paycore::money::{Currency, Money, Rounding};
//! let sale = Money::parse("123.45", Currency::CNY)?;
//! let fee = sale.mul_rate("0.006".parse().unwrap(), Rounding::HalfUp)?; // 74.07 fen exact
//! assert_eq!(fee.minor(), 74);
//! let split: Vec<i64> = fee.allocate(&[60, 25, 15])?.iter().map(|m| m.minor()).collect();
//! assert_eq!(split, [44, 19, 11]);
//! assert!(Money::parse("1.234", Currency::CNY).is_err()); // never rounded
//! # Ok::<(), paycore::money::MoneyError>(())
//! ```

mod allocate;
mod amount;
mod currency;
mod currency_table;
mod error;
mod rounding;

pub use amount::Money;
pub use currency::Currency;
pub use error::MoneyError;
pub use rounding::Rounding;
