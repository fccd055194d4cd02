"""The embedded-default answerer: picks the sentences that answer the question from the retrieved chunks and
composes a short simplified-Chinese answer with [n] citations — or declines with NOT_FOUND."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rag.figures import cn_number
from rag.ingest.meta import CITIES, PROVINCES, find_places
from rag.prompts import NOT_FOUND
from rag.records import Answer, Citation, ScoredChunk
from rag.settings import Settings
from rag.text import bigram_tokens, normalise, split_sentences, to_simplified, word_tokens_plain

_Q_WORDS = re.compile(
    r"(请问|是多少|有多少|为多少|多少|哪些|哪[一两二三四五六七八九十几]?[个家所项种类条部分年位方面]*|有哪|什么样?|怎么样?|怎样|如何|是否|"
    r"一般|多长时间?|多久|多大|多高|几[个所家项条名人次种年]?|指的是|吗|呢|？|\?|。)"
)
FIGURE_Q = re.compile(r"多少|几[个所家项条名人次种万亿倍]|几$|比例|比率|占比|多长|多久|多大|多高|百分之|数量|规模|金额|时长|[^哪]几")
LIST_Q = re.compile(r"哪些|哪几|有哪|哪家|哪里|什么地方|列举|案例|在做")
FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|％|‰)|\d+(?:\.\d+)?\s*(?:万|亿|千)?\s*(?:余|多)?\s*[个所家项条名人次元倍天年月周岁台套门类批]|"
    r"\d+(?:\.\d+)?\s*(?:万|亿)|[一二两三四五六七八九十百千]+\s*(?:个|所|家|项|条|名|倍|万|亿)"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_CLAUSE = re.compile(r"(?<=[，,；;：:])")


def question_core(question: str) -> str:
    """The question minus interrogative words: what the evidence has to talk about."""
    return _Q_WORDS.sub(" ", normalise(question))


def question_units(question: str) -> set[str]:
    """Bigrams inside the question's content words (never across a word boundary, so '在联' or '了基' do not count),
    plus latin words and numbers."""
    units: set[str] = set()
    for w in word_tokens_plain(question_core(question)):
        if re.fullmatch(r"[a-z0-9.%]+", w):
            units.add(w)
        elif len(w) >= 2:
            units.update(w[i : i + 2] for i in range(len(w) - 1))
    return units


def _idf(retriever, token: str) -> float:
    bm = retriever.bm25["bigrams"]
    j = bm.vocab.get(token)
    if j is None:
        return math.log(1 + bm.n + 0.5)
    return float(bm.idf[j])


def coverage(q_tokens: set[str], text_tokens: set[str], weights: dict[str, float]) -> float:
    total = sum(weights[t] for t in q_tokens)
    if not total:
        return 0.0
    return sum(weights[t] for t in q_tokens if t in text_tokens) / total


def anchors(question: str) -> tuple[set[str], set[str]]:
    """Places and years a question is pinned to; evidence about another place or year does not answer it."""
    norm = normalise(question)
    places = {p for p in PROVINCES if p in norm} | {c for c in CITIES if c in norm}
    years = set(_YEAR.findall(norm))
    return places, years


def _meets_anchors(places: set[str], years: set[str], hit: ScoredChunk) -> bool:
    hay = normalise(" ".join([hit.meta.title, hit.chunk.text, hit.meta.region, hit.meta.city]))
    for p in places:
        if p not in hay and CITIES.get(p) != hit.meta.region:
            return False
    for y in years:
        if y not in hay and not hit.meta.date.startswith(y):
            return False
    return True


_ORDINAL = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)([批届次期轮])")


def specifiers(text: str) -> set[tuple[str, int]]:
    """Ordinals such as 第46届 / 第二批, as (unit, number)."""
    out = set()
    for num, unit in _ORDINAL.findall(normalise(text)):
        n = int(num) if num.isdigit() else cn_number(num)
        if n is not None:
            out.add((unit, int(n)))
    return out


def _sentence_pinned(q_years: set[str], q_specs: set[tuple[str, int]], sentence: str, hit: ScoredChunk) -> bool:
    """The years and ordinals the question names must be in the sentence or its document's title: a figure for
    2022 or for the 43rd contest does not answer a question about 2023 or the 46th."""
    near = normalise(" ".join([sentence, hit.meta.title, hit.chunk.section]))
    for y in q_years:
        if y not in near:
            relative = re.search(r"今年|当年|本年|年内", sentence)
            if not (relative and hit.meta.date.startswith(y)):
                return False
    if q_specs and not q_specs <= specifiers(near):
        return False
    return True


@dataclass
class Evidence:
    hit: ScoredChunk
    rank: int
    sentence: str  # original script
    score: float
    chunk_cov: float


def gather_evidence(question: str, hits: list[ScoredChunk], retriever, settings: Settings) -> list[Evidence]:
    q_tokens = question_units(question)
    if not q_tokens:
        return []
    weights = {t: _idf(retriever, t) for t in q_tokens}
    want_figure = bool(FIGURE_Q.search(normalise(question)))
    places, years = anchors(question)
    q_specs = specifiers(question)
    out: list[Evidence] = []
    for rank, hit in enumerate(hits, start=1):
        if not _meets_anchors(places, years, hit):
            continue
        head = normalise(" ".join([hit.meta.title, hit.chunk.section, hit.chunk.article, hit.meta.region, hit.meta.city]))
        head_tokens = set(bigram_tokens(head))
        chunk_cov = coverage(q_tokens, set(bigram_tokens(hit.chunk.norm)) | head_tokens, weights)
        for sent in split_sentences(hit.chunk.text):
            ns = normalise(sent)
            if len(ns) < 6 or not _sentence_pinned(years, q_specs, sent, hit):
                continue
            st = set(bigram_tokens(ns))
            s_cov = coverage(q_tokens, st, weights)
            ctx_cov = coverage(q_tokens, st | head_tokens, weights)
            score = 0.45 * ctx_cov + 0.35 * s_cov + 0.2 * chunk_cov + 0.04 / rank
            if want_figure:
                score += 0.1 if FIGURE.search(ns) else -0.25
            out.append(Evidence(hit, rank, sent, score, chunk_cov))
    out.sort(key=lambda e: -e.score)
    return out


def _trim(sentence: str, question: str, limit: int = 150) -> str:
    """A long sentence is cut to the clauses that carry the question's terms (and the figure)."""
    if len(sentence) <= limit:
        return sentence
    q_tokens = question_units(question)
    clauses = [c for c in _CLAUSE.split(sentence) if c]
    scored = [(len(q_tokens & set(bigram_tokens(normalise(c)))) + (1 if FIGURE.search(c) else 0), i) for i, c in enumerate(clauses)]
    best = max(scored)[1]
    lo, hi = best, best + 1
    while hi - lo < len(clauses):
        grow_left = lo > 0 and (hi >= len(clauses) or scored[lo - 1][0] >= scored[hi][0])
        cand = clauses[lo - 1] if grow_left else clauses[hi]
        if sum(len(c) for c in clauses[lo:hi]) + len(cand) > limit:
            break
        if grow_left:
            lo -= 1
        else:
            hi += 1
    text = "".join(clauses[lo:hi]).rstrip("，,；;：:")
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(clauses) else "")


