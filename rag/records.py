"""Typed records passed between layers: document → chunk → scored chunk → citation → answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DOC_TYPES = ("law", "regulation", "report", "news", "notice")
DOC_TYPE_LABELS = {"law": "法律法规", "regulation": "规章文件", "report": "政府工作报告", "news": "新闻", "notice": "通知公告"}


@dataclass(frozen=True)
class DocMeta:
    """What a reader needs to check a source."""

    title: str = ""
    date: str = ""  # ISO yyyy-mm-dd, yyyy-mm or yyyy; "" when unknown
    source: str = ""  # publisher / outlet, e.g. 辽宁省教育厅
    url: str = ""
    doc_type: str = "news"
    region: str = ""  # province-level name, or 全国
    city: str = ""

    @property
    def date_int(self) -> int:
        """yyyymmdd for range filters; missing parts count as the start of the period, 0 if unknown."""
        digits = self.date.replace("-", "")
        if not digits.isdigit():
            return 0
        return int(digits.ljust(8, "0")[:8]) if len(digits) >= 4 else 0


@dataclass(frozen=True)
class Document:
    """A cleaned document: original text for display, and where it came from."""

    doc_id: str
    path: str  # relative to the corpus folder
    sha: str  # content hash of the raw file
    text: str  # cleaned body, original script
    meta: DocMeta
    removed: tuple[str, ...] = ()  # lines the cleaner dropped, for inspection


@dataclass(frozen=True)
class Chunk:
    chunk_id: str  # content hash
    doc_id: str
    text: str  # original script, for display and quoting
    norm: str  # normalised (simplified, NFKC) text for lexical retrieval
    ordinal: int
    section: str = ""  # chapter / article for laws
    article: str = ""

    def embed_text(self, title: str) -> str:
        """Title and section as a context header, so a bare article still says what law it belongs to."""
        head = " ".join(p for p in (title, self.section, self.article) if p)
        return f"{head}\n{self.norm}" if head else self.norm


@dataclass
class ScoredChunk:
    chunk: Chunk
    meta: DocMeta
    score: float
    ranks: dict[str, int] = field(default_factory=dict)  # leg name → 1-based rank


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    chunk_id: str
    title: str
    date: str
    source: str
    url: str
    doc_type: str
    region: str
    text: str  # the cited passage
    quote: str  # the sentence the answer relies on
    original: str = ""  # the passage in the source's own script (traditional stays traditional)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    standalone_question: str = ""
    unsupported: list[str] = field(default_factory=list)  # sentences whose figures no cited passage holds
    closest: list[ScoredChunk] = field(default_factory=list)  # shown when refused
    mode: str = "extractive"
    retrieval_ms: float = 0.0
    notice: str = ""  # e.g. the LLM was unreachable and the extractive answer is shown instead

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "unsupported": list(self.unsupported),
            "mode": self.mode,
            "notice": self.notice,
        }
