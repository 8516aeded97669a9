//! EMVCo merchant-presented mode (MPM) payloads: parse, validate, build.

use serde::{Deserialize, Serialize};

use super::{QrError, QrErrorKind, crc16_ccitt_false};

/// Longest payload accepted: 100 objects of at most 99 characters fit in ~10 300 characters.
const MAX_PAYLOAD_CHARS: usize = 10_400;

/// One `ID ‖ LEN ‖ VALUE` object as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrField<S = String> {
    /// The ID, 0–99.
    pub id: u8,
    /// The value (1–99 characters).
    pub value: S,
}

/// A template of sub-objects (IDs 26–51 merchant accounts, 80–99 unreserved templates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountTemplate<S = String> {
    /// The template's ID.
    pub id: u8,
    /// Sub-objects; sub-ID `00` is the Globally Unique Identifier (AID or reverse domain).
    pub fields: Vec<QrField<S>>,
}

impl<S: AsRef<str>> AccountTemplate<S> {
    /// The Globally Unique Identifier (sub-ID `00`), if present.
    pub fn guid(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.id == 0)
            .map(|f| f.value.as_ref())
    }
}

/// Merchant account information (IDs 02–51).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MerchantAccount<S = String> {
    /// IDs 02–25 (Visa, Mastercard, EMVCo reserved, Discover, Amex, JCB, UnionPay…): a string.
    Primitive {
        /// The ID.
        id: u8,
        /// The value.
        value: S,
    },
    /// UnionPay (ID 15 or 16) with the 31-character layout: acquirer IIN (8) ‖ forwarding IIN
    /// (8) ‖ merchant ID (15).
    UnionPay {
        /// 15 or 16.
        id: u8,
        /// Acquirer IIN, 8 characters.
        acquirer_iin: S,
        /// Forwarding IIN, 8 characters.
        forwarding_iin: S,
        /// Merchant ID, 15 characters.
        merchant_id: S,
    },
    /// IDs 26–51: a template with a Globally Unique Identifier.
    Template(AccountTemplate<S>),
}

impl<S> MerchantAccount<S> {
    /// The ID.
    pub fn id(&self) -> u8 {
        match self {
            MerchantAccount::Primitive { id, .. } | MerchantAccount::UnionPay { id, .. } => *id,
            MerchantAccount::Template(t) => t.id,
        }
    }
}

/// Point of Initiation Method (ID 01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointOfInitiation {
    /// `11`: static code, reusable, amount entered by the consumer.
    Static,
    /// `12`: dynamic code for one transaction.
    Dynamic,
}

/// Tip or Convenience Indicator (ID 55) with its fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum TipOrConvenience<S = String> {
    /// `01`: the mobile app prompts the consumer for a tip.
    PromptForTip,
    /// `02`: fixed convenience fee (ID 56), e.g. `"1.00"`.
    FixedFee(S),
    /// `03`: percentage convenience fee (ID 57), `"00.01"`–`"99.99"`.
    PercentageFee(S),
}

/// Additional Data Field Template (ID 62).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdditionalData<S = String> {
    /// 01 Bill Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_number: Option<S>,
    /// 02 Mobile Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<S>,
    /// 03 Store Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_label: Option<S>,
    /// 04 Loyalty Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loyalty_number: Option<S>,
    /// 05 Reference Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_label: Option<S>,
    /// 06 Customer Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_label: Option<S>,
    /// 07 Terminal Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_label: Option<S>,
    /// 08 Purpose of Transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose_of_transaction: Option<S>,
    /// 09 Additional Consumer Data Request: any of `A` (address), `M` (mobile), `E` (email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumer_data_request: Option<S>,
    /// 10 Merchant Tax ID (v1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_tax_id: Option<S>,
    /// 11 Merchant Channel (v1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_channel: Option<S>,
    /// Other sub-objects (RFU 12–49, payment-system-specific 50–99), kept as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<QrField<S>>,
}

impl<S> Default for AdditionalData<S> {
    fn default() -> Self {
        AdditionalData {
            bill_number: None,
            mobile_number: None,
            store_label: None,
            loyalty_number: None,
            reference_label: None,
            customer_label: None,
            terminal_label: None,
            purpose_of_transaction: None,
            consumer_data_request: None,
            merchant_tax_id: None,
            merchant_channel: None,
            other: Vec::new(),
        }
    }
}

/// Merchant Information—Language Template (ID 64).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantLanguage<S = String> {
    /// 00 Language Preference (ISO 639 alpha-2, e.g. `ZH`).
    pub language_preference: S,
    /// 01 Merchant Name in the alternate language.
    pub merchant_name: S,
    /// 02 Merchant City in the alternate language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_city: Option<S>,
    /// Other sub-objects (RFU).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<QrField<S>>,
}

