//! Key check values: the short fingerprints exchanged with keys so both ends can confirm
//! they hold the same key without revealing it.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::{Key, SecurityError};

/// How a check value is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KcvMethod {
    /// X9.24-1 A.2: encrypt one zero block, keep the first `len` bytes (3 classic, 4 in CUP
    /// sign-on, 2 in some tools, 8 for the CUP SM4 hierarchy).
    Legacy {
        /// Bytes kept (1 to the block size).
        len: usize,
    },
    /// X9.24-1:2017 A.3: CMAC over one zero block, first 5 bytes (TR-31 version D, AES keys).
    Cmac,
}

/// Legacy check value: `E_K(0…0)` truncated to `len` bytes.
pub fn kcv_legacy(key: &Key, len: usize) -> Result<Vec<u8>, SecurityError> {
    let engine = key.engine();
    let n = engine.block_len();
    if len == 0 || len > n {
        return Err(SecurityError::InvalidLength {
            what: "check value length",
            expected: "1 to the cipher block size",
            actual: len,
        });
    }
    let mut block = [0u8; 16];
    engine.encrypt(&mut block[..n]);
    Ok(block[..len].to_vec())
}

/// CMAC-based check value (5 bytes).
pub fn kcv_cmac(key: &Key) -> Result<[u8; 5], SecurityError> {
    let engine = key.engine();
    let zeros = [0u8; 16];
    let mac = engine.cmac(&zeros[..engine.block_len()]);
    let mut out = [0u8; 5];
    out.copy_from_slice(&mac[..5]);
    Ok(out)
}

/// The CUP SM4 check value: first 8 bytes of `SM4(K, 16 × 00)`.
pub fn kcv_sm4(key: &Key) -> Result<[u8; 8], SecurityError> {
    if key.algorithm() != super::KeyAlgorithm::Sm4 {
        return Err(SecurityError::UnsupportedAlgorithm {
            operation: "SM4 check value",
            algorithm: key.algorithm(),
        });
    }
    let v = kcv_legacy(key, 8)?;
    let mut out = [0u8; 8];
    out.copy_from_slice(&v);
    Ok(out)
}

/// Computes a check value by `method`.
pub fn check_value(key: &Key, method: KcvMethod) -> Result<Vec<u8>, SecurityError> {
    match method {
        KcvMethod::Legacy { len } => kcv_legacy(key, len),
        KcvMethod::Cmac => kcv_cmac(key).map(|k| k.to_vec()),
    }
}

/// Checks `expected` against the key's check value in constant time. A shorter `expected`
/// (at least 2 bytes) is compared against the same-length prefix, as CUP sends 4 of 8.
/// `which` names the key in the error (e.g. "PIN key").
pub fn verify_check_value(
    key: &Key,
    method: KcvMethod,
    expected: &[u8],
    which: &'static str,
) -> Result<(), SecurityError> {
    let actual = check_value(key, method)?;
    if expected.len() < 2 || expected.len() > actual.len() {
        return Err(SecurityError::CheckValueMismatch { key: which });
    }
    if bool::from(actual[..expected.len()].ct_eq(expected)) {
        Ok(())
    } else {
        Err(SecurityError::CheckValueMismatch { key: which })
    }
}
