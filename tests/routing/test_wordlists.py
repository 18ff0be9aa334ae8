"""Several word lists found in one pass (routing/wordlist.py ``WordLists``, used by the frame reader) find
what each list finds alone; and the frame reader reads the same frames as when it asks each list in turn."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterable, Iterator, Mapping
from copy import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.routing.frames import FrameReader
from jinshui_qa.routing.wordlist import WordList, WordLists
from tests.routing.test_wordlist import TEXTS, WORDS

EVAL = Path(__file__).parents[1] / "eval"
BENCHMARKS = Path(__file__).parents[2] / "benchmarks"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sets(WORDS, max_size=6), min_size=1, max_size=5), st.lists(TEXTS, min_size=1, max_size=4))
def test_each_list_finds_what_it_finds_alone(lists: list[set[str]], texts: list[str]) -> None:
    made = [WordList(words) for words in lists]
    together = WordLists([*made, made[0]])  # a list given twice is one list
    for text in texts * 2:  # the second time from the memo
        found = together.found(text)
        assert list(found) == made
        assert all(found[words] == words.found(text) for words in made)


class OneByOne:
    """The look-up the frame reader made before ``WordLists``: each list asked on its own."""

    def __init__(self, lists: Iterable[WordList]) -> None:
        self.lists = tuple(lists)

    def found(self, text: str) -> Mapping[WordList, tuple[str, ...]]:
        return {words: words.found(text) for words in self.lists}


def one_by_one(reader: FrameReader) -> FrameReader:
    alone = copy(reader)
    alone._in_rest = OneByOne(reader._in_rest._keys)  # type: ignore[assignment]
    alone._in_whole = OneByOne(reader._in_whole._keys)  # type: ignore[assignment]
    return alone


def strings(node: Any) -> Iterator[str]:
    """Every string of an evaluation file (questions, dialogue turns, and ids: more texts to read)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def synthetic() -> tuple[Assistant, list[str]]:
    """An assistant over 600 synthetic facts (benchmarks/synthetic.py) and 600 questions drawn for them."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from synthetic import make_factbase, make_queries
    finally:
        sys.path.remove(str(BENCHMARKS))
    base = make_factbase(600, 4)
    return assistant_for(base), [q.text for q in make_queries(base, 600, 4)]


def messages() -> list[str]:
    """The dev and dev_compound messages and random texts cut from them."""
    out = [s for name in ("dev.yaml", "dev_compound.yaml")
           for s in strings(yaml.safe_load((EVAL / name).read_text(encoding="utf-8")))]  # fmt: skip
    rng = random.Random(14)
    pieces = [p for text in out for p in (text[i : i + rng.randint(1, 6)] for i in range(0, len(text), 3))]
    out += ["".join(rng.choices(pieces, k=rng.randint(1, 8))) for _ in range(600)]
    return out


def same_frames(assistant: Assistant, texts: list[str]) -> None:
    router = assistant.router
    together = router.frames
    alone = one_by_one(together)
    for text in texts:
        _, canonical, tokens, py = router.analyse(text)
        for pinyin in {bool(py) and not tokens, False}:
            assert together.read(canonical, pinyin=pinyin) == alone.read(canonical, pinyin=pinyin), text


def test_the_reader_reads_what_it_read_list_by_list(assistant: Assistant) -> None:
    texts = messages()
    assert len(texts) > 1500
    same_frames(assistant, texts)


def test_the_same_on_synthetic_facts_and_questions() -> None:
    assistant, texts = synthetic()
    same_frames(assistant, [*texts, *messages()])
