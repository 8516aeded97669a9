//! The transaction lifecycle for Python: `TerminalSession` (a POS terminal) and
//! `AcquirerProcessor` (a switch) as sans-I/O state machines.
//!
//! Times are timezone-aware `datetime`s (a naive one raises `NaiveDatetimeError`); frames are
//! `bytes` starting at the MTI; amounts are `int` minor units. Events are `TerminalEvent` /
//! `DomainEvent` objects with a `kind` and the fields that kind carries (others are `None`).
//! Keys go in as `bytes` and never appear in a `repr()` or message; PANs are masked in every
//! `repr()` (a `NetworkRequest.pan` gives the digits because the network needs them).

use crate::errors::{Error, PaycoreError, Result};
use crate::security::KeyLengthError;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use paycore::card::MaskStyle;
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::{self as core, LifecycleError as CoreError};
use pyo3::create_exception;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

create_exception!(
    paycore,
    LifecycleError,
    PaycoreError,
    "A terminal session or acquirer processor refused an input."
);
create_exception!(
    paycore,
    LifecycleInputError,
    LifecycleError,
    "A value out of range or malformed (STAN, batch, amount, currency, id, inconsistent request)."
);
create_exception!(
    paycore,
    NaiveDatetimeError,
    LifecycleError,
    "A datetime without tzinfo: the lifecycle needs an unambiguous instant."
);
create_exception!(
    paycore,
    MalformedMessageError,
    LifecycleError,
    "Frame bytes that are not a well-formed CUP POS message, or a missing/invalid field."
);
create_exception!(
    paycore,
    KeyBlockError,
    LifecycleError,
    "The sign-on key block (F62) could not be unwrapped with the TMK."
);
create_exception!(
    paycore,
    IllegalStateError,
    LifecycleError,
    "The operation is not allowed in the current state."
);
create_exception!(
    paycore,
    UnexpectedMessageError,
    LifecycleError,
    "A message the session is not waiting for, not matching the request, or late."
);
create_exception!(
    paycore,
    ReversalNotAcknowledgedError,
    LifecycleError,
    "The host did not confirm a reversal; it will be sent again."
);
create_exception!(
    paycore,
    LifecycleMacError,
    LifecycleError,
    "A message MAC (F64) is absent or wrong."
);
create_exception!(
    paycore,
    UnknownReferenceError,
    LifecycleError,
    "Unknown terminal, or a network answer for an unknown or expired request id."
);
create_exception!(
    paycore,
    SessionStateError,
    LifecycleError,
    "A saved session that cannot be restored."
);

impl From<CoreError> for Error {
    fn from(e: CoreError) -> Error {
        let m = e.to_string();
        Error(match e {
            CoreError::OutOfRange { .. }
            | CoreError::InvalidIdentifier { .. }
            | CoreError::InvalidRequest { .. } => LifecycleInputError::new_err(m),
            CoreError::Wire(_) | CoreError::Field { .. } => MalformedMessageError::new_err(m),
            CoreError::KeyBlock { .. } => KeyBlockError::new_err(m),
            CoreError::IllegalState { .. } => IllegalStateError::new_err(m),
            CoreError::UnexpectedMessage { .. }
            | CoreError::Mismatch { .. }
            | CoreError::LateResponse { .. } => UnexpectedMessageError::new_err(m),
            CoreError::ReversalNotAcknowledged => ReversalNotAcknowledgedError::new_err(m),
            CoreError::MacInvalid => LifecycleMacError::new_err(m),
            CoreError::UnknownTerminal | CoreError::UnknownNetworkRequest { .. } => {
                UnknownReferenceError::new_err(m)
            }
        })
    }
}

/// An aware `datetime` → UTC instant.
fn now_arg(v: &Bound<'_, PyAny>) -> Result<DateTime<Utc>> {
    let py = v.py();
    let datetime = py.import("datetime")?.getattr("datetime")?;
    if !v.is_instance(&datetime)? {
        return Err(Error(PyTypeError::new_err(
            "now must be a timezone-aware datetime.datetime",
        )));
    }
    if v.call_method0("utcoffset")?.is_none() {
        return Err(Error(NaiveDatetimeError::new_err(
            "naive datetime: pass a timezone-aware datetime (e.g. tzinfo=timezone.utc)",
        )));
    }
    let t: DateTime<FixedOffset> = v.extract()?;
    Ok(t.with_timezone(&Utc))
}

fn key<const N: usize>(bytes: &[u8], what: &str) -> Result<[u8; N]> {
    bytes.try_into().map_err(|_| {
        Error(KeyLengthError::new_err(format!(
            "{what} must be {N} bytes, got {}",
            bytes.len()
        )))
    })
}

fn cutoff(offset: i32, seconds: u32) -> Result<core::CutOff> {
    let at = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).ok_or_else(|| {
        Error(LifecycleInputError::new_err(format!(
            "cut-off {seconds} s is not a time of day (0..86400)"
        )))
    })?;
    if !(-14 * 3600..=14 * 3600).contains(&offset) {
        return Err(Error(LifecycleInputError::new_err(format!(
            "UTC offset {offset} s outside ±14 h"
        ))));
    }
    Ok(core::CutOff {
        utc_offset_seconds: offset,
        at,
    })
}

