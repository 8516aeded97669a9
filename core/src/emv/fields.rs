//! Small coded fields: CID (`9F27`), Terminal Type (`9F35`), Transaction Type (`9C`) and the
//! UnionPay Issuer Application Data (`9F10`).

use serde::{Deserialize, Serialize};

use super::{ExplainError, ExplainedItem, Explanation};
use crate::tlv::Tag;

fn one_byte(tag: Tag, v: &[u8]) -> Result<u8, ExplainError> {
    match v {
        [b] => Ok(*b),
        _ => Err(ExplainError::BadLength {
            tag,
            expected: 1,
            actual: v.len(),
        }),
    }
}

fn bcd2(tag: Tag, b: u8) -> Result<u8, ExplainError> {
    if b >> 4 > 9 || b & 0x0F > 9 {
        return Err(ExplainError::BadValue {
            tag,
            reason: format!("{b:02X} is not two BCD digits"),
        });
    }
    Ok((b >> 4) * 10 + (b & 0x0F))
}

/// Cryptogram type in the CID (b8–b7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcType {
    /// `00` Application Authentication Cryptogram: declined.
    Aac,
    /// `01` Transaction Certificate: approved offline.
    Tc,
    /// `10` Authorisation Request Cryptogram: go online.
    Arqc,
    /// `11` RFU.
    Rfu,
}

/// Reason/advice code in the CID (b3–b1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CidReason {
    /// `000` No information given.
    NoInformation,
    /// `001` Service not allowed.
    ServiceNotAllowed,
    /// `010` PIN Try Limit exceeded.
    PinTryLimitExceeded,
    /// `011` Issuer authentication failed.
    IssuerAuthenticationFailed,
    /// `1xx` RFU.
    Rfu(u8),
}

/// Cryptogram Information Data (`9F27`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cid {
    /// Cryptogram type.
    pub ac_type: AcType,
    /// b6–b5: payment-system-specific cryptogram (0–3).
    pub payment_system: u8,
    /// b4: advice required.
    pub advice_required: bool,
    /// b3–b1.
    pub reason: CidReason,
}

impl Cid {
    /// The tag `9F27`.
    pub const TAG: Tag = Tag::of(0x9F27);

    /// From the byte.
    pub fn from_byte(b: u8) -> Self {
        Cid {
            ac_type: [AcType::Aac, AcType::Tc, AcType::Arqc, AcType::Rfu][(b >> 6) as usize],
            payment_system: (b >> 4) & 0x03,
            advice_required: b & 0x08 != 0,
            reason: match b & 0x07 {
                0 => CidReason::NoInformation,
                1 => CidReason::ServiceNotAllowed,
                2 => CidReason::PinTryLimitExceeded,
                3 => CidReason::IssuerAuthenticationFailed,
                r => CidReason::Rfu(r),
            },
        }
    }

    /// From the value bytes (exactly one).
    pub fn from_bytes(v: &[u8]) -> Result<Self, ExplainError> {
        one_byte(Self::TAG, v).map(Self::from_byte)
    }

    /// The byte.
    pub fn to_byte(self) -> u8 {
        let t = match self.ac_type {
            AcType::Aac => 0,
            AcType::Tc => 1,
            AcType::Arqc => 2,
            AcType::Rfu => 3,
        };
        let r = match self.reason {
            CidReason::NoInformation => 0,
            CidReason::ServiceNotAllowed => 1,
            CidReason::PinTryLimitExceeded => 2,
            CidReason::IssuerAuthenticationFailed => 3,
            CidReason::Rfu(r) => r & 0x07,
        };
        t << 6 | (self.payment_system & 0x03) << 4 | u8::from(self.advice_required) << 3 | r
    }

