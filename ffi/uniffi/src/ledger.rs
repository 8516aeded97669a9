//! The double-entry ledger for Kotlin/Swift: a `Ledger` object, records for accounts,
//! transfers and balances, result codes as enums, the acquirer chart of accounts and posting
//! rules, and the withdrawal (提现) state machine as a `Withdrawal` object.
//!
//! **128-bit ids and amounts** are the custom type [`U128`], carried as decimal text: Kotlin
//! sees `java.math.BigInteger` (configured in `uniffi.toml`), Swift a decimal `String`.
//! Signed balances are [`SignedU128`] (same mapping; may be negative). A negative or
//! non-decimal value where a `U128` is expected fails the call (lift error).
//! Time is an argument (`now`, ns since an epoch of the host's choice).

use crate::PaycoreError;
use paycore::ledger as core;
use paycore::ledger::chart as core_chart;
use paycore::ledger::withdrawal as core_wd;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// An unsigned 128-bit id or amount (Kotlin `BigInteger`, Swift decimal `String`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct U128(pub u128);

/// Text that is not an unsigned 128-bit decimal integer.
#[derive(Debug, thiserror::Error)]
#[error("not an unsigned 128-bit decimal integer: {0:?}")]
pub struct NotU128(String);

uniffi::custom_type!(U128, String, {
    lower: |v| v.0.to_string(),
    try_lift: |s| s.parse::<u128>().map(U128).map_err(|_| NotU128(s).into()),
});

/// A signed balance with a 128-bit magnitude (Kotlin `BigInteger`, Swift decimal `String`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedU128(pub core::SignedAmount);

uniffi::custom_type!(SignedU128, String, {
    lower: |v| if v.0.negative { format!("-{}", v.0.magnitude) } else { v.0.magnitude.to_string() },
    try_lift: |s| {
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        let magnitude = digits.parse::<u128>().map_err(|_| NotU128(s.clone()))?;
        Ok(SignedU128(core::SignedAmount { negative: negative && magnitude != 0, magnitude }))
    },
});

fn u(v: u128) -> U128 {
    U128(v)
}

/// An account (TigerBeetle's fields). On input to `createAccounts` the counters and
/// `timestamp` must be zero; `chartAccounts` builds ready-made ones.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Account {
    /// Unique id; 0 and 2^128−1 are reserved.
    pub id: U128,
    /// Pending debits.
    pub debits_pending: U128,
    /// Posted debits.
    pub debits_posted: U128,
    /// Pending credits.
    pub credits_pending: U128,
    /// Posted credits.
    pub credits_posted: U128,
    /// Opaque link to the host's records.
    pub user_data_128: U128,
    /// Opaque link to the host's records.
    pub user_data_64: u64,
    /// Opaque link to the host's records.
    pub user_data_32: u32,
    /// Ledger (currency partition).
    pub ledger: u32,
    /// Account type (chart code), non-zero.
    pub code: u16,
    /// Flag bits: linked 1, debits_must_not_exceed_credits 2, credits_must_not_exceed_debits 4,
    /// history 8, closed 32.
    pub flags: u16,
    /// Creation time (ns), assigned by the ledger.
    pub timestamp: u64,
}

impl From<&core::Account> for Account {
    fn from(a: &core::Account) -> Self {
        Account {
            id: u(a.id),
            debits_pending: u(a.debits_pending),
            debits_posted: u(a.debits_posted),
            credits_pending: u(a.credits_pending),
            credits_posted: u(a.credits_posted),
            user_data_128: u(a.user_data_128),
            user_data_64: a.user_data_64,
            user_data_32: a.user_data_32,
            ledger: a.ledger,
            code: a.code,
            flags: a.flags.0,
            timestamp: a.timestamp,
        }
    }
}

impl From<&Account> for core::Account {
    fn from(a: &Account) -> Self {
        core::Account {
            id: a.id.0,
            debits_pending: a.debits_pending.0,
            debits_posted: a.debits_posted.0,
            credits_pending: a.credits_pending.0,
            credits_posted: a.credits_posted.0,
            user_data_128: a.user_data_128.0,
            user_data_64: a.user_data_64,
            user_data_32: a.user_data_32,
            ledger: a.ledger,
            code: a.code,
            flags: core::AccountFlags(a.flags),
            timestamp: a.timestamp,
        }
    }
}

/// A transfer. On input `timestamp` must be zero; for post/void the accounts, ledger and code
/// may be zero (inherited from the pending transfer).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Transfer {
    /// Unique id (idempotency key).
    pub id: U128,
    /// Account debited.
    pub debit_account_id: U128,
    /// Account credited.
    pub credit_account_id: U128,
    /// Amount in minor units.
    pub amount: U128,
    /// For post/void: the pending transfer; otherwise zero.
    pub pending_id: U128,
    /// Opaque link to the host's records.
    pub user_data_128: U128,
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
    /// Flag bits: linked 1, pending 2, post 4, void 8, balancing debit 16 / credit 32,
    /// closing debit 64 / credit 128.
    pub flags: u16,
    /// Assigned by the ledger (ns).
    pub timestamp: u64,
}

impl From<&core::Transfer> for Transfer {
    fn from(t: &core::Transfer) -> Self {
        Transfer {
            id: u(t.id),
            debit_account_id: u(t.debit_account_id),
            credit_account_id: u(t.credit_account_id),
            amount: u(t.amount),
            pending_id: u(t.pending_id),
            user_data_128: u(t.user_data_128),
            user_data_64: t.user_data_64,
            user_data_32: t.user_data_32,
            timeout: t.timeout,
            ledger: t.ledger,
            code: t.code,
            flags: t.flags.0,
            timestamp: t.timestamp,
        }
    }
}

