//! Fee schedules as data: rules selected by card type, channel, merchant type and amount band,
//! each with a formula shape, an optional cap (封顶), floor (保底) and threshold.
//!
//! A [`FeeSchedule`] is plain serde data (JSON or TOML, or built in code); [`FeeSchedule::compile`]
//! validates it and converts every amount to minor units and every rate to exact fixed point,
//! producing a [`CompiledSchedule`] that prices a transaction with integer arithmetic only.

use super::exact::{Inexact, PICO, amount_to_minor, rate_to_pico, round_div};
use super::{CardType, Channel, FeeError, MerchantType};
use crate::money::{Currency, Rounding};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What happens to the fee when a sale is refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RefundFeePolicy {
    /// The fee is kept (PayPal; many Chinese POS contracts).
    #[default]
    None,
    /// The fee is returned in proportion to the refunded amount, by the remaining-fee method:
    /// the fee kept after refunds totalling `R` of an amount `A` with fee `F` is
    /// `round(F × (A − R) / A)`, so partial refunds never drift from the whole.
    ProRata,
    /// The whole fee is returned with the first refund, whatever its amount.
    Full,
}

/// The formula of a rule, before cap/floor/threshold. Amounts are in major units of the
/// schedule's currency ("20.00"); rates are fractions ("0.006" = 0.6 %), at most 12 decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case", deny_unknown_fields)]
pub enum FeeFormula {
    /// `amount × rate`.
    Percentage {
        /// The rate.
        rate: Decimal,
    },
    /// A fixed fee per transaction.
    Fixed {
        /// The fee.
        amount: Decimal,
    },
    /// `fixed + amount × rate`.
    PercentagePlusFixed {
        /// The rate.
        rate: Decimal,
        /// The fixed part.
        fixed: Decimal,
    },
    /// Tiered by the transaction's own amount: the band containing the amount prices the
    /// whole amount (`FLO`/`FIX` style). Bands ascend; each `up_to` is exclusive; the last
    /// band has no `up_to`.
    AmountBands {
        /// The bands.
        bands: Vec<Band>,
    },
    /// Tiered by the merchant's month-to-date volume before this transaction: the tier with the
    /// greatest `from_volume` not above the volume prices the amount. The first tier starts at 0.
    VolumeTiers {
        /// The tiers.
        tiers: Vec<VolumeTier>,
    },
    /// A step fee: `fee` for every started `per` of the amount (e.g. 2.50 per 20 000).
    Step {
        /// Fee per step.
        fee: Decimal,
        /// Step size (> 0).
        per: Decimal,
    },
}

/// One amount band of [`FeeFormula::AmountBands`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Exclusive upper bound of the band; `None` for the last band.
    #[serde(default)]
    pub up_to: Option<Decimal>,
    /// Rate applied to the amount.
    #[serde(default)]
    pub rate: Decimal,
    /// Fixed part.
    #[serde(default)]
    pub fixed: Decimal,
}

/// One tier of [`FeeFormula::VolumeTiers`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeTier {
    /// Month-to-date volume from which the tier applies.
    pub from_volume: Decimal,
    /// Rate applied to the amount.
    #[serde(default)]
    pub rate: Decimal,
    /// Fixed part.
    #[serde(default)]
    pub fixed: Decimal,
}

/// One rule of a schedule. Empty selector lists match everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeRule {
    /// Unique name of the rule; errors and quotes refer to it.
    pub id: String,
    /// Higher wins when rules overlap; overlapping rules of equal priority are rejected.
    #[serde(default)]
    pub priority: i32,
    /// Card types matched (empty: all).
    #[serde(default)]
    pub card_types: Vec<CardType>,
    /// Channels matched (empty: all).
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Merchant types matched (empty: all).
    #[serde(default)]
    pub merchant_types: Vec<MerchantType>,
    /// Inclusive lower bound of the amounts matched.
    #[serde(default)]
    pub min_amount: Option<Decimal>,
    /// Exclusive upper bound of the amounts matched.
    #[serde(default)]
    pub max_amount: Option<Decimal>,
    /// The formula.
    pub fee: FeeFormula,
    /// Maximum fee (封顶), applied to the exact fee before rounding.
    #[serde(default)]
    pub cap: Option<Decimal>,
    /// Minimum fee (保底), applied to the exact fee before rounding.
    #[serde(default)]
    pub floor: Option<Decimal>,
    /// No fee at all for amounts at or below the threshold (`IFBIG`).
    #[serde(default)]
    pub threshold: Option<Decimal>,
}

