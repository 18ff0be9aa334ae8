"""Throughput of ``jinshui-qa web``: answered questions per second and latency at 1, 10 and 50 clients.

    PYTHONPATH=src python benchmarks/web_throughput.py [--seconds 5] [--clients 1,10,50] [--workers 2] [--json]

Starts ``jinshui-qa web`` on 127.0.0.1 in a subprocess (the real facts, the question log written as in
production, the rate limit lifted), then for each client count runs that many keep-alive HTTP/1.1
connections that send requests back to back for ``--seconds``: first ``GET /healthz`` (the baseline: the
server and the client without the question answering), then ``POST /api/ask`` with the evaluation set's
questions in turn (every 4th a follow-up carrying the previous reply's context token), once with
``JQA_WEB_REPLY_CACHE=0`` (every question routed) and once with the reply cache on (the default: a
first question's reply is memoised per fact base, so repeated questions are routed once). The client is a
minimal asyncio HTTP/1.1 client so that it takes as little of the machine's CPU as it can; it runs on
the same machine as the server. Goal (issue 13): >= 500 answered questions/s, p99 < 100 ms at 50 clients.
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
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


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


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, await reader.readexactly(length)


async def _client(port: int, path: str, texts: list[str], offset: int, until: float,
                  latencies: list[float], failures: list[int]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    context: str | None = None
    n = offset
    try:
        while time.perf_counter() < until:
            if path == "/healthz":
                request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            else:
                payload: dict[str, str] = {"question": texts[n % len(texts)]}
                if context and n % 4 == 3:
                    payload["context"] = context
                body = json.dumps(payload, ensure_ascii=False).encode()
                request = (f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n").encode() + body  # fmt: skip
            n += 1
            started = time.perf_counter()
            writer.write(request)
            status, data = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(status)
            elif path != "/healthz":
                context = json.loads(data)["context"]
    finally:
        writer.close()


async def measure(port: int, path: str, clients: int, seconds: float, texts: list[str]) -> dict[str, float]:
    latencies: list[float] = []
    failures: list[int] = []
    await asyncio.gather(
        *(_client(port, path, texts, i * 7, time.perf_counter() + 0.5, [], []) for i in range(clients))
    )
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(_client(port, path, texts, i * 7, until, latencies, failures) for i in range(clients))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "path": path, "clients": clients, "requests": len(ordered), "failed": len(failures),
        "per_second": round((len(ordered) - len(failures)) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default: 2, one per core)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    texts = questions()
    rows = []
    for cache, paths in ((False, ("/healthz", "/api/ask")), (True, ("/api/ask",))):
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            server = start_server(port, Path(tmp), args.workers, cache)
            try:
                for path in paths:
                    for clients in counts:
                        row = asyncio.run(measure(port, path, clients, args.seconds, texts))
                        rows.append({**row, "reply_cache": cache if path != "/healthz" else None})
            finally:
                server.terminate()
                server.wait(10)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"jinshui-qa web --workers {args.workers} on 127.0.0.1, {os.cpu_count()} cores, {args.seconds:g} s per row, "
          f"{len(texts)} questions in turn")  # fmt: skip
    print(
        f"{'endpoint':<24} {'clients':>7} {'requests':>9} {'failed':>6} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    )
    for r in rows:
        name = r["path"] + {None: "", False: " (every q routed)", True: " (reply cache)"}[r["reply_cache"]]
        print(f"{name:<24} {r['clients']:>7} {r['requests']:>9} {r['failed']:>6} {r['per_second']:>8} "
              f"{r['p50_ms']:>8} {r['p99_ms']:>8}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
