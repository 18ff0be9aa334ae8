"""One run of Chinese characters of a message, placed against one fact (:mod:`jinshui_qa.routing.placement`).

Most of what decides which words of a run are placed depends on the message alone: the lexicon's words
in it, the names placed already, the word boundaries they set, its common nouns. :func:`plan` works that
out once per run and names (memoised, bounded); :func:`unplaced` then reads, for one fact, only what
depends on the fact: whether its text (or its sounds) holds each piece left. Each start's pieces are
read shortest first and the first one the fact cannot place ends that start: a longer piece holds the
shorter, so a text (or a spelling) without the shorter has no longer one either, and three syllables
heard at a start place its two characters too. The result is that of reading every piece.
"""

from __future__ import annotations

from collections.abc import Set
from functools import lru_cache

from jinshui_qa.records import dataclass
from jinshui_qa.routing.views import kept
from jinshui_qa.text.noun_words import NOUNS

LONGEST = 8
PLANS = 4_096  # runs (with the names placed in them) whose plan is kept
# Structural particles and pronouns: a single one of these is filler wherever it stands. Any other
# single filler character (a measure word like 口 or 号) only joins a run with an unplaced neighbour:
# 人口 is not 人 + the measure word 口.
STRUCTURAL = frozenset(
    "的了吗呢吧啊呀嘛么是有在和与及或也都还就很太最之其该这那哪谁啥几多少个家我你您他她它们把被对从向给让为于以而但又再才只已将会能要想请问"
)


@dataclass(frozen=True, slots=True)
class Plan:
    """What of placing ``run`` the message alone decides (with ``names`` placed already)."""

    covered: tuple[bool, ...]  # by a name or a lexicon word of the run, whatever the fact
    spans: tuple[tuple[int, int], ...]  # those pieces
    singles: tuple[
        int, ...
    ]  # single lexicon characters (not structural): placed if the fact holds them, else weak
    pieces: tuple[tuple[int, tuple[str, ...]], ...]  # per start, the pieces a fact may place, shortest first
    lexical: frozenset[int]  # the word boundaries of names and lexicon words
    nouns: tuple[tuple[int, int], ...]  # the run's common nouns not in the lexicon


class Runs:
    """Runs placed against facts, for one lexicon of ``general`` words (filler, frames' words)."""

    def __init__(self, general: Set[str]) -> None:
        self.general = general
        self._memo: dict[tuple[str, tuple[str, ...]], Plan] = {}

    def plan(self, run: str, names: tuple[str, ...]) -> Plan:
        """The :class:`Plan` of ``run`` with ``names`` placed (memoised, bounded)."""
        hit = self._memo.get((run, names))
        if hit is None:
            hit = kept(self._memo, (run, names), plan(run, names, self.general), PLANS)
        return hit

    def unplaced(
        self, run: str, names: tuple[str, ...], text: str, fact_sounds: str, sounds: list[str]
    ) -> list[str]:
        """:func:`unplaced` with this lexicon's memoised plan."""
        return unplaced(run, self.plan(run, names), text, fact_sounds, sounds)


def plan(run: str, names: tuple[str, ...], general: Set[str]) -> Plan:
    """What of placing ``run`` depends on the run, the ``names`` placed and the ``general`` lexicon alone."""
    n = len(run)
    covered = [False] * n
    bounds: set[int] = set()
    spans: list[tuple[int, int]] = []
    for name in names:
        for start, end in _occurrences(name, run):
            covered[start:end] = [True] * len(name)
            bounds |= {start, end}
            spans.append((start, end))
    for i in range(n):  # lexicon words too: 金水区|人口 must not be read as the fact's 辖区人才
        for size in range(min(LONGEST, n - i), 2, -1):
            if run[i : i + size] in general:
                bounds |= {i, i + size}
                break
    singles: list[int] = []
    pieces: list[tuple[int, tuple[str, ...]]] = []
    after = [n + 1] * (n + 1)  # after[i]: the first bound past i
    for b in sorted(bounds, reverse=True):
        for i in range(max(0, b - LONGEST), min(b, n + 1)):
            after[i] = b
    for i in range(n):
        content: list[str] = []
        for size in range(1, min(LONGEST, n - i) + 1):
            piece = run[i : i + size]
            if piece in general:  # placed whatever the fact, but a single one not structural
                if size == 1 and piece not in STRUCTURAL:
                    singles.append(i)
                else:
                    covered[i : i + size] = [True] * size
                    spans.append((i, i + size))
            elif after[i] < i + size:
                continue  # a piece across a name's edge (蜜雪冰城|市值 read as 城市) places nothing
            elif size >= 2:
                content.append(piece)
        if content:
            pieces.append((i, tuple(content)))
    lexical = bounds | {b for i in range(n - 1) if run[i : i + 2] in general for b in (i, i + 2)}
    nouns = [(i, i + size) for i in range(n) for size in (2, 3, 4)
             if i + size <= n and run[i : i + size] in NOUNS and run[i : i + size] not in general]  # fmt: skip
    return Plan(tuple(covered), tuple(spans), tuple(singles), tuple(pieces), frozenset(lexical), tuple(nouns))


