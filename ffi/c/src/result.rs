//! Result codes and error text.

use crate::boundary::{LAST_ERROR, write_text};
use std::os::raw::c_char;

/// Result of every fallible `paycore_` function. Values are stable; new codes are only added.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum paycore_result {
    /// Success.
    PAYCORE_OK = 0,
    /// A required pointer argument was NULL.
    PAYCORE_ERR_NULL_PARAMETER = 1,
    /// A Rust panic was caught at the boundary (a bug in paycore: please report it).
    PAYCORE_ERR_PANIC = 2,
    /// A text argument is not valid UTF-8.
    PAYCORE_ERR_INVALID_UTF8 = 3,
    /// The output buffer is too small; `out_len` holds the size needed.
    PAYCORE_ERR_BUFFER_TOO_SMALL = 4,
    /// An integer enum argument (rounding mode, mask style, …) is out of range.
    PAYCORE_ERR_INVALID_ARGUMENT = 5,
    /// Unknown ISO 4217 currency code.
    PAYCORE_ERR_UNKNOWN_CURRENCY = 100,
    /// Malformed decimal amount or rate text.
    PAYCORE_ERR_MALFORMED_AMOUNT = 101,
    /// More decimals than the currency's minor unit allows.
    PAYCORE_ERR_TOO_MANY_DECIMALS = 102,
    /// Arithmetic overflow.
    PAYCORE_ERR_OVERFLOW = 103,
    /// Two amounts in different currencies were combined.
    PAYCORE_ERR_CURRENCY_MISMATCH = 104,
    /// Unusable allocation weights.
    PAYCORE_ERR_INVALID_WEIGHTS = 105,
    /// PAN with non-digits or a length outside 12..=19.
    PAYCORE_ERR_INVALID_PAN = 200,
    /// Malformed track 2 data.
    PAYCORE_ERR_INVALID_TRACK2 = 201,
    /// Malformed expiry date.
    PAYCORE_ERR_INVALID_EXPIRY = 202,
    /// An ISO 8583 message could not be decoded (the message names field and byte offset).
    PAYCORE_ERR_ISO8583_DECODE = 300,
    /// An ISO 8583 message ends inside a field (more bytes needed).
    PAYCORE_ERR_ISO8583_TRUNCATED = 301,
    /// An ISO 8583 value or message does not fit the spec (the message names the field).
    PAYCORE_ERR_ISO8583_ENCODE = 302,
    /// An ISO 8583 spec is unknown or its JSON is invalid.
    PAYCORE_ERR_ISO8583_SPEC = 303,
    /// An ISO 8583 message in JSON is malformed or does not fit the spec.
    PAYCORE_ERR_ISO8583_JSON = 304,
    /// Bad framing (length header, TPDU, CUP header).
    PAYCORE_ERR_ISO8583_FRAME = 305,
    /// The requested ISO 8583 field or sub-field is not present.
    PAYCORE_ERR_ISO8583_FIELD_ABSENT = 306,
    /// The spec or message has no usable MAC field.
    PAYCORE_ERR_ISO8583_MAC = 307,
    // ledger
    /// No ledger account with this id (or no withdrawable account for the merchant).
    PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND = 800,
    /// No ledger transfer with this id.
    PAYCORE_ERR_LEDGER_TRANSFER_NOT_FOUND = 801,
    /// History query on an account created without the history flag.
    PAYCORE_ERR_LEDGER_HISTORY_NOT_ENABLED = 802,
    /// Balance asked for a time before the account existed.
    PAYCORE_ERR_LEDGER_BEFORE_CREATION = 803,
    /// Malformed journal (the message names the line and byte offset).
    PAYCORE_ERR_LEDGER_JOURNAL = 804,
    /// Malformed or inconsistent ledger snapshot.
    PAYCORE_ERR_LEDGER_SNAPSHOT = 805,
    /// A ledger invariant does not hold.
    PAYCORE_ERR_LEDGER_INVARIANT = 806,
    /// A business event cannot be turned into transfers.
    PAYCORE_ERR_LEDGER_POSTING = 807,
    /// The ledger refused a withdrawal posting (result code in the message).
    PAYCORE_ERR_LEDGER_REFUSED = 808,
    /// Withdrawal amount outside the policy limits, or the fee leaves nothing to pay.
    PAYCORE_ERR_WITHDRAWAL_LIMIT = 809,
    /// Withdrawal exceeds the withdrawable balance.
    PAYCORE_ERR_WITHDRAWAL_INSUFFICIENT = 810,
    /// Withdrawal transition not allowed from its current state.
    PAYCORE_ERR_WITHDRAWAL_ILLEGAL_TRANSITION = 811,
    /// Key bytes of the wrong length for the algorithm.
    PAYCORE_ERR_KEY_LENGTH = 500,
    /// Malformed hex text (odd length or a non-hex character).
    PAYCORE_ERR_HEX = 501,
    /// The operation is not defined for the key's algorithm.
    PAYCORE_ERR_KEY_ALGORITHM = 502,
    /// A security input (KSN, PIN block, field 62, ECB data, …) has the wrong length.
    PAYCORE_ERR_SECURITY_LENGTH = 503,
    /// Invalid PIN or PAN for a PIN block (length, non-digits, missing PAN, too little randomness).
    PAYCORE_ERR_PIN_INPUT = 504,
    /// A decoded PIN block is malformed (control nibble, length, digit or filler).
    PAYCORE_ERR_PIN_BLOCK = 505,
    /// A MAC did not verify.
    PAYCORE_ERR_MAC_MISMATCH = 506,
    /// A key check value did not match.
    PAYCORE_ERR_CHECK_VALUE = 507,
    /// Invalid DUKPT transaction counter (zero or too many one-bits).
    PAYCORE_ERR_DUKPT_COUNTER = 508,
    /// The DUKPT terminal has used every key its counter allows.
    PAYCORE_ERR_DUKPT_EXHAUSTED = 509,
    /// Malformed TR-31 key block or header.
    PAYCORE_ERR_TR31_FORMAT = 510,
    /// TR-31 key block MAC failed (tampered block or wrong KBPK).
    PAYCORE_ERR_TR31_MAC = 511,
    /// Malformed BER-TLV (message names the byte offset and tag path).
    PAYCORE_ERR_TLV_MALFORMED = 400,
    /// An EMV operation failed (unknown tag, bad value, missing field 55 object).
    PAYCORE_ERR_EMV = 401,
    /// A malformed EMVCo QR payload (message names the offset and ID path).
    PAYCORE_ERR_QR_MALFORMED = 402,
    /// An EMVCo QR CRC does not match (message gives expected and actual).
    PAYCORE_ERR_QR_CRC_MISMATCH = 403,
    /// The requested TLV tag path is not present in the data.
    PAYCORE_ERR_TLV_NOT_FOUND = 404,
    /// A flag name that the EMV bit field does not define.
    PAYCORE_ERR_EMV_UNKNOWN_FLAG = 405,
    /// A tag that is not in the EMV dictionary.
    PAYCORE_ERR_EMV_UNKNOWN_TAG = 406,
    // fees / calendar / settlement
    /// Invalid fee schedule, pricing or settlement document (line/column or rule and field named).
    PAYCORE_ERR_FEE_SCHEDULE = 700,
    /// No rule of the schedule matches the transaction.
    PAYCORE_ERR_FEE_NO_RULE = 701,
    /// The agent id is not in the schedule's agent tree.
    PAYCORE_ERR_FEE_UNKNOWN_AGENT = 702,
    /// The agents' total profit exceeds the acquirer margin.
    PAYCORE_ERR_FEE_AGENT_PROFIT = 703,
    /// A refund larger than what remains of the original sale.
    PAYCORE_ERR_FEE_REFUND_EXCEEDS = 704,
    /// A fee or D0 amount is negative.
    PAYCORE_ERR_FEE_NEGATIVE_AMOUNT = 705,
    /// D0 payout outside the window or the limits.
    PAYCORE_ERR_D0_REFUSED = 706,
    /// The schedule has no `d0` section.
    PAYCORE_ERR_D0_NOT_CONFIGURED = 707,
    /// The date's year has no official holiday table (fail closed).
    PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED = 710,
    /// A December date whose next-year notice is missing, refused by policy.
    PAYCORE_ERR_CALENDAR_PROVISIONAL = 711,
    /// Other calendar failure (conflicting overrides, scan limit).
    PAYCORE_ERR_CALENDAR = 712,
    /// A year/month/day that is not a calendar date, or date arithmetic out of range.
    PAYCORE_ERR_INVALID_DATE = 713,
    /// An event time that is malformed or has no UTC offset.
    PAYCORE_ERR_SETTLEMENT_TIME = 720,
    /// A settlement cycle that is not T<n>, D<n>, S0, W<n> or M<n>, or N out of range.
    PAYCORE_ERR_SETTLEMENT_CYCLE = 721,
    /// An invalid network cut-off (offset beyond ±18 h, time out of range).
    PAYCORE_ERR_SETTLEMENT_CUTOFF = 722,
    /// Malformed settlement records CSV (line, column and field named).
    PAYCORE_ERR_SETTLEMENT_CSV = 723,
    /// An invalid or duplicate settlement record, or too many records.
    PAYCORE_ERR_SETTLEMENT_RECORD = 724,
    /// Malformed carried state JSON from a previous run.
    PAYCORE_ERR_SETTLEMENT_STATE = 725,
    // lifecycle
    /// A lifecycle number (STAN, batch, amount, currency, time, option) out of range.
    PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE = 600,
    /// A terminal id (8) or merchant id (15 printable ASCII characters) of the wrong form.
    PAYCORE_ERR_LIFECYCLE_IDENTIFIER = 601,
    /// Frame bytes that are not a well-formed CUP POS message (message names field and byte offset).
    PAYCORE_ERR_LIFECYCLE_MALFORMED_MESSAGE = 602,
    /// A message field is missing or wrong (message names field and offset).
    PAYCORE_ERR_LIFECYCLE_FIELD = 603,
    /// The sign-on key block (F62) could not be unwrapped with the TMK.
    PAYCORE_ERR_LIFECYCLE_KEY_BLOCK = 604,
    /// The operation is not allowed in the session's or processor's current state.
    PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE = 605,
    /// A transaction request inconsistent in itself (e.g. a void without original).
    PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST = 606,
    /// A message type the session is not waiting for.
    PAYCORE_ERR_LIFECYCLE_UNEXPECTED_MESSAGE = 607,
    /// A response field does not match the outstanding request.
    PAYCORE_ERR_LIFECYCLE_MISMATCH = 608,
    /// A response to a request already reversed or abandoned.
    PAYCORE_ERR_LIFECYCLE_LATE_RESPONSE = 609,
    /// The host did not confirm a reversal; it will be sent again.
    PAYCORE_ERR_LIFECYCLE_REVERSAL_NOT_ACKNOWLEDGED = 610,
    /// A lifecycle message MAC (F64) is absent or wrong.
    PAYCORE_ERR_LIFECYCLE_MAC_INVALID = 611,
    /// The terminal is not registered at the processor.
    PAYCORE_ERR_LIFECYCLE_UNKNOWN_TERMINAL = 612,
    /// A network answer for an unknown or expired request id.
    PAYCORE_ERR_LIFECYCLE_UNKNOWN_NETWORK_REQUEST = 613,
    /// Malformed lifecycle JSON (saved session or network response); message names line and column.
    PAYCORE_ERR_LIFECYCLE_JSON = 614,
}

