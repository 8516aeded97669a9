//! D0 pricing and limits: same-day payouts are money the acquirer advances (垫资), priced on
//! top of the MDR (an advance rate on the amount plus a fixed fee per payout) and limited.

use super::exact::{PICO, amount_to_minor, rate_to_pico, round_div};
use super::schedule::FeeScheduleError;
use crate::money::{Currency, Rounding};
use chrono::{DateTime, FixedOffset, NaiveTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

fn one() -> Decimal {
    Decimal::ONE
}

fn beijing() -> i32 {
    8 * 3600
}

/// D0 terms as data (amounts in major units of the pricing currency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct D0Pricing {
    /// Advance rate on the advanced amount (垫资费率), e.g. "0.0005".
    pub advance_rate: Decimal,
    /// Fixed fee per payout (代付费用), e.g. "3.00".
    #[serde(default)]
    pub fee_per_payout: Decimal,
    /// Share of the available balance that may be advanced (垫资比例, default 1).
    #[serde(default = "one")]
    pub advance_share: Decimal,
    /// Smallest payout.
    #[serde(default)]
    pub min_per_payout: Option<Decimal>,
    /// Largest payout.
    #[serde(default)]
    pub max_per_payout: Option<Decimal>,
    /// Most that may be advanced to one merchant per day.
    #[serde(default)]
    pub daily_limit: Option<Decimal>,
    /// Start of the daily window (local time, inclusive), "HH:MM:SS".
    pub window_start: NaiveTime,
    /// End of the daily window (local time, exclusive), "HH:MM:SS".
    pub window_end: NaiveTime,
    /// Zone of the window, seconds east of UTC (default UTC+8).
    #[serde(default = "beijing")]
    pub utc_offset_seconds: i32,
}

/// A request for a D0 payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct D0Request {
    /// The merchant's available (captured, unsettled) balance, minor units.
    pub available_minor: i64,
    /// The amount asked for (None: as much as allowed).
    pub requested_minor: Option<i64>,
    /// Already advanced to this merchant today.
    pub used_today_minor: i64,
    /// When the request is made.
    pub at: DateTime<FixedOffset>,
}

/// A priced D0 payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct D0Quote {
    /// Amount advanced (debited from the merchant's balance).
    pub advanced_minor: i64,
    /// Advance-rate part of the fee.
    pub rate_fee_minor: i64,
    /// Fixed part of the fee.
    pub fixed_fee_minor: i64,
    /// Total D0 fee (shared with agents like the MDR).
    pub fee_minor: i64,
    /// Paid to the merchant's bank account: advanced − fee.
    pub net_paid_minor: i64,
    /// Balance left for the regular cycle.
    pub remaining_balance_minor: i64,
}

/// Why a D0 payout is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum D0Error {
    /// Outside the daily window.
    #[error("D0 requested at {at} outside the window {start}–{end}")]
    OutsideWindow {
        /// Local request time.
        at: NaiveTime,
        /// Window start.
        start: NaiveTime,
        /// Window end.
        end: NaiveTime,
    },
    /// Below the per-payout minimum.
    #[error("D0 amount {amount_minor} is below the minimum {min_minor}")]
    BelowMinimum {
        /// Amount.
        amount_minor: i64,
        /// Minimum.
        min_minor: i64,
    },
    /// Above the per-payout maximum.
    #[error("D0 amount {amount_minor} is above the maximum {max_minor}")]
    AboveMaximum {
        /// Amount.
        amount_minor: i64,
        /// Maximum.
        max_minor: i64,
    },
    /// More than the advanceable share of the balance.
    #[error("D0 amount {amount_minor} exceeds the advanceable {advanceable_minor}")]
    ExceedsAdvanceable {
        /// Amount.
        amount_minor: i64,
        /// Advanceable share of the balance.
        advanceable_minor: i64,
    },
    /// Over the merchant's daily limit.
    #[error("D0 amount {amount_minor} exceeds the daily limit {limit_minor} ({used_minor} used)")]
    DailyLimit {
        /// Amount.
        amount_minor: i64,
        /// Daily limit.
        limit_minor: i64,
        /// Used so far today.
        used_minor: i64,
    },
    /// The fee would exceed the amount.
    #[error("D0 fee {fee_minor} is not below the amount {amount_minor}")]
    FeeExceedsAmount {
        /// Amount.
        amount_minor: i64,
        /// Fee.
        fee_minor: i64,
    },
    /// Negative amounts in the request.
    #[error("D0 request field {field} is negative")]
    Negative {
        /// The field.
        field: &'static str,
    },
}

