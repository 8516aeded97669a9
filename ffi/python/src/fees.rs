//! Fees, working-day calendars and settlement for Python.
//!
//! `FeeSchedule.from_json(text)` / `from_toml(text)` load a settlement config
//! (`{"pricing": …, "settlement": …}`), a pricing config (`{"merchant": …}`) or a bare merchant
//! schedule (`{"currency": …, "rules": …}`). Amounts are `Money` or `decimal.Decimal` / `int` /
//! decimal `str` in the schedule's currency (major units; floats raise `TypeError`); results
//! are `Money`. Dates are `datetime.date`; event times are timezone-aware `datetime.datetime`
//! or RFC 3339 strings with an offset (a naive time raises `SettlementTimeError`). Card type,
//! channel and merchant type take the enums or their snake_case names ("debit", "chip").

use crate::errors::{Error, PaycoreError, Result};
use crate::money::{Currency, Money, decimal_arg};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Timelike};
use paycore::calendar as core_cal;
use paycore::fees as core;
use paycore::money as core_money;
use paycore::settlement as core_set;
use pyo3::create_exception;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDateTime, PyDict, PyList, PyString};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

create_exception!(
    paycore,
    FeeError,
    PaycoreError,
    "A fee could not be computed."
);
create_exception!(
    paycore,
    FeeScheduleError,
    FeeError,
    "Invalid fee schedule document; `line`/`column` locate a parse error (0 otherwise)."
);
create_exception!(
    paycore,
    NoFeeRuleError,
    FeeError,
    "No rule of the schedule matches the transaction."
);
create_exception!(
    paycore,
    UnknownAgentError,
    FeeError,
    "The agent id is not in the schedule's agent tree."
);
create_exception!(
    paycore,
    AgentProfitExceedsMarginError,
    FeeError,
    "The agents' total profit would exceed the acquirer margin."
);
create_exception!(
    paycore,
    RefundExceedsOriginalError,
    FeeError,
    "A refund larger than what remains of the original sale."
);
create_exception!(
    paycore,
    FeeValueError,
    FeeError,
    "An unknown card type, channel or merchant type, or a negative amount."
);
create_exception!(
    paycore,
    D0RefusedError,
    FeeError,
    "D0 payout outside the window or limits, or the schedule has no D0 terms."
);
create_exception!(
    paycore,
    CalendarError,
    PaycoreError,
    "A calendar question could not be answered or a calendar could not be built."
);
create_exception!(
    paycore,
    YearNotCoveredError,
    CalendarError,
    "The date's year has no official holiday table (the calendar fails closed)."
);
create_exception!(
    paycore,
    ProvisionalDateError,
    CalendarError,
    "A December date whose next-year notice is missing, refused by policy."
);
create_exception!(
    paycore,
    SettlementError,
    PaycoreError,
    "A settlement date or run could not be computed."
);
create_exception!(
    paycore,
    SettlementTimeError,
    SettlementError,
    "An event time that is not RFC 3339 or has no UTC offset."
);
create_exception!(
    paycore,
    SettlementCycleError,
    SettlementError,
    "An unknown or out-of-range settlement cycle, or an invalid cut-off."
);
create_exception!(
    paycore,
    SettlementCsvError,
    SettlementError,
    "Malformed settlement CSV; `line`, `column` and `field` locate it."
);
create_exception!(
    paycore,
    SettlementRecordError,
    SettlementError,
    "An invalid or duplicate record, or malformed carried state."
);

impl From<core::FeeScheduleError> for Error {
    fn from(e: core::FeeScheduleError) -> Self {
        let (line, column) = match &e {
            core::FeeScheduleError::Parse { line, column, .. } => (*line, *column),
            _ => (0, 0),
        };
        let err = FeeScheduleError::new_err(e.to_string());
        Python::attach(|py| {
            let v = err.value(py);
            let _ = v.setattr("line", line);
            let _ = v.setattr("column", column);
        });
        Error(err)
    }
}

impl From<core::FeeError> for Error {
    fn from(e: core::FeeError) -> Self {
        let m = e.to_string();
        Error(match e {
            core::FeeError::NoRuleMatches { .. } => NoFeeRuleError::new_err(m),
            core::FeeError::UnknownAgent { .. } => UnknownAgentError::new_err(m),
            core::FeeError::AgentProfitExceedsMargin { .. } => {
                AgentProfitExceedsMarginError::new_err(m)
            }
            core::FeeError::RefundExceedsOriginal { .. } => RefundExceedsOriginalError::new_err(m),
            core::FeeError::CurrencyMismatch { .. } => {
                crate::errors::CurrencyMismatchError::new_err(m)
            }
            core::FeeError::UnknownValue { .. } | core::FeeError::NegativeAmount { .. } => {
                FeeValueError::new_err(m)
            }
            _ => FeeError::new_err(m),
        })
    }
}

