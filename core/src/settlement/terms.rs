//! Merchant settlement terms as data: cycle, reserve, minimum payout, periodic fees.

use super::dates::{NetworkCutoff, SettlementCycle};
use crate::fees::exact::{PICO, amount_to_minor, rate_to_pico};
use crate::fees::schedule::{json_error, toml_error};
use crate::fees::{FeeSchedule, FeeScheduleError, MerchantType, PricingConfig};
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How much of a merchant's money is held back against refunds and chargebacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReservePolicy {
    /// No reserve.
    #[default]
    None,
    /// Rolling: `rate` of each batch's captured amount is held for `days` calendar days, then
    /// released in the first batch on or after that day.
    Rolling {
        /// Share of captured amounts held, in [0, 1].
        rate: Decimal,
        /// Days held.
        days: u32,
    },
    /// Fixed: a lump sum withheld from payouts until reached, and held until the agreement ends.
    Fixed {
        /// The amount to hold.
        amount: Decimal,
    },
}

/// A recurring fee (terminal rental, monthly minimum top-up…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodicFee {
    /// What the statement says.
    pub description: String,
    /// Amount per month.
    pub amount: Decimal,
    /// Due day of month (1–28); charged in the first batch on or after it.
    pub day_of_month: u8,
}

/// One merchant's terms; unset fields fall back to the defaults of [`SettlementTerms`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantTerms {
    /// Merchant id (MID).
    pub merchant_id: String,
    /// Settlement cycle.
    #[serde(default)]
    pub cycle: Option<SettlementCycle>,
    /// Reserve.
    #[serde(default)]
    pub reserve: Option<ReservePolicy>,
    /// Minimum payout.
    #[serde(default)]
    pub minimum_payout: Option<Decimal>,
    /// Pricing category.
    #[serde(default)]
    pub merchant_type: Option<MerchantType>,
    /// Periodic fees.
    #[serde(default)]
    pub periodic_fees: Vec<PeriodicFee>,
}

fn t1() -> SettlementCycle {
    SettlementCycle::T1
}

/// Settlement terms for all merchants of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettlementTerms {
    /// Cycle for merchants without their own.
    #[serde(default = "t1")]
    pub default_cycle: SettlementCycle,
    /// Default reserve.
    #[serde(default)]
    pub reserve: ReservePolicy,
    /// Default minimum payout (0 = any positive net is paid).
    #[serde(default)]
    pub minimum_payout: Decimal,
    /// The network cut-off (default UnionPay 23:00 UTC+8).
    #[serde(default)]
    pub cutoff: NetworkCutoff,
    /// Per-merchant terms.
    #[serde(default)]
    pub merchants: Vec<MerchantTerms>,
}

impl Default for SettlementTerms {
    fn default() -> Self {
        SettlementTerms {
            default_cycle: SettlementCycle::T1,
            reserve: ReservePolicy::None,
            minimum_payout: Decimal::ZERO,
            cutoff: NetworkCutoff::UNIONPAY,
            merchants: Vec::new(),
        }
    }
}

/// A compiled reserve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reserve {
    None,
    Rolling { rate: i128, days: u32 },
    Fixed { amount: i64 },
}

/// Compiled terms of one merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Terms {
    pub(crate) cycle: SettlementCycle,
    pub(crate) reserve: Reserve,
    pub(crate) minimum: i64,
    pub(crate) merchant_type: MerchantType,
    pub(crate) periodic: Vec<(String, i64, u8)>,
}

/// Validated terms in minor units of the pricing currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledTerms {
    pub(crate) default: Terms,
    pub(crate) merchants: HashMap<String, Terms>,
    pub(crate) cutoff: NetworkCutoff,
}

fn bad(field: String, reason: &str) -> FeeScheduleError {
    FeeScheduleError::InvalidParameter {
        field,
        reason: reason.to_owned(),
    }
}

fn reserve(
    field: &str,
    r: &ReservePolicy,
    currency: Currency,
) -> Result<Reserve, FeeScheduleError> {
    Ok(match r {
        ReservePolicy::None => Reserve::None,
        ReservePolicy::Rolling { rate, days } => Reserve::Rolling {
            rate: rate_to_pico(*rate)
                .map_err(|_| bad(format!("{field}.rate"), "must be in [0, 1]"))?,
            days: {
                if *days > 3660 {
                    return Err(bad(format!("{field}.days"), "at most 3660"));
                }
                *days
            },
        },
        ReservePolicy::Fixed { amount } => Reserve::Fixed {
            amount: amount_to_minor(*amount, currency.exponent())
                .map_err(|_| bad(format!("{field}.amount"), "not a non-negative amount"))?,
        },
    })
}

