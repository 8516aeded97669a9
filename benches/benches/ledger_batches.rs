//! Ledger memory per account and per transfer (issue 8's closing note), and per-batch
//! timing quantiles that stay readable on a shared machine.
//!
//! Run: `cargo bench -p paycore-benches --bench ledger_batches`; prefix it with
//! `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` to see the same work on transparent huge pages
//! (with THP in `madvise` mode; see the `paycore::ledger` module doc, "Speed").
//!
//! Memory is measured with a counting global allocator: live heap bytes after creating the
//! accounts, and after storing a million two-leg transfers (journal off, so the journal
//! buffer is not counted; with it on, each batch also buffers its 128-byte events until
//! `take_journal`). The figures include allocator-visible slack (vector and hash-table
//! growth), i.e. what the process really holds, at the table sizes reached.
//!
//! Timing: criterion's means and medians mix in whatever else the machine runs; here every
//! batch is timed on its own and the quantiles are printed, so the minimum and lower
//! quantiles show the code's own speed when neighbours are busy.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use paycore::ledger::chart::PostingRules;
use paycore::ledger::{CreateTransferResult, Ledger};
use paycore_benches::ledger_workload::{
    ACCOUNTS, BATCH, SALES_PER_BATCH, accounts, append_sales, fill_batch, plain_ledger, sale_ledger,
};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to the system allocator with the caller's arguments; the
// counter is only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn quantiles(name: &str, per_item: usize, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() - 1) as f64 * p) as usize];
    println!(
        "{name:28} batches {:4}  min {:6.3} ms  p10 {:6.3}  p25 {:6.3}  median {:6.3}  ({:.0} items/s at p25)",
        ms.len(),
        q(0.0),
        q(0.1),
        q(0.25),
        q(0.5),
        per_item as f64 / (q(0.25) / 1e3),
    );
}

fn memory() {
    let before = LIVE.load(Ordering::Relaxed);
    let mut l = Ledger::without_journal();
    let accounts = accounts();
    let after_input = LIVE.load(Ordering::Relaxed);
    for chunk in accounts.chunks(BATCH) {
        l.create_accounts(chunk, 1);
    }
    let with_accounts = LIVE.load(Ordering::Relaxed);
    let per_account = (with_accounts - after_input) as f64 / ACCOUNTS as f64;
    drop(accounts);
    let base = LIVE.load(Ordering::Relaxed);
    let mut batch = Vec::with_capacity(BATCH);
    let batch_bytes = LIVE.load(Ordering::Relaxed) - base;
    let mut n = 0usize;
    let mut now = 1_000_000_000u64;
    while n < 1_000_000 {
        fill_batch(&mut batch, 1 + n as u128);
        now += 1_000_000;
        let r = l.create_transfers(&batch, now);
        assert!(r.iter().all(|r| *r == CreateTransferResult::Created));
        n += BATCH;
    }
    let per_transfer = (LIVE.load(Ordering::Relaxed) - base - batch_bytes) as f64 / n as f64;
    println!(
        "memory: {per_account:.0} bytes per account ({ACCOUNTS} accounts), \
         {per_transfer:.0} bytes per transfer ({n} two-leg transfers, journal off); \
         heap before the ledger {before} bytes"
    );
    black_box(l);
}

fn two_leg(batches: usize) {
    let mut ms = Vec::with_capacity(batches);
    let mut l = plain_ledger(false);
    let mut batch = Vec::with_capacity(BATCH);
    let mut next = 1u128;
    let mut now = 1_000_000_000u64;
    for _ in 0..batches {
        if l.transfers().len() > 1_000_000 {
            l = plain_ledger(false);
        }
        fill_batch(&mut batch, next);
        next += BATCH as u128;
        now += 1_000_000;
        let t = Instant::now();
        let r = l.create_transfers(black_box(&batch), now);
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(r.iter().all(|r| *r == CreateTransferResult::Created));
    }
    quantiles("two_leg_batch_8190", BATCH, ms);
}

fn sales(batches: usize) {
    let mut l = sale_ledger();
    let rules = PostingRules::acquirer_default();
    let mut event_id = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    let mut now = 1_000_000_000u64;
    let mut ms = Vec::with_capacity(batches);
    for _ in 0..batches {
        if l.transfers().len() > 1_000_000 {
            l = sale_ledger();
        }
        now += 1_000_000;
        let t = Instant::now();
        batch.clear();
        append_sales(&rules, &mut event_id, &mut batch);
        let r = l.create_transfers(black_box(&batch), now);
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(r.iter().all(|r| *r == CreateTransferResult::Created));
    }
    quantiles("sale_4leg_linked (2047)", SALES_PER_BATCH, ms);
}

fn main() {
    // `cargo bench` passes `--bench`; an optional number sets the batches per workload.
    let batches = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(300);
    memory();
    two_leg(batches);
    sales(batches);
}
