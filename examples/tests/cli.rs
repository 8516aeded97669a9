//! The inspector and the demo, run as real processes.

use std::process::Command;

fn paycore(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paycore"))
        .args(args)
        .output()
        .expect("run paycore");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn money_commands() {
    let (ok, out, _) = paycore(&["money", "parse", "23.72", "CNY"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["minor"], 2372);
    let (ok, out, _) = paycore(&[
        "money",
        "rate",
        "123.45",
        "CNY",
        "0.006",
        "--rounding",
        "half_up",
    ]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"]["minor"], 74);
    assert_eq!(v["exact_minor"], "74.07");
    let (ok, out, _) = paycore(&["money", "allocate", "1.00", "CNY", "1", "1", "1"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let parts: Vec<i64> = v["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["minor"].as_i64().unwrap())
        .collect();
    assert_eq!(parts, [34, 33, 33]);
    let (ok, _, err) = paycore(&["money", "parse", "1.234", "CNY"]);
    assert!(!ok);
    assert!(err.contains("3 decimal places"), "{err}");
}

#[test]
fn card_commands_mask_the_pan() {
    let (ok, out, _) = paycore(&[
        "card",
        "track2",
        "6228480012345676789D29122011234567F",
        "--today",
        "2030-01-01",
    ]);
    assert!(ok);
    assert!(!out.contains("6228480012345676789"));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["pan"], "622848*********6789");
    assert_eq!(v["brand"], "union_pay");
    assert_eq!(v["expired"], true);
    let (ok, _, err) = paycore(&["card", "pan", "62284800123x5676789"]);
    assert!(!ok && err.contains("offset 11"), "{err}");
    let (ok, out, _) = paycore(&["help"]);
    assert!(ok && out.contains("money"));
    let (ok, _, _) = paycore(&["nonsense"]);
    assert!(!ok);
}

#[test]
fn demo_walks_the_acquiring_day() {
    let out = Command::new(env!("CARGO_BIN_EXE_demo"))
        .output()
        .expect("run demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let has = |s: &str| assert!(text.contains(s), "missing {s:?} in:\n{text}");
    // Sign-on: check values only, never key bytes.
    has("0810 → POS: STAN 000001 F39 00 working keys: PIK KCV ");
    assert!(
        !text.contains("demo-MAK") && !text.contains("64656D6F"),
        "key bytes printed"
    );
    // The 0200: PAN and track 2 equivalent masked, F55 as TLV, the MAC.
    has("F002 Primary account number");
    has("622848*********0018");
    assert!(!text.contains("6228480402564890018"), "clear PAN printed");
    has("57 (19) 622848*********0018D***");
    has("9F26 (8) A1B2C3D4E5F60718");
    has("F064 Message authentication code");
    has("Sale 8888.00 approved, STAN 000002, auth code 731001, RRN 000000000001");
    // Debit fee 0.60 % of 8888.00 = 53.33, capped at 20.00; IC++ and three agent levels.
    has(
        "fee 20.00 (debit-card) = issuer 13.00 + network 2.89 + 分润 1.60+1.40+0.50 + acquirer 0.61",
    );
    // Lost response → timeout → reversal acknowledged → the ledger unwinds the sale.
    has("no answer for STAN 000003 (Timeout); reversal (冲正, 0400) sent: true");
    has("reversal of STAN 000003 acknowledged");
    has("Reversal unwinds sale 256.00");
    has("Void unwinds sale 99.00");
    has("refund 1000.00: fee returned 2.25 (ProRata)");
    has("0500 → switch: F48 domestic 000001378700 004 000000109900 002 0");
    has("batch 1 balanced with the host");
    has("host totals: debits 13787.00 x4, credits 1099.00 x2; terminal agrees: true");
    // Settlement across National Day.
    has("network day 2026-10-01, T+1 payout day 2026-10-08");
    has(
        "payout 2026-10-08: sales 4800.00 − fees 28.80 − refunds 1000.00 + fees returned 2.25 = net 3773.45",
    );
    has("T+1 payout 8868.00");
    has("withdrawal approved and paid: 2998.00 to the bank, fee 2.00");
    has("merchant: uncleared 0.00 | cleared 0.00 | withdrawable 773.45\n");
    has("withdrawable 3773.45 (available 773.45, the rest held)");
    has("ledger 156: Σ debits 65343.97 == Σ credits 65343.97");
    has(
        "fee split of the day's sales: 48.80 = issuer 33.40 + network 4.45 + agents 8.90 + acquirer 2.05",
    );
    assert!(
        text.lines().count() <= 120,
        "{} lines",
        text.lines().count()
    );
}
