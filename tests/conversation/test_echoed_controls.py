"""No control character a user typed comes back in a reply (text/visible.py): a compound reply quotes the
parts it could not answer, and ``ask``/``chat`` print replies on a terminal."""

from __future__ import annotations

import io
import json
import re

import pytest

from jinshui_qa.cli import main
from jinshui_qa.console.repl import run_console
from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.text.visible import quoted, visible
from tests.support.tiny import REAL_FACTS

HOSTILE = ["\x1b]0;PWNED\x07\x1b[2J", "\x9b31m", "\u202eevil", "\x00\x08\x7f", "a\rforged"]
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
QUESTIONS = [
    "金水区有几家高企，还有{x}是什么",
    "高企多少家？{x}天气怎么样？",
    "how many high-tech enterprises, and what about {x} the weather",
]


def test_quoted_and_visible_drop_controls_and_keep_the_words() -> None:
    assert quoted("高企\x1b]0;PWNED\x07\x1b[2J 和\u202e\n天气\x9b") == "高企]0;PWNED[2J 和 天气"
    assert visible("1. 高企\r\n2. 天气\x07\u2028·") == "1. 高企\n2. 天气\n·"


@pytest.mark.parametrize("template", QUESTIONS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_compound_reply_never_echoes_a_control_character(
    assistant: Assistant, template: str, hostile: str
) -> None:
    reply = assistant.reply(template.format(x=hostile), Session())
    assert not CONTROLS.search(reply.text), repr(reply.text)


def test_ask_prints_no_control_character_and_its_json_stays_valid(capsys: pytest.CaptureFixture[str]) -> None:
    question = QUESTIONS[1].format(x="".join(HOSTILE))
    assert main(["ask", "--facts", str(REAL_FACTS), question]) == 0
    out = capsys.readouterr().out
    assert "723" in out and not CONTROLS.search(out.replace("\n", "")), repr(out)
    assert main(["ask", "--facts", str(REAL_FACTS), "--json", question]) == 0
    out = capsys.readouterr().out
    assert not CONTROLS.search(out.rstrip("\n")), repr(out)
    assert json.loads(out)["question"] == question  # escaped, not lost


def test_the_console_prints_no_control_character() -> None:
    from jinshui_qa.bootstrap import bootstrap

    live = bootstrap(REAL_FACTS)
    out = io.StringIO()
    typed = "".join(f"{q.format(x=h)}\n" for q in QUESTIONS for h in HOSTILE) + "/nosuch\x1b[2J\n"
    assert run_console(lambda: live, stdin=io.StringIO(typed), stdout=out) == 0
    assert "723" in out.getvalue() and not CONTROLS.search(out.getvalue().replace("\n", "")), out.getvalue()
