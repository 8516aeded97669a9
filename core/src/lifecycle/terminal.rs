//! The terminal session: what a POS app embeds.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::error::{LifecycleError, ResponseCode};
use super::keys::{self, MasterKey, WorkingKeys};
use super::settlement_date::CutOff;
use super::totals::{BatchTotals, SettleResult};
use super::types::{
    Amount, BatchNo, CardBrand, EntryMode, MerchantId, Pan, Stan, TerminalId, TotalsSide, Track2,
    TransactionKind, TxnRef,
};
use super::wire::Message;

/// Static configuration of a terminal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalConfig {
    /// F41.
    pub terminal_id: TerminalId,
    /// F42.
    pub merchant_id: MerchantId,
    /// The master key loaded at the factory or by remote key loading; unwraps F62 at sign-on.
    pub tmk: MasterKey,
    /// How long to wait for any response before declaring it lost, in milliseconds.
    pub response_timeout_ms: u32,
    /// Waits before successive reversal retransmissions (the last one repeats forever).
    pub reversal_backoff_ms: Vec<u32>,
    /// The network's cut-off, to stamp F12/F13 in the network's local time.
    pub cutoff: CutOff,
}

impl TerminalConfig {
    /// A configuration with the customary 60 s timeout and a 0/5/30/60 s reversal schedule.
    pub fn new(terminal_id: TerminalId, merchant_id: MerchantId, tmk: MasterKey) -> Self {
        TerminalConfig {
            terminal_id,
            merchant_id,
            tmk,
            response_timeout_ms: 60_000,
            reversal_backoff_ms: vec![0, 5_000, 30_000, 60_000],
            cutoff: CutOff::unionpay(),
        }
    }
}

/// How the card was presented.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardInput {
    /// F2.
    pub pan: Pan,
    /// F35: track 2 as read from the stripe, or the chip's track 2 equivalent (tag 57). Sent
    /// with F14 (its expiry) when present; its PAN must be the F2 PAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track2: Option<Track2>,
    /// F22 digits 1–2.
    pub entry_mode: EntryMode,
    /// F52, already encrypted under the PIK by the PIN pad; `None` if no PIN was entered.
    pub pin_block: Option<[u8; 8]>,
    /// F55 EMV data (BER-TLV), up to 255 bytes.
    pub icc_data: Option<Vec<u8>>,
    /// F23 card sequence number.
    pub card_sequence: Option<u16>,
}

/// The transaction an earlier one refers to (F61, F37, F38).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginalRef {
    /// Original batch and STAN.
    pub txn: TxnRef,
    /// Original local date MMDD (61.3).
    pub date_mmdd: u16,
    /// Original RRN (F37), if known.
    pub rrn: Option<String>,
    /// Original authorisation code (F38), if known.
    pub auth_code: Option<String>,
}

/// What the operator asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRequest {
    /// Which transaction.
    pub kind: TransactionKind,
    /// Amount (ignored for a balance inquiry).
    pub amount: Amount,
    /// The card.
    pub card: CardInput,
    /// Required for void, refund, completion, completion void and pre-auth cancel.
    pub original: Option<OriginalRef>,
}

/// A transaction the terminal has completed in the current batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Batch and STAN.
    pub txn: TxnRef,
    /// Kind.
    pub kind: TransactionKind,
    /// Amount.
    pub amount: Amount,
    /// Card number (for batch upload and refunds).
    pub pan: Pan,
    /// Brand reported by the host (F63.1).
    pub brand: CardBrand,
    /// Authorisation code.
    pub auth_code: String,
    /// Retrieval reference number.
    pub rrn: String,
    /// Local date MMDD of the request.
    pub date_mmdd: u16,
    /// Reversed after approval (by a local failure); excluded from totals.
    pub reversed: bool,
}

/// Why an outcome is unknown and a reversal was started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnknownOutcome {
    /// No response within the timeout (F39 `98`).
    Timeout,
    /// The response's MAC was absent or wrong (F39 `A0`).
    MacError,
    /// The app failed after the approval, e.g. the card declined the second GENERATE AC (`06`).
    LocalFailure,
}

impl UnknownOutcome {
    fn f39(self) -> &'static str {
        match self {
            UnknownOutcome::Timeout => "98",
            UnknownOutcome::MacError => "A0",
            UnknownOutcome::LocalFailure => "06",
        }
    }
}

