//! The C ABI of paycore.
//!
//! Conventions (modelled on rustls-ffi):
//! - Every function is prefixed `paycore_`. Fallible functions return a [`paycore_result`]
//!   code (`PAYCORE_OK` = 0) and write outputs through trailing out-pointers, **only on
//!   success**.
//! - Strings and byte strings go in as pointer + length (UTF-8, not NUL-terminated). Text
//!   comes out into a caller buffer (`buf`, `buf_len`, `out_len`): on success `out_len` is the
//!   text length and the text is NUL-terminated when room allows; when the buffer is too
//!   small the call returns `PAYCORE_ERR_BUFFER_TOO_SMALL` and `out_len` holds the length
//!   needed (without the terminator).
//! - Opaque objects (`paycore_pan`, `paycore_track2`) are created by `_parse`/`_new`
//!   functions, owned by the caller, and released with exactly one `_free` (NULL is fine).
//! - Every pointer is checked for NULL (`PAYCORE_ERR_NULL_PARAMETER`). No panic crosses the
//!   boundary: a panic becomes `PAYCORE_ERR_PANIC`.
//! - Error details: [`paycore_last_error_message`] gives the message of the last failure on
//!   the calling thread (it names the offending field/offset and never holds key material or
//!   a full PAN).
#![allow(non_camel_case_types)]

mod boundary;
mod card;
mod fees;
mod iso8583;
mod ledger;
mod lifecycle;
mod money;
mod result;
mod security;
mod tlv;

pub use card::*;
pub use fees::*;
pub use iso8583::*;
pub use ledger::*;
pub use lifecycle::*;
pub use money::*;
pub use result::*;
pub use security::*;
pub use tlv::*;
