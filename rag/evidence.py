"""Evidence for a parsed question: every sentence of the retrieved chunks that may answer it, the answer spans of the
expected type it holds, its features, and the fitted model that scores it (weights and threshold are data, fitted by
`make calibrate`)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rag.figures import find_figures
from rag.places import find_places, same_place
from rag.query import AnswerType, Query, article_numbers, institutions, ordinals_in
from rag.records import ScoredChunk
from rag.text import bigram_tokens, normalise, split_sentences, to_simplified

FEATURES = (
    "bias",
    "s_cov",  # IDF-weighted share of the question's content units in the sentence
    "ctx_cov",  # … in the sentence with its document's title, section and place
    "chunk_cov",  # … in the whole chunk with that head
    "head_cov",  # … in the title and section alone
    "dense",  # the chunk's cosine similarity to the question (0 when the dense leg did not return it)
    "rr_dense", "rr_words", "rr_bigrams",  # 1 / rank of the chunk in each retrieval leg (0 = not returned)
    "rr_fused",  # 1 / rank after fusion
    "type_match",  # the sentence holds a span of the expected answer type (for span types)
    "type_miss",  # a span type is expected and the sentence holds none
    "span_near",  # how close that span is to the question's terms (1 = adjacent, → 0 far away)
    "year_in_sent",  # a year the question names is written in the sentence or the title
    "year_by_date",  # … only the document's date says it (一年来, 今年)
    "place_in_sent",  # a place the question names is written in the sentence
    "level_match",  # 中职/高职/本科 as the question names it (−1: the sentence names only another level)
    "doc_named",  # the question names this document
    "article_match",  # the question names this article
    "first_person",  # the sentence speaks as 我校/我们/我市 (the speaker is resolved when quoted)
    "novelty",  # share of the sentence's bigrams the question does not have (near 0: it restates the question)
    "log_len",  # log of the sentence's length
    "provision_law",  # a provision is asked and the sentence is an article of a law or regulation
    "figure_any",  # the sentence holds any figure
)

_FIRST_PERSON = re.compile(r"我校|我院|我们|我市|我省|我县|我区|本市|本省|本县|本区|本校|本院|本条例|本办法|本规定|本法")
_DATE_SPAN = re.compile(
    r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"[一二〇零○]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?"
)
_TITLE_NAME = re.compile(
    r"(?:校长|党委书记|书记|院长|副院长|副校长|主任|副主任|局长|厅长|部长|总理|董事长|总经理|理事长|会长|主席|教授|老师|教师|"
    r"选手|学生|同学|工匠|大师|代表|记者|通讯员)\s*([\u4e00-\u9fff]{2,3})(?=[，,、。：:\s表示说介绍认为指出强调告诉称]|$)"
)
_LEVEL_FORMS = {"中职": ("中职", "中等职业"), "高职": ("高职", "高等职业", "专科"), "职业本科": ("职业本科", "本科层次职业"),
                "本科": ("本科",), "技工": ("技工", "技师")}


@dataclass
class Span:
    text: str  # as it is written in the (simplified) sentence
    start: int
    kind: AnswerType


@dataclass
class Candidate:
    """One sentence of one retrieved chunk, as evidence for one question."""

    hit: ScoredChunk
    index: int  # the sentence's index in split_sentences(chunk.text)
    sentence: str  # original script
    simple: str  # simplified, for quoting
    features: dict[str, float]
    spans: list[Span] = field(default_factory=list)
    score: float = 0.0  # the model's probability that this sentence answers the question


@dataclass(frozen=True)
class EvidenceModel:
    """Logistic regression over FEATURES; `threshold` is the probability below which the answer is declined."""

    weights: dict[str, float]
    threshold: float
    list_ratio: float = 0.6  # a list item must score at least this share of the best one
    fitted_on: str = ""

    def probability(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def load(cls, path: Path) -> "EvidenceModel":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        unknown = set(d["weights"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"{path}: weights for unknown features {sorted(unknown)}; re-fit with `make calibrate`")
        return cls(d["weights"], float(d["threshold"]), float(d.get("list_ratio", 0.6)), d.get("fitted_on", ""))

    def save(self, path: Path, extra: dict | None = None) -> None:
        payload = {"weights": {k: round(self.weights.get(k, 0.0), 6) for k in FEATURES}, "threshold": round(self.threshold, 6),
                   "list_ratio": self.list_ratio, "fitted_on": self.fitted_on, **(extra or {})}
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_model(path: str) -> EvidenceModel:
    return EvidenceModel.load(Path(path))


# ---- spans ----------------------------------------------------------------------------------------------------

def _person_spans(text: str) -> list[Span]:
    out = [Span(m.group(1), m.start(1), AnswerType.PERSON) for m in _TITLE_NAME.finditer(text)]
    if not out:
        import jieba.posseg as pseg

        pos = 0
        for w in pseg.lcut(text):
            if w.flag == "nr" and 2 <= len(w.word) <= 4:
                out.append(Span(w.word, pos, AnswerType.PERSON))
            pos += len(w.word)
    return out


def find_spans(text: str, kind: AnswerType, *, persons: bool = False) -> list[Span]:
    """Candidate answers of one type in simplified text. People are found only when `persons` (jieba POS tagging
    costs more than the rest together, so it runs on the few sentences that are quoted)."""
    if kind in (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.PERIOD):
        figs = find_figures(text)
        want = kind.value
        exact = [Span(f.raw, f.start, kind) for f in figs if f.kind == want]
        if kind is AnswerType.COUNT:
            exact += [Span(f.raw, f.start, kind) for f in figs if f.kind == "amount" and f.raw[-1] in "万亿"]
        return exact
    if kind is AnswerType.DATE:
        return [Span(m.group(0), m.start(), kind) for m in _DATE_SPAN.finditer(text)]
    if kind is AnswerType.ORG:
        out, pos = [], 0
        for name in institutions(text):
            i = text.find(name, pos)
            out.append(Span(name, max(i, 0), kind))
            pos = max(i, 0) + len(name)
        return out
    if kind is AnswerType.PLACE:
        norm = normalise(text)
        out, pos = [], 0
        for p in find_places(norm):
            i = norm.find(p.name, pos)
            out.append(Span(p.name, max(i, 0), kind))
            pos = max(i, 0) + len(p.name)
        return out
    if kind is AnswerType.PERSON and persons:
        return _person_spans(text)
    return []


def unit_positions(text_norm: str, units: frozenset[str]) -> list[int]:
    return [i for i in range(len(text_norm) - 1) if text_norm[i : i + 2] in units]


def nearest(spans: list[Span], positions: list[int], q: Query) -> Span | None:
    """The span closest to the question's terms, ignoring spans the question itself contains."""
    best, best_d = None, None
    for s in spans:
        if normalise(s.text) in q.norm:
            continue
        centre = s.start + len(s.text) / 2
        d = min((abs(p - centre) for p in positions), default=60.0)
        if best_d is None or d < best_d:
            best, best_d = s, d
    return best


