"""Exact arithmetic over the report's own figures: difference, ratio, larger, sum, percentage points.

A :class:`Quantity` is one figure of a fact (``Figure.value`` with its ``unit``, or the percentage in
its ``share``) read into :class:`decimal.Decimal` from the value's shortest decimal form, so 9.66 is
9.66 and never 9.6600000000000001. Units convert exactly: 万 = 10^4, 亿 = 10^8 (4.7万家 = 47000家,
3830亿元 = 383000000000元); two quantities compare only when they are of one kind (organisations
counted in 家/户, items in 个/项, people in 人/名, money in 元, shares in % of the same frame) and
neither is a rank or a day of the month. Results: sums and differences exact; ratios rounded half-up
to two decimal places and marked ``≈`` when rounding changed them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jinshui_qa.facts.schema import Figure
from jinshui_qa.text import lazy_re

OPS = ("difference", "ratio", "larger", "sum", "pp_difference")
_SCALES = (
    ("万亿", Decimal(10) ** 12),
    ("亿", Decimal(10) ** 8),
    ("万", Decimal(10) ** 4),
    ("千", Decimal(1000)),
)
_KINDS = {"家": "organisations", "户": "organisations", "个": "items", "项": "items", "人": "people",
          "名": "people", "元": "money", "%": "share"}  # fmt: skip
_KIND_NAMES = {
    "organisations": ("企业或机构的数量", "a count of organisations"),
    "items": ("个数", "a count of items"),
    "people": ("人数", "a count of people"),
    "money": ("金额", "an amount of money"),
    "share": ("占比", "a share"),
    "rank": ("名次", "a rank"),
    "day": ("日期", "a day of the month"),
}
_APPROX = lazy_re.compile(
    r"\d(?:多|余)|突破|超过|逾|级）"
)  # 5000多家, 1300余人, 突破200亿, 千亿级; not 1000万以上 (a threshold)
_SHARE = lazy_re.compile(r"占(?P<frame>[^\d%]*?)(?P<pct>\d+(?:\.\d+)?)%")
RATIO_PLACES = Decimal("0.01")
_FRAMES = (
    ("全省", r"全省|省里|省内|河南|\bprovinc(?:e|ial)\b|\bhenan\b"),
    ("全国", r"全国|国内|\bnation(?:al|wide)?\b|\bcountry\b|\bchina\b"),
    ("全市", r"全市|市里|市内|本市|郑州|\bcity\b|\bzhengzhou\b"),
)
FRAME_WORDS = lazy_re.compile("|".join(p for _, p in _FRAMES), re.IGNORECASE)
FRAME_EN = {"全市": "the city (Zhengzhou)", "全省": "the province (Henan)", "全国": "the whole country"}
_SHARE_MEASURES = lazy_re.compile(
    r"营收|营业收入|收入|产值|税收|利润|营业额|投资额?|人数|人口|面积|用地|gdp|增加值|\b(?:revenue|output|tax(?:es)?|profits?|"
    r"income|investment|population|area)\b",
    re.IGNORECASE,
)


def frame_named(text: str) -> str:
    """The whole a question takes a share of (全市, 全省, 全国), or ``""`` when it names none;
    郑州市金水区 names the district, not the city."""
    m = FRAME_WORDS.search(re.sub(r"郑州市?金水区?|金水区", "", text))
    return next(frame for frame, pattern in _FRAMES if re.fullmatch(pattern, m.group(0), re.I)) if m else ""


def share_measure_named(text: str) -> str:
    """What a share is a share of besides a count (营收, 产值, revenue...), or ``""``."""
    m = _SHARE_MEASURES.search(text)
    return m.group(0).lower() if m else ""


@dataclass(frozen=True)
class Quantity:
    """One figure: ``number`` as reported in ``unit`` (143 家, 4.7 万家, 20 %), and what it is.

    ``scale`` times ``number`` is the value in ``base`` (家, 元, %); ``kind`` says what may be compared
    with it; ``frame`` is the whole a share is of (全市); ``approximate`` holds the report's wording when
    the figure is a bound (5000多家, 突破200亿) rather than an exact count.
    """

    number: Decimal
    unit: str
    scale: Decimal
    base: str
    kind: str
    frame: str = ""
    approximate: str = ""
    counts: str = ""

    @property
    def value(self) -> Decimal:
        return self.number * self.scale

    def shown(self) -> str:
        return f"{plain(self.number)}{self.unit}"


def plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 47000, 2.5, 0.44."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimal_of(value: float) -> Decimal:
    """The decimal a float was written as (repr is the shortest round-tripping form)."""
    return Decimal(repr(float(value)))


def quantity(figure: Figure) -> Quantity | None:
    """The figure's value as a quantity; ``None`` for units this module does not know."""
    unit = figure.unit.strip()
    scale = Decimal(1)
    rest = unit
    for prefix, factor in _SCALES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            scale, rest = factor, unit[len(prefix) :]
            break
    if (figure.rank is not None and "名次" in figure.counts) or (rest == "名" and "名次" in figure.counts):
        kind = "rank"
    elif rest == "日":
        kind = "day"
    else:
        kind = _KINDS.get(rest, "")
    if not kind:
        return None
    approx = ""
    if _APPROX.search(figure.counts):
        said = [
            m.group(1)
            for m in re.finditer(r"[（(]([^（）()]*)[）)]", figure.counts)
            if _APPROX.search(m.group(0))
        ]
        approx = said[0] if said else figure.counts
    return Quantity(
        decimal_of(figure.value), unit, scale, rest, kind, approximate=approx, counts=figure.counts
    )


