"""A computation written as a formula over the report's figures: 「(高企+科技型企业)/2」, 「高企*2+1」,
「高企加科技型企业」, 「科技型企业乘以高企」, "(high-tech enterprises + tech enterprises) / 2".

Brackets, several operators (+ − × ÷, their words 加 减 乘以 除以 and plus/minus/times/divided by, x as
times) and operands that are things the facts answer or numbers. Each thing is answered as a question of
its own and its figure taken (its count or amount, never a rank or a day); the formula is then computed
in the open: every figure with its period, the computation with the figures in place
(「(723家 + 2058家) ÷ 2 = 1390.5家」), that the assistant computed it, and the sources. What has no meaning
is said, with the reason, and nothing computed: two figures multiplied (家×家), figures of different units
added (家 + 个), a number divided by a figure, a division by zero, a thing no fact answers or a thing of
several figures. One operator between a thing and a number is :mod:`.scalar`'s, and a difference or a
ratio of two things (减, 除以) the comparison reader's: this module leaves them to those.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import TYPE_CHECKING

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import render
from jinshui_qa.conversation.formula_eval import NUMBER, OPS, Parser, Undone, Value, written
from jinshui_qa.conversation.scalar import read
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk, to_simplified
from jinshui_qa.text.numerals import arabic_numerals

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
    from jinshui_qa.facts.schema import Fact, Lang

_SYMBOLS = "+-−*×/÷()（）[]【】"  # after NFKC: ＋ is +, （ stays
_SPLIT = lazy_re.compile(
    r"([(（\[【]|[)）\]】]|乘以|乘上|除以|加上|减去|减掉|[+\-−*×/÷]|(?<![A-Za-z\u00c0-\u024f])[xX](?![A-Za-z\u00c0-\u024f])"
    r"|(?<![增参更追附施添叠外])加(?![快强大速入工油班盟法以上起在到码息紧剧深])|(?<![缩削递增])减(?![少税免去掉半负])|乘(?![客坐车以上])"
    r"|\b(?:plus|minus|times|multiplied by|divided by)\b)",
    re.IGNORECASE,
)
_ASK = lazy_re.compile(
    r"^(?:那么?|那)?(?:请问|请|帮我|麻烦|你)?(?:算[一1]下|算算|算[一1]算|计算[一1]下|计算|算)?[:：]?\s*"
    r"|\s*(?:=|＝|等于|是|得|会是)?\s*(?:多少|几|多少呢|几呢)?\s*(?:呢|啊|呀)?\s*[?？。!！]*$"
    r"|^(?:what(?:'s| is)|calculate|compute|work out)\s+|\s*(?:=|equals?)?\s*\??$",
    re.IGNORECASE,
)


def reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The formula computed or declined (see the module docstring); ``None`` when ``text`` is no such
    formula or is another reader's."""
    said = unicodedata.normalize("NFKC", text[:200])
    said = arabic_numerals(to_simplified(said)).strip()
    said = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "\u2010", said)  # high-tech: a hyphen, not minus
    said = _ASK.sub("", _ASK.sub("", said)).strip()
    said = re.sub(r"的(\d+(?:\.\d+)?)倍", r"×\1", said).replace("的一半", "÷2")  # 「高企的两倍加一」
    said, then = re.subn(r"\s*[,，]?\s*(?:然后再?|之后再?|再)(?=\s*(?:乘|除以|加|减|[+\-−*×/÷xX]))", "", said)
    if re.search(r"\d\s*[-/]\s*\d", said) and not re.search(r"\d\s+[-/]\s+\d", said):  # 1-3月, 2021/2022
        return None
    pieces = [p.strip() for p in _SPLIT.split(said)]
    tokens = [p for p in pieces if p]
    last = _last(assistant, session) if tokens and OPS.get(tokens[0].lower(), "") in ("×", "÷", "+") else None
    if (
        last is not None
    ):  # 「那除以高企呢」, "/高企" after an answer: the figure just given is the first operand
        tokens = [_LAST, *tokens]
    ops = [t for t in tokens if t.lower() in OPS]
    operands = [t for t in tokens if t.lower() not in OPS and t not in "()（）[]【】"]
    if not ops or not operands or any(re.match(r"[A-Za-z]{1,2}(?:$|[\u4e00-\u9fff])", o) for o in operands):
        return None  # 5+5+X, 「1+N+X是什么」: a name written with signs
    things = [o for o in operands if not NUMBER.fullmatch(o)]
    symbol = any(t in _SYMBOLS or t.lower() == "x" for t in tokens)
    words = {OPS[o.lower()] for o in ops}
    if not things:
        return None
    if OPS.get(tokens[0].lower(), "") in ("×", "÷", "+"):  # 「除以高企」 with nothing answered before
        lang_: Lang = "zh" if has_cjk(text) else "en"
        why = ("算式前面缺了一个数字，比如“科技型企业除以高企”" if lang_ == "zh"
               else "the formula starts with an operator; say what it works on first")  # fmt: skip
        return _said(assistant, text, [], why, lang_, session)
    if not _well_formed(tokens):
        return None  # 「5+5+X是什么」: signs in a name, no formula
    if len(things) == 1 and len(ops) == 1 and read(text) is not None:
        return None  # 「高企*2」, 「高企乘以2」: the scalar reader's (「高企×2=?」 it does not read)
    if any(
        re.search(r"多少|几|什么|啥|吗|呢|\b(?:how|what|mean|does)\b", t, re.IGNORECASE) for t in things
    ) or (
        not symbol and any(re.search(r"和|与|跟|及", t) for t in things)
    ):  # 「新增加的市场主体有多少」, 「A和B加起来」, "what does -5 mean": 加 or - in a question's words
        return None
    if last is None and len(ops) == 1 and not symbol and (words <= {"−", "÷"} or ops[0] == "加上"):
        return None  # 「科技型企业减高企」, 「A加上B」: the comparison reader's
    lang: Lang = "zh" if has_cjk(text) else "en"
    found: dict[str, tuple[Fact, ar.Quantity]] = {_LAST: last} if last is not None else {}
    from jinshui_qa.conversation.assistant import Session as Fresh

    for thing in dict.fromkeys(t for t in things if t != _LAST):
        answer = assistant.reply_one(thing.replace("\u2010", "-"), Fresh(lang=lang), now)
        fact = assistant.base.get(answer.fact_id) if answer.status == "answer" and answer.fact_id else None
        q = _figure(fact, thing) if fact is not None else None
        if fact is None or q is None:
            if not symbol:  # 「新增加的…」: 加 inside words, not an operator
                return None
            why = (f"“{thing}”有好几个数字，不知道算哪一个（{'、'.join(o.title for o in answer.options)}）"
                   if answer.status == "clarify" and lang == "zh" else
                   f"“{thing}” has several figures ({', '.join(o.title for o in answer.options)}); say which"
                   if answer.status == "clarify" else
                   f"报道里没有“{thing}”的数字" if lang == "zh" else f"the report has no figure for “{thing}”")  # fmt: skip
            return _said(assistant, text, list(found.values()), why, lang, session)
        found[thing] = (fact, q)
    if not symbol or then:  # 「高企加科技型企业除以2」, 「A+B再除以2」: in the order said, (A + B) ÷ 2
        tokens = _in_order(tokens)
    try:
        with localcontext() as wide:
            wide.prec = 60
            value, expression = Parser(tokens, found, lang).whole()
    except Undone as why:
        return _said(assistant, text, list(found.values()), str(why), lang, session)
    except (InvalidOperation, IndexError):
        return None
    return _done(assistant, text, list(found.values()), value, expression, lang, session)


