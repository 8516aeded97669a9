//! Terminal keys as the lifecycle needs them: the terminal master key that wraps the working
//! keys delivered in the sign-on response (F62, layout `003`), the MAC key for the CUP "ECB"
//! MAC (F64), and the check values that prove a key block was unwrapped with the right TMK.
//!
//! Keys are zeroized on drop and never printed. They serialise (as hex) because a terminal
//! session must survive an app restart; the host must store serialised sessions encrypted.

use std::fmt;

use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use des::{Des, TdesEde2};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::LifecycleError;

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
secret!(
    MacKey,
    8,
    "Working MAC key (MAK) for the CUP ECB MAC, single DES."
);
secret!(PinKey, 16, "Working PIN key (PIK), double-length 3DES.");

/// The working keys installed by a sign-on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingKeys {
    /// PIN encryption key.
    pub pik: PinKey,
    /// MAC key.
    pub mak: MacKey,
}

/// Computes the CUP POS "ECB" MAC (reference `iso8583-cup-pos.md` §4.8): XOR the zero-padded
/// 8-byte blocks, hex-expand, DES the first half, XOR the second half, DES again, hex-expand and
/// keep the first 8 characters.
pub fn cup_ecb_mac(mak: &MacKey, mab: &[u8]) -> [u8; 8] {
    let mut r = [0u8; 8];
    for chunk in mab.chunks(8) {
        for (a, b) in r.iter_mut().zip(chunk) {
            *a ^= b;
        }
    }
    let hex = upper_hex(&r);
    let cipher = Des::new(mak.expose().into());
    let mut block = [0u8; 8];
    block.copy_from_slice(&hex[..8]);
    let mut b = block.into();
    cipher.encrypt_block(&mut b);
    let mut x: [u8; 8] = b.into();
    for (a, h) in x.iter_mut().zip(&hex[8..]) {
        *a ^= h;
    }
    let mut b = x.into();
    cipher.encrypt_block(&mut b);
    let out: [u8; 8] = b.into();
    let h = upper_hex(&out);
    let mut mac = [0u8; 8];
    mac.copy_from_slice(&h[..8]);
    mac
}

/// Verifies a MAC in constant time.
pub fn verify_cup_ecb_mac(mak: &MacKey, mab: &[u8], mac: &[u8]) -> bool {
    let expected = cup_ecb_mac(mak, mab);
    mac.len() == 8 && bool::from(expected.ct_eq(mac))
}

fn upper_hex(b: &[u8; 8]) -> [u8; 16] {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    let mut o = [0u8; 16];
    for (i, x) in b.iter().enumerate() {
        o[2 * i] = H[usize::from(x >> 4)];
        o[2 * i + 1] = H[usize::from(x & 15)];
    }
    o
}

/// Check value: the first 4 bytes of E_key(8 × `00`).
fn check_value_des(key: &[u8; 8]) -> [u8; 4] {
    let mut b = [0u8; 8].into();
    Des::new(key.into()).encrypt_block(&mut b);
    let o: [u8; 8] = b.into();
    [o[0], o[1], o[2], o[3]]
}

fn check_value_tdes(key: &[u8; 16]) -> [u8; 4] {
    let mut b = [0u8; 8].into();
    TdesEde2::new(key.into()).encrypt_block(&mut b);
    let o: [u8; 8] = b.into();
    [o[0], o[1], o[2], o[3]]
}

fn tdes_ecb(tmk: &MasterKey, data: &[u8; 16], encrypt: bool) -> [u8; 16] {
    let c = TdesEde2::new(tmk.expose().into());
    let mut out = [0u8; 16];
    for (i, chunk) in data.chunks_exact(8).enumerate() {
        let mut blk = [0u8; 8];
        blk.copy_from_slice(chunk);
        let mut b = blk.into();
        if encrypt {
            c.encrypt_block(&mut b);
        } else {
            c.decrypt_block(&mut b);
        }
        let o: [u8; 8] = b.into();
        out[i * 8..i * 8 + 8].copy_from_slice(&o);
        blk.zeroize();
    }
    out
}

/// Builds the F62 key block of an 0810 (layout `003`, 40 bytes): PIK under TMK + CV, MAK (8 bytes
/// key + 8 bytes `00`) under TMK + CV.
pub fn wrap_working_keys(tmk: &MasterKey, keys: &WorkingKeys) -> Vec<u8> {
    let mut out = Vec::with_capacity(40);
    out.extend_from_slice(&tdes_ecb(tmk, keys.pik.expose(), true));
    out.extend_from_slice(&check_value_tdes(keys.pik.expose()));
    let mut mak16 = [0u8; 16];
    mak16[..8].copy_from_slice(keys.mak.expose());
    out.extend_from_slice(&tdes_ecb(tmk, &mak16, true));
    mak16.zeroize();
    out.extend_from_slice(&check_value_des(keys.mak.expose()));
    out
}

/// Unwraps an F62 key block (layout `003`) and checks both check values.
pub fn unwrap_working_keys(tmk: &MasterKey, f62: &[u8]) -> Result<WorkingKeys, LifecycleError> {
    if f62.len() != 40 {
        return Err(LifecycleError::KeyBlock {
            reason: "F62 must be 40 bytes (layout 003)",
        });
    }
    let mut enc = [0u8; 16];
    enc.copy_from_slice(&f62[..16]);
    let pik = PinKey::new(tdes_ecb(tmk, &enc, false));
    enc.copy_from_slice(&f62[20..36]);
    let mut mak16 = tdes_ecb(tmk, &enc, false);
    let mut m = [0u8; 8];
    m.copy_from_slice(&mak16[..8]);
    mak16.zeroize();
    let mak = MacKey::new(m);
    m.zeroize();
    let pik_ok = bool::from(check_value_tdes(pik.expose()).ct_eq(&f62[16..20]));
    let mak_ok = bool::from(check_value_des(mak.expose()).ct_eq(&f62[36..40]));
    if !(pik_ok && mak_ok) {
        return Err(LifecycleError::KeyBlock {
            reason: "check value mismatch",
        });
    }
    Ok(WorkingKeys { pik, mak })
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
        let block = wrap_working_keys(&tmk, &keys);
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
