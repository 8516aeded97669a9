//! Fees (MDR quotes, IC++ costs, agent profit sharing, refunds, D0), working-day calendars and
//! settlement (payout dates, settlement runs).
//!
//! **Fee schedules** are opaque `paycore_fee_schedule` objects loaded from a JSON or TOML
//! document: a settlement config (`{"pricing": …, "settlement": …}`, see
//! examples/data/fee-schedule.json), a pricing config (`{"merchant": …, "costs": …}`) or a bare
//! merchant schedule (`{"currency": …, "rules": […]}`, priced against the 2016 China costs).
//! A document that fits none of them fails with `PAYCORE_ERR_FEE_SCHEDULE`, and the message
//! gives the line and column of the reading that got furthest.
//!
//! **Amounts** are `int64_t` minor units of the schedule's currency (fen for CNY).
//! **Dates** are [`paycore_date`] (year, month, day); **event times** are RFC 3339 text with a
//! mandatory UTC offset (`2026-02-13T23:30:00+08:00`); a time without one is
//! `PAYCORE_ERR_SETTLEMENT_TIME`, never guessed.
//!
//! **Calendars** fail closed: a date in a year without a published State Council notice is
//! `PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED` unless the calendar was built with
//! `PAYCORE_UNCOVERED_WEEKDAY_FALLBACK`.
//!
//! Ownership: `paycore_fee_schedule` and `paycore_calendar` are created by the functions here
//! and released once with their `_free`. Both are immutable after creation, so one object may
//! be shared between threads. The JSON outputs (`paycore_fee_quote_json`,
//! `paycore_settlement_run_json`) are pure: calling again with a bigger buffer after
//! `PAYCORE_ERR_BUFFER_TOO_SMALL` yields the same text.

use crate::boundary::{FfiError, guard, guard_value, str_arg, text_out, write_out};
use crate::paycore_result;
use chrono::{Datelike, NaiveDate};
use paycore::calendar::{
    Calendar, CalendarError, DayKind, DayOverride, DecemberPolicy, UncoveredYears,
};
use paycore::fees::{
    CardType, Channel, D0Error, D0Request, FeeError, FeeScheduleError, MerchantType, PricingEngine,
    PricingInput, refund_fee_returned,
};
use paycore::money::Currency;
use paycore::settlement::csv::{CsvError, read_records_borrowed};
use paycore::settlement::{
    CarryState, CompiledTerms, ConfigFormat, NetworkCutoff, SettlementConfig, SettlementDateError,
    SettlementError, parse_event_time, settle, settlement_dates,
};
use std::os::raw::c_char;

/// Most records read from one CSV text by `paycore_settlement_run_json`.
pub const PAYCORE_SETTLEMENT_MAX_RECORDS: usize = 10_000_000;

/// Card products (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_card_type {
    /// Debit card (借记卡).
    PAYCORE_CARD_DEBIT = 0,
    /// Credit card (贷记卡).
    PAYCORE_CARD_CREDIT = 1,
    /// Quasi-credit card (准贷记卡).
    PAYCORE_CARD_QUASI_CREDIT = 2,
    /// Prepaid card (预付卡).
    PAYCORE_CARD_PREPAID = 3,
}

/// How the card was presented (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_channel {
    /// Magnetic stripe.
    PAYCORE_CHANNEL_SWIPE = 0,
    /// EMV contact chip.
    PAYCORE_CHANNEL_CHIP = 1,
    /// Contactless / QuickPass (闪付).
    PAYCORE_CHANNEL_CONTACTLESS = 2,
    /// QR code.
    PAYCORE_CHANNEL_QR = 3,
    /// Small-amount no-PIN-no-signature (小额双免).
    PAYCORE_CHANNEL_SMALL_AMOUNT_NO_PIN = 4,
}

/// Merchant pricing categories (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_merchant_type {
    /// Standard (标准).
    PAYCORE_MERCHANT_STANDARD = 0,
    /// Preferential (优惠).
    PAYCORE_MERCHANT_PREFERENTIAL = 1,
    /// Waived / reduced (减免).
    PAYCORE_MERCHANT_WAIVED = 2,
}

/// What a calendar does with dates in years without a table (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_uncovered_years {
    /// `PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED` (fail closed; the default).
    PAYCORE_UNCOVERED_REFUSE = 0,
    /// Monday–Friday working, weekends off (explicit opt-in).
    PAYCORE_UNCOVERED_WEEKDAY_FALLBACK = 1,
}

