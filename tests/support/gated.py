"""An assistant whose routing of one question waits until the test lets it finish: shows whether a
channel keeps serving others while a question is being routed (routing off the event loop)."""

from __future__ import annotations

import threading
from typing import Any

from jinshui_qa.conversation.assistant import Assistant, Reply, Session

SLOW = "金水区有多少家高新技术企业？"  # routed by a stand-in that waits until the test lets it finish
FAST = "今年谋划了多少个重点项目？"
SAFETY = 10.0  # seconds: the stand-in gives up waiting (a blocked loop could never release it)


class Gated:
    """The real assistant, except that routing ``SLOW`` waits for ``release`` (or SAFETY seconds)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.release = threading.Event()
        self.log: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.assistant, name)

    def reply(self, text: str, session: Session | None = None, now: float = 0.0) -> Reply:
        with self._lock:
            self.log.append(("start", text))
        if text == SLOW:
            self.release.wait(SAFETY)
        reply = self.assistant.reply(text, session, now)
        with self._lock:
            self.log.append(("end", text))
        return reply
