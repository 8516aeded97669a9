//! A CSV reader for [`TxnRecord`]s (used by the inspector's `settle` command and the fuzzer).
//!
//! ## Format
//! UTF-8 text, one record per line (`\n` or `\r\n`), comma-separated, RFC 4180 quoting
//! (`"a,b"`, `""` for a quote; no line breaks inside fields). Empty lines and lines starting
//! with `#` are ignored. The first other line is the header; columns are matched by name, in
//! any order:
//!
//! | column | required | content |
//! |---|---|---|
//! | `id` | yes | unique record id |
//! | `merchant_id` | yes | merchant id |
//! | `kind` | yes | `sale`, `refund`, `adjustment` or `d0_advance` |
//! | `amount` | yes | major units, at most the currency's decimals (`100.00`); only adjustments may be negative |
//! | `currency` | yes | ISO 4217 alphabetic code |
//! | `time` | yes | RFC 3339 with a UTC offset (`2026-02-13T23:30:00+08:00`) |
//! | `card` | sales/refunds | `debit`, `credit`, `quasi_credit`, `prepaid` |
//! | `channel` | sales/refunds | `swipe`, `chip`, `contactless`, `qr`, `small_amount_no_pin` |
//! | `original_id` | no | for refunds: the sale refunded |
//! | `original_amount` | no | for refunds of a sale outside the file: its amount |
//! | `refunded_before` | no | for such refunds: earlier refunds against the sale |
//!
//! Errors give the 1-based line and column (field number) and the column name.

use super::dates::parse_event_time;
use super::run::{RecordKind, TxnRecord};
use crate::fees::{CardType, Channel};
use crate::money::{Currency, Money};
use std::borrow::Cow;

/// Longest accepted line, bytes.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Why the CSV could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column} ({field}): {reason}")]
pub struct CsvError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based field number (0 for the whole line).
    pub column: usize,
    /// Column name (or "line").
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

const COLUMNS: [&str; 11] = [
    "id",
    "merchant_id",
    "kind",
    "amount",
    "currency",
    "time",
    "card",
    "channel",
    "original_id",
    "original_amount",
    "refunded_before",
];
const REQUIRED: usize = 6;

/// Splits one line into `fields`, honouring quotes; returns the byte offset of a bad quote.
/// Fields borrow from the line: only a quoted field with a doubled quote (`""`) is copied,
/// so a million-line file costs no allocation per field. `fields` is reused across lines.
fn split_into<'a>(line: &'a str, fields: &mut Vec<Cow<'a, str>>) -> Result<(), usize> {
    fields.clear();
    let b = line.as_bytes();
    // `"` and `,` are ASCII, so every offset found below is a character boundary.
    let mut i = 0;
    loop {
        if b.get(i) == Some(&b'"') {
            let start = i + 1;
            let mut copied: Option<String> = None;
            let mut segment = start;
            loop {
                let Some(k) = b[segment..].iter().position(|&c| c == b'"') else {
                    return Err(line.len());
                };
                let quote = segment + k;
                if b.get(quote + 1) == Some(&b'"') {
                    // `""` is one quote: keep the text up to and including the first.
                    copied
                        .get_or_insert_with(String::new)
                        .push_str(&line[segment..=quote]);
                    segment = quote + 2;
                    continue;
                }
                fields.push(match copied {
                    Some(mut text) => {
                        text.push_str(&line[segment..quote]);
                        Cow::Owned(text)
                    }
                    None => Cow::Borrowed(&line[start..quote]),
                });
                match b.get(quote + 1) {
                    None => return Ok(()),
                    Some(b',') => {
                        i = quote + 2;
                        break;
                    }
                    Some(_) => return Err(quote + 1),
                }
            }
        } else {
            match find_comma_or_quote(b, i) {
                None => {
                    fields.push(Cow::Borrowed(&line[i..]));
                    return Ok(());
                }
                Some(k) if b[k] == b'"' => return Err(k),
                Some(k) => {
                    fields.push(Cow::Borrowed(&line[i..k]));
                    i = k + 1;
                }
            }
        }
    }
}

