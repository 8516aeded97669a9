//! The security module's MACs plugged into the ISO 8583 MAC hook.
//!
//! [`KeyedMac`] pairs a [`MacAlgorithm`] with a working key, so `iso8583::mac::sign` and
//! `iso8583::mac::verify` fill and check field 64 of a `cup-pos` message with the real
//! UnionPay algorithms. Field 64 is 8 bytes: the MACs that produce more (CMAC's full block)
//! are truncated to their leftmost 8 bytes, as ISO 9797-1 allows.

use super::{Key, MacAlgorithm, compute_mac};
use crate::iso8583::{MacHookError, MessageMac};

/// Length of the ISO 8583 MAC field value.
const FIELD_MAC_LEN: usize = 8;

/// A MAC algorithm and the key it runs under, as the ISO 8583 MAC hook.
#[derive(Debug)]
pub struct KeyedMac<'k> {
    algorithm: MacAlgorithm,
    key: &'k Key,
}

impl<'k> KeyedMac<'k> {
    /// The hook for `algorithm` under `key` (for `cup-pos`: [`MacAlgorithm::CupEcb`] and the
    /// MAC key from sign-on).
    pub fn new(algorithm: MacAlgorithm, key: &'k Key) -> Self {
        KeyedMac { algorithm, key }
    }
}

impl MessageMac for KeyedMac<'_> {
    fn mac_len(&self) -> usize {
        FIELD_MAC_LEN
    }

    fn compute(&self, mac_input: &[u8]) -> Result<Vec<u8>, MacHookError> {
        let mut mac = compute_mac(self.algorithm, self.key, mac_input).map_err(|e| {
            // SecurityError messages never carry key material.
            MacHookError {
                reason: e.to_string(),
            }
        })?;
        mac.truncate(FIELD_MAC_LEN);
        Ok(mac)
    }
}
