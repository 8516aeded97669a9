//! Runs the `lifecycle/processor_sales_10k` workload once, for instruction counting:
//! `valgrind --tool=callgrind --toggle-collect='*process_sales*' target/release/examples/lifecycle_profile`
//! then divide the collected instructions by the sale count printed. With a second argument
//! `rt`, runs the `lifecycle/sale_round_trip` body that many times instead (collect
//! `'*round_trips*'`).

use std::hint::black_box;

use paycore_benches::lifecycle_workload::{pair, process_sales, round_trips, sale_frames};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    if std::env::args().nth(2).as_deref() == Some("rt") {
        let (mut t, mut p) = pair();
        round_trips(&mut t, &mut p, n as u64);
        println!("{n} round trips");
        return;
    }
    let (signed_on, frames) = sale_frames(n);
    let p = process_sales(signed_on, &frames);
    black_box(p);
    println!("{n} sales");
}