/// The position of the first `,` or `"` at or after `from`, eight bytes at a time (a byte
/// loop's unpredictable exit branch was most of the time of reading a file).
fn find_comma_or_quote(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `w` equal to `byte`. Bytes above a match may be flagged
    // falsely (borrow), never below one, so the lowest flag is always a real match.
    let equal = |w: u64, byte: u8| {
        let x = w ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let rest = b.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let hits = equal(w, b',') | equal(w, b'"');
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b',' || c == b'"')
        .map(|k| at + k)
}

/// `str::trim` without its Unicode scan when both ends are plain ASCII (the usual case).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(f), Some(l))
            if f.is_ascii()
                && !f.is_ascii_whitespace()
                && l.is_ascii()
                && !l.is_ascii_whitespace() =>
        {
            s
        }
        _ => s.trim(),
    }
}

/// A field without its surrounding spaces, still borrowing from the text when it can.
fn trimmed<'a>(field: &Cow<'a, str>) -> Cow<'a, str> {
    match field {
        Cow::Borrowed(s) => Cow::Borrowed(trim(s)),
        Cow::Owned(s) => Cow::Owned(trim(s).to_owned()),
    }
}

/// Reads records from CSV text; at most `max_records` records (an error beyond).
pub fn read_records(text: &str, max_records: usize) -> Result<Vec<TxnRecord>, CsvError> {
    read_with(text, max_records, Cow::into_owned)
}

/// [`read_records`] without copying ids: the records borrow them from `text` (only a quoted
/// id with a doubled quote is copied). [`settle`](super::settle) takes either kind; a
/// binding that settles a file in one call saves two allocations per record this way.
pub fn read_records_borrowed(
    text: &str,
    max_records: usize,
) -> Result<Vec<TxnRecord<Cow<'_, str>>>, CsvError> {
    read_with(text, max_records, |s| s)
}

