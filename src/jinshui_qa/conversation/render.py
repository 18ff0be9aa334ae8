"""Texts of compound and comparison replies, in Chinese and English.

A compound reply lists each part's answer with its period, says in place which part could not be
answered, and ends with one source line per distinct source. A comparison states both figures with
their periods, the computation (「143家 − 63家 = 80家」) marked as computed from the report rather than
reported by it, or one sentence on why the figures are not combined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation.comparability import why_not
from jinshui_qa.conversation.compare_texts import en_amount, sentence, verdict
from jinshui_qa.facts.schema import Fact, FactBase, Figure, Lang
from jinshui_qa.text.visible import quoted

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Reply
    from jinshui_qa.conversation.comparison import ComparisonAsk

_QUARTERS = {
    "1": ("1~3月", "Jan–Mar"),
    "2": ("4~6月", "Apr–Jun"),
    "3": ("7~9月", "Jul–Sep"),
    "4": ("10~12月", "Oct–Dec"),
}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
COMPUTED_NOTE = {
    "zh": "（以上结果由本助手根据报道中的这两个数字计算得出，报道本身并未给出。）",
    "en": "(Computed by this assistant from the two figures above; the report itself does not state it.)",
}


def period(fact: Fact, lang: Lang) -> str:
    """The fact's period in words: 2022年, 2022年1~3月, 2022年3月25日 / 2022, Jan–Mar 2022."""
    return "至".join(_one_period(p, lang) for p in fact.time.split("/")) if lang == "zh" else " to ".join(
        _one_period(p, lang) for p in fact.time.split("/"))  # fmt: skip


def _one_period(time: str, lang: Lang) -> str:
    m = re.fullmatch(r"(\d{4})(?:-(?:Q([1-4])|(\d{2}))(?:-(\d{2}))?)?", time.strip())
    if m is None:
        return time
    year, quarter, month, day = m.groups()
    if quarter:
        zh, en = _QUARTERS[quarter]
        return f"{year}年{zh}" if lang == "zh" else f"{en} {year}"
    if month and day:
        return (
            f"{year}年{int(month)}月{int(day)}日"
            if lang == "zh"
            else f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
        )
    if month:
        return f"{year}年{int(month)}月" if lang == "zh" else f"{_MONTHS[int(month) - 1]} {year}"
    return f"{year}年" if lang == "zh" else year


def figure_text(figure: Figure) -> str:
    q = ar.quantity(figure)
    return q.shown() if q is not None else f"{figure.value:g}{figure.unit}"


def name(fact: Fact, q: ar.Quantity | None, lang: Lang) -> str:
    """What a comparison calls a figure: what it counts when its fact has several, else the fact's title
    (its subject when the title speaks of 今年 or 去年)."""
    if lang == "en":
        return fact.title.en
    if len(fact.figures) > 1 and q is not None and q.counts:
        return q.counts
    if fact.subject is not None and re.search(r"今年|去年|本年|上年", fact.title.zh):
        return fact.subject.zh
    return fact.title.zh


def sources(base: FactBase, facts: list[Fact], lang: Lang, cited: tuple[str, ...] = ()) -> str:
    """The source line(s) of ``facts`` and the bare citations ``cited`` (a fallback part's)."""
    labels = list(dict.fromkeys((*(base.source_label(f, lang) for f in facts), *cited)))
    head = "来源" if lang == "zh" else "Source"
    if len(labels) == 1:
        return f"{head}{'：' if lang == 'zh' else ': '}{labels[0]}"
    return f"{head}{'：' if lang == 'zh' else 's:'}\n" + "\n".join(f"· {label}" for label in labels)


def parts_text(base: FactBase, answers: list[Reply], lang: Lang) -> str:
    """The compound reply: each part's answer (or why not) numbered in order, then the sources."""
    lines, facts, cited = [], [], []
    for n, answer in enumerate(answers, 1):
        fact = base.get(answer.fact_id) if answer.status == "answer" and answer.fact_id else None
        asked = quoted(answer.question)  # the user's words, quoted back: no control characters
        if fact is not None:
            facts.append(fact)
            when = period(fact, lang)
            said = fact.answer.get(lang)
            note = _note(answer.text, said)  # 「不对，报道说的是2058家，不是3000家。」: the part's own check
            lines.append(f"{n}. {note}{_with_period(said, when, lang)}")
        elif answer.status == "clarify":
            titles = ("、" if lang == "zh" else "; ").join(o.title for o in answer.options)
            lines.append(
                f"{n}. “{asked}”：请单独再问一次，说明是指哪一项（{titles}）。"
                if lang == "zh"
                else f"{n}. “{asked}”: please ask again on its own, saying which you mean ({titles})."
            )
        else:
            head = answer.text.split("\n", 1)[0]
            lines.append(f"{n}. “{asked}”：{head}" if lang == "zh" else f"{n}. “{asked}”: {head}")
            cited += [label for line in cited_lines(answer.text).splitlines() if (label := bare(line))]
    text = "\n".join(lines)
    return f"{text}\n\n{sources(base, facts, lang, tuple(cited))}" if facts or cited else text  # fmt: skip


