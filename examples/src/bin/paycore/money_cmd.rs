//! `paycore money …`: exact amount arithmetic from the command line.

use paycore::money::{Currency, Money, Rounding};
use rust_decimal::Decimal;
use serde_json::json;

const HELP: &str = "\
usage:
  paycore money parse AMOUNT CURRENCY
      exact parse (\"23.72\" CNY -> 2372 minor units); too many decimals is an error
  paycore money rate AMOUNT CURRENCY RATE --rounding MODE
      AMOUNT x RATE rounded once; MODE: half_up half_even half_down down up floor ceiling
  paycore money allocate AMOUNT CURRENCY WEIGHT...
      split by integer weights; parts sum exactly (largest remainder, ties to the first)
  paycore money currency CODE
      ISO 4217 lookup by alphabetic or numeric code
Output is JSON.";

pub fn run(args: &[String]) -> Result<String, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["--help"] | ["-h"] | ["help"] => Ok(HELP.to_owned()),
        ["parse", amount, currency] => {
            let m = parse(amount, currency)?;
            Ok(money_json(&m).to_string())
        }
        ["rate", amount, currency, rate, "--rounding", mode] => {
            let m = parse(amount, currency)?;
            let rate: Decimal = Decimal::from_str_exact(rate).map_err(|e| format!("rate: {e}"))?;
            let rounding: Rounding = mode.parse().map_err(|e| format!("{e}"))?;
            let exact = m.mul_rate_exact(rate).map_err(|e| e.to_string())?;
            let r = m.mul_rate(rate, rounding).map_err(|e| e.to_string())?;
            Ok(json!({
                "amount": money_json(&m),
                "rate": rate.to_string(),
                "rounding": rounding.name(),
                "exact_minor": exact.normalize().to_string(),
                "result": money_json(&r),
            })
            .to_string())
        }
        ["allocate", amount, currency, weights @ ..] if !weights.is_empty() => {
            let m = parse(amount, currency)?;
            let weights = weights
                .iter()
                .map(|w| {
                    w.parse::<u64>()
                        .map_err(|_| format!("weight {w:?} is not a whole number"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let parts = m.allocate(&weights).map_err(|e| e.to_string())?;
            Ok(json!({
                "total": money_json(&m),
                "weights": weights,
                "parts": parts.iter().map(money_json).collect::<Vec<_>>(),
            })
            .to_string())
        }
        ["currency", code] => {
            let c = Currency::from_code(code).map_err(|e| e.to_string())?;
            Ok(json!({"alpha": c.alpha(), "numeric": c.numeric_str(), "exponent": c.exponent(), "name": c.name()}).to_string())
        }
        _ => Err(format!("bad arguments\n\n{HELP}")),
    }
}

fn parse(amount: &str, currency: &str) -> Result<Money, String> {
    let c = Currency::from_code(currency).map_err(|e| e.to_string())?;
    Money::parse(amount, c).map_err(|e| e.to_string())
}

fn money_json(m: &Money) -> serde_json::Value {
    json!({"amount": m.to_plain_string(), "minor": m.minor(), "currency": m.currency().alpha()})
}
