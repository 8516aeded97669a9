#![no_main]
//! Fee schedules and whole settlement configs from arbitrary JSON: parsing and compiling must
//! never panic, and a compiled schedule must price any amount without panicking.

use paycore::fees::{CardType, Channel, FeeSchedule, MerchantType, PricingEngine, PricingInput};
use paycore::settlement::SettlementConfig;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(schedule) = FeeSchedule::from_json(text)
        && let Ok(compiled) = schedule.compile()
    {
        for &amount in &[0i64, 1, 999, 1_000_000, i64::MAX / 4, i64::MAX] {
            for &card in CardType::ALL {
                let _ = compiled.fee(&PricingInput {
                    amount_minor: amount,
                    card,
                    channel: Channel::Chip,
                    merchant_type: MerchantType::Standard,
                    monthly_volume_minor: amount,
                });
            }
        }
    }
    if let Ok(config) = SettlementConfig::from_json(text)
        && let Ok(engine) = PricingEngine::new(&config.pricing)
    {
        let _ = config.settlement.compile(engine.currency());
        let _ = engine.quote(
            &PricingInput {
                amount_minor: 1_000_000,
                card: CardType::Debit,
                channel: Channel::Qr,
                merchant_type: MerchantType::Standard,
                monthly_volume_minor: 0,
            },
            None,
        );
    }
});