/// What a calendar does with December dates whose next-year notice is missing.
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_december_policy {
    /// Answer; `paycore_calendar_is_provisional` flags the date.
    PAYCORE_DECEMBER_PROVISIONAL = 0,
    /// `PAYCORE_ERR_CALENDAR_PROVISIONAL`.
    PAYCORE_DECEMBER_REFUSE = 1,
}

/// What an acquirer override does to a date (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_day_kind {
    /// Funds move on this date.
    PAYCORE_DAY_WORKING = 0,
    /// No payouts on this date.
    PAYCORE_DAY_CLOSED = 1,
}

/// A calendar date.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_date {
    /// Year (e.g. 2026).
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

/// One acquirer override of a calendar date.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_day_override {
    /// The date.
    pub date: paycore_date,
    /// A `paycore_day_kind` value.
    pub kind: u32,
}

/// What selects a fee rule and prices a transaction.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_fee_input {
    /// Transaction amount, minor units of `currency` (≥ 0).
    pub amount_minor: i64,
    /// ISO 4217 numeric code of the amount (156 = CNY); must be the schedule's currency.
    pub currency: u16,
    /// A `paycore_card_type` value.
    pub card_type: u32,
    /// A `paycore_channel` value.
    pub channel: u32,
    /// A `paycore_merchant_type` value.
    pub merchant_type: u32,
    /// Merchant's month-to-date volume before this transaction (volume tiers; else 0).
    pub monthly_volume_minor: i64,
}

/// The breakdown of one transaction's fee (minor units).
/// Invariant: `merchant_fee = cost_total + agent_profit + acquirer_share`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_fee_breakdown {
    /// Transaction amount.
    pub amount_minor: i64,
    /// Merchant fee (MDR).
    pub merchant_fee_minor: i64,
    /// Index of the merchant rule used (its id is in `paycore_fee_quote_json`).
    pub merchant_rule: u32,
    /// Issuer service fee.
    pub issuer_fee_minor: i64,
    /// Network service fee (acquirer's share).
    pub network_fee_minor: i64,
    /// Brand service fee.
    pub brand_fee_minor: i64,
    /// issuer + network + brand.
    pub cost_total_minor: i64,
    /// Merchant fee − costs.
    pub margin_minor: i64,
    /// Σ agent profits over every level.
    pub agent_profit_minor: i64,
    /// Number of agent levels that shared (0 without an agent).
    pub agent_levels: u32,
    /// What the acquirer keeps: margin − Σ agent profits.
    pub acquirer_share_minor: i64,
}

/// One agent level's share of a fee.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_fee_agent_share {
    /// Index of the agent in the schedule's agent list (its id is in the quote JSON).
    pub agent: u32,
    /// Level: 1 = the merchant's direct agent.
    pub level: u32,
    /// The agent's cost for this transaction (cap applied).
    pub cost_minor: i64,
    /// The agent's profit (negative if its cost exceeds the merchant fee).
    pub profit_minor: i64,
}

/// The fee effect of one refund.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_refund_fees {
    /// Fee returned to the merchant with this refund.
    pub returned_minor: i64,
    /// Fee the acquirer keeps of the original fee after this refund.
    pub kept_minor: i64,
}

/// A request for a D0 (same-day, acquirer-advanced) payout.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_d0_request {
    /// The merchant's available (captured, unsettled) balance.
    pub available_minor: i64,
    /// The amount asked for, if `has_requested` (else: as much as allowed).
    pub requested_minor: i64,
    /// Whether `requested_minor` is set.
    pub has_requested: bool,
    /// Already advanced to this merchant today.
    pub used_today_minor: i64,
}

/// A priced D0 payout.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_d0_quote {
    /// Amount advanced (debited from the balance).
    pub advanced_minor: i64,
    /// Advance-rate part of the fee.
    pub rate_fee_minor: i64,
    /// Fixed part of the fee.
    pub fixed_fee_minor: i64,
    /// Total D0 fee.
    pub fee_minor: i64,
    /// Paid to the merchant: advanced − fee.
    pub net_paid_minor: i64,
    /// Balance left for the regular cycle.
    pub remaining_balance_minor: i64,
}

/// A network day boundary: events at or after `hour:minute` local time (in a zone
/// `utc_offset_seconds` east of UTC) belong to the next day.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_cutoff {
    /// Zone, seconds east of UTC (Beijing: 28800).
    pub utc_offset_seconds: i32,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    pub minute: u32,
}

/// The dates of one event under one settlement cycle.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_payout_dates {
    /// The event's local date in the network zone.
    pub local_date: paycore_date,
    /// The network settlement day (shifted by the cut-off).
    pub network_day: paycore_date,
    /// The day the merchant is paid.
    pub payout_day: paycore_date,
    /// True if the payout day may still change (December of a year whose next notice is out).
    pub provisional: bool,
}

