"""The console, driven through StringIO: greeting, commands, questions with follow-ups, /quit, live facts."""

from __future__ import annotations

import functools
import io
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import jinshui_qa.facts.live
from jinshui_qa.cli import main
from jinshui_qa.console.repl import COMMANDS, CONSOLE_HELP, run_console
from jinshui_qa.conversation import replies
from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.storage.question_log import read_questions
from tests.support.live_facts import NEW_FACT, NEW_QUESTION
from tests.support.tiny import REAL_FACTS


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
        *(assistant.help("zh") + "\n" + CONSOLE_HELP["zh"]).split("\n\n"),
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
    assert blocks[-5] == "据2022年的报道，" + count.answer.zh  # the data is over a year old: said once
    assert blocks[-4].startswith("来源：《")
    assert blocks[-3] == "据2022年的报道，" + total.answer.zh
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
        *(assistant.help("en") + "\n" + CONSOLE_HELP["en"]).split("\n\n"),
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


def test_help_lists_quit_and_debug(assistant: Assistant) -> None:
    help_block = chat(assistant, "/help")[-2]
    assert "/quit" in help_block and "/debug" in help_block and "Ctrl-C" in help_block


def test_an_unknown_command_lists_the_commands_and_is_not_a_question(assistant: Assistant) -> None:
    recorded: list[Reply] = []

    class Recorder:
        def record(self, *, channel: str, user_id: str | int | None, reply: Reply, latency_ms: float) -> None:
            recorded.append(reply)

    stdout = io.StringIO()
    run_console(lambda: assistant, stdin=io.StringIO("/stats\n/lang en\n/foo bar\n"), stdout=stdout,
                recorder=Recorder())  # fmt: skip
    blocks = stdout.getvalue()[:-2].split("\n\n")
    assert blocks[-4] == f"未知命令：/stats。可用命令：{' '.join(COMMANDS)}"
    assert blocks[-2] == f"Unknown command: /foo. Commands: {' '.join(COMMANDS)}"
    assert "/quit" in COMMANDS and recorded == []


def test_debug_shows_fact_score_and_reason(assistant: Assistant) -> None:
    out = "\n\n".join(chat(assistant, "/debug", "高企有几家", "二七区有多少高企", "/debug", "高企有几家"))
    answer = assistant.reply("高企有几家")
    refusal = assistant.reply("二七区有多少高企")
    assert refusal.status == "fallback" and refusal.reason  # a fallback says why
    on = out.index("调试信息：开")
    shown = out.index(
        f"{answer.text}\n[debug] status=answer fact=high_tech_enterprises score={answer.score:g} reason=-"
    )
    refused = out.index(
        f"{refusal.text}\n[debug] status=fallback fact=- score={refusal.score:g} reason={refusal.reason}"
    )
    off = out.index("调试信息：关")
    assert on < shown < refused < off
    assert "[debug]" not in out[off:] and answer.text in out[off:]


class Keys:
    """Standard input where ``None`` is a Ctrl-C (KeyboardInterrupt) and a string a line."""

    def __init__(self, *keys: str | None) -> None:
        self.keys = list(keys)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        key = self.keys.pop(0) if self.keys else ""
        if key is None:
            raise KeyboardInterrupt
        return key + "\n" if key else ""


def test_ctrl_c_clears_the_line_and_twice_quits(assistant: Assistant) -> None:
    stdout = io.StringIO()
    keys = Keys(None, "高企有几家", None, None, "never read")
    assert run_console(lambda: assistant, stdin=keys, stdout=stdout) == 0  # type: ignore[arg-type]
    out = stdout.getvalue()
    assert out.count("^C （再按一次 Ctrl-C 或 Ctrl-D 退出）") == 2  # one after the first, one after the third
    assert assistant.reply("高企有几家").text in out
    assert out.endswith("再见！\n\n") and keys.keys == ["never read"]


def test_end_of_input_is_ctrl_d(assistant: Assistant) -> None:
    stdout = io.StringIO()
    assert run_console(lambda: assistant, stdin=Keys(None), stdout=stdout) == 0  # type: ignore[arg-type]
    assert stdout.getvalue().endswith("^C （再按一次 Ctrl-C 或 Ctrl-D 退出）\n再见！\n\n")


QUESTION = "金水区有多少家科技型企业"


