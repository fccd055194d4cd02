"""Figure check and precedent finder on the shipped corpus."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from rag.facts import cases_csv
from rag.figures import find_figures
from rag.plots import cases_timeline
from rag.records import Filters
from rag.settings import ROOT


def test_figures_keep_their_units_and_skip_years_dates_and_article_numbers():
    s = "2020年，全省培养技术技能人才9.2万人，开展社会培训33万多人，金额达到1.05亿元，比例超过50%，第十二条规定实习一般为6个月。"
    raws = [f.raw for f in find_figures(s)]
    assert raws == ["9.2万人", "33万多人", "1.05亿元", "50%", "6个月"]
    measure = {f.raw: f.measure for f in find_figures(s)}
    assert "技术技能人才" in measure["9.2万人"] and "社会培训" in measure["33万多人"]


pytestmark_slow = pytest.mark.slow


@pytest.mark.slow
def test_search_by_number_finds_the_liaoning_seed_whatever_the_notation(assistant):
    for q in ("9.2万", "92000", "9.2万人"):
        facts = assistant.facts.search(q)
        assert any(f.title.startswith("要闻:辽宁产教融合") and f.raw == "9.2万人" for f in facts), q
        hit = next(f for f in facts if f.title.startswith("要闻:辽宁"))
        assert hit.date == "2020-12-26" and hit.region == "辽宁" and "9.2万人" in hit.sentence


@pytest.mark.slow
def test_search_by_topic_puts_the_matching_figure_first(assistant):
    facts = assistant.facts.search("辽宁 技能人才 培养")
    assert facts[0].raw == "9.2万人"


@pytest.mark.slow
def test_pasted_sentence_with_a_wrong_figure_is_flagged_with_the_right_one_beside_it(assistant):
    results = assistant.facts.check_claim("辽宁一年培养技能人才9.3万人，技术服务金额达到1.05亿元")
    by = {r.figure: r for r in results}
    assert by["9.3万人"].status == "different" and by["9.3万人"].conflicts[0].raw == "9.2万人"
    assert by["1.05亿元"].status == "found" and by["1.05亿元"].matches[0].date == "2020-12-26"


@pytest.mark.slow
def test_where_a_figure_comes_from_is_asked_in_the_chat(assistant):
    """A journalist's question: every document that writes the figure, with its date and sentence; the one about what
    the question names first. Before, the chat quoted the passages most like the words (一 “促进数字经济发展” for 数字)."""
    a = assistant.ask("辽宁培养了9.2万人技能人才，这个说法的出处是哪？")
    assert not a.refused and a.answer.startswith("写到“9.2万人”的资料"), a.answer
    first = a.answer.split("\n")[1]
    assert "辽宁产教融合" in first and "2020-12-26" in first and "9.2万人" in first, first
    assert len(a.citations) >= 2 and all("9.2万人" in c.text for c in a.citations)
    assert len({c.doc_id for c in a.citations}) == len(a.citations), "one line per document"
    assert all(c.chunk_id in assistant.retriever.pos for c in a.citations), "every citation is an indexed chunk"
    # the same number of something else is not its source; the region filter narrows the sources
    assert all("9.2万元" not in c.text or "9.2万人" in c.text for c in a.citations)
    only = assistant.ask("9.2万人这个数字出自哪份材料？", filters=Filters(regions=("辽宁",)))
    assert {c.doc_id for c in only.citations} < {c.doc_id for c in a.citations} and len(only.citations) == 1
    none = assistant.ask("12345.6万人这个数字出自哪里？")
    assert none.refused and "没有写到“12345.6万人”" in none.answer


@pytest.mark.slow
def test_a_figures_source_is_named_by_its_headline_and_counts_only_that_measure(assistant):
    a = assistant.ask("100万份学徒合同这个数字出自哪？")
    # a CRUD news item's title is its body's opening (原标题：…【环球时报驻法国特派记者…): the card shows the headline
    assert "1. 《法国参与学徒制人数创新高，目标每年100万份学徒合同》（2023-08-17）" in a.answer, a.answer
    # 100万人 (培训超100万人) and 100万元 are other figures, not sources of this one
    assert len(a.citations) == 1 and "100万份" in a.citations[0].text


@pytest.mark.slow
def test_figure_written_another_way_is_found(assistant):
    r = assistant.facts.check_claim("青海全日制中职学生升入高职学校的比例超过百分之五十")
    assert r[0].status == "found" and r[0].matches[0].raw == "50%"


@pytest.mark.slow
def test_figure_absent_from_the_collection_is_not_found(assistant):
    r = assistant.facts.check_claim("宁夏去年培养了3万名工匠")
    assert r and r[0].status == "not_found"


@pytest.mark.slow
def test_conflicts_are_groups_of_different_values_from_different_documents(tmp_path):
    from rag.service import Assistant
    from tests.conftest import make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("青海职教快讯\n2023年，青海全省职业院校培养技能人才1.2万人。\n", encoding="utf-8")
    (corpus / "b.txt").write_text("青海职教简报\n2023年，青海全省职业院校培养技能人才1.5万人。\n", encoding="utf-8")
    (corpus / "c.txt").write_text("宁夏职教简报\n2023年，宁夏全区职业院校培养技能人才0.8万人。\n", encoding="utf-8")
    a = Assistant(make_settings(corpus, tmp_path / "index"))
    a.ingest()
    groups = a.facts.conflicts()
    assert len(groups) == 1, groups
    (g,) = groups
    assert sorted(f.raw for f in g) == ["1.2万人", "1.5万人"] and {f.region for f in g} == {"青海"}
    assert len({f.doc_id for f in g}) == 2


@pytest.mark.slow
def test_factory_school_cases_come_from_three_places_with_sources(assistant, tmp_path):
    cases = assistant.facts.cases("厂中校")
    regions = " ".join(c.region for c in cases)
    assert all(p in regions for p in ("临朐", "大连", "璧山"))
    assert all(c.title and c.what for c in cases)
    dated = [c.date for c in cases if c.date]
    assert dated and all("厂中校" in c.what for c in cases)
    rows = list(csv.reader(io.StringIO(cases_csv(cases))))
    assert rows[0][:3] == ["地区", "机构", "日期"] and len(rows) == len(cases) + 1
    png = cases_timeline(cases, tmp_path / "t.png")
    assert png and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_cli_figures_check_and_cases(full_settings, tmp_path):
    import os

    env = {**os.environ, "RAG_INDEX_DIR": str(full_settings.index_dir), "RAG_CORPUS_DIR": str(full_settings.corpus_dir)}

    def run(*args):
        p = subprocess.run([sys.executable, "-m", "rag", *args], capture_output=True, text=True, env=env, cwd=ROOT,
                           timeout=300)
        assert p.returncode == 0, p.stderr
        return p.stdout

    assert any(f["raw"] == "9.2万人" for f in json.loads(run("figures", "92000", "--json")))
    checked = json.loads(run("check", "辽宁一年培养技能人才9.3万人", "--json"))
    assert checked[0]["status"] == "different" and checked[0]["conflicts"][0]["raw"] == "9.2万人"
    out = tmp_path / "cases.csv"
    cases = json.loads(run("cases", "厂中校", "--json", "--csv", str(out)))
    assert len(cases) >= 3 and out.read_text(encoding="utf-8-sig").startswith("地区,机构,日期")