/// Mirrors a core enum for Python. `Name = CoreName` gives the Python class another name where
/// the core's would clash with another module's (e.g. `fees::CardType`).
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident { $($body:tt)* }) => {
        mirror_enum!($(#[$doc])* $name = $name { $($body)* });
    };
    ($(#[$doc:meta])* $name:ident = $core:ident { $($(#[$vdoc:meta])* $py:ident = $variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $py),* }

        impl From<$name> for core::$core {
            fn from(v: $name) -> Self {
                match v { $($name::$py => core::$core::$variant),* }
            }
        }
        impl From<core::$core> for $name {
            fn from(v: core::$core) -> Self {
                match v { $(core::$core::$variant => $name::$py),* }
            }
        }
    };
}

mirror_enum!(
    /// Card transactions a terminal can start.
    TransactionKind {
        /// 消费 sale (0200).
        SALE = Sale,
        /// 余额查询 balance inquiry (0200).
        BALANCE_INQUIRY = BalanceInquiry,
        /// 预授权 pre-authorisation (0100).
        PREAUTH = PreAuth,
        /// 预授权撤销 pre-authorisation cancel (0100).
        PREAUTH_CANCEL = PreAuthCancel,
        /// 预授权完成 completion (0200).
        COMPLETION = Completion,
        /// 预授权完成撤销 completion void (0200).
        COMPLETION_VOID = CompletionVoid,
        /// 消费撤销 void (0200).
        VOID = Void,
        /// 退货 refund (0220 notification).
        REFUND = Refund,
    }
);

mirror_enum!(
    /// How the card was read (F22).
    EntryMode {
        /// `01` key entry.
        MANUAL = Manual,
        /// `02` magnetic stripe.
        MAGSTRIPE = Magstripe,
        /// `05` contact chip.
        CHIP = Chip,
        /// `07` contactless.
        CONTACTLESS = Contactless,
        /// `03` QR code.
        QR = Qr,
    }
);

mirror_enum!(
    /// Card brand as the host reports it (F63.1).
    CardBrand {
        /// China UnionPay (domestic).
        UNION_PAY = UnionPay,
        /// Visa.
        VISA = Visa,
        /// Mastercard.
        MASTERCARD = Mastercard,
        /// JCB.
        JCB = Jcb,
        /// American Express.
        AMEX = Amex,
        /// Another foreign brand.
        OTHER = Other,
    }
);

mirror_enum!(
    /// Debit or credit card.
    CardProfileType = CardType {
        /// 借记卡.
        DEBIT = Debit,
        /// 贷记卡.
        CREDIT = Credit,
    }
);

mirror_enum!(
    /// Acceptance channel.
    CaptureChannel = Channel {
        /// Contact chip, stripe or key entry.
        CARD = Card,
        /// Contactless.
        CONTACTLESS = Contactless,
        /// QR code.
        QR = Qr,
    }
);

mirror_enum!(
    /// Why an outcome is unknown and a reversal was started.
    UnknownOutcome {
        /// No response in time (`98`).
        TIMEOUT = Timeout,
        /// Response MAC absent or wrong (`A0`).
        MAC_ERROR = MacError,
        /// The app failed after the approval (`06`).
        LOCAL_FAILURE = LocalFailure,
    }
);

mirror_enum!(
    /// Why the processor declined.
    DeclineReason {
        /// `25`.
        ORIGINAL_NOT_FOUND = OriginalNotFound,
        /// `25`.
        ORIGINAL_NOT_APPROVED = OriginalNotApproved,
        /// `12`.
        ALREADY_VOIDED = AlreadyVoided,
        /// `12`.
        ALREADY_SETTLED = AlreadySettled,
        /// `12`.
        NOT_SAME_DAY = NotSameDay,
        /// `12`.
        REFUND_SAME_DAY = RefundSameDay,
        /// `64`.
        AMOUNT_MISMATCH = AmountMismatch,
        /// `61`.
        AMOUNT_EXCEEDED = AmountExceeded,
        /// `33`.
        PREAUTH_EXPIRED = PreAuthExpired,
        /// `12`.
        PREAUTH_COMPLETED = PreAuthCompleted,
        /// `12`.
        WRONG_ORIGINAL_KIND = WrongOriginalKind,
        /// `14`.
        CARD_MISMATCH = CardMismatch,
        /// `94`.
        DUPLICATE = Duplicate,
        /// `12`/`30`.
        INVALID_TRANSACTION = InvalidTransaction,
        /// `A0`.
        MAC_ERROR = MacError,
        /// `77`.
        NOT_SIGNED_ON = NotSignedOn,
        /// `03`.
        WRONG_MERCHANT = WrongMerchant,
        /// `98`.
        NETWORK_TIMEOUT = NetworkTimeout,
        /// The network declined.
        NETWORK = Network,
    }
);

/// Kinds of `TerminalEvent`.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum TerminalEventKind {
    /// Working keys installed (`batch`).
    SIGNED_ON,
    /// Approved (`batch`, `stan`, `txn_kind`, `amount_minor`, `currency`, `auth_code`, `rrn`,
    /// `brand`, `balance`).
    APPROVED,
    /// Declined (`batch`, `stan`, `txn_kind`, `code`, `meaning`).
    DECLINED,
    /// Outcome unknown (`batch`, `stan`, `txn_kind`, `reason`, `reversing`).
    OUTCOME_UNKNOWN,
    /// Reversal acknowledged (`batch`, `stan`, `txn_kind`).
    REVERSED,
    /// Batch settled (`batch`, `totals`, `uploaded`).
    BATCH_SETTLED,
    /// Signed off.
    SIGNED_OFF,
    /// Echo answered (`ok`).
    ECHO_ANSWERED,
    /// Sign-on refused (`code`).
    SIGN_ON_DECLINED,
    /// Settlement refused (`code`).
    SETTLEMENT_DECLINED,
}

/// Totals of one card origin.
#[pyclass(frozen, eq, get_all, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SideTotals {
    /// Σ sales and completions, minor units.
    debit_amount: i64,
    /// Number of sales and completions.
    debit_count: u32,
    /// Σ voids, completion voids, refunds, minor units.
    credit_amount: i64,
    /// Number of voids, completion voids, refunds.
    credit_count: u32,
}

