"""The local console: an interactive chat with line editing, history and slash commands.

While it runs, :class:`Notices` prints a one-line notice whenever the facts watcher swaps in an edit or
rejects one; :func:`~jinshui_qa.console.logs.one_line_logs` keeps log records out of the chat.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from jinshui_qa.console.votes import Votes
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.errors import Problem
from jinshui_qa.facts.schema import Lang
from jinshui_qa.ports import AssistantSource, QuestionRecorder
from jinshui_qa.text.visible import visible

if TYPE_CHECKING:
    from jinshui_qa.facts.live import Reloaded

COMMANDS = ("/help", "/topics", "/about", "/lang", "/good", "/bad", "/debug", "/reload", "/quit")


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
            from jinshui_qa.storage.private_files import private_dir, private_file

            try:  # what was typed is as private as the question log: owner-only
                private_dir(history.parent)
                readline.write_history_file(history)
                private_file(history)
            except OSError:
                pass

    return save


class Notices:
    """The facts watcher's news as one line each (called from the watcher thread).

    At an interactive prompt the notice replaces the line being typed, which is then drawn again
    (``prompt``, kept up to date by :func:`run_console`, plus what readline holds so far).
    """

    def __init__(self, stdout: TextIO, *, interactive: bool = False) -> None:
        self.stdout = stdout
        self.interactive = interactive
        self.prompt = ""
        self._lock = threading.Lock()
        self._muted = 0  # /reload running: its reply says the problems, they are not shown twice

    def quietly(self, reload: Callable[[], list[Problem]]) -> Callable[[], list[Problem]]:
        """``reload`` with the problems it finds left to the caller's reply (shown once, not as a notice)."""

        def run() -> list[Problem]:
            self._muted += 1
            try:
                return reload()
            finally:
                self._muted -= 1

        return run

    def reloaded(self, event: Reloaded) -> None:
        self.show(f"[{event.summary()}]")

    def problems(self, problems: list[Problem]) -> None:
        if problems and not self._muted:
            more = f" (+{len(problems) - 1} more, see `jinshui-qa check`)" if len(problems) > 1 else ""
            self.show(f"[facts not reloaded, the old facts keep answering: {problems[0]}{more}]")

    def show(self, line: str) -> None:
        line = " ".join(line.splitlines())
        with self._lock:
            if self.interactive:
                self.stdout.write(f"\r\x1b[K{line}\n{self.prompt}{_typed()}")
            else:
                self.stdout.write(f"{line}\n\n")
            self.stdout.flush()


def _typed() -> str:
    """What has been typed at the prompt so far (empty without readline)."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return ""
    return readline.get_line_buffer()


CONSOLE_HELP = {
    "zh": "控制台：/debug 显示匹配的事实、得分和原因（再输一次关闭），/reload 重新读取事实目录（包括删除或改名的文件），"
    "/quit 退出（或 Ctrl-D）；Ctrl-C 清空当前输入，连按两次退出。",
    "en": "Console: /debug shows the matched fact, score and reason (again to turn it off); /reload reads the "
    "facts directory again (deleted or renamed files included); /quit leaves (or Ctrl-D); Ctrl-C clears the "
    "line, twice in a row quits.",
}
UNKNOWN = {
    "zh": "未知命令：{command}。可用命令：{commands}",
    "en": "Unknown command: {command}. Commands: {commands}",
}


def debug_line(reply: Reply) -> str:
    """What ``/debug`` shows under a reply: status, fact id, score and reason (options for a clarify)."""
    parts = [f"status={reply.status}", f"fact={reply.fact_id or '-'}", f"score={reply.score:g}",
             f"reason={reply.reason or '-'}"]  # fmt: skip
    if reply.options:
        parts.append("options=" + ",".join(o.fact_id for o in reply.options))
    return "[debug] " + " ".join(parts)


class _Console:
    """One console session's state: language, follow-up session, /debug, and the last Ctrl-C."""

    def __init__(self, source: AssistantSource, say: Callable[[str], None], votes: Votes,
                 reload: Callable[[], list[Problem]] | None = None) -> None:  # fmt: skip
        self.source = source
        self.reload = reload
        self.say = say
        self.votes = votes
        self.session = Session()
        self.lang: Lang = "zh"
        self.debug = False

    def command(self, command: str, arg: str) -> None:
        """Run a slash command; an unknown one gets the list of commands and is not taken as a question."""
        assistant, lang = self.source(), self.lang
        self.votes.command(command)  # a command shows no answer: /good after /topics rates the last one
        if command == "/help":
            self.say(assistant.help(lang) + "\n" + CONSOLE_HELP[lang])
        elif command == "/topics":
            lines = []
            for topic in assistant.topics(lang):
                examples = assistant.topic_questions(topic.fact_id, lang)[:3]
                lines.append(f"【{topic.title}】 " + " / ".join(o.title for o in examples))
            self.say("\n".join(lines))
        elif command == "/about":
            self.say(assistant.about(lang))
        elif command == "/lang":
            if arg.strip() in ("zh", "en"):
                self.lang = "zh" if arg.strip() == "zh" else "en"
                self.session.lang, self.session.reply_lang = self.lang, None  # as Telegram's /lang
                self.say("已切换为中文。" if self.lang == "zh" else "Switched to English.")
            else:
                self.say("用法：/lang zh 或 /lang en" if lang == "zh" else "Usage: /lang zh or /lang en")
        elif command in ("/good", "/bad"):
            self.say(self.votes.vote(command == "/good", arg, lang))
        elif command == "/reload":
            self.say(self._reloaded(lang))
        elif command == "/debug":
            self.debug = not self.debug
            on = {"zh": "调试信息：开", "en": "Debug: on"}, {"zh": "调试信息：关", "en": "Debug: off"}
            self.say(on[0 if self.debug else 1][lang])
        else:
            self.say(UNKNOWN[lang].format(command=command[:40], commands=" ".join(COMMANDS)))

    def _reloaded(self, lang: Lang) -> str:
        """/reload: the facts directory read again, a deleted or renamed file's facts dropped."""
        if self.reload is None:
            return (
                "这个控制台没有可重新读取的事实目录。"
                if lang == "zh"
                else "This console has no facts directory to reload."
            )
        problems = self.reload()
        if problems:
            more = f" (+{len(problems) - 1})" if len(problems) > 1 else ""
            head = (
                "事实未重新加载，仍使用原来的事实"
                if lang == "zh"
                else "facts not reloaded, the old facts keep answering"
            )
            return f"[{head}: {problems[0]}{more}]"
        count = len(self.source().base.facts)
        return (
            f"已重新读取事实目录：{count} 条事实。"
            if lang == "zh"
            else f"Facts directory read again: {count} facts."
        )

    def ask(self, text: str, recorder: QuestionRecorder | None) -> None:
        started = time.perf_counter()
        reply = self.votes.answered(self.source().reply(text, self.session, now=time.monotonic()))
        if recorder is not None:
            latency = (time.perf_counter() - started) * 1000
            recorder.record(channel="console", user_id=None, reply=reply, latency_ms=latency)
        self.say(reply.text + ("\n" + debug_line(reply) if self.debug else ""))


