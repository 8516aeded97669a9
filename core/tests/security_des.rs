//! paycore's own DES / TDES engine (security/des.rs) through the public `Key` API: the
//! FIPS 46-3 example, NIST SP 800-17 known-answer tables, NIST SP 800-67 and CAVP TDES
//! vectors, and a cross-check against the RustCrypto `des` crate for random keys and blocks
//! (encryption, decryption, CMAC).

use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use cmac::{Cmac, Mac};
use paycore::hex::{decode, encode};
use paycore::security::{Key, KeyAlgorithm, cmac};
use proptest::prelude::*;

fn h(s: &str) -> Vec<u8> {
    decode(&s.replace(' ', "")).unwrap()
}

fn enc(key: &str, block: &str) -> String {
    encode(&Key::des(&h(key)).unwrap().encrypt_ecb(&h(block)).unwrap())
}

fn dec(key: &str, block: &str) -> String {
    encode(&Key::des(&h(key)).unwrap().decrypt_ecb(&h(block)).unwrap())
}

#[test]
fn fips_46_now_is_the_time() {
    // "Now is t" under 0123456789ABCDEF.
    assert_eq!(
        enc("0123456789ABCDEF", "4E6F772069732074"),
        "3FA40E8A984D4815"
    );
    assert_eq!(
        dec("0123456789ABCDEF", "3FA40E8A984D4815"),
        "4E6F772069732074"
    );
}

/// NIST SP 800-17 Table 1 (variable plaintext, key 01…01): plaintext `2^(63-i)` gives these.
const VARIABLE_PLAINTEXT: [&str; 64] = [
    "95F8A5E5DD31D900",
    "DD7F121CA5015619",
    "2E8653104F3834EA",
    "4BD388FF6CD81D4F",
    "20B9E767B2FB1456",
    "55579380D77138EF",
    "6CC5DEFAAF04512F",
    "0D9F279BA5D87260",
    "D9031B0271BD5A0A",
    "424250B37C3DD951",
    "B8061B7ECD9A21E5",
    "F15D0F286B65BD28",
    "ADD0CC8D6E5DEBA1",
    "E6D5F82752AD63D1",
    "ECBFE3BD3F591A5E",
    "F356834379D165CD",
    "2B9F982F20037FA9",
    "889DE068A16F0BE6",
    "E19E275D846A1298",
    "329A8ED523D71AEC",
    "E7FCE22557D23C97",
    "12A9F5817FF2D65D",
    "A484C3AD38DC9C19",
    "FBE00A8A1EF8AD72",
    "750D079407521363",
    "64FEED9C724C2FAF",
    "F02B263B328E2B60",
    "9D64555A9A10B852",
    "D106FF0BED5255D7",
    "E1652C6B138C64A5",
    "E428581186EC8F46",
    "AEB5F5EDE22D1A36",
    "E943D7568AEC0C5C",
    "DF98C8276F54B04B",
    "B160E4680F6C696F",
    "FA0752B07D9C4AB8",
    "CA3A2B036DBC8502",
    "5E0905517BB59BCF",
    "814EEB3B91D90726",
    "4D49DB1532919C9F",
    "25EB5FC3F8CF0621",
    "AB6A20C0620D1C6F",
    "79E90DBC98F92CCA",
    "866ECEDD8072BB0E",
    "8B54536F2F3E64A8",
    "EA51D3975595B86B",
    "CAFFC6AC4542DE31",
    "8DD45A2DDF90796C",
    "1029D55E880EC2D0",
    "5D86CB23639DBEA9",
    "1D1CA853AE7C0C5F",
    "CE332329248F3228",
    "8405D1ABE24FB942",
    "E643D78090CA4207",
    "48221B9937748A23",
    "DD7C0BBD61FAFD54",
    "2FBC291A570DB5C4",
    "E07C30D7E4E26E12",
    "0953E2258E8E90A1",
    "5B711BC4CEEBF2EE",
    "CC083F1E6D9E85F6",
    "D2FD8867D50D2DFE",
    "06E7EA22CE92708F",
    "166B40B44ABA4BD6",
];

#[test]
fn sp800_17_variable_plaintext_and_inverse_permutation() {
    for (i, ct) in VARIABLE_PLAINTEXT.iter().enumerate() {
        let pt = encode(&(1u64 << (63 - i)).to_be_bytes());
        assert_eq!(enc("0101010101010101", &pt), *ct, "plaintext {pt}");
        assert_eq!(dec("0101010101010101", ct), pt, "ciphertext {ct}");
    }
}

