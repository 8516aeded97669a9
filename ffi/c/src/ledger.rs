//! The double-entry ledger: accounts, transfers, queries, journal/snapshot, the acquirer
//! chart of accounts and posting rules, and the withdrawal (提现) state machine.
//!
//! **128-bit ids and amounts** cross as [`paycore_u128`]: two `uint64_t` halves, value =
//! `hi * 2^64 + lo` (so small values have `hi == 0`). Signed balances are
//! [`paycore_ledger_signed`] (sign flag + 128-bit magnitude).
//!
//! **Result codes** of `create_accounts` / `create_transfers` are written per event into a
//! caller array of `uint32_t` (one per event): the values of `paycore_account_result` /
//! `paycore_transfer_result`, numbered in TigerBeetle's precedence order (0 = created).
//! `paycore_ledger_*_result_name` give the snake_case name ("exceeds_credits").
//! A rejected event is not an error of the call: the call returns `PAYCORE_OK`.
//!
//! **Time** is an argument (`now`, ns since an epoch of the host's choice).
//!
//! Ownership: `paycore_ledger` and `paycore_withdrawal` are opaque, created by
//! `paycore_ledger_new` / `_replay` / `_from_snapshot_json` and `paycore_withdrawal_request`,
//! released once with their `_free`. A ledger is not thread-safe: serialise calls on one
//! ledger. A withdrawal only records state; every transition takes the ledger it posts to.

use crate::boundary::{FfiError, guard, str_arg, text_out, write_out};
use crate::paycore_result;
use paycore::ledger::chart::{self, AccountKind, BusinessEvent, EventKind, Owner, PostingError};
use paycore::ledger::withdrawal::{
    FeeMode, Withdrawal, WithdrawalAction, WithdrawalError, WithdrawalPolicy, WithdrawalRequest,
    WithdrawalState,
};
use paycore::ledger::{
    Account, AccountFilter, AccountFlags, Counters, CreateAccountResult, CreateTransferResult,
    InvariantViolation, JournalError, Ledger, NormalSide, QueryError, SignedAmount, SnapshotError,
    Transfer, TransferFlags,
};
use std::os::raw::c_char;

/// An unsigned 128-bit integer (id or amount) as two halves: value = `hi * 2^64 + lo`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_u128 {
    /// High 64 bits.
    pub hi: u64,
    /// Low 64 bits.
    pub lo: u64,
}

impl From<u128> for paycore_u128 {
    fn from(v: u128) -> Self {
        paycore_u128 {
            hi: (v >> 64) as u64,
            lo: v as u64,
        }
    }
}

impl From<paycore_u128> for u128 {
    fn from(v: paycore_u128) -> Self {
        (u128::from(v.hi) << 64) | u128::from(v.lo)
    }
}

/// A signed balance: `negative` flag and 128-bit magnitude (zero is never negative).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_ledger_signed {
    /// True when below zero.
    pub negative: bool,
    /// Absolute value.
    pub magnitude: paycore_u128,
}

impl From<SignedAmount> for paycore_ledger_signed {
    fn from(s: SignedAmount) -> Self {
        paycore_ledger_signed {
            negative: s.negative,
            magnitude: s.magnitude.into(),
        }
    }
}

/// An account (TigerBeetle's fields). On input to `paycore_ledger_create_accounts` the four
/// counters and `timestamp` must be zero.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_ledger_account {
    /// Unique id; 0 and 2^128−1 are reserved.
    pub id: paycore_u128,
    /// Pending debits.
    pub debits_pending: paycore_u128,
    /// Posted debits.
    pub debits_posted: paycore_u128,
    /// Pending credits.
    pub credits_pending: paycore_u128,
    /// Posted credits.
    pub credits_posted: paycore_u128,
    /// Opaque link to the host's records.
    pub user_data_128: paycore_u128,
    /// Opaque link to the host's records.
    pub user_data_64: u64,
    /// Opaque link to the host's records.
    pub user_data_32: u32,
    /// Ledger (currency partition).
    pub ledger: u32,
    /// Account type (chart code), non-zero.
    pub code: u16,
    /// `PAYCORE_ACCOUNT_FLAG_*` bits.
    pub flags: u16,
    /// Creation time (ns), assigned by the ledger.
    pub timestamp: u64,
}

/// A transfer. On input `timestamp` must be zero; for post/void the accounts, ledger and code
/// may be zero (inherited from the pending transfer).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_ledger_transfer {
    /// Unique id (idempotency key).
    pub id: paycore_u128,
    /// Account debited.
    pub debit_account_id: paycore_u128,
    /// Account credited.
    pub credit_account_id: paycore_u128,
    /// Amount in minor units (2^128−1 = "full pending amount" / "as much as possible").
    pub amount: paycore_u128,
    /// For post/void: the pending transfer; otherwise zero.
    pub pending_id: paycore_u128,
    /// Opaque link to the host's records.
    pub user_data_128: paycore_u128,
    /// Opaque link to the host's records.
    pub user_data_64: u64,
    /// Opaque link to the host's records.
    pub user_data_32: u32,
    /// Pending transfers: seconds until expiry (0 = never).
    pub timeout: u32,
    /// Ledger (currency).
    pub ledger: u32,
    /// Why the money moved, non-zero.
    pub code: u16,
    /// `PAYCORE_TRANSFER_FLAG_*` bits.
    pub flags: u16,
    /// Assigned by the ledger (ns).
    pub timestamp: u64,
}

/// Balances seen from one side (`paycore_normal_side`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_ledger_balances {
    /// Posted balance.
    pub posted: paycore_ledger_signed,
    /// Net pending movement.
    pub pending: paycore_ledger_signed,
    /// Posted minus pending decreases.
    pub available: paycore_ledger_signed,
}

/// The four counters of an account at a point in time.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_ledger_counters {
    /// Pending debits.
    pub debits_pending: paycore_u128,
    /// Posted debits.
    pub debits_posted: paycore_u128,
    /// Pending credits.
    pub credits_pending: paycore_u128,
    /// Posted credits.
    pub credits_posted: paycore_u128,
}

impl From<Counters> for paycore_ledger_counters {
    fn from(c: Counters) -> Self {
        paycore_ledger_counters {
            debits_pending: c.debits_pending.into(),
            debits_posted: c.debits_posted.into(),
            credits_pending: c.credits_pending.into(),
            credits_posted: c.credits_posted.into(),
        }
    }
}

/// One history row: the counters right after the transfer with `timestamp`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_ledger_history_row {
    /// Timestamp of the transfer (or expiry).
    pub timestamp: u64,
    /// Counters after it.
    pub counters: paycore_ledger_counters,
}

/// Which transfers of an account to list (cursor paging).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct paycore_ledger_account_filter {
    /// The account.
    pub account_id: paycore_u128,
    /// Continue after this timestamp (before it when `reversed`), if `has_cursor`.
    pub cursor: u64,
    /// Whether `cursor` is set (false = first page).
    pub has_cursor: bool,
    /// Page size, 1..=8190.
    pub limit: u32,
    /// Include transfers debiting the account.
    pub debits: bool,
    /// Include transfers crediting the account.
    pub credits: bool,
    /// Newest first.
    pub reversed: bool,
}

