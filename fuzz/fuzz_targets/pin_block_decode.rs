//! PIN-block decoding for every format and the SM4 layouts: the first byte picks the format,
//! the rest is the (clear or encrypted) block; no input may panic.
#![no_main]

use paycore::security::{
    Key, KeyAlgorithm, PinBlock, PinBlockFormat, Sm4PinLayout, sm4_decrypt_pin,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let pan = "4012345678909";
    let format = PinBlockFormat::from_number(sel % 5).expect("0..5");
    if let Ok(pb) = PinBlock::from_clear(format, rest, Some(pan)) {
        let _ = pb.recover();
    }
    let key = if format == PinBlockFormat::Iso4 {
        Key::aes(&[0x2B; 16]).expect("AES-128")
    } else {
        Key::des(&[0x2B; 16]).expect("TDES")
    };
    let _ = PinBlock::decrypt(format, &key, rest, Some(pan));
    let sm4 = Key::new(KeyAlgorithm::Sm4, &[0x5A; 16]).expect("SM4");
    for layout in [Sm4PinLayout::Iso0Padded, Sm4PinLayout::Wide] {
        let _ = sm4_decrypt_pin(&sm4, layout, rest, pan);
    }
});
