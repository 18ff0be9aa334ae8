"""Every text the bot says, in Chinese and English: answers with their period and source, clarifying
questions, fallbacks that say in one or two sentences what is missing and the nearest thing known, and
small talk."""

from __future__ import annotations

import datetime as dt
import re

from jinshui_qa.facts.schema import Fact, FactBase, Lang
from jinshui_qa.text import places
from jinshui_qa.text.noun_words import nouns_in
from jinshui_qa.text.periods import fact_period

EXAMPLES = {
    "zh": ["金水区有多少家高新技术企业？", "今年谋划了多少个重点项目？", "“金小二”是什么？", "蜜雪冰城是哪里的企业？"],
    "en": ["How many high-tech enterprises does Jinshui have?", "How many key projects does Jinshui have this year?",
           "What is Jin Xiao'er?", "How many new market entities were there in Q1?"],
}  # fmt: skip


def answer_text(base: FactBase, fact: Fact, lang: Lang, today: dt.date | None = None) -> str:
    """The fact's answer, its period named once when the answer does not say it, then its source line.

    When the report is over a year old on ``today`` the answer opens with 据2022年的报道 (According to a
    2022 report) unless it already says so.
    """
    label, colon = ("来源", "：") if lang == "zh" else ("Source", ": ")
    return f"{dated(base, fact, lang, today)}\n\n{label}{colon}{base.source_label(fact, lang)}"


def dated(base: FactBase, fact: Fact, lang: Lang, today: dt.date | None = None) -> str:
    """The answer with its period and, for old data, the report's year in front (see answer_text)."""
    body = fact.answer.get(lang)
    report = base.reports.get(fact.source.report)
    period = fact_period(fact.time)
    year = report.year if report else (period.end[0] if period else 0)
    old = bool(year) and (today or dt.date.today()) > dt.date(year + 1, 12, 31)
    label = period.label(lang) if period else ""
    says_period = period is None or all(str(y) in body for y in {period.start[0], period.end[0]})
    if lang == "zh":
        said = f"{year}年的报道" in body[:20] or body.startswith("据")
        head = f"据{year}年的报道" if old and not said else ""
        if not says_period and label and label != f"{year}年":
            head += f"（{label}）"
        elif not says_period and not head:
            head = f"（{label}）"
        return f"{head}，{body}" if head.startswith("据") else head + body
    opening = body[:60].lower()
    said = "according to" in opening or f"{year} report" in opening or f"reported in {year}" in opening
    head = f"According to a {year} report" if old and not said else ""
    if not says_period and label and (label != str(year) or not head):
        head += f" ({label})" if head else f"({label}) "
    return f"{head}, {_lower_opening(body)}" if head.startswith("According") else head + body


# Words that open an answer sentence only because they start it: after "According to a 2022 report,"
# they are written in lower case (names such as Jinshui or Mixue keep their capital).
_OPENING_WORDS = frozenset(
    "in from on at by with as the a an after since during over under between for of to this these its across among before until within".split()  # noqa: SIM905
)


def _lower_opening(body: str) -> str:
    """``body`` with its first word in lower case when it is a common opening word (In 2021 -> in 2021)."""
    first = body.split(" ", 1)[0]
    return body[0].lower() + body[1:] if first.lower() in _OPENING_WORDS and first[:1].isupper() else body


def clarify_text(titles: list[str], lang: Lang) -> str:
    lines = [f"{n}. {title}" for n, title in enumerate(titles, 1)]
    if lang == "zh":
        return "您想问的是哪一个？\n" + "\n".join(lines) + "\n（回复序号，或换个说法再问）"
    return (
        "Which one do you mean?\n"
        + "\n".join(lines)
        + "\n(Reply with a number, or ask again in other words.)"
    )


def topics_line(base: FactBase, lang: Lang) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(topic.title.get(lang) for topic in base.topics)


