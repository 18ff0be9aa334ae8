"""What a reloaded router asks of every fact's text (routing/known.py, spliced.py): the pairs carried
over a reload, the known text searched run by run, the attributes held and a name's owners holding a
count and an amount, each equal to what a full build makes of the same facts, reload after reload."""

from __future__ import annotations

import random
import re
from pathlib import Path

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import load
from jinshui_qa.routing.known import Carried, Pieces, text_of
from jinshui_qa.routing.placement import pairs
from jinshui_qa.routing.router import Router
from jinshui_qa.routing.spliced import Spliced, both_held, held_attributes, holds_both
from jinshui_qa.storage.index_store import SNAPSHOT_FILE
from tests.support.live_facts import NEW_FACT


def _live(facts: Path, tmp_path: Path) -> LiveAssistant:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    Rebuilder(snapshot=snapshot).start(facts)
    rebuilder = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    rebuilder.snapshot = None  # no writer thread: it would make the pairs again from the joined text
    return live


def _words(texts: list[str], rng: random.Random) -> set[str]:
    """Pieces of ``texts`` (pairs, longer runs, across a ``|``) and some no text holds."""
    out = {"|", "", "不存在的词", "zzz", "企业|"}
    for text in texts:
        for _ in range(40):
            at, size = rng.randrange(max(1, len(text))), rng.choice((1, 2, 2, 3, 4, 6))
            out.add(text[at : at + size])
            out.add(text[at : at + size] + "䶮")  # one character no fact has
    return out


def _same_as_a_full_build(router: Router, fresh: Router, old_texts: list[str], rng: random.Random) -> None:
    known = fresh._known_text()
    assert router._known_text() == known and text_of(router.slots) == known
    left = set(old_texts) - {s.text for s in fresh.slots}  # the texts that left: their words, each piece
    words = _words([known[:3000], *old_texts], rng) | {t[i : i + k] for t in left for k in (2, 3, 5)
                                                        for i in range(len(t))}  # fmt: skip
    searched = router._searched()
    assert isinstance(searched, Pieces)
    assert all((w in searched) == (w in known) for w in words)
    made, carried = pairs(known), router._pairs
    assert isinstance(carried, Carried)
    asked = {w for w in words if len(w) == 2 and "|" not in w} | {p for t in old_texts for p in pairs(t)}
    asked |= {p for p in made if "|" not in p}
    assert all((p in carried) == (p in made) for p in asked)
    assert held_attributes(router.slots) == frozenset().union(*(s.attributes for s in fresh.slots))
    assert isinstance(router.slots, Spliced)
    for owners in fresh.frames.owners.values():
        assert holds_both(router.slots, owners) == both_held(fresh.slots[i].attributes for i in owners)


def test_reloads_carry_the_pairs_and_search_the_text_as_a_full_build_makes_them(
    facts: Path, tmp_path: Path
) -> None:
    live = _live(facts, tmp_path)
    rng = random.Random(7)
    names = ["innovation.yaml", "market.yaml", "rankings.yaml", "talent.yaml"]
    original = {n: (facts / n).read_text(encoding="utf-8") for n in names}
    kinds = ["date", "question", "answer", "remove", "add", "restore", "question", "remove", "date"]
    for step, kind in enumerate(kinds):
        old_texts = [s.text for s in live().router.slots]
        name = rng.choice(names)
        text = (facts / name).read_text(encoding="utf-8")
        if kind == "date":
            text = re.sub(r"verified: 2026-\d\d-\d\d", f"verified: 2026-10-{step + 10}", text, count=1)
        elif kind == "answer":  # new characters and pairs, some dropped
            text = re.sub(r"(answer:\n +zh: )\S{3}", rf"\1䶮{step}鿏", text, count=1)
        elif kind == "question":  # a question reworded: its words leave the known text
            text = re.sub(r"(questions:\n +zh:\n +- )[^\n]*", rf"\1甪{step}䶮有几个", text, count=1)
        elif kind == "remove":
            blocks = re.split(r"(?=\n  - id: )", text)
            text = "".join(blocks[:-1]) + "\n"
        elif kind == "add":
            text, name = original["talent.yaml"].rstrip("\n") + "\n" + NEW_FACT, "talent.yaml"
        else:
            text = original[name]
        (facts / name).write_text(text, encoding="utf-8")
        problems = live.reload()
        if problems:  # (a fact removed that another relates to): put back
            (facts / name).write_text(original[name], encoding="utf-8")
            assert live.reload() == []
        _same_as_a_full_build(live().router, assistant_for(load(facts)).router, old_texts, rng)
    router = live().router
    assert router.known_pairs() == pairs(assistant_for(load(facts)).router._known_text())


def test_carried_pairs_doubt_only_the_pairs_of_the_texts_that_left() -> None:
    asked: list[str] = []

    def known() -> str:
        asked.append("read")
        return "甲乙|丙丁|戊己"

    carried = Carried.after(pairs("甲乙|丙丁|庚辛"), "丙丁|庚辛", "丙丁|戊己", known)
    assert carried.doubtful == {"庚辛", "|庚"} and asked == []
    assert "甲乙" in carried and "戊己" in carried and "乙丙" not in carried and asked == []
    assert "庚辛" not in carried and asked == ["read"]
    again = Carried.after(carried, "戊己", "庚辛", known)  # a second reload: the doubtful kept, re-read
    assert again.doubtful == {"|庚", "戊己"} and "庚辛" in again


def test_a_splice_leaving_out_any_run_of_stored_slots_holds_the_attributes_its_slots_hold(
    facts: Path, tmp_path: Path
) -> None:
    """Every window of a snapshot's slots left out, and some made slots in its place: the attributes
    held and each name's owners holding a count and an amount, as read slot by slot."""
    router = _live(facts, tmp_path)().router
    packed, fresh = router.slots, assistant_for(load(facts)).router
    n, rng = len(packed), random.Random(3)
    owners = list(fresh.frames.owners.values())
    for start in range(n):
        for stop in range(start + 1, min(n, start + 12) + 1):
            made = rng.sample(list(fresh.slots), rng.choice((0, 1, stop - start)))
            spliced = Spliced([(packed, 0, start), (made, 0, len(made)), (packed, stop, n)])
            slots = list(spliced)
            assert held_attributes(spliced) == frozenset().union(*(s.attributes for s in slots))
            for held in owners:
                inside = [i for i in held if i < len(slots)]
                assert holds_both(spliced, inside) == both_held(slots[i].attributes for i in inside)
