//! Terminal security: keys, check values, PIN blocks, MACs, sign-on working keys, DUKPT and
//! TR-31 key blocks.
//!
//! Keys are opaque `paycore_key` objects (wiped when freed with `paycore_key_free`); their
//! bytes only leave through `paycore_key_export_bytes`. Byte outputs use the caller-buffer
//! convention of text (`buf`, `buf_len`, `out_len`; `PAYCORE_ERR_BUFFER_TOO_SMALL` reports
//! the length needed) without a terminator. Error messages never contain key, PIN or
//! PIN-block bytes.

use crate::boundary::{
    FfiError, bytes_arg, bytes_out, guard, guard_value, str_arg, text_out, write_out,
};
use crate::paycore_result;
use paycore::security::dukpt::{aes as adukpt, tdes};
use paycore::security::{
    self as sec, Key, KeyAlgorithm, MacAlgorithm, PinBlock, PinBlockFormat, SecurityError,
    SignOnLayout, Sm4PinLayout, tr31,
};
use std::os::raw::c_char;

/// A secret key with its algorithm (opaque). Create with `paycore_key_new`/`_from_hex` or
/// receive one from an unwrap/derive function; release with `paycore_key_free`, which wipes
/// the bytes. Immutable: safe to share between threads for reading.
pub struct paycore_key(Key);

/// TDES DUKPT terminal (originating device) with its future-key registers (opaque).
/// Create with `paycore_dukpt_tdes_terminal_load`; release with
/// `paycore_dukpt_tdes_terminal_free` (wipes the registers). Not thread-safe: one thread
/// at a time.
pub struct paycore_dukpt_tdes_terminal(tdes::TdesDukptTerminal);

/// Key algorithms (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_key_algorithm {
    /// Single DES, 8 bytes.
    PAYCORE_KEY_DES = 0,
    /// Two-key triple DES, 16 bytes.
    PAYCORE_KEY_TDES2 = 1,
    /// Three-key triple DES, 24 bytes.
    PAYCORE_KEY_TDES3 = 2,
    /// AES-128.
    PAYCORE_KEY_AES128 = 3,
    /// AES-192.
    PAYCORE_KEY_AES192 = 4,
    /// AES-256.
    PAYCORE_KEY_AES256 = 5,
    /// SM4, 16 bytes.
    PAYCORE_KEY_SM4 = 6,
}

/// MAC algorithms (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_mac_algorithm {
    /// ANSI X9.9 (ISO 9797-1 alg. 1), single DES, 8 bytes.
    PAYCORE_MAC_X9_9 = 0,
    /// ANSI X9.19 retail MAC (ISO 9797-1 alg. 3), 8 bytes.
    PAYCORE_MAC_X9_19 = 1,
    /// UnionPay POS "ECB" MAC: 8 ASCII hex characters.
    PAYCORE_MAC_CUP_ECB = 2,
    /// UnionPay SM4 MAC, 8 binary bytes.
    PAYCORE_MAC_CUP_SM4 = 3,
    /// UnionPay SM4 MAC, 8 ASCII hex characters.
    PAYCORE_MAC_CUP_SM4_HEX = 4,
    /// CMAC (NIST SP 800-38B), one full block.
    PAYCORE_MAC_CMAC = 5,
}

/// ISO 9564-1 PIN block formats (passed as `uint32_t`: the format number).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_pin_format {
    /// Format 0 (ANSI X9.8), PAN bound.
    PAYCORE_PIN_ISO0 = 0,
    /// Format 1, random fill, no PAN.
    PAYCORE_PIN_ISO1 = 1,
    /// Format 2, `F` fill, no PAN.
    PAYCORE_PIN_ISO2 = 2,
    /// Format 3, random `A`–`F` fill, PAN bound.
    PAYCORE_PIN_ISO3 = 3,
    /// Format 4, 16-byte AES block.
    PAYCORE_PIN_ISO4 = 4,
}

/// UnionPay SM4 PIN-block layouts (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_sm4_pin_layout {
    /// ISO-0 block right-padded with 8 zero bytes.
    PAYCORE_SM4_PIN_ISO0_PADDED = 0,
    /// 16-byte wide PIN field.
    PAYCORE_SM4_PIN_WIDE = 1,
}

