//! Fee engine: worked examples from the reference (caps, rounding, 2016 costs, 分润
//! telescoping), validation errors, and properties.

use paycore::fees::{
    ActivationPolicy, AgentSpec, CardType, Channel, CostModel, D0Error, D0Request,
    DeviceActivation, FeeError, FeeFormula, FeeRule, FeeSchedule, FeeScheduleError, MerchantType,
    PricingConfig, PricingEngine, PricingInput, RefundFeePolicy, refund_fee_returned,
};
use paycore::money::Rounding;
use proptest::prelude::*;
use rust_decimal::Decimal;

const EXAMPLE: &str = include_str!("../../examples/data/fee-schedule.json");

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn input(amount_minor: i64, card: CardType, channel: Channel) -> PricingInput {
    PricingInput {
        amount_minor,
        card,
        channel,
        merchant_type: MerchantType::Standard,
        monthly_volume_minor: 0,
    }
}

fn pct(id: &str, rate: &str) -> FeeRule {
    FeeRule::new(id, FeeFormula::Percentage { rate: dec(rate) })
}

fn schedule(rules: Vec<FeeRule>) -> FeeSchedule {
    FeeSchedule {
        name: "test".into(),
        currency: "CNY".into(),
        rounding: Rounding::HalfUp,
        refund_policy: RefundFeePolicy::ProRata,
        rules,
    }
}

fn debit_credit() -> FeeSchedule {
    let mut debit = pct("debit", "0.006");
    debit.card_types = vec![CardType::Debit];
    debit.cap = Some(dec("20.00"));
    let mut credit = pct("credit", "0.006");
    credit.card_types = vec![CardType::Credit, CardType::QuasiCredit, CardType::Prepaid];
    schedule(vec![debit, credit])
}

fn example_engine() -> PricingEngine {
    let doc: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let config = PricingConfig::from_json(&doc["pricing"].to_string()).unwrap();
    PricingEngine::new(&config).unwrap()
}

#[test]
fn debit_cap_worked_example() {
    // Reference §3.3: debit 0.60 % capped at 20.00; credit uncapped.
    let s = debit_credit().compile().unwrap();
    let fee = |a, c| s.fee(&input(a, c, Channel::Chip)).unwrap().minor;
    assert_eq!(fee(1_000_000, CardType::Debit), 2_000);
    assert_eq!(fee(1_000_000, CardType::Credit), 6_000);
    assert_eq!(fee(333_333, CardType::Debit), 2_000); // 19.99998 → 20.00
    assert_eq!(fee(333_250, CardType::Debit), 2_000); // 1999.5 fen → 2000 (half up)
    assert_eq!(fee(333_249, CardType::Debit), 1_999); // 1999.494 fen
}

#[test]
fn rounding_worked_example() {
    // Reference §3.4: 7.50 × 0.60 % = 4.5 fen.
    for (mode, want) in [
        (Rounding::HalfUp, 5),
        (Rounding::HalfEven, 4),
        (Rounding::Down, 4),
        (Rounding::Ceiling, 5),
    ] {
        let mut s = schedule(vec![pct("all", "0.006")]);
        s.rounding = mode;
        let c = s.compile().unwrap();
        assert_eq!(
            c.fee(&input(750, CardType::Debit, Channel::Chip))
                .unwrap()
                .minor,
            want,
            "{mode:?}"
        );
    }
}

