"""Laws and policies as a teacher asks: articles by number, the version in force, jurisdiction, what changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rag.laws import base_name, provision_number
from rag.prompts import NOT_FOUND
from rag.present import sources_html
from rag.settings import ROOT

pytestmark = pytest.mark.slow


def test_names_and_numbers_are_read_as_people_write_them():
    assert base_name("中华人民共和国职业教育法（2022年修订）") == "职业教育法"
    assert base_name("国务院关于印发国家职业教育改革实施方案的通知（附：国家职业教育改革实施方案）") == "国家职业教育改革实施方案"
    assert provision_number("第五十条") == 50 and provision_number("第50条") == 50 and provision_number("（六）") == 6


def test_every_law_and_policy_has_a_record_with_version_status_and_jurisdiction(assistant):
    book = assistant.retriever.laws
    by_title = {r.meta.title: r for r in book.records.values()}
    new = by_title["中华人民共和国职业教育法（2022年修订）"]
    old = by_title["中华人民共和国职业教育法（1996年原文）"]
    assert (new.status, new.meta.version, new.meta.effective, new.count) == ("现行有效", "2022年修订", "2022-05-01", 69)
    assert (old.status, old.replaced_by, old.meta.effective, old.count) == ("已被修订", "2022年修订版", "1996-09-01", 40)
    qd = by_title["青岛市职业教育条例"]
    assert qd.meta.jurisdiction == "青岛市" and qd.meta.effective == "2015-11-01" and qd.status == "未知"
    policy = next(r for r in book.records.values() if r.name == "国家职业教育改革实施方案")
    assert policy.meta.doc_type == "policy" and policy.meta.doc_number == "国发〔2019〕4号" and policy.count == 20


def test_an_article_asked_by_number_is_quoted_whole_from_the_version_in_force(assistant):
    for q in ("职业教育法第五十条规定了什么？", "职教法第50条", "新职教法第五十条怎么说"):
        a = assistant.ask(q)
        assert not a.refused and "第五十条" in a.answer and "2022年修订" in a.answer, (q, a.answer)
        assert a.citations[0].title.endswith("（2022年修订）") and a.citations[0].status == "现行有效"
        assert "接纳职业学校和职业培训机构的学生实习" in a.answer and "按照规定享受休息休假" in a.answer


def test_an_older_version_is_quoted_when_asked_for_and_says_it_was_replaced(assistant):
    a = assistant.ask("1996年职业教育法第三十七条")
    assert "1996年原文" in a.answer and "已被2022年修订版取代" in a.answer and "第三十七条" in a.answer
    assert "已被2022年修订版取代" in sources_html(a), "the card carries the status badge"


def test_an_article_that_does_not_exist_is_declined_with_the_article_count(assistant):
    a = assistant.ask("职业教育法第八十条是什么？")
    assert a.refused and a.answer.startswith(NOT_FOUND) and "共六十九条" in a.answer and "第八十条" in a.answer


def test_a_local_rule_named_as_people_shorten_it_is_found(assistant):
    """青岛职教条例 is 《青岛市职业教育条例》: saying the collection lacks it would be false."""
    for q, title, text in (("青岛职教条例第五十九条说了什么", "青岛市职业教育条例", "本条例自2015年11月1日起施行"),
                           ("宁波校企合作条例第十条是什么", "宁波市职业教育校企合作促进条例", "混合所有制学校"),
                           ("民促法实施条例第四十六条", "民办教育促进法实施条例", "提取发展基金")):
        a = assistant.ask(q)
        assert not a.refused and f"《{title}》" in a.answer and text in a.answer, (q, a.answer)
    # the alias 职教法 inside 北京职教法实施办法 names the Beijing measures, not the national law; it has 32 articles
    a = assistant.ask("北京职教法实施办法第35条讲的是啥？")
    assert a.refused and "《北京市实施职业教育法办法》共三十二条" in a.answer and "第三十五条" in a.answer, a.answer
    assert assistant.retriever.laws.find(["河南职业教育条例"]) == []  # no such rule: still declined by name


def test_how_many_articles_a_rule_has_is_answered_from_its_last_article(assistant):
    """青岛职教条例一共有多少条 was answered with a figure inside the rule (百分之二十)."""
    a = assistant.ask("青岛职教条例一共有多少条？")
    assert not a.refused and a.answer.startswith("共五十九条。") and "第五十九条" in a.answer, a.answer
    assert a.citations[0].title == "青岛市职业教育条例"
    a = assistant.ask("1996年职业教育法共有多少条")
    assert a.answer.startswith("共四十条。") and "已被2022年修订版取代" in a.answer, a.answer
    assert assistant.ask("职业教育法有几条？").answer.startswith("共六十九条。")
    assert assistant.ask("民法典有多少条？").refused  # not in the collection: said so by name
    assert not assistant.parse("职教法有几条讲实习").asks_article_count  # articles on a topic: not the total


def test_a_date_in_a_rules_history_is_the_one_of_the_step_asked(assistant):
    """Adopted, first amended, last amended: the text above the first article dates each step; the date belongs to the
    step written after it. 职业教育法什么时候通过的 had been declined (the name was not read before 什么), and 通过 was
    answered with the first amendment's date."""
    for q, want in (("职业教育法什么时候通过的？", "1996年5月15日"), ("职业教育法是哪年修订的？", "2022年4月20日"),
                    ("民办教育促进法是什么时候通过的？", "2002年12月28日"),
                    ("民办教育促进法第一次修正是哪天？", "2013年6月29日"),
                    ("民办教育促进法最近一次修正是什么时候？", "2018年12月29日"),
                    ("青岛职教条例什么时候批准的？", "2015年9月24日")):
        a = assistant.ask(q)
        assert not a.refused and a.answer.startswith(want), (q, a.answer)
    assert assistant.parse("这个办法何时施行").documents == ()  # a bare kind of rule names nothing


