"""Calibrate the refusal threshold on data: for every question of the dev set and the 160-question set, record the
strength of the best evidence, then print how refusal accuracy and false refusals move with the threshold.

    python -m bench.calibrate [QUESTIONS.jsonl …]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rag.answer import gather_evidence
from rag.evaluate import key
from rag.service import Assistant
from rag.settings import ROOT

DEFAULT_SETS = [ROOT.parent / "shared" / "eval" / "dev.jsonl", ROOT / "bench" / "questions.jsonl"]


def features(assistant: Assistant, question: str) -> tuple[float, bool]:
    hits = assistant.search(question)
    ev = gather_evidence(question, hits, assistant.retriever, assistant.settings)
    if not ev:
        return 0.0, False
    best = ev[0]
    return min(best.score, best.chunk_cov), True


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or [p for p in DEFAULT_SETS if p.exists()]
    a = Assistant()
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            strength, any_ev = features(a, q["question"])
            rows.append((strength, q.get("answerable", True), q["id"]))
    pos = sorted(s for s, ok, _ in rows if ok)
    neg = sorted(s for s, ok, _ in rows if not ok)
    print(f"{len(pos)} answerable, {len(neg)} unanswerable")
    print("threshold  false_refusals  refusals_caught")
    for t in [x / 100 for x in range(30, 80, 2)]:
        fr = sum(s < t for s in pos)
        caught = sum(s < t for s in neg)
        print(f"{t:9.2f}  {fr:14d}  {caught:7d}/{len(neg)}")
    print("weakest answerable:", sorted((round(s, 3), i) for s, ok, i in rows if ok)[:8])
    print("strongest unanswerable:", sorted(((round(s, 3), i) for s, ok, i in rows if not ok), reverse=True)[:8])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
