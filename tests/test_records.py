"""``records.dataclass`` makes the classes ``dataclasses.dataclass`` makes: the same methods (the same
bytecode, names, defaults, annotations, closure values), fields, parameters and instance behaviour, from
code compiled ahead (issue 14: ``ask``'s cold start). The stored code must be current, and every class
of the project must take the fast path."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import pickle
import re
import subprocess
import sys
from dataclasses import field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa import records, records_gen

SRC = Path(records.__file__).resolve().parents[1]
# Prints, as JSON, each record class's profile: made by records.dataclass, or (argv[1] == "real") by
# dataclasses.dataclass itself.
PROFILE = """
import dataclasses, importlib, inspect, json, sys
from jinshui_qa import records, records_gen
from tests.test_records import profile
if sys.argv[1] == "real":
    records.CAPTURE = lambda cls, params: dataclasses.dataclass(cls, **params)
made = {}
for name in records_gen.modules(records_gen.OUT.parent.parent):
    module = importlib.import_module(name)
    for value in vars(module).values():
        if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value):
            made[f"{name}.{value.__qualname__}"] = profile(value)
print(json.dumps({"made": made, "fallbacks": records.FALLBACKS}))
"""


def _r(value: Any) -> str:
    """``repr`` without object addresses (two processes)."""
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))


def _function(fn: Any) -> Any:
    if fn is None or not callable(fn):
        return _r(fn)
    inner = getattr(fn, "__wrapped__", None)
    code = fn.__code__
    return {
        "qualname": fn.__qualname__, "name": fn.__name__, "module": fn.__module__,
        "code": [code.co_code.hex(), _r(code.co_consts), code.co_names, code.co_varnames, code.co_freevars,
                 code.co_qualname, code.co_argcount, code.co_kwonlyargcount],
        "defaults": _r(fn.__defaults__), "kwdefaults": _r(fn.__kwdefaults__),
        "annotations": _r(fn.__annotations__),
        "closure": [_r(c.cell_contents) for c in fn.__closure__ or ()],
        "globals": fn.__globals__.get("__name__"), "wrapped": None if inner is None else _function(inner),
    }  # fmt: skip


def profile(cls: type) -> dict[str, Any]:
    """What a class made by a dataclass decorator is: its methods (bytecode and all), fields, params."""
    ns = vars(cls)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    return {
        "names": sorted(ns),
        "methods": {n: _function(ns[n]) for n in sorted(ns) if n.startswith("__") and (callable(ns[n]) or ns[n] is None)
                    and n not in ("__class__", "__init_subclass__", "__subclasshook__")},
        "fields": _r(dataclasses.fields(cls)),
        "values": {n: _r(v) for n, v in ns.items() if not n.startswith("__") and not callable(v)},
        "params": _r(params),
        "match_args": _r(ns.get("__match_args__")),
        "slots": _r(ns.get("__slots__")),
        "doc": cls.__doc__,
        "signature": str(inspect.signature(cls)),
    }  # fmt: skip


def _profiles(kind: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC.parent), *sys.path])}
    done = subprocess.run([sys.executable, "-c", PROFILE, kind], env=env, capture_output=True, text=True,
                          check=True, cwd=SRC.parent.parent)  # fmt: skip
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_the_stored_code_is_current() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-m", "jinshui_qa.records_gen", "--check"], env=env, check=False)
    assert done.returncode == 0, "run: PYTHONPATH=src python -m jinshui_qa.records_gen"


def test_every_class_is_made_as_dataclasses_makes_it_and_by_the_fast_path() -> None:
    fast, real = _profiles("fast"), _profiles("real")
    assert fast["fallbacks"] == []
    assert len(fast["made"]) >= 25
    assert fast["made"].keys() == real["made"].keys()
    for key, made in fast["made"].items():
        assert made == real["made"][key], key


# Declarations covering the options dataclasses turns into code, with keyword arguments to make
# instances; each is made twice, by records (from code captured here) and by dataclasses, and compared.
def _post_init(self: Any) -> None:
    object.__setattr__(self, "total", self.a + len(self.b))


DECLARATIONS: list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]] = [
    ({"a": "int", "b": "str"}, {"frozen": True, "slots": True}, [{"a": 1, "b": "x"}]),
    ({"a": "int", "b": "list[int]"}, {"frozen": True, "order": True, "b": field(default_factory=list)},
     [{"a": 1}, {"a": 1, "b": [2]}]),
    ({"a": "int", "b": "str", "total": "int"},
     {"frozen": True, "b": "x", "total": field(default=0, init=False, repr=False, compare=False),
      "__post_init__": _post_init}, [{"a": 1}, {"a": 2, "b": "yy"}]),
    ({"a": "int", "b": "list[int]"}, {"b": field(default_factory=lambda: [1], compare=False)}, [{"a": 1}]),
    ({"a": "int", "b": "int"}, {"unsafe_hash": True, "kw_only": True, "b": 2}, [{"a": 1}, {"a": 1, "b": 3}]),
    ({"a": "int", "b": "str"}, {"eq": False, "repr": False, "b": ""}, [{"a": 1}]),
    ({"a": "int", "b": "int"}, {"order": True, "slots": True, "frozen": True, "b": 0}, [{"a": 1}, {"a": 1, "b": 2}]),
]  # fmt: skip
_PARAMS = ("init", "repr", "eq", "order", "unsafe_hash", "frozen", "match_args", "kw_only", "slots")


def _declare(annotations: dict[str, Any], options: dict[str, Any]) -> tuple[type, dict[str, Any]]:
    params = {k: v for k, v in options.items() if k in _PARAMS}
    body = {k: v for k, v in options.items() if k not in _PARAMS}
    body.update(
        __annotations__=dict(annotations), __doc__="A sample.", __module__=__name__, __qualname__="Sample"
    )
    return type("Sample", (), body), params


def _compiled(out: dict[str, str]) -> Any:
    """The captured text compiled as records_code.py is: without this module's future import (which would
    turn the generated methods' annotations into strings)."""
    return compile(out[f"{__name__}.Sample"], "records_code", "exec", dont_inherit=True)