class Script:
    """Standard input that plays the test's script: a string is the next line, a callable runs in between."""

    def __init__(self, *steps: str | Callable[[], None]) -> None:
        self.steps = list(steps)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        while self.steps and callable(self.steps[0]):
            self.steps.pop(0)()
        step = self.steps.pop(0) if self.steps else ""
        return f"{step}\n" if step else ""


def _live_chat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, io.StringIO, Callable[[str], Callable[[], None]]]:
    """A copy of the real facts watched every 20 ms by ``chat``, its data in ``tmp_path/data``; the
    console's output; and a script step that waits until a text is printed."""
    facts = Path(shutil.copytree(REAL_FACTS, tmp_path / "facts"))
    monkeypatch.setenv("JQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        jinshui_qa.facts.live,
        "LiveAssistant",
        functools.partial(jinshui_qa.facts.live.LiveAssistant, interval=0.02),
    )
    out = io.StringIO()

    def until_printed(text: str) -> Callable[[], None]:
        def wait() -> None:
            deadline = time.monotonic() + 10
            while text not in out.getvalue():
                assert time.monotonic() < deadline, f"{text!r} never printed: {out.getvalue()[-300:]!r}"
                time.sleep(0.01)

        return wait

    return facts, out, until_printed


def test_chat_follows_the_facts_and_logs_every_question(
    assistant: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    facts, out, until_printed = _live_chat(tmp_path, monkeypatch)
    path = facts / "enterprises.yaml"
    original = path.read_text(encoding="utf-8")
    broken = original.replace("    audience: both\n", "    audience: [both\n", 1)
    line = original.splitlines().index("    audience: both") + 2  # YAML stumbles on the line after
    script = Script(
        QUESTION,
        lambda: path.write_text(broken, encoding="utf-8"),
        until_printed("[facts not reloaded"),
        QUESTION,
        lambda: path.write_text(original + NEW_FACT, encoding="utf-8"),
        until_printed("[facts reloaded"),
        NEW_QUESTION,
        "/quit",
    )
    monkeypatch.setattr(sys, "stdin", script)
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["chat", "--facts", str(facts)]) == 0

    text, count = out.getvalue(), len(assistant.base.facts)
    notice = f"[facts not reloaded, the old facts keep answering: enterprises.yaml:{line}: malformed YAML: "
    assert notice in text and f"[facts reloaded: {count + 1} facts, " in text
    assert text.count(assistant.base.fact("tech_enterprises").answer.zh) == 2  # the old facts answered
    assert "金水区有机器人实验室7个。" in text and text.endswith("再见！\n\n")
    assert capsys.readouterr().err == ""  # one notice on stdout, nothing on stderr, never a traceback
    rows = read_questions(data / "questions.db")
    assert [(r.channel, r.fact_id, r.user_hash) for r in rows] == [
        ("console", "tech_enterprises", None),
        ("console", "tech_enterprises", None),
        ("console", "robot_labs", None),
    ]


def test_after_a_file_is_renamed_chat_says_how_and_reload_takes_it_with_later_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    facts, out, until_printed = _live_chat(tmp_path, monkeypatch)
    talent = facts / "talent.yaml"
    edited = talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT
    script = Script(
        lambda: (facts / "enterprises.yaml").rename(facts / "companies.yaml"),
        until_printed("file deleted; its facts keep being served until /reload"),
        lambda: talent.write_text(edited, encoding="utf-8"),  # refused with the rename, not said again
        lambda: time.sleep(0.3),
        NEW_QUESTION,
        "/reload",
        NEW_QUESTION,
        QUESTION,
        "/quit",
    )
    monkeypatch.setattr(sys, "stdin", script)
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["chat", "--facts", str(facts)]) == 0
    text = out.getvalue()
    assert text.count("金水区有机器人实验室7个。") == 1  # only after /reload: the edit was held back
    assert "已重新读取事实目录：" in text and text.index("已重新读取事实目录：") < text.index(
        "金水区有机器人实验室7个。"
    )
    assert "2058家科技型企业" in text.split("已重新读取事实目录：", 1)[1]  # the renamed file's facts answer
    assert capsys.readouterr().err == ""


def test_reload_in_a_console_without_a_facts_directory_says_so(assistant: Assistant) -> None:
    blocks = chat(assistant, "/reload", "/lang en", "/reload")
    assert blocks[2] == "这个控制台没有可重新读取的事实目录。"
    assert blocks[4] == "This console has no facts directory to reload."
