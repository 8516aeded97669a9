//! Keys that know their algorithm, never print themselves and wipe themselves on drop.

use std::fmt;

use aes::{Aes128, Aes192, Aes256};
use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use des::{Des, TdesEde2, TdesEde3};
use serde::{Deserialize, Serialize};
use sm4::Sm4;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::SecurityError;

/// The block cipher (and key length) a key is for.
///
/// The algorithm travels with the key so a single-DES MAC key can never be fed to an AES
/// DUKPT derivation by mistake, and so lengths are checked once, at construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAlgorithm {
    /// Single DES, 8 bytes (parity bits included).
    Des,
    /// Two-key triple DES (EDE2), 16 bytes.
    Tdes2,
    /// Three-key triple DES (EDE3), 24 bytes.
    Tdes3,
    /// AES with a 128-bit key.
    Aes128,
    /// AES with a 192-bit key.
    Aes192,
    /// AES with a 256-bit key.
    Aes256,
    /// SM4 (GB/T 32907-2016), 16 bytes.
    Sm4,
}

impl KeyAlgorithm {
    /// Key length in bytes.
    pub const fn key_len(self) -> usize {
        match self {
            KeyAlgorithm::Des => 8,
            KeyAlgorithm::Tdes2 | KeyAlgorithm::Aes128 | KeyAlgorithm::Sm4 => 16,
            KeyAlgorithm::Tdes3 | KeyAlgorithm::Aes192 => 24,
            KeyAlgorithm::Aes256 => 32,
        }
    }

    /// Cipher block size in bytes (8 for the DES family, 16 for AES and SM4).
    pub const fn block_len(self) -> usize {
        if self.is_des_family() { 8 } else { 16 }
    }

    /// True for DES and both TDES variants.
    pub const fn is_des_family(self) -> bool {
        matches!(
            self,
            KeyAlgorithm::Des | KeyAlgorithm::Tdes2 | KeyAlgorithm::Tdes3
        )
    }

    /// True for the three AES key sizes.
    pub const fn is_aes(self) -> bool {
        matches!(
            self,
            KeyAlgorithm::Aes128 | KeyAlgorithm::Aes192 | KeyAlgorithm::Aes256
        )
    }

    /// The DES-family algorithm for a key of `len` bytes (8, 16 or 24).
    pub fn des_for_len(len: usize) -> Option<KeyAlgorithm> {
        match len {
            8 => Some(KeyAlgorithm::Des),
            16 => Some(KeyAlgorithm::Tdes2),
            24 => Some(KeyAlgorithm::Tdes3),
            _ => None,
        }
    }

    /// The AES algorithm for a key of `len` bytes (16, 24 or 32).
    pub fn aes_for_len(len: usize) -> Option<KeyAlgorithm> {
        match len {
            16 => Some(KeyAlgorithm::Aes128),
            24 => Some(KeyAlgorithm::Aes192),
            32 => Some(KeyAlgorithm::Aes256),
            _ => None,
        }
    }

    /// Parses the names used on the command line (`des`, `tdes2`, `aes128`, `sm4`, …).
    pub fn from_name(name: &str) -> Option<KeyAlgorithm> {
        Some(
            match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
                "des" => KeyAlgorithm::Des,
                "tdes2" | "tdes" | "3des" | "2tdea" | "tdes2key" => KeyAlgorithm::Tdes2,
                "tdes3" | "3tdea" | "tdes3key" => KeyAlgorithm::Tdes3,
                "aes128" => KeyAlgorithm::Aes128,
                "aes192" => KeyAlgorithm::Aes192,
                "aes256" => KeyAlgorithm::Aes256,
                "sm4" => KeyAlgorithm::Sm4,
                _ => return None,
            },
        )
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyAlgorithm::Des => "DES",
            KeyAlgorithm::Tdes2 => "TDES-2key",
            KeyAlgorithm::Tdes3 => "TDES-3key",
            KeyAlgorithm::Aes128 => "AES-128",
            KeyAlgorithm::Aes192 => "AES-192",
            KeyAlgorithm::Aes256 => "AES-256",
            KeyAlgorithm::Sm4 => "SM4",
        })
    }
}

/// A secret key with its algorithm.
///
/// The bytes are wiped when the key is dropped. `Debug` prints the algorithm, the length and
/// the check value, which is what an engineer compares against an HSM printout; the key
/// itself is only reachable through [`Key::expose_bytes`], whose name makes every use
/// visible in review.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key {
    #[zeroize(skip)]
    algorithm: KeyAlgorithm,
    bytes: [u8; 32],
}

