//! Built-in specs: ISO 8583:1987 ASCII and binary, ISO 8583:1993 ASCII, and `cup-pos`, the
//! China UnionPay POS terminal dialect (reference `iso8583-cup-pos.md` §4).

use std::collections::BTreeMap;

use super::frame::Framing;
use super::spec::{
    Align, BitmapEncoding, Encoding, FieldSpec, Format, LengthType, LengthUnit, Mask, MtiEncoding,
    PrefixEncoding, Spec, Structure, SubFieldSpec,
};

use Format::{An, Ans, B, N, Xn, Z};
use LengthType::{Fixed, LL, LLL};

/// Names accepted by [`Spec::builtin`].
pub const NAMES: &[&str] = &["cup-pos", "iso87ascii", "iso87binary", "iso93ascii"];

type Row = (u16, &'static str, Format, LengthType, u16);

/// ISO 8583:1987 data elements 2–128 (`b` lengths in bytes).
const ISO87: &[Row] = &[
    (2, "Primary account number", N, LL, 19),
    (3, "Processing code", N, Fixed, 6),
    (4, "Amount, transaction", N, Fixed, 12),
    (5, "Amount, settlement", N, Fixed, 12),
    (6, "Amount, cardholder billing", N, Fixed, 12),
    (7, "Transmission date and time", N, Fixed, 10),
    (8, "Amount, cardholder billing fee", N, Fixed, 8),
    (9, "Conversion rate, settlement", N, Fixed, 8),
    (10, "Conversion rate, cardholder billing", N, Fixed, 8),
    (11, "System trace audit number", N, Fixed, 6),
    (12, "Time, local transaction", N, Fixed, 6),
    (13, "Date, local transaction", N, Fixed, 4),
    (14, "Date, expiration", N, Fixed, 4),
    (15, "Date, settlement", N, Fixed, 4),
    (16, "Date, conversion", N, Fixed, 4),
    (17, "Date, capture", N, Fixed, 4),
    (18, "Merchant type", N, Fixed, 4),
    (19, "Acquiring institution country code", N, Fixed, 3),
    (20, "PAN extended, country code", N, Fixed, 3),
    (21, "Forwarding institution country code", N, Fixed, 3),
    (22, "Point of service entry mode", N, Fixed, 3),
    (23, "Card sequence number", N, Fixed, 3),
    (24, "Network international identifier", N, Fixed, 3),
    (25, "Point of service condition code", N, Fixed, 2),
    (26, "Point of service PIN capture code", N, Fixed, 2),
    (
        27,
        "Authorization identification response length",
        N,
        Fixed,
        1,
    ),
    (28, "Amount, transaction fee", Xn, Fixed, 9),
    (29, "Amount, settlement fee", Xn, Fixed, 9),
    (30, "Amount, transaction processing fee", Xn, Fixed, 9),
    (31, "Amount, settlement processing fee", Xn, Fixed, 9),
    (32, "Acquiring institution identification code", N, LL, 11),
    (33, "Forwarding institution identification code", N, LL, 11),
    (34, "Primary account number, extended", Ans, LL, 28),
    (35, "Track 2 data", Z, LL, 37),
    (36, "Track 3 data", Z, LLL, 104),
    (37, "Retrieval reference number", An, Fixed, 12),
    (38, "Authorization identification response", An, Fixed, 6),
    (39, "Response code", An, Fixed, 2),
    (40, "Service restriction code", An, Fixed, 3),
    (41, "Card acceptor terminal identification", Ans, Fixed, 8),
    (42, "Card acceptor identification code", Ans, Fixed, 15),
    (43, "Card acceptor name/location", Ans, Fixed, 40),
    (44, "Additional response data", An, LL, 25),
    (45, "Track 1 data", An, LL, 76),
    (46, "Additional data - ISO", An, LLL, 999),
    (47, "Additional data - national", An, LLL, 999),
    (48, "Additional data - private", An, LLL, 999),
    (49, "Currency code, transaction", An, Fixed, 3),
    (50, "Currency code, settlement", An, Fixed, 3),
    (51, "Currency code, cardholder billing", An, Fixed, 3),
    (52, "Personal identification number data", B, Fixed, 8),
    (53, "Security related control information", N, Fixed, 16),
    (54, "Additional amounts", An, LLL, 120),
    (55, "Reserved ISO (ICC data)", Ans, LLL, 999),
    (56, "Reserved ISO", Ans, LLL, 999),
    (57, "Reserved national", Ans, LLL, 999),
    (58, "Reserved national", Ans, LLL, 999),
    (59, "Reserved national", Ans, LLL, 999),
    (60, "Reserved national", Ans, LLL, 999),
    (61, "Reserved private", Ans, LLL, 999),
    (62, "Reserved private", Ans, LLL, 999),
    (63, "Reserved private", Ans, LLL, 999),
    (64, "Message authentication code", B, Fixed, 8),
    (65, "Bitmap, extended", B, Fixed, 1),
    (66, "Settlement code", N, Fixed, 1),
    (67, "Extended payment code", N, Fixed, 2),
    (68, "Receiving institution country code", N, Fixed, 3),
    (69, "Settlement institution country code", N, Fixed, 3),
    (70, "Network management information code", N, Fixed, 3),
    (71, "Message number", N, Fixed, 4),
    (72, "Message number, last", N, Fixed, 4),
    (73, "Date, action", N, Fixed, 6),
    (74, "Credits, number", N, Fixed, 10),
    (75, "Credits, reversal number", N, Fixed, 10),
    (76, "Debits, number", N, Fixed, 10),
    (77, "Debits, reversal number", N, Fixed, 10),
    (78, "Transfer, number", N, Fixed, 10),
    (79, "Transfer, reversal number", N, Fixed, 10),
    (80, "Inquiries, number", N, Fixed, 10),
    (81, "Authorizations, number", N, Fixed, 10),
    (82, "Credits, processing fee amount", N, Fixed, 12),
    (83, "Credits, transaction fee amount", N, Fixed, 12),
    (84, "Debits, processing fee amount", N, Fixed, 12),
    (85, "Debits, transaction fee amount", N, Fixed, 12),
    (86, "Credits, amount", N, Fixed, 16),
    (87, "Credits, reversal amount", N, Fixed, 16),
    (88, "Debits, amount", N, Fixed, 16),
    (89, "Debits, reversal amount", N, Fixed, 16),
    (90, "Original data elements", N, Fixed, 42),
    (91, "File update code", An, Fixed, 1),
    (92, "File security code", An, Fixed, 2),
    (93, "Response indicator", An, Fixed, 5),
    (94, "Service indicator", An, Fixed, 7),
    (95, "Replacement amounts", An, Fixed, 42),
    (96, "Message security code", B, Fixed, 8),
    (97, "Amount, net settlement", Xn, Fixed, 17),
    (98, "Payee", Ans, Fixed, 25),
    (99, "Settlement institution identification code", N, LL, 11),
    (100, "Receiving institution identification code", N, LL, 11),
    (101, "File name", Ans, LL, 17),
    (102, "Account identification 1", Ans, LL, 28),
    (103, "Account identification 2", Ans, LL, 28),
    (104, "Transaction description", Ans, LLL, 100),
    (105, "Reserved ISO", Ans, LLL, 999),
    (106, "Reserved ISO", Ans, LLL, 999),
    (107, "Reserved ISO", Ans, LLL, 999),
    (108, "Reserved ISO", Ans, LLL, 999),
    (109, "Reserved ISO", Ans, LLL, 999),
    (110, "Reserved ISO", Ans, LLL, 999),
    (111, "Reserved ISO", Ans, LLL, 999),
    (112, "Reserved national", Ans, LLL, 999),
    (113, "Reserved national", Ans, LLL, 999),
    (114, "Reserved national", Ans, LLL, 999),
    (115, "Reserved national", Ans, LLL, 999),
    (116, "Reserved national", Ans, LLL, 999),
    (117, "Reserved national", Ans, LLL, 999),
    (118, "Reserved national", Ans, LLL, 999),
    (119, "Reserved national", Ans, LLL, 999),
    (120, "Reserved private", Ans, LLL, 999),
    (121, "Reserved private", Ans, LLL, 999),
    (122, "Reserved private", Ans, LLL, 999),
    (123, "Reserved private", Ans, LLL, 999),
    (124, "Reserved private", Ans, LLL, 999),
    (125, "Reserved private", Ans, LLL, 999),
    (126, "Reserved private", Ans, LLL, 999),
    (127, "Reserved private", Ans, LLL, 999),
    (128, "Message authentication code", B, Fixed, 8),
];

/// ISO 8583:1993 data elements that differ from 1987 (the rest are shared).
const ISO93_CHANGES: &[Row] = &[
    (12, "Date and time, local transaction", N, Fixed, 12),
    (13, "Date, effective", N, Fixed, 4),
    (15, "Date, settlement", N, Fixed, 6),
    (22, "Point of service data code", An, Fixed, 12),
    (24, "Function code", N, Fixed, 3),
    (25, "Message reason code", N, Fixed, 4),
    (26, "Card acceptor business code", N, Fixed, 4),
    (28, "Date, reconciliation", N, Fixed, 6),
    (29, "Reconciliation indicator", N, Fixed, 3),
    (30, "Amounts, original", N, Fixed, 24),
    (31, "Acquirer reference data", Ans, LL, 99),
    (38, "Approval code", An, Fixed, 6),
    (39, "Action code", N, Fixed, 3),
    (40, "Service code", N, Fixed, 3),
    (43, "Card acceptor name/location", Ans, LL, 99),
    (44, "Additional response data", Ans, LL, 99),
    (45, "Track 1 data", Ans, LL, 76),
    (46, "Amounts, fees", Ans, LLL, 204),
    (47, "Additional data - national", Ans, LLL, 999),
    (48, "Additional data - private", Ans, LLL, 999),
    (53, "Security related control information", B, LL, 48),
    (54, "Amounts, additional", Ans, LLL, 120),
    (
        55,
        "Integrated circuit card system related data",
        B,
        LLL,
        255,
    ),
    (56, "Original data elements", N, LL, 35),
    (57, "Authorization life cycle code", N, Fixed, 3),
    (
        58,
        "Authorizing agent institution identification code",
        N,
        LL,
        11,
    ),
    (59, "Transport data", Ans, LLL, 999),
    (66, "Amounts, original fees", Ans, LLL, 204),
    (67, "Extended payment data", N, Fixed, 2),
    (70, "Network management information code", N, Fixed, 3),
    (71, "Message number", N, Fixed, 8),
    (72, "Data record", Ans, LLL, 999),
    (82, "Inquiries, reversal number", N, Fixed, 10),
    (83, "Payments, number", N, Fixed, 10),
    (84, "Payments, reversal number", N, Fixed, 10),
    (85, "Fee collections, number", N, Fixed, 10),
    (90, "Authorizations, reversal number", N, Fixed, 10),
    (
        91,
        "Country code, transaction destination institution",
        N,
        Fixed,
        3,
    ),
    (
        92,
        "Country code, transaction originator institution",
        N,
        Fixed,
        3,
    ),
    (
        93,
        "Transaction destination institution identification code",
        N,
        LL,
        11,
    ),
    (
        94,
        "Transaction originator institution identification code",
        N,
        LL,
        11,
    ),
    (95, "Card issuer reference data", Ans, LL, 99),
    (96, "Key management data", B, LLL, 999),
    (97, "Amount, net reconciliation", Xn, Fixed, 17),
    (99, "Settlement institution identification code", An, LL, 11),
    (105, "Credits, chargeback amount", N, Fixed, 16),
    (106, "Debits, chargeback amount", N, Fixed, 16),
    (107, "Credits, chargeback number", N, Fixed, 10),
    (108, "Debits, chargeback number", N, Fixed, 10),
    (109, "Credits, fee amounts", Ans, LL, 84),
    (110, "Debits, fee amounts", Ans, LL, 84),
];

fn mask_for(n: u16) -> Mask {
    match n {
        2 | 34 => Mask::Pan,
        35 | 36 | 45 => Mask::Track,
        52 => Mask::Full,
        _ => Mask::None,
    }
}

/// ASCII text everywhere, hex bitmap, `b` as hex characters.
fn ascii_field(&(n, name, format, length, max): &Row) -> (u16, FieldSpec) {
    let enc = if format == B {
        Encoding::Hex
    } else {
        Encoding::Ascii
    };
    // Prefixes count logical units: a `b` field of 8 bytes is announced as 8 even though it
    // travels as 16 hex characters.
    let f = FieldSpec::new(name, format, length, max, enc)
        .with_prefix(PrefixEncoding::Ascii, LengthUnit::Chars)
        .with_mask(mask_for(n));
    (n, f)
}

/// Binary/BCD: numerics packed BCD (fixed right-aligned, variable left-aligned), BCD prefixes
/// counting digits for n/z and bytes otherwise, text in ASCII, `b` raw.
fn binary_field(&(n, name, format, length, max): &Row) -> (u16, FieldSpec) {
    let enc = match format {
        N | Z | Xn => Encoding::Bcd,
        B => Encoding::Binary,
        _ => Encoding::Ascii,
    };
    let align = if matches!(format, N | Z) && length != Fixed {
        Align::Left
    } else {
        Align::Right
    };
    let f = FieldSpec::new(name, format, length, max, enc)
        .with_prefix(PrefixEncoding::Bcd, LengthUnit::Chars)
        .with_align(align)
        .with_mask(mask_for(n));
    (n, f)
}

fn iso87ascii() -> Spec {
    let fields: BTreeMap<_, _> = ISO87.iter().map(ascii_field).collect();
    Spec::new(
        "iso87ascii",
        MtiEncoding::Ascii,
        BitmapEncoding::Hex,
        false,
        Framing::default(),
        fields,
    )
    .expect("built-in spec is valid")
}

fn iso87binary() -> Spec {
    let fields: BTreeMap<_, _> = ISO87.iter().map(binary_field).collect();
    Spec::new(
        "iso87binary",
        MtiEncoding::Bcd,
        BitmapEncoding::Binary,
        false,
        Framing::default(),
        fields,
    )
    .expect("built-in spec is valid")
}

fn iso93ascii() -> Spec {
    let mut rows: BTreeMap<u16, Row> = ISO87.iter().map(|r| (r.0, *r)).collect();
    for r in ISO93_CHANGES {
        rows.insert(r.0, *r);
    }
    rows.remove(&65);
    rows.insert(128, (128, "Message authentication code", B, Fixed, 8));
    for n in 129..=191 {
        rows.insert(n, (n, "Reserved", Ans, LLL, 999));
    }
    rows.insert(192, (192, "Message authentication code", B, Fixed, 8));
    let mut fields: BTreeMap<_, _> = rows.values().map(ascii_field).collect();
    if let Some(f) = fields.get_mut(&55) {
        f.structure = Some(Structure::Tlv);
        f.mask = Mask::Tlv;
    }
    Spec::new(
        "iso93ascii",
        MtiEncoding::Ascii,
        BitmapEncoding::Hex,
        true,
        Framing::default(),
        fields,
    )
    .expect("built-in spec is valid")
}

fn sub(name: &str, format: Format, length: u16) -> SubFieldSpec {
    SubFieldSpec {
        name: name.to_owned(),
        format,
        length,
        rest: false,
    }
}

fn rest(name: &str, format: Format, max: u16) -> SubFieldSpec {
    SubFieldSpec {
        name: name.to_owned(),
        format,
        length: max,
        rest: true,
    }
}

/// The China UnionPay POS terminal dialect (§4.3, §4.4, §4.6).
fn cup_pos() -> Spec {
    // Start from the 1987 layout with CUP wire rules, then apply the CUP field table.
    let mut fields: BTreeMap<u16, FieldSpec> = ISO87
        .iter()
        .filter(|r| r.0 <= 64)
        .map(binary_field)
        .collect();
    let cup: &[Row] = &[
        (2, "Primary account number", N, LL, 19),
        (3, "Processing code", N, Fixed, 6),
        (4, "Amount, transaction", N, Fixed, 12),
        (11, "System trace audit number", N, Fixed, 6),
        (12, "Time, local transaction", N, Fixed, 6),
        (13, "Date, local transaction", N, Fixed, 4),
        (14, "Date, expiration", N, Fixed, 4),
        (15, "Date, settlement", N, Fixed, 4),
        (22, "Point of service entry mode", N, Fixed, 3),
        (23, "Card sequence number", N, Fixed, 3),
        (25, "Point of service condition code", N, Fixed, 2),
        (26, "Point of service PIN capture code", N, Fixed, 2),
        (32, "Acquiring institution identification code", N, LL, 11),
        (35, "Track 2 data", Z, LL, 37),
        (36, "Track 3 data", Z, LLL, 104),
        (37, "Retrieval reference number", An, Fixed, 12),
        (38, "Authorization identification response", An, Fixed, 6),
        (39, "Response code", An, Fixed, 2),
        (41, "Card acceptor terminal identification", Ans, Fixed, 8),
        (42, "Card acceptor identification code", Ans, Fixed, 15),
        (44, "Additional response data", An, LL, 25),
        (48, "Additional data - private", N, LLL, 322),
        (49, "Currency code, transaction", An, Fixed, 3),
        (52, "PIN data", B, Fixed, 8),
        (53, "Security related control information", N, Fixed, 16),
        (54, "Balance amount", An, LLL, 20),
        (55, "ICC system related data", B, LLL, 255),
        (58, "PBOC electronic wallet", Ans, LLL, 100),
        (59, "Private data", Ans, LLL, 999),
        (60, "Reserved private", N, LLL, 17),
        (61, "Original message", N, LLL, 29),
        (62, "Reserved private", B, LLL, 512),
        (63, "Reserved private", Ans, LLL, 163),
        (64, "Message authentication code", B, Fixed, 8),
    ];
    for r in cup {
        let (n, f) = binary_field(r);
        fields.insert(n, f);
    }
    // F22 is the one fixed numeric that is left-aligned (`0710` = "071").
    if let Some(f) = fields.get_mut(&22) {
        f.align = Align::Left;
    }
    let set = |fields: &mut BTreeMap<u16, FieldSpec>, n: u16, s: Structure| {
        if let Some(f) = fields.get_mut(&n) {
            f.structure = Some(s);
        }
    };
    set(
        &mut fields,
        44,
        Structure::Positional {
            subfields: vec![
                sub("Issuing institution ID", An, 11),
                rest("Acquiring institution ID", An, 14),
            ],
        },
    );
    set(&mut fields, 55, Structure::Tlv);
    if let Some(f) = fields.get_mut(&55) {
        f.mask = Mask::Tlv;
    }
    if let Some(f) = fields.get_mut(&62) {
        f.mask = Mask::Full;
    }
    set(
        &mut fields,
        60,
        Structure::Positional {
            subfields: vec![
                sub("Transaction type code", N, 2),
                sub("Batch number", N, 6),
                sub("Network management information code", N, 3),
                sub("Terminal read capability", N, 1),
                sub("IC card condition code", N, 1),
                sub("Partial approval / balance flag", N, 1),
                rest("Account type", N, 3),
            ],
        },
    );
    set(
        &mut fields,
        61,
        Structure::Positional {
            subfields: vec![
                sub("Original batch number", N, 6),
                sub("Original STAN", N, 6),
                sub("Original date MMDD", N, 4),
                rest("Additional original data", N, 13),
            ],
        },
    );
    set(
        &mut fields,
        63,
        Structure::Positional {
            subfields: vec![
                sub("Operator code / card scheme", Ans, 3),
                rest("Private data", Ans, 160),
            ],
        },
    );
    for f in fields.values_mut() {
        // Every CUP prefix is BCD; n/z count digits, an/ans/b count bytes (= characters).
        f.prefix = PrefixEncoding::Bcd;
        f.counts = if matches!(f.format, N | Z | Xn) {
            LengthUnit::Chars
        } else {
            LengthUnit::Bytes
        };
    }
    Spec::new(
        "cup-pos",
        MtiEncoding::Bcd,
        BitmapEncoding::Binary,
        false,
        Framing::CUP_POS,
        fields,
    )
    .expect("built-in spec is valid")
}

/// Builds a built-in spec by name.
pub(crate) fn get(name: &str) -> Option<Spec> {
    match name {
        "cup-pos" => Some(cup_pos()),
        "iso87ascii" => Some(iso87ascii()),
        "iso87binary" => Some(iso87binary()),
        "iso93ascii" => Some(iso93ascii()),
        _ => None,
    }
}
