//! Track 2 data (ISO/IEC 7813), as read from a stripe, carried in ISO 8583 field 35 or held
//! in EMV tag 57 (Track 2 Equivalent Data).

use super::{CardError, Expiry, MaskStyle, Pan};
use std::fmt;
use zeroize::Zeroize;

/// The three-digit service code that follows the expiry date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ServiceCode([u8; 3]);

impl ServiceCode {
    /// From three ASCII digits.
    pub fn parse(text: &str) -> Result<ServiceCode, CardError> {
        match text.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_digit) => {
                Ok(ServiceCode([a - b'0', b - b'0', c - b'0']))
            }
            _ => Err(CardError::Track2 {
                offset: 0,
                reason: "service code must be three digits",
            }),
        }
    }

    /// The three digits as text, e.g. "201".
    pub fn as_string(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// First digit: interchange and technology (2 and 6 mean an IC chip is present).
    pub fn interchange(&self) -> u8 {
        self.0[0]
    }

    /// Second digit: authorisation processing (0 normal, 2 by issuer, 4 by issuer except
    /// under bilateral agreement).
    pub fn authorisation(&self) -> u8 {
        self.0[1]
    }

    /// Third digit: allowed services and PIN requirements.
    pub fn services(&self) -> u8 {
        self.0[2]
    }

    /// True when the card has a chip, so a terminal must not fall back to the stripe
    /// without a reason (first digit 2 or 6).
    pub fn chip_present(&self) -> bool {
        matches!(self.0[0], 2 | 6)
    }

    /// True when the third digit demands a PIN (0, 3, 5).
    pub fn pin_required(&self) -> bool {
        matches!(self.0[2], 0 | 3 | 5)
    }
}

/// Parsed track 2: PAN, expiry, service code and discretionary data.
///
/// `Debug` and `Display` mask the PAN and hide everything after it; the discretionary data
/// (which may hold PVV/CVV) is wiped from memory on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Track2 {
    pan: Pan,
    expiry: Expiry,
    service_code: ServiceCode,
    discretionary: String,
}

/// Longest track 2 content between the sentinels (ISO/IEC 7813: 40 characters including
/// start sentinel, end sentinel and LRC).
const MAX_TRACK2_CHARS: usize = 37;

impl Track2 {
    /// Parses `PAN=YYMMSSS…` where the separator is `=` (ASCII, field 35) or `D` (the BCD
    /// nibble, tag 57 and hex dumps). Also accepted: a leading `;` start sentinel, a trailing
    /// `?` end sentinel, and `F` pad nibbles at the end (BCD fields of odd length).
    pub fn parse(text: &str) -> Result<Track2, CardError> {
        let err = |offset: usize, reason: &'static str| CardError::Track2 { offset, reason };
        let bytes = text.as_bytes();
        let start = usize::from(bytes.first() == Some(&b';'));
        let mut end = bytes.len();
        if end > start && bytes[end - 1] == b'?' {
            end -= 1;
        }
        while end > start && matches!(bytes[end - 1], b'F' | b'f') {
            end -= 1;
        }
        let body = &bytes[start..end];
        if body.len() > MAX_TRACK2_CHARS {
            return Err(err(
                start + MAX_TRACK2_CHARS,
                "track 2 longer than 37 characters",
            ));
        }
        let sep = body
            .iter()
            .position(|&b| matches!(b, b'=' | b'D' | b'd'))
            .ok_or_else(|| err(start + body.len(), "missing '=' or 'D' separator"))?;
        // The prefix is pure ASCII here (the position came from an ASCII scan of bytes).
        let pan_text = std::str::from_utf8(&body[..sep]).map_err(|_| err(start, "non-ASCII"))?;
        let pan = Pan::parse(pan_text).map_err(|e| match e {
            CardError::PanNotDigits { offset } => err(start + offset, "non-digit in PAN"),
            _ => err(start, "PAN length outside 12..=19"),
        })?;
        let rest = &body[sep + 1..];
        let rest_at = start + sep + 1;
        if let Some(i) = rest.iter().position(|b| !b.is_ascii_digit()) {
            return Err(err(rest_at + i, "non-digit after the separator"));
        }
        if rest.len() < 7 {
            return Err(err(
                rest_at + rest.len(),
                "truncated: expiry YYMM and service code expected",
            ));
        }
        // All ASCII digits from here on.
        let rest = std::str::from_utf8(rest).map_err(|_| err(rest_at, "non-ASCII"))?;
        let expiry = Expiry::parse_yymm(&rest[..4]).map_err(|_| err(rest_at, "bad expiry YYMM"))?;
        let service_code =
            ServiceCode::parse(&rest[4..7]).map_err(|_| err(rest_at + 4, "bad service code"))?;
        Ok(Track2 {
            pan,
            expiry,
            service_code,
            discretionary: rest[7..].to_owned(),
        })
    }

