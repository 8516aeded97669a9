//! Card brands, detected from a data-driven table of BIN (IIN) prefix ranges.

use super::bin_table::DEFAULT_RANGES;
use std::fmt;

/// A card scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Brand {
    /// China UnionPay (银联): 62…, 81….
    UnionPay,
    /// Visa: 4….
    Visa,
    /// Mastercard: 51–55, 2221–2720.
    Mastercard,
    /// American Express: 34, 37.
    Amex,
    /// JCB: 3528–3589 (and legacy 2131, 1800).
    Jcb,
    /// Discover: 6011, 644–649, 65.
    Discover,
    /// Diners Club: 300–305, 3095, 36, 38–39.
    Diners,
    /// Maestro.
    Maestro,
    /// Mir: 2200–2204.
    Mir,
}

impl Brand {
    /// The snake_case name used in JSON, the CLI and the bindings.
    pub const fn name(self) -> &'static str {
        match self {
            Brand::UnionPay => "union_pay",
            Brand::Visa => "visa",
            Brand::Mastercard => "mastercard",
            Brand::Amex => "amex",
            Brand::Jcb => "jcb",
            Brand::Discover => "discover",
            Brand::Diners => "diners",
            Brand::Maestro => "maestro",
            Brand::Mir => "mir",
        }
    }

    /// Detects the brand of a PAN (or a PAN prefix of at least the BIN) using the built-in
    /// table. The most specific matching range (longest prefix) wins, so UnionPay's 62…
    /// beats Maestro's catch-all 6… and Discover's reciprocal 622126–622925 acceptance range
    /// does not turn UnionPay cards into Discover cards.
    pub fn detect(digits: &str) -> Option<Brand> {
        Brand::detect_in(digits, DEFAULT_RANGES)
    }

    /// Like [`Brand::detect`] with a caller-supplied table (e.g. built from the network's
    /// BIN file).
    pub fn detect_in(digits: &str, table: &[BinRange]) -> Option<Brand> {
        table
            .iter()
            .filter(|r| r.matches(digits))
            .max_by_key(|r| r.prefix_len)
            .map(|r| r.brand)
    }

    /// PAN lengths the built-in table allows for this brand.
    pub fn pan_lengths(self) -> Vec<u8> {
        let mut out: Vec<u8> = DEFAULT_RANGES
            .iter()
            .filter(|r| r.brand == self)
            .flat_map(|r| r.min_len..=r.max_len)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl fmt::Display for Brand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of a BIN table: the PANs whose first `prefix_len` digits, read as a number, lie
/// in `low..=high` belong to `brand`, with PAN lengths `min_len..=max_len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BinRange {
    /// Lowest prefix value, inclusive.
    pub low: u32,
    /// Highest prefix value, inclusive.
    pub high: u32,
    /// Number of leading digits compared (1–8).
    pub prefix_len: u8,
    /// The brand.
    pub brand: Brand,
    /// Shortest PAN length for the range.
    pub min_len: u8,
    /// Longest PAN length for the range.
    pub max_len: u8,
}

impl BinRange {
    /// True when the leading digits of `digits` fall in the range. Inputs shorter than the
    /// prefix, or with non-digits in the prefix, never match.
    pub fn matches(&self, digits: &str) -> bool {
        let n = usize::from(self.prefix_len);
        let Some(prefix) = digits.as_bytes().get(..n) else {
            return false;
        };
        let mut value: u32 = 0;
        for &b in prefix {
            if !b.is_ascii_digit() {
                return false;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        (self.low..=self.high).contains(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_reference_prefixes() {
        let cases = [
            ("6228480012345678", Some(Brand::UnionPay)),
            ("6222020200112233445", Some(Brand::UnionPay)),
            ("6221260000000000", Some(Brand::UnionPay)), // Discover-accepted range stays CUP
            ("8110000000000000", Some(Brand::UnionPay)),
            ("8171999999999999", Some(Brand::UnionPay)),
            ("8172000000000000", None),
            ("4111111111111111", Some(Brand::Visa)),
            ("5500000000000004", Some(Brand::Mastercard)),
            ("2221000000000009", Some(Brand::Mastercard)),
            ("2720990000000000", Some(Brand::Mastercard)),
            ("2721000000000000", None),
            ("2200000000000000", Some(Brand::Mir)),
            ("340000000000009", Some(Brand::Amex)),
            ("370000000000002", Some(Brand::Amex)),
            ("3528000000000000", Some(Brand::Jcb)),
            ("3589000000000000", Some(Brand::Jcb)),
            ("6011000000000004", Some(Brand::Discover)),
            ("6500000000000000", Some(Brand::Discover)),
            ("30000000000004", Some(Brand::Diners)),
            ("36000000000008", Some(Brand::Diners)),
            ("6759000000000000", Some(Brand::Maestro)),
            ("5600000000000000", Some(Brand::Maestro)),
            ("9999999999999999", None),
            ("", None),
            ("4", Some(Brand::Visa)),
            ("x111111111111111", None),
        ];
        for (pan, want) in cases {
            assert_eq!(Brand::detect(pan), want, "{pan}");
        }
    }

    #[test]
    fn custom_table() {
        let table = [BinRange {
            low: 999,
            high: 999,
            prefix_len: 3,
            brand: Brand::UnionPay,
            min_len: 16,
            max_len: 16,
        }];
        assert_eq!(Brand::detect_in("9991", &table), Some(Brand::UnionPay));
        assert_eq!(Brand::detect_in("4111", &table), None);
        assert_eq!(Brand::Amex.pan_lengths(), vec![15]);
    }
}
