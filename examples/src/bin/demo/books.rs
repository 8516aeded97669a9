//! The acquirer's back office: the switch's events priced by `fees`, posted to the `ledger`
//! through the acquirer chart of accounts, and batched for payout by `settlement`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use paycore::calendar::Calendar;
use paycore::fees::{self, FeeQuote, MerchantType, PricingInput, RefundFeePolicy};
use paycore::ledger::chart::{self, AccountKind as K, Amounts, BusinessEvent, EventKind};
use paycore::ledger::chart::{Owner, PostingRules};
use paycore::ledger::withdrawal::{FeeMode, Withdrawal, WithdrawalAction as Act};
use paycore::ledger::withdrawal::{WithdrawalPolicy, WithdrawalRequest};
use paycore::ledger::{CreateTransferResult, Ledger};
use paycore::lifecycle::{self as lc, DomainEvent, EventData};
use paycore::money::Currency;
use paycore::settlement::{self, CarryState, RecordKind, SettlementCycle, TxnRecord};

use crate::{CUTOFF, LEDGER, MERCHANT, MID, Res, beijing, bj, ns, yuan};

/// 提现: at least 100.00, a 2.00 fee deducted inside the amount.
const WITHDRAWAL: WithdrawalPolicy = WithdrawalPolicy {
    min_amount: 10_000,
    max_amount: 5_000_000,
    fee_fixed: 200,
    fee_bps: 0,
    fee_mode: FeeMode::Inside,
};

/// The amounts of a business event, in fen.
fn amounts(gross: i64, merchant_fee: i64, scheme_cost: i64, agent_commission: i64) -> Amounts {
    let u = |v: i64| v as u128; // every caller passes a non-negative fen amount
    Amounts {
        gross: u(gross),
        merchant_fee: u(merchant_fee),
        scheme_cost: u(scheme_cost),
        agent_commission: u(agent_commission),
        ..Amounts::default()
    }
}

/// A captured sale as the books remember it.
pub(crate) struct Sale {
    pub(crate) quote: FeeQuote,
    amounts: Amounts,
    card: fees::CardType,
    day: NaiveDate,
    rrn: String,
    refunded: i64,
}

/// Per network day: what the network owes us, the scheme cost in it, what the merchant is due.
#[derive(Default)]
pub(crate) struct Day {
    receivable: i64,
    cost: i64,
    merchant: i64,
}

/// Fees, ledger and settlement records: where the switch's events land.
pub(crate) struct Books {
    pub(crate) engine: fees::PricingEngine,
    rules: PostingRules,
    pub(crate) ledger: Ledger,
    event_id: u64,
    pub(crate) sales: BTreeMap<lc::TxnKey, Sale>,
    days: BTreeMap<NaiveDate, Day>,
    records: Vec<TxnRecord>,
}

impl Books {
    /// The chart of accounts: platform accounts, the merchant's, one set per agent level.
    pub(crate) fn new(engine: fees::PricingEngine) -> Books {
        let mut accounts = chart::accounts_for(Owner::Platform, 0, LEDGER);
        accounts.extend(chart::accounts_for(Owner::Merchant, MERCHANT, LEDGER));
        // An agent's ledger owner id is its index in the agent tree + 1 (0 means "no agent").
        for agent in 1..=engine.agents().len() as u64 {
            accounts.extend(chart::accounts_for(Owner::Agent, agent, LEDGER));
        }
        let mut ledger = Ledger::new();
        ledger.create_accounts(&accounts, 0);
        let rules = PostingRules::acquirer_default();
        let (sales, days, records) = (BTreeMap::new(), BTreeMap::new(), vec![]);
        Books {
            engine,
            rules,
            ledger,
            event_id: 0,
            sales,
            days,
            records,
        }
    }

    /// Posts one business event as a linked chain of transfers (all or nothing).
    pub(crate) fn post(
        &mut self,
        kind: EventKind,
        agent_id: u64,
        amounts: Amounts,
        at: DateTime<Utc>,
    ) -> Res<()> {
        self.event_id += 1;
        let (event_id, merchant_id, ledger) = (self.event_id, MERCHANT, LEDGER);
        let e = BusinessEvent {
            kind,
            event_id,
            merchant_id,
            agent_id,
            ledger,
            amounts,
        };
        match self
            .ledger
            .create_transfers(&self.rules.transfers(&e)?, ns(at))
            .into_iter()
            .find(|r| *r != CreateTransferResult::Created)
        {
            Some(r) => Err(format!("{kind:?}: {r:?}").into()),
            None => Ok(()),
        }
    }

