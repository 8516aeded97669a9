//! ISO 9564-1 PIN blocks (formats 0–4) and the UnionPay SM4 PIN-block layouts.
//!
//! A PIN never travels alone: it is packed into a block that binds it to the card (formats 0,
//! 3, 4 mix in the PAN) and is then encrypted under the PIN key. Randomness for formats 1, 3
//! and 4 is an argument because the core has no RNG; pass bytes from a CSPRNG.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::key::xor_into;
use super::{Key, KeyAlgorithm, SecurityError};

/// ISO 9564-1 PIN block formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PinBlockFormat {
    /// Format 0 (ANSI X9.8): PIN padded with `F`, XORed with 12 PAN digits. CUP POS F52.
    Iso0,
    /// Format 1: PIN plus transaction-unique fill, no PAN.
    Iso1,
    /// Format 2: PIN padded with `F`, no PAN; ICC offline PIN.
    Iso2,
    /// Format 3: like format 0 with random `A`–`F` fill.
    Iso3,
    /// Format 4: 16-byte AES block, PAN bound by double encryption.
    Iso4,
}

impl PinBlockFormat {
    /// The format number, which is also the block's control nibble.
    pub const fn number(self) -> u8 {
        match self {
            PinBlockFormat::Iso0 => 0,
            PinBlockFormat::Iso1 => 1,
            PinBlockFormat::Iso2 => 2,
            PinBlockFormat::Iso3 => 3,
            PinBlockFormat::Iso4 => 4,
        }
    }

    /// The format for a number 0–4.
    pub fn from_number(n: u8) -> Option<PinBlockFormat> {
        Some(match n {
            0 => PinBlockFormat::Iso0,
            1 => PinBlockFormat::Iso1,
            2 => PinBlockFormat::Iso2,
            3 => PinBlockFormat::Iso3,
            4 => PinBlockFormat::Iso4,
            _ => return None,
        })
    }

    /// Whether the block is bound to the PAN.
    pub const fn needs_pan(self) -> bool {
        matches!(
            self,
            PinBlockFormat::Iso0 | PinBlockFormat::Iso3 | PinBlockFormat::Iso4
        )
    }

    /// Clear block length in bytes (8, or 16 for format 4).
    pub const fn block_len(self) -> usize {
        match self {
            PinBlockFormat::Iso4 => 16,
            _ => 8,
        }
    }

    /// How many random bytes [`PinBlock::build`] consumes for a PIN of `pin_len` digits.
    pub const fn random_len(self, pin_len: usize) -> usize {
        match self {
            PinBlockFormat::Iso1 | PinBlockFormat::Iso3 => 14usize.saturating_sub(pin_len),
            PinBlockFormat::Iso4 => 8,
            _ => 0,
        }
    }
}

/// A clear PIN, wiped on drop and never printed.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Pin(String);

impl Pin {
    /// Validates a PIN: 4 to 12 decimal digits.
    pub fn new(pin: &str) -> Result<Pin, SecurityError> {
        validate_pin(pin)?;
        Ok(Pin(pin.to_owned()))
    }

    /// The digits. Named loudly so every use stands out in review.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin(<{} digits>)", self.0.len())
    }
}

/// A clear (not yet encrypted) PIN block with what is needed to encrypt and recover it.
///
/// For formats 0–3 the first 8 bytes of `block` are the clear PIN block (already XORed with
/// the PAN field for 0 and 3). For format 4 `block` is the 16-byte plaintext PIN field and
/// `pan_field` the 16-byte PAN field mixed in during encryption.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PinBlock {
    #[zeroize(skip)]
    format: PinBlockFormat,
    block: [u8; 16],
    pan_field: [u8; 16],
}

impl fmt::Debug for PinBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinBlock")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

fn validate_pin(pin: &str) -> Result<(), SecurityError> {
    if let Some(offset) = pin.bytes().position(|b| !b.is_ascii_digit()) {
        return Err(SecurityError::PinNotDigits { offset });
    }
    if !(4..=12).contains(&pin.len()) {
        return Err(SecurityError::PinLength { length: pin.len() });
    }
    Ok(())
}

fn validate_pan(pan: &str, min: usize) -> Result<(), SecurityError> {
    if let Some(offset) = pan.bytes().position(|b| !b.is_ascii_digit()) {
        return Err(SecurityError::PanNotDigits { offset });
    }
    if pan.len() < min || pan.len() > 19 {
        return Err(SecurityError::PanLength {
            length: pan.len(),
            min,
            max: 19,
        });
    }
    Ok(())
}