def run_console(source: AssistantSource, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
                history: Path | None = None, recorder: QuestionRecorder | None = None,
                notices: Notices | None = None, reload: Callable[[], list[Problem]] | None = None) -> int:  # fmt: skip
    """Chat until /quit, end of input (Ctrl-D) or two Ctrl-C in a row; returns the exit code.

    Ctrl-C once clears the line being typed. A line starting with ``/`` is a command, never a question:
    an unknown one is answered with the list of commands and is not logged. Bytes that are not UTF-8 are
    read as U+FFFD (``stdin`` is switched to ``errors="replace"`` when it can be), as ``ask`` reads them.
    """
    with contextlib.suppress(AttributeError, ValueError, OSError):
        stdin.reconfigure(errors="replace")  # type: ignore[attr-defined]
    interactive = stdin.isatty() and stdout.isatty()
    save_history = _enable_line_editing(history) if interactive else (lambda: None)

    def say(text: str) -> None:  # visible(): no control character a user typed reaches the terminal
        stdout.write(visible(text) + "\n\n")
        stdout.flush()

    if notices is not None and reload is not None:
        reload = notices.quietly(reload)
    console = _Console(source, say, Votes(recorder), reload)
    rate = " · /good /bad 评价上一个回答" if console.votes.feedback else ""
    say(source().greeting("zh") + f"\n\n/help 帮助 · /topics 主题 · /lang en English{rate} · /quit 退出")
    interrupted = False
    try:
        while True:
            prompt = "你> " if console.lang == "zh" else "you> "
            if notices is not None:
                notices.prompt = prompt
            try:
                line = input(prompt) if interactive else stdin.readline()
            except UnicodeDecodeError:  # a stream that cannot be told to replace: skip the undecodable line
                line = "\ufffd\n"
            except EOFError:
                stdout.write("\n" if interactive else "")
                break
            except KeyboardInterrupt:
                if interrupted:
                    stdout.write("\n")
                    break
                interrupted = True
                hint = (
                    "（再按一次 Ctrl-C 或 Ctrl-D 退出）"
                    if console.lang == "zh"
                    else "(Ctrl-C again or Ctrl-D to quit)"
                )
                stdout.write(f"^C {hint}\n")
                continue
            interrupted = False
            if not interactive and line == "":
                break
            # bytes that are not UTF-8 arrive as surrogates: make them U+FFFD, a question like any other
            text = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace").strip()
            if not text:
                continue
            command, _, arg = text.partition(" ")
            if command in ("/quit", "/exit", "/q"):
                break
            if text.startswith("/"):
                console.command(command, arg)
            else:
                console.ask(text, recorder)
    finally:
        save_history()
    say("再见！" if console.lang == "zh" else "Goodbye!")
    return 0