_LAST = "\u2063"  # the token of the figure just given (an invisible separator: never typed in a formula)


def _last(assistant: Assistant, session: Session) -> tuple[Fact, ar.Quantity] | None:
    """The figure just given (the last fact answered in ``session``), or ``None``."""
    fact = assistant.base.get(session.recent[-1]) if session.recent else None
    q = _figure(fact, "") if fact is not None else None
    return (fact, q) if fact is not None and q is not None else None


def _in_order(tokens: list[str]) -> list[str]:
    """Operations said in words (or with 再), bracketed to be done from left to right: a sum before a
    product said after it is bracketed (「A加B除以2」: (A + B) ÷ 2); brackets typed are kept as typed."""
    if any(t in "()（）[]【】" for t in tokens):
        return tokens
    done = tokens[:1]
    for at in range(1, len(tokens) - 1, 2):
        done = [*done, tokens[at], tokens[at + 1]]
        if at + 2 < len(tokens) and OPS[tokens[at].lower()] in "+−" and OPS[tokens[at + 2].lower()] in "×÷":
            done = ["(", *done, ")"]
    return done


def _well_formed(tokens: list[str]) -> bool:
    """Operands and operators alternate, brackets balance: 「(A+B)/2」, not 「5+5+X是什么」 (+ then x)."""
    depth, operand = 0, False  # operand: the last token ends an operand (an operator may follow)
    for token in tokens:
        if token in "(（[【":
            if operand:
                return False
            depth += 1
        elif token in ")）]】":
            depth -= 1
            if depth < 0 or not operand:
                return False
        elif token.lower() in OPS:
            if not operand:
                return False
            operand = False
            continue
        elif operand:
            return False
        operand = token not in "(（[【"
    return depth == 0 and operand