impl From<&Transfer> for core::Transfer {
    fn from(t: &Transfer) -> Self {
        core::Transfer {
            id: t.id.0,
            debit_account_id: t.debit_account_id.0,
            credit_account_id: t.credit_account_id.0,
            amount: t.amount.0,
            pending_id: t.pending_id.0,
            user_data_128: t.user_data_128.0,
            user_data_64: t.user_data_64,
            user_data_32: t.user_data_32,
            timeout: t.timeout,
            ledger: t.ledger,
            code: t.code,
            flags: core::TransferFlags(t.flags),
            timestamp: t.timestamp,
        }
    }
}

/// Which side increases a balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NormalSide {
    /// Balance = debits − credits (assets).
    Debit,
    /// Balance = credits − debits (liabilities, revenue).
    Credit,
}

impl From<NormalSide> for core::NormalSide {
    fn from(s: NormalSide) -> Self {
        match s {
            NormalSide::Debit => core::NormalSide::Debit,
            NormalSide::Credit => core::NormalSide::Credit,
        }
    }
}

impl From<core::NormalSide> for NormalSide {
    fn from(s: core::NormalSide) -> Self {
        match s {
            core::NormalSide::Debit => NormalSide::Debit,
            core::NormalSide::Credit => NormalSide::Credit,
        }
    }
}

/// Posted, pending and available balances seen from one side.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Balances {
    /// Posted balance.
    pub posted: SignedU128,
    /// Net pending movement.
    pub pending: SignedU128,
    /// Posted minus pending decreases.
    pub available: SignedU128,
}

impl From<core::Balances> for Balances {
    fn from(b: core::Balances) -> Self {
        Balances {
            posted: SignedU128(b.posted),
            pending: SignedU128(b.pending),
            available: SignedU128(b.available),
        }
    }
}

/// The four counters of an account at a point in time.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Counters {
    /// Pending debits.
    pub debits_pending: U128,
    /// Posted debits.
    pub debits_posted: U128,
    /// Pending credits.
    pub credits_pending: U128,
    /// Posted credits.
    pub credits_posted: U128,
}

impl From<core::Counters> for Counters {
    fn from(c: core::Counters) -> Self {
        Counters {
            debits_pending: u(c.debits_pending),
            debits_posted: u(c.debits_posted),
            credits_pending: u(c.credits_pending),
            credits_posted: u(c.credits_posted),
        }
    }
}

/// One history row: the counters right after the transfer with `timestamp`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccountBalance {
    /// Timestamp of the transfer (or expiry).
    pub timestamp: u64,
    /// Counters after it.
    pub counters: Counters,
}

/// Which transfers of an account to list (cursor paging).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccountFilter {
    /// The account.
    pub account_id: U128,
    /// Continue after this timestamp (before it when `reversed`); null = first page.
    pub cursor: Option<u64>,
    /// Page size, 1..=8190.
    pub limit: u32,
    /// Include transfers debiting the account.
    pub debits: bool,
    /// Include transfers crediting the account.
    pub credits: bool,
    /// Newest first.
    pub reversed: bool,
}

/// One page of transfers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TransferPage {
    /// Transfers in the requested order.
    pub transfers: Vec<Transfer>,
    /// Cursor for the next page; null when this page is the last.
    pub next_cursor: Option<u64>,
}

/// Result of one `createAccounts` event, in TigerBeetle's precedence order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CreateAccountResult {
    /// `created`.
    Created,
    /// `linked_event_failed`.
    LinkedEventFailed,
    /// `linked_event_chain_open`.
    LinkedEventChainOpen,
    /// `timestamp_must_be_zero`.
    TimestampMustBeZero,
    /// `reserved_flag`.
    ReservedFlag,
    /// `id_must_not_be_zero`.
    IdMustNotBeZero,
    /// `id_must_not_be_int_max`.
    IdMustNotBeIntMax,
    /// `exists_with_different_flags`.
    ExistsWithDifferentFlags,
    /// `exists_with_different_user_data_128`.
    ExistsWithDifferentUserData128,
    /// `exists_with_different_user_data_64`.
    ExistsWithDifferentUserData64,
    /// `exists_with_different_user_data_32`.
    ExistsWithDifferentUserData32,
    /// `exists_with_different_ledger`.
    ExistsWithDifferentLedger,
    /// `exists_with_different_code`.
    ExistsWithDifferentCode,
    /// `exists`.
    Exists,
    /// `flags_are_mutually_exclusive`.
    FlagsAreMutuallyExclusive,
    /// `debits_pending_must_be_zero`.
    DebitsPendingMustBeZero,
    /// `debits_posted_must_be_zero`.
    DebitsPostedMustBeZero,
    /// `credits_pending_must_be_zero`.
    CreditsPendingMustBeZero,
    /// `credits_posted_must_be_zero`.
    CreditsPostedMustBeZero,
    /// `ledger_must_not_be_zero`.
    LedgerMustNotBeZero,
    /// `code_must_not_be_zero`.
    CodeMustNotBeZero,
}

