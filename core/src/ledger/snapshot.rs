//! Snapshot/restore of the whole state, the state digest, and the invariant auditor.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::account::{Account, AccountBalance, AccountFlags, Counters};
use super::engine::{Ledger, NS_PER_S};
use super::result::CreateTransferResult;
use super::transfer::{PendingStatus, Transfer, TransferFlags};

/// Snapshot format version written by this build.
pub const SNAPSHOT_VERSION: u32 = 1;

/// The complete state of a [`Ledger`] as plain data. Indices are rebuilt on restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// [`SNAPSHOT_VERSION`].
    pub version: u32,
    /// Last assigned timestamp.
    pub clock: u64,
    /// Next journal sequence number.
    pub journal_seq: u64,
    /// Accounts in creation order.
    pub accounts: Vec<Account>,
    /// Transfers in timestamp order.
    pub transfers: Vec<Transfer>,
    /// Status of every pending transfer (`(id, status)`), in transfer order.
    pub pending: Vec<(u128, PendingStatus)>,
    /// Memoised transient failures, by ascending id.
    pub failed: Vec<(u128, CreateTransferResult)>,
    /// History rows of history accounts, by account id.
    pub history: Vec<(u128, Vec<AccountBalance>)>,
}

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not valid JSON for a snapshot.
    #[error("snapshot line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Parser message.
        message: String,
    },
    /// Unknown format version.
    #[error("snapshot version {0} is not supported (expected {SNAPSHOT_VERSION})")]
    Version(u32),
    /// Well-formed but internally inconsistent.
    #[error("snapshot {path}: {reason}")]
    Invalid {
        /// Where, e.g. `transfers[12].debit_account_id`.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

fn invalid(path: impl Into<String>, reason: impl Into<String>) -> SnapshotError {
    SnapshotError::Invalid {
        path: path.into(),
        reason: reason.into(),
    }
}

/// An invariant the auditor found broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvariantViolation {
    /// Σ debits ≠ Σ credits on a ledger (posted or pending).
    #[error("ledger {ledger}: {which} debits {debits} != credits {credits}")]
    Unbalanced {
        /// Ledger number.
        ledger: u32,
        /// `posted` or `pending`.
        which: &'static str,
        /// Sum of debits.
        debits: u128,
        /// Sum of credits.
        credits: u128,
    },
    /// A balance limit flag does not hold.
    #[error("account {0}: balance limit violated")]
    LimitViolated(u128),
    /// The counters differ from what the transfers imply.
    #[error("account {0}: counters differ from what its transfers imply")]
    CountersMismatch(u128),
}

