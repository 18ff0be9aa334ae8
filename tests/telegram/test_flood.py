"""Flood protection: the pure limiter, then through the bot (one notice, silence, others unaffected)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jinshui_qa.storage.question_log import QuestionLog
from jinshui_qa.telegram.flood import ALLOW, DROP, NOTIFY, FloodGuard
from tests.support.telegram_harness import BotFactory


def test_eleventh_message_in_ten_seconds_gets_one_notice_then_silence() -> None:
    guard = FloodGuard()
    verdicts = [guard.check(1, 0.5 * n) for n in range(14)]
    assert verdicts == [ALLOW] * 10 + [NOTIFY] + [DROP] * 3
    assert guard.check(2, 6.0) is ALLOW  # others are unaffected
    assert guard.check(1, 14.9) is DROP  # still within ten seconds of the notice
    assert guard.check(1, 15.0) is ALLOW  # the window has passed


def test_a_steady_pace_is_never_limited() -> None:
    guard = FloodGuard()
    assert all(guard.check(1, 1.01 * n) is ALLOW for n in range(200))


def test_memory_is_bounded() -> None:
    guard = FloodGuard(max_users=100)
    for user in range(1000):
        guard.check(user, 0.0)
    assert len(guard) == 100
    guard.check(5000, 100.0)  # everyone else is idle by now
    assert len(guard) == 1


@given(st.lists(st.floats(min_value=0, max_value=60, allow_nan=False), max_size=80))
def test_never_more_than_limit_answers_in_any_window(offsets: list[float]) -> None:
    guard = FloodGuard(limit=10, window=10.0)
    times = sorted(offsets)
    verdicts = [guard.check(7, t) for t in times]
    allowed = [t for t, v in zip(times, verdicts, strict=True) if v is ALLOW]
    assert all(sum(1 for u in allowed if t - 10.0 < u <= t) <= 10 for t in allowed)
    notices = [t for t, v in zip(times, verdicts, strict=True) if v is NOTIFY]
    assert all(b - a >= 10.0 for a, b in itertools.pairwise(notices))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_flooding_user_gets_one_notice_and_others_are_answered(make_bot: BotFactory) -> None:
    clock = Clock()
    async with make_bot(clock=clock) as bot:
        for n in range(12):
            bot.message(500, f"/help {n}")
        bot.message(501, "/help")
        await bot.settle()
        flooder = [c.text for c in bot.fake.replies(500)]
        assert flooder[:10] == [bot.assistant.help("zh")] * 10
        assert flooder[10:] == ["您发得太快了，我稍等几秒再继续回答。"]
        assert [c.text for c in bot.fake.replies(501)] == [bot.assistant.help("zh")]

        clock.now += 10.0
        assert (await bot.ask(500, "/help")).text == bot.assistant.help("zh")


async def test_the_muting_log_line_names_the_keyed_hash_not_the_user_id(
    make_bot: BotFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    flooder = 555_123_987
    with QuestionLog.in_dir(tmp_path / "data") as questions:
        async with make_bot(clock=Clock(), recorder=questions) as bot:
            for n in range(11):
                bot.message(flooder, f"/help {n}")
            await bot.settle()
        tag = (questions.user_hash(flooder) or "")[:12]
    (muting,) = [r.getMessage() for r in caplog.records if "muting" in r.getMessage()]
    assert muting == f"flood: muting user {tag} for 10 s" and len(tag) == 12
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("jinshui_qa")]
    assert ours and not [line for line in ours if str(flooder) in line]