    /// The PAN.
    pub fn pan(&self) -> &Pan {
        &self.pan
    }

    /// The expiry month.
    pub fn expiry(&self) -> Expiry {
        self.expiry
    }

    /// The service code.
    pub fn service_code(&self) -> ServiceCode {
        self.service_code
    }

    /// Discretionary data (issuer-defined; may hold PVV and CVV): handle as sensitive.
    pub fn discretionary(&self) -> &str {
        &self.discretionary
    }

    /// The canonical ASCII form with `=` as the separator, as ISO 8583 field 35 carries it.
    pub fn to_field35(&self) -> String {
        format!(
            "{}={}{}{}",
            self.pan.digits(),
            self.expiry.yymm(),
            self.service_code.as_string(),
            self.discretionary
        )
    }

    /// A masked form safe for logs: masked PAN, separator, everything else as `*`.
    pub fn masked(&self) -> String {
        let hidden = 7 + self.discretionary.len();
        format!(
            "{}={}",
            self.pan.masked(MaskStyle::First6Last4),
            "*".repeat(hidden)
        )
    }
}

/// Serialised as the field 35 text (`PAN=YYMMSSS…`) so that persisted terminal state (a
/// pending reversal) can rebuild the exact request; handle the serialised form as card data.
impl serde::Serialize for Track2 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_field35())
    }
}

impl<'de> serde::Deserialize<'de> for Track2 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Track2::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Drop for Track2 {
    fn drop(&mut self) {
        self.discretionary.zeroize();
    }
}

impl fmt::Debug for Track2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Track2({})", self.masked())
    }
}

impl fmt::Display for Track2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_separators_and_sentinels() {
        for text in [
            "6228480012345676789=29122011234567",
            "6228480012345676789D29122011234567",
            ";6228480012345676789=29122011234567?",
            "6228480012345676789D29122011234567F",
        ] {
            let t = Track2::parse(text).unwrap();
            assert_eq!(t.pan().digits(), "6228480012345676789");
            assert_eq!(t.expiry().yymm(), "2912");
            assert_eq!(t.service_code().as_string(), "201");
            assert!(t.service_code().chip_present());
            assert_eq!(t.discretionary(), "1234567");
            assert_eq!(t.to_field35(), "6228480012345676789=29122011234567");
        }
    }

    #[test]
    fn never_shows_sensitive_parts() {
        let t = Track2::parse("4111111111111111=29121011234500000").unwrap();
        let shown = format!("{t:?} {t}");
        assert!(!shown.contains("4111111111111111"));
        assert!(!shown.contains("2912"));
        assert!(!shown.contains("12345"));
        assert!(shown.contains("411111******1111="));
    }

    #[test]
    fn errors_say_where() {
        let e = |s: &str| Track2::parse(s).unwrap_err();
        assert_eq!(
            e("4111111111111111"),
            CardError::Track2 {
                offset: 16,
                reason: "missing '=' or 'D' separator"
            }
        );
        assert_eq!(
            e("41111111x1111111=2912101"),
            CardError::Track2 {
                offset: 8,
                reason: "non-digit in PAN"
            }
        );
        assert_eq!(
            e("4111111111111111=29121"),
            CardError::Track2 {
                offset: 22,
                reason: "truncated: expiry YYMM and service code expected"
            }
        );
        assert!(matches!(
            e("4111111111111111=2913101"),
            CardError::Track2 { offset: 17, .. }
        ));
        let long = format!("4111111111111111={}", "1".repeat(30));
        assert!(matches!(e(&long), CardError::Track2 { offset: 37, .. }));
        assert!(matches!(e("=2912101"), CardError::Track2 { .. }));
    }
}