impl From<core::CreateAccountResult> for CreateAccountResult {
    fn from(r: core::CreateAccountResult) -> Self {
        match r {
            core::CreateAccountResult::Created => Self::Created,
            core::CreateAccountResult::LinkedEventFailed => Self::LinkedEventFailed,
            core::CreateAccountResult::LinkedEventChainOpen => Self::LinkedEventChainOpen,
            core::CreateAccountResult::TimestampMustBeZero => Self::TimestampMustBeZero,
            core::CreateAccountResult::ReservedFlag => Self::ReservedFlag,
            core::CreateAccountResult::IdMustNotBeZero => Self::IdMustNotBeZero,
            core::CreateAccountResult::IdMustNotBeIntMax => Self::IdMustNotBeIntMax,
            core::CreateAccountResult::ExistsWithDifferentFlags => Self::ExistsWithDifferentFlags,
            core::CreateAccountResult::ExistsWithDifferentUserData128 => {
                Self::ExistsWithDifferentUserData128
            }
            core::CreateAccountResult::ExistsWithDifferentUserData64 => {
                Self::ExistsWithDifferentUserData64
            }
            core::CreateAccountResult::ExistsWithDifferentUserData32 => {
                Self::ExistsWithDifferentUserData32
            }
            core::CreateAccountResult::ExistsWithDifferentLedger => Self::ExistsWithDifferentLedger,
            core::CreateAccountResult::ExistsWithDifferentCode => Self::ExistsWithDifferentCode,
            core::CreateAccountResult::Exists => Self::Exists,
            core::CreateAccountResult::FlagsAreMutuallyExclusive => Self::FlagsAreMutuallyExclusive,
            core::CreateAccountResult::DebitsPendingMustBeZero => Self::DebitsPendingMustBeZero,
            core::CreateAccountResult::DebitsPostedMustBeZero => Self::DebitsPostedMustBeZero,
            core::CreateAccountResult::CreditsPendingMustBeZero => Self::CreditsPendingMustBeZero,
            core::CreateAccountResult::CreditsPostedMustBeZero => Self::CreditsPostedMustBeZero,
            core::CreateAccountResult::LedgerMustNotBeZero => Self::LedgerMustNotBeZero,
            core::CreateAccountResult::CodeMustNotBeZero => Self::CodeMustNotBeZero,
        }
    }
}

/// Result of one `createTransfers` event, in TigerBeetle's precedence order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CreateTransferResult {
    /// `created`.
    Created,
    /// `linked_event_failed`.
    LinkedEventFailed,
    /// `linked_event_chain_open`.
    LinkedEventChainOpen,
    /// `timestamp_must_be_zero`.
    TimestampMustBeZero,
    /// `reserved_flag`.
    ReservedFlag,
    /// `id_must_not_be_zero`.
    IdMustNotBeZero,
    /// `id_must_not_be_int_max`.
    IdMustNotBeIntMax,
    /// `exists_with_different_flags`.
    ExistsWithDifferentFlags,
    /// `exists_with_different_pending_id`.
    ExistsWithDifferentPendingId,
    /// `exists_with_different_timeout`.
    ExistsWithDifferentTimeout,
    /// `exists_with_different_debit_account_id`.
    ExistsWithDifferentDebitAccountId,
    /// `exists_with_different_credit_account_id`.
    ExistsWithDifferentCreditAccountId,
    /// `exists_with_different_amount`.
    ExistsWithDifferentAmount,
    /// `exists_with_different_user_data_128`.
    ExistsWithDifferentUserData128,
    /// `exists_with_different_user_data_64`.
    ExistsWithDifferentUserData64,
    /// `exists_with_different_user_data_32`.
    ExistsWithDifferentUserData32,
    /// `exists_with_different_ledger`.
    ExistsWithDifferentLedger,
    /// `exists_with_different_code`.
    ExistsWithDifferentCode,
    /// `exists`.
    Exists,
    /// `id_already_failed`.
    IdAlreadyFailed,
    /// `flags_are_mutually_exclusive`.
    FlagsAreMutuallyExclusive,
    /// `debit_account_id_must_not_be_zero`.
    DebitAccountIdMustNotBeZero,
    /// `debit_account_id_must_not_be_int_max`.
    DebitAccountIdMustNotBeIntMax,
    /// `credit_account_id_must_not_be_zero`.
    CreditAccountIdMustNotBeZero,
    /// `credit_account_id_must_not_be_int_max`.
    CreditAccountIdMustNotBeIntMax,
    /// `accounts_must_be_different`.
    AccountsMustBeDifferent,
    /// `pending_id_must_be_zero`.
    PendingIdMustBeZero,
    /// `pending_id_must_not_be_zero`.
    PendingIdMustNotBeZero,
    /// `pending_id_must_not_be_int_max`.
    PendingIdMustNotBeIntMax,
    /// `pending_id_must_be_different`.
    PendingIdMustBeDifferent,
    /// `timeout_reserved_for_pending_transfer`.
    TimeoutReservedForPendingTransfer,
    /// `closing_transfer_must_be_pending`.
    ClosingTransferMustBePending,
    /// `amount_must_not_be_zero`.
    AmountMustNotBeZero,
    /// `ledger_must_not_be_zero`.
    LedgerMustNotBeZero,
    /// `code_must_not_be_zero`.
    CodeMustNotBeZero,
    /// `debit_account_not_found`.
    DebitAccountNotFound,
    /// `credit_account_not_found`.
    CreditAccountNotFound,
    /// `accounts_must_have_the_same_ledger`.
    AccountsMustHaveTheSameLedger,
    /// `transfer_must_have_the_same_ledger_as_accounts`.
    TransferMustHaveTheSameLedgerAsAccounts,
    /// `pending_transfer_not_found`.
    PendingTransferNotFound,
    /// `pending_transfer_not_pending`.
    PendingTransferNotPending,
    /// `pending_transfer_has_different_debit_account_id`.
    PendingTransferHasDifferentDebitAccountId,
    /// `pending_transfer_has_different_credit_account_id`.
    PendingTransferHasDifferentCreditAccountId,
    /// `pending_transfer_has_different_ledger`.
    PendingTransferHasDifferentLedger,
    /// `pending_transfer_has_different_code`.
    PendingTransferHasDifferentCode,
    /// `exceeds_pending_transfer_amount`.
    ExceedsPendingTransferAmount,
    /// `pending_transfer_has_different_amount`.
    PendingTransferHasDifferentAmount,
    /// `pending_transfer_already_posted`.
    PendingTransferAlreadyPosted,
    /// `pending_transfer_already_voided`.
    PendingTransferAlreadyVoided,
    /// `pending_transfer_expired`.
    PendingTransferExpired,
    /// `debit_account_already_closed`.
    DebitAccountAlreadyClosed,
    /// `credit_account_already_closed`.
    CreditAccountAlreadyClosed,
    /// `overflows_debits_pending`.
    OverflowsDebitsPending,
    /// `overflows_credits_pending`.
    OverflowsCreditsPending,
    /// `overflows_debits_posted`.
    OverflowsDebitsPosted,
    /// `overflows_credits_posted`.
    OverflowsCreditsPosted,
    /// `overflows_debits`.
    OverflowsDebits,
    /// `overflows_credits`.
    OverflowsCredits,
    /// `overflows_timeout`.
    OverflowsTimeout,
    /// `exceeds_credits`.
    ExceedsCredits,
    /// `exceeds_debits`.
    ExceedsDebits,
}

