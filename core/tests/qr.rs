//! EMVCo QR (MPM and CPM) against the reference example, error cases and properties.

use paycore::qr::*;
use proptest::prelude::*;

const EMVCO: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fn with_crc(body: &str) -> String {
    let mut s = format!("{body}6304");
    let crc = crc16_ccitt_false(s.as_bytes());
    s.push_str(&format!("{crc:04X}"));
    s
}

fn base() -> MerchantPayload {
    MerchantPayload {
        point_of_initiation: Some(PointOfInitiation::Static),
        merchant_accounts: vec![MerchantAccount::UnionPay {
            id: 15,
            acquirer_iin: "12345678".into(),
            forwarding_iin: "87654321".into(),
            merchant_id: "123456789012345".into(),
        }],
        merchant_category_code: "5812".into(),
        transaction_currency: "156".into(),
        transaction_amount: None,
        tip_or_convenience: None,
        country_code: "CN".into(),
        merchant_name: "NOODLE HOUSE".into(),
        merchant_city: "SHANGHAI".into(),
        postal_code: None,
        additional_data: None,
        language: None,
        rfu: vec![],
        unreserved_templates: vec![],
    }
}

#[test]
fn crc_check_value_and_example() {
    assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
    let body = &EMVCO[..EMVCO.len() - 4];
    assert_eq!(crc16_ccitt_false(body.as_bytes()), 0xA13A);
    assert!(parse_mpm(EMVCO).is_ok());
}

#[test]
fn static_unionpay_code() {
    let p = base();
    let s = build_mpm(&p).unwrap();
    assert!(s.starts_with("000201010211153112345678876543211234567890123455204581253031565802CN5912NOODLE HOUSE6008SHANGHAI6304"), "{s}");
    assert_eq!(parse_mpm(&s).unwrap(), p);
    // A UnionPay value that is not 31 characters is kept as text.
    let odd = with_crc("00020111061234565204581253031565802CN5901X6001Y");
    let parsed = parse_mpm(&odd).unwrap();
    assert_eq!(
        parsed.merchant_accounts,
        [MerchantAccount::Primitive {
            id: 11,
            value: "123456".into()
        }]
    );
}

#[test]
fn dynamic_code_with_fees_and_templates() {
    let mut p = base();
    p.point_of_initiation = Some(PointOfInitiation::Dynamic);
    p.transaction_amount = Some("1234.50".into());
    p.merchant_accounts
        .push(MerchantAccount::Template(AccountTemplate {
            id: 26,
            fields: vec![
                QrField {
                    id: 0,
                    value: "BR.GOV.BCB.PIX".into(),
                },
                QrField {
                    id: 1,
                    value: "key@example.com".into(),
                },
            ],
        }));
    p.tip_or_convenience = Some(TipOrConvenience::FixedFee("2.00".into()));
    p.additional_data = Some(AdditionalData {
        bill_number: Some("INV-001".into()),
        terminal_label: Some("T01".into()),
        consumer_data_request: Some("AME".into()),
        other: vec![QrField {
            id: 50,
            value: "0004TEST".into(),
        }],
        ..Default::default()
    });
    p.language = Some(MerchantLanguage {
        language_preference: "ZH".into(),
        merchant_name: "面馆".into(),
        merchant_city: Some("上海".into()),
        other: vec![],
    });
    let s = build_mpm(&p).unwrap();
    assert!(s.contains("54071234.50"), "{s}");
    assert!(s.contains("550202") && s.contains("56042.00"));
    assert!(s.contains("64180002ZH0102面馆0202上海"));
    assert_eq!(parse_mpm(&s).unwrap(), p);
    p.tip_or_convenience = Some(TipOrConvenience::PercentageFee("3.5".into()));
    let s = build_mpm(&p).unwrap();
    assert!(s.contains("5502035703"));
    assert_eq!(parse_mpm(&s).unwrap(), p);
}

