//! EMVCo consumer-presented mode (CPM): Base64 of BER-TLV with `85` "CPV01", one or more
//! `61` Application Templates (with `63` transparent data) and an optional `62` Common Data
//! Template (with `64` transparent data).

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Serialize};

use super::{QrError, QrErrorKind};
use crate::tlv::{Node, ParseOptions, Tag, TlvObject, encode_objects, parse_tree};

/// A CPM code fits in a QR code: at most 2 953 bytes in binary mode; Base64 text is bounded
/// accordingly before decoding.
const MAX_BASE64_CHARS: usize = 4_000;

const PFI: Tag = Tag::of(0x85);
const APP: Tag = Tag::of(0x61);
const COMMON: Tag = Tag::of(0x62);
const APP_TRANSPARENT: Tag = Tag::of(0x63);
const COMMON_TRANSPARENT: Tag = Tag::of(0x64);
const ADF_NAME: Tag = Tag::of(0x4F);

const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One `61` Application Template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpmApplication {
    /// `4F` ADF Name (AID), mandatory.
    #[serde(with = "crate::tlv::hex_serde")]
    pub adf_name: Vec<u8>,
    /// The other objects of the template in order (`50`, `57`, `5A`, `5F20`, `9F08`, …).
    #[serde(default)]
    pub data: Vec<TlvObject>,
    /// `63` Application Specific Transparent Template contents (`9F26`, `9F27`, `9F10`, …).
    #[serde(default)]
    pub transparent: Vec<TlvObject>,
}

/// The `62` Common Data Template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CpmCommonData {
    /// Objects shared by all applications.
    #[serde(default)]
    pub data: Vec<TlvObject>,
    /// `64` Common Data Transparent Template contents.
    #[serde(default)]
    pub transparent: Vec<TlvObject>,
}

/// A consumer-presented payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerPayload {
    /// The `61` templates (at least one).
    pub applications: Vec<CpmApplication>,
    /// The `62` template, if present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common: Option<CpmCommonData>,
}

fn err_at(node: &Node<'_, '_>, kind: QrErrorKind) -> QrError {
    QrError::new(node.offset(), node.path(), kind)
}

/// Parses a CPM payload given as Base64 text (standard alphabet, padding optional).
pub fn parse_cpm(base64_text: &str) -> Result<ConsumerPayload, QrError> {
    let text = base64_text.trim();
    if text.len() > MAX_BASE64_CHARS {
        return Err(QrError::new(0, "", QrErrorKind::TooLong(text.len())));
    }
    let bytes = B64.decode(text).map_err(|e| {
        let offset = match e {
            base64::DecodeError::InvalidByte(i, _)
            | base64::DecodeError::InvalidLastSymbol { offset: i, .. } => i,
            _ => text.len(),
        };
        QrError::new(offset, "", QrErrorKind::Base64(e.to_string()))
    })?;
    parse_cpm_bytes(&bytes)
}

/// Parses a CPM payload from its decoded bytes. Offsets in errors are byte offsets.
pub fn parse_cpm_bytes(bytes: &[u8]) -> Result<ConsumerPayload, QrError> {
    let options = ParseOptions::emv().with_reject_duplicates(true);
    let tree = parse_tree(bytes, options)
        .map_err(|e| QrError::new(e.offset, e.path, QrErrorKind::Tlv(e.kind)))?;
    let mut roots = tree.roots();
    match roots.next() {
        Some(n) if n.tag() == PFI && n.value() == b"CPV01" => {}
        Some(n) if n.tag() == PFI => {
            return Err(err_at(
                &n,
                QrErrorKind::BadValue("payload format indicator must be CPV01".into()),
            ));
        }
        Some(n) => return Err(err_at(&n, QrErrorKind::PayloadFormatIndicator)),
        None => {
            return Err(QrError::new(
                0,
                "85",
                QrErrorKind::MissingMandatory("85".into()),
            ));
        }
    }
    let mut payload = ConsumerPayload {
        applications: Vec::new(),
        common: None,
    };
    for n in roots {
        match n.tag() {
            APP => {
                let mut app = CpmApplication {
                    adf_name: Vec::new(),
                    data: Vec::new(),
                    transparent: Vec::new(),
                };
                let mut has_adf = false;
                for c in n.children() {
                    match c.tag() {
                        ADF_NAME => {
                            if !(5..=16).contains(&c.value().len()) {
                                return Err(err_at(
                                    &c,
                                    QrErrorKind::BadValue(format!(
                                        "ADF name 4F must be 5 to 16 bytes, got {}",
                                        c.value().len()
                                    )),
                                ));
                            }
                            has_adf = true;
                            app.adf_name = c.value().to_vec();
                        }
                        APP_TRANSPARENT => {
                            app.transparent = c.children().map(TlvObject::from_node).collect()
                        }
                        _ => app.data.push(TlvObject::from_node(c)),
                    }
                }
                if !has_adf {
                    return Err(QrError::new(
                        n.offset(),
                        format!("{}/4F", n.path()),
                        QrErrorKind::MissingMandatory("4F".into()),
                    ));
                }
                payload.applications.push(app);
            }
            COMMON => {
                let mut common = CpmCommonData::default();
                for c in n.children() {
                    if c.tag() == COMMON_TRANSPARENT {
                        common.transparent = c.children().map(TlvObject::from_node).collect();
                    } else {
                        common.data.push(TlvObject::from_node(c));
                    }
                }
                payload.common = Some(common);
            }
            _ => {
                return Err(err_at(
                    &n,
                    QrErrorKind::BadValue(format!("unexpected top-level tag {}", n.tag())),
                ));
            }
        }
    }
    if payload.applications.is_empty() {
        return Err(QrError::new(
            bytes.len(),
            "61",
            QrErrorKind::MissingMandatory("61".into()),
        ));
    }
    Ok(payload)
}

