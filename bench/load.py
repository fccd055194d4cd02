"""Bounded load test of the web app on loopback: N simulated users (each its own browser session, speaking the page's
own protocol as Chromium does) ask M questions each; prints throughput, p50/p95 latency, errors, and answers that
belong to another user's question (mixing).

    python -m bench.load [--users 20] [--questions 3] [--url http://127.0.0.1:7860/]

Without --url it starts the app itself on a free loopback port over the default index, and stops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import httpx  # imported before the first wave: 20 threads importing it at once competed with the server being timed

from bench.browser import free_port, launch_chromium
from rag.warm import ask_page, endpoints
from rag.settings import ROOT

QUESTIONS = [  # (question, a string only its own answer holds)
    ("辽宁全省职业教育一年来培养了多少高素质技术技能人才？", "9.2万"),
    ("青海有几所学校入选国家级现代学徒制试点单位？", "9所"),
    ("职业学校学生的岗位实习时间一般为多长？", "6个月"),
    ("教育部公示的第一批拟入围国家级市域产教联合体有多少个？", "28个"),
    ("重庆电子工程职业学院对接专业群共建了多少个产业学院？", "14个产业学院"),
    ("2019年政府工作报告提出高职院校今年大规模扩招多少人？", "100万"),
]


def _start_app() -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "RAG_PORT": str(port), "RAG_HOST": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(180):
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            time.sleep(1)
    proc.kill()
    raise SystemExit("the app did not start")


def user(url: str, uid: int, n: int, ep: dict) -> list[dict]:
    """One browser session, speaking the page's own protocol (what Chromium does; no client library in between):
    the question goes in with run/predict, the answer is queued and read from the server-sent events."""
    import uuid

    session = uuid.uuid4().hex[:11]  # one session = one conversation state on the server
    out = []
    with httpx.Client(timeout=60) as client:
        for j in range(n):
            q, expect = QUESTIONS[(uid + j) % len(QUESTIONS)]
            t0 = time.perf_counter()
            try:
                answer = json.dumps(ask_page(client, ep, q, session)[-1], ensure_ascii=False)
                others = [e for qq, e in QUESTIONS if qq != q and e not in expect]
                out.append({"ok": expect in answer, "mixed": any(e in answer for e in others) and expect not in answer,
                            "error": "", "ms": (time.perf_counter() - t0) * 1000})
            except Exception as exc:  # counted, not raised: the report says how many failed
                out.append({"ok": False, "mixed": False, "error": type(exc).__name__,
                            "ms": (time.perf_counter() - t0) * 1000})
    return out


def browser_latency(url: str, n: int) -> list[float]:
    """Click to answer text in headless Chromium, for n questions of one session."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        b = launch_chromium(p)
        pg = b.new_page()
        pg.goto(url)
        pg.wait_for_selector("#question textarea", timeout=60000)
        for j in range(n):
            q, expect = QUESTIONS[j % len(QUESTIONS)]
            pg.click("#new-chat")
            pg.wait_for_function("() => !document.querySelector('#chat').innerText.includes('来源') ", timeout=10000)
            pg.fill("#question textarea", q)
            t0 = time.perf_counter()
            pg.click("#send")
            pg.wait_for_function("(t) => document.querySelector('#chat').innerText.includes(t)", arg=expect,
                                 timeout=30000)
            out.append((time.perf_counter() - t0) * 1000)
        b.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--browser", type=int, default=0, help="also time click-to-text in headless Chromium for N questions")
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--questions", type=int, default=3)
    p.add_argument("--url", default="")
    p.add_argument("--rounds", type=int, default=2,
                   help="waves of users, one after another: the first meets a just-started server, later ones a warm one")
    args = p.parse_args(argv)
    proc = None
    url = args.url
    if not url:
        proc, url = _start_app()
    waves = []
    try:
        ep = endpoints(url)
        for _ in range(max(1, args.rounds)):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.users) as pool:
                results = [r for rs in pool.map(lambda i: user(url, i, args.questions, ep), range(args.users))
                           for r in rs]
            waves.append((results, time.perf_counter() - t0))
        clicks = browser_latency(url, args.browser) if args.browser else []
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=30)
    all_ok = True
    for n, (results, wall) in enumerate(waves, 1):
        ms = sorted(r["ms"] for r in results)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        errors = [r["error"] for r in results if r["error"]]
        all_ok = all_ok and not errors and all(r["ok"] for r in results)
        label = "first wave (server just started)" if n == 1 and not args.url else f"wave {n}"
        print(f"{label}: users {args.users} × questions {args.questions} = {len(results)} requests in {wall:.1f} s "
              f"→ {len(results) / wall:.2f} answers/s")
        print(f"  latency p50 {statistics.median(ms):.0f} ms · p95 {p95:.0f} ms · max {ms[-1]:.0f} ms")
        print(f"  correct {sum(r['ok'] for r in results)}/{len(results)} · errors {len(errors)} · "
              f"mixed {sum(r['mixed'] for r in results)}")
    if clicks:
        clicks.sort()
        print(f"browser, click to answer text: p50 {statistics.median(clicks):.0f} ms · max {clicks[-1]:.0f} ms "
              f"({len(clicks)} questions, one session)")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
