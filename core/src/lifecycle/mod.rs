//! The transaction lifecycle as two sans-I/O state machines (issue 6).
//!
//! * [`TerminalSession`] — what a POS app embeds: sign-on, the card transactions of the China
//!   UnionPay POS matrix, automatic reversal (冲正) of every ambiguous outcome, STAN and batch
//!   management, batch settlement with batch upload.
//! * [`AcquirerProcessor`] — what an acquirer's switch embeds: validates terminal requests (MAC,
//!   terminal, sign-on, duplicates) and the business rules (void same day, refund next day,
//!   completion within 30 days …), talks to the network through plain values, reverses at the
//!   network when the network does not answer, reconciles batches, and emits
//!   [`DomainEvent`]s for the fee, settlement and ledger modules.
//!
//! Both follow the quinn-proto / str0m style: inputs are `handle_*(…, now)` calls, outputs are
//! drained with `poll_*()`. Nothing reads a clock, sleeps, does I/O or calls back: the same
//! inputs always produce the same outputs, which is what makes the deterministic simulation
//! in `core/tests/lifecycle_sim.rs` possible. Every state serialises with serde — an Android
//! app that dies mid-transaction restores its session and the pending reversal goes out.
//!
//! Why reversals are armed *before* a request is sent: once the bytes leave, the app may die
//! or the response may be lost, and then the only safe assumption is that the issuer approved.
//! A session therefore never has an outstanding reversible request without a reversal ready.

mod error;
pub mod keys;
mod processor;
pub mod settlement_date;
mod terminal;
pub mod totals;
pub mod types;
pub mod wire;

pub use error::{LifecycleError, ResponseCode};
pub use processor::{
    AcquirerProcessor, CardProfile, DeclineReason, DomainEvent, EventData, InMemoryStore,
    NetworkOutcome, NetworkRequest, NetworkRequestBody, NetworkResponse, ProcessorConfig,
    TerminalProfile, TransactionRecord, TransactionStore, TxnKey, TxnStatus,
};
pub use settlement_date::CutOff;
pub use terminal::{
    CardInput, JournalEntry, OriginalRef, TerminalConfig, TerminalEvent, TerminalSession,
    TransactionRequest, UnknownOutcome,
};
pub use totals::{BatchTotals, SettleResult, SideTotals};
pub use types::{
    Amount, BatchNo, CardBrand, CardType, Channel, EntryMode, MerchantId, Pan, Stan, TerminalId,
    TotalsSide, TransactionKind, TxnRef,
};
