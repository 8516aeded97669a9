//! Settlement dates: the network's settlement day of an event, and the merchant's payout day
//! under a settlement cycle.
//!
//! Times are always zoned ([`DateTime<FixedOffset>`]): the network day is cut at the network's
//! cut-off *in the network's zone* (UnionPay: 23:00 Beijing time, UTC+8), never at a UTC or
//! server-local midnight, which would split a Beijing business day.

use crate::calendar::{Calendar, CalendarError};
use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a settlement date could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettlementDateError {
    /// The event time has no UTC offset; paycore never guesses a zone.
    #[error("time {input:?} has no UTC offset (write e.g. 2026-02-13T23:30:00+08:00)")]
    MissingZone {
        /// The text as given.
        input: String,
    },
    /// The event time is not RFC 3339.
    #[error("time {input:?} is not an RFC 3339 date-time at character offset {offset}")]
    MalformedTime {
        /// The text as given.
        input: String,
        /// Where parsing stopped (best effort).
        offset: usize,
    },
    /// The cycle text is not one of T<n>, D<n>, S0, W<n>, M<n>.
    #[error("unknown settlement cycle {input:?} (expected T<n>, D<n>, S0, W<n> or M<n>)")]
    UnknownCycle {
        /// The text as given.
        input: String,
    },
    /// The cycle's N is out of range (W and M need N ≥ 1; every N ≤ 366).
    #[error("settlement cycle {cycle}: N out of range ({reason})")]
    CycleOutOfRange {
        /// The cycle.
        cycle: String,
        /// The rule broken.
        reason: &'static str,
    },
    /// The cut-off is invalid (offset beyond ±18 h).
    #[error("invalid cut-off: {reason}")]
    InvalidCutoff {
        /// What is wrong.
        reason: &'static str,
    },
    /// The calendar could not answer.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Date arithmetic left chrono's range.
    #[error("date out of range")]
    OutOfRange,
}

/// A network's day boundary: the local time (in a fixed UTC offset) at which its business day
/// ends. Events at or after the cut-off belong to the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetworkCutoff {
    /// The network's zone as seconds east of UTC (Asia/Shanghai: 28 800; China has no DST).
    pub utc_offset_seconds: i32,
    /// Seconds after local midnight at which the day ends (23:00 = 82 800). 0 means midnight
    /// (no shift).
    pub cutoff_seconds: u32,
}

impl NetworkCutoff {
    /// China UnionPay: 23:00 Asia/Shanghai (UTC+8). "当前时间大于银联日切时间[230000]".
    pub const UNIONPAY: NetworkCutoff = NetworkCutoff {
        utc_offset_seconds: 8 * 3600,
        cutoff_seconds: 23 * 3600,
    };

    /// A cut-off at `hour:minute` local time in a zone `utc_offset_seconds` east of UTC.
    pub fn new(
        utc_offset_seconds: i32,
        hour: u32,
        minute: u32,
    ) -> Result<NetworkCutoff, SettlementDateError> {
        if utc_offset_seconds.abs() > 18 * 3600 {
            return Err(SettlementDateError::InvalidCutoff {
                reason: "UTC offset beyond ±18 hours",
            });
        }
        if hour > 23 || minute > 59 {
            return Err(SettlementDateError::InvalidCutoff {
                reason: "cut-off time must be within 00:00..=23:59",
            });
        }
        Ok(NetworkCutoff {
            utc_offset_seconds,
            cutoff_seconds: hour * 3600 + minute * 60,
        })
    }

