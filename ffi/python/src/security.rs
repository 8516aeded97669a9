//! Terminal security for Python: `Key`, check values, PIN blocks, MACs, sign-on working keys,
//! DUKPT and TR-31. `repr()` of anything holding a key or PIN never shows its bytes; key
//! bytes only leave through `Key.export_bytes()`.

use crate::errors::{Error, PaycoreError, Result};
use paycore::security::dukpt::{aes as adukpt, tdes};
use paycore::security::{self as sec, SecurityError as CoreError, tr31};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    paycore,
    SecurityError,
    PaycoreError,
    "A key, PIN block, MAC, DUKPT or TR-31 operation failed."
);
create_exception!(
    paycore,
    KeyLengthError,
    SecurityError,
    "Key bytes of the wrong length for the algorithm."
);
create_exception!(
    paycore,
    CheckValueError,
    SecurityError,
    "A key check value did not match."
);
create_exception!(
    paycore,
    MacMismatchError,
    SecurityError,
    "A MAC did not verify."
);
create_exception!(
    paycore,
    PinBlockError,
    SecurityError,
    "Invalid PIN/PAN input or a malformed PIN block."
);
create_exception!(
    paycore,
    DukptError,
    SecurityError,
    "Invalid or exhausted DUKPT counter."
);
create_exception!(
    paycore,
    Tr31Error,
    SecurityError,
    "Malformed TR-31 key block or a failed key-block MAC."
);

impl From<CoreError> for Error {
    fn from(e: CoreError) -> Error {
        let m = e.to_string();
        Error(match e {
            CoreError::InvalidKeyLength { .. } => KeyLengthError::new_err(m),
            CoreError::CheckValueMismatch { .. } => CheckValueError::new_err(m),
            CoreError::MacMismatch => MacMismatchError::new_err(m),
            CoreError::PinLength { .. }
            | CoreError::PinNotDigits { .. }
            | CoreError::PanLength { .. }
            | CoreError::PanNotDigits { .. }
            | CoreError::PanRequired { .. }
            | CoreError::RandomTooShort { .. }
            | CoreError::PinBlockControl { .. }
            | CoreError::PinBlockPinLength { .. }
            | CoreError::PinBlockDigit { .. }
            | CoreError::PinBlockFiller { .. } => PinBlockError::new_err(m),
            CoreError::DukptCounterBits { .. }
            | CoreError::DukptCounterZero
            | CoreError::DukptExhausted => DukptError::new_err(m),
            CoreError::Tr31Format { .. } | CoreError::Tr31Mac => Tr31Error::new_err(m),
            _ => SecurityError::new_err(m),
        })
    }
}

/// Key algorithms.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// Single DES, 8 bytes.
    DES,
    /// Two-key triple DES, 16 bytes.
    TDES2,
    /// Three-key triple DES, 24 bytes.
    TDES3,
    /// AES-128.
    AES128,
    /// AES-192.
    AES192,
    /// AES-256.
    AES256,
    /// SM4, 16 bytes.
    SM4,
}

impl From<KeyAlgorithm> for sec::KeyAlgorithm {
    fn from(a: KeyAlgorithm) -> Self {
        match a {
            KeyAlgorithm::DES => sec::KeyAlgorithm::Des,
            KeyAlgorithm::TDES2 => sec::KeyAlgorithm::Tdes2,
            KeyAlgorithm::TDES3 => sec::KeyAlgorithm::Tdes3,
            KeyAlgorithm::AES128 => sec::KeyAlgorithm::Aes128,
            KeyAlgorithm::AES192 => sec::KeyAlgorithm::Aes192,
            KeyAlgorithm::AES256 => sec::KeyAlgorithm::Aes256,
            KeyAlgorithm::SM4 => sec::KeyAlgorithm::Sm4,
        }
    }
}

