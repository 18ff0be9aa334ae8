"""A full build's tokenising split over processes (issue 14: a full build from YAML at 100,000 facts).

Tokenising and spelling the facts' texts (:class:`~jinshui_qa.routing.index.Index`) is about half of a
full build and the same work for every fact, so on a machine with more than one core it is split:
the facts in contiguous chunks, the first tokenised by this process, each other one by a process
forked from it (it inherits the facts, the normaliser and every memo as they are, nothing is sent to
it). A worker sends back its chunk's rows in its own token ids with its token table, the canonical
and folded forms and pinyin readings it computed (the router reads the same texts after the index:
without them this process would fold them again); this process maps each chunk's ids onto its own
table, chunk by chunk in position order. The rows hold the same tokens as a one-process build's, fact
by fact (ids differ, as they already do between runs: a text's tokens are a set of strings).

The pool is used only where it can help and is safe: more than one usable core (``os.sched_getaffinity``,
or ``JINSHUI_QA_BUILD_WORKERS``), enough facts, ``fork`` available, and no other thread running (a fork
copies locks another thread may hold). A worker that fails or sends nothing leaves its chunk to this
process; every worker is joined (or ended) before :func:`pooled_rows` returns.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from itertools import islice, pairwise
from typing import Any

from jinshui_qa.routing.packed import Rows, Tokens
from jinshui_qa.text import pinyin
from jinshui_qa.text.normalize import MEMO, Normalizer

MIN_FACTS = 2_000  # below this a build takes a second or two: a fork and the merge are not worth it
MAX_WORKERS = 4
Tokenise = Callable[[int], Sequence[Sequence[int]]]


def build_workers() -> int:
    """How many processes a full build may tokenise with: ``JINSHUI_QA_BUILD_WORKERS`` when set (1: no
    pool), else the cores this process may run on, at most ``MAX_WORKERS``."""
    told = os.environ.get("JINSHUI_QA_BUILD_WORKERS", "").strip()
    if told.isdigit():
        return max(1, int(told))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def usable(workers: int, facts: int) -> bool:
    """Whether a build of ``facts`` facts should fork ``workers - 1`` processes (see the module docstring)."""
    import multiprocessing

    return (
        workers > 1
        and facts >= MIN_FACTS
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _chunks(n: int, parts: int) -> list[tuple[int, int]]:
    """``range(n)`` in ``parts`` contiguous chunks of (almost) equal size."""
    bounds = [n * k // parts for k in range(parts + 1)]
    return [(lo, hi) for lo, hi in pairwise(bounds) if hi > lo]


def _tokenise(
    make: Callable[[Tokens], Tokenise], tokens: Tokens, lo: int, hi: int, rows: Rows | None = None
) -> Rows:
    rows = Rows() if rows is None else rows
    tokenise = make(tokens)
    for i in range(lo, hi):
        rows.add(tokenise(i))
    return rows


def _worker(conn: Any, make: Callable[[Tokens], Tokenise], normalizer: Normalizer, lo: int, hi: int,
            seen: tuple[int, int]) -> None:  # fmt: skip
    """In a forked process: tokenise facts ``lo:hi`` and send what :func:`_merge` takes."""
    try:
        tokens = Tokens()
        rows = _tokenise(make, tokens, lo, hi)
        payload = (
            tokens.words,
            [a.tobytes() for a in rows.starts],
            [a.tobytes() for a in rows.toks],
            normalizer.memo_since(seen[0]),
            list(islice(MEMO.folded.items(), seen[1], None)),
            pinyin.readings(),
        )
        conn.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def _merge(rows: Rows, tokens: Tokens, normalizer: Normalizer, data: bytes) -> None:
    """Append a worker's rows to ``rows`` in ``tokens``' ids, and take its forms and readings."""
    from jinshui_qa.routing.packed import CHANNELS, END, ints

    words, starts, toks, canonical, folded, readings = pickle.loads(data)
    if len(starts) != CHANNELS or len(toks) != CHANNELS:
        raise ValueError("a worker's rows of another shape")
    trans = [*tokens.many(words), END]  # a document's END (-1) maps to itself
    rows.extend(Rows([ints(s) for s in starts], [ints(t) for t in toks]), trans)
    normalizer.seed(dict(canonical))
    if MEMO.builds:  # inside ``building``: the folds kept for the rest of the build
        MEMO.folded.update(folded)
    held = pinyin.readings()
    pinyin.seed_readings({char: read for char, read in readings.items() if char not in held})


def pooled_rows(n: int, tokens: Tokens, make: Callable[[Tokens], Tokenise], normalizer: Normalizer,
                workers: int) -> Rows:  # fmt: skip
    """Every fact's rows (``make(tokens)(i)`` for ``i`` in ``range(n)``), the chunks after the first
    tokenised by ``workers - 1`` forked processes; the same rows, in ``tokens``' ids, as one process."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    chunks = _chunks(n, workers)
    seen = (normalizer.memo_size(), len(MEMO.folded))
    started: list[tuple[Any, Any, tuple[int, int]]] = []
    try:
        for lo, hi in chunks[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_worker,
                args=(sender, make, normalizer, lo, hi, seen),
                name="jinshui-qa-build",
                daemon=True,
            )
            process.start()
            sender.close()
            started.append((process, receiver, (lo, hi)))
        lo, hi = chunks[0]
        rows = _tokenise(make, tokens, lo, hi)
        for _process, receiver, (lo, hi) in started:
            try:
                _merge(rows, tokens, normalizer, receiver.recv_bytes())
            except (EOFError, OSError, ValueError, pickle.UnpicklingError):  # the worker failed: done here
                _tokenise(make, tokens, lo, hi, rows)
        return rows
    finally:
        for process, receiver, _ in started:
            receiver.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
