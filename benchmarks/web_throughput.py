"""Throughput of ``jinshui-qa web``: answered questions per second and latency at 1, 10 and 50 clients.

    PYTHONPATH=src python benchmarks/web_throughput.py [--seconds 5] [--clients 1,10,50] [--workers 2]
                                                        [--runs 3] [--json]

Starts ``jinshui-qa web --workers N`` on 127.0.0.1 in a subprocess, as the product runs it (the real
facts, the question log written, the rate limit lifted), then for each client count runs that many
keep-alive HTTP/1.1 connections that send requests back to back for ``--seconds`` (after 0.5 s of
warm-up): first ``GET /healthz`` (the baseline: the server and the client without the question
answering), then ``POST /api/ask`` with the evaluation set's questions (tests/eval/dev.yaml) in turn,
every 4th carrying the previous reply's context token (a follow-up). That runs once with
``JQA_WEB_REPLY_CACHE=0`` (every question routed) and once with the reply cache on (the default: a
conversation's first question whose reply is memoised is answered without routing; follow-ups are
routed; here the set repeats, so after its first pass most first questions are memo hits).

Besides rate and latency, each row gives the server's CPU time per request (user + system of the
server processes, from ``/proc/<pid>/stat``: other jobs on the machine inflate it far less than
latency), the client's CPU per request, and the load average before the run. The client is a minimal
HTTP/1.1 client on uvloop (requests encoded once, a reply parsed only when the next request needs its
token) so that it takes as little of the machine as it can; it runs on the same machine as the
server. With ``--runs N`` the whole sequence runs N times (a fresh server each time) and the median of
each figure is printed. Goal (issue 13): >= 500 answered questions/s, p99 < 100 ms at 50 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
FOLLOW_UP_EVERY = 4
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def questions() -> list[str]:
    data = yaml.safe_load((REPO / "tests" / "eval" / "dev.yaml").read_text(encoding="utf-8"))
    found = [str(item["q"]) for item in data.get("questions", []) if isinstance(item, dict) and "q" in item]
    return found or ["金水区有多少家科技型企业", "How many high-tech enterprises does Jinshui have?"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, data: Path, workers: int, cache: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "JQA_WEB_SECRET": "benchmark-secret-0123456789",
           "JQA_WEB_RATE": "100000000", "NO_PROXY": "127.0.0.1", "JQA_WEB_REPLY_CACHE": "1" if cache else "0"}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "jinshui_qa", "web", "--port", str(port), "--data-dir",
                                str(data), "--facts", str(REPO / "facts"), "--workers", str(workers)], env=env, cwd=data,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children (the workers), from /proc; 0 elsewhere."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICK
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(cpu_seconds(int(child)) for child in children)


def _requests(port: int, texts: list[str]) -> tuple[bytes, list[bytes], Callable[[str, str], bytes]]:
    def post(question: str, context: str) -> bytes:
        payload = {"question": question, **({"context": context} if context else {})}
        body = json.dumps(payload, ensure_ascii=False).encode()
        return (f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body  # fmt: skip

    health = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    return health, [post(text, "") for text in texts], post


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return int(head[9:12]), await reader.readexactly(length)


async def _client(port: int, path: str, texts: list[str], offset: int, until: float,
                  latencies: list[float], failures: list[int]) -> None:  # fmt: skip
    health, asks, post = _requests(port, texts)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    context, n = "", offset
    try:
        while time.perf_counter() < until:
            follow_up = n % FOLLOW_UP_EVERY == FOLLOW_UP_EVERY - 1
            if path == "/healthz":
                request = health
            else:
                request = (
                    post(texts[n % len(texts)], context) if follow_up and context else asks[n % len(texts)]
                )
            n += 1
            started = time.perf_counter()
            writer.write(request)
            status, data = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(status)
            elif path != "/healthz" and n % FOLLOW_UP_EVERY == FOLLOW_UP_EVERY - 1:
                context = json.loads(data)["context"]  # the next request is a follow-up
    finally:
        writer.close()


async def measure(port: int, server: int, path: str, clients: int, seconds: float,
                  texts: list[str]) -> dict[str, Any]:  # fmt: skip
    latencies: list[float] = []
    failures: list[int] = []
    warm_up = time.perf_counter() + 0.5
    await asyncio.gather(*(_client(port, path, texts, i * 7, warm_up, [], []) for i in range(clients)))
    load = os.getloadavg()[0]
    server_cpu, client_cpu, started = cpu_seconds(server), sum(os.times()[:2]), time.perf_counter()
    await asyncio.gather(
        *(_client(port, path, texts, i * 7, started + seconds, latencies, failures) for i in range(clients))
    )
    elapsed = time.perf_counter() - started
    server_cpu, client_cpu = cpu_seconds(server) - server_cpu, sum(os.times()[:2]) - client_cpu
    ordered = sorted(latencies)
    return {
        "path": path, "clients": clients, "requests": len(ordered), "failed": len(failures),
        "per_second": round((len(ordered) - len(failures)) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
        "server_cpu_ms": round(server_cpu * 1000 / len(ordered), 3),
        "client_cpu_ms": round(client_cpu * 1000 / len(ordered), 3), "load": round(load, 2),
    }  # fmt: skip


def run_once(counts: list[int], seconds: float, workers: int, texts: list[str]) -> list[dict[str, Any]]:
    rows = []
    for cache, paths in ((False, ("/healthz", "/api/ask")), (True, ("/api/ask",))):
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            server = start_server(port, Path(tmp), workers, cache)
            try:
                for path in paths:
                    for clients in counts:
                        row = _run(measure(port, server.pid, path, clients, seconds, texts))
                        rows.append({**row, "reply_cache": cache if path != "/healthz" else None})
            finally:
                server.terminate()
                server.wait(30)
    return rows


def _run(coroutine: Any) -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def medians(runs: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Row by row, the median of every figure over the runs (the counts of requests summed)."""
    merged = []
    for rows in zip(*runs, strict=True):
        row = dict(rows[0])
        for key, value in row.items():
            if isinstance(value, float):
                row[key] = round(statistics.median(r[key] for r in rows), 3)
        row["requests"], row["failed"] = sum(r["requests"] for r in rows), sum(r["failed"] for r in rows)
        merged.append(row)
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default: 2, one per core)")
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole sequence; medians are printed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    texts = questions()
    before = os.getloadavg()
    runs = [run_once(counts, args.seconds, args.workers, texts) for _ in range(args.runs)]
    rows = medians(runs)
    if args.json:
        print(json.dumps({"runs": args.runs, "rows": rows, "load_before": before}, indent=2))
        return 0
    print(f"jinshui-qa web --workers {args.workers} on 127.0.0.1, {os.cpu_count()} cores, {args.seconds:g} s per row, "
          f"{len(texts)} questions in turn, median of {args.runs} run(s); load average before "
          f"{before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, after {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"{'endpoint':<26} {'clients':>7} {'requests':>9} {'failed':>6} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'server CPU ms/req':>17} {'client':>7} {'load':>5}")  # fmt: skip
    for r in rows:
        name = r["path"] + {None: "", False: " (every q routed)", True: " (reply cache)"}[r["reply_cache"]]
        print(f"{name:<26} {r['clients']:>7} {r['requests']:>9} {r['failed']:>6} {r['per_second']:>8} "
              f"{r['p50_ms']:>8} {r['p99_ms']:>8} {r['server_cpu_ms']:>17} {r['client_cpu_ms']:>7} {r['load']:>5}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