/// Validated D0 terms in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledD0 {
    rate: i128,
    fixed: i64,
    share: i128,
    min: Option<i64>,
    max: Option<i64>,
    daily: Option<i64>,
    start: NaiveTime,
    end: NaiveTime,
    offset: FixedOffset,
    rounding: Rounding,
}

impl D0Pricing {
    /// Validates the terms for `currency`.
    pub fn compile(
        &self,
        currency: Currency,
        rounding: Rounding,
    ) -> Result<CompiledD0, FeeScheduleError> {
        let bad = |field: &str, reason: &str| FeeScheduleError::InvalidParameter {
            field: format!("d0.{field}"),
            reason: reason.to_owned(),
        };
        let rate = rate_to_pico(self.advance_rate)
            .map_err(|_| bad("advance_rate", "must be in [0, 1] with at most 12 decimals"))?;
        let share = rate_to_pico(self.advance_share).map_err(|_| {
            bad(
                "advance_share",
                "must be in [0, 1] with at most 12 decimals",
            )
        })?;
        let e = currency.exponent();
        let amt = |field: &str, v: Decimal| {
            amount_to_minor(v, e)
                .map_err(|_| bad(field, "not a non-negative amount in the minor unit"))
        };
        let opt = |field: &str, v: Option<Decimal>| v.map(|v| amt(field, v)).transpose();
        let (min, max) = (
            opt("min_per_payout", self.min_per_payout)?,
            opt("max_per_payout", self.max_per_payout)?,
        );
        if let (Some(lo), Some(hi)) = (min, max)
            && hi < lo
        {
            return Err(bad("max_per_payout", "below min_per_payout"));
        }
        if self.window_end <= self.window_start {
            return Err(bad("window_end", "must be after window_start"));
        }
        let offset = FixedOffset::east_opt(self.utc_offset_seconds)
            .filter(|_| self.utc_offset_seconds.abs() <= 18 * 3600)
            .ok_or_else(|| bad("utc_offset_seconds", "beyond ±18 hours"))?;
        Ok(CompiledD0 {
            rate,
            fixed: amt("fee_per_payout", self.fee_per_payout)?,
            share,
            min,
            max,
            daily: opt("daily_limit", self.daily_limit)?,
            start: self.window_start,
            end: self.window_end,
            offset,
            rounding,
        })
    }
}

impl CompiledD0 {
    /// Checks the limits and prices a payout.
    pub fn quote(&self, req: &D0Request) -> Result<D0Quote, D0Error> {
        for (field, v) in [
            ("available", req.available_minor),
            ("requested", req.requested_minor.unwrap_or(0)),
            ("used_today", req.used_today_minor),
        ] {
            if v < 0 {
                return Err(D0Error::Negative { field });
            }
        }
        let local = req.at.with_timezone(&self.offset).time();
        let local = local.with_nanosecond(0).unwrap_or(local);
        if local < self.start || local >= self.end {
            return Err(D0Error::OutsideWindow {
                at: local,
                start: self.start,
                end: self.end,
            });
        }
        let advanceable = (i128::from(req.available_minor) * self.share / PICO) as i64;
        let daily_left = self
            .daily
            .map_or(i64::MAX, |d| d.saturating_sub(req.used_today_minor).max(0));
        let amount = match req.requested_minor {
            Some(a) => a,
            None => advanceable
                .min(daily_left)
                .min(self.max.unwrap_or(i64::MAX)),
        };
        if amount > advanceable {
            return Err(D0Error::ExceedsAdvanceable {
                amount_minor: amount,
                advanceable_minor: advanceable,
            });
        }
        if let Some(limit) = self.daily
            && amount > daily_left
        {
            return Err(D0Error::DailyLimit {
                amount_minor: amount,
                limit_minor: limit,
                used_minor: req.used_today_minor,
            });
        }
        if let Some(min) = self.min
            && amount < min
        {
            return Err(D0Error::BelowMinimum {
                amount_minor: amount,
                min_minor: min,
            });
        }
        if let Some(max) = self.max
            && amount > max
        {
            return Err(D0Error::AboveMaximum {
                amount_minor: amount,
                max_minor: max,
            });
        }
        let rate_fee = round_div(i128::from(amount) * self.rate, PICO, self.rounding) as i64;
        let fee = rate_fee.saturating_add(self.fixed);
        if fee >= amount {
            return Err(D0Error::FeeExceedsAmount {
                amount_minor: amount,
                fee_minor: fee,
            });
        }
        Ok(D0Quote {
            advanced_minor: amount,
            rate_fee_minor: rate_fee,
            fixed_fee_minor: self.fixed,
            fee_minor: fee,
            net_paid_minor: amount - fee,
            remaining_balance_minor: req.available_minor - amount,
        })
    }
}
