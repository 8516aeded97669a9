//! An acquirer's chart of accounts and posting rules, as data.
//!
//! Money of one merchant moves through three payable sub-accounts, mirroring the Chinese
//! acquiring vocabulary: **uncleared** (清分: captured today, not yet classified and summed),
//! **cleared** (清算: summed and netted, awaiting settlement) and **withdrawable** (结算:
//! credited to the merchant, payable or withdrawable). The platform holds the network
//! receivable, fee revenue, the scheme cost (issuer + network fees) payable, agent
//! commissions payable, D0 advances, the settlement bank account and a suspense account.
//!
//! A [`PostingRules`] table maps each [`EventKind`] to legs (`debit kind → credit kind`,
//! amount field); [`PostingRules::transfers`] turns a plain [`BusinessEvent`] into one linked
//! chain of transfers with deterministic ids, so re-posting an event is idempotent.
//!
//! **Clearing accounts** — network receivable, merchant uncleared, merchant cleared, scheme
//! cost payable and D0 advance receivable — return to zero when a cycle completes (sales,
//! clearing run, settlement run, network settlement).

use serde::{Deserialize, Serialize};

use super::account::{Account, AccountFlags, NormalSide};
use super::transfer::{Transfer, TransferFlags};

/// Account types of the chart; the discriminant is the account `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u16)]
pub enum AccountKind {
    /// Asset: the acquirer's settlement bank account (pay-ins from the network, payouts).
    SettlementBank = 1,
    /// Asset, clearing: owed to us by the card network for captured sales.
    NetworkReceivable = 2,
    /// Asset, clearing: D0/T0 advances paid before the merchant's funds cleared.
    D0AdvanceReceivable = 3,
    /// Liability (per merchant), clearing: captured, not yet cleared (清分).
    MerchantUncleared = 10,
    /// Liability (per merchant), clearing: cleared, awaiting the settlement run (清算).
    MerchantCleared = 11,
    /// Liability (per merchant): withdrawable / to be paid out (结算).
    MerchantWithdrawable = 12,
    /// Liability (per merchant): rolling or fixed reserve withheld.
    MerchantReserve = 13,
    /// Revenue: merchant discount fees, net of scheme cost and agent commission.
    FeeRevenue = 20,
    /// Liability, clearing: issuer interchange + network fees owed to the scheme.
    SchemeCostPayable = 30,
    /// Liability (per agent): profit share (分润) owed to the agent.
    AgentCommissionPayable = 40,
    /// Liability: unidentified or unmatched funds awaiting investigation.
    Suspense = 90,
}

/// Who owns accounts of a kind (selects the owner part of the account id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The acquirer (owner id 0).
    Platform,
    /// One per merchant.
    Merchant,
    /// One per agent.
    Agent,
}

impl AccountKind {
    /// Every kind.
    pub const ALL: [Self; 11] = [
        Self::SettlementBank,
        Self::NetworkReceivable,
        Self::D0AdvanceReceivable,
        Self::MerchantUncleared,
        Self::MerchantCleared,
        Self::MerchantWithdrawable,
        Self::MerchantReserve,
        Self::FeeRevenue,
        Self::SchemeCostPayable,
        Self::AgentCommissionPayable,
        Self::Suspense,
    ];

    /// The account `code`.
    #[must_use]
    pub const fn code(self) -> u16 {
        self as u16
    }

