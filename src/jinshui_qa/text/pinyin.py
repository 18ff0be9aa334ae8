"""Toneless pinyin: recognise questions typed in pinyin and spell Chinese text as pinyin syllables.

``segment("jinxiaoer")`` -> ``["jin", "xiao", "er"]``; ``looks_like_pinyin`` decides whether Latin
input is pinyin rather than English; ``syllables("金小二")`` spells Chinese with pypinyin, which is
loaded on first use only (it takes about 0.2 s).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from jinshui_qa.text import lazy_re
from jinshui_qa.text.polyphones import READINGS

SYLLABLES = frozenset(
    """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao
    ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui
    chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de den deng di dian diao die ding diu
    dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao
    ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong
    hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
    ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le
    lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang
    mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni
    nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen
    peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que
    qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha
    shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song
    sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun
    tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
    ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha
    zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi
    zong zou zu zuan zui zun zuo
    """.split()  # noqa: SIM905
)
_LONGEST = max(len(s) for s in SYLLABLES)
_WORD = lazy_re.compile(r"[a-z]+")


SEGMENT_CACHE = 4096  # words; bounded, so a flood of distinct Latin words cannot grow memory (issue 11)
READING_CACHE = 32_768  # characters; bounded, as a message may hold any of the ~90,000 Han characters
LONGEST_WORD = 60  # letters: a longer "word" is never pinyin, and its segmentation would cost O(n * 6)


@lru_cache(maxsize=SEGMENT_CACHE)
def segment(word: str) -> tuple[str, ...] | None:
    """Split one Latin word into pinyin syllables (fewest syllables wins), or None if impossible."""
    if len(word) > LONGEST_WORD:
        return None
    word = word.replace("ü", "v").replace("u:", "v")
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - _LONGEST), end):
            head = best[start]
            piece = word[start:end]
            if head is not None and piece in SYLLABLES:
                candidate = (*head, piece)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(word)]


def looks_like_pinyin(text: str, english_words: Iterable[str] = ()) -> bool:
    """True when every Latin word spells pinyin, they spell at least two syllables (one, such as «e», is
    hundreds of characters: 额, 饿, 鹅) and at least half of them are not English words."""
    words = _WORD.findall(text.lower())
    if not words or re.search(r"[^a-z0-9\s?!.,'’~+%-]", text.lower()):
        return False
    known = set(english_words)
    spelled = [segment(w) for w in words]
    if any(s is None for s in spelled) or sum(len(s or ()) for s in spelled) < 2:
        return False
    foreign = sum(1 for w in words if w not in known)
    if foreign * 2 >= len(words):
        return True
    joined = " ".join(
        words
    )  # 「jin xiao er shi shen me」: names spelled like the facts' own, asked in pinyin
    return any(f" {ask} " in f" {joined} " for ask in _PINYIN_ASKS)


# Question words of Chinese typed in pinyin (never English words): their presence makes a message pinyin
# even when its names are spelled as the facts' English spells them (Jin Xiao'er).
_PINYIN_ASKS = (
    "shenme",
    "shen me",
    "duoshao",
    "duo shao",
    "zenme",
    "zen me",
    "zenmeyang",
    "nali",
    "na li",
    "nage",
    "jige",
    "ji ge",
    "jijia",
    "ji jia",
    "shi sha",
    "sha shi",
    "you meiyou",
    "you mei you",
    "shi shei",
)


def read_pinyin(text: str) -> list[str]:
    """The syllables of pinyin input: ``"gaoxin qiye"`` -> ``["gao", "xin", "qi", "ye"]``."""
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        out.extend(segment(word) or (word,))
    return out


@cache
def _pinyin_module() -> Any:
    # Single-character readings only: the phrase dictionary costs 0.25 s to load and changes no result
    # on the evaluation set, since questions and phrasings are spelled the same way.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    import pypinyin

    return pypinyin


_DIGIT_SYLLABLES = dict(
    zip("0123456789", ["ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu"], strict=True)
)


def syllables(text: str) -> list[str]:
    """Spell ``text`` as toneless syllables: Chinese characters and single digits (金小2 -> jin xiao er).

    Characters are read one by one (each looked up once and memoised, :func:`_reading`, bounded; same
    output as ``pypinyin.lazy_pinyin`` without its phrase dictionary, at about a twentieth of the cost),
    except in the common words whose reading differs (:mod:`jinshui_qa.text.polyphones`): 行业 is
    hang ye and 银行 yin hang, on the facts' side and the question's alike.

    Done as: the common words replaced by their readings, then every other Chinese character by its
    reading (``str.translate``, :class:`_Spelling`), each between spaces, and the text split into
    parts (a Latin word into its letter runs); ``tests/text/test_fast_paths.py`` checks it against the
    definition, run by run.
    """
    if _DIGIT.search(text):
        text = _LONE_DIGIT.sub(lambda m: f" {_DIGIT_SYLLABLES[m.group(0)]} ", text)
    # a process's first texts tested by a set, not by compiling the class (11 M instructions)
    _SPELLED[0] += 1
    if (not _POLYPHONIC_CHARS.isdisjoint(text)) if _SPELLED[0] <= SCANNED else _POLYPHONIC.search(text):
        text = _common_words(text)
    spelled = text.translate(_SPELLING)
    if not _UPPER.search(spelled):  # no Latin word to cut into its [a-z] runs (a folded text)
        return spelled.split()
    out: list[str] = []
    for part in spelled.split():
        if part.isascii() and part.isalpha() and not part.islower():
            out += _WORD.findall(part)
        else:
            out.append(part)
    return out


def read_alone(text: str) -> bool:
    """Whether :func:`syllables` reads each character of ``text`` on its own: no digit, and no common
    word read otherwise (the index's ids by character, :mod:`jinshui_qa.routing.text_ids`)."""
    if _DIGIT.search(text):
        return False
    return _POLYPHONIC_CHARS.isdisjoint(text) or _common_words(text) is text


class _Spelling(dict[int, str]):
    """``str.translate``'s table: a Chinese character (as ``_HAN_RUNS`` reads one) to its reading
    between spaces, any other character to itself; filled on first sight, cleared with the readings."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        # not compiled (2 ms of ask's cold start) for a character read before (only those _HAN_RUNS reads
        # are read: a snapshot's, at a start) nor for one below 〇 (U+3007), the first it reads
        known = _READINGS.get(char)
        if known is not None or (code >= _FIRST_HAN and _han_runs().fullmatch(char)):
            spelled = f" {known if known is not None else _reading(char)} "
        else:
            spelled = char
        if len(self) >= 2 * READING_CACHE:
            self.clear()
        self[code] = spelled
        return spelled


_SPELLING = _Spelling()


SCANNED = 2_000  # texts whose common words are found in Python before the automaton is built (2 ms)
_SCANS = [0]
_AUTOMATON: list[Any] = []  # once built: the automaton's search and each word's reading between spaces


def _common_words(text: str) -> str:
    """``text`` with each common word (2-4 characters, leftmost first, the longest at a place first)
    replaced by its own reading between spaces: in Python (:func:`_scan_words`) for the first
    ``SCANNED`` texts, then by a leftmost-longest Aho-Corasick automaton, the same matches in one pass
    (these words need no boundaries; a build spells some ten thousand texts per thousand facts)."""
    if _SCANS[0] < SCANNED:
        _SCANS[0] += 1  # a race between threads only moves the switch by a text or two
        return _scan_words(text)
    if not _AUTOMATON:
        import ahocorasick_rs

        words = list(READINGS)
        find = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        _AUTOMATON[:] = [find.find_matches_as_indexes, [f" {' '.join(READINGS[w])} " for w in words]]
    find, spaced = _AUTOMATON
    out: list[str] = []
    done = 0
    for k, start, stop in find(text):
        out += (text[done:start], spaced[k])
        done = stop
    return "".join(out) + text[done:] if out else text


def _scan_words(text: str) -> str:
    """:func:`_common_words` in Python: at each place where a word may start, 4, 3 then 2 characters."""
    out: list[str] = []
    done = at = 0
    end = len(text)
    starts = _FIRST_CHARS  # where a word may start (a class compiled for it cost 11 M instructions)
    at = next((k for k, c in enumerate(text) if c in starts), end)
    while at < end:
        word = text[at : at + 4]
        if word not in READINGS:
            word = text[at : at + 3]
            if word not in READINGS:
                word = text[at : at + 2]
        if word in READINGS:
            out += (text[done:at], " ", " ".join(READINGS[word]), " ")
            done = at = at + len(word)
        else:
            at += 1
        while at < end and text[at] not in starts:
            at += 1
    return "".join(out) + text[done:] if out else text


def _parts(piece: str) -> list[str]:
    out: list[str] = []
    for part in piece.split():
        out.extend(_WORD.findall(part) if part.isascii() and part.isalpha() else [part])
    return out


_UPPER = lazy_re.compile("[A-Z]")
_FIRST_CHARS = frozenset(word[0] for word in READINGS)  # where one may start
_DIGIT = lazy_re.compile("[0-9]")
_LONE_DIGIT = lazy_re.compile(r"(?<![0-9.])[0-9](?![0-9.])")
_POLYPHONIC_CHARS = frozenset(ch for word in READINGS for ch in word)
_POLYPHONIC = lazy_re.compile("[" + "".join(sorted(_POLYPHONIC_CHARS)) + "]")  # after the first SCANNED texts
_SPELLED = [0]  # texts spelled so far


# The characters pypinyin reads (its ``RE_HANS``, copied so that spelling a known character needs no
# import of pypinyin and its 0.3 s dictionary; a test checks the copy against pypinyin's own).
HANS = "(?:[\\u3007\\ue815-\\ue864\\ufa18\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\U00020000-\\U0002A6DF\\U0002A703-\\U0002B73F\\U0002B740-\\U0002B81D\\U0002B825-\\U0002BF6E\\U0002C029-\\U0002CE93\\U0002D016\\U0002D11B-\\U0002EBD9\\U0002F80A-\\U0002FA1F\\U00030000-\\U0003134A\\U000300F7-\\U00031288\\U00030EDD\\U00030EDE\\U00031350-\\U00032389])+"
_HAN_RUNS = lazy_re.compile("(" + HANS + ")")
_FIRST_HAN = 0x3007  # the first character HANS reads (tests/test_cold_start.py)
_READINGS: dict[str, str] = {}


def _han_runs() -> re.Pattern[str]:
    return _HAN_RUNS.compiled


def _reading(char: str) -> str:
    """One character's toneless reading(s), memoised (bounded: cleared when ``READING_CACHE`` is full)."""
    hit = _READINGS.get(char)
    if hit is None:
        pypinyin = _pinyin_module()
        hit = " ".join(pypinyin.lazy_pinyin(char, style=pypinyin.Style.NORMAL, errors=lambda s: [s]))
        if len(_READINGS) >= READING_CACHE:
            _READINGS.clear()
            _SPELLING.clear()
        _READINGS[char] = hit
    return hit


def readings() -> dict[str, str]:
    """The readings looked up so far (after a build: the fact base's characters), for a snapshot."""
    return dict(_READINGS)


def keep_readings(known: dict[str, str]) -> None:
    """Hold ``known`` (from :func:`readings`) as the readings looked up so far, and no other."""
    _READINGS.clear()
    _READINGS.update(known)


def seed_readings(known: dict[str, str]) -> None:
    """Take readings from :func:`readings` of an earlier process (a persisted snapshot)."""
    if len(_READINGS) + len(known) <= READING_CACHE:
        _READINGS.update(known)
