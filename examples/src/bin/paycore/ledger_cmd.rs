//! `paycore ledger …` — inspect a ledger journal.

use std::io::Read;

use paycore::ledger::chart::AccountKind;
use paycore::ledger::{NormalSide, PendingStatus, SignedAmount, journal};
use serde_json::{Value, json};

const USAGE: &str = "usage: paycore ledger replay JOURNAL

Replays a ledger journal (JSON lines, one record per batch; `-` reads stdin), checks the
invariants (Σ debits == Σ credits per ledger, balance limits, counters == transfers) and
prints the balances as JSON. Amounts and ids are decimal strings (they are 128-bit).
Accounts whose code is in the acquirer chart are shown with their kind and normal side;
others are shown credit-normal.";

/// Run `paycore ledger` with the arguments after `ledger`.
pub fn run(args: &[String]) -> Result<String, String> {
    match args {
        [] => Err(USAGE.to_string()),
        [h, ..] if h == "--help" || h == "-h" || h == "help" => Ok(USAGE.to_string()),
        [cmd, path] if cmd == "replay" => replay(path),
        [cmd, ..] if cmd == "replay" => Err(format!(
            "ledger replay takes exactly one JOURNAL argument\n\n{USAGE}"
        )),
        [other, ..] => Err(format!("unknown ledger subcommand `{other}`\n\n{USAGE}")),
    }
}

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("reading stdin: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))
    }
}

fn signed(a: SignedAmount) -> String {
    if a.negative {
        format!("-{}", a.magnitude)
    } else {
        a.magnitude.to_string()
    }
}

fn replay(path: &str) -> Result<String, String> {
    let text = read_input(path)?;
    let ledger = journal::replay(&text).map_err(|e| format!("{path}: {e}"))?;
    ledger
        .check_invariants()
        .map_err(|e| format!("{path}: invariant violated: {e}"))?;
    let accounts: Vec<Value> = ledger
        .accounts()
        .iter()
        .map(|a| {
            let kind = AccountKind::from_code(a.code);
            let side = kind.map_or(NormalSide::Credit, AccountKind::normal_side);
            let b = a.balances(side);
            json!({
                "id": a.id.to_string(),
                "ledger": a.ledger,
                "code": a.code,
                "kind": kind,
                "normal_side": side,
                "flags": a.flags.0,
                "debits_pending": a.debits_pending.to_string(),
                "debits_posted": a.debits_posted.to_string(),
                "credits_pending": a.credits_pending.to_string(),
                "credits_posted": a.credits_posted.to_string(),
                "posted": signed(b.posted),
                "pending": signed(b.pending),
                "available": signed(b.available),
            })
        })
        .collect();
    let pending = ledger
        .transfers()
        .iter()
        .filter(|t| ledger.pending_status(t.id) == Some(PendingStatus::Pending))
        .count();
    let out = json!({
        "journal_records": ledger.journal_seq(),
        "clock": ledger.clock(),
        "transfers": ledger.transfers().len(),
        "pending_transfers": pending,
        "digest": format!("{:016x}", ledger.digest()),
        "invariants": "ok",
        "accounts": accounts,
    });
    serde_json::to_string_pretty(&out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use paycore::ledger::{Account, Ledger, Transfer};

    #[test]
    fn replays_a_journal_file() {
        let mut l = Ledger::new();
        l.create_accounts(
            &[
                Account {
                    id: 1,
                    ledger: 1,
                    code: 10,
                    ..Account::default()
                },
                Account {
                    id: 2,
                    ledger: 1,
                    code: 12,
                    ..Account::default()
                },
            ],
            1,
        );
        l.create_transfers(
            &[Transfer {
                id: 9,
                debit_account_id: 1,
                credit_account_id: 2,
                amount: 250,
                ledger: 1,
                code: 1,
                ..Transfer::default()
            }],
            2,
        );
        let text: String = l
            .take_journal()
            .iter()
            .map(|r| r.to_line() + "\n")
            .collect();
        let path =
            std::env::temp_dir().join(format!("paycore-ledger-cmd-{}.jsonl", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        let out = run(&["replay".into(), path.display().to_string()]).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["transfers"], 1);
        assert_eq!(v["accounts"][1]["posted"], "250");
        assert_eq!(v["accounts"][1]["kind"], "merchant_withdrawable");
        assert_eq!(v["accounts"][0]["posted"], "-250");
        std::fs::write(
            &path,
            "{\"seq\":0,\"op\":{\"expire_pending\":{\"now\":1}}}\nnot json\n",
        )
        .unwrap();
        let err = run(&["replay".into(), path.display().to_string()]).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        std::fs::remove_file(&path).ok();
        assert!(run(&["--help".into()]).unwrap().starts_with("usage"));
        assert!(run(&["frobnicate".into()]).is_err());
    }
}
