//! The settlement run: a pure function from transaction records (plus the carried state of
//! earlier runs) to one batch per merchant × currency × payout day, each with a statement.
//!
//! For every batch:
//!
//! ```text
//! net = captured − refunds − fees + refunded fees − adjustments − reserve withheld
//!       + reserve released − D0 advances paid − periodic fees + carried in
//! ```
//!
//! The statement has one signed line per item and its lines sum to `net`. A net below the
//! minimum payout (or negative) is not paid but carried forward into the merchant's next
//! batch. Records are processed in a canonical order (merchant, instant, id), so the result
//! does not depend on the order of the input; batch ids are derived from the batch key.

use super::dates::{SettlementCycle, SettlementDateError};
use super::terms::{CompiledTerms, Reserve, apply_rate_down};
use crate::calendar::Calendar;
use crate::fees::{CardType, Channel, FeeError, PricingEngine, PricingInput, refund_fee_returned};
use crate::money::Currency;
use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What a record does to the merchant's money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A captured sale or pre-authorisation completion: credited, fee charged.
    Sale,
    /// A refund (退货) of an earlier sale: debited; fee returned per the refund policy.
    Refund,
    /// A chargeback or manual adjustment: a positive amount is debited, a negative credited.
    Adjustment,
    /// A D0/T0 advance already paid out (gross, fee included): debited.
    D0Advance,
}

/// One transaction record, as the acquirer's books or the network's clearing file give it.
///
/// `S` is the type of the ids: owned `String`s (the default), or text borrowed from a file
/// (`Cow<str>`, see [`read_records_borrowed`](super::csv::read_records_borrowed)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnRecord<S = String> {
    /// Unique id (e.g. RRN + date); duplicates are rejected.
    pub id: S,
    /// Merchant id.
    pub merchant_id: S,
    /// Kind.
    pub kind: RecordKind,
    /// Amount in minor units (≥ 0, except adjustments).
    pub amount_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Event time (zoned).
    pub at: DateTime<FixedOffset>,
    /// Card type (required for sales and refunds).
    pub card: Option<CardType>,
    /// Channel (required for sales and refunds).
    pub channel: Option<Channel>,
    /// For refunds: the sale refunded.
    pub original_id: Option<S>,
    /// For refunds whose sale is not in the run: the sale's amount.
    pub original_amount_minor: Option<i64>,
    /// For refunds whose sale is not in the run: refunds already made against it.
    pub refunded_before_minor: Option<i64>,
}

/// The kind of a statement line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A sale (+).
    Sale,
    /// The fee of a sale (−).
    Fee,
    /// A refund (−).
    Refund,
    /// Fee returned with a refund (+).
    RefundedFee,
    /// An adjustment (− or +).
    Adjustment,
    /// A D0 advance already paid (−).
    D0Advance,
    /// Reserve withheld (−).
    ReserveWithheld,
    /// Reserve released (+).
    ReserveReleased,
    /// A periodic fee (−).
    PeriodicFee,
    /// Net carried in from the previous batch (±).
    CarriedIn,
}

impl LineKind {
    /// The snake_case name, as in the JSON and on statements (`"refunded_fee"`).
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Sale => "sale",
            LineKind::Fee => "fee",
            LineKind::Refund => "refund",
            LineKind::RefundedFee => "refunded_fee",
            LineKind::Adjustment => "adjustment",
            LineKind::D0Advance => "d0_advance",
            LineKind::ReserveWithheld => "reserve_withheld",
            LineKind::ReserveReleased => "reserve_released",
            LineKind::PeriodicFee => "periodic_fee",
            LineKind::CarriedIn => "carried_in",
        }
    }
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// Kind.
    pub kind: LineKind,
    /// The record id or a description.
    pub reference: String,
    /// Signed effect on the net, minor units.
    pub amount_minor: i64,
}

/// Totals of a batch (each non-negative except adjustments and carried-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BatchTotals {
    /// Σ sales.
    pub captured_minor: i64,
    /// Σ refunds.
    pub refunds_minor: i64,
    /// Σ fees on sales.
    pub fees_minor: i64,
    /// Σ fees returned on refunds.
    pub refunded_fees_minor: i64,
    /// Σ adjustments (positive = debited).
    pub adjustments_minor: i64,
    /// Reserve withheld.
    pub reserve_withheld_minor: i64,
    /// Reserve released.
    pub reserve_released_minor: i64,
    /// D0 advances already paid.
    pub d0_advances_minor: i64,
    /// Periodic fees.
    pub periodic_fees_minor: i64,
    /// Carried in from the previous batch.
    pub carried_in_minor: i64,
}

