"""The sentences of a comparison reply: the computed verdict, and why figures are not combined.

Chinese shows the report's units (「143家 − 63家 = 80家」, 「3830亿元 − 521亿元 = 3309亿元」); English
writes the same values in words of scale ("383 billion yuan − 52.1 billion yuan = 330.9 billion yuan").
"""

from __future__ import annotations

from decimal import Decimal

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.facts.schema import Lang

_SENTENCES = {
    "missing": ("报道里没有找到“{missing}”的数字，所以没法计算。",
                "The report gives no figure for “{missing}”, so I can't compute this."),
    "no_figure": ("报道没有给出“{which}”的具体数字，所以没法计算。",
                  "The report gives no figure for “{which}”, so I can't compute this."),
    "bases": ("一个是占{fa}的比重，一个是占{fb}的比重，两个百分比的基数不同，相减或比较没有意义，所以我不计算。",
              "One is a share of {fa} and the other a share of {fb}: the two percentages have different bases, so "
              "subtracting or comparing them means nothing, and I don't compute it."),
    "same": ("这两个说法指的是同一个数字，没有可比较的。", "Both refer to the same figure, so there is nothing to compare."),
    "kinds": ("一个是{ka}，一个是{kb}，单位和口径不同，不能直接比较或相加。",
              "One is {ka_en} and the other {kb_en}; they cannot be compared or added."),
    "not_a_quantity": ("一个是{ka}，一个是{kb}，名次和日期不是可以加减比较的数量，我不做计算。",
                       "One is {ka_en} and the other {kb_en}; ranks and days are not amounts, so I don't compute with them."),
    "not_a_quantity_both": ("两个都是{ka}，{ka}不是可以加减比较的数量，我不做计算。",
                            "Each of the two is {ka_en}, not an amount, so I don't compute with them."),
    "period": ("一个是{pa}的数字，一个是{pb}的数字，时间口径不同，我不直接计算。",
               "One figure is for {pa} and the other for {pb}; the periods differ, so I don't combine them."),
    "stock_flow": ("“{a}”和“{b}”一个是已有的总量，一个是一段时间里的新增量，不是同一类数字，相减或比较大小没有意义，所以我不计算。",
                   "One is a total (what exists) and the other what was added in a period; they are not the same kind "
                   "of figure, so subtracting or ranking them means nothing, and I don't compute it."),
    "part_of": ("{a}和{b}一个包含另一个（或一个是总量、一个是新增量），相加会重复计算，所以不做合计。",
                "One of {a} and {b} includes the other (or one is a total and the other new additions); adding them "
                "would count twice, so I don't."),
    "dates": ("两个数字的时间点不完全相同（{pa}、{pb}），仅供参考。",
              " The two figures are for slightly different times ({pa}; {pb}), so take the result as indicative."),
    "approximate": ("其中有报道给出的约数，计算结果也只是约数。", " One figure is approximate in the report, so the result is too."),
}  # fmt: skip


def sentence(key: str, lang: Lang, **words: str) -> str:
    zh, en = _SENTENCES[key]
    return (zh if lang == "zh" else en).format(**words)


def _scale(*values: Decimal) -> tuple[Decimal, str]:
    """One scale word for amounts of money shown together: that of the largest."""
    top = max(abs(v) for v in values)
    for size, word in ((Decimal(10) ** 9, " billion"), (Decimal(10) ** 6, " million")):
        if top >= size:
            return size, word
    return Decimal(1), ""


def en_amount(value: Decimal, base: str, *shown_with: Decimal) -> str:
    """A value in English words of scale (383 billion yuan, 47,000, 20%), in the scale of the largest of
    ``value`` and ``shown_with`` so that amounts in one computation share it."""
    if base == "%":
        return f"{ar.plain(value)}%"
    if base == "元":
        size, word = _scale(value, *shown_with)
        return f"{ar.plain(value / size)}{word} yuan"
    whole = ar.plain(value)
    return f"{int(value):,}" if "." not in whole else whole


def _en_expression(done: ar.Computation) -> str:
    a, b = done.left, done.right
    both = (a.value, b.value)
    if done.op == "ratio":
        mark = "=" if done.exact else "≈"
        pct = "%" if done.unit == "%" else ""
        return f"{en_amount(a.value, a.base, *both)} ÷ {en_amount(b.value, b.base, *both)} {mark} {ar.plain(done.result)}{pct}"
    if done.op == "sum":
        total = a.value + b.value
        return f"{en_amount(a.value, a.base, *both)} + {en_amount(b.value, b.base, *both)} = {en_amount(total, a.base, *both)}"
    big, small = (a, b) if done.larger == 0 else (b, a)
    if done.op == "pp_difference" or done.unit == "个百分点":
        return (
            f"{ar.plain(big.number)}% − {ar.plain(small.number)}% = {ar.plain(done.result)} percentage points"
        )
    gap = big.value - small.value
    return (f"{en_amount(big.value, big.base, *both)} − {en_amount(small.value, small.base, *both)} = "
            f"{en_amount(gap, big.base, *both)}")  # fmt: skip


def verdict(done: ar.Computation, label_a: str, label_b: str, lang: Lang) -> str:
    """The computed line: what is compared, and the computation with its result."""
    big, small = (label_a, label_b) if done.larger == 0 else (label_b, label_a)
    op = "pp_difference" if done.unit == "个百分点" and done.op in ("difference", "larger") else done.op
    if lang == "zh":
        expr = done.expression
        return {
            "difference": f"{big}比{small}多：{expr}。",
            "pp_difference": f"{big}的占比比{small}高：{expr}。",
            "larger": f"{big}更多，比{small}多：{expr}。",
            "sum": f"两者合计：{expr}。",
            "ratio": f"{label_a}占{label_b}的：{expr}。"
            if done.unit == "%"
            else f"{label_a}是{label_b}的：{expr}倍。",
        }[op]
    expr = _en_expression(done)
    return {
        "difference": f"Difference ({big} minus {small}): {expr}.",
        "pp_difference": f"Gap in share ({big} minus {small}): {expr}.",
        "larger": f"Larger: {big} ({expr}).",
        "sum": f"Together: {expr}.",
        "ratio": f"{label_a} ÷ {label_b}: {expr}"
        + ("." if done.unit == "%" else f", i.e. {ar.plain(done.result)} times."),
    }[op]