def test_when_a_rule_took_effect_is_its_last_article_not_its_adoption(assistant):
    """新职教法什么时候开始实施的 had been answered with the 1996 adoption date in the text above the first article; the
    date it took effect is in the last article (本法自2022年5月1日起施行), now handed to the answerer. A local rule asked
    by its place keeps its own; 实施条例 names a rule and asks nothing about taking effect; 那部 is not in a name."""
    for q, want in (("新职教法什么时候开始实施的？", "2022年5月1日"), ("民办教育促进法什么时候生效的？", "2003年9月1日"),
                    ("北京市实施《职业教育法》的地方办法从哪一天起生效？", "1997年10月1日"),
                    ("宁波那部校企合作促进条例是哪一天起生效的？", "2009年3月1日")):
        a = assistant.ask(q)
        assert not a.refused and a.answer.startswith(want), (q, a.answer)
    assert assistant.parse("新职教法什么时候开始实施的？").asks_effect
    assert not assistant.parse("实施条例里说的“现有民办学校”，是以哪一天为界划分的？").asks_effect
    assert not assistant.parse("职业教育法什么时候通过的？").asks_effect


def test_two_articles_asked_at_once_are_both_quoted(assistant):
    """第五十条和第五十一条分别讲什么 had been answered with the first only; a second that does not exist is said so."""
    a = assistant.ask("职业教育法第五十条和第五十一条分别讲什么？")
    lines = a.answer.split("\n")
    assert len(lines) == 2 and "第五十条：“国家鼓励企业" in lines[0] and lines[1].startswith("第五十一条：“接受职业学校教育"), a.answer
    assert [c.n for c in a.citations] == [1, 2] and lines[1].endswith("[2]")
    a = assistant.ask("职教法第六十九条和第七十条")
    assert "本法自2022年5月1日起施行" in a.answer and a.answer.endswith("没有第七十条（共六十九条）。"), a.answer


def test_what_the_collection_holds_is_answered_from_the_documents_records(assistant):
    """最新的政府工作报告是哪一年的 had been answered 2017 (a passage's date); the collection's own records answer it."""
    reports = {m.title for m in assistant.retriever.metas if "政府工作报告" in m.title}
    newest = max(reports)
    a = assistant.ask("最新的政府工作报告是哪一年的？")
    assert not a.refused and a.answer.startswith(newest[:5]) and f"《{newest}》" in a.answer, a.answer
    assert a.citations[0].title == newest
    a = assistant.ask("资料库里有哪些政府工作报告？")
    assert a.answer.startswith(f"资料库中有{len(reports)}份政府工作报告") and len(a.citations) == len(reports)
    assert assistant.parse("有哪些条例规定了实习？").asks_holdings is None  # a question about content stays one


