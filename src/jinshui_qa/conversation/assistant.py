"""The conversation: one session per chat, follow-ups that expire, and replies rendered as data.

:class:`Assistant` is the one object adapters talk to (console, CLI, Telegram). It holds an immutable
fact base and its router; a :class:`Session` holds one conversation's state and nothing else, so two
chats never share context. No I/O here: the adapters print or send what ``Reply.text`` says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field, fields, replace
from typing import Any

from jinshui_qa.conversation import choices, gate, replies, reply_language
from jinshui_qa.conversation.gate import asked, bare_threshold, may_be_compound, without_markup
from jinshui_qa.conversation.smalltalk import command_kind
from jinshui_qa.facts.schema import FactBase, Lang
from jinshui_qa.records import dataclass
from jinshui_qa.routing.router import Context, Router, RouteResult
from jinshui_qa.text.normalize import MAX_CHARS

CONTEXT_TURNS = 3
CONTEXT_SECONDS = 600.0


@dataclass(frozen=True)
class Option:
    """A choice offered to the user: a fact and its short title."""

    fact_id: str
    title: str


@dataclass
class Session:
    """One conversation's state: the last answered fact, when, and the language the user chose."""

    context: Context | None = None
    turns_since: int = 0
    updated_at: float = 0.0
    lang: Lang | None = None
    pending: tuple[str, ...] = field(default=())
    pending_lang: Lang | None = None  # the language the pending choices were offered in («2» answers in it)
    recent: tuple[str, ...] = field(default=())  # the last facts answered (at most 2), for 「两者差多少」
    pending_ask: str = ""  # the yes/no or computation the pending choice was offered for (pending_work)
    reply_lang: Lang | None = None  # asked for in a message (「用英文回答」)

    def expire(self, now: float) -> None:
        if self.context and (self.turns_since >= CONTEXT_TURNS or now - self.updated_at > CONTEXT_SECONDS):
            self.context = None
            self.recent = ()

    def adopt(self, scratch: Session) -> None:
        """Take every field of ``scratch``: a copy this message was answered on (``replace(session)``)."""
        for each in fields(self):
            setattr(self, each.name, getattr(scratch, each.name))

    def answered(self, *fact_ids: str) -> None:
        """Remember facts just answered, in order, as the figures a follow-up comparison refers to."""
        for fact_id in fact_ids:
            self.recent = (*(f for f in self.recent if f != fact_id), fact_id)[-2:]


@dataclass(frozen=True)
class Reply:
    """What to tell the user, with everything a script or an adapter needs to know about it."""

    question: str
    status: str
    text: str
    lang: Lang
    score: float = 0.0
    fact_id: str | None = None
    options: tuple[Option, ...] = ()
    related: tuple[Option, ...] = ()
    source: str | None = None
    topic: str | None = None
    reason: str = ""
    period: str | None = None  # the period the answer's figures describe: 2022, 2022-Q1
    as_of: str | None = None  # the year of the report the answer comes from
    question_id: str | None = None  # set by the adapter that logs it, so a vote can refer to it later

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "status": self.status,
            "fact_id": self.fact_id,
            "reply": self.text,
            "score": self.score,
            "lang": self.lang,
            "options": [{"fact_id": o.fact_id, "title": o.title} for o in self.options],
            "related": [{"fact_id": o.fact_id, "title": o.title} for o in self.related],
            "source": self.source,
            "sources": self.source.splitlines() if self.source else [],
            "topic": self.topic,
            "reason": self.reason or None,
            "period": self.period,
            "as_of": self.as_of,
        }