/// A business event for the acquirer posting rules; amounts in minor units.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_ledger_event {
    /// A `paycore_event_kind` value.
    pub kind: u32,
    /// The host's unique id of the event (transfer ids derive from it).
    pub event_id: u64,
    /// Merchant (0 for platform-only events).
    pub merchant_id: u64,
    /// Agent (0 if none).
    pub agent_id: u64,
    /// Ledger (currency).
    pub ledger: u32,
    /// Transaction amount.
    pub gross: paycore_u128,
    /// Merchant discount fee charged (or refunded).
    pub merchant_fee: paycore_u128,
    /// Issuer interchange + network fee (our cost).
    pub scheme_cost: paycore_u128,
    /// Agent profit share.
    pub agent_commission: paycore_u128,
    /// Reserve withheld (settlement run).
    pub reserve: paycore_u128,
    /// D0 advance repaid (settlement run).
    pub advance: paycore_u128,
}

/// Limits and fee of withdrawals.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_withdrawal_policy {
    /// Smallest requested amount.
    pub min_amount: paycore_u128,
    /// Largest requested amount.
    pub max_amount: paycore_u128,
    /// Fixed fee per withdrawal.
    pub fee_fixed: paycore_u128,
    /// Proportional fee, basis points, rounded half up.
    pub fee_bps: u32,
    /// A `paycore_fee_mode` value.
    pub fee_mode: u32,
}

/// A withdrawal request.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_withdrawal_request {
    /// The host's unique id of this withdrawal.
    pub withdrawal_id: u64,
    /// Merchant.
    pub merchant_id: u64,
    /// Ledger (currency).
    pub ledger: u32,
    /// Amount requested, minor units.
    pub amount: paycore_u128,
}

/// Account flag bits (`paycore_ledger_account.flags`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_account_flag {
    /// Linked to the next event of the batch (atomic chain).
    PAYCORE_ACCOUNT_FLAG_LINKED = 1,
    /// Debits may never exceed credits.
    PAYCORE_ACCOUNT_FLAG_DEBITS_MUST_NOT_EXCEED_CREDITS = 2,
    /// Credits may never exceed debits.
    PAYCORE_ACCOUNT_FLAG_CREDITS_MUST_NOT_EXCEED_DEBITS = 4,
    /// Keep balance history.
    PAYCORE_ACCOUNT_FLAG_HISTORY = 8,
    /// Closed.
    PAYCORE_ACCOUNT_FLAG_CLOSED = 32,
}

/// Transfer flag bits (`paycore_ledger_transfer.flags`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_transfer_flag {
    /// Linked to the next event of the batch (atomic chain).
    PAYCORE_TRANSFER_FLAG_LINKED = 1,
    /// Two-phase: reserve.
    PAYCORE_TRANSFER_FLAG_PENDING = 2,
    /// Two-phase: post `pending_id`.
    PAYCORE_TRANSFER_FLAG_POST_PENDING = 4,
    /// Two-phase: void `pending_id`.
    PAYCORE_TRANSFER_FLAG_VOID_PENDING = 8,
    /// Clamp to the debit account's credits.
    PAYCORE_TRANSFER_FLAG_BALANCING_DEBIT = 16,
    /// Clamp to the credit account's debits.
    PAYCORE_TRANSFER_FLAG_BALANCING_CREDIT = 32,
    /// Close the debit account.
    PAYCORE_TRANSFER_FLAG_CLOSING_DEBIT = 64,
    /// Close the credit account.
    PAYCORE_TRANSFER_FLAG_CLOSING_CREDIT = 128,
}

/// Which side increases a balance (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_normal_side {
    /// Balance = debits − credits (assets).
    PAYCORE_SIDE_DEBIT = 0,
    /// Balance = credits − debits (liabilities, revenue).
    PAYCORE_SIDE_CREDIT = 1,
}

/// Chart of accounts kinds; the value is the account `code` (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_account_kind {
    /// Asset: settlement bank account.
    PAYCORE_KIND_SETTLEMENT_BANK = 1,
    /// Asset, clearing: owed by the card network.
    PAYCORE_KIND_NETWORK_RECEIVABLE = 2,
    /// Asset, clearing: D0 advances.
    PAYCORE_KIND_D0_ADVANCE_RECEIVABLE = 3,
    /// Merchant, clearing: captured, not cleared (清分).
    PAYCORE_KIND_MERCHANT_UNCLEARED = 10,
    /// Merchant, clearing: cleared, awaiting settlement (清算).
    PAYCORE_KIND_MERCHANT_CLEARED = 11,
    /// Merchant: withdrawable (结算).
    PAYCORE_KIND_MERCHANT_WITHDRAWABLE = 12,
    /// Merchant: reserve withheld.
    PAYCORE_KIND_MERCHANT_RESERVE = 13,
    /// Revenue: fees net of cost and commission.
    PAYCORE_KIND_FEE_REVENUE = 20,
    /// Liability, clearing: scheme cost payable.
    PAYCORE_KIND_SCHEME_COST_PAYABLE = 30,
    /// Agent: commission payable (分润).
    PAYCORE_KIND_AGENT_COMMISSION_PAYABLE = 40,
    /// Liability: suspense.
    PAYCORE_KIND_SUSPENSE = 90,
}

/// Owner scope of chart accounts (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_owner {
    /// The acquirer (owner id 0).
    PAYCORE_OWNER_PLATFORM = 0,
    /// One set per merchant.
    PAYCORE_OWNER_MERCHANT = 1,
    /// One set per agent.
    PAYCORE_OWNER_AGENT = 2,
}

/// Business events of the posting rules; the value is the transfer `code`.
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_event_kind {
    /// Captured card sale.
    PAYCORE_EVENT_SALE = 1,
    /// Same-day void (撤销).
    PAYCORE_EVENT_VOID = 2,
    /// Technical reversal (冲正).
    PAYCORE_EVENT_REVERSAL = 3,
    /// Refund (退货).
    PAYCORE_EVENT_REFUND = 4,
    /// Standalone merchant fee.
    PAYCORE_EVENT_FEE = 5,
    /// Standalone agent commission.
    PAYCORE_EVENT_AGENT_COMMISSION = 6,
    /// Cut-off: uncleared → cleared.
    PAYCORE_EVENT_CLEARING = 7,
    /// Settlement run: cleared → withdrawable.
    PAYCORE_EVENT_SETTLEMENT_RUN = 8,
    /// D0 advance.
    PAYCORE_EVENT_D0_ADVANCE = 9,
    /// Reserve release.
    PAYCORE_EVENT_RESERVE_RELEASE = 10,
    /// The network pays us.
    PAYCORE_EVENT_NETWORK_SETTLEMENT = 11,
    /// Payout of withdrawable funds.
    PAYCORE_EVENT_PAYOUT = 12,
    /// Payout of agent commission.
    PAYCORE_EVENT_AGENT_PAYOUT = 13,
    /// Unidentified funds into suspense.
    PAYCORE_EVENT_SUSPENSE_IN = 14,
    /// Suspense identified as a merchant's.
    PAYCORE_EVENT_SUSPENSE_TO_MERCHANT = 15,
    /// Withdrawal hold (used by the withdrawal functions).
    PAYCORE_EVENT_WITHDRAWAL_HOLD = 20,
    /// Withdrawal paid.
    PAYCORE_EVENT_WITHDRAWAL_POST = 21,
    /// Withdrawal rejected or failed.
    PAYCORE_EVENT_WITHDRAWAL_VOID = 22,
    /// Withdrawal returned by the bank (退票).
    PAYCORE_EVENT_WITHDRAWAL_RETURN = 23,
}

