//! The message type indicator: four digits — version, class, function, origin.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A message type indicator, always four ASCII digits (e.g. `0200`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Mti([u8; 4]);

/// First digit: the version of ISO 8583.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MtiVersion {
    /// `0`: ISO 8583:1987.
    Iso1987,
    /// `1`: ISO 8583:1993.
    Iso1993,
    /// `2`: ISO 8583:2003.
    Iso2003,
    /// `8`: national use.
    National,
    /// `9`: private use.
    Private,
    /// `3`–`7`: reserved by ISO.
    Reserved(u8),
}

/// Second digit: the message class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MtiClass {
    /// `1`: authorization.
    Authorization,
    /// `2`: financial.
    Financial,
    /// `3`: file actions.
    FileAction,
    /// `4`: reversal or chargeback.
    Reversal,
    /// `5`: reconciliation (settlement).
    Reconciliation,
    /// `6`: administrative.
    Administrative,
    /// `7`: fee collection.
    FeeCollection,
    /// `8`: network management.
    NetworkManagement,
    /// `0`, `9`: reserved.
    Reserved(u8),
}

/// Third digit: the message function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MtiFunction {
    /// `0`: request.
    Request,
    /// `1`: request response.
    RequestResponse,
    /// `2`: advice.
    Advice,
    /// `3`: advice response.
    AdviceResponse,
    /// `4`: notification.
    Notification,
    /// `5`: notification acknowledgement.
    NotificationAck,
    /// `6`: instruction (1993+).
    Instruction,
    /// `7`: instruction acknowledgement.
    InstructionAck,
    /// `8`, `9`: reserved.
    Reserved(u8),
}

/// Fourth digit: who originated the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MtiOrigin {
    /// `0`: acquirer.
    Acquirer,
    /// `1`: acquirer repeat.
    AcquirerRepeat,
    /// `2`: issuer.
    Issuer,
    /// `3`: issuer repeat.
    IssuerRepeat,
    /// `4`: other.
    Other,
    /// `5`: other repeat.
    OtherRepeat,
    /// `6`–`9`: reserved.
    Reserved(u8),
}

/// The text is not four ASCII digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an MTI is four digits")]
pub struct BadMti;

impl Mti {
    /// Builds an MTI from four ASCII digits.
    pub fn new(digits: [u8; 4]) -> Result<Mti, BadMti> {
        if digits.iter().all(u8::is_ascii_digit) {
            Ok(Mti(digits))
        } else {
            Err(BadMti)
        }
    }

    /// Parses `"0200"`.
    pub fn parse(text: &str) -> Result<Mti, BadMti> {
        let b: [u8; 4] = text.as_bytes().try_into().map_err(|_| BadMti)?;
        Mti::new(b)
    }

    /// The four ASCII digits.
    pub fn digits(&self) -> &[u8; 4] {
        &self.0
    }

    /// The MTI as a `&str`.
    pub fn as_str(&self) -> &str {
        // Invariant: four ASCII digits.
        std::str::from_utf8(&self.0).unwrap_or("????")
    }

    fn digit(&self, i: usize) -> u8 {
        self.0[i] - b'0'
    }

    /// Version (first digit).
    pub fn version(&self) -> MtiVersion {
        match self.digit(0) {
            0 => MtiVersion::Iso1987,
            1 => MtiVersion::Iso1993,
            2 => MtiVersion::Iso2003,
            8 => MtiVersion::National,
            9 => MtiVersion::Private,
            d => MtiVersion::Reserved(d),
        }
    }

    /// Class (second digit).
    pub fn class(&self) -> MtiClass {
        match self.digit(1) {
            1 => MtiClass::Authorization,
            2 => MtiClass::Financial,
            3 => MtiClass::FileAction,
            4 => MtiClass::Reversal,
            5 => MtiClass::Reconciliation,
            6 => MtiClass::Administrative,
            7 => MtiClass::FeeCollection,
            8 => MtiClass::NetworkManagement,
            d => MtiClass::Reserved(d),
        }
    }

    /// Function (third digit).
    pub fn function(&self) -> MtiFunction {
        match self.digit(2) {
            0 => MtiFunction::Request,
            1 => MtiFunction::RequestResponse,
            2 => MtiFunction::Advice,
            3 => MtiFunction::AdviceResponse,
            4 => MtiFunction::Notification,
            5 => MtiFunction::NotificationAck,
            6 => MtiFunction::Instruction,
            7 => MtiFunction::InstructionAck,
            d => MtiFunction::Reserved(d),
        }
    }

    /// Origin (fourth digit).
    pub fn origin(&self) -> MtiOrigin {
        match self.digit(3) {
            0 => MtiOrigin::Acquirer,
            1 => MtiOrigin::AcquirerRepeat,
            2 => MtiOrigin::Issuer,
            3 => MtiOrigin::IssuerRepeat,
            4 => MtiOrigin::Other,
            5 => MtiOrigin::OtherRepeat,
            d => MtiOrigin::Reserved(d),
        }
    }

    /// Whether the function digit is even (request, advice, notification, instruction).
    pub fn is_request(&self) -> bool {
        self.digit(2).is_multiple_of(2)
    }

    /// The matching response MTI (`0200` → `0210`, `0820` → `0830`), `None` if this is
    /// already a response or the function digit has no response.
    pub fn response(&self) -> Option<Mti> {
        let f = self.digit(2);
        if f % 2 == 1 || f >= 8 {
            return None;
        }
        let mut d = self.0;
        d[2] += 1;
        Some(Mti(d))
    }
}

impl fmt::Display for Mti {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Mti {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mti({})", self.as_str())
    }
}

impl std::str::FromStr for Mti {
    type Err = BadMti;
    fn from_str(s: &str) -> Result<Self, BadMti> {
        Mti::parse(s)
    }
}

impl TryFrom<String> for Mti {
    type Error = BadMti;
    fn try_from(s: String) -> Result<Self, BadMti> {
        Mti::parse(&s)
    }
}

impl From<Mti> for String {
    fn from(m: Mti) -> String {
        m.as_str().to_owned()
    }
}
