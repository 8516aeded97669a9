#![no_main]
//! Loads arbitrary text as a JSON spec; a spec that loads must save and load to itself and
//! decode arbitrary bytes without panicking.

use paycore::iso8583::{Spec, decode_ref};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(spec) = Spec::from_json(text) {
        assert_eq!(Spec::from_json(&spec.to_json()).unwrap(), spec);
        let _ = decode_ref(&spec, data);
    }
});