impl From<core::D0Error> for Error {
    fn from(e: core::D0Error) -> Self {
        let m = e.to_string();
        Error(match e {
            core::D0Error::Negative { .. } => FeeValueError::new_err(m),
            _ => D0RefusedError::new_err(m),
        })
    }
}

impl From<core_cal::CalendarError> for Error {
    fn from(e: core_cal::CalendarError) -> Self {
        let m = e.to_string();
        Error(match e {
            core_cal::CalendarError::YearNotCovered { .. } => YearNotCoveredError::new_err(m),
            core_cal::CalendarError::ProvisionalDate { .. } => ProvisionalDateError::new_err(m),
            _ => CalendarError::new_err(m),
        })
    }
}

impl From<core_set::SettlementDateError> for Error {
    fn from(e: core_set::SettlementDateError) -> Self {
        use core_set::SettlementDateError as E;
        let m = e.to_string();
        match e {
            E::MissingZone { .. } | E::MalformedTime { .. } => {
                Error(SettlementTimeError::new_err(m))
            }
            E::Calendar(c) => c.into(),
            E::UnknownCycle { .. } | E::CycleOutOfRange { .. } | E::InvalidCutoff { .. } => {
                Error(SettlementCycleError::new_err(m))
            }
            _ => Error(SettlementError::new_err(m)),
        }
    }
}

impl From<core_set::csv::CsvError> for Error {
    fn from(e: core_set::csv::CsvError) -> Self {
        let err = SettlementCsvError::new_err(e.to_string());
        Python::attach(|py| {
            let v = err.value(py);
            let _ = v.setattr("line", e.line);
            let _ = v.setattr("column", e.column);
            let _ = v.setattr("field", e.field.clone());
        });
        Error(err)
    }
}

impl From<core_set::SettlementError> for Error {
    fn from(e: core_set::SettlementError) -> Self {
        use core_set::SettlementError as E;
        let m = e.to_string();
        // Keep the kind of the underlying failure (e.g. YearNotCoveredError); the message
        // names the record.
        let retype = |inner: Error| {
            Python::attach(|py| {
                let ty = inner.0.get_type(py);
                Error(PyErr::from_type(ty, m.clone()))
            })
        };
        match e {
            E::Fee { ref source, .. } => retype(source.clone().into()),
            E::Date { ref source, .. } => retype(source.clone().into()),
            _ => Error(SettlementRecordError::new_err(m)),
        }
    }
}

macro_rules! selector {
    ($(#[$doc:meta])* $name:ident, $core:ty, $what:literal, { $($variant:ident => $cv:ident,)+ }) => {
        $(#[$doc])*
        #[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
        }

        impl From<$name> for $core {
            fn from(v: $name) -> $core {
                match v {
                    $($name::$variant => <$core>::$cv,)+
                }
            }
        }

        #[pymethods]
        impl $name {
            /// The snake_case name used in schedules and CSV files.
            fn __str__(&self) -> &'static str {
                <$core>::from(*self).name()
            }
        }

        impl $name {
            /// Accepts the enum or its snake_case name.
            fn arg(obj: &Bound<'_, PyAny>) -> Result<$core> {
                if obj.is_instance_of::<PyString>() {
                    let s: String = obj.extract()?;
                    return Ok(<$core>::from_str(&s)?);
                }
                let v: $name = obj.extract().map_err(|_| {
                    PyTypeError::new_err(concat!($what, " must be a ", stringify!($name), " or a str"))
                })?;
                Ok(v.into())
            }
        }
    };
}

selector!(
    /// The card product (selects the rate and the regulated issuer fee).
    CardType, core::CardType, "card", {
        DEBIT => Debit,
        CREDIT => Credit,
        QUASI_CREDIT => QuasiCredit,
        PREPAID => Prepaid,
    }
);

selector!(
    /// How the card was presented.
    Channel, core::Channel, "channel", {
        SWIPE => Swipe,
        CHIP => Chip,
        CONTACTLESS => Contactless,
        QR => Qr,
        SMALL_AMOUNT_NO_PIN => SmallAmountNoPin,
    }
);

selector!(
    /// The merchant's pricing category (标准 / 优惠 / 减免).
    MerchantType, core::MerchantType, "merchant_type", {
        STANDARD => Standard,
        PREFERENTIAL => Preferential,
        WAIVED => Waived,
    }
);

/// A `date` argument.
fn date_arg(obj: &Bound<'_, PyAny>, what: &str) -> Result<NaiveDate> {
    obj.extract::<NaiveDate>()
        .map_err(|_| PyTypeError::new_err(format!("{what} must be a datetime.date")).into())
}

/// An aware `datetime` or RFC 3339 text with an offset.
fn time_arg(obj: &Bound<'_, PyAny>, what: &str) -> Result<DateTime<FixedOffset>> {
    if obj.is_instance_of::<PyString>() {
        let s: String = obj.extract()?;
        return Ok(core_set::parse_event_time(&s)?);
    }
    if obj.is_instance_of::<PyDateTime>() {
        if obj.getattr("utcoffset")?.call0()?.is_none() {
            return Err(Error(SettlementTimeError::new_err(format!(
                "{what}: datetime has no UTC offset (use tzinfo=timezone(timedelta(hours=8)))"
            ))));
        }
        return Ok(obj.extract::<DateTime<FixedOffset>>()?);
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be an aware datetime or an RFC 3339 str"
    ))
    .into())
}

