"""The persisted index snapshot in the data directory: validated facts and their index tokens.

One file, ``DATA_DIR/index.snapshot``: an 8-byte magic, the key (64 hex digits), the SHA-256 of the
payload, then the payload in :mod:`marshal` format (plain str / bytes / int / tuple / dict / None, no
code and no pickled objects, so reading it cannot run anything). The payload holds, per topic file,
its text digest, its validated topic and facts (:meth:`FileCache.export`), each fact's index
tokens (:meth:`Index.reusable`) and router slots (:mod:`jinshui_qa.routing.state`); and, for the
files as a whole (their digest), the reports and vocabulary (:mod:`jinshui_qa.facts.plain_base`) and
the router's state over all facts. A start reads every YAML file (to hash it) but parses and validates
only the files whose digest changed, and re-normalises and re-tokenises only their facts.

The key covers what the stored data was computed with: the router settings, the vocabulary and
sources files, the fact schema and the source code of the packages that parse, validate, normalise,
tokenise and derive slots (``facts``, ``text``, ``routing``)
(so a code change rebuilds it: no version number to forget). A missing, stale, truncated or garbled
file is ignored (never trusted) and replaced after the build. Measured in benchmarks/router.py.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SNAPSHOT_FILE = "index.snapshot"
MAGIC = b"JQAIDX1\n"
_CODE = ("text", "routing", "facts")  # what parses, validates, normalises, tokenises and derives slots


def code_version() -> str:
    """A digest of the source files whose code decides what the snapshot holds."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{sys.version_info[:2]} marshal {marshal.version}".encode())
    for name in _CODE:
        path = package / name
        for source in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def snapshot_key(settings: object, files: Mapping[str, str], schema: str) -> str:
    """The key of a snapshot usable for these settings and these shared files (vocabulary, sources)."""
    from jinshui_qa.facts.schema import SOURCES_FILE, VOCABULARY_FILE

    digest = hashlib.sha256(code_version().encode())
    digest.update(repr(settings).encode() + schema.encode())
    for name in (SOURCES_FILE, VOCABULARY_FILE):
        digest.update(name.encode() + b"\0" + files.get(name, "").encode() + b"\0")
    return digest.hexdigest()


def read_snapshot(path: Path, key: str) -> Any | None:
    """The payload stored under ``key``, or None when the file is missing, stale or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 64 + 32
    if len(raw) < head or not raw.startswith(MAGIC) or raw[len(MAGIC) : len(MAGIC) + 64] != key.encode():
        log.info("index snapshot %s is missing its header or stale: rebuilding", path)
        return None
    payload = memoryview(raw)[head:]
    if hashlib.sha256(payload).digest() != raw[head - 32 : head]:
        log.warning("index snapshot %s is damaged (checksum): rebuilding", path)
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        log.warning("index snapshot %s cannot be read: rebuilding", path)
        return None


def write_snapshot(path: Path, key: str, payload: Any) -> None:
    """Store ``payload`` under ``key``, atomically (a reader sees the old file or the new one)."""
    data = marshal.dumps(payload)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(MAGIC + key.encode() + hashlib.sha256(data).digest())
            out.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