def _place_label(hit: ScoredChunk, sentence: str) -> str:
    """Where a case happened: the place the sentence names, else its passage, else the document's region."""
    for text in (sentence, hit.chunk.section, hit.chunk.text):
        prov, city = find_places(normalise(text))
        if prov:
            return prov + (city if city and city != prov else "")
    meta = hit.meta
    if meta.region and meta.region != "全国":
        return meta.region + (meta.city if meta.city and meta.city != meta.region else "")
    return meta.source or ""


class CitationBook:
    """Numbers chunks in order of first use; a marker can only be minted for a retrieved chunk."""

    def __init__(self, hits: list[ScoredChunk]):
        self.allowed = {h.chunk.chunk_id for h in hits}
        self.citations: list[Citation] = []
        self._by_chunk: dict[str, int] = {}

    def cite(self, hit: ScoredChunk, quote: str) -> int:
        cid = hit.chunk.chunk_id
        if cid not in self.allowed:
            raise ValueError(f"chunk {cid} was not retrieved")
        if cid in self._by_chunk:
            return self._by_chunk[cid]
        n = len(self.citations) + 1
        self._by_chunk[cid] = n
        m = hit.meta
        self.citations.append(
            Citation(
                n=n, doc_id=hit.chunk.doc_id, chunk_id=cid, title=m.title, date=m.date, source=m.source, url=m.url,
                doc_type=m.doc_type, region=m.region, text=to_simplified(hit.chunk.text), quote=to_simplified(quote),
                original=hit.chunk.text,
            )
        )
        return n