/// Withdrawal fee modes (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_fee_mode {
    /// 内扣: deducted from the amount.
    PAYCORE_FEE_INSIDE = 0,
    /// 外扣: added on top.
    PAYCORE_FEE_OUTSIDE = 1,
}

/// Withdrawal transitions (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_withdrawal_action {
    /// Requested → Approved.
    PAYCORE_WITHDRAWAL_APPROVE = 0,
    /// Requested/Approved/Frozen → Rejected.
    PAYCORE_WITHDRAWAL_REJECT = 1,
    /// Requested/Approved → Frozen.
    PAYCORE_WITHDRAWAL_FREEZE = 2,
    /// Frozen → previous.
    PAYCORE_WITHDRAWAL_UNFREEZE = 3,
    /// Approved → Paid.
    PAYCORE_WITHDRAWAL_PAID = 4,
    /// Approved → Failed.
    PAYCORE_WITHDRAWAL_FAILED = 5,
    /// Paid → Returned (退票).
    PAYCORE_WITHDRAWAL_RETURNED = 6,
}

/// Withdrawal states (returned as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_withdrawal_state {
    /// Funds reserved, awaiting review.
    PAYCORE_WITHDRAWAL_STATE_REQUESTED = 0,
    /// Approved, sent to the bank.
    PAYCORE_WITHDRAWAL_STATE_APPROVED = 1,
    /// Held by risk control.
    PAYCORE_WITHDRAWAL_STATE_FROZEN = 2,
    /// Refused; reservation released.
    PAYCORE_WITHDRAWAL_STATE_REJECTED = 3,
    /// Paid.
    PAYCORE_WITHDRAWAL_STATE_PAID = 4,
    /// Bank failure; reservation released.
    PAYCORE_WITHDRAWAL_STATE_FAILED = 5,
    /// Returned by the bank after success.
    PAYCORE_WITHDRAWAL_STATE_RETURNED = 6,
}

/// Result of one `create_accounts` event (precedence order; written as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_account_result {
    /// `created`.
    PAYCORE_ACCOUNT_CREATED = 0,
    /// `linked_event_failed`.
    PAYCORE_ACCOUNT_LINKED_EVENT_FAILED = 1,
    /// `linked_event_chain_open`.
    PAYCORE_ACCOUNT_LINKED_EVENT_CHAIN_OPEN = 2,
    /// `timestamp_must_be_zero`.
    PAYCORE_ACCOUNT_TIMESTAMP_MUST_BE_ZERO = 3,
    /// `reserved_flag`.
    PAYCORE_ACCOUNT_RESERVED_FLAG = 4,
    /// `id_must_not_be_zero`.
    PAYCORE_ACCOUNT_ID_MUST_NOT_BE_ZERO = 5,
    /// `id_must_not_be_int_max`.
    PAYCORE_ACCOUNT_ID_MUST_NOT_BE_INT_MAX = 6,
    /// `exists_with_different_flags`.
    PAYCORE_ACCOUNT_EXISTS_WITH_DIFFERENT_FLAGS = 7,
    /// `exists_with_different_user_data_128`.
    PAYCORE_ACCOUNT_EXISTS_WITH_DIFFERENT_USER_DATA_128 = 8,
    /// `exists_with_different_user_data_64`.
    PAYCORE_ACCOUNT_EXISTS_WITH_DIFFERENT_USER_DATA_64 = 9,
    /// `exists_with_different_user_data_32`.
    PAYCORE_ACCOUNT_EXISTS_WITH_DIFFERENT_USER_DATA_32 = 10,
    /// `exists_with_different_ledger`.
    PAYCORE_ACCOUNT_EXISTS_WITH_DIFFERENT_LEDGER = 11,
    /// `exists_with_different_code`.
    PAYCORE_ACCOUNT_EXISTS_WITH_DIFFERENT_CODE = 12,
    /// `exists`.
    PAYCORE_ACCOUNT_EXISTS = 13,
    /// `flags_are_mutually_exclusive`.
    PAYCORE_ACCOUNT_FLAGS_ARE_MUTUALLY_EXCLUSIVE = 14,
    /// `debits_pending_must_be_zero`.
    PAYCORE_ACCOUNT_DEBITS_PENDING_MUST_BE_ZERO = 15,
    /// `debits_posted_must_be_zero`.
    PAYCORE_ACCOUNT_DEBITS_POSTED_MUST_BE_ZERO = 16,
    /// `credits_pending_must_be_zero`.
    PAYCORE_ACCOUNT_CREDITS_PENDING_MUST_BE_ZERO = 17,
    /// `credits_posted_must_be_zero`.
    PAYCORE_ACCOUNT_CREDITS_POSTED_MUST_BE_ZERO = 18,
    /// `ledger_must_not_be_zero`.
    PAYCORE_ACCOUNT_LEDGER_MUST_NOT_BE_ZERO = 19,
    /// `code_must_not_be_zero`.
    PAYCORE_ACCOUNT_CODE_MUST_NOT_BE_ZERO = 20,
}

