//! Domain vocabulary shared by the terminal session and the acquirer processor.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::LifecycleError;

/// The card number type of the `card` module (masked in Debug/Display, zeroized on drop).
pub use crate::card::{Pan, Track2};

/// System trace audit number (F11): six digits, `000001..=999999`, wrapping back to 1.
///
/// `000000` is never used because several hosts treat it as "absent".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Stan(u32);

impl Stan {
    /// The first trace number of a fresh terminal.
    pub const FIRST: Stan = Stan(1);

    /// Validates a trace number.
    pub fn new(value: u32) -> Result<Self, LifecycleError> {
        if (1..=999_999).contains(&value) {
            Ok(Stan(value))
        } else {
            Err(LifecycleError::OutOfRange {
                what: "STAN",
                value: u64::from(value),
            })
        }
    }

    /// The numeric value.
    pub fn value(self) -> u32 {
        self.0
    }

    /// The next trace number, wrapping `999999 → 000001`.
    pub fn next(self) -> Stan {
        if self.0 >= 999_999 {
            Stan(1)
        } else {
            Stan(self.0 + 1)
        }
    }
}

impl TryFrom<u32> for Stan {
    type Error = LifecycleError;
    fn try_from(v: u32) -> Result<Self, Self::Error> {
        Stan::new(v)
    }
}

impl From<Stan> for u32 {
    fn from(s: Stan) -> u32 {
        s.0
    }
}

impl fmt::Display for Stan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

/// Batch number (F60.2): six digits, `000001..=999999`, wrapping back to 1 after a settled batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct BatchNo(u32);

impl BatchNo {
    /// The first batch.
    pub const FIRST: BatchNo = BatchNo(1);

    /// Validates a batch number.
    pub fn new(value: u32) -> Result<Self, LifecycleError> {
        if (1..=999_999).contains(&value) {
            Ok(BatchNo(value))
        } else {
            Err(LifecycleError::OutOfRange {
                what: "batch number",
                value: u64::from(value),
            })
        }
    }

    /// The numeric value.
    pub fn value(self) -> u32 {
        self.0
    }

    /// The batch that follows a settled one, wrapping `999999 → 000001`.
    pub fn next(self) -> BatchNo {
        if self.0 >= 999_999 {
            BatchNo(1)
        } else {
            BatchNo(self.0 + 1)
        }
    }
}

impl TryFrom<u32> for BatchNo {
    type Error = LifecycleError;
    fn try_from(v: u32) -> Result<Self, Self::Error> {
        BatchNo::new(v)
    }
}

impl From<BatchNo> for u32 {
    fn from(b: BatchNo) -> u32 {
        b.0
    }
}

impl fmt::Display for BatchNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

fn check_ans<const N: usize>(what: &'static str, s: &[u8]) -> Result<[u8; N], LifecycleError> {
    let bad = LifecycleError::InvalidIdentifier {
        what,
        expected_len: N,
    };
    if !s.iter().all(|b| (0x20..0x7f).contains(b)) {
        return Err(bad);
    }
    s.try_into().map_err(|_| bad)
}

/// Generates a fixed-width printable-ASCII identifier stored inline (no heap: identifiers are
/// copied into every key, record and event), serialised as a string.
macro_rules! ascii_id {
    ($(#[$doc:meta])* $name:ident, $len:expr, $what:expr, $as_str_doc:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name([u8; $len]);

        const _: () = assert!($len <= 16, "ordering packs the id into a u128");

        /// Text order (byte-wise), compared as one big-endian number: the identifiers key
        /// the processor's maps.
        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                fn wide(b: &[u8; $len]) -> u128 {
                    let mut w = [0u8; 16];
                    w[..$len].copy_from_slice(b);
                    u128::from_be_bytes(w)
                }
                wide(&self.0).cmp(&wide(&other.0))
            }
        }
        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl $name {
            /// Validates an identifier.
            pub fn new(s: impl Into<String>) -> Result<Self, LifecycleError> {
                Self::parse(&s.into())
            }
            /// Validates an identifier without taking ownership of the text.
            pub(crate) fn parse(s: &str) -> Result<Self, LifecycleError> {
                Self::parse_bytes(s.as_bytes())
            }
            /// Validates an identifier straight from a field's bytes (printable ASCII only,
            /// so the same outcome as [`Self::parse`] of the text).
            pub(crate) fn parse_bytes(s: &[u8]) -> Result<Self, LifecycleError> {
                check_ans($what, s).map($name)
            }
            #[doc = $as_str_doc]
            pub fn as_str(&self) -> &str {
                // Printable ASCII, checked on construction.
                std::str::from_utf8(&self.0).unwrap_or_default()
            }
        }

        impl TryFrom<String> for $name {
            type Error = LifecycleError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(t: $name) -> String {
                t.as_str().to_owned()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        /// Shown as the text, like the `String` it once wrapped.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.as_str()).finish()
            }
        }
    };
}

