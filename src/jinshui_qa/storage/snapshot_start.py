"""What a start takes from the persisted snapshot (:class:`~jinshui_qa.rebuilder.Rebuilder`'s ``start``).

:func:`restore` reads the snapshot (once :mod:`~jinshui_qa.storage.snapshot_read` has checked it) into the
validated files (:class:`~jinshui_qa.facts.fast_load.FileCache`, the facts made from their records when
first read) and what the first assistant is built from: the index's stored layout and rows, the routers'
slots and state over every fact, and the blobs a reload reads later (names' forms and counts, English
words, keywords). It is always the assistant over the files the snapshot was written from: when files
changed since (edited while the bot was down, ``same`` false), the start takes that assistant as the
previous one of a reload to the files now, so that only the changed files are parsed, checked and
spliced in. Each file's digest (:func:`~jinshui_qa.facts.plain_base.files_digest`) says which files are
unchanged: those are taken as read from the very texts now (not hashed again at that reload).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinshui_qa.lazy_logging import LazyLogger

if TYPE_CHECKING:
    from jinshui_qa.facts.fast_load import FileCache
    from jinshui_qa.facts.schema import FactBase
    from jinshui_qa.routing.index import Reuse
    from jinshui_qa.routing.slots import FactSlots
    from jinshui_qa.routing.state import SlotsById
    from jinshui_qa.storage.snapshot_read import Checking

    Restored = tuple[Reuse, FactBase, SlotsById | Sequence[FactSlots], Any, bool]

log = LazyLogger("jinshui_qa.storage.index_store")
Digests = tuple[str, Mapping[str, bytes]]


def restore(
    path: Path,
    key: str,
    files: dict[str, str],
    digests: Callable[[], Digests],
    checking: Checking,
    cache: FileCache,
) -> tuple[Restored, dict[str, Any]] | None:
    """The first assistant's parts from the snapshot at ``path`` stored under ``key``: ``(reuse, base,
    slots, router state, same)`` over the files it was written from (``same``: they are ``files``, by
    ``digests``, the files' digest and each file's), and what a reload reads later (``spelled``,
    ``forms``, ``counts``, ``counted``); None (``cache`` emptied) when the file is missing, stale,
    damaged or not of this version's shape. ``checking``: the file's check, started earlier."""
    from jinshui_qa.facts.plain_base import restore_base
    from jinshui_qa.storage.snapshot_read import Deferred, read_parts, unmapped_blobs

    parts = read_parts(path, key, unmapped_blobs, checking)
    if parts is None:
        return None
    payload, blobs, unmapped = parts
    records: list[Any] = [unmapped.get(k, blob) for k, blob in enumerate(blobs)]  # read, not mapped
    try:
        from jinshui_qa.routing.index import Reuse
        from jinshui_qa.routing.packed import stored
        from jinshui_qa.routing.segments import Layout
        from jinshui_qa.routing.state import packed_slots

        at_facts, at_ends, at_rows = payload["facts"]
        cache.restore((payload["files"], payload["ids"], records[at_facts], blobs[at_ends]))
        at_keys, count = payload.get("keys") or (None, 0)
        keys = {} if at_keys is None else Deferred(records[at_keys], count)  # decoded at the first reload
        cache.adopt_keys(keys, restore_base(payload["base"], (), ()).reports)
        facts = cache.restored()
        layout = Layout.load(payload["index"], blobs)
        rows = stored(blobs, at_rows)
        if len(rows) != len(facts) or max(rows, default=-1) >= len(layout):
            raise ValueError("a position outside the stored index")
        slots = packed_slots(payload["slots"], records, len(facts))
        from jinshui_qa.text.pinyin import seed_readings

        seed_readings(dict(payload["readings"]))
        digest, each = digests()
        same = payload["digest"] == digest  # the same facts in the same order: used as stored
        held = payload["files"]  # else the files whose digest is the stored one are read from these texts
        kept = (
            files
            if same
            else {n: t for n, t in files.items() if n in held and bytes(held[n][0]) == each.get(n)}
        )
        whole = restore_base(payload["base"], *cache.cached(kept))
        reuse = Reuse(layout, {}, frozenset(payload["english"]), rows=rows)
        by_position: SlotsById | Sequence[FactSlots] = {} if slots is None else slots
        later = {
            "spelled": {str(k): str(v) for k, v in payload["spelled"].items()},
            "forms": blobs[payload["forms"]],
            "counts": blobs[payload["names"]] if "names" in payload else None,
            "counted": {k: blobs[payload[k]] for k in ("words", "keywords") if k in payload},
        }
        return (reuse, whole, by_position, payload["router"], same), later
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # well-formed but not ours
        log.warning("index snapshot %s does not hold what this version writes: rebuilding", path)
        cache.restore()
        return None
