//! The main demo: one merchant's acquiring day through the whole library, in memory and in
//! virtual time.
//!
//! A POS (`lifecycle::TerminalSession`) talks `cup-pos` ISO 8583 to the acquirer's switch
//! (`lifecycle::AcquirerProcessor`); a simulated card network answers the switch. Every
//! `DomainEvent` the switch emits is priced by `fees` (merchant fee, IC++ costs, agent profit
//! sharing) and posted to a double-entry `ledger` through the acquirer chart of accounts.
//! After the cut-offs, `settlement` batches the payouts on the China calendar (T+1 across
//! National Day), and the payout and a withdrawal (提现) go through the ledger too.
//!
//! Nothing reads a clock or a random source: times are fixed Beijing times, keys are fixed,
//! so the output is the same on every run (`examples/tests/cli.rs` checks it).

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use paycore::calendar::Calendar;
use paycore::fees::{self, FeeQuote, MerchantType, PricingInput, RefundFeePolicy};
use paycore::iso8583::{self, Spec};
use paycore::ledger::chart::{self, AccountKind as K, Amounts, BusinessEvent, EventKind};
use paycore::ledger::chart::{Owner, PostingRules};
use paycore::ledger::withdrawal::{FeeMode, Withdrawal, WithdrawalAction as Act};
use paycore::ledger::withdrawal::{WithdrawalPolicy, WithdrawalRequest};
use paycore::ledger::{CreateTransferResult, Ledger};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::{self as lc, DomainEvent, EventData, TerminalEvent, TransactionKind as T};
use paycore::money::{Currency, Money};
use paycore::settlement::{self, CarryState, RecordKind, SettlementCycle, TxnRecord};

type Res<T> = Result<T, Box<dyn Error>>;

const MID: &str = "898310048169999";
const MERCHANT: u64 = 898_310_048_169_999; // the ledger's owner id: the MID's digits
const TID: &str = "10000001";
const LEDGER: u32 = 156; // one ledger per currency: CNY, in fen
const DEBIT_PAN: &str = "6228480402564890018";
const CREDIT_PAN: &str = "6222020200112233445";
const CUTOFF: settlement::NetworkCutoff = settlement::NetworkCutoff::UNIONPAY;
/// 提现: at least 100.00, a 2.00 fee deducted inside the amount.
const WITHDRAWAL: WithdrawalPolicy = WithdrawalPolicy {
    min_amount: 10_000,
    max_amount: 5_000_000,
    fee_fixed: 200,
    fee_bps: 0,
    fee_mode: FeeMode::Inside,
};

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}
/// Beijing wall-clock time (no DST) → the instant the state machines and the ledger take.
fn bj(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("demo time");
    beijing().from_local_datetime(&t).unwrap().to_utc()
}
fn ns(t: DateTime<Utc>) -> u64 {
    t.timestamp_nanos_opt().unwrap_or_default() as u64
}
fn yuan(fen: impl TryInto<i64>) -> String {
    Money::from_minor(fen.try_into().unwrap_or(i64::MAX), Currency::CNY).to_plain_string()
}
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

/// The POS, the switch and a simulated card network, wired in memory.
struct Wire {
    pos: lc::TerminalSession,
    host: lc::AcquirerProcessor,
    now: DateTime<Utc>,
    lose_next_response: bool,
    frames: Vec<Vec<u8>>, // the last exchange's frames, both directions, in order
    t_events: Vec<TerminalEvent>,
    p_events: Vec<DomainEvent>,
}

impl Wire {
    /// Onboarding: the switch knows the terminal, its master key and today's working keys.
    fn new(now: DateTime<Utc>) -> Res<Wire> {
        let (tid, mid) = (lc::TerminalId::new(TID)?, lc::MerchantId::new(MID)?);
        let tmk = MasterKey::new(*b"demo-TMK-0123456");
        let (config, store) = (lc::ProcessorConfig::default(), lc::InMemoryStore::default());
        let mut host = lc::AcquirerProcessor::new(config, store);
        let (terminal_id, merchant_id) = (tid.clone(), mid.clone());
        host.register_terminal(lc::TerminalProfile {
            terminal_id,
            merchant_id,
            tmk: tmk.clone(),
        });
        let keys = WorkingKeys {
            pik: PinKey::new(*b"demo-PIK-0123456"),
            mak: MacKey::new(*b"demo-MAK"),
        };
        host.provide_working_keys(&tid, keys)?;
        let pos = lc::TerminalSession::new(lc::TerminalConfig::new(tid, mid, tmk));
        let (frames, t_events, p_events) = (vec![], vec![], vec![]);
        Ok(Wire {
            pos,
            host,
            now,
            lose_next_response: false,
            frames,
            t_events,
            p_events,
        })
    }

