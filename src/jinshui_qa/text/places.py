"""A general gazetteer of Chinese place names: Zhengzhou's districts and counties, Henan's cities, China's
provinces and major cities, in Chinese and in pinyin/English spelling.

It is a general resource (administrative divisions), not a list grown from questions. The router reads
it in three groups: ``HOME`` names Jinshui itself, ``FRAME`` the places that contain it (Zhengzhou,
Henan: the frame of a share or part of an address, not another place), ``OTHER`` every other place.
"""

from __future__ import annotations

HOME = ("金水区", "金水", "贵区", "本区", "该区", "jinshui")
FRAME = ("郑州市", "郑州", "河南省", "河南", "豫", "zhengzhou", "henan")
# The words that make Zhengzhou or Henan the frame of a figure (占全市, 在全省排第几), by level.
SHARE_FRAMES = (
    "全市",
    "全省",
    "市里",
    "省里",
    "city",
    "province",
    "provincial",
    "whole city",
    "entire city",
    "citywide",
    "city-wide",
    "whole province",
    "entire province",
    "province-wide",
)
WHOLE = (
    "全市",
    "全省",
    "whole city",
    "whole province",
    "entire city",
    "entire province",
    "citywide",
    "city-wide",
    "province-wide",
)
LEVELS = {"全市": "city", "市里": "city", "郑州市": "city", "郑州": "city", "zhengzhou": "city", "city": "city",
          "全省": "province", "省里": "province", "河南省": "province", "河南": "province", "henan": "province",
          "province": "province", "provincial": "province", "whole city": "city", "entire city": "city",
          "citywide": "city", "city-wide": "city", "whole province": "province", "entire province": "province",
          "province-wide": "province", "全国": "nation", "nationwide": "nation",
          "national": "nation", "in china": "nation", "国内": "nation"}  # fmt: skip

_ZHENGZHOU = """中原区 二七区 管城回族区 管城区 惠济区 上街区 郑东新区 郑东 高新区 高新技术产业开发区 经开区 经济技术开发区
航空港区 航空港 港区 航空港经济综合实验区 巩义 巩义市 荥阳 荥阳市 新密 新密市 新郑 新郑市 登封 登封市 中牟 中牟县"""
_HENAN = """开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源"""
_PROVINCES = """北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 湖北 湖南 广东 海南
四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"""
_CITIES = """石家庄 太原 沈阳 大连 长春 哈尔滨 南京 苏州 无锡 杭州 宁波 合肥 福州 厦门 南昌 济南 青岛 武汉 长沙 广州
深圳 东莞 佛山 海口 成都 贵阳 昆明 西安 兰州 西宁 呼和浩特 南宁 拉萨 银川 乌鲁木齐 雄安"""
_LATIN = """erqi zhongyuan guancheng huiji shangjie zhengdong gongyi xingyang xinmi xinzheng dengfeng zhongmu kaifeng
luoyang xinxiang xuchang nanyang beijing tianjin shanghai chongqing hebei shanxi liaoning jilin heilongjiang
jiangsu zhejiang anhui fujian jiangxi shandong hubei hunan guangdong hainan sichuan guizhou yunnan shaanxi gansu
qinghai taiwan guangxi tibet xinjiang shijiazhuang taiyuan shenyang dalian changchun harbin nanjing suzhou
hangzhou ningbo hefei fuzhou xiamen nanchang jinan qingdao wuhan changsha guangzhou shenzhen chengdu kunming
xian xi'an lanzhou nanning anyang hebi jiaozuo puyang luohe sanmenxia shangqiu xinyang zhoukou zhumadian
jiyuan pingdingshan hangkonggang neimenggu xizang ningxia xianggang aomen wuxi dongguan foshan haikou guiyang
xining huhehaote lasa yinchuan wulumuqi xiongan haerbin"""

