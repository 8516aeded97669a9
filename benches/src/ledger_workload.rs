//! The ledger workloads of issue 8: two-leg transfers in batches of 8,190 over 10,000
//! accounts, and four-leg linked sale postings (sale, fee, cost, agent) for 1,000 merchants.
//! Shared by the criterion bench `ledger` and the memory/quantile bench `ledger_batches`.

use paycore::ledger::chart::{self, Amounts, BusinessEvent, EventKind, Owner, PostingRules};
use paycore::ledger::{Account, Ledger, Transfer};

/// Events per batch (TigerBeetle's batch size).
pub const BATCH: usize = 8_190;
/// Accounts the two-leg transfers are spread over.
pub const ACCOUNTS: u128 = 10_000;
/// Four-leg sales that fit in one batch.
pub const SALES_PER_BATCH: usize = BATCH / 4;
/// Merchants (each with an agent) the sales are spread over.
pub const MERCHANTS: u64 = 1_000;
/// The sales' ledger: CNY.
pub const CNY: u32 = 156;

/// The two-leg workload's accounts, ids `1..=ACCOUNTS` on ledger 1.
pub fn accounts() -> Vec<Account> {
    (1..=ACCOUNTS)
        .map(|id| Account {
            id,
            ledger: 1,
            code: 1,
            ..Account::default()
        })
        .collect()
}

/// A ledger holding [`accounts`], with or without a journal (the accounts' journal entries
/// are taken, so a journal holds only what comes next).
pub fn plain_ledger(journal: bool) -> Ledger {
    let mut l = if journal {
        Ledger::new()
    } else {
        Ledger::without_journal()
    };
    for chunk in accounts().chunks(BATCH) {
        l.create_accounts(chunk, 1);
    }
    l.take_journal();
    l
}

/// A batch of two-leg transfers with ids starting at `first_id`, spread over the accounts
/// with a cheap deterministic permutation.
pub fn fill_batch(batch: &mut Vec<Transfer>, first_id: u128) {
    batch.clear();
    for i in 0..BATCH as u128 {
        let id = first_id + i;
        let dr = 1 + (id.wrapping_mul(7_919) % ACCOUNTS);
        let cr = 1 + ((dr + 1 + id % 97) % ACCOUNTS);
        let cr = if cr == dr { 1 + (cr % ACCOUNTS) } else { cr };
        batch.push(Transfer {
            id,
            debit_account_id: dr,
            credit_account_id: cr,
            amount: 1 + id % 1000,
            ledger: 1,
            code: 1,
            ..Transfer::default()
        });
    }
}

/// A ledger holding the acquirer chart of accounts for the platform and every merchant and
/// agent of the sale workload.
pub fn sale_ledger() -> Ledger {
    let mut accounts = chart::accounts_for(Owner::Platform, 0, CNY);
    for m in 1..=MERCHANTS {
        accounts.extend(chart::accounts_for(Owner::Merchant, m, CNY));
        accounts.extend(chart::accounts_for(Owner::Agent, m, CNY));
    }
    let mut l = Ledger::without_journal();
    for chunk in accounts.chunks(BATCH) {
        l.create_accounts(chunk, 1);
    }
    l
}

/// Appends [`SALES_PER_BATCH`] sales to `batch` through the posting rules, numbering events
/// on from `*event_id`.
pub fn append_sales(rules: &PostingRules, event_id: &mut u64, batch: &mut Vec<Transfer>) {
    for _ in 0..SALES_PER_BATCH {
        *event_id += 1;
        let m = 1 + *event_id % MERCHANTS;
        let gross = u128::from(1_000 + *event_id % 100_000);
        let e = BusinessEvent {
            kind: EventKind::Sale,
            event_id: *event_id,
            merchant_id: m,
            agent_id: m,
            ledger: CNY,
            amounts: Amounts {
                gross,
                merchant_fee: gross * 6 / 1000,
                scheme_cost: gross * 45 / 10_000,
                agent_commission: gross / 2000,
                ..Amounts::default()
            },
        };
        rules.append_transfers(&e, batch).expect("valid sale");
    }
}