/// Result of one `create_transfers` event (precedence order; written as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_transfer_result {
    /// `created`.
    PAYCORE_TRANSFER_CREATED = 0,
    /// `linked_event_failed`.
    PAYCORE_TRANSFER_LINKED_EVENT_FAILED = 1,
    /// `linked_event_chain_open`.
    PAYCORE_TRANSFER_LINKED_EVENT_CHAIN_OPEN = 2,
    /// `timestamp_must_be_zero`.
    PAYCORE_TRANSFER_TIMESTAMP_MUST_BE_ZERO = 3,
    /// `reserved_flag`.
    PAYCORE_TRANSFER_RESERVED_FLAG = 4,
    /// `id_must_not_be_zero`.
    PAYCORE_TRANSFER_ID_MUST_NOT_BE_ZERO = 5,
    /// `id_must_not_be_int_max`.
    PAYCORE_TRANSFER_ID_MUST_NOT_BE_INT_MAX = 6,
    /// `exists_with_different_flags`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_FLAGS = 7,
    /// `exists_with_different_pending_id`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_PENDING_ID = 8,
    /// `exists_with_different_timeout`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_TIMEOUT = 9,
    /// `exists_with_different_debit_account_id`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID = 10,
    /// `exists_with_different_credit_account_id`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID = 11,
    /// `exists_with_different_amount`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_AMOUNT = 12,
    /// `exists_with_different_user_data_128`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_USER_DATA_128 = 13,
    /// `exists_with_different_user_data_64`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_USER_DATA_64 = 14,
    /// `exists_with_different_user_data_32`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_USER_DATA_32 = 15,
    /// `exists_with_different_ledger`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_LEDGER = 16,
    /// `exists_with_different_code`.
    PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_CODE = 17,
    /// `exists`.
    PAYCORE_TRANSFER_EXISTS = 18,
    /// `id_already_failed`.
    PAYCORE_TRANSFER_ID_ALREADY_FAILED = 19,
    /// `flags_are_mutually_exclusive`.
    PAYCORE_TRANSFER_FLAGS_ARE_MUTUALLY_EXCLUSIVE = 20,
    /// `debit_account_id_must_not_be_zero`.
    PAYCORE_TRANSFER_DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO = 21,
    /// `debit_account_id_must_not_be_int_max`.
    PAYCORE_TRANSFER_DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX = 22,
    /// `credit_account_id_must_not_be_zero`.
    PAYCORE_TRANSFER_CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO = 23,
    /// `credit_account_id_must_not_be_int_max`.
    PAYCORE_TRANSFER_CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX = 24,
    /// `accounts_must_be_different`.
    PAYCORE_TRANSFER_ACCOUNTS_MUST_BE_DIFFERENT = 25,
    /// `pending_id_must_be_zero`.
    PAYCORE_TRANSFER_PENDING_ID_MUST_BE_ZERO = 26,
    /// `pending_id_must_not_be_zero`.
    PAYCORE_TRANSFER_PENDING_ID_MUST_NOT_BE_ZERO = 27,
    /// `pending_id_must_not_be_int_max`.
    PAYCORE_TRANSFER_PENDING_ID_MUST_NOT_BE_INT_MAX = 28,
    /// `pending_id_must_be_different`.
    PAYCORE_TRANSFER_PENDING_ID_MUST_BE_DIFFERENT = 29,
    /// `timeout_reserved_for_pending_transfer`.
    PAYCORE_TRANSFER_TIMEOUT_RESERVED_FOR_PENDING_TRANSFER = 30,
    /// `closing_transfer_must_be_pending`.
    PAYCORE_TRANSFER_CLOSING_TRANSFER_MUST_BE_PENDING = 31,
    /// `amount_must_not_be_zero`.
    PAYCORE_TRANSFER_AMOUNT_MUST_NOT_BE_ZERO = 32,
    /// `ledger_must_not_be_zero`.
    PAYCORE_TRANSFER_LEDGER_MUST_NOT_BE_ZERO = 33,
    /// `code_must_not_be_zero`.
    PAYCORE_TRANSFER_CODE_MUST_NOT_BE_ZERO = 34,
    /// `debit_account_not_found`.
    PAYCORE_TRANSFER_DEBIT_ACCOUNT_NOT_FOUND = 35,
    /// `credit_account_not_found`.
    PAYCORE_TRANSFER_CREDIT_ACCOUNT_NOT_FOUND = 36,
    /// `accounts_must_have_the_same_ledger`.
    PAYCORE_TRANSFER_ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER = 37,
    /// `transfer_must_have_the_same_ledger_as_accounts`.
    PAYCORE_TRANSFER_TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS = 38,
    /// `pending_transfer_not_found`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_NOT_FOUND = 39,
    /// `pending_transfer_not_pending`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_NOT_PENDING = 40,
    /// `pending_transfer_has_different_debit_account_id`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID = 41,
    /// `pending_transfer_has_different_credit_account_id`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID = 42,
    /// `pending_transfer_has_different_ledger`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_HAS_DIFFERENT_LEDGER = 43,
    /// `pending_transfer_has_different_code`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_HAS_DIFFERENT_CODE = 44,
    /// `exceeds_pending_transfer_amount`.
    PAYCORE_TRANSFER_EXCEEDS_PENDING_TRANSFER_AMOUNT = 45,
    /// `pending_transfer_has_different_amount`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT = 46,
    /// `pending_transfer_already_posted`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_ALREADY_POSTED = 47,
    /// `pending_transfer_already_voided`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_ALREADY_VOIDED = 48,
    /// `pending_transfer_expired`.
    PAYCORE_TRANSFER_PENDING_TRANSFER_EXPIRED = 49,
    /// `debit_account_already_closed`.
    PAYCORE_TRANSFER_DEBIT_ACCOUNT_ALREADY_CLOSED = 50,
    /// `credit_account_already_closed`.
    PAYCORE_TRANSFER_CREDIT_ACCOUNT_ALREADY_CLOSED = 51,
    /// `overflows_debits_pending`.
    PAYCORE_TRANSFER_OVERFLOWS_DEBITS_PENDING = 52,
    /// `overflows_credits_pending`.
    PAYCORE_TRANSFER_OVERFLOWS_CREDITS_PENDING = 53,
    /// `overflows_debits_posted`.
    PAYCORE_TRANSFER_OVERFLOWS_DEBITS_POSTED = 54,
    /// `overflows_credits_posted`.
    PAYCORE_TRANSFER_OVERFLOWS_CREDITS_POSTED = 55,
    /// `overflows_debits`.
    PAYCORE_TRANSFER_OVERFLOWS_DEBITS = 56,
    /// `overflows_credits`.
    PAYCORE_TRANSFER_OVERFLOWS_CREDITS = 57,
    /// `overflows_timeout`.
    PAYCORE_TRANSFER_OVERFLOWS_TIMEOUT = 58,
    /// `exceeds_credits`.
    PAYCORE_TRANSFER_EXCEEDS_CREDITS = 59,
    /// `exceeds_debits`.
    PAYCORE_TRANSFER_EXCEEDS_DEBITS = 60,
}

/// A ledger (opaque). Create with `paycore_ledger_new`, `paycore_ledger_replay` or
/// `paycore_ledger_from_snapshot_json`; release with `paycore_ledger_free`. Not thread-safe.
pub struct paycore_ledger {
    ledger: Ledger,
    /// Journal lines drained from the ledger but not yet delivered (buffer too small).
    journal: String,
}

/// A withdrawal in progress (opaque). Create with `paycore_withdrawal_create`; release with
/// `paycore_withdrawal_free`.
pub struct paycore_withdrawal(Withdrawal);

impl From<QueryError> for FfiError {
    fn from(e: QueryError) -> Self {
        use paycore_result::*;
        let code = match e {
            QueryError::AccountNotFound(_) => PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND,
            QueryError::HistoryNotEnabled(_) => PAYCORE_ERR_LEDGER_HISTORY_NOT_ENABLED,
            QueryError::BeforeCreation { .. } => PAYCORE_ERR_LEDGER_BEFORE_CREATION,
            QueryError::BadLimit(_) => PAYCORE_ERR_INVALID_ARGUMENT,
        };
        FfiError::new(code, e.to_string())
    }
}

impl From<JournalError> for FfiError {
    fn from(e: JournalError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_LEDGER_JOURNAL, e.to_string())
    }
}

impl From<SnapshotError> for FfiError {
    fn from(e: SnapshotError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_LEDGER_SNAPSHOT, e.to_string())
    }
}

impl From<InvariantViolation> for FfiError {
    fn from(e: InvariantViolation) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_LEDGER_INVARIANT, e.to_string())
    }
}

impl From<PostingError> for FfiError {
    fn from(e: PostingError) -> Self {
        FfiError::new(paycore_result::PAYCORE_ERR_LEDGER_POSTING, e.to_string())
    }
}

impl From<WithdrawalError> for FfiError {
    fn from(e: WithdrawalError) -> Self {
        use paycore_result::*;
        let code = match e {
            WithdrawalError::OutOfRange { .. } | WithdrawalError::FeeNotCovered { .. } => {
                PAYCORE_ERR_WITHDRAWAL_LIMIT
            }
            WithdrawalError::Insufficient { .. } => PAYCORE_ERR_WITHDRAWAL_INSUFFICIENT,
            WithdrawalError::IllegalTransition { .. } => PAYCORE_ERR_WITHDRAWAL_ILLEGAL_TRANSITION,
            WithdrawalError::Ledger(_) => PAYCORE_ERR_LEDGER_REFUSED,
            WithdrawalError::NoAccount => PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND,
            WithdrawalError::Overflow => PAYCORE_ERR_OVERFLOW,
        };
        FfiError::new(code, e.to_string())
    }
}

