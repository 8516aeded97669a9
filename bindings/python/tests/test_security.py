"""Security from Python: published vectors (core/tests/security_vectors.rs), typed errors,
and no key/PIN/PIN-block bytes in any repr or error message."""

import pytest

import paycore
from paycore import (
    AesDukptUsage,
    DukptUsage,
    Key,
    KeyAlgorithm,
    MacAlgorithm,
    PinBlockFormat,
    Sm4PinLayout,
    TdesDukptTerminal,
    Tr31Header,
)

H = bytes.fromhex
BDK = "0123456789ABCDEFFEDCBA9876543210"
IKSN = H("FFFF9876543210E00000")
PAN = "4012345678909"
# go8583 log: a sign-on delivered this MAK; F64 of the following sale.
MAK = "DAB36167E6DFB5EF"
MAB = H(
    "02003020048000C08031000000000000000001000001032000"
    "3232303033363030313034353132353431313130303031313536"
    "0024413330313936323131313131313131313131313131313131"
    "001322006603000600"
)


def tdes(hex_key: str) -> Key:
    return Key.from_hex(KeyAlgorithm.TDES2, hex_key)


def test_key_objects_and_check_values():
    key = tdes(BDK)
    assert key.algorithm == KeyAlgorithm.TDES2 and len(key) == 16
    assert key.check_value == "08D7B4"
    assert paycore.kcv(key).hex().upper() == "08D7B4"
    assert paycore.kcv(key, 2) == H("08D7")
    paycore.verify_check_value(key, H("08D7B4"))
    with pytest.raises(paycore.CheckValueError):
        paycore.verify_check_value(key, H("08D7B5"))
    assert Key("tdes2", H(BDK)).export_bytes() == H(BDK)
    assert paycore.kcv(Key(KeyAlgorithm.DES, H(MAK)), 4) == H("B8F616DC")
    assert len(paycore.kcv_cmac(Key("aes128", bytes(16)))) == 5
    sm4 = Key.from_hex(KeyAlgorithm.SM4, BDK)
    assert len(paycore.kcv_sm4(sm4)) == 8 and sm4.check_value == paycore.kcv_sm4(sm4).hex().upper()


def test_key_bad_input():
    with pytest.raises(paycore.KeyLengthError) as e:
        Key(KeyAlgorithm.TDES2, H("0123456789ABCDEF"))
    assert isinstance(e.value, paycore.SecurityError)
    assert isinstance(e.value, paycore.PaycoreError)
    with pytest.raises(paycore.SecurityError, match="key"):
        Key.from_hex(KeyAlgorithm.DES, "0123456789ABCDE")  # odd hex
    with pytest.raises(ValueError):
        Key("rot13", bytes(8))
    with pytest.raises(paycore.SecurityError):
        paycore.kcv_sm4(tdes(BDK))


def test_iso0_pin_block_vector():
    clear = paycore.pin_block_encode(PinBlockFormat.ISO0, "1234", PAN)
    assert clear == H("041274EDCBA9876F")
    assert paycore.pin_block_decode(PinBlockFormat.ISO0, clear, PAN) == "1234"
    assert paycore.pin_block_encode(PinBlockFormat.ISO2, "1234") == H("241234FFFFFFFFFF")


def test_pin_block_encrypt_decrypt_with_dukpt_pin_key():
    # X9.24-1 A.4: PIN key of KSN ...E00001, encrypted ISO-0 block 1B9C1845EB993A7A.
    tk = paycore.dukpt_tdes_transaction_key(tdes(BDK), H("FFFF9876543210E00001"))
    pek = paycore.dukpt_tdes_usage_key(tk, DukptUsage.PIN)
    assert pek.export_bytes() == H("042666B49184CF5C68DE9628D0397B36")
    enc = paycore.pin_block_encrypt(pek, PinBlockFormat.ISO0, "1234", PAN)
    assert enc == H("1B9C1845EB993A7A")
    assert paycore.pin_block_decrypt(pek, PinBlockFormat.ISO0, enc, PAN) == "1234"
    # formats with randomness round-trip
    aes = Key(KeyAlgorithm.AES128, bytes(range(16)))
    enc4 = paycore.pin_block_encrypt(aes, PinBlockFormat.ISO4, "987654", PAN, bytes(range(8)))
    assert len(enc4) == 16
    assert paycore.pin_block_decrypt(aes, PinBlockFormat.ISO4, enc4, PAN) == "987654"
    enc3 = paycore.pin_block_encrypt(pek, PinBlockFormat.ISO3, "1234", PAN, bytes(10))
    assert paycore.pin_block_decrypt(pek, PinBlockFormat.ISO3, enc3, PAN) == "1234"


