"""The question parsed once: places from the division list, years, ordinals, articles, documents, the expected answer
type, the counted noun, and follow-ups resolved by slot. Real jieba and OpenCC; no index needed."""

from __future__ import annotations

import pytest

from rag.places import find_places, first_place, main_place, provinces
from rag.query import AnswerType, condense, enumerates, ordinals_in, parse_query
from rag.records import Filters


@pytest.mark.parametrize("question, expected", [
    ("辽宁全省一年来培养了多少技能人才？", AnswerType.COUNT),
    ("技术服务金额达到多少钱？", AnswerType.AMOUNT),
    ("青海中职学生升入高职的比例是多少？", AnswerType.PERCENT),
    ("新职教法是哪天开始施行的？", AnswerType.DATE),
    ("岗位实习一般多长时间？", AnswerType.PERIOD),
    ("专家组组长由谁担任？", AnswerType.PERSON),
    ("哪所学校承办了花艺赛项？", AnswerType.ORG),
    ("成立大会在哪个城市召开？", AnswerType.PLACE),
    ("哪些地方在做厂中校？", AnswerType.LIST),
    ("职业学校能不能安排一年级学生去岗位实习？", AnswerType.YESNO),
    ("职业教育法对企业有什么要求？", AnswerType.PROVISION),
    ("为什么要推进产教融合？", AnswerType.EXPLANATION),
    ("新条例施行以后，哪部老条例同时作废了？", AnswerType.DOCUMENT),
    ("哪些企业应当拿出一定比例的岗位接纳教师实践？", AnswerType.LIST),
    ("企业学徒岗位占比是多少？", AnswerType.PERCENT),
    ("非全日制专科的修业年限跟全日制一样吗？", AnswerType.EXPLANATION),
    ("专科的学制是几年？", AnswerType.PERIOD),
    ("原来那部老条例叫什么？", AnswerType.DOCUMENT),
    ("新条例是哪天开始施行的？", AnswerType.DATE),
    ("这部分内容由哪个部门负责？", AnswerType.ORG),
    ("实训基地的主跑道有多长？", AnswerType.COUNT),  # a length; 实习期多长 stays a period
    ("实习期多长？", AnswerType.PERIOD),
    ("顶岗实习学生每周工作时间最多多少？", AnswerType.PERIOD),  # hours, not a count of students
    ("营利性民办学校的学费收多少，是政府定还是学校自己定？", AnswerType.YESNO),  # a choice, not an amount
    ("那位会哈萨克刺绣的同学叫什么？", AnswerType.PERSON),
    ("孟州的刘松男上大学那几年，雨露计划每年补他多少钱？", AnswerType.AMOUNT),  # 那几年 names time, like 这几年
    ("增值税要降到几个点？", AnswerType.PERCENT),  # percentage points (几点 alone asks a time of day)
    ("学费收多少可以学校自己说了算吗？", AnswerType.YESNO),  # whether the school decides, not how much
    ("高职扩招了多少人，完成目标了吗？", AnswerType.COUNT),
    ("学费一年要交多少钱，可以分期吗？", AnswerType.AMOUNT),  # two questions: the amount first
    ("中职学制是几年，可以延长吗？", AnswerType.PERIOD),
    ("全市一共布设了多少个点位？", AnswerType.COUNT),  # sites, not percentage points
    ("发文字号是国发〔2023〕几号？", AnswerType.COUNT),  # a document's number, not a day of the month (measure 号)
    ("我们有几个专业想试办本科层次职业教育，要报谁批？", AnswerType.ORG),  # 有几个…想: "a few"; 报谁批 asks who approves
    ("有个从新疆来的学生，叫啥名字？", AnswerType.PERSON),
])
def test_expected_answer_type_from_the_wording(question, expected):
    assert parse_query(question).answer_type is expected