#[pymethods]
impl SideTotals {
    fn __repr__(&self) -> String {
        format!(
            "SideTotals(debit_amount={}, debit_count={}, credit_amount={}, credit_count={})",
            self.debit_amount, self.debit_count, self.credit_amount, self.credit_count
        )
    }
}

/// Batch totals (F48): domestic and foreign cards.
#[pyclass(frozen, eq, get_all, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BatchTotals {
    /// 内卡.
    domestic: SideTotals,
    /// 外卡.
    foreign: SideTotals,
}

#[pymethods]
impl BatchTotals {
    fn __repr__(&self) -> String {
        format!(
            "BatchTotals(domestic={}, foreign={})",
            self.domestic.__repr__(),
            self.foreign.__repr__()
        )
    }
}

impl From<core::SideTotals> for SideTotals {
    fn from(t: core::SideTotals) -> Self {
        SideTotals {
            debit_amount: t.debit_amount,
            debit_count: t.debit_count,
            credit_amount: t.credit_amount,
            credit_count: t.credit_count,
        }
    }
}

impl From<core::BatchTotals> for BatchTotals {
    fn from(t: core::BatchTotals) -> Self {
        BatchTotals {
            domestic: t.domestic.into(),
            foreign: t.foreign.into(),
        }
    }
}

/// How the card was presented. `repr()` shows the PAN masked and never the PIN block.
#[pyclass(frozen, module = "paycore")]
pub struct CardInput(core::CardInput);

#[pymethods]
impl CardInput {
    /// `pin_block`: F52 already encrypted under the PIK (8 bytes); `icc_data`: F55 EMV data.
    #[new]
    #[pyo3(signature = (pan, entry_mode, pin_block = None, icc_data = None, card_sequence = None, track2 = None))]
    fn new(
        pan: &str,
        entry_mode: EntryMode,
        pin_block: Option<Vec<u8>>,
        icc_data: Option<Vec<u8>>,
        card_sequence: Option<u16>,
        track2: Option<&str>,
    ) -> Result<Self> {
        let pin_block = match pin_block {
            None => None,
            Some(b) => Some(<[u8; 8]>::try_from(b.as_slice()).map_err(|_| {
                Error(LifecycleInputError::new_err(format!(
                    "PIN block must be 8 bytes, got {}",
                    b.len()
                )))
            })?),
        };
        let track2 = match track2 {
            Some(t) => Some(paycore::card::Track2::parse(t)?),
            None => None,
        };
        Ok(CardInput(core::CardInput {
            pan: core::Pan::parse(pan)?,
            track2,
            entry_mode: entry_mode.into(),
            pin_block,
            icc_data,
            card_sequence,
        }))
    }

    /// The PAN masked first 6 + last 4.
    #[getter]
    fn pan_masked(&self) -> String {
        self.0.pan.masked(MaskStyle::First6Last4)
    }

    /// How the card was read.
    #[getter]
    fn entry_mode(&self) -> EntryMode {
        self.0.entry_mode.into()
    }

    fn __repr__(&self) -> String {
        format!(
            "CardInput(pan='{}', entry_mode={:?}, pin={})",
            self.pan_masked(),
            self.0.entry_mode,
            self.0.pin_block.is_some()
        )
    }
}

/// The transaction a void, refund, completion or cancel refers to.
#[pyclass(frozen, eq, get_all, from_py_object, module = "paycore")]
#[derive(Clone, PartialEq, Eq)]
pub struct OriginalRef {
    /// Original batch.
    batch: u32,
    /// Original STAN.
    stan: u32,
    /// Original local date MMDD (302 = 2 March).
    date_mmdd: u16,
    /// Original RRN.
    rrn: Option<String>,
    /// Original authorisation code.
    auth_code: Option<String>,
}

#[pymethods]
impl OriginalRef {
    #[new]
    #[pyo3(signature = (batch, stan, date_mmdd, rrn = None, auth_code = None))]
    fn new(
        batch: u32,
        stan: u32,
        date_mmdd: u16,
        rrn: Option<String>,
        auth_code: Option<String>,
    ) -> Self {
        OriginalRef {
            batch,
            stan,
            date_mmdd,
            rrn,
            auth_code,
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "OriginalRef(batch={}, stan={}, date_mmdd={}, rrn={:?}, auth_code={:?})",
            self.batch, self.stan, self.date_mmdd, self.rrn, self.auth_code
        )
    }
}

/// What the session tells the app: `kind` and the fields that kind carries (others `None`).
#[pyclass(frozen, get_all, module = "paycore")]
#[derive(Clone)]
pub struct TerminalEvent {
    /// Which event.
    kind: TerminalEventKind,
    /// Batch.
    batch: Option<u32>,
    /// STAN.
    stan: Option<u32>,
    /// The transaction's kind.
    txn_kind: Option<TransactionKind>,
    /// Amount, minor units.
    amount_minor: Option<i64>,
    /// ISO 4217 numeric currency.
    currency: Option<u16>,
    /// F38.
    auth_code: Option<String>,
    /// F37.
    rrn: Option<String>,
    /// F63.1 brand.
    brand: Option<CardBrand>,
    /// F54 balance, minor units.
    balance: Option<i64>,
    /// F39.
    code: Option<String>,
    /// Meaning of `code`.
    meaning: Option<String>,
    /// Why the outcome is unknown.
    reason: Option<UnknownOutcome>,
    /// Whether a reversal was started.
    reversing: Option<bool>,
    /// Settled batch totals.
    totals: Option<BatchTotals>,
    /// Whether a batch upload was needed.
    uploaded: Option<bool>,
    /// Echo answered `00`.
    ok: Option<bool>,
}

impl TerminalEvent {
    fn bare(kind: TerminalEventKind) -> Self {
        TerminalEvent {
            kind,
            batch: None,
            stan: None,
            txn_kind: None,
            amount_minor: None,
            currency: None,
            auth_code: None,
            rrn: None,
            brand: None,
            balance: None,
            code: None,
            meaning: None,
            reason: None,
            reversing: None,
            totals: None,
            uploaded: None,
            ok: None,
        }
    }