    /// Named sub-fields and a readable explanation.
    pub fn explain(&self) -> Explanation {
        let ac = match self.ac_type {
            AcType::Aac => "AAC (transaction declined)",
            AcType::Tc => "TC (transaction approved)",
            AcType::Arqc => "ARQC (online authorisation requested)",
            AcType::Rfu => "RFU cryptogram type",
        };
        let reason = match self.reason {
            CidReason::NoInformation => "No information given".to_string(),
            CidReason::ServiceNotAllowed => "Service not allowed".to_string(),
            CidReason::PinTryLimitExceeded => "PIN Try Limit exceeded".to_string(),
            CidReason::IssuerAuthenticationFailed => "Issuer authentication failed".to_string(),
            CidReason::Rfu(r) => format!("RFU reason {r:03b}"),
        };
        let mut items = vec![ExplainedItem::field("cryptogram_type", ac)];
        if self.payment_system != 0 {
            items.push(ExplainedItem::field(
                "payment_system",
                format!("payment-system-specific cryptogram {}", self.payment_system),
            ));
        }
        items.push(ExplainedItem::field(
            "advice_required",
            if self.advice_required {
                "Advice required"
            } else {
                "No advice required"
            },
        ));
        items.push(ExplainedItem::field("reason", reason));
        Explanation::new(
            Self::TAG,
            "Cryptogram Information Data",
            &[self.to_byte()],
            ac.to_string(),
            items,
        )
    }
}

/// Who operates the terminal (tens digit of `9F35`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TerminalOperator {
    /// 1: financial institution.
    FinancialInstitution,
    /// 2: merchant.
    Merchant,
    /// 3: cardholder.
    Cardholder,
}

/// Online/offline capability (units digit of `9F35`, modulo attendance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TerminalCapability {
    /// Online only.
    OnlineOnly,
    /// Offline with online capability.
    OfflineWithOnline,
    /// Offline only.
    OfflineOnly,
}

/// Terminal Type (`9F35`, n2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalType {
    /// Operational control.
    pub operator: TerminalOperator,
    /// Attended (units 1–3) or unattended (4–6).
    pub attended: bool,
    /// Online/offline capability.
    pub capability: TerminalCapability,
}

impl TerminalType {
    /// The tag `9F35`.
    pub const TAG: Tag = Tag::of(0x9F35);

    /// From the value bytes (one BCD byte, e.g. `22`).
    pub fn from_bytes(v: &[u8]) -> Result<Self, ExplainError> {
        let n = bcd2(Self::TAG, one_byte(Self::TAG, v)?)?;
        let operator = match n / 10 {
            1 => TerminalOperator::FinancialInstitution,
            2 => TerminalOperator::Merchant,
            3 => TerminalOperator::Cardholder,
            _ => {
                return Err(ExplainError::BadValue {
                    tag: Self::TAG,
                    reason: format!("unknown terminal type {n:02}"),
                });
            }
        };
        let units = n % 10;
        let capability = match units {
            1 | 4 => TerminalCapability::OnlineOnly,
            2 | 5 => TerminalCapability::OfflineWithOnline,
            3 | 6 => TerminalCapability::OfflineOnly,
            _ => {
                return Err(ExplainError::BadValue {
                    tag: Self::TAG,
                    reason: format!("unknown terminal type {n:02}"),
                });
            }
        };
        Ok(TerminalType {
            operator,
            attended: units <= 3,
            capability,
        })
    }

    /// The BCD byte.
    pub fn to_byte(self) -> u8 {
        let tens = match self.operator {
            TerminalOperator::FinancialInstitution => 1,
            TerminalOperator::Merchant => 2,
            TerminalOperator::Cardholder => 3,
        };
        let units = match self.capability {
            TerminalCapability::OnlineOnly => 1,
            TerminalCapability::OfflineWithOnline => 2,
            TerminalCapability::OfflineOnly => 3,
        } + if self.attended { 0 } else { 3 };
        tens << 4 | units
    }

    /// Named sub-fields and a readable explanation.
    pub fn explain(&self) -> Explanation {
        let op = match self.operator {
            TerminalOperator::FinancialInstitution => "Financial institution",
            TerminalOperator::Merchant => "Merchant",
            TerminalOperator::Cardholder => "Cardholder",
        };
        let att = if self.attended {
            "Attended"
        } else {
            "Unattended"
        };
        let cap = match self.capability {
            TerminalCapability::OnlineOnly => "online only",
            TerminalCapability::OfflineWithOnline => "offline with online capability",
            TerminalCapability::OfflineOnly => "offline only",
        };
        let items = vec![
            ExplainedItem::field("operator", op),
            ExplainedItem::field("environment", att),
            ExplainedItem::field("capability", cap),
        ];
        Explanation::new(
            Self::TAG,
            "Terminal Type",
            &[self.to_byte()],
            format!("{op}, {att}, {cap}"),
            items,
        )
    }
}