    /// Moves frames POS → switch → network → switch → POS until all is quiet.
    fn pump(&mut self) -> Res<()> {
        let mut moved = true;
        while moved {
            moved = false;
            while let Some(f) = self.pos.poll_transmit() {
                moved = true;
                let _ = self.host.handle_terminal(self.now, &f); // refusals come back as frames
                self.frames.push(f);
            }
            while let Some(r) = self.host.poll_network_request() {
                moved = true;
                let lc::NetworkRequestBody::Transaction { pan, .. } = r.body else {
                    self.host.handle_network_reversal_ack(self.now, r.id)?;
                    continue;
                };
                // The issuer knows its card product; the switch learns it from the answer.
                let card_type = if pan.digits() == CREDIT_PAN {
                    lc::CardType::Credit
                } else {
                    lc::CardType::Debit
                };
                let outcome = lc::NetworkOutcome::Approved {
                    auth_code: format!("{:06}", 731_000 + r.id),
                    settlement_date: None, // the switch applies the 23:00 cut-off itself
                    card: lc::CardProfile {
                        brand: lc::CardBrand::UnionPay,
                        card_type,
                    },
                    balance: None,
                };
                self.host
                    .handle_network_response(self.now, lc::NetworkResponse { id: r.id, outcome })?;
            }
            while let Some((_, f)) = self.host.poll_terminal_transmit() {
                moved = true;
                if !std::mem::take(&mut self.lose_next_response) {
                    let _ = self.pos.handle_response(self.now, &f);
                }
                self.frames.push(f);
            }
        }
        self.t_events
            .extend(std::iter::from_fn(|| self.pos.poll_event()));
        self.p_events
            .extend(std::iter::from_fn(|| self.host.poll_event()));
        Ok(())
    }

    /// Lets virtual time run to `until`, firing the timers of both sides on the way.
    fn advance(&mut self, until: &str) -> Res<()> {
        let until = bj(until);
        let due = |w: &Wire| {
            [w.pos.poll_timeout(), w.host.poll_timeout()]
                .into_iter()
                .flatten()
                .filter(|t| *t <= until)
                .min()
        };
        while let Some(t) = due(self) {
            self.now = self.now.max(t);
            self.pos.handle_timeout(self.now)?;
            self.host.handle_timeout(self.now)?;
            self.pump()?;
        }
        self.now = until;
        self.frames.clear();
        Ok(())
    }

    /// A chip transaction at `at`; voids and refunds name their original journal entry.
    fn run(
        &mut self,
        at: &str,
        kind: T,
        fen: i64,
        pan: &str,
        original: Option<lc::JournalEntry>,
    ) -> Res<()> {
        let original = original.map(|o| lc::OriginalRef {
            txn: o.txn,
            date_mmdd: o.date_mmdd,
            rrn: Some(o.rrn),
            auth_code: Some(o.auth_code),
        });
        let (pan, entry_mode) = (lc::Pan::parse(pan)?, lc::EntryMode::Chip);
        let card = lc::CardInput {
            pan,
            entry_mode,
            pin_block: None,
            icc_data: Some(icc_data(fen)),
            card_sequence: Some(1),
        };
        self.advance(at)?;
        let amount = lc::Amount::cny(fen)?;
        self.pos.begin(
            self.now,
            lc::TransactionRequest {
                kind,
                amount,
                card,
                original,
            },
        )?;
        self.pump()
    }
}

/// The chip's field 55: ARQC, CID, unpredictable number, ATC, TVR, amount, currency and the
/// track 2 equivalent data (tag 57), which `describe` masks like the PAN.
fn icc_data(fen: i64) -> Vec<u8> {
    let hex = format!(
        "9F2608A1B2C3D4E5F607189F2701809F3704123456789F360200219505008004E800\
         9F0206{fen:012}5F2A02015657136228480402564890018D29122011234567890F"
    );
    paycore::hex::decode(&hex).expect("valid hex")
}

/// A captured sale as the books remember it.
struct Sale {
    quote: FeeQuote,
    amounts: Amounts,
    card: fees::CardType,
    day: NaiveDate,
    rrn: String,
    refunded: i64,
}

