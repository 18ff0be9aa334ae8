"""Messages that ask several questions, or compare two of the report's figures, answered part by part.

:func:`reply` is called by :meth:`Assistant.reply` before the single-question path and returns ``None``
for a message that asks one thing, so that path answers it unchanged. A comparison
(:mod:`~jinshui_qa.conversation.comparison`) routes each operand as a question of its own and
computes with :mod:`~jinshui_qa.conversation.arithmetic`, or says in one sentence why it does not.
Otherwise the message is split (:mod:`~jinshui_qa.conversation.splitting`) and every part goes
through :meth:`Assistant.reply_one` in a fresh session; a part naming no subject carries the subject
of the part before. One :class:`CompoundReply` lists the answers in order, says in its place what a
part could not get, and ends with one source line per distinct source. Parts one fact answers are
answered once; a part that took its subject and names something the fact never mentions is not
answered by it. The message read whole is routed at most once. The session is updated once, as if
by the last answered part, with no pending choices.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from jinshui_qa.conversation import derived, growth, inline, listing, remainder, render, replies, sentences
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.carried import elided, own_words, qualified
from jinshui_qa.conversation.comparison import detect, operation
from jinshui_qa.conversation.computing import compare
from jinshui_qa.conversation.coverage import uncovered
from jinshui_qa.conversation.parts import CompoundReply, Part, commit, each, part, shown
from jinshui_qa.conversation.recall import recall, threshold, without_two
from jinshui_qa.conversation.splitting import CONJ_ZH, Gazetteer, clauses, is_context, prepare, split_parts
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_MAY_COMBINE = lazy_re.compile(
    r"和|跟|与|及|还有|分别|各|、|[,，;；?？。]\s*\S|[\u4e00-\u9fff]\s+\S|\S\s+[\u4e00-\u9fff]|[1-9一二三四五][、.是]"
    r"|\b(?:and|or|vs|versus)\b",
    re.IGNORECASE,
)  # the cheap test before any splitting: some mark of a second question, or an operation (see reply)
_CACHE: list[tuple[FactBase, Gazetteer]] = []
MAX_PARTS = 8


def gazetteer(base: FactBase) -> Gazetteer:
    """The gazetteer of ``base``, built at its first compound-looking message and kept for a few bases."""
    for known, built in _CACHE:
        if known is base:
            return built
    built = Gazetteer.of(base)
    _CACHE[:] = [*_CACHE[-3:], (base, built)]
    return built


def reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The answer to a compound or comparison message, or ``None`` when ``text`` asks one thing; never
    one whole-message fallback for a message of two things (:func:`listing.each_said`)."""
    said = _reply(assistant, text, session, now)
    if said is None or said.status != "fallback" or len(text) > 2000:
        return said
    return listing.each_said(assistant, text, gazetteer(assistant.base), said, now)


def listed(assistant: Assistant, text: str, said: Reply, now: float) -> Reply:
    """``said``, the message read as one question, or each thing it asks in place when that falls back."""
    if said.status != "fallback" or len(text) > 2000:
        return said
    return listing.each_said(assistant, text, gazetteer(assistant.base), said, now) or said


_WHICH_TWO = (
    "“两者”指的是哪两个？请先分别问到两个数字，或在一句话里说出要比较的两样，比如：科技型企业和高新技术企业差多少？",
    "Which two do you mean? Ask about two figures first, or name both in one question, for example: "
    "How many more tech-based enterprises than high-tech enterprises?",
)


