"""The console's ``/good`` and ``/bad [comment]``: a vote on the last answer, stored with its question.

Votes are kept only where questions are logged (a data directory): each rated reply gets a question id
when it is shown, and the vote is stored beside the question log under that id with the channel
``console`` and no user (the console has none). An answer and a fallback can be rated (a fallback may
be wrong too, when the report does hold the figure); small talk and clarifying questions cannot, and a
vote after them says there is nothing to rate. ``report`` and ``suggest`` read the votes.
"""

from __future__ import annotations

from dataclasses import replace

from jinshui_qa.conversation.assistant import Reply
from jinshui_qa.errors import JinshuiQAError
from jinshui_qa.facts.schema import Lang
from jinshui_qa.ports import QuestionRecorder

RATED = ("answer", "fallback")  # a fallback can be wrong too (the report may have it): /bad says so


class Votes:
    """``/good`` and ``/bad [comment]`` on the console's last answer, kept beside the question log."""

    def __init__(self, recorder: QuestionRecorder | None) -> None:
        from jinshui_qa.storage.feedback import feedback_for

        self.feedback = feedback_for(recorder)
        self.last: str | None = None

    def answered(self, reply: Reply) -> Reply:
        """The reply with a question id when votes are kept and it is an answer or a fallback (remembered
        as the last, so /good and /bad rate it; the vote is stored with its question)."""
        from jinshui_qa.storage.feedback import new_question_id

        if self.feedback is None or reply.status not in RATED:
            self.last = None
            return reply
        reply = replace(reply, question_id=new_question_id())
        self.last = reply.question_id
        return reply

    def vote(self, good: bool, comment: str, lang: Lang) -> str:
        zh = lang == "zh"
        if self.feedback is None:
            return "这里不记录反馈。" if zh else "Feedback is not kept here."
        if self.last is None:
            return "还没有可以评价的回答。" if zh else "There is no answer to rate yet."
        try:
            self.feedback.vote(question_id=self.last, vote="up" if good else "down", channel="console",
                               comment=comment.strip() or None)  # fmt: skip
        except JinshuiQAError as exc:
            return f"反馈没有保存：{exc}" if zh else f"Feedback not saved: {exc}"
        return "谢谢反馈！" if zh else "Thanks for the feedback!"
