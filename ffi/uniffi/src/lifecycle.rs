//! The transaction lifecycle for Kotlin/Swift: `TerminalSession` (what an Android POS app
//! embeds) and `AcquirerProcessor` (what a switch embeds), both sans-I/O state machines.
//!
//! Time crosses as **Unix milliseconds** (`nowMs: Long`); frames as `ByteArray` starting at the
//! MTI. Drive a session with `signOn`, `begin`, `settle`, `handleResponse`, `handleTimeout`,
//! `handleLocalFailure`; drain `pollTransmit()` (bytes to send) and `pollEvent()` (a
//! `TerminalEvent` sealed class); arm a timer at `pollTimeout()`. `toJson()` /
//! `TerminalSession.fromJson()` persist the session (keys and PANs included: store it
//! encrypted) so a restarted app resumes a pending reversal.
//!
//! Keys go in as `ByteArray` and are never printed; the core wipes them on drop. Anything
//! holding card data is an object (`CardInput`, `Pan` inside `NetworkRequest`), so Kotlin's
//! data-class `toString()` cannot print a PAN or PIN block.

use crate::PaycoreError;
use crate::card::Pan as PanObject;
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use paycore::card::MaskStyle;
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::{self as core, LifecycleError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

impl From<LifecycleError> for PaycoreError {
    fn from(e: LifecycleError) -> Self {
        let m = e.to_string();
        match e {
            LifecycleError::OutOfRange { .. }
            | LifecycleError::InvalidIdentifier { .. }
            | LifecycleError::InvalidRequest { .. } => PaycoreError::LifecycleInvalidInput(m),
            LifecycleError::Wire(_) | LifecycleError::Field { .. } => {
                PaycoreError::LifecycleMalformedMessage(m)
            }
            LifecycleError::KeyBlock { .. } => PaycoreError::LifecycleKeyBlock(m),
            LifecycleError::IllegalState { .. } => PaycoreError::LifecycleIllegalState(m),
            LifecycleError::UnexpectedMessage { .. }
            | LifecycleError::Mismatch { .. }
            | LifecycleError::LateResponse { .. } => PaycoreError::LifecycleUnexpectedMessage(m),
            LifecycleError::ReversalNotAcknowledged => {
                PaycoreError::LifecycleReversalNotAcknowledged(m)
            }
            LifecycleError::MacInvalid => PaycoreError::LifecycleMacInvalid(m),
            LifecycleError::UnknownTerminal | LifecycleError::UnknownNetworkRequest { .. } => {
                PaycoreError::LifecycleUnknownReference(m)
            }
        }
    }
}

fn time(ms: i64) -> Result<DateTime<Utc>, PaycoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| {
        PaycoreError::LifecycleInvalidInput(format!(
            "time {ms} ms is outside the representable range"
        ))
    })
}

/// Overwrites key bytes the caller handed over; `black_box` keeps the stores from being
/// elided before the buffer is freed.
fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    std::hint::black_box(bytes);
}

fn key<const N: usize>(bytes: &[u8], what: &str) -> Result<[u8; N], PaycoreError> {
    bytes.try_into().map_err(|_| {
        PaycoreError::KeyLength(format!("{what} must be {N} bytes, got {}", bytes.len()))
    })
}

fn cutoff(offset: i32, seconds: u32) -> Result<core::CutOff, PaycoreError> {
    let at = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).ok_or_else(|| {
        PaycoreError::LifecycleInvalidInput(format!(
            "cut-off {seconds} s is not a time of day (0..86400)"
        ))
    })?;
    if !(-14 * 3600..=14 * 3600).contains(&offset) {
        return Err(PaycoreError::LifecycleInvalidInput(format!(
            "UTC offset {offset} s outside ±14 h"
        )));
    }
    Ok(core::CutOff {
        utc_offset_seconds: offset,
        at,
    })
}

/// Mirrors a core enum for UniFFI. `Name = CoreName` gives the foreign type another name where
/// the core's would clash with another module's (e.g. `fees::CardType`).
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident { $($body:tt)* }) => {
        mirror_enum!($(#[$doc])* $name = $name { $($body)* });
    };
    ($(#[$doc:meta])* $name:ident = $core:ident { $($(#[$vdoc:meta])* $variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl From<$name> for core::$core {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => core::$core::$variant),* }
            }
        }
        impl From<core::$core> for $name {
            fn from(v: core::$core) -> Self {
                match v { $(core::$core::$variant => $name::$variant),* }
            }
        }
    };
}

mirror_enum!(
    /// Card transactions a terminal can start.
    TransactionKind {
        /// 消费 sale (0200).
        Sale,
        /// 余额查询 balance inquiry (0200).
        BalanceInquiry,
        /// 预授权 pre-authorisation (0100).
        PreAuth,
        /// 预授权撤销 pre-authorisation cancel (0100).
        PreAuthCancel,
        /// 预授权完成 completion (0200).
        Completion,
        /// 预授权完成撤销 completion void (0200).
        CompletionVoid,
        /// 消费撤销 void (0200).
        Void,
        /// 退货 refund (0220 notification).
        Refund,
    }
);

