"""Times pyiso8583 and paycore's Python binding decoding the same UnionPay EMV sale as the Rust
criterion bench (benches/benches/iso8583.rs: 0200 with F2 F3 F4 F11 F14 F22 F23 F25 F26 F35 F41
F42 F49 F52 F53 F55 (145 bytes of BER-TLV) F60 F64, CUP framing).

The pyiso8583 spec is derived from paycore's cup-pos JSON spec: BCD MTI, binary bitmap, BCD
length prefixes, BCD n/z data counted in nibbles (`data_enc="b"`, `len_count="nibbles"`, pad nibble
on the side the alignment says), ASCII
an/ans, binary b. pyiso8583 has no framing, so both codecs decode the message body (MTI
onwards); paycore is timed a second time on the full frame (`decode_framed`). pyiso8583 returns
BCD fields as hex text and does not check pad nibbles or the '=' of track 2 (D nibble), so it
does strictly less work than paycore.

Run: .venv/bin/python bindings/python/bench/iso8583_peer_bench.py  (a few seconds)
"""

import json
import statistics
import timeit
from typing import Any

import iso8583  # type: ignore[import-untyped]

import paycore

ICC = (
    "9F2608A1B2C3D4E5F60718 9F270180 9F101307010103A0A802010A010000000052BF2E5A "
    "9F37049A8B7C6D 9F360200A1 95050080048000 9A03251125 9C0100 9F0206000000000100 5F2A020156 "
    "82027C00 9F1A020156 9F0306000000000000 9F3303E0F9C8 9F3403420300 9F350122 9F1E083132333435363738 "
    "8408A000000333010101 9F09020020 9F410400000123"
).replace(" ", "")


def sale(spec: paycore.Iso8583Spec) -> paycore.Iso8583Message:
    m = spec.new_message("0200")
    for n, v in [
        (2, "6228480402564890018"),
        (3, "000000"),
        (4, "000000012345"),
        (11, "000123"),
        (14, "2512"),
        (22, "051"),
        (23, "001"),
        (25, "00"),
        (26, "12"),
        (35, "6228480402564890018=25122201234500000"),
        (41, "12345678"),
        (42, "123456789012345"),
        (49, "156"),
        (52, "5A1B2C3D4E5F6071"),
        (53, "2600000000000000"),
        (55, ICC),
        (60, "22000024000600"),
    ]:
        m[n] = v
    m[64] = b"3A4B5C6D"
    return m


def pyiso_spec(spec: paycore.Iso8583Spec) -> dict[str, dict[str, Any]]:
    """A pyiso8583 spec with cup-pos's byte layout."""
    s = json.loads(spec.to_json())
    out: dict[str, dict[str, Any]] = {
        "h": {"data_enc": "ascii", "len_enc": "ascii", "len_type": 0, "max_len": 0, "desc": "header"},
        "t": {"data_enc": "b", "len_enc": "ascii", "len_type": 0, "max_len": 2, "desc": "MTI"},
        "p": {"data_enc": "b", "len_enc": "ascii", "len_type": 0, "max_len": 8, "desc": "bitmap"},
    }
    for k, f in s["fields"].items():
        bcd = f["encoding"] == "bcd"
        nibbles = bcd and f["counts"] == "chars"
        ltype = {"fixed": 0, "L": 1, "LL": 1, "LLL": 2, "LLLL": 2}[f["length"]]
        out[k] = {
            "data_enc": "b" if f["encoding"] in ("bcd", "binary") else "ascii",
            "len_enc": "bcd",
            "len_type": ltype,
            "max_len": f["max"] if nibbles else (f["max"] + 1) // 2 if bcd else f["max"],
            "len_count": "nibbles" if nibbles else "bytes",
            "desc": f["name"],
        }
        if nibbles:
            # Odd digit counts: the pad nibble sits on the right for left-aligned fields.
            side = "right_pad" if f["align"] == "left" else "left_pad"
            out[k][side] = "%X" % f["pad"]
    return out


def median_ns(fn: Any, number: int, repeat: int = 7) -> float:
    times = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(times) / number * 1e9


def main() -> None:
    spec = paycore.Iso8583Spec.builtin("cup-pos")
    msg = sale(spec)
    body = msg.encode()
    frame = msg.encode_framed(tpdu="6006010000", header="603100311812")
    pspec = pyiso_spec(spec)

    # Same bytes, same fields.
    doc, _ = iso8583.decode(bytearray(body), pspec)
    ours = spec.decode(body)
    assert sorted(int(k) for k in doc if k.isdigit()) == ours.fields()
    assert doc["55"].upper() == ours[55] and doc["41"] == ours[41] and doc["4"] == ours[4]
    assert doc["2"] == ours[2] and doc["22"] == ours[22]

    print(f"cup sale: body {len(body)} bytes, frame {len(frame)} bytes")
    peer = median_ns(lambda: iso8583.decode(bytearray(body), pspec), number=2000)
    pc = median_ns(lambda: spec.decode(body), number=20000)
    pcf = median_ns(lambda: spec.decode_framed(frame), number=20000)
    print(f"pyiso8583 decode (body)        median {peer:10.0f} ns")
    print(f"paycore   Iso8583Spec.decode   median {pc:10.0f} ns   ({peer / pc:.1f}x faster)")
    print(f"paycore   decode_framed        median {pcf:10.0f} ns   ({peer / pcf:.1f}x faster)")


if __name__ == "__main__":
    main()
