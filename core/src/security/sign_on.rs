//! Working keys delivered in a UnionPay POS sign-on response (0810 field 62).
//!
//! The host sends the PIN key, the MAC key and optionally the track-data key encrypted
//! under the terminal master key (TMK), each followed by a 4-byte check value. The layout
//! depends on the network-management code the terminal sent in F60.3.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::kcv::{KcvMethod, verify_check_value};
use super::{Key, KeyAlgorithm, SecurityError};

/// Length of each check value in field 62.
const CV_LEN: usize = 4;

/// The field 62 layouts, named by F60.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignOnLayout {
    /// `001`: single-DES PIK(8)+CV(4)+MAK(8)+CV(4) = 24 bytes.
    SingleDes,
    /// `003`: PIK(16)+CV(4)+MAK(16)+CV(4) = 40 bytes.
    DoubleLength,
    /// `004`: as `003` followed by TDK(16)+CV(4) = 60 bytes.
    DoubleLengthWithTrack,
}

impl SignOnLayout {
    /// The layout for an F60.3 network-management code (`001`, `003`, `004`).
    pub fn from_code(code: &str) -> Result<SignOnLayout, SecurityError> {
        match code {
            "001" => Ok(SignOnLayout::SingleDes),
            "003" => Ok(SignOnLayout::DoubleLength),
            "004" => Ok(SignOnLayout::DoubleLengthWithTrack),
            other => Err(SecurityError::UnknownSignOnCode {
                code: other.chars().take(8).collect(),
            }),
        }
    }

    /// The F60.3 code.
    pub fn code(self) -> &'static str {
        match self {
            SignOnLayout::SingleDes => "001",
            SignOnLayout::DoubleLength => "003",
            SignOnLayout::DoubleLengthWithTrack => "004",
        }
    }

    /// Field 62 length in bytes.
    pub fn field_len(self) -> usize {
        match self {
            SignOnLayout::SingleDes => 24,
            SignOnLayout::DoubleLength => 40,
            SignOnLayout::DoubleLengthWithTrack => 60,
        }
    }

    fn key_len(self) -> usize {
        match self {
            SignOnLayout::SingleDes => 8,
            _ => 16,
        }
    }
}

/// The clear working keys after a successful sign-on.
#[derive(Clone)]
pub struct WorkingKeys {
    /// PIN encryption key (PIK / TPK).
    pub pin_key: Key,
    /// MAC key (MAK / TAK). Single DES when the host sends an 8-byte MAK.
    pub mac_key: Key,
    /// Track-data key (TDK), present with layout `004`.
    pub track_key: Option<Key>,
}

impl fmt::Debug for WorkingKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkingKeys")
            .field("pin_key", &self.pin_key)
            .field("mac_key", &self.mac_key)
            .field("track_key", &self.track_key)
            .finish()
    }
}

/// Decrypts one key slot under the TMK (ECB) and checks its 4-byte check value.
fn unwrap_slot(
    tmk: &Key,
    slot: &[u8],
    cv: &[u8],
    which: &'static str,
    allow_single_mak: bool,
) -> Result<Key, SecurityError> {
    let engine = tmk.engine();
    let block = engine.block_len();
    let mut clear = Zeroizing::new(slot.to_vec());
    let sm4 = tmk.algorithm() == KeyAlgorithm::Sm4;
    // A 16-byte MAK slot may be an 8-byte key followed by 8 zero bytes, either sent in the
    // clear (zeros on the wire) or encrypted (zeros after decryption); either way the MAK is
    // single DES and its check value is computed with single DES (go8583 behaviour).
    let wire_tail_zero = allow_single_mak && !sm4 && slot.len() == 16 && slot[8..] == [0u8; 8];
    if wire_tail_zero {
        engine.decrypt_ecb(&mut clear[..8]);
    } else {
        if !clear.len().is_multiple_of(block) {
            return Err(SecurityError::UnsupportedAlgorithm {
                operation: "sign-on key unwrap with this TMK",
                algorithm: tmk.algorithm(),
            });
        }
        engine.decrypt_ecb(&mut clear);
    }
    let key = if sm4 {
        Key::new(KeyAlgorithm::Sm4, &clear)?
    } else if (wire_tail_zero || clear[8..].iter().all(|&b| b == 0)) && allow_single_mak
        || clear.len() == 8
    {
        Key::new(KeyAlgorithm::Des, &clear[..8])?
    } else {
        Key::des(&clear)?
    };
    verify_check_value(&key, KcvMethod::Legacy { len: CV_LEN }, cv, which)?;
    Ok(key)
}

