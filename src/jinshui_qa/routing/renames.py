"""The frame reader's subject names and the scorer's parts after a reload that changes names or the number
of facts, from the facts that left and came only (issue 14).

A full router reads every fact's names for them: the owners of each subject name and their word list
(:class:`~jinshui_qa.routing.frames.FrameReader`), the signature keywords and subject words
(:class:`~jinshui_qa.routing.scoring.Scorer`). :func:`renamed` narrows the reload's middle (the facts
between the runs both bases share, :func:`jinshui_qa.routing.spliced.after`) to the facts whose id or names
differ, moves the old maps' positions past them (:mod:`jinshui_qa.routing.moved`), and updates the counts
of :mod:`jinshui_qa.routing.keyword_counts` by the facts that left and came. It returns None where it
cannot say (counts unknown, two keywords of one form, a new keyword inside too many others): the router
then reads every fact, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from jinshui_qa.routing.frames import owner_names
from jinshui_qa.routing.keyword_counts import Counts, KeywordCounts, containing, inside, signature
from jinshui_qa.routing.moved import MovedOwners, MovedSignatures
from jinshui_qa.text.normalize import has_cjk

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import Fact
    from jinshui_qa.routing.router import Router
    from jinshui_qa.routing.state import Names, Scoring

Named = tuple[set[str], set[str], dict[str, None]]  # a fact's canonical keywords, subject words, owned names
LOOKED_UP = 2_000  # the facts read at most to count the holders of a new keyword inside others


def _same(a: Fact, b: Fact) -> bool:
    return a is b or (a.id == b.id and a.keywords == b.keywords and a.subject == b.subject)


def narrowed(left: Sequence[Fact], came: Sequence[Fact]) -> tuple[int, int]:
    """How many facts ``left`` and ``came`` share at their start and end by id and names."""
    most = min(len(left), len(came))
    start = 0
    while start < most and _same(left[start], came[start]):
        start += 1
    end = 0
    while end < most - start and _same(left[-1 - end], came[-1 - end]):
        end += 1
    return start, end


def _named(fact: Fact, canonical: Callable[[str], str]) -> Named:
    subject = (fact.subject.zh, fact.subject.en) if fact.subject else ()
    words = {w for k in (*fact.keywords, *subject) if len((w := canonical(k)).replace(" ", "")) >= 2}
    return {canonical(k) for k in fact.keywords}, words, owner_names(fact, canonical)


def _moved(
    counts: Counts, left: list[Named], came: list[Named], part: int
) -> tuple[Counts, set[str], set[str]]:
    """``counts`` by the facts that left and came (each's set ``part``), and the words gone and new."""
    out = dict(counts)
    for named in left:
        for word in named[part]:
            out[word] -= 1
    for named in came:
        for word in named[part]:
            out[word] = out.get(word, 0) + 1
    touched = {w for n in (*left, *came) for w in n[part]}
    gone = {w for w in touched if not out.get(w)}
    for word in gone:
        out.pop(word, None)
    return out, gone, {w for w in touched if w in out and w not in counts}


def spliceable(router: Router) -> bool:
    """Whether a reload after ``router`` that changes names may splice them (:func:`renamed`: the counts
    known, read from the snapshot if stored), not read every fact's."""
    counts = router.scorer.counts
    return counts is not None and counts.known() and counts.spaced() is not None


def renamed(old: Router, facts: Sequence[Fact], lo: int, left: Sequence[Fact], came: Sequence[Fact],
            ) -> tuple[Names, Scoring, KeywordCounts] | None:  # fmt: skip
    """The names and scoring parts over ``facts`` (``old``'s base with ``left``, from position ``lo``,
    replaced by ``came``), and their counts; None: to be read from every fact."""
    counts = old.scorer.counts
    if counts is None or not counts.known():
        return None
    spaced = counts.spaced()
    if spaced is None or counts.names is None or counts.exact is None or counts.held is None:
        return None
    start, end = narrowed(left, came)
    left, came, lo = left[start : len(left) - end], came[start : len(came) - end], lo + start
    stop, delta = lo + len(left), len(came) - len(left)
    canonical = old.index.normalizer.canonical
    gone_f, came_f = [_named(f, canonical) for f in left], [_named(f, canonical) for f in came]
    exact, gone, fresh = _moved(counts.exact, gone_f, came_f, 0)
    new_spaced = dict(spaced)
    for word in gone:
        if " " in word and has_cjk(word):
            del new_spaced[word.replace(" ", "")]
    for word in (w for w in fresh if has_cjk(w)):
        bare = word.replace(" ", "")
        if bare in new_spaced or (bare != word and bare in exact):
            return None  # two keywords of one form: the word list keeps one of them
        if bare != word:
            new_spaced[bare] = word
    held = dict(counts.held)
    touched: set[str] = set(gone) | fresh
    for named, keywords, spaces, step in ((gone_f, counts.exact, spaced, -1), (came_f, exact, new_spaced, 1)):
        seen: dict[str, set[str]] = {}  # each distinct keyword looked inside once
        for kws, _, _ in named:
            inner = set().union(
                *(seen.get(k) or seen.setdefault(k, inside(k, keywords, spaces)) for k in kws)
            )
            inner -= fresh
            touched |= inner
            for word in inner:
                held[word] = held.get(word, 0) + step
    for word in gone:
        held.pop(word, None)
    scorer, frames = old.scorer, old.frames
    owners = frames.owners if isinstance(frames.owners, MovedOwners) else MovedOwners(frames.owners)
    owned: dict[str, list[int]] = {}
    for k, (_, _, names) in enumerate(came_f):
        for name in names:
            owned.setdefault(name, []).append(lo + k)
    lost: dict[str, int] = {}
    for _, _, names in gone_f:
        for name in names:
            lost[name] = lost.get(name, 0) + 1
    new_owners = owners.spliced(lo, stop, owned, lost, len(came))
    base_facts = facts

    def canon_at(q: int) -> set[str]:
        return (
            came_f[q - lo][0] if lo <= q < lo + len(came) else {canonical(k) for k in base_facts[q].keywords}
        )

    for word in fresh:  # a new keyword: its holders counted over the keywords containing it
        within = containing(word, exact)
        if within == [word]:
            held[word] = exact[word]
            continue
        if not all(map(new_owners.size, within)) or sum(new_owners.size(k) for k in within) > LOOKED_UP:
            return None
        positions = set().union(*(new_owners[k] for k in within))
        held[word] = sum(any(k in canon_at(q) for k in within) for q in positions)
    old_signatures = scorer.signature_owner
    signatures = (
        old_signatures if isinstance(old_signatures, MovedSignatures) else MovedSignatures(old_signatures)
    )
    changes: dict[str, int | None] = {}
    holder: dict[str, int] = {}  # the first fact that came holding each keyword
    for k, (kws, _, _) in enumerate(came_f):
        for word in kws:
            holder.setdefault(word, lo + k)
    for word in touched:
        was = word in signatures
        if not (word in exact and signature(word, held)):
            if was:
                changes[word] = None
            continue
        at = holder.get(word)
        if at is None and was:
            p = signatures[word][0]
            at = None if lo <= p < stop else p if p < lo else p + delta
        if at is None:
            if not new_owners.size(word):
                return None
            at = next((q for q in new_owners[word] if word in canon_at(q)), None)
            if at is None:
                return None
        changes[word] = at
    new_signatures = signatures.spliced(lo, stop, len(came), changes)
    added = [w for w, at in changes.items() if at is not None and w not in signatures]
    dropped = [w for w, at in changes.items() if at is None]
    subjects, gone_names, new_names = _moved(counts.names, gone_f, came_f, 1)
    touched_owners = lost.keys() | owned.keys()
    gazetteer = frames.gazetteer.changed(
        [n for n in touched_owners if owners.size(n) and not new_owners.size(n)],
        [n for n in touched_owners if new_owners.size(n) and not owners.size(n)],
    )
    ids = getattr(facts, "ids", None) or [f.id for f in facts]
    scoring = (
        dict(zip(ids, range(len(ids)), strict=True)),
        new_signatures,
        scorer.signatures.changed(dropped, added),
        scorer.subject_words.changed(gone_names, new_names),
    )
    out = KeywordCounts(subjects, exact, held)
    out._spaced = new_spaced
    return (new_owners, gazetteer), scoring, out
