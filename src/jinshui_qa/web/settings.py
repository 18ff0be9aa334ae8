"""Settings of the web channel, from the environment (and ``.env``, as the bot reads it).

    JQA_WEB_SECRET        signs context tokens and keys the client hash; 16+ characters. When unset, one
                          is generated once into JQA_WEB_SECRET_FILE (default ~/.config/jinshui-qa/
                          web.secret, outside the data directory). Replicas must share it.
    JQA_WEB_ORIGINS       comma-separated origins allowed to call the API from a browser (CORS) and to
                          frame the chat page (CSP frame-ancestors), e.g. https://www.jinshui.gov.cn
    JQA_WEB_TRUSTED_PROXIES  comma-separated proxy addresses or networks whose X-Forwarded-For is believed
    JQA_WEB_RATE          questions per client per minute (default 30)
    JQA_WEB_REPLY_CACHE   0 to route every first question again instead of memoising its reply

Errors are :class:`~jinshui_qa.errors.ConfigError` naming the variable, never its value.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from jinshui_qa.errors import ConfigError

DEFAULT_SECRET_FILE = Path.home() / ".config" / "jinshui-qa" / "web.secret"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class WebSettings:
    """What the web app needs; ``repr`` never shows the secret."""

    secret: bytes = field(repr=False)
    origins: tuple[str, ...] = ()
    trusted_proxies: tuple[Network, ...] = ()
    rate_per_minute: int = 30
    rate_burst: int = 10
    max_body_bytes: int = 16 * 1024
    body_seconds: float = 10.0  # a request body not received by then is refused (408)
    rate_file: str = ""  # the workers' shared rate table (JQA_WEB_RATE_FILE, set by `web --workers N`)
    reply_cache: bool = True


def parse_origins(text: str) -> tuple[str, ...]:
    """``https://a.example, http://localhost:8000`` -> normalised origins (scheme://host[:port])."""
    origins: list[str] = []
    for item in (part.strip().rstrip("/") for part in text.split(",")):
        if not item:
            continue
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            raise ConfigError(f"JQA_WEB_ORIGINS: {item[:80]!r} is not an origin like https://www.example.org")
        origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
    return tuple(dict.fromkeys(origins))


def parse_networks(text: str) -> tuple[Network, ...]:
    """``10.0.0.1, 172.18.0.0/16`` -> networks; a bad entry is a ConfigError."""
    networks: list[Network] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"JQA_WEB_TRUSTED_PROXIES: {item[:60]!r} is not an address or network"
            ) from None
    return tuple(networks)


def load_secret(value: str, path: Path) -> bytes:
    """``value`` when set, else the secret in ``path``, created once (readable by the owner only)."""
    if value:
        if len(value) < 16:
            raise ConfigError("JQA_WEB_SECRET must be at least 16 characters (e.g. `openssl rand -hex 32`)")
        return value.encode("utf-8")
    with contextlib.suppress(FileNotFoundError):
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return text.encode("ascii")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    except OSError as exc:
        raise ConfigError(
            f"cannot create the web secret file {path} ({exc.strerror}); set JQA_WEB_SECRET"
        ) from None
    return path.read_text(encoding="ascii").strip().encode("ascii")


def _int(values: Mapping[str, str], name: str, default: int) -> int:
    text = values.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{name} must be a positive whole number")
    return int(text)


def load_web_settings(environ: Mapping[str, str] | None = None, env_file: str | None = None) -> WebSettings:
    """Settings from ``environ`` (default ``os.environ``) over ``env_file`` (default ``./.env`` if any)."""
    from jinshui_qa.settings import parse_env_file

    path = Path(env_file) if env_file is not None else Path(".env")
    values = parse_env_file(path) if path.is_file() else {}
    values.update(os.environ if environ is None else environ)
    secret_file = Path(values.get("JQA_WEB_SECRET_FILE", "").strip() or DEFAULT_SECRET_FILE)
    rate = _int(values, "JQA_WEB_RATE", 30)
    return WebSettings(
        secret=load_secret(values.get("JQA_WEB_SECRET", "").strip(), secret_file),
        origins=parse_origins(values.get("JQA_WEB_ORIGINS", "")),
        trusted_proxies=parse_networks(values.get("JQA_WEB_TRUSTED_PROXIES", "")),
        rate_per_minute=rate,
        rate_burst=max(1, min(rate, 10)),
        reply_cache=values.get("JQA_WEB_REPLY_CACHE", "1").strip().lower() not in ("0", "false", "no", "off"),
        rate_file=values.get("JQA_WEB_RATE_FILE", "").strip(),
    )
