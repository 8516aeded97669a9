//! TR-31 / ANSI X9.143 key blocks, versions A, B, C and D.
//!
//! A key block carries a key together with its attributes (usage, algorithm, mode of use,
//! exportability) and binds them cryptographically, so a PIN key cannot be re-imported as a
//! data key. Versions A and C bind by key variants; B (TDES) and D (AES) derive separate
//! encryption and authentication keys with CMAC and authenticate the clear key.

use std::fmt;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::key::xor_into;
use super::{Key, KeyAlgorithm, SecurityError};

/// Largest key block accepted (the 4-digit length field allows 9999).
pub const MAX_BLOCK_LEN: usize = 9999;

/// Key block version (first header character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tr31Version {
    /// Key variant binding, TDES (deprecated).
    A,
    /// TDES key derivation binding (CMAC), 8-byte MAC.
    B,
    /// Key variant binding like A.
    C,
    /// AES key derivation binding (CMAC), 16-byte MAC.
    D,
}

impl Tr31Version {
    fn from_char(c: u8) -> Option<Tr31Version> {
        Some(match c {
            b'A' => Tr31Version::A,
            b'B' => Tr31Version::B,
            b'C' => Tr31Version::C,
            b'D' => Tr31Version::D,
            _ => return None,
        })
    }

    /// The header character.
    pub fn as_char(self) -> char {
        match self {
            Tr31Version::A => 'A',
            Tr31Version::B => 'B',
            Tr31Version::C => 'C',
            Tr31Version::D => 'D',
        }
    }

    /// Cipher block size of the KBPK (8 for A/B/C, 16 for D).
    pub fn block_len(self) -> usize {
        if self == Tr31Version::D { 16 } else { 8 }
    }

    /// Authenticator length in bytes.
    pub fn mac_len(self) -> usize {
        match self {
            Tr31Version::A | Tr31Version::C => 4,
            Tr31Version::B => 8,
            Tr31Version::D => 16,
        }
    }
}

/// One optional header block (e.g. `KS` = key set identifier / KSN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tr31OptionalBlock {
    /// Two-character identifier.
    pub id: String,
    /// Printable ASCII data.
    pub data: String,
}

/// The key block header (the padding block `PB` is dropped on parse and re-created on wrap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tr31Header {
    /// Version.
    pub version: Tr31Version,
    /// Key usage, e.g. `P0` PIN encryption, `B0` BDK, `K0` key encryption.
    pub key_usage: String,
    /// Algorithm: `T` TDES, `A` AES, `D` DES, …
    pub algorithm: char,
    /// Mode of use: `E` encrypt, `D` decrypt, `B` both, `X` derivation, `N` none, …
    pub mode_of_use: char,
    /// Key version number (2 characters, `00` = unused).
    pub key_version: String,
    /// Exportability: `E`, `N` or `S`.
    pub exportability: char,
    /// Reserved field (2 characters, normally `00`).
    pub reserved: String,
    /// Optional blocks in order.
    pub optional_blocks: Vec<Tr31OptionalBlock>,
}

impl Tr31Header {
    /// A header with no optional blocks.
    pub fn new(
        version: Tr31Version,
        key_usage: &str,
        algorithm: char,
        mode_of_use: char,
        key_version: &str,
        exportability: char,
    ) -> Tr31Header {
        Tr31Header {
            version,
            key_usage: key_usage.to_owned(),
            algorithm,
            mode_of_use,
            key_version: key_version.to_owned(),
            exportability,
            reserved: "00".to_owned(),
            optional_blocks: Vec::new(),
        }
    }

