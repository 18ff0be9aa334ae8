"""``char_tokens``'s pattern reads in plain Python (routing/char_scan.py) find what the patterns find,
for any text; a process compiles the patterns only after its first ``SCANNED`` texts (issue 14: the
three Chinese ranges cost a one-question ``ask`` 38 M instructions to compile)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.routing import char_scan

_ALPHABET = [
    *"金水区行企业〇㐀鿿䶵一",
    "\u33ff",
    "\ua000",
    *"azAZ09٣３۵.．+~%- _x",
    "12.5",
    "3.",
    ".7",
    "1.2.3",
]
TEXTS = st.lists(st.sampled_from(_ALPHABET), max_size=16).map("".join) | st.text(max_size=20)


def test_a_decimal_digit_is_what_re_reads_as_one() -> None:
    digit = re.compile(r"\d")
    for code in range(0x110000):
        c = chr(code)
        assert (digit.match(c) is not None) == c.isdecimal(), hex(code)


@settings(max_examples=2000, deadline=None)
@given(TEXTS)
def test_the_scans_find_what_the_patterns_find(text: str) -> None:
    assert char_scan.scan_pieces(text) == char_scan.PIECES.compiled.findall(text)
    assert char_scan.scan_units(text, joined=True) == char_scan.RUNS.compiled.findall(text)
    assert char_scan.scan_units(text, joined=False) == char_scan.UNITS.compiled.findall(text)


def test_the_patterns_are_used_after_the_first_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []
    scan = char_scan.scan_pieces
    monkeypatch.setattr(char_scan, "_read", [0])
    monkeypatch.setattr(char_scan, "SCANNED", 3)
    monkeypatch.setattr(char_scan, "scan_pieces", lambda text: scanned.append(text) or scan(text))
    texts = ["金水区2022年", "12.5亿元", "gdp 3.5%", "高企723家", "a1.2.3b"]
    got = [(char_scan.pieces(t), char_scan.runs(t), char_scan.units(t)) for t in texts]
    assert scanned == texts[:3]
    assert got == [
        (char_scan.PIECES.findall(t), char_scan.RUNS.findall(t), char_scan.UNITS.findall(t)) for t in texts
    ]
