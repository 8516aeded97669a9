"""Money and card behaviour from Python: exact decimals, typed errors, masking."""

import datetime
from decimal import Decimal

import pytest

import paycore
from paycore import (
    Brand,
    Currency,
    MaskStyle,
    Money,
    Pan,
    Rounding,
    Track2,
)


def test_currency_lookup_by_either_code():
    cny = Currency("CNY")
    assert (cny.alpha, cny.numeric, cny.exponent) == ("CNY", 156, 2)
    assert Currency("392").alpha == "JPY" and Currency("392").exponent == 0
    assert Currency("kwd").exponent == 3
    assert Currency("CLF").exponent == 4
    assert Currency("156") == cny and hash(Currency("156")) == hash(cny)
    with pytest.raises(paycore.UnknownCurrencyError):
        Currency("ZZZ")


def test_exact_parse_and_decimal_round_trip():
    m = Money("23.72", "CNY")
    assert m.minor == 2372
    assert m.amount == Decimal("23.72") and isinstance(m.amount, Decimal)
    assert Money(Decimal("23.7200"), "CNY") == m
    assert Money(5, "JPY").minor == 5
    assert str(m) == "23.72 CNY"
    assert repr(m) == "Money('23.72', 'CNY')"
    assert Money.from_minor(-5, "CNY").amount == Decimal("-0.05")


@pytest.mark.parametrize("bad", ["", "1e3", "1.234", "12,00", " 1", "5.", "+1"])
def test_malformed_amounts_raise_typed_errors(bad):
    with pytest.raises(paycore.AmountFormatError):
        Money(bad, "CNY")


def test_error_messages_say_where():
    with pytest.raises(paycore.AmountFormatError, match="offset 2"):
        Money("12,00", "CNY")
    with pytest.raises(paycore.AmountFormatError, match="3 decimal places"):
        Money(Decimal("1.234"), "CNY")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Money(0.1, "CNY")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money("1.00", "CNY").mul_rate(0.006, Rounding.HALF_UP)  # type: ignore[arg-type]


def test_checked_arithmetic():
    a = Money("1.00", "CNY")
    assert (a + a).minor == 200 and (a - a).minor == 0 and (-a).minor == -100
    with pytest.raises(paycore.CurrencyMismatchError):
        a + Money("1.00", "USD")
    with pytest.raises(paycore.AmountOverflowError):
        Money.from_minor(2**63 - 1, "CNY") + Money.from_minor(1, "CNY")
    assert Money("1.00", "CNY") < Money("1.01", "CNY")
    assert Money("1.00", "CNY") != Money("1.00", "USD")
    with pytest.raises(paycore.CurrencyMismatchError):
        _ = Money("1.00", "CNY") < Money("1.00", "USD")
    # Every subclass is a PaycoreError.
    assert issubclass(paycore.CurrencyMismatchError, paycore.PaycoreError)


def test_rate_with_explicit_rounding():
    amount = Money("123.45", "CNY")
    assert amount.mul_rate(Decimal("0.006"), Rounding.HALF_UP).minor == 74
    assert amount.mul_rate("0.006", Rounding.UP).minor == 75
    one = Money("1.00", "CNY")
    assert one.mul_rate(Decimal("0.005"), Rounding.HALF_UP).minor == 1
    assert one.mul_rate(Decimal("0.005"), Rounding.HALF_EVEN).minor == 0
    assert paycore.rounding_from_name("half-even") == Rounding.HALF_EVEN


def test_allocation_sums_exactly():
    parts = Money("1.00", "CNY").allocate([1, 1, 1])
    assert [p.minor for p in parts] == [34, 33, 33]
    parts = Money("10.01", "CNY").allocate_ratios([Decimal("0.3"), Decimal("0.7")])
    assert [p.minor for p in parts] == [300, 701]
    for total in range(-50, 50):
        parts = Money.from_minor(total, "CNY").allocate([3, 5, 7, 0])
        assert sum(p.minor for p in parts) == total
        assert parts[3].minor == 0
    with pytest.raises(paycore.AllocationError):
        Money("1", "CNY").allocate([0, 0])


def test_pan_brand_and_masking():
    pan = Pan("6228480012345676789")
    assert pan.brand == Brand.UNION_PAY
    assert pan.masked() == "622848*********6789"
    assert pan.masked(MaskStyle.LAST4) == "***************6789"
    assert "6228480012345676789" not in repr(pan) + str(pan)
    assert paycore.luhn_valid("6230606601007726888")
    assert not paycore.luhn_valid("1234567890123458")
    assert paycore.detect_brand("2221000000000009") == Brand.MASTERCARD
    assert paycore.detect_brand("8171000000000000") == Brand.UNION_PAY
    assert paycore.detect_brand("9999") is None
    with pytest.raises(paycore.InvalidPanError, match="offset 11") as info:
        Pan("62284800123x5676789")
    assert "62284800" not in str(info.value)


def test_track2():
    t = Track2.parse("6228480012345676789D29122011234567F")
    assert t.expiry == (2029, 12)
    assert t.service_code == "201" and t.chip_present
    assert t.pan.digits == "6228480012345676789"
    assert t.to_field35() == "6228480012345676789=29122011234567"
    assert not t.is_expired(datetime.date(2029, 12, 31))
    assert t.is_expired(datetime.date(2030, 1, 1))
    assert "2912" not in repr(t)
    with pytest.raises(paycore.Track2Error, match="separator"):
        Track2.parse("6228480012345676789")
    assert paycore.parse_expiry("2912") == (2029, 12)
    with pytest.raises(paycore.ExpiryError):
        paycore.parse_expiry("2913")
