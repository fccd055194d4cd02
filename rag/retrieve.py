"""Hybrid retrieval: dense (Chroma), BM25 over jieba words and over character bigrams, fused by reciprocal rank,
filtered by type/region/date/source, with near-duplicate chunks suppressed."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rag.index.embed import make_embedder
from rag.index.lexical import BM25, FigureStore, TokenStore
from rag.index.store import FIGURES, MANIFEST, TOKENS, all_records, chunk_from_metadata, open_vectorstore, require_manifest
from rag.records import Chunk, DocMeta, ScoredChunk
from rag.settings import Settings
from rag.text import bigram_tokens, jaccard, normalise, word_tokens

LEGS = ("dense", "words", "bigrams")


@dataclass(frozen=True)
class Filters:
    doc_types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str = ""  # yyyy, yyyy-mm or yyyy-mm-dd, inclusive
    date_to: str = ""

    @property
    def empty(self) -> bool:
        return not (self.doc_types or self.regions or self.sources or self.date_from or self.date_to)

    def _bounds(self) -> tuple[int, int]:
        lo = _date_int(self.date_from, end=False) if self.date_from else 0
        hi = _date_int(self.date_to, end=True) if self.date_to else 0
        return lo, hi

    def accepts(self, meta: DocMeta) -> bool:
        if self.doc_types and meta.doc_type not in self.doc_types:
            return False
        if self.regions and meta.region not in self.regions and meta.city not in self.regions:
            return False
        if self.sources and not any(s in meta.source for s in self.sources):
            return False
        lo, hi = self._bounds()
        if lo or hi:
            d = meta.date_int
            if not d or (lo and d < lo) or (hi and d > hi):
                return False
        return True

    def chroma_where(self) -> dict | None:
        """The same filter for Chroma's dense leg (source matching is exact there; substring is checked after)."""
        clauses: list[dict] = []
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if self.regions:
            clauses.append({"$or": [{"region": {"$in": list(self.regions)}}, {"city": {"$in": list(self.regions)}}]})
        lo, hi = self._bounds()
        if lo:
            clauses.append({"date_int": {"$gte": lo}})
        if hi:
            clauses.append({"date_int": {"$lte": hi}})
            clauses.append({"date_int": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _date_int(value: str, *, end: bool) -> int:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 4:
        raise ValueError(f"日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD：{value!r}")
    pad = "1231" if end else "0101"
    if len(digits) == 6:
        digits += "31" if end else "01"
    return int((digits + pad[len(digits) - 4 :])[:8])


def rrf(rankings: dict[str, list[str]], k: int = 60) -> list[tuple[str, float, dict[str, int]]]:
    """Reciprocal rank fusion: score(d) = Σ 1/(k + rank_leg(d)); ties keep first-seen order."""
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    for leg, ids in rankings.items():
        for r, cid in enumerate(ids, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + r)
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


class Retriever:
    """Loads the index once; `search` is safe to call from several threads."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.manifest = require_manifest(settings)
        self._stamp = self._manifest_stamp()
        self.embeddings = make_embedder(settings)
        self.store = open_vectorstore(settings, self.embeddings)
        got = all_records(self.store, ["metadatas"])
        claimed = {cid for e in self.manifest.docs.values() for cid in e.chunk_ids}
        pairs = [chunk_from_metadata(md) for md in got["metadatas"] if md and md.get("chunk_id") in claimed]
        pairs.sort(key=lambda p: (p[0].doc_id, p[0].ordinal))
        self.chunks: list[Chunk] = [p[0] for p in pairs]
        self.metas: list[DocMeta] = [p[1] for p in pairs]
        self.pos = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        tokens = TokenStore(settings.index_dir / TOKENS)
        toks = [tokens.get(c.chunk_id, c.norm) for c in self.chunks]
        self.bm25 = {"words": BM25([t["words"] for t in toks]), "bigrams": BM25([t["bigrams"] for t in toks])}
        self.bigram_sets = [frozenset(t["bigrams"]) for t in toks]  # for near-duplicate checks at query time
        self.tokenizers = {"words": word_tokens, "bigrams": bigram_tokens}
        figures = FigureStore(settings.index_dir / FIGURES)
        self.figures = [figures.get(c.chunk_id, c.norm, c.text) for c in self.chunks]
        self._facts = None  # the figure-check index, built on first use by the service
        self.last = Timings()
        self._lock = threading.Lock()
        self._qcache: dict[str, list[float]] = {}

    def _manifest_stamp(self) -> float:
        p: Path = self.settings.index_dir / MANIFEST
        return p.stat().st_mtime if p.exists() else 0.0

    def is_stale(self) -> bool:
        """True once an ingest elsewhere has rewritten the manifest."""
        return self._manifest_stamp() != self._stamp

    def __len__(self) -> int:
        return len(self.chunks)

    def _query_vector(self, norm_query: str) -> list[float]:
        """Query vectors are kept for the last 512 distinct questions: example buttons, re-asks and evaluation
        re-runs skip the model."""
        with self._lock:
            vec = self._qcache.get(norm_query)
        if vec is None:
            vec = self.embeddings.embed_query(norm_query)
            with self._lock:
                self._qcache[norm_query] = vec
                if len(self._qcache) > 512:
                    self._qcache.pop(next(iter(self._qcache)))
        return vec

    # ---- legs -------------------------------------------------------------------
    def dense(self, query: str, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        return self.dense_by_vector(self._query_vector(normalise(query)), k, filters)

    def dense_by_vector(self, vec: list[float], k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        n = min(k, len(self.chunks))
        if n == 0:
            return []
        hits = self.store.similarity_search_by_vector_with_relevance_scores(vec, k=n, filter=filters.chroma_where())
        out = []
        for doc, dist in hits:
            i = self.pos.get(doc.metadata.get("chunk_id", ""))
            if i is not None and filters.accepts(self.metas[i]):
                out.append((i, 1.0 - float(dist)))
        return out

    def lexical(self, leg: str, query: str, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        scores = self.bm25[leg].scores(self.tokenizers[leg](normalise(query)))
        if not filters.empty:
            mask = np.fromiter((filters.accepts(m) for m in self.metas), dtype=bool, count=len(self.metas))
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[: k * 2]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0][:k]

    # ---- fused ------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, filters: Filters = Filters()) -> list[ScoredChunk]:
        s = self.settings
        k = k or s.top_k
        tm = Timings()
        t = time.perf_counter()
        vec = self._query_vector(normalise(query))
        t = tm.add("embed", t)
        legs = {"dense": self.dense_by_vector(vec, s.leg_k, filters)}
        t = tm.add("dense", t)
        for leg in ("words", "bigrams"):
            legs[leg] = self.lexical(leg, query, s.leg_k, filters)
            t = tm.add(leg, t)
        fused = rrf({leg: [self.chunks[i].chunk_id for i, _ in hits] for leg, hits in legs.items()}, s.rrf_k)
        items = [
            ScoredChunk(self.chunks[self.pos[cid]], self.metas[self.pos[cid]], score, ranks)
            for cid, score, ranks in fused[: k * 3]
        ]
        items = drop_near_duplicates(items, s.dedup_threshold, lambda c: self.bigram_sets[self.pos[c.chunk_id]])[:k]
        tm.add("fusion", t)
        self.last = tm
        return items
