"""The web app end to end in Debian's headless Chromium: ask, see the answer and its source card, filter, upload."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rag.settings import ROOT
from tests.conftest import CACHE

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(full_settings, base: Path, **extra_env):
    """The real app on loopback, over a copy of the full index and corpus (uploads must not touch the repo)."""
    corpus, index = base / "corpus", base / "index"
    shutil.copytree(full_settings.corpus_dir, corpus, ignore=shutil.ignore_patterns("uploads"))
    shutil.copytree(full_settings.index_dir, index)
    port = free_port()
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(index), "RAG_EMBED_CACHE": str(CACHE),
           "RAG_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False", **extra_env}
    log = open(base / "app.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail("app exited: " + (base / "app.log").read_text()[-2000:])
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            time.sleep(1)
    proc.kill()
    pytest.fail("app did not start: " + (base / "app.log").read_text()[-2000:])


@pytest.fixture(scope="module")
def app_url(full_settings, tmp_path_factory):
    proc, url = start_app(full_settings, tmp_path_factory.mktemp("web"))
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_the_started_app_warms_its_own_request_path_and_stores_nothing(full_settings, tmp_path):
    """app.py sends itself one empty question through the page's protocol after launch (Gradio's first-request set-up
    is then not paid by the first user): it must succeed, answer nothing and leave no conversation behind."""
    import sqlite3

    proc, url = start_app(full_settings, tmp_path)
    try:
        deadline = time.time() + 60
        while "warm" not in (tmp_path / "app.log").read_text() and time.time() < deadline:
            time.sleep(0.2)
        log = (tmp_path / "app.log").read_text()
        assert "warmed the page's request path" in log, log[-2000:]
        from rag.warm import endpoints

        assert endpoints(url)["answer"] is not None
        with sqlite3.connect(tmp_path / "index" / "conversations.sqlite") as db:
            assert db.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required for the browser test: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    pg.goto(app_url)
    pg.wait_for_selector("#question textarea", timeout=60000)
    yield pg
    ctx.close()


def ask(page, question: str, expect: str, timeout: int = 60000):
    page.fill("#question textarea", question)
    page.click("#send")
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel); return el && el.innerText.includes(text); }",
        arg=["#chat", expect], timeout=timeout)


def test_ask_shows_answer_with_marker_and_source_card_with_evidence(page):
    ask(page, "辽宁全省职业教育一年来培养了多少高素质技术技能人才？", "9.2万人")
    page.wait_for_selector("#sources .src-card#src-1", timeout=30000)
    card = page.inner_text("#src-1")
    assert "9.2万人" in card and "2020-12-26" in card and "要闻:辽宁产教融合" in card
    assert page.locator("#src-1 mark").count() == 1, "the quoted sentence is highlighted"
    page.click("#chat a[href='#src-1']")
    page.wait_for_selector("#src-1.flash", timeout=5000)
    shot = os.environ.get("SCREENSHOT")
    if shot:
        page.screenshot(path=shot, full_page=False)
    page.get_by_text("复制或下载本次回答").click()
    export = page.input_value("#export textarea")
    assert export.startswith("问：辽宁") and "出处：" in export and "[1] 《要闻:辽宁" in export
    assert "](#src-" not in export, "the copy is plain text with numbered sources, not the page's Markdown links"


def test_follow_up_and_new_conversation(page):
    ask(page, "辽宁全省职业教育一年来培养了多少高素质技术技能人才？", "9.2万人")
    page.wait_for_selector("#sources .src-card#src-1", timeout=30000)
    page.fill("#question textarea", "那青海呢？")
    page.click("#send")
    # the sources panel moves from the Liaoning source to Qinghai (an answer, or the closest passages when declined):
    # text the user's own message cannot supply
    page.wait_for_function(
        "() => { const s = document.querySelector('#sources'); "
        "return s && !s.innerText.includes('要闻:辽宁') && s.innerText.includes('青海'); }", timeout=60000)
    page.click("#new-chat")
    page.wait_for_function("() => !document.querySelector('#chat').innerText.includes('9.2万人')", timeout=10000)


def test_unanswerable_question_is_declined_with_closest_passages(page):
    from rag.prompts import NOT_FOUND

    ask(page, "2024年广东省中职学校毕业生的就业率是多少？", NOT_FOUND)
    page.wait_for_selector("#sources .src-note", timeout=30000)


def test_filter_by_document_type_applies_to_retrieval(page):
    page.get_by_text("筛选（文档类型、地区、日期、来源）").click()
    page.get_by_label("法律法规").check()
    ask(page, "职业学校学生的岗位实习时间一般为多长？", "[1]")
    page.wait_for_selector("#sources .src-card", timeout=30000)
    cards = page.inner_text("#sources")
    assert "法律法规" in cards and "规章文件" not in cards


def test_upload_document_appears_in_library_and_answers_next_question(page, tmp_path):
    doc = tmp_path / "测试市产教融合简报.txt"
    doc.write_text("测试市产教融合简报\n\n2024年，测试市建成市级产教融合实训基地37个，覆盖智能制造等专业。", encoding="utf-8")
    page.get_by_role("tab", name="文档库").click()
    page.set_input_files("#upload input[type=file]", str(doc))
    page.click("#upload-btn")
    page.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('已加入')", timeout=120000)
    page.wait_for_function(
        "() => document.querySelector('#library-table').innerText.includes('测试市产教融合简报')", timeout=30000)
    bad = tmp_path / "坏文件.txt"
    bad.write_bytes(bytes(range(256)) * 10)
    page.set_input_files("#upload input[type=file]", str(bad))
    page.click("#upload-btn")
    page.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('二进制')", timeout=60000)
    page.get_by_role("tab", name="问答").click()
    ask(page, "测试市建成了多少个市级产教融合实训基地？", "37个")


def test_figure_check_tab_searches_by_number_and_flags_a_wrong_figure(page):
    page.get_by_role("tab", name="数据核查").click()
    page.fill("#fig-query textarea", "92000")
    page.click("#fig-search")
    page.wait_for_function("() => document.querySelector('#fig-table').innerText.includes('9.2万人')", timeout=60000)
    page.fill("#claim textarea", "辽宁一年培养技能人才9.3万人")
    page.click("#claim-btn")
    page.wait_for_selector("#claim-result .claim.bad", timeout=60000)
    assert "9.2万人" in page.inner_text("#claim-result")


def test_precedent_tab_lists_cases_with_timeline_and_csv(page):
    page.get_by_role("tab", name="案例检索").click()
    page.fill("#case-query textarea", "厂中校")
    page.click("#case-search")
    page.wait_for_function("() => document.querySelector('#case-table').innerText.includes('临朐')", timeout=60000)
    table = page.inner_text("#case-table")
    assert "大连" in table and "璧山" in table
    page.wait_for_selector("#case-timeline img", timeout=60000)
    page.wait_for_selector("#case-csv a", timeout=60000)


def test_concurrent_sessions_get_their_own_answers(app_url):
    from bench.load import main as load

    assert load(["--url", app_url, "--users", "6", "--questions", "2"]) == 0


def test_login_is_required_when_users_are_configured(full_settings, tmp_path, browser):
    proc, url = start_app(full_settings, tmp_path, RAG_AUTH_USERS="teacher:s3cret")
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(url)
        pg.wait_for_selector("input[type=password]", timeout=60000)
        assert pg.locator("#question textarea").count() == 0
        pg.fill("input[type=text], input[name=username]", "teacher")
        pg.fill("input[type=password]", "s3cret")
        pg.keyboard.press("Enter")
        pg.wait_for_selector("#question textarea", timeout=60000)
        ctx.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_law_versions_side_by_side(page):
    page.get_by_role("tab", name="法规对照").click()
    page.fill("#diff-topic textarea", "实习")
    page.click("#diff-btn")
    page.wait_for_selector("#diff-result table.law-diff", timeout=60000)
    text = page.inner_text("#diff-result")
    assert "1996年原文" in text and "2022年修订" in text and "第五十条" in text and "第三十七条" in text



# ---- the rough edges of a first hour, at desktop and phone width ---------------------------------------------------

@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def page_at(request, browser, app_url):
    ctx = browser.new_context(viewport={"width": request.param, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.goto(app_url)
    pg.wait_for_selector("#question textarea", timeout=60000)
    yield pg
    ctx.close()


def open_tab(pg, name: str) -> None:
    """A tab by its name; on a phone the last tabs sit behind the "More tabs" menu."""
    tab = pg.get_by_role("tab", name=name)
    if tab.count() and tab.first.is_visible():
        tab.first.click()
        return
    pg.get_by_role("button", name="More tabs").click()
    pg.locator(".overflow-dropdown button", has_text=name).click()


def pick(pg, dropdown: str, option: str) -> None:
    """Choose an option of a Gradio dropdown the way a user does: open it, click the option."""
    pg.locator(f"{dropdown} input").click()
    pg.locator("ul[role=listbox] li", has_text=option).first.click()
    pg.wait_for_function("([sel, v]) => document.querySelector(sel + ' input').value.includes(v)",
                         arg=[dropdown, option], timeout=10000)


def test_an_example_question_is_asked_at_once(page_at):
    page_at.get_by_role("button", name="实习学生每天最多能工作几个小时？").click()
    page_at.wait_for_function("() => document.querySelector('#chat').innerText.includes('[1]')", timeout=60000)
    assert "实习学生每天最多能工作几个小时" in page_at.inner_text("#chat")


def test_an_active_filter_is_shown_cleared_by_a_new_chat_and_a_bad_date_is_refused(page_at):
    pg = page_at
    pg.get_by_text("筛选（文档类型、地区、日期、来源）").click()
    pg.get_by_label("法律法规").check()
    pg.wait_for_function("() => document.querySelector('#filter-status').innerText.includes('法律法规')", timeout=10000)
    assert "筛选中" in pg.inner_text("#filter-status")
    pg.click("#new-chat")
    pg.wait_for_function("() => !document.querySelector('#filter-status').innerText.includes('法律法规')", timeout=10000)
    assert not pg.get_by_label("法律法规").is_checked()
    pg.fill("#f-to textarea", "2024-13-45")
    ask(pg, "职业学校学生的岗位实习时间一般为多长？", "日期不存在")


def test_a_long_question_is_capped(page_at):
    page_at.fill("#question textarea", "职业教育" * 200)
    assert len(page_at.input_value("#question textarea")) <= 500


def test_no_emoji_reaches_the_page(page_at):
    pg = page_at
    ask(pg, "辽宁全省职业教育一年来培养了多少高素质技术技能人才？", "9.2万人")
    open_tab(pg, "数据核查")
    pg.fill("#claim textarea", "辽宁一年培养技能人才9.3万人")
    pg.click("#claim-btn")
    pg.wait_for_selector("#claim-result .claim.bad .badge", timeout=60000)
    text = pg.inner_text("body")
    for glyph in ("✅", "❓", "❌", "⚠", "ℹ"):
        assert glyph not in text, glyph


def test_wide_tables_scroll_instead_of_losing_columns(page_at):
    pg = page_at
    open_tab(pg, "案例检索")
    pg.fill("#case-query textarea", "厂中校")
    pg.click("#case-search")
    pg.wait_for_function("() => document.querySelector('#case-table').innerText.includes('临朐')", timeout=60000)
    headers = pg.inner_text("#case-table thead")
    for col in ("地区", "机构", "日期", "做法", "涉及数字", "文档", "来源"):
        assert col in headers, col
    width = pg.evaluate("() => document.querySelector('#case-table table').getBoundingClientRect().width")
    assert width >= 880, "columns keep their width; the table scrolls sideways on a phone"


def test_upload_takes_type_region_and_date_reports_a_rename_and_clears_the_list(page_at, tmp_path):
    pg = page_at
    doc = tmp_path / "简报 (副本)?.txt"
    doc.write_text("测试县职教简报\n\n测试县建成县级产教融合实训基地12个。", encoding="utf-8")
    open_tab(pg, "文档库")
    pg.set_input_files("#upload input[type=file]", str(doc))
    pick(pg, "#up-type", "政策文件")
    pick(pg, "#up-region", "辽宁")
    pg.fill("#up-date textarea", "2024-05-01")
    pg.click("#upload-btn")
    pg.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('已加入')", timeout=120000)
    status = pg.inner_text("#lib-status")
    assert "已改名为" in status and "个片段" in status and "在库" not in status
    assert pg.locator("#upload .file-preview, #upload table").count() == 0, "the file list is emptied"
    pg.wait_for_function("() => document.querySelector('#library-table').innerText.includes('测试县职教简报')",
                         timeout=30000)
    row = pg.locator("#library-table [role=row]", has_text="测试县职教简报").first.inner_text()
    assert "政策文件" in row and "2024-05-01" in row and "辽宁" in row, row


def test_delete_lists_only_uploads_and_asks_for_confirmation(page_at, tmp_path):
    pg = page_at
    doc = tmp_path / f"删除测试{pg.viewport_size['width']}.txt"
    doc.write_text("删除测试文档\n\n这是一份用来测试删除的文档，共3段。", encoding="utf-8")
    open_tab(pg, "文档库")
    pg.set_input_files("#upload input[type=file]", str(doc))
    pg.click("#upload-btn")
    pg.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('已加入')", timeout=120000)
    pg.locator("#delete-pick input").click()
    options = pg.locator("ul[role=listbox] li").all_inner_texts()
    assert options and all("uploads/" in o for o in options), options
    pick = next(o for o in options if doc.name in o)
    pg.locator("ul[role=listbox] li", has_text=pick).click()
    pg.click("#delete-btn")
    pg.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('确认删除')", timeout=30000)
    pg.get_by_label("确认删除（不可撤销）").check()
    pg.click("#delete-btn")
    pg.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('已删除')", timeout=60000)


def test_library_changes_need_an_admin_when_login_is_on(full_settings, tmp_path, browser):
    proc, url = start_app(full_settings, tmp_path, RAG_AUTH_USERS="teacher:s3cret,boss:b0ss", RAG_ADMIN_USERS="boss")
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(url)
        pg.wait_for_selector("input[type=password]", timeout=60000)
        pg.fill("input[type=text], input[name=username]", "teacher")
        pg.fill("input[type=password]", "s3cret")
        pg.keyboard.press("Enter")
        pg.wait_for_selector("#question textarea", timeout=60000)
        open_tab(pg, "文档库")
        pg.click("#reindex")
        pg.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('只有管理员')",
                             timeout=30000)
        ctx.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_app_refuses_an_open_non_loopback_address():
    from app import check_exposure
    from rag.settings import Settings

    assert check_exposure(Settings(host="127.0.0.1")) == ""
    assert "RAG_AUTH_USERS" in check_exposure(Settings(host="0.0.0.0"))
    assert check_exposure(Settings(host="0.0.0.0", auth_users="a:b")) == ""
    assert check_exposure(Settings(host="0.0.0.0", allow_open=True)) == ""
    p = subprocess.run([sys.executable, str(ROOT / "app.py")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "RAG_HOST": "0.0.0.0", "RAG_AUTH_USERS": "", "RAG_ALLOW_OPEN": "false"})
    assert p.returncode == 2 and "RAG_ALLOW_OPEN" in p.stderr


def test_conversations_survive_a_refresh_and_can_be_renamed_and_deleted(page_at):
    pg = page_at
    ask(pg, "辽宁2020年培养了多少技能人才？", "9.2万人")
    pg.reload()
    pg.wait_for_selector("#question textarea", timeout=60000)
    assert "9.2万人" not in pg.inner_text("#chat")
    pg.get_by_text("历史对话").click()
    pick(pg, "#conv-pick", "辽宁2020年培养了多少技能人才")
    pg.click("#conv-open")
    pg.wait_for_function("() => document.querySelector('#chat').innerText.includes('9.2万人')", timeout=30000)
    pg.wait_for_selector("#sources .src-card#src-1", timeout=30000)
    pg.fill("#conv-title textarea", "辽宁技能人才")
    pg.click("#conv-rename")
    pg.wait_for_function("() => document.querySelector('#conv-pick input').value.startsWith('辽宁技能人才')",
                         timeout=30000)  # renamed, and still the one picked
    pg.click("#conv-delete")
    pg.wait_for_function("() => !document.querySelector('#conv-pick input').value", timeout=30000)
    pg.locator("#conv-pick input").click()
    assert not pg.locator("ul[role=listbox] li:has-text('辽宁技能人才')").count()


def test_feedback_and_declined_questions_reach_the_gap_list(page_at):
    pg = page_at
    tag = f"{pg.viewport_size['width']}"
    ask(pg, f"西藏阿里地区{tag}年的中职生均拨款标准是多少元？", "资料库中没有找到")
    ask(pg, "辽宁2020年培养了多少技能人才？", "9.2万人")
    pg.locator("#chat button[aria-label='踩']").last.click(force=True)  # 👎 on the last answer (zh-CN label)
    pg.wait_for_selector("text=已记录您的反馈", timeout=30000)
    open_tab(pg, "未回答的问题")
    pg.click("#gaps-refresh")
    pg.wait_for_function("(t) => document.querySelector('#gaps-table').innerText.includes(t)",
                         arg=f"西藏阿里地区{tag}年", timeout=30000)
    table = pg.inner_text("#gaps-table")
    assert "辽宁2020年培养了多少技能人才" in table, "a thumbs-down answer is in the gap list"
    pg.wait_for_selector("#gaps-csv a", timeout=30000)


def test_an_answer_and_a_conversation_export_to_word(page_at):
    pg = page_at
    ask(pg, "辽宁2020年培养了多少技能人才？", "9.2万人")
    pg.get_by_text("复制或下载本次回答").click()
    pg.click("#export-btn")
    pg.wait_for_selector("#export-file a[download$='.docx']", timeout=30000)
    pg.get_by_text("历史对话").click()
    pg.click("#conv-export")
    link = pg.wait_for_selector("#conv-file a", timeout=30000)
    with pg.expect_download() as dl:
        link.click()
    from docx import Document

    text = "\n".join(p.text for p in Document(dl.value.path()).paragraphs)
    assert "问：辽宁2020年培养了多少技能人才？" in text and "9.2万人" in text and "[1] 《要闻:辽宁" in text


def make_pdf(path, pages: list[str]) -> None:
    """A real PDF with Chinese text on several pages (matplotlib, TrueType fonts embedded)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
    plt.rcParams["pdf.fonttype"] = 42
    with PdfPages(str(path)) as pdf:
        for text in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.1, 0.8, text, fontsize=14)
            pdf.savefig(fig)
            plt.close(fig)


