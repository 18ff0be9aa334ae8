"""The index's layout as the snapshot stores it: one base segment, token ids in the order of their strings.

An index in memory numbers its tokens in the order it met them, and a reload's index keeps its
predecessor's base segment with a delta segment and a remap (:mod:`jinshui_qa.routing.segments`):
its token table still holds the tokens of facts that left (document frequency 0). Stored as it is,
a snapshot written after a reload would make every start pay the remap (each question's postings
mapped and sorted) and its bytes would depend on the build's history and on the hash seed.

:func:`canonical` writes instead the layout of a full build of the same facts, with a numbering that
depends only on them: the tokens any fact holds, sorted by their strings, and every row in position
order. A full build's snapshot and the one written after reloads to the same facts are the same
bytes. Each row's ids stay in the order they were (the tokeniser orders each document and bag by the
tokens' strings, :class:`~jinshui_qa.routing.index.Index`), so a renumbering in string order keeps
them in order. The weights are carried over (a full build computes the same ones from the same
document frequencies).

Cost at 100,000 facts (CPU, measured on a loaded machine): nothing for a layout a snapshot held (its
numbering is this one already); a reload's layout numbered so (no token come or gone) has its rows
copied by runs and only the postings of the tokens its changed facts hold merged again, 1.5 s under
the profiler; one numbered otherwise (a full build's, or tokens come or gone) has its 86 million ids
renumbered, 6.6 s, in chunks so that questions answered meanwhile wait a few milliseconds at most.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable

from jinshui_qa.routing.packed import CHANNELS, END, Postings, Rows, Tokens, floats, ints
from jinshui_qa.routing.segments import Layout

_CHUNK = 1 << 16  # ids renumbered per call into C (some 3 ms): a writer thread lets questions run between


def canonical(layout: Layout) -> Layout:
    """``layout`` as one full build of its facts lays it out, its tokens numbered in string order."""
    words, df, count = layout.tokens.words, layout.df, layout.count
    held = sorted((t for t in range(count) if df[t]), key=words.__getitem__)
    same = held == list(range(count))  # numbered so already (a layout a snapshot held, no token come or gone)
    if same and layout.remap is None:
        return layout
    rows, postings = _merged(layout) if layout.remap is not None else (layout.base, layout.postings)
    if same:
        return Layout(layout.tokens, count, rows, postings, Rows(), ints(range(len(layout))), None,
                      ints(df), floats(layout.wt), layout.with_pinyin)  # fmt: skip
    renumber = [END] * (count + 1)  # renumber[END] (the last) is END: documents stay ended
    for new, t in enumerate(held):
        renumber[t] = new
    rows = Rows([ints(s) for s in rows.starts], [_renumbered(t, renumber.__getitem__) for t in rows.toks])
    start, flat = ints([0]), ints()
    for t in held:
        flat.frombytes(memoryview(postings.of(t)).cast("B"))
        start.append(len(flat))
    wt = array("d", [layout.wt[t] for t in held])
    return Layout(Tokens([words[t] for t in held]), len(held), rows, Postings(start, flat), Rows(),
                  ints(range(len(layout))), None, ints(df[t] for t in held), wt, layout.with_pinyin)  # fmt: skip


def _merged(layout: Layout) -> tuple[Rows, Postings]:
    """The rows of every position, from the base or the delta, and each token's positions (the base's
    postings through the remap, which keeps their order, with the delta's), by the layout's token ids."""
    assert layout.remap is not None
    remap = layout.remap.tolist()
    kept = [p for p in remap if p >= 0]
    ordered = all(map(int.__lt__, kept, kept[1:]))  # the base's facts in their order (as a reload keeps them)
    base = layout.postings
    same = all(p in (r, -1) for r, p in enumerate(remap))  # no position moved: e.g. a fact edited in place
    touched = set(layout.delta_postings)  # the tokens whose postings differ from the base's, then
    for r in (r for r, p in enumerate(remap) if p < 0) if same else ():
        for channel in layout.channels:
            touched.update(layout.base.row(r, channel).tolist())
    start, flat = ints([0]), ints()
    for t in range(layout.count):
        if same and t not in touched:
            flat.frombytes(memoryview(base.of(t)).cast("B"))
            start.append(len(flat))
            continue
        held = list(map(remap.__getitem__, base.of(t).tolist()))
        if -1 in held:  # a fact that left
            held = [p for p in held if p >= 0]
        extra = layout.delta_postings.get(t)
        if extra is not None or not ordered:
            held = sorted(held + (extra.tolist() if extra is not None else []))
        flat.fromlist(held)
        start.append(len(flat))
    return _rows(layout), Postings(start, flat)


def _rows(layout: Layout) -> Rows:
    """The rows of every position: runs of consecutive base rows copied at once, the delta's one by one."""
    origin = layout.origin.tolist()
    starts, toks = [ints([0]) for _ in range(CHANNELS)], [ints() for _ in range(CHANNELS)]
    i, n = 0, len(origin)
    while i < n:
        o = origin[i]
        if o < 0:
            for channel in range(CHANNELS):
                toks[channel].frombytes(memoryview(layout.delta.row(-o - 1, channel)).cast("B"))
                starts[channel].append(len(toks[channel]))
            i += 1
            continue
        j = i + 1
        while j < n and origin[j] == origin[j - 1] + 1:
            j += 1
        end = o + j - i
        for channel in range(CHANNELS):
            begun, held = layout.base.starts[channel], layout.base.toks[channel]
            shift = len(toks[channel]) - begun[o]
            toks[channel].frombytes(memoryview(held[begun[o] : begun[end]]).cast("B"))
            starts[channel].fromlist([at + shift for at in begun[o + 1 : end + 1].tolist()])
        i = j
    return Rows(starts, toks)


def _renumbered(ids: array[int], renumber: Callable[[int], int]) -> array[int]:
    out = ints()
    for at in range(0, len(ids), _CHUNK):
        out.fromlist(list(map(renumber, ids[at : at + _CHUNK].tolist())))
    return out