/// TDES DUKPT key usages (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_dukpt_tdes_usage {
    /// PIN encryption variant.
    PAYCORE_DUKPT_TDES_PIN = 0,
    /// MAC, request direction.
    PAYCORE_DUKPT_TDES_MAC_REQUEST = 1,
    /// MAC, response direction.
    PAYCORE_DUKPT_TDES_MAC_RESPONSE = 2,
    /// Data encryption, request direction.
    PAYCORE_DUKPT_TDES_DATA_REQUEST = 3,
    /// Data encryption, response direction.
    PAYCORE_DUKPT_TDES_DATA_RESPONSE = 4,
}

/// AES DUKPT working-key usages (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_dukpt_aes_usage {
    /// Key encryption key.
    PAYCORE_DUKPT_AES_KEY_ENCRYPTION = 0,
    /// PIN encryption.
    PAYCORE_DUKPT_AES_PIN_ENCRYPTION = 1,
    /// MAC generation.
    PAYCORE_DUKPT_AES_MAC_GENERATION = 2,
    /// MAC verification.
    PAYCORE_DUKPT_AES_MAC_VERIFICATION = 3,
    /// MAC both ways.
    PAYCORE_DUKPT_AES_MAC_BOTH = 4,
    /// Data encryption.
    PAYCORE_DUKPT_AES_DATA_ENCRYPT = 5,
    /// Data decryption.
    PAYCORE_DUKPT_AES_DATA_DECRYPT = 6,
    /// Data both ways.
    PAYCORE_DUKPT_AES_DATA_BOTH = 7,
}

impl From<SecurityError> for FfiError {
    fn from(e: SecurityError) -> Self {
        use paycore_result::*;
        let code = match e {
            SecurityError::InvalidKeyLength { .. } => PAYCORE_ERR_KEY_LENGTH,
            SecurityError::Hex { .. } => PAYCORE_ERR_HEX,
            SecurityError::UnsupportedAlgorithm { .. } => PAYCORE_ERR_KEY_ALGORITHM,
            SecurityError::InvalidLength { .. } | SecurityError::KsnLength { .. } => {
                PAYCORE_ERR_SECURITY_LENGTH
            }
            SecurityError::PinLength { .. }
            | SecurityError::PinNotDigits { .. }
            | SecurityError::PanLength { .. }
            | SecurityError::PanNotDigits { .. }
            | SecurityError::PanRequired { .. }
            | SecurityError::RandomTooShort { .. } => PAYCORE_ERR_PIN_INPUT,
            SecurityError::PinBlockControl { .. }
            | SecurityError::PinBlockPinLength { .. }
            | SecurityError::PinBlockDigit { .. }
            | SecurityError::PinBlockFiller { .. } => PAYCORE_ERR_PIN_BLOCK,
            SecurityError::MacMismatch => PAYCORE_ERR_MAC_MISMATCH,
            SecurityError::CheckValueMismatch { .. } => PAYCORE_ERR_CHECK_VALUE,
            SecurityError::UnknownSignOnCode { .. } => PAYCORE_ERR_INVALID_ARGUMENT,
            SecurityError::DukptCounterBits { .. } | SecurityError::DukptCounterZero => {
                PAYCORE_ERR_DUKPT_COUNTER
            }
            SecurityError::DukptExhausted => PAYCORE_ERR_DUKPT_EXHAUSTED,
            SecurityError::Tr31Format { .. } => PAYCORE_ERR_TR31_FORMAT,
            SecurityError::Tr31Mac => PAYCORE_ERR_TR31_MAC,
        };
        FfiError::new(code, e.to_string())
    }
}

fn bad_enum(what: &str, value: u32, max: u32) -> FfiError {
    FfiError::new(
        paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
        format!("{what} {value} out of range 0..={max}"),
    )
}

fn key_algorithm(v: u32) -> Result<KeyAlgorithm, FfiError> {
    Ok(match v {
        0 => KeyAlgorithm::Des,
        1 => KeyAlgorithm::Tdes2,
        2 => KeyAlgorithm::Tdes3,
        3 => KeyAlgorithm::Aes128,
        4 => KeyAlgorithm::Aes192,
        5 => KeyAlgorithm::Aes256,
        6 => KeyAlgorithm::Sm4,
        _ => return Err(bad_enum("key algorithm", v, 6)),
    })
}

fn key_algorithm_code(a: KeyAlgorithm) -> u32 {
    use paycore_key_algorithm::*;
    (match a {
        KeyAlgorithm::Des => PAYCORE_KEY_DES,
        KeyAlgorithm::Tdes2 => PAYCORE_KEY_TDES2,
        KeyAlgorithm::Tdes3 => PAYCORE_KEY_TDES3,
        KeyAlgorithm::Aes128 => PAYCORE_KEY_AES128,
        KeyAlgorithm::Aes192 => PAYCORE_KEY_AES192,
        KeyAlgorithm::Aes256 => PAYCORE_KEY_AES256,
        KeyAlgorithm::Sm4 => PAYCORE_KEY_SM4,
    }) as u32
}

