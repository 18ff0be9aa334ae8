"""Wire the parts: fact base -> normaliser -> index -> router -> assistant. Nothing runs at import."""

from __future__ import annotations

import os

from jinshui_qa.dialogue import Assistant
from jinshui_qa.index import Index
from jinshui_qa.loader import load
from jinshui_qa.normalize import Normalizer
from jinshui_qa.router import Router, Thresholds
from jinshui_qa.schema import FactBase


def assistant_for(
    base: FactBase, thresholds: Thresholds | None = None, *, with_pinyin: bool = True
) -> Assistant:
    """An assistant over an already validated fact base."""
    index = Index(base, Normalizer(base.vocabulary), with_pinyin=with_pinyin)
    return Assistant(base, Router(index, thresholds))


def bootstrap(facts: str | os.PathLike[str] | None = None) -> Assistant:
    """Load the facts (``--facts``, ``$JQA_FACTS_DIR`` or the checkout's) and build an assistant."""
    return assistant_for(load(facts))
