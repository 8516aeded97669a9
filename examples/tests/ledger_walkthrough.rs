//! The ledger walk-through of `README.md`: a sale posted, a partial refund, a payout and
//! a withdrawal, with the merchant's balances after each. The README's Rust block and its
//! printed balances are checked against this file, so the README cannot drift.

use paycore::ledger::chart::{self, AccountKind as K, Amounts, BusinessEvent, EventKind, Owner};
use paycore::ledger::withdrawal::{FeeMode, Withdrawal, WithdrawalAction, WithdrawalPolicy};
use paycore::ledger::{CreateTransferResult, Ledger, withdrawal::WithdrawalRequest};
use paycore::money::{Currency, Money};

const CNY: u32 = 156; // one ledger per currency, amounts in fen
const M: u64 = 42; // the merchant

/// The merchant's uncleared / cleared / withdrawable balances and the platform's fee revenue.
fn balances(ledger: &Ledger, step: &str) -> String {
    let get = |k: K, owner| {
        let a = ledger.account(chart::account_id(k, owner, CNY)).unwrap();
        let b = a.balances(k.normal_side());
        let fen = |v: paycore::ledger::SignedAmount| v.to_i128().unwrap() as i64;
        let (posted, available) = (fen(b.posted), fen(b.available));
        let y = |f| Money::from_minor(f, Currency::CNY).to_plain_string();
        match posted == available {
            true => y(posted),
            false => format!("{} (available {})", y(posted), y(available)),
        }
    };
    format!(
        "{step:<22} uncleared {} | cleared {} | withdrawable {} | fee revenue {}",
        get(K::MerchantUncleared, M),
        get(K::MerchantCleared, M),
        get(K::MerchantWithdrawable, M),
        get(K::FeeRevenue, 0)
    )
}

#[rustfmt::skip] // kept compact: README.md shows this code verbatim
fn walk_through() -> Vec<String> {
    let mut lines = Vec::new();
    // README-BEGIN
    let mut ledger = Ledger::new();
    let accounts = [chart::accounts_for(Owner::Platform, 0, CNY), chart::accounts_for(Owner::Merchant, M, CNY)];
    ledger.create_accounts(&accounts.concat(), 1);
    let rules = chart::PostingRules::acquirer_default();
    let mut step = |ledger: &mut Ledger, id, kind, amounts: Amounts, label: &str| {
        let e = BusinessEvent { kind, event_id: id, merchant_id: M, agent_id: 0, ledger: CNY, amounts };
        let results = ledger.create_transfers(&rules.transfers(&e).unwrap(), ledger.clock() + 1);
        assert!(results.iter().all(|r| *r == CreateTransferResult::Created)); // one linked chain
        if !label.is_empty() { lines.push(balances(ledger, label)) }
    };
    let amt = |gross, merchant_fee, scheme_cost| Amounts { gross, merchant_fee, scheme_cost, ..Amounts::default() };
    // Sale ¥100.00 (MDR 0.60, issuer + network cost 0.45); next day ¥20.00 back, pro rata.
    step(&mut ledger, 1, EventKind::Sale, amt(10_000, 60, 45), "sale 100.00");
    step(&mut ledger, 2, EventKind::Refund, amt(2_000, 12, 9), "refund 20.00");
    // Cut-off (清分 → 清算), settlement run (结算); the network pays 80.00 − 0.36 cost.
    step(&mut ledger, 3, EventKind::Clearing, amt(7_952, 0, 0), "");
    step(&mut ledger, 4, EventKind::SettlementRun, amt(7_952, 0, 0), "");
    step(&mut ledger, 5, EventKind::NetworkSettlement, amt(7_964, 0, 36), "cleared and settled");
    step(&mut ledger, 6, EventKind::Payout, amt(5_000, 0, 0), "payout 50.00");
    // 提现 of ¥20.00, fee ¥2.00 inside: the request holds the funds, payment posts them.
    let policy = WithdrawalPolicy { min_amount: 100, max_amount: 1_000_000, fee_fixed: 200, fee_bps: 0, fee_mode: FeeMode::Inside };
    let request = WithdrawalRequest { withdrawal_id: 1, merchant_id: M, ledger: CNY, amount: 2_000 };
    let now = ledger.clock() + 1;
    let mut w = Withdrawal::request(&mut ledger, &policy, request, now).unwrap();
    lines.push(balances(&ledger, "withdrawal requested"));
    w.apply(&mut ledger, WithdrawalAction::Approve, now + 1).unwrap();
    w.apply(&mut ledger, WithdrawalAction::Paid, now + 2).unwrap();
    lines.push(balances(&ledger, "withdrawal paid"));
    ledger.check_invariants().unwrap(); // Σ debits = Σ credits; balances match the transfers
    // README-END
    lines
}

const EXPECTED: [&str; 6] = [
    "sale 100.00            uncleared 99.40 | cleared 0.00 | withdrawable 0.00 | fee revenue 0.15",
    "refund 20.00           uncleared 79.52 | cleared 0.00 | withdrawable 0.00 | fee revenue 0.12",
    "cleared and settled    uncleared 0.00 | cleared 0.00 | withdrawable 79.52 | fee revenue 0.12",
    "payout 50.00           uncleared 0.00 | cleared 0.00 | withdrawable 29.52 | fee revenue 0.12",
    "withdrawal requested   uncleared 0.00 | cleared 0.00 | withdrawable 29.52 (available 9.52) | fee revenue 0.12",
    "withdrawal paid        uncleared 0.00 | cleared 0.00 | withdrawable 9.52 | fee revenue 2.12",
];

#[test]
fn sale_refund_payout_withdrawal_balances() {
    assert_eq!(walk_through(), EXPECTED);
}

/// The README shows exactly the code between the markers above and exactly these balances.
#[test]
fn readme_demo_matches_this_test() {
    let readme = include_str!("../../README.md");
    let me = include_str!("ledger_walkthrough.rs");
    let start = me.find("// README-BEGIN\n").unwrap() + "// README-BEGIN\n".len();
    let end = me.find("    // README-END").unwrap();
    let code: Vec<&str> = me[start..end]
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect();
    let block = readme
        .split("### The ledger alone")
        .nth(1)
        .expect("README has the ledger walk-through section")
        .split("```rust\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a rust block in README.md");
    assert_eq!(block.lines().collect::<Vec<_>>(), code);
    for line in EXPECTED {
        assert!(readme.contains(line), "README.md lacks {line:?}");
    }
}
