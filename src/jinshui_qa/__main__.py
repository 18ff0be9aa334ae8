"""Allow ``python -m jinshui_qa``."""

from __future__ import annotations

from jinshui_qa.cli import main

raise SystemExit(main())