fn mac_algorithm(v: u32) -> Result<MacAlgorithm, FfiError> {
    Ok(match v {
        0 => MacAlgorithm::X99,
        1 => MacAlgorithm::X919,
        2 => MacAlgorithm::CupEcb,
        3 => MacAlgorithm::CupSm4Binary,
        4 => MacAlgorithm::CupSm4Hex,
        5 => MacAlgorithm::Cmac,
        _ => return Err(bad_enum("MAC algorithm", v, 5)),
    })
}

fn pin_format(v: u32) -> Result<PinBlockFormat, FfiError> {
    u8::try_from(v)
        .ok()
        .and_then(PinBlockFormat::from_number)
        .ok_or_else(|| bad_enum("PIN block format", v, 4))
}

fn sm4_layout(v: u32) -> Result<Sm4PinLayout, FfiError> {
    match v {
        0 => Ok(Sm4PinLayout::Iso0Padded),
        1 => Ok(Sm4PinLayout::Wide),
        _ => Err(bad_enum("SM4 PIN layout", v, 1)),
    }
}

fn sign_on_layout(v: u32) -> Result<SignOnLayout, FfiError> {
    match v {
        1 => Ok(SignOnLayout::SingleDes),
        3 => Ok(SignOnLayout::DoubleLength),
        4 => Ok(SignOnLayout::DoubleLengthWithTrack),
        _ => Err(FfiError::new(
            paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
            format!("sign-on layout {v} is not 1, 3 or 4"),
        )),
    }
}

fn tdes_usage(v: u32) -> Result<tdes::TdesKeyUsage, FfiError> {
    use tdes::TdesKeyUsage::*;
    Ok(match v {
        0 => Pin,
        1 => MacRequest,
        2 => MacResponse,
        3 => DataRequest,
        4 => DataResponse,
        _ => return Err(bad_enum("TDES DUKPT usage", v, 4)),
    })
}

fn aes_usage(v: u32) -> Result<adukpt::AesKeyUsage, FfiError> {
    use adukpt::AesKeyUsage::*;
    Ok(match v {
        0 => KeyEncryption,
        1 => PinEncryption,
        2 => MacGeneration,
        3 => MacVerification,
        4 => MacBoth,
        5 => DataEncrypt,
        6 => DataDecrypt,
        7 => DataBoth,
        _ => return Err(bad_enum("AES DUKPT usage", v, 7)),
    })
}

/// Borrows a live key.
///
/// # Safety
/// `ptr` NULL or a live `paycore_key`.
unsafe fn key_ref<'a>(ptr: *const paycore_key, name: &str) -> Result<&'a Key, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_ref() }
        .map(|k| &k.0)
        .ok_or_else(|| FfiError::null(name))
}

/// Boxes a key into `*out`.
///
/// # Safety
/// `out` NULL or valid for a write.
unsafe fn key_out(out: *mut *mut paycore_key, key: Key) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::null("out"));
    }
    let raw = Box::into_raw(Box::new(paycore_key(key)));
    // SAFETY: checked non-NULL.
    unsafe { write_out(out, raw, "out") }
}

/// An optional PAN: empty (or NULL with length 0) means none.
fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

// ------------------------------------------------------------------------------ keys

/// Builds a key from raw bytes for `algorithm` (a `paycore_key_algorithm`); the length must
/// fit the algorithm. On success `*out` owns a new key to release with `paycore_key_free`.
///
/// # Safety
/// `bytes` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_key_new(
    algorithm: u32,
    bytes: *const u8,
    len: usize,
    out: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        let alg = key_algorithm(algorithm)?;
        // SAFETY: caller contract.
        let b = unsafe { bytes_arg(bytes, len, "bytes") }?;
        let key = Key::new(alg, b)?;
        // SAFETY: caller contract.
        unsafe { key_out(out, key) }
    })
}

/// Builds a key from hex text (either case). The text is never echoed in errors.
///
/// # Safety
/// `hex` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_key_from_hex(
    algorithm: u32,
    hex: *const c_char,
    len: usize,
    out: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        let alg = key_algorithm(algorithm)?;
        // SAFETY: caller contract.
        let text = unsafe { str_arg(hex, len, "hex") }?;
        let key = Key::from_hex(alg, text)?;
        // SAFETY: caller contract.
        unsafe { key_out(out, key) }
    })
}

