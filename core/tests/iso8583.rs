//! ISO 8583 codec: byte-exact CUP POS messages built from the reference's field rules
//! (`iso8583-cup-pos.md` §4.3–4.6), error locations, JSON, describe masking, framing, MAC hook.

use paycore::hex;
use paycore::iso8583::frame::Framing;
use paycore::iso8583::mac::{self, MacError};
use paycore::iso8583::*;

fn cup() -> Spec {
    Spec::builtin("cup-pos").unwrap()
}

fn h(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(&clean).unwrap()
}

const PAN: &str = "6228480402564890018";
const TRACK2: &str = "6228480402564890018=25122201234500000";
/// 9F26 9F27 5A 95 9A 9C 9F02 5F2A 82 — 58 bytes.
const ICC: &str = "9F26081122334455667788 9F270180 5A086228480402564890 95050000000000 \
                   9A03251125 9C0100 9F0206000000000100 5F2A020156 82027C00";

fn sale() -> Message {
    let mut m = Message::new(Mti::parse("0200").unwrap());
    m.set_text(2, PAN)
        .set_text(3, "000000")
        .set_text(4, "000000000100")
        .set_text(11, "000123")
        .set_text(14, "2512")
        .set_text(22, "071")
        .set_text(23, "001")
        .set_text(25, "00")
        .set_text(26, "12")
        .set_text(35, TRACK2)
        .set_text(41, "12345678")
        .set_text(42, "123456789012345")
        .set_text(49, "156")
        .set_bytes(52, &h("0123456789ABCDEF"))
        .set_text(53, "2600000000000000")
        .set_bytes(55, &h(ICC))
        .set_text(60, "22000024000600")
        .set_bytes(64, b"1A2B3C4D");
    m
}

/// The sale as the CUP rules lay it out, field by field.
fn sale_bytes() -> Vec<u8> {
    h(&[
        "0200",                                       // MTI, BCD
        "702406C020C09A11", // bitmap: 2 3 4 11 14 22 23 25 26 35 41 42 49 52 53 55 60 64
        "19 6228480402564890018 0", // F2: LL=19 digits, BCD left-aligned, pad 0
        "000000",           // F3
        "000000000100",     // F4
        "000123",           // F11
        "2512",             // F14
        "0710",             // F22: left-aligned (the one fixed exception)
        "0001",             // F23: right-aligned
        "00",               // F25
        "12",               // F26
        "37 6228480402564890018D25122201234500000 0", // F35: 37 digits, '=' as D, pad 0
        "3132333435363738", // F41 ASCII
        "313233343536373839303132333435", // F42 ASCII
        "313536",           // F49 "156"
        "0123456789ABCDEF", // F52
        "2600000000000000", // F53
        "0058",             // F55 LLL = 58 bytes
        ICC,
        "0014 22000024000600", // F60 LLL = 14 digits
        "3141324233433444",    // F64
    ]
    .concat())
}

#[test]
fn cup_sale_encodes_byte_exact() {
    let spec = cup();
    let bytes = sale().encode(&spec).unwrap();
    assert_eq!(hex::encode(&bytes), hex::encode(&sale_bytes()));
    let mut buf = [0u8; 512];
    let n = sale().encode_into(&spec, &mut buf).unwrap();
    assert_eq!(&buf[..n], &bytes[..]);
}

#[test]
fn cup_sale_decodes_field_by_field() {
    let spec = cup();
    let bytes = sale_bytes();
    let m = decode_ref(&spec, &bytes).unwrap();
    assert_eq!(m.mti().as_str(), "0200");
    let f2 = m.field(2).unwrap();
    assert_eq!(f2.len(), 19);
    assert_eq!(&*f2.value(), PAN.as_bytes());
    assert_eq!(m.field(4).unwrap().to_u64(), Some(100));
    assert_eq!(&*m.field(22).unwrap().value(), b"071");
    assert_eq!(&*m.field(23).unwrap().value(), b"001");
    assert_eq!(&*m.field(35).unwrap().value(), TRACK2.as_bytes());
    assert_eq!(m.field(41).unwrap().as_str(), Some("12345678"));
    assert_eq!(m.field(55).unwrap().raw(), &h(ICC)[..]);
    assert_eq!(m.offset(2), Some(10));
    let numbers: Vec<u16> = m.fields().map(|f| f.number()).collect();
    assert_eq!(
        numbers,
        [
            2, 3, 4, 11, 14, 22, 23, 25, 26, 35, 41, 42, 49, 52, 53, 55, 60, 64
        ]
    );
    let owned = m.to_message();
    assert_eq!(owned, sale());
    assert_eq!(
        owned.subfields(&spec, 60).unwrap(),
        vec![&b"22"[..], b"000024", b"000", b"6", b"0", b"0"]
    );
}

