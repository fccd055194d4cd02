"""Read a file of any supported format into text, detecting its encoding, and split off a provenance header; PDF and
OFD text keeps its page boundaries and DOCX its heading path as marker lines (rag.ingest.marks)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import DocumentError, EmptyDocumentError, UnsupportedFormatError
from rag.ingest.marks import heading_mark, page_mark

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
WORD97_SUFFIXES = {".doc", ".wps"}  # WPS Office's .wps is the Word 97 binary format with extensions of its own
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx", ".ofd"} | WORD97_SUFFIXES
SCANNED = "扫描件，无文字层，需要先做 OCR"

_HEADER_KEY = re.compile(r"^([a-z_]{2,30}):\s?(.*)$")


@dataclass
class RawText:
    text: str
    encoding: str
    header: dict[str, str] = field(default_factory=dict)
    is_html: bool = False


def decode_bytes(data: bytes, name: str = "") -> tuple[str, str]:
    """UTF-8 (BOM or not), UTF-16 with BOM, GB18030/GBK and Big5; refuses binary data instead of guessing."""
    if not data.strip():
        raise EmptyDocumentError(name, "文件为空", user_message=f"文件“{name}”是空的。")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    sample = data[:65536]
    if b"\x00" in sample or _control_ratio(sample) > 0.05:
        raise DocumentError(name, "看起来是二进制文件，不是文本")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # a file cut mid-character (scraped news often is) is still UTF-8
        if exc.start >= len(data) - 3:
            return data.decode("utf-8", errors="ignore"), "utf-8"
    best: tuple[float, str, str] | None = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:
        from charset_normalizer import from_bytes

        guess = from_bytes(data).best()
        if guess is None:
            raise DocumentError(name, "无法识别文件编码")
        return str(guess), guess.encoding
    return best[1], best[2]


# Frequent characters in Chinese prose; right decodings are dense in them, wrong ones are not.
_COMMON = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湖钟普"
)


def _plausibility(text: str) -> float:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not chars:
        return 0.0
    return sum(c in _COMMON for c in chars) / len(chars)


def _control_ratio(data: bytes) -> float:
    bad = sum(1 for b in data if b < 9 or 13 < b < 32)
    return bad / max(len(data), 1)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """The shared corpus starts with `key: value` lines and a `---` line; anything else has no header."""
    lines = text.split("\n", 40)
    header: dict[str, str] = {}
    for i, line in enumerate(lines[:40]):
        if line.strip() == "---" and header:
            return header, "\n".join(lines[i + 1 :]) if i + 1 < len(lines) else ""
        m = _HEADER_KEY.match(line.strip())
        if not m:
            return {}, text
        header[m.group(1)] = m.group(2).strip()
    return {}, text


def read_file(path: Path, name: str | None = None) -> RawText:
    """Any supported file → text; raises DocumentError subclasses that say which file and why."""
    name = name or path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            name,
            f"不支持的文件类型“{suffix or '无扩展名'}”（支持 txt、md、html、pdf、docx、ofd、doc、wps）",
        )
    data = path.read_bytes()
    if suffix == ".pdf":
        return RawText(_pdf_text(data, name), "pdf")
    if suffix == ".docx":
        return RawText(_docx_text(data, name), "docx")
    if suffix == ".ofd":
        return RawText(_ofd_text(data, name), "ofd")
    if suffix in WORD97_SUFFIXES:
        return _word97_text(data, name, suffix)
    text, enc = decode_bytes(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if suffix in HTML_SUFFIXES or (suffix in TEXT_SUFFIXES and _looks_like_html(text)):
        return RawText(html_to_text(text), enc, is_html=True)
    header, body = split_header(text)
    return RawText(body, enc, header=header)


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def html_to_text(html: str) -> str:
    """Visible text of a page, one block a line; scripts, styles and page chrome dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "iframe", "svg", "nav", "form", "button", "select"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    blocks = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "div", "span", "br"]):
        if el.name in {"div", "span", "td"} and el.find(["p", "div", "li", "h1", "h2", "h3", "table"]):
            continue
        if el.name == "br":
            continue
        txt = el.get_text(" ", strip=True)
        if txt:
            blocks.append(txt)
    if not blocks:
        blocks = [ln.strip() for ln in soup.get_text("\n").split("\n") if ln.strip()]
    out, seen = [], set()
    for b in blocks:
        if b not in seen:  # nested inline elements repeat text
            out.append(b)
            seen.add(b)
    if title and (not out or out[0] != title):
        out.insert(0, title)
    return "\n\n".join(out)