/// Encodes a CPM payload as BER-TLV bytes (minimal lengths).
pub fn build_cpm_bytes(p: &ConsumerPayload) -> Result<Vec<u8>, QrError> {
    if p.applications.is_empty() {
        return Err(QrError::new(
            0,
            "61",
            QrErrorKind::MissingMandatory("61".into()),
        ));
    }
    let mut objects = vec![TlvObject::primitive(PFI, b"CPV01".to_vec())];
    for (i, a) in p.applications.iter().enumerate() {
        if a.adf_name.is_empty() {
            return Err(QrError::new(
                0,
                format!("61[{i}]/4F"),
                QrErrorKind::MissingMandatory("4F".into()),
            ));
        }
        let mut children = vec![TlvObject::primitive(ADF_NAME, a.adf_name.clone())];
        children.extend(a.data.iter().cloned());
        if !a.transparent.is_empty() {
            children.push(TlvObject::constructed(
                APP_TRANSPARENT,
                a.transparent.clone(),
            ));
        }
        objects.push(TlvObject::constructed(APP, children));
    }
    if let Some(c) = &p.common {
        let mut children = c.data.clone();
        if !c.transparent.is_empty() {
            children.push(TlvObject::constructed(
                COMMON_TRANSPARENT,
                c.transparent.clone(),
            ));
        }
        objects.push(TlvObject::constructed(COMMON, children));
    }
    let bytes = encode_objects(&objects);
    // Only emit what the parser accepts (e.g. constructed tags given as primitives).
    parse_cpm_bytes(&bytes)?;
    Ok(bytes)
}

/// Encodes a CPM payload as Base64 text (standard alphabet, padded).
pub fn build_cpm(p: &ConsumerPayload) -> Result<String, QrError> {
    Ok(base64::engine::general_purpose::STANDARD.encode(build_cpm_bytes(p)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ConsumerPayload {
        let h = |s: &str| crate::hex::decode(s).unwrap();
        ConsumerPayload {
            applications: vec![CpmApplication {
                adf_name: h("A0000000555555"),
                data: vec![
                    TlvObject::primitive(Tag::of(0x50), b"Product1".to_vec()),
                    TlvObject::primitive(Tag::of(0x5A), h("1234567890123458")),
                ],
                transparent: vec![
                    TlvObject::primitive(Tag::of(0x9F26), h("0123456789ABCDEF")),
                    TlvObject::primitive(Tag::of(0x9F27), h("80")),
                ],
            }],
            common: Some(CpmCommonData {
                data: vec![TlvObject::primitive(
                    Tag::of(0x5F20),
                    b"CARDHOLDER/EMV".to_vec(),
                )],
                transparent: vec![TlvObject::primitive(Tag::of(0x9F36), h("0001"))],
            }),
        }
    }

    fn strip_offsets(p: &mut ConsumerPayload) {
        fn strip(o: &mut [TlvObject]) {
            for x in o {
                x.offset = 0;
                strip(&mut x.children);
            }
        }
        for a in &mut p.applications {
            strip(&mut a.data);
            strip(&mut a.transparent);
        }
        if let Some(c) = &mut p.common {
            strip(&mut c.data);
            strip(&mut c.transparent);
        }
    }

    #[test]
    fn round_trip_and_no_luhn() {
        let p = sample();
        let b64 = build_cpm(&p).unwrap();
        assert!(b64.starts_with("hQVDUFYwMW")); // 85 05 "CPV01"
        let mut back = parse_cpm(&b64).unwrap();
        strip_offsets(&mut back);
        assert_eq!(back, p); // the PAN fails Luhn and is still accepted
        // Padding is optional.
        assert!(parse_cpm(b64.trim_end_matches('=')).is_ok());
    }

    #[test]
    fn errors() {
        assert!(matches!(
            parse_cpm("!!!!").unwrap_err().kind,
            QrErrorKind::Base64(_)
        ));
        let no_pfi = base64::engine::general_purpose::STANDARD
            .encode(crate::hex::decode("61094F07A0000000555555").unwrap());
        assert_eq!(
            parse_cpm(&no_pfi).unwrap_err().kind,
            QrErrorKind::PayloadFormatIndicator
        );
        let no_app = base64::engine::general_purpose::STANDARD.encode(b"\x85\x05CPV01");
        assert_eq!(
            parse_cpm(&no_app).unwrap_err().kind,
            QrErrorKind::MissingMandatory("61".into())
        );
        let no_adf = base64::engine::general_purpose::STANDARD
            .encode(crate::hex::decode("850543505630316103500141").unwrap());
        let e = parse_cpm(&no_adf).unwrap_err();
        assert_eq!(
            (e.kind, e.path.as_str(), e.offset),
            (QrErrorKind::MissingMandatory("4F".into()), "61/4F", 7)
        );
        // Fuzz regression: an empty ADF name parsed but could not be rebuilt.
        let empty_adf = crate::hex::decode("8505435056303161094F000001000000000000000000").unwrap();
        let e = parse_cpm_bytes(&empty_adf).unwrap_err();
        assert!(matches!(e.kind, QrErrorKind::BadValue(_)));
        assert_eq!((e.offset, e.path.as_str()), (9, "61/4F"));
        let truncated = base64::engine::general_purpose::STANDARD
            .encode(crate::hex::decode("85054350563031610A4F07").unwrap());
        let e = parse_cpm(&truncated).unwrap_err();
        assert_eq!(
            e.kind,
            QrErrorKind::Tlv(crate::tlv::TlvErrorKind::Truncated)
        );
    }
}