impl FeeRule {
    /// A rule matching everything with the given formula (refine the public fields after).
    pub fn new(id: &str, fee: FeeFormula) -> FeeRule {
        FeeRule {
            id: id.to_owned(),
            priority: 0,
            card_types: Vec::new(),
            channels: Vec::new(),
            merchant_types: Vec::new(),
            min_amount: None,
            max_amount: None,
            fee,
            cap: None,
            floor: None,
            threshold: None,
        }
    }
}

fn half_up() -> Rounding {
    Rounding::HalfUp
}

/// A fee schedule: currency, rounding, refund policy and rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeSchedule {
    /// Name (for quotes and statements).
    #[serde(default)]
    pub name: String,
    /// ISO 4217 alphabetic code of the amounts.
    pub currency: String,
    /// Rounding to the minor unit (default half-up, 四舍五入).
    #[serde(default = "half_up")]
    pub rounding: Rounding,
    /// What happens to the fee on refunds.
    #[serde(default)]
    pub refund_policy: RefundFeePolicy,
    /// The rules.
    pub rules: Vec<FeeRule>,
}

/// Why a schedule is invalid. Every variant names the rule and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeeScheduleError {
    /// The document does not parse (syntax, unknown field, unknown card type or channel…).
    #[error("{format} schedule, line {line} column {column}: {message}")]
    Parse {
        /// "json" or "toml".
        format: &'static str,
        /// 1-based line (0 if unknown).
        line: usize,
        /// 1-based column (0 if unknown).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The currency code is not ISO 4217.
    #[error("{field}: unknown currency {code:?}")]
    UnknownCurrency {
        /// Path of the field.
        field: String,
        /// The code as given.
        code: String,
    },
    /// A rate is outside [0, 1].
    #[error("rule {rule:?}, field {field}: rate {value} is outside [0, 1]")]
    RateOutOfRange {
        /// Rule id.
        rule: String,
        /// Field path within the rule.
        field: String,
        /// The value.
        value: Decimal,
    },
    /// A rate has more than 12 decimals.
    #[error("rule {rule:?}, field {field}: rate {value} has more than 12 decimals")]
    RatePrecision {
        /// Rule id.
        rule: String,
        /// Field path within the rule.
        field: String,
        /// The value.
        value: Decimal,
    },
    /// An amount is negative, too large or finer than the currency's minor unit.
    #[error(
        "rule {rule:?}, field {field}: amount {value} is not a valid {currency} amount ({reason})"
    )]
    InvalidAmount {
        /// Rule id.
        rule: String,
        /// Field path within the rule.
        field: String,
        /// The value.
        value: Decimal,
        /// The currency.
        currency: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The cap is below the floor.
    #[error("rule {rule:?}: cap {cap} is below floor {floor}")]
    CapBelowFloor {
        /// Rule id.
        rule: String,
        /// The cap.
        cap: Decimal,
        /// The floor.
        floor: Decimal,
    },
    /// The amount band of a rule is empty (`min_amount >= max_amount`).
    #[error("rule {rule:?}: min_amount {min} is not below max_amount {max}")]
    EmptyAmountRange {
        /// Rule id.
        rule: String,
        /// Lower bound.
        min: Decimal,
        /// Upper bound.
        max: Decimal,
    },
    /// Tiers or bands are missing, unordered, or the last band is bounded.
    #[error("rule {rule:?}, field {field}: {reason}")]
    InvalidTiers {
        /// Rule id.
        rule: String,
        /// Field path.
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Two rules with the same id.
    #[error("rule id {rule:?} is used twice")]
    DuplicateRuleId {
        /// The id.
        rule: String,
    },
    /// Two rules of equal priority can match the same transaction.
    #[error(
        "rules {first:?} and {second:?} overlap (same priority, intersecting card types, channels, merchant types and amounts)"
    )]
    OverlappingRules {
        /// The earlier rule.
        first: String,
        /// The later rule.
        second: String,
    },
    /// A schedule with no rules.
    #[error("schedule {schedule:?} has no rules")]
    NoRules {
        /// Schedule name.
        schedule: String,
    },
    /// Too many rules, tiers or agents for a schedule (bounded to keep pricing fast).
    #[error("{what}: {count} exceeds the limit of {limit}")]
    TooMany {
        /// What is counted.
        what: &'static str,
        /// How many were given.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A reference to an unknown agent, or a cycle in the agent tree.
    #[error("agent {agent:?}: {reason}")]
    InvalidAgent {
        /// Agent id.
        agent: String,
        /// What is wrong.
        reason: String,
    },
    /// A D0 or settlement parameter is invalid.
    #[error("{field}: {reason}")]
    InvalidParameter {
        /// Field path.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

/// Most rules in one schedule.
pub const MAX_RULES: usize = 1024;
/// Most bands or tiers in one rule.
pub const MAX_TIERS: usize = 64;

impl FeeSchedule {
    /// Parses a JSON schedule.
    pub fn from_json(text: &str) -> Result<FeeSchedule, FeeScheduleError> {
        serde_json::from_str(text).map_err(|e| json_error(&e))
    }

    /// Parses a TOML schedule.
    pub fn from_toml(text: &str) -> Result<FeeSchedule, FeeScheduleError> {
        toml::from_str(text).map_err(|e| toml_error(text, &e))
    }

    /// Validates the schedule and compiles it for pricing.
    pub fn compile(&self) -> Result<CompiledSchedule, FeeScheduleError> {
        let currency = Currency::from_alpha(&self.currency).map_err(|_| {
            FeeScheduleError::UnknownCurrency {
                field: "currency".into(),
                code: self.currency.clone(),
            }
        })?;
        compile_rules(
            &self.name,
            currency,
            self.rounding,
            self.refund_policy,
            &self.rules,
        )
    }
}

pub(crate) fn json_error(e: &serde_json::Error) -> FeeScheduleError {
    FeeScheduleError::Parse {
        format: "json",
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

pub(crate) fn toml_error(text: &str, e: &toml::de::Error) -> FeeScheduleError {
    let (line, column) = e.span().map_or((0, 0), |span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    });
    FeeScheduleError::Parse {
        format: "toml",
        line,
        column,
        message: e.message().to_owned(),
    }
}

/// A validated schedule with exact integer parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledSchedule {
    name: String,
    currency: Currency,
    rounding: Rounding,
    refund_policy: RefundFeePolicy,
    /// Sorted by priority, highest first (stable: declaration order among equals).
    rules: Vec<CompiledRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CompiledRule {
    id: String,
    priority: i32,
    cards: u8,
    channels: u8,
    merchants: u8,
    min: i64,
    max: Option<i64>,
    formula: Formula,
    cap: Option<i128>,
    floor: Option<i128>,
    threshold: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Formula {
    /// `amount × rate + fixed` (rate in pico, fixed in minor).
    Linear { rate: i128, fixed: i64 },
    /// Bands: (exclusive upper bound, rate, fixed); the last has `None`.
    Bands(Vec<(Option<i64>, i128, i64)>),
    /// Tiers: (from volume, rate, fixed), ascending, first from 0.
    Tiers(Vec<(i64, i128, i64)>),
    /// Step: fee per started `per`.
    Step { fee: i64, per: i64 },
}

fn mask<T: Copy>(items: &[T], bit: impl Fn(T) -> u8) -> u8 {
    if items.is_empty() {
        u8::MAX
    } else {
        items.iter().fold(0, |m, &i| m | bit(i))
    }
}

struct RuleCtx<'a> {
    rule: &'a str,
    currency: Currency,
}

impl RuleCtx<'_> {
    fn rate(&self, field: &str, value: Decimal) -> Result<i128, FeeScheduleError> {
        rate_to_pico(value).map_err(|e| match e {
            Inexact::Range => FeeScheduleError::RateOutOfRange {
                rule: self.rule.to_owned(),
                field: field.to_owned(),
                value,
            },
            Inexact::Precision => FeeScheduleError::RatePrecision {
                rule: self.rule.to_owned(),
                field: field.to_owned(),
                value,
            },
        })
    }

    fn amount(&self, field: &str, value: Decimal) -> Result<i64, FeeScheduleError> {
        amount_to_minor(value, self.currency.exponent()).map_err(|e| {
            FeeScheduleError::InvalidAmount {
                rule: self.rule.to_owned(),
                field: field.to_owned(),
                value,
                currency: self.currency.alpha().to_owned(),
                reason: match e {
                    Inexact::Range => "negative or too large",
                    Inexact::Precision => "finer than the minor unit",
                },
            }
        })
    }

    fn tiers_err(&self, field: &str, reason: &'static str) -> FeeScheduleError {
        FeeScheduleError::InvalidTiers {
            rule: self.rule.to_owned(),
            field: field.to_owned(),
            reason,
        }
    }
}

/// Compiles and validates a rule list (shared by merchant, cost and agent schedules).
pub(crate) fn compile_rules(
    name: &str,
    currency: Currency,
    rounding: Rounding,
    refund_policy: RefundFeePolicy,
    rules: &[FeeRule],
) -> Result<CompiledSchedule, FeeScheduleError> {
    if rules.is_empty() {
        return Err(FeeScheduleError::NoRules {
            schedule: name.to_owned(),
        });
    }
    if rules.len() > MAX_RULES {
        return Err(FeeScheduleError::TooMany {
            what: "rules",
            count: rules.len(),
            limit: MAX_RULES,
        });
    }
    let mut compiled: Vec<CompiledRule> = Vec::with_capacity(rules.len());
    for rule in rules {
        if compiled.iter().any(|c| c.id == rule.id) {
            return Err(FeeScheduleError::DuplicateRuleId {
                rule: rule.id.clone(),
            });
        }
        let c = compile_rule(rule, currency)?;
        if let Some(other) = compiled.iter().find(|o| overlaps(o, &c)) {
            return Err(FeeScheduleError::OverlappingRules {
                first: other.id.clone(),
                second: c.id.clone(),
            });
        }
        compiled.push(c);
    }
    compiled.sort_by_key(|r| std::cmp::Reverse(r.priority));
    Ok(CompiledSchedule {
        name: name.to_owned(),
        currency,
        rounding,
        refund_policy,
        rules: compiled,
    })
}

fn overlaps(a: &CompiledRule, b: &CompiledRule) -> bool {
    a.priority == b.priority
        && a.cards & b.cards != 0
        && a.channels & b.channels != 0
        && a.merchants & b.merchants != 0
        && a.max.is_none_or(|max| b.min < max)
        && b.max.is_none_or(|max| a.min < max)
}

fn compile_rule(rule: &FeeRule, currency: Currency) -> Result<CompiledRule, FeeScheduleError> {
    let ctx = RuleCtx {
        rule: &rule.id,
        currency,
    };
    let formula = match &rule.fee {
        FeeFormula::Percentage { rate } => Formula::Linear {
            rate: ctx.rate("fee.rate", *rate)?,
            fixed: 0,
        },
        FeeFormula::Fixed { amount } => Formula::Linear {
            rate: 0,
            fixed: ctx.amount("fee.amount", *amount)?,
        },
        FeeFormula::PercentagePlusFixed { rate, fixed } => Formula::Linear {
            rate: ctx.rate("fee.rate", *rate)?,
            fixed: ctx.amount("fee.fixed", *fixed)?,
        },
        FeeFormula::AmountBands { bands } => {
            if bands.is_empty() || bands.len() > MAX_TIERS {
                return Err(ctx.tiers_err("fee.bands", "need 1 to 64 bands"));
            }
            let mut out = Vec::with_capacity(bands.len());
            let mut last: Option<i64> = None;
            for (i, band) in bands.iter().enumerate() {
                let up_to = band
                    .up_to
                    .map(|u| ctx.amount(&format!("fee.bands[{i}].up_to"), u))
                    .transpose()?;
                let is_last = i + 1 == bands.len();
                match (up_to, is_last) {
                    (None, false) => {
                        return Err(ctx.tiers_err(
                            &format!("fee.bands[{i}].up_to"),
                            "only the last band may be unbounded",
                        ));
                    }
                    (Some(_), true) => {
                        return Err(ctx.tiers_err(
                            &format!("fee.bands[{i}].up_to"),
                            "the last band must be unbounded",
                        ));
                    }
                    _ => {}
                }
                if let (Some(u), Some(l)) = (up_to, last)
                    && u <= l
                {
                    return Err(
                        ctx.tiers_err(&format!("fee.bands[{i}].up_to"), "bands must ascend")
                    );
                }
                last = up_to.or(last);
                out.push((
                    up_to,
                    ctx.rate(&format!("fee.bands[{i}].rate"), band.rate)?,
                    ctx.amount(&format!("fee.bands[{i}].fixed"), band.fixed)?,
                ));
            }
            Formula::Bands(out)
        }
        FeeFormula::VolumeTiers { tiers } => {
            if tiers.is_empty() || tiers.len() > MAX_TIERS {
                return Err(ctx.tiers_err("fee.tiers", "need 1 to 64 tiers"));
            }
            let mut out: Vec<(i64, i128, i64)> = Vec::with_capacity(tiers.len());
            for (i, tier) in tiers.iter().enumerate() {
                let from = ctx.amount(&format!("fee.tiers[{i}].from_volume"), tier.from_volume)?;
                if i == 0 && from != 0 {
                    return Err(
                        ctx.tiers_err("fee.tiers[0].from_volume", "the first tier must start at 0")
                    );
                }
                if out.last().is_some_and(|p| from <= p.0) {
                    return Err(
                        ctx.tiers_err(&format!("fee.tiers[{i}].from_volume"), "tiers must ascend")
                    );
                }
                out.push((
                    from,
                    ctx.rate(&format!("fee.tiers[{i}].rate"), tier.rate)?,
                    ctx.amount(&format!("fee.tiers[{i}].fixed"), tier.fixed)?,
                ));
            }
            Formula::Tiers(out)
        }
        FeeFormula::Step { fee, per } => {
            let per_minor = ctx.amount("fee.per", *per)?;
            if per_minor == 0 {
                return Err(ctx.tiers_err("fee.per", "step size must be positive"));
            }
            Formula::Step {
                fee: ctx.amount("fee.fee", *fee)?,
                per: per_minor,
            }
        }
    };
    let cap = rule.cap.map(|c| ctx.amount("cap", c)).transpose()?;
    let floor = rule.floor.map(|f| ctx.amount("floor", f)).transpose()?;
    if let (Some(c), Some(f)) = (cap, floor)
        && c < f
    {
        return Err(FeeScheduleError::CapBelowFloor {
            rule: rule.id.clone(),
            cap: rule.cap.unwrap_or_default(),
            floor: rule.floor.unwrap_or_default(),
        });
    }
    let min = rule
        .min_amount
        .map(|m| ctx.amount("min_amount", m))
        .transpose()?
        .unwrap_or(0);
    let max = rule
        .max_amount
        .map(|m| ctx.amount("max_amount", m))
        .transpose()?;
    if let Some(mx) = max
        && mx <= min
    {
        return Err(FeeScheduleError::EmptyAmountRange {
            rule: rule.id.clone(),
            min: rule.min_amount.unwrap_or_default(),
            max: rule.max_amount.unwrap_or_default(),
        });
    }
    Ok(CompiledRule {
        id: rule.id.clone(),
        priority: rule.priority,
        cards: mask(&rule.card_types, CardType::bit),
        channels: mask(&rule.channels, Channel::bit),
        merchants: mask(&rule.merchant_types, MerchantType::bit),
        min,
        max,
        formula,
        cap: cap.map(|c| i128::from(c) * PICO),
        floor: floor.map(|f| i128::from(f) * PICO),
        threshold: rule
            .threshold
            .map(|t| ctx.amount("threshold", t))
            .transpose()?,
    })
}

/// What selects a rule and prices a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingInput {
    /// Transaction amount in minor units (≥ 0).
    pub amount_minor: i64,
    /// Card type.
    pub card: CardType,
    /// Channel.
    pub channel: Channel,
    /// Merchant type.
    pub merchant_type: MerchantType,
    /// Merchant's month-to-date volume before this transaction, minor units (volume tiers).
    pub monthly_volume_minor: i64,
}

/// A computed fee: the rounded amount and the rule that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleFee {
    /// The fee in minor units.
    pub minor: i64,
    /// Index of the rule used (see [`CompiledSchedule::rule_id`]).
    pub rule: u32,
}

