"""What the web routes do, free of HTTP: answer a turn on a session rebuilt from its context token, list
topics, store a vote, report health. :mod:`jinshui_qa.web.routes` maps these to JSON and status codes.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from jinshui_qa import __version__
from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.facts.schema import LANGS, Lang
from jinshui_qa.ports import AssistantSource, FlushingRecorder, QuestionRecorder
from jinshui_qa.storage.feedback import FeedbackLog, Vote
from jinshui_qa.web.limits import RateLimiter
from jinshui_qa.web.settings import WebSettings
from jinshui_qa.web.shared_limit import SharedRateLimiter
from jinshui_qa.web.tokens import TokenSigner, Turn, answer_turn

CHANNEL = "web"
SESSION_CACHE = 4096
REPLY_CACHE = 4096
ROUTING_THREADS = 4  # per process: a slow question holds up none of the others (the GIL runs one at a time)
_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2})(?:-(\d{2}))?)?$")


def period_label(time_text: str, lang: Lang) -> str:
    """A fact's ``time`` as people write it: ``2022-Q1`` -> 2022年1~3月 / Q1 2022; others as they are."""
    match = _PERIOD.match(time_text.strip())
    if match is None:
        return time_text
    year, part, day = match.groups()
    if part and part.startswith("Q"):
        quarter = int(part[1])
        zh, en = f"{year}年{3 * quarter - 2}~{3 * quarter}月", f"Q{quarter} {year}"
    elif part:
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        zh = f"{year}年{int(part)}月" + (f"{int(day)}日" if day else "")
        en = (f"{int(day)} " if day else "") + f"{months[int(part) - 1]} {year}"
    else:
        zh, en = f"{year}年", year
    return zh if lang == "zh" else en


def accept_language(header: str) -> Lang:
    """The first of zh/en an ``Accept-Language`` header prefers (by q-value); zh when it names neither."""
    best: tuple[float, int, Lang] | None = None
    for position, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        base = tag.strip().lower()[:2]
        if base not in LANGS:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang: Lang = "zh" if base == "zh" else "en"
        if q > 0 and (best is None or (q, -position) > (best[0], best[1])):
            best = (q, -position, lang)
    return best[2] if best else "zh"


@dataclass(frozen=True)
class Answered:
    """A reply with what the web adds: its id, the next context token and the fact's period."""

    reply: Reply
    context: str
    period: str | None
    period_label: str | None

    def to_json(self) -> dict[str, Any]:
        return {**self.reply.to_json(), "question_id": self.reply.question_id, "context": self.context,
                "period": self.period, "period_label": self.period_label}  # fmt: skip


def _blank(session: Session) -> bool:
    """Whether ``session`` is as good as a new one (any state a later version adds counts as not blank)."""
    return replace(session, turns_since=0, updated_at=0.0, lang=None) == Session()