mirror_enum!(
    /// How the card was read (F22).
    EntryMode {
        /// `01` key entry.
        Manual,
        /// `02` magnetic stripe.
        Magstripe,
        /// `05` contact chip.
        Chip,
        /// `07` contactless.
        Contactless,
        /// `03` QR code.
        Qr,
    }
);

mirror_enum!(
    /// Card brand as the host reports it (F63.1).
    CardBrand {
        /// China UnionPay (domestic).
        UnionPay,
        /// Visa.
        Visa,
        /// Mastercard.
        Mastercard,
        /// JCB.
        Jcb,
        /// American Express.
        Amex,
        /// Another foreign brand.
        Other,
    }
);

mirror_enum!(
    /// Debit or credit card.
    CardProfileType = CardType {
        /// 借记卡.
        Debit,
        /// 贷记卡.
        Credit,
    }
);

mirror_enum!(
    /// Acceptance channel (for fee schedules).
    CaptureChannel = Channel {
        /// Contact chip, stripe or key entry.
        Card,
        /// Contactless.
        Contactless,
        /// QR code.
        Qr,
    }
);

mirror_enum!(
    /// Why an outcome is unknown and a reversal was started.
    UnknownOutcome {
        /// No response in time (F39 `98`).
        Timeout,
        /// The response's MAC was absent or wrong (`A0`).
        MacError,
        /// The app failed after the approval (`06`).
        LocalFailure,
    }
);

mirror_enum!(
    /// Why the processor declined.
    DeclineReason {
        /// F61 names no transaction of this terminal (`25`).
        OriginalNotFound,
        /// The original is not approved (`25`).
        OriginalNotApproved,
        /// Already voided or cancelled (`12`).
        AlreadyVoided,
        /// In a settled batch (`12`).
        AlreadySettled,
        /// Void after the original's settlement day (`12`).
        NotSameDay,
        /// Refund on the same settlement day (`12`).
        RefundSameDay,
        /// Void/cancel amount ≠ original amount (`64`).
        AmountMismatch,
        /// Refunds or completions beyond the original (`61`).
        AmountExceeded,
        /// Pre-auth older than the window (`33`).
        PreAuthExpired,
        /// Cancel of a completed pre-auth (`12`).
        PreAuthCompleted,
        /// Wrong kind of original (`12`).
        WrongOriginalKind,
        /// Card differs from the original (`14`).
        CardMismatch,
        /// STAN reused with other content (`94`).
        Duplicate,
        /// Unknown or incomplete request (`12`/`30`).
        InvalidTransaction,
        /// MAC missing or wrong (`A0`).
        MacError,
        /// Terminal must sign on (`77`).
        NotSignedOn,
        /// F42 differs from the terminal's merchant (`03`).
        WrongMerchant,
        /// The network did not answer (`98`).
        NetworkTimeout,
        /// The network declined.
        Network,
    }
);

/// Batch and STAN of a terminal transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct TxnRef {
    /// F60.2 batch number.
    pub batch: u32,
    /// F11 STAN.
    pub stan: u32,
}

impl From<core::TxnRef> for TxnRef {
    fn from(t: core::TxnRef) -> Self {
        TxnRef {
            batch: t.batch.value(),
            stan: t.stan.value(),
        }
    }
}

/// Totals of one card origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SideTotals {
    /// Σ sales and completions, minor units.
    pub debit_amount: i64,
    /// Number of sales and completions.
    pub debit_count: u32,
    /// Σ voids, completion voids, refunds, minor units.
    pub credit_amount: i64,
    /// Number of voids, completion voids, refunds.
    pub credit_count: u32,
}

/// Batch totals (F48): domestic and foreign cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct BatchTotals {
    /// 内卡.
    pub domestic: SideTotals,
    /// 外卡.
    pub foreign: SideTotals,
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

/// How the card was presented. An object, so that no `toString()` shows the PAN or PIN block.
#[derive(uniffi::Object)]
pub struct CardInput(core::CardInput);

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardInput({})", self.0.pan)
    }
}

