//! The whole price of a transaction: merchant fee, IC++ costs, margin, agent shares.

use super::FeeError;
use super::agents::{AgentProfit, AgentSpec, AgentTree};
use super::cost::CostModel;
use super::d0::{CompiledD0, D0Pricing};
use super::schedule::{
    CompiledSchedule, FeeSchedule, FeeScheduleError, PricingInput, RefundFeePolicy, compile_rules,
    json_error, toml_error,
};
use crate::money::{Currency, Money, Rounding};
use serde::{Deserialize, Serialize};

/// Everything needed to price a transaction, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricingConfig {
    /// The merchant fee schedule (its currency and rounding apply to every part).
    pub merchant: FeeSchedule,
    /// Cost components (default: the 2016 China rules).
    #[serde(default)]
    pub costs: CostModel,
    /// The agent tree (may be empty).
    #[serde(default)]
    pub agents: Vec<AgentSpec>,
    /// The merchant's direct agent when none is given per transaction.
    #[serde(default)]
    pub direct_agent: Option<String>,
    /// Allow Σ agent profits above the acquirer margin (otherwise an error).
    #[serde(default)]
    pub allow_agent_profit_above_margin: bool,
    /// D0 terms, if D0 is offered.
    #[serde(default)]
    pub d0: Option<D0Pricing>,
}

impl PricingConfig {
    /// Parses a JSON document.
    pub fn from_json(text: &str) -> Result<PricingConfig, FeeScheduleError> {
        serde_json::from_str(text).map_err(|e| json_error(&e))
    }

    /// Parses a TOML document.
    pub fn from_toml(text: &str) -> Result<PricingConfig, FeeScheduleError> {
        toml::from_str(text).map_err(|e| toml_error(text, &e))
    }
}

/// A compiled [`PricingConfig`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingEngine {
    merchant: CompiledSchedule,
    issuer: CompiledSchedule,
    network: CompiledSchedule,
    brand: Option<CompiledSchedule>,
    agents: AgentTree,
    direct_agent: Option<u32>,
    allow_above_margin: bool,
    d0: Option<CompiledD0>,
}

/// The breakdown of one transaction's fee, in minor units of the schedule's currency.
///
/// Invariant: `merchant_fee = issuer + network + brand + Σ agents.profit + acquirer_share`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeQuote {
    /// Transaction amount.
    pub amount_minor: i64,
    /// Merchant fee (MDR).
    pub merchant_fee_minor: i64,
    /// Index of the merchant rule used ([`PricingEngine::merchant_rule_id`]).
    pub merchant_rule: u32,
    /// Issuer service fee.
    pub issuer_fee_minor: i64,
    /// Network service fee (acquirer's share).
    pub network_fee_minor: i64,
    /// Brand service fee.
    pub brand_fee_minor: i64,
    /// Merchant fee − costs.
    pub margin_minor: i64,
    /// One entry per agent level, direct agent first.
    pub agents: Vec<AgentProfit>,
    /// What the acquirer keeps: margin − Σ agent profits.
    pub acquirer_share_minor: i64,
}

/// A [`FeeQuote`] with names and decimal amounts, for JSON output and bindings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteReport {
    /// Currency code.
    pub currency: String,
    /// Amount, e.g. "10000.00".
    pub amount: String,
    /// Merchant fee.
    pub merchant_fee: String,
    /// Merchant rule id.
    pub merchant_rule: String,
    /// Cost parts.
    pub costs: CostReport,
    /// Margin.
    pub margin: String,
    /// Agents, direct first.
    pub agents: Vec<AgentReport>,
    /// Acquirer share.
    pub acquirer_share: String,
}

/// Cost parts of a [`QuoteReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostReport {
    /// Issuer fee.
    pub issuer: String,
    /// Network fee.
    pub network: String,
    /// Brand fee.
    pub brand: String,
    /// Sum.
    pub total: String,
}

/// One agent of a [`QuoteReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentReport {
    /// Agent id.
    pub agent: String,
    /// Level (1 = direct).
    pub level: u8,
    /// Agent cost.
    pub cost: String,
    /// Agent profit.
    pub profit: String,
}

impl PricingEngine {
    /// Validates and compiles a configuration.
    pub fn new(config: &PricingConfig) -> Result<PricingEngine, FeeScheduleError> {
        let merchant = config.merchant.compile()?;
        let currency = merchant.currency();
        let rounding = merchant.rounding();
        let part = |name: &str, rules| {
            compile_rules(name, currency, rounding, RefundFeePolicy::None, rules)
        };
        let issuer = part("issuer", &config.costs.issuer)?;
        let network = part("network", &config.costs.network)?;
        let brand = if config.costs.brand.is_empty() {
            None
        } else {
            Some(part("brand", &config.costs.brand)?)
        };
        let agents = AgentTree::compile(&config.agents, currency, rounding)?;
        let direct_agent = match &config.direct_agent {
            None => None,
            Some(id) => Some(
                agents
                    .lookup(id)
                    .map_err(|_| FeeScheduleError::InvalidAgent {
                        agent: id.clone(),
                        reason: "direct_agent is not in agents".into(),
                    })?,
            ),
        };
        let d0 = config
            .d0
            .as_ref()
            .map(|d| d.compile(currency, rounding))
            .transpose()?;
        Ok(PricingEngine {
            merchant,
            issuer,
            network,
            brand,
            agents,
            direct_agent,
            allow_above_margin: config.allow_agent_profit_above_margin,
            d0,
        })
    }