/// A compiled fee schedule (opaque): pricing plus settlement terms.
pub struct paycore_fee_schedule {
    engine: PricingEngine,
    terms: CompiledTerms,
}

/// A working-day calendar (opaque).
pub struct paycore_calendar(Calendar);

impl From<FeeScheduleError> for FfiError {
    fn from(e: FeeScheduleError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_FEE_SCHEDULE, e.to_string())
    }
}

impl From<FeeError> for FfiError {
    fn from(e: FeeError) -> Self {
        use paycore_result::*;
        let code = match e {
            FeeError::NoRuleMatches { .. } => PAYCORE_ERR_FEE_NO_RULE,
            FeeError::UnknownAgent { .. } => PAYCORE_ERR_FEE_UNKNOWN_AGENT,
            FeeError::AgentProfitExceedsMargin { .. } => PAYCORE_ERR_FEE_AGENT_PROFIT,
            FeeError::RefundExceedsOriginal { .. } => PAYCORE_ERR_FEE_REFUND_EXCEEDS,
            FeeError::NegativeAmount { .. } => PAYCORE_ERR_FEE_NEGATIVE_AMOUNT,
            FeeError::CurrencyMismatch { .. } => PAYCORE_ERR_CURRENCY_MISMATCH,
            FeeError::Overflow { .. } => PAYCORE_ERR_OVERFLOW,
            _ => PAYCORE_ERR_INVALID_ARGUMENT,
        };
        FfiError::new(code, e.to_string())
    }
}

impl From<D0Error> for FfiError {
    fn from(e: D0Error) -> Self {
        let code = match e {
            D0Error::Negative { .. } => paycore_result::PAYCORE_ERR_FEE_NEGATIVE_AMOUNT,
            _ => paycore_result::PAYCORE_ERR_D0_REFUSED,
        };
        FfiError::new(code, e.to_string())
    }
}

impl From<CalendarError> for FfiError {
    fn from(e: CalendarError) -> Self {
        use paycore_result::*;
        let code = match e {
            CalendarError::YearNotCovered { .. } => PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED,
            CalendarError::ProvisionalDate { .. } => PAYCORE_ERR_CALENDAR_PROVISIONAL,
            _ => PAYCORE_ERR_CALENDAR,
        };
        FfiError::new(code, e.to_string())
    }
}

impl From<SettlementDateError> for FfiError {
    fn from(e: SettlementDateError) -> Self {
        use paycore_result::*;
        let code = match &e {
            SettlementDateError::MissingZone { .. } | SettlementDateError::MalformedTime { .. } => {
                PAYCORE_ERR_SETTLEMENT_TIME
            }
            SettlementDateError::UnknownCycle { .. }
            | SettlementDateError::CycleOutOfRange { .. } => PAYCORE_ERR_SETTLEMENT_CYCLE,
            SettlementDateError::InvalidCutoff { .. } => PAYCORE_ERR_SETTLEMENT_CUTOFF,
            SettlementDateError::Calendar(c) => FfiError::from(c.clone()).code,
            _ => PAYCORE_ERR_INVALID_DATE,
        };
        FfiError::new(code, e.to_string())
    }
}

impl From<CsvError> for FfiError {
    fn from(e: CsvError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_SETTLEMENT_CSV, e.to_string())
    }
}

impl From<SettlementError> for FfiError {
    fn from(e: SettlementError) -> Self {
        use paycore_result::*;
        let code = match &e {
            // The code of the underlying failure; the message names the record.
            SettlementError::Fee { source, .. } => FfiError::from(source.clone()).code,
            SettlementError::Date { source, .. } => FfiError::from(source.clone()).code,
            SettlementError::Overflow { .. } => PAYCORE_ERR_OVERFLOW,
            _ => PAYCORE_ERR_SETTLEMENT_RECORD,
        };
        FfiError::new(code, e.to_string())
    }
}

fn invalid(message: String) -> FfiError {
    FfiError::new(paycore_result::PAYCORE_ERR_INVALID_ARGUMENT, message)
}

fn enum_arg<T: Copy>(all: &[T], value: u32, what: &str) -> Result<T, FfiError> {
    all.get(value as usize).copied().ok_or_else(|| {
        invalid(format!(
            "{what} {value} out of range 0..={}",
            all.len().saturating_sub(1)
        ))
    })
}