def _note(text: str, said: str) -> str:
    """What a part's own reply says before its fact's answer (a value checked: 「不对，报道说的是…」, a
    premise: 「提醒：…」), with a space after it; '' when the reply is the answer alone."""
    key = said.rstrip("。.！!")[-10:]
    lines = text.split("\n\n", 1)[0].split("\n")
    at = next((i for i, line in enumerate(lines) if key and key in line), 0)
    return "".join(f"{line.strip()} " for line in lines[:at] if line.strip())


def _with_period(said: str, when: str, lang: Lang) -> str:
    """The answer with its period, inside the final full stop, unless the answer already names it."""
    if when in said:
        return said
    mark = f"（{when}）" if lang == "zh" else f" ({when})"
    return f"{said[:-1]}{mark}{said[-1]}" if said[-1:] in "。.！!" else f"{said}{mark}"


def unread_text(count: int, lang: Lang) -> str:
    if lang == "zh":
        return f"（您的消息里还有{count}个问题我没有回答，一次最多回答8个，请分开再问。）"
    return f"(Your message asks {count} more question(s) I did not answer; I answer up to 8 at once, please ask again.)"


def choose(base: FactBase, answer: Reply, measure: str, strict: bool = False) -> Fact | None:
    """The one fact among a clarify's options that holds a figure of the measure asked, if exactly one
    (``strict``: a figure of exactly that measure, the question having said it)."""
    if answer.status != "clarify" or not measure:
        return None
    fitting = [
        f
        for o in answer.options
        if (f := base.get(o.fact_id))
        and any(_is(q, measure) or not strict for q in candidates(f, measure, ""))
    ]
    return fitting[0] if len(fitting) == 1 else None


def _is(q: ar.Quantity, measure: str) -> bool:
    return q.kind == measure or (measure == "count" and q.kind in _COUNTS)


def candidates(fact: Fact, measure: str, op: str, asked: str = "") -> list[ar.Quantity]:
    """The fact's quantities that fit the measure, those whose description shares most with ``asked`` first."""
    found: list[tuple[int, ar.Quantity]] = []
    for figure in fact.figures:
        q, share = ar.quantity(figure), ar.share_quantity(figure)
        fit = -len(_bigrams(figure.counts) & _bigrams(ar.measure_words_zh(asked)))
        found += [(fit, x) for x in (q, share) if x is not None]
    found = sorted(found, key=lambda pair: pair[0])
    return _fitting([q for _, q in found], measure, op)


def _amounts(fact: Fact, measure: str, op: str, asked: str) -> list[ar.Quantity]:
    """:func:`candidates` without a limit the fact states (储备项目的规模门槛 1000万元: a bound on each project,
    not an amount of anything) unless the operand asks about it: never an operand of arithmetic by default
    (its other figures then, whatever their measure: 储备项目数 134个)."""
    found = candidates(fact, measure, op, asked)
    if re.search(r"门槛|规模|标准|以上|起点|threshold|minimum", asked, re.IGNORECASE):
        return found
    kept = [q for q in found if "门槛" not in q.counts]
    return kept or [q for q in candidates(fact, "", op, asked) if "门槛" not in q.counts] or found


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _fitting(found: list[ar.Quantity], measure: str, op: str) -> list[ar.Quantity]:
    wanted = "share" if op == "pp_difference" else measure
    if wanted:
        fitting = [q for q in found if q.kind == wanted or (wanted == "count" and q.kind in _COUNTS)]
        if fitting or wanted == "share":
            return fitting
    return [q for q in found if q.kind != "share"] or found


_COUNTS = ("organisations", "items", "people")


def kind_of(fact: Fact | None, ask: ComparisonAsk) -> str:
    """The kind of the figure a comparison would take from ``fact`` (``""`` when it has none)."""
    found = _amounts(fact, ask.measure, ask.op, "") if fact is not None else []  # a limit is no kind of it
    return ("count" if found[0].kind in _COUNTS else found[0].kind) if found else ""


@dataclass(frozen=True)
class Outcome:
    """A comparison's reply: status (answer/partial/fallback), text, reason, and what it computed."""

    status: str
    text: str
    reason: str = ""
    source: str | None = None
    figures: tuple[str | None, str | None] = (None, None)
    computed: dict[str, Any] | None = field(default=None)


def line(label: str, q: ar.Quantity | None, fact: Fact, lang: Lang) -> str:
    when = period(fact, lang)
    label = label[:1].upper() + label[1:]
    if q is None:
        return f"{label}：{fact.answer.get(lang)}" if lang == "zh" else f"{label}: {fact.answer.get(lang)}"
    shown = (f"占{q.frame}{ar.plain(q.number)}%" if lang == "zh" else f"{ar.plain(q.number)}% of {ar.FRAME_EN.get(q.frame, 'the total')}") \
        if q.kind == "share" else (q.shown() if lang == "zh" else en_amount(q.value, q.base))  # fmt: skip
    if q.kind == "rank":
        shown = f"第{ar.plain(q.number)}名" if lang == "zh" else f"No. {ar.plain(q.number)}"
    elif q.kind == "day":
        shown = f"每月{ar.plain(q.number)}日" if lang == "zh" else f"day {ar.plain(q.number)} of each month"
    if q.approximate:
        shown += f"（报道原文：{q.approximate}）" if lang == "zh" else f" (the report says “{q.approximate}”)"
    return f"{label}：{shown}（{when}）" if lang == "zh" else f"{label}: {shown} ({when})"


