//! Settlement: when merchants are paid ([`dates`]) and how much ([`run`]).

pub mod dates;

pub use dates::{
    NetworkCutoff, SettlementCycle, SettlementDateError, SettlementDates, parse_event_time,
    settlement_dates,
};
