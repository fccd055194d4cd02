"""Formats and page-precise sources: PDF pages, scanned PDFs refused, DOCX heading paths, OFD, legacy .doc/.wps, and
the /files route that serves the originals the source cards link to.

Every file is real: the PDF and the .doc in tests/fixtures/formats were made by LibreOffice from the corpus
(make_fixtures.py there rebuilds them); DOCX, OFD and the scanned PDF are written by the tests themselves."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from rag.errors import DocumentError
from rag.ingest.load import SCANNED, read_file
from rag.ingest.marks import is_mark
from rag.ingest.pipeline import prepare_document
from rag.records import Citation, ScoredChunk
from rag.settings import Settings
from tests.conftest import FIXTURES, make_settings

FORMATS = FIXTURES / "formats"
PDF = FORMATS / "实习规定.pdf"
DOC = FORMATS / "实习规定.doc"
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def settings_for(tmp_path: Path) -> Settings:
    return Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index")


def pdf_page_texts(path: Path) -> list[str]:
    """What the PDF itself holds on each page, white space removed: the ground truth for page numbers."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_bounded()) for i in range(len(pdf))]
    finally:
        pdf.close()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- PDF ------------------------------------------------------------------------------------------------------

def test_pdf_chunks_carry_the_page_they_start_and_end_on(tmp_path):
    pages = pdf_page_texts(PDF)
    assert len(pages) >= 2
    doc, chunks = prepare_document(PDF, "实习规定.pdf", settings_for(tmp_path))
    assert {c.page for c in chunks} >= {1, 2}, "chunks come from more than one page"
    for c in chunks:
        text = squeeze(c.text)
        assert not any(is_mark(line) for line in c.text.split("\n")), "page markers never reach a chunk's text"
        assert text[:12] in pages[c.page - 1], f"chunk said to start on page {c.page}: {c.text[:30]}"
        assert text[-6:] in pages[(c.page_end or c.page) - 1], f"chunk said to end on page {c.page_end}: {c.text[-30:]}"
    runs_on = [c for c in chunks if c.page_end]
    assert runs_on and all(c.page_end > c.page for c in runs_on), "an article broken by a page break says so"
    art3 = next(c for c in chunks if c.article == "第三条")
    assert art3.page == 2 and "学生实习的本质是教学活动，是实践教学的重要环节。" in art3.text
    assert doc.meta.title == "职业学校学生实习管理规定" and "\ue000" not in doc.meta.title