    /// Kind for an account `code`.
    #[must_use]
    pub fn from_code(code: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Side on which the balance grows.
    #[must_use]
    pub const fn normal_side(self) -> NormalSide {
        match self {
            Self::SettlementBank | Self::NetworkReceivable | Self::D0AdvanceReceivable => {
                NormalSide::Debit
            }
            _ => NormalSide::Credit,
        }
    }

    /// Owner scope.
    #[must_use]
    pub const fn owner(self) -> Owner {
        match self {
            Self::MerchantUncleared
            | Self::MerchantCleared
            | Self::MerchantWithdrawable
            | Self::MerchantReserve => Owner::Merchant,
            Self::AgentCommissionPayable => Owner::Agent,
            _ => Owner::Platform,
        }
    }

    /// Whether the account must be back at zero when a settlement cycle completes.
    #[must_use]
    pub const fn is_clearing(self) -> bool {
        matches!(
            self,
            Self::NetworkReceivable
                | Self::D0AdvanceReceivable
                | Self::MerchantUncleared
                | Self::MerchantCleared
                | Self::SchemeCostPayable
        )
    }

    /// Ledger flags: what we owe a merchant or agent can never be overdrawn; withdrawable
    /// balances keep history (merchant statements, balance as of a date).
    #[must_use]
    pub const fn flags(self) -> AccountFlags {
        match self {
            Self::MerchantUncleared
            | Self::MerchantCleared
            | Self::MerchantReserve
            | Self::AgentCommissionPayable => AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS,
            Self::MerchantWithdrawable => {
                AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS.with(AccountFlags::HISTORY)
            }
            _ => AccountFlags::NONE,
        }
    }
}

/// Deterministic account id: `owner (64 bits) | ledger (32) | code (16) | 1 (16)`. Never 0
/// nor `u128::MAX`.
#[must_use]
pub const fn account_id(kind: AccountKind, owner_id: u64, ledger: u32) -> u128 {
    ((owner_id as u128) << 64) | ((ledger as u128) << 32) | ((kind.code() as u128) << 16) | 1
}

/// Accounts of every kind with `owner` scope, ready for [`Ledger::create_accounts`]
/// (`user_data_64` = owner id).
///
/// [`Ledger::create_accounts`]: super::Ledger::create_accounts
#[must_use]
pub fn accounts_for(owner: Owner, owner_id: u64, ledger: u32) -> Vec<Account> {
    AccountKind::ALL
        .into_iter()
        .filter(|k| k.owner() == owner)
        .map(|k| Account {
            id: account_id(
                k,
                if owner == Owner::Platform {
                    0
                } else {
                    owner_id
                },
                ledger,
            ),
            ledger,
            code: k.code(),
            flags: k.flags(),
            user_data_64: owner_id,
            ..Account::default()
        })
        .collect()
}

/// Business events the rules know; the discriminant is the transfer `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u16)]
pub enum EventKind {
    /// A captured card sale.
    Sale = 1,
    /// Same-day cancellation of a sale (撤销), before clearing.
    Void = 2,
    /// Technical reversal (冲正) of a sale that the terminal could not confirm.
    Reversal = 3,
    /// Refund (退货) after clearing; taken from the merchant's uncleared funds.
    Refund = 4,
    /// A standalone merchant fee (terminal rental, monthly minimum) from the withdrawable balance.
    Fee = 5,
    /// A standalone agent commission (bonus, activation cash-back) out of fee revenue.
    AgentCommission = 6,
    /// Cut-off: uncleared → cleared (清分 → 清算).
    Clearing = 7,
    /// Settlement run (结算): cleared → D0 repayment, reserve, withdrawable.
    SettlementRun = 8,
    /// D0/T0 advance of not-yet-cleared funds.
    D0Advance = 9,
    /// Release of reserve to withdrawable.
    ReserveRelease = 10,
    /// The network pays us: bank ← network receivable, scheme cost netted.
    NetworkSettlement = 11,
    /// Direct payout of withdrawable funds to the merchant's bank account.
    Payout = 12,
    /// Payout of agent commission.
    AgentPayout = 13,
    /// Unidentified funds received into suspense.
    SuspenseIn = 14,
    /// Suspense funds identified as belonging to a merchant.
    SuspenseToMerchant = 15,
    /// Withdrawal hold (pending legs), see [`super::withdrawal`].
    WithdrawalHold = 20,
    /// Withdrawal paid (post of the hold).
    WithdrawalPost = 21,
    /// Withdrawal rejected or failed (void of the hold).
    WithdrawalVoid = 22,
    /// Withdrawal returned by the bank after success (退票).
    WithdrawalReturn = 23,
}

/// Which amount of a [`BusinessEvent`] a leg moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountOf {
    /// [`Amounts::gross`].
    Gross,
    /// [`Amounts::merchant_fee`].
    MerchantFee,
    /// [`Amounts::scheme_cost`].
    SchemeCost,
    /// [`Amounts::agent_commission`].
    AgentCommission,
    /// [`Amounts::reserve`].
    Reserve,
    /// [`Amounts::advance`].
    Advance,
}

/// One leg of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Leg {
    /// Account debited.
    pub debit: AccountKind,
    /// Account credited.
    pub credit: AccountKind,
    /// Amount moved.
    pub amount: AmountOf,
}

/// The legs for one event kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingRule {
    /// Event.
    pub event: EventKind,
    /// Legs, posted as one linked chain in this order (zero-amount legs skipped).
    pub legs: Vec<Leg>,
}

