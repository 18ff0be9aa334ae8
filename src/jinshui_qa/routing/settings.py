"""Every weight, threshold and stage switch of the router, in one typed, immutable object.

``jinshui-qa eval --sweep`` and ``benchmarks/ablation.py`` build variants with
``dataclasses.replace(settings, ...)`` and a new router; nothing patches the router's internals.
"""

from __future__ import annotations

from jinshui_qa.records import dataclass


@dataclass(frozen=True)
class RouterSettings:
    """Scores are 0-100 (see :mod:`jinshui_qa.routing.scoring`); weights are score points unless noted."""

    # decision thresholds, calibrated with ``jinshui-qa eval --sweep`` on tests/eval/dev.yaml
    answer_at: float = 50.0
    clarify_at: float = 42.0
    margin: float = 2.0
    # scoring
    match_weight: float = 0.5  # share of the score from the best single phrasing (the rest: coverage)
    pinyin_factor: float = 0.92  # the pinyin channel's score is discounted by this factor
    keyword_bonus: float = 6.0  # the message names a keyword only this fact has
    subject_bonus: float = 8.0  # the fact owns a subject name (keyword, subject) the message mentions
    distinctive_idf: float = 2.0  # a shared token this rare makes a match distinctive
    attribute_fit: float = 5.0  # leaders holding the attribute asked gain this, the others lose it
    followup_preference: float = 5.0  # the previous answer's fact gains this in a follow-up
    followup_own_cover: float = 0.5  # share of a follow-up's own words the chosen fact must explain
    candidates: int = 10  # facts scored per message (8, 10, 12 and 20 give the same dev figures)
    # stages: each can be switched off to measure what it adds (benchmarks/ablation.py)
    traditional: bool = True  # OpenCC traditional -> simplified
    numerals: bool = True  # Chinese numerals -> digits (两千零五十八 -> 2058)
    synonyms: bool = True  # the vocabulary's synonyms (高企 -> 高新技术企业)
    colloquial: bool = True  # the colloquial/dialect/formal lexicon (咋 -> 怎么, 贵区 -> 金水区)
    pinyin: bool = True  # the pinyin channel (homophone slips, questions typed in pinyin)
    subjects: bool = True  # facts owning a subject name the message mentions gain ``subject_bonus``
    frame_checks: bool = True  # period, scope, attribute and place must be explained by the fact
    unplaced_words: bool = True  # a content word no part of the frame explains counts against answering
    unplaced_english: bool = False  # also English words no fact uses (off: no general English word list)
    clauses: bool = True  # long messages: read the clause(s) that ask
    followups: bool = True  # read elliptical messages against the previous answer
    latest_period: bool = True  # between facts differing only by period, answer the latest
    # bounds (issue 11): the analysed text and every memo are capped
    max_chars: int = 300
