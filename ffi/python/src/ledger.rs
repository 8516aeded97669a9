//! The double-entry ledger for Python: `Ledger`, `Account`, `Transfer`, balances as plain
//! ints, result codes as enums, the acquirer chart of accounts and posting rules, and the
//! withdrawal (提现) state machine.
//!
//! Ids and amounts are Python `int` (unsigned 128-bit minor units; floats are refused).
//! Batch inputs (`create_accounts`, `create_transfers`, `post_event`, withdrawals) accept the
//! classes here, any object with the same attribute names (dataclasses, namedtuples) or dicts;
//! missing optional fields default to 0. Time is an argument (`now`, ns).

use crate::errors::{PaycoreError, Result};
use paycore::ledger as core;
use paycore::ledger::chart as core_chart;
use paycore::ledger::withdrawal as core_wd;
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    paycore,
    LedgerError,
    PaycoreError,
    "A ledger operation failed."
);
create_exception!(
    paycore,
    AccountNotFoundError,
    LedgerError,
    "No account with this id."
);
create_exception!(
    paycore,
    HistoryNotEnabledError,
    LedgerError,
    "History query on an account created without the history flag."
);
create_exception!(
    paycore,
    BeforeCreationError,
    LedgerError,
    "Balance asked for a time before the account existed."
);
create_exception!(
    paycore,
    JournalError,
    LedgerError,
    "Malformed journal; `line` is the 1-based line number, `byte_offset` where it starts."
);
create_exception!(
    paycore,
    SnapshotError,
    LedgerError,
    "Malformed or inconsistent ledger snapshot."
);
create_exception!(
    paycore,
    InvariantError,
    LedgerError,
    "A ledger invariant does not hold."
);
create_exception!(
    paycore,
    PostingError,
    LedgerError,
    "A business event cannot be turned into transfers."
);
create_exception!(
    paycore,
    WithdrawalError,
    LedgerError,
    "A withdrawal step was refused (the ledger is unchanged)."
);
create_exception!(
    paycore,
    WithdrawalLimitError,
    WithdrawalError,
    "Amount outside the policy limits, or the fee leaves nothing to pay."
);
create_exception!(
    paycore,
    InsufficientFundsError,
    WithdrawalError,
    "Not enough withdrawable balance."
);
create_exception!(
    paycore,
    IllegalTransitionError,
    WithdrawalError,
    "Transition not allowed from the withdrawal's current state."
);
create_exception!(
    paycore,
    LedgerRefusedError,
    WithdrawalError,
    "The ledger refused the withdrawal's postings."
);

impl From<core::QueryError> for crate::errors::Error {
    fn from(e: core::QueryError) -> Self {
        let m = e.to_string();
        crate::errors::Error(match e {
            core::QueryError::AccountNotFound(_) => AccountNotFoundError::new_err(m),
            core::QueryError::HistoryNotEnabled(_) => HistoryNotEnabledError::new_err(m),
            core::QueryError::BeforeCreation { .. } => BeforeCreationError::new_err(m),
            core::QueryError::BadLimit(_) => PyValueError::new_err(m),
        })
    }
}

impl From<core::JournalError> for crate::errors::Error {
    fn from(e: core::JournalError) -> Self {
        let (line, offset) = match &e {
            core::JournalError::Syntax {
                line, byte_offset, ..
            }
            | core::JournalError::LineTooLong {
                line, byte_offset, ..
            } => (*line, Some(*byte_offset)),
            core::JournalError::Sequence { line, .. } => (*line, None),
        };
        let err = JournalError::new_err(e.to_string());
        Python::attach(|py| {
            let v = err.value(py);
            let _ = v.setattr("line", line);
            let _ = v.setattr("byte_offset", offset);
        });
        crate::errors::Error(err)
    }
}

impl From<core::SnapshotError> for crate::errors::Error {
    fn from(e: core::SnapshotError) -> Self {
        crate::errors::Error(SnapshotError::new_err(e.to_string()))
    }
}

impl From<core::InvariantViolation> for crate::errors::Error {
    fn from(e: core::InvariantViolation) -> Self {
        crate::errors::Error(InvariantError::new_err(e.to_string()))
    }
}

impl From<core_chart::PostingError> for crate::errors::Error {
    fn from(e: core_chart::PostingError) -> Self {
        crate::errors::Error(PostingError::new_err(e.to_string()))
    }
}

impl From<core_wd::WithdrawalError> for crate::errors::Error {
    fn from(e: core_wd::WithdrawalError) -> Self {
        use core_wd::WithdrawalError as W;
        let m = e.to_string();
        crate::errors::Error(match e {
            W::OutOfRange { .. } | W::FeeNotCovered { .. } => WithdrawalLimitError::new_err(m),
            W::Insufficient { .. } => InsufficientFundsError::new_err(m),
            W::IllegalTransition { .. } => IllegalTransitionError::new_err(m),
            W::Ledger(_) => LedgerRefusedError::new_err(m),
            W::NoAccount => AccountNotFoundError::new_err(m),
            W::Overflow => WithdrawalError::new_err(m),
        })
    }
}

/// Reads field `name` of a dict, or attribute `name` of any other object; `default` when
/// absent (a required field has no default).
fn field<'py, T>(obj: &Bound<'py, PyAny>, name: &str, default: Option<T>) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py>,
{
    let value = if let Ok(d) = obj.cast::<PyDict>() {
        d.get_item(name)?
    } else if obj.hasattr(name)? {
        Some(obj.getattr(name)?)
    } else {
        None
    };
    match value {
        Some(v) => v.extract::<T>().map_err(|e| {
            let e: PyErr = e.into();
            PyTypeError::new_err(format!("field {name:?}: {e}"))
        }),
        None => default.ok_or_else(|| PyTypeError::new_err(format!("missing field {name:?}"))),
    }
}

/// A signed 128-bit-magnitude amount as a Python int.
fn signed_int(py: Python<'_>, s: core::SignedAmount) -> PyResult<Py<PyAny>> {
    let m = s.magnitude.into_pyobject(py)?.into_any();
    Ok(if s.negative {
        m.neg()?.unbind()
    } else {
        m.unbind()
    })
}

/// An account. `Account(id, ledger, code, flags=0, ...)` builds one for `create_accounts`
/// (counters and timestamp must stay 0 on input).
#[pyclass(frozen, eq, from_py_object, module = "paycore")]
#[derive(Clone, PartialEq)]
pub struct Account(core::Account);

#[pymethods]
impl Account {
    #[new]
    #[pyo3(signature = (id, ledger, code, flags = 0, user_data_128 = 0, user_data_64 = 0, user_data_32 = 0))]
    fn new(
        id: u128,
        ledger: u32,
        code: u16,
        flags: u16,
        user_data_128: u128,
        user_data_64: u64,
        user_data_32: u32,
    ) -> Self {
        Account(core::Account {
            id,
            ledger,
            code,
            flags: core::AccountFlags(flags),
            user_data_128,
            user_data_64,
            user_data_32,
            ..core::Account::default()
        })
    }

    /// Unique id.
    #[getter]
    fn id(&self) -> u128 {
        self.0.id
    }
    /// Pending debits.
    #[getter]
    fn debits_pending(&self) -> u128 {
        self.0.debits_pending
    }
    /// Posted debits.
    #[getter]
    fn debits_posted(&self) -> u128 {
        self.0.debits_posted
    }
    /// Pending credits.
    #[getter]
    fn credits_pending(&self) -> u128 {
        self.0.credits_pending
    }
    /// Posted credits.
    #[getter]
    fn credits_posted(&self) -> u128 {
        self.0.credits_posted
    }
    /// Opaque link to the host's records.
    #[getter]
    fn user_data_128(&self) -> u128 {
        self.0.user_data_128
    }
    /// Opaque link to the host's records.
    #[getter]
    fn user_data_64(&self) -> u64 {
        self.0.user_data_64
    }
    /// Opaque link to the host's records.
    #[getter]
    fn user_data_32(&self) -> u32 {
        self.0.user_data_32
    }
    /// Ledger (currency).
    #[getter]
    fn ledger(&self) -> u32 {
        self.0.ledger
    }
    /// Account type (chart code).
    #[getter]
    fn code(&self) -> u16 {
        self.0.code
    }
    /// Flag bits (linked 1, debits_must_not_exceed_credits 2, credits_must_not_exceed_debits
    /// 4, history 8, closed 32).
    #[getter]
    fn flags(&self) -> u16 {
        self.0.flags.0
    }
    /// Creation time (ns).
    #[getter]
    fn timestamp(&self) -> u64 {
        self.0.timestamp
    }

    /// Balances seen from `side`.
    fn balances(&self, side: NormalSide) -> Balances {
        Balances(self.0.balances(side.into()))
    }

    fn __repr__(&self) -> String {
        format!(
            "Account(id={}, ledger={}, code={}, flags={}, debits_posted={}, credits_posted={})",
            self.0.id,
            self.0.ledger,
            self.0.code,
            self.0.flags.0,
            self.0.debits_posted,
            self.0.credits_posted
        )
    }
}

