"""A reply longer than Telegram's 4096 characters goes out as several messages, in order, nothing lost."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.telegram.texts import MAX_MESSAGE, chunks
from tests.support.telegram_harness import BotFactory

COMPOUND = "重点实验室和研发机构各有几家"


@given(st.lists(st.text(alphabet="金水区ab 1", min_size=0, max_size=900), min_size=1, max_size=30))
def test_chunks_fit_and_keep_every_line_in_order(lines: list[str]) -> None:
    text = "\n".join(lines)
    parts = chunks(text)
    assert all(len(p) <= MAX_MESSAGE for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_short_texts_are_one_message_and_paragraphs_are_kept_whole() -> None:
    assert chunks("短答案") == ["短答案"]
    long = "\n\n".join(f"{n}. " + "答" * 1000 for n in range(1, 7))
    parts = chunks(long)
    assert len(parts) == 2 and parts[0].startswith("1. ") and parts[1].startswith("5. ")


class Verbose(Assistant):
    """The real assistant, its compound reply repeated as if the message had asked many questions."""

    def reply(self, text: str, session: Session | None = None, now: float = 0.0) -> Reply:
        found = super().reply(text, session, now)
        return replace(found, text="\n\n".join([found.text] * 40))


async def test_a_long_reply_is_sent_in_order_under_the_limit(
    make_bot: BotFactory, assistant: Assistant
) -> None:
    verbose = Verbose(assistant.base, assistant.router)
    expected = verbose.reply(COMPOUND, Session()).text
    assert len(expected) > MAX_MESSAGE
    async with make_bot(source=lambda: verbose) as bot:
        await bot.ask(300, COMPOUND)
        await bot.settle()
        sent = [c.text for c in bot.fake.replies(300)]
    assert len(sent) >= 2 and all(len(t) <= MAX_MESSAGE for t in sent)
    assert "\n\n".join(sent) == expected
