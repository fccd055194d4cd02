"""Cut a cleaned document into retrieval units: sentence-packed chunks with overlap, or one law article each."""

from __future__ import annotations

import hashlib
import re

from rag.ingest.flags import sentence_flags
from rag.ingest.marks import HEADING_SEP, Where, located_lines
from rag.records import Chunk, Document
from rag.text import normalise, split_sentences

_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百千零〇两]+条)\s*")
_CHAPTER = re.compile(r"^#*\s*(第[一二三四五六七八九十百千零〇两]+[章节编])\s*(.*)$")
_HAS_ARTICLES = re.compile(r"^\**第[一二三四五六七八九十百千零〇两]+条", re.M)
# markdown headings, "一、…" headings, and short "who said it" lines such as "璧山职业教育中心校长龙泽平:"
_HEADING = re.compile(r"^(#{1,6}\s*\S.*|[一二三四五六七八九十]+、\S.{0,38}|[^。！？；，,]{2,30}[:：])$")
_CLAUSE = re.compile(r"(?<=[，,：:])")
_NUM = "一二三四五六七八九十百千零〇两"
# 违反本条例第二十二条第一款规定的 / 依照本法第二十四条、第二十六条、第二十七条: articles of the same rule named by number
_NAMES_ARTICLES = re.compile(rf"本(?:法|条例|办法|规定|细则|决定)((?:(?:、|和|或者|及)?第[{_NUM}]+条(?:第[{_NUM}]+款)?)+)")
_NAMED_ARTICLE = re.compile(rf"(第[{_NUM}]+条)(?:第([{_NUM}]+)款)?")
_PARAGRAPH_NO = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
REFERS_CHARS = 120  # of each article named: its first paragraph (or the paragraph named) is what it is about