impl Key {
    /// Builds a key, checking that the length fits the algorithm.
    pub fn new(algorithm: KeyAlgorithm, bytes: &[u8]) -> Result<Key, SecurityError> {
        if bytes.len() != algorithm.key_len() {
            return Err(SecurityError::InvalidKeyLength {
                algorithm,
                expected: algorithm.key_len(),
                actual: bytes.len(),
            });
        }
        let mut buf = [0u8; 32];
        buf[..bytes.len()].copy_from_slice(bytes);
        Ok(Key {
            algorithm,
            bytes: buf,
        })
    }

    /// Builds a key from hex text (either case).
    pub fn from_hex(algorithm: KeyAlgorithm, hex: &str) -> Result<Key, SecurityError> {
        let bytes =
            zeroize::Zeroizing::new(crate::hex::decode(hex).map_err(SecurityError::hex("key"))?);
        Key::new(algorithm, &bytes)
    }

    /// A DES-family key whose algorithm follows from its length (8 → DES, 16 → TDES-2key,
    /// 24 → TDES-3key), the convention of every payment HSM console.
    pub fn des(bytes: &[u8]) -> Result<Key, SecurityError> {
        let alg =
            KeyAlgorithm::des_for_len(bytes.len()).ok_or(SecurityError::InvalidKeyLength {
                algorithm: KeyAlgorithm::Tdes2,
                expected: 16,
                actual: bytes.len(),
            })?;
        Key::new(alg, bytes)
    }

    /// An AES key whose size follows from its length (16, 24 or 32 bytes).
    pub fn aes(bytes: &[u8]) -> Result<Key, SecurityError> {
        let alg =
            KeyAlgorithm::aes_for_len(bytes.len()).ok_or(SecurityError::InvalidKeyLength {
                algorithm: KeyAlgorithm::Aes128,
                expected: 16,
                actual: bytes.len(),
            })?;
        Key::new(alg, bytes)
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    /// Key length in bytes.
    pub fn len(&self) -> usize {
        self.algorithm.key_len()
    }

    /// Always false: a key has at least 8 bytes (present for API symmetry with `len`).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The clear key bytes. Named loudly so that every place that handles them stands out.
    pub fn expose_bytes(&self) -> &[u8] {
        &self.bytes[..self.len()]
    }

    /// The default check value shown in `Debug`: legacy 3 bytes for DES-family keys,
    /// CMAC 5 bytes for AES, the CUP 8-byte value for SM4.
    pub fn check_value_hex(&self) -> String {
        let kcv = match self.algorithm {
            a if a.is_des_family() => super::kcv::kcv_legacy(self, 3),
            a if a.is_aes() => super::kcv::kcv_cmac(self).map(|k| k.to_vec()),
            _ => super::kcv::kcv_legacy(self, 8),
        };
        kcv.map(|k| crate::hex::encode(&k)).unwrap_or_default()
    }

    /// Encrypts whole blocks in ECB mode (raw cipher access for calculators and key
    /// exchange; `data` must be a multiple of the block size).
    pub fn encrypt_ecb(&self, data: &[u8]) -> Result<Vec<u8>, SecurityError> {
        let mut out = self.check_blocks(data)?;
        self.engine().encrypt_ecb(&mut out);
        Ok(out)
    }

    /// Decrypts whole blocks in ECB mode.
    pub fn decrypt_ecb(&self, data: &[u8]) -> Result<Vec<u8>, SecurityError> {
        let mut out = self.check_blocks(data)?;
        self.engine().decrypt_ecb(&mut out);
        Ok(out)
    }

    fn check_blocks(&self, data: &[u8]) -> Result<Vec<u8>, SecurityError> {
        if data.is_empty() || !data.len().is_multiple_of(self.algorithm.block_len()) {
            return Err(SecurityError::InvalidLength {
                what: "ECB data",
                expected: "a non-zero multiple of the cipher block size",
                actual: data.len(),
            });
        }
        Ok(data.to_vec())
    }

    pub(crate) fn engine(&self) -> Engine {
        Engine::new(self)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("algorithm", &self.algorithm)
            .field("length", &self.len())
            .field("kcv", &self.check_value_hex())
            .finish()
    }
}

/// A keyed block cipher of any supported algorithm, set up once per operation.
pub(crate) enum Engine {
    Des(Des),
    Tdes2(TdesEde2),
    Tdes3(TdesEde3),
    Aes128(Aes128),
    Aes192(Aes192),
    Aes256(Aes256),
    Sm4(Sm4),
}

macro_rules! with_engine {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            Engine::Des($c) => $body,
            Engine::Tdes2($c) => $body,
            Engine::Tdes3($c) => $body,
            Engine::Aes128($c) => $body,
            Engine::Aes192($c) => $body,
            Engine::Aes256($c) => $body,
            Engine::Sm4($c) => $body,
        }
    };
}

