//! BER-TLV: every mode, tree and iterator, redaction and canonical re-encoding must never
//! panic, and every span must be where its offset says.
#![no_main]

use paycore::tlv::{ParseOptions, TlvIter, encode_objects, parse_tree, redact_tlv};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for options in [
        ParseOptions::strict(),
        ParseOptions::emv(),
        ParseOptions::lenient()
            .with_four_byte_tags()
            .with_max_depth(255),
    ] {
        for tlv in TlvIter::new(data, options).flatten() {
            assert_eq!(
                tlv.raw(),
                &data[tlv.offset()..tlv.offset() + tlv.raw().len()]
            );
        }
        if let Ok(tree) = parse_tree(data, options) {
            for node in tree.iter() {
                assert_eq!(
                    node.raw(),
                    &data[node.offset()..node.offset() + node.raw().len()]
                );
            }
            // Canonical re-encoding parses back in strict mode to the same objects.
            let canonical = encode_objects(&tree.to_objects());
            let strict = ParseOptions::strict()
                .with_reject_duplicates(false)
                .with_max_depth(255)
                .with_four_byte_tags();
            let again = parse_tree(&canonical, strict).expect("canonical encoding parses");
            assert_eq!(again.len(), tree.len());
        }
    }
    if let Ok(hex) = redact_tlv(data) {
        assert_eq!(hex.len(), data.len() * 2);
    }
    for tag in [0x95u32, 0x9F34, 0x8E, 0x9F10, 0x9A, 0x5A] {
        let _ = paycore::emv::explain(paycore::tlv::Tag::new(tag).unwrap(), data);
    }
});
