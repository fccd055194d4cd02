"""Cut a cleaned document into retrieval units: sentence-packed chunks with overlap, or one law article each."""

from __future__ import annotations

import hashlib
import re

from rag.ingest.flags import sentence_flags
from rag.records import Chunk, Document
from rag.text import normalise, split_sentences

_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百千零〇两]+条)\s*")
_CHAPTER = re.compile(r"^#*\s*(第[一二三四五六七八九十百千零〇两]+[章节编])\s*(.*)$")
_HAS_ARTICLES = re.compile(r"^\**第[一二三四五六七八九十百千零〇两]+条", re.M)
# markdown headings, "一、…" headings, and short "who said it" lines such as "璧山职业教育中心校长龙泽平:"
_HEADING = re.compile(r"^(#{1,6}\s*\S.*|[一二三四五六七八九十]+、\S.{0,38}|[^。！？；，,]{2,30}[:：])$")
_CLAUSE = re.compile(r"(?<=[，,：:])")


def chunk_id(doc_id: str, norm: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{norm}".encode()).hexdigest()[:20]


def _bounded(sentences: list[str], limit: int) -> list[str]:
    """Very long 'sentences' (enumerations without 。) are cut at commas so no chunk balloons."""
    out = []
    for s in sentences:
        if len(s) <= limit * 2:
            out.append(s)
            continue
        buf = ""
        for part in _CLAUSE.split(s):
            if buf and len(buf) + len(part) > limit:
                out.append(buf)
                buf = ""
            buf += part
        if buf:
            out.append(buf)
    return out


def pack(sentences: list[str], limit: int, overlap: int) -> list[str]:
    """Greedy packing to about `limit` characters; the last `overlap` sentences open the next chunk."""
    chunks: list[str] = []
    cur: list[str] = []
    size = 0
    fresh = 0  # sentences in cur that are not overlap
    for s in sentences:
        if cur and size + len(s) > limit and fresh:
            chunks.append("".join(cur))
            cur = cur[-overlap:] if overlap else []
            if sum(len(x) for x in cur) + len(s) > limit:
                cur = []
            size = sum(len(x) for x in cur)
            fresh = 0
        cur.append(s)
        size += len(s)
        fresh += 1
    if cur and fresh:
        chunks.append("".join(cur))
    return chunks


_POLICY_PART = re.compile(r"^([一二三四五六七八九十]+)、\s*(\S.{0,40})$")
_POLICY_ITEM = re.compile(r"^（([一二三四五六七八九十]+)）\s*(\S.*)$")


def chunk_document(doc: Document, *, chunk_chars: int, overlap: int, article_max: int) -> list[Chunk]:
    if doc.meta.doc_type in {"law", "regulation"} and _HAS_ARTICLES.search(doc.text):
        pieces = _by_article(doc.text, chunk_chars, overlap, article_max)
    elif doc.meta.doc_type == "policy" and any(_POLICY_ITEM.match(ln.strip()) for ln in doc.text.split("\n")):
        pieces = _by_item(doc.text, chunk_chars, overlap, article_max)
    else:
        pieces = _by_heading(doc.text, chunk_chars, overlap)
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section, article, text in pieces:
        text = text.strip()
        if not text:
            continue
        norm = normalise(text)
        cid = chunk_id(doc.doc_id, norm)
        if cid in seen:
            continue
        seen.add(cid)
        chunks.append(Chunk(cid, doc.doc_id, text, norm, len(chunks), section, article, sentence_flags(text)))
    return chunks


def _by_heading(text: str, limit: int, overlap: int) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    section = ""
    block: list[str] = []

    def flush():
        if block:
            for piece in pack(_bounded(block, limit), limit, overlap):
                out.append((section, "", piece))
            block.clear()

    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if _HEADING.match(line) and not line.endswith("。"):
            flush()
            section = line.lstrip("# ").strip().rstrip(":：")
            continue
        block.extend(split_sentences(line))
    flush()
    return out


def _by_article(text: str, limit: int, overlap: int, article_max: int) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    chapter = ""
    article = ""
    lines: list[str] = []
    preamble: list[str] = []

    def flush():
        if not lines:
            return
        body = "\n".join(lines)
        if len(body) <= article_max:
            out.append((chapter, article, body))
        else:
            sentences = _bounded([s for ln in lines for s in split_sentences(ln)], limit)
            head = article
            for piece in pack(sentences, article_max // 2, overlap):
                text = piece if piece.startswith(head) else f"{head}（续）{piece}"
                out.append((chapter, article, text))
        lines.clear()

    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        cm = _CHAPTER.match(line)
        if cm and not _ARTICLE.match(line):
            flush()
            chapter = f"{cm.group(1)} {cm.group(2)}".strip()
            continue
        am = _ARTICLE.match(line)
        if am:
            flush()
            article = am.group(1)
            lines.append(line)
            continue
        if line.startswith("#") and not article:
            continue  # the law's own title: it is the document title already
        if article:
            lines.append(line)
        else:
            preamble.append(line)
    flush()
    if preamble:
        out[:0] = [("", "", p) for p in pack(preamble, limit, 0)]
    return out


def _by_item(text: str, limit: int, overlap: int, item_max: int) -> list[tuple[str, str, str]]:
    """A policy document by its own numbering: parts 一、二、 are sections, items （一）（二） are its provisions
    (so "职教20条第六条" finds item （六）), each with its heading; the text before the first part is its preamble."""
    out: list[tuple[str, str, str]] = []
    part, item = "", ""
    lines: list[str] = []
    preamble: list[str] = []

    def flush():
        if not lines:
            return
        body = "\n".join(lines)
        if len(body) <= item_max:
            out.append((part, item, body))
        else:
            sentences = _bounded([s for ln in lines for s in split_sentences(ln)], limit)
            for piece in pack(sentences, item_max // 2, overlap):
                text = piece if piece.startswith(lines[0][:8]) else f"{item}（续）{piece}"
                out.append((part, item, text))
        lines.clear()

    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        pm = _POLICY_PART.match(line)
        if pm and not line.endswith("。"):
            flush()
            part, item = line, ""
            continue
        im = _POLICY_ITEM.match(line)
        if im:
            flush()
            item = f"（{im.group(1)}）"
            lines.append(line)
            continue
        if item:
            lines.append(line)
        elif part:
            lines.append(line)  # text of a part before its first item
        else:
            preamble.append(line)
    flush()
    if preamble:
        out[:0] = [("", "", p) for p in pack(preamble, limit, 0)]
    return out