impl CompiledSchedule {
    /// The schedule's currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The schedule's rounding.
    pub fn rounding(&self) -> Rounding {
        self.rounding
    }

    /// The schedule's refund policy.
    pub fn refund_policy(&self) -> RefundFeePolicy {
        self.refund_policy
    }

    /// The schedule's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The id of the rule at `index` (as returned in [`RuleFee::rule`]).
    pub fn rule_id(&self, index: u32) -> &str {
        self.rules.get(index as usize).map_or("", |r| r.id.as_str())
    }

    fn select(&self, input: &PricingInput) -> Result<(u32, &CompiledRule), FeeError> {
        let (c, ch, m) = (
            input.card.bit(),
            input.channel.bit(),
            input.merchant_type.bit(),
        );
        self.rules
            .iter()
            .enumerate()
            .find(|(_, r)| {
                r.cards & c != 0
                    && r.channels & ch != 0
                    && r.merchants & m != 0
                    && input.amount_minor >= r.min
                    && r.max.is_none_or(|max| input.amount_minor < max)
            })
            .map(|(i, r)| (i as u32, r))
            .ok_or_else(|| FeeError::NoRuleMatches {
                schedule: self.name.clone(),
                card: input.card,
                channel: input.channel,
                merchant_type: input.merchant_type,
                amount_minor: input.amount_minor,
            })
    }