/// NIST SP 800-17 Table 2 (variable key, plaintext 0): one key bit at a time, parity bits
/// skipped, for the first 46 of the 56 key bits.
const VARIABLE_KEY: [&str; 46] = [
    "95A8D72813DAA94D",
    "0EEC1487DD8C26D5",
    "7AD16FFB79C45926",
    "D3746294CA6A6CF3",
    "809F5F873C1FD761",
    "C02FAFFEC989D1FC",
    "4615AA1D33E72F10",
    "2055123350C00858",
    "DF3B99D6577397C8",
    "31FE17369B5288C9",
    "DFDD3CC64DAE1642",
    "178C83CE2B399D94",
    "50F636324A9B7F80",
    "A8468EE3BC18F06D",
    "A2DC9E92FD3CDE92",
    "CAC09F797D031287",
    "90BA680B22AEB525",
    "CE7A24F350E280B6",
    "882BFF0AA01A0B87",
    "25610288924511C2",
    "C71516C29C75D170",
    "5199C29A52C9F059",
    "C22F0A294A71F29F",
    "EE371483714C02EA",
    "A81FBD448F9E522F",
    "4F644C92E192DFED",
    "1AFA9A66A6DF92AE",
    "B3C1CC715CB879D8",
    "19D032E64AB0BD8B",
    "3CFAA7A7DC8720DC",
    "B7265F7F447AC6F3",
    "9DB73B3C0D163F54",
    "8181B65BABF4A975",
    "93C9B64042EAA240",
    "5570530829705592",
    "8638809E878787A0",
    "41B9A79AF79AC208",
    "7A9BE42F2009A892",
    "29038D56BA6D2745",
    "5495C6ABF1E5DF51",
    "AE13DBD561488933",
    "024D1FFA8904E389",
    "D1399712F99BF02E",
    "14C1D7C1CFFEC79E",
    "1DE5279DAE3BED6F",
    "E941A33F85501303",
];

#[test]
fn sp800_17_variable_key() {
    for (i, ct) in VARIABLE_KEY.iter().enumerate() {
        // Byte i / 7 carries the bit, 0x80 >> (i % 7); every other byte is 01 (odd parity).
        let mut key = [0x01u8; 8];
        key[i / 7] = 0x80 >> (i % 7);
        let key = encode(&key);
        assert_eq!(enc(&key, "0000000000000000"), *ct, "key {key}");
        assert_eq!(dec(&key, ct), "0000000000000000", "key {key}");
    }
}

#[test]
fn sp800_17_substitution_tables() {
    // Table 4: (key, plaintext, ciphertext), exercising every S-box entry.
    let table = [
        ("7CA110454A1A6E57", "01A1D6D039776742", "690F5B0D9A26939B"),
        ("0131D9619DC1376E", "5CD54CA83DEF57DA", "7A389D10354BD271"),
        ("07A1133E4A0B2686", "0248D43806F67172", "868EBB51CAB4599A"),
        ("3849674C2602319E", "51454B582DDF440A", "7178876E01F19B2A"),
        ("04B915BA43FEB5B6", "42FD443059577FA2", "AF37FB421F8C4095"),
        ("0113B970FD34F2CE", "059B5E0851CF143A", "86A560F10EC6D85B"),
        ("0170F175468FB5E6", "0756D8E0774761D2", "0CD3DA020021DC09"),
        ("43297FAD38E373FE", "762514B829BF486A", "EA676B2CB7DB2B7A"),
        ("07A7137045DA2A16", "3BDD119049372802", "DFD64A815CAF1A0F"),
        ("04689104C2FD3B2F", "26955F6835AF609A", "5C513C9C4886C088"),
        ("37D06BB516CB7546", "164D5E404F275232", "0A2AEEAE3FF4AB77"),
        ("1F08260D1AC2465E", "6B056E18759F5CCA", "EF1BF03E5DFA575A"),
        ("584023641ABA6176", "004BD6EF09176062", "88BF0DB6D70DEE56"),
        ("025816164629B007", "480D39006EE762F2", "A1F9915541020B56"),
        ("49793EBC79B3258F", "437540C8698F3CFA", "6FBF1CAFCFFD0556"),
        ("4FB05E1515AB73A7", "072D43A077075292", "2F22E49BAB7CA1AC"),
        ("49E95D6D4CA229BF", "02FE55778117F12A", "5A6B612CC26CCE4A"),
        ("018310DC409B26D6", "1D9D5C5018F728C2", "5F4C038ED12B2E41"),
        ("1C587F1C13924FEF", "305532286D6F295A", "63FAC0D034D9F793"),
    ];
    for (key, pt, ct) in table {
        assert_eq!(enc(key, pt), ct, "key {key}");
        assert_eq!(dec(key, ct), pt, "key {key}");
    }
}

#[test]
fn parity_bits_are_ignored() {
    // Flipping every parity bit must not change anything.
    assert_eq!(
        enc("0022446688AACCEE", "4E6F772069732074"),
        enc("0123456789ABCDEF", "4E6F772069732074")
    );
}

