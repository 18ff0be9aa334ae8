"""The persisted index snapshot in the data directory: validated facts and their packed index.

One file, ``DATA_DIR/index.snapshot``: an 8-byte magic, the key (64 hex digits), the CRC-32 of the
rest (4 bytes), the length of the payload (8 bytes) and the payload in :mod:`marshal` format (plain
str / bytes / int / tuple / dict / None, no code and no pickled objects, so reading it cannot run
anything), then raw blobs, each 8-byte aligned: the index's packed arrays
(:mod:`jinshui_qa.routing.segments`), the facts and their slots packed (:mod:`jinshui_qa.facts.records`),
the index's arrays used in place as views of the file mapped into memory (read-only, shared with the
page cache: no copy, no object per fact or per posting, and resident only where read), the records of
facts and slots read from the file a few at a time, never mapped (:class:`Unmapped`: a mapped page
stays counted in the process). The payload holds, per topic
file, its text digest, its validated topic and how many facts it has (:meth:`FileCache.export`);
every fact's id, and the blobs' numbers of the facts, their rows in the stored index and their router
slots (:mod:`jinshui_qa.routing.state`), in file-name order; and, for the files as a whole (their
digest), the index's layout (tokens and the blobs' numbers), the reports and vocabulary
(:mod:`jinshui_qa.facts.plain_base`) and the router's state over all facts. The phrasing keys of the
checks across files are a blob of their own (``"keys"``: its number and how many files), decoded at the
first reload (:class:`~jinshui_qa.storage.snapshot_read.Deferred`). A start reads every YAML file (to
hash its bytes); when some changed since, it takes the stored assistant as the previous one of a reload
(:mod:`jinshui_qa.storage.snapshot_start`): only the files whose digest changed are parsed and validated,
only their facts normalised, tokenised and spliced in (a delta over the stored index,
:mod:`jinshui_qa.routing.segments`). The read side is :mod:`jinshui_qa.storage.snapshot_read` (the check
of the file by a thread).

The key covers what the stored data was computed with: the router settings, the vocabulary and
sources files, the fact schema and the source code of the packages that parse, validate, normalise,
tokenise and derive slots (``facts``, ``text``, ``routing``), and of the modules that lay the snapshot
out (``rebuilder.py``, ``bootstrap.py``, this one, the writer and the reader: its records are decoded
lazily, after the start)
(so a code change rebuilds it: no version number to forget). A missing, stale, truncated or garbled
file is ignored (never trusted) and replaced after the build. Measured in benchmarks/router.py.

The checksum is there to catch a damaged file (truncated, a partial write, flipped bits), not a forged
one (whoever can write the data directory can write the facts): CRC-32 catches any burst of up to 32
bits and other damage but for 1 in 2**32, at twice the speed of SHA-256 (0.03 s for 85 MB, 10,000
facts). The file is replaced, never written in place (:func:`write_snapshot`), so a mapping stays valid.
The checksum and the payload are read, not mapped (once read, a mapped page stays in the process).
The bytes written depend on the values only (:func:`plain_bytes`), so one input gives one file.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinshui_qa.facts.loader import blake2b
from jinshui_qa.lazy_logging import LazyLogger
from jinshui_qa.storage.snapshot_read import HEAD as _HEAD
from jinshui_qa.storage.snapshot_read import MAGIC as MAGIC
from jinshui_qa.storage.snapshot_read import Unmapped as Unmapped  # re-exported (tests)
from jinshui_qa.storage.snapshot_read import aligned as _aligned
from jinshui_qa.storage.snapshot_read import read_parts

log = LazyLogger(__name__)
SNAPSHOT_FILE = "index.snapshot"
_CODE = ("text", "routing", "facts")  # what parses, validates, normalises, tokenises and derives slots
# and what lays the snapshot out (its payload and records are read lazily: a layout change must rebuild)
_LAYOUT = (
    "rebuilder.py",
    "bootstrap.py",
    *(
        os.path.join("storage", f"{m}.py")
        for m in ("index_store", "snapshot_writer", "snapshot_read", "snapshot_start")
    ),
)


def code_version() -> str:
    """A digest of the source files whose code decides what the snapshot holds."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    digest = blake2b(
        f"{sys.version_info[:2]} marshal {marshal.version} {sys.byteorder}".encode(), digest_size=32
    )
    sources: list[tuple[str, str]] = []
    for name in _CODE:  # os.scandir, not Path.glob: the same files in the same order, at half the cost
        with os.scandir(os.path.join(package, name)) as entries:
            sources += sorted((e.name, e.path) for e in entries if e.name.endswith(".py") and e.is_file())
    sources += [(name, os.path.join(package, name)) for name in _LAYOUT]
    for source, path in sources:
        with open(path, "rb") as text:
            digest.update(source.encode() + b"\0" + text.read())
    return digest.hexdigest()


