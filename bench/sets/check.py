"""Check user-worded question files against the corpus, and build the tune/test split from them.

    python -m bench.sets.check bench/sets/raw/w1.jsonl …   # check the named files
    python -m bench.sets.check --split                    # check all raw files, write tune.jsonl and test.jsonl

Per line: required fields, a known kind and answer type, a unique id, the document it was written from (in
assignment.json). Answerable: at least one answer_any and one evidence_any string occur in that document (after
removing glued pinyin, traditional→simplified, NFKC, no white space, lower case). Unanswerable (kind refusal): no
answer_any or evidence_any. The split follows the document (assignment.json), never the question.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "corpus"
RAW = HERE / "raw"
KINDS = ("figure", "policy", "precedent", "refusal")
ANSWER_TYPES = ("count", "amount", "percent", "date", "period", "person", "org", "place", "list", "yesno", "document",
                "provision", "explanation", "none")
STYLES = ("paraphrase", "colloquial", "traditional", "short-form", "contextual")
REQUIRED = ("id", "kind", "answer_type", "question", "answerable", "doc", "style")
GLUED_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")


def _t2s(text: str) -> str:
    try:
        import opencc
    except ImportError:  # the checker still runs without it; traditional documents then need traditional evidence
        return text
    return opencc.OpenCC("t2s").convert(text)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _t2s(text))).lower()


_docs: dict[str, str | None] = {}


def body(rel: str) -> str | None:
    if rel not in _docs:
        p = (CORPUS / rel).resolve()
        if CORPUS.resolve() not in p.parents or not p.is_file():
            _docs[rel] = None
        else:
            raw = p.read_text(encoding="utf-8")
            if "\n---\n" in raw[:3000]:
                raw = raw.split("\n---\n", 1)[1]
            _docs[rel] = norm(GLUED_PINYIN.sub("", raw))
    return _docs[rel]


def check(items: list[tuple[str, dict]], assignment: dict) -> list[str]:
    errors = []
    ids = Counter(q.get("id") for _, q in items)
    seen: dict[str, str] = {}
    for where, q in items:
        missing = [k for k in REQUIRED if k not in q]
        if missing:
            errors.append(f"{where}: missing {', '.join(missing)}")
            continue
        if ids[q["id"]] > 1:
            errors.append(f"{where}: duplicate id {q['id']}")
        if q["kind"] not in KINDS:
            errors.append(f"{where}: unknown kind {q['kind']!r}")
        if q["answer_type"] not in ANSWER_TYPES:
            errors.append(f"{where}: unknown answer_type {q['answer_type']!r}")
        if q["style"] not in STYLES:
            errors.append(f"{where}: unknown style {q['style']!r}")
        if q["doc"] not in assignment:
            errors.append(f"{where}: doc {q['doc']!r} is not in assignment.json")
            continue
        nq = norm(q["question"])
        if nq in seen:
            errors.append(f"{where}: same question as {seen[nq]}")
        seen.setdefault(nq, q["id"])
        if q["kind"] == "refusal" or not q["answerable"]:
            if q["answerable"] or q["kind"] != "refusal":
                errors.append(f"{where}: unanswerable questions are kind refusal with answerable false")
            if q.get("answer_any") or q.get("evidence_any"):
                errors.append(f"{where}: a refusal carries no answer_any / evidence_any")
            continue
        text = body(q["doc"])
        if text is None:
            errors.append(f"{where}: doc not found: {q['doc']}")
            continue
        for k in ("answer_any", "evidence_any"):
            v = q.get(k)
            if not (isinstance(v, list) and v and all(isinstance(s, str) and s.strip() for s in v)):
                errors.append(f"{where}: {k} must be a non-empty list of strings")
        if not any(norm(e) in text for e in q.get("evidence_any") or []):
            errors.append(f"{where}: no evidence_any string in {q['doc']}: {q.get('evidence_any')}")
        if not any(norm(a) in text for a in q.get("answer_any") or []):
            errors.append(f"{where}: no answer_any string in {q['doc']}: {q.get('answer_any')}")
        if not any(norm(a) in norm(e) for a in q.get("answer_any") or [] for e in q.get("evidence_any") or []):
            errors.append(f"{where}: no evidence_any string holds an answer_any string")
    return errors


def load(paths: list[Path]) -> list[tuple[str, dict]]:
    items = []
    for p in paths:
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    items.append((f"{p.name}:{i}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    items.append((f"{p.name}:{i}", {"id": f"bad-{p.name}-{i}", "_error": str(exc)}))
    return items


def main(argv: list[str]) -> int:
    split = "--split" in argv
    paths = [Path(a) for a in argv if a != "--split"] or sorted(RAW.glob("*.jsonl"))
    assignment = json.loads((HERE / "assignment.json").read_text(encoding="utf-8"))
    items = load(paths)
    errors = check(items, assignment)
    kinds = Counter(q.get("kind") for _, q in items)
    print(f"{len(items)} questions: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS)
          + f"; documents {len({q.get('doc') for _, q in items})}")
    for e in errors:
        print("FAIL", e)
    if errors:
        return 1
    if split:
        for name in ("tune", "test"):
            rows = [q for _, q in items if assignment[q["doc"]]["split"] == name]
            (HERE / f"{name}.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows),
                                                encoding="utf-8")
            print(f"{name}: {len(rows)} questions, {sum(not q['answerable'] for q in rows)} unanswerable")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