#[uniffi::export]
impl CardInput {
    /// `pinBlock`: F52 already encrypted under the PIK by the PIN pad (8 bytes), or null.
    /// `iccData`: F55 EMV data (≤ 255 bytes). `cardSequence`: F23.
    /// `track2`: F35 as read from the stripe or the chip's tag 57 (`PAN=YYMM…` or with `D`);
    /// its PAN must be `pan`.
    #[uniffi::constructor(default(track2 = None))]
    pub fn new(
        pan: String,
        entry_mode: EntryMode,
        pin_block: Option<Vec<u8>>,
        icc_data: Option<Vec<u8>>,
        card_sequence: Option<u16>,
        track2: Option<String>,
    ) -> Result<Arc<CardInput>, PaycoreError> {
        let pin_block = match pin_block {
            None => None,
            Some(b) => Some(<[u8; 8]>::try_from(b.as_slice()).map_err(|_| {
                PaycoreError::LifecycleInvalidInput(format!(
                    "PIN block must be 8 bytes, got {}",
                    b.len()
                ))
            })?),
        };
        let track2 = match track2 {
            Some(t) => Some(paycore::card::Track2::parse(&t)?),
            None => None,
        };
        Ok(Arc::new(CardInput(core::CardInput {
            pan: core::Pan::parse(&pan)?,
            track2,
            entry_mode: entry_mode.into(),
            pin_block,
            icc_data,
            card_sequence,
        })))
    }

    /// The PAN masked first 6 + last 4.
    pub fn pan_masked(&self) -> String {
        self.0.pan.masked(MaskStyle::First6Last4)
    }

    /// How the card was read.
    pub fn entry_mode(&self) -> EntryMode {
        self.0.entry_mode.into()
    }
}

/// The transaction a void, refund, completion or cancel refers to (from its receipt/journal).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OriginalRef {
    /// Original batch.
    pub batch: u32,
    /// Original STAN.
    pub stan: u32,
    /// Original local date MMDD (302 = 2 March).
    pub date_mmdd: u16,
    /// Original RRN.
    pub rrn: Option<String>,
    /// Original authorisation code.
    pub auth_code: Option<String>,
}

/// What the operator asks for.
#[derive(Debug, Clone, uniffi::Record)]
pub struct TransactionRequest {
    /// Which transaction.
    pub kind: TransactionKind,
    /// Amount in minor units (fen); ignored for a balance inquiry.
    pub amount_minor: i64,
    /// ISO 4217 numeric currency (156 = CNY).
    pub currency: u16,
    /// The card.
    pub card: Arc<CardInput>,
    /// Required for void, refund, completion, completion void and pre-auth cancel.
    pub original: Option<OriginalRef>,
}

impl TryFrom<TransactionRequest> for core::TransactionRequest {
    type Error = PaycoreError;
    fn try_from(r: TransactionRequest) -> Result<Self, PaycoreError> {
        let original = match r.original {
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
        Ok(core::TransactionRequest {
            kind: r.kind.into(),
            amount: core::Amount::new(r.amount_minor, r.currency)?,
            card: r.card.0.clone(),
            original,
        })
    }
}

/// What the session tells the app (a sealed class in Kotlin). No PAN in any of them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TerminalEvent {
    /// Working keys installed; `batch` is the host's current batch.
    SignedOn {
        /// Batch to use.
        batch: u32,
    },
    /// Approved: print the receipt.
    Approved {
        /// Batch and STAN.
        txn: TxnRef,
        /// Kind.
        kind: TransactionKind,
        /// Amount, minor units.
        amount_minor: i64,
        /// ISO 4217 numeric currency.
        currency: u16,
        /// F38 authorisation code.
        auth_code: String,
        /// F37 retrieval reference number.
        rrn: String,
        /// F63.1 brand.
        brand: CardBrand,
        /// F54 balance (balance inquiry), minor units.
        balance: Option<i64>,
    },
    /// Declined by the host or issuer.
    Declined {
        /// Batch and STAN.
        txn: TxnRef,
        /// Kind.
        kind: TransactionKind,
        /// F39.
        code: String,
        /// The customary meaning of the code.
        meaning: String,
    },
    /// The outcome is unknown; for a reversible request a reversal is now outstanding.
    OutcomeUnknown {
        /// Batch and STAN.
        txn: TxnRef,
        /// Kind.
        kind: TransactionKind,
        /// Why.
        reason: UnknownOutcome,
        /// Whether a reversal was started.
        reversing: bool,
    },
    /// The host acknowledged the reversal: void everywhere.
    Reversed {
        /// Batch and STAN.
        txn: TxnRef,
        /// Kind.
        kind: TransactionKind,
    },
    /// Batch closed and reconciled; the session moved to the next batch.
    BatchSettled {
        /// The settled batch.
        batch: u32,
        /// Its totals.
        totals: BatchTotals,
        /// Whether a batch upload was needed.
        uploaded: bool,
    },
    /// Signed off: working keys erased.
    SignedOff,
    /// Answer to an echo test.
    EchoAnswered {
        /// Whether the host answered `00`.
        ok: bool,
    },
    /// The host refused the sign-on.
    SignOnDeclined {
        /// F39.
        code: String,
    },
    /// Settlement or batch upload declined.
    SettlementDeclined {
        /// F39.
        code: String,
    },
}

