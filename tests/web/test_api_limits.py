"""Refusals and safety in-process: 413, 422, 429, 404, 405, CORS, trusted proxies, security headers, the page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from tests.web.conftest import ORIGIN, Clock


async def _error(r: httpx.Response, status: int, code: str) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["error"] == code and body["message"]
    return str(body["message"])


async def test_body_over_the_limit_is_413_declared_or_streamed(client: httpx.AsyncClient) -> None:
    big = b'{"question": "' + "问".encode() * 6000 + b'"}'
    await _error(await client.post("/api/ask", content=big, headers={"Content-Type": "application/json"}),
                 413, "body_too_large")  # fmt: skip

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(20):
            yield b" " * 1024

    r = await client.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
    await _error(r, 413, "body_too_large")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"question": "问" * 1001}, "question"),
        ({"question": "   "}, "give a question"),
        ({}, "give a question"),
        ({"question": 5}, "question"),
        ({"question": "金水", "lang": "fr"}, "lang"),
        ({"fact_id": "../etc"}, "fact_id"),
        ({"question": "金水", "context": "x" * 3000}, "context"),
    ],
)
async def test_invalid_questions_are_422_with_a_clear_message(
    client: httpx.AsyncClient, body: dict[str, object], where: str
) -> None:
    assert where in await _error(await client.post("/api/ask", json=body), 422, "invalid_request")


async def test_malformed_json_is_422(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    await _error(r, 422, "invalid_request")


async def test_unknown_paths_and_methods_are_json_errors(client: httpx.AsyncClient) -> None:
    await _error(await client.get("/api/nothing"), 404, "not_found")
    await _error(await client.get("/api/ask"), 405, "method_not_allowed")


async def test_rate_limit_is_per_client_with_retry_after(
    make_client: Callable[..., httpx.AsyncClient], clock: Clock
) -> None:
    async with (
        make_client(log=False, rate_per_minute=6, rate_burst=3) as one,
        make_client("198.51.100.9", log=False, rate_per_minute=6, rate_burst=3) as other,
    ):
        # one app per client here, so the limit itself is checked twice; per-client keys below
        for _ in range(3):
            assert (await one.post("/api/ask", json={"question": "金水"})).status_code == 200
        r = await one.post("/api/ask", json={"question": "金水"})
        await _error(r, 429, "rate_limited")
        assert r.headers["Retry-After"] == "10"  # one token per 10 s at 6 a minute
        clock.now += 10
        assert (await one.post("/api/ask", json={"question": "金水"})).status_code == 200
        assert (await other.post("/api/ask", json={"question": "金水"})).status_code == 200


async def test_clients_behind_a_trusted_proxy_are_told_apart_and_forgery_is_ignored(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    import ipaddress

    proxies = (ipaddress.ip_network("10.0.0.0/8"),)
    async with make_client("10.1.2.3", log=False, rate_burst=1, trusted_proxies=proxies) as via_proxy:
        for address in ("192.0.2.1", "192.0.2.2"):
            r = await via_proxy.post(
                "/api/ask", json={"question": "金水"}, headers={"X-Forwarded-For": address}
            )
            assert r.status_code == 200
        r = await via_proxy.post(
            "/api/ask", json={"question": "金水"}, headers={"X-Forwarded-For": "192.0.2.1"}
        )
        assert r.status_code == 429
    async with make_client("192.0.2.50", log=False, rate_burst=1, trusted_proxies=proxies) as direct:
        assert (
            await direct.post("/api/ask", json={"question": "金水"}, headers={"X-Forwarded-For": "1.1.1.1"})
        ).status_code == 200
        r = await direct.post("/api/ask", json={"question": "金水"}, headers={"X-Forwarded-For": "8.8.8.8"})
        assert r.status_code == 429  # an untrusted peer cannot pose as someone else


async def test_cors_preflight_allows_only_the_allow_list(client: httpx.AsyncClient) -> None:
    ok = await client.options("/api/ask", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})  # fmt: skip
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in ok.headers["access-control-allow-methods"]
    bad = await client.options("/api/ask", headers={"Origin": "http://evil.test",
                                                    "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
    simple = await client.post("/api/ask", json={"question": "金水"}, headers={"Origin": "http://evil.test"})
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.parametrize(
    "path", ["/", "/api/topics", "/healthz", "/widget.js", "/static/chat.js", "/api/nothing"]
)
async def test_security_headers_everywhere(client: httpx.AsyncClient, path: str) -> None:
    r = await client.get(path)
    csp = r.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None and "unsafe" not in script_src.group(1)
    assert f"frame-ancestors 'self' {ORIGIN}" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_the_page_follows_accept_language_and_has_no_inline_script_or_external_files(
    client: httpx.AsyncClient,
) -> None:
    en = await client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    zh = await client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    forced = await client.get("/?lang=en", headers={"Accept-Language": "zh-CN"})
    assert (
        '<html lang="en">' in en.text and '<html lang="zh">' in zh.text and '<html lang="en">' in forced.text
    )
    html = zh.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html), "external file"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    for asset in re.findall(r"""(?:src|href)="(static/[^"]+)""", html):
        assert (await client.get("/" + asset)).status_code == 200
    script = (await client.get("/static/chat.js")).text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


async def test_the_widget_script_and_the_docs(client: httpx.AsyncClient) -> None:
    widget = await client.get("/widget.js")
    assert widget.headers["content-type"].startswith("text/javascript")
    assert widget.headers["cross-origin-resource-policy"] == "cross-origin" and "innerHTML" not in widget.text
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "docs-static/swagger-ui-bundle.js" in docs.text
    assert (await client.get("/docs-static/swagger-ui-bundle.js")).status_code == 200
    spec = (await client.get("/openapi.json")).json()
    assert {"/api/ask", "/api/topics", "/api/feedback", "/healthz"} <= set(spec["paths"])


async def test_a_body_that_does_not_arrive_in_time_is_408(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    """A client that sends a byte now and then (slowloris) holds no connection open: 408 at the deadline."""
    import asyncio

    async def trickle() -> AsyncIterator[bytes]:
        yield b'{"question": "'
        await asyncio.sleep(3600)  # never finishes: the deadline answers
        yield b'"}'

    async with make_client(body_seconds=0.05) as client, asyncio.timeout(60):  # a failure, never a hang
        for headers in ({"Content-Type": "application/json"}, {"Content-Length": "40"}):
            r = await client.post("/api/ask", content=trickle(), headers=headers)
            await _error(r, 408, "request_timeout")
            assert r.headers["connection"] == "close"
        assert (await client.post("/api/ask", json={"question": "高企多少家"})).status_code == 200


async def test_head_is_answered_for_every_get_route(client: httpx.AsyncClient) -> None:
    """Monitors and link checkers send HEAD: the headers of GET, no body (it was 405)."""
    for path in ("/", "/healthz", "/api/topics", "/widget.js", "/docs"):
        got, head = await client.get(path), await client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.headers["content-type"] == got.headers["content-type"] and head.content == b""
        assert "content-security-policy" in head.headers
    assert (await client.head("/api/nothing")).status_code == 404
    assert (await client.head("/api/ask")).status_code == 405  # POST only: HEAD is GET's, not POST's


async def test_a_trailing_slash_is_not_redirected(client: httpx.AsyncClient) -> None:
    """No 307 to http://<Host header>/...: behind the TLS proxy that was a redirect to plain http."""
    for r in (await client.get("/api/topics/"), await client.post("/api/ask/", json={"question": "高企"})):
        await _error(r, 404, "not_found")
        assert "location" not in r.headers
