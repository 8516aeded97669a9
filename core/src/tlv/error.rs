//! TLV errors say where (byte offset and tag path) and what went wrong.

use serde::{Deserialize, Serialize};

/// What is wrong with the TLV data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TlvErrorKind {
    /// The input ends inside a tag, a length or a value.
    #[error("truncated")]
    Truncated,
    /// A tag starts with `00` (or `FF` outside lenient mode) where padding is not allowed.
    #[error("bad tag")]
    BadTag,
    /// A tag longer than the configured maximum (3 bytes by default).
    #[error("tag longer than {max} bytes")]
    TagTooLong {
        /// The configured maximum.
        max: u8,
    },
    /// A length form that is not allowed (`85`+, or `83`/`84` outside lenient mode), or a
    /// non-minimal length in strict mode.
    #[error("bad length: {reason}")]
    BadLength {
        /// Which rule was broken.
        reason: String,
    },
    /// The BER indefinite length `80`, which EMV forbids.
    #[error("indefinite length (80) is not allowed")]
    Indefinite,
    /// Nesting deeper than the configured maximum.
    #[error("nesting deeper than {max}")]
    TooDeep {
        /// The configured maximum.
        max: u8,
    },
    /// The same tag twice in one template.
    #[error("duplicate tag")]
    Duplicate,
    /// Bytes after the last object that are not allowed (padding in strict mode, `FF` in EMV).
    #[error("trailing data")]
    Trailing,
}

/// A TLV error: where (byte offset from the start of the input, tag path) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{kind} at byte offset {offset}{}", if path.is_empty() { String::new() } else { format!(" (tag path {path})") })]
pub struct TlvError {
    /// Byte offset in the input at which the problem was found.
    pub offset: usize,
    /// Tag path to the offending object, e.g. `70/9F02`; empty at top level before a tag is known.
    pub path: String,
    /// What went wrong.
    pub kind: TlvErrorKind,
}

impl TlvError {
    pub(crate) fn new(offset: usize, path: impl Into<String>, kind: TlvErrorKind) -> Self {
        TlvError {
            offset,
            path: path.into(),
            kind,
        }
    }

    /// Prefixes the path with a parent path (used when descending into templates).
    pub(crate) fn under(mut self, parent: &str) -> Self {
        if !parent.is_empty() {
            self.path = if self.path.is_empty() {
                parent.to_string()
            } else {
                format!("{parent}/{}", self.path)
            };
        }
        self
    }
}
