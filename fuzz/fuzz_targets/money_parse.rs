//! Money::parse on arbitrary text in every currency exponent: never panics, and anything it
//! accepts formats back to text that parses to the same amount.
#![no_main]
use libfuzzer_sys::fuzz_target;
use paycore::money::{Currency, Money};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for currency in [Currency::JPY, Currency::CNY, Currency::KWD, Currency::CLF] {
        if let Ok(m) = Money::parse(text, currency) {
            let again = Money::parse(&m.to_plain_string(), currency).expect("re-parse");
            assert_eq!(again, m);
        }
    }
});
