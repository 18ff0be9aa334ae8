"""Replies computed off the event loop, so one slow question never holds up the other chats.

The event loop only moves updates and replies (polling, sending, acknowledging button presses); each
turn's routing runs in a small, bounded thread pool (:class:`ThreadReplies`). A chat's session is
handed to the worker while the chat's lock (``delivery.PerChatProcessor``) is held, so no two turns of
one chat are ever computed at once or out of order; different chats run side by side.

Why threads (``benchmarks/offloop.py``: the real bot against the fake Bot API, ordinary questions with
a 4,000-character one among them; figures in its docstring): with the GIL switch interval that
``app.serve`` sets (1 ms), other chats' p99 delay is below routing on the loop and level with a
process pool (better under overload), while a process pool must copy each session in and out, load
the whole assistant again in every worker (62 MB each at the real base) and would have to reload the
facts in every worker on a live edit. Threads share the one assistant, its live reloads and its memos
(plain dicts and ``lru_cache``: a race between two threads only costs a recomputation). At Python's
default 5 ms interval the threads did worse under overload: the loop waits for the GIL at each wake-up.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, Protocol

from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.facts.schema import Lang

DEFAULT_WORKERS = 4  # turns routed at once; more only share the GIL and memory with the event loop
Kind = Literal["text", "fact"]


def answer(assistant: Assistant, kind: Kind, value: str, session: Session, now: float,
           lang: Lang | None = None) -> Reply:  # fmt: skip
    """One turn: ``text`` is a message to answer, ``fact`` a fact chosen by a button (in ``lang``)."""
    if kind == "fact":
        return assistant.answer_fact(value, session, now, lang=lang)
    return assistant.reply(value, session, now)


class Replies(Protocol):
    """Computes one turn's reply on ``session`` (updated in place) without blocking the event loop."""

    async def __call__(self, assistant: Assistant, kind: Kind, value: str, session: Session, now: float,
                       lang: Lang | None = None) -> Reply: ...  # fmt: skip

    def close(self) -> None: ...


class ThreadReplies:
    """Turns routed in a thread pool of ``workers`` threads (created at the first turn)."""

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None

    async def __call__(self, assistant: Assistant, kind: Kind, value: str, session: Session, now: float,
                       lang: Lang | None = None) -> Reply:  # fmt: skip
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="jinshui-qa-reply")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, answer, assistant, kind, value, session, now, lang)

    def close(self) -> None:
        """Wait for the turns in hand, then release the threads (a later turn starts a new pool)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)


class InlineReplies:
    """Turns routed on the event loop itself (the old behaviour; the benchmark's baseline)."""

    async def __call__(self, assistant: Assistant, kind: Kind, value: str, session: Session, now: float,
                       lang: Lang | None = None) -> Reply:  # fmt: skip
        return answer(assistant, kind, value, session, now, lang)

    def close(self) -> None:
        """Nothing to release."""
