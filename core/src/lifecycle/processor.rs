//! The acquirer processor: what a switch embeds between its terminals and the card network.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::LifecycleError;
use super::keys::{self, MasterKey, WorkingKeys};
use super::settlement_date::CutOff;
use super::totals::{BatchTotals, SettleResult};
use super::types::{
    Amount, BatchNo, CardBrand, CardType, Channel, EntryMode, MerchantId, Pan, Stan, TerminalId,
    TransactionKind,
};
use super::wire::{self, Message};

/// Processor settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessorConfig {
    /// Network day cut-off (settlement date of each transaction).
    pub cutoff: CutOff,
    /// Pre-auth completion/cancel window in days (UnionPay: 30).
    pub preauth_window_days: u32,
    /// Completion tolerance above the authorised amount, in basis points (0 = ≤ authorised;
    /// 1500 = the often-quoted 115 %).
    pub completion_tolerance_bp: u32,
    /// How long to wait for the network, in milliseconds.
    pub network_timeout_ms: u32,
    /// Delay between network reversal retransmissions, in milliseconds.
    pub network_reversal_retry_ms: u32,
}

impl Default for ProcessorConfig {
    fn default() -> Self {
        ProcessorConfig {
            cutoff: CutOff::unionpay(),
            preauth_window_days: 30,
            completion_tolerance_bp: 0,
            network_timeout_ms: 30_000,
            network_reversal_retry_ms: 10_000,
        }
    }
}

/// A terminal the acquirer has deployed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalProfile {
    /// F41.
    pub terminal_id: TerminalId,
    /// F42 it must send.
    pub merchant_id: MerchantId,
    /// Its master key.
    pub tmk: MasterKey,
}

/// Identity of a terminal transaction: terminal, batch, STAN.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TxnKey {
    /// Terminal.
    pub terminal_id: TerminalId,
    /// F60.2.
    pub batch: BatchNo,
    /// F11.
    pub stan: Stan,
}

/// Where a transaction stands at the acquirer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxnStatus {
    /// Waiting for the network (request id).
    Pending {
        /// Network request id.
        network_id: u64,
    },
    /// Approved and in force.
    Approved,
    /// Declined (by a rule here or by the network).
    Declined {
        /// F39.
        code: String,
    },
    /// Approved, then voided / cancelled by the named transaction.
    Voided {
        /// The void.
        by: TxnKey,
    },
    /// Reversed (or a reversal arrived before the request: a tombstone).
    Reversed,
}

/// Card facts the network reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardProfile {
    /// Scheme.
    pub brand: CardBrand,
    /// Debit or credit.
    pub card_type: CardType,
}

/// The acquirer's record of one terminal transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRecord {
    /// Identity.
    pub key: TxnKey,
    /// Kind.
    pub kind: TransactionKind,
    /// Merchant.
    pub merchant_id: MerchantId,
    /// Card number.
    pub pan: Pan,
    /// Amount.
    pub amount: Amount,
    /// Entry mode.
    pub entry_mode: EntryMode,
    /// Status.
    pub status: TxnStatus,
    /// Card facts, once the network answered.
    pub card: Option<CardProfile>,
    /// When the request arrived.
    pub received_at: DateTime<Utc>,
    /// Network settlement date.
    pub settlement_date: NaiveDate,
    /// F38.
    pub auth_code: String,
    /// F37.
    pub rrn: String,
    /// The transaction this one refers to (void, refund, completion, cancel).
    pub original: Option<TxnKey>,
    /// Σ approved-or-pending refunds against this one.
    pub refunded: i64,
    /// Σ approved-or-pending completions against this pre-auth.
    pub completed: i64,
    /// Included in a settled batch.
    pub settled: bool,
    /// Id of the network request (0 = never forwarded), for network reconciliation.
    pub network_id: u64,
    /// Fingerprint of the request, to tell a retransmission from a STAN reuse.
    pub fingerprint: u64,
    /// Response code given to the terminal (cached so that retransmissions get the same answer).
    pub response_code: Option<String>,
}

/// Host storage. The processor only needs point lookups and a batch scan.
pub trait TransactionStore {
    /// Looks a transaction up.
    fn get(&self, key: &TxnKey) -> Option<TransactionRecord>;
    /// Inserts or replaces.
    fn put(&mut self, record: TransactionRecord);
    /// All transactions of a terminal's batch.
    fn batch(&self, terminal: &TerminalId, batch: BatchNo) -> Vec<TransactionRecord>;
    /// Changes a stored transaction in place (`f` must not change its key); `false` if there
    /// is none. The default reads it with [`get`](Self::get) and writes it back with
    /// [`put`](Self::put); a store that can lend a record mutably saves the copy.
    fn update(&mut self, key: &TxnKey, f: &mut dyn FnMut(&mut TransactionRecord)) -> bool {
        let Some(mut r) = self.get(key) else {
            return false;
        };
        f(&mut r);
        self.put(r);
        true
    }
}

/// A `BTreeMap` store for tests, examples and small hosts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InMemoryStore {
    #[serde(with = "map_as_pairs")]
    records: BTreeMap<TxnKey, TransactionRecord>,
}

impl InMemoryStore {
    /// Every record, in key order.
    pub fn all(&self) -> impl Iterator<Item = &TransactionRecord> {
        self.records.values()
    }
}

impl TransactionStore for InMemoryStore {
    fn get(&self, key: &TxnKey) -> Option<TransactionRecord> {
        self.records.get(key).cloned()
    }
    fn put(&mut self, record: TransactionRecord) {
        self.records.insert(record.key.clone(), record);
    }
    fn update(&mut self, key: &TxnKey, f: &mut dyn FnMut(&mut TransactionRecord)) -> bool {
        self.records.get_mut(key).map(f).is_some()
    }
    fn batch(&self, terminal: &TerminalId, batch: BatchNo) -> Vec<TransactionRecord> {
        let lo = TxnKey {
            terminal_id: terminal.clone(),
            batch,
            stan: Stan::FIRST,
        };
        self.records
            .range(lo..)
            .take_while(|(k, _)| &k.terminal_id == terminal && k.batch == batch)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// What the processor asks of the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkRequest {
    /// Correlation id; answer with the same id.
    pub id: u64,
    /// What to do.
    pub body: NetworkRequestBody,
}

/// Network request content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NetworkRequestBody {
    /// Authorise / notify a transaction.
    Transaction {
        /// Kind.
        kind: TransactionKind,
        /// Amount.
        amount: Amount,
        /// Card.
        pan: Pan,
        /// Terminal.
        terminal_id: TerminalId,
        /// Merchant.
        merchant_id: MerchantId,
        /// Network id of the original, for voids/refunds/completions.
        original_network_id: Option<u64>,
    },
    /// Reverse an earlier request (answer with [`AcquirerProcessor::handle_network_reversal_ack`]).
    Reversal {
        /// The id of the request to reverse.
        reverses: u64,
    },
}

