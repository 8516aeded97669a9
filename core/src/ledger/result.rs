//! Result codes, one per event, in documented precedence order.

use serde::{Deserialize, Serialize};

/// Outcome of one event of [`Ledger::create_accounts`](super::Ledger::create_accounts).
///
/// Variants are declared in **descending precedence**: when several apply, the first one
/// listed is returned (TigerBeetle's order, minus the `imported_*` family which paycore does
/// not support).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
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

impl CreateAccountResult {
    /// The snake_case name used by TigerBeetle and in the journal.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::LinkedEventFailed => "linked_event_failed",
            Self::LinkedEventChainOpen => "linked_event_chain_open",
            Self::TimestampMustBeZero => "timestamp_must_be_zero",
            Self::ReservedFlag => "reserved_flag",
            Self::IdMustNotBeZero => "id_must_not_be_zero",
            Self::IdMustNotBeIntMax => "id_must_not_be_int_max",
            Self::ExistsWithDifferentFlags => "exists_with_different_flags",
            Self::ExistsWithDifferentUserData128 => "exists_with_different_user_data_128",
            Self::ExistsWithDifferentUserData64 => "exists_with_different_user_data_64",
            Self::ExistsWithDifferentUserData32 => "exists_with_different_user_data_32",
            Self::ExistsWithDifferentLedger => "exists_with_different_ledger",
            Self::ExistsWithDifferentCode => "exists_with_different_code",
            Self::Exists => "exists",
            Self::FlagsAreMutuallyExclusive => "flags_are_mutually_exclusive",
            Self::DebitsPendingMustBeZero => "debits_pending_must_be_zero",
            Self::DebitsPostedMustBeZero => "debits_posted_must_be_zero",
            Self::CreditsPendingMustBeZero => "credits_pending_must_be_zero",
            Self::CreditsPostedMustBeZero => "credits_posted_must_be_zero",
            Self::LedgerMustNotBeZero => "ledger_must_not_be_zero",
            Self::CodeMustNotBeZero => "code_must_not_be_zero",
        }
    }
    /// Every variant, in precedence order.
    pub const ALL: [Self; 21] = [
        Self::Created,
        Self::LinkedEventFailed,
        Self::LinkedEventChainOpen,
        Self::TimestampMustBeZero,
        Self::ReservedFlag,
        Self::IdMustNotBeZero,
        Self::IdMustNotBeIntMax,
        Self::ExistsWithDifferentFlags,
        Self::ExistsWithDifferentUserData128,
        Self::ExistsWithDifferentUserData64,
        Self::ExistsWithDifferentUserData32,
        Self::ExistsWithDifferentLedger,
        Self::ExistsWithDifferentCode,
        Self::Exists,
        Self::FlagsAreMutuallyExclusive,
        Self::DebitsPendingMustBeZero,
        Self::DebitsPostedMustBeZero,
        Self::CreditsPendingMustBeZero,
        Self::CreditsPostedMustBeZero,
        Self::LedgerMustNotBeZero,
        Self::CodeMustNotBeZero,
    ];
}

impl std::fmt::Display for CreateAccountResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
/// Outcome of one event of [`Ledger::create_transfers`](super::Ledger::create_transfers).
///
/// Variants are declared in **descending precedence**: when several apply, the first one
/// listed is returned (TigerBeetle's order, minus the `imported_*` family which paycore does
/// not support).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
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
    /// `debit_account_not_found`. Transient: the id is memoised and retries get `id_already_failed`.
    DebitAccountNotFound,
    /// `credit_account_not_found`. Transient: the id is memoised and retries get `id_already_failed`.
    CreditAccountNotFound,
    /// `accounts_must_have_the_same_ledger`.
    AccountsMustHaveTheSameLedger,
    /// `transfer_must_have_the_same_ledger_as_accounts`.
    TransferMustHaveTheSameLedgerAsAccounts,
    /// `pending_transfer_not_found`. Transient: the id is memoised and retries get `id_already_failed`.
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
    /// `debit_account_already_closed`. Transient: the id is memoised and retries get `id_already_failed`.
    DebitAccountAlreadyClosed,
    /// `credit_account_already_closed`. Transient: the id is memoised and retries get `id_already_failed`.
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
    /// `exceeds_credits`. Transient: the id is memoised and retries get `id_already_failed`.
    ExceedsCredits,
    /// `exceeds_debits`. Transient: the id is memoised and retries get `id_already_failed`.
    ExceedsDebits,
}

