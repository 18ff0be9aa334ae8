"""A module's logger that imports :mod:`logging` at its first message.

A start from a sound snapshot (``ask``) logs nothing, and importing ``logging`` costs some 34 M
instructions of it (``benchmarks/startup.py --instructions``); the modules on that path
(``rebuilder``, ``storage/index_store``) log through a :class:`LazyLogger` instead.
"""

from __future__ import annotations

from typing import Any


class LazyLogger:
    """Stands for ``logging.getLogger(name)``: any attribute (``warning``, ``info``...) is the logger's,
    looked up (and ``logging`` imported) when first used."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        import logging

        return getattr(logging.getLogger(self.name), attribute)
