//! Terminal security for Kotlin/Swift: keys, check values, PIN blocks, MACs, sign-on working
//! keys, DUKPT and TR-31.
//!
//! Keys are `Key` objects: their `toString()` shows only algorithm, length and check value,
//! and their bytes only leave through `exportBytes()`. The Android POS path is
//! `unwrapSignOnKeys(tmk, SignOnLayout.DOUBLE_LENGTH, field62)` → `WorkingKeys` →
//! `pinBlockEncrypt(keys.pinKey(), …)` and `macCompute(MacAlgorithm.CUP_ECB, keys.macKey(), …)`.

use crate::PaycoreError;
use paycore::security::dukpt::{aes as adukpt, tdes};
use paycore::security::{self as sec, SecurityError, tr31};
use std::sync::{Arc, Mutex};

impl From<SecurityError> for PaycoreError {
    fn from(e: SecurityError) -> Self {
        let m = e.to_string();
        match e {
            SecurityError::InvalidKeyLength { .. } => PaycoreError::KeyLength(m),
            SecurityError::CheckValueMismatch { .. } => PaycoreError::CheckValueMismatch(m),
            SecurityError::MacMismatch => PaycoreError::MacMismatch(m),
            SecurityError::PinLength { .. }
            | SecurityError::PinNotDigits { .. }
            | SecurityError::PanLength { .. }
            | SecurityError::PanNotDigits { .. }
            | SecurityError::PanRequired { .. }
            | SecurityError::RandomTooShort { .. }
            | SecurityError::PinBlockControl { .. }
            | SecurityError::PinBlockPinLength { .. }
            | SecurityError::PinBlockDigit { .. }
            | SecurityError::PinBlockFiller { .. } => PaycoreError::PinBlock(m),
            SecurityError::DukptCounterBits { .. }
            | SecurityError::DukptCounterZero
            | SecurityError::DukptExhausted => PaycoreError::Dukpt(m),
            SecurityError::Tr31Format { .. } | SecurityError::Tr31Mac => PaycoreError::Tr31(m),
            _ => PaycoreError::Security(m),
        }
    }
}

/// Key algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeyAlgorithm {
    /// Single DES, 8 bytes.
    Des,
    /// Two-key triple DES, 16 bytes.
    Tdes2,
    /// Three-key triple DES, 24 bytes.
    Tdes3,
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256.
    Aes256,
    /// SM4, 16 bytes.
    Sm4,
}

impl From<KeyAlgorithm> for sec::KeyAlgorithm {
    fn from(a: KeyAlgorithm) -> Self {
        match a {
            KeyAlgorithm::Des => sec::KeyAlgorithm::Des,
            KeyAlgorithm::Tdes2 => sec::KeyAlgorithm::Tdes2,
            KeyAlgorithm::Tdes3 => sec::KeyAlgorithm::Tdes3,
            KeyAlgorithm::Aes128 => sec::KeyAlgorithm::Aes128,
            KeyAlgorithm::Aes192 => sec::KeyAlgorithm::Aes192,
            KeyAlgorithm::Aes256 => sec::KeyAlgorithm::Aes256,
            KeyAlgorithm::Sm4 => sec::KeyAlgorithm::Sm4,
        }
    }
}

impl From<sec::KeyAlgorithm> for KeyAlgorithm {
    fn from(a: sec::KeyAlgorithm) -> Self {
        match a {
            sec::KeyAlgorithm::Des => KeyAlgorithm::Des,
            sec::KeyAlgorithm::Tdes2 => KeyAlgorithm::Tdes2,
            sec::KeyAlgorithm::Tdes3 => KeyAlgorithm::Tdes3,
            sec::KeyAlgorithm::Aes128 => KeyAlgorithm::Aes128,
            sec::KeyAlgorithm::Aes192 => KeyAlgorithm::Aes192,
            sec::KeyAlgorithm::Aes256 => KeyAlgorithm::Aes256,
            sec::KeyAlgorithm::Sm4 => KeyAlgorithm::Sm4,
        }
    }
}