#[test]
fn cup_sign_on_0800_and_0810() {
    let spec = cup();
    let mut req = Message::new(Mti::parse("0800").unwrap());
    req.set_text(11, "000001")
        .set_text(41, "12345678")
        .set_text(42, "123456789012345");
    req.set_subfields(&spec, 60, &[b"00", b"000001", b"003"])
        .unwrap();
    req.set_text(63, "001");
    let expected = h(&[
        "0800",
        "0020000000C00012",               // 11 41 42 60 63
        "000001",                         // F11
        "3132333435363738",               // F41
        "313233343536373839303132333435", // F42
        "0011 000000010030",              // F60: 11 digits, left-aligned, pad 0
        "0003 303031",                    // F63: 3 bytes
    ]
    .concat());
    assert_eq!(req.encode(&spec).unwrap(), expected);

    // 0810 with a 40-byte key block (60.3 = 003) and a response code.
    let mut resp = Message::new(req.mti().response().unwrap());
    resp.set_text(11, "000001")
        .set_text(12, "101010")
        .set_text(13, "1125")
        .set_text(32, "00000001")
        .set_text(37, "000000000001")
        .set_text(39, "00")
        .set_text(41, "12345678")
        .set_text(42, "123456789012345")
        .set_text(60, "00000002003")
        .set_bytes(62, &[0xAB; 40]);
    let bytes = resp.encode(&spec).unwrap();
    assert_eq!(&bytes[..2], &h("0810")[..]);
    // F32: LL = 08 digits, BCD left-aligned: 08 00000001.
    let view = decode_ref(&spec, &bytes).unwrap();
    let f32 = view.field(32).unwrap();
    assert_eq!(f32.encoded(), &h("08 00000001")[..]);
    assert_eq!(view.field(62).unwrap().encoded()[..2], h("0040")[..]);
    assert_eq!(view.to_message(), resp);
}

#[test]
fn mti_accessors() {
    let m = Mti::parse("0200").unwrap();
    assert_eq!(m.version(), MtiVersion::Iso1987);
    assert_eq!(m.class(), MtiClass::Financial);
    assert_eq!(m.function(), MtiFunction::Request);
    assert_eq!(m.origin(), MtiOrigin::Acquirer);
    assert_eq!(m.response().unwrap().as_str(), "0210");
    assert!(Mti::parse("0210").unwrap().response().is_none());
    let r = Mti::parse("1421").unwrap();
    assert_eq!(r.version(), MtiVersion::Iso1993);
    assert_eq!(r.class(), MtiClass::Reversal);
    assert_eq!(r.function(), MtiFunction::Advice);
    assert_eq!(r.origin(), MtiOrigin::AcquirerRepeat);
    assert!(Mti::parse("02A0").is_err());
    assert!(Mti::parse("020").is_err());
}