_ATTRIBUTES = {
    "count": ("数量", "a count"), "money": ("金额", "an amount"), "share": ("占比", "a share"),
    "rank": ("排名", "a ranking"), "date": ("日期", "a date"), "year": ("年份", "a year"),
    "duration": ("期限", "a duration"), "who": ("人员", "who it is"), "where": ("地点", "a place"),
    "size": ("面积或高度", "a size"), "growth": ("增长情况", "growth"), "people": ("人数", "a number of people"),
    "age": ("年龄", "an age"), "procedure": ("办理流程", "how to apply"), "name": ("具体名单", "the names"),
    "partner": ("合作方", "partners"), "business": ("业务情况", "its business"), "origin": ("籍贯", "origins"),
    "progress": ("完成进度", "progress"), "score": ("得分", "a score"),
}  # fmt: skip
_LEVELS = {
    "city": ("全市", "the city"),
    "province": ("全省", "the province"),
    "nation": ("全国", "the country"),
}


def whole_word(word: str, question: str) -> str:
    """The word a fallback names, widened to the nouns of the question that it cuts: 垃圾分 of 垃圾分类,
    场收费 of 停车场收费 (a word not found as typed, or not Chinese, is kept)."""
    text = question.replace(" ", "")
    start = text.find(word) if word and any("\u4e00" <= ch <= "\u9fff" for ch in word) else -1
    end = start + len(word)
    for noun in nouns_in(text) if start >= 0 else ():
        for m in re.finditer(re.escape(noun), text):
            if m.start() < end and m.end() > start:  # overlaps the word: the whole noun is named
                start, end = min(start, m.start()), max(end, m.end())
    return text[start:end] if start >= 0 else word


def known(fact: Fact, lang: Lang) -> str:
    """The nearest thing the bot knows about a fact's subject, in a few words: 高新技术企业723家（2022年）."""
    period = fact_period(fact.time)
    label = period.label(lang) if period else fact.time
    if fact.figures:
        f = fact.figures[0]
        value = f"{f.value:g}"
        if lang == "zh":
            counts = _plain(f.counts)
            return f"{counts}{value}{f.unit}" + ("" if label in counts else f"（{label}）")
        return f"{fact.title.en}: {_english_amount(f.value, f.unit)} ({label})"
    title = fact.title.zh if "“" in fact.title.zh else f"“{fact.title.zh}”"  # never ““5+5+X”产业链招商”
    return f"{title}的情况（{label}）" if lang == "zh" else f"{fact.title.en} ({label})"


def _english_amount(value: float, unit: str) -> str:
    """723 家 -> 723; 84.6 亿元 -> 8.46 billion yuan; 28.4 万家 -> 284,000; 5 日 -> day 5."""
    if unit.startswith("亿"):
        return f"{value / 10:g} billion yuan" if "元" in unit else f"{value * 1e8:,.0f}"
    if unit.startswith("万"):
        return f"{value * 1e4:,.0f}" + (" yuan" if "元" in unit else "")
    if unit == "日":
        return f"day {value:g}"
    return f"{value:,g}" + (" yuan" if "元" in unit else "")


def english_period(label: str) -> str:
    """2022年 -> 2022; 2022年7~9月 -> Jul-Sep 2022; 2022年3月 -> Mar 2022 (other text unchanged)."""
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()  # noqa: SIM905
    if m := re.fullmatch(r"(\d{4})年(?:(\d{1,2})(?:~(\d{1,2}))?月)?", label):
        year, first, last = m[1], m[2], m[3]
        if not first:
            return year
        span = months[int(first) - 1] + (f"-{months[int(last) - 1]}" if last else "")
        return f"{span} {year}"
    return label


def _plain(counts: str) -> str:
    return re.sub(r"（.*?）", "", counts)


