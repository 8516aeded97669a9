//! Property test of the withdrawal state machine: random action sequences over several
//! withdrawals; the ledger must always agree with a simple expected-balance model, and
//! refused actions must change nothing.

use paycore::ledger::chart::{
    self, AccountKind, Amounts, BusinessEvent, EventKind, Owner, PostingRules,
};
use paycore::ledger::withdrawal::{
    FeeMode, Withdrawal, WithdrawalAction as A, WithdrawalError, WithdrawalPolicy,
    WithdrawalRequest, WithdrawalState as S,
};
use paycore::ledger::{Ledger, NormalSide};
use proptest::prelude::*;

const CNY: u32 = 156;
const M: u64 = 9;
const FUNDS: u128 = 100_000;

fn ledger() -> Ledger {
    let mut l = Ledger::new();
    let mut accounts = chart::accounts_for(Owner::Platform, 0, CNY);
    accounts.extend(chart::accounts_for(Owner::Merchant, M, CNY));
    l.create_accounts(&accounts, 1);
    let rules = PostingRules::acquirer_default();
    for (kind, id) in [
        (EventKind::SuspenseIn, 1),
        (EventKind::SuspenseToMerchant, 2),
    ] {
        let e = BusinessEvent {
            kind,
            event_id: id,
            merchant_id: M,
            agent_id: 0,
            ledger: CNY,
            amounts: Amounts {
                gross: FUNDS,
                ..Amounts::default()
            },
        };
        l.create_transfers(&rules.transfers(&e).unwrap(), 2);
    }
    l
}

fn action() -> impl Strategy<Value = A> {
    prop_oneof![
        Just(A::Approve),
        Just(A::Reject),
        Just(A::Freeze),
        Just(A::Unfreeze),
        Just(A::Paid),
        Just(A::Failed),
        Just(A::Returned)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn withdrawals_keep_the_books(
        requests in prop::collection::vec((1u128..40_000, any::<bool>()), 1..5),
        steps in prop::collection::vec((0usize..5, action()), 0..25),
    ) {
        let mut l = ledger();
        let mut now = 10u64;
        let mut ws: Vec<Withdrawal> = Vec::new();
        for (i, (amount, inside)) in requests.iter().enumerate() {
            let policy = WithdrawalPolicy {
                min_amount: 1, max_amount: 1_000_000, fee_fixed: 100, fee_bps: 30,
                fee_mode: if *inside { FeeMode::Inside } else { FeeMode::Outside },
            };
            let req = WithdrawalRequest { withdrawal_id: i as u64 + 1, merchant_id: M, ledger: CNY, amount: *amount };
            now += 1;
            let before = l.digest();
            match Withdrawal::request(&mut l, &policy, req, now) {
                Ok(w) => ws.push(w),
                Err(_) => prop_assert_eq!(l.digest(), before, "refused request changed the ledger"),
            }
        }
        for (k, act) in steps {
            if ws.is_empty() { break; }
            let n = ws.len();
            let w = &mut ws[k % n];
            let before = (l.digest(), w.state);
            now += 1;
            match w.apply(&mut l, act, now) {
                Ok(()) => {}
                Err(WithdrawalError::IllegalTransition { from, action }) => {
                    prop_assert_eq!((from, action), (before.1, act));
                    prop_assert_eq!((l.digest(), w.state), before, "illegal transition changed state");
                }
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
        }
        // Expected balances from the final states alone.
        let debit = |w: &Withdrawal| w.payout + w.fee;
        let mut posted = FUNDS;
        let mut reserved = 0;
        for w in &ws {
            match w.state {
                S::Requested | S::Approved | S::Frozen { .. } => reserved += debit(w),
                S::Paid => posted -= debit(w),
                S::Returned => posted = posted - debit(w) + w.payout,
                S::Rejected | S::Failed => {}
            }
        }
        let acct = l.account(chart::account_id(AccountKind::MerchantWithdrawable, M, CNY)).unwrap();
        let b = acct.balances(NormalSide::Credit);
        prop_assert_eq!(b.posted.to_i128(), Some(posted as i128));
        prop_assert_eq!(b.available.to_i128(), Some((posted - reserved) as i128));
        l.check_invariants().unwrap();
    }
}
