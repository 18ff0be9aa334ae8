"""records.dataclass gives classes that behave as dataclasses.dataclass's (tests written twice: the same
class body under each decorator), and the package's classes made with it behave as their twins would."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from jinshui_qa import records
from jinshui_qa.conversation.assistant import Option, Reply, Session
from jinshui_qa.errors import Problem
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import Bilingual, Fact, FactBase, Figure, Report, SourceRef, Topic, Vocabulary
from tests.support.tiny import REAL_FACTS

Decorate = Callable[..., Any]
OPTIONS = [
    {},
    {"frozen": True},
    {"frozen": True, "slots": True},
    {"order": True},
    {"frozen": True, "order": True},
]


def _classes(decorate: Decorate, options: dict[str, bool]) -> list[type]:
    @decorate(**options)
    class Empty:
        pass

    @decorate(**options)
    class One:
        a: int

    @decorate(**options)
    class Many:
        a: int
        b: str = "x"
        c: list[Any] = dataclasses.field(default_factory=list)
        hidden: int = dataclasses.field(default=0, repr=False)
        loose: float = dataclasses.field(default=0.0, compare=False)
        unhashed: int = dataclasses.field(default=1, hash=False)
        hashed_only: int = dataclasses.field(default=2, compare=False, hash=True)

    @decorate(**options)
    class OwnMethods:
        a: int

        def __repr__(self) -> str:
            return "own"

        def __hash__(self) -> int:
            return 7

    @decorate(**options)
    class OwnEq:
        a: int

        def __eq__(self, other: object) -> bool:
            return True

    class Sub(Many):
        pass

    return [Empty, One, Many, OwnMethods, OwnEq, Sub]


def _instances(cls: type) -> list[Any]:
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    rows: list[dict[str, Any]] = [{}]
    if "a" in names:
        rows = [{"a": 1}, {"a": 2}, {"a": 1, **({"b": "y"} if "b" in names else {})}]
    if "loose" in names:
        rows += [
            {"a": 1, "loose": 5.0},
            {"a": 1, "unhashed": 9},
            {"a": 1, "hashed_only": 3},
            {"a": 1, "c": [1]},
        ]
    return [cls(**row) for row in rows]


def _hash(x: object) -> object:
    try:
        return hash(x)
    except TypeError as e:  # unhashable, or a field that is
        return str(e)


def _behaviour(cls: type) -> list[Any]:
    out: list[Any] = [cls.__hash__ is None, getattr(cls, "__match_args__", None), hasattr(cls, "__slots__")]
    out.append([f.name for f in dataclasses.fields(cls)])
    objs = _instances(cls)
    for x in objs:
        out.append(repr(x))
        out.append(_hash(x))
        for y in objs:
            out.append(x == y)
            out.append(x != y)
            for op in ("__lt__", "__le__", "__gt__", "__ge__"):
                try:
                    out.append(getattr(x, op)(y))
                except TypeError as e:
                    out.append(str(e))
        out.append(x == object())
        out.append(x.__eq__(object()))
    return out


@pytest.mark.parametrize("options", OPTIONS)
def test_a_record_behaves_as_the_dataclass(options: dict[str, bool]) -> None:
    for ours, theirs in zip(
        _classes(records.dataclass, options), _classes(dataclasses.dataclass, options), strict=True
    ):
        assert _behaviour(ours) == _behaviour(theirs), ours.__name__


def test_frozen_replace_pickle_and_a_recursive_repr() -> None:
    mine = _classes(records.dataclass, {"frozen": True, "slots": True})[2]
    x = mine(1, c=[])
    with pytest.raises(dataclasses.FrozenInstanceError):
        x.a = 2
    assert dataclasses.replace(x, a=3).a == 3 and dataclasses.asdict(x)["b"] == "x"
    assert copy.deepcopy(x) == x and copy.copy(_classes(records.dataclass, {"frozen": True})[1](4)).a == 4
    loop = _classes(records.dataclass, {})[2](1)
    loop.c.append(loop)
    twin = _classes(dataclasses.dataclass, {})[2](1)
    twin.c.append(twin)
    assert (
        repr(loop)
        == repr(twin)
        == "_classes.<locals>.Many(a=1, b='x', c=[...], loose=0.0, unhashed=1, hashed_only=2)"
    )


def test_a_record_defining_an_order_method_is_refused_as_a_dataclass_is() -> None:
    with pytest.raises(TypeError, match="__lt__"):

        @records.dataclass(order=True)
        class Ordered:
            a: int

            def __lt__(self, other: object) -> bool:
                return True


def _twin(cls: type) -> type:
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    fields = [(f.name, f.type, f) for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=params.frozen, order=params.order)


def test_the_package_records_behave_as_their_dataclass_twins() -> None:
    base = load(REAL_FACTS)
    report = next(iter(base.reports.values()))
    objects: list[Any] = [*base.facts, *base.topics, report, base.vocabulary, Problem("a.yaml", 3, "bad"),
                          Session(), Option("id", "title"), Bilingual("a", "b")]  # fmt: skip
    objects += [f.source for f in base.facts] + [g for f in base.facts for g in f.figures]
    classes = {type(o) for o in objects}
    assert classes >= {
        Fact,
        Topic,
        Report,
        Vocabulary,
        Problem,
        Session,
        Option,
        Bilingual,
        SourceRef,
        Figure,
    }
    assert Reply.__module__ and FactBase.__module__  # made alike; FactBase and Reply are built by the router
    twins = {cls: _twin(cls) for cls in classes}
    pairs = [
        (o, twins[type(o)](**{f.name: getattr(o, f.name) for f in dataclasses.fields(o)})) for o in objects
    ]
    for (a, twin_a), (b, twin_b) in zip(pairs, pairs[1:] + pairs[:1], strict=True):
        assert repr(a) == repr(twin_a)
        assert (type(a).__hash__ is None) == (type(twin_a).__hash__ is None)
        assert _hash(a) == _hash(twin_a)
        assert (a == b) == (twin_a == twin_b) and a == dataclasses.replace(a)
