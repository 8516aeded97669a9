"""The ledger from Python: the doc example of core/src/ledger/mod.rs (a sale, a partial
refund, a payout and a withdrawal with the balances after each), precise result codes,
idempotent retries, journal replay, snapshots and typed errors."""

import dataclasses
from typing import Optional

import pytest

import paycore
from paycore import (
    Account,
    AccountKind,
    BusinessEvent,
    CreateAccountResult,
    CreateTransferResult,
    EventKind,
    FeeMode,
    Ledger,
    NormalSide,
    Owner,
    Transfer,
    Withdrawal,
    WithdrawalAction,
    WithdrawalPolicy,
    WithdrawalState,
    chart_account_id,
    chart_accounts,
)

CNY = 156
MERCHANT, AGENT = 42, 7
K = AccountKind


@dataclasses.dataclass
class Event:
    """What an analyst's own record type might look like."""

    kind: EventKind
    event_id: int
    ledger: int = CNY
    merchant_id: int = MERCHANT
    agent_id: int = AGENT
    gross: int = 0
    merchant_fee: int = 0
    scheme_cost: int = 0
    agent_commission: int = 0


def new_ledger() -> Ledger:
    ledger = Ledger()
    accounts = (
        chart_accounts(Owner.PLATFORM, 0, CNY)
        + chart_accounts(Owner.MERCHANT, MERCHANT, CNY)
        + chart_accounts(Owner.AGENT, AGENT, CNY)
    )
    assert len(accounts) == 11
    assert set(ledger.create_accounts(accounts, 1_000)) == {CreateAccountResult.CREATED}
    return ledger


class Poster:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.now = 1_000

    def __call__(self, event: object) -> list[CreateTransferResult]:
        self.now += 1
        return self.ledger.post_event(event, self.now)


def posted(ledger: Ledger, kind: AccountKind, owner: int = 0) -> int:
    return ledger.chart_balances(kind, owner, CNY).posted


def test_sale_refund_payout_withdrawal_balances() -> None:
    ledger = new_ledger()
    post = Poster(ledger)

    # A ¥100.00 sale: MDR 0.60 %, scheme cost 0.45 %, agent share 0.05 % (4 linked legs).
    sale = BusinessEvent(
        EventKind.SALE, 1, CNY, 10_000, merchant_id=MERCHANT, agent_id=AGENT,
        merchant_fee=60, scheme_cost=45, agent_commission=5,
    )
    assert post(sale) == [CreateTransferResult.CREATED] * 4
    assert posted(ledger, K.NETWORK_RECEIVABLE) == 10_000
    assert posted(ledger, K.MERCHANT_UNCLEARED, MERCHANT) == 9_940
    assert posted(ledger, K.FEE_REVENUE) == 10
    assert posted(ledger, K.AGENT_COMMISSION_PAYABLE, AGENT) == 5

    # A partial refund of ¥20.00 as a dataclass; the proportional fee (12) is refunded.
    post(Event(EventKind.REFUND, 2, gross=2_000, merchant_fee=12, scheme_cost=9))
    assert posted(ledger, K.MERCHANT_UNCLEARED, MERCHANT) == 7_952
    assert posted(ledger, K.FEE_REVENUE) == 7

    # Cut-off, settlement run and the network paying 8,000 − 36 cost, as dicts.
    post({"kind": EventKind.CLEARING, "event_id": 3, "ledger": CNY, "merchant_id": MERCHANT, "gross": 7_952})
    post({"kind": EventKind.SETTLEMENT_RUN, "event_id": 4, "ledger": CNY, "merchant_id": MERCHANT, "gross": 7_952})
    post({"kind": EventKind.NETWORK_SETTLEMENT, "event_id": 5, "ledger": CNY, "gross": 7_964, "scheme_cost": 36})
    assert posted(ledger, K.NETWORK_RECEIVABLE) == 0
    assert posted(ledger, K.MERCHANT_UNCLEARED, MERCHANT) == 0
    assert posted(ledger, K.MERCHANT_WITHDRAWABLE, MERCHANT) == 7_952

    # A payout of ¥50.00.
    post(Event(EventKind.PAYOUT, 6, gross=5_000))
    assert posted(ledger, K.MERCHANT_WITHDRAWABLE, MERCHANT) == 2_952

    # A withdrawal of ¥20.00 with a ¥2.00 fee deducted inside: reserved, approved, paid.
    policy = WithdrawalPolicy(100, 1_000_000, fee_fixed=200, fee_mode=FeeMode.INSIDE)
    now = 2_000_000_000
    w = Withdrawal.request(ledger, policy, withdrawal_id=1, merchant_id=MERCHANT, ledger_id=CNY, amount=2_000, now=now)
    assert (w.state, w.fee, w.payout) == (WithdrawalState.REQUESTED, 200, 1_800)
    wd = chart_account_id(K.MERCHANT_WITHDRAWABLE, MERCHANT, CNY)
    b = ledger.balances(wd)  # side from the chart kind
    assert (b.posted, b.pending, b.available) == (2_952, -2_000, 952)
    w.apply(ledger, WithdrawalAction.APPROVE, now + 1)
    w.apply(ledger, WithdrawalAction.PAID, now + 2)
    assert w.state == WithdrawalState.PAID
    assert posted(ledger, K.MERCHANT_WITHDRAWABLE, MERCHANT) == 952
    assert posted(ledger, K.FEE_REVENUE) == 7 + 200
    ledger.check_invariants()

    # Queries: paging, history, balance as of the payout.
    seen, cursor = [], None
    while True:
        page = ledger.transfers_by_account(wd, limit=2, cursor=cursor)
        seen += page.transfers
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == 6
    assert [t.timestamp for t in seen] == sorted(t.timestamp for t in seen)
    newest = ledger.transfers_by_account(wd, limit=1, reversed=True).transfers[0]
    assert newest == seen[-1]
    history = ledger.account_history(wd)
    assert len(history) == 6
    at_payout = ledger.balance_as_of(wd, history[1].timestamp)
    assert at_payout.credits_posted - at_payout.debits_posted == 2_952
    account = ledger.account(wd)
    assert account is not None and account.code == int(K.MERCHANT_WITHDRAWABLE)
    assert account.balances(NormalSide.CREDIT).posted == 952


