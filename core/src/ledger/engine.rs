//! The state machine: validation in precedence order, application, linked-chain rollback
//! and deterministic expiry.

use std::collections::BTreeSet;

use super::account::{Account, AccountBalance, AccountFlags};
use super::hash::{AccountIndex, IdIndex, IdMap, RecentAccounts, TransferIndex};
use super::journal::{JournalOp, JournalRecord};
use super::result::{CreateAccountResult, CreateTransferResult};
use super::transfer::{AMOUNT_MAX, PendingStatus, Transfer, TransferFlags};

/// Nanoseconds per second (timeouts are in seconds, timestamps in ns).
pub(crate) const NS_PER_S: u64 = 1_000_000_000;

/// Events whose accounts are looked up in one pass before they are processed.
const LOOKAHEAD: usize = 32;

/// `(expires_at, created_timestamp, id)`: expiry order, ties by creation.
pub(crate) type ExpiryKey = (u64, u64, u128);

/// An in-process double-entry ledger with TigerBeetle semantics.
///
/// All methods are deterministic functions of the ledger's state and their arguments; time
/// comes in as `now` (ns since an epoch of the host's choosing).
///
/// **Timestamps.** Each batch gets a base time `max(now, last_timestamp + 1)`; event `i` of
/// the batch gets `base + i`. Timestamps are therefore unique and strictly increasing even if
/// the host's clock stalls or steps back. (They saturate at `u64::MAX`, the year 2554.)
///
/// **Expiry** is applied eagerly at the start of every batch (and by
/// [`Ledger::expire_pending`]): every pending transfer whose `timestamp + timeout` is at or
/// before the batch's base time is released, in expiry order. A pending transfer that expires
/// *during* a batch (between `base` and the event's timestamp) is already refused by post/void
/// with `pending_transfer_expired`, and its reservation is released at the next batch.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub(crate) accounts: Vec<Account>,
    pub(crate) account_index: AccountIndex,
    pub(crate) transfers: Vec<Transfer>,
    /// Per transfer (by index): for a pending transfer, whether it was resolved.
    pub(crate) statuses: Vec<PendingStatus>,
    pub(crate) transfer_index: TransferIndex,
    pub(crate) expiry: BTreeSet<ExpiryKey>,
    pub(crate) failed: IdIndex<CreateTransferResult>,
    pub(crate) history: IdMap<u32, Vec<AccountBalance>>,
    /// Per account (by index): indices of the transfers touching it, in timestamp order.
    pub(crate) by_account: Vec<Vec<u32>>,
    /// `(account index, transfer index)` pairs of the batch in progress, appended to
    /// `by_account` when the batch ends: one tight loop whose cache misses overlap, instead
    /// of two dependent misses inside every transfer. Empty between batches.
    links: Vec<(u32, u32)>,
    pub(crate) clock: u64,
    pub(crate) journal_seq: u64,
    pub(crate) journal_enabled: bool,
    pub(crate) journal: Vec<JournalRecord>,
}

impl Ledger {
    /// An empty ledger that buffers a journal record for every batch (drain it with
    /// [`Ledger::take_journal`]).
    #[must_use]
    pub fn new() -> Self {
        Self {
            journal_enabled: true,
            ..Self::default()
        }
    }

    /// An empty ledger that keeps no journal (replay, benchmarks, scratch computations).
    #[must_use]
    pub fn without_journal() -> Self {
        Self::default()
    }

    /// Turn journaling on or off for subsequent batches.
    pub fn set_journal_enabled(&mut self, on: bool) {
        self.journal_enabled = on;
    }

    /// The journal records buffered since the last call; the host persists them (e.g. one
    /// [`JournalRecord::to_line`] per line) before acknowledging the batch.
    pub fn take_journal(&mut self) -> Vec<JournalRecord> {
        std::mem::take(&mut self.journal)
    }

    /// The last assigned timestamp (0 for a fresh ledger).
    #[must_use]
    pub fn clock(&self) -> u64 {
        self.clock
    }

    /// Sequence number the next journal record will carry.
    #[must_use]
    pub fn journal_seq(&self) -> u64 {
        self.journal_seq
    }

    fn record(&mut self, op: impl FnOnce() -> JournalOp) {
        let seq = self.journal_seq;
        self.journal_seq += 1;
        if self.journal_enabled {
            self.journal.push(JournalRecord { seq, op: op() });
        }
    }

