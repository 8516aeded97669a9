//! Errors and response codes.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::types::Stan;
use super::wire::WireError;

/// Everything that can go wrong when driving either state machine. An `Err` never changes state.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum LifecycleError {
    /// A number outside its domain (STAN, batch, amount, currency, totals).
    #[error("{what} out of range: {value}")]
    OutOfRange {
        /// Which quantity.
        what: &'static str,
        /// The offending value (absolute).
        value: u64,
    },
    /// A terminal or merchant id of the wrong length or with non-printable characters.
    #[error("{what} must be {expected_len} printable ASCII characters")]
    InvalidIdentifier {
        /// Which id.
        what: &'static str,
        /// Required length.
        expected_len: usize,
    },
    /// The bytes are not a well-formed message.
    #[error("malformed message: {0}")]
    Wire(#[from] WireError),
    /// A field is missing or its content is wrong.
    #[error("field {field} at offset {offset}: {reason}")]
    Field {
        /// Field number.
        field: u8,
        /// Character offset inside the field.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The F62 key block could not be unwrapped.
    #[error("sign-on key block: {reason}")]
    KeyBlock {
        /// Why.
        reason: &'static str,
    },
    /// The operation is not allowed in the current state.
    #[error("{operation} is not allowed while {state}")]
    IllegalState {
        /// What was attempted.
        operation: &'static str,
        /// The current state.
        state: &'static str,
    },
    /// A transaction request that is inconsistent in itself (e.g. a void without original).
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// Why.
        reason: &'static str,
    },
    /// A message arrived that the session is not waiting for.
    #[error("unexpected message type {mti:04}")]
    UnexpectedMessage {
        /// Its MTI.
        mti: u16,
    },
    /// A response whose field does not match the outstanding request.
    #[error("response field {field} does not match the request")]
    Mismatch {
        /// Field number (0 = MTI).
        field: u8,
    },
    /// A response to a request that the session has already given up on (and reversed).
    #[error("late response for STAN {stan}: the request was already reversed or abandoned")]
    LateResponse {
        /// The STAN of the abandoned request.
        stan: Stan,
    },
    /// The host answered a reversal with a code that does not confirm it; it will be resent.
    #[error("reversal not acknowledged; it will be sent again")]
    ReversalNotAcknowledged,
    /// The MAC of a message is absent or wrong.
    #[error("MAC verification failed")]
    MacInvalid,
    /// The terminal is not registered at the processor.
    #[error("unknown terminal")]
    UnknownTerminal,
    /// A network answer for a request that is no longer outstanding.
    #[error("network answer for unknown or expired request {id}")]
    UnknownNetworkRequest {
        /// Network request id.
        id: u64,
    },
}

/// An F39 response code with its meaning.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResponseCode(pub String);

impl ResponseCode {
    /// `00`.
    pub fn approved() -> Self {
        ResponseCode("00".into())
    }
    /// Whether this is an approval.
    pub fn is_approved(&self) -> bool {
        self.0 == "00"
    }
    /// The customary CUP meaning (reference `iso8583-cup-pos.md` §4.10; codes marked \[K\]).
    pub fn meaning(&self) -> &'static str {
        match self.0.as_str() {
            "00" => "approved",
            "01" => "refer to card issuer",
            "03" => "invalid merchant",
            "04" => "pick up card",
            "05" => "do not honour",
            "12" => "invalid transaction",
            "13" => "invalid amount",
            "14" => "invalid card number",
            "22" => "suspected malfunction",
            "25" => "unable to locate original transaction",
            "30" => "format error",
            "33" | "54" => "expired",
            "40" => "function not supported",
            "51" => "insufficient funds",
            "55" => "incorrect PIN",
            "61" => "exceeds amount limit",
            "64" => "original amount incorrect",
            "77" => "re-sign-on required",
            "94" => "duplicate transmission",
            "96" => "system malfunction",
            "98" => "network timeout",
            "A0" => "MAC verification failed",
            _ => "declined",
        }
    }
}
