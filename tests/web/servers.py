"""Servers for the browser tests: ``jinshui-qa web`` in a subprocess on 127.0.0.1, and a page of another
origin (``localhost`` on another port) that embeds the widget with its one ``<script>`` line."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@dataclass(frozen=True)
class Servers:
    web: str  # http://127.0.0.1:PORT/
    host_page: str  # http://localhost:PORT2/ with the widget
    data: Path  # the web server's data directory (question log, votes)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_web(port: int, data: Path, *extra: str, **env: str) -> subprocess.Popen[bytes]:
    """``jinshui-qa web`` on 127.0.0.1:``port``; returns once /healthz answers."""
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
               "JQA_WEB_SECRET": "browser-test-secret-0123456789", "NO_PROXY": "127.0.0.1,localhost", **env}  # fmt: skip
    with (data / f"server-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jinshui_qa", "web", "--port", str(port), "--data-dir", str(data),
             "--facts", str(REPO / "facts"), *extra],
            env=environ, stdout=log, stderr=subprocess.STDOUT, cwd=data,
        )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the web server exited: {(data / f'server-{port}.log').read_text()}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r,
        ):
            if r.status == 200:
                return process
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError("the web server did not answer /healthz within 30 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def host_server(web: str) -> ThreadingHTTPServer:
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A district site</title></head>'
            f"<body><h1>Another site</h1><p>It embeds the Q&amp;A widget with one line.</p>"
            f'<script src="{web}widget.js" data-lang="en" async></script></body></html>').encode()  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)


@contextlib.contextmanager
def running_servers(data: Path) -> Iterator[Servers]:
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    web = f"http://127.0.0.1:{port}/"
    host = host_server(web)
    host_origin = f"http://localhost:{host.server_address[1]}"
    process = start_web(port, data, JQA_WEB_ORIGINS=host_origin, JQA_WEB_RATE="10000")
    thread = threading.Thread(target=host.serve_forever, daemon=True)
    thread.start()
    try:
        yield Servers(web, host_origin + "/", data)
    finally:
        host.shutdown()
        host.server_close()
        stop(process)