impl From<core::TerminalEvent> for TerminalEvent {
    fn from(e: core::TerminalEvent) -> Self {
        use core::TerminalEvent as E;
        match e {
            E::SignedOn { batch } => TerminalEvent::SignedOn {
                batch: batch.value(),
            },
            E::Approved {
                txn,
                kind,
                amount,
                auth_code,
                rrn,
                brand,
                balance,
            } => TerminalEvent::Approved {
                txn: txn.into(),
                kind: kind.into(),
                amount_minor: amount.minor,
                currency: amount.currency,
                auth_code,
                rrn,
                brand: brand.into(),
                balance,
            },
            E::Declined { txn, kind, code } => TerminalEvent::Declined {
                txn: txn.into(),
                kind: kind.into(),
                meaning: code.meaning().to_owned(),
                code: code.0,
            },
            E::OutcomeUnknown {
                txn,
                kind,
                reason,
                reversing,
            } => TerminalEvent::OutcomeUnknown {
                txn: txn.into(),
                kind: kind.into(),
                reason: reason.into(),
                reversing,
            },
            E::Reversed { txn, kind } => TerminalEvent::Reversed {
                txn: txn.into(),
                kind: kind.into(),
            },
            E::BatchSettled {
                batch,
                totals,
                uploaded,
            } => TerminalEvent::BatchSettled {
                batch: batch.value(),
                totals: totals.into(),
                uploaded,
            },
            E::SignedOff => TerminalEvent::SignedOff,
            E::EchoAnswered { ok } => TerminalEvent::EchoAnswered { ok },
            E::SignOnDeclined { code } => TerminalEvent::SignOnDeclined { code: code.0 },
            E::SettlementDeclined { code } => TerminalEvent::SettlementDeclined { code: code.0 },
        }
    }
}

/// A completed transaction of the current batch (PAN masked).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct JournalEntry {
    /// Batch and STAN.
    pub txn: TxnRef,
    /// Kind.
    pub kind: TransactionKind,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// ISO 4217 numeric currency.
    pub currency: u16,
    /// PAN masked first 6 + last 4.
    pub pan_masked: String,
    /// Brand.
    pub brand: CardBrand,
    /// F38.
    pub auth_code: String,
    /// F37.
    pub rrn: String,
    /// Local date MMDD.
    pub date_mmdd: u16,
    /// Reversed after approval.
    pub reversed: bool,
}

/// Optional terminal settings (`terminalOptionsDefault()` gives the defaults).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TerminalOptions {
    /// Response timeout, ms (default 60 000).
    pub response_timeout_ms: u32,
    /// Reversal retransmission waits, ms (default 0, 5 000, 30 000, 60 000; last repeats).
    pub reversal_backoff_ms: Vec<u32>,
    /// Network UTC offset, seconds (default 28 800).
    pub cutoff_utc_offset_seconds: i32,
    /// Network day cut-off, seconds after local midnight (default 82 800 = 23:00).
    pub cutoff_seconds_of_day: u32,
}

/// The default terminal settings.
#[uniffi::export]
pub fn terminal_options_default() -> TerminalOptions {
    let c = core::CutOff::unionpay();
    TerminalOptions {
        response_timeout_ms: 60_000,
        reversal_backoff_ms: vec![0, 5_000, 30_000, 60_000],
        cutoff_utc_offset_seconds: c.utc_offset_seconds,
        cutoff_seconds_of_day: c.at.num_seconds_from_midnight(),
    }
}

/// A POS terminal session. Thread-safe (calls are serialised), but drive it from one place.
#[derive(uniffi::Object)]
pub struct TerminalSession(Mutex<core::TerminalSession>);

impl std::fmt::Debug for TerminalSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TerminalSession(<redacted>)")
    }
}

impl TerminalSession {
    fn lock(&self) -> MutexGuard<'_, core::TerminalSession> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl TerminalSession {
    /// A signed-off session. `terminalId`: 8, `merchantId`: 15 printable ASCII characters;
    /// `tmk`: the 16-byte terminal master key; `options`: null for the defaults.
    #[uniffi::constructor]
    pub fn new(
        terminal_id: String,
        merchant_id: String,
        tmk: Vec<u8>,
        options: Option<TerminalOptions>,
    ) -> Result<Arc<TerminalSession>, PaycoreError> {
        let mut tmk_bytes = tmk;
        let k = key::<16>(&tmk_bytes, "TMK");
        wipe(&mut tmk_bytes);
        let mut cfg = core::TerminalConfig::new(
            core::TerminalId::new(terminal_id)?,
            core::MerchantId::new(merchant_id)?,
            MasterKey::new(k?),
        );
        if let Some(o) = options {
            if o.response_timeout_ms == 0 || o.reversal_backoff_ms.len() > 32 {
                return Err(PaycoreError::LifecycleInvalidInput(
                    "response timeout must be positive and at most 32 back-off steps".into(),
                ));
            }
            cfg.response_timeout_ms = o.response_timeout_ms;
            if !o.reversal_backoff_ms.is_empty() {
                cfg.reversal_backoff_ms = o.reversal_backoff_ms;
            }
            cfg.cutoff = cutoff(o.cutoff_utc_offset_seconds, o.cutoff_seconds_of_day)?;
        }
        Ok(Arc::new(TerminalSession(Mutex::new(
            core::TerminalSession::new(cfg),
        ))))
    }

