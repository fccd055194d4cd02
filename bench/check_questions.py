#!/usr/bin/env python3
"""Check bench/questions.jsonl against the corpus.

Usage: python bench/check_questions.py [path/to/questions.jsonl]

For every line: required fields, a known kind, a unique id.  For every
answerable question: the named document exists under corpus/, and (after
removing pinyin glued after Chinese characters, NFKC, dropping white space
and lower-casing) at least one evidence_any string and at least one
answer_any string occur in its body.  Refusal questions must be
answerable=false and carry no answer_any / evidence_any / doc.

Prints counts per kind and the number of distinct documents; exits 1 on
any failure.  Standard library only.
"""

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEFAULT_SET = ROOT / "bench" / "questions.jsonl"
DEV_SET = Path("/work/shared/eval/dev.jsonl")

KINDS = ("figure", "policy", "precedent", "refusal")
REQUIRED = ("id", "kind", "question", "answerable")
HEADER_DIRS = ("law", "regulation", "gov_work_report", "news")

# pinyin glued after a CJK character, e.g. 發(fā) -> 發
GLUED_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)"
)
WS = re.compile(r"\s+")

EVIDENCE_MIN, EVIDENCE_MAX = 6, 20  # advisory length of evidence strings


def norm(text: str) -> str:
    """NFKC, no white space, lower case (what the scorer's matching ignores)."""
    return WS.sub("", unicodedata.normalize("NFKC", text)).lower()


def body_of(rel: str, raw: str) -> str:
    """Drop the `key: value` header (up to the first line `---`) where one exists."""
    if rel.split("/", 1)[0] in HEADER_DIRS:
        lines = raw.split("\n")
        for i, line in enumerate(lines):
            if line.strip() == "---":
                return "\n".join(lines[i + 1:])
    return raw


_doc_cache = {}


def load_doc(rel: str):
    if rel in _doc_cache:
        return _doc_cache[rel]
    path = (CORPUS / rel).resolve()
    try:
        path.relative_to(CORPUS.resolve())
    except ValueError:
        _doc_cache[rel] = None
        return None
    if not path.is_file():
        _doc_cache[rel] = None
        return None
    raw = path.read_text(encoding="utf-8")
    text = GLUED_PINYIN.sub("", body_of(rel, raw))
    _doc_cache[rel] = norm(text)
    return _doc_cache[rel]


def str_list(value) -> bool:
    return (isinstance(value, list) and value
            and all(isinstance(s, str) and s.strip() for s in value))


def main(argv) -> int:
    set_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SET
    errors, warnings = [], []
    items = []

    with set_path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {lineno}: invalid JSON ({exc})")
                continue
            if not isinstance(obj, dict):
                errors.append(f"line {lineno}: not a JSON object")
                continue
            items.append((lineno, obj))

    dev_questions = set()
    if DEV_SET.is_file():
        for line in DEV_SET.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    dev_questions.add(norm(json.loads(line).get("question", "")))
                except json.JSONDecodeError:
                    pass

    ids = Counter(obj.get("id") for _, obj in items)
    questions_seen = {}
    kinds = Counter()
    docs = Counter()
    checked = 0

    for lineno, q in items:
        where = f"line {lineno} ({q.get('id', '?')})"
        missing = [k for k in REQUIRED if k not in q]
        if missing:
            errors.append(f"{where}: missing field(s) {', '.join(missing)}")
            continue
        if not isinstance(q["id"], str) or not q["id"]:
            errors.append(f"{where}: id must be a non-empty string")
        elif ids[q["id"]] > 1:
            errors.append(f"{where}: duplicate id {q['id']}")
        kind = q["kind"]
        if kind not in KINDS:
            errors.append(f"{where}: unknown kind {kind!r}")
            continue
        kinds[kind] += 1
        if not isinstance(q["question"], str) or not q["question"].strip():
            errors.append(f"{where}: empty question")
            continue
        nq = norm(q["question"])
        if nq in questions_seen:
            errors.append(f"{where}: same question as {questions_seen[nq]}")
        questions_seen.setdefault(nq, q["id"])
        if nq in dev_questions:
            errors.append(f"{where}: question copied from dev.jsonl")
        if not isinstance(q["answerable"], bool):
            errors.append(f"{where}: answerable must be true/false")
            continue

        if kind == "refusal":
            if q["answerable"]:
                errors.append(f"{where}: refusal must have answerable=false")
            for k in ("answer_any", "evidence_any", "doc"):
                if q.get(k):
                    errors.append(f"{where}: refusal must not carry {k}")
            continue

        if not q["answerable"]:
            errors.append(f"{where}: {kind} question must have answerable=true")
            continue
        bad = False
        for k in ("answer_any", "evidence_any"):
            if not str_list(q.get(k)):
                errors.append(f"{where}: {k} must be a non-empty list of strings")
                bad = True
        rel = q.get("doc")
        if not isinstance(rel, str) or not rel:
            errors.append(f"{where}: missing doc")
            bad = True
        if bad:
            continue
        text = load_doc(rel)
        if text is None:
            errors.append(f"{where}: doc not found under corpus/: {rel}")
            continue
        docs[rel] += 1
        checked += 1

        for ev in q["evidence_any"]:
            n = len(norm(ev))
            if not EVIDENCE_MIN <= n <= EVIDENCE_MAX:
                warnings.append(f"{where}: evidence {ev!r} has {n} chars "
                                f"(advised {EVIDENCE_MIN}-{EVIDENCE_MAX})")
        if not any(norm(ev) in text for ev in q["evidence_any"]):
            errors.append(f"{where}: no evidence_any string found in {rel}: "
                          f"{q['evidence_any']}")
        if not any(norm(a) in text for a in q["answer_any"]):
            errors.append(f"{where}: no answer_any string found in {rel}: "
                          f"{q['answer_any']}")

    print(f"questions: {len(items)}  ({set_path})")
    for k in KINDS:
        print(f"  {k:<10} {kinds[k]}")
    print(f"answerable checked against corpus: {checked}")
    by_folder = Counter(d.split("/", 1)[0] for d in docs)
    print(f"distinct docs: {len(docs)}  "
          + "  ".join(f"{f}={n}" for f, n in sorted(by_folder.items())))
    for w in warnings:
        print(f"WARN  {w}")
    for e in errors:
        print(f"FAIL  {e}")
    if errors:
        print(f"{len(errors)} failure(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
