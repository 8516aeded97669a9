#![no_main]
//! Settlement CSV from arbitrary bytes: the reader must return records or a positioned error,
//! never panic; records that parse are settled against a fixed pricing config.

use paycore::calendar::{Calendar, UncoveredYears};
use paycore::fees::{
    CostModel, FeeFormula, FeeRule, FeeSchedule, PricingConfig, PricingEngine, RefundFeePolicy,
};
use paycore::money::Rounding;
use paycore::settlement::csv::read_records;
use paycore::settlement::{CarryState, SettlementTerms, settle};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(records) = read_records(text, 1000) else {
        return;
    };
    let mut rule = FeeRule::new(
        "all",
        FeeFormula::Percentage {
            rate: rust_decimal::Decimal::new(6, 3),
        },
    );
    rule.cap = Some(rust_decimal::Decimal::new(2000, 2));
    let config = PricingConfig {
        merchant: FeeSchedule {
            name: "fuzz".into(),
            currency: "CNY".into(),
            rounding: Rounding::HalfUp,
            refund_policy: RefundFeePolicy::ProRata,
            rules: vec![rule],
        },
        costs: CostModel::china_2016(),
        agents: vec![],
        direct_agent: None,
        allow_agent_profit_above_margin: false,
        d0: None,
    };
    let engine = PricingEngine::new(&config).expect("fixed config");
    let terms = SettlementTerms::default()
        .compile(engine.currency())
        .expect("default terms");
    let calendar = Calendar::china().with_uncovered_years(UncoveredYears::WeekdayFallback);
    if let Ok(run) = settle(&records, &engine, &terms, &calendar, &CarryState::default()) {
        for b in &run.batches {
            let sum: i64 = b.lines.iter().map(|l| l.amount_minor).sum();
            assert_eq!(sum, b.net_minor);
        }
    }
});
