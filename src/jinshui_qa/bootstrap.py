"""Wire the parts: fact base -> normaliser -> index -> router -> assistant. Nothing runs at import."""

from __future__ import annotations

import gc
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
    assistant = Assistant(base, Router(index, thresholds))
    # The index is long-lived and holds no cycles worth collecting: keep the collector from walking it
    # again and again (a full collection at 20,000 facts took 0.5 s before this).
    gc.freeze()
    return assistant


def bootstrap(facts: str | os.PathLike[str] | None = None) -> Assistant:
    """Load the facts (``--facts``, ``$JQA_FACTS_DIR`` or the checkout's) and build an assistant."""
    return assistant_for(load(facts))
