//! BER-TLV, EMV (explanations, DOL, field 55) and EMVCo QR for Kotlin/Swift.
//!
//! Translation only. Structured results cross as JSON text (the core's serde form, hex for
//! bytes). Errors are `PaycoreException.TlvError` / `.EmvError` / `.QrError` whose messages
//! carry the byte/character offset and the tag/ID path.

use std::collections::{BTreeMap, HashMap};

use paycore::emv;
use paycore::qr;
use paycore::tlv::{self, Mode, ParseOptions, Tag};

use crate::error::PaycoreError;

/// How strictly BER-TLV is read.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum TlvMode {
    /// Strict BER.
    Strict,
    /// EMV rules (00 padding between objects).
    Emv,
    /// Data from the field: also FF padding and length quirks.
    Lenient,
}

/// Request field 55 kind.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum Field55Kind {
    /// Sale (0200).
    Sale,
    /// Pre-authorisation (0100).
    PreAuth,
}

impl From<tlv::TlvError> for PaycoreError {
    fn from(e: tlv::TlvError) -> Self {
        PaycoreError::TlvError(e.to_string())
    }
}

impl From<qr::QrError> for PaycoreError {
    fn from(e: qr::QrError) -> Self {
        PaycoreError::QrError(e.to_string())
    }
}

impl From<emv::Field55Error> for PaycoreError {
    fn from(e: emv::Field55Error) -> Self {
        match e {
            emv::Field55Error::Tlv(t) => t.into(),
            other => PaycoreError::EmvError(other.to_string()),
        }
    }
}

fn emv_err(e: impl std::fmt::Display) -> PaycoreError {
    PaycoreError::EmvError(e.to_string())
}

fn json_err(e: serde_json::Error) -> PaycoreError {
    PaycoreError::InvalidArgument(format!("invalid JSON: {e}"))
}

fn tag(text: &str) -> Result<Tag, PaycoreError> {
    Tag::parse_hex(text).map_err(|e| emv_err(format!("tag {text:?}: {e}")))
}

fn tag_map(tags: HashMap<String, Vec<u8>>) -> Result<BTreeMap<Tag, Vec<u8>>, PaycoreError> {
    tags.into_iter().map(|(k, v)| Ok((tag(&k)?, v))).collect()
}

/// Decodes BER-TLV to a JSON array of nodes (`tag`, `offset`, `value` hex, `children`).
#[uniffi::export]
pub fn tlv_decode_json(
    data: Vec<u8>,
    mode: TlvMode,
    max_depth: u8,
) -> Result<String, PaycoreError> {
    let mut options = ParseOptions::new(match mode {
        TlvMode::Strict => Mode::Strict,
        TlvMode::Emv => Mode::Emv,
        TlvMode::Lenient => Mode::Lenient,
    });
    options.max_depth = max_depth;
    let tree = tlv::parse_tree(&data, options)?;
    serde_json::to_string(&tree.to_objects()).map_err(json_err)
}

/// Encodes a JSON array of nodes (as from `tlvDecodeJson`) with minimal lengths.
#[uniffi::export]
pub fn tlv_encode_json(nodes_json: String) -> Result<Vec<u8>, PaycoreError> {
    let objects: Vec<tlv::TlvObject> = serde_json::from_str(&nodes_json).map_err(json_err)?;
    Ok(tlv::encode_objects(&objects))
}

/// The value at a tag path such as `6F/A5/BF0C` (EMV rules), or null.
#[uniffi::export]
pub fn tlv_find(data: Vec<u8>, path: String) -> Result<Option<Vec<u8>>, PaycoreError> {
    let tree = tlv::parse_tree(&data, ParseOptions::emv())?;
    Ok(tree.find_path(&path).map(|n| n.value().to_vec()))
}

/// A log-safe rendering of BER-TLV with sensitive values masked.
#[uniffi::export]
pub fn redact_tlv(data: Vec<u8>) -> Result<String, PaycoreError> {
    Ok(tlv::redact_tlv(&data)?)
}