#[test]
fn decode_errors_name_field_offset_and_cause() {
    let spec = cup();
    let good = sale_bytes();

    // Truncated inside F4 (MTI 2 + bitmap 8 + F2 11 + F3 3 = offset 24).
    let e = decode_ref(&spec, &good[..26]).unwrap_err();
    assert_eq!((e.field, e.offset), (4, 24));
    assert_eq!(
        e.cause,
        DecodeCause::Truncated {
            needed: 6,
            available: 2
        }
    );

    // Bad BCD nibble in F3.
    let mut b = good.clone();
    b[22] = 0x0A;
    let e = decode_ref(&spec, &b).unwrap_err();
    assert_eq!((e.field, e.offset), (3, 22));
    assert_eq!(e.cause, DecodeCause::BadBcdNibble { nibble: 0xA });

    // Bad pad nibble at the end of F2 (right after 19 digits).
    let mut b = good.clone();
    b[20] = 0x81;
    let e = decode_ref(&spec, &b).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (2, 20, DecodeCause::BadPad { nibble: 1 })
    );

    // F2 length over max (LL = 20).
    let mut b = good.clone();
    b[10] = 0x20;
    let e = decode_ref(&spec, &b).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (
            2,
            10,
            DecodeCause::LengthOverMax {
                length: 20,
                max: 19
            }
        )
    );

    // Length prefix that is not BCD.
    let mut b = good.clone();
    b[10] = 0x1A;
    let e = decode_ref(&spec, &b).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (2, 10, DecodeCause::BadLengthPrefix)
    );

    // Trailing bytes after F64.
    let mut b = good.clone();
    b.extend_from_slice(&[0, 0, 0]);
    let e = decode_ref(&spec, &b).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (64, good.len(), DecodeCause::TrailingBytes { count: 3 })
    );

    // Bad MTI.
    let mut b = good.clone();
    b[0] = 0x0B;
    let e = decode_ref(&spec, &b).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (FIELD_MTI, 0, DecodeCause::BadMti)
    );

    // Bitmap announces a secondary bitmap and field 65+, which cup-pos lacks.
    let msg = h("0200 8000000000000000 8000000000000000 00");
    let e = decode_ref(&spec, &msg).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (65, 18, DecodeCause::FieldNotInSpec)
    );

    // A field outside the cup-pos table can still be unknown in a custom spec: field 1 only.
    let e = decode_ref(&spec, &h("0200 00")).unwrap_err();
    assert_eq!(e.field, FIELD_BITMAP);
    // The message text of an error carries location and cause, not content.
    let text = e.to_string();
    assert!(
        text.contains("field 1") && text.contains("byte 2"),
        "{text}"
    );
}

#[test]
fn ascii_errors() {
    let spec = Spec::builtin("iso87ascii").unwrap();
    // 0200, bitmap with field 3 only, F3 with a letter at offset 20+2.
    let e = decode_ref(&spec, b"02002000000000000000 12A456").unwrap_err();
    assert_eq!(e.field, 3);
    let e = decode_ref(&spec, b"020020000000000000000012A4").unwrap_err();
    assert_eq!((e.field, e.offset), (3, 24));
    assert_eq!(e.cause, DecodeCause::BadCharacter { byte: b'A' });
    // Lower-case hex in the bitmap is not what an encoder would produce.
    let e = decode_ref(&spec, b"02002000000000a00000").unwrap_err();
    assert_eq!((e.field, e.offset), (FIELD_BITMAP, 14));
}

#[test]
fn encode_validates_without_padding_or_truncating() {
    let spec = cup();
    let enc = |n: u16, v: &str| {
        let mut m = Message::new(Mti::parse("0200").unwrap());
        m.set_text(n, v);
        m.encode(&spec)
    };
    assert_eq!(
        enc(2, "62284804025648900181").unwrap_err(),
        EncodeError {
            field: 2,
            cause: EncodeCause::TooLong {
                length: 20,
                max: 19
            }
        }
    );
    assert_eq!(
        enc(3, "00000").unwrap_err().cause,
        EncodeCause::WrongLength {
            length: 5,
            expected: 6
        }
    );
    assert_eq!(
        enc(41, "123456789").unwrap_err().cause,
        EncodeCause::WrongLength {
            length: 9,
            expected: 8
        }
    );
    assert_eq!(
        enc(4, "00000000010A").unwrap_err().cause,
        EncodeCause::BadCharacter { index: 11 }
    );
    assert_eq!(
        enc(35, "6228=25X2").unwrap_err().cause,
        EncodeCause::BadCharacter { index: 7 }
    );
    assert_eq!(
        enc(60, "220000240006001234").unwrap_err().cause,
        EncodeCause::TooLong {
            length: 18,
            max: 17
        }
    );
    assert_eq!(enc(65, "1").unwrap_err().field, 65);
    assert_eq!(enc(1, "1").unwrap_err().cause, EncodeCause::FieldNotInSpec);
    // Sub-fields are checked too.
    let mut m = Message::new(Mti::parse("0800").unwrap());
    assert!(
        m.set_subfields(&spec, 60, &[b"00", b"0001", b"003"])
            .is_err()
    );
    assert!(m.set_subfields(&spec, 60, &[b"00", b"00000A"]).is_err());
    // A caller buffer that is too small is an error, not a panic.
    let mut small = [0u8; 20];
    assert!(matches!(
        sale().encode_into(&spec, &mut small).unwrap_err().cause,
        EncodeCause::BufferTooSmall { .. }
    ));
}

