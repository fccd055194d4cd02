"""Answers: correct, cited, declined when the collection does not hold the answer, follow-ups understood."""

from __future__ import annotations

import re

import pytest

from rag.answer import FIGURE, condense_question
from rag.evaluate import key, score
from rag.prompts import NOT_FOUND, load_prompt
from rag.service import Turn

pytestmark = pytest.mark.slow


def test_dev_questions_are_all_correct_cited_and_refusals_declined(assistant, dev_questions):
    answers = {}
    for q in dev_questions:
        a = assistant.ask(q["question"])
        answers[q["id"]] = {"answer": a.answer, "refused": a.refused, "citations": [c.to_json() for c in a.citations]}
    s = score(dev_questions, answers)
    assert s.perfect, "\n".join(s.misses)


def test_every_marker_points_to_a_citation_of_a_retrieved_chunk(assistant, dev_questions):
    for q in dev_questions:
        a = assistant.ask(q["question"])
        hits = {h.chunk.chunk_id for h in assistant.search(a.standalone_question, k=assistant.settings.top_k)}
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", a.answer)}
        assert markers == {c.n for c in a.citations}, q["id"]
        assert all(c.chunk_id in hits for c in a.citations), q["id"]


def test_every_number_in_an_answer_is_in_the_passage_it_cites(assistant, dev_questions):
    for q in dev_questions:
        a = assistant.ask(q["question"])
        by_n = {c.n: key(c.text) for c in a.citations}
        for line in a.answer.split("\n"):
            cited = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
            body = re.sub(r"\[\d+\]|^\d+\.\s", "", line)
            for num in re.findall(r"\d+(?:\.\d+)?%?", body):
                assert any(num in by_n[n] for n in cited), (q["id"], num, line)


def test_figure_comes_with_its_unit_as_the_source_writes_it(assistant):
    a = assistant.ask("辽宁全省职业教育一年来培养了多少高素质技术技能人才？")
    assert "9.2万人" in a.answer and not a.refused
    c = a.citations[0]
    assert "9.2万人" in c.quote and c.title.startswith("要闻:辽宁") and c.date == "2020-12-26"
    a = assistant.ask("辽宁技术服务金额达到多少？")
    assert "1.05亿元" in a.answer


def test_unanswerable_questions_are_declined_with_the_fixed_phrase_and_closest_passages(assistant):
    for q in ["2024年广东省中职学校毕业生的就业率是多少？", "西藏自治区2022年职业院校生均拨款标准是多少元？",
              "黑龙江省2023年新增了多少所职业本科学校？"]:
        a = assistant.ask(q)
        assert a.refused and a.answer == NOT_FOUND and not a.citations, q
        assert a.closest, "the closest passages are shown instead"


def test_answers_are_in_simplified_chinese_even_from_traditional_sources(assistant):
    a = assistant.ask("临朐县产教融合发展联盟在哪几家联盟企业建成了基地？")
    assert "辰泰重钢" in a.answer and "伊利乳业" in a.answer and "鋼" not in a.answer
    assert a.citations[0].original != a.citations[0].text, "the source script is kept for display"


def test_precedent_question_lists_cases_from_several_places(assistant):
    a = assistant.ask("哪些地方在探索“厂中校”“校中厂”模式？")
    assert a.answer.startswith("资料中的相关案例")
    assert len(a.citations) >= 3 and len({c.doc_id for c in a.citations}) >= 3
    places = "".join(a.answer)
    assert sum(p in places for p in ("临朐", "大连", "璧山")) >= 3


def test_follow_up_question_is_understood_in_context(assistant):
    first = assistant.ask("辽宁全省职业教育一年来培养了多少高素质技术技能人才？")
    follow = assistant.ask("那青海呢？", history=[Turn(first.question, first.standalone_question)])
    assert "青海" in follow.standalone_question and "培养" in follow.standalone_question
    assert follow.refused or all(c.region == "青海" for c in follow.citations)


def test_condense_replaces_the_place_or_year():
    assert condense_question("那青海呢？", ["辽宁培养了多少技能人才？"]) == "青海培养了多少技能人才？"
    assert condense_question("2021年呢？", ["2019年政府工作报告提出扩招多少人？"]) == "2021年政府工作报告提出扩招多少人？"
    assert condense_question("职业教育法是哪一年修订的？", ["辽宁培养了多少技能人才？"]) == "职业教育法是哪一年修订的？"


def test_not_found_phrase_is_shared_by_prompt_and_code():
    assert NOT_FOUND in load_prompt("answer_system")


def test_figure_pattern_sees_units():
    for s in ["9.2万人", "1.05亿元", "超过50%", "9所学校", "6个月", "28个"]:
        assert FIGURE.search(s), s
