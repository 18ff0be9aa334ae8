"""What each fact can explain, in the slots a question frame has, and the check of one against the other.

Slots are derived, not typed by hand: the attributes from the fact's ``figures`` (a count, a yuan
figure, a share, a rank, a month or day in its ``time``) and from its own phrasings (a fact whose
curated questions ask 谁 or 什么时候 answers who or when); the period from ``time``; the scope from what
its figures count (新增, 新引进... make it "new", any other figure a total); the text that may place a
question's words: its phrasings, keywords, title, subject, answer and what its figures count.
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import Any

from jinshui_qa.facts.schema import Fact
from jinshui_qa.records import dataclass
from jinshui_qa.routing.frames import Frame, FrameReader
from jinshui_qa.text import lazy_re, places
from jinshui_qa.text.normalize import Normalizer, has_cjk
from jinshui_qa.text.periods import Period, fact_period

_SUM_OF_MONEY = lazy_re.compile(
    r"钱|金额|资金|经费|费用|几个亿|多少亿元|多少万元|投资|投入|预算|支出|成本|how much money|how much investment|investment\W*$"
)
COUNT_UNITS = frozenset({"个", "家", "人", "名", "户", "位", "所", "项", "家企业", "条", "座", "支"})
PEOPLE_UNITS = frozenset({"人", "名", "位"})


@dataclass(frozen=True, slots=True)
class FactSlots:
    """One fact's slots; ``text`` is its canonical text (phrasings, answer, figures) with no spaces."""

    attributes: frozenset[str]
    period: Period | None
    new: bool | None
    text: str
    text_en: str
    subject: str
    asked: str = ""  # its own phrasings, canonical, joined
    figures: bool = False  # it states figures (a descriptive fact may tell Jinshui's role in Henan)
    levels: frozenset[str] = frozenset()  # frames of its shares and ranks: city, province, nation
    held: tuple[str, ...] = ()  # what it names and counts: figures' ``counts``, subject, keywords, title
    primary: frozenset[str] = frozenset()  # the kind of its first figure (count or money): what it answers
    days: frozenset[int] = frozenset()  # days of the month it names: figures in 日, the day of its ``time``
    figure_count: int = 0  # its figures: a fact with two figures names the two things of 「哪两个」
    money: bool = False  # a figure of it is a sum of money (in 元)


