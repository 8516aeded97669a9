//! Cardholder verification: the CVM List (`8E`) and CVM Results (`9F34`).

use serde::{Deserialize, Serialize};

use super::{ExplainError, ExplainedItem, Explanation};
use crate::tlv::Tag;

/// A cardholder verification method (b6–b1 of CV Rule byte 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CvmMethod {
    /// `00` Fail CVM processing.
    FailCvm,
    /// `01` Plaintext PIN verification performed by ICC.
    PlaintextPinIcc,
    /// `02` Enciphered PIN verified online.
    EncipheredPinOnline,
    /// `03` Plaintext PIN verification by ICC and signature.
    PlaintextPinIccAndSignature,
    /// `04` Enciphered PIN verification performed by ICC.
    EncipheredPinIcc,
    /// `05` Enciphered PIN verification by ICC and signature.
    EncipheredPinIccAndSignature,
    /// `06`–`0F` biometrics (EMV 4.4), the code is kept.
    Biometric(u8),
    /// `1E` Signature (paper).
    Signature,
    /// `1F` No CVM required.
    NoCvmRequired,
    /// `3F` No CVM performed (CVM Results) / invalid in a list.
    NoCvmPerformed,
    /// Any other code (payment-system or issuer specific, RFU).
    Other(u8),
}

impl CvmMethod {
    /// From the 6-bit code.
    pub fn from_code(code: u8) -> Self {
        match code & 0x3F {
            0x00 => Self::FailCvm,
            0x01 => Self::PlaintextPinIcc,
            0x02 => Self::EncipheredPinOnline,
            0x03 => Self::PlaintextPinIccAndSignature,
            0x04 => Self::EncipheredPinIcc,
            0x05 => Self::EncipheredPinIccAndSignature,
            c @ 0x06..=0x0F => Self::Biometric(c),
            0x1E => Self::Signature,
            0x1F => Self::NoCvmRequired,
            0x3F => Self::NoCvmPerformed,
            c => Self::Other(c),
        }
    }

    /// The 6-bit code.
    pub fn code(self) -> u8 {
        match self {
            Self::FailCvm => 0x00,
            Self::PlaintextPinIcc => 0x01,
            Self::EncipheredPinOnline => 0x02,
            Self::PlaintextPinIccAndSignature => 0x03,
            Self::EncipheredPinIcc => 0x04,
            Self::EncipheredPinIccAndSignature => 0x05,
            Self::Biometric(c) | Self::Other(c) => c & 0x3F,
            Self::Signature => 0x1E,
            Self::NoCvmRequired => 0x1F,
            Self::NoCvmPerformed => 0x3F,
        }
    }

    /// Readable meaning.
    pub fn description(self) -> String {
        let bio = |c: u8| {
            let kind = ["facial", "finger", "palm", "iris", "voice"][((c - 6) / 2) as usize];
            let mode = if c.is_multiple_of(2) {
                "offline"
            } else {
                "online"
            };
            format!("{kind} biometric, {mode}")
        };
        match self {
            Self::FailCvm => "Fail CVM processing".into(),
            Self::PlaintextPinIcc => "Plaintext PIN verification performed by ICC".into(),
            Self::EncipheredPinOnline => "Enciphered PIN verified online".into(),
            Self::PlaintextPinIccAndSignature => {
                "Plaintext PIN verification performed by ICC and signature (paper)".into()
            }
            Self::EncipheredPinIcc => "Enciphered PIN verification performed by ICC".into(),
            Self::EncipheredPinIccAndSignature => {
                "Enciphered PIN verification performed by ICC and signature (paper)".into()
            }
            Self::Biometric(c) => bio(c),
            Self::Signature => "Signature (paper)".into(),
            Self::NoCvmRequired => "No CVM required".into(),
            Self::NoCvmPerformed => "No CVM performed".into(),
            Self::Other(c) => format!("proprietary or RFU CVM {c:02X}"),
        }
    }
}

/// When a CV Rule applies (CV Rule byte 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CvmCondition {
    /// `00` Always.
    Always,
    /// `01` If unattended cash.
    UnattendedCash,
    /// `02` If not unattended cash and not manual cash and not purchase with cashback.
    NotCashOrCashback,
    /// `03` If terminal supports the CVM.
    TerminalSupportsCvm,
    /// `04` If manual cash.
    ManualCash,
    /// `05` If purchase with cashback.
    PurchaseWithCashback,
    /// `06` If transaction is in the application currency and under X.
    UnderX,
    /// `07` If transaction is in the application currency and over X.
    OverX,
    /// `08` If transaction is in the application currency and under Y.
    UnderY,
    /// `09` If transaction is in the application currency and over Y.
    OverY,
    /// Any other code (RFU or payment-system specific).
    Other(u8),
}