/// A merchant-presented payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantPayload<S = String> {
    /// 01; `None` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_of_initiation: Option<PointOfInitiation>,
    /// 02–51, in payload order; at least one is required.
    pub merchant_accounts: Vec<MerchantAccount<S>>,
    /// 52 Merchant Category Code (ISO 18245, 4 digits).
    pub merchant_category_code: S,
    /// 53 Transaction Currency (ISO 4217 numeric, 3 digits, e.g. `156`).
    pub transaction_currency: S,
    /// 54 Transaction Amount as written (`"23.72"`); exact decimal text, never a float.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_amount: Option<S>,
    /// 55 with 56/57.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip_or_convenience: Option<TipOrConvenience<S>>,
    /// 58 Country Code (ISO 3166-1 alpha-2).
    pub country_code: S,
    /// 59 Merchant Name (≤ 25 characters).
    pub merchant_name: S,
    /// 60 Merchant City (≤ 15 characters).
    pub merchant_city: S,
    /// 61 Postal Code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<S>,
    /// 62.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_data: Option<AdditionalData<S>>,
    /// 64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<MerchantLanguage<S>>,
    /// 65–79 RFU objects, kept as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rfu: Vec<QrField<S>>,
    /// 80–99 unreserved templates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreserved_templates: Vec<AccountTemplate<S>>,
}

/// A raw object found while scanning. Kept to four words: the top-level objects are collected
/// in an array on the stack.
#[derive(Debug, Clone, Copy)]
struct RawObject<'a> {
    value: &'a str,
    /// Character offset of the ID.
    offset: usize,
    id: u8,
    /// The value's length in characters (1–99), as written in the object.
    chars: u8,
}

impl RawObject<'_> {
    const EMPTY: RawObject<'static> = RawObject {
        value: "",
        offset: 0,
        id: 0,
        chars: 0,
    };

    /// Character offset of the value (after the 2-digit ID and the 2-digit length).
    fn value_offset(&self) -> usize {
        self.offset + 4
    }

    /// Whether the value is all ASCII: a non-ASCII character takes at least two bytes, so
    /// the value is ASCII exactly when it has as many bytes as characters.
    fn is_ascii(&self) -> bool {
        self.value.len() == usize::from(self.chars)
    }
}

/// Bytes of the UTF-8 character that starts with `lead` (a lead byte: the text is a `str`
/// and the walk starts on a character boundary). Branch-free: non-ASCII text is walked a
/// character at a time.
fn utf8_width(lead: u8) -> usize {
    1 + usize::from(lead >= 0xC0) + usize::from(lead >= 0xE0) + usize::from(lead >= 0xF0)
}

fn two_digits(b: &[u8]) -> Option<u8> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some((a - b'0') * 10 + (c - b'0')),
        _ => None,
    }
}

/// The usual object header: `ID ‖ LEN` as four ASCII digits with a length of at least 1,
/// checked and converted as one 32-bit word. `None` sends the caller to [`header_error`].
#[inline(always)]
fn header(bytes: &[u8], pos: usize) -> Option<(u8, u8)> {
    let w = u32::from_le_bytes(*bytes.get(pos..)?.first_chunk::<4>()?);
    // Every byte is 0x30–0x39: its high nibble is 3, and adding 6 keeps it 3 (0x3A–0x3F
    // would carry into the nibble; no byte can carry into the next, 0x3F + 6 < 0x100).
    if w & 0xF0F0_F0F0 != 0x3030_3030 || w.wrapping_add(0x0606_0606) & 0xF0F0_F0F0 != 0x3030_3030 {
        return None;
    }
    let [i1, i0, l1, l0] = (w & 0x0F0F_0F0F).to_le_bytes();
    let len = l1 * 10 + l0;
    (len != 0).then_some((i1 * 10 + i0, len))
}

/// The error for a header [`header`] refused: truncated or bad ID, truncated or bad length.
#[cold]
#[inline(never)]
fn header_error(bytes: &[u8], pos: usize, offset: usize, parent: Option<u8>) -> QrError {
    let Some(id_bytes) = bytes.get(pos..pos + 2) else {
        return QrError::new(offset, path(parent, None), QrErrorKind::Truncated);
    };
    let Some(id) = two_digits(id_bytes) else {
        return QrError::new(offset, path(parent, None), QrErrorKind::BadId);
    };
    let kind = if bytes.len() < pos + 4 {
        QrErrorKind::Truncated
    } else {
        QrErrorKind::BadLengthDigits
    };
    QrError::new(offset + 2, path(parent, Some(id)), kind)
}

/// An error path such as `62`, `62/05` or `05` (only formatted on error).
#[cold]
fn path(parent: Option<u8>, id: Option<u8>) -> String {
    match (parent, id) {
        (None, None) => String::new(),
        (Some(p), None) => format!("{p:02}"),
        (None, Some(id)) => format!("{id:02}"),
        (Some(p), Some(id)) => format!("{p:02}/{id:02}"),
    }
}

/// Index of the first non-ASCII byte of `bytes` at or after `from` (`bytes.len()` if none),
/// sixteen bytes at a time.
fn first_wide(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    let (words, tail) = rest.as_chunks::<16>();
    for (i, w) in words.iter().enumerate() {
        let high = u128::from_le_bytes(*w) & 0x8080_8080_8080_8080_8080_8080_8080_8080;
        if high != 0 {
            return from + i * 16 + (high.trailing_zeros() / 8) as usize;
        }
    }
    let done = from + words.len() * 16;
    tail.iter()
        .position(|&b| !b.is_ascii())
        .map_or(bytes.len(), |i| done + i)
}

