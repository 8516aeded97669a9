//! Behaviour of `paycore::ledger`: result codes, two-phase, chains, expiry, journal,
//! snapshot, queries, chart of accounts and withdrawals.

use paycore::ledger::chart::{
    self, AccountKind, Amounts, BusinessEvent, EventKind, Owner, PostingRules,
};
use paycore::ledger::withdrawal::{
    FeeMode, Withdrawal, WithdrawalAction, WithdrawalError, WithdrawalPolicy, WithdrawalRequest,
    WithdrawalState,
};
use paycore::ledger::{
    AMOUNT_MAX, Account, AccountFilter, AccountFlags, CreateAccountResult as AR,
    CreateTransferResult as TR, JournalError, Ledger, NormalSide, PendingStatus, QueryError,
    Snapshot, SnapshotError, Transfer, TransferFlags as F, journal,
};

const S: u64 = 1_000_000_000;

fn acct(id: u128, flags: AccountFlags) -> Account {
    Account {
        id,
        ledger: 1,
        code: 10,
        flags,
        ..Account::default()
    }
}

fn tr(id: u128, dr: u128, cr: u128, amount: u128) -> Transfer {
    Transfer {
        id,
        debit_account_id: dr,
        credit_account_id: cr,
        amount,
        ledger: 1,
        code: 1,
        ..Transfer::default()
    }
}

/// Accounts 1 (no limit), 2 (debits ≤ credits), 3 (credits ≤ debits), 4 (history).
fn setup() -> Ledger {
    let mut l = Ledger::new();
    let r = l.create_accounts(
        &[
            acct(1, AccountFlags::NONE),
            acct(2, AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS),
            acct(3, AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS),
            acct(4, AccountFlags::HISTORY),
        ],
        10 * S,
    );
    assert_eq!(r, vec![AR::Created; 4]);
    l
}

#[test]
fn account_validation_precedence() {
    let mut l = setup();
    let mut a = acct(0, AccountFlags::NONE);
    a.timestamp = 5;
    a.flags = AccountFlags(1 << 12);
    // timestamp beats reserved flag beats id.
    assert_eq!(l.create_accounts(&[a], 0), vec![AR::TimestampMustBeZero]);
    a.timestamp = 0;
    assert_eq!(l.create_accounts(&[a], 0), vec![AR::ReservedFlag]);
    a.flags = AccountFlags::NONE;
    assert_eq!(l.create_accounts(&[a], 0), vec![AR::IdMustNotBeZero]);
    a.id = u128::MAX;
    assert_eq!(l.create_accounts(&[a], 0), vec![AR::IdMustNotBeIntMax]);
    let mut b = acct(1, AccountFlags::HISTORY);
    b.ledger = 9;
    assert_eq!(
        l.create_accounts(&[b], 0),
        vec![AR::ExistsWithDifferentFlags]
    );
    b.flags = AccountFlags::NONE;
    assert_eq!(
        l.create_accounts(&[b], 0),
        vec![AR::ExistsWithDifferentLedger]
    );
    assert_eq!(
        l.create_accounts(&[acct(1, AccountFlags::NONE)], 0),
        vec![AR::Exists]
    );
    let both =
        AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS;
    assert_eq!(
        l.create_accounts(&[acct(9, both)], 0),
        vec![AR::FlagsAreMutuallyExclusive]
    );
    let mut c = acct(9, AccountFlags::NONE);
    c.credits_posted = 1;
    assert_eq!(
        l.create_accounts(&[c], 0),
        vec![AR::CreditsPostedMustBeZero]
    );
    c.credits_posted = 0;
    c.ledger = 0;
    assert_eq!(l.create_accounts(&[c], 0), vec![AR::LedgerMustNotBeZero]);
    c.ledger = 1;
    c.code = 0;
    assert_eq!(l.create_accounts(&[c], 0), vec![AR::CodeMustNotBeZero]);
}

#[test]
fn linked_accounts_all_or_nothing() {
    let mut l = setup();
    let linked = acct(20, AccountFlags::LINKED);
    let r = l.create_accounts(
        &[
            linked,
            acct(21, AccountFlags::LINKED),
            acct(1, AccountFlags::HISTORY),
            acct(22, AccountFlags::NONE),
        ],
        0,
    );
    assert_eq!(
        r,
        vec![
            AR::LinkedEventFailed,
            AR::LinkedEventFailed,
            AR::ExistsWithDifferentFlags,
            AR::Created
        ]
    );
    assert!(l.account(20).is_none() && l.account(21).is_none() && l.account(22).is_some());
    let r = l.create_accounts(
        &[acct(30, AccountFlags::NONE), acct(31, AccountFlags::LINKED)],
        0,
    );
    assert_eq!(r, vec![AR::Created, AR::LinkedEventChainOpen]);
    assert!(l.account(31).is_none());
}

