"""Comparisons and totals in a message: each operand answered as a question of its own, then the
arithmetic (:mod:`.render`, :mod:`.summation`) over the facts that answer them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import estimates, literals, render, summation, thresholds
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.comparison import ComparisonAsk, question
from jinshui_qa.conversation.parts import CompoundReply, Part, commit, each, part, shown
from jinshui_qa.conversation.splitting import prepare
from jinshui_qa.facts.schema import Fact, Lang
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

_OF = lazy_re.compile(r"^(?:the |their |its )?([a-z][\w&' -]*?) of (?:the )?([a-z][\w&' -]*)$", re.IGNORECASE)

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant


_DATED = lazy_re.compile(
    r"(?:\b(?:in|of|during|for|since|by|year)\s+|\b[QH][1-4]\s*)\x00|(?<!\d)(?:19|20)\d\d(?!\d)",
    re.IGNORECASE,
)  # "than in 2021"; "in 2022 vs 2021": a year said elsewhere makes the bare one a year too


def _numbers(text: str, ask: ComparisonAsk) -> list[tuple[Decimal, bool] | None]:
    """The operands that are bare numbers; a four-digit one against a thing ("more than 2000") is a
    number, not a year, unless the message dates it ("than in 2021") or says another year ("2022 vs 2021")."""
    numbers = [literals.bare_number(said) for said in ask.bare]
    if ask.op not in ("larger", "difference") or numbers != [None, None]:
        return numbers
    loose = [None if not said or _DATED.search(text.replace(said, "\x00", 1)) else literals.bare_number(said, years=True)
             for said in ask.bare]  # fmt: skip
    return loose if (loose[0] is None) != (loose[1] is None) else numbers


_YEAR = lazy_re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _year_of_the_other(ask: ComparisonAsk) -> ComparisonAsk:
    """``ask`` with an operand that is only a year ("in 2022 vs 2021") asked as the other operand in that
    year ("high-tech firms in 2021"): a year alone names no thing, and read alone it found the one fact
    dated so (new market entities in 2021)."""
    from dataclasses import replace

    for n in (0, 1):
        said, other = ask.bare[n].strip(), ask.bare[1 - n]
        m = _YEAR.search(ask.operands[1 - n]) if other and _YEAR.fullmatch(said.rstrip("年")) else None
        if m is not None:
            operands, bare = list(ask.operands), list(ask.bare)
            operands[n] = ask.operands[1 - n].replace(m.group(), said.rstrip("年"))
            bare[n] = other.replace(m.group(), said.rstrip("年"))
            return replace(ask, operands=(operands[0], operands[1]), bare=(bare[0], bare[1]))
    return ask


def compare(
    assistant: Assistant, text: str, ask: ComparisonAsk, session: Session, now: float,
    given: tuple[Fact | None, Fact | None] = (None, None),
) -> Reply | None:  # fmt: skip
    """Compare the two operands of ``ask``; ``given``: a fact already chosen for an operand (a
    follow-up's 「它」), answered directly instead of routing the operand's question."""
    if ask.more:
        return total(assistant, text, ask, session, now)
    lang: Lang = "zh" if has_cjk(text) else "en"
    numbers = _numbers(text, ask)
    ask = _year_of_the_other(ask) if numbers == [None, None] else ask
    if ask.op in ("larger", "difference") and (numbers[0] is None) != (numbers[1] is None):
        return thresholds.reply(assistant, text, ask, numbers, session, now, given)  # 「…超过200亿了吗」
    given = tuple(g or (literals.fact_stating(assistant.base, said) if said else None)
                  for g, said in zip(given, ask.bare, strict=True))  # type: ignore[assignment]  # fmt: skip
    asked = [o for o, f in zip(ask.operands, given, strict=True) if f is None]
    routed, scratch = each(assistant, asked, session, now)
    answers = [assistant.answer_fact(f.id, Session(lang=lang), now, question=o, lang=lang) if f else routed.pop(0)
               for o, f in zip(ask.operands, given, strict=True)]  # fmt: skip
    for n, said in enumerate(ask.bare):  # the operand as said, when the question built from it fails
        for again_text in (said, _OF.sub(r"\2 \1", said)) if said and given[n] is None else ():
            if (
                answers[n].status != "answer"
            ):  # then «investment of key projects» as «key projects investment»
                again = assistant.reply_one(
                    again_text, Session(lang=session.lang, reply_lang=session.reply_lang), now
                )
                answers[n] = (
                    again if again.status == "answer" or answers[n].status == "fallback" else answers[n]
                )
    base = assistant.base
    facts = [base.get(r.fact_id) if r.status == "answer" and r.fact_id else None for r in answers]
    facts = [
        f or render.choose(base, r, ask.measure, strict=True) for f, r in zip(facts, answers, strict=True)
    ]
    if (facts[0] is None) != (facts[1] is None):  # the other side's kind picks among a clarify's options
        known = render.kind_of(facts[0] or facts[1], ask)
        facts = [f or (render.choose(base, r, known, strict=True) if ask.percent else None) or render.choose(base, r, known)
                 for f, r in zip(facts, answers, strict=True)]  # fmt: skip
    elif facts[0] is None:
        facts = [render.choose(base, r, "count") for r in answers]
    if facts[0] is None and facts[1] is None:  # neither is known: each said in its place, nothing computed
        commit(session, scratch)
        lang_ = answers[0].lang
        return CompoundReply(shown(text), "fallback", render.parts_text(base, answers, lang_), lang_,
                             min(r.score for r in answers), reason="missing_operands",
                             parts=tuple(part(base, r) for r in answers))  # fmt: skip
    lang = answers[0].lang
    if (per := _per_item(assistant, text, ask, facts, session, now)) is not None:  # 总投资除以项目数
        return per
    frame = ar.frame_named(prepare(text))
    if frame and ask.measure != "share" and ask.op != "pp_difference" and not ask.percent:
        # 「全市一共多少」: a total at another scope is never a sum of Jinshui's own figures
        commit(session, scratch, [f.id if f else None for f in facts])
        said = estimates.scope_text(base, [f for f in facts if f], frame, lang)
        return CompoundReply(shown(text), "fallback", said, lang, min(r.score for r in answers),
                             reason=f"scope:{frame}", parts=tuple(part(base, r) for r in answers))  # fmt: skip
    outcome = render.comparison(base, facts[0], facts[1], ask, lang)
    commit(session, scratch, [f.id if f else None for f in facts])
    parts = tuple(
        Part(r.question, "answer" if f else "fallback", f.id if f else None, figure, render.period(f, lang) if f else None,
             "" if f else (r.reason or "no_match"))
        for r, f, figure in zip(answers, facts, outcome.figures, strict=True)
    )  # fmt: skip
    return CompoundReply(shown(text), outcome.status, outcome.text, lang, min(r.score for r in answers),
                         reason=outcome.reason, source=outcome.source, parts=parts,
                         computed=outcome.computed)  # fmt: skip


def total(assistant: Assistant, text: str, ask: ComparisonAsk, session: Session, now: float) -> Reply:
    """A sum over three or more things (「A、B、C和D一共多少家」), see :mod:`.summation`."""
    named = [*ask.bare, *ask.more]
    answers, scratch = each(assistant, [*ask.operands, *(question(m, ask) for m in ask.more)], session, now)
    base, lang = assistant.base, answers[0].lang
    facts = [base.get(r.fact_id) if r.status == "answer" and r.fact_id else render.choose(base, r, ask.measure)
             for r in answers]  # fmt: skip
    outcome = summation.outcome(base, facts, named, ask.measure, ask.unit, lang)
    commit(session, scratch, [f.id if f else None for f in facts])
    parts = tuple(Part(r.question, "answer" if f else "fallback", f.id if f else None,
                       render.figure_text(f.figures[0]) if f and f.figures else None,
                       render.period(f, lang) if f else None, "" if f else (r.reason or "no_match"))
                  for r, f in zip(answers, facts, strict=True))  # fmt: skip
    return CompoundReply(shown(text), outcome.status, outcome.text, lang, min(r.score for r in answers),
                         reason=outcome.reason, source=outcome.source, parts=parts, computed=outcome.computed)  # fmt: skip


def _per_item(assistant: Assistant, text: str, ask: ComparisonAsk, facts: list[Fact | None], session: Session,
              now: float) -> Reply | None:  # fmt: skip
    """「重点项目总投资除以重点项目数」: an amount divided by the count of the same subject is its average per
    item (:mod:`.derived`), not two kinds that cannot be combined; ``None`` for any other division."""
    a, b = facts
    if (
        ask.op != "ratio"
        or ask.percent
        or a is None
        or b is None
        or a.subject is None
        or a.subject != b.subject
    ):
        return None
    if (render.kind_of(a, ask), render.kind_of(b, ask)) != ("money", "count"):
        return None
    from dataclasses import replace

    from jinshui_qa.conversation import derived

    cjk = has_cjk(text)
    asked = f"{a.subject.zh}平均每个投资多少" if cjk else f"average investment per {a.subject.en}"
    per = derived.reply(assistant, asked, session, now)
    return replace(per, question=shown(text)) if per is not None and per.status == "answer" else None
