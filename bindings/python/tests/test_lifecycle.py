"""The transaction lifecycle from Python: a TerminalSession wired in memory to an
AcquirerProcessor (the network answered by the test); frame MTIs checked by decoding with the
ISO 8583 bindings; typed errors; no key or full PAN in any repr."""

import datetime
from typing import Optional

import pytest

import paycore
from paycore import (
    AcquirerProcessor,
    CardBrand,
    CardInput,
    CardProfileType,
    DeclineReason,
    DomainEvent,
    DomainEventKind,
    EntryMode,
    Iso8583Spec,
    OriginalRef,
    TerminalEvent,
    TerminalEventKind,
    TerminalSession,
    TransactionKind,
    UnknownOutcome,
)

TID = "12345678"
MID = "898100012340001"
PAN = "6228480402564890018"
PAN_MASKED = "622848*********0018"
TMK = bytes([0x11] * 16)
PIK = bytes([7] * 16)
MAK = bytes([9] * 8)
UTC = datetime.timezone.utc
# 10:00 Beijing on 2 March 2026 (settlement day 2 March).
T0 = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
SPEC = Iso8583Spec.builtin("cup-pos")


def mti(frame: bytes) -> str:
    return SPEC.decode(frame).mti


class World:
    def __init__(self) -> None:
        self.proc = AcquirerProcessor()
        self.proc.register_terminal(TID, MID, TMK)
        self.proc.provide_working_keys(TID, PIK, MAK)
        self.term = TerminalSession(TID, MID, TMK)
        self.now = T0
        self.drop_responses = 0
        self.t_events: list[TerminalEvent] = []
        self.p_events: list[DomainEvent] = []
        self.term_mtis: list[str] = []
        self.host_mtis: list[str] = []
        self.network_reversals = 0

    def pump(self) -> None:
        for _ in range(50):
            moved = False
            while (f := self.term.poll_transmit()) is not None:
                moved = True
                self.term_mtis.append(mti(f))
                self.proc.handle_terminal(self.now, f)
            while (r := self.proc.poll_network_request()) is not None:
                moved = True
                if r.reverses is not None:
                    self.network_reversals += 1
                    self.proc.handle_network_reversal_ack(self.now, r.id)
                else:
                    assert r.pan == PAN
                    assert PAN not in repr(r)
                    self.proc.handle_network_approval(
                        self.now, r.id, f"A{r.id:05d}", CardBrand.UNION_PAY, CardProfileType.DEBIT
                    )
            while (t := self.proc.poll_terminal_transmit()) is not None:
                moved = True
                tid, frame = t
                assert tid == TID
                self.host_mtis.append(mti(frame))
                if self.drop_responses > 0:
                    self.drop_responses -= 1
                    continue
                self.term.handle_response(self.now, frame)
            while (e := self.term.poll_event()) is not None:
                self.t_events.append(e)
            while (d := self.proc.poll_event()) is not None:
                self.p_events.append(d)
            if not moved:
                return

    def sign_on(self) -> None:
        assert self.term.batch is None
        self.term.sign_on(self.now)
        self.pump()
        assert self.term_mtis[0] == "0800"
        assert self.host_mtis[0] == "0810"
        e = self.t_events[-1]
        assert e.kind == TerminalEventKind.SIGNED_ON and e.batch == 1
        assert self.term.is_signed_on and self.term.is_ready
        assert self.term.batch == 1

    def run(
        self, kind: TransactionKind, amount: int, original: Optional[OriginalRef] = None
    ) -> tuple[int, int]:
        txn = self.term.begin(self.now, kind, amount, card(), original)
        self.pump()
        return txn


TRACK2 = PAN + "=29122011234567"


def card() -> CardInput:
    return CardInput(PAN, EntryMode.CHIP, card_sequence=1, track2=TRACK2)