/// Byte index just past `n` characters starting at byte `start` (a character boundary), or
/// `None` if the text ends first.
fn char_end(bytes: &[u8], start: usize, n: u8) -> Option<usize> {
    let mut end = start;
    for _ in 0..n {
        end += utf8_width(*bytes.get(end)?);
    }
    Some(end)
}

/// Scans `text` as ID/LEN/VALUE objects. `base` is the character offset of `text` in the
/// payload; `parent` the template's ID for error paths; `ascii` says `text` is known to be
/// all ASCII (a template whose byte and character lengths agree).
///
/// Lengths count characters, but most values are ASCII, where characters are bytes: the scan
/// keeps the position of the next non-ASCII byte, and a value that ends before it is sliced
/// by its length without looking at its characters. Only a value that reaches a non-ASCII
/// byte is walked character by character. Character offsets are running sums of lengths.
fn scan<'a>(
    text: &'a str,
    base: usize,
    parent: Option<u8>,
    ascii: bool,
    mut push: impl FnMut(RawObject<'a>),
) -> Result<(), QrError> {
    let bytes = text.as_bytes();
    let mut wide = if ascii {
        bytes.len()
    } else {
        first_wide(bytes, 0)
    };
    let (mut pos, mut chars) = (0usize, base);
    while pos < bytes.len() {
        let Some((id, len)) = header(bytes, pos) else {
            return Err(header_error(bytes, pos, chars, parent));
        };
        let start = pos + 4;
        let mut end = start + usize::from(len);
        // `wide <= bytes.len()`, so a value ending before it is in bounds and all ASCII.
        if end > wide {
            // The value's characters before `wide` are ASCII bytes; only the rest is walked.
            let ascii_run = wide.saturating_sub(start).min(usize::from(len));
            let Some(e) = char_end(bytes, start + ascii_run, len - ascii_run as u8) else {
                return Err(QrError::new(
                    chars + 4,
                    path(parent, Some(id)),
                    QrErrorKind::Truncated,
                ));
            };
            end = e;
            wide = first_wide(bytes, end);
        }
        let Some(value) = text.get(start..end) else {
            // Unreachable: `start` follows ASCII digits and `end` ends a character.
            return Err(QrError::new(
                chars + 4,
                path(parent, Some(id)),
                QrErrorKind::Truncated,
            ));
        };
        push(RawObject {
            value,
            offset: chars,
            id,
            chars: len,
        });
        pos = end;
        chars += 4 + usize::from(len);
    }
    Ok(())
}

/// The top-level objects in payload order, indexed by ID.
struct Objects<'a> {
    /// A valid payload has at most 100 objects (distinct IDs) and usually ~20: they are kept
    /// on the stack, and only a longer list (many RFU objects or templates, or duplicates)
    /// spills to `spill`.
    inline: [RawObject<'a>; 32],
    spill: Vec<RawObject<'a>>,
    count: usize,
    /// `index[id]` is the position of the first object with that ID, or [`Objects::ABSENT`].
    index: [u16; 100],
    /// The first object whose ID was already seen.
    duplicate: Option<RawObject<'a>>,
    /// Bit `i` is set when inline object `i` is a merchant account (02–51), an RFU object
    /// (65–79), an unreserved template (80–99): the objects listed in payload order, visited
    /// without walking the others, in lists allocated once at their size.
    accounts: u32,
    rfu: u32,
    unreserved: u32,
}

impl<'a> Objects<'a> {
    const ABSENT: u16 = u16::MAX;

    /// No objects yet. Built where it is used: at ~1.2 KiB, moving it would cost a copy.
    #[inline(always)]
    fn new() -> Self {
        Objects {
            inline: [RawObject::EMPTY; 32],
            spill: Vec::new(),
            count: 0,
            index: [Self::ABSENT; 100],
            duplicate: None,
            accounts: 0,
            rfu: 0,
            unreserved: 0,
        }
    }

    /// Scans `payload` (at most [`MAX_PAYLOAD_CHARS`] characters, so at most ~2 100 objects
    /// and positions fit in a `u16`).
    fn scan(&mut self, payload: &'a str) -> Result<(), QrError> {
        // The running state is kept in locals (registers) and stored once at the end.
        let (mut count, mut accounts, mut rfu, mut unreserved) = (0usize, 0u32, 0u32, 0u32);
        let mut duplicate = None;
        let Objects {
            inline,
            spill,
            index,
            ..
        } = self;
        let scanned = scan(payload, 0, None, false, |obj| {
            if let Some(slot) = inline.get_mut(count) {
                *slot = obj;
            } else {
                if spill.is_empty() {
                    spill.extend_from_slice(inline);
                }
                spill.push(obj);
            }
            let slot = &mut index[usize::from(obj.id)];
            if *slot == Self::ABSENT {
                *slot = count as u16;
            } else if duplicate.is_none() {
                duplicate = Some(obj);
            }
            let bit = 1u32.checked_shl(count as u32).unwrap_or(0);
            match obj.id {
                2..=51 => accounts |= bit,
                65..=79 => rfu |= bit,
                80..=99 => unreserved |= bit,
                _ => {}
            }
            count += 1;
        });
        self.count = count;
        self.duplicate = duplicate;
        (self.accounts, self.rfu, self.unreserved) = (accounts, rfu, unreserved);
        scanned
    }

