"""Score `python -m rag batch` output against a question file (format: ../shared/eval/README.md).

    python -m rag.evaluate QUESTIONS.jsonl ANSWERS.jsonl
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import unicodedata
from dataclasses import dataclass, field


def key(text: str) -> str:
    """Matching ignores white space, width (NFKC) and case."""
    return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())


@dataclass
class Score:
    answerable: int = 0
    unanswerable: int = 0
    correct: int = 0
    cited: int = 0
    refused: int = 0
    false_refusals: int = 0
    latencies: list[float] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)  # characters of every answer given (not declined)
    misses: list[str] = field(default_factory=list)
    led: int = 0  # correct answers that open with a short fact before the quote (“9.2万人。…”)
    lead_right: int = 0  # … whose opening itself holds the fact (the quote after it may hold it when the lead does not)

    def summary(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "0/0"

        p50 = statistics.median(self.latencies) if self.latencies else 0.0
        med = statistics.median(self.lengths) if self.lengths else 0
        return (
            f"correct {pct(self.correct, self.answerable)} · cited {pct(self.cited, self.answerable)} · "
            f"refused {pct(self.refused, self.unanswerable)} · false refusals {self.false_refusals} · "
            f"median answer {med:.0f} chars · p50 latency {p50:.0f} ms · leads holding the fact "
            f"{pct(self.lead_right, self.led)}"
        )

    @property
    def perfect(self) -> bool:
        return (
            self.correct == self.answerable and self.cited == self.answerable
            and self.refused == self.unanswerable and self.false_refusals == 0
        )


# the fact an answer opens with, before the quote that backs it: “9.2万人。“…”[1]”, “1500元。《…》第九条：“…”
_LEAD = re.compile(r"^([^“《\n]{1,60}?)。(?=“|《|[^“\n]{0,30}[：:]“)")


def score(questions: list[dict], answers: dict) -> Score:
    s = Score()
    for q in questions:
        a = answers.get(q["id"])
        if a is None:
            s.misses.append(f"{q['id']}: no answer in the batch output")
            s.answerable += bool(q.get("answerable", True))
            s.unanswerable += not q.get("answerable", True)
            continue
        s.latencies.append(float(a.get("latency_ms", 0.0)))
        if not a.get("refused"):
            s.lengths.append(len(a.get("answer", "")))
        if not q.get("answerable", True):
            s.unanswerable += 1
            if a.get("refused"):
                s.refused += 1
            else:
                s.misses.append(f"{q['id']}: should decline — answered {a.get('answer', '')[:60]!r}")
            continue
        s.answerable += 1
        if a.get("refused"):
            s.false_refusals += 1
            s.misses.append(f"{q['id']}: declined an answerable question ({q['question']})")
            continue
        if not any(key(x) in key(a.get("answer", "")) for x in q.get("answer_any", [])):
            s.misses.append(f"{q['id']}: answer lacks {q.get('answer_any')} — {a.get('answer', '')[:80]!r}")
            continue
        s.correct += 1
        if (lead := _LEAD.match(a.get("answer", ""))):
            s.led += 1
            s.lead_right += any(key(x) in key(lead.group(1)) or key(lead.group(1)) in key(x)
                                for x in q.get("answer_any", []))
        texts = [key(c.get("text", "")) for c in a.get("citations", [])]
        if any(key(e) in t for e in q.get("evidence_any", []) for t in texts):
            s.cited += 1
        else:
            s.misses.append(f"{q['id']}: no citation holds {q.get('evidence_any')}")
    return s


def rank_of_evidence(texts: list[str], evidence: list[str]) -> int | None:
    """1-based rank of the first retrieved text holding one of a question's evidence strings (traditional or
    simplified alike); None when none does."""
    from rag.text import match_key

    keys = [match_key(e) for e in evidence]
    for r, t in enumerate(texts, 1):
        tk = match_key(t)
        if any(k in tk for k in keys):
            return r
    return None


def load_jsonl(path: str | os.PathLike) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    questions = load_jsonl(argv[0])
    answers = {a["id"]: a for a in load_jsonl(argv[1])}
    s = score(questions, answers)
    for m in s.misses:
        print("MISS", m)
    print(s.summary())
    return 0 if s.perfect else 1


if __name__ == "__main__":
    sys.exit(main())
