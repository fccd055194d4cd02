"""One figure grammar: values, units and kinds; what is not a figure; highlighting and blanking use the same spans."""

from __future__ import annotations

import pytest

from rag.figures import figure_keys, find_figures, mark_figures, strip_figures


@pytest.mark.parametrize("text, raw, value, kind", [
    ("培养高素质技术技能人才9.2万人", "9.2万人", 92000, "count"),
    ("技术服务金额达到1.05亿元", "1.05亿元", 1.05e8, "amount"),
    ("比例超过50%", "50%", 50, "percent"),
    ("比例超过百分之五十", "百分之五十", 50, "percent"),
    ("岗位实习时间一般为6个月", "6个月", 6, "period"),
    ("学制三年", "三年", 3, "period"),
    ("专业课教师到企业实践不少于两个月", "两个月", 2, "period"),
    ("斩获3金1银", "3金", 3, "count"),
    ("展览面积18834平方米", "18834平方米", 18834, "count"),
    ("增长8.5个百分点", "8.5个百分点", 8.5, "percent"),
    ("按照职工工资总额的百分之一点五至百分之二点五提取", "百分之一点五", 1.5, "percent"),  # not the fraction 百分之一
    ("不超过千分之三", "千分之三", 0.3, "percent"),
    ("处三万元以上十万元以下罚款", "三万元", 30000, "amount"),
    ("并处十万元以下罚款", "十万元", 100000, "amount"),  # 十 alone is a number when a scale or a unit follows
    ("不得低于标准的十倍", "十倍", 10, "count"),
    ("一共有7处发射基地", "7处", 7, "count"),  # measure words beyond the corpus's own (grammar 8)
    ("长宗我部元亲将军队分成2股", "2股", 2, "count"),
    ("现时有3条巴士路线以此处为总站", "3条", 3, "count"),  # 条 counting what follows it, not an article
    ("男子的平均年收入为31,875美元", "31,875美元", 31875, "amount"),  # foreign money is money
    ("投入3000万欧元", "3000万欧元", 30000000, "amount"),
])
def test_a_figure_has_a_value_a_unit_and_a_kind(text, raw, value, kind):
    f = find_figures(text)[0]
    assert (f.raw, f.value, f.kind) == (raw, value, kind)


@pytest.mark.parametrize("text", ["2022年5月1日起施行", "第四十六条", "依照第3条规定", "本法3条第二款", "外资24条”", "第二批试点", "千方百计", "一个基地", "五金建设", "两岸交流",
                                  "“十百千万”产业工匠队伍", "百年老校", "“学历教育+职业培训”三位一体的培养模式",
                                  "四省边际8·8人才交流会"])
def test_years_dates_ordinals_and_words_are_not_figures(text):
    assert find_figures(text) == []


def test_what_a_figure_counts_is_the_clause_before_it():
    f = find_figures("2020年，全省培养技术技能人才9.2万人，开展社会培训33万多人")
    assert [x.raw for x in f] == ["9.2万人", "33万多人"]
    assert "技术技能人才" in f[0].measure and "社会培训" in f[1].measure


def test_values_compare_whatever_the_notation():
    assert figure_keys("9.2万人") == figure_keys("92000人")
    assert figure_keys("百分之五十") == figure_keys("50%")
    assert figure_keys("2022年") == {(2022.0, False)}, "checking an answer needs every number, a year included"


def test_highlighting_and_blanking_use_the_same_spans():
    assert mark_figures("培养9.2万人，增长50%", lambda r: f"<b>{r}</b>") == "培养<b>9.2万人</b>，增长<b>50%</b>"
    assert strip_figures("辽宁 9.2万人 技能人才").split() == ["辽宁", "技能人才"]


def test_latin_units_are_part_of_the_figure():
    assert [(f.raw, f.unit) for f in find_figures("陆地面积为1750.33km²，有效距离30km，主频4.7 GHz")] == \
        [("1750.33km²", "km²"), ("30km", "km"), ("4.7 GHz", "GHz")]
    assert find_figures("ISO9001认证") == []


def test_one_year_bounded_is_a_period_and_a_turn_of_phrase_is_not():
    """参加失业保险一年以上, 满一年, 不超过一年 state a period; 一年来, 一年一度 do not."""
    for text in ("参加失业保险一年以上。", "工作满一年的", "实习期不超过一年", "应在一年内提出申请"):
        assert [(f.raw, f.kind) for f in find_figures(text)] == [("一年", "period")], text
    for text in ("一年来培养了9.2万人", "一年一度的技能节", "一年以来"):
        assert not [f for f in find_figures(text) if f.raw == "一年"], text
