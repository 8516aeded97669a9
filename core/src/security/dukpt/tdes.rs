//! ANSI X9.24-1:2009 TDES DUKPT: IPEK, transaction keys, PIN/MAC/data variants.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use super::FutureKeys;
use crate::security::key::xor_into;
use crate::security::{Key, KeyAlgorithm, SecurityError};

/// Number of counter bits in a TDES KSN.
pub const COUNTER_BITS: u32 = 21;
/// Maximum one-bits in a counter value used by an originating device.
pub const MAX_ONES: u32 = 10;

const KEY_MASK: [u8; 16] = [
    0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0, 0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0,
];

/// What a derived key will be used for; each usage applies a different variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TdesKeyUsage {
    /// PIN encryption key (variant `…FF` in bytes 7 and 15).
    Pin,
    /// MAC key for requests (variant `FF` in bytes 6 and 14).
    MacRequest,
    /// MAC key for responses (variant `FF` in bytes 4 and 12).
    MacResponse,
    /// Data encryption key for requests (variant in bytes 5 and 13, then one-way).
    DataRequest,
    /// Data encryption key for responses (variant in bytes 3 and 11, then one-way).
    DataResponse,
}

/// A 10-byte TDES key serial number: 59-bit initial KSN and 21-bit counter.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ksn(pub [u8; 10]);

impl Ksn {
    /// Parses 10 bytes.
    pub fn new(bytes: &[u8]) -> Result<Ksn, SecurityError> {
        let arr: [u8; 10] = bytes.try_into().map_err(|_| SecurityError::KsnLength {
            expected: 10,
            actual: bytes.len(),
        })?;
        Ok(Ksn(arr))
    }

    /// Parses 20 hex digits.
    pub fn from_hex(hex: &str) -> Result<Ksn, SecurityError> {
        Ksn::new(&crate::hex::decode(hex).map_err(SecurityError::hex("KSN"))?)
    }

    /// The 21-bit transaction counter.
    pub fn counter(&self) -> u32 {
        (u32::from(self.0[7] & 0x1F) << 16) | (u32::from(self.0[8]) << 8) | u32::from(self.0[9])
    }

    /// The same KSN with another counter (truncated to 21 bits by the caller's contract).
    pub fn with_counter(&self, counter: u32) -> Ksn {
        let mut k = self.0;
        k[7] = (k[7] & 0xE0) | ((counter >> 16) as u8 & 0x1F);
        k[8] = (counter >> 8) as u8;
        k[9] = counter as u8;
        Ksn(k)
    }

    /// Hex form.
    pub fn to_hex(&self) -> String {
        crate::hex::encode(&self.0)
    }

    /// The rightmost 64 bits with the counter cleared (the derivation register base).
    fn register_base(&self) -> u64 {
        u64::from_be_bytes(self.with_counter(0).0[2..10].try_into().expect("8 bytes"))
    }
}

impl fmt::Debug for Ksn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ksn({})", self.to_hex())
    }
}