#[test]
fn borrowed_parse_matches_owned() {
    let owned = parse_mpm(EMVCO).unwrap();
    let borrowed: MerchantPayload<&str> = parse_mpm_borrowed(EMVCO).unwrap();
    assert_eq!(borrowed.merchant_name, "BEST TRANSPORT");
    assert_eq!(
        borrowed.language.as_ref().unwrap().merchant_name,
        "最佳运输"
    );
    assert_eq!(borrowed.transaction_amount, Some("23.72"));
    assert_eq!(
        serde_json::to_value(&borrowed).unwrap(),
        serde_json::to_value(&owned).unwrap()
    );
    // Every rejection is the same error, at the same place.
    for bad in [
        EMVCO.replace("6304A13A", "63040000"),
        EMVCO.replace("0202北京", "02X2北京"),
        EMVCO.replace("5802CN", "5802C1"),
        EMVCO[..EMVCO.len() - 8].to_string(),
        EMVCO.replacen("000201", "000202", 1),
    ] {
        assert_eq!(
            parse_mpm_borrowed(&bad).unwrap_err(),
            parse_mpm(&bad).unwrap_err(),
            "{bad}"
        );
    }
}

#[test]
fn payloads_with_many_objects() {
    // 65–79 RFU and 80–99 templates on top of the mandatory objects: 45 top-level objects.
    let mut p = base();
    p.rfu = (65..=79)
        .map(|id| QrField {
            id,
            value: format!("R{id}"),
        })
        .collect();
    p.unreserved_templates = (80..=99)
        .map(|id| AccountTemplate {
            id,
            fields: vec![QrField {
                id: 0,
                value: format!("com.example.{id}"),
            }],
        })
        .collect();
    let s = build_mpm(&p).unwrap();
    assert_eq!(parse_mpm(&s).unwrap(), p);
    assert_eq!(
        serde_json::to_value(parse_mpm_borrowed(&s).unwrap()).unwrap(),
        serde_json::to_value(&p).unwrap()
    );
    // 150 repetitions of one RFU object: the first repeat is reported, after the CRC checks.
    let body = format!("000201{}", "6502AB".repeat(150));
    let e = parse_mpm(&with_crc(&body)).unwrap_err();
    assert_eq!(
        (e.offset, e.path.as_str(), &e.kind),
        (12, "65", &QrErrorKind::Duplicate)
    );
    assert_eq!(parse_mpm_borrowed(&with_crc(&body)).unwrap_err(), e);
    let e = parse_mpm(&format!("{body}63040000")).unwrap_err();
    assert!(matches!(e.kind, QrErrorKind::CrcMismatch { .. }), "{e:?}");
}

#[test]
fn structural_errors_with_character_offsets() {
    // CRC mismatch reports expected and actual.
    let e = parse_mpm(&EMVCO.replace("6304A13A", "63040000")).unwrap_err();
    assert_eq!(
        e.kind,
        QrErrorKind::CrcMismatch {
            expected: "A13A".into(),
            actual: "0000".into()
        }
    );
    // Offsets count characters: a bad length after the Chinese text.
    let bad = EMVCO.replace("0202北京", "02X2北京");
    let e = parse_mpm(&bad).unwrap_err();
    // 64 starts at char 121; its value at 125; 0002ZH (6) + 0104最佳运输 (8) → sub-object 02 at 139, LEN at 141.
    assert!(matches!(e.kind, QrErrorKind::CrcMismatch { .. }));
    assert_eq!((e.offset, e.path.as_str()), (244, "63"));
    let bad = with_crc(&EMVCO[..EMVCO.len() - 8].replace("0202北京", "02X2北京"));
    let e = parse_mpm(&bad).unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (QrErrorKind::BadLengthDigits, 141, "64/02")
    );
    // 00 must be first.
    let e = parse_mpm(&with_crc("01021200020152045812")).unwrap_err();
    assert_eq!((e.kind, e.offset), (QrErrorKind::PayloadFormatIndicator, 0));
    // 63 must be last.
    let s = format!("{}5802CN", with_crc("000201"));
    let e = parse_mpm(&s).unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (QrErrorKind::CrcPosition, 14, "58")
    );
    // Missing mandatory objects.
    let e = parse_mpm(&with_crc("00020111061234565204581253031565802CN5901X")).unwrap_err();
    assert_eq!(e.kind, QrErrorKind::MissingMandatory("60".into()));
    let e = parse_mpm(&with_crc("000201520458125303156")).unwrap_err();
    assert!(matches!(e.kind, QrErrorKind::MissingMandatory(_)));
    // Duplicate IDs.
    let e = parse_mpm(&with_crc("00020111061234565204581252045812")).unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (QrErrorKind::Duplicate, 24, "52")
    );
    // Zero and non-digit lengths, truncation.
    assert_eq!(
        parse_mpm("000201010").unwrap_err().kind,
        QrErrorKind::Truncated
    );
    assert_eq!(
        parse_mpm("00000").unwrap_err().kind,
        QrErrorKind::BadLengthDigits
    );
    let e = parse_mpm("000201019912").unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (QrErrorKind::Truncated, 10, "01")
    );
    // Value format errors.
    let e = parse_mpm(&with_crc("00020111061234565204ABCD53031565802CN5901X6001Y")).unwrap_err();
    assert_eq!((e.offset, e.path.as_str()), (20, "52"));
    assert!(matches!(e.kind, QrErrorKind::BadValue(_)));
    let e = parse_mpm(&with_crc(
        "00020111061234565204581253031565404-1.05802CN5901X6001Y",
    ))
    .unwrap_err();
    assert_eq!(e.path, "54");
    // Fee indicator without its fee.
    let e = parse_mpm(&with_crc(
        "00020111061234565204581253031565502025802CN5901X6001Y",
    ))
    .unwrap_err();
    assert_eq!(e.kind, QrErrorKind::MissingMandatory("56".into()));
    // Build refuses values longer than 99 characters.
    let mut p = base();
    p.merchant_accounts = vec![MerchantAccount::Primitive {
        id: 2,
        value: "x".repeat(100),
    }];
    assert!(build_mpm(&p).is_err());
}

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::string::string_regex(&format!("[A-Za-z0-9 .最佳运输]{{1,{max}}}")).unwrap()
}

