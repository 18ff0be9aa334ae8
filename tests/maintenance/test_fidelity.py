"""The fidelity audit: relative time in answers, and synonyms that merge two categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.facts.loader import load, read_files
from jinshui_qa.maintenance.fidelity import category_shift, merged_categories, relative_time
from tests.support.district import MARKET, TALENT, VOCABULARY, WriteFacts


def test_relative_time_without_a_year_is_reported_with_its_line(facts_dir: Path) -> None:
    found = [str(p) for p in relative_time(load(facts_dir), read_files(facts_dir))]
    zh_line = TALENT.split("\n").index("      zh: 今年新增了1名本土“两院”院士。") + 1
    en_line = zh_line + 1
    market_line = MARKET.split("\n").index("      zh: 今年1~3月新增市场主体108576户，总量达到28.4万家。") + 1
    assert found == [
        f"market.yaml:{market_line}: market_entities_q1: answer (zh) says “今年” without an absolute period: "
        "“今年1~3月新增市场主体108576户，总量达到28.4万家。”",
        f"talent.yaml:{zh_line}: academicians: answer (zh) says “今年” without an absolute period: "
        "“今年新增了1名本土“两院”院士。”",
        f"talent.yaml:{en_line}: academicians: answer (en) says “this year” without an absolute period: "
        "“1 new home-grown academician this year.”",
    ]


def test_a_sentence_that_names_its_year_passes(write_facts: WriteFacts) -> None:
    talent = TALENT.replace("今年新增了1名", "据2022年的报道，今年新增了1名").replace(
        "1 new home-grown academician this year.", "As reported in 2022, 1 new academician this year."
    )
    facts = write_facts(**{"talent.yaml": talent})
    assert [p.message.split(":")[0] for p in relative_time(load(facts))] == ["market_entities_q1"]


@pytest.mark.parametrize(
    ("canonical", "alias", "flagged"),
    [
        ("科技型企业", "科技型中小企业", True),  # a qualifier: a national certification of its own
        ("研发机构", "研发中心", True),  # another head noun
        ("专项债", "政府专项债", True),
        ("高新技术企业", "高企", False),  # an abbreviation
        ("高新技术企业", "高新技术型企业", False),  # 型 is word formation
        ("科技型企业", "科技公司", False),  # 公司 for 企业
        ("研发机构", "研究开发机构", False),  # the full form
        ("重点实验室", "重点实验室数量", False),
        ("hightech", "high-tech", False),  # English is not judged
    ],
)
def test_category_shift(canonical: str, alias: str, flagged: bool) -> None:
    assert bool(category_shift(canonical, alias)) is flagged


def test_merged_synonyms_are_flagged_until_a_maintainer_declares_them(write_facts: WriteFacts) -> None:
    vocabulary = VOCABULARY.replace(
        "高新技术企业: [高企]", "高新技术企业: [高企]\n  科技型企业: [科技型中小企业, 科技企业]"
    )
    facts = write_facts(**{"vocabulary.yaml": vocabulary})
    base, files = load(facts), read_files(facts)
    found = [str(p) for p in merged_categories(base, files=files)]
    assert found == [
        "vocabulary.yaml:3: synonym “科技型中小企业” → “科技型企业” adds a qualifier (2 characters) to "
        "“科技型企业”: remove it, or declare it under broader: or equivalent:"
    ]
    assert merged_categories(base, broader={"科技型中小企业": "科技型企业"}, files=files) == []
    assert merged_categories(base, equivalent=["科技型中小企业"], files=files) == []