/// Reads a settlement config, a pricing config or a bare merchant schedule.
fn load_config(
    text: &str,
    toml: bool,
) -> std::result::Result<core_set::SettlementConfig, core::FeeScheduleError> {
    let format = if toml {
        core_set::ConfigFormat::Toml
    } else {
        core_set::ConfigFormat::Json
    };
    core_set::SettlementConfig::from_document(text, format)
}

/// One agent level's share of a fee.
#[pyclass(frozen, get_all, module = "paycore")]
#[derive(Clone)]
pub struct AgentShare {
    /// Agent id.
    agent: String,
    /// Level: 1 = the merchant's direct agent.
    level: u8,
    /// The agent's cost (cap applied).
    cost: Money,
    /// The agent's profit (negative if its cost exceeds the merchant fee).
    profit: Money,
}

#[pymethods]
impl AgentShare {
    fn __repr__(&self) -> String {
        format!(
            "AgentShare(agent={:?}, level={}, cost={}, profit={})",
            self.agent, self.level, self.cost.0, self.profit.0
        )
    }
}

/// The breakdown of one transaction's fee.
/// Invariant: `merchant_fee == cost_total + sum(agent profits) + acquirer_share`.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct FeeQuote {
    /// Transaction amount.
    amount: Money,
    /// Merchant fee (MDR).
    merchant_fee: Money,
    /// Id of the merchant rule used.
    merchant_rule: String,
    /// Issuer service fee.
    issuer_fee: Money,
    /// Network service fee (acquirer's share).
    network_fee: Money,
    /// Brand service fee.
    brand_fee: Money,
    /// issuer + network + brand.
    cost_total: Money,
    /// Merchant fee − costs.
    margin: Money,
    /// One entry per agent level, direct agent first.
    agents: Vec<AgentShare>,
    /// What the acquirer keeps.
    acquirer_share: Money,
    /// The core's JSON report (decimal amounts and ids).
    report_json: String,
}

#[pymethods]
impl FeeQuote {
    fn __repr__(&self) -> String {
        format!(
            "FeeQuote(amount={}, merchant_fee={}, merchant_rule={:?}, margin={}, acquirer_share={})",
            self.amount.0,
            self.merchant_fee.0,
            self.merchant_rule,
            self.margin.0,
            self.acquirer_share.0
        )
    }
}

/// The fee effect of one refund.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct RefundFees {
    /// Fee returned to the merchant with this refund.
    returned: Money,
    /// Fee kept of the original fee after this refund.
    kept: Money,
}

#[pymethods]
impl RefundFees {
    fn __repr__(&self) -> String {
        format!(
            "RefundFees(returned={}, kept={})",
            self.returned.0, self.kept.0
        )
    }
}

/// A priced D0 payout.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct D0Quote {
    /// Amount advanced.
    advanced: Money,
    /// Advance-rate part of the fee.
    rate_fee: Money,
    /// Fixed part of the fee.
    fixed_fee: Money,
    /// Total D0 fee.
    fee: Money,
    /// Paid to the merchant: advanced − fee.
    net_paid: Money,
    /// Balance left for the regular cycle.
    remaining_balance: Money,
}

#[pymethods]
impl D0Quote {
    fn __repr__(&self) -> String {
        format!(
            "D0Quote(advanced={}, fee={}, net_paid={})",
            self.advanced.0, self.fee.0, self.net_paid.0
        )
    }
}

/// Totals of a settlement batch.
#[pyclass(frozen, get_all, module = "paycore")]
#[derive(Clone)]
pub struct SettlementTotals {
    captured: Money,
    refunds: Money,
    fees: Money,
    refunded_fees: Money,
    adjustments: Money,
    reserve_withheld: Money,
    reserve_released: Money,
    d0_advances: Money,
    periodic_fees: Money,
    carried_in: Money,
}

/// One line of a payout statement.
#[pyclass(frozen, module = "paycore")]
pub struct StatementLine {
    kind: core_set::LineKind,
    reference: String,
    amount: Money,
}

#[pymethods]
impl StatementLine {
    /// sale, fee, refund, refunded_fee, adjustment, d0_advance, reserve_withheld,
    /// reserve_released, periodic_fee or carried_in.
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind.as_str()
    }

    /// Record id or description.
    #[getter]
    fn reference(&self) -> &str {
        &self.reference
    }

    /// Signed effect on the net.
    #[getter]
    fn amount(&self) -> Money {
        self.amount
    }

    fn __repr__(&self) -> String {
        format!(
            "StatementLine({:?}, {:?}, {})",
            self.kind.as_str(),
            self.reference,
            self.amount.0
        )
    }
}

