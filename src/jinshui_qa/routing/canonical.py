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
document frequencies). Nothing here makes an object per posting for a full build's layout.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

from jinshui_qa.routing.packed import CHANNELS, END, Postings, Rows, Tokens, ints
from jinshui_qa.routing.segments import Layout

_CHUNK = 1 << 20  # ids renumbered per call into C: a writer thread gives up the GIL between chunks


def canonical(layout: Layout) -> Layout:
    """``layout`` as one full build of its facts lays it out, its tokens numbered in string order."""
    words, df = layout.tokens.words, layout.df
    held = sorted((t for t in range(layout.count) if df[t]), key=words.__getitem__)
    renumber = ints([END]) * (layout.count + 1)  # renumber[END] (the last) is END: documents stay ended
    for new, t in enumerate(held):
        renumber[t] = new
    if layout.remap is None:  # the base is in position order: each channel renumbered at once
        starts: Sequence[array[int]] = [ints(s) for s in layout.base.starts]
        toks: Sequence[Sequence[int]] = layout.base.toks
    else:  # the facts' rows from the base and the delta, in position order
        merged = Rows()
        for i in range(len(layout)):
            merged.add([layout.row(i, c) for c in range(CHANNELS)])
        starts, toks = merged.starts, merged.toks
    rows = Rows(starts, [_renumbered(t, renumber.__getitem__) for t in toks])
    start, flat = ints([0]), ints()
    for t in held:
        if layout.remap is None:
            flat.frombytes(memoryview(layout.postings.of(t)).cast("B"))
        else:
            flat.extend(layout.positions(t))
        start.append(len(flat))
    wt = array("d", [layout.wt[t] for t in held])
    count = len(held)
    return Layout(Tokens([words[t] for t in held]), count, rows, Postings(start, flat), Rows(),
                  ints(range(len(layout))), None, ints(df[t] for t in held), wt, layout.with_pinyin)  # fmt: skip


def _renumbered(ids: Sequence[int], renumber: Callable[[int], int]) -> array[int]:
    out = ints()
    for at in range(0, len(ids), _CHUNK):
        out.extend(map(renumber, ids[at : at + _CHUNK]))
    return out
