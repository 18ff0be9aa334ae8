"""Failures from Telegram (429, 500, 409, 403, slow replies) and from our own code: logged and survived."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from telegram.error import InvalidToken

from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.storage.question_log import QuestionLog, read_questions
from jinshui_qa.storage.question_writer import BackgroundQuestionLog
from jinshui_qa.telegram.app import build_application, running
from jinshui_qa.telegram.settings import Settings
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.telegram_harness import SECRET_PART, TOKEN, BotFactory, Harness

QUESTION = "金水区有多少家高新技术企业？"
SORRY = "抱歉，处理您的消息时出了点问题，请稍后再试。"


def delivered(bot: Harness, chat_id: int) -> list[str]:
    """Texts Telegram accepted for a chat (failed attempts are recorded with their status as result)."""
    return [c.text for c in bot.fake.replies(chat_id) if isinstance(c.result, dict)]


async def test_429_is_retried_after_retry_after_and_delivered_once(bot: Harness) -> None:
    bot.fake.fail("sendMessage", 429, retry_after=1, description="Too Many Requests: retry after 1")
    reply = await bot.ask(600, QUESTION)
    assert reply.result == 429
    await bot.fake.wait_until(lambda: len(delivered(bot, 600)) == 1)
    assert delivered(bot, 600) == [bot.assistant.reply(QUESTION, Session()).text]
    await bot.settle()
    assert len(delivered(bot, 600)) == 1


async def test_500_on_send_is_retried_and_delivered(bot: Harness) -> None:
    bot.fake.fail("sendMessage", 500, description="Internal Server Error")
    bot.message(601, QUESTION)
    await bot.fake.wait_until(lambda: len(delivered(bot, 601)) == 1)
    assert [c.result for c in bot.fake.replies(601)] == [500, bot.fake.replies(601)[1].result]


async def test_500_and_conflict_while_polling_are_logged_and_survived(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.fail("getUpdates", 500, description="Internal Server Error")
    bot.fake.fail("getUpdates", 409, description="Conflict: terminated by other getUpdates request")
    await bot.fake.wait_until(lambda: len([c for c in bot.fake.of("getUpdates") if c.result == 409]) == 1)
    assert (await bot.ask(602, QUESTION)).text == bot.assistant.reply(QUESTION, Session()).text
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("network error talking to Telegram" in m for m in messages)
    assert any("another instance is polling with this token" in m for m in messages)


async def test_a_slow_reply_in_one_chat_does_not_hold_up_another(bot: Harness) -> None:
    bot.fake.fail("sendMessage", None, delay=0.5)
    bot.message(603, QUESTION)
    await bot.fake.wait_until(lambda: bot.fake._faults.get("sendMessage") == [])
    fast = await bot.ask(604, "/help")
    await bot.fake.wait_until(lambda: len(bot.fake.replies(603)) == 1)
    assert bot.fake.calls.index(fast) < bot.fake.calls.index(bot.fake.replies(603)[0])


async def test_a_failing_handler_tells_the_user_and_logs_without_secrets(
    make_bot: BotFactory, assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    calls = 0

    def flaky() -> Assistant:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError(f"facts reload failed while using {TOKEN}")
        return assistant

    async with make_bot(source=flaky) as bot:
        assert (await bot.ask(605, QUESTION)).text == SORRY
        assert (await bot.ask(605, QUESTION)).text == assistant.reply(QUESTION, Session()).text
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "error while handling update" in errors[0].getMessage()
    assert "[REDACTED]" in (errors[0].exc_text or "")


async def test_sending_that_keeps_failing_is_logged_then_the_user_is_told(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.fail("sendMessage", 502, times=3, description="Bad Gateway")
    bot.message(606, QUESTION)
    await bot.fake.wait_until(lambda: delivered(bot, 606) == [SORRY])
    assert any("network error" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


async def test_a_user_who_blocked_the_bot_is_not_retried(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    bot.message(607, QUESTION)
    await bot.settle()
    assert [c.result for c in bot.fake.replies(607)] == [403]
    assert any("blocked the bot" in r.getMessage() for r in caplog.records)


class Recorder:
    def __init__(self, fail: bool = False) -> None:
        self.rows: list[dict[str, Any]] = []
        self.fail = fail

    def record(self, *, channel: str, user_id: str | int | None, reply: Reply, latency_ms: float) -> None:
        self.rows.append({"channel": channel, "user_id": user_id, "status": reply.status, "ms": latency_ms})
        if self.fail:
            raise OSError("disk full")


async def test_every_answered_question_is_recorded(make_bot: BotFactory) -> None:
    recorder = Recorder()
    async with make_bot(recorder=recorder) as bot:
        answer = await bot.ask(608, QUESTION, user_id=608)
        bot.press(answer, answer.buttons[0][1])
        await bot.fake.wait_until(lambda: len(bot.fake.replies(608)) == 2)
        await bot.ask(608, "/help")
        await bot.settle()
    assert [(r["channel"], r["user_id"], r["status"]) for r in recorder.rows] == [
        ("telegram", 608, "answer")
    ] * 2
    assert all(r["ms"] >= 0 for r in recorder.rows)


async def test_a_failing_recorder_does_not_stop_the_answer(make_bot: BotFactory) -> None:
    async with make_bot(recorder=Recorder(fail=True)) as bot:
        assert (await bot.ask(609, QUESTION)).text == bot.assistant.reply(QUESTION, Session()).text


async def test_a_locked_question_log_never_holds_up_a_reply(make_bot: BotFactory, tmp_path: Path) -> None:
    db = tmp_path / "questions.db"
    with BackgroundQuestionLog(QuestionLog(db, busy_timeout_ms=1500), interval=0.01) as questions:
        async with make_bot(recorder=questions) as bot:
            await bot.ask(610, QUESTION)
            assert await asyncio.to_thread(questions.flush, 5)  # the file exists, in WAL mode
            blocker = sqlite3.connect(db, isolation_level=None)
            blocker.execute("begin immediate")  # `jinshui-qa report` or a backup holding the file
            try:
                started = time.monotonic()
                for _ in range(4):  # one chat: each message waits for the one before to be done
                    await bot.ask(610, QUESTION)
                elapsed = time.monotonic() - started
                assert not await asyncio.to_thread(questions.flush, 5)  # the writer did find it locked
            finally:
                blocker.execute("rollback")
                blocker.close()
    assert elapsed < 1.0  # nobody waited out the 1.5 s busy timeout
    assert len(read_questions(db)) == 5  # written when the log closed


async def test_a_rejected_token_fails_startup_without_logging_it(
    fake: FakeBotAPI, assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    other = "111:" + "x" * 35
    app = build_application(Settings(token=other, api_url=f"http://127.0.0.1:{fake.port}"), lambda: assistant)
    with pytest.raises(InvalidToken):
        async with running(app):
            pass
    assert "xxxxxxxxxx" not in caplog.text and SECRET_PART not in caplog.text


async def test_the_token_never_appears_in_logs_over_a_full_run(
    make_bot: BotFactory, assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    """Start, answer, survive 429/500/409/a crash, stop: at DEBUG, with tracebacks, the token stays hidden."""
    crash = [True]

    def source() -> Assistant:
        if crash.pop() if crash else False:
            raise RuntimeError(f"boom near {TOKEN}")
        return assistant

    async with make_bot(source=source) as bot:
        bot.fake.fail("getUpdates", 409, description="Conflict: terminated by other getUpdates request")
        bot.fake.fail("sendMessage", 429, retry_after=1)
        bot.fake.fail("sendMessage", 500)
        assert (await bot.ask(610, QUESTION)).result == 429
        await bot.fake.wait_until(lambda: len(delivered(bot, 610)) == 1)
        await bot.ask(611, "/start")
        await bot.settle()
    assert {logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR} <= {
        r.levelno for r in caplog.records
    }
    assert any(r.exc_text for r in caplog.records)  # a traceback was logged and checked
    texts = [r.getMessage() + (r.exc_text or "") for r in caplog.records] + [caplog.text]
    assert not [t for t in texts if SECRET_PART in t]
