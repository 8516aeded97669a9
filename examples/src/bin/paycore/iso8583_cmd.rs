//! `paycore iso8583 …` — decode ISO 8583 hex to JSON (or a masked dump) and encode JSON back.

use std::io::Read as _;

use paycore::iso8583::{
    self, CupHeader, Message, Spec, Tpdu, describe, from_json_value, to_json_with,
};

const USAGE: &str = "\
usage:
  paycore iso8583 decode --spec SPEC [--framed] [--describe] [--unmasked] HEX|-
  paycore iso8583 encode --spec SPEC [--framed] JSON|-

SPEC is cup-pos, iso87ascii, iso87binary, iso93ascii or a path to a JSON spec.
decode prints {\"mti\", \"fields\"} JSON (plus \"tpdu\" and \"header\" with --framed);
--describe prints a dump with PAN, track, PIN block and sensitive EMV tags masked
(--unmasked shows them). encode is the exact inverse and prints upper-case hex.
--framed: the bytes start with the spec's length header (and TPDU + CUP header for cup-pos).
`-` reads the argument from stdin.";

struct Opts {
    spec: Option<String>,
    framed: bool,
    describe: bool,
    unmasked: bool,
    input: Option<String>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        spec: None,
        framed: false,
        describe: false,
        unmasked: false,
        input: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--spec" => o.spec = Some(it.next().ok_or("--spec needs a value")?.clone()),
            "--framed" => o.framed = true,
            "--describe" => o.describe = true,
            "--unmasked" => o.unmasked = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n\n{USAGE}")),
            s => {
                if o.input.replace(s.to_owned()).is_some() {
                    return Err(format!("more than one input\n\n{USAGE}"));
                }
            }
        }
    }
    Ok(o)
}

fn load_spec(name: &str) -> Result<Spec, String> {
    if let Some(s) = Spec::builtin(name) {
        return Ok(s);
    }
    let text = std::fs::read_to_string(name)
        .map_err(|e| format!("--spec {name}: not a built-in spec and not readable: {e}"))?;
    Spec::from_json(&text).map_err(|e| format!("--spec {name}: {e}"))
}

fn read_input(arg: Option<String>) -> Result<String, String> {
    match arg.as_deref() {
        None => Err(format!("missing input\n\n{USAGE}")),
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("stdin: {e}"))?;
            Ok(s)
        }
        Some(s) => Ok(s.to_owned()),
    }
}

/// Runs `paycore iso8583 ARGS…`.
pub fn run(args: &[String]) -> Result<String, String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(USAGE.to_owned());
    };
    if cmd == "--help" || cmd == "-h" || rest.iter().any(|a| a == "--help") {
        return Ok(USAGE.to_owned());
    }
    let o = parse(rest)?;
    let spec = load_spec(
        o.spec
            .as_deref()
            .ok_or(format!("--spec is required\n\n{USAGE}"))?,
    )?;
    match cmd.as_str() {
        "decode" => decode(&spec, &o),
        "encode" => encode(&spec, &o),
        other => Err(format!("unknown iso8583 command {other:?}\n\n{USAGE}")),
    }
}

fn decode(spec: &Spec, o: &Opts) -> Result<String, String> {
    let text = read_input(o.input.clone())?;
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = paycore::hex::decode(&clean).map_err(|e| format!("input hex: {e}"))?;
    let (tpdu, header, body) = if o.framed {
        let f = spec
            .framing()
            .unwrap(&bytes)
            .map_err(|e| format!("framing: {e}"))?;
        (f.tpdu, f.header, f.body)
    } else {
        (None, None, &bytes[..])
    };
    let offset = if o.framed {
        spec.framing().length.width() + spec.framing().preamble_len()
    } else {
        0
    };
    let msg = iso8583::decode(spec, body).map_err(|e| {
        if offset > 0 {
            format!("decode: {e} (byte {} of the frame)", e.offset + offset)
        } else {
            format!("decode: {e}")
        }
    })?;
    let mut extra = Vec::new();
    if let Some(t) = tpdu {
        extra.push(("tpdu", t.to_string()));
    }
    if let Some(h) = header {
        extra.push(("header", h.to_string()));
    }
    if o.describe {
        let mut s = String::new();
        for (k, v) in &extra {
            s.push_str(&format!("{:<4} {v}\n", k.to_uppercase()));
        }
        s.push_str(&describe(&msg, spec, !o.unmasked));
        Ok(s.trim_end().to_owned())
    } else {
        Ok(to_json_with(&msg, spec, &extra))
    }
}

fn encode(spec: &Spec, o: &Opts) -> Result<String, String> {
    let text = read_input(o.input.clone())?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("JSON: {e}"))?;
    let msg: Message = from_json_value(&v, spec).map_err(|e| e.to_string())?;
    let body = msg.encode(spec).map_err(|e| format!("encode: {e}"))?;
    let out = if o.framed {
        let framing = spec.framing();
        let tpdu = match v.get("tpdu").and_then(|t| t.as_str()) {
            Some(t) => Some(Tpdu::from_hex(t).map_err(|e| e.to_string())?),
            None if framing.tpdu => return Err("--framed: \"tpdu\" is required".into()),
            None => None,
        };
        let header = match v.get("header").and_then(|t| t.as_str()) {
            Some(h) => Some(CupHeader::from_hex(h).map_err(|e| e.to_string())?),
            None if framing.cup_header => return Err("--framed: \"header\" is required".into()),
            None => None,
        };
        framing
            .wrap(tpdu, header, &body)
            .map_err(|e| format!("framing: {e}"))?
    } else {
        body
    };
    Ok(paycore::hex::encode(&out))
}