    fn begin_batch(&mut self, now: u64, len: usize) -> u64 {
        let base = now.max(self.clock.saturating_add(1));
        // u64 ns covers ~584 years; saturate rather than wrap if a host passes u64::MAX.
        self.clock = base
            .saturating_add((len as u64).saturating_sub(1))
            .max(self.clock);
        base
    }

    /// Release every pending transfer whose timeout is at or before `now`, and advance the
    /// clock to `now`. Journaled (as a batch without events).
    pub fn expire_pending(&mut self, now: u64) -> usize {
        self.record(|| JournalOp::ExpirePending { now });
        let base = self.begin_batch(now, 1);
        self.expire_until(base)
    }

    pub(crate) fn expire_until(&mut self, at: u64) -> usize {
        let mut n = 0;
        while let Some(&key) = self.expiry.first() {
            if key.0 > at {
                break;
            }
            self.expiry.pop_first();
            let (_, _, id) = key;
            let Some(index) = self.transfer_index.get(id, &self.transfers) else {
                continue;
            };
            self.statuses[index as usize] = PendingStatus::Expired;
            let p = self.transfers[index as usize];
            let dr_i = self.account_index[p.debit_account_id];
            let cr_i = self.account_index[p.credit_account_id];
            let dr = &mut self.accounts[dr_i as usize];
            dr.debits_pending -= p.amount;
            if p.flags.contains(TransferFlags::CLOSING_DEBIT) {
                dr.flags = dr.flags.without(AccountFlags::CLOSED);
            }
            let cr = &mut self.accounts[cr_i as usize];
            cr.credits_pending -= p.amount;
            if p.flags.contains(TransferFlags::CLOSING_CREDIT) {
                cr.flags = cr.flags.without(AccountFlags::CLOSED);
            }
            self.push_history(dr_i, at);
            self.push_history(cr_i, at);
            n += 1;
        }
        n
    }

    /// Append a history row if the account keeps history (the flag test is inlined; most
    /// accounts have no history).
    #[inline]
    fn push_history(&mut self, index: u32, timestamp: u64) {
        if self.accounts[index as usize]
            .flags
            .contains(AccountFlags::HISTORY)
        {
            self.push_history_row(index, timestamp);
        }
    }

    fn push_history_row(&mut self, index: u32, timestamp: u64) {
        let row = AccountBalance {
            timestamp,
            counters: self.accounts[index as usize].counters(),
        };
        self.history.entry(index).or_default().push(row);
    }

    /// Create a batch of accounts. One result per event; see [`CreateAccountResult`] for the
    /// precedence order. Linked chains are all-or-nothing.
    pub fn create_accounts(&mut self, batch: &[Account], now: u64) -> Vec<CreateAccountResult> {
        self.record(|| JournalOp::CreateAccounts {
            now,
            accounts: batch.to_vec(),
        });
        let base = self.begin_batch(now, batch.len());
        self.expire_until(base);
        let mut results = vec![CreateAccountResult::Created; batch.len()];
        let mut chain: Option<(usize, usize)> = None; // (first event, accounts.len() before)
        let mut broken = false;
        for (i, a) in batch.iter().enumerate() {
            let linked = a.flags.contains(AccountFlags::LINKED);
            if linked && chain.is_none() {
                chain = Some((i, self.accounts.len()));
            }
            let r = if broken {
                CreateAccountResult::LinkedEventFailed
            } else if linked && i + 1 == batch.len() {
                CreateAccountResult::LinkedEventChainOpen
            } else {
                self.create_account(a, base.saturating_add(i as u64))
            };
            results[i] = r;
            if r != CreateAccountResult::Created
                && let Some((start, len_before)) = chain
                && !broken
            {
                for created in self.accounts.drain(len_before..) {
                    self.account_index.remove(created.id);
                }
                self.by_account.truncate(len_before);
                for r in &mut results[start..i] {
                    *r = CreateAccountResult::LinkedEventFailed;
                }
                broken = true;
            }
            if !linked {
                chain = None;
                broken = false;
            }
        }
        results
    }

