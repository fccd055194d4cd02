"""Choose the retrieval fusion (each leg's weight, the RRF constant) on the tune questions.

    python -m bench.fit_retrieval [--sets bench/sets/tune.jsonl bench/sets/val.jsonl …] [--k 6]

For every answerable tune question, each leg's ranking (dense, BM25 words, BM25 bigrams, and the named-document legs
when the question names a document or year: its chunks by bigrams and by meaning, weighed alike) is computed once;
then every setting of the grid is scored by how many questions get a chunk holding their evidence into the top k after
fusion. Settings within a quarter of a percent of
the best count as equal (noise); of those, the one closest to equal weights is chosen. Prints the grid and it; the
defaults in rag/settings.py (leg_weights, rrf_k) come from this run. Only the tune split is read.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from pathlib import Path

from bench.sets import READ, fitting_questions
from rag.retrieve import rrf
from rag.service import Assistant
from rag.text import match_key



def leg_rankings(assistant: Assistant, questions: list[dict]):
    r = assistant.retriever
    out = []
    for qd in questions:
        q = assistant.parse(qd["question"])
        ev = [match_key(e) for e in qd.get("evidence_any", [])]
        ids = {leg: [i for i, _ in hits] for leg, hits in r.legs(q, q.filters).items()}
        gold = {i for v in ids.values() for i in v if any(e in match_key(r.chunks[i].text) for e in ev)}
        out.append((ids, gold))
    return out


def found(rows, weights: dict[str, float], rrf_k: int, k: int) -> int:
    """How many questions get a chunk holding their evidence into the top k of the fusion the Retriever uses."""
    return sum(bool(gold & {i for i, _, _ in rrf(legs, rrf_k, weights)[:k]}) for legs, gold in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="*", default=[str(p) for p in READ])
    ap.add_argument("--k", type=int, default=6, help="chunks handed to the answerer (settings.top_k)")
    args = ap.parse_args(argv)
    questions = fitting_questions(args.sets)
    if questions is None:
        return 2
    questions = [q for q in questions if q.get("answerable", True)]
    rows = leg_rankings(Assistant(), questions)
    grid = []
    for wd, wa, rrf_k in itertools.product((1.0, 1.5, 2.0, 3.0), (1.0, 2.0), (20, 60)):
        w = {"dense": wd, "anchored": wa, "anchored_dense": wa}
        n = found(rows, w, rrf_k, args.k)
        print(f"dense ×{wd:<4} named document ×{wa:<4} rrf_k {rrf_k:>3}: evidence in top {args.k} for {n}/{len(rows)}")
        grid.append((n, w, rrf_k))
    # within a quarter of a percent of the best is noise: of those, the setting closest to equal weights
    top = max(n for n, _, _ in grid)
    near = [g for g in grid if g[0] >= top - math.ceil(0.0025 * len(rows))]
    n, w, rrf_k = min(near, key=lambda g: (sum(abs(v - 1.0) for v in g[1].values()), -g[0], -g[2]))
    print(f"chosen: leg_weights {w}, rrf_k {rrf_k} ({n}/{len(rows)}; best of the grid {top})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