/// Transaction Type (`9C`, n2): the first two digits of the ISO 8583 processing code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransactionType {
    /// `00` Goods and services.
    Goods,
    /// `01` Cash.
    Cash,
    /// `09` Purchase with cashback.
    Cashback,
    /// `20` Refund.
    Refund,
    /// `30` Inquiry.
    Inquiry,
    /// Another two-digit code (kept as its decimal value).
    Other(u8),
}

impl TransactionType {
    /// The tag `9C`.
    pub const TAG: Tag = Tag::of(0x9C);

    /// From the value bytes (one BCD byte).
    pub fn from_bytes(v: &[u8]) -> Result<Self, ExplainError> {
        Ok(match bcd2(Self::TAG, one_byte(Self::TAG, v)?)? {
            0 => Self::Goods,
            1 => Self::Cash,
            9 => Self::Cashback,
            20 => Self::Refund,
            30 => Self::Inquiry,
            n => Self::Other(n),
        })
    }

    /// The BCD byte.
    pub fn to_byte(self) -> u8 {
        let n = match self {
            Self::Goods => 0,
            Self::Cash => 1,
            Self::Cashback => 9,
            Self::Refund => 20,
            Self::Inquiry => 30,
            Self::Other(n) => n % 100,
        };
        ((n / 10) << 4) | (n % 10)
    }

    /// Named sub-fields and a readable explanation.
    pub fn explain(&self) -> Explanation {
        let text = match self {
            Self::Goods => "Goods and services".to_string(),
            Self::Cash => "Cash".to_string(),
            Self::Cashback => "Purchase with cashback".to_string(),
            Self::Refund => "Refund".to_string(),
            Self::Inquiry => "Inquiry".to_string(),
            Self::Other(n) => format!("Transaction type {n:02}"),
        };
        Explanation::new(
            Self::TAG,
            "Transaction Type",
            &[self.to_byte()],
            text.clone(),
            vec![ExplainedItem::field("transaction_type", text)],
        )
    }
}

/// UnionPay/PBOC Issuer Application Data (`9F10`, JR/T 0025 layout):
/// `07 ‖ DKI ‖ CVN ‖ CVR (4 bytes, first = 03) ‖ Algorithm ID [‖ IDD length ‖ IDD]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CupIad {
    /// Derivation Key Index.
    pub dki: u8,
    /// Cryptogram Version Number.
    pub cvn: u8,
    /// Card Verification Results (3 bytes after the CVR length byte `03`).
    #[serde(with = "crate::tlv::hex_serde")]
    pub cvr: Vec<u8>,
    /// Algorithm identifier, commonly `01` = 3DES, `04` = SM4 (verify with the issuer/CUP spec).
    pub algorithm: u8,
    /// Issuer Discretionary Data (1–15 bytes) when present.
    #[serde(with = "crate::tlv::hex_serde", default)]
    pub idd: Vec<u8>,
}

impl CupIad {
    /// The tag `9F10`.
    pub const TAG: Tag = Tag::of(0x9F10);

    /// Parses the UnionPay layout.
    pub fn from_bytes(v: &[u8]) -> Result<Self, ExplainError> {
        let bad = |reason: String| ExplainError::BadValue {
            tag: Self::TAG,
            reason,
        };
        if v.len() < 8 {
            return Err(ExplainError::BadLength {
                tag: Self::TAG,
                expected: 8,
                actual: v.len(),
            });
        }
        if v.len() > 32 {
            return Err(bad(format!("{} bytes, at most 32 allowed", v.len())));
        }
        if v[0] != 0x07 {
            return Err(bad(format!(
                "length byte {:02X}, UnionPay layout has 07",
                v[0]
            )));
        }
        if v[3] != 0x03 {
            return Err(bad(format!("CVR length {:02X}, expected 03", v[3])));
        }
        let idd = match &v[8..] {
            [] => Vec::new(),
            [len, rest @ ..] if *len as usize == rest.len() && (1..=15).contains(len) => {
                rest.to_vec()
            }
            rest => {
                return Err(bad(format!(
                    "issuer discretionary data: length byte does not match {} bytes",
                    rest.len()
                )));
            }
        };
        Ok(CupIad {
            dki: v[1],
            cvn: v[2],
            cvr: v[4..7].to_vec(),
            algorithm: v[7],
            idd,
        })
    }

