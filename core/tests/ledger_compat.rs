//! Compatibility pins for the ledger engine: a fixed, seeded workload (every transfer flag,
//! retries, linked chains that fail midway, timeouts, history accounts, rollbacks) must keep
//! producing the same journal text, the same result codes and the same final state as the
//! engine that wrote the constants below (main at 5a03ae5, before the performance work of
//! issue 8). Journals written by that engine must replay bit for bit on this one.
//!
//! The workload's inputs depend only on the seed, never on the engine's replies, so the
//! journal digest pins the writer's format and the result/state digests pin the semantics.

use paycore::ledger::{
    AMOUNT_MAX, Account, AccountFlags as AF, CreateTransferResult, Ledger, Transfer,
    TransferFlags as F, journal,
};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const NS: u64 = 1_000_000_000;

/// Ids from a small space (so retries and `exists_*` happen), some sequential, some spread
/// over the high half (the chart's `event << 64 | leg` shape).
fn transfer_id(rng: &mut Rng) -> u128 {
    match rng.below(3) {
        0 => 1 + u128::from(rng.below(3000)),
        1 => (u128::from(rng.below(1000)) << 64) | u128::from(1 + rng.below(4)),
        _ => u128::from(rng.below(500)) << 100 | 7,
    }
}

fn workload(seed: u64) -> (Ledger, Vec<CreateTransferResult>) {
    let mut rng = Rng(seed);
    let mut l = Ledger::new();
    let accounts: Vec<Account> = (1..=12u128)
        .map(|i| Account {
            id: i * 0x1_0000_0001,
            ledger: if i == 12 { 2 } else { 1 },
            code: 10 + i as u16,
            flags: match i % 4 {
                0 => AF::DEBITS_MUST_NOT_EXCEED_CREDITS,
                1 => AF::CREDITS_MUST_NOT_EXCEED_DEBITS.with(AF::HISTORY),
                2 => AF::HISTORY,
                _ => AF::NONE,
            },
            user_data_64: i as u64,
            ..Account::default()
        })
        .collect();
    l.create_accounts(&accounts, NS);
    let mut results = Vec::new();
    let mut now = 2 * NS;
    let mut pendings: Vec<u128> = Vec::new();
    for _ in 0..300 {
        let n = 1 + rng.below(12) as usize;
        let mut batch = Vec::with_capacity(n);
        for k in 0..n {
            let acct = |r: &mut Rng| {
                if r.below(40) == 0 {
                    999
                } else {
                    (1 + u128::from(r.below(12))) * 0x1_0000_0001
                }
            };
            let kind = rng.below(30);
            let mut flags = match kind {
                0..=11 => F::NONE,
                12..=17 => F::PENDING,
                18..=21 => F::POST_PENDING_TRANSFER,
                22..=24 => F::VOID_PENDING_TRANSFER,
                25..=28 => {
                    if rng.below(2) == 0 {
                        F::BALANCING_DEBIT
                    } else {
                        F::BALANCING_CREDIT
                    }
                }
                _ => F::PENDING.with(if rng.below(2) == 0 {
                    F::CLOSING_DEBIT
                } else {
                    F::CLOSING_CREDIT
                }),
            };
            if k + 1 < n && rng.below(3) == 0 {
                flags = flags.with(F::LINKED);
            }
            let resolving = matches!(kind, 18..=24);
            let t = Transfer {
                id: transfer_id(&mut rng),
                debit_account_id: if resolving && rng.below(2) == 0 {
                    0
                } else {
                    acct(&mut rng)
                },
                credit_account_id: if resolving && rng.below(2) == 0 {
                    0
                } else {
                    acct(&mut rng)
                },
                amount: match rng.below(24) {
                    0 => 0,
                    1 => AMOUNT_MAX,
                    _ => u128::from(1 + rng.below(500)),
                },
                pending_id: if resolving && !pendings.is_empty() && rng.below(5) != 0 {
                    pendings[rng.below(pendings.len() as u64) as usize]
                } else if resolving {
                    transfer_id(&mut rng)
                } else {
                    0
                },
                // Closing transfers always time out, so closed accounts reopen.
                timeout: if flags.contains(F::PENDING) && (kind == 29 || rng.below(3) == 0) {
                    1 + rng.below(3) as u32
                } else {
                    0
                },
                ledger: if resolving { 0 } else { 1 },
                code: 1 + rng.below(3) as u16,
                user_data_32: rng.below(2) as u32,
                flags,
                ..Transfer::default()
            };
            if t.flags.contains(F::PENDING) {
                pendings.push(t.id);
            }
            batch.push(t);
        }
        results.extend(l.create_transfers(&batch, now));
        now += rng.below(2 * NS);
        if rng.below(10) == 0 {
            l.expire_pending(now);
        }
    }
    (l, results)
}

const SEED: u64 = 0x001e_d6e7_2026;
/// Pinned by the engine before the performance work (see the module doc).
const JOURNAL_DIGEST: u64 = 0x90e9_63a3_1b3b_f6f2;
const RESULTS_DIGEST: u64 = 0xc703_a53b_cbbc_5e9e;
const STATE_DIGEST: u64 = 0xb5b6_0b54_b3a2_39e8;

