"""Where should the bot route a question: on the event loop, in a thread pool, or in a process pool?

The real bot (python-telegram-bot, long polling, the product's fact base as ``bootstrap`` builds it) runs
in this process against the fake Bot API in a child process on 127.0.0.1. Each run sends ordinary
questions at a steady rate (``--rate`` a second, each from its own chat) with a deliberately slow one
(a 4,000-character message, near Telegram's 4,096 limit, different each time) from other chats every ``--slow-every``
seconds, and measures, for the ordinary questions only, the delay from the update being queued at the
fake to its reply arriving there: how much one slow question holds up everyone else. Telegram's rate
limit is off (this measures the bot). Modes run interleaved, ``--runs`` times each; medians printed.

    PYTHONPATH=src .venv/bin/python benchmarks/offloop.py [--runs 3] [--seconds 6] [--rate 40]

``inline`` routes on the event loop (the old way), ``thread`` in the bot's thread pool
(``telegram.offload.ThreadReplies``) with the GIL switch interval ``jinshui-qa bot`` sets (1 ms),
``thread-5ms`` the same at Python's default 5 ms (the loop waits longer for the GIL a routing thread
holds), ``process`` in a pool of worker processes
that each load the assistant once and get each turn's session copied in and out (``ProcessReplies``).

Figures (1 Dec 2026, 2 CPUs shared with other work at load average 5 to 9, medians of 5 runs; delays of
the other chats' replies, ms):

| load | mode | p50 | p99 |
|---|---|---:|---:|
| `--rate 20 --slow-every 0.5` (sustainable) | inline | 14.8 | 184 |
| | thread-5ms | 15.8 | 138 |
| | thread (the bot) | 16.1 | 160 |
| | process (2 workers) | 20.8 | 139 |
| `--rate 40 --slow-every 0.25` (overload here) | inline | 866 | 1,320 |
| | thread-5ms | 479 | 800 |
| | thread (the bot) | 208 | 564 |
| | process (2 workers) | 352 | 694 |

A slow question alone took 109 ms (208 ms in the overloaded run). Off the loop, other chats' p99 drops by
13 to 25 % at a sustainable load (thread and process within run-to-run noise of each other) and by more
than half under overload, where threads at 1 ms do best. The process pool costs 62 MB per worker and a
copy of each session; the threads cost nothing more: the bot uses threads at a 1 ms switch interval.
`telegram_throughput.py` in the same hour (1,000 messages, 3 x 2 runs interleaved, medians): threads at
1 ms 268 replies/s, at 5 ms 253, on the loop 148.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fake Bot API lives with the tests

from tests.support.fake_bot_api import FakeBotAPI  # noqa: E402

TOKEN = "987654321:BENCH-secret_token_abcdefghijklmnopqrstu"
NORMAL = (
    "金水区有多少家高新技术企业？",
    "今年谋划了多少个重点项目？",
    "How many high-tech enterprises are there?",
)
WORDS = ("金水区", "高新技术企业", "重点项目", "总投资", "郑东新区", "科技型企业", "多少", "今年", "增长", "人才",
         "GDP", "enterprises", "how many", "投资", "亿元", "比", "呢", "和", "的", "有")  # fmt: skip


def slow_text(seed: int) -> str:
    """A 4,000-character message of question words and random characters, different for every seed (a
    repeated text would be served from the routing memos and measure nothing)."""
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(map(len, parts)) < 4000:
        parts.append(rng.choice(WORDS) if rng.random() < 0.7 else chr(rng.randint(0x4E00, 0x9FA5)))
        if rng.random() < 0.08:
            parts.append(rng.choice("，？。；"))
    return "".join(parts)[:4000]


SLOW_CHATS = 1_000_000


def _message(chat: int, text: str) -> dict[str, Any]:
    return {"message_id": 1, "date": 1_700_000_000, "text": text, "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Bench", "language_code": "zh-hans"}}  # fmt: skip


class TimedFake(FakeBotAPI):
    """The fake Bot API, noting when each chat's first reply arrived."""

    replied_at: dict[int, float]

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        self.replied_at.setdefault(int(params["chat_id"]), time.perf_counter())
        return await super()._m_sendMessage(params)


def serve_fake(conn: Connection) -> None:
    """Child process: on each ``(seconds, rate, slow_every)``, send the load, report the delays (ms)."""

    async def main() -> None:
        fake = TimedFake(TOKEN)
        fake.replied_at = {}
        await fake.start()
        conn.send(fake.port)
        loop = asyncio.get_running_loop()
        chat = 0
        while (job := await loop.run_in_executor(None, conn.recv)) != "stop":
            seconds, rate, slow_every = job
            fake.calls.clear()
            fake.replied_at.clear()
            sent: dict[int, float] = {}
            slow_sent, start = 0, time.perf_counter()
            for n in range(int(seconds * rate)):
                due = start + n / rate
                while slow_sent * slow_every <= due - start:
                    fake.add_update("message", _message(SLOW_CHATS + chat, slow_text(chat)))
                    slow_sent, chat = slow_sent + 1, chat + 1
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                chat += 1
                sent[chat] = time.perf_counter()
                fake.add_update("message", _message(chat, NORMAL[n % len(NORMAL)]))
            expected = len(sent) + slow_sent
            await fake.wait_until(lambda n=expected: len(fake.replied_at) >= n, timeout=300)
            conn.send([(fake.replied_at[c] - t) * 1000 for c, t in sent.items()])
        await fake.close()

    asyncio.run(main())


_WORKER: Any = None


def _load_worker() -> None:
    global _WORKER
    from jinshui_qa.bootstrap import bootstrap

    _WORKER = bootstrap()
    for text in (*NORMAL, slow_text(-1)):  # warm, as the bot's own process is
        _WORKER.reply(text)


