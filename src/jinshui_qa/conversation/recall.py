"""Follow-up comparisons: 「两者差多少」, 「比它多多少」, 「哪个多」 about the figures just given.

A message that asks for an operation (:func:`~jinshui_qa.conversation.comparison.operation`) but names
fewer than two things the fact base knows takes what it lacks from the session: the last two facts
answered (:attr:`Session.recent`, set by a two-part answer, a comparison, or two single answers in
a row). 「两者差多少」 (no name) compares those two; 「研发机构比它多多少」 (one name and a word that
points back: 它, 前者, it) compares the named thing with the last fact answered.
"""

from __future__ import annotations

import re

from jinshui_qa.conversation.assistant import Session
from jinshui_qa.conversation.comparison import ComparisonAsk, measure, operation
from jinshui_qa.conversation.gate import bare_threshold
from jinshui_qa.conversation.splitting import Gazetteer, prepare
from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

_REFER = lazy_re.compile(
    r"两者|二者|两个|两项|这两|俩|它们|他们|前者|后者|它|上面|刚才|以上|\b(?:both|them|the two|these|those|it|they|the difference|the gap)\b",
    re.IGNORECASE,
)
_LEADS = lazy_re.compile(
    r"(?:那么?|那)?(?:是|比|相比|较|超过|\b(?:is it|it is|how many times)\b)\s*", re.IGNORECASE
)
_CLASSIFIER = lazy_re.compile(r"(?:多少|几)(个|家|项|户|人|名)")
_BARE = (
    12  # a message this short naming nothing («差多少», «哪个多», "which is more?») asks about the last two
)


def recall(text: str, names: Gazetteer, session: Session, base: FactBase) -> tuple[ComparisonAsk, tuple[Fact | None, Fact | None]] | None:  # fmt: skip
    """The comparison ``text`` asks about figures of the session, and the facts it takes from there
    (``None`` for an operand the message names itself); ``None`` when it is not such a follow-up."""
    recent = _recent(session, base)
    prepared = prepare(text)
    found = operation(prepared) if recent else None
    if found is None or found[0] == "share_of":
        return None
    op, _ = found
    cjk = has_cjk(prepared)
    kind = "share" if op == "pp_difference" else measure(prepared)
    counted = _CLASSIFIER.search(prepared)
    word = counted.group(1) if counted else ""
    named = names.found(prepared)
    pointed = _REFER.search(prepared)
    if not named and len(recent) >= 2 and (pointed or len(prepared.rstrip("?？!！。. ")) <= _BARE):
        a, b = recent[-2], recent[-1]
        return _ask(op, (_title(a, cjk), _title(b, cjk)), kind, word), (a, b)
    lead = _LEADS.match(prepared)
    if len(named) >= 1 and not pointed and lead and op in ("difference", "ratio", "larger"):
        # 「是重点实验室的几倍」, 「比储备项目年度投资少多少」: the figure just given is the first operand
        rest = prepared[lead.end() :]
        at = operation(rest)
        said = re.sub(r"的$", "", rest[: at[1].start()] if at and at[1].start() > 0 else rest)
        own = f"{said}有多少{word}" if cjk and word else (f"{said}是多少" if cjk else f"how many {said}")
        last = (
            recent[-2] if len(recent) >= 2 and _names(recent[-1], said) else recent[-1]
        )  # 「那是高企的几倍」
        return _ask(op, (_title(last, cjk), own), kind, word), (last, None)  # after A and 高企: A is meant
    if len(named) == 1 and pointed:
        other = recent[-1]
        mine = named[0]
        own = f"{mine}有多少{word}" if cjk and word else (f"{mine}是多少" if cjk else f"how many {mine}")
        if prepared.find(mine) < pointed.start():  # 「研发机构比它多多少」: the named thing first
            return _ask(op, (own, _title(other, cjk)), kind, word), (None, other)
        return _ask(op, (_title(other, cjk), own), kind, word), (other, None)
    return None


_BOTH = lazy_re.compile(
    r"两者|二者|这两个|这两项|它们|它俩|前者|后者|\b(?:both|the two|them)\b", re.IGNORECASE
)


def without_two(text: str, names: Gazetteer, session: Session, base: FactBase) -> bool:
    """「两者差多少」 naming nothing, with fewer than two figures answered before: nothing to compare."""
    prepared = prepare(text)
    recent = _recent(session, base)
    return (
        len(recent) < 2
        and bool(_BOTH.search(prepared))
        and operation(prepared) is not None
        and not names.found(prepared)
    )


def threshold(text: str, session: Session, base: FactBase) -> tuple[ComparisonAsk, tuple[Fact | None, Fact | None]] | None:  # fmt: skip
    """「超过200个了吗」 after 233个 (a threshold naming nothing but its number): the figure just given
    against the number, or ``None`` when ``text`` is no such follow-up."""
    recent = _recent(session, base)
    said = bare_threshold(text) if recent else None
    if said is None:
        return None
    cjk = has_cjk(text)
    number = said["n"] or said["en"]
    return _ask("larger", (_title(recent[-1], cjk), number), measure(text), ""), (recent[-1], None)


def _names(fact: Fact, said: str) -> bool:
    """Whether ``said`` names ``fact`` (its subject, title or a keyword, either inside the other)."""
    words = [
        w for w in (fact.subject.zh if fact.subject else "", fact.title.zh, *fact.keywords) if len(w) >= 2
    ]
    return bool(said) and any(w in said or said in w for w in words)


def _recent(session: Session, base: FactBase) -> list[Fact]:
    """The facts last answered (at most two, oldest first) that the base still holds."""
    return [f for f in (base.get(i) for i in session.recent) if f is not None]


def _ask(op: str, operands: tuple[str, str], kind: str, word: str) -> ComparisonAsk:
    return ComparisonAsk(op, operands, kind, word, bare=operands)


def _title(fact: Fact, cjk: bool) -> str:
    said = fact.subject or fact.title
    return said.zh if cjk else said.en