def test_traditional_question_parses_exactly_like_the_simplified_one():
    t, s = parse_query("臨朐縣產教融合有哪些做法？"), parse_query("临朐县产教融合有哪些做法？")
    assert (t.norm, t.units, t.words, t.bigrams, t.answer_type) == (s.norm, s.units, s.words, s.bigrams, s.answer_type)
    assert [p.full for p in t.places] == [p.full for p in s.places] == ["临朐县"]


def test_anchors_years_ordinals_articles_and_documents():
    q = parse_query("2022年职教法第五十条和第二批试点怎么说？")
    assert q.years == ("2022",) and q.articles == (50,) and ("批", 2) in q.ordinals
    assert parse_query("香港的第一条铁路是哪条铁路？").articles == ()  # a way, not an article
    # 第一次颁布 / 首次提出 say “for the first time”; 第一次全国职业教育工作会议 names an event
    assert parse_query("职业教育法第一次颁布是哪年？").ordinals == parse_query("首次提出技能提升行动是哪年？").ordinals == set()
    assert parse_query("第一次全国职业教育工作会议在哪年召开？").ordinals == {("次", 1)}
    assert parse_query("首次提出职业技能提升行动是哪年？").asks_document_year
    assert "职业教育法" in q.documents
    # 首批 / 首届 is the first one: the question's 第一批 is met by the text's 首批 (and the other way round)
    assert ordinals_in("首批遴选15家产教融合型企业") == ordinals_in("第一批") == {("批", 1)}
    assert ordinals_in("2002年首届苏州市美容美发职业技能大赛") == parse_query("大赛第一届是哪年办的？").ordinals
    assert "第五" not in q.units and "五十" not in q.units, "an article number is an anchor, not a content word"
    assert parse_query("《青岛市职业教育条例》第50条").documents[0] == "青岛市职业教育条例"
    # an alias inside a longer name is written out in it; beside another name (和) it stays a document of its own
    assert parse_query("民促法实施条例第四十六条").documents == ("民办教育促进法实施条例",)
    assert parse_query("民促法实施条例最早是哪年公布的？").documents == ("民办教育促进法实施条例",)  # whatever follows
    assert parse_query("北京职教法实施办法第35条讲的是啥？").documents == ("北京职业教育法实施办法",)
    assert "职业教育法" in parse_query("新职教法和老职教法有什么区别").documents
    assert parse_query("2019年那份报告对证书衔接有说法没？").documents == ("政府工作报告",)
    assert parse_query("2025年国务院报告里那个三年计划叫啥？").documents == ("政府工作报告",)
    # a document number's year names the document, not the year of its facts; a quantity is not a year
    assert parse_query("鲁人社发〔2023〕5号里一年最多能领几次补贴？").years == ()
    assert parse_query("2023年超过2000万人次看直播吗？").years == ("2023",)


