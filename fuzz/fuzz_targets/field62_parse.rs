//! Sign-on field 62 unwrapping for every layout under DES, TDES and SM4 TMKs: arbitrary bytes
//! must give keys or a typed error, never a panic.
#![no_main]

use paycore::security::{Key, KeyAlgorithm, SignOnLayout, unwrap_sign_on_keys};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let tmks = [
        Key::des(&[0x11; 8]).expect("DES"),
        Key::des(&[0x11; 16]).expect("TDES"),
        Key::new(KeyAlgorithm::Sm4, &[0x11; 16]).expect("SM4"),
    ];
    for code in ["001", "003", "004"] {
        let layout = SignOnLayout::from_code(code).expect("known code");
        for tmk in &tmks {
            let _ = unwrap_sign_on_keys(tmk, layout, data);
        }
    }
});
