"""A full build's merge of a worker's rows and its postings in numpy give the arrays of the Python loops
(issue 14: the building process's own serial path), on the real facts' rows and on random ones."""

from __future__ import annotations

import random
from array import array

import pytest

from jinshui_qa.routing import pool
from jinshui_qa.routing.index import _Tokeniser
from jinshui_qa.routing.packed import BAG, CHANNELS, END, PY_BAG, Postings, Rows, Tokens, ints
from jinshui_qa.text.normalize import Normalizer, building
from tests.routing.test_build_paths import BASE

NUMPY = pool._numpy()


def _real_rows(tokens: Tokens, lo: int, hi: int) -> Rows:
    with building():
        tokenise = _Tokeniser(BASE.facts, Normalizer(BASE.vocabulary), tokens, True)
        rows = Rows()
        for i in range(lo, hi):
            rows.add(tokenise(i))
    return rows


def _random_rows(rng: random.Random, count: int, n: int) -> Rows:
    rows = Rows()
    for _ in range(n):
        docs = [
            t
            for _ in range(rng.randint(0, 3))
            for t in (*rng.sample(range(count), rng.randint(1, min(count, 4))), END)
        ]
        bag = sorted(rng.sample(range(count), rng.randint(0, min(count, 6))))
        rows.add([docs, bag, docs[: rng.randint(0, len(docs))], bag[::2]])
    return rows


def _plain(rows: Rows) -> list[tuple[list[int], list[int]]]:
    return [(list(rows.starts[c]), list(rows.toks[c])) for c in range(CHANNELS)]


def _both(mine: Rows, theirs: Rows, trans: list[int]) -> tuple[Rows, Rows]:
    """``mine`` extended by ``theirs`` through ``trans``: by :meth:`Rows.extend` and in numpy."""
    loops, sorted_ = (Rows([ints(a) for a in mine.starts], [ints(a) for a in mine.toks]) for _ in range(2))
    loops.extend(theirs, trans)
    pool._extended(
        NUMPY, sorted_, [a.tobytes() for a in theirs.starts], [a.tobytes() for a in theirs.toks], trans
    )
    return loops, sorted_


def test_a_workers_real_rows_merge_as_rows_extend_merges_them() -> None:
    mine, held = Tokens(), Tokens()
    here, away = _real_rows(mine, 0, 30), _real_rows(held, 30, len(BASE.facts))
    trans = [*mine.many(held.words), END]
    loops, sorted_ = _both(here, away, trans)
    assert len(away) > 20 and _plain(sorted_) == _plain(loops)


def test_random_rows_merge_as_rows_extend_merges_them() -> None:
    rng = random.Random(14)
    for count in (1, 5, 300):
        for n in (0, 1, 40):
            trans = [*rng.sample(range(10 * count), count), END]
            loops, sorted_ = _both(_random_rows(rng, 7, n), _random_rows(rng, count, n), trans)
            assert _plain(sorted_) == _plain(loops)


def test_a_worker_id_outside_its_table_is_refused() -> None:
    rows = Rows()
    rows.add([[5, END], [5], [], []])
    with pytest.raises(ValueError):
        pool._extended(
            NUMPY, Rows(), [a.tobytes() for a in rows.starts], [a.tobytes() for a in rows.toks], [0, 1, END]
        )
    with pytest.raises(ValueError):  # offsets that do not match
        pool._extended(NUMPY, Rows(), [array("i", [0, 3]).tobytes()] * CHANNELS, [b""] * CHANNELS, [END])


@pytest.mark.parametrize("with_pinyin", [True, False])
def test_postings_sorted_in_numpy_are_those_of_the_loops(with_pinyin: bool) -> None:
    tokens = Tokens()
    real = _real_rows(tokens, 0, len(BASE.facts))
    rng = random.Random(7)
    for rows, count in (
        (real, len(tokens.words)),
        (_random_rows(rng, 50, 200), 50),
        (Rows(), 0),
        (Rows(), 3),
    ):
        df, postings = Postings.build(rows, count, with_pinyin)
        df_numpy, sorted_ = Postings.build(rows, count, with_pinyin, NUMPY)
        assert list(df_numpy) == list(df)
        assert (list(sorted_.start), list(sorted_.rows)) == (list(postings.start), list(postings.rows))
    assert {BAG, PY_BAG} <= set(range(CHANNELS))


def test_a_bag_id_outside_the_table_is_refused() -> None:
    rows = Rows()
    rows.add([[], [4], [], []])
    with pytest.raises(ValueError):
        Postings.build(rows, 3, True, NUMPY)


def test_without_numpy_a_pooled_merge_takes_the_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "_numpy", lambda: None)
    called: list[int] = []
    monkeypatch.setattr(Rows, "extend", lambda self, other, trans: called.append(len(other)))
    rows = Rows()
    rows.add([[0, END], [0], [], []])
    sent = (
        ["a"],
        [a.tobytes() for a in rows.starts],
        [a.tobytes() for a in rows.toks],
        0,
        "",
        "",
        0,
        "",
        b"",
        "",
        {},
    )
    with building():
        pool._merge(Rows(), Tokens(), Normalizer(BASE.vocabulary), sent)
    assert called == [1]
