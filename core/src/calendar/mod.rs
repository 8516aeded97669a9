//! Business-day calendars: which dates are working days for settlement.
//!
//! A [`Calendar`] is data: a weekend rule (Saturday and Sunday off) plus per-year tables of
//! listed days — holidays that are off and make-up working days (调休, usually a Saturday or
//! Sunday that becomes a working day) — plus acquirer overrides layered on top. The built-in
//! [`Calendar::china`] carries paycore's own table of the State Council notices.
//!
//! Why fail closed: settlement dates computed with a guessed calendar are silently wrong on
//! every 调休 weekend and every holiday of a year whose notice is not out yet. A date in a year
//! without a table is therefore an error unless the caller explicitly opts into
//! [`UncoveredYears::WeekdayFallback`]. December dates of a covered year whose *next* year has
//! no notice yet are answered but [provisional](Calendar::is_provisional) (the next notice may
//! move them); [`DecemberPolicy::Refuse`] makes them errors too.
//!
//! The calendar is immutable once built and answers from a dense bitmap, so a working-day
//! lookup is a few integer operations.

mod china;
mod china_table;

pub use china::{CHINA_CALENDAR_VERSION, china_notice_years, china_year_tables};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most days a working-day search may scan before giving up (about ten years): bounds the
/// work done for absurd inputs when the weekday fallback makes every year answerable.
pub const MAX_SCAN_DAYS: u32 = 3660;

/// A date listed in a year table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedDay {
    /// The calendar date.
    pub date: NaiveDate,
    /// `true`: a day off (holiday); `false`: a make-up working day (调休).
    pub off: bool,
    /// The holiday the entry belongs to (春节, 国庆节…).
    #[serde(default)]
    pub name: String,
}

/// The official arrangement of one year (one notice). A year without a table, or with an empty
/// one, is not covered: it means "no notice yet", never "no holidays".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTable {
    /// The notice year. Its `days` may include dates of the previous December.
    pub year: i32,
    /// Where the dates come from (notice URLs).
    #[serde(default)]
    pub sources: Vec<String>,
    /// The listed days.
    pub days: Vec<ListedDay>,
}

/// What an acquirer override does to a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Funds move on this date.
    Working,
    /// No payouts on this date.
    Closed,
}

/// An acquirer-specific opening or closure that wins over the official table (for example a
/// bank that pays out on a public holiday, or an extra closure for a system migration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOverride {
    /// The date.
    pub date: NaiveDate,
    /// Working or closed.
    pub kind: DayKind,
    /// Why (kept for statements and audits).
    #[serde(default)]
    pub reason: String,
}

/// What to do with a date in a year that has no table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UncoveredYears {
    /// Return [`CalendarError::YearNotCovered`] (the default: fail closed).
    #[default]
    Refuse,
    /// Assume Monday–Friday working, Saturday–Sunday off (plus overrides). Explicit opt-in.
    WeekdayFallback,
}

/// What to do with December dates of a covered year when the next year has no table yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DecemberPolicy {
    /// Answer from the known data; [`Calendar::is_provisional`] flags the date (default).
    #[default]
    Provisional,
    /// Return [`CalendarError::ProvisionalDate`].
    Refuse,
}

