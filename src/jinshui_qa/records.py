"""``@dataclass`` for the classes every start imports, at a third of its cost to create a class.

:func:`dataclasses.dataclass` writes each class's ``__repr__``, ``__eq__``, ``__hash__`` and order
methods as source text and compiles it: about 1 ms a class (the f-string of ``__repr__`` alone is a
third of it), some 30 ms for the 23 dataclasses a one-question ``ask`` imports, over a third of its
imports. :func:`dataclass` lets :mod:`dataclasses` make the class, its fields, ``__init__``, the
frozen ``__setattr__`` / ``__delattr__``, ``__match_args__`` and slots, as before, and gives it those
other methods from closures over the fields' names instead, which behave as the generated ones do:

- ``__repr__``: ``Name(field=value!r, ...)`` over the fields with ``repr=True``, ``...`` for a
  recursive reference (the same guard as :func:`reprlib.recursive_repr`, per object and thread);
- ``__eq__`` and, with ``order=True``, ``__lt__`` ``__le__`` ``__gt__`` ``__ge__``: the tuples of the
  fields with ``compare=True``, for an object of exactly the same class, else ``NotImplemented``;
- ``__hash__``: ``hash`` of the tuple of the fields with ``hash=True`` (or ``hash=None`` and
  ``compare=True``) for a frozen class; ``None`` (unhashable) otherwise; a class's own methods are kept,
  as :mod:`dataclasses` keeps them.

tests/test_records.py checks each against what :func:`dataclasses.dataclass` generates.
"""

from __future__ import annotations

import dataclasses
from _thread import get_ident
from collections.abc import Callable
from operator import attrgetter, eq, ge, gt, le, lt
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")

__all__ = ["dataclass"]


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of ``names`` of an object, as a tuple (``attrgetter`` returns a lone value bare)."""
    if len(names) == 1:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return attrgetter(*names) if names else lambda obj: ()


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    values = _values(names)
    running: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        key = id(self), get_ident()
        if key in running:
            return "..."
        running.add(key)
        try:
            shown = ", ".join(f"{name}={value!r}" for name, value in zip(names, values(self), strict=True))
        finally:
            running.discard(key)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _compare(
    values: Callable[[Any], tuple[Any, ...]], op: Callable[[Any, Any], Any]
) -> Callable[[Any, Any], Any]:
    def compare(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return op(values(self), values(other))
        return NotImplemented

    return compare


def _methods(cls: type, *, frozen: bool, order: bool) -> dict[str, Any]:
    """The methods :func:`dataclasses.dataclass` would write for ``cls`` (made with ``repr=False,
    eq=False``, which add none of them), but those the class defines itself (``__hash__``: by the rules
    of :mod:`dataclasses` for ``eq=True``)."""
    fields = dataclasses.fields(cls)
    compared = _values(tuple(f.name for f in fields if f.compare))
    hashed = _values(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
    methods: dict[str, Any] = {"__repr__": _repr(tuple(f.name for f in fields if f.repr))}
    methods["__eq__"] = _compare(compared, eq)
    if order:
        for name, op in (("__lt__", lt), ("__le__", le), ("__gt__", gt), ("__ge__", ge)):
            if name in cls.__dict__:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
            methods[name] = _compare(compared, op)
    own = cls.__dict__.get("__hash__", dataclasses.MISSING)
    if own is dataclasses.MISSING or (own is None and "__eq__" in cls.__dict__):  # no hash of its own
        methods["__hash__"] = (lambda self: hash(hashed(self))) if frozen else None
    return {
        name: method for name, method in methods.items() if name == "__hash__" or name not in cls.__dict__
    }


@overload
def dataclass(cls: type[T], /) -> type[T]: ...


@overload
def dataclass(
    cls: None = None, /, *, frozen: bool = False, order: bool = False, slots: bool = False
) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def dataclass(
    cls: type[T] | None = None, /, *, frozen: bool = False, order: bool = False, slots: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """:func:`dataclasses.dataclass` (``init``, ``repr`` and ``eq`` on) with these switches; see the module."""

    def make(cls: type[T]) -> type[T]:
        made = dataclasses.dataclass(frozen=frozen, slots=slots, repr=False, eq=False)(cls)
        for name, method in _methods(made, frozen=frozen, order=order).items():
            if method is not None:
                method.__qualname__ = f"{made.__qualname__}.{name}"
            setattr(made, name, method)
        return made

    return make if cls is None else make(cls)