fn date_in(d: paycore_date, name: &str) -> Result<NaiveDate, FfiError> {
    NaiveDate::from_ymd_opt(d.year, d.month, d.day).ok_or_else(|| {
        FfiError::new(
            paycore_result::PAYCORE_ERR_INVALID_DATE,
            format!(
                "{name}: {:04}-{:02}-{:02} is not a calendar date",
                d.year, d.month, d.day
            ),
        )
    })
}

fn date_out(d: NaiveDate) -> paycore_date {
    paycore_date {
        year: d.year(),
        month: d.month(),
        day: d.day(),
    }
}

/// Reads a settlement config, a pricing config or a bare merchant schedule.
pub(crate) fn load_config(text: &str, toml: bool) -> Result<SettlementConfig, FeeScheduleError> {
    let format = if toml {
        ConfigFormat::Toml
    } else {
        ConfigFormat::Json
    };
    SettlementConfig::from_document(text, format)
}

fn compile(text: &str, toml: bool) -> Result<paycore_fee_schedule, FfiError> {
    let config = load_config(text, toml)?;
    let engine = PricingEngine::new(&config.pricing)?;
    let terms = config.settlement.compile(engine.currency())?;
    Ok(paycore_fee_schedule { engine, terms })
}

/// # Safety
/// `p` NULL or a live object from this library.
unsafe fn borrow<'a, T>(p: *const T, name: &str) -> Result<&'a T, FfiError> {
    // SAFETY: caller contract.
    unsafe { p.as_ref() }.ok_or_else(|| FfiError::null(name))
}

fn boxed<T>(value: T, out: *mut *mut T) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::null("out"));
    }
    // SAFETY: checked non-NULL; valid per the caller contract.
    unsafe { write_out(out, Box::into_raw(Box::new(value)), "out") }
}

fn pricing_input(
    s: &paycore_fee_schedule,
    input: &paycore_fee_input,
) -> Result<PricingInput, FfiError> {
    let currency = Currency::from_numeric(input.currency)?;
    if currency != s.engine.currency() {
        return Err(FeeError::CurrencyMismatch {
            expected: s.engine.currency().alpha().to_owned(),
            given: currency.alpha().to_owned(),
        }
        .into());
    }
    Ok(PricingInput {
        amount_minor: input.amount_minor,
        card: enum_arg(CardType::ALL, input.card_type, "card type")?,
        channel: enum_arg(Channel::ALL, input.channel, "channel")?,
        merchant_type: enum_arg(MerchantType::ALL, input.merchant_type, "merchant type")?,
        monthly_volume_minor: input.monthly_volume_minor,
    })
}

/// # Safety
/// `agent` valid for `agent_len` bytes (or NULL with 0).
unsafe fn agent_arg(
    s: &paycore_fee_schedule,
    agent: *const c_char,
    agent_len: usize,
) -> Result<Option<u32>, FfiError> {
    // SAFETY: caller contract.
    let id = unsafe { str_arg(agent, agent_len, "agent") }?;
    if id.is_empty() {
        return Ok(None);
    }
    Ok(Some(s.engine.agents().lookup(id)?))
}

/// Loads a fee schedule from JSON (settlement config, pricing config or bare merchant
/// schedule; see the module notes). Release it with `paycore_fee_schedule_free`.
/// Errors: `PAYCORE_ERR_FEE_SCHEDULE` (the message names the line/column or the rule and field).
///
/// # Safety
/// `text` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_schedule_from_json(
    text: *const c_char,
    len: usize,
    out: *mut *mut paycore_fee_schedule,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(text, len, "text") }?;
        boxed(compile(text, false)?, out)
    })
}

/// Like `paycore_fee_schedule_from_json` for a TOML document.
///
/// # Safety
/// `text` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_schedule_from_toml(
    text: *const c_char,
    len: usize,
    out: *mut *mut paycore_fee_schedule,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(text, len, "text") }?;
        boxed(compile(text, true)?, out)
    })
}

/// Releases a fee schedule. NULL is ignored.
///
/// # Safety
/// `schedule` from this library, freed once, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_schedule_free(schedule: *mut paycore_fee_schedule) {
    guard_value((), || {
        if !schedule.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(schedule) });
        }
    })
}

/// The schedule's ISO 4217 numeric currency code (156 for CNY).
///
/// # Safety
/// `schedule` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_schedule_currency(
    schedule: *const paycore_fee_schedule,
    out: *mut u16,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let s = unsafe { borrow(schedule, "schedule") }?;
        // SAFETY: caller contract.
        unsafe { write_out(out, s.engine.currency().numeric(), "out") }
    })
}

