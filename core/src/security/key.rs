//! Keys that know their algorithm, never print themselves and wipe themselves on drop.

use std::fmt;
use std::sync::OnceLock;

use aes::{Aes128, Aes192, Aes256};
use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use serde::{Deserialize, Serialize};
use sm4::Sm4;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::SecurityError;
use super::des::DesCipher;

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
///
/// A DES-family key keeps its key schedule, computed on first use and then reused by every
/// MAC, PIN block or check value under the key (and by its clones) instead of re-keying the
/// cipher per call. Keys that are only derived and passed on (DUKPT, TR-31) never pay for
/// one. The schedule is key material too and is wiped with the key.
#[derive(Clone)]
pub struct Key {
    algorithm: KeyAlgorithm,
    bytes: [u8; 32],
    /// The DES/TDES round keys once computed; holds `None` for AES and SM4 keys.
    des: OnceLock<Option<DesCipher>>,
}

impl Zeroize for Key {
    fn zeroize(&mut self) {
        self.bytes.zeroize();
        // Wiped in place: zero round keys are exactly the schedule of the (now) zero key, so
        // a wiped key stays consistent with its bytes.
        if let Some(Some(des)) = self.des.get_mut() {
            des.zeroize();
        }
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Key {}

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
            des: OnceLock::new(),
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

    /// The keyed cipher: borrows the stored schedule for DES-family keys, keys AES/SM4.
    pub(crate) fn engine(&self) -> Engine<'_> {
        Engine::new(self)
    }

    /// The DES/TDES schedule (computed on the first call), `None` for AES and SM4 keys.
    pub(crate) fn des_cipher(&self) -> Option<&DesCipher> {
        self.des
            .get_or_init(|| {
                if self.algorithm.is_des_family() {
                    DesCipher::new(self.expose_bytes())
                } else {
                    None
                }
            })
            .as_ref()
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

/// A keyed block cipher of any supported algorithm. DES-family engines borrow the key's
/// schedule; AES and SM4 ones are keyed per operation (off the per-message hot paths).
pub(crate) enum Engine<'k> {
    Des(&'k DesCipher),
    Aes128(Aes128),
    Aes192(Aes192),
    Aes256(Aes256),
    Sm4(Sm4),
}

/// Runs `$body` with `$c` bound to the AES or SM4 cipher, or `$des` with `$c` bound to the
/// DES-family schedule.
macro_rules! with_engine {
    ($self:expr, $c:ident => $body:expr, des => $des:expr) => {
        match $self {
            Engine::Des($c) => $des,
            Engine::Aes128($c) => $body,
            Engine::Aes192($c) => $body,
            Engine::Aes256($c) => $body,
            Engine::Sm4($c) => $body,
        }
    };
}

impl<'k> Engine<'k> {
    fn new(key: &'k Key) -> Engine<'k> {
        if let Some(des) = key.des_cipher() {
            return Engine::Des(des);
        }
        let k = key.expose_bytes();
        // Lengths were validated when the key was built, so `new_from_slice` cannot fail.
        macro_rules! mk {
            ($variant:ident, $ty:ty) => {
                Engine::$variant(<$ty>::new_from_slice(k).expect("length checked by Key::new"))
            };
        }
        match key.algorithm {
            // Returned above: a DES-family key of a length Key::new accepted has a schedule.
            KeyAlgorithm::Des | KeyAlgorithm::Tdes2 | KeyAlgorithm::Tdes3 => {
                unreachable!("DES-family keys always have a schedule")
            }
            KeyAlgorithm::Aes128 => mk!(Aes128, Aes128),
            KeyAlgorithm::Aes192 => mk!(Aes192, Aes192),
            KeyAlgorithm::Aes256 => mk!(Aes256, Aes256),
            KeyAlgorithm::Sm4 => mk!(Sm4, Sm4),
        }
    }

    /// Block size in bytes.
    pub(crate) fn block_len(&self) -> usize {
        match self {
            Engine::Des(_) => 8,
            _ => 16,
        }
    }

    /// Encrypts one block in place; `block.len()` must equal the block size.
    pub(crate) fn encrypt(&self, block: &mut [u8]) {
        with_engine!(
            self,
            c => c.encrypt_block(block.try_into().expect("one cipher block")),
            des => c.encrypt_block(block.try_into().expect("one cipher block"))
        )
    }

    /// Decrypts one block in place; `block.len()` must equal the block size.
    pub(crate) fn decrypt(&self, block: &mut [u8]) {
        with_engine!(
            self,
            c => c.decrypt_block(block.try_into().expect("one cipher block")),
            des => c.decrypt_block(block.try_into().expect("one cipher block"))
        )
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
        with_engine!(self, c => run!(c), des => des_cmac(c, data).to_vec())
    }
}

/// CMAC (NIST SP 800-38B) with a 64-bit block cipher: subkeys by doubling `E_K(0)` in
/// GF(2⁶⁴) (R₆₄ = 0x1B), the last block XORed with K1 if complete, else padded `10…0` and
/// XORed with K2, then CBC-MAC.
fn des_cmac(cipher: &DesCipher, data: &[u8]) -> [u8; 8] {
    fn double(x: u64) -> u64 {
        (x << 1) ^ if x >> 63 == 1 { 0x1B } else { 0 }
    }
    let mut l = [0u8; 8];
    cipher.encrypt_block(&mut l);
    // The subkeys are key material: wiped when this returns, like `l`.
    let k1 = zeroize::Zeroizing::new(double(u64::from_be_bytes(l)));
    let k2 = zeroize::Zeroizing::new(double(*k1));
    l.zeroize();
    let (body, last_len) = match data.len() {
        0 => (&data[..0], 0),
        n => {
            let last = (n - 1) % 8 + 1;
            (&data[..n - last], last)
        }
    };
    let mut state = [0u8; 8];
    for block in body.chunks_exact(8) {
        xor_into(&mut state, block);
        cipher.encrypt_block(&mut state);
    }
    let mut last = [0u8; 8];
    last[..last_len].copy_from_slice(&data[data.len() - last_len..]);
    let sub = if last_len == 8 {
        &k1
    } else {
        last[last_len] = 0x80;
        &k2
    };
    let sub = zeroize::Zeroizing::new(sub.to_be_bytes());
    xor_into(&mut last, &sub[..]);
    xor_into(&mut state, &last);
    cipher.encrypt_block(&mut state);
    last.zeroize();
    state
}

/// `a ^= b` over the common length.
pub(crate) fn xor_into(a: &mut [u8], b: &[u8]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x ^= y);
}