/// Why a calendar question could not be answered or a calendar could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The date's year has no official table in this calendar.
    #[error("{date}: year {year} is not covered by calendar {calendar} (no published notice)")]
    YearNotCovered {
        /// The date asked about.
        date: NaiveDate,
        /// Its year.
        year: i32,
        /// The calendar version.
        calendar: String,
    },
    /// A December date whose final status depends on a notice not yet published.
    #[error("{date}: provisional until the {next_year} notice is published (calendar {calendar})")]
    ProvisionalDate {
        /// The date asked about.
        date: NaiveDate,
        /// The year whose notice is missing.
        next_year: i32,
        /// The calendar version.
        calendar: String,
    },
    /// Two year tables disagree about a date.
    #[error(
        "{date}: listed as {first} in the {first_year} table and {second} in the {second_year} table"
    )]
    ConflictingEntry {
        /// The date.
        date: NaiveDate,
        /// Year of the first table listing it.
        first_year: i32,
        /// "off" or "working" in the first table.
        first: &'static str,
        /// Year of the second table.
        second_year: i32,
        /// "off" or "working" in the second table.
        second: &'static str,
    },
    /// The same year appears in two tables.
    #[error("year {year} has two tables")]
    DuplicateYear {
        /// The year.
        year: i32,
    },
    /// A table lists a date too far from its year (more than one month outside it).
    #[error("table {year}: date {date} is outside the notice year")]
    DateOutsideYear {
        /// The table's year.
        year: i32,
        /// The offending date.
        date: NaiveDate,
    },
    /// Two overrides name the same date with different kinds.
    #[error("override {index}: {date} is overridden twice with different kinds")]
    ConflictingOverride {
        /// Index of the second override in the list.
        index: usize,
        /// The date.
        date: NaiveDate,
    },
    /// A search for a working day scanned more than [`MAX_SCAN_DAYS`] days.
    #[error("no working day found within {MAX_SCAN_DAYS} days of {from}")]
    ScanLimit {
        /// Where the search started.
        from: NaiveDate,
    },
    /// A year range or day count too large to handle.
    #[error("calendar range too large: {reason}")]
    TooLarge {
        /// What was too large.
        reason: &'static str,
    },
}

/// A working-day calendar. Build it with [`Calendar::china`], [`Calendar::from_tables`] or
/// [`Calendar::weekdays_only`]; refine it with [`Calendar::with_overrides`],
/// [`Calendar::with_uncovered_years`] and [`Calendar::with_december_policy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    version: String,
    /// First year of the bitmap.
    first_year: i32,
    /// `covered[y - first_year]`: year `y` has a table.
    covered: Vec<bool>,
    /// Days from CE of January 1st of `first_year`.
    start: i32,
    /// One bit per day from `start`: set = working day (tables and overrides applied).
    working: Vec<u64>,
    /// Overrides outside the bitmap (used only with the weekday fallback).
    outside: BTreeMap<NaiveDate, bool>,
    uncovered: UncoveredYears,
    december: DecemberPolicy,
}

fn weekday_rule(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn kind_name(off: bool) -> &'static str {
    if off { "off" } else { "working" }
}

impl Calendar {
    /// Builds a calendar from year tables (weekend Saturday + Sunday). Tables with no days are
    /// ignored (a year without a notice is uncovered, not holiday-free).
    pub fn from_tables(
        name: &str,
        version: &str,
        tables: &[YearTable],
    ) -> Result<Calendar, CalendarError> {
        let tables: Vec<&YearTable> = tables.iter().filter(|t| !t.days.is_empty()).collect();
        let mut listed: BTreeMap<NaiveDate, (bool, i32)> = BTreeMap::new();
        let mut years: Vec<i32> = Vec::new();
        for table in &tables {
            if years.contains(&table.year) {
                return Err(CalendarError::DuplicateYear { year: table.year });
            }
            if !(1900..=2999).contains(&table.year) {
                return Err(CalendarError::TooLarge {
                    reason: "table year outside 1900..=2999",
                });
            }
            years.push(table.year);
            for day in &table.days {
                let y = day.date.year();
                let in_range = y == table.year
                    || (y == table.year - 1 && day.date.month() == 12)
                    || (y == table.year + 1 && day.date.month() == 1);
                if !in_range {
                    return Err(CalendarError::DateOutsideYear {
                        year: table.year,
                        date: day.date,
                    });
                }
                if let Some(&(off, other)) = listed.get(&day.date)
                    && off != day.off
                {
                    return Err(CalendarError::ConflictingEntry {
                        date: day.date,
                        first_year: other,
                        first: kind_name(off),
                        second_year: table.year,
                        second: kind_name(day.off),
                    });
                }
                listed.insert(day.date, (day.off, table.year));
            }
        }
        let first_year = listed
            .keys()
            .next()
            .map(|d| d.year())
            .into_iter()
            .chain(years.iter().copied())
            .min()
            .unwrap_or(2000);
        let last_year = listed
            .keys()
            .next_back()
            .map(|d| d.year())
            .into_iter()
            .chain(years.iter().copied())
            .max()
            .unwrap_or(2000);
        let mut covered = vec![false; (last_year - first_year + 1) as usize];
        for y in &years {
            covered[(y - first_year) as usize] = true;
        }
        let jan1 = NaiveDate::from_ymd_opt(first_year, 1, 1).ok_or(CalendarError::TooLarge {
            reason: "first year",
        })?;
        let end = NaiveDate::from_ymd_opt(last_year, 12, 31).ok_or(CalendarError::TooLarge {
            reason: "last year",
        })?;
        let start = jan1.num_days_from_ce();
        let len = (end.num_days_from_ce() - start + 1) as usize;
        let mut cal = Calendar {
            name: name.to_owned(),
            version: version.to_owned(),
            first_year,
            covered,
            start,
            working: vec![0; len.div_ceil(64)],
            outside: BTreeMap::new(),
            uncovered: UncoveredYears::Refuse,
            december: DecemberPolicy::Provisional,
        };
        for day in jan1.iter_days().take(len) {
            cal.set_bit(day, weekday_rule(day));
        }
        for (date, (off, _)) in listed {
            cal.set_bit(date, !off);
        }
        Ok(cal)
    }