    fn all(&self) -> &[RawObject<'a>] {
        if self.spill.is_empty() {
            &self.inline[..self.count]
        } else {
            &self.spill
        }
    }

    /// The first object with `id`.
    fn get(&self, id: u8) -> Option<&RawObject<'a>> {
        match self.index[usize::from(id)] {
            Self::ABSENT => None,
            i => self.all().get(usize::from(i)),
        }
    }
}

/// Parses a template value (e.g. of ID 26 or 62) into its sub-objects, without semantics.
pub fn parse_template(value: &str) -> Result<Vec<QrField>, QrError> {
    fields_of(value, 0, None, false)
}

/// Scans a template value straight into fields, rejecting duplicate sub-IDs.
fn fields_of<'a, S: From<&'a str>>(
    value: &'a str,
    base: usize,
    parent: Option<u8>,
    ascii: bool,
) -> Result<Vec<QrField<S>>, QrError> {
    let mut out = Vec::with_capacity(4);
    each_field(value, base, parent, ascii, |o| {
        out.push(QrField {
            id: o.id,
            value: S::from(o.value),
        })
    })?;
    Ok(out)
}

/// Scans a template value, handing each sub-object to `visit`; a repeated sub-ID is an error,
/// reported after the structure of the whole template has been checked.
fn each_field<'a>(
    value: &'a str,
    base: usize,
    parent: Option<u8>,
    ascii: bool,
    mut visit: impl FnMut(RawObject<'a>),
) -> Result<(), QrError> {
    // Bit `id % 64` of `seen[id / 64]` is set once sub-ID `id` has been seen (four words, so
    // that any `u8` indexes it without a bounds check).
    let mut seen = [0u64; 4];
    let mut repeated = 0;
    scan(value, base, parent, ascii, |o| {
        let (word, bit) = (&mut seen[usize::from(o.id >> 6)], 1u64 << (o.id & 63));
        repeated |= *word & bit;
        *word |= bit;
        visit(o);
    })?;
    if repeated != 0 {
        return Err(first_duplicate(value, base, parent, ascii));
    }
    Ok(())
}

/// The error for the first repeated sub-ID of a template known to have one (found again by a
/// second scan, so that the usual scan only accumulates bits).
#[cold]
#[inline(never)]
fn first_duplicate(value: &str, base: usize, parent: Option<u8>, ascii: bool) -> QrError {
    let mut seen = [false; 100];
    let mut duplicate = None;
    if let Err(e) = scan(value, base, parent, ascii, |o| {
        if std::mem::replace(&mut seen[usize::from(o.id)], true) {
            duplicate.get_or_insert((o.offset, o.id));
        }
    }) {
        return e;
    }
    let (offset, id) = duplicate.unwrap_or((base, 0));
    QrError::new(offset, path(parent, Some(id)), QrErrorKind::Duplicate)
}

fn template_fields<'a, S: From<&'a str>>(o: &RawObject<'a>) -> Result<Vec<QrField<S>>, QrError> {
    fields_of(o.value, o.value_offset(), Some(o.id), o.is_ascii())
}

/// Visits the sub-objects of template `o`.
fn each_template_field<'a>(
    o: &RawObject<'a>,
    visit: impl FnMut(RawObject<'a>),
) -> Result<(), QrError> {
    each_field(o.value, o.value_offset(), Some(o.id), o.is_ascii(), visit)
}

#[cold]
fn bad(o: &RawObject<'_>, reason: impl Into<String>) -> QrError {
    QrError::new(
        o.value_offset(),
        format!("{:02}", o.id),
        QrErrorKind::BadValue(reason.into()),
    )
}

fn check_digits<'a, S: From<&'a str>>(o: &RawObject<'a>, n: usize) -> Result<S, QrError> {
    if o.value.len() != n || !o.value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(o, format!("must be {n} digits")));
    }
    Ok(S::from(o.value))
}

fn check_max<'a, S: From<&'a str>>(o: &RawObject<'a>, max: usize) -> Result<S, QrError> {
    if usize::from(o.chars) > max {
        return Err(bad(o, format!("longer than {max} characters")));
    }
    Ok(S::from(o.value))
}

/// Amount text: digits with at most one `.`; at least one digit; ≤ 13 characters.
fn check_amount<'a, S: From<&'a str>>(o: &RawObject<'a>, max: usize) -> Result<S, QrError> {
    let v = o.value;
    let (mut digits, mut dots, mut other) = (0usize, 0usize, false);
    for b in v.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => other = true,
        }
    }
    if v.len() > max || digits == 0 || dots > 1 || other {
        return Err(bad(
            o,
            format!("{v:?} is not an amount (digits and one '.' at most, ≤ {max} characters)"),
        ));
    }
    Ok(S::from(v))
}