/// Amounts of an event, in the ledger's minor unit (fen for CNY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Amounts {
    /// Transaction amount (sale, refund, …) or the main amount of the event.
    pub gross: u128,
    /// Merchant discount fee (MDR) charged (or refunded).
    pub merchant_fee: u128,
    /// Issuer interchange + network fee (our cost).
    pub scheme_cost: u128,
    /// Agent profit share (分润).
    pub agent_commission: u128,
    /// Reserve withheld (settlement run).
    pub reserve: u128,
    /// D0 advance repaid out of cleared funds (settlement run).
    pub advance: u128,
}

impl Amounts {
    fn get(&self, of: AmountOf) -> u128 {
        match of {
            AmountOf::Gross => self.gross,
            AmountOf::MerchantFee => self.merchant_fee,
            AmountOf::SchemeCost => self.scheme_cost,
            AmountOf::AgentCommission => self.agent_commission,
            AmountOf::Reserve => self.reserve,
            AmountOf::Advance => self.advance,
        }
    }
}

/// A plain business event to post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BusinessEvent {
    /// What happened.
    pub kind: EventKind,
    /// The host's unique id of the event (per kind); transfer ids derive from it.
    pub event_id: u64,
    /// Merchant concerned (0 for platform-only events).
    pub merchant_id: u64,
    /// Agent concerned (0 if none).
    pub agent_id: u64,
    /// Ledger (currency).
    pub ledger: u32,
    /// Amounts.
    pub amounts: Amounts,
}

/// Why an event could not be turned into transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PostingError {
    /// No rule for this event kind.
    #[error("no posting rule for event {0:?}")]
    NoRule(EventKind),
    /// Every leg amount is zero.
    #[error("event {0:?} has nothing to post (all leg amounts zero)")]
    NothingToPost(EventKind),
    /// The fee exceeds the amount it is charged on.
    #[error("merchant fee {fee} exceeds gross amount {gross}")]
    FeeExceedsGross {
        /// Fee.
        fee: u128,
        /// Gross.
        gross: u128,
    },
    /// A leg references an agent account but the event has no agent.
    #[error("event {0:?} moves agent commission but agent_id is 0")]
    MissingAgent(EventKind),
}

/// Transfer id of leg `leg` of an event: `event_id (64) | 0 (40) | kind (16) | leg+1 (8)`.
#[must_use]
pub const fn transfer_id(kind: EventKind, event_id: u64, leg: u8) -> u128 {
    ((event_id as u128) << 64) | ((kind as u128) << 8) | (leg as u128 + 1)
}

/// A table of posting rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingRules {
    /// One rule per event kind.
    pub rules: Vec<PostingRule>,
}

impl PostingRules {
    /// The acquirer rules described in the module documentation.
    #[must_use]
    pub fn acquirer_default() -> Self {
        use AccountKind as K;
        use AmountOf as A;
        let leg = |debit, credit, amount| Leg {
            debit,
            credit,
            amount,
        };
        let sale = vec![
            leg(K::NetworkReceivable, K::MerchantUncleared, A::Gross),
            leg(K::MerchantUncleared, K::FeeRevenue, A::MerchantFee),
            leg(K::FeeRevenue, K::SchemeCostPayable, A::SchemeCost),
            leg(K::FeeRevenue, K::AgentCommissionPayable, A::AgentCommission),
        ];
        // Void and reversal take back exactly what the sale posted, in reverse order so the
        // merchant's uncleared account never dips below zero mid-chain.
        let unwind: Vec<Leg> = sale
            .iter()
            .rev()
            .map(|l| leg(l.credit, l.debit, l.amount))
            .collect();
        let rule = |event, legs| PostingRule { event, legs };
        Self {
            rules: vec![
                rule(EventKind::Sale, sale),
                rule(EventKind::Void, unwind.clone()),
                rule(EventKind::Reversal, unwind),
                rule(
                    EventKind::Refund,
                    vec![
                        leg(K::FeeRevenue, K::MerchantUncleared, A::MerchantFee),
                        leg(K::MerchantUncleared, K::NetworkReceivable, A::Gross),
                        leg(K::SchemeCostPayable, K::FeeRevenue, A::SchemeCost),
                        leg(K::AgentCommissionPayable, K::FeeRevenue, A::AgentCommission),
                    ],
                ),
                rule(
                    EventKind::Fee,
                    vec![leg(K::MerchantWithdrawable, K::FeeRevenue, A::MerchantFee)],
                ),
                rule(
                    EventKind::AgentCommission,
                    vec![leg(
                        K::FeeRevenue,
                        K::AgentCommissionPayable,
                        A::AgentCommission,
                    )],
                ),
                rule(
                    EventKind::Clearing,
                    vec![leg(K::MerchantUncleared, K::MerchantCleared, A::Gross)],
                ),
                rule(
                    EventKind::SettlementRun,
                    vec![
                        leg(K::MerchantCleared, K::D0AdvanceReceivable, A::Advance),
                        leg(K::MerchantCleared, K::MerchantReserve, A::Reserve),
                        leg(K::MerchantCleared, K::MerchantWithdrawable, A::Gross),
                    ],
                ),
                rule(
                    EventKind::D0Advance,
                    vec![leg(
                        K::D0AdvanceReceivable,
                        K::MerchantWithdrawable,
                        A::Gross,
                    )],
                ),
                rule(
                    EventKind::ReserveRelease,
                    vec![leg(K::MerchantReserve, K::MerchantWithdrawable, A::Gross)],
                ),
                rule(
                    EventKind::NetworkSettlement,
                    vec![
                        leg(K::SettlementBank, K::NetworkReceivable, A::Gross),
                        leg(K::SchemeCostPayable, K::NetworkReceivable, A::SchemeCost),
                    ],
                ),
                rule(
                    EventKind::Payout,
                    vec![leg(K::MerchantWithdrawable, K::SettlementBank, A::Gross)],
                ),
                rule(
                    EventKind::AgentPayout,
                    vec![leg(
                        K::AgentCommissionPayable,
                        K::SettlementBank,
                        A::AgentCommission,
                    )],
                ),
                rule(
                    EventKind::SuspenseIn,
                    vec![leg(K::SettlementBank, K::Suspense, A::Gross)],
                ),
                rule(
                    EventKind::SuspenseToMerchant,
                    vec![leg(K::Suspense, K::MerchantWithdrawable, A::Gross)],
                ),
            ],
        }
    }

