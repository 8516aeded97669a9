//! TLV iterator throughput on a CUP field 55 and EMVCo MPM parse + CRC.
//!
//! Targets (issue 4): field 55 via the iterator ≥ 1 GB/s with zero allocations (the
//! allocation count is asserted in `core/tests/tlv_alloc.rs`); QR parse + CRC of a ~250
//! character payload ≤ 1 µs (owned and borrowed parses are both measured).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paycore::tlv::{ParseOptions, TlvIter, parse_tree};

const FIELD55: &str = "9F2608A1B2C3D4E5F607189F2701809F101307010103A0A802010A010000000000ABCDEF019F3704DEADBEEF9F36020012950500000800009A032402179C01009F02060000000001005F2A02015682027C009F1A0201569F03060000000000009F3303E0F8C89F34034203009F3501229F1E0831323334353637388407A00000033301019F0902008C9F410400000001";

const EMVCO_QR: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

fn tlv(c: &mut Criterion) {
    let data = paycore::hex::decode(FIELD55).unwrap();
    let mut g = c.benchmark_group("tlv");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("field55_iter_144B", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for t in TlvIter::new(black_box(&data), ParseOptions::emv()) {
                let t = t.unwrap();
                sum += t.value().len() + t.tag().raw() as usize;
            }
            sum
        })
    });
    g.bench_function("field55_tree_144B", |b| {
        b.iter(|| {
            parse_tree(black_box(&data), ParseOptions::emv())
                .unwrap()
                .len()
        })
    });
    g.finish();
}

fn qr(c: &mut Criterion) {
    let mut g = c.benchmark_group("qr");
    g.throughput(Throughput::Elements(1));
    g.bench_function("mpm_parse_crc_248chars", |b| {
        b.iter(|| paycore::qr::parse_mpm(black_box(EMVCO_QR)).unwrap())
    });
    g.bench_function("mpm_parse_borrowed_crc_248chars", |b| {
        b.iter(|| paycore::qr::parse_mpm_borrowed(black_box(EMVCO_QR)).unwrap())
    });
    g.bench_function("crc16_260B", |b| {
        b.iter(|| paycore::qr::crc16_ccitt_false(black_box(EMVCO_QR.as_bytes())))
    });
    g.finish();
}

criterion_group!(benches, tlv, qr);
criterion_main!(benches);