/// Unwraps the working keys of a sign-on response's field 62 under the TMK and verifies every
/// check value. The TMK is DES/TDES (keys decrypted with DES-ECB/TDES-ECB) or SM4 (the UnionPay
/// SM key hierarchy, same layouts with 16-byte SM4 keys and the first 4 bytes of the SM4 check
/// value).
pub fn unwrap_sign_on_keys(
    tmk: &Key,
    layout: SignOnLayout,
    field62: &[u8],
) -> Result<WorkingKeys, SecurityError> {
    if field62.len() != layout.field_len() {
        return Err(SecurityError::InvalidLength {
            what: "field 62 for this sign-on layout",
            expected: match layout {
                SignOnLayout::SingleDes => "24 bytes",
                SignOnLayout::DoubleLength => "40 bytes",
                SignOnLayout::DoubleLengthWithTrack => "60 bytes",
            },
            actual: field62.len(),
        });
    }
    if !(tmk.algorithm().is_des_family() || tmk.algorithm() == KeyAlgorithm::Sm4)
        || (layout == SignOnLayout::SingleDes && tmk.algorithm() == KeyAlgorithm::Sm4)
    {
        return Err(SecurityError::UnsupportedAlgorithm {
            operation: "sign-on key unwrap",
            algorithm: tmk.algorithm(),
        });
    }
    let k = layout.key_len();
    let slot = k + CV_LEN;
    let part = |i: usize| {
        let s = &field62[i * slot..(i + 1) * slot];
        (&s[..k], &s[k..])
    };
    let (pik, pik_cv) = part(0);
    let pin_key = unwrap_slot(tmk, pik, pik_cv, "PIN key", false)?;
    let (mak, mak_cv) = part(1);
    let mac_key = unwrap_slot(tmk, mak, mak_cv, "MAC key", true)?;
    let track_key = if layout == SignOnLayout::DoubleLengthWithTrack {
        let (tdk, tdk_cv) = part(2);
        Some(unwrap_slot(tmk, tdk, tdk_cv, "track key", false)?)
    } else {
        None
    };
    Ok(WorkingKeys {
        pin_key,
        mac_key,
        track_key,
    })
}

/// Host side / test helper: builds field 62 for `layout` by encrypting the keys under the TMK
/// and appending their 4-byte check values. For layouts 003/004 a single-DES MAK is sent as
/// its encrypted 8 bytes followed by 8 encrypted zero bytes.
pub fn build_sign_on_field62(
    tmk: &Key,
    layout: SignOnLayout,
    keys: &WorkingKeys,
) -> Result<Vec<u8>, SecurityError> {
    let engine = tmk.engine();
    let mut out = Vec::with_capacity(layout.field_len());
    let mut push = |key: &Key, slot_len: usize| -> Result<(), SecurityError> {
        let mut clear = Zeroizing::new(vec![0u8; slot_len]);
        let kb = key.expose_bytes();
        if kb.len() > slot_len {
            return Err(SecurityError::InvalidKeyLength {
                algorithm: key.algorithm(),
                expected: slot_len,
                actual: kb.len(),
            });
        }
        clear[..kb.len()].copy_from_slice(kb);
        if !slot_len.is_multiple_of(engine.block_len()) {
            return Err(SecurityError::UnsupportedAlgorithm {
                operation: "sign-on key wrap with this TMK",
                algorithm: tmk.algorithm(),
            });
        }
        engine.encrypt_ecb(&mut clear);
        out.extend_from_slice(&clear);
        out.extend_from_slice(&super::kcv::kcv_legacy(key, CV_LEN)?);
        Ok(())
    };
    push(&keys.pin_key, layout.key_len())?;
    push(&keys.mac_key, layout.key_len())?;
    if layout == SignOnLayout::DoubleLengthWithTrack {
        let tdk = keys
            .track_key
            .as_ref()
            .ok_or(SecurityError::InvalidLength {
                what: "track key for layout 004",
                expected: "present",
                actual: 0,
            })?;
        push(tdk, layout.key_len())?;
    }
    Ok(out)
}
