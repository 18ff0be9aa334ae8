"""POST /api/ask's two ways in (AskShortcut and the FastAPI route), the JSON-only body, what runs on the
event loop, and the headers every answer carries."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from jinshui_qa.web import routes
from jinshui_qa.web.service import WebService
from tests.web.conftest import ORIGIN


class CountingPool(ThreadPoolExecutor):
    """A routing pool that counts the questions handed to it."""

    def __init__(self) -> None:
        super().__init__(2)
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def _service(client: httpx.AsyncClient) -> WebService:
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    service: WebService = transport.app.state.web  # type: ignore[attr-defined]
    return service


async def _through_fastapi(client: httpx.AsyncClient, body: bytes, content_type: str) -> httpx.Response:
    """The FastAPI route itself (what /docs describes), called without the shortcut in front."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/api/ask", "headers": [(b"content-type", content_type.encode())],
             "client": ("203.0.113.7", 40000), "app": transport.app, "query_string": b""}  # fmt: skip
    response = await routes.ask(Request(scope, receive))
    return httpx.Response(response.status_code, headers=dict(response.headers), content=bytes(response.body))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ({"question": "金水区科技型企业有几家"}, "application/json"),
        ({"question": "How many high-tech enterprises does Jinshui have?", "lang": "en"}, "application/json"),
        ({"question": "问" * 1001}, "application/json"),
        ({"question": "金水"}, "text/plain"),
    ],
)
async def test_the_shortcut_and_the_fastapi_route_give_the_same_response(
    client: httpx.AsyncClient, body: dict[str, Any], content_type: str
) -> None:
    raw = json.dumps(body, ensure_ascii=False).encode()
    short = await client.post("/api/ask", content=raw, headers={"Content-Type": content_type})
    routed = await _through_fastapi(client, raw, content_type)
    assert short.status_code == routed.status_code
    assert short.headers["content-type"] == routed.headers["content-type"] == "application/json"
    a, b = short.json(), routed.json()
    if short.status_code == 200:
        assert a["question_id"] != b["question_id"]
        a["question_id"] = b["question_id"] = None
    assert a == b


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("application/merge-patch+json", 200),
        ("text/plain", 422),  # a form on any site could send this without a CORS preflight
        ("application/x-www-form-urlencoded", 422),
        ("", 422),
    ],
)
async def test_the_body_must_be_json(client: httpx.AsyncClient, content_type: str, status: int) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    r = await client.post(
        "/api/ask", content='{"question": "金水区科技型企业有几家"}'.encode(), headers=headers
    )
    assert r.status_code == status, r.text
    if status == 422:
        assert r.json()["error"] == "invalid_request" and "JSON" in r.json()["message"]


async def test_a_memoised_reply_is_answered_on_the_event_loop_and_anything_else_in_a_routing_thread(
    client: httpx.AsyncClient,
) -> None:
    service = _service(client)
    pool = service.routing = CountingPool()
    first = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    assert pool.submitted == 1  # routed once
    again = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    assert pool.submitted == 1 and again["reply"] == first["reply"]  # the memo, on the loop
    assert again["question_id"] != first["question_id"]
    follow = await client.post("/api/ask", json={"question": "那高企呢", "context": again["context"]})
    assert pool.submitted == 2 and follow.json()["fact_id"] == "high_tech_enterprises"
    fallback = (await client.post("/api/ask", json={"question": "北京有多少家企业"})).json()
    assert pool.submitted == 3 and fallback["status"] == "fallback"  # its token carries no turns
    fresh = await client.post(
        "/api/ask", json={"question": "金水区科技型企业有几家", "context": fallback["context"]}
    )
    assert pool.submitted == 3 and fresh.json()["reply"] == first["reply"]  # a new conversation: the memo
    service.reply_cache = False
    await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})
    assert pool.submitted == 4  # no memo: routed again
    pool.shutdown()


async def test_answers_and_refusals_carry_the_security_and_cors_headers(client: httpx.AsyncClient) -> None:
    for body in ({"question": "金水区科技型企业有几家"}, {"question": "问" * 1001}):
        r = await client.post("/api/ask", json=body, headers={"Origin": ORIGIN})
        assert r.headers["access-control-allow-origin"] == ORIGIN
        assert "frame-ancestors" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"


async def test_the_openapi_description_of_ask(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    ask = spec["paths"]["/api/ask"]["post"]
    request = ask["requestBody"]["content"]["application/json"]["schema"]
    assert ask["requestBody"]["required"] and {"question", "fact_id", "context", "lang"} <= set(
        request["properties"]
    )
    answer = ask["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["$ref"].endswith("/AskOut")
    assert {"question_id", "context", "reply", "period_label"} <= set(
        spec["components"]["schemas"]["AskOut"]["properties"]
    )
    assert {"413", "422", "429"} <= set(ask["responses"])


async def test_a_body_sent_in_chunks_without_a_length_is_read_whole(client: httpx.AsyncClient) -> None:
    raw = json.dumps({"question": "金水区科技型企业有几家"}, ensure_ascii=False).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(raw), 7):
            yield raw[start : start + 7]

    r = await client.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["fact_id"] == "tech_enterprises"
