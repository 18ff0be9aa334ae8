"""Where a pattern was replaced by something cheaper to start (no compile on a first question), the
replacement gives what the pattern gave."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.conversation import gate
from jinshui_qa.routing.placement import _cjk_runs
from jinshui_qa.routing.scoring import _pieces
from jinshui_qa.text import visible
from jinshui_qa.text.normalize import to_simplified
from tests.conversation.test_gate_marks import MARKS

# Text near the edges of the ranges tested, with spaces and the marks the gate looks for.
_EDGES = "\u33ff\u3400\u4dff\u4e00\u9fff\ua000金水区高企和比 \t\u3000\u00a0\u2028aZ1.，?、"
_TEXT = st.text(alphabet=st.sampled_from(_EDGES), max_size=12) | st.text(max_size=12)


def test_str_isspace_is_what_re_calls_whitespace() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert re.findall(r"\s", every) == [ch for ch in every if ch.isspace()]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_cjk_runs_are_the_class_runs(text: str) -> None:
    assert _cjk_runs(text) == re.findall(r"[\u3400-\u9fff]+", text)


@settings(max_examples=400, deadline=None)
@given(_TEXT | st.text(alphabet=st.sampled_from("金水az AZ1\u3400\u9fff\ua000é"), max_size=12))
def test_pieces_are_the_pattern_findall(text: str) -> None:
    assert _pieces(text) == re.findall(r"[\u3400-\u9fff]|[a-z]+", text)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_gate_is_its_two_patterns_as_one(text: str) -> None:
    folded = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    whole = re.compile(f"{MARKS}|{gate._SPACED.pattern}")
    assert gate.may_be_compound(text) == bool(whole.search(folded))


def test_what_visible_removes_is_never_printable() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    removed = visible._UNSAFE.findall(every)
    assert len(removed) > 60 and not any(ch.isprintable() for ch in removed)


@settings(max_examples=400, deadline=None)
@given(_TEXT | st.text(alphabet=st.sampled_from("金水\n\r\t\x1b\x9b\u202e\u2028\u0085 a"), max_size=12))
def test_visible_is_its_two_substitutions(text: str) -> None:
    assert visible.visible(text) == re.sub(
        visible._UNSAFE.pattern, "", re.sub(visible._BREAKS.pattern, "\n", text)
    )
