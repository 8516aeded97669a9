//! Bit-field data elements (TVR, TSI, AIP, AUC, terminal capabilities) as tables of named bits.
//!
//! Each field is a newtype over its bytes plus an enum of its defined bits. Decoding lists
//! the set bits (and flags set RFU bits); encoding sets bits by name, which is what a
//! terminal kernel does with the TVR during a transaction.

use serde::{Deserialize, Serialize};

use super::{ExplainError, ExplainedItem, Explanation};
use crate::tlv::Tag;

macro_rules! bit_field {
    (
        $(#[$fmeta:meta])* $field:ident, $(#[$bmeta:meta])* $bit:ident, tag $tag:literal, $len:literal, $title:literal;
        $( $variant:ident = ($byte:literal, $b:literal, $name:literal, $text:literal), )*
    ) => {
        $(#[$bmeta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $bit {
            $(
                #[doc = $text]
                $variant,
            )*
        }

        impl $bit {
            /// Every defined bit, in byte/bit order.
            pub const ALL: &'static [$bit] = &[$($bit::$variant),*];

            /// (byte 1-based, bit 8..1) as the EMV books number them.
            pub const fn position(self) -> (u8, u8) {
                match self { $($bit::$variant => ($byte, $b)),* }
            }

            /// Machine name, e.g. `pin_not_entered`.
            pub const fn name(self) -> &'static str {
                match self { $($bit::$variant => $name),* }
            }

            /// Human-readable meaning.
            pub const fn description(self) -> &'static str {
                match self { $($bit::$variant => $text),* }
            }

            /// The bit with machine name `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|b| b.name() == name)
            }

            const fn mask(self) -> (usize, u8) {
                let (byte, bit) = self.position();
                (byte as usize - 1, 1u8 << (bit - 1))
            }
        }

        $(#[$fmeta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
        pub struct $field(pub [u8; $len]);

        impl $field {
            /// The EMV tag of this data element.
            pub const TAG: Tag = Tag::of($tag);
            /// Name of the data element.
            pub const NAME: &'static str = $title;

            /// Reads the element from its value bytes (exact length required).
            pub fn from_bytes(bytes: &[u8]) -> Result<Self, ExplainError> {
                let arr: [u8; $len] = bytes.try_into().map_err(|_| ExplainError::BadLength {
                    tag: Self::TAG,
                    expected: $len,
                    actual: bytes.len(),
                })?;
                Ok($field(arr))
            }

            /// An element with the given bits set.
            pub fn from_flags(flags: &[$bit]) -> Self {
                let mut v = Self::default();
                for &f in flags {
                    v.set(f);
                }
                v
            }

            /// The value bytes.
            pub fn to_bytes(self) -> [u8; $len] {
                self.0
            }

            /// Whether `bit` is set.
            pub fn is_set(&self, bit: $bit) -> bool {
                let (i, m) = bit.mask();
                self.0[i] & m != 0
            }

            /// Sets `bit`.
            pub fn set(&mut self, bit: $bit) -> &mut Self {
                let (i, m) = bit.mask();
                self.0[i] |= m;
                self
            }

            /// Clears `bit`.
            pub fn clear(&mut self, bit: $bit) -> &mut Self {
                let (i, m) = bit.mask();
                self.0[i] &= !m;
                self
            }

            /// The set bits that have a meaning.
            pub fn flags(&self) -> Vec<$bit> {
                $bit::ALL.iter().copied().filter(|&b| self.is_set(b)).collect()
            }

            /// Set bits that are RFU in this table, as (byte, bit).
            pub fn rfu_bits(&self) -> Vec<(u8, u8)> {
                let mut out = Vec::new();
                for (i, &byte) in self.0.iter().enumerate() {
                    for bit in (1..=8u8).rev() {
                        if byte & (1 << (bit - 1)) != 0
                            && !$bit::ALL.iter().any(|b| b.position() == (i as u8 + 1, bit))
                        {
                            out.push((i as u8 + 1, bit));
                        }
                    }
                }
                out
            }

            /// Named flags and a readable explanation.
            pub fn explain(&self) -> Explanation {
                let mut items: Vec<ExplainedItem> = self
                    .flags()
                    .into_iter()
                    .map(|b| {
                        let (byte, bit) = b.position();
                        ExplainedItem::bit(byte, bit, b.name(), b.description())
                    })
                    .collect();
                for (byte, bit) in self.rfu_bits() {
                    items.push(ExplainedItem::bit(byte, bit, "rfu", "RFU bit set"));
                }
                let summary = if items.is_empty() {
                    "no bits set".to_string()
                } else {
                    items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join("; ")
                };
                Explanation::new(Self::TAG, $title, &self.0, summary, items)
            }
        }
    };
}

