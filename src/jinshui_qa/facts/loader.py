"""Read the facts directory from disk and hand its text to :func:`build_factbase`.

Where the facts live: ``--facts DIR``, else ``$JQA_FACTS_DIR``, else the checkout's ``facts/``.
The same loader serves ``check``, ``build``, ``ask``, ``chat`` and the bot, so whatever passes
``jinshui-qa check`` is exactly what the bot will serve.

Only regular files inside the directory are read (:func:`read_fact_file`): a symlink leading out of
it, a FIFO, a device or a file over :data:`MAX_FILE_BYTES` is a problem ``file:0: message``, found
without blocking and without reading more than the cap.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jinshui_qa.errors import FactsDirMissing, FactsInvalid, Problem
from jinshui_qa.facts.schema import FactBase

try:  # hashlib's BLAKE2b itself: importing hashlib loads OpenSSL (_hashlib), 3 ms of every `ask`
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b as blake2b

CHECKOUT_FACTS = Path(__file__).resolve().parents[3] / "facts"
MAX_FILE_BYTES = 5 * 1024 * 1024  # one facts file; the whole real fact base is about 0.2 MB
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def facts_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The facts directory to use; raises FactsDirMissing naming where it looked and why."""
    if explicit:
        path, why = Path(explicit), "--facts"
    elif os.environ.get("JQA_FACTS_DIR"):
        path, why = Path(os.environ["JQA_FACTS_DIR"]), "$JQA_FACTS_DIR"
    else:
        path, why = CHECKOUT_FACTS, "the checkout's facts/"
    _require_dir(path, f" (from {why})")
    return path


def _require_dir(path: Path, why: str = "") -> None:
    if not path.is_dir():
        state = "is not a directory" if path.exists() else "does not exist"
        raise FactsDirMissing(f"facts directory {path}{why} {state}")


_NOT_A_FILE = "is a directory, not a file"


def _refuse(path: Path, message: str) -> FactsInvalid:
    return FactsInvalid([Problem(path.name, 0, message)])


def file_digest(name: str, text: str) -> bytes:
    """A digest of one file's text (BLAKE2b, 16 bytes): what the fact base's fingerprint is made of."""
    return blake2b(text.encode(), digest_size=16).digest()


class TextCache:
    """The texts of files read before, each with the stat it was read under (size, modification and
    change times in ns, inode): a file whose stat is unchanged is not read again (its text is the very
    object read before). The same trust as the watcher's stat signature
    (:func:`~jinshui_qa.storage.fact_store.facts_signature`), per file. Threads may share one: each
    entry is replaced whole (at worst a file is read again)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[tuple[int, int, int, int], str]] = {}

    def get(self, name: str, info: os.stat_result) -> str | None:
        held = self._held.get(name)
        return held[1] if held is not None and held[0] == _stat_key(info) else None

    def put(self, name: str, info: os.stat_result, text: str) -> None:
        self._held[name] = (_stat_key(info), text)

    def keep(self, names: set[str]) -> None:
        """Forget the files not in ``names`` (gone from the directory)."""
        self._held = {name: held for name, held in self._held.items() if name in names}


def _stat_key(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def read_fact_file(
    path: Path,
    root: Path,
    max_bytes: int | None = None,
    cache: TextCache | None = None,
    raw: dict[str, bytes] | None = None,
) -> str:
    """The text of one facts file, read only if it is a regular file inside ``root``.

    Raises :class:`FactsInvalid` with one ``file:line: message`` problem for a symlink leading outside
    ``root``, anything not a regular file (FIFO, device, directory), a file over ``max_bytes`` bytes,
    text that is not UTF-8, or an OS error. Never blocks on a FIFO and reads at most ``max_bytes + 1``
    bytes (default :data:`MAX_FILE_BYTES`). With ``cache``, a regular file whose stat has not changed
    since it was read gives the text read then. ``raw``: the file's bytes are put there by its name
    when read from the file (not from ``cache``), so that they are hashed without encoding the text again.
    """
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        real = path.resolve(strict=True)
        if not real.is_relative_to(root.resolve(strict=True)):
            raise _refuse(path, f"refused: a link to {real}, outside the facts directory")
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, _NOT_A_FILE if stat.S_ISDIR(info.st_mode) else "refused: not a regular file")
        held = cache.get(path.name, info) if cache is not None and info.st_size <= max_bytes else None
        if held is not None:
            return held
        fd = os.open(real, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)  # the file opened, not the one stat-ed a moment ago
            if not stat.S_ISREG(info.st_mode):
                raise _refuse(path, "refused: not a regular file")
            if info.st_size > max_bytes:
                raise _refuse(path, f"refused: {info.st_size:,} bytes, more than the {max_bytes:,} allowed")
            data = _read_at_most(fd, max_bytes + 1, info.st_size + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _refuse(path, f"cannot read: {exc.strerror or exc}") from None
    except RuntimeError as exc:  # a symlink loop
        raise _refuse(path, f"cannot read: {exc}") from None
    if len(data) > max_bytes:
        raise _refuse(path, f"refused: more than the {max_bytes:,} bytes allowed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FactsInvalid(
            [Problem(path.name, line, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
        ) from None
    if cache is not None:
        cache.put(path.name, info, text)
    if raw is not None:
        raw[path.name] = data
    return text


def _read_at_most(fd: int, limit: int, first: int = 1 << 20) -> bytes:
    """At most ``limit`` bytes of ``fd``: ``first`` (its size and one) in one read, so that a file read
    whole is one bytes object, not chunks joined (a copy), then by 1 MiB should it have grown."""
    chunks: list[bytes] = []
    left, size = limit, first
    while left > 0:
        chunk = os.read(fd, min(left, size))
        size = 1 << 20
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_files(
    directory: Path, cache: TextCache | None = None, raw: dict[str, bytes] | None = None
) -> dict[str, str]:
    """Every ``*.yaml`` file of the directory, by name, read with :func:`read_fact_file` (``raw``: as
    there).

    Raises FactsDirMissing when ``directory`` is not a directory, FactsInvalid listing every file that
    could not be read.
    """
    files, unreadable = read_all(directory, cache, raw)
    if unreadable:
        raise FactsInvalid([p for found in unreadable.values() for p in found])
    return files


def read_all(
    directory: Path, cache: TextCache | None = None, raw: dict[str, bytes] | None = None
) -> tuple[dict[str, str], dict[str, list[Problem]]]:
    """The directory's fact files (name -> text) and the ones refused (name -> their problems); with
    ``cache``, files unchanged since it read them are not read again (:class:`TextCache`).

    Raises FactsDirMissing when ``directory`` is not a directory."""
    _require_dir(directory)
    files: dict[str, str] = {}
    unreadable: dict[str, list[Problem]] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            files[path.name] = read_fact_file(path, directory, cache=cache, raw=raw)
        except FactsInvalid as exc:
            unreadable[path.name] = exc.problems
    if cache is not None:
        cache.keep(set(files))
    return files, unreadable


def load(directory: str | os.PathLike[str] | None = None) -> FactBase:
    """Load and validate the fact base; raises FactsDirMissing or FactsInvalid (every problem of every
    file, unreadable ones included), never half-loads."""
    from jinshui_qa.facts.validation import build_factbase  # yaml: not needed to read files

    files, unreadable = read_all(facts_dir(directory))
    return build_factbase(files, unreadable=unreadable)