    /// The exact fee in pico-minor units (cap and floor applied, not rounded).
    pub fn exact_fee(&self, input: &PricingInput) -> Result<(i128, u32), FeeError> {
        if input.amount_minor < 0 {
            return Err(FeeError::NegativeAmount {
                amount_minor: input.amount_minor,
            });
        }
        let (index, rule) = self.select(input)?;
        let a = i128::from(input.amount_minor);
        if rule.threshold.is_some_and(|t| input.amount_minor <= t) {
            return Ok((0, index));
        }
        let linear = |rate: i128, fixed: i64| a * rate + i128::from(fixed) * PICO;
        let mut exact = match &rule.formula {
            Formula::Linear { rate, fixed } => linear(*rate, *fixed),
            Formula::Bands(bands) => {
                let (_, rate, fixed) = bands
                    .iter()
                    .find(|(up, _, _)| up.is_none_or(|u| input.amount_minor < u))
                    .copied()
                    .unwrap_or((None, 0, 0));
                linear(rate, fixed)
            }
            Formula::Tiers(tiers) => {
                let (_, rate, fixed) = tiers
                    .iter()
                    .rev()
                    .find(|(from, _, _)| input.monthly_volume_minor >= *from)
                    .copied()
                    .unwrap_or(tiers[0]);
                linear(rate, fixed)
            }
            Formula::Step { fee, per } => {
                let steps = (a + i128::from(*per) - 1) / i128::from(*per);
                steps
                    .checked_mul(i128::from(*fee))
                    .and_then(|v| v.checked_mul(PICO))
                    .ok_or(FeeError::Overflow {
                        rule: rule.id.clone(),
                    })?
            }
        };
        if let Some(floor) = rule.floor {
            exact = exact.max(floor);
        }
        if let Some(cap) = rule.cap {
            exact = exact.min(cap);
        }
        Ok((exact, index))
    }

    /// The fee of a transaction, rounded to the minor unit with the schedule's rounding.
    pub fn fee(&self, input: &PricingInput) -> Result<RuleFee, FeeError> {
        let (exact, rule) = self.exact_fee(input)?;
        let minor = i64::try_from(round_div(exact, PICO, self.rounding)).map_err(|_| {
            FeeError::Overflow {
                rule: self.rule_id(rule).to_owned(),
            }
        })?;
        Ok(RuleFee { minor, rule })
    }
}