    fn create_account(&mut self, a: &Account, ts: u64) -> CreateAccountResult {
        use CreateAccountResult as R;
        if a.timestamp != 0 {
            return R::TimestampMustBeZero;
        }
        if a.flags.0 & !AccountFlags::KNOWN.0 != 0 {
            return R::ReservedFlag;
        }
        if a.id == 0 {
            return R::IdMustNotBeZero;
        }
        if a.id == u128::MAX {
            return R::IdMustNotBeIntMax;
        }
        if let Some(&i) = self.account_index.get(a.id) {
            let e = &self.accounts[i as usize];
            // `closed` is mutable state (closing transfers), not part of the identity.
            let mask = |f: AccountFlags| f.without(AccountFlags::CLOSED.with(AccountFlags::LINKED));
            return if mask(a.flags) != mask(e.flags) {
                R::ExistsWithDifferentFlags
            } else if a.user_data_128 != e.user_data_128 {
                R::ExistsWithDifferentUserData128
            } else if a.user_data_64 != e.user_data_64 {
                R::ExistsWithDifferentUserData64
            } else if a.user_data_32 != e.user_data_32 {
                R::ExistsWithDifferentUserData32
            } else if a.ledger != e.ledger {
                R::ExistsWithDifferentLedger
            } else if a.code != e.code {
                R::ExistsWithDifferentCode
            } else {
                R::Exists
            };
        }
        if a.flags
            .contains(AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS)
            && a.flags
                .contains(AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS)
        {
            return R::FlagsAreMutuallyExclusive;
        }
        if a.debits_pending != 0 {
            return R::DebitsPendingMustBeZero;
        }
        if a.debits_posted != 0 {
            return R::DebitsPostedMustBeZero;
        }
        if a.credits_pending != 0 {
            return R::CreditsPendingMustBeZero;
        }
        if a.credits_posted != 0 {
            return R::CreditsPostedMustBeZero;
        }
        if a.ledger == 0 {
            return R::LedgerMustNotBeZero;
        }
        if a.code == 0 {
            return R::CodeMustNotBeZero;
        }
        let Some(index) = u32::try_from(self.accounts.len())
            .ok()
            .filter(|i| *i != u32::MAX)
        else {
            // 4 billion accounts: the index type is the limit. Reported as the closest code
            // rather than panicking.
            return R::ReservedFlag;
        };
        let mut stored = *a;
        stored.timestamp = ts;
        stored.flags = stored.flags.without(AccountFlags::LINKED);
        self.accounts.push(stored);
        self.account_index.insert(a.id, index);
        self.by_account.push(Vec::new());
        R::Created
    }

    /// Create a batch of transfers at time `now` (ns). One result per event; see
    /// [`CreateTransferResult`] for the precedence order. A rejected event or chain changes
    /// no balance; the only state a rejection leaves is the memo of a *transient* failure
    /// (so that a retry returns `id_already_failed`), including for the event that broke a
    /// chain.
    pub fn create_transfers(&mut self, batch: &[Transfer], now: u64) -> Vec<CreateTransferResult> {
        self.record(|| JournalOp::CreateTransfers {
            now,
            transfers: batch.to_vec(),
        });
        let base = self.begin_batch(now, batch.len());
        self.expire_until(base);
        // One growth step per batch instead of several inside it.
        self.transfers.reserve(batch.len());
        self.statuses.reserve(batch.len());
        self.transfer_index.reserve(batch.len());
        let mut results = vec![CreateTransferResult::Created; batch.len()];
        // (first event, transfers stored before it): a chain's effects are exactly the
        // transfers it appended, so rolling back needs no undo log.
        let mut chain: Option<(usize, usize)> = None;
        let mut broken = false;
        self.links.reserve(2 * batch.len());
        let mut ahead = [(None, None); LOOKAHEAD];
        let mut recent = RecentAccounts::new();
        for (i, t) in batch.iter().enumerate() {
            if i % LOOKAHEAD == 0 {
                // Accounts never change index during a batch: resolve the next events'
                // accounts in one pass, so that their cache misses overlap.
                for (slot, t) in ahead.iter_mut().zip(&batch[i..]) {
                    *slot = (
                        self.find_account(t.debit_account_id, &mut recent),
                        self.find_account(t.credit_account_id, &mut recent),
                    );
                }
            }
            let linked = t.flags.contains(TransferFlags::LINKED);
            if linked && chain.is_none() {
                chain = Some((i, self.transfers.len()));
            }
            let r = if broken {
                CreateTransferResult::LinkedEventFailed
            } else if linked && i + 1 == batch.len() {
                CreateTransferResult::LinkedEventChainOpen
            } else {
                let r =
                    self.create_transfer(t, base.saturating_add(i as u64), ahead[i % LOOKAHEAD]);
                if r.is_transient() {
                    self.failed.insert(t.id, r);
                }
                r
            };
            results[i] = r;
            if r != CreateTransferResult::Created
                && let Some((start, transfers_before)) = chain
                && !broken
            {
                self.rollback(transfers_before);
                for r in &mut results[start..i] {
                    *r = CreateTransferResult::LinkedEventFailed;
                }
                broken = true;
            }
            if !linked {
                chain = None;
                broken = false;
            }
        }
        for (account, transfer) in self.links.drain(..) {
            self.by_account[account as usize].push(transfer);
        }
        results
    }