impl From<sec::KeyAlgorithm> for KeyAlgorithm {
    fn from(a: sec::KeyAlgorithm) -> Self {
        match a {
            sec::KeyAlgorithm::Des => KeyAlgorithm::DES,
            sec::KeyAlgorithm::Tdes2 => KeyAlgorithm::TDES2,
            sec::KeyAlgorithm::Tdes3 => KeyAlgorithm::TDES3,
            sec::KeyAlgorithm::Aes128 => KeyAlgorithm::AES128,
            sec::KeyAlgorithm::Aes192 => KeyAlgorithm::AES192,
            sec::KeyAlgorithm::Aes256 => KeyAlgorithm::AES256,
            sec::KeyAlgorithm::Sm4 => KeyAlgorithm::SM4,
        }
    }
}

/// A `KeyAlgorithm` or a name such as "tdes2", "aes128", "sm4".
fn key_algorithm_arg(obj: &Bound<'_, PyAny>) -> PyResult<sec::KeyAlgorithm> {
    if let Ok(a) = obj.extract::<KeyAlgorithm>() {
        return Ok(a.into());
    }
    let name: String = obj.extract()?;
    sec::KeyAlgorithm::from_name(&name)
        .ok_or_else(|| PyValueError::new_err(format!("unknown key algorithm {name:?}")))
}

/// MAC algorithms.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacAlgorithm {
    /// ANSI X9.9 (ISO 9797-1 alg. 1), single DES.
    X9_9,
    /// ANSI X9.19 retail MAC.
    X9_19,
    /// UnionPay POS "ECB" MAC (8 ASCII hex characters).
    CUP_ECB,
    /// UnionPay SM4 MAC, 8 binary bytes.
    CUP_SM4,
    /// UnionPay SM4 MAC, 8 ASCII hex characters.
    CUP_SM4_HEX,
    /// CMAC (NIST SP 800-38B), a full block.
    CMAC,
}

fn mac_algorithm_arg(obj: &Bound<'_, PyAny>) -> PyResult<sec::MacAlgorithm> {
    if let Ok(a) = obj.extract::<MacAlgorithm>() {
        return Ok(match a {
            MacAlgorithm::X9_9 => sec::MacAlgorithm::X99,
            MacAlgorithm::X9_19 => sec::MacAlgorithm::X919,
            MacAlgorithm::CUP_ECB => sec::MacAlgorithm::CupEcb,
            MacAlgorithm::CUP_SM4 => sec::MacAlgorithm::CupSm4Binary,
            MacAlgorithm::CUP_SM4_HEX => sec::MacAlgorithm::CupSm4Hex,
            MacAlgorithm::CMAC => sec::MacAlgorithm::Cmac,
        });
    }
    let name: String = obj.extract()?;
    sec::MacAlgorithm::from_name(&name)
        .ok_or_else(|| PyValueError::new_err(format!("unknown MAC algorithm {name:?}")))
}

/// ISO 9564-1 PIN block formats.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum PinBlockFormat {
    /// Format 0 (ANSI X9.8), PAN bound; CUP POS field 52.
    ISO0,
    /// Format 1, random fill.
    ISO1,
    /// Format 2, `F` fill.
    ISO2,
    /// Format 3, random `A`–`F` fill, PAN bound.
    ISO3,
    /// Format 4, 16-byte AES block.
    ISO4,
}

impl From<PinBlockFormat> for sec::PinBlockFormat {
    fn from(f: PinBlockFormat) -> Self {
        match f {
            PinBlockFormat::ISO0 => sec::PinBlockFormat::Iso0,
            PinBlockFormat::ISO1 => sec::PinBlockFormat::Iso1,
            PinBlockFormat::ISO2 => sec::PinBlockFormat::Iso2,
            PinBlockFormat::ISO3 => sec::PinBlockFormat::Iso3,
            PinBlockFormat::ISO4 => sec::PinBlockFormat::Iso4,
        }
    }
}

/// UnionPay SM4 PIN-block layouts.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sm4PinLayout {
    /// ISO-0 block right-padded with 8 zero bytes.
    ISO0_PADDED,
    /// 16-byte wide PIN field.
    WIDE,
}

