"""The console's ``/good`` and ``/bad [comment]``: a vote on the last answer, stored with its question.

Votes are kept only where questions are logged (a data directory): each rated reply gets a question id
when it is shown, and the vote is stored beside the question log under that id with the channel
``console`` and no user (the console has none). An answer, a partial answer and a fallback can be rated (a fallback may
be wrong too, when the report does hold the figure); small talk and clarifying questions cannot, and a
vote after them says why there is nothing to rate. A console command between the answer and the vote
(/topics, /help, /about, /lang, /debug) shows no answer, so the vote still rates that answer, and the
thank-you names the question rated; /reload (the facts may have changed) and any message end it.
``report`` and ``suggest`` read the votes.
"""

from __future__ import annotations

from dataclasses import replace

from jinshui_qa.conversation.assistant import Reply
from jinshui_qa.errors import JinshuiQAError
from jinshui_qa.facts.schema import Lang
from jinshui_qa.ports import QuestionRecorder

RATED = ("answer", "partial", "fallback")  # a partial answer shows figures; a fallback can be wrong too


class Votes:
    """``/good`` and ``/bad [comment]`` on the console's last answer, kept beside the question log."""

    def __init__(self, recorder: QuestionRecorder | None) -> None:
        from jinshui_qa.storage.feedback import feedback_for

        self.feedback = feedback_for(recorder)
        self.last: str | None = None
        self.question = ""  # the question of the last rated reply, named when a command came in between
        self.unrated = ""  # the status of the last reply when it could not be rated (clarify, smalltalk)
        self.between = False  # a command was run since the last reply

    def answered(self, reply: Reply) -> Reply:
        """The reply with a question id when votes are kept and it is an answer or a fallback (remembered
        as the last, so /good and /bad rate it; the vote is stored with its question)."""
        from jinshui_qa.storage.feedback import new_question_id

        self.between = False
        if self.feedback is None or reply.status not in RATED:
            self.last, self.unrated = None, reply.status
            return reply
        reply = replace(reply, question_id=new_question_id())
        self.last, self.question, self.unrated = reply.question_id, reply.question, ""
        return reply

    def command(self, command: str) -> None:
        """A console command was run: /reload forgets the last answer; others show none, so it stays."""
        if command == "/reload":
            self.last, self.unrated = None, ""
        elif command not in ("/good", "/bad"):
            self.between = True

    def vote(self, good: bool, comment: str, lang: Lang) -> str:
        zh = lang == "zh"
        if self.feedback is None:
            return "这里不记录反馈。" if zh else "Feedback is not kept here."
        if self.last is None:
            if self.unrated == "clarify":
                return ("上一条回复是请您选择的问题，不是回答：选好或重新提问后再评价。" if zh
                        else "The last reply asked you to choose; it is not an answer. Rate the answer you get.")  # fmt: skip
            if self.unrated:
                return ("上一条回复不是对资料的回答，没有可以评价的内容。" if zh
                        else "The last reply was not an answer from the facts; there is nothing to rate.")  # fmt: skip
            return "还没有可以评价的回答。" if zh else "There is no answer to rate yet."
        try:
            self.feedback.vote(question_id=self.last, vote="up" if good else "down", channel="console",
                               comment=comment.strip() or None)  # fmt: skip
        except JinshuiQAError as exc:
            return f"反馈没有保存：{exc}" if zh else f"Feedback not saved: {exc}"
        if self.between:  # /topics came after the answer: say which answer the vote went to
            return (f"谢谢反馈！（评价的是上一个回答：「{self.question[:40]}」）" if zh
                    else f"Thanks for the feedback! (on the last answer: “{self.question[:40]}”)")  # fmt: skip
        return "谢谢反馈！" if zh else "Thanks for the feedback!"
