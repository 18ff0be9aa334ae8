"""Which Telegram updates were handled, kept in the data directory so a restart neither loses nor repeats one.

Telegram numbers updates with increasing ``update_id`` s. The ledger holds a ``floor`` (every id below it
was handled or deliberately skipped) and the ids at or above it that were handled since; the long-polling
loop confirms an update to Telegram only once it is in the ledger, and the update processor skips an
update the ledger already holds (a batch fetched again after a failed confirmation, a webhook delivery
repeated). The file (``updates.json``, owner-only) is rewritten atomically at most every ``save_every``
seconds and when the bot stops; a missing or unreadable file starts an empty ledger with a warning.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
LEDGER_FILE = "updates.json"
MAX_IDS = 2_000  # above the floor; more (webhook gaps) and the floor moves up to the oldest half's end


class UpdateLedger:
    """Handled update ids: ``floor`` plus the set handled at or above it; ``path`` None keeps it in memory."""

    def __init__(self, path: Path | None, *, save_every: float = 0.2,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.path = path
        self.save_every = save_every
        self.clock = clock
        self.floor = 0
        self.handled: set[int] = set()
        self._dirty = False
        self._saved_at = float("-inf")
        self._warned = False
        self.listeners: list[Callable[[int], None]] = []
        if path is not None:
            self._load(path)

    @classmethod
    def in_dir(cls, data_dir: Path, *, save_every: float = 0.2) -> UpdateLedger:
        return cls(data_dir / LEDGER_FILE, save_every=save_every)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            floor, handled = int(data["floor"]), {int(i) for i in data["handled"]}
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("update ledger %s is unreadable (%s); starting afresh", path, type(exc).__name__)
            return
        self.floor, self.handled = floor, {i for i in handled if i >= floor}

    # -- queries and changes --------------------------------------------------------------------------
    def seen(self, update_id: int) -> bool:
        """True when ``update_id`` was handled (or skipped) before."""
        return update_id < self.floor or update_id in self.handled

    def done(self, update_id: int) -> None:
        """Note ``update_id`` as handled; saved within ``save_every`` seconds (or at :meth:`close`)."""
        if self.seen(update_id):
            return
        self.handled.add(update_id)
        if len(self.handled) > MAX_IDS:
            self.advance(sorted(self.handled)[MAX_IDS // 2])
        self._dirty = True
        for listener in list(self.listeners):
            listener(update_id)
        self.save(force=False)

    def advance(self, floor: int) -> None:
        """Every id below ``floor`` is settled (confirmed to Telegram): forget them individually."""
        if floor > self.floor:
            self.floor = floor
            self.handled = {i for i in self.handled if i >= floor}
            self._dirty = True

    # -- persistence ----------------------------------------------------------------------------------
    def save(self, *, force: bool = True) -> None:
        """Write the ledger if it changed (and, unless ``force``, the last write is ``save_every`` old)."""
        if self.path is None or not self._dirty:
            return
        now = self.clock()
        if not force and now - self._saved_at < self.save_every:
            return
        body = json.dumps({"floor": self.floor, "handled": sorted(self.handled)})
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(body)
                if force:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            if not self._warned:
                log.warning("cannot save the update ledger %s (%s); a restart may repeat answers",
                            self.path, exc.strerror)  # fmt: skip
                self._warned = True
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        self._dirty, self._saved_at, self._warned = False, now, False

    def close(self) -> None:
        self.save(force=True)
