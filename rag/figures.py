"""Numbers as values: 9.2万 = 92000, 百分之五十 = 50%, 六个月 = 6 — so a figure can be checked against a passage
whatever way the answer writes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import split_sentences, to_simplified

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}
CN_NUM = "零〇一二两三四五六七八九十百千"

_NUM = re.compile(
    rf"(?P<pct>百分之)?(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_NUM}]+(?:点[{CN_NUM}]+)?)\s*(?P<scale>万亿|万|亿)?\s*(?P<unit>%|％)?"
)


@dataclass(frozen=True)
class Figure:
    raw: str
    value: float
    percent: bool

    @property
    def key(self) -> tuple[float, bool]:
        return (round(self.value, 6), self.percent)


def cn_number(text: str) -> float | None:
    """Chinese numerals to a number: 五十 → 50, 一百零五 → 105, 三点五 → 3.5."""
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = cn_number(whole) if whole else 0
        if w is None or not all(c in _CN for c in frac):
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


def extract_figures(text: str) -> list[Figure]:
    out = []
    for m in _NUM.finditer(text):
        num = m.group("num")
        if not num:
            continue
        if num[0].isdigit():
            value = float(num.replace(",", ""))
        else:
            if len(num) == 1 and num in "一两" and not m.group("scale") and not m.group("pct"):
                continue  # 一个, 两者: words, not figures
            v = cn_number(num)
            if v is None:
                continue
            value = v
        scale = m.group("scale")
        if scale == "万亿":
            value *= 1e12
        elif scale:
            value *= _SCALE[scale]
        percent = bool(m.group("pct") or m.group("unit"))
        out.append(Figure(m.group(0).strip(), value, percent))
    return out


def supported(figure: Figure, passages: list[str]) -> bool:
    keys = {f.key for p in passages for f in extract_figures(p)}
    return figure.key in keys


# a figure with what follows it: the unit is part of how the source writes it
_FACT = re.compile(
    r"(?P<pct>百分之[零〇一二两三四五六七八九十百千点]+)"
    r"|(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十百千]+(?:点[一二三四五六七八九])?)"
    r"\s*(?P<scale>万亿|万|亿|千)?\s*(?P<more>余|多)?\s*"
    r"(?P<unit>%|％|个百分点|个月|万元|亿元|人次|平方米|公里|小时|周岁|学时|[个所家项名人次元倍台套门类批支枚座条天])?"
)
_NOT_A_FIGURE_BEFORE = re.compile(r"(第|第\s*|20\d\d-|19\d\d-)$")
_DATE_AFTER = re.compile(r"^\s*(年|月|日|时|点|号|届|期|批|轮|章|条|款|项|节)")
_MEASURE_STRIP = re.compile(r"^(其中|全省|全市|全国|共|累计|已|达到|达|超过|为|有|约|近|逾)+")
_MEASURE_TAIL = re.compile(r"(达到|超过|达|为|约|近|逾|共|累计|有|是|了|的)+$")
_CLAUSE_SPLIT = re.compile(r"[，,；;：:。！？、（）()“”\"\s]")

def figures_in_sentence(sentence: str) -> list[tuple[str, float, bool, str, str]]:
    """(raw, value, percent, unit, measure) for each real figure; years, dates and article numbers are skipped."""
    out = []
    for m in _FACT.finditer(sentence):
        raw = m.group(0).strip()
        if not raw or not (m.group("unit") or m.group("scale") or m.group("pct")):
            continue  # a bare number (a year, a code) is not a figure of anything
        before = sentence[: m.start()]
        if _NOT_A_FIGURE_BEFORE.search(before) or _DATE_AFTER.match(sentence[m.end() :]) and not m.group("unit"):
            continue
        parsed = extract_figures(raw)
        if not parsed:
            continue
        f = parsed[0]
        clause = _CLAUSE_SPLIT.split(before)[-1] if before else ""
        measure = _MEASURE_TAIL.sub("", _MEASURE_STRIP.sub("", clause))[-16:]
        unit = m.group("unit") or ""
        out.append((raw, f.value, f.percent or unit in {"%", "％"}, unit, measure))
    return out


def chunk_figures(text: str) -> list[tuple]:
    """What ingest stores per chunk: (raw, value, percent, unit, measure, sentence)."""
    return [(*fig, sent) for sent in split_sentences(text) for fig in figures_in_sentence(to_simplified(sent))]