    /// The data of the first optional block with this ID.
    pub fn optional_block(&self, id: &str) -> Option<&str> {
        self.optional_blocks
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.data.as_str())
    }

    /// Parses the header at the start of `block`, returning it with its length in
    /// characters. The length field is read but not checked against `block`.
    pub fn parse(block: &str) -> Result<(Tr31Header, usize), SecurityError> {
        let b = block.as_bytes();
        let fail =
            |offset: usize, reason: &'static str| SecurityError::Tr31Format { offset, reason };
        if b.len() < 16 {
            return Err(fail(b.len(), "header shorter than 16 characters"));
        }
        if let Some(i) = b[..16].iter().position(|c| !c.is_ascii_graphic()) {
            return Err(fail(i, "header must be printable ASCII"));
        }
        let version = Tr31Version::from_char(b[0]).ok_or(fail(0, "unsupported version"))?;
        if !b[1..5].iter().all(u8::is_ascii_digit) {
            return Err(fail(1, "length must be 4 decimal digits"));
        }
        if !b[5..7].iter().all(u8::is_ascii_alphanumeric) {
            return Err(fail(5, "key usage must be 2 alphanumeric characters"));
        }
        if !b[12..14].iter().all(u8::is_ascii_digit) {
            return Err(fail(
                12,
                "number of optional blocks must be 2 decimal digits",
            ));
        }
        let count = usize::from(b[12] - b'0') * 10 + usize::from(b[13] - b'0');
        let mut pos = 16;
        let mut blocks = Vec::new();
        for _ in 0..count {
            let (blk, next) = parse_optional_block(b, pos)?;
            if blk.id != "PB" {
                blocks.push(blk);
            }
            pos = next;
        }
        Ok((
            Tr31Header {
                version,
                key_usage: block[5..7].to_owned(),
                algorithm: b[7] as char,
                mode_of_use: b[8] as char,
                key_version: block[9..11].to_owned(),
                exportability: b[11] as char,
                reserved: block[14..16].to_owned(),
                optional_blocks: blocks,
            },
            pos,
        ))
    }

    /// Renders the header for a block of `total_len` characters (padding block included if
    /// the optional blocks need it).
    fn render(&self, total_len: usize) -> Result<String, SecurityError> {
        let blocks = self.render_blocks()?;
        Ok(format!(
            "{}{:04}{}{}{}{}{}{:02}{}{}",
            self.version.as_char(),
            total_len,
            self.key_usage,
            self.algorithm,
            self.mode_of_use,
            self.key_version,
            self.exportability,
            blocks.1,
            self.reserved,
            blocks.0
        ))
    }

    fn render_blocks(&self) -> Result<(String, usize), SecurityError> {
        let bad = |reason| SecurityError::Tr31Format { offset: 0, reason };
        if self.key_usage.len() != 2
            || self.key_version.len() != 2
            || self.reserved.len() != 2
            || !self.key_usage.bytes().all(|c| c.is_ascii_alphanumeric())
            || !(self.key_version.bytes().chain(self.reserved.bytes()))
                .all(|c| c.is_ascii_graphic())
            || ![self.algorithm, self.mode_of_use, self.exportability]
                .iter()
                .all(|c| c.is_ascii_graphic())
        {
            return Err(bad("header field has the wrong length or characters"));
        }
        let mut out = String::new();
        let mut count = 0;
        for blk in &self.optional_blocks {
            if blk.id.len() != 2 || !blk.id.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return Err(bad("optional block ID must be 2 alphanumeric characters"));
            }
            if !blk.data.bytes().all(|c| c.is_ascii_graphic() || c == b' ') {
                return Err(bad("optional block data must be printable ASCII"));
            }
            let len = 4 + blk.data.len();
            if len <= 0xFF {
                out.push_str(&format!("{}{:02X}{}", blk.id, len, blk.data));
            } else if len + 4 <= 0xFFFF {
                out.push_str(&format!("{}0002{:04X}{}", blk.id, len + 6, blk.data));
            } else {
                return Err(bad("optional block too long"));
            }
            count += 1;
        }
        let bs = self.version.block_len();
        if count > 0 && !(16 + out.len()).is_multiple_of(bs) {
            let pad = (bs - (16 + out.len() + 4) % bs) % bs;
            out.push_str(&format!("PB{:02X}{}", 4 + pad, "0".repeat(pad)));
            count += 1;
        }
        if count > 99 {
            return Err(bad("more than 99 optional blocks"));
        }
        Ok((out, count))
    }
}