/// Per network day: what the network owes us, the scheme cost in it, what the merchant is due.
#[derive(Default)]
struct Day {
    receivable: i64,
    cost: i64,
    merchant: i64,
}

/// Fees, ledger and settlement records: where the switch's events land.
struct Books {
    engine: fees::PricingEngine,
    rules: PostingRules,
    ledger: Ledger,
    event_id: u64,
    sales: BTreeMap<lc::TxnKey, Sale>,
    days: BTreeMap<NaiveDate, Day>,
    records: Vec<TxnRecord>,
}

impl Books {
    /// The chart of accounts: platform accounts, the merchant's, one set per agent level.
    fn new(engine: fees::PricingEngine) -> Books {
        let mut accounts = chart::accounts_for(Owner::Platform, 0, LEDGER);
        accounts.extend(chart::accounts_for(Owner::Merchant, MERCHANT, LEDGER));
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
    fn post(
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
    fn balance(&self, kind: K, owner: u64) -> (i128, i128) {
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

    fn merchant_line(&self) -> String {
        let b = |k| yuan(self.balance(k, MERCHANT).0);
        let (posted, available) = self.balance(K::MerchantWithdrawable, MERCHANT);
        let held = match posted == available {
            true => String::new(),
            false => format!(" (available {}, the rest held)", yuan(available)),
        };
        let (u, c) = (b(K::MerchantUncleared), b(K::MerchantCleared));
        format!(
            "      merchant: uncleared {u} | cleared {c} | withdrawable {}{held}",
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
    fn on_event(&mut self, e: &DomainEvent) -> Res<Option<String>> {
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
                    "    fee {} ({}) = issuer {} + network {} + 分润 {} + acquirer {}; network day {}",
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
                    "    ledger: {kind:?} unwinds sale {} and its fee",
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
                    "    refund {}: fee returned {} ({policy:?}), scheme cost returned {}; network day {}",
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
                "    host totals: debits {} x{}, credits {} x{}; terminal agrees: {}, upload needed: {uploaded}",
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
    fn cut_off(&mut self, day: &str, at: &str) -> Res<()> {
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
            let agent_id = u64::from(p.agent) + 1;
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
        println!(
            "    cleared {}; 分润 accrued: {}",
            yuan(due),
            shares.join(", ")
        );
        Ok(())
    }

    /// A payout day at `at`: the settlement run batches the records of the network days whose
    /// T+1 is today, on the China calendar; the ledger moves cleared → withdrawable (结算) and
    /// the network pays what it owes, net of the scheme cost. Then the merchant is paid: by
    /// the automatic payout, or by a withdrawal of `withdraw` fen.
    fn settle(
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
            let (t, days): (_, Vec<_>) = (
                &b.totals,
                due.iter().map(|d| d.format("%m-%d").to_string()).collect(),
            );
            println!(
                "    batch {}: network days {days:?} → payout {}: sales {} − fees {} − refunds {} + fees returned {} = net {}",
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
            println!("{}", self.merchant_line());
            let Some(amount) = withdraw else {
                self.post(EventKind::Payout, 0, amounts(b.payout_minor, 0, 0, 0), now)?;
                println!(
                    "    T+1 payout {} to the merchant's bank account",
                    yuan(b.payout_minor)
                );
                println!("{}", self.merchant_line());
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
            println!(
                "    09:00 withdrawal requested: {} held",
                yuan(amount as i64)
            );
            println!("{}", self.merchant_line());
            w.apply(&mut self.ledger, Act::Approve, t + 1)?;
            w.apply(&mut self.ledger, Act::Paid, t + 2)?;
            let fee = WITHDRAWAL.fee(amount)?;
            println!(
                "    withdrawal approved and paid: {} to the bank, fee {}",
                yuan((amount - fee) as i64),
                yuan(fee as i64)
            );
            println!("{}", self.merchant_line());
        }
        Ok(run.state)
    }
}

/// Prints (and books) everything the last exchange produced.
fn report(w: &mut Wire, books: &mut Books) -> Res<()> {
    for e in w.t_events.drain(..) {
        match e {
            TerminalEvent::SignedOn { batch } => {
                println!("   POS: signed on, batch {}", batch.value())
            }
            TerminalEvent::Approved {
                txn,
                kind,
                amount,
                auth_code,
                rrn,
                ..
            } => println!(
                "   0210 → POS: {kind:?} {} approved, STAN {:06}, auth code {auth_code}, RRN {rrn}",
                yuan(amount.minor),
                txn.stan.value()
            ),
            TerminalEvent::OutcomeUnknown {
                txn,
                reason,
                reversing,
                ..
            } => println!(
                "   POS: no answer for STAN {:06} ({reason:?}); reversal (冲正, 0400) sent: {reversing}",
                txn.stan.value()
            ),
            TerminalEvent::Reversed { txn, .. } => println!(
                "   0410 → POS: reversal of STAN {:06} acknowledged",
                txn.stan.value()
            ),
            TerminalEvent::BatchSettled {
                batch, uploaded, ..
            } => {
                println!(
                    "   0510 → POS: batch {} balanced with the host (upload: {uploaded})",
                    batch.value()
                )
            }
            other => println!("   POS: {other:?}"),
        }
    }
    let mut moved_money = false;
    for e in std::mem::take(&mut w.p_events) {
        if let Some(line) = books.on_event(&e)? {
            println!("{line}");
            moved_money |= !matches!(e, DomainEvent::BatchSettled { .. });
        }
    }
    if moved_money {
        println!("{}", books.merchant_line());
    }
    Ok(())
}

fn main() -> Res<()> {
    let spec = Spec::builtin("cup-pos").ok_or("cup-pos spec")?;
    let config =
        settlement::SettlementConfig::from_json(include_str!("../../data/fee-schedule.json"))?;
    let mut terms = config.settlement.clone();
    terms.reserve = settlement::ReservePolicy::None; // keep the walk short: no rolling reserve
    let terms = terms.compile(Currency::CNY)?;
    let calendar = Calendar::china();
    let mut books = Books::new(fees::PricingEngine::new(&config.pricing)?);
    let mut w = Wire::new(bj("2026-09-29 09:00"))?;

    println!("paycore demo — merchant {MID}, terminal {TID}; times are Beijing (UTC+8)\n");
    println!("1. 2026-09-29 09:00 sign-on (签到)");
    w.pos.sign_on(w.now)?;
    w.pump()?;
    for f in &w.frames {
        // F62 of the 0810: PIK (16) + check value (4) + MAK (16) + check value (4).
        let m = iso8583::decode(&spec, f)?;
        let kcv = |r| {
            m.get(62)
                .and_then(|v: &[u8]| v.get(r))
                .map(paycore::hex::encode)
        };
        let (mti, stan) = (m.mti(), m.text(11).unwrap_or(""));
        match (kcv(16..20), kcv(36..40)) {
            (Some(pik), Some(mak)) => println!(
                "   {mti} STAN {stan} F39 {} working keys: PIK KCV {pik}, MAK KCV {mak}",
                m.text(39).unwrap_or("")
            ),
            _ => println!("   {mti} STAN {stan}"),
        }
    }
    report(&mut w, &mut books)?;

    println!("\n2. 2026-09-29 10:15 chip sale 8888.00, debit card");
    w.run("2026-09-29 10:15", T::Sale, 888_800, DEBIT_PAN, None)?;
    // The 0200 as the switch receives it, PCI-masked: the PAN and the track 2 equivalent
    // (tag 57 in F55) show only their first 6 and last 4 digits.
    let sale = iso8583::decode(&spec, &w.frames[0])?;
    println!("   0200 → switch:");
    iso8583::describe(&sale, &spec, true)
        .lines()
        .for_each(|l| println!("   {l}"));
    let mac = sale
        .get(64)
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    println!("   (F64 is the CUP ECB MAC under the MAK: 8 hex characters \"{mac}\")");
    report(&mut w, &mut books)?;
    let big_sale = w.pos.journal().last().cloned();

    println!("\n3. 11:40 sale 256.00, credit card: the 0210 is lost on the way back");
    w.lose_next_response = true;
    w.run("2026-09-29 11:40", T::Sale, 25_600, CREDIT_PAN, None)?;
    report(&mut w, &mut books)?;
    w.advance("2026-09-29 11:45")?; // the POS times out after 60 s and reverses
    report(&mut w, &mut books)?;

    println!("\n4. 14:05 sale 99.00, then the cashier voids it (撤销, same day, full amount)");
    w.run("2026-09-29 14:05", T::Sale, 9_900, DEBIT_PAN, None)?;
    report(&mut w, &mut books)?;
    let small_sale = w.pos.journal().last().cloned();
    w.run("2026-09-29 14:07", T::Void, 9_900, DEBIT_PAN, small_sale)?;
    report(&mut w, &mut books)?;

    println!("\n5. 2026-09-29 23:00 network cut-off");
    books.cut_off("2026-09-29", "2026-09-29 23:00")?;
    println!("{}", books.merchant_line());

    println!("\n6. 2026-09-30 08:00 settlement run and T+1 payout");
    let state = books.settle(
        &terms,
        &calendar,
        &CarryState::default(),
        "2026-09-30 08:00",
        None,
    )?;

    println!(
        "\n7. 09:30 sale 3600.00, credit card; 10:00 partial refund 1000.00 of the 8888.00 sale (退货, next day)"
    );
    w.run("2026-09-30 09:30", T::Sale, 360_000, CREDIT_PAN, None)?;
    report(&mut w, &mut books)?;
    w.run("2026-09-30 10:00", T::Refund, 100_000, DEBIT_PAN, big_sale)?;
    report(&mut w, &mut books)?;

    println!("\n8. 23:00 cut-off; 23:30 sale 1200.00 (after the cut-off: network day 10-01)");
    books.cut_off("2026-09-30", "2026-09-30 23:00")?;
    w.run("2026-09-30 23:30", T::Sale, 120_000, DEBIT_PAN, None)?;
    report(&mut w, &mut books)?;

    println!("\n9. 23:40 batch close (批结算): 0500 with the terminal's totals");
    w.advance("2026-09-30 23:40")?;
    w.pos.settle(w.now)?;
    w.pump()?;
    report(&mut w, &mut books)?;

    println!("\n10. National Day: 2026-10-01 23:00 cut-off, then no working day until 10-08");
    books.cut_off("2026-10-01", "2026-10-01 23:00")?;
    let at = DateTime::parse_from_rfc3339("2026-09-30T23:30:00+08:00")?;
    let d = settlement::settlement_dates(at, SettlementCycle::T1, &CUTOFF, &calendar)?;
    println!(
        "    sale at {at}: network day {}, T+1 payout day {}",
        d.network_day, d.payout_day
    );

    println!(
        "\n11. 2026-10-08 settlement run; the merchant withdraws (提现) 3000.00, fee 2.00 inside"
    );
    books.settle(&terms, &calendar, &state, "2026-10-08 08:00", Some(300_000))?;

    println!("\n12. checks");
    checks(&books)
}

/// The books balance: per ledger Σ debits = Σ credits, the clearing accounts are back at zero
/// after a full cycle, and every fee split adds back to its fee to the fen.
fn checks(books: &Books) -> Res<()> {
    books.ledger.check_invariants()?;
    let mut per_ledger: BTreeMap<u32, (u128, u128)> = BTreeMap::new();
    for a in books.ledger.accounts() {
        let (dr, cr) = per_ledger.entry(a.ledger).or_default();
        (*dr, *cr) = (
            *dr + a.counters().debits_posted,
            *cr + a.counters().credits_posted,
        );
    }
    for (l, (dr, cr)) in &per_ledger {
        assert_eq!(dr, cr, "ledger {l} is unbalanced");
        println!(
            "    ledger {l}: Σ debits {} == Σ credits {} ✓",
            yuan(*dr as i64),
            yuan(*cr as i64)
        );
    }
    for k in [
        K::NetworkReceivable,
        K::MerchantUncleared,
        K::MerchantCleared,
        K::SchemeCostPayable,
    ] {
        let owner = if k.owner() == Owner::Merchant {
            MERCHANT
        } else {
            0
        };
        assert_eq!(
            books.balance(k, owner),
            (0, 0),
            "{k:?} is a clearing account"
        );
    }
    println!(
        "    clearing accounts (network receivable, uncleared, cleared, scheme cost) are back at 0 ✓"
    );
    let total = |f: fn(&FeeQuote) -> i64| books.sales.values().map(|s| f(&s.quote)).sum::<i64>();
    let fee = total(|q| q.merchant_fee_minor);
    let parts = [
        total(|q| q.issuer_fee_minor),
        total(|q| q.network_fee_minor + q.brand_fee_minor),
        total(|q| q.agents.iter().map(|a| a.profit_minor).sum()),
        total(|q| q.acquirer_share_minor),
    ];
    assert_eq!(
        fee,
        parts.iter().sum::<i64>(),
        "the fee split adds back to the fee"
    );
    let [issuer, network, agents, acquirer] = parts.map(yuan);
    println!(
        "    fee split of the day's sales: {} = issuer {issuer} + network {network} + agents {agents} + acquirer {acquirer} ✓",
        yuan(fee)
    );
    Ok(())
}
