"""The frame reader's subject owners read without copying them (routing/frames.py ``names_fact``,
spliced.py ``both_held``): the same answers as the sets they replace, on every dev question."""

from __future__ import annotations

from pathlib import Path

import yaml

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.facts.loader import CHECKOUT_FACTS, load
from jinshui_qa.routing.spliced import both_held as _holds_both

DEV = Path(__file__).parents[1] / "eval" / "dev.yaml"


def test_names_fact_is_membership_in_facts_named_for_every_dev_question() -> None:
    router = assistant_for(load(CHECKOUT_FACTS)).router
    questions = [entry["q"] for entry in yaml.safe_load(DEV.read_text(encoding="utf-8"))["questions"]]
    named_frames = 0
    for text in questions:
        frame = router.frames.read(router.analyse(text)[1])
        named = router.frames.facts_named(frame)
        named_frames += bool(frame.names)
        for i in range(len(router.base.facts)):
            assert router.frames.names_fact(frame, i) == (i in named), (text, i)
    assert named_frames > 50


def test_holds_both_needs_a_count_and_an_amount_among_the_sets() -> None:
    count, money, both, other = (
        frozenset({"count"}),
        frozenset({"money"}),
        frozenset({"count", "money"}),
        frozenset(),
    )
    assert _holds_both([count, money]) and _holds_both([both]) and _holds_both([other, money, other, count])
    assert not _holds_both([count, count, other]) and not _holds_both([money]) and not _holds_both([])

    def then_fail() -> object:
        yield count
        yield money
        raise AssertionError("read past the first count and amount")

    assert _holds_both(then_fail())  # type: ignore[arg-type]
