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
//!
//! `main` below is the story; [`wire`] wires the POS, the switch and the simulated network in
//! memory; [`books`] is the acquirer's back office (fees, ledger, settlement).

/// `println!` that carries on quietly when stdout is closed (`demo | head`) instead of
/// panicking. Defined before the modules so that they can use it too.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod books;
mod wire;

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use paycore::calendar::Calendar;
use paycore::fees::{self, FeeQuote};
use paycore::iso8583::{self, Spec};
use paycore::ledger::chart::{AccountKind as K, Owner};
use paycore::lifecycle::{DomainEvent, TerminalEvent, TransactionKind as T};
use paycore::money::{Currency, Money};
use paycore::settlement::{self, CarryState, SettlementCycle};

use books::Books;
use wire::Wire;

pub(crate) type Res<T> = Result<T, Box<dyn Error>>;

pub(crate) const MID: &str = "898310048169999";
pub(crate) const MERCHANT: u64 = 898_310_048_169_999; // the ledger's owner id: the MID's digits
pub(crate) const TID: &str = "10000001";
pub(crate) const LEDGER: u32 = 156; // one ledger per currency: CNY, in fen
pub(crate) const DEBIT_PAN: &str = "6228480402564890018";
pub(crate) const CREDIT_PAN: &str = "6222020200112233445";
pub(crate) const CUTOFF: settlement::NetworkCutoff = settlement::NetworkCutoff::UNIONPAY;

/// Asia/Shanghai: UTC+8 all year (China has no daylight saving time).
pub(crate) fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}
/// Beijing wall-clock time (no DST) → the instant the state machines and the ledger take.
pub(crate) fn bj(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("demo time");
    beijing().from_local_datetime(&t).unwrap().to_utc()
}
/// The ledger's clock: nanoseconds since the Unix epoch, taken from virtual time.
pub(crate) fn ns(t: DateTime<Utc>) -> u64 {
    t.timestamp_nanos_opt().unwrap_or_default() as u64
}
/// Fen as a plain decimal ("8888.00"): money is printed exactly, never through a float.
pub(crate) fn yuan(fen: impl TryInto<i64>) -> String {
    Money::from_minor(fen.try_into().unwrap_or(i64::MAX), Currency::CNY).to_plain_string()
}
fn main() -> Res<()> {
    let spec = Spec::builtin("cup-pos").ok_or("cup-pos spec")?;
    let config =
        settlement::SettlementConfig::from_json(include_str!("../../../data/fee-schedule.json"))?;
    let mut terms = config.settlement.clone();
    terms.reserve = settlement::ReservePolicy::None; // keep the walk short: no rolling reserve
    let terms = terms.compile(Currency::CNY)?;
    let calendar = Calendar::china();
    let mut books = Books::new(fees::PricingEngine::new(&config.pricing)?);
    let mut w = Wire::new(bj("2026-09-29 09:00"))?;

    say!("paycore demo — merchant {MID}, terminal {TID}; times are Beijing (UTC+8)\n");
    say!("1. 2026-09-29 09:00 sign-on (签到)");
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
        let to = if m.has(39) { "→ POS" } else { "→ switch" };
        match (kcv(16..20), kcv(36..40)) {
            (Some(pik), Some(mak)) => say!(
                "   {mti} {to}: STAN {stan} F39 {} working keys: PIK KCV {pik}, MAK KCV {mak}",
                m.text(39).unwrap_or("")
            ),
            _ => say!("   {mti} {to}: STAN {stan}"),
        }
    }
    report(&mut w, &mut books)?;

    say!("\n2. 2026-09-29 10:15 chip sale 8888.00, debit card");
    w.run("2026-09-29 10:15", T::Sale, 888_800, DEBIT_PAN, None)?;
    // The 0200 as the switch receives it, PCI-masked: the PAN and the track 2 equivalent
    // (tag 57 in F55) show only their first 6 and last 4 digits.
    let sale = iso8583::decode(&spec, &w.frames[0])?;
    say!("   0200 → switch:");
    iso8583::describe(&sale, &spec, true)
        .lines()
        .for_each(|l| say!("   {l}"));
    let mac = sale
        .get(64)
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    say!("   (F64 is the CUP ECB MAC under the MAK: 8 hex characters \"{mac}\")");
    report(&mut w, &mut books)?;
    let big_sale = w.pos.journal().last().cloned();

    say!("\n3. 11:40 sale 256.00, credit card: the 0210 is lost on the way back");
    w.lose_next_response = true;
    w.run("2026-09-29 11:40", T::Sale, 25_600, CREDIT_PAN, None)?;
    report(&mut w, &mut books)?;
    w.advance("2026-09-29 11:45")?; // the POS times out after 60 s and reverses
    report(&mut w, &mut books)?;

    say!("\n4. 14:05 sale 99.00, then the cashier voids it (撤销, same day, full amount)");
    w.run("2026-09-29 14:05", T::Sale, 9_900, DEBIT_PAN, None)?;
    report(&mut w, &mut books)?;
    let small_sale = w.pos.journal().last().cloned();
    w.run("2026-09-29 14:07", T::Void, 9_900, DEBIT_PAN, small_sale)?;
    report(&mut w, &mut books)?;

    say!("\n5. 2026-09-29 23:00 network cut-off");
    books.cut_off("2026-09-29", "2026-09-29 23:00")?;
    say!("{}", books.merchant_line());

    say!("\n6. 2026-09-30 08:00 settlement run and T+1 payout");
    let state = books.settle(
        &terms,
        &calendar,
        &CarryState::default(),
        "2026-09-30 08:00",
        None,
    )?;

    say!(
        "\n7. 09:30 sale 3600.00, credit card; 10:00 partial refund 1000.00 of the 8888.00 sale (退货, next day)"
    );
    w.run("2026-09-30 09:30", T::Sale, 360_000, CREDIT_PAN, None)?;
    report(&mut w, &mut books)?;
    w.run("2026-09-30 10:00", T::Refund, 100_000, DEBIT_PAN, big_sale)?;
    report(&mut w, &mut books)?;

    say!("\n8. 23:00 cut-off; 23:30 sale 1200.00 (after the cut-off: network day 10-01)");
    books.cut_off("2026-09-30", "2026-09-30 23:00")?;
    w.run("2026-09-30 23:30", T::Sale, 120_000, DEBIT_PAN, None)?;
    report(&mut w, &mut books)?;

    say!("\n9. 23:40 batch close (批结算): 0500 with the terminal's totals");
    w.advance("2026-09-30 23:40")?;
    w.pos.settle(w.now)?;
    w.pump()?;
    // F48 holds two halves (domestic, foreign cards) of: debit amount n12, count n3, credit
    // amount n12, count n3, result n1. Shown: the domestic half, split at those widths.
    let close = iso8583::decode(&spec, &w.frames[0])?;
    let f48 = close.text(48).unwrap_or("");
    let cut = [0, 12, 15, 27, 30, 31].map(|i| i.min(f48.len()));
    let half: Vec<&str> = cut.windows(2).map(|r| &f48[r[0]..r[1]]).collect();
    say!(
        "   {} → switch: F48 domestic {}",
        close.mti(),
        half.join(" ")
    );
    report(&mut w, &mut books)?;

    say!("\n10. National Day: 2026-10-01 23:00 cut-off, then no working day until 10-08");
    books.cut_off("2026-10-01", "2026-10-01 23:00")?;
    let at = DateTime::parse_from_rfc3339("2026-09-30T23:30:00+08:00")?;
    let d = settlement::settlement_dates(at, SettlementCycle::T1, &CUTOFF, &calendar)?;
    say!(
        "   sale at {at}: network day {}, T+1 payout day {}",
        d.network_day,
        d.payout_day
    );

    say!("\n11. 2026-10-08 settlement run; the merchant withdraws (提现) 3000.00, fee 2.00 inside");
    books.settle(&terms, &calendar, &state, "2026-10-08 08:00", Some(300_000))?;

    say!("\n12. checks");
    checks(&books)
}

