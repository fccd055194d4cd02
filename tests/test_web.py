"""The web app end to end in Debian's headless Chromium: ask, see the answer and its source card, filter, upload."""

from __future__ import annotations

import os
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
    page.get_by_text("导出本次回答（Markdown）").click()
    export = page.input_value("#export textarea")
    assert export.startswith("## 问：辽宁") and "### 来源" in export


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
    page.get_by_text("筛选", exact=True).click()
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
