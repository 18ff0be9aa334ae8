"""The checks across files, kept as tables per file, so a reload checks the edited files only.

:func:`~jinshui_qa.facts.validation.build_factbase` checks every fact against every other (duplicate
ids and phrasings, related ids, sources, periods) and the policy (:mod:`jinshui_qa.facts.policy`).
:class:`CrossTables` holds what those checks need of the last fact base that passed them: each
topic file's facts (by identity) and the folded keys of their questions, every fact id, every
phrasing key's owner and how often each id is listed as related. Given a new base that differs in a
few files, :meth:`CrossTables.vouch` decides, from those files' facts alone, whether the full checks
would find any problem:

- the unchanged files were clean together, so a new duplicate id or phrasing involves a new fact;
- a related id can only go missing if a new fact lists it, or if it belonged to a changed file;
- source, period and policy rules concern one fact (or the few topics), and ``verified`` is compared
  with today through each file's latest date.

When it vouches, the tables move to the new base; otherwise nothing changes and the caller runs the
full checks, which report the problems exactly as before (``file:line: message``, in the same order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import is_

from jinshui_qa.facts.runs import ids_of
from jinshui_qa.facts.schema import Fact, Report, Topic

Normalise = Callable[[str], str]
_NEVER = dt.date.min


def _questions(fact: Fact) -> tuple[str, ...]:
    return fact.questions_zh + fact.questions_en


def same_facts(a: Sequence[Fact], b: Sequence[Fact]) -> bool:
    """Whether ``a`` and ``b`` hold the very same fact objects, in order."""
    return a is b or (len(a) == len(b) and all(map(is_, a, b)))


class _Known:
    """The fact ids of the new base: the tables' without ``gone``, plus ``fresh``."""

    def __init__(self, ids: set[str], gone: set[str], fresh: set[str]) -> None:
        self.ids, self.gone, self.fresh = ids, gone, fresh

    def __contains__(self, key: object) -> bool:
        return key in self.fresh or (key in self.ids and key not in self.gone)


