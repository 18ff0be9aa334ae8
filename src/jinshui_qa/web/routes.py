"""The HTTP API: ``POST /api/ask``, ``GET /api/topics``, ``POST /api/feedback``, ``GET /healthz``.

Every refusal is JSON ``{"error": code, "message": text}``: 413 body too large, 422 invalid request
(question too long, bad vote...), 429 too many questions (with ``Retry-After``), 404 unknown question id,
503 votes cannot be stored right now.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from jinshui_qa.errors import StoreError
from jinshui_qa.facts.schema import Lang
from jinshui_qa.storage.feedback import MAX_COMMENT
from jinshui_qa.web.asking import AskIn, AskOut, Outcome, answer, limited
from jinshui_qa.web.limits import client_address, error_body, header
from jinshui_qa.web.service import WebService, accept_language

router = APIRouter()


class FeedbackIn(BaseModel):
    question_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    vote: Literal["up", "down"]
    comment: str | None = Field(None, max_length=MAX_COMMENT)


def response(outcome: Outcome) -> Response:
    status, body, headers = outcome
    return Response(body, status, {k.decode("latin-1"): v.decode("latin-1") for k, v in headers},
                    media_type="application/json")  # fmt: skip


def refuse(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(code, message), status, headers, media_type="application/json")


def _service(request: Request) -> WebService:
    service: WebService = request.app.state.web
    return service


def _client(request: Request, service: WebService) -> str:
    return service.client_key(client_address(request.scope, service.settings.trusted_proxies))


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


_ASK_BODY = {"required": True, "content": {"application/json": {"schema": AskIn.model_json_schema()}}}


@router.post("/api/ask", response_model=AskOut, responses=_ERRORS, tags=["questions"],
             openapi_extra={"requestBody": _ASK_BODY})  # fmt: skip
async def ask(request: Request) -> Response:
    """Answer one question; send the reply's ``context`` back with the next one for follow-ups."""
    # the body is an AskIn, read by jinshui_qa.web.asking (whose AskShortcut serves this route directly)
    return response(await answer(_service(request), request.scope, await request.body()))


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
    if (refused := limited(service, "vote:" + client)) is not None:
        return response(refused)
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
