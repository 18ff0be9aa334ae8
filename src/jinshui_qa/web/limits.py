"""Limits and safety around the web app: who the client is, how often it may ask, how big a request may be,
and the security headers on every response. Pure ASGI middleware (no per-request task or copy).

- :func:`client_address`: the peer address, or the last untrusted hop of ``X-Forwarded-For`` when the
  peer is a trusted proxy (``JQA_WEB_TRUSTED_PROXIES``); a forged header from anyone else is ignored.
- :class:`RateLimiter`: a token bucket per client key (``rate`` per minute, ``burst`` at once), bounded
  memory; :meth:`RateLimiter.check` returns 0 to go on, else the seconds to wait (``Retry-After``). With
  several workers their buckets are shared (:mod:`jinshui_qa.web.shared_limit`).
- :class:`BodyLimit`: 413 with a JSON error for a body over ``max_bytes`` (declared or streamed), 408 for
  one that has not arrived within ``seconds`` (a slow client holds no connection open).
- :class:`HeadAsGet`: ``HEAD`` of every ``GET`` route (the headers of ``GET``, no body), as HTTP requires.
- :class:`SecurityHeaders`: CSP without inline script, ``frame-ancestors`` from the allow-list,
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import math
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jinshui_qa.web.settings import Network


def error_body(code: str, message: str) -> bytes:
    """The JSON error every refusal carries: ``{"error": code, "message": text}``."""
    return json.dumps({"error": code, "message": message}, ensure_ascii=False).encode("utf-8")


async def send_error(
    send: Send, status: int, code: str, message: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    body = error_body(code, message)
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


def _trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(scope: Scope, proxies: tuple[Network, ...]) -> str:
    """The client's address as this server should believe it (see the module docstring)."""
    peer = scope.get("client")
    address = str(peer[0]) if peer else "unknown"
    if not proxies or not _trusted(address, proxies):
        return address
    forwarded = b",".join(v for k, v in scope.get("headers", ()) if k == b"x-forwarded-for").decode("latin-1")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _trusted(hop, proxies):
            return hop
        address = hop
    return address


class RateLimiter:
    """A token bucket per key; the least recently seen keys are forgotten beyond ``max_keys``."""

    def __init__(self, rate_per_minute: float, burst: int, max_keys: int = 100_000) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def check(self, key: str, now: float) -> int:
        """Take one token for ``key`` at ``now``: 0 when allowed, else whole seconds until one is free."""
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens, wait = take(tokens, last, now, self.rate, self.burst)
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait


def take(tokens: float, last: float, now: float, rate: float, burst: float) -> tuple[float, int]:
    """One token from a bucket holding ``tokens`` at ``last``, refilled at ``rate`` per second up to
    ``burst``: the tokens left and 0, or the tokens and the whole seconds until one is free."""
    tokens = min(burst, tokens + max(0.0, now - last) * rate)
    if tokens >= 1.0:
        return tokens - 1.0, 0
    return tokens, max(1, math.ceil((1.0 - tokens) / rate))


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413 before the app parses them, and bodies not
    received within ``seconds`` with 408 (a client sending a byte now and then holds no connection open)."""

    def __init__(self, app: ASGIApp, max_bytes: int, seconds: float = 10.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await send_error(send, 413, "body_too_large", f"the request body is over {self.max_bytes} bytes")
            return
        if declared in (None, b"0") and scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)  # no body to wait for
            return
        body, more = b"", True  # read here, up to the limit and the deadline, then given to the app
        try:
            async with asyncio.timeout(self.seconds):
                while more:
                    message = await receive()
                    if message["type"] != "http.request":
                        return  # the client went away
                    body += message.get("body", b"")
                    more = bool(message.get("more_body"))
                    if len(body) > self.max_bytes:
                        await send_error(
                            send, 413, "body_too_large", f"the request body is over {self.max_bytes} bytes"
                        )
                        return
        except TimeoutError:
            await send_error(send, 408, "request_timeout", f"the request body took over {self.seconds:g} s to arrive",
                             [(b"connection", b"close")])  # fmt: skip
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class HeadAsGet:
    """Answer ``HEAD`` as ``GET`` without the body: FastAPI's routes accept only the methods they name,
    so a monitor's ``HEAD /healthz`` got 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body"):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class SecurityHeaders:
    """Add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, origins: tuple[str, ...]) -> None:
        self.app = app
        ancestors = " ".join(("'self'", *origins))
        csp = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
               f"form-action 'self'; frame-ancestors {ancestors}")  # fmt: skip
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def header(scope: Scope | dict[str, Any], name: bytes) -> str:
    """One request header (the first), decoded, or ``""``."""
    return next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == name), "")
