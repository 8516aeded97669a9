//! The journal: one record per batch, JSON lines, replayed to rebuild the state.
//!
//! Why the journal records *inputs* (the batch and its `now`) rather than effects: the
//! engine is a deterministic function of its state and inputs, so re-executing the inputs
//! reproduces the state bit for bit (including result memos and expiry), and the journal
//! stays as small as the requests.

use serde::{Deserialize, Serialize};

mod canonical;

use super::account::Account;
use super::engine::Ledger;
use super::transfer::Transfer;

/// Longest journal line accepted by [`replay`] (bytes). A batch of 8,190 transfers is about
/// 3 MB of JSON; the cap keeps a corrupt file from driving unbounded work per line.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// One journaled batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalRecord {
    /// Position in the journal, from 0 (the ledger's [`Ledger::journal_seq`] before it).
    pub seq: u64,
    /// What was executed.
    pub op: JournalOp,
}

/// The operation of a journal record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalOp {
    /// [`Ledger::create_accounts`].
    CreateAccounts {
        /// The batch's clock argument.
        now: u64,
        /// The events as submitted.
        accounts: Vec<Account>,
    },
    /// [`Ledger::create_transfers`].
    CreateTransfers {
        /// The batch's clock argument.
        now: u64,
        /// The events as submitted.
        transfers: Vec<Transfer>,
    },
    /// [`Ledger::expire_pending`].
    ExpirePending {
        /// The clock argument.
        now: u64,
    },
}

impl JournalRecord {
    /// One JSON line (without the trailing newline).
    #[must_use]
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("journal records always serialize")
    }
}

/// Why a journal was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// The line is not a valid record.
    #[error("journal line {line}, column {column} (byte offset {byte_offset}): {message}")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// 1-based column reported by the JSON parser.
        column: usize,
        /// Byte offset of the line's start in the input.
        byte_offset: usize,
        /// Parser message.
        message: String,
    },
    /// The record's `seq` is not the next one.
    #[error(
        "journal line {line}: sequence {found}, expected {expected} (gap, duplicate or reordering)"
    )]
    Sequence {
        /// 1-based line number.
        line: usize,
        /// Sequence the ledger expected.
        expected: u64,
        /// Sequence found.
        found: u64,
    },
    /// The line exceeds [`MAX_LINE_BYTES`].
    #[error(
        "journal line {line} (byte offset {byte_offset}) is {len} bytes, limit {MAX_LINE_BYTES}"
    )]
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// Byte offset of the line's start.
        byte_offset: usize,
        /// Its length.
        len: usize,
    },
}

impl Ledger {
    /// Execute one journal record. The record must carry the ledger's next sequence number.
    /// Journaling of the replayed batch follows [`Ledger::set_journal_enabled`].
    pub fn apply_record(&mut self, record: &JournalRecord) -> Result<(), u64> {
        if record.seq != self.journal_seq {
            return Err(self.journal_seq);
        }
        match &record.op {
            JournalOp::CreateAccounts { now, accounts } => {
                self.create_accounts(accounts, *now);
            }
            JournalOp::CreateTransfers { now, transfers } => {
                self.create_transfers(transfers, *now);
            }
            JournalOp::ExpirePending { now } => {
                self.expire_pending(*now);
            }
        }
        Ok(())
    }

    /// Replay JSON-lines journal text onto this ledger (empty lines are skipped). On error
    /// the ledger holds the records before the bad line.
    pub fn replay_journal(&mut self, text: &str) -> Result<usize, JournalError> {
        let mut offset = 0;
        let mut applied = 0;
        for (n, raw) in text.split_inclusive('\n').enumerate() {
            let line = n + 1;
            let start = offset;
            offset += raw.len();
            let body = raw.trim_end_matches(['\n', '\r']);
            if body.trim().is_empty() {
                continue;
            }
            if body.len() > MAX_LINE_BYTES {
                return Err(JournalError::LineTooLong {
                    line,
                    byte_offset: start,
                    len: body.len(),
                });
            }
            // Lines as the writer writes them take the fast reader; anything else (other
            // spellings of the same record, or malformed input and its error) serde_json.
            let record = match canonical::parse_line(body) {
                Some(record) => record,
                None => serde_json::from_str(body).map_err(|e| JournalError::Syntax {
                    line,
                    column: e.column(),
                    byte_offset: start,
                    message: e.to_string(),
                })?,
            };
            self.apply_record(&record)
                .map_err(|expected| JournalError::Sequence {
                    line,
                    expected,
                    found: record.seq,
                })?;
            applied += 1;
        }
        Ok(applied)
    }
}

/// Read one journal line if it is exactly as [`JournalRecord::to_line`] writes it (then
/// `to_line` of the result gives the line back byte for byte); `None` otherwise, including
/// for valid JSON spelled differently. [`Ledger::replay_journal`] takes this path first and
/// falls back to a JSON parser.
#[must_use]
pub fn parse_canonical_line(line: &str) -> Option<JournalRecord> {
    canonical::parse_line(line)
}

/// Rebuild a ledger from a whole journal (a fresh ledger, journaling off).
pub fn replay(text: &str) -> Result<Ledger, JournalError> {
    let mut ledger = Ledger::without_journal();
    ledger.replay_journal(text)?;
    Ok(ledger)
}
