//! ISO 8583: a spec-driven codec with the China UnionPay POS dialect, framing and a MAC hook.
//!
//! * [`Spec`] — a dialect as data (JSON in and out), with built-ins `cup-pos`, `iso87ascii`,
//!   `iso87binary`, `iso93ascii` ([`Spec::builtin`]).
//! * [`decode_ref`] — zero-copy, allocation-free decoding into a [`MessageRef`];
//!   [`decode`] — into an owned [`Message`]; [`Message::encode`] / [`Message::encode_into`].
//! * [`frame`] — length headers, the CUP TPDU and application header, a bounded [`Deframer`].
//! * [`mac`] — the MAC block and the [`MessageMac`] hook for field 64.
//! * [`describe()`] and [`Message::to_json`] — masked dumps and JSON.
//!
//! Errors say where: [`DecodeError`] carries the field number and byte offset.
//!
//! ```
//! use paycore::iso8583::{Message, Mti, Spec, decode_ref};
//! let spec = Spec::builtin("cup-pos").unwrap();
//! let mut m = Message::new(Mti::parse("0800").unwrap());
//! m.set_text(11, "000001").set_text(41, "12345678");
//! let bytes = m.encode(&spec).unwrap();
//! let view = decode_ref(&spec, &bytes).unwrap();
//! assert_eq!(view.field(11).unwrap().to_u64(), Some(1));
//! ```

mod builtin;
mod codec;
mod describe;
mod error;
pub mod frame;
mod json;
pub mod mac;
mod message;
mod mti;
mod spec;

pub use describe::{describe, mask_pan};
pub use error::{
    DecodeCause, DecodeError, EncodeCause, EncodeError, FIELD_BITMAP, FIELD_MTI, JsonError,
    SpecError,
};
pub use frame::{CupHeader, Deframer, Frame, FrameError, Framing, LengthHeader, Tpdu};
pub use json::{from_json, from_json_value, to_json, to_json_with};
pub use mac::{MacError, MacHookError, MessageMac};
pub use message::{Bitmap, FieldRef, Message, MessageRef, SubFieldValues, decode, decode_ref};
pub(crate) use message::{decode_each, encode_fields};
pub use mti::{BadMti, Mti, MtiClass, MtiFunction, MtiOrigin, MtiVersion};
pub use spec::{
    Align, BitmapEncoding, Encoding, FieldSpec, Format, LengthType, LengthUnit, MAX_FIELD, Mask,
    MtiEncoding, PrefixEncoding, Spec, Structure, SubFieldSpec,
};

/// Encodes `msg` with `spec` into a new `Vec` (same as [`Message::encode`]).
pub fn encode(msg: &Message, spec: &Spec) -> Result<Vec<u8>, EncodeError> {
    msg.encode(spec)
}
