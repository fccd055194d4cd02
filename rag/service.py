"""The assistant as one object for the CLI and the web app: ask, search, and manage the document library.
Holds the loaded retriever and reloads it when an ingest (here or in another process) changed the index."""

from __future__ import annotations

import re
import shutil
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from langchain_core.runnables import RunnableLambda

from rag.answer import condense_question, extractive_answer, is_follow_up
from rag.facts import FactIndex, attach
from rag.errors import DocumentError, IndexMissingError, LLMError
from rag.generate import condense_with_llm, generated_answer, make_backend
from rag.index.build import Indexer, IngestReport
from rag.index.store import DocEntry, Manifest
from rag.ingest.load import SUPPORTED_SUFFIXES
from rag.records import Answer, ScoredChunk
from rag.retrieve import Filters, Retriever
from rag.settings import Settings

UPLOAD_DIR = "uploads"


@dataclass
class Turn:
    question: str  # as typed
    standalone: str  # as understood, after resolving a follow-up


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.indexer = Indexer(self.settings)
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()
        self.backend = make_backend(self.settings)
        self._chain = self._build_chain()

    # ---- index lifecycle ------------------------------------------------------------
    @property
    def retriever(self) -> Retriever:
        with self._lock:
            if self._retriever is None or self._retriever.is_stale():
                self._retriever = Retriever(self.settings)
            return self._retriever

    def ensure_index(self, progress=None) -> IngestReport | None:
        """Build the index from the corpus folder if there is none yet."""
        if Manifest.load(self.settings.index_dir) is None:
            return self.indexer.ingest(progress=progress)
        return None

    def ingest(self, paths: list[Path] | None = None, *, rebuild: bool = False, progress=None) -> IngestReport:
        return self.indexer.ingest(paths, rebuild=rebuild, progress=progress)

    # ---- questions --------------------------------------------------------------------
    def _build_chain(self):
        """LCEL: resolve a follow-up → retrieve → answer (extractive, or an LLM when one is configured)."""

        def condense(x: dict) -> dict:
            history = [t.standalone for t in x.get("history", [])]
            standalone = condense_question(x["question"], history)
            if self.backend is not None and history and is_follow_up(x["question"]):
                try:
                    standalone = condense_with_llm(self.backend, x["question"], history)
                except LLMError:
                    pass  # the rule-based reading stands
            return {**x, "standalone": standalone}

        def retrieve(x: dict) -> dict:
            t0 = time.perf_counter()
            hits = self.retriever.search(x["standalone"], filters=x.get("filters") or Filters())
            return {**x, "hits": hits, "retrieval_ms": (time.perf_counter() - t0) * 1000}

        def answer(x: dict) -> Answer:
            extractive = extractive_answer(x["question"], x["hits"], self.retriever, self.settings, x["standalone"])
            ans = extractive
            if self.backend is not None and not extractive.refused:  # weak evidence is declined before any LLM call
                try:
                    generated = generated_answer(x["question"], x["hits"], self.backend, x["standalone"], x.get("on_token"))
                    ans = generated or extractive
                except LLMError as exc:
                    extractive.notice = exc.user_message
            ans.retrieval_ms = x["retrieval_ms"]
            return ans

        return RunnableLambda(condense) | RunnableLambda(retrieve) | RunnableLambda(answer)

    def ask(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
            on_token=None) -> Answer:
        """`on_token(text_so_far)` is called while an LLM writes; the returned answer is the checked one."""
        question = (question or "").strip()
        if not question:
            raise ValueError("问题不能为空。")
        return self._chain.invoke({"question": question, "history": history or [], "filters": filters,
                                   "on_token": on_token})

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[ScoredChunk]:
        return self.retriever.search(query, k=k, filters=filters or Filters())

    # ---- figure check and precedents ----------------------------------------------------
    @property
    def facts(self) -> FactIndex:
        r = self.retriever
        if r._facts is None:
            r._facts = FactIndex(r, [f for c, m, st in zip(r.chunks, r.metas, r.figures) for f in attach(c, m, st)])
        return r._facts

    # ---- library ----------------------------------------------------------------------
    def documents(self) -> list[DocEntry]:
        m = Manifest.load(self.settings.index_dir)
        return sorted(m.docs.values(), key=lambda e: (-round(e.indexed_at), e.path)) if m else []  # newest first

    def add_file(self, src: Path, original_name: str, progress=None) -> IngestReport:
        """Copy an uploaded file into corpus/uploads under a safe name and index it; others are untouched."""
        name = safe_filename(original_name)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise DocumentError(original_name, f"不支持的文件类型（支持 {', '.join(sorted(SUPPORTED_SUFFIXES))}）")
        size = src.stat().st_size
        if size > self.settings.upload_max_mb * 1024 * 1024:
            raise DocumentError(original_name, f"文件过大（上限 {self.settings.upload_max_mb} MB）")
        dest_dir = self.settings.corpus_dir / UPLOAD_DIR
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / name
        tmp = dest_dir / f".{name}.part"
        shutil.copyfile(src, tmp)
        report = self.indexer.ingest([tmp_rename(tmp, dest)], progress=progress)
        if report.skipped and not (report.added or report.updated):
            dest.unlink(missing_ok=True)  # a file we could not index does not stay in the corpus
        return report

    def delete_document(self, doc_id: str) -> DocEntry | None:
        entry = self.indexer.remove(doc_id)
        if entry is not None:
            p = (self.settings.corpus_dir / entry.path).resolve()
            uploads = (self.settings.corpus_dir / UPLOAD_DIR).resolve()
            if uploads in p.parents and p.exists():
                p.unlink()  # uploads are ours to delete; shipped corpus files stay (re-index restores them)
        return entry


def tmp_rename(tmp: Path, dest: Path) -> Path:
    tmp.replace(dest)
    return dest


_UNSAFE = re.compile(r"[^\w\u3400-\u9fff.\-（）()]+")


def safe_filename(name: str, limit: int = 120) -> str:
    """A basename with no path parts, control characters or leading dots, at most `limit` characters."""
    name = unicodedata.normalize("NFKC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip("._ ")
    if not name:
        name = "upload"
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix[:10].lower()
    stem = stem[: max(1, limit - len(suffix) - 1)]
    while len(stem.encode()) + len(suffix) + 1 > 200:  # file systems count bytes (255 at most), CJK takes 3 each
        stem = stem[:-1]
    return f"{stem}.{suffix}" if suffix else stem


__all__ = ["Assistant", "Turn", "Filters", "IndexMissingError", "safe_filename"]
