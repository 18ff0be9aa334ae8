"""The topic files of a full build read and checked by several processes (issue 14).

Reading and checking 100,000 facts' YAML is about a fifth of a full build, file by file, and the
checks across files then fold every question. :func:`read_ahead` shares the files that have to be
read among this process and forked ones (:func:`jinshui_qa.forking.fan_out`; by size, each file
whole): each reads and checks its files as :func:`~jinshui_qa.facts.validation.read_topic_file` does
and folds their questions; the results (topic, facts, whether complete, problems) come back pickled
with the folded forms, which the memo of the build (:func:`jinshui_qa.text.normalize.building`) then
holds; a clean file's facts as marshal records (as a snapshot stores them), made here: half the time of
pickling the objects there and reading them back here. :class:`~jinshui_qa.facts.fast_load.FileCache` uses a file's result in place of reading it;
everything else (the order of the files, the checks across files, the problems) is as in one process.
"""

from __future__ import annotations

import marshal
from collections.abc import Mapping, Sequence
from functools import partial
from itertools import islice
from typing import Any

from jinshui_qa import forking
from jinshui_qa.errors import Problem
from jinshui_qa.facts.cross_tables import Summary, summary
from jinshui_qa.facts.fast_load import _fact, _plain_fact, _plain_topic, _topic
from jinshui_qa.facts.records import MARSHAL, Records, joined
from jinshui_qa.facts.schema import Fact, Topic
from jinshui_qa.text.normalize import MEMO, fold

MIN_BYTES = 4_000_000  # about 3,000 facts of YAML: less is a second of work, not worth a fork
Read = tuple[Topic | None, list[Fact], bool, list[Problem]]


HERE = 1.1  # this process's group holds this much more text: a worker also writes its facts' records
# and pickles them (at 100,000 facts it took 19.6 s of CPU against this process's 17.4 s for the same text)


def _groups(names: Sequence[str], files: Mapping[str, str], parts: int) -> list[list[str]]:
    """``names`` shared among ``parts`` groups of about the same work (the largest first): of the same size
    of text, but the first (this process's) :data:`HERE` times as much."""
    groups: list[list[str]] = [[] for _ in range(parts)]
    sizes = [0.0] * parts
    for name in sorted(names, key=lambda n: -len(files[n])):
        k = min(range(parts), key=lambda j: sizes[j] / (HERE if j == 0 else 1.0))
        groups[k].append(name)
        sizes[k] += len(files[name])
    return [sorted(g) for g in groups if g]


def _read(names: Sequence[str], files: Mapping[str, str], seen: int) -> tuple[dict[str, Read], list[Any], dict[str, Summary]]:  # fmt: skip
    """Each file read and checked, its questions folded (when the build keeps its folds); the folds
    computed here after the memo held ``seen``; each clean file's summary for the checks across files
    (:func:`~jinshui_qa.facts.cross_tables.summary` with :func:`~jinshui_qa.text.normalize.fold`, when
    the build keeps its folds)."""
    from jinshui_qa.facts.validation import read_topic_file

    out: dict[str, Read] = {}
    summaries: dict[str, Summary] = {}
    for name in names:
        problems: list[Problem] = []
        topic, facts, complete = read_topic_file(name, files[name], problems)
        out[name] = (topic, facts, complete, problems)
        if MEMO.builds and not problems:  # the questions folded as the checks across files fold them
            summaries[name] = summary(facts, fold)
    return out, list(islice(MEMO.folded.items(), seen, None)) if MEMO.builds else [], summaries


def _away(names: Sequence[str], files: Mapping[str, str], seen: int) -> tuple[dict[str, Any], list[Any], dict[str, Summary]]:  # fmt: skip
    """:func:`_read` in a forked process: each clean file's facts sent as marshal records (plain data,
    :func:`_records`), cheaper to write and to read back than pickled objects (the summaries' keys are
    the folds' own strings: pickled once)."""
    read, folded, summaries = _read(names, files, seen)
    return {name: _records(one) for name, one in read.items()}, folded, summaries


def _records(read: Read) -> Read | tuple[Any, bytes, bytes]:
    """A file's read: a clean one as its topic's plain data and its facts' records (as a snapshot
    stores them: :mod:`jinshui_qa.facts.records`), one with problems as it is."""
    topic, facts, complete, problems = read
    if problems or not complete:
        return read
    return (_plain_topic(topic), *joined(marshal.dumps(_plain_fact(f), MARSHAL) for f in facts))


def _made(sent: Read | tuple[Any, bytes, bytes]) -> Read:
    """A file's read as :func:`_records` sent it: the facts made from their records (equal to those read)."""
    if len(sent) == 4:
        return sent
    topic, blob, ends = sent
    return _topic(topic), list(Records(blob, ends, _fact)), True, []


def read_ahead(names: Sequence[str], files: Mapping[str, str], summaries: dict[str, Summary] | None = None) -> dict[str, Read]:  # fmt: skip
    """The files ``names`` read and checked, shared with forked processes where that helps
    (:func:`jinshui_qa.forking.usable`); empty when it does not (each is then read when needed).
    ``summaries`` is given each clean file's summary for the checks across files (:func:`_read`)."""
    workers = forking.build_workers()
    enough = len(names) > 1 and sum(len(files[n]) for n in names) >= MIN_BYTES
    if not forking.usable(workers, enough):
        return {}
    first, *rest = _groups(names, files, workers)
    seen = len(MEMO.folded)
    mine, theirs = forking.fan_out(
        partial(_read, first, files, seen), [partial(_away, g, files, seen) for g in rest]
    )
    out = dict(mine[0])
    held = dict(mine[2])
    for sent in theirs:
        if sent is None:  # its process failed: those files are read when needed
            continue
        read, folded, summed = sent
        out.update((name, _made(one)) for name, one in read.items())
        held.update(summed)
        if MEMO.builds:
            MEMO.folded.update(folded)
    if summaries is not None:
        summaries.update(held)
    return out