impl From<core::CreateTransferResult> for CreateTransferResult {
    fn from(r: core::CreateTransferResult) -> Self {
        match r {
            core::CreateTransferResult::Created => Self::Created,
            core::CreateTransferResult::LinkedEventFailed => Self::LinkedEventFailed,
            core::CreateTransferResult::LinkedEventChainOpen => Self::LinkedEventChainOpen,
            core::CreateTransferResult::TimestampMustBeZero => Self::TimestampMustBeZero,
            core::CreateTransferResult::ReservedFlag => Self::ReservedFlag,
            core::CreateTransferResult::IdMustNotBeZero => Self::IdMustNotBeZero,
            core::CreateTransferResult::IdMustNotBeIntMax => Self::IdMustNotBeIntMax,
            core::CreateTransferResult::ExistsWithDifferentFlags => Self::ExistsWithDifferentFlags,
            core::CreateTransferResult::ExistsWithDifferentPendingId => {
                Self::ExistsWithDifferentPendingId
            }
            core::CreateTransferResult::ExistsWithDifferentTimeout => {
                Self::ExistsWithDifferentTimeout
            }
            core::CreateTransferResult::ExistsWithDifferentDebitAccountId => {
                Self::ExistsWithDifferentDebitAccountId
            }
            core::CreateTransferResult::ExistsWithDifferentCreditAccountId => {
                Self::ExistsWithDifferentCreditAccountId
            }
            core::CreateTransferResult::ExistsWithDifferentAmount => {
                Self::ExistsWithDifferentAmount
            }
            core::CreateTransferResult::ExistsWithDifferentUserData128 => {
                Self::ExistsWithDifferentUserData128
            }
            core::CreateTransferResult::ExistsWithDifferentUserData64 => {
                Self::ExistsWithDifferentUserData64
            }
            core::CreateTransferResult::ExistsWithDifferentUserData32 => {
                Self::ExistsWithDifferentUserData32
            }
            core::CreateTransferResult::ExistsWithDifferentLedger => {
                Self::ExistsWithDifferentLedger
            }
            core::CreateTransferResult::ExistsWithDifferentCode => Self::ExistsWithDifferentCode,
            core::CreateTransferResult::Exists => Self::Exists,
            core::CreateTransferResult::IdAlreadyFailed => Self::IdAlreadyFailed,
            core::CreateTransferResult::FlagsAreMutuallyExclusive => {
                Self::FlagsAreMutuallyExclusive
            }
            core::CreateTransferResult::DebitAccountIdMustNotBeZero => {
                Self::DebitAccountIdMustNotBeZero
            }
            core::CreateTransferResult::DebitAccountIdMustNotBeIntMax => {
                Self::DebitAccountIdMustNotBeIntMax
            }
            core::CreateTransferResult::CreditAccountIdMustNotBeZero => {
                Self::CreditAccountIdMustNotBeZero
            }
            core::CreateTransferResult::CreditAccountIdMustNotBeIntMax => {
                Self::CreditAccountIdMustNotBeIntMax
            }
            core::CreateTransferResult::AccountsMustBeDifferent => Self::AccountsMustBeDifferent,
            core::CreateTransferResult::PendingIdMustBeZero => Self::PendingIdMustBeZero,
            core::CreateTransferResult::PendingIdMustNotBeZero => Self::PendingIdMustNotBeZero,
            core::CreateTransferResult::PendingIdMustNotBeIntMax => Self::PendingIdMustNotBeIntMax,
            core::CreateTransferResult::PendingIdMustBeDifferent => Self::PendingIdMustBeDifferent,
            core::CreateTransferResult::TimeoutReservedForPendingTransfer => {
                Self::TimeoutReservedForPendingTransfer
            }
            core::CreateTransferResult::ClosingTransferMustBePending => {
                Self::ClosingTransferMustBePending
            }
            core::CreateTransferResult::AmountMustNotBeZero => Self::AmountMustNotBeZero,
            core::CreateTransferResult::LedgerMustNotBeZero => Self::LedgerMustNotBeZero,
            core::CreateTransferResult::CodeMustNotBeZero => Self::CodeMustNotBeZero,
            core::CreateTransferResult::DebitAccountNotFound => Self::DebitAccountNotFound,
            core::CreateTransferResult::CreditAccountNotFound => Self::CreditAccountNotFound,
            core::CreateTransferResult::AccountsMustHaveTheSameLedger => {
                Self::AccountsMustHaveTheSameLedger
            }
            core::CreateTransferResult::TransferMustHaveTheSameLedgerAsAccounts => {
                Self::TransferMustHaveTheSameLedgerAsAccounts
            }
            core::CreateTransferResult::PendingTransferNotFound => Self::PendingTransferNotFound,
            core::CreateTransferResult::PendingTransferNotPending => {
                Self::PendingTransferNotPending
            }
            core::CreateTransferResult::PendingTransferHasDifferentDebitAccountId => {
                Self::PendingTransferHasDifferentDebitAccountId
            }
            core::CreateTransferResult::PendingTransferHasDifferentCreditAccountId => {
                Self::PendingTransferHasDifferentCreditAccountId
            }
            core::CreateTransferResult::PendingTransferHasDifferentLedger => {
                Self::PendingTransferHasDifferentLedger
            }
            core::CreateTransferResult::PendingTransferHasDifferentCode => {
                Self::PendingTransferHasDifferentCode
            }
            core::CreateTransferResult::ExceedsPendingTransferAmount => {
                Self::ExceedsPendingTransferAmount
            }
            core::CreateTransferResult::PendingTransferHasDifferentAmount => {
                Self::PendingTransferHasDifferentAmount
            }
            core::CreateTransferResult::PendingTransferAlreadyPosted => {
                Self::PendingTransferAlreadyPosted
            }
            core::CreateTransferResult::PendingTransferAlreadyVoided => {
                Self::PendingTransferAlreadyVoided
            }
            core::CreateTransferResult::PendingTransferExpired => Self::PendingTransferExpired,
            core::CreateTransferResult::DebitAccountAlreadyClosed => {
                Self::DebitAccountAlreadyClosed
            }
            core::CreateTransferResult::CreditAccountAlreadyClosed => {
                Self::CreditAccountAlreadyClosed
            }
            core::CreateTransferResult::OverflowsDebitsPending => Self::OverflowsDebitsPending,
            core::CreateTransferResult::OverflowsCreditsPending => Self::OverflowsCreditsPending,
            core::CreateTransferResult::OverflowsDebitsPosted => Self::OverflowsDebitsPosted,
            core::CreateTransferResult::OverflowsCreditsPosted => Self::OverflowsCreditsPosted,
            core::CreateTransferResult::OverflowsDebits => Self::OverflowsDebits,
            core::CreateTransferResult::OverflowsCredits => Self::OverflowsCredits,
            core::CreateTransferResult::OverflowsTimeout => Self::OverflowsTimeout,
            core::CreateTransferResult::ExceedsCredits => Self::ExceedsCredits,
            core::CreateTransferResult::ExceedsDebits => Self::ExceedsDebits,
        }
    }
}