#[test]
fn transfer_validation_precedence() {
    let mut l = setup();
    let ok = tr(100, 1, 4, 5);
    let cases: Vec<(Transfer, TR)> = vec![
        (
            Transfer {
                timestamp: 1,
                id: 0,
                ..ok
            },
            TR::TimestampMustBeZero,
        ),
        (
            Transfer {
                flags: F(1 << 9),
                id: 0,
                ..ok
            },
            TR::ReservedFlag,
        ),
        (Transfer { id: 0, ..ok }, TR::IdMustNotBeZero),
        (
            Transfer {
                id: u128::MAX,
                ..ok
            },
            TR::IdMustNotBeIntMax,
        ),
        (
            Transfer {
                flags: F::PENDING | F::POST_PENDING_TRANSFER,
                debit_account_id: 0,
                ..ok
            },
            TR::FlagsAreMutuallyExclusive,
        ),
        (
            Transfer {
                flags: F::BALANCING_DEBIT | F::CLOSING_DEBIT,
                ..ok
            },
            TR::FlagsAreMutuallyExclusive,
        ),
        (
            Transfer {
                debit_account_id: 0,
                credit_account_id: 0,
                ..ok
            },
            TR::DebitAccountIdMustNotBeZero,
        ),
        (
            Transfer {
                debit_account_id: u128::MAX,
                ..ok
            },
            TR::DebitAccountIdMustNotBeIntMax,
        ),
        (
            Transfer {
                credit_account_id: 0,
                ..ok
            },
            TR::CreditAccountIdMustNotBeZero,
        ),
        (
            Transfer {
                credit_account_id: u128::MAX,
                ..ok
            },
            TR::CreditAccountIdMustNotBeIntMax,
        ),
        (
            Transfer {
                credit_account_id: 1,
                ..ok
            },
            TR::AccountsMustBeDifferent,
        ),
        (
            Transfer {
                pending_id: 7,
                ..ok
            },
            TR::PendingIdMustBeZero,
        ),
        (
            Transfer {
                flags: F::POST_PENDING_TRANSFER,
                ..ok
            },
            TR::PendingIdMustNotBeZero,
        ),
        (
            Transfer {
                flags: F::VOID_PENDING_TRANSFER,
                pending_id: u128::MAX,
                ..ok
            },
            TR::PendingIdMustNotBeIntMax,
        ),
        (
            Transfer {
                flags: F::VOID_PENDING_TRANSFER,
                pending_id: 100,
                ..ok
            },
            TR::PendingIdMustBeDifferent,
        ),
        (
            Transfer { timeout: 1, ..ok },
            TR::TimeoutReservedForPendingTransfer,
        ),
        (
            Transfer {
                flags: F::CLOSING_CREDIT,
                ..ok
            },
            TR::ClosingTransferMustBePending,
        ),
        (Transfer { amount: 0, ..ok }, TR::AmountMustNotBeZero),
        (Transfer { ledger: 0, ..ok }, TR::LedgerMustNotBeZero),
        (Transfer { code: 0, ..ok }, TR::CodeMustNotBeZero),
        (
            Transfer {
                debit_account_id: 77,
                credit_account_id: 78,
                ..ok
            },
            TR::DebitAccountNotFound,
        ),
        (
            Transfer {
                id: 101,
                credit_account_id: 78,
                ..ok
            },
            TR::CreditAccountNotFound,
        ),
        (
            Transfer {
                id: 102,
                ledger: 2,
                ..ok
            },
            TR::TransferMustHaveTheSameLedgerAsAccounts,
        ),
        (
            Transfer {
                id: 103,
                flags: F::POST_PENDING_TRANSFER,
                pending_id: 999,
                ..ok
            },
            TR::PendingTransferNotFound,
        ),
        (
            Transfer {
                id: 104,
                debit_account_id: 2,
                ..ok
            },
            TR::ExceedsCredits,
        ),
        (
            Transfer {
                id: 105,
                credit_account_id: 3,
                ..ok
            },
            TR::ExceedsDebits,
        ),
    ];
    for (i, (t, want)) in cases.iter().enumerate() {
        assert_eq!(l.create_transfers(&[*t], 0), vec![*want], "case {i}: {t:?}");
    }
    assert!(l.transfers().is_empty());
    // Transient failures are memoised: the same id can never succeed later.
    assert_eq!(
        l.create_transfers(&[tr(104, 1, 2, 5)], 0),
        vec![TR::IdAlreadyFailed]
    );
    assert_eq!(l.failed_result(104), Some(TR::ExceedsCredits));
    // Id 100 was refused transiently (debit account not found), so it stays failed; id 102
    // was refused by a validation rule (ledger mismatch), which is not memoised.
    assert_eq!(
        l.create_transfers(&[tr(100, 1, 4, 5)], 0),
        vec![TR::IdAlreadyFailed]
    );
    assert_eq!(
        l.create_transfers(
            &[Transfer {
                id: 102,
                ..tr(0, 1, 4, 5)
            }],
            0
        ),
        vec![TR::Created]
    );
    l.check_invariants().unwrap();
}

#[test]
fn different_ledgers() {
    let mut l = setup();
    l.create_accounts(
        &[Account {
            id: 50,
            ledger: 2,
            code: 1,
            ..Account::default()
        }],
        0,
    );
    assert_eq!(
        l.create_transfers(&[tr(1, 1, 50, 1)], 0),
        vec![TR::AccountsMustHaveTheSameLedger]
    );
}

#[test]
fn idempotency_exists_family() {
    let mut l = setup();
    let t = Transfer {
        user_data_64: 9,
        ..tr(1, 1, 2, 500)
    };
    assert_eq!(l.create_transfers(&[t], 0), vec![TR::Created]);
    assert_eq!(l.create_transfers(&[t], 0), vec![TR::Exists]);
    let retries = [
        (
            Transfer {
                flags: F::PENDING,
                ..t
            },
            TR::ExistsWithDifferentFlags,
        ),
        (
            Transfer {
                debit_account_id: 4,
                ..t
            },
            TR::ExistsWithDifferentDebitAccountId,
        ),
        (
            Transfer {
                credit_account_id: 4,
                ..t
            },
            TR::ExistsWithDifferentCreditAccountId,
        ),
        (Transfer { amount: 501, ..t }, TR::ExistsWithDifferentAmount),
        (
            Transfer {
                user_data_128: 1,
                ..t
            },
            TR::ExistsWithDifferentUserData128,
        ),
        (
            Transfer {
                user_data_64: 1,
                ..t
            },
            TR::ExistsWithDifferentUserData64,
        ),
        (
            Transfer {
                user_data_32: 1,
                ..t
            },
            TR::ExistsWithDifferentUserData32,
        ),
        (Transfer { ledger: 3, ..t }, TR::ExistsWithDifferentLedger),
        (Transfer { code: 3, ..t }, TR::ExistsWithDifferentCode),
        // Earlier checks win: flags before amount.
        (
            Transfer {
                flags: F::PENDING,
                amount: 1,
                ..t
            },
            TR::ExistsWithDifferentFlags,
        ),
    ];
    for (r, want) in retries {
        assert_eq!(l.create_transfers(&[r], 0), vec![want]);
    }
    assert_eq!(l.account(2).unwrap().credits_posted, 500, "applied once");
}

