"""Refresh the README's screenshots: the app on a copy of the index, in headless Chromium, desktop and phone.

    python -m bench.screenshots        # writes docs/screenshot.png, docs/phone.png, docs/diff.png, docs/gaps.png
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.browser import free_port, launch_chromium
from rag.settings import ROOT, Settings

DOCS = ROOT / "docs"


def main() -> int:
    s = Settings()
    tmp = Path(tempfile.mkdtemp(prefix="shots-"))
    shutil.copytree(s.index_dir, tmp / "index", ignore=shutil.ignore_patterns("conversations.sqlite*"))
    port = free_port()
    env = {**os.environ, "RAG_INDEX_DIR": str(tmp / "index"), "RAG_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(1)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = launch_chromium(p)

            def ask(pg, q, expect):
                pg.fill("#question textarea", q)
                pg.click("#send")
                pg.wait_for_function("(t) => document.querySelector('#chat').innerText.includes(t)", arg=expect,
                                     timeout=60000)

            desk = b.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
            desk.goto(url)
            desk.wait_for_selector("#question textarea", timeout=60000)
            ask(desk, "辽宁2020年培养了多少技能人才？", "9.2万人")
            ask(desk, "职业教育法第五十条规定了什么？", "第五十条")
            desk.wait_for_selector("#sources .src-card#src-1", timeout=30000)
            desk.screenshot(path=str(DOCS / "screenshot.png"))
            ask(desk, "西藏阿里地区的中职生均拨款标准是多少元？", "资料库中没有找到")
            ask(desk, "西藏阿里的中职生均拨款是多少钱？", "资料库中没有找到")
            desk.get_by_role("tab", name="法规对照").click()
            desk.fill("#diff-topic textarea", "实习")
            desk.click("#diff-btn")
            desk.wait_for_selector("#diff-result table.law-diff", timeout=60000)
            desk.screenshot(path=str(DOCS / "diff.png"))
            desk.get_by_role("tab", name="未回答的问题").click()
            desk.click("#gaps-refresh")
            desk.wait_for_function("() => document.querySelector('#gaps-table').innerText.includes('西藏')",
                                   timeout=30000)
            desk.screenshot(path=str(DOCS / "gaps.png"))
            phone = b.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=2)
            phone.goto(url)
            phone.wait_for_selector("#question textarea", timeout=60000)
            ask(phone, "宁波的学生去企业顶岗实习一般多长时间？", "宁波市规定")
            phone.screenshot(path=str(DOCS / "phone.png"))
            b.close()
        print("docs/screenshot.png, docs/diff.png, docs/gaps.png, docs/phone.png")
        return 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
