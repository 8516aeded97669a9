//! paycore — an embeddable, I/O-free payment core for card acquiring.
//!
//! The crate is a pure library: no sockets, files, threads or clock reads. Time, randomness
//! and keys come in as arguments; effects go out as values. Programs that do I/O live in the
//! workspace's `examples/` crate.
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

pub mod calendar;
pub mod card;
pub mod emv;
pub mod fees;
pub mod hex;
pub mod iso8583;
pub mod ledger;
pub mod lifecycle;
pub mod money;
pub mod qr;
pub mod security;
pub mod settlement;
pub mod tlv;
