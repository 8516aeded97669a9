//! EMVCo QR: MPM text and CPM (Base64 and raw bytes) parsing never panics; whatever parses
//! rebuilds into a payload that parses to the same value; the borrowed MPM parse agrees with
//! the owned one on every input.
#![no_main]

use paycore::qr::{
    build_cpm_bytes, build_mpm, parse_cpm, parse_cpm_bytes, parse_mpm, parse_mpm_borrowed,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let owned = parse_mpm(text);
        match (&owned, parse_mpm_borrowed(text)) {
            // `Debug` prints a `String` and a `&str` alike.
            (Ok(o), Ok(b)) => assert_eq!(format!("{o:?}"), format!("{b:?}")),
            (Err(o), Err(b)) => assert_eq!(o, &b),
            _ => panic!("owned and borrowed MPM parses disagree"),
        }
        if let Ok(p) = owned {
            let rebuilt = build_mpm(&p).expect("a parsed payload rebuilds");
            assert_eq!(parse_mpm(&rebuilt).expect("rebuilt payload parses"), p);
        }
        let _ = parse_cpm(text);
    }
    if let Ok(p) = parse_cpm_bytes(data) {
        let bytes = build_cpm_bytes(&p).expect("a parsed CPM payload rebuilds");
        assert!(parse_cpm_bytes(&bytes).is_ok());
    }
});