/// The four hex digits of a CRC value, either case.
fn hex4(v: &[u8]) -> Option<u16> {
    let digits: &[u8; 4] = v.try_into().ok()?;
    digits.iter().try_fold(0u16, |acc, &b| {
        let n = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'F' => b - b'A' + 10,
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        Some(acc << 4 | u16::from(n))
    })
}

/// Parses and validates a merchant-presented payload.
///
/// Checks, in order: structure (IDs, two-digit lengths counted in characters), `00` first
/// and equal to `01`, `63` last with 4 characters, the CRC over the UTF-8 bytes including
/// `"6304"` (upper- or lower-case hex accepted), duplicate IDs, mandatory objects (00, a
/// merchant account 02–51, 52, 53, 58, 59, 60, 63) and value formats.
pub fn parse_mpm(payload: &str) -> Result<MerchantPayload, QrError> {
    parse_mpm_as(payload)
}

/// [`parse_mpm`] without copying: every text field borrows from `payload`.
///
/// Same checks and errors as [`parse_mpm`]. For a switch that validates and routes a scanned
/// code and keeps only a few fields, this skips the string allocations (one per field) that
/// dominate the owned parse; only the lists (accounts, template fields) are allocated.
pub fn parse_mpm_borrowed(payload: &str) -> Result<MerchantPayload<&str>, QrError> {
    parse_mpm_as(payload)
}

fn parse_mpm_as<'a, S: From<&'a str> + AsRef<str>>(
    payload: &'a str,
) -> Result<MerchantPayload<S>, QrError> {
    // Bytes bound characters from above, so the cheap check comes first.
    if payload.len() > MAX_PAYLOAD_CHARS && payload.chars().count() > MAX_PAYLOAD_CHARS {
        return Err(QrError::new(
            0,
            "",
            QrErrorKind::TooLong(payload.chars().count()),
        ));
    }
    let mut objects = Objects::new();
    objects.scan(payload)?;
    let objs = objects.all();
    match objs.first() {
        Some(o) if o.id == 0 && o.value == "01" => {}
        Some(o) => {
            return Err(QrError::new(
                o.offset,
                format!("{:02}", o.id),
                QrErrorKind::PayloadFormatIndicator,
            ));
        }
        None => {
            return Err(QrError::new(
                0,
                "",
                QrErrorKind::MissingMandatory("00".into()),
            ));
        }
    }
    let last = objs.len() - 1;
    match objects.index[63] {
        Objects::ABSENT => {
            return Err(QrError::new(
                payload.chars().count(),
                "63",
                QrErrorKind::MissingMandatory("63".into()),
            ));
        }
        i if usize::from(i) != last => {
            let next = &objs[usize::from(i) + 1];
            return Err(QrError::new(
                next.offset,
                format!("{:02}", next.id),
                QrErrorKind::CrcPosition,
            ));
        }
        _ if objs[last].value.len() != 4 => {
            return Err(QrError::new(
                objs[last].offset,
                "63",
                QrErrorKind::CrcPosition,
            ));
        }
        _ => {}
    }
    let crc_obj = &objs[last];
    // The CRC object is last, so its value is the payload's last bytes.
    let computed = crc16_ccitt_false(&payload.as_bytes()[..payload.len() - crc_obj.value.len()]);
    if hex4(crc_obj.value.as_bytes()) != Some(computed) {
        let expected = format!("{computed:04X}");
        return Err(QrError::new(
            crc_obj.value_offset(),
            "63",
            QrErrorKind::CrcMismatch {
                expected,
                actual: crc_obj.value.to_string(),
            },
        ));
    }
    if let Some(o) = &objects.duplicate {
        return Err(QrError::new(
            o.offset,
            format!("{:02}", o.id),
            QrErrorKind::Duplicate,
        ));
    }
    // The CRC is last, so the payload ends 4 characters after its value starts.
    interpret(&objects, crc_obj.value_offset() + 4)
}

/// The objects listed in payload order: merchant accounts, RFU objects, unreserved templates.
struct Lists<S> {
    merchant_accounts: Vec<MerchantAccount<S>>,
    rfu: Vec<QrField<S>>,
    unreserved_templates: Vec<AccountTemplate<S>>,
}

impl<'a, S: From<&'a str>> Lists<S> {
    /// Adds `o` to its list, if it belongs to one.
    fn add(&mut self, o: &RawObject<'a>) -> Result<(), QrError> {
        match o.id {
            2..=25 => {
                let v = o.value;
                if (o.id == 15 || o.id == 16) && o.chars == 31 && o.is_ascii() {
                    self.merchant_accounts.push(MerchantAccount::UnionPay {
                        id: o.id,
                        acquirer_iin: S::from(&v[..8]),
                        forwarding_iin: S::from(&v[8..16]),
                        merchant_id: S::from(&v[16..]),
                    });
                } else {
                    self.merchant_accounts.push(MerchantAccount::Primitive {
                        id: o.id,
                        value: S::from(v),
                    });
                }
            }
            26..=51 => self
                .merchant_accounts
                .push(MerchantAccount::Template(AccountTemplate {
                    id: o.id,
                    fields: template_fields(o)?,
                })),
            65..=79 => self.rfu.push(QrField {
                id: o.id,
                value: S::from(o.value),
            }),
            80..=99 => self.unreserved_templates.push(AccountTemplate {
                id: o.id,
                fields: template_fields(o)?,
            }),
            _ => {}
        }
        Ok(())
    }
}

