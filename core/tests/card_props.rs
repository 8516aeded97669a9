//! Property tests for card primitives.

use paycore::card::{MaskStyle, Pan, Track2, luhn_check_digit, luhn_valid, mask_digits};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Appending the computed check digit always passes Luhn; any other digit fails.
    #[test]
    fn check_digit_completes(body in "[0-9]{11,18}", other in 0u8..10) {
        let check = luhn_check_digit(&body).unwrap();
        let full = format!("{}{}", body, check);
        prop_assert!(luhn_valid(&full));
        if other != check {
            let wrong = format!("{}{}", body, other);
            prop_assert!(!luhn_valid(&wrong));
        }
    }

    /// Masking never reveals more than the style allows and keeps the length.
    #[test]
    fn masking_hides_the_middle(pan in "[0-9]{12,19}") {
        let p = Pan::parse(&pan).unwrap();
        for style in [MaskStyle::First6Last4, MaskStyle::First8Last4, MaskStyle::Last4] {
            let m = p.masked(style);
            prop_assert_eq!(m.len(), pan.len());
            prop_assert!(m.chars().filter(|&c| c == '*').count() >= 4);
            prop_assert!(m.ends_with(&pan[pan.len() - 4..]));
            prop_assert_eq!(mask_digits(&pan, style), m);
        }
        let shown = format!("{:?}{}", p, p);
        prop_assert!(!shown.contains(&pan));
    }

    /// Track 2 parsing round-trips through the field 35 form and never panics on junk.
    #[test]
    fn track2_round_trip(pan in "[0-9]{12,19}", yy in 0u8..100, mm in 1u8..13, sc in "[0-9]{3}", disc in "[0-9]{0,6}") {
        let text = format!("{}={:02}{:02}{}{}", pan, yy, mm, sc, disc);
        prop_assume!(text.len() <= 37);
        let t = Track2::parse(&text).unwrap();
        prop_assert_eq!(t.to_field35(), text.clone());
        prop_assert_eq!(Track2::parse(&text.replace('=', "D")).unwrap().to_field35(), text);
    }

    #[test]
    fn track2_junk_never_panics(text in "\\PC{0,60}") {
        let _ = Track2::parse(&text);
    }
}
