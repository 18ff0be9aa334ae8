"""``dataclass`` as :mod:`dataclasses` makes it, without compiling its methods at every start.

On Python 3.11, ``dataclasses.dataclass`` writes the source of each generated method (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, the order methods, a frozen class's ``__setattr__`` and
``__delattr__``) and compiles it with ``exec``: some 150 compilations for the 25 classes a plain ``ask``
imports, 20% of its instructions. :func:`dataclass` here takes the same arguments and returns the same
class, but the methods' code comes from :mod:`jinshui_qa.records_code`: the very text ``dataclasses``
wrote for each class, captured once by :mod:`jinshui_qa.records_gen` and compiled into that module's
bytecode like any other source. The class is then made as ``dataclasses._process_class`` makes it
(its fields, parameters, ``__match_args__``, slots: the same steps, so ``fields``, ``replace`` and
``asdict`` work as before), its methods from the stored code with the same closure values and the
class module's globals, set with the names and qualified names ``dataclasses`` gives them.

A class whose declaration no longer matches what was captured (:func:`spec`: its annotations, defaults,
field options, parameters and own dunder methods), a class with dataclass bases, and any other Python
version go through ``dataclasses.dataclass`` itself: slower, never different. ``tests/test_records.py``
checks that the stored code is current and that every class is made by the fast path.
"""

from __future__ import annotations

import abc
import dataclasses
import sys
from collections.abc import Callable
from types import FunctionType, MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")
_DC: Any = dataclasses  # its private parts (_recursive_repr, _DataclassParams...) are 3.11's, as is the code
_EXACT = sys.version_info[:2] == (3, 11)  # the code stored is what 3.11's dataclasses writes
_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__lt__", "__le__", "__gt__", "__ge__",
        "__setattr__", "__delattr__", "__getstate__", "__setstate__", "__slots__")  # fmt: skip
CAPTURE: Callable[[type, dict[str, Any]], type] | None = None  # set by records_gen while it captures
FALLBACKS: list[str] = []  # classes made by dataclasses itself (tests assert none of the project's)


def spec(cls: type, params: dict[str, Any]) -> str:
    """Everything in a class declaration that the generated methods' text depends on, as a string."""
    ns = cls.__dict__
    parts: list[Any] = [sorted(params.items()), [b.__qualname__ for b in cls.__bases__], cls.__doc__ is None,
                        [n for n in _OWN if n in ns], hasattr(cls, "__post_init__")]  # fmt: skip
    for name, annotation in ns.get("__annotations__", {}).items():
        value = ns.get(name, dataclasses.MISSING)
        if isinstance(value, dataclasses.Field):
            kind: Any = (value.default is not dataclasses.MISSING, value.default_factory is not dataclasses.MISSING,
                         value.init, value.repr, value.hash, value.compare, value.kw_only is True)  # fmt: skip
        else:
            kind = value is not dataclasses.MISSING
        parts.append((name, annotation if isinstance(annotation, str) else repr(annotation), kind))
    return repr(parts)


if TYPE_CHECKING:  # type checkers see the decorator this one makes the classes of
    from dataclasses import dataclass as dataclass
else:

    def dataclass(cls=None, /, **params):
        """``dataclasses.dataclass`` (the same arguments and class), its methods' code compiled ahead."""

        def wrap(cls):
            return _made(cls, params)

        return wrap if cls is None else wrap(cls)


def _made(cls: type[T], params: dict[str, Any]) -> type[T]:
    """The class ``dataclasses.dataclass(cls, **params)`` makes; from the stored code when it is current.

    The steps of ``dataclasses._process_class`` (3.11) for a class without dataclass bases whose
    fields are all plain fields (no ``ClassVar``, ``InitVar`` or ``KW_ONLY``: the code is stored only
    for such classes), in its order; only the methods' code is the stored one."""
    if CAPTURE is not None:
        return CAPTURE(cls, params)
    entry = None
    if _EXACT and not any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
        from jinshui_qa.records_code import CODE

        entry = CODE.get(f"{cls.__module__}.{cls.__qualname__}")
    if entry is None or entry[0] != spec(cls, params):
        return _fallback(cls, params)
    _, methods, flags, given = entry
    annotations = vars(cls).get("__annotations__", {})  # as dataclasses reads them
    if any(isinstance(v, _DC.Field) and n not in annotations for n, v in cls.__dict__.items()):
        return _fallback(cls, params)  # dataclasses raises for it
    fields: dict[str, Any] = {}
    kw_only = params.get("kw_only", False)
    for name, annotation in annotations.items():  # dataclasses._get_field for a plain field
        default = getattr(cls, name, _DC.MISSING)
        if isinstance(default, _DC.Field):
            f = default
        else:
            f = _DC.field(default=_DC.MISSING if isinstance(default, MemberDescriptorType) else default)
        f.name, f.type, f._field_type = name, annotation, _DC._FIELD
        if f.kw_only is _DC.MISSING:
            f.kw_only = kw_only
        if f.default.__class__.__hash__ is None:
            return _fallback(cls, params)  # a mutable default: dataclasses raises for it
        fields[name] = f
    cls.__dataclass_params__ = _DC._DataclassParams(*given)  # type: ignore[attr-defined]
    for f in fields.values():
        if isinstance(getattr(cls, f.name, None), _DC.Field):
            if f.default is _DC.MISSING:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    globals_ = sys.modules[cls.__module__].__dict__ if cls.__module__ in sys.modules else {}
    closure: dict[str, Any] = {"MISSING": _DC.MISSING, "_HAS_DEFAULT_FACTORY": _DC._HAS_DEFAULT_FACTORY,
                               "__dataclass_builtins_object__": object, "_return_type": None, "cls": cls,
                               "FrozenInstanceError": _DC.FrozenInstanceError}  # fmt: skip
    for f in fields.values():  # the values dataclasses gives each method's closure
        closure["_type_" + f.name] = f.type
        if f.default_factory is not _DC.MISSING:
            closure["_dflt_" + f.name] = f.default_factory
        elif f.default is not _DC.MISSING:
            closure["_dflt_" + f.name] = f.default
    for name, qualname, create in methods:  # each made in the class module's globals, as dataclasses does
        code = create.__code__
        method = FunctionType(code, globals_)(*[closure[k] for k in code.co_varnames[: code.co_argcount]])
        if name == "__repr__":
            method = _DC._recursive_repr(method)
        method.__qualname__ = qualname
        setattr(cls, name, method)
    if "hash_none" in flags:
        cls.__hash__ = None  # type: ignore[assignment]
    if params.get("match_args", True) and "__match_args__" not in cls.__dict__:
        type.__setattr__(
            cls, "__match_args__", tuple(f.name for f in fields.values() if f.init and not f.kw_only)
        )
    if params.get("slots", False):
        cls = _DC._add_slots(cls, given[5], params.get("weakref_slot", False))
    abc.update_abstractmethods(cls)
    return cls


def _fallback(cls: type[T], params: dict[str, Any]) -> type[T]:
    FALLBACKS.append(f"{cls.__module__}.{cls.__qualname__}")
    return _DC.dataclass(cls, **params)  # type: ignore[no-any-return]