impl CvmCondition {
    /// From the condition code.
    pub fn from_code(code: u8) -> Self {
        use CvmCondition::*;
        [
            Always,
            UnattendedCash,
            NotCashOrCashback,
            TerminalSupportsCvm,
            ManualCash,
            PurchaseWithCashback,
            UnderX,
            OverX,
            UnderY,
            OverY,
        ]
        .get(code as usize)
        .copied()
        .unwrap_or(Other(code))
    }

    /// The condition code.
    pub fn code(self) -> u8 {
        use CvmCondition::*;
        match self {
            Always => 0,
            UnattendedCash => 1,
            NotCashOrCashback => 2,
            TerminalSupportsCvm => 3,
            ManualCash => 4,
            PurchaseWithCashback => 5,
            UnderX => 6,
            OverX => 7,
            UnderY => 8,
            OverY => 9,
            Other(c) => c,
        }
    }

    /// Readable meaning.
    pub fn description(self) -> String {
        use CvmCondition::*;
        match self {
            Always => "Always".into(),
            UnattendedCash => "If unattended cash".into(),
            NotCashOrCashback => {
                "If not unattended cash and not manual cash and not purchase with cashback".into()
            }
            TerminalSupportsCvm => "If terminal supports the CVM".into(),
            ManualCash => "If manual cash".into(),
            PurchaseWithCashback => "If purchase with cashback".into(),
            UnderX => "If transaction is in the application currency and is under X value".into(),
            OverX => "If transaction is in the application currency and is over X value".into(),
            UnderY => "If transaction is in the application currency and is under Y value".into(),
            OverY => "If transaction is in the application currency and is over Y value".into(),
            Other(c) => format!("RFU or proprietary condition {c:02X}"),
        }
    }
}

/// One CV Rule of a CVM List.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CvRule {
    /// The method.
    pub method: CvmMethod,
    /// When it applies.
    pub condition: CvmCondition,
    /// b7 of byte 1: apply the next rule if this one fails (otherwise cardholder verification fails).
    pub apply_next_if_unsuccessful: bool,
}

impl CvRule {
    /// The two rule bytes.
    pub fn to_bytes(self) -> [u8; 2] {
        let b1 = self.method.code()
            | if self.apply_next_if_unsuccessful {
                0x40
            } else {
                0
            };
        [b1, self.condition.code()]
    }

    /// From the two rule bytes.
    pub fn from_bytes(b: [u8; 2]) -> Self {
        CvRule {
            method: CvmMethod::from_code(b[0]),
            condition: CvmCondition::from_code(b[1]),
            apply_next_if_unsuccessful: b[0] & 0x40 != 0,
        }
    }
}

/// CVM List (`8E`): amounts X and Y and the CV Rules in priority order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CvmList {
    /// Amount X, in the application currency's minor units (binary).
    pub amount_x: u32,
    /// Amount Y.
    pub amount_y: u32,
    /// The rules.
    pub rules: Vec<CvRule>,
}

impl CvmList {
    /// The tag `8E`.
    pub const TAG: Tag = Tag::of(0x8E);

    /// Parses a CVM List: 8 bytes of amounts, then an even number of rule bytes.
    pub fn from_bytes(v: &[u8]) -> Result<Self, ExplainError> {
        if v.len() < 8 {
            return Err(ExplainError::BadLength {
                tag: Self::TAG,
                expected: 10,
                actual: v.len(),
            });
        }
        if !v.len().is_multiple_of(2) {
            return Err(ExplainError::BadValue {
                tag: Self::TAG,
                reason: format!("odd number of CV Rule bytes ({})", v.len() - 8),
            });
        }
        let amount = |i: usize| u32::from_be_bytes([v[i], v[i + 1], v[i + 2], v[i + 3]]);
        Ok(CvmList {
            amount_x: amount(0),
            amount_y: amount(4),
            rules: v[8..]
                .chunks_exact(2)
                .map(|c| CvRule::from_bytes([c[0], c[1]]))
                .collect(),
        })
    }

    /// The value bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 2 * self.rules.len());
        out.extend_from_slice(&self.amount_x.to_be_bytes());
        out.extend_from_slice(&self.amount_y.to_be_bytes());
        for r in &self.rules {
            out.extend_from_slice(&r.to_bytes());
        }
        out
    }

    /// Named sub-fields and a readable explanation.
    pub fn explain(&self) -> Explanation {
        let mut items = vec![
            ExplainedItem::field("amount_x", self.amount_x.to_string()),
            ExplainedItem::field("amount_y", self.amount_y.to_string()),
        ];
        for (i, r) in self.rules.iter().enumerate() {
            let next = if r.apply_next_if_unsuccessful {
                "apply succeeding CV Rule if this CVM is unsuccessful"
            } else {
                "fail cardholder verification if this CVM is unsuccessful"
            };
            items.push(ExplainedItem::field(
                &format!("rule_{}", i + 1),
                format!(
                    "{}, {}; {next}",
                    r.method.description(),
                    r.condition.description()
                ),
            ));
        }
        let summary = format!(
            "{} CV rule(s), X={}, Y={}",
            self.rules.len(),
            self.amount_x,
            self.amount_y
        );
        Explanation::new(
            Self::TAG,
            "Cardholder Verification Method (CVM) List",
            &self.to_bytes(),
            summary,
            items,
        )
    }
}

