"""What one ``jinshui-qa ask`` at the real base imports: the modules only rare messages need are
imported when such a message comes, not at every start (issue 14: ``ask``'s cold start; the time is
measured in benchmarks/startup.py, never here). The cheap checks that keep them out never turn away
a message their module would have read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.cli import build_parser, plain_ask
from jinshui_qa.conversation import gate, premise
from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.text import clauses, pinyin
from tests.support.tiny import REAL_FACTS

EVAL = Path(__file__).parent / "eval"
PLAIN = "金水区有多少家高新技术企业"
# Imported by none of the modules a plain question runs through; each only for the messages that need it.
RARE = (
    "multiprocessing",  # a full build's forked workers
    "pickle",
    "socket",
    "decimal",  # the value readers
    "jinshui_qa.conversation.premise",  # a figure typed, or a clause before the question
    "jinshui_qa.conversation.figure_named",
    "jinshui_qa.conversation.arithmetic",
    "jinshui_qa.conversation.literals",
    "jinshui_qa.conversation.compound",  # several things asked
    "yaml",  # the snapshot holds the validated base
    "argparse",  # `ask` and words: parsed without it (cli.plain_ask)
    "hashlib",  # BLAKE2b from _blake2: hashlib would load OpenSSL
    "_hashlib",
)
# Prints the modules imported after each of the questions (argv), as one JSON line each.
PROBE = """
import json, sys
from jinshui_qa.cli import main
for question in sys.argv[1:]:
    main(["ask", question])
    print(json.dumps(sorted(sys.modules)))
"""


def _ask(data: Path, *questions: str) -> list[set[str]]:
    env = {**os.environ, "JQA_DATA_DIR": str(data), "JQA_FACTS_DIR": str(REAL_FACTS),
           "PYTHONPATH": os.pathsep.join(sys.path)}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", PROBE, *questions], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return [set(json.loads(line)) for line in done.stdout.splitlines() if line.startswith("[")]


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose snapshot is the real base's (the first ``ask`` writes it)."""
    data = tmp_path_factory.mktemp("data")
    _ask(data, PLAIN)
    assert (data / "index.snapshot").is_file()
    return data


def test_a_plain_question_imports_no_rare_module(started: Path) -> None:
    (imported,) = _ask(started, PLAIN)
    assert "jinshui_qa.routing.router" in imported  # the probe sees what ask imports
    assert sorted(imported.intersection(RARE)) == []


def test_a_message_that_needs_them_imports_them(started: Path) -> None:
    plain, valued, compound = _ask(started, PLAIN, "19.2万人是什么", "高企和科技型企业各有多少")
    assert "jinshui_qa.conversation.premise" not in plain
    assert {"jinshui_qa.conversation.premise", "jinshui_qa.conversation.figure_named", "decimal"} <= valued
    assert "jinshui_qa.conversation.compound" in compound


# Counts, over one `ask`, the dataclass methods compiled by dataclasses and the texts folded (not from a memo).
WORK = """
import dataclasses, json, sys
from jinshui_qa.text import normalize
compiled, folded = [], []
create, fold = dataclasses._create_fn, normalize._fold
dataclasses._create_fn = lambda *a, **k: compiled.append(a[0]) or create(*a, **k)
normalize._fold = lambda *a: folded.append(a[0]) or fold(*a)
from jinshui_qa.cli import main
main(["ask", sys.argv[1]])
print(json.dumps([compiled, folded]))
"""


def test_a_start_compiles_no_dataclass_method_and_folds_only_the_question(started: Path) -> None:
    env = {**os.environ, "JQA_DATA_DIR": str(started), "JQA_FACTS_DIR": str(REAL_FACTS),
           "PYTHONPATH": os.pathsep.join(sys.path)}  # fmt: skip
    runs = [subprocess.run([sys.executable, "-c", WORK, PLAIN], env=env, capture_output=True, text=True,
                           check=True).stdout.splitlines()[-1] for _ in range(2)]  # fmt: skip
    compiled, folded = json.loads(runs[-1])  # the first may write the start forms (storage/start_forms.py)
    assert compiled == []  # records.dataclass: every method from code compiled ahead
    assert 0 < len(folded) < 20  # the question's own forms; the vocabulary's come from the start forms
    assert (started / "start-forms.bin").is_file()


