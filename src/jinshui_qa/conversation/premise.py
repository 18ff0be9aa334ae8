"""A message that states a figure and then asks something else: the asking clause is the question.

「科技型企业占全市20%，那郑州全市有多少家？」 says what the user already knows (the premise: a clause that
states a figure and asks nothing) and then asks (a last clause opened by 那/那么/所以, "so" or "then",
or ending with a question mark). Read whole, the premise names the fact it restates and would be
answered instead of the question. :func:`split` finds the two; :func:`reply` reads the premise as the
conversation's context (what a follow-up refers to) and answers the asking clause as a follow-up of it:
「那郑州全市有多少家」 then falls back honestly on the city's total, 「那高企呢」 answers 高新技术企业.

A figure asked about by its value alone (「19.2万人是什么」) is looked up first (:mod:`.figure_named`).

A question that checks the premise itself (「…，对吗？」) or works on several figures (一共, 差多少, 比)
is not split: the other readers answer it as before.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import figure_named
from jinshui_qa.conversation.gate import CLAUSE_ENDS as _ENDS  # what ends a clause
from jinshui_qa.conversation.gate import may_be_compound
from jinshui_qa.facts.schema import Fact, Lang
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import to_simplified
from jinshui_qa.text.numerals import arabic_numerals

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session

_CLAUSE = lazy_re.compile(r"([^。！？!?；;，,：:\n]+)([。！？!?；;，,：:\n]*)")
_FIGURE = lazy_re.compile(
    r"\d|百分之|[零〇一二两三四五六七八九十百千万]+[多余]?(?:家|个|人|名|位|项|亿|万|成)"
)  # a figure stated: 2058家, 20%, 两千家, 七百多家, 百分之二十
_ASKS = lazy_re.compile(
    r"多少|几|啥|什么|哪|谁|怎|吗|么$|呢|如何|是否|是不是|有没有|对不对|"
    r"\b(?:how|what|which|who|when|where|why|is it|are there|does|do)\b",
    re.IGNORECASE,
)
_TURN = lazy_re.compile(
    r"^(?:那|所以|因此|然后)|^(?:so|then|and so|and then)\b", re.IGNORECASE
)  # 那么, 那请问
# The premise itself asked about, or several figures worked on: not a question of its own.
_CHECKS = lazy_re.compile(
    r"对吗|对么|对不对|是吗|是真的|真的吗|没错吧|准确吗|属实|靠谱吗|是不是真|"
    r"一共|总共|合计|加起来|相加|差多少|相差|差距|(?<!占)比(?![例重率])|倍|平均|两者|二者|哪个|\b(?:right|true|correct)\b",
    re.IGNORECASE,
)
_MAX_PREMISES = 2
_HEARSAY = lazy_re.compile(
    r"(?:我|我们)?(?:听说|据说|听[\u4e00-\u9fff]{1,4}?说|看到|看新闻说|看报道说|新闻说|报道说|网上说|有人说|朋友说)"
    r"|(?:i|we)\s+(?:heard|read|was told)\b|(?:someone|people)\s+(?:said|told me)\b",
    re.IGNORECASE,
)
HEARSAY = _HEARSAY  # also read by :mod:`.claims`


def split(text: str) -> tuple[str, str] | None:
    """(premise, question) of a message that states a figure and then asks (see the module docstring),
    or ``None``."""
    if not any(ch in _ENDS for ch in text.strip(_ENDS + " ")):  # one clause: nothing compiled
        return None
    parts = [(m[1].strip(), m[2]) for m in _CLAUSE.finditer(text) if m[1].strip()]
    if not 2 <= len(parts) <= _MAX_PREMISES + 1:
        return None
    *premises, (question, end) = parts
    from jinshui_qa.conversation import claims

    premises = [(c, e) for c, e in premises if not claims.only_checks(c)]  # 「…，是真的吗？总投资多少」
    if not premises or any(_ASKS.search(c) or "?" in e or "？" in e for c, e in premises):
        return None  # an earlier clause asks too: a message of two questions
    if not any(_FIGURE.search(c) for c, _ in premises) or not _ASKS.search(question):
        return None
    heard = _HEARSAY.match(
        to_simplified(premises[0][0])
    )  # 「听说A有300个，总投资多少」: said as hearsay, a premise; so is 「A有300个，总投资多少」 said plainly
    plain = all(claims.stating(c) for c, _ in premises) and not re.match(
        r"占|比|是|为|相当于|的|其中|这", question
    )
    # 「新开项目123个，占重点项目的比例是多少」: a question of the figure said, read whole
    if not (_TURN.search(question) or "?" in end or "？" in end or heard or plain) or _CHECKS.search(
        question
    ):
        return None
    return "，".join(c for c, _ in premises), question + end.strip()


def reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The asking clause answered as a follow-up of the premise, shown as the message typed; ``None``
    when the message is not of this kind or the premise names nothing the facts hold."""
    if (named := figure_named.reply(assistant, text, session, now)) is not None:  # 「19.2万人是什么」
        return named
    from jinshui_qa.conversation import claims

    reread = claims.heard_as(text)  # 「我朋友说…」 is hearsay; 「高企有1000家，是真的吗」 a check of it
    if reread != text or (reread := claims.as_check(text) or text) != text:
        return replace(assistant.reply(reread, session, now), question=text)
    found = split(text)
    if found is None:
        return None
    premise, question = found
    scratch = replace(session)
    heard = _HEARSAY.match(to_simplified(premise))  # 「听人说」 is who said it, not what: not routed
    stated = assistant.reply_one(premise[heard.end() :] if heard else premise, scratch, now, whole=True)
    if stated.status == "clarify":  # "there are 300 key projects": the option whose figure of that kind
        kind = next((f for o in stated.options if (f := assistant.base.get(o.fact_id)) is not None
                     and _contradicted(f, premise, stated.lang)), None)  # it contradicts  # fmt: skip
        if kind is not None:
            scratch = replace(session)
            stated = assistant.answer_fact(kind.id, scratch, now, question=premise, lang=stated.lang)
    if stated.status != "answer":
        return None  # nothing known to refer to: the message is read whole, as before
    said = assistant.reply(question, scratch, now)
    if may_be_compound(question):  # 「那总投资和年度计划投资各是多少」: the whole may name its parts better
        whole = assistant.reply(text, replace(session), now, premised=False)
        if stated.fact_id not in _answered(whole) and len(set(_answered(whole))) > len(set(_answered(said))):
            return None  # read whole, it answers more, and not with the premise's own fact
    session.adopt(scratch)
    fact = assistant.base.get(stated.fact_id) if stated.fact_id else None
    note = _contradicted(fact, premise, said.lang) if fact is not None else ""
    if note is None and fact is not None and fact.subject is not None:  # 300个 of 重点项目's total: its count
        same = [
            f for f in map(assistant.base.get, fact.related) if f is not None and f.subject == fact.subject
        ]
        note = next((n for f in same if (n := _contradicted(f, premise, said.lang)) is not None), "")
    return replace(said, question=text, text=f"{note}\n{said.text}" if note else said.text)