bit_field! {
    /// Terminal Verification Results (`95`): the outcome of every terminal check.
    Tvr,
    /// A TVR bit (EMV 4.4 Book 3 Annex C5).
    TvrBit, tag 0x95, 5, "Terminal Verification Results";
    OdaNotPerformed = (1, 8, "oda_not_performed", "Offline data authentication was not performed"),
    SdaFailed = (1, 7, "sda_failed", "SDA failed"),
    IccDataMissing = (1, 6, "icc_data_missing", "ICC data missing"),
    CardOnExceptionFile = (1, 5, "card_on_exception_file", "Card appears on terminal exception file"),
    DdaFailed = (1, 4, "dda_failed", "DDA failed"),
    CdaFailed = (1, 3, "cda_failed", "CDA failed"),
    SdaSelected = (1, 2, "sda_selected", "SDA selected"),
    XdaSelected = (1, 1, "xda_selected", "XDA selected (EMV 4.4)"),
    VersionsDiffer = (2, 8, "versions_differ", "ICC and terminal have different application versions"),
    ExpiredApplication = (2, 7, "expired_application", "Expired application"),
    NotYetEffective = (2, 6, "not_yet_effective", "Application not yet effective"),
    ServiceNotAllowed = (2, 5, "service_not_allowed", "Requested service not allowed for card product"),
    NewCard = (2, 4, "new_card", "New card"),
    BiometricSuccessful = (2, 2, "biometric_successful", "Biometric performed and successful (EMV 4.4)"),
    BiometricTemplateNotSupported = (2, 1, "biometric_template_not_supported", "Biometric template format not supported (EMV 4.4)"),
    CvNotSuccessful = (3, 8, "cv_not_successful", "Cardholder verification was not successful"),
    UnrecognisedCvm = (3, 7, "unrecognised_cvm", "Unrecognised CVM"),
    PinTryLimitExceeded = (3, 6, "pin_try_limit_exceeded", "PIN Try Limit exceeded"),
    PinPadMissing = (3, 5, "pin_pad_missing", "PIN entry required and PIN pad not present or not working"),
    PinNotEntered = (3, 4, "pin_not_entered", "PIN entry required, PIN pad present, but PIN was not entered"),
    OnlineCvmCaptured = (3, 3, "online_cvm_captured", "Online CVM captured (online PIN entered)"),
    BiometricDeviceNotWorking = (3, 2, "biometric_device_not_working", "Biometric required but biometric capture device not working (EMV 4.4)"),
    BiometricSubtypeBypassed = (3, 1, "biometric_subtype_bypassed", "Biometric required, biometric capture device present, but biometric subtype entry was bypassed (EMV 4.4)"),
    FloorLimitExceeded = (4, 8, "floor_limit_exceeded", "Transaction exceeds floor limit"),
    LowerOfflineLimitExceeded = (4, 7, "lower_offline_limit_exceeded", "Lower consecutive offline limit exceeded"),
    UpperOfflineLimitExceeded = (4, 6, "upper_offline_limit_exceeded", "Upper consecutive offline limit exceeded"),
    RandomlySelectedOnline = (4, 5, "randomly_selected_online", "Transaction selected randomly for online processing"),
    MerchantForcedOnline = (4, 4, "merchant_forced_online", "Merchant forced transaction online"),
    BiometricTryLimitExceeded = (4, 3, "biometric_try_limit_exceeded", "Biometric try limit exceeded (EMV 4.4)"),
    BiometricTypeNotSupported = (4, 2, "biometric_type_not_supported", "A selected biometric type not supported (EMV 4.4)"),
    XdaSignatureFailed = (4, 1, "xda_signature_failed", "XDA signature verification failed (EMV 4.4)"),
    DefaultTdolUsed = (5, 8, "default_tdol_used", "Default TDOL used"),
    IssuerAuthenticationFailed = (5, 7, "issuer_authentication_failed", "Issuer authentication failed"),
    ScriptFailedBeforeFinalGenac = (5, 6, "script_failed_before_final_genac", "Script processing failed before final GENERATE AC"),
    ScriptFailedAfterFinalGenac = (5, 5, "script_failed_after_final_genac", "Script processing failed after final GENERATE AC"),
    ContactlessReserved4 = (5, 4, "contactless_reserved_b4", "Reserved for use by contactless specifications"),
    CaEccKeyMissing = (5, 3, "ca_ecc_key_missing", "CA ECC key missing (EMV 4.4)"),
    EccKeyRecoveryFailed = (5, 2, "ecc_key_recovery_failed", "ECC key recovery failed (EMV 4.4)"),
    ContactlessReserved1 = (5, 1, "contactless_reserved_b1", "Reserved for use by contactless specifications"),
}

