"""Context tokens: a conversation's recent turns, signed, so any replica can answer a follow-up.

The server keeps no per-user state. After each reply it hands the browser a token that carries the last
:data:`MAX_TURNS` turns (what was asked or which fact was chosen, when, in which language); the next
request sends it back and :func:`replay` rebuilds the :class:`Session` by asking those turns again, in
order, at their times. That works whatever the router keeps in a session (it only needs
``Assistant.reply`` and ``Assistant.answer_fact``), and across a reload of the facts.

Format: ``z`` + ``base64url(zlib(json))`` (or ``j`` + ``base64url(json)`` when short) ``.``
``base64url(HMAC-SHA256(secret, payload))[:16 bytes]``; the JSON
is ``{"v": 1, "t": [[ts, kind, value, lang], ...]}`` with ``kind`` ``q`` (a question) or ``f`` (a fact
chosen by a button). A token whose signature does not match, that does not parse, or whose last turn
is older than :data:`TOKEN_SECONDS` (the session lifetime the Telegram bot uses) is ignored: the
question is then answered without context, never refused. Tokens stay under :data:`MAX_TOKEN_CHARS`;
older turns are dropped to fit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import zlib
from dataclasses import dataclass
from typing import Literal

import orjson

from jinshui_qa.conversation.assistant import CONTEXT_SECONDS, Assistant, Reply, Session
from jinshui_qa.facts.schema import LANGS, Lang

MAX_TURNS = 6
MAX_TURN_CHARS = 300
MAX_TOKEN_CHARS = 2048
COMPRESS_OVER = 160  # bytes of JSON; smaller payloads are not worth zlib's set-up
TOKEN_SECONDS = CONTEXT_SECONDS
_MAC_BYTES = 16
Kind = Literal["q", "f"]


@dataclass(frozen=True)
class Turn:
    """One turn of a conversation: at ``ts`` (Unix seconds), a question (``q``) or a chosen fact (``f``)."""

    ts: float
    kind: Kind
    value: str
    lang: Lang | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    """Signs and checks context tokens with one server secret (bytes, at least 16)."""

    def __init__(self, secret: bytes, *, lifetime: float = TOKEN_SECONDS) -> None:
        if len(secret) < 16:
            raise ValueError("the token secret must be at least 16 bytes")
        self._key = hashlib.sha256(b"jinshui-qa context token\0" + secret).digest()
        self.lifetime = lifetime
        self._empty: str | None = None

    def _mac(self, payload: str) -> str:
        return _b64(hmac.digest(self._key, payload.encode("ascii"), "sha256")[:_MAC_BYTES])

    def dump(self, turns: list[Turn]) -> str:
        """A token for the last turns (at most MAX_TURNS, each cut to MAX_TURN_CHARS, within MAX_TOKEN_CHARS)."""
        return self.seal(turns)[0]

    def seal(self, turns: list[Turn]) -> tuple[str, list[Turn]]:
        """The token, and the turns it carries exactly as :meth:`load` will return them."""
        if not turns:  # a reply that leaves nothing to follow up (a fallback, small talk): always this token
            if self._empty is None:
                self._empty = self._seal([])[0]
            return self._empty, []
        return self._seal(turns)

    def _seal(self, turns: list[Turn]) -> tuple[str, list[Turn]]:
        kept = [Turn(round(t.ts, 1), t.kind, t.value[:MAX_TURN_CHARS], t.lang) for t in turns[-MAX_TURNS:]]
        while True:
            data = {"v": 1, "t": [[t.ts, t.kind, t.value, t.lang or ""] for t in kept]}
            raw = orjson.dumps(data)  # compact UTF-8: json.dumps(ensure_ascii=False, separators=(",", ":"))
            payload = "z" + _b64(zlib.compress(raw, 6)) if len(raw) > COMPRESS_OVER else "j" + _b64(raw)
            token = f"{payload}.{self._mac(payload)}"
            if len(token) <= MAX_TOKEN_CHARS or len(kept) <= 1:
                return token, kept
            kept = kept[1:]

    def load(self, token: str | None, now: float) -> list[Turn]:
        """The turns of a valid, unexpired token; ``[]`` for anything else (forged, expired, malformed)."""
        if not token or len(token) > MAX_TOKEN_CHARS or not token.isascii() or token.count(".") != 1:
            return []
        payload, mac = token.split(".")
        if not hmac.compare_digest(mac.encode("ascii", "replace"), self._mac(payload).encode("ascii")):
            return []
        try:
            body = _unb64(payload[1:])
            data = orjson.loads(
                zlib.decompressobj().decompress(body, 64 * 1024) if payload[:1] == "z" else body
            )
            parsed = [_turn(item) for item in data["t"]][-MAX_TURNS:]
        except (ValueError, TypeError, KeyError, IndexError, zlib.error, binascii.Error):
            return []
        turns = [t for t in parsed if t is not None]
        if not turns or len(turns) != len(parsed) or not now - self.lifetime <= turns[-1].ts <= now + 60:
            return []
        return turns


def _turn(item: object) -> Turn | None:
    if not isinstance(item, list) or len(item) != 4:
        return None
    ts, kind, value, lang = item
    if not isinstance(ts, int | float) or kind not in ("q", "f") or not isinstance(value, str):
        return None
    return Turn(float(ts), kind, value[:MAX_TURN_CHARS], lang if lang in LANGS else None)


def answer_turn(assistant: Assistant, turn: Turn, session: Session) -> Reply:
    """Answer one turn on ``session`` (also how a turn is replayed)."""
    if turn.kind == "f":
        return assistant.answer_fact(turn.value, session, turn.ts, lang=turn.lang)
    if turn.lang is not None:
        if turn.lang != session.lang:  # the page's language switched: it wins over one asked in a message
            session.reply_lang = None
        session.lang = turn.lang
    return assistant.reply(turn.value, session, turn.ts)


def replay(assistant: Assistant, turns: list[Turn]) -> Session:
    """A session as it stood after ``turns``, rebuilt by answering them again in order."""
    session = Session()
    for turn in turns:
        answer_turn(assistant, turn, session)
    return session
