"""Chinese numerals to Arabic digits in running text: 两千零五十八 -> 2058, 十九点二万 -> 19.2万.

Only used on text being matched (questions and phrasings alike), never on answers. A run of numeral
characters is converted when it holds a digit character (or starts with 十); a bare unit such as the
万 of 万人助万企 or the 千 of 千企万户 is left alone. A trailing 万 or 亿 stays as a unit, so the result
reads like the report's own figures (19.2万, 3830亿). Ranges of months fold to one form: 1~3月.
"""

from __future__ import annotations

import itertools
import re

from jinshui_qa.text import lazy_re

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
# a scale word written after a number in a message (4.7万, 3830亿, 2 billion): its factor
SCALES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 1000, "billion": 10**9, "million": 10**6}
_RUN = lazy_re.compile("[零〇一二两三四五六七八九十百千万亿点]+")
_GROUPED = lazy_re.compile(r"(?<=\d),(?=\d{3}(?!\d))", needs=(",",))
_MONTH_RANGE = lazy_re.compile(r"(\d{1,2})\s*(?:~|-|–|—|到|至)\s*(\d{1,2})\s*月", needs=("月",))


def _integer(text: str) -> int:
    """Value of an integer numeral such as 两千零五十八, 二〇二二 or 十万八千五百七十六."""
    if all(ch in DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total = section = number = 0
    for ch in text:
        if ch in DIGITS:
            number = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (number or (1 if ch == "十" else 0)) * SMALL_UNITS[ch]
            number = 0
        elif ch in BIG_UNITS:
            section += number
            total = (total + section) * BIG_UNITS[ch] if ch == "亿" else total + section * BIG_UNITS[ch]
            section = number = 0
    return total + section + number


def _convert_run(run: str) -> str:
    head = run[: len(run) - len(run.lstrip("万亿千百"))]  # 万一, 千万: a leading unit is a word, not a number
    if head:
        return head + _convert_run(run[len(head) :]) if len(run) > len(head) else run
    core = run.rstrip("点")
    tail = run[len(core) :]
    number = core.rstrip("万亿")
    digits_only = all(ch in DIGITS for ch in number)
    if (digits_only and len(number) == 2) or (
        not digits_only and _adjacent_digits(number.partition("点")[0])
    ):
        return run  # 两三个, 七八家 (a rough count) and 十四五 (a name) are not numbers
    if not core or not (any(ch in DIGITS for ch in core) or core[0] == "十"):
        return run
    unit = ""
    if core[-1] in BIG_UNITS and len(core) > 1:
        core, unit = core[:-1], core[-1]
    if "点" in core:
        whole, _, fraction = core.partition("点")
        if not fraction or not all(ch in DIGITS for ch in fraction) or "点" in fraction:
            return run
        number = f"{_integer(whole) if whole else 0}.{''.join(str(DIGITS[ch]) for ch in fraction)}"
    else:
        number = str(_integer(core))
    return number + unit + tail


def _adjacent_digits(text: str) -> bool:
    return any(
        a in DIGITS and b in DIGITS and a not in "零〇" and b not in "零〇"
        for a, b in itertools.pairwise(text)
    )


_CONVERTED: dict[str, str] = {}  # runs converted (the same few recur in every text; bounded)
_CONVERTED_MEMO = 16_384


def _converted(match: re.Match[str]) -> str:
    run = match.group(0)
    hit = _CONVERTED.get(run)
    if hit is None:
        if len(_CONVERTED) >= _CONVERTED_MEMO:
            _CONVERTED.clear()
        hit = _CONVERTED[run] = _convert_run(run)
    return hit


_COMPOUND = lazy_re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([十百千])\s*([万亿])")


def _compound(match: re.Match[str]) -> str:
    """38.3百亿 -> 3830亿, 5千万 -> 5000万: a compound scale folded into its big unit, so a value said so is
    read at its size (read as 38.3 it was checked and called wrong)."""
    from decimal import Decimal

    value = Decimal(match.group(1)) * SMALL_UNITS[match.group(2)]
    return f"{value.normalize():f}{match.group(3)}"


def arabic_numerals(text: str) -> str:
    """Replace Chinese numerals in ``text`` by Arabic digits and tidy digit groups and month ranges."""
    runs = _RUN.findall(text)  # most runs are bare units (万, 千) left as they are: no call per run
    if runs and any(_CONVERTED.get(run) != run for run in runs):
        text = _RUN.sub(_converted, text)
    if "," in text:
        text = _GROUPED.sub("", text)
    if ("万" in text or "亿" in text) and _COMPOUND.search(text):
        text = _COMPOUND.sub(_compound, text)
    return _MONTH_RANGE.sub(r"\1~\2月", text) if "月" in text else text
