//! A double-entry ledger with TigerBeetle's semantics, in process and I/O-free, plus an
//! acquirer's chart of accounts, posting rules and the merchant withdrawal (提现) flow.
//!
//! * [`Ledger`] — accounts with four counters, transfers (plain, two-phase, balancing,
//!   closing), linked chains, idempotent ids, precise result codes
//!   ([`CreateAccountResult`], [`CreateTransferResult`], declared in precedence order).
//! * [`journal`] — every batch appended as a JSON line; [`journal::replay`] rebuilds the
//!   state bit for bit. [`Snapshot`] — the state as serde data, validated on restore.
//! * Queries: [`Ledger::account`], [`Ledger::account_history`], [`Ledger::balance_as_of`],
//!   [`Ledger::transfers_by_account`].
//! * [`chart`] — acquirer chart of accounts and posting rules as data.
//! * [`withdrawal`] — the withdrawal state machine posting through pending/post/void.
//!
//! Time is an argument (`now`, ns); see [`Ledger`] for how timestamps and expiry work.

mod account;
pub mod chart;
mod engine;
mod hash;
pub mod journal;
mod query;
mod result;
mod snapshot;
mod transfer;
pub mod withdrawal;

pub use account::{
    Account, AccountBalance, AccountFlags, Balances, Counters, NormalSide, SignedAmount,
};
pub use engine::Ledger;
pub use hash::{IdHasher, IdMap};
pub use journal::{JournalError, JournalOp, JournalRecord};
pub use query::{AccountFilter, MAX_PAGE, QueryError, TransferPage};
pub use result::{CreateAccountResult, CreateTransferResult};
pub use snapshot::{InvariantViolation, SNAPSHOT_VERSION, Snapshot, SnapshotError};
pub use transfer::{AMOUNT_MAX, PendingStatus, Transfer, TransferFlags};