fn payload() -> impl Strategy<Value = MerchantPayload> {
    (
        prop::option::of(prop_oneof![
            Just(PointOfInitiation::Static),
            Just(PointOfInitiation::Dynamic)
        ]),
        prop::collection::vec((2u8..=25, text(40)), 1..3),
        prop::option::of("[0-9]{1,8}(\\.[0-9]{2})?"),
        text(25),
        text(15),
        prop::option::of(text(10)),
        prop::option::of(text(20)),
    )
        .prop_map(|(poi, accounts, amount, name, city, postal, bill)| {
            let mut seen = std::collections::BTreeSet::new();
            let merchant_accounts = accounts
                .into_iter()
                .filter(|(id, _)| seen.insert(*id))
                .map(|(id, value)| MerchantAccount::Primitive { id, value })
                .collect();
            MerchantPayload {
                point_of_initiation: poi,
                merchant_accounts,
                merchant_category_code: "5999".into(),
                transaction_currency: "840".into(),
                transaction_amount: amount,
                tip_or_convenience: None,
                country_code: "US".into(),
                merchant_name: name,
                merchant_city: city,
                postal_code: postal,
                additional_data: bill.map(|b| AdditionalData {
                    bill_number: Some(b),
                    ..Default::default()
                }),
                language: None,
                rfu: vec![],
                unreserved_templates: vec![],
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mpm_round_trip(p in payload()) {
        // Unicode that would make a UnionPay value 31 characters is not generated (ids 15/16 primitive
        // values of 31 ASCII characters would legitimately parse as the UnionPay layout).
        prop_assume!(p.merchant_accounts.iter().all(|a| !matches!(a, MerchantAccount::Primitive { id: 15 | 16, value } if value.chars().count() == 31 && value.is_ascii())));
        let s = build_mpm(&p).unwrap();
        prop_assert_eq!(parse_mpm(&s).unwrap(), p.clone());
        // The borrowed parse reads the same payload (JSON compares String and &str alike).
        let borrowed = parse_mpm_borrowed(&s).unwrap();
        prop_assert_eq!(serde_json::to_value(&borrowed).unwrap(), serde_json::to_value(&p).unwrap());
        // Any single-character change breaks the CRC or the structure.
        let chars: Vec<char> = s.chars().collect();
        let i = chars.len() / 2;
        let mut m = chars.clone();
        m[i] = if m[i] == 'Z' { 'Y' } else { 'Z' };
        let m: String = m.into_iter().collect();
        prop_assert!(parse_mpm(&m).is_err());
    }

    #[test]
    fn mpm_arbitrary_text_never_panics(s in "[0-9A-Z最.]{0,80}") {
        if let Err(e) = parse_mpm(&s) {
            prop_assert!(e.offset <= s.chars().count());
            prop_assert_eq!(parse_mpm_borrowed(&s).unwrap_err(), e);
        }
    }

    #[test]
    fn cpm_arbitrary_input_never_panics(s in "[A-Za-z0-9+/=]{0,120}", b in prop::collection::vec(any::<u8>(), 0..120)) {
        let _ = parse_cpm(&s);
        let _ = parse_cpm_bytes(&b);
    }
}
