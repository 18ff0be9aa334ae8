"""The salted hash the question log stores instead of a user id, and its salt file (owner-only)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)


def load_salt(path: Path) -> bytes:
    """The salt kept in ``path``, created once (32 random bytes, readable by the owner only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        salt = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(salt) >= 16:
            return salt
        log.warning("question log: salt file %s is malformed; replacing it", path)
        path.unlink()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return load_salt(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return load_salt(path)


def hash_user(salt: bytes, user_id: str | int | None) -> str | None:
    if user_id is None or user_id == "":
        return None
    return hashlib.sha256(salt + b"\0" + str(user_id).encode("utf-8")).hexdigest()
