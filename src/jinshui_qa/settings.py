"""Settings every command shares: the data directory and the ``.env`` file, read the way the bot reads them.

Values come from the environment over an optional ``.env`` file (``./.env`` unless told otherwise), as
with docker compose, so ``chat``, ``report``, ``suggest``, ``build`` and ``bot --healthcheck`` look in the
same data directory as the bot. Telegram-only settings (token, API URL, admins, webhook secret) live in
:mod:`jinshui_qa.telegram.settings`. Errors are :class:`~jinshui_qa.errors.ConfigError` with one line.
Importing this module is cheap: the healthcheck imports nothing else.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from pathlib import Path

from jinshui_qa.errors import ConfigError
from jinshui_qa.text import lazy_re

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "jinshui-qa"
ENV_FILE = ".env"
ENV_NAMES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "JQA_FACTS_DIR",
    "JQA_DATA_DIR",
    "JQA_ADMIN_IDS",
    "JQA_WEBHOOK_SECRET",
    "JQA_HASH_KEY",
    "JQA_HASH_KEY_FILE",
)
"""Every variable jinshui-qa reads, in the order ``.env.example`` documents them."""

_ENV_LINE = lazy_re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


def parse_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines (``export``, quotes and ``#`` comments allowed); bad lines name only the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read env file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if match is None:
            raise ConfigError(f"{path}:{number}: expected KEY=value")
        key, value = match.group(1), match.group(2).strip()
        if value[:1] in ("'", '"'):
            end = value.find(value[0], 1)
            if end < 0:
                raise ConfigError(f"{path}:{number}: unterminated quote in the value of {key}")
            value = value[1:end]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        values[key] = value
    return values


def read_env(
    environ: Mapping[str, str] | None = None,
    env_file: str | os.PathLike[str] | None = None,
    *,
    require_env_file: bool = False,
) -> dict[str, str]:
    """``environ`` (default: ``os.environ``) over ``env_file`` (default: ``./.env``, if there is one)."""
    path = Path(env_file) if env_file is not None else Path(ENV_FILE)
    if require_env_file and not path.is_file():
        raise ConfigError(f"env file {path} does not exist")
    values = parse_env_file(path) if path.is_file() else {}
    values.update(os.environ if environ is None else environ)
    return values


def data_dir(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The data directory every command shares (question log, fact store, heartbeat, console history):
    ``explicit``, else ``JQA_DATA_DIR`` from ``environ`` (default: the environment over ``./.env``),
    else ``~/.local/share/jinshui-qa``."""
    text = str(explicit or "").strip()
    if not text:
        env = read_env() if environ is None else environ
        text = env.get("JQA_DATA_DIR", "").strip()
    return Path(text) if text else DEFAULT_DATA_DIR


def usable_data_dir(path: Path) -> Path:
    """``path`` made ready for the question log, history and stores: created (0700, with its parents) if
    missing, and checked to be a directory this process can create files in (a probe file is written and
    removed, so a read-only mount or a root-owned folder is caught too). Raises :class:`ConfigError` with one
    line naming ``path`` otherwise: every long-running channel calls this before it starts, so that a wrong
    ``--data-dir`` is refused at once rather than found out row by row."""
    if path.exists() and not path.is_dir():
        raise ConfigError(f"the data directory {path} is not a directory")
    try:
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(OSError):  # mkdir's mode is filtered by the umask
                os.chmod(path, 0o700)
        import tempfile  # here: `ask` and the healthcheck never probe (tempfile imports random: 2 ms)

        handle, probe = tempfile.mkstemp(prefix=".jqa-probe-", dir=path)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"the data directory {path} is not writable ({reason})") from None
    return path


def facts_setting(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """``--facts`` if given, else ``JQA_FACTS_DIR`` from the environment over ``./.env``; None for the default."""
    if explicit:
        return str(explicit)
    env = read_env() if environ is None else environ
    return env.get("JQA_FACTS_DIR", "").strip() or None
