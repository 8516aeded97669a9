//! `paycore tlv …`, `paycore emv …` and `paycore qr …`: BER-TLV, EMV and EMVCo QR inspectors.
//!
//! Card data is masked in every output (PAN first 6 / last 4, track data and names fully).

use std::io::Read as _;

use paycore::emv::{self, TagValues};
use paycore::qr;
use paycore::tlv::{self, Mode, ParseOptions, Tag, TlvObject};
use serde_json::{Value, json};

const TLV_USAGE: &str = "usage:
  paycore tlv decode HEX [--mode strict|emv|lenient] [--max-depth N] [--four-byte-tags]
      JSON tree: tag, name, offset, length, value (hex) and decoded value; card data masked
  paycore tlv redact HEX
      the hex with sensitive values (5A 57 56 9F1F 9F20 9F6B 5F20) masked
  HEX may be '-' to read standard input";

const EMV_USAGE: &str = "usage:
  paycore emv explain TAG HEX [--json]   e.g. paycore emv explain 95 0000080000
      bit fields 95 9B 82 9F07 9F33 9F40, CVM 8E 9F34, CID 9F27, 9F35, 9C, IAD 9F10 (UnionPay),
      any other dictionary tag decoded by format
  paycore emv flags TAG FLAG[,FLAG…]     e.g. paycore emv flags 95 pin_not_entered → 0000080000
  paycore emv dol DOL_HEX SOURCE_TLV_HEX…  build DOL data; earlier sources win
  paycore emv tag TAG                    dictionary entry";

const QR_USAGE: &str = "usage:
  paycore qr decode PAYLOAD   EMVCo merchant-presented text (starts with 000201) or
                              consumer-presented Base64; JSON out, card data masked
  paycore qr encode JSON      MerchantPayload JSON → MPM text with CRC;
                              ConsumerPayload JSON (has \"applications\") → CPM Base64
  PAYLOAD/JSON may be '-' to read standard input";

fn arg_or_stdin(a: &str) -> Result<String, String> {
    if a == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        Ok(s.trim_end_matches(['\n', '\r']).to_string())
    } else {
        Ok(a.to_string())
    }
}

fn hex_arg(a: &str) -> Result<Vec<u8>, String> {
    let text = arg_or_stdin(a)?;
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    paycore::hex::decode(&clean).map_err(|e| format!("hex: {e}"))
}

fn wants_help(args: &[String]) -> bool {
    args.is_empty() || args.iter().any(|a| a == "--help" || a == "-h")
}

fn pretty(v: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(v).map_err(|e| e.to_string())
}

/// JSON for owned TLV objects: names from the dictionary, decoded values, masking.
fn objects_json(objects: &[TlvObject], parent: Option<Tag>) -> Value {
    Value::Array(
        objects
            .iter()
            .map(|o| {
                let info = emv::lookup_in(o.tag, parent);
                let mut m = serde_json::Map::new();
                m.insert("tag".into(), json!(o.tag.to_string()));
                if let Some(i) = info {
                    m.insert("name".into(), json!(i.name));
                }
                m.insert("offset".into(), json!(o.offset));
                if o.tag.is_constructed() {
                    m.insert("children".into(), objects_json(&o.children, Some(o.tag)));
                } else {
                    m.insert("length".into(), json!(o.value.len()));
                    m.insert("value".into(), json!(tlv::mask_value_hex(o.tag, &o.value)));
                    if !tlv::is_sensitive(o.tag) && info.is_some() {
                        match emv::decode_value(o.tag, &o.value) {
                            Ok(emv::DecodedValue::Binary(_)) => {}
                            Ok(d) => {
                                m.insert(
                                    "decoded".into(),
                                    serde_json::to_value(d).unwrap_or(Value::Null),
                                );
                            }
                            Err(e) => {
                                m.insert("decode_error".into(), json!(e.to_string()));
                            }
                        }
                        if let Ok(e) = emv::explain(o.tag, &o.value)
                            && !e.items.is_empty()
                        {
                            m.insert(
                                "explanation".into(),
                                json!(e.items.iter().map(|i| i.text.clone()).collect::<Vec<_>>()),
                            );
                        }
                    }
                }
                Value::Object(m)
            })
            .collect(),
    )
}