bit_field! {
    /// Transaction Status Information (`9B`): which functions the terminal performed.
    Tsi,
    /// A TSI bit.
    TsiBit, tag 0x9B, 2, "Transaction Status Information";
    OdaPerformed = (1, 8, "oda_performed", "Offline data authentication was performed"),
    CvPerformed = (1, 7, "cv_performed", "Cardholder verification was performed"),
    CardRiskManagementPerformed = (1, 6, "card_risk_management_performed", "Card risk management was performed"),
    IssuerAuthenticationPerformed = (1, 5, "issuer_authentication_performed", "Issuer authentication was performed"),
    TerminalRiskManagementPerformed = (1, 4, "terminal_risk_management_performed", "Terminal risk management was performed"),
    ScriptProcessingPerformed = (1, 3, "script_processing_performed", "Script processing was performed"),
}

bit_field! {
    /// Application Interchange Profile (`82`): what the card supports.
    Aip,
    /// An AIP bit.
    AipBit, tag 0x82, 2, "Application Interchange Profile";
    XdaSupported = (1, 8, "xda_supported", "XDA supported (EMV 4.4)"),
    SdaSupported = (1, 7, "sda_supported", "SDA supported"),
    DdaSupported = (1, 6, "dda_supported", "DDA supported"),
    CvSupported = (1, 5, "cv_supported", "Cardholder verification is supported"),
    TerminalRiskManagement = (1, 4, "terminal_risk_management", "Terminal risk management is to be performed"),
    IssuerAuthenticationSupported = (1, 3, "issuer_authentication_supported", "Issuer authentication is supported"),
    OnDeviceCvSupported = (1, 2, "on_device_cv_supported", "On device cardholder verification is supported (EMV 4.4)"),
    CdaSupported = (1, 1, "cda_supported", "CDA supported"),
    EmvModeSupported = (2, 8, "emv_mode_supported", "EMV mode is supported (contactless)"),
    MobilePhone = (2, 7, "mobile_phone", "Mobile phone (contactless)"),
    ContactlessTransaction = (2, 6, "contactless_transaction", "Contactless transaction"),
    RelayResistanceSupported = (2, 1, "relay_resistance_supported", "Relay Resistance Protocol is supported"),
}

