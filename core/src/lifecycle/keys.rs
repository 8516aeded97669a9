//! Terminal keys as the lifecycle needs them: the terminal master key that wraps the working
//! keys delivered in the sign-on response (F62, layout `003`), the MAC key for the CUP "ECB"
//! MAC (F64), and the check values that prove a key block was unwrapped with the right TMK.
//!
//! Keys are zeroized on drop and never printed. They serialise (as hex) because a terminal
//! session must survive an app restart; the host must store serialised sessions encrypted.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::LifecycleError;
use super::wire::{Message, WireError};
use crate::security::{self, CupEcbMacEngine, Key, SignOnLayout};

macro_rules! secret {
    ($name:ident, $len:expr, $doc:expr) => {
        #[doc = $doc]
        #[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
        pub struct $name([u8; $len]);

        impl $name {
            /// Wraps key bytes.
            pub fn new(bytes: [u8; $len]) -> Self {
                $name(bytes)
            }
            /// The key bytes (for the security module; never log them).
            pub fn expose(&self) -> &[u8; $len] {
                &self.0
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&crate::hex::encode(&self.0))
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut s = String::deserialize(d)?;
                let r = crate::hex::decode(&s);
                s.zeroize();
                let mut v = r.map_err(|_| serde::de::Error::custom("key: invalid hex"))?;
                if v.len() != $len {
                    v.zeroize();
                    return Err(serde::de::Error::custom("key: wrong length"));
                }
                let mut k = [0u8; $len];
                k.copy_from_slice(&v);
                v.zeroize();
                Ok($name(k))
            }
        }
    };
}

secret!(
    MasterKey,
    16,
    "Terminal master key (TMK), double-length 3DES."
);
secret!(PinKey, 16, "Working PIN key (PIK), double-length 3DES.");

/// Working MAC key (MAK) for the CUP ECB MAC, single DES.
///
/// The key keeps its DES key schedule once built, so that every message of a session or of a
/// terminal at the processor is MAC'd without re-keying the cipher. The schedule is a cache:
/// it is never serialised (a deserialised key rebuilds it on first use), not cloned (a clone
/// rebuilds its own), and wiped with the key. A new key (sign-on) comes with a new cache, so a
/// stale schedule can never outlive its key.
pub struct MacKey {
    bytes: [u8; 8],
    engine: OnceLock<Option<CupEcbMacEngine>>,
}

impl MacKey {
    /// Wraps key bytes.
    pub fn new(bytes: [u8; 8]) -> Self {
        MacKey {
            bytes,
            engine: OnceLock::new(),
        }
    }
    /// The key bytes (for the security module; never log them).
    pub fn expose(&self) -> &[u8; 8] {
        &self.bytes
    }

    /// The keyed MAC engine, built on first use. `None` only if the security module refused
    /// an 8-byte DES key, which it never does.
    fn engine(&self) -> Option<&CupEcbMacEngine> {
        self.engine
            .get_or_init(|| {
                des_key(&self.bytes)
                    .ok()
                    .and_then(|k| CupEcbMacEngine::new(&k).ok())
            })
            .as_ref()
    }
}

impl Clone for MacKey {
    fn clone(&self) -> Self {
        MacKey::new(self.bytes)
    }
}

impl PartialEq for MacKey {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for MacKey {}

impl Zeroize for MacKey {
    fn zeroize(&mut self) {
        self.bytes.zeroize();
        // Dropping the engine wipes its round keys.
        self.engine.take();
    }
}

impl Drop for MacKey {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for MacKey {}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(<redacted>)")
    }
}