#[test]
fn china_2016_costs() {
    let engine = example_engine();
    let q = engine
        .quote(&input(1_000_000, CardType::Debit, Channel::Chip), None)
        .unwrap();
    assert_eq!(q.merchant_fee_minor, 2_000);
    assert_eq!(q.issuer_fee_minor, 1_300); // 0.35 % = 35.00 → cap 13.00
    assert_eq!(q.network_fee_minor, 325); // 0.0325 % = 3.25
    assert_eq!(q.margin_minor, 375);
    // Agents: costs 18.00 / 17.00 / 16.50 (caps at every level); ratios 0.8 / 1 / 1.
    let profits: Vec<(u8, i64, i64)> = q
        .agents
        .iter()
        .map(|a| (a.level, a.cost_minor, a.profit_minor))
        .collect();
    // G1 = (20 − 18) × 0.8 = 1.60; G2 = 20 − 17 = 3.00; G3 = 20 − 16.5 = 3.50.
    assert_eq!(
        profits,
        vec![(1, 1_800, 160), (2, 1_700, 140), (3, 1_650, 50)]
    );
    assert_eq!(q.acquirer_share_minor, 375 - 350);
    let credit = engine
        .quote(&input(1_000_000, CardType::Credit, Channel::Chip), None)
        .unwrap();
    assert_eq!(credit.issuer_fee_minor, 4_500);
    assert_eq!(credit.network_fee_minor, 325);
    assert_eq!(credit.merchant_fee_minor, 6_000);
    // Small amount: 100.00 debit → issuer 0.35, network 0.0325 → 0.03.
    let small = engine
        .quote(&input(10_000, CardType::Debit, Channel::Chip), None)
        .unwrap();
    assert_eq!((small.issuer_fee_minor, small.network_fee_minor), (35, 3));
    let built_in = CostModel::china_2016();
    assert_eq!(built_in.issuer.len(), 3);
}

#[test]
fn telescoping_with_full_ratios() {
    // 分润 = amount × (lower cost rate − own cost rate) with 100 % ratios.
    let agent = |id: &str, parent: Option<&str>, rate: &str| AgentSpec {
        id: id.into(),
        parent: parent.map(Into::into),
        share_ratio: Decimal::ONE,
        cost: vec![pct("c", rate)],
        d0_cost: vec![],
    };
    let config = PricingConfig {
        merchant: schedule(vec![pct("m", "0.0060")]),
        costs: CostModel::china_2016(),
        agents: vec![
            agent("top", None, "0.0050"),
            agent("mid", Some("top"), "0.0053"),
            agent("low", Some("mid"), "0.0056"),
        ],
        direct_agent: Some("low".into()),
        allow_agent_profit_above_margin: false,
        d0: None,
    };
    let engine = PricingEngine::new(&config).unwrap();
    let q = engine
        .quote(&input(1_000_000, CardType::Credit, Channel::Chip), None)
        .unwrap();
    let p: Vec<i64> = q.agents.iter().map(|a| a.profit_minor).collect();
    assert_eq!(p, vec![400, 300, 300]); // 0.04 %, 0.03 %, 0.03 % of 10 000
    // Margin 60 − 45 − 3.25 = 11.75; agents 10.00.
    assert_eq!(q.acquirer_share_minor, 1_175 - 1_000);
    let report = engine.report(&q);
    assert_eq!(report.agents[0].agent, "low");
    assert_eq!(report.merchant_fee, "60.00");
    assert_eq!(report.costs.total, "48.25");
}

#[test]
fn agent_profit_above_margin_is_refused_unless_allowed() {
    let agent = AgentSpec {
        id: "a".into(),
        parent: None,
        share_ratio: Decimal::ONE,
        cost: vec![pct("c", "0.001")],
        d0_cost: vec![],
    };
    let mut config = PricingConfig {
        merchant: schedule(vec![pct("m", "0.006")]),
        costs: CostModel::china_2016(),
        agents: vec![agent],
        direct_agent: Some("a".into()),
        allow_agent_profit_above_margin: false,
        d0: None,
    };
    let engine = PricingEngine::new(&config).unwrap();
    let err = engine
        .quote(&input(1_000_000, CardType::Credit, Channel::Chip), None)
        .unwrap_err();
    assert!(matches!(
        err,
        FeeError::AgentProfitExceedsMargin {
            profit_minor: 5_000,
            margin_minor: 1_175,
            ..
        }
    ));
    config.allow_agent_profit_above_margin = true;
    let q = PricingEngine::new(&config)
        .unwrap()
        .quote(&input(1_000_000, CardType::Credit, Channel::Chip), None)
        .unwrap();
    assert_eq!(q.acquirer_share_minor, 1_175 - 5_000);
}

