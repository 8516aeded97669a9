//! Card expiry dates (YYMM).

use super::CardError;
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A card expiry month. A card is valid through the last day of its expiry month.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Expiry {
    year: u16,
    month: u8,
}

impl Expiry {
    /// A month of a year (year 2000–2099, month 1–12).
    pub fn new(year: u16, month: u8) -> Result<Expiry, CardError> {
        if !(2000..=2099).contains(&year) {
            return Err(CardError::Expiry {
                reason: "year outside 2000–2099",
            });
        }
        if !(1..=12).contains(&month) {
            return Err(CardError::Expiry {
                reason: "month outside 01–12",
            });
        }
        Ok(Expiry { year, month })
    }

    /// Parses the YYMM form cards and ISO 8583 field 14 use ("2912" is December 2029).
    /// Two-digit years are 20YY: cards issued today expire this century.
    pub fn parse_yymm(text: &str) -> Result<Expiry, CardError> {
        let b = text.as_bytes();
        if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) {
            return Err(CardError::Expiry {
                reason: "expected four digits YYMM",
            });
        }
        let yy = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
        let mm = (b[2] - b'0') * 10 + (b[3] - b'0');
        Expiry::new(2000 + yy, mm)
    }

    /// The four-digit year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The YYMM text.
    pub fn yymm(&self) -> String {
        format!("{:02}{:02}", self.year % 100, self.month)
    }

    /// The last day on which the card is valid.
    pub fn last_valid_day(&self) -> NaiveDate {
        let (y, m) = if self.month == 12 {
            (i32::from(self.year) + 1, 1)
        } else {
            (i32::from(self.year), u32::from(self.month) + 1)
        };
        // The first of a month in 2000–2100 always exists, and has a predecessor.
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// True when the card has expired on `today` (the date comes from the caller's clock,
    /// in the time zone the caller's rules use).
    pub fn is_expired_on(&self, today: NaiveDate) -> bool {
        today > self.last_valid_day()
    }

    /// Months from `today`'s month to the expiry month (negative once expired).
    pub fn months_remaining(&self, today: NaiveDate) -> i32 {
        (i32::from(self.year) - today.year()) * 12 + i32::from(self.month) - today.month() as i32
    }
}

impl fmt::Debug for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expiry({:04}-{:02})", self.year, self.month)
    }
}

impl fmt::Display for Expiry {
    /// "12/29", as printed on cards.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}", self.month, self.year % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn valid_through_end_of_month() {
        let e = Expiry::parse_yymm("2402").unwrap();
        assert_eq!(e.last_valid_day(), day(2024, 2, 29));
        assert!(!e.is_expired_on(day(2024, 2, 29)));
        assert!(e.is_expired_on(day(2024, 3, 1)));
        let dec = Expiry::parse_yymm("2912").unwrap();
        assert_eq!(dec.last_valid_day(), day(2029, 12, 31));
        assert_eq!(dec.to_string(), "12/29");
        assert_eq!(dec.yymm(), "2912");
        assert_eq!(dec.months_remaining(day(2029, 10, 5)), 2);
    }

    #[test]
    fn rejects_bad_text() {
        for bad in ["2913", "2900", "291", "29121", "ab12", ""] {
            assert!(Expiry::parse_yymm(bad).is_err(), "{bad}");
        }
    }
}
