//! Merchant withdrawals (提现) as a state machine that posts through the ledger.
//!
//! ```text
//! request ──► Requested ──approve──► Approved ──paid──► Paid ──returned──► Returned
//!               │  ▲  │                │  ▲  │
//!               │  └──┼─unfreeze─┐     │  │  └─failed──► Failed
//!        reject │     freeze     Frozen◄─freeze
//!               ▼                 │ reject
//!            Rejected ◄───────────┘
//! ```
//!
//! Money: the request places **pending** transfers from the merchant's withdrawable account
//! (principal to the settlement bank, fee to fee revenue), so the funds are reserved at
//! once and no second request can spend them. `paid` **posts** them; `reject` and `failed`
//! **void** them; `returned` (退票, the bank sends the money back after reporting success)
//! credits the principal back to withdrawable with a new transfer (the fee is kept).
//! `approve`, `freeze` and `unfreeze` are decisions that move no money: the reservation
//! stays in place. Pending holds carry no timeout, so a slow bank never silently releases
//! funds that may already be paid.

use serde::{Deserialize, Serialize};

use super::chart::{AccountKind, EventKind, account_id, transfer_id};
use super::engine::Ledger;
use super::result::CreateTransferResult;
use super::transfer::{Transfer, TransferFlags};

/// Where the withdrawal fee comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMode {
    /// 内扣: deducted from the requested amount; the merchant receives `amount − fee`.
    Inside,
    /// 外扣: added on top; the merchant receives `amount`, the balance pays `amount + fee`.
    Outside,
}

/// Limits and fee of withdrawals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WithdrawalPolicy {
    /// Smallest requested amount.
    pub min_amount: u128,
    /// Largest requested amount.
    pub max_amount: u128,
    /// Fixed fee per withdrawal.
    pub fee_fixed: u128,
    /// Proportional fee in basis points of the requested amount, rounded half up.
    pub fee_bps: u32,
    /// Where the fee comes from.
    pub fee_mode: FeeMode,
}

impl WithdrawalPolicy {
    /// Fee for a requested amount.
    pub fn fee(&self, amount: u128) -> Result<u128, WithdrawalError> {
        let prop = amount
            .checked_mul(u128::from(self.fee_bps))
            .and_then(|x| x.checked_add(5_000))
            .map(|x| x / 10_000)
            .ok_or(WithdrawalError::Overflow)?;
        prop.checked_add(self.fee_fixed)
            .ok_or(WithdrawalError::Overflow)
    }
}

/// A withdrawal request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WithdrawalRequest {
    /// The host's unique id of this withdrawal (transfer ids derive from it).
    pub withdrawal_id: u64,
    /// Merchant.
    pub merchant_id: u64,
    /// Ledger (currency).
    pub ledger: u32,
    /// Amount requested, minor units.
    pub amount: u128,
}

/// State of a withdrawal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalState {
    /// Funds reserved, awaiting review.
    Requested,
    /// Approved, sent to the bank.
    Approved,
    /// Held by risk control; remembers whether it had been approved.
    Frozen {
        /// State to return to on unfreeze (`true` = Approved).
        was_approved: bool,
    },
    /// Refused; reservation released.
    Rejected,
    /// Bank confirmed payment; funds left.
    Paid,
    /// Bank reported failure; reservation released.
    Failed,
    /// Paid, then returned by the bank (退票); principal back in withdrawable.
    Returned,
}

/// Transition requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Paid → Returned.
    Returned,
}

