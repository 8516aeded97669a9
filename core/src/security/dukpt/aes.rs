//! ANSI X9.24-3:2017 AES DUKPT: initial key, intermediate derivation keys and working keys.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use super::FutureKeys;
use crate::security::{Key, KeyAlgorithm, SecurityError};

/// Maximum one-bits in a valid AES DUKPT counter.
pub const MAX_ONES: u32 = 16;

/// X9.24-3 key usage indicators (derivation data bytes 2–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AesKeyUsage {
    /// `0002` key encryption key.
    KeyEncryption,
    /// `1000` PIN encryption.
    PinEncryption,
    /// `2000` MAC generation.
    MacGeneration,
    /// `2001` MAC verification.
    MacVerification,
    /// `2002` MAC both ways.
    MacBoth,
    /// `3000` data encryption, encrypt.
    DataEncrypt,
    /// `3001` data encryption, decrypt.
    DataDecrypt,
    /// `3002` data encryption, both ways.
    DataBoth,
    /// `8000` key derivation (intermediate derivation keys).
    KeyDerivation,
    /// `8001` initial key derivation.
    InitialKey,
}

impl AesKeyUsage {
    /// The 2-byte indicator.
    pub const fn code(self) -> u16 {
        match self {
            AesKeyUsage::KeyEncryption => 0x0002,
            AesKeyUsage::PinEncryption => 0x1000,
            AesKeyUsage::MacGeneration => 0x2000,
            AesKeyUsage::MacVerification => 0x2001,
            AesKeyUsage::MacBoth => 0x2002,
            AesKeyUsage::DataEncrypt => 0x3000,
            AesKeyUsage::DataDecrypt => 0x3001,
            AesKeyUsage::DataBoth => 0x3002,
            AesKeyUsage::KeyDerivation => 0x8000,
            AesKeyUsage::InitialKey => 0x8001,
        }
    }
}

/// X9.24-3 algorithm indicator and bit length of a derived key.
fn algorithm_indicator(alg: KeyAlgorithm) -> Result<(u16, u16), SecurityError> {
    Ok(match alg {
        KeyAlgorithm::Tdes2 => (0x0000, 128),
        KeyAlgorithm::Tdes3 => (0x0001, 192),
        KeyAlgorithm::Aes128 => (0x0002, 128),
        KeyAlgorithm::Aes192 => (0x0003, 192),
        KeyAlgorithm::Aes256 => (0x0004, 256),
        other => {
            return Err(SecurityError::UnsupportedAlgorithm {
                operation: "AES DUKPT derived key type",
                algorithm: other,
            });
        }
    })
}

/// A 12-byte AES DUKPT KSN: 8-byte initial key ID ‖ 32-bit counter.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AesKsn(pub [u8; 12]);

impl AesKsn {
    /// Parses 12 bytes.
    pub fn new(bytes: &[u8]) -> Result<AesKsn, SecurityError> {
        let arr: [u8; 12] = bytes.try_into().map_err(|_| SecurityError::KsnLength {
            expected: 12,
            actual: bytes.len(),
        })?;
        Ok(AesKsn(arr))
    }

    /// Parses 24 hex digits.
    pub fn from_hex(hex: &str) -> Result<AesKsn, SecurityError> {
        AesKsn::new(&crate::hex::decode(hex).map_err(SecurityError::hex("KSN"))?)
    }

    /// The initial key ID (first 8 bytes).
    pub fn initial_key_id(&self) -> [u8; 8] {
        self.0[..8].try_into().expect("8 bytes")
    }

    /// The 32-bit transaction counter.
    pub fn counter(&self) -> u32 {
        u32::from_be_bytes(self.0[8..].try_into().expect("4 bytes"))
    }

    /// The same KSN with another counter.
    pub fn with_counter(&self, counter: u32) -> AesKsn {
        let mut k = self.0;
        k[8..].copy_from_slice(&counter.to_be_bytes());
        AesKsn(k)
    }

    /// Hex form.
    pub fn to_hex(&self) -> String {
        crate::hex::encode(&self.0)
    }
}

impl fmt::Debug for AesKsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AesKsn({})", self.to_hex())
    }
}

/// Checks the X9.24-3 counter rules: non-zero and at most 16 one-bits.
pub fn validate_counter(counter: u32) -> Result<(), SecurityError> {
    if counter == 0 {
        return Err(SecurityError::DukptCounterZero);
    }
    let ones = counter.count_ones();
    if ones > MAX_ONES {
        return Err(SecurityError::DukptCounterBits {
            counter,
            ones,
            max: MAX_ONES,
        });
    }
    Ok(())
}

