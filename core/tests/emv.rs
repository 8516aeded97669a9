//! EMV dictionary, decoders, DOL and field 55 against the reference vectors.

use paycore::emv::*;
use paycore::hex::{decode, encode};
use paycore::tlv::{ParseOptions, Tag, TlvErrorKind, parse_tree};
use proptest::prelude::*;

fn h(s: &str) -> Vec<u8> {
    decode(s).unwrap()
}

#[test]
fn explain_reference_vectors() {
    let e = explain(Tag::of(0x95), &h("0000080000")).unwrap();
    assert_eq!(e.items.len(), 1);
    assert_eq!(
        e.items[0].text,
        "PIN entry required, PIN pad present, but PIN was not entered"
    );
    assert_eq!(
        (e.items[0].byte, e.items[0].bit, e.items[0].flag.as_str()),
        (Some(3), Some(4), "pin_not_entered")
    );
    let e = explain(Tag::of(0x9F34), &h("1E0002")).unwrap();
    assert_eq!(e.summary, "Signature (paper) / Always / Successful");
    assert!(explain(Tag::of(0x95), &h("00000800")).is_err());
    // Other decoders through the same entry point.
    assert_eq!(
        explain(Tag::of(0x9F27), &h("80")).unwrap().summary,
        "ARQC (online authorisation requested)"
    );
    assert_eq!(
        explain(Tag::of(0x9F35), &h("22")).unwrap().summary,
        "Merchant, Attended, offline with online capability"
    );
    assert_eq!(
        explain(Tag::of(0x9C), &h("00")).unwrap().summary,
        "Goods and services"
    );
    assert!(
        explain(Tag::of(0x9F10), &h("07010103A0A80201"))
            .unwrap()
            .summary
            .contains("3DES")
    );
    assert_eq!(
        explain(Tag::of(0x8E), &h("000000000000000042031E031F00"))
            .unwrap()
            .items
            .len(),
        5
    );
    assert_eq!(
        explain(Tag::of(0x9A), &h("240217")).unwrap().summary,
        "2024-02-17"
    );
    assert_eq!(
        explain(Tag::of(0x9F02), &h("000000012345"))
            .unwrap()
            .summary,
        "000000012345"
    );
    // Sensitive values are masked even in explanations.
    let pan = explain(Tag::of(0x5A), &h("6230606601007726888F")).unwrap();
    assert_eq!(pan.value, "623060*********6888F");
    assert!(matches!(
        explain(Tag::of(0x9F7F), &[1]),
        Err(ExplainError::Unsupported(_))
    ));
}

#[test]
fn flags_to_bytes() {
    assert_eq!(
        encode_flags(Tag::of(0x95), &["pin_not_entered"]).unwrap(),
        h("0000080000")
    );
    assert_eq!(
        encode_flags(
            Tag::of(0x95),
            &[
                "oda_not_performed",
                "merchant_forced_online",
                "issuer_authentication_failed"
            ]
        )
        .unwrap(),
        h("8000000840")
    );
    assert_eq!(
        encode_flags(
            Tag::of(0x9B),
            &[
                "oda_performed",
                "cv_performed",
                "card_risk_management_performed",
                "terminal_risk_management_performed"
            ]
        )
        .unwrap(),
        h("E800")
    );
    assert_eq!(
        encode_flags(
            Tag::of(0x9F33),
            &[
                "magnetic_stripe",
                "ic_with_contacts",
                "enciphered_pin_online",
                "signature",
                "sda",
                "dda",
                "cda"
            ]
        )
        .unwrap(),
        h("6060C8")
    );
    assert!(matches!(
        encode_flags(Tag::of(0x95), &["nope"]),
        Err(ExplainError::UnknownFlag { .. })
    ));
    // Every flag name explain() reports encodes back to the same bytes.
    for value in ["FFFFFFFFFF", "8000000840", "0000080000"] {
        let v = h(value);
        let e = explain(Tag::of(0x95), &v).unwrap();
        let names: Vec<&str> = e
            .items
            .iter()
            .map(|i| i.flag.as_str())
            .filter(|f| *f != "rfu")
            .collect();
        let mut back = encode_flags(Tag::of(0x95), &names).unwrap();
        // FF..: byte 2 b3 is RFU and is not a named flag.
        if value == "FFFFFFFFFF" {
            back[1] |= 0x04;
        }
        assert_eq!(back, v);
    }
}

#[test]
fn dictionary_covers_table_and_pboc() {
    let rows = tags();
    assert!(rows.len() >= 152);
    for t in [
        0x9F63u32, 0xDF31, 0x9F74, 0x9F79, 0x9F77, 0x9F78, 0x9F6D, 0x9F5D, 0x9F66, 0x9F6C, 0x9F61,
        0x9F62, 0xDF4D,
    ] {
        assert!(lookup(Tag::new(t).unwrap()).is_some(), "{t:X}");
    }
    // 9F19 Token Requestor ID is n 11, so DOL building left-pads it.
    assert_eq!(lookup(Tag::of(0x9F19)).unwrap().format, Format::N);
    assert_eq!(lookup(Tag::of(0x5F20)).unwrap().format, Format::Ans);
    assert_eq!(lookup(Tag::of(0x9F20)).unwrap().format, Format::Cn);
}

