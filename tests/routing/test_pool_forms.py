"""A worker's forms sent as joined strings (routing/pool.py ``_forms`` / ``_take_forms``) are taken here
as the worker computed them: the same canonical forms, the same folds under the same keys, in the same
order (the next fan-out sends what was added after a size), also for texts holding the separator."""

from __future__ import annotations

import pickle
from itertools import islice

from jinshui_qa.routing import pool
from jinshui_qa.text.normalize import MEMO, Normalizer, building, fold
from tests.routing.test_build_paths import BASE

_ODD = ["", "a\0b", "\0", "金水区\0", " x ", "ｘ", "行业"]


def _sent(texts: list[str]) -> tuple[Normalizer, tuple[object, ...], list[tuple[str, str]], list[object]]:
    normalizer = Normalizer(BASE.vocabulary)
    seen = (normalizer.memo_size(), len(MEMO.folded))
    for text in texts:
        normalizer.canonical(text)
        fold(text, numerals=False)
        fold(text, simplify=False)
    canonical = normalizer.memo_since(seen[0])
    folded = list(islice(MEMO.folded.items(), seen[1], None))
    return normalizer, pickle.loads(pickle.dumps(pool._forms(normalizer, seen))), canonical, folded


def test_forms_are_taken_as_the_worker_computed_them() -> None:
    texts = [t for f in BASE.facts[:300] for t in (*f.questions_zh, *f.keywords, f.answer.en)]
    for chosen in (texts, [*texts, *_ODD], _ODD, []):
        with building():
            _, sent, canonical, folded = _sent(chosen)
            here = Normalizer(BASE.vocabulary)  # (it folds the vocabulary's words)
            MEMO.folded.clear()
            pool._take_forms(here, *sent)
            assert here.memo() == dict(canonical)
            assert list(MEMO.folded.items()) == folded
            assert all(type(k[1]) is bool and type(k[2]) is bool for k in MEMO.folded)


def test_strings_are_joined_unless_one_holds_the_separator() -> None:
    assert pool._joined(["a", "b"]) == "a\0b" and pool._split("a\0b", 2) == ["a", "b"]
    assert pool._joined(["a\0", "b"]) == ["a\0", "b"]
    assert pool._split(pool._joined([""]), 1) == [""] and pool._split(pool._joined([]), 0) == []
