"""A share stated as a fraction, or as a follow-up, read before it is checked (:mod:`.verify`).

* A fraction (「五分之一」, 「1/5」 where a share is asked, "a fifth", "one third of the city") is a share: it is
  checked as the percentage it is (20%), and the verdict says how it was read (「（五分之一按20%理解）」,
  "(reading a fifth as 20%)"). A fraction that is no whole percentage (一/三) is read as about that much.
* A share stated as a follow-up (「是全市的20%吗」, "is it 0.2 of the city?", 「占全市五分之一吗」 after an answer)
  that falls back on its own is checked against the share of the fact just talked about, when it has one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
    from jinshui_qa.facts.schema import Lang

_DIGITS = "0-9零〇一二两三四五六七八九十"
_ZH = lazy_re.compile(rf"(?<!百)(?P<d>[{_DIGITS}]+)分之(?P<n>[{_DIGITS}]+)")
_SLASH = lazy_re.compile(r"(?<![\d/.])(?P<n>\d{1,2})\s*/\s*(?P<d>\d{1,3})(?![\d/.])")
_ORDINALS = {"half": 2, "halve": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_EN = lazy_re.compile(
    r"\b(?:(?P<n>an?|one|two|three|four)[\s-]+(?P<d>half|third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
    r"|(?<!first )(?<!second )(?<!the )(?<!other )(?P<d2>half|third|quarter|fifth|tenth)(?=\s+of\b))s?\b",
    re.IGNORECASE,
)
_REASONS = ("no_match", "low_confidence", "vague", "other_place:")


def as_percent(text: str, lang: Lang) -> tuple[str, str]:
    """``text`` with the one fraction it states written as a percentage (约 before one that is no whole
    percentage: 一/三 is 约33.33%), and the note saying how it was read; ``(text, "")`` when it states none."""
    from jinshui_qa.conversation.asked_units import SHARE, share_note
    from jinshui_qa.text.numerals import arabic_numerals

    text = unicodedata.normalize("NFKC", text)
    found = [(m, int(arabic_numerals(m["n"])), int(arabic_numerals(m["d"]))) for m in _ZH.finditer(text)]
    if SHARE.search(text) or any(w in text for w in ("全市", "全省", "city", "province")):
        found += [(m, int(m["n"]), int(m["d"])) for m in _SLASH.finditer(text)]
    for m in _EN.finditer(text):
        d = _ORDINALS[(m["d"] or m["d2"]).lower()]
        found.append((m, _COUNTS[(m["n"] or "a").lower()], d))
    found = [f for f in found if 0 < f[1] < f[2]]
    if len(found) != 1:
        return text, ""
    m, n, d = found[0]
    from decimal import Decimal

    percent = Decimal(n * 100) / d
    exact = percent == percent.quantize(Decimal("0.01"))
    shown = f"{percent.quantize(Decimal('0.01')).normalize():f}%"
    about = "" if exact else ("约" if lang == "zh" else "about ")
    note = share_note(m[0].strip(), percent.quantize(Decimal("0.01")), lang)  # as a bare 0.2's note
    return f"{text[: m.start()]}{about}{shown}{text[m.end() :]}", note


def followup(assistant: Assistant, text: str, said: Reply, session: Session, now: float) -> Reply | None:
    """A fallback ``said`` on a share stated as a follow-up, answered from the fact just talked about and
    checked, when that fact has a share; else one on a fraction's words ("one third"), answered as asked
    with the percentage in their place and checked; ``None`` otherwise."""
    rewritten, note = as_percent(text, said.lang)
    detail = said.reason.partition(":")[2]
    fraction = bool(note) and detail in text and detail not in rewritten  # not_covered:fifth
    if not (said.reason.startswith(_REASONS) or fraction):
        return None
    from jinshui_qa.conversation import verify

    if (shared := _shared(assistant, text, rewritten, said, session, now)) is not None or not note:
        return shared
    from dataclasses import replace

    again = assistant.reply_one(rewritten, replace(session), now)  # only for the fact it answers
    if again.status != "answer" or again.fact_id is None:
        return None
    reply = assistant.answer_fact(again.fact_id, session, now, question=said.question, lang=said.lang)
    return verify.checked(assistant.base, text, reply)


def _shared(assistant: Assistant, text: str, rewritten: str, said: Reply, session: Session, now: float) -> Reply | None:  # fmt: skip
    context = session.context
    if context is None:
        return None
    from jinshui_qa.text import places

    place = said.reason.partition(":")[2]
    if said.reason.startswith("other_place:") and place not in places.SHARE_FRAMES:
        return None  # 郑州有多少: another place, not the frame of a share
    from jinshui_qa.conversation import asked_units, render, verify

    found = verify.stated(rewritten, said.lang)
    fact = assistant.base.get(context.fact_id)
    if found is None or fact is None or not render.candidates(fact, "share", ""):
        return None
    m, plain = found
    unit = (m["unit"] or "").lower()
    if not ("百分之" in m[0] or unit in ("%", "％", "percent", "成")) and (
        asked_units.as_share(m["n"], unit, m["scale"] or "", plain) is None
    ):
        return None
    reply = assistant.answer_fact(context.fact_id, session, now, question=said.question, lang=said.lang)
    return verify.checked(assistant.base, text, reply)
