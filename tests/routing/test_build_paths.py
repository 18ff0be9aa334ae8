"""The build's faster paths give what their plain definitions give, fact by fact (issue 14).

The index's tokeniser (token ids kept per distinct text), ``char_tokens`` (bigrams by ``map``, stems
memoised), ``Tokens.many`` and the slots' attribute probes, each against the definition it replaced.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import Bilingual, FactBase
from jinshui_qa.routing.char_scan import PIECES as _PIECES
from jinshui_qa.routing.frames import FrameReader
from jinshui_qa.routing.index import Index, _stem, char_tokens, pinyin_tokens
from jinshui_qa.routing.packed import BAG, DOCS, PY_BAG, PY_DOCS, Tokens, docs_of
from jinshui_qa.routing.slots import _probes, _said, fact_slots
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import Normalizer, has_cjk
from jinshui_qa.text.pinyin import syllables

BASE = load()
NORMALIZER = Normalizer(BASE.vocabulary)
_CJK_DIGIT_RUN = lazy_re.compile(r"(?:[\u3400-\u9fff]|\d+(?:\.\d+)?)+")
_UNIT = lazy_re.compile(r"[\u3400-\u9fff]|\d+(?:\.\d+)?")


def _char_tokens_by_definition(canonical: str) -> set[str]:
    out: set[str] = set()
    for run in _CJK_DIGIT_RUN.findall(canonical):
        units = _UNIT.findall(run)
        out.update(a + b for a, b in itertools.pairwise(units))
    for piece in _PIECES.findall(canonical):
        if "\u3400" <= piece[0] <= "\u9fff":
            out.update(piece)
        elif piece.isalpha():
            out.add(_stem.__wrapped__(piece))
        else:
            out.add(piece)
    return out


def test_char_tokens_are_those_of_the_definition() -> None:
    pieces = ["金水区", "行", "2022", "年", "3.5", "亿", " ", "planned", "investing", "ies", "cities", "5g",
              "%", "+", "~", "a", "٣", "x1", "企业", "12.", ".7"]  # fmt: skip
    rng = random.Random(21)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    texts += [
        NORMALIZER.canonical(t) for f in BASE.facts for t in (*f.questions_zh, *f.questions_en, f.answer.zh)
    ]
    for text in texts:
        assert char_tokens(text) == _char_tokens_by_definition(text), text


def test_tokens_many_gives_the_ids_id_gives_and_adds_new_ones_in_order() -> None:
    one, other = Tokens(["a", "b"]), Tokens(["a", "b"])
    words = ["b", "c", "a", "d", "c", "e"]
    assert one.many(words) == [other.id(w) for w in words] == [1, 2, 0, 3, 2, 4]
    assert one.words == other.words == ["a", "b", "c", "d", "e"]


def _rows_by_definition(index: Index, i: int) -> tuple[list[set[str]], set[str], list[set[str]], set[str]]:
    fact, canonical = index.base.facts[i], NORMALIZER.canonical
    texts = [*fact.questions_zh, *fact.questions_en, *fact.keywords, fact.title.zh, fact.title.en]
    if fact.subject:
        texts += [fact.subject.zh, fact.subject.en]
    canon = list(dict.fromkeys(canonical(t) for t in texts))
    docs = [held for t in canon if (held := char_tokens(t))]
    bag = set().union(*docs, char_tokens(canonical(fact.answer.zh)), char_tokens(canonical(fact.answer.en)))
    sounded = dict.fromkeys(NORMALIZER.for_pinyin(t) for t in texts)
    spelled = [pinyin_tokens(syllables(t)) for t in sounded if has_cjk(t)]
    py_docs = [held for held in spelled if held]
    return docs, bag, py_docs, set().union(*py_docs)


def _shared_texts(copies: int) -> FactBase:
    """The real facts ``copies`` times over, sharing keywords and titles (as the texts of many facts do)."""
    facts = [replace(f, id=f"{f.id}_{k}", questions_zh=tuple(f"分园{k}{q}" for q in f.questions_zh),
                     subject=Bilingual(f"分园{k}", f"sub-park {k}"), related=())
             for k in range(copies) for f in BASE.facts]  # fmt: skip
    return FactBase(tuple(facts), BASE.topics, BASE.reports, BASE.vocabulary, "test")


def test_each_facts_rows_are_its_texts_tokens_by_definition() -> None:
    index = Index(_shared_texts(3), NORMALIZER)
    words = index.layout.tokens.words
    for i in range(len(index.base.facts)):
        docs, bag, py_docs, py_bag = _rows_by_definition(index, i)
        row = index.layout.row
        assert [{words[t] for t in d} for d in docs_of(row(i, DOCS))] == docs
        assert [words[t] for t in row(i, BAG)] and {words[t] for t in row(i, BAG)} == bag
        assert len(row(i, BAG)) == len(bag)  # each token once
        assert [{words[t] for t in d} for d in docs_of(row(i, PY_DOCS))] == py_docs
        assert {words[t] for t in row(i, PY_BAG)} == py_bag and len(row(i, PY_BAG)) == len(py_bag)


def test_the_attribute_probes_find_what_the_word_lists_find_in_each_facts_phrasings() -> None:
    reader = FrameReader(BASE, NORMALIZER)
    probes = _probes(reader)
    assert _probes(reader) is probes  # prepared once per reader
    rng = random.Random(22)
    words = [w for kind in reader.attributes.values() for w in kind.words]
    asked = [
        "|".join(NORMALIZER.canonical(q) for q in (*f.questions_zh, *f.questions_en)) for f in BASE.facts
    ]
    asked += [
        "|".join(rng.choice(words) + rng.choice(["", " ", "x", "金水"]) for _ in range(3)) for _ in range(500)
    ]
    for text in asked:
        bare, spaced = text.replace(" ", ""), f" {text.replace('|', ' | ')} "
        definition = {
            kind
            for kind, listed in reader.attributes.items()
            if any((w.replace(" ", "") in bare) if has_cjk(w) else (f" {w} " in spaced) for w in listed.words)
        }
        assert {k for k, cjk, latin in probes if _said(cjk, bare) or _said(latin, spaced)} == definition, text
    for fact in BASE.facts:
        assert fact_slots(fact, NORMALIZER, reader).attributes >= {
            k for k, cjk, latin in probes if _said(cjk, asked[BASE.facts.index(fact)].replace(" ", ""))
        }


@pytest.mark.parametrize("with_pinyin", [True, False])
def test_postings_and_frequencies_are_the_definitions(with_pinyin: bool) -> None:
    """``Postings.build`` (C loops) gives, per token, the rows whose bags hold it in row order, and its
    document frequency, as one loop over every row's bags does; ``Rows.extend`` maps every id."""
    import random

    from jinshui_qa.routing.packed import BAG, CHANNELS, END, PY_BAG, Postings, Rows

    rng = random.Random(7)
    rows = Rows()
    for _ in range(300):  # a token is of one channel: characters below 50, sounds from 50
        bag, sounds = (
            sorted(rng.sample(range(50), rng.randrange(8))),
            sorted(rng.sample(range(50, 90), rng.randrange(6))),
        )
        rows.add([[*bag, END], bag, [*sounds, END], sounds])  # fmt: skip
    df, postings = Postings.build(rows, 95, with_pinyin)
    expected: dict[int, list[int]] = {}
    for r in range(len(rows)):
        for channel in (BAG, PY_BAG) if with_pinyin else (BAG,):
            for t in rows.row(r, channel):
                expected.setdefault(t, []).append(r)
    assert [postings.of(t).tolist() for t in range(95)] == [expected.get(t, []) for t in range(95)]
    assert df.tolist() == [len(expected.get(t, [])) for t in range(95)]
    trans = [*rng.sample(range(1000), 95), END]
    mapped = Rows()
    mapped.extend(rows, trans)
    for channel in range(CHANNELS):
        assert mapped.toks[channel].tolist() == [trans[t] for t in rows.toks[channel]]
        assert mapped.starts[channel] == rows.starts[channel]
