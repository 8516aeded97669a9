//! Fees, working-day calendars and settlement for Kotlin/Swift.
//!
//! A `FeeSchedule` object is loaded from a JSON or TOML document — a settlement config
//! (`{"pricing": …, "settlement": …}`), a pricing config (`{"merchant": …}`) or a bare merchant
//! schedule (`{"currency": …, "rules": …}`) — and quotes merchant fees with IC++ costs and
//! agent shares, refund fees, D0 payouts, and runs settlements. Amounts are `Money` records
//! (integer minor units); dates are ISO `YYYY-MM-DD` strings (`java.time.LocalDate.toString()`
//! / `LocalDate.parse`); event times are RFC 3339 strings with a UTC offset
//! (`OffsetDateTime.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)`).
//!
//! `BusinessCalendar` (not `Calendar`, which Swift's Foundation already names) fails closed:
//! a date in a year without a published holiday notice throws `CalendarYearNotCovered` unless
//! the weekday fallback was chosen explicitly.

use crate::PaycoreError;
use crate::money::Money;
use chrono::NaiveDate;
use paycore::calendar as core_cal;
use paycore::fees as core;
use paycore::money::Currency;
use paycore::settlement as core_set;
use std::sync::Arc;

/// The card product, which selects the rate (and the regulated issuer fee).
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum CardType {
    /// Debit card (借记卡).
    Debit,
    /// Credit card (贷记卡).
    Credit,
    /// Quasi-credit card (准贷记卡).
    QuasiCredit,
    /// Prepaid card (预付卡).
    Prepaid,
}

impl From<CardType> for core::CardType {
    fn from(c: CardType) -> Self {
        match c {
            CardType::Debit => core::CardType::Debit,
            CardType::Credit => core::CardType::Credit,
            CardType::QuasiCredit => core::CardType::QuasiCredit,
            CardType::Prepaid => core::CardType::Prepaid,
        }
    }
}

/// How the card was presented.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum Channel {
    /// Magnetic stripe.
    Swipe,
    /// EMV contact chip.
    Chip,
    /// Contactless / QuickPass (闪付).
    Contactless,
    /// QR code.
    Qr,
    /// Small-amount no-PIN-no-signature (小额双免).
    SmallAmountNoPin,
}

impl From<Channel> for core::Channel {
    fn from(c: Channel) -> Self {
        match c {
            Channel::Swipe => core::Channel::Swipe,
            Channel::Chip => core::Channel::Chip,
            Channel::Contactless => core::Channel::Contactless,
            Channel::Qr => core::Channel::Qr,
            Channel::SmallAmountNoPin => core::Channel::SmallAmountNoPin,
        }
    }
}

/// The merchant's pricing category.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum MerchantType {
    /// Standard (标准).
    Standard,
    /// Preferential (优惠).
    Preferential,
    /// Waived / reduced (减免).
    Waived,
}

impl From<MerchantType> for core::MerchantType {
    fn from(m: MerchantType) -> Self {
        match m {
            MerchantType::Standard => core::MerchantType::Standard,
            MerchantType::Preferential => core::MerchantType::Preferential,
            MerchantType::Waived => core::MerchantType::Waived,
        }
    }
}

/// What selects a fee rule and prices a transaction.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FeeInput {
    /// Transaction amount (in the schedule's currency).
    pub amount: Money,
    /// Card type.
    pub card: CardType,
    /// Channel.
    pub channel: Channel,
    /// Merchant type.
    pub merchant_type: MerchantType,
    /// Merchant's month-to-date volume before this transaction, minor units (volume tiers).
    pub monthly_volume_minor: i64,
}

/// One agent level's share of a fee.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AgentShare {
    /// Agent id.
    pub agent: String,
    /// Level: 1 = the merchant's direct agent.
    pub level: u8,
    /// The agent's cost (cap applied).
    pub cost: Money,
    /// The agent's profit (negative if its cost exceeds the merchant fee).
    pub profit: Money,
}