    /// The pricing currency.
    pub fn currency(&self) -> Currency {
        self.merchant.currency()
    }

    /// The rounding mode.
    pub fn rounding(&self) -> Rounding {
        self.merchant.rounding()
    }

    /// The merchant schedule.
    pub fn merchant_schedule(&self) -> &CompiledSchedule {
        &self.merchant
    }

    /// The agent tree.
    pub fn agents(&self) -> &AgentTree {
        &self.agents
    }

    /// The default direct agent.
    pub fn direct_agent(&self) -> Option<u32> {
        self.direct_agent
    }

    /// D0 terms, if configured.
    pub fn d0(&self) -> Option<&CompiledD0> {
        self.d0.as_ref()
    }

    /// The id of merchant rule `index`.
    pub fn merchant_rule_id(&self, index: u32) -> &str {
        self.merchant.rule_id(index)
    }

    /// Prices one transaction; `agent` overrides the configured direct agent (`None`: use it).
    pub fn quote(&self, input: &PricingInput, agent: Option<u32>) -> Result<FeeQuote, FeeError> {
        let mut agents = Vec::new();
        let q = self.quote_into(input, agent, &mut agents)?;
        Ok(FeeQuote { agents, ..q })
    }

    /// Like [`PricingEngine::quote`] but appends agent shares to a caller-owned buffer (no
    /// allocation per transaction in bulk runs); the returned quote's `agents` is empty.
    pub fn quote_into(
        &self,
        input: &PricingInput,
        agent: Option<u32>,
        agents: &mut Vec<AgentProfit>,
    ) -> Result<FeeQuote, FeeError> {
        let merchant = self.merchant.fee(input)?;
        let issuer = self.issuer.fee(input)?.minor;
        let network = self.network.fee(input)?.minor;
        let brand = match &self.brand {
            Some(b) => b.fee(input)?.minor,
            None => 0,
        };
        let fee = merchant.minor;
        let overflow = || FeeError::Overflow {
            rule: self.merchant_rule_id(merchant.rule).to_owned(),
        };
        let margin = fee
            .checked_sub(issuer)
            .and_then(|m| m.checked_sub(network))
            .and_then(|m| m.checked_sub(brand))
            .ok_or_else(overflow)?;
        let shared = match agent.or(self.direct_agent) {
            Some(direct) => {
                let start = agents.len();
                let total = self.agents.share(direct, fee, input, agents)?;
                if total > margin && !self.allow_above_margin {
                    let top = agents.last().map_or(direct, |a| a.agent);
                    agents.truncate(start);
                    return Err(FeeError::AgentProfitExceedsMargin {
                        agent: self.agents.agent_id(top).to_owned(),
                        profit_minor: total,
                        margin_minor: margin,
                    });
                }
                total
            }
            None => 0,
        };
        Ok(FeeQuote {
            amount_minor: input.amount_minor,
            merchant_fee_minor: fee,
            merchant_rule: merchant.rule,
            issuer_fee_minor: issuer,
            network_fee_minor: network,
            brand_fee_minor: brand,
            margin_minor: margin,
            agents: Vec::new(),
            acquirer_share_minor: margin.checked_sub(shared).ok_or_else(overflow)?,
        })
    }

    /// Names and formats a quote.
    pub fn report(&self, q: &FeeQuote) -> QuoteReport {
        let c = self.currency();
        let m = |minor: i64| Money::from_minor(minor, c).to_plain_string();
        QuoteReport {
            currency: c.alpha().to_owned(),
            amount: m(q.amount_minor),
            merchant_fee: m(q.merchant_fee_minor),
            merchant_rule: self.merchant_rule_id(q.merchant_rule).to_owned(),
            costs: CostReport {
                issuer: m(q.issuer_fee_minor),
                network: m(q.network_fee_minor),
                brand: m(q.brand_fee_minor),
                total: m(q.issuer_fee_minor + q.network_fee_minor + q.brand_fee_minor),
            },
            margin: m(q.margin_minor),
            agents: q
                .agents
                .iter()
                .map(|a| AgentReport {
                    agent: self.agents.agent_id(a.agent).to_owned(),
                    level: a.level,
                    cost: m(a.cost_minor),
                    profit: m(a.profit_minor),
                })
                .collect(),
            acquirer_share: m(q.acquirer_share_minor),
        }
    }
}