    fn txn(kind: TerminalEventKind, txn: core::TxnRef, k: core::TransactionKind) -> Self {
        TerminalEvent {
            batch: Some(txn.batch.value()),
            stan: Some(txn.stan.value()),
            txn_kind: Some(k.into()),
            ..Self::bare(kind)
        }
    }
}

impl From<core::TerminalEvent> for TerminalEvent {
    fn from(e: core::TerminalEvent) -> Self {
        use TerminalEventKind as K;
        use core::TerminalEvent as E;
        match e {
            E::SignedOn { batch } => TerminalEvent {
                batch: Some(batch.value()),
                ..Self::bare(K::SIGNED_ON)
            },
            E::Approved {
                txn,
                kind,
                amount,
                auth_code,
                rrn,
                brand,
                balance,
            } => TerminalEvent {
                amount_minor: Some(amount.minor),
                currency: Some(amount.currency),
                auth_code: Some(auth_code),
                rrn: Some(rrn),
                brand: Some(brand.into()),
                balance,
                ..Self::txn(K::APPROVED, txn, kind)
            },
            E::Declined { txn, kind, code } => TerminalEvent {
                meaning: Some(code.meaning().to_owned()),
                code: Some(code.0),
                ..Self::txn(K::DECLINED, txn, kind)
            },
            E::OutcomeUnknown {
                txn,
                kind,
                reason,
                reversing,
            } => TerminalEvent {
                reason: Some(reason.into()),
                reversing: Some(reversing),
                ..Self::txn(K::OUTCOME_UNKNOWN, txn, kind)
            },
            E::Reversed { txn, kind } => Self::txn(K::REVERSED, txn, kind),
            E::BatchSettled {
                batch,
                totals,
                uploaded,
            } => TerminalEvent {
                batch: Some(batch.value()),
                totals: Some(totals.into()),
                uploaded: Some(uploaded),
                ..Self::bare(K::BATCH_SETTLED)
            },
            E::SignedOff => Self::bare(K::SIGNED_OFF),
            E::EchoAnswered { ok } => TerminalEvent {
                ok: Some(ok),
                ..Self::bare(K::ECHO_ANSWERED)
            },
            E::SignOnDeclined { code } => TerminalEvent {
                code: Some(code.0),
                ..Self::bare(K::SIGN_ON_DECLINED)
            },
            E::SettlementDeclined { code } => TerminalEvent {
                code: Some(code.0),
                ..Self::bare(K::SETTLEMENT_DECLINED)
            },
        }
    }
}

#[pymethods]
impl TerminalEvent {
    fn __repr__(&self) -> String {
        let mut parts = vec![format!("kind={}", kind_name(self.kind))];
        let mut push = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{name}={v}"));
            }
        };
        push("batch", self.batch.map(|v| v.to_string()));
        push("stan", self.stan.map(|v| v.to_string()));
        push("amount_minor", self.amount_minor.map(|v| v.to_string()));
        push("auth_code", self.auth_code.clone());
        push("rrn", self.rrn.clone());
        push("code", self.code.clone());
        push("reversing", self.reversing.map(|v| v.to_string()));
        format!("TerminalEvent({})", parts.join(", "))
    }
}

fn kind_name(k: TerminalEventKind) -> &'static str {
    use TerminalEventKind::*;
    match k {
        SIGNED_ON => "SIGNED_ON",
        APPROVED => "APPROVED",
        DECLINED => "DECLINED",
        OUTCOME_UNKNOWN => "OUTCOME_UNKNOWN",
        REVERSED => "REVERSED",
        BATCH_SETTLED => "BATCH_SETTLED",
        SIGNED_OFF => "SIGNED_OFF",
        ECHO_ANSWERED => "ECHO_ANSWERED",
        SIGN_ON_DECLINED => "SIGN_ON_DECLINED",
        SETTLEMENT_DECLINED => "SETTLEMENT_DECLINED",
    }
}

/// A completed transaction of the current batch (PAN masked).
#[pyclass(frozen, get_all, module = "paycore")]
pub struct JournalEntry {
    /// Batch.
    batch: u32,
    /// STAN.
    stan: u32,
    /// Kind.
    kind: TransactionKind,
    /// Amount, minor units.
    amount_minor: i64,
    /// ISO 4217 numeric currency.
    currency: u16,
    /// PAN masked first 6 + last 4.
    pan_masked: String,
    /// Brand.
    brand: CardBrand,
    /// F38.
    auth_code: String,
    /// F37.
    rrn: String,
    /// Local date MMDD.
    date_mmdd: u16,
    /// Reversed after approval.
    reversed: bool,
}

#[pymethods]
impl JournalEntry {
    /// The `OriginalRef` a void or refund of this entry needs.
    fn original_ref(&self) -> OriginalRef {
        OriginalRef {
            batch: self.batch,
            stan: self.stan,
            date_mmdd: self.date_mmdd,
            rrn: Some(self.rrn.clone()),
            auth_code: Some(self.auth_code.clone()),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "JournalEntry(batch={}, stan={}, amount_minor={}, pan='{}', rrn='{}')",
            self.batch, self.stan, self.amount_minor, self.pan_masked, self.rrn
        )
    }
}

/// A POS terminal session (sans-I/O). `repr()` never shows keys.
#[pyclass(module = "paycore")]
pub struct TerminalSession(core::TerminalSession);