fn invalid(message: String) -> FfiError {
    FfiError::new(paycore_result::PAYCORE_ERR_INVALID_ARGUMENT, message)
}

fn account_in(a: &paycore_ledger_account) -> Account {
    Account {
        id: a.id.into(),
        debits_pending: a.debits_pending.into(),
        debits_posted: a.debits_posted.into(),
        credits_pending: a.credits_pending.into(),
        credits_posted: a.credits_posted.into(),
        user_data_128: a.user_data_128.into(),
        user_data_64: a.user_data_64,
        user_data_32: a.user_data_32,
        ledger: a.ledger,
        code: a.code,
        flags: AccountFlags(a.flags),
        timestamp: a.timestamp,
    }
}

fn account_out(a: &Account) -> paycore_ledger_account {
    paycore_ledger_account {
        id: a.id.into(),
        debits_pending: a.debits_pending.into(),
        debits_posted: a.debits_posted.into(),
        credits_pending: a.credits_pending.into(),
        credits_posted: a.credits_posted.into(),
        user_data_128: a.user_data_128.into(),
        user_data_64: a.user_data_64,
        user_data_32: a.user_data_32,
        ledger: a.ledger,
        code: a.code,
        flags: a.flags.0,
        timestamp: a.timestamp,
    }
}

fn transfer_in(t: &paycore_ledger_transfer) -> Transfer {
    Transfer {
        id: t.id.into(),
        debit_account_id: t.debit_account_id.into(),
        credit_account_id: t.credit_account_id.into(),
        amount: t.amount.into(),
        pending_id: t.pending_id.into(),
        user_data_128: t.user_data_128.into(),
        user_data_64: t.user_data_64,
        user_data_32: t.user_data_32,
        timeout: t.timeout,
        ledger: t.ledger,
        code: t.code,
        flags: TransferFlags(t.flags),
        timestamp: t.timestamp,
    }
}

fn transfer_out(t: &Transfer) -> paycore_ledger_transfer {
    paycore_ledger_transfer {
        id: t.id.into(),
        debit_account_id: t.debit_account_id.into(),
        credit_account_id: t.credit_account_id.into(),
        amount: t.amount.into(),
        pending_id: t.pending_id.into(),
        user_data_128: t.user_data_128.into(),
        user_data_64: t.user_data_64,
        user_data_32: t.user_data_32,
        timeout: t.timeout,
        ledger: t.ledger,
        code: t.code,
        flags: t.flags.0,
        timestamp: t.timestamp,
    }
}

fn side_from_u32(v: u32) -> Result<NormalSide, FfiError> {
    match v {
        0 => Ok(NormalSide::Debit),
        1 => Ok(NormalSide::Credit),
        _ => Err(invalid(format!("side {v} out of range 0..=1"))),
    }
}

fn kind_from_u32(v: u32) -> Result<AccountKind, FfiError> {
    u16::try_from(v)
        .ok()
        .and_then(AccountKind::from_code)
        .ok_or_else(|| invalid(format!("account kind {v} is not a chart code")))
}

fn owner_from_u32(v: u32) -> Result<Owner, FfiError> {
    match v {
        0 => Ok(Owner::Platform),
        1 => Ok(Owner::Merchant),
        2 => Ok(Owner::Agent),
        _ => Err(invalid(format!("owner {v} out of range 0..=2"))),
    }
}

fn event_kind_from_u32(v: u32) -> Result<EventKind, FfiError> {
    use EventKind as E;
    const ALL: [EventKind; 19] = [
        E::Sale,
        E::Void,
        E::Reversal,
        E::Refund,
        E::Fee,
        E::AgentCommission,
        E::Clearing,
        E::SettlementRun,
        E::D0Advance,
        E::ReserveRelease,
        E::NetworkSettlement,
        E::Payout,
        E::AgentPayout,
        E::SuspenseIn,
        E::SuspenseToMerchant,
        E::WithdrawalHold,
        E::WithdrawalPost,
        E::WithdrawalVoid,
        E::WithdrawalReturn,
    ];
    ALL.into_iter()
        .find(|k| *k as u32 == v)
        .ok_or_else(|| invalid(format!("event kind {v} is not a posting-rule code")))
}

fn action_from_u32(v: u32) -> Result<WithdrawalAction, FfiError> {
    use WithdrawalAction as A;
    [
        A::Approve,
        A::Reject,
        A::Freeze,
        A::Unfreeze,
        A::Paid,
        A::Failed,
        A::Returned,
    ]
    .get(v as usize)
    .copied()
    .ok_or_else(|| invalid(format!("withdrawal action {v} out of range 0..=6")))
}

fn state_code(s: WithdrawalState) -> u32 {
    use paycore_withdrawal_state::*;
    (match s {
        WithdrawalState::Requested => PAYCORE_WITHDRAWAL_STATE_REQUESTED,
        WithdrawalState::Approved => PAYCORE_WITHDRAWAL_STATE_APPROVED,
        WithdrawalState::Frozen { .. } => PAYCORE_WITHDRAWAL_STATE_FROZEN,
        WithdrawalState::Rejected => PAYCORE_WITHDRAWAL_STATE_REJECTED,
        WithdrawalState::Paid => PAYCORE_WITHDRAWAL_STATE_PAID,
        WithdrawalState::Failed => PAYCORE_WITHDRAWAL_STATE_FAILED,
        WithdrawalState::Returned => PAYCORE_WITHDRAWAL_STATE_RETURNED,
    }) as u32
}

fn event_in(e: &paycore_ledger_event) -> Result<BusinessEvent, FfiError> {
    Ok(BusinessEvent {
        kind: event_kind_from_u32(e.kind)?,
        event_id: e.event_id,
        merchant_id: e.merchant_id,
        agent_id: e.agent_id,
        ledger: e.ledger,
        amounts: chart::Amounts {
            gross: e.gross.into(),
            merchant_fee: e.merchant_fee.into(),
            scheme_cost: e.scheme_cost.into(),
            agent_commission: e.agent_commission.into(),
            reserve: e.reserve.into(),
            advance: e.advance.into(),
        },
    })
}

/// Borrows the value behind an opaque pointer.
///
/// # Safety
/// `ptr` must be NULL or a live object created by this library.
unsafe fn borrow<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::null(name))
}

/// Mutably borrows the value behind an opaque pointer.
///
/// # Safety
/// `ptr` must be NULL or a live object created by this library, not aliased during the call.
unsafe fn borrow_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_mut() }.ok_or_else(|| FfiError::null(name))
}

/// Borrows an input array (`n == 0` accepts NULL).
///
/// # Safety
/// `ptr` valid for `n` reads of `T`.
unsafe fn slice_in<'a, T>(ptr: *const T, n: usize, name: &str) -> Result<&'a [T], FfiError> {
    if n == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(FfiError::null(name));
    }
    // SAFETY: caller contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