/// Prices one transaction: merchant fee, IC++ costs, margin, agent shares along the chain of
/// `agent` (NULL/empty: the schedule's `direct_agent`, if any) and the acquirer's share.
/// Errors: `PAYCORE_ERR_INVALID_ARGUMENT` (enum out of range), `PAYCORE_ERR_CURRENCY_MISMATCH`,
/// `PAYCORE_ERR_FEE_NO_RULE`, `PAYCORE_ERR_FEE_UNKNOWN_AGENT`, `PAYCORE_ERR_FEE_AGENT_PROFIT`
/// (agents would earn more than the margin), `PAYCORE_ERR_FEE_NEGATIVE_AMOUNT`.
///
/// # Safety
/// `schedule` live; `input` valid; `agent` valid for `agent_len` bytes or NULL; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_quote(
    schedule: *const paycore_fee_schedule,
    input: *const paycore_fee_input,
    agent: *const c_char,
    agent_len: usize,
    out: *mut paycore_fee_breakdown,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (s, input) = unsafe { (borrow(schedule, "schedule")?, borrow(input, "input")?) };
        let input = pricing_input(s, input)?;
        // SAFETY: caller contract.
        let agent = unsafe { agent_arg(s, agent, agent_len) }?;
        let q = s.engine.quote(&input, agent)?;
        let costs = q.issuer_fee_minor + q.network_fee_minor + q.brand_fee_minor;
        let quote = paycore_fee_breakdown {
            amount_minor: q.amount_minor,
            merchant_fee_minor: q.merchant_fee_minor,
            merchant_rule: q.merchant_rule,
            issuer_fee_minor: q.issuer_fee_minor,
            network_fee_minor: q.network_fee_minor,
            brand_fee_minor: q.brand_fee_minor,
            cost_total_minor: costs,
            margin_minor: q.margin_minor,
            agent_profit_minor: q.agents.iter().map(|a| a.profit_minor).sum(),
            agent_levels: q.agents.len() as u32,
            acquirer_share_minor: q.acquirer_share_minor,
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, quote, "out") }
    })
}

/// The quote as the core's JSON report: currency, decimal amounts ("20.00"), the merchant
/// rule id, costs (issuer, network, brand, total), margin, agents (id, level, cost, profit)
/// and acquirer share. Same arguments and errors as `paycore_fee_quote`.
///
/// # Safety
/// As `paycore_fee_quote`; `buf` valid for `buf_len` bytes; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_quote_json(
    schedule: *const paycore_fee_schedule,
    input: *const paycore_fee_input,
    agent: *const c_char,
    agent_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (s, input) = unsafe { (borrow(schedule, "schedule")?, borrow(input, "input")?) };
        let input = pricing_input(s, input)?;
        // SAFETY: caller contract.
        let agent = unsafe { agent_arg(s, agent, agent_len) }?;
        let q = s.engine.quote(&input, agent)?;
        let text = serde_json::to_string(&s.engine.report(&q))
            .map_err(|e| FfiError::new(paycore_result::PAYCORE_ERR_PANIC, e.to_string()))?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// The per-level agent shares of a quote, direct agent first, into `out` (room for `cap`);
/// `out_n` receives the number of levels. When `cap` is too small nothing is written to `out`,
/// `out_n` holds the number needed and the call returns `PAYCORE_ERR_BUFFER_TOO_SMALL`.
///
/// # Safety
/// As `paycore_fee_quote`; `out` valid for `cap` writes (or NULL with 0); `out_n` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_agent_shares(
    schedule: *const paycore_fee_schedule,
    input: *const paycore_fee_input,
    agent: *const c_char,
    agent_len: usize,
    out: *mut paycore_fee_agent_share,
    cap: usize,
    out_n: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (s, input) = unsafe { (borrow(schedule, "schedule")?, borrow(input, "input")?) };
        let input = pricing_input(s, input)?;
        // SAFETY: caller contract.
        let agent = unsafe { agent_arg(s, agent, agent_len) }?;
        let q = s.engine.quote(&input, agent)?;
        // SAFETY: caller contract.
        unsafe { write_out(out_n, q.agents.len(), "out_n") }?;
        if q.agents.len() > cap || (out.is_null() && !q.agents.is_empty()) {
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
                format!("agent shares need room for {}", q.agents.len()),
            ));
        }
        for (i, a) in q.agents.iter().enumerate() {
            let share = paycore_fee_agent_share {
                agent: a.agent,
                level: u32::from(a.level),
                cost_minor: a.cost_minor,
                profit_minor: a.profit_minor,
            };
            // SAFETY: i < len <= cap and `out` is valid for `cap` writes.
            unsafe { out.add(i).write(share) };
        }
        Ok(())
    })
}

