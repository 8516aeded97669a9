//! ISO 8583 field 55 for UnionPay (CUP) acquiring: building the request, reading the response.
//!
//! The request carries the chip data in the tag order CUP POS code uses (PAX Prolin
//! `Pack_Field55Data`, confirmed by a real capture); the response carries the issuer's
//! authentication data (`91`) and scripts (`71`, `72`) for the card.

use serde::{Deserialize, Serialize};

use super::TagSource;
use crate::tlv::{ParseOptions, Tag, TlvError, TlvObject, encode_tlv, parse_tree};

/// Customary CUP field-55 tag order for sale (0200) and pre-authorisation (0100) requests.
pub const FIELD55_ORDER: [Tag; 21] = [
    Tag::of(0x9F26),
    Tag::of(0x9F27),
    Tag::of(0x9F10),
    Tag::of(0x9F37),
    Tag::of(0x9F36),
    Tag::of(0x95),
    Tag::of(0x9A),
    Tag::of(0x9C),
    Tag::of(0x9F02),
    Tag::of(0x5F2A),
    Tag::of(0x82),
    Tag::of(0x9F1A),
    Tag::of(0x9F03),
    Tag::of(0x9F33),
    Tag::of(0x9F34),
    Tag::of(0x9F35),
    Tag::of(0x9F1E),
    Tag::of(0x84),
    Tag::of(0x9F09),
    Tag::of(0x9F41),
    Tag::of(0x9F63),
];

/// The tags commonly mandatory in a CUP request field 55 (the first 14 of [`FIELD55_ORDER`]).
pub const FIELD55_MANDATORY: [Tag; 14] = [
    Tag::of(0x9F26),
    Tag::of(0x9F27),
    Tag::of(0x9F10),
    Tag::of(0x9F37),
    Tag::of(0x9F36),
    Tag::of(0x95),
    Tag::of(0x9A),
    Tag::of(0x9C),
    Tag::of(0x9F02),
    Tag::of(0x5F2A),
    Tag::of(0x82),
    Tag::of(0x9F1A),
    Tag::of(0x9F03),
    Tag::of(0x9F33),
];

/// Field 55 maximum length (`b…255, LLL`).
pub const FIELD55_MAX_LEN: usize = 255;

/// Which request the field 55 is for. Both use the same tag order today; the kind is kept
/// so acquirer-specific differences have a place to live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Field55Kind {
    /// Sale (0200).
    #[default]
    Sale,
    /// Pre-authorisation (0100).
    PreAuth,
}

/// How to build a request field 55.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Field55Options {
    /// Sale or pre-authorisation.
    pub kind: Field55Kind,
    /// Contactless (qPBOC): when the kernel returned no `9F27`, insert `9F27 01 80` (ARQC)
    /// after the cryptogram instead of failing.
    pub contactless: bool,
    /// Append `8A` and `9F74` when the source has them (offline EC flows).
    pub include_ec_tags: bool,
}

/// Why field 55 could not be built or read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Field55Error {
    /// A mandatory tag is missing from the source.
    #[error("missing mandatory object {0}")]
    MissingMandatory(Tag),
    /// The encoded field would exceed 255 bytes.
    #[error("field 55 would be {0} bytes, at most 255 allowed")]
    TooLong(usize),
    /// The response is not valid TLV.
    #[error(transparent)]
    Tlv(#[from] TlvError),
}

/// Builds a request field 55 from `source` in the CUP tag order; optional tags are included
/// when present.
pub fn build_field55(
    source: &dyn TagSource,
    options: &Field55Options,
) -> Result<Vec<u8>, Field55Error> {
    let mut out = Vec::with_capacity(FIELD55_MAX_LEN);
    let mut tags: Vec<Tag> = FIELD55_ORDER.to_vec();
    if options.include_ec_tags {
        tags.extend([Tag::of(0x8A), Tag::of(0x9F74)]);
    }
    for tag in tags {
        match source.value(tag) {
            Some(v) => encode_tlv(tag, v, &mut out),
            None if tag == Tag::of(0x9F27) && options.contactless => {
                encode_tlv(tag, &[0x80], &mut out)
            }
            None if FIELD55_MANDATORY.contains(&tag) => {
                return Err(Field55Error::MissingMandatory(tag));
            }
            None => {}
        }
        if out.len() > FIELD55_MAX_LEN {
            return Err(Field55Error::TooLong(out.len()));
        }
    }
    Ok(out)
}

