//! Rounding modes. There is deliberately no `Default`: every caller names its rule.

use super::MoneyError;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// How to round an exact result to a whole number of minor units.
///
/// "Half up" here is the commercial rule (四舍五入): ties go away from zero, so −0.5 fen
/// becomes −1 fen, symmetric with +0.5 → +1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Nearest; ties away from zero (commercial 四舍五入).
    HalfUp,
    /// Nearest; ties to the even neighbour (banker's rounding).
    HalfEven,
    /// Nearest; ties toward zero.
    HalfDown,
    /// Toward zero (truncate).
    Down,
    /// Away from zero.
    Up,
    /// Toward negative infinity.
    Floor,
    /// Toward positive infinity.
    Ceiling,
}

impl Rounding {
    /// All modes, in declaration order.
    pub const ALL: [Rounding; 7] = [
        Rounding::HalfUp,
        Rounding::HalfEven,
        Rounding::HalfDown,
        Rounding::Down,
        Rounding::Up,
        Rounding::Floor,
        Rounding::Ceiling,
    ];

    /// The snake_case name used in JSON, the CLI and the bindings.
    pub const fn name(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half_up",
            Rounding::HalfEven => "half_even",
            Rounding::HalfDown => "half_down",
            Rounding::Down => "down",
            Rounding::Up => "up",
            Rounding::Floor => "floor",
            Rounding::Ceiling => "ceiling",
        }
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::HalfDown => RoundingStrategy::MidpointTowardZero,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
            Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
            Rounding::Ceiling => RoundingStrategy::ToPositiveInfinity,
        }
    }

    /// Rounds `value` to `places` decimal places under this mode.
    pub fn round_dp(self, value: Decimal, places: u32) -> Decimal {
        value.round_dp_with_strategy(places, self.strategy())
    }

    /// Rounds `value` to a whole number and returns it as `i64`.
    ///
    /// Used to turn an exact fee in (fractional) minor units into minor units.
    pub fn round_to_i64(self, value: Decimal) -> Result<i64, MoneyError> {
        let rounded = self.round_dp(value, 0);
        i64::try_from(rounded).map_err(|_| MoneyError::Overflow {
            operation: "round to minor units",
        })
    }
}

impl FromStr for Rounding {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Rounding::ALL
            .into_iter()
            .find(|r| r.name() == norm)
            .ok_or(MoneyError::UnknownRounding { name: s.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::d;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn ties_and_signs() {
        let cases = [
            // value, half_up, half_even, half_down, down, up, floor, ceiling
            ("2.5", [3, 2, 2, 2, 3, 2, 3]),
            ("3.5", [4, 4, 3, 3, 4, 3, 4]),
            ("-2.5", [-3, -2, -2, -2, -3, -3, -2]),
            ("2.4", [2, 2, 2, 2, 3, 2, 3]),
            ("-2.6", [-3, -3, -3, -2, -3, -3, -2]),
            ("7", [7, 7, 7, 7, 7, 7, 7]),
        ];
        for (v, expected) in cases {
            for (mode, want) in Rounding::ALL.into_iter().zip(expected) {
                assert_eq!(mode.round_to_i64(d(v)).unwrap(), want, "{v} {mode:?}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for m in Rounding::ALL {
            assert_eq!(m.name().parse::<Rounding>().unwrap(), m);
        }
        assert_eq!("HALF-UP".parse::<Rounding>().unwrap(), Rounding::HalfUp);
        assert!("nearest".parse::<Rounding>().is_err());
    }
}