/// The fee returned by a refund of `refund_minor` after earlier refunds of
/// `refunded_before_minor`, on a sale of `original_amount_minor` that paid
/// `original_fee_minor`, under the schedule's refund policy and rounding (pro rata: the
/// remaining-fee method, so the returns of successive partial refunds add up exactly).
/// Errors: `PAYCORE_ERR_FEE_REFUND_EXCEEDS`, `PAYCORE_ERR_FEE_NEGATIVE_AMOUNT`.
///
/// # Safety
/// `schedule` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_refund(
    schedule: *const paycore_fee_schedule,
    original_amount_minor: i64,
    original_fee_minor: i64,
    refunded_before_minor: i64,
    refund_minor: i64,
    out: *mut paycore_refund_fees,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let s = unsafe { borrow(schedule, "schedule") }?;
        let m = s.engine.merchant_schedule();
        let r = refund_fee_returned(
            m.refund_policy(),
            m.rounding(),
            original_amount_minor,
            original_fee_minor,
            refunded_before_minor,
            refund_minor,
        )?;
        let refund = paycore_refund_fees {
            returned_minor: r.returned_minor,
            kept_minor: r.kept_minor,
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, refund, "out") }
    })
}

/// Checks a D0 payout against the schedule's D0 limits and window at time `at` (RFC 3339 with
/// offset) and prices it. Errors: `PAYCORE_ERR_D0_NOT_CONFIGURED` (no `d0` section),
/// `PAYCORE_ERR_D0_REFUSED` (window, minimum, maximum, advanceable share, daily limit),
/// `PAYCORE_ERR_SETTLEMENT_TIME`, `PAYCORE_ERR_FEE_NEGATIVE_AMOUNT`.
///
/// # Safety
/// `schedule` live; `request` valid; `at` valid for `at_len` bytes; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_fee_d0_quote(
    schedule: *const paycore_fee_schedule,
    request: *const paycore_d0_request,
    at: *const c_char,
    at_len: usize,
    out: *mut paycore_d0_quote,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (s, r) = unsafe { (borrow(schedule, "schedule")?, borrow(request, "request")?) };
        // SAFETY: caller contract.
        let at = parse_event_time(unsafe { str_arg(at, at_len, "at") }?)?;
        let d0 = s.engine.d0().ok_or_else(|| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_D0_NOT_CONFIGURED,
                "the schedule has no d0 section",
            )
        })?;
        let q = d0.quote(&D0Request {
            available_minor: r.available_minor,
            requested_minor: r.has_requested.then_some(r.requested_minor),
            used_today_minor: r.used_today_minor,
            at,
        })?;
        let quote = paycore_d0_quote {
            advanced_minor: q.advanced_minor,
            rate_fee_minor: q.rate_fee_minor,
            fixed_fee_minor: q.fixed_fee_minor,
            fee_minor: q.fee_minor,
            net_paid_minor: q.net_paid_minor,
            remaining_balance_minor: q.remaining_balance_minor,
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, quote, "out") }
    })
}

/// The built-in China calendar (State Council notices; see `paycore_calendar_version`) with
/// the given `paycore_uncovered_years` and `paycore_december_policy`. Release with
/// `paycore_calendar_free`.
///
/// # Safety
/// `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_china(
    uncovered: u32,
    december: u32,
    out: *mut *mut paycore_calendar,
) -> paycore_result {
    guard(|| {
        let uncovered = enum_arg(
            &[UncoveredYears::Refuse, UncoveredYears::WeekdayFallback],
            uncovered,
            "uncovered-years policy",
        )?;
        let december = enum_arg(
            &[DecemberPolicy::Provisional, DecemberPolicy::Refuse],
            december,
            "December policy",
        )?;
        let cal = Calendar::china()
            .with_uncovered_years(uncovered)
            .with_december_policy(december);
        boxed(paycore_calendar(cal), out)
    })
}

/// A calendar without tables: Monday–Friday working (weekday fallback for every year).
///
/// # Safety
/// `name` valid for `name_len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_weekdays_only(
    name: *const c_char,
    name_len: usize,
    out: *mut *mut paycore_calendar,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let name = unsafe { str_arg(name, name_len, "name") }?;
        boxed(
            paycore_calendar(Calendar::weekdays_only(name, "weekdays")),
            out,
        )
    })
}

