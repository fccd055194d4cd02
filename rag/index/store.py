"""Where the index lives: the Chroma collection (through LangChain's Chroma), the token store and the manifest."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import ChromaUnavailableError, IndexMismatchError, IndexMissingError
from rag.ingest.flags import decode
from rag.records import Chunk, DocMeta
from rag.settings import Settings

MANIFEST = "manifest.json"
TOKENS = "lexical.pkl"
FIGURES = "figures.pkl"
CHUNKS = "chunks.pkl"  # every claimed chunk with its document's metadata: what retrieval loads, vectors or not
DENSE = "dense.json"  # progress of the vectors being built in the background
SENTENCE_PROGRESS = "sentence_progress.json"  # … and of the sentence vectors built after them


@dataclass
class DocEntry:
    doc_id: str
    path: str
    sha: str
    meta: DocMeta
    chunk_ids: list[str]
    removed_lines: int = 0
    indexed_at: float = 0.0

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "sha": self.sha,
            "meta": self.meta.__dict__,
            "chunk_ids": self.chunk_ids,
            "removed_lines": self.removed_lines,
            "indexed_at": self.indexed_at,
        }

    @classmethod
    def from_json(cls, d: dict) -> "DocEntry":
        return cls(d["doc_id"], d["path"], d["sha"], DocMeta(**d["meta"]), list(d["chunk_ids"]), d.get("removed_lines", 0),
                   d.get("indexed_at", 0.0))


@dataclass
class Manifest:
    """How the index was built and which documents it fully holds (never claims one it does not)."""

    fingerprint: dict
    docs: dict[str, DocEntry] = field(default_factory=dict)
    built_at: float = 0.0
    corpus_hash: str = ""
    engine: str = ""  # the engine that embedded the last ingest (the vector space is in the fingerprint)

    def claimed(self) -> list[str]:
        """The chunk ids of every document the index holds, in the order of the documents' paths."""
        return [cid for e in sorted(self.docs.values(), key=lambda e: e.path) for cid in e.chunk_ids]

    def save(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        tmp = index_dir / (MANIFEST + ".tmp")
        payload = {
            "fingerprint": self.fingerprint,
            "built_at": self.built_at,
            "corpus_hash": self.corpus_hash,
            "engine": self.engine,
            "docs": [d.to_json() for d in sorted(self.docs.values(), key=lambda d: d.path)],
        }
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, index_dir / MANIFEST)

    @classmethod
    def load(cls, index_dir: Path) -> "Manifest | None":
        p = index_dir / MANIFEST
        if not p.exists():
            return None
        d = json.loads(p.read_text(encoding="utf-8"))
        m = cls(d["fingerprint"], built_at=d.get("built_at", 0.0), corpus_hash=d.get("corpus_hash", ""),
                engine=d.get("engine", ""))
        for e in d.get("docs", []):
            entry = DocEntry.from_json(e)
            m.docs[entry.doc_id] = entry
        return m

    def check(self, settings: Settings) -> None:
        want = settings.build_fingerprint()
        if self.fingerprint != want:
            diff = ", ".join(
                f"{k}: {self.fingerprint.get(k)!r} → {want.get(k)!r}"
                for k in sorted(set(want) | set(self.fingerprint))
                if self.fingerprint.get(k) != want.get(k)
            )
            raise IndexMismatchError(
                f"The index in {settings.index_dir} was built with other settings ({diff}). "
                "Rebuild it with: python -m rag ingest --rebuild"
            )


# what the vector store holds beside each vector: the chunk's id and the fields a `where` filter needs (the app's own
# dense leg reads the vectors once and filters on the documents' records: retrieve.DenseMatrix). The chunk itself is
# kept in the index's chunk store (chunks.pkl): a write of the whole corpus took 3.3 s with every field and the text,
# 2.0 s with these
VECTOR_META = ("doc_type", "region", "city")


def vector_metadata(chunk: Chunk, meta: DocMeta) -> dict:
    """Chroma metadata for one vector: scalars only."""
    return {"chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, **{f: getattr(meta, f) for f in VECTOR_META},
            "date_int": meta.date_int}


# the document fields indexes written before the chunk store carried in Chroma, read back by chunk_from_metadata
# when such an index is opened (status and replaced_by are resolved when the index loads)
STORED_META = ("title", "date", "source", "url", "doc_type", "region", "city", "version", "declared_status",
               "effective", "jurisdiction", "doc_number")