impl From<Sm4PinLayout> for sec::Sm4PinLayout {
    fn from(l: Sm4PinLayout) -> Self {
        match l {
            Sm4PinLayout::ISO0_PADDED => sec::Sm4PinLayout::Iso0Padded,
            Sm4PinLayout::WIDE => sec::Sm4PinLayout::Wide,
        }
    }
}

/// TDES DUKPT key usages.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum DukptUsage {
    /// PIN encryption.
    PIN,
    /// MAC, request direction.
    MAC_REQUEST,
    /// MAC, response direction.
    MAC_RESPONSE,
    /// Data encryption, request direction.
    DATA_REQUEST,
    /// Data encryption, response direction.
    DATA_RESPONSE,
}

impl From<DukptUsage> for tdes::TdesKeyUsage {
    fn from(u: DukptUsage) -> Self {
        match u {
            DukptUsage::PIN => tdes::TdesKeyUsage::Pin,
            DukptUsage::MAC_REQUEST => tdes::TdesKeyUsage::MacRequest,
            DukptUsage::MAC_RESPONSE => tdes::TdesKeyUsage::MacResponse,
            DukptUsage::DATA_REQUEST => tdes::TdesKeyUsage::DataRequest,
            DukptUsage::DATA_RESPONSE => tdes::TdesKeyUsage::DataResponse,
        }
    }
}

/// AES DUKPT working-key usages.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum AesDukptUsage {
    /// Key encryption key.
    KEY_ENCRYPTION,
    /// PIN encryption.
    PIN_ENCRYPTION,
    /// MAC generation.
    MAC_GENERATION,
    /// MAC verification.
    MAC_VERIFICATION,
    /// MAC both ways.
    MAC_BOTH,
    /// Data encryption.
    DATA_ENCRYPT,
    /// Data decryption.
    DATA_DECRYPT,
    /// Data both ways.
    DATA_BOTH,
}

impl From<AesDukptUsage> for adukpt::AesKeyUsage {
    fn from(u: AesDukptUsage) -> Self {
        use adukpt::AesKeyUsage as A;
        match u {
            AesDukptUsage::KEY_ENCRYPTION => A::KeyEncryption,
            AesDukptUsage::PIN_ENCRYPTION => A::PinEncryption,
            AesDukptUsage::MAC_GENERATION => A::MacGeneration,
            AesDukptUsage::MAC_VERIFICATION => A::MacVerification,
            AesDukptUsage::MAC_BOTH => A::MacBoth,
            AesDukptUsage::DATA_ENCRYPT => A::DataEncrypt,
            AesDukptUsage::DATA_DECRYPT => A::DataDecrypt,
            AesDukptUsage::DATA_BOTH => A::DataBoth,
        }
    }
}

/// A secret key with its algorithm. `repr()` shows algorithm, length and check value only.
#[pyclass(frozen, from_py_object, module = "paycore")]
#[derive(Clone)]
pub struct Key(sec::Key);

#[pymethods]
impl Key {
    /// A key from raw bytes for `algorithm` (a `KeyAlgorithm` or a name like "tdes2").
    #[new]
    fn new(algorithm: &Bound<'_, PyAny>, key: &[u8]) -> Result<Self> {
        Ok(Key(sec::Key::new(key_algorithm_arg(algorithm)?, key)?))
    }

    /// A key from hex text (never echoed in errors).
    #[staticmethod]
    fn from_hex(algorithm: &Bound<'_, PyAny>, hex: &str) -> Result<Self> {
        Ok(Key(sec::Key::from_hex(key_algorithm_arg(algorithm)?, hex)?))
    }

    /// The algorithm.
    #[getter]
    fn algorithm(&self) -> KeyAlgorithm {
        self.0.algorithm().into()
    }

    /// The default check value as hex (legacy 3 bytes for DES/TDES, CMAC 5 for AES, 8 for SM4).
    #[getter]
    fn check_value(&self) -> String {
        self.0.check_value_hex()
    }

