"""An English question typed in full-width letters (a Chinese input method left in full-width mode) is
answered in English, as the same question in ASCII is (found by a tester)."""

from __future__ import annotations

import unicodedata

from jinshui_qa.conversation.assistant import Assistant, Session


def test_a_full_width_english_question_gets_the_english_answer(assistant: Assistant) -> None:
    ascii_question = "How many high-tech enterprises are there in Jinshui?"
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in ascii_question)
    assert unicodedata.normalize("NFKC", wide) == ascii_question and wide != ascii_question
    plain, full = assistant.reply(ascii_question, Session()), assistant.reply(wide, Session())
    assert (full.status, full.fact_id, full.lang) == (plain.status, plain.fact_id, "en")
    assert full.text == plain.text