    /// A calendar with no tables: every year is uncovered, so it answers only with
    /// [`UncoveredYears::WeekdayFallback`] (set here). For markets that pay on every weekday.
    pub fn weekdays_only(name: &str, version: &str) -> Calendar {
        let mut cal = Calendar::from_tables(name, version, &[])
            .expect("an empty table set is always consistent");
        cal.uncovered = UncoveredYears::WeekdayFallback;
        cal
    }

    /// Layers acquirer overrides on top (they win over the tables). `label` is appended to the
    /// version (`"cn-…+label"`) so results record that overrides were in force.
    pub fn with_overrides(
        mut self,
        label: &str,
        overrides: &[DayOverride],
    ) -> Result<Calendar, CalendarError> {
        let mut seen: BTreeMap<NaiveDate, DayKind> = BTreeMap::new();
        for (index, o) in overrides.iter().enumerate() {
            if let Some(&kind) = seen.get(&o.date)
                && kind != o.kind
            {
                return Err(CalendarError::ConflictingOverride {
                    index,
                    date: o.date,
                });
            }
            seen.insert(o.date, o.kind);
            let working = o.kind == DayKind::Working;
            if self.bit_index(o.date).is_some() {
                self.set_bit(o.date, working);
            } else {
                self.outside.insert(o.date, working);
            }
        }
        if !overrides.is_empty() {
            self.version = format!("{}+{}", self.version, label);
        }
        Ok(self)
    }

    /// Sets the policy for dates in years without a table.
    pub fn with_uncovered_years(mut self, policy: UncoveredYears) -> Calendar {
        self.uncovered = policy;
        self
    }

    /// Sets the policy for December dates whose next-year notice is missing.
    pub fn with_december_policy(mut self, policy: DecemberPolicy) -> Calendar {
        self.december = policy;
        self
    }