# PDFium is not thread-safe: one call into it at a time in this process (uploads and re-index may overlap)
_PDFIUM_LOCK = threading.Lock()


def _pdf_text(data: bytes, name: str) -> str:
    """Page by page through PDFium (pypdfium2), chosen by measurement (bench/pdf_libs.py, README): the right
    characters where pypdf and pdfplumber return Kangxi radicals (⽂ for 文), as right as PyMuPDF under a permissive
    licence, and the fastest of the four."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pages: list[str] = []
    images = 0
    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise DocumentError(name, "PDF 有密码保护，无法读取") from None
            raise DocumentError(name, "PDF 文件已损坏或无法解析") from None
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                pages.append(textpage.get_text_bounded())
                if len(pages[-1].strip()) < 10:
                    images += any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
                textpage.close()
                page.close()
        except pdfium.PdfiumError as exc:
            raise DocumentError(name, f"PDF 文件已损坏或无法解析（{exc}）") from None
        finally:
            pdf.close()
    return _paged_text(pages, images, name, "PDF")


def _paged_text(pages: list[str], images: int, name: str, kind: str) -> str:
    """Pages of a fixed-layout document → one text with a page marker line before each page; refuses a scan."""
    pages = _drop_running_lines([_page_lines(p) for p in pages])
    chars = sum(len(ln) for lines in pages for ln in lines)
    if chars < 10 * len(pages) and images:
        # a scan has page images and no text layer (at most a stamp or a page number): indexing it would
        # index nothing while the library reports it as present
        raise DocumentError(name, SCANNED)
    if not chars:
        raise EmptyDocumentError(name, f"{kind} 中没有可提取的文字")
    out: list[str] = []
    open_end = False
    full = _text_width(pages)
    for n, lines in enumerate(pages, 1):
        lines, next_open = _unwrap(lines, full)
        if open_end and lines and _continues(lines[0]):
            # a paragraph running on from the page before stays one line (its sentences must not be cut at the
            # page break); the line belongs to the page it starts on and is marked as running onto this one
            out[-1] += lines.pop(0)
            out.append(page_mark(n, continued=True))
            if not lines:
                continue
        out.append(page_mark(n))
        out.extend(lines)
        open_end = next_open if lines else open_end
    return "\n".join(out)


# Kangxi radicals and CJK radicals that some PDF producers map glyphs to (⽂ for 文): their compatibility form
_RADICALS = str.maketrans({c: unicodedata.normalize("NFKC", c) for c in map(chr, range(0x2E80, 0x2FE0))
                           if unicodedata.normalize("NFKC", c) != c})
# a font switch between CJK and Latin digits shows up as a space: "2022 年 5 月 1 日", "9.2 万人"
_UNITS = "年月日时号万亿元个人名所项条次届批倍%"
_DIGIT_GAP = re.compile(rf"(?<=\d) +(?=[{_UNITS}])|(?<=[\u4e00-\u9fff，（《“]) +(?=\d+(?:\.\d+)? *[{_UNITS}])")
_PAGE_NUMBER = re.compile(r"^(?:[-—–－_\s]*\d{1,4}[-—–－_\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")


def _page_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_RADICALS)
    lines = [_DIGIT_GAP.sub("", ln.strip()) for ln in text.split("\n")]
    return [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Running headers and footers (a document title, a printed date and URL, 'page 3/15') repeat at the top or
    bottom of most pages; the body never does."""
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:  # page numbers and dates inside a running line change from page to page
        return re.sub(r"\d+", "#", line)

    edges = Counter(k for lines in pages for k in {key(ln) for ln in lines[:2] + lines[-2:]})
    running = {k for k, n in edges.items() if n >= max(3, 0.6 * len(pages))}
    out = []
    for lines in pages:
        edge = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
        out.append([ln for i, ln in enumerate(lines) if i not in edge or key(ln) not in running])
    return out