fn interpret<'a, S: From<&'a str> + AsRef<str>>(
    objects: &Objects<'a>,
    total_chars: usize,
) -> Result<MerchantPayload<S>, QrError> {
    let objs = objects.all();
    let find = |id: u8| objects.get(id);
    let need = |id: u8| {
        find(id).ok_or_else(|| {
            QrError::new(
                total_chars,
                format!("{id:02}"),
                QrErrorKind::MissingMandatory(format!("{id:02}")),
            )
        })
    };
    let point_of_initiation = match find(1) {
        None => None,
        Some(o) if o.value == "11" => Some(PointOfInitiation::Static),
        Some(o) if o.value == "12" => Some(PointOfInitiation::Dynamic),
        Some(o) => return Err(bad(o, "point of initiation must be 11 or 12")),
    };
    let mut lists;
    if objects.spill.is_empty() {
        let size = |bits: u32| bits.count_ones() as usize;
        lists = Lists {
            merchant_accounts: Vec::with_capacity(size(objects.accounts)),
            rfu: Vec::with_capacity(size(objects.rfu)),
            unreserved_templates: Vec::with_capacity(size(objects.unreserved)),
        };
        let mut bits = objects.accounts | objects.rfu | objects.unreserved;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if let Some(o) = objs.get(i) {
                lists.add(o)?;
            }
        }
    } else {
        lists = Lists {
            merchant_accounts: Vec::new(),
            rfu: Vec::new(),
            unreserved_templates: Vec::new(),
        };
        for o in objs {
            lists.add(o)?;
        }
    }
    let Lists {
        merchant_accounts,
        rfu,
        unreserved_templates,
    } = lists;
    if merchant_accounts.is_empty() {
        return Err(QrError::new(
            total_chars,
            "02-51",
            QrErrorKind::MissingMandatory("merchant account information (02-51)".into()),
        ));
    }
    let tip_or_convenience = match find(55) {
        None => {
            if let Some(o) = find(56).or_else(|| find(57)) {
                return Err(bad(
                    o,
                    "convenience fee without tip or convenience indicator 55",
                ));
            }
            None
        }
        Some(o) => {
            let fee = |id: u8, max: usize| -> Result<S, QrError> {
                let f = find(id).ok_or_else(|| {
                    QrError::new(
                        o.offset,
                        format!("{id:02}"),
                        QrErrorKind::MissingMandatory(format!("{id:02}")),
                    )
                })?;
                check_amount(f, max)
            };
            let unexpected = |id: u8| {
                find(id).map_or(Ok(()), |f| {
                    Err(bad(f, format!("not allowed with indicator {}", o.value)))
                })
            };
            match o.value {
                "01" => {
                    unexpected(56)?;
                    unexpected(57)?;
                    Some(TipOrConvenience::PromptForTip)
                }
                "02" => {
                    unexpected(57)?;
                    Some(TipOrConvenience::FixedFee(fee(56, 13)?))
                }
                "03" => {
                    unexpected(56)?;
                    let p = fee(57, 5)?;
                    Some(TipOrConvenience::PercentageFee(p))
                }
                _ => return Err(bad(o, "tip or convenience indicator must be 01, 02 or 03")),
            }
        }
    };
    let country = need(58)?;
    if country.value.len() != 2 || !country.value.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad(country, "country code must be 2 letters"));
    }
    // Filled in place: the template is ~200 bytes.
    let mut additional = None;
    if let Some(o) = find(62) {
        additional_data(o, additional.insert(AdditionalData::default()))?;
    }
    let language = find(64).map(|o| language(o)).transpose()?;
    Ok(MerchantPayload {
        point_of_initiation,
        merchant_accounts,
        merchant_category_code: check_digits(need(52)?, 4)?,
        transaction_currency: check_digits(need(53)?, 3)?,
        transaction_amount: find(54).map(|o| check_amount(o, 13)).transpose()?,
        tip_or_convenience,
        country_code: S::from(country.value),
        merchant_name: check_max(need(59)?, 25)?,
        merchant_city: check_max(need(60)?, 15)?,
        postal_code: find(61).map(|o| check_max(o, 10)).transpose()?,
        additional_data: additional,
        language,
        rfu,
        unreserved_templates,
    })
}

fn additional_data<'a, S: From<&'a str> + AsRef<str>>(
    o: &RawObject<'a>,
    a: &mut AdditionalData<S>,
) -> Result<(), QrError> {
    each_template_field(o, |f| {
        let slot = match f.id {
            1 => &mut a.bill_number,
            2 => &mut a.mobile_number,
            3 => &mut a.store_label,
            4 => &mut a.loyalty_number,
            5 => &mut a.reference_label,
            6 => &mut a.customer_label,
            7 => &mut a.terminal_label,
            8 => &mut a.purpose_of_transaction,
            9 => &mut a.consumer_data_request,
            10 => &mut a.merchant_tax_id,
            11 => &mut a.merchant_channel,
            _ => {
                a.other.push(QrField {
                    id: f.id,
                    value: S::from(f.value),
                });
                return;
            }
        };
        *slot = Some(S::from(f.value));
    })?;
    if let Some(r) = &a.consumer_data_request
        && !r.as_ref().bytes().all(|b| matches!(b, b'A' | b'M' | b'E'))
    {
        return Err(QrError::new(
            o.value_offset(),
            "62/09",
            QrErrorKind::BadValue("consumer data request takes only A, M, E".into()),
        ));
    }
    Ok(())
}