    /// The network settlement day of an event: its local date in the network's zone, plus one
    /// day if the local time is at or after the cut-off.
    pub fn settlement_day(
        &self,
        at: DateTime<FixedOffset>,
    ) -> Result<NaiveDate, SettlementDateError> {
        if self.utc_offset_seconds.abs() > 18 * 3600 {
            return Err(SettlementDateError::InvalidCutoff {
                reason: "UTC offset beyond ±18 hours",
            });
        }
        // Integer arithmetic on the instant: local seconds → local day and time of day.
        let local = at.timestamp() + i64::from(self.utc_offset_seconds);
        let mut day = local.div_euclid(86_400);
        if self.cutoff_seconds != 0 && local.rem_euclid(86_400) >= i64::from(self.cutoff_seconds) {
            day += 1;
        }
        // 719 163 = days from 0001-01-01 (CE day 1) to 1970-01-01.
        i32::try_from(day + 719_163)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or(SettlementDateError::OutOfRange)
    }

    /// The event's local calendar date in the network's zone (no cut-off shift).
    pub fn local_date(&self, at: DateTime<FixedOffset>) -> Result<NaiveDate, SettlementDateError> {
        NetworkCutoff {
            cutoff_seconds: 0,
            ..*self
        }
        .settlement_day(at)
    }
}

impl Default for NetworkCutoff {
    fn default() -> Self {
        NetworkCutoff::UNIONPAY
    }
}

/// Parses an RFC 3339 time with a mandatory UTC offset. A time without a zone is a
/// [`SettlementDateError::MissingZone`], never assumed to be local or UTC.
pub fn parse_event_time(text: &str) -> Result<DateTime<FixedOffset>, SettlementDateError> {
    if let Some(t) = parse_common_rfc3339(text.as_bytes()) {
        return Ok(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t);
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ]
    .iter()
    .any(|f| NaiveDateTime::parse_from_str(text, f).is_ok());
    if naive || NaiveDate::from_str(text).is_ok() {
        return Err(SettlementDateError::MissingZone {
            input: text.to_owned(),
        });
    }
    let offset = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "-:T+.Zz ".contains(*c)))
        .map_or(text.chars().count(), |(i, _)| text[..i].chars().count());
    Err(SettlementDateError::MalformedTime {
        input: text.to_owned(),
        offset,
    })
}

/// The shape nearly every clearing file uses, `YYYY-MM-DDTHH:MM:SS` followed by `Z` or
/// `±HH:MM`, read without chrono's general parser (a settlement run reads a million of them).
/// Anything else — fractions, lower-case separators, leap seconds, `-00:00`, out-of-range
/// fields — returns `None` and goes through [`DateTime::parse_from_rfc3339`], so the result
/// is always the one chrono would give.
fn parse_common_rfc3339(b: &[u8]) -> Option<DateTime<FixedOffset>> {
    fn num(b: &[u8]) -> Option<u32> {
        b.iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    }
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let offset_seconds = match &b[19..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = num(&[*h1, *h2])?;
            let minutes = num(&[*m1, *m2])?;
            if hours > 23 || minutes > 59 || (*sign == b'-' && hours == 0 && minutes == 0) {
                return None;
            }
            let secs = (hours * 3600 + minutes * 60) as i32;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let year = num(&b[0..4])?;
    let date = NaiveDate::from_ymd_opt(year as i32, num(&b[5..7])?, num(&b[8..10])?)?;
    let second = num(&b[17..19])?;
    if second > 59 {
        return None;
    }
    let time = chrono::NaiveTime::from_hms_opt(num(&b[11..13])?, num(&b[14..16])?, second)?;
    let offset = FixedOffset::east_opt(offset_seconds)?;
    let utc = date.and_time(time).checked_sub_offset(offset)?;
    Some(DateTime::from_naive_utc_and_offset(utc, offset))
}

/// When a merchant is paid, relative to the network settlement day `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SettlementCycle {
    /// T+N: the N-th working day strictly after T; T0 = T if it is a working day, else the
    /// next working day.
    T(u16),
    /// D+N: N calendar days after T, holidays included (D0 = T; acquirer-advanced money).
    D(u16),
    /// S0 (秒到): instant per-transaction payout on the event's own local date.
    S0,
    /// W+N: week-based; the trades of the week (Monday–Sunday) containing T are paid on the
    /// Monday N weeks later, rolled forward to a working day. N ≥ 1.
    W(u16),
    /// M+N: month-based; the trades of T's month are paid on the 1st of the month N months
    /// later, rolled forward to a working day. N ≥ 1.
    M(u16),
}