def test_counted_noun_and_measure_word():
    q = parse_query("安庆职院拿了几个金奖？")
    assert q.answer_type is AnswerType.COUNT and q.measure == "个" and q.focus == "金奖"
    assert parse_query("通山县职业教育中心目前在校生有多少人？").focus == "在校生"
    assert parse_query("担任技能导师的大国工匠有几位？").measure == "位"
    assert parse_query("政府工作报告计划培训多少新型职业农民？").focus == "新型职业农民"
    # the measure asked, not a money or rough-number word around it
    assert (parse_query("技能提升补贴一个人一年最多能领几次？").answer_type, parse_query("技能提升补贴一年最多能领几次？").measure) \
        == (AnswerType.COUNT, "次")
    assert parse_query("生均公用经费至少是普通高中的几倍？").measure == "倍"
    assert parse_query("A-135共有几处发射基地？").measure == "处"
    # 有什么规定 frames a question about a rule: 规定 is neither a content word nor the focus (“本规定所指…”)
    q = parse_query("中职学生实习报酬有什么规定？")
    assert "规定" not in q.units and q.focus != "规定" and "报酬" in q.units
    # a verb that is part of the noun phrase, adverbs jieba tags as nouns
    assert parse_query("第二届大国工匠大会一共有多少个参展单位？").focus == "参展单位"
    assert parse_query("成立大会来了多少参会代表？").focus == "参会代表"
    assert parse_query("名单里一共有多少个？").focus == ""
    # a vote asks the share that must agree (经2／3以上组成人员同意), not a head count
    assert parse_query("民办学校要换校长，决策机构里得有多少人同意才算通过？").answer_type is AnswerType.PERCENT
    # 多少钱 / 多少人次 say the kind of figure; what it is about stands before: the grant, not the money
    assert parse_query("博士研究生国家助学金是每人每年多少钱？").focus == "国家助学金"
    assert parse_query("农民工职业技能提升培训定了多少人次的任务？").focus.endswith("培训")
    # a rate asked after a head count: the rate is what the share is of (通过率), not the count's noun
    q = parse_query("长风新村街道这期茶艺师培训有多少人参加，考证通过率是多少？")
    assert q.answer_type is AnswerType.PERCENT and q.focus == "考证通过率"
    assert parse_query("2023年全国高校毕业生的就业率是多少？").focus == "就业率"
    # 人次 run into the noun it counts (惠及学生3400多万人次); 计划要 plans, it is not a plan counted
    assert parse_query("去年奖助学金和助学贷款一共惠及多少人次学生？").focus == "学生"
    assert parse_query("从失业保险基金结余拿钱搞职工培训，计划要覆盖多少人次？").focus != "计划"
    assert parse_query("湖南2023年在湘招生院校计划招生多少人？").focus.endswith("计划")  # 计划招生165882人
    assert parse_query("黎明职业大学给学生配了多少名校内外创业导师？").focus.endswith("创业导师")
    assert parse_query("没经过批准就私自办民办学校，举办者会被罚多少钱？").focus == "罚款"  # not who pays it
    # 每个学生 is the rate's denominator: what is paid is the topic before it, across the comma
    assert parse_query("2019年设立的中职国家奖学金，每个学生一年能拿多少钱？").focus == "国家奖学金"
    # what follows 多少钱 is what is paid (a verb inside the phrase kept); 哪家职校…罚多少钱 asks the fine, not the school
    assert parse_query("在山东考出中级工证书，能领多少钱技能提升补贴？").focus == "技能提升补贴"
    assert parse_query("要是青岛哪家职校搞有偿招生，情节严重的要罚多少钱？").focus == "罚款"
    assert parse_query("湖南高职单招另外还放了多少名额？").focus == "名额"  # 名额 is a word, not 名 + 额
    # a generic head (目标, 总数) gives way to the word it is a target of; a share of the total keeps it
    assert parse_query("2023年政府工作报告给今年定的高职扩招目标是多少人？").focus == "扩招"
    assert parse_query("岗位实习学生人数一般不能超过实习单位在岗职工总数的多少？").focus.endswith("总数")
    assert parse_query("理事会最少要有几个人？").measure == "人"
    q = parse_query("同时办了好几所学校的举办者，多少年内不得再办学？")
    assert q.answer_type is AnswerType.PERIOD and q.measure == "年"
    assert parse_query("学校发了多少奖金？").measure == "元" and not parse_query("学校发了多少奖金？").measure_asked
    assert parse_query("学校发了多少万元奖金？").measure_asked
    # the magnitude between the question word and the measure (多少万人), and measures beyond the common ones
    q = parse_query("高职院校要扩招多少万人？")
    assert q.measure == "人" and q.asks_magnitude
    assert parse_query("那部短视频最后得了多少票？").measure == "票"
    assert not parse_query("高职院校要扩招多少人？").asks_magnitude
    q = parse_query("现场决赛每个项目答辩给几分钟？")
    assert q.answer_type is AnswerType.PERIOD and q.measure == "分钟"
    assert parse_query("学生交的学费排在第几位？").ordinal_asked == "位", "第几位 asks a rank, not a count of people"
    assert parse_query("这是乐队的第几张专辑？").ordinal_asked == "张", "an album's number, not a chart place (第18位)"