fn account_from(obj: &Bound<'_, PyAny>) -> PyResult<core::Account> {
    if let Ok(a) = obj.extract::<Account>() {
        return Ok(a.0);
    }
    Ok(core::Account {
        id: field(obj, "id", None)?,
        debits_pending: field(obj, "debits_pending", Some(0))?,
        debits_posted: field(obj, "debits_posted", Some(0))?,
        credits_pending: field(obj, "credits_pending", Some(0))?,
        credits_posted: field(obj, "credits_posted", Some(0))?,
        user_data_128: field(obj, "user_data_128", Some(0))?,
        user_data_64: field(obj, "user_data_64", Some(0))?,
        user_data_32: field(obj, "user_data_32", Some(0))?,
        ledger: field(obj, "ledger", None)?,
        code: field(obj, "code", None)?,
        flags: core::AccountFlags(field(obj, "flags", Some(0))?),
        timestamp: field(obj, "timestamp", Some(0))?,
    })
}

/// A transfer. `Transfer(id, debit_account_id, credit_account_id, amount, ledger, code, ...)`
/// builds one for `create_transfers` (timestamp must stay 0 on input).
#[pyclass(frozen, eq, from_py_object, module = "paycore")]
#[derive(Clone, PartialEq)]
pub struct Transfer(core::Transfer);

#[pymethods]
impl Transfer {
    #[new]
    #[pyo3(signature = (id, debit_account_id, credit_account_id, amount, ledger, code, flags = 0, pending_id = 0, timeout = 0, user_data_128 = 0, user_data_64 = 0, user_data_32 = 0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: u128,
        debit_account_id: u128,
        credit_account_id: u128,
        amount: u128,
        ledger: u32,
        code: u16,
        flags: u16,
        pending_id: u128,
        timeout: u32,
        user_data_128: u128,
        user_data_64: u64,
        user_data_32: u32,
    ) -> Self {
        Transfer(core::Transfer {
            id,
            debit_account_id,
            credit_account_id,
            amount,
            pending_id,
            user_data_128,
            user_data_64,
            user_data_32,
            timeout,
            ledger,
            code,
            flags: core::TransferFlags(flags),
            timestamp: 0,
        })
    }

    /// Unique id.
    #[getter]
    fn id(&self) -> u128 {
        self.0.id
    }
    /// Account debited.
    #[getter]
    fn debit_account_id(&self) -> u128 {
        self.0.debit_account_id
    }
    /// Account credited.
    #[getter]
    fn credit_account_id(&self) -> u128 {
        self.0.credit_account_id
    }
    /// Amount (minor units).
    #[getter]
    fn amount(&self) -> u128 {
        self.0.amount
    }
    /// For post/void: the pending transfer.
    #[getter]
    fn pending_id(&self) -> u128 {
        self.0.pending_id
    }
    /// Opaque link to the host's records.
    #[getter]
    fn user_data_128(&self) -> u128 {
        self.0.user_data_128
    }
    /// Opaque link to the host's records.
    #[getter]
    fn user_data_64(&self) -> u64 {
        self.0.user_data_64
    }
    /// Opaque link to the host's records.
    #[getter]
    fn user_data_32(&self) -> u32 {
        self.0.user_data_32
    }
    /// Pending timeout (seconds).
    #[getter]
    fn timeout(&self) -> u32 {
        self.0.timeout
    }
    /// Ledger (currency).
    #[getter]
    fn ledger(&self) -> u32 {
        self.0.ledger
    }
    /// Why the money moved.
    #[getter]
    fn code(&self) -> u16 {
        self.0.code
    }
    /// Flag bits (linked 1, pending 2, post 4, void 8, balancing debit 16 / credit 32,
    /// closing debit 64 / credit 128).
    #[getter]
    fn flags(&self) -> u16 {
        self.0.flags.0
    }
    /// Time assigned by the ledger (ns).
    #[getter]
    fn timestamp(&self) -> u64 {
        self.0.timestamp
    }

    fn __repr__(&self) -> String {
        format!(
            "Transfer(id={}, debit_account_id={}, credit_account_id={}, amount={}, ledger={}, code={}, flags={})",
            self.0.id,
            self.0.debit_account_id,
            self.0.credit_account_id,
            self.0.amount,
            self.0.ledger,
            self.0.code,
            self.0.flags.0
        )
    }
}

fn transfer_from(obj: &Bound<'_, PyAny>) -> PyResult<core::Transfer> {
    if let Ok(t) = obj.extract::<Transfer>() {
        return Ok(t.0);
    }
    Ok(core::Transfer {
        id: field(obj, "id", None)?,
        debit_account_id: field(obj, "debit_account_id", Some(0))?,
        credit_account_id: field(obj, "credit_account_id", Some(0))?,
        amount: field(obj, "amount", Some(0))?,
        pending_id: field(obj, "pending_id", Some(0))?,
        user_data_128: field(obj, "user_data_128", Some(0))?,
        user_data_64: field(obj, "user_data_64", Some(0))?,
        user_data_32: field(obj, "user_data_32", Some(0))?,
        timeout: field(obj, "timeout", Some(0))?,
        ledger: field(obj, "ledger", Some(0))?,
        code: field(obj, "code", Some(0))?,
        flags: core::TransferFlags(field(obj, "flags", Some(0))?),
        timestamp: field(obj, "timestamp", Some(0))?,
    })
}

/// Which side increases a balance.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum NormalSide {
    /// Balance = debits − credits (assets).
    DEBIT,
    /// Balance = credits − debits (liabilities, revenue).
    CREDIT,
}

impl From<NormalSide> for core::NormalSide {
    fn from(s: NormalSide) -> Self {
        match s {
            NormalSide::DEBIT => core::NormalSide::Debit,
            NormalSide::CREDIT => core::NormalSide::Credit,
        }
    }
}

/// Posted, pending and available balances (signed ints, minor units).
#[pyclass(frozen, module = "paycore")]
pub struct Balances(core::Balances);

#[pymethods]
impl Balances {
    /// Posted balance.
    #[getter]
    fn posted(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        signed_int(py, self.0.posted)
    }
    /// Net pending movement.
    #[getter]
    fn pending(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        signed_int(py, self.0.pending)
    }
    /// Posted minus pending decreases.
    #[getter]
    fn available(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        signed_int(py, self.0.available)
    }

    fn __repr__(&self) -> String {
        let s =
            |a: core::SignedAmount| format!("{}{}", if a.negative { "-" } else { "" }, a.magnitude);
        format!(
            "Balances(posted={}, pending={}, available={})",
            s(self.0.posted),
            s(self.0.pending),
            s(self.0.available)
        )
    }
}

/// The four counters of an account at a point in time.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct Counters {
    /// Pending debits.
    debits_pending: u128,
    /// Posted debits.
    debits_posted: u128,
    /// Pending credits.
    credits_pending: u128,
    /// Posted credits.
    credits_posted: u128,
}

impl From<core::Counters> for Counters {
    fn from(c: core::Counters) -> Self {
        Counters {
            debits_pending: c.debits_pending,
            debits_posted: c.debits_posted,
            credits_pending: c.credits_pending,
            credits_posted: c.credits_posted,
        }
    }
}

#[pymethods]
impl Counters {
    fn __repr__(&self) -> String {
        format!(
            "Counters(debits_pending={}, debits_posted={}, credits_pending={}, credits_posted={})",
            self.debits_pending, self.debits_posted, self.credits_pending, self.credits_posted
        )
    }
}

/// One history row: `timestamp` and the counters right after it.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct AccountBalance {
    /// Timestamp of the transfer (or expiry).
    timestamp: u64,
    /// Counters after it.
    counters: Py<Counters>,
}

/// One page of `Ledger.transfers_by_account`.
#[pyclass(frozen, get_all, module = "paycore")]
pub struct TransferPage {
    /// Transfers in the requested order.
    transfers: Vec<Transfer>,
    /// Cursor for the next page, or None on the last page.
    next_cursor: Option<u64>,
}

/// Result of one `create_accounts` event (precedence order; `str()` is the snake_case name).
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum CreateAccountResult {
    /// `created`.
    CREATED,
    /// `linked_event_failed`.
    LINKED_EVENT_FAILED,
    /// `linked_event_chain_open`.
    LINKED_EVENT_CHAIN_OPEN,
    /// `timestamp_must_be_zero`.
    TIMESTAMP_MUST_BE_ZERO,
    /// `reserved_flag`.
    RESERVED_FLAG,
    /// `id_must_not_be_zero`.
    ID_MUST_NOT_BE_ZERO,
    /// `id_must_not_be_int_max`.
    ID_MUST_NOT_BE_INT_MAX,
    /// `exists_with_different_flags`.
    EXISTS_WITH_DIFFERENT_FLAGS,
    /// `exists_with_different_user_data_128`.
    EXISTS_WITH_DIFFERENT_USER_DATA_128,
    /// `exists_with_different_user_data_64`.
    EXISTS_WITH_DIFFERENT_USER_DATA_64,
    /// `exists_with_different_user_data_32`.
    EXISTS_WITH_DIFFERENT_USER_DATA_32,
    /// `exists_with_different_ledger`.
    EXISTS_WITH_DIFFERENT_LEDGER,
    /// `exists_with_different_code`.
    EXISTS_WITH_DIFFERENT_CODE,
    /// `exists`.
    EXISTS,
    /// `flags_are_mutually_exclusive`.
    FLAGS_ARE_MUTUALLY_EXCLUSIVE,
    /// `debits_pending_must_be_zero`.
    DEBITS_PENDING_MUST_BE_ZERO,
    /// `debits_posted_must_be_zero`.
    DEBITS_POSTED_MUST_BE_ZERO,
    /// `credits_pending_must_be_zero`.
    CREDITS_PENDING_MUST_BE_ZERO,
    /// `credits_posted_must_be_zero`.
    CREDITS_POSTED_MUST_BE_ZERO,
    /// `ledger_must_not_be_zero`.
    LEDGER_MUST_NOT_BE_ZERO,
    /// `code_must_not_be_zero`.
    CODE_MUST_NOT_BE_ZERO,
}

