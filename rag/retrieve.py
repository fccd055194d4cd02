"""Hybrid retrieval for a parsed Query: dense (Chroma), BM25 over jieba words and over character bigrams, fused by
reciprocal rank, filtered by type/region/date/source, with near-duplicate chunks suppressed."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from rag.errors import IndexMismatchError
from rag.index.embed import make_embedder
from rag.index.lexical import BM25, ChunkStore, FigureStore, TokenStore
from rag.index.sentences import SENTENCES, SentenceVectors
from rag.index.store import (CHUNKS, FIGURES, MANIFEST, TOKENS, all_records, chunk_from_metadata, records_for,
                             open_collection, read_dense_progress, require_manifest)
from rag.laws import LawBook, LawRecord, base_name, looks_like_rule
from rag.query import Query, enumerates, section_years
from rag.records import Chunk, DocMeta, Filters, ScoredChunk
from rag.settings import Settings
from rag.text import bigram_tokens, jaccard, normalise, to_simplified

LEGS = ("dense", "words", "bigrams")


def rrf(rankings: dict[str, list[str]], k: int = 60,
        weights: dict[str, float] | None = None) -> list[tuple[str, float, dict[str, int]]]:
    """Reciprocal rank fusion: score(d) = Σ w_leg/(k + rank_leg(d)) (w = 1 unless given); ties keep first-seen
    order."""
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    weights = weights or {}
    for leg, ids in rankings.items():
        w = weights.get(leg, 1.0)
        for r, cid in enumerate(ids, start=1):
            scores[cid] = scores.get(cid, 0.0) + w / (k + r)
            ranks.setdefault(cid, {})[leg] = r
    order = sorted(scores, key=lambda c: -scores[c])
    return [(cid, scores[cid], ranks[cid]) for cid in order]


def drop_near_duplicates(items: list[ScoredChunk], threshold: float, bigrams=None) -> list[ScoredChunk]:
    """Keep the best-ranked of chunks whose bigram sets overlap more than `threshold` (same story, two outlets).
    `bigrams(chunk)` may supply precomputed sets."""
    kept: list[ScoredChunk] = []
    sets: list[set[str]] = []
    for it in items:
        s = bigrams(it.chunk) if bigrams else set(bigram_tokens(it.chunk.norm))
        if any(jaccard(s, o) > threshold for o in sets):
            continue
        kept.append(it)
        sets.append(s)
    return kept


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, t0: float) -> float:
        now = time.perf_counter()
        self.stages[name] = self.stages.get(name, 0.0) + (now - t0) * 1000
        return now


@dataclass
class ArticleLookup:
    """A provision asked for by number: the version of the named law that was found and the chunks of that
    article (empty when the law has no such article); or the name of a law the collection does not hold."""

    record: LawRecord | None
    number: int
    hits: list[ScoredChunk]
    missing_law: str = ""
    count_asked: bool = False  # 一共有多少条: the count, shown by the last article
    more: list[tuple[int, list[ScoredChunk]]] = field(default_factory=list)  # 第五十条和第五十一条: the others asked


class QueryVectors:
    """Query vectors for the last `size` distinct questions: example buttons, re-asks and evaluation re-runs skip the
    model. Safe to use from several threads."""

    def __init__(self, embeddings, size: int = 512):
        self.embeddings = embeddings
        self.size = size
        self._lock = threading.Lock()
        self._cache: dict[str, list[float]] = {}

    def __call__(self, norm_query: str) -> list[float]:
        with self._lock:
            vec = self._cache.get(norm_query)
        if vec is None:
            vec = self.embeddings.embed_query(norm_query)
            with self._lock:
                self._cache[norm_query] = vec
                if len(self._cache) > self.size:
                    self._cache.pop(next(iter(self._cache)))
        return vec

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


class DenseMatrix:
    """Every chunk's vector, read from the Chroma collection into one matrix; the dense leg is an exact cosine search
    over it. Chroma's own HNSW search returned a slightly different tail of its 40 candidates from one process to the
    next (same question, same vector, same index), which moved a chunk in or out of what the answerer reads, so the
    same question could get two answers; the exact search gives one, and is faster at this size: 0.12 ms a query over
    2,298 chunks against 1.5 ms for Chroma's query, 3.5 ms over 16× as many (the matrix then takes 56 MB). Chunks whose
    vectors are still being built in the background join as they arrive. Safe to use from several threads."""

    def __init__(self, collection, pos: dict[str, int]):
        self.collection = collection
        self.pos = pos
        self._lock = threading.Lock()
        self.matrix = np.zeros((len(pos), 0), dtype=np.float32)
        self.has = np.zeros(len(pos), dtype=bool)
        self._count = -1  # vectors in the collection at the last read
        self.refresh()

    def refresh(self) -> None:
        """Read the vectors the collection holds for this index's chunks that are not in the matrix yet (all of them
        the first time; while vectors are built in the background, only those that arrived since)."""
        self._count = self.collection.count()
        if self.has.any():
            missing = [cid for cid, i in self.pos.items() if not self.has[i]]
            got = records_for(self.collection, missing, ["embeddings"])
        else:
            got = all_records(self.collection, ["embeddings"])
        rows = [(self.pos[cid], e) for cid, e in zip(got["ids"], got["embeddings"]) if cid in self.pos]
        if not rows:
            return
        vecs = np.asarray([e for _, e in rows], dtype=np.float32)
        matrix = self.matrix
        if matrix.shape[1] == 0:
            matrix = np.zeros((len(self.pos), vecs.shape[1]), dtype=np.float32)
        idx = np.fromiter((i for i, _ in rows), dtype=np.int64, count=len(rows))
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        # rows not yet in `has` are masked out of every search, so filling them in place is safe for a search running
        # on the previous `has`; `has` itself is replaced, never changed in place
        matrix[idx] = vecs / np.where(norms > 0, norms, 1.0)
        has = self.has.copy()
        has[idx] = True
        self.matrix, self.has = matrix, has

    def nearest(self, vec: list[float], k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk index, cosine similarity) of the k chunks nearest to `vec` among those `mask` allows, nearest first;
        ties by index."""
        with self._lock:
            if not self.has.all() and self.collection.count() != self._count:  # more have arrived
                self.refresh()
            matrix, has = self.matrix, self.has
        allowed = has if mask is None else has & mask
        if k <= 0 or not allowed.any() or matrix.shape[1] == 0:
            return []
        q = np.asarray(vec, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        sims = np.where(allowed, matrix @ q, -np.inf)
        n = min(k, int(allowed.sum()))
        top = np.argpartition(-sims, n - 1)[:n] if n < len(sims) else np.arange(len(sims))
        top = top[np.lexsort((top, -sims[top]))]
        return [(int(i), float(sims[i])) for i in top if allowed[i]]


class Retriever:
    """Loads the index once; `search` is safe to call from several threads."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.manifest = require_manifest(settings)
        self._stamp = self._manifest_stamp()
        self.embeddings = make_embedder(settings)
        self.collection = open_collection(settings)
        self.query_vectors = QueryVectors(self.embeddings)
        claimed = set(self.manifest.claimed())
        stored = ChunkStore(settings.index_dir / CHUNKS).items
        if claimed and claimed <= set(stored):  # the index's own copy: complete even while vectors are being built
            pairs = [(stored[cid][0], stored[cid][1]) for cid in claimed]
        else:  # an index from before the chunk store: read the chunks back from Chroma, which then held them whole
            got = all_records(self.collection, ["metadatas"])
            mds = [md for md in got["metadatas"] if md and md.get("chunk_id") in claimed]
            if any("text" not in md for md in mds):  # written since: Chroma holds vectors, chunks.pkl the chunks
                raise IndexMismatchError(
                    f"The chunk store of the index in {settings.index_dir} ({CHUNKS}) is missing or incomplete. "
                    "Restore it with: python -m rag ingest (it re-reads the documents; nothing is embedded again)")
            pairs = [chunk_from_metadata(md) for md in mds]
        pairs.sort(key=lambda p: (p[0].doc_id, p[0].ordinal))
        self.chunks: list[Chunk] = [p[0] for p in pairs]
        metas: list[DocMeta] = [p[1] for p in pairs]
        # laws and policies across the collection: which version is in force is known only once all are loaded
        self.laws = LawBook(self.chunks, metas)
        self.metas: list[DocMeta] = []
        for c, m in zip(self.chunks, metas):
            status, replaced_by = self.laws.status_of(c.doc_id)
            self.metas.append(replace(m, status=status, replaced_by=replaced_by) if status else m)
        self.pos = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        tokens = TokenStore(settings.index_dir / TOKENS)
        toks = [tokens.get(c.chunk_id, c.lexical) for c in self.chunks]
        self.bm25 = {"words": BM25([t["words"] for t in toks]), "bigrams": BM25([t["bigrams"] for t in toks])}
        self.bigram_sets = [frozenset(t["bigrams"]) for t in toks]  # for near-duplicate checks at query time
        figures = FigureStore(settings.index_dir / FIGURES)
        self.figures = [figures.get(c.chunk_id, c.norm, c.text) for c in self.chunks]
        self.dense = DenseMatrix(self.collection, self.pos)
        self._sentences: tuple[float, SentenceVectors] | None = None  # (file's mtime, store)
        self.sentence_vectors()
        self.last = Timings()
        self._titles: dict[str, str] = {}
        self._section_years: list[frozenset[str]] | None = None  # the years each chunk's section heading names
        self._all_text: str | None = None  # the collection's text in one string, for what it never writes

    def _manifest_stamp(self) -> float:
        p: Path = self.settings.index_dir / MANIFEST
        return p.stat().st_mtime if p.exists() else 0.0

    def is_stale(self) -> bool:
        """True once an ingest elsewhere has rewritten the manifest."""
        return self._manifest_stamp() != self._stamp

    def __len__(self) -> int:
        return len(self.chunks)

    def dense_progress(self) -> tuple[int, int]:
        """(chunks with vectors, chunks) while vectors are built in the background; (n, n) when complete."""
        p = read_dense_progress(self.settings.index_dir)
        n = len(self.chunks)
        if not p:
            return n, n
        return min(int(p.get("done", n)), n), n

    def idf(self, bigram: str) -> float:
        """Inverse document frequency of a character bigram over the indexed chunks (unseen = rarest)."""
        bm = self.bm25["bigrams"]
        j = bm.vocab.get(bigram)
        return float(bm.idf[j]) if j is not None else float(np.log(1 + bm.n + 0.5))

    def neighbours(self, chunk_id: str) -> tuple[Chunk | None, Chunk | None]:
        """The chunks before and after one in its document (for the speaker line above a quote)."""
        i = self.pos.get(chunk_id)
        if i is None:
            return None, None
        c = self.chunks[i]
        prev = self.chunks[i - 1] if i > 0 and self.chunks[i - 1].doc_id == c.doc_id else None
        nxt = self.chunks[i + 1] if i + 1 < len(self.chunks) and self.chunks[i + 1].doc_id == c.doc_id else None
        return prev, nxt

    # ---- legs -------------------------------------------------------------------
    def dense_by_vector(self, vec: list[float], k: int, filters: Filters = Filters(),
                        only: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k chunks nearest in meaning (chunk index, cosine similarity) among those the filters accept and `only`
        allows — an exact search over every stored vector (see DenseMatrix)."""
        return self.dense.nearest(vec, k, self._within(filters, only))

    def _within(self, filters: Filters, only: np.ndarray | None) -> np.ndarray | None:
        mask = self.accepted(filters)
        return only if mask is None else mask if only is None else mask & only

    def accepted(self, filters: Filters) -> np.ndarray | None:
        """Which chunks the filters accept (None: all)."""
        if filters.empty:
            return None
        return np.fromiter((filters.accepts(m) for m in self.metas), dtype=bool, count=len(self.metas))

    def lexical(self, leg: str, tokens: tuple[str, ...], k: int, filters: Filters = Filters(),
                only: np.ndarray | None = None) -> list[tuple[int, float]]:
        scores = self.bm25[leg].scores(tokens)
        mask = self._within(filters, only)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[: k * 2]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0][:k]

    def anchored_docs(self, q: Query) -> np.ndarray | None:
        """Chunks of the documents a question pins down by name (青岛市职业教育条例, 职业教育法) or by year in the title
        or date (2017年政府工作报告); None when it names neither, or when nothing matches."""
        if not (q.documents or q.years):
            return None
        docs = [normalise(d) for d in q.documents]

        asked, facts = set(q.years), q.fact_years
        separate = not facts <= q.report_years  # 2022年…按2023年那份政府工作报告: a year of facts beside the report's

        def fits(m: DocMeta, of_section: frozenset[str]) -> bool:
            title = self._titles.get(m.title)
            if title is None:
                title = self._titles[m.title] = normalise(m.title)
            if docs and not any(d in title for d in docs):
                return False
            if not q.years:
                return True
            if q.report_years:  # a report named with its year (2016年政府工作报告, 23年报告) is anchored by its title
                if not any(y in title or m.date.startswith(y) for y in q.report_years):
                    return False
                return not (separate and of_section) or bool(of_section & facts)
            if of_section:  # a section about a year (the 2017 report's “一、2016年工作回顾”) is that year's
                return bool(of_section & asked)
            return any(y in title or m.date.startswith(y) for y in asked)

        if self._section_years is None:
            self._section_years = [section_years(c.section, m.title) for c, m in zip(self.chunks, self.metas)]
        mask = np.fromiter((fits(m, ys) for m, ys in zip(self.metas, self._section_years)), dtype=bool,
                           count=len(self.metas))
        return mask if mask.any() and not mask.all() else None

    def documents_of_kind(self, kind: str, filters: Filters) -> list[ScoredChunk]:
        """Each document of a kind (政府工作报告, 条例, 法律 …) the filters accept, as its first chunk, oldest first."""
        allowed = self.accepted(filters)
        first: dict[str, int] = {}
        for i, (c, m) in enumerate(zip(self.chunks, self.metas)):
            if c.doc_id in first or (allowed is not None and not allowed[i]):
                continue
            name = base_name(m.title)
            if (kind == "法律" and m.doc_type == "law" and name.endswith("法")) or (
                    kind != "法律" and (kind in name if kind == "政府工作报告" else name.endswith(kind))):
                first[c.doc_id] = i
        hits = [ScoredChunk(self.chunks[i], self.metas[i], 1.0, {"holdings": 1}, {}) for i in first.values()]
        return sorted(hits, key=lambda h: (h.meta.date, h.meta.title))

    @property
    def collection_text(self) -> str:
        """Every chunk, heading and title of the collection in one string (normalised, simplified), gathered once
        (~0.1 s for the shipped corpus)."""
        if self._all_text is None:
            self._all_text = normalise(to_simplified("\n".join(
                [c.text + "\n" + c.section for c in self.chunks] + [m.title for m in self.metas])))
        return self._all_text

    def writes_any(self, forms: tuple[str, ...]) -> bool:
        """Whether any chunk, heading or title of the collection writes one of `forms` (normalised, simplified)."""
        return any(f in self.collection_text for f in forms)

    def hits_for(self, chunk_ids: list[str], filters: Filters) -> dict[str, ScoredChunk]:
        """Chunks found by other means than the search (a figure's sources) as hits, those the filters accept."""
        allowed = self.accepted(filters)
        out = {}
        for cid in chunk_ids:
            i = self.pos.get(cid)
            if i is not None and (allowed is None or allowed[i]):
                out[cid] = ScoredChunk(self.chunks[i], self.metas[i], 1.0, {"figure": 1}, {})
        return out

    def lookup_article(self, q: Query) -> ArticleLookup | None:
        """职教法第五十条 / 1996年职业教育法第三十七条 / 职教20条第六条: that provision of that version (the version in
        force unless another is asked for); how many articles it has (its last article). None when the question names
        no article of a named document and does not ask how many it has."""
        if not q.documents or not (q.articles or q.asks_article_count):
            return None
        records = self.laws.find(q.documents)
        n = q.articles[0] if q.articles else 0
        if not records:
            named = [d for d in q.documents if looks_like_rule(d)]
            return ArticleLookup(None, n, [], missing_law=named[0], count_asked=not q.articles) if named else None
        rec = self.laws.version_for(records, q.years, q.norm)
        if not q.articles:
            if not rec.count:
                return None  # a document without numbered articles: the question is answered from its text
            n = rec.count
        def hits_of(number: int) -> list[ScoredChunk]:
            return [ScoredChunk(self.chunks[i], self.metas[i], 1.0, {"article": 1}, {}, r)
                    for r, i in enumerate(rec.articles.get(number, []), 1)]

        more = [(m, hits_of(m)) for m in q.articles[1:3]]  # up to three articles asked at once
        return ArticleLookup(rec, n, hits_of(n), count_asked=not q.articles, more=more)

    # ---- fused ------------------------------------------------------------------
    def sentence_vectors(self) -> SentenceVectors:
        """The sentence store, read again when it changed on disk (it grows while the app builds it)."""
        path = self.settings.index_dir / SENTENCES
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        got = self._sentences
        if got is None or got[0] != mtime:
            got = (mtime, SentenceVectors(path, self.settings.embedder_id))
            self._sentences = got
        return got[1]

    def legs(self, query: Query, filters: Filters, tm: Timings | None = None) -> dict[str, list[tuple[int, float]]]:
        """Each leg's ranking (chunk index, score): dense, BM25 words, BM25 bigrams, and — when the question names
        documents (a law, a year's report) — the best chunks of those documents by bigrams and by meaning."""
        s = self.settings
        tm = tm or Timings()
        t = time.perf_counter()
        vec = self.query_vectors(query.norm)
        t = tm.add("embed", t)
        allowed = self.accepted(filters)  # once for every leg, each then searches within it
        legs = {"dense": self.dense_by_vector(vec, s.leg_k, only=allowed)}
        t = tm.add("dense", t)
        legs["words"] = self.lexical("words", query.words, s.leg_k, only=allowed)
        t = tm.add("words", t)
        legs["bigrams"] = self.lexical("bigrams", query.bigrams, s.leg_k, only=allowed)
        t = tm.add("bigrams", t)
        anchored = self.anchored_docs(query)
        if anchored is not None:
            within = anchored if allowed is None else anchored & allowed
            legs["anchored"] = self.lexical("bigrams", query.bigrams, s.leg_k, only=within)
            docs = {self.chunks[i].doc_id for i in np.flatnonzero(anchored)}
            if len(docs) <= 20:  # a few named documents: ranked by meaning within them too
                legs["anchored_dense"] = self.dense_by_vector(vec, s.leg_k, only=within)
            tm.add("anchored", t)
        if query.asks_adoption and (records := self.laws.find(query.documents)):
            # when it was adopted or revised is written above the first article, a passage no search term singles out
            record = self.laws.version_for(records, query.years, query.norm)
            if record.head is not None and (allowed is None or allowed[record.head]):
                legs["law_head"] = [(record.head, 1.0)]
            local_asked = bool(query.places) and record.meta.jurisdiction in ("", "全国")  # 北京市实施《职业教育法》办法
            if query.asks_effect and record.articles and not local_asked:  # 本法自…起施行 is the last article
                tail = [i for i in record.articles[record.count] if allowed is None or allowed[i]]
                if tail:
                    legs["law_tail"] = [(i, 1.0) for i in tail]
        if query.asks_purpose and (records := self.laws.find(query.documents)):
            # 职业教育法的立法目的: 为了…，制定本法 is the first article, which no search term singles out; handed on
            # beside the k found, as the last article is
            record = self.laws.version_for(records, query.years, query.norm)
            first = [i for i in record.articles.get(1, []) if allowed is None or allowed[i]] if record.articles else []
            if first:
                legs["law_tail"] = legs.get("law_tail", []) + [(i, 1.0) for i in first]
        return legs

    def search(self, query: Query, k: int | None = None, filters: Filters | None = None) -> list[ScoredChunk]:
        """Top-k chunks for a parsed question; `filters` defaults to the query's own."""
        s = self.settings
        k = k or s.top_k
        filters = query.filters if filters is None else filters
        tm = Timings()
        legs = self.legs(query, filters, tm)
        t = time.perf_counter()
        fused = rrf({leg: [self.chunks[i].chunk_id for i, _ in hits] for leg, hits in legs.items()}, s.rrf_k,
                    s.leg_weights)
        leg_scores = {leg: {self.chunks[i].chunk_id: sc for i, sc in hits} for leg, hits in legs.items()}

        def scored(cid: str, score: float, ranks: dict[str, int]) -> ScoredChunk:
            i = self.pos[cid]
            return ScoredChunk(self.chunks[i], self.metas[i], score, ranks, {leg: leg_scores[leg][cid] for leg in ranks})

        items = [scored(*f) for f in fused[: k * 3]]
        items = drop_near_duplicates(items, s.dedup_threshold, lambda c: self.bigram_sets[self.pos[c.chunk_id]])[:k]
        # the article a question asks for by the law's structure (本法自…起施行, the last one) is always handed on,
        # beside the k found, not instead of one (the local rule may be the one asked); every leg's chunk is in `fused`
        tail = {self.chunks[i].chunk_id for i, _ in legs.get("law_tail", [])} - {it.chunk.chunk_id for it in items}
        items += [scored(*f) for f in fused if f[0] in tail]
        if query.asks_latest:
            # 今年高校毕业生有多少人: the pool's chunks of documents newer than any of the k found are handed on too
            # (the 2024 report's 今年高校毕业生超过1170万人 beside 2015's and 2017's), at most two
            newest = max((it.meta.date for it in items), default="")
            pool = [f for f in fused[k : k * 3] if f[0] not in tail and self.metas[self.pos[f[0]]].date > newest]
            items += [scored(*f) for f in pool[:2]]
        if query.abbreviation and not any(enumerates(query.abbreviation, it.chunk.norm) for it in items):
            # “五金”是哪五个: a chunk of a found document that lists the items (金专、金课、金师、金地、金教材) is handed
            # on too, though it never writes the term the search looked for
            docs = {it.chunk.doc_id for it in items}
            listed = next((c.chunk_id for c in self.chunks
                           if c.doc_id in docs and enumerates(query.abbreviation, c.norm)), None)
            items += list(self.hits_for([listed] if listed else [], filters).values())
        for r, it in enumerate(items, 1):
            it.rank = r
        tm.add("fusion", t)
        t = time.perf_counter()
        vec = np.asarray(self.query_vectors(query.norm), dtype=np.float32)  # the dense leg's, from the cache
        vec = vec / (np.linalg.norm(vec) or 1.0)
        sentences = self.sentence_vectors()
        for it in items:
            it.sentence_dense = sentences.similarities(it.chunk.chunk_id, vec)
        tm.add("sentences", t)
        self.last = tm
        return items
