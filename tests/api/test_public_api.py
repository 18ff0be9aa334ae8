"""The curated public API: every name in ``__all__`` resolves, and a script can ask questions with it."""

from __future__ import annotations

import subprocess
import sys

import pytest

import jinshui_qa
from tests.support.tiny import REAL_FACTS


def test_every_public_name_resolves() -> None:
    for name in jinshui_qa.__all__:
        assert getattr(jinshui_qa, name) is not None
    with pytest.raises(AttributeError):
        jinshui_qa.no_such_name  # noqa: B018


def test_a_script_embeds_the_bot_with_the_public_api() -> None:
    assistant = jinshui_qa.load_assistant(REAL_FACTS)
    session = jinshui_qa.Session()
    reply = assistant.reply("金水区有多少家科技型企业", session)
    assert isinstance(reply, jinshui_qa.Reply)
    assert (reply.status, reply.fact_id) == ("answer", "tech_enterprises")
    assert "2058" in reply.text
    with pytest.raises(jinshui_qa.FactsDirMissing):
        jinshui_qa.load_assistant(REAL_FACTS / "no-such-folder")


def test_importing_the_package_loads_nothing_else() -> None:
    code = "import sys, jinshui_qa; print(sorted(m for m in sys.modules if m.startswith('jinshui_qa')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['jinshui_qa']"