/// MAC algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MacAlgorithm {
    /// ANSI X9.9 (ISO 9797-1 alg. 1), single DES.
    X99,
    /// ANSI X9.19 retail MAC.
    X919,
    /// UnionPay POS "ECB" MAC (8 ASCII hex characters).
    CupEcb,
    /// UnionPay SM4 MAC, 8 binary bytes.
    CupSm4Binary,
    /// UnionPay SM4 MAC, 8 ASCII hex characters.
    CupSm4Hex,
    /// CMAC (NIST SP 800-38B), a full block.
    Cmac,
}

impl From<MacAlgorithm> for sec::MacAlgorithm {
    fn from(a: MacAlgorithm) -> Self {
        match a {
            MacAlgorithm::X99 => sec::MacAlgorithm::X99,
            MacAlgorithm::X919 => sec::MacAlgorithm::X919,
            MacAlgorithm::CupEcb => sec::MacAlgorithm::CupEcb,
            MacAlgorithm::CupSm4Binary => sec::MacAlgorithm::CupSm4Binary,
            MacAlgorithm::CupSm4Hex => sec::MacAlgorithm::CupSm4Hex,
            MacAlgorithm::Cmac => sec::MacAlgorithm::Cmac,
        }
    }
}

/// ISO 9564-1 PIN block formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PinBlockFormat {
    /// Format 0 (ANSI X9.8), PAN bound; CUP POS field 52.
    Iso0,
    /// Format 1, random fill.
    Iso1,
    /// Format 2, `F` fill.
    Iso2,
    /// Format 3, random `A`–`F` fill, PAN bound.
    Iso3,
    /// Format 4, 16-byte AES block.
    Iso4,
}

impl From<PinBlockFormat> for sec::PinBlockFormat {
    fn from(f: PinBlockFormat) -> Self {
        match f {
            PinBlockFormat::Iso0 => sec::PinBlockFormat::Iso0,
            PinBlockFormat::Iso1 => sec::PinBlockFormat::Iso1,
            PinBlockFormat::Iso2 => sec::PinBlockFormat::Iso2,
            PinBlockFormat::Iso3 => sec::PinBlockFormat::Iso3,
            PinBlockFormat::Iso4 => sec::PinBlockFormat::Iso4,
        }
    }
}

/// UnionPay SM4 PIN-block layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Sm4PinLayout {
    /// ISO-0 block right-padded with 8 zero bytes.
    Iso0Padded,
    /// 16-byte wide PIN field.
    Wide,
}

impl From<Sm4PinLayout> for sec::Sm4PinLayout {
    fn from(l: Sm4PinLayout) -> Self {
        match l {
            Sm4PinLayout::Iso0Padded => sec::Sm4PinLayout::Iso0Padded,
            Sm4PinLayout::Wide => sec::Sm4PinLayout::Wide,
        }
    }
}

/// Sign-on field 62 layouts, named by the F60.3 network-management code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignOnLayout {
    /// `001`: single-DES PIN and MAC keys.
    SingleDes,
    /// `003`: double-length PIN and MAC keys.
    DoubleLength,
    /// `004`: as `003` plus the track-data key.
    DoubleLengthWithTrack,
}

impl From<SignOnLayout> for sec::SignOnLayout {
    fn from(l: SignOnLayout) -> Self {
        match l {
            SignOnLayout::SingleDes => sec::SignOnLayout::SingleDes,
            SignOnLayout::DoubleLength => sec::SignOnLayout::DoubleLength,
            SignOnLayout::DoubleLengthWithTrack => sec::SignOnLayout::DoubleLengthWithTrack,
        }
    }
}

/// TDES DUKPT key usages (variants of the transaction key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TdesDukptUsage {
    /// PIN encryption.
    Pin,
    /// MAC, request direction.
    MacRequest,
    /// MAC, response direction.
    MacResponse,
    /// Data encryption, request direction.
    DataRequest,
    /// Data encryption, response direction.
    DataResponse,
}

