//! Exact fee arithmetic on integers.
//!
//! Rates are fixed-point with 12 decimals ("pico" units) and amounts are minor units, so an
//! exact fee is an `i128` count of pico-minor units: no floats, no intermediate rounding. Caps
//! and floors are compared on the exact value, and rounding to the minor unit happens once.

use crate::money::Rounding;
use rust_decimal::Decimal;

/// Decimals carried by a rate: 0.000325 (network fee) needs 6, 12 leaves ample room.
pub const RATE_DECIMALS: u32 = 12;
/// One minor unit in pico-minor units.
pub const PICO: i128 = 1_000_000_000_000;

/// Why a decimal could not be converted exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inexact {
    /// Outside the allowed range.
    Range,
    /// More decimals than allowed.
    Precision,
}

/// `rate` in pico units, requiring 0 ≤ rate ≤ 1 and at most 12 decimals.
pub(crate) fn rate_to_pico(rate: Decimal) -> Result<i128, Inexact> {
    if rate.is_sign_negative() && !rate.is_zero() || rate > Decimal::ONE {
        return Err(Inexact::Range);
    }
    scaled(rate, RATE_DECIMALS)
}

/// `value` × 10^`places` as an exact integer.
pub(crate) fn scaled(value: Decimal, places: u32) -> Result<i128, Inexact> {
    let v = value.normalize();
    let scale = v.scale();
    if scale > places {
        return Err(Inexact::Precision);
    }
    v.mantissa()
        .checked_mul(10i128.pow(places - scale))
        .ok_or(Inexact::Range)
}

/// A non-negative amount in major units (e.g. "20.00") as minor units of a currency with
/// `exponent` decimals.
pub(crate) fn amount_to_minor(amount: Decimal, exponent: u8) -> Result<i64, Inexact> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(Inexact::Range);
    }
    let m = scaled(amount, u32::from(exponent))?;
    i64::try_from(m).map_err(|_| Inexact::Range)
}

/// `num / den` rounded to an integer under `mode` (`den > 0`).
pub fn round_div(num: i128, den: i128, mode: Rounding) -> i128 {
    debug_assert!(den > 0);
    // 128-bit division is a software routine; almost every fee fits in 64 bits.
    if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den))
        && d < (1 << 62)
    {
        return i128::from(round_div_i64(n, d, mode));
    }
    let q = num / den;
    let r = num - q * den;
    if r == 0 {
        return q;
    }
    let away = if num < 0 { q - 1 } else { q + 1 };
    let twice = r.abs() * 2;
    finish(q, away, num < 0, num > 0, twice.cmp(&den), mode)
}

/// [`round_div`] on 64-bit values (`0 < den < 2^62`, so `2 × |r|` cannot overflow).
fn round_div_i64(num: i64, den: i64, mode: Rounding) -> i64 {
    let q = num / den;
    let r = num - q * den;
    if r == 0 {
        return q;
    }
    let away = if num < 0 { q - 1 } else { q + 1 };
    let twice = r.abs() * 2;
    finish(q, away, num < 0, num > 0, twice.cmp(&den), mode)
}

/// Picks between truncation `q` and `away` (one step away from zero) given how twice the
/// remainder compares with the divisor.
fn finish<T: Copy + PartialEq + std::ops::Rem<Output = T> + From<i8>>(
    q: T,
    away: T,
    negative: bool,
    positive: bool,
    half: std::cmp::Ordering,
    mode: Rounding,
) -> T {
    use std::cmp::Ordering::{Equal, Greater};
    match mode {
        Rounding::Down => q,
        Rounding::Up => away,
        Rounding::Floor => {
            if negative {
                away
            } else {
                q
            }
        }
        Rounding::Ceiling => {
            if positive {
                away
            } else {
                q
            }
        }
        Rounding::HalfUp => {
            if half != std::cmp::Ordering::Less {
                away
            } else {
                q
            }
        }
        Rounding::HalfDown => {
            if half == Greater {
                away
            } else {
                q
            }
        }
        Rounding::HalfEven => {
            if half == Greater || (half == Equal && q % T::from(2) != T::from(0)) {
                away
            } else {
                q
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_on_half_a_fen() {
        // 7.50 CNY × 0.60 % = 4.5 fen (reference §3.4).
        let exact = 750 * rate_to_pico("0.006".parse().unwrap()).unwrap();
        assert_eq!(round_div(exact, PICO, Rounding::HalfUp), 5);
        assert_eq!(round_div(exact, PICO, Rounding::HalfEven), 4);
        assert_eq!(round_div(exact, PICO, Rounding::Down), 4);
        assert_eq!(round_div(exact, PICO, Rounding::Ceiling), 5);
        assert_eq!(round_div(exact, PICO, Rounding::HalfDown), 4);
        assert_eq!(round_div(-exact, PICO, Rounding::HalfUp), -5);
        assert_eq!(round_div(-exact, PICO, Rounding::Floor), -5);
        assert_eq!(round_div(-exact, PICO, Rounding::Ceiling), -4);
        assert_eq!(round_div(7, 2, Rounding::HalfEven), 4);
    }

    fn round_div_reference(num: i128, den: i128, mode: Rounding) -> i128 {
        let q = num / den;
        let r = num % den;
        if r == 0 {
            return q;
        }
        let away = if num < 0 { q - 1 } else { q + 1 };
        let twice = r.abs() * 2;
        match mode {
            Rounding::Down => q,
            Rounding::Up => away,
            Rounding::Floor => {
                if num < 0 {
                    q - 1
                } else {
                    q
                }
            }
            Rounding::Ceiling => {
                if num > 0 {
                    q + 1
                } else {
                    q
                }
            }
            Rounding::HalfUp => {
                if twice >= den {
                    away
                } else {
                    q
                }
            }
            Rounding::HalfDown => {
                if twice > den {
                    away
                } else {
                    q
                }
            }
            Rounding::HalfEven => {
                if twice > den || (twice == den && q % 2 != 0) {
                    away
                } else {
                    q
                }
            }
        }
    }

    #[test]
    fn fast_path_matches_wide_path() {
        let dens = [1i128, 2, 3, 7, 100, PICO, 1 << 61];
        let nums = [
            0i128,
            1,
            -1,
            5,
            -5,
            7,
            15,
            -15,
            1_999_500_000_000_000,
            i64::MAX as i128,
            i64::MIN as i128 + 1,
        ];
        for mode in Rounding::ALL {
            for d in dens {
                for n in nums {
                    assert_eq!(
                        round_div(n, d, mode),
                        round_div_reference(n, d, mode),
                        "{n}/{d} {mode:?}"
                    );
                }
            }
            // Beyond 64 bits.
            let big = i128::from(i64::MAX) * 1000 + 500;
            assert_eq!(
                round_div(big, 1000, mode),
                round_div_reference(big, 1000, mode)
            );
        }
    }

    #[test]
    fn conversions() {
        assert_eq!(rate_to_pico("1".parse().unwrap()), Ok(PICO));
        assert_eq!(rate_to_pico("1.01".parse().unwrap()), Err(Inexact::Range));
        assert_eq!(rate_to_pico("-0.1".parse().unwrap()), Err(Inexact::Range));
        assert_eq!(
            rate_to_pico("0.0000000000001".parse().unwrap()),
            Err(Inexact::Precision)
        );
        assert_eq!(amount_to_minor("20.00".parse().unwrap(), 2), Ok(2000));
        assert_eq!(
            amount_to_minor("20.001".parse().unwrap(), 2),
            Err(Inexact::Precision)
        );
        assert_eq!(amount_to_minor("5".parse().unwrap(), 0), Ok(5));
    }
}