def _reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    prepared = prepare(text)
    if len(text) > 2000 or (session.pending and text.strip().isdigit()):
        return None
    if (back := threshold(text, session, assistant.base)) is not None:  # 「超过200个了吗」 after a figure
        return compare(assistant, text, back[0], session, now, given=back[1])
    names = gazetteer(assistant.base)
    if (
        each_one := sentences.reply(assistant, text, names, session, now)
    ) is not None:  # 「A超过…吗？B超过…吗？」
        return each_one
    rest = remainder.read(text, names)  # 「重点项目里除了新开项目还有多少个」
    if rest is not None:
        return remainder.reply(assistant, text, rest, session, now)
    grew = growth.read(text, names)  # 「A和B哪个增长得快」: growth, not size
    if grew is not None:
        return growth.reply(assistant, text, grew, session, now)
    session.expire(now)  # figures older than the follow-up context are not «两者»
    computed = derived.reply(assistant, text, session, now)  # an average, a city-wide estimate
    if computed is not None:
        return computed
    if not _MAY_COMBINE.search(prepared) and operation(prepared) is None:
        return None
    back = recall(text, names, session, assistant.base)  # 「两者差多少」 after two figures
    if back is not None:
        return compare(assistant, text, back[0], session, now, given=back[1])
    if without_two(text, names, session, assistant.base):  # 「两者差多少」 before two figures were asked
        zh = has_cjk(text)
        return Reply(
            shown(text),
            "fallback",
            _WHICH_TWO[0 if zh else 1],
            "zh" if zh else "en",
            reason="missing_operand",
        )
    ask = detect(text, names)
    if ask is not None:
        return compare(assistant, text, ask, session, now)

    def answerable(part: str) -> str | None:
        said = assistant.reply_one(part, Session(lang=session.lang, reply_lang=session.reply_lang), now)
        fact = assistant.base.get(said.fact_id) if said.status == "answer" and said.fact_id else None
        if fact is None:
            return (
                "" if said.status == "smalltalk" else None
            )  # 「你是谁？」: a part of its own, with no subject
        return prepare(fact.subject.get("zh" if has_cjk(part) else "en")) if fact.subject else ""

    whole = _Whole(assistant, text, session, now)
    found = split_parts(text, names, answerable=answerable)
    if len(found) < 2 and whole.reply().status != "answer":
        found = split_parts(text, names, loose=True, answerable=answerable)  # read whole it is not answered
    if len(found) < 2 and found[0][0] != text and whole.reply().status != "answer":
        alone = assistant.reply_one(found[0][0], replace(session), now)  # the one asking clause
        if alone.status == "answer":
            return replace(assistant.reply_one(found[0][0], session, now), question=shown(text))
    if len(found) < 2:
        missing = _missing_conjuncts(assistant, names, whole, prepared, session)
        return missing if missing is not None else whole.taken(session)
    parts, unread = [p for p, _ in found[:MAX_PARTS]], [p for p, _ in found[MAX_PARTS:]]
    answers, scratch = each(assistant, parts, session, now)
    answers = elided(assistant, names, answers, now)
    answers = qualified(assistant.base, names, answers, [inherited for _, inherited in found])
    answers = inline.computed_parts(assistant, names, answers, now)  # 「…，两者差多少」 over the parts before
    answers = [replace(a, question=own_words(a.question, names)) if inherited else a
               for a, (_, inherited) in zip(answers, found, strict=False)]  # fmt: skip
    answered = [a.fact_id for a in answers if a.status == "answer" and a.fact_id]
    missed = [_says_unknown(a, q, inherited) for a, (q, inherited) in zip(answers, found, strict=False)
              if a.status != "answer"]  # fmt: skip
    if len(set(answered)) == 1 and missed and not any(missed):  # one fact answers; the rest is more words
        read = whole.taken(session, read=True)  # about it, or small talk
        if read is not None and read.status == "answer":
            return read
        one = next(q for a, (q, _) in zip(answers, found, strict=False) if a.status == "answer")
        return replace(assistant.reply_one(one, session, now), question=shown(text))
    if not answered:  # nothing the parts ask is known: the whole when it reads as one, else each part
        read = whole.taken(session, read=True)  # said unknown in its place
        if (
            read is None
            or read.status == "answer"
            or not all(_says_unknown(a, q, i) for a, (q, i) in zip(answers, found, strict=False))
        ):
            return read
        text_out = render.parts_text(assistant.base, answers, answers[0].lang)
        return CompoundReply(shown(text), "fallback", text_out, answers[0].lang, read.score,
                             reason="no_part_answered", parts=tuple(part(assistant.base, a) for a in answers))  # fmt: skip
    commit(session, scratch, list(answered))
    every = tuple(part(assistant.base, a) for a in answers)
    if len(answered) == len(answers) and len(set(answered)) == 1 and not unread:
        # 「科技型企业多少家，占全市多少」: one fact answers every part, so its answer is said once
        first = {f.name: getattr(answers[0], f.name) for f in fields(Reply)}
        return CompoundReply(**{**first, "question": shown(text)}, parts=every)
    distinct = _distinct(answers)
    lang = answers[0].lang
    status = (
        "answer" if all(a.status in ("answer", "smalltalk") for a in answers) and not unread else "partial"
    )
    text_out = render.parts_text(assistant.base, distinct, lang)
    left: tuple[Part, ...] = ()
    if unread:  # never dropped silently: said, and listed in the JSON
        text_out += "\n" + render.unread_text(len(unread), lang)
        left = tuple(Part(q, "fallback", reason="too_many_parts") for q in unread)
    return CompoundReply(
        shown(text), status, text_out, lang, min(a.score for a in answers),
        reason="" if status == "answer" else "part_unanswered", parts=every + left,
    )  # fmt: skip


_CHECKING = lazy_re.compile(
    r"(?:是|对|真的|没错|是不是真的|是真的)(?:吗|么|不|吧|嘛|不是|没有)?[?？]?$|(?:is that|is it) (?:right|true|correct)\??$"
)


