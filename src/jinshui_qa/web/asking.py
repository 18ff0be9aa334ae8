"""``POST /api/ask``, the hot path: read, check, answer and encode one question in :func:`answer`.

The FastAPI route (:func:`jinshui_qa.web.routes.ask`) describes the endpoint in OpenAPI and calls
:func:`answer`; :class:`AskShortcut`, the innermost middleware, calls the same function for the same
requests without FastAPI's per-request machinery (route matching, dependency solving, exit stacks),
which cost more CPU than the answer itself when the reply is memoised. Both run under the same outer
middleware (security headers, body limit, CORS), so the responses are the same byte for byte.

The body is an :class:`AskIn`, parsed and checked by pydantic's JSON validator as FastAPI would; a body
that is not ``application/json`` (or ``application/*+json``) is refused with 422 like an invalid one.
A reply the service has memoised is taken on the event loop (microseconds: no routing); anything to
route runs in one of the service's routing threads, so a slow question holds up no other request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from typing import Any, Literal

import orjson
from pydantic import BaseModel, Field, ValidationError, model_validator
from starlette.types import ASGIApp, Receive, Scope, Send

from jinshui_qa.facts.schema import Lang
from jinshui_qa.web.limits import client_address, error_body, header
from jinshui_qa.web.service import WebService
from jinshui_qa.web.tokens import MAX_TOKEN_CHARS

MAX_QUESTION_CHARS = 1000
Headers = list[tuple[bytes, bytes]]
Outcome = tuple[int, bytes, Headers]  # status, JSON body, headers besides content-type and length


class AskIn(BaseModel):
    """A question, or a fact chosen by a button (``fact_id``), with the context token of the last reply."""

    question: str | None = Field(None, max_length=MAX_QUESTION_CHARS, examples=["金水区有多少家科技型企业？"])
    fact_id: str | None = Field(None, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")
    context: str | None = Field(
        None, max_length=MAX_TOKEN_CHARS, description="the `context` of the last reply"
    )
    lang: Lang | None = Field(None, description="the language the user chose (answers follow the question's)")

    @model_validator(mode="after")
    def _one_of(self) -> AskIn:
        if not (self.question or "").strip() and not self.fact_id:
            raise ValueError("give a question (or the fact_id of a button)")
        return self


class OptionOut(BaseModel):
    fact_id: str
    title: str


class AskOut(BaseModel):
    """The same object as ``jinshui-qa ask --json`` prints, plus ``question_id``, ``context`` and the period."""

    question: str
    status: Literal["answer", "clarify", "fallback", "smalltalk"]
    fact_id: str | None
    reply: str
    score: float
    lang: Lang
    options: list[OptionOut]
    related: list[OptionOut]
    source: str | None
    topic: str | None
    reason: str | None
    question_id: str = Field(description="what POST /api/feedback refers to")
    context: str = Field(description="send it back with the next question for follow-ups")
    period: str | None = Field(
        description="the period the answered fact describes, as in the facts (2022-Q1)"
    )
    period_label: str | None = Field(description="the period as people write it (2022年1~3月)")


def refusal(status: int, code: str, message: str, headers: Headers | None = None) -> Outcome:
    return status, error_body(code, message), headers or []


def invalid(errors: Sequence[Any]) -> Outcome:
    """422 naming the first problem of a pydantic error list (``question: String should have at most...``)."""
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid request"))
    return refusal(422, "invalid_request", message.replace("Value error, ", ""))


def limited(service: WebService, key: str) -> Outcome | None:
    """429 with ``Retry-After`` when ``key`` asked too often, else ``None`` (and one request counted)."""
    wait = service.limiter.check(key, service.clock())
    if not wait:
        return None
    return refusal(429, "rate_limited", f"too many requests; try again in {wait} s",
                   [(b"retry-after", str(wait).encode())])  # fmt: skip


def json_media(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def answer(service: WebService, scope: Scope, body: bytes) -> Outcome:
    """The response to a ``POST /api/ask`` with ``body``: the :class:`AskOut` object, or a refusal."""
    if not json_media(header(scope, b"content-type")):
        return refusal(422, "invalid_request", "the body must be JSON (Content-Type: application/json)")
    try:
        asked = AskIn.model_validate_json(body)
    except ValidationError as exc:
        return invalid(exc.errors(include_url=False, include_input=False))
    client = service.client_key(client_address(scope, service.settings.trusted_proxies))
    if (refused := limited(service, client)) is not None:
        return refused
    ask = partial(service.ask, client, question=asked.question, fact_id=asked.fact_id, lang=asked.lang,
                  context=asked.context)  # fmt: skip
    answered = service.ask_memoised(*ask.args, **ask.keywords)
    if answered is None:
        answered = await asyncio.get_running_loop().run_in_executor(service.routing, ask)
    return 200, orjson.dumps(answered.to_json()), []  # compact UTF-8, as json.dumps(ensure_ascii=False)


async def send_outcome(send: Send, outcome: Outcome) -> None:
    status, body, headers = outcome
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class AskShortcut:
    """Serve ``POST /api/ask`` by :func:`answer` directly; everything else goes on to the FastAPI app."""

    def __init__(self, app: ASGIApp, service: WebService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or _route_path(scope) != "/api/ask":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []  # the body limit (outer middleware) has already bounded its size
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send_outcome(send, await answer(self.service, scope, b"".join(chunks)))


def _route_path(scope: Scope) -> str:
    """The path the router matches: without the ``root_path`` a proxy or a mount put in front."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