impl Serialize for MacKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::hex::encode(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for MacKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut s = String::deserialize(d)?;
        let r = crate::hex::decode(&s);
        s.zeroize();
        let mut v = r.map_err(|_| serde::de::Error::custom("key: invalid hex"))?;
        let Ok(k) = <[u8; 8]>::try_from(v.as_slice()) else {
            v.zeroize();
            return Err(serde::de::Error::custom("key: wrong length"));
        };
        v.zeroize();
        Ok(MacKey::new(k))
    }
}
/// The working keys installed by a sign-on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingKeys {
    /// PIN encryption key.
    pub pik: PinKey,
    /// MAC key.
    pub mak: MacKey,
}

fn des_key(bytes: &[u8]) -> Result<Key, LifecycleError> {
    Key::des(bytes).map_err(|_| LifecycleError::KeyBlock {
        reason: "not a DES/TDES key",
    })
}

/// Computes the CUP POS "ECB" MAC (reference `iso8583-cup-pos.md` §4.8) with the security
/// module's implementation: XOR the zero-padded 8-byte blocks, hex-expand, DES the first half,
/// XOR the second half, DES again, hex-expand and keep the first 8 characters. The key's DES
/// schedule is built once per key and reused.
pub fn cup_ecb_mac(mak: &MacKey, mab: &[u8]) -> [u8; 8] {
    // A MacKey is always 8 bytes, which `Key::des` always accepts; the fallback is unreachable
    // in practice and yields a MAC that never verifies rather than a panic.
    mak.engine().map(|e| e.mac(mab)).unwrap_or_default()
}

/// Verifies a MAC in constant time.
pub fn verify_cup_ecb_mac(mak: &MacKey, mab: &[u8], mac: &[u8]) -> bool {
    let Some(engine) = mak.engine() else {
        return false;
    };
    let expected = engine.mac(mab);
    mac.len() == 8 && bool::from(expected.ct_eq(mac))
}

/// The lifecycle's MAC behind the ISO 8583 codec's MAC hook, for hosts that sign or verify
/// frames with [`crate::iso8583::mac`] directly.
#[derive(Debug)]
pub struct CupEcbMac<'a>(pub &'a MacKey);

impl crate::iso8583::MessageMac for CupEcbMac<'_> {
    fn mac_len(&self) -> usize {
        8
    }
    fn compute(&self, mac_input: &[u8]) -> Result<Vec<u8>, crate::iso8583::MacHookError> {
        Ok(cup_ecb_mac(self.0, mac_input).to_vec())
    }
}

/// Encodes `m` with F64 = the CUP ECB MAC of every byte before it, in one encoding pass (F64 is
/// fixed-length and last, so the MAC block is the encoding minus its last 8 bytes).
pub fn encode_signed(m: Message, mak: &MacKey) -> Result<Vec<u8>, LifecycleError> {
    sign(&m, mak)
}

/// [`encode_signed`] without taking the message.
pub(crate) fn sign(m: &Message, mak: &MacKey) -> Result<Vec<u8>, LifecycleError> {
    seal(m.encode_with_mac(&[0u8; 8])?, mak)
}

/// Writes the MAC of an encoding that ends with an 8-byte F64 placeholder into that F64.
pub(crate) fn seal(mut bytes: Vec<u8>, mak: &MacKey) -> Result<Vec<u8>, LifecycleError> {
    // The encoding ends with the 8 bytes of F64.
    let Some(at) = bytes.len().checked_sub(8) else {
        return Err(LifecycleError::from(WireError::Encode {
            field: 64,
            reason: "no room for the MAC".into(),
        }));
    };
    let (mab, f64) = bytes.split_at_mut(at);
    f64.copy_from_slice(&cup_ecb_mac(mak, mab));
    Ok(bytes)
}

/// Verifies F64 of a received frame whose decoding is `m`, without re-encoding: the MAC block is
/// the frame minus its last 8 bytes (F64 is fixed-length and, in the primary bitmap, last).
pub fn verify_frame(frame: &[u8], m: &Message, mak: &MacKey) -> bool {
    m.has(64)
        && frame.len() >= 8
        && verify_cup_ecb_mac(mak, &frame[..frame.len() - 8], &frame[frame.len() - 8..])
}

