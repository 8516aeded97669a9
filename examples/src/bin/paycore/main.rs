//! `paycore`: the inspector — a command-line calculator and decoder for payment engineers.
//!
//! Each subcommand module exposes `run(args) -> Result<String, String>`: `Ok` is printed to
//! stdout, `Err` to stderr with exit status 1. `paycore help` lists the commands;
//! `paycore COMMAND --help` explains one.

mod card_cmd;
mod fees_cmd;
mod money_cmd;

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
