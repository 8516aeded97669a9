//! A fast reader for journal lines in exactly the form [`JournalRecord::to_line`] writes.
//!
//! Why: replaying a journal spent about nine tenths of its instructions in serde_json's
//! generic machinery (field-name matching, visitor dispatch, per-number parsing with
//! overflow handling for every width), ten times the cost of executing the batch. The
//! writer's output is fixed — compact JSON, fields in declaration order, integers in plain
//! decimal — so this reader walks it with literal comparisons and a digit loop.
//!
//! It is a strict *subset* reader: it accepts a line only if every byte is where the writer
//! puts it, and otherwise answers `None` so that the caller falls back to serde_json. The
//! fallback therefore still accepts every valid spelling (whitespace, other key orders,
//! unknown fields) and still produces the parser's error with line, column and byte
//! offset for malformed input. For a line both accept, both produce the same record
//! (checked by the tests and the `ledger_journal_line` fuzz target).

use super::{JournalOp, JournalRecord};
use crate::ledger::account::{Account, AccountFlags};
use crate::ledger::transfer::{Transfer, TransferFlags};

/// Events per batch allocated up front at most (a line can claim any count; the vector
/// grows past this only as events are actually read).
const PREALLOCATE_MAX: usize = 8_190;

/// Read one canonical journal line, or `None` if it is not byte-for-byte canonical.
pub(crate) fn parse_line(line: &str) -> Option<JournalRecord> {
    let mut c = Cursor {
        b: line.as_bytes(),
        at: 0,
    };
    c.lit(b"{\"seq\":")?;
    let seq = c.uint::<u64>()?;
    c.lit(b",\"op\":{\"")?;
    let op = if c.eat(b"create_transfers\":{\"now\":") {
        let now = c.uint::<u64>()?;
        c.lit(b",\"transfers\":[")?;
        let transfers = c.list(transfer)?;
        JournalOp::CreateTransfers { now, transfers }
    } else if c.eat(b"create_accounts\":{\"now\":") {
        let now = c.uint::<u64>()?;
        c.lit(b",\"accounts\":[")?;
        let accounts = c.list(account)?;
        JournalOp::CreateAccounts { now, accounts }
    } else if c.eat(b"expire_pending\":{\"now\":") {
        JournalOp::ExpirePending {
            now: c.uint::<u64>()?,
        }
    } else {
        return None;
    };
    c.lit(b"}}}")?;
    (c.at == c.b.len()).then_some(JournalRecord { seq, op })
}

fn transfer(c: &mut Cursor<'_>) -> Option<Transfer> {
    c.lit(b"{\"id\":")?;
    let id = c.uint()?;
    c.lit(b",\"debit_account_id\":")?;
    let debit_account_id = c.uint()?;
    c.lit(b",\"credit_account_id\":")?;
    let credit_account_id = c.uint()?;
    c.lit(b",\"amount\":")?;
    let amount = c.uint()?;
    c.lit(b",\"pending_id\":")?;
    let pending_id = c.uint()?;
    c.lit(b",\"user_data_128\":")?;
    let user_data_128 = c.uint()?;
    c.lit(b",\"user_data_64\":")?;
    let user_data_64 = c.uint()?;
    c.lit(b",\"user_data_32\":")?;
    let user_data_32 = c.uint()?;
    c.lit(b",\"timeout\":")?;
    let timeout = c.uint()?;
    c.lit(b",\"ledger\":")?;
    let ledger = c.uint()?;
    c.lit(b",\"code\":")?;
    let code = c.uint()?;
    c.lit(b",\"flags\":")?;
    let flags = TransferFlags(c.uint()?);
    c.lit(b",\"timestamp\":")?;
    let timestamp = c.uint()?;
    c.lit(b"}")?;
    Some(Transfer {
        id,
        debit_account_id,
        credit_account_id,
        amount,
        pending_id,
        user_data_128,
        user_data_64,
        user_data_32,
        timeout,
        ledger,
        code,
        flags,
        timestamp,
    })
}