/// Explains a bit-field value (e.g. TVR `95`) as JSON (`name`, `summary`, `items`).
#[uniffi::export]
pub fn emv_explain_json(tag_hex: String, value: Vec<u8>) -> Result<String, PaycoreError> {
    let e = emv::explain(tag(&tag_hex)?, &value)?;
    serde_json::to_string(&e).map_err(json_err)
}

/// Builds a bit-field value from flag names (the inverse of the explanation).
#[uniffi::export]
pub fn emv_encode_flags(tag_hex: String, flags: Vec<String>) -> Result<Vec<u8>, PaycoreError> {
    let refs: Vec<&str> = flags.iter().map(String::as_str).collect();
    Ok(emv::encode_flags(tag(&tag_hex)?, &refs)?)
}

/// Builds DOL data from a tag→value map; absent tags are zero-filled.
#[uniffi::export]
pub fn build_dol(dol: Vec<u8>, values: HashMap<String, Vec<u8>>) -> Result<Vec<u8>, PaycoreError> {
    let map = tag_map(values)?;
    emv::build_dol(&dol, &[&map]).map_err(emv_err)
}

/// Builds request field 55 in CUP order from a tag→value map.
#[uniffi::export]
pub fn build_field55(
    tags: HashMap<String, Vec<u8>>,
    kind: Field55Kind,
    contactless: bool,
) -> Result<Vec<u8>, PaycoreError> {
    let options = emv::Field55Options {
        kind: match kind {
            Field55Kind::Sale => emv::Field55Kind::Sale,
            Field55Kind::PreAuth => emv::Field55Kind::PreAuth,
        },
        contactless,
        include_ec_tags: false,
    };
    Ok(emv::build_field55(&tag_map(tags)?, &options)?)
}

/// Parses a response field 55 (`91`, `71`/`72`, others) to JSON.
#[uniffi::export]
pub fn parse_field55_response_json(data: Vec<u8>) -> Result<String, PaycoreError> {
    let r = emv::parse_field55_response(&data)?;
    serde_json::to_string(&r).map_err(json_err)
}

/// Parses an EMVCo merchant-presented QR payload to JSON (the CRC is checked).
#[uniffi::export]
pub fn parse_mpm_json(text: String) -> Result<String, PaycoreError> {
    let p = qr::parse_mpm(&text)?;
    serde_json::to_string(&p).map_err(json_err)
}

/// Builds an EMVCo merchant-presented QR payload (with CRC) from the JSON of `parseMpmJson`.
#[uniffi::export]
pub fn build_mpm_json(payload_json: String) -> Result<String, PaycoreError> {
    let p: qr::MerchantPayload = serde_json::from_str(&payload_json).map_err(json_err)?;
    Ok(qr::build_mpm(&p)?)
}

/// CRC-16/CCITT-FALSE as used by EMVCo QR.
#[uniffi::export]
pub fn qr_crc16(data: Vec<u8>) -> u16 {
    qr::crc16_ccitt_false(&data)
}

/// A consumer-presented (CPM) QR payload. Holds card data (the PAN in `5A`), so it is an
/// object: `toString()` shows only the application count; data is reachable via `toJson()`.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct CpmPayload(qr::ConsumerPayload);

impl std::fmt::Display for CpmPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CpmPayload(<{} application(s)>)",
            self.0.applications.len()
        )
    }
}

#[uniffi::export]
impl CpmPayload {
    /// Parses Base64 CPM text (padding optional).
    #[uniffi::constructor]
    pub fn parse(text: String) -> Result<std::sync::Arc<Self>, PaycoreError> {
        Ok(std::sync::Arc::new(CpmPayload(qr::parse_cpm(&text)?)))
    }

    /// Builds from JSON (`applications` with `adf_name` hex and `data`/`transparent` nodes).
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<std::sync::Arc<Self>, PaycoreError> {
        let p = serde_json::from_str(&json).map_err(json_err)?;
        Ok(std::sync::Arc::new(CpmPayload(p)))
    }

