"""The checks across files kept as tables (facts/cross_tables.py): a reload that checks only the edited
files finds exactly what the full checks find, on random edits of the real facts."""

from __future__ import annotations

import random
import re

import pytest

import jinshui_qa.facts.fast_load as fast_load
import jinshui_qa.facts.validation as validation
from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.cross_tables import CrossTables
from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.facts.loader import CHECKOUT_FACTS, read_files
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.facts.validation import build_factbase
from jinshui_qa.text.normalize import fold

ORIGINAL = read_files(CHECKOUT_FACTS)
TOPIC_FILES = sorted(n for n in ORIGINAL if n not in ("sources.yaml", "vocabulary.yaml"))
ID = re.compile(r"^  - id: (\w+)$", re.M)
QUESTION = re.compile(r"^        - (.+)$", re.M)


def _outcome(build: object) -> FactBase | list[str]:
    try:
        base = build()  # type: ignore[operator]
    except FactsInvalid as exc:
        return [str(p) for p in exc.problems]
    assert isinstance(base, FactBase)
    return base


def _blocks(text: str) -> list[tuple[int, int]]:
    starts = [m.start() for m in ID.finditer(text)]
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def _edit(files: dict[str, str], rng: random.Random) -> str:
    """One random edit of ``files`` (in place); returns what it did."""
    name = rng.choice([n for n in TOPIC_FILES if n in files] or TOPIC_FILES)
    text = files.get(name, ORIGINAL[name])
    other = rng.choice(TOPIC_FILES)
    other_text = files.get(other, ORIGINAL[other])
    ids = ID.findall(other_text) or ["market_entities_2021"]
    kind = rng.choice(["dup_id", "dup_question", "dup_question_folded", "remove", "move", "bad_related",
                       "rename", "future", "bad_time", "bad_section", "delete", "restore", "harmless",
                       "new_file", "topic_id", "sources", "swap_question", *["harmless"] * 8, *["move"] * 4,
                       *["new_file"] * 3, *["restore"] * 3])  # fmt: skip
    if kind == "dup_id" and ID.search(text):
        files[name] = ID.sub(f"  - id: {rng.choice(ids)}", text, count=1)
    elif kind in ("dup_question", "dup_question_folded", "swap_question"):
        questions = QUESTION.findall(other_text)
        mine = list(QUESTION.finditer(text))
        if questions and mine:
            q = rng.choice(questions)
            if kind == "dup_question_folded":
                q = q.upper() + "  " if q.isascii() else q + "？"
            at = rng.choice(mine)
            files[name] = text[: at.start(1)] + q + text[at.end(1) :]
    elif kind in ("remove", "move") and _blocks(text):
        start, end = rng.choice(_blocks(text))
        files[name] = text[:start] + text[end:]
        if kind == "move" and other != name:
            block = text[start:end].rstrip("\n") + "\n"
            files[other] = other_text.rstrip("\n") + "\n\n" + block
    elif kind == "bad_related":
        files[name] = text.replace("related: [", "related: [no_such_fact, ", 1)
    elif kind == "rename" and ID.search(text):
        files[name] = ID.sub(lambda m: f"  - id: {m.group(1)}_renamed", text, count=1)
    elif kind == "future":
        files[name] = re.sub(r"verified: \S+", "verified: 2999-01-01", text, count=1)
    elif kind == "bad_time":
        files[name] = re.sub(r'time: "\d{4}"', 'time: "2021-13"', text, count=1)
    elif kind == "bad_section":
        files[name] = re.sub(r"section: \w+", "section: nowhere", text, count=1)
    elif kind == "delete" and len([n for n in TOPIC_FILES if n in files]) > 1:
        del files[name]
    elif kind == "restore":
        files[name] = ORIGINAL[name]
    elif kind == "new_file":
        files[f"extra_{rng.randrange(3)}.yaml"] = (
            f"topic:\n  id: extra_{rng.randrange(3)}\n  title: {{zh: 额外, en: Extra}}\nfacts:\n"
            + other_text[slice(*rng.choice(_blocks(other_text) or [(0, 0)]))].replace(
                "  - id: ", f"  - id: x{rng.randrange(2)}_", 1
            )
        )
    elif kind == "topic_id":
        files[name] = text.replace("topic:\n  id: ", f"topic:\n  id: {rng.choice(['market', 'talent'])}_x", 1)
        if rng.random() < 0.5:
            files[name] = text.replace("topic:\n  id: ", "topic:\n  id: market\n  _old: ", 1)
    elif kind == "sources":
        files["sources.yaml"] = ORIGINAL["sources.yaml"] if rng.random() < 0.5 else (
            ORIGINAL["sources.yaml"].replace("market:", "marketplace:", 1))  # fmt: skip
    else:  # harmless
        files[name] = re.sub(r"verified: 2026-\d\d-\d\d", "verified: 2026-01-0" + str(rng.randrange(1, 9)),
                             text, count=1)  # fmt: skip
    return f"{kind} {name}"


def _restored(cache: FileCache) -> FileCache:
    """A cache as a start from the snapshot of ``cache`` makes it: its facts records, made on access,
    and its tables' keys adopted at the next build."""
    restored = FileCache()
    restored.restore(cache.export())
    restored.adopt_keys(cache.check_keys(), cache.tables._reports)
    return restored


