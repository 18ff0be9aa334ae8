"""Where the console's log records go: a log file in the data directory, and standard error only for what
the person at the console must know.

The chat and standard error share one terminal, so a passing storage hiccup ("database is locked ...
retrying later", then "writing ... again") would show up between the answers although nothing is lost.
:func:`one_line_logs` writes every warning from jinshui-qa, one line each with its time, to
``DATA_DIR/console.log`` (0600), and shows on standard error only the others: a row dropped, a file that
cannot be written. The facts watcher's own warnings are left to :class:`~jinshui_qa.console.repl.Notices`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

LOG_FILE = "console.log"
TRANSIENT = ("retrying", " again ")
"""Words of the messages of an outage that heals itself (the question log keeps its rows meanwhile)."""


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return "jinshui-qa: " + " ".join(record.getMessage().split())


def transient(record: logging.LogRecord) -> bool:
    """Whether ``record`` reports an outage that is retried and loses nothing (log file only)."""
    return record.levelno <= logging.WARNING and any(word in str(record.msg) for word in TRANSIENT)


def _file_handler(path: Path) -> logging.Handler | None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))  # created private
        handler = logging.FileHandler(path, encoding="utf-8", errors="replace")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


@contextlib.contextmanager
def one_line_logs(stream: TextIO | None = None, log_file: Path | None = None) -> Iterator[None]:
    """Warnings from jinshui-qa as one line each on ``stream`` (stderr), never a traceback, except the
    facts watcher's (shown as notices) and, when ``log_file`` is given, transient ones, which go there
    only; every warning goes to ``log_file`` (a file that cannot be opened is skipped)."""
    logger = logging.getLogger("jinshui_qa")
    shown = logging.StreamHandler(stream or sys.stderr)
    shown.setFormatter(_OneLine())
    shown.addFilter(lambda r: r.name != "jinshui_qa.facts.live" or r.levelno > logging.WARNING)
    kept = _file_handler(log_file) if log_file is not None else None
    if kept is not None:
        shown.addFilter(lambda r: not transient(r))
    handlers = [h for h in (shown, kept) if h is not None]
    propagate = logger.propagate
    for handler in handlers:
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
            if handler is kept:
                handler.close()  # closes the file
        logger.propagate = propagate