/// The breakdown of one transaction's fee.
/// Invariant: `merchantFee = costTotal + Σ agents.profit + acquirerShare`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FeeQuote {
    /// Transaction amount.
    pub amount: Money,
    /// Merchant fee (MDR).
    pub merchant_fee: Money,
    /// Id of the merchant rule used.
    pub merchant_rule: String,
    /// Issuer service fee.
    pub issuer_fee: Money,
    /// Network service fee (acquirer's share).
    pub network_fee: Money,
    /// Brand service fee.
    pub brand_fee: Money,
    /// issuer + network + brand.
    pub cost_total: Money,
    /// Merchant fee − costs.
    pub margin: Money,
    /// One entry per agent level, direct agent first.
    pub agents: Vec<AgentShare>,
    /// What the acquirer keeps: margin − Σ agent profits.
    pub acquirer_share: Money,
    /// The core's JSON report of the quote (decimal amounts and ids), for logs and statements.
    pub report_json: String,
}

/// The fee effect of one refund.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RefundFees {
    /// Fee returned to the merchant with this refund.
    pub returned: Money,
    /// Fee kept of the original fee after this refund.
    pub kept: Money,
}

/// A priced D0 payout.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct D0Quote {
    /// Amount advanced.
    pub advanced: Money,
    /// Advance-rate part of the fee.
    pub rate_fee: Money,
    /// Fixed part of the fee.
    pub fixed_fee: Money,
    /// Total D0 fee.
    pub fee: Money,
    /// Paid to the merchant: advanced − fee.
    pub net_paid: Money,
    /// Balance left for the regular cycle.
    pub remaining_balance: Money,
}

/// Totals of a settlement batch.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettlementTotals {
    /// Sales.
    pub captured: Money,
    /// Refunds.
    pub refunds: Money,
    /// Fees charged.
    pub fees: Money,
    /// Fees returned with refunds.
    pub refunded_fees: Money,
    /// Adjustments debited (negative: credited).
    pub adjustments: Money,
    /// Reserve withheld.
    pub reserve_withheld: Money,
    /// Reserve released.
    pub reserve_released: Money,
    /// D0 advances already paid.
    pub d0_advances: Money,
    /// Periodic fees.
    pub periodic_fees: Money,
    /// Net carried in from the previous batch.
    pub carried_in: Money,
}

/// One line of a payout statement.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StatementLine {
    /// Kind: sale, fee, refund, refunded_fee, adjustment, d0_advance, reserve_withheld,
    /// reserve_released, periodic_fee, carried_in.
    pub kind: String,
    /// The record id or a description.
    pub reference: String,
    /// Signed effect on the net.
    pub amount: Money,
}

/// One merchant × currency × payout day batch with its statement.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettlementBatch {
    /// `merchant.currency.yyyymmdd`.
    pub batch_id: String,
    /// Digest of the batch content (replay check).
    pub digest: String,
    /// Merchant id.
    pub merchant_id: String,
    /// Currency code.
    pub currency: String,
    /// Payout day, ISO date.
    pub payout_day: String,
    /// Settlement cycle ("T1").
    pub cycle: String,
    /// Calendar version used.
    pub calendar_version: String,
    /// Totals.
    pub totals: SettlementTotals,
    /// Net = Σ lines.
    pub net: Money,
    /// Paid out (0 when below the minimum or negative).
    pub payout: Money,
    /// Carried into the next batch.
    pub carried_forward: Money,
    /// Statement lines.
    pub lines: Vec<StatementLine>,
}

/// The result of a settlement run.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettlementRun {
    /// Batches sorted by merchant, currency and payout day.
    pub batches: Vec<SettlementBatch>,
    /// Carried state for the next run (pass it back as `stateJson`).
    pub state_json: String,
    /// The whole run as the core's JSON.
    pub json: String,
}

/// What a calendar does with dates in years without a table.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum UncoveredYears {
    /// Throw `CalendarYearNotCovered` (fail closed).
    Refuse,
    /// Monday–Friday working, weekends off (explicit opt-in).
    WeekdayFallback,
}