impl paycore_result {
    /// A fixed, human-readable description of the code.
    pub(crate) fn description(self) -> &'static str {
        use paycore_result::*;
        match self {
            PAYCORE_OK => "success",
            PAYCORE_ERR_NULL_PARAMETER => "a required pointer argument was NULL",
            PAYCORE_ERR_PANIC => "internal error (panic caught at the FFI boundary)",
            PAYCORE_ERR_INVALID_UTF8 => "text argument is not valid UTF-8",
            PAYCORE_ERR_BUFFER_TOO_SMALL => "output buffer too small",
            PAYCORE_ERR_INVALID_ARGUMENT => "enum argument out of range",
            PAYCORE_ERR_UNKNOWN_CURRENCY => "unknown currency",
            PAYCORE_ERR_MALFORMED_AMOUNT => "malformed amount",
            PAYCORE_ERR_TOO_MANY_DECIMALS => "too many decimal places for the currency",
            PAYCORE_ERR_OVERFLOW => "amount overflow",
            PAYCORE_ERR_CURRENCY_MISMATCH => "currency mismatch",
            PAYCORE_ERR_INVALID_WEIGHTS => "invalid allocation weights",
            PAYCORE_ERR_INVALID_PAN => "invalid PAN",
            PAYCORE_ERR_INVALID_TRACK2 => "invalid track 2 data",
            PAYCORE_ERR_INVALID_EXPIRY => "invalid expiry date",
            PAYCORE_ERR_ISO8583_DECODE => "ISO 8583 message could not be decoded",
            PAYCORE_ERR_ISO8583_TRUNCATED => "ISO 8583 message truncated",
            PAYCORE_ERR_ISO8583_ENCODE => "ISO 8583 value does not fit the spec",
            PAYCORE_ERR_ISO8583_SPEC => "unknown or invalid ISO 8583 spec",
            PAYCORE_ERR_ISO8583_JSON => "invalid ISO 8583 message JSON",
            PAYCORE_ERR_ISO8583_FRAME => "bad ISO 8583 framing",
            PAYCORE_ERR_ISO8583_FIELD_ABSENT => "ISO 8583 field not present",
            PAYCORE_ERR_ISO8583_MAC => "no usable ISO 8583 MAC field",
            PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND => "ledger account not found",
            PAYCORE_ERR_LEDGER_TRANSFER_NOT_FOUND => "ledger transfer not found",
            PAYCORE_ERR_LEDGER_HISTORY_NOT_ENABLED => "account has no history",
            PAYCORE_ERR_LEDGER_BEFORE_CREATION => "time before the account was created",
            PAYCORE_ERR_LEDGER_JOURNAL => "malformed ledger journal",
            PAYCORE_ERR_LEDGER_SNAPSHOT => "invalid ledger snapshot",
            PAYCORE_ERR_LEDGER_INVARIANT => "ledger invariant violated",
            PAYCORE_ERR_LEDGER_POSTING => "business event cannot be posted",
            PAYCORE_ERR_LEDGER_REFUSED => "ledger refused the posting",
            PAYCORE_ERR_WITHDRAWAL_LIMIT => "withdrawal outside policy limits",
            PAYCORE_ERR_WITHDRAWAL_INSUFFICIENT => "insufficient withdrawable balance",
            PAYCORE_ERR_WITHDRAWAL_ILLEGAL_TRANSITION => "illegal withdrawal transition",
            PAYCORE_ERR_KEY_LENGTH => "key length does not fit the algorithm",
            PAYCORE_ERR_HEX => "malformed hex",
            PAYCORE_ERR_KEY_ALGORITHM => "operation not defined for this key algorithm",
            PAYCORE_ERR_SECURITY_LENGTH => "security input of the wrong length",
            PAYCORE_ERR_PIN_INPUT => "invalid PIN, PAN or randomness for the PIN block",
            PAYCORE_ERR_PIN_BLOCK => "malformed PIN block",
            PAYCORE_ERR_MAC_MISMATCH => "MAC verification failed",
            PAYCORE_ERR_CHECK_VALUE => "check value mismatch",
            PAYCORE_ERR_DUKPT_COUNTER => "invalid DUKPT counter",
            PAYCORE_ERR_DUKPT_EXHAUSTED => "DUKPT counter exhausted",
            PAYCORE_ERR_TR31_FORMAT => "malformed TR-31 key block",
            PAYCORE_ERR_TR31_MAC => "TR-31 key block MAC verification failed",
            PAYCORE_ERR_TLV_MALFORMED => "malformed BER-TLV",
            PAYCORE_ERR_EMV => "EMV data error",
            PAYCORE_ERR_QR_MALFORMED => "malformed EMVCo QR payload",
            PAYCORE_ERR_QR_CRC_MISMATCH => "EMVCo QR CRC mismatch",
            PAYCORE_ERR_TLV_NOT_FOUND => "TLV tag path not present",
            PAYCORE_ERR_EMV_UNKNOWN_FLAG => "unknown EMV flag name",
            PAYCORE_ERR_EMV_UNKNOWN_TAG => "tag not in the EMV dictionary",
            PAYCORE_ERR_FEE_SCHEDULE => "invalid fee schedule document",
            PAYCORE_ERR_FEE_NO_RULE => "no fee rule matches the transaction",
            PAYCORE_ERR_FEE_UNKNOWN_AGENT => "unknown agent",
            PAYCORE_ERR_FEE_AGENT_PROFIT => "agent profit exceeds the acquirer margin",
            PAYCORE_ERR_FEE_REFUND_EXCEEDS => "refund exceeds the remaining original amount",
            PAYCORE_ERR_FEE_NEGATIVE_AMOUNT => "negative amount",
            PAYCORE_ERR_D0_REFUSED => "D0 payout refused by the limits or window",
            PAYCORE_ERR_D0_NOT_CONFIGURED => "schedule has no D0 terms",
            PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED => "year not covered by the calendar",
            PAYCORE_ERR_CALENDAR_PROVISIONAL => "provisional December date refused",
            PAYCORE_ERR_CALENDAR => "calendar error",
            PAYCORE_ERR_INVALID_DATE => "invalid calendar date",
            PAYCORE_ERR_SETTLEMENT_TIME => "event time is not RFC 3339 with a UTC offset",
            PAYCORE_ERR_SETTLEMENT_CYCLE => "unknown or out-of-range settlement cycle",
            PAYCORE_ERR_SETTLEMENT_CUTOFF => "invalid network cut-off",
            PAYCORE_ERR_SETTLEMENT_CSV => "malformed settlement CSV",
            PAYCORE_ERR_SETTLEMENT_RECORD => "invalid settlement record",
            PAYCORE_ERR_SETTLEMENT_STATE => "malformed settlement carry state JSON",
            PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE => "lifecycle value out of range",
            PAYCORE_ERR_LIFECYCLE_IDENTIFIER => "invalid terminal or merchant id",
            PAYCORE_ERR_LIFECYCLE_MALFORMED_MESSAGE => "malformed lifecycle message",
            PAYCORE_ERR_LIFECYCLE_FIELD => "missing or invalid message field",
            PAYCORE_ERR_LIFECYCLE_KEY_BLOCK => "sign-on key block cannot be unwrapped",
            PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE => "operation not allowed in the current state",
            PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST => "invalid transaction request",
            PAYCORE_ERR_LIFECYCLE_UNEXPECTED_MESSAGE => "unexpected message type",
            PAYCORE_ERR_LIFECYCLE_MISMATCH => "response does not match the request",
            PAYCORE_ERR_LIFECYCLE_LATE_RESPONSE => "late response",
            PAYCORE_ERR_LIFECYCLE_REVERSAL_NOT_ACKNOWLEDGED => "reversal not acknowledged",
            PAYCORE_ERR_LIFECYCLE_MAC_INVALID => "message MAC invalid",
            PAYCORE_ERR_LIFECYCLE_UNKNOWN_TERMINAL => "unknown terminal",
            PAYCORE_ERR_LIFECYCLE_UNKNOWN_NETWORK_REQUEST => "unknown network request",
            PAYCORE_ERR_LIFECYCLE_JSON => "malformed lifecycle JSON",
        }
    }

    fn from_u32(code: u32) -> Option<paycore_result> {
        use paycore_result::*;
        [
            PAYCORE_OK,
            PAYCORE_ERR_NULL_PARAMETER,
            PAYCORE_ERR_PANIC,
            PAYCORE_ERR_INVALID_UTF8,
            PAYCORE_ERR_BUFFER_TOO_SMALL,
            PAYCORE_ERR_INVALID_ARGUMENT,
            PAYCORE_ERR_UNKNOWN_CURRENCY,
            PAYCORE_ERR_MALFORMED_AMOUNT,
            PAYCORE_ERR_TOO_MANY_DECIMALS,
            PAYCORE_ERR_OVERFLOW,
            PAYCORE_ERR_CURRENCY_MISMATCH,
            PAYCORE_ERR_INVALID_WEIGHTS,
            PAYCORE_ERR_INVALID_PAN,
            PAYCORE_ERR_INVALID_TRACK2,
            PAYCORE_ERR_INVALID_EXPIRY,
            PAYCORE_ERR_ISO8583_DECODE,
            PAYCORE_ERR_ISO8583_TRUNCATED,
            PAYCORE_ERR_ISO8583_ENCODE,
            PAYCORE_ERR_ISO8583_SPEC,
            PAYCORE_ERR_ISO8583_JSON,
            PAYCORE_ERR_ISO8583_FRAME,
            PAYCORE_ERR_ISO8583_FIELD_ABSENT,
            PAYCORE_ERR_ISO8583_MAC,
            PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND,
            PAYCORE_ERR_LEDGER_TRANSFER_NOT_FOUND,
            PAYCORE_ERR_LEDGER_HISTORY_NOT_ENABLED,
            PAYCORE_ERR_LEDGER_BEFORE_CREATION,
            PAYCORE_ERR_LEDGER_JOURNAL,
            PAYCORE_ERR_LEDGER_SNAPSHOT,
            PAYCORE_ERR_LEDGER_INVARIANT,
            PAYCORE_ERR_LEDGER_POSTING,
            PAYCORE_ERR_LEDGER_REFUSED,
            PAYCORE_ERR_WITHDRAWAL_LIMIT,
            PAYCORE_ERR_WITHDRAWAL_INSUFFICIENT,
            PAYCORE_ERR_WITHDRAWAL_ILLEGAL_TRANSITION,
            PAYCORE_ERR_KEY_LENGTH,
            PAYCORE_ERR_HEX,
            PAYCORE_ERR_KEY_ALGORITHM,
            PAYCORE_ERR_SECURITY_LENGTH,
            PAYCORE_ERR_PIN_INPUT,
            PAYCORE_ERR_PIN_BLOCK,
            PAYCORE_ERR_MAC_MISMATCH,
            PAYCORE_ERR_CHECK_VALUE,
            PAYCORE_ERR_DUKPT_COUNTER,
            PAYCORE_ERR_DUKPT_EXHAUSTED,
            PAYCORE_ERR_TR31_FORMAT,
            PAYCORE_ERR_TR31_MAC,
            PAYCORE_ERR_TLV_MALFORMED,
            PAYCORE_ERR_EMV,
            PAYCORE_ERR_QR_MALFORMED,
            PAYCORE_ERR_QR_CRC_MISMATCH,
            PAYCORE_ERR_TLV_NOT_FOUND,
            PAYCORE_ERR_EMV_UNKNOWN_FLAG,
            PAYCORE_ERR_EMV_UNKNOWN_TAG,
            PAYCORE_ERR_FEE_SCHEDULE,
            PAYCORE_ERR_FEE_NO_RULE,
            PAYCORE_ERR_FEE_UNKNOWN_AGENT,
            PAYCORE_ERR_FEE_AGENT_PROFIT,
            PAYCORE_ERR_FEE_REFUND_EXCEEDS,
            PAYCORE_ERR_FEE_NEGATIVE_AMOUNT,
            PAYCORE_ERR_D0_REFUSED,
            PAYCORE_ERR_D0_NOT_CONFIGURED,
            PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED,
            PAYCORE_ERR_CALENDAR_PROVISIONAL,
            PAYCORE_ERR_CALENDAR,
            PAYCORE_ERR_INVALID_DATE,
            PAYCORE_ERR_SETTLEMENT_TIME,
            PAYCORE_ERR_SETTLEMENT_CYCLE,
            PAYCORE_ERR_SETTLEMENT_CUTOFF,
            PAYCORE_ERR_SETTLEMENT_CSV,
            PAYCORE_ERR_SETTLEMENT_RECORD,
            PAYCORE_ERR_SETTLEMENT_STATE,
            PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
            PAYCORE_ERR_LIFECYCLE_IDENTIFIER,
            PAYCORE_ERR_LIFECYCLE_MALFORMED_MESSAGE,
            PAYCORE_ERR_LIFECYCLE_FIELD,
            PAYCORE_ERR_LIFECYCLE_KEY_BLOCK,
            PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE,
            PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST,
            PAYCORE_ERR_LIFECYCLE_UNEXPECTED_MESSAGE,
            PAYCORE_ERR_LIFECYCLE_MISMATCH,
            PAYCORE_ERR_LIFECYCLE_LATE_RESPONSE,
            PAYCORE_ERR_LIFECYCLE_REVERSAL_NOT_ACKNOWLEDGED,
            PAYCORE_ERR_LIFECYCLE_MAC_INVALID,
            PAYCORE_ERR_LIFECYCLE_UNKNOWN_TERMINAL,
            PAYCORE_ERR_LIFECYCLE_UNKNOWN_NETWORK_REQUEST,
            PAYCORE_ERR_LIFECYCLE_JSON,
        ]
        .into_iter()
        .find(|c| *c as u32 == code)
    }
}

/// Writes the fixed description of `code` into `buf` (see the crate docs for the buffer
/// convention). Unknown codes are described as such; the function itself never fails except
/// for a NULL `out_len` or a too-small buffer.
///
/// # Safety
/// `buf` must be valid for `buf_len` bytes (or NULL with `buf_len` 0); `out_len` must be valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_result_description(
    code: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    let text = paycore_result::from_u32(code).map_or("unknown result code", |c| c.description());
    // SAFETY: forwarded caller contract.
    unsafe { write_text(text, buf, buf_len, out_len) }
}

/// Writes the message of the most recent failure on the calling thread (empty if none).
/// The message names what was wrong and where (field, offset); it never contains key material
/// or a full PAN.
///
/// # Safety
/// As for [`paycore_result_description`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    let msg = LAST_ERROR.with(|e| e.borrow().clone());
    // SAFETY: forwarded caller contract.
    unsafe { write_text(&msg, buf, buf_len, out_len) }
}
