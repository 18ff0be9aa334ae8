"""Replies to a clarifying question: a number (「2」), part of an option's title (「新增的」, "the total"),
or a follow-up about the options' one subject (「储备项目」 offered its count and its investment, then
「总投资呢」).

A clarify whose options share one subject leaves that subject as the conversation's context
(:meth:`~jinshui_qa.conversation.assistant.Assistant._remember`); a follow-up is then read against each
option in turn: the one fact they lead to is answered, several are offered again, and with none the
reading in the first option's context stands. The first option alone must not decide: 「专项债」 then 「排第几」 has two
ranks (its projects' count is first in the city, its funds second).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.facts.schema import FactBase, Lang
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import fold

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
    from jinshui_qa.routing.router import Context, Router, RouteResult

_OPTION_FILLER = lazy_re.compile(r"^(?:那个|那|是|要|选)|(?:的|那个|那项|吧|呢|啊|吗)$|\s+|[?？。.!！,，]")
_CHOICE = lazy_re.compile(
    r"^(?:我?(?:选|要)|就|那就)?(?:第)?([0-9])(?:个|项|条|种)?(?:吧|呢|啊|呀|了|好了)?[。.!！]?$"
    r"|^(?:option|number|no\.?|#)\s*([0-9])$|^(?:the )?(first|second|third)(?: one)?$"
)
_ORDINALS = {"first": "1", "second": "2", "third": "3"}


def _number(text: str, pending: tuple[str, ...]) -> int | None:
    """The number a reply to a clarifying question picks (「2」, 「第二个吧」, "the second one"), in range
    or not; None when the reply is no number."""
    choice = _CHOICE.match(fold(text).strip()) if pending else None
    if choice is None:
        return None
    said = choice.group(1) or choice.group(2) or _ORDINALS[choice.group(3)]
    return int(said)


def numbered(text: str, pending: tuple[str, ...]) -> str | None:
    """The option a reply picks by its number (「2」, 「第2个」, 「第二个吧」), or None."""
    n = _number(text, pending)
    return pending[n - 1] if n is not None and 1 <= n <= len(pending) else None


_ALL = lazy_re.compile(
    r"^(?:我)?(?:[23两三][个项]|全部|所有的?|全)?(?:都|全都)(?:要|想知道|想要|看看|看一下|说说|说一下|告诉我|问)(?:吧|呢|啊|呀|了)?[。.!！]?$"
    r"|^(?:全部|所有的?|都是)(?:吧|呢)?$|^(?:both|all|all of them|both of them|both please|all please|all three|each)[.!]?$"
)

_ALL_WORDS = ("都", "全部", "所有", "both", "all", "each")


def all_of(text: str) -> bool:
    """Whether a reply asks for every option offered (「两个都要」, "both"); said with no choice pending,
    it asks nothing and is not read by its characters (两个 -> 个个都是“金小二”)."""
    folded = fold(text).strip()
    if not any(word in folded for word in _ALL_WORDS):  # each branch of _ALL holds one (not compiled)
        return False
    return bool(_ALL.match(folded))


def out_of_range(text: str, pending: tuple[str, ...]) -> bool:
    """Whether a reply picks a number no option has (「3」 of two options): asked again, not guessed at."""
    n = _number(text, pending)
    return n is not None and not 1 <= n <= len(pending)


def named(base: FactBase, text: str, pending: tuple[str, ...]) -> str | None:
    """The one pending option whose title contains a short reply to a clarifying question («新增的»,
    "the total"), or None: a reply naming no option, or several, is read as a new question."""
    words = _OPTION_FILLER.sub("", fold(text)) if pending else ""
    if not 2 <= len(words) <= 8:
        return None
    found = [fact_id for fact_id in pending
             if (fact := base.get(fact_id)) is not None
             and any(words in fold(title) for title in (fact.title.zh, fact.title.en))]  # fmt: skip
    return found[0] if len(found) == 1 else None


def among(
    router: Router, text: str, pending: tuple[str, ...], context: Context | None, whole: bool
) -> RouteResult:
    """``text`` routed in ``context``; when that context is the first of pending options of one
    subject (see the module docstring), routed against each option, and the facts they lead to decide."""
    first = router.route(text, context, whole=whole)
    if context is None or len(pending) < 2 or context.fact_id != pending[0]:
        return first
    results = [first, *(router.route(text, replace(context, fact_id=p), whole=whole) for p in pending[1:])]
    answered = [r for r in results if r.status == "answer" and r.followup and r.fact_id]
    frame = router.frames.read(router.analyse(text)[1])
    why = {r.fact_id: router.check(frame, router.position[r.fact_id]) for r in answered if r.fact_id}
    if answered and all(why.values()):  # 「新增的」 of totals only: what the report lacks, said
        from jinshui_qa.routing.router import RouteResult

        fact_id = next(iter(why))
        return RouteResult(
            "fallback", first.lang, first.score, reason=why[fact_id], followup=True, vetoed=fact_id
        )
    answered = [r for r in answered if r.fact_id and not why[r.fact_id]]
    facts = list(dict.fromkeys(r.fact_id for r in answered if r.fact_id))
    if len(facts) == 1:
        return answered[0]
    if len(facts) >= 2:
        from jinshui_qa.routing.router import RouteResult
        from jinshui_qa.routing.scoring import Candidate

        options = tuple(Candidate(f, r.score) for f, r in zip(facts, answered, strict=False))
        return RouteResult("clarify", first.lang, max(r.score for r in answered), options=options[:3])
    return first


def _lang(session: Session) -> Lang:
    return session.pending_lang or session.lang or (session.context.lang if session.context else "zh")


def every_option(assistant: Assistant, question: str, session: Session, now: float) -> Reply:
    """「两个都要」, "both": each option pending answered, numbered in one reply."""
    from jinshui_qa.conversation.parts import CompoundReply, Part  # imports the assistant's module

    lang, base = _lang(session), assistant.base
    ids = [p for p in session.pending if base.get(p)]
    said = [assistant.answer_fact(p, session, now, question=question, lang=lang) for p in ids]
    text = "\n\n".join(f"{n}. {r.text}" for n, r in enumerate(said, 1))
    parts = tuple(Part(base.fact(p).title.get(lang), "answer", p) for p in ids)
    return CompoundReply(question, "answer", text, lang, 100.0, parts=parts)


def offered_again(base: FactBase, question: str, session: Session) -> Reply:
    """「3」 when two options were offered: the options again, with how many there are."""
    from jinshui_qa.conversation import replies
    from jinshui_qa.conversation.assistant import Option, Reply

    lang = _lang(session)
    options = tuple(Option(p, f.title.get(lang)) for p in session.pending if (f := base.get(p)))
    n = len(options)
    note = (
        f"只有{n}个选项，请回复1到{n}之间的序号。"
        if lang == "zh"
        else f"There are only {n} options: reply 1 to {n}."
    )
    text = note + "\n" + replies.clarify_text([o.title for o in options], lang)
    return Reply(question, "clarify", text, lang, 100.0, options=options, reason="out_of_range")