/// A copy of `calendar` with acquirer overrides layered on top (they win over the tables);
/// `label` is appended to the version ("…+label"). Two overrides of one date with different
/// kinds fail with `PAYCORE_ERR_CALENDAR`. Release the new calendar with
/// `paycore_calendar_free`.
///
/// # Safety
/// `calendar` live; `label` valid for `label_len` bytes; `overrides` valid for `n` reads (or
/// NULL with 0); `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_with_overrides(
    calendar: *const paycore_calendar,
    label: *const c_char,
    label_len: usize,
    overrides: *const paycore_day_override,
    n: usize,
    out: *mut *mut paycore_calendar,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        // SAFETY: caller contract.
        let label = unsafe { str_arg(label, label_len, "label") }?;
        let raw: &[paycore_day_override] = if n == 0 {
            &[]
        } else if overrides.is_null() {
            return Err(FfiError::null("overrides"));
        } else {
            // SAFETY: caller contract: valid for `n` reads.
            unsafe { std::slice::from_raw_parts(overrides, n) }
        };
        let list = raw
            .iter()
            .enumerate()
            .map(|(i, o)| {
                Ok(DayOverride {
                    date: date_in(o.date, &format!("overrides[{i}].date"))?,
                    kind: enum_arg(
                        &[DayKind::Working, DayKind::Closed],
                        o.kind,
                        &format!("overrides[{i}].kind"),
                    )?,
                    reason: String::new(),
                })
            })
            .collect::<Result<Vec<_>, FfiError>>()?;
        let next = cal.0.clone().with_overrides(label, &list)?;
        boxed(paycore_calendar(next), out)
    })
}

/// Releases a calendar. NULL is ignored.
///
/// # Safety
/// `calendar` from this library, freed once, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_free(calendar: *mut paycore_calendar) {
    guard_value((), || {
        if !calendar.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(calendar) });
        }
    })
}

/// The calendar's data version (record it with every result), e.g. "cn-…".
///
/// # Safety
/// `calendar` live; `buf` valid for `buf_len` bytes; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_version(
    calendar: *const paycore_calendar,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        // SAFETY: caller contract.
        unsafe { text_out(cal.0.version(), buf, buf_len, out_len) }
    })
}

/// The years with an official table, ascending, into `out` (room for `cap`); `out_n` gets the
/// count. `PAYCORE_ERR_BUFFER_TOO_SMALL` (nothing written to `out`) when `cap` is too small.
///
/// # Safety
/// `calendar` live; `out` valid for `cap` writes (or NULL with 0); `out_n` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_covered_years(
    calendar: *const paycore_calendar,
    out: *mut i32,
    cap: usize,
    out_n: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        let years = cal.0.covered_years();
        // SAFETY: caller contract.
        unsafe { write_out(out_n, years.len(), "out_n") }?;
        if years.len() > cap || (out.is_null() && !years.is_empty()) {
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
                format!("covered years need room for {}", years.len()),
            ));
        }
        // SAFETY: len <= cap; `out` valid for `cap` writes.
        unsafe { std::ptr::copy_nonoverlapping(years.as_ptr(), out, years.len()) };
        Ok(())
    })
}

/// Whether funds move on `date`. Errors: `PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED` (fail
/// closed), `PAYCORE_ERR_CALENDAR_PROVISIONAL` (December policy refuse),
/// `PAYCORE_ERR_INVALID_DATE`.
///
/// # Safety
/// `calendar` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_is_working_day(
    calendar: *const paycore_calendar,
    date: paycore_date,
    out: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        let working = cal.0.is_working_day(date_in(date, "date")?)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, working, "out") }
    })
}

/// True for a December date of a covered year whose next year has no table yet.
///
/// # Safety
/// `calendar` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_is_provisional(
    calendar: *const paycore_calendar,
    date: paycore_date,
    out: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        let provisional = cal.0.is_provisional(date_in(date, "date")?);
        // SAFETY: caller contract.
        unsafe { write_out(out, provisional, "out") }
    })
}

/// The first working day on or after `date`.
///
/// # Safety
/// `calendar` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_working_day_on_or_after(
    calendar: *const paycore_calendar,
    date: paycore_date,
    out: *mut paycore_date,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        let day = cal.0.working_day_on_or_after(date_in(date, "date")?)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, date_out(day), "out") }
    })
}

/// The `n`-th working day strictly after `date` (`n = 0`: on or after): T+N from a day.
///
/// # Safety
/// `calendar` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_add_working_days(
    calendar: *const paycore_calendar,
    date: paycore_date,
    n: u32,
    out: *mut paycore_date,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        let day = cal.0.add_working_days(date_in(date, "date")?, n)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, date_out(day), "out") }
    })
}