def test_pin_block_bad_input():
    with pytest.raises(paycore.PinBlockError, match="4 to 12"):
        paycore.pin_block_encode(PinBlockFormat.ISO0, "123", PAN)
    with pytest.raises(paycore.PinBlockError, match="PAN"):
        paycore.pin_block_encode(PinBlockFormat.ISO0, "1234", "1234")
    with pytest.raises(paycore.PinBlockError, match="needs the PAN"):
        paycore.pin_block_encode(PinBlockFormat.ISO0, "1234")
    with pytest.raises(paycore.PinBlockError, match="random"):
        paycore.pin_block_encode(PinBlockFormat.ISO1, "1234")
    with pytest.raises(paycore.PinBlockError):
        paycore.pin_block_decode(PinBlockFormat.ISO2, H("041274EDCBA9876F"))


def test_sm4_pin_both_layouts():
    sm4 = Key.from_hex(KeyAlgorithm.SM4, BDK)
    for layout in (Sm4PinLayout.ISO0_PADDED, Sm4PinLayout.WIDE):
        enc = paycore.sm4_pin_encrypt(sm4, layout, "123456", "6228480012345676789")
        assert len(enc) == 16
        assert paycore.sm4_pin_decrypt(sm4, layout, enc, "6228480012345676789") == "123456"
    padded = paycore.sm4_pin_encrypt(sm4, Sm4PinLayout.ISO0_PADDED, "1234", PAN)
    wide = paycore.sm4_pin_encrypt(sm4, Sm4PinLayout.WIDE, "1234", PAN)
    assert padded != wide
    with pytest.raises(paycore.SecurityError):
        paycore.sm4_pin_encrypt(tdes(BDK), Sm4PinLayout.WIDE, "1234", PAN)


def test_macs_published_vectors():
    x99 = Key.from_hex("des", "0123456789ABCDEF")
    assert paycore.mac(MacAlgorithm.X9_9, x99, b"7654321 Now is the time for ") == H(
        "F1D30F6849312CA4"
    )
    paycore.mac_verify("x9.9", x99, b"7654321 Now is the time for ", H("F1D30F68"))
    x919 = tdes(BDK)
    assert paycore.mac(MacAlgorithm.X9_19, x919, b"Now is the time for all ") == H(
        "A1C72E74EA3FA9B6"
    )
    mak = Key(KeyAlgorithm.DES, H(MAK))
    assert paycore.mac(MacAlgorithm.CUP_ECB, mak, MAB) == b"E5805ECB"
    paycore.mac_verify(MacAlgorithm.CUP_ECB, mak, MAB, b"E5805ECB")
    with pytest.raises(paycore.MacMismatchError):
        paycore.mac_verify(MacAlgorithm.CUP_ECB, mak, MAB, b"E5805ECC")
    sm4 = Key.from_hex(KeyAlgorithm.SM4, BDK)
    assert len(paycore.mac(MacAlgorithm.CUP_SM4, sm4, MAB)) == 8
    hexmac = paycore.mac(MacAlgorithm.CUP_SM4_HEX, sm4, MAB)
    assert len(hexmac) == 8 and all(c in b"0123456789ABCDEF" for c in hexmac)
    assert len(paycore.mac(MacAlgorithm.CMAC, Key("aes128", bytes(16)), b"x")) == 16
    with pytest.raises(ValueError):
        paycore.mac("md5", mak, MAB)


