"""From a file on disk to a cleaned, described Document and its chunks."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rag.errors import DocumentError, EmptyDocumentError
from rag.ingest.chunk import chunk_document
from rag.ingest.clean import clean_text
from rag.ingest.load import SUPPORTED_SUFFIXES, read_file
from rag.ingest.marks import strip_marks
from rag.ingest.meta import (clean_date, clean_header_value, doc_type_for, news_headline, publisher_for, region_for,
                             rule_metadata)
from rag.records import Chunk, DocMeta, Document
from rag.settings import Settings

SKIP_NAMES = {"readme.md", "readme.txt", "license", "license.md"}
# formats whose layout is the author's own (not a scraped page): a law in one of them keeps its lines as they are
_LAID_OUT = {".md", ".markdown", ".pdf", ".docx", ".ofd", ".doc", ".wps"}
SIDECAR = ".meta.json"  # what the uploader said of a file (type, region, date): next to it, read at ingest


def doc_id_for(rel_path: str) -> str:
    """Stable per path, so an edited file replaces its old chunks."""
    return hashlib.sha1(rel_path.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def discover(root: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Ingestable files under root, and (path, reason) for files skipped."""
    files, skipped = [], []
    if root.is_file():
        return ([root], []) if root.suffix.lower() in SUPPORTED_SUFFIXES else ([], [(str(root), "不支持的文件类型")])
    for p in sorted(root.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(root).parts):
            continue
        if p.name.lower() in SKIP_NAMES or p.name.endswith(SIDECAR):
            continue
        if p.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append((str(p.relative_to(root)), f"不支持的文件类型 {p.suffix or '(无扩展名)'}"))
            continue
        files.append(p)
    return files, skipped


def file_sha(path: Path) -> str:
    h = hashlib.sha1()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def prepare_document(path: Path, rel_path: str, settings: Settings, sha: str | None = None) -> tuple[Document, list[Chunk]]:
    """Load, clean, describe and chunk one file; raises DocumentError naming the file."""
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        raise DocumentError(rel_path, f"文件过大（{size / 1048576:.0f} MB，上限 {settings.max_file_mb} MB）")
    raw = read_file(path, rel_path)
    header = {**raw.header, **read_sidecar(path)}
    htype = header.get("doc_type", "")
    title_hint = clean_header_value(header.get("title", ""))
    if htype == "news" or header.get("title_note"):
        title_hint = ""  # CRUD news titles are the body's first 40 characters, not a real title
    structured = htype in {"law", "local_regulation", "ministerial_normative_document", "government_work_report", "policy"} or (
        not header and path.suffix.lower() in _LAID_OUT and "第一条" in raw.text[:5000]
    )
    cleaned = clean_text(raw.text, title_hint=title_hint, structured=structured)
    marked = cleaned.text.strip()  # with the page / heading marker lines the chunker reads
    body = strip_marks(marked).strip()
    if not body:
        raise EmptyDocumentError(rel_path, "清洗后没有正文")
    title = title_hint or cleaned.title or _fallback_title(header, body, path)
    doc_type = doc_type_for(htype, rel_path, title)
    headline = news_headline(body) if doc_type == "news" and not (title_hint or cleaned.title) else ""
    region, city = region_for(doc_type, title, body, rel_path)
    if header.get("region"):  # the uploader said where the document applies
        region, city = header["region"], ""
    date = clean_date(header.get("date", "")) or cleaned.date
    source = clean_header_value(header.get("issuer", "")) or cleaned.source or publisher_for(doc_type, title, body[:600])
    url = cleaned.url or _first_url(clean_header_value(header.get("source_url", "")))
    meta = DocMeta(title=title, date=date, source=source, url=url, doc_type=doc_type, region=region, city=city,
                   path=rel_path, headline=headline if headline != title else "",
                   **rule_metadata(doc_type, title, region, date, header, body))
    doc = Document(doc_id_for(rel_path), rel_path, sha or file_sha(path), marked, meta, tuple(cleaned.removed))
    chunks = chunk_document(
        doc,
        chunk_chars=settings.chunk_chars,
        overlap=settings.chunk_overlap_sentences,
        article_max=settings.article_max_chars,
    )
    if not chunks:
        raise EmptyDocumentError(rel_path, "没有可索引的文字")
    return doc, chunks


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR)


def read_sidecar(path: Path) -> dict[str, str]:
    """Header fields the uploader gave (doc_type, region, date, title), from `<file>.meta.json`; {} when none."""
    import json

    p = sidecar_path(path)
    if not p.exists():
        return {}
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v) for k, v in d.items() if k in {"doc_type", "region", "date", "title"} and v}


def _first_url(value: str) -> str:
    for token in value.replace(";", " ").split():
        if token.startswith(("http://", "https://")):
            return token.rstrip(".,;")
    return ""


def _fallback_title(header: dict, body: str, path: Path) -> str:
    first = body.split("\n", 1)[0].strip()
    if header.get("doc_type") == "news" or len(first) > 40:
        return first[:40] + ("…" if len(first) > 40 else "")
    return first or path.stem
