"""A digest of a whole full build, independent of token ids and hash seeds (issue 14: "same output").

    PYTHONPATH=src python benchmarks/build_digest.py DIR            # one line per part, then the whole
    JINSHUI_QA_BUILD_WORKERS=1 PYTHONPATH=src python benchmarks/build_digest.py DIR

Run it on two trees (``PYTHONPATH`` chooses the source) or with and without the build's worker
processes: equal digests mean the same build. The parts: every fact (``repr``); every fold and
canonical form the build memoised; the pinyin readings looked up; every fact's documents, bag,
pinyin documents and pinyin bag as token strings; every token's postings, document frequency and
weight; the English words; every fact's slots; the frame reader's, scorer's and placement's word
lists (their plain attributes). Prints the CPU of the build (with its workers') and its wall time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _cpu() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _plain(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return ("set", sorted(map(repr, map(_plain, value))))
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(getattr(value, "words", None), set | frozenset):  # a word list: its words
        return ("words", sorted(value.words))
    if isinstance(value, dict):
        return sorted((repr(k), repr(_plain(v))) for k, v in value.items())
    return repr(value)


def main() -> None:
    from jinshui_qa.bootstrap import assistant_for
    from jinshui_qa.facts.fast_load import FileCache
    from jinshui_qa.facts.loader import read_files
    from jinshui_qa.routing.packed import BAG, DOCS, PY_BAG, PY_DOCS, docs_of
    from jinshui_qa.text import pinyin
    from jinshui_qa.text.normalize import building

    directory = Path(sys.argv[1])
    cpu, wall = _cpu(), time.perf_counter()
    with building() as memo:
        base = FileCache().build(read_files(directory))
        assistant = assistant_for(base)
        folded = sorted(memo.folded.items())
    print(f"build: {_cpu() - cpu:.2f} s CPU (with workers), {time.perf_counter() - wall:.2f} s wall")
    router = assistant.router
    layout, words = router.index.layout, router.index.layout.tokens.words

    def row(i: int) -> Any:
        return ([sorted(words[t] for t in d) for d in docs_of(layout.row(i, DOCS))],
                sorted(words[t] for t in layout.row(i, BAG)),
                [sorted(words[t] for t in d) for d in docs_of(layout.row(i, PY_DOCS))],
                sorted(words[t] for t in layout.row(i, PY_BAG)))  # fmt: skip

    held = [t for t in range(layout.count) if layout.df[t]]
    parts: dict[str, Any] = {
        "facts": repr(base.facts),
        "folded": folded,
        "canonical": sorted(router.index.normalizer.memo().items()),
        "readings": sorted(pinyin.readings().items()),
        "rows": [row(i) for i in range(len(layout))],
        "weights": sorted((words[t], layout.df[t], layout.wt[t]) for t in held),
        "postings": sorted((words[t], tuple(layout.positions(t))) for t in held),
        "english": sorted(router.index.english_words),
        "slots": [_plain(s) for s in router.slots],
    }
    for name in ("frames", "scorer", "placement"):
        attributes = vars(getattr(router, name))
        parts[name] = sorted(
            (k, repr(_plain(v)))
            for k, v in attributes.items()
            if not k.startswith("_memo")
            and isinstance(v, dict | list | tuple | set | frozenset | str | int | float)
        )
    whole = hashlib.sha256()
    for name, value in parts.items():
        text = repr(value).encode()
        whole.update(text)
        print(f"  {name:10s} {hashlib.sha256(text).hexdigest()[:16]}")
    print(f"whole build: {whole.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