/// The snake_case name of an account result ("exists_with_different_flags").
#[uniffi::export]
pub fn create_account_result_name(result: CreateAccountResult) -> String {
    core::CreateAccountResult::ALL
        .into_iter()
        .find(|r| CreateAccountResult::from(*r) == result)
        .map_or_else(String::new, |r| r.name().to_owned())
}

/// The snake_case name of a transfer result ("exceeds_credits").
#[uniffi::export]
pub fn create_transfer_result_name(result: CreateTransferResult) -> String {
    core::CreateTransferResult::ALL
        .into_iter()
        .find(|r| CreateTransferResult::from(*r) == result)
        .map_or_else(String::new, |r| r.name().to_owned())
}

/// Chart of accounts kinds (the account `code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AccountKind {
    /// Asset: settlement bank account.
    SettlementBank,
    /// Asset, clearing: owed by the card network.
    NetworkReceivable,
    /// Asset, clearing: D0 advances.
    D0AdvanceReceivable,
    /// Merchant, clearing: captured, not cleared (清分).
    MerchantUncleared,
    /// Merchant, clearing: cleared, awaiting settlement (清算).
    MerchantCleared,
    /// Merchant: withdrawable (结算).
    MerchantWithdrawable,
    /// Merchant: reserve withheld.
    MerchantReserve,
    /// Revenue: fees net of cost and commission.
    FeeRevenue,
    /// Liability, clearing: scheme cost payable.
    SchemeCostPayable,
    /// Agent: commission payable (分润).
    AgentCommissionPayable,
    /// Liability: suspense.
    Suspense,
}

impl From<AccountKind> for core_chart::AccountKind {
    fn from(k: AccountKind) -> Self {
        use core_chart::AccountKind as K;
        match k {
            AccountKind::SettlementBank => K::SettlementBank,
            AccountKind::NetworkReceivable => K::NetworkReceivable,
            AccountKind::D0AdvanceReceivable => K::D0AdvanceReceivable,
            AccountKind::MerchantUncleared => K::MerchantUncleared,
            AccountKind::MerchantCleared => K::MerchantCleared,
            AccountKind::MerchantWithdrawable => K::MerchantWithdrawable,
            AccountKind::MerchantReserve => K::MerchantReserve,
            AccountKind::FeeRevenue => K::FeeRevenue,
            AccountKind::SchemeCostPayable => K::SchemeCostPayable,
            AccountKind::AgentCommissionPayable => K::AgentCommissionPayable,
            AccountKind::Suspense => K::Suspense,
        }
    }
}

/// Owner scope of chart accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Owner {
    /// The acquirer (owner id 0).
    Platform,
    /// One set per merchant.
    Merchant,
    /// One set per agent.
    Agent,
}

impl From<Owner> for core_chart::Owner {
    fn from(o: Owner) -> Self {
        match o {
            Owner::Platform => core_chart::Owner::Platform,
            Owner::Merchant => core_chart::Owner::Merchant,
            Owner::Agent => core_chart::Owner::Agent,
        }
    }
}

/// Business events of the posting rules (the transfer `code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EventKind {
    /// Captured card sale.
    Sale,
    /// Same-day void (撤销).
    Void,
    /// Technical reversal (冲正).
    Reversal,
    /// Refund (退货).
    Refund,
    /// Standalone merchant fee.
    Fee,
    /// Standalone agent commission.
    AgentCommission,
    /// Cut-off: uncleared → cleared.
    Clearing,
    /// Settlement run: cleared → withdrawable.
    SettlementRun,
    /// D0 advance.
    D0Advance,
    /// Reserve release.
    ReserveRelease,
    /// The network pays us.
    NetworkSettlement,
    /// Payout of withdrawable funds.
    Payout,
    /// Payout of agent commission.
    AgentPayout,
    /// Unidentified funds into suspense.
    SuspenseIn,
    /// Suspense identified as a merchant's.
    SuspenseToMerchant,
    /// Withdrawal hold (used by `Withdrawal`).
    WithdrawalHold,
    /// Withdrawal paid.
    WithdrawalPost,
    /// Withdrawal rejected or failed.
    WithdrawalVoid,
    /// Withdrawal returned by the bank (退票).
    WithdrawalReturn,
}