def share_quantity(figure: Figure) -> Quantity | None:
    """The share a figure states (「占全市20%」 -> 20 % of 全市), or ``None``."""
    m = _SHARE.search(figure.share or "")
    if m is None:
        return None
    frame = m.group("frame")
    return Quantity(Decimal(m.group("pct")), "%", Decimal(1), "%", "share", frame=frame, counts=figure.counts)


def kind_name(kind: str, lang: str) -> str:
    zh, en = _KIND_NAMES.get(kind, (kind, kind))
    return zh if lang == "zh" else en


def incomparable(a: Quantity, b: Quantity, op: str) -> str:
    """Why ``a`` and ``b`` cannot be combined by ``op`` (a short code), or ``""`` when they can."""
    if a.kind in ("rank", "day") or b.kind in ("rank", "day"):
        return "not_a_quantity"
    if a.kind != b.kind:
        return "kinds"
    if a.kind == "share" and a.frame != b.frame:
        return "frames"
    if op == "pp_difference" and a.kind != "share":
        return "not_shares"
    return ""


@dataclass(frozen=True)
class Computation:
    """A computed result: ``expression`` is what the reply shows (「143家 − 63家 = 80家」)."""

    op: str
    left: Quantity
    right: Quantity
    result: Decimal
    unit: str
    exact: bool
    expression: str
    larger: int = 0  # 0: left is larger or equal, 1: right is larger


def common_unit(a: Quantity, b: Quantity) -> tuple[Decimal, str, Decimal, str]:
    """Both numbers in one scale, each with the unit to show: the reported unit when they share it,
    else the finer of the two (465亿元 vs 1000万元 -> 4650000万元 vs 1000万元), else plain base units."""
    if a.unit == b.unit:
        return a.number, a.unit, b.number, b.unit
    if a.base == b.base:
        finer = a if a.scale <= b.scale else b
        return a.value / finer.scale, finer.unit, b.value / finer.scale, finer.unit
    return a.value, a.base, b.value, b.base


