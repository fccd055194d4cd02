"""Typed records passed between layers: document → chunk → scored chunk → citation → answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property

DOC_TYPES = ("law", "regulation", "policy", "report", "news", "notice")
DOC_TYPE_LABELS = {"law": "法律法规", "regulation": "规章文件", "policy": "政策文件", "report": "政府工作报告", "news": "新闻",
                   "notice": "通知公告"}
RULE_TYPES = ("law", "regulation", "policy")  # documents with numbered provisions (articles, or items of a policy)


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
    # laws, regulations and policy documents
    version: str = ""  # 2022年修订, 1996年原文, 2018年修正; "" when the text does not say
    declared_status: str = ""  # what the source says of itself: 现行有效 / 已被修订 / 已废止; "" when silent
    effective: str = ""  # ISO date the text says it takes effect
    jurisdiction: str = ""  # 全国, 上海市, 宁波市 …
    doc_number: str = ""  # 国发〔2019〕4号
    status: str = ""  # resolved over the collection when the index is loaded: 现行有效 / 已被修订 / 已废止 / 未知
    replaced_by: str = ""  # title of the version that replaced this one
    path: str = ""  # the original file, relative to the corpus folder (absolute when ingested from elsewhere)
    # a news item without a title of its own: its first sentence without date prefix and dateline, for citation cards
    # (`title` stays the body's opening, which the ranking was fitted on)
    headline: str = ""

    @property
    def display_title(self) -> str:
        return self.headline or self.title

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
    text: str  # cleaned body, original script; PDF/OFD/DOCX bodies keep the loader's page and heading marker lines
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
    flags: tuple[tuple[int, str], ...] = ()  # (sentence index, boilerplate|instruction): never quoted as an answer
    page: int = 0  # PDF/OFD: the page the chunk starts on (1-based); 0 = the format has no pages
    page_end: int = 0  # the page it ends on when that is a later one; 0 otherwise
    heading_path: str = ""  # DOCX: the headings above the chunk, outermost first: "第二章 学生实习 > 一、岗位实习"
    page_breaks: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where a later page begins in the chunk
    # the normalised words of the articles this one names by number (违反本条例第二十二条第一款规定的 → 第二十二条's
    # first paragraph, 职业学校…不得进行有偿招生): a penalty article is found, and read, by what it penalises
    refers: str = ""

    def page_at(self, offset: int) -> int:
        """The page the character at `offset` of the text is on (0 when the format has no pages)."""
        page = self.page
        for at, p in self.page_breaks:
            if at <= offset:
                page = p
        return page

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        """The text split into sentences, once per chunk: a candidate's index, a flag's index and every reader of the
        sentence before or after one count in this split."""
        from rag.text import split_sentences

        return tuple(split_sentences(self.text))

    def __getstate__(self) -> dict:
        """Pickled without the cached split: the index stores each chunk's text once."""
        return {k: v for k, v in self.__dict__.items() if k != "sentences"}

    @property
    def evidence_text(self) -> str:
        """The text without its flagged sentences: what can support a claim (an instruction planted in a document
        that states a figure does not make the figure true)."""
        if not self.flags:
            return self.text
        flagged = {i for i, _ in self.flags}
        return "".join(s for i, s in enumerate(self.sentences) if i not in flagged)

    def embed_text(self, title: str) -> str:
        """Title and section as a context header, so a bare article still says what law it belongs to."""
        head = " ".join(p for p in (title, self.section, self.article) if p)
        return f"{head}\n{self.lexical}" if head else self.lexical

    @property
    def lexical(self) -> str:
        """What the word and bigram indexes read: the normalised text, and the articles it names by number."""
        return f"{self.norm}\n{self.refers}" if self.refers else self.norm