def refuse(question: str, hits: list[ScoredChunk], standalone: str = "") -> Answer:
    return Answer(question, NOT_FOUND, True, [], standalone_question=standalone or question, closest=hits[:3])


def extractive_answer(question: str, hits: list[ScoredChunk], retriever, settings: Settings, standalone: str = "") -> Answer:
    q = standalone or question
    evidence = gather_evidence(q, hits, retriever, settings)
    if not evidence or evidence[0].chunk_cov < settings.min_support or evidence[0].score < settings.min_support:
        return refuse(question, hits, q)
    best = evidence[0]
    book = CitationBook(hits)
    per_doc: list[Evidence] = []
    if LIST_Q.search(normalise(q)):
        seen_docs: set[str] = set()
        for ev in evidence:
            if ev.score < best.score * 0.7 or ev.chunk_cov < settings.min_support:
                break
            if ev.hit.chunk.doc_id not in seen_docs:
                seen_docs.add(ev.hit.chunk.doc_id)
                per_doc.append(ev)
    parts: list[str] = []
    if len(per_doc) >= 2:  # several documents hold cases: list them, one per document
        items = []
        for ev in per_doc[:5]:
            n = book.cite(ev.hit, ev.sentence)
            label = _place_label(ev.hit, ev.sentence)
            text = to_simplified(_trim(ev.sentence, q)).rstrip("。；;")
            items.append(f"{len(items) + 1}. {label + '：' if label else ''}{text}[{n}]")
        parts.append("资料中的相关案例：\n" + "\n".join(items))
    else:
        said: set[str] = set()
        for ev in evidence:
            if len(said) >= settings.max_sentences or ev.score < best.score * 0.85:
                break
            key = normalise(ev.sentence)
            if key in said:  # the same sentence from an overlapping chunk
                continue
            said.add(key)
            n = book.cite(ev.hit, ev.sentence)
            text = to_simplified(_trim(ev.sentence, q)).rstrip("。；;")
            parts.append(f"{text}[{n}]。")
    return Answer(question, "\n".join(parts), False, book.citations, standalone_question=q)


# ---- follow-up questions -------------------------------------------------------

_FOLLOW = re.compile(r"^(?:那么?|那|还有|再看|换成|如果是|改成)?\s*(?P<core>.{1,16}?)\s*(?:呢|的呢|怎么样|如何|的情况|又如何)?\s*[？?。]?$")


def is_follow_up(question: str) -> bool:
    """Short and leaning on the previous turn: '那青海呢？', '还有哪些？', '2021年呢'."""
    q = question.strip()
    starts = q.startswith(("那", "还有", "再看", "换成", "如果是", "改成"))
    ends = bool(re.search(r"(呢|怎么样|如何)[？?。]?$", q))
    return len(q) <= 16 and (starts or ends)


def condense_question(question: str, history: list[str]) -> str:
    """'那青海呢？' after '辽宁培养了多少技能人才？' → '青海培养了多少技能人才？' (no LLM needed)."""
    q = question.strip()
    if not history or not is_follow_up(q):
        return q
    prev = history[-1]
    m = _FOLLOW.match(q)
    core = (m.group("core") if m else q).strip("，, ")
    if not core:
        return q
    core_norm = normalise(core)
    new_places = [p for p in list(PROVINCES) + list(CITIES) if p in core_norm]
    if new_places:
        prev_s = to_simplified(prev)
        for p in sorted(list(PROVINCES) + list(CITIES), key=len, reverse=True):
            if p in prev_s:
                return re.sub(rf"{p}(省|市|自治区)?", core, prev_s, count=1)
        return f"{core}{prev}"
    ym = _YEAR.search(core_norm)
    if ym and _YEAR.search(prev):
        return _YEAR.sub(f"{ym.group(1)}年", prev, count=1)
    return f"{prev.rstrip('？?。')}（{core}）"
