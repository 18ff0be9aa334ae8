"""Placing a run of a message against a fact (routing/runs.py: the message's part planned once, pieces
read shortest first with an early stop) gives what reading every piece against the fact gave: run by run,
fact by fact, by characters and by sound, with and without names placed, on the evaluation's questions
and on random runs of the facts' own characters."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.facts.loader import load
from jinshui_qa.routing.placement import Placement, pairs, spell
from jinshui_qa.routing.runs import LONGEST, STRUCTURAL, Runs, _cjk_runs, _occurrences, sounds_near
from jinshui_qa.routing.slots import FactSlots
from jinshui_qa.text.clauses import asking_readings
from jinshui_qa.text.normalize import clean, fold
from jinshui_qa.text.noun_words import NOUNS
from jinshui_qa.text.pinyin import syllables

ROUTER = assistant_for(load()).router
PLACEMENT: Placement = ROUTER.placement
SLOTS: list[FactSlots] = [ROUTER.slots[i] for i in range(len(ROUTER.base.facts))]
DEV = Path(__file__).parents[1] / "eval" / "dev.yaml"


def old_unplaced_run(general: frozenset[str] | set[str], run: str, slots: FactSlots, fact_sounds: str,
                     sounds: list[str], names: tuple[str, ...]) -> list[str]:  # fmt: skip
    """``Placement._unplaced_run`` as it was: every piece of the run read against the fact."""
    covered, weak = [False] * len(run), [False] * len(run)
    bounds: set[int] = set()
    spans: list[tuple[int, int]] = []
    for name in names:
        for m in re.finditer(re.escape(name), run):
            covered[m.start() : m.end()] = [True] * len(name)
            bounds |= {m.start(), m.end()}
            spans.append((m.start(), m.end()))
    for i in range(len(run)):
        for size in range(min(LONGEST, len(run) - i), 2, -1):
            if run[i : i + size] in general:
                bounds |= {i, i + size}
                break

    def placed(piece: str, heard: list[str]) -> bool:
        if piece in general:
            return True
        if len(piece) < 2:
            return False
        if piece in slots.text:
            return True
        return len(piece) >= 3 and bool(heard) and all(heard) and f" {' '.join(heard)} " in fact_sounds

    for i in range(len(run)):
        for size in range(1, min(LONGEST, len(run) - i) + 1):
            piece = run[i : i + size]
            if piece not in general and any(i < b < i + size for b in bounds):
                continue
            if size == 1 and piece in general and piece not in STRUCTURAL and piece not in slots.text:
                weak[i] = True
            elif placed(piece, sounds[i : i + size] if sounds else []) or (
                size == 2 and sounds and sounds_near(i, sounds, fact_sounds, piece, slots.text)
            ):
                covered[i : i + size] = [True] * size
                spans.append((i, i + size))
    lexical = bounds | {b for i in range(len(run) - 1) if run[i : i + 2] in general for b in (i, i + 2)}
    nouns = [(i, i + size) for i in range(len(run)) for size in (2, 3, 4)
             if i + size <= len(run) and run[i : i + size] in NOUNS and run[i : i + size] not in general]  # fmt: skip
    whole = {(a, b) for a, b in nouns if any(s <= a and b <= e for s, e in spans)}
    for start, end in nouns:
        if not any(a == end for a, _ in whole):
            continue
        heard = bool(sounds) and all(sounds[start:end]) and f" {' '.join(sounds[start:end])} " in fact_sounds
        if (
            not heard
            and not any(s <= start and end <= e for s, e in spans)
            and not any(start < b < end for b in lexical)
        ):
            covered[start:end] = [False] * (end - start)
    for i, is_weak in enumerate(weak):
        if is_weak and not covered[i]:
            covered[i] = not (i > 0 and not covered[i - 1] and not weak[i - 1]) and not (
                i + 1 < len(run) and not covered[i + 1] and not weak[i + 1]
            )
    left, current = [], ""
    for ch, done in zip(run, covered, strict=True):
        if done:
            if len(current) >= 2:
                left.append(current)
            current = ""
        else:
            current += ch
    if len(current) >= 2:
        left.append(current)
    return left


def same_for_every_fact(runs: Runs, run: str, names: tuple[str, ...] = ()) -> int:
    """Compare the two for ``run`` against every fact, by characters and by sound; how many differ
    from the run itself (the run is not placed whole), so a test can tell it read something."""
    sounds = list(spell(run))
    placed = 0
    for slots in SLOTS:
        fact_sounds = PLACEMENT.sounds(slots)
        for heard, spelled in (("", []), (fact_sounds, sounds)):
            new = runs.unplaced(run, names, slots.text, heard, spelled)
            assert new == old_unplaced_run(runs.general, run, slots, heard, spelled, names), (
                run,
                slots.subject,
            )
            placed += new != [run]
    return placed


def test_the_evaluation_questions_place_as_before_fact_by_fact() -> None:
    questions = [q["q"] for q in yaml.safe_load(DEV.read_text(encoding="utf-8"))["questions"]]
    runs = {r for q in questions for r in _cjk_runs(ROUTER.analyse(q)[1]) if len(r) >= 2}
    assert len(runs) > 300
    fresh = Runs(PLACEMENT.general)
    placed = sum(same_for_every_fact(fresh, run) for run in sorted(runs))
    assert placed > len(runs)  # most runs are placed, at least in part, by some fact
    named = [(r, n) for r in sorted(runs) for n in ROUTER.frames.read(r).names if n in r]
    assert len(named) > 20
    for run, name in named:
        same_for_every_fact(fresh, run, (name,))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_runs_of_the_facts_characters_place_as_before(data: st.DataObject) -> None:
    slots = data.draw(st.sampled_from(SLOTS))
    pieces = [r for r in _cjk_runs(slots.text) if len(r) >= 2] or ["金水"]
    run = "".join(
        data.draw(st.lists(st.sampled_from([*pieces, *"的了有多少人口企业高新"]), min_size=1, max_size=6))
    )
    cut = data.draw(st.integers(0, max(0, len(run) - 2)))
    same_for_every_fact(Runs(PLACEMENT.general), run[cut:][:24])


def test_a_plan_is_kept_per_run_and_names_and_bounded() -> None:
    runs = Runs(PLACEMENT.general)
    assert runs.plan("金水区人口", ()) is runs.plan("金水区人口", ())
    assert runs.plan("金水区人口", ("金水区",)) is not runs.plan("金水区人口", ())
    import jinshui_qa.routing.runs as module

    for k in range(module.PLANS + 5):
        runs.plan(f"金水{k}", ())
    assert len(runs._memo) <= module.PLANS


# -- without_filler: a filler word with a pair of characters no fact's text holds is absent at once -----
def test_pairs_are_every_two_consecutive_characters() -> None:
    assert pairs("金水区|人才") == {"金水", "水区", "区|", "|人", "人才"}
    assert pairs("金") == frozenset() and pairs("") == frozenset()


def test_without_filler_with_the_pairs_drops_what_it_dropped_without_them() -> None:
    questions = [q["q"] for q in yaml.safe_load(DEV.read_text(encoding="utf-8"))["questions"]]
    known = ROUTER._known_text()
    held = pairs(known)
    texts = [fold(r) for q in questions for r in asking_readings(clean(q))]
    texts += ["想请您简单介绍一下它指的是什么", "哎呀说说金水区的人才呗", "麻烦问问一下那个领军人才"]
    changed = 0
    for text in texts:
        lean = Placement.without_filler(PLACEMENT, text, known)
        assert Placement.without_filler(PLACEMENT, text, known, held) == lean, text
        changed += lean != text
    assert changed > 20


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_word_lacking_a_pair_is_not_in_the_text(data: st.DataObject) -> None:
    known = ROUTER._known_text()
    start = data.draw(st.integers(0, len(known) - 2))
    word = data.draw(st.one_of(st.just(known[start : start + data.draw(st.integers(2, 6))]),
                               st.sampled_from(sorted(PLACEMENT.general)[::7])))  # fmt: skip
    fresh = Placement.__new__(Placement)
    fresh._known, fresh._absent = "", {}
    assert fresh.lacks(known, word, pairs(known)) == (word not in known)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="金水区人才科技", max_size=6), st.text(alphabet="金水区人才科技", max_size=24))
def test_a_names_occurrences_are_those_of_the_regular_expression(word: str, text: str) -> None:
    expected = [m.span() for m in re.finditer(re.escape(word), text)]
    assert _occurrences(word, text) == expected


def old_sounds(text: str) -> str:
    """``Placement.sounds`` as it was: each run spelled alone, "|" after each."""
    return " " + " ".join(s for run in _cjk_runs(text) for s in (*syllables(run), "|")) + " "


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="行业银行长大重庆金水区2a |的了", max_size=30))
def test_a_facts_sounds_spelled_at_once_are_those_of_its_runs_one_by_one(text: str) -> None:
    slots = FactSlots(frozenset(), None, None, text, "", "")
    PLACEMENT._sounds.pop(text, None)
    assert PLACEMENT.sounds(slots) == old_sounds(text)


def test_every_facts_sounds_are_those_of_its_runs_one_by_one() -> None:
    for slots in SLOTS:
        PLACEMENT._sounds.pop(slots.text, None)
        assert PLACEMENT.sounds(slots) == old_sounds(slots.text)


def old_sounds_near(i: int, sounds: list[str], fact_sounds: str, piece: str, text: str) -> bool:
    """``sounds_near`` as it was: the fact's characters and syllables made, and read through, on every call."""
    pair = sounds[i : i + 2]
    if all(pair) and f" {' '.join(pair)} " in fact_sounds:
        spelled = fact_sounds.split()
        chars = "|".join(_cjk_runs(text)) + "|"
        if len(chars) == len(spelled):
            for j in range(len(spelled) - 1):
                held = (chars[j] == piece[0] and piece[0] not in STRUCTURAL) or (
                    chars[j + 1] == piece[1] and piece[1] not in STRUCTURAL
                )
                if spelled[j : j + 2] == pair and held:
                    return True
    for start in (i - 1, i):
        window = sounds[max(0, start) : start + 3]
        if start >= 0 and len(window) == 3 and all(window) and f" {' '.join(window)} " in fact_sounds:
            return True
    return False


