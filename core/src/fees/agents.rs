//! Agent profit sharing (分润) and activation rewards (激活返现).
//!
//! Agents form a tree (any depth). Each agent has its own cost schedule — the price the level
//! above charges it, by card type and channel, **with caps applied at every level** — and a
//! share ratio. For a transaction with merchant fee `F`, writing `C_i` for level `i`'s cost
//! (level 1 = the merchant's direct agent) and `r_i` for its ratio, and
//! `G_i = round((F − C_i) × r_i)`:
//!
//! * direct agent: `P_1 = G_1`;
//! * each upper level: `P_i = G_i − G_{i−1}` = `(F − C_i) × r_i − (F − C_{i−1}) × r_{i−1}`.
//!
//! With 100 % ratios this telescopes to `amount × (lower cost rate − own cost rate)`, and
//! `Σ P = G_top` exactly, in integer minor units, because each `G` is rounded once.

use super::exact::{PICO, rate_to_pico, round_div};
use super::schedule::{CompiledSchedule, FeeRule, FeeScheduleError, PricingInput, compile_rules};
use super::{FeeError, RefundFeePolicy};
use crate::money::{Currency, Rounding};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most agents in one tree.
pub const MAX_AGENTS: usize = 1_000_000;

/// One agent as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// Unique agent id.
    pub id: String,
    /// The agent above (None for a top-level agent under the acquirer).
    #[serde(default)]
    pub parent: Option<String>,
    /// Share ratio in [0, 1] (1 = 100 %).
    pub share_ratio: Decimal,
    /// The agent's cost (底价) rules for card transactions.
    pub cost: Vec<FeeRule>,
    /// The agent's cost rules for D0 advance fees (empty: the agent earns nothing on D0).
    #[serde(default)]
    pub d0_cost: Vec<FeeRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CompiledAgent {
    id: String,
    parent: Option<u32>,
    ratio: i128,
    cost: CompiledSchedule,
    d0_cost: Option<CompiledSchedule>,
}

/// A validated agent tree.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentTree {
    agents: Vec<CompiledAgent>,
    index: HashMap<String, u32>,
}

/// One level's share of one transaction's fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentProfit {
    /// Index of the agent in the tree ([`AgentTree::agent_id`] gives its id).
    pub agent: u32,
    /// Level: 1 = the merchant's direct agent.
    pub level: u8,
    /// The agent's cost for this transaction (minor units, cap applied).
    pub cost_minor: i64,
    /// The agent's profit (minor units; negative if its cost exceeds the merchant fee).
    pub profit_minor: i64,
}

impl AgentTree {
    /// Validates and compiles agents priced in `currency` with `rounding`.
    pub fn compile(
        specs: &[AgentSpec],
        currency: Currency,
        rounding: Rounding,
    ) -> Result<AgentTree, FeeScheduleError> {
        if specs.len() > MAX_AGENTS {
            return Err(FeeScheduleError::TooMany {
                what: "agents",
                count: specs.len(),
                limit: MAX_AGENTS,
            });
        }
        let mut index = HashMap::with_capacity(specs.len());
        for (i, s) in specs.iter().enumerate() {
            if index.insert(s.id.clone(), i as u32).is_some() {
                return Err(FeeScheduleError::InvalidAgent {
                    agent: s.id.clone(),
                    reason: "duplicate agent id".into(),
                });
            }
        }
        let mut agents = Vec::with_capacity(specs.len());
        for s in specs {
            let bad = |reason: String| FeeScheduleError::InvalidAgent {
                agent: s.id.clone(),
                reason,
            };
            let parent = match &s.parent {
                None => None,
                Some(p) => Some(
                    *index
                        .get(p)
                        .ok_or_else(|| bad(format!("parent {p:?} is not an agent")))?,
                ),
            };
            let ratio = rate_to_pico(s.share_ratio)
                .map_err(|_| bad(format!("share_ratio {} is not in [0, 1]", s.share_ratio)))?;
            let name = format!("agent {}", s.id);
            let cost = compile_rules(&name, currency, rounding, RefundFeePolicy::None, &s.cost)?;
            let d0_cost = if s.d0_cost.is_empty() {
                None
            } else {
                Some(compile_rules(
                    &format!("agent {} d0", s.id),
                    currency,
                    rounding,
                    RefundFeePolicy::None,
                    &s.d0_cost,
                )?)
            };
            agents.push(CompiledAgent {
                id: s.id.clone(),
                parent,
                ratio,
                cost,
                d0_cost,
            });
        }
        let tree = AgentTree { agents, index };
        for (i, a) in tree.agents.iter().enumerate() {
            let mut steps = 0usize;
            let mut at = Some(i as u32);
            while let Some(j) = at {
                steps += 1;
                if steps > tree.agents.len() {
                    return Err(FeeScheduleError::InvalidAgent {
                        agent: a.id.clone(),
                        reason: "the parent chain has a cycle".into(),
                    });
                }
                at = tree.agents[j as usize].parent;
            }
        }
        Ok(tree)
    }

