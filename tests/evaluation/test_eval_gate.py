"""The evaluation gate: issue 4's targets on tests/eval/dev.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.evaluation.evaluate import Report, cases, evaluate
from tests.support.tiny import REPO

EVAL_FILE = REPO / "tests" / "eval" / "dev.yaml"
MIN_ACCURACY = 0.95
MAX_FALSE_ANSWERS = 0.03
MIN_DIALOGUE = 0.90


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    loaded = yaml.safe_load(Path(EVAL_FILE).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def report(assistant: Assistant, data: dict[str, object]) -> Report:
    return evaluate(assistant, data)


def misses(report: Report, dialogue: bool) -> str:
    return "\n".join(
        f"{m.question!r}: expected {m.expect}, got {m.got} ({m.score})"
        for m in report.misses
        if bool(m.dialogue) == dialogue
    )


def test_eval_set_size(data: dict[str, object]) -> None:
    singles, dialogues = cases(data)
    assert len(singles) >= 400
    assert len(dialogues) >= 20
    assert all(len(turns) >= 2 for _, turns in dialogues)
    assert sum(c.expect == "fallback" for c in singles) >= 50


def test_eval_set_expects_existing_facts(assistant: Assistant, data: dict[str, object]) -> None:
    singles, dialogues = cases(data)
    expected = {c.expect for c in singles} | {c.expect for _, turns in dialogues for c in turns}
    unknown = {e for e in expected if e not in ("fallback", "smalltalk") and assistant.base.get(e) is None}
    assert unknown == set()


def test_in_scope_accuracy(report: Report) -> None:
    assert report.in_scope >= 250
    assert report.accuracy >= MIN_ACCURACY, misses(report, dialogue=False)


def test_out_of_scope_false_answers(report: Report) -> None:
    assert report.out_of_scope >= 50
    assert report.false_answer_rate <= MAX_FALSE_ANSWERS, misses(report, dialogue=False)


def test_dialogue_turn_accuracy(report: Report) -> None:
    assert report.turns >= 20
    assert report.dialogue_accuracy >= MIN_DIALOGUE, misses(report, dialogue=True)


def test_smalltalk_is_recognised(report: Report) -> None:
    assert report.smalltalk > 0
    assert report.smalltalk_ok == report.smalltalk