/// Releases a key, wiping its bytes. NULL is ignored. Each key must be freed once.
///
/// # Safety
/// `key` must come from this library and not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_key_free(key: *mut paycore_key) {
    guard_value((), || {
        if !key.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract). Key zeroizes on drop.
            drop(unsafe { Box::from_raw(key) });
        }
    })
}

/// The key's algorithm (a `paycore_key_algorithm`; `UINT32_MAX` for NULL).
///
/// # Safety
/// `key` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_key_get_algorithm(key: *const paycore_key) -> u32 {
    guard_value(u32::MAX, || {
        // SAFETY: caller contract.
        unsafe { key.as_ref() }.map_or(u32::MAX, |k| key_algorithm_code(k.0.algorithm()))
    })
}

/// The key length in bytes (0 for NULL).
///
/// # Safety
/// `key` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_key_length(key: *const paycore_key) -> usize {
    guard_value(0, || {
        // SAFETY: caller contract.
        unsafe { key.as_ref() }.map_or(0, |k| k.0.len())
    })
}

/// Writes the clear key bytes into `buf`. The ONLY way key material leaves the library: the
/// caller must protect and wipe the buffer.
///
/// # Safety
/// `key` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_key_export_bytes(
    key: *const paycore_key,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        // SAFETY: caller contract.
        unsafe { bytes_out(key.expose_bytes(), buf, buf_len, out_len) }
    })
}

/// Writes the key's default check value as hex text (legacy 3 bytes for DES/TDES, CMAC
/// 5 bytes for AES, 8 bytes for SM4), e.g. "08D7B4".
///
/// # Safety
/// `key` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_key_check_value_hex(
    key: *const paycore_key,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        // SAFETY: caller contract.
        unsafe { text_out(&key.check_value_hex(), buf, buf_len, out_len) }
    })
}

// ------------------------------------------------------------------------------ KCV

/// Legacy check value: the first `kcv_len` bytes (1 to the block size; 3 classic, 4 in CUP
/// sign-on) of the key encrypting a zero block.
///
/// # Safety
/// `key` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_kcv_legacy(
    key: *const paycore_key,
    kcv_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        let v = sec::kcv_legacy(key, kcv_len)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&v, buf, buf_len, out_len) }
    })
}

/// CMAC-based check value (5 bytes; AES and TR-31 version D).
///
/// # Safety
/// `key` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_kcv_cmac(
    key: *const paycore_key,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        let v = sec::kcv_cmac(key)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&v, buf, buf_len, out_len) }
    })
}

/// The CUP SM4 check value (8 bytes); SM4 keys only.
///
/// # Safety
/// `key` live; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_kcv_sm4(
    key: *const paycore_key,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        let v = sec::kcv_sm4(key)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&v, buf, buf_len, out_len) }
    })
}

/// Verifies a check value in constant time: `cmac` false = legacy (zero-block encryption,
/// `expected` compared with the same-length prefix, at least 2 bytes), true = CMAC.
/// Returns `PAYCORE_ERR_CHECK_VALUE` on mismatch.
///
/// # Safety
/// `key` live; `expected` valid for `expected_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_kcv_verify(
    key: *const paycore_key,
    cmac: bool,
    expected: *const u8,
    expected_len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        // SAFETY: caller contract.
        let exp = unsafe { bytes_arg(expected, expected_len, "expected") }?;
        let method = if cmac {
            sec::KcvMethod::Cmac
        } else {
            sec::KcvMethod::Legacy {
                len: key.algorithm().block_len(),
            }
        };
        Ok(sec::verify_check_value(key, method, exp, "key")?)
    })
}

// ------------------------------------------------------------------------------ PIN blocks

/// Builds a clear ISO 9564 PIN block (`format` a `paycore_pin_format`). `pan` is required for
/// formats 0, 3 and 4 (empty = none); `random` supplies the fill for formats 1, 3 and 4 (from
/// the caller's CSPRNG). Writes 8 bytes (16 for format 4) of clear PIN block: sensitive.
///
/// # Safety
/// Pointer/length pairs valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pin_block_build(
    format: u32,
    pin: *const c_char,
    pin_len: usize,
    pan: *const c_char,
    pan_len: usize,
    random: *const u8,
    random_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        let f = pin_format(format)?;
        // SAFETY: caller contract (all three).
        let (pin, pan, random) = unsafe {
            (
                str_arg(pin, pin_len, "pin")?,
                str_arg(pan, pan_len, "pan")?,
                bytes_arg(random, random_len, "random")?,
            )
        };
        let pb = PinBlock::build(f, pin, opt(pan), random)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(pb.expose_bytes(), buf, buf_len, out_len) }
    })
}

