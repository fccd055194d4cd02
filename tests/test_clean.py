"""The cleaner on the five real seed pages: what noise goes, what content (every figure) stays."""

from __future__ import annotations

import re

import pytest

from rag.ingest.clean import clean_text, strip_pinyin
from rag.ingest.load import read_file
from rag.text import match_key, split_sentences
from tests.conftest import SEEDS


def seed(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    raw = read_file(path).text
    return raw, clean_text(raw)


def kept(cleaned, *phrases):
    body = match_key(cleaned.text)
    return all(match_key(p) in body for p in phrases)


def gone(cleaned, *phrases):
    body = match_key(cleaned.text)
    return all(match_key(p) not in body for p in phrases)


def test_seed000_drops_welcome_breadcrumb_captions_and_disclaimer_keeps_figures():
    raw, c = seed("000")
    assert c.title == "要闻:辽宁产教融合推进职业教育优质快速发展"
    assert c.date == "2020-12-26" and c.url == "http://www.ptwc.com.cn/zyjy/2452.html"
    assert gone(c, "欢迎来到", "主页 >", "本篇文章1322字", "免责声明", "澎湃教育网介绍", "地址:http")
    assert match_key(c.text).count(match_key("要闻:辽宁产教融合推进职业教育优质快速发展")) == 0, "title captions stay out"
    assert kept(c, "培养高素质的技术技能人才9.2万人", "633个项目", "33万多人", "1.05亿元", "13900人", "年均训练学生21万多人")


def test_seed001_drops_site_chrome_related_list_and_copyright_keeps_body():
    raw, c = seed("001")
    assert c.title == "大连金普新区入选国家首批市域产教联合体"
    assert c.source == "辽宁省教育厅" and c.date == "2023-09-13"
    assert gone(c, "教育装备采购网", "校体购", "相关阅读", "17个!河南省", "版权与免责声明", "责任编辑", "围观2321次")
    assert kept(c, "第一批28个拟入围国家级市域产教联合体", "共同牵头", "4所高职院校、6所本科院校、7所中职学校、25家企业")


def test_seed002_drops_ad_with_foreign_url_and_footer_keeps_stripped_year_sentences():
    raw, c = seed("002")
    assert c.title == "吹响川渝职业教育协同发展的嘹亮号角"
    assert c.url == "http://www.1xbbk.net/jwbzn/4984.html"
    assert gone(c, "白癜风", "39.net", "转载请注明", "上一篇", "ICP备", "网站简介")
    # the year digits were stripped in the source; the sentence is still content and stays
    assert kept(c, "年成渝地区双城经济圈职业教育活动周联合启动仪式", "14个产业学院", "6万多名实用型技术人才")


def test_seed003_removes_glued_pinyin_repairs_broken_char_and_duplicate_paragraphs():
    raw, c = seed("003")
    assert "(fā)" in raw and "(fā)" not in c.text
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü]{1,7}\)", c.text)
    assert "??" not in c.text and "召開縣委常委" in c.text, "the '??h' left by a lost 縣 is rebuilt from the title"
    assert c.date == "2024-04-05"
    para = "華鋁家居就培養新媒體營銷專業人才"
    assert strip_pinyin(raw).count(para) == 2 and c.text.count(para) == 1
    assert kept(c, "在辰泰重鋼、伊利乳業、寶龍達3家聯盟企業", "廠中校")


def test_seed004_keeps_every_figure_sentence_of_the_article():
    raw, c = seed("004")
    assert c.source == "教育部" and c.date == "2022-03-25" and c.title == "青海省“五项措施”推动职业教育发展"
    assert gone(c, "相关阅读", "2024年淮安市", "版权与免责声明", "2023云展会")
    body_start = raw.index("青海省认真学习")
    body_end = raw.index("来源:教育部")
    for sentence in split_sentences(raw[body_start:body_end]):
        if re.search(r"\d", sentence):
            assert match_key(sentence) in match_key(c.text), sentence


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_figure_sentence_of_a_seed_body_is_lost(prefix):
    """Anything with a digit that was removed must be page furniture, never article text."""
    raw, c = seed(prefix)
    for line in c.removed:
        tag, _, text = line.partition("] ")
        if re.search(r"\d", re.sub(r"https?://\S+", "", text)) and len(text) > 40 and tag not in {"[页脚", "[重复段落", "[页头导航"}:
            pytest.fail(f"{prefix}: figure line dropped as {tag}]: {text[:60]}")


