"""Small ports between the core and the adapters around it (Telegram, console, question log).

The core never imports an adapter; adapters receive these callables and objects from ``bootstrap``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from jinshui_qa.conversation.assistant import Assistant, Reply

AssistantSource = Callable[[], Assistant]
"""Returns the assistant to use for the next message (live reload swaps what it returns)."""


class QuestionRecorder(Protocol):
    """Somewhere to record each question and its outcome (the SQLite question log, or a fake)."""

    def record(self, *, channel: str, user_id: str | int | None, reply: Reply, latency_ms: float) -> None:
        """Record one answered message; must never raise into the caller.

        The Telegram bot calls it on its event loop, so it must not wait for a disk or a lock either: the
        bot's recorder (``question_writer.BackgroundQuestionLog``) only queues the row.
        """


@runtime_checkable
class FlushingRecorder(QuestionRecorder, Protocol):
    """A recorder that writes later: :meth:`flush` writes what it holds (the bot calls it when it stops)."""

    def flush(self, timeout: float | None = None) -> bool:
        """Write everything recorded so far; True when all of it is written (within ``timeout`` s)."""
