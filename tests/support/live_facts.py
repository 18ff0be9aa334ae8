"""A fact added to the real fact base while the bot or the console runs (the live-reload tests)."""

from __future__ import annotations

NEW_QUESTION = "金水区有几个机器人实验室"
NEW_ANSWER = "金水区有机器人实验室7个。"
NEW_FACT = """
  - id: robot_labs
    audience: both
    title: {zh: 机器人实验室, en: Robot laboratories}
    questions:
      zh: [金水区有几个机器人实验室, 机器人实验室数量, 机器人实验室有多少]
      en: ["How many robot laboratories does Jinshui have?"]
    keywords: [机器人实验室, robot laboratory]
    answer:
      zh: 金水区有机器人实验室7个。
      en: Jinshui has 7 robot laboratories.
    figures:
      - {value: 7, unit: 个, counts: 机器人实验室}
    time: "2022"
    source: {report: zzdaily-2022-jinshui, section: innovation}
    verified: 2026-11-28
"""
