"""The user-worded question sets: the tune half (read, fitted on) and the sets that are only ever scored."""

from __future__ import annotations

import sys
from pathlib import Path

from rag.evaluate import load_jsonl

# the held-out test half and the eighth round on the tune documents (the validation set nobody reads; the seventh,
# ninth and tenth rounds, val2.jsonl, val4.jsonl and val5.jsonl, were read in the eighth to tenth sessions and are tune
# data since)
SCORED_ONLY = ("test.jsonl", "val3.jsonl")
# the sets read question by question, and so what the fitting scripts fit on by default: the tune half and the sixth,
# seventh, ninth and tenth rounds on its documents
READ = tuple(Path(__file__).resolve().parent / n
             for n in ("tune.jsonl", "val.jsonl", "val2.jsonl", "val4.jsonl", "val5.jsonl"))


def fitting_questions(paths: list[str]) -> list[dict] | None:
    """The questions of these files, for a script that fits on them; None, after saying why, when one of them is a
    set that is only ever scored."""
    refused = [p for p in paths if Path(p).name in SCORED_ONLY or "test" in Path(p).name]
    if refused:
        print(f"refusing to fit on {', '.join(refused)}: it is only ever scored", file=sys.stderr)
        return None
    return [q for p in paths for q in load_jsonl(p)]
