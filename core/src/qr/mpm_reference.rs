//! The straightforward MPM parser that [`super::mpm`] replaced (per-value character walks,
//! objects and template fields collected before use), kept as a test oracle: the optimised
//! scan must accept, reject and report exactly as this one does.

use super::mpm::{
    AccountTemplate, AdditionalData, MerchantAccount, MerchantLanguage, MerchantPayload,
    PointOfInitiation, QrField, TipOrConvenience,
};
use super::{QrError, QrErrorKind, crc16_ccitt_false};

const MAX_PAYLOAD_CHARS: usize = 10_400;

/// The reference parse (owned).
pub(crate) fn parse_mpm(payload: &str) -> Result<MerchantPayload, QrError> {
    parse_mpm_as(payload)
}

/// A raw object found while scanning. Kept to four words: a payload's objects are collected
/// in a `Vec`, and a small one stays in the allocator's fast size classes.
#[derive(Debug, Clone, Copy)]
struct RawObject<'a> {
    value: &'a str,
    /// Character offset of the ID.
    offset: usize,
    id: u8,
}

impl RawObject<'_> {
    const EMPTY: RawObject<'static> = RawObject {
        value: "",
        offset: 0,
        id: 0,
    };

    /// Character offset of the value (after the 2-digit ID and the 2-digit length).
    fn value_offset(&self) -> usize {
        self.offset + 4
    }
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn two_digits(b: &[u8]) -> Option<u8> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some((a - b'0') * 10 + (c - b'0')),
        _ => None,
    }
}

/// Scans `text` as ID/LEN/VALUE objects. `base` is the character offset of `text` in the
/// payload; `parent` the template's ID for error paths (the path is only formatted on error).
fn scan<'a>(
    text: &'a str,
    base: usize,
    parent: Option<u8>,
    mut push: impl FnMut(RawObject<'a>),
) -> Result<(), QrError> {
    let bytes = text.as_bytes();
    let join = |id: Option<u8>| match (parent, id) {
        (None, None) => String::new(),
        (Some(p), None) => format!("{p:02}"),
        (None, Some(id)) => format!("{id:02}"),
        (Some(p), Some(id)) => format!("{p:02}/{id:02}"),
    };
    let (mut pos, mut chars) = (0usize, base);
    while pos < bytes.len() {
        let offset = chars;
        let Some(id_bytes) = bytes.get(pos..pos + 2) else {
            return Err(QrError::new(offset, join(None), QrErrorKind::Truncated));
        };
        let Some(id) = two_digits(id_bytes) else {
            return Err(QrError::new(offset, join(None), QrErrorKind::BadId));
        };
        let Some(len_bytes) = bytes.get(pos + 2..pos + 4) else {
            return Err(QrError::new(
                offset + 2,
                join(Some(id)),
                QrErrorKind::Truncated,
            ));
        };
        let len = match two_digits(len_bytes) {
            Some(l) if l > 0 => l as usize,
            _ => {
                return Err(QrError::new(
                    offset + 2,
                    join(Some(id)),
                    QrErrorKind::BadLengthDigits,
                ));
            }
        };
        let start = pos + 4;
        // Lengths count characters; an all-ASCII value (the usual case) has as many bytes.
        if let Some(value) = bytes.get(start..start + len)
            && value.is_ascii()
        {
            push(RawObject {
                id,
                value: &text[start..start + len],
                offset,
            });
            pos = start + len;
            chars = offset + 4 + len;
            continue;
        }
        let mut end = start;
        for _ in 0..len {
            let Some(&b) = bytes.get(end) else {
                return Err(QrError::new(
                    offset + 4,
                    join(Some(id)),
                    QrErrorKind::Truncated,
                ));
            };
            end += utf8_width(b);
        }
        push(RawObject {
            id,
            value: &text[start..end],
            offset,
        });
        pos = end;
        chars = offset + 4 + len;
    }
    Ok(())
}

/// The top-level objects by ID, once duplicates are ruled out.
struct ById<'o, 'a> {
    objs: &'o [RawObject<'a>],
    /// `index[id]` is the object's position in `objs`, or [`ById::ABSENT`].
    index: [u8; 100],
}

