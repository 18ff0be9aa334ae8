"""Writes the persisted snapshot of one build (:mod:`jinshui_qa.storage.index_store`), for
:meth:`jinshui_qa.rebuilder.Rebuilder._save`: at a start, or after a reload from a background thread.

What it writes depends on the facts only, not on how the build got there nor on the hash seed: the
index's layout as one full build lays it out (:func:`jinshui_qa.routing.canonical.canonical`: a
reload's delta segment merged, so a start from the snapshot a reload wrote costs what a start from a
full build's does, and answers each question at the same cost), every set and dict in a fixed order,
and :mod:`marshal` bytes that depend on values only (:func:`~jinshui_qa.storage.index_store.plain_bytes`).
Only the pinyin readings looked up (a cache) depend on what the process read.

At a start (one thread, :func:`jinshui_qa.forking.usable`) with a large base, a forked process makes
the layout (renumbering every id: seconds at 100,000 facts), the pairs of characters, the blobs after
the layout's and the files' digest while this one makes the other parts (:func:`_layout_part`,
:func:`_other_parts`); the bytes are the same. A reload's writer thread makes them all itself. From
8,192 facts a start's write runs in a process forked once the assistant is built
(:class:`~jinshui_qa.storage.snapshot_job.ForkedWriter`), which is one thread and forks in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinshui_qa.lazy_logging import LazyLogger
from jinshui_qa.routing.packed import CHANNELS

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
    from jinshui_qa import forking
    from jinshui_qa.facts.plain_base import plain_base
    from jinshui_qa.routing.state import plain_state
    from jinshui_qa.storage.index_store import write_snapshot

    router = last.router
    names = known.pop("names", None)
    at = 5 if names is not None else 4  # the layout's first blob: after the facts', forms', names', rows'
    layout_part = partial(_layout_part, last, at, texts, keys)
    others = partial(_other_parts, last, files, facts, known, names, (packed, ends), keys)
    sent: list[Any] = []
    enough = len(last.base.facts) >= MIN_FACTS  # and a start, not a reload's writer thread (usable):
    if forking.usable(forking.build_workers(), enough):
        (blobs, known, slots, mine), sent = forking.fan_out(others, [layout_part])
    else:
        blobs, known, slots, mine = others()
    index, layout_blobs, joined, tail, digest = sent[0] if sent and sent[0] is not None else layout_part()
    tail = {name: blob for name in TAIL if (blob := tail.get(name, mine.get(name))) is not None}
    router.known_pairs(frozenset(joined[k : k + 2] for k in range(0, len(joined), 2)))
    if len(layout_blobs) != LAYOUT_BLOBS or any(blobs[at : at + LAYOUT_BLOBS]):
        raise AssertionError("the layout's blobs out of place")
    blobs[at : at + LAYOUT_BLOBS] = layout_blobs
    for name, blob in tail.items():  # after the layout's, in this order: "words", "keys", "keywords"
        blobs.append(blob)
        known[name] = (len(blobs) - 1, len(keys)) if name == "keys" else len(blobs) - 1
    try:
        payload = {"files": files, "ids": ids, "facts": (0, 1, at - 1), "index": index,
                   "english": tuple(sorted(router.index.english_words)), **known, "digest": digest,
                   "base": plain_base(last.base), "slots": slots, "router": plain_state(router),
                   "spelled": router.scorer.spelled()}  # fmt: skip
        write_snapshot(path, key, payload, blobs)
    except OSError as exc:
        log.warning("could not write the index snapshot %s (%s)", path, exc)


MIN_FACTS = 2_000  # fewer: the layout takes a fraction of a second, less than a fork
LAYOUT_BLOBS = 4 * CHANNELS + 5  # what Layout.dump appends for a layout with no remap (canonical's)


def _layout_part(last: Assistant, at: int, texts: dict[str, str], keys: dict[str, Any]) -> tuple[Any, ...]:
    """The index's layout as a full build lays it out (:func:`~jinshui_qa.routing.canonical.canonical`:
    a renumbering of every id, seconds at 100,000 facts) with its blobs numbered from ``at``, the
    router's pairs of characters (:meth:`~jinshui_qa.routing.router.Router.known_pairs`) joined, the
    blobs written after the layout's (:func:`_tail`) and the files' digest: in a forked process while
    this one makes the other parts (:func:`_other_parts`)."""
    from jinshui_qa.facts.plain_base import files_digest
    from jinshui_qa.routing.canonical import canonical

    router = last.router
    blobs: list[bytes] = [b""] * at
    layout = canonical(router.index.layout).dump(blobs)  # a full build's (after a reload: the delta merged)
    joined = "".join(sorted(router.known_pairs()))
    return layout, blobs[at:], joined, _tail(last, {}, ("words", "keywords")), files_digest(texts)


TAIL = ("words", "keys", "keywords")  # the blobs after the layout's, in this order (:func:`_tail`)


def _tail(last: Assistant, keys: dict[str, Any], names: tuple[str, ...]) -> dict[str, bytes]:
    """The blobs after the layout's of ``names`` (:data:`TAIL`), by their name in the payload: how many
    facts use each English word (routing/word_counts.py), the checks' keys across files (read at the
    first reload only: not decoded at a start), how many facts hold each name (routing/keyword_counts.py)."""
    from jinshui_qa.storage.index_store import plain_bytes

    router, out = last.router, {}
    words = router.words.plain(last.base.facts) if "words" in names and router.words is not None else None
    if words is not None:
        out["words"] = words
    if keys and "keys" in names:
        out["keys"] = plain_bytes(keys)
    counts = router.scorer.counts
    held = counts.plain() if "keywords" in names and counts is not None else None
    if held is not None:
        out["keywords"] = held
    return out


def _other_parts(last: Assistant, files: dict[str, Any], facts: dict[str, Sequence[Fact]], known: dict[str, Any],
                 names: dict[str, int] | None, records: tuple[bytes, bytes],
                 keys: dict[str, Any]) -> tuple[list[bytes], dict[str, Any], Any, dict[str, bytes]]:  # fmt: skip
    """The blobs but the layout's (left empty, :data:`LAYOUT_BLOBS` of them), ``known`` as written, the
    slots' blob numbers, and the keys' blob (:func:`_tail`); the scorer's spelled names made meanwhile."""
    from jinshui_qa.name_forms import composed
    from jinshui_qa.routing.packed import ints, keep
    from jinshui_qa.routing.state import carried, dump_slots
    from jinshui_qa.storage.index_store import plain_bytes

    index = last.router.index
    kept = index.reusable().positions
    ordered = [f for name in files for f in facts[name]]
    stored, added, added_canonical, dropped = known.pop("forms")
    try:  # the snapshot's forms, not read yet, with those builds added since (a cache: else the added)
        folded, canonical_forms = composed(stored, added, added_canonical, dropped)
    except (ValueError, EOFError, TypeError, IndexError):
        folded, canonical_forms = added, added_canonical
    blobs: list[bytes] = [  # in one order, whatever the history of the build (the same bytes)
        *records,
        plain_bytes((sorted(folded.items()), sorted(canonical_forms.items()))),
    ]
    known = known | {"forms": 2}
    if names is not None:
        blobs.append(plain_bytes(dict(sorted(names.items()))))
        known["names"] = len(blobs) - 1
    keep(blobs, ints(kept.get(id(f), (f, -1))[1] for f in ordered))
    blobs += [b""] * LAYOUT_BLOBS
    held = carried(last.router)
    slots = dump_slots([held.get(id(f)) for f in ordered], blobs)
    last.router.scorer.spelled()
    return blobs, known, slots, _tail(last, keys, ("keys",))