    /// The clear key bytes: the only way key material leaves paycore.
    fn export_bytes(&self) -> Vec<u8> {
        self.0.expose_bytes().to_vec()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Key({}, {} bytes, kcv={})",
            self.0.algorithm(),
            self.0.len(),
            self.0.check_value_hex()
        )
    }
}

/// Legacy check value: the first `length` bytes of the key encrypting a zero block.
#[pyfunction]
#[pyo3(signature = (key, length = 3))]
fn kcv(key: &Key, length: usize) -> Result<Vec<u8>> {
    Ok(sec::kcv_legacy(&key.0, length)?)
}

/// CMAC-based check value (5 bytes).
#[pyfunction]
fn kcv_cmac(key: &Key) -> Result<Vec<u8>> {
    Ok(sec::kcv_cmac(&key.0)?.to_vec())
}

/// The CUP SM4 check value (8 bytes; SM4 keys only).
#[pyfunction]
fn kcv_sm4(key: &Key) -> Result<Vec<u8>> {
    Ok(sec::kcv_sm4(&key.0)?.to_vec())
}

/// Verifies a check value in constant time; raises `CheckValueError` on mismatch.
#[pyfunction]
#[pyo3(signature = (key, expected, cmac = false))]
fn verify_check_value(key: &Key, expected: &[u8], cmac: bool) -> Result<()> {
    let method = if cmac {
        sec::KcvMethod::Cmac
    } else {
        sec::KcvMethod::Legacy {
            len: key.0.algorithm().block_len(),
        }
    };
    Ok(sec::verify_check_value(&key.0, method, expected, "key")?)
}

/// Builds a clear ISO 9564 PIN block (sensitive bytes).
#[pyfunction]
#[pyo3(signature = (format, pin, pan = None, random = b"".as_slice()))]
fn pin_block_encode(
    format: PinBlockFormat,
    pin: &str,
    pan: Option<&str>,
    random: &[u8],
) -> Result<Vec<u8>> {
    Ok(sec::PinBlock::build(format.into(), pin, pan, random)?
        .expose_bytes()
        .to_vec())
}

/// Recovers the PIN from a clear PIN block, validating its layout.
#[pyfunction]
#[pyo3(signature = (format, block, pan = None))]
fn pin_block_decode(format: PinBlockFormat, block: &[u8], pan: Option<&str>) -> Result<String> {
    let pb = sec::PinBlock::from_clear(format.into(), block, pan)?;
    Ok(pb.recover()?.expose().to_owned())
}

/// Builds and encrypts a PIN block under the PIN key (field 52).
#[pyfunction]
#[pyo3(signature = (key, format, pin, pan = None, random = b"".as_slice()))]
fn pin_block_encrypt(
    key: &Key,
    format: PinBlockFormat,
    pin: &str,
    pan: Option<&str>,
    random: &[u8],
) -> Result<Vec<u8>> {
    Ok(sec::PinBlock::build(format.into(), pin, pan, random)?.encrypt(&key.0)?)
}

/// Decrypts a PIN block and recovers the PIN.
#[pyfunction]
#[pyo3(signature = (key, format, encrypted, pan = None))]
fn pin_block_decrypt(
    key: &Key,
    format: PinBlockFormat,
    encrypted: &[u8],
    pan: Option<&str>,
) -> Result<String> {
    let pb = sec::PinBlock::decrypt(format.into(), &key.0, encrypted, pan)?;
    Ok(pb.recover()?.expose().to_owned())
}

/// Builds and SM4-encrypts a UnionPay PIN block (16 bytes).
#[pyfunction]
fn sm4_pin_encrypt(key: &Key, layout: Sm4PinLayout, pin: &str, pan: &str) -> Result<Vec<u8>> {
    Ok(sec::sm4_encrypt_pin(&key.0, layout.into(), pin, pan)?.to_vec())
}