/// Copies `items` into a caller array of capacity `cap`, writing the count to `out_count`;
/// `PAYCORE_ERR_BUFFER_TOO_SMALL` (with the count needed in `out_count`) when it does not fit.
///
/// # Safety
/// `out` valid for `cap` writes (or NULL with `cap` 0); `out_count` valid.
unsafe fn array_out<T: Copy>(
    items: &[T],
    out: *mut T,
    cap: usize,
    out_count: *mut usize,
) -> Result<(), FfiError> {
    if out_count.is_null() {
        return Err(FfiError::null("out_count"));
    }
    if items.len() > cap || (out.is_null() && !items.is_empty()) {
        // SAFETY: checked non-NULL.
        unsafe { out_count.write(items.len()) };
        return Err(FfiError::new(
            paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
            format!("output array needs {} entries", items.len()),
        ));
    }
    if !items.is_empty() {
        // SAFETY: `out` holds at least `items.len()` entries (checked above).
        unsafe { std::ptr::copy_nonoverlapping(items.as_ptr(), out, items.len()) };
    }
    // SAFETY: checked non-NULL.
    unsafe { out_count.write(items.len()) };
    Ok(())
}

fn boxed_ledger(ledger: Ledger, out: *mut *mut paycore_ledger) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::null("out"));
    }
    let raw = Box::into_raw(Box::new(paycore_ledger {
        ledger,
        journal: String::new(),
    }));
    // SAFETY: checked non-NULL.
    unsafe { write_out(out, raw, "out") }
}

/// A new, empty ledger that buffers a journal (drain with `paycore_ledger_journal_take`).
/// The caller releases it with `paycore_ledger_free`.
///
/// # Safety
/// `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_new(out: *mut *mut paycore_ledger) -> paycore_result {
    guard(|| boxed_ledger(Ledger::new(), out))
}

/// Releases a ledger. NULL is ignored.
///
/// # Safety
/// `ledger` from this library, freed once, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_free(ledger: *mut paycore_ledger) {
    crate::boundary::guard_value((), || {
        if !ledger.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(ledger) });
        }
    })
}

/// Creates a batch of `n` accounts at time `now` (ns); writes one `paycore_account_result`
/// per event into `results` (room for `n`). Rejected events are not a call failure.
///
/// # Safety
/// `ledger` live; `accounts` valid for `n` reads; `results` valid for `n` writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_create_accounts(
    ledger: *mut paycore_ledger,
    accounts: *const paycore_ledger_account,
    n: usize,
    now: u64,
    results: *mut u32,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow_mut(ledger, "ledger") }?;
        // SAFETY: caller contract.
        let input = unsafe { slice_in(accounts, n, "accounts") }?;
        if results.is_null() && n > 0 {
            return Err(FfiError::null("results"));
        }
        let batch: Vec<Account> = input.iter().map(account_in).collect();
        let codes: Vec<u32> = l
            .ledger
            .create_accounts(&batch, now)
            .into_iter()
            .map(|r| r as u32)
            .collect();
        if n > 0 {
            // SAFETY: `results` holds `n` entries (caller contract).
            unsafe { std::ptr::copy_nonoverlapping(codes.as_ptr(), results, n) };
        }
        Ok(())
    })
}

/// Creates a batch of `n` transfers at time `now` (ns); writes one `paycore_transfer_result`
/// per event into `results` (room for `n`). Rejected events are not a call failure.
///
/// # Safety
/// `ledger` live; `transfers` valid for `n` reads; `results` valid for `n` writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_create_transfers(
    ledger: *mut paycore_ledger,
    transfers: *const paycore_ledger_transfer,
    n: usize,
    now: u64,
    results: *mut u32,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow_mut(ledger, "ledger") }?;
        // SAFETY: caller contract.
        let input = unsafe { slice_in(transfers, n, "transfers") }?;
        if results.is_null() && n > 0 {
            return Err(FfiError::null("results"));
        }
        let batch: Vec<Transfer> = input.iter().map(transfer_in).collect();
        let codes: Vec<u32> = l
            .ledger
            .create_transfers(&batch, now)
            .into_iter()
            .map(|r| r as u32)
            .collect();
        if n > 0 {
            // SAFETY: `results` holds `n` entries (caller contract).
            unsafe { std::ptr::copy_nonoverlapping(codes.as_ptr(), results, n) };
        }
        Ok(())
    })
}

/// Releases every pending transfer whose timeout is at or before `now`; writes how many.
///
/// # Safety
/// `ledger` live; `out_expired` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_expire_pending(
    ledger: *mut paycore_ledger,
    now: u64,
    out_expired: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow_mut(ledger, "ledger") }?;
        if out_expired.is_null() {
            return Err(FfiError::null("out_expired"));
        }
        let n = l.ledger.expire_pending(now);
        // SAFETY: checked non-NULL.
        unsafe { write_out(out_expired, n, "out_expired") }
    })
}

/// The last assigned timestamp (0 for a fresh ledger).
///
/// # Safety
/// `ledger` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_clock(
    ledger: *const paycore_ledger,
    out: *mut u64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        // SAFETY: caller contract.
        unsafe { write_out(out, l.ledger.clock(), "out") }
    })
}

/// Looks up an account (`PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND` if none).
///
/// # Safety
/// `ledger` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_account_lookup(
    ledger: *const paycore_ledger,
    id: paycore_u128,
    out: *mut paycore_ledger_account,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        let a = l
            .ledger
            .account(id.into())
            .ok_or(QueryError::AccountNotFound(id.into()))?;
        // SAFETY: caller contract.
        unsafe { write_out(out, account_out(a), "out") }
    })
}

/// Posted, pending and available balances of an account seen from `side` (a
/// `paycore_normal_side`; for chart accounts use `paycore_ledger_chart_normal_side`).
///
/// # Safety
/// `ledger` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_account_balances(
    ledger: *const paycore_ledger,
    id: paycore_u128,
    side: u32,
    out: *mut paycore_ledger_balances,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        let side = side_from_u32(side)?;
        let a = l
            .ledger
            .account(id.into())
            .ok_or(QueryError::AccountNotFound(id.into()))?;
        let b = a.balances(side);
        let value = paycore_ledger_balances {
            posted: b.posted.into(),
            pending: b.pending.into(),
            available: b.available.into(),
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, value, "out") }
    })
}

/// Looks up a transfer as stored (`PAYCORE_ERR_LEDGER_TRANSFER_NOT_FOUND` if none).
///
/// # Safety
/// `ledger` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_transfer_lookup(
    ledger: *const paycore_ledger,
    id: paycore_u128,
    out: *mut paycore_ledger_transfer,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        let t = l.ledger.transfer(id.into()).ok_or_else(|| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_LEDGER_TRANSFER_NOT_FOUND,
                format!("transfer {} not found", u128::from(id)),
            )
        })?;
        // SAFETY: caller contract.
        unsafe { write_out(out, transfer_out(t), "out") }
    })
}

