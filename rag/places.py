"""Places from data: China's provinces, prefectures and counties (rag/data/divisions.csv) with the short forms people
write (辽宁, 大连, 临朐), found in normalised text."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from rag.text import _jieba

DATA = os.path.join(os.path.dirname(__file__), "data")
LEVELS = ("province", "city", "county")

_NATIONS = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 "
    "达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 "
    "门巴 珞巴 基诺"
).split()
_ETHNIC_TAIL = re.compile(f"(?:{'|'.join(sorted(_NATIONS, key=len, reverse=True))})族$")
_NATION_TAIL = re.compile(f"(?:{'|'.join(sorted(_NATIONS, key=len, reverse=True))})族?$")
_PROVINCE_SUFFIX = re.compile(r"(?:特别行政区|自治区|省|市)$")
_CITY_SUFFIX = re.compile(r"(?:自治州|地区|盟|市)$")
_COUNTY_SUFFIX = re.compile(r"(?:自治县|自治旗|新区|林区|特区|县|区|市|旗|乡|镇)$")
# a county's short form that jieba's dictionary knows as an everyday word (和平, 富民) only counts when written in full
_NAME_TAGS = {"ns", "nr", "nrt", "nrfg", "nt"}


@dataclass(frozen=True)
class Place:
    name: str  # as matched in the text
    full: str  # official name: 临朐县
    short: str  # 临朐
    level: str  # province | city | county
    province: str  # short name of the province: 山东
    city: str  # short name of the prefecture, "" for a province

    @property
    def local(self) -> str:
        """The most specific short name below the province ('' for a province): what DocMeta.city holds."""
        return "" if self.level == "province" else self.short

    @property
    def label(self) -> str:
        """山东临朐, 辽宁大连, 重庆璧山, 上海: how an answer names where something is."""
        if self.level == "province" or self.short == self.province:
            return self.province
        return self.province + self.short


def _short(full: str, suffix: re.Pattern) -> str:
    """广西壮族自治区 → 广西, 黔南布依族苗族自治州 → 黔南, 临朐县 → 临朐; a one-character stem keeps the full name."""
    s = suffix.sub("", full)
    if suffix is _PROVINCE_SUFFIX:
        s = _NATION_TAIL.sub("", s) if len(_NATION_TAIL.sub("", s)) >= 2 else s  # 新疆维吾尔 → 新疆
    while True:
        m = _ETHNIC_TAIL.search(s)
        if not m or m.start() < 2:
            break
        s = s[: m.start()]
    return s if len(s) >= 2 else full


class Gazetteer:
    """Every name (full and short) → the places it may mean; found by maximal match, short or brief names only at
    jieba word boundaries (示范县 does not hold 范县), an ambiguous name resolved by the provinces around it."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[Place]] = {}
        self.provinces: list[str] = []
        self._boundary_only: set[str] = set()
        with open(os.path.join(DATA, "place_words.txt"), encoding="utf-8") as f:
            self._everyday = {ln.strip() for ln in f if ln.strip() and not ln.startswith("#")}
        freq = _jieba_tags()
        rows = list(csv.DictReader(open(os.path.join(DATA, "divisions.csv"), encoding="utf-8")))
        short_prov: dict[str, str] = {}
        for r in rows:
            p = r["province"]
            if p not in short_prov:
                short_prov[p] = _short(p, _PROVINCE_SUFFIX)
                self.provinces.append(short_prov[p])
        # provinces first: a name shared with a province (吉林) means the province unless the text says otherwise
        for full, short in short_prov.items():
            place = Place(full, full, short, "province", short, "")
            self._add(full, place, boundary=False)
            self._add(short, place, boundary=False)
        seen_city: set[str] = set()
        for r in rows:
            prov = short_prov[r["province"]]
            city_full = r["city"]
            if city_full and city_full != r["province"] and city_full not in seen_city:
                seen_city.add(city_full)
                cshort = _short(city_full, _CITY_SUFFIX)
                place = Place(city_full, city_full, cshort, "city", prov, cshort)
                self._add(city_full, place, boundary=len(city_full) <= 3)
                if cshort != city_full and cshort not in self._everyday:
                    self._add(cshort, place, boundary=True)
        for r in rows:
            prov = short_prov[r["province"]]
            county = r["county"]
            if not county:
                continue
            city_short = _short(r["city"], _CITY_SUFFIX) if r["city"] != r["province"] else prov
            kshort = _short(county, _COUNTY_SUFFIX)
            place = Place(county, county, kshort, "county", prov, city_short)
            self._add(county, place, boundary=len(county) <= 3)
            tag = freq.get(kshort)
            everyday = kshort in self._everyday or (tag is not None and tag[1] not in _NAME_TAGS and tag[0] > 50)
            if kshort != county and len(kshort) >= 2 and not everyday:
                self._add(kshort, place, boundary=True)
        for r in csv.DictReader(open(os.path.join(DATA, "places_extra.csv"), encoding="utf-8")):
            prov = short_prov.get(r["province"], _short(r["province"], _PROVINCE_SUFFIX))
            city_short = _short(r["city"], _CITY_SUFFIX) if r["city"] != r["province"] else prov
            level = "city" if r["short"] == city_short or r["city"] == r["name"] else "county"
            place = Place(r["name"], r["name"], r["short"], level, prov, city_short)
            self._add(r["name"], place, boundary=False, first=True)
            if r["short"] != r["name"]:
                self._add(r["short"], place, boundary=True, first=True)
        self.max_len = max(len(n) for n in self.by_name)

    def _add(self, name: str, place: Place, *, boundary: bool, first: bool = False) -> None:
        entry = Place(name, place.full, place.short, place.level, place.province, place.city)
        got = self.by_name.setdefault(name, [])
        if any(p.full == entry.full for p in got):
            return
        got.insert(0, entry) if first else got.append(entry)
        if boundary and len(got) == 1:
            self._boundary_only.add(name)

    def lookup(self, name: str) -> Place | None:
        got = self.by_name.get(name)
        return got[0] if got else None

    def find(self, norm_text: str) -> list[Place]:
        """Places named in normalised (simplified) text, in order, longest match first, no overlaps."""
        found: list[list[Place]] = []
        bounds: set[int] | None = None
        i, n = 0, len(norm_text)
        while i < n:
            hit = None
            for L in range(min(self.max_len, n - i), 1, -1):
                name = norm_text[i : i + L]
                cands = self.by_name.get(name)
                if cands is None:
                    continue
                if name in self._boundary_only:
                    if bounds is None:
                        bounds = _word_bounds(norm_text)
                    if i not in bounds or i + L not in bounds:
                        continue
                hit = cands
                break
            if hit is not None:
                found.append(hit)
                i += len(hit[0].name)
            else:
                i += 1
        # an ambiguous name (宽城: 吉林 or 河北) takes the province the rest of the text speaks of
        context = [c[0].province for c in found if len(c) == 1]
        out = []
        for cands in found:
            if len(cands) > 1:
                cands = sorted(cands, key=lambda p: -context.count(p.province))
            out.append(cands[0])
        return out