@pytest.mark.parametrize(("annotations", "options", "samples"), DECLARATIONS)
def test_a_declaration_made_from_captured_code_is_the_dataclass(
    annotations: dict[str, Any], options: dict[str, Any], samples: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    out: dict[str, str] = {}
    cls, params = _declare(annotations, options)
    real = records_gen._capture(cls, params, out)
    code: dict[str, Any] = {}
    exec(_compiled(out), {"CODE": code})  # the text records_code would hold for it
    from jinshui_qa import records_code

    monkeypatch.setattr(records_code, "CODE", code)
    before = len(records.FALLBACKS)
    made = records.dataclass(**params)(_declare(annotations, options)[0])
    assert len(records.FALLBACKS) == before  # the fast path
    assert profile(made) == profile(real)

    def outcome(call: Any) -> Any:
        try:
            return ("ok", _r(call()))
        except Exception as exc:  # the same exception, the same message
            return (type(exc).__name__, str(exc))

    checks = (
        repr, lambda o: (o == o, o != 1, o == _declare(annotations, options)[0]),
        lambda o: hash(o) if type(o).__hash__ is not object.__hash__ else "by identity", lambda o: setattr(o, "a", 5), lambda o: setattr(o, "zz", 5), lambda o: delattr(o, "a"),
        lambda o: dataclasses.replace(o, a=7), dataclasses.astuple, lambda o: (o < o, o >= o),
        lambda o: pickle.loads(pickle.dumps(o)) == o, lambda o: sorted(vars(o)) if hasattr(o, "__dict__") else (),
    )  # fmt: skip
    for kwargs in samples:
        x, y = made(**kwargs), real(**kwargs)
        for check in checks:
            assert outcome(partial(check, x)) == outcome(partial(check, y))
    assert outcome(lambda: made()) == outcome(lambda: real())
    assert outcome(lambda: made(1, 2, 3, 4)) == outcome(lambda: real(1, 2, 3, 4))


def test_a_changed_declaration_is_made_by_dataclasses_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from jinshui_qa import records_code

    out: dict[str, str] = {}
    cls, params = _declare({"a": "int"}, {"frozen": True})
    records_gen._capture(cls, params, out)
    code: dict[str, Any] = {}
    exec(_compiled(out), {"CODE": code})
    monkeypatch.setattr(records_code, "CODE", code)
    before = len(records.FALLBACKS)
    changed, _ = _declare({"a": "int", "b": "int"}, {"frozen": True, "b": 1})  # a field added, not captured
    made = records.dataclass(frozen=True)(changed)
    assert records.FALLBACKS[before:] == [f"{__name__}.Sample"]
    assert repr(made(1)) == "Sample(a=1, b=1)"
