//! The network's business day: UnionPay closes its day at 23:00 Beijing time, so a transaction
//! at 23:30 on 1 March belongs to the settlement date 2 March (`ledger-settlement.md` §4.4).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// The cut-off of a network's day, in a fixed-offset time zone (China has no DST).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CutOff {
    /// Offset of the network's time zone from UTC, in seconds (Asia/Shanghai = 28 800).
    pub utc_offset_seconds: i32,
    /// Local time at which the next settlement day starts.
    pub at: NaiveTime,
}

impl CutOff {
    /// UnionPay: 23:00 Asia/Shanghai (UTC+8).
    pub fn unionpay() -> Self {
        CutOff {
            utc_offset_seconds: 8 * 3600,
            at: NaiveTime::from_hms_opt(23, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }

    /// The settlement date of an event at `now`.
    pub fn settlement_date(&self, now: DateTime<Utc>) -> NaiveDate {
        let local = now.naive_utc() + Duration::seconds(i64::from(self.utc_offset_seconds));
        if local.time() >= self.at {
            local.date().succ_opt().unwrap_or(local.date())
        } else {
            local.date()
        }
    }

    /// Local date and time at the network (F13 MMDD / F12 hhmmss of a request).
    pub fn local(&self, now: DateTime<Utc>) -> chrono::NaiveDateTime {
        now.naive_utc() + Duration::seconds(i64::from(self.utc_offset_seconds))
    }
}

impl Default for CutOff {
    fn default() -> Self {
        CutOff::unionpay()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn unionpay_cut_off_at_2300_beijing() {
        let c = CutOff::unionpay();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // 14:59:59 UTC = 22:59:59 Beijing → same day.
        assert_eq!(
            c.settlement_date(Utc.with_ymd_and_hms(2026, 3, 1, 14, 59, 59).unwrap()),
            d(2026, 3, 1)
        );
        // 15:00:00 UTC = 23:00 Beijing → next day.
        assert_eq!(
            c.settlement_date(Utc.with_ymd_and_hms(2026, 3, 1, 15, 0, 0).unwrap()),
            d(2026, 3, 2)
        );
        // 16:30 UTC on 31 Dec = 00:30 Beijing on 1 Jan → 1 Jan.
        assert_eq!(
            c.settlement_date(Utc.with_ymd_and_hms(2026, 12, 31, 16, 30, 0).unwrap()),
            d(2027, 1, 1)
        );
        // 15:30 UTC on 31 Dec = 23:30 Beijing → 1 Jan of the next year.
        assert_eq!(
            c.settlement_date(Utc.with_ymd_and_hms(2026, 12, 31, 15, 30, 0).unwrap()),
            d(2027, 1, 1)
        );
    }
}
