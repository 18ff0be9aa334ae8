"""facts/records.py: records stored packed and made on access equal the objects they were made from."""

from __future__ import annotations

import marshal

import pytest

from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.facts.loader import CHECKOUT_FACTS, load
from jinshui_qa.facts.records import Part, Records, joined, pack


def _records(items: list[tuple[int, str]]) -> Records[list[object]]:
    blob, ends = pack(items)
    return Records(blob, ends, list, [str(i) for i, _ in items])


def test_records_read_back_each_item_made_once_and_kept() -> None:
    items = [(i, "事实" * i) for i in range(7)]
    records = _records(items)
    assert len(records) == 7 and records.made() == 0
    assert records[3] == [3, "事实" * 3] and records.made() == 1
    assert records[3] is records[3] and records[-1] == [6, "事实" * 6]
    assert list(records) == [list(item) for item in items] and records.made() == 7
    assert records[1:4] == tuple(list(item) for item in items[1:4])
    assert records == [list(item) for item in items] and records != [[0, ""]]
    with pytest.raises(IndexError):
        records[7]


def test_a_part_makes_the_same_objects_as_its_records() -> None:
    records = _records([(i, str(i)) for i in range(5)])
    part = Part(records, 1, 4)
    assert len(part) == 3 and part[0] is records[1] and part[-1] is records[3]
    assert list(part) == [records[1], records[2], records[3]]
    assert marshal.loads(part.raw(0)) == (1, "1") and part.raw(0) == records.raw(1)
    assert joined(part.raw(k) for k in range(3))[0] == b"".join(records.raw(k) for k in (1, 2, 3))


def test_records_of_a_damaged_table_or_record_are_refused() -> None:
    blob, ends = pack([(1, "a"), (2, "b")])
    with pytest.raises(ValueError):
        Records(blob[:-1], ends, list)  # the last end beyond the blob
    with pytest.raises(ValueError):
        Records(blob, ends[:-3], list)  # a partial end
    with pytest.raises(ValueError):
        Records(blob, ends, list, ["only one id"])
    garbled = Records(b"\xff" * len(blob), ends, list)
    with pytest.raises(ValueError):
        garbled[0]


def test_facts_restored_from_an_export_equal_the_validated_ones_fact_by_fact() -> None:
    cache = FileCache()
    base = cache.load(CHECKOUT_FACTS)
    restored = FileCache()
    restored.restore(cache.export())
    facts = restored.restored()
    assert isinstance(facts, Records) and facts.made() == 0
    assert list(facts.ids) == [f.id for f in base.facts]
    for fresh, made in zip(base.facts, facts, strict=True):
        assert made == fresh
    again = FileCache()
    again.restore(restored.export())  # written again from the records as read (none made twice)
    assert again.export() == cache.export() == restored.export()
    assert restored.load(CHECKOUT_FACTS) == load(CHECKOUT_FACTS) and restored.parsed == []