ascii_id!(
    /// Terminal id (F41): exactly 8 printable ASCII characters.
    TerminalId,
    8,
    "terminal id",
    "The 8 characters."
);

ascii_id!(
    /// Merchant id (F42): exactly 15 printable ASCII characters.
    MerchantId,
    15,
    "merchant id",
    "The 15 characters."
);

/// An amount in the currency's minor unit (fen for CNY) with its ISO 4217 numeric code.
///
/// The wire (F4, n12) cannot carry a negative amount or more than 12 digits, so neither can this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Amount {
    /// Minor units, `0..=999_999_999_999`.
    pub minor: i64,
    /// ISO 4217 numeric currency code, e.g. 156 for CNY.
    pub currency: u16,
}

impl Amount {
    /// Largest value F4 can carry.
    pub const MAX_MINOR: i64 = 999_999_999_999;

    /// Validates the range and the currency code.
    pub fn new(minor: i64, currency: u16) -> Result<Self, LifecycleError> {
        if !(0..=Self::MAX_MINOR).contains(&minor) {
            return Err(LifecycleError::OutOfRange {
                what: "amount",
                value: minor.unsigned_abs(),
            });
        }
        if currency == 0 || currency > 999 {
            return Err(LifecycleError::OutOfRange {
                what: "currency",
                value: u64::from(currency),
            });
        }
        Ok(Amount { minor, currency })
    }

    /// Renminbi fen.
    pub fn cny(fen: i64) -> Result<Self, LifecycleError> {
        Amount::new(fen, 156)
    }
}

/// The card operations a terminal can start. Reversal is not here: it is never started by the
/// operator, only by the session itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransactionKind {
    /// 消费: 0200 / 000000 / cond 00 / 60.1 = 22.
    Sale,
    /// 余额查询: 0200 / 310000 / cond 00 / 60.1 = 01. No money moves.
    BalanceInquiry,
    /// 预授权: 0100 / 030000 / cond 06 / 60.1 = 10.
    PreAuth,
    /// 预授权撤销: 0100 / 200000 / cond 06 / 60.1 = 11.
    PreAuthCancel,
    /// 预授权完成 (online request): 0200 / 000000 / cond 06 / 60.1 = 20.
    Completion,
    /// 预授权完成撤销: 0200 / 200000 / cond 06 / 60.1 = 21.
    CompletionVoid,
    /// 消费撤销: 0200 / 200000 / cond 00 / 60.1 = 23.
    Void,
    /// 退货: 0220 / 200000 / cond 00 / 60.1 = 25 (a notification; not reversible).
    Refund,
}

impl TransactionKind {
    /// All kinds, for tables and tests.
    pub const ALL: [TransactionKind; 8] = [
        TransactionKind::Sale,
        TransactionKind::BalanceInquiry,
        TransactionKind::PreAuth,
        TransactionKind::PreAuthCancel,
        TransactionKind::Completion,
        TransactionKind::CompletionVoid,
        TransactionKind::Void,
        TransactionKind::Refund,
    ];

    /// Request MTI.
    pub fn mti(self) -> u16 {
        match self {
            TransactionKind::PreAuth | TransactionKind::PreAuthCancel => 100,
            TransactionKind::Refund => 220,
            _ => 200,
        }
    }

    /// F3 processing code.
    pub fn processing_code(self) -> u32 {
        match self {
            TransactionKind::Sale | TransactionKind::Completion => 0,
            TransactionKind::BalanceInquiry => 310_000,
            TransactionKind::PreAuth => 30_000,
            TransactionKind::PreAuthCancel
            | TransactionKind::CompletionVoid
            | TransactionKind::Void
            | TransactionKind::Refund => 200_000,
        }
    }

    /// F25 POS condition code.
    pub fn condition_code(self) -> u8 {
        match self {
            TransactionKind::PreAuth
            | TransactionKind::PreAuthCancel
            | TransactionKind::Completion
            | TransactionKind::CompletionVoid => 6,
            _ => 0,
        }
    }

    /// F60.1 transaction type code.
    pub fn type_code(self) -> u8 {
        match self {
            TransactionKind::BalanceInquiry => 1,
            TransactionKind::PreAuth => 10,
            TransactionKind::PreAuthCancel => 11,
            TransactionKind::Completion => 20,
            TransactionKind::CompletionVoid => 21,
            TransactionKind::Sale => 22,
            TransactionKind::Void => 23,
            TransactionKind::Refund => 25,
        }
    }