    /// The payload as JSON (contains card data: do not log).
    pub fn to_json(&self) -> Result<String, PaycoreError> {
        serde_json::to_string(&self.0).map_err(json_err)
    }

    /// Encodes as Base64 text (standard alphabet, padded).
    pub fn to_base64(&self) -> Result<String, PaycoreError> {
        Ok(qr::build_cpm(&self.0)?)
    }
}

impl From<emv::ExplainError> for PaycoreError {
    fn from(e: emv::ExplainError) -> Self {
        match e {
            emv::ExplainError::UnknownFlag { .. } => PaycoreError::EmvUnknownFlag(e.to_string()),
            _ => PaycoreError::EmvError(e.to_string()),
        }
    }
}

/// One TLV object as a tag and its value bytes (for a constructed tag, its encoded content).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TlvItem {
    /// The tag as upper-case hex, e.g. `9F02`.
    pub tag: String,
    /// The value bytes.
    pub value: Vec<u8>,
}

/// Encodes tag/value pairs, in order, as BER-TLV with minimal lengths.
#[uniffi::export]
pub fn tlv_encode_items(items: Vec<TlvItem>) -> Result<Vec<u8>, PaycoreError> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let t = Tag::parse_hex(&item.tag)
            .map_err(|e| PaycoreError::InvalidArgument(format!("items[{i}].tag: {e}")))?;
        tlv::encode_tlv(t, &item.value, &mut out);
    }
    Ok(out)
}

/// EMV data element formats (EMV Book 3 §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EmvFormat {
    /// `a`: alphabetic.
    A,
    /// `an`: alphanumeric.
    An,
    /// `ans`: alphanumeric and special.
    Ans,
    /// `b`: binary.
    B,
    /// `cn`: compressed numeric (BCD, trailing `F` padding).
    Cn,
    /// `n`: numeric (BCD, leading zeros).
    N,
    /// `n 6` as YYMMDD.
    Date,
    /// `n 6` as HHMMSS.
    Time,
    /// Variable or template content.
    Var,
}

impl From<emv::Format> for EmvFormat {
    fn from(f: emv::Format) -> Self {
        match f {
            emv::Format::A => EmvFormat::A,
            emv::Format::An => EmvFormat::An,
            emv::Format::Ans => EmvFormat::Ans,
            emv::Format::B => EmvFormat::B,
            emv::Format::Cn => EmvFormat::Cn,
            emv::Format::N => EmvFormat::N,
            emv::Format::Date => EmvFormat::Date,
            emv::Format::Time => EmvFormat::Time,
            emv::Format::Var => EmvFormat::Var,
        }
    }
}

/// Who provides an EMV data element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EmvSource {
    /// The card.
    Icc,
    /// The terminal.
    Terminal,
    /// The issuer (host response).
    Issuer,
    /// Card or terminal depending on the template.
    IccOrTerminal,
    /// Issuer or terminal (e.g. `8A`).
    IssuerOrTerminal,
}

impl From<emv::Source> for EmvSource {
    fn from(s: emv::Source) -> Self {
        match s {
            emv::Source::Icc => EmvSource::Icc,
            emv::Source::Terminal => EmvSource::Terminal,
            emv::Source::Issuer => EmvSource::Issuer,
            emv::Source::IccOrTerminal => EmvSource::IccOrTerminal,
            emv::Source::IssuerOrTerminal => EmvSource::IssuerOrTerminal,
        }
    }
}

/// One row of the EMV tag dictionary.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EmvTagInfo {
    /// The tag as upper-case hex.
    pub tag: String,
    /// Name from EMV Book 3 (or the UnionPay/PBOC specification).
    pub name: String,
    /// Templates the element appears in, as hex (empty: template-free or not specified).
    pub templates: Vec<String>,
    /// Length as printed in the specification, e.g. `"5-16"`, `"var."`.
    pub length: String,
    /// Minimum length in bytes.
    pub min_len: u16,
    /// Maximum length in bytes, when the specification fixes one.
    pub max_len: Option<u16>,
    /// Value format.
    pub format: EmvFormat,
    /// Format as printed in the specification, e.g. `"n 12"`.
    pub format_text: String,
    /// Who provides it.
    pub source: EmvSource,
}

