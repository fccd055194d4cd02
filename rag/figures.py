"""Numbers as values: 9.2万 = 92000, 百分之五十 = 50%, 六个月 = 6 — so a figure can be checked against a passage
whatever way the answer writes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