/// Decrypts a UnionPay SM4 PIN block and recovers the PIN.
#[pyfunction]
fn sm4_pin_decrypt(key: &Key, layout: Sm4PinLayout, encrypted: &[u8], pan: &str) -> Result<String> {
    Ok(sec::sm4_decrypt_pin(&key.0, layout.into(), encrypted, pan)?
        .expose()
        .to_owned())
}

/// Computes a MAC (`algorithm` a `MacAlgorithm` or a name like "x9.19", "cup-ecb").
#[pyfunction]
fn mac(algorithm: &Bound<'_, PyAny>, key: &Key, data: &[u8]) -> Result<Vec<u8>> {
    Ok(sec::compute_mac(
        mac_algorithm_arg(algorithm)?,
        &key.0,
        data,
    )?)
}

/// Verifies a MAC in constant time (a prefix of at least 4 bytes is accepted); raises
/// `MacMismatchError`.
#[pyfunction]
fn mac_verify(algorithm: &Bound<'_, PyAny>, key: &Key, data: &[u8], mac: &[u8]) -> Result<()> {
    Ok(sec::verify_mac(
        mac_algorithm_arg(algorithm)?,
        &key.0,
        data,
        mac,
    )?)
}

/// The working keys delivered by a sign-on.
#[pyclass(frozen, module = "paycore")]
pub struct WorkingKeys(sec::WorkingKeys);

#[pymethods]
impl WorkingKeys {
    /// PIN key (PIK/TPK).
    #[getter]
    fn pin_key(&self) -> Key {
        Key(self.0.pin_key.clone())
    }

    /// MAC key (MAK/TAK).
    #[getter]
    fn mac_key(&self) -> Key {
        Key(self.0.mac_key.clone())
    }

    /// Track-data key (layout "004" only), or None.
    #[getter]
    fn track_key(&self) -> Option<Key> {
        self.0.track_key.clone().map(Key)
    }

    fn __repr__(&self) -> String {
        let k = |k: &sec::Key| format!("{}/{}", k.algorithm(), k.check_value_hex());
        format!(
            "WorkingKeys(pin_key={}, mac_key={}, track_key={})",
            k(&self.0.pin_key),
            k(&self.0.mac_key),
            self.0.track_key.as_ref().map_or("None".into(), k)
        )
    }
}

/// Unwraps the working keys of a CUP POS 0810 field 62 under the TMK. `layout` is the F60.3
/// network-management code: "001", "003" or "004". Raises `CheckValueError` naming the key.
#[pyfunction]
fn unwrap_sign_on_keys(tmk: &Key, layout: &str, field62: &[u8]) -> Result<WorkingKeys> {
    let l = sec::SignOnLayout::from_code(layout)?;
    Ok(WorkingKeys(sec::unwrap_sign_on_keys(&tmk.0, l, field62)?))
}

/// Host side / tests: builds field 62 for `layout` ("001", "003", "004") under the TMK.
#[pyfunction]
#[pyo3(signature = (tmk, layout, pin_key, mac_key, track_key = None))]
fn build_sign_on_field62(
    tmk: &Key,
    layout: &str,
    pin_key: &Key,
    mac_key: &Key,
    track_key: Option<&Key>,
) -> Result<Vec<u8>> {
    let l = sec::SignOnLayout::from_code(layout)?;
    let keys = sec::WorkingKeys {
        pin_key: pin_key.0.clone(),
        mac_key: mac_key.0.clone(),
        track_key: track_key.map(|k| k.0.clone()),
    };
    Ok(sec::build_sign_on_field62(&tmk.0, l, &keys)?)
}

/// TDES DUKPT: the IPEK from a BDK and a 10-byte KSN.
#[pyfunction]
fn dukpt_tdes_ipek(bdk: &Key, ksn: &[u8]) -> Result<Key> {
    Ok(Key(tdes::derive_ipek(&bdk.0, &tdes::Ksn::new(ksn)?)?))
}