    /// Restores a session saved with `toJson()`.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<TerminalSession>, PaycoreError> {
        let s: core::TerminalSession = serde_json::from_str(&json)
            .map_err(|e| PaycoreError::LifecycleState(format!("saved terminal session: {e}")))?;
        Ok(Arc::new(TerminalSession(Mutex::new(s))))
    }

    /// The whole session as JSON (keys as hex and the journal's PANs included: encrypt it).
    pub fn to_json(&self) -> Result<String, PaycoreError> {
        serde_json::to_string(&*self.lock())
            .map_err(|e| PaycoreError::LifecycleState(format!("serialising: {e}")))
    }

    /// Starts a sign-on (0800).
    pub fn sign_on(&self, now_ms: i64) -> Result<(), PaycoreError> {
        Ok(self.lock().sign_on(time(now_ms)?)?)
    }

    /// Starts a sign-off (0820 `002`).
    pub fn sign_off(&self, now_ms: i64) -> Result<(), PaycoreError> {
        Ok(self.lock().sign_off(time(now_ms)?)?)
    }

    /// Starts an echo test (0820 `301`).
    pub fn echo(&self, now_ms: i64) -> Result<(), PaycoreError> {
        Ok(self.lock().echo(time(now_ms)?)?)
    }

    /// Starts the batch close (0500).
    pub fn settle(&self, now_ms: i64) -> Result<(), PaycoreError> {
        Ok(self.lock().settle(time(now_ms)?)?)
    }

    /// Starts a card transaction; returns its batch and STAN.
    pub fn begin(&self, now_ms: i64, request: TransactionRequest) -> Result<TxnRef, PaycoreError> {
        let req = core::TransactionRequest::try_from(request)?;
        Ok(self.lock().begin(time(now_ms)?, req)?.into())
    }

    /// Feeds a response frame (starting at the MTI).
    pub fn handle_response(&self, now_ms: i64, frame: Vec<u8>) -> Result<(), PaycoreError> {
        Ok(self.lock().handle_response(time(now_ms)?, &frame)?)
    }

    /// Call at (or after) `pollTimeout()`.
    pub fn handle_timeout(&self, now_ms: i64) -> Result<(), PaycoreError> {
        Ok(self.lock().handle_timeout(time(now_ms)?)?)
    }

    /// The app failed after an approval: reverse the last approved reversible transaction.
    pub fn handle_local_failure(&self, now_ms: i64) -> Result<(), PaycoreError> {
        Ok(self.lock().handle_local_failure(time(now_ms)?)?)
    }

    /// The next frame to send, or null.
    pub fn poll_transmit(&self) -> Option<Vec<u8>> {
        self.lock().poll_transmit()
    }

    /// The next event, or null.
    pub fn poll_event(&self) -> Option<TerminalEvent> {
        self.lock().poll_event().map(TerminalEvent::from)
    }

    /// When to call `handleTimeout` (Unix ms), or null.
    pub fn poll_timeout(&self) -> Option<i64> {
        self.lock().poll_timeout().map(|t| t.timestamp_millis())
    }

    /// Whether working keys are installed.
    pub fn is_signed_on(&self) -> bool {
        self.lock().is_signed_on()
    }

    /// Whether a reversal is outstanding.
    pub fn is_reversing(&self) -> bool {
        self.lock().is_reversing()
    }

    /// Whether any exchange is outstanding.
    pub fn is_busy(&self) -> bool {
        self.lock().is_busy()
    }

    /// Signed on and idle.
    pub fn is_ready(&self) -> bool {
        self.lock().is_ready()
    }

    /// The current batch, or null before the first sign-on.
    pub fn batch(&self) -> Option<u32> {
        self.lock().batch().map(|b| b.value())
    }

    /// The current batch's totals.
    pub fn totals(&self) -> BatchTotals {
        self.lock().totals().into()
    }

    /// The current batch's journal (PANs masked).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.lock()
            .journal()
            .iter()
            .map(|j| JournalEntry {
                txn: j.txn.into(),
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
}

// ---------------------------------------------------------------------------------------------
// Acquirer processor
// ---------------------------------------------------------------------------------------------

/// Identity of a terminal transaction at the host.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TxnKey {
    /// Terminal.
    pub terminal_id: String,
    /// Batch.
    pub batch: u32,
    /// STAN.
    pub stan: u32,
}

impl From<core::TxnKey> for TxnKey {
    fn from(k: core::TxnKey) -> Self {
        TxnKey {
            terminal_id: k.terminal_id.as_str().to_owned(),
            batch: k.batch.value(),
            stan: k.stan.value(),
        }
    }
}

