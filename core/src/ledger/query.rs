//! Read-side queries: lookups, history, balance as of a time, transfers by account.

use serde::{Deserialize, Serialize};

use super::account::{Account, AccountBalance, AccountFlags, Counters};
use super::engine::Ledger;
use super::transfer::{PendingStatus, Transfer};

/// Largest page [`Ledger::transfers_by_account`] returns (TigerBeetle's batch size).
pub const MAX_PAGE: u32 = 8190;

/// Why a query was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// No account with this id.
    #[error("account {0} not found")]
    AccountNotFound(u128),
    /// History queries need an account created with the `history` flag.
    #[error("account {0} was not created with the history flag")]
    HistoryNotEnabled(u128),
    /// `limit` must be in `1..=MAX_PAGE`.
    #[error("limit {0} out of range 1..={MAX_PAGE}")]
    BadLimit(u32),
    /// The account did not exist yet at that time.
    #[error("account {id} did not exist at timestamp {timestamp}")]
    BeforeCreation {
        /// Account id.
        id: u128,
        /// The time asked for.
        timestamp: u64,
    },
}

/// Which transfers of an account to list, and from where (cursor paging).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFilter {
    /// The account.
    pub account_id: u128,
    /// Continue after this timestamp (exclusive; before it when `reversed`). `None` starts
    /// at the beginning (or the end when `reversed`).
    pub cursor: Option<u64>,
    /// Page size, `1..=MAX_PAGE`.
    pub limit: u32,
    /// Include transfers debiting the account.
    pub debits: bool,
    /// Include transfers crediting the account.
    pub credits: bool,
    /// Newest first.
    pub reversed: bool,
}

impl AccountFilter {
    /// Both sides, oldest first, first page.
    #[must_use]
    pub fn new(account_id: u128, limit: u32) -> Self {
        Self {
            account_id,
            cursor: None,
            limit,
            debits: true,
            credits: true,
            reversed: false,
        }
    }
}

/// One page of transfers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferPage {
    /// Transfers in the requested order.
    pub transfers: Vec<Transfer>,
    /// Pass as `cursor` to get the next page; `None` when this page is the last.
    pub next_cursor: Option<u64>,
}

impl Ledger {
    /// The account with `id`.
    #[must_use]
    pub fn account(&self, id: u128) -> Option<&Account> {
        self.account_index
            .get(id)
            .map(|&i| &self.accounts[i as usize])
    }

    /// The transfer with `id` (as stored: resolved accounts and actual amount).
    #[must_use]
    pub fn transfer(&self, id: u128) -> Option<&Transfer> {
        self.transfer_index
            .get(id, &self.transfers)
            .map(|i| &self.transfers[i as usize])
    }

    /// For a pending transfer: whether it is still pending, posted, voided or expired.
    #[must_use]
    pub fn pending_status(&self, id: u128) -> Option<PendingStatus> {
        self.transfer_index
            .get(id, &self.transfers)
            .map(|i| self.statuses[i as usize])
    }

    /// All accounts, in creation order.
    #[must_use]
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// All transfers, in timestamp order.
    #[must_use]
    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    /// Transient failure memoised for `id`, if any.
    #[must_use]
    pub fn failed_result(&self, id: u128) -> Option<super::CreateTransferResult> {
        self.failed.get(id).copied()
    }

    fn history_index(&self, id: u128) -> Result<u32, QueryError> {
        let &i = self
            .account_index
            .get(id)
            .ok_or(QueryError::AccountNotFound(id))?;
        if !self.accounts[i as usize]
            .flags
            .contains(AccountFlags::HISTORY)
        {
            return Err(QueryError::HistoryNotEnabled(id));
        }
        Ok(i)
    }

    /// Counters after every transfer (and expiry) that touched a history account.
    pub fn account_history(&self, id: u128) -> Result<&[AccountBalance], QueryError> {
        let i = self.history_index(id)?;
        Ok(self.history.get(&i).map_or(&[][..], Vec::as_slice))
    }

    /// The counters of a history account as of `timestamp` (inclusive).
    pub fn balance_as_of(&self, id: u128, timestamp: u64) -> Result<Counters, QueryError> {
        let i = self.history_index(id)?;
        if self.accounts[i as usize].timestamp > timestamp {
            return Err(QueryError::BeforeCreation { id, timestamp });
        }
        let rows = self.history.get(&i).map_or(&[][..], Vec::as_slice);
        let n = rows.partition_point(|r| r.timestamp <= timestamp);
        Ok(if n == 0 {
            Counters::default()
        } else {
            rows[n - 1].counters
        })
    }

    /// A page of the transfers touching an account.
    pub fn transfers_by_account(&self, filter: &AccountFilter) -> Result<TransferPage, QueryError> {
        if filter.limit == 0 || filter.limit > MAX_PAGE {
            return Err(QueryError::BadLimit(filter.limit));
        }
        let id = filter.account_id;
        let &i = self
            .account_index
            .get(id)
            .ok_or(QueryError::AccountNotFound(id))?;
        let list = &self.by_account[i as usize];
        let ts = |k: &u32| self.transfers[*k as usize].timestamp;
        let wanted = |t: &Transfer| {
            filter.debits && t.debit_account_id == id || filter.credits && t.credit_account_id == id
        };
        let limit = filter.limit as usize;
        let mut out = Vec::with_capacity(limit.min(list.len()));
        let mut more = false;
        let mut push = |t: &Transfer| {
            if out.len() == limit {
                more = true;
                false
            } else {
                out.push(*t);
                true
            }
        };
        if filter.reversed {
            let end = filter
                .cursor
                .map_or(list.len(), |c| list.partition_point(|k| ts(k) < c));
            for k in list[..end].iter().rev() {
                let t = &self.transfers[*k as usize];
                if wanted(t) && !push(t) {
                    break;
                }
            }
        } else {
            let start = filter
                .cursor
                .map_or(0, |c| list.partition_point(|k| ts(k) <= c));
            for k in &list[start..] {
                let t = &self.transfers[*k as usize];
                if wanted(t) && !push(t) {
                    break;
                }
            }
        }
        let next_cursor = if more {
            out.last().map(|t| t.timestamp)
        } else {
            None
        };
        Ok(TransferPage {
            transfers: out,
            next_cursor,
        })
    }
}
