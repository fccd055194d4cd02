"""Incremental ingest: embed only new or changed documents, drop chunks of deleted ones, record it all in the
manifest — in an order that leaves a usable index if the process is killed at any point."""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from rag.errors import DocumentError
from rag.index.embed import make_embedder
from rag.index.lexical import ChunkDerivedStore, ChunkStore, FigureStore, TokenStore
from rag.index.sentences import SENTENCES, SentenceVectors, embed_sentences
from rag.index.store import (CHUNKS, DENSE, FIGURES, MANIFEST, SENTENCE_PROGRESS, TOKENS, DocEntry, Manifest,
                             all_records, drop_collection, open_vectorstore, read_dense_progress, vector_metadata,
                             write_dense_progress)
from rag.ingest.pipeline import discover, file_sha, prepare_document
from rag.settings import Settings

Progress = Callable[[int, int, str], None]

WRITE_BATCH = 2048  # chunks per vector-store write: each write costs ~0.2 s whatever its size
EMBED_BATCH = 128  # …but no more passages to run through the model than this per write (the progress bar moves)
INGEST_LOCK = threading.Lock()  # one writer per process; the web app's uploads and re-index share it


@dataclass
class IngestReport:
    documents: int = 0  # documents in the index afterwards
    chunks: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    embedded: int = 0  # passages actually run through the model (cache misses)
    sentences: int = 0  # … and sentences (their vectors are built after the chunks')
    seconds: float = 0.0
    stored_as: str = ""  # an upload's file name in corpus/uploads (it may differ from the name it came with)

    def summary(self) -> str:
        sentences = f"（另 {self.sentences} 句）" if self.sentences else ""
        lines = [
            f"文档 {self.documents} 篇，片段 {self.chunks} 个；新增 {len(self.added)}，更新 {len(self.updated)}，"
            f"未变 {self.unchanged}，删除 {len(self.removed)}，跳过 {len(self.skipped)}；"
            f"新嵌入 {self.embedded} 段{sentences}；用时 {self.seconds:.1f} 秒"
        ]
        lines += [f"  跳过 {p}: {why}" for p, why in self.skipped]
        return "\n".join(lines)