    /// The index of account `id`. Reads the record's first and last fields too (`id` always
    /// matches, `ledger` is never 0): done a few events ahead of use, this brings both of
    /// its cache lines in while other work proceeds. (Not for an account the batch's memo
    /// returned: the batch touched it moments ago.)
    #[inline]
    fn find_account(&self, id: u128, recent: &mut RecentAccounts) -> Option<u32> {
        let (i, memo) = self.account_index.get_recent(id, recent)?;
        if memo {
            return Some(i);
        }
        let a = &self.accounts[i as usize];
        (a.id == id && a.ledger != 0).then_some(i)
    }

    /// Take back the transfers stored after the first `transfers_before`, newest first.
    ///
    /// Every effect of a transfer is a function of the stored record: the counters moved by
    /// its (actual) amount, the `closed` flag its closing flags set (creation requires the
    /// account open) or its void cleared (a pending closing transfer keeps its account
    /// closed until resolved), the pending transfer it resolved (necessarily `pending`
    /// before), its expiry entry, and one index/history row per account. Integer counters
    /// undo exactly, so no copies are kept while a chain is open.
    fn rollback(&mut self, transfers_before: usize) {
        use TransferFlags as F;
        while self.transfers.len() > transfers_before {
            let Some(t) = self.transfers.pop() else {
                break;
            };
            self.statuses.pop();
            self.transfer_index
                .remove(t.id, self.transfers.len() as u32);
            let dr_i = self.account_index[t.debit_account_id];
            let cr_i = self.account_index[t.credit_account_id];
            // The chain's transfers belong to the batch in progress: their links are pending.
            self.links.truncate(self.links.len().saturating_sub(2));
            for idx in [dr_i, cr_i] {
                // `history` never changes after creation, so rows were pushed iff it is set.
                if self.accounts[idx as usize]
                    .flags
                    .contains(AccountFlags::HISTORY)
                    && let Some(h) = self.history.get_mut(&idx)
                {
                    h.pop();
                }
            }
            let f = t.flags;
            let (mut dr, mut cr) = (self.accounts[dr_i as usize], self.accounts[cr_i as usize]);
            if f.intersects(F::POST_PENDING_TRANSFER.with(F::VOID_PENDING_TRANSFER)) {
                let Some(index) = self.transfer_index.get(t.pending_id, &self.transfers) else {
                    continue;
                };
                self.statuses[index as usize] = PendingStatus::Pending;
                let p = self.transfers[index as usize];
                dr.debits_pending += p.amount;
                cr.credits_pending += p.amount;
                if f.contains(F::POST_PENDING_TRANSFER) {
                    dr.debits_posted -= t.amount;
                    cr.credits_posted -= t.amount;
                } else {
                    if p.flags.contains(F::CLOSING_DEBIT) {
                        dr.flags = dr.flags.with(AccountFlags::CLOSED);
                    }
                    if p.flags.contains(F::CLOSING_CREDIT) {
                        cr.flags = cr.flags.with(AccountFlags::CLOSED);
                    }
                }
                if p.timeout != 0 {
                    self.expiry.insert(expiry_key(&p));
                }
            } else if f.contains(F::PENDING) {
                dr.debits_pending -= t.amount;
                cr.credits_pending -= t.amount;
                if f.contains(F::CLOSING_DEBIT) {
                    dr.flags = dr.flags.without(AccountFlags::CLOSED);
                }
                if f.contains(F::CLOSING_CREDIT) {
                    cr.flags = cr.flags.without(AccountFlags::CLOSED);
                }
                if t.timeout != 0 {
                    self.expiry.remove(&expiry_key(&t));
                }
            } else {
                dr.debits_posted -= t.amount;
                cr.credits_posted -= t.amount;
            }
            self.accounts[dr_i as usize] = dr;
            self.accounts[cr_i as usize] = cr;
        }
    }

