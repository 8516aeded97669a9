//! The main demo: one merchant's acquiring day through the whole library, in memory and in
//! virtual time.
//!
//! A POS (`lifecycle::TerminalSession`) talks `cup-pos` ISO 8583 to the acquirer's switch
//! (`lifecycle::AcquirerProcessor`); a simulated card network answers the switch. Every
//! `DomainEvent` the switch emits is priced by `fees` (merchant fee, IC++ costs, agent profit
//! sharing) and posted to a double-entry `ledger` through the acquirer chart of accounts.
//! After the cut-offs, `settlement` computes the payout batches on the China calendar (T+1
//! across National Day), and the payout and a withdrawal (提现) go through the ledger too.
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
use paycore::ledger::withdrawal::{FeeMode, Withdrawal, WithdrawalAction, WithdrawalPolicy};
use paycore::ledger::{CreateTransferResult, Ledger, withdrawal::WithdrawalRequest};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::{self as lc, AcquirerProcessor, DomainEvent, TerminalEvent, TxnKey};
use paycore::money::{Currency, Money};
use paycore::settlement::{self, CarryState, RecordKind, SettlementConfig, TxnRecord};

type Res<T> = Result<T, Box<dyn Error>>;

const MID: &str = "898310048169999";
const MERCHANT: u64 = 898_310_048_169_999; // the ledger's owner id is the MID's digits
const TID: &str = "10000001";
const LEDGER: u32 = 156; // one ledger per currency: CNY, in fen
const DEBIT_PAN: &str = "6228480402564890018";
const CREDIT_PAN: &str = "6222020200112233445";

/// Beijing local time (UTC+8, no DST) → the instant the state machines take.
fn bj(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("demo time");
    beijing()
        .from_local_datetime(&t)
        .unwrap()
        .with_timezone(&Utc)
}
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}
fn yuan(fen: impl TryInto<i64>) -> String {
    Money::from_minor(fen.try_into().unwrap_or(i64::MAX), Currency::CNY).to_plain_string()
}

/// The POS, the switch and a simulated network, wired in memory.
struct Wire {
    pos: lc::TerminalSession,
    host: AcquirerProcessor,
    now: DateTime<Utc>,
    lose_next_response: bool,
    frames: Vec<Vec<u8>>, // every frame of the last exchange, both directions, in order
    t_events: Vec<TerminalEvent>,
    p_events: Vec<DomainEvent>,
}

impl Wire {
    /// Moves frames terminal → switch → network → switch → terminal until all is quiet.
    fn pump(&mut self) -> Res<()> {
        loop {
            let mut moved = false;
            while let Some(f) = self.pos.poll_transmit() {
                moved = true;
                let _ = self.host.handle_terminal(self.now, &f); // a refusal comes back as a frame
                self.frames.push(f);
            }
            while let Some(r) = self.host.poll_network_request() {
                moved = true;
                match r.body {
                    lc::NetworkRequestBody::Reversal { .. } => {
                        self.host.handle_network_reversal_ack(self.now, r.id)?
                    }
                    lc::NetworkRequestBody::Transaction { pan, .. } => {
                        // The issuer knows its card product; the switch learns it from the answer.
                        let card_type = match pan.digits() {
                            CREDIT_PAN => lc::CardType::Credit,
                            _ => lc::CardType::Debit,
                        };
                        let outcome = lc::NetworkOutcome::Approved {
                            auth_code: format!("{:06}", 731_000 + r.id),
                            settlement_date: None, // the switch applies the 23:00 cut-off
                            card: lc::CardProfile {
                                brand: lc::CardBrand::UnionPay,
                                card_type,
                            },
                            balance: None,
                        };
                        let resp = lc::NetworkResponse { id: r.id, outcome };
                        self.host.handle_network_response(self.now, resp)?;
                    }
                }
            }
            while let Some((_, f)) = self.host.poll_terminal_transmit() {
                moved = true;
                self.frames.push(f.clone());
                if !std::mem::take(&mut self.lose_next_response) {
                    let _ = self.pos.handle_response(self.now, &f);
                }
            }
            self.t_events
                .extend(std::iter::from_fn(|| self.pos.poll_event()));
            self.p_events
                .extend(std::iter::from_fn(|| self.host.poll_event()));
            if !moved {
                return Ok(());
            }
        }
    }