bit_field! {
    /// Application Usage Control (`9F07`): where and for what the card may be used.
    Auc,
    /// An AUC bit.
    AucBit, tag 0x9F07, 2, "Application Usage Control";
    DomesticCash = (1, 8, "domestic_cash", "Valid for domestic cash transactions"),
    InternationalCash = (1, 7, "international_cash", "Valid for international cash transactions"),
    DomesticGoods = (1, 6, "domestic_goods", "Valid for domestic goods"),
    InternationalGoods = (1, 5, "international_goods", "Valid for international goods"),
    DomesticServices = (1, 4, "domestic_services", "Valid for domestic services"),
    InternationalServices = (1, 3, "international_services", "Valid for international services"),
    Atms = (1, 2, "atms", "Valid at ATMs"),
    NonAtmTerminals = (1, 1, "non_atm_terminals", "Valid at terminals other than ATMs"),
    DomesticCashback = (2, 8, "domestic_cashback", "Domestic cashback allowed"),
    InternationalCashback = (2, 7, "international_cashback", "International cashback allowed"),
}

bit_field! {
    /// Terminal Capabilities (`9F33`): card input, CVM and security capabilities.
    TerminalCapabilities,
    /// A Terminal Capabilities bit.
    TerminalCapabilitiesBit, tag 0x9F33, 3, "Terminal Capabilities";
    ManualKeyEntry = (1, 8, "manual_key_entry", "Manual key entry"),
    MagneticStripe = (1, 7, "magnetic_stripe", "Magnetic stripe"),
    IcWithContacts = (1, 6, "ic_with_contacts", "IC with contacts"),
    PlaintextPinIcc = (2, 8, "plaintext_pin_icc", "Plaintext PIN for ICC verification"),
    EncipheredPinOnline = (2, 7, "enciphered_pin_online", "Enciphered PIN for online verification"),
    Signature = (2, 6, "signature", "Signature (paper)"),
    EncipheredPinOffline = (2, 5, "enciphered_pin_offline", "Enciphered PIN for offline verification (RSA)"),
    NoCvmRequired = (2, 4, "no_cvm_required", "No CVM required"),
    OnlineBiometric = (2, 3, "online_biometric", "Online biometric (EMV 4.4)"),
    OfflineBiometric = (2, 2, "offline_biometric", "Offline biometric (EMV 4.4)"),
    EncipheredPinOfflineEcc = (2, 1, "enciphered_pin_offline_ecc", "Enciphered PIN for offline verification (ECC, EMV 4.4)"),
    Sda = (3, 8, "sda", "SDA"),
    Dda = (3, 7, "dda", "DDA"),
    CardCapture = (3, 6, "card_capture", "Card capture"),
    Cda = (3, 4, "cda", "CDA"),
    Xda = (3, 3, "xda", "XDA (EMV 4.4)"),
}

