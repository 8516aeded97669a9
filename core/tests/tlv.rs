//! BER-TLV reader/writer: the edge cases of the reference table, bounds, and properties.

use paycore::hex::{decode, encode};
use paycore::tlv::*;
use proptest::prelude::*;

fn h(s: &str) -> Vec<u8> {
    decode(s).unwrap()
}

fn top_level(bytes: &[u8], o: ParseOptions) -> Result<Vec<(String, String)>, TlvError> {
    parse_tree(bytes, o).map(|t| {
        t.roots()
            .map(|n| (n.tag().to_string(), encode(n.value())))
            .collect()
    })
}

#[test]
fn reference_edge_cases() {
    let (strict, emv, lenient) = (
        ParseOptions::strict(),
        ParseOptions::emv(),
        ParseOptions::lenient(),
    );
    let amount = vec![("9F02".to_string(), "000000000100".to_string())];
    for o in [strict, emv, lenient] {
        assert_eq!(top_level(&h("9F0206000000000100"), o).unwrap(), amount);
    }
    // Leading 00 padding.
    assert_eq!(
        top_level(&h("00009F0206000000000100"), emv).unwrap(),
        amount
    );
    assert_eq!(
        top_level(&h("00009F0206000000000100"), strict)
            .unwrap_err()
            .kind,
        TlvErrorKind::BadTag
    );
    // Padding between and after objects, EMV mode.
    assert_eq!(
        top_level(&h("9F0206000000000100005F340101000000"), emv)
            .unwrap()
            .len(),
        2
    );
    // Trailing FF.
    assert_eq!(
        top_level(&h("9F0206000000000100FFFF"), lenient).unwrap(),
        amount
    );
    let e = top_level(&h("9F0206000000000100FFFF"), strict).unwrap_err();
    assert_eq!((e.kind, e.offset), (TlvErrorKind::Trailing, 9));
    // 3-byte tag.
    assert_eq!(
        top_level(&h("DF81290100"), emv).unwrap(),
        [("DF8129".to_string(), "00".to_string())]
    );
    // 4-byte tag: rejected by default, accepted on request.
    let e = top_level(&h("DF8181010100"), emv).unwrap_err();
    assert_eq!((e.kind, e.offset), (TlvErrorKind::TagTooLong { max: 3 }, 0));
    assert_eq!(
        top_level(&h("DF8181010100"), emv.with_four_byte_tags()).unwrap()[0].0,
        "DF818101"
    );
    // Length form 84: lenient only.
    assert_eq!(
        top_level(&h("9F028400000006000000000100"), lenient).unwrap(),
        amount
    );
    assert!(matches!(
        top_level(&h("9F028400000006000000000100"), emv)
            .unwrap_err()
            .kind,
        TlvErrorKind::BadLength { .. }
    ));
    // Indefinite length.
    let e = top_level(&h("70800000"), emv).unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (TlvErrorKind::Indefinite, 1, "70")
    );
    assert_eq!(
        top_level(&h("70800000"), lenient).unwrap_err().kind,
        TlvErrorKind::Indefinite
    );
    // Nested child with a non-minimal length: valid BER, raw span kept.
    let data = h("E106E181039C0100");
    let tree = parse_tree(&data, emv).unwrap();
    let inner = tree.find_path("E1/E1").unwrap();
    assert_eq!(inner.raw(), &h("E181039C0100")[..]);
    assert_eq!(inner.offset(), 2);
    let txn = tree.find_path("E1/E1/9C").unwrap();
    assert_eq!((txn.offset(), txn.value()), (5, &[0u8][..]));
    assert_eq!(encode_objects(&tree.to_objects()), h("E105E1039C0100"));
    let e = parse_tree(&data, strict).unwrap_err();
    assert_eq!((e.offset, e.path.as_str()), (3, "E1/E1"));
    assert!(matches!(e.kind, TlvErrorKind::BadLength { .. }));
}

fn deep_nesting(levels: usize) -> Vec<u8> {
    // Every level uses the 4-byte length form 83 xx xx xx so the lengths are exact.
    let mut out = Vec::with_capacity(levels * 5);
    for i in 0..levels {
        let inner = 5 * (levels - 1 - i);
        out.extend_from_slice(&[
            0xE1,
            0x83,
            (inner >> 16) as u8,
            (inner >> 8) as u8,
            inner as u8,
        ]);
    }
    out
}

