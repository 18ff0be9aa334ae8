"""The read side of the persisted snapshot (:mod:`jinshui_qa.storage.index_store`, which lays it out).

A start checks the whole file (its CRC-32, about 1 GB at 100,000 facts) before trusting any of it.
:class:`Checking` does that from a thread while the caller reads the fact files: reading and
:func:`zlib.crc32` release the GIL, so on a second core the check costs the start no wall time. Nothing
of the file is decoded before the check is done and right (:func:`read_parts` waits for it).
"""

from __future__ import annotations

import gc
import marshal
import mmap
import os
import stat
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

from jinshui_qa.lazy_logging import LazyLogger

log = LazyLogger("jinshui_qa.storage.index_store")
MAGIC = b"JQAIDX3\n"
HEAD = len(MAGIC) + 64 + 4  # magic, key, CRC-32 of the rest
T = TypeVar("T")
_CHUNK = 1 << 26  # 64 MiB read at a time: the checking thread takes the GIL back once per chunk


class Deferred(Mapping[str, Any]):
    """A dict stored as its own blob of :mod:`marshal` bytes, decoded when first read (a start reads
    none of it), its length known before. Bytes that do not decode to a dict read as an empty one: what
    it holds is a cache (e.g. the phrasing keys of the checks across files, which a full check computes
    again)."""

    def __init__(self, blob: memoryview | Unmapped | bytes, length: int) -> None:
        self._blob: memoryview | Unmapped | bytes | None = blob
        self._length, self._held = int(length), dict[str, Any]()

    def _dict(self) -> dict[str, Any]:
        blob, self._blob = self._blob, None
        if blob is not None:
            try:
                held = marshal.loads(bytes(blob))
            except (ValueError, EOFError, TypeError):
                held = None
            self._held = held if isinstance(held, dict) else {}
            self._length = len(self._held)
        return self._held

    def __getitem__(self, key: str) -> Any:
        return self._dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return self._length if self._blob is not None else len(self._held)