/// TDES DUKPT host side: the transaction key for the KSN's counter.
#[pyfunction]
fn dukpt_tdes_transaction_key(bdk: &Key, ksn: &[u8]) -> Result<Key> {
    Ok(Key(tdes::transaction_key(&bdk.0, &tdes::Ksn::new(ksn)?)?))
}

/// TDES DUKPT: a usage variant of a transaction key.
#[pyfunction]
fn dukpt_tdes_usage_key(transaction_key: &Key, usage: DukptUsage) -> Result<Key> {
    Ok(Key(tdes::usage_key(&transaction_key.0, usage.into())?))
}

/// TDES DUKPT terminal: future-key registers that advance with every transaction.
#[pyclass(module = "paycore")]
pub struct TdesDukptTerminal(tdes::TdesDukptTerminal);

#[pymethods]
impl TdesDukptTerminal {
    /// Loads the IPEK and the initial KSN (10 bytes; counter ignored).
    #[new]
    fn new(ipek: &Key, initial_ksn: &[u8]) -> Result<Self> {
        Ok(TdesDukptTerminal(tdes::TdesDukptTerminal::load(
            &ipek.0,
            &tdes::Ksn::new(initial_ksn)?,
        )?))
    }

    /// The KSN the next transaction will use.
    #[getter]
    fn next_ksn(&self) -> Vec<u8> {
        self.0.next_ksn().0.to_vec()
    }

    /// Takes the next transaction's (KSN, transaction key) and advances; raises
    /// `DukptError` when the counter is exhausted.
    fn next_transaction(&mut self) -> Result<(Vec<u8>, Key)> {
        let (ksn, key) = self.0.next_transaction()?;
        Ok((ksn.0.to_vec(), Key(key)))
    }

    fn __repr__(&self) -> String {
        format!("TdesDukptTerminal(next_ksn={})", self.0.next_ksn().to_hex())
    }
}

/// AES DUKPT: the initial key from an AES BDK and a 12-byte KSN.
#[pyfunction]
fn dukpt_aes_initial_key(bdk: &Key, ksn: &[u8]) -> Result<Key> {
    Ok(Key(adukpt::derive_initial_key(
        &bdk.0,
        &adukpt::AesKsn::new(ksn)?,
    )?))
}

/// AES DUKPT host side: the intermediate derivation key for the KSN's counter.
#[pyfunction]
fn dukpt_aes_derivation_key(initial_key: &Key, ksn: &[u8]) -> Result<Key> {
    Ok(Key(adukpt::derivation_key_from_initial(
        &initial_key.0,
        &adukpt::AesKsn::new(ksn)?,
    )?))
}

/// AES DUKPT host side: the working key for the KSN from the BDK.
#[pyfunction]
fn dukpt_aes_working_key(
    bdk: &Key,
    ksn: &[u8],
    usage: AesDukptUsage,
    key_type: &Bound<'_, PyAny>,
) -> Result<Key> {
    Ok(Key(adukpt::derive_working_key(
        &bdk.0,
        &adukpt::AesKsn::new(ksn)?,
        usage.into(),
        key_algorithm_arg(key_type)?,
    )?))
}

/// A TR-31 key block header (no secrets).
#[pyclass(frozen, from_py_object, module = "paycore")]
#[derive(Clone)]
pub struct Tr31Header(tr31::Tr31Header);

fn one_char(s: &str, what: &str) -> PyResult<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(PyValueError::new_err(format!(
            "{what} must be one character"
        ))),
    }
}