#[test]
fn hundred_thousand_deep_nesting_is_a_clean_error() {
    let data = deep_nesting(100_000);
    assert_eq!(data.len(), 500_000);
    let start = std::time::Instant::now();
    let e = parse_tree(&data, ParseOptions::lenient()).unwrap_err();
    assert_eq!(e.kind, TlvErrorKind::TooDeep { max: 8 });
    assert_eq!(e.offset, 8 * 5);
    assert_eq!(e.path.split('/').count(), 9);
    let e = parse_tree(&data, ParseOptions::lenient().with_max_depth(255)).unwrap_err();
    assert_eq!(e.kind, TlvErrorKind::TooDeep { max: 255 });
    // In EMV mode the 83 length form is already refused at the first header.
    assert!(matches!(
        parse_tree(&data, ParseOptions::emv()).unwrap_err().kind,
        TlvErrorKind::BadLength { .. }
    ));
    // Indefinite-length nesting.
    let indefinite: Vec<u8> = std::iter::repeat_n([0xE1u8, 0x80], 100_000)
        .flatten()
        .collect();
    assert_eq!(
        parse_tree(&indefinite, ParseOptions::lenient())
            .unwrap_err()
            .kind,
        TlvErrorKind::Indefinite
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    // Depth exactly at the limit is fine.
    assert_eq!(
        parse_tree(&deep_nesting(8), ParseOptions::lenient())
            .unwrap()
            .len(),
        8
    );
}

#[test]
fn two_gigabyte_length_is_fast_and_clean() {
    let data = h("9F02847FFFFFFF00");
    let e = parse_tree(&data, ParseOptions::lenient()).unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (TlvErrorKind::Truncated, 7, "9F02")
    );
    let data = h("70820FA09F0201");
    let e = parse_tree(&data, ParseOptions::emv()).unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (TlvErrorKind::Truncated, 4, "70")
    );
}

#[test]
fn errors_carry_offsets_and_paths() {
    // Truncated value inside a template.
    let e = parse_tree(&h("700A5A0854133300890200"), ParseOptions::emv()).unwrap_err();
    assert_eq!((e.kind, e.offset), (TlvErrorKind::Truncated, 2));
    let e = parse_tree(&h("70055F24032512"), ParseOptions::emv()).unwrap_err();
    assert_eq!(
        (e.kind, e.path.as_str(), e.offset),
        (TlvErrorKind::Truncated, "70/5F24", 5)
    );
    // Truncated tag and length.
    assert_eq!(
        parse_tree(&h("9F"), ParseOptions::emv()).unwrap_err().kind,
        TlvErrorKind::Truncated
    );
    assert_eq!(
        parse_tree(&h("9F02"), ParseOptions::emv())
            .unwrap_err()
            .kind,
        TlvErrorKind::Truncated
    );
    assert_eq!(
        parse_tree(&h("9F0281"), ParseOptions::emv())
            .unwrap_err()
            .kind,
        TlvErrorKind::Truncated
    );
    // Duplicate in strict mode, at the second occurrence, with its path.
    let data = h("700B9F0201015701009F020102");
    let e = parse_tree(&data, ParseOptions::strict()).unwrap_err();
    assert_eq!(
        (e.kind, e.offset, e.path.as_str()),
        (TlvErrorKind::Duplicate, 9, "70/9F02")
    );
    assert!(parse_tree(&data, ParseOptions::emv()).is_ok());
    let e = parse_tree(
        &h("5F3401015F340102"),
        ParseOptions::emv().with_reject_duplicates(true),
    )
    .unwrap_err();
    assert_eq!((e.kind, e.offset), (TlvErrorKind::Duplicate, 4));
    // The same tag in two different templates is not a duplicate.
    assert!(parse_tree(&h("7003570100770357010F"), ParseOptions::strict()).is_ok());
    let msg = parse_tree(&h("70055F24032512"), ParseOptions::emv())
        .unwrap_err()
        .to_string();
    assert_eq!(msg, "truncated at byte offset 5 (tag path 70/5F24)");
}

#[test]
fn iterator_is_one_level_and_spans_are_exact() {
    let data = h("9F26081122334455667788");
    let objs: Vec<_> = TlvIter::new(&data, ParseOptions::emv())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0].raw(), &data[..]);
    let data = h("70035701009F36020012");
    let objs: Vec<_> = TlvIter::new(&data, ParseOptions::emv())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        objs.iter().map(|t| t.tag().to_string()).collect::<Vec<_>>(),
        ["70", "9F36"]
    );
    let kids: Vec<_> = objs[0]
        .children(ParseOptions::emv())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        (kids[0].tag(), kids[0].offset(), kids[0].value()),
        (Tag::of(0x57), 2, &[0u8][..])
    );
}

