"""Cross-check with a peer codec: ISO 8583:1987 ASCII messages built and decoded by pyiso8583
(`import iso8583`, spec `iso8583.specs.default_ascii`) and decoded by paycore (`iso87ascii`);
every field must agree.

Differences accounted for explicitly (per the codec's documentation):
- `b` fields (52, 64, 96, 128 in ISO 87): pyiso8583's ASCII spec carries them as
  the hex text on the wire; paycore's logical value is the raw bytes and its text form
  (`msg[n]`) is upper-case hex, so paycore's text equals pyiso8583's value upper-cased, and
  `get_bytes` equals `bytes.fromhex(...)`.
- numeric amount fields with a C/D sign (x+n: 28–31, 97): both keep the sign as text
  ("C00000100"); paycore's value is the sign followed by the digits, compared as is.
- the bitmaps (`p`, `1` in pyiso8583) are not fields in paycore: the secondary bitmap is
  checked through the field set instead.
"""

from typing import Any

import pytest

iso8583: Any = pytest.importorskip("iso8583")
from iso8583.specs import default_ascii  # type: ignore[import-untyped]  # noqa: E402

from paycore import Iso8583Spec  # noqa: E402

B_FIELDS = {52, 64, 96, 128}
XN_FIELDS = {28, 29, 30, 31, 97}

MESSAGES: list[dict[str, str]] = [
    # Purchase with PAN (LL), track 2 (LL with '='), PIN block (b), terminal data.
    {
        "t": "0200",
        "2": "4761739001010010",
        "3": "000000",
        "4": "000000010000",
        "7": "1125103000",
        "11": "000123",
        "12": "103000",
        "13": "1125",
        "14": "2512",
        "22": "051",
        "25": "00",
        "35": "4761739001010010=25122011143857589",
        "37": "123456789012",
        "41": "TERM0001",
        "42": "MERCHANT0000001",
        "43": "PAYCORE TEST SHOP        SHANGHAI     CN",
        "49": "156",
        "52": "0123456789ABCDEF",
    },
    # Response with a fee amount carrying its C/D sign (x+n) and LLL private data.
    {
        "t": "0210",
        "2": "6228480402564890018",
        "3": "000000",
        "4": "000000000100",
        "11": "000124",
        "28": "C00000150",
        "30": "D00000020",
        "38": "AB12CD",
        "39": "00",
        "41": "TERM0001",
        "48": "private data: LLL field with spaces & symbols #1",
        "54": "1002156C000000012345",
        "62": "more LLL",
        "64": "1A2B3C4D5E6F7081",
    },
    # Secondary bitmap: fields above 64, LL/LLL fields there too, MAC in 128.
    {
        "t": "0400",
        "2": "5413330089020011",
        "3": "200000",
        "4": "000000005000",
        "11": "000125",
        "32": "12345678901",
        "90": "020000012311251030000000123456700000000000",
        "95": "000000005000000000000000C00000000C00000000",
        "97": "C0000000000005000",
        "100": "1234567",
        "102": "ACCOUNT-1",
        "120": "a longer LLL field in the secondary bitmap range",
        "128": "FFEEDDCCBBAA9988",
    },
    # Network management: few fields, one of them only above 64.
    {"t": "0800", "7": "1125103000", "11": "000001", "70": "301"},
]


@pytest.mark.parametrize("doc", MESSAGES, ids=[m["t"] for m in MESSAGES])
def test_same_bytes_same_fields(doc):
    raw, _ = iso8583.encode(dict(doc), default_ascii)
    data = bytes(raw)
    peer, _ = iso8583.decode(data, default_ascii)
    msg = Iso8583Spec.builtin("iso87ascii").decode(data)

    assert msg.mti == peer["t"] == doc["t"]
    peer_fields = sorted(int(k) for k in peer if k.isdigit() and k != "1")
    assert msg.fields() == peer_fields
    assert ("1" in peer) == any(n > 64 for n in msg.fields())

    for n in peer_fields:
        theirs = peer[str(n)]
        if n in B_FIELDS:
            assert msg[n] == theirs.upper(), n
            assert msg.get_bytes(n) == bytes.fromhex(theirs), n
        elif n in XN_FIELDS:
            assert theirs[0] in "CD" and msg[n] == theirs, n
        else:
            assert msg[n] == theirs, n
    # And paycore encodes the same bytes back.
    assert msg.encode() == data


def test_peer_and_paycore_reject_the_same_truncation():
    raw, _ = iso8583.encode(dict(MESSAGES[0]), default_ascii)
    cut = bytes(raw)[:-5]
    with pytest.raises(iso8583.DecodeError):
        iso8583.decode(cut, default_ascii)
    import paycore

    with pytest.raises(paycore.Iso8583TruncatedError) as e:
        Iso8583Spec.builtin("iso87ascii").decode(cut)
    assert e.value.field == 52