# What a fallback says first, by reason (``scope:new``/``scope:total`` are the two scopes of a count);
# ``{word}`` is the attribute's or the level's name in the reply's language.
_FALLBACK_HEADS: dict[str, tuple[str, str]] = {
    "other_place": ("我只掌握金水区的资料，没有{detail}的数据。",
                    "I only have facts about Jinshui District, nothing on {detail}."),
    "period": ("报道里没有{detail}的数字。", "The report has no figure for {detail}."),
    "scope:new": ("报道里只有{subject}的总数，没有新增多少的数字。",
                  "The report gives only the total for {subject}, not how many were added."),
    "scope:total": ("报道里只有{subject}新增的数字，没有总量。",
                    "The report gives only how many {subject} were added, not the total."),
    "scope": ("报道里没有{subject}中“{detail}”的数字。", "The report has no figure for the {detail} part of {subject}."),
    "attribute": ("报道里没有{subject}的{word}信息。", "The report does not give {word} for {subject}."),
    "attribute:planned": ("报道只给出了{subject}的计划数，没有实际完成或到位多少的数字。",
                          "The report gives only planned figures for {subject}, not how much was actually done or paid in."),
    "attribute:year": ("报道只写了{subject}在报道时的情况，没有说相关的事是哪一年发生的。",
                       "The report only describes {subject} as of its own date; it does not say in which year that happened."),
    "level": ("报道里没有{subject}在{word}的排名或占比。", "The report has no ranking or share of {subject} in {word}."),
    "not_covered": ("报道里没有关于“{detail}”的信息。", "The report says nothing about {detail}."),
    "mentioned": ("报道里提到了“{detail}”，但没有能回答这个问题的内容。",
                  "The report mentions {detail}, but nothing that answers this question."),
}  # fmt: skip


_PLAIN = {
    "too_long": (
        "您的消息太长了，请用一两句话提问。",
        "Your message is too long; please ask in a sentence or two.",
    ),
    "gone": ("这条资料已经不在了，请换个问法再问。", "That item is no longer available; please ask again."),
}
_OWN_HEADS = (("scope", "new"), ("scope", "total"), ("attribute", "year"), ("attribute", "planned"))
_PLANNED = re.compile("计划|谋划|储备")  # what a figure counts says it is planned (计划投资额), not done

_WHOLE_EN = {
    "whole city": "Zhengzhou as a whole",
    "entire city": "Zhengzhou as a whole",
    "citywide": "Zhengzhou as a whole",
    "city-wide": "Zhengzhou as a whole",
    "whole province": "Henan as a whole",
    "entire province": "Henan as a whole",
    "province-wide": "Henan as a whole",
}


def fallback_text(base: FactBase, reason: str, lang: Lang, about: Fact | None = None) -> str:
    """Say in one or two sentences what is missing, and offer the nearest thing known (``about``)."""
    kind, _, detail = reason.partition(":")
    detail = detail.partition(":")[0]
    if kind == "other_place" and detail.isascii():  # typed in pinyin, said in Chinese: 「没有郑州的数据」
        detail = (
            places.in_chinese(detail) if lang == "zh" else _WHOLE_EN.get(detail, places.in_english(detail))
        )
    if lang == "en" and kind == "period":
        detail = english_period(detail)
    zh = lang == "zh"
    subject = (about.subject or about.title).get(lang) if about else ""
    near = known(about, lang) if about else ""
    if kind == "empty":
        return (
            "请直接输入您的问题，比如：" if zh else "Please type your question, for example: "
        ) + EXAMPLES[lang][0]
    if kind == "numbers":  # 「0」: nothing asked; say so and what can be asked
        return (f"抱歉，我没看懂这条消息。请用一句话问金水区的事，比如：{EXAMPLES['zh'][0]}发送 /topics 看看我能回答什么。"
                if zh else f"Sorry, I did not understand that. Please ask about Jinshui in a sentence, for example: "
                f"{EXAMPLES['en'][0]} Send /topics to see what I can answer.")  # fmt: skip
    if kind in _PLAIN:  # too_long: a message over 20 questions' length; gone: a fact no longer there
        return _PLAIN[kind][0 if zh else 1]
    if detail == "progress" and about and about.figures and _PLANNED.search(about.figures[0].counts):
        detail = "planned"  # 重点项目完成投资多少 of a plan: the report gives the plan, not what was done
    key = f"{kind}:{detail}" if (kind, detail) in _OWN_HEADS else kind
    template = _FALLBACK_HEADS.get(key)
    if template is not None:
        word = (_ATTRIBUTES if kind == "attribute" else _LEVELS).get(detail, (detail, detail))
        head = template[0 if zh else 1].format(subject=subject, detail=detail, word=word[0 if zh else 1])
    else:
        return ("抱歉，资料里找不到这个问题的可靠答案，我不想猜。发送 /topics 看看我能回答什么。" if zh else
                "Sorry, my sources have no reliable answer to that, and I won't guess. Send /topics to see what I can answer.")  # fmt: skip
    if near and about is not None:  # the figure shown names its source, as an answer's does
        cite = ("来源：" if zh else "Source: ") + base.source_label(about, lang)
        return head + (f"我知道的是：{near}。" if zh else f" What I do have: {near}.") + f"\n\n{cite}"
    return head + ("发送 /topics 看看我能回答什么。" if zh else " Send /topics to see what I can answer.")