    /// `accounts`: the debit and credit accounts' indices, looked up ahead (see
    /// [`Ledger::find_account`]).
    ///
    /// The id is entered in the transfer index as soon as it is known to be new, with the
    /// slot the transfer will take, and taken out again if the event fails: one hash probe
    /// per new transfer instead of a lookup followed by an insert. Nothing between the
    /// two points stores a transfer, so the slot is the one [`Ledger::validate_and_apply`]
    /// and [`Ledger::link_transfer`] fill.
    fn create_transfer(
        &mut self,
        t: &Transfer,
        ts: u64,
        accounts: (Option<u32>, Option<u32>),
    ) -> CreateTransferResult {
        use CreateTransferResult as R;
        use TransferFlags as F;
        if t.timestamp != 0 {
            return R::TimestampMustBeZero;
        }
        if t.flags.0 & !F::KNOWN.0 != 0 {
            return R::ReservedFlag;
        }
        if t.id == 0 {
            return R::IdMustNotBeZero;
        }
        if t.id == u128::MAX {
            return R::IdMustNotBeIntMax;
        }
        // u32 indices: 4 billion transfers per ledger instance (≈ 700 GB of state) is the cap.
        let index = u32::try_from(self.transfers.len()).expect("more than u32::MAX transfers");
        if let Err(present) = self.transfer_index.try_insert(t.id, index, &self.transfers) {
            return exists(t, &self.transfers[present as usize]);
        }
        let r = self.validate_and_apply(t, ts, accounts);
        if r != R::Created {
            self.transfer_index.remove(t.id, index);
        }
        r
    }

    /// [`Ledger::create_transfer`] once the id is known to be new (and entered in the index).
    #[inline]
    fn validate_and_apply(
        &mut self,
        t: &Transfer,
        ts: u64,
        accounts: (Option<u32>, Option<u32>),
    ) -> CreateTransferResult {
        use TransferFlags as F;
        // Most transfers carry no flag but `linked` or `pending`: for them the same code is
        // compiled a second time with the other flags known to be clear, so the checks and
        // branches about post/void/balancing/closing fold away.
        if t.flags.0 & !(F::LINKED.0 | F::PENDING.0) == 0 {
            self.validate_and_apply_as::<true>(t, ts, accounts)
        } else {
            self.validate_and_apply_as::<false>(t, ts, accounts)
        }
    }

