"""Print, for each question of a TUNE file the answerer gets wrong, what it understood and what it quoted.

    python -m bench.diagnose bench/sets/tune.jsonl [--all]

For reading the tune split question by question; refuses a test split (that one is only scored)."""

from __future__ import annotations

import sys

from rag.answer import extractive_answer
from rag.evaluate import load_jsonl, score
from rag.evidence import candidates, rank
from rag.query import parse_query
from rag.service import Assistant


def main(argv: list[str]) -> int:
    path = argv[0]
    if "test" in path:
        print("the test split is only scored, never read question by question", file=sys.stderr)
        return 2
    show_all = "--all" in argv
    a = Assistant()
    r = a.retriever
    for qd in load_jsonl(path):
        q = parse_query(qd["question"])
        hits = r.search(q)
        ans = extractive_answer(q, hits, a.model, r.idf)
        s = score([qd], {qd["id"]: {"answer": ans.answer, "refused": ans.refused,
                                      "citations": [c.to_json() for c in ans.citations]}})
        if s.misses or show_all:
            cands = rank(candidates(q, hits, r.idf), a.model)
            p = a.model.answerable(q, cands) if cands else 0.0
            print(f"== {qd['id']} [{qd.get('kind', '?')}/{qd.get('answer_type', '?')}→{q.answer_type.value}] {qd['question']}")
            print(f"   want {qd.get('answer_any')} in {qd.get('doc')}")
            print(f"   got  {'REFUSED' if ans.refused else ans.answer[:160]!r}  (answerable p={p:.2f})")
            for c in cands[:6]:
                f = c.features
                print(f"   {c.score:+.2f} {c.hit.meta.title[:18]} | {c.simple[:70]} "
                      f"| s{f['s_cov']:.2f} c{f['ctx_cov']:.2f} tm{f['type_match']:.0f} d{f['dense']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
