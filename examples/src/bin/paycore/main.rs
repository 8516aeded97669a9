//! `paycore`: the inspector — a command-line calculator and decoder for payment engineers.
//!
//! Each subcommand module exposes `run(args) -> Result<String, String>`: `Ok` is printed to
//! stdout, `Err` to stderr with exit status 1. `paycore help` lists the commands;
//! `paycore COMMAND --help` explains one.

mod card_cmd;
mod fees_cmd;
mod iso8583_cmd;
mod ledger_cmd;
mod money_cmd;
mod security_cmd;
mod tlv_cmd;

use std::process::ExitCode;

type Command = fn(&[String]) -> Result<String, String>;

/// (name, summary, handler), in the order `help` lists them.
const COMMANDS: &[(&str, &str, Command)] = &[
    (
        "money",
        "parse, format, multiply by a rate, allocate amounts",
        money_cmd::run,
    ),
    ("card", "PAN check, brand, masking, track 2", card_cmd::run),
    (
        "iso8583",
        "decode/encode ISO 8583 messages (cup-pos, iso87, iso93, JSON specs)",
        iso8583_cmd::run,
    ),
    (
        "ledger",
        "replay a ledger journal, print balances, check invariants",
        ledger_cmd::run,
    ),
    (
        "security",
        "kcv, pin-block, mac, dukpt, tr31, sign-on-keys (also as top-level words)",
        security_cmd::run,
    ),
    ("kcv", "key check values", security_cmd::run_kcv),
    (
        "pin-block",
        "ISO 9564 PIN blocks 0-4 and SM4: encode|decode",
        security_cmd::run_pin_block,
    ),
    (
        "mac",
        "x9.9, x9.19, cup-ecb, cup-sm4, cmac",
        security_cmd::run_mac,
    ),
    (
        "dukpt",
        "TDES/AES DUKPT keys from BDK + KSN",
        security_cmd::run_dukpt,
    ),
    (
        "tr31",
        "TR-31 key blocks: unwrap|wrap",
        security_cmd::run_tr31,
    ),
    (
        "sign-on-keys",
        "unwrap working keys from a cup-pos 0810 field 62",
        security_cmd::run_sign_on_keys,
    ),
    ("tlv", "decode/redact BER-TLV (EMV modes)", tlv_cmd::run_tlv),
    (
        "emv",
        "explain EMV bit fields (95, 9B, 82, 8E, …), flags, DOLs, tags",
        tlv_cmd::run_emv,
    ),
    (
        "qr",
        "decode/encode EMVCo QR payloads (merchant- and consumer-presented)",
        tlv_cmd::run_qr,
    ),
    (
        "fee",
        "quote a fee (MDR, IC++ costs, agent shares), D0 payouts",
        fees_cmd::run_fee,
    ),
    (
        "calendar",
        "settlement dates and working days (China calendar)",
        fees_cmd::run_calendar,
    ),
    (
        "settle",
        "settle transaction records into payout statements",
        fees_cmd::run_settle,
    ),
];

fn usage() -> String {
    let mut s = String::from("usage: paycore COMMAND [ARGS...]\n\ncommands:\n");
    for (name, summary, _) in COMMANDS {
        s.push_str(&format!("  {name:<14} {summary}\n"));
    }
    s.push_str("\n`paycore COMMAND --help` for a command's options.\n");
    s
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprint!("{}", usage());
        return ExitCode::from(2);
    };
    if matches!(cmd.as_str(), "help" | "--help" | "-h") {
        print!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let Some((_, _, run)) = COMMANDS.iter().find(|(name, _, _)| name == cmd) else {
        eprintln!("paycore: unknown command {cmd:?}\n\n{}", usage());
        return ExitCode::from(2);
    };
    match run(&args[1..]) {
        Ok(out) => {
            println!("{}", out.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("paycore {cmd}: {e}");
            ExitCode::FAILURE
        }
    }
}
