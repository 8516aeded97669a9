//! TR-31 key blocks: header parsing and unwrap under fixed TDES and AES KBPKs must return a
//! value or a typed error, never panic.
#![no_main]

use paycore::security::{Key, tr31};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = tr31::Tr31Header::parse(text);
    let tdes = Key::des(&[0x45; 16]).expect("16-byte TDES key");
    let aes = Key::aes(&[0x41; 32]).expect("32-byte AES key");
    if let Ok(kb) = tr31::unwrap(&tdes, text) {
        let _ = format!("{kb:?}");
    }
    let _ = tr31::unwrap(&aes, text);
});