def fact_slots(fact: Fact, normalizer: Normalizer, reader: FrameReader) -> FactSlots:
    """Derive the slots of ``fact`` (see the module docstring)."""
    canon = lru_cache(maxsize=None)(normalizer.canonical)  # one fact's texts, each folded once
    asked_side = [canon(q) for q in (*fact.questions_zh, *fact.questions_en)]
    asked = "|".join(asked_side)
    bare, spaced = asked.replace(" ", ""), f" {asked.replace('|', ' | ')} "
    attributes = {kind for kind, cjk, latin in _probes(reader) if _said(cjk, bare) or _said(latin, spaced)}
    units = [f.unit for f in fact.figures]
    if any(u.lstrip("万亿") in COUNT_UNITS for u in units):
        attributes.add("count")
    money = any("元" in u or u.startswith(("亿", "万元")) for u in units)
    if money:
        attributes.add("money")
    if any(f.share for f in fact.figures):
        attributes.add("share")
    if any(f.rank for f in fact.figures):
        attributes.add("rank")
    if any(u.lstrip("万") in PEOPLE_UNITS for u in units):
        attributes.add("people")
    answer = fact.answer.zh
    listed = [k for k in fact.keywords if len(k) >= 2 and _listed(k, answer)]
    if (
        len(listed) >= 2
    ):  # its answer lists named members (中钢网、拓普丰联等), not modifiers (新零售、新消费企业)
        attributes.add("name")
    if any(word in fact.answer.zh for word in ("合作", "联合", "携手", "共建")):
        attributes.add("partner")
    if any(word in fact.answer.zh for word in ("推进", "建设", "建成", "投入使用", "开工", "进展")):
        attributes.add("progress")  # its answer tells how far something has got
    period = fact_period(fact.time)
    if period is not None and (fact.figures or str(period.start[0]) in fact.title.zh):
        attributes.add("year")  # a dated figure says which year it is of (哪一年的数据), not when 他上任
    if (period is not None and period.grain != "year") or any(u in ("日", "月") for u in units):
        attributes.add("date")
    new: bool | None = None
    if fact.figures:
        new = any(reader.new_words.found(canon(f.counts)) for f in fact.figures)
    zh_parts = [
        *fact.questions_zh,
        *fact.keywords,
        fact.title.zh,
        fact.answer.zh,
        *(f.counts for f in fact.figures),
    ]
    en_parts = [*fact.questions_en, fact.title.en, fact.answer.en]
    if fact.subject:
        zh_parts.append(fact.subject.zh)
        en_parts.append(fact.subject.en)
    text = "|".join(canon(t).replace(" ", "") for t in zh_parts)
    text_en = " " + " ".join(canon(t) for t in en_parts) + " "
    # one subject across reports and periods: the declared subject, else what the first figure counts
    named = fact.subject.zh if fact.subject else fact.figures[0].counts if fact.figures else fact.title.zh
    subject = re.sub(r"[（(].*?[）)]", "", canon(named))
    held = tuple(
        re.sub(r"[（(].*?[）)]|[“”\"]", "", canon(t)).replace(" ", "")
        for t in (
            *(f.counts for f in fact.figures),
            *fact.keywords,
            fact.title.zh,
            *((fact.subject.zh,) if fact.subject else ()),
        )
    )
    levels = frozenset(level for f in fact.figures  # a rank's frame may be said in what it counts (全国…榜单名次)
                       for framed in (f.share or "", f.rank or "", (f.counts or "") if f.rank or f.share else "")
                       for word, level in places.LEVELS.items() if word in framed)  # fmt: skip
    return FactSlots(
        frozenset(attributes),
        period,
        new,
        text,
        text_en,
        subject,
        asked,
        bool(fact.figures),
        levels,
        held,
        _primary(fact),
        frozenset(int(f.value) for f in fact.figures if f.unit == "日")
        | ({int(fact.time[-2:])} if period is not None and period.grain == "day" else set()),
        len(fact.figures),
        money,
    )


Probe = tuple[str, "re.Pattern[str] | None", "re.Pattern[str] | None"]
_PROBES: weakref.WeakKeyDictionary[FrameReader, list[Probe]] = weakref.WeakKeyDictionary()


def _probes(reader: FrameReader) -> list[Probe]:
    """Per attribute kind of ``reader``, a pattern of its Chinese words without spaces and one of its other
    words between spaces (:func:`trie_pattern`; None: no such word): what :func:`fact_slots` looks for in
    every fact's phrasings, prepared once per reader."""
    probes = _PROBES.get(reader)
    if probes is None:
        probes = _PROBES[reader] = [
            (
                kind,
                trie_pattern({w.replace(" ", "") for w in words.words if has_cjk(w)}),
                trie_pattern({f" {w} " for w in words.words if not has_cjk(w)}),
            )
            for kind, words in reader.attributes.items()
        ]
    return probes