/// Prints (and books) everything the last exchange produced.
fn report(w: &mut Wire, books: &mut Books) -> Res<()> {
    for e in w.t_events.drain(..) {
        match e {
            TerminalEvent::SignedOn { batch } => {
                say!("   POS: signed on, batch {}", batch.value())
            }
            TerminalEvent::Approved {
                txn,
                kind,
                amount,
                auth_code,
                rrn,
                ..
            } => say!(
                "   0210 → POS: {kind:?} {} approved, STAN {:06}, auth code {auth_code}, RRN {rrn}",
                yuan(amount.minor),
                txn.stan.value()
            ),
            TerminalEvent::OutcomeUnknown {
                txn,
                reason,
                reversing,
                ..
            } => say!(
                "   POS: no answer for STAN {:06} ({reason:?}); reversal (冲正, 0400) sent: {reversing}",
                txn.stan.value()
            ),
            TerminalEvent::Reversed { txn, .. } => say!(
                "   0410 → POS: reversal of STAN {:06} acknowledged",
                txn.stan.value()
            ),
            TerminalEvent::BatchSettled {
                batch, uploaded, ..
            } => {
                say!(
                    "   0510 → POS: batch {} balanced with the host (upload: {uploaded})",
                    batch.value()
                )
            }
            other => say!("   POS: {other:?}"),
        }
    }
    let mut moved_money = false;
    for e in std::mem::take(&mut w.p_events) {
        if let Some(line) = books.on_event(&e)? {
            say!("{line}");
            moved_money |= !matches!(e, DomainEvent::BatchSettled { .. });
        }
    }
    if moved_money {
        say!("{}", books.merchant_line());
    }
    Ok(())
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
        say!(
            "   ledger {l}: Σ debits {} == Σ credits {} ✓",
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
    say!(
        "   clearing accounts (network receivable, uncleared, cleared, scheme cost) are back at 0 ✓"
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
    say!(
        "   fee split of the day's sales: {} = issuer {issuer} + network {network} + agents {agents} + acquirer {acquirer} ✓",
        yuan(fee)
    );
    Ok(())
}
