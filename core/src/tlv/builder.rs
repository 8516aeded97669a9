//! Writing TLV: always the minimal length form, so output is canonical DER-style BER.

use super::Tag;

/// Appends a BER definite length in its minimal form.
pub fn encode_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

/// Appends one TLV object (tag, minimal length, value).
pub fn encode_tlv(tag: Tag, value: &[u8], out: &mut Vec<u8>) {
    tag.write_to(out);
    encode_length(value.len(), out);
    out.extend_from_slice(value);
}

/// Builds a sequence of TLV objects, with nested templates.
///
/// ```
/// use paycore::tlv::{Tag, TlvBuilder};
/// let bytes = TlvBuilder::new()
///     .primitive(Tag::of(0x9F02), &[0, 0, 0, 0, 1, 0])
///     .constructed(Tag::of(0x70), |b| {
///         b.primitive(Tag::of(0x5F34), &[1]);
///     })
///     .finish();
/// assert_eq!(paycore::hex::encode(&bytes), "9F020600000000010070045F340101");
/// ```
#[derive(Debug, Default, Clone)]
pub struct TlvBuilder {
    buf: Vec<u8>,
}

impl TlvBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a primitive object.
    pub fn primitive(&mut self, tag: Tag, value: &[u8]) -> &mut Self {
        encode_tlv(tag, value, &mut self.buf);
        self
    }

    /// Appends already-encoded TLV bytes verbatim (e.g. a card's record, to keep its bytes).
    pub fn raw(&mut self, encoded: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(encoded);
        self
    }

    /// Appends a constructed object whose content is written by `content`.
    pub fn constructed(&mut self, tag: Tag, content: impl FnOnce(&mut TlvBuilder)) -> &mut Self {
        let mut inner = TlvBuilder::new();
        content(&mut inner);
        encode_tlv(tag, &inner.buf, &mut self.buf);
        self
    }

    /// Bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The encoded bytes.
    pub fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_lengths() {
        let cases: [(usize, &[u8]); 5] = [
            (0, &[0x00]),
            (127, &[0x7F]),
            (128, &[0x81, 0x80]),
            (255, &[0x81, 0xFF]),
            (256, &[0x82, 0x01, 0x00]),
        ];
        for (len, want) in cases {
            let mut v = Vec::new();
            encode_length(len, &mut v);
            assert_eq!(v, want, "{len}");
        }
    }
}
