"""Why a fact cannot explain a question's frame: the checks behind every fallback reason.

:meth:`Checks.check` reads, for one frame and one fact: the population question (有多少人 of nobody
named), the frame's slots against the fact's (:func:`~jinshui_qa.routing.slots.explain`), a person's role
asked (区长是谁), a part of the subject (重点项目里已经竣工的), and the content words no part of the frame
places (:mod:`jinshui_qa.routing.placement`). :meth:`Checks.generic` finds a question too general to
pick one fact (有多少人才); :meth:`Checks.reason_near` says why a message no fact matches well falls back.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from jinshui_qa.routing.frames import Frame
from jinshui_qa.routing.pinyin_words import nouns
from jinshui_qa.routing.placement import spell
from jinshui_qa.routing.scoring import Candidate
from jinshui_qa.routing.slots import explain
from jinshui_qa.routing.spliced import held_attributes
from jinshui_qa.text import lazy_re, places
from jinshui_qa.text.normalize import has_cjk
from jinshui_qa.text.noun_words import NOUNS, nouns_in

if TYPE_CHECKING:
    from jinshui_qa.routing.router import Router

MEMO_LIMIT = 2048
_NAMED_BY_WORD = frozenset(
    {"finance", "population", "ip"}
)  # measures a fallback names by the word asked (营收)
_ROLE_ENDS = frozenset("长记官")  # the last character of a person's role: 区长, 书记, 法官
_COUNTED = lazy_re.compile(
    r"([\u4e00-\u9fff]{2,8}?)(?:有|是|一共|1共|共有|总共|都|还|现在|目前|了)*(?:多少|几)(?:个|家|项|所|座)",
    needs=("多少", "几"),
)
_LIVING = lazy_re.compile(  # what is left of 「how many people live in Jinshui」 but the people and the place
    r"\b(?:live|lives|living|reside|resides|residing|are|is|there|in|the)\b",
    needs=("liv", "resid", "are", "is", "the", "in"),
)
_ROLES = ("主任", "主席", "委员", "经理", "总裁", "董事", "理事", "专员")


def _bare(phrase: str) -> str:
    """A counted phrase without Jinshui's name and 的: 金水的孵化平台 -> 孵化平台."""
    for home in sorted(places.HOME, key=len, reverse=True):
        phrase = phrase.replace(home, "")
    return phrase.replace("的", "") or phrase


class Explained:
    """The candidates of ``ranked`` (best first) at or above ``least`` whose fact explains the frame
    (``explains``: :meth:`Checks.check` finds no reason), each checked only once a decision reads that
    far: most read the first one or two. :meth:`first` gives what checking them all would give."""

    def __init__(
        self, ranked: Sequence[Candidate], least: float, explains: Callable[[Candidate], bool]
    ) -> None:
        self._ahead = [c for c in ranked if c.score >= least]
        self._explains, self._read, self._got = explains, 0, list[Candidate]()

    def first(self, n: int, least: float = float("-inf")) -> list[Candidate]:
        """The first ``n`` of them, less those below ``least``: the scores do not rise, so no candidate
        below it is checked."""
        got, ahead = self._got, self._ahead
        while len(got) < n and self._read < len(ahead) and ahead[self._read].score >= least:
            self._read += 1
            if self._explains(ahead[self._read - 1]):
                got.append(ahead[self._read - 1])
        return [c for c in got[:n] if c.score >= least]