def test_a_list_item_is_quoted_with_the_sentence_that_opens_its_list(assistant):
    """（四）调查、认定学术不端行为 alone does not say who does it; …学术委员会履行下列职责：does (the answer had quoted the
    item alone); an item of a fund's uses says it is one (用于资助以下校企合作项目或者活动：…（七）…)."""
    a = assistant.ask("高校里出了学术不端，按高教法归哪个机构来调查认定？")
    assert "学术委员会" in a.answer.split("\n")[0] and "…（四）调查、认定学术不端行为" in a.answer, a.answer
    a = assistant.ask("宁波对校企合作有补贴吗？")
    assert "用于资助以下校企合作项目或者活动：" in a.answer, a.answer  # the opening itself, or an item after it (…（七）)


def test_a_named_law_is_not_answered_by_a_local_rule_that_implements_it(assistant):
    """职业教育法 names the national law: 北京市实施《中华人民共和国职业教育法》办法 has the name in its title but is
    another rule (it had answered 职业教育法规定…校长 with 北京市规定（第十条）)."""
    a = assistant.ask("职业教育法规定职业学校校长应当具备什么条件？")
    assert "北京" not in a.answer and all("北京" not in c.title for c in a.citations), a.answer


def test_a_provisions_items_are_quoted_in_order_without_their_bullets(assistant):
    a = assistant.ask("实习协议应该包括什么内容？")
    assert "以下内容：（一）各方基本信息；（二）实习的时间" in a.answer and "- （" not in a.answer, a.answer


def test_a_law_not_in_the_collection_is_declined_by_name(assistant):
    a = assistant.ask("民法典第五条怎么规定的？")
    assert a.refused and a.answer.startswith(NOT_FOUND) and "《民法典》" in a.answer


def test_policy_items_are_found_by_number_and_by_topic(assistant):
    a = assistant.ask("职教20条第六条讲了什么？")
    assert not a.refused and "1+X证书制度试点" in a.answer and "（六）" in a.answer
    hits = assistant.search("职教20条里关于1+X证书的规定", k=5)
    assert any(h.chunk.article == "（六）" and h.meta.doc_type == "policy" for h in hits)


def test_a_replaced_version_is_not_quoted_unless_asked(assistant):
    a = assistant.ask("职业教育法对实习学生的报酬有什么规定？")
    assert not a.refused and all("1996" not in c.title for c in a.citations), a.answer


def test_a_local_rule_is_labelled_with_its_place_in_text_and_card(assistant):
    a = assistant.ask("青岛市职业教育条例第三十五条")
    assert a.answer.startswith("青岛市规定") and "第三十五条" in a.answer
    assert "青岛市地方性法规" in sources_html(a)


def test_what_changed_between_versions_on_a_topic(assistant):
    d = assistant.diff("职教法", "实习")
    assert d.old.meta.version == "1996年原文" and d.new.meta.version == "2022年修订"
    pair = next(p for p in d.pairs if p.new and p.new.number == 50)
    assert pair.old is not None and pair.old.number == 37, "the 1996 internship article lines up with the 2022 one"
    assert any(op == "insert" and "休息休假" in t for op, t in pair.ops)
    a = assistant.ask("2022年修订后职业教育法关于实习有什么变化？")
    assert not a.refused and "1996年原文第三十七条" in a.answer and "2022年修订第五十条" in a.answer
    assert {c.title for c in a.citations} >= {"中华人民共和国职业教育法（1996年原文）", "中华人民共和国职业教育法（2022年修订）"}


def test_diff_in_the_cli(full_settings):
    env = {**os.environ, "RAG_INDEX_DIR": str(full_settings.index_dir), "RAG_CORPUS_DIR": str(full_settings.corpus_dir)}
    p = subprocess.run([sys.executable, "-m", "rag", "diff", "职业教育法", "--topic", "实习"], capture_output=True,
                       text=True, env=env, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "1996年原文 → 2022年修订" in p.stdout and "第五十条" in p.stdout
    j = subprocess.run([sys.executable, "-m", "rag", "diff", "职业教育法", "--topic", "实习", "--json"],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    data = json.loads(j.stdout)
    assert data["topic"] == "实习" and any(p["new"] == "第五十条" for p in data["pairs"])
    one = subprocess.run([sys.executable, "-m", "rag", "diff", "青岛市职业教育条例", "--topic", "实习"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert one.returncode == 2 and "只有一个版本" in one.stderr
