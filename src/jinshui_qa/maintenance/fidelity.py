"""Fidelity checks beyond numbers, run by ``jinshui-qa audit``: a fact says what the report says, no more.

Two kinds of claim the number audit cannot see:

- **Relative time in an answer** (今年, 去年, 正在, "this year", "currently" …) with no absolute period in
  the same sentence: a reader in another year cannot tell which period is meant. ``据2022年的报道，…正在…``
  passes (the sentence names its year); ``今年新增…`` does not.
- **Categories merged by the vocabulary**: a synonym rewrites its alias to its canonical word, so an alias
  that names a different category makes the bot answer with the wrong figure (科技型中小企业, a national
  certification, rewritten to 科技型企业). An alias is flagged when it *adds a qualifier* to the canonical
  word (the canonical's characters appear in order inside the alias, plus two or more other Chinese
  characters: 科技型中小企业 → 科技型企业) or *changes its head* (same start, different last two
  characters: 研发中心 → 研发机构), after general Chinese word-formation is set aside (型/类/的, a trailing
  数量/数目, 公司 for 企业, 研究开发 for 研发). Abbreviations (高企 → 高新技术企业) and variants that differ
  by one character pass. A maintainer answers a flag in ``vocabulary.yaml``: under ``broader:``
  (narrower term → broader term) when the bot may answer the narrower term with the broader figure and say
  so, or under ``equivalent:`` (a list) when the alias names the same category (地方专项债 for 专项债).

Pure: takes a :class:`~jinshui_qa.facts.schema.FactBase` and the facts files' text (for line numbers) and
returns :class:`~jinshui_qa.errors.Problem` values, printed as ``file:line: message``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from jinshui_qa.errors import Problem
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.maintenance.fact_lines import key_line

RELATIVE_ZH = (
    "今年",
    "去年",
    "前年",
    "明年",
    "本年",
    "当年",
    "本月",
    "上月",
    "目前",
    "现在",
    "正在",
    "近日",
    "日前",
    "近期",
)
RELATIVE_EN = ("this year", "last year", "next year", "this month", "last month", "currently", "at present",
               "right now", "recently", "nowadays")  # fmt: skip
_RELATIVE = re.compile(
    "|".join([*map(re.escape, RELATIVE_ZH), *(rf"\b{re.escape(w)}\b" for w in RELATIVE_EN)]), re.I
)
_ABSOLUTE = re.compile(r"(?:19|20)\d\d")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]|$)|[^.]+(?:\.\s|\.$|$)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# General word formation, not this fact base's words: suffixes and infixes that do not change the category,
# and full forms of common abbreviations.
_FORMATION = (
    ("研究开发", "研发"),
    ("公司", "企业"),
    ("数量", ""),
    ("数目", ""),
    ("型", ""),
    ("类", ""),
    ("的", ""),
)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def relative_time(base: FactBase, files: Mapping[str, str] | None = None) -> list[Problem]:
    """Answers whose sentence says 今年/去年/正在/"this year"… without a year (``20xx``) beside it."""
    found = []
    for fact in base.facts:
        for lang, text in (("zh", fact.answer.zh), ("en", fact.answer.en)):
            for sentence in _sentences(text):
                word = _RELATIVE.search(sentence)
                if word and not _ABSOLUTE.search(sentence):
                    line = key_line(fact, files or {}, lang, within="answer")
                    found.append(Problem(fact.file, line, f"{fact.id}: answer ({lang}) says "
                                 f"“{word.group(0)}” without an absolute period: “{sentence}”"))  # fmt: skip
    return found


def _in_order(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _formed(word: str) -> str:
    word = word.replace(" ", "")
    for long, short in _FORMATION:
        word = word.replace(long, short)
    return word


def category_shift(canonical: str, alias: str) -> str:
    """Why ``alias`` → ``canonical`` may merge two categories, or ``""`` when it reads as the same thing."""
    a, c = _formed(alias), _formed(canonical)
    if not (_HAN.search(a) and _HAN.search(c)) or a == c:
        return ""
    if _in_order(a, c):  # an abbreviation: 高企 → 高新技术企业
        return ""
    if _in_order(c, a):
        extra = len(_HAN.findall(a)) - len(_HAN.findall(c))
        return f"adds a qualifier ({extra} characters) to “{canonical}”" if extra >= 2 else ""
    same_start = len(a) >= 4 and len(c) >= 4 and a[:2] == c[:2]
    if same_start and a[-2:] != c[-2:] and not (set(a[-2:]) & set(c[-2:])):
        return f"names another kind of thing (“{a[-2:]}”, not “{c[-2:]}”)"
    return ""


def merged_categories(
    base: FactBase,
    broader: Mapping[str, str] | None = None,
    equivalent: Collection[str] = (),
    files: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Synonyms whose alias may be a different category from its canonical word (see the module doc);
    aliases declared under ``broader:`` or ``equivalent:`` have been looked at and are not flagged."""
    declared = {k.replace(" ", "") for k in [*(broader or {}), *equivalent]}
    text = (files or {}).get("vocabulary.yaml", "")
    found = []
    for canonical, aliases in base.vocabulary.synonyms.items():
        for alias in aliases:
            why = category_shift(canonical, alias)
            if why and alias.replace(" ", "") not in declared:
                line = next((n for n, row in enumerate(text.split("\n"), 1) if alias in row), 0)
                found.append(Problem("vocabulary.yaml", line, f"synonym “{alias}” → “{canonical}” "
                             f"{why}: remove it, or declare it under broader: or equivalent:"))  # fmt: skip
    return found
