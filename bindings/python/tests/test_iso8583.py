"""ISO 8583 from Python: vectors from core/tests/iso8583.rs (CUP POS field rules), typed errors
with .field/.offset, masking, JSON, framing, MAC input."""

import pytest

import paycore
from paycore import Iso8583Message, Iso8583Spec

SALE_HEX = (
    "0200702406C020C09A1119622848040256489001800000000000000001000001232512071000010012"
    "376228480402564890018D25122201234500000031323334353637383132333435363738393031323334"
    "353135360123456789ABCDEF260000000000000000589F260811223344556677889F2701805A08622848"
    "0402564890950500000000009A032511259C01009F02060000000001005F2A02015682027C0000142200"
    "00240006003141324233433444"
)
SIGNON_HEX = (
    "08000020000000C00012000001313233343536373831323334353637383930313233343500110000000100"
    "300003303031"
)
PAN = "6228480402564890018"
SALE = bytes.fromhex(SALE_HEX)


@pytest.fixture
def cup() -> Iso8583Spec:
    return Iso8583Spec.builtin("cup-pos")


def test_builtins():
    assert sorted(Iso8583Spec.builtin_names()) == ["cup-pos", "iso87ascii", "iso87binary", "iso93ascii"]
    assert Iso8583Spec.builtin("iso87ascii").name == "iso87ascii"


def test_decode_cup_sale_field_by_field(cup):
    m = cup.decode(SALE)
    assert m.mti == "0200"
    assert m.fields() == [2, 3, 4, 11, 14, 22, 23, 25, 26, 35, 41, 42, 49, 52, 53, 55, 60, 64]
    assert list(m) == m.fields() and len(m) == 18
    assert m[2] == PAN and m.get(2) == PAN
    assert m[22] == "071"  # left-aligned BCD 0710 on the wire
    assert m[35] == PAN + "=25122201234500000"
    assert m[52] == "0123456789ABCDEF"
    assert m.get_bytes(52) == bytes.fromhex("0123456789ABCDEF")
    assert m.get_bytes(55) is not None and len(m.get_bytes(55) or b"") == 58
    assert 64 in m and 39 not in m
    assert m.get(39) is None and m.get(39, "-") == "-" and m.get_bytes(39) is None
    with pytest.raises(KeyError):
        m[39]
    assert m.subfields(60) == ["22", "000024", "000", "6", "0", "0"]
    assert m.subfields(2) is None
    assert m.encode() == SALE
    assert m.mac_input() == SALE[:-8]


def test_describe_masks_unless_asked_and_repr_hides_values(cup):
    m = cup.decode(SALE)
    d = m.describe()
    assert "622848*********0018" in d and PAN not in d
    assert "0123456789ABCDEF" not in d and "60.1" in d
    u = m.describe(masked=False)
    assert PAN in u and "0123456789ABCDEF" in u
    assert "622848" not in repr(m) and repr(m).startswith("Iso8583Message(mti='0200'")


def test_json_round_trip(cup):
    m = cup.decode(SALE)
    text = m.to_json()
    assert '"52": "0123456789ABCDEF"' in text and '"1":"22"' in text
    assert cup.message_from_json(text).encode() == SALE
    assert Iso8583Message.from_json(cup, text).encode() == SALE


def test_build_sign_on_byte_exact(cup):
    m = Iso8583Message(cup, "0800")
    m[11] = "000001"
    m[41] = "12345678"
    m[42] = "123456789012345"
    m.set_subfields(60, ["00", "000001", "003"])
    m[63] = b"001"
    assert m.encode().hex().upper() == SIGNON_HEX
    m[52] = "0123456789abcdef"
    assert m[52] == "0123456789ABCDEF"
    del m[52]
    assert 52 not in m
    with pytest.raises(KeyError):
        del m[52]
    m.mti = "0820"
    assert m.encode()[:2] == bytes.fromhex("0820")


