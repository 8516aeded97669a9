"""TLV, EMV and EMVCo QR bindings: known vectors from core/tests and bad-input errors."""

import json

import pytest

import paycore

EMVCO = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678"
    "520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京"
    "540523.7253031565502016233030412340603***0708A60086670902ME91320016A011223344"
    "9988770708123456786304A13A"
)


def test_crc16_check_value_and_emvco_example() -> None:
    assert paycore.crc16(b"123456789") == 0x29B1
    body = EMVCO[:-4]
    assert paycore.crc16(body.encode("utf-8")) == 0xA13A


def test_mpm_parse_build_round_trip() -> None:
    payload = json.loads(paycore.parse_mpm(EMVCO))
    text = json.dumps(payload)
    assert "BEST TRANSPORT" in text
    built = paycore.build_mpm(json.dumps(payload))
    # The builder writes IDs in canonical order; the content round-trips exactly.
    assert json.loads(paycore.parse_mpm(built)) == payload
    assert int(built[-4:], 16) == paycore.crc16(built[:-4].encode("utf-8"))


def test_mpm_crc_mismatch_names_expected_and_actual() -> None:
    with pytest.raises(paycore.QrError) as exc:
        paycore.parse_mpm(EMVCO.replace("6304A13A", "6304A13B"))
    assert "A13A" in str(exc.value)
    assert isinstance(exc.value, paycore.PaycoreError)
    assert isinstance(getattr(exc.value, "offset"), int)


def test_tlv_decode_encode_find() -> None:
    data = bytes.fromhex("6F0E8407A0000003330101A5035001FF")
    nodes = json.loads(paycore.tlv_decode(data[:2] + data[2:], mode="lenient"))
    assert nodes[0]["tag"] == "6F"
    assert nodes[0]["children"][0]["value"] == "A0000003330101"
    assert paycore.tlv_find(data, "6F/A5/50") == b"\xff"
    assert paycore.tlv_find(data, "6F/88") is None
    assert paycore.tlv_encode(json.dumps(nodes)) == data


def test_truncated_tlv_reports_offset_and_path() -> None:
    with pytest.raises(paycore.TlvError) as exc:
        paycore.tlv_decode(bytes.fromhex("9F0206000000"), mode="strict")
    assert "offset" in str(exc.value)
    assert isinstance(getattr(exc.value, "offset"), int)
    with pytest.raises(ValueError):
        paycore.tlv_decode(b"", mode="sloppy")


def test_redact_masks_pan() -> None:
    text = paycore.redact_tlv(bytes.fromhex("5A0862123456789012349F02060000000001009F"[:-2]))
    assert "6212345678901234" not in text


def test_tvr_explanation_and_flags() -> None:
    e = json.loads(paycore.explain("95", bytes.fromhex("0000080000")))
    assert len(e["items"]) == 1
    item = e["items"][0]
    assert item["flag"] == "pin_not_entered"
    assert item["text"] == "PIN entry required, PIN pad present, but PIN was not entered"
    assert paycore.encode_flags("95", ["pin_not_entered"]) == bytes.fromhex("0000080000")
    with pytest.raises(paycore.EmvError):
        paycore.explain("95", bytes.fromhex("00000800"))


def test_dol_build() -> None:
    values = {
        "9C": bytes.fromhex("09"),
        "9A": bytes.fromhex("240217"),
        "5F2A": bytes.fromhex("0978"),
        "9F02": bytes.fromhex("000123456789"),
        "9F03": bytes.fromhex("000987654321"),
        "9F37": bytes.fromhex("DEADBEEF"),
        "9F1A": bytes.fromhex("0528"),
        "95": bytes.fromhex("1234554321"),
    }
    dol = bytes.fromhex("9F02069F03069F1A0295055F2A029A039C019F3704")
    assert paycore.build_dol(dol, values).hex().upper() == (
        "00012345678900098765432105281234554321097824021709DEADBEEF"
    )


def test_field55_build_and_response_parse() -> None:
    pairs = [
        ("9F26", "1122334455667788"),
        ("9F10", "07010103A0A80201"),
        ("9F37", "DEADBEEF"),
        ("9F36", "0012"),
        ("95", "0000000000"),
        ("9A", "240217"),
        ("9C", "00"),
        ("9F02", "000000000100"),
        ("5F2A", "0156"),
        ("82", "7C00"),
        ("9F1A", "0156"),
        ("9F03", "000000000000"),
        ("9F33", "E0F8C8"),
        ("9F63", "00000000000000000000000000000000"),
    ]
    tags = {t: bytes.fromhex(v) for t, v in pairs}
    f55 = paycore.build_field55(tags, kind="preauth", contactless=True)
    nodes = json.loads(paycore.tlv_decode(f55, mode="strict"))
    assert [n["tag"] for n in nodes][:2] == ["9F26", "9F27"]
    assert nodes[1]["value"] == "80"
    assert len(nodes) == 15
    resp = json.loads(paycore.parse_field55_response(bytes.fromhex("910A11223344556677883030")))
    assert resp["scripts"] == []
    del tags["9F26"]
    with pytest.raises(paycore.EmvError, match="9F26"):
        paycore.build_field55(tags)


def test_cpm_round_trip_masks_repr() -> None:
    spec = {
        "applications": [
            {
                "adf_name": "A0000003330101",
                "data": [{"tag": "5A", "value": "6212345678901234"}],
            }
        ]
    }
    b64 = paycore.CpmPayload.from_json(json.dumps(spec)).to_base64()
    assert b64.startswith("hQVDUFYwMW")
    back = paycore.CpmPayload.parse(b64)
    assert back.to_base64() == b64
    assert json.loads(back.to_json())["applications"][0]["data"][0]["value"] == "6212345678901234"
    assert "6212345678901234" not in repr(back)
    with pytest.raises(paycore.QrError):
        paycore.CpmPayload.parse("!!!not base64")


def test_tag_dictionary_and_dol_parse() -> None:
    info = paycore.tag_info("9F02")
    assert info is not None
    assert "Amount" in json.loads(info)["name"]
    with pytest.raises(paycore.EmvError, match="well-formed"):
        paycore.tag_info("9F7F7F")
    entries = json.loads(paycore.parse_dol(bytes.fromhex("9F02069F3704")))
    assert len(entries) == 2
    with pytest.raises(paycore.EmvError):
        paycore.parse_dol(bytes.fromhex("9F02069F37"))
