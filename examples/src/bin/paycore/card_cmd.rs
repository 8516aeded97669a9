//! `paycore card …`: PAN checks and track 2 parsing. Output masks the PAN unless asked.

use paycore::card::{MaskStyle, Pan, Track2};
use serde_json::json;

const HELP: &str = "\
usage:
  paycore card pan DIGITS [--mask first6_last4|first8_last4|last4]
      Luhn check, brand, masked form
  paycore card track2 TEXT [--today YYYY-MM-DD]
      parse PAN=YYMMSSS... (or D separator); with --today also says whether it expired
Output is JSON; the PAN is always masked.";

pub fn run(args: &[String]) -> Result<String, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["--help"] | ["-h"] | ["help"] => Ok(HELP.to_owned()),
        ["pan", digits, rest @ ..] => {
            let style = match rest {
                [] => MaskStyle::First6Last4,
                ["--mask", s] => s.parse().map_err(|e| format!("{e}"))?,
                _ => return Err(format!("bad arguments\n\n{HELP}")),
            };
            let pan = Pan::parse(digits).map_err(|e| e.to_string())?;
            Ok(json!({
                "masked": pan.masked(style),
                "length": pan.len(),
                "luhn_valid": pan.luhn_valid(),
                "brand": pan.brand().map(|b| b.name()),
            })
            .to_string())
        }
        ["track2", text, rest @ ..] => {
            let t = Track2::parse(text).map_err(|e| e.to_string())?;
            let mut out = json!({
                "pan": t.pan().masked(MaskStyle::First6Last4),
                "brand": t.pan().brand().map(|b| b.name()),
                "expiry": format!("{:04}-{:02}", t.expiry().year(), t.expiry().month()),
                "service_code": t.service_code().as_string(),
                "chip_present": t.service_code().chip_present(),
                "pin_required": t.service_code().pin_required(),
            });
            match rest {
                [] => {}
                ["--today", day] => {
                    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                        .map_err(|e| format!("--today: {e}"))?;
                    out["expired"] = json!(t.expiry().is_expired_on(d));
                }
                _ => return Err(format!("bad arguments\n\n{HELP}")),
            }
            Ok(out.to_string())
        }
        _ => Err(format!("bad arguments\n\n{HELP}")),
    }
}