# ---- candidates and features ----------------------------------------------------------------------------------

def _coverage(units: frozenset[str], present: set[str], weights: dict[str, float]) -> float:
    total = sum(weights[u] for u in units)
    return sum(weights[u] for u in units if u in present) / total if total else 0.0


def _year_state(q: Query, sentence_norm: str, head: str, hit: ScoredChunk) -> tuple[float, float, bool]:
    """(in sentence or title, by the document's date only, allowed). A sentence that names other years and not the
    asked one does not answer it; one that names no year is dated by its document."""
    if not q.years:
        return 0.0, 0.0, True
    in_text = all(y in sentence_norm or y in head for y in q.years)
    if in_text:
        return 1.0, 0.0, True
    named = set(re.findall(r"(?:19|20)\d{2}", sentence_norm))
    if named - set(q.years):
        return 0.0, 0.0, False
    if all(hit.meta.date.startswith(y) for y in q.years):
        return 0.0, 1.0, True
    return 0.0, 0.0, False


def _place_state(q: Query, sentence_norm: str, chunk_head: str, hit: ScoredChunk) -> tuple[float, bool]:
    if not q.places:
        return 0.0, True
    in_sent = any(p.short in sentence_norm or p.full in sentence_norm for p in q.places)
    ok = all(same_place(p, hit.meta.region, hit.meta.city, chunk_head) for p in q.places)
    return float(in_sent), ok


def _ordinals_ok(q: Query, near: str) -> bool:
    if not q.ordinals:
        return True
    return q.ordinals <= ordinals_in(near)


def _level_match(q: Query, sentence_norm: str) -> float:
    if not q.levels:
        return 0.0
    asked = any(f in sentence_norm for lv in q.levels for f in _LEVEL_FORMS.get(lv, (lv,)))
    if asked:
        return 1.0
    other = any(f in sentence_norm for lv, forms in _LEVEL_FORMS.items() if lv not in q.levels for f in forms)
    return -1.0 if other else 0.0


