"""Fit the answerer's evidence model on the tune questions and choose its decline threshold there.

    python -m bench.calibrate [--sets bench/sets/tune.jsonl …] [--out rag/data/answer_model.json]   (make calibrate)

Every sentence of the retrieved chunks is a candidate with the features of rag.evidence; it is labelled positive
when it holds one of the question's evidence strings, or one of its answer strings in the question's own document.
A logistic regression (L2, fitted by Newton's method in numpy) learns the weights; the threshold is the one that
maximises correct answers plus correct declines over the tune questions, with false refusals counted double.
Only the tune split is read here: the test split is never looked at question by question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from rag.answer import extractive_answer
from rag.evaluate import key, load_jsonl, score
from rag.evidence import FEATURES, EvidenceModel, candidates
from rag.ingest.pipeline import doc_id_for
from rag.query import parse_query
from rag.service import Assistant
from rag.settings import ROOT
from rag.text import match_key

TUNE = ROOT / "bench" / "sets" / "tune.jsonl"
OUT = ROOT / "rag" / "data" / "answer_model.json"


def fit_logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1.0, iters: int = 50) -> np.ndarray:
    """Weighted L2-regularised logistic regression by Newton's method (the bias, column 0, is not penalised)."""
    beta = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 1e-6
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ beta, -30, 30)))
        grad = X.T @ (w * (p - y)) + reg * beta
        H = (X * (w * p * (1 - p))[:, None]).T @ X + np.diag(reg)
        step = np.linalg.solve(H, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def label(cand, q: dict) -> bool:
    text = match_key(cand.sentence)
    if any(match_key(e) in text for e in q.get("evidence_any", [])):
        return True
    own = cand.hit.chunk.doc_id == doc_id_for(q.get("doc", ""))
    return own and any(match_key(a) in text for a in q.get("answer_any", []))


def collect(assistant: Assistant, questions: list[dict]):
    """Per question: its Query, hits and candidates, with candidate labels."""
    r = assistant.retriever
    rows = []
    for qd in questions:
        q = parse_query(qd["question"])
        hits = r.search(q)
        cands = candidates(q, hits, r.idf)
        labels = [bool(qd.get("answerable", True)) and label(c, qd) for c in cands]
        rows.append((qd, q, hits, cands, labels))
    return rows


def matrix(rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, y, w = [], [], []
    for _, _, _, cands, labels in rows:
        if not cands:
            continue
        npos = sum(labels)
        nneg = len(labels) - npos
        for c, lab in zip(cands, labels):
            X.append([c.features[f] for f in FEATURES])
            y.append(float(lab))
            # every question weighs the same; inside it, its positives and its negatives weigh half each
            w.append(0.5 / npos if lab else 0.5 / nneg if npos else 1.0 / nneg)
    return np.asarray(X), np.asarray(y), np.asarray(w)


def evaluate_at(rows, model: EvidenceModel, assistant: Assistant):
    answers = {}
    lengths = []
    for qd, q, hits, _, _ in rows:
        a = extractive_answer(q, hits, model, assistant.retriever.idf, assistant.settings.answer.max_sentences)
        answers[qd["id"]] = {"answer": a.answer, "refused": a.refused, "citations": [c.to_json() for c in a.citations]}
        if not a.refused:
            lengths.append(len(a.answer))
    s = score([r[0] for r in rows], answers)
    return s, (statistics.median(lengths) if lengths else 0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="*", default=[str(TUNE)], help="question files to fit on (tune only)")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args(argv)
    if any("test" in Path(p).name for p in args.sets):
        print("refusing to fit on a test split", file=sys.stderr)
        return 2
    questions = [q for p in args.sets for q in load_jsonl(p)]
    assistant = Assistant()
    t0 = time.perf_counter()
    rows = collect(assistant, questions)
    X, y, w = matrix(rows)
    print(f"{len(questions)} questions, {len(y)} candidate sentences, {int(y.sum())} positive "
          f"({time.perf_counter() - t0:.1f} s)")
    beta = fit_logistic(X, y, w, l2=args.l2)
    weights = dict(zip(FEATURES, beta.tolist()))
    for f in FEATURES:
        print(f"  {f:<14} {weights[f]:+.3f}")
    # the threshold: correct answers + correct declines, a false refusal or a wrong answer counted against
    best = None
    for thr in np.round(np.arange(0.05, 0.96, 0.025), 3):
        model = EvidenceModel(weights, float(thr))
        s, med = evaluate_at(rows, model, assistant)
        wrong = s.answerable - s.correct - s.false_refusals
        gain = s.correct + s.refused - 2 * s.false_refusals - wrong
        print(f"  threshold {thr:.3f}: {s.summary()} · median answer {med:.0f} chars · gain {gain}")
        if best is None or gain > best[0]:
            best = (gain, float(thr), s.summary(), med)
    _, thr, summary, med = best
    model = EvidenceModel(weights, thr, fitted_on=", ".join(Path(p).name for p in args.sets))
    model.save(Path(args.out), {"tune_summary": summary, "tune_median_answer_chars": med,
                                "fitted_at": time.strftime("%Y-%m-%d"), "l2": args.l2})
    print(f"threshold {thr} → {args.out}\n{summary} · median answer {med:.0f} chars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
