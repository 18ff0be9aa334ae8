"""Yes/no questions of a figure against a number the user gives: 「新签约项目计划投资超过200亿了吗」.

The operand that is not a number is answered as a question of its own; its figure is compared with
the number (:func:`jinshui_qa.conversation.literals.threshold`), and the reply says yes or no with
the figure, its period and the report's own wording (「突破200亿」), or that the wording cannot settle it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import literals, render
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.comparison import ComparisonAsk
from jinshui_qa.conversation.parts import CompoundReply, Part, commit, each, shown
from jinshui_qa.facts.schema import Fact, Lang
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_BELOW = lazy_re.compile(
    r"少于|低于|不到|不足|没到|没有到|未到|比[^，,。？?]{1,20}?(?<!多)(?:少|低|小)(?!于)|\b(?:less|fewer|lower|below|under)\b",
    re.IGNORECASE,
)  # 「高企比800家少吗」 asks below too; 「比2000家多多少」 does not
_VERDICTS = {
    "yes": ("是的，超过了。", "Yes, it is above that."),
    "no": ("没有超过。", "No, it is not above that."),
    "equal": ("正好是这个数，没有超过。", "It is exactly that number, not above it."),
    "unknown": (
        "报道只给出了约数，不能确定是否超过。",
        "The report gives only an approximate figure, so I can't tell.",
    ),
}
_BELOW_VERDICTS = {
    "yes": ("是的，低于这个数。", "Yes, it is below that."),
    "no": ("没有，不低于这个数。", "No, it is not below that."),
    "equal": ("正好是这个数，不低于它。", "It is exactly that number, not below it."),
    "unknown": (
        "报道只给出了约数，不能确定是否低于。",
        "The report gives only an approximate figure, so I can't tell.",
    ),
}


def reply(assistant: Assistant, text: str, ask: ComparisonAsk,
          numbers: list[tuple[Decimal, bool] | None], session: Session, now: float,
          given: tuple[Fact | None, Fact | None] = (None, None)) -> Reply:  # fmt: skip
    """Whether the one operand's figure is above (or below) the number the other operand is; ``given``:
    the operand's fact when a follow-up names none (「超过200个了吗」 after the count of key projects)."""
    n = 0 if numbers[0] is None else 1
    number = numbers[1 - n]
    assert number is not None
    if (known := given[n]) is not None:
        lang_said: Lang = "zh" if has_cjk(text) else "en"  # "more than 200?" after a Chinese answer: English
        scratch = Session(lang=lang_said)
        answer = assistant.answer_fact(known.id, scratch, now, question=ask.operands[n], lang=lang_said)
    else:
        answers, scratch = each(assistant, [ask.operands[n]], session, now)
        answer = answers[0]
    base = assistant.base
    fact = base.get(answer.fact_id) if answer.status == "answer" and answer.fact_id else None
    number_said = _said_number(ask.operands[1 - n])
    kind = _kind_said(number_said)
    fact = (
        fact
        or render.choose(base, answer, kind, strict=True)
        or render.choose(base, answer, ask.measure or "money")
    )
    lang = answer.lang
    if (
        fact is None and answer.status == "clarify"
    ):  # 「市场主体超过20万了吗」: which of them, asked as a choice
        session.context, session.pending = scratch.context, tuple(o.fact_id for o in answer.options)
        session.pending_lang = lang  # 「2」 is answered in the language the choice was offered in
        session.pending_ask = text  # and 「2」 is this question about the option picked (pending_work)
        return replace(answer, question=shown(text))
    found = (
        [q for q in render.candidates(fact, ask.measure, "", ask.operands[n]) if q.kind != "share"]
        if fact
        else []
    )
    if fact is not None and kind and found and not any(_fits(q, kind) for q in found):
        related = [(f, q) for f in map(base.get, fact.related) if f is not None  # 千企万户's loans: 5000多家
                   for q in render.candidates(f, "", "", ask.operands[n]) if _fits(q, kind)]  # fmt: skip
        owners = list(dict.fromkeys(f.id for f, _ in related))
        if (
            len(owners) >= 2
        ):  # 「重点项目超过200亿了吗」: its total or its annual investment, asked as a choice
            from jinshui_qa.conversation.pending_work import offer

            return offer(base, text, owners, lang, session, scratch)
        fact, found = (related[0][0], [related[0][1]]) if owners else (fact, [])
    found = [q for q in found if not kind or _fits(q, kind)]  # 5000家 is never compared with 200亿元
    if fact is not None and not found and kind:  # the number is of another kind than every figure known
        commit(session, scratch)
        zh = f"报道里没有{_subject(fact, 'zh')}可以和“{number_said}”比较的{_KINDS[kind][0]}数字，没法判断。"
        en = f"The report has no {_KINDS[kind][1]} for {_subject(fact, 'en')} to compare with {number_said}."
        return CompoundReply(shown(text), "fallback", zh if answer.lang == "zh" else en, answer.lang, 0.0,
                             reason="incomparable:kinds", parts=(Part(answer.question, "fallback", None),))  # fmt: skip
    if fact is None or not found:
        commit(session, scratch)
        head = answer.text.split("\n", 1)[0]
        return CompoundReply(shown(text), "fallback", head, lang, answer.score, reason=answer.reason or "no_match",
                             parts=(Part(answer.question, answer.status, None, reason=answer.reason),))  # fmt: skip
    below = bool(_BELOW.search(text))
    said = literals.threshold(found[0], number[0], number[1], below)
    zh, en = (_BELOW_VERDICTS if below else _VERDICTS)[said.verdict]
    line = render.line(render.name(fact, found[0], lang), found[0], fact, lang)
    source = render.sources(base, [fact], lang)
    commit(session, scratch, [fact.id])
    status = "answer" if said.verdict != "unknown" else "partial"
    return CompoundReply(shown(text), status, "\n".join([zh if lang == "zh" else en, line, "", source]), lang,
                         answer.score, fact_id=fact.id, source=source,
                         parts=(Part(answer.question, "answer", fact.id, found[0].shown(), render.period(fact, lang)),))  # fmt: skip


_NUMBER_SAID = lazy_re.compile(
    r"\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:亿元|万元|元|家|户|个|项|人|名)?|\d[\d,.]*\s*(?:billion|million)?\s*(?:yuan)?",
    re.IGNORECASE,
)


def _said_number(operand: str) -> str:
    """The number of an operand as the user wrote it (「200亿了吗是多少」 -> 200亿)."""
    m = _NUMBER_SAID.search(operand)
    return m.group(0).strip() if m else operand.strip()


_UNIT_SAID = lazy_re.compile(
    r"(\d|[十百千万亿])\s*(?:万|亿)?\s*(?P<unit>亿元|万元|元|家|户|个|项|人|名|yuan)"
)


def _kind_said(number: str) -> str:
    """The kind of a number as the user wrote it: 5000家 a count, 200亿元 and 200亿 money (nothing here is
    counted in 亿), 28.4万 unknown (``""``)."""
    m = _UNIT_SAID.search(number)
    if m is None:
        return "money" if re.search(r"\d\s*亿|billion", number, re.IGNORECASE) else ""
    return "money" if "元" in m["unit"] or m["unit"] == "yuan" else "count"


def _subject(fact: Fact, lang: Lang) -> str:
    return (fact.subject or fact.title).get(lang)


_KINDS = {"money": ("金额", "amount"), "count": ("数量", "count")}


def _fits(q: ar.Quantity, kind: str) -> bool:
    return (q.kind == "money") == (kind == "money")