/// What a calendar does with December dates whose next-year notice is missing.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum DecemberPolicy {
    /// Answer; `isProvisional` flags the date.
    Provisional,
    /// Throw `CalendarProvisional`.
    Refuse,
}

/// What an acquirer override does to a date.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum DayKind {
    /// Funds move on this date.
    Working,
    /// No payouts on this date.
    Closed,
}

/// An acquirer opening or closure that wins over the official table.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DayOverride {
    /// ISO date.
    pub date: String,
    /// Working or closed.
    pub kind: DayKind,
    /// Why (kept for audits).
    pub reason: String,
}

/// A network day boundary: events at or after `hour:minute` local time (in a zone
/// `utcOffsetSeconds` east of UTC) belong to the next day.
#[derive(Debug, Clone, Copy, uniffi::Record)]
pub struct Cutoff {
    /// Zone, seconds east of UTC (Beijing: 28800).
    pub utc_offset_seconds: i32,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    pub minute: u32,
}

/// The dates of one event under one cycle.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettlementDates {
    /// The event's local date in the network zone (ISO).
    pub local_date: String,
    /// The network settlement day (shifted by the cut-off).
    pub network_day: String,
    /// The day the merchant is paid.
    pub payout_day: String,
    /// The cycle ("T1").
    pub cycle: String,
    /// True if the payout day may still change (next year's notice not out).
    pub provisional: bool,
    /// Calendar version used.
    pub calendar_version: String,
}

impl From<core::FeeScheduleError> for PaycoreError {
    fn from(e: core::FeeScheduleError) -> Self {
        PaycoreError::FeeSchedule(e.to_string())
    }
}

impl From<core::FeeError> for PaycoreError {
    fn from(e: core::FeeError) -> Self {
        let m = e.to_string();
        match e {
            core::FeeError::NoRuleMatches { .. } => PaycoreError::FeeNoRule(m),
            core::FeeError::UnknownAgent { .. } => PaycoreError::FeeUnknownAgent(m),
            core::FeeError::AgentProfitExceedsMargin { .. } => PaycoreError::FeeAgentProfit(m),
            core::FeeError::RefundExceedsOriginal { .. } => PaycoreError::FeeRefundExceeds(m),
            core::FeeError::CurrencyMismatch { .. } => PaycoreError::CurrencyMismatch(m),
            core::FeeError::Overflow { .. } => PaycoreError::Overflow(m),
            _ => PaycoreError::InvalidArgument(m),
        }
    }
}

impl From<core::D0Error> for PaycoreError {
    fn from(e: core::D0Error) -> Self {
        let m = e.to_string();
        match e {
            core::D0Error::Negative { .. } => PaycoreError::InvalidArgument(m),
            _ => PaycoreError::D0Refused(m),
        }
    }
}

impl From<core_cal::CalendarError> for PaycoreError {
    fn from(e: core_cal::CalendarError) -> Self {
        let m = e.to_string();
        match e {
            core_cal::CalendarError::YearNotCovered { .. } => {
                PaycoreError::CalendarYearNotCovered(m)
            }
            core_cal::CalendarError::ProvisionalDate { .. } => PaycoreError::CalendarProvisional(m),
            _ => PaycoreError::CalendarInvalid(m),
        }
    }
}

impl From<core_set::SettlementDateError> for PaycoreError {
    fn from(e: core_set::SettlementDateError) -> Self {
        use core_set::SettlementDateError as E;
        let m = e.to_string();
        match e {
            E::MissingZone { .. } | E::MalformedTime { .. } => PaycoreError::SettlementTime(m),
            E::UnknownCycle { .. } | E::CycleOutOfRange { .. } => PaycoreError::SettlementCycle(m),
            E::Calendar(c) => c.into(),
            E::InvalidCutoff { .. } => PaycoreError::InvalidArgument(m),
            _ => PaycoreError::InvalidDate(m),
        }
    }
}

