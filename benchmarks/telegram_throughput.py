"""End-to-end Telegram throughput: replies per second for 1,000 messages from 500 chats (two each).

The real bot (python-telegram-bot, long polling) runs in this process; the fake Bot API server from
``tests/telegram`` runs in a child process on 127.0.0.1, as Telegram would be elsewhere. Each run queues
all 1,000 updates at once and times from then until the 1,000th sendMessage arrives, then checks that
every message was answered exactly once and in order within its chat. Telegram's own limit (about 30
messages a second) is switched off in the rate limiter: this measures the bot, not Telegram.

    .venv/bin/python benchmarks/telegram_throughput.py [--runs 5] [--concurrency N] [--stub] [--log] [--inline] [--switch-ms 1]

``--stub`` replaces the fact base by an instant answer, to see the adapter's own ceiling; ``--log`` records
every question in a question log (in a temporary directory), as ``jinshui-qa bot`` does, and checks at the
end that every question is in it; ``--inline`` routes on the event loop instead of the bot's thread pool.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fake Bot API lives with the tests

from jinshui_qa.conversation.assistant import Reply, Session  # noqa: E402
from tests.support.fake_bot_api import FakeBotAPI  # noqa: E402

TOKEN = "987654321:BENCH-secret_token_abcdefghijklmnopqrstu"
CHATS = range(10_000, 10_500)
QUESTIONS = ("金水区有多少家高新技术企业？", "今年谋划了多少个重点项目？")


def _message(chat: int, text: str, message_id: int) -> dict[str, Any]:
    return {"message_id": message_id, "date": 1_700_000_000, "text": text, "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Bench", "language_code": "zh-hans"}}  # fmt: skip


def serve_fake(conn: Connection) -> None:
    """Child process: the fake Bot API; on each "go", queue the burst and report the elapsed time."""

    async def main() -> None:
        fake = FakeBotAPI(TOKEN)
        await fake.start()
        conn.send(fake.port)
        loop = asyncio.get_running_loop()
        while await loop.run_in_executor(None, conn.recv) == "go":
            fake.calls.clear()
            started = time.perf_counter()
            for n, chat in enumerate(CHATS):
                first, second = QUESTIONS if chat % 2 else QUESTIONS[::-1]
                fake.add_update("message", _message(chat, first, 2 * n + 1))
            for n, chat in enumerate(CHATS):
                first, second = QUESTIONS if chat % 2 else QUESTIONS[::-1]
                fake.add_update("message", _message(chat, second, 2 * n + 2))
            counter = Counter(fake)
            await fake.wait_until(lambda c=counter: c.sent() >= 2 * len(CHATS), timeout=120)
            elapsed = time.perf_counter() - started
            replies: dict[int, list[str]] = {}
            for call in fake.replies():
                replies.setdefault(int(call.params["chat_id"]), []).append(call.text)
            conn.send((elapsed, replies))
        await fake.close()

    asyncio.run(main())


class Counter:
    """Counts sendMessage calls incrementally, so waiting stays linear in the number of calls."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake, self.seen, self.count = fake, 0, 0

    def sent(self) -> int:
        calls = self.fake.calls
        self.count += sum(1 for c in calls[self.seen :] if c.method == "sendMessage")
        self.seen = len(calls)
        return self.count


class Stub:
    """An instant 'assistant' for --stub."""

    def reply(self, text: str, session: Session, now: float) -> Reply:
        return Reply(text, "answer", f"ok: {text}", "zh")