impl From<core::CreateAccountResult> for CreateAccountResult {
    fn from(r: core::CreateAccountResult) -> Self {
        match r {
            core::CreateAccountResult::Created => Self::CREATED,
            core::CreateAccountResult::LinkedEventFailed => Self::LINKED_EVENT_FAILED,
            core::CreateAccountResult::LinkedEventChainOpen => Self::LINKED_EVENT_CHAIN_OPEN,
            core::CreateAccountResult::TimestampMustBeZero => Self::TIMESTAMP_MUST_BE_ZERO,
            core::CreateAccountResult::ReservedFlag => Self::RESERVED_FLAG,
            core::CreateAccountResult::IdMustNotBeZero => Self::ID_MUST_NOT_BE_ZERO,
            core::CreateAccountResult::IdMustNotBeIntMax => Self::ID_MUST_NOT_BE_INT_MAX,
            core::CreateAccountResult::ExistsWithDifferentFlags => {
                Self::EXISTS_WITH_DIFFERENT_FLAGS
            }
            core::CreateAccountResult::ExistsWithDifferentUserData128 => {
                Self::EXISTS_WITH_DIFFERENT_USER_DATA_128
            }
            core::CreateAccountResult::ExistsWithDifferentUserData64 => {
                Self::EXISTS_WITH_DIFFERENT_USER_DATA_64
            }
            core::CreateAccountResult::ExistsWithDifferentUserData32 => {
                Self::EXISTS_WITH_DIFFERENT_USER_DATA_32
            }
            core::CreateAccountResult::ExistsWithDifferentLedger => {
                Self::EXISTS_WITH_DIFFERENT_LEDGER
            }
            core::CreateAccountResult::ExistsWithDifferentCode => Self::EXISTS_WITH_DIFFERENT_CODE,
            core::CreateAccountResult::Exists => Self::EXISTS,
            core::CreateAccountResult::FlagsAreMutuallyExclusive => {
                Self::FLAGS_ARE_MUTUALLY_EXCLUSIVE
            }
            core::CreateAccountResult::DebitsPendingMustBeZero => Self::DEBITS_PENDING_MUST_BE_ZERO,
            core::CreateAccountResult::DebitsPostedMustBeZero => Self::DEBITS_POSTED_MUST_BE_ZERO,
            core::CreateAccountResult::CreditsPendingMustBeZero => {
                Self::CREDITS_PENDING_MUST_BE_ZERO
            }
            core::CreateAccountResult::CreditsPostedMustBeZero => Self::CREDITS_POSTED_MUST_BE_ZERO,
            core::CreateAccountResult::LedgerMustNotBeZero => Self::LEDGER_MUST_NOT_BE_ZERO,
            core::CreateAccountResult::CodeMustNotBeZero => Self::CODE_MUST_NOT_BE_ZERO,
        }
    }
}

impl From<CreateAccountResult> for core::CreateAccountResult {
    fn from(r: CreateAccountResult) -> Self {
        match r {
            CreateAccountResult::CREATED => core::CreateAccountResult::Created,
            CreateAccountResult::LINKED_EVENT_FAILED => {
                core::CreateAccountResult::LinkedEventFailed
            }
            CreateAccountResult::LINKED_EVENT_CHAIN_OPEN => {
                core::CreateAccountResult::LinkedEventChainOpen
            }
            CreateAccountResult::TIMESTAMP_MUST_BE_ZERO => {
                core::CreateAccountResult::TimestampMustBeZero
            }
            CreateAccountResult::RESERVED_FLAG => core::CreateAccountResult::ReservedFlag,
            CreateAccountResult::ID_MUST_NOT_BE_ZERO => core::CreateAccountResult::IdMustNotBeZero,
            CreateAccountResult::ID_MUST_NOT_BE_INT_MAX => {
                core::CreateAccountResult::IdMustNotBeIntMax
            }
            CreateAccountResult::EXISTS_WITH_DIFFERENT_FLAGS => {
                core::CreateAccountResult::ExistsWithDifferentFlags
            }
            CreateAccountResult::EXISTS_WITH_DIFFERENT_USER_DATA_128 => {
                core::CreateAccountResult::ExistsWithDifferentUserData128
            }
            CreateAccountResult::EXISTS_WITH_DIFFERENT_USER_DATA_64 => {
                core::CreateAccountResult::ExistsWithDifferentUserData64
            }
            CreateAccountResult::EXISTS_WITH_DIFFERENT_USER_DATA_32 => {
                core::CreateAccountResult::ExistsWithDifferentUserData32
            }
            CreateAccountResult::EXISTS_WITH_DIFFERENT_LEDGER => {
                core::CreateAccountResult::ExistsWithDifferentLedger
            }
            CreateAccountResult::EXISTS_WITH_DIFFERENT_CODE => {
                core::CreateAccountResult::ExistsWithDifferentCode
            }
            CreateAccountResult::EXISTS => core::CreateAccountResult::Exists,
            CreateAccountResult::FLAGS_ARE_MUTUALLY_EXCLUSIVE => {
                core::CreateAccountResult::FlagsAreMutuallyExclusive
            }
            CreateAccountResult::DEBITS_PENDING_MUST_BE_ZERO => {
                core::CreateAccountResult::DebitsPendingMustBeZero
            }
            CreateAccountResult::DEBITS_POSTED_MUST_BE_ZERO => {
                core::CreateAccountResult::DebitsPostedMustBeZero
            }
            CreateAccountResult::CREDITS_PENDING_MUST_BE_ZERO => {
                core::CreateAccountResult::CreditsPendingMustBeZero
            }
            CreateAccountResult::CREDITS_POSTED_MUST_BE_ZERO => {
                core::CreateAccountResult::CreditsPostedMustBeZero
            }
            CreateAccountResult::LEDGER_MUST_NOT_BE_ZERO => {
                core::CreateAccountResult::LedgerMustNotBeZero
            }
            CreateAccountResult::CODE_MUST_NOT_BE_ZERO => {
                core::CreateAccountResult::CodeMustNotBeZero
            }
        }
    }
}

#[pymethods]
impl CreateAccountResult {
    fn __str__(&self) -> &'static str {
        core::CreateAccountResult::from(*self).name()
    }
}