impl<'o, 'a> ById<'o, 'a> {
    const ABSENT: u8 = u8::MAX;

    /// Indexes `objs` by ID, rejecting the first repeated ID.
    fn new(objs: &'o [RawObject<'a>]) -> Result<Self, QrError> {
        let mut index = [Self::ABSENT; 100];
        for (i, o) in objs.iter().enumerate() {
            let slot = &mut index[o.id as usize];
            if *slot != Self::ABSENT {
                return Err(QrError::new(
                    o.offset,
                    format!("{:02}", o.id),
                    QrErrorKind::Duplicate,
                ));
            }
            // At most 100 distinct IDs, so the position fits.
            *slot = i as u8;
        }
        Ok(ById { objs, index })
    }

    fn get(&self, id: u8) -> Option<&'o RawObject<'a>> {
        match self.index[id as usize] {
            Self::ABSENT => None,
            i => self.objs.get(i as usize),
        }
    }
}

/// Scans a template value straight into fields, rejecting duplicate sub-IDs.
fn fields_of<'a, S: From<&'a str>>(
    value: &'a str,
    base: usize,
    parent: Option<u8>,
) -> Result<Vec<QrField<S>>, QrError> {
    let mut out = Vec::with_capacity(4);
    each_field(value, base, parent, |o| {
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
    mut visit: impl FnMut(RawObject<'a>),
) -> Result<(), QrError> {
    let mut seen = [false; 100];
    let mut duplicate = None;
    scan(value, base, parent, |o| {
        if std::mem::replace(&mut seen[o.id as usize], true) {
            duplicate.get_or_insert((o.offset, o.id));
        }
        visit(o);
    })?;
    if let Some((offset, id)) = duplicate {
        let path = match parent {
            None => format!("{id:02}"),
            Some(p) => format!("{p:02}/{id:02}"),
        };
        return Err(QrError::new(offset, path, QrErrorKind::Duplicate));
    }
    Ok(())
}

fn template_fields<'a, S: From<&'a str>>(o: &RawObject<'a>) -> Result<Vec<QrField<S>>, QrError> {
    fields_of(o.value, o.value_offset(), Some(o.id))
}

/// Visits the sub-objects of template `o`.
fn each_template_field<'a>(
    o: &RawObject<'a>,
    visit: impl FnMut(RawObject<'a>),
) -> Result<(), QrError> {
    each_field(o.value, o.value_offset(), Some(o.id), visit)
}

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
    if o.value.chars().count() > max {
        return Err(bad(o, format!("longer than {max} characters")));
    }
    Ok(S::from(o.value))
}

/// Amount text: digits with at most one `.`; at least one digit; ≤ 13 characters.
fn check_amount<'a, S: From<&'a str>>(o: &RawObject<'a>, max: usize) -> Result<S, QrError> {
    let v = o.value;
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let dots = v.bytes().filter(|&b| b == b'.').count();
    if v.len() > max || digits == 0 || dots > 1 || digits + dots != v.len() {
        return Err(bad(
            o,
            format!("{v:?} is not an amount (digits and one '.' at most, ≤ {max} characters)"),
        ));
    }
    Ok(S::from(v))
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
    // A valid payload has at most 100 top-level objects (distinct IDs) and usually ~20: they
    // are collected on the stack, and only a longer (hence duplicated) list spills to the heap.
    let mut inline = [RawObject::EMPTY; 32];
    let mut count = 0;
    let mut spill = Vec::new();
    scan(payload, 0, None, |o| {
        if let Some(slot) = inline.get_mut(count) {
            *slot = o;
        } else {
            if spill.is_empty() {
                spill.extend_from_slice(&inline);
            }
            spill.push(o);
        }
        count += 1;
    })?;
    let objs: &[RawObject<'_>] = if spill.is_empty() {
        &inline[..count]
    } else {
        &spill
    };
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
    let crc_at = objs.iter().position(|o| o.id == 63);
    let last = objs.len() - 1;
    match crc_at {
        None => {
            return Err(QrError::new(
                payload.chars().count(),
                "63",
                QrErrorKind::MissingMandatory("63".into()),
            ));
        }
        Some(i) if i != last => {
            let next = &objs[i + 1];
            return Err(QrError::new(
                next.offset,
                format!("{:02}", next.id),
                QrErrorKind::CrcPosition,
            ));
        }
        Some(i) if objs[i].value.len() != 4 => {
            return Err(QrError::new(objs[i].offset, "63", QrErrorKind::CrcPosition));
        }
        Some(_) => {}
    }
    let crc_obj = &objs[last];
    // The CRC object is last, so its value is the payload's last bytes.
    let computed = crc16_ccitt_false(&payload.as_bytes()[..payload.len() - crc_obj.value.len()]);
    let written = crc_obj
        .value
        .bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then(|| u16::from_str_radix(crc_obj.value, 16).ok())
        .flatten();
    if written != Some(computed) {
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
    let by_id = ById::new(objs)?;
    // The CRC is last, so the payload ends 4 characters after its value starts.
    interpret(&by_id, crc_obj.value_offset() + 4)
}

fn interpret<'a, S: From<&'a str> + AsRef<str>>(
    by_id: &ById<'_, 'a>,
    total_chars: usize,
) -> Result<MerchantPayload<S>, QrError> {
    let objs = by_id.objs;
    let find = |id: u8| by_id.get(id);
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
    let mut merchant_accounts = Vec::new();
    let mut rfu = Vec::new();
    let mut unreserved_templates = Vec::new();
    for o in objs {
        match o.id {
            2..=25 => {
                let v = o.value;
                if (o.id == 15 || o.id == 16) && v.chars().count() == 31 && v.is_ascii() {
                    merchant_accounts.push(MerchantAccount::UnionPay {
                        id: o.id,
                        acquirer_iin: S::from(&v[..8]),
                        forwarding_iin: S::from(&v[8..16]),
                        merchant_id: S::from(&v[16..]),
                    });
                } else {
                    merchant_accounts.push(MerchantAccount::Primitive {
                        id: o.id,
                        value: S::from(v),
                    });
                }
            }
            26..=51 => merchant_accounts.push(MerchantAccount::Template(AccountTemplate {
                id: o.id,
                fields: template_fields(o)?,
            })),
            65..=79 => rfu.push(QrField {
                id: o.id,
                value: S::from(o.value),
            }),
            80..=99 => unreserved_templates.push(AccountTemplate {
                id: o.id,
                fields: template_fields(o)?,
            }),
            _ => {}
        }
    }
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
    let additional_data = find(62).map(|o| additional_data(o)).transpose()?;
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
        additional_data,
        language,
        rfu,
        unreserved_templates,
    })
}

fn additional_data<'a, S: From<&'a str> + AsRef<str>>(
    o: &RawObject<'a>,
) -> Result<AdditionalData<S>, QrError> {
    let mut a = AdditionalData::default();
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
        && !r.as_ref().chars().all(|c| matches!(c, 'A' | 'M' | 'E'))
    {
        return Err(QrError::new(
            o.value_offset(),
            "62/09",
            QrErrorKind::BadValue("consumer data request takes only A, M, E".into()),
        ));
    }
    Ok(a)
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

/// The optimised parse against the reference on mutations of valid payloads: characters
/// replaced, inserted or deleted, truncation, with the CRC left broken or recomputed (so
/// that the later checks are reached too).
mod differential {
    use proptest::prelude::*;

    use super::parse_mpm as reference;
    use crate::qr::{crc16_ccitt_false, parse_mpm, parse_mpm_borrowed};

    const EMVCO: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

    fn obj(id: u8, value: &str) -> String {
        format!("{id:02}{:02}{value}", value.chars().count())
    }

    fn with_crc(body: &str) -> String {
        let s = format!("{body}6304");
        let crc = crc16_ccitt_false(s.as_bytes());
        format!("{s}{crc:04X}")
    }

    fn seeds() -> Vec<String> {
        let static_unionpay = [
            obj(0, "01"),
            obj(1, "11"),
            obj(15, "1234567887654321123456789012345"),
            obj(26, &(obj(0, "com.example") + &obj(1, "ACC-1"))),
            obj(52, "5812"),
            obj(53, "156"),
            obj(54, "100.5"),
            obj(55, "02"),
            obj(56, "1.00"),
            obj(58, "CN"),
            obj(59, "面馆 Noodle"),
            obj(60, "上海"),
            obj(61, "200000"),
            obj(
                62,
                &[
                    obj(1, "B1"),
                    obj(2, "13800000000"),
                    obj(5, "REF"),
                    obj(9, "AME"),
                    obj(10, "TAX"),
                    obj(11, "CH"),
                    obj(50, "x"),
                ]
                .concat(),
            ),
            obj(
                64,
                &[obj(0, "ZH"), obj(1, "面馆"), obj(2, "上海"), obj(3, "x")].concat(),
            ),
            obj(65, "R"),
            obj(80, &(obj(0, "com.x") + &obj(1, "é𝄞"))),
        ]
        .concat();
        let percentage = [
            obj(0, "01"),
            obj(1, "12"),
            obj(2, "4111111111111111"),
            obj(52, "0000"),
            obj(53, "840"),
            obj(55, "03"),
            obj(57, "3.5"),
            obj(58, "US"),
            obj(59, "X"),
            obj(60, "Y"),
        ]
        .concat();
        let templates = [
            obj(0, "01"),
            obj(16, "12345678"),
            obj(51, &(obj(0, "cn.银联") + &obj(7, "最佳"))),
            obj(52, "5999"),
            obj(53, "156"),
            obj(55, "01"),
            obj(58, "CN"),
            obj(59, "Shop"),
            obj(60, "City"),
            obj(99, &(obj(0, "A000000333") + &obj(98, "end"))),
        ]
        .concat();
        vec![
            EMVCO.to_string(),
            with_crc(&static_unionpay),
            with_crc(&percentage),
            with_crc(&templates),
        ]
    }

    fn agree(s: &str) -> Result<(), TestCaseError> {
        let want = reference(s);
        prop_assert_eq!(&parse_mpm(s), &want, "{}", s);
        match (&want, parse_mpm_borrowed(s)) {
            (Ok(w), Ok(b)) => prop_assert_eq!(format!("{w:?}"), format!("{b:?}")),
            (Err(w), Err(b)) => prop_assert_eq!(w, &b),
            (w, b) => prop_assert!(false, "{s}: reference {w:?}, borrowed {b:?}"),
        }
        Ok(())
    }

    #[test]
    fn seeds_are_valid() {
        for s in seeds() {
            assert!(parse_mpm(&s).is_ok(), "{s}: {:?}", parse_mpm(&s));
            assert!(agree(&s).is_ok());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn mutated_payloads_parse_as_the_reference(
            seed in 0usize..4,
            edits in prop::collection::vec(
                (any::<usize>(), 0u8..4, prop::sample::select(vec!['0', '1', '2', '3', '5', '6', '9', 'A', '.', '最', 'é', '𝄞'])),
                1..4,
            ),
        ) {
            let mut chars: Vec<char> = seeds()[seed].chars().collect();
            for (at, kind, c) in edits {
                let i = at % (chars.len() + 1);
                match kind {
                    0 if i < chars.len() => chars[i] = c,
                    1 => chars.insert(i, c),
                    2 if i < chars.len() => {
                        chars.remove(i);
                    }
                    3 => chars.truncate(i),
                    _ => {}
                }
            }
            let s: String = chars.iter().collect();
            agree(&s)?;
            // The same change under a valid CRC reaches the value checks.
            if chars.len() >= 8 {
                let body: String = chars[..chars.len() - 8].iter().collect();
                agree(&with_crc(&body))?;
            }
        }

        #[test]
        fn arbitrary_text_parses_as_the_reference(s in "[0-9A-Z最é.]{0,120}") {
            agree(&s)?;
            agree(&with_crc(&s))?;
        }
    }
}