impl From<core_set::csv::CsvError> for PaycoreError {
    fn from(e: core_set::csv::CsvError) -> Self {
        PaycoreError::SettlementCsv(e.to_string())
    }
}

impl From<core_set::SettlementError> for PaycoreError {
    fn from(e: core_set::SettlementError) -> Self {
        use core_set::SettlementError as E;
        let m = e.to_string();
        // The kind of the underlying failure, with the message naming the record.
        let same_kind = |inner: PaycoreError| match inner {
            PaycoreError::CalendarYearNotCovered(_) => {
                PaycoreError::CalendarYearNotCovered(m.clone())
            }
            PaycoreError::CalendarProvisional(_) => PaycoreError::CalendarProvisional(m.clone()),
            PaycoreError::FeeNoRule(_) => PaycoreError::FeeNoRule(m.clone()),
            _ => PaycoreError::SettlementRecord(m.clone()),
        };
        match e {
            E::Fee { ref source, .. } => same_kind(source.clone().into()),
            E::Date { ref source, .. } => same_kind(source.clone().into()),
            E::Overflow { .. } => PaycoreError::Overflow(m),
            _ => PaycoreError::SettlementRecord(m),
        }
    }
}

fn date_in(text: &str, name: &str) -> Result<NaiveDate, PaycoreError> {
    text.parse().map_err(|_| {
        PaycoreError::InvalidDate(format!("{name}: {text:?} is not an ISO date (YYYY-MM-DD)"))
    })
}

fn money(minor: i64, currency: Currency) -> Money {
    Money {
        minor,
        currency: currency.alpha().to_owned(),
    }
}

/// Reads a settlement config, a pricing config or a bare merchant schedule.
fn load_config(
    text: &str,
    toml: bool,
) -> Result<core_set::SettlementConfig, core::FeeScheduleError> {
    let format = if toml {
        core_set::ConfigFormat::Toml
    } else {
        core_set::ConfigFormat::Json
    };
    core_set::SettlementConfig::from_document(text, format)
}

/// A compiled fee schedule: merchant pricing, IC++ costs, agent tree, D0 terms and settlement
/// terms. Immutable and thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct FeeSchedule {
    engine: core::PricingEngine,
    terms: core_set::CompiledTerms,
}

impl FeeSchedule {
    fn load(text: &str, toml: bool) -> Result<Arc<Self>, PaycoreError> {
        let config = load_config(text, toml)?;
        let engine = core::PricingEngine::new(&config.pricing)?;
        let terms = config.settlement.compile(engine.currency())?;
        Ok(Arc::new(FeeSchedule { engine, terms }))
    }

    fn minor(&self, m: &Money, what: &str) -> Result<i64, PaycoreError> {
        let c = Currency::from_code(&m.currency)?;
        if c != self.engine.currency() {
            return Err(PaycoreError::CurrencyMismatch(format!(
                "{what}: currency {} does not match the schedule's {}",
                c.alpha(),
                self.engine.currency().alpha()
            )));
        }
        Ok(m.minor)
    }

    fn m(&self, minor: i64) -> Money {
        money(minor, self.engine.currency())
    }
}