class Checks:
    """The checks of one router (its fact base, frames and settings), with a bounded memo."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._checked: OrderedDict[tuple[str, frozenset[str], int, bool], str] = OrderedDict()
        self._held: frozenset[str] | None = None

    def check(self, frame: Frame, i: int) -> str:
        """Why fact ``i`` cannot explain ``frame`` (a fallback reason), or ''; memoised, bounded."""
        r = self.router
        key = (frame.canonical, frame.attributes, i, frame.pinyin)  # a follow-up inherits attributes
        hit = self._checked.get(key)
        if hit is not None:
            return hit
        reason = ""
        if r.settings.frame_checks and "people" in frame.attributes and not frame.names:
            rest = frame.canonical
            for word in (*r.frames.home.found(rest), *r.frames.attributes["people"].found(rest)):
                rest = rest.replace(word, "")
            rest = _LIVING.sub(" ", rest).strip()  # how many people live in Jinshui (住 is filler in Chinese)
            if not r.placement.content(rest):  # 有多少人 of nobody named: the district's population
                reason = "not_covered:人口" if has_cjk(frame.canonical) else "not_covered:population"
        if not reason and r.settings.frame_checks:
            reason = explain(frame, r.slots[i])
            kind = reason.partition(":")[2] if reason.startswith("attribute:") else ""
            if kind in _NAMED_BY_WORD and kind not in self.held_attributes():  # 营收: name the word asked
                found = r.frames.attributes[kind].found(frame.canonical)
                reason = f"not_covered:{found[0]}" if found else reason
        if not reason and r.settings.frame_checks and "who" in frame.attributes:
            reason = self.role(frame, i)
        if not reason and r.settings.frame_checks and "count" in frame.attributes and not frame.names:
            reason = self.counted(frame, i)
        if not reason and r.settings.unplaced_words and not frame.pinyin:
            owned = tuple(name for name in frame.names if r.frames.owns(name, i))
            if frame.part and not reason:
                part, said = r.placement.content(frame.part), frame.part.replace(" ", "")
                if part and not any(
                    part in item or said in item for item in r.slots[i].held
                ):  # 新开项目, said
                    reason = f"scope:{part}"  # 重点项目里已经竣工的: a part the fact does not count
            words = (
                []
                if reason
                else r.placement.unplaced(
                    frame.canonical,
                    r.slots[i],
                    names=owned,
                    by_sound=r.settings.pinyin,
                    english=r.settings.unplaced_english or has_cjk(frame.canonical),
                )
            )
            reason = reason or (f"not_covered:{words[0]}" if words else "")
        if not reason and r.settings.unplaced_words and frame.pinyin:  # gaoqi de lishi: as 高企的历史
            reason = self.unheld_said(frame, i)
        self._checked[key] = reason
        if len(self._checked) > MEMO_LIMIT:
            self._checked.popitem(last=False)
        return reason

    def unheld_said(self, frame: Frame, i: int) -> str:
        """A common noun a message typed in pinyin spells (lishi: 历史) that fact ``i`` cannot place, read by
        each of its readings (a spelling any of them places is placed), as a ``not_covered`` reason."""
        r = self.router
        sounds = None
        for named, readings in nouns(frame.canonical, r.scorer.spelled()):
            sounds = sounds or r.placement.sounds(r.slots[i])  # the fact's own words by sound: fuhua 孵化
            if f" {' '.join(spell(readings[0]))} " not in sounds and all(
                r.placement.unplaced(noun, r.slots[i], by_sound=False) for noun in readings
            ):
                return f"not_covered:{named}"
        return ""

    def role(self, frame: Frame, i: int) -> str:
        """「区长是谁」: a person's role asked must be one the fact is about (its subject, keywords, title,
        what it counts), not one its answer only mentions (首席服务官's answer names 区长 but no 区长)."""
        r = self.router
        held = r.slots[i].held
        text = frame.canonical.replace(" ", "")
        for noun in nouns_in(text):
            role = noun[-1] in _ROLE_ENDS or noun.endswith(_ROLES)
            if role and noun not in r.placement.general and not any(noun in h for h in held):
                return f"not_covered:{noun}"
        return ""

    def counted(self, frame: Frame, i: int) -> str:
        """「在谈项目有多少个」 naming no known subject: the thing counted (its head noun, 项目) must be what
        one of the fact's count figures counts, not another thing it names (3个招商资源库)."""
        fact = self.router.base.facts[i]
        m = _COUNTED.search(frame.canonical.replace(" ", ""))
        if m is None or not fact.figures:
            return ""
        noun = next((m[1][-n:] for n in (3, 2) if m[1][-n:] in NOUNS), "")
        if not noun or any(noun in f.counts for f in fact.figures):
            return ""
        own = [
            c[1] for q in self.router.slots[i].asked.split("|") if (c := _COUNTED.search(q.replace(" ", "")))
        ]
        if any(_bare(c).endswith(_bare(m[1])) or _bare(m[1]).endswith(_bare(c)) for c in own):
            return ""  # the fact's own phrasings count the same thing (孵化平台 of 孵化载体)
        heard = " ".join(spell(noun))  # 市场主题 for 市场主体: a slip of the same sound
        if any(heard in " ".join(spell(f.counts)) for f in fact.figures):
            return ""
        return f"scope:{m[1]}"

    def measure(self, reason: str) -> bool:
        """Whether ``reason`` names a measure of the attribute lexicon (not_covered:营收), not filler."""
        r = self.router
        word = reason.partition(":")[2] if reason.startswith("not_covered:") else ""
        return bool(word) and any(word in words.words for words in r.frames.attributes.values())

    def held_attributes(self) -> frozenset[str]:
        r = self.router
        if self._held is None:
            self._held = held_attributes(r.slots)  # a snapshot's stores them (its slots are made on access)
        return self._held

    def generic(self, frame: Frame, explained: Explained) -> list[Candidate]:
        """Facts whose subject ends in a noun the message names alone (人才 of 领军人才, 高层次人才), when
        the message names no subject of its own: a question too general to pick one of them."""
        r = self.router
        text = frame.canonical.replace(" ", "")
        if frame.names or not text or not all(has_cjk(ch) or ch.isdigit() for ch in text):
            return []
        for noun in nouns_in(text):
            rest = text.replace(noun, " ")
            for word in (*r.frames.home.found(rest),
                         *(w for words in r.frames.attributes.values() for w in words.found(rest))):  # fmt: skip
                rest = rest.replace(word.replace(" ", ""), " ")
            if any(r.placement.content(part, least=1) for part in rest.split()):
                continue  # 储被项目: another word (a slip of 储备) names something more specific
            options = [c for c in explained.first(4)
                       if (subject := r.slots[r.position[c.fact_id]].subject) != noun
                       and subject.endswith(noun) and subject not in text]  # fmt: skip
            heard = " " + " ".join(spell(text)) + " "
            if len(options) >= 2 and not any(f" {' '.join(spell(r.slots[r.position[c.fact_id]].subject))} " in heard
                                             for c in explained.first(4)):  # fmt: skip
                return options[:3]  # (a subject said by sound, 领君人才 for 领军人才, is named)
        return []

    def unheld(self, frame: Frame, options: Iterable[int]) -> str:
        """A message too vague to pick a fact (:meth:`Router.decide`'s choice): a common noun of it (街道
        of 「金水区有几个街道」) that no option's text holds, as a ``not_covered`` reason, else ''. A choice
        among facts that do not hold what was asked about would offer unrelated facts. ``options``: the
        facts' positions (also the nearest fact of a message no fact matches well: :meth:`reason_near`)."""
        r = self.router
        text = frame.canonical.replace(" ", "")
        held = [r.slots[i].text for i in options]
        placed = [p for p in (*places.HOME, *places.FRAME, *frame.names) if p in text]
        for noun in nouns_in(text):
            if noun not in r.placement.general and not any(noun in h for h in (*held, *placed)):
                return f"not_covered:{noun}"
        return ""

    def reason_near(self, frame: Frame, near: int | None) -> str:
        """For a message no fact matches well: a measure no fact holds (人口, revenue), else the frame's own
        reason against the nearest fact, if any."""
        r = self.router
        held = self.held_attributes()
        for kind in sorted((frame.attributes & _NAMED_BY_WORD) - held):
            found = r.frames.attributes[kind].found(frame.canonical)
            if found:
                return f"not_covered:{found[0]}"
        if near is None:
            return ""
        reason = self.check(frame, near)
        if (
            not reason.startswith(("not_covered", "other_place"))
            and r.settings.unplaced_words
            and not frame.pinyin
        ):
            words = r.placement.unplaced(frame.canonical, r.slots[near], english=True)
            reason = f"not_covered:{words[0]}" if words else self.unheld(frame, (near,))
        return reason if reason.startswith(("not_covered", "other_place")) else ""