/// Result of one `create_transfers` event (precedence order; `str()` is the snake_case name).
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum CreateTransferResult {
    /// `created`.
    CREATED,
    /// `linked_event_failed`.
    LINKED_EVENT_FAILED,
    /// `linked_event_chain_open`.
    LINKED_EVENT_CHAIN_OPEN,
    /// `timestamp_must_be_zero`.
    TIMESTAMP_MUST_BE_ZERO,
    /// `reserved_flag`.
    RESERVED_FLAG,
    /// `id_must_not_be_zero`.
    ID_MUST_NOT_BE_ZERO,
    /// `id_must_not_be_int_max`.
    ID_MUST_NOT_BE_INT_MAX,
    /// `exists_with_different_flags`.
    EXISTS_WITH_DIFFERENT_FLAGS,
    /// `exists_with_different_pending_id`.
    EXISTS_WITH_DIFFERENT_PENDING_ID,
    /// `exists_with_different_timeout`.
    EXISTS_WITH_DIFFERENT_TIMEOUT,
    /// `exists_with_different_debit_account_id`.
    EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID,
    /// `exists_with_different_credit_account_id`.
    EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID,
    /// `exists_with_different_amount`.
    EXISTS_WITH_DIFFERENT_AMOUNT,
    /// `exists_with_different_user_data_128`.
    EXISTS_WITH_DIFFERENT_USER_DATA_128,
    /// `exists_with_different_user_data_64`.
    EXISTS_WITH_DIFFERENT_USER_DATA_64,
    /// `exists_with_different_user_data_32`.
    EXISTS_WITH_DIFFERENT_USER_DATA_32,
    /// `exists_with_different_ledger`.
    EXISTS_WITH_DIFFERENT_LEDGER,
    /// `exists_with_different_code`.
    EXISTS_WITH_DIFFERENT_CODE,
    /// `exists`.
    EXISTS,
    /// `id_already_failed`.
    ID_ALREADY_FAILED,
    /// `flags_are_mutually_exclusive`.
    FLAGS_ARE_MUTUALLY_EXCLUSIVE,
    /// `debit_account_id_must_not_be_zero`.
    DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO,
    /// `debit_account_id_must_not_be_int_max`.
    DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX,
    /// `credit_account_id_must_not_be_zero`.
    CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO,
    /// `credit_account_id_must_not_be_int_max`.
    CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX,
    /// `accounts_must_be_different`.
    ACCOUNTS_MUST_BE_DIFFERENT,
    /// `pending_id_must_be_zero`.
    PENDING_ID_MUST_BE_ZERO,
    /// `pending_id_must_not_be_zero`.
    PENDING_ID_MUST_NOT_BE_ZERO,
    /// `pending_id_must_not_be_int_max`.
    PENDING_ID_MUST_NOT_BE_INT_MAX,
    /// `pending_id_must_be_different`.
    PENDING_ID_MUST_BE_DIFFERENT,
    /// `timeout_reserved_for_pending_transfer`.
    TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
    /// `closing_transfer_must_be_pending`.
    CLOSING_TRANSFER_MUST_BE_PENDING,
    /// `amount_must_not_be_zero`.
    AMOUNT_MUST_NOT_BE_ZERO,
    /// `ledger_must_not_be_zero`.
    LEDGER_MUST_NOT_BE_ZERO,
    /// `code_must_not_be_zero`.
    CODE_MUST_NOT_BE_ZERO,
    /// `debit_account_not_found`.
    DEBIT_ACCOUNT_NOT_FOUND,
    /// `credit_account_not_found`.
    CREDIT_ACCOUNT_NOT_FOUND,
    /// `accounts_must_have_the_same_ledger`.
    ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER,
    /// `transfer_must_have_the_same_ledger_as_accounts`.
    TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS,
    /// `pending_transfer_not_found`.
    PENDING_TRANSFER_NOT_FOUND,
    /// `pending_transfer_not_pending`.
    PENDING_TRANSFER_NOT_PENDING,
    /// `pending_transfer_has_different_debit_account_id`.
    PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID,
    /// `pending_transfer_has_different_credit_account_id`.
    PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID,
    /// `pending_transfer_has_different_ledger`.
    PENDING_TRANSFER_HAS_DIFFERENT_LEDGER,
    /// `pending_transfer_has_different_code`.
    PENDING_TRANSFER_HAS_DIFFERENT_CODE,
    /// `exceeds_pending_transfer_amount`.
    EXCEEDS_PENDING_TRANSFER_AMOUNT,
    /// `pending_transfer_has_different_amount`.
    PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT,
    /// `pending_transfer_already_posted`.
    PENDING_TRANSFER_ALREADY_POSTED,
    /// `pending_transfer_already_voided`.
    PENDING_TRANSFER_ALREADY_VOIDED,
    /// `pending_transfer_expired`.
    PENDING_TRANSFER_EXPIRED,
    /// `debit_account_already_closed`.
    DEBIT_ACCOUNT_ALREADY_CLOSED,
    /// `credit_account_already_closed`.
    CREDIT_ACCOUNT_ALREADY_CLOSED,
    /// `overflows_debits_pending`.
    OVERFLOWS_DEBITS_PENDING,
    /// `overflows_credits_pending`.
    OVERFLOWS_CREDITS_PENDING,
    /// `overflows_debits_posted`.
    OVERFLOWS_DEBITS_POSTED,
    /// `overflows_credits_posted`.
    OVERFLOWS_CREDITS_POSTED,
    /// `overflows_debits`.
    OVERFLOWS_DEBITS,
    /// `overflows_credits`.
    OVERFLOWS_CREDITS,
    /// `overflows_timeout`.
    OVERFLOWS_TIMEOUT,
    /// `exceeds_credits`.
    EXCEEDS_CREDITS,
    /// `exceeds_debits`.
    EXCEEDS_DEBITS,
}

impl From<core::CreateTransferResult> for CreateTransferResult {
    fn from(r: core::CreateTransferResult) -> Self {
        match r {
            core::CreateTransferResult::Created => Self::CREATED,
            core::CreateTransferResult::LinkedEventFailed => Self::LINKED_EVENT_FAILED,
            core::CreateTransferResult::LinkedEventChainOpen => Self::LINKED_EVENT_CHAIN_OPEN,
            core::CreateTransferResult::TimestampMustBeZero => Self::TIMESTAMP_MUST_BE_ZERO,
            core::CreateTransferResult::ReservedFlag => Self::RESERVED_FLAG,
            core::CreateTransferResult::IdMustNotBeZero => Self::ID_MUST_NOT_BE_ZERO,
            core::CreateTransferResult::IdMustNotBeIntMax => Self::ID_MUST_NOT_BE_INT_MAX,
            core::CreateTransferResult::ExistsWithDifferentFlags => {
                Self::EXISTS_WITH_DIFFERENT_FLAGS
            }
            core::CreateTransferResult::ExistsWithDifferentPendingId => {
                Self::EXISTS_WITH_DIFFERENT_PENDING_ID
            }
            core::CreateTransferResult::ExistsWithDifferentTimeout => {
                Self::EXISTS_WITH_DIFFERENT_TIMEOUT
            }
            core::CreateTransferResult::ExistsWithDifferentDebitAccountId => {
                Self::EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID
            }
            core::CreateTransferResult::ExistsWithDifferentCreditAccountId => {
                Self::EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID
            }
            core::CreateTransferResult::ExistsWithDifferentAmount => {
                Self::EXISTS_WITH_DIFFERENT_AMOUNT
            }
            core::CreateTransferResult::ExistsWithDifferentUserData128 => {
                Self::EXISTS_WITH_DIFFERENT_USER_DATA_128
            }
            core::CreateTransferResult::ExistsWithDifferentUserData64 => {
                Self::EXISTS_WITH_DIFFERENT_USER_DATA_64
            }
            core::CreateTransferResult::ExistsWithDifferentUserData32 => {
                Self::EXISTS_WITH_DIFFERENT_USER_DATA_32
            }
            core::CreateTransferResult::ExistsWithDifferentLedger => {
                Self::EXISTS_WITH_DIFFERENT_LEDGER
            }
            core::CreateTransferResult::ExistsWithDifferentCode => Self::EXISTS_WITH_DIFFERENT_CODE,
            core::CreateTransferResult::Exists => Self::EXISTS,
            core::CreateTransferResult::IdAlreadyFailed => Self::ID_ALREADY_FAILED,
            core::CreateTransferResult::FlagsAreMutuallyExclusive => {
                Self::FLAGS_ARE_MUTUALLY_EXCLUSIVE
            }
            core::CreateTransferResult::DebitAccountIdMustNotBeZero => {
                Self::DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO
            }
            core::CreateTransferResult::DebitAccountIdMustNotBeIntMax => {
                Self::DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX
            }
            core::CreateTransferResult::CreditAccountIdMustNotBeZero => {
                Self::CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO
            }
            core::CreateTransferResult::CreditAccountIdMustNotBeIntMax => {
                Self::CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX
            }
            core::CreateTransferResult::AccountsMustBeDifferent => Self::ACCOUNTS_MUST_BE_DIFFERENT,
            core::CreateTransferResult::PendingIdMustBeZero => Self::PENDING_ID_MUST_BE_ZERO,
            core::CreateTransferResult::PendingIdMustNotBeZero => Self::PENDING_ID_MUST_NOT_BE_ZERO,
            core::CreateTransferResult::PendingIdMustNotBeIntMax => {
                Self::PENDING_ID_MUST_NOT_BE_INT_MAX
            }
            core::CreateTransferResult::PendingIdMustBeDifferent => {
                Self::PENDING_ID_MUST_BE_DIFFERENT
            }
            core::CreateTransferResult::TimeoutReservedForPendingTransfer => {
                Self::TIMEOUT_RESERVED_FOR_PENDING_TRANSFER
            }
            core::CreateTransferResult::ClosingTransferMustBePending => {
                Self::CLOSING_TRANSFER_MUST_BE_PENDING
            }
            core::CreateTransferResult::AmountMustNotBeZero => Self::AMOUNT_MUST_NOT_BE_ZERO,
            core::CreateTransferResult::LedgerMustNotBeZero => Self::LEDGER_MUST_NOT_BE_ZERO,
            core::CreateTransferResult::CodeMustNotBeZero => Self::CODE_MUST_NOT_BE_ZERO,
            core::CreateTransferResult::DebitAccountNotFound => Self::DEBIT_ACCOUNT_NOT_FOUND,
            core::CreateTransferResult::CreditAccountNotFound => Self::CREDIT_ACCOUNT_NOT_FOUND,
            core::CreateTransferResult::AccountsMustHaveTheSameLedger => {
                Self::ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER
            }
            core::CreateTransferResult::TransferMustHaveTheSameLedgerAsAccounts => {
                Self::TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS
            }
            core::CreateTransferResult::PendingTransferNotFound => Self::PENDING_TRANSFER_NOT_FOUND,
            core::CreateTransferResult::PendingTransferNotPending => {
                Self::PENDING_TRANSFER_NOT_PENDING
            }
            core::CreateTransferResult::PendingTransferHasDifferentDebitAccountId => {
                Self::PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID
            }
            core::CreateTransferResult::PendingTransferHasDifferentCreditAccountId => {
                Self::PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID
            }
            core::CreateTransferResult::PendingTransferHasDifferentLedger => {
                Self::PENDING_TRANSFER_HAS_DIFFERENT_LEDGER
            }
            core::CreateTransferResult::PendingTransferHasDifferentCode => {
                Self::PENDING_TRANSFER_HAS_DIFFERENT_CODE
            }
            core::CreateTransferResult::ExceedsPendingTransferAmount => {
                Self::EXCEEDS_PENDING_TRANSFER_AMOUNT
            }
            core::CreateTransferResult::PendingTransferHasDifferentAmount => {
                Self::PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT
            }
            core::CreateTransferResult::PendingTransferAlreadyPosted => {
                Self::PENDING_TRANSFER_ALREADY_POSTED
            }
            core::CreateTransferResult::PendingTransferAlreadyVoided => {
                Self::PENDING_TRANSFER_ALREADY_VOIDED
            }
            core::CreateTransferResult::PendingTransferExpired => Self::PENDING_TRANSFER_EXPIRED,
            core::CreateTransferResult::DebitAccountAlreadyClosed => {
                Self::DEBIT_ACCOUNT_ALREADY_CLOSED
            }
            core::CreateTransferResult::CreditAccountAlreadyClosed => {
                Self::CREDIT_ACCOUNT_ALREADY_CLOSED
            }
            core::CreateTransferResult::OverflowsDebitsPending => Self::OVERFLOWS_DEBITS_PENDING,
            core::CreateTransferResult::OverflowsCreditsPending => Self::OVERFLOWS_CREDITS_PENDING,
            core::CreateTransferResult::OverflowsDebitsPosted => Self::OVERFLOWS_DEBITS_POSTED,
            core::CreateTransferResult::OverflowsCreditsPosted => Self::OVERFLOWS_CREDITS_POSTED,
            core::CreateTransferResult::OverflowsDebits => Self::OVERFLOWS_DEBITS,
            core::CreateTransferResult::OverflowsCredits => Self::OVERFLOWS_CREDITS,
            core::CreateTransferResult::OverflowsTimeout => Self::OVERFLOWS_TIMEOUT,
            core::CreateTransferResult::ExceedsCredits => Self::EXCEEDS_CREDITS,
            core::CreateTransferResult::ExceedsDebits => Self::EXCEEDS_DEBITS,
        }
    }
}

