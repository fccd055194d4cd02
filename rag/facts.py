"""Figure check and precedent finder.

数据核查: every figure in the corpus with what it counts, where and when; search by topic or by value (9.2万 = 92000);
check a pasted sentence figure by figure (found / different value / not found); list conflicting values.
案例检索: cases of a practice (厂中校, 产业学院, 现代学徒制 …) grouped by region, with institution, date, what was done,
the figures involved and the source."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from rag.figures import FigureMention, find_figures, strip_figures
from rag.places import first_place
from rag.query import institutions, parse_query
from rag.records import Chunk, DocMeta
from rag.text import bigram_tokens, normalise, to_simplified


@dataclass(frozen=True)
class FigureFact:
    raw: str  # as the source writes it, unit included: 9.2万人
    value: float  # normalised: 92000
    percent: bool
    unit: str
    measure: str  # what it counts: the words before it in its clause
    sentence: str
    chunk_id: str
    doc_id: str
    title: str
    date: str
    region: str
    source: str
    url: str

    @property
    def key(self) -> tuple[float, bool]:
        return (round(self.value, 6), self.percent)


def attach(chunk: Chunk, meta: DocMeta, stored: list[tuple[FigureMention, str]]) -> list[FigureFact]:
    return [FigureFact(f.raw, f.value, f.percent, f.unit, f.measure, sent, chunk.chunk_id, chunk.doc_id,
                       meta.display_title,
                       meta.date, meta.region, meta.source, meta.url) for f, sent in stored]


@dataclass
class ClaimCheck:
    figure: str  # as written in the pasted sentence
    measure: str
    status: str  # found | different | not_found
    matches: list[FigureFact] = field(default_factory=list)  # sources stating the same value
    conflicts: list[FigureFact] = field(default_factory=list)  # same measure, another value

    @property
    def label(self) -> str:
        return {"found": "资料中有此数字", "different": "资料中的数字不同", "not_found": "资料中未找到"}[self.status]


@dataclass
class Case:
    region: str
    institution: str
    date: str
    what: str
    figures: list[str]
    title: str
    source: str
    url: str
    doc_id: str
    chunk_id: str


class FactIndex:
    """Built from the chunks the retriever holds (the facts themselves are extracted at ingest into the index)."""

    def __init__(self, retriever, facts: list[FigureFact]):
        self.retriever = retriever
        self.facts = facts
        self.by_chunk: dict[str, list[FigureFact]] = defaultdict(list)
        for f in facts:
            self.by_chunk[f.chunk_id].append(f)

    # ---- figures -------------------------------------------------------------------
    def by_value(self, query: str) -> list[FigureFact]:
        keys = {f.key for f in find_figures(normalise(query), bare=True)}
        return sorted((f for f in self.facts if f.key in keys), key=lambda f: f.date, reverse=True)

    def sources(self, raw: str) -> list[FigureFact]:
        """Where a figure is written: the first statement of it in each document, newest document first; a figure
        with a unit (9.2万人) is not matched by the same number of something else (9.2万元)."""
        figs = find_figures(normalise(raw), bare=True)
        if not figs:
            return []
        fig = figs[0]
        seen: set[str] = set()
        out = []
        for f in self.by_value(raw):
            if f.key == fig.key and (not fig.unit or f.unit == fig.unit) and f.doc_id not in seen:
                seen.add(f.doc_id)
                out.append(f)
        return out

    def search(self, query: str, k: int = 30) -> list[FigureFact]:
        """By number when the query holds one, else by topic: figures in the passages the topic retrieves."""
        terms = normalise(strip_figures(normalise(query)))
        if len(terms.replace(" ", "")) < 2:  # what is left of "9.2万人" is a unit, not a topic
            terms = ""
        by_val = self.by_value(query) if find_figures(normalise(query), bare=True) else []
        if by_val and not terms.strip():
            return by_val
        want = set(bigram_tokens(terms))
        hits = self.retriever.search(parse_query(query), k=k)
        scored = []
        for rank, h in enumerate(hits):
            for f in self.by_chunk.get(h.chunk.chunk_id, []):
                near = set(bigram_tokens(normalise(f.sentence + f.title)))
                if not want or want & near:
                    # figures whose own clause names the topic first, then by how much of the topic their sentence holds
                    m = len(want & set(bigram_tokens(normalise(f.measure))))
                    scored.append((-m, -len(want & near), rank, f))
        scored.sort(key=lambda x: x[:3])
        out = [f for *_, f in scored]
        if by_val:
            keys = {x.key for x in by_val}
            out = [f for f in by_val if not want or want & set(bigram_tokens(normalise(f.sentence + f.title)))] + \
                  [f for f in out if f.key not in keys]
        seen, uniq = set(), []
        for f in out:
            if (f.chunk_id, f.raw, f.sentence) not in seen:
                seen.add((f.chunk_id, f.raw, f.sentence))
                uniq.append(f)
        return uniq

    def check_claim(self, claim: str, k: int = 10) -> list[ClaimCheck]:
        results = []
        claim_s = to_simplified(claim)
        for fig in find_figures(claim_s) or find_figures(normalise(claim_s), bare=True):
            raw, value, pct, unit, measure = fig.raw, fig.value, fig.percent, fig.unit, fig.measure
            context = set(bigram_tokens(normalise(claim_s.replace(raw, " "))))
            hits = self.retriever.search(parse_query(claim_s), k=k)
            near: list[tuple[float, FigureFact]] = []
            for h in hits:
                for f in self.by_chunk.get(h.chunk.chunk_id, []):
                    fb = set(bigram_tokens(normalise(f.sentence + f.title)))
                    overlap = len(context & fb) / max(len(context), 1)
                    mb = set(bigram_tokens(normalise(measure)))
                    m_overlap = len(mb & set(bigram_tokens(normalise(f.measure))))
                    if overlap >= 0.3 and (not measure or m_overlap >= max(1, 0.4 * len(mb))):
                        near.append((overlap, f))
            near.sort(key=lambda x: -x[0])
            same = [f for _, f in near if f.key == (round(value, 6), pct)]
            other = [f for _, f in near if f.key != (round(value, 6), pct) and f.unit == unit and f.percent == pct]
            if same:
                results.append(ClaimCheck(raw, measure, "found", _dedup(same)))
            elif other:
                results.append(ClaimCheck(raw, measure, "different", [], _dedup(other)[:3]))
            else:
                results.append(ClaimCheck(raw, measure, "not_found"))
        return results

    def conflicts(self) -> list[list[FigureFact]]:
        """The same measure, place, year and unit stated with different values by different documents."""
        groups: dict[tuple, list[FigureFact]] = defaultdict(list)
        for f in self.facts:
            if len(f.measure) < 4 or not f.region or f.region == "全国":
                continue
            groups[(f.region, f.date[:4], normalise(f.measure)[-4:], f.unit, f.percent)].append(f)
        out = []
        for g in groups.values():
            if len({f.key for f in g}) > 1 and len({f.doc_id for f in g}) > 1:
                out.append(sorted(g, key=lambda f: f.value))
        return out

    # ---- precedents -------------------------------------------------------------------
    def cases(self, practice: str, k: int = 40) -> list[Case]:
        phrase = normalise(practice).strip("“”\"' ")
        hits = self.retriever.search(parse_query(practice), k=k)
        # passages that name the practice outright, then any chunk the lexical index holds with it
        pool = {h.chunk.chunk_id: (h.chunk, h.meta) for h in hits if phrase in h.chunk.norm}
        for c, m in zip(self.retriever.chunks, self.retriever.metas):
            if phrase in c.norm:
                pool.setdefault(c.chunk_id, (c, m))
        best_per_doc: dict[str, Case] = {}
        for chunk, meta in pool.values():
            sents = [s for s in chunk.sentences if phrase in normalise(s)]
            if not sents:
                continue
            sent = max(sents, key=len)
            prov, city = first_place(normalise(sent))
            if not prov:
                prov, city = first_place(normalise(chunk.section + chunk.text))
            if not prov and meta.region != "全国":
                prov, city = meta.region, meta.city
            region = (prov or "全国") + (city if city and city != prov else "")
            inst = institutions(to_simplified(chunk.section)) + institutions(to_simplified(sent))
            figs = [f.raw for f in self.by_chunk.get(chunk.chunk_id, []) if f.sentence == to_simplified(sent)]
            case = Case(region, to_simplified(inst[0]) if inst else "", meta.date, to_simplified(sent), figs,
                        meta.display_title, meta.source, meta.url, chunk.doc_id, chunk.chunk_id)
            old = best_per_doc.get(chunk.doc_id)
            if old is None or (not old.institution and case.institution):
                best_per_doc[chunk.doc_id] = case
        # grouped by region (groups in order of their first case), each group by date; undated cases last
        cases = sorted(best_per_doc.values(), key=lambda c: (c.date or "9999", c.region))
        first = {}
        for c in cases:
            first.setdefault(c.region, len(first))
        return sorted(cases, key=lambda c: (first[c.region], c.institution, c.date or "9999"))


def _dedup(facts: list[FigureFact]) -> list[FigureFact]:
    seen, out = set(), []
    for f in facts:
        if (f.doc_id, f.raw) not in seen:
            seen.add((f.doc_id, f.raw))
            out.append(f)
    return out


def cases_csv(cases: list[Case]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["地区", "机构", "日期", "做法", "涉及数字", "标题", "来源", "链接", "文档ID"])
    for c in cases:
        w.writerow([c.region, c.institution, c.date, c.what, "；".join(c.figures), c.title, c.source, c.url, c.doc_id])
    return buf.getvalue()


def fact_row(f: FigureFact) -> list:
    return [f.raw, f.measure, to_simplified(f.sentence), f.title, f.date, f.region, f.source]


def fact_json(f: FigureFact) -> dict:
    return {**asdict(f), "value": f.value}
