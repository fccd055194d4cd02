"""Which PDF library reads Chinese government PDFs right: pypdf, PyMuPDF, pdfplumber and pypdfium2 on two PDFs made
from the corpus, scored against the corpus text (characters missing or extra, odd characters, numbered provisions in
order, ms per page).

    python -m venv /tmp/pdfcmp && /tmp/pdfcmp/bin/pip install pypdf==7.1.1 pymupdf==1.28.2 pdfplumber==0.11.10 \
        pypdfium2==5.15.2 python-docx==1.2.0
    /tmp/pdfcmp/bin/python bench/pdf_libs.py          # needs LibreOffice, Chromium and fonts-noto-cjk
    .venv/bin/python -m bench.pdf_libs                # pypdfium2 alone, and how many paragraphs the loader keeps whole

The first PDF is 职业教育法 (2022) set like a Word document and exported by LibreOffice; the second is 国家职业教育
改革实施方案 as a red-header web page printed by Chromium (Skia), with a table and the browser's header and footer.
(Only pypdfium2 is a dependency of the project: the others are compared from a throwaway venv.)"""

from __future__ import annotations

import difflib
import html
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAW = ROOT / "corpus" / "law" / "law_01_职业教育法_2022修订.md"
POLICY = ROOT / "corpus" / "policy" / "policy_01_zhijiao20.md"
WS = re.compile(r"\s+")
PROVISION = re.compile(r"^(第[一二三四五六七八九十百零]+条|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
CJK = r"\u4e00-\u9fff"


def body(md: Path) -> list[str]:
    text = md.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return [ln.strip() for ln in text.split("\n") if ln.strip() and not ln.startswith("<!--")]


def law_pdf(out: Path) -> tuple[Path, list[str]]:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.size = Pt(12)
    d.styles["Normal"].font.name = "Noto Serif CJK SC"
    d.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    truth = []
    for line in body(LAW):
        text = line.lstrip("# ").strip()
        if line.startswith("#"):
            d.add_heading(text, level=0 if line.startswith("# ") else 1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p = d.add_paragraph(text)
            p.paragraph_format.first_line_indent = Pt(24)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        truth.append(text)
    src = out / "law.docx"
    d.save(str(src))
    subprocess.run([shutil.which("soffice"), "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(src)], check=True, capture_output=True)
    return out / "law.pdf", truth


def policy_pdf(out: Path) -> tuple[Path, list[str]]:
    lines = body(POLICY)
    rows = [("序号", "学校名称", "所在地区"), ("1", "天津职业技术师范大学", "天津市"), ("2", "深圳职业技术学院", "广东省深圳市")]
    css = ("body{font-family:'Noto Serif CJK SC';font-size:16pt;line-height:1.6;margin:2.5cm}"
           ".red{color:#c00;font-size:40pt;text-align:center;letter-spacing:.3em}.num{text-align:center}"
           "h1{text-align:center;font-size:20pt}p{text-indent:2em;text-align:justify;margin:0}td{border:1px solid}")
    page = [f"<html><head><meta charset='utf-8'><title>国务院文件</title><style>{css}</style></head><body>",
            "<div class='red'>国务院文件</div>", f"<div class='num'>{html.escape(lines[2])}</div>",
            f"<h1>{html.escape(lines[0] + lines[1])}</h1>", *(f"<p>{html.escape(ln)}</p>" for ln in lines[3:]),
            "<table>", *("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows),
            "</table></body></html>"]
    src = out / "policy.html"
    src.write_text("\n".join(page), encoding="utf-8")
    subprocess.run([shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
                    f"--print-to-pdf={out / 'policy.pdf'}", src.as_uri()], check=True, capture_output=True, timeout=120)
    return out / "policy.pdf", ["国务院文件", lines[0] + lines[1], lines[2], *lines[3:], *("".join(r) for r in rows)]


def pypdf_pages(p):
    import pypdf

    return [pg.extract_text() or "" for pg in pypdf.PdfReader(p).pages]


def pymupdf_pages(p):
    import pymupdf

    return [pg.get_text("text") for pg in pymupdf.open(p)]


def pdfplumber_pages(p):
    import pdfplumber

    with pdfplumber.open(p) as d:
        return [pg.extract_text() or "" for pg in d.pages]


def pdfium_pages(p):
    import pypdfium2 as pdfium

    d = pdfium.PdfDocument(str(p))
    return [d[i].get_textpage().get_text_bounded() for i in range(len(d))]


def pypdf_nfkc_pages(p):
    """pypdf with the radicals mapped back to the ideographs they stand for (what a caller could repair)."""
    radicals = {c: unicodedata.normalize("NFKC", c) for c in map(chr, range(0x2E80, 0x2FE0))}
    return [pg.translate(str.maketrans({k: v for k, v in radicals.items() if k != v})) for pg in pypdf_pages(p)]


LIBRARIES = {"pypdf": pypdf_pages, "PyMuPDF": pymupdf_pages, "pdfplumber": pdfplumber_pages, "pypdfium2": pdfium_pages,
             "pypdf+NFKC": pypdf_nfkc_pages}


def lcs(a: list[str], b: list[str]) -> int:
    m = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            m[i + 1][j + 1] = m[i][j] + 1 if x == y else max(m[i][j + 1], m[i + 1][j])
    return m[-1][-1]


def score(pdf: Path, truth_lines: list[str]) -> None:
    paras = [WS.sub("", t) for t in truth_lines]
    truth = "".join(paras)
    heads = [PROVISION.match(p).group(0) for p in paras if PROVISION.match(p)]
    print(f"== {pdf.name}: {len(truth)} characters, {len(heads)} numbered provisions")
    for name, read in LIBRARIES.items():
        try:
            read(pdf)  # imports and caches out of the timing
        except ImportError:
            print(f"  {name:11s} not installed")
            continue
        t = time.perf_counter()
        pages = read(pdf)
        ms = (time.perf_counter() - t) * 1000 / len(pages)
        lines = [ln.strip() for pg in pages for ln in pg.split("\n") if ln.strip()]
        flat = WS.sub("", "".join(lines))
        ops = [o for o in difflib.SequenceMatcher(None, truth, flat, autojunk=False).get_opcodes() if o[0] != "equal"]
        missing = sum(i2 - i1 for _, i1, i2, _, _ in ops)
        extra = sum(j2 - j1 for _, _, _, j1, j2 in ops)
        odd = sorted({c for c in flat if not ("\u4e00" <= c <= "\u9fff" or c.isascii()
                                                or unicodedata.category(c)[0] in "PZS")})
        got = [PROVISION.match(WS.sub("", ln)).group(0) for ln in lines if PROVISION.match(WS.sub("", ln))]
        print(f"  {name:11s} missing {missing:4d}  extra {extra:4d}  odd {''.join(odd)[:10] or '-':10s} "
              f"provisions in order {lcs(heads, got)}/{len(heads)}  {ms:6.1f} ms/page")
    try:
        from rag.ingest.load import read_file
        from rag.ingest.marks import located_lines
    except ImportError:  # outside the project's venv
        return
    lines = {WS.sub("", ln) for ln, _ in located_lines(read_file(pdf).text)}
    print(f"  the project's loader (running lines dropped, wrapped lines joined): "
          f"{sum(p in lines for p in paras)}/{len(paras)} paragraphs come out as one line each")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    logging.disable(logging.WARNING)  # pdfminer complains about every font of the Chromium PDF
    with tempfile.TemporaryDirectory() as tmp:
        for make in (law_pdf, policy_pdf):
            try:
                score(*make(Path(tmp)))
            except (OSError, TypeError, subprocess.SubprocessError) as exc:
                print(f"{make.__name__}: cannot build the PDF ({exc})", file=sys.stderr)