impl From<&emv::TagInfo> for EmvTagInfo {
    fn from(i: &emv::TagInfo) -> Self {
        EmvTagInfo {
            tag: i.tag.to_string(),
            name: i.name.to_string(),
            templates: i.templates.iter().map(Tag::to_string).collect(),
            length: i.length.to_string(),
            min_len: i.min_len,
            max_len: i.max_len,
            format: i.format.into(),
            format_text: i.format_text.to_string(),
            source: i.source.into(),
        }
    }
}

/// The dictionary row of a tag, or null if the tag is unknown. `parent` (hex) selects the
/// meaning of template-dependent tags (`81`, `82`, `90`, `9F2D`, `DF5x`).
#[uniffi::export(default(parent = None))]
pub fn emv_tag_info(
    tag_hex: String,
    parent: Option<String>,
) -> Result<Option<EmvTagInfo>, PaycoreError> {
    let parent = parent.as_deref().map(tag).transpose()?;
    Ok(emv::lookup_in(tag(&tag_hex)?, parent).map(EmvTagInfo::from))
}

/// One entry of a Data Object List: the tag the card asks for and the length it wants.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DolEntry {
    /// The tag as upper-case hex.
    pub tag: String,
    /// The requested length in bytes.
    pub length: u32,
}

/// Parses a DOL (PDOL `9F38`, CDOL1 `8C`, …) into its entries.
#[uniffi::export]
pub fn parse_dol(dol: Vec<u8>) -> Result<Vec<DolEntry>, PaycoreError> {
    emv::parse_dol(&dol)?
        .into_iter()
        .map(|e| {
            Ok(DolEntry {
                tag: e.tag.to_string(),
                length: u32::try_from(e.length).map_err(|_| {
                    PaycoreError::TlvError(format!("DOL length of {} too large", e.tag))
                })?,
            })
        })
        .collect()
}

/// Builds DOL data from several tag→value maps in priority order (the first map that has a
/// tag wins), with the EMV padding and truncation rules; absent tags are zero-filled.
#[uniffi::export]
pub fn build_dol_from_sources(
    dol: Vec<u8>,
    sources: Vec<HashMap<String, Vec<u8>>>,
) -> Result<Vec<u8>, PaycoreError> {
    let maps = sources
        .into_iter()
        .map(tag_map)
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&dyn emv::TagSource> = maps.iter().map(|m| m as &dyn emv::TagSource).collect();
    Ok(emv::build_dol(&dol, &refs)?)
}

/// Issuer Authentication Data (`91`) split per the common layouts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IssuerAuthentication {
    /// The whole `91` value.
    pub raw: Vec<u8>,
    /// The ARPC: 8 bytes (method 1, 10-byte value) or 4 bytes (method 2).
    pub arpc: Vec<u8>,
    /// The rest: Authorisation Response Code (method 1) or CSU + proprietary data (method 2).
    pub rest: Vec<u8>,
}

/// One issuer script template from a response field 55.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IssuerScript {
    /// `71` (before the final GENERATE AC) or `72` (after).
    pub template: String,
    /// Script Identifier (`9F18`), empty if absent.
    pub script_id: Vec<u8>,
    /// The commands (`86` values, each a C-APDU), in order.
    pub commands: Vec<Vec<u8>>,
    /// The whole template as received, to forward to the card byte-exact.
    pub raw: Vec<u8>,
}

/// A parsed response field 55 (host → terminal).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Field55Response {
    /// `91` Issuer Authentication Data, if present.
    pub issuer_authentication: Option<IssuerAuthentication>,
    /// `71`/`72` scripts in order of appearance.
    pub scripts: Vec<IssuerScript>,
    /// Any other top-level objects (e.g. `8A`), value bytes as received (minimal re-encoding
    /// for constructed ones).
    pub other: Vec<TlvItem>,
}

