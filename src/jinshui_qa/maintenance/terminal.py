"""Text from users made safe to print on a maintainer's terminal (``report``, ``suggest``).

A logged question is whatever someone sent: an ANSI escape (``\\x1b[2J``, ``\\x1b]8;;…``), a carriage
return or a bidi override in it could clear the screen, forge a line or reorder what the maintainer reads.
:func:`terminal_safe` shows every control character as a visible escape (``\\x1b``, ``\\u202e``) and keeps
only line breaks (and tabs) as they are.
"""

from __future__ import annotations

import re

_KEPT = "\n\t"
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in _KEPT)
    + _BIDI + "\u2028\u2029]"
)  # fmt: skip


def terminal_safe(text: str, *, json_escape: bool = False) -> str:
    """``text`` with every C0/C1 control (but newline and tab), DEL, bidi control and line/paragraph
    separator written as an escape: ``\\x1b`` style, or ``\\u001b`` with ``json_escape`` (valid inside
    the strings of JSON text, where these characters can only occur)."""
    return _UNSAFE.sub(lambda m: _escape(m.group(), json_escape), text)


def _escape(char: str, json_escape: bool) -> str:
    code = ord(char)
    if json_escape or code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"