def test_pdf_lines_wrapped_by_the_layout_are_joined_into_sentences(tmp_path):
    _, chunks = prepare_document(PDF, "实习规定.pdf", settings_for(tmp_path))
    art1 = next(c for c in chunks if c.article == "第一条")
    assert "\n" not in art1.text, "one paragraph, one line: sentences are split at line breaks later"
    art2 = next(c for c in chunks if c.article == "第二条")
    # the paragraph that runs from page 1 onto page 2 stays whole
    assert "依照法律规定成立或登记取得法人、非法人组织资格的，可作为学生实习单位，按本规定进行管理。" in art2.text
    assert not any(re.fullmatch(r"[—-]\s*\d+\s*[—-]", line) for c in chunks for line in c.text.split("\n")), \
        "the printed page numbers are not text"


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """An image-only PDF, as a scanner makes it: each page a picture of printed Chinese text, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(CJK_FONT), 28) if CJK_FONT.exists() else ImageFont.load_default()
    images = []
    for n in range(pages):
        img = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(img)
        for i in range(20):
            draw.text((120, 150 + 60 * i), f"第{n * 20 + i + 1}条 职业学校应当加强对实习学生的指导和管理。", fill="black", font=font)
        images.append(img)
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def test_a_scanned_pdf_is_refused_with_the_ocr_message(tmp_path):
    p = scanned_pdf(tmp_path / "扫描件.pdf")
    with pytest.raises(DocumentError) as exc:
        read_file(p)
    assert exc.value.reason == SCANNED == "扫描件，无文字层，需要先做 OCR"
    assert "扫描件" in exc.value.user_message and "扫描件.pdf" in exc.value.user_message


def test_a_broken_pdf_is_still_reported_as_broken(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(PDF.read_bytes()[:2000])
    with pytest.raises(DocumentError) as exc:
        read_file(p)
    assert "broken.pdf" in str(exc.value)


# ---- DOCX -----------------------------------------------------------------------------------------------------

def test_docx_chunks_carry_their_heading_path(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("职业学校学生实习管理办法", level=0)
    d.add_heading("第一章 总则", level=1)
    d.add_paragraph("为规范职业学校学生实习工作，制定本办法。")
    d.add_heading("第二章 学生实习", level=1)
    d.add_heading("一、岗位实习", level=2)
    d.add_paragraph("岗位实习一般为6个月，学校可根据实际需要集中或分阶段安排。")
    d.add_paragraph("实习单位应当为学生购买实习责任保险。")  # numbered by nothing: stays under the same headings
    d.add_heading("二、认识实习", level=2)
    d.add_paragraph("认识实习由职业学校组织到实习单位参观、观摩和体验。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "实习类型", "时长"
    table.cell(1, 0).text, table.cell(1, 1).text = "认识实习", "1周"
    d.add_heading("第三章 实习管理", level=1)
    d.add_paragraph("（一）职业学校应当会同实习单位制定实习计划。")  # a numbered paragraph, not a heading
    p = tmp_path / "实习办法.docx"
    d.save(str(p))

    _, chunks = prepare_document(p, "实习办法.docx", settings_for(tmp_path))
    path_of = {c.text[:6]: c.heading_path for c in chunks}
    assert path_of["岗位实习一般"] == "第二章 学生实习 > 一、岗位实习"
    assert path_of["认识实习由职"] == "第二章 学生实习 > 二、认识实习"
    assert path_of["为规范职业学"] == "第一章 总则"
    assert path_of["（一）职业学"] == "第三章 实习管理"
    assert any("认识实习 1周" in c.text for c in chunks), "tables are read in document order"
    assert all(c.page == 0 for c in chunks), "a DOCX has no fixed pages"


def test_docx_headings_written_as_numbered_paragraphs_make_a_path_too(tmp_path):
    import docx

    d = docx.Document()
    for text in ("第二章 学生实习", "一、岗位实习", "岗位实习时间一般为6个月。", "二、跟岗实习", "跟岗实习由学校统一安排。"):
        d.add_paragraph(text)
    p = tmp_path / "plain.docx"
    d.save(str(p))
    _, chunks = prepare_document(p, "plain.docx", settings_for(tmp_path))
    assert {c.heading_path for c in chunks} == {"第二章 学生实习 > 一、岗位实习", "第二章 学生实习 > 二、跟岗实习"}


# ---- source cards -----------------------------------------------------------------------------------------------

def citation_of(tmp_path, source: Path, rel: str, article: str) -> Citation:
    doc, chunks = prepare_document(source, rel, settings_for(tmp_path))
    chunk = next(c for c in chunks if c.article == article)
    return Citation.from_hit(ScoredChunk(chunk, doc.meta, 1.0), 1, chunk.text.split("。")[0] + "。")


def test_a_citation_carries_page_and_path_and_its_card_links_to_the_page(tmp_path):
    from rag.present import citation_card

    c = citation_of(tmp_path, PDF, "uploads/实习规定.pdf", "第三条")
    assert (c.page, c.page_end, c.path) == (2, 0, "uploads/实习规定.pdf")
    card = citation_card(c)
    assert "第2页" in card and "打开原文第2页" in card
    assert 'href="/files/uploads/%E5%AE%9E%E4%B9%A0%E8%A7%84%E5%AE%9A.pdf#page=2"' in card
    spans = citation_card(citation_of(tmp_path, PDF, "实习规定.pdf", "第二条"))
    assert "第1–2页" in spans and "#page=1" in spans, "a quote in a paragraph that runs on over a page break"
    assert c.to_json()["page"] == 2


def test_a_citation_opens_the_page_its_quote_is_on_not_the_chunks_first(tmp_path):
    from rag.present import citation_card
    from rag.text import split_sentences

    pages = pdf_page_texts(PDF)
    doc, chunks = prepare_document(PDF, "实习规定.pdf", settings_for(tmp_path))
    broken = [c for c in chunks if c.page_breaks]
    assert broken, "a chunk whose sentences sit on two pages records where the second begins"
    later = 0
    for c in broken:
        for sentence in split_sentences(c.text):
            cite = Citation.from_hit(ScoredChunk(c, doc.meta, 1.0), 1, sentence)
            assert squeeze(sentence)[:8] in pages[cite.page - 1], f"quote said to be on page {cite.page}: {sentence}"
            later += cite.page > c.page
    assert later, "some quote sits on a later page than its chunk starts"
    c = next(c for c in broken if c.article == "第六条")
    card = citation_card(Citation.from_hit(ScoredChunk(c, doc.meta, 1.0), 1, "（三）实习条件完备，符合专业培养要求，符合产业发展实际；"))
    assert "打开原文第3页" in card and "#page=3" in card
    assert "第2–3页" in citation_card(Citation.from_hit(ScoredChunk(c, doc.meta, 1.0), 1)), "no quote: the whole chunk"


def test_a_docx_card_shows_the_heading_path_and_no_page(tmp_path):
    import docx

    from rag.present import citation_card

    d = docx.Document()
    d.add_heading("第二章 学生实习", level=1)
    d.add_heading("一、岗位实习", level=2)
    d.add_paragraph("第十条 岗位实习一般为6个月。")
    p = tmp_path / "a.docx"
    d.save(str(p))
    doc, chunks = prepare_document(p, "a.docx", settings_for(tmp_path))
    card = citation_card(Citation.from_hit(ScoredChunk(chunks[0], doc.meta, 1.0), 1))
    assert "第二章 学生实习 &gt; 一、岗位实习" in card and "页" not in card.split('class="src-meta"')[1].split("</div>")[0]


def test_page_and_heading_survive_the_index_round_trip(tmp_path):
    from rag.index.lexical import ChunkStore
    from rag.index.store import vector_metadata

    doc, chunks = prepare_document(PDF, "实习规定.pdf", settings_for(tmp_path))
    c = next(c for c in chunks if c.page_end)
    md = vector_metadata(c, doc.meta)
    assert all(isinstance(v, (str, int, float, bool)) for v in md.values()), "Chroma takes scalars only"
    store = ChunkStore(tmp_path / "chunks.pkl")
    store.put(c, doc.meta, doc.path)
    store.save()
    back, meta, rel = ChunkStore(tmp_path / "chunks.pkl").items[c.chunk_id]
    assert (back.page, back.page_end, back.heading_path, meta.path, rel) == (
        c.page, c.page_end, c.heading_path, "实习规定.pdf", "实习规定.pdf")
    b = next(c for c in chunks if c.page_breaks)
    store.put(b, doc.meta, doc.path)
    store.save()
    assert ChunkStore(tmp_path / "chunks.pkl").items[b.chunk_id][0].page_breaks == b.page_breaks


# ---- OFD ------------------------------------------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"


def make_ofd(pages: list[list[str]], *, image_only: bool = False) -> bytes:
    """An OFD file (GB/T 33190-2016): OFD.xml → Doc_0/Document.xml → one Content.xml per page, each line a
    TextObject with its TextCode in 宋体 12 pt on A4 (or, for a scan, one ImageObject per page)."""
    size = 4.2333

    def content(lines: list[str], base: int) -> str:
        if image_only:
            objs = f'<ofd:ImageObject ID="{base}" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="9"/>'
        else:
            objs = "".join(
                f'<ofd:TextObject ID="{base + i}" Boundary="25 {30 + 8 * i} 160 7" Font="2" Size="{size}">'
                f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {max(len(line) - 1, 0)} {size}">{line}</ofd:TextCode>'
                "</ofd:TextObject>"
                for i, line in enumerate(lines)
            )
        return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                f'<ofd:Layer ID="{base - 1}">{objs}</ofd:Layer></ofd:Content></ofd:Page>')

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" '
                   'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>6d1bd4a4b2c84f3b9a3b4c6f2a7e9d10</ofd:DocID>'
                   '<ofd:Title>实习通知</ofd:Title><ofd:CreationDate>2024-05-01</ofd:CreationDate></ofd:DocInfo>'
                   '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        refs = "".join(f'<ofd:Page ID="{100 * (n + 1)}" BaseLoc="Pages/Page_{n}/Content.xml"/>'
                       for n in range(len(pages)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
                   "<ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                   "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
                   f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>")
        z.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" '
                   'BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
        for n, lines in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", content(lines, 100 * (n + 1) + 2))
    return buf.getvalue()


OFD_PAGES = [
    ["关于做好职业院校学生实习工作的通知", "各职业院校：", "为规范学生实习管理，保障学生合法权益，现将有关事项通知如下。"],
    ["一、岗位实习时间一般为6个月。", "二、实习单位应当为实习学生购买实习责任保险。", "特此通知。"],
]


def test_ofd_text_is_read_page_by_page(tmp_path):
    p = tmp_path / "通知.ofd"
    p.write_bytes(make_ofd(OFD_PAGES))
    raw = read_file(p)
    for line in OFD_PAGES[0] + OFD_PAGES[1]:
        assert line in raw.text
    _, chunks = prepare_document(p, "通知.ofd", settings_for(tmp_path))
    page_of = {c.page for c in chunks if "实习责任保险" in c.text}
    assert page_of == {2} or all(c.page == 1 and c.page_end == 2 for c in chunks if "实习责任保险" in c.text)
    assert any(c.page == 1 for c in chunks)


def test_a_scanned_or_broken_ofd_gets_a_clear_reason(tmp_path):
    scan = tmp_path / "扫描.ofd"
    scan.write_bytes(make_ofd([[""]], image_only=True))
    with pytest.raises(DocumentError) as exc:
        read_file(scan)
    assert exc.value.reason == SCANNED
    broken = tmp_path / "broken.ofd"
    broken.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(DocumentError) as exc:
        read_file(broken)
    assert "OFD" in exc.value.reason


# ---- legacy Word ------------------------------------------------------------------------------------------------

def only(monkeypatch, allowed: set[str]) -> None:
    """Hide every converter but `allowed`, as on a machine that has only those installed."""
    real = shutil.which
    monkeypatch.setattr("rag.ingest.load.shutil.which", lambda name: real(name) if name in allowed else None)


@pytest.mark.parametrize("converter", [
    "antiword",
    pytest.param("soffice", marks=pytest.mark.slow),
])
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_legacy_word_files_are_read_through_the_installed_converter(tmp_path, monkeypatch, converter, suffix):
    if shutil.which(converter) is None:
        pytest.skip(f"{converter} is not installed (make converters installs antiword)")
    only(monkeypatch, {converter})
    p = tmp_path / f"实习规定{suffix}"
    shutil.copy(DOC, p)  # WPS Office's .wps is the Word 97 binary format: the same bytes take the same route
    _, chunks = prepare_document(p, p.name, settings_for(tmp_path))
    art3 = next(c for c in chunks if c.article == "第三条")
    assert "学生实习的本质是教学活动，是实践教学的重要环节。" in art3.text
    if converter == "soffice":  # through DOCX the headings survive
        assert art3.heading_path == "第一章 总则"


def test_without_a_converter_a_doc_is_skipped_with_what_to_install(tmp_path, monkeypatch):
    only(monkeypatch, set())
    p = tmp_path / "旧文件.doc"
    shutil.copy(DOC, p)
    with pytest.raises(DocumentError) as exc:
        read_file(p)
    assert exc.value.reason == "需要安装 antiword/LibreOffice 才能读取 .doc"


def test_a_doc_that_is_not_a_word_file_is_refused(tmp_path):
    p = tmp_path / "fake.doc"
    p.write_text("这其实是一个文本文件", encoding="utf-8")
    with pytest.raises(DocumentError) as exc:
        read_file(p)
    assert "Word 97" in exc.value.reason


# ---- the /files route ---------------------------------------------------------------------------------------------

@pytest.fixture
def files_corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "uploads").mkdir(parents=True)
    shutil.copy(PDF, corpus / "uploads" / "实习规定.pdf")
    (corpus / "notes.md").write_text("# 说明\n职业教育。", encoding="utf-8")
    (corpus / "gbk.txt").write_bytes("职业教育法规定".encode("gbk"))
    (corpus / "page.html").write_text("<html><body><script>alert(1)</script>职业教育</body></html>", encoding="utf-8")
    (corpus / ".hidden.txt").write_text("不该被看到", encoding="utf-8")
    (corpus / "uploads" / "实习规定.pdf.meta.json").write_text('{"region": "全国"}', encoding="utf-8")
    (tmp_path / "secret.txt").write_text("口令", encoding="utf-8")
    (corpus / "link.txt").symlink_to(tmp_path / "secret.txt")
    return corpus


def files_client(corpus: Path, **kw):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from rag.files import mount_files

    app = FastAPI()
    mount_files(app, Settings(corpus_dir=corpus, index_dir=corpus.parent / "index", **kw))
    return TestClient(app)


def test_files_route_serves_originals_with_their_content_type(files_corpus):
    client = files_client(files_corpus)
    r = client.get("/files/uploads/%E5%AE%9E%E4%B9%A0%E8%A7%84%E5%AE%9A.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content == PDF.read_bytes() and r.headers["content-disposition"].startswith("inline")
    r = client.get("/files/gbk.txt")
    assert r.headers["content-type"] == "text/plain; charset=gb18030" and r.text == "职业教育法规定"
    r = client.get("/files/page.html")
    assert r.headers["content-type"].startswith("text/plain") and r.headers["x-content-type-options"] == "nosniff", \
        "a page from the corpus is shown as text, never run on the app's origin"


@pytest.mark.parametrize("url", [
    "/files/../secret.txt",
    "/files/%2e%2e/secret.txt",
    "/files/uploads/..%2f..%2fsecret.txt",
    "/files//etc/passwd",
    "/files/link.txt",  # a symbolic link out of the corpus
    "/files/.hidden.txt",
    "/files/uploads/实习规定.pdf.meta.json",
    "/files/missing.pdf",
    "/files/uploads",
])
def test_files_route_refuses_anything_outside_the_corpus(files_corpus, url):
    r = files_client(files_corpus).get(url)
    assert r.status_code in (403, 404), (url, r.status_code)
    assert "口令" not in r.text and "不该被看到" not in r.text


def test_files_route_is_closed_without_a_login_when_the_web_login_is_on(files_corpus):
    client = files_client(files_corpus, auth_users="alice:secret")
    assert client.get("/files/notes.md").status_code == 403


def test_files_route_accepts_the_gradio_login_session(files_corpus):
    import gradio as gr
    from fastapi.testclient import TestClient
    from gradio.routes import App

    from rag.files import mount_files

    with gr.Blocks() as demo:
        gr.Markdown("职教知识助手")
    demo.auth = [("alice", "secret")]
    app = App.create_app(demo)
    mount_files(app, Settings(corpus_dir=files_corpus, index_dir=files_corpus.parent / "index",
                              auth_users="alice:secret"))
    client = TestClient(app)
    assert client.get("/files/notes.md").status_code == 403
    assert client.post("/login", data={"username": "alice", "password": "wrong"}).status_code == 400
    assert client.get("/files/notes.md").status_code == 403
    assert client.post("/login", data={"username": "alice", "password": "secret"}).status_code == 200
    r = client.get("/files/notes.md")
    assert r.status_code == 200 and "职业教育" in r.text


# ---- end to end ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_an_answer_from_a_pdf_cites_its_page_and_the_card_opens_it(tmp_path):
    from rag.present import sources_html
    from rag.service import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PDF, corpus / "实习规定.pdf")
    (corpus / "通知.ofd").write_bytes(make_ofd(OFD_PAGES))
    a = Assistant(make_settings(corpus, tmp_path / "index"))
    report = a.ingest()
    assert report.documents == 2 and not report.skipped, report.summary()

    ans = a.ask("学生实习的本质是什么？")
    assert not ans.refused and "教学活动" in ans.answer
    c = ans.citations[0]
    assert (c.page, c.path) == (2, "实习规定.pdf")
    html = sources_html(ans)
    assert "第2页" in html and "打开原文第2页" in html
    assert 'href="/files/%E5%AE%9E%E4%B9%A0%E8%A7%84%E5%AE%9A.pdf#page=2"' in html

    # the link works against the same corpus
    r = files_client(corpus).get("/files/%E5%AE%9E%E4%B9%A0%E8%A7%84%E5%AE%9A.pdf")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"

    # uploads: a scan is refused with the reason and does not stay in the library
    report = a.add_file(scanned_pdf(tmp_path / "scan.pdf"), "扫描通知.pdf")
    assert report.skipped and report.skipped[0][1] == SCANNED
    assert not (corpus / "uploads" / "扫描通知.pdf").exists()
    assert len(a.documents()) == 2