/// One page of the transfers touching an account, into `out` (capacity `cap`; `cap` ≥
/// `filter->limit` always suffices). `*out_has_more` tells whether another page follows, and
/// then `*out_next_cursor` is the `cursor` for it.
///
/// # Safety
/// `ledger`, `filter` live; `out` valid for `cap` writes; the out-pointers valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_transfers_by_account(
    ledger: *const paycore_ledger,
    filter: *const paycore_ledger_account_filter,
    out: *mut paycore_ledger_transfer,
    cap: usize,
    out_count: *mut usize,
    out_has_more: *mut bool,
    out_next_cursor: *mut u64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        // SAFETY: caller contract.
        let f = unsafe { borrow(filter, "filter") }?;
        if out_has_more.is_null() || out_next_cursor.is_null() {
            return Err(FfiError::null("out_has_more/out_next_cursor"));
        }
        let page = l.ledger.transfers_by_account(&AccountFilter {
            account_id: f.account_id.into(),
            cursor: f.has_cursor.then_some(f.cursor),
            limit: f.limit,
            debits: f.debits,
            credits: f.credits,
            reversed: f.reversed,
        })?;
        let items: Vec<paycore_ledger_transfer> = page.transfers.iter().map(transfer_out).collect();
        // SAFETY: caller contract.
        unsafe { array_out(&items, out, cap, out_count) }?;
        // SAFETY: checked non-NULL.
        unsafe {
            write_out(out_has_more, page.next_cursor.is_some(), "out_has_more")?;
            write_out(
                out_next_cursor,
                page.next_cursor.unwrap_or(0),
                "out_next_cursor",
            )
        }
    })
}

/// The history rows of an account created with `PAYCORE_ACCOUNT_FLAG_HISTORY`, oldest first,
/// into `out` (capacity `cap`; `PAYCORE_ERR_BUFFER_TOO_SMALL` puts the count needed in
/// `*out_count`).
///
/// # Safety
/// `ledger` live; `out` valid for `cap` writes; `out_count` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_account_history(
    ledger: *const paycore_ledger,
    id: paycore_u128,
    out: *mut paycore_ledger_history_row,
    cap: usize,
    out_count: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        let rows: Vec<paycore_ledger_history_row> = l
            .ledger
            .account_history(id.into())?
            .iter()
            .map(|r| paycore_ledger_history_row {
                timestamp: r.timestamp,
                counters: r.counters.into(),
            })
            .collect();
        // SAFETY: caller contract.
        unsafe { array_out(&rows, out, cap, out_count) }
    })
}

/// The counters of a history account as of `timestamp` (inclusive).
///
/// # Safety
/// `ledger` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_balance_as_of(
    ledger: *const paycore_ledger,
    id: paycore_u128,
    timestamp: u64,
    out: *mut paycore_ledger_counters,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        let c = l.ledger.balance_as_of(id.into(), timestamp)?;
        // SAFETY: caller contract.
        unsafe { write_out(out, c.into(), "out") }
    })
}

/// Drains the journal: JSON lines (one per batch, each ending in `\n`) since the last call.
/// When the buffer is too small the text is kept for the next call and
/// `PAYCORE_ERR_BUFFER_TOO_SMALL` reports its length in `*out_len`.
///
/// # Safety
/// `ledger` live; `buf` valid for `buf_len` bytes; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_journal_take(
    ledger: *mut paycore_ledger,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow_mut(ledger, "ledger") }?;
        for record in l.ledger.take_journal() {
            l.journal.push_str(&record.to_line());
            l.journal.push('\n');
        }
        // SAFETY: caller contract.
        unsafe { text_out(&l.journal, buf, buf_len, out_len) }?;
        l.journal.clear();
        Ok(())
    })
}

/// Rebuilds a ledger from journal text (JSON lines). A malformed line gives
/// `PAYCORE_ERR_LEDGER_JOURNAL`; the message names the line number (and byte offset).
/// The new ledger keeps journaling on; release it with `paycore_ledger_free`.
///
/// # Safety
/// `text` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_replay(
    text: *const c_char,
    len: usize,
    out: *mut *mut paycore_ledger,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(text, len, "text") }?;
        let mut ledger = paycore::ledger::journal::replay(text)?;
        ledger.set_journal_enabled(true);
        boxed_ledger(ledger, out)
    })
}

/// Writes the ledger's full state as a JSON snapshot.
///
/// # Safety
/// `ledger` live; `buf` valid for `buf_len` bytes; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_snapshot_json(
    ledger: *const paycore_ledger,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        let text = l.ledger.snapshot().to_json();
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Restores a ledger from a JSON snapshot, validating it fully (`PAYCORE_ERR_LEDGER_SNAPSHOT`
/// names the line/column or the inconsistent field).
///
/// # Safety
/// `text` valid for `len` bytes; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_from_snapshot_json(
    text: *const c_char,
    len: usize,
    out: *mut *mut paycore_ledger,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(text, len, "text") }?;
        let snapshot = paycore::ledger::Snapshot::from_json(text)?;
        boxed_ledger(Ledger::restore(snapshot)?, out)
    })
}

/// A 64-bit digest of the state: equal states have equal digests (replay check).
///
/// # Safety
/// `ledger` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_digest(
    ledger: *const paycore_ledger,
    out: *mut u64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        // SAFETY: caller contract.
        unsafe { write_out(out, l.ledger.digest(), "out") }
    })
}

/// Checks Σ debits == Σ credits per ledger, the balance limits and the counters
/// (`PAYCORE_ERR_LEDGER_INVARIANT` with the violation in the message).
///
/// # Safety
/// `ledger` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_check_invariants(
    ledger: *const paycore_ledger,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow(ledger, "ledger") }?;
        Ok(l.ledger.check_invariants()?)
    })
}

/// Writes the snake_case name of a `paycore_account_result` ("exists_with_different_flags").
///
/// # Safety
/// `buf` valid for `buf_len` bytes; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_account_result_name(
    result: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        let r = CreateAccountResult::ALL
            .get(result as usize)
            .ok_or_else(|| invalid(format!("account result {result} out of range 0..=20")))?;
        // SAFETY: caller contract.
        unsafe { text_out(r.name(), buf, buf_len, out_len) }
    })
}

/// Writes the snake_case name of a `paycore_transfer_result` ("exceeds_credits").
///
/// # Safety
/// `buf` valid for `buf_len` bytes; `out_len` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_transfer_result_name(
    result: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        let r = CreateTransferResult::ALL
            .get(result as usize)
            .ok_or_else(|| invalid(format!("transfer result {result} out of range 0..=60")))?;
        // SAFETY: caller contract.
        unsafe { text_out(r.name(), buf, buf_len, out_len) }
    })
}

/// The deterministic id of a chart account: `owner (64) | ledger (32) | code (16) | 1 (16)`.
/// `kind` is a `paycore_account_kind`; platform kinds use owner id 0.
///
/// # Safety
/// `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_chart_account_id(
    kind: u32,
    owner_id: u64,
    ledger: u32,
    out: *mut paycore_u128,
) -> paycore_result {
    guard(|| {
        let kind = kind_from_u32(kind)?;
        let id = chart::account_id(kind, owner_id, ledger);
        // SAFETY: caller contract.
        unsafe { write_out(out, id.into(), "out") }
    })
}

/// The normal side (`paycore_normal_side`) of a chart account kind.
///
/// # Safety
/// `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_chart_normal_side(
    kind: u32,
    out: *mut u32,
) -> paycore_result {
    guard(|| {
        let side = match kind_from_u32(kind)?.normal_side() {
            NormalSide::Debit => paycore_normal_side::PAYCORE_SIDE_DEBIT,
            NormalSide::Credit => paycore_normal_side::PAYCORE_SIDE_CREDIT,
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, side as u32, "out") }
    })
}