/// One payout batch: merchant × currency × payout day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Deterministic id: `<merchant>.<currency>.<YYYYMMDD>`.
    pub batch_id: String,
    /// FNV-1a digest of the batch's record ids (order-independent): detects a re-run with
    /// different content under the same id.
    pub digest: String,
    /// Merchant id.
    pub merchant_id: String,
    /// Currency code.
    pub currency: String,
    /// Payout day.
    pub payout_day: NaiveDate,
    /// The merchant's cycle.
    pub cycle: String,
    /// Calendar version used.
    pub calendar_version: String,
    /// Totals.
    pub totals: BatchTotals,
    /// Net (Σ lines).
    pub net_minor: i64,
    /// Paid out (net if ≥ the minimum payout and positive, else 0).
    pub payout_minor: i64,
    /// Carried into the merchant's next batch (net − payout).
    pub carried_forward_minor: i64,
    /// The statement.
    pub lines: Vec<StatementLine>,
}

/// A rolling-reserve amount waiting for its release day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveHold {
    /// First day it may be released.
    pub release_on: NaiveDate,
    /// Amount.
    pub amount_minor: i64,
}

/// What one merchant × currency carries from run to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantState {
    /// Merchant id.
    pub merchant_id: String,
    /// Currency code.
    pub currency: String,
    /// Net not yet paid (negative or below the minimum).
    pub carried_minor: i64,
    /// Rolling reserve holds.
    pub reserve_holds: Vec<ReserveHold>,
    /// Fixed reserve held so far.
    pub fixed_reserve_minor: i64,
    /// Last due date charged, per periodic fee description.
    pub periodic_charged: BTreeMap<String, NaiveDate>,
    /// Month (first day) of `month_volume_minor`.
    pub volume_month: Option<NaiveDate>,
    /// Month-to-date captured volume (for volume-tiered fees).
    pub month_volume_minor: i64,
}

/// The carried state of all merchants, sorted by merchant and currency.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CarryState {
    /// One entry per merchant × currency.
    pub merchants: Vec<MerchantState>,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementRun {
    /// Batches sorted by merchant, currency and payout day.
    pub batches: Vec<Batch>,
    /// State to pass to the next run.
    pub state: CarryState,
}

/// Why a run failed. Record errors name the record's position in the input and its id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettlementError {
    /// A record is invalid.
    #[error("record {index} ({id:?}): {reason}")]
    InvalidRecord {
        /// 0-based position in the input.
        index: usize,
        /// Record id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// The same id twice.
    #[error("record {index}: id {id:?} already used by record {first}")]
    DuplicateId {
        /// Position of the second occurrence.
        index: usize,
        /// The id.
        id: String,
        /// Position of the first.
        first: usize,
    },
    /// Pricing failed.
    #[error("record {index} ({id:?}): {source}")]
    Fee {
        /// Position.
        index: usize,
        /// Record id.
        id: String,
        /// The fee error.
        source: FeeError,
    },
    /// The payout day could not be computed.
    #[error("record {index} ({id:?}): {source}")]
    Date {
        /// Position.
        index: usize,
        /// Record id.
        id: String,
        /// The date error.
        source: SettlementDateError,
    },
    /// Too many records for one run.
    #[error("{count} records exceed the limit of {limit} per run")]
    TooManyRecords {
        /// Given.
        count: usize,
        /// Limit.
        limit: usize,
    },
    /// An amount overflowed.
    #[error("merchant {merchant:?}: amount overflow")]
    Overflow {
        /// Merchant id.
        merchant: String,
    },
}

/// Most records in one run.
pub const MAX_RECORDS: usize = 50_000_000;

struct Priced {
    payout_day: NaiveDate,
    /// Up to two statement lines; `count` of them are used.
    lines: [(LineKind, i64); 2],
    count: u8,
}

fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// Rejects repeated record ids, reporting the earliest second occurrence. Sorting 64-bit
/// digests (then comparing the strings of equal digests) is deterministic and much faster than
/// a hash set of a million strings.
fn check_unique_ids<S: AsRef<str>>(records: &[TxnRecord<S>]) -> Result<(), SettlementError> {
    let mut digests: Vec<(u64, u32)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            fnv(&mut h, r.id.as_ref().as_bytes());
            (h, i as u32)
        })
        .collect();
    digests.sort_unstable();
    let mut worst: Option<(u32, u32)> = None;
    let mut g = 0;
    while g < digests.len() {
        let mut e = g + 1;
        while e < digests.len() && digests[e].0 == digests[g].0 {
            e += 1;
        }
        if e - g > 1 {
            let mut group: Vec<u32> = digests[g..e].iter().map(|d| d.1).collect();
            group.sort_unstable_by(|a, b| {
                records[*a as usize]
                    .id
                    .as_ref()
                    .cmp(records[*b as usize].id.as_ref())
                    .then(a.cmp(b))
            });
            let mut k = 0;
            while k < group.len() {
                let first = group[k];
                let mut m = k + 1;
                while m < group.len()
                    && records[group[m] as usize].id.as_ref() == records[first as usize].id.as_ref()
                {
                    if worst.is_none_or(|(second, _)| group[m] < second) {
                        worst = Some((group[m], first));
                    }
                    m += 1;
                }
                k = m;
            }
        }
        g = e;
    }
    match worst {
        Some((index, first)) => Err(SettlementError::DuplicateId {
            index: index as usize,
            id: records[index as usize].id.as_ref().to_owned(),
            first: first as usize,
        }),
        None => Ok(()),
    }
}

/// How many records ahead [`touch`] reads while walking records in merchant order.
const LOOK_AHEAD: usize = 16;

