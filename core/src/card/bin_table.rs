//! The built-in BIN prefix table (public scheme prefixes; see the card section of the EMV
//! reference). It is data: a network's BIN file can replace it via [`Brand::detect_in`].
//!
//! [`Brand::detect_in`]: super::Brand::detect_in

use super::brand::{BinRange, Brand};

const fn r(
    low: u32,
    high: u32,
    prefix_len: u8,
    brand: Brand,
    min_len: u8,
    max_len: u8,
) -> BinRange {
    BinRange {
        low,
        high,
        prefix_len,
        brand,
        min_len,
        max_len,
    }
}

/// Built-in ranges. Overlaps are resolved by the longest prefix.
pub(super) const DEFAULT_RANGES: &[BinRange] = &[
    // UnionPay: all of 62 (mainland cards), plus the 81 series (810, 8110–8171).
    r(62, 62, 2, Brand::UnionPay, 14, 19),
    r(810, 810, 3, Brand::UnionPay, 14, 19),
    r(8110, 8171, 4, Brand::UnionPay, 14, 19),
    r(4, 4, 1, Brand::Visa, 13, 19),
    r(51, 55, 2, Brand::Mastercard, 16, 16),
    r(2221, 2720, 4, Brand::Mastercard, 16, 16),
    r(34, 34, 2, Brand::Amex, 15, 15),
    r(37, 37, 2, Brand::Amex, 15, 15),
    r(3528, 3589, 4, Brand::Jcb, 16, 19),
    r(2131, 2131, 4, Brand::Jcb, 15, 16),
    r(1800, 1800, 4, Brand::Jcb, 15, 16),
    r(6011, 6011, 4, Brand::Discover, 16, 19),
    r(644, 649, 3, Brand::Discover, 16, 19),
    r(65, 65, 2, Brand::Discover, 16, 19),
    r(300, 305, 3, Brand::Diners, 14, 19),
    r(3095, 3095, 4, Brand::Diners, 14, 19),
    r(36, 36, 2, Brand::Diners, 14, 19),
    r(38, 39, 2, Brand::Diners, 14, 19),
    r(493698, 493698, 6, Brand::Maestro, 12, 19),
    r(500000, 504174, 6, Brand::Maestro, 12, 19),
    r(504176, 506698, 6, Brand::Maestro, 12, 19),
    r(506779, 508999, 6, Brand::Maestro, 12, 19),
    r(56, 59, 2, Brand::Maestro, 12, 19),
    r(63, 63, 2, Brand::Maestro, 12, 19),
    r(67, 67, 2, Brand::Maestro, 12, 19),
    r(6, 6, 1, Brand::Maestro, 12, 19),
    r(2200, 2204, 4, Brand::Mir, 16, 19),
];
