#!/usr/bin/env python3
"""Generates core/src/emv/tags_data.rs from the EMV 4.4 Book 3 Annex A table
(shared/reference/emv-tags.tsv) plus the UnionPay/PBOC tags listed in
shared/reference/emv-tlv-qr.md section 6.

Usage: python3 core/tools/gen_emv_tags.py ../shared/reference/emv-tags.tsv > core/src/emv/tags_data.rs
"""
import re
import sys

# UnionPay / PBOC (JR/T 0025) and CUP terminal-parameter tags: tag, name, template, length, format, source.
EXTRA = """
9F63	Card Product Identification Information (UnionPay)	--	16	b	ICC
DF31	Issuer Script Results (UnionPay)	--	var.	b	Terminal
9F74	EC Issuer Authorisation Code (PBOC electronic cash)	--	6	a 6	ICC
9F79	EC Balance (PBOC electronic cash)	--	6	n 12	ICC
9F77	EC Balance Limit (PBOC electronic cash)	--	6	n 12	ICC
9F78	EC Single Transaction Limit (PBOC electronic cash)	--	6	n 12	ICC
9F6D	EC Reset Threshold (PBOC electronic cash)	--	6	n 12	ICC
9F5D	Available Offline Spending Amount (qPBOC)	--	6	n 12	ICC
9F66	Terminal Transaction Qualifiers -- TTQ (qPBOC)	--	4	b	Terminal
9F6C	Card Transaction Qualifiers -- CTQ (qPBOC)	--	2	b	ICC
9F51	Application Currency Code (PBOC)	--	2	n 3	ICC
9F52	Application Default Action (PBOC)	--	2	b	ICC
9F53	Consecutive Transaction Limit, International (PBOC)	--	1	b	ICC
9F54	Cumulative Total Transaction Amount Limit (PBOC)	--	6	n 12	ICC
9F56	Issuer Authentication Indicator (PBOC)	--	1	b	ICC
9F57	Issuer Country Code (PBOC)	--	2	n 3	ICC
9F58	Lower Consecutive Offline Limit (PBOC)	--	1	b	ICC
9F59	Upper Consecutive Offline Limit (PBOC)	--	1	b	ICC
9F5C	Cumulative Total Transaction Amount Upper Limit (PBOC)	--	6	n 12	ICC
9F72	Consecutive Transaction Limit, International-Country (PBOC)	--	1	b	ICC
9F75	Cumulative Total Transaction Amount Limit, Dual Currency (PBOC)	--	6	n 12	ICC
9F76	Secondary Application Currency Code (PBOC)	--	2	n 3	ICC
9F61	Cardholder ID Number (PBOC)	--	1-40	an	ICC
9F62	Cardholder ID Type (PBOC)	--	1	b	ICC
DF4D	Load Log Entry (PBOC)	'BF0C'	2	b	ICC
DF01	Application Selection Indicator (CUP parameter download)	--	1	b	Terminal
DF02	CA Public Key Modulus (CUP parameter download)	--	var.	b	Terminal
DF03	CA Public Key Checksum (CUP parameter download)	--	20	b	Terminal
DF04	CA Public Key Exponent (CUP parameter download)	--	1-3	b	Terminal
DF05	CA Public Key Expiry Date, YYYYMMDD (CUP parameter download)	--	8	an 8	Terminal
DF06	Hash Algorithm Indicator (CUP parameter download)	--	1	b	Terminal
DF07	Public Key Algorithm Indicator (CUP parameter download)	--	1	b	Terminal
DF11	Terminal Action Code - Default (CUP parameter download)	--	5	b	Terminal
DF12	Terminal Action Code - Online (CUP parameter download)	--	5	b	Terminal
DF13	Terminal Action Code - Denial (CUP parameter download)	--	5	b	Terminal
DF14	Default DDOL (CUP parameter download)	--	var.	b	Terminal
DF15	Threshold Value for Biased Random Selection (CUP parameter download)	--	4	b	Terminal
DF16	Maximum Target Percentage for Biased Random Selection (CUP parameter download)	--	1	b	Terminal
DF17	Target Percentage for Random Selection (CUP parameter download)	--	1	b	Terminal
DF18	Terminal Online PIN Capability (CUP parameter download)	--	1	b	Terminal
DF19	Contactless Offline Floor Limit (CUP parameter download)	--	6	n 12	Terminal
DF20	Contactless Transaction Limit (CUP parameter download)	--	6	n 12	Terminal
DF21	CVM Required Limit (CUP parameter download)	--	6	n 12	Terminal
9F7B	EC Terminal Transaction Limit (PBOC)	--	6	n 12	Terminal
"""