/// Recovers the PIN digits from a clear PIN block, validating control nibble, length and
/// filler. Writes the digits as text.
///
/// # Safety
/// Pointer/length pairs valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pin_block_recover(
    format: u32,
    block: *const u8,
    block_len: usize,
    pan: *const c_char,
    pan_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        let f = pin_format(format)?;
        // SAFETY: caller contract.
        let (block, pan) = unsafe {
            (
                bytes_arg(block, block_len, "block")?,
                str_arg(pan, pan_len, "pan")?,
            )
        };
        let pin = PinBlock::from_clear(f, block, opt(pan))?.recover()?;
        // SAFETY: caller contract.
        unsafe { text_out(pin.expose(), buf, buf_len, out_len) }
    })
}

/// Builds and encrypts a PIN block under `key` (the PIN key; AES for format 4). Writes the
/// encrypted block (8 or 16 bytes), e.g. for ISO 8583 field 52.
///
/// # Safety
/// `key` live; pointer/length pairs valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pin_block_encrypt(
    key: *const paycore_key,
    format: u32,
    pin: *const c_char,
    pin_len: usize,
    pan: *const c_char,
    pan_len: usize,
    random: *const u8,
    random_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        let f = pin_format(format)?;
        // SAFETY: caller contract.
        let (pin, pan, random) = unsafe {
            (
                str_arg(pin, pin_len, "pin")?,
                str_arg(pan, pan_len, "pan")?,
                bytes_arg(random, random_len, "random")?,
            )
        };
        let enc = PinBlock::build(f, pin, opt(pan), random)?.encrypt(key)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&enc, buf, buf_len, out_len) }
    })
}

/// Decrypts an encrypted PIN block under `key` and recovers the PIN digits (text).
///
/// # Safety
/// `key` live; pointer/length pairs valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_pin_block_decrypt(
    key: *const paycore_key,
    format: u32,
    encrypted: *const u8,
    encrypted_len: usize,
    pan: *const c_char,
    pan_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        let f = pin_format(format)?;
        // SAFETY: caller contract.
        let (enc, pan) = unsafe {
            (
                bytes_arg(encrypted, encrypted_len, "encrypted")?,
                str_arg(pan, pan_len, "pan")?,
            )
        };
        let pin = PinBlock::decrypt(f, key, enc, opt(pan))?.recover()?;
        // SAFETY: caller contract.
        unsafe { text_out(pin.expose(), buf, buf_len, out_len) }
    })
}

/// Builds and SM4-encrypts a UnionPay PIN block (`layout` a `paycore_sm4_pin_layout`);
/// writes 16 bytes.
///
/// # Safety
/// `key` live; pointer/length pairs valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_sm4_pin_encrypt(
    key: *const paycore_key,
    layout: u32,
    pin: *const c_char,
    pin_len: usize,
    pan: *const c_char,
    pan_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        let l = sm4_layout(layout)?;
        // SAFETY: caller contract.
        let (pin, pan) = unsafe { (str_arg(pin, pin_len, "pin")?, str_arg(pan, pan_len, "pan")?) };
        let enc = sec::sm4_encrypt_pin(key, l, pin, pan)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&enc, buf, buf_len, out_len) }
    })
}

/// Decrypts a UnionPay SM4 PIN block and writes the PIN digits (text).
///
/// # Safety
/// `key` live; pointer/length pairs valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_sm4_pin_decrypt(
    key: *const paycore_key,
    layout: u32,
    encrypted: *const u8,
    encrypted_len: usize,
    pan: *const c_char,
    pan_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        let l = sm4_layout(layout)?;
        // SAFETY: caller contract.
        let (enc, pan) = unsafe {
            (
                bytes_arg(encrypted, encrypted_len, "encrypted")?,
                str_arg(pan, pan_len, "pan")?,
            )
        };
        let pin = sec::sm4_decrypt_pin(key, l, enc, pan)?;
        // SAFETY: caller contract.
        unsafe { text_out(pin.expose(), buf, buf_len, out_len) }
    })
}

// ------------------------------------------------------------------------------ MACs

