"""The three pattern reads of :func:`jinshui_qa.routing.index.char_tokens`, in plain Python for a
process's first texts.

``re`` compiles a class such as ``[\\u3400-\\u9fff]`` with a Python loop over each of its 27,000
characters: 12 M instructions per pattern, 38 M for the three here, a tenth of a one-question ``ask``
and more than tokenising its question. The first :data:`SCANNED` texts of a process are read here,
character by character, with the same result (the patterns' classes are disjoint: Chinese characters,
``[a-z]``, decimal digits, which is ``\\d``, and ``+~%``; each match is the longest run at its place);
after them the patterns are compiled and used, as before (a full build reads hundreds of thousands of
texts, for which ``re`` is faster). ``tests/routing/test_char_scan.py`` checks both ways agree.

Most texts need no piece read at all (:func:`shaped`, issue 14: a fifth of a full build's index was
``char_tokens``): words only, Chinese characters only, or one run of characters and numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import add

from jinshui_qa.text import lazy_re

SCANNED = 2_000  # texts read in Python before the patterns are compiled
PIECES = lazy_re.compile(r"[\u3400-\u9fff]+|[a-z]+|\d+(?:\.\d+)?|[+~%]")
RUNS = lazy_re.compile(r"(?:[\u3400-\u9fff]|\d+(?:\.\d+)?)+")
UNITS = lazy_re.compile(r"[\u3400-\u9fff]|\d+(?:\.\d+)?")
_read = [0]  # texts read so far (a count: either way gives the same result)


def pieces(text: str) -> list[str]:
    """``PIECES.findall(text)``: runs of Chinese characters, of ``[a-z]``, numbers, and ``+``/``~``/``%``."""
    _read[0] += 1
    return PIECES.findall(text) if _read[0] > SCANNED else scan_pieces(text)


def runs(text: str) -> list[str]:
    """``RUNS.findall(text)``: the runs of Chinese characters and numbers."""
    return RUNS.findall(text) if _read[0] > SCANNED else scan_units(text, joined=True)


def units(run: str) -> list[str]:
    """``UNITS.findall(run)``: each Chinese character and each number."""
    return UNITS.findall(run) if _read[0] > SCANNED else scan_units(run, joined=False)


def shaped(text: str, stem: Callable[[str], str]) -> set[str] | None:
    """``char_tokens(text)`` for the three shapes most texts of a fact base have, built in a few C calls
    (no pattern read per piece): lower-case words between spaces (their stems), Chinese characters only
    (each and each bigram), and, once the patterns are compiled, one run of Chinese characters and
    numbers (each unit and each pair of units). None for any other text (``char_tokens`` reads it)."""
    if not text:
        return None
    if text.isascii():
        return set(map(stem, text.split())) if text.islower() and text.replace(" ", "").isalpha() else None
    if min(text) >= "\u3400" and max(text) <= "\u9fff":
        units: str | list[str] = text
    elif _read[0] > SCANNED and (run := RUNS.match(text)) is not None and run.end() == len(text):
        units = UNITS.findall(text)  # the text is the first run findall reads: a number is in it
    else:
        return None
    out = set(units)
    out.update(map(add, units, units[1:]))
    return out


def scan_pieces(text: str) -> list[str]:
    """:func:`pieces` in Python."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if "\u3400" <= c <= "\u9fff":
            j = i + 1
            while j < n and "\u3400" <= text[j] <= "\u9fff":
                j += 1
        elif "a" <= c <= "z":
            j = i + 1
            while j < n and "a" <= text[j] <= "z":
                j += 1
        elif c.isdecimal():
            j = _number_end(text, i, n)
        elif c in "+~%":
            j = i + 1
        else:
            i += 1
            continue
        out.append(text[i:j])
        i = j
    return out


def scan_units(text: str, *, joined: bool) -> list[str]:
    """:func:`runs` (``joined``) or :func:`units` in Python."""
    out: list[str] = []
    i, n = 0, len(text)
    start = -1  # where the run being joined began
    while i < n:
        c = text[i]
        if "\u3400" <= c <= "\u9fff":
            j = i + 1
        elif c.isdecimal():
            j = _number_end(text, i, n)
        else:
            if start >= 0:
                out.append(text[start:i])
                start = -1
            i += 1
            continue
        if not joined:
            out.append(text[i:j])
        elif start < 0:
            start = i
        i = j
    if start >= 0:
        out.append(text[start:])
    return out


def _number_end(text: str, i: int, n: int) -> int:
    """Where ``\\d+(?:\\.\\d+)?`` matching at ``i`` (a decimal digit) ends."""
    j = i + 1
    while j < n and text[j].isdecimal():
        j += 1
    if j + 1 < n and text[j] == "." and text[j + 1].isdecimal():
        j += 2
        while j < n and text[j].isdecimal():
            j += 1
    return j
