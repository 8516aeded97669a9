//! Framing without I/O: the length header, the CUP TPDU and the CUP application header, plus a
//! bounded streaming [`Deframer`].
//!
//! A CUP POS frame is `LEN(2, binary) | TPDU(5) | header(6, BCD) | MTI | bitmap | fields`; LEN
//! counts every byte after itself.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::error::SpecError;

/// How the frame length is written in front of each message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LengthHeader {
    /// No length header.
    None,
    /// Two bytes, unsigned big-endian (CUP, most hosts).
    #[default]
    Binary2,
    /// Four bytes, unsigned big-endian.
    Binary4,
    /// Two ASCII decimal digits (max 99).
    Ascii2,
    /// Four ASCII decimal digits (max 9999).
    Ascii4,
}

impl LengthHeader {
    /// Width in bytes.
    pub fn width(self) -> usize {
        match self {
            LengthHeader::None => 0,
            LengthHeader::Binary2 | LengthHeader::Ascii2 => 2,
            LengthHeader::Binary4 | LengthHeader::Ascii4 => 4,
        }
    }

    /// Largest length the header can express.
    pub fn capacity(self) -> usize {
        match self {
            LengthHeader::None => usize::MAX,
            LengthHeader::Binary2 => 0xFFFF,
            LengthHeader::Binary4 => u32::MAX as usize,
            LengthHeader::Ascii2 => 99,
            LengthHeader::Ascii4 => 9999,
        }
    }

    /// Reads a complete header (`bytes.len() == width`).
    fn read(self, bytes: &[u8]) -> Option<usize> {
        match self {
            LengthHeader::None => None,
            LengthHeader::Binary2 | LengthHeader::Binary4 => {
                Some(bytes.iter().fold(0usize, |v, &b| v << 8 | usize::from(b)))
            }
            LengthHeader::Ascii2 | LengthHeader::Ascii4 => {
                bytes.iter().try_fold(0usize, |v, &b| {
                    b.is_ascii_digit().then(|| v * 10 + usize::from(b - b'0'))
                })
            }
        }
    }

    /// Writes `len` as this header.
    pub fn write(self, len: usize, out: &mut Vec<u8>) -> Result<(), FrameError> {
        if len > self.capacity() {
            return Err(FrameError::TooLong {
                length: len,
                max: self.capacity(),
            });
        }
        match self {
            LengthHeader::None => {}
            LengthHeader::Binary2 => out.extend_from_slice(&(len as u16).to_be_bytes()),
            LengthHeader::Binary4 => out.extend_from_slice(&(len as u32).to_be_bytes()),
            LengthHeader::Ascii2 => out.extend_from_slice(format!("{len:02}").as_bytes()),
            LengthHeader::Ascii4 => out.extend_from_slice(format!("{len:04}").as_bytes()),
        }
        Ok(())
    }
}

/// A dialect's framing: which layers come before the MTI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Framing {
    /// The length header.
    pub length: LengthHeader,
    /// Whether a 5-byte TPDU follows the length.
    #[serde(default)]
    pub tpdu: bool,
    /// Whether the 6-byte CUP application header follows the TPDU.
    #[serde(default)]
    pub cup_header: bool,
}

impl Default for Framing {
    fn default() -> Self {
        Framing {
            length: LengthHeader::Binary2,
            tpdu: false,
            cup_header: false,
        }
    }
}

impl Framing {
    /// The CUP POS terminal framing: 2-byte binary length, TPDU, 6-byte header.
    pub const CUP_POS: Framing = Framing {
        length: LengthHeader::Binary2,
        tpdu: true,
        cup_header: true,
    };

    pub(crate) fn validate(&self) -> Result<(), SpecError> {
        if self.cup_header && !self.tpdu {
            return Err(SpecError::InvalidFraming {
                reason: "the CUP header follows a TPDU".into(),
            });
        }
        Ok(())
    }

    /// Bytes between the length header and the MTI.
    pub fn preamble_len(&self) -> usize {
        usize::from(self.tpdu) * Tpdu::LEN + usize::from(self.cup_header) * CupHeader::LEN
    }

    /// Builds a complete frame: length, TPDU and header (when the framing has them), body.
    pub fn wrap(
        &self,
        tpdu: Option<Tpdu>,
        header: Option<CupHeader>,
        body: &[u8],
    ) -> Result<Vec<u8>, FrameError> {
        let len = self.preamble_len() + body.len();
        let mut out = Vec::with_capacity(self.length.width() + len);
        self.length.write(len, &mut out)?;
        if self.tpdu {
            out.extend_from_slice(&tpdu.ok_or(FrameError::MissingTpdu)?.to_bytes());
        }
        if self.cup_header {
            out.extend_from_slice(&header.ok_or(FrameError::MissingHeader)?.to_bytes());
        }
        out.extend_from_slice(body);
        Ok(out)
    }

