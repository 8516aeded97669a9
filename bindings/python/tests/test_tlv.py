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


def test_tlv_encode_pairs_minimal_lengths_and_find() -> None:
    data = paycore.tlv_encode_pairs(
        [("9F02", bytes.fromhex("000000000100")), ("5F2A", b"\x01\x56"), ("DF8129", b"")]
    )
    assert data.hex().upper() == "9F02060000000001005F2A020156DF812900"
    big = paycore.tlv_encode_pairs([("C1", b"\xab" * 200)])
    assert big[:3] == bytes.fromhex("C181C8") and len(big) == 203
    nested = paycore.tlv_encode_pairs([("70", data)])
    assert paycore.tlv_find(nested, "70/5F2A") == b"\x01\x56"
    assert paycore.tlv_find(nested, "70/9F03") is None
    with pytest.raises(paycore.EmvError):
        paycore.tlv_encode_pairs([("00", b"\x01")])


def test_truncated_tlv_names_byte_offset_and_path() -> None:
    with pytest.raises(paycore.TlvError) as exc:
        paycore.tlv_decode(bytes.fromhex("70055F24032512"))
    assert str(exc.value) == "truncated at byte offset 5 (tag path 70/5F24)"
    assert getattr(exc.value, "offset") == 5
    assert getattr(exc.value, "path") == "70/5F24"


def test_tag_info_fields_and_parent() -> None:
    raw = paycore.tag_info("9F02")
    assert raw is not None
    info = json.loads(raw)
    assert info["name"] == "Amount, Authorised (Numeric)"
    assert (info["format"], info["format_text"], info["source"]) == ("N", "n 12", "Terminal")
    assert (info["min_len"], info["max_len"]) == (6, 6)
    assert paycore.tag_info("9F7F") is None
    assert paycore.tag_info("9F02", parent=None) == raw
    # 81 means different things inside a biometric template (A1) and elsewhere.
    plain = paycore.tag_info("81")
    biometric = paycore.tag_info("81", parent="A1")
    assert plain is not None and biometric is not None
    assert json.loads(plain)["name"] == "Amount, Authorised (Binary)"
    assert json.loads(biometric)["name"] == "Biometric Type"


def test_dol_parse_and_prioritised_build() -> None:
    dol = bytes.fromhex("9F02069F03069F1A0295055F2A029A039C019F3704")
    entries = json.loads(paycore.parse_dol(dol))
    assert [(e["tag"], e["length"]) for e in entries] == [
        ("9F02", 6), ("9F03", 6), ("9F1A", 2), ("95", 5),
        ("5F2A", 2), ("9A", 3), ("9C", 1), ("9F37", 4),
    ]
    s1 = {k: bytes.fromhex(v) for k, v in {
        "9C": "09", "9A": "240217", "5F2A": "0978", "9F02": "000123456789",
        "9F03": "000987654321", "9F37": "DEADBEEF", "5A": "541333008902001F",
    }.items()}
    s2 = {k: bytes.fromhex(v) for k, v in {
        "9F1A": "0528", "9F37": "DEADCAFE", "95": "1234554321",
    }.items()}
    assert paycore.build_dol(dol, [s1, s2]).hex().upper() == (
        "00012345678900098765432105281234554321097824021709DEADBEEF"
    )
    assert paycore.build_dol(bytes.fromhex("9F3704"), [s2, s1]) == bytes.fromhex("DEADCAFE")
    # n keeps the rightmost digits, cn pads FF, b pads 00.
    assert paycore.build_dol(bytes.fromhex("9F02045A0A9506"), [s1, s2]).hex().upper() == (
        "23456789541333008902001FFFFF123455432100"
    )
    with pytest.raises(paycore.EmvError) as exc:
        paycore.build_dol(dol[:10], s1)
    assert getattr(exc.value, "offset") == 10
    with pytest.raises(TypeError):
        paycore.build_dol(dol, "9F02")  # type: ignore[arg-type]


def test_flags_and_tvr_explanation() -> None:
    tvr = json.loads(paycore.explain("95", bytes.fromhex("0000080000")))
    assert [(i["byte"], i["bit"], i["flag"]) for i in tvr["items"]] == [(3, 4, "pin_not_entered")]
    assert tvr["items"][0]["text"] == "PIN entry required, PIN pad present, but PIN was not entered"
    flags = ["oda_not_performed", "merchant_forced_online", "issuer_authentication_failed"]
    assert paycore.encode_flags("95", flags) == bytes.fromhex("8000000840")
    with pytest.raises(paycore.UnknownFlagError, match="nope"):
        paycore.encode_flags("95", ["pin_not_entered", "nope"])
    assert issubclass(paycore.UnknownFlagError, paycore.EmvError)


def test_field55_customary_order_and_response() -> None:
    tags = {k: bytes.fromhex(v) for k, v in {
        "9F63": "00" * 16, "84": "A0000003330101", "9F35": "22", "9F34": "1E0300",
        "9F33": "E0F8C8", "9F03": "000000000000", "9F1A": "0156", "82": "7C00",
        "5F2A": "0156", "9F02": "000000000100", "9C": "00", "9A": "240217",
        "95": "0000080000", "9F36": "0012", "9F37": "DEADBEEF",
        "9F10": "07010103A0A80201", "9F26": "1122334455667788",
    }.items()}
    f55 = paycore.build_field55(tags, contactless=True)
    assert f55.hex().upper() == (
        "9F260811223344556677889F2701809F100807010103A0A802019F3704DEADBEEF9F36020012"
        "950500000800009A032402179C01009F02060000000001005F2A02015682027C009F1A020156"
        "9F03060000000000009F3303E0F8C89F34031E03009F3501228407A0000003330101"
        "9F631000000000000000000000000000000000"
    )
    with pytest.raises(paycore.EmvError, match="9F27"):
        paycore.build_field55(tags, contactless=False)
    resp = json.loads(paycore.parse_field55_response(bytes.fromhex(
        "910A1122334455667788303072169F180400000001860D84040000080102030405060708"
    )))
    assert resp["issuer_authentication"]["arpc"] == "1122334455667788"
    assert resp["issuer_authentication"]["rest"] == "3030"
    script = resp["scripts"][0]
    assert (script["template"], script["script_id"]) == ("72", "00000001")
    assert script["commands"] == ["84040000080102030405060708"]
    with pytest.raises(paycore.TlvError):
        paycore.parse_field55_response(bytes.fromhex("910A11223344"))
