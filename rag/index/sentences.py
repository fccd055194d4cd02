"""Every sentence of every chunk as a vector, built at ingest after the chunk vectors (in the background in the app):
the answerer weighs how close each candidate sentence is in meaning to the question, not only its chunk. Kept in
index/sentences.pkl by chunk id (content hashes), stamped with the pipeline and the embedder; a chunk whose sentences
are not embedded yet simply has none (its sentences then count at the fitted average)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.index.lexical import ChunkDerivedStore, derived_version
from rag.records import Chunk
from rag.text import to_simplified

SENTENCES = "sentences.pkl"
SENTENCE_CHARS = 300  # a run-on “sentence” (a table row, a list) is embedded by its opening


def sentence_texts(chunk: Chunk) -> list[str]:
    """What is embedded for each of the chunk's sentences, in the order the answerer reads them
    (chunk.sentences)."""
    return [to_simplified(s)[:SENTENCE_CHARS] for s in chunk.sentences]


class SentenceVectors(ChunkDerivedStore):
    """chunk id → float16 array (sentences × dimensions), unit length."""

    def __init__(self, path: Path, embedder_id: str):
        super().__init__(path, lambda norm, text: None, f"{derived_version()}:{embedder_id}")

    def put(self, chunk_id: str, vectors: np.ndarray) -> None:
        v = np.asarray(vectors, dtype=np.float32)
        if v.size:
            v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        self.items[chunk_id] = v.astype(np.float16)

    def similarities(self, chunk_id: str, query: np.ndarray) -> tuple[float, ...]:
        """Cosine of each of the chunk's sentences to the (unit) query vector; () when they are not embedded."""
        v = self.items.get(chunk_id)
        if v is None or not len(v) or v.shape[1] != query.shape[0]:
            return ()
        return tuple(float(x) for x in v.astype(np.float32) @ query)


def embed_sentences(chunks: list[Chunk], embedder) -> dict[str, np.ndarray]:
    """The sentence vectors of these chunks (through the passage cache), by chunk id, for SentenceVectors.put."""
    texts = [sentence_texts(c) for c in chunks]
    flat = [t for ts in texts for t in ts]
    vecs = np.asarray(embedder.embed_documents(flat), dtype=np.float32) if flat else np.zeros((0, 0), np.float32)
    out, at = {}, 0
    for c, ts in zip(chunks, texts):
        out[c.chunk_id] = vecs[at : at + len(ts)] if ts else np.zeros((0, vecs.shape[1] if vecs.size else 0))
        at += len(ts)
    return out