    /// [`Ledger::validate_and_apply`]; `SIMPLE`: the caller checked that no flag other than
    /// `linked` and `pending` is set.
    #[inline(always)]
    fn validate_and_apply_as<const SIMPLE: bool>(
        &mut self,
        t: &Transfer,
        ts: u64,
        accounts: (Option<u32>, Option<u32>),
    ) -> CreateTransferResult {
        use CreateTransferResult as R;
        use TransferFlags as F;
        if !self.failed.is_empty() && self.failed.contains_key(t.id) {
            return R::IdAlreadyFailed;
        }
        let f = t.flags;
        let has = |flag: F| !SIMPLE && f.contains(flag);
        let pending = f.contains(F::PENDING);
        let post = has(F::POST_PENDING_TRANSFER);
        let void = has(F::VOID_PENDING_TRANSFER);
        let balancing = has(F::BALANCING_DEBIT) || has(F::BALANCING_CREDIT);
        let closing = has(F::CLOSING_DEBIT) || has(F::CLOSING_CREDIT);
        let exclusive = [post, void, balancing, closing]
            .iter()
            .filter(|b| **b)
            .count()
            > 1;
        if exclusive || pending && (post || void) {
            return R::FlagsAreMutuallyExclusive;
        }
        let resolving = post || void;
        if t.debit_account_id == 0 && !resolving {
            return R::DebitAccountIdMustNotBeZero;
        }
        if t.debit_account_id == u128::MAX {
            return R::DebitAccountIdMustNotBeIntMax;
        }
        if t.credit_account_id == 0 && !resolving {
            return R::CreditAccountIdMustNotBeZero;
        }
        if t.credit_account_id == u128::MAX {
            return R::CreditAccountIdMustNotBeIntMax;
        }
        if t.debit_account_id != 0 && t.debit_account_id == t.credit_account_id {
            return R::AccountsMustBeDifferent;
        }
        if !resolving {
            if t.pending_id != 0 {
                return R::PendingIdMustBeZero;
            }
        } else if t.pending_id == 0 {
            return R::PendingIdMustNotBeZero;
        } else if t.pending_id == u128::MAX {
            return R::PendingIdMustNotBeIntMax;
        } else if t.pending_id == t.id {
            return R::PendingIdMustBeDifferent;
        }
        if t.timeout != 0 && !pending {
            return R::TimeoutReservedForPendingTransfer;
        }
        if closing && !pending {
            return R::ClosingTransferMustBePending;
        }
        if t.amount == 0 && !void && !closing {
            return R::AmountMustNotBeZero;
        }
        if !resolving {
            if t.ledger == 0 {
                return R::LedgerMustNotBeZero;
            }
            if t.code == 0 {
                return R::CodeMustNotBeZero;
            }
        }
        if resolving {
            return self.resolve_pending(t, ts, post);
        }

        let Some(dr_i) = accounts.0 else {
            return R::DebitAccountNotFound;
        };
        let Some(cr_i) = accounts.1 else {
            return R::CreditAccountNotFound;
        };
        // Read in place (an account is 128 bytes; copying both out and back in cost more
        // than the checks); written below, after every check passed.
        let (dr, cr) = (&self.accounts[dr_i as usize], &self.accounts[cr_i as usize]);
        if dr.ledger != cr.ledger {
            return R::AccountsMustHaveTheSameLedger;
        }
        if t.ledger != dr.ledger {
            return R::TransferMustHaveTheSameLedgerAsAccounts;
        }
        if dr.flags.contains(AccountFlags::CLOSED) {
            return R::DebitAccountAlreadyClosed;
        }
        if cr.flags.contains(AccountFlags::CLOSED) {
            return R::CreditAccountAlreadyClosed;
        }
        // Invariant (overflows_debits/credits checks): pending + posted never overflows.
        let dr_total = dr.debits_pending + dr.debits_posted;
        let cr_total = cr.credits_pending + cr.credits_posted;
        let mut amount = t.amount;
        if has(F::BALANCING_DEBIT) {
            amount = amount.min(dr.credits_posted.saturating_sub(dr_total));
        }
        if has(F::BALANCING_CREDIT) {
            amount = amount.min(cr.debits_posted.saturating_sub(cr_total));
        }
        if pending {
            if dr.debits_pending.checked_add(amount).is_none() {
                return R::OverflowsDebitsPending;
            }
            if cr.credits_pending.checked_add(amount).is_none() {
                return R::OverflowsCreditsPending;
            }
        } else {
            if dr.debits_posted.checked_add(amount).is_none() {
                return R::OverflowsDebitsPosted;
            }
            if cr.credits_posted.checked_add(amount).is_none() {
                return R::OverflowsCreditsPosted;
            }
        }
        let Some(dr_new_total) = dr_total.checked_add(amount) else {
            return R::OverflowsDebits;
        };
        let Some(cr_new_total) = cr_total.checked_add(amount) else {
            return R::OverflowsCredits;
        };
        let mut expires_at = 0;
        if pending && t.timeout != 0 {
            match u64::from(t.timeout)
                .checked_mul(NS_PER_S)
                .and_then(|d| ts.checked_add(d))
            {
                Some(e) => expires_at = e,
                None => return R::OverflowsTimeout,
            }
        }
        if dr
            .flags
            .contains(AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS)
            && dr_new_total > dr.credits_posted
        {
            return R::ExceedsCredits;
        }
        if cr
            .flags
            .contains(AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS)
            && cr_new_total > cr.debits_posted
        {
            return R::ExceedsDebits;
        }

        // Apply. (`history` never changes after creation: read it here, where the account
        // is at hand.)
        let dr = &mut self.accounts[dr_i as usize];
        let dr_history = dr.flags.contains(AccountFlags::HISTORY);
        if pending {
            dr.debits_pending += amount;
        } else {
            dr.debits_posted += amount;
        }
        if has(F::CLOSING_DEBIT) {
            dr.flags = dr.flags.with(AccountFlags::CLOSED);
        }
        let cr = &mut self.accounts[cr_i as usize];
        if pending {
            cr.credits_pending += amount;
        } else {
            cr.credits_posted += amount;
        }
        if has(F::CLOSING_CREDIT) {
            cr.flags = cr.flags.with(AccountFlags::CLOSED);
        }
        let history = (dr_history, cr.flags.contains(AccountFlags::HISTORY));
        if expires_at != 0 {
            self.expiry.insert((expires_at, ts, t.id));
        }
        // Copied once, straight into the log, then the three resolved fields set there.
        self.transfers.push(*t);
        // Only a successful pending transfer is stored with the `pending` flag (a post or
        // void that carries it fails validation).
        self.statuses.push(if pending {
            PendingStatus::Pending
        } else {
            PendingStatus::None
        });
        if let Some(stored) = self.transfers.last_mut() {
            stored.amount = amount;
            stored.timestamp = ts;
            stored.flags = f.without(F::LINKED);
        }
        self.link_transfer(dr_i, cr_i, ts, history);
        R::Created
    }