    /// The rule for `kind`.
    #[must_use]
    pub fn rule(&self, kind: EventKind) -> Option<&PostingRule> {
        self.rules.iter().find(|r| r.event == kind)
    }

    /// Append the event's transfers (one linked chain) to `out`. Reusing `out` across events
    /// avoids an allocation per event. Transfer `code` = event kind, `user_data_128` =
    /// merchant id, `user_data_64` = event id, `user_data_32` = leg number.
    pub fn append_transfers(
        &self,
        e: &BusinessEvent,
        out: &mut Vec<Transfer>,
    ) -> Result<usize, PostingError> {
        let rule = self.rule(e.kind).ok_or(PostingError::NoRule(e.kind))?;
        if matches!(
            e.kind,
            EventKind::Sale | EventKind::Void | EventKind::Reversal
        ) && e.amounts.merchant_fee > e.amounts.gross
        {
            return Err(PostingError::FeeExceedsGross {
                fee: e.amounts.merchant_fee,
                gross: e.amounts.gross,
            });
        }
        let start = out.len();
        for (n, l) in rule.legs.iter().enumerate() {
            let amount = e.amounts.get(l.amount);
            if amount == 0 {
                continue;
            }
            let owner = |k: AccountKind| match k.owner() {
                Owner::Platform => Ok(0),
                Owner::Merchant => Ok(e.merchant_id),
                Owner::Agent if e.agent_id == 0 => Err(PostingError::MissingAgent(e.kind)),
                Owner::Agent => Ok(e.agent_id),
            };
            let (dr, cr) = match (owner(l.debit), owner(l.credit)) {
                (Ok(d), Ok(c)) => (d, c),
                (Err(err), _) | (_, Err(err)) => {
                    out.truncate(start);
                    return Err(err);
                }
            };
            out.push(Transfer {
                id: transfer_id(e.kind, e.event_id, n as u8),
                debit_account_id: account_id(l.debit, dr, e.ledger),
                credit_account_id: account_id(l.credit, cr, e.ledger),
                amount,
                user_data_128: u128::from(e.merchant_id),
                user_data_64: e.event_id,
                user_data_32: n as u32,
                ledger: e.ledger,
                code: e.kind as u16,
                flags: TransferFlags::LINKED,
                ..Transfer::default()
            });
        }
        let n = out.len() - start;
        match out.last_mut() {
            Some(last) if n > 0 => {
                last.flags = TransferFlags::NONE;
                Ok(n)
            }
            _ => Err(PostingError::NothingToPost(e.kind)),
        }
    }

    /// The event's transfers as one linked chain.
    pub fn transfers(&self, e: &BusinessEvent) -> Result<Vec<Transfer>, PostingError> {
        let mut out = Vec::with_capacity(4);
        self.append_transfers(e, &mut out)?;
        Ok(out)
    }
}