/// `paycore tlv …` (args after `tlv`).
pub fn run_tlv(args: &[String]) -> Result<String, String> {
    if wants_help(args) {
        return Ok(TLV_USAGE.to_string());
    }
    match args[0].as_str() {
        "decode" => {
            let hex = args.get(1).ok_or(TLV_USAGE)?;
            let mut options = ParseOptions::emv();
            let mut rest = args[2..].iter();
            while let Some(a) = rest.next() {
                match a.as_str() {
                    "--mode" => {
                        options = match rest.next().map(String::as_str) {
                            Some("strict") => ParseOptions {
                                mode: Mode::Strict,
                                reject_duplicates: true,
                                ..options
                            },
                            Some("emv") => ParseOptions {
                                mode: Mode::Emv,
                                ..options
                            },
                            Some("lenient") => ParseOptions {
                                mode: Mode::Lenient,
                                ..options
                            },
                            other => {
                                return Err(format!(
                                    "--mode takes strict, emv or lenient, got {other:?}"
                                ));
                            }
                        }
                    }
                    "--max-depth" => {
                        let d = rest
                            .next()
                            .and_then(|d| d.parse::<u8>().ok())
                            .ok_or("--max-depth takes 0..=255")?;
                        options = options.with_max_depth(d);
                    }
                    "--four-byte-tags" => options = options.with_four_byte_tags(),
                    other => return Err(format!("unknown option {other}\n{TLV_USAGE}")),
                }
            }
            let bytes = hex_arg(hex)?;
            let tree = tlv::parse_tree(&bytes, options).map_err(|e| e.to_string())?;
            pretty(&objects_json(&tree.to_objects(), None))
        }
        "redact" => {
            let bytes = hex_arg(args.get(1).ok_or(TLV_USAGE)?)?;
            tlv::redact_tlv(&bytes).map_err(|e| e.to_string())
        }
        other => Err(format!("unknown tlv command {other:?}\n{TLV_USAGE}")),
    }
}