/// Reads a record's time and the first byte of its id, so that the cache misses of a record
/// a few steps ahead overlap with the work on the current one. Records are walked in merchant
/// order, which is random in memory: without this the walk waits on one miss at a time.
#[inline]
fn touch<S: AsRef<str>>(r: &TxnRecord<S>) {
    std::hint::black_box((r.at, r.id.as_ref().as_bytes().first().copied()));
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Settles `records`. `state` is the carried state of the previous run (use the default for
/// the first run); the new state is returned with the batches.
/// The result does not depend on whether the records own their ids or borrow them.
pub fn settle<S: AsRef<str>>(
    records: &[TxnRecord<S>],
    engine: &PricingEngine,
    terms: &CompiledTerms,
    calendar: &Calendar,
    state: &CarryState,
) -> Result<SettlementRun, SettlementError> {
    if records.len() > MAX_RECORDS {
        return Err(SettlementError::TooManyRecords {
            count: records.len(),
            limit: MAX_RECORDS,
        });
    }
    let currency = engine.currency();
    let schedule = engine.merchant_schedule();
    check_unique_ids(records)?;
    for (i, r) in records.iter().enumerate() {
        let invalid = |reason: String| SettlementError::InvalidRecord {
            index: i,
            id: r.id.as_ref().to_owned(),
            reason,
        };
        if r.currency != currency {
            return Err(invalid(format!(
                "currency {} is not the pricing currency {}",
                r.currency.alpha(),
                currency.alpha()
            )));
        }
        if r.amount_minor < 0 && r.kind != RecordKind::Adjustment {
            return Err(invalid("negative amount".into()));
        }
        if matches!(r.kind, RecordKind::Sale | RecordKind::Refund)
            && (r.card.is_none() || r.channel.is_none())
        {
            return Err(invalid(
                "sales and refunds need a card type and a channel".into(),
            ));
        }
    }
    // Canonical order: merchant, instant, id. Merchants are ranked once so the sort compares
    // integers; ids are compared only on equal instants.
    let mut first_seen: HashMap<&str, u32> = HashMap::new();
    let mut merchant_of: Vec<u32> = Vec::with_capacity(records.len());
    for r in records {
        let next = first_seen.len() as u32;
        merchant_of.push(*first_seen.entry(r.merchant_id.as_ref()).or_insert(next));
    }
    let mut names: Vec<(&str, u32)> = first_seen.into_iter().collect();
    names.sort_unstable();
    let mut rank = vec![0u32; names.len()];
    for (position, (_, seen)) in names.iter().enumerate() {
        rank[*seen as usize] = position as u32;
    }
    let mut keyed: Vec<(u32, i64, u32, u32)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                rank[merchant_of[i] as usize],
                r.at.timestamp(),
                r.at.timestamp_subsec_nanos(),
                i as u32,
            )
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| {
            records[a.3 as usize]
                .id
                .as_ref()
                .cmp(records[b.3 as usize].id.as_ref())
        })
    });
    let order: Vec<usize> = keyed.iter().map(|k| k.3 as usize).collect();
    let order_rank: Vec<u32> = keyed.into_iter().map(|k| k.0).collect();
    // Only sales that a refund of this run refers to need remembering.
    let wanted: std::collections::HashSet<&str> = records
        .iter()
        .filter(|r| r.kind == RecordKind::Refund)
        .filter_map(|r| r.original_id.as_ref().map(AsRef::as_ref))
        .collect();
    let mut states: HashMap<&str, &MerchantState> = state
        .merchants
        .iter()
        .filter(|m| m.currency == currency.alpha())
        .map(|m| (m.merchant_id.as_str(), m))
        .collect();
    let mut out_batches = Vec::new();
    let mut out_states = Vec::new();
    // Sales seen in this run: id → (amount, fee, refunded so far).
    let mut sales: HashMap<&str, (i64, i64, i64)> = HashMap::new();
    let mut start = 0;
    while start < order.len() {
        let merchant = records[order[start]].merchant_id.as_ref();
        let mut end = start;
        while end < order.len() && order_rank[end] == order_rank[start] {
            end += 1;
        }
        let t = terms.of(merchant);
        let mut ms = states
            .remove(merchant)
            .cloned()
            .unwrap_or_else(|| MerchantState {
                merchant_id: merchant.to_owned(),
                currency: currency.alpha().to_owned(),
                carried_minor: 0,
                reserve_holds: Vec::new(),
                fixed_reserve_minor: 0,
                periodic_charged: BTreeMap::new(),
                volume_month: None,
                month_volume_minor: 0,
            });
        let mut days: BTreeMap<NaiveDate, Vec<(usize, Priced)>> = BTreeMap::new();
        let mut payout_cache: Option<(NaiveDate, NaiveDate)> = None;
        for (k, &i) in order[start..end].iter().enumerate() {
            if let Some(&ahead) = order.get(start + k + LOOK_AHEAD) {
                touch(&records[ahead]);
            }
            let r = &records[i];
            let date_err = |e| SettlementError::Date {
                index: i,
                id: r.id.as_ref().to_owned(),
                source: e,
            };
            let local_date = terms.cutoff.local_date(r.at).map_err(date_err)?;
            let anchor = if t.cycle == SettlementCycle::S0 {
                local_date
            } else {
                terms.cutoff.settlement_day(r.at).map_err(date_err)?
            };
            let payout_day = match payout_cache {
                Some((a, p)) if a == anchor => p,
                _ => {
                    let p = t.cycle.payout_day(anchor, calendar).map_err(date_err)?;
                    payout_cache = Some((anchor, p));
                    p
                }
            };
            let fee_err = |e| SettlementError::Fee {
                index: i,
                id: r.id.as_ref().to_owned(),
                source: e,
            };
            let input = |amount_minor, volume| PricingInput {
                amount_minor,
                card: r.card.unwrap_or(CardType::Debit),
                channel: r.channel.unwrap_or(Channel::Chip),
                merchant_type: t.merchant_type,
                monthly_volume_minor: volume,
            };
            let lines = match r.kind {
                RecordKind::Sale => {
                    let month = month_start(local_date);
                    if ms.volume_month != Some(month) {
                        ms.volume_month = Some(month);
                        ms.month_volume_minor = 0;
                    }
                    let fee = schedule
                        .fee(&input(r.amount_minor, ms.month_volume_minor))
                        .map_err(fee_err)?
                        .minor;
                    ms.month_volume_minor = ms.month_volume_minor.saturating_add(r.amount_minor);
                    if !wanted.is_empty() && wanted.contains(r.id.as_ref()) {
                        sales.insert(r.id.as_ref(), (r.amount_minor, fee, 0));
                    }
                    ([(LineKind::Sale, r.amount_minor), (LineKind::Fee, -fee)], 2)
                }
                RecordKind::Refund => {
                    let in_run = r
                        .original_id
                        .as_ref()
                        .map(AsRef::as_ref)
                        .and_then(|o| sales.get_mut(o));
                    let (amount, fee, before) = match in_run {
                        Some(s) => *s,
                        None => {
                            let amount = r.original_amount_minor.ok_or_else(|| {
                                SettlementError::InvalidRecord {
                                    index: i,
                                    id: r.id.as_ref().to_owned(),
                                    reason:
                                        "refund of a sale not in this run needs original_amount"
                                            .into(),
                                }
                            })?;
                            let fee = schedule.fee(&input(amount, 0)).map_err(fee_err)?.minor;
                            (amount, fee, r.refunded_before_minor.unwrap_or(0))
                        }
                    };
                    let returned = refund_fee_returned(
                        schedule.refund_policy(),
                        schedule.rounding(),
                        amount,
                        fee,
                        before,
                        r.amount_minor,
                    )
                    .map_err(fee_err)?;
                    if let Some(s) = r
                        .original_id
                        .as_ref()
                        .map(AsRef::as_ref)
                        .and_then(|o| sales.get_mut(o))
                    {
                        s.2 += r.amount_minor;
                    }
                    let count = if returned.returned_minor == 0 { 1 } else { 2 };
                    (
                        [
                            (LineKind::Refund, -r.amount_minor),
                            (LineKind::RefundedFee, returned.returned_minor),
                        ],
                        count,
                    )
                }
                RecordKind::Adjustment => (
                    [
                        (LineKind::Adjustment, -r.amount_minor),
                        (LineKind::Adjustment, 0),
                    ],
                    1,
                ),
                RecordKind::D0Advance => (
                    [
                        (LineKind::D0Advance, -r.amount_minor),
                        (LineKind::D0Advance, 0),
                    ],
                    1,
                ),
            };
            let (lines, count) = lines;
            days.entry(payout_day).or_default().push((
                i,
                Priced {
                    payout_day,
                    lines,
                    count,
                },
            ));
        }
        for (payout_day, items) in days {
            let batch = close_batch(
                records, merchant, currency, payout_day, &items, t, &mut ms, calendar,
            )?;
            out_batches.push(batch);
        }
        out_states.push(ms);
        start = end;
    }
    // Merchants with state but no records keep their state unchanged.
    out_states.extend(states.into_values().cloned());
    out_states.extend(
        state
            .merchants
            .iter()
            .filter(|m| m.currency != currency.alpha())
            .cloned(),
    );
    out_states.sort_by(|a, b| {
        a.merchant_id
            .cmp(&b.merchant_id)
            .then(a.currency.cmp(&b.currency))
    });
    Ok(SettlementRun {
        batches: out_batches,
        state: CarryState {
            merchants: out_states,
        },
    })
}

