"""The keyed hash stored and logged instead of a user id: HMAC-SHA256 with a secret kept outside the data directory.

Where the key comes from (the first that is set wins; see README "What is logged"):

1. ``JQA_HASH_KEY`` in the environment (or ``./.env``): the key itself, at least 32 characters
   (``openssl rand -hex 32``).
2. ``JQA_HASH_KEY_FILE``: a file holding the key (docker/Kubernetes secrets); when set, the file must exist.
3. ``/run/secrets/jqa_hash_key`` if that file exists (the default place of a docker secret).
4. Otherwise, for the console and development: ``$XDG_CONFIG_HOME/jinshui-qa/hash_key`` (default
   ``~/.config/jinshui-qa/hash_key``), generated once with mode 0600 and announced by one log line.

A key file inside the data directory is refused: whoever copies the data directory must not get the key
with it (with the key, guessing every plausible Telegram id reverses a hash in seconds). Rotating the key
(a new value) makes new hashes unrelated to the old ones. Problems are :class:`ConfigError`, one line.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jinshui_qa.errors import ConfigError
from jinshui_qa.storage.private_files import FILE_MODE, private_dir

log = logging.getLogger(__name__)

KEY_ENV = "JQA_HASH_KEY"
KEY_FILE_ENV = "JQA_HASH_KEY_FILE"
SECRETS_FILE = Path("/run/secrets/jqa_hash_key")
MIN_KEY_CHARS = 32
SHORT = 12  # hex digits of a hash shown in log lines
OLD_SALT_FILE = "question_log.salt"  # the salted SHA-256 of earlier versions kept its salt in the data dir


@dataclass(frozen=True)
class UserHasher:
    """``hasher(user_id)``: 64 hex digits of HMAC-SHA256(key, str(user_id)); None for no user."""

    key: bytes = field(repr=False)
    source: str = ""  # where the key came from, for messages (never the key itself)

    def __call__(self, user_id: str | int | None) -> str | None:
        if user_id is None or user_id == "":
            return None
        message = str(user_id).encode("utf-8", "surrogatepass")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def tag(self, user_id: str | int | None) -> str:
        """What a log line shows for a user: ``user`` and the hash's first 12 hex digits."""
        digest = self(user_id)
        return f"user {digest[:SHORT]}" if digest else "an unknown user"


def dev_key_file(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/jinshui-qa/hash_key``, else ``~/.config/jinshui-qa/hash_key``."""
    config = environ.get("XDG_CONFIG_HOME", "").strip()
    return (Path(config) if config else Path.home() / ".config") / "jinshui-qa" / "hash_key"


def load_hasher(data_dir: Path | None = None, environ: Mapping[str, str] | None = None) -> UserHasher:
    """The hasher of the configured key (module docstring); ``data_dir`` is where the hashes are stored,
    which no key file may lie in. ``environ`` defaults to the environment over ``./.env``."""
    if environ is None:
        from jinshui_qa.settings import read_env

        environ = read_env()
    text = environ.get(KEY_ENV, "").strip()
    if text:
        if len(text) < MIN_KEY_CHARS:
            raise ConfigError(f"{KEY_ENV} is too short: use at least {MIN_KEY_CHARS} characters "
                              "(e.g. openssl rand -hex 32)")  # fmt: skip
        return UserHasher(text.encode("utf-8", "surrogateescape"), KEY_ENV)
    named = environ.get(KEY_FILE_ENV, "").strip()
    if named:
        return _from_file(Path(named).expanduser(), data_dir, f"{KEY_FILE_ENV}={named}")
    if SECRETS_FILE.is_file():
        return _from_file(SECRETS_FILE, data_dir, str(SECRETS_FILE))
    path = dev_key_file(environ)
    _outside(path, data_dir)
    if not path.exists():
        _generate(path)
    return _from_file(path, data_dir, str(path))


def _outside(path: Path, data_dir: Path | None) -> None:
    if data_dir is None:
        return
    key, data = path.expanduser().resolve(), data_dir.expanduser().resolve()
    if key == data or data in key.parents:
        raise ConfigError(f"the hash key file {path} is inside the data directory {data_dir}: keep it "
                          f"elsewhere (whoever copies the data directory must not get the key)")  # fmt: skip


def _from_file(path: Path, data_dir: Path | None, what: str) -> UserHasher:
    _outside(path, data_dir)
    try:
        text = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the hash key file {path} ({what}): {exc.strerror or exc}") from None
    if len(text) < MIN_KEY_CHARS:
        raise ConfigError(f"the hash key file {path} holds {len(text)} characters; it needs at least "
                          f"{MIN_KEY_CHARS} (e.g. openssl rand -hex 32 > {path})")  # fmt: skip
    return UserHasher(text, str(path))


def _generate(path: Path) -> None:
    """Write a new random key (0600), unless another process just did."""
    try:
        private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise ConfigError(f"no hash key is configured and {path} cannot be created ({exc.strerror or exc}): "
                          f"set {KEY_ENV} or {KEY_FILE_ENV}") from None  # fmt: skip
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    log.info("no hash key configured (%s / %s): generated %s for this machine; user hashes made with "
                "another key will not match these", KEY_ENV, KEY_FILE_ENV, path)  # fmt: skip


def retire_salt(data_dir: Path) -> None:
    """Delete the salt file earlier versions kept in the data directory (it let anyone holding the
    directory reverse the hashes); says so once. The hashes it made stay, unlinkable to new ones."""
    salt = data_dir / OLD_SALT_FILE
    try:
        salt.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("cannot delete the old salt file %s (%s): delete it by hand", salt, exc.strerror or exc)
        return
    log.warning("deleted the old salt file %s: user hashes are now keyed (HMAC) with a key outside the data "
                "directory; hashes logged before do not match new ones", salt)  # fmt: skip


def log_tag(hash_user: Callable[[str | int | None], str | None] | None, user_id: str | int | None) -> str:
    """What a log line shows instead of a user or chat id: ``user`` and the first 12 hex digits of the
    question log's keyed hash (so the line can be matched to the log's rows), or ``a user`` without one."""
    try:
        digest = hash_user(user_id) if hash_user is not None else None
    except ConfigError:
        digest = None
    return f"user {digest[:SHORT]}" if digest else "a user"
