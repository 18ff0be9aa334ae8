"""One rate limit for the workers of one host (``jinshui-qa web --workers N``).

Each worker is a process of its own and the kernel spreads a client's connections over them, so a
limiter per process let a client ask N times ``JQA_WEB_RATE`` (measured with two workers and new
connections: 20 questions of a burst of 10 answered). The manager (:mod:`jinshui_qa.web.workers`)
creates a file of fixed size and names it in ``JQA_WEB_RATE_FILE``; every worker maps it and keeps
its token buckets there, each check under an exclusive ``flock`` of the file (two system calls).

The file is a table of :data:`SLOTS` records (key hash, tokens, time of the last check), a bucket found
by its key's hash and at most :data:`PROBE` slots after it; a new key takes an empty slot or the least
recently checked of those, so memory is bounded (1.5 MB) like :class:`~jinshui_qa.web.limits.RateLimiter`
and a forgotten client gets a fresh bucket. Replicas on other hosts still count apart (bot/WEB.md).
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
from pathlib import Path

from jinshui_qa.web.limits import take

SLOTS = 65_536
PROBE = 8
_RECORD = struct.Struct("<Qdd")  # key hash (0: empty), tokens, last check
SIZE = SLOTS * _RECORD.size


def create(path: Path) -> Path:
    """A zeroed table at ``path`` (mode 0600), for the workers to share."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.ftruncate(fd, SIZE)
    finally:
        os.close(fd)
    return path


class SharedRateLimiter:
    """:class:`~jinshui_qa.web.limits.RateLimiter`'s buckets in a file every worker of the host maps."""

    def __init__(self, path: str | os.PathLike[str], rate_per_minute: float, burst: int) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self._fd = os.open(path, os.O_RDWR)
        if os.fstat(self._fd).st_size != SIZE:
            os.close(self._fd)
            raise ValueError(f"{path} is not a rate table of {SIZE} bytes")
        self._map = mmap.mmap(self._fd, SIZE)

    def check(self, key: str, now: float) -> int:
        """Take one token for ``key`` at ``now``: 0 when allowed, else whole seconds until one is free."""
        digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).digest()
        wanted = int.from_bytes(digest, "little") or 1
        start = wanted % SLOTS
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            offset, tokens, last = self._slot(wanted, start, now)
            tokens, wait = take(tokens, last, now, self.rate, self.burst)
            _RECORD.pack_into(self._map, offset, wanted, tokens, now)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        return wait

    def _slot(self, wanted: int, start: int, now: float) -> tuple[int, float, float]:
        """The offset of ``wanted``'s bucket with its tokens and last check; a fresh bucket in an empty
        slot or in the least recently checked one when it has none."""
        oldest, oldest_at = -1, float("inf")
        for k in range(PROBE):
            offset = ((start + k) % SLOTS) * _RECORD.size
            held, tokens, last = _RECORD.unpack_from(self._map, offset)
            if held == wanted:
                return offset, tokens, last
            if held == 0:
                return offset, self.burst, now
            if last < oldest_at:
                oldest, oldest_at = offset, last
        return oldest, self.burst, now

    def close(self) -> None:
        self._map.close()
        os.close(self._fd)
