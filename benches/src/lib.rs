//! Benchmarks live in `benches/benches/`; this library holds workloads that more than one
//! bench measures, so their figures describe the same work.

pub mod ledger_workload;
pub mod lifecycle_workload;
