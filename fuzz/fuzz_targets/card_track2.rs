//! Track 2 and PAN parsing on arbitrary text: never panics; accepted tracks round-trip
//! through the field 35 form and never show the PAN in Debug output.
#![no_main]
use libfuzzer_sys::fuzz_target;
use paycore::card::{Brand, Pan, Track2};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Pan::parse(text);
    let _ = Brand::detect(text);
    if let Ok(t) = Track2::parse(text) {
        let again = Track2::parse(&t.to_field35()).expect("re-parse");
        assert_eq!(again.to_field35(), t.to_field35());
        assert!(!format!("{t:?}").contains(t.pan().digits()));
    }
});