_PARA_END = re.compile(r"[。！？；：!?;:]$|[。！？!?][”’」』）)]$")
_NEW_PARA = re.compile(r"^(第[一二三四五六七八九十百千零〇两]+[条章节编]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.．]|附件)")
# white space inside a line between CJK words: table cells or letter-spaced titles, never wrapped prose
_CELL_GAP = re.compile(r"[\u4e00-\u9fff\d）)] +[\u4e00-\u9fff\d（(]")


def _width(line: str) -> float:
    """In ems: CJK characters, full-width punctuation (“” included) and spaces (justified text widens them) are
    one, Latin letters and digits half."""
    return sum(1.0 if c == " " or unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line)


def _is_cells(line: str) -> bool:
    return bool(_CELL_GAP.search(_NEW_PARA.sub("", line).lstrip()))


def _continues(line: str) -> bool:
    """Whether a line can be the rest of the paragraph above it."""
    return not _NEW_PARA.match(line) and not _is_cells(line)


def _text_width(pages: list[list[str]]) -> float:
    """The width of the document's text block: the most common line width (a wrapped line fills it); 0 if none."""
    common = Counter(w for lines in pages for w in (round(_width(ln)) for ln in lines) if w >= 10).most_common(1)
    return common[0][0] if common and common[0][1] >= 2 else 0


def _unwrap(lines: list[str], full: float) -> tuple[list[str], bool]:
    """Join the lines of a paragraph that the page layout wrapped: a line as wide as the page's text block that
    does not end a sentence continues on the next (sentences are split at line breaks later, so a wrapped line
    would otherwise cut a sentence in two). Also says whether the page's last line runs on to the next page."""
    if not full:
        return lines, False
    widths = [_width(ln) for ln in lines]
    out: list[str] = []
    joinable = False
    for line, w in zip(lines, widths):
        if out and joinable and _continues(line):
            out[-1] += line
        else:
            out.append(line)
        joinable = w >= full - 3.5 and not _is_cells(line) and not _PARA_END.search(line)
    return out, joinable


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
# headings written as plain paragraphs, ranked below styled ones (1–9) from the outermost numbering down
_NUMBERED_HEADINGS = [
    (re.compile(r"^第[一二三四五六七八九十百千零〇两]+编"), 11),
    (re.compile(r"^第[一二三四五六七八九十百千零〇两]+章"), 12),
    (re.compile(r"^第[一二三四五六七八九十百千零〇两]+节"), 13),
    (re.compile(r"^[一二三四五六七八九十]+、"), 14),
    (re.compile(r"^（[一二三四五六七八九十]+）"), 15),
]


def _heading_rank(paragraph, text: str) -> int:
    """0 for body text; otherwise the heading's rank (smaller = outer)."""
    style = paragraph.style.name if paragraph.style is not None else ""
    m = _HEADING_STYLE.match(style.strip())
    if m:
        return int(m.group(1))
    ppr = paragraph._p.pPr
    lvl = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if lvl is not None:
        val = lvl.get(f"{_W}val", "")
        if val.isdigit() and int(val) < 9:
            return int(val) + 1
    if len(text) <= 40 and not re.search(r"[。；，,;]$", text) and "。" not in text:
        for pattern, rank in _NUMBERED_HEADINGS:
            if pattern.match(text):
                return rank
    return 0