#[test]
fn sp800_67_three_key_tdea_example() {
    // NIST SP 800-67 Rev. 1 Appendix B.1, as printed ("The qufck brown fox jump").
    let key = "0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123";
    let pt = "5468652071756663 6B2062726F776E20 666F78206A756D70";
    let ct = "A826FD8CE53B855F CCE21C8112256FE6 68D5C05DD9B6B900";
    let k = Key::des(&h(key)).unwrap();
    assert_eq!(k.algorithm(), KeyAlgorithm::Tdes3);
    assert_eq!(encode(&k.encrypt_ecb(&h(pt)).unwrap()), ct.replace(' ', ""));
    assert_eq!(encode(&k.decrypt_ecb(&h(ct)).unwrap()), pt.replace(' ', ""));
}

#[test]
fn two_key_tdea_vectors() {
    // NIST CAVP TECBMMT2 (decrypt, count 0) and a published two-key example.
    for (key, pt, ct) in [
        (
            "151F10383D6D199B4A763BD54A46A445",
            "D8DA89298878ED7D",
            "89321BA75BA545DB",
        ),
        (
            "9B397EBF81B1181E282F4BB8ADBADC6B",
            "21E81B7ADE88A259",
            "5C577D4D9B20C0F8",
        ),
    ] {
        let k = Key::des(&h(key)).unwrap();
        assert_eq!(k.algorithm(), KeyAlgorithm::Tdes2);
        assert_eq!(encode(&k.encrypt_ecb(&h(pt)).unwrap()), ct, "key {key}");
        assert_eq!(encode(&k.decrypt_ecb(&h(ct)).unwrap()), pt, "key {key}");
    }
}

#[test]
fn tdea_with_equal_keys_is_single_des() {
    let one = "0123456789ABCDEF";
    let pt = "4E6F772069732074";
    assert_eq!(enc(&one.repeat(2), pt), "3FA40E8A984D4815");
    assert_eq!(enc(&one.repeat(3), pt), "3FA40E8A984D4815");
}

#[test]
fn a_wiped_key_wipes_its_schedule_too() {
    use zeroize::Zeroize;
    for len in [8, 16, 24] {
        let mut k = Key::des(&vec![0xA5; len]).unwrap();
        let block = h("0123456789ABCDEF");
        let before = k.encrypt_ecb(&block).unwrap(); // computes and keeps the schedule
        k.zeroize();
        assert_eq!(k.expose_bytes(), vec![0; len]);
        // The kept round keys were wiped in place: the key now encrypts like the zero key.
        let zero = Key::des(&vec![0; len]).unwrap();
        let after = k.encrypt_ecb(&block).unwrap();
        assert_eq!(after, zero.encrypt_ecb(&block).unwrap(), "{len}-byte key");
        assert_ne!(after, before);
    }
}

/// The RustCrypto `des` crate's answer, for the cross-check.
fn crate_ecb(key: &[u8], data: &[u8], decrypt: bool) -> Vec<u8> {
    fn run<C: BlockCipherEncrypt + BlockCipherDecrypt + KeyInit>(
        key: &[u8],
        data: &[u8],
        decrypt: bool,
    ) -> Vec<u8> {
        let c = C::new_from_slice(key).unwrap();
        let mut out = data.to_vec();
        for b in out.chunks_exact_mut(8) {
            if decrypt {
                c.decrypt_block(b.try_into().unwrap());
            } else {
                c.encrypt_block(b.try_into().unwrap());
            }
        }
        out
    }
    match key.len() {
        8 => run::<des::Des>(key, data, decrypt),
        16 => run::<des::TdesEde2>(key, data, decrypt),
        _ => run::<des::TdesEde3>(key, data, decrypt),
    }
}

fn crate_cmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    macro_rules! run {
        ($c:ty) => {{
            let mut m = <Cmac<$c> as KeyInit>::new_from_slice(key).unwrap();
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }};
    }
    match key.len() {
        8 => run!(des::Des),
        16 => run!(des::TdesEde2),
        _ => run!(des::TdesEde3),
    }
}

fn des_family_key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![Just(8usize), Just(16), Just(24)]
        .prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn matches_the_des_crate(
        key in des_family_key(),
        data in proptest::collection::vec(any::<u8>(), 8..=32)
            .prop_map(|mut v| { v.truncate(v.len() / 8 * 8); v }),
    ) {
        let k = Key::des(&key).unwrap();
        let ours = k.encrypt_ecb(&data).unwrap();
        prop_assert_eq!(&ours, &crate_ecb(&key, &data, false));
        prop_assert_eq!(k.decrypt_ecb(&data).unwrap(), crate_ecb(&key, &data, true));
        prop_assert_eq!(k.decrypt_ecb(&ours).unwrap(), data);
    }

    #[test]
    fn cmac_matches_the_cmac_crate(
        key in des_family_key(),
        data in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let k = Key::des(&key).unwrap();
        prop_assert_eq!(cmac(&k, &data), crate_cmac(&key, &data));
    }
}