    /// Splits one complete frame (length header included) into its layers; the length must
    /// match the bytes exactly.
    pub fn unwrap<'a>(&self, frame: &'a [u8]) -> Result<Frame<'a>, FrameError> {
        let w = self.length.width();
        let payload = if w > 0 {
            let head = frame.get(..w).ok_or(FrameError::Truncated {
                needed: w,
                available: frame.len(),
            })?;
            let len = self.length.read(head).ok_or(FrameError::BadLength)?;
            let rest = &frame[w..];
            if len != rest.len() {
                return Err(FrameError::LengthMismatch {
                    announced: len,
                    actual: rest.len(),
                });
            }
            rest
        } else {
            frame
        };
        self.split_payload(payload)
    }

    /// Splits a frame payload (after the length header) into TPDU, header and body.
    pub fn split_payload<'a>(&self, payload: &'a [u8]) -> Result<Frame<'a>, FrameError> {
        let need = self.preamble_len();
        if payload.len() < need {
            return Err(FrameError::Truncated {
                needed: need,
                available: payload.len(),
            });
        }
        let mut rest = payload;
        let mut tpdu = None;
        let mut header = None;
        if self.tpdu {
            let mut a = [0u8; Tpdu::LEN];
            a.copy_from_slice(&rest[..Tpdu::LEN]);
            tpdu = Some(Tpdu::from_bytes(a));
            rest = &rest[Tpdu::LEN..];
        }
        if self.cup_header {
            let mut a = [0u8; CupHeader::LEN];
            a.copy_from_slice(&rest[..CupHeader::LEN]);
            header = Some(CupHeader(a));
            rest = &rest[CupHeader::LEN..];
        }
        Ok(Frame {
            tpdu,
            header,
            body: rest,
        })
    }
}

/// The layers of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The TPDU, if the framing has one.
    pub tpdu: Option<Tpdu>,
    /// The CUP header, if the framing has one.
    pub header: Option<CupHeader>,
    /// The ISO 8583 message (MTI onwards).
    pub body: &'a [u8],
}

/// Transport protocol data unit: protocol id (`60`), destination and source addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tpdu {
    /// Protocol id, `0x60` in CUP traffic.
    pub id: u8,
    /// Destination address (NII).
    pub destination: u16,
    /// Source address.
    pub source: u16,
}

impl Tpdu {
    /// Encoded size.
    pub const LEN: usize = 5;

    /// A CUP TPDU (`60` + destination + source).
    pub fn new(destination: u16, source: u16) -> Tpdu {
        Tpdu {
            id: 0x60,
            destination,
            source,
        }
    }

    /// The TPDU of the response: destination and source swapped.
    pub fn reply(&self) -> Tpdu {
        Tpdu {
            id: self.id,
            destination: self.source,
            source: self.destination,
        }
    }

    /// Parses five bytes.
    pub fn from_bytes(b: [u8; 5]) -> Tpdu {
        Tpdu {
            id: b[0],
            destination: u16::from_be_bytes([b[1], b[2]]),
            source: u16::from_be_bytes([b[3], b[4]]),
        }
    }

    /// The five bytes.
    pub fn to_bytes(&self) -> [u8; 5] {
        let d = self.destination.to_be_bytes();
        let s = self.source.to_be_bytes();
        [self.id, d[0], d[1], s[0], s[1]]
    }

    /// Parses 10 hex digits (`"6000060000"`).
    pub fn from_hex(text: &str) -> Result<Tpdu, FrameError> {
        crate::hex::decode_array::<5>(text)
            .map(Tpdu::from_bytes)
            .map_err(|_| FrameError::BadHex { what: "TPDU" })
    }
}

impl fmt::Display for Tpdu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::hex::encode(&self.to_bytes()))
    }
}

/// The 6-byte (12 BCD digits) CUP application header: application category (2), software
/// version (2), terminal status (1), processing requirement (1), software sub-version (6).
/// Kept as raw bytes so unexpected values survive a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CupHeader(pub [u8; 6]);

impl CupHeader {
    /// Encoded size.
    pub const LEN: usize = 6;

    /// Parses 12 hex digits (`"603100311812"`).
    pub fn from_hex(text: &str) -> Result<CupHeader, FrameError> {
        crate::hex::decode_array::<6>(text)
            .map(CupHeader)
            .map_err(|_| FrameError::BadHex { what: "CUP header" })
    }

    /// The six bytes.
    pub fn to_bytes(&self) -> [u8; 6] {
        self.0
    }

    fn two(b: u8) -> u8 {
        (b >> 4) * 10 + (b & 0x0F)
    }

