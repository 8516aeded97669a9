//! Lifecycle benchmarks: a full sale round trip through both state machines (encode, MAC,
//! decode, validate, respond) and the processor's throughput on pre-built sale frames. The
//! workload lives in `paycore_benches::lifecycle_workload`, shared with the
//! `lifecycle_profile` example that counts its instructions.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use paycore_benches::lifecycle_workload::{pair, process_sales, round_trip, sale_frames};

fn sale_round_trip(c: &mut Criterion) {
    let (mut t, mut p) = pair();
    let mut n = 0u64;
    let mut g = c.benchmark_group("lifecycle");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sale_round_trip", |b| {
        b.iter(|| {
            n += 1;
            round_trip(&mut t, &mut p, n);
        })
    });
    g.finish();
}

fn processor_throughput(c: &mut Criterion) {
    const N: usize = 10_000;
    let (signed_on, frames) = sale_frames(N);
    let mut g = c.benchmark_group("lifecycle");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    g.bench_function("processor_sales_10k", |b| {
        b.iter_batched(
            || signed_on.clone(),
            |p| process_sales(p, &frames),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, sale_round_trip, processor_throughput);
criterion_main!(benches);