@pytest.mark.parametrize(("seed", "snapshots"), [(0, False), (1, False), (2, True), (3, True), (4, True)])
def test_random_edits_give_exactly_the_full_checks_outcome(seed: int, snapshots: bool) -> None:
    """``snapshots``: now and then the cache is restored from its snapshot (facts and keys), so that the
    edits are checked over facts never made, as the first reload after a start checks them."""
    rng = random.Random(seed)
    cache = FileCache()
    files = dict(ORIGINAL)
    assert cache.build(dict(files)) == build_factbase(files)
    history: list[str] = []
    outcomes: list[bool] = []
    for _ in range(80):
        if snapshots and rng.random() < 0.4:
            cache = _restored(cache)
            history.append("restored")
        if rng.random() < 0.5:  # back to a clean base often, so that edits build on good ones
            files = dict(ORIGINAL)
        for _ in range(rng.choice((1, 1, 2))):
            history.append(_edit(files, rng))
        now = dict(files)
        full = _outcome(lambda: build_factbase(dict(now)))  # noqa: B023 (called at once)
        kept = _outcome(lambda: cache.build(dict(now)))  # noqa: B023
        assert kept == full, history[-3:]
        outcomes.append(isinstance(full, FactBase))
        if isinstance(full, FactBase):  # the tables moved to this base exactly as a fresh reset makes them
            fresh = CrossTables()
            by_file = {n: [f for f in full.facts if f.file == n] for n in files if n in TOPIC_FILES or
                       n.startswith("extra_")}  # fmt: skip
            fresh.reset(by_file, full.reports, fold)
            assert _state(cache.tables) == _state(fresh), history[-3:]
    assert outcomes.count(True) >= 10 and outcomes.count(False) >= 10  # both kinds of outcome were met


def _state(tables: CrossTables) -> tuple[object, ...]:
    return (tables.keys(), tables._ids, tables._refs, tables._latest, tables._related, tables._reports)


def test_a_clean_edit_is_checked_through_the_edited_file_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = FileCache()
    files = dict(ORIGINAL)
    cache.build(dict(files))
    calls: list[int] = []
    folded: list[str] = []
    full = validation._cross_checks
    monkeypatch.setattr(
        validation, "_cross_checks", lambda facts, *a, **k: calls.append(len(facts)) or full(facts, *a, **k)
    )
    monkeypatch.setattr(fast_load, "fold", lambda text: folded.append(text) or fold(text))
    files["market.yaml"] = files["market.yaml"].replace(
        "去年新开的企业和商户有多少", "去年新开的商户有多少家"
    )
    assert cache.build(dict(files)) == build_factbase(dict(files))
    assert cache.parsed == ["market.yaml"] and calls == [63]  # only the fresh build_factbase checked all
    assert folded.count("去年新开的商户有多少家") == 1 and "今年一季度新增多少市场主体" not in folded


def test_keys_restored_from_a_snapshot_vouch_like_the_tables_they_came_from() -> None:
    cache = FileCache()
    cache.build(dict(ORIGINAL))
    restored = FileCache()
    restored.restore(cache.export())
    restored.adopt_keys(cache.check_keys(), cache.tables._reports)
    # adopted at the next build (which needs them), and a snapshot written meanwhile keeps them
    assert not restored.tables.valid and restored.check_keys() == cache.check_keys()
    files = dict(ORIGINAL)
    files["talent.yaml"] = ID.sub("  - id: market_entities_2021", files["talent.yaml"], count=1)
    assert _outcome(lambda: restored.build(dict(files))) == _outcome(lambda: build_factbase(dict(files)))
    again = FileCache()
    again.restore(cache.export())
    again.adopt_keys(cache.check_keys(), cache.tables._reports)
    again.build(dict(ORIGINAL))
    assert again.tables.valid and _state(again.tables) == _state(cache.tables)


def test_keys_from_a_snapshot_that_do_not_fit_a_changed_files_facts_are_dropped_for_the_full_checks() -> None:
    cache = FileCache()
    cache.build(dict(ORIGINAL))
    keys = cache.check_keys()
    talent = keys["talent.yaml"]
    restored = FileCache()
    restored.restore(cache.export())
    restored.adopt_keys(keys | {"talent.yaml": (talent[0][1:], *talent[1:])}, cache.tables._reports)
    files = dict(ORIGINAL)
    files["talent.yaml"] = files["talent.yaml"].replace("verified: 2026-11-30", "verified: 2026-11-02", 1)
    assert restored.build(dict(files)) == build_factbase(dict(files))
    fresh = FileCache()
    fresh.build(dict(files))
    assert restored.tables.valid and _state(restored.tables) == _state(fresh.tables)
    old_format = FileCache()
    old_format.restore(cache.export())
    old_format.adopt_keys({name: found[0] for name, found in keys.items()}, cache.tables._reports)
    assert old_format.build(dict(files)) == build_factbase(dict(files))
    assert _state(old_format.tables) == _state(fresh.tables)


def test_foreign_keys_from_a_snapshot_leave_the_checks_across_files_in_full() -> None:
    cache = FileCache()
    cache.build(dict(ORIGINAL))
    restored = FileCache()
    restored.restore(cache.export())
    restored.adopt_keys({"talent.yaml": ("a",)}, {})
    assert _outcome(lambda: restored.build(dict(ORIGINAL))) == _outcome(
        lambda: build_factbase(dict(ORIGINAL))
    )
    assert restored.tables.valid and _state(restored.tables) == _state(cache.tables)
