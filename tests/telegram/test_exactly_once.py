"""No update lost or answered twice: confirmed only once handled, deduplicated by update_id across restarts."""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

import aiohttp
import pytest

from jinshui_qa.conversation.assistant import Assistant, Reply
from jinshui_qa.telegram.app import SWITCH_INTERVAL, WebhookOptions, build_application, serve
from jinshui_qa.telegram.delivery import RetryingRateLimiter
from jinshui_qa.telegram.settings import Settings
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.telegram_harness import TOKEN, BotFactory, Harness
from tests.telegram.test_webhook import SECRET, free_port, update

QUESTION = "金水区有多少家高新技术企业？"


def per_chat(bot: Harness) -> collections.Counter[int | None]:
    return collections.Counter(c.chat_id for c in bot.fake.of("sendMessage") if isinstance(c.result, dict))


async def test_a_stop_in_the_middle_of_a_backlog_then_a_restart_answers_every_message_once(
    make_bot: BotFactory, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    unlimited = dict(overall_max_rate=0, group_max_rate=0)
    async with make_bot(data_dir=data, rate_limiter=RetryingRateLimiter(**unlimited)) as bot:
        for n in range(1000):
            bot.message(20_000 + n % 200, f"{QUESTION} {n}")
        await bot.fake.wait_until(lambda: len(bot.fake.of("sendMessage")) >= 300, timeout=60)
    first = len(bot.fake.of("sendMessage"))
    assert first < 1000  # stopped with a backlog left
    async with make_bot(data_dir=data, rate_limiter=RetryingRateLimiter(**unlimited)) as again:
        await again.fake.wait_until(lambda: len(again.fake.of("sendMessage")) >= 1000, timeout=60)
        await asyncio.sleep(0.3)
    assert len(again.fake.of("sendMessage")) == 1000
    assert set(per_chat(again).values()) == {5}


async def test_a_failed_final_confirmation_does_not_repeat_answers_after_a_restart(
    make_bot: BotFactory, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    async with make_bot(data_dir=data) as bot:
        for chat in (31, 32, 33):
            await bot.ask(chat, QUESTION)
        bot.fake.fail("getUpdates", 500, times=50)  # the confirming call at shutdown fails
    assert len(bot.fake.of("sendMessage")) == 3
    bot.fake._faults.clear()
    async with make_bot(data_dir=data) as again:
        await again.ask(34, QUESTION)
        await again.settle()
    assert per_chat(again) == {31: 1, 32: 1, 33: 1, 34: 1}


async def test_an_update_the_library_cannot_parse_is_skipped_once_without_personal_data(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.add_update(
        "message", {"message_id": 1, "chat": {"id": 40}, "from": {"first_name": "Secret Name"}}
    )
    assert (await bot.ask(41, QUESTION)).text
    await bot.settle()
    skipped = [r.getMessage() for r in caplog.records if "cannot parse" in r.getMessage()]
    assert len(skipped) == 1 and "Secret Name" not in caplog.text
    assert len(bot.fake.of("getUpdates")) < 20  # no tight retry loop
    allowed = {tuple(c.params.get("allowed_updates") or ()) for c in bot.fake.of("getUpdates")}
    assert allowed == {("message", "callback_query")}


async def test_webhook_checks_the_secret_before_the_body_caps_it_and_refuses_bad_json(
    make_bot: BotFactory,
) -> None:
    options = WebhookOptions("https://bot.example.com/tg/hook", SECRET, listen="127.0.0.1", port=free_port())
    async with make_bot(webhook=options) as bot, aiohttp.ClientSession() as http:
        for secret, status in (("wrong", 403), (SECRET, 413)):
            reader, writer = await asyncio.open_connection("127.0.0.1", options.port)
            writer.write((f"POST /tg/hook HTTP/1.1\r\nHost: x\r\nContent-Length: 94371840\r\n"
                          f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n\r\n{{").encode())  # fmt: skip
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), 5)  # answered without the 90 MB
            assert status_line.split()[1] == str(status).encode()
            writer.close()
        url = f"http://127.0.0.1:{options.port}/tg/hook"
        good = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(url, data="{not json", headers=good) as response:
            assert response.status == 400
        for _ in range(2):  # Telegram delivers the same update twice
            async with http.post(url, data=json.dumps(update(7, 950, QUESTION)), headers=good) as response:
                assert response.status == 200
            await bot.app.update_queue.join()
        await bot.fake.wait_until(lambda: len(bot.fake.replies(950)) == 1)
        await asyncio.sleep(0.2)
        assert len(bot.fake.replies(950)) == 1
        logging.getLogger(__name__).info("done")


async def test_a_late_button_press_still_gets_its_answer(bot: Harness) -> None:
    listing = await bot.ask(60, "/topics")
    bot.fake.fail(
        "answerCallbackQuery", 400, description="Bad Request: query is too old and response timeout expired"
    )
    topic = bot.assistant.topics("zh")[0]
    fact = bot.assistant.topic_questions(topic.fact_id, "zh")[0]
    bot.press(listing, f"q:{fact.fact_id}:zh")
    await bot.fake.wait_until(lambda: len(bot.fake.replies(60)) == 2)
    from jinshui_qa.conversation.assistant import Session

    assert bot.fake.replies(60)[1].text == bot.assistant.answer_fact(fact.fact_id, Session(), lang="zh").text


async def test_a_forged_or_stale_button_says_expired_with_the_topics_and_is_not_logged(
    make_bot: BotFactory,
) -> None:
    logged: list[str] = []

    class Recorder:
        def record(self, *, channel: str, user_id: object, reply: object, latency_ms: float) -> None:
            logged.append(str(reply))

    async with make_bot(recorder=Recorder()) as bot:
        listing = await bot.ask(70, "/topics")
        before = len(logged)
        bot.press(listing, "q:no_such_fact_anywhere:zh")
        await bot.fake.wait_until(lambda: len(bot.fake.replies(70)) == 2)
        expired = bot.fake.replies(70)[1]
        assert expired.text == "这个按钮已失效，请重新提问或发送 /topics。"
        assert [data for _, data in expired.buttons] == [data for _, data in listing.buttons]
        await bot.settle()
        assert len(logged) == before


async def test_sigterm_in_a_backlog_of_1000_then_a_restart_answers_every_message_exactly_once(
    fake: FakeBotAPI, assistant: Assistant, tmp_path: Path
) -> None:
    """The real signal path: ``serve`` (what ``jinshui-qa bot`` runs) gets SIGTERM mid-backlog, drains what
    it took in, stops; a new bot on the same data directory answers the rest. Each of the 1,000 questions
    is answered exactly once, each chat's in the order sent."""
    assert threading.current_thread() is threading.main_thread()  # else SIGTERM would not reach serve()
    questions: list[str] = []

    class Recorder:
        def record(self, *, channel: str, user_id: object, reply: Reply, latency_ms: float) -> None:
            questions.append(reply.question)

    settings = Settings(token=TOKEN, api_url=f"http://127.0.0.1:{fake.port}", data_dir=tmp_path / "data")
    sent = Harness(fake, None, assistant)
    texts = [f"第{n // 200 + 1}问：金水区有多少家高新技术企业？（{n}）" for n in range(1000)]
    for n, text in enumerate(texts):
        sent.message(30_000 + n % 200, text)
    for attempt in range(2):
        unlimited = RetryingRateLimiter(overall_max_rate=0, group_max_rate=0)
        app = build_application(settings, lambda: assistant, Recorder(), rate_limiter=unlimited)
        bot = asyncio.create_task(serve(app))
        if attempt == 0:
            await fake.wait_until(lambda: len(questions) >= 300, timeout=60, what="300 answers")
            assert sys.getswitchinterval() == SWITCH_INTERVAL  # while serving (routing threads vs the loop)
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            await fake.wait_until(lambda: len(questions) >= 1000, timeout=60, what="1,000 answers")
            await asyncio.sleep(0.3)  # time for a repeated answer to show
            os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(bot, 30)
        assert sys.getswitchinterval() != SWITCH_INTERVAL  # put back once stopped
        if attempt == 0:
            stopped_at = len(questions)
            assert 300 <= stopped_at < 1000  # stopped with a backlog left
    assert sorted(questions) == sorted(texts)  # every one, once
    assert len(fake.of("sendMessage")) == 1000
    for chat in range(30_000, 30_200):
        asked = [t for n, t in enumerate(texts) if 30_000 + n % 200 == chat]
        assert [q for q in questions if q in set(asked)] == asked


async def test_updates_handled_out_of_order_before_a_crash_are_not_answered_again(
    make_bot: BotFactory, tmp_path: Path
) -> None:
    """Killed without a clean stop, the ledger on disk holds the floor (1) and one update handled above
    it (2, its chat was faster than 1's): Telegram sends 1, 2 and 3 again; only 1 and 3 are answered."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "updates.json").write_text(json.dumps({"floor": 1, "handled": [2]}), encoding="utf-8")
    async with make_bot(data_dir=data) as bot:
        for chat in (51, 52, 53):  # update ids 1, 2, 3
            bot.message(chat, QUESTION)
        await bot.settle()
        assert per_chat(bot) == {51: 1, 53: 1}
    assert json.loads((data / "updates.json").read_text(encoding="utf-8")) == {"floor": 4, "handled": []}