/// Why a withdrawal step was refused (the ledger is unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WithdrawalError {
    /// Amount outside `[min, max]`.
    #[error("amount {amount} outside the allowed range {min}..={max}")]
    OutOfRange {
        /// Requested.
        amount: u128,
        /// Minimum.
        min: u128,
        /// Maximum.
        max: u128,
    },
    /// With an inside fee, the fee must be smaller than the amount.
    #[error("fee {fee} leaves nothing to pay out of {amount}")]
    FeeNotCovered {
        /// Fee.
        fee: u128,
        /// Requested.
        amount: u128,
    },
    /// Not enough withdrawable balance.
    #[error("needs {needed} but only {available} is withdrawable")]
    Insufficient {
        /// Amount the balance must cover.
        needed: u128,
        /// Available withdrawable balance.
        available: u128,
    },
    /// Arithmetic overflow computing the fee.
    #[error("fee computation overflows")]
    Overflow,
    /// The merchant has no withdrawable account on this ledger.
    #[error("merchant has no withdrawable account on this ledger")]
    NoAccount,
    /// The transition is not allowed from the current state.
    #[error("cannot {action:?} a withdrawal in state {from:?}")]
    IllegalTransition {
        /// Current state.
        from: WithdrawalState,
        /// Attempted action.
        action: WithdrawalAction,
    },
    /// The ledger refused the postings.
    #[error("ledger refused the posting: {0}")]
    Ledger(CreateTransferResult),
}

/// A withdrawal in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Withdrawal {
    /// The request.
    pub request: WithdrawalRequest,
    /// Fee charged.
    pub fee: u128,
    /// Amount paid to the merchant's bank account.
    pub payout: u128,
    /// Current state.
    pub state: WithdrawalState,
}

const HOLD_PRINCIPAL: u8 = 0;
const HOLD_FEE: u8 = 1;

impl Withdrawal {
    fn id(&self, kind: EventKind, leg: u8) -> u128 {
        transfer_id(kind, self.request.withdrawal_id, leg)
    }

    fn withdrawable(&self) -> u128 {
        account_id(
            AccountKind::MerchantWithdrawable,
            self.request.merchant_id,
            self.request.ledger,
        )
    }

    /// Validate and reserve the funds (pending transfers). `now` in ns.
    pub fn request(
        ledger: &mut Ledger,
        policy: &WithdrawalPolicy,
        request: WithdrawalRequest,
        now: u64,
    ) -> Result<Self, WithdrawalError> {
        let amount = request.amount;
        if amount < policy.min_amount || amount > policy.max_amount || amount == 0 {
            return Err(WithdrawalError::OutOfRange {
                amount,
                min: policy.min_amount,
                max: policy.max_amount,
            });
        }
        let fee = policy.fee(amount)?;
        let (payout, needed) = match policy.fee_mode {
            FeeMode::Inside if fee >= amount => {
                return Err(WithdrawalError::FeeNotCovered { fee, amount });
            }
            FeeMode::Inside => (amount - fee, amount),
            FeeMode::Outside => (
                amount,
                amount.checked_add(fee).ok_or(WithdrawalError::Overflow)?,
            ),
        };
        let w = Self {
            request,
            fee,
            payout,
            state: WithdrawalState::Requested,
        };
        let acct = ledger
            .account(w.withdrawable())
            .ok_or(WithdrawalError::NoAccount)?;
        let avail = acct
            .balances(AccountKind::MerchantWithdrawable.normal_side())
            .available;
        let available = if avail.negative { 0 } else { avail.magnitude };
        if needed > available {
            return Err(WithdrawalError::Insufficient { needed, available });
        }
        let leg = |n: u8, credit: AccountKind, amount: u128| Transfer {
            id: w.id(EventKind::WithdrawalHold, n),
            debit_account_id: w.withdrawable(),
            credit_account_id: account_id(credit, 0, request.ledger),
            amount,
            user_data_128: u128::from(request.merchant_id),
            user_data_64: request.withdrawal_id,
            user_data_32: u32::from(n),
            ledger: request.ledger,
            code: EventKind::WithdrawalHold as u16,
            flags: TransferFlags::PENDING,
            ..Transfer::default()
        };
        let mut legs = vec![leg(HOLD_PRINCIPAL, AccountKind::SettlementBank, payout)];
        if fee > 0 {
            legs[0].flags = legs[0].flags.with(TransferFlags::LINKED);
            legs.push(leg(HOLD_FEE, AccountKind::FeeRevenue, fee));
        }
        submit(ledger, &legs, now)?;
        Ok(w)
    }

