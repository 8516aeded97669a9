//! `paycore fee …`, `paycore calendar …` and `paycore settle …`: fee quotes, settlement dates
//! and settlement runs from files.

use paycore::calendar::{Calendar, UncoveredYears};
use paycore::fees::{CardType, Channel, D0Request, MerchantType, PricingEngine, PricingInput};
use paycore::money::{Currency, Money};
use paycore::settlement::csv::read_records;
use paycore::settlement::{
    CarryState, ConfigFormat, NetworkCutoff, SettlementConfig, SettlementCycle, SettlementRun,
    parse_event_time, settle, settlement_dates,
};
use std::io::Read;

const FEE_USAGE: &str = "\
usage: paycore fee quote --schedule FILE --amount 10000.00 --currency CNY --card debit --channel chip
                         [--merchant-type standard] [--agent ID] [--monthly-volume 0]
       paycore fee d0 --schedule FILE --available 10000.00 [--amount 5000.00] [--used-today 0]
                      --at 2026-02-13T10:00:00+08:00
       paycore fee validate --schedule FILE
FILE is JSON (or TOML if it ends in .toml): a pricing config, or a settlement config with a
\"pricing\" section (see examples/data/fee-schedule.json). Output is JSON.
cards: debit credit quasi_credit prepaid; channels: swipe chip contactless qr small_amount_no_pin";

const CALENDAR_USAGE: &str = "\
usage: paycore calendar settle-date --at 2026-02-13T23:30:00+08:00 --cycle T1
                                    [--cutoff 23:00] [--utc-offset +08:00] [--weekday-fallback]
       paycore calendar working-day --date 2026-02-14 [--weekday-fallback]
       paycore calendar info
Cycles: T<n> (working days), D<n> (calendar days), S0, W<n>, M<n>. The time must carry a
UTC offset. The China calendar refuses years without a State Council notice unless
--weekday-fallback is given.";

const SETTLE_USAGE: &str = "\
usage: paycore settle --schedule FILE --transactions FILE.csv [--state STATE.json]
                      [--format text|json] [--weekday-fallback]
FILE: settlement config JSON/TOML (pricing + settlement terms); FILE.csv: records (format in
paycore::settlement::csv; '-' reads stdin); STATE.json: carried state from the previous run.
text prints one statement per merchant × currency × payout day; json prints batches and the
new state.";

/// Parsed `--flag value` pairs and bare `--switch`es.
struct Flags {
    pairs: Vec<(String, Option<String>)>,
}

impl Flags {
    fn parse(args: &[String], switches: &[&str]) -> Result<Flags, String> {
        let mut pairs = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            let Some(name) = a.strip_prefix("--") else {
                return Err(format!("unexpected argument {a:?}"));
            };
            if switches.contains(&name) {
                pairs.push((name.to_owned(), None));
                i += 1;
                continue;
            }
            let v = args
                .get(i + 1)
                .ok_or_else(|| format!("--{name} needs a value"))?;
            if pairs.iter().any(|(n, _)| n == name) {
                return Err(format!("--{name} given twice"));
            }
            pairs.push((name.to_owned(), Some(v.clone())));
            i += 2;
        }
        Ok(Flags { pairs })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn need(&self, name: &str) -> Result<&str, String> {
        self.get(name).ok_or_else(|| format!("missing --{name}"))
    }

    fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    fn only(&self, allowed: &[&str]) -> Result<(), String> {
        match self
            .pairs
            .iter()
            .find(|(n, _)| !allowed.contains(&n.as_str()))
        {
            Some((n, _)) => Err(format!("unknown option --{n}")),
            None => Ok(()),
        }
    }
}

fn read_text(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn load_config(path: &str) -> Result<SettlementConfig, String> {
    let text = read_text(path)?;
    SettlementConfig::from_document(&text, ConfigFormat::from_path(path))
        .map_err(|e| format!("{path}: {e}"))
}

fn engine(path: &str) -> Result<(SettlementConfig, PricingEngine), String> {
    let config = load_config(path)?;
    let engine = PricingEngine::new(&config.pricing).map_err(|e| format!("{path}: {e}"))?;
    Ok((config, engine))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| e.to_string())
}

fn calendar(flags: &Flags) -> Calendar {
    let cal = Calendar::china();
    if flags.has("weekday-fallback") {
        cal.with_uncovered_years(UncoveredYears::WeekdayFallback)
    } else {
        cal
    }
}