impl Engine {
    fn new(key: &Key) -> Engine {
        let k = key.expose_bytes();
        // Lengths were validated when the key was built, so `new_from_slice` cannot fail.
        macro_rules! mk {
            ($variant:ident, $ty:ty) => {
                Engine::$variant(<$ty>::new_from_slice(k).expect("length checked by Key::new"))
            };
        }
        match key.algorithm {
            KeyAlgorithm::Des => mk!(Des, Des),
            KeyAlgorithm::Tdes2 => mk!(Tdes2, TdesEde2),
            KeyAlgorithm::Tdes3 => mk!(Tdes3, TdesEde3),
            KeyAlgorithm::Aes128 => mk!(Aes128, Aes128),
            KeyAlgorithm::Aes192 => mk!(Aes192, Aes192),
            KeyAlgorithm::Aes256 => mk!(Aes256, Aes256),
            KeyAlgorithm::Sm4 => mk!(Sm4, Sm4),
        }
    }

    /// Block size in bytes.
    pub(crate) fn block_len(&self) -> usize {
        match self {
            Engine::Des(_) | Engine::Tdes2(_) | Engine::Tdes3(_) => 8,
            _ => 16,
        }
    }

    /// Encrypts one block in place; `block.len()` must equal the block size.
    pub(crate) fn encrypt(&self, block: &mut [u8]) {
        with_engine!(self, c => c.encrypt_block(block.try_into().expect("one cipher block")))
    }

    /// Decrypts one block in place; `block.len()` must equal the block size.
    pub(crate) fn decrypt(&self, block: &mut [u8]) {
        with_engine!(self, c => c.decrypt_block(block.try_into().expect("one cipher block")))
    }

    /// ECB over whole blocks; the caller guarantees a multiple of the block size.
    pub(crate) fn encrypt_ecb(&self, data: &mut [u8]) {
        let n = self.block_len();
        data.chunks_exact_mut(n).for_each(|b| self.encrypt(b));
    }

    /// ECB decryption over whole blocks.
    pub(crate) fn decrypt_ecb(&self, data: &mut [u8]) {
        let n = self.block_len();
        data.chunks_exact_mut(n).for_each(|b| self.decrypt(b));
    }

    /// CBC encryption in place with the given IV (block-size multiple).
    pub(crate) fn encrypt_cbc(&self, iv: &[u8], data: &mut [u8]) {
        let n = self.block_len();
        let mut chain = [0u8; 16];
        chain[..n].copy_from_slice(iv);
        for b in data.chunks_exact_mut(n) {
            xor_into(b, &chain[..n]);
            self.encrypt(b);
            chain[..n].copy_from_slice(b);
        }
    }

    /// CBC decryption in place with the given IV (block-size multiple).
    pub(crate) fn decrypt_cbc(&self, iv: &[u8], data: &mut [u8]) {
        let n = self.block_len();
        let mut chain = [0u8; 16];
        chain[..n].copy_from_slice(iv);
        for b in data.chunks_exact_mut(n) {
            let mut saved = [0u8; 16];
            saved[..n].copy_from_slice(b);
            self.decrypt(b);
            xor_into(b, &chain[..n]);
            chain = saved;
        }
    }

    /// CMAC (NIST SP 800-38B) over `data`; returns a full block.
    pub(crate) fn cmac(&self, data: &[u8]) -> Vec<u8> {
        use cmac::{Cmac, Mac, digest::InnerInit};
        macro_rules! run {
            ($c:expr) => {{
                let mut m = Cmac::inner_init($c.clone());
                m.update(data);
                m.finalize().into_bytes().to_vec()
            }};
        }
        with_engine!(self, c => run!(c))
    }
}

/// `a ^= b` over the common length.
pub(crate) fn xor_into(a: &mut [u8], b: &[u8]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x ^= y);
}