/// The network's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkResponse {
    /// The request id.
    pub id: u64,
    /// The outcome.
    pub outcome: NetworkOutcome,
}

/// Approved or declined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NetworkOutcome {
    /// Approved.
    Approved {
        /// F38.
        auth_code: String,
        /// Network settlement date (F15); `None` = use the processor's cut-off.
        settlement_date: Option<NaiveDate>,
        /// Card facts.
        card: CardProfile,
        /// Balance for an inquiry.
        balance: Option<i64>,
    },
    /// Declined with an F39 code.
    Declined {
        /// F39.
        code: String,
    },
}

/// Why the processor itself declined a request (before or instead of the network).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeclineReason {
    /// F61 names no transaction of this terminal (`25`).
    OriginalNotFound,
    /// The original is not approved (declined, pending, reversed) (`25`).
    OriginalNotApproved,
    /// Already voided or cancelled (`12`).
    AlreadyVoided,
    /// In a settled batch (`12`).
    AlreadySettled,
    /// Void after the settlement day of the original (`12`).
    NotSameDay,
    /// Refund on the same settlement day: void it instead (`12`).
    RefundSameDay,
    /// Void/cancel amount ≠ original amount (`64`).
    AmountMismatch,
    /// Refunds or completions beyond the original (`61`).
    AmountExceeded,
    /// Pre-auth older than the window (`33`).
    PreAuthExpired,
    /// Cancel of a pre-auth that has completions (`12`).
    PreAuthCompleted,
    /// The original is of the wrong kind for this operation (`12`).
    WrongOriginalKind,
    /// Card differs from the original (`14`).
    CardMismatch,
    /// Same STAN reused with other content (`94`).
    Duplicate,
    /// MTI/F3/F25/F60.1 combination unknown (`12`) or fields missing (`30`).
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

impl DeclineReason {
    fn code(self) -> &'static str {
        match self {
            DeclineReason::OriginalNotFound | DeclineReason::OriginalNotApproved => "25",
            DeclineReason::AmountMismatch => "64",
            DeclineReason::AmountExceeded => "61",
            DeclineReason::PreAuthExpired => "33",
            DeclineReason::CardMismatch => "14",
            DeclineReason::Duplicate => "94",
            DeclineReason::MacError => "A0",
            DeclineReason::NotSignedOn => "77",
            DeclineReason::WrongMerchant => "03",
            DeclineReason::NetworkTimeout => "98",
            DeclineReason::Network => "05",
            _ => "12",
        }
    }
}

/// What the fee, settlement and ledger modules consume.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DomainEvent {
    /// A pre-auth was approved (funds held, not captured).
    Authorised(EventData),
    /// Money moves to the merchant: sale, completion.
    Captured(EventData),
    /// A void, completion void or pre-auth cancel took effect; `original` names the target.
    Voided(EventData),
    /// A refund was accepted.
    Refunded(EventData),
    /// An approved transaction was reversed (its earlier event is undone).
    Reversed(EventData),
    /// Declined, by a rule here or by the network.
    Declined {
        /// Data.
        data: EventData,
        /// Why.
        reason: DeclineReason,
        /// F39 sent to the terminal.
        code: String,
    },
    /// A terminal batch was closed.
    BatchSettled {
        /// Terminal.
        terminal_id: TerminalId,
        /// Merchant.
        merchant_id: MerchantId,
        /// Batch.
        batch: BatchNo,
        /// Host totals.
        host_totals: BatchTotals,
        /// Terminal totals (differ only if a batch upload was needed).
        terminal_totals: BatchTotals,
        /// Whether the terminal had to upload its details.
        uploaded: bool,
        /// When.
        at: DateTime<Utc>,
    },
}

/// Facts about one transaction, as events carry them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventData {
    /// Identity.
    pub key: TxnKey,
    /// Kind.
    pub kind: TransactionKind,
    /// Merchant.
    pub merchant_id: MerchantId,
    /// Masked PAN.
    pub pan_masked: String,
    /// Card brand/type once known.
    pub card: Option<CardProfile>,
    /// Channel.
    pub channel: Channel,
    /// Amount.
    pub amount: Amount,
    /// Request time.
    pub received_at: DateTime<Utc>,
    /// Event time.
    pub at: DateTime<Utc>,
    /// Network settlement date.
    pub settlement_date: NaiveDate,
    /// F38.
    pub auth_code: String,
    /// F37.
    pub rrn: String,
    /// The referenced original.
    pub original: Option<TxnKey>,
}

/// Per-terminal host state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct TerminalState {
    profile: TerminalProfile,
    keys: Option<WorkingKeys>,
    next_keys: Option<WorkingKeys>,
    batch: BatchNo,
    /// Batches that asked for an upload (unbalanced), with the terminal's totals.
    uploading: Option<(BatchNo, BatchTotals)>,
    /// Last settled batch and its host totals, to answer a repeated 0500 identically.
    last_settled: Option<(BatchNo, BatchTotals)>,
}

/// Outstanding network request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct NetPending {
    key: TxnKey,
    deadline: DateTime<Utc>,
    /// The terminal request, to build the response.
    request: Message,
}

/// Outstanding network reversal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct NetReversal {
    reverses: u64,
    resend_at: DateTime<Utc>,
}

/// The acquirer side of the lifecycle. Feed terminal frames with
/// [`handle_terminal`](Self::handle_terminal) and network answers with
/// [`handle_network_response`](Self::handle_network_response); drain
/// [`poll_terminal_transmit`](Self::poll_terminal_transmit),
/// [`poll_network_request`](Self::poll_network_request), [`poll_event`](Self::poll_event);
/// call [`handle_timeout`](Self::handle_timeout) at [`poll_timeout`](Self::poll_timeout).
#[derive(Clone, Serialize, Deserialize)]
pub struct AcquirerProcessor<S: TransactionStore = InMemoryStore> {
    config: ProcessorConfig,
    store: S,
    terminals: BTreeMap<TerminalId, TerminalState>,
    net_pending: BTreeMap<u64, NetPending>,
    net_reversals: BTreeMap<u64, NetReversal>,
    /// Transaction → network id, for the original references of later transactions.
    #[serde(with = "map_as_pairs")]
    net_ids: BTreeMap<TxnKey, u64>,
    next_net_id: u64,
    next_rrn: u64,
    to_terminal: VecDeque<(TerminalId, Vec<u8>)>,
    to_network: VecDeque<NetworkRequest>,
    events: VecDeque<DomainEvent>,
}