/// The largest N accepted in a cycle.
pub const MAX_CYCLE_N: u16 = 366;

impl SettlementCycle {
    /// T+1, the usual China card cycle.
    pub const T1: SettlementCycle = SettlementCycle::T(1);
    /// D+0 (same calendar day, advanced).
    pub const D0: SettlementCycle = SettlementCycle::D(0);

    /// True for cycles where the acquirer pays before the network settles (T0, D0, S0) and so
    /// advances its own money (D0 pricing and limits apply).
    pub fn is_advance(&self) -> bool {
        matches!(
            self,
            SettlementCycle::T(0) | SettlementCycle::D(0) | SettlementCycle::S0
        )
    }

    fn validate(&self) -> Result<(), SettlementDateError> {
        let (n, needs_one) = match *self {
            SettlementCycle::T(n) | SettlementCycle::D(n) => (n, false),
            SettlementCycle::W(n) | SettlementCycle::M(n) => (n, true),
            SettlementCycle::S0 => return Ok(()),
        };
        if needs_one && n == 0 {
            return Err(SettlementDateError::CycleOutOfRange {
                cycle: self.to_string(),
                reason: "W and M cycles need N >= 1",
            });
        }
        if n > MAX_CYCLE_N {
            return Err(SettlementDateError::CycleOutOfRange {
                cycle: self.to_string(),
                reason: "N must be <= 366",
            });
        }
        Ok(())
    }

    /// The payout day for network settlement day `t` (for S0 pass the event's local date).
    pub fn payout_day(
        &self,
        t: NaiveDate,
        calendar: &Calendar,
    ) -> Result<NaiveDate, SettlementDateError> {
        self.validate()?;
        match *self {
            SettlementCycle::T(n) => Ok(calendar.add_working_days(t, u32::from(n))?),
            SettlementCycle::D(n) => t
                .checked_add_days(Days::new(u64::from(n)))
                .ok_or(SettlementDateError::OutOfRange),
            SettlementCycle::S0 => Ok(t),
            SettlementCycle::W(n) => {
                let monday = t
                    .checked_sub_days(Days::new(u64::from(t.weekday().num_days_from_monday())))
                    .and_then(|m| m.checked_add_days(Days::new(7 * u64::from(n))))
                    .ok_or(SettlementDateError::OutOfRange)?;
                Ok(calendar.working_day_on_or_after(monday)?)
            }
            SettlementCycle::M(n) => {
                let first = t
                    .with_day(1)
                    .and_then(|f| f.checked_add_months(Months::new(u32::from(n))))
                    .ok_or(SettlementDateError::OutOfRange)?;
                Ok(calendar.working_day_on_or_after(first)?)
            }
        }
    }
}

impl fmt::Display for SettlementCycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettlementCycle::T(n) => write!(f, "T{n}"),
            SettlementCycle::D(n) => write!(f, "D{n}"),
            SettlementCycle::S0 => f.write_str("S0"),
            SettlementCycle::W(n) => write!(f, "W{n}"),
            SettlementCycle::M(n) => write!(f, "M{n}"),
        }
    }
}

impl FromStr for SettlementCycle {
    type Err = SettlementDateError;
    /// Parses "T1", "T+1", "D0", "S0", "W2", "M+3" (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || SettlementDateError::UnknownCycle {
            input: s.to_owned(),
        };
        let t = s.trim();
        let mut chars = t.chars();
        let letter = chars.next().ok_or_else(unknown)?.to_ascii_uppercase();
        let rest = chars.as_str();
        let rest = rest.strip_prefix('+').unwrap_or(rest);
        if rest.is_empty() || rest.len() > 3 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unknown());
        }
        let n: u16 = rest.parse().map_err(|_| unknown())?;
        let cycle = match letter {
            'T' => SettlementCycle::T(n),
            'D' => SettlementCycle::D(n),
            'S' if n == 0 => SettlementCycle::S0,
            'W' => SettlementCycle::W(n),
            'M' => SettlementCycle::M(n),
            _ => return Err(unknown()),
        };
        cycle.validate()?;
        Ok(cycle)
    }
}