def test_sale_void_and_balanced_settlement() -> None:
    w = World()
    w.sign_on()
    assert w.term.begin(w.now, TransactionKind.SALE, 12_345, card()) == (1, 2)
    assert w.term.poll_timeout() == T0 + datetime.timedelta(seconds=60)
    w.pump()
    assert (w.term_mtis[-1], w.host_mtis[-1]) == ("0200", "0210")
    e = w.t_events[-1]
    assert e.kind == TerminalEventKind.APPROVED
    assert (e.batch, e.stan, e.txn_kind) == (1, 2, TransactionKind.SALE)
    assert (e.amount_minor, e.currency) == (12_345, 156)
    assert (e.auth_code, e.rrn, e.brand) == ("A00001", "000000000001", CardBrand.UNION_PAY)
    assert e.code is None and e.balance is None
    d = w.p_events[-1]
    assert d.kind == DomainEventKind.CAPTURED
    assert (d.terminal_id, d.batch, d.stan, d.amount_minor) == (TID, 1, 2, 12_345)
    assert d.pan_masked == PAN_MASKED
    assert d.settlement_date == datetime.date(2026, 3, 2)
    assert d.at == T0 and d.at.tzinfo is not None
    assert PAN not in repr(d)

    [j] = w.term.journal
    assert (j.pan_masked, j.rrn, j.auth_code, j.date_mmdd) == (PAN_MASKED, "000000000001", "A00001", 302)
    w.run(TransactionKind.VOID, 12_345, j.original_ref())
    v = w.t_events[-1]
    assert (v.kind, v.txn_kind, v.stan, v.amount_minor) == (
        TerminalEventKind.APPROVED,
        TransactionKind.VOID,
        3,
        12_345,
    )
    assert w.p_events[-1].kind == DomainEventKind.VOIDED
    assert w.p_events[-1].original == (TID, 1, 2)
    totals = w.term.totals
    assert (totals.domestic.debit_amount, totals.domestic.debit_count) == (12_345, 1)
    assert (totals.domestic.credit_amount, totals.domestic.credit_count) == (12_345, 1)
    assert w.proc.batch_totals(TID, 1) == totals

    w.term.settle(w.now)
    w.pump()
    assert (w.term_mtis[-1], w.host_mtis[-1]) == ("0500", "0510")
    s = w.t_events[-1]
    assert (s.kind, s.batch, s.uploaded) == (TerminalEventKind.BATCH_SETTLED, 1, False)
    assert s.totals == totals
    p = w.p_events[-1]
    assert p.kind == DomainEventKind.BATCH_SETTLED and p.host_totals == totals
    assert w.term.batch == 2 and w.term.journal == []


def test_timeout_reversal_retried_until_acknowledged() -> None:
    w = World()
    w.sign_on()
    w.drop_responses = 1
    w.run(TransactionKind.SALE, 7_700)
    assert w.p_events[-1].kind == DomainEventKind.CAPTURED
    with pytest.raises(paycore.IllegalStateError):
        w.term.begin(w.now, TransactionKind.SALE, 1, card())
    deadline = w.term.poll_timeout()
    assert deadline == T0 + datetime.timedelta(seconds=60)
    assert deadline is not None
    w.now = deadline
    w.drop_responses = 1  # the first 0410 is lost too
    w.term.handle_timeout(w.now)
    assert w.term.is_reversing
    w.pump()
    assert (w.term_mtis[-1], w.host_mtis[-1]) == ("0400", "0410")
    unknown = [e for e in w.t_events if e.kind == TerminalEventKind.OUTCOME_UNKNOWN]
    assert len(unknown) == 1
    assert (unknown[0].reason, unknown[0].reversing, unknown[0].stan) == (UnknownOutcome.TIMEOUT, True, 2)
    with pytest.raises(paycore.IllegalStateError):
        w.term.settle(w.now)
    for _ in range(10):
        if not w.term.is_reversing:
            break
        at = w.term.poll_timeout()
        assert at is not None
        w.now = at
        w.term.handle_timeout(w.now)
        w.pump()
    assert w.term_mtis.count("0400") >= 2
    last = w.t_events[-1]
    assert (last.kind, last.stan, last.txn_kind) == (TerminalEventKind.REVERSED, 2, TransactionKind.SALE)
    assert [d.kind for d in w.p_events].count(DomainEventKind.REVERSED) == 1
    assert w.network_reversals == 1
    assert w.term.totals.domestic.debit_count == 0
    assert w.proc.batch_totals(TID, 1).domestic.debit_amount == 0