fn set_nibble(buf: &mut [u8], i: usize, v: u8) {
    let b = &mut buf[i / 2];
    if i.is_multiple_of(2) {
        *b = (*b & 0x0F) | (v << 4);
    } else {
        *b = (*b & 0xF0) | (v & 0x0F);
    }
}

fn nibble(buf: &[u8], i: usize) -> u8 {
    let b = buf[i / 2];
    if i.is_multiple_of(2) {
        b >> 4
    } else {
        b & 0x0F
    }
}

/// The format 0/3 PAN field (`0000` + 12 rightmost digits without the check digit), laid out
/// in `width` nibbles (16 for ISO, 32 for the SM4 wide layout), right-aligned.
fn pan_field_12(pan: &str, width: usize) -> Result<[u8; 16], SecurityError> {
    validate_pan(pan, 13)?;
    let digits = &pan.as_bytes()[pan.len() - 13..pan.len() - 1];
    let mut out = [0u8; 16];
    for (i, d) in digits.iter().enumerate() {
        set_nibble(&mut out, width - 12 + i, d - b'0');
    }
    Ok(out)
}

/// The format 4 PAN field: `M` ‖ PAN (12 + M digits, left-zero-padded to 12) ‖ zero nibbles.
fn pan_field_iso4(pan: &str) -> Result<[u8; 16], SecurityError> {
    validate_pan(pan, 1)?;
    let m = pan.len().saturating_sub(12);
    let mut out = [0u8; 16];
    set_nibble(&mut out, 0, m as u8);
    let pad = 12usize.saturating_sub(pan.len());
    for (i, d) in pan.bytes().enumerate() {
        set_nibble(&mut out, 1 + pad + i, d - b'0');
    }
    Ok(out)
}

fn require_pan(format: PinBlockFormat, pan: Option<&str>) -> Result<&str, SecurityError> {
    pan.ok_or(SecurityError::PanRequired {
        format: format.number(),
    })
}

impl PinBlock {
    /// Builds the clear PIN block. `pan` is required for formats 0, 3 and 4 (ignored
    /// otherwise); `random` must hold at least [`PinBlockFormat::random_len`] bytes for
    /// formats 1, 3 and 4 (ignored otherwise).
    pub fn build(
        format: PinBlockFormat,
        pin: &str,
        pan: Option<&str>,
        random: &[u8],
    ) -> Result<PinBlock, SecurityError> {
        validate_pin(pin)?;
        let needed = format.random_len(pin.len());
        if random.len() < needed {
            return Err(SecurityError::RandomTooShort {
                format: format.number(),
                needed,
                got: random.len(),
            });
        }
        let mut block = [0u8; 16];
        set_nibble(&mut block, 0, format.number());
        set_nibble(&mut block, 1, pin.len() as u8);
        for (i, d) in pin.bytes().enumerate() {
            set_nibble(&mut block, 2 + i, d - b'0');
        }
        for (k, i) in (2 + pin.len()..16).enumerate() {
            let fill = match format {
                PinBlockFormat::Iso0 | PinBlockFormat::Iso2 => 0xF,
                PinBlockFormat::Iso1 => random[k] & 0x0F,
                PinBlockFormat::Iso3 => 0xA + random[k] % 6,
                PinBlockFormat::Iso4 => 0xA,
            };
            set_nibble(&mut block, i, fill);
        }
        let mut pan_field = [0u8; 16];
        match format {
            PinBlockFormat::Iso0 | PinBlockFormat::Iso3 => {
                pan_field = pan_field_12(require_pan(format, pan)?, 16)?;
                xor_into(&mut block[..8], &pan_field[..8]);
            }
            PinBlockFormat::Iso4 => {
                pan_field = pan_field_iso4(require_pan(format, pan)?)?;
                block[8..].copy_from_slice(&random[..8]);
            }
            PinBlockFormat::Iso1 | PinBlockFormat::Iso2 => {}
        }
        Ok(PinBlock {
            format,
            block,
            pan_field,
        })
    }