impl Ledger {
    /// The state as plain data.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        debug_assert_eq!(self.statuses.len(), self.transfers.len());
        let pending = self
            .transfers
            .iter()
            .zip(&self.statuses)
            .filter(|(t, _)| t.flags.contains(TransferFlags::PENDING))
            .map(|(t, status)| (t.id, *status))
            .collect();
        let mut failed: Vec<_> = self.failed.iter().map(|(k, v)| (k, *v)).collect();
        failed.sort_unstable_by_key(|e| e.0);
        let mut history: Vec<_> = self
            .history
            .iter()
            .map(|(i, rows)| (self.accounts[*i as usize].id, rows.clone()))
            .collect();
        history.sort_unstable_by_key(|e| e.0);
        Snapshot {
            version: SNAPSHOT_VERSION,
            clock: self.clock,
            journal_seq: self.journal_seq,
            accounts: self.accounts.clone(),
            transfers: self.transfers.clone(),
            pending,
            failed,
            history,
        }
    }

    /// A 64-bit FNV-1a digest of the snapshot's canonical JSON: equal states have equal
    /// digests (used to check that replay is bit for bit).
    #[must_use]
    pub fn digest(&self) -> u64 {
        let json = serde_json::to_vec(&self.snapshot()).expect("snapshot serializes");
        json.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Rebuild a ledger from a snapshot, validating it fully (ids, references, timestamps,
    /// statuses, and counters against the transfers). Journaling is enabled.
    pub fn restore(s: Snapshot) -> Result<Self, SnapshotError> {
        if s.version != SNAPSHOT_VERSION {
            return Err(SnapshotError::Version(s.version));
        }
        let mut l = Ledger::new();
        l.clock = s.clock;
        l.journal_seq = s.journal_seq;
        let mut last_ts = 0;
        for (i, a) in s.accounts.iter().enumerate() {
            if a.id == 0 || a.id == u128::MAX || a.ledger == 0 || a.code == 0 {
                return Err(invalid(
                    format!("accounts[{i}]"),
                    "reserved id, zero ledger or zero code",
                ));
            }
            if a.flags.0 & !AccountFlags::KNOWN.0 != 0 || a.flags.contains(AccountFlags::LINKED) {
                return Err(invalid(
                    format!("accounts[{i}].flags"),
                    "unknown or linked flag",
                ));
            }
            if a.timestamp <= last_ts || a.timestamp > s.clock {
                return Err(invalid(
                    format!("accounts[{i}].timestamp"),
                    "not increasing or after clock",
                ));
            }
            last_ts = a.timestamp;
            let idx = u32::try_from(i).map_err(|_| invalid("accounts", "too many"))?;
            if l.account_index.insert(a.id, idx).is_some() {
                return Err(invalid(format!("accounts[{i}].id"), "duplicate id"));
            }
            l.by_account.push(Vec::new());
        }
        l.accounts = s.accounts;
        let statuses: BTreeMap<u128, PendingStatus> = s.pending.iter().copied().collect();
        let mut last_ts = 0;
        let mut expected: Vec<Counters> = vec![Counters::default(); l.accounts.len()];
        for (i, t) in s.transfers.iter().enumerate() {
            let at = |f: &str| format!("transfers[{i}].{f}");
            if t.id == 0 || t.id == u128::MAX {
                return Err(invalid(at("id"), "reserved id"));
            }
            if t.timestamp <= last_ts || t.timestamp > s.clock {
                return Err(invalid(at("timestamp"), "not increasing or after clock"));
            }
            last_ts = t.timestamp;
            if t.flags.0 & !TransferFlags::KNOWN.0 != 0 || t.flags.contains(TransferFlags::LINKED) {
                return Err(invalid(at("flags"), "unknown or linked flag"));
            }
            let dr = *l
                .account_index
                .get(t.debit_account_id)
                .ok_or_else(|| invalid(at("debit_account_id"), "unknown account"))?;
            let cr = *l
                .account_index
                .get(t.credit_account_id)
                .ok_or_else(|| invalid(at("credit_account_id"), "unknown account"))?;
            if dr == cr {
                return Err(invalid(at("credit_account_id"), "same as debit account"));
            }
            let pending = t.flags.contains(TransferFlags::PENDING);
            let status = if pending {
                *statuses
                    .get(&t.id)
                    .ok_or_else(|| invalid(at("id"), "pending transfer without status"))?
            } else {
                PendingStatus::None
            };
            if pending == (status == PendingStatus::None) {
                return Err(invalid(at("id"), "status does not match the pending flag"));
            }
            let resolving = t.flags.intersects(
                TransferFlags::POST_PENDING_TRANSFER.with(TransferFlags::VOID_PENDING_TRANSFER),
            );
            if resolving {
                let p = l
                    .transfer_index
                    .get(t.pending_id, &s.transfers)
                    .ok_or_else(|| invalid(at("pending_id"), "unknown transfer"))?;
                let pt = s.transfers[p as usize];
                if !pt.flags.contains(TransferFlags::PENDING) {
                    return Err(invalid(at("pending_id"), "not a pending transfer"));
                }
            }
            let add = |x: u128, y: u128, f: &str| {
                x.checked_add(y)
                    .ok_or_else(|| invalid(at(f), "counter overflow"))
            };
            if pending {
                if status == PendingStatus::Pending {
                    let d = &mut expected[dr as usize];
                    d.debits_pending = add(d.debits_pending, t.amount, "amount")?;
                    let c = &mut expected[cr as usize];
                    c.credits_pending = add(c.credits_pending, t.amount, "amount")?;
                    if t.timeout != 0 {
                        let e = u64::from(t.timeout)
                            .checked_mul(NS_PER_S)
                            .and_then(|d| d.checked_add(t.timestamp))
                            .ok_or_else(|| invalid(at("timeout"), "expiry overflows"))?;
                        l.expiry.insert((e, t.timestamp, t.id));
                    }
                }
            } else if !t.flags.contains(TransferFlags::VOID_PENDING_TRANSFER) {
                let d = &mut expected[dr as usize];
                d.debits_posted = add(d.debits_posted, t.amount, "amount")?;
                let c = &mut expected[cr as usize];
                c.credits_posted = add(c.credits_posted, t.amount, "amount")?;
            }
            let index = u32::try_from(i).map_err(|_| invalid("transfers", "too many"))?;
            if l.transfer_index
                .try_insert(t.id, index, &s.transfers)
                .is_err()
            {
                return Err(invalid(at("id"), "duplicate id"));
            }
            l.statuses.push(status);
            l.by_account[dr as usize].push(index);
            l.by_account[cr as usize].push(index);
        }
        if statuses.len() != s.pending.len()
            || statuses
                .keys()
                .any(|id| l.transfer_index.get(*id, &s.transfers).is_none())
        {
            return Err(invalid("pending", "duplicate or unknown transfer id"));
        }
        for (a, e) in l.accounts.iter().zip(&expected) {
            if a.counters() != *e {
                return Err(invalid(
                    format!("accounts[id={}]", a.id),
                    "counters differ from the transfers",
                ));
            }
        }
        l.transfers = s.transfers;
        for (i, (id, r)) in s.failed.into_iter().enumerate() {
            if !r.is_transient() || l.transfer_index.get(id, &l.transfers).is_some() {
                return Err(invalid(
                    format!("failed[{i}]"),
                    "not a transient failure of an unknown id",
                ));
            }
            l.failed.insert(id, r);
        }
        for (i, (id, rows)) in s.history.into_iter().enumerate() {
            let &idx = l
                .account_index
                .get(id)
                .ok_or_else(|| invalid(format!("history[{i}]"), "unknown account"))?;
            if !l.accounts[idx as usize]
                .flags
                .contains(AccountFlags::HISTORY)
            {
                return Err(invalid(
                    format!("history[{i}]"),
                    "account has no history flag",
                ));
            }
            if rows.windows(2).any(|w| w[0].timestamp > w[1].timestamp) {
                return Err(invalid(format!("history[{i}]"), "rows out of order"));
            }
            l.history.insert(idx, rows);
        }
        l.check_invariants()
            .map_err(|e| invalid("accounts", e.to_string()))?;
        Ok(l)
    }

    /// Check the ledger's invariants: per ledger Σ debits == Σ credits (posted and pending),
    /// balance limits hold, and every account's counters equal what its transfers imply.
    pub fn check_invariants(&self) -> Result<(), InvariantViolation> {
        debug_assert_eq!(self.statuses.len(), self.transfers.len());
        let mut sums: BTreeMap<u32, [u128; 4]> = BTreeMap::new();
        for a in &self.accounts {
            let s = sums.entry(a.ledger).or_default();
            // Each sum is bounded by the total amount ever moved on that ledger; wrapping is
            // impossible unless the counters themselves are corrupt (then the check fails).
            s[0] = s[0].wrapping_add(a.debits_posted);
            s[1] = s[1].wrapping_add(a.credits_posted);
            s[2] = s[2].wrapping_add(a.debits_pending);
            s[3] = s[3].wrapping_add(a.credits_pending);
            let dr_total = a.debits_pending.checked_add(a.debits_posted);
            let cr_total = a.credits_pending.checked_add(a.credits_posted);
            let bad = (a
                .flags
                .contains(AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS)
                && dr_total.is_none_or(|d| d > a.credits_posted))
                || (a
                    .flags
                    .contains(AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS)
                    && cr_total.is_none_or(|c| c > a.debits_posted));
            if bad {
                return Err(InvariantViolation::LimitViolated(a.id));
            }
        }
        for (ledger, s) in sums {
            if s[0] != s[1] {
                return Err(InvariantViolation::Unbalanced {
                    ledger,
                    which: "posted",
                    debits: s[0],
                    credits: s[1],
                });
            }
            if s[2] != s[3] {
                return Err(InvariantViolation::Unbalanced {
                    ledger,
                    which: "pending",
                    debits: s[2],
                    credits: s[3],
                });
            }
        }
        let mut expected = vec![Counters::default(); self.accounts.len()];
        for (t, &status) in self.transfers.iter().zip(&self.statuses) {
            let dr = self.account_index[t.debit_account_id] as usize;
            let cr = self.account_index[t.credit_account_id] as usize;
            if t.flags.contains(TransferFlags::PENDING) {
                if status == PendingStatus::Pending {
                    expected[dr].debits_pending =
                        expected[dr].debits_pending.wrapping_add(t.amount);
                    expected[cr].credits_pending =
                        expected[cr].credits_pending.wrapping_add(t.amount);
                }
            } else if !t.flags.contains(TransferFlags::VOID_PENDING_TRANSFER) {
                expected[dr].debits_posted = expected[dr].debits_posted.wrapping_add(t.amount);
                expected[cr].credits_posted = expected[cr].credits_posted.wrapping_add(t.amount);
            }
        }
        for (a, e) in self.accounts.iter().zip(expected) {
            if a.counters() != e {
                return Err(InvariantViolation::CountersMismatch(a.id));
            }
        }
        Ok(())
    }
}

impl Snapshot {
    /// Pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("snapshots always serialize")
    }

    /// Parse JSON, reporting line and column on error (then call [`Ledger::restore`]).
    pub fn from_json(text: &str) -> Result<Self, SnapshotError> {
        serde_json::from_str(text).map_err(|e| SnapshotError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    }
}
