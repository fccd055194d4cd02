"""Laws, regulations and policy documents as a teacher names them: their names and short names, versions and which
one is in force, where they apply, and their articles (or a policy's numbered items) by number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.figures import cn_number
from rag.records import RULE_TYPES, Chunk, DocMeta
from rag.text import normalise

IN_FORCE = "现行有效"
SUPERSEDED = "已被修订"
REPEALED = "已废止"
UNKNOWN = "未知"

_VERSION_PARENS = re.compile(r"[（(][^（）()]*[）)]")
_NOTICE = re.compile(r"^.*?关于印发(.+?)的通知")
_ARTICLE_NO = re.compile(r"^第([一二三四五六七八九十百千零〇两\d]+)条")
_ITEM_NO = re.compile(r"^（([一二三四五六七八九十]+)）")
# what people call documents: the short form → words of the name (also used by the query parser)
ALIASES = {
    "职教法": "职业教育法", "新职教法": "职业教育法", "民促法": "民办教育促进法", "高教法": "高等教育法",
    "职教20条": "国家职业教育改革实施方案", "职教二十条": "国家职业教育改革实施方案",
    "实习规定": "职业学校学生实习管理规定", "实习管理规定": "职业学校学生实习管理规定",
}


def base_name(title: str) -> str:
    """The name without version or attachment notes and without 中华人民共和国: 职业教育法, 青岛市职业教育条例,
    国家职业教育改革实施方案 (from 国务院关于印发国家职业教育改革实施方案的通知)."""
    t = normalise(title)
    m = _NOTICE.match(t)
    if m:
        t = m.group(1)
    t = _VERSION_PARENS.sub("", t)
    t = t.replace("中华人民共和国", "").replace("《", "").replace("》", "")
    return t.strip()


def provision_number(article: str) -> int | None:
    """第五十条 → 50; a policy item （六） → 6."""
    m = _ARTICLE_NO.match(article or "") or _ITEM_NO.match(article or "")
    if not m:
        return None
    num = m.group(1)
    v = int(num) if num.isdigit() else cn_number(num)
    return int(v) if v is not None else None


@dataclass
class LawRecord:
    doc_id: str
    meta: DocMeta
    name: str  # base name
    status: str = UNKNOWN
    replaced_by: str = ""
    articles: dict[int, list[int]] = field(default_factory=dict)  # number → chunk positions, in order
    head: int | None = None  # the position of the text before its first article (when and by whom it was adopted)

    @property
    def count(self) -> int:
        return max(self.articles) if self.articles else 0

    @property
    def unit(self) -> str:
        return "项" if self.meta.doc_type == "policy" else "条"

    @property
    def label(self) -> str:
        """《职业教育法》（2022年修订，现行有效）"""
        bits = [b for b in (self.meta.version, self.status if self.status != UNKNOWN else "") if b]
        return f"《{self.name}》" + (f"（{'，'.join(bits)}）" if bits else "")

    def number_label(self, n: int) -> str:
        return f"第{_cn(n)}{self.unit}" if self.meta.doc_type != "policy" else f"第（{_cn(n)}）项"


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if not rest:
        return head
    return head + ("零" + digits[rest] if rest < 10 else _cn(rest) if rest >= 20 else "一" + _cn(rest))


class LawBook:
    """Built from the indexed chunks when the index is loaded: one record per law, regulation or policy document."""

    def __init__(self, chunks: list[Chunk], metas: list[DocMeta]):
        self.records: dict[str, LawRecord] = {}
        for i, (c, m) in enumerate(zip(chunks, metas)):
            if m.doc_type not in RULE_TYPES:
                continue
            rec = self.records.get(c.doc_id)
            if rec is None:
                rec = self.records[c.doc_id] = LawRecord(c.doc_id, m, base_name(m.title))
                if not c.article:
                    rec.head = i
            n = provision_number(c.article)
            if n is not None:
                rec.articles.setdefault(n, []).append(i)
        self._resolve_versions()

    def _resolve_versions(self) -> None:
        """Versions share a name; the newest replaces the others. A status the collection cannot tell is 未知."""
        by_name: dict[str, list[LawRecord]] = {}
        for r in self.records.values():
            by_name.setdefault(r.name, []).append(r)
        for versions in by_name.values():
            versions.sort(key=lambda r: (r.meta.date, r.meta.version))
            newest = versions[-1]
            for r in versions:
                # only a dated text older than a differently dated one is a replaced version: an undated copy (an
                # upload) or one of the same date is another copy, not an old version
                older = bool(r.meta.date) and r.meta.date[:4] < newest.meta.date[:4]
                if r is not newest and older:
                    r.status = r.meta.declared_status or SUPERSEDED
                    if r.status == SUPERSEDED:
                        r.replaced_by = f"{newest.meta.version or newest.meta.date[:4] + '年'}版"
                else:
                    r.status = r.meta.declared_status or UNKNOWN

    def status_of(self, doc_id: str) -> tuple[str, str]:
        r = self.records.get(doc_id)
        return (r.status, r.replaced_by) if r else ("", "")

    def find(self, names: tuple[str, ...] | list[str]) -> list[LawRecord]:
        """Records a question names: an exact name first (职业教育法 is not 北京市实施职业教育法办法), else any name
        that contains it."""
        out: list[LawRecord] = []
        for raw in names:
            d = base_name(ALIASES.get(raw, raw))
            exact = [r for r in self.records.values() if r.name == d or r.name.endswith(d) and len(d) >= 6]
            found = exact or [r for r in self.records.values() if d and d in r.name]
            if not found:  # 宁波校企合作条例: a shortened name
                found = self._loose(d)
            if not found:  # 修订后职业教育法: a known name inside what the question wrote, the longest one
                inside = [r for r in self.records.values() if len(r.name) >= 3 and r.name in d]
                longest = max((len(r.name) for r in inside), default=0)
                found = [r for r in inside if len(r.name) == longest]
            out += [r for r in found if r not in out]
        return out

    def _loose(self, name: str) -> list[LawRecord]:
        """A name as people shorten it: 宁波校企合作条例 → 宁波市职业教育校企合作促进条例, 青岛职教条例 → 青岛市职业教育条例.
        Every character of the short name is in the full one, which begins as it does (the place) and ends with the
        same kind of rule; of several, the closest in length."""
        short = name.replace("职教", "职业教育")
        if len(short) < 4 or not looks_like_rule(short):
            return []
        kind = re.search(r"(?:法典|法|条例|办法|规定|细则|方案|决定|意见)$", short).group(0)
        fits = [r for r in self.records.values()
                if r.name.startswith(short[:2]) and r.name.endswith(kind) and set(short) <= set(r.name)]
        if not fits:
            return []
        best = min(len(r.name) for r in fits)
        return [r for r in fits if len(r.name) == best]

    def version_for(self, records: list[LawRecord], years: tuple[str, ...], norm_question: str) -> LawRecord:
        """The version a question asks for: by year (1996年职业教育法), the old one (原文, 旧版, 修订前), else the one
        in force (or the newest)."""
        dated = [r for r in records if any(y in (r.meta.version + r.meta.date) for y in years)]
        if dated:
            return dated[0]
        ordered = sorted(records, key=lambda r: r.meta.date)
        if re.search(r"原文|旧版|旧的|老版|修订前|修改前|原来的", norm_question):
            return ordered[0]
        current = [r for r in ordered if r.status == IN_FORCE]
        return current[-1] if current else ordered[-1]

    def superseded(self, doc_id: str) -> bool:
        r = self.records.get(doc_id)
        return r is not None and r.status == SUPERSEDED

    def versions(self, name: str) -> list[LawRecord]:
        """All versions of one law, oldest first."""
        recs = self.find([name])
        if not recs:
            return []
        base = recs[0].name
        return sorted((r for r in self.records.values() if r.name == base), key=lambda r: r.meta.date)


def looks_like_rule(name: str) -> bool:
    return bool(re.search(r"(?:法典|法|条例|办法|规定|细则|方案|决定|意见)$", name))
