"""The maintainers' commands' arguments: where the SQLite files are, and values checked before anything runs.

Errors: ``argparse.ArgumentTypeError`` for a malformed value (argparse prints it, exit 2),
:class:`~jinshui_qa.errors.StoreError` / :class:`~jinshui_qa.errors.ConfigError` (one line, exit 2).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from jinshui_qa import settings
from jinshui_qa.errors import ConfigError, StoreError
from jinshui_qa.storage.fact_store import STORE_FILE
from jinshui_qa.storage.question_log import LOG_FILE


def db_path(args: argparse.Namespace, default_name: str) -> Path:
    """``--db``, else ``DATA_DIR/default_name`` (``--data-dir``, ``$JQA_DATA_DIR``, the default)."""
    return Path(args.db) if args.db else settings.data_dir(args.data_dir) / default_name


def log_to_read(args: argparse.Namespace) -> Path:
    """The question log ``report``/``suggest`` read: StoreError when it is a directory, or when ``--db``
    names a file that does not exist (a typo would otherwise read as "no questions logged")."""
    path = db_path(args, LOG_FILE)
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a question log (give the file, e.g. {path / LOG_FILE})")
    where = path.parent
    if where.exists() and not where.is_dir():
        raise StoreError(f"{where} is not a directory, so {path} cannot be a question log")
    if args.db and not path.exists():
        raise StoreError(f"there is no question log at {path} (--db)")
    return path


def store_to_write(args: argparse.Namespace) -> Path:
    """The fact store ``build`` writes: an explicit ``--db`` must be in an existing directory (only the
    data directory is created on demand, owner-only)."""
    path = db_path(args, STORE_FILE)
    if args.db and not path.parent.is_dir():
        state = "is not a directory" if path.parent.exists() else "does not exist"
        raise StoreError(f"cannot write the fact store {path}: the directory {path.parent} {state}")
    return path


def path_argument(text: str) -> str:
    """``--db`` / ``--data-dir``: a path, never an empty string (which would silently mean the default)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a path, not an empty string")
    return text


def positive_int(text: str) -> int:
    """A whole number of at least 1 (``--limit``, ``--min-count``)."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def score(text: str) -> float:
    """A router score from 0 to 100 (``--min-score``)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a score from 0 to 100, not {text!r}")
    return value


def parse_selection(text: str) -> str:
    """``--apply``'s value: ``all`` or suggestion numbers (``1,3``, ``2 5``); ConfigError otherwise."""
    if text.strip().lower() == "all":
        return "all"
    if not re.fullmatch(r"\s*[1-9]\d{0,5}(?:\s*[, ]\s*[1-9]\d{0,5})*\s*", text):
        raise ConfigError(f"--apply takes 'all' or suggestion numbers such as 1,3, not {text!r}")
    return text