def test_the_post_or_prize_whose_holder_is_asked():
    assert parse_query("2023年苏州市美容美发职业技能大赛的冠军是谁啊？").role == "冠军"
    assert parse_query("产教融合共同体的理事长单位是哪所学校？").role == "理事长单位"
    assert parse_query("给学生讲湘绣技巧的那位副馆长是谁？").role == "副馆长"
    assert parse_query("民办学校应由哪个部门审批？").role == ""  # who approves: an agent, not a post
    assert parse_query("冠军有多少人？").role == ""  # only for who / which questions
    # the post named with the verb that holds it
    assert parse_query("评审会上专家组组长由谁担任？").role == "专家组组长"
    assert parse_query("谁担任专家组组长？").role == "专家组组长"
    assert parse_query("2001年，叶盛茂接替谁担任调查局局长？").role == ""  # 谁 is whom he replaced, not the holder
    assert parse_query("这本书的第二版是谁写的？").role == ""  # an author is asked, not a post
    # a prize asked without 的 before it, or won by a verb after 谁
    assert parse_query("美妆艺术邀请赛最后冠军是谁？").role == "冠军"
    assert parse_query("邀请赛的一等奖最后是谁拿走的？").role == "一等奖"
    assert parse_query("技能大赛的金奖被哪所学校拿走了？").role == "金奖"


def test_who_hosted_or_led_asks_an_organisation_and_the_verb_it_did():
    q = parse_query("那次交流会是谁承办的？")
    assert q.answer_type is AnswerType.ORG and q.agent_verb == "承办"
    q = parse_query("市域产教联合体的牵头单位是谁？")
    assert q.answer_type is AnswerType.ORG and q.agent_verb == "牵头"
    assert parse_query("实习责任保险的费用由谁承担？").agent_verb == ""  # who pays: the one after 由, as before
    # how many and together: 是哪两家单位联合承办的 asks the verb's own clause (…联合主办，A、B联合承办)
    assert parse_query("成立大会是哪两家单位联合承办的？").agent_verb == "承办"


def test_region_filter_counts_as_a_place_named_in_the_question():
    plain = parse_query("产教融合有哪些做法？")
    filtered = parse_query("产教融合有哪些做法？", filters=Filters(regions=("辽宁",)))
    assert not plain.places and [p.short for p in filtered.places] == ["辽宁"]
    assert "辽宁" in filtered.units and "辽宁" not in plain.units


def test_places_come_from_the_division_list_with_their_province():
    (p,) = find_places("临朐县产教融合")
    assert (p.province, p.city, p.level, p.label) == ("山东", "潍坊", "county", "山东临朐")
    assert first_place("大连金普新区市域产教联合体") == ("辽宁", "大连")
    assert [x.short for x in find_places("广西壮族自治区和新疆维吾尔自治区")] == ["广西", "新疆"]
    assert len(provinces()) == 34


def test_short_names_count_only_as_whole_words():
    assert not find_places("打造国家级示范县"), "示范县 does not hold 范县"
    assert not find_places("城市中职学校"), "城市中 does not hold 市中"
    assert not find_places("成渝地区双城经济圈建设")[1:], "双城 (a district of 哈尔滨) is an everyday word here"
    assert [p.short for p in find_places("在大连开展")] == ["大连"]
    # 新建 (to build) and 长寿 are words first; written in full they are districts (found on CMRC: 博物馆在哪 → 新建)
    assert [p.name for p in find_places("决定新建黑龙江省博物馆新馆")] == ["黑龙江省"]
    assert [p.name for p in find_places("南昌市新建区")] == ["南昌市", "新建区"]


def test_a_document_is_placed_where_it_mostly_speaks_of():
    assert main_place("重庆市璧山区……重庆……璧山职教中心……四川宜宾") == ("重庆", "璧山")


