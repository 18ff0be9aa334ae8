"""Every text the bot says, in Chinese and English: answers with their source, clarifying questions,
fallbacks that say what is not known and what can be asked instead, and small talk."""

from __future__ import annotations

from jinshui_qa.facts.schema import Fact, FactBase, Lang

EXAMPLES = {
    "zh": ["金水区有多少家高新技术企业？", "今年谋划了多少个重点项目？", "“金小二”是什么？", "蜜雪冰城是哪里的企业？"],
    "en": ["How many high-tech enterprises does Jinshui have?", "How many key projects does Jinshui have this year?",
           "What is Jin Xiao'er?", "How many new market entities were there in Q1?"],
}  # fmt: skip


def answer_text(base: FactBase, fact: Fact, lang: Lang) -> str:
    """The fact's answer followed by its source line."""
    label, colon = ("来源", "：") if lang == "zh" else ("Source", ": ")
    return f"{fact.answer.get(lang)}\n\n{label}{colon}{base.source_label(fact, lang)}"


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


def fallback_text(base: FactBase, reason: str, lang: Lang, about: Fact | None = None) -> str:
    """Say what is not known, never guess, and point to what can be asked instead."""
    kind, _, detail = reason.partition(":")
    if kind == "not_held" and about is not None:
        kind, detail = "not_held_about", f"{detail}|{about.title.get(lang)}"
    word, _, title = detail.partition("|")
    topics = topics_line(base, lang)
    example = EXAMPLES[lang][0]
    if lang == "zh":
        head = {
            "empty": "请直接输入您的问题，比如：" + example,
            "other_place": f"我只掌握金水区的资料，没有关于“{detail}”的数据，不能替您猜。",
            "not_covered": f"我的资料里没有关于“{detail}”的信息，不能给您一个可靠的答案。",
            "year": f"我的数据来自2022年的报道（个别为2021年），没有{detail}年的数字。",
            "too_long": "您的消息太长了，请用一两句话提问。",
            "not_held_about": f"关于“{title}”，我的资料里没有“{word}”方面的数字或信息，不能替您猜。",
            "not_held": f"我的资料里没有这方面“{word}”的信息，不能替您猜。",
        }.get(kind, "抱歉，这个问题我在资料里找不到可靠的答案，不想给您错误的信息。")
        return f"{head}\n我能回答这些方面的问题：{topics}。发送 /topics 查看全部，例如：{example}"
    head = {
        "empty": "Please type your question, for example: " + example,
        "other_place": f"I only have facts about Jinshui District, nothing on “{detail}”, and I won't guess.",
        "not_covered": f"My sources say nothing about “{detail}”, so I can't give you a reliable answer.",
        "year": f"My figures come from a 2022 report (a few refer to 2021); I have nothing for {detail}.",
        "too_long": "Your message is too long; please ask in a sentence or two.",
        "not_held_about": f"About “{title}”, my sources give nothing on “{word}”, and I won't guess.",
        "not_held": f"My sources give nothing on “{word}” here, and I won't guess.",
    }.get(kind, "Sorry, I can't find a reliable answer to that in my sources, and I'd rather not guess.")
    return f"{head}\nI can answer questions on: {topics}. Send /topics to browse, e.g. {example}"


def smalltalk_text(base: FactBase, kind: str, lang: Lang) -> str:
    if kind == "help":
        return help_text(base, lang)
    if kind == "identity":
        return about_text(base, lang)
    zh = {
        "greeting": "您好！我是金水区问答助手，可以回答关于金水区创新、人才、项目、招商和营商服务的问题。",
        "thanks": "不客气！还有什么想了解的，尽管问。",
        "bye": "再见，欢迎随时再来问我金水区的事。",
    }
    en = {
        "greeting": "Hello! I answer questions about Jinshui District: innovation, talent, projects, investment "
        "and business services.",
        "thanks": "You're welcome! Ask me anything else about Jinshui.",
        "bye": "Goodbye, come back any time with questions about Jinshui.",
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
