"""Live facts and the admins, through the real client: /reload, /stats, notices about edits, the question log.

Every test runs the bot on a :class:`LiveAssistant` over a copy of ``facts/`` and logs to a fresh data dir.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.storage.question_log import read_questions
from jinshui_qa.storage.question_writer import BackgroundQuestionLog
from tests.support.live_facts import NEW_ANSWER, NEW_FACT, NEW_QUESTION
from tests.support.telegram_harness import BotFactory, Harness

REPO_FACTS = Path(__file__).resolve().parents[2] / "facts"
ADMIN, OTHER_ADMIN, CITIZEN = 5001, 5002, 6001
QUESTION = "金水区有多少家科技型企业"
TALENT_QUESTION = "金水区新增了几位院士"
Start = Callable[..., AbstractAsyncContextManager[tuple[Harness, LiveAssistant]]]
ENTERPRISES = (REPO_FACTS / "enterprises.yaml").read_text(encoding="utf-8").splitlines()
AUDIENCE = ENTERPRISES.index("    audience: both") + 1  # the first fact's; YAML stumbles on the line after
FIRST = ENTERPRISES.index("  - id: tech_enterprises") + 1
SECOND = ENTERPRISES.index("  - id: high_tech_enterprises") + 1


def edit(facts: Path, name: str, change: Callable[[str], str]) -> None:
    path = facts / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Until ``condition()`` holds (checked every 10 ms), failing after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO_FACTS, tmp_path / "facts"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def questions(data: Path) -> Iterator[BackgroundQuestionLog]:
    """The question log as ``jinshui-qa bot`` writes it: queued, a thread writes it."""
    with BackgroundQuestionLog.in_dir(data) as log:
        yield log


@pytest.fixture
def start(
    make_bot: BotFactory, facts: Path, data: Path, questions: BackgroundQuestionLog, assistant: Assistant
) -> Start:
    """``async with start() as (bot, live):`` the bot on live facts; ``watch=False``: no watching by itself."""

    @asynccontextmanager
    async def factory(*, watch: bool = True, **kwargs: Any) -> AsyncIterator[tuple[Harness, LiveAssistant]]:
        live = LiveAssistant(facts, assistant, interval=0.05 if watch else 3600)  # facts/ as the copy
        admins = frozenset({ADMIN, OTHER_ADMIN})
        async with make_bot(source=live, recorder=questions, admins=admins, data_dir=data, **kwargs) as bot:
            yield bot, live
        assert live._thread is None  # the watcher stops with the bot

    return factory


async def test_the_admin_commands_are_shown_to_the_admins_only(start: Start) -> None:
    async with start(watch=False) as (bot, _):
        calls = bot.fake.of("setMyCommands")
    names = [({c["command"] for c in call.params["commands"]}, call.params.get("scope")) for call in calls]
    public = [commands for commands, scope in names if scope is None]
    assert len(public) == 2 and all(commands.isdisjoint({"reload", "stats"}) for commands in public)
    scoped = [(call.params["scope"], call.params.get("language_code")) for call in calls[2:]]
    assert scoped == [
        ({"type": "chat", "chat_id": a}, lang) for a in (ADMIN, OTHER_ADMIN) for lang in (None, "zh")
    ]
    assert all({"reload", "stats", "start", "help"} <= commands for commands, scope in names if scope)


async def test_an_admins_reload_swaps_in_a_valid_edit(start: Start, facts: Path) -> None:
    async with start(watch=False) as (bot, live):
        before = live()
        edit(facts, "enterprises.yaml", lambda text: text + NEW_FACT)
        assert NEW_ANSWER not in (await bot.ask(CITIZEN, NEW_QUESTION)).text  # not until /reload
        reply = await bot.ask(ADMIN, "/reload", lang="en")
        assert reply.text == f"reloaded: {len(before.base.facts) + 1} facts"
        assert (await bot.ask(CITIZEN + 1, NEW_QUESTION)).text.startswith("据2022年的报道，" + NEW_ANSWER)
        assert before.reply(NEW_QUESTION).fact_id != "robot_labs"  # a question in flight ends on the old one
        again = await bot.ask(OTHER_ADMIN, "/reload")  # nothing changed since: still fine, in Chinese
        assert again.text == f"已重新加载：{len(before.base.facts) + 1}条事实。"
        await bot.settle()
    # /reload answers whoever sent it; no admin gets a notice besides
    assert [c.text for c in bot.fake.replies(ADMIN) + bot.fake.replies(OTHER_ADMIN)] == [
        reply.text,
        again.text,
    ]


async def test_others_may_not_reload_or_see_stats(start: Start, facts: Path) -> None:
    async with start(watch=False) as (bot, live):
        before = live()
        edit(facts, "enterprises.yaml", lambda text: text + NEW_FACT)
        refused = "Sorry, that command is for the bot's admins only: not allowed."
        assert (await bot.ask(CITIZEN, "/reload", lang="en")).text == refused
        assert (await bot.ask(CITIZEN, "/stats", lang="en")).text == refused
        assert (await bot.ask(CITIZEN + 1, "/reload")).text == "抱歉，这个命令仅限管理员使用。"
        await bot.settle()
        assert live() is before
        assert NEW_ANSWER not in (await bot.ask(CITIZEN + 2, NEW_QUESTION)).text


BROKEN: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "malformed-yaml": (
        lambda facts: edit(facts, "enterprises.yaml", lambda t: t.replace("audience: both\n", "audience: [both\n", 1)),
        f"enterprises.yaml:{AUDIENCE + 1}: malformed YAML",
        QUESTION,
    ),
    "duplicate-id": (
        lambda facts: edit(facts, "enterprises.yaml", lambda t: t.replace("id: high_tech_enterprises", "id: tech_enterprises")),
        f"enterprises.yaml:{SECOND}: duplicate fact id 'tech_enterprises' (first at enterprises.yaml:{FIRST})",
        QUESTION,
    ),
    "deleted-file": (
        lambda facts: (facts / "talent.yaml").unlink(),
        "talent.yaml: file deleted; its facts keep being served until /reload",
        TALENT_QUESTION,
    ),
    "half-written": (
        lambda facts: edit(facts, "enterprises.yaml", lambda t: t[: t.index("id: high_tech_enterprises") + 12]),
        f"enterprises.yaml:{SECOND}: fact high_tec: missing key 'answer'",
        QUESTION,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BROKEN))
async def test_an_invalid_edit_keeps_the_old_answers_and_tells_the_admins(
    start: Start, facts: Path, assistant: Assistant, case: str
) -> None:
    breaks, problem, question = BROKEN[case]
    originals = {p.name: p.read_bytes() for p in facts.glob("*.yaml")}
    async with start() as (bot, live):
        before = live()
        assert (await bot.ask(ADMIN, "/stats", lang="en")).text  # ADMIN reads English from now on
        breaks(facts)
        await bot.fake.wait_until(lambda: len(bot.fake.replies(OTHER_ADMIN)) == 1, what="the admins' notice")
        await bot.fake.wait_until(lambda: len(bot.fake.replies(ADMIN)) == 2, what="the admins' notice")
        notice = bot.fake.replies(ADMIN)[1].text
        assert notice.startswith("⚠️ An edit to the facts is invalid; the old facts keep answering:\n")
        assert any(line.startswith(problem) for line in notice.splitlines()[1:])
        assert bot.fake.replies(OTHER_ADMIN)[0].text.startswith(
            "⚠️ 资料修改未通过检查，仍按原来的资料回答：\n"
        )
        assert problem in bot.fake.replies(OTHER_ADMIN)[0].text
        assert (await bot.ask(CITIZEN, question)).text == assistant.reply(question, Session()).text
        assert live() is before
        for name, content in originals.items():  # the save completes: back to the same facts, quietly
            (facts / name).write_bytes(content)
        await eventually(lambda: live.last_problems == [] and live.poll() is None)  # poll(): no change
        assert (await bot.ask(CITIZEN + 1, question)).text == assistant.reply(question, Session()).text
        await bot.settle()
    assert len(bot.fake.replies(ADMIN)) == 2 and len(bot.fake.replies(OTHER_ADMIN)) == 1


async def test_reload_reports_the_problems_to_the_admin_who_asked(start: Start, facts: Path) -> None:
    async with start(watch=False) as (bot, live):
        before = live()
        BROKEN["malformed-yaml"][0](facts)
        reply = await bot.ask(ADMIN, "/reload", lang="en")
        lines = reply.text.splitlines()
        assert lines[0] == "not reloaded; the old facts keep answering:"
        assert lines[1].startswith(f"enterprises.yaml:{AUDIENCE + 1}: malformed YAML")
        await bot.settle()
        assert live() is before and bot.fake.replies(OTHER_ADMIN) == []


async def test_a_valid_edit_is_picked_up_by_itself_and_the_admins_hear_of_it(
    start: Start, facts: Path
) -> None:
    async with start() as (bot, live):
        count = len(live().base.facts)
        assert (await bot.ask(ADMIN, "/stats", lang="en")).text
        edit(facts, "enterprises.yaml", lambda text: text + NEW_FACT)
        await bot.fake.wait_until(
            lambda: len(bot.fake.replies(ADMIN)) == 2 and bool(bot.fake.replies(OTHER_ADMIN))
        )
        assert bot.fake.replies(ADMIN)[1].text == f"✅ facts reloaded: {count + 1} facts (+1 -0)"
        assert bot.fake.replies(OTHER_ADMIN)[0].text == f"✅ 资料已更新：{count + 1}条事实（新增1，删除0）。"
        assert (await bot.ask(CITIZEN, NEW_QUESTION)).text.startswith("据2022年的报道，" + NEW_ANSWER)


async def test_questions_are_logged_with_a_hashed_user_id(
    start: Start, data: Path, questions: BackgroundQuestionLog
) -> None:
    user = 777_000_111
    async with start(watch=False) as (bot, _):
        answer = await bot.ask(user, QUESTION)
        related = answer.buttons[0][1]
        bot.press(answer, related)
        await bot.fake.wait_until(lambda: len(bot.fake.replies(user)) == 2)
        await bot.ask(user, "/help")  # commands are not questions
        await bot.settle()
    rows = read_questions(data / "questions.db")
    assert [(r.channel, r.status, r.fact_id) for r in rows] == [
        ("telegram", "answer", "tech_enterprises"),
        ("telegram", "answer", related.split(":")[1]),
    ]
    assert rows[0].question == QUESTION and all(r.latency_ms > 0 for r in rows)
    assert {r.user_hash for r in rows} == {questions.user_hash(user)} and len(rows[0].user_hash or "") == 64
    stored = b"".join(path.read_bytes() for path in data.glob("questions.db*"))
    assert str(user).encode() not in stored


async def test_stats_for_an_admin(start: Start) -> None:
    async with start(watch=False) as (bot, _):
        await bot.ask(CITIZEN, QUESTION)
        await bot.ask(CITIZEN + 1, QUESTION, lang="en")
        await bot.settle()  # each question is queued once its reply is out; /stats writes them first
        english = await bot.ask(ADMIN, "/stats", lang="en")
        chinese = await bot.ask(OTHER_ADMIN, "/stats")
    assert english.text.startswith("Last 7 days: 2 questions from 2 users; answered 2 (100%), unanswered 0")
    assert "Top topic: Enterprises and innovation carriers." in english.text
    assert chinese.text.startswith("近7天：2个问题，2位用户；已回答2（100%）")


async def test_an_admin_in_a_group_gets_no_stats_or_reload_there(start: Start, facts: Path) -> None:
    """In a group everyone would read the other users' questions: admin commands answer in private only."""
    group = -5100
    async with start(watch=False) as (bot, live):
        await bot.ask(CITIZEN, QUESTION)
        before = live()
        edit(facts, "enterprises.yaml", lambda text: text + NEW_FACT)
        refused = "Sorry, that command is for the bot's admins only: not allowed."
        stats = await bot.ask(group, "/stats", user_id=ADMIN, lang="en")
        reload = await bot.ask(group, "/reload", user_id=ADMIN, lang="en")
        assert stats.text == refused and reload.text == refused
        await bot.settle()
        assert live() is before
        assert (await bot.ask(ADMIN, "/stats", lang="en")).text.startswith("Last 7 days: 1 questions")