@pytest.mark.parametrize("follow, previous, expected", [
    ("那青海呢？", "辽宁培养了多少技能人才？", "青海培养了多少技能人才？"),
    ("那高职呢？", "中职学校学生的岗位实习一般多长时间？", "高职学校学生的岗位实习一般多长时间？"),
    ("2021年呢？", "2019年政府工作报告提出扩招多少人？", "2021年政府工作报告提出扩招多少人？"),
    ("第五十一条呢？", "职业教育法第五十条规定了什么？", "职业教育法第五十一条规定了什么？"),
    ("那大连职业技术学院呢", "重庆市工业学校有多少学生？", "大连职业技术学院有多少学生？"),
])
def test_follow_up_substitutes_the_slot_of_the_same_type(follow, previous, expected):
    assert condense(follow, [previous]) == (expected, True)
    q = parse_query(follow, [previous])
    assert q.standalone == expected and q.text == follow and q.follow_up


@pytest.mark.parametrize("follow, previous", [
    ("还有哪些？", "哪些地方在做厂中校？"),
    ("那本科呢", "辽宁培养了多少技能人才？"),
    ("职业教育法是哪一年修订的？", "辽宁培养了多少技能人才？"),
])
def test_follow_up_that_cannot_be_read_is_a_fresh_question(follow, previous):
    assert condense(follow, [previous]) == (follow, False)


def test_a_question_in_two_parts_is_typed_by_the_part_that_asks():
    assert parse_query("上海有没有面向中小学生的职业体验品牌活动？叫什么").answer_type is AnswerType.EXPLANATION
    assert parse_query("有没有湖南的高职带队去东北访企拓岗的？是哪所").answer_type is AnswerType.ORG
    assert parse_query("有没有湖南的高职带队去东北访企拓岗的？").answer_type is AnswerType.YESNO


def test_a_question_word_in_a_supposition_is_indefinite_the_clause_after_it_asks():
    # 哪个区 in 要是…哪个区… means "some district": what is asked is how the surcharge is handled, not a place
    assert parse_query("要是青岛哪个区压根不办职业教育，那它的教育费附加该咋处理？").answer_type is AnswerType.EXPLANATION
    assert parse_query("如果哪家企业不给实习学生买保险，会受到什么处罚？").answer_type is AnswerType.PROVISION
    assert parse_query("无论哪个区，教育费附加用于职业教育的比例不低于多少？").answer_type is AnswerType.PERCENT
    assert parse_query("青岛哪个区不办职业教育？").answer_type is AnswerType.PLACE


def test_an_organisation_noun_before_what_asks_for_it_asks_for_an_organisation():
    assert parse_query("共同体的理事长单位是哪家？").answer_type is AnswerType.ORG
    assert parse_query("正在筹建的那所职业本科学校叫什么名字？").answer_type is AnswerType.ORG
    assert parse_query("这所学校的校长叫什么名字？").answer_type is AnswerType.PERSON
    assert parse_query("学校在哪个城市？").answer_type is AnswerType.PLACE


def test_these_few_years_name_a_span_of_time_they_do_not_ask_one():
    q = parse_query("这个活动办了这几年，累计惠及了多少中小学生？")
    assert q.answer_type is AnswerType.COUNT and q.focus == "中小学生"
    assert parse_query("学制是几年？").answer_type is AnswerType.PERIOD
    # 那几个项目 / 这几所学校 point at things already named: what is asked comes after
    q = parse_query("安庆职院那几个项目后来在国赛上拿了什么名次？")
    assert q.answer_type is not AnswerType.COUNT and q.focus == "名次"
    q = parse_query("这几所学校一共有多少学生？")
    assert q.answer_type is AnswerType.COUNT and q.measure == "" and q.focus == "学生"
    assert parse_query("是哪几个项目进了决赛？").wants_list


