"""A newcomer's first run: `python app.py` on an empty index and an empty embedding cache (as on a fresh machine
with the venv installed); time until the page answers and until the first answer is on screen, in headless Chromium.

    python -m bench.firstrun            # prints the figures and writes bench/results/firstrun.json
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.browser import free_port, launch_chromium
from rag.settings import ROOT

QUESTION = "辽宁2020年培养了多少技能人才？"
EXPECT = "9.2万人"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="firstrun-"))
    port = free_port()
    env = {**os.environ, "RAG_INDEX_DIR": str(tmp / "index"), "RAG_EMBED_CACHE": str(tmp / "emb.sqlite"),
           "RAG_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=open(tmp / "app.log", "w"))
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            if proc.poll() is not None:
                print((tmp / "app.log").read_text()[-2000:], file=sys.stderr)
                return 1
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        page_s = time.perf_counter() - t0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = launch_chromium(p)
            pg = b.new_page()
            pg.goto(url)
            pg.wait_for_selector("#question textarea", timeout=120000)
            pg.fill("#question textarea", QUESTION)
            pg.click("#send")
            pg.wait_for_function("(t) => document.querySelector('#chat').innerText.includes(t)", arg=EXPECT,
                                 timeout=300000)
            answer_s = time.perf_counter() - t0
            banner = pg.inner_text("#dense-status")
            b.close()
        prog = json.loads((tmp / "index" / "dense.json").read_text())
        out = {"page_s": round(page_s, 1), "first_answer_s": round(answer_s, 1), "banner": banner.strip(),
               "vectors_done_at_first_answer": prog}
        (ROOT / "bench" / "results" / "firstrun.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                                                   encoding="utf-8")
        print(f"page up after {page_s:.1f} s; first answer ({EXPECT}) after {answer_s:.1f} s; "
              f"vectors {prog.get('done')}/{prog.get('total')} at that moment; banner: {banner.strip()!r}")
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