fn account(c: &mut Cursor<'_>) -> Option<Account> {
    c.lit(b"{\"id\":")?;
    let id = c.uint()?;
    c.lit(b",\"debits_pending\":")?;
    let debits_pending = c.uint()?;
    c.lit(b",\"debits_posted\":")?;
    let debits_posted = c.uint()?;
    c.lit(b",\"credits_pending\":")?;
    let credits_pending = c.uint()?;
    c.lit(b",\"credits_posted\":")?;
    let credits_posted = c.uint()?;
    c.lit(b",\"user_data_128\":")?;
    let user_data_128 = c.uint()?;
    c.lit(b",\"user_data_64\":")?;
    let user_data_64 = c.uint()?;
    c.lit(b",\"user_data_32\":")?;
    let user_data_32 = c.uint()?;
    c.lit(b",\"ledger\":")?;
    let ledger = c.uint()?;
    c.lit(b",\"code\":")?;
    let code = c.uint()?;
    c.lit(b",\"flags\":")?;
    let flags = AccountFlags(c.uint()?);
    c.lit(b",\"timestamp\":")?;
    let timestamp = c.uint()?;
    c.lit(b"}")?;
    Some(Account {
        id,
        debits_pending,
        debits_posted,
        credits_pending,
        credits_posted,
        user_data_128,
        user_data_64,
        user_data_32,
        ledger,
        code,
        flags,
        timestamp,
    })
}

struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// Consume `lit` if the input continues with it.
    #[inline]
    fn eat(&mut self, lit: &[u8]) -> bool {
        let matches = self
            .b
            .get(self.at..self.at + lit.len())
            .is_some_and(|s| s == lit);
        if matches {
            self.at += lit.len();
        }
        matches
    }

    #[inline]
    fn lit(&mut self, lit: &[u8]) -> Option<()> {
        self.eat(lit).then_some(())
    }

    /// A JSON array of items read by `item`, after its `[`, through its `]`.
    fn list<T>(&mut self, item: fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        // Every item takes more than 100 bytes: a bound for the capacity that the input
        // itself backs.
        let hint = ((self.b.len() - self.at) / 100).min(PREALLOCATE_MAX);
        let mut out = Vec::with_capacity(hint);
        if self.eat(b"]") {
            return Some(out);
        }
        loop {
            out.push(item(self)?);
            if self.eat(b"]") {
                return Some(out);
            }
            self.lit(b",")?;
        }
    }

    /// An unsigned decimal integer as serde_json writes it: `0`, or digits without a
    /// leading zero; `None` if absent, malformed or out of `T`'s range.
    #[inline]
    fn uint<T: TryFrom<u128> + TryFrom<u64>>(&mut self) -> Option<T> {
        let start = self.at;
        let mut v = 0u64;
        // Up to 19 digits always fit a u64: one pass without overflow checks.
        while let Some(d) = self.digit() {
            if self.at - start == 19 {
                return self.wide_uint(start, v);
            }
            v = v * 10 + u64::from(d);
            self.at += 1;
        }
        let len = self.at - start;
        if len == 0 || len > 1 && self.b[start] == b'0' {
            return None;
        }
        T::try_from(v).ok()
    }

    /// The rest of an integer longer than 19 digits (`v` holds the first 19).
    #[cold]
    fn wide_uint<T: TryFrom<u128>>(&mut self, start: usize, v: u64) -> Option<T> {
        if self.b[start] == b'0' {
            return None;
        }
        let mut v = u128::from(v);
        while let Some(d) = self.digit() {
            v = v.checked_mul(10)?.checked_add(u128::from(d))?;
            self.at += 1;
        }
        T::try_from(v).ok()
    }

    /// The value of the digit at the cursor, if there is one.
    #[inline]
    fn digit(&self) -> Option<u8> {
        let d = self.b.get(self.at)?.wrapping_sub(b'0');
        (d <= 9).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<JournalRecord> {
        let t = Transfer {
            id: u128::MAX - 1,
            debit_account_id: 1,
            credit_account_id: 1 << 100,
            amount: 12_345,
            pending_id: 0,
            user_data_128: 99,
            user_data_64: u64::MAX,
            user_data_32: u32::MAX,
            timeout: 7,
            ledger: 156,
            code: u16::MAX,
            flags: TransferFlags(3),
            timestamp: 0,
        };
        let a = Account {
            id: 10,
            ledger: 1,
            code: 2,
            flags: AccountFlags(8),
            user_data_128: u128::MAX,
            ..Account::default()
        };
        vec![
            JournalRecord {
                seq: 0,
                op: JournalOp::CreateAccounts {
                    now: 1,
                    accounts: vec![a, Account { id: 11, ..a }],
                },
            },
            JournalRecord {
                seq: 1,
                op: JournalOp::CreateTransfers {
                    now: u64::MAX,
                    transfers: vec![t, Transfer { id: 5, ..t }, Transfer::default()],
                },
            },
            JournalRecord {
                seq: 2,
                op: JournalOp::CreateTransfers {
                    now: 0,
                    transfers: vec![],
                },
            },
            JournalRecord {
                seq: 3,
                op: JournalOp::ExpirePending { now: 42 },
            },
        ]
    }

    #[test]
    fn reads_what_the_writer_writes() {
        for r in sample() {
            assert_eq!(parse_line(&r.to_line()), Some(r.clone()), "{}", r.to_line());
        }
    }

    /// Every truncation and every single-byte change of a canonical line is either refused
    /// (left to serde_json) or read exactly as serde_json reads it.
    #[test]
    fn never_disagrees_with_serde_json() {
        let mut checked = 0;
        for r in sample() {
            let line = r.to_line();
            let bytes = line.as_bytes();
            let mut variants: Vec<Vec<u8>> =
                (0..bytes.len()).map(|n| bytes[..n].to_vec()).collect();
            for i in 0..bytes.len() {
                for b in [
                    b'0', b'1', b'9', b' ', b'-', b'e', b'.', b'"', b',', b'}', b']',
                ] {
                    let mut v = bytes.to_vec();
                    v[i] = b;
                    variants.push(v.clone());
                    v.insert(i, b);
                    variants.push(v);
                }
            }
            for v in variants {
                let Ok(text) = std::str::from_utf8(&v) else {
                    continue;
                };
                if let Some(fast) = parse_line(text) {
                    let slow: JournalRecord = serde_json::from_str(text).expect("serde accepts");
                    assert_eq!(fast, slow, "{text}");
                    assert_eq!(fast.to_line(), text);
                    checked += 1;
                }
            }
        }
        // Digit changes keep many variants canonical: the agreement was really exercised.
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn refuses_what_is_not_canonical() {
        let line = sample()[3].to_line();
        assert_eq!(line, r#"{"seq":3,"op":{"expire_pending":{"now":42}}}"#);
        for bad in [
            r#"{"seq":3,"op":{"expire_pending":{"now":42}}} "#,
            r#"{"seq":03,"op":{"expire_pending":{"now":42}}}"#,
            r#"{"seq":3, "op":{"expire_pending":{"now":42}}}"#,
            r#"{"op":{"expire_pending":{"now":42}},"seq":3}"#,
            r#"{"seq":3,"op":{"expire_pending":{"now":18446744073709551616}}}"#,
            r#"{"seq":3,"op":{"expire_pending":{"now":-1}}}"#,
            r#"{"seq":3,"op":{"expire_pending":{"now":4.2e1}}}"#,
            r#"{"seq":3,"op":{"expire_pending":{"now":42}}"#,
            r#"{"seq":3,"op":{"expire":{"now":42}}}"#,
            "",
        ] {
            assert_eq!(parse_line(bad), None, "{bad}");
        }
        // Wide integers: u128::MAX reads, one more or a leading zero does not.
        let t = sample()[1].to_line();
        let max = u128::MAX.to_string();
        let wide = |v: &str| t.replacen("\"id\":5,", &format!("\"id\":{v},"), 1);
        let JournalOp::CreateTransfers { transfers, .. } = parse_line(&wide(&max)).unwrap().op
        else {
            panic!("op")
        };
        assert_eq!(transfers[1].id, u128::MAX);
        assert_eq!(
            parse_line(&wide("340282366920938463463374607431768211456")),
            None
        );
        assert_eq!(parse_line(&wide("01234567890123456789012")), None);
        assert_eq!(parse_line(&wide("00000000000000000000")), None);
        // Out of range for the field's width (u16 code) although a valid u128.
        let t = sample()[1]
            .to_line()
            .replacen("\"code\":65535", "\"code\":65536", 1);
        assert_eq!(parse_line(&t), None);
        assert!(serde_json::from_str::<JournalRecord>(&t).is_err());
    }
}