def test_which_year_and_which_dimension_are_part_of_the_question():
    assert parse_query("这项竞赛要办到哪一年？").asks_year and not parse_query("新职教法是哪天开始施行的？").asks_year
    assert parse_query("学校总占地面积有多大？").dimension == "area"
    assert parse_query("光电追踪仪的追踪距离有多远？").dimension == "length"
    assert parse_query("学校有多少名教师？").dimension == ""


def test_a_province_counts_as_named_by_its_one_character_name_after_a_verb_of_going():
    from rag.places import mentions

    xinjiang = find_places("新疆")[0]
    assert mentions(xinjiang, "湖北水职院争取了40个在疆招生计划") and mentions(xinjiang, "对口援疆工作")
    assert not mentions(xinjiang, "疆域辽阔") and not mentions(find_places("湖北")[0], "在鄂尔多斯市")


def test_organisation_names_beyond_schools():
    from rag.query import institutions

    text = "由湖南省教育厅主办，学院与湖南省第二测绘院共建，受北京对外文化贸易协会委托，报国务院教育行政部门批准，由学术委员会调查"
    assert institutions(text) == ["湖南省教育厅", "湖南省第二测绘院", "北京对外文化贸易协会", "国务院教育行政部门", "学术委员会"]
    # a verb of policy text run into the noun after it is not a name
    assert institutions("引导学校和教师以立德树人，着力提升学校的国际知名度，由湖南机电职业技术学院承办") == ["湖南机电职业技术学院"]
    assert institutions("支持民办学校发展") == ["民办学校"]
    # a photo caption run into the name
    assert institutions("技能大赛中药传统技能赛项比赛现场广东生态工程职业学院学生") == ["广东生态工程职业学院"]
    assert institutions("由人民法院组织清算，审批机关受理申请") == ["人民法院", "审批机关"]
    # 全 before 国 begins a name (全国学生资助管理中心); before 省 it is “the whole”
    assert institutions("据全国学生资助管理中心统计") == ["全国学生资助管理中心"]
    assert parse_query("学校被终止了，谁来负责给它清算？").answer_type is AnswerType.ORG


def test_the_term_a_definition_question_asks_about():
    assert parse_query("什么是“岗位实习”？").defined_term == "岗位实习"
    assert parse_query("产教融合型企业指的是什么").defined_term == "产教融合型企业"
    assert parse_query("双高计划是啥意思？").defined_term == "双高计划"
    assert parse_query("蓍的别名是什么？").defined_term == "蓍"
    assert parse_query("能解释一下1+X证书制度吗？").defined_term == "1+x证书制度"
    assert parse_query("“雨露计划”是干什么用的？").defined_term == "雨露计划"
    assert parse_query("市域产教联合体到底是个什么东西？").defined_term == "市域产教联合体"
    assert parse_query("职教圈最近常说的“五金”建设，这“五金”是哪五个？").defined_term == "五金"
    assert parse_query("职业教育法对企业有什么要求？").defined_term == ""
    assert parse_query("张雨生的第六张国语专辑是什么？").defined_term == "", "a long phrase with 的 asks a fact, not a term"


def test_a_two_digit_year_opening_the_question_is_a_year():
    assert parse_query("25年中央预算内投资拟安排多少钱？").years == ("2025",)
    assert parse_query("20年来培养了多少人？").years == ()


def test_a_dimension_word_used_as_an_adverb_asks_no_dimension():
    """深度服务了多少个园区 counts parks (深度 = deeply); 高度是多少米 / 深度有多少 ask a length."""
    assert parse_query("重庆电子工程职业学院深度服务了多少个园区？").dimension == ""
    assert parse_query("高度重视就业，新增了多少个岗位？").dimension == ""
    assert parse_query("这座塔的高度是多少米？").dimension == "length"
    assert parse_query("湖的深度有多少？").dimension == "length"


