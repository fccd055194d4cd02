"""Answer quality on every question set, with answer length and latency, beside the answerer this work replaced.

    python -m bench.answers [--cmrc] [--out bench/results/ANSWERS.md]

Sets: the shared dev sample, the 160 questions written from the text, the held-out test half of the user-worded
questions (only scored), the tune half (fitted on: in-sample, shown for reference), two later rounds on the tune
documents (the sixth, read after its blind score; the seventh, never read: a validation set), and with --cmrc the external
CMRC 2018 set pooled over its 256 Wikipedia paragraphs (its own index under .cache/cmrc-index). The baseline column is
the answerer of commit 772283e (landed main before the typed Query), measured on the same sets and index contents
(bench/results/answers_baseline.json).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from rag.errors import RagError
from rag.evaluate import load_jsonl, score
from rag.service import Assistant
from rag.settings import ROOT, Settings

RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "dev": ROOT / "tests" / "fixtures" / "dev.jsonl",
    "bench questions (from the text)": ROOT / "bench" / "questions.jsonl",
    "test split (held out)": ROOT / "bench" / "sets" / "test.jsonl",
    "tune split (fitted on)": ROOT / "bench" / "sets" / "tune.jsonl",
    "sixth round, tune documents (read)": ROOT / "bench" / "sets" / "val.jsonl",
    "seventh round, tune documents (read)": ROOT / "bench" / "sets" / "val2.jsonl",
    "eighth round, tune documents (unread)": ROOT / "bench" / "sets" / "val3.jsonl",
    "ninth round, tune documents (read)": ROOT / "bench" / "sets" / "val4.jsonl",
    "tenth round, tune documents (read)": ROOT / "bench" / "sets" / "val5.jsonl",
}
CMRC = "cmrc2018 pooled"


def run(assistant: Assistant, questions: list[dict]) -> dict:
    answers, lat = {}, []
    by_kind: dict[str, list[dict]] = {}
    for q in questions:
        t0 = time.perf_counter()
        try:
            a = assistant.ask(q["question"])
            answers[q["id"]] = {"answer": a.answer, "refused": a.refused, "citations": [c.to_json() for c in a.citations]}
        except RagError as exc:  # as the CLI's batch does: a question the assistant refuses to take counts as declined
            answers[q["id"]] = {"answer": exc.user_message, "refused": True, "citations": []}
        lat.append((time.perf_counter() - t0) * 1000)
        by_kind.setdefault(q.get("kind", "?"), []).append(q)
    s = score(questions, answers)
    lat.sort()
    out = {
        "answerable": s.answerable, "correct": s.correct, "cited": s.cited, "unanswerable": s.unanswerable,
        "refused": s.refused, "false_refusals": s.false_refusals, "led": s.led, "lead_right": s.lead_right,
        "median_chars": statistics.median(s.lengths) if s.lengths else 0,
        "p50_ms": round(lat[len(lat) // 2], 1), "p95_ms": round(lat[int(len(lat) * 0.95) - 1], 1),
        "by_kind": {},
    }
    for kind, qs in sorted(by_kind.items()):
        k = score(qs, answers)
        out["by_kind"][kind] = {"n": len(qs), "correct": k.correct, "answerable": k.answerable, "refused": k.refused,
                                "unanswerable": k.unanswerable,
                                "median_chars": statistics.median(k.lengths) if k.lengths else 0}
    return out


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "–"


def row(name: str, r: dict, base: dict | None) -> str:
    def cell(key_a: str, key_b: str) -> str:
        now = pct(r[key_a], r[key_b])
        return f"{now} ({pct(base[key_a], base[key_b])})" if base else now

    fr = f"{r['false_refusals']}" + (f" ({base['false_refusals']})" if base else "")
    med = f"{r['median_chars']:.0f}" + (f" ({base['median_chars']:.0f})" if base else "")
    lead = f"{r.get('lead_right', 0)}/{r.get('led', 0)}"  # the baseline answerer did not open with a fact
    return (f"| {name} | {cell('correct', 'answerable')} | {cell('cited', 'answerable')} | {lead} | "
            f"{cell('refused', 'unanswerable')} | {fr} | {med} | {r['p50_ms']:.0f} / {r['p95_ms']:.0f} |")


def cmrc_assistant() -> Assistant:
    cache = ROOT / ".cache"
    s = Settings(corpus_dir=SHARED / "cmrc2018" / "corpus", index_dir=cache / "cmrc-index",
                 embed_cache=cache / "cmrc-embcache.sqlite")
    a = Assistant(s)
    from rag.index.store import Manifest

    m = Manifest.load(s.index_dir)  # an index from an older pipeline is rebuilt (its vectors come from the cache)
    a.ingest(rebuild=m is not None and m.fingerprint != s.build_fingerprint())
    return a


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cmrc", action="store_true", help="also the pooled CMRC 2018 set (needs ../shared/eval/cmrc2018)")
    ap.add_argument("--out", default=str(RESULTS / "ANSWERS.md"))
    args = ap.parse_args(argv)
    base_path = RESULTS / "answers_baseline.json"
    baseline = json.loads(base_path.read_text(encoding="utf-8")) if base_path.exists() else {}
    assistant = Assistant()
    assistant.ensure_index()
    results = {}
    for name, path in SETS.items():
        results[name] = run(assistant, load_jsonl(str(path)))
    if args.cmrc:
        results[CMRC] = run(cmrc_assistant(), load_jsonl(str(SHARED / "cmrc2018" / "questions.jsonl")))
    lines = [
        "# Answer quality", "",
        f"`python -m bench.answers{' --cmrc' if args.cmrc else ''}` on {time.strftime('%Y-%m-%d')}. Each cell: now "
        "(baseline: the answerer of commit 772283e on the same questions; for the held-out test half, on its first 236 "
        "questions, measured before the second round joined it). Correct = the answer holds the fact and was "
        "not declined; cited = correct and a citation holds the evidence; lead right = of the correct answers that open "
        "with a short fact before the quote, those whose opening itself holds it; declined = unanswerable questions declined; "
        "false refusals = answerable questions declined; median answer length in characters of answers given; "
        "latency per question in the library (warm index, one thread).", "",
        "| set | correct | cited | lead right | declined | false refusals | median chars | p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(row(name, r, baseline.get(name)))
    lines += ["", "By kind (now):", "", "| set | kind | n | correct | declined | median chars |", "|---|---|---|---|---|---|"]
    for name, r in results.items():
        if name.startswith("tune") or name == CMRC:
            continue
        for kind, k in r["by_kind"].items():
            lines.append(f"| {name} | {kind} | {k['n']} | {pct(k['correct'], k['answerable'])} | "
                         f"{pct(k['refused'], k['unanswerable'])} | {k['median_chars']:.0f} |")
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    (RESULTS / "answers.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
