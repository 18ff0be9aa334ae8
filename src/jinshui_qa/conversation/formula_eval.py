"""The evaluation of a formula :mod:`.formula` reads: values with their units, and what has no meaning.

:class:`Parser` reads the tokens by the usual precedence (brackets, then × ÷, then + −). A figure is a
:class:`Value` in its base unit (家, 元, %), shown in the unit the report gives it (亿元); a number typed
takes the unit of the figure it is added to (「高企*2+1」: 1家). :class:`Undone` says why a step has no
meaning: two figures multiplied, different units added, a number divided by a figure, a division by zero.
A ratio of two figures of one unit is a number of times (倍); an amount divided by a count is per item.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.text import lazy_re
from jinshui_qa.text.numerals import SCALES

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import Fact, Lang
OPS = {"乘以": "×", "乘上": "×", "乘": "×", "*": "×", "×": "×", "x": "×", "除以": "÷", "/": "÷", "÷": "÷",
        "加上": "+", "加": "+", "+": "+", "减去": "−", "减掉": "−", "减": "−", "-": "−", "−": "−",
        "plus": "+", "minus": "−", "times": "×", "multiplied by": "×", "divided by": "÷"}  # fmt: skip
NUMBER = lazy_re.compile(
    r"(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?\s*(亿元|万元|元|家|个|户|人|名|项|位|%)?", re.IGNORECASE
)
COUNTS = ("家", "个", "户", "人", "名", "项", "位")


class Value(NamedTuple):
    """A value in the formula: ``number`` in ``base`` units (家, 元, %; ``""`` a pure number), shown in
    ``unit`` at ``scale`` (亿元: 10^8); ``shown`` as it is written in the computation."""

    number: Decimal
    base: str
    unit: str
    scale: Decimal
    shown: str
    scaled: bool = False  # a number typed with 万/亿 (「+100亿」): a value, not in the figure's unit


class Undone(Exception):
    """Why the formula is not computed (said to the user)."""


class Parser:
    """expr := term (± term)*; term := factor (×÷ factor)*; factor := ( expr ) | operand."""

    def __init__(self, tokens: list[str], found: dict[str, tuple[Fact, ar.Quantity]], lang: Lang) -> None:
        self.tokens, self.at, self.found, self.lang = tokens, 0, found, lang

    def whole(self) -> tuple[Value, str]:
        value, shown = self.expr()
        if self.at != len(self.tokens):
            raise IndexError(self.at)
        return value, shown

    def _op(self, allowed: str) -> str | None:
        op = OPS.get(self.tokens[self.at].lower(), "") if self.at < len(self.tokens) else ""
        if op and op in allowed:
            self.at += 1
            return op
        return None

    def expr(self) -> tuple[Value, str]:
        value, shown = self.term()
        while (op := self._op("+−")) is not None:
            other, said = self.term()
            value, shown = _sum(value, other, op, self.lang), f"{shown} {op} {said}"
        return value, shown

    def term(self) -> tuple[Value, str]:
        value, shown = self.factor()
        while (op := self._op("×÷")) is not None:
            other, said = self.factor()
            value, shown = _product(value, other, op, self.lang), f"{shown} {op} {said}"
        return value, shown

    def factor(self) -> tuple[Value, str]:
        token = self.tokens[self.at]
        self.at += 1
        if token in "(（[【":
            value, shown = self.expr()
            if self.tokens[self.at] not in ")）]】":
                raise IndexError(self.at)
            self.at += 1
            return value, f"({shown})"
        if token in self.found:
            q = self.found[token][1]
            base = "%" if q.kind == "share" else q.base
            value = Value(q.value if q.kind != "share" else q.number, base, "%" if q.kind == "share" else q.unit,
                          Decimal(1) if q.kind == "share" else q.scale, "")  # fmt: skip
            return value, written(value, self.lang)
        m = NUMBER.fullmatch(token)
        if m is None:
            raise IndexError(self.at)
        number = Decimal(m[1]) * SCALES.get(m[2] or "", Decimal(1))
        unit = m[3] or ""
        if unit in ("亿元", "万元"):
            number, unit = number * SCALES[unit[0]], "元"
        return Value(number, unit, unit, Decimal(1), token, bool(m[2])), token


def written(value: Value, lang: Lang) -> str:
    if lang == "zh" or not value.base:
        return f"{ar.plain(value.number / value.scale)}{value.unit}"
    from jinshui_qa.conversation.compare_texts import en_amount

    return en_amount(value.number, value.base)


def _sum(a: Value, b: Value, op: str, lang: Lang) -> Value:
    if a.base and not b.base:  # 「高企*2+1」: the number in the figure's unit (「+100亿」: as said)
        b = Value(b.number if b.scaled else b.number * a.scale, a.base, a.unit, a.scale, b.shown)
    elif b.base and not a.base:
        a = Value(a.number if a.scaled else a.number * b.scale, b.base, b.unit, b.scale, a.shown)
    if a.base != b.base:
        raise Undone(f"“{a.unit}”和“{b.unit}”是不同的单位，不能相加减" if lang == "zh"
                     else "the figures are in different units, which cannot be added or subtracted")  # fmt: skip
    number = a.number + b.number if op == "+" else a.number - b.number
    return Value(number, a.base, a.unit, a.scale, "")


def _product(a: Value, b: Value, op: str, lang: Lang) -> Value:
    zh = lang == "zh"
    if op == "×":
        if a.base and b.base:
            raise Undone(f"两个数字相乘（{a.unit}×{b.unit}）没有实际意义，不是任何数量、金额或比例" if zh
                         else "two figures multiplied together are no count, amount or share of anything")  # fmt: skip
        kept = a if a.base else b
        return Value(a.number * b.number, kept.base, kept.unit, kept.scale, "")
    if b.number == 0:
        raise Undone("除数是0" if zh else "it divides by zero")
    if b.base and not a.base:
        raise Undone(
            "用一个数去除报道里的数字，得到的不是任何数量"
            if zh
            else "a number divided by a figure is no quantity"
        )
    if a.base == "元" and b.base in COUNTS and a.unit != b.unit:  # 总投资/项目数: the amount per item
        return Value(a.number / b.number, f"元/{b.base}", f"{a.unit}/{b.unit}", a.scale, "")
    if a.base and b.base and a.base != b.base:
        raise Undone(f"“{a.unit}”和“{b.unit}”是不同的单位，不能直接相除" if zh
                     else "the figures are in different units, which cannot be divided")  # fmt: skip
    if a.base and b.base:  # a ratio of two figures: times
        return Value(a.number / b.number, "", "倍" if zh else "", Decimal(1), "")
    return Value(a.number / b.number, a.base, a.unit, a.scale, "")
