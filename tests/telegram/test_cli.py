"""``jinshui-qa bot``: settings errors are one line and exit 2; the real process runs, answers and stops."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from jinshui_qa.storage.question_log import read_questions
from jinshui_qa.telegram.app import HEARTBEAT_FILE, write_heartbeat
from jinshui_qa.telegram.cli import add_parser, run
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.live_facts import NEW_ANSWER, NEW_FACT, NEW_QUESTION
from tests.support.telegram_harness import SECRET_PART, TOKEN, Harness, kill_if_running, stop

ROOT = Path(__file__).resolve().parents[2]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="jinshui-qa")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["bot", *argv])


def run_bot(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = run(parse(*argv))
    err = capsys.readouterr().err
    return code, err


@pytest.fixture
def env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray ./.env
    return tmp_path / "bot.env"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "TELEGRAM_BOT_TOKEN is not set"),
        ("TELEGRAM_BOT_TOKEN=\n", "TELEGRAM_BOT_TOKEN is not set"),
        (f"TELEGRAM_BOT_TOKEN={SECRET_PART}\n", "TELEGRAM_BOT_TOKEN is malformed"),
        (f"TELEGRAM_BOT_TOKEN='12:{SECRET_PART[:20]}'\n", "TELEGRAM_BOT_TOKEN is malformed"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nTELEGRAM_API_URL=ftp://x\n", "TELEGRAM_API_URL must be"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nJQA_ADMIN_IDS=1,two\n", "JQA_ADMIN_IDS must be"),
        (f"TELEGRAM_BOT_TOKEN={TOKEN}\nnot a setting\n", "bot.env:2: expected KEY=value"),
    ],
)
def test_settings_problems_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], env_file: Path, content: str, expected: str
) -> None:
    env_file.write_text(content, encoding="utf-8")
    code, err = run_bot(capsys, "--env-file", str(env_file))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("jinshui-qa bot: ") and expected in err
    assert SECRET_PART[:20] not in err and "Traceback" not in err


def test_token_from_the_environment_is_checked_too(
    capsys: pytest.CaptureFixture[str], env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", f"  {SECRET_PART}:oops ")
    code, err = run_bot(capsys)
    assert code == 2 and "malformed" in err and SECRET_PART not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--webhook", "http://bot.example.com/tg"), "--webhook must be the public https:// URL"),
        (("--webhook", "https://bot.example.com/tg"), "needs a secret token"),
        (("--webhook", "https://bot.example.com/tg", "--secret-token", "no spaces"), "secret token"),
        (("--env-file", "/nonexistent/.env"), "does not exist"),
        (("--facts", "/nonexistent/facts"), "does not exist"),
    ],
)
def test_webhook_and_path_problems_exit_2(
    capsys: pytest.CaptureFixture[str], env_file: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...],
    expected: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    code, err = run_bot(capsys, *argv)
    assert code == 2 and expected in err and err.count("\n") == 1


def test_healthcheck_reads_the_heartbeat(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JQA_DATA_DIR", str(tmp_path))
    assert run_bot(capsys, "--healthcheck")[0] == 1
    write_heartbeat(tmp_path / HEARTBEAT_FILE)
    assert run_bot(capsys, "--healthcheck")[0] == 0
    old = time.time() - 300
    os.utime(tmp_path / HEARTBEAT_FILE, (old, old))
    code, err = run_bot(capsys, "--healthcheck")
    assert code == 1 and "unhealthy" in err


async def start_bot_process(
    fake: FakeBotAPI, tmp_path: Path, token: str, **settings: str
) -> asyncio.subprocess.Process:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={token}\n# comment\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "JQA_"))}
    env |= {"TELEGRAM_API_URL": f"http://127.0.0.1:{fake.port}", "JQA_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(ROOT / "src"), **settings}  # fmt: skip
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "jinshui_qa.telegram.cli", "bot", "--env-file", str(tmp_path / ".env"),
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_the_real_process_answers_and_stops_on_sigterm(
    fake: FakeBotAPI, assistant: object, tmp_path: Path
) -> None:
    process = await start_bot_process(fake, tmp_path, TOKEN)
    try:
        await fake.wait_until(
            lambda: bool(fake.of("setMyCommands")) and bool(fake.of("deleteWebhook")), timeout=30
        )
        bot = Harness(fake, None, assistant)  # type: ignore[arg-type]
        reply = await bot.ask(42, "/start", lang="en")
        assert reply.text.startswith("Hello!")
        assert (tmp_path / "data" / HEARTBEAT_FILE).exists()
        err = await stop(process)
    finally:
        await kill_if_running(process)
    log = err.decode()
    assert process.returncode == 0, log
    assert "is running (long polling)" in log and "bot stopped" in log
    assert SECRET_PART not in log and "Traceback" not in log


async def test_the_real_process_reloads_logs_and_keeps_its_store(
    fake: FakeBotAPI, assistant: object, tmp_path: Path
) -> None:
    facts, admin = Path(shutil.copytree(ROOT / "facts", tmp_path / "facts")), 5001
    process = await start_bot_process(
        fake, tmp_path, TOKEN, JQA_FACTS_DIR=str(facts), JQA_ADMIN_IDS=str(admin)
    )
    try:
        await fake.wait_until(
            lambda: len(fake.of("setMyCommands")) == 4 and bool(fake.of("deleteWebhook")), timeout=30
        )
        assert (tmp_path / "data" / "facts.db").is_file()  # ensure_store at startup
        bot = Harness(fake, None, assistant)  # type: ignore[arg-type]
        with (facts / "enterprises.yaml").open("a", encoding="utf-8") as yaml:
            yaml.write(NEW_FACT)
        bot.message(admin, "/reload", lang="en")  # the watcher may get there first: then both report
        await fake.wait_until(lambda: any(c.text.startswith("reloaded: ") for c in fake.replies(admin)))
        assert (await bot.ask(42, NEW_QUESTION)).text.startswith("据2022年的报道，" + NEW_ANSWER)
        err = await stop(process)
    finally:
        await kill_if_running(process)
    assert process.returncode == 0, err.decode()
    rows = read_questions(tmp_path / "data" / "questions.db")
    assert [(r.channel, r.fact_id) for r in rows] == [("telegram", "robot_labs")]
    assert rows[0].user_hash and rows[0].user_hash != "42"
    with contextlib.closing(sqlite3.connect(tmp_path / "data" / "facts.db")) as store:
        assert store.execute("select count(*) from facts where id = 'robot_labs'").fetchone() == (1,)


async def test_a_rejected_token_is_one_line_exit_2(fake: FakeBotAPI, tmp_path: Path) -> None:
    other = "123:" + "Z" * 40
    process = await start_bot_process(fake, tmp_path, other)
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    log = err.decode()
    assert process.returncode == 2, log
    assert log.strip().splitlines()[-1] == (
        "jinshui-qa bot: Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): check it with @BotFather"
    )
    assert "Z" * 40 not in log and "Traceback" not in log