def corpus_hash(entries: Iterable[DocEntry]) -> str:
    h = hashlib.sha1()
    for e in sorted(entries, key=lambda e: e.path):
        h.update(f"{e.path}\x1f{e.sha}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


class Indexer:
    def __init__(self, settings: Settings):
        self.settings = settings

    def rebuild(self) -> None:
        """Throw the index away (the embedding cache stays, so a rebuild with the same embedder is cheap)."""
        d = self.settings.index_dir
        (d / MANIFEST).unlink(missing_ok=True)  # first: never a manifest naming chunks that are gone
        drop_collection(self.settings)
        # the token and figure stores are kept: keyed by content hash and stamped with the pipeline version, they
        # spare a rebuild the jieba pass (pruned to what the new manifest claims at the first checkpoint)
        for name in (CHUNKS, DENSE, SENTENCE_PROGRESS):
            (d / name).unlink(missing_ok=True)

    def ingest(
        self,
        paths: list[Path] | None = None,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        defer_dense: bool = False,
    ) -> IngestReport:
        """Index the corpus (or `paths`). With `defer_dense`, only the lexical side is built (seconds): the chunks
        are searchable by BM25 at once and `densify()` adds their vectors (and their sentences') afterwards."""
        t0 = time.time()
        with INGEST_LOCK:
            report = self._ingest(paths, rebuild=rebuild, progress=progress, defer_dense=defer_dense)
        if not defer_dense:
            report.sentences = self.embed_sentences()
            report.seconds = time.time() - t0
        return report

    def _sentence_gaps(self, manifest: Manifest) -> tuple[list[str], set[str]]:
        """Claimed chunks whose sentences are not embedded yet, and embedded ones no longer claimed."""
        have = SentenceVectors(self.settings.index_dir / SENTENCES, self.settings.embedder_id).items
        claimed = manifest.claimed()
        return [cid for cid in claimed if cid not in have], set(have) - set(claimed)

    def sentences_missing(self) -> int:
        """Claimed chunks whose sentences are not embedded yet."""
        manifest = Manifest.load(self.settings.index_dir)
        return len(self._sentence_gaps(manifest)[0]) if manifest is not None else 0

    def embed_sentences(self, batch: int = 64, stop: threading.Event | None = None) -> int:
        """Embed the sentences of every claimed chunk the sentence store lacks (after the chunk vectors: retrieval
        needs those first), in batches, stored at checkpoints; a kill or `stop` leaves the rest for the next call.
        Returns the sentences run through the model (cache misses)."""
        s = self.settings
        path = s.index_dir / SENTENCES
        with INGEST_LOCK:
            manifest = Manifest.load(s.index_dir)
            if manifest is None:
                return 0
            missing, stale = self._sentence_gaps(manifest)
            if not missing and not stale:
                return 0  # the usual re-ingest: nothing to read (the chunk store takes seconds to load)
            embedder = make_embedder(s)
            chunks = ChunkStore(s.index_dir / CHUNKS)
            todo = [cid for cid in missing if cid in chunks.items]
            total = len(manifest.claimed())
        write_dense_progress(s.index_dir, total - len(todo), total, SENTENCE_PROGRESS)  # what the app's banner shows
        fresh: dict[str, np.ndarray] = {}  # this run's vectors since the last checkpoint
        last, cost = time.time(), 0.0

        def checkpoint() -> None:
            """Merge into what is on disk (an upload may have stored sentences of its own meanwhile), keep only
            claimed chunks, save."""
            with INGEST_LOCK:
                store = SentenceVectors(path, s.embedder_id)
                for cid, vectors in fresh.items():
                    store.put(cid, vectors)
                m = Manifest.load(s.index_dir)
                store.retain(set(m.claimed()) if m else set())
                store.save()
            fresh.clear()

        misses = embedder.misses
        for j in range(0, len(todo), batch):
            if stop is not None and stop.is_set():
                break
            with INGEST_LOCK:  # an upload or a re-index may run between batches, never during one
                fresh.update(embed_sentences([chunks.items[cid][0] for cid in todo[j : j + batch]], embedder))
            write_dense_progress(s.index_dir, total - len(todo) + min(j + batch, len(todo)), total, SENTENCE_PROGRESS)
            if time.time() - last > max(5.0, 20 * cost):  # spaced like the ingest's checkpoints
                t = time.time()
                checkpoint()
                last, cost = time.time(), time.time() - t
        checkpoint()
        return embedder.misses - misses

    def densify(self, progress: Progress | None = None, batch: int = 64, stop: threading.Event | None = None) -> int:
        """Embed every claimed chunk the vector store does not hold yet, in batches, recording progress in
        index/dense.json, then the sentences the sentence store lacks; a kill or `stop` leaves the rest for the next
        call. Returns the chunks embedded."""
        s = self.settings
        with INGEST_LOCK:
            manifest = Manifest.load(s.index_dir)
            if manifest is None:
                return 0
            store = open_vectorstore(s, make_embedder(s))
            chunks = ChunkStore(s.index_dir / CHUNKS)
            claimed = manifest.claimed()
        have = set(all_records(store, [])["ids"])
        todo = [cid for cid in claimed if cid not in have and cid in chunks.items]
        total, done = len(claimed), len(claimed) - len(todo)
        write_dense_progress(s.index_dir, done, total)
        embedded = 0
        for j in range(0, len(todo), batch):
            if stop is not None and stop.is_set():
                break
            part = [chunks.items[cid] for cid in todo[j : j + batch]]
            with INGEST_LOCK:  # an upload or a re-index may run between batches, never during one
                store.add_texts(texts=[c.embed_text(m.title) for c, m, _ in part],
                                metadatas=[vector_metadata(c, m) for c, m, _ in part],
                                ids=[c.chunk_id for c, _, _ in part])
            embedded += len(part)
            write_dense_progress(s.index_dir, done + embedded, total)
            if progress:
                progress(done + embedded, total, "")
        if stop is None or not stop.is_set():
            self.embed_sentences(stop=stop)
        return embedded

    def _ingest(self, paths, *, rebuild, progress, defer_dense) -> IngestReport:
        t0 = time.time()
        s = self.settings
        report = IngestReport()
        manifest = Manifest.load(s.index_dir)
        if manifest is not None and not rebuild:
            manifest.check(s)
        engine = manifest.engine if manifest is not None else ""
        if rebuild:
            self.rebuild()
            manifest = None
        if manifest is None:
            manifest = Manifest(s.build_fingerprint(), engine=engine)

        root = s.corpus_dir
        full = paths is None
        files: list[Path] = []
        for p in [root] if full else paths:
            found, skipped = discover(Path(p))
            files += found
            report.skipped += skipped

        embedder = make_embedder(s)  # the model loads on the first batch to embed, in the worker below
        store = open_vectorstore(s, embedder)
        tokens = self._derived()
        chunk_store = next(t for t in tokens if isinstance(t, ChunkStore))
        by_path = {e.path: e for e in manifest.docs.values()}
        seen_paths: set[str] = set()
        last_flush = time.time()
        flush_cost = 0.0

        # documents wait in `pending` until enough chunks gather for one vector-store write (each write costs ~0.2 s
        # whatever its size: one per document made a warm rebuild take 28 s); a document enters the manifest only
        # after its chunks are stored, so a kill at any point never leaves the manifest naming a missing chunk
        pending: list[tuple] = []
        to_embed = 0
        # the model runs one batch ahead, in a worker thread, while this thread cleans and chunks the next documents
        # (it fills the embedding cache; the store write then reads the vectors from there): the cores the Python
        # work leaves idle embed meanwhile
        ahead = None if defer_dense else ThreadPoolExecutor(1, thread_name_prefix="embed-ahead")
        inflight: list[tuple[list[tuple], Future | None]] = []
        ahead_ids: set[str] = set()  # chunks of the batch embedded ahead: not claimed yet, but checkpoints keep them

        def store_batch(batch: list[tuple], embedded: Future | None) -> None:
            nonlocal last_flush, flush_cost
            if embedded is not None:
                embedded.result()  # the model's error, if any, surfaces here, before anything of the batch is stored
                manifest.engine = embedder.engine
            todo_all = [(c, doc.meta, rel) for doc, _, rel, _, _, todo in batch for c in todo]
            if todo_all and not defer_dense:
                for j in range(0, len(todo_all), WRITE_BATCH):  # within Chroma's largest batch (5,461)
                    part = todo_all[j : j + WRITE_BATCH]
                    store.add_texts(texts=[c.embed_text(m.title) for c, m, _ in part],
                                    metadatas=[vector_metadata(c, m) for c, m, _ in part],
                                    ids=[c.chunk_id for c, _, _ in part])
            for doc, chunks, rel, sha, old, _ in batch:
                new_ids = [c.chunk_id for c in chunks]
                entry = DocEntry(doc.doc_id, rel, sha, doc.meta, new_ids, len(doc.removed), time.time())
                if old is not None and old.doc_id != doc.doc_id:
                    manifest.docs.pop(old.doc_id, None)
                manifest.docs[doc.doc_id] = entry
                by_path[rel] = entry
                if old is not None and old.sha == sha:
                    report.unchanged += 1
                elif old is not None:
                    report.updated.append(rel)
                    stale = [cid for cid in old.chunk_ids if cid not in set(new_ids)]
                    if stale:
                        self._flush(manifest, tokens, ahead_ids)  # record the new chunks before the old ones go
                        for j in range(0, len(stale), 500):
                            store.delete(ids=stale[j : j + 500])
                else:
                    report.added.append(rel)
            # periodic checkpoints, spaced so that writing them stays a small share of the work even when the
            # token store grows large (at 16x the corpus, flushing every 5 s dominated ingest time)
            if time.time() - last_flush > max(5.0, 20 * flush_cost):
                t_flush = time.time()
                self._flush(manifest, tokens, ahead_ids)
                last_flush = time.time()
                flush_cost = last_flush - t_flush

        def commit(last: bool = False) -> None:
            """Start embedding the pending documents and store the batch before them (whose vectors were made
            meanwhile); `last` stores everything."""
            batch = pending[:]
            pending.clear()
            ahead_ids.clear()
            ahead_ids.update(c.chunk_id for _, chunks, _, _, _, _ in batch for c in chunks)
            texts = [c.embed_text(doc.meta.title) for doc, _, _, _, _, todo in batch for c in todo]
            embedding = None
            if ahead is not None and texts and embedder.count_missing(texts):  # all cached: nothing to run ahead
                embedding = ahead.submit(embedder.embed_documents, texts)
            while inflight:
                store_batch(*inflight.pop(0))
            inflight.append((batch, embedding))
            if last or ahead is None:
                store_batch(*inflight.pop())

        try:
            for i, path in enumerate(files):
                rel = _rel(path, root)
                seen_paths.add(rel)
                if progress:
                    progress(i, len(files), rel)
                try:
                    sha = file_sha(path)
                    old = by_path.get(rel)
                    if old is not None and old.sha == sha and all(cid in chunk_store.items for cid in old.chunk_ids):
                        for cid in old.chunk_ids:  # values a version change dropped are derived again, here, once
                            c = chunk_store.items[cid][0]
                            for store_ in tokens:
                                store_.get(cid, c.lexical, c.text)
                        report.unchanged += 1
                        continue
                    # unchanged but not in the chunk store (an index from before it): read again, nothing re-embedded
                    doc, chunks = prepare_document(path, rel, s, sha=sha)
                except DocumentError as exc:
                    report.skipped.append((rel, exc.reason))
                    continue
                except OSError as exc:
                    report.skipped.append((rel, f"无法读取：{exc.strerror or exc}"))
                    continue
                new_ids = [c.chunk_id for c in chunks]
                existing = {cid for j in range(0, len(new_ids), 500)
                            for cid in store.get(ids=new_ids[j : j + 500], include=[])["ids"]}
                todo = [c for c in chunks if c.chunk_id not in existing]
                for c in chunks:
                    chunk_store.put(c, doc.meta, rel)
                    for store_ in tokens:
                        store_.get(c.chunk_id, c.lexical, c.text)
                pending.append((doc, chunks, rel, sha, old, todo))
                if todo and not defer_dense:
                    to_embed += embedder.count_missing([c.embed_text(doc.meta.title) for c in todo])
                if sum(len(p[5]) for p in pending) >= WRITE_BATCH or to_embed >= EMBED_BATCH or defer_dense:
                    commit()
                    to_embed = 0
            commit(last=True)
        finally:
            if ahead is not None:
                ahead.shutdown(wait=True)  # never leave the model running after an error
        report.embedded = embedder.misses
        if embedder.loaded:  # all from the cache: the model was never needed (nor loaded), the engine stays recorded
            manifest.engine = embedder.engine

        if full:
            for rel, entry in list(by_path.items()):
                if rel not in seen_paths and not Path(rel).is_absolute():
                    self._remove_entry(store, manifest, entry, tokens)
                    report.removed.append(rel)
            # chunks no document claims (left by a killed run or an edit) are swept
            claimed = set(manifest.claimed())
            stray = [cid for cid in all_records(store, [])["ids"] if cid not in claimed]
            for j in range(0, len(stray), 500):
                store.delete(ids=stray[j : j + 500])
        if progress:
            progress(len(files), len(files), "")
        self._flush(manifest, tokens)
        n_claimed = sum(len(e.chunk_ids) for e in manifest.docs.values())
        if defer_dense:
            write_dense_progress(s.index_dir, 0, n_claimed)  # densify() counts what the store already holds
        elif (s.index_dir / DENSE).exists():
            p = read_dense_progress(s.index_dir)
            if p.get("done", 0) >= p.get("total", 0):  # complete before, complete now (this ingest embedded its own)
                write_dense_progress(s.index_dir, n_claimed, n_claimed)
        report.documents = len(manifest.docs)
        report.chunks = sum(len(e.chunk_ids) for e in manifest.docs.values())
        report.seconds = time.time() - t0
        return report

    def remove(self, doc_id: str) -> DocEntry | None:
        """Delete one document's chunks and its manifest entry (the file itself is the caller's business)."""
        with INGEST_LOCK:
            manifest = Manifest.load(self.settings.index_dir)
            if manifest is None or doc_id not in manifest.docs:
                return None
            manifest.check(self.settings)
            store = open_vectorstore(self.settings, make_embedder(self.settings))
            tokens = self._derived()
            entry = manifest.docs[doc_id]
            self._remove_entry(store, manifest, entry, tokens)
            return entry

    def _derived(self) -> list[ChunkDerivedStore]:
        d = self.settings.index_dir
        return [TokenStore(d / TOKENS), FigureStore(d / FIGURES), ChunkStore(d / CHUNKS)]

    def _remove_entry(self, store, manifest: Manifest, entry: DocEntry, tokens: list[ChunkDerivedStore]) -> None:
        manifest.docs.pop(entry.doc_id, None)
        self._flush(manifest, tokens)  # un-claim first: the manifest must never name missing chunks
        for j in range(0, len(entry.chunk_ids), 500):
            store.delete(ids=entry.chunk_ids[j : j + 500])

    def _flush(self, manifest: Manifest, tokens: list[ChunkDerivedStore], keep: set[str] = frozenset()) -> None:
        """Checkpoint: the derived stores pruned to what the manifest claims (plus `keep`), then the manifest."""
        claimed = set(manifest.claimed()) | keep
        for store_ in tokens:
            store_.retain(claimed)
            store_.save()
        manifest.corpus_hash = corpus_hash(manifest.docs.values())
        manifest.built_at = time.time()
        manifest.save(self.settings.index_dir)