bit_field! {
    /// Additional Terminal Capabilities (`9F40`): transaction types and terminal input/output.
    AdditionalTerminalCapabilities,
    /// An Additional Terminal Capabilities bit.
    AdditionalTerminalCapabilitiesBit, tag 0x9F40, 5, "Additional Terminal Capabilities";
    Cash = (1, 8, "cash", "Cash"),
    Goods = (1, 7, "goods", "Goods"),
    Services = (1, 6, "services", "Services"),
    Cashback = (1, 5, "cashback", "Cashback"),
    Inquiry = (1, 4, "inquiry", "Inquiry"),
    Transfer = (1, 3, "transfer", "Transfer"),
    Payment = (1, 2, "payment", "Payment"),
    Administrative = (1, 1, "administrative", "Administrative"),
    CashDeposit = (2, 8, "cash_deposit", "Cash deposit"),
    NumericKeys = (3, 8, "numeric_keys", "Numeric keys"),
    AlphabeticKeys = (3, 7, "alphabetic_keys", "Alphabetic and special characters keys"),
    CommandKeys = (3, 6, "command_keys", "Command keys"),
    FunctionKeys = (3, 5, "function_keys", "Function keys"),
    PrintAttendant = (4, 8, "print_attendant", "Print, attendant"),
    PrintCardholder = (4, 7, "print_cardholder", "Print, cardholder"),
    DisplayAttendant = (4, 6, "display_attendant", "Display, attendant"),
    DisplayCardholder = (4, 5, "display_cardholder", "Display, cardholder"),
    CodeTable10 = (4, 2, "code_table_10", "Code table 10"),
    CodeTable9 = (4, 1, "code_table_9", "Code table 9"),
    CodeTable8 = (5, 8, "code_table_8", "Code table 8"),
    CodeTable7 = (5, 7, "code_table_7", "Code table 7"),
    CodeTable6 = (5, 6, "code_table_6", "Code table 6"),
    CodeTable5 = (5, 5, "code_table_5", "Code table 5"),
    CodeTable4 = (5, 4, "code_table_4", "Code table 4"),
    CodeTable3 = (5, 3, "code_table_3", "Code table 3"),
    CodeTable2 = (5, 2, "code_table_2", "Code table 2"),
    CodeTable1 = (5, 1, "code_table_1", "Code table 1"),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tvr_reference_vector() {
        let tvr = Tvr::from_bytes(&[0x00, 0x00, 0x08, 0x00, 0x00]).unwrap();
        assert_eq!(tvr.flags(), [TvrBit::PinNotEntered]);
        let e = tvr.explain();
        assert_eq!(e.items.len(), 1);
        assert_eq!(
            e.items[0].text,
            "PIN entry required, PIN pad present, but PIN was not entered"
        );
        assert_eq!((e.items[0].byte, e.items[0].bit), (Some(3), Some(4)));
        assert_eq!(
            Tvr::from_flags(&[TvrBit::PinNotEntered]).to_bytes(),
            [0, 0, 8, 0, 0]
        );
    }

    #[test]
    fn every_bit_round_trips() {
        for &b in TvrBit::ALL {
            let v = Tvr::from_flags(&[b]);
            assert_eq!(v.flags(), [b]);
            assert_eq!(v.0.iter().map(|x| x.count_ones()).sum::<u32>(), 1);
            assert_eq!(TvrBit::from_name(b.name()), Some(b));
        }
        assert_eq!(TvrBit::ALL.len(), 39);
        for &b in AipBit::ALL {
            assert_eq!(Aip::from_flags(&[b]).flags(), [b]);
        }
        for &b in AdditionalTerminalCapabilitiesBit::ALL {
            assert_eq!(
                AdditionalTerminalCapabilities::from_flags(&[b]).flags(),
                [b]
            );
        }
        let mut tvr = Tvr::default();
        tvr.set(TvrBit::OdaNotPerformed)
            .set(TvrBit::FloorLimitExceeded);
        assert_eq!(tvr.to_bytes(), [0x80, 0, 0, 0x80, 0]);
        tvr.clear(TvrBit::OdaNotPerformed);
        assert_eq!(tvr.to_bytes(), [0, 0, 0, 0x80, 0]);
    }

    #[test]
    fn known_values() {
        // AIP 1980: SDA, CV, TRM, CDA? 0x19 = 0001 1001: CV supported, TRM, CDA; byte 2 b8 EMV mode.
        let aip = Aip::from_bytes(&[0x19, 0x80]).unwrap();
        assert_eq!(
            aip.flags(),
            [
                AipBit::CvSupported,
                AipBit::TerminalRiskManagement,
                AipBit::CdaSupported,
                AipBit::EmvModeSupported
            ]
        );
        // 9F33 E0F8C8: manual, stripe, IC; plain PIN, online PIN, signature, offline PIN, no CVM; SDA, DDA, CDA.
        let caps = TerminalCapabilities::from_bytes(&[0xE0, 0xF8, 0xC8]).unwrap();
        assert_eq!(caps.flags().len(), 11);
        assert!(caps.is_set(TerminalCapabilitiesBit::Cda));
        assert!(!caps.is_set(TerminalCapabilitiesBit::CardCapture));
        // TSI E800, AUC FF00.
        assert_eq!(Tsi::from_bytes(&[0xE8, 0x00]).unwrap().flags().len(), 4);
        assert_eq!(Auc::from_bytes(&[0xFF, 0x00]).unwrap().flags().len(), 8);
        // RFU bits are reported, not dropped.
        let tsi = Tsi::from_bytes(&[0x01, 0x80]).unwrap();
        assert_eq!(tsi.rfu_bits(), [(1, 1), (2, 8)]);
        assert!(Tvr::from_bytes(&[0; 4]).is_err());
    }
}
