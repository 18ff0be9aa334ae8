"""Synthetic fact bases and query sets shaped like the real ones, for the router benchmark.

``make_factbase(n, seed)`` builds ``n`` distinct facts in memory (no YAML): a subject (a generated noun
phrase such as 花园路数字经济产业园, 瑞博人工智能孵化器 or 鑫泰科技公司), a measure (有多少家, 总投资,
占全市多少, 排第几...) and a year, with 6 to 8 Chinese and 2 English phrasings built from question
frames, keywords, a bilingual answer with its figure, title, subject and source, like the facts in
``facts/``. The real vocabulary and source reports are reused, so the normaliser, the stopwords and the
vetoes work on the synthetic facts exactly as on the real ones.

``make_queries(base, n, seed)`` draws paraphrased in-scope questions (new frames, typos, homophone slips,
traditional characters, filler words, English) with the fact each should reach, and out-of-scope ones
(another district, a measure nobody holds, chit-chat) that should not be answered.

Everything is seeded and deterministic: the same arguments give the same facts and queries.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass

from jinshui_qa.facts.schema import Bilingual, Fact, FactBase, Figure, SourceRef, Topic, Vocabulary

# -- pools of real words ----------------------------------------------------------------------------------


def _pairs(table: str) -> list[tuple[str, str]]:
    """``"花园路=Huayuan Road; 经三路=Jingsan Road"`` -> ``[("花园路", "Huayuan Road"), ...]``."""
    return [tuple(item.strip().split("=")) for item in table.replace("\n", ";").split(";") if item.strip()]  # type: ignore[misc]


# Streets, roads and areas of Jinshui District.
PLACES = _pairs(
    """
    花园路=Huayuan Road; 经三路=Jingsan Road; 北林路=Beilin Road; 丰产路=Fengchan Road
    杨金路=Yangjin Road; 国基路=Guoji Road; 龙子湖=Longzi Lake; 东风路=Dongfeng Road
    文化路=Wenhua Road; 南阳路=Nanyang Road; 未来路=Weilai Road; 农业路=Nongye Road
    紫荆山=Zijingshan; 大石桥=Dashiqiao; 人民路=Renmin Road; 杜岭=Duling
    经八路=Jingba Road; 丰庆路=Fengqing Road; 兴达路=Xingda Road; 祭城路=Jicheng Road
    博学路=Boxue Road; 如意湖=Ruyi Lake; 凤凰台=Fenghuangtai; 庙李=Miaoli
    柳林=Liulin; 姚桥=Yaoqiao; 北三环=North Third Ring; 金水河=Jinshui River
    """
)
DOMAINS = _pairs(
    """
    数字经济=digital economy; 信息安全=information security; 人工智能=artificial intelligence
    生物医药=biomedicine; 文化创意=cultural and creative; 现代金融=modern finance
    氢能=hydrogen energy; 商贸物流=trade and logistics; 软件信息=software and IT
    智能制造=smart manufacturing; 大数据=big data; 新能源汽车=new-energy vehicle
    电子商务=e-commerce; 科技服务=technology services; 检验检测=testing and certification
    健康养老=health and elderly care; 直播电商=livestream e-commerce; 工业互联网=industrial internet
    区块链=blockchain; 北斗导航=BeiDou navigation; 网络安全=cyber security
    元宇宙=metaverse; 集成电路=integrated circuit; 新材料=new materials
    总部经济=headquarters economy; 楼宇经济=office-building economy; 夜间经济=night-time economy
    文化旅游=culture and tourism; 教育培训=education and training; 医疗器械=medical device
    智慧城市=smart city; 节能环保=energy-saving
    """
)
KINDS = _pairs(
    """
    产业园=industrial park; 孵化器=incubator; 众创空间=maker space; 产业集群=industry cluster
    创新中心=innovation centre; 重点实验室=key laboratory; 工程技术中心=engineering technology centre
    示范区=demonstration zone; 商圈=business district; 产业基地=industrial base; 服务中心=service centre
    特色街区=featured street; 总部基地=headquarters base; 科创园=science park; 产业联盟=industry alliance
    专项基金=special fund; 人才计划=talent programme; 重点项目=key project; 创业街区=start-up street
    加速器=accelerator
    """
)
COMPANY_KINDS = _pairs(
    """
    科技公司=Technology; 信息技术公司=Information Technology; 智能科技公司=Smart Technology
    数据服务公司=Data Services; 生物科技公司=Biotech; 传媒公司=Media
    网络科技公司=Network Technology; 医药公司=Pharmaceutical; 软件公司=Software
    新能源公司=New Energy; 电子商务公司=E-commerce; 供应链公司=Supply Chain
    """
)
# Characters for generated trade names (瑞博, 鑫泰...), with their pinyin for the English names.
NAME_CHARS = _pairs(
    """
    瑞=rui; 博=bo; 华=hua; 宏=hong; 鑫=xin; 泰=tai; 达=da; 兴=xing; 昌=chang; 盛=sheng
    恒=heng; 嘉=jia; 润=run; 锦=jin; 康=kang; 卓=zhuo; 智=zhi; 汇=hui; 银=yin; 信=xin
    德=de; 源=yuan; 中=zhong; 天=tian; 海=hai; 正=zheng; 明=ming; 安=an; 永=yong; 通=tong
    裕=yu; 丰=feng; 豫=yu; 鼎=ding; 元=yuan; 益=yi; 诚=cheng; 腾=teng; 辉=hui; 远=yuan
    星=xing; 云=yun; 光=guang; 新=xin; 思=si; 创=chuang; 峰=feng; 宇=yu; 凯=kai; 航=hang
    浩=hao; 晨=chen; 弘=hong; 启=qi; 和=he; 立=li; 科=ke; 亿=yi; 联=lian; 众=zhong
    """
)


@dataclass(frozen=True)
class Measure:
    """What a fact counts: zh question endings (space-separated), en frames (``|``-separated, ``{s}`` the
    subject), keywords, title, unit, answer (``{v}`` the value, ``{b}`` it in billions, ``{mo}`` a month) and the value range."""

    key: str
    zh_text: str
    en_text: str
    keyword: tuple[str, str]
    title: tuple[str, str]
    unit: str
    answer: tuple[str, str]
    values: tuple[float, float]
    share: bool = False
    rank: bool = False

    @property
    def zh(self) -> list[str]:
        return self.zh_text.split()

    @property
    def en(self) -> list[str]:
        return self.en_text.split("|")


MEASURES = [
    Measure(
        "count",
        "有多少家企业 入驻了多少家企业 企业数量是多少 聚集了几家企业 一共有几家企业 有几家公司入驻",
        "How many enterprises are there in {s}?|How many companies have moved into {s}?"
        "|What is the number of firms in {s}?",
        keyword=("入驻企业", "enterprises"),
        title=("入驻企业数量", "enterprises in"),
        unit="家",
        answer=("入驻企业{v}家", "{v} enterprises"),
        values=(5, 900),
    ),
    Measure(
        "investment",
        "总投资多少 总投资是多少亿元 一共投了多少钱 计划投资多少 投资规模有多大 总投资有多少",
        "What is the total investment in {s}?|How much money is being invested in {s}?"
        "|How large is the investment in {s}?",
        keyword=("总投资", "total investment"),
        title=("总投资", "total investment in"),
        unit="亿元",
        answer=("总投资{v}亿元", "a total investment of {b} billion yuan"),
        values=(1, 300),
    ),
    Measure(
        "share",
        "占全市多少 占全市比重是多少 在全市占比多少 占全市的份额有多大",
        "What share of the city's total does {s} account for?|How big is {s}'s share of the whole city?",
        keyword=("占全市比重", "share of the city"),
        title=("占全市比重", "city share of"),
        unit="%",
        answer=("占全市的{v}%", "{v}% of the city's total"),
        values=(1, 60),
        share=True,
    ),
    Measure(
        "rank",
        "排第几 在全市排名第几 排名怎么样 排在第几位 在全省排第几",
        "Where does {s} rank?|What is the ranking of {s} in the city?",
        keyword=("排名", "ranking"),
        title=("全市排名", "ranking of"),
        unit="位",
        answer=("在全市排名第{v}", "ranked number {v} in the city"),
        values=(1, 20),
        rank=True,
    ),
    Measure(
        "output",
        "产值多少 年产值有多少 营收多少 一年能产出多少 年产值达到多少",
        "What is the annual output of {s}?|How much revenue does {s} generate?",
        keyword=("年产值", "annual output"),
        title=("年产值", "annual output of"),
        unit="亿元",
        answer=("年产值（营收）{v}亿元", "an annual output (revenue) of {b} billion yuan"),
        values=(1, 500),
    ),
    Measure(
        "growth",
        "增长了多少 同比增长多少 增速是多少 比上年增加了多少 增幅有多大",
        "How fast did {s} grow?|What was the year-on-year growth of {s}?",
        keyword=("同比增长", "growth"),
        title=("同比增速", "growth of"),
        unit="%",
        answer=("同比增长{v}%", "year-on-year growth of {v}%"),
        values=(1, 45),
    ),
    Measure(
        "start",
        "什么时候开工 哪天开工 开工时间是什么时候 啥时候开始建 几月开工",
        "When did construction of {s} start?|On what date did work on {s} begin?",
        keyword=("开工时间", "construction start"),
        title=("开工日期", "construction start of"),
        unit="日",
        answer=("于{mo}月{v}日开工", "construction starting on {v} {month}"),
        values=(1, 28),
    ),
    Measure(
        "talent",
        "引进了多少人才 有多少名人才 人才数量多少 集聚了多少高层次人才 引进人才有多少",
        "How many professionals has {s} attracted?|How much talent has {s} brought in?",
        keyword=("引进人才", "talent attracted"),
        title=("引进人才数", "talent attracted by"),
        unit="人",
        answer=("引进各类人才{v}人", "{v} professionals attracted"),
        values=(10, 3000),
    ),
    Measure(
        "projects",
        "签约了多少个项目 有多少个重点项目 项目数量是多少 落地了几个项目 签了几个项目",
        "How many projects has {s} signed?|How many key projects are there in {s}?",
        keyword=("签约项目", "signed projects"),
        title=("签约项目数", "projects signed by"),
        unit="个",
        answer=("签约项目{v}个", "{v} projects signed"),
        values=(2, 120),
    ),
    Measure(
        "platforms",
        "有几个研发平台 建了多少研发平台 研发平台有多少个 创新平台有几个",
        "How many R&D platforms does {s} have?|How many innovation platforms are in {s}?",
        keyword=("研发平台", "R&D platforms"),
        title=("研发平台数", "R&D platforms of"),
        unit="个",
        answer=("建成研发平台{v}个", "{v} R&D platforms"),
        values=(1, 60),
    ),
]
MONTHS = list(calendar.month_name)[1:]

# Question frames: {s} subject, {m} measure ending, {y} year, {p} where it is.
ZH_FRAMES = [
    "{s}{m}",
    "金水区{s}{m}",
    "请问{s}{m}",
    "{s}现在{m}",
    "想了解一下{s}{m}",
    "{y}年{s}{m}",
    "{s}{m}啊",
    "你知道{s}{m}吗",
    "{s}那边{m}",
    "麻烦问下{s}{m}",
    "{p}的{s}{m}",
    "听说{s}{m}",
    "{s}目前{m}",
    "我想知道{s}{m}",
    "{y}年的时候{s}{m}",
    "说说{s}{m}",
]
EN_FRAMES_EXTRA = ["In {y}, {q}", "{q} (Jinshui)", "Can you tell me: {q}", "{q}"]
YEARS = (2022, 2022, 2022, 2021, 2020)
TOPICS = [
    Topic("parks", Bilingual("园区与载体", "Parks and incubators")),
    Topic("enterprises", Bilingual("企业", "Enterprises")),
    Topic("projects", Bilingual("重点项目", "Key projects")),
    Topic("talent", Bilingual("人才与平台", "Talent and platforms")),
]


@dataclass(frozen=True)
class Subject:
    zh: str
    en: str
    short_zh: str  # a shorter way people call it (数字经济产业园)
    place_zh: str  # where it is, for frames such as 花园路的...
    topic: str


def _subject(rng: random.Random) -> Subject:
    """One generated noun phrase: place + domain + kind, trade name + domain + kind, or a company."""
    place, place_en = rng.choice(PLACES)
    domain, domain_en = rng.choice(DOMAINS)
    kind, kind_en = rng.choice(KINDS)
    style = rng.random()
    if style < 0.35:
        return Subject(
            f"{place}{domain}{kind}",
            f"the {place_en} {domain_en} {kind_en}",
            f"{domain}{kind}",
            place,
            "projects" if kind in ("重点项目", "示范区") else "parks",
        )
    (a, a_en), (b, b_en) = rng.sample(NAME_CHARS, 2)
    name, name_en = a + b, (a_en + b_en).capitalize()
    if style < 0.7:
        topic = "talent" if kind in ("人才计划", "重点实验室", "工程技术中心") else "parks"
        return Subject(
            f"{name}{domain}{kind}", f"the {name_en} {domain_en} {kind_en}", f"{name}{kind}", place, topic
        )
    company, company_en = rng.choice(COMPANY_KINDS)
    return Subject(
        f"{name}{company}", f"{name_en} {company_en}", f"{name}{company[:-2]}", place, "enterprises"
    )


def _questions(rng: random.Random, s: Subject, m: Measure, year: int, count: int) -> list[str]:
    """``count`` distinct Chinese phrasings of one fact."""
    out: list[str] = []
    while len(out) < count:
        frame = rng.choice(ZH_FRAMES)
        subject = s.short_zh if rng.random() < 0.2 else s.zh
        place = "金水区" if subject.startswith(s.place_zh) else s.place_zh
        q = frame.format(s=subject, m=rng.choice(m.zh), y=year, p=place)
        if q not in out:
            out.append(q)
    return out


def make_factbase(n: int, seed: int = 4, template: FactBase | None = None) -> FactBase:
    """A fact base of ``n`` distinct synthetic facts; vocabulary and reports come from ``template``."""
    rng = random.Random(f"facts:{n}:{seed}")
    vocabulary = template.vocabulary if template else Vocabulary()
    reports = template.reports if template else {}
    report_id = next(iter(reports), "synthetic-report")
    sections = list(reports[report_id].sections) if reports else ["main"]
    facts: list[Fact] = []
    seen: set[tuple[str, str]] = set()  # one year per subject and measure: no ambiguous yearly series
    phrasings: set[str] = set()
    subjects: list[Subject] = []
    verified = dt.date(2026, 11, 28)
    while len(facts) < n:
        # Reuse a recent subject sometimes, so one subject has several measures (count, share, rank...).
        s = rng.choice(subjects[-50:]) if subjects and rng.random() < 0.45 else _subject(rng)
        subjects.append(s)
        m = rng.choice(MEASURES)
        year = rng.choice(YEARS)
        if (s.zh, m.key) in seen:
            continue
        seen.add((s.zh, m.key))
        zh = [q for q in _questions(rng, s, m, year, rng.randint(6, 8)) if q not in phrasings]
        if len(zh) < 5:
            continue
        en_subject = s.en
        en = [f.format(s=en_subject) for f in rng.sample(m.en, 2)]
        if year != 2022:
            zh = [q if str(year) in q else f"{year}年{q}" for q in zh]
            en = [f"In {year}, {q[0].lower()}{q[1:]}" for q in en]
        if any(q in phrasings for q in en):
            continue
        phrasings.update(zh)
        phrasings.update(en)
        value = round(rng.uniform(*m.values), 1 if m.share or m.key == "growth" else 0)
        v = f"{value:g}"
        month = rng.randint(1, 12)
        fact_id = f"syn_{len(facts):06d}_{m.key}"
        keywords = tuple(
            dict.fromkeys(
                [
                    s.zh,
                    s.short_zh,
                    f"{s.short_zh}{m.keyword[0]}",
                    m.keyword[0],
                    en_subject.removeprefix("the "),
                    m.keyword[1],
                ]
            )
        )
        answer_zh = f"{year}年，{s.zh}{m.answer[0].format(v=v, mo=month)}。"
        said = m.answer[1].format(
            v=v, b=f"{float(value) / 10:g}", month=MONTHS[month - 1]
        )  # 1 亿 = 0.1 billion
        answer_en = f"In {year}, {en_subject} reported {said}."
        answer_en = answer_en[0].upper() + answer_en[1:]
        time = f"{year}-{month:02d}-{int(value):02d}" if m.key == "start" else str(year)
        figure = Figure(
            float(value), m.unit, f"{s.zh}{m.title[0]}", f"{v}%" if m.share else None, v if m.rank else None
        )
        facts.append(
            Fact(
                id=fact_id,
                topic=s.topic,
                audience=rng.choice(("investor", "both", "both", "citizen")),
                title=Bilingual(f"{s.zh}{m.title[0]}", f"{m.title[1].capitalize()} {en_subject}"),
                questions_zh=tuple(zh),
                questions_en=tuple(en),
                keywords=keywords,
                answer=Bilingual(answer_zh, answer_en),
                figures=(figure,),
                time=time,
                source=SourceRef(report_id, rng.choice(sections)),
                verified=verified,
                subject=Bilingual(s.zh, en_subject),
                file=f"synthetic_{s.topic}.yaml",
                line=1 + 28 * len(facts),
            )
        )
    return FactBase(tuple(facts), tuple(TOPICS), dict(reports), vocabulary, f"synthetic-{n}-{seed}")


# -- queries -------------------------------------------------------------------------------------------
def _mapping(text: str) -> dict[str, str]:
    """``"型形 新薪"`` -> ``{"型": "形", "新": "薪"}``."""
    return {pair[0]: pair[1] for pair in text.split()}


# Homophone and look-alike slips people make with a pinyin keyboard (科技形, 高薪, 金水去...).
SLIPS = _mapping(
    """
    型形 新薪 区去 技计 业页 资姿 数树 园元 企起 投头 值直 能龙 产铲 才材
    项像 平评 多朵 位为 金今 增曾 占站 服福 创窗 孵付 联连
    """
)
# Simplified -> traditional, for questions typed in traditional characters (金水區).
TRADITIONAL = _mapping(
    """
    区區 业業 数數 资資 园園 术術 产產 华華 创創 经經 济濟 项項 发發 开開
    达達 长長 们們 营營 总總 万萬 为為 几幾 么麼 时時 现現 这這
    """
)
FILLERS_HEAD = ["", "", "", "请问", "你好，", "问一下，", "哎，", "麻烦问问"]
FILLERS_TAIL = ["", "", "", "？", "呢", "啊？", "吗", "，谢谢", "?"]
OTHER_PLACES = ["二七区", "中原区", "管城区", "惠济区", "郑东新区", "上街区", "高新区", "经开区", "航空港区"]
UNCOVERED_ZH = [
    "人口有多少",
    "面积多大",
    "GDP是多少",
    "房价多少钱一平",
    "附近有什么好学校",
    "地铁几点停运",
    "公积金怎么提取",
    "明天天气怎么样",
    "区长是谁",
    "电话号码是多少",
]
UNCOVERED_EN = [
    "What is the population of {s}?",
    "How big is the area of {s} in square kilometres?",
    "What's the weather like near {s} tomorrow?",
    "Which schools are near {s}?",
    "What is the phone number of {s}?",
    "How much is rent around {s}?",
]
CHITCHAT = [
    "推荐一家好吃的火锅店",
    "今天股市怎么样",
    "帮我写一首诗",
    "怎么去郑州东站",
    "你会下象棋吗",
    "周末去哪玩",
    "How do I get to the airport?",
    "Tell me a joke about cats",
    "What is the capital of France?",
    "Recommend a good hotpot restaurant",
    "明天会下雨吗",
    "我的快递到哪了",
    "最近有什么好看的电影",
]


@dataclass(frozen=True)
class Query:
    """A benchmark question: its text, what kind it is, and the fact it should reach (None: refuse)."""

    text: str
    kind: str  # zh, zh_typo, en, other_place, uncovered, chitchat
    expect: str | None


def _typo(rng: random.Random, text: str) -> str:
    """One or two slips: a homophone, a traditional character, a dropped or doubled character."""
    chars = list(text)
    for _ in range(rng.randint(1, 2)):
        spots = [i for i, ch in enumerate(chars) if "\u4e00" <= ch <= "\u9fff"]
        if not spots:
            break
        i = rng.choice(spots)
        roll = rng.random()
        if roll < 0.45 and any(ch in SLIPS for ch in chars):
            i = rng.choice([j for j, ch in enumerate(chars) if ch in SLIPS])
            chars[i] = SLIPS[chars[i]]
        elif roll < 0.7:
            chars = [TRADITIONAL.get(ch, ch) for ch in chars]
        elif roll < 0.85 and len(spots) > 6:
            del chars[i]
        else:
            chars.insert(i, chars[i])
    return "".join(chars)


def _en_typo(rng: random.Random, text: str) -> str:
    words = text.split()
    spots = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if spots:
        i = rng.choice(spots)
        w = words[i]
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def _measure_of(fact: Fact) -> Measure:
    key = fact.id.rsplit("_", 1)[1]
    return next(m for m in MEASURES if m.key == key)


def make_queries(base: FactBase, n: int, seed: int = 4, out_of_scope: float = 0.3) -> list[Query]:
    """``n`` queries: paraphrased in-scope ones (half with typos, a fifth in English), out-of-scope ones."""
    rng = random.Random(f"queries:{len(base.facts)}:{seed}")
    out: list[Query] = []
    while len(out) < n:
        fact = rng.choice(base.facts)
        subject = fact.subject or fact.title
        m = _measure_of(fact)
        year = min(fact.years)
        roll = rng.random()
        if roll < out_of_scope:
            kind = rng.choice(("other_place", "uncovered", "uncovered_en", "chitchat"))
            if kind == "other_place":
                generic = subject.zh
                for place, _ in PLACES:
                    generic = generic.removeprefix(place)
                text = f"{rng.choice(OTHER_PLACES)}{generic}{rng.choice(m.zh)}"
            elif kind == "uncovered":
                text = f"{subject.zh}{rng.choice(UNCOVERED_ZH)}"
            elif kind == "uncovered_en":
                kind, text = "uncovered", rng.choice(UNCOVERED_EN).format(s=subject.en)
            else:
                text = rng.choice(CHITCHAT)
            out.append(Query(text, kind, None))
            continue
        if rng.random() < 0.2:
            q = rng.choice(m.en).format(s=subject.en)
            frame = rng.choice(EN_FRAMES_EXTRA) if year == 2022 else "In {y}, {q}"
            q = frame.format(q=q[0].lower() + q[1:] if frame.startswith("In") else q, y=year)
            if rng.random() < 0.5:
                q = _en_typo(rng, q)
            out.append(Query(q, "en", fact.id))
            continue
        # A paraphrase: a frame and a measure ending the fact's own phrasings do not use, when possible.
        own = set(fact.questions_zh)
        for _ in range(20):
            frame = rng.choice(ZH_FRAMES if year == 2022 else [f for f in ZH_FRAMES if "{y}" in f])
            q = frame.format(s=subject.zh, m=rng.choice(m.zh), y=year, p="金水区")
            if q not in own:
                break
        q = f"{rng.choice(FILLERS_HEAD)}{q}{rng.choice(FILLERS_TAIL)}"
        if rng.random() < 0.5:
            out.append(Query(_typo(rng, q), "zh_typo", fact.id))
        else:
            out.append(Query(q, "zh", fact.id))
    return out


# Short follow-ups, sent right after an answered question (the router sees its context).
FOLLOWUPS = [
    "那总投资呢",
    "占全市多少",
    "排第几",
    "那引进了多少人才呢",
    "增长了多少",
    "那企业有多少家呢",
    "那研发平台呢",
    "什么时候开工的",
    "那产值呢",
    "还有签约项目呢",
    "2021年呢",
    "它排第几",
    "What about the ranking?",
    "and the total investment?",
    "那这个呢",
    "多少家",
]


def make_followups(n: int, seed: int = 4) -> list[str]:
    """``n`` short follow-up messages."""
    rng = random.Random(f"followups:{n}:{seed}")
    return [rng.choice(FOLLOWUPS) for _ in range(n)]