def test_save_restore_resumes_pending_reversal() -> None:
    w = World()
    w.sign_on()
    w.drop_responses = 1
    w.run(TransactionKind.SALE, 4_200)
    saved = w.term.to_json()
    w.term = TerminalSession.from_json(saved)
    assert w.term.is_busy and w.term.is_signed_on
    assert w.term.poll_timeout() == T0 + datetime.timedelta(seconds=60)
    w.now = T0 + datetime.timedelta(seconds=61)
    w.term.handle_timeout(w.now)
    w.pump()
    assert w.term_mtis[-1] == "0400"
    assert w.t_events[-1].kind == TerminalEventKind.REVERSED
    assert w.p_events[-1].kind == DomainEventKind.REVERSED
    assert w.p_events[-1].amount_minor == 4_200


def test_refund_larger_than_original_declined_61() -> None:
    w = World()
    w.sign_on()
    w.run(TransactionKind.SALE, 10_000)
    original = w.term.journal[-1].original_ref()
    w.now += datetime.timedelta(days=1)  # refunds start on the next settlement day
    w.run(TransactionKind.REFUND, 15_000, original)
    assert (w.term_mtis[-1], w.host_mtis[-1]) == ("0220", "0230")
    e = w.t_events[-1]
    assert (e.kind, e.txn_kind, e.code, e.meaning) == (
        TerminalEventKind.DECLINED,
        TransactionKind.REFUND,
        "61",
        "exceeds amount limit",
    )
    d = w.p_events[-1]
    assert (d.kind, d.reason, d.code) == (DomainEventKind.DECLINED, DeclineReason.AMOUNT_EXCEEDED, "61")


def test_other_time_zones_are_the_same_instant() -> None:
    w = World()
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    w.now = T0.astimezone(beijing)
    w.term.sign_on(w.now)
    at = w.term.poll_timeout()
    assert at == T0 + datetime.timedelta(seconds=60)
    assert at is not None and at.utcoffset() == datetime.timedelta(0)


def test_bad_inputs_are_typed_errors() -> None:
    w = World()
    with pytest.raises(paycore.NaiveDatetimeError):
        w.term.sign_on(datetime.datetime(2026, 3, 2, 10, 0))
    with pytest.raises(TypeError):
        w.term.sign_on("2026-03-02T02:00:00Z")  # type: ignore[arg-type]
    with pytest.raises(paycore.IllegalStateError):
        w.term.begin(w.now, TransactionKind.SALE, 100, card())
    w.sign_on()
    with pytest.raises(paycore.MalformedMessageError, match="byte"):
        w.term.handle_response(w.now, b"\x08\x10\xff")
    assert w.term.is_ready
    with pytest.raises(paycore.KeyLengthError, match="TMK must be 16 bytes, got 8"):
        TerminalSession(TID, MID, TMK[:8])
    with pytest.raises(paycore.KeyLengthError):
        w.proc.provide_working_keys(TID, PIK, MAK[:7])
    with pytest.raises(paycore.LifecycleInputError):
        TerminalSession("1234", MID, TMK)
    with pytest.raises(paycore.InvalidPanError):
        CardInput("12ab", EntryMode.CHIP)
    with pytest.raises(paycore.LifecycleInputError):
        CardInput(PAN, EntryMode.CHIP, pin_block=b"\x01\x02")
    with pytest.raises(paycore.LifecycleInputError):
        w.term.begin(w.now, TransactionKind.VOID, 100, card())  # no original
    with pytest.raises(paycore.LifecycleInputError):
        w.term.begin(w.now, TransactionKind.SALE, -1, card())
    with pytest.raises(TypeError):
        w.term.begin(w.now, TransactionKind.SALE, 1.5, card())  # type: ignore[arg-type]
    with pytest.raises(paycore.SessionStateError):
        TerminalSession.from_json('{"config": 1}')
    with pytest.raises(paycore.UnknownReferenceError):
        w.proc.handle_network_decline(w.now, 777, "05")
    with pytest.raises(paycore.UnknownReferenceError):
        w.proc.provide_working_keys("87654321", PIK, MAK)
    assert issubclass(paycore.NaiveDatetimeError, paycore.LifecycleError)
    assert issubclass(paycore.LifecycleError, paycore.PaycoreError)


def test_no_secrets_in_reprs() -> None:
    w = World()
    w.sign_on()
    c = CardInput(PAN, EntryMode.CHIP, pin_block=bytes(range(8)))
    assert PAN not in repr(c) and PAN_MASKED in repr(c)
    assert "0001020304050607" not in repr(c)
    assert c.pan_masked == PAN_MASKED
    for obj in (w.term, w.proc):
        text = repr(obj)
        assert "1111" not in text and "0909" not in text
    assert "TMK" not in repr(w.term)