    /// Recognises a request from its MTI, F3, F25 and F60.1 (all four must agree).
    pub fn from_wire(mti: u16, processing_code: u32, condition: u8, type_code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|k| {
            k.mti() == mti
                && k.processing_code() == processing_code
                && k.condition_code() == condition
                && k.type_code() == type_code
        })
    }

    /// Whether the terminal must reverse it when the outcome is unknown (引发冲正).
    pub fn is_reversible(self) -> bool {
        !matches!(
            self,
            TransactionKind::BalanceInquiry | TransactionKind::Refund
        )
    }

    /// Whether it refers to an earlier transaction (F61 original data).
    pub fn needs_original(self) -> bool {
        matches!(
            self,
            TransactionKind::PreAuthCancel
                | TransactionKind::Completion
                | TransactionKind::CompletionVoid
                | TransactionKind::Void
                | TransactionKind::Refund
        )
    }

    /// Which side of the batch totals (F48) an approved transaction of this kind counts in:
    /// "debit" (借记, the cardholder pays: sale, completion) or "credit" (贷记, money back:
    /// void, completion void, refund). Pre-auths and inquiries move no money in the batch.
    pub fn totals_side(self) -> Option<TotalsSide> {
        match self {
            TransactionKind::Sale | TransactionKind::Completion => Some(TotalsSide::Debit),
            TransactionKind::Void | TransactionKind::CompletionVoid | TransactionKind::Refund => {
                Some(TotalsSide::Credit)
            }
            _ => None,
        }
    }
}

/// The two sides of the batch totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TotalsSide {
    /// 借记: sales and completions.
    Debit,
    /// 贷记: voids, completion voids, refunds.
    Credit,
}

/// How the card was read (F22 first two digits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryMode {
    /// `01` key entry.
    Manual,
    /// `02` magnetic stripe.
    Magstripe,
    /// `05` contact chip.
    Chip,
    /// `07` contactless (QuickPass).
    Contactless,
    /// `03` QR code.
    Qr,
}

impl EntryMode {
    /// The two F22 digits.
    pub fn code(self) -> u16 {
        match self {
            EntryMode::Manual => 1,
            EntryMode::Magstripe => 2,
            EntryMode::Qr => 3,
            EntryMode::Chip => 5,
            EntryMode::Contactless => 7,
        }
    }
    /// Parses the two F22 digits.
    pub fn from_code(c: u16) -> Option<Self> {
        Some(match c {
            1 => EntryMode::Manual,
            2 => EntryMode::Magstripe,
            3 => EntryMode::Qr,
            5 => EntryMode::Chip,
            7 => EntryMode::Contactless,
            _ => return None,
        })
    }
    /// The acceptance channel this entry mode implies, for fee schedules.
    pub fn channel(self) -> Channel {
        match self {
            EntryMode::Contactless => Channel::Contactless,
            EntryMode::Qr => Channel::Qr,
            _ => Channel::Card,
        }
    }
}

/// Acceptance channel, as fee schedules distinguish it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// Swipe, dip or key entry.
    Card,
    /// Contactless card or phone (QuickPass NFC).
    Contactless,
    /// QR code.
    Qr,
}

/// Card scheme as the host reports it in F63.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CardBrand {
    /// `CUP` UnionPay.
    UnionPay,
    /// `VIS`.
    Visa,
    /// `MCC`.
    Mastercard,
    /// `JCB`.
    Jcb,
    /// `AMX`.
    Amex,
    /// Anything else.
    Other,
}

impl CardBrand {
    /// The F63.1 three-letter code.
    pub fn code(self) -> &'static str {
        match self {
            CardBrand::UnionPay => "CUP",
            CardBrand::Visa => "VIS",
            CardBrand::Mastercard => "MCC",
            CardBrand::Jcb => "JCB",
            CardBrand::Amex => "AMX",
            CardBrand::Other => "OTH",
        }
    }
    /// Parses F63.1.
    pub fn from_code(s: &str) -> CardBrand {
        match s {
            "CUP" => CardBrand::UnionPay,
            "VIS" => CardBrand::Visa,
            "MCC" | "MAE" => CardBrand::Mastercard,
            "JCB" => CardBrand::Jcb,
            "AMX" => CardBrand::Amex,
            _ => CardBrand::Other,
        }
    }
    /// Domestic (内卡) or foreign (外卡) for the batch totals.
    pub fn is_domestic(self) -> bool {
        self == CardBrand::UnionPay
    }
}

/// Debit or credit card, for fee schedules (not to be confused with [`TotalsSide`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CardType {
    /// 借记卡.
    Debit,
    /// 贷记卡 / 准贷记卡.
    Credit,
}

/// Where a transaction sits in a batch: enough to name it in F61 and in a reversal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TxnRef {
    /// F60.2 of the original.
    pub batch: BatchNo,
    /// F11 of the original.
    pub stan: Stan,
}