/// Facts about one transaction, as domain events carry them (PAN masked).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EventData {
    /// Identity.
    pub key: TxnKey,
    /// Kind.
    pub kind: TransactionKind,
    /// Merchant.
    pub merchant_id: String,
    /// Masked PAN.
    pub pan_masked: String,
    /// Brand once known.
    pub brand: Option<CardBrand>,
    /// Debit/credit once known.
    pub card_type: Option<CardProfileType>,
    /// Channel.
    pub channel: CaptureChannel,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// ISO 4217 numeric currency.
    pub currency: u16,
    /// Request time, Unix ms.
    pub received_at_ms: i64,
    /// Event time, Unix ms.
    pub at_ms: i64,
    /// Network settlement date, `YYYY-MM-DD`.
    pub settlement_date: String,
    /// F38.
    pub auth_code: String,
    /// F37.
    pub rrn: String,
    /// The referenced original.
    pub original: Option<TxnKey>,
}

impl From<core::EventData> for EventData {
    fn from(d: core::EventData) -> Self {
        EventData {
            key: d.key.into(),
            kind: d.kind.into(),
            merchant_id: d.merchant_id.as_str().to_owned(),
            pan_masked: d.pan_masked,
            brand: d.card.map(|c| c.brand.into()),
            card_type: d.card.map(|c| c.card_type.into()),
            channel: d.channel.into(),
            amount_minor: d.amount.minor,
            currency: d.amount.currency,
            received_at_ms: d.received_at.timestamp_millis(),
            at_ms: d.at.timestamp_millis(),
            settlement_date: d.settlement_date.to_string(),
            auth_code: d.auth_code,
            rrn: d.rrn,
            original: d.original.map(TxnKey::from),
        }
    }
}

/// What the fee, settlement and ledger modules consume (a sealed class in Kotlin).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DomainEvent {
    /// A pre-auth was approved.
    Authorised {
        /// Facts.
        data: EventData,
    },
    /// Money moves to the merchant: sale, completion.
    Captured {
        /// Facts.
        data: EventData,
    },
    /// A void, completion void or pre-auth cancel took effect.
    Voided {
        /// Facts.
        data: EventData,
    },
    /// A refund was accepted.
    Refunded {
        /// Facts.
        data: EventData,
    },
    /// An approved transaction was reversed.
    Reversed {
        /// Facts.
        data: EventData,
    },
    /// Declined here or by the network.
    Declined {
        /// Facts.
        data: EventData,
        /// Why.
        reason: DeclineReason,
        /// F39 sent to the terminal.
        code: String,
    },
    /// A terminal batch was closed.
    BatchSettled {
        /// Terminal.
        terminal_id: String,
        /// Merchant.
        merchant_id: String,
        /// Batch.
        batch: u32,
        /// Host totals.
        host_totals: BatchTotals,
        /// Terminal totals.
        terminal_totals: BatchTotals,
        /// Whether a batch upload was needed.
        uploaded: bool,
        /// When, Unix ms.
        at_ms: i64,
    },
}

impl From<core::DomainEvent> for DomainEvent {
    fn from(e: core::DomainEvent) -> Self {
        use core::DomainEvent as E;
        match e {
            E::Authorised(d) => DomainEvent::Authorised { data: d.into() },
            E::Captured(d) => DomainEvent::Captured { data: d.into() },
            E::Voided(d) => DomainEvent::Voided { data: d.into() },
            E::Refunded(d) => DomainEvent::Refunded { data: d.into() },
            E::Reversed(d) => DomainEvent::Reversed { data: d.into() },
            E::Declined { data, reason, code } => DomainEvent::Declined {
                data: data.into(),
                reason: reason.into(),
                code,
            },
            E::BatchSettled {
                terminal_id,
                merchant_id,
                batch,
                host_totals,
                terminal_totals,
                uploaded,
                at,
            } => DomainEvent::BatchSettled {
                terminal_id: terminal_id.as_str().to_owned(),
                merchant_id: merchant_id.as_str().to_owned(),
                batch: batch.value(),
                host_totals: host_totals.into(),
                terminal_totals: terminal_totals.into(),
                uploaded,
                at_ms: at.timestamp_millis(),
            },
        }
    }
}

/// What the processor asks of the card network. The PAN is a `Pan` object (no `toString()`
/// leak); `pan.digits()` gives the digits for the network message.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum NetworkRequest {
    /// Authorise / notify a transaction.
    Transaction {
        /// Correlation id: answer with the same id.
        id: u64,
        /// Kind.
        kind: TransactionKind,
        /// Amount, minor units.
        amount_minor: i64,
        /// ISO 4217 numeric currency.
        currency: u16,
        /// Card number.
        pan: Arc<PanObject>,
        /// Terminal.
        terminal_id: String,
        /// Merchant.
        merchant_id: String,
        /// Network id of the original (void/refund/completion).
        original_network_id: Option<u64>,
    },
    /// Reverse an earlier request (answer with `handleNetworkReversalAck(id)`).
    Reversal {
        /// Correlation id.
        id: u64,
        /// The id of the request to reverse.
        reverses: u64,
    },
}

