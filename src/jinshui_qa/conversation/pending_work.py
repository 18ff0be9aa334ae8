"""A choice offered for the thing a yes/no or a computation is about, then the option picked: the work.

「重点项目超过200亿了吗」 cannot say whether the total or the annual investment is meant, so it offers
both (:func:`offer`); the session keeps the message (:attr:`Session.pending_ask`) with the options. The
reply 「1」 (or the option named) is then the same question about the option picked (:func:`again`):
「是的，超过了。重点项目总投资：3830亿元」, not the plain figure with the yes/no lost. The same holds for
a computation on a figure (「重点项目的一半」, :mod:`.scalar`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.facts.schema import FactBase, Lang

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session


def offer(base: FactBase, text: str, ids: list[str], lang: Lang, session: Session, scratch: Session) -> Reply:
    """The options ``ids`` (at most 3) offered for ``text``, which is kept to be asked of the one picked."""
    from jinshui_qa.conversation.assistant import Option, Reply
    from jinshui_qa.conversation.parts import shown
    from jinshui_qa.conversation.replies import clarify_text

    options = tuple(Option(i, base.fact(i).title.get(lang)) for i in ids[:3])
    session.context, session.pending = scratch.context, tuple(o.fact_id for o in options)
    session.pending_lang, session.pending_ask = lang, text
    return Reply(
        shown(text), "clarify", clarify_text([o.title for o in options], lang), lang, 100.0, options=options
    )


def again(assistant: Assistant, fact_id: str, session: Session, now: float, question: str) -> Reply | None:
    """The message the pending choice was offered for, asked of the option picked; ``None`` when there is
    none or it no longer reads as such a question (the option is then answered plainly)."""
    asked, lang = session.pending_ask, session.pending_lang
    session.pending_ask = ""
    fact = assistant.base.get(fact_id)
    if not asked or fact is None:
        return None
    from jinshui_qa.conversation import scalar, verify

    if scalar.read(asked) is not None:
        from jinshui_qa.conversation import worked

        said = worked.reply(assistant, asked, session, now, given=fact)
    elif verify.stated(asked, lang or "zh") is not None:  # 「重点项目是不是500亿」, then 「1」
        plain = assistant.answer_fact(fact_id, session, now, question=question, lang=lang)
        said = verify.checked(assistant.base, asked, plain)
    else:
        said = _threshold(assistant, asked, fact_id, session, now)
    if said is None:
        return None
    session.pending, session.pending_lang = (), None
    return replace(said, question=question, lang=lang or said.lang)


def _threshold(assistant: Assistant, asked: str, fact_id: str, session: Session, now: float) -> Reply | None:
    from jinshui_qa.conversation import compound, literals
    from jinshui_qa.conversation.comparison import detect
    from jinshui_qa.conversation.computing import compare
    from jinshui_qa.conversation.recall import threshold

    fact = assistant.base.fact(fact_id)
    ask = detect(asked, compound.gazetteer(assistant.base))
    if ask is None:
        back = threshold(asked, replace(session, recent=(fact_id,)), assistant.base)
        ask = back[0] if back is not None else None
    if ask is None:
        return None
    numbers = [literals.bare_number(said) for said in ask.bare]
    if numbers == [None, None]:  # 「超过2000」 of a thing: a number, not a year
        numbers = [literals.bare_number(said, years=True) for said in ask.bare]
    if (numbers[0] is None) == (numbers[1] is None):
        return None
    given = (fact, None) if numbers[0] is None else (None, fact)
    return compare(assistant, asked, ask, session, now, given=given)
