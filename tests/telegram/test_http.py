"""The bot's HTTP backend (aiohttp under python-telegram-bot): forms, uploads, timeouts, errors, proxies."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from jinshui_qa.telegram.http import AiohttpRequest
from tests.support.fake_bot_api import BOT_ID, FakeBotAPI
from tests.support.telegram_harness import SECRET_PART, TOKEN, BotFactory


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(read_timeout=0.3, connect_timeout=1.0)
    await request.initialize()
    yield request
    await request.shutdown()


def url(port: int, method: str, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}/bot{TOKEN}/{method}"


async def test_the_bot_talks_through_aiohttp(make_bot: BotFactory) -> None:
    async with make_bot() as bot:
        assert isinstance(bot.app.bot.request, AiohttpRequest)
        assert (await bot.ask(700, "/help")).text


async def test_parameters_are_sent_as_a_form(request_: AiohttpRequest, fake: FakeBotAPI) -> None:
    data = RequestData(
        [RequestParameter.from_input("chat_id", 5), RequestParameter.from_input("text", "你好 & =")]
    )
    status, body = await request_.do_request(url(fake.port, "sendMessage"), "POST", data)
    assert status == 200 and json.loads(body)["result"]["text"] == "你好 & ="
    assert fake.of("sendMessage")[0].params == {"chat_id": 5, "text": "你好 & ="}
    status, body = await request_.do_request(url(fake.port, "getMe"), "POST")
    assert status == 200 and json.loads(body)["result"]["id"] == BOT_ID


async def test_a_file_is_uploaded_as_multipart(request_: AiohttpRequest) -> None:
    received: dict[str, object] = {}

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        document = form["document"]
        assert isinstance(document, web.FileField)
        received.update(chat_id=form["chat_id"], name=document.filename, content=document.file.read())
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/bot{token}/sendDocument", upload)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        data = RequestData([RequestParameter.from_input("chat_id", 5),
                            RequestParameter.from_input("document", InputFile(b"%PDF-1.4", filename="r.pdf"))])  # fmt: skip
        status, _ = await request_.do_request(url(runner.addresses[0][1], "sendDocument"), "POST", data)
    finally:
        await runner.cleanup()
    assert status == 200 and received == {"chat_id": "5", "name": "r.pdf", "content": b"%PDF-1.4"}


async def test_a_reply_slower_than_the_read_timeout_times_out(
    request_: AiohttpRequest, fake: FakeBotAPI
) -> None:
    fake.fail("getMe", None, delay=3)
    started = time.monotonic()
    with pytest.raises(TimedOut):
        await request_.do_request(url(fake.port, "getMe"), "POST")
    assert time.monotonic() - started < 2
    status, _ = await request_.do_request(url(fake.port, "getMe"), "POST", read_timeout=5)  # per call
    assert status == 200


async def test_an_unreachable_server_is_a_network_error_without_the_token(request_: AiohttpRequest) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError) as caught:
        await request_.do_request(url(port, "getMe"), "POST")
    assert not isinstance(caught.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in caught.value.message
    assert SECRET_PART not in caught.value.message and SECRET_PART not in repr(caught.value)


async def test_an_uninitialised_request_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request(url(1, "getMe"), "POST")
    await AiohttpRequest().shutdown()  # shutting down what never started is fine


async def test_the_proxy_from_the_environment_is_used_unless_no_proxy_exempts_the_host(
    fake: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a proxy nobody listens on: only the exempt host can be reached
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{dead}")
    monkeypatch.delenv("http_proxy", raising=False)
    direct = AiohttpRequest()
    await direct.initialize()
    try:
        status, _ = await direct.do_request(url(fake.port, "getMe"), "POST")  # NO_PROXY: 127.0.0.1
    finally:
        await direct.shutdown()
    assert status == 200
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{fake.port}")  # now the fake plays the proxy
    proxied = AiohttpRequest()
    await proxied.initialize()
    try:
        status, body = await proxied.do_request(url(80, "getMe", host="api.telegram.invalid"), "POST")
    finally:
        await proxied.shutdown()
    assert status == 200 and json.loads(body)["result"]["id"] == BOT_ID
