"""Running the web app: one uvicorn process, or ``--workers N`` processes that share the port.

uvicorn's own worker manager hands one listening socket to every worker, and the first worker to wake
accepts a whole burst of connections: keep-alive clients (a reverse proxy's pool, a benchmark) then pile
onto one core while the other idles. Here each worker binds its own socket with ``SO_REUSEPORT``, so the
kernel spreads new connections evenly over them. The parent only watches: SIGTERM/SIGINT stop every
worker gracefully (each writes its queued questions), and when a worker dies the others are stopped too
and the exit code says so (docker's restart policy brings the service back). Where the platform has no
``SO_REUSEPORT``, uvicorn's manager is used.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

APP = "jinshui_qa.web.serve:build_from_env"
_WORKER = "from jinshui_qa.web.workers import worker_main; worker_main()"


def _config(host: str, port: int, access_log: bool) -> Any:
    import uvicorn

    return uvicorn.Config(APP, factory=True, host=host, port=port, log_level="warning", access_log=access_log,
                          proxy_headers=False, server_header=False)  # fmt: skip


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def worker_main() -> None:
    """One worker (a child process): its own SO_REUSEPORT socket, then uvicorn until SIGTERM."""
    import uvicorn

    host, port = os.environ["JQA_WEB_BIND_HOST"], int(os.environ["JQA_WEB_BIND_PORT"])
    sock = _socket(host, port)
    sock.listen(2048)
    uvicorn.Server(_config(host, port, os.environ.get("JQA_WEB_ACCESS_LOG") == "1")).run(sockets=[sock])


def serve(host: str, port: int, workers: int, *, access_log: bool = False) -> int:
    """Serve until SIGTERM/SIGINT; returns the exit code."""
    import uvicorn

    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, log_level="warning",
                    access_log=access_log, proxy_headers=False, server_header=False)  # fmt: skip
        return 0
    _socket(host, port).close()  # a port in use fails here, once, with the OS's own message
    from jinshui_qa.web.shared_limit import create

    rates = tempfile.TemporaryDirectory(prefix="jinshui-qa-web-")  # one rate limit for every worker
    env = {**os.environ, "JQA_WEB_BIND_HOST": host, "JQA_WEB_BIND_PORT": str(port),
           "JQA_WEB_ACCESS_LOG": "1" if access_log else "0",
           "JQA_WEB_RATE_FILE": str(create(Path(rates.name) / "rates"))}  # fmt: skip
    with rates:
        return _watch([subprocess.Popen([sys.executable, "-c", _WORKER], env=env) for _ in range(workers)])


def _watch(children: list[subprocess.Popen[bytes]]) -> int:
    """Wait for SIGTERM/SIGINT or a worker's end, then stop every worker; the exit code."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop.is_set() and all(child.poll() is None for child in children):
            stop.wait(0.5)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for child in children:
            if child.poll() is None:
                child.terminate()  # uvicorn shuts down gracefully on SIGTERM
        for child in children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return 0 if stop.is_set() else 1
