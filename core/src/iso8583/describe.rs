//! Human-readable dump with PCI masking on by default: PAN first 6 + last 4, track data
//! reduced to the masked PAN, PIN block and key blocks hidden, sensitive EMV tags in F55
//! hidden while the TLV structure stays visible.

use std::fmt::Write as _;

use super::message::{Message, split_bitmapped, split_subfields};
use super::spec::{Format, Mask, Spec, Structure};
use crate::tlv::{ParseOptions, TlvError, mask_value_hex, parse_tree};

/// Masks a PAN for display: first 6 + last 4 (fewer on short values, see
/// [`mask_digits`](crate::card::mask_digits)).
pub fn mask_pan(pan: &str) -> String {
    crate::card::mask_digits(pan, crate::card::MaskStyle::First6Last4)
}

fn mask_track(t: &str) -> String {
    let t = t.trim_start_matches(['%', ';', 'B']);
    let sep = t.find(['=', '^', 'D']).unwrap_or(t.len());
    format!("{}=***", mask_pan(&t[..sep]))
}

/// Lists the TLV objects of `data` (EMV rules: `00` padding skipped) one per line, indented
/// by depth, with sensitive values masked by the TLV module's redaction rules when `masked`.
fn describe_tlv(out: &mut String, data: &[u8], masked: bool) -> Result<(), TlvError> {
    let tree = parse_tree(data, ParseOptions::emv())?;
    for node in tree.iter() {
        let tag = node.tag();
        let indent = "  ".repeat(usize::from(node.depth()) + 2);
        let _ = write!(out, "\n{indent}{tag} ({})", node.value().len());
        if !tag.is_constructed() {
            let value = if masked {
                mask_value_hex(tag, node.value())
            } else {
                crate::hex::encode(node.value())
            };
            let _ = write!(out, " {value}");
        }
    }
    Ok(())
}

fn render(format: Format, mask: Mask, v: &[u8], masked: bool) -> String {
    let text = || match std::str::from_utf8(v) {
        Ok(s) if format.is_text() => s.to_owned(),
        _ => crate::hex::encode(v),
    };
    if !masked {
        return match mask {
            Mask::Tlv => {
                let mut s = String::new();
                if describe_tlv(&mut s, v, false).is_ok() {
                    format!("{}{s}", crate::hex::encode(v))
                } else {
                    crate::hex::encode(v)
                }
            }
            _ => text(),
        };
    }
    match mask {
        Mask::None => text(),
        Mask::Pan => mask_pan(&text()),
        Mask::Track => mask_track(&text()),
        Mask::Full => format!("*** ({} bytes)", v.len()),
        Mask::Tlv => {
            let mut s = String::new();
            if describe_tlv(&mut s, v, true).is_ok() {
                format!("({} bytes){s}", v.len())
            } else {
                format!("*** ({} bytes, not BER-TLV)", v.len())
            }
        }
    }
}

/// Renders the message as text, one line per field (`masked` = PCI masking on).
pub fn describe(msg: &Message, spec: &Spec, masked: bool) -> String {
    let mti = msg.mti();
    let mut out = format!(
        "MTI  {mti} ({:?}, {:?}, {:?}, {:?})\n",
        mti.version(),
        mti.class(),
        mti.function(),
        mti.origin()
    );
    let bm = msg.bitmap(spec);
    let _ = writeln!(out, "BMP  {:016X}", bm.primary());
    if let Some(s) = bm.secondary() {
        let _ = writeln!(out, "BMP2 {s:016X}");
    }
    if let Some(t) = bm.tertiary() {
        let _ = writeln!(out, "BMP3 {t:016X}");
    }
    for (n, v) in msg.iter() {
        let Some(fs) = spec.field(n) else {
            let _ = writeln!(out, "F{n:03} (not in spec) {} bytes", v.len());
            continue;
        };
        let _ = writeln!(
            out,
            "F{n:03} {:<44} {:<9} {}",
            fs.name,
            fs.notation(),
            render(fs.format, fs.mask, v, masked)
        );
        if let (Some(Structure::Bitmapped { fields, .. }), Some(Ok(subs))) =
            (&fs.structure, split_bitmapped(fs, n, v))
        {
            for (k, sv) in subs {
                if let Some(sfs) = fields.get(&k) {
                    let _ = writeln!(
                        out,
                        "     {n}.{k:<3} {:<40} {}",
                        sfs.name,
                        render(sfs.format, sfs.mask, &sv, masked)
                    );
                }
            }
        }
        if let (Some(Structure::Positional { subfields }), Some(parts)) =
            (&fs.structure, split_subfields(fs, v))
        {
            for (i, p) in parts.iter().enumerate() {
                let (name, format) = subfields
                    .get(i)
                    .map(|s| (s.name.as_str(), s.format))
                    .unwrap_or(("(extra)", fs.format));
                let sub_mask = if fs.mask == Mask::Full {
                    Mask::Full
                } else {
                    Mask::None
                };
                let _ = writeln!(
                    out,
                    "     {n}.{:<3} {:<40} {}",
                    i + 1,
                    name,
                    render(format, sub_mask, p, masked)
                );
            }
        }
    }
    out
}
