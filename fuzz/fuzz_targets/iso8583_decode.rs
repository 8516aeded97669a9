#![no_main]
//! Decodes arbitrary bytes with every built-in spec: no panic, and whatever decodes must
//! re-encode to the same bytes and survive JSON and describe.

use paycore::iso8583::{Spec, decode_ref, describe};
use std::sync::OnceLock;

fn specs() -> &'static [Spec] {
    static SPECS: OnceLock<Vec<Spec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        Spec::builtin_names()
            .iter()
            .map(|n| Spec::builtin(n).unwrap())
            .collect()
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for spec in specs() {
        let framed = spec.framing().unwrap(data).ok();
        for body in [Some(data), framed.map(|f| f.body)].into_iter().flatten() {
            if let Ok(m) = decode_ref(spec, body) {
                let owned = m.to_message();
                assert_eq!(owned.encode(spec).unwrap(), body);
                let json = owned.to_json(spec);
                assert_eq!(paycore::iso8583::from_json(&json, spec).unwrap(), owned);
                let _ = describe(&owned, spec, true);
                let _ = m.mac_input();
            }
        }
    }
});