@dataclass
class ScoredChunk:
    chunk: Chunk
    meta: DocMeta
    score: float  # fused (reciprocal-rank) score
    ranks: dict[str, int] = field(default_factory=dict)  # leg name → 1-based rank
    scores: dict[str, float] = field(default_factory=dict)  # leg name → the leg's own score (cosine for dense)
    rank: int = 0  # 1-based position after fusion
    # cosine of each sentence of the chunk (Chunk.sentences order) to the question; () while not embedded
    sentence_dense: tuple[float, ...] = ()


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the search to: document types, regions (province or city), publishers, a date range."""

    doc_types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str = ""  # yyyy, yyyy-mm or yyyy-mm-dd, inclusive
    date_to: str = ""

    @property
    def empty(self) -> bool:
        return not (self.doc_types or self.regions or self.sources or self.date_from or self.date_to)

    def bounds(self) -> tuple[int, int]:
        """The date range as yyyymmdd integers (0 = open); raises ValueError on a malformed date."""
        lo = date_int(self.date_from, end=False) if self.date_from else 0
        hi = date_int(self.date_to, end=True) if self.date_to else 0
        return lo, hi

    def accepts(self, meta: DocMeta) -> bool:
        if self.doc_types and meta.doc_type not in self.doc_types:
            return False
        if self.regions and meta.region not in self.regions and meta.city not in self.regions:
            return False
        if self.sources and not any(s in meta.source for s in self.sources):
            return False
        lo, hi = self.bounds()
        if lo or hi:
            d = meta.date_int
            if not d or (lo and d < lo) or (hi and d > hi):
                return False
        return True


def date_int(value: str, *, end: bool) -> int:
    """'2024' → 20240101 (or 20241231 as an end); '2024-05' → 20240501; a real calendar date is required."""
    import datetime

    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) not in (4, 6, 8):
        raise ValueError(f"日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD：{value!r}")
    y = int(digits[:4])
    m = int(digits[4:6]) if len(digits) >= 6 else (12 if end else 1)
    if len(digits) == 8:
        d = int(digits[6:8])
    else:
        d = 1
        if end:
            d = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)).day if 1 <= m <= 12 else 0
    try:
        datetime.date(y, m, d)
    except ValueError:
        raise ValueError(f"日期不存在：{value!r}") from None
    return y * 10000 + m * 100 + d


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
    flagged: tuple[tuple[str, str], ...] = ()  # (sentence, boilerplate|instruction): shown marked, never quoted
    status: str = ""  # laws and policies: 现行有效 / 已被修订 / 已废止 / 未知
    replaced_by: str = ""  # e.g. 2022年修订版
    jurisdiction: str = ""  # 全国, 宁波市 …
    page: int = 0  # the page the passage starts on in the original (PDF/OFD); 0 = no pages
    page_end: int = 0  # the page it ends on when later than `page`; 0 otherwise
    heading_path: str = ""  # the headings above the passage (DOCX), outermost first
    path: str = ""  # the original file relative to the corpus folder, for the link to it

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_hit(cls, hit: "ScoredChunk", n: int, quote: str = "") -> "Citation":
        """The one place a citation is made: from a retrieved chunk, numbered, with the sentence relied on."""
        from rag.text import to_simplified

        m = hit.meta
        sents = hit.chunk.sentences
        page, page_end = hit.chunk.page, hit.chunk.page_end
        at = hit.chunk.text.find(quote) if quote and hit.chunk.page_breaks else -1
        if at >= 0:  # the page the quoted sentence starts on, and the one it ends on when a break falls inside it
            page, last = hit.chunk.page_at(at), hit.chunk.page_at(at + len(quote) - 1)
            page_end = last if last > page else 0
        flagged = tuple((to_simplified(sents[i]), f) for i, f in hit.chunk.flags if i < len(sents))
        return cls(
            n=n, doc_id=hit.chunk.doc_id, chunk_id=hit.chunk.chunk_id, title=m.display_title, date=m.date,
            source=m.source,
            url=m.url, doc_type=m.doc_type, region=m.region, text=to_simplified(hit.chunk.text),
            quote=to_simplified(quote), original=hit.chunk.text, flagged=flagged, status=m.status,
            replaced_by=m.replaced_by, jurisdiction=m.jurisdiction, page=page, page_end=page_end,
            heading_path=hit.chunk.heading_path, path=m.path,
        )


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