def comparison(base: FactBase, a: Fact | None, b: Fact | None, ask: ComparisonAsk, lang: Lang) -> Outcome:
    """Compare one figure of ``a`` with one of ``b`` as ``ask`` says; see :class:`Outcome`."""
    facts = [f for f in (a, b) if f is not None]
    source = sources(base, facts, lang)
    apart = _bases_apart(a, b, ask, lang)
    if apart is not None:  # shares of different wholes: 20% of the city and 17.5% of the province
        return Outcome("fallback", f"{apart}\n\n{source}" if facts else apart, "incomparable:bases", source)
    if a is None or b is None:
        known = a or b
        assert known is not None
        qs = candidates(known, ask.measure, ask.op)
        missing = ask.operands[1 if a is not None else 0]
        text = f"{line(name(known, qs[0] if qs else None, lang), qs[0] if qs else None, known, lang)}\n" \
               f"{sentence('missing', lang, missing=missing)}\n\n{source}"  # fmt: skip
        shown = qs[0].shown() if qs else None
        figures: tuple[str | None, str | None] = (shown, None) if a is not None else (None, shown)
        return Outcome("partial", text, "missing_operand", source, figures)
    qa_all = _amounts(a, ask.measure, ask.op, ask.operands[0])
    qb_all = _amounts(b, ask.measure, ask.op, ask.operands[1])
    pair = next(((x, y) for x in qa_all for y in qb_all if not ar.incomparable(x, y, ask.op)), None)
    qa = pair[0] if pair else (qa_all[0] if qa_all else None)
    qb = pair[1] if pair else (qb_all[0] if qb_all else None)
    label_a, label_b = name(a, qa, lang), name(b, qb, lang)
    lines = f"{line(label_a, qa, a, lang)}\n{line(label_b, qb, b, lang)}"
    figures = (qa.shown() if qa else None, qb.shown() if qb else None)
    why = why_not(a, b, qa, qb, ask.op, pair is not None)
    if why:
        reason, words = why
        key = reason + ("_both" if reason == "not_a_quantity" and words["ka"] == words["kb"] else "")
        said = sentence(key, lang, a=label_a, b=label_b, pa=period(a, lang), pb=period(b, lang), **words)
        text = f"{lines}\n{said}"
        return Outcome("fallback", f"{text}\n\n{source}", f"incomparable:{reason}", source, figures)
    assert qa is not None and qb is not None
    done = ar.compute(ask.op, qa, qb, ask.unit, ask.percent)
    said = verdict(done, label_a, label_b, lang)
    note = "" if not (qa.approximate or qb.approximate) else sentence("approximate", lang)
    if a.time != b.time:  # two counts of what exists, at two dates of the same year
        note += sentence("dates", lang, pa=period(a, lang), pb=period(b, lang))
    text = f"{lines}\n{said}\n{COMPUTED_NOTE[lang]}{note}\n\n{source}"
    larger = (a, b)[done.larger].id
    computed = {"op": ask.op, "expression": done.expression, "result": ar.plain(done.result),
                "unit": done.unit, "exact": done.exact, "larger": larger, "computed_from_report": True}  # fmt: skip
    return Outcome("answer", text, "", source, figures, computed)


def _bases_apart(a: Fact | None, b: Fact | None, ask: ComparisonAsk, lang: Lang) -> str | None:
    """Lines and the reason why two shares are not combined when their bases differ: the wholes the
    question names (全市, 全省) or what they are shares of (a count, 营收); ``None`` when they agree."""
    if ask.measure != "share":
        return None
    shares = [next(iter(candidates(f, "share", "")), None) if f else None for f in (a, b)]
    bases = [(frame or (q.frame if q is not None else "") or "全市", measure)
             for frame, measure, q in zip(ask.frames, ask.measures, shares, strict=True)]  # fmt: skip
    if bases[0] == bases[1]:
        return None
    words = [(f + m) if lang == "zh" else f"{m + ' of ' if m else ''}{ar.FRAME_EN.get(f, f)}"
             for f, m in bases]  # fmt: skip
    lines = [line(name(f, q, lang), q, f, lang) for f, q in zip((a, b), shares, strict=True) if f is not None]
    return "\n".join([*lines, sentence("bases", lang, fa=words[0], fb=words[1])])


HEADS = ("来源：", "Sources:", "Source:", "· ")  # what opens a source line (· a line of several)


def cited_lines(text: str) -> str:
    """The source lines of ``text``: each block after a blank line opened by 来源/Source, in order."""
    return "\n".join(block for block in text.split("\n\n")[1:] if block.startswith(HEADS[:3]))


def bare(line: str) -> str:
    """A source line without its heading: the citation alone."""
    return line.strip().removeprefix(next((h for h in HEADS if line.strip().startswith(h)), "")).strip()
