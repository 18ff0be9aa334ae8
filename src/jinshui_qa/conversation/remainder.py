"""「X里除了Y还有多少」: what is left of a total once a part of it is taken away, computed X − Y.

:func:`read` finds the total and the part said (Chinese 除了/除去/扣除/刨去 … 还有/还剩/其余, English
"apart from / besides / except / other than / excluding Y, how many X"); :func:`reply` routes both as
questions of their own and computes the difference (:func:`jinshui_qa.conversation.computing.compare`)
only when the report says the part is part of the total (the part's own words name the total's
subject: 「重点项目里，新开项目有123个」). Otherwise both figures are listed and the reply says the
report does not say one is part of the other; a part the report has no figure for is named as missing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.conversation import render
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.comparison import ComparisonAsk, measure
from jinshui_qa.conversation.computing import compare
from jinshui_qa.conversation.parts import CompoundReply
from jinshui_qa.conversation.splitting import Gazetteer, prepare
from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import fold, has_cjk

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_ZH = lazy_re.compile(
    r"^(?P<a>.+?)(?:里面|里头|里|当中|之中|中)?的?(?:除了|除去|除开|扣除|扣掉|刨去|刨除|去掉)(?P<b>.+?)"
    r"(?:以外|之外|外)?[，,]?(?:还有|还剩|剩下|剩余|其余|其他|别的)"
    r"|^(?:除了|除去|除开)(?P<b2>.+?)(?:以外|之外|外)?[，,](?P<a2>.+?)(?:里面|里|当中|中)?(?:还有|还剩|剩下|其余|其他)"
)
_EN = lazy_re.compile(
    r"(?:apart from|besides|except(?: for)?|other than|excluding|not counting|leaving out)\s+(?:the\s+)?"
    r"(?P<b>[^,?]+?)\s*,?\s*how many (?:of\s+)?(?:the\s+)?(?P<a>[^,?]+?)"
    r"(?:\s+(?:are|is|were|remain|remained|left|does|do|are there)\b.*)?[?.!]*$"
    r"|how many (?:of\s+)?(?:the\s+)?(?P<a2>[^,?]+?)\s+(?:are|were)\s+(?:there\s+)?(?:left\s+)?"
    r"(?:apart from|besides|except(?: for)?|other than|excluding|not counting)\s+(?:the\s+)?(?P<b2>[^,?]+?)[?.!]*$",
    re.IGNORECASE,
)
_BARE = lazy_re.compile(r"^(?:请问|金水区的?|金水的?|贵区的?)+|[的，,\s]+$")
_SAYS = {
    "zh": "报道没有说{b}是{a}的一部分，所以我不用{a}减去{b}。",
    "en": "The report does not say {b} are part of {a}, so I don't subtract one from the other.",
}


def read(text: str, names: Gazetteer) -> ComparisonAsk | None:
    """The total and the part a 「X里除了Y还有多少」 message names, as a difference to compute, or None."""
    text = prepare(text)
    cjk = has_cjk(text)
    m = _ZH.search(text) if cjk else _EN.search(text)
    if m is None:
        return None
    a, b = (m["a"], m["b"]) if m["a"] else (m["a2"], m["b2"])
    a, b = _BARE.sub("", a.strip()), _BARE.sub("", b.strip())
    subject = names.subject_in(a)
    if not a or not b or not subject:
        return None
    if not names.subject_in(b):  # 「重点项目里除了新开的还有多少」: the part is said of the total
        b = f"{subject}里{b}" if cjk else f"{b} {subject}"
    kind = measure(text)
    word = m2.group(1) if (m2 := re.search(r"(?:多少|几)(个|家|项|户|人|名)", text)) else ""
    ask = ComparisonAsk(
        "difference", (_question(a, cjk, word), _question(b, cjk, word)), kind, word, bare=(a, b)
    )
    return ask


def _question(operand: str, cjk: bool, word: str) -> str:
    return (f"{operand}有多少{word}" if word else f"{operand}是多少") if cjk else f"how many {operand}"


def part_of(part: Fact, total: Fact) -> bool:
    """Whether the report says ``part`` is counted within ``total``: the part's answer or the words of
    its figures place it in the total's subject (「重点项目里，新开项目…」, 「重点项目中的新开项目」)."""
    if total.subject is None or part.id == total.id:
        return False
    said = fold(" ".join([part.answer.zh, *(f.counts for f in part.figures)]))
    within = re.escape(fold(total.subject.zh)) + r"(?:里|中|当中|之中)的?[，,]?|其中"
    return re.search(within, said) is not None


def reply(assistant: Assistant, text: str, ask: ComparisonAsk, session: Session, now: float) -> Reply | None:
    """The computed remainder, or both figures with why it is not computed (see the module docstring)."""
    scratch = replace(session)
    said = compare(assistant, text, ask, scratch, now)
    if not isinstance(said, CompoundReply):
        return said
    ids = [p.fact_id for p in said.parts]
    base: FactBase = assistant.base
    total, piece = (base.get(i) if i else None for i in ids)
    if total is not None and piece is not None and not part_of(piece, total):
        lang = said.lang
        lines = "\n".join(render.line(render.name(f, None, lang), None, f, lang) for f in (total, piece))
        why = _SAYS[lang].format(a=total.title.get(lang), b=piece.title.get(lang))
        source = render.sources(base, [total, piece], lang)
        said = replace(said, status="fallback", text=f"{lines}\n{why}\n\n{source}", reason="incomparable:not_part",
                       computed=None)  # fmt: skip
    session.adopt(scratch)
    return said