/// `paycore fee …`.
pub fn run_fee(args: &[String]) -> Result<String, String> {
    let Some((sub, rest)) = args.split_first() else {
        return Ok(FEE_USAGE.to_owned());
    };
    if sub == "--help" || rest.iter().any(|a| a == "--help") {
        return Ok(FEE_USAGE.to_owned());
    }
    let flags = Flags::parse(rest, &[])?;
    match sub.as_str() {
        "quote" => {
            flags.only(&[
                "schedule",
                "amount",
                "currency",
                "card",
                "channel",
                "merchant-type",
                "agent",
                "monthly-volume",
            ])?;
            let (_, engine) = engine(flags.need("schedule")?)?;
            let currency = Currency::from_alpha(flags.need("currency")?)
                .map_err(|e| format!("--currency: {e}"))?;
            if currency != engine.currency() {
                return Err(format!(
                    "--currency {} does not match the schedule's {}",
                    currency.alpha(),
                    engine.currency().alpha()
                ));
            }
            let amount = Money::parse(flags.need("amount")?, currency)
                .map_err(|e| format!("--amount: {e}"))?;
            let volume = match flags.get("monthly-volume") {
                Some(v) => Money::parse(v, currency)
                    .map_err(|e| format!("--monthly-volume: {e}"))?
                    .minor(),
                None => 0,
            };
            let input = PricingInput {
                amount_minor: amount.minor(),
                card: flags
                    .need("card")?
                    .parse::<CardType>()
                    .map_err(|e| format!("--card: {e}"))?,
                channel: flags
                    .need("channel")?
                    .parse::<Channel>()
                    .map_err(|e| format!("--channel: {e}"))?,
                merchant_type: flags
                    .get("merchant-type")
                    .unwrap_or("standard")
                    .parse::<MerchantType>()
                    .map_err(|e| format!("--merchant-type: {e}"))?,
                monthly_volume_minor: volume,
            };
            let agent = flags
                .get("agent")
                .map(|a| engine.agents().lookup(a))
                .transpose()
                .map_err(|e| format!("--agent: {e}"))?;
            let quote = engine.quote(&input, agent).map_err(|e| e.to_string())?;
            json(&engine.report(&quote))
        }
        "d0" => {
            flags.only(&["schedule", "available", "amount", "used-today", "at"])?;
            let (_, engine) = engine(flags.need("schedule")?)?;
            let d0 = engine.d0().ok_or("the schedule has no d0 section")?;
            let c = engine.currency();
            let money = |name: &str, v: &str| {
                Money::parse(v, c)
                    .map(|m| m.minor())
                    .map_err(|e| format!("--{name}: {e}"))
            };
            let req = D0Request {
                available_minor: money("available", flags.need("available")?)?,
                requested_minor: flags
                    .get("amount")
                    .map(|v| money("amount", v))
                    .transpose()?,
                used_today_minor: flags
                    .get("used-today")
                    .map(|v| money("used-today", v))
                    .transpose()?
                    .unwrap_or(0),
                at: parse_event_time(flags.need("at")?).map_err(|e| format!("--at: {e}"))?,
            };
            let q = d0.quote(&req).map_err(|e| e.to_string())?;
            let m = |v: i64| Money::from_minor(v, c).to_plain_string();
            // The D0 fee is shared along the default agent chain with each level's D0 costs.
            let mut shares = Vec::new();
            if let Some(direct) = engine.direct_agent() {
                let input = PricingInput {
                    amount_minor: q.advanced_minor,
                    card: CardType::Debit,
                    channel: Channel::Chip,
                    merchant_type: MerchantType::Standard,
                    monthly_volume_minor: 0,
                };
                engine
                    .agents()
                    .share_d0(direct, q.fee_minor, &input, &mut shares)
                    .map_err(|e| e.to_string())?;
            }
            let agents: Vec<serde_json::Value> = shares
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "agent": engine.agents().agent_id(a.agent),
                        "level": a.level,
                        "cost": m(a.cost_minor),
                        "profit": m(a.profit_minor),
                    })
                })
                .collect();
            json(&serde_json::json!({
                "agents": agents,
                "currency": c.alpha(),
                "advanced": m(q.advanced_minor),
                "rate_fee": m(q.rate_fee_minor),
                "fixed_fee": m(q.fixed_fee_minor),
                "fee": m(q.fee_minor),
                "net_paid": m(q.net_paid_minor),
                "remaining_balance": m(q.remaining_balance_minor),
            }))
        }
        "validate" => {
            flags.only(&["schedule"])?;
            let path = flags.need("schedule")?;
            let (config, engine) = engine(path)?;
            config
                .settlement
                .compile(engine.currency())
                .map_err(|e| format!("{path}: {e}"))?;
            Ok(format!(
                "ok: {} merchant rules, {} agents, currency {}",
                config.pricing.merchant.rules.len(),
                engine.agents().len(),
                engine.currency().alpha()
            ))
        }
        other => Err(format!("unknown fee command {other:?}\n{FEE_USAGE}")),
    }
}

fn parse_offset(text: &str) -> Result<i32, String> {
    let bad = || format!("--utc-offset {text:?}: expected ±HH:MM");
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    let h: i32 = h.parse().map_err(|_| bad())?;
    let m: i32 = m.parse().map_err(|_| bad())?;
    Ok(sign * (h * 3600 + m * 60))
}