#[pymethods]
impl Tr31Header {
    /// A header: version "A"–"D", key usage ("P0"), algorithm ("T", "A"), mode of use ("E"),
    /// key version ("00"), exportability ("E", "N", "S") and optional blocks as (id, data).
    #[new]
    #[pyo3(signature = (version, key_usage, algorithm, mode_of_use, key_version = "00", exportability = "E", optional_blocks = Vec::new()))]
    fn new(
        version: &str,
        key_usage: &str,
        algorithm: &str,
        mode_of_use: &str,
        key_version: &str,
        exportability: &str,
        optional_blocks: Vec<(String, String)>,
    ) -> PyResult<Self> {
        let v = match version {
            "A" => tr31::Tr31Version::A,
            "B" => tr31::Tr31Version::B,
            "C" => tr31::Tr31Version::C,
            "D" => tr31::Tr31Version::D,
            _ => return Err(PyValueError::new_err("version must be A, B, C or D")),
        };
        let mut h = tr31::Tr31Header::new(
            v,
            key_usage,
            one_char(algorithm, "algorithm")?,
            one_char(mode_of_use, "mode_of_use")?,
            key_version,
            one_char(exportability, "exportability")?,
        );
        h.optional_blocks = optional_blocks
            .into_iter()
            .map(|(id, data)| tr31::Tr31OptionalBlock { id, data })
            .collect();
        Ok(Tr31Header(h))
    }

    /// Parses the header at the start of a key block (nothing is verified).
    #[staticmethod]
    fn parse(block: &str) -> Result<Self> {
        Ok(Tr31Header(tr31::Tr31Header::parse(block)?.0))
    }

    /// Version character.
    #[getter]
    fn version(&self) -> String {
        self.0.version.as_char().to_string()
    }

    /// Key usage.
    #[getter]
    fn key_usage(&self) -> String {
        self.0.key_usage.clone()
    }

    /// Algorithm character.
    #[getter]
    fn algorithm(&self) -> String {
        self.0.algorithm.to_string()
    }

    /// Mode of use character.
    #[getter]
    fn mode_of_use(&self) -> String {
        self.0.mode_of_use.to_string()
    }

    /// Key version number.
    #[getter]
    fn key_version(&self) -> String {
        self.0.key_version.clone()
    }

    /// Exportability character.
    #[getter]
    fn exportability(&self) -> String {
        self.0.exportability.to_string()
    }

    /// Optional blocks as (id, data) pairs.
    #[getter]
    fn optional_blocks(&self) -> Vec<(String, String)> {
        self.0
            .optional_blocks
            .iter()
            .map(|b| (b.id.clone(), b.data.clone()))
            .collect()
    }

    /// The data of the first optional block with this id, or None.
    fn optional_block(&self, id: &str) -> Option<String> {
        self.0.optional_block(id).map(str::to_owned)
    }

    fn __eq__(&self, other: &Tr31Header) -> bool {
        self.0 == other.0
    }

    fn __repr__(&self) -> String {
        format!(
            "Tr31Header(version='{}', key_usage='{}', algorithm='{}', mode_of_use='{}', key_version='{}', exportability='{}', optional_blocks={:?})",
            self.0.version.as_char(),
            self.0.key_usage,
            self.0.algorithm,
            self.0.mode_of_use,
            self.0.key_version,
            self.0.exportability,
            self.optional_blocks()
        )
    }
}

/// An unwrapped TR-31 key block: the verified header and the clear key.
#[pyclass(frozen, module = "paycore")]
pub struct Tr31KeyBlock(tr31::Tr31KeyBlock);

#[pymethods]
impl Tr31KeyBlock {
    /// The verified header.
    #[getter]
    fn header(&self) -> Tr31Header {
        Tr31Header(self.0.header.clone())
    }

    /// The clear key.
    #[getter]
    fn key(&self) -> Key {
        Key(self.0.key.clone())
    }

    fn __repr__(&self) -> String {
        format!(
            "Tr31KeyBlock(key_usage='{}', key=Key({}, {} bytes, kcv={}))",
            self.0.header.key_usage,
            self.0.key.algorithm(),
            self.0.key.len(),
            self.0.key.check_value_hex()
        )
    }
}

/// Decrypts and verifies a TR-31 key block; raises `Tr31Error` on a MAC failure.
#[pyfunction]
fn tr31_unwrap(kbpk: &Key, block: &str) -> Result<Tr31KeyBlock> {
    Ok(Tr31KeyBlock(tr31::unwrap(&kbpk.0, block)?))
}

