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
//!
//! # Semantics (and where they differ from TigerBeetle)
//!
//! * Results are dense (one per event) and follow the precedence order of the enum
//!   declarations; the `imported_*` family is not supported (flag bits reserved).
//! * Only `created` succeeds within a linked chain: an `exists` reply also fails the chain,
//!   as in TigerBeetle. Re-posting an already posted chain therefore reports `exists` on its
//!   first event and `linked_event_failed` on the rest; treat that as success.
//! * The `linked` flag is not stored (linkage is not persisted); `exists` comparisons ignore
//!   it, and account comparisons ignore `closed` (which closing transfers change).
//! * Transient failures (`*_not_found`, `exceeds_*`, `*_already_closed`) are memoised per id,
//!   also for the event that broke a chain; retries get `id_already_failed`.
//! * Zero amounts: refused (`amount_must_not_be_zero`) except for voids (0 = the pending
//!   amount) and closing transfers; a balancing transfer clamped to zero is recorded with 0.
//!   Posting takes `AMOUNT_MAX` (or the pending amount) for a full post.
//! * A pending closing transfer may still be posted although it closed its own account;
//!   voiding or expiry re-opens the account.
//! * `exists` for balancing transfers accepts any retry amount ≥ the amount recorded; for
//!   posts the recorded amount or `AMOUNT_MAX`; for voids the recorded amount or 0.
//!
//! # A sale, a partial refund, a payout and a withdrawal
//!
//! ```
//! use paycore::ledger::chart::{self, AccountKind as K, Amounts, BusinessEvent, EventKind, Owner, PostingRules};
//! use paycore::ledger::withdrawal::{FeeMode, Withdrawal, WithdrawalAction, WithdrawalPolicy, WithdrawalRequest};
//! use paycore::ledger::{CreateTransferResult, Ledger};
//!
//! const CNY: u32 = 156; // ledger = currency (fen)
//! let (merchant, agent) = (42, 7);
//! let mut ledger = Ledger::new();
//! let mut accounts = chart::accounts_for(Owner::Platform, 0, CNY);
//! accounts.extend(chart::accounts_for(Owner::Merchant, merchant, CNY));
//! accounts.extend(chart::accounts_for(Owner::Agent, agent, CNY));
//! ledger.create_accounts(&accounts, 1_000);
//!
//! let rules = PostingRules::acquirer_default();
//! let mut post = |ledger: &mut Ledger, kind, event_id, amounts| {
//!     let e = BusinessEvent { kind, event_id, merchant_id: merchant, agent_id: agent, ledger: CNY, amounts };
//!     let results = ledger.create_transfers(&rules.transfers(&e).unwrap(), ledger.clock() + 1);
//!     assert!(results.iter().all(|r| *r == CreateTransferResult::Created));
//! };
//! let balance = |ledger: &Ledger, kind: K, owner| {
//!     let a = ledger.account(chart::account_id(kind, owner, CNY)).unwrap();
//!     a.balances(kind.normal_side()).posted.to_i128().unwrap()
//! };
//!
//! // A ¥100.00 sale: MDR 0.60 %, scheme cost 0.45 %, agent share 0.05 % (4 linked legs).
//! let sale = Amounts { gross: 10_000, merchant_fee: 60, scheme_cost: 45, agent_commission: 5, ..Default::default() };
//! post(&mut ledger, EventKind::Sale, 1, sale);
//! assert_eq!(balance(&ledger, K::NetworkReceivable, 0), 10_000);
//! assert_eq!(balance(&ledger, K::MerchantUncleared, merchant), 9_940);
//! assert_eq!(balance(&ledger, K::FeeRevenue, 0), 10);
//!
//! // A partial refund of ¥20.00; the proportional fee (12) is refunded, the scheme returns 9.
//! let refund = Amounts { gross: 2_000, merchant_fee: 12, scheme_cost: 9, ..Default::default() };
//! post(&mut ledger, EventKind::Refund, 2, refund);
//! assert_eq!(balance(&ledger, K::MerchantUncleared, merchant), 7_952);
//! assert_eq!(balance(&ledger, K::FeeRevenue, 0), 7);
//!
//! // Cut-off (清分→清算), settlement run (结算), and the network paying 8,000 − 36 cost.
//! post(&mut ledger, EventKind::Clearing, 3, Amounts { gross: 7_952, ..Default::default() });
//! post(&mut ledger, EventKind::SettlementRun, 4, Amounts { gross: 7_952, ..Default::default() });
//! post(&mut ledger, EventKind::NetworkSettlement, 5, Amounts { gross: 7_964, scheme_cost: 36, ..Default::default() });
//! assert_eq!(balance(&ledger, K::NetworkReceivable, 0), 0); // clearing accounts back to zero
//! assert_eq!(balance(&ledger, K::MerchantUncleared, merchant), 0);
//! assert_eq!(balance(&ledger, K::MerchantWithdrawable, merchant), 7_952);
//!
//! // A payout of ¥50.00 to the merchant's bank account.
//! post(&mut ledger, EventKind::Payout, 6, Amounts { gross: 5_000, ..Default::default() });
//! assert_eq!(balance(&ledger, K::MerchantWithdrawable, merchant), 2_952);
//!
//! // A withdrawal (提现) of ¥20.00 with a ¥2.00 fee deducted inside: reserved, then paid.
//! let policy = WithdrawalPolicy { min_amount: 100, max_amount: 1_000_000, fee_fixed: 200, fee_bps: 0, fee_mode: FeeMode::Inside };
//! let request = WithdrawalRequest { withdrawal_id: 1, merchant_id: merchant, ledger: CNY, amount: 2_000 };
//! let now = 2_000_000_000; // ns, from the host's clock
//! let mut w = Withdrawal::request(&mut ledger, &policy, request, now).unwrap();
//! let wd = ledger.account(chart::account_id(K::MerchantWithdrawable, merchant, CNY)).unwrap();
//! assert_eq!(wd.balances(K::MerchantWithdrawable.normal_side()).available.to_i128(), Some(952));
//! w.apply(&mut ledger, WithdrawalAction::Approve, now + 1).unwrap();
//! w.apply(&mut ledger, WithdrawalAction::Paid, now + 2).unwrap();
//! assert_eq!(balance(&ledger, K::MerchantWithdrawable, merchant), 952);
//! assert_eq!(balance(&ledger, K::FeeRevenue, 0), 7 + 200);
//! ledger.check_invariants().unwrap();
//! ```
//!
//! # Memory
//!
//! `Account` and `Transfer` are 128 bytes each (TigerBeetle's layout; accounts are
//! cache-line aligned). Per transfer add an 8-byte id-index entry (log position and a
//! 32-bit hash check, ÷ hashbrown's 7/8–7/16 load), a 1-byte pending status and two `u32`
//! in the per-account transfer lists. Measured with a counting allocator
//! (`cargo bench -p paycore-benches --bench ledger_batches`, growth slack included):
//! ≈ 163 bytes per transfer at a million two-leg transfers (plus 128 bytes in
//! the journal buffer until [`Ledger::take_journal`]) and ≈ 256 bytes per account at ten
//! thousand; history accounts add 80 bytes per row. Account ids below 2^20 are indexed by
//! a plain vector (4 bytes per id up to the highest such id) instead of the hash index.
//!
//! # Speed
//!
//! A growing ledger keeps about 163 bytes per transfer (above), all of it memory the
//! process has not touched before, and more is touched while its tables double. On 4 KiB
//! pages the kernel's page faults are then the largest single cost: about a third of the
//! time of the `ledger` benchmarks in `benches/` on a 2-core VM (perf, `cpu-clock`). Hosts
//! that grow a ledger to millions of transfers should back the process with transparent
//! huge pages: with THP in `madvise` mode, glibc 2.35 or later does it when started with
//! `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` (or set THP to `always`). On that
//! VM, over six paired runs, this took the median two-leg batch of 8,190 from 1.71–2.80 ms
//! to 1.12–1.42 ms and the median batch of 2,047 four-leg sales from 1.97–2.22 ms to
//! 1.29–1.92 ms (`cargo bench -p paycore-benches --bench ledger_batches`).

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