def _docx_text(data: bytes, name: str) -> str:
    """Paragraphs and tables in document order; before each heading a marker line with the path of headings above
    it (styled headings, outline levels, or numbered ones such as 第二章 / 一、)."""
    import docx
    from docx.table import Table

    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise DocumentError(name, f"DOCX 文件已损坏或无法解析（{type(exc).__name__}）") from exc
    parts: list[str] = []
    path: list[tuple[int, str]] = []
    for block in d.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for c in row.cells:
                    t = c.text.strip()
                    if t and (not cells or cells[-1] != t):  # a merged cell repeats its text in every column
                        cells.append(t)
                if cells:
                    parts.append(" ".join(cells))
            continue
        text = block.text.strip()
        if not text:
            continue
        rank = _heading_rank(block, text) if block.style is None or block.style.name != "Title" else 0
        if rank:
            path = [(r, t) for r, t in path if r < rank] + [(rank, text)]
            parts.append(heading_mark([t for _, t in path]))
        parts.append(text)
    if not any(p.strip() for p in parts):
        raise EmptyDocumentError(name, "DOCX 中没有文字")
    return "\n".join(parts)


def _ofd_text(data: bytes, name: str) -> str:
    """OFD (GB/T 33190, the Chinese fixed-layout format) page by page through ofdkit (standard library only)."""
    import zipfile

    import ofdkit

    try:
        with ofdkit.open(data) as doc:
            pages = [p.text() for p in doc.pages]
    except Exception as exc:  # ofdkit's own errors, and whatever a damaged zip or XML raises on the way
        raise DocumentError(name, f"OFD 文件已损坏或无法解析（{type(exc).__name__}）") from None
    images = 0
    if not any(p.strip() for p in pages):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            images = sum(b"ImageObject" in zf.read(n) for n in zf.namelist() if n.endswith("Content.xml"))
    return _paged_text(pages, images, name, "OFD")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _word97_text(data: bytes, name: str, suffix: str) -> RawText:
    """Legacy Word (.doc) and WPS (.wps): LibreOffice converts to DOCX (headings kept) when installed, otherwise
    antiword gives the plain text; without either the file is skipped with what to install."""
    if not data.startswith(_OLE_MAGIC):
        raise DocumentError(name, f"不是 Word 97–2003 格式的 {suffix} 文件，无法读取")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        return RawText(_docx_text(_office_to_docx(office, data, name, suffix), name), suffix[1:])
    antiword = shutil.which("antiword")
    if antiword:
        return RawText(_antiword_text(antiword, data, name), suffix[1:])
    raise DocumentError(name, f"需要安装 antiword/LibreOffice 才能读取 {suffix}")


def _office_to_docx(office: str, data: bytes, name: str, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="rag-office-") as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        # a profile of its own: a LibreOffice already running for the user would otherwise swallow the request
        cmd = [office, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=180, check=False)
        except subprocess.TimeoutExpired:
            raise DocumentError(name, "LibreOffice 转换超时") from None
        out = Path(tmp) / "in.docx"
        if not out.exists():
            raise DocumentError(name, f"LibreOffice 无法转换此 {suffix} 文件（可能已损坏）")
        return out.read_bytes()


def _antiword_text(antiword: str, data: bytes, name: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".doc") as f:
        f.write(data)
        f.flush()
        try:
            run = subprocess.run([antiword, "-w", "0", "-m", "UTF-8.txt", f.name], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            raise DocumentError(name, "antiword 读取超时") from None
    text = run.stdout.decode("utf-8", errors="replace")
    if run.returncode != 0 or not text.strip():
        raise DocumentError(name, "antiword 无法读取此文件（可能已损坏或不是 Word 文档）")
    return "\n".join(ln.strip() for ln in text.split("\n") if ln.strip())
