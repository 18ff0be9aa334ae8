"""Telegram-only settings (token, Bot API URL, admins, webhook secret), read like the shared ones.

The data directory and ``.env`` reading are shared with every command: :mod:`jinshui_qa.settings`.
Variables already in the environment win over the file, as with docker compose. Errors are
:class:`~jinshui_qa.errors.ConfigError` with one line a person can act on, and never contain the
token: :func:`redact` and :func:`protect_logs` keep it out of messages and log records.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinshui_qa.errors import ConfigError
from jinshui_qa.settings import DEFAULT_DATA_DIR, data_dir, read_env

DEFAULT_API_URL = "https://api.telegram.org"
TOKEN_FORMAT = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
REDACTED = "[REDACTED]"


@dataclass(frozen=True)
class Settings:
    """What the bot needs to run; ``repr`` never shows the token."""

    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    facts_dir: Path | None = None
    data_dir: Path = DEFAULT_DATA_DIR
    admin_ids: frozenset[int] = frozenset()
    webhook_secret: str | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        """The Bot API method prefix python-telegram-bot appends the token to."""
        if "{token}" in self.api_url or self.api_url.endswith("/bot"):
            return self.api_url
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        root = self.api_url.split("{token}")[0].removesuffix("/bot").rstrip("/")
        return f"{root}/file/bot"


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: str | os.PathLike[str] | None = None,
    *,
    require_env_file: bool = False,
) -> Settings:
    """Settings from ``environ`` (default: ``os.environ``) over ``env_file`` (default: ``./.env``, if any)."""
    values = read_env(environ, env_file, require_env_file=require_env_file)
    token = values.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env")
    if not TOKEN_FORMAT.match(token):
        raise ConfigError(
            f"TELEGRAM_BOT_TOKEN is malformed ({len(token)} characters): expected digits, "
            "a colon, then at least 30 letters, digits, '_' or '-', as @BotFather gives it"
        )
    api_url = (values.get("TELEGRAM_API_URL") or DEFAULT_API_URL).strip().rstrip("/")
    try:
        parts = urlsplit(api_url)
        parts.port  # noqa: B018 - raises on a bad port or an unclosed [IPv6 bracket
    except ValueError:
        raise ConfigError(f"TELEGRAM_API_URL is not a valid URL ({api_url[:60]!r})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("TELEGRAM_API_URL must be an http(s) URL such as https://api.telegram.org")
    secret = values.get("JQA_WEBHOOK_SECRET", "").strip()
    facts = values.get("JQA_FACTS_DIR", "").strip()
    return Settings(
        token=token,
        api_url=api_url,
        facts_dir=Path(facts) if facts else None,
        data_dir=data_dir(environ=values),
        admin_ids=parse_admin_ids(values.get("JQA_ADMIN_IDS", "")),
        webhook_secret=check_secret_token(secret) if secret else None,
    )


def parse_admin_ids(text: str) -> frozenset[int]:
    """Comma-separated Telegram user ids; empty means no admins."""
    ids: set[int] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if not re.fullmatch(r"-?\d{1,20}", item):
            raise ConfigError(f"JQA_ADMIN_IDS must be comma-separated numeric user ids, not {item[:20]!r}")
        ids.add(int(item))
    return frozenset(ids)


def check_secret_token(secret: str) -> str:
    """A webhook secret token as Telegram accepts it (1-256 of A-Z, a-z, 0-9, _ and -)."""
    if not SECRET_FORMAT.match(secret):
        raise ConfigError(
            "the webhook secret token (--secret-token or JQA_WEBHOOK_SECRET) must be 1-256 letters, "
            "digits, '_' or '-'"
        )
    return secret


def _secret_parts(secret: str) -> list[str]:
    """What to hide: a bot token's secret half (so URL-encoded forms are caught too) or the whole secret."""
    _, colon, tail = secret.partition(":")
    return [tail] if colon and TOKEN_FORMAT.match(secret) else [secret]


def redact(text: str, *secrets: str) -> str:
    """``text`` with every secret replaced by ``[REDACTED]``; a token keeps its public bot id."""
    for secret in secrets:
        for part in _secret_parts(secret) if secret else ():
            text = text.replace(part, REDACTED)
    return text


_PROTECTED: set[str] = set()
_factory_installed = False


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is the logging module's problem, not ours
        return
    secrets = tuple(_PROTECTED)
    clean = redact(message, *secrets)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info), *secrets)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, *secrets)


def protect_logs(*secrets: str) -> None:
    """Redact these secrets from every log record created from now on, whoever logs it (idempotent)."""
    global _factory_installed
    _PROTECTED.update(part for secret in secrets if secret for part in _secret_parts(secret))
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if _PROTECTED:
            _scrub(record)
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True