fn to_security(keys: &WorkingKeys) -> Result<security::WorkingKeys, LifecycleError> {
    Ok(security::WorkingKeys {
        pin_key: des_key(keys.pik.expose())?,
        mac_key: des_key(keys.mak.expose())?,
        track_key: None,
    })
}

/// Builds the F62 key block of an 0810 (layout `003`, 40 bytes) with the security module: PIK
/// under TMK + check value, MAK (8 bytes key + 8 bytes `00`) under TMK + check value.
pub fn wrap_working_keys(tmk: &MasterKey, keys: &WorkingKeys) -> Result<Vec<u8>, LifecycleError> {
    let tmk = des_key(tmk.expose())?;
    security::build_sign_on_field62(&tmk, SignOnLayout::DoubleLength, &to_security(keys)?).map_err(
        |_| LifecycleError::KeyBlock {
            reason: "cannot wrap the working keys",
        },
    )
}

/// Unwraps an F62 key block (layout `003`) with the security module and checks both check
/// values. The MAK must be single-length (the CUP ECB MAC is single DES).
pub fn unwrap_working_keys(tmk: &MasterKey, f62: &[u8]) -> Result<WorkingKeys, LifecycleError> {
    let tmk = des_key(tmk.expose())?;
    let k = security::unwrap_sign_on_keys(&tmk, SignOnLayout::DoubleLength, f62).map_err(|e| {
        LifecycleError::KeyBlock {
            reason: match e {
                security::SecurityError::InvalidLength { .. } => {
                    "F62 must be 40 bytes (layout 003)"
                }
                _ => "check value mismatch or bad key block",
            },
        }
    })?;
    let pik: [u8; 16] =
        k.pin_key
            .expose_bytes()
            .try_into()
            .map_err(|_| LifecycleError::KeyBlock {
                reason: "PIN key must be double length",
            })?;
    let mak_bytes = k.mac_key.expose_bytes();
    let mak: [u8; 8] = match mak_bytes.len() {
        8 => mak_bytes
            .try_into()
            .map_err(|_| LifecycleError::KeyBlock { reason: "MAC key" })?,
        _ => {
            return Err(LifecycleError::KeyBlock {
                reason: "MAC key must be single DES",
            });
        }
    };
    Ok(WorkingKeys {
        pik: PinKey::new(pik),
        mak: MacKey::new(mak),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_block_round_trip_and_tamper() {
        let tmk = MasterKey::new(*b"0123456789ABCDEF");
        let keys = WorkingKeys {
            pik: PinKey::new([7; 16]),
            mak: MacKey::new([9; 8]),
        };
        let block = wrap_working_keys(&tmk, &keys).unwrap();
        assert_eq!(block.len(), 40);
        assert_eq!(unwrap_working_keys(&tmk, &block).unwrap(), keys);
        let mut bad = block.clone();
        bad[21] ^= 1;
        assert!(unwrap_working_keys(&tmk, &bad).is_err());
        let other = MasterKey::new(*b"FEDCBA9876543210");
        assert!(unwrap_working_keys(&other, &block).is_err());
        assert!(!format!("{keys:?}").contains('9'));
    }

    #[test]
    fn mac_is_8_hex_chars_and_detects_change() {
        let mak = MacKey::new(*b"\x01\x23\x45\x67\x89\xab\xcd\xef");
        let m1 = cup_ecb_mac(&mak, b"0200 some message bytes");
        assert!(
            m1.iter()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        );
        assert!(verify_cup_ecb_mac(&mak, b"0200 some message bytes", &m1));
        assert!(!verify_cup_ecb_mac(&mak, b"0200 some message bytez", &m1));
        // Zero padding: trailing zero bytes do not change the XOR.
        assert_eq!(
            cup_ecb_mac(&mak, b"12345678"),
            cup_ecb_mac(&mak, b"12345678\0\0")
        );
    }
}