/// The result byte of CVM Results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CvmResult {
    /// `00` Unknown (e.g. signature).
    Unknown,
    /// `01` Failed.
    Failed,
    /// `02` Successful.
    Successful,
    /// Anything else.
    Other(u8),
}

impl CvmResult {
    fn from_code(c: u8) -> Self {
        match c {
            0 => Self::Unknown,
            1 => Self::Failed,
            2 => Self::Successful,
            c => Self::Other(c),
        }
    }

    fn code(self) -> u8 {
        match self {
            Self::Unknown => 0,
            Self::Failed => 1,
            Self::Successful => 2,
            Self::Other(c) => c,
        }
    }

    fn description(self) -> String {
        match self {
            Self::Unknown => "Unknown".into(),
            Self::Failed => "Failed".into(),
            Self::Successful => "Successful".into(),
            Self::Other(c) => format!("RFU result {c:02X}"),
        }
    }
}

/// CVM Results (`9F34`): the CVM performed, its condition and the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CvmResults {
    /// The rule that was performed (byte 1 and 2 as in the CVM List).
    pub rule: CvRule,
    /// The outcome.
    pub result: CvmResult,
}

impl CvmResults {
    /// The tag `9F34`.
    pub const TAG: Tag = Tag::of(0x9F34);

    /// From the 3 value bytes.
    pub fn from_bytes(v: &[u8]) -> Result<Self, ExplainError> {
        let [b1, b2, b3]: [u8; 3] = v.try_into().map_err(|_| ExplainError::BadLength {
            tag: Self::TAG,
            expected: 3,
            actual: v.len(),
        })?;
        Ok(CvmResults {
            rule: CvRule::from_bytes([b1, b2]),
            result: CvmResult::from_code(b3),
        })
    }

    /// The 3 value bytes.
    pub fn to_bytes(self) -> [u8; 3] {
        let [a, b] = self.rule.to_bytes();
        [a, b, self.result.code()]
    }

    /// Named sub-fields and a readable explanation.
    pub fn explain(&self) -> Explanation {
        let items = vec![
            ExplainedItem::field("method", self.rule.method.description()),
            ExplainedItem::field("condition", self.rule.condition.description()),
            ExplainedItem::field("result", self.result.description()),
        ];
        let summary = items
            .iter()
            .map(|i| i.text.clone())
            .collect::<Vec<_>>()
            .join(" / ");
        Explanation::new(
            Self::TAG,
            "Cardholder Verification Method (CVM) Results",
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
    fn cvm_results_reference_vector() {
        let r = CvmResults::from_bytes(&[0x1E, 0x00, 0x02]).unwrap();
        assert_eq!(r.rule.method, CvmMethod::Signature);
        assert_eq!(r.rule.condition, CvmCondition::Always);
        assert_eq!(r.result, CvmResult::Successful);
        assert_eq!(
            r.explain().summary,
            "Signature (paper) / Always / Successful"
        );
        assert_eq!(r.to_bytes(), [0x1E, 0x00, 0x02]);
        let none = CvmResults::from_bytes(&[0x3F, 0x00, 0x00]).unwrap();
        assert_eq!(none.rule.method, CvmMethod::NoCvmPerformed);
    }

    #[test]
    fn cvm_list_multi_rule() {
        // X=0, Y=0; 42 03 (online PIN if supported, next), 1E 03 (signature if supported, next), 1F 00 (no CVM).
        let v = crate::hex::decode("000000000000000042031E031F00").unwrap();
        let l = CvmList::from_bytes(&v).unwrap();
        assert_eq!(l.rules.len(), 3);
        assert_eq!(l.rules[0].method, CvmMethod::EncipheredPinOnline);
        assert!(l.rules[0].apply_next_if_unsuccessful);
        assert_eq!(l.rules[0].condition, CvmCondition::TerminalSupportsCvm);
        assert_eq!(l.rules[2].method, CvmMethod::NoCvmRequired);
        assert!(!l.rules[2].apply_next_if_unsuccessful);
        assert_eq!(l.to_bytes(), v);
        let l2 = CvmList::from_bytes(&crate::hex::decode("000003E8000007D00106").unwrap()).unwrap();
        assert_eq!((l2.amount_x, l2.amount_y), (1000, 2000));
        assert_eq!(l2.rules[0].condition, CvmCondition::UnderX);
        assert!(CvmList::from_bytes(&[0; 9]).is_err());
        assert!(CvmList::from_bytes(&[0; 7]).is_err());
        for code in 0..=0x3F {
            assert_eq!(CvmMethod::from_code(code).code(), code);
        }
        for code in 0..=0xFF {
            assert_eq!(CvmCondition::from_code(code).code(), code);
        }
    }
}