#[pymethods]
impl TerminalSession {
    /// A signed-off session: `terminal_id` 8 and `merchant_id` 15 printable ASCII characters,
    /// `tmk` the 16-byte terminal master key.
    #[new]
    #[pyo3(signature = (terminal_id, merchant_id, tmk, *, response_timeout_ms = 60_000, reversal_backoff_ms = None, cutoff_utc_offset_seconds = 28_800, cutoff_seconds_of_day = 82_800))]
    fn new(
        terminal_id: &str,
        merchant_id: &str,
        tmk: &[u8],
        response_timeout_ms: u32,
        reversal_backoff_ms: Option<Vec<u32>>,
        cutoff_utc_offset_seconds: i32,
        cutoff_seconds_of_day: u32,
    ) -> Result<Self> {
        let mut cfg = core::TerminalConfig::new(
            core::TerminalId::new(terminal_id)?,
            core::MerchantId::new(merchant_id)?,
            MasterKey::new(key::<16>(tmk, "TMK")?),
        );
        if response_timeout_ms == 0 {
            return Err(Error(LifecycleInputError::new_err(
                "response_timeout_ms must be positive",
            )));
        }
        cfg.response_timeout_ms = response_timeout_ms;
        if let Some(b) = reversal_backoff_ms {
            if b.is_empty() || b.len() > 32 {
                return Err(Error(LifecycleInputError::new_err(
                    "reversal_backoff_ms needs 1 to 32 entries",
                )));
            }
            cfg.reversal_backoff_ms = b;
        }
        cfg.cutoff = cutoff(cutoff_utc_offset_seconds, cutoff_seconds_of_day)?;
        Ok(TerminalSession(core::TerminalSession::new(cfg)))
    }

