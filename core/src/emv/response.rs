//! Card responses with fixed layouts: Format 1 (`80`) and Format 2 (`77`) responses to GET
//! PROCESSING OPTIONS and GENERATE AC, the AFL, and plain tag lists (`9F4A`).

use serde::{Deserialize, Serialize};

use super::{Aip, Cid, ExplainError};
use crate::tlv::{ParseOptions, Tag, TlvError, TlvErrorKind, parse_tree};

/// One Application File Locator entry (4 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AflEntry {
    /// Short File Identifier (1–30).
    pub sfi: u8,
    /// First record number to read (≥ 1).
    pub first_record: u8,
    /// Last record number (≥ first).
    pub last_record: u8,
    /// Number of records, from the first, that take part in offline data authentication.
    pub oda_records: u8,
}

/// The response to GET PROCESSING OPTIONS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpoResponse {
    /// Application Interchange Profile.
    pub aip: Aip,
    /// Application File Locator.
    pub afl: Vec<AflEntry>,
}

/// The response to GENERATE AC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateAcResponse {
    /// Cryptogram Information Data.
    pub cid: Cid,
    /// Application Transaction Counter.
    pub atc: u16,
    /// Application Cryptogram (8 bytes).
    #[serde(with = "crate::tlv::hex_serde")]
    pub cryptogram: Vec<u8>,
    /// Issuer Application Data (may be empty).
    #[serde(with = "crate::tlv::hex_serde")]
    pub iad: Vec<u8>,
}

fn bad(tag: u32, reason: impl Into<String>) -> ExplainError {
    ExplainError::BadValue {
        tag: Tag::new(tag).unwrap_or(Tag::of(0x80)),
        reason: reason.into(),
    }
}

/// Parses an AFL (`94`, or the tail of a Format 1 GPO response).
pub fn parse_afl(v: &[u8]) -> Result<Vec<AflEntry>, ExplainError> {
    if !v.len().is_multiple_of(4) {
        return Err(bad(
            0x94,
            format!("AFL length {} is not a multiple of 4", v.len()),
        ));
    }
    v.chunks_exact(4)
        .enumerate()
        .map(|(i, c)| {
            let e = AflEntry {
                sfi: c[0] >> 3,
                first_record: c[1],
                last_record: c[2],
                oda_records: c[3],
            };
            let span = e.last_record.saturating_sub(e.first_record) as usize + 1;
            if c[0] & 0x07 != 0
                || !(1..=30).contains(&e.sfi)
                || e.first_record == 0
                || e.last_record < e.first_record
                || e.oda_records as usize > span
            {
                return Err(bad(
                    0x94,
                    format!("AFL entry {} ({}) is invalid", i + 1, crate::hex::encode(c)),
                ));
            }
            Ok(e)
        })
        .collect()
}

impl GpoResponse {
    /// Parses the full response data: `80` (AIP ‖ AFL) or `77` (with `82` and `94`).
    pub fn parse(response: &[u8]) -> Result<Self, ExplainError> {
        let tree =
            parse_tree(response, ParseOptions::emv()).map_err(|e| bad(0x80, e.to_string()))?;
        let root = tree
            .roots()
            .next()
            .ok_or_else(|| bad(0x80, "empty response"))?;
        match root.tag().raw() {
            0x80 => {
                let v = root.value();
                if v.len() < 2 {
                    return Err(bad(0x80, "shorter than the AIP"));
                }
                Ok(GpoResponse {
                    aip: Aip::from_bytes(&v[..2])?,
                    afl: parse_afl(&v[2..])?,
                })
            }
            0x77 => {
                let aip = root
                    .child(Tag::of(0x82))
                    .ok_or_else(|| bad(0x77, "missing AIP 82"))?;
                let afl = root
                    .child(Tag::of(0x94))
                    .map(|n| n.value())
                    .unwrap_or_default();
                Ok(GpoResponse {
                    aip: Aip::from_bytes(aip.value())?,
                    afl: parse_afl(afl)?,
                })
            }
            _ => Err(bad(root.tag().raw(), "expected template 80 or 77")),
        }
    }
}

