#![no_main]
//! Feeds arbitrary bytes to the streaming deframer in chunks chosen by the input itself.

use paycore::iso8583::{Deframer, LengthHeader};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let header = match sel % 4 {
        0 => LengthHeader::Binary2,
        1 => LengthHeader::Binary4,
        2 => LengthHeader::Ascii2,
        _ => LengthHeader::Ascii4,
    };
    let chunk = usize::from(sel / 4).max(1);
    let mut d = Deframer::new(header, 4096);
    let mut input = rest;
    while !input.is_empty() {
        let take = chunk.min(input.len());
        match d.push(&input[..take]) {
            Ok(n) => input = &input[n..],
            Err(_) => return,
        }
        loop {
            match d.pop() {
                Ok(Some(f)) => assert!(f.len() <= 4096),
                Ok(None) => break,
                Err(_) => return,
            }
        }
        assert!(d.buffered() <= 4 + 4096);
    }
});