def test_rejected_transfers_have_precise_codes_and_retries_are_idempotent() -> None:
    ledger = new_ledger()
    post = Poster(ledger)
    sale = Event(EventKind.SALE, 1, gross=10_000, merchant_fee=60, scheme_cost=45, agent_commission=5)
    assert post(sale) == [CreateTransferResult.CREATED] * 4
    # The same event again: exists, and the ledger is unchanged.
    retry = post(sale)
    assert retry[0] == CreateTransferResult.EXISTS
    assert set(retry[1:]) == {CreateTransferResult.LINKED_EVENT_FAILED}
    assert posted(ledger, K.MERCHANT_UNCLEARED, MERCHANT) == 9_940
    # Same id, other amount.
    other = post(dataclasses.replace(sale, gross=10_001))
    assert other[0] == CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT
    assert str(other[0]) == "exists_with_different_amount"

    # Overdrawing a merchant's uncleared account: exceeds_credits, then id_already_failed.
    uncleared = chart_account_id(K.MERCHANT_UNCLEARED, MERCHANT, CNY)
    bank = chart_account_id(K.SETTLEMENT_BANK, 0, CNY)
    overdraw = Transfer(5_000, uncleared, bank, 1_000_000, CNY, 12)
    assert ledger.create_transfers([overdraw], 5_000) == [CreateTransferResult.EXCEEDS_CREDITS]
    assert str(CreateTransferResult.EXCEEDS_CREDITS) == "exceeds_credits"
    assert ledger.create_transfers([overdraw], 5_001) == [CreateTransferResult.ID_ALREADY_FAILED]
    # Dicts work too; missing fields default to 0.
    assert ledger.create_transfers([{"id": 5_001, "debit_account_id": uncleared, "credit_account_id": bank,
                                     "ledger": CNY, "code": 12}], 5_002) == [CreateTransferResult.AMOUNT_MUST_NOT_BE_ZERO]
    assert posted(ledger, K.MERCHANT_UNCLEARED, MERCHANT) == 9_940

    # Accounts: exists / exists_with_different_flags.
    acct = chart_accounts(Owner.MERCHANT, MERCHANT, CNY)[0]
    assert ledger.create_accounts([acct], 6_000) == [CreateAccountResult.EXISTS]
    changed = Account(acct.id, acct.ledger, acct.code, flags=acct.flags ^ 8, user_data_64=acct.user_data_64)
    assert ledger.create_accounts([changed], 6_001) == [CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS]
    assert str(CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS) == "exists_with_different_flags"


def test_bad_inputs_raise_typed_errors() -> None:
    ledger = new_ledger()
    with pytest.raises(paycore.PostingError):  # fee larger than the sale
        ledger.post_event(Event(EventKind.SALE, 9, gross=10, merchant_fee=60), 2_000)
    with pytest.raises(TypeError):  # floats are refused
        ledger.create_transfers([{"id": 1, "amount": 1.5, "ledger": CNY, "code": 1}], 2_001)
    with pytest.raises(TypeError, match='missing field "id"'):
        ledger.create_transfers([{"amount": 1}], 2_002)
    with pytest.raises(paycore.AccountNotFoundError):
        ledger.balances(12_345)
    assert ledger.account(12_345) is None
    with pytest.raises(paycore.HistoryNotEnabledError):
        ledger.account_history(chart_account_id(K.SETTLEMENT_BANK, 0, CNY))
    wd = chart_account_id(K.MERCHANT_WITHDRAWABLE, MERCHANT, CNY)
    with pytest.raises(paycore.BeforeCreationError):
        ledger.balance_as_of(wd, 1)
    with pytest.raises(ValueError):
        ledger.transfers_by_account(wd, limit=0)

    policy = {"min_amount": 100, "max_amount": 1_000_000, "fee_fixed": 200}
    with pytest.raises(paycore.InsufficientFundsError):
        Withdrawal.request(ledger, policy, withdrawal_id=1, merchant_id=MERCHANT, ledger_id=CNY, amount=2_000, now=3_000)
    with pytest.raises(paycore.WithdrawalLimitError):
        Withdrawal.request(ledger, policy, withdrawal_id=2, merchant_id=MERCHANT, ledger_id=CNY, amount=50, now=3_000)
    assert issubclass(paycore.IllegalTransitionError, paycore.PaycoreError)


