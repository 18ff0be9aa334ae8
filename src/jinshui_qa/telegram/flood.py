"""Per-user flood protection and per-chat sessions of the Telegram bot, pure: the caller passes the time.

A user may send ``limit`` messages within any ``window`` seconds. The message that goes over gets one
gentle notice (:data:`NOTIFY`); after that the user is ignored (:data:`DROP`) until ``window`` seconds
have passed since the notice, then starts afresh. Other users are never affected.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import Enum

from jinshui_qa.conversation.assistant import Session


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"
    DROP = "drop"


ALLOW, NOTIFY, DROP = Verdict.ALLOW, Verdict.NOTIFY, Verdict.DROP


@dataclass
class _User:
    times: deque[float] = field(default_factory=deque)
    muted_until: float = float("-inf")
    last_seen: float = 0.0


class FloodGuard:
    """Sliding-window limiter keyed by user id; memory stays bounded by forgetting idle users."""

    def __init__(self, limit: int = 10, window: float = 10.0, max_users: int = 100_000) -> None:
        if limit < 1 or window <= 0 or max_users < 1:
            raise ValueError("limit and max_users must be positive, window must be > 0")
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._users: OrderedDict[int, _User] = OrderedDict()

    def check(self, user_id: int, now: float) -> Verdict:
        """Count one message from ``user_id`` at ``now`` and say what to do with it."""
        self._forget_idle(now)
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = _User()
        self._users.move_to_end(user_id)
        user.last_seen = now
        if now < user.muted_until:
            return DROP
        times = user.times
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            times.clear()
            user.muted_until = now + self.window
            return NOTIFY
        times.append(now)
        return ALLOW

    def __len__(self) -> int:
        return len(self._users)

    def _forget_idle(self, now: float) -> None:
        users = self._users
        while users:
            user_id, user = next(iter(users.items()))
            idle = user.last_seen <= now - self.window and user.muted_until <= now
            if not idle and len(users) < self.max_users:
                break
            del users[user_id]


class SessionStore:
    """One :class:`Session` per chat id; beyond ``max_chats`` the least recently active chat is forgotten."""

    def __init__(self, max_chats: int = 10_000) -> None:
        self.max_chats = max_chats
        self._sessions: OrderedDict[int, Session] = OrderedDict()

    def get(self, chat_id: int) -> Session:
        session = self._sessions.get(chat_id)
        if session is None:
            session = self._sessions[chat_id] = Session()
            while len(self._sessions) > self.max_chats:
                self._sessions.popitem(last=False)
        self._sessions.move_to_end(chat_id)
        return session

    def __len__(self) -> int:
        return len(self._sessions)
