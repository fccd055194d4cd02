"""The CLI contract other tools rely on: ask, search, batch (one JSON object a line, nothing else), ingest, stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rag.prompts import NOT_FOUND
from rag.settings import ROOT
from tests.conftest import CACHE, FIXTURES, make_settings

DEV = FIXTURES / "dev.jsonl"

pytestmark = pytest.mark.slow

CONTRACT = {"id", "question", "answer", "refused", "citations", "latency_ms", "unsupported"}
CITATION = {"n", "doc_id", "title", "date", "source", "url", "chunk_id", "text"}


def run(args: list[str], settings, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "RAG_INDEX_DIR": str(settings.index_dir), "RAG_CORPUS_DIR": str(settings.corpus_dir),
           "RAG_EMBED_CACHE": str(CACHE)}
    p = subprocess.run([sys.executable, "-m", "rag", *args], input=stdin, capture_output=True, text=True, env=env,
                       cwd=ROOT, timeout=600)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def test_batch_writes_one_contract_object_per_question_and_nothing_else(full_settings, tmp_path):
    qs = [
        {"id": "a", "question": "青海有几所学校入选国家级现代学徒制试点单位？"},
        {"id": 7, "question": "2024年广东省中职学校毕业生的就业率是多少？", "extra": "ignored"},
    ]
    f = tmp_path / "q.jsonl"
    f.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in qs) + "\n", encoding="utf-8")
    p = run(["batch", str(f)], full_settings)
    lines = p.stdout.strip().split("\n")
    assert len(lines) == 2
    recs = [json.loads(line) for line in lines]
    for rec in recs:
        assert set(rec) == CONTRACT
        assert isinstance(rec["refused"], bool) and isinstance(rec["latency_ms"], (int, float))
        for c in rec["citations"]:
            assert set(c) == CITATION
    assert recs[0]["id"] == "a" and not recs[0]["refused"] and "9所" in recs[0]["answer"]
    assert any("9所学校入选" in c["text"] for c in recs[0]["citations"])
    assert recs[1]["id"] == 7 and recs[1]["refused"] and recs[1]["answer"] == NOT_FOUND and recs[1]["citations"] == []


def test_batch_reports_bad_lines_on_stderr_and_keeps_going(full_settings, tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"question": "no id"}\nnot json\n{"id": "ok", "question": "职业学校学生的岗位实习时间一般为多长？"}\n',
                 encoding="utf-8")
    p = run(["batch", str(f)], full_settings)
    recs = [json.loads(x) for x in p.stdout.strip().split("\n")]
    assert [r["id"] for r in recs] == ["ok"] and "6个月" in recs[0]["answer"]
    assert "第 1 行" in p.stderr and "第 2 行" in p.stderr


def test_dev_set_through_batch_scores_perfectly(full_settings, tmp_path):
    p = run(["batch", str(DEV)], full_settings)
    out = tmp_path / "answers.jsonl"
    out.write_text(p.stdout, encoding="utf-8")
    ev = subprocess.run([sys.executable, "-m", "rag.evaluate", str(DEV), str(out)], capture_output=True,
                        text=True, cwd=ROOT)
    assert ev.returncode == 0, ev.stdout
    assert "correct 14/14 (100%)" in ev.stdout.splitlines()[-1]


def test_search_json_returns_ranked_chunks_with_scores_and_metadata(full_settings):
    p = run(["search", "岗位实习时间", "-k", "10", "--json"], full_settings)
    hits = json.loads(p.stdout)
    assert len(hits) == 10 and [h["rank"] for h in hits] == list(range(1, 11))
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert {"chunk_id", "doc_id", "title", "date", "source", "url", "doc_type", "region", "text", "ranks"} <= set(hits[0])
    p = run(["search", "岗位实习时间", "-k", "5", "--json", "--type", "regulation"], full_settings)
    assert all(h["doc_type"] == "regulation" for h in json.loads(p.stdout))


def test_ask_prints_answer_with_sources_and_json_mode(full_settings):
    p = run(["ask", "辽宁全省职业教育一年来培养了多少高素质技术技能人才？"], full_settings)
    assert "9.2万人" in p.stdout and "来源：" in p.stdout and "[1]" in p.stdout
    p = run(["ask", "辽宁全省职业教育一年来培养了多少高素质技术技能人才？", "--json"], full_settings)
    rec = json.loads(p.stdout)
    assert rec["citations"][0]["quote"] and rec["citations"][0]["date"] == "2020-12-26"


def test_stats_and_ingest_on_an_unchanged_corpus(full_settings):
    p = run(["stats", "--json"], full_settings)
    info = json.loads(p.stdout)
    assert info["documents"] >= 127 and info["chunks"] > 1000 and "law" in info["by_type"]
    p = run(["ingest"], full_settings)
    assert "未变" in p.stdout and "新嵌入 0 段" in p.stdout


def test_errors_reach_the_user_as_a_short_chinese_message(tmp_path):
    s = make_settings(tmp_path / "corpus", tmp_path / "index")
    p = run(["stats"], s, check=False)
    assert p.returncode == 2 and "还没有建立索引" in p.stderr and "Traceback" not in p.stderr
    p = run(["ingest", str(tmp_path / "missing.txt")], s, check=False)
    assert p.returncode == 2 and "找不到" in p.stderr
