"""Serve the original files of the corpus at /files/<path>, so that a source card can open the page it cites."""

# no `from __future__ import annotations` here: FastAPI reads the route's parameter types at run time, and the
# route's types are imported inside mount_files

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from rag.settings import Settings

if TYPE_CHECKING:  # the web server is imported only where the route is mounted (source cards need file_url alone)
    from fastapi import FastAPI, Request

FILES_ROUTE = "/files"

# what a browser should do with each kind of original: PDF and text open in the tab (PDF viewers honour #page=N),
# the rest is downloaded. HTML is sent as plain text: a scraped or uploaded page must never run its scripts on
# the app's own origin, where the login cookie lives.
_TYPES = {
    ".pdf": ("application/pdf", "inline"),
    ".txt": ("text/plain", "inline"),
    ".text": ("text/plain", "inline"),
    ".md": ("text/plain", "inline"),
    ".markdown": ("text/plain", "inline"),
    ".html": ("text/plain", "inline"),
    ".htm": ("text/plain", "inline"),
    ".xhtml": ("text/plain", "inline"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"),
    ".doc": ("application/msword", "attachment"),
    ".wps": ("application/vnd.ms-works", "attachment"),
    ".ofd": ("application/ofd", "attachment"),
}


def file_url(path: str, page: int = 0) -> str:
    """The app's link to an original file (`path` relative to the corpus folder), at `page` for a PDF; "" when the
    file was ingested from outside the corpus folder and so is not served."""
    if not path or path.startswith("/") or ".." in Path(path).parts or Path(path).suffix.lower() not in _TYPES:
        return ""
    url = f"{FILES_ROUTE}/{quote(path)}"
    return f"{url}#page={page}" if page else url


def corpus_file(corpus_dir: Path, rel: str) -> "Path | None":
    """The file `rel` names if it is a document inside the corpus folder (after resolving `..` and symbolic
    links); None for anything else, hidden files and the uploader's sidecar files included."""
    root = corpus_dir.resolve()
    try:
        p = (root / rel).resolve()
    except (OSError, ValueError):
        return None
    if root not in p.parents or not p.is_file() or p.suffix.lower() not in _TYPES:
        return None
    if any(part.startswith(".") for part in p.relative_to(root).parts):
        return None
    return p


def _charset(p: Path) -> str:
    from rag.errors import DocumentError
    from rag.ingest.load import decode_bytes

    try:
        _, enc = decode_bytes(p.read_bytes(), p.name)
    except DocumentError:
        return "utf-8"
    return "utf-8" if enc.startswith("utf-8") else enc


def logged_in(app: "FastAPI", request: "Request") -> bool:
    """Gradio's own session check (gradio.routes: the `access-token-<cookie_id>` cookie names a token in
    `app.tokens`); False on an app that has no Gradio login."""
    tokens = getattr(app, "tokens", None)
    cookie_id = getattr(app, "cookie_id", None)
    if not isinstance(tokens, dict) or not cookie_id:
        return False
    cookies = request.cookies
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return token is not None and token in tokens


def mount_files(app: "FastAPI", settings: Settings) -> None:
    """Serve originals under /files of an existing FastAPI app (the Gradio app once launched). With a web login
    the route is as closed as the page: a request without a logged-in Gradio session gets 403."""
    from fastapi import APIRouter, HTTPException, Request
    from fastapi.responses import FileResponse

    router = APIRouter()

    @router.get(FILES_ROUTE + "/{rel:path}")
    def original(rel: str, request: Request) -> FileResponse:
        if settings.auth_pairs() and not logged_in(app, request):
            raise HTTPException(status_code=403, detail="请先登录")
        p = corpus_file(settings.corpus_dir, rel)
        if p is None:
            raise HTTPException(status_code=404, detail="文件不存在")
        media, disposition = _TYPES[p.suffix.lower()]
        if media.startswith("text/"):
            media = f"{media}; charset={_charset(p)}"
        return FileResponse(p, media_type=media, filename=p.name, content_disposition_type=disposition,
                            headers={"X-Content-Type-Options": "nosniff"})

    app.include_router(router)