def test_sign_on_round_trip_and_wrong_check_value():
    tmk = tdes("11111111111111112222222222222222")
    pik = tdes("0123456789ABCDEFFEDCBA9876543210")
    mak = tdes("DAB36167E6DFB5EF0123456789ABCDEF")
    tdk = tdes("89E88CF7931444F334BD7547FC3F380C")
    f62 = paycore.build_sign_on_field62(tmk, "004", pik, mak, tdk)
    assert len(f62) == 60
    keys = paycore.unwrap_sign_on_keys(tmk, "004", f62)
    assert keys.pin_key.export_bytes() == pik.export_bytes()
    assert keys.mac_key.check_value == mak.check_value
    assert keys.track_key is not None and keys.track_key.export_bytes() == tdk.export_bytes()
    # then MAC and PIN with the unwrapped keys
    assert paycore.mac("cup-ecb", keys.mac_key, MAB) == paycore.mac("cup-ecb", mak, MAB)
    f62_003 = paycore.build_sign_on_field62(tmk, "003", pik, mak)
    assert paycore.unwrap_sign_on_keys(tmk, "003", f62_003).track_key is None
    bad = bytearray(f62)
    bad[16 + 4 + 16] ^= 0x01  # first byte of the MAC key's check value
    with pytest.raises(paycore.CheckValueError, match="MAC key"):
        paycore.unwrap_sign_on_keys(tmk, "004", bytes(bad))
    with pytest.raises(paycore.SecurityError, match="40 bytes"):
        paycore.unwrap_sign_on_keys(tmk, "003", f62)
    with pytest.raises(paycore.SecurityError, match="002"):
        paycore.unwrap_sign_on_keys(tmk, "002", f62)


def test_tdes_dukpt_host_and_terminal():
    bdk = tdes(BDK)
    ipek = paycore.dukpt_tdes_ipek(bdk, IKSN)
    assert ipek.export_bytes() == H("6AC292FAA1315B4D858AB3A3D7D5933A")
    tk = paycore.dukpt_tdes_transaction_key(bdk, H("FFFF9876543210E00001"))
    assert tk.export_bytes() == H("042666B49184CFA368DE9628D0397BC9")
    mac_key = paycore.dukpt_tdes_usage_key(tk, DukptUsage.MAC_REQUEST)
    assert mac_key.export_bytes() == H("042666B4918430A368DE9628D03984C9")
    assert paycore.mac(MacAlgorithm.X9_19, mac_key, b"4012345678909D987")[:4] == H("9CCC7817")
    term = TdesDukptTerminal(ipek, IKSN)
    assert term.next_ksn == H("FFFF9876543210E00001")
    ksn, key = term.next_transaction()
    assert ksn == H("FFFF9876543210E00001")
    assert key.export_bytes() == H("042666B49184CFA368DE9628D0397BC9")
    ksn, key = term.next_transaction()
    assert ksn == H("FFFF9876543210E00002")
    assert key.export_bytes() == H("C46551CEF9FD24B0AA9AD834130D3BC7")
    assert "E00003" in repr(term)
    with pytest.raises(paycore.SecurityError, match="KSN"):
        paycore.dukpt_tdes_ipek(bdk, H("FFFF"))
    with pytest.raises(paycore.DukptError):
        paycore.dukpt_tdes_transaction_key(bdk, H("FFFF9876543210E00000"))


def test_aes_dukpt():
    bdk = Key.from_hex(KeyAlgorithm.AES128, "FEDCBA9876543210F1F1F1F1F1F1F1F1")
    ksn0 = H("123456789012345600000000")
    ik = paycore.dukpt_aes_initial_key(bdk, ksn0)
    assert ik.export_bytes() == H("1273671EA26AC29AFA4D1084127652A1")
    dk = paycore.dukpt_aes_derivation_key(ik, H("123456789012345600000001"))
    assert dk.export_bytes() == H("4F21B565BAD9835E112B6465635EAE44")
    wk = paycore.dukpt_aes_working_key(
        bdk, H("123456789012345600000001"), AesDukptUsage.PIN_ENCRYPTION, KeyAlgorithm.AES128
    )
    assert wk.algorithm == KeyAlgorithm.AES128 and len(wk) == 16
    with pytest.raises(paycore.DukptError):
        paycore.dukpt_aes_derivation_key(ik, H("1234567890123456" + "0001FFFF"))


TR31_B = "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"
TR31_C_KS = (
    "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D6"
    "0989015D02155C"
)