def test_a_term_of_counts_and_shared_characters_asks_for_its_items():
    """“五金”是哪五个 / 三教改革是什么 / “三去一降一补”展开说: the items are asked, each opening with its mark."""
    assert parse_query("职教圈说的“五金”建设，到底是哪五金？").abbreviation == ((5, "金"),)
    assert parse_query("三教改革是什么？").abbreviation == ((3, "教"),)
    assert parse_query("“三去一降一补”展开说是哪五项任务？").abbreviation == ((3, "去"), (1, "降"), (1, "补"))
    for question in ("这个计划分哪三个方面？", "“三个全覆盖”是谁说的？", "“六片”指的是什么？", "两岸交流是什么？"):
        assert parse_query(question).abbreviation == (), question
    assert enumerates(((5, "金"),), "关于“金专、金课、金师、金地、金教材”的讲话") == "金专、金课、金师、金地、金教材"
    assert enumerates(((3, "去"), (1, "降"), (1, "补")), "抓好去产能、去库存、去杠杆、降成本、补短板，加强") \
        == "去产能、去库存、去杠杆、降成本、补短板"
    assert enumerates(((3, "教"),), "侵犯教师、受教育者、学校或者其他教育机构的合法权益") == ""


def test_how_high_a_rank_or_a_rate_is_asks_no_length():
    """级别有多高 / 收视率有多高 ask a rank or a rate; 这座山有多高 a length."""
    assert parse_query("中国（南京）国际象棋超级大赛的级别有多高？").dimension == ""
    assert parse_query("这座山有多高？").dimension == "length"


def test_how_many_of_a_rate_asks_a_percentage():
    """按多少税率缴纳 asks a rate, as 税率是多少 does."""
    assert parse_query("营利性民办职业学校的企业所得税按多少税率缴纳？").answer_type is AnswerType.PERCENT


def test_a_version_word_before_a_documents_name_is_not_part_of_it():
    """新修订的职业教育法 names the 职业教育法 (whose 2022 revision is in force), so its title anchors the answer."""
    assert parse_query("新修订的职业教育法要求企业的学徒岗位至少占岗位总量的百分之几？").documents == ("职业教育法",)



def test_what_is_set_aside_is_named_not_pointed_at():
    assert parse_query("除了婴幼儿照护服务的，还同时成立了哪个产教融合共同体？").excluded == "婴幼儿照护服务"
    assert parse_query("除此之外，还成立了哪个共同体？").excluded == ""


def test_the_topic_of_a_target_or_a_shared_head_is_what_is_counted():
    """城镇新增就业预期目标是多少: 预期 says what kind of target, like 目标 itself; 多少个国家级和省级技能大师工作室: both
    conjuncts count the head they share, not 国家级."""
    assert parse_query("2023年定的城镇新增就业预期目标是多少？").focus == "就业"
    assert parse_query("贵州建成了多少个国家级和省级技能大师工作室？").focus == "技能大师工作室"
    assert parse_query("高职扩招目标是多少人？").focus == "扩招"


def test_those_who_did_it_are_counted_by_the_verb_and_a_rule_is_no_topic():
    """看展的有多少人次: no noun is counted, the verb before 的 names those who did it (not 现场 before it); 规定多久一次:
    the rule is the question's frame, not its topic; 规定的最低工资: a rule's figure, its noun the topic."""
    assert parse_query("大会开了三天，现场去看展的大概有多少人次？").focus == "看展"
    assert parse_query("专业课教师要下企业实践，规定多久一次？").focus == ""
    assert parse_query("国家规定的最低工资是多少？").focus == "最低工资"
    assert parse_query("一等奖，比上一年度多了几个？").focus == ""  # 比…: the base of a comparison


def test_a_prize_after_the_verb_is_the_post_asked():
    """谁拿了冠军 / 哪所学校夺得了一等奖 ask the holder of a prize, as 冠军是谁 does."""
    assert parse_query("第五届美妆艺术邀请赛最后谁拿了冠军？").role == "冠军"
    assert parse_query("哪所学校夺得了一等奖？").role == "一等奖"
