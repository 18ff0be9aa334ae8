"""User text made safe to show again: what a reply may quote of a question, and what an adapter prints.

A question is whatever someone sent: an ANSI escape (``\\x1b]0;title\\x07``, ``\\x1b[2J``), a C1 control
(``\\x9b``), a carriage return or a bidi override in it could retitle or clear a terminal, forge a line or
reorder what the reader sees, if a reply echoed it (a compound reply quotes each part it could not
answer). :func:`quoted` is for text quoted into a reply (one line, controls dropped); :func:`visible` for
a whole reply before a terminal prints it (line breaks kept). Pure; the maintainer's tools escape instead
of dropping (:mod:`jinshui_qa.maintenance.terminal`), since they show what was logged.
"""

from __future__ import annotations

import re

from jinshui_qa.text import lazy_re

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Arabic letter mark, LRM/RLM, the embeddings and overrides, and the isolates."""
_CONTROL_CODES = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
_UNSAFE = lazy_re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROL_CODES) + BIDI_CONTROLS + "]")
_BREAKS = lazy_re.compile("\r\n?|[\u2028\u2029\u0085]", needs=("\r", "\u2028", "\u2029", "\u0085"))
_SPACES = lazy_re.compile(r"\s+")


def visible(text: str) -> str:
    """``text`` without C0/C1 controls, DEL or bidi controls; line breaks (``\\r``, U+2028/2029) become
    ``\\n`` and tabs stay. ``str -> str``, never raises."""
    text = _BREAKS.sub("\n", text)
    # Every character _UNSAFE removes is a control or format character, which str.isprintable() refuses:
    # a text printable but for its line breaks holds none (and a reply is printed without compiling it).
    return text if text.replace("\n", "").isprintable() else _UNSAFE.sub("", text)


def quoted(text: str) -> str:
    """``text`` as a reply may quote it: :func:`visible`, on one line (every run of white space one
    space), stripped."""
    return _SPACES.sub(" ", visible(text)).strip()