impl From<CreateTransferResult> for core::CreateTransferResult {
    fn from(r: CreateTransferResult) -> Self {
        match r {
            CreateTransferResult::CREATED => core::CreateTransferResult::Created,
            CreateTransferResult::LINKED_EVENT_FAILED => {
                core::CreateTransferResult::LinkedEventFailed
            }
            CreateTransferResult::LINKED_EVENT_CHAIN_OPEN => {
                core::CreateTransferResult::LinkedEventChainOpen
            }
            CreateTransferResult::TIMESTAMP_MUST_BE_ZERO => {
                core::CreateTransferResult::TimestampMustBeZero
            }
            CreateTransferResult::RESERVED_FLAG => core::CreateTransferResult::ReservedFlag,
            CreateTransferResult::ID_MUST_NOT_BE_ZERO => {
                core::CreateTransferResult::IdMustNotBeZero
            }
            CreateTransferResult::ID_MUST_NOT_BE_INT_MAX => {
                core::CreateTransferResult::IdMustNotBeIntMax
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_FLAGS => {
                core::CreateTransferResult::ExistsWithDifferentFlags
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_PENDING_ID => {
                core::CreateTransferResult::ExistsWithDifferentPendingId
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_TIMEOUT => {
                core::CreateTransferResult::ExistsWithDifferentTimeout
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID => {
                core::CreateTransferResult::ExistsWithDifferentDebitAccountId
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID => {
                core::CreateTransferResult::ExistsWithDifferentCreditAccountId
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_AMOUNT => {
                core::CreateTransferResult::ExistsWithDifferentAmount
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_USER_DATA_128 => {
                core::CreateTransferResult::ExistsWithDifferentUserData128
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_USER_DATA_64 => {
                core::CreateTransferResult::ExistsWithDifferentUserData64
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_USER_DATA_32 => {
                core::CreateTransferResult::ExistsWithDifferentUserData32
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_LEDGER => {
                core::CreateTransferResult::ExistsWithDifferentLedger
            }
            CreateTransferResult::EXISTS_WITH_DIFFERENT_CODE => {
                core::CreateTransferResult::ExistsWithDifferentCode
            }
            CreateTransferResult::EXISTS => core::CreateTransferResult::Exists,
            CreateTransferResult::ID_ALREADY_FAILED => core::CreateTransferResult::IdAlreadyFailed,
            CreateTransferResult::FLAGS_ARE_MUTUALLY_EXCLUSIVE => {
                core::CreateTransferResult::FlagsAreMutuallyExclusive
            }
            CreateTransferResult::DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO => {
                core::CreateTransferResult::DebitAccountIdMustNotBeZero
            }
            CreateTransferResult::DEBIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX => {
                core::CreateTransferResult::DebitAccountIdMustNotBeIntMax
            }
            CreateTransferResult::CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO => {
                core::CreateTransferResult::CreditAccountIdMustNotBeZero
            }
            CreateTransferResult::CREDIT_ACCOUNT_ID_MUST_NOT_BE_INT_MAX => {
                core::CreateTransferResult::CreditAccountIdMustNotBeIntMax
            }
            CreateTransferResult::ACCOUNTS_MUST_BE_DIFFERENT => {
                core::CreateTransferResult::AccountsMustBeDifferent
            }
            CreateTransferResult::PENDING_ID_MUST_BE_ZERO => {
                core::CreateTransferResult::PendingIdMustBeZero
            }
            CreateTransferResult::PENDING_ID_MUST_NOT_BE_ZERO => {
                core::CreateTransferResult::PendingIdMustNotBeZero
            }
            CreateTransferResult::PENDING_ID_MUST_NOT_BE_INT_MAX => {
                core::CreateTransferResult::PendingIdMustNotBeIntMax
            }
            CreateTransferResult::PENDING_ID_MUST_BE_DIFFERENT => {
                core::CreateTransferResult::PendingIdMustBeDifferent
            }
            CreateTransferResult::TIMEOUT_RESERVED_FOR_PENDING_TRANSFER => {
                core::CreateTransferResult::TimeoutReservedForPendingTransfer
            }
            CreateTransferResult::CLOSING_TRANSFER_MUST_BE_PENDING => {
                core::CreateTransferResult::ClosingTransferMustBePending
            }
            CreateTransferResult::AMOUNT_MUST_NOT_BE_ZERO => {
                core::CreateTransferResult::AmountMustNotBeZero
            }
            CreateTransferResult::LEDGER_MUST_NOT_BE_ZERO => {
                core::CreateTransferResult::LedgerMustNotBeZero
            }
            CreateTransferResult::CODE_MUST_NOT_BE_ZERO => {
                core::CreateTransferResult::CodeMustNotBeZero
            }
            CreateTransferResult::DEBIT_ACCOUNT_NOT_FOUND => {
                core::CreateTransferResult::DebitAccountNotFound
            }
            CreateTransferResult::CREDIT_ACCOUNT_NOT_FOUND => {
                core::CreateTransferResult::CreditAccountNotFound
            }
            CreateTransferResult::ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER => {
                core::CreateTransferResult::AccountsMustHaveTheSameLedger
            }
            CreateTransferResult::TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS => {
                core::CreateTransferResult::TransferMustHaveTheSameLedgerAsAccounts
            }
            CreateTransferResult::PENDING_TRANSFER_NOT_FOUND => {
                core::CreateTransferResult::PendingTransferNotFound
            }
            CreateTransferResult::PENDING_TRANSFER_NOT_PENDING => {
                core::CreateTransferResult::PendingTransferNotPending
            }
            CreateTransferResult::PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID => {
                core::CreateTransferResult::PendingTransferHasDifferentDebitAccountId
            }
            CreateTransferResult::PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID => {
                core::CreateTransferResult::PendingTransferHasDifferentCreditAccountId
            }
            CreateTransferResult::PENDING_TRANSFER_HAS_DIFFERENT_LEDGER => {
                core::CreateTransferResult::PendingTransferHasDifferentLedger
            }
            CreateTransferResult::PENDING_TRANSFER_HAS_DIFFERENT_CODE => {
                core::CreateTransferResult::PendingTransferHasDifferentCode
            }
            CreateTransferResult::EXCEEDS_PENDING_TRANSFER_AMOUNT => {
                core::CreateTransferResult::ExceedsPendingTransferAmount
            }
            CreateTransferResult::PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT => {
                core::CreateTransferResult::PendingTransferHasDifferentAmount
            }
            CreateTransferResult::PENDING_TRANSFER_ALREADY_POSTED => {
                core::CreateTransferResult::PendingTransferAlreadyPosted
            }
            CreateTransferResult::PENDING_TRANSFER_ALREADY_VOIDED => {
                core::CreateTransferResult::PendingTransferAlreadyVoided
            }
            CreateTransferResult::PENDING_TRANSFER_EXPIRED => {
                core::CreateTransferResult::PendingTransferExpired
            }
            CreateTransferResult::DEBIT_ACCOUNT_ALREADY_CLOSED => {
                core::CreateTransferResult::DebitAccountAlreadyClosed
            }
            CreateTransferResult::CREDIT_ACCOUNT_ALREADY_CLOSED => {
                core::CreateTransferResult::CreditAccountAlreadyClosed
            }
            CreateTransferResult::OVERFLOWS_DEBITS_PENDING => {
                core::CreateTransferResult::OverflowsDebitsPending
            }
            CreateTransferResult::OVERFLOWS_CREDITS_PENDING => {
                core::CreateTransferResult::OverflowsCreditsPending
            }
            CreateTransferResult::OVERFLOWS_DEBITS_POSTED => {
                core::CreateTransferResult::OverflowsDebitsPosted
            }
            CreateTransferResult::OVERFLOWS_CREDITS_POSTED => {
                core::CreateTransferResult::OverflowsCreditsPosted
            }
            CreateTransferResult::OVERFLOWS_DEBITS => core::CreateTransferResult::OverflowsDebits,
            CreateTransferResult::OVERFLOWS_CREDITS => core::CreateTransferResult::OverflowsCredits,
            CreateTransferResult::OVERFLOWS_TIMEOUT => core::CreateTransferResult::OverflowsTimeout,
            CreateTransferResult::EXCEEDS_CREDITS => core::CreateTransferResult::ExceedsCredits,
            CreateTransferResult::EXCEEDS_DEBITS => core::CreateTransferResult::ExceedsDebits,
        }
    }
}

#[pymethods]
impl CreateTransferResult {
    fn __str__(&self) -> &'static str {
        core::CreateTransferResult::from(*self).name()
    }
}

/// Chart of accounts kinds; `int()` is the account `code`.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    /// Asset: settlement bank account.
    SETTLEMENT_BANK = 1,
    /// Asset, clearing: owed by the card network.
    NETWORK_RECEIVABLE = 2,
    /// Asset, clearing: D0 advances.
    D0_ADVANCE_RECEIVABLE = 3,
    /// Merchant, clearing: captured, not cleared (清分).
    MERCHANT_UNCLEARED = 10,
    /// Merchant, clearing: cleared, awaiting settlement (清算).
    MERCHANT_CLEARED = 11,
    /// Merchant: withdrawable (结算).
    MERCHANT_WITHDRAWABLE = 12,
    /// Merchant: reserve withheld.
    MERCHANT_RESERVE = 13,
    /// Revenue: fees net of cost and commission.
    FEE_REVENUE = 20,
    /// Liability, clearing: scheme cost payable.
    SCHEME_COST_PAYABLE = 30,
    /// Agent: commission payable (分润).
    AGENT_COMMISSION_PAYABLE = 40,
    /// Liability: suspense.
    SUSPENSE = 90,
}

impl From<AccountKind> for core_chart::AccountKind {
    fn from(k: AccountKind) -> Self {
        use core_chart::AccountKind as K;
        match k {
            AccountKind::SETTLEMENT_BANK => K::SettlementBank,
            AccountKind::NETWORK_RECEIVABLE => K::NetworkReceivable,
            AccountKind::D0_ADVANCE_RECEIVABLE => K::D0AdvanceReceivable,
            AccountKind::MERCHANT_UNCLEARED => K::MerchantUncleared,
            AccountKind::MERCHANT_CLEARED => K::MerchantCleared,
            AccountKind::MERCHANT_WITHDRAWABLE => K::MerchantWithdrawable,
            AccountKind::MERCHANT_RESERVE => K::MerchantReserve,
            AccountKind::FEE_REVENUE => K::FeeRevenue,
            AccountKind::SCHEME_COST_PAYABLE => K::SchemeCostPayable,
            AccountKind::AGENT_COMMISSION_PAYABLE => K::AgentCommissionPayable,
            AccountKind::SUSPENSE => K::Suspense,
        }
    }
}

#[pymethods]
impl AccountKind {
    /// The side on which this kind's balance grows.
    #[getter]
    fn normal_side(&self) -> NormalSide {
        match core_chart::AccountKind::from(*self).normal_side() {
            core::NormalSide::Debit => NormalSide::DEBIT,
            core::NormalSide::Credit => NormalSide::CREDIT,
        }
    }
}

/// Owner scope of chart accounts.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The acquirer (owner id 0).
    PLATFORM,
    /// One set per merchant.
    MERCHANT,
    /// One set per agent.
    AGENT,
}

/// Business events of the posting rules; `int()` is the transfer `code`.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Captured card sale.
    SALE = 1,
    /// Same-day void (撤销).
    VOID = 2,
    /// Technical reversal (冲正).
    REVERSAL = 3,
    /// Refund (退货).
    REFUND = 4,
    /// Standalone merchant fee.
    FEE = 5,
    /// Standalone agent commission.
    AGENT_COMMISSION = 6,
    /// Cut-off: uncleared → cleared.
    CLEARING = 7,
    /// Settlement run: cleared → withdrawable.
    SETTLEMENT_RUN = 8,
    /// D0 advance.
    D0_ADVANCE = 9,
    /// Reserve release.
    RESERVE_RELEASE = 10,
    /// The network pays us.
    NETWORK_SETTLEMENT = 11,
    /// Payout of withdrawable funds.
    PAYOUT = 12,
    /// Payout of agent commission.
    AGENT_PAYOUT = 13,
    /// Unidentified funds into suspense.
    SUSPENSE_IN = 14,
    /// Suspense identified as a merchant's.
    SUSPENSE_TO_MERCHANT = 15,
    /// Withdrawal hold (used by `Withdrawal`).
    WITHDRAWAL_HOLD = 20,
    /// Withdrawal paid.
    WITHDRAWAL_POST = 21,
    /// Withdrawal rejected or failed.
    WITHDRAWAL_VOID = 22,
    /// Withdrawal returned by the bank (退票).
    WITHDRAWAL_RETURN = 23,
}

impl From<EventKind> for core_chart::EventKind {
    fn from(k: EventKind) -> Self {
        use core_chart::EventKind as E;
        match k {
            EventKind::SALE => E::Sale,
            EventKind::VOID => E::Void,
            EventKind::REVERSAL => E::Reversal,
            EventKind::REFUND => E::Refund,
            EventKind::FEE => E::Fee,
            EventKind::AGENT_COMMISSION => E::AgentCommission,
            EventKind::CLEARING => E::Clearing,
            EventKind::SETTLEMENT_RUN => E::SettlementRun,
            EventKind::D0_ADVANCE => E::D0Advance,
            EventKind::RESERVE_RELEASE => E::ReserveRelease,
            EventKind::NETWORK_SETTLEMENT => E::NetworkSettlement,
            EventKind::PAYOUT => E::Payout,
            EventKind::AGENT_PAYOUT => E::AgentPayout,
            EventKind::SUSPENSE_IN => E::SuspenseIn,
            EventKind::SUSPENSE_TO_MERCHANT => E::SuspenseToMerchant,
            EventKind::WITHDRAWAL_HOLD => E::WithdrawalHold,
            EventKind::WITHDRAWAL_POST => E::WithdrawalPost,
            EventKind::WITHDRAWAL_VOID => E::WithdrawalVoid,
            EventKind::WITHDRAWAL_RETURN => E::WithdrawalReturn,
        }
    }
}

/// A business event for the acquirer posting rules (amounts in minor units).
#[pyclass(frozen, get_all, from_py_object, module = "paycore")]
#[derive(Clone)]
pub struct BusinessEvent {
    /// What happened.
    kind: EventKind,
    /// The host's unique id of the event (transfer ids derive from it).
    event_id: u64,
    /// Merchant (0 for platform-only events).
    merchant_id: u64,
    /// Agent (0 if none).
    agent_id: u64,
    /// Ledger (currency).
    ledger: u32,
    /// Transaction amount.
    gross: u128,
    /// Merchant discount fee charged (or refunded).
    merchant_fee: u128,
    /// Issuer interchange + network fee (our cost).
    scheme_cost: u128,
    /// Agent profit share.
    agent_commission: u128,
    /// Reserve withheld (settlement run).
    reserve: u128,
    /// D0 advance repaid (settlement run).
    advance: u128,
}

#[pymethods]
impl BusinessEvent {
    #[new]
    #[pyo3(signature = (kind, event_id, ledger, gross, *, merchant_id = 0, agent_id = 0, merchant_fee = 0, scheme_cost = 0, agent_commission = 0, reserve = 0, advance = 0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        kind: EventKind,
        event_id: u64,
        ledger: u32,
        gross: u128,
        merchant_id: u64,
        agent_id: u64,
        merchant_fee: u128,
        scheme_cost: u128,
        agent_commission: u128,
        reserve: u128,
        advance: u128,
    ) -> Self {
        BusinessEvent {
            kind,
            event_id,
            merchant_id,
            agent_id,
            ledger,
            gross,
            merchant_fee,
            scheme_cost,
            agent_commission,
            reserve,
            advance,
        }
    }
}

fn event_from(obj: &Bound<'_, PyAny>) -> PyResult<core_chart::BusinessEvent> {
    let e = match obj.extract::<BusinessEvent>() {
        Ok(e) => e,
        Err(_) => BusinessEvent {
            kind: field(obj, "kind", None)?,
            event_id: field(obj, "event_id", None)?,
            merchant_id: field(obj, "merchant_id", Some(0))?,
            agent_id: field(obj, "agent_id", Some(0))?,
            ledger: field(obj, "ledger", None)?,
            gross: field(obj, "gross", Some(0))?,
            merchant_fee: field(obj, "merchant_fee", Some(0))?,
            scheme_cost: field(obj, "scheme_cost", Some(0))?,
            agent_commission: field(obj, "agent_commission", Some(0))?,
            reserve: field(obj, "reserve", Some(0))?,
            advance: field(obj, "advance", Some(0))?,
        },
    };
    Ok(core_chart::BusinessEvent {
        kind: e.kind.into(),
        event_id: e.event_id,
        merchant_id: e.merchant_id,
        agent_id: e.agent_id,
        ledger: e.ledger,
        amounts: core_chart::Amounts {
            gross: e.gross,
            merchant_fee: e.merchant_fee,
            scheme_cost: e.scheme_cost,
            agent_commission: e.agent_commission,
            reserve: e.reserve,
            advance: e.advance,
        },
    })
}

/// The deterministic id of a chart account (`owner << 64 | ledger << 32 | code << 16 | 1`);
/// platform kinds use owner id 0.
#[pyfunction]
fn chart_account_id(kind: AccountKind, owner_id: u64, ledger: u32) -> u128 {
    core_chart::account_id(kind.into(), owner_id, ledger)
}

/// The chart accounts of one owner, ready for `Ledger.create_accounts`.
#[pyfunction]
fn chart_accounts(owner: Owner, owner_id: u64, ledger: u32) -> Vec<Account> {
    let owner = match owner {
        Owner::PLATFORM => core_chart::Owner::Platform,
        Owner::MERCHANT => core_chart::Owner::Merchant,
        Owner::AGENT => core_chart::Owner::Agent,
    };
    core_chart::accounts_for(owner, owner_id, ledger)
        .into_iter()
        .map(Account)
        .collect()
}

/// The transfers (one linked chain, deterministic ids) the default acquirer rules produce
/// for an event (a `BusinessEvent`, dict or object with the same fields).
#[pyfunction]
fn event_transfers(event: &Bound<'_, PyAny>) -> Result<Vec<Transfer>> {
    let e = event_from(event)?;
    Ok(core_chart::PostingRules::acquirer_default()
        .transfers(&e)?
        .into_iter()
        .map(Transfer)
        .collect())
}

/// A double-entry ledger with TigerBeetle's semantics (in process, I/O-free).
///
/// `Ledger.replay(journal_text)` rebuilds one from a journal; `balances(id)` and
/// `chart_balances(kind, owner_id, ledger)` read posted/pending/available as ints.
#[pyclass(module = "paycore")]
pub struct Ledger(core::Ledger);

#[pymethods]
impl Ledger {
    /// An empty ledger that buffers a journal (drain with `take_journal`).
    #[new]
    fn new() -> Self {
        Ledger(core::Ledger::new())
    }

    /// Rebuilds a ledger from journal text (JSON lines, as `take_journal` returns). A bad
    /// line raises `JournalError` with `.line` set. The result keeps journaling on.
    #[staticmethod]
    fn replay(journal: &str) -> Result<Self> {
        let mut l = core::journal::replay(journal)?;
        l.set_journal_enabled(true);
        Ok(Ledger(l))
    }

    /// Restores a ledger from a JSON snapshot (`snapshot()`), validating it fully.
    #[staticmethod]
    fn from_snapshot(json: &str) -> Result<Self> {
        let s = core::Snapshot::from_json(json)?;
        Ok(Ledger(core::Ledger::restore(s)?))
    }

    /// Creates a batch of accounts at `now` (ns); one result per event.
    fn create_accounts(
        &mut self,
        accounts: &Bound<'_, PyAny>,
        now: u64,
    ) -> PyResult<Vec<CreateAccountResult>> {
        let batch = accounts
            .try_iter()?
            .map(|a| account_from(&a?))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(self
            .0
            .create_accounts(&batch, now)
            .into_iter()
            .map(CreateAccountResult::from)
            .collect())
    }

    /// Creates a batch of transfers at `now` (ns); one result per event.
    fn create_transfers(
        &mut self,
        transfers: &Bound<'_, PyAny>,
        now: u64,
    ) -> PyResult<Vec<CreateTransferResult>> {
        let batch = transfers
            .try_iter()?
            .map(|t| transfer_from(&t?))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(self
            .0
            .create_transfers(&batch, now)
            .into_iter()
            .map(CreateTransferResult::from)
            .collect())
    }

    /// Posts a business event through the default acquirer rules at `now`; one result per
    /// leg. Re-posting the same event is idempotent (`EXISTS`).
    fn post_event(
        &mut self,
        event: &Bound<'_, PyAny>,
        now: u64,
    ) -> Result<Vec<CreateTransferResult>> {
        let e = event_from(event)?;
        let transfers = core_chart::PostingRules::acquirer_default().transfers(&e)?;
        Ok(self
            .0
            .create_transfers(&transfers, now)
            .into_iter()
            .map(CreateTransferResult::from)
            .collect())
    }

    /// Releases pending transfers timed out at or before `now`; returns how many.
    fn expire_pending(&mut self, now: u64) -> usize {
        self.0.expire_pending(now)
    }

    /// The last assigned timestamp (ns).
    #[getter]
    fn clock(&self) -> u64 {
        self.0.clock()
    }

    /// The account with `id`, or None.
    fn account(&self, id: u128) -> Option<Account> {
        self.0.account(id).copied().map(Account)
    }

    /// Every account, in creation order.
    fn accounts(&self) -> Vec<Account> {
        self.0.accounts().iter().copied().map(Account).collect()
    }

    /// The transfer with `id` as stored, or None.
    fn transfer(&self, id: u128) -> Option<Transfer> {
        self.0.transfer(id).copied().map(Transfer)
    }

    /// Balances of an account seen from `side`; by default the normal side of its chart
    /// kind (from the account code). Raises `AccountNotFoundError`.
    #[pyo3(signature = (id, side = None))]
    fn balances(&self, id: u128, side: Option<NormalSide>) -> Result<Balances> {
        let a = self
            .0
            .account(id)
            .ok_or(core::QueryError::AccountNotFound(id))?;
        let side = match side {
            Some(s) => s.into(),
            None => core_chart::AccountKind::from_code(a.code)
                .map(|k| k.normal_side())
                .ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "account code {} is not a chart kind: pass side=",
                        a.code
                    ))
                })?,
        };
        Ok(Balances(a.balances(side)))
    }

    /// Balances of a chart account, seen from its kind's normal side.
    fn chart_balances(&self, kind: AccountKind, owner_id: u64, ledger: u32) -> Result<Balances> {
        let k = core_chart::AccountKind::from(kind);
        let id = core_chart::account_id(k, owner_id, ledger);
        let a = self
            .0
            .account(id)
            .ok_or(core::QueryError::AccountNotFound(id))?;
        Ok(Balances(a.balances(k.normal_side())))
    }

    /// A page of the transfers touching an account (cursor paging; pass `next_cursor` back).
    #[pyo3(signature = (account_id, *, limit = 8190, cursor = None, debits = true, credits = true, reversed = false))]
    fn transfers_by_account(
        &self,
        account_id: u128,
        limit: u32,
        cursor: Option<u64>,
        debits: bool,
        credits: bool,
        reversed: bool,
    ) -> Result<TransferPage> {
        let page = self.0.transfers_by_account(&core::AccountFilter {
            account_id,
            cursor,
            limit,
            debits,
            credits,
            reversed,
        })?;
        Ok(TransferPage {
            transfers: page.transfers.into_iter().map(Transfer).collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// History rows of an account created with the history flag, oldest first.
    fn account_history(&self, py: Python<'_>, id: u128) -> Result<Vec<AccountBalance>> {
        let rows = self.0.account_history(id)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(AccountBalance {
                timestamp: r.timestamp,
                counters: Py::new(py, Counters::from(r.counters))?,
            });
        }
        Ok(out)
    }

    /// Counters of a history account as of `timestamp` (inclusive).
    fn balance_as_of(&self, id: u128, timestamp: u64) -> Result<Counters> {
        Ok(self.0.balance_as_of(id, timestamp)?.into())
    }

    /// Drains the journal: JSON lines (each ending in a newline) since the last call.
    fn take_journal(&mut self) -> String {
        self.0
            .take_journal()
            .iter()
            .map(|r| r.to_line() + "\n")
            .collect()
    }

    /// The full state as a JSON snapshot (restore with `Ledger.from_snapshot`).
    fn snapshot(&self) -> String {
        self.0.snapshot().to_json()
    }

    /// 64-bit digest of the state (equal states, equal digests).
    #[getter]
    fn digest(&self) -> u64 {
        self.0.digest()
    }

    /// Raises `InvariantError` unless Σ debits == Σ credits per ledger, the balance limits
    /// hold and the counters match the transfers.
    fn check_invariants(&self) -> Result<()> {
        Ok(self.0.check_invariants()?)
    }

    fn __repr__(&self) -> String {
        format!(
            "Ledger(accounts={}, transfers={}, clock={})",
            self.0.accounts().len(),
            self.0.transfers().len(),
            self.0.clock()
        )
    }
}

/// Where the withdrawal fee comes from.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeeMode {
    /// 内扣: deducted from the amount.
    INSIDE,
    /// 外扣: added on top.
    OUTSIDE,
}

/// Withdrawal transitions.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum WithdrawalAction {
    /// Requested → Approved.
    APPROVE,
    /// Requested/Approved/Frozen → Rejected.
    REJECT,
    /// Requested/Approved → Frozen.
    FREEZE,
    /// Frozen → previous.
    UNFREEZE,
    /// Approved → Paid.
    PAID,
    /// Approved → Failed.
    FAILED,
    /// Paid → Returned (退票).
    RETURNED,
}

/// Withdrawal states.
#[pyclass(eq, eq_int, frozen, hash, from_py_object, module = "paycore")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum WithdrawalState {
    /// Funds reserved, awaiting review.
    REQUESTED,
    /// Approved, sent to the bank.
    APPROVED,
    /// Held by risk control.
    FROZEN,
    /// Refused; reservation released.
    REJECTED,
    /// Paid.
    PAID,
    /// Bank failure; reservation released.
    FAILED,
    /// Returned by the bank after success.
    RETURNED,
}

