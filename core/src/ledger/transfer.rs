//! Transfers: one debit, one credit, same ledger, integer amount.

use serde::{Deserialize, Serialize};

/// Transfer flags (a `u16` bit set, TigerBeetle's layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TransferFlags(pub u16);

impl TransferFlags {
    /// No flag set.
    pub const NONE: Self = Self(0);
    /// Outcome tied to the next event: a run of linked events ending with the first
    /// non-linked one succeeds or fails as a whole.
    pub const LINKED: Self = Self(1 << 0);
    /// Phase one of a two-phase transfer: reserve `amount` in the pending counters.
    pub const PENDING: Self = Self(1 << 1);
    /// Phase two, commit (all or part of) the pending transfer `pending_id`.
    pub const POST_PENDING_TRANSFER: Self = Self(1 << 2);
    /// Phase two, release the pending transfer `pending_id`.
    pub const VOID_PENDING_TRANSFER: Self = Self(1 << 3);
    /// Move at most `amount`, clamped so the debit account keeps `debits ≤ credits_posted`.
    pub const BALANCING_DEBIT: Self = Self(1 << 4);
    /// Move at most `amount`, clamped so the credit account keeps `credits ≤ debits_posted`.
    pub const BALANCING_CREDIT: Self = Self(1 << 5);
    /// Close the debit account when this (pending) transfer succeeds.
    pub const CLOSING_DEBIT: Self = Self(1 << 6);
    /// Close the credit account when this (pending) transfer succeeds.
    pub const CLOSING_CREDIT: Self = Self(1 << 7);
    /// All bits this implementation understands (bit 8, TigerBeetle's `imported`, is
    /// reserved: imports are not supported).
    pub const KNOWN: Self = Self(0xFF);

    /// Whether every bit of `other` is set.
    #[inline]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
    /// Whether any bit of `other` is set.
    #[inline]
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
    /// Union.
    #[inline]
    #[must_use]
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
    /// Difference.
    #[inline]
    #[must_use]
    pub const fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }
}

impl std::ops::BitOr for TransferFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.with(rhs)
    }
}

/// `amount` value meaning "post the full pending amount" / "move as much as possible".
pub const AMOUNT_MAX: u128 = u128::MAX;

/// A transfer. Immutable once created; corrections are new transfers.
///
/// For post/void, `debit_account_id`, `credit_account_id`, `ledger` and `code` may be zero
/// (inherited from the pending transfer); the stored transfer carries the resolved values.
///
/// (Not cache-line aligned, unlike [`Account`](super::Account): the transfer log grows
/// without bound, and over-aligned vectors cannot grow in place — every growth would copy.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Transfer {
    /// Unique id (idempotency key); 0 and `u128::MAX` are reserved.
    pub id: u128,
    /// Account debited.
    pub debit_account_id: u128,
    /// Account credited.
    pub credit_account_id: u128,
    /// Amount in the ledger's minor unit. Stored value is the amount actually moved
    /// (balancing transfers, partial posts).
    pub amount: u128,
    /// For post/void: the pending transfer resolved; otherwise zero.
    pub pending_id: u128,
    /// Opaque link to the host's records.
    pub user_data_128: u128,
    /// Opaque link to the host's records.
    pub user_data_64: u64,
    /// Opaque link to the host's records.
    pub user_data_32: u32,
    /// Pending transfers only: seconds after `timestamp` at which the reservation expires
    /// (0 = never).
    pub timeout: u32,
    /// Ledger (currency); must equal both accounts' ledger.
    pub ledger: u32,
    /// Why the money moved (host-defined, non-zero).
    pub code: u16,
    /// Flags.
    pub flags: TransferFlags,
    /// Must be zero on input; the ledger assigns it (ns) from the batch's `now`.
    pub timestamp: u64,
}

/// State of a pending transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingStatus {
    /// Not a pending transfer (plain, post or void).
    None,
    /// Reserved, awaiting post or void.
    Pending,
    /// Posted (fully or partially).
    Posted,
    /// Voided.
    Voided,
    /// Timed out; the reservation was released.
    Expired,
}