    /// Posted balance on the account's normal side, and what of it is available.
    pub(crate) fn balance(&self, kind: K, owner: u64) -> (i128, i128) {
        let b = self
            .ledger
            .account(chart::account_id(kind, owner, LEDGER))
            .map(|a| a.balances(kind.normal_side()));
        let get = |v: Option<i128>| v.unwrap_or(0);
        (
            get(b.and_then(|b| b.posted.to_i128())),
            get(b.and_then(|b| b.available.to_i128())),
        )
    }

    /// The merchant's three stages of money: 清分 (uncleared), 清算 (cleared), 结算.
    pub(crate) fn merchant_line(&self) -> String {
        let b = |k| yuan(self.balance(k, MERCHANT).0);
        let (posted, available) = self.balance(K::MerchantWithdrawable, MERCHANT);
        let held = match posted == available {
            true => String::new(),
            false => format!(" (available {}, the rest held)", yuan(available)),
        };
        let (u, c) = (b(K::MerchantUncleared), b(K::MerchantCleared));
        format!(
            "     merchant: uncleared {u} | cleared {c} | withdrawable {}{held}",
            yuan(posted)
        )
    }

    /// Moves a network day's totals; settlement and clearing read them back.
    fn book_day(&mut self, day: NaiveDate, receivable: i64, cost: i64, merchant: i64) {
        let d = self.days.entry(day).or_default();
        (d.receivable, d.cost, d.merchant) = (
            d.receivable + receivable,
            d.cost + cost,
            d.merchant + merchant,
        );
    }

    /// The switch's event as a settlement record (settlement re-prices it from the schedule).
    fn record(
        &mut self,
        d: &EventData,
        kind: RecordKind,
        card: fees::CardType,
        original: Option<(String, i64, i64)>,
    ) {
        let (id, merchant_id, amount_minor) = (d.rrn.clone(), MID.to_owned(), d.amount.minor);
        let (card, channel, at) = (
            Some(card),
            Some(fees::Channel::Chip),
            d.received_at.with_timezone(&beijing()),
        );
        let (original_id, original_amount_minor, refunded_before_minor) = match original {
            Some((id, amount, before)) => (Some(id), Some(amount), Some(before)),
            None => (None, None, None),
        };
        let currency = Currency::CNY;
        self.records.push(TxnRecord {
            id,
            merchant_id,
            kind,
            amount_minor,
            currency,
            at,
            card,
            channel,
            original_id,
            original_amount_minor,
            refunded_before_minor,
        });
    }