async def one_run(port: int, conn: Connection, assistant: Any, concurrency: int, data_dir: Path,
                  recorder: Any = None, inline: bool = False) -> tuple[float, dict[int, list[str]]]:  # fmt: skip
    from jinshui_qa.telegram.app import RetryingRateLimiter, build_application, running
    from jinshui_qa.telegram.offload import InlineReplies, ThreadReplies
    from jinshui_qa.telegram.settings import Settings

    # a fresh data directory per run: the fake numbers its updates afresh, the update ledger must too
    settings = Settings(token=TOKEN, api_url=f"http://127.0.0.1:{port}", data_dir=data_dir)
    limiter = RetryingRateLimiter(overall_max_rate=0, group_max_rate=0)
    replies = InlineReplies() if inline else ThreadReplies()
    app = build_application(settings, lambda: assistant, recorder, rate_limiter=limiter,
                            concurrency=concurrency, replies=replies)  # fmt: skip
    async with running(app):
        conn.send("go")
        elapsed, replies = await asyncio.get_running_loop().run_in_executor(None, conn.recv)
    return elapsed, replies


def expected_replies(assistant: Any) -> dict[int, list[str]]:
    expected = {}
    for chat in CHATS:
        session = Session()
        expected[chat] = [
            assistant.reply(q, session, 0.0).text for q in (QUESTIONS if chat % 2 else QUESTIONS[::-1])
        ]
    return expected


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--concurrency", type=int, default=None, help="updates handled at once (default: the bot's)"
    )
    parser.add_argument("--stub", action="store_true", help="instant answers instead of the fact base")
    parser.add_argument("--log", action="store_true", help="record every question, as the bot does")
    parser.add_argument("--inline", action="store_true", help="route on the event loop (the old way)")
    parser.add_argument("--switch-ms", type=float, default=1.0,
                        help="the GIL switch interval, as `jinshui-qa bot` sets it (Python's default: 5)")  # fmt: skip
    args = parser.parse_args()
    sys.setswitchinterval(args.switch_ms / 1000)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    os.environ.setdefault("PTB_TIMEDELTA", "true")

    from jinshui_qa.bootstrap import bootstrap
    from jinshui_qa.storage.question_log import read_questions
    from jinshui_qa.storage.question_writer import BackgroundQuestionLog
    from jinshui_qa.telegram.app import DEFAULT_CONCURRENCY

    assistant: Any = Stub() if args.stub else bootstrap()
    concurrency = args.concurrency or DEFAULT_CONCURRENCY
    expected = expected_replies(assistant)
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve_fake, args=(child,), daemon=True)
    server.start()
    port = parent.recv()
    rates = []
    data = tempfile.TemporaryDirectory(prefix="jqa-bench-")
    recorder = BackgroundQuestionLog.in_dir(data.name) if args.log else None
    logged = 0
    try:
        for run in range(1, args.runs + 1):
            run_dir = Path(data.name) / f"run-{run}"
            elapsed, replies = asyncio.run(
                one_run(port, parent, assistant, concurrency, run_dir, recorder, args.inline)
            )
            if replies != expected:
                wrong = sum(1 for chat in CHATS if replies.get(chat) != expected[chat])
                print(f"run {run}: {wrong} chats got missing, extra or out-of-order replies", file=sys.stderr)
                return 1
            rates.append(len(CHATS) * 2 / elapsed)
            print(f"run {run}: {len(CHATS) * 2} replies in {elapsed:.2f} s = {rates[-1]:.0f} replies/s")
    finally:
        parent.send("stop")
        server.join(timeout=10)
        if recorder is not None:
            recorder.close()
            logged = len(read_questions(recorder.log.path))
        data.cleanup()
    if recorder is not None and logged != len(rates) * len(CHATS) * 2:
        print(f"the question log holds {logged} rows, not {len(rates) * len(CHATS) * 2}", file=sys.stderr)
        return 1
    kind = ("stub answers" if args.stub else "fact base") + (", question log" if args.log else "")
    kind += ", routed on the event loop" if args.inline else ", routed in the thread pool"
    kind += f", GIL switch interval {args.switch_ms:g} ms"
    print(f"median of {len(rates)} runs: {statistics.median(rates):.0f} replies/s "
          f"(1,000 messages from 500 chats, {kind}, concurrency {concurrency})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