#[test]
fn two_phase_full_partial_void_and_retries() {
    let mut l = setup();
    let p = Transfer {
        flags: F::PENDING,
        ..tr(1, 1, 2, 1000)
    };
    assert_eq!(l.create_transfers(&[p], 0), vec![TR::Created]);
    let a1 = *l.account(1).unwrap();
    assert_eq!((a1.debits_pending, a1.debits_posted), (1000, 0));
    // Partial post with inherited accounts.
    let post = Transfer {
        id: 2,
        pending_id: 1,
        amount: 600,
        flags: F::POST_PENDING_TRANSFER,
        ..Transfer::default()
    };
    let over = Transfer {
        amount: 1001,
        ..post
    };
    assert_eq!(
        l.create_transfers(&[over], 0),
        vec![TR::ExceedsPendingTransferAmount]
    );
    let wrong = Transfer {
        id: 3,
        debit_account_id: 4,
        ..post
    };
    assert_eq!(
        l.create_transfers(&[wrong], 0),
        vec![TR::PendingTransferHasDifferentDebitAccountId]
    );
    assert_eq!(l.create_transfers(&[post], 0), vec![TR::Created]);
    let a1 = *l.account(1).unwrap();
    let a2 = *l.account(2).unwrap();
    assert_eq!(
        (
            a1.debits_pending,
            a1.debits_posted,
            a2.credits_pending,
            a2.credits_posted
        ),
        (0, 600, 0, 600)
    );
    assert_eq!(l.pending_status(1), Some(PendingStatus::Posted));
    let stored = l.transfer(2).unwrap();
    assert_eq!(
        (
            stored.debit_account_id,
            stored.credit_account_id,
            stored.amount,
            stored.ledger
        ),
        (1, 2, 600, 1)
    );
    assert_eq!(l.create_transfers(&[post], 0), vec![TR::Exists]);
    let again = Transfer { id: 5, ..post };
    assert_eq!(
        l.create_transfers(&[again], 0),
        vec![TR::PendingTransferAlreadyPosted]
    );
    let void = Transfer {
        id: 6,
        pending_id: 1,
        flags: F::VOID_PENDING_TRANSFER,
        ..Transfer::default()
    };
    assert_eq!(
        l.create_transfers(&[void], 0),
        vec![TR::PendingTransferAlreadyPosted]
    );
    // Void a second pending; amount must be 0 or exact.
    let p2 = Transfer {
        id: 10,
        flags: F::PENDING,
        ..tr(10, 1, 2, 70)
    };
    assert_eq!(l.create_transfers(&[p2], 0), vec![TR::Created]);
    let v = Transfer {
        id: 11,
        pending_id: 10,
        amount: 69,
        flags: F::VOID_PENDING_TRANSFER,
        ..Transfer::default()
    };
    assert_eq!(
        l.create_transfers(&[v], 0),
        vec![TR::PendingTransferHasDifferentAmount]
    );
    assert_eq!(
        l.create_transfers(&[Transfer { amount: 0, ..v }], 0),
        vec![TR::Created]
    );
    assert_eq!(
        l.create_transfers(
            &[Transfer {
                id: 12,
                amount: 0,
                ..v
            }],
            0
        ),
        vec![TR::PendingTransferAlreadyVoided]
    );
    // Posting a non-pending transfer.
    let np = Transfer {
        id: 13,
        pending_id: 2,
        amount: AMOUNT_MAX,
        flags: F::POST_PENDING_TRANSFER,
        ..Transfer::default()
    };
    assert_eq!(
        l.create_transfers(&[np], 0),
        vec![TR::PendingTransferNotPending]
    );
    // Full post with AMOUNT_MAX.
    let p3 = Transfer {
        flags: F::PENDING,
        ..tr(20, 1, 2, 33)
    };
    let post3 = Transfer {
        id: 21,
        pending_id: 20,
        amount: AMOUNT_MAX,
        flags: F::POST_PENDING_TRANSFER,
        ..Transfer::default()
    };
    assert_eq!(
        l.create_transfers(&[p3, post3], 0),
        vec![TR::Created, TR::Created]
    );
    assert_eq!(l.transfer(21).unwrap().amount, 33);
    l.check_invariants().unwrap();
}

#[test]
fn pending_counts_against_limits() {
    let mut l = setup();
    l.create_transfers(&[tr(1, 1, 2, 100)], 0);
    let hold = Transfer {
        flags: F::PENDING,
        ..tr(2, 2, 1, 80)
    };
    assert_eq!(l.create_transfers(&[hold], 0), vec![TR::Created]);
    assert_eq!(
        l.create_transfers(&[tr(3, 2, 1, 21)], 0),
        vec![TR::ExceedsCredits]
    );
    assert_eq!(l.create_transfers(&[tr(4, 2, 1, 20)], 0), vec![TR::Created]);
    let b = l.account(2).unwrap().balances(NormalSide::Credit);
    assert_eq!(b.posted.to_i128(), Some(80));
    assert_eq!(b.pending.to_i128(), Some(-80));
    assert_eq!(b.available.to_i128(), Some(0));
}