impl From<TdesDukptUsage> for tdes::TdesKeyUsage {
    fn from(u: TdesDukptUsage) -> Self {
        match u {
            TdesDukptUsage::Pin => tdes::TdesKeyUsage::Pin,
            TdesDukptUsage::MacRequest => tdes::TdesKeyUsage::MacRequest,
            TdesDukptUsage::MacResponse => tdes::TdesKeyUsage::MacResponse,
            TdesDukptUsage::DataRequest => tdes::TdesKeyUsage::DataRequest,
            TdesDukptUsage::DataResponse => tdes::TdesKeyUsage::DataResponse,
        }
    }
}

/// AES DUKPT working-key usages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AesDukptUsage {
    /// Key encryption key.
    KeyEncryption,
    /// PIN encryption.
    PinEncryption,
    /// MAC generation.
    MacGeneration,
    /// MAC verification.
    MacVerification,
    /// MAC both ways.
    MacBoth,
    /// Data encryption.
    DataEncrypt,
    /// Data decryption.
    DataDecrypt,
    /// Data both ways.
    DataBoth,
}

impl From<AesDukptUsage> for adukpt::AesKeyUsage {
    fn from(u: AesDukptUsage) -> Self {
        use adukpt::AesKeyUsage as A;
        match u {
            AesDukptUsage::KeyEncryption => A::KeyEncryption,
            AesDukptUsage::PinEncryption => A::PinEncryption,
            AesDukptUsage::MacGeneration => A::MacGeneration,
            AesDukptUsage::MacVerification => A::MacVerification,
            AesDukptUsage::MacBoth => A::MacBoth,
            AesDukptUsage::DataEncrypt => A::DataEncrypt,
            AesDukptUsage::DataDecrypt => A::DataDecrypt,
            AesDukptUsage::DataBoth => A::DataBoth,
        }
    }
}

/// A secret key with its algorithm. `toString()` shows algorithm, length and check value
/// only; the bytes leave only through [`Key::export_bytes`].
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Key(sec::Key);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

fn wrap_key(k: sec::Key) -> Arc<Key> {
    Arc::new(Key(k))
}

#[uniffi::export]
impl Key {
    /// A key from raw bytes; the length must fit the algorithm.
    #[uniffi::constructor]
    pub fn from_bytes(algorithm: KeyAlgorithm, bytes: Vec<u8>) -> Result<Arc<Key>, PaycoreError> {
        Ok(wrap_key(sec::Key::new(algorithm.into(), &bytes)?))
    }

    /// A key from hex text (either case; never echoed in errors).
    #[uniffi::constructor]
    pub fn from_hex(algorithm: KeyAlgorithm, hex: String) -> Result<Arc<Key>, PaycoreError> {
        Ok(wrap_key(sec::Key::from_hex(algorithm.into(), &hex)?))
    }

    /// The algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.0.algorithm().into()
    }

    /// Length in bytes.
    pub fn length(&self) -> u32 {
        self.0.len() as u32
    }

    /// The default check value as hex (legacy 3 bytes for DES/TDES, CMAC 5 for AES, 8 for SM4).
    pub fn check_value(&self) -> String {
        self.0.check_value_hex()
    }

    /// The clear key bytes: the only way key material leaves paycore. Wipe after use.
    pub fn export_bytes(&self) -> Vec<u8> {
        self.0.expose_bytes().to_vec()
    }
}

/// Legacy check value: the first `length` bytes of the key encrypting a zero block.
#[uniffi::export]
pub fn kcv_legacy(key: &Key, length: u32) -> Result<Vec<u8>, PaycoreError> {
    Ok(sec::kcv_legacy(&key.0, length as usize)?)
}

/// CMAC-based check value (5 bytes).
#[uniffi::export]
pub fn kcv_cmac(key: &Key) -> Result<Vec<u8>, PaycoreError> {
    Ok(sec::kcv_cmac(&key.0)?.to_vec())
}

/// The CUP SM4 check value (8 bytes; SM4 keys only).
#[uniffi::export]
pub fn kcv_sm4(key: &Key) -> Result<Vec<u8>, PaycoreError> {
    Ok(sec::kcv_sm4(&key.0)?.to_vec())
}