def snapshot_key(settings: object, files: Mapping[str, str], schema: str) -> str:
    """The key of a snapshot usable for these settings and these shared files (vocabulary, sources)."""
    from jinshui_qa.facts.schema import SOURCES_FILE, VOCABULARY_FILE

    digest = blake2b(code_version().encode(), digest_size=32)
    digest.update(repr(settings).encode() + schema.encode())
    for name in (SOURCES_FILE, VOCABULARY_FILE):
        digest.update(name.encode() + b"\0" + files.get(name, "").encode() + b"\0")
    return digest.hexdigest()


def read_snapshot(path: Path, key: str) -> Any | None:
    """The payload stored under ``key``, or None when the file is missing, stale or damaged."""
    parts = read_snapshot_parts(path, key)
    return None if parts is None else parts[0]


def read_snapshot_parts(path: Path, key: str) -> tuple[Any, list[memoryview]] | None:
    """The payload stored under ``key`` and its blobs (read-only views into the file mapped into
    memory, in the order written, each 8-byte aligned: no copy), or None when the file is missing,
    stale or damaged."""
    parts = read_parts(path, key)
    return None if parts is None else parts[:2]


def plain_bytes(plain: Any) -> bytes:
    """``plain`` (marshal-able, its sets as sorted tuples) as :mod:`marshal` bytes that depend on its
    value only (:func:`_canonical`)."""
    return marshal.dumps(_canonical(plain, ({}, {}, {}, {})))


Memo = tuple[dict[str, str], dict[int, int], dict[str, float], dict[bytes, bytes]]


def _canonical(plain: Any, memo: Memo) -> Any:
    """A copy of ``plain`` that :mod:`marshal` writes as the same bytes in every process: marshal marks
    an object for reuse by its reference count and writes a string's interned state, both of which
    depend on the process's history. Here every str, int, float and bytes value is one object, held by
    ``memo`` (so always marked, and written once, then referred to), strings never interned (a
    start interns none), containers new (never marked). Sets keep the order they iterate in: a
    payload holds sorted tuples instead. (Strings, most of a payload, are copied in the loops.)"""
    kind = type(plain)
    strs = memo[0]
    if kind is tuple or kind is list:
        out = []
        for item in plain:
            if type(item) is str:
                text = strs.get(item)
                if text is None:
                    text = strs[item] = _fresh(item)
                out.append(text)
            else:
                out.append(_canonical(item, memo))
        return tuple(out) if kind is tuple else out
    if kind is dict:
        made = {}
        for k, v in plain.items():
            if type(k) is str:
                key = strs.get(k)
                if key is None:
                    key = strs[k] = _fresh(k)
            else:
                key = _canonical(k, memo)
            if type(v) is str:
                value = strs.get(v)
                if value is None:
                    value = strs[v] = _fresh(v)
            else:
                value = _canonical(v, memo)
            made[key] = value
        return made
    if kind is str:
        text = strs.get(plain)
        if text is None:
            text = strs[plain] = _fresh(plain)
        return text
    if kind is int:
        return memo[1].setdefault(plain, plain)
    if kind is float:
        return memo[2].setdefault(plain.hex(), plain)
    if kind is bytes:
        return memo[3].setdefault(plain, plain)
    if kind is frozenset:
        return frozenset([_canonical(item, memo) for item in plain])
    return plain  # None, bool, ... (singletons)


def _fresh(text: str) -> str:
    """An equal string, a new object and not interned (but for the interpreter's one-character singletons)."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def write_snapshot(path: Path, key: str, payload: Any, blobs: Sequence[bytes] = ()) -> None:
    """Store ``payload`` (marshal-able) and ``blobs`` (raw bytes, e.g. packed arrays, read back as views
    by :func:`read_snapshot_parts`) under ``key``, atomically (a reader sees the old file or the new one)."""
    data = plain_bytes((payload, tuple(len(b) for b in blobs)))
    pieces: list[bytes] = [len(data).to_bytes(8, "little"), data]
    at = _HEAD + 8 + len(data)
    for blob in blobs:
        pieces.append(bytes(_aligned(at) - at))
        at = _aligned(at)
        pieces.append(blob)
        at += len(blob)
    crc = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
    from jinshui_qa.storage.private_files import private_dir

    private_dir(path.parent)  # a data directory made here is 0700, as every other
    left_behind(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(MAGIC + key.encode() + crc.to_bytes(4, "little"))
            for piece in pieces:
                out.write(piece)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


STALE_SECONDS = 120  # a writer writes its bytes without a pause: a file untouched this long is nobody's


def left_behind(path: Path) -> None:
    """Remove the temporary files of ``path`` that writers killed mid-write (``kill -9``, the machine's
    power) left: ``.NAME.PID.tmp`` whose process is gone and that nobody wrote for :data:`STALE_SECONDS`
    (never read, but a 100,000-fact snapshot's is a gigabyte each time). A live process's is kept."""
    import time

    for stray in path.parent.glob(f".{path.name}.*.tmp"):
        pid = stray.name[len(path.name) + 2 : -4]
        try:
            if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
                continue
            if time.time() - stray.stat().st_mtime >= STALE_SECONDS:
                stray.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: left
            continue


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's: alive
        return True
    return True
