//! Fees and settlement benchmarks.
//!
//! * `fees/price_and_date_one_txn`: merchant fee, IC++ costs, three agent levels and the T1
//!   payout date of one transaction (target ≤ 200 ns).
//! * `fees/settle_1m_txns_10k_merchants`: one settlement run over 1,000,000 records across
//!   10,000 merchants (target ≤ 1 s).
//! * `fees/read_records_1m` / `fees/read_records_borrowed_1m`: reading those records from CSV
//!   text (about 90 MB, as `bindings/python/bench/settle_million_bench.py` hands it over), into
//!   owned records or records borrowing their ids from the text (what the Python one-call
//!   settle does before settling).

use criterion::{Criterion, criterion_group, criterion_main};
use paycore::calendar::Calendar;
use paycore::fees::{CardType, Channel, MerchantType, PricingEngine, PricingInput};
use paycore::money::Currency;
use paycore::settlement::csv::{read_records, read_records_borrowed};
use paycore::settlement::{
    CarryState, NetworkCutoff, RecordKind, SettlementConfig, SettlementCycle, TxnRecord,
    parse_event_time, settle, settlement_dates,
};
use std::hint::black_box;

const CONFIG: &str = include_str!("../../examples/data/fee-schedule.json");

fn price_and_date(c: &mut Criterion) {
    let config = SettlementConfig::from_json(CONFIG).unwrap();
    let engine = PricingEngine::new(&config.pricing).unwrap();
    let calendar = Calendar::china();
    let cutoff = NetworkCutoff::UNIONPAY;
    let at = parse_event_time("2026-02-13T23:30:00+08:00").unwrap();
    let input = PricingInput {
        amount_minor: 1_000_000,
        card: CardType::Debit,
        channel: Channel::Chip,
        merchant_type: MerchantType::Standard,
        monthly_volume_minor: 0,
    };
    let mut agents = Vec::with_capacity(8);
    c.bench_function("fees/price_and_date_one_txn", |b| {
        b.iter(|| {
            agents.clear();
            let q = engine
                .quote_into(black_box(&input), None, &mut agents)
                .unwrap();
            let d = cutoff.settlement_day(black_box(at)).unwrap();
            let payout = SettlementCycle::T1.payout_day(d, &calendar).unwrap();
            black_box((q.acquirer_share_minor, agents.len(), payout))
        })
    });
    // The full quote with its own agent vector, for reference.
    c.bench_function("fees/quote_alloc_one_txn", |b| {
        b.iter(|| black_box(engine.quote(black_box(&input), None).unwrap()))
    });
    c.bench_function("fees/settlement_dates_t1", |b| {
        b.iter(|| {
            black_box(
                settlement_dates(black_box(at), SettlementCycle::T1, &cutoff, &calendar).unwrap(),
            )
        })
    });
}

fn records(n: usize, merchants: usize) -> Vec<TxnRecord> {
    let base = parse_event_time("2026-03-10T00:00:00+08:00").unwrap();
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let card = CardType::ALL[(s % 4) as usize];
            let channel = Channel::ALL[((s >> 8) % 5) as usize];
            TxnRecord {
                id: format!("T{i:08}"),
                merchant_id: format!("8983100481{:05}", i % merchants),
                kind: RecordKind::Sale,
                amount_minor: 100 + ((s >> 16) % 2_000_000) as i64,
                currency: Currency::CNY,
                at: base + chrono::Duration::seconds(((s >> 40) % 86_400) as i64),
                card: Some(card),
                channel: Some(channel),
                original_id: None,
                original_amount_minor: None,
                refunded_before_minor: None,
            }
        })
        .collect()
}

fn settle_million(c: &mut Criterion) {
    let config = SettlementConfig::from_json(CONFIG).unwrap();
    let engine = PricingEngine::new(&config.pricing).unwrap();
    let terms = config.settlement.compile(engine.currency()).unwrap();
    let calendar = Calendar::china();
    // `cargo test --benches` runs each benchmark once in a debug build: keep that quick.
    let recs = if cfg!(debug_assertions) {
        records(10_000, 100)
    } else {
        records(1_000_000, 10_000)
    };
    let state = CarryState::default();
    let mut group = c.benchmark_group("fees");
    group.sample_size(10);
    group.bench_function("settle_1m_txns_10k_merchants", |b| {
        b.iter(|| {
            let run = settle(black_box(&recs), &engine, &terms, &calendar, &state).unwrap();
            black_box(run.batches.len())
        })
    });
    group.finish();
}

/// The records as the CSV the inspector and the bindings read.
fn to_csv(records: &[TxnRecord]) -> String {
    let mut text = String::from(
        "id,merchant_id,kind,amount,currency,time,card,channel,original_id,original_amount,refunded_before\n",
    );
    for r in records {
        text.push_str(&format!(
            "{},{},sale,{}.{:02},CNY,{},{},{},,,\n",
            r.id,
            r.merchant_id,
            r.amount_minor / 100,
            r.amount_minor % 100,
            r.at.format("%Y-%m-%dT%H:%M:%S%:z"),
            r.card.map_or("", CardType::name),
            r.channel.map_or("", Channel::name),
        ));
    }
    text
}

fn read_million(c: &mut Criterion) {
    let recs = if cfg!(debug_assertions) {
        records(10_000, 100)
    } else {
        records(1_000_000, 10_000)
    };
    let text = to_csv(&recs);
    assert_eq!(read_records(&text, 10_000_000).unwrap(), recs);
    let mut group = c.benchmark_group("fees");
    group.sample_size(10);
    group.bench_function("read_records_1m", |b| {
        b.iter(|| black_box(read_records(black_box(&text), 10_000_000).unwrap().len()))
    });
    group.bench_function("read_records_borrowed_1m", |b| {
        b.iter(|| {
            black_box(
                read_records_borrowed(black_box(&text), 10_000_000)
                    .unwrap()
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, price_and_date, settle_million, read_million);
criterion_main!(benches);