#[test]
fn builder_and_redaction() {
    let mut b = TlvBuilder::new();
    b.constructed(Tag::of(0x70), |b| {
        b.primitive(Tag::of(0x5A), &h("6230606601007726888F"));
        b.primitive(Tag::of(0x5F24), &h("301231"));
    });
    b.primitive(Tag::of(0x9F02), &[0u8; 200]);
    let bytes = b.finish();
    assert_eq!(&bytes[..2], &[0x70, 0x12]);
    assert_eq!(&bytes[20..24], &[0x9F, 0x02, 0x81, 0xC8]);
    let red = redact_tlv(&bytes).unwrap();
    assert!(red.starts_with("70125A0A623060*********6888F5F2403301231"));
    assert!(!red.contains("6601007726"));
    assert_eq!(red.len(), bytes.len() * 2);
    assert!(redact_tlv(&h("5A08")).is_err());
    // Debug output masks the PAN too.
    let tree = parse_tree(&bytes, ParseOptions::emv()).unwrap();
    let dbg = format!("{:?}", tree.find(Tag::of(0x5A)).unwrap());
    assert!(dbg.contains("623060*********6888F"), "{dbg}");
    assert!(!dbg.contains("6601007726"));
}

fn primitive_tag() -> impl Strategy<Value = Tag> {
    prop::sample::select(vec![
        0x5Au32, 0x57, 0x82, 0x95, 0x9A, 0x9F02, 0x9F03, 0x9F10, 0x9F26, 0x5F2A, 0xDF31, 0xDF8129,
        0x8A,
    ])
    .prop_map(Tag::of)
}

fn object() -> impl Strategy<Value = TlvObject> {
    let leaf = (primitive_tag(), prop::collection::vec(any::<u8>(), 0..300))
        .prop_map(|(t, v)| TlvObject::primitive(t, v));
    leaf.prop_recursive(4, 40, 6, |inner| {
        (
            prop::sample::select(vec![0x70u32, 0x77, 0x61, 0xA5, 0xBF0C, 0xE1]),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(t, c)| TlvObject::constructed(Tag::of(t), c))
    })
}

fn strip(objs: &mut [TlvObject]) {
    for o in objs {
        o.offset = 0;
        strip(&mut o.children);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_parse_round_trip(objs in prop::collection::vec(object(), 0..5)) {
        let bytes = encode_objects(&objs);
        let tree = parse_tree(&bytes, ParseOptions::strict().with_reject_duplicates(false)).unwrap();
        let mut back = tree.to_objects();
        strip(&mut back);
        prop_assert_eq!(&back, &objs);
        // Spans are exact: every raw slice is where its offset says, and re-encodes to itself.
        for n in tree.iter() {
            prop_assert_eq!(n.raw(), &bytes[n.offset()..n.offset() + n.raw().len()]);
            prop_assert!(n.raw().ends_with(n.value()));
        }
        // EMV padding anywhere between objects is skipped.
        let mut padded = vec![0u8; 3];
        padded.extend_from_slice(&bytes);
        padded.extend_from_slice(&[0, 0]);
        let mut back = parse_tree(&padded, ParseOptions::emv()).unwrap().to_objects();
        strip(&mut back);
        prop_assert_eq!(&back, &objs);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..200)) {
        for o in [ParseOptions::strict(), ParseOptions::emv(), ParseOptions::lenient().with_four_byte_tags()] {
            match parse_tree(&data, o) {
                Ok(t) => for n in t.iter() {
                    prop_assert_eq!(n.raw(), &data[n.offset()..n.offset() + n.raw().len()]);
                },
                Err(e) => prop_assert!(e.offset <= data.len()),
            }
            let _ = TlvIter::new(&data, o).count();
            let _ = redact_tlv(&data);
        }
    }

    #[test]
    fn length_encoding_round_trips(len in 0usize..100_000) {
        let mut v = Vec::new();
        encode_length(len, &mut v);
        prop_assert_eq!(parse_length(&v, &ParseOptions::strict()).ok(), if v.len() <= 3 { Some((len, v.len())) } else { None });
        prop_assert_eq!(parse_length(&v, &ParseOptions::lenient()).unwrap(), (len, v.len()));
    }
}