/// Fields of a request that its response echoes (not F2: the terminal knows its card).
const ECHO: u128 = field_mask(&[3, 4, 11, 22, 25, 37, 38, 41, 42, 49, 60, 61]);

const fn field_mask(fields: &[u8]) -> u128 {
    let mut m = 0u128;
    let mut i = 0;
    while i < fields.len() {
        m |= 1u128 << fields[i];
        i += 1;
    }
    m
}

/// FNV-1a, for request fingerprints (not a security function).
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn mmdd(d: NaiveDate) -> [u8; 4] {
    let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
    let (m, d) = (two(d.month()), two(d.day()));
    [m[0], m[1], d[0], d[1]]
}

/// `n` as 12 decimal digits (F37), the last 12 if it ever had more.
fn rrn(n: u64) -> String {
    let mut b = [b'0'; 12];
    let mut v = n;
    for c in b.iter_mut().rev() {
        *c = b'0' + (v % 10) as u8;
        v /= 10;
    }
    if v != 0 {
        // Beyond 10^12 requests: keep the historic `{:012}` rendering (longer than F37).
        return format!("{n:012}");
    }
    std::str::from_utf8(&b).unwrap_or_default().to_owned()
}

/// `str::parse::<u64>` of ASCII bytes: an optional `+`, then one or more digits, no overflow.
fn dec(b: &[u8]) -> Option<u64> {
    let d = b.strip_prefix(b"+").unwrap_or(b);
    if d.is_empty() {
        return None;
    }
    d.iter().try_fold(0u64, |a, &c| {
        if c.is_ascii_digit() {
            a.checked_mul(10)?.checked_add(u64::from(c - b'0'))
        } else {
            None
        }
    })
}

/// Facts of a transaction as its events carry them.
fn event_data(r: &TransactionRecord, now: DateTime<Utc>) -> EventData {
    EventData {
        key: r.key.clone(),
        kind: r.kind,
        merchant_id: r.merchant_id.clone(),
        pan_masked: mask_pan(&r.pan),
        card: r.card,
        channel: r.entry_mode.channel(),
        amount: r.amount,
        received_at: r.received_at,
        at: now,
        settlement_date: r.settlement_date,
        auth_code: r.auth_code.clone(),
        rrn: r.rrn.clone(),
        original: r.original.clone(),
    }
}

/// What an approval response tells the terminal about its transaction.
#[derive(Clone, Copy)]
struct Approval<'a> {
    settlement_date: NaiveDate,
    rrn: &'a str,
    auth_code: &'a str,
    card: Option<CardProfile>,
    currency: u16,
}

impl<'a> Approval<'a> {
    fn of_record(r: &'a TransactionRecord) -> Self {
        Approval {
            settlement_date: r.settlement_date,
            rrn: &r.rrn,
            auth_code: &r.auth_code,
            card: r.card,
            currency: r.amount.currency,
        }
    }
    fn of_event(d: &'a EventData) -> Self {
        Approval {
            settlement_date: d.settlement_date,
            rrn: &d.rrn,
            auth_code: &d.auth_code,
            card: d.card,
            currency: d.amount.currency,
        }
    }
}

/// The PAN as events show it: first 6 and last 4 digits (fewer for 12- and 13-digit PANs,
/// so that at least 4 stay hidden), exactly as `card::mask_digits` with `First6Last4` does
/// for a PAN's ASCII digits, without going through `char`s.
fn mask_pan(pan: &Pan) -> String {
    let d = pan.digits().as_bytes();
    let n = d.len();
    if n < 12 || !d.is_ascii() {
        return pan.masked(crate::card::MaskStyle::First6Last4);
    }
    let visible = n - 4;
    let first = 6.min(visible - 4);
    let last = 4;
    let mut masked = String::with_capacity(n);
    for (i, &c) in d.iter().enumerate() {
        masked.push(if i < first || i >= n - last {
            char::from(c)
        } else {
            '*'
        });
    }
    masked
}