    /// Prices and posts one switch event; returns what to print.
    pub(crate) fn on_event(&mut self, e: &DomainEvent) -> Res<Option<String>> {
        Ok(Some(match e {
            DomainEvent::Captured(d) => {
                let card = match d.card.map(|c| c.card_type) {
                    Some(lc::CardType::Credit) => fees::CardType::Credit,
                    _ => fees::CardType::Debit,
                };
                // The switch says `Card` for swipe and chip alike; this POS only takes chips.
                let (amount_minor, channel) = (d.amount.minor, fees::Channel::Chip);
                let input = PricingInput {
                    amount_minor,
                    card,
                    channel,
                    merchant_type: MerchantType::Standard,
                    monthly_volume_minor: 0,
                };
                let q = self.engine.quote(&input, None)?;
                let cost = q.issuer_fee_minor + q.network_fee_minor + q.brand_fee_minor;
                let agents: i64 = q.agents.iter().map(|a| a.profit_minor).sum();
                assert_eq!(
                    q.merchant_fee_minor,
                    cost + agents + q.acquirer_share_minor,
                    "split to the fen"
                );
                // 分润 accrues at the cut-off on the sales that survived the day, so a void
                // or reversal never claws it back: the sale posts gross, fee and cost only.
                let a = amounts(amount_minor, q.merchant_fee_minor, cost, 0);
                self.post(EventKind::Sale, 0, a, d.at)?;
                self.book_day(
                    d.settlement_date,
                    amount_minor,
                    cost,
                    amount_minor - q.merchant_fee_minor,
                );
                self.record(d, RecordKind::Sale, card, None);
                let split: Vec<String> = q.agents.iter().map(|a| yuan(a.profit_minor)).collect();
                let line = format!(
                    "   fee {} ({}) = issuer {} + network {} + 分润 {} + acquirer {}; network day {}",
                    yuan(q.merchant_fee_minor),
                    self.engine.merchant_rule_id(q.merchant_rule),
                    yuan(q.issuer_fee_minor),
                    yuan(q.network_fee_minor),
                    split.join("+"),
                    yuan(q.acquirer_share_minor),
                    d.settlement_date
                );
                let (day, rrn) = (d.settlement_date, d.rrn.clone());
                self.sales.insert(
                    d.key.clone(),
                    Sale {
                        quote: q,
                        amounts: a,
                        card,
                        day,
                        rrn,
                        refunded: 0,
                    },
                );
                line
            }
            // A void names its original; a reversal's key is the reversed sale itself. Both
            // take back exactly what the sale posted (the rules unwind its legs in reverse).
            DomainEvent::Voided(d) | DomainEvent::Reversed(d) => {
                let (kind, key) = match e {
                    DomainEvent::Voided(_) => (EventKind::Void, d.original.clone()),
                    _ => (EventKind::Reversal, Some(d.key.clone())),
                };
                let Some(s) = key.and_then(|k| self.sales.remove(&k)) else {
                    return Ok(None);
                };
                self.post(kind, 0, s.amounts, d.at)?;
                let (gross, fee, cost) = (
                    s.quote.amount_minor,
                    s.quote.merchant_fee_minor,
                    s.amounts.scheme_cost as i64,
                );
                self.book_day(s.day, -gross, -cost, fee - gross);
                self.records.retain(|r| r.id != s.rrn);
                format!(
                    "   ledger: {kind:?} unwinds sale {} and its fee",
                    yuan(gross)
                )
            }
            DomainEvent::Refunded(d) => {
                let Some(s) = d.original.as_ref().and_then(|k| self.sales.get_mut(k)) else {
                    return Ok(None);
                };
                let (gross, fee, cost) = (
                    s.quote.amount_minor,
                    s.quote.merchant_fee_minor,
                    s.amounts.scheme_cost as i64,
                );
                let (policy, rounding, refund) = (
                    self.engine.merchant_schedule().refund_policy(),
                    self.engine.rounding(),
                    d.amount.minor,
                );
                let back =
                    |p, of| fees::refund_fee_returned(p, rounding, gross, of, s.refunded, refund);
                let fee_back = back(policy, fee)?.returned_minor;
                // Issuer and network return their fee pro rata too (IC++); 分润 is kept.
                let cost_back = back(RefundFeePolicy::ProRata, cost)?.returned_minor;
                let original = (s.rrn.clone(), gross, s.refunded);
                s.refunded += refund;
                let card = s.card;
                self.post(
                    EventKind::Refund,
                    0,
                    amounts(refund, fee_back, cost_back, 0),
                    d.at,
                )?;
                self.book_day(d.settlement_date, -refund, -cost_back, fee_back - refund);
                self.record(d, RecordKind::Refund, card, Some(original));
                format!(
                    "   refund {}: fee returned {} ({policy:?}), scheme cost returned {}; network day {}",
                    yuan(refund),
                    yuan(fee_back),
                    yuan(cost_back),
                    d.settlement_date
                )
            }
            DomainEvent::BatchSettled {
                host_totals: h,
                terminal_totals,
                uploaded,
                ..
            } => format!(
                "   host totals: debits {} x{}, credits {} x{}; terminal agrees: {}, upload needed: {uploaded}",
                yuan(h.domestic.debit_amount),
                h.domestic.debit_count,
                yuan(h.domestic.credit_amount),
                h.domestic.credit_count,
                h == terminal_totals
            ),
            _ => return Ok(None),
        }))
    }

    /// The 23:00 cut-off of network day `day`: the merchant's funds move uncleared → cleared
    /// (清分 → 清算) and the agents' profit shares (分润) of the day's sales are accrued.
    pub(crate) fn cut_off(&mut self, day: &str, at: &str) -> Res<()> {
        let day = NaiveDate::parse_from_str(day, "%Y-%m-%d")?;
        let due = self.days.get(&day).map_or(0, |d| d.merchant);
        self.post(EventKind::Clearing, 0, amounts(due, 0, 0, 0), bj(at))?;
        let mut shares = BTreeMap::new();
        let profits: Vec<_> = self
            .sales
            .values()
            .filter(|s| s.day == day)
            .flat_map(|s| s.quote.agents.clone())
            .collect();
        for p in profits.into_iter().filter(|p| p.profit_minor > 0) {
            *shares
                .entry(self.engine.agents().agent_id(p.agent).to_owned())
                .or_insert(0) += p.profit_minor;
            let agent_id = u64::from(p.agent) + 1; // ledger owner id: tree index + 1 (0 = none)
            self.post(
                EventKind::AgentCommission,
                agent_id,
                amounts(0, 0, 0, p.profit_minor),
                bj(at),
            )?;
        }
        let shares: Vec<String> = shares
            .iter()
            .map(|(n, s)| format!("{n} {}", yuan(*s)))
            .collect();
        say!(
            "   cleared {}; 分润 accrued: {}",
            yuan(due),
            shares.join(", ")
        );
        Ok(())
    }