@contextmanager
def paused_collector(pause: bool = True) -> Iterator[None]:
    """The cyclic garbage collector kept from running meanwhile (when ``pause``): a start from the
    snapshot makes millions of objects and no garbage worth collecting, and each collection walked the
    young ones (0.2 s of a 0.35 s start at 10,000 facts); the assistant's objects are frozen at the end
    (:func:`~jinshui_qa.bootstrap.assistant_for`), so later collections skip them."""
    enabled = pause and gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def aligned(at: int) -> int:
    return -(-at // 8) * 8


class _Opened:
    """A file descriptor, closed when no longer referred to."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __del__(self) -> None:
        os.close(self.fd)


class Unmapped:
    """A stored blob read from the file by the slice (``os.pread``), never mapped: for records read a
    few at a time (a question's candidates). A mapped page is counted in the process's memory once
    read, and the kernel maps the whole large folio (2 MiB at 100,000 facts) around a byte read, so a few
    thousand records read over a long run would hold nearly all of the blob; read here, a record costs a
    system call and holds no page. The file stays open (a replaced snapshot's data stays readable)."""

    def __init__(self, stored: _Opened, at: int, length: int) -> None:
        self._stored, self._at, self._length = stored, at, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, part: slice, /) -> bytes:
        start, stop, step = part.indices(self._length)
        if step != 1:
            raise ValueError("a stored blob is read by contiguous slices")
        return os.pread(self._stored.fd, max(0, stop - start), self._at + start)

    def __bytes__(self) -> bytes:
        return self[:]


class _Checked:
    """A snapshot file whose checksum is right: its header, its payload (marshal bytes, not decoded)
    and the file, open."""

    def __init__(self, header: bytes, data: bytes, stored: _Opened) -> None:
        self.header, self.data, self.stored = header, data, stored

    def key(self) -> bytes:
        return self.header[len(MAGIC) : HEAD - 4]


def in_background(work: Callable[[], T]) -> Callable[[], T]:
    """``work`` done by a thread started now; the function returned waits for its result (or raises
    what it raised)."""
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # handed to the caller
            failed.append(exc)

    thread = threading.Thread(target=run, name="in-background", daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        if failed:
            raise failed[0]
        return done[0]

    return result


class Checking:
    """:func:`check` of ``path`` by a thread, started at once; :meth:`result` waits for it. :meth:`close`
    stops it (between chunks) when the caller gives up (e.g. the facts are invalid)."""

    def __init__(self, path: Path) -> None:
        self._path, self._stop = path, threading.Event()
        self._result: _Checked | None = None
        self._thread = threading.Thread(target=self._run, name="index-snapshot-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._result = check(self._path, self._stop)

    def result(self) -> _Checked | None:
        self._thread.join()
        return self._result

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._result = None


def check(path: Path, stop: threading.Event | None = None, key: bytes | None = None) -> _Checked | None:
    """The snapshot at ``path`` with its checksum right, or None (missing, not a regular file, truncated,
    damaged, stored under another ``key`` when one is given, or ``stop`` set meanwhile)."""
    try:  # never blocks: a FIFO or a device in its place is refused, not waited on
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as stored:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                log.warning("index snapshot %s is not a regular file: building without it", path)
                return None
            header = stored.read(HEAD + 8)
            if len(header) < HEAD + 8 or not header.startswith(MAGIC):
                log.info("index snapshot %s is missing its header or stale: rebuilding", path)
                return None
            if key is not None and header[len(MAGIC) : HEAD - 4] != key:
                log.info("index snapshot %s is missing its header or stale: rebuilding", path)
                return None
            size = int.from_bytes(header[HEAD:], "little")
            data = stored.read(min(size, os.fstat(fd).st_size))
            rest = os.fstat(fd).st_size - stored.tell()
            crc = _checksum(stored, zlib.crc32(data, zlib.crc32(header[HEAD:])), rest, stop)
            if crc != int.from_bytes(header[HEAD - 4 : HEAD], "little"):
                if crc is not None:
                    log.warning("index snapshot %s is damaged (checksum): rebuilding", path)
                return None
            return _Checked(header, data, _Opened(os.dup(fd)))
    except (OSError, ValueError, OverflowError):
        return None


def read_parts(
    path: Path,
    key: str,
    unmapped: Callable[[Any], Iterable[int]] = lambda payload: (),
    checking: Checking | None = None,
) -> tuple[Any, list[memoryview], dict[int, Unmapped]] | None:
    """The payload stored under ``key``, its blobs (read-only views into the file mapped into memory, in
    the order written, each 8-byte aligned: no copy) and the blobs ``unmapped(payload)`` names also as
    :class:`Unmapped` (by number; read from the file, not mapped); None when the file is missing, stale
    or damaged. ``checking``: the check of this file, started earlier (else done here)."""
    checked = checking.result() if checking is not None else check(path, key=key.encode())
    if checked is None:
        return None
    if checked.key() != key.encode():
        log.info("index snapshot %s is missing its header or stale: rebuilding", path)
        return None
    data, checked.data = checked.data, b""
    try:
        mapped = mmap.mmap(checked.stored.fd, 0, prot=mmap.PROT_READ)
    except (OSError, ValueError):
        return None
    view = memoryview(mapped)
    start = HEAD + 8 + len(data)
    try:
        if len(data) != int.from_bytes(checked.header[HEAD:], "little") or start > len(view):
            raise ValueError("a payload beyond the end")
        payload, lengths = marshal.loads(data)
        del data
        at = aligned(start)
        blobs = []
        for length in lengths:
            if length < 0 or at + length > len(view):
                raise ValueError("blobs beyond the end")
            blobs.append(view[at : at + length])
            at = aligned(at + length)
        read = {
            k: Unmapped(checked.stored, _offset(blobs, k, start), len(blobs[k]))
            for k in set(unmapped(payload))
        }
    except (ValueError, EOFError, TypeError, KeyError, IndexError):
        log.warning("index snapshot %s cannot be read: rebuilding", path)
        return None
    return payload, blobs, read


def _offset(blobs: list[memoryview], k: int, start: int) -> int:
    """Where blob ``k`` starts in the file (the payload ends at ``start``)."""
    at = aligned(start)
    for blob in blobs[:k]:
        at = aligned(at + len(blob))
    return at


def _checksum(stored: IO[bytes], crc: int, rest: int, stop: threading.Event | None) -> int | None:
    """The CRC-32 ``crc`` continued over the rest of the file (about ``rest`` bytes), read (not mapped) a
    chunk at a time: checking the whole file maps none of it into this process (only the arrays a question
    reads are, later). None when ``stop`` is set."""
    chunk = bytearray(max(1, min(_CHUNK, rest)))  # zeroed: a small file's check touches no 64 MiB
    view = memoryview(chunk)
    while n := stored.readinto(chunk):  # type: ignore[attr-defined]
        if stop is not None and stop.is_set():
            return None
        crc = zlib.crc32(view[:n], crc)
    return crc


def unmapped_blobs(payload: Any) -> tuple[int, ...]:
    """The blobs read by the slice, not mapped: facts', slots', slots' texts, phrasing keys (first reload)."""
    keys = (payload["keys"][0],) if payload.get("keys") else ()
    return (
        (payload["facts"][0], payload["slots"][0], payload["slots"][2], *keys) if payload["slots"] else keys
    )