fn script_from(s: emv::IssuerScript) -> Result<IssuerScript, PaycoreError> {
    let commands = s
        .commands
        .iter()
        .map(|c| paycore::hex::decode(c).map_err(|e| emv_err(format!("script command: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(IssuerScript {
        template: s.template.to_string(),
        script_id: s.script_id,
        commands,
        raw: s.raw,
    })
}

fn item_from(o: &tlv::TlvObject) -> TlvItem {
    TlvItem {
        tag: o.tag.to_string(),
        value: if o.tag.is_constructed() {
            tlv::encode_objects(&o.children)
        } else {
            o.value.clone()
        },
    }
}

/// Parses a response field 55: `91` (ARPC), `71`/`72` issuer scripts and other objects.
#[uniffi::export]
pub fn parse_field55_response(data: Vec<u8>) -> Result<Field55Response, PaycoreError> {
    let r = emv::parse_field55_response(&data)?;
    Ok(Field55Response {
        issuer_authentication: r.issuer_authentication.map(|a| IssuerAuthentication {
            raw: a.raw,
            arpc: a.arpc,
            rest: a.rest,
        }),
        scripts: r
            .scripts
            .into_iter()
            .map(script_from)
            .collect::<Result<_, _>>()?,
        other: r.other.iter().map(item_from).collect(),
    })
}

/// One EMVCo QR `ID ‖ LEN ‖ VALUE` object as text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MpmField {
    /// The ID, 0–99.
    pub id: u8,
    /// The value (1–99 characters).
    pub value: String,
}

/// A template of sub-objects (merchant account IDs 26–51, unreserved templates 80–99); sub-ID
/// `00` is the Globally Unique Identifier.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MpmTemplate {
    /// The template's ID.
    pub id: u8,
    /// The sub-objects in order.
    pub fields: Vec<MpmField>,
}

/// Merchant account information (IDs 02–51).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum MpmMerchantAccount {
    /// IDs 02–25 (Visa, Mastercard, Discover, Amex, JCB, UnionPay…) as a plain string.
    Primitive {
        /// The ID.
        id: u8,
        /// The value.
        value: String,
    },
    /// UnionPay (ID 15 or 16): acquirer IIN (8) ‖ forwarding IIN (8) ‖ merchant ID (15).
    UnionPay {
        /// 15 or 16.
        id: u8,
        /// Acquirer IIN, 8 characters.
        acquirer_iin: String,
        /// Forwarding IIN, 8 characters.
        forwarding_iin: String,
        /// Merchant ID, 15 characters.
        merchant_id: String,
    },
    /// IDs 26–51: a template with a Globally Unique Identifier (sub-ID `00`).
    Template {
        /// The template.
        template: MpmTemplate,
    },
}

/// Point of Initiation Method (ID 01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MpmPointOfInitiation {
    /// `11`: static code, reusable; the consumer enters the amount.
    Static,
    /// `12`: dynamic code for one transaction.
    Dynamic,
}

/// Tip or Convenience Indicator (ID 55) with its fee (IDs 56/57).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum MpmTipOrConvenience {
    /// `01`: the app prompts the consumer for a tip.
    PromptForTip,
    /// `02`: fixed convenience fee (ID 56) as exact decimal text, e.g. `"1.00"`.
    FixedFee {
        /// The fee text.
        value: String,
    },
    /// `03`: percentage convenience fee (ID 57), `"00.01"`–`"99.99"`.
    PercentageFee {
        /// The percentage text.
        value: String,
    },
}

