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
fn demo_runs_and_balances() {
    let out = Command::new(env!("CARGO_BIN_EXE_demo"))
        .output()
        .expect("run demo");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("622848*********6782"));
    assert!(!text.contains("6228480012345676782"));
    // 123.45→0.74, 9.99→0.06, 10000.00→60.00, 0.50→0.00: fees 60.80.
    assert!(text.contains("fees 60.80 CNY"), "{text}");
}
