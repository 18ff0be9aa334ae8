"""Sequences spliced from runs of records and made items (facts/runs.py): read as the tuple of the same
items, and the ends two of them share found without making a record."""

from __future__ import annotations

import random
from operator import is_

import pytest

from jinshui_qa.facts.records import Part, Records, pack
from jinshui_qa.facts.runs import Chain, chained, cut, ids_of, shared_ends, spans


class _Item:
    def __init__(self, plain: tuple[str, int]) -> None:
        self.id, self.n = plain

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Item) and (self.id, self.n) == (other.id, other.n)

    __hash__ = None  # type: ignore[assignment]


def _records(n: int, tag: str = "r") -> Records[_Item]:
    blob, ends = pack((f"{tag}{i}", i) for i in range(n))
    return Records(blob, ends, _Item, tuple(f"{tag}{i}" for i in range(n)))


def _brute(a: list[object], b: list[object]) -> tuple[int, int]:
    common = min(len(a), len(b))
    flags = list(map(is_, a, b))
    lo = flags.index(False) if False in flags else common
    tail = list(map(is_, reversed(a[lo:]), reversed(b[lo:])))
    return lo, tail.index(False) if False in tail else common - lo


def test_a_chain_reads_as_the_tuple_of_its_items_and_names_them_without_making_them() -> None:
    records = _records(10)
    made = (_Item(("x", 1)), _Item(("y", 2)))
    chain: Chain[_Item] = Chain([(records, 0, 4), (made, 0, 2), (records, 7, 10)])
    assert chain.ids == ("r0", "r1", "r2", "r3", "x", "y", "r7", "r8", "r9") and records.made() == 0
    assert ids_of(chain) is chain.ids and list(ids_of(Part(records, 2, 4))) == ["r2", "r3"]
    whole = (*records[0:4], *made, *records[7:10])
    assert chain == whole and tuple(chain) == whole and len(chain) == 9
    assert all(chain[i] is whole[i] for i in range(-9, 9)) and chain[2:7] == whole[2:7]
    assert chain[::2] == whole[::2]
    with pytest.raises(IndexError):
        chain[9]
    assert chained([(made, 0, 2), (made, 1, 2)]) == (*made, made[1])  # all made: a tuple
    assert isinstance(chained(spans(Part(records, 1, 3))), Chain)
    assert cut(chain.spans, 3, 7) == [(records, 3, 4), (made, 0, 2), (records, 7, 8)]


@pytest.mark.parametrize("seed", range(6))
def test_the_shared_ends_found_run_by_run_are_those_found_item_by_item(seed: int) -> None:
    rng = random.Random(seed)
    records = _records(60)
    other = _records(20, "o")
    for _ in range(60):
        for k in rng.sample(range(60), rng.randrange(10)):
            records[k]  # some made already, some not
        old_runs = cut([(records, 0, 60)], 0, 60)
        new_runs = []
        at = 0
        while at < 60:  # the records kept, some left out, some replaced by made items or other records
            step = rng.randrange(1, 20)
            kind = rng.choice(["keep", "keep", "drop", "made", "same_made", "other"])
            if kind == "keep":
                new_runs.append((records, at, min(60, at + step)))
            elif kind == "made":
                new_runs.append((tuple(_Item((f"m{i}", i)) for i in range(step)), 0, step))
            elif kind == "same_made":  # the very objects, made from the records, as a tuple
                new_runs.append((tuple(records[at : min(60, at + step)]), 0, min(60, at + step) - at))
            elif kind == "other":
                new_runs.append((other, rng.randrange(10), 10 + rng.randrange(10)))
            at += step
        old, new = Chain(old_runs), Chain(new_runs)
        made_before = records.made()
        found = shared_ends(old, new)
        assert records.made() == made_before  # no record made to compare
        assert found == _brute(list(old), list(new)), new_runs
        assert shared_ends(records, new) == found and shared_ends(tuple(old), tuple(new)) == found
