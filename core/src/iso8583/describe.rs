//! Human-readable dump with PCI masking on by default: PAN first 6 + last 4, track data
//! reduced to the masked PAN, PIN block and key blocks hidden, sensitive EMV tags in F55
//! hidden while the TLV structure stays visible.

use std::fmt::Write as _;

use super::message::{Message, split_subfields};
use super::spec::{Format, Mask, Spec, Structure};

/// EMV tags whose values are card data (PAN, track 2 equivalent, track 1/2 discretionary data,
/// cardholder name, magstripe track data).
const SENSITIVE_TAGS: &[u32] = &[0x5A, 0x57, 0x56, 0x9F1F, 0x9F20, 0x9F6B, 0x5F20];

/// Masks a PAN: first 6 and last 4 digits shown (fewer when the PAN is short).
pub fn mask_pan(pan: &str) -> String {
    let n = pan.chars().count();
    let (head, tail) = if n >= 13 {
        (6, 4)
    } else if n > 4 {
        (0, 4)
    } else {
        (0, 0)
    };
    pan.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

fn mask_track(t: &str) -> String {
    let t = t.trim_start_matches(['%', ';', 'B']);
    let sep = t.find(['=', '^', 'D']).unwrap_or(t.len());
    format!("{}=***", mask_pan(&t[..sep]))
}

/// A minimal BER-TLV walk for display only (the full TLV module lives elsewhere).
fn describe_tlv(out: &mut String, mut data: &[u8], masked: bool, depth: usize) -> Result<(), ()> {
    while !data.is_empty() {
        if data[0] == 0x00 || data[0] == 0xFF {
            // Padding between objects.
            data = &data[1..];
            continue;
        }
        let mut tag_len = 1;
        if data[0] & 0x1F == 0x1F {
            while *data.get(tag_len).ok_or(())? & 0x80 != 0 {
                tag_len += 1;
                if tag_len > 3 {
                    return Err(());
                }
            }
            tag_len += 1;
        }
        let tag_bytes = data.get(..tag_len).ok_or(())?;
        let tag = tag_bytes.iter().fold(0u32, |t, &b| t << 8 | u32::from(b));
        let mut pos = tag_len;
        let first = *data.get(pos).ok_or(())?;
        pos += 1;
        let len = if first & 0x80 == 0 {
            usize::from(first)
        } else {
            let k = usize::from(first & 0x7F);
            if k == 0 || k > 2 {
                return Err(());
            }
            let b = data.get(pos..pos + k).ok_or(())?;
            pos += k;
            b.iter().fold(0usize, |v, &x| v << 8 | usize::from(x))
        };
        let value = data.get(pos..pos + len).ok_or(())?;
        let indent = "  ".repeat(depth + 3);
        let constructed = tag_bytes[0] & 0x20 != 0;
        let _ = write!(out, "\n{indent}{} ({len})", crate::hex::encode(tag_bytes));
        if constructed {
            describe_tlv(out, value, masked, depth + 1)?;
        } else if masked && SENSITIVE_TAGS.contains(&tag) {
            out.push_str(" ***");
        } else {
            let _ = write!(out, " {}", crate::hex::encode(value));
        }
        data = &data[pos + len..];
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
                if describe_tlv(&mut s, v, false, 0).is_ok() {
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
            if describe_tlv(&mut s, v, true, 0).is_ok() {
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
