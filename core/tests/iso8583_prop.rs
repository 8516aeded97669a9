//! Round-trip properties over random valid messages for every built-in spec, and robustness of
//! the decoder against arbitrary bytes.

use paycore::iso8583::*;
use proptest::prelude::*;

/// A random valid logical value for a field.
fn value(fs: &FieldSpec) -> BoxedStrategy<Vec<u8>> {
    let max = usize::from(fs.max).min(64);
    let len: BoxedStrategy<usize> = if fs.length == LengthType::Fixed {
        Just(usize::from(fs.max)).boxed()
    } else {
        (0..=max).boxed()
    };
    let format = fs.format;
    let encoding = fs.encoding;
    len.prop_flat_map(move |n| {
        let ch: BoxedStrategy<u8> = match format {
            Format::N => (b'0'..=b'9').boxed(),
            Format::Z => prop_oneof![9 => b'0'..=b'9', 1 => Just(b'=')].boxed(),
            Format::Xn => (b'0'..=b'9').boxed(),
            Format::A | Format::An => (0x20u8..=0x7E).boxed(),
            Format::Ans if encoding == Encoding::Ebcdic => (0x20u8..=0x7E).boxed(),
            Format::Ans | Format::B => any::<u8>().boxed(),
        };
        proptest::collection::vec(ch, n).prop_map(move |mut v| {
            if format == Format::Xn && !v.is_empty() {
                v[0] = if v[0] % 2 == 0 { b'C' } else { b'D' };
            }
            v
        })
    })
    .boxed()
}

fn message(spec: Spec) -> impl Strategy<Value = (Spec, Message)> {
    let numbers: Vec<u16> = spec.fields().map(|(n, _)| n).collect();
    let chosen = proptest::sample::subsequence(numbers, 0..=24);
    let mti = (0u16..=9999).prop_map(|n| Mti::parse(&format!("{n:04}")).unwrap());
    (Just(spec), chosen, mti).prop_flat_map(|(spec, chosen, mti)| {
        let vals: Vec<_> = chosen
            .iter()
            .map(|&n| value(spec.field(n).unwrap()))
            .collect();
        (Just(spec), Just(chosen), Just(mti), vals).prop_map(|(spec, chosen, mti, vals)| {
            let mut m = Message::new(mti);
            for (n, v) in chosen.into_iter().zip(vals) {
                m.set(n, v);
            }
            (spec, m)
        })
    })
}

fn any_builtin() -> impl Strategy<Value = Spec> {
    proptest::sample::select(Spec::builtin_names().to_vec()).prop_map(|n| Spec::builtin(n).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_decode_round_trip((spec, msg) in any_builtin().prop_flat_map(message)) {
        let bytes = msg.encode(&spec).unwrap();
        let view = decode_ref(&spec, &bytes).unwrap();
        prop_assert_eq!(view.mti(), msg.mti());
        let back = view.to_message();
        prop_assert_eq!(&back, &msg);
        prop_assert_eq!(back.encode(&spec).unwrap(), bytes.clone());
        let mut buf = vec![0u8; bytes.len()];
        prop_assert_eq!(msg.encode_into(&spec, &mut buf).unwrap(), bytes.len());
        prop_assert_eq!(&buf, &bytes);
        // JSON is an exact inverse too.
        let json = msg.to_json(&spec);
        prop_assert_eq!(Message::from_json(&json, &spec).unwrap(), msg.clone());
        // Describe never fails and masks PANs.
        let _ = describe(&msg, &spec, true);
    }

    #[test]
    fn decoder_never_panics(name in proptest::sample::select(Spec::builtin_names().to_vec()),
                            data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let spec = Spec::builtin(name).unwrap();
        if let Ok(m) = decode_ref(&spec, &data) {
            // Whatever decodes re-encodes to the same bytes.
            prop_assert_eq!(m.to_message().encode(&spec).unwrap(), data);
        } else if let Err(e) = decode_ref(&spec, &data) {
            prop_assert!(e.offset <= data.len());
        }
    }

    #[test]
    fn deframer_reassembles_any_chunking(bodies in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..50), 0..6),
        cuts in proptest::collection::vec(1usize..20, 1..40)) {
        let mut stream = Vec::new();
        for b in &bodies {
            LengthHeader::Binary2.write(b.len(), &mut stream).unwrap();
            stream.extend_from_slice(b);
        }
        let mut d = Deframer::new(LengthHeader::Binary2, 64);
        let mut got = Vec::new();
        let mut rest = &stream[..];
        let mut i = 0;
        while !rest.is_empty() {
            let take = cuts[i % cuts.len()].min(rest.len());
            i += 1;
            let n = d.push(&rest[..take]).unwrap();
            rest = &rest[n..];
            while let Some(f) = d.pop().unwrap() {
                got.push(f);
            }
        }
        prop_assert_eq!(got, bodies);
    }
}