/// Computes the MAC of `data` (`algorithm` a `paycore_mac_algorithm`); writes the full MAC
/// (8 bytes, 8 ASCII hex characters for the CUP ECB/SM4-hex MACs, a block for CMAC).
///
/// # Safety
/// `key` live; `data` valid for `data_len`; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_mac_compute(
    algorithm: u32,
    key: *const paycore_key,
    data: *const u8,
    data_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        let alg = mac_algorithm(algorithm)?;
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        // SAFETY: caller contract.
        let data = unsafe { bytes_arg(data, data_len, "data") }?;
        let mac = sec::compute_mac(alg, key, data)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&mac, buf, buf_len, out_len) }
    })
}

/// Verifies a MAC in constant time (a truncated MAC of at least 4 bytes is compared with the
/// same-length prefix). `PAYCORE_OK` when it matches, `PAYCORE_ERR_MAC_MISMATCH` otherwise.
///
/// # Safety
/// `key` live; `data`/`mac` valid for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_mac_verify(
    algorithm: u32,
    key: *const paycore_key,
    data: *const u8,
    data_len: usize,
    mac: *const u8,
    mac_len: usize,
) -> paycore_result {
    guard(|| {
        let alg = mac_algorithm(algorithm)?;
        // SAFETY: caller contract.
        let key = unsafe { key_ref(key, "key") }?;
        // SAFETY: caller contract.
        let (data, mac) = unsafe {
            (
                bytes_arg(data, data_len, "data")?,
                bytes_arg(mac, mac_len, "mac")?,
            )
        };
        Ok(sec::verify_mac(alg, key, data, mac)?)
    })
}

// ------------------------------------------------------------------------------ sign-on

/// Unwraps the working keys of a CUP POS 0810 field 62 under the terminal master key `tmk`
/// and verifies each check value. `layout` is the F60.3 network-management code as a number
/// (1, 3 or 4). On success `*out_pin_key` and `*out_mac_key` receive new keys, and
/// `*out_track_key` the track key for layout 4 or NULL otherwise (`out_track_key` may be
/// NULL for layouts 1 and 3). All returned keys are released with `paycore_key_free`. A wrong
/// check value gives `PAYCORE_ERR_CHECK_VALUE` and writes nothing.
///
/// # Safety
/// `tmk` live; `field62` valid for `field62_len`; out-pointers valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_sign_on_unwrap(
    tmk: *const paycore_key,
    layout: u32,
    field62: *const u8,
    field62_len: usize,
    out_pin_key: *mut *mut paycore_key,
    out_mac_key: *mut *mut paycore_key,
    out_track_key: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let tmk = unsafe { key_ref(tmk, "tmk") }?;
        let l = sign_on_layout(layout)?;
        // SAFETY: caller contract.
        let f62 = unsafe { bytes_arg(field62, field62_len, "field62") }?;
        if out_pin_key.is_null() || out_mac_key.is_null() {
            return Err(FfiError::null("out_pin_key/out_mac_key"));
        }
        if l == SignOnLayout::DoubleLengthWithTrack && out_track_key.is_null() {
            return Err(FfiError::null("out_track_key"));
        }
        let keys = sec::unwrap_sign_on_keys(tmk, l, f62)?;
        let track = keys.track_key.clone().map_or(std::ptr::null_mut(), |k| {
            Box::into_raw(Box::new(paycore_key(k)))
        });
        // SAFETY: checked non-NULL above; the track pointer only when given.
        unsafe {
            key_out(out_pin_key, keys.pin_key.clone())?;
            key_out(out_mac_key, keys.mac_key.clone())?;
            if !out_track_key.is_null() {
                out_track_key.write(track);
            }
        }
        Ok(())
    })
}

/// Host side / tests: builds field 62 for `layout` (1, 3, 4) by encrypting the keys under
/// `tmk` and appending their 4-byte check values. `track_key` may be NULL except for
/// layout 4.
///
/// # Safety
/// Keys live or NULL as documented; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_sign_on_build_field62(
    tmk: *const paycore_key,
    layout: u32,
    pin_key: *const paycore_key,
    mac_key: *const paycore_key,
    track_key: *const paycore_key,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract (all keys).
        let (tmk, pin, mac) = unsafe {
            (
                key_ref(tmk, "tmk")?,
                key_ref(pin_key, "pin_key")?,
                key_ref(mac_key, "mac_key")?,
            )
        };
        // SAFETY: caller contract.
        let track = unsafe { track_key.as_ref() }.map(|k| k.0.clone());
        let l = sign_on_layout(layout)?;
        let keys = sec::WorkingKeys {
            pin_key: pin.clone(),
            mac_key: mac.clone(),
            track_key: track,
        };
        let f62 = sec::build_sign_on_field62(tmk, l, &keys)?;
        // SAFETY: caller contract.
        unsafe { bytes_out(&f62, buf, buf_len, out_len) }
    })
}

