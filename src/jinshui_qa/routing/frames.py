"""Question frames: what a message asks, read into slots.

A :class:`Frame` holds the subject names the message mentions (from the gazetteer of the facts'
subjects and keywords, after the shared vocabulary), the attributes it asks for (count, money, share,
rank, date, year, duration, who, where, size, growth, people), and its qualifiers: the period, the
scope (new/added versus total, named subsets such as 国家级 or 专精特新) and the places it names other
than Jinshui. Zhengzhou and Henan are the frame of a share (占郑州市多少) or part of an address
(河南郑州金水区), not another place, unless the message asks about them instead of Jinshui.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import cast

from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.records import dataclass
from jinshui_qa.routing.pinyin_words import Lexicon, joined
from jinshui_qa.routing.wordlist import WordList, WordLists
from jinshui_qa.text import lazy_re, places
from jinshui_qa.text.normalize import Normalizer, fold, has_cjk
from jinshui_qa.text.noun_words import NOUNS
from jinshui_qa.text.periods import Period, asked_period


@dataclass(frozen=True)
class Frame:
    """One message read into slots; ``names`` are canonical subject names, longest first."""

    canonical: str
    names: tuple[str, ...] = ()
    attributes: frozenset[str] = frozenset()
    period: Period | None = None
    new: bool | None = None  # True: new/added; False: the total; None: not said
    subsets: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    outside: str = ""  # Zhengzhou or Henan asked about instead of Jinshui (not as a share's frame)
    level: str = ""  # the frame of a share or rank asked: city, province or nation
    threshold: str = ""  # a size threshold qualifying the subject (亿元以上)
    part: str = ""  # a part of the subject asked about: 重点项目里[已经竣工的]有几个
    home: bool = False  # names Jinshui (金水区, 贵区...)
    pinyin: bool = False  # the message was typed in pinyin (``canonical`` is Latin)
    days: tuple[int, ...] = ()  # days of the month asked about: 每月15号 -> (15,)
    day_label: str = ""  # the first day asked, as said: 每月15日, 3月26日
    which: int = 0  # 哪两个: how many things the message asks to have named
    countable: bool = False  # 重点项目有多少: a bare 有多少 after a subject naming countable things

    @property
    def qualified(self) -> bool:
        """Whether the message names any qualifier or attribute of its own (a follow-up may be only that)."""
        return bool(
            self.attributes
            or self.period
            or self.new is not None
            or self.subsets
            or self.other_places
            or self.outside
        )


class FrameReader:
    """Reads frames for one fact base: the gazetteer and lexicons are built once."""

    def __init__(
        self, base: FactBase, normalizer: Normalizer,
        names: tuple[Mapping[str, frozenset[int]], WordList] | None = None, *, later: bool = False,
    ) -> None:  # fmt: skip
        """``names``: the subject names' owners and word list built before over the same facts (a
        persisted snapshot's, :mod:`jinshui_qa.routing.state`), taken as they are. ``later``: made by
        :meth:`name_owners` (a full build, while a worker derives slots: they read the lexicons alone)."""
        self.normalizer = normalizer
        vocabulary = base.vocabulary
        if names is not None:
            self._named(*names)
        elif not later:
            self.name_owners(base)
        canon = normalizer.canonical  # lexicons in the form messages take after the vocabulary
        self.attributes = {
            kind: WordList(canon(w) for w in words) for kind, words in vocabulary.attributes.items()
        }
        self.new_words = WordList(canon(w) for w in vocabulary.scopes.get("new", ()))
        self.total_words = WordList(canon(w) for w in vocabulary.scopes.get("total", ()))
        self.subsets = WordList(canon(w) for w in vocabulary.scopes.get("subset", ()))
        self.home = WordList(normalizer.canonical(w) for w in places.HOME)
        self.frame_places = WordList(fold(w) for w in places.FRAME)
        self.share_frames = WordList(fold(w) for w in places.SHARE_FRAMES)
        self.other = WordList(fold(w) for w in (*places.OTHER, *places.NATION))
        self._in_rest = WordLists((*self.attributes.values(), self.new_words, self.total_words))  # fmt: skip
        self._in_whole = WordLists((self.subsets, self.home, self.other, self.frame_places, self.share_frames))  # fmt: skip
        self._measures = frozenset(w for k, ws in self.attributes.items() if k != "count" for w in ws.words)  # fmt: skip
        self.report_year = max((r.year for r in base.reports.values()), default=0)
        self._fillers, self._lexicon = vocabulary.fillers, cast("Lexicon | None", None)  # see lexicon()

    def name_owners(self, base: FactBase) -> None:
        """The subject names' owners over ``base``'s facts (the reader's own) and their word list."""
        owners = _owners(base, self.normalizer)
        self._named(owners, WordList(owners))

    def _named(self, owners: Mapping[str, frozenset[int]], gazetteer: WordList) -> None:
        self.owners, self.gazetteer = owners, gazetteer
        # a snapshot's owners make a set per look-up: they tell whether a fact is one without it
        self._holds: Callable[[str, int], bool] | None = getattr(owners, "holds", None)

    def read(self, canonical: str, *, pinyin: bool = False) -> Frame:
        """The frame of a message in canonical form; in ``pinyin`` input the lexicons' words are read by
        their spelling (:meth:`lexicon`) and a place by its spelling only in two syllables or more."""
        if pinyin:
            canonical = self.lexicon().said(canonical)
        names = self._names(canonical)
        rest = _without(canonical, names)
        in_rest, in_whole = self._in_rest.found(rest), self._in_whole.found(canonical)
        totals = in_rest[self.total_words]  # 增加到, 增长到 hold 增加, 增长: a level reached, not the change
        said = {(kind, w) for kind, words in self.attributes.items() for w in in_rest[words]
                if not _cuts_noun(rest, w) and not any(w != t and w in t for t in totals)}  # fmt: skip
        attributes = frozenset(kind for kind, w in said  # 几分 inside 几分之几 asks a share, not a score
                               if not any(w != other and w in other for _, other in said))  # fmt: skip
        if "count" not in attributes and self._counted(rest):
            attributes |= {"count"}  # 签约了多少项目: a count of things, not an amount
        bare = "".join(part for part in rest.split() if part not in places.HOME)
        countable = not attributes and bool(_HOW_MUCH.fullmatch(bare)) and any(map(_count_head, names))
        which = _WHICH_N.search(rest)
        if which:
            attributes |= {"name"}  # 哪4家: which ones, by name
        new: bool | None = None
        if any(not any(w != t and w in t for t in totals) for w in in_rest[self.new_words]):
            new = True
        elif totals or any(self.total_words.found(name) for name in names):
            new = False  # 市场主体总量: a name may say the total itself (新零售 is a name, not an addition)
        subsets = [w for w in in_whole[self.subsets] if not any(w in name for name in names)]
        excluded = self._excluded(canonical.replace(" ", ""), names)
        subsets += excluded
        kept = tuple(n for n in names if not any(n in word for word in excluded))
        names = kept or names  # 除了高新技术企业的科技型企业: the subject is what is left
        home = bool(in_whole[self.home])
        others = [p for p in in_whole[self.other] if not (pinyin and p.isascii() and not joined(p))
                  and not any(p in name for name in names)]  # fmt: skip
        others = [p for p in others if not any(p in longer and p != longer for longer in others)]
        framing = [p for p in (*in_whole[self.frame_places], *in_whole[self.share_frames])
                   if not any(p in name for name in names)]  # fmt: skip
        ranked = attributes & {"share", "rank"}
        levels = [places.LEVELS[p] for p in (*framing, *others) if p in places.LEVELS]
        level = levels[0] if ranked and levels else ""
        outside = ""
        if framing and not ranked:
            named = [p for p in framing if p in places.FRAME]
            whole = [p for p in framing if p in places.WHOLE]
            if named and not home:
                outside = named[0]  # Zhengzhou or Henan asked about instead of Jinshui
            elif whole and (attributes & {"count", "money", "people", "growth"} or not names
                            or _HOW_MUCH_ANY.search(rest)):  # fmt: skip
                outside = whole[0]  # 全市一共多少: the city as a whole
        if level == "nation":
            others = [p for p in others if places.LEVELS.get(p) != "nation"]
        threshold = m[0] if (m := _THRESHOLD.search(canonical)) else ""
        part = m[1] if (m := _PART.search(canonical)) else ""
        return Frame(canonical, names, attributes, asked_period(canonical, self.report_year), new,
                     tuple(subsets), tuple(others), outside, level, threshold, part, home, pinyin,
                     *_days(canonical), int(which[1]) if which else 0, countable)  # fmt: skip

    def _counted(self, text: str) -> bool:
        """Whether 多少/几 asks for a number of things named right after it by a common noun (多少项目)."""
        measures = self._measures
        for m in _HOW_MANY.finditer(text.replace(" ", "")):
            after = m.group(1)
            noun = next((after[:n] for n in (4, 3, 2) if after[:n] in NOUNS), "")
            if noun and not noun.endswith(_AMOUNTS) and not any(noun in w or w in noun for w in measures):
                return True
        return False

    def _excluded(self, text: str, names: tuple[str, ...]) -> list[str]:
        """Parts of a subject asked without another (非高新的科技型企业, 除了高新技术企业): a subset no fact
        counts unless it says so, named as the message says it (非高新, 高新技术企业以外)."""
        out: list[str] = []
        for m in _NOT.finditer(text):
            word = m[1]
            if self.subsets.found(word) or any(word in name for name in self.owners if has_cjk(name)):
                out.append(f"非{word}")
        for m in _EXCEPT.finditer(text):
            word = m[1]
            if any(name in word for name in names):
                out.append(f"{word}以外")
        return out

    def lexicon(self) -> Lexicon:
        """The Chinese words of the attribute, scope and share lexicons spelled in pinyin, made on first use."""
        if self._lexicon is None:
            lists = (*self.attributes.values(), self.new_words, self.total_words, self.subsets)
            words = [w for words in (*lists, self.share_frames) for w in words.words]
            self._lexicon = Lexicon(words, map(self.normalizer.canonical, self._fillers))
        return self._lexicon

    def colloquial(self, text: str) -> str:
        """``text`` with only the colloquial lexicon applied (恁好 -> 您好), for small talk."""
        return self.normalizer.colloquial(text)

    def _names(self, canonical: str) -> tuple[str, ...]:
        """Subject names found, longest first, dropping names inside a longer one found."""
        found = self.gazetteer.found(canonical)
        kept: list[str] = []
        for name in found:
            if not any(name in longer for longer in kept):
                kept.append(name)
        return tuple(kept)

    def facts_named(self, frame: Frame) -> frozenset[int]:
        """Positions of the facts owning a subject name the frame mentions."""
        if len(frame.names) == 1:  # the owners as held: no copy of a name's thousands of owners
            return self.owners[frame.names[0]]
        out: set[int] = set()
        for name in frame.names:
            out |= self.owners[name]
        return frozenset(out)

    def names_fact(self, frame: Frame, position: int) -> bool:
        """Whether the fact at ``position`` owns a subject name the frame mentions (``position in
        facts_named(frame)``, without making the set)."""
        return any(self.owns(name, position) for name in frame.names)

    def owns(self, name: str, position: int) -> bool:
        """Whether the fact at ``position`` owns the subject name ``name`` (``position in owners[name]``)."""
        return self._holds(name, position) if self._holds is not None else position in self.owners[name]


def _owners(base: FactBase, normalizer: Normalizer) -> dict[str, frozenset[int]]:
    """Each subject name (keywords and subjects, canonical) and the positions of the facts naming it."""
    owners: dict[str, set[int]] = defaultdict(set)
    for i, fact in enumerate(base.facts):
        for name in owner_names(fact, normalizer.canonical):
            owners[name].add(i)
    return {name: frozenset(ids) for name, ids in owners.items()}


def owner_names(fact: Fact, canonical: Callable[[str], str]) -> dict[str, None]:
    """The subject names ``fact`` owns: its keywords and subject, ``canonical``, of two characters or more
    (in the order it names them: the owners' order, a snapshot's bytes, does not depend on the hash seed)."""
    out: dict[str, None] = {}
    for name in (*fact.keywords, *((fact.subject.zh, fact.subject.en) if fact.subject else ())):
        form = canonical(name)
        if len(form.replace(" ", "")) >= 2 and form not in places.HOME:
            out[form] = None
            if form.isascii() and form[-1].isalpha() and not form.endswith("s"):
                out[form + "s"] = None  # chief service officers names the officer too
    return out


_DAY = lazy_re.compile(r"(?<![\d.])(?:(1[0-2]|[1-9])月(?:份)?)?(\d{1,2})(?:号|日)(?!\d)", needs=("号", "日"))
_AMOUNT_HEADS = frozenset("款金资费钱额税值润薪")  # 多少贷款, 多少资金: an amount, not a count
_AMOUNTS = (*_AMOUNT_HEADS, "元", "币", "镑")  # 多少欧元, 多少港币: money too
_HOW_MANY = lazy_re.compile(
    r"(?:多少|几)(?:个|家|项|名|位|所|条)?([\u4e00-\u9fff]{2,4})", needs=("多少", "几")
)
_NOT = lazy_re.compile(
    r"(?<![是并而])非(?!常|要|得|遗|法|凡)([\u4e00-\u9fff]{2,8}?)(?:的|类|型)", needs=("非",)
)
_EXCEPT = lazy_re.compile(
    r"除(?:了|去|开)?([\u4e00-\u9fff]{2,12}?)(?:以外|之外|外|，|,| |还|剩|(?=金水|全区|区里|辖区))",
    needs=("除",),
)
_HOW_MUCH_ANY = lazy_re.compile(
    r"多少|几|一共|总共|how many|how much|in total"
)  # 全市一共多少: the city's own total
_HOW_MUCH = lazy_re.compile(
    r"[有是的共一总现在目前还]*(?:多少|几)[个家项所座]?[呢啊呀吗]?", needs=("多少", "几")
)


def _count_head(name: str) -> bool:
    """Whether a subject name ends in a noun of countable things (重点项目, 重点实验室), not an amount
    (担保贷款, 专项债资金)."""
    return has_cjk(name) and name[-1] not in _AMOUNT_HEADS and any(name[-n:] in NOUNS for n in (2, 3, 4))


_WHICH_N = lazy_re.compile(r"哪(\d+)(?:家|个|项|位|名|条|类|种)", needs=("哪",))
_PART = lazy_re.compile(
    r"(?<!报道|新闻|文章|报告|网上|媒体|材料)(?:里|当中|之中|其中)(?:的|面|头)?([\u4e00-\u9fff]{2,12}?)(?:的)?(?:有|是|拿了|占|共有|一共|多少|几)",
    needs=("里", "中"),
)
_THRESHOLD = lazy_re.compile(r"(?:\d+(?:\.\d+)?)?(?:万|亿)?元?(?:以上|以下|及以上)", needs=("以上", "以下"))


def _days(canonical: str) -> tuple[tuple[int, ...], str]:
    """Days of the month a message names (每月15号, 3月26日) and how to say the first."""
    found = [(m[1], int(m[2])) for m in _DAY.finditer(canonical) if 1 <= int(m[2]) <= 31]
    if not found:
        return (), ""
    month, day = found[0]
    return tuple(sorted({d for _, d in found})), f"{month}月{day}日" if month else f"每月{day}日"


def _cuts_noun(text: str, word: str) -> bool:
    """Whether every occurrence of ``word`` in ``text`` ends inside a common noun: 多少人 in 多少人才.
    Nouns inside a place name (州市 of 郑州市) do not count."""
    bare = text.replace(" ", "")
    if not has_cjk(word) or word.replace(" ", "") not in bare:
        return False
    placed = [p for p in (*places.HOME, *places.FRAME) if p in bare]
    for m in re.finditer(re.escape(word.replace(" ", "")), bare):
        end = m.end()
        cut = any(noun in NOUNS and not any(noun in p for p in placed)
                  for noun in (bare[end - 1 : end + j] for j in (1, 2, 3)) if end < len(bare))  # fmt: skip
        if not cut:
            return False
    return True


def _without(text: str, words: tuple[str, ...]) -> str:
    for word in words:
        text = text.replace(word, " ")
    return re.sub(r"\s+", " ", text)