impl TryFrom<core::NetworkRequest> for NetworkRequest {
    type Error = PaycoreError;
    fn try_from(r: core::NetworkRequest) -> Result<Self, PaycoreError> {
        Ok(match r.body {
            core::NetworkRequestBody::Transaction {
                kind,
                amount,
                pan,
                terminal_id,
                merchant_id,
                original_network_id,
            } => NetworkRequest::Transaction {
                id: r.id,
                kind: kind.into(),
                amount_minor: amount.minor,
                currency: amount.currency,
                pan: PanObject::new(pan.digits().to_owned())?,
                terminal_id: terminal_id.as_str().to_owned(),
                merchant_id: merchant_id.as_str().to_owned(),
                original_network_id,
            },
            core::NetworkRequestBody::Reversal { reverses } => {
                NetworkRequest::Reversal { id: r.id, reverses }
            }
        })
    }
}

/// The network's answer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum NetworkOutcome {
    /// Approved.
    Approved {
        /// F38 authorisation code.
        auth_code: String,
        /// Network settlement date `YYYY-MM-DD`; null = the processor's cut-off.
        settlement_date: Option<String>,
        /// Card brand.
        brand: CardBrand,
        /// Debit or credit.
        card_type: CardProfileType,
        /// Balance for an inquiry, minor units.
        balance: Option<i64>,
    },
    /// Declined with an F39 code.
    Declined {
        /// F39.
        code: String,
    },
}

/// A frame for one terminal.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TerminalFrame {
    /// The terminal to send it to.
    pub terminal_id: String,
    /// The frame, starting at the MTI.
    pub frame: Vec<u8>,
}

/// Processor settings (`processorOptionsDefault()` gives the defaults).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProcessorOptions {
    /// Network UTC offset, seconds (default 28 800).
    pub cutoff_utc_offset_seconds: i32,
    /// Network day cut-off, seconds after local midnight (default 82 800).
    pub cutoff_seconds_of_day: u32,
    /// Pre-auth window, days (default 30).
    pub preauth_window_days: u32,
    /// Completion tolerance, basis points (default 0).
    pub completion_tolerance_bp: u32,
    /// Network timeout, ms (default 30 000).
    pub network_timeout_ms: u32,
    /// Network reversal retry, ms (default 10 000).
    pub network_reversal_retry_ms: u32,
}

/// The default processor settings.
#[uniffi::export]
pub fn processor_options_default() -> ProcessorOptions {
    let d = core::ProcessorConfig::default();
    ProcessorOptions {
        cutoff_utc_offset_seconds: d.cutoff.utc_offset_seconds,
        cutoff_seconds_of_day: d.cutoff.at.num_seconds_from_midnight(),
        preauth_window_days: d.preauth_window_days,
        completion_tolerance_bp: d.completion_tolerance_bp,
        network_timeout_ms: d.network_timeout_ms,
        network_reversal_retry_ms: d.network_reversal_retry_ms,
    }
}

/// An acquirer processor over an in-memory transaction store.
#[derive(uniffi::Object)]
pub struct AcquirerProcessor(Mutex<core::AcquirerProcessor<core::InMemoryStore>>);

impl std::fmt::Debug for AcquirerProcessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AcquirerProcessor(<redacted>)")
    }
}

impl AcquirerProcessor {
    fn lock(&self) -> MutexGuard<'_, core::AcquirerProcessor<core::InMemoryStore>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl AcquirerProcessor {
    /// A processor with an empty store; `options` null = defaults.
    #[uniffi::constructor]
    pub fn new(options: Option<ProcessorOptions>) -> Result<Arc<AcquirerProcessor>, PaycoreError> {
        let mut cfg = core::ProcessorConfig::default();
        if let Some(o) = options {
            cfg.cutoff = cutoff(o.cutoff_utc_offset_seconds, o.cutoff_seconds_of_day)?;
            cfg.preauth_window_days = o.preauth_window_days;
            cfg.completion_tolerance_bp = o.completion_tolerance_bp;
            cfg.network_timeout_ms = o.network_timeout_ms;
            cfg.network_reversal_retry_ms = o.network_reversal_retry_ms;
        }
        Ok(Arc::new(AcquirerProcessor(Mutex::new(
            core::AcquirerProcessor::new(cfg, core::InMemoryStore::default()),
        ))))
    }

