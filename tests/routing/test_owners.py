"""A snapshot's subject-name owners (routing/state.py ``Owners``) answer whether a fact owns a name
without making the name's set, as the set itself answers: name by name, position by position."""

from __future__ import annotations

from jinshui_qa.facts.loader import load
from jinshui_qa.routing.frames import Frame, FrameReader
from jinshui_qa.routing.state import Owners
from jinshui_qa.text.normalize import Normalizer

BASE = load()
NORMALIZER = Normalizer(BASE.vocabulary)


def test_holds_is_membership_in_the_names_owners() -> None:
    built = FrameReader(BASE, NORMALIZER)
    packed = Owners(*Owners.plain(built.owners))
    restored = FrameReader(BASE, NORMALIZER, (packed, built.gazetteer))
    positions = range(-1, len(BASE.facts) + 2)
    assert any(len(owners) > 1 for owners in built.owners.values())
    for name, owners in built.owners.items():
        assert packed[name] == owners
        for position in positions:
            held = position in owners
            assert packed.holds(name, position) == held
            assert restored.owns(name, position) == built.owns(name, position) == held


def test_a_frame_names_the_same_facts_from_either_owners() -> None:
    built = FrameReader(BASE, NORMALIZER)
    restored = FrameReader(BASE, NORMALIZER, (Owners(*Owners.plain(built.owners)), built.gazetteer))
    named_any = False
    for question in ("金水区高新技术企业有多少家", "金水科教园区的面积是多少", "How many high-tech firms?"):
        frame: Frame = built.read(NORMALIZER.canonical(question))
        named = built.facts_named(frame)
        named_any = named_any or bool(named)
        for i in range(len(BASE.facts)):
            assert restored.names_fact(frame, i) == built.names_fact(frame, i) == (i in named)
    assert named_any
