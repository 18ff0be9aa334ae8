"""The normaliser: width, case, punctuation, script, numerals, vocabulary aliases and pinyin."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.schema import Vocabulary
from jinshui_qa.text.normalize import MAX_CHARS, Normalizer, clean, detect_lang, fold, to_simplified
from jinshui_qa.text.numerals import arabic_numerals
from jinshui_qa.text.pinyin import looks_like_pinyin, read_pinyin, segment, syllables


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full-width letters and digits
        ("ｈｉｇｈ－ｔｅｃｈ", "high tech"),
        ("HIGH-Tech Enterprises!!", "high tech enterprises"),
        ("金水区，有多少？", "金水区有多少"),  # full-width punctuation goes, CJK closes up
        ("“金标准”是什么？", "金标准是什么"),
        ("《金水》 【区】", "金水区"),
        ("  many   spaces\t here ", "many spaces here"),
        ("金水區高新技術企業", "金水区高新技术企业"),  # traditional -> simplified
        ("科技型企業幾家", "科技型企业几家"),
        ("19.2万", "19.2万"),  # a decimal point between digits stays
        ("2,058家", "2058家"),  # digit grouping goes
        ("20%", "20%"),
        ("r&d", "r d"),
        ("a\x00b", "a b"),  # control characters never survive
        ("", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_is_idempotent_on_examples() -> None:
    for text in ("金水區，有多少？", "ＨＩＧＨ－tech", "二〇二二年一到三月", "十九点二万"):
        assert fold(fold(text)) == fold(text)


def test_clean_truncates_and_drops_controls() -> None:
    assert clean("x" * 100_000) == "x" * MAX_CHARS
    assert clean("\x1b[31m金水\x7f区\x00") == "[31m金水 区"
    assert clean("\u202e金水区\u202c") == "金水区"  # bidi controls (format characters)


def test_to_simplified_leaves_other_text_alone() -> None:
    assert to_simplified("臺灣 關於 這個") == "台湾 关于 这个"
    assert to_simplified("high-tech") == "high-tech"


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("二〇二二年", "2022年"),
        ("两千零五十八家", "2058家"),
        ("十九点二万人", "19.2万人"),
        ("一到三月", "1~3月"),
        ("1～3月", "1~3月"),
        ("1-3月", "1~3月"),
        ("一至三月份", "1~3月份"),
        ("十万八千五百七十六", "108576"),
        ("三千八百三十亿", "3830亿"),
        ("七百二十三家", "723家"),
        ("十家", "10家"),
        ("十五个", "15个"),
        ("第十名", "第10名"),
        ("零点五", "0.5"),
        ("万人助万企", "万人助万企"),  # a bare unit is not a number
        ("千企万户", "千企万户"),
        ("百强", "百强"),
        ("一点", "1点"),
    ],
)
def test_chinese_numerals(raw: str, digits: str) -> None:
    assert fold(raw) == digits


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("万一出了问题", "万1出了问题"),  # 'in case': the 万 must not vanish
        ("十四五规划", "十四五规划"),  # the 14th Five-Year Plan is not fifteen
        ("两三个", "两三个"),  # a rough count is not 23
        ("七八家企业", "七八家企业"),
        ("千万以上", "千万以上"),
        ("三八三〇亿", "3830亿"),  # digit by digit, with its unit
        ("九点六六亿", "9.66亿"),
    ],
)
def test_numeral_like_words_are_not_mangled(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_names_with_numerals_fold_alike() -> None:
    """金小二 folds to 金小2 on both sides, so the name still matches, with or without quotes."""
    assert fold("金小二").replace(" ", "") == fold("“金小二”").replace(" ", "")
    assert fold("二七区") == fold("二七區")


def test_arabic_numerals_alone() -> None:
    assert arabic_numerals("二〇二二年一到三月") == "2022年1~3月"
    assert arabic_numerals("万人助万企活动") == "万人助万企活动"


def test_detect_lang() -> None:
    assert detect_lang("金水区有多少高企") == "zh"
    assert detect_lang("How many high-tech enterprises?") == "en"
    assert detect_lang("高企 how many") == "zh"
    assert detect_lang("12345") == "en"


# -- the shared vocabulary -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def normalizer(assistant: Assistant) -> Normalizer:
    return assistant.router.index.normalizer


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("高企有几家", "高新技术企业有几家"),
        ("高新企业", "高新技术企业"),
        ("高新技術企業", "高新技术企业"),  # traditional, then the canonical word
        ("科技型公司", "科技型企业"),
        ("双创", "大众创业万众创新"),
        ("How many HIGH-TECH companies?", "number hightech enterprise"),
        ("hi-tech firms", "hightech enterprise"),
        ("R&D institutions", "research and development institutions"),
    ],
)
def test_vocabulary_aliases(normalizer: Normalizer, raw: str, canonical: str) -> None:
    assert normalizer.canonical(raw) == canonical


def test_english_alias_only_replaces_whole_words(normalizer: Normalizer) -> None:
    # 'hte' is an alias of 'hightech'; it must not fire inside another word.
    assert normalizer.canonical("htest") == "htest"
    assert normalizer.canonical("the hte level") == "the hightech level"


def test_normalizer_from_a_small_vocabulary() -> None:
    norm = Normalizer(Vocabulary(synonyms={"高新技术企业": ("高企",), "center": ("centre", "centres")}))
    assert norm.canonical("金水區高企，幾家？") == "金水区高新技术企业几家"
    assert norm.canonical("Engineering Centres") == "engineering center"
    assert Normalizer(Vocabulary()).canonical("高企") == "高企"


# -- pinyin --------------------------------------------------------------------------------------------


def test_segment() -> None:
    assert segment("jinxiaoer") == ("jin", "xiao", "er")
    assert segment("shenme") == ("shen", "me")
    assert segment("gaoxin") == ("gao", "xin")
    assert segment("xyz") is None
    assert segment("enterprise") is None


def test_looks_like_pinyin(assistant: Assistant) -> None:
    english = assistant.router.index.english_words
    assert looks_like_pinyin("jinxiaoer shi shenme", english)
    assert looks_like_pinyin("gaoxin qiye you duoshao", english)
    assert not looks_like_pinyin("how many high-tech enterprises", english)
    assert not looks_like_pinyin("How many high-tech enterprises does Jinshui have?", english)
    assert not looks_like_pinyin("金小二", english)
    assert not looks_like_pinyin("", english)


def test_read_pinyin_and_syllables() -> None:
    assert read_pinyin("gaoxin qiye") == ["gao", "xin", "qi", "ye"]
    assert syllables("金小二") == ["jin", "xiao", "er"]
    assert syllables("金小2") == ["jin", "xiao", "er"]


def test_pinyin_question_is_chinese(assistant: Assistant) -> None:
    lang, _, tokens, py = assistant.router.analyse("jinxiaoer shi shenme")
    assert lang == "zh" and not tokens and "py:jin_xiao" in py
    lang, _, tokens, py = assistant.router.analyse("how many high-tech enterprises")
    assert lang == "en" and "hightech" in tokens and not py


# -- pinyin tone marks and tone numbers ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("jīnshuǐqū yǒu duōshǎo jiā", "jinshuiqu you duoshao jia"),
        ("lǜsè", "lvse"),
        ("jin1 shui3 qu1", "jin shui qu"),
        ("gao1xin1 qi3ye4", "gaoxin qiye"),
        ("5G and A1 grades", "5g and a1 grades"),  # one digit after a letter is no tone
        ("金水区5G基站", "金水区5g基站"),
    ],
)
def test_tones_are_dropped(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_stages_can_be_switched_off() -> None:
    vocabulary = Vocabulary(synonyms={"高新技术企业": ("高企",)}, colloquial={"什么": ("啥",)})
    assert Normalizer(vocabulary).canonical("高企是啥") == "高新技术企业是什么"
    assert Normalizer(vocabulary, synonyms=False).canonical("高企是啥") == "高企是什么"
    assert Normalizer(vocabulary, colloquial=False).canonical("高企是啥") == "高新技术企业是啥"
    assert Normalizer(vocabulary, simplify=False).canonical("金水區") == "金水區"
    assert Normalizer(vocabulary, numerals=False).canonical("两千家") == "两千家"


def test_numerals_stay_words_for_pinyin(normalizer: Normalizer) -> None:
    assert normalizer.canonical("助企暖心双十条") == "助企暖心双10条"
    assert normalizer.for_pinyin("助企暖心双十条") == "助企暖心双十条"