def smalltalk_text(base: FactBase, kind: str, lang: Lang) -> str:
    if kind == "help":
        return help_text(base, lang)
    if kind == "identity":
        return about_text(base, lang)
    if kind in ("topics", "command"):  # typed where no adapter reads commands: what can be asked, here
        head = (
            ""
            if kind == "topics"
            else ("这里没有这个命令。" if lang == "zh" else "There is no such command here. ")
        )
        examples = "\n".join(f"• {e}" for e in EXAMPLES[lang])
        return head + (f"我可以回答这些主题的问题：{topics_line(base, lang)}。例如：\n{examples}" if lang == "zh"
                       else f"I can answer questions on these topics: {topics_line(base, lang)}.\nFor example:\n{examples}")  # fmt: skip
    zh = {
        "greeting": "您好！我是金水区问答助手，可以回答关于金水区创新、人才、项目、招商和营商服务的问题。",
        "thanks": "不客气！还有什么想了解的，尽管问。",
        "bye": "再见，欢迎随时再来问我金水区的事。",
        "abuse": "抱歉没能帮上忙。我只根据报道回答金水区的问题，比如："
        + EXAMPLES["zh"][0]
        + "发送 /topics 看看我能回答什么。",
    }
    en = {
        "greeting": "Hello! I answer questions about Jinshui District: innovation, talent, projects, investment "
        "and business services.",
        "thanks": "You're welcome! Ask me anything else about Jinshui.",
        "bye": "Goodbye, come back any time with questions about Jinshui.",
        "abuse": "Sorry I could not help. I answer questions about Jinshui from a published report, for example: "
        + EXAMPLES["en"][0]
        + " Send /topics to see what I can answer.",
    }
    return (zh if lang == "zh" else en).get(kind, zh["greeting"] if lang == "zh" else en["greeting"])


def greeting_text(base: FactBase, lang: Lang) -> str:
    examples = "\n".join(f"• {e}" for e in EXAMPLES[lang])
    if lang == "zh":
        return (f"您好！我是金水区问答助手。我根据{len(base.facts)}条整理自公开报道的事实回答问题，"
                f"每个答案都注明出处。\n可以问：{topics_line(base, lang)}。\n例如：\n{examples}")  # fmt: skip
    return (f"Hello! I answer questions about Jinshui District, Zhengzhou, from {len(base.facts)} facts drawn "
            f"from a published report, and every answer cites its source.\nTopics: {topics_line(base, lang)}."
            f"\nFor example:\n{examples}")  # fmt: skip


def help_text(base: FactBase, lang: Lang) -> str:
    if lang == "zh":
        return ("直接用中文或英文提问即可，可以追问（如「那高新技术企业呢？」）。\n命令：/topics 查看主题，"
                "/about 资料来源，/lang zh|en 切换语言，/help 帮助。\n例如：" + EXAMPLES["zh"][1])  # fmt: skip
    return ("Just ask in English or Chinese; follow-ups work too (\"what about high-tech ones?\").\nCommands: "
            "/topics to browse, /about for the source, /lang zh|en to switch language, /help.\n"
            "For example: " + EXAMPLES["en"][1])  # fmt: skip


def about_text(base: FactBase, lang: Lang) -> str:
    reports = list(base.reports.values())
    newest = max((f.verified for f in base.facts), default=None)
    if lang == "zh":
        cites = "；".join(f"《{r.title}》（{r.publisher}，{r.year}）" for r in reports)
        return (f"我是金水区问答助手，只根据以下资料回答：{cites}。共{len(base.facts)}条事实，"
                f"最近一次核对：{newest}。资料里没有的，我会直说不知道。")  # fmt: skip
    cites = "; ".join(f"“{r.title}” ({r.publisher_en}, {r.year})" for r in reports)
    return (f"I'm the Jinshui District Q&A assistant. I answer only from: {cites}. {len(base.facts)} facts, "
            f"last checked {newest}. If the sources don't say, I tell you so.")  # fmt: skip
