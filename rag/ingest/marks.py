"""Marker lines carrying a PDF page number or a DOCX heading path from the loader, through cleaning, to the chunker."""

from __future__ import annotations

import re
from dataclasses import dataclass

# a private-use character: it never occurs in real text, is not white space (str.strip keeps it) and no cleaning
# rule matches it, so a marker line passes through every step untouched
_MARK = "\ue000"
_LINE = re.compile(f"^{_MARK}(page|head):(.*?)(\\+?)$")
HEADING_SEP = " > "


def page_mark(page: int, *, continued: bool = False) -> str:
    """The line that opens page `page` (1-based); `continued`: the line above runs on to that page."""
    return f"{_MARK}page:{page}{'+' if continued else ''}"


def heading_mark(path: list[str] | tuple[str, ...]) -> str:
    """The line that sets the heading path (outermost first) for the lines below it."""
    return f"{_MARK}head:{HEADING_SEP.join(h.replace(_MARK, '') for h in path)}"


def is_mark(line: str) -> bool:
    return line.startswith(_MARK)


@dataclass(frozen=True)
class Where:
    """Where a line of a document sits: its page (0 = unknown) and the headings above it."""

    page: int = 0
    heading_path: str = ""
    page_end: int = 0  # the page a line ends on when it runs over a page break; 0 = the page it starts on


def apply_mark(line: str, where: Where) -> Where:
    """The location after a marker line."""
    m = _LINE.match(line.strip())
    if not m:
        return where
    kind, value, _ = m.groups()
    if kind == "page":
        return Where(int(value) if value.isdigit() else 0, where.heading_path)
    return Where(where.page, value)


def located_lines(text: str) -> list[tuple[str, Where]]:
    """The non-empty lines of a marked text with the location of each; the markers themselves are consumed."""
    out: list[tuple[str, Where]] = []
    where = Where()
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if is_mark(line):
            m = _LINE.match(line)
            if m and m.group(3) and out and m.group(2).isdigit():  # the line above ran on to this page
                above, w = out[-1]
                out[-1] = (above, Where(w.page, w.heading_path, int(m.group(2))))
            where = apply_mark(line, where)
            continue
        out.append((line, where))
    return out


def strip_marks(text: str) -> str:
    """The text without its marker lines (what metadata extraction and display see)."""
    if _MARK not in text:
        return text
    return "\n".join(line for line in text.split("\n") if not is_mark(line.strip()))


def lift_marks(lines: list[str]) -> tuple[list[str], dict[int, list[str]]]:
    """Separate marker lines from content lines: the content, and for each content index the markers just above it
    (markers after the last content line are kept under index len(content))."""
    content: list[str] = []
    marks: dict[int, list[str]] = {}
    for line in lines:
        if is_mark(line):
            marks.setdefault(len(content), []).append(line)
        else:
            content.append(line)
    return content, marks


def restore_marks(kept: list[tuple[int, str]], marks: dict[int, list[str]]) -> list[str]:
    """Kept content lines (original index, text) with the markers put back: a marker whose line was dropped moves
    down to the next kept line, so every kept line still knows its page and headings."""
    if not marks:
        return [text for _, text in kept]
    out: list[str] = []
    pending: list[str] = []
    last = -1
    for i, text in kept:
        for j in range(last + 1, i + 1):
            pending.extend(marks.get(j, ()))
        last = i
        out.extend(_collapse(pending))
        pending = []
        out.append(text)
    return out


def _collapse(marks: list[str]) -> list[str]:
    """Of several markers of one kind in a row only the last matters (pages dropped whole by the cleaner); a
    'continued' page marker is a kind of its own."""
    def kind(m: str) -> str:
        return m[1:5] + ("+" if m.endswith("+") else "")

    last = {kind(m): i for i, m in enumerate(marks)}
    return [m for i, m in enumerate(marks) if last[kind(m)] == i]