impl Serialize for SettlementCycle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SettlementCycle {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The dates of one event under one cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementDates {
    /// The event's local date in the network zone.
    pub local_date: NaiveDate,
    /// The network settlement day (local date, shifted by the cut-off).
    pub network_day: NaiveDate,
    /// The day the merchant is paid.
    pub payout_day: NaiveDate,
    /// The cycle used.
    pub cycle: SettlementCycle,
    /// True if the payout day's status may still change (December of a year whose next notice
    /// is not out).
    pub provisional: bool,
    /// The calendar version used.
    pub calendar_version: String,
}

/// Computes the network settlement day and the merchant payout day of an event.
pub fn settlement_dates(
    at: DateTime<FixedOffset>,
    cycle: SettlementCycle,
    cutoff: &NetworkCutoff,
    calendar: &Calendar,
) -> Result<SettlementDates, SettlementDateError> {
    let local_date = cutoff.local_date(at)?;
    let network_day = cutoff.settlement_day(at)?;
    let anchor = if cycle == SettlementCycle::S0 {
        local_date
    } else {
        network_day
    };
    let payout_day = cycle.payout_day(anchor, calendar)?;
    Ok(SettlementDates {
        local_date,
        network_day,
        payout_day,
        cycle,
        provisional: calendar.is_provisional(payout_day),
        calendar_version: calendar.version().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_shape_matches_chrono() {
        for text in [
            "2026-02-13T23:30:00+08:00",
            "2026-02-13T23:30:00Z",
            "2026-02-13T23:30:00-05:30",
            "2028-02-29T00:00:00+14:00",
            "0001-01-01T00:00:00+08:00",
        ] {
            let fast = parse_common_rfc3339(text.as_bytes()).map(|t| (t, *t.offset()));
            let chrono = DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| (t, *t.offset()));
            assert_eq!(fast, chrono, "{text}");
            assert!(fast.is_some(), "{text}");
        }
        // Left to chrono: fractions, lower case, leap seconds, "-00:00", impossible dates.
        for text in [
            "2026-02-13T23:30:00.5+08:00",
            "2026-02-13t23:30:00z",
            "2016-12-31T23:59:60Z",
            "2026-02-13T23:30:00-00:00",
            "2026-02-30T10:00:00Z",
            "2026-02-13T24:00:00Z",
            "2026-02-13 23:30:00+08:00",
        ] {
            assert_eq!(parse_common_rfc3339(text.as_bytes()), None, "{text}");
        }
        assert_eq!(
            parse_event_time("2026-02-13 23:30:00+08:00").ok(),
            DateTime::parse_from_rfc3339("2026-02-13 23:30:00+08:00").ok()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whenever the fast path answers, chrono gives the same instant and offset.
        #[test]
        fn fast_path_never_disagrees_with_chrono(
            y in 0u32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..61,
            s in 0u32..62, zone in prop_oneof![
                Just("Z".to_owned()),
                (any::<bool>(), 0u32..26, 0u32..61).prop_map(|(neg, oh, om)| {
                    format!("{}{oh:02}:{om:02}", if neg { '-' } else { '+' })
                }),
            ],
        ) {
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{zone}");
            let chrono = DateTime::parse_from_rfc3339(&text).ok();
            if let Some(fast) = parse_common_rfc3339(text.as_bytes()) {
                // `DateTime` equality compares instants only: compare the offsets too.
                prop_assert_eq!(Some((fast, *fast.offset())), chrono.map(|c| (c, *c.offset())));
            }
            prop_assert_eq!(parse_event_time(&text).ok(), chrono);
        }
    }
}
