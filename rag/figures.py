"""Numbers as values, in one grammar: 9.2万人 = 92000 people, 百分之五十 = 50%, 六个月 = 6 months — so a figure can be
found, highlighted, matched to a question and checked against a passage whatever way it is written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import split_sentences, to_simplified

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_SCALE = {"万亿": 1e12, "万": 1e4, "亿": 1e8, "千": 1e3}
CN_NUM = "零〇一二两三四五六七八九十百千"

# measure words, longest first; the unit says what kind of figure it is
MONEY_UNITS = ("万元", "亿元", "元", "美元", "欧元", "英镑", "日元", "港元", "港币", "澳元", "新台币", "台币")
PERIOD_UNITS = ("个月", "周岁", "学时", "小时", "分钟", "秒钟", "年", "月", "周", "天", "日", "岁")
COUNT_UNITS = ("人次", "个", "所", "家", "项", "名", "人", "次", "倍", "台", "套", "门", "类", "批", "支", "枚", "座", "条",
               "本", "部", "种", "件", "届", "期", "位", "级", "金", "银", "铜", "分", "份", "场", "篇", "张", "处", "辆", "架",
               "艘", "首", "册", "层", "块", "颗", "棵", "株", "组", "股", "集", "幅", "席", "栋", "间", "只", "地", "万", "亿")
OTHER_UNITS = ("个百分点", "平方米", "平方公里", "公里", "千米", "厘米", "毫米", "公分", "米", "亩", "吨", "公斤", "千克", "克",
               "英尺", "英里", "呎", "吋", "公顷", "立方米", "千瓦", "兆瓦", "度",
               "km²", "km2", "m²", "km", "cm", "CM", "mm", "kg", "GHz", "MHz", "kW", "MW")
# what a measured dimension is written in: 占地面积多大 is answered by 1133.87亩, not by “20个区”
DIMENSION_UNITS = {
    "area": ("平方米", "平方公里", "平方千米", "亩", "公顷", "km²", "km2", "m²"),
    "length": ("公里", "千米", "米", "厘米", "毫米", "公分", "英尺", "英里", "呎", "吋", "km", "cm", "CM", "mm"),
    "weight": ("吨", "公斤", "千克", "克", "kg"),
}
UNITS = sorted({*MONEY_UNITS, *PERIOD_UNITS, *COUNT_UNITS, *OTHER_UNITS} - {"万", "亿"}, key=len, reverse=True)

# bump when the grammar reads a text differently: stored figures (index/figures.pkl) are then recomputed on load
GRAMMAR_VERSION = "grammar11"  # 2: 百分之一点五 is 1.5%, not the fraction 百分之一; 3: latin units (30km, 4.7GHz); 4: 分钟;
# 5: 十万元, 十倍; 6: 份, 场, 篇, 张 (100万份学徒合同 is not 100万人); 7: 三位一体 is no count; 8: 处, 辆, 架, 艘, 首,
# 册, 层, 块, 颗, 棵, 株, 组, 股, 集, 幅, 席, 栋, 间, 只 (7处发射基地); 9: 条 counting what follows it (3条巴士路线),
# foreign money (31,875美元, 3000万欧元); 10: a number after 8· names a day (8·8人才交流会), it counts nothing;
# 11: a round number said roughly (近千人, 上千名, 数百家)
# the one grammar: [百分之] number [scale] [余|多] [unit|%]
GRAMMAR = re.compile(
    rf"(?P<frac>(?!百分之)(?P<den>[{CN_NUM}]+|\d+)分之(?P<nom>[{CN_NUM}]+|\d+)|(?P<fnum>\d+)\s*[/／]\s*(?P<fden>\d+)(?![/／\d]))"
    rf"|(?P<pct>百分之)?"
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_NUM}]+(?:点[{CN_NUM}]+)?)"
    rf"\s*(?P<more0>余|多)?(?P<scale>万亿|万|亿|千(?![米克瓦]))?\s*(?P<more>余|多)?\s*(?P<half>个半(?=小时|月)|半(?=年|天|个月)|个(?=半))?"
    rf"(?P<unit>%|％|‰|{'|'.join(UNITS)})?"
)
_NOT_A_FIGURE_BEFORE = re.compile(r"(第\s*|20\d\d-|19\d\d-|[a-zA-Z]|\d\s*[·•])$")  # 8·8人才交流会 is a day's name
# 条 counting the thing named after it (3条巴士路线, 12条措施), not an article (第3条, 3条第二款)
_COUNTED_BY_TIAO = re.compile(r"[\u4e00-\u9fff](?<![款项之例规第])")
_DATE_AFTER = re.compile(r"^\s*(年|月|日|时|点|号|届|期|批|轮|章|条|款|项|节)")
_MEASURE_STRIP = re.compile(r"^(其中|全省|全市|全国|共|累计|已|达到|达|超过|为|有|约|近|逾)+")
_MEASURE_TAIL = re.compile(r"(达到|超过|达|为|约|近|逾|共|累计|有|是|了|的)+$")
_CLAUSE_SPLIT = re.compile(r"[，,；;：:。！？、（）()“”\"\s]")


@dataclass(frozen=True)
class FigureMention:
    """A number in a text: as written (unit included), its value, and what it counts."""

    raw: str  # 9.2万人
    value: float  # 92000
    percent: bool
    unit: str  # 人, 个月, %, 亿元 …; "" for a bare number
    measure: str = ""  # the words before it in its clause: what it counts
    start: int = 0
    end: int = 0

    @property
    def key(self) -> tuple[float, bool]:
        return (round(self.value, 6), self.percent)

    @property
    def is_figure(self) -> bool:
        """A number of something (has a unit, a scale or a percent sign), not a bare code or year."""
        return bool(self.unit or self.percent or any(s in self.raw for s in ("万", "亿")))

    @property
    def kind(self) -> str:
        """count | amount | percent | period | number: the answer type this figure can fill."""
        if self.percent or self.unit in {"个百分点", "‰"}:
            return "percent"
        if self.unit in MONEY_UNITS or self.raw.endswith("元"):
            return "amount"
        if self.unit in PERIOD_UNITS:
            return "period"
        if self.unit:
            return "count"
        return "count" if self.is_figure else "number"


def cn_number(text: str) -> float | None:
    """Chinese numerals to a number: 五十 → 50, 一百零五 → 105, 三点五 → 3.5."""
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = cn_number(whole) if whole else 0
        if w is None or not frac or not all(c in _CN for c in frac):
            return None
        return float(f"{int(w)}." + "".join(str(_CN[c]) for c in frac))
    total, cur = 0, 0
    seen = False
    for ch in text:
        if ch in _CN:
            cur = _CN[ch]
            seen = True
        elif ch in _CN_UNIT:
            total += (cur or 1) * _CN_UNIT[ch]
            cur = 0
            seen = True
        else:
            return None
    return float(total + cur) if seen else None


_ROUGHLY_BY = "近上数几逾"  # a round number said roughly: 近千人, 上千名, 数百家, 几十所


def said_roughly(text: str, start: int = 0) -> bool:
    """The number at `start` is a bare 十/百/千 with a 近/上/数/几/逾 before it (近千人, 数百家)."""
    num = re.match(rf"[{CN_NUM}]+", text[start:])
    return start > 0 and text[start - 1] in _ROUGHLY_BY and bool(num) and all(c in "十百千" for c in num.group(0))


_BOUNDED_ONE = re.compile(r"(?:以上|以内|以下|之内|及以上|内)")  # matched at the figure's end
_BOUND_BEFORE_ONE = re.compile(r"(?:满|超过|不少于|不足|不超过|至少|为期|不满|长达)$")


def _value(m: re.Match) -> float | None:
    num = m.group("num")
    if num[0].isdigit():
        value = float(num.replace(",", ""))
    else:
        unit = m.group("unit") or ""
        if num == "一" and not m.group("scale") and not m.group("pct") and unit not in ("个月", "周", "小时", "%", "％") \
                and not (unit in ("年", "天", "日") and _BOUNDED_ONE.match(m.string, m.end())) \
                and not (unit in ("年", "天", "日") and _BOUND_BEFORE_ONE.search(m.string[max(0, m.start() - 3) : m.start()])):
            return None  # 一个, 一项, 一年来: an article or a turn of phrase, not a figure (一个月 is a period, and so is
            # 一年 bounded: 参加失业保险一年以上, 满一年, 不超过一年)
        if num == "两" and not unit and not m.group("scale"):
            return None  # 两者, 两岸
        if all(c in "十百千" for c in num) and not (num == "十" and (m.group("scale") or unit)) \
                and not (said_roughly(m.string, m.start()) and unit in COUNT_UNITS):
            return None  # 千方百计, 百年: not numbers (十万元, 十倍, 十个 are, and so are 近千人, 上千名, 数百家)
        v = cn_number(num)
        if v is None:
            return None
        value = v
    if m.group("scale"):
        value *= _SCALE[m.group("scale")]
    return value


def find_figures(text: str, *, bare: bool = False) -> list[FigureMention]:
    """Every number in `text` with its value; years, dates, ordinals (第3条) and bare codes are skipped unless
    `bare` (checking an answer needs every number, a year included)."""
    out = []
    for m in GRAMMAR.finditer(text):
        if m.group("frac"):  # 三分之二, 2/3: a share, compared as a percentage
            if m.group("fnum"):
                a, b = float(m.group("fnum")), float(m.group("fden"))
                before = text[: m.start()]
                if re.search(r"\d[/／-]$", before) or b == 0 or a >= b or b > 100:
                    continue  # a date (2023/07/27) or a ratio of counts, not a share
            else:
                b, a = cn_number(m.group("den")) or 0, cn_number(m.group("nom")) or 0
                if not b:
                    continue
            out.append(FigureMention(m.group(0), round(100 * a / b, 4), True, "分数", "", m.start(), m.end()))
            continue
        if not m.group("num"):
            continue
        value = _value(m)
        if value is None:
            continue
        raw = m.group(0).strip()
        unit = m.group("unit") or ""
        start = m.start()
        if said_roughly(text, start):
            raw, start = text[start - 1] + raw, start - 1  # 近千人, 数百家: the figure is said with its 近 or 数
        if m.group("half"):
            if "半" in m.group("half"):
                value += 0.5
            if unit == "" and m.group("half") == "个":
                continue
        if unit in {"金", "银", "铜"} and not m.group("num")[0].isdigit():
            continue  # 3金1银 are medals; 五金 is hardware
        if unit == "位" and text[m.end() : m.end() + 2] == "一体":
            continue  # 三位一体 (one whole of three parts) counts no one
        if unit in {"%", "％"}:
            unit = "%"
        percent = bool(m.group("pct") or unit == "%")
        has_figure_mark = bool(unit or m.group("scale") or percent)
        before = text[: m.start()]
        if not bare:
            if not has_figure_mark:
                continue  # a bare number (a year, a code) is not a figure of anything
            if _NOT_A_FIGURE_BEFORE.search(before):
                continue
            if unit in {"年", "月", "日", "届", "期", "批", "条"} and m.group("num")[0].isdigit() and not m.group("scale") \
                    and (unit != "年" or 1900 <= value <= 2100) \
                    and not (unit == "条" and _COUNTED_BY_TIAO.match(text[m.end():])):
                continue  # 2022年, 5月, 第3条 written without 第: a date or an ordinal (3条巴士路线 counts routes)
            if not unit and not percent and _DATE_AFTER.match(text[m.end():]):
                continue
        clause = _CLAUSE_SPLIT.split(before)[-1] if before else ""
        measure = _MEASURE_TAIL.sub("", _MEASURE_STRIP.sub("", clause))[-16:]
        out.append(FigureMention(raw, value, percent, unit, measure, start, m.start() + len(m.group(0).rstrip())))
    return out


def has_figure(text: str) -> bool:
    return bool(find_figures(text))


def figure_keys(text: str) -> set[tuple[float, bool]]:
    """Every value a passage states, bare numbers included (an answer may drop the unit)."""
    return {f.key for f in find_figures(text, bare=True)}


def supported(figure: FigureMention, passages: list[str]) -> bool:
    return any(figure.key in figure_keys(p) for p in passages)


def strip_figures(text: str) -> str:
    """The text with its figures blanked out: what is left of "辽宁 9.2万人" is the topic."""
    for f in reversed(find_figures(text, bare=True)):
        text = text[: f.start] + " " + text[f.end :]
    return text


def mark_figures(text: str, wrap) -> str:
    """`wrap(raw)` around every figure (for highlighting); the rest of the text is left as it is."""
    out, last = [], 0
    for f in find_figures(text):
        out.append(text[last : f.start])
        out.append(wrap(text[f.start : f.end]))
        last = f.end
    out.append(text[last:])
    return "".join(out)


def chunk_figures(text: str) -> list[tuple[FigureMention, str]]:
    """What ingest stores per chunk: each figure with the sentence (simplified) it is in."""
    out = []
    for sent in split_sentences(text):
        s = to_simplified(sent)
        out.extend((f, s) for f in find_figures(s))
    return out
