//! Masking card data in TLV for logs, receipts and `describe` output.
//!
//! PCI DSS allows at most the BIN and the last four PAN digits to be displayed; track data
//! and the cardholder name must not be shown at all. The helpers here keep the structure
//! (tags, lengths, byte offsets) so a masked dump still lines up with the original.

use super::{ParseOptions, Tag, TlvError, parse_tree};

/// Tags whose values are never shown in clear: PAN `5A`, Track 2 `57`, Track 1 `56`,
/// Track 1/2 discretionary data `9F1F`/`9F20`, Mastercard Track 2 `9F6B`, cardholder name `5F20`.
pub const SENSITIVE_TAGS: [Tag; 7] = [
    Tag::of(0x5A),
    Tag::of(0x57),
    Tag::of(0x56),
    Tag::of(0x9F1F),
    Tag::of(0x9F20),
    Tag::of(0x9F6B),
    Tag::of(0x5F20),
];

/// Whether the value of `tag` is card data that must be masked.
pub fn is_sensitive(tag: Tag) -> bool {
    SENSITIVE_TAGS.contains(&tag)
}

/// The value of `tag` as upper-case hex, masked with `*` when the tag is sensitive.
///
/// PANs (`5A`) and the PAN part of Track 2 (`57`, `9F6B`) keep the first 6 and last 4
/// digits (fewer for short numbers) and their `F` padding; the rest of Track 2 after the
/// `D` separator and every other sensitive value is fully masked. The output has the same
/// number of characters as the plain hex.
pub fn mask_value_hex(tag: Tag, value: &[u8]) -> String {
    let hex = crate::hex::encode(value);
    if !is_sensitive(tag) {
        return hex;
    }
    let raw = tag.raw();
    if raw == 0x5A || raw == 0x57 || raw == 0x9F6B {
        let pan_end = hex.find(['D', 'F']).unwrap_or(hex.len());
        let mut out = mask_digits(&hex[..pan_end]);
        let rest = &hex[pan_end..];
        if raw == 0x5A {
            out.push_str(rest);
        } else {
            for (i, c) in rest.chars().enumerate() {
                out.push(if i == 0 && c == 'D' { 'D' } else { '*' });
            }
        }
        out
    } else {
        "*".repeat(hex.len())
    }
}

fn mask_digits(pan: &str) -> String {
    let n = pan.len();
    let (keep_first, keep_last) = if n >= 13 {
        (6, 4)
    } else if n > 4 {
        (0, 4)
    } else {
        (0, 0)
    };
    pan.chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_first || i >= n - keep_last {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Redacts a BER-TLV byte string (e.g. ISO 8583 field 55) for display: returns the hex dump
/// of `bytes` with every sensitive value (see [`SENSITIVE_TAGS`]) masked by `*`, at any
/// nesting level. Tags, lengths and padding are kept, so offsets still match the original.
///
/// The input is parsed in EMV mode; data that does not parse is an error (a caller showing
/// undecodable data should mask it wholesale).
pub fn redact_tlv(bytes: &[u8]) -> Result<String, TlvError> {
    let tree = parse_tree(bytes, ParseOptions::emv())?;
    let mut hex = crate::hex::encode(bytes);
    for node in tree.iter() {
        let tag = node.tag();
        if is_sensitive(tag) && !tag.is_constructed() {
            let at = 2 * node.tlv().value_offset();
            let masked = mask_value_hex(tag, node.value());
            hex.replace_range(at..at + masked.len(), &masked);
        }
    }
    Ok(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_and_track2_masked() {
        assert_eq!(
            mask_value_hex(
                Tag::of(0x5A),
                &[0x54, 0x13, 0x33, 0x00, 0x89, 0x02, 0x00, 0x1F]
            ),
            "541333*****2001F"
        );
        let t2 = crate::hex::decode("6230606601007726888D25122010000000000F").unwrap();
        assert_eq!(
            mask_value_hex(Tag::of(0x57), &t2),
            "623060*********6888D******************"
        );
        assert_eq!(
            mask_value_hex(Tag::of(0x5F20), b"ZHANG/SAN"),
            "*".repeat(18)
        );
        assert_eq!(mask_value_hex(Tag::of(0x9F02), &[1, 2]), "0102");
    }

    #[test]
    fn redacts_nested() {
        let bytes =
            crate::hex::decode("70175A0854133300890200115F20064142434445469F020101").unwrap();
        let red = redact_tlv(&bytes).unwrap();
        assert_eq!(red, "70175A08541333******00115F2006************9F020101");
        assert!(!red.contains("0089020"));
    }
}