/// Derives a key of type `out` under `key` from the usage and the 8 data bytes, running
/// AES over as many key-block counters as the output length needs.
fn derive(
    key: &Key,
    usage: AesKeyUsage,
    out: KeyAlgorithm,
    data: &[u8; 8],
) -> Result<Key, SecurityError> {
    if !key.algorithm().is_aes() {
        return Err(SecurityError::UnsupportedAlgorithm {
            operation: "AES DUKPT derivation key",
            algorithm: key.algorithm(),
        });
    }
    let (alg, bits) = algorithm_indicator(out)?;
    let engine = key.engine();
    let len = usize::from(bits / 8);
    let mut material = [0u8; 32];
    for (i, chunk) in material.chunks_mut(16).enumerate().take(len.div_ceil(16)) {
        chunk[0] = 0x01;
        chunk[1] = (i + 1) as u8;
        chunk[2..4].copy_from_slice(&usage.code().to_be_bytes());
        chunk[4..6].copy_from_slice(&alg.to_be_bytes());
        chunk[6..8].copy_from_slice(&bits.to_be_bytes());
        chunk[8..16].copy_from_slice(data);
        engine.encrypt(chunk);
    }
    let k = Key::new(out, &material[..len]);
    material.zeroize();
    k
}

fn counter_data(ksn: &AesKsn, counter: u32) -> [u8; 8] {
    let mut d = [0u8; 8];
    d[..4].copy_from_slice(&ksn.0[4..8]);
    d[4..].copy_from_slice(&counter.to_be_bytes());
    d
}

/// Derives the initial key (IK) loaded into the terminal from the BDK and initial key ID.
pub fn derive_initial_key(bdk: &Key, ksn: &AesKsn) -> Result<Key, SecurityError> {
    derive(
        bdk,
        AesKeyUsage::InitialKey,
        bdk.algorithm(),
        &ksn.initial_key_id(),
    )
}

/// Host side: the intermediate derivation key for the KSN's counter, from the initial key.
pub fn derivation_key_from_initial(ik: &Key, ksn: &AesKsn) -> Result<Key, SecurityError> {
    let counter = ksn.counter();
    validate_counter(counter)?;
    let mut key = ik.clone();
    let mut working = 0u32;
    for bit in (0..32).rev() {
        let b = 1u32 << bit;
        if counter & b != 0 {
            working |= b;
            key = derive(
                &key,
                AesKeyUsage::KeyDerivation,
                ik.algorithm(),
                &counter_data(ksn, working),
            )?;
        }
    }
    Ok(key)
}

/// The working key for `usage` of type `key_type` from an intermediate derivation key.
pub fn working_key(
    derivation_key: &Key,
    ksn: &AesKsn,
    usage: AesKeyUsage,
    key_type: KeyAlgorithm,
) -> Result<Key, SecurityError> {
    derive(
        derivation_key,
        usage,
        key_type,
        &counter_data(ksn, ksn.counter()),
    )
}

/// Host side: the working key for the KSN directly from the BDK.
pub fn derive_working_key(
    bdk: &Key,
    ksn: &AesKsn,
    usage: AesKeyUsage,
    key_type: KeyAlgorithm,
) -> Result<Key, SecurityError> {
    let ik = derive_initial_key(bdk, ksn)?;
    let dk = derivation_key_from_initial(&ik, ksn)?;
    working_key(&dk, ksn, usage, key_type)
}

/// Terminal side: the AES DUKPT future-key registers (32 of them).
#[derive(Clone)]
pub struct AesDukptTerminal {
    ksn: AesKsn,
    algorithm: KeyAlgorithm,
    registers: FutureKeys<32>,
}

impl fmt::Debug for AesDukptTerminal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesDukptTerminal")
            .field("next_ksn", &self.next_ksn())
            .finish_non_exhaustive()
    }
}

impl AesDukptTerminal {
    /// Loads the initial key and the initial KSN (counter ignored) and fills the registers.
    pub fn load(ik: &Key, initial_ksn: &AesKsn) -> Result<AesDukptTerminal, SecurityError> {
        let alg = ik.algorithm();
        if !alg.is_aes() {
            return Err(SecurityError::UnsupportedAlgorithm {
                operation: "AES DUKPT initial key",
                algorithm: alg,
            });
        }
        let ksn = initial_ksn.with_counter(0);
        let registers = FutureKeys::load(ik.expose_bytes(), MAX_ONES, Self::step(ksn, alg));
        Ok(AesDukptTerminal {
            ksn,
            algorithm: alg,
            registers,
        })
    }

    fn step(ksn: AesKsn, alg: KeyAlgorithm) -> impl Fn(&[u8], u64) -> [u8; 32] {
        move |k, c| {
            let key = Key::new(alg, &k[..alg.key_len()]).expect("register holds a key of alg");
            let next = derive(
                &key,
                AesKeyUsage::KeyDerivation,
                alg,
                &counter_data(&ksn, c as u32),
            )
            .expect("AES derivation of an AES key");
            let mut out = [0u8; 32];
            out[..alg.key_len()].copy_from_slice(next.expose_bytes());
            out
        }
    }

    /// The KSN the next transaction will use.
    pub fn next_ksn(&self) -> AesKsn {
        self.ksn.with_counter(self.registers.counter() as u32)
    }

    /// Takes the intermediate derivation key for the next transaction (with its KSN) and
    /// advances the registers; derive working keys from it with [`working_key`].
    pub fn next_transaction(&mut self) -> Result<(AesKsn, Key), SecurityError> {
        let (c, mut key) = self
            .registers
            .next(Self::step(self.ksn, self.algorithm))
            .ok_or(SecurityError::DukptExhausted)?;
        let k = Key::new(self.algorithm, &key[..self.algorithm.key_len()]);
        key.zeroize();
        Ok((self.ksn.with_counter(c as u32), k?))
    }
}