def same_sounds_near(run: str, slots: FactSlots) -> int:
    """Compare the two for every pair of ``run`` against one fact; how many pairs are placed."""
    sounds, fact_sounds = list(spell(run)), PLACEMENT.sounds(slots)
    near = [sounds_near(i, sounds, fact_sounds, run[i : i + 2], slots.text) for i in range(len(run) - 1)]
    assert near == [
        old_sounds_near(i, sounds, fact_sounds, run[i : i + 2], slots.text) for i in range(len(run) - 1)
    ]
    return sum(near)


def test_pairs_heard_in_every_fact_are_placed_as_before() -> None:
    placed = sum(same_sounds_near(run, slots) for slots in SLOTS for run in _cjk_runs(slots.text)[:4])
    assert placed > len(SLOTS)  # a fact's own characters are heard in it


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_pairs_heard_with_homophones_are_placed_as_before(data: st.DataObject) -> None:
    slots = data.draw(st.sampled_from(SLOTS))
    chars = "".join(_cjk_runs(slots.text)) or "金水"
    start = data.draw(st.integers(0, len(chars) - 1))
    run = chars[start : start + data.draw(st.integers(2, 8))]
    swaps = st.sampled_from("材才财人仁在再研言发法是市事的地")
    run = "".join(data.draw(st.one_of(st.just(ch), swaps)) for ch in run)
    same_sounds_near(run, slots)


def test_a_pair_is_placed_only_where_both_its_syllables_are_heard_together() -> None:
    """研法 (yan fa): heard as 言发, which keeps neither character, and 研 is heard before jiu, not fa."""
    for text, placed in (("言发，研究", False), ("言发，研发", True), ("研发", True), ("言法", True)):
        slots = FactSlots(frozenset(), None, None, text, "", "")
        fact_sounds = PLACEMENT.sounds(slots)
        assert sounds_near(0, ["yan", "fa"], fact_sounds, "研法", text) is placed, text
        assert old_sounds_near(0, ["yan", "fa"], fact_sounds, "研法", text) is placed, text
