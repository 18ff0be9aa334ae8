"""The bot's heartbeat file, which ``jinshui-qa bot --healthcheck`` reads (the container's HEALTHCHECK).

Kept apart from :mod:`jinshui_qa.telegram.app` so the healthcheck imports neither python-telegram-bot nor
anything else heavy: it runs every 30 s in the container and should start in a few tens of milliseconds.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

HEARTBEAT_FILE = "bot.heartbeat"
HEARTBEAT_SECONDS = 30.0
HEALTHY_WITHIN = 90.0
"""Seconds: a heartbeat older than this (three missed beats) is unhealthy."""

log = logging.getLogger("jinshui_qa.telegram.app")


def write_heartbeat(path: Path) -> None:
    """Touch the file the container healthcheck reads; a read-only data dir is logged, not fatal."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{time.time():.0f}\n", encoding="utf-8")
    except OSError as exc:
        log.warning("cannot write heartbeat %s (%s)", path, exc.strerror)


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the heartbeat was written, or None without one."""
    try:
        return max(0.0, time.time() - path.stat().st_mtime)
    except OSError:
        return None