def test_withdrawal_illegal_transition_changes_nothing() -> None:
    ledger = new_ledger()
    post = Poster(ledger)
    post(Event(EventKind.SUSPENSE_IN, 1, gross=5_000))
    post(Event(EventKind.SUSPENSE_TO_MERCHANT, 2, gross=5_000))
    assert posted(ledger, K.MERCHANT_WITHDRAWABLE, MERCHANT) == 5_000
    policy = WithdrawalPolicy(100, 10_000)
    w = Withdrawal.request(ledger, policy, withdrawal_id=7, merchant_id=MERCHANT, ledger_id=CNY, amount=1_000, now=10_000)
    digest = ledger.digest
    with pytest.raises(paycore.IllegalTransitionError):
        w.apply(ledger, WithdrawalAction.PAID, 10_001)
    assert ledger.digest == digest and w.state == WithdrawalState.REQUESTED
    w.apply(ledger, WithdrawalAction.REJECT, 10_002)
    assert w.state == WithdrawalState.REJECTED
    assert ledger.chart_balances(K.MERCHANT_WITHDRAWABLE, MERCHANT, CNY).available == 5_000


def month_of_postings() -> tuple[Ledger, str]:
    ledger = new_ledger()
    post = Poster(ledger)
    for day in range(1, 31):
        post(Event(EventKind.SALE, day, gross=10_000 + day, merchant_fee=60, scheme_cost=45, agent_commission=5))
    return ledger, ledger.take_journal()


def test_replay_a_month_and_query_balances() -> None:
    ledger, journal = month_of_postings()
    replayed = Ledger.replay(journal)
    assert replayed.digest == ledger.digest
    assert posted(replayed, K.MERCHANT_UNCLEARED, MERCHANT) == sum(10_000 + d - 60 for d in range(1, 31))
    assert replayed.chart_balances(K.FEE_REVENUE, 0, CNY).posted == 30 * 10
    assert {a.code for a in replayed.accounts()} >= {int(K.FEE_REVENUE), int(K.MERCHANT_WITHDRAWABLE)}
    replayed.check_invariants()
    assert ledger.take_journal() == ""
    # Snapshots round-trip bit for bit.
    restored = Ledger.from_snapshot(ledger.snapshot())
    assert restored.digest == ledger.digest
    with pytest.raises(paycore.SnapshotError):
        Ledger.from_snapshot('{"version": 9')


def test_malformed_journal_names_the_line() -> None:
    _, journal = month_of_postings()
    lines = journal.splitlines()
    lines[4] = lines[4][:20]  # truncate line 5
    with pytest.raises(paycore.JournalError, match="journal line 5") as info:
        Ledger.replay("\n".join(lines))
    assert info.value.line == 5
    offset: Optional[int] = info.value.byte_offset
    assert offset == sum(len(line) + 1 for line in lines[:4])
    # A gap in the sequence numbers.
    with pytest.raises(paycore.JournalError) as gap:
        Ledger.replay("\n".join(lines[:2] + lines[3:4]))
    assert gap.value.line == 3 and gap.value.byte_offset is None


def test_two_phase_transfer_expires_on_the_callers_clock() -> None:
    ledger = new_ledger()
    Poster(ledger)(Event(EventKind.SUSPENSE_IN, 1, gross=5_000))
    Poster(ledger)(Event(EventKind.SUSPENSE_TO_MERCHANT, 2, gross=5_000))
    wd = chart_account_id(K.MERCHANT_WITHDRAWABLE, MERCHANT, CNY)
    bank = chart_account_id(K.SETTLEMENT_BANK, 0, CNY)
    hold = Transfer(77, wd, bank, 1_500, CNY, 99, flags=2, timeout=1)  # pending, 1 s
    assert ledger.create_transfers([hold], 10_000) == [CreateTransferResult.CREATED]
    assert ledger.balances(wd).available == 3_500
    assert ledger.expire_pending(10_000 + 500_000_000) == 0
    assert ledger.expire_pending(10_000 + 1_000_000_000) == 1
    assert ledger.clock >= 10_000 + 1_000_000_000
    assert ledger.balances(wd).available == 5_000
    post = Transfer(78, 0, 0, 1_500, 0, 0, flags=4, pending_id=77)  # post after expiry
    assert ledger.create_transfers([post], ledger.clock + 1) == [CreateTransferResult.PENDING_TRANSFER_EXPIRED]
    stored = ledger.transfer(77)
    assert stored is not None and stored.amount == 1_500 and stored.timeout == 1