#[test]
fn json_shape_and_round_trip() {
    let spec = cup();
    let m = sale();
    let json = m.to_json(&spec);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["mti"], "0200");
    assert_eq!(v["fields"]["2"], PAN);
    assert_eq!(v["fields"]["35"], TRACK2);
    assert_eq!(v["fields"]["52"], "0123456789ABCDEF");
    assert_eq!(v["fields"]["60"]["1"], "22");
    assert_eq!(v["fields"]["60"]["2"], "000024");
    assert_eq!(v["fields"]["60"]["6"], "0");
    assert_eq!(v["fields"]["64"], "3141324233433444");
    // Fields appear in numeric order in the text.
    assert!(json.find("\"3\"").unwrap() < json.find("\"11\"").unwrap());
    assert_eq!(Message::from_json(&json, &spec).unwrap(), m);
    // A plain string is accepted for a composite field too.
    let alt = json.replace(
        "{\"1\":\"22\",\"2\":\"000024\",\"3\":\"000\",\"4\":\"6\",\"5\":\"0\",\"6\":\"0\"}",
        "\"22000024000600\"",
    );
    assert_ne!(alt, json);
    assert_eq!(Message::from_json(&alt, &spec).unwrap(), m);
    // Errors name the field.
    let bad = json.replace("\"000123\"", "\"12\"");
    assert!(matches!(
        Message::from_json(&bad, &spec),
        Err(JsonError::Field { field: 11, .. })
    ));
    // Non-UTF-8 ans (GBK) survives as {"hex": …}.
    let mut r = Message::new(Mti::parse("0210").unwrap());
    r.set_bytes(63, &[b'C', b'U', b'P', 0xD6, 0xD0, 0xB9, 0xFA]);
    let j = r.to_json(&spec);
    assert!(j.contains("\"hex\""), "{j}");
    assert_eq!(Message::from_json(&j, &spec).unwrap(), r);
}

#[test]
fn describe_masks_by_default() {
    let spec = cup();
    let m = sale();
    let d = describe(&m, &spec, true);
    assert!(d.contains("622848*********0018"), "{d}");
    assert!(!d.contains(PAN), "{d}");
    assert!(!d.contains("4890018="), "{d}");
    assert!(!d.contains("0123456789ABCDEF"), "{d}");
    assert!(d.contains("5A (8) ***"), "{d}");
    assert!(d.contains("9F26 (8) 1122334455667788"), "{d}");
    assert!(d.contains("60.1"), "{d}");
    let u = describe(&m, &spec, false);
    assert!(u.contains(PAN) && u.contains(TRACK2) && u.contains("0123456789ABCDEF"));
    assert!(u.contains("5A (8) 6228480402564890"), "{u}");
    // Debug output never shows values.
    let dbg = format!("{m:?} {:?}", decode_ref(&spec, &sale_bytes()).unwrap());
    assert!(!dbg.contains("622848"), "{dbg}");
    assert_eq!(mask_pan("6228480402564890018"), "622848*********0018");
}

#[test]
fn cup_framing_tpdu_header_and_reply() {
    let spec = cup();
    let body = sale_bytes();
    let tpdu = Tpdu::from_hex("6006010000").unwrap();
    let header = CupHeader::from_hex("603100311812").unwrap();
    let framing = *spec.framing();
    assert_eq!(framing, Framing::CUP_POS);
    let frame = framing.wrap(Some(tpdu), Some(header), &body).unwrap();
    let len = body.len() + 11;
    assert_eq!(&frame[..2], &(len as u16).to_be_bytes());
    assert_eq!(&frame[2..7], &h("6006010000")[..]);
    assert_eq!(&frame[7..13], &h("603100311812")[..]);
    let f = framing.unwrap(&frame).unwrap();
    assert_eq!(f.tpdu, Some(tpdu));
    assert_eq!(f.header.unwrap().application(), 60);
    assert_eq!(f.header.unwrap().version(), 31);
    assert_eq!(f.header.unwrap().processing(), 0);
    assert_eq!(f.body, &body[..]);
    // The host swaps destination and source: 60 0601 0000 → 60 0000 0601.
    assert_eq!(tpdu.reply().to_string(), "6000000601");
    // Length disagreeing with the bytes.
    assert!(matches!(
        framing.unwrap(&frame[..frame.len() - 1]),
        Err(FrameError::LengthMismatch { .. })
    ));
}

