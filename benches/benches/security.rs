//! Terminal-security hot paths: the per-message MACs, PIN-block encryption and one DUKPT
//! transaction-key derivation (targets: MAC ≤ 2 µs, DUKPT ≤ 20 µs).

use criterion::{Criterion, criterion_group, criterion_main};
use paycore::security::dukpt::tdes;
use paycore::security::{Key, PinBlock, PinBlockFormat, cup_ecb_mac, x919_mac};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let msg: Vec<u8> = (0..400u32).map(|i| (i * 7 + 3) as u8).collect();
    let mak = Key::des(&[0x13, 0x57, 0x9B, 0xDF, 0x02, 0x46, 0x8A, 0xCE]).unwrap();
    let mak2 = Key::des(&[
        0x13, 0x57, 0x9B, 0xDF, 0x02, 0x46, 0x8A, 0xCE, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32,
        0x10,
    ])
    .unwrap();
    c.bench_function("security/cup_ecb_mac_400B", |b| {
        b.iter(|| cup_ecb_mac(black_box(&mak), black_box(&msg)).unwrap())
    });
    c.bench_function("security/x919_mac_400B", |b| {
        b.iter(|| x919_mac(black_box(&mak2), black_box(&msg)).unwrap())
    });
    let pek = Key::des(&[
        0x04, 0x26, 0x66, 0xB4, 0x91, 0x84, 0xCF, 0x5C, 0x68, 0xDE, 0x96, 0x28, 0xD0, 0x39, 0x7B,
        0x36,
    ])
    .unwrap();
    c.bench_function("security/iso0_pin_block_encrypt", |b| {
        b.iter(|| {
            let pb = PinBlock::build(
                PinBlockFormat::Iso0,
                black_box("1234"),
                Some(black_box("4012345678909")),
                &[],
            )
            .unwrap();
            pb.encrypt(black_box(&pek)).unwrap()
        })
    });
    let bdk = Key::des(&[
        0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32,
        0x10,
    ])
    .unwrap();
    // counter 0x1FF800: ten one-bits, the most expensive valid derivation
    let ksn = tdes::Ksn::from_hex("FFFF9876543210FFF800").unwrap();
    let ipek = tdes::derive_ipek(&bdk, &ksn).unwrap();
    c.bench_function("security/tdes_dukpt_transaction_key_10bits", |b| {
        b.iter(|| tdes::transaction_key_from_ipek(black_box(&ipek), black_box(&ksn)).unwrap())
    });
    c.bench_function("security/tdes_dukpt_from_bdk_10bits", |b| {
        b.iter(|| tdes::transaction_key(black_box(&bdk), black_box(&ksn)).unwrap())
    });
}

criterion_group!(security, benches);
criterion_main!(security);