def chunk_id(doc_id: str, norm: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{norm}".encode()).hexdigest()[:20]


Located = tuple[str, Where]  # a line or sentence and where it sits (page, headings)
Piece = tuple[str, str, str, list[Located]]  # section, article, text, and its lines or sentences with where each sits


def _bounded(sentences: list[Located], limit: int) -> list[Located]:
    """Very long 'sentences' (enumerations without 。) are cut at commas so no chunk balloons."""
    out: list[Located] = []
    for s, where in sentences:
        if len(s) <= limit * 2:
            out.append((s, where))
            continue
        buf = ""
        for part in _CLAUSE.split(s):
            if buf and len(buf) + len(part) > limit:
                out.append((buf, where))
                buf = ""
            buf += part
        if buf:
            out.append((buf, where))
    return out


def pack_spans(sizes: list[int], limit: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy packing to about `limit` characters, as (start, end) ranges of sentence indices; the last `overlap`
    sentences open the next chunk."""
    spans: list[tuple[int, int]] = []
    start = 0
    size = 0
    fresh = 0  # sentences in the current chunk that are not overlap
    for i, n in enumerate(sizes):
        if i > start and size + n > limit and fresh:
            spans.append((start, i))
            start = max(i - overlap, start) if overlap else i
            if sum(sizes[start:i]) + n > limit:
                start = i
            size = sum(sizes[start:i])
            fresh = 0
        size += n
        fresh += 1
    if start < len(sizes) and fresh:
        spans.append((start, len(sizes)))
    return spans


def pack(sentences: list[str], limit: int, overlap: int) -> list[str]:
    """Greedy packing to about `limit` characters; the last `overlap` sentences open the next chunk."""
    return ["".join(sentences[a:b]) for a, b in pack_spans([len(s) for s in sentences], limit, overlap)]


def _pack_located(sentences: list[Located], limit: int, overlap: int) -> list[tuple[str, list[Located]]]:
    spans = pack_spans([len(s) for s, _ in sentences], limit, overlap)
    return [("".join(s for s, _ in sentences[a:b]), sentences[a:b]) for a, b in spans]


def page_breaks(text: str, located: list[Located], first_page: int) -> tuple[tuple[int, int], ...]:
    """Where a later page begins inside a chunk's text: (character offset, page), found by walking its lines or
    sentences through the text in order (so a citation can open the page its quote starts on, not the chunk's first;
    a line that runs on over a break counts for the page it starts on)."""
    out: list[tuple[int, int]] = []
    page, pos = first_page, 0
    for piece, where in located:
        i = text.find(piece.strip()[:20], pos) if piece.strip() else -1
        if i < 0:
            continue
        if where.page and where.page > page:
            out.append((i, where.page))
            page = where.page
        pos = i + 1
    return tuple(out)


def _sentences(lines: list[Located]) -> list[Located]:
    return [(s, where) for line, where in lines for s in split_sentences(line)]


_POLICY_PART = re.compile(r"^([一二三四五六七八九十]+)、\s*(\S.{0,40})$")
_POLICY_ITEM = re.compile(r"^（([一二三四五六七八九十]+)）\s*(\S.*)$")


def chunk_document(doc: Document, *, chunk_chars: int, overlap: int, article_max: int) -> list[Chunk]:
    """The document's chunks, each with the page it starts (and ends) on and the headings above it when the
    loader marked them (PDF, OFD, DOCX); the marker lines themselves never reach a chunk's text."""
    lines = located_lines(doc.text)
    paragraphs: dict[str, list[str]] = {}
    if doc.meta.doc_type in {"law", "regulation"} and any(_HAS_ARTICLES.match(ln) for ln, _ in lines):
        pieces = _by_article(lines, chunk_chars, overlap, article_max, paragraphs)
    elif doc.meta.doc_type == "policy" and any(_POLICY_ITEM.match(ln) for ln, _ in lines):
        pieces = _by_item(lines, chunk_chars, overlap, article_max)
    else:
        pieces = _by_heading(lines, chunk_chars, overlap)
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section, article, text, located in pieces:
        wheres = [w for _, w in located]
        text = text.strip()
        if not text or (text == doc.meta.title and len(pieces) > 1):  # a PDF's title line alone is no passage
            continue
        norm = normalise(text)
        refers = _refers(text, article, paragraphs) if paragraphs else ""
        cid = chunk_id(doc.doc_id, f"{norm}\x1e{refers}" if refers else norm)
        if cid in seen:
            continue
        seen.add(cid)
        first = wheres[0] if wheres else Where()
        last_page = max((w.page_end or w.page for w in wheres), default=0)
        chunks.append(Chunk(cid, doc.doc_id, text, norm, len(chunks), section, article, sentence_flags(text),
                            page=first.page, page_end=last_page if last_page > first.page else 0,
                            heading_path=first.heading_path,
                            page_breaks=page_breaks(text, located, first.page) if last_page > first.page else (),
                            refers=refers))
    return chunks


def _refers(text: str, own: str, paragraphs: dict[str, list[str]]) -> str:
    """The normalised first paragraph (or the paragraph named) of every other article of the same rule that `text`
    names by number: 第五十五条 penalises what 第二十二条 forbids, in words a question uses (有偿招生)."""
    out: list[str] = []
    for group in _NAMES_ARTICLES.finditer(text):
        for m in _NAMED_ARTICLE.finditer(group.group(1)):
            paras = paragraphs.get(m.group(1))
            if m.group(1) == own.removesuffix("（续）") or not paras:
                continue
            k = _PARAGRAPH_NO.get(m.group(2) or "一", 1) - 1
            k = min(k, len(paras) - 1)
            words = paras[k]
            while words.endswith((":", "：")) and k + 1 < len(paras):  # 应当履行下列职责： the items say what
                k += 1
                words += paras[k]
            said = f"{m.group(1)} {normalise(words)[:REFERS_CHARS]}"
            if said not in out:
                out.append(said)
    return "\n".join(out)


def _by_heading(lines: list[Located], limit: int, overlap: int) -> list[Piece]:
    out: list[Piece] = []
    section = ""
    block: list[Located] = []

    def flush():
        if block:
            for piece, located in _pack_located(_bounded(block, limit), limit, overlap):
                out.append((section, "", piece, located))
            block.clear()

    for line, where in lines:
        # a heading by its shape, or one the loader marked (a DOCX heading is the last part of its own path)
        marked = bool(where.heading_path) and line == where.heading_path.rsplit(HEADING_SEP, 1)[-1]
        if marked or (_HEADING.match(line) and not line.endswith("。")):
            flush()
            section = line.lstrip("# ").strip().rstrip(":：")
            continue
        block.extend((s, where) for s in split_sentences(line))
    flush()
    return out


def _emit_unit(out: list[Piece], section: str, label: str, lines: list[Located], unit_max: int, limit: int,
               overlap: int, opening: str) -> None:
    """One numbered unit (a law's article, a policy's item) as one piece when it fits, otherwise packed into parts;
    a part that does not begin with the unit's own opening carries its label: 第十条（续）, （六）（续）."""
    if not lines:
        return
    body = "\n".join(ln for ln, _ in lines)
    if len(body) <= unit_max:
        out.append((section, label, body, list(lines)))
        return
    for piece, located in _pack_located(_bounded(_sentences(lines), limit), unit_max // 2, overlap):
        out.append((section, label, piece if piece.startswith(opening) else f"{label}（续）{piece}", located))


def _by_article(text_lines: list[Located], limit: int, overlap: int, article_max: int,
                paragraphs: dict[str, list[str]] | None = None) -> list[Piece]:
    """One piece per article (packed into parts when long); `paragraphs`, when given, receives each article's
    paragraphs (款), the article number taken off the first — the first article of a number seen twice (an amendment
    quoted in the text) is the one kept."""
    out: list[Piece] = []
    chapter = ""
    article = ""
    lines: list[Located] = []
    preamble: list[Located] = []

    def flush():
        _emit_unit(out, chapter, article, lines, article_max, limit, overlap, opening=article)
        if paragraphs is not None and article and lines and article not in paragraphs:
            said = [lines[0][0][len(article) :]] + [ln for ln, _ in lines[1:]]
            paragraphs[article] = [p.strip() for p in said if p.strip()]
        lines.clear()

    for line, where in text_lines:
        cm = _CHAPTER.match(line)
        if cm and not _ARTICLE.match(line):
            flush()
            chapter = f"{cm.group(1)} {cm.group(2)}".strip()
            continue
        am = _ARTICLE.match(line)
        if am:
            flush()
            article = am.group(1)
            lines.append((line, where))
            continue
        if line.startswith("#") and not article:
            continue  # the law's own title: it is the document title already
        if article:
            lines.append((line, where))
        else:
            preamble.append((line, where))
    flush()
    if preamble:
        out[:0] = [("", "", p, located) for p, located in _pack_located(preamble, limit, 0)]
    return out


def _by_item(text_lines: list[Located], limit: int, overlap: int, item_max: int) -> list[Piece]:
    """A policy document by its own numbering: parts 一、二、 are sections, items （一）（二） are its provisions
    (so "职教20条第六条" finds item （六）), each with its heading; the text before the first part is its preamble."""
    out: list[Piece] = []
    part, item = "", ""
    lines: list[Located] = []
    preamble: list[Located] = []

    def flush():
        _emit_unit(out, part, item, lines, item_max, limit, overlap, opening=lines[0][0][:8] if lines else "")
        lines.clear()

    for line, where in text_lines:
        pm = _POLICY_PART.match(line)
        if pm and not line.endswith("。"):
            flush()
            part, item = line, ""
            continue
        im = _POLICY_ITEM.match(line)
        if im:
            flush()
            item = f"（{im.group(1)}）"
            lines.append((line, where))
            continue
        if item:
            lines.append((line, where))
        elif part:
            lines.append((line, where))  # text of a part before its first item
        else:
            preamble.append((line, where))
    flush()
    if preamble:
        out[:0] = [("", "", p, located) for p, located in _pack_located(preamble, limit, 0)]
    return out