def test_tr31_unwrap_published_blocks():
    kb = paycore.tr31_unwrap(tdes("DD7515F2BFC17F85CE48F3CA25CB21F6"), TR31_B)
    assert kb.key.export_bytes() == H("3F419E1CB7079442AA37474C2EFBF8B8")
    assert kb.key.check_value == "57C409"
    assert (kb.header.version, kb.header.key_usage, kb.header.mode_of_use) == ("B", "P0", "E")
    kb = paycore.tr31_unwrap(tdes("B8ED59E0A279A295E9F5ED7944FD06B9"), TR31_C_KS)
    hd = kb.header
    assert (hd.version, hd.key_usage, hd.algorithm, hd.mode_of_use) == ("C", "B0", "T", "X")
    assert (hd.key_version, hd.exportability) == ("12", "S")
    assert hd.optional_block("KS") == "00604B120F9292800000"
    assert hd.optional_blocks == [("KS", "00604B120F9292800000")]
    assert kb.key.check_value == "F4B08D"
    assert Tr31Header.parse(TR31_C_KS) == hd


def test_tr31_bad_input_and_wrap_round_trip():
    kbpk = tdes("DD7515F2BFC17F85CE48F3CA25CB21F6")
    tampered = TR31_B[:16] + ("1" if TR31_B[16] == "0" else "0") + TR31_B[17:]
    with pytest.raises(paycore.Tr31Error, match="MAC"):
        paycore.tr31_unwrap(kbpk, tampered)
    with pytest.raises(paycore.Tr31Error):
        paycore.tr31_unwrap(kbpk, "B0000")
    aes = Key(KeyAlgorithm.AES256, b"\x41" * 32)
    key = Key(KeyAlgorithm.AES192, b"\x17" * 24)
    hd = Tr31Header("D", "P0", "A", "E", "00", "E", [("KS", "00604B120F9292")])
    block = paycore.tr31_wrap(aes, hd, key, b"\x5a" * 64)
    assert block.startswith("D") and int(block[1:5]) == len(block)
    kb = paycore.tr31_unwrap(aes, block)
    assert kb.key.export_bytes() == key.export_bytes() and kb.header == hd
    block = paycore.tr31_wrap(kbpk, "B0000P0TE00E0000", tdes(BDK), b"\x00" * 32, masked_length=24)
    assert paycore.tr31_unwrap(kbpk, block).key.check_value == "08D7B4"
    with pytest.raises(ValueError):
        Tr31Header("E", "P0", "A", "E")


def test_no_secret_in_repr_or_errors():
    key_hex = "0123456789ABCDEFFEDCBA9876543210"
    key = tdes(key_hex)
    texts = [repr(key), str(key)]
    tmk = tdes("11111111111111112222222222222222")
    f62 = paycore.build_sign_on_field62(tmk, "003", key, key)
    keys = paycore.unwrap_sign_on_keys(tmk, "003", f62)
    texts += [repr(keys), str(keys), repr(keys.pin_key)]
    ipek = paycore.dukpt_tdes_ipek(key, IKSN)
    term = TdesDukptTerminal(ipek, IKSN)
    texts += [repr(ipek), repr(term), repr(paycore.tr31_unwrap(tdes("DD7515F2BFC17F85CE48F3CA25CB21F6"), TR31_B))]
    clear = paycore.pin_block_encode(PinBlockFormat.ISO0, "5937", PAN)
    enc = paycore.pin_block_encrypt(key, PinBlockFormat.ISO0, "5937", PAN)
    for call in (
        lambda: Key(KeyAlgorithm.AES128, H(key_hex)[:15]),
        lambda: Key.from_hex(KeyAlgorithm.TDES2, key_hex + "Z"),
        lambda: paycore.pin_block_encode(PinBlockFormat.ISO0, "59x7", PAN),
        lambda: paycore.pin_block_decrypt(key, PinBlockFormat.ISO2, enc),
        lambda: paycore.pin_block_decode(PinBlockFormat.ISO1, clear),
        lambda: paycore.mac_verify("x9.19", key, b"data", H(key_hex)[:8]),
        lambda: paycore.unwrap_sign_on_keys(tmk, "003", f62[:-1] + b"\x00"),
    ):
        with pytest.raises(paycore.PaycoreError) as e:
            call()
        texts += [str(e.value), repr(e.value)]
    secrets = [key_hex, key_hex[:16], key_hex[16:], ipek.export_bytes().hex().upper(), "5937",
               clear.hex().upper(), enc.hex().upper()]
    for t in texts:
        for s in secrets:
            assert s.upper() not in t.upper(), (s, t)
        assert "0123456789ABCDEF".lower() not in t.lower()
    assert "08D7B4" in repr(key) and "16 bytes" in repr(key)