/// The chart accounts of one owner (`paycore_owner`), ready for
/// `paycore_ledger_create_accounts`, into `out` (capacity `cap`; 11 always suffices).
///
/// # Safety
/// `out` valid for `cap` writes; `out_count` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_chart_accounts(
    owner: u32,
    owner_id: u64,
    ledger: u32,
    out: *mut paycore_ledger_account,
    cap: usize,
    out_count: *mut usize,
) -> paycore_result {
    guard(|| {
        let owner = owner_from_u32(owner)?;
        let items: Vec<paycore_ledger_account> = chart::accounts_for(owner, owner_id, ledger)
            .iter()
            .map(account_out)
            .collect();
        // SAFETY: caller contract.
        unsafe { array_out(&items, out, cap, out_count) }
    })
}

/// The transfers (one linked chain, deterministic ids) the default acquirer posting rules
/// produce for `event`, into `out` (capacity `cap`; 8 always suffices).
/// `PAYCORE_ERR_LEDGER_POSTING` when the event cannot be posted (fee > gross, no agent, …).
///
/// # Safety
/// `event` live; `out` valid for `cap` writes; `out_count` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_event_transfers(
    event: *const paycore_ledger_event,
    out: *mut paycore_ledger_transfer,
    cap: usize,
    out_count: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let e = event_in(unsafe { borrow(event, "event") }?)?;
        let items: Vec<paycore_ledger_transfer> = chart::PostingRules::acquirer_default()
            .transfers(&e)?
            .iter()
            .map(transfer_out)
            .collect();
        // SAFETY: caller contract.
        unsafe { array_out(&items, out, cap, out_count) }
    })
}

/// Posts a business event through the default acquirer rules at time `now`: writes one
/// `paycore_transfer_result` per leg into `results` (capacity `cap`; 8 always suffices) and
/// the leg count into `*out_count`. Re-posting the same event is idempotent (`exists`).
///
/// # Safety
/// `ledger`, `event` live; `results` valid for `cap` writes; `out_count` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_ledger_post_event(
    ledger: *mut paycore_ledger,
    event: *const paycore_ledger_event,
    now: u64,
    results: *mut u32,
    cap: usize,
    out_count: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow_mut(ledger, "ledger") }?;
        // SAFETY: caller contract.
        let e = event_in(unsafe { borrow(event, "event") }?)?;
        let transfers = chart::PostingRules::acquirer_default().transfers(&e)?;
        if out_count.is_null() {
            return Err(FfiError::null("out_count"));
        }
        if transfers.len() > cap || results.is_null() {
            // SAFETY: checked non-NULL.
            unsafe { out_count.write(transfers.len()) };
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
                format!("results array needs {} entries", transfers.len()),
            ));
        }
        let codes: Vec<u32> = l
            .ledger
            .create_transfers(&transfers, now)
            .into_iter()
            .map(|r| r as u32)
            .collect();
        // SAFETY: caller contract.
        unsafe { array_out(&codes, results, cap, out_count) }
    })
}

/// Requests a withdrawal: validates the amount against `policy` and reserves the funds
/// (pending transfers) at time `now`. On success `*out` owns a new withdrawal to release
/// with `paycore_withdrawal_free`. Errors: `PAYCORE_ERR_WITHDRAWAL_LIMIT`,
/// `PAYCORE_ERR_WITHDRAWAL_INSUFFICIENT`, `PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND`, …
///
/// # Safety
/// `ledger`, `policy`, `request` live; `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_withdrawal_create(
    ledger: *mut paycore_ledger,
    policy: *const paycore_withdrawal_policy,
    request: *const paycore_withdrawal_request,
    now: u64,
    out: *mut *mut paycore_withdrawal,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let l = unsafe { borrow_mut(ledger, "ledger") }?;
        // SAFETY: caller contract.
        let p = unsafe { borrow(policy, "policy") }?;
        // SAFETY: caller contract.
        let r = unsafe { borrow(request, "request") }?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let policy = WithdrawalPolicy {
            min_amount: p.min_amount.into(),
            max_amount: p.max_amount.into(),
            fee_fixed: p.fee_fixed.into(),
            fee_bps: p.fee_bps,
            fee_mode: match p.fee_mode {
                0 => FeeMode::Inside,
                1 => FeeMode::Outside,
                v => return Err(invalid(format!("fee mode {v} out of range 0..=1"))),
            },
        };
        let request = WithdrawalRequest {
            withdrawal_id: r.withdrawal_id,
            merchant_id: r.merchant_id,
            ledger: r.ledger,
            amount: r.amount.into(),
        };
        let w = Withdrawal::request(&mut l.ledger, &policy, request, now)?;
        let raw = Box::into_raw(Box::new(paycore_withdrawal(w)));
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, raw, "out") }
    })
}

/// Applies a transition (`paycore_withdrawal_action`), posting through `ledger` when it
/// moves money. On error neither the withdrawal nor the ledger changes
/// (`PAYCORE_ERR_WITHDRAWAL_ILLEGAL_TRANSITION`, `PAYCORE_ERR_LEDGER_REFUSED`).
///
/// # Safety
/// `withdrawal`, `ledger` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_withdrawal_apply(
    withdrawal: *mut paycore_withdrawal,
    ledger: *mut paycore_ledger,
    action: u32,
    now: u64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let w = unsafe { borrow_mut(withdrawal, "withdrawal") }?;
        // SAFETY: caller contract.
        let l = unsafe { borrow_mut(ledger, "ledger") }?;
        let action = action_from_u32(action)?;
        Ok(w.0.apply(&mut l.ledger, action, now)?)
    })
}

/// The state (`paycore_withdrawal_state`), fee and payout amount of a withdrawal.
/// Any of the out-pointers may be NULL when not wanted.
///
/// # Safety
/// `withdrawal` live; non-NULL out-pointers valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_withdrawal_info(
    withdrawal: *const paycore_withdrawal,
    out_state: *mut u32,
    out_fee: *mut paycore_u128,
    out_payout: *mut paycore_u128,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let w = unsafe { borrow(withdrawal, "withdrawal") }?;
        // SAFETY: each pointer checked for NULL; valid per caller contract.
        unsafe {
            if !out_state.is_null() {
                out_state.write(state_code(w.0.state));
            }
            if !out_fee.is_null() {
                out_fee.write(w.0.fee.into());
            }
            if !out_payout.is_null() {
                out_payout.write(w.0.payout.into());
            }
        }
        Ok(())
    })
}

/// Releases a withdrawal record (the ledger's postings stay). NULL is ignored.
///
/// # Safety
/// `withdrawal` from this library, freed once, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_withdrawal_free(withdrawal: *mut paycore_withdrawal) {
    crate::boundary::guard_value((), || {
        if !withdrawal.is_null() {
            // SAFETY: from Box::into_raw, freed once (caller contract).
            drop(unsafe { Box::from_raw(withdrawal) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_result_numbers_follow_core_precedence() {
        for (i, r) in CreateTransferResult::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
        for (i, r) in CreateAccountResult::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
        assert_eq!(
            paycore_transfer_result::PAYCORE_TRANSFER_EXCEEDS_CREDITS as u32,
            CreateTransferResult::ExceedsCredits as u32
        );
        assert_eq!(
            paycore_account_result::PAYCORE_ACCOUNT_EXISTS as u32,
            CreateAccountResult::Exists as u32
        );
    }

    #[test]
    fn u128_halves_round_trip() {
        let v: u128 = (7 << 64) | 42;
        let h = paycore_u128::from(v);
        assert_eq!((h.hi, h.lo), (7, 42));
        assert_eq!(u128::from(h), v);
    }
}