/// Issuer Authentication Data (`91`) split per the common layouts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerAuthenticationData {
    /// The whole value.
    #[serde(with = "crate::tlv::hex_serde")]
    pub raw: Vec<u8>,
    /// The ARPC: 8 bytes (ARPC method 1, 10-byte value) or 4 bytes (method 2).
    #[serde(with = "crate::tlv::hex_serde")]
    pub arpc: Vec<u8>,
    /// The rest: Authorisation Response Code (method 1) or CSU + proprietary data (method 2).
    #[serde(with = "crate::tlv::hex_serde")]
    pub rest: Vec<u8>,
}

impl IssuerAuthenticationData {
    /// Splits a `91` value: 10 bytes = ARPC(8) ‖ ARC(2); otherwise ARPC(4) ‖ CSU(4) ‖ data.
    pub fn from_bytes(v: &[u8]) -> Self {
        let split = if v.len() == 10 { 8 } else { v.len().min(4) };
        IssuerAuthenticationData {
            raw: v.to_vec(),
            arpc: v[..split].to_vec(),
            rest: v[split..].to_vec(),
        }
    }
}

/// One issuer script (`71` before, `72` after the final GENERATE AC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerScript {
    /// `71` or `72`.
    pub template: Tag,
    /// Script Identifier (`9F18`), if present.
    #[serde(with = "crate::tlv::hex_serde", default)]
    pub script_id: Vec<u8>,
    /// The commands (`86` values, each a C-APDU), in order.
    pub commands: Vec<String>,
    /// The whole template as received (to forward to the card byte-exact).
    #[serde(with = "crate::tlv::hex_serde")]
    pub raw: Vec<u8>,
}

/// A parsed response field 55.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Field55Response {
    /// `91`, if present.
    pub issuer_authentication: Option<IssuerAuthenticationData>,
    /// `71` and `72` scripts in order of appearance.
    pub scripts: Vec<IssuerScript>,
    /// Any other objects (e.g. `8A` some hosts echo).
    pub other: Vec<TlvObject>,
}

/// Parses a response field 55 (`91`, `71`, `72`, and whatever else is there), EMV rules.
pub fn parse_field55_response(bytes: &[u8]) -> Result<Field55Response, Field55Error> {
    let tree = parse_tree(bytes, ParseOptions::emv())?;
    let mut resp = Field55Response::default();
    for node in tree.roots() {
        match node.tag().raw() {
            0x91 => {
                resp.issuer_authentication =
                    Some(IssuerAuthenticationData::from_bytes(node.value()))
            }
            0x71 | 0x72 => {
                let mut s = IssuerScript {
                    template: node.tag(),
                    script_id: Vec::new(),
                    commands: Vec::new(),
                    raw: node.raw().to_vec(),
                };
                for c in node.children() {
                    match c.tag().raw() {
                        0x9F18 => s.script_id = c.value().to_vec(),
                        0x86 => s.commands.push(crate::hex::encode(c.value())),
                        _ => {}
                    }
                }
                resp.scripts.push(s);
            }
            _ => resp.other.push(TlvObject::from_node(node)),
        }
    }
    Ok(resp)
}

/// The outcome of one issuer script, for the UnionPay `DF31` Issuer Script Results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptResult {
    /// High nibble: 0 not performed, 1 failed, 2 successful.
    pub result: u8,
    /// Low nibble: sequence number of the failing command (0 if none or more than 14).
    pub failed_command: u8,
    /// Script Identifier (`9F18`) or zeros.
    pub script_id: [u8; 4],
}