/// Checks the X9.24-1 counter rules: non-zero and at most 10 one-bits.
pub fn validate_counter(counter: u32) -> Result<(), SecurityError> {
    if counter == 0 {
        return Err(SecurityError::DukptCounterZero);
    }
    if counter >> COUNTER_BITS != 0 {
        return Err(SecurityError::DukptExhausted);
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

fn require_tdes2(key: &Key, operation: &'static str) -> Result<(), SecurityError> {
    if key.algorithm() == KeyAlgorithm::Tdes2 {
        Ok(())
    } else {
        Err(SecurityError::UnsupportedAlgorithm {
            operation,
            algorithm: key.algorithm(),
        })
    }
}

/// Derives the initial PIN encryption key (IPEK) from the BDK and any KSN of the device.
pub fn derive_ipek(bdk: &Key, ksn: &Ksn) -> Result<Key, SecurityError> {
    require_tdes2(bdk, "TDES DUKPT BDK")?;
    let mut base = [0u8; 8];
    base.copy_from_slice(&ksn.0[..8]);
    base[7] &= 0xE0;
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&base);
    bdk.engine().encrypt(&mut out[..8]);
    let mut masked = [0u8; 16];
    masked.copy_from_slice(bdk.expose_bytes());
    xor_into(&mut masked, &KEY_MASK);
    let k2 = Key::new(KeyAlgorithm::Tdes2, &masked)?;
    masked.zeroize();
    out[8..].copy_from_slice(&base);
    k2.engine().encrypt(&mut out[8..]);
    let key = Key::new(KeyAlgorithm::Tdes2, &out);
    out.zeroize();
    key
}

/// The non-reversible key generation process on a 16-byte key and a 64-bit register.
fn nrkgp(key: &[u8], register: u64) -> [u8; 32] {
    fn half(key: &[u8], reg: &[u8; 8]) -> [u8; 8] {
        let mut r = *reg;
        xor_into(&mut r, &key[8..16]);
        let left = Key::new(KeyAlgorithm::Des, &key[..8]).expect("8 bytes");
        left.engine().encrypt(&mut r);
        xor_into(&mut r, &key[8..16]);
        r
    }
    let reg = register.to_be_bytes();
    let mut out = [0u8; 32];
    out[8..16].copy_from_slice(&half(key, &reg));
    let mut masked = [0u8; 16];
    masked.copy_from_slice(&key[..16]);
    xor_into(&mut masked, &KEY_MASK);
    out[..8].copy_from_slice(&half(&masked, &reg));
    masked.zeroize();
    out
}

/// Host side: the transaction key (before any variant) for the KSN, from the IPEK.
pub fn transaction_key_from_ipek(ipek: &Key, ksn: &Ksn) -> Result<Key, SecurityError> {
    require_tdes2(ipek, "TDES DUKPT IPEK")?;
    let counter = ksn.counter();
    validate_counter(counter)?;
    let mut reg = ksn.register_base();
    let mut key = [0u8; 32];
    key[..16].copy_from_slice(ipek.expose_bytes());
    for bit in (0..COUNTER_BITS).rev() {
        let b = 1u32 << bit;
        if counter & b != 0 {
            reg |= u64::from(b);
            key = nrkgp(&key, reg);
        }
    }
    let k = Key::new(KeyAlgorithm::Tdes2, &key[..16]);
    key.zeroize();
    k
}

/// Host side: the transaction key for the KSN, from the BDK.
pub fn transaction_key(bdk: &Key, ksn: &Ksn) -> Result<Key, SecurityError> {
    transaction_key_from_ipek(&derive_ipek(bdk, ksn)?, ksn)
}

/// Applies the usage variant (and, for data keys, the one-way step) to a transaction key.
pub fn usage_key(transaction_key: &Key, usage: TdesKeyUsage) -> Result<Key, SecurityError> {
    require_tdes2(transaction_key, "TDES DUKPT transaction key")?;
    let (i, j) = match usage {
        TdesKeyUsage::Pin => (7, 15),
        TdesKeyUsage::MacRequest => (6, 14),
        TdesKeyUsage::MacResponse => (4, 12),
        TdesKeyUsage::DataRequest => (5, 13),
        TdesKeyUsage::DataResponse => (3, 11),
    };
    let mut v = [0u8; 16];
    v.copy_from_slice(transaction_key.expose_bytes());
    v[i] ^= 0xFF;
    v[j] ^= 0xFF;
    let variant = Key::new(KeyAlgorithm::Tdes2, &v)?;
    if matches!(
        usage,
        TdesKeyUsage::DataRequest | TdesKeyUsage::DataResponse
    ) {
        variant.engine().encrypt_ecb(&mut v);
    }
    let k = Key::new(KeyAlgorithm::Tdes2, &v);
    v.zeroize();
    k
}

/// All keys a host derives for one KSN.
#[derive(Clone)]
pub struct TdesDukptKeys {
    /// The KSN.
    pub ksn: Ksn,
    /// Initial PIN encryption key.
    pub ipek: Key,
    /// Transaction key before variants.
    pub transaction_key: Key,
    /// PIN encryption key.
    pub pin: Key,
    /// MAC key, request direction.
    pub mac_request: Key,
    /// MAC key, response direction.
    pub mac_response: Key,
    /// Data encryption key, request direction.
    pub data_request: Key,
    /// Data encryption key, response direction.
    pub data_response: Key,
}

impl fmt::Debug for TdesDukptKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TdesDukptKeys")
            .field("ksn", &self.ksn)
            .finish_non_exhaustive()
    }
}

/// Host side: derives every key for the KSN from the BDK.
pub fn derive_keys(bdk: &Key, ksn: &Ksn) -> Result<TdesDukptKeys, SecurityError> {
    let ipek = derive_ipek(bdk, ksn)?;
    let tk = transaction_key_from_ipek(&ipek, ksn)?;
    Ok(TdesDukptKeys {
        ksn: *ksn,
        pin: usage_key(&tk, TdesKeyUsage::Pin)?,
        mac_request: usage_key(&tk, TdesKeyUsage::MacRequest)?,
        mac_response: usage_key(&tk, TdesKeyUsage::MacResponse)?,
        data_request: usage_key(&tk, TdesKeyUsage::DataRequest)?,
        data_response: usage_key(&tk, TdesKeyUsage::DataResponse)?,
        ipek,
        transaction_key: tk,
    })
}

/// Terminal side: the originating device's future-key registers.
#[derive(Clone)]
pub struct TdesDukptTerminal {
    ksn: Ksn,
    registers: FutureKeys<21>,
}

impl fmt::Debug for TdesDukptTerminal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TdesDukptTerminal")
            .field("next_ksn", &self.next_ksn())
            .finish_non_exhaustive()
    }
}

impl TdesDukptTerminal {
    /// Loads the IPEK and the initial KSN (its counter bits are ignored) and fills the 21
    /// future-key registers.
    pub fn load(ipek: &Key, initial_ksn: &Ksn) -> Result<TdesDukptTerminal, SecurityError> {
        require_tdes2(ipek, "TDES DUKPT IPEK")?;
        let ksn = initial_ksn.with_counter(0);
        let base = ksn.register_base();
        let registers = FutureKeys::load(ipek.expose_bytes(), MAX_ONES, |k, c| nrkgp(k, base | c));
        Ok(TdesDukptTerminal { ksn, registers })
    }

    /// The KSN the next transaction will use.
    pub fn next_ksn(&self) -> Ksn {
        self.ksn.with_counter(self.registers.counter() as u32)
    }

    /// Takes the key for the next transaction (returned with its KSN) and advances the
    /// registers, skipping counters with more than 10 one-bits. Fails with
    /// [`SecurityError::DukptExhausted`] once the 21-bit counter is used up.
    pub fn next_transaction(&mut self) -> Result<(Ksn, Key), SecurityError> {
        let base = self.ksn.register_base();
        let (c, mut key) = self
            .registers
            .next(|k, c| nrkgp(k, base | c))
            .ok_or(SecurityError::DukptExhausted)?;
        let k = Key::new(KeyAlgorithm::Tdes2, &key[..16]);
        key.zeroize();
        Ok((self.ksn.with_counter(c as u32), k?))
    }
}