def compute(op: str, a: Quantity, b: Quantity, prefer: str = "", percent: bool = False) -> Computation:
    """Apply ``op`` to ``a`` and ``b`` (in the order the question named them); both must be comparable.

    difference and pp_difference give the larger minus the smaller; ratio gives a ÷ b; larger gives
    the difference too, with ``larger`` naming the larger side; sum gives a + b.
    ``percent`` gives a ratio as a percentage (723家 ÷ 2058家 ≈ 35.13%).
    Two words for one kind (4.7万家, 108576户) give the result in ``prefer`` when it is one of them.
    Raises ValueError when ``incomparable`` says so or ``op`` is unknown.
    """
    if op not in OPS or incomparable(a, b, op):
        raise ValueError(f"cannot compute {op} of {a.shown()} and {b.shown()}")
    x, ux, y, uy = common_unit(a, b)
    xs, ys = f"{plain(x)}{ux}", f"{plain(y)}{uy}"
    larger = 0 if x >= y else 1
    named = prefer if ux != uy and prefer in (ux, uy) else ""
    if op == "ratio":
        if y == 0:
            raise ValueError("division by zero")
        exact_value = x / y * (100 if percent else 1)
        result = exact_value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
        exact = result == exact_value
        mark, unit = "=" if exact else "≈", "%" if percent else "倍"
        shown = f"{xs} ÷ {ys} {mark} {plain(result)}{'%' if percent else ''}"
        return Computation(op, a, b, result, unit, exact, shown, larger)
    if op == "sum":
        result = x + y
        unit = named or ux
        return Computation(op, a, b, result, unit, True, f"{xs} + {ys} = {plain(result)}{unit}", larger)
    big, small = (xs, ys) if larger == 0 else (ys, xs)
    result = abs(x - y)
    shares = a.kind == "share" or op == "pp_difference"  # 20% − 17.5% is 2.5 percentage points, never 2.5%
    unit = "个百分点" if shares else named or (ux if larger == 0 else uy)
    return Computation(op, a, b, result, unit, True, f"{big} − {small} = {plain(result)}{unit}", larger)


@dataclass(frozen=True)
class Total:
    """The sum of several figures of one kind: ``expression`` as shown (「143家 + 12家 + 63家 = 218家」)."""

    quantities: tuple[Quantity, ...]
    result: Decimal
    unit: str
    expression: str


def total(quantities: list[Quantity], prefer: str = "") -> Total:
    """The exact sum of ``quantities`` (two or more, all comparable with the first), shown in their
    unit when they share one, else in the finest of their scales (4.7万家 + 108576户 -> 155576户 when
    ``prefer`` is 户). Raises ValueError when fewer than two are given or two cannot be added."""
    if len(quantities) < 2:
        raise ValueError("a total needs two figures or more")
    first = quantities[0]
    if any(incomparable(first, q, "sum") for q in quantities[1:]) or first.kind == "share":
        raise ValueError("cannot add figures of different kinds, or shares")
    units = {q.unit for q in quantities}
    if len(units) == 1:
        scale, unit = first.scale, first.unit
    else:
        finest = min(quantities, key=lambda q: q.scale)
        scale, unit = finest.scale, finest.unit
        if prefer in units:
            chosen = next(q for q in quantities if q.unit == prefer)
            scale, unit = chosen.scale, chosen.unit
    numbers = [q.value / scale for q in quantities]
    result = sum(numbers, Decimal(0))
    shown = " + ".join(f"{plain(n)}{unit}" for n in numbers)
    return Total(tuple(quantities), result, unit, f"{shown} = {plain(result)}{unit}")


_EN_MEASURES = (("annual", "年度"), ("this year", "年度"), ("yearly", "年度"), ("total", "总投资总量"),
                ("planned", "计划"), ("new", "新增"), ("added", "新增"))  # fmt: skip


def measure_words_zh(asked: str) -> str:
    """The Chinese words of a figure's description that an English question's measure words name
    ("the annual investment" → 年度), so an English operand picks the figure it asks for."""
    low = asked.lower()
    return asked + "".join(zh for en, zh in _EN_MEASURES if re.search(rf"\b{en}\b", low))
