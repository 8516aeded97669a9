//! End to end on the `cup-pos` dialect: a host wraps working keys under the terminal master
//! key into an 0810's field 62; the terminal decodes the 0810, unwraps and checks the keys,
//! then signs a 0200 sale with the CUP ECB MAC in field 64; the host decodes the sale and
//! verifies the MAC. A tampered message or the wrong MAK is refused.

use paycore::iso8583::mac::{self, MacError};
use paycore::iso8583::{Message, Mti, Spec, decode, decode_ref};
use paycore::security::{
    Key, KeyAlgorithm, KeyedMac, MacAlgorithm, SignOnLayout, WorkingKeys, build_sign_on_field62,
    unwrap_sign_on_keys,
};

fn key(alg: KeyAlgorithm, hex: &str) -> Key {
    Key::from_hex(alg, hex).unwrap()
}

#[test]
fn sign_on_then_maced_sale() {
    let spec = Spec::builtin("cup-pos").unwrap();
    let tmk = key(KeyAlgorithm::Tdes2, "0123456789ABCDEFFEDCBA9876543210");

    // Host: 0810 with double-length PIN key and MAC key (network management code 003).
    let issued = WorkingKeys {
        pin_key: key(KeyAlgorithm::Tdes2, "11111111111111112222222222222222"),
        mac_key: key(KeyAlgorithm::Tdes2, "33333333333333334444444444444444"),
        track_key: None,
    };
    let f62 = build_sign_on_field62(&tmk, SignOnLayout::DoubleLength, &issued).unwrap();
    let mut resp = Message::new(Mti::parse("0810").unwrap());
    resp.set_text(11, "000001")
        .set_text(39, "00")
        .set_text(41, "10000001")
        .set_text(42, "898110070110001")
        .set_text(60, "00000001003")
        .set_bytes(62, &f62);
    let wire = resp.encode(&spec).unwrap();

    // Terminal: decode, unwrap, check values verified inside.
    let got = decode(&spec, &wire).unwrap();
    let keys = unwrap_sign_on_keys(&tmk, SignOnLayout::DoubleLength, got.get(62).unwrap()).unwrap();
    assert_eq!(
        keys.mac_key.check_value_hex(),
        issued.mac_key.check_value_hex()
    );

    // Terminal: a sale signed with the CUP ECB MAC under the new MAK.
    let mut sale = Message::new(Mti::parse("0200").unwrap());
    sale.set_text(2, "6228480012345676782")
        .set_text(3, "000000")
        .set_text(4, "000000012345")
        .set_text(11, "000002")
        .set_text(22, "051")
        .set_text(25, "00")
        .set_text(41, "10000001")
        .set_text(42, "898110070110001")
        .set_text(49, "156")
        .set_text(60, "22000001000");
    let hook = KeyedMac::new(MacAlgorithm::CupEcb, &keys.mac_key);
    let wire = mac::sign(&mut sale, &spec, &hook).unwrap();
    let f64 = sale.get(64).unwrap().to_vec();
    assert_eq!(f64.len(), 8);
    assert!(
        f64.iter().all(|b| b.is_ascii_hexdigit()),
        "CUP ECB MAC is 8 hex characters"
    );

    // Host: verify with its copy of the MAK.
    let host_hook = KeyedMac::new(MacAlgorithm::CupEcb, &issued.mac_key);
    mac::verify(&decode_ref(&spec, &wire).unwrap(), &host_hook).unwrap();

    // Any change to the MAC block, or another key, is a mismatch.
    let mut tampered = wire.clone();
    let amount_at = wire.len() - 30;
    tampered[amount_at] ^= 0x01;
    if let Ok(view) = decode_ref(&spec, &tampered) {
        assert_eq!(mac::verify(&view, &host_hook), Err(MacError::Mismatch));
    }
    // (DES ignores the low bit of each key byte, so the changed bit is not a parity bit.)
    let wrong = key(KeyAlgorithm::Tdes2, "33333333333333334444444444444446");
    let wrong_hook = KeyedMac::new(MacAlgorithm::CupEcb, &wrong);
    assert_eq!(
        mac::verify(&decode_ref(&spec, &wire).unwrap(), &wrong_hook),
        Err(MacError::Mismatch)
    );
}

#[test]
fn wrong_check_value_names_the_key() {
    let tmk = key(KeyAlgorithm::Tdes2, "0123456789ABCDEFFEDCBA9876543210");
    let issued = WorkingKeys {
        pin_key: key(KeyAlgorithm::Tdes2, "11111111111111112222222222222222"),
        mac_key: key(KeyAlgorithm::Tdes2, "33333333333333334444444444444444"),
        track_key: None,
    };
    let mut f62 = build_sign_on_field62(&tmk, SignOnLayout::DoubleLength, &issued).unwrap();
    let last = f62.len() - 1; // inside the MAC key's check value
    f62[last] ^= 0xFF;
    let err = unwrap_sign_on_keys(&tmk, SignOnLayout::DoubleLength, &f62).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("MAC key"), "{text}");
    assert!(!text.contains("3333"), "no key bytes in errors: {text}");
}