#[test]
fn shapes() {
    let mut bands = FeeRule::new(
        "bands",
        FeeFormula::AmountBands {
            bands: vec![
                paycore::fees::Band {
                    up_to: Some(dec("1000.00")),
                    rate: dec("0.0038"),
                    fixed: Decimal::ZERO,
                },
                paycore::fees::Band {
                    up_to: None,
                    rate: dec("0.006"),
                    fixed: dec("0.10"),
                },
            ],
        },
    );
    bands.channels = vec![Channel::Qr];
    let mut tiers = FeeRule::new(
        "volume",
        FeeFormula::VolumeTiers {
            tiers: vec![
                paycore::fees::VolumeTier {
                    from_volume: Decimal::ZERO,
                    rate: dec("0.006"),
                    fixed: Decimal::ZERO,
                },
                paycore::fees::VolumeTier {
                    from_volume: dec("1000000.00"),
                    rate: dec("0.005"),
                    fixed: Decimal::ZERO,
                },
            ],
        },
    );
    tiers.channels = vec![Channel::Chip];
    let mut step = FeeRule::new(
        "step",
        FeeFormula::Step {
            fee: dec("2.50"),
            per: dec("20000.00"),
        },
    );
    step.channels = vec![Channel::Swipe];
    let mut fixed_pct = FeeRule::new(
        "fixed+pct",
        FeeFormula::PercentagePlusFixed {
            rate: dec("0.003"),
            fixed: dec("0.50"),
        },
    );
    fixed_pct.channels = vec![Channel::Contactless];
    fixed_pct.floor = Some(dec("1.00"));
    fixed_pct.threshold = Some(dec("10.00"));
    let s = schedule(vec![bands, tiers, step, fixed_pct])
        .compile()
        .unwrap();
    let fee = |a, ch, vol| {
        s.fee(&PricingInput {
            monthly_volume_minor: vol,
            ..input(a, CardType::Debit, ch)
        })
        .unwrap()
        .minor
    };
    assert_eq!(fee(99_999, Channel::Qr, 0), 380); // 999.99 × 0.38 % = 3.79996
    assert_eq!(fee(100_000, Channel::Qr, 0), 610); // 1000 × 0.6 % + 0.10
    assert_eq!(fee(100_000, Channel::Chip, 0), 600);
    assert_eq!(fee(100_000, Channel::Chip, 100_000_000), 500);
    assert_eq!(fee(2_000_000, Channel::Swipe, 0), 250);
    assert_eq!(fee(2_000_001, Channel::Swipe, 0), 500);
    assert_eq!(fee(0, Channel::Swipe, 0), 0);
    assert_eq!(fee(1_000, Channel::Contactless, 0), 0); // at the threshold: no fee
    assert_eq!(fee(1_001, Channel::Contactless, 0), 100); // floor 1.00
    assert_eq!(fee(100_000, Channel::Contactless, 0), 350); // 0.50 + 3.00
    let err = s
        .fee(&input(100, CardType::Debit, Channel::SmallAmountNoPin))
        .unwrap_err();
    assert!(matches!(err, FeeError::NoRuleMatches { .. }));
}