fn parse_optional_block(b: &[u8], pos: usize) -> Result<(Tr31OptionalBlock, usize), SecurityError> {
    let fail = |offset: usize, reason: &'static str| SecurityError::Tr31Format { offset, reason };
    let hex_at = |at: usize, n: usize| -> Result<usize, SecurityError> {
        let s = b
            .get(at..at + n)
            .ok_or(fail(at, "optional block truncated"))?;
        if !s.iter().all(u8::is_ascii_hexdigit) {
            return Err(fail(at, "optional block length must be hex digits"));
        }
        Ok(s.iter().fold(0usize, |acc, &c| {
            acc * 16 + (c as char).to_digit(16).unwrap_or(0) as usize
        }))
    };
    let id = b
        .get(pos..pos + 2)
        .ok_or(fail(pos, "optional block ID truncated"))?;
    if !id.iter().all(u8::is_ascii_alphanumeric) {
        return Err(fail(
            pos,
            "optional block ID must be 2 alphanumeric characters",
        ));
    }
    let mut len = hex_at(pos + 2, 2)?;
    let mut data_start = pos + 4;
    if len == 0 {
        let lol = hex_at(pos + 4, 2)?;
        if lol == 0 || lol > 2 {
            return Err(fail(
                pos + 4,
                "optional block length-of-length must be 1 or 2",
            ));
        }
        len = hex_at(pos + 6, 2 * lol)?;
        data_start = pos + 6 + 2 * lol;
    }
    if len < data_start - pos {
        return Err(fail(
            pos + 2,
            "optional block length does not cover its ID and length",
        ));
    }
    let end = pos + len;
    let data = b
        .get(data_start..end)
        .ok_or(fail(data_start, "optional block data truncated"))?;
    if let Some(i) = data
        .iter()
        .position(|c| !(c.is_ascii_graphic() || *c == b' '))
    {
        return Err(fail(
            data_start + i,
            "optional block data must be printable ASCII",
        ));
    }
    Ok((
        Tr31OptionalBlock {
            id: String::from_utf8_lossy(id).into_owned(),
            data: String::from_utf8_lossy(data).into_owned(),
        },
        end,
    ))
}

/// A successfully unwrapped key block.
#[derive(Clone)]
pub struct Tr31KeyBlock {
    /// The verified header.
    pub header: Tr31Header,
    /// The clear key.
    pub key: Key,
}

impl fmt::Debug for Tr31KeyBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tr31KeyBlock")
            .field("header", &self.header)
            .field("key", &self.key)
            .finish()
    }
}

/// Encryption and authentication keys derived from the KBPK.
struct BindingKeys {
    enc: Key,
    mac: Key,
}

fn check_kbpk(version: Tr31Version, kbpk: &Key) -> Result<(), SecurityError> {
    let ok = match version {
        Tr31Version::A | Tr31Version::C => kbpk.algorithm().is_des_family(),
        Tr31Version::B => matches!(kbpk.algorithm(), KeyAlgorithm::Tdes2 | KeyAlgorithm::Tdes3),
        Tr31Version::D => kbpk.algorithm().is_aes(),
    };
    if ok {
        Ok(())
    } else {
        Err(SecurityError::UnsupportedAlgorithm {
            operation: "TR-31 KBPK for this key block version",
            algorithm: kbpk.algorithm(),
        })
    }
}

fn binding_keys(version: Tr31Version, kbpk: &Key) -> Result<BindingKeys, SecurityError> {
    check_kbpk(version, kbpk)?;
    let alg = kbpk.algorithm();
    let k = kbpk.expose_bytes();
    match version {
        Tr31Version::A | Tr31Version::C => {
            let mut e = Zeroizing::new(k.to_vec());
            let mut m = Zeroizing::new(k.to_vec());
            e.iter_mut().for_each(|b| *b ^= 0x45);
            m.iter_mut().for_each(|b| *b ^= 0x4D);
            Ok(BindingKeys {
                enc: Key::new(alg, &e)?,
                mac: Key::new(alg, &m)?,
            })
        }
        Tr31Version::B | Tr31Version::D => {
            let (alg_code, bits): (u16, u16) = match alg {
                KeyAlgorithm::Tdes2 => (0x0000, 128),
                KeyAlgorithm::Tdes3 => (0x0001, 192),
                KeyAlgorithm::Aes128 => (0x0002, 128),
                KeyAlgorithm::Aes192 => (0x0003, 192),
                _ => (0x0004, 256),
            };
            let engine = kbpk.engine();
            let derive = |usage: u16| -> Result<Key, SecurityError> {
                let mut out = Zeroizing::new(Vec::with_capacity(32));
                let mut counter = 1u8;
                while out.len() < k.len() {
                    let mut dd = [0u8; 8];
                    dd[0] = counter;
                    dd[1..3].copy_from_slice(&usage.to_be_bytes());
                    dd[4..6].copy_from_slice(&alg_code.to_be_bytes());
                    dd[6..8].copy_from_slice(&bits.to_be_bytes());
                    out.extend_from_slice(&engine.cmac(&dd));
                    counter += 1;
                }
                Key::new(alg, &out[..k.len()])
            };
            Ok(BindingKeys {
                enc: derive(0x0000)?,
                mac: derive(0x0001)?,
            })
        }
    }
}

