"""The assistant as one object for the CLI and the web app: ask, search, and manage the document library.
Holds the loaded retriever and reloads it when an ingest (here or in another process) changed the index."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from rag.answer import (CHANGE_Q, article_answer, change_topic, diff_answer, extractive_answer,
                        figure_source_answer, holdings_answer, missing_report, refuse)
from rag.diff import LawDiff, diff_versions
from rag.errors import DocumentError, IndexMissingError, LLMError, RagError, UserInputError
from rag.evidence import EvidenceModel, load_model
from rag.facts import FactIndex, attach
from rag.history import HISTORY_DB, History
from rag.generate import condense_with_llm, generated_answer, make_backend
from rag.index.build import Indexer, IngestReport
from rag.index.store import SENTENCE_PROGRESS, DocEntry, Manifest, read_dense_progress
from rag.ingest.load import SUPPORTED_SUFFIXES
from rag.ingest.pipeline import sidecar_path
from rag.query import Query, is_follow_up, parse_query
from rag.records import DOC_TYPES, Answer, Filters, ScoredChunk
from rag.retrieve import Retriever
from rag.settings import Settings
from rag.text import bigram_tokens, normalise

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
        self._facts: tuple[Retriever, FactIndex] | None = None
        self._lock = threading.Lock()
        self.backend = make_backend(self.settings)
        self._dense_thread: threading.Thread | None = None
        self._history: History | None = None
        self._dense_stop = threading.Event()

    # ---- index lifecycle ------------------------------------------------------------
    @property
    def retriever(self) -> Retriever:
        with self._lock:
            if self._retriever is None or self._retriever.is_stale():
                self._retriever = Retriever(self.settings)
            return self._retriever

    @property
    def model(self) -> EvidenceModel:
        a = self.settings.answer
        m = load_model(str(a.model_path))
        return m if a.threshold is None else replace(m, threshold=a.threshold)

    def ensure_index(self, progress=None, *, progressive: bool = False) -> IngestReport | None:
        """Build the index from the corpus folder if there is none yet (or it was built with other settings, when
        `progressive`). `progressive`: build the lexical side only — answers come at once from BM25 — and embed
        in the background (`dense_status()` tells how far); an unfinished embedding from a killed run resumes."""
        manifest = Manifest.load(self.settings.index_dir)
        report = None
        if progressive and manifest is not None and manifest.fingerprint != self.settings.build_fingerprint():
            report = self.indexer.ingest(progress=progress, rebuild=True, defer_dense=True)
        elif manifest is None:
            report = self.indexer.ingest(progress=progress, defer_dense=progressive)
        if progressive:
            self.start_dense_build()
        return report

    def warm_up(self) -> None:
        """Load what the first questions would otherwise wait for (the index, jieba's dictionaries and tagger, the
        model, the collection's text): the first users of a fresh server are not slower than the rest."""
        try:
            self.ask("辽宁2020年培养了多少技能人才？")
        except RagError:
            pass
        _ = self.retriever.collection_text  # read when a question names a school (is it ever written?)

    def start_dense_build(self) -> threading.Thread | None:
        """Embed, in a background thread, whatever the vector store does not hold yet, then the sentences the
        sentence store lacks (no-op when both are complete)."""
        done, total = self.dense_status()
        if self._dense_thread is not None and self._dense_thread.is_alive():
            return None
        if done >= total and not self.indexer.sentences_missing():
            return None
        self._dense_thread = threading.Thread(target=self.indexer.densify, kwargs={"stop": self._dense_stop},
                                              name="dense-build", daemon=True)
        self._dense_thread.start()
        return self._dense_thread

    def dense_status(self) -> tuple[int, int]:
        """(chunks with vectors, chunks)."""
        p = read_dense_progress(self.settings.index_dir)
        if not p:
            return (1, 1)
        return int(p.get("done", 0)), int(p.get("total", 0))

    def building(self) -> bool:
        """The background build (chunk vectors, then sentence vectors) is running in this process."""
        return self._dense_thread is not None and self._dense_thread.is_alive()

    def sentence_status(self) -> tuple[int, int]:
        """(chunks whose sentences have vectors, chunks) while the background build embeds sentences; (1, 1) when
        none has run. The chunk vectors come first: this counts only after `dense_status` is complete."""
        p = read_dense_progress(self.settings.index_dir, SENTENCE_PROGRESS)
        if not p:
            return (1, 1)
        return int(p.get("done", 0)), int(p.get("total", 0))

    def ingest(self, paths: list[Path] | None = None, *, rebuild: bool = False, progress=None) -> IngestReport:
        return self.indexer.ingest(paths, rebuild=rebuild, progress=progress)

    # ---- questions --------------------------------------------------------------------
    def parse(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None) -> Query:
        """The question as a typed Query: checked, normalised and tokenised once; a follow-up resolved against the
        conversation (by the LLM when one is configured and the rules cannot tell)."""
        question = (question or "").strip()
        if not question:
            raise UserInputError("问题不能为空。")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise UserInputError(f"问题太长（{len(question)} 字），请精简到 {limit} 字以内。")
        filters = filters or Filters()
        try:
            filters.bounds()
        except ValueError as exc:
            raise UserInputError(str(exc)) from None
        past = [t.standalone for t in history or []]
        q = parse_query(question, past, filters)
        if self.backend is not None and past and is_follow_up(question) and not q.follow_up:
            try:
                q = replace(parse_query(condense_with_llm(self.backend, question, past), (), filters),
                            text=question, follow_up=True)
            except LLMError:
                pass  # answered as a fresh question
        return q

    def answer(self, q: Query, on_token=None) -> Answer:
        """Retrieve for the Query, answer extractively, and let an LLM (if configured) write it instead."""
        t0 = time.perf_counter()
        retriever = self.retriever
        if (direct := self._direct_answer(q, retriever)) is not None:
            direct.retrieval_ms = (time.perf_counter() - t0) * 1000
            return direct
        hits = retriever.search(q)
        retrieval_ms = (time.perf_counter() - t0) * 1000
        ans = extractive_answer(q, hits, self.model, retriever.idf, self.settings.answer.max_sentences)
        if self.backend is not None and not ans.refused:  # weak evidence is declined before any LLM call
            try:
                ans = generated_answer(q, hits, self.backend, on_token) or ans
            except LLMError as exc:
                ans.notice = exc.user_message
        ans.retrieval_ms = retrieval_ms
        return ans

    def _direct_answer(self, q: Query, retriever: Retriever) -> Answer | None:
        """The questions answered from the collection's records or one known place, not by ranking passages (no LLM
        writes over them); None for every other question."""
        if (holding := q.asks_holdings):  # 最新的政府工作报告是哪一年的: the collection's records answer, not a passage
            which, kind = holding
            return holdings_answer(q, which, kind, retriever.documents_of_kind(kind, q.filters))
        if q.report_year and (missing := missing_report(q, retriever.documents_of_kind("政府工作报告", q.filters),
                                                        lambda: retriever.search(q))):
            return missing  # 2020年的政府工作报告… and the collection holds none of that year
        # 苏州工业园区职业技术学院和哪家企业…: no passage about a school the collection never names answers it
        if (absent := [name for name, forms in q.named_schools if not retriever.writes_any(forms)]):
            return refuse(q, retriever.search(q), f"资料库里没有提到{absent[0]}。")
        if q.figure_source:  # 9.2万人这个数字出自哪: every document that states it, not the passages most like the words
            facts = self.facts.sources(q.figure_source)
            hits = retriever.hits_for([f.chunk_id for f in facts], q.filters)
            found = [(hits[f.chunk_id], f.sentence) for f in facts if f.chunk_id in hits]
            # the ones about what the question names (辽宁…技能人才) first; the rest newest first, as found
            found.sort(key=lambda x: -len(q.units & set(bigram_tokens(normalise(x[1] + x[0].meta.title)))))
            return figure_source_answer(q, found)
        if (look := retriever.lookup_article(q)) is not None:
            return article_answer(q, look)  # 职教法第五十条: that article of that version, quoted whole
        if CHANGE_Q.search(q.norm) and q.documents and len(retriever.laws.versions(q.documents[0])) >= 2:
            if (topic := change_topic(q)):  # 修订后职业教育法关于实习有什么变化: the two versions side by side
                return diff_answer(q, diff_versions(retriever, q.documents[0], topic))
        return None

    def ask(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
            on_token=None) -> Answer:
        """`on_token(text_so_far)` is called while an LLM writes; the returned answer is the checked one."""
        return self.answer(self.parse(question, history, filters), on_token)

    def diff(self, name: str, topic: str) -> LawDiff:
        """What changed on a topic between the last two versions of a law (CLI `diff`, the app's 法规对照)."""
        return diff_versions(self.retriever, name, topic)

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[ScoredChunk]:
        return self.retriever.search(parse_query(query, (), filters), k=k)

    # ---- conversations and feedback ----------------------------------------------------
    @property
    def history(self) -> History:
        """Conversations and feedback, in index/conversations.sqlite (opened on first use)."""
        with self._lock:
            if self._history is None:
                self._history = History(self.settings.index_dir / HISTORY_DB)
            return self._history

    # ---- figure check and precedents ----------------------------------------------------
    @property
    def facts(self) -> FactIndex:
        r = self.retriever
        with self._lock:
            if self._facts is None or self._facts[0] is not r:
                facts = [f for c, m, st in zip(r.chunks, r.metas, r.figures) for f in attach(c, m, st)]
                self._facts = (r, FactIndex(r, facts))
            return self._facts[1]

    # ---- library ----------------------------------------------------------------------
    def documents(self) -> list[DocEntry]:
        m = Manifest.load(self.settings.index_dir)
        return sorted(m.docs.values(), key=lambda e: (-round(e.indexed_at), e.path)) if m else []  # newest first

    def add_file(self, src: Path, original_name: str, progress=None, *, doc_type: str = "", region: str = "",
                 date: str = "") -> IngestReport:
        """Copy an uploaded file into corpus/uploads under a safe name and index it; others are untouched. The type,
        region and date the uploader gives are kept beside the file and override what the text suggests."""
        name = safe_filename(original_name)
        if doc_type and doc_type not in DOC_TYPES:
            raise UserInputError(f"未知的文档类型：{doc_type}")
        if date:
            try:
                Filters(date_from=date).bounds()
            except ValueError as exc:
                raise UserInputError(str(exc)) from None
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
        side = sidecar_path(dest)
        given = {k: v for k, v in {"doc_type": doc_type, "region": region, "date": date}.items() if v}
        if given:
            side.write_text(json.dumps(given, ensure_ascii=False), encoding="utf-8")
        else:
            side.unlink(missing_ok=True)
        report = self.indexer.ingest([tmp_rename(tmp, dest)], progress=progress)
        report.stored_as = name
        if report.skipped and not (report.added or report.updated):
            dest.unlink(missing_ok=True)  # a file we could not index does not stay in the corpus
            side.unlink(missing_ok=True)
        return report

    def delete_document(self, doc_id: str) -> DocEntry | None:
        entry = self.indexer.remove(doc_id)
        if entry is not None:
            p = (self.settings.corpus_dir / entry.path).resolve()
            uploads = (self.settings.corpus_dir / UPLOAD_DIR).resolve()
            if uploads in p.parents and p.exists():
                p.unlink()  # uploads are ours to delete; shipped corpus files stay (re-index restores them)
                sidecar_path(p).unlink(missing_ok=True)
        return entry

    def uploaded_documents(self) -> list[DocEntry]:
        """The documents users added (the only ones the app lets them delete), newest first."""
        return [e for e in self.documents() if e.path.startswith(UPLOAD_DIR + "/")]

    def chunks_of(self, path: str) -> int:
        return next((len(e.chunk_ids) for e in self.documents() if e.path == path), 0)


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


__all__ = ["Assistant", "Turn", "Filters", "IndexMissingError", "UserInputError", "safe_filename"]  # what the UI needs