impl CreateTransferResult {
    /// The snake_case name used by TigerBeetle and in the journal.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::LinkedEventFailed => "linked_event_failed",
            Self::LinkedEventChainOpen => "linked_event_chain_open",
            Self::TimestampMustBeZero => "timestamp_must_be_zero",
            Self::ReservedFlag => "reserved_flag",
            Self::IdMustNotBeZero => "id_must_not_be_zero",
            Self::IdMustNotBeIntMax => "id_must_not_be_int_max",
            Self::ExistsWithDifferentFlags => "exists_with_different_flags",
            Self::ExistsWithDifferentPendingId => "exists_with_different_pending_id",
            Self::ExistsWithDifferentTimeout => "exists_with_different_timeout",
            Self::ExistsWithDifferentDebitAccountId => "exists_with_different_debit_account_id",
            Self::ExistsWithDifferentCreditAccountId => "exists_with_different_credit_account_id",
            Self::ExistsWithDifferentAmount => "exists_with_different_amount",
            Self::ExistsWithDifferentUserData128 => "exists_with_different_user_data_128",
            Self::ExistsWithDifferentUserData64 => "exists_with_different_user_data_64",
            Self::ExistsWithDifferentUserData32 => "exists_with_different_user_data_32",
            Self::ExistsWithDifferentLedger => "exists_with_different_ledger",
            Self::ExistsWithDifferentCode => "exists_with_different_code",
            Self::Exists => "exists",
            Self::IdAlreadyFailed => "id_already_failed",
            Self::FlagsAreMutuallyExclusive => "flags_are_mutually_exclusive",
            Self::DebitAccountIdMustNotBeZero => "debit_account_id_must_not_be_zero",
            Self::DebitAccountIdMustNotBeIntMax => "debit_account_id_must_not_be_int_max",
            Self::CreditAccountIdMustNotBeZero => "credit_account_id_must_not_be_zero",
            Self::CreditAccountIdMustNotBeIntMax => "credit_account_id_must_not_be_int_max",
            Self::AccountsMustBeDifferent => "accounts_must_be_different",
            Self::PendingIdMustBeZero => "pending_id_must_be_zero",
            Self::PendingIdMustNotBeZero => "pending_id_must_not_be_zero",
            Self::PendingIdMustNotBeIntMax => "pending_id_must_not_be_int_max",
            Self::PendingIdMustBeDifferent => "pending_id_must_be_different",
            Self::TimeoutReservedForPendingTransfer => "timeout_reserved_for_pending_transfer",
            Self::ClosingTransferMustBePending => "closing_transfer_must_be_pending",
            Self::AmountMustNotBeZero => "amount_must_not_be_zero",
            Self::LedgerMustNotBeZero => "ledger_must_not_be_zero",
            Self::CodeMustNotBeZero => "code_must_not_be_zero",
            Self::DebitAccountNotFound => "debit_account_not_found",
            Self::CreditAccountNotFound => "credit_account_not_found",
            Self::AccountsMustHaveTheSameLedger => "accounts_must_have_the_same_ledger",
            Self::TransferMustHaveTheSameLedgerAsAccounts => {
                "transfer_must_have_the_same_ledger_as_accounts"
            }
            Self::PendingTransferNotFound => "pending_transfer_not_found",
            Self::PendingTransferNotPending => "pending_transfer_not_pending",
            Self::PendingTransferHasDifferentDebitAccountId => {
                "pending_transfer_has_different_debit_account_id"
            }
            Self::PendingTransferHasDifferentCreditAccountId => {
                "pending_transfer_has_different_credit_account_id"
            }
            Self::PendingTransferHasDifferentLedger => "pending_transfer_has_different_ledger",
            Self::PendingTransferHasDifferentCode => "pending_transfer_has_different_code",
            Self::ExceedsPendingTransferAmount => "exceeds_pending_transfer_amount",
            Self::PendingTransferHasDifferentAmount => "pending_transfer_has_different_amount",
            Self::PendingTransferAlreadyPosted => "pending_transfer_already_posted",
            Self::PendingTransferAlreadyVoided => "pending_transfer_already_voided",
            Self::PendingTransferExpired => "pending_transfer_expired",
            Self::DebitAccountAlreadyClosed => "debit_account_already_closed",
            Self::CreditAccountAlreadyClosed => "credit_account_already_closed",
            Self::OverflowsDebitsPending => "overflows_debits_pending",
            Self::OverflowsCreditsPending => "overflows_credits_pending",
            Self::OverflowsDebitsPosted => "overflows_debits_posted",
            Self::OverflowsCreditsPosted => "overflows_credits_posted",
            Self::OverflowsDebits => "overflows_debits",
            Self::OverflowsCredits => "overflows_credits",
            Self::OverflowsTimeout => "overflows_timeout",
            Self::ExceedsCredits => "exceeds_credits",
            Self::ExceedsDebits => "exceeds_debits",
        }
    }
    /// Every variant, in precedence order.
    pub const ALL: [Self; 61] = [
        Self::Created,
        Self::LinkedEventFailed,
        Self::LinkedEventChainOpen,
        Self::TimestampMustBeZero,
        Self::ReservedFlag,
        Self::IdMustNotBeZero,
        Self::IdMustNotBeIntMax,
        Self::ExistsWithDifferentFlags,
        Self::ExistsWithDifferentPendingId,
        Self::ExistsWithDifferentTimeout,
        Self::ExistsWithDifferentDebitAccountId,
        Self::ExistsWithDifferentCreditAccountId,
        Self::ExistsWithDifferentAmount,
        Self::ExistsWithDifferentUserData128,
        Self::ExistsWithDifferentUserData64,
        Self::ExistsWithDifferentUserData32,
        Self::ExistsWithDifferentLedger,
        Self::ExistsWithDifferentCode,
        Self::Exists,
        Self::IdAlreadyFailed,
        Self::FlagsAreMutuallyExclusive,
        Self::DebitAccountIdMustNotBeZero,
        Self::DebitAccountIdMustNotBeIntMax,
        Self::CreditAccountIdMustNotBeZero,
        Self::CreditAccountIdMustNotBeIntMax,
        Self::AccountsMustBeDifferent,
        Self::PendingIdMustBeZero,
        Self::PendingIdMustNotBeZero,
        Self::PendingIdMustNotBeIntMax,
        Self::PendingIdMustBeDifferent,
        Self::TimeoutReservedForPendingTransfer,
        Self::ClosingTransferMustBePending,
        Self::AmountMustNotBeZero,
        Self::LedgerMustNotBeZero,
        Self::CodeMustNotBeZero,
        Self::DebitAccountNotFound,
        Self::CreditAccountNotFound,
        Self::AccountsMustHaveTheSameLedger,
        Self::TransferMustHaveTheSameLedgerAsAccounts,
        Self::PendingTransferNotFound,
        Self::PendingTransferNotPending,
        Self::PendingTransferHasDifferentDebitAccountId,
        Self::PendingTransferHasDifferentCreditAccountId,
        Self::PendingTransferHasDifferentLedger,
        Self::PendingTransferHasDifferentCode,
        Self::ExceedsPendingTransferAmount,
        Self::PendingTransferHasDifferentAmount,
        Self::PendingTransferAlreadyPosted,
        Self::PendingTransferAlreadyVoided,
        Self::PendingTransferExpired,
        Self::DebitAccountAlreadyClosed,
        Self::CreditAccountAlreadyClosed,
        Self::OverflowsDebitsPending,
        Self::OverflowsCreditsPending,
        Self::OverflowsDebitsPosted,
        Self::OverflowsCreditsPosted,
        Self::OverflowsDebits,
        Self::OverflowsCredits,
        Self::OverflowsTimeout,
        Self::ExceedsCredits,
        Self::ExceedsDebits,
    ];
    /// Failures that depend on the ledger's state at the time of the event; the id is
    /// memoised so that a retry can never succeed later (returns `id_already_failed`).
    #[must_use]
    pub const fn is_transient(self) -> bool {
        matches!(
            self,
            Self::DebitAccountNotFound
                | Self::CreditAccountNotFound
                | Self::PendingTransferNotFound
                | Self::DebitAccountAlreadyClosed
                | Self::CreditAccountAlreadyClosed
                | Self::ExceedsCredits
                | Self::ExceedsDebits
        )
    }
}

impl std::fmt::Display for CreateTransferResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