    /// The value bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![0x07, self.dki, self.cvn, 0x03];
        let mut cvr = self.cvr.clone();
        cvr.resize(3, 0);
        out.extend_from_slice(&cvr);
        out.push(self.algorithm);
        if !self.idd.is_empty() {
            out.push(self.idd.len() as u8);
            out.extend_from_slice(&self.idd);
        }
        out
    }

    /// Named sub-fields and a readable explanation.
    pub fn explain(&self) -> Explanation {
        let alg = match self.algorithm {
            0x01 => "3DES",
            0x04 => "SM4",
            _ => "unknown",
        };
        let mut items = vec![
            ExplainedItem::field("dki", format!("{:02X}", self.dki)),
            ExplainedItem::field("cvn", format!("{:02X}", self.cvn)),
            ExplainedItem::field("cvr", crate::hex::encode(&self.cvr)),
            ExplainedItem::field("algorithm", format!("{:02X} ({alg})", self.algorithm)),
        ];
        if !self.idd.is_empty() {
            items.push(ExplainedItem::field("idd", crate::hex::encode(&self.idd)));
        }
        let summary = format!(
            "DKI {:02X}, CVN {:02X}, CVR {}, algorithm {alg}",
            self.dki,
            self.cvn,
            crate::hex::encode(&self.cvr)
        );
        Explanation::new(
            Self::TAG,
            "Issuer Application Data (UnionPay)",
            &self.to_bytes(),
            summary,
            items,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cid_all_bytes_round_trip() {
        for b in 0..=255u8 {
            assert_eq!(Cid::from_byte(b).to_byte(), b);
        }
        let c = Cid::from_byte(0x80);
        assert_eq!(c.ac_type, AcType::Arqc);
        assert_eq!(Cid::from_byte(0x40).ac_type, AcType::Tc);
        assert_eq!(Cid::from_byte(0x0A).reason, CidReason::PinTryLimitExceeded);
        assert!(Cid::from_byte(0x0A).advice_required);
    }

    #[test]
    fn terminal_and_transaction_type() {
        let t = TerminalType::from_bytes(&[0x22]).unwrap();
        assert_eq!(
            (t.operator, t.attended, t.capability),
            (
                TerminalOperator::Merchant,
                true,
                TerminalCapability::OfflineWithOnline
            )
        );
        assert_eq!(
            t.explain().summary,
            "Merchant, Attended, offline with online capability"
        );
        for b in [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x21, 0x25, 0x34, 0x36] {
            assert_eq!(TerminalType::from_bytes(&[b]).unwrap().to_byte(), b);
        }
        assert!(TerminalType::from_bytes(&[0x27]).is_err());
        assert!(TerminalType::from_bytes(&[0x1A]).is_err());
        assert_eq!(
            TransactionType::from_bytes(&[0x20]).unwrap(),
            TransactionType::Refund
        );
        assert_eq!(
            TransactionType::from_bytes(&[0x31]).unwrap(),
            TransactionType::Other(31)
        );
        assert_eq!(TransactionType::Other(31).to_byte(), 0x31);
        assert_eq!(TransactionType::Cashback.to_byte(), 0x09);
    }

    #[test]
    fn cup_iad() {
        let v = crate::hex::decode("07010103A0A802010A010000000000ABCDEF01").unwrap();
        let iad = CupIad::from_bytes(&v).unwrap();
        assert_eq!((iad.dki, iad.cvn, iad.algorithm), (1, 1, 1));
        assert_eq!(iad.cvr, [0xA0, 0xA8, 0x02]);
        assert_eq!(iad.idd.len(), 10);
        assert_eq!(iad.to_bytes(), v);
        let short = crate::hex::decode("07010103A0A80201").unwrap();
        assert_eq!(CupIad::from_bytes(&short).unwrap().to_bytes(), short);
        assert!(CupIad::from_bytes(&crate::hex::decode("0601010300000001").unwrap()).is_err());
        assert!(CupIad::from_bytes(&crate::hex::decode("07010103A0A8020105AA").unwrap()).is_err());
    }
}