/// Limits and fee of withdrawals (amounts in minor units).
#[pyclass(frozen, get_all, from_py_object, module = "paycore")]
#[derive(Clone)]
pub struct WithdrawalPolicy {
    /// Smallest requested amount.
    min_amount: u128,
    /// Largest requested amount.
    max_amount: u128,
    /// Fixed fee per withdrawal.
    fee_fixed: u128,
    /// Proportional fee, basis points, rounded half up.
    fee_bps: u32,
    /// Where the fee comes from.
    fee_mode: FeeMode,
}

#[pymethods]
impl WithdrawalPolicy {
    #[new]
    #[pyo3(signature = (min_amount, max_amount, *, fee_fixed = 0, fee_bps = 0, fee_mode = FeeMode::INSIDE))]
    fn new(
        min_amount: u128,
        max_amount: u128,
        fee_fixed: u128,
        fee_bps: u32,
        fee_mode: FeeMode,
    ) -> Self {
        WithdrawalPolicy {
            min_amount,
            max_amount,
            fee_fixed,
            fee_bps,
            fee_mode,
        }
    }
}

/// A merchant withdrawal (提现) in progress; each transition posts through a `Ledger`.
#[pyclass(module = "paycore")]
pub struct Withdrawal(core_wd::Withdrawal);

