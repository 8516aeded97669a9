//! How forgiving the reader is: strict BER, EMV, or lenient for field data.

use serde::{Deserialize, Serialize};

/// Parsing mode: which deviations from minimal, padding-free BER are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Mode {
    /// Canonical data only: no padding, minimal lengths, no trailing bytes, no duplicates.
    Strict,
    /// EMV Book 3 Annex B: `00` padding before, between and after objects is skipped,
    /// non-minimal lengths (`81 05`) are accepted, the indefinite length `80` is rejected and
    /// lengths use at most the `82` form.
    #[default]
    Emv,
    /// For data from the field: like [`Mode::Emv`], and also `FF` padding (jPOS) and length
    /// forms up to `84`.
    Lenient,
}

/// Options for [`TlvIter`](super::TlvIter) and [`parse_tree`](super::parse_tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseOptions {
    /// Strict, EMV or lenient.
    pub mode: Mode,
    /// Maximum nesting depth; top-level objects are depth 1. A `u8` so the bound stays small
    /// enough for recursive consumers of the resulting tree.
    pub max_depth: u8,
    /// Maximum tag length in bytes: 3 by default (contactless kernels use `DF8129`), 4 on request.
    pub max_tag_len: u8,
    /// Reject two objects with the same tag in the same template (EMV requires terminals to
    /// detect duplicate card data). Only [`parse_tree`](super::parse_tree) checks this; the
    /// iterator is stateless.
    pub reject_duplicates: bool,
}

impl ParseOptions {
    /// Default depth limit: EMV data never nests deeper than a handful of templates.
    pub const DEFAULT_MAX_DEPTH: u8 = 8;

    /// Options for a mode, with the defaults (depth 8, tags up to 3 bytes; duplicates rejected
    /// in strict mode only).
    pub const fn new(mode: Mode) -> Self {
        ParseOptions {
            mode,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_tag_len: 3,
            reject_duplicates: matches!(mode, Mode::Strict),
        }
    }

    /// Strict BER.
    pub const fn strict() -> Self {
        Self::new(Mode::Strict)
    }

    /// EMV rules (the default).
    pub const fn emv() -> Self {
        Self::new(Mode::Emv)
    }

    /// Lenient rules for field data.
    pub const fn lenient() -> Self {
        Self::new(Mode::Lenient)
    }

    /// Sets the depth limit.
    pub const fn with_max_depth(mut self, depth: u8) -> Self {
        self.max_depth = depth;
        self
    }

    /// Allows 4-byte tags.
    pub const fn with_four_byte_tags(mut self) -> Self {
        self.max_tag_len = 4;
        self
    }

    /// Sets duplicate detection.
    pub const fn with_reject_duplicates(mut self, reject: bool) -> Self {
        self.reject_duplicates = reject;
        self
    }

    pub(crate) const fn is_padding(&self, b: u8) -> bool {
        match self.mode {
            Mode::Strict => false,
            Mode::Emv => b == 0x00,
            Mode::Lenient => b == 0x00 || b == 0xFF,
        }
    }

    /// Largest long-form length field (number of length bytes after the `8x` byte).
    pub(crate) const fn max_length_bytes(&self) -> usize {
        match self.mode {
            Mode::Strict | Mode::Emv => 2,
            Mode::Lenient => 4,
        }
    }
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self::emv()
    }
}