/// What the session tells the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TerminalEvent {
    /// Working keys installed; `batch` is the host's current batch.
    SignedOn {
        /// Batch number to use.
        batch: BatchNo,
    },
    /// Approved: print the receipt.
    Approved {
        /// Batch and STAN.
        txn: TxnRef,
        /// Kind.
        kind: TransactionKind,
        /// Amount.
        amount: Amount,
        /// F38.
        auth_code: String,
        /// F37.
        rrn: String,
        /// F63.1.
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
        /// F39 and its meaning.
        code: ResponseCode,
    },
    /// The outcome is unknown; for a reversible request a reversal is now outstanding.
    OutcomeUnknown {
        /// Batch and STAN.
        txn: TxnRef,
        /// Kind.
        kind: TransactionKind,
        /// Why.
        reason: UnknownOutcome,
        /// Whether a reversal was started (false for a balance inquiry).
        reversing: bool,
    },
    /// The host acknowledged the reversal: the transaction is void everywhere.
    Reversed {
        /// Batch and STAN.
        txn: TxnRef,
        /// Kind.
        kind: TransactionKind,
    },
    /// Batch closed and reconciled; the session moved to the next batch.
    BatchSettled {
        /// The settled batch.
        batch: BatchNo,
        /// Its totals.
        totals: BatchTotals,
        /// Whether a batch upload was needed.
        uploaded: bool,
    },
    /// Signed off: working keys erased.
    SignedOff,
    /// Answer to an echo test (`ok = false`: no answer or not `00`).
    EchoAnswered {
        /// Whether the host answered `00`.
        ok: bool,
    },
    /// The host refused the sign-on.
    SignOnDeclined {
        /// F39.
        code: ResponseCode,
    },
    /// Settlement or batch upload failed on a host decline.
    SettlementDeclined {
        /// F39.
        code: ResponseCode,
    },
}

/// A request waiting for its response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct InFlight {
    txn: TxnRef,
    request: TransactionRequest,
    date_mmdd: u16,
    message: Message,
    deadline: DateTime<Utc>,
    on_timeout: TimeoutPolicy,
}

/// What a lost response means for a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum TimeoutPolicy {
    /// Reversible: the reversal is armed before the request leaves (boxed: a message is
    /// large; serialised as the bare reversal).
    Reverse(Box<Reversal>),
    /// A notification (refund): repeat it until answered; the host is idempotent on STAN.
    Repeat,
    /// A balance inquiry: nothing moved, just report.
    GiveUp,
}

/// An armed or outstanding reversal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Reversal {
    txn: TxnRef,
    kind: TransactionKind,
    /// The 0400 without F39 and MAC.
    message: Message,
}

/// Where an outstanding reversal is in its retry schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum ReversalPhase {
    /// Will (re)send at this time.
    WaitingToSend { at: DateTime<Utc> },
    /// Sent; declared lost at the deadline.
    AwaitingAck { deadline: DateTime<Utc> },
}

/// Batch close progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum SettlePhase {
    /// 0500 sent.
    Settling { uploaded: bool },
    /// 0320 of journal entries `from..` sent.
    Uploading { from: usize },
    /// 0320 upload-end sent.
    UploadEnd,
}

/// Network-management exchanges (0820/0830).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum AdminKind {
    /// 60.3 = `002`.
    SignOff,
    /// 60.3 = `301`.
    Echo,
}

/// The session's state. Each variant carries what that state needs and nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum State {
    /// No working keys.
    SignedOff,
    /// 0800 sent.
    SigningOn { stan: Stan, deadline: DateTime<Utc> },
    /// Idle; `last_reversible` is the last approved reversible transaction, which a local
    /// failure can still reverse until the next request starts.
    Ready { last_reversible: Option<Reversal> },
    /// A financial request is outstanding.
    InFlight(Box<InFlight>),
    /// A reversal is outstanding; nothing else may be sent.
    Reversing {
        reversal: Reversal,
        phase: ReversalPhase,
        attempts: u32,
        reason: UnknownOutcome,
    },
    /// Sign-off or echo outstanding.
    Admin {
        stan: Stan,
        kind: AdminKind,
        deadline: DateTime<Utc>,
    },
    /// Batch close in progress.
    Settling {
        stan: Stan,
        message: Message,
        deadline: DateTime<Utc>,
        phase: SettlePhase,
    },
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            State::SignedOff => "signed off",
            State::SigningOn { .. } => "signing on",
            State::Ready { .. } => "ready",
            State::InFlight(_) => "a request is outstanding",
            State::Reversing { .. } => "a reversal is outstanding",
            State::Settling { .. } => "settling the batch",
            State::Admin { .. } => "a network-management exchange is outstanding",
        }
    }
}

/// The terminal side of the lifecycle. Drive it with `sign_on`, `begin`, `settle`,
/// `handle_response`, `handle_timeout`, `handle_local_failure`; drain `poll_transmit`,
/// `poll_event`; arm a timer at `poll_timeout`.
///
/// ```
/// use paycore::lifecycle::*;
/// use paycore::lifecycle::keys::MasterKey;
/// use chrono::{TimeZone, Utc};
/// let cfg = TerminalConfig::new(
///     TerminalId::new("12345678").unwrap(),
///     MerchantId::new("898100012340001").unwrap(),
///     MasterKey::new([0x11; 16]),
/// );
/// let mut s = TerminalSession::new(cfg);
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 2, 0, 0).unwrap();
/// s.sign_on(now).unwrap();
/// let frame = s.poll_transmit().unwrap(); // send the 0800 to the host
/// assert_eq!(&frame[..2], &[0x08, 0x00]);
/// assert!(s.poll_timeout().is_some());
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalSession {
    config: TerminalConfig,
    keys: Option<WorkingKeys>,
    next_stan: Stan,
    batch: Option<BatchNo>,
    state: State,
    journal: Vec<JournalEntry>,
    outbox: VecDeque<Vec<u8>>,
    events: VecDeque<TerminalEvent>,
    /// Running totals of `journal` (derived data: not serialised, rebuilt when missing).
    #[serde(skip)]
    running: RunningTotals,
}