/// The authenticator: A/C = first 4 bytes of the TDES CBC-MAC over header ‖ ciphertext;
/// B/D = CMAC over header ‖ clear key data.
fn authenticator(version: Tr31Version, mac_key: &Key, header: &[u8], payload: &[u8]) -> Vec<u8> {
    let engine = mac_key.engine();
    let mut msg = Vec::with_capacity(header.len() + payload.len());
    msg.extend_from_slice(header);
    msg.extend_from_slice(payload);
    match version {
        Tr31Version::A | Tr31Version::C => {
            // header and ciphertext are both whole 8-byte blocks
            let mut state = [0u8; 8];
            for chunk in msg.chunks(8) {
                xor_into(&mut state, chunk);
                engine.encrypt(&mut state);
            }
            state[..4].to_vec()
        }
        Tr31Version::B | Tr31Version::D => {
            let mac = engine.cmac(&msg);
            msg.fill(0);
            mac
        }
    }
}

fn key_algorithm_for(header: &Tr31Header, len: usize) -> Result<KeyAlgorithm, SecurityError> {
    let alg = match header.algorithm {
        'T' => KeyAlgorithm::des_for_len(len),
        'D' => (len == 8).then_some(KeyAlgorithm::Des),
        'A' => KeyAlgorithm::aes_for_len(len),
        _ => None,
    };
    alg.ok_or(SecurityError::Tr31Format {
        offset: 7,
        reason: "key algorithm or key length not supported",
    })
}

/// Parses, decrypts and verifies a key block under the KBPK.
pub fn unwrap(kbpk: &Key, block: &str) -> Result<Tr31KeyBlock, SecurityError> {
    let fail = |offset: usize, reason: &'static str| SecurityError::Tr31Format { offset, reason };
    if block.len() > MAX_BLOCK_LEN {
        return Err(fail(MAX_BLOCK_LEN, "key block longer than 9999 characters"));
    }
    let (header, hlen) = Tr31Header::parse(block)?;
    let declared: usize = block[1..5]
        .parse()
        .map_err(|_| fail(1, "bad length field"))?;
    if declared != block.len() {
        return Err(fail(1, "length field does not match the key block length"));
    }
    let v = header.version;
    let mac_hex = 2 * v.mac_len();
    if block.len() < hlen + mac_hex {
        return Err(fail(hlen, "key block too short for its authenticator"));
    }
    let body = &block[hlen..block.len() - mac_hex];
    if body.is_empty() || !body.len().is_multiple_of(2 * v.block_len()) {
        return Err(fail(
            hlen,
            "encrypted key data is not a whole number of cipher blocks",
        ));
    }
    if hlen % v.block_len() != 0 {
        return Err(fail(16, "header is not a whole number of cipher blocks"));
    }
    let enc = crate::hex::decode(body).map_err(|e| match e {
        crate::hex::HexError::InvalidDigit { offset } => {
            fail(hlen + offset, "invalid hex digit in encrypted key data")
        }
        _ => fail(hlen, "invalid encrypted key data"),
    })?;
    let mac = crate::hex::decode(&block[block.len() - mac_hex..]).map_err(|e| match e {
        crate::hex::HexError::InvalidDigit { offset } => fail(
            block.len() - mac_hex + offset,
            "invalid hex digit in authenticator",
        ),
        _ => fail(block.len() - mac_hex, "invalid authenticator"),
    })?;
    let keys = binding_keys(v, kbpk)?;
    let hdr = &block.as_bytes()[..hlen];
    let engine = keys.enc.engine();
    let mut clear = Zeroizing::new(enc.clone());
    match v {
        Tr31Version::A | Tr31Version::C => {
            let expected = authenticator(v, &keys.mac, hdr, &enc);
            if !bool::from(expected.ct_eq(&mac)) {
                return Err(SecurityError::Tr31Mac);
            }
            engine.decrypt_cbc(&hdr[..8], &mut clear);
        }
        Tr31Version::B | Tr31Version::D => {
            engine.decrypt_cbc(&mac, &mut clear);
            let expected = authenticator(v, &keys.mac, hdr, &clear);
            if !bool::from(expected.ct_eq(&mac)) {
                return Err(SecurityError::Tr31Mac);
            }
        }
    }
    let bits = usize::from(u16::from_be_bytes([clear[0], clear[1]]));
    if bits == 0 || bits % 8 != 0 || bits / 8 > clear.len() - 2 {
        return Err(fail(hlen, "decrypted key length is invalid"));
    }
    let key_bytes = &clear[2..2 + bits / 8];
    let alg = key_algorithm_for(&header, key_bytes.len())?;
    Ok(Tr31KeyBlock {
        header,
        key: Key::new(alg, key_bytes)?,
    })
}