def _figure(fact: Fact, thing: str) -> ar.Quantity | None:
    from jinshui_qa.conversation.comparison import measure

    kind = measure(thing)
    found = [q for q in render.candidates(fact, kind, "", thing) if q.kind not in ("rank", "day")]
    return found[0] if found else None


_NOTES = {("zh", 1): "这个数字", ("zh", 2): "这两个数字", ("zh", 3): "这些数字"}


def _lines(base_facts: list[tuple[Fact, ar.Quantity]], lang: Lang) -> list[str]:
    return [render.line(render.name(fact, q, lang), q, fact, lang) for fact, q in base_facts]


def _done(assistant: Assistant, text: str, used: list[tuple[Fact, ar.Quantity]], value: Value, expression: str,
          lang: Lang, session: Session) -> Reply:  # fmt: skip
    from jinshui_qa.conversation.parts import CompoundReply, Part, shown

    result = (value.number / value.scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    exact = result == value.number / value.scale
    total = written(Value(result * value.scale, value.base, value.unit, value.scale, ""), lang)
    expression = f"{expression} {'=' if exact else '≈'} {total}"
    facts = [fact for fact, _ in used]
    source = render.sources(assistant.base, facts, lang)
    if lang == "zh":
        note = (
            f"（以上结果由本助手根据报道中的{_NOTES['zh', min(len(used), 3)]}计算得出，报道本身并未给出。）"
        )
        said = [*_lines(used, lang), f"计算：{expression}", note, "", source]
    else:
        note = "(Computed by this assistant from the figures above; the report itself does not state it.)"
        said = [*_lines(used, lang), f"Computed: {expression}", note, "", source]
    parts = tuple(
        Part(render.name(f, q, lang), "answer", f.id, q.shown(), render.period(f, lang)) for f, q in used
    )
    _commit(session, facts)
    computed = {"op": "formula", "expression": expression, "result": ar.plain(result), "unit": value.unit,
                "exact": exact, "computed_from_report": True}  # fmt: skip
    return CompoundReply(shown(text), "answer", "\n".join(said), lang, 100.0, fact_id=facts[0].id if len(facts) == 1
                         else None, source=source, parts=parts, computed=computed)  # fmt: skip


def _said(assistant: Assistant, text: str, used: list[tuple[Fact, ar.Quantity]], why: str, lang: Lang,
          session: Session) -> Reply:  # fmt: skip
    """Nothing computed: the figures known, then why not."""
    from jinshui_qa.conversation.parts import CompoundReply, Part, shown

    facts = [fact for fact, _ in used]
    head = f"这个算式我没法计算：{why}。" if lang == "zh" else f"I can't compute that: {why}."
    source = render.sources(assistant.base, facts, lang) if facts else None
    body = "\n".join([*_lines(used, lang), head] + (["", source] if source else []))
    parts = tuple(
        Part(render.name(f, q, lang), "answer", f.id, q.shown(), render.period(f, lang)) for f, q in used
    )
    return CompoundReply(shown(text), "fallback", body, lang, 0.0, reason="formula_not_computed", source=source,
                         parts=parts)  # fmt: skip


def _commit(session: Session, facts: list[Fact]) -> None:
    from jinshui_qa.conversation.parts import commit

    commit(session, session, [f.id for f in facts])