# -- the gate before the premise reader ------------------------------------------------------------------


def _questions() -> list[str]:
    out = []
    for name in ("dev.yaml", "dev_compound.yaml"):
        data = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
        out += [q["q"] for key in ("questions", "compound") for q in data.get(key, [])]
        out += [turn["q"] for d in data.get("dialogues", []) for turn in d.get("turns", [])]
    return out


def test_the_eval_questions_are_read() -> None:
    questions = _questions()
    assert len(questions) > 500
    assert any(gate.may_be_premised(q) for q in questions)
    assert not all(gate.may_be_premised(q) for q in questions)


def test_what_the_gate_turns_away_the_premise_reader_does_not_read(assistant: Assistant) -> None:
    turned_away = [q for q in _questions() if not gate.may_be_premised(q)]
    assert [q for q in turned_away if premise.reply(assistant, q, Session(), 0.0) is not None] == []


_PIECES = [*"那，,。？?！；：:\n 0123456789.%万亿家个人", "所以", "那么", "是什么", "多少", "高企", "科技型企业",
           "占全市", "19.2万人", "723", "二十", "then", "what is", "so"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join) | st.text(max_size=12))
def test_the_gate_holds_for_any_text(assistant: Assistant, text: str) -> None:
    if not gate.may_be_premised(text):
        assert premise.reply(assistant, text, Session(), 0.0) is None


# -- the command line of a plain ask, parsed without argparse -------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(max_size=6) | st.sampled_from(["高企有几家", "", " ", "=", "@f", "a-b", "ask", "--"]))
)
def test_plain_ask_is_what_argparse_parses(words: list[str]) -> None:
    argv = ["ask", *words]
    fast = plain_ask(argv)
    if any(word.startswith("-") for word in words):
        assert fast is None
    else:
        assert fast is not None
        assert vars(fast) == vars(build_parser("ask").parse_args(argv))


@pytest.mark.parametrize("argv", [[], ["check"], ["asked", "x"], ["ask", "--json", "x"], ["ask", "x", "--facts", "d"],
                                  ["ask", "-h"], ["ask", "-"], ["ask", "--", "x"], ["ASK", "x"]])  # fmt: skip
def test_any_other_command_line_is_left_to_argparse(argv: list[str]) -> None:
    assert plain_ask(argv) is None


# -- spelling a character read before, without compiling the pattern of the characters pypinyin reads ----


def test_no_character_below_the_first_han_is_read() -> None:
    pattern = pinyin._han_runs()
    assert pattern.fullmatch(chr(pinyin._FIRST_HAN))
    assert [c for c in range(pinyin._FIRST_HAN) if pattern.fullmatch(chr(c))] == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FFFF), max_size=12))
def test_only_characters_the_pattern_reads_are_read(text: str) -> None:
    pinyin.syllables(text)
    pattern = pinyin._han_runs()
    assert [c for c in pinyin.readings() if not pattern.fullmatch(c)] == []


def test_a_question_of_characters_read_before_compiles_no_pattern_of_them(started: Path) -> None:
    code = (
        "import io, contextlib\nfrom jinshui_qa.cli import main\nfrom jinshui_qa.text import pinyin\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['ask', {PLAIN!r}])\n"
        "print(pinyin._HAN_RUNS._compiled is None, all(c in pinyin.readings() for c in '高新技术企业'))"
    )
    env = {**os.environ, "JQA_DATA_DIR": str(started), "JQA_FACTS_DIR": str(REAL_FACTS),
           "PYTHONPATH": os.pathsep.join(sys.path)}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]  # spelled from the snapshot's readings


# -- volunteered contact details looked for only in a message naming one -------------------------------

_CONTACT_PIECES = ["我的", "手机", "号码", "电话", "联系方式", "微信", "邮箱", "qq", "QQ", "Qq", "号", "是", "：", " ",
                   "13812345678", "a@b.cn", "abcdef", "高企", "谢谢", "ｑｑ", "ＱＱ", "q"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CONTACT_PIECES), max_size=8).map("".join) | st.text(max_size=12))
def test_a_message_naming_no_contact_holds_none(text: str) -> None:
    if not clauses._names_contact(text):
        assert clauses._CONTACT.sub(" ", text) == text