    /// Application category (`60`; `61` seen for ChinaUMS).
    pub fn application(&self) -> u8 {
        Self::two(self.0[0])
    }

    /// Software general version (`31` = spec 3.1).
    pub fn version(&self) -> u8 {
        Self::two(self.0[1])
    }

    /// Terminal status digit.
    pub fn terminal_status(&self) -> u8 {
        self.0[2] >> 4
    }

    /// Processing requirement digit (0 none, 1 download parameters, 3 re-sign-on, …).
    pub fn processing(&self) -> u8 {
        self.0[2] & 0x0F
    }

    /// Software sub-version (6 digits) as hex text, usually decimal digits.
    pub fn sub_version(&self) -> String {
        crate::hex::encode(&self.0[3..])
    }
}

impl fmt::Display for CupHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::hex::encode(&self.0))
    }
}

/// Framing problems.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Not enough bytes for the layer.
    #[error("frame truncated: need {needed} bytes, {available} available")]
    Truncated {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The length header is not a number.
    #[error("bad length header")]
    BadLength,
    /// The length header disagrees with the bytes.
    #[error("length header says {announced}, frame has {actual}")]
    LengthMismatch {
        /// Announced.
        announced: usize,
        /// Present.
        actual: usize,
    },
    /// The announced or requested length exceeds the limit.
    #[error("frame length {length} over max {max}")]
    TooLong {
        /// The length.
        length: usize,
        /// The limit.
        max: usize,
    },
    /// The framing needs a TPDU but none was given.
    #[error("TPDU missing")]
    MissingTpdu,
    /// The framing needs a CUP header but none was given.
    #[error("CUP header missing")]
    MissingHeader,
    /// Bad hex text.
    #[error("bad hex for {what}")]
    BadHex {
        /// Which part.
        what: &'static str,
    },
    /// The deframer saw an error earlier and must be reset.
    #[error("deframer failed earlier; reset it")]
    Poisoned,
}

/// Reassembles frames from a byte stream delivered in arbitrary chunks.
///
/// Memory is bounded: the buffer never holds more than one maximal frame, and an announced
/// length above `max_frame` is reported as an error at once instead of being allocated.
#[derive(Debug, Clone)]
pub struct Deframer {
    header: LengthHeader,
    max_frame: usize,
    buf: Vec<u8>,
    poisoned: bool,
}

impl Deframer {
    /// A deframer for `header` accepting payloads of at most `max_frame` bytes.
    /// `LengthHeader::None` cannot delimit a stream and is treated as `Binary2`.
    pub fn new(header: LengthHeader, max_frame: usize) -> Deframer {
        let header = if header == LengthHeader::None {
            LengthHeader::Binary2
        } else {
            header
        };
        Deframer {
            header,
            max_frame: max_frame.min(header.capacity()),
            buf: Vec::new(),
            poisoned: false,
        }
    }

    fn limit(&self) -> usize {
        self.header.width() + self.max_frame
    }

    /// Accepts as many bytes of `data` as fit into one frame's worth of buffer and returns
    /// how many were taken; call [`Deframer::pop`] and push the rest.
    pub fn push(&mut self, data: &[u8]) -> Result<usize, FrameError> {
        if self.poisoned {
            return Err(FrameError::Poisoned);
        }
        let room = self.limit().saturating_sub(self.buf.len());
        let take = room.min(data.len());
        self.buf.extend_from_slice(&data[..take]);
        self.check_header()?;
        Ok(take)
    }

    fn check_header(&mut self) -> Result<Option<usize>, FrameError> {
        let w = self.header.width();
        if self.buf.len() < w {
            return Ok(None);
        }
        let Some(len) = self.header.read(&self.buf[..w]) else {
            self.poisoned = true;
            return Err(FrameError::BadLength);
        };
        if len > self.max_frame {
            self.poisoned = true;
            return Err(FrameError::TooLong {
                length: len,
                max: self.max_frame,
            });
        }
        Ok(Some(len))
    }

    /// Takes the next complete frame payload (without the length header), if any.
    pub fn pop(&mut self) -> Result<Option<Vec<u8>>, FrameError> {
        if self.poisoned {
            return Err(FrameError::Poisoned);
        }
        let Some(len) = self.check_header()? else {
            return Ok(None);
        };
        let w = self.header.width();
        if self.buf.len() < w + len {
            return Ok(None);
        }
        let frame = self.buf[w..w + len].to_vec();
        self.buf.drain(..w + len);
        Ok(Some(frame))
    }

    /// Bytes buffered but not yet returned.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Discards buffered bytes and clears an error.
    pub fn reset(&mut self) {
        self.buf.clear();
        self.poisoned = false;
    }
}