/// Additional Data Field Template (ID 62).
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct MpmAdditionalData {
    /// 01 Bill Number.
    #[uniffi(default)]
    pub bill_number: Option<String>,
    /// 02 Mobile Number.
    #[uniffi(default)]
    pub mobile_number: Option<String>,
    /// 03 Store Label.
    #[uniffi(default)]
    pub store_label: Option<String>,
    /// 04 Loyalty Number.
    #[uniffi(default)]
    pub loyalty_number: Option<String>,
    /// 05 Reference Label.
    #[uniffi(default)]
    pub reference_label: Option<String>,
    /// 06 Customer Label.
    #[uniffi(default)]
    pub customer_label: Option<String>,
    /// 07 Terminal Label.
    #[uniffi(default)]
    pub terminal_label: Option<String>,
    /// 08 Purpose of Transaction.
    #[uniffi(default)]
    pub purpose_of_transaction: Option<String>,
    /// 09 Additional Consumer Data Request: any of `A`, `M`, `E`.
    #[uniffi(default)]
    pub consumer_data_request: Option<String>,
    /// 10 Merchant Tax ID (v1.1).
    #[uniffi(default)]
    pub merchant_tax_id: Option<String>,
    /// 11 Merchant Channel (v1.1).
    #[uniffi(default)]
    pub merchant_channel: Option<String>,
    /// Other sub-objects (RFU 12–49, payment-system-specific 50–99).
    #[uniffi(default)]
    pub other: Vec<MpmField>,
}

/// Merchant Information—Language Template (ID 64).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MpmLanguage {
    /// 00 Language Preference (ISO 639 alpha-2, e.g. `ZH`).
    pub language_preference: String,
    /// 01 Merchant Name in the alternate language.
    pub merchant_name: String,
    /// 02 Merchant City in the alternate language.
    #[uniffi(default)]
    pub merchant_city: Option<String>,
    /// Other sub-objects (RFU).
    #[uniffi(default)]
    pub other: Vec<MpmField>,
}

/// An EMVCo merchant-presented QR payload, typed. Amounts and fees are exact decimal text
/// (`"23.72"`), never floating point; the CRC (ID 63) is computed when building.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MpmPayload {
    /// 01; null when absent.
    #[uniffi(default)]
    pub point_of_initiation: Option<MpmPointOfInitiation>,
    /// 02–51 in payload order; at least one is required.
    pub merchant_accounts: Vec<MpmMerchantAccount>,
    /// 52 Merchant Category Code (4 digits).
    pub merchant_category_code: String,
    /// 53 Transaction Currency (ISO 4217 numeric, e.g. `156`).
    pub transaction_currency: String,
    /// 54 Transaction Amount as exact text (`"23.72"`).
    #[uniffi(default)]
    pub transaction_amount: Option<String>,
    /// 55 with 56/57.
    #[uniffi(default)]
    pub tip_or_convenience: Option<MpmTipOrConvenience>,
    /// 58 Country Code (ISO 3166-1 alpha-2).
    pub country_code: String,
    /// 59 Merchant Name (≤ 25 characters).
    pub merchant_name: String,
    /// 60 Merchant City (≤ 15 characters).
    pub merchant_city: String,
    /// 61 Postal Code.
    #[uniffi(default)]
    pub postal_code: Option<String>,
    /// 62 Additional Data Field Template.
    #[uniffi(default)]
    pub additional_data: Option<MpmAdditionalData>,
    /// 64 Merchant Information—Language Template.
    #[uniffi(default)]
    pub language: Option<MpmLanguage>,
    /// 65–79 RFU objects, kept as text.
    #[uniffi(default)]
    pub rfu: Vec<MpmField>,
    /// 80–99 unreserved templates.
    #[uniffi(default)]
    pub unreserved_templates: Vec<MpmTemplate>,
}

fn fields_out(v: Vec<qr::QrField>) -> Vec<MpmField> {
    v.into_iter()
        .map(|f| MpmField {
            id: f.id,
            value: f.value,
        })
        .collect()
}

fn fields_in(v: Vec<MpmField>) -> Vec<qr::QrField> {
    v.into_iter()
        .map(|f| qr::QrField {
            id: f.id,
            value: f.value,
        })
        .collect()
}

fn template_out(t: qr::AccountTemplate) -> MpmTemplate {
    MpmTemplate {
        id: t.id,
        fields: fields_out(t.fields),
    }
}

