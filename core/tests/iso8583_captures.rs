//! Real CUP POS traffic published in yangyongzhen/go8583 (`log.txt`, `log1.txt`): frames
//! decoded field by field as that peer printed them, re-encoded byte-identically, and the F64
//! of a QR sale checked through the MAC hook with the clear MAK printed in the same log.

use paycore::hex;
use paycore::iso8583::mac;
use paycore::iso8583::*;
use paycore::security::{Key, KeyAlgorithm, KeyedMac, MacAlgorithm};

fn h(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(&clean).unwrap()
}

fn cup() -> Spec {
    Spec::builtin("cup-pos").unwrap()
}

/// Decodes a framed capture, checks it re-encodes to the same bytes, returns the parts.
fn roundtrip(frame: &[u8]) -> (Frame<'_>, Message) {
    let spec = cup();
    let f = spec.framing().unwrap(frame).unwrap();
    let m = decode(&spec, f.body).unwrap();
    let again = spec
        .framing()
        .wrap(f.tpdu, f.header, &m.encode(&spec).unwrap())
        .unwrap();
    assert_eq!(hex::encode(&again), hex::encode(frame));
    (f, m)
}

#[test]
fn sign_on_0800_request_log_txt() {
    let frame = h(
        "0057600601000061310031110808000020000000c000160000013232303033363030313034\
                   3531323534313131303030310011000000000030002553657175656e6365204e6f313233\
                   30363032323030333630300003303031",
    );
    let (f, m) = roundtrip(&frame);
    assert_eq!(f.tpdu.unwrap().to_string(), "6006010000");
    assert_eq!(f.header.unwrap().to_string(), "613100311108");
    assert_eq!(m.mti().as_str(), "0800");
    assert_eq!(m.text(11), Some("000001"));
    assert_eq!(m.text(41), Some("22003600"));
    assert_eq!(m.text(42), Some("104512541110001"));
    assert_eq!(
        m.subfields(&cup(), 60).unwrap(),
        vec![&b"00"[..], b"000000", b"003"]
    );
    assert_eq!(m.get(62).unwrap(), b"Sequence No12306022003600");
    assert_eq!(m.text(63), Some("001"));
}

#[test]
fn sign_on_0800_and_0810_log1_txt() {
    let req = h(
        "003c600601000060310031181208000020000000c000120000003232303033363030313034\
                 353132353431313130303031001100000000003000033030 30",
    );
    let (f, m) = roundtrip(&req);
    assert_eq!(m.text(63), Some("000"));
    let resp = h(
        "007960000006016031003118120810003800010ac0001400000010520304130800096500\
                  3130353230333037383838323030323230303336303031303435313235343131313030303100\
                  110000660300300040e01b3e860949ee4c0bddd573168ed6ba097575553945990f875ba4eb00\
                  00000000000000ede09d04",
    );
    let (rf, r) = roundtrip(&resp);
    // The host swapped the TPDU addresses.
    assert_eq!(rf.tpdu, Some(f.tpdu.unwrap().reply()));
    assert_eq!(r.mti().as_str(), "0810");
    assert_eq!(r.text(12), Some("105203"));
    assert_eq!(r.text(13), Some("0413"));
    assert_eq!(r.text(32), Some("00096500"));
    assert_eq!(r.text(37), Some("105203078882"));
    assert_eq!(r.text(39), Some("00"));
    // 60.2 is the new batch number; 60.3 = 003 (double-length keys, 40-byte F62).
    assert_eq!(
        r.subfields(&cup(), 60).unwrap(),
        vec![&b"00"[..], b"006603", b"003"]
    );
    assert_eq!(r.get(62).unwrap().len(), 40);
}

/// CUP "ECB" MAC (reference security.md §3), single DES — test-only, to check the MAC block.
#[test]
fn qr_sale_0200_log_txt_mac_matches() {
    // Rebuilt from the field dump in log.txt (Len 0069 = 105 bytes after the length).
    let body = h("0200 3020048000c08031 000000 000000000001 000001 0320 00 \
                  3232303033363030 313034353132353431313130303031 313536 \
                  0024 413330313936323131313131313131313131313131313131 \
                  0013 22006603000600 4535383035454342");
    assert_eq!(body.len() + 11, 0x69);
    let spec = cup();
    let view = decode_ref(&spec, &body).unwrap();
    assert_eq!(view.field(22).unwrap().value().as_ref(), b"032");
    assert_eq!(view.field(60).unwrap().len(), 13);
    assert_eq!(view.field(64).unwrap().raw(), b"E5805ECB");
    // The clear MAK the same log prints; the security module's CUP ECB MAC reproduces F64.
    let mak = Key::from_hex(KeyAlgorithm::Des, "dab36167e6dfb5ef").unwrap();
    let hook = KeyedMac::new(MacAlgorithm::CupEcb, &mak);
    mac::verify(&view, &hook).unwrap();
    let mut m = view.to_message();
    m.remove(64);
    assert_eq!(mac::sign(&mut m, &spec, &hook).unwrap(), body);
    // One flipped bit in the MAC block (the STAN) is caught.
    let mut tampered = body.clone();
    tampered[20] ^= 0x01;
    let view = decode_ref(&spec, &tampered).unwrap();
    assert_eq!(mac::verify(&view, &hook), Err(mac::MacError::Mismatch));
}

#[test]
fn qr_sale_0210_log_txt() {
    // Rebuilt from the field dump in log.txt (Len 0095 = 149 bytes after the length).
    let body = h(
        "0210 303a00810ad08032 000000 000000000001 000001 101236 0413 0413 00 \
                  08 00096500 313031323336303631313330 3934 3232303033363030 \
                  313034353132353431313130303031 \
                  22 30303030303030302020203631303436353030202020 313536 \
                  0024 413330313936323131313131313131313131313131313131 \
                  0013 22006603000600 0003 202020",
    );
    assert_eq!(body.len() + 11, 0x95);
    let spec = cup();
    let m = decode(&spec, &body).unwrap();
    assert_eq!(m.text(39), Some("94"));
    assert_eq!(
        m.subfields(&spec, 44).unwrap(),
        vec![&b"00000000   "[..], b"61046500   "]
    );
    assert_eq!(m.text(63), Some("   "));
    assert_eq!(m.encode(&spec).unwrap(), body);
    // This response carries no F64 (a declined QR sale).
    assert!(decode_ref(&spec, &body).unwrap().mac_input().is_none());
}
