"""Durations and start times the maintainers' commands take (``--stale 365d``, ``--since 7d``).

Cheap to import (``check --stale`` parses its argument before anything loads). Each parser raises
:class:`~jinshui_qa.errors.ConfigError` with one line; :func:`argument` turns one into an argparse
``type=`` so a bad value is refused before the command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import time
from collections.abc import Callable
from typing import TypeVar

from jinshui_qa.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400, "": 86_400}
T = TypeVar("T")


def parse_duration(text: str) -> dt.timedelta:
    """``7d``, ``24h``, ``2w``, ``30m``, ``90s`` or a bare number of days; ConfigError otherwise."""
    m = _DURATION.match(text)
    if not m:
        raise ConfigError(f"{text!r} is not a duration like 365d, 7d, 24h or 2w")
    seconds = float(m.group(1)) * _SECONDS[m.group(2)]
    if not math.isfinite(seconds) or seconds > 1e11:
        raise ConfigError(f"{text!r} is too long a duration")
    return dt.timedelta(seconds=seconds)


def parse_days(text: str) -> float:
    """A duration (``365d``, ``52w``, ``12h``) in days, for ``check --stale``."""
    return parse_duration(text).total_seconds() / 86_400


def parse_since(text: str, now: float | None = None) -> float:
    """A start time (Unix seconds): a duration back from now (``7d``), a date (``2026-11-01``, UTC) or
    ``all``; a time after ``now`` is refused (it would select nothing)."""
    now = time.time() if now is None else now
    if text.strip().lower() == "all":
        return 0.0
    if _DURATION.match(text):
        return now - parse_duration(text).total_seconds()
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"--since {text!r} is not a duration (7d), a date (2026-11-01) or all") from None
    start = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()
    if start > now:
        raise ConfigError(f"--since {text!r} is in the future: nothing could have been asked since then")
    return start


def argument(parse: Callable[[str], T]) -> Callable[[str], T]:
    """``parse`` as an argparse ``type=``: its ConfigError becomes argparse's one-line usage error."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__
    return convert