    /// Restores a processor saved with `toJson()`.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<AcquirerProcessor>, PaycoreError> {
        let p: core::AcquirerProcessor<core::InMemoryStore> = serde_json::from_str(&json)
            .map_err(|e| PaycoreError::LifecycleState(format!("saved processor: {e}")))?;
        Ok(Arc::new(AcquirerProcessor(Mutex::new(p))))
    }

    /// The whole processor as JSON (terminal keys as hex and the store's PANs: encrypt it).
    pub fn to_json(&self) -> Result<String, PaycoreError> {
        serde_json::to_string(&*self.lock())
            .map_err(|e| PaycoreError::LifecycleState(format!("serialising: {e}")))
    }

    /// Registers (or replaces) a terminal with its merchant and 16-byte TMK.
    pub fn register_terminal(
        &self,
        terminal_id: String,
        merchant_id: String,
        tmk: Vec<u8>,
    ) -> Result<(), PaycoreError> {
        let mut tmk_bytes = tmk;
        let k = key::<16>(&tmk_bytes, "TMK");
        wipe(&mut tmk_bytes);
        let profile = core::TerminalProfile {
            terminal_id: core::TerminalId::new(terminal_id)?,
            merchant_id: core::MerchantId::new(merchant_id)?,
            tmk: MasterKey::new(k?),
        };
        self.lock().register_terminal(profile);
        Ok(())
    }

    /// The working keys the terminal's next sign-on delivers: 16-byte PIK, 8-byte MAK.
    pub fn provide_working_keys(
        &self,
        terminal_id: String,
        pik: Vec<u8>,
        mak: Vec<u8>,
    ) -> Result<(), PaycoreError> {
        let (mut pik, mut mak) = (pik, mak);
        let keys = key::<16>(&pik, "PIK").and_then(|p| {
            Ok(WorkingKeys {
                pik: PinKey::new(p),
                mak: MacKey::new(key::<8>(&mak, "MAK")?),
            })
        });
        wipe(&mut pik);
        wipe(&mut mak);
        let tid = core::TerminalId::new(terminal_id)?;
        Ok(self.lock().provide_working_keys(&tid, keys?)?)
    }

    /// Feeds a frame from a terminal.
    pub fn handle_terminal(&self, now_ms: i64, frame: Vec<u8>) -> Result<(), PaycoreError> {
        Ok(self.lock().handle_terminal(time(now_ms)?, &frame)?)
    }

    /// Feeds the network's answer to request `id`.
    pub fn handle_network_response(
        &self,
        now_ms: i64,
        id: u64,
        outcome: NetworkOutcome,
    ) -> Result<(), PaycoreError> {
        let outcome = match outcome {
            NetworkOutcome::Approved {
                auth_code,
                settlement_date,
                brand,
                card_type,
                balance,
            } => core::NetworkOutcome::Approved {
                auth_code,
                settlement_date: settlement_date
                    .map(|d| {
                        NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
                            PaycoreError::LifecycleInvalidInput(format!(
                                "settlement date {d:?} is not YYYY-MM-DD"
                            ))
                        })
                    })
                    .transpose()?,
                card: core::CardProfile {
                    brand: brand.into(),
                    card_type: card_type.into(),
                },
                balance,
            },
            NetworkOutcome::Declined { code } => core::NetworkOutcome::Declined { code },
        };
        Ok(self
            .lock()
            .handle_network_response(time(now_ms)?, core::NetworkResponse { id, outcome })?)
    }

    /// The network acknowledged reversal request `id`.
    pub fn handle_network_reversal_ack(&self, now_ms: i64, id: u64) -> Result<(), PaycoreError> {
        Ok(self.lock().handle_network_reversal_ack(time(now_ms)?, id)?)
    }

    /// Call at (or after) `pollTimeout()`.
    pub fn handle_timeout(&self, now_ms: i64) -> Result<(), PaycoreError> {
        Ok(self.lock().handle_timeout(time(now_ms)?)?)
    }

    /// The next frame for a terminal, or null.
    pub fn poll_terminal_transmit(&self) -> Option<TerminalFrame> {
        self.lock()
            .poll_terminal_transmit()
            .map(|(tid, frame)| TerminalFrame {
                terminal_id: tid.as_str().to_owned(),
                frame,
            })
    }

    /// The next request for the network, or null.
    pub fn poll_network_request(&self) -> Result<Option<NetworkRequest>, PaycoreError> {
        self.lock()
            .poll_network_request()
            .map(NetworkRequest::try_from)
            .transpose()
    }

    /// The next domain event, or null.
    pub fn poll_event(&self) -> Option<DomainEvent> {
        self.lock().poll_event().map(DomainEvent::from)
    }

    /// When to call `handleTimeout` (Unix ms), or null.
    pub fn poll_timeout(&self) -> Option<i64> {
        self.lock().poll_timeout().map(|t| t.timestamp_millis())
    }

    /// Nothing outstanding towards the network.
    pub fn is_idle(&self) -> bool {
        self.lock().is_idle()
    }

    /// The host's totals of a terminal's batch.
    pub fn batch_totals(
        &self,
        terminal_id: String,
        batch: u32,
    ) -> Result<BatchTotals, PaycoreError> {
        let tid = core::TerminalId::new(terminal_id)?;
        Ok(self
            .lock()
            .batch_totals(&tid, core::BatchNo::new(batch)?)
            .into())
    }
}