def _article_number(article: str) -> int | None:
    nums = article_numbers(article or "")
    return nums[0] if nums else None


def candidates(q: Query, hits: list[ScoredChunk], idf) -> list[Candidate]:
    """Every quotable sentence of the hits that meets the question's anchors (places, years, ordinals), with its
    features. `idf(bigram)` weighs the question's units."""
    if not q.units:
        return []
    weights = {u: idf(u) for u in q.units}
    q_bigrams = set(q.bigrams)
    span_type = q.item_type if q.answer_type is AnswerType.LIST else q.answer_type
    out: list[Candidate] = []
    for hit in hits:
        meta, chunk = hit.meta, hit.chunk
        head = normalise(" ".join([meta.title, chunk.section, chunk.article, meta.region, meta.city]))
        head_set = set(bigram_tokens(head))
        chunk_set = set(bigram_tokens(chunk.norm)) | head_set
        chunk_cov = _coverage(q.units, chunk_set, weights)
        head_cov = _coverage(q.units, head_set, weights)
        place_head = head + " " + chunk.norm
        flagged = {i for i, _ in chunk.flags}
        doc_named = float(any(normalise(d) in normalise(meta.title) for d in q.documents)) if q.documents else 0.0
        art = _article_number(chunk.article)
        article_match = float(bool(q.articles) and art in q.articles)
        if q.articles and q.documents and doc_named and art not in q.articles:
            continue  # 第五十条 of a named law: other articles of that law do not answer it
        is_rule = meta.doc_type in ("law", "regulation") and bool(chunk.article)
        for idx, sent in enumerate(split_sentences(chunk.text)):
            if idx in flagged:
                continue  # boilerplate or an instruction to the assistant: never an answer
            ns = normalise(sent)
            if len(ns) < 6:
                continue
            st = set(bigram_tokens(ns))
            novelty = len(st - q_bigrams) / max(len(st), 1)
            if novelty < 0.2:
                continue  # it only restates the question
            y_sent, y_date, y_ok = _year_state(q, ns, head, hit)
            p_sent, p_ok = _place_state(q, ns, place_head, hit)
            if not (y_ok and p_ok and _ordinals_ok(q, ns + " " + head)):
                continue
            simple = to_simplified(sent)
            spans = find_spans(simple, span_type) if span_type else []
            near = 0.0
            if spans:
                pos = unit_positions(ns, q.units)
                best = nearest(spans, pos, q)
                if best is not None:
                    d = min((abs(p - best.start) for p in pos), default=60.0)
                    near = 1.0 / (1.0 + d / 10.0)
                else:
                    spans = []
            is_span_type = span_type is not None and span_type.is_short and span_type is not AnswerType.PERSON
            f = {
                "bias": 1.0,
                "s_cov": _coverage(q.units, st, weights),
                "ctx_cov": _coverage(q.units, st | head_set, weights),
                "chunk_cov": chunk_cov,
                "head_cov": head_cov,
                "dense": hit.scores.get("dense", 0.0),
                "rr_dense": 1.0 / hit.ranks["dense"] if "dense" in hit.ranks else 0.0,
                "rr_words": 1.0 / hit.ranks["words"] if "words" in hit.ranks else 0.0,
                "rr_bigrams": 1.0 / hit.ranks["bigrams"] if "bigrams" in hit.ranks else 0.0,
                "rr_fused": 1.0 / hit.rank if hit.rank else 0.0,
                "type_match": float(is_span_type and bool(spans)),
                "type_miss": float(is_span_type and not spans),
                "span_near": near,
                "year_in_sent": y_sent,
                "year_by_date": y_date,
                "place_in_sent": p_sent,
                "level_match": _level_match(q, ns),
                "doc_named": doc_named,
                "article_match": article_match,
                "first_person": float(bool(_FIRST_PERSON.search(ns))),
                "novelty": novelty,
                "log_len": math.log(len(ns)),
                "provision_law": float(q.answer_type in (AnswerType.PROVISION, AnswerType.YESNO) and is_rule),
                "figure_any": float(bool(find_figures(ns))),
            }
            out.append(Candidate(hit, idx, sent, simple, f, spans))
    return out


def score(cands: list[Candidate], model: EvidenceModel) -> list[Candidate]:
    for c in cands:
        c.score = model.probability(c.features)
    cands.sort(key=lambda c: -c.score)
    return cands