/// One merchant × currency × payout day batch with its statement.
///
/// A view into its run (which it keeps alive): a million-record run has a couple of million
/// statement lines, so they become Python objects only when `lines` is read, batch by batch.
#[pyclass(frozen, module = "paycore")]
pub struct SettlementBatch {
    run: Arc<core_set::SettlementRun>,
    index: usize,
    currency: core_money::Currency,
}

impl SettlementBatch {
    fn batch(&self) -> &core_set::Batch {
        &self.run.batches[self.index]
    }

    fn m(&self, minor: i64) -> Money {
        Money(core_money::Money::from_minor(minor, self.currency))
    }
}

#[pymethods]
impl SettlementBatch {
    /// Deterministic id: `<merchant>.<currency>.<YYYYMMDD>`.
    #[getter]
    fn batch_id(&self) -> &str {
        &self.batch().batch_id
    }

    /// FNV-1a digest of the batch's record ids.
    #[getter]
    fn digest(&self) -> &str {
        &self.batch().digest
    }

    #[getter]
    fn merchant_id(&self) -> &str {
        &self.batch().merchant_id
    }

    #[getter]
    fn currency(&self) -> &str {
        &self.batch().currency
    }

    #[getter]
    fn payout_day(&self) -> NaiveDate {
        self.batch().payout_day
    }

    #[getter]
    fn cycle(&self) -> &str {
        &self.batch().cycle
    }

    #[getter]
    fn calendar_version(&self) -> &str {
        &self.batch().calendar_version
    }

    #[getter]
    fn totals(&self) -> SettlementTotals {
        let t = &self.batch().totals;
        SettlementTotals {
            captured: self.m(t.captured_minor),
            refunds: self.m(t.refunds_minor),
            fees: self.m(t.fees_minor),
            refunded_fees: self.m(t.refunded_fees_minor),
            adjustments: self.m(t.adjustments_minor),
            reserve_withheld: self.m(t.reserve_withheld_minor),
            reserve_released: self.m(t.reserve_released_minor),
            d0_advances: self.m(t.d0_advances_minor),
            periodic_fees: self.m(t.periodic_fees_minor),
            carried_in: self.m(t.carried_in_minor),
        }
    }

    #[getter]
    fn net(&self) -> Money {
        self.m(self.batch().net_minor)
    }

    #[getter]
    fn payout(&self) -> Money {
        self.m(self.batch().payout_minor)
    }

    #[getter]
    fn carried_forward(&self) -> Money {
        self.m(self.batch().carried_forward_minor)
    }

    /// The statement, one line per item (a new list on each read).
    #[getter]
    fn lines(&self) -> Vec<StatementLine> {
        self.batch()
            .lines
            .iter()
            .map(|l| StatementLine {
                kind: l.kind,
                reference: l.reference.clone(),
                amount: self.m(l.amount_minor),
            })
            .collect()
    }

    /// Number of statement lines, without building them.
    #[getter]
    fn line_count(&self) -> usize {
        self.batch().lines.len()
    }

    fn __repr__(&self) -> String {
        let b = self.batch();
        format!(
            "SettlementBatch({:?}, payout_day={}, net={}, payout={})",
            b.batch_id,
            b.payout_day,
            self.m(b.net_minor).0,
            self.m(b.payout_minor).0
        )
    }
}

/// The result of a settlement run. Holds the core's run; batch objects are made on the first
/// read of `batches`, statement lines only when a batch's `lines` is read, and the JSON texts
/// when asked for.
#[pyclass(frozen, module = "paycore")]
pub struct SettlementRun {
    run: Arc<core_set::SettlementRun>,
    currency: core_money::Currency,
    batches: PyOnceLock<Vec<Py<SettlementBatch>>>,
    state_json: PyOnceLock<String>,
}

#[pymethods]
impl SettlementRun {
    /// Batches sorted by merchant, currency and payout day (a new list of the same objects on
    /// each read).
    #[getter]
    fn batches<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyList>> {
        let batches = self.batches.get_or_try_init(py, || {
            (0..self.run.batches.len())
                .map(|index| {
                    Py::new(
                        py,
                        SettlementBatch {
                            run: Arc::clone(&self.run),
                            index,
                            currency: self.currency,
                        },
                    )
                })
                .collect::<PyResult<Vec<_>>>()
        })?;
        Ok(PyList::new(py, batches.iter().map(|b| b.bind(py)))?)
    }

    /// Carried state: pass it as `state=` to the next run.
    #[getter]
    fn state_json(&self, py: Python<'_>) -> Result<&str> {
        let text = self.state_json.get_or_try_init(py, || {
            serde_json::to_string(&self.run.state)
                .map_err(|e| Error(SettlementError::new_err(e.to_string())))
        })?;
        Ok(text)
    }

    /// The whole run as the core's JSON.
    #[getter]
    fn json(&self) -> Result<String> {
        serde_json::to_string(&*self.run)
            .map_err(|e| SettlementError::new_err(e.to_string()).into())
    }