#[pymethods]
impl Withdrawal {
    /// Validates `amount` against `policy` (a `WithdrawalPolicy` or dict) and reserves the
    /// funds of the merchant's withdrawable account at `now` (ns).
    #[staticmethod]
    #[pyo3(signature = (ledger, policy, *, withdrawal_id, merchant_id, ledger_id, amount, now))]
    #[allow(clippy::too_many_arguments)]
    fn request(
        ledger: &mut Ledger,
        policy: &Bound<'_, PyAny>,
        withdrawal_id: u64,
        merchant_id: u64,
        ledger_id: u32,
        amount: u128,
        now: u64,
    ) -> Result<Self> {
        let mode: FeeMode = field(policy, "fee_mode", Some(FeeMode::INSIDE))?;
        let policy = core_wd::WithdrawalPolicy {
            min_amount: field(policy, "min_amount", None)?,
            max_amount: field(policy, "max_amount", None)?,
            fee_fixed: field(policy, "fee_fixed", Some(0))?,
            fee_bps: field(policy, "fee_bps", Some(0))?,
            fee_mode: match mode {
                FeeMode::INSIDE => core_wd::FeeMode::Inside,
                FeeMode::OUTSIDE => core_wd::FeeMode::Outside,
            },
        };
        let request = core_wd::WithdrawalRequest {
            withdrawal_id,
            merchant_id,
            ledger: ledger_id,
            amount,
        };
        Ok(Withdrawal(core_wd::Withdrawal::request(
            &mut ledger.0,
            &policy,
            request,
            now,
        )?))
    }

