//! The MAC hook: the codec cuts out the bytes the MAC covers and fills or verifies the MAC
//! field; the algorithm (CUP ECB, X9.9, X9.19, SM4 …) is supplied through [`MessageMac`].
//!
//! For `cup-pos` (and the ISO specs) the MAC block is the encoded message from the MTI up to,
//! not including, the MAC field (64, or 128/192 when a secondary/tertiary bitmap is present),
//! with the bitmap already announcing the MAC field — exactly the bytes sent on the wire, without
//! the length header, TPDU or CUP header.

use subtle::ConstantTimeEq;

use super::codec;
use super::error::{DecodeError, EncodeCause, EncodeError};
use super::message::{Message, MessageRef, encode_into_sink};
use super::spec::{LengthType, Spec};

/// A MAC algorithm failed (bad key state, HSM error …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("MAC computation failed: {reason}")]
pub struct MacHookError {
    /// What failed; must not contain key material.
    pub reason: String,
}

/// A MAC algorithm keyed by its implementor.
pub trait MessageMac {
    /// Length in bytes of the MAC field value this algorithm produces.
    fn mac_len(&self) -> usize;
    /// Computes the MAC field value over `mac_input`.
    fn compute(&self, mac_input: &[u8]) -> Result<Vec<u8>, MacHookError>;
}

/// Why signing or verifying failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacError {
    /// The message could not be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The message could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The spec has no suitable MAC field, or the message does not end with one.
    #[error("no MAC field {field} (it must be fixed-length and the last field)")]
    NoMacField {
        /// The MAC field number that was expected.
        field: u16,
    },
    /// The algorithm failed.
    #[error(transparent)]
    Hook(#[from] MacHookError),
    /// The algorithm's output does not fit the MAC field.
    #[error("MAC of {actual} bytes, field needs {expected}")]
    WrongLength {
        /// Field length.
        expected: usize,
        /// Algorithm output length.
        actual: usize,
    },
    /// The MAC does not match.
    #[error("MAC mismatch")]
    Mismatch,
}

/// The MAC field for a message: 64 when every other field is in the primary bitmap, else 128,
/// else 192.
pub fn mac_field(msg: &Message) -> u16 {
    let highest = msg
        .iter()
        .map(|(n, _)| n)
        .filter(|n| !matches!(n, 64 | 128 | 192))
        .max()
        .unwrap_or(0);
    match highest {
        0..=64 => 64,
        65..=128 => 128,
        _ => 192,
    }
}

/// Computes the MAC, stores it in the MAC field of `msg` and returns the encoded message.
/// The MAC block is computed once, over the bytes the receiver will see.
pub fn sign(msg: &mut Message, spec: &Spec, mac: &dyn MessageMac) -> Result<Vec<u8>, MacError> {
    let field = mac_field(msg);
    let fs = spec
        .field(field)
        .filter(|f| f.length == LengthType::Fixed)
        .ok_or(MacError::NoMacField { field })?;
    let len = usize::from(fs.max);
    if mac.mac_len() != len {
        return Err(MacError::WrongLength {
            expected: len,
            actual: mac.mac_len(),
        });
    }
    msg.set(field, vec![0u8; len]);
    let mut out = Vec::with_capacity(512);
    let start =
        encode_into_sink(msg, spec, &mut out, field)?.ok_or(MacError::NoMacField { field })?;
    let value = mac.compute(&out[..start])?;
    if value.len() != len {
        return Err(MacError::WrongLength {
            expected: len,
            actual: value.len(),
        });
    }
    out.truncate(start);
    codec::encode_field(fs, field, &value, &mut out)?;
    msg.set(field, value);
    Ok(out)
}

/// The MAC input of an owned message as it would be encoded (the MAC field, if absent, is
/// accounted for in the bitmap).
pub fn mac_input(msg: &Message, spec: &Spec) -> Result<Vec<u8>, MacError> {
    let field = mac_field(msg);
    let fs = spec.field(field).ok_or(MacError::NoMacField { field })?;
    let mut m = msg.clone();
    if !m.has(field) {
        m.set(field, vec![0u8; usize::from(fs.max)]);
    }
    let mut out = Vec::with_capacity(512);
    let start = encode_into_sink(&m, spec, &mut out, field)?
        .ok_or(EncodeError::new(field, EncodeCause::FieldNotInSpec))?;
    out.truncate(start);
    Ok(out)
}

/// Verifies the MAC of a decoded message in constant time.
pub fn verify(msg: &MessageRef<'_>, mac: &dyn MessageMac) -> Result<(), MacError> {
    let field = msg
        .bitmap()
        .iter()
        .last()
        .filter(|n| matches!(n, 64 | 128 | 192))
        .unwrap_or(64);
    let (Some(input), Some(got)) = (msg.mac_input(), msg.mac()) else {
        return Err(MacError::NoMacField { field });
    };
    let expected = mac.compute(input)?;
    let got = got.value();
    if expected.len() != got.len() {
        return Err(MacError::Mismatch);
    }
    if bool::from(expected.as_slice().ct_eq(&got)) {
        Ok(())
    } else {
        Err(MacError::Mismatch)
    }
}