/// Verifies a check value in constant time (`cmac` false = legacy, compared with the
/// same-length prefix). Throws `CheckValueMismatch`.
#[uniffi::export]
pub fn kcv_verify(key: &Key, expected: Vec<u8>, cmac: bool) -> Result<(), PaycoreError> {
    let method = if cmac {
        sec::KcvMethod::Cmac
    } else {
        sec::KcvMethod::Legacy {
            len: key.0.algorithm().block_len(),
        }
    };
    Ok(sec::verify_check_value(&key.0, method, &expected, "key")?)
}

/// Builds a clear PIN block (sensitive). `pan` is needed for formats 0, 3, 4; `random`
/// (from a CSPRNG) for formats 1, 3, 4.
#[uniffi::export]
pub fn pin_block_build(
    format: PinBlockFormat,
    pin: String,
    pan: Option<String>,
    random: Vec<u8>,
) -> Result<Vec<u8>, PaycoreError> {
    let pb = sec::PinBlock::build(format.into(), &pin, pan.as_deref(), &random)?;
    Ok(pb.expose_bytes().to_vec())
}

/// Recovers the PIN from a clear PIN block, validating its layout.
#[uniffi::export]
pub fn pin_block_recover(
    format: PinBlockFormat,
    block: Vec<u8>,
    pan: Option<String>,
) -> Result<String, PaycoreError> {
    let pb = sec::PinBlock::from_clear(format.into(), &block, pan.as_deref())?;
    Ok(pb.recover()?.expose().to_owned())
}

/// Builds and encrypts a PIN block under the PIN key (field 52).
#[uniffi::export]
pub fn pin_block_encrypt(
    key: &Key,
    format: PinBlockFormat,
    pin: String,
    pan: Option<String>,
    random: Vec<u8>,
) -> Result<Vec<u8>, PaycoreError> {
    let pb = sec::PinBlock::build(format.into(), &pin, pan.as_deref(), &random)?;
    Ok(pb.encrypt(&key.0)?)
}

/// Decrypts a PIN block and recovers the PIN.
#[uniffi::export]
pub fn pin_block_decrypt(
    key: &Key,
    format: PinBlockFormat,
    encrypted: Vec<u8>,
    pan: Option<String>,
) -> Result<String, PaycoreError> {
    let pb = sec::PinBlock::decrypt(format.into(), &key.0, &encrypted, pan.as_deref())?;
    Ok(pb.recover()?.expose().to_owned())
}

/// Builds and SM4-encrypts a UnionPay PIN block (16 bytes).
#[uniffi::export]
pub fn sm4_pin_encrypt(
    key: &Key,
    layout: Sm4PinLayout,
    pin: String,
    pan: String,
) -> Result<Vec<u8>, PaycoreError> {
    Ok(sec::sm4_encrypt_pin(&key.0, layout.into(), &pin, &pan)?.to_vec())
}

/// Decrypts a UnionPay SM4 PIN block and recovers the PIN.
#[uniffi::export]
pub fn sm4_pin_decrypt(
    key: &Key,
    layout: Sm4PinLayout,
    encrypted: Vec<u8>,
    pan: String,
) -> Result<String, PaycoreError> {
    Ok(
        sec::sm4_decrypt_pin(&key.0, layout.into(), &encrypted, &pan)?
            .expose()
            .to_owned(),
    )
}

/// Computes a MAC (full length: 8 bytes, 8 ASCII hex characters for CUP ECB/SM4-hex, a block
/// for CMAC).
#[uniffi::export]
pub fn mac_compute(
    algorithm: MacAlgorithm,
    key: &Key,
    data: Vec<u8>,
) -> Result<Vec<u8>, PaycoreError> {
    Ok(sec::compute_mac(algorithm.into(), &key.0, &data)?)
}