    /// The calendar's name ("CN").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The data version, including the override label if any. Record it with every result.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The years that have an official table.
    pub fn covered_years(&self) -> Vec<i32> {
        self.covered
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| self.first_year + i as i32)
            .collect()
    }

    /// True if `year` has an official table.
    pub fn covers(&self, year: i32) -> bool {
        let i = year - self.first_year;
        i >= 0 && (i as usize) < self.covered.len() && self.covered[i as usize]
    }

    /// True for a December date of a covered year whose next year has no table yet: the next
    /// notice may still move it.
    pub fn is_provisional(&self, date: NaiveDate) -> bool {
        date.month() == 12 && self.covers(date.year()) && !self.covers(date.year() + 1)
    }

    fn bit_index(&self, date: NaiveDate) -> Option<usize> {
        let i = date.num_days_from_ce() - self.start;
        (i >= 0 && (i as usize) < self.working.len() * 64).then_some(i as usize)
    }

    fn set_bit(&mut self, date: NaiveDate, working: bool) {
        if let Some(i) = self.bit_index(date) {
            let mask = 1u64 << (i % 64);
            if working {
                self.working[i / 64] |= mask;
            } else {
                self.working[i / 64] &= !mask;
            }
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.working[i / 64] & (1u64 << (i % 64)) != 0
    }

    /// Whether funds move on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let year = date.year();
        if self.covers(year) {
            if self.december == DecemberPolicy::Refuse && self.is_provisional(date) {
                return Err(CalendarError::ProvisionalDate {
                    date,
                    next_year: year + 1,
                    calendar: self.version.clone(),
                });
            }
            // Covered years always lie inside the bitmap.
            if let Some(i) = self.bit_index(date) {
                return Ok(self.bit(i));
            }
        }
        match self.uncovered {
            UncoveredYears::Refuse => Err(CalendarError::YearNotCovered {
                date,
                year,
                calendar: self.version.clone(),
            }),
            UncoveredYears::WeekdayFallback => Ok(match self.bit_index(date) {
                Some(i) => self.bit(i),
                None => self
                    .outside
                    .get(&date)
                    .copied()
                    .unwrap_or_else(|| weekday_rule(date)),
            }),
        }
    }

    /// The first working day on or after `date`.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        for _ in 0..MAX_SCAN_DAYS {
            if self.is_working_day(day)? {
                return Ok(day);
            }
            day = day
                .succ_opt()
                .ok_or(CalendarError::ScanLimit { from: date })?;
        }
        Err(CalendarError::ScanLimit { from: date })
    }

    /// The first working-day bit at index ≥ `from`, scanning whole words.
    fn next_working_bit(&self, from: usize) -> Option<usize> {
        let mut word = from / 64;
        let mut bits = *self.working.get(word)? & (u64::MAX << (from % 64));
        loop {
            if bits != 0 {
                return Some(word * 64 + bits.trailing_zeros() as usize);
            }
            word += 1;
            bits = *self.working.get(word)?;
        }
    }

    /// Bitmap fast path for [`Calendar::add_working_days`]; `None` when the slow path must
    /// decide (uncovered years, refused Decembers, edges of the bitmap).
    fn add_working_days_fast(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        if self.december == DecemberPolicy::Refuse || n > MAX_SCAN_DAYS {
            return None;
        }
        let start = self.bit_index(date)?;
        let mut at = if n == 0 {
            self.next_working_bit(start)?
        } else {
            start
        };
        for _ in 0..n {
            at = self.next_working_bit(at + 1)?;
        }
        let result = date.checked_add_days(chrono::Days::new((at - start) as u64))?;
        (date.year()..=result.year())
            .all(|y| self.covers(y))
            .then_some(result)
    }

    /// The `n`-th working day strictly after `date` (`n = 0`: the first working day on or after
    /// `date`). This is T+N counted from a settlement day.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        if let Some(day) = self.add_working_days_fast(date, n) {
            return Ok(day);
        }
        if n == 0 {
            return self.working_day_on_or_after(date);
        }
        let mut day = date;
        let mut left = n;
        for _ in 0..MAX_SCAN_DAYS {
            day = day
                .succ_opt()
                .ok_or(CalendarError::ScanLimit { from: date })?;
            if self.is_working_day(day)? {
                left -= 1;
                if left == 0 {
                    return Ok(day);
                }
            }
        }
        Err(CalendarError::ScanLimit { from: date })
    }

    /// Working days in the half-open range `[from, to)` (0 if `to <= from`).
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut day = from;
        let mut scanned = 0;
        while day < to {
            scanned += 1;
            if scanned > MAX_SCAN_DAYS {
                return Err(CalendarError::ScanLimit { from });
            }
            if self.is_working_day(day)? {
                count += 1;
            }
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn china_2026_spring_festival() {
        let cal = Calendar::china();
        // Saturday 2026-02-14 is a make-up working day; 15–23 are off.
        assert!(cal.is_working_day(d(2026, 2, 14)).unwrap());
        for day in 15..=23 {
            assert!(!cal.is_working_day(d(2026, 2, day)).unwrap(), "Feb {day}");
        }
        assert!(cal.is_working_day(d(2026, 2, 24)).unwrap());
        assert_eq!(
            cal.add_working_days(d(2026, 2, 14), 1).unwrap(),
            d(2026, 2, 24)
        );
    }

    #[test]
    fn uncovered_year_fails_closed_unless_opted_in() {
        let cal = Calendar::china();
        assert!(matches!(
            cal.is_working_day(d(2027, 3, 1)),
            Err(CalendarError::YearNotCovered { year: 2027, .. })
        ));
        assert!(matches!(
            cal.is_working_day(d(2006, 6, 1)),
            Err(CalendarError::YearNotCovered { year: 2006, .. })
        ));
        let open = cal.with_uncovered_years(UncoveredYears::WeekdayFallback);
        assert!(open.is_working_day(d(2027, 3, 1)).unwrap()); // Monday
        assert!(!open.is_working_day(d(2027, 3, 6)).unwrap()); // Saturday
    }

    #[test]
    fn bitmap_fast_path_matches_day_by_day_scan() {
        let cal = Calendar::china();
        let slow = |date: NaiveDate, n: u32| -> Option<NaiveDate> {
            let mut day = date;
            let mut left = n;
            if n == 0 {
                while !cal.is_working_day(day).ok()? {
                    day = day.succ_opt()?;
                }
                return Some(day);
            }
            loop {
                day = day.succ_opt()?;
                if cal.is_working_day(day).ok()? {
                    left -= 1;
                    if left == 0 {
                        return Some(day);
                    }
                }
            }
        };
        let mut day = d(2006, 12, 20);
        while day < d(2027, 1, 10) {
            for n in [0, 1, 2, 5] {
                assert_eq!(
                    cal.add_working_days(day, n).ok(),
                    slow(day, n),
                    "{day} +{n}"
                );
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn december_policy() {
        let cal = Calendar::china();
        assert!(cal.is_provisional(d(2026, 12, 31)));
        assert!(!cal.is_provisional(d(2025, 12, 31)));
        assert!(cal.is_working_day(d(2026, 12, 31)).unwrap());
        let strict = cal.with_december_policy(DecemberPolicy::Refuse);
        assert!(matches!(
            strict.is_working_day(d(2026, 12, 31)),
            Err(CalendarError::ProvisionalDate {
                next_year: 2027,
                ..
            })
        ));
        assert!(strict.is_working_day(d(2026, 11, 30)).unwrap());
    }

    #[test]
    fn overrides_layer_on_top_and_change_version() {
        let cal = Calendar::china()
            .with_overrides(
                "acq1",
                &[
                    DayOverride {
                        date: d(2026, 2, 16),
                        kind: DayKind::Working,
                        reason: "holiday payout".into(),
                    },
                    DayOverride {
                        date: d(2026, 3, 2),
                        kind: DayKind::Closed,
                        reason: "migration".into(),
                    },
                ],
            )
            .unwrap();
        assert!(cal.is_working_day(d(2026, 2, 16)).unwrap());
        assert!(!cal.is_working_day(d(2026, 3, 2)).unwrap());
        assert_eq!(cal.version(), format!("{CHINA_CALENDAR_VERSION}+acq1"));
        let clash = Calendar::china().with_overrides(
            "x",
            &[
                DayOverride {
                    date: d(2026, 3, 2),
                    kind: DayKind::Closed,
                    reason: String::new(),
                },
                DayOverride {
                    date: d(2026, 3, 2),
                    kind: DayKind::Working,
                    reason: String::new(),
                },
            ],
        );
        assert!(matches!(
            clash,
            Err(CalendarError::ConflictingOverride { index: 1, .. })
        ));
    }

    #[test]
    fn conflicting_tables_are_rejected() {
        let t = |year, off| YearTable {
            year,
            sources: vec![],
            days: vec![ListedDay {
                date: d(2018, 12, 30),
                off,
                name: String::new(),
            }],
        };
        let err = Calendar::from_tables("x", "v", &[t(2018, true), t(2019, false)]).unwrap_err();
        assert!(matches!(err, CalendarError::ConflictingEntry { .. }));
        let far = YearTable {
            year: 2020,
            sources: vec![],
            days: vec![ListedDay {
                date: d(2018, 12, 30),
                off: true,
                name: String::new(),
            }],
        };
        assert!(matches!(
            Calendar::from_tables("x", "v", &[far]),
            Err(CalendarError::DateOutsideYear { year: 2020, .. })
        ));
    }
}