impl SettlementTerms {
    /// Validates the terms for amounts in `currency`.
    pub fn compile(&self, currency: Currency) -> Result<CompiledTerms, FeeScheduleError> {
        let e = currency.exponent();
        let minimum = amount_to_minor(self.minimum_payout, e).map_err(|_| {
            bad(
                "settlement.minimum_payout".into(),
                "not a non-negative amount",
            )
        })?;
        let default = Terms {
            cycle: self.default_cycle,
            reserve: reserve("settlement.reserve", &self.reserve, currency)?,
            minimum,
            merchant_type: MerchantType::Standard,
            periodic: Vec::new(),
        };
        let mut merchants = HashMap::with_capacity(self.merchants.len());
        for (i, m) in self.merchants.iter().enumerate() {
            let f = |name: &str| format!("settlement.merchants[{i}].{name}");
            let mut periodic = Vec::with_capacity(m.periodic_fees.len());
            for (j, p) in m.periodic_fees.iter().enumerate() {
                if !(1..=28).contains(&p.day_of_month) {
                    return Err(bad(
                        f(&format!("periodic_fees[{j}].day_of_month")),
                        "must be 1..=28",
                    ));
                }
                let amount = amount_to_minor(p.amount, e).map_err(|_| {
                    bad(
                        f(&format!("periodic_fees[{j}].amount")),
                        "not a non-negative amount",
                    )
                })?;
                periodic.push((p.description.clone(), amount, p.day_of_month));
            }
            let terms = Terms {
                cycle: m.cycle.unwrap_or(self.default_cycle),
                reserve: match &m.reserve {
                    Some(r) => reserve(&f("reserve"), r, currency)?,
                    None => default.reserve,
                },
                minimum: match m.minimum_payout {
                    Some(v) => amount_to_minor(v, e)
                        .map_err(|_| bad(f("minimum_payout"), "not a non-negative amount"))?,
                    None => minimum,
                },
                merchant_type: m.merchant_type.unwrap_or(MerchantType::Standard),
                periodic,
            };
            if merchants.insert(m.merchant_id.clone(), terms).is_some() {
                return Err(bad(f("merchant_id"), "merchant listed twice"));
            }
        }
        Ok(CompiledTerms {
            default,
            merchants,
            cutoff: self.cutoff,
        })
    }
}

impl CompiledTerms {
    pub(crate) fn of(&self, merchant: &str) -> &Terms {
        self.merchants.get(merchant).unwrap_or(&self.default)
    }
}

/// `amount × rate` rounded down (reserves never hold more than the rate says).
pub(crate) fn apply_rate_down(amount: i64, rate: i128) -> i64 {
    (i128::from(amount.max(0)) * rate / PICO) as i64
}

/// A whole acquirer configuration: pricing plus settlement terms (the inspector's
/// `--schedule FILE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettlementConfig {
    /// Pricing.
    pub pricing: PricingConfig,
    /// Settlement terms (defaults: T1, no reserve, no minimum).
    #[serde(default)]
    pub settlement: SettlementTerms,
}

impl SettlementConfig {
    /// Parses a JSON document.
    pub fn from_json(text: &str) -> Result<SettlementConfig, FeeScheduleError> {
        serde_json::from_str(text).map_err(|e| json_error(&e))
    }

    /// Parses a TOML document.
    pub fn from_toml(text: &str) -> Result<SettlementConfig, FeeScheduleError> {
        toml::from_str(text).map_err(|e| toml_error(text, &e))
    }

    /// Reads whichever configuration document an acquirer hands over: a full settlement config,
    /// a pricing config (default settlement terms), or a bare merchant fee schedule (default
    /// IC++ costs, no agents, default terms). When none fits, the error is the one from the
    /// reading that got furthest into the text, so its line and column point at the real
    /// mistake rather than at the first key a narrower reading did not expect.
    pub fn from_document(
        text: &str,
        format: ConfigFormat,
    ) -> Result<SettlementConfig, FeeScheduleError> {
        let parse = |what: Reading| match (what, format) {
            (Reading::Settlement, ConfigFormat::Json) => Self::from_json(text),
            (Reading::Settlement, ConfigFormat::Toml) => Self::from_toml(text),
            (Reading::Pricing, ConfigFormat::Json) => {
                PricingConfig::from_json(text).map(Self::with_default_terms)
            }
            (Reading::Pricing, ConfigFormat::Toml) => {
                PricingConfig::from_toml(text).map(Self::with_default_terms)
            }
            (Reading::Merchant, ConfigFormat::Json) => {
                FeeSchedule::from_json(text).map(Self::merchant_only)
            }
            (Reading::Merchant, ConfigFormat::Toml) => {
                FeeSchedule::from_toml(text).map(Self::merchant_only)
            }
        };
        let reach = |e: &FeeScheduleError| match e {
            FeeScheduleError::Parse { line, column, .. } => (*line, *column),
            _ => (0, 0),
        };
        let mut best = match parse(Reading::Settlement) {
            Ok(config) => return Ok(config),
            Err(e) => e,
        };
        for what in [Reading::Pricing, Reading::Merchant] {
            match parse(what) {
                Ok(config) => return Ok(config),
                Err(e) if reach(&e) > reach(&best) => best = e,
                Err(_) => {}
            }
        }
        Err(best)
    }

    fn with_default_terms(pricing: PricingConfig) -> SettlementConfig {
        SettlementConfig {
            pricing,
            settlement: SettlementTerms::default(),
        }
    }

    fn merchant_only(merchant: FeeSchedule) -> SettlementConfig {
        Self::with_default_terms(PricingConfig {
            merchant,
            costs: Default::default(),
            agents: Vec::new(),
            direct_agent: None,
            allow_agent_profit_above_margin: false,
            d0: None,
        })
    }
}

/// The syntax of a configuration document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFormat {
    /// JSON.
    Json,
    /// TOML.
    Toml,
}

impl ConfigFormat {
    /// TOML for a `.toml` path, JSON otherwise.
    pub fn from_path(path: &str) -> ConfigFormat {
        if path.ends_with(".toml") {
            ConfigFormat::Toml
        } else {
            ConfigFormat::Json
        }
    }
}

/// The three documents [`SettlementConfig::from_document`] tries, widest first.
#[derive(Clone, Copy)]
enum Reading {
    Settlement,
    Pricing,
    Merchant,
}
