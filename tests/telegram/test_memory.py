"""The bot's memory stays bounded under a flood of distinct messages: every memo in the code is capped.

Found generically (so a memo added later is checked too): every ``functools`` cache of ``jinshui_qa``,
and every dict attribute named like a memo on an object reachable from the assistant. The limits are lowered for the
test so a few hundred messages overflow each of them.
"""

from __future__ import annotations

import functools
import random
import sys
from typing import Any

import pytest

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation.assistant import Session
from jinshui_qa.routing import checks, runs, views, wordlist
from jinshui_qa.text import normalize

LIMIT = 50
MEMO_NAMES = ("_memo", "_checked", "_cache", "_replies", "_sessions", "_asked", "_analysed")
ZERO_ARGUMENT = {"_t2s", "_changes", "_pinyin_module"}  # one entry each, ever
FIXED_KEYS = {"_text"}  # web.app: the names of the static files, constants in the code


def ours(obj: object) -> bool:
    return type(obj).__module__.startswith("jinshui_qa")


def functools_caches() -> list[Any]:
    """The ``functools`` caches defined in ``jinshui_qa`` modules (module functions and methods).

    (Not through ``gc``: ``bootstrap`` freezes the objects built at start-up out of its sight.)"""
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("jinshui_qa"):
            continue
        for value in list(vars(module).values()):
            members = list(vars(value).values()) if isinstance(value, type) else [value]
            found.extend(m for m in members if isinstance(m, functools._lru_cache_wrapper))
    return found


def reachable(root: object) -> list[object]:
    """The ``jinshui_qa`` objects reachable from ``root`` through attributes and small containers."""
    seen: set[int] = set()
    found: list[object] = []
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if ours(obj) and hasattr(obj, "__dict__"):
            found.append(obj)
            stack.extend(vars(obj).values())
        elif isinstance(obj, list | tuple | set | frozenset) and len(obj) < 5_000:
            stack.extend(obj)
        elif isinstance(obj, dict) and len(obj) < 5_000:
            stack.extend(obj.values())
    return found


def flood(count: int) -> object:
    """Route ``count`` distinct messages; returns the assistant (its memos live as long as it does)."""
    rng = random.Random(11)
    assistant, session = bootstrap(), Session()
    for n in range(count):
        latin = " ".join("".join(rng.choice("abcdefghiklmnoprstuwxyz") for _ in range(7)) for _ in range(3))
        cjk = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(6))
        assistant.reply(f"{latin} 金水区{cjk}有多少？", session, float(n))
    return assistant


def test_every_memo_stays_bounded_under_distinct_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize, "CANONICAL_MEMO", LIMIT)
    monkeypatch.setattr(checks, "MEMO_LIMIT", LIMIT)
    monkeypatch.setattr(wordlist, "_MEMO_LIMIT", LIMIT)
    monkeypatch.setattr(views, "CACHE_FACTS", LIMIT)  # facts' documents and bags (the base has more)
    monkeypatch.setattr(views, "ANALYSED", LIMIT)
    monkeypatch.setattr(runs, "PLANS", LIMIT)
    assistant = flood(6 * LIMIT)
    unbounded: list[str] = []
    memos: list[tuple[str, int]] = []
    caches: set[str] = set()
    for obj in functools_caches():
        if obj.__module__.startswith("jinshui_qa"):
            info, name = obj.cache_info(), f"{obj.__module__}.{obj.__qualname__}"
            caches.add(name)
            if info.maxsize is None and obj.__name__ not in ZERO_ARGUMENT | FIXED_KEYS:
                unbounded.append(name)
            elif info.maxsize is not None:
                assert info.maxsize <= 32_768, name
    for obj in reachable(assistant):
        for attr, value in vars(obj).items():
            if attr in MEMO_NAMES and isinstance(value, dict):
                memos.append((f"{type(obj).__qualname__}.{attr}", len(value)))
    assert not unbounded, f"caches without a bound: {unbounded}"
    assert {"jinshui_qa.text.pinyin.segment", "jinshui_qa.routing.placement.spell"} <= caches
    assert memos, "no memo found: the search no longer sees them"
    assert {name for name, _ in memos} >= {"Normalizer._memo", "Checks._checked", "WordList._memo", "Docs._cache",
                                           "Bags._cache", "Scorer._analysed", "Runs._memo"}  # fmt: skip
    too_big = [(name, size) for name, size in memos if size > LIMIT + 1]
    assert not too_big, f"memos past their bound: {too_big}"


def test_the_pinyin_segment_cache_is_bounded() -> None:
    from jinshui_qa.text.pinyin import SEGMENT_CACHE, segment

    assert segment.cache_info().maxsize == SEGMENT_CACHE <= 32_768
