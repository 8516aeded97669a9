//! Money and card hot paths: PAN check + brand + mask, allocation, parse/format.
//! Run: cargo bench -p paycore-benches --bench money_card

use criterion::{Criterion, criterion_group, criterion_main};
use paycore::card::{Brand, MaskStyle, Pan, Track2, luhn_valid};
use paycore::money::{Currency, Money, Rounding};
use rust_decimal::Decimal;
use std::hint::black_box;

fn card(c: &mut Criterion) {
    let digits = "6230606601007726888";
    c.bench_function("card/pan_check_brand_mask", |b| {
        b.iter(|| {
            let pan = Pan::parse(black_box(digits)).unwrap();
            let ok = pan.luhn_valid();
            let brand = pan.brand();
            let masked = pan.masked(MaskStyle::First6Last4);
            black_box((ok, brand, masked))
        })
    });
    c.bench_function("card/luhn_only", |b| {
        b.iter(|| luhn_valid(black_box(digits)))
    });
    c.bench_function("card/brand_only", |b| {
        b.iter(|| Brand::detect(black_box(digits)))
    });
    c.bench_function("card/track2_parse", |b| {
        b.iter(|| Track2::parse(black_box("6230606601007726888D30062201000000F")).unwrap())
    });
}

fn money(c: &mut Criterion) {
    let total = Money::from_minor(1_000_000_07, Currency::CNY);
    c.bench_function("money/allocate_3", |b| {
        b.iter(|| black_box(total).allocate(black_box(&[60, 25, 15])).unwrap())
    });
    let weights: Vec<u64> = (1..=100).collect();
    c.bench_function("money/allocate_100", |b| {
        b.iter(|| black_box(total).allocate(black_box(&weights)).unwrap())
    });
    c.bench_function("money/parse_format", |b| {
        b.iter(|| {
            let m = Money::parse(black_box("10000.07"), Currency::CNY).unwrap();
            black_box(m.to_plain_string())
        })
    });
    let rate: Decimal = "0.0038".parse().unwrap();
    c.bench_function("money/mul_rate_half_up", |b| {
        b.iter(|| {
            black_box(total)
                .mul_rate(black_box(rate), Rounding::HalfUp)
                .unwrap()
        })
    });
}

criterion_group!(benches, card, money);
criterion_main!(benches);
