//! The official mainland-China working-day calendar, built from [`super::china_table`].

use super::{Calendar, ListedDay, YearTable};
use chrono::NaiveDate;

/// Version of the built-in China table. Bump it whenever a notice is added or corrected, so a
/// settlement result can always say which calendar produced it.
pub const CHINA_CALENDAR_VERSION: &str = "cn-state-council-2007-2026.r1";

/// One State Council notice: the holiday arrangements for one year.
#[derive(Debug)]
pub(super) struct Notice {
    pub(super) year: u16,
    pub(super) papers: &'static [&'static str],
    pub(super) holidays: &'static [Holiday],
}

/// One holiday of a notice: its blocks of days off and its make-up working days (调休).
#[derive(Debug)]
pub(super) struct Holiday {
    pub(super) name: &'static str,
    pub(super) off: &'static [(Ymd, Ymd)],
    pub(super) work: &'static [Ymd],
}

/// A date as `(year, month, day)`.
pub(super) type Ymd = (u16, u8, u8);

fn date((y, m, d): Ymd) -> NaiveDate {
    // The table is static data checked by tests; an invalid entry is a programming error.
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
        .unwrap_or_else(|| panic!("invalid date {y}-{m}-{d} in the China holiday table"))
}

/// The notices as [`YearTable`]s: one per notice year, listing every day off and every make-up
/// working day, each named after its holiday.
pub fn china_year_tables() -> Vec<YearTable> {
    super::china_table::NOTICES
        .iter()
        .map(|notice| {
            let mut days = Vec::new();
            for holiday in notice.holidays {
                for &(first, last) in holiday.off {
                    let (first, last) = (date(first), date(last));
                    for day in first.iter_days().take_while(|d| *d <= last) {
                        days.push(ListedDay {
                            date: day,
                            off: true,
                            name: holiday.name.to_owned(),
                        });
                    }
                }
                for &work in holiday.work {
                    days.push(ListedDay {
                        date: date(work),
                        off: false,
                        name: holiday.name.to_owned(),
                    });
                }
            }
            days.sort_by_key(|d| d.date);
            YearTable {
                year: i32::from(notice.year),
                sources: notice.papers.iter().map(|p| (*p).to_owned()).collect(),
                days,
            }
        })
        .collect()
}

impl Calendar {
    /// The official mainland-China calendar: Saturday and Sunday off, plus the State Council
    /// notices 2007–2026 (holidays off, 调休 weekends working). Dates in a year without a
    /// notice are refused until the caller opts into [`super::UncoveredYears::WeekdayFallback`].
    pub fn china() -> Calendar {
        Calendar::from_tables("CN", CHINA_CALENDAR_VERSION, &china_year_tables())
            .expect("the built-in China table is consistent (checked by tests)")
    }
}

/// Gives access to the raw notice table for tests and the inspector.
pub fn china_notice_years() -> Vec<i32> {
    super::china_table::NOTICES
        .iter()
        .map(|n| i32::from(n.year))
        .collect()
}