def chunk_from_metadata(md: dict) -> tuple[Chunk, DocMeta]:
    """A chunk from the full record an index written before the chunk store keeps in Chroma."""
    from rag.text import normalise

    chunk = Chunk(
        chunk_id=md["chunk_id"],
        doc_id=md["doc_id"],
        text=md["text"],
        norm=normalise(md["text"]),
        ordinal=int(md.get("ordinal", 0)),
        section=md.get("section", ""),
        article=md.get("article", ""),
        flags=decode(md.get("flags", "")),
        page=int(md.get("page", 0) or 0),
        page_end=int(md.get("page_end", 0) or 0),
        heading_path=md.get("heading_path", ""),
    )
    meta = DocMeta(**{f: md[f] for f in (*STORED_META, "path") if f in md})  # absent: DocMeta's own default
    return chunk, meta


def chroma_client(settings: Settings):
    """Embedded store under index_dir, or a Chroma server when RAG_CHROMA_HOST is set (the manifest and the lexical
    index stay in index_dir either way)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings.index_dir.mkdir(parents=True, exist_ok=True)
    if settings.chroma_host:
        token = settings.chroma_token.get_secret_value()
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma_ssl,
                headers={"Authorization": f"Bearer {token}"} if token else None,
                settings=ChromaSettings(anonymized_telemetry=False),
            )
        except Exception as exc:
            raise ChromaUnavailableError(
                f"Cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({type(exc).__name__}). "
                "Start it with: chroma run --path index/chroma-server --host 127.0.0.1 --port "
                f"{settings.chroma_port}, or unset RAG_CHROMA_HOST to use the embedded store."
            ) from None
    return chromadb.PersistentClient(
        path=str(settings.chroma_path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    )


def drop_collection(settings: Settings) -> None:
    """Through the client, not rmtree: a client cached in this process would otherwise point at deleted files."""
    client = chroma_client(settings)
    if any(c.name == settings.collection for c in client.list_collections()):
        client.delete_collection(settings.collection)


def open_vectorstore(settings: Settings, embeddings):
    """LangChain's Chroma on a persistent client, always with our own embedding function."""
    from langchain_chroma import Chroma

    client = chroma_client(settings)
    return Chroma(
        collection_name=settings.collection,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )


def open_collection(settings: Settings):
    """The same Chroma collection as open_vectorstore's, read by the retriever for the stored vectors (the chunks are
    in chunks.pkl). No embedding function: nothing is embedded through it."""
    return chroma_client(settings).get_or_create_collection(
        settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None)


def all_records(store, include: list[str], page: int = 2000) -> dict:
    """Everything in the collection (LangChain's store or the Chroma collection itself), fetched in pages: one big
    `get` fails past SQLite's variable limit (found by the 16× scaling benchmark)."""
    out: dict[str, list] = {"ids": [], **{f: [] for f in include}}
    offset = 0
    while True:
        got = store.get(include=include, limit=page, offset=offset)
        out["ids"] += got["ids"]
        for f in include:
            out[f] += list(got[f])
        if len(got["ids"]) < page:
            return out
        offset += page


def records_for(store, ids: list[str], include: list[str], page: int = 2000) -> dict:
    """The records of these ids that the collection holds (the rest are skipped), fetched in pages of ids."""
    out: dict[str, list] = {"ids": [], **{f: [] for f in include}}
    for a in range(0, len(ids), page):
        got = store.get(ids=ids[a : a + page], include=include)
        out["ids"] += got["ids"]
        for f in include:
            out[f] += list(got[f])
    return out


def require_manifest(settings: Settings) -> Manifest:
    m = Manifest.load(settings.index_dir)
    if m is None:
        raise IndexMissingError(f"No index in {settings.index_dir}. Build it with: python -m rag ingest")
    m.check(settings)
    return m


def now() -> float:
    return time.time()


def read_dense_progress(index_dir: Path, name: str = DENSE) -> dict:
    """{"done": n, "total": m} of the background embedding (of the sentences with `name` SENTENCE_PROGRESS); {} when
    none has run."""
    p = index_dir / name
    try:
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
    except (OSError, ValueError):
        return {}


def write_dense_progress(index_dir: Path, done: int, total: int, name: str = DENSE) -> None:
    tmp = index_dir / (name + ".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total, "at": time.time()}), encoding="utf-8")
    os.replace(tmp, index_dir / name)