/// `paycore emv …` (args after `emv`).
pub fn run_emv(args: &[String]) -> Result<String, String> {
    if wants_help(args) {
        return Ok(EMV_USAGE.to_string());
    }
    let tag_arg = |i: usize| -> Result<Tag, String> {
        Tag::parse_hex(args.get(i).ok_or(EMV_USAGE)?).map_err(|e| e.to_string())
    };
    match args[0].as_str() {
        "explain" => {
            let tag = tag_arg(1)?;
            let value = hex_arg(args.get(2).ok_or(EMV_USAGE)?)?;
            let e = emv::explain(tag, &value).map_err(|e| e.to_string())?;
            if args.iter().any(|a| a == "--json") {
                pretty(&e)
            } else {
                Ok(e.to_string().trim_end().to_string())
            }
        }
        "flags" => {
            let tag = tag_arg(1)?;
            let names: Vec<&str> = args
                .get(2)
                .map(|s| s.split(',').filter(|f| !f.is_empty()).collect())
                .unwrap_or_default();
            emv::encode_flags(tag, &names)
                .map(|v| paycore::hex::encode(&v))
                .map_err(|e| e.to_string())
        }
        "dol" => {
            let dol = hex_arg(args.get(1).ok_or(EMV_USAGE)?)?;
            let sources = args[2..]
                .iter()
                .map(|s| {
                    TagValues::from_tlv(&hex_arg(s)?, ParseOptions::emv())
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&dyn emv::TagSource> =
                sources.iter().map(|s| s as &dyn emv::TagSource).collect();
            let data = emv::build_dol(&dol, &refs).map_err(|e| format!("DOL: {e}"))?;
            Ok(paycore::hex::encode(&data))
        }
        "tag" => {
            let tag = tag_arg(1)?;
            let rows: Vec<_> = emv::tags().iter().filter(|r| r.tag == tag).collect();
            if rows.is_empty() {
                return Err(format!("{tag}: not in the dictionary"));
            }
            pretty(&rows)
        }
        other => Err(format!("unknown emv command {other:?}\n{EMV_USAGE}")),
    }
}

fn cpm_json(p: &qr::ConsumerPayload) -> Value {
    let apps: Vec<Value> = p
        .applications
        .iter()
        .map(|a| {
            json!({
                "adf_name": paycore::hex::encode(&a.adf_name),
                "data": objects_json(&a.data, Some(Tag::of(0x61))),
                "transparent": objects_json(&a.transparent, Some(Tag::of(0x63))),
            })
        })
        .collect();
    let mut v = json!({ "mode": "cpm", "applications": apps });
    if let Some(c) = &p.common {
        v["common"] = json!({
            "data": objects_json(&c.data, Some(Tag::of(0x62))),
            "transparent": objects_json(&c.transparent, Some(Tag::of(0x64))),
        });
    }
    v
}

/// `paycore qr …` (args after `qr`).
pub fn run_qr(args: &[String]) -> Result<String, String> {
    if wants_help(args) {
        return Ok(QR_USAGE.to_string());
    }
    match args[0].as_str() {
        "decode" => {
            let payload = arg_or_stdin(args.get(1).ok_or(QR_USAGE)?)?;
            if payload.starts_with("00") {
                let p = qr::parse_mpm(&payload).map_err(|e| format!("MPM: {e}"))?;
                let mut v = serde_json::to_value(&p).map_err(|e| e.to_string())?;
                v["mode"] = json!("mpm");
                pretty(&v)
            } else {
                let p = qr::parse_cpm(&payload).map_err(|e| format!("CPM: {e}"))?;
                pretty(&cpm_json(&p))
            }
        }
        "encode" => {
            let text = arg_or_stdin(args.get(1).ok_or(QR_USAGE)?)?;
            let v: Value = serde_json::from_str(&text).map_err(|e| format!("JSON: {e}"))?;
            if v.get("applications").is_some() {
                let p: qr::ConsumerPayload =
                    serde_json::from_value(v).map_err(|e| format!("CPM JSON: {e}"))?;
                qr::build_cpm(&p).map_err(|e| e.to_string())
            } else {
                let p: qr::MerchantPayload =
                    serde_json::from_value(v).map_err(|e| format!("MPM JSON: {e}"))?;
                qr::build_mpm(&p).map_err(|e| e.to_string())
            }
        }
        other => Err(format!("unknown qr command {other:?}\n{QR_USAGE}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn commands() {
        let out = run_emv(&s(&["explain", "95", "0000080000"])).unwrap();
        assert!(
            out.contains("PIN entry required, PIN pad present, but PIN was not entered"),
            "{out}"
        );
        assert_eq!(
            run_emv(&s(&["flags", "95", "pin_not_entered"])).unwrap(),
            "0000080000"
        );
        let out = run_tlv(&s(&[
            "decode",
            "70155A0862306066010077265F24032512319F02020100",
        ]))
        .unwrap();
        assert!(out.contains("623060******7726"), "{out}");
        assert!(!out.contains("6601007726"), "{out}");
        let out = run_tlv(&s(&["decode", "9F02060000000001009A03240217"])).unwrap();
        assert!(
            out.contains("Amount, Authorised") && out.contains("2024-02-17"),
            "{out}"
        );
        let mpm = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
        let json = run_qr(&s(&["decode", mpm])).unwrap();
        assert!(json.contains("BEST TRANSPORT"));
        let mut v: Value = serde_json::from_str(&json).unwrap();
        v.as_object_mut().unwrap().remove("mode");
        let again = run_qr(&["encode".to_string(), v.to_string()]).unwrap();
        assert!(qr::parse_mpm(&again).is_ok());
        assert!(
            run_qr(&s(&["decode", "hQVDUFYwMWEJTwegAAAAVVVV"]))
                .unwrap()
                .contains("A0000000555555")
        );
        assert!(run_tlv(&s(&["--help"])).unwrap().starts_with("usage"));
    }
}