    /// Record the accounts' side of the transfer just pushed (whose id
    /// [`Ledger::create_transfer`] already entered in the index).
    #[inline(always)]
    fn link_transfer(&mut self, dr_i: u32, cr_i: u32, ts: u64, history: (bool, bool)) {
        let index = (self.transfers.len() - 1) as u32;
        debug_assert_eq!(
            self.transfers
                .last()
                .and_then(|t| self.transfer_index.get(t.id, &self.transfers)),
            Some(index)
        );
        debug_assert_eq!(self.statuses.len(), self.transfers.len());
        self.links.push((dr_i, index));
        self.links.push((cr_i, index));
        if history.0 {
            self.push_history_row(dr_i, ts);
        }
        if history.1 {
            self.push_history_row(cr_i, ts);
        }
    }

    fn resolve_pending(&mut self, t: &Transfer, ts: u64, post: bool) -> CreateTransferResult {
        use CreateTransferResult as R;
        use TransferFlags as F;
        let Some(p_index) = self.transfer_index.get(t.pending_id, &self.transfers) else {
            return R::PendingTransferNotFound;
        };
        let p = self.transfers[p_index as usize];
        if !p.flags.contains(F::PENDING) {
            return R::PendingTransferNotPending;
        }
        if t.debit_account_id != 0 && t.debit_account_id != p.debit_account_id {
            return R::PendingTransferHasDifferentDebitAccountId;
        }
        if t.credit_account_id != 0 && t.credit_account_id != p.credit_account_id {
            return R::PendingTransferHasDifferentCreditAccountId;
        }
        if t.ledger != 0 && t.ledger != p.ledger {
            return R::PendingTransferHasDifferentLedger;
        }
        if t.code != 0 && t.code != p.code {
            return R::PendingTransferHasDifferentCode;
        }
        let amount = if post {
            if t.amount == AMOUNT_MAX {
                p.amount
            } else if t.amount > p.amount {
                return R::ExceedsPendingTransferAmount;
            } else {
                t.amount
            }
        } else if t.amount == 0 || t.amount == p.amount {
            p.amount
        } else {
            return R::PendingTransferHasDifferentAmount;
        };
        match self.statuses[p_index as usize] {
            PendingStatus::Posted => return R::PendingTransferAlreadyPosted,
            PendingStatus::Voided => return R::PendingTransferAlreadyVoided,
            PendingStatus::Expired => return R::PendingTransferExpired,
            PendingStatus::Pending | PendingStatus::None => {}
        }
        let expiry_key = (p.timeout != 0).then(|| expiry_key(&p));
        if let Some((expires_at, _, _)) = expiry_key
            && expires_at <= ts
        {
            return R::PendingTransferExpired;
        }
        let dr_i = self.account_index[p.debit_account_id];
        let cr_i = self.account_index[p.credit_account_id];
        let mut dr = self.accounts[dr_i as usize];
        let mut cr = self.accounts[cr_i as usize];
        if post {
            // A closing transfer may still be posted although it closed its own account.
            if dr.flags.contains(AccountFlags::CLOSED) && !p.flags.contains(F::CLOSING_DEBIT) {
                return R::DebitAccountAlreadyClosed;
            }
            if cr.flags.contains(AccountFlags::CLOSED) && !p.flags.contains(F::CLOSING_CREDIT) {
                return R::CreditAccountAlreadyClosed;
            }
            if dr.debits_posted.checked_add(amount).is_none() {
                return R::OverflowsDebitsPosted;
            }
            if cr.credits_posted.checked_add(amount).is_none() {
                return R::OverflowsCreditsPosted;
            }
        }
        dr.debits_pending -= p.amount;
        cr.credits_pending -= p.amount;
        if post {
            dr.debits_posted += amount;
            cr.credits_posted += amount;
        } else {
            if p.flags.contains(F::CLOSING_DEBIT) {
                dr.flags = dr.flags.without(AccountFlags::CLOSED);
            }
            if p.flags.contains(F::CLOSING_CREDIT) {
                cr.flags = cr.flags.without(AccountFlags::CLOSED);
            }
        }
        self.accounts[dr_i as usize] = dr;
        self.accounts[cr_i as usize] = cr;
        let new_status = if post {
            PendingStatus::Posted
        } else {
            PendingStatus::Voided
        };
        self.statuses[p_index as usize] = new_status;
        if let Some(k) = expiry_key {
            self.expiry.remove(&k);
        }
        let stored = Transfer {
            debit_account_id: p.debit_account_id,
            credit_account_id: p.credit_account_id,
            ledger: p.ledger,
            code: p.code,
            amount,
            timestamp: ts,
            flags: t.flags.without(F::LINKED),
            ..*t
        };
        self.transfers.push(stored);
        self.statuses.push(PendingStatus::None);
        let history = (
            dr.flags.contains(AccountFlags::HISTORY),
            cr.flags.contains(AccountFlags::HISTORY),
        );
        self.link_transfer(dr_i, cr_i, ts, history);
        R::Created
    }
}