// ------------------------------------------------------------------------------ DUKPT

/// TDES DUKPT (X9.24-1): the IPEK from a 2-key TDES BDK and a 10-byte KSN.
///
/// # Safety
/// `bdk` live; `ksn` valid for `ksn_len`; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_tdes_ipek(
    bdk: *const paycore_key,
    ksn: *const u8,
    ksn_len: usize,
    out: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (bdk, ksn) = unsafe { (key_ref(bdk, "bdk")?, bytes_arg(ksn, ksn_len, "ksn")?) };
        let k = tdes::derive_ipek(bdk, &tdes::Ksn::new(ksn)?)?;
        // SAFETY: caller contract.
        unsafe { key_out(out, k) }
    })
}

/// TDES DUKPT host side: the transaction key (before variants) for the KSN's counter.
///
/// # Safety
/// `bdk` live; `ksn` valid for `ksn_len`; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_tdes_transaction_key(
    bdk: *const paycore_key,
    ksn: *const u8,
    ksn_len: usize,
    out: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (bdk, ksn) = unsafe { (key_ref(bdk, "bdk")?, bytes_arg(ksn, ksn_len, "ksn")?) };
        let k = tdes::transaction_key(bdk, &tdes::Ksn::new(ksn)?)?;
        // SAFETY: caller contract.
        unsafe { key_out(out, k) }
    })
}

/// TDES DUKPT: the usage key (`usage` a `paycore_dukpt_tdes_usage`) of a transaction key.
///
/// # Safety
/// `transaction_key` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_tdes_usage_key(
    transaction_key: *const paycore_key,
    usage: u32,
    out: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let tk = unsafe { key_ref(transaction_key, "transaction_key") }?;
        let k = tdes::usage_key(tk, tdes_usage(usage)?)?;
        // SAFETY: caller contract.
        unsafe { key_out(out, k) }
    })
}

/// Loads a TDES DUKPT terminal from its IPEK and initial KSN (10 bytes; counter ignored).
/// Release with `paycore_dukpt_tdes_terminal_free`.
///
/// # Safety
/// `ipek` live; `ksn` valid for `ksn_len`; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_tdes_terminal_load(
    ipek: *const paycore_key,
    ksn: *const u8,
    ksn_len: usize,
    out: *mut *mut paycore_dukpt_tdes_terminal,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (ipek, ksn) = unsafe { (key_ref(ipek, "ipek")?, bytes_arg(ksn, ksn_len, "ksn")?) };
        let t = tdes::TdesDukptTerminal::load(ipek, &tdes::Ksn::new(ksn)?)?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let raw = Box::into_raw(Box::new(paycore_dukpt_tdes_terminal(t)));
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, raw, "out") }
    })
}

/// Releases a TDES DUKPT terminal (registers wiped). NULL is ignored.
///
/// # Safety
/// `t` from `paycore_dukpt_tdes_terminal_load`, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_tdes_terminal_free(t: *mut paycore_dukpt_tdes_terminal) {
    guard_value((), || {
        if !t.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(t) });
        }
    })
}

/// Takes the key for the next transaction and advances the terminal: writes the 10-byte KSN
/// into `ksn_buf` and a new transaction key into `*out_key` (derive PIN/MAC keys with
/// `paycore_dukpt_tdes_usage_key`). `PAYCORE_ERR_DUKPT_EXHAUSTED` when the counter is used up.
///
/// # Safety
/// `t` live; `ksn_buf` valid for `ksn_buf_len`; `ksn_out_len` and `out_key` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_tdes_terminal_next(
    t: *mut paycore_dukpt_tdes_terminal,
    ksn_buf: *mut u8,
    ksn_buf_len: usize,
    ksn_out_len: *mut usize,
    out_key: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { t.as_mut() }.ok_or_else(|| FfiError::null("terminal"))?;
        if out_key.is_null() || ksn_out_len.is_null() {
            return Err(FfiError::null("out_key/ksn_out_len"));
        }
        if ksn_buf.is_null() || ksn_buf_len < 10 {
            // SAFETY: checked non-NULL.
            unsafe { ksn_out_len.write(10) };
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
                "output buffer needs 10 bytes",
            ));
        }
        let (ksn, key) = t.0.next_transaction()?;
        // SAFETY: checked above.
        unsafe {
            bytes_out(&ksn.0, ksn_buf, ksn_buf_len, ksn_out_len)?;
            key_out(out_key, key)
        }
    })
}