class CrossTables:
    """What the checks across files know of the last fact base that passed every check.

    Not thread-safe by itself: :class:`~jinshui_qa.facts.fast_load.FileCache` calls it under its lock.
    """

    def __init__(self) -> None:
        self.valid = False  # False: the tables hold nothing usable (the next build checks everything)
        self._files: dict[str, Sequence[Fact]] = {}  # topic file -> its facts, as the tables hold them
        self._keys: dict[str, tuple[str, ...]] = {}  # topic file -> its questions' keys, in order
        self._reports: dict[str, Report] = {}
        self._ids: set[str] = set()
        self._refs: dict[str, int] = {}  # fact id -> how many times facts list it as related
        self._latest: dict[str, dt.date] = {}  # topic file -> its latest ``verified``
        self._related: dict[str, tuple[str, ...]] = {}  # topic file -> the ids its facts list as related

    # -- filling ---------------------------------------------------------------------------------------
    def reset(self, by_file: Mapping[str, Sequence[Fact]], reports: Mapping[str, Report],
              normalise: Normalise, made: Mapping[str, Summary] | None = None) -> None:  # fmt: skip
        """The tables of ``by_file`` (topic file -> facts), a base the full checks found clean; ``made``:
        each file's :func:`summary` by ``normalise``, when made already (else made here)."""
        self.adopt(by_file, {name: made[name] if made is not None else summary(facts, normalise)
                             for name, facts in by_file.items()}, reports)  # fmt: skip

    def adopt(self, files: Mapping[str, Sequence[Fact]], keys: Mapping[str, Summary],
              reports: Mapping[str, Report]) -> None:  # fmt: skip
        """Tables of a clean base given its facts and each file's :func:`summary` (from a snapshot:
        :meth:`keys`), read without making its facts (a snapshot's records); ValueError when they do not
        fit. The keys are checked against the questions when a file changes (:meth:`vouch`)."""
        if set(files) != set(keys) or not all(_summary_shape(found) for found in keys.values()):
            raise ValueError("phrasing keys that do not match the facts")
        self._files, self._reports = dict(files), dict(reports)
        self._keys = {name: tuple(map(str, found[0])) for name, found in keys.items()}
        self._latest = {name: dt.date.fromordinal(int(found[1])) for name, found in keys.items()}
        self._related = {name: tuple(map(str, found[2])) for name, found in keys.items()}
        self._ids, self._refs = set(), {}
        for name, facts in self._files.items():
            self._ids.update(ids_of(facts))
            for related in self._related[name]:
                self._refs[related] = self._refs.get(related, 0) + 1
        self.valid = True

    def files(self) -> dict[str, Sequence[Fact]]:
        """Each topic file's facts, as the tables hold them."""
        return dict(self._files) if self.valid else {}

    def keys(self) -> dict[str, Summary]:
        """Each topic file's phrasing keys, latest ``verified`` (ordinal) and related ids (for a
        snapshot: :meth:`adopt` takes them back)."""
        if not self.valid:
            return {}
        return {n: (k, self._latest[n].toordinal(), self._related[n]) for n, k in self._keys.items()}

    def phrasings(self) -> int:
        """How many questions the tables hold (the base's phrasing count)."""
        return sum(map(len, self._keys.values()))

    def memo(self) -> dict[str, str]:
        """Question text -> key for every question the tables hold (a full check's fold memo)."""
        out: dict[str, str] = {}
        for name, facts in self._files.items():
            questions = [q for f in facts for q in _questions(f)]
            if len(questions) == len(self._keys[name]):
                out.update(zip(questions, self._keys[name], strict=True))
        return out

    # -- the incremental check -----------------------------------------------------------------------
    def vouch(self, by_file: Mapping[str, Sequence[Fact]], topics: Sequence[Topic], reports: Mapping[str, Report],
              normalise: Normalise, fact_problem: Callable[[Fact], bool],
              policy: Callable[[Iterable[Fact], _Known], bool], today: dt.date) -> bool:  # fmt: skip
        """Whether the full checks would find nothing in the base ``by_file`` (topic file -> facts, every
        fact built); True moves the tables to it. ``fact_problem``: a fact's own source and period
        checks; ``policy(facts, known)``: whether the policy finds a problem in those facts (and the
        topics) with ``known`` the base's ids. False (a problem, or no valid tables): run the full checks.
        Only the changed files' facts are read (the unchanged ones may be records never made)."""
        if not self.valid or dict(reports) != self._reports or _topic_clash(topics):
            return False
        changed = [
            n for n, facts in by_file.items() if n not in self._files or not same_facts(facts, self._files[n])
        ]
        gone_files = [n for n in self._files if n not in by_file]
        if any(self._latest[n] > today for n in self._files if n in by_file and n not in changed):
            return False
        old = [f for n in (*changed, *gone_files) for f in self._files.get(n, ())]
        if any(
            len(self._keys[n]) != sum(len(_questions(f)) for f in self._files[n])
            for n in (*changed, *gone_files)
            if n in self._files
        ):  # keys a snapshot held that do not fit its facts: not ours
            self.valid = False
            return False
        new = [f for n in changed for f in by_file[n]]
        left = {f.id for f in old}
        fresh: set[str] = set()
        for fact in new:
            if fact.id in fresh or (fact.id in self._ids and fact.id not in left):
                return False
            fresh.add(fact.id)
        known = _Known(self._ids, left, fresh)
        if any(r not in known for f in new for r in f.related):
            return False
        dropped = {f: 0 for f in left - fresh}
        for fact in old:
            for related in fact.related:
                if related in dropped:
                    dropped[related] += 1
        if any(self._refs.get(i, 0) > n for i, n in dropped.items()):  # an unchanged fact lists it
            return False
        if any(map(fact_problem, new)) or policy(new, known):
            return False
        keys = self._new_keys(changed, by_file, normalise)
        mine: dict[str, str] = {}
        for name in changed:
            for fact, key in _pairs(by_file[name], keys[name]):
                other = mine.get(key)
                if other is not None and other != fact.id:
                    return False
                mine[key] = fact.id
        # an unchanged file's key belongs to a fact of another id (a clean base has no id twice)
        kept = [k for n, k in self._keys.items() if n not in changed and n not in gone_files]
        if not all(map(mine.keys().isdisjoint, kept)):
            return False
        self._commit(changed, gone_files, by_file, keys, old, new)
        return True

    def _new_keys(self, changed: list[str], by_file: Mapping[str, Sequence[Fact]],
                  normalise: Normalise) -> dict[str, tuple[str, ...]]:  # fmt: skip
        """The keys of the changed files' questions: a question the file held before keeps its key."""
        out = {}
        for name in changed:
            before: dict[str, str] = {}
            if name in self._files:
                before = dict(
                    zip((q for f in self._files[name] for q in _questions(f)), self._keys[name], strict=True)
                )
            out[name] = tuple(before.get(q) or normalise(q) for f in by_file[name] for q in _questions(f))
        return out

    def _commit(self, changed: list[str], gone_files: list[str], by_file: Mapping[str, Sequence[Fact]],
                keys: dict[str, tuple[str, ...]], old: list[Fact], new: list[Fact]) -> None:  # fmt: skip
        for fact in old:
            self._ids.discard(fact.id)
            for related in fact.related:
                self._refs[related] -= 1
                if not self._refs[related]:
                    del self._refs[related]
        for fact in new:
            self._ids.add(fact.id)
            for related in fact.related:
                self._refs[related] = self._refs.get(related, 0) + 1
        for name in gone_files:
            del self._files[name], self._keys[name], self._latest[name], self._related[name]
        for name in changed:
            facts = by_file[name]
            self._files[name], self._keys[name] = facts, keys[name]
            self._latest[name] = max((f.verified for f in facts), default=_NEVER)
            self._related[name] = tuple(r for f in facts for r in f.related)


Summary = tuple[tuple[str, ...], int, tuple[str, ...]]
"""One topic file's questions' keys, latest ``verified`` (ordinal) and the ids its facts list as related."""


def summary(facts: Sequence[Fact], normalise: Normalise) -> Summary:
    """A topic file's :data:`Summary`, its questions' keys by ``normalise``."""
    keys = tuple(normalise(q) for f in facts for q in _questions(f))
    latest = max((f.verified for f in facts), default=_NEVER).toordinal()
    return keys, latest, tuple(r for f in facts for r in f.related)


def _summary_shape(found: object) -> bool:
    return (
        isinstance(found, tuple)
        and len(found) == 3
        and isinstance(found[0], tuple)
        and isinstance(found[1], int)
        and isinstance(found[2], tuple)
    )


def _pairs(facts: Sequence[Fact], keys: tuple[str, ...]) -> Iterable[tuple[Fact, str]]:
    it = iter(keys)
    for fact in facts:
        for _ in _questions(fact):
            yield fact, next(it)


def _topic_clash(topics: Sequence[Topic]) -> bool:
    ids = [t.id for t in topics if t.id]
    return len(set(ids)) != len(ids)
