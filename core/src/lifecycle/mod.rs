#![doc = include_str!("README.md")]

mod error;
pub mod keys;
mod processor;
pub mod settlement_date;
mod terminal;
pub mod totals;
pub mod types;
pub mod wire;
mod wire_fast;

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
    TotalsSide, Track2, TransactionKind, TxnRef,
};