/// Verifies a MAC in constant time (a prefix of at least 4 bytes is accepted); throws
/// `MacMismatch`.
#[uniffi::export]
pub fn mac_verify(
    algorithm: MacAlgorithm,
    key: &Key,
    data: Vec<u8>,
    mac: Vec<u8>,
) -> Result<(), PaycoreError> {
    Ok(sec::verify_mac(algorithm.into(), &key.0, &data, &mac)?)
}

/// The working keys of a sign-on (objects: nothing prints key bytes).
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct WorkingKeys(sec::WorkingKeys);

impl std::fmt::Debug for WorkingKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// `toString()`: algorithms, lengths and check values only.
impl std::fmt::Display for WorkingKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[uniffi::export]
impl WorkingKeys {
    /// Assembles working keys (host side, for `buildSignOnField62`).
    #[uniffi::constructor]
    pub fn new(pin_key: &Key, mac_key: &Key, track_key: Option<Arc<Key>>) -> Arc<WorkingKeys> {
        Arc::new(WorkingKeys(sec::WorkingKeys {
            pin_key: pin_key.0.clone(),
            mac_key: mac_key.0.clone(),
            track_key: track_key.map(|k| k.0.clone()),
        }))
    }

    /// PIN key (PIK/TPK).
    pub fn pin_key(&self) -> Arc<Key> {
        wrap_key(self.0.pin_key.clone())
    }

    /// MAC key (MAK/TAK).
    pub fn mac_key(&self) -> Arc<Key> {
        wrap_key(self.0.mac_key.clone())
    }

    /// Track-data key (layout 004 only).
    pub fn track_key(&self) -> Option<Arc<Key>> {
        self.0.track_key.clone().map(wrap_key)
    }
}

/// Unwraps the working keys of a CUP POS 0810 field 62 under the TMK and verifies each check
/// value (throws `CheckValueMismatch` naming the key).
#[uniffi::export]
pub fn unwrap_sign_on_keys(
    tmk: &Key,
    layout: SignOnLayout,
    field62: Vec<u8>,
) -> Result<Arc<WorkingKeys>, PaycoreError> {
    let k = sec::unwrap_sign_on_keys(&tmk.0, layout.into(), &field62)?;
    Ok(Arc::new(WorkingKeys(k)))
}

/// Host side / tests: builds field 62 for `layout` from working keys under the TMK.
#[uniffi::export]
pub fn build_sign_on_field62(
    tmk: &Key,
    layout: SignOnLayout,
    keys: &WorkingKeys,
) -> Result<Vec<u8>, PaycoreError> {
    Ok(sec::build_sign_on_field62(&tmk.0, layout.into(), &keys.0)?)
}

/// TDES DUKPT: the IPEK from a BDK and a 10-byte KSN.
#[uniffi::export]
pub fn dukpt_tdes_ipek(bdk: &Key, ksn: Vec<u8>) -> Result<Arc<Key>, PaycoreError> {
    Ok(wrap_key(tdes::derive_ipek(&bdk.0, &tdes::Ksn::new(&ksn)?)?))
}

/// TDES DUKPT host side: the transaction key for the KSN's counter.
#[uniffi::export]
pub fn dukpt_tdes_transaction_key(bdk: &Key, ksn: Vec<u8>) -> Result<Arc<Key>, PaycoreError> {
    Ok(wrap_key(tdes::transaction_key(
        &bdk.0,
        &tdes::Ksn::new(&ksn)?,
    )?))
}

/// TDES DUKPT: a usage variant (PIN, MAC, data) of a transaction key.
#[uniffi::export]
pub fn dukpt_tdes_usage_key(
    transaction_key: &Key,
    usage: TdesDukptUsage,
) -> Result<Arc<Key>, PaycoreError> {
    Ok(wrap_key(tdes::usage_key(&transaction_key.0, usage.into())?))
}

/// One terminal-side TDES DUKPT transaction: its KSN and transaction key.
#[derive(uniffi::Object)]
pub struct DukptTransaction {
    ksn: Vec<u8>,
    key: sec::Key,
}

impl std::fmt::Debug for DukptTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DukptTransaction")
            .field("ksn", &paycore::hex::encode(&self.ksn))
            .finish_non_exhaustive()
    }
}

