//! ISO 8583 codec: decode and encode a UnionPay EMV sale (0200 with F2 F3 F4 F11 F14 F22 F23 F25
//! F26 F35 F41 F42 F49 F52 F53 F55 (145 bytes of BER-TLV) F60 F64), CUP framing included.

use criterion::{Criterion, criterion_group, criterion_main};
use paycore::hex;
use paycore::iso8583::{CupHeader, Message, Mti, Spec, Tpdu, decode, decode_ref};
use std::hint::black_box;

/// 20 tags a CUP terminal sends in F55, 145 bytes.
const ICC: &str = "9F2608A1B2C3D4E5F60718 9F270180 9F101307010103A0A802010A010000000052BF2E5A \
9F37049A8B7C6D 9F360200A1 95050080048000 9A03251125 9C0100 9F0206000000000100 5F2A020156 \
82027C00 9F1A020156 9F0306000000000000 9F3303E0F9C8 9F3403420300 9F350122 9F1E083132333435363738 \
8408A000000333010101 9F09020020 9F410400000123";

fn sale() -> Message {
    let icc = hex::decode(&ICC.replace(' ', "")).unwrap();
    let mut m = Message::new(Mti::parse("0200").unwrap());
    m.set_text(2, "6228480402564890018")
        .set_text(3, "000000")
        .set_text(4, "000000012345")
        .set_text(11, "000123")
        .set_text(14, "2512")
        .set_text(22, "051")
        .set_text(23, "001")
        .set_text(25, "00")
        .set_text(26, "12")
        .set_text(35, "6228480402564890018=25122201234500000")
        .set_text(41, "12345678")
        .set_text(42, "123456789012345")
        .set_text(49, "156")
        .set_bytes(52, &[0x5A, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F, 0x60, 0x71])
        .set_text(53, "2600000000000000")
        .set_bytes(55, &icc)
        .set_text(60, "22000024000600")
        .set_bytes(64, b"3A4B5C6D");
    m
}

fn benches(c: &mut Criterion) {
    let spec = Spec::builtin("cup-pos").unwrap();
    let msg = sale();
    let body = msg.encode(&spec).unwrap();
    let frame = spec
        .framing()
        .wrap(
            Some(Tpdu::new(0x0601, 0)),
            Some(CupHeader::from_hex("603100311812").unwrap()),
            &body,
        )
        .unwrap();
    eprintln!(
        "cup sale: body {} bytes, frame {} bytes",
        body.len(),
        frame.len()
    );

    let mut g = c.benchmark_group("iso8583");
    g.bench_function("decode_ref_cup_sale_framed", |b| {
        b.iter(|| {
            let f = spec.framing().unwrap(black_box(&frame)).unwrap();
            let m = decode_ref(&spec, f.body).unwrap();
            black_box(m.field(4).and_then(|f| f.to_u64()))
        })
    });
    g.bench_function("decode_owned_cup_sale", |b| {
        b.iter(|| black_box(decode(&spec, black_box(&body)).unwrap()))
    });
    g.bench_function("encode_into_cup_sale", |b| {
        let mut buf = [0u8; 1024];
        b.iter(|| black_box(black_box(&msg).encode_into(&spec, &mut buf).unwrap()))
    });
    g.bench_function("encode_vec_cup_sale", |b| {
        b.iter(|| black_box(black_box(&msg).encode(&spec).unwrap()))
    });
    g.finish();
}

criterion_group!(iso8583, benches);
criterion_main!(iso8583);
