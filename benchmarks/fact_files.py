"""Write a synthetic fact base (:func:`benchmarks.synthetic.make_factbase`) as a facts directory.

    PYTHONPATH=src python benchmarks/fact_files.py 10000 /tmp/facts10k

The real ``sources.yaml`` and ``vocabulary.yaml`` are copied; the facts go into files of at most
``per_file`` facts (``synthetic_<topic>_<k>.yaml``), so that editing one file of a large base touches
a small share of it, as in a real fact base of many reports.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
REAL_FACTS = HERE.parent / "facts"


class _Plain(yaml.SafeDumper):
    """No anchors or aliases: every fact spelled out, as an editor writes them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _distinct(facts: Any) -> list[Any]:
    """The facts with any question that folds to another fact's question dropped (the loader refuses
    such duplicates; the generator only keeps the raw texts distinct)."""
    from dataclasses import replace

    from jinshui_qa.text.normalize import fold

    seen: set[str] = set()
    out = []
    for fact in facts:
        zh = tuple(q for q in fact.questions_zh if fold(q) not in seen)
        en = tuple(q for q in fact.questions_en if fold(q) not in seen)
        seen.update(fold(q) for q in zh + en)
        out.append(replace(fact, questions_zh=zh, questions_en=en) if zh and en else fact)
    return out


def _figure(figure: Any) -> dict[str, Any]:
    pairs = (("value", figure.value), ("unit", figure.unit), ("counts", figure.counts),
             ("share", figure.share), ("rank", figure.rank))  # fmt: skip
    return {k: v for k, v in pairs if v is not None}


def _fact(fact: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": fact.id,
        "audience": fact.audience,
        "title": {"zh": fact.title.zh, "en": fact.title.en},
    }
    if fact.subject:
        out["subject"] = {"zh": fact.subject.zh, "en": fact.subject.en}
    out |= {
        "questions": {"zh": list(fact.questions_zh), "en": list(fact.questions_en)},
        "keywords": list(fact.keywords),
        "answer": {"zh": fact.answer.zh, "en": fact.answer.en},
        "figures": [_figure(f) for f in fact.figures],
        "time": fact.time,
        "source": {"report": fact.source.report, "section": fact.source.section},
        "verified": fact.verified,
    }
    return out


def write_facts(n: int, directory: Path, seed: int = 4, per_file: int = 1000) -> list[Path]:
    """Write ``n`` synthetic facts into ``directory`` (created, emptied of ``*.yaml`` first)."""
    from synthetic import TOPICS, make_factbase

    from jinshui_qa.facts.loader import load

    base = make_factbase(n, seed, load(REAL_FACTS))
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        old.unlink()
    for name in ("sources.yaml", "vocabulary.yaml"):
        shutil.copy(REAL_FACTS / name, directory / name)
    by_topic: dict[str, list[Any]] = {}
    for fact in _distinct(base.facts):
        by_topic.setdefault(fact.topic, []).append(fact)
    titles = {t.id: t.title for t in TOPICS}
    written = []
    for topic, facts in sorted(by_topic.items()):
        for k in range(0, len(facts), per_file):
            path = directory / f"synthetic_{topic}_{k // per_file:03d}.yaml"
            title = titles[topic]
            doc = {"topic": {"id": topic if k == 0 else f"{topic}_{k // per_file}",
                             "title": {"zh": title.zh, "en": title.en}},
                   "facts": [_fact(f) for f in facts[k : k + per_file]]}  # fmt: skip
            text = yaml.dump(doc, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=200)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    files = write_facts(count, target)
    print(f"wrote {count} facts in {len(files)} files to {target}")