def trie_pattern(words: set[str]) -> re.Pattern[str] | None:
    """A pattern that a text holds one of ``words`` (non-empty) in: ``pattern.search(text)`` is
    ``any(w in text for w in words)``, the words as a trie (one scan of the text, not one per word: half
    the time of a full build's slots), None for no word."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")" if branches else ""
        return f"(?:{body})?" if "" in node and body else body

    return re.compile(pattern(root)) if root else None


def _said(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _primary(fact: Fact) -> frozenset[str]:
    if not fact.figures:
        return frozenset()
    unit = fact.figures[0].unit
    if "元" in unit or unit.startswith("亿"):
        return frozenset({"money"})
    return frozenset({"count"}) if unit.lstrip("万亿") in COUNT_UNITS else frozenset()


def explain(frame: Frame, slots: FactSlots) -> str:
    """Why the fact cannot explain the frame (a fallback reason), or '' when it explains every slot.

    Reasons: ``other_place:二七区``, ``period:2022年7~9月``, ``scope:new`` (new asked, the fact holds a
    total), ``scope:total``, ``scope:省级`` (a subset the fact does not name), ``attribute:duration``.
    """
    for place in frame.other_places:
        if not _says(slots, place):
            return f"other_place:{place}"
    figure_asked = frame.attributes & {"count", "money", "share", "people", "rank"}
    titled = any(
        frame.outside + name in slots.text for name in frame.names
    )  # 郑州市高层次人才: part of a title
    if frame.outside and not titled and (slots.figures or figure_asked or frame.outside not in slots.asked):
        return f"other_place:{frame.outside}"  # a figure asked of Zhengzhou or Henan is about them
    if frame.level and slots.levels and frame.level not in slots.levels:
        return f"level:{frame.level}"  # 在全省排第几 of a rank in the city
    if frame.threshold and frame.threshold not in slots.text:
        return f"scope:{frame.threshold}"
    if frame.days and slots.days and not set(frame.days) & slots.days:
        return f"period:{frame.day_label}"  # 每月15号 of a fact about the 5th
    if frame.period is not None and slots.period is not None and not slots.period.covers(frame.period):
        return f"period:{frame.period.label()}"
    if (
        frame.period is not None
        and slots.period is not None
        and slots.new
        and frame.period.grain == "part"
        and (frame.period.start, frame.period.end) != (slots.period.start, slots.period.end)
    ):
        return f"period:{frame.period.label()}"  # 3月份新增 of a Jan-Mar flow: only the quarter is held
    for (
        subset
    ) in frame.subsets:  # held or asked (「报道没有科技型中小企业的数」); before new: 新增个体户 asks a part
        if not _says(slots, subset) or (
            has_cjk(subset)
            and (not _holds(slots, subset) or _paired_only(slots.text, subset, frame.canonical))
        ):
            return f"scope:{subset}"
    if frame.new is not None and slots.new is not None and frame.new != slots.new:
        return "scope:new" if frame.new else "scope:total"
    asked = set(frame.attributes)
    if "money" in asked:
        asked.discard("count")  # 几个亿 asks an amount
    if (
        "money" in asked
        and slots.figures
        and not slots.money
        and not frame.pinyin
        and _SUM_OF_MONEY.search(frame.canonical)
    ):
        return (
            "attribute:money"  # 有多少钱 of a fact whose figures count things (规模 may still ask its count)
        )
    if {"who", "rank"} <= asked and "name" not in slots.attributes:
        return "attribute:who"  # 谁排第一: the holder of a place, which a fact about Jinshui's own rank does not name
    if "rank" in asked:
        asked.discard("where")  # where did it rank
    if "partner" in asked:
        asked.discard("who")  # 跟谁合作 asks a partner, not a person
    if "name" in asked and frame.which >= 2 and frame.which == slots.figure_count:
        asked.discard("name")  # 哪两个 of a fact whose two figures name the two things
    for attribute in sorted(asked - slots.attributes):
        return f"attribute:{attribute}"
    return ""


def _says(slots: FactSlots, word: str) -> bool:
    if word.isascii():
        return f" {word} " in slots.text_en or f" {word}s " in slots.text_en
    return word.replace(" ", "") in slots.text


def _holds(slots: FactSlots, word: str) -> bool:
    bare = word.replace(" ", "")
    return bare in slots.asked.replace(" ", "") or any(bare in held for held in slots.held)


def _paired_only(text: str, word: str, question: str) -> bool:
    """Whether the fact names the subset ``word`` only joined to another part (「企业和个体户」, the two
    together making its subject) and the question asks it alone: 「个体户有多少」 is not that total."""
    pairs = set()
    at = text.find(word)
    while at >= 0:
        before, after = text[at - 1 : at], text[at + len(word) : at + len(word) + 1]
        if before and before in _JOINS:
            pairs.add(before + word)
        elif after and after in _JOINS:
            pairs.add(word + after)
        else:
            return False  # named on its own somewhere
        at = text.find(word, at + 1)
    return bool(pairs) and not any(pair in question for pair in pairs)


_JOINS = "和与及、跟同"


def _listed(keyword: str, answer: str) -> bool:
    """Whether ``keyword`` stands in ``answer`` as an item of a list (中钢网、拓普丰联等), not a modifier."""
    at = answer.find(keyword)
    while at >= 0:
        before, after = answer[at - 1 : at], answer[at + len(keyword) : at + len(keyword) + 1]
        if (before in ("、", "和") or after == "、") and (after == "" or after in "、等和及与，。）"):
            return True
        at = answer.find(keyword, at + 1)
    return False
