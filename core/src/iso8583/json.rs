//! Message ⇄ JSON for logs, tests and the inspector.
//!
//! Shape: `{"mti": "0200", "fields": {"2": "6228…", "52": "0123ABCD…", "60": {"1": "22", …}}}`.
//! Text formats (n, an, ans, z, x+n) are strings (`=` in track data); `b` is upper-case hex;
//! positional sub-fields are objects keyed by sub-field number; an `ans` value that is not
//! UTF-8 (GBK in CUP responses) is `{"hex": "…"}`. Fields are written in numeric order.

use serde_json::{Map, Value};

use super::error::JsonError;
use super::message::{Message, join_subfields, split_subfields};
use super::mti::Mti;
use super::spec::{FieldSpec, Format, Spec, Structure};

fn text_or_hex(format: Format, v: &[u8]) -> Value {
    if format == Format::B {
        return Value::String(crate::hex::encode(v));
    }
    match std::str::from_utf8(v) {
        Ok(s) => Value::String(s.to_owned()),
        Err(_) => {
            let mut m = Map::new();
            m.insert("hex".into(), Value::String(crate::hex::encode(v)));
            Value::Object(m)
        }
    }
}

/// The JSON value of one field.
pub(crate) fn field_value(fs: &FieldSpec, v: &[u8]) -> Value {
    if let (Some(Structure::Positional { subfields }), Some(parts)) =
        (&fs.structure, split_subfields(fs, v))
    {
        // Only nest when the value splits exactly along the sub-fields; otherwise the plain
        // value keeps the round trip exact.
        let exact = parts.len() <= subfields.len()
            && parts
                .iter()
                .zip(subfields)
                .all(|(p, s)| s.rest || p.len() == usize::from(s.length));
        if exact {
            let mut m = Map::new();
            for (i, (p, s)) in parts.iter().zip(subfields).enumerate() {
                m.insert((i + 1).to_string(), text_or_hex(s.format, p));
            }
            return Value::Object(m);
        }
    }
    text_or_hex(fs.format, v)
}

/// Writes the message as JSON text with fields in numeric order; `extra` pairs (e.g. `tpdu`,
/// `header`) come first.
pub fn to_json_with(msg: &Message, spec: &Spec, extra: &[(&str, String)]) -> String {
    let mut s = String::from("{\n");
    for (k, v) in extra {
        s.push_str(&format!(
            "  {}: {},\n",
            Value::from(*k),
            Value::from(v.as_str())
        ));
    }
    s.push_str(&format!("  \"mti\": \"{}\",\n  \"fields\": {{", msg.mti()));
    let mut first = true;
    for (n, v) in msg.iter() {
        let val = match spec.field(n) {
            Some(fs) => field_value(fs, v),
            None => Value::String(crate::hex::encode(v)),
        };
        s.push_str(if first { "\n" } else { ",\n" });
        first = false;
        s.push_str(&format!("    \"{n}\": {val}"));
    }
    s.push_str(if first { "}\n}" } else { "\n  }\n}" });
    s
}

/// The message as JSON text (fields in numeric order).
pub fn to_json(msg: &Message, spec: &Spec) -> String {
    to_json_with(msg, spec, &[])
}

fn field_err(field: u16, reason: impl Into<String>) -> JsonError {
    JsonError::Field {
        field,
        reason: reason.into(),
    }
}

fn leaf(field: u16, format: Format, v: &Value) -> Result<Vec<u8>, JsonError> {
    match v {
        Value::String(s) if format == Format::B => {
            crate::hex::decode(s).map_err(|e| field_err(field, format!("hex: {e}")))
        }
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        Value::Object(m) if m.len() == 1 && m.contains_key("hex") => match &m["hex"] {
            Value::String(h) => {
                crate::hex::decode(h).map_err(|e| field_err(field, format!("hex: {e}")))
            }
            _ => Err(field_err(field, "\"hex\" must be a string")),
        },
        _ => Err(field_err(field, "expected a string")),
    }
}

/// The logical value of one field from its JSON value.
pub(crate) fn value_from_json(fs: &FieldSpec, field: u16, v: &Value) -> Result<Vec<u8>, JsonError> {
    match (v, &fs.structure) {
        (Value::Object(m), Some(Structure::Positional { subfields }))
            if !(m.len() == 1 && m.contains_key("hex")) =>
        {
            let mut parts: Vec<Vec<u8>> = Vec::with_capacity(m.len());
            for i in 1..=m.len() {
                let sv = m
                    .get(&i.to_string())
                    .ok_or_else(|| field_err(field, format!("sub-field {i} missing")))?;
                let s = subfields
                    .get(i - 1)
                    .ok_or_else(|| field_err(field, format!("no sub-field {i} in the spec")))?;
                parts.push(leaf(field, s.format, sv)?);
            }
            let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            join_subfields(fs, &refs).map_err(|e| field_err(field, e.to_string()))
        }
        _ => leaf(field, fs.format, v),
    }
}

/// Reads a message from a JSON value; every field is checked against the spec.
pub fn from_json_value(v: &Value, spec: &Spec) -> Result<Message, JsonError> {
    let obj = v
        .as_object()
        .ok_or_else(|| JsonError::Syntax("expected an object".into()))?;
    let mti = obj
        .get("mti")
        .and_then(Value::as_str)
        .ok_or_else(|| JsonError::Syntax("\"mti\" missing or not a string".into()))?;
    let mti = Mti::parse(mti).map_err(|_| field_err(0, "an MTI is four digits"))?;
    let mut msg = Message::new(mti);
    if let Some(fields) = obj.get("fields") {
        let fields = fields
            .as_object()
            .ok_or_else(|| JsonError::Syntax("\"fields\" must be an object".into()))?;
        for (k, v) in fields {
            let n: u16 = k
                .parse()
                .map_err(|_| JsonError::Syntax(format!("field key {k:?} is not a number")))?;
            let fs = spec
                .field(n)
                .ok_or_else(|| field_err(n, "field not defined by the spec"))?;
            msg.set(n, value_from_json(fs, n, v)?);
        }
    }
    msg.validate(spec)
        .map_err(|e| field_err(e.field, e.cause.to_string()))?;
    Ok(msg)
}

/// Reads a message from JSON text.
pub fn from_json(text: &str, spec: &Spec) -> Result<Message, JsonError> {
    let v: Value = serde_json::from_str(text).map_err(|e| JsonError::Syntax(e.to_string()))?;
    from_json_value(&v, spec)
}

impl Message {
    /// The message as JSON text (see the [module docs](self)).
    pub fn to_json(&self, spec: &Spec) -> String {
        to_json(self, spec)
    }

    /// Reads a message from JSON text.
    pub fn from_json(text: &str, spec: &Spec) -> Result<Message, JsonError> {
        from_json(text, spec)
    }
}