def test_framing(cup):
    m = cup.new_message("0800")
    m[11] = "000001"
    frame = m.encode_framed(tpdu="6006010000", header="603100311812")
    body = m.encode()
    assert frame[:2] == (5 + 6 + len(body)).to_bytes(2, "big")
    assert frame[2:13] == bytes.fromhex("6006010000603100311812") and frame[13:] == body
    f = cup.decode_framed(frame)
    assert (f.tpdu, f.header) == ("6006010000", "603100311812")
    assert f.message.encode() == body
    with pytest.raises(paycore.Iso8583FrameError):
        m.encode_framed()
    bad = bytearray(frame)
    bad[1] += 1
    with pytest.raises(paycore.Iso8583FrameError):
        cup.decode_framed(bytes(bad))
    # Decode errors inside a frame count bytes from the start of the frame.
    with pytest.raises(paycore.Iso8583TruncatedError) as e:
        cup.decode_framed((len(frame) - 3).to_bytes(2, "big") + frame[2:-1])
    assert e.value.offset is not None and e.value.offset >= 13


def test_decode_errors_carry_field_and_offset(cup):
    with pytest.raises(paycore.Iso8583TruncatedError) as t:
        cup.decode(SALE[:26])
    assert (t.value.field, t.value.offset) == (4, 24)
    assert isinstance(t.value, paycore.Iso8583DecodeError)
    assert isinstance(t.value, paycore.PaycoreError)
    bad = bytearray(SALE)
    bad[22] = 0x0A
    with pytest.raises(paycore.Iso8583DecodeError, match="field 3 at byte 22: bad BCD nibble A") as e:
        cup.decode(bytes(bad))
    assert (e.value.field, e.value.offset) == (3, 22)
    assert "622848" not in str(e.value)
    with pytest.raises(paycore.Iso8583DecodeError, match="3 trailing bytes") as e:
        cup.decode(SALE + b"\0\0\0")
    assert (e.value.field, e.value.offset) == (64, len(SALE))
    with pytest.raises(paycore.Iso8583DecodeError) as e:
        Iso8583Spec.builtin("iso87ascii").decode(b"020020000000000000000012A4")
    assert (e.value.field, e.value.offset) == (3, 24)


def test_set_errors_are_immediate_and_leave_the_message_unchanged(cup):
    m = cup.new_message("0200")
    m[11] = "000001"
    with pytest.raises(paycore.Iso8583EncodeError, match="field 11") as e:
        m[11] = "12345"
    assert e.value.field == 11 and e.value.offset is None
    assert m[11] == "000001"
    with pytest.raises(paycore.Iso8583EncodeError):
        m[3] = "00000A"
    assert 3 not in m
    with pytest.raises(paycore.Iso8583EncodeError):
        m[52] = "not hex!"
    with pytest.raises(paycore.Iso8583EncodeError):
        m[99] = "1"
    with pytest.raises(paycore.Iso8583EncodeError) as e:
        m.mti = "02X0"
    assert e.value.field == 0
    with pytest.raises(TypeError):
        m[11] = 1  # type: ignore[assignment]


def test_spec_errors_and_json_spec():
    with pytest.raises(paycore.Iso8583SpecError, match="iso87ascii"):
        Iso8583Spec.builtin("cup-9999")
    with pytest.raises(paycore.Iso8583SpecError, match="line 1"):
        Iso8583Spec.from_json('{"name": 1')
    spec = Iso8583Spec.from_json(Iso8583Spec.builtin("iso93ascii").to_json())
    assert spec.name == "iso93ascii"
    m = spec.new_message("1200")
    m[3] = "000000"
    assert m.encode() == b"1200" + b"2000000000000000" + b"000000"
    with pytest.raises(paycore.Iso8583JsonError, match="field 3") as e:
        spec.message_from_json('{"mti": "1200", "fields": {"3": "12"}}')
    assert e.value.field == 3