def unplaced(run: str, p: Plan, text: str, fact_sounds: str, sounds: list[str]) -> list[str]:
    """Runs of two or more characters of ``run`` (planned as ``p``) that no placed word covers, for a
    fact of canonical ``text`` spelled ``fact_sounds`` (see ``Placement.sounds``); ``sounds``: the run's
    syllables ([]: placed by characters only)."""
    covered = list(p.covered)
    weak = [False] * len(run)
    spans = list(p.spans)
    for i in p.singles:
        if run[i] in text:
            covered[i] = True
            spans.append((i, i + 1))
        else:
            weak[i] = True
    for i, content in p.pieces:
        for piece in content:  # shortest first: the first one not placed ends the start (see above)
            size = len(piece)
            if piece in text or (
                sounds
                and (
                    (
                        size >= 3
                        and all(heard := sounds[i : i + size])
                        and f" {' '.join(heard)} " in fact_sounds
                    )
                    or (size == 2 and sounds_near(i, sounds, fact_sounds, piece, text))
                )
            ):
                covered[i : i + size] = [True] * size
                spans.append((i, i + size))
            else:
                break
    whole = {(a, b) for a, b in p.nouns if any(s <= a and b <= e for s, e in spans)}
    for start, end in p.nouns:  # 大型 in 大型企业 is not placed by 科技型企业's 型企 (a modifier of a noun)
        if not any(a == end for a, _ in whole):
            continue  # only a noun right before a noun the fact holds: 大型|企业, 总部|企业
        heard_noun = (
            bool(sounds) and all(sounds[start:end]) and f" {' '.join(sounds[start:end])} " in fact_sounds
        )
        if (
            not heard_noun
            and not any(s <= start and end <= e for s, e in spans)
            and not any(start < b < end for b in p.lexical)
        ):
            covered[start:end] = [False] * (end - start)
    for i, is_weak in enumerate(weak):  # a weak single joins an unplaced neighbour, else it is filler
        if is_weak and not covered[i]:
            alone = not (i > 0 and not covered[i - 1] and not weak[i - 1]) and not (
                i + 1 < len(run) and not covered[i + 1] and not weak[i + 1]
            )
            covered[i] = alone
    left: list[str] = []
    current = ""
    for ch, done in zip(run, covered, strict=True):
        if done:
            if len(current) >= 2:
                left.append(current)
            current = ""
        else:
            current += ch
    if len(current) >= 2:
        left.append(current)
    return left


def _occurrences(word: str, text: str) -> list[tuple[int, int]]:
    """Where ``word`` occurs in ``text``, left to right, not overlapping: the spans of ``re.finditer(re.escape(
    word), text)`` without compiling a pattern per name (0.1-1 ms each, and the names are many)."""
    if not word:
        return [(i, i) for i in range(len(text) + 1)]
    out: list[tuple[int, int]] = []
    at = text.find(word)
    while at >= 0:
        out.append((at, at + len(word)))
        at = text.find(word, at + len(word))
    return out


def _cjk_runs(text: str) -> list[str]:
    """The runs of characters in U+3400..U+9FFF, in order: ``re.findall("[\\u3400-\\u9fff]+", text)``
    without compiling the class (2 ms on a first question)."""
    runs: list[str] = []
    start = -1
    for i, ch in enumerate(text):
        if "\u3400" <= ch <= "\u9fff":
            if start < 0:
                start = i
        elif start >= 0:
            runs.append(text[start:i])
            start = -1
    if start >= 0:
        runs.append(text[start:])
    return runs


def sounds_near(i: int, sounds: list[str], fact_sounds: str, piece: str, text: str) -> bool:
    """Two characters placed by sound: with a neighbour (金晓二 as 金小二: jin xiao er), or keeping one
    of their characters (人材 as 人才); ``text``: the fact's, ``fact_sounds`` its syllables."""
    pair = sounds[i : i + 2]
    if all(pair) and f" {' '.join(pair)} " in fact_sounds:
        chars, spelled = _aligned(text, fact_sounds)
        if len(chars) == len(spelled):  # aligned: one syllable per character, "|" between runs
            first, second = pair
            j, last = -1, len(spelled) - 1
            while (j := _find(spelled, first, j + 1, last)) >= 0:  # where the pair is heard in the fact
                held = (chars[j] == piece[0] and piece[0] not in STRUCTURAL) or (
                    chars[j + 1] == piece[1] and piece[1] not in STRUCTURAL
                )  # the character kept is content, not 是 in 话是 (hua shi as 化是)
                if spelled[j + 1] == second and held:
                    return True
    for start in (i - 1, i):
        window = sounds[max(0, start) : start + 3]
        if start >= 0 and len(window) == 3 and all(window) and f" {' '.join(window)} " in fact_sounds:
            return True
    return False


@lru_cache(maxsize=256)
def _aligned(text: str, fact_sounds: str) -> tuple[str, tuple[str, ...]]:
    """A fact's Chinese characters (``|`` between runs) and its syllables (``Placement.sounds``), to be
    aligned one to one by :func:`sounds_near`: memoised (bounded), as a fact's pieces are heard one by one
    and each read the whole text through (a Python step per character)."""
    return "|".join(_cjk_runs(text)) + "|", tuple(fact_sounds.split())


def _find(items: tuple[str, ...], item: str, start: int, stop: int) -> int:
    """The first index of ``item`` in ``items[start:stop]``, or -1."""
    try:
        return items.index(item, start, stop)
    except ValueError:
        return -1