    /// Restores a session saved with `to_json()`.
    #[staticmethod]
    fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map(TerminalSession)
            .map_err(|e| {
                Error(SessionStateError::new_err(format!(
                    "saved terminal session: {e}"
                )))
            })
    }

    /// The whole session as JSON (keys as hex and the journal's PANs: store it encrypted).
    fn to_json(&self) -> Result<String> {
        serde_json::to_string(&self.0)
            .map_err(|e| Error(SessionStateError::new_err(format!("serialising: {e}"))))
    }

    /// Starts a sign-on (0800).
    fn sign_on(&mut self, now: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.0.sign_on(now_arg(now)?)?)
    }

    /// Starts a sign-off (0820 `002`).
    fn sign_off(&mut self, now: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.0.sign_off(now_arg(now)?)?)
    }

    /// Starts an echo test (0820 `301`).
    fn echo(&mut self, now: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.0.echo(now_arg(now)?)?)
    }

    /// Starts the batch close (0500).
    fn settle(&mut self, now: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.0.settle(now_arg(now)?)?)
    }

    /// Starts a card transaction; returns `(batch, stan)`.
    #[pyo3(signature = (now, kind, amount_minor, card, original = None, currency = 156))]
    fn begin(
        &mut self,
        now: &Bound<'_, PyAny>,
        kind: TransactionKind,
        amount_minor: i64,
        card: &CardInput,
        original: Option<OriginalRef>,
        currency: u16,
    ) -> Result<(u32, u32)> {
        let original = match original {
            None => None,
            Some(o) => Some(core::OriginalRef {
                txn: core::TxnRef {
                    batch: core::BatchNo::new(o.batch)?,
                    stan: core::Stan::new(o.stan)?,
                },
                date_mmdd: o.date_mmdd,
                rrn: o.rrn,
                auth_code: o.auth_code,
            }),
        };
        let req = core::TransactionRequest {
            kind: kind.into(),
            amount: core::Amount::new(amount_minor, currency)?,
            card: card.0.clone(),
            original,
        };
        let t = self.0.begin(now_arg(now)?, req)?;
        Ok((t.batch.value(), t.stan.value()))
    }

    /// Feeds a response frame (starting at the MTI).
    fn handle_response(&mut self, now: &Bound<'_, PyAny>, frame: &[u8]) -> Result<()> {
        Ok(self.0.handle_response(now_arg(now)?, frame)?)
    }

    /// Call at (or after) `poll_timeout()`.
    fn handle_timeout(&mut self, now: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.0.handle_timeout(now_arg(now)?)?)
    }

    /// The app failed after an approval: reverse the last approved reversible transaction.
    fn handle_local_failure(&mut self, now: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.0.handle_local_failure(now_arg(now)?)?)
    }

    /// The next frame to send, or None.
    fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.0.poll_transmit()
    }

    /// The next event, or None.
    fn poll_event(&mut self) -> Option<TerminalEvent> {
        self.0.poll_event().map(TerminalEvent::from)
    }

    /// When to call `handle_timeout` (aware UTC datetime), or None.
    fn poll_timeout(&self) -> Option<DateTime<Utc>> {
        self.0.poll_timeout()
    }

    /// Whether working keys are installed.
    #[getter]
    fn is_signed_on(&self) -> bool {
        self.0.is_signed_on()
    }

    /// Whether a reversal is outstanding.
    #[getter]
    fn is_reversing(&self) -> bool {
        self.0.is_reversing()
    }

    /// Whether any exchange is outstanding.
    #[getter]
    fn is_busy(&self) -> bool {
        self.0.is_busy()
    }

    /// Signed on and idle.
    #[getter]
    fn is_ready(&self) -> bool {
        self.0.is_ready()
    }

    /// The current batch, or None before the first sign-on.
    #[getter]
    fn batch(&self) -> Option<u32> {
        self.0.batch().map(|b| b.value())
    }

    /// The current batch's totals.
    #[getter]
    fn totals(&self) -> BatchTotals {
        self.0.totals().into()
    }

    /// The current batch's journal (PANs masked).
    #[getter]
    fn journal(&self) -> Vec<JournalEntry> {
        self.0
            .journal()
            .iter()
            .map(|j| JournalEntry {
                batch: j.txn.batch.value(),
                stan: j.txn.stan.value(),
                kind: j.kind.into(),
                amount_minor: j.amount.minor,
                currency: j.amount.currency,
                pan_masked: j.pan.masked(MaskStyle::First6Last4),
                brand: j.brand.into(),
                auth_code: j.auth_code.clone(),
                rrn: j.rrn.clone(),
                date_mmdd: j.date_mmdd,
                reversed: j.reversed,
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        let c = self.0.config();
        format!(
            "TerminalSession(terminal_id='{}', merchant_id='{}', signed_on={}, batch={:?})",
            c.terminal_id,
            c.merchant_id,
            self.0.is_signed_on(),
            self.0.batch().map(|b| b.value())
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Acquirer processor
// ---------------------------------------------------------------------------------------------

/// What the processor asks of the network: a transaction (`reverses` is None) or a reversal
/// of request `reverses` (transaction fields None). `repr()` masks the PAN; `pan` gives the
/// digits because the network message needs them.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct NetworkRequest {
    /// Correlation id: answer with the same id.
    id: u64,
    /// For a reversal: the id of the request to reverse.
    reverses: Option<u64>,
    /// Transaction kind.
    txn_kind: Option<TransactionKind>,
    /// Amount, minor units.
    amount_minor: Option<i64>,
    /// ISO 4217 numeric currency.
    currency: Option<u16>,
    /// Card number (full digits: do not log).
    pan: Option<String>,
    /// Terminal.
    terminal_id: Option<String>,
    /// Merchant.
    merchant_id: Option<String>,
    /// Network id of the original (void, refund, completion).
    original_network_id: Option<u64>,
}

impl From<core::NetworkRequest> for NetworkRequest {
    fn from(r: core::NetworkRequest) -> Self {
        match r.body {
            core::NetworkRequestBody::Transaction {
                kind,
                amount,
                pan,
                terminal_id,
                merchant_id,
                original_network_id,
            } => NetworkRequest {
                id: r.id,
                reverses: None,
                txn_kind: Some(kind.into()),
                amount_minor: Some(amount.minor),
                currency: Some(amount.currency),
                pan: Some(pan.digits().to_owned()),
                terminal_id: Some(terminal_id.as_str().to_owned()),
                merchant_id: Some(merchant_id.as_str().to_owned()),
                original_network_id,
            },
            core::NetworkRequestBody::Reversal { reverses } => NetworkRequest {
                id: r.id,
                reverses: Some(reverses),
                txn_kind: None,
                amount_minor: None,
                currency: None,
                pan: None,
                terminal_id: None,
                merchant_id: None,
                original_network_id: None,
            },
        }
    }
}

#[pymethods]
impl NetworkRequest {
    fn __repr__(&self) -> String {
        match (&self.reverses, &self.pan) {
            (Some(r), _) => format!("NetworkRequest(id={}, reverses={r})", self.id),
            (None, pan) => format!(
                "NetworkRequest(id={}, amount_minor={}, pan='{}')",
                self.id,
                self.amount_minor.unwrap_or_default(),
                pan.as_deref()
                    .map(|p| paycore::card::mask_digits(p, MaskStyle::First6Last4))
                    .unwrap_or_default()
            ),
        }
    }
}

/// Kinds of `DomainEvent`.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum DomainEventKind {
    /// A pre-auth was approved.
    AUTHORISED,
    /// Money moves to the merchant: sale, completion.
    CAPTURED,
    /// A void, completion void or pre-auth cancel took effect.
    VOIDED,
    /// A refund was accepted.
    REFUNDED,
    /// An approved transaction was reversed.
    REVERSED,
    /// Declined here or by the network (`reason`, `code`).
    DECLINED,
    /// A terminal batch was closed (`host_totals`, `terminal_totals`, `uploaded`).
    BATCH_SETTLED,
}

/// What the fee, settlement and ledger modules consume: `kind` and the fields it carries.
/// Transaction events fill the transaction fields; `BATCH_SETTLED` fills `terminal_id`,
/// `merchant_id`, `batch`, `at`, the totals and `uploaded`.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct DomainEvent {
    /// Which event.
    kind: DomainEventKind,
    /// Terminal.
    terminal_id: String,
    /// Merchant.
    merchant_id: String,
    /// Batch.
    batch: u32,
    /// STAN (transaction events).
    stan: Option<u32>,
    /// Transaction kind.
    txn_kind: Option<TransactionKind>,
    /// Masked PAN.
    pan_masked: Option<String>,
    /// Brand once known.
    brand: Option<CardBrand>,
    /// Debit/credit once known.
    card_type: Option<CardProfileType>,
    /// Channel.
    channel: Option<CaptureChannel>,
    /// Amount, minor units.
    amount_minor: Option<i64>,
    /// ISO 4217 numeric currency.
    currency: Option<u16>,
    /// Request time.
    received_at: Option<DateTime<Utc>>,
    /// Event time.
    at: DateTime<Utc>,
    /// Network settlement date.
    settlement_date: Option<NaiveDate>,
    /// F38.
    auth_code: Option<String>,
    /// F37.
    rrn: Option<String>,
    /// The referenced original as `(terminal_id, batch, stan)`.
    original: Option<(String, u32, u32)>,
    /// Why declined.
    reason: Option<DeclineReason>,
    /// F39 sent to the terminal (declines).
    code: Option<String>,
    /// Host totals (batch settled).
    host_totals: Option<BatchTotals>,
    /// Terminal totals (batch settled).
    terminal_totals: Option<BatchTotals>,
    /// Whether a batch upload was needed.
    uploaded: Option<bool>,
}

impl DomainEvent {
    fn txn(kind: DomainEventKind, d: core::EventData) -> Self {
        DomainEvent {
            kind,
            terminal_id: d.key.terminal_id.as_str().to_owned(),
            merchant_id: d.merchant_id.as_str().to_owned(),
            batch: d.key.batch.value(),
            stan: Some(d.key.stan.value()),
            txn_kind: Some(d.kind.into()),
            pan_masked: Some(d.pan_masked),
            brand: d.card.as_ref().map(|c| c.brand.into()),
            card_type: d.card.as_ref().map(|c| c.card_type.into()),
            channel: Some(d.channel.into()),
            amount_minor: Some(d.amount.minor),
            currency: Some(d.amount.currency),
            received_at: Some(d.received_at),
            at: d.at,
            settlement_date: Some(d.settlement_date),
            auth_code: Some(d.auth_code),
            rrn: Some(d.rrn),
            original: d.original.map(|k| {
                (
                    k.terminal_id.as_str().to_owned(),
                    k.batch.value(),
                    k.stan.value(),
                )
            }),
            reason: None,
            code: None,
            host_totals: None,
            terminal_totals: None,
            uploaded: None,
        }
    }
}

impl From<core::DomainEvent> for DomainEvent {
    fn from(e: core::DomainEvent) -> Self {
        use DomainEventKind as K;
        use core::DomainEvent as E;
        match e {
            E::Authorised(d) => Self::txn(K::AUTHORISED, d),
            E::Captured(d) => Self::txn(K::CAPTURED, d),
            E::Voided(d) => Self::txn(K::VOIDED, d),
            E::Refunded(d) => Self::txn(K::REFUNDED, d),
            E::Reversed(d) => Self::txn(K::REVERSED, d),
            E::Declined { data, reason, code } => DomainEvent {
                reason: Some(reason.into()),
                code: Some(code),
                ..Self::txn(K::DECLINED, data)
            },
            E::BatchSettled {
                terminal_id,
                merchant_id,
                batch,
                host_totals,
                terminal_totals,
                uploaded,
                at,
            } => DomainEvent {
                kind: K::BATCH_SETTLED,
                terminal_id: terminal_id.as_str().to_owned(),
                merchant_id: merchant_id.as_str().to_owned(),
                batch: batch.value(),
                stan: None,
                txn_kind: None,
                pan_masked: None,
                brand: None,
                card_type: None,
                channel: None,
                amount_minor: None,
                currency: None,
                received_at: None,
                at,
                settlement_date: None,
                auth_code: None,
                rrn: None,
                original: None,
                reason: None,
                code: None,
                host_totals: Some(host_totals.into()),
                terminal_totals: Some(terminal_totals.into()),
                uploaded: Some(uploaded),
            },
        }
    }
}

#[pymethods]
impl DomainEvent {
    fn __repr__(&self) -> String {
        format!(
            "DomainEvent(kind={:?}, terminal_id='{}', batch={}, stan={:?}, amount_minor={:?}, pan={:?}, code={:?})",
            domain_kind_name(self.kind),
            self.terminal_id,
            self.batch,
            self.stan,
            self.amount_minor,
            self.pan_masked,
            self.code
        )
    }
}

fn domain_kind_name(k: DomainEventKind) -> &'static str {
    use DomainEventKind::*;
    match k {
        AUTHORISED => "AUTHORISED",
        CAPTURED => "CAPTURED",
        VOIDED => "VOIDED",
        REFUNDED => "REFUNDED",
        REVERSED => "REVERSED",
        DECLINED => "DECLINED",
        BATCH_SETTLED => "BATCH_SETTLED",
    }
}