/// How many padding bytes [`wrap`] consumes: the clear data (2-byte length ‖ key, with the key
/// length masked up to `masked_len`) is padded to a whole number of cipher blocks.
pub fn padding_len(version: Tr31Version, key_len: usize, masked_len: usize) -> usize {
    let bs = version.block_len();
    let body = 2 + key_len.max(masked_len);
    body.div_ceil(bs) * bs - 2 - key_len
}

/// Wraps `key` under the KBPK with the given header. `random` supplies the padding (at least
/// [`padding_len`] bytes, from a CSPRNG). `masked_len` hides the key length by padding as if
/// the key were that long (e.g. 24 for TDES keys; 0 for no masking).
pub fn wrap(
    kbpk: &Key,
    header: &Tr31Header,
    key: &Key,
    masked_len: usize,
    random: &[u8],
) -> Result<String, SecurityError> {
    let v = header.version;
    check_kbpk(v, kbpk)?;
    let kb = key.expose_bytes();
    let pad = padding_len(v, kb.len(), masked_len);
    if random.len() < pad {
        return Err(SecurityError::InvalidLength {
            what: "TR-31 padding randomness",
            expected: "at least tr31::padding_len() bytes",
            actual: random.len(),
        });
    }
    let mut clear = Zeroizing::new(Vec::with_capacity(2 + kb.len() + pad));
    clear.extend_from_slice(&((kb.len() * 8) as u16).to_be_bytes());
    clear.extend_from_slice(kb);
    clear.extend_from_slice(&random[..pad]);
    let (blocks, _) = header.render_blocks()?;
    let total = 16 + blocks.len() + 2 * clear.len() + 2 * v.mac_len();
    if total > MAX_BLOCK_LEN {
        return Err(SecurityError::Tr31Format {
            offset: 1,
            reason: "key block would exceed 9999 characters",
        });
    }
    let hdr = header.render(total)?;
    let keys = binding_keys(v, kbpk)?;
    let engine = keys.enc.engine();
    let mut enc = clear.to_vec();
    let mac = match v {
        Tr31Version::A | Tr31Version::C => {
            engine.encrypt_cbc(&hdr.as_bytes()[..8], &mut enc);
            authenticator(v, &keys.mac, hdr.as_bytes(), &enc)
        }
        Tr31Version::B | Tr31Version::D => {
            let mac = authenticator(v, &keys.mac, hdr.as_bytes(), &clear);
            engine.encrypt_cbc(&mac, &mut enc);
            mac
        }
    };
    Ok(format!(
        "{hdr}{}{}",
        crate::hex::encode(&enc),
        crate::hex::encode(&mac)
    ))
}