impl<S: TransactionStore> AcquirerProcessor<S> {
    /// A processor over a store.
    pub fn new(config: ProcessorConfig, store: S) -> Self {
        AcquirerProcessor {
            config,
            store,
            terminals: BTreeMap::new(),
            net_pending: BTreeMap::new(),
            net_reversals: BTreeMap::new(),
            net_ids: BTreeMap::new(),
            next_net_id: 1,
            next_rrn: 1,
            to_terminal: VecDeque::new(),
            to_network: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Registers (or replaces) a terminal; it starts signed off at batch 1.
    pub fn register_terminal(&mut self, profile: TerminalProfile) {
        let batch = BatchNo::FIRST;
        self.terminals.insert(
            profile.terminal_id.clone(),
            TerminalState {
                profile,
                keys: None,
                next_keys: None,
                batch,
                uploading: None,
                last_settled: None,
            },
        );
    }

    /// Supplies the working keys the terminal's next sign-on installs (the processor has no
    /// randomness of its own; the host generates keys in its HSM).
    pub fn provide_working_keys(
        &mut self,
        terminal: &TerminalId,
        keys: WorkingKeys,
    ) -> Result<(), LifecycleError> {
        let t = self
            .terminals
            .get_mut(terminal)
            .ok_or(LifecycleError::UnknownTerminal)?;
        t.next_keys = Some(keys);
        Ok(())
    }

    /// Next frame for a terminal.
    pub fn poll_terminal_transmit(&mut self) -> Option<(TerminalId, Vec<u8>)> {
        self.to_terminal.pop_front()
    }

    /// Next request for the network.
    pub fn poll_network_request(&mut self) -> Option<NetworkRequest> {
        self.to_network.pop_front()
    }

    /// Next domain event.
    pub fn poll_event(&mut self) -> Option<DomainEvent> {
        self.events.pop_front()
    }

    /// Earliest deadline (network timeout or reversal retransmission).
    pub fn poll_timeout(&self) -> Option<DateTime<Utc>> {
        let a = self.net_pending.values().map(|p| p.deadline).min();
        let b = self.net_reversals.values().map(|r| r.resend_at).min();
        match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether nothing is outstanding towards the network.
    pub fn is_idle(&self) -> bool {
        self.net_pending.is_empty() && self.net_reversals.is_empty()
    }

    /// Host totals of a terminal batch: approved debit-side and credit-side transactions
    /// (a voided sale still counts as a debit; its void counts as a credit).
    pub fn batch_totals(&self, terminal: &TerminalId, batch: BatchNo) -> BatchTotals {
        let mut t = BatchTotals::default();
        for r in self.store.batch(terminal, batch) {
            if !matches!(r.status, TxnStatus::Approved | TxnStatus::Voided { .. }) {
                continue;
            }
            if let Some(side) = r.kind.totals_side() {
                let domestic = r.card.is_none_or(|c| c.brand.is_domestic());
                t.apply(domestic, side, r.amount.minor, 1);
            }
        }
        t
    }

    fn respond(&mut self, tid: &TerminalId, m: Message, mac: bool) -> Result<(), LifecycleError> {
        let frame = match self.terminals.get(tid).and_then(|t| t.keys.as_ref()) {
            Some(k) if mac => keys::sign(&m, &k.mak)?,
            _ => m.encode()?,
        };
        self.to_terminal.push_back((tid.clone(), frame));
        Ok(())
    }

    /// Answers `req` with `code`: the echoed request fields ([`ECHO`]), the local time
    /// (F12/F13), F39 and `extra` (ascending field numbers, replacing any of those), MAC'd if
    /// `mac` and the terminal has keys. Encoded straight from the request, without building
    /// the response message (same bytes as [`Self::response_to`] + [`Self::respond`]).
    fn reply(
        &mut self,
        tid: &TerminalId,
        req: &Message,
        code: &str,
        now: DateTime<Utc>,
        extra: &[(u8, &[u8])],
        mac: bool,
    ) -> Result<(), LifecycleError> {
        let (f12, f13) = wire::local_time(self.config.cutoff.local(now));
        let base = [(12u8, &f12[..]), (13, &f13[..]), (39, code.as_bytes())];
        // Merge the two ascending lists; an extra field replaces a base one.
        let mut merged = [(0u8, &[][..]); 16];
        let mut spill = Vec::new();
        let own: &mut [(u8, &[u8])] = if base.len() + extra.len() <= merged.len() {
            &mut merged[..]
        } else {
            spill.resize(base.len() + extra.len(), (0u8, &[][..]));
            &mut spill[..]
        };
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < base.len() || j < extra.len() {
            let from_extra = j < extra.len() && (i == base.len() || extra[j].0 <= base[i].0);
            own[n] = if from_extra {
                if i < base.len() && extra[j].0 == base[i].0 {
                    i += 1;
                }
                j += 1;
                extra[j - 1]
            } else {
                i += 1;
                base[i - 1]
            };
            n += 1;
        }
        let own = &own[..n];
        let mti = req.mti + 10;
        let frame = match self.terminals.get(tid).and_then(|t| t.keys.as_ref()) {
            Some(k) if mac => keys::seal(req.encode_reply(mti, ECHO, own, Some(&[0; 8]))?, &k.mak)?,
            _ => req.encode_reply(mti, ECHO, own, None)?,
        };
        self.to_terminal.push_back((tid.clone(), frame));
        Ok(())
    }

    /// [`Self::reply`] for a financial request: an approval (`00`) carries the settlement
    /// date, RRN, authorisation code, balance (inquiry) and card scheme of the record.
    fn reply_for(
        &mut self,
        tid: &TerminalId,
        req: &Message,
        rec: Approval<'_>,
        code: &str,
        balance: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), LifecycleError> {
        if code != "00" {
            return self.reply(tid, req, code, now, &[], true);
        }
        let f15 = mmdd(rec.settlement_date);
        let f54 = balance.map(|b| {
            let sign = if b < 0 { 'D' } else { 'C' };
            format!(
                "1002{:03}{sign}{:012}",
                rec.currency,
                b.unsigned_abs().min(999_999_999_999)
            )
        });
        let mut extra = [(0u8, &[][..]); 5];
        extra[0] = (15, &f15[..]);
        extra[1] = (37, rec.rrn.as_bytes());
        extra[2] = (38, rec.auth_code.as_bytes());
        let mut n = 3;
        if let Some(b) = &f54 {
            extra[n] = (54, b.as_bytes());
            n += 1;
        }
        if let Some(c) = rec.card {
            extra[n] = (63, c.brand.code().as_bytes());
            n += 1;
        }
        self.reply(tid, req, code, now, &extra[..n], true)
    }

    fn response_to(&self, req: &Message, code: &str, now: DateTime<Utc>) -> Message {
        let mut m = Message::new(req.mti + 10);
        for f in [2u8, 3, 4, 11, 22, 25, 37, 38, 41, 42, 49, 60, 61] {
            if let Some(v) = req.get(f) {
                m.set(f, v);
            }
        }
        m.remove(2);
        let local = self.config.cutoff.local(now);
        m.set_local_time(local);
        m.set(39, code);
        m
    }

    /// Feeds a frame from a terminal. Malformed frames and unknown terminals are returned as
    /// errors (nothing to answer); every other problem is answered with a decline.
    pub fn handle_terminal(
        &mut self,
        now: DateTime<Utc>,
        frame: &[u8],
    ) -> Result<(), LifecycleError> {
        let m = Message::decode(frame)?;
        // Non-text bytes fail the printable-ASCII check: the same error as parsing the text.
        let tid = TerminalId::parse_bytes(m.get(41).unwrap_or_default())?;
        let Some(term) = self.terminals.get(&tid) else {
            return Err(LifecycleError::UnknownTerminal);
        };
        if m.num(11).is_none() {
            return Err(LifecycleError::Field {
                field: 11,
                offset: 0,
                reason: "missing STAN",
            });
        }
        if m.get(42) != Some(term.profile.merchant_id.as_str().as_bytes()) {
            return self.reply(
                &tid,
                &m,
                DeclineReason::WrongMerchant.code(),
                now,
                &[],
                false,
            );
        }
        if m.mti == 800 {
            return self.sign_on(now, &tid, &m);
        }
        if m.mti == 820 {
            // Sign-off (60.3 = 002) erases the working keys; echo (301) just answers.
            if m.text(60).and_then(|f| f.get(8..11)) == Some("002")
                && let Some(t) = self.terminals.get_mut(&tid)
            {
                // Unless the host queued fresh keys, the next sign-on re-delivers these.
                let old = t.keys.take();
                t.next_keys = t.next_keys.take().or(old);
            }
            return self.reply(&tid, &m, "00", now, &[], false);
        }
        let Some(k) = &term.keys else {
            return self.reply(&tid, &m, DeclineReason::NotSignedOn.code(), now, &[], false);
        };
        let mac_ok = keys::verify_frame(frame, &m, &k.mak);
        if !mac_ok {
            return self.reply(&tid, &m, DeclineReason::MacError.code(), now, &[], false);
        }
        match m.mti {
            // The request's identity for duplicate detection: its bytes before the MAC.
            100 | 200 | 220 => self.financial(now, &tid, m, fingerprint(&frame[..frame.len() - 8])),
            400 => self.reversal(now, &tid, m),
            500 => self.settlement(now, &tid, m),
            320 => self.batch_upload(now, &tid, m),
            other => {
                self.reply(&tid, &m, "12", now, &[], true)?;
                Err(LifecycleError::UnexpectedMessage { mti: other })
            }
        }
    }

    fn sign_on(
        &mut self,
        now: DateTime<Utc>,
        tid: &TerminalId,
        m: &Message,
    ) -> Result<(), LifecycleError> {
        let Some(t) = self.terminals.get_mut(tid) else {
            return Err(LifecycleError::UnknownTerminal);
        };
        // Fresh keys if the host supplied them; otherwise a repeated sign-on (e.g. after a lost
        // 0810) re-delivers the current ones, so that sign-on is idempotent.
        let Some(keys) = t.next_keys.take().or_else(|| t.keys.clone()) else {
            return self.reply(tid, m, "96", now, &[], false);
        };
        let block = match keys::wrap_working_keys(&t.profile.tmk, &keys) {
            Ok(b) => b,
            Err(_) => {
                return self.reply(tid, m, "96", now, &[], false);
            }
        };
        t.keys = Some(keys);
        let batch = t.batch;
        let mut r = self.response_to(m, "00", now);
        r.set(60, format!("00{:06}003", batch.value()));
        r.set(62, block);
        r.remove(64);
        self.respond(tid, r, false)
    }

    fn data(&self, r: &TransactionRecord, now: DateTime<Utc>) -> EventData {
        event_data(r, now)
    }

    fn parse_request(
        &self,
        tid: &TerminalId,
        m: &Message,
        now: DateTime<Utc>,
        fingerprint: u64,
    ) -> Option<(TxnKey, TransactionRecord, Option<TxnKey>)> {
        let f60 = m.get(60)?;
        let (type_code, batch) = if f60.is_ascii() {
            // ASCII (always, for a decoded `n` field): the text's parse, on the bytes.
            let type_code = u8::try_from(dec(f60.get(0..2)?)?).ok()?;
            (type_code, u32::try_from(dec(f60.get(2..8)?)?).ok()?)
        } else {
            let f60 = m.text(60)?;
            (f60.get(0..2)?.parse().ok()?, f60.get(2..8)?.parse().ok()?)
        };
        let batch = BatchNo::new(batch).ok()?;
        let stan = Stan::new(m.num(11)? as u32).ok()?;
        let kind =
            TransactionKind::from_wire(m.mti, m.num(3)? as u32, m.num(25)? as u8, type_code)?;
        // F2, or the PAN inside F35 (swiped cards may send track 2 only); both must agree.
        let track2 = match m.text(35) {
            Some(t) => Some(crate::card::Track2::parse(t).ok()?),
            None => None,
        };
        let pan = match (m.text(2), track2) {
            (Some(f2), t2) => {
                let pan = Pan::parse(f2).ok()?;
                if t2.is_some_and(|t| *t.pan() != pan) {
                    return None;
                }
                pan
            }
            (None, Some(t2)) => t2.pan().clone(),
            (None, None) => return None,
        };
        let currency: u16 = match m.get(49)? {
            f49 if f49.is_ascii() => u16::try_from(dec(f49)?).ok()?,
            _ => m.text(49)?.parse().ok()?,
        };
        let minor = if kind == TransactionKind::BalanceInquiry {
            0
        } else {
            m.num(4)? as i64
        };
        let amount = Amount::new(minor, currency).ok()?;
        let entry_mode = match m.get(22)? {
            f22 if f22.is_ascii() => u16::try_from(dec(f22.get(..2)?)?).ok()?,
            _ => m.text(22)?.get(..2)?.parse().ok()?,
        };
        let entry_mode = EntryMode::from_code(entry_mode)?;
        let original = if kind.needs_original() {
            let f61 = m.text(61)?;
            Some(TxnKey {
                terminal_id: tid.clone(),
                batch: BatchNo::new(f61.get(0..6)?.parse().ok()?).ok()?,
                stan: Stan::new(f61.get(6..12)?.parse().ok()?).ok()?,
            })
        } else {
            None
        };
        let key = TxnKey {
            terminal_id: tid.clone(),
            batch,
            stan,
        };
        let rec = TransactionRecord {
            key: key.clone(),
            kind,
            merchant_id: self.terminals.get(tid)?.profile.merchant_id.clone(),
            pan,
            amount,
            entry_mode,
            status: TxnStatus::Declined {
                code: String::new(),
            },
            card: None,
            received_at: now,
            settlement_date: self.config.cutoff.settlement_date(now),
            auth_code: String::new(),
            rrn: String::new(),
            original: original.clone(),
            refunded: 0,
            completed: 0,
            settled: false,
            network_id: 0,
            fingerprint,
            response_code: None,
        };
        Some((key, rec, original))
    }

    fn financial(
        &mut self,
        now: DateTime<Utc>,
        tid: &TerminalId,
        m: Message,
        fp: u64,
    ) -> Result<(), LifecycleError> {
        let Some((key, mut rec, original)) = self.parse_request(tid, &m, now, fp) else {
            return self.reply(tid, &m, "30", now, &[], true);
        };
        if let Some(existing) = self.store.get(&key) {
            // A retransmission gets the same answer; a STAN reuse is a duplicate.
            if existing.fingerprint == rec.fingerprint
                && !matches!(existing.status, TxnStatus::Reversed)
            {
                return match existing.response_code.clone() {
                    Some(code) => {
                        self.reply_for(tid, &m, Approval::of_record(&existing), &code, None, now)
                    }
                    None => Ok(()), // still at the network; the answer will follow
                };
            }
            return self.reply(tid, &m, DeclineReason::Duplicate.code(), now, &[], true);
        }
        if let Err(reason) = self.check_rules(&rec, original.as_ref(), now) {
            rec.status = TxnStatus::Declined {
                code: reason.code().into(),
            };
            rec.response_code = Some(reason.code().into());
            let data = self.data(&rec, now);
            self.store.put(rec);
            self.events.push_back(DomainEvent::Declined {
                data,
                reason,
                code: reason.code().into(),
            });
            return self.reply(tid, &m, reason.code(), now, &[], true);
        }
        // Reserve the effect on the original now, so that concurrent requests see it.
        self.apply_to_original(&rec, 1);
        let id = self.next_net_id;
        self.next_net_id += 1;
        rec.status = TxnStatus::Pending { network_id: id };
        rec.network_id = id;
        let original_network_id = original.as_ref().and_then(|o| self.net_ids.get(o).copied());
        self.net_ids.insert(key.clone(), id);
        self.to_network.push_back(NetworkRequest {
            id,
            body: NetworkRequestBody::Transaction {
                kind: rec.kind,
                amount: rec.amount,
                pan: rec.pan.clone(),
                terminal_id: tid.clone(),
                merchant_id: rec.merchant_id.clone(),
                original_network_id,
            },
        });
        self.store.put(rec);
        let deadline = now + Duration::milliseconds(i64::from(self.config.network_timeout_ms));
        self.net_pending.insert(
            id,
            NetPending {
                key,
                deadline,
                request: m,
            },
        );
        Ok(())
    }

    fn check_rules(
        &self,
        rec: &TransactionRecord,
        original: Option<&TxnKey>,
        now: DateTime<Utc>,
    ) -> Result<(), DeclineReason> {
        let Some(okey) = original else { return Ok(()) };
        let o = self
            .store
            .get(okey)
            .ok_or(DeclineReason::OriginalNotFound)?;
        use TransactionKind as K;
        let expected_kind = match rec.kind {
            K::Void | K::Refund => &[K::Sale, K::Completion][..],
            K::CompletionVoid => &[K::Completion][..],
            K::PreAuthCancel | K::Completion => &[K::PreAuth][..],
            _ => &[][..],
        };
        if !expected_kind.contains(&o.kind) {
            return Err(DeclineReason::WrongOriginalKind);
        }
        match &o.status {
            TxnStatus::Approved => {}
            TxnStatus::Voided { .. } => return Err(DeclineReason::AlreadyVoided),
            _ => return Err(DeclineReason::OriginalNotApproved),
        }
        if o.pan != rec.pan {
            return Err(DeclineReason::CardMismatch);
        }
        if o.amount.currency != rec.amount.currency {
            return Err(DeclineReason::AmountMismatch);
        }
        let today = self.config.cutoff.settlement_date(now);
        match rec.kind {
            K::Void | K::CompletionVoid => {
                if o.settled {
                    return Err(DeclineReason::AlreadySettled);
                }
                if o.settlement_date != today {
                    return Err(DeclineReason::NotSameDay);
                }
                if rec.amount.minor != o.amount.minor {
                    return Err(DeclineReason::AmountMismatch);
                }
                if o.refunded > 0 {
                    return Err(DeclineReason::AlreadyVoided);
                }
            }
            K::Refund => {
                if o.settlement_date >= today {
                    return Err(DeclineReason::RefundSameDay);
                }
                if o.refunded + rec.amount.minor > o.amount.minor {
                    return Err(DeclineReason::AmountExceeded);
                }
            }
            K::PreAuthCancel | K::Completion => {
                let window = Duration::days(i64::from(self.config.preauth_window_days));
                if now - o.received_at > window {
                    return Err(DeclineReason::PreAuthExpired);
                }
                if rec.kind == K::PreAuthCancel {
                    if o.completed > 0 {
                        return Err(DeclineReason::PreAuthCompleted);
                    }
                    if rec.amount.minor != o.amount.minor {
                        return Err(DeclineReason::AmountMismatch);
                    }
                } else {
                    let limit = i128::from(o.amount.minor)
                        * (10_000 + i128::from(self.config.completion_tolerance_bp))
                        / 10_000;
                    if i128::from(o.completed + rec.amount.minor) > limit {
                        return Err(DeclineReason::AmountExceeded);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Applies (`sign = 1`) or undoes (`-1`) what a transaction does to its original.
    fn apply_to_original(&mut self, rec: &TransactionRecord, sign: i64) {
        let Some(okey) = &rec.original else { return };
        let Some(mut o) = self.store.get(okey) else {
            return;
        };
        match rec.kind {
            TransactionKind::Refund => o.refunded += sign * rec.amount.minor,
            TransactionKind::Completion => o.completed += sign * rec.amount.minor,
            TransactionKind::Void
            | TransactionKind::CompletionVoid
            | TransactionKind::PreAuthCancel => {
                o.status = if sign > 0 {
                    TxnStatus::Voided {
                        by: rec.key.clone(),
                    }
                } else {
                    TxnStatus::Approved
                };
            }
            _ => return,
        }
        self.store.put(o);
    }

    /// Feeds the network's answer to request `id`.
    pub fn handle_network_response(
        &mut self,
        now: DateTime<Utc>,
        resp: NetworkResponse,
    ) -> Result<(), LifecycleError> {
        let Some(p) = self.net_pending.remove(&resp.id) else {
            return Err(LifecycleError::UnknownNetworkRequest { id: resp.id });
        };
        let tid = p.key.terminal_id.clone();
        match resp.outcome {
            NetworkOutcome::Approved {
                auth_code,
                settlement_date,
                card,
                balance,
            } => {
                // Six alphanumerics, space-padded (multi-byte UTF-8 is never alphanumeric).
                let mut code = [b' '; 6];
                for (d, c) in code
                    .iter_mut()
                    .zip(auth_code.bytes().filter(u8::is_ascii_alphanumeric))
                {
                    *d = c;
                }
                let next_rrn = &mut self.next_rrn;
                let mut approved = None;
                // In place: the record is not copied out of the store and back.
                self.store.update(&p.key, &mut |rec| {
                    rec.status = TxnStatus::Approved;
                    rec.card = Some(card);
                    rec.auth_code = std::str::from_utf8(&code).unwrap_or_default().to_owned();
                    rec.rrn = rrn(*next_rrn);
                    *next_rrn += 1;
                    if let Some(d) = settlement_date {
                        rec.settlement_date = d;
                    }
                    rec.response_code = Some("00".into());
                    approved = Some((rec.kind, event_data(rec, now)));
                });
                let Some((kind, data)) = approved else {
                    return Err(LifecycleError::UnknownNetworkRequest { id: resp.id });
                };
                let approval = Approval::of_event(&data);
                let r = self.reply_for(&tid, &p.request, approval, "00", balance, now);
                self.events.push_back(match kind {
                    TransactionKind::PreAuth => DomainEvent::Authorised(data),
                    TransactionKind::Sale | TransactionKind::Completion => {
                        DomainEvent::Captured(data)
                    }
                    TransactionKind::Void
                    | TransactionKind::CompletionVoid
                    | TransactionKind::PreAuthCancel => DomainEvent::Voided(data),
                    TransactionKind::Refund => DomainEvent::Refunded(data),
                    // An inquiry moves no money: no event.
                    TransactionKind::BalanceInquiry => return r,
                });
                r
            }
            NetworkOutcome::Declined { code } => {
                let Some(rec) = self.store.get(&p.key) else {
                    return Err(LifecycleError::UnknownNetworkRequest { id: resp.id });
                };
                let code = if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    code
                } else {
                    "05".into()
                };
                self.decline_pending(now, rec, &p.request, DeclineReason::Network, &code)
            }
        }
    }

    fn decline_pending(
        &mut self,
        now: DateTime<Utc>,
        mut rec: TransactionRecord,
        req: &Message,
        reason: DeclineReason,
        code: &str,
    ) -> Result<(), LifecycleError> {
        self.apply_to_original(&rec, -1);
        rec.status = TxnStatus::Declined { code: code.into() };
        rec.response_code = Some(code.into());
        let data = self.data(&rec, now);
        let tid = rec.key.terminal_id.clone();
        self.store.put(rec);
        self.events.push_back(DomainEvent::Declined {
            data,
            reason,
            code: code.into(),
        });
        self.reply(&tid, req, code, now, &[], true)
    }

    /// Acknowledges a network reversal (the network answered it).
    pub fn handle_network_reversal_ack(
        &mut self,
        _now: DateTime<Utc>,
        reversal_id: u64,
    ) -> Result<(), LifecycleError> {
        self.net_reversals
            .remove(&reversal_id)
            .map(|_| ())
            .ok_or(LifecycleError::UnknownNetworkRequest { id: reversal_id })
    }

    fn queue_network_reversal(&mut self, now: DateTime<Utc>, reverses: u64) {
        let id = self.next_net_id;
        self.next_net_id += 1;
        self.to_network.push_back(NetworkRequest {
            id,
            body: NetworkRequestBody::Reversal { reverses },
        });
        let resend_at =
            now + Duration::milliseconds(i64::from(self.config.network_reversal_retry_ms));
        self.net_reversals.insert(
            id,
            NetReversal {
                reverses,
                resend_at,
            },
        );
    }

    /// Call at [`poll_timeout`](Self::poll_timeout): network requests without an answer are
    /// declined to the terminal (`98`) and reversed at the network; unacknowledged network
    /// reversals are sent again (same id).
    pub fn handle_timeout(&mut self, now: DateTime<Utc>) -> Result<(), LifecycleError> {
        let expired: Vec<u64> = self
            .net_pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            let Some(p) = self.net_pending.remove(&id) else {
                continue;
            };
            self.queue_network_reversal(now, id);
            if let Some(rec) = self.store.get(&p.key) {
                self.decline_pending(now, rec, &p.request, DeclineReason::NetworkTimeout, "98")?;
            }
        }
        let retry = Duration::milliseconds(i64::from(self.config.network_reversal_retry_ms));
        for (id, r) in self.net_reversals.iter_mut() {
            if r.resend_at <= now {
                r.resend_at = now + retry;
                self.to_network.push_back(NetworkRequest {
                    id: *id,
                    body: NetworkRequestBody::Reversal {
                        reverses: r.reverses,
                    },
                });
            }
        }
        Ok(())
    }

    fn reversal(
        &mut self,
        now: DateTime<Utc>,
        tid: &TerminalId,
        m: Message,
    ) -> Result<(), LifecycleError> {
        let parsed = (|| {
            let f60 = m.text(60)?;
            let batch = BatchNo::new(f60.get(2..8)?.parse().ok()?).ok()?;
            let stan = Stan::new(m.num(11)? as u32).ok()?;
            Some(TxnKey {
                terminal_id: tid.clone(),
                batch,
                stan,
            })
        })();
        let Some(key) = parsed else {
            return self.reply(tid, &m, "30", now, &[], true);
        };
        let code = match self.store.get(&key) {
            None => {
                // The reversal overtook its request (or the request was lost): leave a
                // tombstone so that a late copy of the request is never processed.
                let tombstone = [100, 200, 220].into_iter().find_map(|mti| {
                    let mut as_request = m.clone();
                    as_request.mti = mti;
                    self.parse_request(tid, &as_request, now, 0)
                });
                if let Some((_, mut rec, _)) = tombstone {
                    rec.status = TxnStatus::Reversed;
                    rec.fingerprint = 0;
                    self.store.put(rec);
                }
                "00"
            }
            // A reversal that does not describe the recorded transaction changes nothing.
            Some(rec)
                if m.num(4).is_some_and(|a| a != rec.amount.minor as u64)
                    || m.text(2).is_some_and(|p| p != rec.pan.digits()) =>
            {
                "12"
            }
            Some(mut rec) => match rec.status.clone() {
                TxnStatus::Pending { network_id } => {
                    self.net_pending.remove(&network_id);
                    self.queue_network_reversal(now, network_id);
                    self.apply_to_original(&rec, -1);
                    rec.status = TxnStatus::Reversed;
                    self.store.put(rec);
                    "00"
                }
                TxnStatus::Approved if rec.settled => "12",
                TxnStatus::Approved => {
                    if let Some(&nid) = self.net_ids.get(&key) {
                        self.queue_network_reversal(now, nid);
                    }
                    self.apply_to_original(&rec, -1);
                    rec.status = TxnStatus::Reversed;
                    let data = self.data(&rec, now);
                    self.store.put(rec);
                    self.events.push_back(DomainEvent::Reversed(data));
                    "00"
                }
                TxnStatus::Voided { .. } => "12",
                TxnStatus::Declined { .. } | TxnStatus::Reversed => "00",
            },
        };
        self.reply(tid, &m, code, now, &[], true)
    }

    fn settlement(
        &mut self,
        now: DateTime<Utc>,
        tid: &TerminalId,
        m: Message,
    ) -> Result<(), LifecycleError> {
        let parsed = m
            .text(60)
            .and_then(|f| f.get(2..8))
            .and_then(|b| b.parse().ok())
            .and_then(|b| BatchNo::new(b).ok());
        let terminal_totals = m
            .text(48)
            .and_then(|f| BatchTotals::from_f48(f).ok())
            .map(|(t, _)| t);
        let (Some(batch), Some(terminal_totals)) = (parsed, terminal_totals) else {
            return self.reply(tid, &m, "30", now, &[], true);
        };
        let Some(t) = self.terminals.get(tid) else {
            return Err(LifecycleError::UnknownTerminal);
        };
        let host_totals = self.batch_totals(tid, batch);
        let (result, report) = if t.last_settled.is_some_and(|(b, _)| b == batch) {
            (SettleResult::Balanced, host_totals) // a repeated 0500 of a settled batch
        } else if host_totals == terminal_totals {
            self.close_batch(now, tid, batch, host_totals, terminal_totals, false);
            (SettleResult::Balanced, host_totals)
        } else if t.uploading.is_some_and(|(b, _)| b == batch) {
            // Second settlement after a batch upload: the uploaded details were recorded;
            // the batch closes and the difference is reported for reconciliation.
            self.close_batch(now, tid, batch, host_totals, terminal_totals, true);
            (SettleResult::Balanced, host_totals)
        } else {
            if let Some(t) = self.terminals.get_mut(tid) {
                t.uploading = Some((batch, terminal_totals));
            }
            (SettleResult::Unbalanced, host_totals)
        };
        let mut r = self.response_to(&m, "00", now);
        r.set(48, report.to_f48(Some(result))?);
        self.respond(tid, r, true)
    }

    fn close_batch(
        &mut self,
        now: DateTime<Utc>,
        tid: &TerminalId,
        batch: BatchNo,
        host_totals: BatchTotals,
        terminal_totals: BatchTotals,
        uploaded: bool,
    ) {
        for mut r in self.store.batch(tid, batch) {
            r.settled = true;
            self.store.put(r);
        }
        let Some(t) = self.terminals.get_mut(tid) else {
            return;
        };
        t.uploading = None;
        t.last_settled = Some((batch, host_totals));
        t.batch = batch.next();
        self.events.push_back(DomainEvent::BatchSettled {
            terminal_id: tid.clone(),
            merchant_id: t.profile.merchant_id.clone(),
            batch,
            host_totals,
            terminal_totals,
            uploaded,
            at: now,
        });
    }

    fn batch_upload(
        &mut self,
        now: DateTime<Utc>,
        tid: &TerminalId,
        m: Message,
    ) -> Result<(), LifecycleError> {
        // The details are acknowledged; a real host stores them for the reconciliation team.
        let ok = m.text(48).is_some_and(|f| f.len() >= 2);
        self.reply(tid, &m, if ok { "00" } else { "30" }, now, &[], true)
    }
}

/// Frames to terminals carry card data: only counts are shown.
impl<S: TransactionStore> std::fmt::Debug for AcquirerProcessor<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcquirerProcessor")
            .field("config", &self.config)
            .field("terminals", &self.terminals.len())
            .field("network_pending", &self.net_pending.len())
            .field("network_reversals", &self.net_reversals.len())
            .field("terminal_frames", &self.to_terminal.len())
            .field("network_requests", &self.to_network.len())
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

/// JSON object keys must be strings; maps keyed by structs serialise as a list of pairs.
mod map_as_pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        m: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(m.iter())
    }

    pub fn deserialize<
        'de,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    >(
        d: D,
    ) -> Result<BTreeMap<K, V>, D::Error> {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_masking_is_the_card_modules_first6_last4() {
        let digits = "6228480402564890018";
        for n in 12..=19 {
            let pan = Pan::parse(&digits[..n]).unwrap();
            assert_eq!(
                mask_pan(&pan),
                crate::card::mask_digits(&digits[..n], crate::card::MaskStyle::First6Last4),
                "{n} digits"
            );
        }
        assert_eq!(
            mask_pan(&Pan::parse("622848040256").unwrap()),
            "6228****0256"
        );
    }

    /// A store with only the required methods: `update` is the trait's default.
    #[derive(Default)]
    struct Minimal(InMemoryStore);

    impl TransactionStore for Minimal {
        fn get(&self, key: &TxnKey) -> Option<TransactionRecord> {
            self.0.get(key)
        }
        fn put(&mut self, record: TransactionRecord) {
            self.0.put(record);
        }
        fn batch(&self, terminal: &TerminalId, batch: BatchNo) -> Vec<TransactionRecord> {
            self.0.batch(terminal, batch)
        }
    }

    #[test]
    fn update_in_place_is_get_then_put() {
        let key = |stan| TxnKey {
            terminal_id: TerminalId::new("T0000001").unwrap(),
            batch: BatchNo::FIRST,
            stan: Stan::new(stan).unwrap(),
        };
        let rec = TransactionRecord {
            key: key(7),
            kind: TransactionKind::Sale,
            merchant_id: MerchantId::new("898100000000001").unwrap(),
            pan: Pan::parse("6228480402564890018").unwrap(),
            amount: Amount::cny(100).unwrap(),
            entry_mode: EntryMode::Chip,
            status: TxnStatus::Pending { network_id: 1 },
            card: None,
            received_at: DateTime::<Utc>::UNIX_EPOCH,
            settlement_date: NaiveDate::MIN,
            auth_code: String::new(),
            rrn: String::new(),
            original: None,
            refunded: 0,
            completed: 0,
            settled: false,
            network_id: 1,
            fingerprint: 9,
            response_code: None,
        };
        let (mut a, mut b) = (InMemoryStore::default(), Minimal::default());
        a.put(rec.clone());
        b.put(rec);
        for store in [&mut a as &mut dyn TransactionStore, &mut b] {
            let mut calls = 0;
            assert!(store.update(&key(7), &mut |r| {
                r.status = TxnStatus::Approved;
                r.rrn = "000000000001".into();
                calls += 1;
            }));
            assert!(!store.update(&key(8), &mut |_| calls += 10));
            assert_eq!(calls, 1);
        }
        assert_eq!(a, b.0);
        assert_eq!(a.get(&key(7)).map(|r| r.status), Some(TxnStatus::Approved));
        assert_eq!(a.all().count(), 1);
    }

    #[test]
    fn dec_is_str_parse_on_ascii() {
        for t in [
            "",
            "+",
            "-1",
            "+7",
            "0",
            "007",
            "255",
            "256",
            "65535",
            "65536",
            "4294967295",
            "4294967296",
            "18446744073709551615",
            "18446744073709551616",
            "1a",
            " 1",
            "++1",
        ] {
            let b = t.as_bytes();
            assert_eq!(dec(b), t.parse::<u64>().ok(), "{t:?}");
            assert_eq!(
                dec(b).and_then(|v| u8::try_from(v).ok()),
                t.parse::<u8>().ok()
            );
            assert_eq!(
                dec(b).and_then(|v| u16::try_from(v).ok()),
                t.parse::<u16>().ok()
            );
            assert_eq!(
                dec(b).and_then(|v| u32::try_from(v).ok()),
                t.parse::<u32>().ok()
            );
        }
    }

    #[test]
    fn rrn_is_twelve_digits() {
        assert_eq!(rrn(42), "000000000042");
        assert_eq!(rrn(999_999_999_999), "999999999999");
        assert_eq!(rrn(1_000_000_000_000), "1000000000000");
    }
}