/// Working days in the half-open range `[from, to)` (0 if `to <= from`).
///
/// # Safety
/// `calendar` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_calendar_working_days_between(
    calendar: *const paycore_calendar,
    from: paycore_date,
    to: paycore_date,
    out: *mut u32,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        let n = cal
            .0
            .working_days_between(date_in(from, "from")?, date_in(to, "to")?)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, n, "out") }
    })
}

/// The network settlement day and merchant payout day of an event at `at` (RFC 3339 with a UTC
/// offset) under `cycle` ("T1", "T+1", "D0", "S0", "W1", "M1"), with the network cut-off
/// `cutoff` (NULL: UnionPay, 23:00 Beijing time). Errors: `PAYCORE_ERR_SETTLEMENT_TIME`,
/// `PAYCORE_ERR_SETTLEMENT_CYCLE`, `PAYCORE_ERR_SETTLEMENT_CUTOFF`, the calendar's errors.
///
/// # Safety
/// `calendar` live; `at`/`cycle` valid for their lengths; `cutoff` valid or NULL; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_settlement_dates(
    calendar: *const paycore_calendar,
    at: *const c_char,
    at_len: usize,
    cycle: *const c_char,
    cycle_len: usize,
    cutoff: *const paycore_cutoff,
    out: *mut paycore_payout_dates,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let cal = unsafe { borrow(calendar, "calendar") }?;
        // SAFETY: caller contract.
        let at = parse_event_time(unsafe { str_arg(at, at_len, "at") }?)?;
        // SAFETY: caller contract.
        let cycle = unsafe { str_arg(cycle, cycle_len, "cycle") }?.parse()?;
        // SAFETY: caller contract (NULL allowed).
        let cutoff = match unsafe { cutoff.as_ref() } {
            None => NetworkCutoff::UNIONPAY,
            Some(c) => NetworkCutoff::new(c.utc_offset_seconds, c.hour, c.minute)?,
        };
        let d = settlement_dates(at, cycle, &cutoff, &cal.0)?;
        let dates = paycore_payout_dates {
            local_date: date_out(d.local_date),
            network_day: date_out(d.network_day),
            payout_day: date_out(d.payout_day),
            provisional: d.provisional,
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, dates, "out") }
    })
}

/// Runs a settlement over CSV records (format of `paycore::settlement::csv`: header `id,
/// merchant_id,kind,amount,currency,time,card,channel,…`) with the schedule's pricing and
/// settlement terms, and writes the run as JSON: `{"batches": [{batch_id, merchant_id,
/// currency, payout_day, cycle, calendar_version, totals, net_minor, payout_minor,
/// carried_forward_minor, lines: [{kind, reference, amount_minor}]}], "state": {…}}`.
/// `state` is the `"state"` object of the previous run's JSON (NULL/empty: first run).
/// Errors: `PAYCORE_ERR_SETTLEMENT_CSV` (line, column and field named),
/// `PAYCORE_ERR_SETTLEMENT_STATE`, `PAYCORE_ERR_SETTLEMENT_RECORD` and, for a record that
/// cannot be priced or dated, that failure's code (e.g. `PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED`)
/// with the record's index and id in the message.
///
/// # Safety
/// `schedule`, `calendar` live; `csv`/`state` valid for their lengths (state may be NULL with
/// 0); `buf` valid for `buf_len` bytes; `out_len` valid.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn paycore_settlement_run_json(
    schedule: *const paycore_fee_schedule,
    calendar: *const paycore_calendar,
    csv: *const c_char,
    csv_len: usize,
    state: *const c_char,
    state_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let (s, cal) = unsafe { (borrow(schedule, "schedule")?, borrow(calendar, "calendar")?) };
        // SAFETY: caller contract.
        let csv = unsafe { str_arg(csv, csv_len, "csv") }?;
        // SAFETY: caller contract.
        let state_text = unsafe { str_arg(state, state_len, "state") }?;
        let state: CarryState = if state_text.trim().is_empty() {
            CarryState::default()
        } else {
            serde_json::from_str(state_text).map_err(|e| {
                FfiError::new(
                    paycore_result::PAYCORE_ERR_SETTLEMENT_STATE,
                    format!("state, line {} column {}: {e}", e.line(), e.column()),
                )
            })?
        };
        // Records borrow their ids from `csv`, which outlives the run.
        let records = read_records_borrowed(csv, PAYCORE_SETTLEMENT_MAX_RECORDS)?;
        let run = settle(&records, &s.engine, &s.terms, &cal.0, &state)?;
        let text = serde_json::to_string(&run)
            .map_err(|e| FfiError::new(paycore_result::PAYCORE_ERR_PANIC, e.to_string()))?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}