def test_options() -> None:
    t = TerminalSession(TID, MID, TMK, response_timeout_ms=15_000, reversal_backoff_ms=[0, 1_000])
    t.sign_on(T0)
    assert t.poll_timeout() == T0 + datetime.timedelta(seconds=15)
    with pytest.raises(paycore.LifecycleInputError):
        TerminalSession(TID, MID, TMK, cutoff_seconds_of_day=90_000)
    with pytest.raises(paycore.LifecycleInputError):
        AcquirerProcessor(cutoff_utc_offset_seconds=20 * 3600)


def test_echo_local_failure_and_sign_off() -> None:
    w = World()
    w.sign_on()
    w.term.echo(w.now)
    w.pump()
    assert (w.term_mtis[-1], w.host_mtis[-1]) == ("0820", "0830")
    assert (w.t_events[-1].kind, w.t_events[-1].ok) == (TerminalEventKind.ECHO_ANSWERED, True)
    # The card refuses the second GENERATE AC after the approval: the sale is reversed (06).
    w.run(TransactionKind.SALE, 300)
    w.term.handle_local_failure(w.now)
    w.pump()
    assert (w.term_mtis[-1], w.host_mtis[-1]) == ("0400", "0410")
    last = w.t_events[-1]
    assert (last.kind, last.stan, last.txn_kind) == (TerminalEventKind.REVERSED, 3, TransactionKind.SALE)  # STAN 2 was the echo
    assert w.p_events[-1].kind == DomainEventKind.REVERSED
    assert w.term.journal[0].reversed
    assert w.term.totals.domestic.debit_amount == 0
    with pytest.raises(paycore.IllegalStateError):
        w.term.handle_local_failure(w.now)
    w.term.sign_off(w.now)
    w.pump()
    assert w.t_events[-1].kind == TerminalEventKind.SIGNED_OFF
    assert not w.term.is_signed_on


def test_processor_save_restore_resumes_network_wait() -> None:
    w = World()
    w.sign_on()
    w.term.begin(w.now, TransactionKind.SALE, 5_500, card())
    frame = w.term.poll_transmit()
    assert frame is not None
    w.proc.handle_terminal(w.now, frame)
    r = w.proc.poll_network_request()
    assert r is not None and r.amount_minor == 5_500 and r.reverses is None
    restored = AcquirerProcessor.from_json(w.proc.to_json())
    assert restored.poll_timeout() == T0 + datetime.timedelta(seconds=30)
    restored.handle_network_approval(
        w.now, r.id, "R00001", CardBrand.UNION_PAY, CardProfileType.CREDIT, datetime.date(2026, 3, 3)
    )
    out = restored.poll_terminal_transmit()
    assert out is not None
    w.term.handle_response(w.now, out[1])
    e = w.term.poll_event()
    assert e is not None and (e.kind, e.auth_code) == (TerminalEventKind.APPROVED, "R00001")
    d = restored.poll_event()
    assert d is not None and d.kind == DomainEventKind.CAPTURED
    assert (d.settlement_date, d.card_type) == (datetime.date(2026, 3, 3), CardProfileType.CREDIT)
    with pytest.raises(paycore.SessionStateError):
        AcquirerProcessor.from_json("[]")


def test_track2_goes_out_as_f35_and_f14() -> None:
    w = World()
    w.sign_on()
    w.term.begin(w.now, TransactionKind.SALE, 500, card())
    frame = w.term.poll_transmit()
    assert frame is not None
    m = SPEC.decode(frame)
    assert m.get(35) == TRACK2 and m.get(14) == "2912"
    assert TRACK2 not in repr(card())
    with pytest.raises(paycore.Track2Error):
        CardInput(PAN, EntryMode.MAGSTRIPE, track2=PAN + "=29")
    with pytest.raises(paycore.LifecycleInputError):
        other = CardInput(PAN, EntryMode.MAGSTRIPE, track2="4761739001010010=29122010000")
        w2 = World()
        w2.sign_on()
        w2.term.begin(w2.now, TransactionKind.SALE, 1, other)