#[test]
fn dol_reference_vector() {
    let s1 = TagValues::from_hex_pairs(&[
        ("9C", "09"),
        ("9A", "240217"),
        ("5F2A", "0978"),
        ("9F02", "000123456789"),
        ("9F03", "000987654321"),
        ("9F37", "DEADBEEF"),
        ("5A", "541333008902001F"),
        ("9F20", "12345F"),
    ])
    .unwrap();
    let s2 = TagValues::from_hex_pairs(&[
        ("9F1A", "0528"),
        ("9F37", "DEADCAFE"),
        ("95", "1234554321"),
        ("9F20", "123F"),
        ("9F19", "654321012345"),
    ])
    .unwrap();
    let data = build_dol(
        &h("9F02069F03069F1A0295055F2A029A039C019F3704"),
        &[&s1, &s2],
    )
    .unwrap();
    assert_eq!(
        encode(&data),
        "00012345678900098765432105281234554321097824021709DEADBEEF"
    );
    // Source order is priority: S2 first makes its 9F37 win.
    let data = build_dol(&h("9F3704"), &[&s2, &s1]).unwrap();
    assert_eq!(encode(&data), "DEADCAFE");
    for bad in [
        "9F02069F03069F1A0295",
        "9F02069F03069F1A0295055F2A029A039C019F37",
    ] {
        assert_eq!(
            parse_dol(&h(bad)).unwrap_err().kind,
            TlvErrorKind::Truncated
        );
    }
    // A parsed card record is a tag source too.
    let record = h("70155A08541333008902001F5F24032512319F0702FF00");
    let tree = parse_tree(&record, ParseOptions::emv()).unwrap();
    assert_eq!(
        encode(&build_dol(&h("5F2403"), &[&tree]).unwrap()),
        "251231"
    );
}

#[test]
fn field55_build_and_parse() {
    let src = TagValues::from_hex_pairs(&[
        ("9F26", "1122334455667788"),
        ("9F10", "07010103A0A80201"),
        ("9F37", "DEADBEEF"),
        ("9F36", "0012"),
        ("95", "0000000000"),
        ("9A", "240217"),
        ("9C", "00"),
        ("9F02", "000000000100"),
        ("5F2A", "0156"),
        ("82", "7C00"),
        ("9F1A", "0156"),
        ("9F03", "000000000000"),
        ("9F33", "E0F8C8"),
        ("9F63", "00000000000000000000000000000000"),
    ])
    .unwrap();
    let opts = Field55Options {
        contactless: true,
        kind: Field55Kind::PreAuth,
        ..Default::default()
    };
    let f55 = build_field55(&src, &opts).unwrap();
    let tree = parse_tree(&f55, ParseOptions::strict()).unwrap();
    let tags: Vec<String> = tree.roots().map(|n| n.tag().to_string()).collect();
    assert_eq!(tags.first().map(String::as_str), Some("9F26"));
    assert_eq!(tags[1], "9F27");
    assert_eq!(tree.find(Tag::of(0x9F27)).unwrap().value(), [0x80]);
    assert_eq!(tags.last().map(String::as_str), Some("9F63"));
    assert_eq!(tags.len(), 15);
    let resp = parse_field55_response(&h("910A11223344556677883030")).unwrap();
    assert_eq!(resp.issuer_authentication.unwrap().rest, b"00");
    assert!(resp.scripts.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dol_data_has_exactly_the_requested_length(
        entries in prop::collection::vec((prop::sample::select(vec![0x9F02u32, 0x5A, 0x95, 0x9F37, 0x9A, 0x9F1A, 0x70, 0xDF31]), 0usize..40), 0..12),
        values in prop::collection::vec((prop::sample::select(vec![0x9F02u32, 0x5A, 0x95, 0x9F37, 0x9A, 0xDF31]), prop::collection::vec(any::<u8>(), 0..20)), 0..8),
    ) {
        let mut dol = Vec::new();
        for (t, l) in &entries {
            Tag::of(*t).write_to(&mut dol);
            dol.push(*l as u8);
        }
        let parsed = parse_dol(&dol).unwrap();
        prop_assert_eq!(parsed.len(), entries.len());
        let mut src = TagValues::new();
        for (t, v) in values {
            src.insert(Tag::of(t), v);
        }
        let data = build_dol(&dol, &[&src]).unwrap();
        prop_assert_eq!(data.len(), entries.iter().map(|e| e.1).sum::<usize>());
    }

    #[test]
    fn dol_parse_never_panics(data in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(entries) = parse_dol(&data) {
            prop_assert!(entries.len() <= data.len() / 2);
        }
    }

    #[test]
    fn cvm_list_round_trip(x in any::<u32>(), y in any::<u32>(), rules in prop::collection::vec(any::<[u8; 2]>(), 0..10)) {
        let mut v = x.to_be_bytes().to_vec();
        v.extend_from_slice(&y.to_be_bytes());
        for r in &rules {
            v.extend_from_slice(&[r[0] & 0x7F, r[1]]);
        }
        let list = CvmList::from_bytes(&v).unwrap();
        prop_assert_eq!(list.to_bytes(), v);
    }

    #[test]
    fn explain_never_panics(tag in prop::sample::select(vec![0x95u32, 0x9B, 0x82, 0x9F07, 0x9F33, 0x9F40, 0x8E, 0x9F34, 0x9F27, 0x9F35, 0x9C, 0x9F10, 0x9A, 0x9F21, 0x5A, 0x50]), v in prop::collection::vec(any::<u8>(), 0..40)) {
        let _ = explain(Tag::of(tag), &v);
    }
}
