"""The forms a start from the index snapshot would fold again, kept beside the snapshot.

A start from the snapshot builds the normaliser, the frame reader's lexicons, the placement's word
lists and the index's stop words from the vocabulary and the code's word lists: at the real base about
1,200 folds and 770 canonical forms, a tenth of an ``ask``. They are the same at every start with the
same snapshot key (code, settings, vocabulary and sources: all a text's form depends on; the fact files
do not change one), so the first start that computes them writes them here (:func:`write`) and the next
starts seed the memos with them (:func:`read`; :func:`jinshui_qa.bootstrap.assistant_for`).

The file: a magic line, the snapshot key it was made with, a BLAKE2b digest of the body, the body
(marshal of the folded and the canonical forms, two dicts). A file with another key, a wrong digest or a
body that does not decode is not used: the start folds as before and writes the file again. Nothing
is read or written at import.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

try:  # hashlib's BLAKE2b itself, without loading OpenSSL (see facts/loader.py)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

FILE = "start-forms.bin"
MAGIC = b"JQAFORMS1\n"
_KEY = 64  # the snapshot key's hex digits
_HEAD = len(MAGIC) + _KEY + 64  # magic, key, the body's digest (hex)
Folded = dict[tuple[str, bool, bool], str]


def read(path: Path, key: str) -> tuple[Folded, dict[str, str]] | None:
    """The folded and canonical forms stored at ``path`` under ``key``, or None (missing, another key,
    damaged)."""
    try:
        with open(path, "rb") as stored:
            data = stored.read()
    except OSError:
        return None
    body = memoryview(data)[_HEAD:]
    if data[: len(MAGIC)] != MAGIC or data[len(MAGIC) : len(MAGIC) + _KEY] != key.encode():
        return None
    if blake2b(body, digest_size=32).hexdigest().encode() != data[len(MAGIC) + _KEY : _HEAD]:
        return None
    try:
        folded, canonical = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None
    if type(folded) is not dict or type(canonical) is not dict:
        return None
    return folded, canonical


def write(path: Path, key: str, folded: Folded, canonical: dict[str, str]) -> None:
    """Store the forms under ``key``, atomically; a data directory that cannot be written is left as it
    is (the next start folds again)."""
    if len(key) != _KEY:
        return
    body = marshal.dumps((_plain(folded), _plain(canonical)))
    head = MAGIC + key.encode() + blake2b(body, digest_size=32).hexdigest().encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(head + body)
        os.replace(temporary, path)
    except OSError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


def _plain(forms: dict[Any, str]) -> dict[Any, str]:
    """The forms in sorted order (the file's bytes do not depend on the order they were computed in)."""
    return dict(sorted(forms.items()))