def _answer_in_worker(kind: str, value: str, session: Any, now: float, lang: Any) -> tuple[Any, Any]:
    from jinshui_qa.telegram.offload import answer

    reply = answer(_WORKER, kind, value, session, now, lang)  # type: ignore[arg-type]
    return reply, session


class ProcessReplies:
    """Turns routed in ``workers`` processes, each with its own assistant; the session goes in and out."""

    def __init__(self, workers: int) -> None:
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_load_worker)  # fmt: skip
        for _ in self.pool.map(_sleep, [0.5] * workers):  # start (and load) every worker up front
            pass

    async def __call__(self, assistant: Any, kind: Any, value: str, session: Any, now: float,
                       lang: Any = None) -> Any:  # fmt: skip
        loop = asyncio.get_running_loop()
        reply, after = await loop.run_in_executor(
            self.pool, _answer_in_worker, kind, value, session, now, lang
        )
        for field in dataclasses.fields(after):
            setattr(session, field.name, getattr(after, field.name))
        return reply

    def close(self) -> None:
        """Kept for the next run; see :meth:`shutdown`."""

    def shutdown(self) -> None:
        self.pool.shutdown()


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def one_run(port: int, conn: Connection, assistant: Any, replies: Any, data_dir: Path,
                  job: tuple[float, float, float]) -> list[float]:  # fmt: skip
    from jinshui_qa.telegram.app import RetryingRateLimiter, build_application, running
    from jinshui_qa.telegram.settings import Settings

    settings = Settings(token=TOKEN, api_url=f"http://127.0.0.1:{port}", data_dir=data_dir)
    limiter = RetryingRateLimiter(overall_max_rate=0, group_max_rate=0)
    app = build_application(settings, lambda: assistant, rate_limiter=limiter, replies=replies)
    async with running(app, poll_timeout=1):
        conn.send(job)
        delays: list[float] = await asyncio.get_running_loop().run_in_executor(None, conn.recv)
    return delays


def rss_mb(pid: int) -> float:
    """A live process's resident memory (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each run's load")
    parser.add_argument("--rate", type=float, default=40.0, help="ordinary questions a second")
    parser.add_argument("--slow-every", type=float, default=0.25, help="seconds between slow questions")
    parser.add_argument("--workers", type=int, default=2, help="processes of the process pool")
    parser.add_argument("--modes", default="inline,thread-5ms,thread,process")
    args = parser.parse_args()
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    os.environ.setdefault("PTB_TIMEDELTA", "true")

    from jinshui_qa.bootstrap import bootstrap
    from jinshui_qa.conversation.assistant import Session
    from jinshui_qa.telegram.app import SWITCH_INTERVAL
    from jinshui_qa.telegram.offload import InlineReplies, ThreadReplies

    assistant = bootstrap()
    for text in (*NORMAL, slow_text(-1)):  # warm: lazy imports and first-use tables are not measured
        assistant.reply(text, Session())
    alone = []
    for seed in range(-2, -12, -1):
        started = time.perf_counter()
        assistant.reply(slow_text(seed), Session())
        alone.append((time.perf_counter() - started) * 1000)
    slow_ms = statistics.median(alone)
    modes = args.modes.split(",")
    pools: dict[str, Any] = {
        "inline": InlineReplies(),
        "thread": ThreadReplies(),
        "thread-5ms": ThreadReplies(),
    }
    if "process" in modes:
        pools["process"] = ProcessReplies(args.workers)
        worker_rss = [rss_mb(pid) for pid in pools["process"].pool._processes]
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve_fake, args=(child,), daemon=True)
    server.start()
    port = parent.recv()
    results: dict[str, list[tuple[float, float, float]]] = {mode: [] for mode in modes}
    job = (args.seconds, args.rate, args.slow_every)
    data = tempfile.TemporaryDirectory(prefix="jqa-offloop-")
    try:
        for run in range(1, args.runs + 1):
            for mode in modes:
                run_dir = Path(data.name) / f"{mode}-{run}"
                sys.setswitchinterval(0.005 if mode == "thread-5ms" else SWITCH_INTERVAL)
                delays = asyncio.run(one_run(port, parent, assistant, pools[mode], run_dir, job))
                sys.setswitchinterval(0.005)
                results[mode].append((statistics.median(delays), p(delays, 0.99), max(delays)))
                print(f"run {run} {mode:>7}: p50 {results[mode][-1][0]:7.1f} ms  p99 "
                      f"{results[mode][-1][1]:7.1f} ms  max {results[mode][-1][2]:7.1f} ms", flush=True)  # fmt: skip
    finally:
        parent.send("stop")
        server.join(timeout=10)
        if "process" in pools:
            pools["process"].shutdown()
        data.cleanup()
    print(f"\none slow question alone: {slow_ms:.0f} ms; load: {args.rate:.0f} ordinary questions/s and one "
          f"slow every {args.slow_every} s for {args.seconds:.0f} s; medians of {args.runs} runs")  # fmt: skip
    print("| mode | p50 delay of other chats | p99 | max |\n|---|---|---|---|")
    for mode in modes:
        rows = results[mode]
        print(f"| {mode} | {statistics.median(r[0] for r in rows):.1f} ms | "
              f"{statistics.median(r[1] for r in rows):.1f} ms | {statistics.median(r[2] for r in rows):.1f} ms |")  # fmt: skip
    if "process" in pools:
        print(f"process pool: {args.workers} workers of {', '.join(f'{m:.0f}' for m in worker_rss)} MB RSS "
              f"each (the assistant loaded again in each); the bot's own process peaked at "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
