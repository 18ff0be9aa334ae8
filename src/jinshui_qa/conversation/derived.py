"""Replies with a figure derived from the report's own: an average (:mod:`.averages`) and a city-wide
estimate from a share (:mod:`.estimates`), each with its computation and labelled as computed.

:func:`reply` returns ``None`` for a message asking neither, so the compound and single-question
paths answer it unchanged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import averages, estimates, render
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.compare_texts import sentence
from jinshui_qa.conversation.coverage import FILLER, unsaid_en
from jinshui_qa.conversation.coverage import said as words_of
from jinshui_qa.conversation.parts import CompoundReply, Part, shown
from jinshui_qa.conversation.splitting import prepare
from jinshui_qa.facts.schema import Lang
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import fold, has_cjk

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_SHARE_ASKED = lazy_re.compile(
    r"占(?!比)|占比(?:是|多少|几)|\bwhat (?:share|percentage|proportion)\b", re.IGNORECASE
)
_AVERAGE_NOTE = {
    "zh": "（平均值由本助手根据报道中的总额和个数计算得出，报道本身并未给出。）",
    "en": "(An average computed by this assistant from the total and the count above; the report itself does not state it.)",
}


def reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The average or the estimate ``text`` asks for, or ``None``."""
    prepared = prepare(text)
    lang: Lang = "zh" if has_cjk(prepared) else "en"
    if averages.asks(prepared):
        return _average(assistant, text, prepared, session, lang)
    frame = ar.frame_named(prepared)
    if frame and estimates.ASKS.search(prepared) and not _SHARE_ASKED.search(prepared):
        fact = estimates.subject_with_share(assistant.base, prepared, frame)
        if fact is not None:
            said = estimates.scope_text(assistant.base, [fact], frame, lang)
            _remember(session, now, [fact.id])
            guess = estimates.estimate(fact, frame)
            assert guess is not None
            computed = {"op": "estimate", "expression": guess.expression(), "result": ar.plain(guess.result),
                        "unit": guess.count.unit, "exact": guess.exact, "larger": None,
                        "computed_from_report": True, "estimate": True}  # fmt: skip
            part = Part(text, "answer", fact.id, guess.count.shown(), render.period(fact, lang))
            return CompoundReply(shown(text), "answer", said, lang, 1.0, fact_id=fact.id,
                                 parts=(part,), computed=computed)  # fmt: skip
    return None


def _average(assistant: Assistant, text: str, prepared: str, session: Session, lang: Lang) -> Reply | None:
    base = assistant.base
    facts = averages.subject_facts(base, prepared)
    last = base.get(session.context.fact_id) if not facts and session.context is not None else None
    if last is not None and last.subject is not None:  # 「平均每个项目多少钱」 after 重点项目总投资: of its
        same = [f for f in base.facts if f.subject == last.subject]  # subject, when it names nothing else
        rest = averages.ASKS.sub(" ", prepared)  # (平均工资, 人均收入, 人均GDP)
        known = "".join(words_of(f) for f in same)
        if not any("\u4e00" <= ch <= "\u9fff" and ch not in known for ch in FILLER.sub("", fold(rest))):
            facts = [] if unsaid_en(last, rest) else same
    if not facts:
        return None
    found = averages.average(facts, prepared)
    subject = facts[0].subject.get(lang) if facts[0].subject else facts[0].title.get(lang)
    if isinstance(found, str):
        what = (
            ("总额" if found == "amount" else "个数")
            if lang == "zh"
            else ("total" if found == "amount" else "count")
        )
        said = (f"报道没有给出{subject}的{what}，所以没法计算平均值。" if lang == "zh"
                else f"The report gives no {what} for {subject}, so I can't compute an average.")  # fmt: skip
        return CompoundReply(shown(text), "fallback", said, lang, 0.0, reason=f"average_missing:{found}")
    used = list(dict.fromkeys([found.amount_fact, found.count_fact]))
    lines = [render.line(render.name(f, q, lang), q, f, lang)
             for f, q in ((found.amount_fact, found.amount), (found.count_fact, found.count))]  # fmt: skip
    about = "约" if "≈" in found.expression("zh") else ""
    if lang == "zh":
        head = f"{subject}平均每{found.count.base}{about}{ar.plain(found.result)}{found.unit}：{found.expression('zh')}。"
    else:
        one = subject[:-1] if subject.endswith("s") and not subject.endswith("ss") else subject
        one = "firm" if found.count.base in ("家", "户") else one
        head = f"Average per {one}: {found.expression('en')}."
    note = _AVERAGE_NOTE[lang]
    if found.approximate:
        note += sentence("approximate", lang)
    if found.amount_fact.time != found.count_fact.time:
        note += sentence(
            "dates", lang, pa=render.period(found.amount_fact, lang), pb=render.period(found.count_fact, lang)
        )
    source = render.sources(base, used, lang)
    said = "\n".join([*dict.fromkeys(lines), head, note, "", source])
    _remember(session, 0.0, [f.id for f in used])
    computed = {"op": "average", "expression": found.expression(lang), "result": ar.plain(found.result),
                "unit": found.unit, "exact": found.exact and not found.approximate, "larger": None,
                "computed_from_report": True, "approximate": bool(found.approximate)}  # fmt: skip
    parts = tuple(
        Part(text, "answer", f.id, q.shown(), render.period(f, lang))
        for f, q in ((found.amount_fact, found.amount), (found.count_fact, found.count))
    )
    return CompoundReply(shown(text), "answer", said, lang, 1.0, fact_id=found.amount_fact.id,
                         source=source, parts=parts, computed=computed)  # fmt: skip


def _remember(session: Session, now: float, fact_ids: list[str]) -> None:
    """Remember the facts used, for a follow-up comparison; no pending choices are left."""
    session.pending = ()
    session.recent = ()
    session.answered(*fact_ids)
