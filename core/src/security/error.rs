//! The one error type of the security module.
//!
//! Every variant says where and what went wrong, but never carries key bytes, PIN digits or
//! clear PIN blocks: these errors end up in logs and on screens.

use super::key::KeyAlgorithm;
use crate::hex::HexError;

/// Why a security operation failed. No variant ever contains secret material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecurityError {
    /// The key bytes do not have a length allowed for the algorithm.
    #[error("{algorithm} key must be {expected} bytes, got {actual}")]
    InvalidKeyLength {
        /// The algorithm the key was meant for.
        algorithm: KeyAlgorithm,
        /// Allowed length in bytes.
        expected: usize,
        /// Length supplied.
        actual: usize,
    },
    /// A hex argument could not be decoded (the input is not echoed: it may be a key).
    #[error("{what}: {source}")]
    Hex {
        /// Which argument (e.g. "key", "KSN").
        what: &'static str,
        /// The decoding problem, with the character offset.
        source: HexError,
    },
    /// The operation is not defined for keys of this algorithm.
    #[error("{operation} is not defined for {algorithm} keys")]
    UnsupportedAlgorithm {
        /// The operation attempted.
        operation: &'static str,
        /// The key's algorithm.
        algorithm: KeyAlgorithm,
    },
    /// An input has the wrong length.
    #[error("{what} must be {expected}, got {actual} bytes")]
    InvalidLength {
        /// Which input.
        what: &'static str,
        /// The rule it violates, in words.
        expected: &'static str,
        /// Length supplied.
        actual: usize,
    },
    /// The PIN has fewer than 4 or more than 12 digits.
    #[error("PIN must be 4 to 12 digits, got {length}")]
    PinLength {
        /// Number of characters supplied.
        length: usize,
    },
    /// The PIN contains something other than a decimal digit.
    #[error("PIN character at offset {offset} is not a decimal digit")]
    PinNotDigits {
        /// Zero-based character offset.
        offset: usize,
    },
    /// The PAN is too short or too long for the PIN-block format.
    #[error("PAN must be {min} to {max} digits for this PIN block format, got {length}")]
    PanLength {
        /// Number of characters supplied.
        length: usize,
        /// Minimum digits.
        min: usize,
        /// Maximum digits.
        max: usize,
    },
    /// The PAN contains something other than a decimal digit.
    #[error("PAN character at offset {offset} is not a decimal digit")]
    PanNotDigits {
        /// Zero-based character offset.
        offset: usize,
    },
    /// The PIN-block format needs the PAN but none was given.
    #[error("PIN block format {format} needs the PAN")]
    PanRequired {
        /// ISO 9564 format number.
        format: u8,
    },
    /// The caller-supplied randomness is too short.
    #[error("PIN block format {format} needs {needed} random bytes, got {got}")]
    RandomTooShort {
        /// ISO 9564 format number.
        format: u8,
        /// Bytes needed.
        needed: usize,
        /// Bytes supplied.
        got: usize,
    },
    /// The decoded PIN block does not start with the control nibble of the expected format.
    #[error("PIN block control nibble is {found:X}, expected {expected:X}")]
    PinBlockControl {
        /// Format number expected.
        expected: u8,
        /// Nibble found.
        found: u8,
    },
    /// The decoded PIN block's length nibble is outside 4–12.
    #[error("PIN block length nibble {found} is outside 4..=12")]
    PinBlockPinLength {
        /// Nibble found.
        found: u8,
    },
    /// A PIN-digit nibble of the decoded block is not 0–9.
    #[error("PIN block nibble {nibble} should be a PIN digit")]
    PinBlockDigit {
        /// Zero-based nibble index in the PIN field.
        nibble: usize,
    },
    /// A filler nibble of the decoded block is not what the format prescribes.
    #[error("PIN block nibble {nibble} has an invalid filler for format {format}")]
    PinBlockFiller {
        /// ISO 9564 format number.
        format: u8,
        /// Zero-based nibble index in the PIN field.
        nibble: usize,
    },
    /// A MAC did not verify.
    #[error("MAC verification failed")]
    MacMismatch,
    /// A key check value did not match the key.
    #[error("check value mismatch for the {key}")]
    CheckValueMismatch {
        /// Which key (e.g. "PIN key", "MAC key", "track key").
        key: &'static str,
    },
    /// The sign-on network-management code has no known field 62 layout.
    #[error("unknown sign-on network management code {code:?} (expected 001, 003 or 004)")]
    UnknownSignOnCode {
        /// The code supplied.
        code: String,
    },
    /// The DUKPT key serial number is malformed.
    #[error("KSN must be {expected} bytes, got {actual}")]
    KsnLength {
        /// Bytes required.
        expected: usize,
        /// Bytes supplied.
        actual: usize,
    },
    /// The DUKPT transaction counter is not a valid originating-device counter.
    #[error("DUKPT counter {counter} has {ones} one-bits (at most {max} allowed)")]
    DukptCounterBits {
        /// The counter.
        counter: u32,
        /// Number of bits set.
        ones: u32,
        /// Maximum allowed.
        max: u32,
    },
    /// The DUKPT counter is zero (no transaction key exists for counter 0).
    #[error("DUKPT counter is zero")]
    DukptCounterZero,
    /// The terminal has used every key its counter allows.
    #[error("DUKPT transaction counter exhausted")]
    DukptExhausted,
    /// A TR-31 key block is malformed.
    #[error("TR-31 key block at character offset {offset}: {reason}")]
    Tr31Format {
        /// Zero-based character offset in the key block.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The TR-31 key block MAC did not verify (tampered block or wrong KBPK).
    #[error("TR-31 key block MAC verification failed")]
    Tr31Mac,
}

impl SecurityError {
    /// Wraps a hex decoding error with the name of the argument.
    pub(crate) fn hex(what: &'static str) -> impl FnOnce(HexError) -> SecurityError {
        move |source| SecurityError::Hex { what, source }
    }
}