/// An acquirer processor over an in-memory transaction store (sans-I/O). `repr()` never
/// shows keys.
#[pyclass(module = "paycore")]
pub struct AcquirerProcessor(core::AcquirerProcessor<core::InMemoryStore>);

#[pymethods]
impl AcquirerProcessor {
    #[new]
    #[pyo3(signature = (*, cutoff_utc_offset_seconds = 28_800, cutoff_seconds_of_day = 82_800, preauth_window_days = 30, completion_tolerance_bp = 0, network_timeout_ms = 30_000, network_reversal_retry_ms = 10_000))]
    fn new(
        cutoff_utc_offset_seconds: i32,
        cutoff_seconds_of_day: u32,
        preauth_window_days: u32,
        completion_tolerance_bp: u32,
        network_timeout_ms: u32,
        network_reversal_retry_ms: u32,
    ) -> Result<Self> {
        let cfg = core::ProcessorConfig {
            cutoff: cutoff(cutoff_utc_offset_seconds, cutoff_seconds_of_day)?,
            preauth_window_days,
            completion_tolerance_bp,
            network_timeout_ms,
            network_reversal_retry_ms,
        };
        Ok(AcquirerProcessor(core::AcquirerProcessor::new(
            cfg,
            core::InMemoryStore::default(),
        )))
    }