#[test]
fn timeouts_expire_deterministically() {
    let mut l = setup();
    let p = Transfer {
        flags: F::PENDING,
        timeout: 60,
        ..tr(1, 1, 2, 10)
    };
    assert_eq!(l.create_transfers(&[p], 100 * S), vec![TR::Created]);
    let ts = l.transfer(1).unwrap().timestamp;
    let post = Transfer {
        id: 2,
        pending_id: 1,
        amount: AMOUNT_MAX,
        flags: F::POST_PENDING_TRANSFER,
        ..Transfer::default()
    };
    // One ns before expiry: still pending and still postable — check on a clone.
    let mut before = l.clone();
    assert_eq!(
        before.create_transfers(&[post], ts + 60 * S - 1),
        vec![TR::Created]
    );
    // At expiry: released at the start of the batch, post refused.
    assert_eq!(
        l.create_transfers(&[post], ts + 60 * S),
        vec![TR::PendingTransferExpired]
    );
    assert_eq!(l.pending_status(1), Some(PendingStatus::Expired));
    assert_eq!(l.account(1).unwrap().debits_pending, 0);
    // Not transient: not memoised.
    assert_eq!(l.failed_result(2), None);
    // Overflowing timeout.
    let big = Transfer {
        flags: F::PENDING,
        timeout: u32::MAX,
        ..tr(3, 1, 2, 1)
    };
    assert_eq!(
        l.create_transfers(&[big], u64::MAX - 10),
        vec![TR::OverflowsTimeout]
    );
    // expire_pending releases without a batch of transfers.
    let mut l2 = setup();
    l2.create_transfers(
        &[Transfer {
            flags: F::PENDING,
            timeout: 1,
            ..tr(1, 1, 2, 10)
        }],
        0,
    );
    assert_eq!(l2.expire_pending(l2.clock() + S), 1);
    assert_eq!(l2.account(2).unwrap().credits_pending, 0);
    l.check_invariants().unwrap();
}

#[test]
fn linked_chain_failing_midway_changes_nothing() {
    let mut l = setup();
    l.create_transfers(&[tr(1, 1, 2, 100)], 0);
    let before = l.account(2).copied();
    let chain = [
        Transfer {
            flags: F::LINKED,
            ..tr(10, 2, 1, 60)
        },
        // Sees the intermediate effect of #10: 60 + 50 > 100.
        Transfer {
            flags: F::LINKED,
            ..tr(11, 2, 4, 50)
        },
        tr(12, 1, 4, 1),
        tr(13, 1, 4, 1),
    ];
    let r = l.create_transfers(&chain, 0);
    assert_eq!(
        r,
        vec![
            TR::LinkedEventFailed,
            TR::ExceedsCredits,
            TR::LinkedEventFailed,
            TR::Created
        ]
    );
    assert_eq!(l.account(2).copied(), before);
    assert!(l.transfer(10).is_none() && l.transfer(12).is_none() && l.transfer(13).is_some());
    // The chain's own transient failure is memoised; the others may be retried.
    assert_eq!(l.failed_result(11), Some(TR::ExceedsCredits));
    let r = l.create_transfers(
        &[
            Transfer {
                flags: F::LINKED,
                ..tr(10, 2, 1, 60)
            },
            tr(12, 2, 4, 40),
        ],
        0,
    );
    assert_eq!(r, vec![TR::Created, TR::Created]);
    // Chain open at the end of the batch.
    let r = l.create_transfers(
        &[
            tr(20, 1, 4, 1),
            Transfer {
                flags: F::LINKED,
                ..tr(21, 1, 4, 1)
            },
        ],
        0,
    );
    assert_eq!(r, vec![TR::Created, TR::LinkedEventChainOpen]);
    // A chain rolled back after a post restores the pending transfer.
    l.create_transfers(
        &[Transfer {
            flags: F::PENDING,
            ..tr(30, 1, 4, 9)
        }],
        0,
    );
    let chain = [
        Transfer {
            id: 31,
            pending_id: 30,
            amount: AMOUNT_MAX,
            flags: F::POST_PENDING_TRANSFER | F::LINKED,
            ..Transfer::default()
        },
        tr(32, 1, 77, 1),
    ];
    assert_eq!(
        l.create_transfers(&chain, 0),
        vec![TR::LinkedEventFailed, TR::CreditAccountNotFound]
    );
    assert_eq!(l.pending_status(30), Some(PendingStatus::Pending));
    assert_eq!(l.account(1).unwrap().debits_pending, 9);
    l.check_invariants().unwrap();
}