    /// Number of statement lines over all batches, without building them.
    #[getter]
    fn line_count(&self) -> usize {
        self.run.batches.iter().map(|b| b.lines.len()).sum()
    }

    fn __repr__(&self) -> String {
        format!(
            "SettlementRun(batches={}, lines={})",
            self.run.batches.len(),
            self.line_count()
        )
    }
}

/// Why a settlement call failed before any Python object was made (errors become exceptions
/// once the GIL is held again).
enum SettleFailure {
    Csv(core_set::csv::CsvError),
    Run(core_set::SettlementError),
}

impl From<SettleFailure> for Error {
    fn from(e: SettleFailure) -> Self {
        match e {
            SettleFailure::Csv(e) => e.into(),
            SettleFailure::Run(e) => e.into(),
        }
    }
}

/// The CSV argument as UTF-8. Python 3.9's stable ABI has no borrowed UTF-8 view of a `str`,
/// so it is encoded once into a `bytes` (one copy) that the parser then borrows — never copied
/// again into a Rust `String`.
fn csv_bytes<'py>(csv: &Bound<'py, PyAny>) -> Result<Bound<'py, PyBytes>> {
    let text = csv
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err("csv must be a str"))?;
    Ok(text.encode_utf8()?)
}

fn utf8(bytes: &[u8]) -> std::result::Result<&str, SettleFailure> {
    std::str::from_utf8(bytes).map_err(|e| {
        SettleFailure::Csv(core_set::csv::CsvError {
            line: 0,
            column: 0,
            field: "text".into(),
            reason: format!("not UTF-8 at byte offset {}", e.valid_up_to()),
        })
    })
}

/// The dates of one event under one settlement cycle.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct SettlementDates {
    local_date: NaiveDate,
    network_day: NaiveDate,
    payout_day: NaiveDate,
    cycle: String,
    provisional: bool,
    calendar_version: String,
}

#[pymethods]
impl SettlementDates {
    fn __repr__(&self) -> String {
        format!(
            "SettlementDates(network_day={}, payout_day={}, cycle={:?}, provisional={})",
            self.network_day,
            self.payout_day,
            self.cycle,
            if self.provisional { "True" } else { "False" }
        )
    }
}

/// A compiled fee schedule: merchant pricing, IC++ costs, agent tree, D0 terms and settlement
/// terms. Immutable.
#[pyclass(frozen, module = "paycore")]
pub struct FeeSchedule {
    engine: core::PricingEngine,
    terms: core_set::CompiledTerms,
}

impl FeeSchedule {
    fn load(text: &str, toml: bool) -> Result<Self> {
        let config = load_config(text, toml)?;
        let engine = core::PricingEngine::new(&config.pricing)?;
        let terms = config.settlement.compile(engine.currency())?;
        Ok(FeeSchedule { engine, terms })
    }

    fn m(&self, minor: i64) -> Money {
        Money(core_money::Money::from_minor(minor, self.engine.currency()))
    }

    /// `Money` in the schedule's currency, or a decimal amount in major units.
    fn minor(&self, obj: &Bound<'_, PyAny>, what: &str) -> Result<i64> {
        let c = self.engine.currency();
        if let Ok(m) = obj.extract::<Money>() {
            if m.0.currency() != c {
                return Err(core_money::MoneyError::CurrencyMismatch {
                    left: m.0.currency().alpha(),
                    right: c.alpha(),
                }
                .into());
            }
            return Ok(m.0.minor());
        }
        let d = decimal_arg(obj, what)?;
        Ok(core_money::Money::from_decimal(d, c)?.minor())
    }
}

#[pymethods]
impl FeeSchedule {
    /// Loads a JSON document (settlement config, pricing config or bare merchant schedule).
    /// Raises `FeeScheduleError` with `.line`/`.column` for parse errors.
    #[staticmethod]
    fn from_json(text: &str) -> Result<Self> {
        FeeSchedule::load(text, false)
    }

    /// Loads a TOML document (same shapes as `from_json`).
    #[staticmethod]
    fn from_toml(text: &str) -> Result<Self> {
        FeeSchedule::load(text, true)
    }

    /// The pricing currency.
    #[getter]
    fn currency(&self) -> Currency {
        Currency(self.engine.currency())
    }

    /// The merchant schedule's name.
    #[getter]
    fn name(&self) -> String {
        self.engine.merchant_schedule().name().to_owned()
    }

    /// Agent ids, in the order of the schedule.
    #[getter]
    fn agents(&self) -> Vec<String> {
        let tree = self.engine.agents();
        (0..tree.len() as u32)
            .map(|i| tree.agent_id(i).to_owned())
            .collect()
    }