    /// Restores a processor saved with `to_json()`.
    #[staticmethod]
    fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json)
            .map(AcquirerProcessor)
            .map_err(|e| Error(SessionStateError::new_err(format!("saved processor: {e}"))))
    }

    /// The whole processor as JSON (terminal keys as hex and the store's PANs: encrypt it).
    fn to_json(&self) -> Result<String> {
        serde_json::to_string(&self.0)
            .map_err(|e| Error(SessionStateError::new_err(format!("serialising: {e}"))))
    }

    /// Registers (or replaces) a terminal with its merchant and 16-byte TMK.
    fn register_terminal(
        &mut self,
        terminal_id: &str,
        merchant_id: &str,
        tmk: &[u8],
    ) -> Result<()> {
        let profile = core::TerminalProfile {
            terminal_id: core::TerminalId::new(terminal_id)?,
            merchant_id: core::MerchantId::new(merchant_id)?,
            tmk: MasterKey::new(key::<16>(tmk, "TMK")?),
        };
        self.0.register_terminal(profile);
        Ok(())
    }

    /// The working keys the terminal's next sign-on delivers: 16-byte PIK, 8-byte MAK.
    fn provide_working_keys(&mut self, terminal_id: &str, pik: &[u8], mak: &[u8]) -> Result<()> {
        let keys = WorkingKeys {
            pik: PinKey::new(key::<16>(pik, "PIK")?),
            mak: MacKey::new(key::<8>(mak, "MAK")?),
        };
        let tid = core::TerminalId::new(terminal_id)?;
        Ok(self.0.provide_working_keys(&tid, keys)?)
    }

    /// Feeds a frame from a terminal.
    fn handle_terminal(&mut self, now: &Bound<'_, PyAny>, frame: &[u8]) -> Result<()> {
        Ok(self.0.handle_terminal(now_arg(now)?, frame)?)
    }

    /// The network approved request `id`.
    #[pyo3(signature = (now, id, auth_code, brand = CardBrand::UNION_PAY, card_type = CardProfileType::DEBIT, settlement_date = None, balance = None))]
    #[allow(clippy::too_many_arguments)]
    fn handle_network_approval(
        &mut self,
        now: &Bound<'_, PyAny>,
        id: u64,
        auth_code: String,
        brand: CardBrand,
        card_type: CardProfileType,
        settlement_date: Option<NaiveDate>,
        balance: Option<i64>,
    ) -> Result<()> {
        let outcome = core::NetworkOutcome::Approved {
            auth_code,
            settlement_date,
            card: core::CardProfile {
                brand: brand.into(),
                card_type: card_type.into(),
            },
            balance,
        };
        Ok(self
            .0
            .handle_network_response(now_arg(now)?, core::NetworkResponse { id, outcome })?)
    }

    /// The network declined request `id` with F39 `code`.
    fn handle_network_decline(
        &mut self,
        now: &Bound<'_, PyAny>,
        id: u64,
        code: String,
    ) -> Result<()> {
        let outcome = core::NetworkOutcome::Declined { code };
        Ok(self
            .0
            .handle_network_response(now_arg(now)?, core::NetworkResponse { id, outcome })?)
    }

    /// The network acknowledged reversal request `id`.
    fn handle_network_reversal_ack(&mut self, now: &Bound<'_, PyAny>, id: u64) -> Result<()> {
        Ok(self.0.handle_network_reversal_ack(now_arg(now)?, id)?)
    }

    /// Call at (or after) `poll_timeout()`.
    fn handle_timeout(&mut self, now: &Bound<'_, PyAny>) -> Result<()> {
        Ok(self.0.handle_timeout(now_arg(now)?)?)
    }

    /// The next `(terminal_id, frame)` to send, or None.
    fn poll_terminal_transmit(&mut self) -> Option<(String, Vec<u8>)> {
        self.0
            .poll_terminal_transmit()
            .map(|(t, f)| (t.as_str().to_owned(), f))
    }

    /// The next request for the network, or None.
    fn poll_network_request(&mut self) -> Option<NetworkRequest> {
        self.0.poll_network_request().map(NetworkRequest::from)
    }

    /// The next domain event, or None.
    fn poll_event(&mut self) -> Option<DomainEvent> {
        self.0.poll_event().map(DomainEvent::from)
    }

    /// When to call `handle_timeout` (aware UTC datetime), or None.
    fn poll_timeout(&self) -> Option<DateTime<Utc>> {
        self.0.poll_timeout()
    }

    /// Nothing outstanding towards the network.
    #[getter]
    fn is_idle(&self) -> bool {
        self.0.is_idle()
    }

    /// The host's totals of a terminal's batch.
    fn batch_totals(&self, terminal_id: &str, batch: u32) -> Result<BatchTotals> {
        let tid = core::TerminalId::new(terminal_id)?;
        Ok(self.0.batch_totals(&tid, core::BatchNo::new(batch)?).into())
    }

    fn __repr__(&self) -> String {
        format!("AcquirerProcessor(idle={})", self.0.is_idle())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("LifecycleError", py.get_type::<LifecycleError>())?;
    m.add("LifecycleInputError", py.get_type::<LifecycleInputError>())?;
    m.add("NaiveDatetimeError", py.get_type::<NaiveDatetimeError>())?;
    m.add(
        "MalformedMessageError",
        py.get_type::<MalformedMessageError>(),
    )?;
    m.add("KeyBlockError", py.get_type::<KeyBlockError>())?;
    m.add("IllegalStateError", py.get_type::<IllegalStateError>())?;
    m.add(
        "UnexpectedMessageError",
        py.get_type::<UnexpectedMessageError>(),
    )?;
    m.add(
        "ReversalNotAcknowledgedError",
        py.get_type::<ReversalNotAcknowledgedError>(),
    )?;
    m.add("LifecycleMacError", py.get_type::<LifecycleMacError>())?;
    m.add(
        "UnknownReferenceError",
        py.get_type::<UnknownReferenceError>(),
    )?;
    m.add("SessionStateError", py.get_type::<SessionStateError>())?;
    m.add_class::<TransactionKind>()?;
    m.add_class::<EntryMode>()?;
    m.add_class::<CardBrand>()?;
    m.add_class::<CardProfileType>()?;
    m.add_class::<CaptureChannel>()?;
    m.add_class::<UnknownOutcome>()?;
    m.add_class::<DeclineReason>()?;
    m.add_class::<TerminalEventKind>()?;
    m.add_class::<DomainEventKind>()?;
    m.add_class::<SideTotals>()?;
    m.add_class::<BatchTotals>()?;
    m.add_class::<CardInput>()?;
    m.add_class::<OriginalRef>()?;
    m.add_class::<TerminalEvent>()?;
    m.add_class::<JournalEntry>()?;
    m.add_class::<TerminalSession>()?;
    m.add_class::<NetworkRequest>()?;
    m.add_class::<DomainEvent>()?;
    m.add_class::<AcquirerProcessor>()?;
    Ok(())
}
