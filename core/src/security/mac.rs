//! Message authentication codes used on card-acquiring links.
//!
//! X9.9 and X9.19 are ISO 9797-1 algorithms 1 and 3 with padding method 1; the UnionPay POS
//! "ECB" MAC is a proprietary construction over the XOR of the message blocks; CMAC is the
//! modern choice for AES and TDES. Which one a link uses is configuration, so
//! [`MacAlgorithm`] names them all and [`compute_mac`] / [`verify_mac`] dispatch.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::des::DesCipher;
use super::key::xor_into;
use super::{Key, KeyAlgorithm, SecurityError};

/// The MAC algorithms paycore computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MacAlgorithm {
    /// ANSI X9.9 / ISO 9797-1 algorithm 1: single-DES CBC-MAC, zero padding (8 bytes).
    X99,
    /// ANSI X9.19 retail MAC / ISO 9797-1 algorithm 3 with a double-length key (8 bytes).
    X919,
    /// UnionPay POS "ECB" MAC: 8 ASCII hex characters (DES or TDES key).
    CupEcb,
    /// UnionPay SM4 variant, F64 = first 8 bytes of the final block (binary).
    CupSm4Binary,
    /// UnionPay SM4 variant, F64 = first 8 hex characters of the final block (ASCII).
    CupSm4Hex,
    /// CMAC (NIST SP 800-38B) under any supported key; full block.
    Cmac,
}

impl MacAlgorithm {
    /// Parses the CLI names (`x9.9`, `x9.19`, `cup-ecb`, `cup-sm4`, `cup-sm4-hex`, `cmac`).
    pub fn from_name(name: &str) -> Option<MacAlgorithm> {
        Some(match name.to_ascii_lowercase().as_str() {
            "x9.9" | "x99" | "iso9797-1" => MacAlgorithm::X99,
            "x9.19" | "x919" | "iso9797-3" | "retail" => MacAlgorithm::X919,
            "cup-ecb" | "ecb" => MacAlgorithm::CupEcb,
            "cup-sm4" | "cup-sm4-binary" => MacAlgorithm::CupSm4Binary,
            "cup-sm4-hex" => MacAlgorithm::CupSm4Hex,
            "cmac" => MacAlgorithm::Cmac,
            _ => return None,
        })
    }
}

fn unsupported(operation: &'static str, key: &Key) -> SecurityError {
    SecurityError::UnsupportedAlgorithm {
        operation,
        algorithm: key.algorithm(),
    }
}

/// Zero-pads to whole blocks (ISO 9797-1 padding method 1; empty data → one zero block) and
/// runs the CBC-MAC chain, returning the last chaining value before any final transform.
fn cbc_mac_chain(encrypt: impl Fn(&mut [u8; 8]), data: &[u8]) -> [u8; 8] {
    let mut state = [0u8; 8];
    let mut chunks = data.chunks(8).peekable();
    if chunks.peek().is_none() {
        encrypt(&mut state);
    }
    for chunk in chunks {
        xor_into(&mut state, chunk);
        encrypt(&mut state);
    }
    state
}

/// ANSI X9.9: single-DES CBC-MAC with zero padding. Takes an 8-byte DES key.
pub fn x99_mac(key: &Key, data: &[u8]) -> Result<[u8; 8], SecurityError> {
    match key.des_cipher() {
        Some(DesCipher::Des(k)) => Ok(cbc_mac_chain(|b| k.encrypt_block(b), data)),
        _ => Err(unsupported("X9.9 MAC (needs a single-DES key)", key)),
    }
}

/// ANSI X9.19 retail MAC: DES-CBC under K_L, then `E_KL(D_KR(·))` on the final block.
/// Takes a 16-byte TDES key (K_L ‖ K_R); an 8-byte key degenerates to X9.9.
pub fn x919_mac(key: &Key, data: &[u8]) -> Result<[u8; 8], SecurityError> {
    match key.des_cipher() {
        Some(DesCipher::Des(_)) => x99_mac(key, data),
        // The halves' schedules are the ones the key already holds: no re-keying per MAC.
        Some(DesCipher::Tdes2(left, right)) => {
            let mut state = cbc_mac_chain(|b| left.encrypt_block(b), data);
            right.decrypt_block(&mut state);
            left.encrypt_block(&mut state);
            Ok(state)
        }
        _ => Err(unsupported(
            "X9.19 MAC (needs a DES or 2-key TDES key)",
            key,
        )),
    }
}

fn hex_upper(bytes: &[u8], out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 0x0F) as usize];
    }
}

/// XOR of all `n`-byte blocks of the zero-padded data.
fn xor_blocks<const N: usize>(data: &[u8]) -> [u8; N] {
    let mut r = [0u8; N];
    for chunk in data.chunks(N) {
        xor_into(&mut r, chunk);
    }
    r
}

/// The UnionPay POS "ECB" MAC over the MAC block (MTI up to the field before F64): XOR the
/// 8-byte blocks, hex-expand, `E(H[0..8]) ⊕ H[8..16]`, encrypt, and return the first 8
/// upper-case hex characters as ASCII bytes. The key is DES or TDES.
pub fn cup_ecb_mac(key: &Key, data: &[u8]) -> Result<[u8; 8], SecurityError> {
    match key.des_cipher() {
        Some(cipher) => Ok(cup_ecb_mac_with(cipher, data)),
        None => Err(unsupported("CUP ECB MAC (needs a DES or TDES key)", key)),
    }
}