/// Encodes the `DF31` value: per script, 1 result byte and the 4-byte script identifier.
pub fn encode_script_results(results: &[ScriptResult]) -> Vec<u8> {
    let mut out = Vec::with_capacity(results.len() * 5);
    for r in results {
        out.push((r.result & 0x0F) << 4 | (r.failed_command & 0x0F));
        out.extend_from_slice(&r.script_id);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emv::TagValues;

    fn source() -> TagValues {
        TagValues::from_hex_pairs(&[
            ("9F26", "1122334455667788"),
            ("9F27", "80"),
            ("9F10", "07010103A0A802010A010000000000ABCDEF01"),
            ("9F37", "DEADBEEF"),
            ("9F36", "0012"),
            ("95", "0000080000"),
            ("9A", "240217"),
            ("9C", "00"),
            ("9F02", "000000000100"),
            ("5F2A", "0156"),
            ("82", "7C00"),
            ("9F1A", "0156"),
            ("9F03", "000000000000"),
            ("9F33", "E0F8C8"),
            ("9F34", "420300"),
            ("9F35", "22"),
            ("84", "A000000333010101"),
            ("5A", "6230606601007726888F"),
        ])
        .unwrap()
    }

    #[test]
    fn builds_in_cup_order() {
        let f55 = build_field55(&source(), &Field55Options::default()).unwrap();
        let tree = parse_tree(&f55, ParseOptions::strict()).unwrap();
        let order: Vec<String> = tree.roots().map(|n| n.tag().to_string()).collect();
        assert_eq!(
            order,
            [
                "9F26", "9F27", "9F10", "9F37", "9F36", "95", "9A", "9C", "9F02", "5F2A", "82",
                "9F1A", "9F03", "9F33", "9F34", "9F35", "84"
            ]
        );
        // The PAN is not a field-55 tag.
        assert!(tree.find(Tag::of(0x5A)).is_none());
    }

    #[test]
    fn contactless_cid_quirk_and_missing() {
        let mut s = source();
        s.0.remove(&Tag::of(0x9F27));
        assert_eq!(
            build_field55(&s, &Field55Options::default()),
            Err(Field55Error::MissingMandatory(Tag::of(0x9F27)))
        );
        let opts = Field55Options {
            contactless: true,
            ..Default::default()
        };
        let f55 = build_field55(&s, &opts).unwrap();
        // 9F26 08 <8 bytes> then 9F27 01 80.
        assert_eq!(&f55[11..15], &[0x9F, 0x27, 0x01, 0x80]);
    }

    #[test]
    fn too_long_is_an_error() {
        let mut s = source();
        s.insert(Tag::of(0x9F10), vec![0u8; 250]);
        assert!(matches!(
            build_field55(&s, &Field55Options::default()),
            Err(Field55Error::TooLong(_))
        ));
    }

    #[test]
    fn response_parse() {
        let hex = "910A1122334455667788303072169F180400000001860D84240000080102030405060708";
        let r = parse_field55_response(&crate::hex::decode(hex).unwrap()).unwrap();
        let iad = r.issuer_authentication.unwrap();
        assert_eq!(iad.arpc, crate::hex::decode("1122334455667788").unwrap());
        assert_eq!(iad.rest, b"00");
        assert_eq!(r.scripts.len(), 1);
        assert_eq!(r.scripts[0].template, Tag::of(0x72));
        assert_eq!(r.scripts[0].script_id, [0, 0, 0, 1]);
        assert_eq!(r.scripts[0].commands, ["84240000080102030405060708"]);
        assert!(parse_field55_response(&[0x91, 0x0A, 0x00]).is_err());
    }

    #[test]
    fn script_results() {
        let v = encode_script_results(&[
            ScriptResult {
                result: 2,
                failed_command: 0,
                script_id: [0, 0, 0, 1],
            },
            ScriptResult {
                result: 1,
                failed_command: 3,
                script_id: [0; 4],
            },
        ]);
        assert_eq!(crate::hex::encode(&v), "20000000011300000000");
    }
}
