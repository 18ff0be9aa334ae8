"""The computation :mod:`.scalar` reads, done on the report's figure and shown in the open.

The figure worked on is stated with its period, then the computation (「723家 × 2 = 1446家」, 「2058家 −
2000家 = 58家」) and that the assistant computed it, not the report; a number of another kind than every
figure of the thing (「重点项目加100家」 of amounts) is said to be so, nothing computed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import render
from jinshui_qa.conversation.compare_texts import en_amount, sentence
from jinshui_qa.conversation.comparison import measure
from jinshui_qa.conversation.parts import CompoundReply, Part, commit, shown
from jinshui_qa.conversation.scalar import WIDE, Work, read
from jinshui_qa.facts.schema import Fact, Lang
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session

_POINTING = lazy_re.compile(
    r"^(?:它|它们|这个|这个数|这个数字|该数|其|这|那个|那个数|it|that|this|them|they)?$"
)


def reply(assistant: Assistant, text: str, session: Session, now: float, given: Fact | None = None) -> Reply | None:  # fmt: skip
    """The computation ``text`` asks for (see the module docstring), or ``None`` when it asks none or
    names a thing no fact answers and nothing was answered before; ``given``: the fact worked on."""
    work = read(text)
    if work is None:
        return None
    from jinshui_qa.conversation.assistant import Reply, Session  # imports this module's importers

    # 「高企乘以-1」: a count, amount or share worked on with a negative number means nothing
    if work.op == "neg":
        lang = _lang(text)
        said = (f"“{work.shown}”是负数，报道里的数量、金额和比例不能和负数这样计算或比较，我不替您猜。换一个正数再问吧。"
                if lang == "zh" else f"{work.shown} is a negative number: the report's counts, amounts and shares "
                "cannot be worked on or compared with it. Ask again with a positive number.")  # fmt: skip
        return Reply(shown(text), "fallback", said, lang, 0.0, reason="negative_number")

    if (
        work.op in "<>" and given is None and not _POINTING.fullmatch(work.thing.lower())
    ):  # "Is the investment of … over 500 billion?"
        return _threshold(assistant, text, work, session, now, None)
    base, lang = assistant.base, _lang(text)
    if lang == "en" and session.context and not re.search(r"[A-Za-z]{2}", text):
        lang = session.context.lang  # «x2», «*3» after a Chinese answer: in the conversation's language
    scratch = replace(session)
    fact = given
    if fact is None and _POINTING.fullmatch(work.thing.lower()):  # 「那乘以2呢」: the figure just given
        recent = [f for f in map(base.get, session.recent) if f is not None]
        if not recent:
            return None
        fact = recent[-1]
    elif fact is None:
        scratch = Session(lang=session.lang, reply_lang=session.reply_lang)
        answer = assistant.reply_one(work.thing, scratch, now)
        if answer.status == "clarify":
            fitting = [f.id for o in answer.options if (f := base.get(o.fact_id)) and _quantity(f, work)]
            if len(fitting) >= 2:  # 「重点项目的一半」: of its total or its annual investment, asked
                from jinshui_qa.conversation import pending_work

                return pending_work.offer(base, text, fitting, answer.lang, session, scratch)
            fact = base.get(fitting[0]) if fitting else None
        elif answer.status == "answer" and answer.fact_id:
            fact = base.get(answer.fact_id)
        if fact is None:  # what the thing lacks, said as its own reply says it
            return replace(answer, question=shown(text)) if answer.status == "fallback" else None
    assert fact is not None
    if work.op in "<>":
        return _threshold(assistant, text, work, session, now, fact)
    if work.op == "=":  # 「是700家吗」 after 高企: that figure, the value checked
        from jinshui_qa.conversation.verify import checked

        return checked(
            base, text, assistant.answer_fact(fact.id, session, now, question=shown(text), lang=lang)
        )
    commit(session, scratch, [fact.id])
    q = _quantity(fact, work)
    source = render.sources(base, [fact], lang)
    part = Part(work.thing or render.name(fact, q, lang), "answer", fact.id, q.shown() if q else None,
                render.period(fact, lang))  # fmt: skip
    if q is None or (work.op in "+−" and work.unit and _kind(work) != _kind_of(q)):
        subject = (fact.subject or fact.title).get(lang)
        said = (f"报道里没有{subject}可以和“{work.shown}”这样计算的数字，没法计算。" if lang == "zh"
                else f"The report has no figure for {subject} that can be worked on with {work.shown}.")  # fmt: skip
        return CompoundReply(shown(text), "fallback", f"{said}\n\n{source}", lang, 0.0, reason="incomparable:kinds",
                             source=source, parts=(replace(part, status="fallback", fact_id=None),))  # fmt: skip
    if work.op == "pow" and q is not None:  # 「高企的平方」: a count times itself counts nothing
        said = _power(q, work, fact, lang)
        return CompoundReply(shown(text), "fallback", f"{render.line(render.name(fact, q, lang), q, fact, lang)}\n{said}"
                             f"\n\n{source}", lang, 0.0, reason="meaningless:power", source=source, parts=(part,))  # fmt: skip
    if work.op == "÷" and work.number == 0:
        said = "除数是0，没法计算。" if lang == "zh" else "That divides by zero, so I can't compute it."
        said = f"{render.line(render.name(fact, q, lang), q, fact, lang)}\n{said}\n\n{source}"
        return CompoundReply(shown(text), "fallback", said, lang, 0.0, reason="division_by_zero", source=source,
                             parts=(part,))  # fmt: skip
    with localcontext() as wide:  # the user's number may have 200 digits: exact, and never an overflow
        wide.prec = WIDE
        expression, verdict, result, unit, exact = _computed(work, q, lang)
    label = render.name(fact, q, lang)
    lines = [render.line(label, q, fact, lang), verdict.format(label=label, expression=expression)]
    note = _NOTE[0 if lang == "zh" else 1] + (sentence("approximate", lang) if q.approximate else "")
    computed = {"op": work.op, "expression": expression, "result": ar.plain(result), "unit": unit,
                "exact": exact, "computed_from_report": True}  # fmt: skip
    return CompoundReply(shown(text), "answer", "\n".join([*lines, note, "", source]), lang, 100.0,
                         fact_id=fact.id, source=source, parts=(part,), computed=computed)  # fmt: skip


def _power(q: ar.Quantity, work: Work, fact: Fact, lang: Lang) -> str:
    """Why a power or root of the figure is not computed: its unit (家², √亿元) is no quantity at all."""
    unit = "%" if q.kind == "share" else q.unit
    named = work.thing and not _POINTING.fullmatch(work.thing.lower())  # 「它的平方」: the fact's own name
    thing = work.thing if named else (fact.subject or fact.title).get(lang)
    times = int(work.number)
    if lang == "zh":
        did = "开方" if work.shown == "开方" else f"的{work.shown}"
        unit_said = (
            f"√{unit}"
            if work.shown == "开方"
            else "×".join([unit] * times)
            if times <= 3
            else f"{unit}^{times}"
        )
        return (f"“{q.shown()}”{did}没有实际意义：单位成了“{unit_said}”，不是任何数量、金额或比例，所以我不计算。"
                f"可以问它的倍数或几分之几，比如：{thing}乘以2、{thing}的一半。")  # fmt: skip
    did = {"root": "A root", "squared": "Squaring", "cubed": "Cubing"}.get(work.shown, "A power")
    return (f"{did}{'' if did.endswith('ing') else ' of'} {_en(q.number, q)} has no meaning: its unit is no count, amount or share of anything, "
            f"so I won't compute it. You can ask for a multiple or a part, e.g. “{thing} times 2” or “half of {thing}”.")  # fmt: skip


_NOTE = ("（以上结果由本助手根据报道中的这个数字计算得出，报道本身并未给出。）",
         "(Computed by this assistant from the figure above; the report itself does not state it.)")  # fmt: skip
_PLACES = Decimal("0.01")


def _computed(work: Work, q: ar.Quantity, lang: Lang) -> tuple[str, str, Decimal, str, bool]:
    """(expression, verdict line with {label} and {expression}, result, unit, exact)."""
    number = (
        work.number / q.scale if work.scaled and q.kind != "share" else work.number
    )  # in the figure's unit
    unit = q.unit if q.kind != "share" else "%"
    if work.op in "×÷":
        value = q.number * number if work.op == "×" else q.number / number
        result = value.quantize(_PLACES, rounding=ROUND_HALF_UP)
        exact = result == value
        mark = "=" if exact else "≈"
        if lang == "zh":
            expression = f"{q.shown()} {work.op} {work.shown} {mark} {ar.plain(result)}{unit}"
        else:
            expression = f"{_en(q.number, q)} {work.op} {work.shown} {mark} {_en(result, q)}"
        return (
            expression,
            ("计算：{expression}" if lang == "zh" else "Computed: {expression}"),
            result,
            unit,
            exact,
        )
    if work.op in "+−":
        result = q.number + number if work.op == "+" else q.number - number
        said = f"{ar.plain(number)}{unit}" if lang == "zh" else _en(number, q)
        first, total = (
            (q.shown(), f"{ar.plain(result)}{unit}") if lang == "zh" else (_en(q.number, q), _en(result, q))
        )
        expression = f"{first} {work.op} {said} = {total}"
        return (
            expression,
            ("计算：{expression}" if lang == "zh" else "Computed: {expression}"),
            result,
            unit,
            True,
        )
    gap = q.number - number
    unit = "个百分点" if q.kind == "share" else unit
    big, small = (q.number, number) if gap >= 0 else (number, q.number)
    if lang == "zh":
        other = f"{ar.plain(number)}{q.unit if q.kind != 'share' else '%'}"
        shown_big, shown_small = (q.shown(), other) if gap >= 0 else (other, q.shown())
        expression = f"{shown_big} − {shown_small} = {ar.plain(abs(gap))}{unit}"
        if gap == 0:
            return expression, f"{{label}}正好是{other}，相差0：{{expression}}", Decimal(0), unit, True
        turned = (
            "其实不是多，是少。"
            if gap < 0 and work.op == "more"
            else ("其实不是少，是多。" if gap > 0 and work.op == "less" else "")
        )
        said = (
            f"{turned}{{label}}比{other}{'多' if gap > 0 else '少'}{ar.plain(abs(gap))}{unit}：{{expression}}"
        )
        return expression, said, abs(gap), unit, True
    expression = f"{_en(big, q)} − {_en(small, q)} = {_en(abs(gap), q)}"
    side = "more" if gap > 0 else "less"
    return (
        expression,
        f"{{label}}: {_en(abs(gap), q)} {side} than {_en(number, q)}: {{expression}}",
        abs(gap),
        unit,
        True,
    )


def _en(number: Decimal, q: ar.Quantity) -> str:
    return en_amount(number * q.scale, q.base)


def _quantity(fact: Fact, work: Work) -> ar.Quantity | None:
    """The figure of ``fact`` to work on: of the kind the number is said in, else the one its words
    name (「占比的一半」: the share), else its first count or amount; never a rank or a day."""
    kind = _kind(work) or measure(work.thing)
    found = [q for q in render.candidates(fact, kind, "", work.thing) if q.kind not in ("rank", "day")]
    if kind:
        found = [q for q in found if _kind_of(q) == ("count" if kind == "people" else kind)]
    return found[0] if found else None


def _kind(work: Work) -> str:
    """The kind of the number as said: a share (%), money (元, 亿), a count (家, 个, 人), or ``""``."""
    if work.op in "×÷":
        return ""
    if work.unit == "%":
        return "share"
    if "元" in work.unit or (work.scaled and any(w in work.shown for w in ("亿", "billion"))):
        return "money"
    return "count" if work.unit else ""


def _kind_of(q: ar.Quantity) -> str:
    return "count" if q.kind in ("organisations", "items", "people") else q.kind


def _lang(text: str) -> Lang:
    return "zh" if has_cjk(text) else "en"


def _threshold(assistant: Assistant, text: str, work: Work, session: Session, now: float, fact: Fact | None) -> Reply | None:  # fmt: skip
    """Whether the thing's figure (``fact``'s, when known) is above or below the number: :mod:`.thresholds`."""
    from jinshui_qa.conversation import literals
    from jinshui_qa.conversation.comparison import ComparisonAsk, detect
    from jinshui_qa.conversation.compound import gazetteer
    from jinshui_qa.conversation.computing import compare

    said = detect(text, gazetteer(assistant.base)) if fact is None else None  # the comparison reader's, when
    if (  # it reads one ("is the planned investment over 50 billion?"), unless an operand of it is the
        said is not None  # number with the other's words ("total investment of 300 billion yuan")
        and said.op == "larger"
        and not any(b and work.shown in b and literals.bare_number(b) is None for b in said.bare)
    ):
        return compare(assistant, text, said, session, now)
    kind = measure(text)
    asked = f"how much is {work.thing}" if kind == "money" else f"how many {work.thing}"
    ask = ComparisonAsk("larger", (asked, work.shown), kind, bare=(work.thing, work.shown))
    return compare(assistant, text, ask, session, now, given=(fact, None))
