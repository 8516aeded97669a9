//! EMVCo QR codes: merchant-presented (MPM) text payloads and consumer-presented (CPM)
//! Base64 BER-TLV payloads.
//!
//! MPM objects are `ID(2) ‖ LEN(2) ‖ VALUE` where LEN counts *characters* (the EMVCo
//! example's `最佳运输` is 4 characters, 12 bytes), `00` comes first and the CRC `63` last,
//! and the CRC-16/CCITT-FALSE covers the UTF-8 bytes up to and including `"6304"`. Errors
//! report character offsets. No Luhn check is made on PANs here: published CPM samples fail
//! Luhn, and validation belongs to the card layer.

mod cpm;
mod crc;
mod error;
mod mpm;
#[cfg(test)]
mod mpm_reference;

pub use cpm::{
    ConsumerPayload, CpmApplication, CpmCommonData, build_cpm, build_cpm_bytes, parse_cpm,
    parse_cpm_bytes,
};
pub use crc::crc16_ccitt_false;
pub use error::{QrError, QrErrorKind};
pub use mpm::{
    AccountTemplate, AdditionalData, MerchantAccount, MerchantLanguage, MerchantPayload,
    PointOfInitiation, QrField, TipOrConvenience, build_mpm, parse_mpm, parse_mpm_borrowed,
    parse_template,
};