/// The expiry entry of a stored pending transfer with a timeout (validated on creation not
/// to overflow).
fn expiry_key(p: &Transfer) -> ExpiryKey {
    (
        p.timestamp + u64::from(p.timeout) * NS_PER_S,
        p.timestamp,
        p.id,
    )
}

/// Result for a retry of an existing transfer `s` (as stored) with the event `t`.
fn exists(t: &Transfer, s: &Transfer) -> CreateTransferResult {
    use CreateTransferResult as R;
    use TransferFlags as F;
    let resolving = s
        .flags
        .intersects(F::POST_PENDING_TRANSFER.with(F::VOID_PENDING_TRANSFER));
    let same_or_inherited = |given: u128, stored: u128| given == stored || resolving && given == 0;
    let amount_ok = if s
        .flags
        .intersects(F::BALANCING_DEBIT.with(F::BALANCING_CREDIT))
    {
        t.amount >= s.amount
    } else if s.flags.contains(F::POST_PENDING_TRANSFER) {
        t.amount == s.amount || t.amount == AMOUNT_MAX
    } else if s.flags.contains(F::VOID_PENDING_TRANSFER) {
        t.amount == s.amount || t.amount == 0
    } else {
        t.amount == s.amount
    };
    if t.flags.without(F::LINKED) != s.flags {
        R::ExistsWithDifferentFlags
    } else if t.pending_id != s.pending_id {
        R::ExistsWithDifferentPendingId
    } else if t.timeout != s.timeout {
        R::ExistsWithDifferentTimeout
    } else if !same_or_inherited(t.debit_account_id, s.debit_account_id) {
        R::ExistsWithDifferentDebitAccountId
    } else if !same_or_inherited(t.credit_account_id, s.credit_account_id) {
        R::ExistsWithDifferentCreditAccountId
    } else if !amount_ok {
        R::ExistsWithDifferentAmount
    } else if t.user_data_128 != s.user_data_128 {
        R::ExistsWithDifferentUserData128
    } else if t.user_data_64 != s.user_data_64 {
        R::ExistsWithDifferentUserData64
    } else if t.user_data_32 != s.user_data_32 {
        R::ExistsWithDifferentUserData32
    } else if !same_or_inherited(u128::from(t.ledger), u128::from(s.ledger)) {
        R::ExistsWithDifferentLedger
    } else if !same_or_inherited(u128::from(t.code), u128::from(s.code)) {
        R::ExistsWithDifferentCode
    } else {
        R::Exists
    }
}
