"""jinshui-qa: answers questions about Zhengzhou's Jinshui District from a curated fact base."""

from __future__ import annotations

__version__ = "0.1.0"
