"""BM25 over token lists (jieba words or character bigrams), as sparse matrices; tokens are persisted by chunk id."""

from __future__ import annotations

import os
import pickle
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from scipy import sparse

from rag.figures import GRAMMAR_VERSION, chunk_figures
from rag.text import bigram_tokens, word_tokens

TOKENIZERS: dict[str, Callable[[str], list[str]]] = {"words": word_tokens, "bigrams": bigram_tokens}


class BM25:
    """Okapi BM25; `scores(query_tokens)` returns one score per indexed row."""

    def __init__(self, rows: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.vocab: dict[str, int] = {}
        data, indices, indptr = [], [], [0]
        for toks in rows:
            counts = Counter(toks)
            for t, c in counts.items():
                j = self.vocab.setdefault(t, len(self.vocab))
                indices.append(j)
                data.append(c)
            indptr.append(len(indices))
        n = len(rows)
        tf = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(n, max(len(self.vocab), 1)),
        )
        dl = np.asarray([len(r) for r in rows], dtype=np.float32)
        avg = float(dl.mean()) if n else 1.0
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        tf = tf.tocoo()
        denom = tf.data + k1 * (1 - b + b * dl[tf.row] / max(avg, 1e-6))
        w = self.idf[tf.col] * tf.data * (k1 + 1) / denom
        self.weights = sparse.csc_matrix((w, (tf.row, tf.col)), shape=tf.shape)
        self.n = n

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        cols = [self.vocab[t] for t in query_tokens if t in self.vocab]
        if not cols or self.n == 0:
            return np.zeros(self.n, dtype=np.float32)
        counts = Counter(cols)
        idx = np.asarray(list(counts.keys()))
        qw = np.asarray(list(counts.values()), dtype=np.float32)
        return np.asarray(self.weights[:, idx] @ qw).reshape(-1)


class ChunkDerivedStore:
    """chunk id → something computed from the chunk's text (tokens, figures), persisted so that loading the index
    does not recompute it for every chunk."""

    def __init__(self, path: Path, compute: Callable[[str, str], object], version: str = ""):
        self.path = path
        self.compute = compute
        self.version = version  # what the stored values were computed with; another version starts empty
        self.items: dict[str, object] = {}
        if path.exists():
            try:
                with path.open("rb") as f:
                    stored = pickle.load(f)
                if isinstance(stored, dict) and stored.get("__version__") == version and "items" in stored:
                    self.items = stored["items"]
            except Exception:
                self.items = {}  # a torn file is rebuilt from the chunks themselves

    def get(self, chunk_id: str, norm: str, text: str = "") -> object:
        got = self.items.get(chunk_id)
        if got is None:
            got = self.compute(norm, text)
            self.items[chunk_id] = got
        return got

    def retain(self, keep: set[str]) -> None:
        for cid in [c for c in self.items if c not in keep]:
            del self.items[cid]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump({"__version__": self.version, "items": self.items}, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


class ChunkStore(ChunkDerivedStore):
    """chunk id → (Chunk, DocMeta, path): the index's own copy of every chunk, so that lexical retrieval can serve
    before (or without) the vectors."""

    def __init__(self, path: Path):
        super().__init__(path, lambda norm, text: None)

    def put(self, chunk, meta, rel: str) -> None:
        self.items[chunk.chunk_id] = (chunk, meta, rel)


# chunk ids are content hashes, so derived values stay valid across rebuilds as long as the code deriving them is the
# same: the pipeline version says so
def derived_version() -> str:
    from rag.settings import PIPELINE_VERSION
    from rag.text import NORMALISATION_ID

    return f"{PIPELINE_VERSION}:{NORMALISATION_ID}"


def FigureStore(path: Path) -> ChunkDerivedStore:  # noqa: N802
    """Every figure of every chunk, extracted at ingest (for the figure check)."""
    return ChunkDerivedStore(path, lambda norm, text: chunk_figures(text), f"{derived_version()}:{GRAMMAR_VERSION}")


def TokenStore(path: Path) -> ChunkDerivedStore:  # noqa: N802 - a store, named like one
    return ChunkDerivedStore(path, lambda norm, text: {name: fn(norm) for name, fn in TOKENIZERS.items()},
                             derived_version())
