"""What a part of a compound message carries over from the part before it.

A part that names no subject (「其中新开项目有多少个」 aside, 「投资多少」, "how much investment do they
have?") is read with the subject of the part answered before it (:func:`elided`); a part that got
the fact of a part before again but asks what that fact never says (「其中国家级的有几家」, "its
interest rate") falls back in its place (:func:`qualified`); :func:`own_words` shows a part as the
user said it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.conversation import replies
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.coverage import ASKING, unsaid, unsaid_en
from jinshui_qa.conversation.splitting import Gazetteer, prepare
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.text.normalize import has_cjk

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant


def qualified(base: FactBase, names: Gazetteer, answers: list[Reply], inherited: list[bool]) -> list[Reply]:
    """A part that got the fact of a part before again, but asks something the fact never mentions
    (「其中国家级的有几家」 after 重点实验室, "and what's its interest rate?" after a plan), is not
    answered by it: it falls back in its place, naming what is not held."""
    out = list(answers)
    for n, answer in enumerate(answers):
        fact = base.get(answer.fact_id) if answer.fact_id and answer.status == "answer" else None
        if fact is None or all(a.fact_id != fact.id for a in answers[:n]):
            continue
        own = prepare(answer.question).replace(names.subject_in(answer.question), "", 1)
        before = "".join(a.question for a in answers[:n] if a.fact_id == fact.id)
        own = "".join(
            ch for ch in own if not ("\u4e00" <= ch <= "\u9fff" and ch in before)
        )  # said before, answered
        word = unsaid_en(fact, own)
        if not word and has_cjk(own) and inherited[n] and unsaid(fact, own):
            word = ASKING.sub("", own) or own  # numerals as digits: 百分之十七点五 is the 17.5% it says
        if word:
            text = replies.fallback_text(base, f"not_held:{word}", answer.lang, fact)
            out[n] = Reply(
                answer.question, "fallback", text, answer.lang, answer.score, reason=f"not_held:{word}"
            )
    return out


def elided(assistant: Assistant, names: Gazetteer, answers: list[Reply], now: float) -> list[Reply]:
    """A part naming only a measure or a period (「and how much is planned for this year」, 「how much bond
    money」) is asked again of the subject of the part answered before it: the router reads the measure
    against that subject, and its answer (or its fallback, for a part that was only a clarify) stands."""
    out = list(answers)
    for n in range(1, len(out)):
        before = next((a for a in reversed(out[:n]) if a.status == "answer" and a.fact_id), None)
        fact = assistant.base.get(before.fact_id) if before and before.fact_id else None
        said = out[n]
        if fact is None or fact.subject is None or said.fact_id == fact.id:
            continue
        if said.status == "clarify" and fact.id in {o.fact_id for o in said.options}:  # one of its choices
            out[n] = assistant.answer_fact(fact.id, Session(lang=said.lang), now, question=said.question,
                                           lang=said.lang)  # is the fact just answered: that one  # fmt: skip
            continue
        cjk = has_cjk(said.question)
        subject = fact.subject.get("zh" if cjk else "en")
        got = assistant.base.get(said.fact_id) if said.status == "answer" and said.fact_id else None
        named = names.subject_in(said.question)
        if prepare(subject) in prepare(said.question) or (
            got is not None
            and got.subject is not None
            and named
            and named == prepare(got.subject.get("zh" if cjk else "en"))
        ):
            continue  # the part names its own subject and got it  # fmt: skip
        again = assistant.reply_one(
            f"{subject}{'' if cjk else ' '}{said.question}", Session(lang=said.lang), now
        )
        own = assistant.base.get(again.fact_id) if again.status == "answer" and again.fact_id else None
        if (
            own is not None and own.id != fact.id and (said.status != "answer" or own.subject == fact.subject)
        ) or (said.status == "clarify" and again.status == "fallback" and not named):
            # (a clarify naming a known thing of its own, 「专项债多少」 after 院士, stays a clarify: read
            # against the part before it, it fell back claiming the report has nothing on 专项债)
            out[n] = replace(again, question=said.question)
    return out


def own_words(part: str, names: Gazetteer) -> str:
    """A part as the user said it, without the subject it took from the part before."""
    subject = names.subject_in(part)
    return part[len(subject) :].strip() if subject and prepare(part).startswith(subject) else part