/// [`cup_ecb_mac`] under a DES/TDES schedule.
fn cup_ecb_mac_with(cipher: &DesCipher, data: &[u8]) -> [u8; 8] {
    let r: [u8; 8] = xor_blocks(data);
    let mut h = [0u8; 16];
    hex_upper(&r, &mut h);
    let mut t = [0u8; 8];
    t.copy_from_slice(&h[..8]);
    cipher.encrypt_block(&mut t);
    xor_into(&mut t, &h[8..]);
    cipher.encrypt_block(&mut t);
    let mut e = [0u8; 16];
    hex_upper(&t, &mut e);
    let mut out = [0u8; 8];
    out.copy_from_slice(&e[..8]);
    out
}

/// A DES/TDES key schedule kept for the CUP ECB MAC, for callers that MAC many messages under
/// one key without holding a [`Key`] (the lifecycle's MAC key caches one). The schedule
/// wipes its round keys on drop.
pub(crate) struct CupEcbMacEngine(DesCipher);

impl CupEcbMacEngine {
    /// Takes a copy of the key's schedule; the key must be DES or TDES (8-byte blocks).
    pub(crate) fn new(key: &Key) -> Result<Self, SecurityError> {
        match key.des_cipher() {
            Some(cipher) => Ok(CupEcbMacEngine(cipher.clone())),
            None => Err(unsupported("CUP ECB MAC (needs a DES or TDES key)", key)),
        }
    }

    /// [`cup_ecb_mac`] of `data`.
    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 8] {
        cup_ecb_mac_with(&self.0, data)
    }
}

/// The final 16-byte block of the UnionPay SM4 MAC (before the output choice).
fn cup_sm4_block(key: &Key, data: &[u8]) -> Result<[u8; 16], SecurityError> {
    if key.algorithm() != KeyAlgorithm::Sm4 {
        return Err(unsupported("CUP SM4 MAC (needs an SM4 key)", key));
    }
    let engine = key.engine();
    let r: [u8; 16] = xor_blocks(data);
    let mut h = [0u8; 32];
    hex_upper(&r, &mut h);
    let mut t = [0u8; 16];
    t.copy_from_slice(&h[..16]);
    engine.encrypt(&mut t);
    xor_into(&mut t, &h[16..]);
    engine.encrypt(&mut t);
    Ok(t)
}

/// UnionPay SM4 MAC, F64 as the first 8 bytes of the final block (binary).
pub fn cup_sm4_mac(key: &Key, data: &[u8]) -> Result<[u8; 8], SecurityError> {
    let t = cup_sm4_block(key, data)?;
    let mut out = [0u8; 8];
    out.copy_from_slice(&t[..8]);
    Ok(out)
}

/// UnionPay SM4 MAC, F64 as the first 8 upper-case hex characters of the final block.
pub fn cup_sm4_mac_hex(key: &Key, data: &[u8]) -> Result<[u8; 8], SecurityError> {
    let t = cup_sm4_block(key, data)?;
    let mut e = [0u8; 16];
    hex_upper(&t[..8], &mut e);
    let mut out = [0u8; 8];
    out.copy_from_slice(&e[..8]);
    Ok(out)
}

/// CMAC over `data` under any supported key (8 bytes for TDES/DES, 16 for AES/SM4).
pub fn cmac(key: &Key, data: &[u8]) -> Vec<u8> {
    key.engine().cmac(data)
}

/// Computes the MAC of `data` with the chosen algorithm (full length; truncate as the
/// protocol requires).
pub fn compute_mac(alg: MacAlgorithm, key: &Key, data: &[u8]) -> Result<Vec<u8>, SecurityError> {
    Ok(match alg {
        MacAlgorithm::X99 => x99_mac(key, data)?.to_vec(),
        MacAlgorithm::X919 => x919_mac(key, data)?.to_vec(),
        MacAlgorithm::CupEcb => cup_ecb_mac(key, data)?.to_vec(),
        MacAlgorithm::CupSm4Binary => cup_sm4_mac(key, data)?.to_vec(),
        MacAlgorithm::CupSm4Hex => cup_sm4_mac_hex(key, data)?.to_vec(),
        MacAlgorithm::Cmac => cmac(key, data),
    })
}

/// Verifies `mac` in constant time. A truncated MAC (at least 4 bytes, e.g. the 4-byte X9.9
/// MAC) is compared against the same-length prefix.
pub fn verify_mac(
    alg: MacAlgorithm,
    key: &Key,
    data: &[u8],
    mac: &[u8],
) -> Result<(), SecurityError> {
    let expected = compute_mac(alg, key, data)?;
    if mac.len() < 4 || mac.len() > expected.len() {
        return Err(SecurityError::MacMismatch);
    }
    if bool::from(expected[..mac.len()].ct_eq(mac)) {
        Ok(())
    } else {
        Err(SecurityError::MacMismatch)
    }
}