    /// Wraps clear PIN-block bytes (8, or 16 for format 4) and checks them, so a bad block is
    /// rejected here rather than at recovery.
    pub fn from_clear(
        format: PinBlockFormat,
        bytes: &[u8],
        pan: Option<&str>,
    ) -> Result<PinBlock, SecurityError> {
        if bytes.len() != format.block_len() {
            return Err(SecurityError::InvalidLength {
                what: "clear PIN block",
                expected: if format == PinBlockFormat::Iso4 {
                    "16 bytes"
                } else {
                    "8 bytes"
                },
                actual: bytes.len(),
            });
        }
        let pan_field = match format {
            PinBlockFormat::Iso0 | PinBlockFormat::Iso3 => {
                pan_field_12(require_pan(format, pan)?, 16)?
            }
            PinBlockFormat::Iso4 => pan_field_iso4(require_pan(format, pan)?)?,
            _ => [0u8; 16],
        };
        let mut block = [0u8; 16];
        block[..bytes.len()].copy_from_slice(bytes);
        let pb = PinBlock {
            format,
            block,
            pan_field,
        };
        pb.recover()?;
        Ok(pb)
    }

    /// The format.
    pub fn format(&self) -> PinBlockFormat {
        self.format
    }

    /// The clear block bytes (8; for format 4 the 16-byte plaintext PIN field).
    pub fn expose_bytes(&self) -> &[u8] {
        &self.block[..self.format.block_len()]
    }

    /// Recovers and validates the PIN (control nibble, length nibble, digits, filler).
    pub fn recover(&self) -> Result<Pin, SecurityError> {
        let mut field = Zeroizing::new(self.block);
        if matches!(self.format, PinBlockFormat::Iso0 | PinBlockFormat::Iso3) {
            xor_into(&mut field[..8], &self.pan_field[..8]);
        }
        decode_pin_field(&field[..8], self.format.number(), 16, |i, v| {
            filler_ok(self.format, i, v)
        })
    }

    /// Encrypts the block: single-block ECB under a DES-family key for formats 0–3;
    /// `E_K(E_K(PIN field) ⊕ PAN field)` under an AES key for format 4.
    pub fn encrypt(&self, key: &Key) -> Result<Vec<u8>, SecurityError> {
        self.check_key(key)?;
        let engine = key.engine();
        let n = self.format.block_len();
        let mut out = self.block[..n].to_vec();
        engine.encrypt(&mut out);
        if self.format == PinBlockFormat::Iso4 {
            xor_into(&mut out, &self.pan_field);
            engine.encrypt(&mut out);
        }
        Ok(out)
    }

    /// Decrypts an encrypted PIN block and validates it; recover the PIN with
    /// [`PinBlock::recover`].
    pub fn decrypt(
        format: PinBlockFormat,
        key: &Key,
        encrypted: &[u8],
        pan: Option<&str>,
    ) -> Result<PinBlock, SecurityError> {
        let probe = PinBlock {
            format,
            block: [0; 16],
            pan_field: [0; 16],
        };
        probe.check_key(key)?;
        if encrypted.len() != format.block_len() {
            return Err(SecurityError::InvalidLength {
                what: "encrypted PIN block",
                expected: if format == PinBlockFormat::Iso4 {
                    "16 bytes"
                } else {
                    "8 bytes"
                },
                actual: encrypted.len(),
            });
        }
        let engine = key.engine();
        let mut clear = Zeroizing::new(encrypted.to_vec());
        engine.decrypt(&mut clear);
        if format == PinBlockFormat::Iso4 {
            let pan_field = pan_field_iso4(require_pan(format, pan)?)?;
            xor_into(&mut clear, &pan_field);
            engine.decrypt(&mut clear);
        }
        PinBlock::from_clear(format, &clear, pan)
    }

    fn check_key(&self, key: &Key) -> Result<(), SecurityError> {
        let ok = if self.format == PinBlockFormat::Iso4 {
            key.algorithm().is_aes()
        } else {
            key.algorithm().is_des_family()
        };
        if ok {
            Ok(())
        } else {
            Err(SecurityError::UnsupportedAlgorithm {
                operation: "PIN block encryption in this ISO format",
                algorithm: key.algorithm(),
            })
        }
    }
}

fn filler_ok(format: PinBlockFormat, _nibble: usize, v: u8) -> bool {
    match format {
        PinBlockFormat::Iso0 | PinBlockFormat::Iso2 => v == 0xF,
        PinBlockFormat::Iso1 => true,
        PinBlockFormat::Iso3 => v >= 0xA,
        PinBlockFormat::Iso4 => v == 0xA,
    }
}