    /// Applies a transition, posting through `ledger` when it moves money. On error
    /// neither the withdrawal nor the ledger changes.
    fn apply(&mut self, ledger: &mut Ledger, action: WithdrawalAction, now: u64) -> Result<()> {
        use core_wd::WithdrawalAction as A;
        let action = match action {
            WithdrawalAction::APPROVE => A::Approve,
            WithdrawalAction::REJECT => A::Reject,
            WithdrawalAction::FREEZE => A::Freeze,
            WithdrawalAction::UNFREEZE => A::Unfreeze,
            WithdrawalAction::PAID => A::Paid,
            WithdrawalAction::FAILED => A::Failed,
            WithdrawalAction::RETURNED => A::Returned,
        };
        Ok(self.0.apply(&mut ledger.0, action, now)?)
    }

    /// Current state.
    #[getter]
    fn state(&self) -> WithdrawalState {
        use core_wd::WithdrawalState as S;
        match self.0.state {
            S::Requested => WithdrawalState::REQUESTED,
            S::Approved => WithdrawalState::APPROVED,
            S::Frozen { .. } => WithdrawalState::FROZEN,
            S::Rejected => WithdrawalState::REJECTED,
            S::Paid => WithdrawalState::PAID,
            S::Failed => WithdrawalState::FAILED,
            S::Returned => WithdrawalState::RETURNED,
        }
    }

    /// Fee charged.
    #[getter]
    fn fee(&self) -> u128 {
        self.0.fee
    }

    /// Amount paid to the merchant's bank account.
    #[getter]
    fn payout(&self) -> u128 {
        self.0.payout
    }

    /// The amount requested.
    #[getter]
    fn amount(&self) -> u128 {
        self.0.request.amount
    }

    fn __repr__(&self) -> String {
        format!(
            "Withdrawal(id={}, merchant_id={}, amount={}, fee={}, state={:?})",
            self.0.request.withdrawal_id,
            self.0.request.merchant_id,
            self.0.request.amount,
            self.0.fee,
            self.0.state
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("LedgerError", py.get_type::<LedgerError>())?;
    m.add(
        "AccountNotFoundError",
        py.get_type::<AccountNotFoundError>(),
    )?;
    m.add(
        "HistoryNotEnabledError",
        py.get_type::<HistoryNotEnabledError>(),
    )?;
    m.add("BeforeCreationError", py.get_type::<BeforeCreationError>())?;
    let journal_error = py.get_type::<JournalError>();
    // Class-level defaults; instances carry the values of the failure.
    journal_error.setattr("line", 0)?;
    journal_error.setattr("byte_offset", py.None())?;
    m.add("JournalError", journal_error)?;
    m.add("SnapshotError", py.get_type::<SnapshotError>())?;
    m.add("InvariantError", py.get_type::<InvariantError>())?;
    m.add("PostingError", py.get_type::<PostingError>())?;
    m.add("WithdrawalError", py.get_type::<WithdrawalError>())?;
    m.add(
        "WithdrawalLimitError",
        py.get_type::<WithdrawalLimitError>(),
    )?;
    m.add(
        "InsufficientFundsError",
        py.get_type::<InsufficientFundsError>(),
    )?;
    m.add(
        "IllegalTransitionError",
        py.get_type::<IllegalTransitionError>(),
    )?;
    m.add("LedgerRefusedError", py.get_type::<LedgerRefusedError>())?;
    m.add_class::<Account>()?;
    m.add_class::<Transfer>()?;
    m.add_class::<NormalSide>()?;
    m.add_class::<Balances>()?;
    m.add_class::<Counters>()?;
    m.add_class::<AccountBalance>()?;
    m.add_class::<TransferPage>()?;
    m.add_class::<CreateAccountResult>()?;
    m.add_class::<CreateTransferResult>()?;
    m.add_class::<AccountKind>()?;
    m.add_class::<Owner>()?;
    m.add_class::<EventKind>()?;
    m.add_class::<BusinessEvent>()?;
    m.add_class::<Ledger>()?;
    m.add_class::<FeeMode>()?;
    m.add_class::<WithdrawalAction>()?;
    m.add_class::<WithdrawalState>()?;
    m.add_class::<WithdrawalPolicy>()?;
    m.add_class::<Withdrawal>()?;
    m.add_function(wrap_pyfunction!(chart_account_id, m)?)?;
    m.add_function(wrap_pyfunction!(chart_accounts, m)?)?;
    m.add_function(wrap_pyfunction!(event_transfers, m)?)?;
    Ok(())
}