    /// Lets virtual time run to `until`, firing the timers of both sides on the way.
    fn advance(&mut self, until: DateTime<Utc>) -> Res<()> {
        while let Some(t) = [self.pos.poll_timeout(), self.host.poll_timeout()]
            .into_iter()
            .flatten()
            .filter(|t| *t <= until)
            .min()
        {
            self.now = self.now.max(t);
            self.pos.handle_timeout(self.now)?;
            self.host.handle_timeout(self.now)?;
            self.pump()?;
        }
        self.now = until;
        Ok(())
    }

    /// Starts a transaction at `at` and delivers everything.
    fn run(&mut self, at: &str, kind: lc::TransactionKind, fen: i64, pan: &str) -> Res<()> {
        let original = match kind {
            lc::TransactionKind::Sale => None,
            _ => self.pos.journal().last().map(|o| lc::OriginalRef {
                txn: o.txn,
                date_mmdd: o.date_mmdd,
                rrn: Some(o.rrn.clone()),
                auth_code: Some(o.auth_code.clone()),
            }),
        };
        let card = lc::CardInput {
            pan: lc::Pan::parse(pan)?,
            entry_mode: lc::EntryMode::Chip,
            pin_block: None,
            icc_data: Some(icc_data(fen)),
            card_sequence: Some(1),
        };
        let amount = lc::Amount::cny(fen)?;
        self.advance(bj(at))?;
        self.frames.clear();
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

/// The chip's field 55 (ARQC, CID, unpredictable number, ATC, TVR, amount, currency, and the
/// track 2 equivalent data, tag 57, which `describe` masks like the PAN).
fn icc_data(fen: i64) -> Vec<u8> {
    let mut tlv = paycore::hex::decode("9F2608A1B2C3D4E5F607189F2701809F370412345678").unwrap();
    tlv.extend(paycore::hex::decode("9F360200219505008004E800").unwrap());
    tlv.extend(paycore::hex::decode(&format!("9F0206{fen:012}5F2A020156")).unwrap());
    tlv.extend(paycore::hex::decode("57136228480402564890018D29122011234567890F").unwrap());
    tlv
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

/// Fees and ledger: where the switch's events land.
struct Books {
    engine: fees::PricingEngine,
    agents: Vec<String>,
    rules: PostingRules,
    ledger: Ledger,
    event_id: u64,
    sales: BTreeMap<TxnKey, Sale>,
    days: BTreeMap<NaiveDate, Day>,
    records: Vec<TxnRecord>,
}

impl Books {
    /// Posts one business event as a linked chain of transfers at virtual time `at`.
    fn post(
        &mut self,
        kind: EventKind,
        agent: u64,
        amounts: Amounts,
        at: DateTime<Utc>,
    ) -> Res<()> {
        self.event_id += 1;
        let e = BusinessEvent {
            kind,
            event_id: self.event_id,
            merchant_id: MERCHANT,
            agent_id: agent,
            ledger: LEDGER,
            amounts,
        };
        let ns = at.timestamp_nanos_opt().unwrap_or_default() as u64;
        for r in self.ledger.create_transfers(&self.rules.transfers(&e)?, ns) {
            if r != CreateTransferResult::Created {
                return Err(format!("{kind:?}: {r:?}").into());
            }
        }
        Ok(())
    }

    /// Posted balance of an account on its normal side (and what is available of it).
    fn balance(&self, kind: K, owner: u64) -> (i128, i128) {
        let a = self.ledger.account(chart::account_id(kind, owner, LEDGER));
        let b = a.map(|a| a.balances(kind.normal_side()));
        let get = |v: Option<i128>| v.unwrap_or(0);
        (
            get(b.and_then(|b| b.posted.to_i128())),
            get(b.and_then(|b| b.available.to_i128())),
        )
    }

    fn merchant_line(&self) -> String {
        let b = |k| yuan(self.balance(k, MERCHANT).0);
        let (posted, available) = self.balance(K::MerchantWithdrawable, MERCHANT);
        let held = if posted == available {
            String::new()
        } else {
            format!(" (available {}, the rest held)", yuan(available))
        };
        format!(
            "      merchant: uncleared {} | cleared {} | withdrawable {}{held}",
            b(K::MerchantUncleared),
            b(K::MerchantCleared),
            yuan(posted)
        )
    }

    /// Prices and posts one switch event; returns what to print.
    fn on_event(&mut self, e: &DomainEvent) -> Res<Option<String>> {
        let line = match e {
            DomainEvent::Captured(d) => {
                let card = match d.card.map(|c| c.card_type) {
                    Some(lc::CardType::Credit) => fees::CardType::Credit,
                    _ => fees::CardType::Debit,
                };
                // The switch says `Card` for swipe and chip alike; this POS only takes chips.
                let input = PricingInput {
                    amount_minor: d.amount.minor,
                    card,
                    channel: fees::Channel::Chip,
                    merchant_type: MerchantType::Standard,
                    monthly_volume_minor: 0,
                };
                let q = self.engine.quote(&input, None)?;
                let cost = q.issuer_fee_minor + q.network_fee_minor + q.brand_fee_minor;
                let agents: i64 = q.agents.iter().map(|a| a.profit_minor).sum();
                assert_eq!(q.merchant_fee_minor, cost + agents + q.acquirer_share_minor);
                // 分润 is accrued at the cut-off on the sales that survive the day, so a
                // void or reversal never has to claw it back: the sale posts fee and cost only.
                let amounts = Amounts {
                    gross: d.amount.minor as u128,
                    merchant_fee: q.merchant_fee_minor as u128,
                    scheme_cost: cost as u128,
                    ..Amounts::default()
                };
                self.post(EventKind::Sale, 0, amounts, d.at)?;
                let day = self.days.entry(d.settlement_date).or_default();
                day.receivable += d.amount.minor;
                day.cost += cost;
                day.merchant += d.amount.minor - q.merchant_fee_minor;
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
                self.records.push(TxnRecord {
                    id: d.rrn.clone(),
                    merchant_id: MID.into(),
                    kind: RecordKind::Sale,
                    amount_minor: d.amount.minor,
                    currency: Currency::CNY,
                    at: d.received_at.with_timezone(&beijing()),
                    card: Some(card),
                    channel: Some(fees::Channel::Chip),
                    original_id: None,
                    original_amount_minor: None,
                    refunded_before_minor: None,
                });
                let (day, rrn) = (d.settlement_date, d.rrn.clone());
                let s = Sale {
                    quote: q,
                    amounts,
                    card,
                    day,
                    rrn,
                    refunded: 0,
                };
                self.sales.insert(d.key.clone(), s);
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
                let day = self.days.entry(s.day).or_default();
                day.receivable -= s.amounts.gross as i64;
                day.cost -= s.amounts.scheme_cost as i64;
                day.merchant -= (s.amounts.gross - s.amounts.merchant_fee) as i64;
                self.records.retain(|r| r.id != s.rrn);
                format!(
                    "    ledger: {kind:?} unwinds sale {} and its fee",
                    yuan(s.amounts.gross)
                )
            }
            DomainEvent::Refunded(d) => {
                let Some(s) = d.original.as_ref().and_then(|k| self.sales.get_mut(k)) else {
                    return Ok(None);
                };
                let (gross, fee) = (s.quote.amount_minor, s.quote.merchant_fee_minor);
                let cost = s.amounts.scheme_cost as i64;
                let policy = self.engine.merchant_schedule().refund_policy();
                let rounding = self.engine.rounding();
                let back = |p, of| {
                    fees::refund_fee_returned(p, rounding, gross, of, s.refunded, d.amount.minor)
                };
                let fee_back = back(policy, fee)?.returned_minor;
                // The issuer and network return their fee pro rata as well (IC++).
                let cost_back = back(RefundFeePolicy::ProRata, cost)?.returned_minor;
                let before = s.refunded;
                s.refunded += d.amount.minor;
                let (card, original_id) = (s.card, s.rrn.clone());
                let amounts = Amounts {
                    gross: d.amount.minor as u128,
                    merchant_fee: fee_back as u128,
                    scheme_cost: cost_back as u128,
                    ..Amounts::default()
                };
                self.post(EventKind::Refund, 0, amounts, d.at)?;
                let day = self.days.entry(d.settlement_date).or_default();
                day.receivable -= d.amount.minor;
                day.cost -= cost_back;
                day.merchant -= d.amount.minor - fee_back;
                self.records.push(TxnRecord {
                    id: d.rrn.clone(),
                    merchant_id: MID.into(),
                    kind: RecordKind::Refund,
                    amount_minor: d.amount.minor,
                    currency: Currency::CNY,
                    at: d.received_at.with_timezone(&beijing()),
                    card: Some(card),
                    channel: Some(fees::Channel::Chip),
                    original_id: Some(original_id),
                    original_amount_minor: Some(gross),
                    refunded_before_minor: Some(before),
                });
                format!(
                    "    refund {}: fee returned {} ({policy:?}), scheme cost returned {}; network day {}",
                    yuan(d.amount.minor),
                    yuan(fee_back),
                    yuan(cost_back),
                    d.settlement_date
                )
            }
            DomainEvent::BatchSettled {
                host_totals,
                terminal_totals,
                uploaded,
                ..
            } => {
                let t = &host_totals.domestic;
                format!(
                    "    host totals: debits {} x{}, credits {} x{}; terminal agrees: {}, upload needed: {uploaded}",
                    yuan(t.debit_amount),
                    t.debit_count,
                    yuan(t.credit_amount),
                    t.credit_count,
                    host_totals == terminal_totals
                )
            }
            _ => return Ok(None),
        };
        Ok(Some(line))
    }

    /// The 23:00 cut-off of network day `day`: the merchant's funds move uncleared → cleared
    /// (清分 → 清算) and the agents' profit shares (分润) of the day's sales are accrued.
    fn cut_off(&mut self, day: NaiveDate, at: DateTime<Utc>) -> Res<String> {
        let due = self.days.get(&day).map_or(0, |d| d.merchant);
        self.post(
            EventKind::Clearing,
            0,
            Amounts {
                gross: due as u128,
                ..Amounts::default()
            },
            at,
        )?;
        let mut shares = vec![0i64; self.agents.len()];
        let profits: Vec<_> = self
            .sales
            .values()
            .filter(|s| s.day == day)
            .flat_map(|s| s.quote.agents.clone())
            .collect();
        for p in profits.into_iter().filter(|p| p.profit_minor > 0) {
            shares[p.agent as usize] += p.profit_minor;
            let a = Amounts {
                agent_commission: p.profit_minor as u128,
                ..Amounts::default()
            };
            self.post(EventKind::AgentCommission, u64::from(p.agent) + 1, a, at)?;
        }
        let names: Vec<String> = self
            .agents
            .iter()
            .zip(&shares)
            .map(|(n, s)| format!("{n} {}", yuan(*s)))
            .collect();
        Ok(format!(
            "    cleared {}; 分润 accrued: {}",
            yuan(due),
            names.join(", ")
        ))
    }

    /// A payout day: the settlement run (清算 → 结算) and the network paying what it owes
    /// for the network days settled, net of the scheme cost.
    fn settle(
        &mut self,
        batch: &settlement::Batch,
        days: &[NaiveDate],
        at: DateTime<Utc>,
    ) -> Res<()> {
        let sum = |f: fn(&Day) -> i64| {
            days.iter()
                .filter_map(|d| self.days.get(d))
                .map(f)
                .sum::<i64>()
        };
        let (due, owed, cost) = (sum(|d| d.merchant), sum(|d| d.receivable), sum(|d| d.cost));
        assert_eq!(
            batch.net_minor, due,
            "settlement run and ledger agree to the fen"
        );
        self.post(
            EventKind::SettlementRun,
            0,
            Amounts {
                gross: due as u128,
                ..Amounts::default()
            },
            at,
        )?;
        let paid = Amounts {
            gross: (owed - cost) as u128,
            scheme_cost: cost as u128,
            ..Amounts::default()
        };
        self.post(EventKind::NetworkSettlement, 0, paid, at)
    }
}

fn main() -> Res<()> {
    let spec = Spec::builtin("cup-pos").ok_or("cup-pos spec")?;
    let config = SettlementConfig::from_json(include_str!("../../data/fee-schedule.json"))?;
    let engine = fees::PricingEngine::new(&config.pricing)?;
    let mut terms = config.settlement.clone();
    terms.reserve = settlement::ReservePolicy::None; // keep the walk short: no rolling reserve
    let terms = terms.compile(Currency::CNY)?;
    let calendar = Calendar::china();

    // Onboarding: the switch knows the terminal, its master key and today's working keys.
    let (tid, mid) = (lc::TerminalId::new(TID)?, lc::MerchantId::new(MID)?);
    let tmk = MasterKey::new(*b"demo-TMK-0123456");
    let mut host =
        AcquirerProcessor::new(lc::ProcessorConfig::default(), lc::InMemoryStore::default());
    host.register_terminal(lc::TerminalProfile {
        terminal_id: tid.clone(),
        merchant_id: mid.clone(),
        tmk: tmk.clone(),
    });
    let keys = WorkingKeys {
        pik: PinKey::new(*b"demo-PIK-0123456"),
        mak: MacKey::new(*b"demo-MAK"),
    };
    host.provide_working_keys(&tid, keys)?;
    let pos = lc::TerminalSession::new(lc::TerminalConfig::new(tid, mid, tmk));
    let start = bj("2026-09-29 09:00");
    let mut w = Wire {
        pos,
        host,
        now: start,
        lose_next_response: false,
        frames: vec![],
        t_events: vec![],
        p_events: vec![],
    };

    let mut accounts = chart::accounts_for(Owner::Platform, 0, LEDGER);
    accounts.extend(chart::accounts_for(Owner::Merchant, MERCHANT, LEDGER));
    let agents: Vec<String> = (0..engine.agents().len() as u32)
        .map(|i| engine.agents().agent_id(i).to_owned())
        .collect();
    for i in 0..agents.len() as u64 {
        accounts.extend(chart::accounts_for(Owner::Agent, i + 1, LEDGER));
    }
    let mut ledger = Ledger::new();
    ledger.create_accounts(&accounts, 0);
    let mut books = Books {
        engine,
        agents,
        rules: PostingRules::acquirer_default(),
        ledger,
        event_id: 0,
        sales: BTreeMap::new(),
        days: BTreeMap::new(),
        records: vec![],
    };

    println!("paycore demo — merchant {MID}, terminal {TID}; times are Beijing (UTC+8)\n");
    println!("1. 2026-09-29 09:00 sign-on (签到)");
    w.pos.sign_on(w.now)?;
    w.pump()?;
    for f in &w.frames {
        let m = iso8583::decode(&spec, f)?;
        let kcv =
            |r: std::ops::Range<usize>| m.get(62).and_then(|v| v.get(r)).map(paycore::hex::encode);
        match (kcv(16..20), kcv(36..40)) {
            (Some(pik), Some(mak)) => println!(
                "   {} STAN {} F39 {} working keys: PIK KCV {pik}, MAK KCV {mak}",
                m.mti(),
                m.text(11).unwrap_or(""),
                m.text(39).unwrap_or("")
            ),
            _ => println!("   {} STAN {}", m.mti(), m.text(11).unwrap_or("")),
        }
    }
    report(&mut w, &mut books)?;

    use lc::TransactionKind as T;
    println!("\n2. 2026-09-29 10:15 chip sale 8888.00, debit card");
    w.run("2026-09-29 10:15", T::Sale, 888_800, DEBIT_PAN)?;
    // The 0200 as the switch receives it, PCI-masked: PAN, and the track 2 equivalent (tag
    // 57) inside F55, show only the first 6 and last 4 digits.
    let sale = iso8583::decode(&spec, &w.frames[0])?;
    println!("   0200 → switch:");
    for l in iso8583::describe(&sale, &spec, true).lines() {
        println!("   {l}");
    }
    let mac = sale
        .get(64)
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    println!("   (F64 is the CUP ECB MAC under the MAK: 8 hex characters \"{mac}\")");
    report(&mut w, &mut books)?;

    println!("\n3. 11:40 sale 256.00, credit card: the 0210 is lost on the way back");
    w.lose_next_response = true;
    w.run("2026-09-29 11:40", T::Sale, 25_600, CREDIT_PAN)?;
    report(&mut w, &mut books)?;
    w.advance(bj("2026-09-29 11:45"))?;
    report(&mut w, &mut books)?;

    println!("\n4. 14:05 sale 99.00, then the cashier voids it (撤销, same day, full amount)");
    w.run("2026-09-29 14:05", T::Sale, 9_900, DEBIT_PAN)?;
    report(&mut w, &mut books)?;
    w.run("2026-09-29 14:07", T::Void, 9_900, DEBIT_PAN)?;
    report(&mut w, &mut books)?;

    let cut = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("demo date");
    println!("\n5. 2026-09-29 23:00 network cut-off");
    println!(
        "{}",
        books.cut_off(cut("2026-09-29"), bj("2026-09-29 23:00"))?
    );
    println!("{}", books.merchant_line());

    // Day 2. The settlement run of the morning pays network day 09-29 (T+1 = 09-30).
    let mut state = CarryState::default();
    println!("\n6. 2026-09-30 08:00 settlement run and T+1 payout");
    state = settle_and_pay(
        &mut books,
        &terms,
        &calendar,
        &state,
        "2026-09-30 08:00",
        None,
    )?;

    println!(
        "\n7. 09:30 sale 3600.00, credit card; 10:00 partial refund 1000.00 of the 8888.00 sale (退货, next day)"
    );
    w.run("2026-09-30 09:30", T::Sale, 360_000, CREDIT_PAN)?;
    report(&mut w, &mut books)?;
    let first = w
        .pos
        .journal()
        .iter()
        .find(|j| j.amount.minor == 888_800)
        .cloned()
        .ok_or("sale")?;
    w.advance(bj("2026-09-30 10:00"))?;
    w.frames.clear();
    let card = lc::CardInput {
        pan: lc::Pan::parse(DEBIT_PAN)?,
        entry_mode: lc::EntryMode::Chip,
        pin_block: None,
        icc_data: None,
        card_sequence: None,
    };
    let original = Some(lc::OriginalRef {
        txn: first.txn,
        date_mmdd: first.date_mmdd,
        rrn: Some(first.rrn),
        auth_code: Some(first.auth_code),
    });
    w.pos.begin(
        w.now,
        lc::TransactionRequest {
            kind: T::Refund,
            amount: lc::Amount::cny(100_000)?,
            card,
            original,
        },
    )?;
    w.pump()?;
    report(&mut w, &mut books)?;

    println!("\n8. 23:00 cut-off; 23:30 sale 1200.00 (after the cut-off: network day 10-01)");
    println!(
        "{}",
        books.cut_off(cut("2026-09-30"), bj("2026-09-30 23:00"))?
    );
    w.run("2026-09-30 23:30", T::Sale, 120_000, DEBIT_PAN)?;
    report(&mut w, &mut books)?;

    println!("\n9. 23:40 batch close (批结算): 0500 with the terminal's totals");
    w.advance(bj("2026-09-30 23:40"))?;
    w.frames.clear();
    w.pos.settle(w.now)?;
    w.pump()?;
    report(&mut w, &mut books)?;

    println!("\n10. National Day: 2026-10-01 23:00 cut-off, then no working day until 10-08");
    println!(
        "{}",
        books.cut_off(cut("2026-10-01"), bj("2026-10-01 23:00"))?
    );
    let at = DateTime::parse_from_rfc3339("2026-09-30T23:30:00+08:00")?;
    let d = settlement::settlement_dates(
        at,
        settlement::SettlementCycle::T1,
        &settlement::NetworkCutoff::UNIONPAY,
        &calendar,
    )?;
    println!(
        "    sale at {at}: network day {}, T+1 payout day {}",
        d.network_day, d.payout_day
    );

    println!(
        "\n11. 2026-10-08 settlement run; the merchant withdraws (提现) 3000.00, fee 2.00 inside"
    );
    settle_and_pay(
        &mut books,
        &terms,
        &calendar,
        &state,
        "2026-10-08 08:00",
        Some(300_000),
    )?;

    println!("\n12. checks");
    books.ledger.check_invariants()?;
    let mut per_ledger: BTreeMap<u32, (u128, u128)> = BTreeMap::new();
    for a in books.ledger.accounts() {
        let (dr, cr) = per_ledger.entry(a.ledger).or_default();
        *dr += a.counters().debits_posted;
        *cr += a.counters().credits_posted;
    }
    for (l, (dr, cr)) in &per_ledger {
        assert_eq!(dr, cr);
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
    let q: Vec<&FeeQuote> = books.sales.values().map(|s| &s.quote).collect();
    let total = |f: fn(&FeeQuote) -> i64| q.iter().map(|q| f(q)).sum::<i64>();
    let fee = total(|q| q.merchant_fee_minor);
    let parts = [
        total(|q| q.issuer_fee_minor),
        total(|q| q.network_fee_minor + q.brand_fee_minor),
        total(|q| q.agents.iter().map(|a| a.profit_minor).sum()),
        total(|q| q.acquirer_share_minor),
    ];
    assert_eq!(fee, parts.iter().sum::<i64>());
    println!(
        "    fee split of the day's sales: {} = issuer {} + network {} + agents {} + acquirer {} ✓",
        yuan(fee),
        yuan(parts[0]),
        yuan(parts[1]),
        yuan(parts[2]),
        yuan(parts[3])
    );
    Ok(())
}

/// Prints (and books) everything the last exchange produced.
fn report(w: &mut Wire, books: &mut Books) -> Res<()> {
    for e in w.t_events.drain(..) {
        let line = match e {
            TerminalEvent::SignedOn { batch } => {
                format!("   POS: signed on, batch {}", batch.value())
            }
            TerminalEvent::Approved {
                txn,
                kind,
                amount,
                auth_code,
                rrn,
                ..
            } => format!(
                "   0210 → POS: {kind:?} {} approved, STAN {:06}, auth code {auth_code}, RRN {rrn}",
                yuan(amount.minor),
                txn.stan.value()
            ),
            TerminalEvent::OutcomeUnknown {
                txn,
                reason,
                reversing,
                ..
            } => format!(
                "   POS: no answer for STAN {:06} ({reason:?}); reversal (冲正, 0400) sent: {reversing}",
                txn.stan.value()
            ),
            TerminalEvent::Reversed { txn, .. } => {
                format!(
                    "   0410 → POS: reversal of STAN {:06} acknowledged",
                    txn.stan.value()
                )
            }
            TerminalEvent::BatchSettled {
                batch, uploaded, ..
            } => {
                format!(
                    "   0510 → POS: batch {} balanced with the host (upload: {uploaded})",
                    batch.value()
                )
            }
            other => format!("   POS: {other:?}"),
        };
        println!("{line}");
    }
    let events: Vec<DomainEvent> = w.p_events.drain(..).collect();
    let mut posted = false;
    for e in &events {
        if let Some(line) = books.on_event(e)? {
            println!("{line}");
            posted |= !matches!(e, DomainEvent::BatchSettled { .. });
        }
    }
    if posted {
        println!("{}", books.merchant_line());
    }
    Ok(())
}

/// One settlement run at `at`: batches the records due by then on the China calendar, posts
/// the run and the network's payment, then pays the merchant — by the automatic T+1 payout,
/// or, with `withdraw`, by a withdrawal the merchant requests from the withdrawable balance.
fn settle_and_pay(
    books: &mut Books,
    terms: &settlement::CompiledTerms,
    calendar: &Calendar,
    state: &CarryState,
    at: &str,
    withdraw: Option<u128>,
) -> Res<CarryState> {
    let now = bj(at);
    let today = now.with_timezone(&beijing()).date_naive();
    let t1 = settlement::SettlementCycle::T1;
    let due: Vec<NaiveDate> = books
        .days
        .keys()
        .copied()
        .filter(|d| t1.payout_day(*d, calendar).is_ok_and(|p| p == today))
        .collect();
    let records: Vec<TxnRecord> = books
        .records
        .iter()
        .filter(|r| {
            settlement::NetworkCutoff::UNIONPAY
                .settlement_day(r.at)
                .is_ok_and(|d| due.contains(&d))
        })
        .cloned()
        .collect();
    let run = settlement::settle(&records, &books.engine, terms, calendar, state)?;
    for b in &run.batches {
        let t = &b.totals;
        println!(
            "    batch {}: network days {:?} → payout {}: sales {} − fees {} − refunds {} + fees returned {} = net {}",
            b.batch_id,
            due.iter()
                .map(|d| d.format("%m-%d").to_string())
                .collect::<Vec<_>>(),
            b.payout_day,
            yuan(t.captured_minor),
            yuan(t.fees_minor),
            yuan(t.refunds_minor),
            yuan(t.refunded_fees_minor),
            yuan(b.net_minor)
        );
        books.settle(b, &due, now)?;
        println!("{}", books.merchant_line());
        match withdraw {
            None => {
                let a = Amounts {
                    gross: b.payout_minor as u128,
                    ..Amounts::default()
                };
                books.post(EventKind::Payout, 0, a, now)?;
                println!(
                    "    T+1 payout {} to the merchant's bank account",
                    yuan(b.payout_minor)
                );
            }
            Some(amount) => {
                let policy = WithdrawalPolicy {
                    min_amount: 10_000,
                    max_amount: 5_000_000,
                    fee_fixed: 200,
                    fee_bps: 0,
                    fee_mode: FeeMode::Inside,
                };
                let request = WithdrawalRequest {
                    withdrawal_id: 1,
                    merchant_id: MERCHANT,
                    ledger: LEDGER,
                    amount,
                };
                let t = now.timestamp_nanos_opt().unwrap_or_default() as u64 + 3_600_000_000_000;
                let mut wd = Withdrawal::request(&mut books.ledger, &policy, request, t)?;
                println!(
                    "    09:00 withdrawal requested: {} held",
                    yuan(amount as i64)
                );
                println!("{}", books.merchant_line());
                wd.apply(&mut books.ledger, WithdrawalAction::Approve, t + 1)?;
                wd.apply(&mut books.ledger, WithdrawalAction::Paid, t + 2)?;
                println!(
                    "    withdrawal approved and paid: {} to the bank, fee {}",
                    yuan(amount as i64 - 200),
                    yuan(200)
                );
            }
        }
        println!("{}", books.merchant_line());
    }
    Ok(run.state)
}