#[test]
fn balancing_and_closing() {
    let mut l = setup();
    l.create_transfers(&[tr(1, 1, 2, 100)], 0);
    // Sweep account 2 with AMOUNT_MAX: clamped to its credit balance.
    let sweep = Transfer {
        flags: F::BALANCING_DEBIT,
        ..tr(2, 2, 1, AMOUNT_MAX)
    };
    assert_eq!(l.create_transfers(&[sweep], 0), vec![TR::Created]);
    assert_eq!(l.transfer(2).unwrap().amount, 100);
    // Retry with a larger requested amount is still `exists`; a smaller one is not.
    assert_eq!(
        l.create_transfers(
            &[Transfer {
                amount: 100,
                ..sweep
            }],
            0
        ),
        vec![TR::Exists]
    );
    assert_eq!(
        l.create_transfers(
            &[Transfer {
                amount: 99,
                ..sweep
            }],
            0
        ),
        vec![TR::ExistsWithDifferentAmount]
    );
    // Closing: pending closing transfer closes account 4.
    let close = Transfer {
        flags: F::PENDING | F::CLOSING_CREDIT,
        ..tr(3, 1, 4, 0)
    };
    assert_eq!(l.create_transfers(&[close], 0), vec![TR::Created]);
    assert!(l.account(4).unwrap().flags.contains(AccountFlags::CLOSED));
    assert_eq!(
        l.create_transfers(&[tr(4, 1, 4, 1)], 0),
        vec![TR::CreditAccountAlreadyClosed]
    );
    assert_eq!(
        l.create_transfers(&[tr(4, 1, 3, 1)], 0),
        vec![TR::IdAlreadyFailed]
    );
    // Voiding re-opens.
    let void = Transfer {
        id: 5,
        pending_id: 3,
        flags: F::VOID_PENDING_TRANSFER,
        ..Transfer::default()
    };
    assert_eq!(l.create_transfers(&[void], 0), vec![TR::Created]);
    assert!(!l.account(4).unwrap().flags.contains(AccountFlags::CLOSED));
    assert_eq!(l.create_transfers(&[tr(6, 1, 4, 1)], 0), vec![TR::Created]);
    // Closing account creation retry still `exists` after it was closed.
    assert_eq!(
        l.create_accounts(&[acct(4, AccountFlags::HISTORY)], 0),
        vec![AR::Exists]
    );
}

#[test]
fn overflow_is_a_result_never_a_wrap() {
    let mut l = setup();
    assert_eq!(
        l.create_transfers(&[tr(1, 1, 4, u128::MAX - 1)], 0),
        vec![TR::Created]
    );
    assert_eq!(
        l.create_transfers(&[tr(2, 1, 4, 2)], 0),
        vec![TR::OverflowsDebitsPosted]
    );
    assert_eq!(
        l.create_transfers(&[tr(3, 3, 4, 2)], 0)[0],
        TR::OverflowsCreditsPosted
    );
    let p = Transfer {
        flags: F::PENDING,
        ..tr(4, 1, 3, 2)
    };
    assert_eq!(l.create_transfers(&[p], 0), vec![TR::OverflowsDebits]);
    l.check_invariants().unwrap();
}

#[test]
fn timestamps_are_unique_and_increasing() {
    let mut l = setup();
    l.create_transfers(&[tr(1, 1, 4, 1), tr(2, 1, 4, 1)], 5);
    l.create_transfers(&[tr(3, 1, 4, 1)], 1); // clock stepped back
    let ts: Vec<u64> = l.transfers().iter().map(|t| t.timestamp).collect();
    assert!(ts.windows(2).all(|w| w[0] < w[1]), "{ts:?}");
    assert_eq!(ts[0], 10 * S + 4, "after the 4 accounts created at 10 s");
}