fn push_line(
    lines: &mut Vec<StatementLine>,
    net: &mut i64,
    kind: LineKind,
    reference: String,
    amount: i64,
) -> Option<()> {
    *net = net.checked_add(amount)?;
    lines.push(StatementLine {
        kind,
        reference,
        amount_minor: amount,
    });
    Some(())
}

#[allow(clippy::too_many_arguments)]
fn close_batch<S: AsRef<str>>(
    records: &[TxnRecord<S>],
    merchant: &str,
    currency: Currency,
    payout_day: NaiveDate,
    items: &[(usize, Priced)],
    t: &super::terms::Terms,
    ms: &mut MerchantState,
    calendar: &Calendar,
) -> Result<Batch, SettlementError> {
    let overflow = || SettlementError::Overflow {
        merchant: merchant.to_owned(),
    };
    let mut totals = BatchTotals::default();
    let mut lines = Vec::with_capacity(items.len() * 2 + 4);
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    let mut net: i64 = 0;
    if ms.carried_minor != 0 {
        totals.carried_in_minor = ms.carried_minor;
        push_line(
            &mut lines,
            &mut net,
            LineKind::CarriedIn,
            "carried in".into(),
            ms.carried_minor,
        )
        .ok_or_else(overflow)?;
    }
    for (k, (i, p)) in items.iter().enumerate() {
        if let Some((ahead, _)) = items.get(k + LOOK_AHEAD) {
            touch(&records[*ahead]);
        }
        debug_assert_eq!(p.payout_day, payout_day);
        let r = &records[*i];
        fnv(&mut digest, r.id.as_ref().as_bytes());
        fnv(&mut digest, &[0]);
        for &(kind, amount) in &p.lines[..usize::from(p.count)] {
            let (total, sign) = match kind {
                LineKind::Sale => (&mut totals.captured_minor, 1),
                LineKind::Fee => (&mut totals.fees_minor, -1),
                LineKind::Refund => (&mut totals.refunds_minor, -1),
                LineKind::RefundedFee => (&mut totals.refunded_fees_minor, 1),
                LineKind::Adjustment => (&mut totals.adjustments_minor, -1),
                _ => (&mut totals.d0_advances_minor, -1),
            };
            *total = amount
                .checked_mul(sign)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(overflow)?;
            push_line(&mut lines, &mut net, kind, r.id.as_ref().to_owned(), amount)
                .ok_or_else(overflow)?;
        }
    }
    // Reserve released: rolling holds due on or before the payout day.
    let mut released = 0i64;
    ms.reserve_holds.retain(|h| {
        if h.release_on <= payout_day {
            released = released.saturating_add(h.amount_minor);
            false
        } else {
            true
        }
    });
    if released != 0 {
        totals.reserve_released_minor = released;
        push_line(
            &mut lines,
            &mut net,
            LineKind::ReserveReleased,
            "rolling reserve released".into(),
            released,
        )
        .ok_or_else(overflow)?;
    }
    // Periodic fees due on or before the payout day and not yet charged.
    for (description, amount, dom) in &t.periodic {
        let last = ms.periodic_charged.get(description).copied();
        let mut due_dates = Vec::new();
        let mut month = month_start(payout_day);
        for _ in 0..12 {
            let due = month.with_day(u32::from(*dom)).unwrap_or(month);
            if due <= payout_day && last.is_none_or(|l| due > l) {
                due_dates.push(due);
            }
            if last.is_none() || last.is_some_and(|l| month <= l) {
                break;
            }
            month = match month.checked_sub_months(Months::new(1)) {
                Some(m) => m,
                None => break,
            };
        }
        due_dates.sort();
        for due in due_dates {
            totals.periodic_fees_minor = totals
                .periodic_fees_minor
                .checked_add(*amount)
                .ok_or_else(overflow)?;
            push_line(
                &mut lines,
                &mut net,
                LineKind::PeriodicFee,
                format!("{description} (due {due})"),
                -amount,
            )
            .ok_or_else(overflow)?;
            ms.periodic_charged.insert(description.clone(), due);
        }
    }
    // Reserve withheld.
    let withheld = match t.reserve {
        Reserve::None => 0,
        Reserve::Rolling { rate, days } => {
            let w = apply_rate_down(totals.captured_minor, rate);
            if w > 0 {
                let release_on = payout_day
                    .checked_add_days(Days::new(u64::from(days)))
                    .ok_or_else(overflow)?;
                ms.reserve_holds.push(ReserveHold {
                    release_on,
                    amount_minor: w,
                });
            }
            w
        }
        Reserve::Fixed { amount } => {
            let w = (amount - ms.fixed_reserve_minor).max(0).min(net.max(0));
            ms.fixed_reserve_minor = ms.fixed_reserve_minor.saturating_add(w);
            w
        }
    };
    if withheld != 0 {
        totals.reserve_withheld_minor = withheld;
        push_line(
            &mut lines,
            &mut net,
            LineKind::ReserveWithheld,
            "reserve withheld".into(),
            -withheld,
        )
        .ok_or_else(overflow)?;
    }
    let payout = if net > 0 && net >= t.minimum { net } else { 0 };
    ms.carried_minor = net - payout;
    Ok(Batch {
        batch_id: format!(
            "{merchant}.{}.{}",
            currency.alpha(),
            payout_day.format("%Y%m%d")
        ),
        digest: format!("{digest:016x}"),
        merchant_id: merchant.to_owned(),
        currency: currency.alpha().to_owned(),
        payout_day,
        cycle: t.cycle.to_string(),
        calendar_version: calendar.version().to_owned(),
        totals,
        net_minor: net,
        payout_minor: payout,
        carried_forward_minor: net - payout,
        lines,
    })
}