def test_a_pdf_source_card_gives_the_page_and_opens_the_original_there(page_at, tmp_path):
    pg = page_at
    pdf = tmp_path / f"样例市年报{pg.viewport_size['width']}.pdf"
    make_pdf(pdf, ["样例市职业教育年报\n概况：样例市共有职业学校15所。", "2024年，样例市建成市级产教融合实训基地41个。"])
    open_tab(pg, "文档库")
    pg.set_input_files("#upload input[type=file]", str(pdf))
    pg.click("#upload-btn")
    pg.wait_for_function("() => document.querySelector('#lib-status').innerText.includes('已加入')", timeout=180000)
    open_tab(pg, "问答")
    ask(pg, "样例市建成了多少个市级产教融合实训基地？", "41个")
    pg.wait_for_selector("#sources .src-card#src-1", timeout=30000)
    card = pg.inner_text("#src-1")
    assert re.search(r"第(1–2|2)页", card) and "打开原文第" in card, card  # the passage runs over pages 1–2
    href = pg.get_attribute("#src-1 a[href*='/files/']", "href")
    assert re.search(r"\.pdf#page=[12]$", href), href
    r = pg.request.get(href.split("#")[0] if href.startswith("http") else pg.url.rstrip("/") + href.split("#")[0])
    assert r.status == 200 and r.headers["content-type"].startswith("application/pdf")
