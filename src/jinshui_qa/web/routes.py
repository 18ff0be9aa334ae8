"""The HTTP API: ``POST /api/ask``, ``GET /api/topics``, ``POST /api/feedback``, ``GET /healthz``.

Every refusal is JSON ``{"error": code, "message": text}``: 413 body too large, 422 invalid request
(question too long, bad vote...), 429 too many questions (with ``Retry-After``), 404 unknown question id,
503 votes cannot be stored right now.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool

from jinshui_qa.errors import StoreError
from jinshui_qa.facts.schema import Lang
from jinshui_qa.storage.feedback import MAX_COMMENT
from jinshui_qa.web.limits import client_address, error_body, header
from jinshui_qa.web.service import WebService, accept_language
from jinshui_qa.web.tokens import MAX_TOKEN_CHARS

MAX_QUESTION_CHARS = 1000
router = APIRouter()


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


class FeedbackIn(BaseModel):
    question_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    vote: Literal["up", "down"]
    comment: str | None = Field(None, max_length=MAX_COMMENT)


def refuse(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(code, message), status, headers, media_type="application/json")


def _service(request: Request) -> WebService:
    service: WebService = request.app.state.web
    return service


def _client(request: Request, service: WebService) -> str:
    return service.client_key(client_address(request.scope, service.settings.trusted_proxies))


def _limited(service: WebService, key: str) -> Response | None:
    wait = service.limiter.check(key, service.clock())
    if not wait:
        return None
    return refuse(
        429, "rate_limited", f"too many requests; try again in {wait} s", {"Retry-After": str(wait)}
    )


_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {
        "description": text,
        "content": {"application/json": {"example": {"error": name, "message": text}}},
    }
    for code, name, text in (
        (413, "body_too_large", "the request body is over 16384 bytes"),
        (422, "invalid_request", "question: String should have at most 1000 characters"),
        (429, "rate_limited", "too many requests; try again in 2 s"),
    )
}


@router.post("/api/ask", response_model=AskOut, responses=_ERRORS, tags=["questions"])
async def ask(body: AskIn, request: Request) -> Response:
    """Answer one question; send the reply's ``context`` back with the next one for follow-ups."""
    service = _service(request)
    client = _client(request, service)
    if (limited := _limited(service, client)) is not None:
        return limited
    # routing runs in a worker thread: a slow question holds up no other request on the event loop
    answered = await run_in_threadpool(service.ask, client, question=body.question, fact_id=body.fact_id,
                                       lang=body.lang, context=body.context)  # fmt: skip
    return JSONResponse(answered.to_json())


@router.get("/api/topics", tags=["questions"])
async def topics(request: Request, lang: Annotated[Lang | None, Query()] = None) -> dict[str, Any]:
    """Topics with one example question per fact, and the example questions, in ``lang``."""
    return _service(request).topics(lang or accept_language(header(request.scope, b"accept-language")))


@router.post("/api/feedback", responses={**_ERRORS, 404: {"description": "no such question"},
                                         503: {"description": "votes cannot be stored right now"}},
             tags=["feedback"])  # fmt: skip
async def feedback(body: FeedbackIn, request: Request) -> Response:
    """Vote on an answer (``up`` or ``down``, with an optional comment); voting again replaces the vote."""
    service = _service(request)
    client = _client(request, service)
    if (limited := _limited(service, "vote:" + client)) is not None:
        return limited
    if service.feedback is None:
        return refuse(503, "feedback_unavailable", "votes are not being stored on this server")
    try:
        if not await run_in_threadpool(service.known_question, body.question_id):
            return refuse(404, "unknown_question", "no question with this question_id was logged")
        await run_in_threadpool(service.vote, client, body.question_id, body.vote, body.comment)
    except StoreError:
        return refuse(503, "store_unavailable", "the vote could not be stored; please try again later")
    return JSONResponse({"ok": True, "question_id": body.question_id, "vote": body.vote})


@router.get("/healthz", tags=["service"])
async def healthz(request: Request) -> dict[str, Any]:
    """Whether facts are loaded, how many, and their version (fingerprint)."""
    return _service(request).health()
