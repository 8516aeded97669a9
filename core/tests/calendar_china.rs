//! Cross-checks paycore's own China holiday table against the vendored holiday-cn JSON files
//! (`<repo>/../shared/data/holiday-cn`). A missing data directory FAILS the test: a calendar
//! that cannot be checked must not pass silently.

use chrono::{Datelike, NaiveDate, Weekday};
use paycore::calendar::{Calendar, china_year_tables};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// `<repo>/../shared/data/holiday-cn`; a git worktree nested one level deeper (`wt/<name>`)
/// looks one directory further up. Nothing else is tried.
fn data_dir() -> PathBuf {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/holiday-cn");
    let nested = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/holiday-cn"
    );
    for candidate in [base, nested] {
        let p = PathBuf::from(candidate);
        if p.join("2026.json").is_file() {
            return p;
        }
    }
    panic!(
        "holiday-cn data directory not found at {base} (expected <repo>/../shared/data/holiday-cn)"
    );
}

/// year → (date → is_off), only for files with a published notice.
fn load() -> BTreeMap<i32, BTreeMap<NaiveDate, bool>> {
    let dir = data_dir();
    let mut out = BTreeMap::new();
    for year in 2007..=2027 {
        let path = dir.join(format!("{year}.json"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["year"].as_i64(), Some(i64::from(year)));
        let days = json["days"].as_array().unwrap();
        if days.is_empty() {
            continue;
        }
        let mut map = BTreeMap::new();
        for day in days {
            let date: NaiveDate = day["date"].as_str().unwrap().parse().unwrap();
            map.insert(date, day["isOffDay"].as_bool().unwrap());
        }
        out.insert(year, map);
    }
    out
}

#[test]
fn table_matches_holiday_cn_year_by_year() {
    let data = load();
    let ours: BTreeMap<i32, BTreeMap<NaiveDate, bool>> = china_year_tables()
        .into_iter()
        .map(|t| (t.year, t.days.iter().map(|d| (d.date, d.off)).collect()))
        .collect();
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        data.keys().collect::<Vec<_>>(),
        "notice years differ"
    );
    for (year, days) in &data {
        assert_eq!(&ours[year], days, "notice {year} differs");
    }
}

#[test]
fn every_covered_date_follows_the_official_rule() {
    let data = load();
    let merged: BTreeMap<NaiveDate, bool> =
        data.values().flatten().map(|(d, o)| (*d, *o)).collect();
    let cal = Calendar::china();
    let covered: BTreeSet<i32> = data.keys().copied().collect();
    assert_eq!(
        cal.covered_years(),
        covered.iter().copied().collect::<Vec<_>>()
    );
    let mut day = NaiveDate::from_ymd_opt(2006, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2028, 12, 31).unwrap();
    let mut checked = 0;
    while day <= end {
        let answer = cal.is_working_day(day);
        if covered.contains(&day.year()) {
            let expected = match merged.get(&day) {
                Some(off) => !off,
                None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
            };
            assert_eq!(answer, Ok(expected), "{day}");
            checked += 1;
        } else {
            assert!(
                answer.is_err(),
                "{day} must be refused (no notice for {})",
                day.year()
            );
        }
        day = day.succ_opt().unwrap();
    }
    assert!(checked > 7000);
}

#[test]
fn published_counts_match_readme() {
    // Counts (days listed / of which make-up working days) from the data README.
    let expected = [
        (2007, 32, 8),
        (2008, 35, 6),
        (2009, 33, 6),
        (2010, 37, 8),
        (2011, 34, 5),
        (2012, 34, 7),
        (2013, 41, 12),
        (2014, 27, 5),
        (2015, 31, 5),
        (2016, 30, 6),
        (2017, 29, 5),
        (2018, 29, 6),
        (2019, 31, 7),
        (2020, 37, 7),
        (2021, 38, 7),
        (2022, 38, 7),
        (2023, 34, 7),
        (2024, 36, 8),
        (2025, 33, 5),
        (2026, 39, 6),
    ];
    let tables = china_year_tables();
    for (year, listed, work) in expected {
        let t = tables.iter().find(|t| t.year == year).unwrap();
        assert_eq!(t.days.len(), listed, "{year}");
        assert_eq!(t.days.iter().filter(|d| !d.off).count(), work, "{year}");
    }
}
