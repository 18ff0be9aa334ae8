"""A whole validated fact base as plain data, for a start that needs no YAML parser and no checks.

:func:`plain_base` turns a :class:`FactBase` into str / int / tuple / dict / None (marshal-able: see
:mod:`jinshui_qa.storage.index_store`); :func:`restore_base` rebuilds it. The snapshot stores it beside
the digest of every file's text (:func:`files_digest`): a start whose files hash to the same digest,
with the same code (the snapshot's key covers it), takes the base as it was validated, without
importing ``yaml`` or running the checks; with any changed, added or removed file, that base is the
previous one of a reload to the files now (:mod:`jinshui_qa.storage.snapshot_start`), the files whose own
digest differs loaded again (:class:`~jinshui_qa.facts.fast_load.FileCache`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, cast

from jinshui_qa.facts.loader import blake2b
from jinshui_qa.facts.schema import Fact, FactBase, Report, Topic, Vocabulary

BASE_SCHEMA = repr(
    [(c.__name__, [f.name for f in dataclasses.fields(c)]) for c in (Report, Vocabulary, FactBase)]
)
"""The fields the base is written with (part of the snapshot's key with fast_load's ``SCHEMA``)."""


def files_digest(
    files: Mapping[str, str], raw: dict[str, bytes] | None = None, each: dict[str, bytes] | None = None
) -> str:
    """BLAKE2b (32 bytes, hex) over every file's name and its own digest (:func:`~jinshui_qa.facts.loader.file_digest`
    of its text as UTF-8, which the snapshot stores per topic file), in name order: what decides that
    nothing changed. ``raw``: files' bytes as read (:func:`~jinshui_qa.facts.loader.read_files`), hashed
    as they are (and taken out of it): a text decoded from them (strict UTF-8) encodes to the same bytes,
    so the digest is the same. ``each``: given, it receives every file's own digest by name (which files
    changed since a snapshot)."""
    digest = blake2b(digest_size=32)
    held = {} if raw is None else raw
    for name in sorted(files):
        data = held.pop(name, None)
        own = blake2b(files[name].encode() if data is None else data, digest_size=16).digest()
        if each is not None:
            each[name] = own
        digest.update(name.encode() + b"\0" + own)
    return digest.hexdigest()


def plain_base(base: FactBase) -> tuple[Any, ...]:
    """What of ``base`` its topic files do not hold, as plain data (reports, vocabulary, fingerprint)."""
    reports = {key: _fields(report) for key, report in base.reports.items()}
    return reports, _fields(base.vocabulary), base.fingerprint


def restore_base(plain: tuple[Any, ...], facts: Sequence[Fact], topics: tuple[Topic, ...]) -> FactBase:
    """The base :func:`plain_base` wrote, over the topic files' validated ``facts`` and ``topics`` (in
    file-name order, as validation builds them); raises TypeError / ValueError on foreign data.
    ``facts`` may be a snapshot's records (:mod:`jinshui_qa.facts.records`), made on access: read as
    the tuple of the same facts (indexed, sliced, iterated, compared)."""
    reports, vocabulary, fingerprint = plain
    return FactBase(cast("tuple[Fact, ...]", facts), topics, {key: Report(**fields) for key, fields in reports.items()},
                    Vocabulary(**vocabulary), fingerprint)  # fmt: skip


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