#[test]
fn history_balance_as_of_and_paging() {
    let mut l = setup();
    for i in 0..10u128 {
        l.create_transfers(&[tr(100 + i, 1, 4, 1 + i)], (20 + i as u64) * S);
    }
    let hist = l.account_history(4).unwrap();
    assert_eq!(hist.len(), 10);
    assert_eq!(hist[9].counters.credits_posted, (1..=10).sum::<u128>());
    assert_eq!(
        l.balance_as_of(4, 24 * S).unwrap().credits_posted,
        1 + 2 + 3 + 4 + 5
    );
    assert_eq!(l.balance_as_of(4, 11 * S).unwrap().credits_posted, 0);
    assert_eq!(
        l.balance_as_of(4, 1),
        Err(QueryError::BeforeCreation {
            id: 4,
            timestamp: 1
        })
    );
    assert_eq!(l.account_history(1), Err(QueryError::HistoryNotEnabled(1)));
    assert_eq!(l.account_history(99), Err(QueryError::AccountNotFound(99)));
    let mut f = AccountFilter::new(4, 4);
    let mut seen = vec![];
    loop {
        let page = l.transfers_by_account(&f).unwrap();
        seen.extend(page.transfers.iter().map(|t| t.id));
        match page.next_cursor {
            Some(c) => f.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, (100..110).collect::<Vec<_>>());
    let rev = l
        .transfers_by_account(&AccountFilter {
            reversed: true,
            ..AccountFilter::new(4, 3)
        })
        .unwrap();
    assert_eq!(
        rev.transfers.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![109, 108, 107]
    );
    let debits = l
        .transfers_by_account(&AccountFilter {
            credits: false,
            ..AccountFilter::new(4, 3)
        })
        .unwrap();
    assert!(debits.transfers.is_empty() && debits.next_cursor.is_none());
    assert_eq!(
        l.transfers_by_account(&AccountFilter::new(4, 0)),
        Err(QueryError::BadLimit(0))
    );
}

fn busy_ledger() -> Ledger {
    let mut l = setup();
    l.create_transfers(
        &[
            tr(1, 1, 2, 100),
            Transfer {
                flags: F::PENDING,
                timeout: 5,
                ..tr(2, 2, 4, 30)
            },
        ],
        20 * S,
    );
    l.create_transfers(&[tr(3, 2, 1, 1000)], 21 * S); // transient failure memoised
    l.create_transfers(
        &[Transfer {
            flags: F::PENDING,
            ..tr(4, 1, 4, 7)
        }],
        22 * S,
    );
    l.expire_pending(40 * S);
    l
}

#[test]
fn journal_replay_is_bit_for_bit() {
    let mut l = busy_ledger();
    let text: String = l
        .take_journal()
        .iter()
        .map(|r| r.to_line() + "\n")
        .collect();
    let replayed = journal::replay(&text).unwrap();
    assert_eq!(replayed.snapshot(), l.snapshot());
    assert_eq!(replayed.digest(), l.digest());
    assert_eq!(replayed.pending_status(2), Some(PendingStatus::Expired));
    assert_eq!(replayed.failed_result(3), Some(TR::ExceedsCredits));
    // Journal text with CRLF and blank lines still replays.
    let crlf = text.replace('\n', "\r\n\n");
    assert_eq!(journal::replay(&crlf).unwrap().digest(), l.digest());
}

#[test]
fn malformed_journal_reports_line_and_offset() {
    let mut l = busy_ledger();
    let lines: Vec<String> = l.take_journal().iter().map(|r| r.to_line()).collect();
    let mut bad = lines.clone();
    bad[2] = bad[2].replace("\"amount\":1000", "\"amount\":-1");
    let text = bad.join("\n");
    match journal::replay(&text) {
        Err(JournalError::Syntax {
            line: 3,
            byte_offset,
            ..
        }) => {
            assert_eq!(byte_offset, lines[0].len() + lines[1].len() + 2);
        }
        other => panic!("{other:?}"),
    }
    let skipped = [lines[0].clone(), lines[2].clone()].join("\n");
    assert!(matches!(
        journal::replay(&skipped),
        Err(JournalError::Sequence {
            line: 2,
            expected: 1,
            found: 2
        })
    ));
    assert!(matches!(
        journal::replay("{\"seq\":0}"),
        Err(JournalError::Syntax { line: 1, .. })
    ));
    assert!(matches!(
        journal::replay("\n\nnot json"),
        Err(JournalError::Syntax {
            line: 3,
            byte_offset: 2,
            ..
        })
    ));
}

#[test]
fn snapshot_roundtrip_and_refusals() {
    let l = busy_ledger();
    let json = l.snapshot().to_json();
    let back = Ledger::restore(Snapshot::from_json(&json).unwrap()).unwrap();
    assert_eq!(back.digest(), l.digest());
    back.check_invariants().unwrap();
    // Continuing on the restored ledger behaves like the original.
    let mut a = l.clone();
    let mut b = back;
    let next = [
        tr(50, 1, 4, 3),
        Transfer {
            id: 51,
            pending_id: 4,
            amount: AMOUNT_MAX,
            flags: F::POST_PENDING_TRANSFER,
            ..Transfer::default()
        },
    ];
    assert_eq!(
        a.create_transfers(&next, 50 * S),
        b.create_transfers(&next, 50 * S)
    );
    assert_eq!(a.digest(), b.digest());

    assert!(matches!(
        Snapshot::from_json("{\n  \"version\": 1,\n  oops"),
        Err(SnapshotError::Syntax { line: 3, .. })
    ));
    let mut s = l.snapshot();
    s.accounts[1].credits_posted += 1;
    assert!(matches!(
        Ledger::restore(s),
        Err(SnapshotError::Invalid { .. })
    ));
    let mut s = l.snapshot();
    s.transfers[0].debit_account_id = 999;
    match Ledger::restore(s) {
        Err(SnapshotError::Invalid { path, .. }) => {
            assert_eq!(path, "transfers[0].debit_account_id")
        }
        other => panic!("{other:?}"),
    }
    let mut s = l.snapshot();
    s.version = 7;
    assert_eq!(Ledger::restore(s).unwrap_err(), SnapshotError::Version(7));
}

// ---- chart of accounts ----

const CNY: u32 = 156;
const M: u64 = 42;
const AGENT: u64 = 7;

fn chart_ledger() -> Ledger {
    let mut l = Ledger::new();
    let mut accounts = chart::accounts_for(Owner::Platform, 0, CNY);
    accounts.extend(chart::accounts_for(Owner::Merchant, M, CNY));
    accounts.extend(chart::accounts_for(Owner::Agent, AGENT, CNY));
    let r = l.create_accounts(&accounts, S);
    assert!(r.iter().all(|r| *r == AR::Created));
    l
}

fn post(l: &mut Ledger, kind: EventKind, event_id: u64, amounts: Amounts) -> Vec<TR> {
    let e = BusinessEvent {
        kind,
        event_id,
        merchant_id: M,
        agent_id: AGENT,
        ledger: CNY,
        amounts,
    };
    let legs = PostingRules::acquirer_default().transfers(&e).unwrap();
    l.create_transfers(&legs, l.clock() + S)
}

fn bal(l: &Ledger, kind: AccountKind, owner: u64) -> i128 {
    let a = l.account(chart::account_id(kind, owner, CNY)).unwrap();
    a.balances(kind.normal_side()).posted.to_i128().unwrap()
}

#[test]
fn clearing_accounts_return_to_zero_after_a_cycle() {
    let mut l = chart_ledger();
    let sale = Amounts {
        gross: 10_000,
        merchant_fee: 60,
        scheme_cost: 45,
        agent_commission: 5,
        ..Amounts::default()
    };
    assert_eq!(post(&mut l, EventKind::Sale, 1, sale), vec![TR::Created; 4]);
    assert_eq!(
        post(&mut l, EventKind::Sale, 1, sale),
        vec![
            TR::Exists,
            TR::LinkedEventFailed,
            TR::LinkedEventFailed,
            TR::LinkedEventFailed
        ],
        "re-posting is idempotent"
    );
    let sale2 = Amounts {
        gross: 2_000,
        merchant_fee: 12,
        scheme_cost: 9,
        agent_commission: 1,
        ..Amounts::default()
    };
    assert_eq!(
        post(&mut l, EventKind::Sale, 2, sale2),
        vec![TR::Created; 4]
    );
    assert_eq!(
        post(&mut l, EventKind::Void, 2, sale2),
        vec![TR::Created; 4]
    );
    assert_eq!(bal(&l, AccountKind::MerchantUncleared, M), 9_940);
    // Partial refund of sale 1: 1,000 with proportional fee 6 refunded, cost 4 returned, agent clawback 0.
    let refund = Amounts {
        gross: 1_000,
        merchant_fee: 6,
        scheme_cost: 4,
        ..Amounts::default()
    };
    assert_eq!(
        post(&mut l, EventKind::Refund, 3, refund),
        vec![TR::Created; 3]
    );
    assert_eq!(bal(&l, AccountKind::MerchantUncleared, M), 8_946);
    // D0 advance of 3,000 before clearing.
    assert_eq!(
        post(
            &mut l,
            EventKind::D0Advance,
            4,
            Amounts {
                gross: 3_000,
                ..Amounts::default()
            }
        ),
        vec![TR::Created]
    );
    // Cut-off: everything uncleared becomes cleared.
    assert_eq!(
        post(
            &mut l,
            EventKind::Clearing,
            5,
            Amounts {
                gross: 8_946,
                ..Amounts::default()
            }
        ),
        vec![TR::Created]
    );
    // Settlement run: repay the advance, withhold 100 reserve, rest withdrawable.
    let run = Amounts {
        gross: 5_846,
        reserve: 100,
        advance: 3_000,
        ..Amounts::default()
    };
    assert_eq!(
        post(&mut l, EventKind::SettlementRun, 6, run),
        vec![TR::Created; 3]
    );
    // Network pays sale − refund − cost: 10,000 − 1,000 − (45 − 4) = 8,959.
    let net = Amounts {
        gross: 8_959,
        scheme_cost: 41,
        ..Amounts::default()
    };
    assert_eq!(
        post(&mut l, EventKind::NetworkSettlement, 7, net),
        vec![TR::Created; 2]
    );
    for kind in AccountKind::ALL.into_iter().filter(|k| k.is_clearing()) {
        let owner = if kind.owner() == Owner::Merchant {
            M
        } else {
            0
        };
        assert_eq!(bal(&l, kind, owner), 0, "{kind:?}");
    }
    assert_eq!(bal(&l, AccountKind::MerchantWithdrawable, M), 8_846);
    assert_eq!(bal(&l, AccountKind::MerchantReserve, M), 100);
    assert_eq!(bal(&l, AccountKind::FeeRevenue, 0), 60 - 45 - 5 - 6 + 4);
    assert_eq!(bal(&l, AccountKind::AgentCommissionPayable, AGENT), 5);
    // Payout of the withdrawable balance.
    assert_eq!(
        post(
            &mut l,
            EventKind::Payout,
            8,
            Amounts {
                gross: 8_846,
                ..Amounts::default()
            }
        ),
        vec![TR::Created]
    );
    assert_eq!(bal(&l, AccountKind::MerchantWithdrawable, M), 0);
    // Cash left = what we still owe or earned: reserve + agent commission + fee revenue.
    assert_eq!(bal(&l, AccountKind::SettlementBank, 0), 8_959 - 8_846);
    assert_eq!(8_959 - 8_846, 100 + 5 + 8);
    // Refund larger than uncleared funds is refused by the limit flag.
    assert_eq!(
        post(
            &mut l,
            EventKind::Refund,
            9,
            Amounts {
                gross: 1,
                ..Amounts::default()
            }
        ),
        vec![TR::ExceedsCredits]
    );
    l.check_invariants().unwrap();
}

#[test]
fn posting_rule_errors() {
    let rules = PostingRules::acquirer_default();
    let e = BusinessEvent {
        kind: EventKind::Sale,
        event_id: 1,
        merchant_id: M,
        agent_id: 0,
        ledger: CNY,
        amounts: Amounts {
            gross: 10,
            merchant_fee: 11,
            ..Amounts::default()
        },
    };
    assert!(matches!(
        rules.transfers(&e),
        Err(chart::PostingError::FeeExceedsGross { .. })
    ));
    let e2 = BusinessEvent {
        amounts: Amounts {
            gross: 10,
            merchant_fee: 1,
            agent_commission: 1,
            ..Amounts::default()
        },
        ..e
    };
    assert_eq!(
        rules.transfers(&e2),
        Err(chart::PostingError::MissingAgent(EventKind::Sale))
    );
    let e3 = BusinessEvent {
        amounts: Amounts::default(),
        ..e
    };
    assert_eq!(
        rules.transfers(&e3),
        Err(chart::PostingError::NothingToPost(EventKind::Sale))
    );
    let json = serde_json::to_string(&rules).unwrap();
    let back: PostingRules = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rules);
}