impl From<EventKind> for core_chart::EventKind {
    fn from(k: EventKind) -> Self {
        use core_chart::EventKind as E;
        match k {
            EventKind::Sale => E::Sale,
            EventKind::Void => E::Void,
            EventKind::Reversal => E::Reversal,
            EventKind::Refund => E::Refund,
            EventKind::Fee => E::Fee,
            EventKind::AgentCommission => E::AgentCommission,
            EventKind::Clearing => E::Clearing,
            EventKind::SettlementRun => E::SettlementRun,
            EventKind::D0Advance => E::D0Advance,
            EventKind::ReserveRelease => E::ReserveRelease,
            EventKind::NetworkSettlement => E::NetworkSettlement,
            EventKind::Payout => E::Payout,
            EventKind::AgentPayout => E::AgentPayout,
            EventKind::SuspenseIn => E::SuspenseIn,
            EventKind::SuspenseToMerchant => E::SuspenseToMerchant,
            EventKind::WithdrawalHold => E::WithdrawalHold,
            EventKind::WithdrawalPost => E::WithdrawalPost,
            EventKind::WithdrawalVoid => E::WithdrawalVoid,
            EventKind::WithdrawalReturn => E::WithdrawalReturn,
        }
    }
}

/// Amounts of a business event, minor units (zero fields are skipped).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Amounts {
    /// Transaction amount.
    pub gross: U128,
    /// Merchant discount fee charged (or refunded).
    pub merchant_fee: U128,
    /// Issuer interchange + network fee (our cost).
    pub scheme_cost: U128,
    /// Agent profit share.
    pub agent_commission: U128,
    /// Reserve withheld (settlement run).
    pub reserve: U128,
    /// D0 advance repaid (settlement run).
    pub advance: U128,
}

/// A business event for the acquirer posting rules.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BusinessEvent {
    /// What happened.
    pub kind: EventKind,
    /// The host's unique id of the event (transfer ids derive from it).
    pub event_id: u64,
    /// Merchant (0 for platform-only events).
    pub merchant_id: u64,
    /// Agent (0 if none).
    pub agent_id: u64,
    /// Ledger (currency).
    pub ledger: u32,
    /// Amounts.
    pub amounts: Amounts,
}

impl From<&BusinessEvent> for core_chart::BusinessEvent {
    fn from(e: &BusinessEvent) -> Self {
        core_chart::BusinessEvent {
            kind: e.kind.into(),
            event_id: e.event_id,
            merchant_id: e.merchant_id,
            agent_id: e.agent_id,
            ledger: e.ledger,
            amounts: core_chart::Amounts {
                gross: e.amounts.gross.0,
                merchant_fee: e.amounts.merchant_fee.0,
                scheme_cost: e.amounts.scheme_cost.0,
                agent_commission: e.amounts.agent_commission.0,
                reserve: e.amounts.reserve.0,
                advance: e.amounts.advance.0,
            },
        }
    }
}

/// The deterministic id of a chart account (`owner | ledger | code | 1`); platform kinds
/// use owner id 0.
#[uniffi::export]
pub fn chart_account_id(kind: AccountKind, owner_id: u64, ledger: u32) -> U128 {
    U128(core_chart::account_id(kind.into(), owner_id, ledger))
}

/// The normal side of a chart account kind.
#[uniffi::export]
pub fn account_kind_normal_side(kind: AccountKind) -> NormalSide {
    core_chart::AccountKind::from(kind).normal_side().into()
}

/// The chart accounts of one owner, ready for `Ledger.createAccounts`.
#[uniffi::export]
pub fn chart_accounts(owner: Owner, owner_id: u64, ledger: u32) -> Vec<Account> {
    core_chart::accounts_for(owner.into(), owner_id, ledger)
        .iter()
        .map(Account::from)
        .collect()
}

/// The transfers (one linked chain, deterministic ids) the default acquirer rules produce
/// for an event.
#[uniffi::export]
pub fn event_transfers(event: BusinessEvent) -> Result<Vec<Transfer>, PaycoreError> {
    Ok(core_chart::PostingRules::acquirer_default()
        .transfers(&(&event).into())?
        .iter()
        .map(Transfer::from)
        .collect())
}

/// A double-entry ledger with TigerBeetle's semantics. Thread-safe (calls are serialised).
#[derive(Debug, uniffi::Object)]
pub struct Ledger(Mutex<core::Ledger>);