class Assistant:
    """Answers messages from one fact base; stateless apart from the sessions passed in."""

    def __init__(self, base: FactBase, router: Router, today: dt.date | None = None) -> None:
        self.base = base
        self.router = router
        self.today = today  # the date replies are written on (None: the system date); decides 据2022年的报道

    def reply_part(self, text: str, session: Session | None = None, now: float = 0.0) -> Reply:
        """Answer ``text`` as exactly one question (one part of a message a caller has split, e.g. one
        side of a comparison): no clause search; follow-up context is read and updated as in ``reply``."""
        return self.reply_one(text, session, now, whole=True)

    def reply(
        self, text: str, session: Session | None = None, now: float = 0.0, *, premised: bool = True
    ) -> Reply:
        """Answer one message; updates ``session`` (context, pending choices) when one is given. Markup is
        read as what it is (:func:`without_markup`); a figure stated, then a question: the question
        (:mod:`.premise`, unless not ``premised``); several questions or a comparison: part by part
        (:mod:`.compound`); any other message: :meth:`reply_one`. ``source``: :func:`.parts.cited`'s shape."""
        said = self._reply(text, session, now, premised)
        if said.status in ("clarify", "smalltalk") or (type(said) is Reply and said.source and said.fact_id):
            return said  # nothing cited, or a plain answer's own citation (the one shape already)
        from jinshui_qa.conversation.parts import cited  # imports this module: bound at the first use

        return cited(self.base, said)

    def _reply(self, text: str, session: Session | None, now: float, premised: bool) -> Reply:
        session = session if session is not None else Session()
        text = without_markup(text)
        if kind := command_kind(text):  # 「/topics」 typed as a message: in the conversation's language
            lang = reply_language.chosen(session)
            return self._remember(session, now, Reply(text, "smalltalk", replies.smalltalk_text(self.base, kind, lang),
                                                      lang, 100.0, reason=kind))  # fmt: skip
        if reply_language.named(text) and (asked_in := reply_language.reply(self, text, session, now)):
            return asked_in  # 「用英文回答」: a dialogue act, not content
        if (said := gate.comparison_said(text)) != text:  # 「A > B 吗」 read as 「A比B多吗」, shown as typed
            compared = self.reply(said, scratch := replace(session), now)
            if compared.status == "answer" or not gate.loosely_compared(text):
                session.adopt(scratch)
                return replace(compared, question=text)
        from jinshui_qa.conversation import scalar  # 「高企乘以2」, "gaoqi chaoguo 1000 jia ma"

        if (zh := scalar.in_pinyin(self, text)) is not None:  # a threshold, check or gap in pinyin
            return replace(self.reply(zh, session, now), question=text)
        if (done := scalar.computed(self, text, session, now)) is not None:  # 「(高企+科技型企业)/2」 too
            return done
        if premised and gate.may_be_premised(text):  # 「A占20%，那全市多少」: its modules loaded only then
            from jinshui_qa.conversation import premise

            if asked_after := premise.reply(self, text, session, now):
                return asked_after
        asking = asked(text)
        if asking != text:  # a long message: what its asking clauses ask, else the router reads it whole
            from jinshui_qa.conversation import long_message

            taken = long_message.reply(self, text, asking, session, now)
            if taken is not None:
                return taken
        combined = None
        if (may_be_compound(text) or (session.recent and bare_threshold(text))) and not gate.numbers_only(
            text
        ):
            from jinshui_qa.conversation import compound  # imports this module: bound at the first use

            combined = compound.reply(self, text, session, now)
            if combined is None:  # one question after all, unless it falls back: then each thing in place
                return compound.listed(self, text, self.reply_one(text, session, now), now)
        return combined if combined is not None else self.reply_one(text, session, now)

    def reply_one(
        self, text: str, session: Session | None = None, now: float = 0.0, *, whole: bool = False
    ) -> Reply:
        """Answer ``text`` as one question (with the session's follow-up context and pending choices);
        ``whole``: read all of it, without looking for the clause that asks."""
        session = session if session is not None else Session()
        session.expire(now)
        question = text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "…"
        picked = choices.numbered(text, session.pending) or choices.named(self.base, text, session.pending)
        if picked is not None and session.pending_ask:  # 「1」 after 「重点项目超过200亿了吗」's choice
            from jinshui_qa.conversation import pending_work

            if (again := pending_work.again(self, picked, session, now, question)) is not None:
                return again
        if picked is not None:  # 「2」, 「新增的」 after a clarifying question
            return self.answer_fact(picked, session, now, question=question, lang=session.pending_lang)
        if choices.out_of_range(text, session.pending):  # 「3」 of two options: the options again
            return self._remember(session, now, choices.offered_again(self.base, question, session))
        if choices.all_of(text):  # 「两个都要」: every option offered, or (none pending) nothing asked
            if session.pending:
                return choices.every_option(self, question, session, now)
            lang = self._lang(text, session)
            vague = replies.fallback_text(self.base, "vague", lang)
            return self._remember(session, now, Reply(question, "fallback", vague, lang, reason="vague"))
        lang = self._lang(text, session)
        if kind := gate.unread(text, followup=session.context is not None):  # too long, or 「0」 alone
            text = replies.fallback_text(self.base, kind, lang)
            return self._remember(session, now, Reply(question, "fallback", text, lang, reason=kind))
        result = choices.among(self.router, text, session.pending, session.context, whole)
        said = self._render(question, result, lang)
        if said.status not in ("answer", "clarify", "fallback"):
            return self._remember(session, now, said, result)
        from jinshui_qa.conversation import verify  # 科技型企业是3000家吗, 新签约项目几个亿, 开工率

        return verify.settle(self, text, said, session, now, result)

    def answer_fact(self, fact_id: str, session: Session | None = None, now: float = 0.0,
                    question: str | None = None, lang: Lang | None = None) -> Reply:  # fmt: skip
        """Answer a fact chosen directly (a button press or a numbered choice)."""
        session = session if session is not None else Session()
        lang = lang or reply_language.chosen(session)
        fact = self.base.get(fact_id)
        if fact is None:
            return Reply(question or fact_id, "fallback", replies.fallback_text(self.base, "gone", lang), lang,
                         reason="unknown_fact")  # fmt: skip
        result = RouteResult("answer", lang, 100.0, fact.id, tokens=self.router.analyse(fact.title.zh)[2])
        return self._remember(
            session, now, self._render(question or fact.title.get(lang), result, lang), result
        )

    def _lang(self, text: str, session: Session) -> Lang:
        if session.reply_lang or any("\u3400" <= ch <= "\u9fff" for ch in text):  # (no regex compiled: 2 ms)
            return session.reply_lang or "zh"  # asked for (「用英文回答」), else Chinese as typed
        if re.search(r"[A-Za-zＡ-Ｚａ-ｚ]{2,}", text):  # full-width letters too: read as Latin
            return self.router.analyse(text)[0]
        return reply_language.chosen(session)

    def _render(self, question: str, result: RouteResult, lang: Lang) -> Reply:
        base = self.base
        if result.status == "answer" and result.fact_id:
            fact = base.fact(result.fact_id)
            related = tuple(Option(r, base.fact(r).title.get(lang)) for r in fact.related if base.get(r))
            report = base.reports.get(fact.source.report)
            return Reply(question, "answer", replies.answer_text(base, fact, lang, self.today), lang, result.score,
                         fact.id, related=related, source=base.source_label(fact, lang), topic=fact.topic,
                         period=fact.time, as_of=str(report.year) if report else None)  # fmt: skip
        if result.status == "clarify":
            options = tuple(Option(c.fact_id, base.fact(c.fact_id).title.get(lang)) for c in result.options)
            text = replies.clarify_text([o.title for o in options], lang)
            return Reply(question, "clarify", text, lang, result.score, options=options)
        if result.status == "smalltalk":
            return Reply(question, "smalltalk", replies.smalltalk_text(base, result.smalltalk, lang), lang, 100.0,
                         reason=result.smalltalk)  # fmt: skip
        about, why = base.get(result.vetoed) if result.vetoed else None, result.reason
        if why.startswith("not_covered:"):  # 垃圾分类, not 垃圾分; and never 「报道里没有关于“政府”的信息」
            word = replies.whole_word(why[12:], question)
            why = ("mentioned:" if self.router.mentions(word) else "not_covered:") + word
        return Reply(question, "fallback", replies.fallback_text(base, why, lang, about), lang, max(0.0, result.score),
                     reason=result.reason)  # fmt: skip

    def _remember(
        self, session: Session, now: float, reply: Reply, result: RouteResult | None = None
    ) -> Reply:
        session.turns_since += 1
        session.pending = tuple(o.fact_id for o in reply.options)
        session.pending_ask = (
            session.pending_ask if reply.reason == "out_of_range" else ""
        )  # 「5」 of 2: kept
        session.pending_lang = reply.lang if reply.options else None
        if result is not None and reply.status == "answer" and reply.fact_id:
            session.context = Context(reply.fact_id, result.tokens, reply.lang, result.attributes)
            session.answered(reply.fact_id)
        elif result is not None and result.vetoed and result.reason.startswith("other_place"):
            session.context = Context(result.vetoed, result.tokens, reply.lang)  # 「那金水区呢」 may follow
        elif result is not None and len({self.base.fact(o.fact_id).subject or o for o in reply.options}) == 1:
            session.context = Context(
                reply.options[0].fact_id, result.tokens, reply.lang
            )  # 储备项目, then 总投资呢
        else:
            return reply
        session.turns_since = 0
        session.updated_at = now
        return reply

    # -- what adapters show besides answers ---------------------------------------------------------
    def greeting(self, lang: Lang) -> str:
        return replies.greeting_text(self.base, lang)

    def help(self, lang: Lang) -> str:
        return replies.help_text(self.base, lang)

    def about(self, lang: Lang) -> str:
        return replies.about_text(self.base, lang)

    def examples(self, lang: Lang) -> list[str]:
        return list(replies.EXAMPLES[lang])

    def topics(self, lang: Lang) -> list[Option]:
        """Topics as options (fact_id holds the topic id)."""
        return [Option(t.id, t.title.get(lang)) for t in self.base.topics]

    def topic_questions(self, topic_id: str, lang: Lang) -> list[Option]:
        """One example question per fact of a topic."""
        return [
            Option(f.id, (f.questions(lang) or (f.title.get(lang),))[0]) for f in self.base.facts_of(topic_id)
        ]