    /// Prices one transaction: merchant fee, IC++ costs, margin, agent shares along the chain
    /// of `agent` (None: the schedule's direct agent, if any) and the acquirer's share.
    #[pyo3(signature = (amount, card, channel, merchant_type = None, *, agent = None, monthly_volume = None))]
    fn quote(
        &self,
        amount: &Bound<'_, PyAny>,
        card: &Bound<'_, PyAny>,
        channel: &Bound<'_, PyAny>,
        merchant_type: Option<&Bound<'_, PyAny>>,
        agent: Option<&str>,
        monthly_volume: Option<&Bound<'_, PyAny>>,
    ) -> Result<FeeQuote> {
        let input = core::PricingInput {
            amount_minor: self.minor(amount, "amount")?,
            card: CardType::arg(card)?,
            channel: Channel::arg(channel)?,
            merchant_type: match merchant_type {
                Some(m) => MerchantType::arg(m)?,
                None => core::MerchantType::Standard,
            },
            monthly_volume_minor: match monthly_volume {
                Some(v) => self.minor(v, "monthly_volume")?,
                None => 0,
            },
        };
        let agent = agent.map(|a| self.engine.agents().lookup(a)).transpose()?;
        let q = self.engine.quote(&input, agent)?;
        let report = self.engine.report(&q);
        let report_json =
            serde_json::to_string(&report).map_err(|e| FeeError::new_err(e.to_string()))?;
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

    /// The fee returned by a refund of `refund` after earlier refunds of `refunded_before`, on
    /// a sale of `original_amount` that paid `original_fee`, under the schedule's refund policy
    /// (pro rata: remaining-fee method, so partial returns add up to the whole fee).
    #[pyo3(signature = (original_amount, original_fee, refund, refunded_before = None))]
    fn refund_fee(
        &self,
        original_amount: &Bound<'_, PyAny>,
        original_fee: &Bound<'_, PyAny>,
        refund: &Bound<'_, PyAny>,
        refunded_before: Option<&Bound<'_, PyAny>>,
    ) -> Result<RefundFees> {
        let s = self.engine.merchant_schedule();
        let r = core::refund_fee_returned(
            s.refund_policy(),
            s.rounding(),
            self.minor(original_amount, "original_amount")?,
            self.minor(original_fee, "original_fee")?,
            match refunded_before {
                Some(v) => self.minor(v, "refunded_before")?,
                None => 0,
            },
            self.minor(refund, "refund")?,
        )?;
        Ok(RefundFees {
            returned: self.m(r.returned_minor),
            kept: self.m(r.kept_minor),
        })
    }

    /// Checks a D0 payout against the schedule's limits and window at `at` and prices it;
    /// `requested=None` advances as much as allowed. Raises `D0RefusedError`.
    #[pyo3(signature = (available, at, requested = None, used_today = None))]
    fn d0_quote(
        &self,
        available: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        requested: Option<&Bound<'_, PyAny>>,
        used_today: Option<&Bound<'_, PyAny>>,
    ) -> Result<D0Quote> {
        let d0 = self
            .engine
            .d0()
            .ok_or_else(|| D0RefusedError::new_err("the schedule has no d0 section"))?;
        let q = d0.quote(&core::D0Request {
            available_minor: self.minor(available, "available")?,
            requested_minor: requested.map(|r| self.minor(r, "requested")).transpose()?,
            used_today_minor: match used_today {
                Some(v) => self.minor(v, "used_today")?,
                None => 0,
            },
            at: time_arg(at, "at")?,
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

    /// Settles CSV records (columns `id,merchant_id,kind,amount,currency,time,card,channel,
    /// original_id,original_amount,refunded_before`) with this schedule's pricing and terms.
    /// `state` is the previous run's `state_json` (None: first run).
    #[pyo3(signature = (csv, calendar, state = None))]
    fn settle(
        &self,
        py: Python<'_>,
        csv: &Bound<'_, PyAny>,
        calendar: &Calendar,
        state: Option<&str>,
    ) -> Result<SettlementRun> {
        let state: core_set::CarryState = match state.map(str::trim) {
            None | Some("") => core_set::CarryState::default(),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                SettlementRecordError::new_err(format!(
                    "state, line {} column {}: {e}",
                    e.line(),
                    e.column()
                ))
            })?,
        };
        let bytes = csv_bytes(csv)?;
        let bytes = bytes.as_bytes();
        // Parsing and settling touch no Python object: let other threads run meanwhile.
        let run = py.detach(|| {
            let records = core_set::csv::read_records_borrowed(utf8(bytes)?, MAX_SETTLE_RECORDS)
                .map_err(SettleFailure::Csv)?;
            core_set::settle(&records, &self.engine, &self.terms, &calendar.0, &state)
                .map_err(SettleFailure::Run)
        })?;
        Ok(SettlementRun {
            run: Arc::new(run),
            currency: self.engine.currency(),
            batches: PyOnceLock::new(),
            state_json: PyOnceLock::new(),
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "FeeSchedule(name={:?}, currency='{}')",
            self.engine.merchant_schedule().name(),
            self.engine.currency().alpha()
        )
    }
}

/// A working-day calendar. Immutable: `with_overrides` returns a new one.
#[pyclass(frozen, module = "paycore")]
pub struct Calendar(core_cal::Calendar);

#[pymethods]
impl Calendar {
    /// The built-in China calendar (State Council notices). Dates in years without a notice
    /// raise `YearNotCoveredError` unless `weekday_fallback=True`; December dates whose next
    /// notice is missing raise `ProvisionalDateError` if `refuse_provisional=True`.
    #[staticmethod]
    #[pyo3(signature = (*, weekday_fallback = false, refuse_provisional = false))]
    fn china(weekday_fallback: bool, refuse_provisional: bool) -> Calendar {
        let mut cal = core_cal::Calendar::china();
        if weekday_fallback {
            cal = cal.with_uncovered_years(core_cal::UncoveredYears::WeekdayFallback);
        }
        if refuse_provisional {
            cal = cal.with_december_policy(core_cal::DecemberPolicy::Refuse);
        }
        Calendar(cal)
    }

    /// A calendar without tables: Monday–Friday working, every year.
    #[staticmethod]
    #[pyo3(signature = (name = "weekdays"))]
    fn weekdays_only(name: &str) -> Calendar {
        Calendar(core_cal::Calendar::weekdays_only(name, "weekdays"))
    }

    /// A copy with acquirer overrides on top: `{date: "working" | "closed"}`; `label` is
    /// appended to the version.
    fn with_overrides(&self, overrides: &Bound<'_, PyDict>, label: &str) -> Result<Calendar> {
        let mut list = Vec::with_capacity(overrides.len());
        for (k, v) in overrides.iter() {
            let date = date_arg(&k, "override date")?;
            let kind: String = v.extract().map_err(|_| {
                PyTypeError::new_err("override kind must be \"working\" or \"closed\"")
            })?;
            let kind = match kind.as_str() {
                "working" => core_cal::DayKind::Working,
                "closed" => core_cal::DayKind::Closed,
                other => {
                    return Err(CalendarError::new_err(format!(
                        "override {date}: kind {other:?} is not \"working\" or \"closed\""
                    ))
                    .into());
                }
            };
            list.push(core_cal::DayOverride {
                date,
                kind,
                reason: String::new(),
            });
        }
        list.sort_by_key(|o| o.date);
        Ok(Calendar(self.0.clone().with_overrides(label, &list)?))
    }

    /// The calendar's name ("CN").
    #[getter]
    fn name(&self) -> String {
        self.0.name().to_owned()
    }

    /// The data version (with the override label, if any): record it with every result.
    #[getter]
    fn version(&self) -> String {
        self.0.version().to_owned()
    }

    /// The years with an official table.
    #[getter]
    fn covered_years(&self) -> Vec<i32> {
        self.0.covered_years()
    }

    /// True if `year` has an official table.
    fn covers(&self, year: i32) -> bool {
        self.0.covers(year)
    }

    /// True for a December date of a covered year whose next year has no table yet.
    fn is_provisional(&self, day: &Bound<'_, PyAny>) -> Result<bool> {
        Ok(self.0.is_provisional(date_arg(day, "day")?))
    }

    /// Whether funds move on `day`.
    fn is_working_day(&self, day: &Bound<'_, PyAny>) -> Result<bool> {
        Ok(self.0.is_working_day(date_arg(day, "day")?)?)
    }

    /// The first working day on or after `day`.
    fn working_day_on_or_after(&self, day: &Bound<'_, PyAny>) -> Result<NaiveDate> {
        Ok(self.0.working_day_on_or_after(date_arg(day, "day")?)?)
    }

    /// The `n`-th working day strictly after `day` (`n = 0`: on or after): T+N.
    fn add_working_days(&self, day: &Bound<'_, PyAny>, n: u32) -> Result<NaiveDate> {
        Ok(self.0.add_working_days(date_arg(day, "day")?, n)?)
    }

    /// Working days in `[start, end)`.
    fn working_days_between(
        &self,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> Result<u32> {
        Ok(self
            .0
            .working_days_between(date_arg(start, "start")?, date_arg(end, "end")?)?)
    }

    fn __repr__(&self) -> String {
        format!(
            "Calendar({:?}, version={:?})",
            self.0.name(),
            self.0.version()
        )
    }
}

/// The network settlement day and payout day of an event at `at` (aware datetime or RFC 3339)
/// under `cycle` ("T1", "T+1", "D0", "S0", "W1", "M1"). `cutoff` is the network's day end
/// (default 23:00, UnionPay) in a zone `utc_offset_seconds` east of UTC (default Beijing).
#[pyfunction]
#[pyo3(signature = (at, cycle, calendar, cutoff = None, utc_offset_seconds = 28800))]
fn settlement_dates(
    at: &Bound<'_, PyAny>,
    cycle: &str,
    calendar: &Calendar,
    cutoff: Option<NaiveTime>,
    utc_offset_seconds: i32,
) -> Result<SettlementDates> {
    let at = time_arg(at, "at")?;
    let cycle: core_set::SettlementCycle = cycle.parse()?;
    let cut = cutoff.unwrap_or(NaiveTime::from_hms_opt(23, 0, 0).unwrap_or_default());
    if cut.second() != 0 || cut.nanosecond() != 0 {
        return Err(SettlementCycleError::new_err("cutoff must be a whole minute").into());
    }
    let cutoff = core_set::NetworkCutoff::new(utc_offset_seconds, cut.hour(), cut.minute())?;
    let d = core_set::settlement_dates(at, cycle, &cutoff, &calendar.0)?;
    Ok(SettlementDates {
        local_date: d.local_date,
        network_day: d.network_day,
        payout_day: d.payout_day,
        cycle: d.cycle.to_string(),
        provisional: d.provisional,
        calendar_version: d.calendar_version,
    })
}

/// Most records one `settle` call reads.
const MAX_SETTLE_RECORDS: usize = 10_000_000;

/// For `bindings/python/bench/settle_million_bench.py`: the core's own figures on the same
/// CSV in the same process — seconds to encode the `str` to UTF-8, to read the records, and
/// to settle them (`repeats` times, each including dropping the run, as the criterion bench
/// `fees/settle_1m_txns_10k_merchants` measures it).
#[pyfunction]
fn _settle_core_timings(
    py: Python<'_>,
    schedule: &FeeSchedule,
    csv: &Bound<'_, PyAny>,
    calendar: &Calendar,
    repeats: usize,
) -> Result<(f64, f64, Vec<f64>)> {
    let t0 = Instant::now();
    let bytes = csv_bytes(csv)?;
    let encode = t0.elapsed().as_secs_f64();
    let bytes = bytes.as_bytes();
    let state = core_set::CarryState::default();
    let timings = py.detach(|| {
        let t1 = Instant::now();
        let records = core_set::csv::read_records_borrowed(utf8(bytes)?, MAX_SETTLE_RECORDS)
            .map_err(SettleFailure::Csv)?;
        let read = t1.elapsed().as_secs_f64();
        let mut settles = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            let t2 = Instant::now();
            let run = core_set::settle(
                &records,
                &schedule.engine,
                &schedule.terms,
                &calendar.0,
                &state,
            )
            .map_err(SettleFailure::Run)?;
            drop(run);
            settles.push(t2.elapsed().as_secs_f64());
        }
        Ok::<_, SettleFailure>((read, settles))
    })?;
    Ok((encode, timings.0, timings.1))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("FeeError", py.get_type::<FeeError>())?;
    let schedule_error = py.get_type::<FeeScheduleError>();
    schedule_error.setattr("line", 0)?;
    schedule_error.setattr("column", 0)?;
    m.add("FeeScheduleError", schedule_error)?;
    m.add("NoFeeRuleError", py.get_type::<NoFeeRuleError>())?;
    m.add("UnknownAgentError", py.get_type::<UnknownAgentError>())?;
    m.add(
        "AgentProfitExceedsMarginError",
        py.get_type::<AgentProfitExceedsMarginError>(),
    )?;
    m.add(
        "RefundExceedsOriginalError",
        py.get_type::<RefundExceedsOriginalError>(),
    )?;
    m.add("FeeValueError", py.get_type::<FeeValueError>())?;
    m.add("D0RefusedError", py.get_type::<D0RefusedError>())?;
    m.add("CalendarError", py.get_type::<CalendarError>())?;
    m.add("YearNotCoveredError", py.get_type::<YearNotCoveredError>())?;
    m.add(
        "ProvisionalDateError",
        py.get_type::<ProvisionalDateError>(),
    )?;
    m.add("SettlementError", py.get_type::<SettlementError>())?;
    m.add("SettlementTimeError", py.get_type::<SettlementTimeError>())?;
    m.add(
        "SettlementCycleError",
        py.get_type::<SettlementCycleError>(),
    )?;
    let csv_error = py.get_type::<SettlementCsvError>();
    csv_error.setattr("line", 0)?;
    csv_error.setattr("column", 0)?;
    csv_error.setattr("field", "")?;
    m.add("SettlementCsvError", csv_error)?;
    m.add(
        "SettlementRecordError",
        py.get_type::<SettlementRecordError>(),
    )?;
    m.add_class::<CardType>()?;
    m.add_class::<Channel>()?;
    m.add_class::<MerchantType>()?;
    m.add_class::<AgentShare>()?;
    m.add_class::<FeeQuote>()?;
    m.add_class::<RefundFees>()?;
    m.add_class::<D0Quote>()?;
    m.add_class::<SettlementTotals>()?;
    m.add_class::<StatementLine>()?;
    m.add_class::<SettlementBatch>()?;
    m.add_class::<SettlementRun>()?;
    m.add_class::<SettlementDates>()?;
    m.add_class::<FeeSchedule>()?;
    m.add_class::<Calendar>()?;
    m.add("CHINA_CALENDAR_VERSION", core_cal::CHINA_CALENDAR_VERSION)?;
    m.add_function(wrap_pyfunction!(settlement_dates, m)?)?;
    m.add_function(wrap_pyfunction!(_settle_core_timings, m)?)?;
    Ok(())
}