fn template_in(t: MpmTemplate) -> qr::AccountTemplate {
    qr::AccountTemplate {
        id: t.id,
        fields: fields_in(t.fields),
    }
}

impl From<qr::MerchantPayload> for MpmPayload {
    fn from(p: qr::MerchantPayload) -> Self {
        MpmPayload {
            point_of_initiation: p.point_of_initiation.map(|m| match m {
                qr::PointOfInitiation::Static => MpmPointOfInitiation::Static,
                qr::PointOfInitiation::Dynamic => MpmPointOfInitiation::Dynamic,
            }),
            merchant_accounts: p
                .merchant_accounts
                .into_iter()
                .map(|a| match a {
                    qr::MerchantAccount::Primitive { id, value } => {
                        MpmMerchantAccount::Primitive { id, value }
                    }
                    qr::MerchantAccount::UnionPay {
                        id,
                        acquirer_iin,
                        forwarding_iin,
                        merchant_id,
                    } => MpmMerchantAccount::UnionPay {
                        id,
                        acquirer_iin,
                        forwarding_iin,
                        merchant_id,
                    },
                    qr::MerchantAccount::Template(t) => MpmMerchantAccount::Template {
                        template: template_out(t),
                    },
                })
                .collect(),
            merchant_category_code: p.merchant_category_code,
            transaction_currency: p.transaction_currency,
            transaction_amount: p.transaction_amount,
            tip_or_convenience: p.tip_or_convenience.map(|t| match t {
                qr::TipOrConvenience::PromptForTip => MpmTipOrConvenience::PromptForTip,
                qr::TipOrConvenience::FixedFee(value) => MpmTipOrConvenience::FixedFee { value },
                qr::TipOrConvenience::PercentageFee(value) => {
                    MpmTipOrConvenience::PercentageFee { value }
                }
            }),
            country_code: p.country_code,
            merchant_name: p.merchant_name,
            merchant_city: p.merchant_city,
            postal_code: p.postal_code,
            additional_data: p.additional_data.map(|a| MpmAdditionalData {
                bill_number: a.bill_number,
                mobile_number: a.mobile_number,
                store_label: a.store_label,
                loyalty_number: a.loyalty_number,
                reference_label: a.reference_label,
                customer_label: a.customer_label,
                terminal_label: a.terminal_label,
                purpose_of_transaction: a.purpose_of_transaction,
                consumer_data_request: a.consumer_data_request,
                merchant_tax_id: a.merchant_tax_id,
                merchant_channel: a.merchant_channel,
                other: fields_out(a.other),
            }),
            language: p.language.map(|l| MpmLanguage {
                language_preference: l.language_preference,
                merchant_name: l.merchant_name,
                merchant_city: l.merchant_city,
                other: fields_out(l.other),
            }),
            rfu: fields_out(p.rfu),
            unreserved_templates: p
                .unreserved_templates
                .into_iter()
                .map(template_out)
                .collect(),
        }
    }
}

