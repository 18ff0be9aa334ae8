"""The bot's question log: :meth:`BackgroundQuestionLog.record` only queues; one thread writes in batches.

Writing a row costs a transaction, and a commit waits for the disk (or up to the busy timeout when
``jinshui-qa report`` holds the file), which the event loop must never do. So ``record`` stamps the time,
appends to a queue and returns in microseconds; a single writer thread wakes when rows arrive, lets more
gather for ``interval`` seconds (or until ``batch`` rows wait) and hands them all to
:meth:`QuestionLog.add`, one transaction. Faults are the :class:`QuestionLog`'s business: rows it cannot
write stay in its memory and the writer retries them every ``retry_seconds`` even when no new question
comes. No row is lost on the way out: :meth:`flush` waits until everything queued so far was handed over,
:meth:`close` writes the rest and stops the thread (at interpreter exit too, should nobody call it), and
a row recorded after ``close`` is written at once.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from typing import Any

from jinshui_qa.conversation.assistant import Reply
from jinshui_qa.storage.question_log import QuestionLog
from jinshui_qa.storage.user_hash import UserHasher

log = logging.getLogger(__name__)
Entry = tuple[float, str, str | int | None, Reply, float]


class BackgroundQuestionLog:
    """A :class:`QuestionLog` written by a thread of its own; implements ``ports.FlushingRecorder``."""

    def __init__(self, log: QuestionLog, *, interval: float = 0.1, batch: int = 500) -> None:
        self.log = log
        self.interval = interval
        self.batch = batch
        self._queue: list[Entry] = []
        self._cond = threading.Condition(threading.Lock())
        self._queued = 0  # entries ever queued
        self._handed = 0  # of those, entries handed to the log (written, or kept by it after a failure)
        self._hurry = 0  # flush() calls waiting: write without letting a batch gather
        self._closed = False
        self._thread: threading.Thread | None = None

    @classmethod
    def in_dir(cls, data_dir: str | os.PathLike[str], *, hasher: UserHasher | None = None,
               **kwargs: Any) -> BackgroundQuestionLog:  # fmt: skip
        """The log of a data directory (``questions.db``), as ``jinshui-qa bot`` writes it."""
        return cls(QuestionLog.in_dir(data_dir, hasher=hasher), **kwargs)

    def user_hash(self, user_id: str | int | None) -> str | None:
        return self.log.user_hash(user_id)

    def __enter__(self) -> BackgroundQuestionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the caller's side (the event loop) ---------------------------------------------------------
    def record(self, *, channel: str, user_id: str | int | None, reply: Reply, latency_ms: float) -> None:
        """Queue one answered message; never blocks on the database and never raises."""
        try:
            entry = (self.log.clock(), channel, user_id, reply, latency_ms)
            with self._cond:
                if not self._closed:
                    self._queue.append(entry)
                    self._queued += 1
                    if self._thread is None:
                        self._start()
                    elif len(self._queue) == 1 or len(self._queue) == self.batch:
                        self._cond.notify()  # wake the writer: first row of a batch, or a full one
                    return
            self.log.add([entry])  # closed: nobody will write it later, so write it now
            self.log.close()
        except Exception:  # the log must never take the bot down
            log.exception("question log: could not queue a question")

    def flush(self, timeout: float | None = None) -> bool:
        """Hand everything queued so far to the log now; True when it was all written within ``timeout``."""
        with self._cond:
            target = self._queued
            self._hurry += 1
            self._cond.notify_all()
            try:
                handed = self._cond.wait_for(lambda: self._handed >= target, timeout)
            finally:
                self._hurry -= 1
        return handed and not self.log.pending

    def close(self) -> None:
        """Write everything queued (and what the log kept from a failure, if it can), stop the thread."""
        with self._cond:
            self._closed = True
            thread, self._thread = self._thread, None
            self._cond.notify_all()
        if thread is not None:
            thread.join()
            atexit.unregister(self.close)
        self.log.close()

    # -- the writer thread --------------------------------------------------------------------------
    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="question-log-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)  # daemon threads die at exit: write what they hold first

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._queue and not self._closed:
                    # idle; with rows kept from a failure, wake up to retry them (the log's retry_seconds)
                    self._cond.wait(self.log.retry_seconds if self.log.pending else None)
                if self._queue and len(self._queue) < self.batch and not (self._hurry or self._closed):
                    self._cond.wait(self.interval)  # let a batch gather; a full batch or flush() wakes us
                entries, self._queue = self._queue, []
                closed = self._closed
            self.log.add(entries)  # never raises; also retries rows kept from a failure when it is time
            with self._cond:
                self._handed += len(entries)
                self._cond.notify_all()
            if closed:
                return