#[test]
fn validation_errors_name_the_rule_and_field() {
    let mut over = schedule(vec![pct("a", "0.006"), pct("b", "0.005")]);
    assert_eq!(
        over.compile().unwrap_err(),
        FeeScheduleError::OverlappingRules {
            first: "a".into(),
            second: "b".into()
        }
    );
    over.rules[1].priority = 1; // explicit precedence resolves the overlap
    assert!(over.compile().is_ok());
    let err = schedule(vec![pct("r", "1.5")]).compile().unwrap_err();
    assert!(
        matches!(err, FeeScheduleError::RateOutOfRange { ref rule, ref field, .. } if rule == "r" && field == "fee.rate")
    );
    let mut capped = pct("c", "0.006");
    capped.cap = Some(dec("1.00"));
    capped.floor = Some(dec("2.00"));
    assert!(matches!(
        schedule(vec![capped]).compile().unwrap_err(),
        FeeScheduleError::CapBelowFloor { .. }
    ));
    let mut fine = pct("f", "0.006");
    fine.cap = Some(dec("1.001"));
    assert!(matches!(
        schedule(vec![fine]).compile().unwrap_err(),
        FeeScheduleError::InvalidAmount { ref field, .. } if field == "cap"
    ));
    let mut cur = schedule(vec![pct("a", "0.006")]);
    cur.currency = "XYZ".into();
    assert!(matches!(
        cur.compile().unwrap_err(),
        FeeScheduleError::UnknownCurrency { .. }
    ));
    let json = r#"{"currency":"CNY","rules":[{"id":"x","card_types":["gold"],"fee":{"shape":"percentage","rate":"0.006"}}]}"#;
    let err = FeeSchedule::from_json(json).unwrap_err();
    assert!(
        matches!(
            err,
            FeeScheduleError::Parse {
                format: "json",
                line: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("gold"));
    let typo = r#"{"currency":"CNY","rules":[{"id":"x","fee":{"shape":"percentage","rate":"0.006"},"capp":"1"}]}"#;
    assert!(FeeSchedule::from_json(typo).is_err());
    assert!("gold".parse::<CardType>().is_err());
    assert_eq!(
        "quasi-credit".parse::<CardType>().unwrap(),
        CardType::QuasiCredit
    );
    let bad_band = FeeRule::new(
        "b",
        FeeFormula::AmountBands {
            bands: vec![paycore::fees::Band {
                up_to: Some(dec("10")),
                rate: dec("0.1"),
                fixed: Decimal::ZERO,
            }],
        },
    );
    assert!(matches!(
        schedule(vec![bad_band]).compile().unwrap_err(),
        FeeScheduleError::InvalidTiers { .. }
    ));
}

#[test]
fn toml_schedule() {
    let text = r#"
name = "toml"
currency = "CNY"
refund_policy = "full"

[[rules]]
id = "debit"
card_types = ["debit"]
cap = "20.00"
fee = { shape = "percentage", rate = "0.006" }

[[rules]]
id = "credit"
card_types = ["credit"]
fee = { shape = "percentage_plus_fixed", rate = "0.006", fixed = "0.10" }
"#;
    let s = FeeSchedule::from_toml(text).unwrap();
    assert_eq!(s.refund_policy, RefundFeePolicy::Full);
    let c = s.compile().unwrap();
    assert_eq!(
        c.fee(&input(1_000_000, CardType::Credit, Channel::Qr))
            .unwrap()
            .minor,
        6_010
    );
    let err = FeeSchedule::from_toml("currency = \"CNY\"\nrules = 5\n").unwrap_err();
    assert!(
        matches!(
            err,
            FeeScheduleError::Parse {
                format: "toml",
                line: 2,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn d0_pricing_and_limits() {
    let engine = example_engine();
    let d0 = engine.d0().unwrap();
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    let req = D0Request {
        available_minor: 1_000_000,
        requested_minor: Some(500_000),
        used_today_minor: 0,
        at: at("2026-03-10T10:00:00+08:00"),
    };
    let q = d0.quote(&req).unwrap();
    // 5 000.00 × 0.05 % = 2.50 + 3.00 per payout.
    assert_eq!(
        (q.rate_fee_minor, q.fixed_fee_minor, q.fee_minor),
        (250, 300, 550)
    );
    assert_eq!(q.net_paid_minor, 500_000 - 550);
    assert_eq!(q.remaining_balance_minor, 500_000);
    let all = d0
        .quote(&D0Request {
            requested_minor: None,
            ..req
        })
        .unwrap();
    assert_eq!(all.advanced_minor, 900_000); // 90 % of the balance
    assert!(matches!(
        d0.quote(&D0Request {
            at: at("2026-03-10T22:30:00+08:00"),
            ..req
        }),
        Err(D0Error::OutsideWindow { .. })
    ));
    // 23:30 UTC = 07:30 Beijing: inside the window.
    assert!(
        d0.quote(&D0Request {
            at: at("2026-03-09T23:30:00Z"),
            ..req
        })
        .is_ok()
    );
    assert!(matches!(
        d0.quote(&D0Request {
            requested_minor: Some(950_000),
            ..req
        }),
        Err(D0Error::ExceedsAdvanceable {
            advanceable_minor: 900_000,
            ..
        })
    ));
    assert!(matches!(
        d0.quote(&D0Request {
            requested_minor: Some(5_000),
            ..req
        }),
        Err(D0Error::BelowMinimum { .. })
    ));
    assert!(matches!(
        d0.quote(&D0Request {
            used_today_minor: 19_800_000,
            ..req
        }),
        Err(D0Error::DailyLimit { .. })
    ));
    // D0 fee shared along the agent chain with the D0 cost rates (0.04 / 0.03 / 0.02 %).
    let mut out = Vec::new();
    let direct = engine.direct_agent().unwrap();
    let total = engine
        .agents()
        .share_d0(
            direct,
            q.fee_minor,
            &input(500_000, CardType::Debit, Channel::Chip),
            &mut out,
        )
        .unwrap();
    let profits: Vec<i64> = out.iter().map(|a| a.profit_minor).collect();
    // G1 = (5.50 − 2.00) × 0.8 = 2.80; G2 = 5.50 − 1.50 = 4.00; G3 = 5.50 − 1.00 = 4.50.
    assert_eq!(profits, vec![280, 120, 50]);
    assert_eq!(total, 450);
}

#[test]
fn activation_rewards() {
    let d = |s: &str| s.parse().unwrap();
    let policy = ActivationPolicy {
        reward_minor: 9_900,
        window_days: 30,
    };
    let dev = |serial: &str, act: Option<&str>| DeviceActivation {
        serial: serial.into(),
        agent_id: "a".into(),
        bound_on: d("2026-03-01"),
        activated_on: act.map(d),
    };
    let out = policy
        .rewards(&[
            dev("SN1", Some("2026-03-31")),
            dev("SN2", Some("2026-04-01")),
            dev("SN3", None),
        ])
        .unwrap();
    assert_eq!(
        out.iter().map(|r| r.reward_minor).collect::<Vec<_>>(),
        vec![9_900, 0, 0]
    );
    assert_eq!(out[0].deadline, d("2026-03-31"));
    assert!(
        policy
            .rewards(&[dev("SN1", None), dev("SN1", None)])
            .is_err()
    );
}

fn arb_card() -> impl Strategy<Value = CardType> {
    prop::sample::select(CardType::ALL.to_vec())
}

fn arb_channel() -> impl Strategy<Value = Channel> {
    prop::sample::select(Channel::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn floor_le_fee_le_cap(
        amount in 0i64..10_000_000_000,
        rate in 0u32..20_000,
        floor in 0i64..500,
        extra in 0i64..5_000,
        mode in prop::sample::select(Rounding::ALL.to_vec()),
    ) {
        let mut r = FeeRule::new("r", FeeFormula::PercentagePlusFixed {
            rate: Decimal::new(i64::from(rate), 6), fixed: Decimal::new(7, 2) });
        r.floor = Some(Decimal::new(floor, 2));
        r.cap = Some(Decimal::new(floor + extra, 2));
        let mut s = schedule(vec![r]);
        s.rounding = mode;
        let fee = s.compile().unwrap().fee(&input(amount, CardType::Debit, Channel::Chip)).unwrap().minor;
        prop_assert!(floor <= fee && fee <= floor + extra);
    }

    #[test]
    fn quote_parts_sum_to_merchant_fee(
        amount in 0i64..5_000_000_000,
        card in arb_card(),
        channel in arb_channel(),
        rates in prop::collection::vec(3_000u32..7_000, 4),
        ratios in prop::collection::vec(0u32..=100, 3),
        caps in prop::collection::vec(1_000i64..4_000, 3),
        mode in prop::sample::select(Rounding::ALL.to_vec()),
    ) {
        let mut merchant = schedule(vec![{
            let mut r = pct("m", "0");
            r.fee = FeeFormula::Percentage { rate: Decimal::new(i64::from(rates[0]), 6) };
            r
        }]);
        merchant.rounding = mode;
        let ids = ["a1", "a2", "a3"];
        let agents = (0..3).map(|i| {
            let mut c = pct("c", "0");
            c.fee = FeeFormula::Percentage { rate: Decimal::new(i64::from(rates[i + 1]), 6) };
            c.cap = Some(Decimal::new(caps[i], 2));
            AgentSpec {
                id: ids[i].into(),
                parent: if i == 0 { None } else { Some(ids[i - 1].into()) },
                share_ratio: Decimal::new(i64::from(ratios[i]), 2),
                cost: vec![c],
                d0_cost: vec![],
            }
        }).collect();
        let config = PricingConfig {
            merchant,
            costs: CostModel::china_2016(),
            agents,
            direct_agent: Some("a3".into()),
            allow_agent_profit_above_margin: true,
            d0: None,
        };
        let engine = PricingEngine::new(&config).unwrap();
        let q = engine.quote(&input(amount, card, channel), None).unwrap();
        let agents: i64 = q.agents.iter().map(|a| a.profit_minor).sum();
        prop_assert_eq!(q.agents.len(), 3);
        prop_assert_eq!(
            agents + q.acquirer_share_minor + q.issuer_fee_minor + q.network_fee_minor + q.brand_fee_minor,
            q.merchant_fee_minor
        );
    }

    #[test]
    fn partial_refund_fees_do_not_drift(
        amount in 1i64..100_000_000,
        fee in 0i64..1_000_000,
        cuts in prop::collection::vec(1u32..1000, 1..8),
        policy in prop::sample::select(vec![RefundFeePolicy::None, RefundFeePolicy::ProRata, RefundFeePolicy::Full]),
        mode in prop::sample::select(Rounding::ALL.to_vec()),
    ) {
        let fee = fee.min(amount);
        let total: u64 = cuts.iter().map(|c| u64::from(*c)).sum();
        let mut refunded = 0i64;
        let mut returned = 0i64;
        for (i, c) in cuts.iter().enumerate() {
            let part = if i + 1 == cuts.len() {
                amount - refunded
            } else {
                (i128::from(amount) * i128::from(*c) / i128::from(total as u32)) as i64
            };
            let part = part.min(amount - refunded);
            let r = refund_fee_returned(policy, mode, amount, fee, refunded, part).unwrap();
            refunded += part;
            returned += r.returned_minor;
            // Cumulative returns equal the return computed in one go on the cumulative refund.
            let once = refund_fee_returned(policy, mode, amount, fee, 0, refunded).unwrap();
            prop_assert_eq!(returned, once.returned_minor);
            prop_assert!(returned <= fee && returned >= 0);
        }
        if policy != RefundFeePolicy::None {
            prop_assert_eq!(returned, fee);
        }
    }
}

/// Any of the three configuration documents loads; a broken one reports the line and column
/// of the reading that got furthest (here: the bad card type on line 3 of a bare schedule).
#[test]
fn configuration_documents_of_every_width() {
    use paycore::settlement::{ConfigFormat, SettlementConfig};
    let full = SettlementConfig::from_document(EXAMPLE, ConfigFormat::Json).unwrap();
    assert_eq!(full.pricing.agents.len(), 3);
    let doc: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let pricing = doc["pricing"].to_string();
    let p = SettlementConfig::from_document(&pricing, ConfigFormat::Json).unwrap();
    assert_eq!(p.pricing, full.pricing);
    assert_eq!(p.settlement, Default::default());
    let merchant = doc["pricing"]["merchant"].to_string();
    let m = SettlementConfig::from_document(&merchant, ConfigFormat::Json).unwrap();
    assert_eq!(m.pricing.merchant, full.pricing.merchant);
    assert!(m.pricing.agents.is_empty());
    let toml = "currency = \"CNY\"\n\n[[rules]]\nid = \"x\"\nfee = { shape = \"fixed\", amount = \"1.00\" }\n";
    let t = SettlementConfig::from_document(toml, ConfigFormat::Toml).unwrap();
    assert_eq!(t.pricing.merchant.rules.len(), 1);
    let bad = "{\"currency\": \"CNY\",\n \"rules\": [{\"id\": \"a\",\n \"card_types\": [\"gold\"], \"fee\": {\"shape\": \"fixed\", \"amount\": \"1\"}}]}";
    let err = SettlementConfig::from_document(bad, ConfigFormat::Json).unwrap_err();
    assert!(
        matches!(err, FeeScheduleError::Parse { line: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("gold"), "{err}");
    assert_eq!(ConfigFormat::from_path("a/b.toml"), ConfigFormat::Toml);
    assert_eq!(ConfigFormat::from_path("a/b.json"), ConfigFormat::Json);
}