def test_strip_pinyin_keeps_latin_abbreviations():
    assert strip_pinyin("發(fā)布和調(diào)度") == "發布和調度"
    assert strip_pinyin("国内生产总值(GDP)增长(1)") == "国内生产总值(GDP)增长(1)"


def test_structured_law_keeps_articles_and_drops_markup():
    text = "# 某法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了……，制定本法。\n\n第二条 本法所称职业教育。"
    c = clean_text(text, title_hint="某法", structured=True)
    assert "INFO END" not in c.text and "第一条" in c.text and "第二条" in c.text


def test_corpus_junk_never_reaches_the_text():
    """The licence footer of every government work report, 搜狐's footer glued to the last sentence, ✍ bullets."""
    from rag.settings import ROOT

    for rel in ["gov_work_report/gwr_2019_政府工作报告.txt", "news/news_crud_030.txt", "news/news_crud_081.txt"]:
        raw = (ROOT / "corpus" / rel).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        c = clean_text(raw, structured=rel.startswith("gov"))
        for junk in ("Public domain", "\nfalse", "返回搜狐", "查看更多", "✍"):
            assert junk not in c.text, (rel, junk)
    c = clean_text("《办法》规定✍ 我省全面落实国家政策。 ✍ 在中央每生每年2000元测算基础上补助。")
    assert "规定：我省" in c.text and "2000元" in c.text


def test_a_one_line_document_is_kept():
    c = clean_text("2023-08-02 19:05，正文：青海省9所学校入选国家级现代学徒制试点单位")
    assert c.text == "青海省9所学校入选国家级现代学徒制试点单位" and c.date == "2023-08-02"
    # the year's digits stripped from the prefix (as scraped): the prefix still goes, no date is made up from it
    c = clean_text("7-31 10:24，正文：    中新网北京7月31日电  第二届大国工匠创新交流大会闭幕")
    assert c.text.startswith("中新网北京7月31日电") and c.date == ""



@pytest.mark.parametrize("raw, date", [
    ("[2023年07月23日]，正文：拍拉盘捏、塑造成型，面团经巧手变成蝴蝶。", "2023-07-23"),
    ("2023/08/04 ，正文：拍拉盘捏、塑造成型，面团经巧手变成蝴蝶。", "2023-08-04"),
    ("来源：央视新闻  |  2023年07月20日 10:05:25，正文：       拍拉盘捏、塑造成型，面团经巧手变成蝴蝶。", "2023-07-20"),
    ("记者：路艳霞，正文：拍拉盘捏、塑造成型，面团经巧手变成蝴蝶。", ""),
    ("202307/27 17:05:55，正文： 拍拉盘捏、塑造成型，面团经巧手变成蝴蝶。", ""),  # no whole date in it: none made up
])
def test_every_form_of_the_news_prefix_goes_and_its_date_is_kept(raw, date):
    c = clean_text(raw)
    assert c.text == "拍拉盘捏、塑造成型，面团经巧手变成蝴蝶。" and c.date == date


def test_a_one_line_file_becomes_one_chunk(tmp_path):
    from rag.ingest.pipeline import prepare_document
    from rag.settings import Settings

    f = tmp_path / "headline.txt"
    f.write_text("青海省9所学校入选国家级现代学徒制试点单位\n", encoding="utf-8")
    doc, chunks = prepare_document(f, "headline.txt", Settings(corpus_dir=tmp_path, index_dir=tmp_path / "i"))
    assert len(chunks) == 1 and chunks[0].text == "青海省9所学校入选国家级现代学徒制试点单位"
