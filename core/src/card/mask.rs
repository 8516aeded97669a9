//! PAN masking presets (PCI DSS Req. 3.4.1 display masking).

use super::CardError;
use std::str::FromStr;

/// Which digits of a PAN stay visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaskStyle {
    /// First six and last four (the classic rule; Chinese receipts' 前6后4).
    First6Last4,
    /// First eight and last four (PCI SSC FAQ 1492, for 8-digit BINs).
    First8Last4,
    /// Last four only.
    Last4,
}

impl MaskStyle {
    /// The snake_case name used by the CLI and bindings.
    pub const fn name(self) -> &'static str {
        match self {
            MaskStyle::First6Last4 => "first6_last4",
            MaskStyle::First8Last4 => "first8_last4",
            MaskStyle::Last4 => "last4",
        }
    }

    const fn keep(self) -> (usize, usize) {
        match self {
            MaskStyle::First6Last4 => (6, 4),
            MaskStyle::First8Last4 => (8, 4),
            MaskStyle::Last4 => (0, 4),
        }
    }
}

impl FromStr for MaskStyle {
    type Err = CardError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            MaskStyle::First6Last4,
            MaskStyle::First8Last4,
            MaskStyle::Last4,
        ]
        .into_iter()
        .find(|m| m.name() == s)
        .ok_or_else(|| CardError::UnknownMaskStyle { name: s.to_owned() })
    }
}

/// Masks a digit string with `*`, keeping what `style` allows.
///
/// Whatever the style, some digits always stay hidden: at least 4 for values of 12 digits or
/// more (the shortest PAN), at least half for shorter values. When the style would show too
/// much, the visible leading part shrinks first, then the trailing part: a 12-digit PAN under
/// first-6/last-4 shows `1234****9012`, a 4-digit value shows only its last 2. This keeps the
/// helper safe to call on any field that might hold card data.
pub fn mask_digits(digits: &str, style: MaskStyle) -> String {
    let n = digits.chars().count();
    let (mut first, mut last) = style.keep();
    let min_hidden = if n >= 12 { 4 } else { n.div_ceil(2) };
    let max_visible = n - min_hidden;
    if first + last > max_visible {
        first = first.min(max_visible.saturating_sub(last.min(max_visible)));
        last = last.min(max_visible - first);
    }
    let mut out = String::with_capacity(digits.len());
    for (i, c) in digits.chars().enumerate() {
        out.push(if i < first || i >= n - last { c } else { '*' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets() {
        let pan = "6228480012345676789";
        assert_eq!(
            mask_digits(pan, MaskStyle::First6Last4),
            "622848*********6789"
        );
        assert_eq!(
            mask_digits(pan, MaskStyle::First8Last4),
            "62284800*******6789"
        );
        assert_eq!(mask_digits(pan, MaskStyle::Last4), "***************6789");
        assert_eq!(
            mask_digits("4111111111111111", MaskStyle::First6Last4),
            "411111******1111"
        );
    }

    #[test]
    fn short_values_stay_mostly_hidden() {
        assert_eq!(
            mask_digits("123456789012", MaskStyle::First6Last4),
            "1234****9012"
        );
        assert_eq!(
            mask_digits("1234567890123456", MaskStyle::First8Last4),
            "12345678****3456"
        );
        assert_eq!(mask_digits("1234", MaskStyle::First6Last4), "**34");
        assert_eq!(mask_digits("", MaskStyle::Last4), "");
        assert_eq!(mask_digits("1", MaskStyle::Last4), "*");
        for n in 0..25 {
            let s: String = "9".repeat(n);
            for style in [
                MaskStyle::First6Last4,
                MaskStyle::First8Last4,
                MaskStyle::Last4,
            ] {
                let masked = mask_digits(&s, style);
                assert_eq!(masked.chars().count(), n);
                let hidden = masked.chars().filter(|&c| c == '*').count();
                assert!(
                    hidden >= if n >= 12 { 4 } else { n.div_ceil(2) },
                    "{masked}"
                );
            }
        }
    }
}
