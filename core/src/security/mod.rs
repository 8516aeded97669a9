//! Terminal-side payment cryptography: keys and check values, ISO 9564 PIN blocks, retail and
//! UnionPay MACs, sign-on working keys, DUKPT, TR-31 key blocks and the SM4 variants.
//!
//! Everything here is deterministic: randomness (PIN-block fill, TR-31 padding) is passed in,
//! keys are [`Key`] values that carry their algorithm, wipe themselves on drop and never print
//! their bytes. Errors ([`SecurityError`]) say where and what, never which secret.
//!
//! The MAC functions are the building blocks for the ISO 8583 MAC hook: [`cup_ecb_mac`],
//! [`x919_mac`], … or [`compute_mac`] / [`verify_mac`] with a [`MacAlgorithm`].

#![warn(missing_docs)]

mod des;
pub mod dukpt;
mod error;
pub mod kcv;
mod key;
pub mod mac;
mod message_mac;
pub mod pin;
pub mod sign_on;
pub mod tr31;

pub use error::SecurityError;
pub use kcv::{KcvMethod, check_value, kcv_cmac, kcv_legacy, kcv_sm4, verify_check_value};
pub use key::{Key, KeyAlgorithm};
pub(crate) use mac::CupEcbMacEngine;
pub use mac::{
    MacAlgorithm, cmac, compute_mac, cup_ecb_mac, cup_sm4_mac, cup_sm4_mac_hex, verify_mac,
    x99_mac, x919_mac,
};
pub use message_mac::KeyedMac;
pub use pin::{Pin, PinBlock, PinBlockFormat, Sm4PinLayout, sm4_decrypt_pin, sm4_encrypt_pin};
pub use sign_on::{SignOnLayout, WorkingKeys, build_sign_on_field62, unwrap_sign_on_keys};