@lru_cache(maxsize=1)
def _jieba_tags() -> dict[str, tuple[int, str]]:
    jb = _jieba()
    path = os.path.join(os.path.dirname(jb.__file__), "dict.txt")
    tags = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = (int(parts[1]), parts[2])
    return tags


def _word_bounds(text: str) -> set[int]:
    bounds, pos = {0}, 0
    for w in _jieba().lcut(text):
        pos += len(w)
        bounds.add(pos)
    return bounds


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


def find_places(norm_text: str) -> list[Place]:
    return gazetteer().find(norm_text)


def first_place(norm_text: str) -> tuple[str, str]:
    """(province, local place) first named in the text, a later more specific place of the same province refining
    it; ('', '') if none."""
    places = find_places(norm_text)
    if not places:
        return "", ""
    first = places[0]
    local = first.local
    if not local:
        local = next((p.local for p in places[1:] if p.province == first.province and p.local), "")
    return first.province, local


def main_place(norm_text: str) -> tuple[str, str]:
    """(province, local place) a text is mostly about: the province named most often (a county counts for its
    province), then its most named local place; ties go to the first named."""
    places = find_places(norm_text)
    if not places:
        return "", ""
    provs = [p.province for p in places]
    prov = max(dict.fromkeys(provs), key=provs.count)
    locals_ = [p.local for p in places if p.province == prov and p.local]
    return prov, (max(dict.fromkeys(locals_), key=locals_.count) if locals_ else "")


def provinces() -> list[str]:
    return list(gazetteer().provinces)


def province_of(name: str) -> str:
    p = gazetteer().lookup(name)
    return p.province if p else ""


# a province's one-character name, as written after a verb of going or helping: 援疆, 在疆招生, 赴藏, 来湘
PROVINCE_ABBREVIATIONS = {
    "北京": "京", "天津": "津", "河北": "冀", "山西": "晋", "内蒙古": "蒙", "辽宁": "辽", "吉林": "吉", "黑龙江": "黑",
    "上海": "沪", "江苏": "苏", "浙江": "浙", "安徽": "皖", "福建": "闽", "江西": "赣", "山东": "鲁", "河南": "豫",
    "湖北": "鄂", "湖南": "湘", "广东": "粤", "广西": "桂", "海南": "琼", "重庆": "渝", "四川": "川", "贵州": "黔",
    "云南": "滇", "西藏": "藏", "陕西": "陕", "甘肃": "陇", "青海": "青", "宁夏": "宁", "新疆": "疆",
}
_ABBREVIATED = {p: re.compile(f"[援在赴入来驻治进离返回出]{a}(?=招生|工作|干部|教师|支教|学生|人才|企业|项目|任务|务工|就业|"
                              f"[，。、；的和与]|$)") for p, a in PROVINCE_ABBREVIATIONS.items()}


def mentions(asked: Place, text: str) -> bool:
    """The normalised text names the place: in full, by its short name, or (a province) by its one-character name
    after a verb of going or helping (援疆, 在疆招生)."""
    if asked.short in text or asked.full in text:
        return True
    pat = _ABBREVIATED.get(asked.short) if asked.level == "province" else None
    return bool(pat and pat.search(text))


def same_place(asked: Place, province: str, local: str, text: str) -> bool:
    """Does a passage (its document's province and local place, and its normalised text) speak of the asked place?"""
    if asked.level == "province":
        return province == asked.province or mentions(asked, text)
    return local == asked.short or mentions(asked, text)