OTHER = tuple(
    dict.fromkeys(
        [*_ZHENGZHOU.split(), *_HENAN.split(), *_PROVINCES.split(), *_CITIES.split(), *_LATIN.split(),
         "hong kong", "inner mongolia", "airport economy zone", "zhengdong new district"]
    )
)  # fmt: skip
# Words for all of China: a figure "nationwide" is a claim about another place unless a fact makes it.
NATION = ("全国", "国内", "nationwide", "national average", "in china", "across china")
# Places whose pinyin is also a common word's (jieba's dictionary, words met 400 times or more that name no
# place, read a character at a time as people type them): in a message typed in pinyin such a spelling
# names the place only where a place fits (routing/pinyin_words.py). tests/text/test_places.py checks it.
COMMON_SPELLINGS = frozenset(
    """huiji gongyi xinzheng xinxiang beijing shanghai shandong chengdu hebi jiaozuo xinyang""".split()  # noqa: SIM905
)  # 汇集/会计 工艺/公益 新政 心想 背景 伤害 闪动 程度 何必 叫做 信仰
# Each place spelled in Latin (pinyin or English) -> its name in Chinese, to name it so in a Chinese reply
# (「没有二七区的数据」 for 「erqiqu gaoqi duoshao」). tests/text/test_places.py checks every Latin place has one.
_IN_CHINESE = """jinshui:金水区 zhengzhou:郑州 henan:河南 erqi:二七区 zhongyuan:中原区 guancheng:管城回族区 huiji:惠济区
shangjie:上街区 zhengdong:郑东新区 gongyi:巩义 xingyang:荥阳 xinmi:新密 xinzheng:新郑 dengfeng:登封 zhongmu:中牟
kaifeng:开封 luoyang:洛阳 xinxiang:新乡 xuchang:许昌 nanyang:南阳 beijing:北京 tianjin:天津 shanghai:上海
chongqing:重庆 hebei:河北 shanxi:山西 liaoning:辽宁 jilin:吉林 heilongjiang:黑龙江 jiangsu:江苏 zhejiang:浙江
anhui:安徽 fujian:福建 jiangxi:江西 shandong:山东 hubei:湖北 hunan:湖南 guangdong:广东 hainan:海南 sichuan:四川
guizhou:贵州 yunnan:云南 shaanxi:陕西 gansu:甘肃 qinghai:青海 taiwan:台湾 guangxi:广西 tibet:西藏 xinjiang:新疆
shijiazhuang:石家庄 taiyuan:太原 shenyang:沈阳 dalian:大连 changchun:长春 harbin:哈尔滨 nanjing:南京 suzhou:苏州
hangzhou:杭州 ningbo:宁波 hefei:合肥 fuzhou:福州 xiamen:厦门 nanchang:南昌 jinan:济南 qingdao:青岛 wuhan:武汉
changsha:长沙 guangzhou:广州 shenzhen:深圳 chengdu:成都 kunming:昆明 xian:西安 xi'an:西安 lanzhou:兰州 nanning:南宁
anyang:安阳 hebi:鹤壁 jiaozuo:焦作 puyang:濮阳 luohe:漯河 sanmenxia:三门峡 shangqiu:商丘 xinyang:信阳 zhoukou:周口
zhumadian:驻马店 jiyuan:济源 pingdingshan:平顶山 hangkonggang:航空港区 neimenggu:内蒙古 xizang:西藏 ningxia:宁夏
xianggang:香港 aomen:澳门 wuxi:无锡 dongguan:东莞 foshan:佛山 haikou:海口 guiyang:贵阳 xining:西宁 huhehaote:呼和浩特
lasa:拉萨 yinchuan:银川 wulumuqi:乌鲁木齐 xiongan:雄安 haerbin:哈尔滨 hong_kong:香港 inner_mongolia:内蒙古
airport_economy_zone:航空港区 zhengdong_new_district:郑东新区"""


def in_chinese(place: str) -> str:
    """``place`` named in Chinese: a Latin spelling of a known place as its Chinese name, else as given
    (xi'an, and xi an as it folds: 西安)."""
    if not place.isascii():
        return place
    for pair in _IN_CHINESE.split():
        latin, _, chinese = pair.partition(":")
        if _folded(latin) == _folded(place):
            return chinese
    return place


def in_english(place: str) -> str:
    """A Latin place named in an English reply as the list spells it, each word capitalised (Xi'an for
    xi an as it folds, Hong Kong), else as given, title-cased."""
    spelled = next((p for p in OTHER if p.isascii() and _folded(p) == _folded(place)), place)
    return " ".join(w[:1].upper() + w[1:] for w in spelled.split(" "))


def _folded(latin: str) -> str:
    return latin.lower().replace("_", " ").replace("'", " ")
