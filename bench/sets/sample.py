"""Pick the documents the user-worded question sets are written from, and split them by document into a tune half
and a test half before any question exists (so nobody can choose which half a question lands in).

    python -m bench.sets.sample            # writes bench/sets/assignment.json

Every document of the shipped corpus is drawn, in an order fixed by the seed, and dealt to the question writers;
the split alternates along that random order. Only tune questions may be read one by one; test is only scored.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
OUT = Path(__file__).resolve().parent / "assignment.json"
SEED = 20261127
WRITERS = 6


def documents() -> list[str]:
    return sorted(
        str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "README.md" and not str(p.relative_to(CORPUS)).startswith("uploads/")
    )


def main() -> None:
    docs = documents()
    random.Random(SEED).shuffle(docs)
    assignment = {
        d: {"split": "test" if i % 2 == 0 else "tune", "writer": i % WRITERS + 1, "order": i}
        for i, d in enumerate(docs)
    }
    OUT.write_text(json.dumps(assignment, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(docs)} documents → {OUT}")


if __name__ == "__main__":
    main()