fn read_with<'a, S>(
    text: &'a str,
    max_records: usize,
    make: impl Fn(Cow<'a, str>) -> S,
) -> Result<Vec<TxnRecord<S>>, CsvError> {
    let mut columns: Option<[Option<usize>; 11]> = None;
    let mut width = 0;
    // One record per line at most: size the output once (bounded by `max_records`) instead of
    // regrowing and copying a vector of a million records.
    let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut out = Vec::with_capacity(lines.min(max_records));
    let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(COLUMNS.len());
    // Files carry one currency: look the code up once, not once per line.
    let mut last_currency: Option<(String, Currency)> = None;
    for (n, raw) in text.split('\n').enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let err = |column: usize, field: &str, reason: String| CsvError {
            line: line_no,
            column,
            field: field.to_owned(),
            reason,
        };
        if line.len() > MAX_LINE_BYTES {
            return Err(err(
                0,
                "line",
                format!("longer than {MAX_LINE_BYTES} bytes"),
            ));
        }
        if trim(line).is_empty() || line.starts_with('#') {
            continue;
        }
        split_into(line, &mut fields)
            .map_err(|offset| err(0, "line", format!("bad quoting at byte offset {offset}")))?;
        let Some(cols) = &columns else {
            let mut map = [None; 11];
            for (i, name) in fields.iter().enumerate() {
                let name = name.trim();
                let k = COLUMNS
                    .iter()
                    .position(|c| *c == name)
                    .ok_or_else(|| err(i + 1, name, "unknown column".into()))?;
                if map[k].is_some() {
                    return Err(err(i + 1, name, "duplicate column".into()));
                }
                map[k] = Some(i);
            }
            if let Some(missing) = (0..REQUIRED).find(|k| map[*k].is_none()) {
                return Err(err(
                    0,
                    COLUMNS[missing],
                    "required column missing from the header".into(),
                ));
            }
            width = fields.len();
            columns = Some(map);
            continue;
        };
        if fields.len() != width {
            return Err(err(
                0,
                "line",
                format!("{} fields, the header has {width}", fields.len()),
            ));
        }
        if out.len() >= max_records {
            return Err(err(0, "line", format!("more than {max_records} records")));
        }
        let get = |k: usize| -> Option<(usize, &str)> {
            cols[k]
                .map(|i| (i + 1, trim(&fields[i])))
                .filter(|(_, v)| !v.is_empty())
        };
        let need = |k: usize| {
            get(k).ok_or_else(|| err(cols[k].map_or(0, |i| i + 1), COLUMNS[k], "empty".into()))
        };
        need(0)?;
        need(1)?;
        let (kc, kind) = need(2)?;
        let kind = match kind {
            "sale" => RecordKind::Sale,
            "refund" => RecordKind::Refund,
            "adjustment" => RecordKind::Adjustment,
            "d0_advance" => RecordKind::D0Advance,
            other => {
                return Err(err(kc, "kind", format!("unknown kind {other:?}")));
            }
        };
        let (cc, cur) = need(4)?;
        let currency = match &last_currency {
            Some((code, currency)) if code == cur => *currency,
            _ => {
                let c =
                    Currency::from_alpha(cur).map_err(|e| err(cc, "currency", e.to_string()))?;
                last_currency = Some((cur.to_owned(), c));
                c
            }
        };
        let amount = |k: usize| -> Result<Option<i64>, CsvError> {
            get(k)
                .map(|(c, v)| {
                    Money::parse(v, currency)
                        .map(|m| m.minor())
                        .map_err(|e| err(c, COLUMNS[k], e.to_string()))
                })
                .transpose()
        };
        let (ac, _) = need(3)?;
        let amount_minor = amount(3)?.unwrap_or(0);
        if amount_minor < 0 && kind != RecordKind::Adjustment {
            return Err(err(ac, "amount", "negative amount".into()));
        }
        let (tc, time) = need(5)?;
        let at = parse_event_time(time).map_err(|e| err(tc, "time", e.to_string()))?;
        let card = get(6)
            .map(|(c, v)| {
                v.parse::<CardType>()
                    .map_err(|e| err(c, "card", e.to_string()))
            })
            .transpose()?;
        let channel = get(7)
            .map(|(c, v)| {
                v.parse::<Channel>()
                    .map_err(|e| err(c, "channel", e.to_string()))
            })
            .transpose()?;
        if matches!(kind, RecordKind::Sale | RecordKind::Refund) {
            if card.is_none() {
                return Err(err(
                    cols[6].map_or(0, |i| i + 1),
                    "card",
                    "required for sales and refunds".into(),
                ));
            }
            if channel.is_none() {
                return Err(err(
                    cols[7].map_or(0, |i| i + 1),
                    "channel",
                    "required for sales and refunds".into(),
                ));
            }
        }
        let original_amount_minor = amount(9)?;
        let refunded_before_minor = amount(10)?;
        for (k, v) in [(9, original_amount_minor), (10, refunded_before_minor)] {
            if v.is_some_and(|v| v < 0) {
                return Err(err(
                    cols[k].map_or(0, |i| i + 1),
                    COLUMNS[k],
                    "negative amount".into(),
                ));
            }
        }
        let text_of = |k: usize| cols[k].map(|i| trimmed(&fields[i])).unwrap_or_default();
        out.push(TxnRecord {
            id: make(text_of(0)),
            merchant_id: make(text_of(1)),
            kind,
            amount_minor,
            currency,
            at,
            card,
            channel,
            original_id: get(8).map(|_| make(text_of(8))),
            original_amount_minor,
            refunded_before_minor,
        });
    }
    if columns.is_none() {
        return Err(CsvError {
            line: 1,
            column: 0,
            field: "header".into(),
            reason: "no header line".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The character-by-character splitter `split_into` replaced, kept as the reference its
    /// fields and error offsets must agree with.
    fn reference_split(line: &str) -> Result<Vec<String>, usize> {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.char_indices().peekable();
        let mut quoted = false;
        let mut at_start = true;
        while let Some((i, c)) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek().is_some_and(|(_, n)| *n == '"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                        if chars.peek().is_some_and(|(_, n)| *n != ',') {
                            return Err(i + 1);
                        }
                    }
                } else {
                    field.push(c);
                }
            } else if c == '"' && at_start {
                quoted = true;
                at_start = false;
            } else if c == '"' {
                return Err(i);
            } else if c == ',' {
                fields.push(std::mem::take(&mut field));
                at_start = true;
            } else {
                field.push(c);
                at_start = false;
            }
        }
        if quoted {
            return Err(line.len());
        }
        fields.push(field);
        Ok(fields)
    }

    fn split(line: &str) -> Result<Vec<String>, usize> {
        let mut fields = Vec::new();
        split_into(line, &mut fields)?;
        Ok(fields.into_iter().map(Cow::into_owned).collect())
    }

    #[test]
    fn splits_quoted_fields_without_copying_plain_ones() {
        assert_eq!(split("a,,b,").unwrap(), ["a", "", "b", ""]);
        assert_eq!(
            split("\"a,b\",\"x\"\"y\",\"\"").unwrap(),
            ["a,b", "x\"y", ""]
        );
        assert_eq!(split("\"\"\"\"").unwrap(), ["\""]);
        assert_eq!(split("a\"b"), Err(1));
        assert_eq!(split("\"ab\"c,d"), Err(4));
        assert_eq!(split("x,\"ab"), Err(5));
        let mut fields = Vec::new();
        split_into("id,\"M,1\",\"q\"\"\"", &mut fields).unwrap();
        assert!(matches!(fields[0], Cow::Borrowed("id")));
        assert!(matches!(fields[1], Cow::Borrowed("M,1")));
        assert!(matches!(&fields[2], Cow::Owned(s) if s == "q\""));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn split_agrees_with_the_reference(line in "[a,\" é\t]{0,24}") {
            prop_assert_eq!(split(&line), reference_split(&line));
        }

        #[test]
        fn finds_the_first_comma_or_quote(line in "[a,\" é]{0,40}", from in 0usize..44) {
            let expected = line
                .as_bytes()
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, c)| **c == b',' || **c == b'"')
                .map(|(i, _)| i);
            prop_assert_eq!(find_comma_or_quote(line.as_bytes(), from), expected);
        }

        #[test]
        fn trim_agrees_with_str_trim(s in "[ a\u{3000}\té]{0,6}") {
            prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn reads_and_reports_positions() {
        let text = "# comment\nid,merchant_id,kind,amount,currency,time,card,channel\n\
                    a,\"M,1\",sale,100.00,CNY,2026-02-13T10:00:00+08:00,debit,chip\r\n";
        let r = read_records(text, 10).unwrap();
        assert_eq!(r[0].merchant_id, "M,1");
        assert_eq!(r[0].amount_minor, 10_000);
        let bad = "id,merchant_id,kind,amount,currency,time,card,channel\n\
                   a,M,sale,1.001,CNY,2026-02-13T10:00:00+08:00,debit,chip\n";
        let e = read_records(bad, 10).unwrap_err();
        assert_eq!((e.line, e.column, e.field.as_str()), (2, 4, "amount"));
        let naive = "id,merchant_id,kind,amount,currency,time,card,channel\n\
                     a,M,sale,1.00,CNY,2026-02-13T10:00:00,debit,chip\n";
        let e = read_records(naive, 10).unwrap_err();
        assert_eq!((e.column, e.field.as_str()), (6, "time"));
        assert!(e.reason.contains("no UTC offset"));
        let e = read_records("id,merchant_id,kind,amount,currency,time,card,channel\na,M,sale,1.00,CNY,2026-02-13T10:00:00Z,gold,chip\n", 10).unwrap_err();
        assert_eq!(e.field, "card");
        assert!(read_records("id,merchant_id\n", 10).is_err());
        assert!(read_records("", 10).is_err());
        let two = "id,merchant_id,kind,amount,currency,time,card,channel\na,M,sale,1,CNY,2026-02-13T10:00:00Z,debit,chip\nb,M,sale,1,CNY,2026-02-13T10:00:00Z,debit,chip\n";
        assert!(read_records(two, 1).is_err());
        assert!(read_records("id,merchant_id,kind,amount,currency,time\n\"a\"x,M,sale,1,CNY,2026-02-13T10:00:00Z\n", 10).is_err());
    }
}
