"""bootstrap.open_runtime: what every long-running channel gets (assistant, live reload, log, fact store)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from jinshui_qa import bootstrap, cli
from jinshui_qa.bootstrap import open_runtime
from jinshui_qa.storage.fact_store import read_meta
from jinshui_qa.storage.question_log import QuestionLog, read_questions
from jinshui_qa.storage.question_writer import BackgroundQuestionLog
from jinshui_qa.telegram import cli as telegram_cli
from tests.support.tiny import WriteFacts


def test_a_runtime_has_everything_a_channel_needs(write_facts: WriteFacts, tmp_path: Path) -> None:
    facts = write_facts()
    data = tmp_path / "data"
    with open_runtime(facts, data, fact_store=True) as runtime:
        assert (runtime.facts_dir, runtime.data_dir) == (facts, data)
        assert runtime.store_path == data / "facts.db" and read_meta(runtime.store_path)["fingerprint"]
        assert runtime.live.store_path == runtime.store_path  # rebuilt on every reload
        reply = runtime.live().reply("高企数量")
        assert reply.fact_id == "hte_count"
        log = runtime.question_log()
        assert isinstance(log, QuestionLog)
        log.record(channel="console", user_id=None, reply=reply, latency_ms=1.0)
        background = runtime.question_log(background=True)
        assert isinstance(background, BackgroundQuestionLog)
        background.record(channel="telegram", user_id=7, reply=reply, latency_ms=1.0)
        runtime.live.start()
    # closing wrote what was queued and stopped the watcher
    assert sorted(r.channel for r in read_questions(data / "questions.db")) == ["console", "telegram"]
    assert runtime.live._thread is None


def test_without_a_fact_store_nothing_is_written_but_the_log(write_facts: WriteFacts, tmp_path: Path) -> None:
    with open_runtime(write_facts(), tmp_path / "data") as runtime:
        assert runtime.store_path is None
    assert not (tmp_path / "data" / "facts.db").exists()


def test_the_data_directory_comes_from_dot_env(
    write_facts: WriteFacts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = write_facts()
    monkeypatch.delenv("JQA_DATA_DIR", raising=False)
    monkeypatch.delenv("JQA_FACTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        f"JQA_DATA_DIR={tmp_path / 'env-data'}\nJQA_FACTS_DIR={facts}\n", encoding="utf-8"
    )
    with open_runtime() as runtime:
        assert (runtime.facts_dir, runtime.data_dir) == (facts, tmp_path / "env-data")


def test_chat_and_bot_are_wired_by_the_bootstrap_only() -> None:
    # the entry points choose an adapter; neither builds a LiveAssistant or a question log by hand
    for source in (inspect.getsource(cli._cmd_chat), inspect.getsource(telegram_cli.run)):
        assert "open_runtime(" in source
        assert "LiveAssistant(" not in source and "QuestionLog.in_dir(" not in source
    assert "LiveAssistant(" in inspect.getsource(bootstrap.open_runtime)
