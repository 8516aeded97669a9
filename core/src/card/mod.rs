//! Card primitives: PAN, Luhn, brand detection, masking, track 2 and expiry dates.
//!
//! Decoders elsewhere in paycore (ISO 8583, TLV, QR, PIN blocks) accept any digit string as
//! a PAN: real traffic and published test data contain PANs that fail Luhn. Luhn is a
//! separate validator here ([`luhn_valid`], [`Pan::luhn_valid`]).

mod bin_table;
mod brand;
mod error;
mod expiry;
mod luhn;
mod mask;
mod pan;
mod track2;

pub use brand::{BinRange, Brand};
pub use error::CardError;
pub use expiry::Expiry;
pub use luhn::{luhn_check_digit, luhn_valid};
pub use mask::{MaskStyle, mask_digits};
pub use pan::Pan;
pub use track2::{ServiceCode, Track2};