/// `paycore calendar …`.
pub fn run_calendar(args: &[String]) -> Result<String, String> {
    let Some((sub, rest)) = args.split_first() else {
        return Ok(CALENDAR_USAGE.to_owned());
    };
    if sub == "--help" || rest.iter().any(|a| a == "--help") {
        return Ok(CALENDAR_USAGE.to_owned());
    }
    let flags = Flags::parse(rest, &["weekday-fallback"])?;
    match sub.as_str() {
        "settle-date" => {
            flags.only(&["at", "cycle", "cutoff", "utc-offset", "weekday-fallback"])?;
            let at = parse_event_time(flags.need("at")?).map_err(|e| format!("--at: {e}"))?;
            let cycle: SettlementCycle = flags
                .need("cycle")?
                .parse()
                .map_err(|e| format!("--cycle: {e}"))?;
            let mut cutoff = NetworkCutoff::UNIONPAY;
            if flags.get("cutoff").is_some() || flags.get("utc-offset").is_some() {
                let offset = flags
                    .get("utc-offset")
                    .map(parse_offset)
                    .transpose()?
                    .unwrap_or(cutoff.utc_offset_seconds);
                let (h, m) = match flags.get("cutoff") {
                    Some(t) => {
                        let (h, m) = t
                            .split_once(':')
                            .ok_or_else(|| format!("--cutoff {t:?}: expected HH:MM"))?;
                        (
                            h.parse().map_err(|_| format!("--cutoff {t:?}: bad hour"))?,
                            m.parse()
                                .map_err(|_| format!("--cutoff {t:?}: bad minute"))?,
                        )
                    }
                    None => (23, 0),
                };
                cutoff = NetworkCutoff::new(offset, h, m).map_err(|e| e.to_string())?;
            }
            let dates = settlement_dates(at, cycle, &cutoff, &calendar(&flags))
                .map_err(|e| e.to_string())?;
            json(&dates)
        }
        "working-day" => {
            flags.only(&["date", "weekday-fallback"])?;
            let text = flags.need("date")?;
            let date: chrono::NaiveDate = text
                .parse()
                .map_err(|_| format!("--date {text:?}: expected YYYY-MM-DD"))?;
            let cal = calendar(&flags);
            let working = cal.is_working_day(date).map_err(|e| e.to_string())?;
            json(&serde_json::json!({
                "date": date,
                "working_day": working,
                "provisional": cal.is_provisional(date),
                "calendar_version": cal.version(),
            }))
        }
        "info" => {
            flags.only(&[])?;
            let cal = Calendar::china();
            json(&serde_json::json!({
                "name": cal.name(),
                "calendar_version": cal.version(),
                "covered_years": cal.covered_years(),
                "cutoff": "23:00 UTC+08:00 (UnionPay)",
            }))
        }
        other => Err(format!(
            "unknown calendar command {other:?}\n{CALENDAR_USAGE}"
        )),
    }
}

fn statement_text(run: &SettlementRun, currency: Currency) -> String {
    use std::fmt::Write;
    let m = |v: i64| Money::from_minor(v, currency).to_plain_string();
    let mut out = String::new();
    for b in &run.batches {
        let _ = writeln!(
            out,
            "batch {}  merchant {}  payout day {}  cycle {}  ({} lines, calendar {}, digest {})",
            b.batch_id,
            b.merchant_id,
            b.payout_day,
            b.cycle,
            b.lines.len(),
            b.calendar_version,
            b.digest
        );
        for l in &b.lines {
            let kind = serde_json::to_value(l.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<18} {:<32} {:>14}",
                kind,
                l.reference,
                m(l.amount_minor)
            );
        }
        let _ = writeln!(out, "  {:<51} {:>14}", "net", m(b.net_minor));
        let _ = writeln!(out, "  {:<51} {:>14}", "payout", m(b.payout_minor));
        if b.carried_forward_minor != 0 {
            let _ = writeln!(
                out,
                "  {:<51} {:>14}",
                "carried forward",
                m(b.carried_forward_minor)
            );
        }
        out.push('\n');
    }
    out
}

/// `paycore settle …`.
pub fn run_settle(args: &[String]) -> Result<String, String> {
    if args.is_empty() || args.iter().any(|a| a == "--help") {
        return Ok(SETTLE_USAGE.to_owned());
    }
    let flags = Flags::parse(args, &["weekday-fallback"])?;
    flags.only(&[
        "schedule",
        "transactions",
        "state",
        "format",
        "weekday-fallback",
    ])?;
    let path = flags.need("schedule")?;
    let (config, engine) = engine(path)?;
    let terms = config
        .settlement
        .compile(engine.currency())
        .map_err(|e| format!("{path}: {e}"))?;
    let csv_path = flags.need("transactions")?;
    let records =
        read_records(&read_text(csv_path)?, 10_000_000).map_err(|e| format!("{csv_path}: {e}"))?;
    let state: CarryState = match flags.get("state") {
        Some(p) => serde_json::from_str(&read_text(p)?).map_err(|e| format!("{p}: {e}"))?,
        None => CarryState::default(),
    };
    let run = settle(&records, &engine, &terms, &calendar(&flags), &state)
        .map_err(|e| format!("{csv_path}: {e}"))?;
    match flags.get("format").unwrap_or("text") {
        "text" => Ok(statement_text(&run, engine.currency())),
        "json" => json(&run),
        other => Err(format!("--format {other:?}: expected text or json")),
    }
}