_STATED = lazy_re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?\s*(?:多|余|来)?\s*(%|％|亿元|万元|元|家|个|户|人|名|项|位|(?<=亿))"
)  # a figure the premise states with its unit: 300个, 20%, 3000家 (a bare number may be anything)
_SCALE = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}
_OTHER_WHOLE = lazy_re.compile(r"全市|全省|全国|郑州|河南|其他区|别的区")


def _contradicted(fact: Fact, premise: str, lang: Lang) -> str | None:
    """A note when the premise states, in the unit of a figure of the fact it names, a value the fact does
    not (「我听说重点项目有300个」 of 233个): the report's figure, so the answer does not seem to agree; ``""``
    when it agrees or may be of another whole (a count said of 全市); ``None`` when the fact has no
    figure of the kind stated."""
    if premise.isascii():  # "I heard Jinshui has 3000 tech enterprises"
        return _contradicted_en(fact, premise)
    compared = False
    for m in _STATED.finditer(arabic_numerals(to_simplified(premise))):  # 300個 is 300个
        number, unit = Decimal(m[1]), m[3]
        if unit in ("%", "％"):
            shares = [f.share for f in fact.figures if f.share and re.search(r"\d", f.share)]
            compared = compared or bool(shares)
            if shares and not any(re.search(rf"(?<![\d.]){re.escape(m[1])}(?:\.0+)?%", x) for x in shares):
                return _note(f"{shares[0]}", f"{m[1]}%", lang)
            continue
        if _OTHER_WHOLE.search(premise):
            continue
        value = number * _SCALE.get(m[2] or "", Decimal(1)) * (Decimal(10) ** 8 if unit == "亿元" else 1)
        value = value * (Decimal(10) ** 4 if unit == "万元" else 1)
        money = "元" in unit or not unit  # 4000亿: nothing here is counted in 亿 but money
        same = [q for q in map(ar.quantity, fact.figures) if q is not None and (q.kind == "money") == money
                and q.kind not in ("rank", "day", "share")]  # fmt: skip
        compared = compared or bool(same)
        if same and not any(q.value == value for q in same) and not any(q.approximate for q in same):
            return _note(same[0].shown(), m[0].strip(), lang)
    return "" if compared else None


_STATED_EN = lazy_re.compile(
    r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*(billion|million)?\s*(yuan|%|percent)?(?=\s+[a-z]|\s*$|[\s,.])", re.I
)


def _contradicted_en(fact: Fact, premise: str) -> str:
    """:func:`_contradicted` of an English premise: a number with billion/yuan is money, % a share, a
    number before a word a count; a year alone (2022) is no figure."""
    from jinshui_qa.conversation.compare_texts import en_amount

    for m in _STATED_EN.finditer(premise):
        said, scale, unit = m[1].replace(",", ""), (m[2] or "").lower(), (m[3] or "").lower()
        if unit in ("%", "percent") or (not scale and not unit and re.fullmatch(r"(?:19|20)\d\d", said)):
            continue
        value = Decimal(said) * {"billion": Decimal(10) ** 9, "million": Decimal(10) ** 6}.get(
            scale, Decimal(1)
        )
        money = bool(scale or unit)
        same = [q for q in map(ar.quantity, fact.figures) if q is not None and (q.kind == "money") == money
                and q.kind not in ("rank", "day", "share")]  # fmt: skip
        if same and not any(q.value == value for q in same) and not any(q.approximate for q in same):
            return _note(en_amount(same[0].value, same[0].base), m[0].strip(), "en")
    return ""


def _note(reported: str, said: str, lang: Lang) -> str:
    if lang == "en":
        return f"Note: the report gives {reported}, not {said}."
    return f"提醒：报道说的是{reported}，不是{said}。"


def _answered(reply: Reply) -> list[str | None]:
    """The facts a reply answers with: each answered part's, or its own."""
    parts = getattr(reply, "parts", None)
    if parts is not None:
        return [p.fact_id for p in parts if p.status == "answer"]
    return [reply.fact_id] if reply.status == "answer" else []