/// AES DUKPT (X9.24-3): the initial key from an AES BDK and a 12-byte KSN.
///
/// # Safety
/// `bdk` live; `ksn` valid for `ksn_len`; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_aes_initial_key(
    bdk: *const paycore_key,
    ksn: *const u8,
    ksn_len: usize,
    out: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (bdk, ksn) = unsafe { (key_ref(bdk, "bdk")?, bytes_arg(ksn, ksn_len, "ksn")?) };
        let k = adukpt::derive_initial_key(bdk, &adukpt::AesKsn::new(ksn)?)?;
        // SAFETY: caller contract.
        unsafe { key_out(out, k) }
    })
}

/// AES DUKPT host side: the working key for the KSN (12 bytes) of `usage` (a
/// `paycore_dukpt_aes_usage`) and type `key_type` (a `paycore_key_algorithm`).
///
/// # Safety
/// `bdk` live; `ksn` valid for `ksn_len`; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_dukpt_aes_working_key(
    bdk: *const paycore_key,
    ksn: *const u8,
    ksn_len: usize,
    usage: u32,
    key_type: u32,
    out: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (bdk, ksn) = unsafe { (key_ref(bdk, "bdk")?, bytes_arg(ksn, ksn_len, "ksn")?) };
        let k = adukpt::derive_working_key(
            bdk,
            &adukpt::AesKsn::new(ksn)?,
            aes_usage(usage)?,
            key_algorithm(key_type)?,
        )?;
        // SAFETY: caller contract.
        unsafe { key_out(out, k) }
    })
}

// ------------------------------------------------------------------------------ TR-31

/// Unwraps (decrypts and verifies) a TR-31 key block under the KBPK. On success `*out_key`
/// receives the clear key. A tampered block or wrong KBPK gives `PAYCORE_ERR_TR31_MAC`. Read
/// the header fields with `paycore_tr31_header_json`.
///
/// # Safety
/// `kbpk` live; `block` valid for `block_len`; `out_key` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tr31_unwrap(
    kbpk: *const paycore_key,
    block: *const c_char,
    block_len: usize,
    out_key: *mut *mut paycore_key,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (kbpk, block) =
            unsafe { (key_ref(kbpk, "kbpk")?, str_arg(block, block_len, "block")?) };
        let kb = tr31::unwrap(kbpk, block)?;
        // SAFETY: caller contract.
        unsafe { key_out(out_key, kb.key.clone()) }
    })
}

/// Parses the header of a TR-31 key block (no key needed, nothing verified) and writes it as
/// JSON: `{"version":"B","key_usage":"P0","algorithm":"T","mode_of_use":"E",
/// "key_version":"00","exportability":"E","reserved":"00","optional_blocks":[{"id":"KS",
/// "data":"…"}]}`.
///
/// # Safety
/// `block` valid for `block_len`; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tr31_header_json(
    block: *const c_char,
    block_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let block = unsafe { str_arg(block, block_len, "block") }?;
        let (hd, _) = tr31::Tr31Header::parse(block)?;
        let json = serde_json::to_string(&hd).map_err(|e| {
            FfiError::new(paycore_result::PAYCORE_ERR_INVALID_ARGUMENT, e.to_string())
        })?;
        // SAFETY: caller contract.
        unsafe { text_out(&json, buf, buf_len, out_len) }
    })
}

/// Wraps `key` under the KBPK into a TR-31 key block (text). `header` is a header template
/// such as "D0000P0AE00E0000" or one with optional blocks ("B0000P0TE00E0100KS18…"): its
/// length field and any `PB` block are ignored and recomputed. `masked_len` hides the key
/// length (0 = none); `random` supplies the padding from the caller's CSPRNG (32 bytes always
/// suffice without masking, 64 with `masked_len` up to 32).
///
/// # Safety
/// Keys live; pointer/length pairs valid; `buf` valid for `buf_len`; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_tr31_wrap(
    kbpk: *const paycore_key,
    header: *const c_char,
    header_len: usize,
    key: *const paycore_key,
    masked_len: usize,
    random: *const u8,
    random_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (kbpk, header, key, random) = unsafe {
            (
                key_ref(kbpk, "kbpk")?,
                str_arg(header, header_len, "header")?,
                key_ref(key, "key")?,
                bytes_arg(random, random_len, "random")?,
            )
        };
        let (hd, _) = tr31::Tr31Header::parse(header)?;
        let block = tr31::wrap(kbpk, &hd, key, masked_len, random)?;
        // SAFETY: caller contract.
        unsafe { text_out(&block, buf, buf_len, out_len) }
    })
}