// ---- withdrawals ----

fn funded(amount: u128) -> Ledger {
    let mut l = chart_ledger();
    post(
        &mut l,
        EventKind::SuspenseIn,
        1,
        Amounts {
            gross: amount,
            ..Amounts::default()
        },
    );
    post(
        &mut l,
        EventKind::SuspenseToMerchant,
        2,
        Amounts {
            gross: amount,
            ..Amounts::default()
        },
    );
    l
}

fn policy(mode: FeeMode) -> WithdrawalPolicy {
    WithdrawalPolicy {
        min_amount: 100,
        max_amount: 50_000,
        fee_fixed: 200,
        fee_bps: 10,
        fee_mode: mode,
    }
}

fn req(id: u64, amount: u128) -> WithdrawalRequest {
    WithdrawalRequest {
        withdrawal_id: id,
        merchant_id: M,
        ledger: CNY,
        amount,
    }
}

fn avail(l: &Ledger) -> i128 {
    let a = l
        .account(chart::account_id(AccountKind::MerchantWithdrawable, M, CNY))
        .unwrap();
    a.balances(NormalSide::Credit).available.to_i128().unwrap()
}

#[test]
fn withdrawal_lifecycle_inside_fee() {
    let mut l = funded(20_000);
    let mut w =
        Withdrawal::request(&mut l, &policy(FeeMode::Inside), req(1, 10_000), 100 * S).unwrap();
    assert_eq!((w.fee, w.payout), (210, 9_790));
    assert_eq!(avail(&l), 10_000, "reserved at once");
    assert_eq!(
        bal(&l, AccountKind::MerchantWithdrawable, M),
        20_000,
        "nothing posted yet"
    );
    w.apply(&mut l, WithdrawalAction::Approve, 101 * S).unwrap();
    w.apply(&mut l, WithdrawalAction::Freeze, 102 * S).unwrap();
    assert_eq!(w.state, WithdrawalState::Frozen { was_approved: true });
    assert_eq!(
        w.apply(&mut l, WithdrawalAction::Paid, 103 * S),
        Err(WithdrawalError::IllegalTransition {
            from: w.state,
            action: WithdrawalAction::Paid
        })
    );
    w.apply(&mut l, WithdrawalAction::Unfreeze, 104 * S)
        .unwrap();
    w.apply(&mut l, WithdrawalAction::Paid, 105 * S).unwrap();
    assert_eq!(bal(&l, AccountKind::MerchantWithdrawable, M), 10_000);
    assert_eq!(bal(&l, AccountKind::FeeRevenue, 0), 210);
    w.apply(&mut l, WithdrawalAction::Returned, 106 * S)
        .unwrap();
    assert_eq!(w.state, WithdrawalState::Returned);
    assert_eq!(
        bal(&l, AccountKind::MerchantWithdrawable, M),
        10_000 + 9_790
    );
    assert!(
        w.apply(&mut l, WithdrawalAction::Returned, 107 * S)
            .is_err()
    );
    l.check_invariants().unwrap();
}