impl From<MpmPayload> for qr::MerchantPayload {
    fn from(p: MpmPayload) -> Self {
        qr::MerchantPayload {
            point_of_initiation: p.point_of_initiation.map(|m| match m {
                MpmPointOfInitiation::Static => qr::PointOfInitiation::Static,
                MpmPointOfInitiation::Dynamic => qr::PointOfInitiation::Dynamic,
            }),
            merchant_accounts: p
                .merchant_accounts
                .into_iter()
                .map(|a| match a {
                    MpmMerchantAccount::Primitive { id, value } => {
                        qr::MerchantAccount::Primitive { id, value }
                    }
                    MpmMerchantAccount::UnionPay {
                        id,
                        acquirer_iin,
                        forwarding_iin,
                        merchant_id,
                    } => qr::MerchantAccount::UnionPay {
                        id,
                        acquirer_iin,
                        forwarding_iin,
                        merchant_id,
                    },
                    MpmMerchantAccount::Template { template } => {
                        qr::MerchantAccount::Template(template_in(template))
                    }
                })
                .collect(),
            merchant_category_code: p.merchant_category_code,
            transaction_currency: p.transaction_currency,
            transaction_amount: p.transaction_amount,
            tip_or_convenience: p.tip_or_convenience.map(|t| match t {
                MpmTipOrConvenience::PromptForTip => qr::TipOrConvenience::PromptForTip,
                MpmTipOrConvenience::FixedFee { value } => qr::TipOrConvenience::FixedFee(value),
                MpmTipOrConvenience::PercentageFee { value } => {
                    qr::TipOrConvenience::PercentageFee(value)
                }
            }),
            country_code: p.country_code,
            merchant_name: p.merchant_name,
            merchant_city: p.merchant_city,
            postal_code: p.postal_code,
            additional_data: p.additional_data.map(|a| qr::AdditionalData {
                bill_number: a.bill_number,
                mobile_number: a.mobile_number,
                store_label: a.store_label,
                loyalty_number: a.loyalty_number,
                reference_label: a.reference_label,
                customer_label: a.customer_label,
                terminal_label: a.terminal_label,
                purpose_of_transaction: a.purpose_of_transaction,
                consumer_data_request: a.consumer_data_request,
                merchant_tax_id: a.merchant_tax_id,
                merchant_channel: a.merchant_channel,
                other: fields_in(a.other),
            }),
            language: p.language.map(|l| qr::MerchantLanguage {
                language_preference: l.language_preference,
                merchant_name: l.merchant_name,
                merchant_city: l.merchant_city,
                other: fields_in(l.other),
            }),
            rfu: fields_in(p.rfu),
            unreserved_templates: p
                .unreserved_templates
                .into_iter()
                .map(template_in)
                .collect(),
        }
    }
}

/// Parses an EMVCo merchant-presented QR payload into a typed record (the CRC is checked).
#[uniffi::export]
pub fn parse_mpm(text: String) -> Result<MpmPayload, PaycoreError> {
    Ok(qr::parse_mpm(&text)?.into())
}

/// Builds an EMVCo merchant-presented QR payload, CRC included, from a typed record; the
/// payload is validated (mandatory objects, lengths, formats) before it is written.
#[uniffi::export]
pub fn build_mpm(payload: MpmPayload) -> Result<String, PaycoreError> {
    Ok(qr::build_mpm(&payload.into())?)
}

/// One named item of an explanation: a set bit, or a decoded sub-field.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EmvExplainedItem {
    /// Byte number (1-based) for bit flags; null for sub-fields.
    pub byte: Option<u8>,
    /// Bit number (8..1) for bit flags; null for sub-fields.
    pub bit: Option<u8>,
    /// Machine name, e.g. `pin_not_entered` (the name `emvEncodeFlags` accepts).
    pub flag: String,
    /// Human-readable text.
    pub text: String,
}

/// The explanation of a data element's value. Sensitive values (PAN, track 2) are masked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EmvExplanation {
    /// The tag as upper-case hex.
    pub tag: String,
    /// The element's name.
    pub name: String,
    /// The value as hex (masked for sensitive tags).
    pub value: String,
    /// One-line summary.
    pub summary: String,
    /// Named flags or sub-fields.
    pub items: Vec<EmvExplainedItem>,
}

/// Explains a value (bit fields such as TVR `95`, CVM List/Results, CID, IAD, or any
/// dictionary tag by its format) as a typed record.
#[uniffi::export]
pub fn emv_explain(tag_hex: String, value: Vec<u8>) -> Result<EmvExplanation, PaycoreError> {
    let e = emv::explain(tag(&tag_hex)?, &value)?;
    Ok(EmvExplanation {
        tag: e.tag.to_string(),
        name: e.name,
        value: e.value,
        summary: e.summary,
        items: e
            .items
            .into_iter()
            .map(|i| EmvExplainedItem {
                byte: i.byte,
                bit: i.bit,
                flag: i.flag,
                text: i.text,
            })
            .collect(),
    })
}