/// The journal's totals kept up to date as entries are added, so that starting a transaction
/// does not rescan the batch. A cache: `None` means "recompute", and it never takes part in
/// equality.
#[derive(Clone, Debug, Default)]
struct RunningTotals(Option<BatchTotals>);

impl PartialEq for RunningTotals {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RunningTotals {}

/// Batch upload records per 0320 message.
const UPLOAD_PER_MESSAGE: usize = 8;

impl TerminalSession {
    /// A signed-off session.
    pub fn new(config: TerminalConfig) -> Self {
        TerminalSession {
            config,
            keys: None,
            next_stan: Stan::FIRST,
            batch: None,
            state: State::SignedOff,
            journal: Vec::new(),
            outbox: VecDeque::new(),
            events: VecDeque::new(),
            running: RunningTotals(Some(BatchTotals::default())),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &TerminalConfig {
        &self.config
    }

    /// The current batch number (after the first sign-on).
    pub fn batch(&self) -> Option<BatchNo> {
        self.batch
    }

    /// The completed transactions of the current batch.
    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    /// Whether the session is idle and signed on.
    pub fn is_ready(&self) -> bool {
        matches!(self.state, State::Ready { .. })
    }

    /// Whether working keys are installed (a sign-on succeeded).
    pub fn is_signed_on(&self) -> bool {
        self.keys.is_some()
    }

    /// Whether a reversal is outstanding.
    pub fn is_reversing(&self) -> bool {
        matches!(self.state, State::Reversing { .. })
    }

    /// Whether anything is waiting for the host (request, reversal, settlement).
    pub fn is_busy(&self) -> bool {
        !matches!(self.state, State::Ready { .. } | State::SignedOff)
    }

    /// Totals of the current batch, as the 0500 will report them.
    pub fn totals(&self) -> BatchTotals {
        self.running.0.unwrap_or_else(|| self.journal_totals())
    }

    /// The totals, computed once and then kept up to date.
    fn running_totals(&mut self) -> BatchTotals {
        if let Some(t) = self.running.0 {
            return t;
        }
        let t = self.journal_totals();
        self.running.0 = Some(t);
        t
    }

    fn journal_totals(&self) -> BatchTotals {
        let mut t = BatchTotals::default();
        for e in self.journal.iter().filter(|e| !e.reversed) {
            if let Some(side) = e.kind.totals_side() {
                t.apply(e.brand.is_domestic(), side, e.amount.minor, 1);
            }
        }
        t
    }

    /// Next frame to send (starts at the MTI; add length/TPDU/header in the transport).
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.outbox.pop_front()
    }

    /// Next event for the app.
    pub fn poll_event(&mut self) -> Option<TerminalEvent> {
        self.events.pop_front()
    }

    /// When `handle_timeout` must be called, if a timer is running.
    pub fn poll_timeout(&self) -> Option<DateTime<Utc>> {
        match &self.state {
            State::SignedOff | State::Ready { .. } => None,
            State::SigningOn { deadline, .. }
            | State::Settling { deadline, .. }
            | State::Admin { deadline, .. } => Some(*deadline),
            State::InFlight(f) => Some(f.deadline),
            State::Reversing { phase, .. } => Some(match phase {
                ReversalPhase::WaitingToSend { at } => *at,
                ReversalPhase::AwaitingAck { deadline } => *deadline,
            }),
        }
    }

    fn take_stan(&mut self) -> Stan {
        let s = self.next_stan;
        self.next_stan = s.next();
        s
    }

    fn deadline(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::milliseconds(i64::from(self.config.response_timeout_ms))
    }

    fn header(&self, mti: u16, stan: Stan, now: DateTime<Utc>) -> Message {
        let local = self.config.cutoff.local(now);
        let mut m = Message::new(mti);
        m.set_num(11, u64::from(stan.value()));
        m.set_local_time(local);
        m.set(41, self.config.terminal_id.as_str());
        m.set(42, self.config.merchant_id.as_str());
        m
    }

    fn mac_and_queue(&mut self, m: &Message) -> Result<(), LifecycleError> {
        let frame = self.finish_mac(m)?;
        self.outbox.push_back(frame);
        Ok(())
    }

    /// Starts a sign-on (0800, 60.3 = `003` double-length keys). Allowed when signed off or
    /// idle; re-signing on also clears a pending `77` situation.
    pub fn sign_on(&mut self, now: DateTime<Utc>) -> Result<(), LifecycleError> {
        if !matches!(self.state, State::SignedOff | State::Ready { .. }) {
            return Err(LifecycleError::IllegalState {
                operation: "sign-on",
                state: self.state.name(),
            });
        }
        let stan = self.take_stan();
        let mut m = self.header(800, stan, now);
        let batch = self.batch.map_or(0, BatchNo::value);
        m.set(60, format!("00{batch:06}003"));
        m.set(63, "001");
        self.outbox.push_back(m.encode()?);
        self.state = State::SigningOn {
            stan,
            deadline: self.deadline(now),
        };
        Ok(())
    }

    /// Signs off (0820, 60.3 = `002`); the working keys are erased when the host answers or
    /// the answer times out.
    pub fn sign_off(&mut self, now: DateTime<Utc>) -> Result<(), LifecycleError> {
        self.admin(now, AdminKind::SignOff)
    }

    /// Echo test (0820, 60.3 = `301`), to check the link to the host.
    pub fn echo(&mut self, now: DateTime<Utc>) -> Result<(), LifecycleError> {
        self.admin(now, AdminKind::Echo)
    }

    fn admin(&mut self, now: DateTime<Utc>, kind: AdminKind) -> Result<(), LifecycleError> {
        if !matches!(self.state, State::Ready { .. }) {
            return Err(LifecycleError::IllegalState {
                operation: "network management",
                state: self.state.name(),
            });
        }
        let stan = self.take_stan();
        let mut m = self.header(820, stan, now);
        let batch = self.batch.map_or(0, BatchNo::value);
        let code = match kind {
            AdminKind::SignOff => "002",
            AdminKind::Echo => "301",
        };
        m.set(60, format!("00{batch:06}{code}"));
        self.outbox.push_back(m.encode()?);
        self.state = State::Admin {
            stan,
            kind,
            deadline: self.deadline(now),
        };
        Ok(())
    }

    /// Starts a card transaction; returns its STAN. Refused unless idle and signed on.
    pub fn begin(
        &mut self,
        now: DateTime<Utc>,
        req: TransactionRequest,
    ) -> Result<TxnRef, LifecycleError> {
        if !matches!(self.state, State::Ready { .. }) {
            return Err(LifecycleError::IllegalState {
                operation: "a transaction",
                state: self.state.name(),
            });
        }
        let batch = self.batch.ok_or(LifecycleError::IllegalState {
            operation: "a transaction",
            state: "signed off",
        })?;
        if req.kind.needs_original() != req.original.is_some() {
            return Err(LifecycleError::InvalidRequest {
                reason: "original data is required exactly for void, refund, completion and cancel",
            });
        }
        if req.kind != TransactionKind::BalanceInquiry && req.amount.minor == 0 {
            return Err(LifecycleError::InvalidRequest {
                reason: "amount must be positive",
            });
        }
        if req
            .card
            .track2
            .as_ref()
            .is_some_and(|t| t.pan() != &req.card.pan)
        {
            return Err(LifecycleError::InvalidRequest {
                reason: "the track 2 PAN differs from the F2 PAN",
            });
        }
        if req.card.icc_data.as_ref().is_some_and(|d| d.len() > 255) {
            return Err(LifecycleError::InvalidRequest {
                reason: "F55 longer than 255 bytes",
            });
        }
        if let Some(side) = req.kind.totals_side() {
            // F48 carries n3 counts and n12 amounts: a full batch must be settled first.
            let t = self.running_totals();
            let full = [t.domestic, t.foreign].iter().any(|o| match side {
                TotalsSide::Debit => {
                    o.debit_count >= 999 || o.debit_amount + req.amount.minor > Amount::MAX_MINOR
                }
                TotalsSide::Credit => {
                    o.credit_count >= 999 || o.credit_amount + req.amount.minor > Amount::MAX_MINOR
                }
            });
            if full {
                return Err(LifecycleError::IllegalState {
                    operation: "a transaction",
                    state: "the batch is full (F48 limits); settle first",
                });
            }
        }
        let stan = self.take_stan();
        let txn = TxnRef { batch, stan };
        let kind = req.kind;
        let mut m = self.header(kind.mti(), stan, now);
        m.set(2, req.card.pan.digits());
        m.set_num(3, u64::from(kind.processing_code()));
        if kind != TransactionKind::BalanceInquiry {
            m.set_num(4, req.amount.minor as u64);
        }
        if let Some(t2) = &req.card.track2 {
            m.set(14, t2.expiry().yymm());
            m.set(35, t2.to_field35());
        }
        let pin = if req.card.pin_block.is_some() { 1 } else { 2 };
        m.set(22, format!("{:02}{pin}", req.card.entry_mode.code()));
        if let Some(seq) = req.card.card_sequence {
            m.set_num(23, u64::from(seq % 1000));
        }
        m.set_num(25, u64::from(kind.condition_code()));
        if let Some(pb) = req.card.pin_block {
            m.set_num(26, 12);
            m.set(52, pb);
            m.set(53, "2600000000000000");
        }
        if let Some(o) = &req.original {
            if let Some(rrn) = &o.rrn {
                m.set(37, rrn.as_str());
            }
            if let Some(ac) = &o.auth_code {
                m.set(38, ac.as_str());
            }
        }
        m.set(49, format!("{:03}", req.amount.currency));
        if let Some(icc) = &req.card.icc_data {
            m.set(55, icc.clone());
        }
        let cap = match req.card.entry_mode {
            EntryMode::Chip => '5',
            EntryMode::Contactless => '6',
            _ => '2',
        };
        m.set(
            60,
            format!("{:02}{:06}000{cap}0", kind.type_code(), batch.value()),
        );
        if let Some(o) = &req.original {
            m.set(
                61,
                format!(
                    "{:06}{:06}{:04}",
                    o.txn.batch.value(),
                    o.txn.stan.value(),
                    o.date_mmdd
                ),
            );
        }
        // Encode (and so validate) before committing to any state change.
        let frame = self.finish_mac(&m)?;
        let on_timeout = if kind.is_reversible() {
            let mut r = m.clone();
            r.mti = 400;
            for f in [12, 13, 26, 37, 52, 53] {
                r.remove(f);
            }
            TimeoutPolicy::Reverse(Box::new(Reversal {
                txn,
                kind,
                message: r,
            }))
        } else if kind == TransactionKind::Refund {
            TimeoutPolicy::Repeat
        } else {
            TimeoutPolicy::GiveUp
        };
        let date_mmdd = m.num(13).unwrap_or(0) as u16;
        self.outbox.push_back(frame);
        self.state = State::InFlight(Box::new(InFlight {
            txn,
            request: req,
            date_mmdd,
            message: m,
            deadline: self.deadline(now),
            on_timeout,
        }));
        Ok(txn)
    }

    /// Starts batch close (0500 with the F48 totals). Refused while anything is outstanding.
    pub fn settle(&mut self, now: DateTime<Utc>) -> Result<(), LifecycleError> {
        if !matches!(self.state, State::Ready { .. }) {
            return Err(LifecycleError::IllegalState {
                operation: "batch settlement",
                state: self.state.name(),
            });
        }
        self.send_settle(now, false)
    }

    fn send_settle(&mut self, now: DateTime<Utc>, uploaded: bool) -> Result<(), LifecycleError> {
        let batch = self.batch.ok_or(LifecycleError::IllegalState {
            operation: "batch settlement",
            state: "signed off",
        })?;
        let stan = self.take_stan();
        let mut m = self.header(500, stan, now);
        m.set(48, self.totals().to_f48(None)?);
        m.set(49, "156");
        m.set(60, format!("00{:06}201", batch.value()));
        m.set(63, "001");
        self.mac_and_queue(&m)?;
        self.state = State::Settling {
            stan,
            message: m,
            deadline: self.deadline(now),
            phase: SettlePhase::Settling { uploaded },
        };
        Ok(())
    }

    fn send_upload(&mut self, now: DateTime<Utc>, from: usize) -> Result<(), LifecycleError> {
        let batch = self.batch.ok_or(LifecycleError::IllegalState {
            operation: "batch upload",
            state: "signed off",
        })?;
        let stan = self.take_stan();
        let uploadable: Vec<&JournalEntry> = self
            .journal
            .iter()
            .filter(|e| !e.reversed && e.kind.totals_side().is_some())
            .collect();
        let mut m = self.header(320, stan, now);
        let phase = if from < uploadable.len() {
            let chunk = &uploadable[from..(from + UPLOAD_PER_MESSAGE).min(uploadable.len())];
            let mut f48 = format!("{:02}", chunk.len());
            for e in chunk {
                let origin = if e.brand.is_domestic() { "00" } else { "01" };
                f48.push_str(&format!(
                    "{origin}{:06}{:0<20}{:012}",
                    e.txn.stan.value(),
                    e.pan.digits(),
                    e.amount.minor
                ));
            }
            m.set(48, f48);
            m.set(60, format!("00{:06}201", batch.value()));
            SettlePhase::Uploading { from }
        } else {
            m.set(48, format!("{:04}", uploadable.len()));
            m.set(60, format!("00{:06}202", batch.value()));
            SettlePhase::UploadEnd
        };
        self.mac_and_queue(&m)?;
        self.state = State::Settling {
            stan,
            message: m,
            deadline: self.deadline(now),
            phase,
        };
        Ok(())
    }

    /// Reports that the app failed after the last approval (e.g. the card rejected the
    /// issuer's answer); reverses it. Only valid right after an approved reversible request.
    pub fn handle_local_failure(&mut self, now: DateTime<Utc>) -> Result<(), LifecycleError> {
        match &mut self.state {
            State::Ready { last_reversible } => {
                let Some(rev) = last_reversible.take() else {
                    return Err(LifecycleError::IllegalState {
                        operation: "local-failure reversal",
                        state: "no approved reversible transaction",
                    });
                };
                if let Some(e) = self.journal.iter_mut().find(|e| e.txn == rev.txn) {
                    e.reversed = true;
                    self.running = RunningTotals(None);
                }
                self.start_reversal(now, rev, UnknownOutcome::LocalFailure)
            }
            s => Err(LifecycleError::IllegalState {
                operation: "local-failure reversal",
                state: s.name(),
            }),
        }
    }

    fn start_reversal(
        &mut self,
        now: DateTime<Utc>,
        mut rev: Reversal,
        reason: UnknownOutcome,
    ) -> Result<(), LifecycleError> {
        rev.message.set(39, reason.f39());
        self.mac_and_queue(&rev.message)?;
        self.state = State::Reversing {
            reversal: rev,
            phase: ReversalPhase::AwaitingAck {
                deadline: self.deadline(now),
            },
            attempts: 1,
            reason,
        };
        Ok(())
    }

    /// Call when the timer from [`poll_timeout`](Self::poll_timeout) fires (calling early is
    /// harmless: nothing happens before the deadline).
    pub fn handle_timeout(&mut self, now: DateTime<Utc>) -> Result<(), LifecycleError> {
        let Some(due) = self.poll_timeout() else {
            return Ok(());
        };
        if now < due {
            return Ok(());
        }
        match std::mem::replace(&mut self.state, State::SignedOff) {
            State::SigningOn { .. } => {
                // Keys unchanged; the app may retry the sign-on.
                self.state = if self.keys.is_some() {
                    State::Ready {
                        last_reversible: None,
                    }
                } else {
                    State::SignedOff
                };
            }
            State::InFlight(mut f) => match f.on_timeout.clone() {
                TimeoutPolicy::Reverse(rev) => {
                    self.events.push_back(TerminalEvent::OutcomeUnknown {
                        txn: f.txn,
                        kind: f.request.kind,
                        reason: UnknownOutcome::Timeout,
                        reversing: true,
                    });
                    self.start_reversal(now, *rev, UnknownOutcome::Timeout)?;
                }
                TimeoutPolicy::Repeat => {
                    self.mac_and_queue(&f.message)?;
                    f.deadline = self.deadline(now);
                    self.state = State::InFlight(f);
                }
                TimeoutPolicy::GiveUp => {
                    self.events.push_back(TerminalEvent::OutcomeUnknown {
                        txn: f.txn,
                        kind: f.request.kind,
                        reason: UnknownOutcome::Timeout,
                        reversing: false,
                    });
                    self.state = State::Ready {
                        last_reversible: None,
                    };
                }
            },
            State::Reversing {
                reversal,
                phase,
                attempts,
                reason,
            } => {
                let phase = match phase {
                    ReversalPhase::AwaitingAck { .. } => {
                        let idx = (attempts as usize)
                            .saturating_sub(1)
                            .min(self.config.reversal_backoff_ms.len().saturating_sub(1));
                        let wait = self
                            .config
                            .reversal_backoff_ms
                            .get(idx)
                            .copied()
                            .unwrap_or(0);
                        ReversalPhase::WaitingToSend {
                            at: now + Duration::milliseconds(i64::from(wait)),
                        }
                    }
                    ReversalPhase::WaitingToSend { .. } => {
                        self.mac_and_queue(&reversal.message)?;
                        ReversalPhase::AwaitingAck {
                            deadline: self.deadline(now),
                        }
                    }
                };
                let attempts = if matches!(phase, ReversalPhase::AwaitingAck { .. }) {
                    attempts + 1
                } else {
                    attempts
                };
                self.state = State::Reversing {
                    reversal,
                    phase,
                    attempts,
                    reason,
                };
                // A zero wait resends at once.
                if let State::Reversing {
                    phase: ReversalPhase::WaitingToSend { at },
                    ..
                } = &self.state
                    && *at <= now
                {
                    return self.handle_timeout(now);
                }
            }
            State::Settling {
                stan,
                message,
                phase,
                ..
            } => {
                // Settlement messages are idempotent at the host: repeat as is.
                self.outbox.push_back(self.finish_mac(&message)?);
                self.state = State::Settling {
                    stan,
                    message,
                    deadline: self.deadline(now),
                    phase,
                };
            }
            State::Admin { kind, .. } => {
                // A lost 0830: sign-off takes effect locally anyway; an echo failed.
                self.finish_admin(kind, false);
            }
            s @ (State::SignedOff | State::Ready { .. }) => self.state = s,
        }
        Ok(())
    }

    /// A sign-off takes effect even when its 0830 is lost; an echo just reports whether the
    /// host answered.
    fn finish_admin(&mut self, kind: AdminKind, ok: bool) {
        match kind {
            AdminKind::SignOff => {
                self.keys = None;
                self.state = State::SignedOff;
                self.events.push_back(TerminalEvent::SignedOff);
            }
            AdminKind::Echo => {
                self.state = State::Ready {
                    last_reversible: None,
                };
                self.events.push_back(TerminalEvent::EchoAnswered { ok });
            }
        }
    }

    fn finish_mac(&self, m: &Message) -> Result<Vec<u8>, LifecycleError> {
        match &self.keys {
            Some(k) => keys::sign(m, &k.mak),
            None => Ok(m.encode()?),
        }
    }

    fn mac_ok(&self, frame: &[u8], m: &Message) -> Result<bool, LifecycleError> {
        Ok(self
            .keys
            .as_ref()
            .is_some_and(|k| keys::verify_frame(frame, m, &k.mak)))
    }

    fn check_common(&self, m: &Message, mti: u16, stan: Stan) -> Result<(), LifecycleError> {
        if m.mti != mti {
            return Err(LifecycleError::Mismatch { field: 0 });
        }
        if m.num(11) != Some(u64::from(stan.value())) {
            return Err(LifecycleError::Mismatch { field: 11 });
        }
        if m.text(41) != Some(self.config.terminal_id.as_str()) {
            return Err(LifecycleError::Mismatch { field: 41 });
        }
        if m.text(42)
            .is_some_and(|mid| mid != self.config.merchant_id.as_str())
        {
            return Err(LifecycleError::Mismatch { field: 42 });
        }
        Ok(())
    }

    /// Feeds a frame received from the host. A frame that does not belong to the outstanding
    /// exchange is rejected with an error and changes nothing.
    pub fn handle_response(
        &mut self,
        now: DateTime<Utc>,
        frame: &[u8],
    ) -> Result<(), LifecycleError> {
        let m = Message::decode(frame)?;
        match &self.state {
            State::SignedOff | State::Ready { .. } => {
                Err(LifecycleError::UnexpectedMessage { mti: m.mti })
            }
            State::SigningOn { stan, .. } => {
                let stan = *stan;
                self.check_common(&m, 810, stan)?;
                let code = m.text(39).ok_or(LifecycleError::Field {
                    field: 39,
                    offset: 0,
                    reason: "missing",
                })?;
                if code != "00" {
                    self.events.push_back(TerminalEvent::SignOnDeclined {
                        code: ResponseCode(code.to_string()),
                    });
                    self.state = if self.keys.is_some() {
                        State::Ready {
                            last_reversible: None,
                        }
                    } else {
                        State::SignedOff
                    };
                    return Ok(());
                }
                let f60 = m.text(60).ok_or(LifecycleError::Field {
                    field: 60,
                    offset: 0,
                    reason: "missing",
                })?;
                let batch =
                    f60.get(2..8)
                        .and_then(|b| b.parse().ok())
                        .ok_or(LifecycleError::Field {
                            field: 60,
                            offset: 2,
                            reason: "batch number",
                        })?;
                let batch = BatchNo::new(batch)?;
                let block = m.get(62).ok_or(LifecycleError::Field {
                    field: 62,
                    offset: 0,
                    reason: "missing key block",
                })?;
                let keys = keys::unwrap_working_keys(&self.config.tmk, block)?;
                self.keys = Some(keys);
                // Unsettled transactions keep their batch: it must be settled first.
                if self.journal.is_empty() {
                    self.batch = Some(batch);
                }
                let batch = self.batch.unwrap_or(batch);
                self.state = State::Ready {
                    last_reversible: None,
                };
                self.events.push_back(TerminalEvent::SignedOn { batch });
                Ok(())
            }
            State::InFlight(f) => {
                if m.mti == 410 {
                    return Err(LifecycleError::UnexpectedMessage { mti: 410 });
                }
                self.check_common(&m, f.request.kind.mti() + 10, f.txn.stan)?;
                if let Some(pc) = m.num(3)
                    && pc != u64::from(f.request.kind.processing_code())
                {
                    return Err(LifecycleError::Mismatch { field: 3 });
                }
                if f.request.kind != TransactionKind::BalanceInquiry
                    && let Some(a) = m.num(4)
                    && a != f.request.amount.minor as u64
                {
                    return Err(LifecycleError::Mismatch { field: 4 });
                }
                let code = m
                    .text(39)
                    .ok_or(LifecycleError::Field {
                        field: 39,
                        offset: 0,
                        reason: "missing",
                    })?
                    .to_string();
                let mac_present = m.has(64);
                let mac_ok = self.mac_ok(frame, &m)?;
                let f = match std::mem::replace(&mut self.state, State::SignedOff) {
                    State::InFlight(f) => f,
                    other => {
                        self.state = other;
                        return Err(LifecycleError::IllegalState {
                            operation: "response",
                            state: "no request outstanding",
                        });
                    }
                };
                if (code == "00" || mac_present) && !mac_ok {
                    // The answer cannot be trusted: treat as unknown.
                    return self.unknown_outcome(now, *f, UnknownOutcome::MacError);
                }
                if code != "00" {
                    self.events.push_back(TerminalEvent::Declined {
                        txn: f.txn,
                        kind: f.request.kind,
                        code: ResponseCode(code),
                    });
                    self.state = State::Ready {
                        last_reversible: None,
                    };
                    return Ok(());
                }
                let brand = m
                    .text(63)
                    .and_then(|s| s.get(..3))
                    .map_or(CardBrand::UnionPay, CardBrand::from_code);
                let auth_code = m.text(38).unwrap_or("").to_string();
                let rrn = m.text(37).unwrap_or("").to_string();
                let balance = m.text(54).and_then(parse_balance);
                let f = *f;
                self.events.push_back(TerminalEvent::Approved {
                    txn: f.txn,
                    kind: f.request.kind,
                    amount: f.request.amount,
                    auth_code: auth_code.clone(),
                    rrn: rrn.clone(),
                    brand,
                    balance,
                });
                let last_reversible = match f.on_timeout {
                    TimeoutPolicy::Reverse(r) => Some(*r),
                    _ => None,
                };
                if f.request.kind != TransactionKind::BalanceInquiry {
                    if let (Some(t), Some(side)) =
                        (&mut self.running.0, f.request.kind.totals_side())
                    {
                        t.apply(brand.is_domestic(), side, f.request.amount.minor, 1);
                    }
                    self.journal.push(JournalEntry {
                        txn: f.txn,
                        kind: f.request.kind,
                        amount: f.request.amount,
                        pan: f.request.card.pan,
                        brand,
                        auth_code,
                        rrn,
                        date_mmdd: f.date_mmdd,
                        reversed: false,
                    });
                }
                self.state = State::Ready { last_reversible };
                Ok(())
            }
            State::Reversing { reversal, .. } => {
                if m.mti != 410 {
                    if m.num(11) == Some(u64::from(reversal.txn.stan.value())) {
                        return Err(LifecycleError::LateResponse {
                            stan: reversal.txn.stan,
                        });
                    }
                    return Err(LifecycleError::UnexpectedMessage { mti: m.mti });
                }
                self.check_common(&m, 410, reversal.txn.stan)?;
                // Only an authenticated "done" counts: an unsigned `A0`/`96`/`77` means the
                // host did not process the reversal, so it must be sent again.
                if !self.mac_ok(frame, &m)? {
                    return Err(LifecycleError::MacInvalid);
                }
                match m.text(39) {
                    Some("00" | "25") => {}
                    _ => return Err(LifecycleError::ReversalNotAcknowledged),
                }
                let (txn, kind) = (reversal.txn, reversal.kind);
                self.events.push_back(TerminalEvent::Reversed { txn, kind });
                self.state = State::Ready {
                    last_reversible: None,
                };
                Ok(())
            }
            State::Admin { stan, kind, .. } => {
                let (stan, kind) = (*stan, *kind);
                self.check_common(&m, 830, stan)?;
                let ok = m.text(39) == Some("00");
                self.finish_admin(kind, ok);
                Ok(())
            }
            State::Settling { stan, phase, .. } => {
                let (stan, phase) = (*stan, phase.clone());
                let expected = if matches!(phase, SettlePhase::Settling { .. }) {
                    510
                } else {
                    330
                };
                self.check_common(&m, expected, stan)?;
                if !self.mac_ok(frame, &m)? {
                    return Err(LifecycleError::MacInvalid);
                }
                let code = m.text(39).ok_or(LifecycleError::Field {
                    field: 39,
                    offset: 0,
                    reason: "missing",
                })?;
                if code != "00" {
                    self.events.push_back(TerminalEvent::SettlementDeclined {
                        code: ResponseCode(code.to_string()),
                    });
                    self.state = State::Ready {
                        last_reversible: None,
                    };
                    return Ok(());
                }
                match phase {
                    SettlePhase::Settling { uploaded } => {
                        let f48 = m.text(48).ok_or(LifecycleError::Field {
                            field: 48,
                            offset: 0,
                            reason: "missing",
                        })?;
                        let (_, result) = BatchTotals::from_f48(f48)?;
                        match result {
                            SettleResult::Balanced => {
                                let batch = self.batch.ok_or(LifecycleError::IllegalState {
                                    operation: "settlement",
                                    state: "signed off",
                                })?;
                                let totals = self.totals();
                                self.journal.clear();
                                self.running = RunningTotals(Some(BatchTotals::default()));
                                self.batch = Some(batch.next());
                                self.events.push_back(TerminalEvent::BatchSettled {
                                    batch,
                                    totals,
                                    uploaded,
                                });
                                self.state = State::Ready {
                                    last_reversible: None,
                                };
                                Ok(())
                            }
                            SettleResult::Unbalanced if !uploaded => self.send_upload(now, 0),
                            _ => {
                                self.events.push_back(TerminalEvent::SettlementDeclined {
                                    code: ResponseCode("3".into()),
                                });
                                self.state = State::Ready {
                                    last_reversible: None,
                                };
                                Ok(())
                            }
                        }
                    }
                    SettlePhase::Uploading { from } => {
                        self.send_upload(now, from + UPLOAD_PER_MESSAGE)
                    }
                    SettlePhase::UploadEnd => self.send_settle(now, true),
                }
            }
        }
    }

    fn unknown_outcome(
        &mut self,
        now: DateTime<Utc>,
        f: InFlight,
        reason: UnknownOutcome,
    ) -> Result<(), LifecycleError> {
        match f.on_timeout {
            TimeoutPolicy::Reverse(rev) => {
                self.events.push_back(TerminalEvent::OutcomeUnknown {
                    txn: f.txn,
                    kind: f.request.kind,
                    reason,
                    reversing: true,
                });
                self.start_reversal(now, *rev, reason)
            }
            TimeoutPolicy::Repeat => {
                // A refund notification with an untrustworthy answer: repeat it.
                self.mac_and_queue(&f.message)?;
                let deadline = self.deadline(now);
                self.state = State::InFlight(Box::new(InFlight { deadline, ..f }));
                Ok(())
            }
            TimeoutPolicy::GiveUp => {
                self.events.push_back(TerminalEvent::OutcomeUnknown {
                    txn: f.txn,
                    kind: f.request.kind,
                    reason,
                    reversing: false,
                });
                self.state = State::Ready {
                    last_reversible: None,
                };
                Ok(())
            }
        }
    }
}

/// F54 balance: account type n2, amount type n2, currency n3, sign C/D, amount n12.
fn parse_balance(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let amount: i64 = s.get(8..20)?.parse().ok()?;
    match b[7] {
        b'C' => Some(amount),
        b'D' => Some(-amount),
        _ => None,
    }
}

/// Frames in the outbox carry card data: only their count is shown.
impl std::fmt::Debug for TerminalSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TerminalSession")
            .field("terminal_id", &self.config.terminal_id)
            .field("signed_on", &self.keys.is_some())
            .field("next_stan", &self.next_stan)
            .field("batch", &self.batch)
            .field("state", &self.state)
            .field("journal", &self.journal)
            .field("outbox_frames", &self.outbox.len())
            .field("events", &self.events)
            .finish()
    }
}
