"""Writes the persisted snapshot of one build (:mod:`jinshui_qa.storage.index_store`), for
:meth:`jinshui_qa.rebuilder.Rebuilder._save`: at a start, or after a reload from a background thread.

What it writes depends on the facts only, not on how the build got there nor on the hash seed: the
index's layout as one full build lays it out (:func:`jinshui_qa.routing.canonical.canonical`: a
reload's delta segment merged, so a start from the snapshot a reload wrote costs what a start from a
full build's does, and answers each question at the same cost), every set and dict in a fixed order,
and :mod:`marshal` bytes that depend on values only (:func:`~jinshui_qa.storage.index_store.plain_bytes`).
Only the pinyin readings looked up (a cache) depend on what the process read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinshui_qa.lazy_logging import LazyLogger

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant
    from jinshui_qa.facts.fast_load import FileCache
    from jinshui_qa.facts.schema import Fact

log = LazyLogger(__name__)


def write(path: Path, key: str, last: Assistant, texts: dict[str, str], cache: FileCache,
          facts: dict[str, Sequence[Fact]], known: dict[str, Any]) -> None:  # fmt: skip
    """Write the snapshot of ``last`` (see :meth:`Rebuilder._save`), unless the file cache moved on
    meanwhile (a newer reload, which writes its own); a failure is a logged warning."""
    files, ids, packed, ends = cache.export()
    keys = cache.check_keys()  # the checks across files of the same files (the test below: unchanged)
    if any(cache.facts_of(name) is not facts.get(name) for name in files) or any(
        cache.facts_of(name) is not held for name, held in facts.items()
    ):
        log.info("index snapshot %s not written: a newer reload replaces it", path)
        return
    from jinshui_qa.facts.plain_base import files_digest, plain_base
    from jinshui_qa.name_forms import composed
    from jinshui_qa.routing.canonical import canonical
    from jinshui_qa.routing.packed import ints, keep
    from jinshui_qa.routing.state import carried, dump_slots, plain_state
    from jinshui_qa.storage.index_store import plain_bytes, write_snapshot

    index = last.router.index
    layout = canonical(index.layout)  # a full build's (after a reload: the delta merged)
    kept = index.reusable().positions
    ordered = [f for name in files for f in facts[name]]
    rows = ints(kept.get(id(f), (f, -1))[1] for f in ordered)
    held = carried(last.router)
    stored, added, added_canonical, dropped = known.pop("forms")
    try:  # the snapshot's forms, not read yet, with those builds added since (a cache: else the added)
        folded, canonical_forms = composed(stored, added, added_canonical, dropped)
    except (ValueError, EOFError, TypeError, IndexError):
        folded, canonical_forms = added, added_canonical
    blobs: list[bytes] = [  # in one order, whatever the history of the build (the same bytes)
        packed,
        ends,
        plain_bytes((sorted(folded.items()), sorted(canonical_forms.items()))),
    ]
    known = known | {"forms": 2}
    names = known.pop("names", None)
    if names is not None:
        blobs.append(plain_bytes(dict(sorted(names.items()))))
        known["names"] = len(blobs) - 1
    words = last.router.words.plain(last.base.facts) if last.router.words is not None else None
    if words is not None:  # how many facts use each English word (routing/word_counts.py)
        blobs.append(words)
        known["words"] = len(blobs) - 1
    try:
        payload = {"files": files, "ids": ids, "facts": (0, 1, keep(blobs, rows)), "index": layout.dump(blobs),
                   "english": tuple(sorted(index.english_words)), **known, "digest": files_digest(texts),
                   "base": plain_base(last.base), "slots": dump_slots([held.get(id(f)) for f in ordered], blobs),
                   "router": plain_state(last.router), "spelled": last.router.scorer.spelled(), "keys": keys}  # fmt: skip
        write_snapshot(path, key, payload, blobs)
    except OSError as exc:
        log.warning("could not write the index snapshot %s (%s)", path, exc)