    /// A payout day at `at`: the settlement run batches the records of the network days whose
    /// T+1 is today, on the China calendar; the ledger moves cleared → withdrawable (结算) and
    /// the network pays what it owes, net of the scheme cost. Then the merchant is paid: by
    /// the automatic payout, or by a withdrawal of `withdraw` fen.
    pub(crate) fn settle(
        &mut self,
        terms: &settlement::CompiledTerms,
        cal: &Calendar,
        state: &CarryState,
        at: &str,
        withdraw: Option<u128>,
    ) -> Res<CarryState> {
        let now = bj(at);
        let today = now.with_timezone(&beijing()).date_naive();
        let due: Vec<NaiveDate> = self
            .days
            .keys()
            .copied()
            .filter(|d| {
                SettlementCycle::T1
                    .payout_day(*d, cal)
                    .is_ok_and(|p| p == today)
            })
            .collect();
        let records: Vec<TxnRecord> = self
            .records
            .iter()
            .filter(|r| CUTOFF.settlement_day(r.at).is_ok_and(|d| due.contains(&d)))
            .cloned()
            .collect();
        let run = settlement::settle(&records, &self.engine, terms, cal, state)?;
        for b in &run.batches {
            let days: Vec<_> = due.iter().map(|d| d.format("%m-%d").to_string()).collect();
            let (t, days) = (&b.totals, days.join(" and "));
            say!(
                "   batch {}: network days {days} → payout {}: sales {} − fees {} − refunds {} + fees returned {} = net {}",
                b.batch_id,
                b.payout_day,
                yuan(t.captured_minor),
                yuan(t.fees_minor),
                yuan(t.refunds_minor),
                yuan(t.refunded_fees_minor),
                yuan(b.net_minor)
            );
            let sum = |f: fn(&Day) -> i64| {
                due.iter()
                    .filter_map(|d| self.days.get(d))
                    .map(f)
                    .sum::<i64>()
            };
            let (merchant, owed, cost) =
                (sum(|d| d.merchant), sum(|d| d.receivable), sum(|d| d.cost));
            assert_eq!(
                b.net_minor, merchant,
                "settlement run and ledger agree to the fen"
            );
            self.post(EventKind::SettlementRun, 0, amounts(merchant, 0, 0, 0), now)?;
            self.post(
                EventKind::NetworkSettlement,
                0,
                amounts(owed - cost, 0, cost, 0),
                now,
            )?;
            say!("{}", self.merchant_line());
            let Some(amount) = withdraw else {
                self.post(EventKind::Payout, 0, amounts(b.payout_minor, 0, 0, 0), now)?;
                say!(
                    "   T+1 payout {} to the merchant's bank account",
                    yuan(b.payout_minor)
                );
                say!("{}", self.merchant_line());
                continue;
            };
            // 提现: the request holds the funds (pending transfers), payment posts them.
            let request = WithdrawalRequest {
                withdrawal_id: 1,
                merchant_id: MERCHANT,
                ledger: LEDGER,
                amount,
            };
            let t = ns(bj("2026-10-08 09:00"));
            let mut w = Withdrawal::request(&mut self.ledger, &WITHDRAWAL, request, t)?;
            say!(
                "   09:00 withdrawal requested: {} held",
                yuan(amount as i64)
            );
            say!("{}", self.merchant_line());
            w.apply(&mut self.ledger, Act::Approve, t + 1)?;
            w.apply(&mut self.ledger, Act::Paid, t + 2)?;
            let fee = WITHDRAWAL.fee(amount)?;
            say!(
                "   withdrawal approved and paid: {} to the bank, fee {}",
                yuan((amount - fee) as i64),
                yuan(fee as i64)
            );
            say!("{}", self.merchant_line());
        }
        Ok(run.state)
    }
}