impl Ledger {
    fn lock(&self) -> MutexGuard<'_, core::Ledger> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl Ledger {
    /// An empty ledger that buffers a journal (drain with `takeJournal`).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Ledger(Mutex::new(core::Ledger::new())))
    }

    /// Rebuilds a ledger from journal text (JSON lines); the error names the bad line.
    #[uniffi::constructor]
    pub fn replay(journal: String) -> Result<Arc<Self>, PaycoreError> {
        let mut l = core::journal::replay(&journal)?;
        l.set_journal_enabled(true);
        Ok(Arc::new(Ledger(Mutex::new(l))))
    }

    /// Restores a ledger from a JSON snapshot, validating it fully.
    #[uniffi::constructor]
    pub fn from_snapshot_json(json: String) -> Result<Arc<Self>, PaycoreError> {
        let s = core::Snapshot::from_json(&json)?;
        Ok(Arc::new(Ledger(Mutex::new(core::Ledger::restore(s)?))))
    }

    /// Creates a batch of accounts at `now` (ns); one result per event.
    pub fn create_accounts(&self, accounts: Vec<Account>, now: u64) -> Vec<CreateAccountResult> {
        let batch: Vec<core::Account> = accounts.iter().map(core::Account::from).collect();
        self.lock()
            .create_accounts(&batch, now)
            .into_iter()
            .map(CreateAccountResult::from)
            .collect()
    }

    /// Creates a batch of transfers at `now` (ns); one result per event.
    pub fn create_transfers(
        &self,
        transfers: Vec<Transfer>,
        now: u64,
    ) -> Vec<CreateTransferResult> {
        let batch: Vec<core::Transfer> = transfers.iter().map(core::Transfer::from).collect();
        self.lock()
            .create_transfers(&batch, now)
            .into_iter()
            .map(CreateTransferResult::from)
            .collect()
    }

    /// Posts a business event through the default acquirer rules; one result per leg.
    /// Re-posting the same event is idempotent (`EXISTS`).
    pub fn post_event(
        &self,
        event: BusinessEvent,
        now: u64,
    ) -> Result<Vec<CreateTransferResult>, PaycoreError> {
        let transfers = core_chart::PostingRules::acquirer_default().transfers(&(&event).into())?;
        Ok(self
            .lock()
            .create_transfers(&transfers, now)
            .into_iter()
            .map(CreateTransferResult::from)
            .collect())
    }

    /// Releases pending transfers timed out at or before `now`; returns how many.
    pub fn expire_pending(&self, now: u64) -> u64 {
        self.lock().expire_pending(now) as u64
    }

    /// The last assigned timestamp.
    pub fn clock(&self) -> u64 {
        self.lock().clock()
    }

    /// The account with `id`, or null.
    pub fn account(&self, id: U128) -> Option<Account> {
        self.lock().account(id.0).map(Account::from)
    }

    /// Balances of an account seen from `side`.
    pub fn balances(&self, id: U128, side: NormalSide) -> Result<Balances, PaycoreError> {
        let l = self.lock();
        let a = l
            .account(id.0)
            .ok_or(core::QueryError::AccountNotFound(id.0))?;
        Ok(a.balances(side.into()).into())
    }

    /// Balances of a chart account, seen from its kind's normal side.
    pub fn chart_balances(
        &self,
        kind: AccountKind,
        owner_id: u64,
        ledger: u32,
    ) -> Result<Balances, PaycoreError> {
        let k = core_chart::AccountKind::from(kind);
        let id = core_chart::account_id(k, owner_id, ledger);
        let l = self.lock();
        let a = l.account(id).ok_or(core::QueryError::AccountNotFound(id))?;
        Ok(a.balances(k.normal_side()).into())
    }

    /// The transfer with `id` as stored, or null.
    pub fn transfer(&self, id: U128) -> Option<Transfer> {
        self.lock().transfer(id.0).map(Transfer::from)
    }

    /// A page of the transfers touching an account.
    pub fn transfers_by_account(
        &self,
        filter: AccountFilter,
    ) -> Result<TransferPage, PaycoreError> {
        let page = self.lock().transfers_by_account(&core::AccountFilter {
            account_id: filter.account_id.0,
            cursor: filter.cursor,
            limit: filter.limit,
            debits: filter.debits,
            credits: filter.credits,
            reversed: filter.reversed,
        })?;
        Ok(TransferPage {
            transfers: page.transfers.iter().map(Transfer::from).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// History rows of an account created with the history flag.
    pub fn account_history(&self, id: U128) -> Result<Vec<AccountBalance>, PaycoreError> {
        Ok(self
            .lock()
            .account_history(id.0)?
            .iter()
            .map(|r| AccountBalance {
                timestamp: r.timestamp,
                counters: r.counters.into(),
            })
            .collect())
    }

    /// Counters of a history account as of `timestamp` (inclusive).
    pub fn balance_as_of(&self, id: U128, timestamp: u64) -> Result<Counters, PaycoreError> {
        Ok(self.lock().balance_as_of(id.0, timestamp)?.into())
    }

    /// Drains the journal: JSON lines (each ending in a newline) since the last call.
    pub fn take_journal(&self) -> String {
        self.lock()
            .take_journal()
            .iter()
            .map(|r| r.to_line() + "\n")
            .collect()
    }

    /// The full state as a JSON snapshot.
    pub fn snapshot_json(&self) -> String {
        self.lock().snapshot().to_json()
    }

    /// 64-bit digest of the state (equal states, equal digests).
    pub fn digest(&self) -> u64 {
        self.lock().digest()
    }

    /// Checks Σ debits == Σ credits per ledger, balance limits and counters.
    pub fn check_invariants(&self) -> Result<(), PaycoreError> {
        Ok(self.lock().check_invariants()?)
    }
}

/// Where the withdrawal fee comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FeeMode {
    /// 内扣: deducted from the amount.
    Inside,
    /// 外扣: added on top.
    Outside,
}

/// Limits and fee of withdrawals.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WithdrawalPolicy {
    /// Smallest requested amount.
    pub min_amount: U128,
    /// Largest requested amount.
    pub max_amount: U128,
    /// Fixed fee per withdrawal.
    pub fee_fixed: U128,
    /// Proportional fee, basis points, rounded half up.
    pub fee_bps: u32,
    /// Where the fee comes from.
    pub fee_mode: FeeMode,
}

/// A withdrawal request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WithdrawalRequest {
    /// The host's unique id of this withdrawal.
    pub withdrawal_id: u64,
    /// Merchant.
    pub merchant_id: u64,
    /// Ledger (currency).
    pub ledger: u32,
    /// Amount requested, minor units.
    pub amount: U128,
}

/// Withdrawal transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum WithdrawalAction {
    /// Requested → Approved.
    Approve,
    /// Requested/Approved/Frozen → Rejected.
    Reject,
    /// Requested/Approved → Frozen.
    Freeze,
    /// Frozen → previous.
    Unfreeze,
    /// Approved → Paid.
    Paid,
    /// Approved → Failed.
    Failed,
    /// Paid → Returned (退票).
    Returned,
}