impl GenerateAcResponse {
    /// Parses the full response data: `80` (CID ‖ ATC ‖ AC ‖ IAD) or `77` (with `9F27`,
    /// `9F36`, `9F26`, `9F10`).
    pub fn parse(response: &[u8]) -> Result<Self, ExplainError> {
        let tree =
            parse_tree(response, ParseOptions::emv()).map_err(|e| bad(0x80, e.to_string()))?;
        let root = tree
            .roots()
            .next()
            .ok_or_else(|| bad(0x80, "empty response"))?;
        let (cid, atc, ac, iad): (&[u8], &[u8], &[u8], &[u8]) = match root.tag().raw() {
            0x80 => {
                let v = root.value();
                if v.len() < 11 {
                    return Err(ExplainError::BadLength {
                        tag: Tag::of(0x80),
                        expected: 11,
                        actual: v.len(),
                    });
                }
                (&v[..1], &v[1..3], &v[3..11], &v[11..])
            }
            0x77 => {
                let get = |t: u32| {
                    root.child(Tag::new(t).unwrap_or(Tag::of(0x77)))
                        .map(|n| n.value())
                };
                (
                    get(0x9F27).ok_or_else(|| bad(0x77, "missing CID 9F27"))?,
                    get(0x9F36).ok_or_else(|| bad(0x77, "missing ATC 9F36"))?,
                    get(0x9F26).ok_or_else(|| bad(0x77, "missing cryptogram 9F26"))?,
                    get(0x9F10).unwrap_or_default(),
                )
            }
            _ => return Err(bad(root.tag().raw(), "expected template 80 or 77")),
        };
        let atc: [u8; 2] = atc.try_into().map_err(|_| ExplainError::BadLength {
            tag: Tag::of(0x9F36),
            expected: 2,
            actual: atc.len(),
        })?;
        if ac.len() != 8 {
            return Err(ExplainError::BadLength {
                tag: Tag::of(0x9F26),
                expected: 8,
                actual: ac.len(),
            });
        }
        if iad.len() > 32 {
            return Err(ExplainError::BadLength {
                tag: Tag::of(0x9F10),
                expected: 32,
                actual: iad.len(),
            });
        }
        Ok(GenerateAcResponse {
            cid: Cid::from_bytes(cid)?,
            atc: u16::from_be_bytes(atc),
            cryptogram: ac.to_vec(),
            iad: iad.to_vec(),
        })
    }
}

/// Parses a tag list (e.g. `9F4A` Static Data Authentication Tag List): tags without
/// lengths or values.
pub fn parse_tag_list(bytes: &[u8]) -> Result<Vec<Tag>, TlvError> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        let (tag, n) = Tag::read(&bytes[pos..], 3).map_err(|e| {
            let kind = match e {
                crate::tlv::TagReadError::Truncated => TlvErrorKind::Truncated,
                crate::tlv::TagReadError::Bad => TlvErrorKind::BadTag,
                crate::tlv::TagReadError::TooLong => TlvErrorKind::TagTooLong { max: 3 },
            };
            TlvError::new(pos, String::new(), kind)
        })?;
        out.push(tag);
        pos += n;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::decode;

    #[test]
    fn gpo_format1_and_2() {
        let r = GpoResponse::parse(&decode("800E1980080101001001010118010200").unwrap()).unwrap();
        assert!(r.aip.is_set(super::super::AipBit::CdaSupported));
        assert_eq!(r.afl.len(), 3);
        assert_eq!(
            r.afl[0],
            AflEntry {
                sfi: 1,
                first_record: 1,
                last_record: 1,
                oda_records: 0
            }
        );
        assert_eq!(
            r.afl[2],
            AflEntry {
                sfi: 3,
                first_record: 1,
                last_record: 2,
                oda_records: 0
            }
        );
        let r2 = GpoResponse::parse(&decode("771282021980940C080101001001010118010200").unwrap())
            .unwrap();
        assert_eq!(r2, r);
        assert!(GpoResponse::parse(&decode("770494020000").unwrap()).is_err()); // no AIP
        assert!(GpoResponse::parse(&decode("700482021980").unwrap()).is_err());
        assert!(parse_afl(&decode("080101").unwrap()).is_err());
        assert!(parse_afl(&decode("08020100").unwrap()).is_err()); // last < first
        assert!(parse_afl(&decode("00010100").unwrap()).is_err()); // SFI 0
        assert!(parse_afl(&decode("08010102").unwrap()).is_err()); // ODA count > span
    }

    #[test]
    fn genac_format1_and_2() {
        let v = decode("80118000121122334455667788070101039000").unwrap();
        let r = GenerateAcResponse::parse(&v).unwrap();
        assert_eq!(r.cid.ac_type, super::super::AcType::Arqc);
        assert_eq!(r.atc, 0x0012);
        assert_eq!(r.cryptogram, decode("1122334455667788").unwrap());
        assert_eq!(r.iad, decode("070101039000").unwrap());
        let f2 =
            decode("771E9F2701409F360200129F260811223344556677889F1007070101039000AA").unwrap();
        let r = GenerateAcResponse::parse(&f2).unwrap();
        assert_eq!(r.cid.ac_type, super::super::AcType::Tc);
        assert_eq!(r.iad.len(), 7);
        assert!(GenerateAcResponse::parse(&decode("800A80001211223344556677").unwrap()).is_err());
    }

    #[test]
    fn tag_lists() {
        assert_eq!(
            parse_tag_list(&decode("829F37DF8129").unwrap()).unwrap(),
            [Tag::of(0x82), Tag::of(0x9F37), Tag::of(0xDF8129)]
        );
        assert_eq!(
            parse_tag_list(&decode("829F").unwrap()).unwrap_err().offset,
            1
        );
    }
}