fn language<'a, S: From<&'a str>>(o: &RawObject<'a>) -> Result<MerchantLanguage<S>, QrError> {
    let (mut language_preference, mut merchant_name, mut merchant_city) = (None, None, None);
    let mut other = Vec::new();
    each_template_field(o, |f| match f.id {
        0 => language_preference = Some(S::from(f.value)),
        1 => merchant_name = Some(S::from(f.value)),
        2 => merchant_city = Some(S::from(f.value)),
        _ => other.push(QrField {
            id: f.id,
            value: S::from(f.value),
        }),
    })?;
    let missing = |id: u8| {
        QrError::new(
            o.value_offset(),
            format!("64/{id:02}"),
            QrErrorKind::MissingMandatory(format!("64/{id:02}")),
        )
    };
    Ok(MerchantLanguage {
        language_preference: language_preference.ok_or_else(|| missing(0))?,
        merchant_name: merchant_name.ok_or_else(|| missing(1))?,
        merchant_city,
        other,
    })
}

/// Appends one object; the value must be 1–99 characters.
fn put(out: &mut String, path: &str, id: u8, value: &str) -> Result<(), QrError> {
    let n = value.chars().count();
    if n == 0 || n > 99 {
        let at = out.chars().count();
        let p = if path.is_empty() {
            format!("{id:02}")
        } else {
            format!("{path}/{id:02}")
        };
        return Err(QrError::new(
            at,
            p,
            QrErrorKind::BadValue(format!("value must be 1 to 99 characters, got {n}")),
        ));
    }
    out.push_str(&format!("{id:02}{n:02}"));
    out.push_str(value);
    Ok(())
}

fn put_template(out: &mut String, id: u8, fields: &[QrField]) -> Result<(), QrError> {
    let mut inner = String::new();
    let path = format!("{id:02}");
    for f in fields {
        put(&mut inner, &path, f.id, &f.value)?;
    }
    put(out, "", id, &inner)
}