#[uniffi::export]
impl DukptTransaction {
    /// The KSN to send with the transaction.
    pub fn ksn(&self) -> Vec<u8> {
        self.ksn.clone()
    }

    /// The transaction key; derive the PIN/MAC/data keys with `dukpt_tdes_usage_key`.
    pub fn key(&self) -> Arc<Key> {
        wrap_key(self.key.clone())
    }
}

/// TDES DUKPT terminal: future-key registers that advance with every transaction.
#[derive(uniffi::Object)]
pub struct TdesDukptTerminal(Mutex<tdes::TdesDukptTerminal>);

impl std::fmt::Debug for TdesDukptTerminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TdesDukptTerminal")
    }
}

#[uniffi::export]
impl TdesDukptTerminal {
    /// Loads the IPEK and the initial KSN (10 bytes; counter ignored).
    #[uniffi::constructor]
    pub fn new(ipek: &Key, initial_ksn: Vec<u8>) -> Result<Arc<TdesDukptTerminal>, PaycoreError> {
        let t = tdes::TdesDukptTerminal::load(&ipek.0, &tdes::Ksn::new(&initial_ksn)?)?;
        Ok(Arc::new(TdesDukptTerminal(Mutex::new(t))))
    }

    /// The KSN the next transaction will use.
    pub fn next_ksn(&self) -> Vec<u8> {
        self.lock().next_ksn().0.to_vec()
    }

    /// Takes the next transaction key and advances (throws `Dukpt` when exhausted).
    pub fn next_transaction(&self) -> Result<Arc<DukptTransaction>, PaycoreError> {
        let (ksn, key) = self.lock().next_transaction()?;
        Ok(Arc::new(DukptTransaction {
            ksn: ksn.0.to_vec(),
            key,
        }))
    }
}

impl TdesDukptTerminal {
    fn lock(&self) -> std::sync::MutexGuard<'_, tdes::TdesDukptTerminal> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// AES DUKPT: the initial key from an AES BDK and a 12-byte KSN.
#[uniffi::export]
pub fn dukpt_aes_initial_key(bdk: &Key, ksn: Vec<u8>) -> Result<Arc<Key>, PaycoreError> {
    Ok(wrap_key(adukpt::derive_initial_key(
        &bdk.0,
        &adukpt::AesKsn::new(&ksn)?,
    )?))
}

/// AES DUKPT host side: the intermediate derivation key for the KSN's counter, from the
/// initial key.
#[uniffi::export]
pub fn dukpt_aes_derivation_key(ik: &Key, ksn: Vec<u8>) -> Result<Arc<Key>, PaycoreError> {
    Ok(wrap_key(adukpt::derivation_key_from_initial(
        &ik.0,
        &adukpt::AesKsn::new(&ksn)?,
    )?))
}

/// AES DUKPT host side: the working key for the KSN from the BDK.
#[uniffi::export]
pub fn dukpt_aes_working_key(
    bdk: &Key,
    ksn: Vec<u8>,
    usage: AesDukptUsage,
    key_type: KeyAlgorithm,
) -> Result<Arc<Key>, PaycoreError> {
    Ok(wrap_key(adukpt::derive_working_key(
        &bdk.0,
        &adukpt::AesKsn::new(&ksn)?,
        usage.into(),
        key_type.into(),
    )?))
}

/// One TR-31 optional header block (e.g. `KS`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Tr31OptionalBlock {
    /// Two-character identifier.
    pub id: String,
    /// Printable ASCII data.
    pub data: String,
}

/// A TR-31 key block header (no secrets).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Tr31Header {
    /// Version character: `A`, `B`, `C` or `D`.
    pub version: String,
    /// Key usage, e.g. `P0`.
    pub key_usage: String,
    /// Algorithm character (`T`, `A`, `D`, …).
    pub algorithm: String,
    /// Mode of use (`E`, `D`, `B`, `X`, `N`, …).
    pub mode_of_use: String,
    /// Key version number (2 characters).
    pub key_version: String,
    /// Exportability (`E`, `N`, `S`).
    pub exportability: String,
    /// Optional blocks in order (the padding block is not listed).
    pub optional_blocks: Vec<Tr31OptionalBlock>,
}