    /// Number of agents.
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// True when there are no agents.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    /// The index of agent `id`.
    pub fn lookup(&self, id: &str) -> Result<u32, FeeError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| FeeError::UnknownAgent {
                agent: id.to_owned(),
            })
    }

    /// The id of the agent at `index`.
    pub fn agent_id(&self, index: u32) -> &str {
        self.agents
            .get(index as usize)
            .map_or("", |a| a.id.as_str())
    }

    /// Shares merchant fee `fee_minor` along the chain from `direct` to the top, appending one
    /// [`AgentProfit`] per level to `out`. Returns Σ profits (= `G_top`).
    pub fn share(
        &self,
        direct: u32,
        fee_minor: i64,
        input: &PricingInput,
        out: &mut Vec<AgentProfit>,
    ) -> Result<i64, FeeError> {
        self.share_with(direct, fee_minor, input, out, |a| Some(&a.cost))
    }

    /// Shares a D0 advance fee the same way, with each level's D0 cost rules applied to the
    /// advanced amount (`input.amount_minor`). Levels without D0 rules earn nothing.
    pub fn share_d0(
        &self,
        direct: u32,
        d0_fee_minor: i64,
        input: &PricingInput,
        out: &mut Vec<AgentProfit>,
    ) -> Result<i64, FeeError> {
        self.share_with(direct, d0_fee_minor, input, out, |a| a.d0_cost.as_ref())
    }

    fn share_with(
        &self,
        direct: u32,
        fee: i64,
        input: &PricingInput,
        out: &mut Vec<AgentProfit>,
        schedule: impl Fn(&CompiledAgent) -> Option<&CompiledSchedule>,
    ) -> Result<i64, FeeError> {
        let mut at = Some(direct);
        let mut level = 0u8;
        let mut g_prev: i64 = 0;
        while let Some(i) = at {
            let agent = self
                .agents
                .get(i as usize)
                .ok_or_else(|| FeeError::UnknownAgent {
                    agent: format!("#{i}"),
                })?;
            level = level.saturating_add(1);
            let (cost, g) = match schedule(agent) {
                Some(s) => {
                    let cost = s.fee(input)?.minor;
                    let exact = i128::from(fee - cost) * agent.ratio;
                    let g = round_div(exact, PICO, s.rounding()) as i64;
                    (cost, g)
                }
                None => (fee, g_prev),
            };
            let profit = g.checked_sub(g_prev).ok_or_else(|| FeeError::Overflow {
                rule: format!("agent {}", agent.id),
            })?;
            out.push(AgentProfit {
                agent: i,
                level,
                cost_minor: cost,
                profit_minor: profit,
            });
            g_prev = g;
            at = agent.parent;
        }
        Ok(g_prev)
    }
}

/// An activation reward rule (激活返现): a fixed amount per device activated within a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationPolicy {
    /// Reward per activated device, minor units.
    pub reward_minor: i64,
    /// Activation deadline (激活期限): days after the device was bound to the agent.
    pub window_days: u32,
}

/// A device handed to an agent and, perhaps, activated by a merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceActivation {
    /// Device serial number (SN).
    pub serial: String,
    /// The agent the device was bound to.
    pub agent_id: String,
    /// The date the device was bound to the agent.
    pub bound_on: NaiveDate,
    /// The activation date (first qualifying transaction), if any.
    pub activated_on: Option<NaiveDate>,
}

/// A reward decision for one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationReward {
    /// Device serial.
    pub serial: String,
    /// Rewarded agent.
    pub agent_id: String,
    /// Reward (0 if not earned).
    pub reward_minor: i64,
    /// The last day activation counted.
    pub deadline: NaiveDate,
    /// Why no reward, if none.
    pub reason: Option<String>,
}

impl ActivationPolicy {
    /// Decides the reward of every device; each serial is rewarded at most once (a repeated
    /// serial is an error naming its position).
    pub fn rewards(
        &self,
        devices: &[DeviceActivation],
    ) -> Result<Vec<ActivationReward>, FeeScheduleError> {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(devices.len());
        let mut out = Vec::with_capacity(devices.len());
        for (i, d) in devices.iter().enumerate() {
            if let Some(first) = seen.insert(d.serial.as_str(), i) {
                return Err(FeeScheduleError::InvalidParameter {
                    field: format!("devices[{i}].serial"),
                    reason: format!("serial {:?} already listed at devices[{first}]", d.serial),
                });
            }
            let deadline = d
                .bound_on
                .checked_add_days(chrono::Days::new(u64::from(self.window_days)))
                .ok_or_else(|| FeeScheduleError::InvalidParameter {
                    field: format!("devices[{i}].bound_on"),
                    reason: "deadline out of range".into(),
                })?;
            let (reward, reason) = match d.activated_on {
                None => (0, Some("not activated".to_owned())),
                Some(a) if a < d.bound_on => (0, Some("activated before binding".to_owned())),
                Some(a) if a > deadline => {
                    (0, Some(format!("activated after deadline {deadline}")))
                }
                Some(_) => (self.reward_minor, None),
            };
            out.push(ActivationReward {
                serial: d.serial.clone(),
                agent_id: d.agent_id.clone(),
                reward_minor: reward,
                deadline,
                reason,
            });
        }
        Ok(out)
    }
}