#[test]
fn deframer_handles_chunks_and_bounds_memory() {
    let a = LengthHeader::Binary2.write(3, &mut Vec::new());
    assert!(a.is_ok());
    let mut stream = Vec::new();
    for body in [&b"abc"[..], b"", b"0123456789"] {
        LengthHeader::Binary2
            .write(body.len(), &mut stream)
            .unwrap();
        stream.extend_from_slice(body);
    }
    let mut d = Deframer::new(LengthHeader::Binary2, 64);
    let mut frames = Vec::new();
    for b in &stream {
        assert_eq!(d.push(std::slice::from_ref(b)).unwrap(), 1);
        while let Some(f) = d.pop().unwrap() {
            frames.push(f);
        }
    }
    assert_eq!(
        frames,
        vec![b"abc".to_vec(), vec![], b"0123456789".to_vec()]
    );
    assert_eq!(d.buffered(), 0);

    // A big push is taken in bounded pieces.
    let mut d = Deframer::new(LengthHeader::Binary2, 16);
    let mut rest = &stream[..];
    let mut n = 0;
    while !rest.is_empty() {
        let took = d.push(rest).unwrap();
        assert!(d.buffered() <= 18);
        rest = &rest[took..];
        while d.pop().unwrap().is_some() {
            n += 1;
        }
    }
    assert_eq!(n, 3);

    // A huge announced length is an error before anything is allocated.
    let mut d = Deframer::new(LengthHeader::Binary4, 8192);
    let e = d.push(&[0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err();
    assert_eq!(
        e,
        FrameError::TooLong {
            length: 0xFFFF_FFFF,
            max: 8192
        }
    );
    assert_eq!(d.pop().unwrap_err(), FrameError::Poisoned);
    d.reset();
    assert_eq!(d.pop().unwrap(), None);

    // ASCII length headers.
    let mut d = Deframer::new(LengthHeader::Ascii4, 100);
    d.push(b"0003xyz0001").unwrap();
    assert_eq!(d.pop().unwrap(), Some(b"xyz".to_vec()));
    assert_eq!(d.pop().unwrap(), None);
    d.push(b"q").unwrap();
    assert_eq!(d.pop().unwrap(), Some(b"q".to_vec()));
    let mut d = Deframer::new(LengthHeader::Ascii2, 100);
    assert_eq!(d.push(b"1x").unwrap_err(), FrameError::BadLength);
}

/// Test MAC: XOR of the 8-byte blocks (zero-padded) — not a real algorithm.
struct XorMac;

impl MessageMac for XorMac {
    fn mac_len(&self) -> usize {
        8
    }
    fn compute(&self, input: &[u8]) -> Result<Vec<u8>, MacHookError> {
        let mut r = [0u8; 8];
        for (i, b) in input.iter().enumerate() {
            r[i % 8] ^= b;
        }
        Ok(r.to_vec())
    }
}

#[test]
fn mac_hook_fills_and_verifies_field_64() {
    let spec = cup();
    let mut m = sale();
    m.remove(64);
    let input = mac::mac_input(&m, &spec).unwrap();
    let bytes = mac::sign(&mut m, &spec, &XorMac).unwrap();
    // The MAC block is the message from the MTI through F60 (the last field before F64),
    // with bit 64 set in the bitmap.
    assert_eq!(&bytes[..bytes.len() - 8], &input[..]);
    assert_eq!(&input[..], &sale_bytes()[..sale_bytes().len() - 8]);
    assert_eq!(
        &bytes[bytes.len() - 8..],
        &XorMac.compute(&input).unwrap()[..]
    );
    assert_eq!(m.get(64).unwrap(), &bytes[bytes.len() - 8..]);

    let view = decode_ref(&spec, &bytes).unwrap();
    assert_eq!(view.mac_input().unwrap(), &input[..]);
    mac::verify(&view, &XorMac).unwrap();

    let mut tampered = bytes.clone();
    tampered[15] ^= 1; // inside F2
    let view = decode_ref(&spec, &tampered).unwrap();
    assert_eq!(mac::verify(&view, &XorMac), Err(MacError::Mismatch));

    let mut no_mac = sale();
    no_mac.remove(64);
    let b = no_mac.encode(&spec).unwrap();
    assert!(matches!(
        mac::verify(&decode_ref(&spec, &b).unwrap(), &XorMac),
        Err(MacError::NoMacField { .. })
    ));
}

#[test]
fn spec_json_round_trip_and_validation() {
    for name in Spec::builtin_names() {
        let spec = Spec::builtin(name).unwrap();
        let json = spec.to_json();
        assert_eq!(Spec::from_json(&json).unwrap(), spec, "{name}");
    }
    let spec = cup();
    let f22 = spec.field(22).unwrap();
    assert_eq!(f22.align, Align::Left);
    assert_eq!(spec.field(2).unwrap().notation(), "n..19");
    assert_eq!(spec.field(55).unwrap().structure, Some(Structure::Tlv));

    let bad = |field_json: &str| {
        let j = format!(
            r#"{{"name":"x","mti":"bcd","bitmap":"binary","fields":{{"2":{field_json}}}}}"#
        );
        Spec::from_json(&j)
    };
    let ok = bad(
        r#"{"name":"PAN","format":"n","length":"LL","max":19,"prefix":"bcd","encoding":"bcd","align":"left"}"#,
    );
    assert!(ok.is_ok(), "{ok:?}");
    assert!(matches!(
        bad(r#"{"name":"PAN","format":"n","length":"LL","max":19,"encoding":"binary"}"#),
        Err(SpecError::InvalidField { field: 2, .. })
    ));
    assert!(matches!(
        bad(r#"{"name":"PAN","format":"n","length":"LL","max":150,"encoding":"ascii"}"#),
        Err(SpecError::InvalidField { field: 2, .. })
    ));
    assert!(matches!(
        bad(r#"{"name":"PAN","format":"n","length":"fixed","max":0,"encoding":"ascii"}"#),
        Err(SpecError::InvalidField { field: 2, .. })
    ));
    assert!(matches!(
        bad(r#"{"name":"PAN","format":"q","length":"LL","max":19,"encoding":"ascii"}"#),
        Err(SpecError::Json { .. })
    ));
    let j = r#"{"name":"x","mti":"bcd","bitmap":"binary","fields":{"1":{"name":"b","format":"b","length":"fixed","max":8,"encoding":"binary"}}}"#;
    assert!(matches!(
        Spec::from_json(j),
        Err(SpecError::InvalidField { field: 1, .. })
    ));
    let j = r#"{"name":"x","mti":"bcd","bitmap":"binary","fields":{"two":{"name":"b","format":"b","length":"fixed","max":8,"encoding":"binary"}}}"#;
    assert!(matches!(
        Spec::from_json(j),
        Err(SpecError::BadFieldKey { .. })
    ));
}

#[test]
fn iso87ascii_and_binary_known_layouts() {
    // ASCII: MTI, hex bitmap, LL ASCII digit count, b as hex characters.
    let spec = Spec::builtin("iso87ascii").unwrap();
    let mut m = Message::new(Mti::parse("0100").unwrap());
    m.set_text(2, "4242424242424242")
        .set_text(3, "123456")
        .set_text(4, "000000000100")
        .set_bytes(52, &[0x12, 0xAB, 0, 0, 0, 0, 0, 0xFF]);
    let b = m.encode(&spec).unwrap();
    assert_eq!(
        std::str::from_utf8(&b).unwrap(),
        "01007000000000001000164242424242424242123456000000000100\
         12AB0000000000FF"
    );
    assert_eq!(decode(&spec, &b).unwrap(), m);

    // Binary: BCD MTI and digits, odd LL numeric left-aligned, binary bitmap.
    let spec = Spec::builtin("iso87binary").unwrap();
    let mut m = Message::new(Mti::parse("0200").unwrap());
    m.set_text(2, "123456789012345")
        .set_text(28, "C00000123")
        .set_bytes(128, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let b = m.encode(&spec).unwrap();
    assert_eq!(
        hex::encode(&b),
        "0200C000001000000000\
         0000000000000001\
         151234567890123450\
         4300000123\
         0102030405060708"
    );
    assert_eq!(decode(&spec, &b).unwrap(), m);

    // 1993 with a tertiary bitmap: field 65 is set automatically.
    let spec = Spec::builtin("iso93ascii").unwrap();
    let mut m = Message::new(Mti::parse("1200").unwrap());
    m.set_text(3, "000000").set_text(130, "abc");
    let b = m.encode(&spec).unwrap();
    let view = decode_ref(&spec, &b).unwrap();
    assert!(view.bitmap().has(1) && view.bitmap().has(65));
    assert_eq!(view.field(130).unwrap().as_str(), Some("abc"));
    assert_eq!(view.to_message(), m);
}

#[test]
fn empty_secondary_bitmap_is_rejected() {
    let spec = Spec::builtin("iso87binary").unwrap();
    let e = decode_ref(&spec, &h("0200 A000000000000000 0000000000000000 000000")).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (FIELD_BITMAP, 10, DecodeCause::EmptyBitmap)
    );
}

/// A custom dialect from JSON: EBCDIC text and MTI, EBCDIC-hex bitmap, binary and ASCII
/// prefixes, byte-counted BCD, LLLL, right-padded with F.
#[test]
fn custom_json_spec_ebcdic_binary_prefixes() {
    let json = r#"{
      "name": "custom",
      "mti": "ebcdic",
      "bitmap": "ebcdichex",
      "framing": {"length": "ascii4"},
      "fields": {
        "2":  {"name": "PAN", "format": "n", "length": "LL", "max": 19, "prefix": "binary",
               "encoding": "bcd", "align": "left", "pad": 15, "mask": "pan"},
        "3":  {"name": "Proc", "format": "n", "length": "fixed", "max": 6, "encoding": "ebcdic"},
        "43": {"name": "Name", "format": "ans", "length": "LLL", "max": 40, "prefix": "ebcdic",
               "encoding": "ebcdic"},
        "48": {"name": "Data", "format": "n", "length": "LLLL", "max": 2000, "prefix": "ascii",
               "counts": "bytes", "encoding": "bcd"},
        "52": {"name": "PIN", "format": "b", "length": "L", "max": 8, "prefix": "binary",
               "encoding": "binary", "mask": "full"}
      }
    }"#;
    let spec = Spec::from_json(json).unwrap();
    let mut m = Message::new(Mti::parse("0100").unwrap());
    m.set_text(2, "123456789012345")
        .set_text(3, "000000")
        .set_text(43, "Shop 1")
        .set_text(48, "1234")
        .set_bytes(52, &[1, 2]);
    let b = m.encode(&spec).unwrap();
    assert_eq!(
        hex::encode(&b),
        [
            "F0F1F0F0",                         // MTI in EBCDIC
            "F6F0F0F0F0F0F0F0F0F0F2F1F1F0F0F0", // bitmap 6000000000211000 in EBCDIC hex
            "0F 123456789012345F",              // F2: binary LL = 15, BCD left, pad F
            "F0F0F0F0F0F0",                     // F3
            "F0F0F6 E288969740F1",              // F43: EBCDIC LLL = 006, "Shop 1"
            "30303032 1234",                    // F48: ASCII LLLL counts bytes = 2
            "02 0102",                          // F52: binary L
        ]
        .concat()
        .replace(' ', "")
    );
    assert_eq!(decode(&spec, &b).unwrap(), m);
    // Byte-counted BCD cannot carry an odd digit count.
    let mut odd = m.clone();
    odd.set_text(48, "123");
    assert!(odd.encode(&spec).is_err());
    // The wrong pad nibble is reported.
    let mut bad = b.clone();
    bad[28] = 0x50;
    let e = decode_ref(&spec, &bad).unwrap_err();
    assert_eq!(
        (e.field, e.offset, e.cause),
        (2, 28, DecodeCause::BadPad { nibble: 0 })
    );
    assert_eq!(spec.framing().length, LengthHeader::Ascii4);
    let framed = spec.framing().wrap(None, None, &b).unwrap();
    assert_eq!(&framed[..4], format!("{:04}", b.len()).as_bytes());
}