    fn resolve(&self, ledger: &mut Ledger, post: bool, now: u64) -> Result<(), WithdrawalError> {
        let (kind, flag) = if post {
            (
                EventKind::WithdrawalPost,
                TransferFlags::POST_PENDING_TRANSFER,
            )
        } else {
            (
                EventKind::WithdrawalVoid,
                TransferFlags::VOID_PENDING_TRANSFER,
            )
        };
        let mut legs = Vec::with_capacity(2);
        for n in [HOLD_PRINCIPAL, HOLD_FEE] {
            if n == HOLD_FEE && self.fee == 0 {
                continue;
            }
            legs.push(Transfer {
                id: self.id(kind, n),
                pending_id: self.id(EventKind::WithdrawalHold, n),
                amount: if post { crate::ledger::AMOUNT_MAX } else { 0 },
                user_data_128: u128::from(self.request.merchant_id),
                user_data_64: self.request.withdrawal_id,
                user_data_32: u32::from(n),
                flags: flag.with(TransferFlags::LINKED),
                ..Transfer::default()
            });
        }
        if let Some(last) = legs.last_mut() {
            last.flags = flag;
        }
        submit(ledger, &legs, now)
    }

    /// Apply a transition, posting through the ledger when it moves money. On error the
    /// state and the ledger are unchanged.
    pub fn apply(
        &mut self,
        ledger: &mut Ledger,
        action: WithdrawalAction,
        now: u64,
    ) -> Result<(), WithdrawalError> {
        use WithdrawalAction as A;
        use WithdrawalState as S;
        let illegal = Err(WithdrawalError::IllegalTransition {
            from: self.state,
            action,
        });
        let next = match (self.state, action) {
            (S::Requested, A::Approve) => S::Approved,
            (S::Requested | S::Approved | S::Frozen { .. }, A::Reject) => {
                self.resolve(ledger, false, now)?;
                S::Rejected
            }
            (S::Requested, A::Freeze) => S::Frozen {
                was_approved: false,
            },
            (S::Approved, A::Freeze) => S::Frozen { was_approved: true },
            (S::Frozen { was_approved }, A::Unfreeze) => {
                if was_approved {
                    S::Approved
                } else {
                    S::Requested
                }
            }
            (S::Approved, A::Paid) => {
                self.resolve(ledger, true, now)?;
                S::Paid
            }
            (S::Approved, A::Failed) => {
                self.resolve(ledger, false, now)?;
                S::Failed
            }
            (S::Paid, A::Returned) => {
                let t = Transfer {
                    id: self.id(EventKind::WithdrawalReturn, 0),
                    debit_account_id: account_id(
                        AccountKind::SettlementBank,
                        0,
                        self.request.ledger,
                    ),
                    credit_account_id: self.withdrawable(),
                    amount: self.payout,
                    user_data_128: u128::from(self.request.merchant_id),
                    user_data_64: self.request.withdrawal_id,
                    ledger: self.request.ledger,
                    code: EventKind::WithdrawalReturn as u16,
                    ..Transfer::default()
                };
                submit(ledger, &[t], now)?;
                S::Returned
            }
            _ => return illegal,
        };
        self.state = next;
        Ok(())
    }
}

fn submit(ledger: &mut Ledger, legs: &[Transfer], now: u64) -> Result<(), WithdrawalError> {
    let results = ledger.create_transfers(legs, now);
    match results
        .iter()
        .find(|r| **r != CreateTransferResult::Created)
    {
        None => Ok(()),
        Some(r) => {
            // Report the event's own error rather than `linked_event_failed`.
            let own = results.iter().find(|r| {
                **r != CreateTransferResult::LinkedEventFailed
                    && **r != CreateTransferResult::Created
            });
            Err(WithdrawalError::Ledger(*own.unwrap_or(r)))
        }
    }
}