/// Wraps `key` under the KBPK. `header` is a `Tr31Header` or a header template string
/// ("D0000P0AE00E0000"); `random` supplies the padding (32 bytes from `secrets.token_bytes`
/// always suffice without masking); `masked_length` hides the key length (0 = none).
#[pyfunction]
#[pyo3(signature = (kbpk, header, key, random, masked_length = 0))]
fn tr31_wrap(
    kbpk: &Key,
    header: &Bound<'_, PyAny>,
    key: &Key,
    random: &[u8],
    masked_length: usize,
) -> Result<String> {
    let hd = if let Ok(h) = header.extract::<Tr31Header>() {
        h.0
    } else {
        let text: String = header.extract().map_err(Error::from)?;
        tr31::Tr31Header::parse(&text)?.0
    };
    Ok(tr31::wrap(&kbpk.0, &hd, &key.0, masked_length, random)?)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("SecurityError", py.get_type::<SecurityError>())?;
    m.add("KeyLengthError", py.get_type::<KeyLengthError>())?;
    m.add("CheckValueError", py.get_type::<CheckValueError>())?;
    m.add("MacMismatchError", py.get_type::<MacMismatchError>())?;
    m.add("PinBlockError", py.get_type::<PinBlockError>())?;
    m.add("DukptError", py.get_type::<DukptError>())?;
    m.add("Tr31Error", py.get_type::<Tr31Error>())?;
    m.add_class::<KeyAlgorithm>()?;
    m.add_class::<MacAlgorithm>()?;
    m.add_class::<PinBlockFormat>()?;
    m.add_class::<Sm4PinLayout>()?;
    m.add_class::<DukptUsage>()?;
    m.add_class::<AesDukptUsage>()?;
    m.add_class::<Key>()?;
    m.add_class::<WorkingKeys>()?;
    m.add_class::<TdesDukptTerminal>()?;
    m.add_class::<Tr31Header>()?;
    m.add_class::<Tr31KeyBlock>()?;
    m.add_function(wrap_pyfunction!(kcv, m)?)?;
    m.add_function(wrap_pyfunction!(kcv_cmac, m)?)?;
    m.add_function(wrap_pyfunction!(kcv_sm4, m)?)?;
    m.add_function(wrap_pyfunction!(verify_check_value, m)?)?;
    m.add_function(wrap_pyfunction!(pin_block_encode, m)?)?;
    m.add_function(wrap_pyfunction!(pin_block_decode, m)?)?;
    m.add_function(wrap_pyfunction!(pin_block_encrypt, m)?)?;
    m.add_function(wrap_pyfunction!(pin_block_decrypt, m)?)?;
    m.add_function(wrap_pyfunction!(sm4_pin_encrypt, m)?)?;
    m.add_function(wrap_pyfunction!(sm4_pin_decrypt, m)?)?;
    m.add_function(wrap_pyfunction!(mac, m)?)?;
    m.add_function(wrap_pyfunction!(mac_verify, m)?)?;
    m.add_function(wrap_pyfunction!(unwrap_sign_on_keys, m)?)?;
    m.add_function(wrap_pyfunction!(build_sign_on_field62, m)?)?;
    m.add_function(wrap_pyfunction!(dukpt_tdes_ipek, m)?)?;
    m.add_function(wrap_pyfunction!(dukpt_tdes_transaction_key, m)?)?;
    m.add_function(wrap_pyfunction!(dukpt_tdes_usage_key, m)?)?;
    m.add_function(wrap_pyfunction!(dukpt_aes_initial_key, m)?)?;
    m.add_function(wrap_pyfunction!(dukpt_aes_derivation_key, m)?)?;
    m.add_function(wrap_pyfunction!(dukpt_aes_working_key, m)?)?;
    m.add_function(wrap_pyfunction!(tr31_unwrap, m)?)?;
    m.add_function(wrap_pyfunction!(tr31_wrap, m)?)?;
    Ok(())
}