#[test]
fn fixed_workload_keeps_its_journal_results_and_state() {
    let (mut l, results) = workload(SEED);
    let text: String = l
        .take_journal()
        .iter()
        .map(|r| r.to_line() + "\n")
        .collect();
    let names: Vec<&str> = results.iter().map(|r| r.name()).collect();
    let got = (
        fnv(text.as_bytes()),
        fnv(names.join(",").as_bytes()),
        l.digest(),
    );
    println!(
        "journal {:#x} results {:#x} state {:#x}",
        got.0, got.1, got.2
    );
    // Sanity: the workload exercises successes and failures alike.
    assert!(results.contains(&CreateTransferResult::Created));
    assert!(results.contains(&CreateTransferResult::LinkedEventFailed));
    assert_eq!(got, (JOURNAL_DIGEST, RESULTS_DIGEST, STATE_DIGEST));
    let replayed = journal::replay(&text).expect("journal replays");
    assert_eq!(replayed.digest(), STATE_DIGEST);
    l.check_invariants().expect("invariants hold");
}

/// A chain that posts and voids earlier pending transfers, closes and reopens accounts,
/// touches history accounts and adds expiring reservations, then fails on its last event,
/// leaves every account, transfer, pending status, history row, per-account listing and
/// expiry exactly as before (rollback recomputes all of it from the stored transfers).
#[test]
fn failed_chain_with_every_effect_rolls_back_exactly() {
    use paycore::ledger::{AccountFilter, CreateTransferResult as R, PendingStatus, Snapshot};
    let mut l = Ledger::new();
    let account = |id: u128, flags| Account {
        id,
        ledger: 1,
        code: 1,
        flags,
        ..Account::default()
    };
    l.create_accounts(
        &[
            account(1, AF::HISTORY),
            account(2, AF::NONE),
            account(3, AF::HISTORY),
        ],
        NS,
    );
    let t = |id, dr, cr, amount, flags, timeout, pending_id| Transfer {
        id,
        debit_account_id: dr,
        credit_account_id: cr,
        amount,
        flags,
        timeout,
        pending_id,
        ledger: 1,
        code: 1,
        ..Transfer::default()
    };
    let setup = [
        t(10, 1, 2, 100, F::PENDING, 10, 0),
        t(11, 2, 3, 5, F::PENDING.with(F::CLOSING_CREDIT), 20, 0),
        t(12, 1, 2, 50, F::NONE, 0, 0),
    ];
    assert!(
        l.create_transfers(&setup, 2 * NS)
            .iter()
            .all(|r| *r == R::Created)
    );
    let state = |l: &Ledger| Snapshot {
        clock: 0,
        journal_seq: 0,
        ..l.snapshot()
    };
    let listing = |l: &Ledger, id| {
        l.transfers_by_account(&AccountFilter::new(id, 100))
            .unwrap()
            .transfers
    };
    let before = state(&l);
    let lists_before: Vec<_> = (1..=3).map(|id| listing(&l, id)).collect();
    let linked = F::LINKED;
    let chain = [
        t(20, 0, 0, 60, F::POST_PENDING_TRANSFER.with(linked), 0, 10),
        t(21, 0, 0, 0, F::VOID_PENDING_TRANSFER.with(linked), 0, 11),
        t(22, 2, 1, 30, linked, 0, 0),
        t(
            23,
            3,
            2,
            1,
            F::PENDING.with(F::CLOSING_DEBIT).with(linked),
            3,
            0,
        ),
        t(24, 1, 2, 7, F::PENDING.with(linked), 4, 0),
        t(25, 1, 2, 0, F::NONE, 0, 0),
    ];
    let results = l.create_transfers(&chain, 3 * NS);
    assert_eq!(
        results,
        [
            R::LinkedEventFailed,
            R::LinkedEventFailed,
            R::LinkedEventFailed,
            R::LinkedEventFailed,
            R::LinkedEventFailed,
            R::AmountMustNotBeZero
        ]
    );
    assert_eq!(state(&l), before);
    let lists_after: Vec<_> = (1..=3).map(|id| listing(&l, id)).collect();
    assert_eq!(lists_after, lists_before);
    assert!(l.account(3).unwrap().flags.contains(AF::CLOSED));
    l.check_invariants().unwrap();
    // Only the two original reservations are still due; they expire and reopen account 3.
    assert_eq!(l.expire_pending(100 * NS), 2);
    assert_eq!(l.pending_status(10), Some(PendingStatus::Expired));
    assert_eq!(l.pending_status(11), Some(PendingStatus::Expired));
    assert!(!l.account(3).unwrap().flags.contains(AF::CLOSED));
    let a1 = l.account(1).unwrap();
    assert_eq!((a1.debits_pending, a1.debits_posted), (0, 50));
    // The rolled-back ids were never stored: they can be used again.
    assert_eq!(
        l.create_transfers(&[t(22, 2, 1, 30, F::NONE, 0, 0)], 101 * NS),
        [R::Created]
    );
    l.check_invariants().unwrap();
}