# Formats the table leaves unspecified ("--"), from EMV Book 3 section 4.3 / reference section 2.
FORMAT_OVERRIDES = {"50": "ans", "9F12": "ans", "89": "an", "9F4A": "b"}


def fmt(tag, text):
    text = FORMAT_OVERRIDES.get(tag, text) if text == "--" else text
    t = text.strip()
    if "YYMMDD" in t:
        return "Format::Date"
    if "HHMMSS" in t:
        return "Format::Time"
    head = re.split(r"[ ,]", t)[0]
    return {
        "n": "Format::N",
        "cn": "Format::Cn",
        "an": "Format::An",
        "ans": "Format::Ans",
        "a": "Format::A",
        "b": "Format::B",
        "var.": "Format::Var",
        "--": "Format::Var",
    }[head]


def length(text):
    t = text.strip()
    m = re.fullmatch(r"(\d+)", t)
    if m:
        return int(m[1]), int(m[1])
    m = re.fullmatch(r"(\d+)\s*-\s*(\d+)", t)
    if m:
        return int(m[1]), int(m[2])
    m = re.fullmatch(r"<=\s*(\d+)", t)
    if m:
        return 0, int(m[1])
    m = re.fullmatch(r"(\d+),\s*(\d+)", t)
    if m:
        return int(m[1]), int(m[2])
    return 0, None  # var. or depends on key sizes (Nca, NI-NCA+36, ...)


def source(text):
    return {
        "ICC": "Source::Icc",
        "Card": "Source::Icc",
        "Terminal": "Source::Terminal",
        "Issuer": "Source::Issuer",
        "ICC/Terminal": "Source::IccOrTerminal",
        "Issuer/Terminal": "Source::IssuerOrTerminal",
    }[text.strip()]


def templates(text):
    return [t for t in re.findall(r"'([0-9A-F]+)'", text)]


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = f.read().splitlines()[1:]
    lines += [l for l in EXTRA.strip().splitlines()]
    for line in lines:
        if not line.strip():
            continue
        tag, name, tmpl, ln, form, src = line.split("\t")
        rows.append((tag, name, tmpl, ln, form, src))
    print("// @generated by core/tools/gen_emv_tags.py from shared/reference/emv-tags.tsv (EMV 4.4")
    print("// Book 3 Annex A) and the UnionPay/PBOC tags of shared/reference/emv-tlv-qr.md. Do not edit.")
    print()
    print("use super::{Format, Source, TagInfo};")
    print("use crate::tlv::Tag;")
    print()
    print("/// The dictionary rows, in table order (a tag may appear once per template family).")
    print("pub(super) static TAGS: &[TagInfo] = &[")
    for tag, name, tmpl, ln, form, src in rows:
        lo, hi = length(ln)
        ts = ", ".join(f"Tag::of(0x{t})" for t in templates(tmpl))
        hi_s = f"Some({hi})" if hi is not None else "None"
        print("    TagInfo {")
        print(f"        tag: Tag::of(0x{tag}),")
        print(f"        name: {rust_str(name)},")
        print(f"        templates: &[{ts}],")
        print(f"        length: {rust_str(ln)},")
        print(f"        min_len: {lo},")
        print(f"        max_len: {hi_s},")
        print(f"        format: {fmt(tag, form)},")
        print(f"        format_text: {rust_str(form)},")
        print(f"        source: {source(src)},")
        print("    },")
    print("];")


main()