#[test]
fn withdrawal_outside_fee_reject_fail_and_limits() {
    let mut l = funded(10_000);
    let p = policy(FeeMode::Outside);
    assert_eq!(
        Withdrawal::request(&mut l, &p, req(1, 10_000), S).unwrap_err(),
        WithdrawalError::Insufficient {
            needed: 10_210,
            available: 10_000
        }
    );
    assert!(matches!(
        Withdrawal::request(&mut l, &p, req(1, 99), S),
        Err(WithdrawalError::OutOfRange { .. })
    ));
    assert!(matches!(
        Withdrawal::request(&mut l, &p, req(1, 50_001), S),
        Err(WithdrawalError::OutOfRange { .. })
    ));
    let mut w = Withdrawal::request(&mut l, &p, req(2, 5_000), S).unwrap();
    assert_eq!((w.fee, w.payout), (205, 5_000));
    assert_eq!(avail(&l), 10_000 - 5_205);
    // A second request cannot spend the reserved funds.
    assert!(matches!(
        Withdrawal::request(&mut l, &p, req(3, 5_000), S),
        Err(WithdrawalError::Insufficient { .. })
    ));
    w.apply(&mut l, WithdrawalAction::Reject, 2 * S).unwrap();
    assert_eq!(avail(&l), 10_000);
    assert!(w.apply(&mut l, WithdrawalAction::Approve, 3 * S).is_err());
    let mut w = Withdrawal::request(&mut l, &p, req(4, 1_000), 4 * S).unwrap();
    w.apply(&mut l, WithdrawalAction::Approve, 5 * S).unwrap();
    w.apply(&mut l, WithdrawalAction::Failed, 6 * S).unwrap();
    assert_eq!((w.state, avail(&l)), (WithdrawalState::Failed, 10_000));
    // Inside fee larger than the amount.
    let tiny = WithdrawalPolicy {
        fee_fixed: 500,
        ..policy(FeeMode::Inside)
    };
    assert_eq!(
        Withdrawal::request(&mut l, &tiny, req(5, 400), S).unwrap_err(),
        WithdrawalError::FeeNotCovered {
            fee: 500,
            amount: 400
        }
    );
    l.check_invariants().unwrap();
}

#[test]
fn record_layout_matches_tigerbeetle_size() {
    assert_eq!(std::mem::size_of::<Account>(), 128);
    assert_eq!(std::mem::size_of::<Transfer>(), 128);
    assert_eq!(std::mem::size_of::<paycore::ledger::AccountBalance>(), 80);
}

#[test]
fn clock_saturates_instead_of_wrapping() {
    let mut l = setup();
    let batch = [tr(1, 1, 4, 1), tr(2, 1, 4, 1)];
    l.create_transfers(&batch, u64::MAX);
    l.create_transfers(&[tr(3, 1, 4, 1), tr(4, 1, 4, 1)], u64::MAX);
    assert_eq!(l.clock(), u64::MAX);
    l.check_invariants().unwrap();
}

#[test]
fn snapshot_plus_journal_tail_equals_full_replay() {
    let mut l = setup();
    l.create_transfers(&[tr(1, 1, 2, 100)], 20 * S);
    let snap = l.snapshot();
    let head = l.take_journal();
    l.create_transfers(
        &[Transfer {
            flags: F::PENDING,
            timeout: 1,
            ..tr(2, 2, 4, 30)
        }],
        21 * S,
    );
    l.expire_pending(30 * S);
    let tail: String = l
        .take_journal()
        .iter()
        .map(|r| r.to_line() + "\n")
        .collect();
    let mut restored = Ledger::restore(snap).unwrap();
    assert_eq!(restored.replay_journal(&tail).unwrap(), 2);
    assert_eq!(restored.digest(), l.digest());
    // The head cannot be applied again on top: sequence numbers refuse it.
    let head_text: String = head.iter().map(|r| r.to_line() + "\n").collect();
    assert!(matches!(
        restored.replay_journal(&head_text),
        Err(JournalError::Sequence { line: 1, .. })
    ));
}
