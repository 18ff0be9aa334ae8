"""Property tests: any Unicode string gets a valid reply, and routing never raises."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.text.normalize import MAX_CHARS, fold

STATUSES = {"answer", "clarify", "fallback", "smalltalk"}
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Any text (hypothesis never generates surrogates), plus text biased towards what the router reacts to:
# Chinese, digits of every script, numerals, control characters, emoji and the words of follow-ups.
anything = st.text()
OTHER_DIGITS = [chr(c) for c in range(0x80, 0x110000) if unicodedata.category(chr(c)) == "Nd"]  # ٣ ३ ๓ ...
flavoured = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(list("金水区高企项目多少几家二〇两千零点万亿到～呢那？1234567890 ")),
        st.sampled_from(list("\x00\x1b\u200b\u202e\ufeff😀👍🏻")),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(whitelist_categories=("Cc", "Cf", "Zs")),
        st.sampled_from(OTHER_DIGITS),
    ),
    max_size=80,
).map("".join)


def check(reply: Reply, text: str) -> None:
    assert isinstance(reply, Reply)
    assert reply.status in STATUSES
    assert reply.text.strip()
    assert reply.lang in ("zh", "en")
    assert reply.score >= 0
    assert len(reply.question) <= MAX_CHARS + 1
    assert (reply.fact_id is not None) == (reply.status == "answer")
    if reply.status == "clarify":
        assert 2 <= len(reply.options) <= 3
    if reply.status == "answer":
        assert reply.source and reply.text.endswith(reply.source)
    reply.to_json()


@SETTINGS
@given(anything)
def test_any_text_gets_a_valid_reply(assistant: Assistant, text: str) -> None:
    check(assistant.reply(text, Session()), text)


@SETTINGS
@given(flavoured)
def test_any_flavoured_text_gets_a_valid_reply(assistant: Assistant, text: str) -> None:
    check(assistant.reply(text, Session()), text)
    result = assistant.router.route(text)
    assert result.status in STATUSES


@SETTINGS
@given(
    st.lists(
        st.one_of(flavoured, st.sampled_from(["高企有几家", "总投资呢", "项目", "2", "那金水区呢"])),
        max_size=6,
    )
)
def test_any_conversation_gets_valid_replies(assistant: Assistant, turns: list[str]) -> None:
    session = Session()
    for n, text in enumerate(turns):
        check(assistant.reply(text, session, now=float(n)), text)


@SETTINGS
@given(anything)
def test_fold_never_raises_and_is_bounded(text: str) -> None:
    folded = fold(text)
    assert isinstance(folded, str)
    assert len(folded) <= 2 * MAX_CHARS


@pytest.mark.parametrize("text", ["高企有٣家", "金水区३", "金小٢是什么", "重点项目𝟑个", "高企有３家"])
def test_non_ascii_digits_next_to_chinese(assistant: Assistant, text: str) -> None:
    """Decimal digits of other scripts (Arabic-Indic ٣, Devanagari ३) survive NFKC and must not crash."""
    check(assistant.reply(text, Session()), text)


def test_100k_strings(assistant: Assistant) -> None:
    for text in (
        "金" * 100_000,
        "a" * 100_000,
        "高企有几家" * 20_000,
        "😀" * 100_000,
        "\x00" * 100_000,
        "金水区有多少家科技型企业 " + "x" * 100_000,
    ):
        reply = assistant.reply(text, Session())
        check(reply, text)
        assert reply.status == "fallback" and reply.reason == "too_long"
        assert reply.question.endswith("…") and len(reply.question) == MAX_CHARS + 1
        result = assistant.router.route(text)
        assert result.status in STATUSES


def test_long_but_acceptable_message(assistant: Assistant) -> None:
    """Under the too-long limit, a long message is still routed (on its first MAX_CHARS characters)."""
    reply = assistant.reply("高企有几家" + " " * 5000, Session())
    assert (reply.status, reply.fact_id) == ("answer", "high_tech_enterprises")