/// Builds a merchant-presented payload with its CRC, then re-parses it so that only payloads
/// [`parse_mpm`] accepts are produced. Objects are written in ID order except that the merchant
/// accounts keep their given order.
pub fn build_mpm(p: &MerchantPayload) -> Result<String, QrError> {
    let mut out = String::with_capacity(256);
    put(&mut out, "", 0, "01")?;
    match p.point_of_initiation {
        Some(PointOfInitiation::Static) => put(&mut out, "", 1, "11")?,
        Some(PointOfInitiation::Dynamic) => put(&mut out, "", 1, "12")?,
        None => {}
    }
    for a in &p.merchant_accounts {
        match a {
            MerchantAccount::Primitive { id, value } => put(&mut out, "", *id, value)?,
            MerchantAccount::UnionPay {
                id,
                acquirer_iin,
                forwarding_iin,
                merchant_id,
            } => {
                if acquirer_iin.chars().count() != 8
                    || forwarding_iin.chars().count() != 8
                    || merchant_id.chars().count() != 15
                {
                    let at = out.chars().count();
                    return Err(QrError::new(
                        at,
                        format!("{id:02}"),
                        QrErrorKind::BadValue(
                            "UnionPay account is IIN(8) + IIN(8) + merchant ID(15)".into(),
                        ),
                    ));
                }
                put(
                    &mut out,
                    "",
                    *id,
                    &format!("{acquirer_iin}{forwarding_iin}{merchant_id}"),
                )?
            }
            MerchantAccount::Template(t) => put_template(&mut out, t.id, &t.fields)?,
        }
    }
    put(&mut out, "", 52, &p.merchant_category_code)?;
    put(&mut out, "", 53, &p.transaction_currency)?;
    if let Some(a) = &p.transaction_amount {
        put(&mut out, "", 54, a)?;
    }
    match &p.tip_or_convenience {
        None => {}
        Some(TipOrConvenience::PromptForTip) => put(&mut out, "", 55, "01")?,
        Some(TipOrConvenience::FixedFee(f)) => {
            put(&mut out, "", 55, "02")?;
            put(&mut out, "", 56, f)?;
        }
        Some(TipOrConvenience::PercentageFee(f)) => {
            put(&mut out, "", 55, "03")?;
            put(&mut out, "", 57, f)?;
        }
    }
    put(&mut out, "", 58, &p.country_code)?;
    put(&mut out, "", 59, &p.merchant_name)?;
    put(&mut out, "", 60, &p.merchant_city)?;
    if let Some(pc) = &p.postal_code {
        put(&mut out, "", 61, pc)?;
    }
    if let Some(a) = &p.additional_data {
        let named = [
            (1, &a.bill_number),
            (2, &a.mobile_number),
            (3, &a.store_label),
            (4, &a.loyalty_number),
            (5, &a.reference_label),
            (6, &a.customer_label),
            (7, &a.terminal_label),
            (8, &a.purpose_of_transaction),
            (9, &a.consumer_data_request),
            (10, &a.merchant_tax_id),
            (11, &a.merchant_channel),
        ];
        let mut fields: Vec<QrField> = named
            .iter()
            .filter_map(|(id, v)| {
                v.as_ref().map(|v| QrField {
                    id: *id,
                    value: v.clone(),
                })
            })
            .collect();
        fields.extend(a.other.iter().cloned());
        put_template(&mut out, 62, &fields)?;
    }
    if let Some(l) = &p.language {
        let mut fields = vec![
            QrField {
                id: 0,
                value: l.language_preference.clone(),
            },
            QrField {
                id: 1,
                value: l.merchant_name.clone(),
            },
        ];
        if let Some(c) = &l.merchant_city {
            fields.push(QrField {
                id: 2,
                value: c.clone(),
            });
        }
        fields.extend(l.other.iter().cloned());
        put_template(&mut out, 64, &fields)?;
    }
    for f in &p.rfu {
        put(&mut out, "", f.id, &f.value)?;
    }
    for t in &p.unreserved_templates {
        put_template(&mut out, t.id, &t.fields)?;
    }
    out.push_str("6304");
    let crc = crc16_ccitt_false(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    parse_mpm(&out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMVCO: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

    #[test]
    fn emvco_example() {
        assert_eq!(EMVCO.chars().count(), 248);
        assert_eq!(EMVCO.len(), 260);
        let p = parse_mpm(EMVCO).unwrap();
        assert_eq!(p.point_of_initiation, Some(PointOfInitiation::Dynamic));
        assert_eq!(p.merchant_accounts.len(), 2);
        let MerchantAccount::Template(t29) = &p.merchant_accounts[0] else {
            panic!()
        };
        assert_eq!(t29.id, 29);
        assert_eq!(t29.guid(), Some("D15600000000"));
        assert_eq!(
            t29.fields[1],
            QrField {
                id: 5,
                value: "A93FO3230Q".into()
            }
        );
        let MerchantAccount::Template(t31) = &p.merchant_accounts[1] else {
            panic!()
        };
        assert_eq!(
            t31.fields[1],
            QrField {
                id: 3,
                value: "12345678".into()
            }
        );
        assert_eq!(p.merchant_category_code, "4111");
        assert_eq!(p.country_code, "CN");
        assert_eq!(p.merchant_name, "BEST TRANSPORT");
        assert_eq!(p.merchant_city, "BEIJING");
        let l = p.language.as_ref().unwrap();
        assert_eq!(
            (
                l.language_preference.as_str(),
                l.merchant_name.as_str(),
                l.merchant_city.as_deref()
            ),
            ("ZH", "最佳运输", Some("北京"))
        );
        assert_eq!(p.transaction_amount.as_deref(), Some("23.72"));
        assert_eq!(p.transaction_currency, "156");
        assert_eq!(p.tip_or_convenience, Some(TipOrConvenience::PromptForTip));
        let a = p.additional_data.as_ref().unwrap();
        assert_eq!(a.store_label.as_deref(), Some("1234"));
        assert_eq!(a.customer_label.as_deref(), Some("***"));
        assert_eq!(a.terminal_label.as_deref(), Some("A6008667"));
        assert_eq!(a.consumer_data_request.as_deref(), Some("ME"));
        assert_eq!(p.unreserved_templates[0].id, 91);
        assert_eq!(p.unreserved_templates[0].guid(), Some("A011223344998877"));
        assert_eq!(
            p.unreserved_templates[0].fields[1],
            QrField {
                id: 7,
                value: "12345678".into()
            }
        );
    }

    #[test]
    fn crc_errors() {
        let bad = EMVCO.replace("6304A13A", "6304A13B");
        let e = parse_mpm(&bad).unwrap_err();
        assert_eq!(
            e.kind,
            QrErrorKind::CrcMismatch {
                expected: "A13A".into(),
                actual: "A13B".into()
            }
        );
        assert_eq!(e.offset, 244);
        assert_eq!(e.path, "63");
        let lower = EMVCO.replace("6304A13A", "6304a13a");
        assert!(parse_mpm(&lower).is_ok());
        // Ends with "6304" and no value.
        let e = parse_mpm(&EMVCO[..EMVCO.len() - 4]).unwrap_err();
        assert_eq!((e.offset, e.kind), (244, QrErrorKind::Truncated));
        // "6304XXXX".
        let e = parse_mpm(&EMVCO.replace("6304A13A", "6304XXXX")).unwrap_err();
        assert!(matches!(e.kind, QrErrorKind::CrcMismatch { .. }));
    }

    #[test]
    fn rebuild_matches_example_semantics() {
        let p = parse_mpm(EMVCO).unwrap();
        let built = build_mpm(&p).unwrap();
        assert_eq!(parse_mpm(&built).unwrap(), p);
    }
}