class _Whole:
    """The message read as one question on a copy of the session, at most once per message."""

    def __init__(self, assistant: Assistant, text: str, session: Session, now: float) -> None:
        self.assistant, self.text, self.now = assistant, text, now
        self.session = replace(session)
        self.answer: Reply | None = None

    def reply(self) -> Reply:
        if self.answer is None:
            self.answer = self.assistant.reply_one(self.text, self.session, self.now)
        return self.answer

    def taken(self, session: Session, read: bool = False) -> Reply | None:
        """The single-question reply, with its effect on ``session``; ``None`` when never read and
        ``read`` is false (the caller's single-question path then answers)."""
        if self.answer is None and not read:
            return None
        answer = self.reply()
        session.adopt(self.session)
        return answer


def _says_unknown(answer: Reply, question: str, inherited: bool) -> bool:
    """A part not answered that still reads as its own question: anything but a check of what was
    just said (「是真的吗」 after a figure), which the answer to the part before already settles."""
    if answer.status in ("answer", "smalltalk"):  # 「你是谁呀？」 beside a question: small talk, not unknown
        return False
    return not inherited or not _CHECKING.search(question)


def _missing_conjuncts(
    assistant: Assistant, names: Gazetteer, whole: _Whole, prepared: str, session: Session
) -> Reply | None:
    """Parts the message read whole would drop, said in place. Answered whole: the answer as one part
    and each thing joined by a conjunction that its fact does not cover (「研发机构和孵化器」). Not
    answered: each asking clause on its own, when one of them is answered (「你们是机器人吗，重点实验室
    有几家」). ``None`` when nothing would be dropped."""
    asking = [c for c in clauses(whole.text) if re.search(r"\w", c) and not is_context(c, names)]
    if not CONJ_ZH.search(prepared) and len(asking) < 2:
        return None
    answer = whole.reply()
    fact = assistant.base.get(answer.fact_id) if answer.status == "answer" and answer.fact_id else None
    units = (
        uncovered(whole.text, fact, names)
        if fact is not None or len(asking) < 2
        else [(c, False) for c in asking]
    )
    if not units or (fact is None and len(units) < 2):
        return None
    units = list(dict.fromkeys(units))  # a thing named twice is said once
    units, unread = units[:MAX_PARTS], [word for word, _ in units[MAX_PARTS:]]  # bounded work, said below
    lang = answer.lang
    said: list[Reply] = []
    for (
        word,
        covered,
    ) in units:  # each thing on its own: another fact's answer, the message's, or what is missing
        own = whole.assistant.reply_one(word, Session(lang=lang), whole.now)
        known = {a.fact_id for a in said if a.status == "answer"}
        if own.status == "answer" and own.fact_id not in known and (fact is None or own.fact_id != fact.id):
            said.append(own)  # 「专项债项目数和债券资金额」: the other thing has a fact of its own
        elif fact is not None and (covered or (own.status == "answer" and own.fact_id == fact.id)):
            said += [] if fact.id in known else [replace(answer, question=word)]
        elif fact is None or own.status in ("clarify", "smalltalk"):
            said.append(own)  # its own words on what is missing
        else:
            why = f"not_covered:{word}"
            said.append(
                Reply(word, "fallback", replies.fallback_text(assistant.base, why, lang), lang, reason=why)
            )
    said = [a for a in said if a.status != "smalltalk"]  # 「你是谁呀？」 beside a question: the question
    if fact is None and len(said) == 1 and said[0].status == "answer":
        return replace(assistant.reply_one(said[0].question, session, whole.now), question=shown(whole.text))
    if len(said) < 2:
        return None  # nothing left out after all
    text = render.parts_text(assistant.base, said, lang)
    text += "\n" + render.unread_text(len(unread), lang) if unread else ""  # never dropped silently
    parts = tuple(part(assistant.base, a) for a in said) + tuple(Part(q, "fallback", reason="too_many_parts")
                                                                 for q in unread)  # fmt: skip
    if not any(a.status == "answer" for a in said):  # nothing known: still each part in its place
        whole.taken(session, read=True)
        return CompoundReply(shown(whole.text), "fallback", text, lang, answer.score, reason="no_part_answered",
                             parts=parts)  # fmt: skip
    status = "answer" if all(a.status == "answer" for a in said) and not unread else "partial"
    whole.taken(session, read=True)
    session.recent = ()
    session.answered(*(a.fact_id for a in said if a.status == "answer" and a.fact_id))
    return CompoundReply(shown(whole.text), status, text, lang, answer.score,
                         reason="" if status == "answer" else "part_unanswered", parts=parts)  # fmt: skip


def _distinct(answers: list[Reply]) -> list[Reply]:
    """Two parts answered by one fact are one answer (「科技型企业多少家，占全市多少」)."""
    seen: set[str] = set()
    out = []
    for a in answers:
        if a.fact_id and a.status == "answer":
            if a.fact_id in seen:
                continue
            seen.add(a.fact_id)
        out.append(a)
    return out