/// Decodes a PIN field `C N P…P fill…` of `width` nibbles.
fn decode_pin_field(
    field: &[u8],
    control: u8,
    width: usize,
    filler: impl Fn(usize, u8) -> bool,
) -> Result<Pin, SecurityError> {
    let c = nibble(field, 0);
    if c != control {
        return Err(SecurityError::PinBlockControl {
            expected: control,
            found: c,
        });
    }
    let n = nibble(field, 1) as usize;
    if !(4..=12).contains(&n) {
        return Err(SecurityError::PinBlockPinLength { found: n as u8 });
    }
    let mut pin = Zeroizing::new(String::with_capacity(12));
    for i in 2..2 + n {
        let d = nibble(field, i);
        if d > 9 {
            return Err(SecurityError::PinBlockDigit { nibble: i });
        }
        pin.push((b'0' + d) as char);
    }
    for i in 2 + n..width {
        if !filler(i, nibble(field, i)) {
            return Err(SecurityError::PinBlockFiller {
                format: control,
                nibble: i,
            });
        }
    }
    Ok(Pin(pin.as_str().to_owned()))
}

/// The two SM4 PIN-block layouts in UnionPay use; which one an acquirer expects must be
/// confirmed with it, so it is an explicit choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sm4PinLayout {
    /// The 8-byte ISO format-0 block right-padded with 8 × `00`, then SM4-ECB.
    Iso0Padded,
    /// A 16-byte block: PIN field `0 N P…P F…F` over 32 nibbles ⊕ 20 zero nibbles + 12 PAN
    /// digits (without the check digit), then SM4-ECB.
    Wide,
}

fn require_sm4(key: &Key) -> Result<(), SecurityError> {
    if key.algorithm() == KeyAlgorithm::Sm4 {
        Ok(())
    } else {
        Err(SecurityError::UnsupportedAlgorithm {
            operation: "SM4 PIN block",
            algorithm: key.algorithm(),
        })
    }
}

/// Builds and SM4-encrypts a UnionPay PIN block.
pub fn sm4_encrypt_pin(
    key: &Key,
    layout: Sm4PinLayout,
    pin: &str,
    pan: &str,
) -> Result<[u8; 16], SecurityError> {
    require_sm4(key)?;
    let mut block = Zeroizing::new([0u8; 16]);
    match layout {
        Sm4PinLayout::Iso0Padded => {
            let pb = PinBlock::build(PinBlockFormat::Iso0, pin, Some(pan), &[])?;
            block[..8].copy_from_slice(pb.expose_bytes());
        }
        Sm4PinLayout::Wide => {
            validate_pin(pin)?;
            let pan_field = pan_field_12(pan, 32)?;
            block.fill(0xFF);
            set_nibble(&mut block[..], 0, 0);
            set_nibble(&mut block[..], 1, pin.len() as u8);
            for (i, d) in pin.bytes().enumerate() {
                set_nibble(&mut block[..], 2 + i, d - b'0');
            }
            xor_into(&mut block[..], &pan_field);
        }
    }
    let mut out = *block;
    key.engine().encrypt(&mut out);
    Ok(out)
}

/// Decrypts a UnionPay SM4 PIN block and recovers the PIN, validating the layout.
pub fn sm4_decrypt_pin(
    key: &Key,
    layout: Sm4PinLayout,
    encrypted: &[u8],
    pan: &str,
) -> Result<Pin, SecurityError> {
    require_sm4(key)?;
    if encrypted.len() != 16 {
        return Err(SecurityError::InvalidLength {
            what: "SM4 encrypted PIN block",
            expected: "16 bytes",
            actual: encrypted.len(),
        });
    }
    let mut clear = Zeroizing::new([0u8; 16]);
    clear.copy_from_slice(encrypted);
    key.engine().decrypt(&mut clear[..]);
    match layout {
        Sm4PinLayout::Iso0Padded => {
            if let Some(i) = clear[8..].iter().position(|&b| b != 0) {
                return Err(SecurityError::PinBlockFiller {
                    format: 0,
                    nibble: 16 + 2 * i,
                });
            }
            PinBlock::from_clear(PinBlockFormat::Iso0, &clear[..8], Some(pan))?.recover()
        }
        Sm4PinLayout::Wide => {
            let pan_field = pan_field_12(pan, 32)?;
            xor_into(&mut clear[..], &pan_field);
            decode_pin_field(&clear[..], 0, 32, |_, v| v == 0xF)
        }
    }
}
