"""``jinshui-qa web`` itself: settings errors, the per-process app factory, two worker processes, the memos."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import httpx
import pytest

from jinshui_qa.cli import main
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.storage.question_log import read_questions
from jinshui_qa.web.serve import build_from_env
from jinshui_qa.web.service import WebService
from jinshui_qa.web.settings import WebSettings
from tests.support.tiny import REAL_FACTS
from tests.web.servers import free_port, start_web, stop


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--port", "0"], {}, "--port must be 1-65535"),
        ([], {"JQA_WEB_SECRET": "short"}, "JQA_WEB_SECRET must be at least 16"),
        ([], {"JQA_WEB_ORIGINS": "not an origin"}, "JQA_WEB_ORIGINS"),
        ([], {"JQA_WEB_TRUSTED_PROXIES": "10.0.0.300"}, "JQA_WEB_TRUSTED_PROXIES"),
        (["--workers", "0"], {}, "--workers must be at least 1"),
    ],
)
def test_bad_settings_end_with_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    args: list[str], env: dict[str, str], message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JQA_WEB_SECRET_FILE", str(tmp_path / "secret"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["web", "--facts", str(REAL_FACTS), "--data-dir", str(tmp_path / "data"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    if "JQA_WEB_SECRET" in env:
        assert env["JQA_WEB_SECRET"] not in err


async def test_the_factory_app_logs_questions_and_writes_them_when_it_stops(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _factory_env(monkeypatch, tmp_path)
    app = build_from_env()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            data = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    secret = tmp_path / "config" / "web.secret"
    assert secret.stat().st_mode & 0o777 == 0o600 and len(secret.read_text().strip()) == 64
    assert not list((tmp_path / "data").glob("*secret*"))  # kept outside the data directory
    (row,) = read_questions(tmp_path / "data" / "questions.db")
    assert (row.channel, row.question_id) == ("web", data["question_id"])


def test_two_worker_processes_serve_one_conversation(tmp_path: Path) -> None:
    port = free_port()
    process = start_web(port, tmp_path, "--workers", "2", JQA_WEB_RATE="10000")
    try:
        for _ in range(5):  # a new connection per request: the kernel spreads them over both workers
            context = None
            for question in ("金水区科技型企业有几家", "那高企呢", "在全市占比多少"):
                body = json.dumps({"question": question, "context": context}).encode()
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", body,
                                                 {"Content-Type": "application/json", "Connection": "close"})  # fmt: skip
                with urllib.request.urlopen(request, timeout=10) as r:
                    data = json.loads(r.read())
                context = data["context"]
            assert data["fact_id"] == "high_tech_enterprises"
    finally:
        stop(process)


def test_memos_are_exact_and_dropped_with_the_facts(assistant: Assistant) -> None:
    current = [assistant]
    service = WebService(lambda: current[0], WebSettings(secret=b"s" * 32), clock=lambda: 1000.0)
    first = service.ask("c", question="金水区科技型企业有几家")
    again = service.ask("c", question="金水区科技型企业有几家")
    assert first.reply.question_id != again.reply.question_id
    assert first.to_json() | {"question_id": None} == again.to_json() | {"question_id": None}
    follow = service.ask("c", question="那高企呢", context=again.context)
    assert follow.reply.fact_id == "high_tech_enterprises"
    fallback = service.ask("c", question="北京有多少家企业")
    assert service.signer.load(fallback.context, 1000.0) == []  # nothing to carry: an empty history
    replacement = Assistant(assistant.base, assistant.router)
    current[0] = replacement
    service.ask("c", question="金水区科技型企业有几家")
    assert service._owner is replacement and len(service._replies) == 1


def test_a_long_conversation_gets_the_same_replies_and_tokens_with_or_without_memos(
    assistant: Assistant,
) -> None:
    now = [1000.0]
    settings = WebSettings(secret=b"s" * 32)
    memo = WebService(lambda: assistant, settings, clock=lambda: now[0])
    questions = ["金水区科技型企业有几家", "那高企呢", "在全市占比多少", "项目", "1", "总投资呢", "金水区有多少人才",
                 "那院士呢", "投资", "2", "那高企呢"]  # fmt: skip
    context = None
    for question in questions:
        now[0] += 7.3
        fresh = WebService(
            lambda: assistant, settings, clock=lambda: now[0], reply_cache=False
        )  # another replica
        a = memo.ask("c", question=question, context=context).to_json()
        b = fresh.ask("c", question=question, context=context).to_json()
        assert {**a, "question_id": None} == {**b, "question_id": None}, question
        context = a["context"]


def test_the_workers_of_one_server_share_one_rate_limit(tmp_path: Path) -> None:
    """A client that opens a new connection per question (the kernel spreads them over the workers) gets
    JQA_WEB_RATE once, not once per worker (two workers answered 20 of a burst of 10)."""
    port = free_port()
    process = start_web(port, tmp_path, "--workers", "2", JQA_WEB_RATE="3")  # bursts of 3, 1 more per 20 s
    codes = []
    try:
        for n in range(12):
            body = json.dumps({"question": f"金水区科技型企业有几家{n}"}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", body,
                                             {"Content-Type": "application/json", "Connection": "close"})  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    codes.append(r.status)
            except urllib.error.HTTPError as refused:
                codes.append(refused.code)
    finally:
        stop(process)
    assert codes[:3] == [200, 200, 200] and 3 <= codes.count(200) <= 4 and codes.count(429) >= 8


def test_each_worker_starts_from_the_data_directorys_snapshot(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from jinshui_qa.rebuilder import Rebuilder

    _factory_env(monkeypatch, tmp_path)
    first = build_from_env().state.web.source
    snapshot = tmp_path / "data" / "index.snapshot"
    assert snapshot.is_file()  # the first worker's build is kept for the next start
    built = snapshot.read_bytes()
    again = build_from_env().state.web.source
    assert snapshot.read_bytes() == built
    assert (
        isinstance(again.build, Rebuilder) and again.build.files.parsed == []
    )  # no YAML parsed: the snapshot's
    for question in (
        "金水区科技型企业有几家",
        "How many new academicians does Jinshui have?",
        "重点项目有多少个",
    ):
        assert again().reply(question).to_json() == first().reply(question).to_json()


def _factory_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The environment ``build_from_env`` reads, as a worker of ``web --workers`` gets it, under ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JQA_FACTS_DIR", str(REAL_FACTS))
    monkeypatch.setenv("JQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JQA_WEB_SECRET_FILE", str(tmp_path / "config" / "web.secret"))
    monkeypatch.delenv("JQA_WEB_SECRET", raising=False)
