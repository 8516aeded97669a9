//! Ledger throughput: two-leg transfers in batches of 8,190, four-leg linked sale postings,
//! and journal replay.
//!
//! Run: `cargo bench -p paycore-benches --bench ledger -- --warm-up-time 1 --measurement-time 3`.
//!
//! On a shared, oversubscribed machine wall-clock time mostly measures the scheduler; set
//! `PAYCORE_BENCH_CPU_TIME=1` to time with this thread's CPU time instead (utime + stime
//! from `/proc/thread-self/stat`, Linux, 10 ms ticks — unbiased over many samples, so read
//! the mean rather than the median).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paycore::ledger::chart::PostingRules;
use paycore::ledger::{Account, CreateTransferResult, Ledger, journal};
use paycore_benches::ledger_workload::{
    BATCH, SALES_PER_BATCH, append_sales, fill_batch, plain_ledger, sale_ledger,
};

/// Start/stop timer: wall clock, or on-CPU time of this thread when requested.
#[derive(Clone, Copy)]
enum Timer {
    Wall(Instant),
    Cpu(u64),
}

fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks * 10_000_000)
}

impl Timer {
    fn start() -> Self {
        if std::env::var_os("PAYCORE_BENCH_CPU_TIME").is_some()
            && let Some(ns) = cpu_ns()
        {
            return Timer::Cpu(ns);
        }
        Timer::Wall(Instant::now())
    }
    fn elapsed(self) -> Duration {
        match self {
            Timer::Wall(i) => i.elapsed(),
            Timer::Cpu(start) => {
                Duration::from_nanos(cpu_ns().unwrap_or(start).saturating_sub(start))
            }
        }
    }
}
fn two_leg(c: &mut Criterion, journal: bool) {
    let name = if journal {
        "ledger/two_leg_batch_8190_journal"
    } else {
        "ledger/two_leg_batch_8190"
    };
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut ledger = plain_ledger(journal);
    let mut next_id: u128 = 1;
    let mut batch = Vec::with_capacity(BATCH);
    let mut now = 1_000_000_000u64;
    group.bench_function("create_transfers", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Bound memory: start over (untimed) once a million transfers are stored.
                if ledger.transfers().len() > 1_000_000 {
                    ledger = plain_ledger(journal);
                }
                fill_batch(&mut batch, next_id);
                next_id += BATCH as u128;
                now += 1_000_000;
                let start = Timer::start();
                let r = ledger.create_transfers(black_box(&batch), now);
                if journal {
                    black_box(ledger.take_journal());
                }
                total += start.elapsed();
                assert!(r.iter().all(|r| *r == CreateTransferResult::Created));
            }
            // Tick-based CPU time can read 0 for a short sample; criterion refuses zeros.
            total.max(Duration::from_nanos(1))
        });
    });
    group.finish();
}

fn two_leg_plain(c: &mut Criterion) {
    two_leg(c, false);
}

fn two_leg_journal(c: &mut Criterion) {
    two_leg(c, true);
}

fn sales(c: &mut Criterion) {
    let mut group = c.benchmark_group("ledger/sale_4leg_linked");
    group.throughput(Throughput::Elements(SALES_PER_BATCH as u64));
    let mut ledger = sale_ledger();
    let rules = PostingRules::acquirer_default();
    let mut event_id = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    let mut now = 1_000_000_000u64;
    group.bench_function("rules_and_create_transfers", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if ledger.transfers().len() > 1_000_000 {
                    ledger = sale_ledger();
                }
                now += 1_000_000;
                let start = Timer::start();
                batch.clear();
                append_sales(&rules, &mut event_id, &mut batch);
                let r = ledger.create_transfers(black_box(&batch), now);
                total += start.elapsed();
                assert!(r.iter().all(|r| *r == CreateTransferResult::Created));
            }
            // Tick-based CPU time can read 0 for a short sample; criterion refuses zeros.
            total.max(Duration::from_nanos(1))
        });
    });
    group.finish();
}

fn replay(c: &mut Criterion) {
    const BATCHES: usize = 8;
    let mut ledger = plain_ledger(true);
    let mut text = String::new();
    let mut batch = Vec::with_capacity(BATCH);
    // The accounts' journal was taken; rebuild it so the replay starts from scratch.
    let mut full = Ledger::new();
    let accounts: Vec<Account> = ledger
        .accounts()
        .iter()
        .map(|a| Account { timestamp: 0, ..*a })
        .collect();
    for chunk in accounts.chunks(BATCH) {
        full.create_accounts(chunk, 1);
    }
    ledger = full;
    for b in 0..BATCHES {
        fill_batch(&mut batch, 1 + (b * BATCH) as u128);
        ledger.create_transfers(&batch, 1_000_000_000 + b as u64);
    }
    for r in ledger.take_journal() {
        text.push_str(&r.to_line());
        text.push('\n');
    }
    let mut group = c.benchmark_group("ledger/journal_replay");
    group.throughput(Throughput::Elements((BATCHES * BATCH) as u64));
    group.sample_size(10);
    group.bench_function("json_lines_8x8190", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Timer::start();
                black_box(journal::replay(black_box(&text)).expect("valid journal"));
                total += start.elapsed();
            }
            // Tick-based CPU time can read 0 for a short sample; criterion refuses zeros.
            total.max(Duration::from_nanos(1))
        });
    });
    group.finish();
}

criterion_group!(benches, two_leg_plain, two_leg_journal, sales, replay);
criterion_main!(benches);