impl From<&tr31::Tr31Header> for Tr31Header {
    fn from(h: &tr31::Tr31Header) -> Self {
        Tr31Header {
            version: h.version.as_char().to_string(),
            key_usage: h.key_usage.clone(),
            algorithm: h.algorithm.to_string(),
            mode_of_use: h.mode_of_use.to_string(),
            key_version: h.key_version.clone(),
            exportability: h.exportability.to_string(),
            optional_blocks: h
                .optional_blocks
                .iter()
                .map(|b| Tr31OptionalBlock {
                    id: b.id.clone(),
                    data: b.data.clone(),
                })
                .collect(),
        }
    }
}

fn one_char(s: &str, what: &'static str) -> Result<char, PaycoreError> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(PaycoreError::Tr31(format!("{what} must be one character"))),
    }
}

impl TryFrom<&Tr31Header> for tr31::Tr31Header {
    type Error = PaycoreError;
    fn try_from(h: &Tr31Header) -> Result<Self, PaycoreError> {
        let version = match h.version.as_str() {
            "A" => tr31::Tr31Version::A,
            "B" => tr31::Tr31Version::B,
            "C" => tr31::Tr31Version::C,
            "D" => tr31::Tr31Version::D,
            _ => return Err(PaycoreError::Tr31("version must be A, B, C or D".into())),
        };
        let mut out = tr31::Tr31Header::new(
            version,
            &h.key_usage,
            one_char(&h.algorithm, "algorithm")?,
            one_char(&h.mode_of_use, "mode of use")?,
            &h.key_version,
            one_char(&h.exportability, "exportability")?,
        );
        out.optional_blocks = h
            .optional_blocks
            .iter()
            .map(|b| tr31::Tr31OptionalBlock {
                id: b.id.clone(),
                data: b.data.clone(),
            })
            .collect();
        Ok(out)
    }
}

/// An unwrapped TR-31 key block: the verified header and the clear key (as a `Key`).
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct Tr31KeyBlock(tr31::Tr31KeyBlock);

impl std::fmt::Debug for Tr31KeyBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// `toString()`: algorithms, lengths and check values only.
impl std::fmt::Display for Tr31KeyBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[uniffi::export]
impl Tr31KeyBlock {
    /// The verified header.
    pub fn header(&self) -> Tr31Header {
        (&self.0.header).into()
    }

    /// The clear key.
    pub fn key(&self) -> Arc<Key> {
        wrap_key(self.0.key.clone())
    }
}

/// Decrypts and verifies a TR-31 key block under the KBPK (throws `Tr31` on a MAC failure or
/// a malformed block).
#[uniffi::export]
pub fn tr31_unwrap(kbpk: &Key, block: String) -> Result<Arc<Tr31KeyBlock>, PaycoreError> {
    Ok(Arc::new(Tr31KeyBlock(tr31::unwrap(&kbpk.0, &block)?)))
}

/// Parses a TR-31 header without unwrapping (nothing verified).
#[uniffi::export]
pub fn tr31_parse_header(block: String) -> Result<Tr31Header, PaycoreError> {
    Ok((&tr31::Tr31Header::parse(&block)?.0).into())
}

/// Wraps `key` under the KBPK. `maskedLength` hides the key length (0 = none); `random`
/// supplies the padding (32 bytes from a CSPRNG always suffice without masking).
#[uniffi::export]
pub fn tr31_wrap(
    kbpk: &Key,
    header: Tr31Header,
    key: &Key,
    masked_length: u32,
    random: Vec<u8>,
) -> Result<String, PaycoreError> {
    let hd = tr31::Tr31Header::try_from(&header)?;
    Ok(tr31::wrap(
        &kbpk.0,
        &hd,
        &key.0,
        masked_length as usize,
        &random,
    )?)
}
