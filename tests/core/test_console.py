"""The console, driven through StringIO: greeting, commands, questions with follow-ups, /quit."""

from __future__ import annotations

import io

from jinshui_qa import replies
from jinshui_qa.console import run_console
from jinshui_qa.dialogue import Assistant, Reply, Session


def chat(assistant: Assistant, *lines: str) -> list[str]:
    """Run a console session; return what it printed, one block per message (blocks end in a blank line)."""
    stdout = io.StringIO()
    code = run_console(
        lambda: assistant, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=stdout
    )
    assert code == 0
    text = stdout.getvalue()
    assert text.endswith("\n\n")
    return text[:-2].split("\n\n")


def test_greeting_help_topics_language_followup_quit(assistant: Assistant) -> None:
    english = "How many tech-based enterprises are there in Jinshui?"
    blocks = chat(
        assistant,
        "/help",
        "/topics",
        "/lang en",
        english,
        "what about high-tech ones?",
        "/quit",
        "高企有几家",
    )
    expected_first = assistant.reply(english, Session())
    session = Session()
    assistant.reply(english, session, now=0)
    expected_followup = assistant.reply("what about high-tech ones?", session, now=1)
    assert expected_followup.fact_id == "high_tech_enterprises"
    topics = assistant.topics("zh")
    topic_lines = [
        f"【{t.title}】 " + " / ".join(o.title for o in assistant.topic_questions(t.fact_id, "zh")[:3])
        for t in topics
    ]
    greeting = assistant.greeting("zh")
    assert blocks == [
        *greeting.split("\n\n"),
        "/help 帮助 · /topics 主题 · /lang en English · /quit 退出",
        *assistant.help("zh").split("\n\n"),
        "\n".join(topic_lines),
        "Switched to English.",
        *expected_first.text.split("\n\n"),
        *expected_followup.text.split("\n\n"),
        "Goodbye!",
    ]


def test_greeting_says_what_it_can_answer(assistant: Assistant) -> None:
    first = chat(assistant, "/quit")[0]
    assert first.startswith("您好！我是金水区问答助手。")
    assert f"{len(assistant.base.facts)}条" in first
    assert replies.topics_line(assistant.base, "zh") in first
    for example in replies.EXAMPLES["zh"]:
        assert example in first


def test_topics_lists_every_topic(assistant: Assistant) -> None:
    blocks = chat(assistant, "/topics")
    listing = blocks[-2].splitlines()
    assert len(listing) == len(assistant.base.topics)
    for line, topic in zip(listing, assistant.base.topics, strict=True):
        assert line.startswith(f"【{topic.title.zh}】 ")
        assert line.count(" / ") == min(3, len(assistant.base.facts_of(topic.id))) - 1


def test_chinese_question_and_followup(assistant: Assistant) -> None:
    blocks = chat(assistant, "今年谋划了多少重点项目", "总投资呢")
    count = assistant.base.fact("key_projects_count")
    total = assistant.base.fact("key_projects_total_investment")
    assert blocks[-5] == count.answer.zh
    assert blocks[-4].startswith("来源：《")
    assert blocks[-3] == total.answer.zh
    assert blocks[-1] == "再见！"


def test_end_of_input_quits_and_blank_lines_are_skipped(assistant: Assistant) -> None:
    blocks = chat(assistant, "", "   ", "你好")
    assert blocks[-2] == assistant.reply("你好").text
    assert blocks[-1] == "再见！"


def test_lang_usage_and_back(assistant: Assistant) -> None:
    blocks = chat(assistant, "/lang fr", "/lang en", "/help", "/lang zh")
    expected = [
        "用法：/lang zh 或 /lang en",
        "Switched to English.",
        *assistant.help("en").split("\n\n"),
        "已切换为中文。",
        "再见！",
    ]
    assert blocks[-len(expected) :] == expected


def test_about_in_english_names_the_english_publisher(assistant: Assistant) -> None:
    blocks = chat(assistant, "/lang en", "/about")
    about = blocks[-2]
    assert about.startswith("I'm the Jinshui District Q&A assistant.")
    assert "Zhengzhou Daily" in about
    assert "郑州日报" not in about


def test_console_records_questions(assistant: Assistant) -> None:
    recorded: list[tuple[str, Reply]] = []

    class Recorder:
        def record(self, *, channel: str, user_id: str | int | None, reply: Reply, latency_ms: float) -> None:
            assert user_id is None and latency_ms >= 0
            recorded.append((channel, reply))

    run_console(
        lambda: assistant, stdin=io.StringIO("/help\n高企有几家\n"), stdout=io.StringIO(), recorder=Recorder()
    )
    assert [(channel, reply.fact_id) for channel, reply in recorded] == [("console", "high_tech_enterprises")]
