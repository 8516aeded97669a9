//! The single error type of the Kotlin/Swift API (`PaycoreException` in Kotlin).

use paycore::card::CardError;
use paycore::money::MoneyError;

/// Every failure, by kind. The message says what was wrong and where; it never contains key
/// material or a full PAN.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum PaycoreError {
    /// Unknown ISO 4217 currency code.
    #[error("{0}")]
    UnknownCurrency(String),
    /// Malformed decimal amount or rate.
    #[error("{0}")]
    MalformedAmount(String),
    /// More decimals than the currency allows.
    #[error("{0}")]
    TooManyDecimals(String),
    /// Arithmetic overflow.
    #[error("{0}")]
    Overflow(String),
    /// Amounts in different currencies combined.
    #[error("{0}")]
    CurrencyMismatch(String),
    /// Unusable allocation weights.
    #[error("{0}")]
    InvalidWeights(String),
    /// Invalid PAN.
    #[error("{0}")]
    InvalidPan(String),
    /// Invalid track 2 data.
    #[error("{0}")]
    InvalidTrack2(String),
    /// Invalid expiry or calendar date.
    #[error("{0}")]
    InvalidDate(String),
    /// An argument outside its allowed set.
    #[error("{0}")]
    InvalidArgument(String),
    // iso8583
    /// An ISO 8583 message could not be decoded; the message names the field and byte offset.
    #[error("{0}")]
    Iso8583Decode(String),
    /// An ISO 8583 message ends inside a field (more bytes needed); field and offset named.
    #[error("{0}")]
    Iso8583Truncated(String),
    /// An ISO 8583 value or message does not fit the spec; the message names the field.
    #[error("{0}")]
    Iso8583Encode(String),
    /// Unknown built-in spec or invalid spec JSON.
    #[error("{0}")]
    Iso8583Spec(String),
    /// A message in JSON is malformed or does not fit the spec.
    #[error("{0}")]
    Iso8583Json(String),
    /// Bad framing (length header, TPDU, CUP header).
    #[error("{0}")]
    Iso8583Frame(String),
    /// The spec or message has no usable MAC field.
    #[error("{0}")]
    Iso8583Mac(String),
    // ledger
    /// No ledger account with this id (or no withdrawable account for the merchant).
    #[error("{0}")]
    LedgerAccountNotFound(String),
    /// History query on an account created without the history flag.
    #[error("{0}")]
    LedgerHistoryNotEnabled(String),
    /// Balance asked for a time before the account existed.
    #[error("{0}")]
    LedgerBeforeCreation(String),
    /// Malformed journal (the message names the line and byte offset).
    #[error("{0}")]
    LedgerJournal(String),
    /// Malformed or inconsistent snapshot.
    #[error("{0}")]
    LedgerSnapshot(String),
    /// A ledger invariant does not hold.
    #[error("{0}")]
    LedgerInvariant(String),
    /// A business event cannot be turned into transfers.
    #[error("{0}")]
    LedgerPosting(String),
    /// The ledger refused a withdrawal posting (result code in the message).
    #[error("{0}")]
    LedgerRefused(String),
    /// Withdrawal outside the policy limits, or the fee leaves nothing to pay.
    #[error("{0}")]
    WithdrawalLimit(String),
    /// Withdrawal exceeds the withdrawable balance.
    #[error("{0}")]
    WithdrawalInsufficientFunds(String),
    /// Withdrawal transition not allowed from its current state.
    #[error("{0}")]
    WithdrawalIllegalTransition(String),
    // security
    /// Key bytes of the wrong length for the algorithm.
    #[error("{0}")]
    KeyLength(String),
    /// A key check value did not match (e.g. a sign-on working key).
    #[error("{0}")]
    CheckValueMismatch(String),
    /// A MAC did not verify.
    #[error("{0}")]
    MacMismatch(String),
    /// Invalid PIN/PAN input or a malformed PIN block.
    #[error("{0}")]
    PinBlock(String),
    /// Invalid or exhausted DUKPT counter.
    #[error("{0}")]
    Dukpt(String),
    /// Malformed TR-31 key block or a failed key-block MAC.
    #[error("{0}")]
    Tr31(String),
    /// Any other security failure (hex, lengths, algorithm not allowed for the operation).
    #[error("{0}")]
    Security(String),
    // tlv
    /// Malformed BER-TLV (message names the byte offset and tag path).
    #[error("{0}")]
    TlvError(String),
    /// An EMV operation failed (unknown tag, bad DOL, missing field 55 object).
    #[error("{0}")]
    EmvError(String),
    /// A malformed EMVCo QR payload (message names the offset and ID path).
    #[error("{0}")]
    QrError(String),
    /// A flag name that the EMV bit field does not define.
    #[error("{0}")]
    EmvUnknownFlag(String),
    // fees
    /// Invalid fee schedule, pricing or settlement document (line/column or rule and field named).
    #[error("{0}")]
    FeeSchedule(String),
    /// No rule of the schedule matches the transaction.
    #[error("{0}")]
    FeeNoRule(String),
    /// The agent id is not in the schedule's agent tree.
    #[error("{0}")]
    FeeUnknownAgent(String),
    /// The agents' total profit would exceed the acquirer margin.
    #[error("{0}")]
    FeeAgentProfit(String),
    /// A refund larger than what remains of the original sale.
    #[error("{0}")]
    FeeRefundExceeds(String),
    /// D0 payout outside the window or the limits.
    #[error("{0}")]
    D0Refused(String),
    /// The schedule has no D0 terms.
    #[error("{0}")]
    D0NotConfigured(String),
    /// The date's year has no official holiday table (the calendar fails closed).
    #[error("{0}")]
    CalendarYearNotCovered(String),
    /// A December date whose next-year notice is missing, refused by policy.
    #[error("{0}")]
    CalendarProvisional(String),
    /// Another calendar failure (conflicting overrides, scan limit).
    #[error("{0}")]
    CalendarInvalid(String),
    /// An event time that is not RFC 3339 or has no UTC offset.
    #[error("{0}")]
    SettlementTime(String),
    /// A settlement cycle that is not T<n>, D<n>, S0, W<n> or M<n>, or N out of range.
    #[error("{0}")]
    SettlementCycle(String),
    /// Malformed settlement CSV (line, column and field named).
    #[error("{0}")]
    SettlementCsv(String),
    /// An invalid or duplicate settlement record (index and id named).
    #[error("{0}")]
    SettlementRecord(String),
    /// Malformed carried state JSON from a previous run.
    #[error("{0}")]
    SettlementState(String),
    // lifecycle
    /// A lifecycle value out of range or malformed (STAN, batch, amount, currency, time, id,
    /// request inconsistent in itself such as a void without original).
    #[error("{0}")]
    LifecycleInvalidInput(String),
    /// Frame bytes that are not a well-formed CUP POS message, or a missing/invalid field (the
    /// message names the field and byte offset).
    #[error("{0}")]
    LifecycleMalformedMessage(String),
    /// The sign-on key block (F62) could not be unwrapped with the TMK.
    #[error("{0}")]
    LifecycleKeyBlock(String),
    /// The operation is not allowed in the current state (e.g. a sale while a reversal is
    /// outstanding).
    #[error("{0}")]
    LifecycleIllegalState(String),
    /// A message the session is not waiting for, not matching the request, or late.
    #[error("{0}")]
    LifecycleUnexpectedMessage(String),
    /// The host did not confirm a reversal; it will be sent again.
    #[error("{0}")]
    LifecycleReversalNotAcknowledged(String),
    /// A message MAC (F64) is absent or wrong.
    #[error("{0}")]
    LifecycleMacInvalid(String),
    /// Unknown terminal, or a network answer for an unknown or expired request id.
    #[error("{0}")]
    LifecycleUnknownReference(String),
    /// A saved session that cannot be restored (message names line and column).
    #[error("{0}")]
    LifecycleState(String),
}

impl From<MoneyError> for PaycoreError {
    fn from(e: MoneyError) -> Self {
        let m = e.to_string();
        match e {
            MoneyError::UnknownCurrency { .. } => PaycoreError::UnknownCurrency(m),
            MoneyError::MalformedAmount { .. } => PaycoreError::MalformedAmount(m),
            MoneyError::TooManyDecimals { .. } => PaycoreError::TooManyDecimals(m),
            MoneyError::Overflow { .. } => PaycoreError::Overflow(m),
            MoneyError::CurrencyMismatch { .. } => PaycoreError::CurrencyMismatch(m),
            MoneyError::InvalidWeights { .. } => PaycoreError::InvalidWeights(m),
            _ => PaycoreError::InvalidArgument(m),
        }
    }
}

impl From<CardError> for PaycoreError {
    fn from(e: CardError) -> Self {
        let m = e.to_string();
        match e {
            CardError::PanNotDigits { .. } | CardError::PanLength { .. } => {
                PaycoreError::InvalidPan(m)
            }
            CardError::Track2 { .. } => PaycoreError::InvalidTrack2(m),
            CardError::Expiry { .. } => PaycoreError::InvalidDate(m),
            _ => PaycoreError::InvalidArgument(m),
        }
    }
}