impl From<WithdrawalAction> for core_wd::WithdrawalAction {
    fn from(a: WithdrawalAction) -> Self {
        use core_wd::WithdrawalAction as A;
        match a {
            WithdrawalAction::Approve => A::Approve,
            WithdrawalAction::Reject => A::Reject,
            WithdrawalAction::Freeze => A::Freeze,
            WithdrawalAction::Unfreeze => A::Unfreeze,
            WithdrawalAction::Paid => A::Paid,
            WithdrawalAction::Failed => A::Failed,
            WithdrawalAction::Returned => A::Returned,
        }
    }
}

/// Withdrawal states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum WithdrawalState {
    /// Funds reserved, awaiting review.
    Requested,
    /// Approved, sent to the bank.
    Approved,
    /// Held by risk control.
    Frozen,
    /// Refused; reservation released.
    Rejected,
    /// Paid.
    Paid,
    /// Bank failure; reservation released.
    Failed,
    /// Returned by the bank after success.
    Returned,
}

impl From<core_wd::WithdrawalState> for WithdrawalState {
    fn from(s: core_wd::WithdrawalState) -> Self {
        use core_wd::WithdrawalState as S;
        match s {
            S::Requested => WithdrawalState::Requested,
            S::Approved => WithdrawalState::Approved,
            S::Frozen { .. } => WithdrawalState::Frozen,
            S::Rejected => WithdrawalState::Rejected,
            S::Paid => WithdrawalState::Paid,
            S::Failed => WithdrawalState::Failed,
            S::Returned => WithdrawalState::Returned,
        }
    }
}

/// A merchant withdrawal (提现) in progress; each transition posts through a `Ledger`.
#[derive(Debug, uniffi::Object)]
pub struct Withdrawal(Mutex<core_wd::Withdrawal>);

impl Withdrawal {
    fn lock(&self) -> MutexGuard<'_, core_wd::Withdrawal> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl Withdrawal {
    /// Validates the request against `policy` and reserves the funds at `now` (ns).
    #[uniffi::constructor]
    pub fn request(
        ledger: Arc<Ledger>,
        policy: WithdrawalPolicy,
        request: WithdrawalRequest,
        now: u64,
    ) -> Result<Arc<Self>, PaycoreError> {
        let policy = core_wd::WithdrawalPolicy {
            min_amount: policy.min_amount.0,
            max_amount: policy.max_amount.0,
            fee_fixed: policy.fee_fixed.0,
            fee_bps: policy.fee_bps,
            fee_mode: match policy.fee_mode {
                FeeMode::Inside => core_wd::FeeMode::Inside,
                FeeMode::Outside => core_wd::FeeMode::Outside,
            },
        };
        let request = core_wd::WithdrawalRequest {
            withdrawal_id: request.withdrawal_id,
            merchant_id: request.merchant_id,
            ledger: request.ledger,
            amount: request.amount.0,
        };
        let w = core_wd::Withdrawal::request(&mut ledger.lock(), &policy, request, now)?;
        Ok(Arc::new(Withdrawal(Mutex::new(w))))
    }

    /// Applies a transition, posting through `ledger` when it moves money. On error neither
    /// the withdrawal nor the ledger changes.
    pub fn apply(
        &self,
        ledger: Arc<Ledger>,
        action: WithdrawalAction,
        now: u64,
    ) -> Result<(), PaycoreError> {
        let mut w = self.lock();
        Ok(w.apply(&mut ledger.lock(), action.into(), now)?)
    }

    /// Current state.
    pub fn state(&self) -> WithdrawalState {
        self.lock().state.into()
    }

    /// Fee charged.
    pub fn fee(&self) -> U128 {
        U128(self.lock().fee)
    }

    /// Amount paid to the merchant's bank account.
    pub fn payout(&self) -> U128 {
        U128(self.lock().payout)
    }
}

impl From<core::QueryError> for PaycoreError {
    fn from(e: core::QueryError) -> Self {
        let m = e.to_string();
        match e {
            core::QueryError::AccountNotFound(_) => PaycoreError::LedgerAccountNotFound(m),
            core::QueryError::HistoryNotEnabled(_) => PaycoreError::LedgerHistoryNotEnabled(m),
            core::QueryError::BeforeCreation { .. } => PaycoreError::LedgerBeforeCreation(m),
            core::QueryError::BadLimit(_) => PaycoreError::InvalidArgument(m),
        }
    }
}

impl From<core::JournalError> for PaycoreError {
    fn from(e: core::JournalError) -> Self {
        PaycoreError::LedgerJournal(e.to_string())
    }
}

impl From<core::SnapshotError> for PaycoreError {
    fn from(e: core::SnapshotError) -> Self {
        PaycoreError::LedgerSnapshot(e.to_string())
    }
}

impl From<core::InvariantViolation> for PaycoreError {
    fn from(e: core::InvariantViolation) -> Self {
        PaycoreError::LedgerInvariant(e.to_string())
    }
}

impl From<core_chart::PostingError> for PaycoreError {
    fn from(e: core_chart::PostingError) -> Self {
        PaycoreError::LedgerPosting(e.to_string())
    }
}

impl From<core_wd::WithdrawalError> for PaycoreError {
    fn from(e: core_wd::WithdrawalError) -> Self {
        use core_wd::WithdrawalError as W;
        let m = e.to_string();
        match e {
            W::OutOfRange { .. } | W::FeeNotCovered { .. } => PaycoreError::WithdrawalLimit(m),
            W::Insufficient { .. } => PaycoreError::WithdrawalInsufficientFunds(m),
            W::IllegalTransition { .. } => PaycoreError::WithdrawalIllegalTransition(m),
            W::Ledger(_) => PaycoreError::LedgerRefused(m),
            W::NoAccount => PaycoreError::LedgerAccountNotFound(m),
            W::Overflow => PaycoreError::Overflow(m),
        }
    }
}
