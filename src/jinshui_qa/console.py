"""The local console: an interactive chat with line editing, history and slash commands."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from jinshui_qa.dialogue import Session
from jinshui_qa.ports import AssistantSource, QuestionRecorder
from jinshui_qa.schema import Lang

COMMANDS = ("/help", "/topics", "/about", "/lang", "/quit")


def _enable_line_editing(history: Path | None) -> Callable[[], None]:
    """Turn on readline editing and history when available; returns a function that saves history."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return lambda: None
    if history is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
    readline.set_history_length(1000)

    def save() -> None:
        if history is not None:
            try:
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history)
            except OSError:
                pass

    return save


def run_console(source: AssistantSource, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
                history: Path | None = None, recorder: QuestionRecorder | None = None) -> int:  # fmt: skip
    """Chat until /quit or end of input; returns the exit code."""
    interactive = stdin.isatty() and stdout.isatty()
    save_history = _enable_line_editing(history) if interactive else (lambda: None)
    session = Session()
    lang: Lang = "zh"

    def say(text: str) -> None:
        stdout.write(text + "\n\n")
        stdout.flush()

    say(source().greeting(lang) + "\n\n/help 帮助 · /topics 主题 · /lang en English · /quit 退出")
    try:
        while True:
            try:
                line = input("你> " if lang == "zh" else "you> ") if interactive else stdin.readline()
            except EOFError:
                break
            if not interactive and line == "":
                break
            text = line.strip()
            if not text:
                continue
            assistant = source()
            command, _, arg = text.partition(" ")
            if command in ("/quit", "/exit", "/q"):
                break
            if command == "/help":
                say(assistant.help(lang))
            elif command == "/topics":
                lines = []
                for topic in assistant.topics(lang):
                    examples = assistant.topic_questions(topic.fact_id, lang)[:3]
                    lines.append(f"【{topic.title}】 " + " / ".join(o.title for o in examples))
                say("\n".join(lines))
            elif command == "/about":
                say(assistant.about(lang))
            elif command == "/lang":
                if arg.strip() in ("zh", "en"):
                    lang = "zh" if arg.strip() == "zh" else "en"
                    session.lang = lang
                    say("已切换为中文。" if lang == "zh" else "Switched to English.")
                else:
                    say("用法：/lang zh 或 /lang en" if lang == "zh" else "Usage: /lang zh or /lang en")
            else:
                started = time.perf_counter()
                reply = assistant.reply(text, session, now=time.monotonic())
                if recorder is not None:
                    latency = (time.perf_counter() - started) * 1000
                    recorder.record(channel="console", user_id=None, reply=reply, latency_ms=latency)
                say(reply.text)
    except KeyboardInterrupt:
        stdout.write("\n")
    finally:
        save_history()
    say("再见！" if lang == "zh" else "Goodbye!")
    return 0