class WebService:
    """The web channel's state: the assistant source, the recorder, votes, the signer and the limiter.

    It holds no per-user state; the session cache only memoises :func:`replay` (same turns, same
    assistant -> same session), so any replica answers any token the same way. :meth:`ask` runs in one
    of the :attr:`routing` threads (``asking.answer``: routing never holds the event loop; only
    :meth:`ask_memoised`, which routes nothing, runs on it), several at once: the memos are
    read and changed under a lock, and a turn routed on facts replaced meanwhile is not memoised.
    """

    def __init__(self, source: AssistantSource, settings: WebSettings, *, recorder: QuestionRecorder | None = None,
                 feedback: FeedbackLog | None = None, clock: Callable[[], float] = time.time,
                 reply_cache: bool = True) -> None:  # fmt: skip
        self.source = source
        self.settings = settings
        self.recorder = recorder
        self.feedback = feedback
        self.clock = clock
        self.signer = TokenSigner(settings.secret)
        self.limiter: RateLimiter | SharedRateLimiter = (
            SharedRateLimiter(settings.rate_file, settings.rate_per_minute, settings.rate_burst)
            if settings.rate_file  # the workers of `web --workers N`: one limit for all of them
            else RateLimiter(settings.rate_per_minute, settings.rate_burst)
        )
        self._client_key = hashlib.sha256(b"jinshui-qa web client\0" + settings.secret).digest()
        self._id_key, self._ids = os.urandom(32), itertools.count()  # question ids: unguessable and cheap
        self.reply_cache = reply_cache
        self._lock = threading.Lock()  # guards the memos below (ask runs in several threads at once)
        self._owner: Assistant | None = None  # the assistant the caches below belong to
        self._sessions: OrderedDict[tuple[Turn, ...], Session] = OrderedDict()
        self._replies: OrderedDict[tuple[str, str, Lang | None], tuple[Reply, Session]] = OrderedDict()
        # where :meth:`ask` runs when a question must be routed (threads start on first use)
        self.routing = ThreadPoolExecutor(ROUTING_THREADS, thread_name_prefix="web-routing")

    def close(self) -> None:
        """Let the routing threads finish the questions in hand and stop."""
        self.routing.shutdown(wait=True)

    def _question_id(self) -> str:
        """32 hex digits no one can guess (an HMAC of a counter under a per-process random key)."""
        counter = next(self._ids).to_bytes(8, "big")
        return hmac.digest(self._id_key, counter, "sha256")[:16].hex()

    def client_key(self, address: str) -> str:
        """A keyed hash of the client address: what the limiter counts and the question log receives."""
        return hmac.digest(self._client_key, address.encode("utf-8", "replace"), "sha256")[:16].hex()

    def _caches_for(self, assistant: Assistant) -> None:
        with self._lock:
            if assistant is not self._owner:  # new facts: nothing memoised for the old ones holds
                self._owner = assistant
                self._sessions.clear()
                self._replies.clear()

    def _memoised_first(self, turn: Turn) -> tuple[Reply, Session] | None:
        """The memoised reply to a first turn and a copy of the session after it, or ``None``."""
        key = (turn.kind, turn.value, turn.lang)
        with self._lock:
            hit = self._replies.get(key) if self.reply_cache else None
            if hit is None:
                return None
            self._replies.move_to_end(key)
        session = copy.copy(hit[1])
        if session.updated_at:
            session.updated_at = turn.ts
        return hit[0], session

    def _first(self, assistant: Assistant, turn: Turn) -> tuple[Reply, Session]:
        """The reply to a conversation's first turn and the session after it (memoised: it depends only on
        the turn's kind, text and language, so a popular question or an example button is routed once)."""
        hit = self._memoised_first(turn)
        if hit is not None:
            return hit
        session = Session()
        reply = answer_turn(assistant, turn, session)
        if self.reply_cache:
            with self._lock:
                if assistant is self._owner:
                    self._replies[(turn.kind, turn.value, turn.lang)] = (reply, copy.copy(session))
                    if len(self._replies) > REPLY_CACHE:
                        self._replies.popitem(last=False)
        return reply, session

    def _session_after(self, assistant: Assistant, turns: list[Turn]) -> Session:
        """The session after ``turns``: from the longest prefix this process has seen, the rest replayed."""
        for end in range(len(turns), 0, -1):
            with self._lock:
                cached = self._sessions.get(tuple(turns[:end]))
                if cached is not None:
                    session = copy.copy(cached)  # copied under the lock: the memo's own stays untouched
                    break
        else:
            if not turns:
                return Session()
            session, end = self._first(assistant, turns[0])[1], 1
        for position in range(end, len(turns)):
            answer_turn(assistant, turns[position], session)
            self._keep(assistant, turns[: position + 1], session)
        return session

    def _answer(self, assistant: Assistant, turns: list[Turn], turn: Turn) -> tuple[Reply, Session]:
        """The reply to ``turn`` after ``turns``, and the session after it. Memos are exact: replaying the
        same turns on the same assistant gives the same session."""
        if not turns:
            return self._first(assistant, turn)
        session = self._session_after(assistant, turns)
        return answer_turn(assistant, turn, session), session

    def _keep(self, assistant: Assistant, history: list[Turn], session: Session) -> None:
        with self._lock:
            if assistant is not self._owner:  # routed on facts replaced meanwhile: not for the new ones
                return
            self._sessions[tuple(history)] = copy.copy(session)
            while len(self._sessions) > SESSION_CACHE:
                self._sessions.popitem(last=False)

    def ask(self, client: str, *, question: str | None = None, fact_id: str | None = None,
            lang: Lang | None = None, context: str | None = None) -> Answered:  # fmt: skip
        """Answer a question (or a fact chosen by a button) in the conversation ``context`` carries."""
        now = round(self.clock(), 1)  # as the token will carry it, so replaying gives the same session
        turns = self.signer.load(context, now)
        assistant, turn = self._turn(now, question, fact_id, lang)
        started = time.perf_counter()
        reply, session = self._answer(assistant, turns, turn)
        return self._answered(client, assistant, turns, turn, reply, session, started)

    def ask_memoised(self, client: str, *, question: str | None = None, fact_id: str | None = None,
                     lang: Lang | None = None, context: str | None = None) -> Answered | None:  # fmt: skip
        """:meth:`ask`, when it needs no routing: a conversation's first turn (no ``context``, or one that
        carries no turns, as after a fallback) whose reply is in the reply memo, answered in microseconds
        (so on the event loop); ``None`` when it must be routed."""
        if not self.reply_cache:
            return None
        now = round(self.clock(), 1)
        if context and self.signer.load(context, now):
            return None
        assistant, turn = self._turn(now, question, fact_id, lang)
        started = time.perf_counter()
        hit = self._memoised_first(turn)
        if hit is None:
            return None
        return self._answered(client, assistant, [], turn, *hit, started)

    def _turn(self, now: float, question: str | None, fact_id: str | None,
              lang: Lang | None) -> tuple[Assistant, Turn]:  # fmt: skip
        """The assistant in use (its memos reset when the facts were replaced) and the turn asked."""
        assistant = self.source()
        self._caches_for(assistant)
        return assistant, Turn(now, "f", fact_id, lang) if fact_id else Turn(now, "q", question or "", lang)

    def _answered(self, client: str, assistant: Assistant, turns: list[Turn], turn: Turn, reply: Reply,
                  session: Session, started: float) -> Answered:  # fmt: skip
        """Log the reply under a new question id, seal the next context token, add the period."""
        reply = replace(reply, question_id=self._question_id())
        latency_ms = (time.perf_counter() - started) * 1000
        if self.recorder is not None:
            self.recorder.record(channel=CHANNEL, user_id=client, reply=reply, latency_ms=latency_ms)
        # a session left with nothing to carry (no context, no pending choice) needs no history at all
        token, history = self.signer.seal([] if _blank(session) else [*turns, turn])
        if history == [*turns, turn]:  # the next request sends exactly these turns: remember where they led
            self._keep(assistant, history, session)
        fact = assistant.base.get(reply.fact_id) if reply.status == "answer" and reply.fact_id else None
        label = period_label(fact.time, reply.lang) if fact else None
        return Answered(reply, token, fact.time if fact else None, label)

    def topics(self, lang: Lang) -> dict[str, Any]:
        assistant = self.source()
        topics = [{"id": t.fact_id, "title": t.title,
                   "questions": [{"fact_id": q.fact_id, "question": q.title}
                                 for q in assistant.topic_questions(t.fact_id, lang)]}
                  for t in assistant.topics(lang)]  # fmt: skip
        return {"lang": lang, "topics": topics, "examples": assistant.examples(lang)}

    def health(self) -> dict[str, Any]:
        """The facts in use and the last reload: ``last_reload`` is ``ok`` or ``failed`` (the facts in use are
        then the last good ones, ``status`` says ``degraded`` but the endpoint stays 200: answers are
        still right), with ``reload_problems`` and ``last_reload_at`` (UTC, None before any reload)."""
        base = self.source().base
        problems = list(getattr(self.source, "last_problems", None) or [])
        at = getattr(self.source, "last_reload_at", None)
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at)) if isinstance(at, float) else None
        return {"status": "degraded" if problems else "ok", "facts_loaded": bool(base.facts),
                "facts": len(base.facts), "topics": len(base.topics), "version": base.fingerprint[:16],
                "app_version": __version__, "last_reload": "failed" if problems else "ok",
                "reload_problems": len(problems), "last_reload_at": when}  # fmt: skip

    def known_question(self, question_id: str) -> bool:
        """Whether ``question_id`` is in the log (queued rows are written first); StoreError if unreadable."""
        if self.feedback is None:
            return False
        if isinstance(self.recorder, FlushingRecorder):
            self.recorder.flush(5.0)
        return self.feedback.question(question_id) is not None

    def vote(self, client: str, question_id: str, vote: Vote, comment: str | None) -> None:
        if self.feedback is not None:
            self.feedback.vote(
                question_id=question_id, vote=vote, channel=CHANNEL, voter=client, comment=comment
            )
