"""Fees, calendars and settlement from Python, with the worked values of the core's tests
(core/tests/fees.rs, settlement_dates.rs, settlement_run.rs) on examples/data/."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

import paycore
from paycore import (
    Calendar,
    CardType,
    Channel,
    FeeSchedule,
    MerchantType,
    Money,
    settlement_dates,
)

DATA = Path(__file__).resolve().parents[3] / "examples" / "data"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def cny(text: str) -> Money:
    return Money(text, "CNY")


@pytest.fixture(scope="module")
def schedule() -> FeeSchedule:
    return FeeSchedule.from_json((DATA / "fee-schedule.json").read_text())


@pytest.fixture(scope="module")
def china() -> Calendar:
    return Calendar.china()


def test_debit_quote_caps_mdr_and_issuer_fee(schedule):
    assert schedule.currency.alpha == "CNY"
    assert schedule.name == "POS standard 2026"
    assert schedule.agents == ["branch-sh", "agent-pudong", "agent-lujiazui"]
    q = schedule.quote(Decimal("10000.00"), CardType.DEBIT, Channel.CHIP)
    assert q.amount == cny("10000.00")
    assert q.merchant_fee == cny("20.00")  # 0.6 % capped at 20.00
    assert q.merchant_rule == "debit-card"
    assert q.issuer_fee == cny("13.00")  # 0.35 % = 35.00, capped at 13.00
    assert q.network_fee == cny("3.25")
    assert q.brand_fee == cny("0")
    assert q.cost_total == cny("16.25")
    assert q.margin == cny("3.75")
    assert [(a.agent, a.level, a.cost.minor, a.profit.minor) for a in q.agents] == [
        ("agent-lujiazui", 1, 1800, 160),
        ("agent-pudong", 2, 1700, 140),
        ("branch-sh", 3, 1650, 50),
    ]
    assert q.acquirer_share == cny("0.25")
    agents_total = sum(a.profit.minor for a in q.agents)
    assert agents_total <= q.margin.minor
    assert q.cost_total.minor + agents_total + q.acquirer_share.minor == q.merchant_fee.minor
    report = json.loads(q.report_json)
    assert report["costs"] == {"issuer": "13.00", "network": "3.25", "brand": "0.00", "total": "16.25"}
    assert report["agents"][0]["profit"] == "1.60"


def test_quote_accepts_names_money_and_agents(schedule):
    q = schedule.quote(cny("10000.00"), "credit", "chip", "standard")
    assert q.merchant_fee == cny("60.00") and q.issuer_fee == cny("45.00")
    assert sum(a.profit.minor for a in q.agents) <= q.margin.minor
    small = schedule.quote("100.00", CardType.DEBIT, Channel.CHIP)
    assert (small.issuer_fee.minor, small.network_fee.minor) == (35, 3)
    quickpass = schedule.quote(Decimal("88.50"), "debit", Channel.CONTACTLESS)
    assert quickpass.merchant_fee == cny("0.34")  # 0.3363 half up
    pudong = schedule.quote(10000, "debit", "chip", agent="agent-pudong")
    assert [a.agent for a in pudong.agents] == ["agent-pudong", "branch-sh"]
    waived = schedule.quote(10000, "debit", "chip", MerchantType.WAIVED)
    assert waived.merchant_fee == cny("0") and waived.issuer_fee == cny("0")
    assert str(CardType.QUASI_CREDIT) == "quasi_credit"


def test_pro_rata_refund_fees_add_back_to_the_whole_fee(schedule):
    parts = [
        schedule.refund_fee(cny("100.00"), cny("0.60"), cny("33.33")),
        schedule.refund_fee(cny("100.00"), cny("0.60"), cny("33.33"), refunded_before=cny("33.33")),
        schedule.refund_fee(cny("100.00"), cny("0.60"), cny("33.34"), refunded_before=cny("66.66")),
    ]
    assert [p.returned.minor for p in parts] == [20, 20, 20]
    assert sum(p.returned.minor for p in parts) == 60
    assert parts[-1].kept == cny("0")
    half = schedule.refund_fee(Decimal("250.00"), Decimal("1.50"), Decimal("50.00"))
    assert (half.returned, half.kept) == (cny("0.30"), cny("1.20"))
    with pytest.raises(paycore.RefundExceedsOriginalError):
        schedule.refund_fee(cny("100.00"), cny("0.60"), cny("10.01"), refunded_before=cny("90.00"))


def test_d0_pricing_and_limits(schedule):
    at = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=BEIJING)
    q = schedule.d0_quote(cny("10000.00"), at, requested=cny("5000.00"))
    assert (q.rate_fee, q.fixed_fee, q.fee) == (cny("2.50"), cny("3.00"), cny("5.50"))
    assert q.net_paid == cny("4994.50") and q.remaining_balance == cny("5000.00")
    assert schedule.d0_quote(cny("10000.00"), at).advanced == cny("9000.00")
    # 23:30 UTC is 07:30 Beijing: inside the window.
    assert schedule.d0_quote(cny("10000.00"), "2026-03-09T23:30:00Z", requested=cny("5000.00"))
    with pytest.raises(paycore.D0RefusedError, match="window"):
        schedule.d0_quote(cny("10000.00"), "2026-03-10T22:30:00+08:00", requested=cny("5000.00"))
    with pytest.raises(paycore.D0RefusedError, match="minimum"):
        schedule.d0_quote(cny("10000.00"), at, requested=cny("50.00"))
    with pytest.raises(paycore.SettlementTimeError):
        schedule.d0_quote(cny("10000.00"), datetime.datetime(2026, 3, 10, 10, 0))


def test_china_calendar_spring_festival_and_national_day(china):
    assert china.version == paycore.CHINA_CALENDAR_VERSION
    assert china.covered_years[0] == 2007 and 2026 in china.covered_years
    assert china.covers(2026) and not china.covers(2027)
    d = datetime.date
    assert china.is_working_day(d(2026, 2, 14))  # make-up Saturday
    assert not any(china.is_working_day(d(2026, 2, day)) for day in range(15, 24))
    assert china.add_working_days(d(2026, 2, 14), 1) == d(2026, 2, 24)
    assert china.working_day_on_or_after(d(2026, 2, 15)) == d(2026, 2, 24)
    assert china.working_days_between(d(2026, 2, 13), d(2026, 2, 25)) == 3
    assert china.is_working_day(d(2026, 9, 20))  # make-up Sunday before National Day
    assert china.add_working_days(d(2026, 9, 30), 1) == d(2026, 10, 8)
    assert china.is_provisional(d(2026, 12, 31)) and not china.is_provisional(d(2025, 12, 31))


def test_uncovered_year_fails_closed_unless_opted_in(china):
    with pytest.raises(paycore.YearNotCoveredError, match="2027"):
        china.is_working_day(datetime.date(2027, 3, 1))
    with pytest.raises(paycore.CalendarError):
        china.add_working_days(datetime.date(2026, 12, 30), 5)
    fallback = Calendar.china(weekday_fallback=True)
    assert fallback.is_working_day(datetime.date(2027, 3, 1))
    assert not fallback.is_working_day(datetime.date(2027, 3, 6))
    strict = Calendar.china(refuse_provisional=True)
    with pytest.raises(paycore.ProvisionalDateError):
        strict.is_working_day(datetime.date(2026, 12, 31))
    assert Calendar.weekdays_only("HK").is_working_day(datetime.date(2031, 1, 1))


def test_calendar_overrides(china):
    acq = china.with_overrides(
        {datetime.date(2026, 2, 16): "working", datetime.date(2026, 3, 2): "closed"}, "acq1"
    )
    assert acq.is_working_day(datetime.date(2026, 2, 16))
    assert not acq.is_working_day(datetime.date(2026, 3, 2))
    assert acq.version == paycore.CHINA_CALENDAR_VERSION + "+acq1"
    assert china.is_working_day(datetime.date(2026, 3, 2))  # the original is unchanged
    with pytest.raises(paycore.CalendarError):
        china.with_overrides({datetime.date(2026, 3, 2): "holiday"}, "x")


def test_settlement_dates_cutoff_and_holidays(china):
    late = settlement_dates(datetime.datetime(2026, 2, 13, 23, 30, tzinfo=BEIJING), "T1", china)
    assert late.local_date == datetime.date(2026, 2, 13)
    assert late.network_day == datetime.date(2026, 2, 14)
    assert late.payout_day == datetime.date(2026, 2, 24)
    assert late.cycle == "T1" and not late.provisional
    assert late.calendar_version == china.version
    early = settlement_dates("2026-02-13T10:00:00+08:00", "T+1", china)
    assert early.payout_day == datetime.date(2026, 2, 14)
    utc = datetime.datetime(2026, 3, 10, 15, 30, tzinfo=datetime.timezone.utc)
    assert settlement_dates(utc, "T0", china).network_day == datetime.date(2026, 3, 11)
    midnight = settlement_dates("2026-03-10T23:30:00+08:00", "T0", china, cutoff=datetime.time(0, 0))
    assert midnight.network_day == datetime.date(2026, 3, 10)
    assert settlement_dates("2026-09-30T12:00:00+08:00", "T1", china).payout_day == datetime.date(2026, 10, 8)
    assert settlement_dates("2026-02-15T10:00:00+08:00", "D1", china).payout_day == datetime.date(2026, 2, 16)
    with pytest.raises(paycore.SettlementTimeError, match="no UTC offset"):
        settlement_dates(datetime.datetime(2026, 2, 13, 23, 30), "T1", china)
    with pytest.raises(paycore.SettlementCycleError):
        settlement_dates("2026-02-13T10:00:00+08:00", "X1", china)
    with pytest.raises(paycore.YearNotCoveredError):
        settlement_dates("2027-05-06T10:00:00+08:00", "T1", china)


def test_settlement_run_example_file(schedule, china):
    run = schedule.settle((DATA / "transactions.csv").read_text(), china)
    assert [b.batch_id for b in run.batches] == [
        "898310048161234.CNY.20260213",
        "898310048161234.CNY.20260224",
        "898310048165678.CNY.20260214",
        "898310048169999.CNY.20260214",
    ]
    b = run.batches[0]
    assert b.payout_day == datetime.date(2026, 2, 13)
    assert b.totals.captured.minor == 1_000_000 + 25_000 + 8_850
    assert b.totals.fees.minor == 2_000 + 150 + 34
    assert b.totals.refunded_fees.minor == 30 + 60
    assert b.totals.reserve_withheld.minor == 1_033_850 * 5 // 100
    assert b.totals.periodic_fees == cny("15.00")
    assert sum(line.amount.minor for line in b.lines) == b.net.minor
    assert any(line.kind == "refunded_fee" and line.reference == "T0005" for line in b.lines)
    small = run.batches[3]
    assert small.payout == cny("0") and small.carried_forward == small.net
    assert json.loads(run.json)["batches"][0]["batch_id"] == b.batch_id
    nxt = schedule.settle(
        "id,merchant_id,kind,amount,currency,time,card,channel\n"
        "N1,898310048169999,sale,100.00,CNY,2026-02-24T10:00:00+08:00,debit,chip\n",
        china,
        state=run.state_json,
    )
    assert nxt.batches[0].totals.carried_in == small.net


def test_settlement_run_is_lazy_but_complete(schedule, china):
    run = schedule.settle((DATA / "transactions.csv").read_text(), china)
    core = json.loads(run.json)
    batches = run.batches
    # The same batch objects on every read; a new list each time.
    assert batches[0] is run.batches[0] and batches is not run.batches
    assert run.line_count == sum(len(b["lines"]) for b in core["batches"])
    assert "SettlementRun(batches=4, lines=" in repr(run)
    for batch, expected in zip(batches, core["batches"]):
        assert batch.line_count == len(batch.lines) == len(expected["lines"])
        assert [(line.kind, line.reference, line.amount.minor) for line in batch.lines] == [
            (line["kind"], line["reference"], line["amount_minor"]) for line in expected["lines"]
        ]
        assert (batch.batch_id, batch.digest, batch.merchant_id, batch.currency, batch.cycle) == (
            expected["batch_id"], expected["digest"], expected["merchant_id"], expected["currency"],
            expected["cycle"],
        )
        assert batch.payout_day.isoformat() == expected["payout_day"]
        assert batch.calendar_version == expected["calendar_version"] == china.version
        assert batch.totals.captured.minor == expected["totals"]["captured_minor"]
        assert (batch.net.minor, batch.payout.minor, batch.carried_forward.minor) == (
            expected["net_minor"], expected["payout_minor"], expected["carried_forward_minor"],
        )
    assert json.loads(run.state_json) == core["state"]
    # A batch keeps what it needs of the run alive.
    first = batches[0]
    del run, batches
    assert first.lines[0].reference and first.net.currency.alpha == "CNY"
    assert repr(first).startswith('SettlementBatch("898310048161234.CNY.20260213", payout_day=2026-02-13')


def test_settlement_runs_in_threads_agree(schedule, china):
    # The run releases the GIL while parsing and settling: concurrent calls must not interfere.
    import threading

    text = (DATA / "transactions.csv").read_text()
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(schedule.settle(text, china).json))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and len(set(results)) == 1


def test_settlement_run_errors(schedule, china):
    header = "id,merchant_id,kind,amount,currency,time,card,channel\n"
    with pytest.raises(paycore.SettlementCsvError) as err:
        schedule.settle(header + "A1,m1,sale,12.345,CNY,2026-02-12T10:00:00+08:00,debit,chip\n", china)
    assert (err.value.line, err.value.field) == (2, "amount")
    with pytest.raises(paycore.YearNotCoveredError, match="A1"):
        schedule.settle(header + "A1,m1,sale,12.00,CNY,2027-06-01T10:00:00+08:00,debit,chip\n", china)
    dup = header + "A1,m1,sale,1.00,CNY,2026-06-01T10:00:00+08:00,debit,chip\n" * 2
    with pytest.raises(paycore.SettlementRecordError):
        schedule.settle(dup, china)
    with pytest.raises(paycore.SettlementRecordError):
        schedule.settle(header, china, state="{oops")
    with pytest.raises(TypeError):
        schedule.settle(header.encode(), china)  # type: ignore[arg-type]


def test_schedule_documents_and_bad_input(schedule):
    toml = FeeSchedule.from_toml(
        'name = "toml"\ncurrency = "CNY"\n[[rules]]\nid = "all"\n'
        'fee = { shape = "percentage", rate = "0.006" }\ncap = "20.00"\n'
    )
    assert toml.quote("7.50", "debit", "swipe").merchant_fee == cny("0.05")  # 4.5 fen half up
    assert toml.quote("3332.49", "debit", "swipe").merchant_fee == cny("19.99")
    with pytest.raises(paycore.D0RefusedError, match="no d0"):
        toml.d0_quote("1000.00", "2026-03-10T10:00:00+08:00")
    bad = '{"currency": "CNY",\n "rules": [{"id": "a", "card_types": ["gold"],\n "fee": {"shape": "fixed", "amount": "1"}}]}'
    with pytest.raises(paycore.FeeScheduleError, match="gold") as err:
        FeeSchedule.from_json(bad)
    assert err.value.line == 2 and err.value.column > 0
    with pytest.raises(paycore.FeeScheduleError, match="r1"):
        FeeSchedule.from_json('{"currency": "CNY", "rules": [{"id": "r1", "fee": {"shape": "percentage", "rate": "1.5"}}]}')
    with pytest.raises(TypeError, match="float"):
        schedule.quote(100.0, "debit", "chip")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        schedule.refund_fee(100.0, cny("0.60"), cny("1.00"))  # type: ignore[arg-type]
    with pytest.raises(paycore.FeeValueError, match="gold"):
        schedule.quote("100.00", "gold", "chip")
    with pytest.raises(paycore.FeeValueError):
        schedule.quote("-1.00", "debit", "chip")
    with pytest.raises(paycore.CurrencyMismatchError):
        schedule.quote(Money("100.00", "USD"), "debit", "chip")
    with pytest.raises(paycore.AmountFormatError):
        schedule.quote("100.001", "debit", "chip")
    with pytest.raises(paycore.UnknownAgentError):
        schedule.quote("100.00", "debit", "chip", agent="nobody")
    assert issubclass(paycore.FeeScheduleError, paycore.PaycoreError)
    assert issubclass(paycore.YearNotCoveredError, paycore.PaycoreError)
