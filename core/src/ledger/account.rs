//! Accounts: identity, partition (ledger), type (code), policy flags and the four counters.

use serde::{Deserialize, Serialize};

/// Account flags (a `u16` bit set, TigerBeetle's layout).
///
/// A newtype rather than an enum because flags combine; unknown bits are rejected with
/// [`CreateAccountResult::ReservedFlag`](super::CreateAccountResult::ReservedFlag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountFlags(pub u16);

impl AccountFlags {
    /// No flag set.
    pub const NONE: Self = Self(0);
    /// The outcome of this event is tied to the next one in the batch (atomic chain).
    pub const LINKED: Self = Self(1 << 0);
    /// `debits_pending + debits_posted` may never exceed `credits_posted` (no overdraft of a
    /// credit-normal account such as a merchant payable).
    pub const DEBITS_MUST_NOT_EXCEED_CREDITS: Self = Self(1 << 1);
    /// `credits_pending + credits_posted` may never exceed `debits_posted`.
    pub const CREDITS_MUST_NOT_EXCEED_DEBITS: Self = Self(1 << 2);
    /// Keep a balance snapshot after every transfer touching this account.
    pub const HISTORY: Self = Self(1 << 3);
    /// The account rejects new transfers (only voids of pending transfers pass).
    pub const CLOSED: Self = Self(1 << 5);
    /// All bits this implementation understands (bit 4, TigerBeetle's `imported`, is
    /// reserved: imports are not supported).
    pub const KNOWN: Self = Self(0b10_1111);

    /// Whether every bit of `other` is set.
    #[inline]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
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

impl std::ops::BitOr for AccountFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.with(rhs)
    }
}

/// An account. Only the four counters and the `closed` flag change after creation, and only
/// through transfers.
///
/// On input to [`Ledger::create_accounts`](super::Ledger::create_accounts) the counters and
/// `timestamp` must be zero; the ledger assigns the timestamp.
///
/// Aligned to a cache line: an account is then exactly two lines (not three) wherever it
/// is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[repr(align(64))]
pub struct Account {
    /// Unique id; 0 and `u128::MAX` are reserved.
    pub id: u128,
    /// Sum of pending (reserved) debits.
    pub debits_pending: u128,
    /// Sum of posted debits.
    pub debits_posted: u128,
    /// Sum of pending credits.
    pub credits_pending: u128,
    /// Sum of posted credits.
    pub credits_posted: u128,
    /// Opaque link to the host's records.
    pub user_data_128: u128,
    /// Opaque link to the host's records.
    pub user_data_64: u64,
    /// Opaque link to the host's records.
    pub user_data_32: u32,
    /// Partition: only accounts on the same ledger (currency × asset scale) transact.
    pub ledger: u32,
    /// Account type in the host's chart of accounts (non-zero).
    pub code: u16,
    /// Policy flags.
    pub flags: AccountFlags,
    /// Creation time (ns) assigned by the ledger.
    pub timestamp: u64,
}

/// A signed amount wide enough for the difference of two `u128` counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct SignedAmount {
    /// True when the amount is below zero.
    pub negative: bool,
    /// Absolute value.
    pub magnitude: u128,
}

impl SignedAmount {
    /// `a - b` without overflow.
    #[must_use]
    pub fn diff(a: u128, b: u128) -> Self {
        if a >= b {
            Self {
                negative: false,
                magnitude: a - b,
            }
        } else {
            Self {
                negative: true,
                magnitude: b - a,
            }
        }
    }
    /// The value as `i128` when it fits.
    #[must_use]
    pub fn to_i128(self) -> Option<i128> {
        let m = i128::try_from(self.magnitude).ok()?;
        Some(if self.negative { -m } else { m })
    }
    #[must_use]
    fn negate(self) -> Self {
        Self {
            negative: !self.negative && self.magnitude != 0,
            magnitude: self.magnitude,
        }
    }
}

/// Which side increases an account's balance: assets/expenses are debit-normal,
/// liabilities/revenue credit-normal. The ledger itself is side-agnostic; the chart of
/// accounts knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormalSide {
    /// Balance = debits − credits.
    Debit,
    /// Balance = credits − debits.
    Credit,
}

/// Balances derived from the four counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Balances {
    /// Posted balance on the normal side.
    pub posted: SignedAmount,
    /// Net pending movement on the normal side (pending increases − pending decreases).
    pub pending: SignedAmount,
    /// What can still be spent: posted minus pending decreases (pending increases are not
    /// counted until posted).
    pub available: SignedAmount,
}

impl Account {
    /// Balances seen from `side`.
    #[must_use]
    pub fn balances(&self, side: NormalSide) -> Balances {
        // Credit-normal view; the debit-normal one is its negation except for `available`,
        // which always subtracts the pending *decreases* of that side.
        let credit = Balances {
            posted: SignedAmount::diff(self.credits_posted, self.debits_posted),
            pending: SignedAmount::diff(self.credits_pending, self.debits_pending),
            available: avail(self.credits_posted, self.debits_posted, self.debits_pending),
        };
        match side {
            NormalSide::Credit => credit,
            NormalSide::Debit => Balances {
                posted: credit.posted.negate(),
                pending: credit.pending.negate(),
                available: avail(
                    self.debits_posted,
                    self.credits_posted,
                    self.credits_pending,
                ),
            },
        }
    }

    /// The four counters as a value (history rows, equality checks).
    #[must_use]
    pub fn counters(&self) -> Counters {
        Counters {
            debits_pending: self.debits_pending,
            debits_posted: self.debits_posted,
            credits_pending: self.credits_pending,
            credits_posted: self.credits_posted,
        }
    }
}

fn avail(plus: u128, minus: u128, minus_pending: u128) -> SignedAmount {
    // plus − (minus + minus_pending) computed without overflow.
    match minus.checked_add(minus_pending) {
        Some(m) => SignedAmount::diff(plus, m),
        None => {
            let first = SignedAmount::diff(plus, minus);
            // first is negative or small; subtract minus_pending from it.
            if first.negative {
                SignedAmount {
                    negative: true,
                    magnitude: first.magnitude.saturating_add(minus_pending),
                }
            } else {
                SignedAmount::diff(first.magnitude, minus_pending)
            }
        }
    }
}

/// The four counters of an account at a point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Counters {
    /// Pending debits.
    pub debits_pending: u128,
    /// Posted debits.
    pub debits_posted: u128,
    /// Pending credits.
    pub credits_pending: u128,
    /// Posted credits.
    pub credits_posted: u128,
}

/// One row of an account's history: its counters right after the transfer with
/// `timestamp` (only kept for accounts with [`AccountFlags::HISTORY`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountBalance {
    /// Timestamp of the transfer (or expiry) that produced this row.
    pub timestamp: u64,
    /// Counters after it.
    pub counters: Counters,
}
