"""A full build's tokenising split over processes (issue 14: a full build from YAML at 100,000 facts).

Tokenising and spelling the facts' texts (:class:`~jinshui_qa.routing.index.Index`) is about half of a
full build and the same work for every fact, so on a machine with more than one core it is split
(:func:`jinshui_qa.forking.fan_out`): the facts in contiguous chunks, the first tokenised by this
process, each other one by a forked process. A worker sends back its chunk's rows in its own token
ids with its token table, and the canonical and folded forms and pinyin readings it computed (the
router reads the same texts after the index: without them this process would fold them again); this
process maps each chunk's ids onto its own table, chunk by chunk in position order. The rows hold the
same tokens as a one-process build's, fact by fact (ids differ, as they already do between runs: a
text's tokens are a set of strings). A chunk whose worker failed is tokenised here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from jinshui_qa import forking
from jinshui_qa.facts.schema import Fact
from jinshui_qa.routing.packed import CHANNELS, END, Rows, Tokens, ints
from jinshui_qa.routing.segments import Layout, packed
from jinshui_qa.text import pinyin
from jinshui_qa.text.normalize import MEMO, Normalizer

MIN_FACTS = 2_000  # below this a build takes a second or two: a fork and the merge are not worth it
Tokenise = Callable[[int], Sequence[Sequence[int]]]
Side = Callable[
    [int, int], Any
]  # other work per chunk of facts, done in the chunk's process (picklable result)
T = TypeVar("T")
X = TypeVar("X")
TEXT_COST = 40  # a text's work beyond its characters' (fact_cost), in characters: at 10,000 facts the split
# by facts left the worker 12% longer, by characters and 8 a text this process 9% longer
SAMPLES = 4_096
AWAY = 1.0  # a worker's work per cost unit against this process's (it also sends its forms back)
MEANWHILE = 0.6  # the router's word lists and names' owners over every fact (pooled's ``meanwhile``):
# about the work of deriving 0.6 times as many facts' slots (0.5 before the owners: this process was
# then 4.8 s shorter at 100,000 facts, and 3.4 s longer with them)


def fact_cost(fact: Fact) -> int:
    """About the work of tokenising ``fact`` (the index's): its texts' characters, and a step per text."""
    texts = (*fact.questions_zh, *fact.questions_en, *fact.keywords, fact.answer.zh, fact.answer.en)
    return sum(map(len, texts)) + TEXT_COST * len(texts)


def weighed(facts: Sequence[Fact], parts: int) -> list[tuple[int, int]]:
    """``facts``' positions in chunks of about the same work to tokenise (:func:`jinshui_qa.forking.weighted`,
    by :func:`fact_cost`, a worker's counted :data:`AWAY` times), weighed in blocks of facts by the first of
    each (:data:`SAMPLES` of them: a full pass is half a second at 100,000 facts, the chunks are as even)."""
    n = len(facts)
    step = max(1, n // SAMPLES)  # block k: facts k * step up to (k + 1) * step, the last to n
    blocks = forking.weighted([fact_cost(f) for f in facts[::step]], parts, AWAY)
    return [(lo * step, min(n, hi * step)) for lo, hi in blocks]


def usable(workers: int, facts: int) -> bool:
    """Whether a full build of ``facts`` facts should tokenise with ``workers`` processes."""
    return forking.usable(workers, facts >= MIN_FACTS)


def _tokenise(
    make: Callable[[Tokens], Tokenise], tokens: Tokens, lo: int, hi: int, rows: Rows | None = None
) -> Rows:
    rows = Rows() if rows is None else rows
    tokenise = make(tokens)
    prepare = getattr(tokenise, "prepare", None)  # the index's: its canonical forms in one pass
    if prepare is not None:
        prepare(lo, hi)
    for i in range(lo, hi):
        rows.add(tokenise(i))
    return rows


def _here(make: Callable[[Tokens], Tokenise], tokens: Tokens, lo: int, hi: int, side: Side | None) -> tuple[Rows, Any]:  # fmt: skip
    """In this process: facts ``lo:hi`` tokenised, and ``side(lo, hi)``."""
    rows = _tokenise(make, tokens, lo, hi)
    return rows, side(lo, hi) if side is not None else None


def _worker(make: Callable[[Tokens], Tokenise], normalizer: Normalizer, lo: int, hi: int,
            seen: tuple[int, int], side: Side | None = None) -> tuple[tuple[Any, ...], Any]:  # fmt: skip
    """In a forked process: facts ``lo:hi`` tokenised, as :func:`_merge` takes them, and ``side(lo, hi)``."""
    tokens = Tokens()
    rows = _tokenise(make, tokens, lo, hi)
    extra = side(lo, hi) if side is not None else None
    return (tokens.words, [a.tobytes() for a in rows.starts], [a.tobytes() for a in rows.toks],
            *_forms(normalizer, seen)), extra  # fmt: skip


def _forms(normalizer: Normalizer, seen: tuple[int, int]) -> tuple[Any, ...]:
    """What a worker computed beyond ``seen`` (the sizes of the memos when it was forked): the canonical
    forms, the folds and the readings, the strings of each list joined (:func:`_joined`: one string
    pickles and unpickles at memory speed, where a list of pairs costs a step per string; at 100,000
    facts the worker sends some 800,000 forms, which this process takes while the other core idles)."""
    canonical = normalizer.memo_since(seen[0])
    folded = list(islice(MEMO.folded.items(), seen[1], None))
    return (len(canonical), _joined([k for k, _ in canonical]), _joined([v for _, v in canonical]),
            len(folded), _joined([k[0] for k, _ in folded]), bytes(2 * k[1] + k[2] for k, _ in folded),
            _joined([v for _, v in folded]), pinyin.readings())  # fmt: skip


def _take_forms(normalizer: Normalizer, n: int, keys: Any, values: Any, m: int, texts: Any, flags: bytes,
                folds: Any, readings: dict[str, str]) -> None:  # fmt: skip
    """A worker's canonical and folded forms and readings (:func:`_forms`), known here from now on."""
    normalizer.seed(dict(zip(_split(keys, n), _split(values, n), strict=True)))
    if MEMO.builds:  # inside ``building``: the folds kept for the rest of the build
        simplify, numerals = map(_FLAGS[0].__getitem__, flags), map(_FLAGS[1].__getitem__, flags)
        MEMO.folded.update(
            zip(zip(_split(texts, m), simplify, numerals, strict=True), _split(folds, m), strict=True)
        )
    held = pinyin.readings()
    pinyin.seed_readings({char: read for char, read in readings.items() if char not in held})


_SEP = "\0"
_FLAGS = (
    (False, False, True, True),
    (False, True, False, True),
)  # a fold's (simplify, numerals) by 2 * s + n


def _joined(strings: list[str]) -> str | list[str]:
    """``strings`` as one string, NUL between them, or as they are when one holds a NUL."""
    joined = _SEP.join(strings)
    return joined if joined.count(_SEP) == max(len(strings) - 1, 0) else strings


def _split(sent: str | list[str], n: int) -> list[str]:
    """The ``n`` strings :func:`_joined` sent."""
    if isinstance(sent, list):
        return sent
    return sent.split(_SEP) if n else []


def _merge(rows: Rows, tokens: Tokens, normalizer: Normalizer, sent: tuple[Any, ...]) -> None:
    """Append a worker's rows to ``rows`` in ``tokens``' ids, and take its forms and readings."""
    words, starts, toks, *forms = sent
    if len(starts) != CHANNELS or len(toks) != CHANNELS:
        raise ValueError("a worker's rows of another shape")
    trans = [*tokens.many(words), END]  # a document's END (-1) maps to itself
    numpy = _numpy()
    if numpy is None:
        rows.extend(Rows([ints(s) for s in starts], [ints(t) for t in toks]), trans)
    else:
        _extended(numpy, rows, starts, toks, trans)
    _take_forms(normalizer, *forms)


def _numpy() -> Any:
    """numpy (imported as :mod:`~jinshui_qa.routing.dense` imports it), or None without it."""
    from jinshui_qa.routing import dense

    return dense.numpy_for(dense.DENSE_FACTS)


def _extended(
    numpy: Any, rows: Rows, starts: Sequence[bytes], toks: Sequence[bytes], trans: list[int]
) -> None:
    """:meth:`Rows.extend` of a worker's rows (their bytes) mapped through ``trans`` in numpy: the same
    ids (a document's END, -1, takes ``trans[-1]``, END), one C call per channel instead of one step per id."""
    table = numpy.array(trans, dtype=numpy.int32)
    begins = [numpy.frombuffer(s, dtype=numpy.int32) for s in starts]
    ids = [numpy.frombuffer(t, dtype=numpy.int32) for t in toks]
    if any(
        len(b) != len(begins[0]) or not len(b) or b[0] or b[-1] != len(i)
        for b, i in zip(begins, ids, strict=True)
    ):
        raise ValueError("a worker's rows whose offsets do not match their tokens")
    if any(len(i) and (i.min() < END or i.max() >= len(table) - 1) for i in ids):
        raise ValueError("a worker's token id outside its table")
    for channel in range(CHANNELS):
        held, start = rows.toks[channel], rows.starts[channel]
        offset = len(held)
        held.frombytes(table[ids[channel]].tobytes())
        start.frombytes((begins[channel][1:].astype(numpy.int64) + offset).astype(numpy.int32).tobytes())


def pooled_rows(n: int, tokens: Tokens, make: Callable[[Tokens], Tokenise], normalizer: Normalizer,
                workers: int, side: Side | None = None, facts: Sequence[Fact] | None = None) -> tuple[Rows, list[Any]]:  # fmt: skip
    """Every fact's rows (``make(tokens)(i)`` for ``i`` in ``range(n)``), the chunks after the first
    tokenised by forked processes; the same rows, in ``tokens``' ids, as one process gives. With them,
    ``side(lo, hi)`` of each chunk, in order (each computed in the chunk's process; None without ``side``).
    ``facts``: the facts, for chunks of the same work (:func:`weighed`); without them, of as many facts."""
    chunks = forking.chunks(n, workers) if facts is None else weighed(facts, workers)
    (lo, hi), *rest = chunks
    seen = (normalizer.memo_size(), len(MEMO.folded))
    jobs = [partial(_worker, make, normalizer, a, b, seen, side) for a, b in rest]
    (rows, first), sent = forking.fan_out(partial(_here, make, tokens, lo, hi, side), jobs)
    sides = [first]
    for (a, b), result in zip(rest, sent, strict=True):
        if result is None:  # its worker failed: tokenised here
            sides.append(side(a, b) if side is not None else None)
            _tokenise(make, tokens, a, b, rows)
        else:
            _merge(rows, tokens, normalizer, result[0])
            sides.append(result[1])
    return rows, sides


def pooled_layout(n: int, tokens: Tokens, make: Callable[[Tokens], Tokenise], normalizer: Normalizer, workers: int,
                  with_pinyin: bool, stopped: Callable[[str], bool], side: Side | None = None,
                  facts: Sequence[Fact] | None = None) -> tuple[Layout, list[Any]]:  # fmt: skip
    """The layout of :func:`pooled_rows`' rows (:func:`~jinshui_qa.routing.segments.packed`; postings in numpy),
    and each chunk's ``side``."""
    rows, sides = pooled_rows(n, tokens, make, normalizer, workers, side, facts)
    return packed(tokens, rows, with_pinyin, stopped, _numpy()), sides


def _derived(derive: Callable[[X], T], items: Sequence[X], lo: int, hi: int, then: Callable[[], None] | None = None) -> list[T]:  # fmt: skip
    out = list(map(derive, items[lo:hi]))
    if then is not None:
        then()
    return out


def _derived_away(derive: Callable[[X], T], items: Sequence[X], normalizer: Normalizer, lo: int, hi: int,
                  seen: tuple[int, int]) -> Any:  # fmt: skip
    return _derived(derive, items, lo, hi), *_forms(normalizer, seen)


def lighter_first(n: int, parts: int, share: float) -> list[tuple[int, int]]:
    """``range(n)`` in ``parts`` contiguous chunks, the first (this process's) short of ``share * n`` items
    of other work (it may be empty), each other one of about the same size."""
    extra = int(n * share)
    bounds = [max(0, b - extra) for b in (((n + extra) * k) // parts for k in range(1, parts))]
    first, *rest = zip([0, *bounds], [*bounds, n], strict=True)
    return [first, *((lo, hi) for lo, hi in rest if hi > lo)]


def pooled(items: Sequence[X], derive: Callable[[X], T], normalizer: Normalizer, workers: int,
           meanwhile: Callable[[], None] | None = None) -> list[T]:  # fmt: skip
    """``list(map(derive, items))`` (a router's per-fact state: picklable, and a function of the fact
    alone), the chunks after the first derived by forked processes, whose forms are then known here.
    ``meanwhile``: other work of this process, done after its chunk (a lighter one: :data:`MEANWHILE`)."""
    (lo, hi), *rest = lighter_first(len(items), workers, MEANWHILE if meanwhile is not None else 0.0)
    seen = (normalizer.memo_size(), len(MEMO.folded))
    jobs = [partial(_derived_away, derive, items, normalizer, a, b, seen) for a, b in rest]
    out, sent = forking.fan_out(partial(_derived, derive, items, lo, hi, meanwhile), jobs)
    for (a, b), result in zip(rest, sent, strict=True):
        if result is None:  # its worker failed: derived here
            out += _derived(derive, items, a, b)
        else:
            out += result[0]
            _take_forms(normalizer, *result[1:])
    return out