#[uniffi::export]
impl FeeSchedule {
    /// Loads a JSON document (settlement config, pricing config or bare merchant schedule).
    /// Throws `FeeSchedule` naming the line/column or the rule and field.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, PaycoreError> {
        FeeSchedule::load(&json, false)
    }

    /// Loads a TOML document (same shapes as `fromJson`).
    #[uniffi::constructor]
    pub fn from_toml(toml: String) -> Result<Arc<Self>, PaycoreError> {
        FeeSchedule::load(&toml, true)
    }

    /// The pricing currency code ("CNY").
    pub fn currency(&self) -> String {
        self.engine.currency().alpha().to_owned()
    }

    /// The merchant schedule's name.
    pub fn name(&self) -> String {
        self.engine.merchant_schedule().name().to_owned()
    }

    /// Prices one transaction: merchant fee, IC++ costs, margin, agent shares along the chain
    /// of `agent` (null: the schedule's direct agent, if any) and the acquirer's share.
    pub fn quote(&self, input: FeeInput, agent: Option<String>) -> Result<FeeQuote, PaycoreError> {
        let amount = self.minor(&input.amount, "amount")?;
        let agent = agent.map(|a| self.engine.agents().lookup(&a)).transpose()?;
        let q = self.engine.quote(
            &core::PricingInput {
                amount_minor: amount,
                card: input.card.into(),
                channel: input.channel.into(),
                merchant_type: input.merchant_type.into(),
                monthly_volume_minor: input.monthly_volume_minor,
            },
            agent,
        )?;
        let report = self.engine.report(&q);
        let report_json = serde_json::to_string(&report)
            .map_err(|e| PaycoreError::InvalidArgument(e.to_string()))?;
        Ok(FeeQuote {
            amount: self.m(q.amount_minor),
            merchant_fee: self.m(q.merchant_fee_minor),
            merchant_rule: report.merchant_rule,
            issuer_fee: self.m(q.issuer_fee_minor),
            network_fee: self.m(q.network_fee_minor),
            brand_fee: self.m(q.brand_fee_minor),
            cost_total: self.m(q.issuer_fee_minor + q.network_fee_minor + q.brand_fee_minor),
            margin: self.m(q.margin_minor),
            agents: q
                .agents
                .iter()
                .map(|a| AgentShare {
                    agent: self.engine.agents().agent_id(a.agent).to_owned(),
                    level: a.level,
                    cost: self.m(a.cost_minor),
                    profit: self.m(a.profit_minor),
                })
                .collect(),
            acquirer_share: self.m(q.acquirer_share_minor),
            report_json,
        })
    }

    /// The fee returned by a refund of `refund` after earlier refunds of `refundedBefore`, on a
    /// sale of `originalAmount` that paid `originalFee`, under the schedule's refund policy
    /// (pro rata: remaining-fee method, so partial returns add up to the whole fee).
    pub fn refund_fee(
        &self,
        original_amount: Money,
        original_fee: Money,
        refunded_before: Money,
        refund: Money,
    ) -> Result<RefundFees, PaycoreError> {
        let s = self.engine.merchant_schedule();
        let r = core::refund_fee_returned(
            s.refund_policy(),
            s.rounding(),
            self.minor(&original_amount, "originalAmount")?,
            self.minor(&original_fee, "originalFee")?,
            self.minor(&refunded_before, "refundedBefore")?,
            self.minor(&refund, "refund")?,
        )?;
        Ok(RefundFees {
            returned: self.m(r.returned_minor),
            kept: self.m(r.kept_minor),
        })
    }

    /// Checks a D0 payout against the schedule's limits and window at `at` (RFC 3339 with an
    /// offset) and prices it; `requested` null = as much as allowed. Throws `D0Refused`
    /// (window, limits) or `D0NotConfigured`.
    pub fn d0_quote(
        &self,
        available: Money,
        requested: Option<Money>,
        used_today: Money,
        at: String,
    ) -> Result<D0Quote, PaycoreError> {
        let d0 = self.engine.d0().ok_or_else(|| {
            PaycoreError::D0NotConfigured("the schedule has no d0 section".to_owned())
        })?;
        let q = d0.quote(&core::D0Request {
            available_minor: self.minor(&available, "available")?,
            requested_minor: requested.map(|r| self.minor(&r, "requested")).transpose()?,
            used_today_minor: self.minor(&used_today, "usedToday")?,
            at: core_set::parse_event_time(&at)?,
        })?;
        Ok(D0Quote {
            advanced: self.m(q.advanced_minor),
            rate_fee: self.m(q.rate_fee_minor),
            fixed_fee: self.m(q.fixed_fee_minor),
            fee: self.m(q.fee_minor),
            net_paid: self.m(q.net_paid_minor),
            remaining_balance: self.m(q.remaining_balance_minor),
        })
    }

    /// Settles CSV records (format of `paycore::settlement::csv`) with this schedule's pricing
    /// and terms; `stateJson` is the previous run's `stateJson` (null: first run).
    pub fn settle(
        &self,
        calendar: Arc<BusinessCalendar>,
        csv: String,
        state_json: Option<String>,
    ) -> Result<SettlementRun, PaycoreError> {
        let state: core_set::CarryState = match state_json.as_deref().map(str::trim) {
            None | Some("") => core_set::CarryState::default(),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                PaycoreError::SettlementState(format!(
                    "state, line {} column {}: {e}",
                    e.line(),
                    e.column()
                ))
            })?,
        };
        // Records borrow their ids from `csv`, which outlives the run.
        let records = core_set::csv::read_records_borrowed(&csv, 10_000_000)?;
        let run = core_set::settle(&records, &self.engine, &self.terms, &calendar.0, &state)?;
        let json_err = |e: serde_json::Error| PaycoreError::InvalidArgument(e.to_string());
        let batches = run
            .batches
            .iter()
            .map(|b| {
                let c = Currency::from_code(&b.currency)?;
                let t = &b.totals;
                let kind = |k: core_set::LineKind| k.as_str().to_owned();
                Ok(SettlementBatch {
                    batch_id: b.batch_id.clone(),
                    digest: b.digest.clone(),
                    merchant_id: b.merchant_id.clone(),
                    currency: b.currency.clone(),
                    payout_day: b.payout_day.to_string(),
                    cycle: b.cycle.clone(),
                    calendar_version: b.calendar_version.clone(),
                    totals: SettlementTotals {
                        captured: money(t.captured_minor, c),
                        refunds: money(t.refunds_minor, c),
                        fees: money(t.fees_minor, c),
                        refunded_fees: money(t.refunded_fees_minor, c),
                        adjustments: money(t.adjustments_minor, c),
                        reserve_withheld: money(t.reserve_withheld_minor, c),
                        reserve_released: money(t.reserve_released_minor, c),
                        d0_advances: money(t.d0_advances_minor, c),
                        periodic_fees: money(t.periodic_fees_minor, c),
                        carried_in: money(t.carried_in_minor, c),
                    },
                    net: money(b.net_minor, c),
                    payout: money(b.payout_minor, c),
                    carried_forward: money(b.carried_forward_minor, c),
                    lines: b
                        .lines
                        .iter()
                        .map(|l| StatementLine {
                            kind: kind(l.kind),
                            reference: l.reference.clone(),
                            amount: money(l.amount_minor, c),
                        })
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>, PaycoreError>>()?;
        Ok(SettlementRun {
            batches,
            state_json: serde_json::to_string(&run.state).map_err(json_err)?,
            json: serde_json::to_string(&run).map_err(json_err)?,
        })
    }
}

/// The version of paycore's built-in China holiday table.
#[uniffi::export]
pub fn china_calendar_version() -> String {
    core_cal::CHINA_CALENDAR_VERSION.to_owned()
}

/// A working-day calendar. Immutable: `withOverrides` returns a new one.
#[derive(Debug, uniffi::Object)]
pub struct BusinessCalendar(core_cal::Calendar);

#[uniffi::export]
impl BusinessCalendar {
    /// The built-in China calendar (State Council notices).
    #[uniffi::constructor]
    pub fn china(uncovered: UncoveredYears, december: DecemberPolicy) -> Arc<Self> {
        let uncovered = match uncovered {
            UncoveredYears::Refuse => core_cal::UncoveredYears::Refuse,
            UncoveredYears::WeekdayFallback => core_cal::UncoveredYears::WeekdayFallback,
        };
        let december = match december {
            DecemberPolicy::Provisional => core_cal::DecemberPolicy::Provisional,
            DecemberPolicy::Refuse => core_cal::DecemberPolicy::Refuse,
        };
        Arc::new(BusinessCalendar(
            core_cal::Calendar::china()
                .with_uncovered_years(uncovered)
                .with_december_policy(december),
        ))
    }

    /// A calendar without tables: Monday–Friday working, every year.
    #[uniffi::constructor]
    pub fn weekdays_only(name: String) -> Arc<Self> {
        Arc::new(BusinessCalendar(core_cal::Calendar::weekdays_only(
            &name, "weekdays",
        )))
    }

    /// A copy with acquirer overrides on top; `label` is appended to the version.
    pub fn with_overrides(
        &self,
        label: String,
        overrides: Vec<DayOverride>,
    ) -> Result<Arc<BusinessCalendar>, PaycoreError> {
        let list = overrides
            .iter()
            .enumerate()
            .map(|(i, o)| {
                Ok(core_cal::DayOverride {
                    date: date_in(&o.date, &format!("overrides[{i}].date"))?,
                    kind: match o.kind {
                        DayKind::Working => core_cal::DayKind::Working,
                        DayKind::Closed => core_cal::DayKind::Closed,
                    },
                    reason: o.reason.clone(),
                })
            })
            .collect::<Result<Vec<_>, PaycoreError>>()?;
        Ok(Arc::new(BusinessCalendar(
            self.0.clone().with_overrides(&label, &list)?,
        )))
    }

    /// The calendar's name ("CN").
    pub fn name(&self) -> String {
        self.0.name().to_owned()
    }

    /// The data version (with the override label, if any).
    pub fn version(&self) -> String {
        self.0.version().to_owned()
    }

    /// The years with an official table.
    pub fn covered_years(&self) -> Vec<i32> {
        self.0.covered_years()
    }

    /// True for a December date of a covered year whose next year has no table yet.
    pub fn is_provisional(&self, date: String) -> Result<bool, PaycoreError> {
        Ok(self.0.is_provisional(date_in(&date, "date")?))
    }

    /// Whether funds move on `date`.
    pub fn is_working_day(&self, date: String) -> Result<bool, PaycoreError> {
        Ok(self.0.is_working_day(date_in(&date, "date")?)?)
    }

    /// The first working day on or after `date`.
    pub fn working_day_on_or_after(&self, date: String) -> Result<String, PaycoreError> {
        Ok(self
            .0
            .working_day_on_or_after(date_in(&date, "date")?)?
            .to_string())
    }

    /// The `n`-th working day strictly after `date` (`n = 0`: on or after).
    pub fn add_working_days(&self, date: String, n: u32) -> Result<String, PaycoreError> {
        Ok(self
            .0
            .add_working_days(date_in(&date, "date")?, n)?
            .to_string())
    }

    /// Working days in `[from, to)`.
    pub fn working_days_between(&self, from: String, to: String) -> Result<u32, PaycoreError> {
        Ok(self
            .0
            .working_days_between(date_in(&from, "from")?, date_in(&to, "to")?)?)
    }
}

/// The network settlement day and payout day of an event at `at` (RFC 3339 with an offset)
/// under `cycle` ("T1", "D0", "S0", "W1", "M1"); `cutoff` null = UnionPay 23:00 Beijing.
#[uniffi::export]
pub fn settlement_dates(
    calendar: Arc<BusinessCalendar>,
    at: String,
    cycle: String,
    cutoff: Option<Cutoff>,
) -> Result<SettlementDates, PaycoreError> {
    let at = core_set::parse_event_time(&at)?;
    let cycle: core_set::SettlementCycle = cycle.parse()?;
    let cutoff = match cutoff {
        None => core_set::NetworkCutoff::UNIONPAY,
        Some(c) => core_set::NetworkCutoff::new(c.utc_offset_seconds, c.hour, c.minute)?,
    };
    let d = core_set::settlement_dates(at, cycle, &cutoff, &calendar.0)?;
    Ok(SettlementDates {
        local_date: d.local_date.to_string(),
        network_day: d.network_day.to_string(),
        payout_day: d.payout_day.to_string(),
        cycle: d.cycle.to_string(),
        provisional: d.provisional,
        calendar_version: d.calendar_version,
    })
}
