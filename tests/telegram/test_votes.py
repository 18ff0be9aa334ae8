"""👍/👎 under the bot's answers: the vote is stored with the question's id and the buttons become a thank-you."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jinshui_qa.storage.feedback import read_votes
from jinshui_qa.storage.question_log import QuestionLog, read_questions
from tests.support.telegram_harness import BotFactory

HIGH_TECH = "金水区有多少家高新技术企业"


async def test_an_answer_carries_votes_and_a_vote_is_stored(make_bot: BotFactory, tmp_path: Path) -> None:
    data = tmp_path / "bot-data"
    with QuestionLog.in_dir(data) as questions:
        async with make_bot(data_dir=data, recorder=questions) as bot:
            reply = await bot.ask(300, HIGH_TECH)
            votes = reply.buttons[-2:]
            assert [label for label, _ in votes] == ["👍", "👎"]
            question_id = votes[1][1].split(":")[1]
            assert votes[0][1] == f"g:{question_id}:zh" and len(question_id) == 32
            related = reply.buttons[:-2]
            assert related and all(data.startswith("q:") for _, data in related)

            bot.press(reply, votes[1][1])
            await bot.fake.wait_until(
                lambda: bool(bot.fake.of("editMessageReplyMarkup")), what="the thank-you"
            )
            edited = bot.fake.of("editMessageReplyMarkup")[0]
            rows = edited.params["reply_markup"]["inline_keyboard"]
            labels = [b["text"] for row in rows for b in row]
            assert labels[-1] == "🙏 谢谢您的反馈" and "👍" not in labels and "👎" not in labels
            assert [b["callback_data"] for row in rows[:-1] for b in row] == [d for _, d in related]
            assert bot.fake.of("answerCallbackQuery")[-1].params.get("text") == "🙏 谢谢您的反馈"
    (row,) = read_questions(data / "questions.db")
    assert (row.channel, row.fact_id, row.question_id) == ("telegram", "high_tech_enterprises", question_id)
    (vote,) = read_votes(data / "questions.db")
    assert (vote.question_id, vote.channel, vote.vote) == (question_id, "telegram", "down")
    with sqlite3.connect(data / "questions.db") as conn:
        (voter,) = conn.execute("select voter_hash from feedback").fetchone()
    assert voter and voter != "300" and voter[:3] != "300"


async def test_no_vote_buttons_without_a_question_log(make_bot: BotFactory) -> None:
    async with make_bot() as bot:
        reply = await bot.ask(301, HIGH_TECH)
        assert all(data.startswith("q:") for _, data in reply.buttons)


async def test_a_vote_that_cannot_be_stored_is_said_so_and_the_buttons_stay(
    make_bot: BotFactory, tmp_path: Path
) -> None:
    data = tmp_path / "bot-data"
    with QuestionLog.in_dir(data) as questions:
        async with make_bot(data_dir=data, recorder=questions) as bot:
            reply = await bot.ask(302, HIGH_TECH)
            await bot.settle()  # the question is logged once the reply is out
            with sqlite3.connect(data / "questions.db") as conn:  # the votes table is broken under the bot
                conn.execute("drop table if exists feedback")
                conn.execute("create view feedback as select 1 as id")
            bot.press(reply, reply.buttons[-2][1])
            await bot.fake.wait_until(lambda: bool(bot.fake.of("answerCallbackQuery")), what="the answer")
            await bot.settle()
            assert (
                bot.fake.of("answerCallbackQuery")[-1].params.get("text") == "反馈没有保存成功，请稍后再试。"
            )
            assert not bot.fake.of("editMessageReplyMarkup")
