//! A fixed amount of ledger work for instruction counting (this VM has no hardware
//! counters, so callgrind is the load-independent measure; criterion's wall time swings
//! 1.5× here).
//!
//! Run (counts only `create_transfers`, or the replay, not the workload generation):
//!
//! ```text
//! cargo bench -p paycore-benches --bench ledger_count --no-run
//! valgrind --tool=callgrind --toggle-collect='*Ledger*create_transfers*' \
//!     target/release/deps/ledger_count-<hash> two_leg 20
//! valgrind --tool=callgrind --toggle-collect='*ledger_count*replay_text*' \
//!     target/release/deps/ledger_count-<hash> replay 2
//! ```
//!
//! `two_leg N` stores N batches of 8,190 two-leg transfers; `sale N` posts N batches of
//! 2,047 four-leg linked sales (the rules run outside the counted function); `replay N`
//! replays a journal of N two-leg batches. Without arguments it runs each once, so that
//! `cargo bench` keeps it compiling and working.

use std::hint::black_box;

use paycore::ledger::chart::PostingRules;
use paycore::ledger::{Account, CreateTransferResult, Ledger, Transfer, journal};
use paycore_benches::ledger_workload::{
    BATCH, append_sales, fill_batch, plain_ledger, sale_ledger,
};

fn run(ledger: &mut Ledger, batches: &[Vec<Transfer>]) {
    let mut now = 1_000_000_000u64;
    for batch in batches {
        now += 1_000_000;
        let r = ledger.create_transfers(black_box(batch), now);
        assert!(r.iter().all(|r| *r == CreateTransferResult::Created));
    }
}

fn two_leg(n: usize) {
    let batches: Vec<Vec<Transfer>> = (0..n)
        .map(|b| {
            let mut v = Vec::with_capacity(BATCH);
            fill_batch(&mut v, 1 + (b * BATCH) as u128);
            v
        })
        .collect();
    let mut ledger = plain_ledger(false);
    run(&mut ledger, &batches);
    println!("two_leg: {} transfers", n * BATCH);
}

fn sale(n: usize) {
    let rules = PostingRules::acquirer_default();
    let mut event_id = 0;
    let batches: Vec<Vec<Transfer>> = (0..n)
        .map(|_| {
            let mut v = Vec::with_capacity(BATCH);
            append_sales(&rules, &mut event_id, &mut v);
            v
        })
        .collect();
    let mut ledger = sale_ledger();
    run(&mut ledger, &batches);
    println!(
        "sale: {} sales, {} transfers",
        event_id,
        batches.iter().map(Vec::len).sum::<usize>()
    );
}

#[inline(never)]
fn replay_text(text: &str) -> Ledger {
    journal::replay(text).expect("valid journal")
}

fn replay(n: usize) {
    let mut ledger = Ledger::new();
    let accounts: Vec<Account> = plain_ledger(false)
        .accounts()
        .iter()
        .map(|a| Account { timestamp: 0, ..*a })
        .collect();
    for chunk in accounts.chunks(BATCH) {
        ledger.create_accounts(chunk, 1);
    }
    let mut batch = Vec::with_capacity(BATCH);
    for b in 0..n {
        fill_batch(&mut batch, 1 + (b * BATCH) as u128);
        ledger.create_transfers(&batch, 1_000_000_000 + b as u64);
    }
    let mut text = String::new();
    for r in ledger.take_journal() {
        text.push_str(&r.to_line());
        text.push('\n');
    }
    let replayed = replay_text(black_box(&text));
    assert_eq!(replayed.digest(), ledger.digest());
    println!("replay: {} transfers, {} bytes", n * BATCH, text.len());
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let n = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    match args.first().map(String::as_str) {
        Some("two_leg") => two_leg(n),
        Some("sale") => sale(n),
        Some("replay") => replay(n),
        _ => {
            two_leg(1);
            sale(1);
            replay(1);
        }
    }
}
