//! Settlement: when merchants are paid ([`dates`]) and how much ([`run`]), under merchant
//! terms ([`terms`]), from records read from CSV ([`csv`]).

pub mod csv;
pub mod dates;
pub mod run;
pub mod terms;

pub use dates::{
    NetworkCutoff, SettlementCycle, SettlementDateError, SettlementDates, parse_event_time,
    settlement_dates,
};
pub use run::{
    Batch, BatchTotals, CarryState, LineKind, MerchantState, RecordKind, ReserveHold,
    SettlementError, SettlementRun, StatementLine, TxnRecord, settle,
};
pub use terms::{
    CompiledTerms, ConfigFormat, MerchantTerms, PeriodicFee, ReservePolicy, SettlementConfig,
    SettlementTerms,
};
