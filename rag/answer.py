"""The embedded-default answerer: leads with the fact the question asks for (9个, 重庆市工业学校, 2022年5月1日), then
quotes the one sentence that holds it with [n]; lists one case per document; quotes a local rule with its place; and
declines with NOT_FOUND when the fitted evidence model is not confident enough."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from rag.evidence import (FIGURE_OR_DATE, ITEM, KIN, PEOPLE_NOUNS, PEOPLE_UNITS, POSTS, RANK_FAMILIES, Candidate,
                          EvidenceModel, Span, best_span, candidates, clause_up_to, counts_a_frame, find_spans,
                          is_change, is_prior, items_opened, names_a_level, names_asked_thing, noun_after,
                          org_of_kind, other_levels, quote_speaker, rank, ranks_in, speaker)
from rag.figures import find_figures
from rag.places import find_places, first_place
from rag.prompts import NOT_FOUND
from rag.query import MONEY_MEASURES, ORG_KIND_OF, YEAR, AnswerType, Query, enumerates, institutions, parse_query
from rag.records import Answer, Citation, ScoredChunk
from rag.diff import REWRITTEN, LawDiff, version_name
from rag.retrieve import ArticleLookup
from rag.text import bigram_tokens, normalise, pos_tags, to_simplified

_CLAUSE = re.compile(r"(?<=[，,；;：:])")
_SCHOOL_PRONOUN = re.compile(r"我校|我院|本校|本院")
_PLACE_PRONOUN = re.compile(r"我市|本市|我省|本省|我县|本县|我区|本区")
_RULE_PRONOUN = re.compile(r"本条例|本办法|本规定|本法")
_WE = re.compile(r"我们")
_VERSION_NOTE = re.compile(r"[（(][^（）()]*?(?:修订|修正|原文|试行|\d{4})[^（）()]*?[）)]")  # the card shows the version
_LOCAL_PREFIX = re.compile(r"^(\S{2,8}?(?:省|自治区|市|县|区))")


class CitationBook:
    """Numbers chunks in order of first use; a marker can only be minted for a retrieved chunk."""

    def __init__(self, hits: list[ScoredChunk]):
        self.allowed = {h.chunk.chunk_id for h in hits}
        self.citations: list[Citation] = []
        self._by_chunk: dict[str, int] = {}

    def cite(self, hit: ScoredChunk, quote: str) -> int:
        cid = hit.chunk.chunk_id
        if cid not in self.allowed:
            raise ValueError(f"chunk {cid} was not retrieved")
        if cid not in self._by_chunk:
            self._by_chunk[cid] = len(self.citations) + 1
            self.citations.append(Citation.from_hit(hit, self._by_chunk[cid], quote))
        return self._by_chunk[cid]


MEASURED = (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERIOD)


_VENUE_ASKED = re.compile(r"举行|举办|召开|开幕|开赛|成立|在哪.{0,4}办|在哪.{0,6}开的|在哪.{0,6}开会")
_LEVEL_WORD = {"province": "省", "city": "市", "county": "县"}
# 赛项是在哪个学校比的 / 在哪所学校举办: the host school is asked; 一等奖被哪所学校拿走了: the winner is
_VENUE_SCHOOL_ASKED = re.compile(r"在哪(?:个|所|家|一所)?(?:学校|院校|高校|单位)(?:比|举办|举行|办|召开|进行|落幕|开幕)")
_WINNER_ASKED = re.compile(r"拿走|夺得|获得|荣获|斩获|摘得|得主|拿了|拿到|获奖")
# 在广州召开, 于山东济宁举行, 在京开幕: the place is the venue, not just a place the sentence names
_VENUE = re.compile(r"(?:[在于][^，。；,;]{1,14}?|(?:^|[:：])[\u4e00-\u9fff]{2,6})(?:举行|举办|召开|开幕|开赛|成立|落幕|闭幕|揭牌)")


_GENERIC_HEADS = ("单位", "学校", "院校", "机构", "部门", "企业", "公司", "组织")


# a post named by a verb another text may write otherwise (创造者 ← 所创作的), and kin written with one character
_ROLE_VERBS = {"创造": ("创作", "创立", "塑造"), "创作": ("创造", "写作", "撰写"), "创立": ("创办", "创建", "创始"),
               "创办": ("创立", "创建", "创始"), "创始": ("创立", "创办", "创建"), "发明": ("发明了",),
               "设计": ("设计了",), "作": ("作词", "作曲")}


_LEADER_POST = re.compile(r"(?:院|校|厅|局|处|部|署|委|市|省|县|区)长|书记|主任|主席|董事长|理事长|总经理|领导")


def holds_role(role: str, sentence: str, name: str = "") -> bool:
    """The sentence names the post asked about itself, not a deputy's (副理事长 is not 理事长); a post named by its
    verb or in other words counts too (建立者 → 建立, 目标消费人群 → 目标消费者); or the name found says it (the
    测绘单位 asked, 湖南省第二测绘院 found)."""
    if name and any(role[i : i + 2] in name for i in range(len(role) - 1) if role[i : i + 2] not in _GENERIC_HEADS):
        return True
    norm = normalise(sentence)
    if role.endswith("领导") and _LEADER_POST.search(norm):
        return True  # 长沙航院领导 ← 副院长朱国军带队: any post that leads, a deputy's too
    # 指导老师 ← 优秀指导教师: 老师 and 教师 name the same post
    found = [m.start() for r in dict.fromkeys((role, role.replace("老师", "教师"), role.replace("教师", "老师")))
             for m in re.finditer(re.escape(r), norm)]
    if found:
        return any(norm[i - 1 : i] != "副" for i in found)
    stem = re.sub(r"(?<=..)(?:[者方人们]|单位)$", "", role)  # 牵头单位 is held by the one who 牵头
    if stem != role and any(s in norm for s in (stem, *_ROLE_VERBS.get(stem, ()))):
        return True  # 创造者 ← 由伊恩·法兰明所创作
    if (kin := KIN.get(role)) and re.search(f"(?:^|[，,。；;其之胞])(?:{kin})(?:为|是|乃|名)", norm):
        return True  # 弟弟 ← “弟为北宋文人魏泰”
    grams = {role[i : i + 2] for i in range(len(role) - 1)}
    return len(role) >= 4 and sum(g in norm for g in grams) * 2 >= len(grams)


def counts_something_else(q: Query, c: Candidate) -> bool:
    """The candidate's figure is not a measure of what is asked: 几所 answered by “4位”, or money asked (多少补贴)
    and the figure is “五级” or “6部” (a percentage or a multiple may still state money: 不低于工资总额的1.5%)."""
    if q.answer_type not in MEASURED or c.features.get("measure_match", 0.0) >= 0:
        return False
    if q.measure_asked:
        return True
    unit = c.spans[0].unit if c.spans else ""
    return q.answer_type is AnswerType.AMOUNT and not (unit.endswith("元") or unit in ("", "%", "倍", "万", "亿"))


# adverbs jieba tags as nouns in front of 多少 (一共 'j'): not what is counted
_COUNT_ADVERBS = re.compile(r"^(?:一共|总共|共计|合计|累计|目前|现在|大概|大约|一年)+")
# nouns that name the quantity itself, not the thing counted (目标是多少, 计算基数, 顶格罚多少, 几年时间)
# (身高, 面积, 年收入: a dimension measured, not a thing counted, found on cmrc2018)
_QUANTITY_NOUNS = ("时间", "目标", "基数", "顶格", "标准", "金额", "数量", "比例", "规模", "总量", "总数", "数额", "额度",
                   "人数", "数字", "水平", "上限", "下限", "期限", "年限", "长度", "高度", "宽度", "深度", "身高", "体重",
                   "重量", "面积", "收入", "年龄", "距离", "速度", "温度", "价格", "人口", "海拔", "成绩", "分数", "排名",
                   "容量", "容积", "体积")


def counted_thing(q: Query) -> str:
    """What a count question counts, without the adverbs jieba folds into it: 一共多少青年 → 青年."""
    return _COUNT_ADVERBS.sub("", q.focus)


def names_a_pair(focus: str, text: str, q: Query) -> bool:
    """The text writes one of the focus's character pairs, or a synonym of one (孩子 ↔ 子女)."""
    return any(g in text or any(alt in text for alt in q.alternatives.get(g, ()))
               for g in (focus[i : i + 2] for i in range(len(focus) - 1)))


_GENERIC_MEASURES = ("项", "次", "件", "种", "类", "批", "条")  # and 个: they count anything


def _noun_after(c: Candidate) -> str:
    """The words written right after the candidate's figure, up to the clause's end (“奖项” of 69项奖项)."""
    return noun_after(c.simple, c.spans[0])


def provision_before(c: Candidate) -> str:
    """The clause a provision's sentence continues, when the one before it ends in ；(one provision split at it), else
    ''. Only in a law or a regulation: a report's ；separates facts (资助学生…人次；资助金额…亿元)."""
    if c.index <= 0 or c.hit.meta.doc_type not in ("law", "regulation"):
        return ""
    before = c.hit.chunk.sentences[c.index - 1].rstrip()
    return to_simplified(before) if before.endswith(("；", ";")) else ""


def counts_unnamed_thing(q: Query, c: Candidate) -> bool:
    """A count whose thing is named in the question (多少在校生, 几个金奖) answered by a sentence that never names it:
    “6位院校领导” or “91个项目” do not count 在校生 or 金奖. A measure word that says it (几所 → 39所, 几个人 →
    五人) is enough; 个 is not; “3金” and 职校 ↔ 职业院校 name it too."""
    rate = q.answer_type is AnswerType.PERCENT and counted_thing(q).endswith("率")
    if not (q.answer_type in MEASURED or rate) or not c.spans or (c.spans[0].unit == "%" and not rate):
        return False  # a share is of what is written before it; a rate (税率, 就业率) is named, though
    focus = counted_thing(q)
    if len(focus) >= 2 and counts_a_frame(q, c.simple, c.spans[0]):
        return True  # 排查出多少个问题 ← “五个县（市）” (a count's candidates hold no such span; an amount's may)
    after = _noun_after(c) if q.measure in _GENERIC_MEASURES else ""
    if q.measure and q.measure not in ("个", "人次", *MONEY_MEASURES) and c.features.get("measure_match", 0.0) > 0 \
            and not (after and not names_a_pair(focus, after, q)):
        return False  # 几所 → 39所 names schools; 元 names no thing (国家助学金多少钱 ← “资助金额1560.25亿元”), nor
        # does a measure word that counts anything when another noun follows it (二等奖拿了几项 ← “共获得了69项奖项”); 人次
        # counts times something was done to people, and says nothing of what (培训多少人次 ← “临时救助超过800万人次”)
    if len(focus) < 2 or focus.endswith(_QUANTITY_NOUNS) or any(p.short in focus for p in q.places):
        return False
    sent = normalise(c.simple)
    if names_a_pair(focus, sent, q):
        return False  # named, or named by a synonym (孩子 ↔ 子女)
    if (before := provision_before(c)) and names_a_pair(focus, normalise(before), q):
        return False  # …并处…的罚款；违法所得不足一万元的，按一万元计算: one provision, split at its ；
    if focus in normalise(c.hit.meta.title + " " + c.hit.chunk.section):
        return False  # named in the title or heading (the subject of a biography: 张天霖 … 身高182CM)
    sp = c.spans[0]
    if (sp.unit and focus.startswith(sp.unit)) or focus[0] in normalise(c.simple[sp.start + len(sp.text) :][:2]):
        return False  # 3金1银
    chars = "".join(f"{re.escape(ch)}.{{0,3}}" for ch in focus)[:-6]
    return re.search(chars, sent) is None  # 职校 ↔ 职业院校


# the people a figure counts, written right after it (1800余名顺利毕业的学员) or right before it (培训养老护理员37.2万人次)
_PEOPLE_HEADS = ("学员", "代表", "职工", "员工", "学生", "领导", "人员", "教师", "老师", "选手", "毕业生", "人才", "工人", "农民",
                 "干部", "专家", "护理员", "工匠", "用户", "在校生", "队员", "成员", "家庭", "劳动力", "青年", "志愿者", "考生",
                 "人口", "对象")
_PEOPLE_WORDS = "|".join(_PEOPLE_HEADS + PEOPLE_NOUNS)  # any word for people, as an alternation
_PEOPLE_AFTER = re.compile(r"^[余多近约]?(?:[\u4e00-\u9fff]{0,8}?的)?[\u4e00-\u9fff]{0,4}?(" + "|".join(_PEOPLE_HEADS) + ")")
# … or before it, maybe with what they did and a word for the quantity between (监测对象务工539人, 脱贫人口务工规模超过3300万)
_PEOPLE_BEFORE = re.compile(r"([\u4e00-\u9fff]{0,2}(?:" + "|".join(_PEOPLE_HEADS) + r"))"
                            r"(?:务工|就业|参赛|参训|参会|报名|受益|入选)?(?:规模|人数|总数|总量)?(?:达到|达|共|约|近|超过|为)?$")


def counts_other_people(q: Query, c: Candidate) -> str:
    """Whom the figure counts when they are not the people asked about: 多少名鸿蒙开发人才 ← “1800余名顺利毕业的
    学员”, 多少名财富管理学员 ← “培训养老护理员37.2万人次” (the people named, or '')."""
    if q.answer_type not in MEASURED or not c.spans:
        return ""
    focus = counted_thing(q)
    if not focus.endswith(_PEOPLE_HEADS + PEOPLE_NOUNS) and q.measure in PEOPLE_UNITS and _ENROLS.search(q.norm):
        focus = "学生"  # 学前教育专业每年招生多少人: the people counted are the students taken in
    elif len(focus) >= 2 and not focus.endswith(_PEOPLE_HEADS + PEOPLE_NOUNS) and q.measure in PEOPLE_UNITS and (
            m := re.search(rf"([\u4e00-\u9fff]{{0,4}}(?:{_PEOPLE_WORDS})){re.escape(focus)}", q.norm)):
        focus = m.group(1)  # 企业下岗职工技能培训多少人次: the training counts 企业下岗职工
    if len(focus) < 2 or not focus.endswith(_PEOPLE_HEADS + PEOPLE_NOUNS) or focus in ("人", "人次"):
        return ""
    sp = c.spans[0]
    if sp.unit not in PEOPLE_UNITS | {""}:
        return ""  # a bare figure (3300万) may count people too
    text, figure = normalise(c.simple), normalise(sp.text)
    start = text.find(figure)
    if start < 0:
        return ""
    m = _PEOPLE_AFTER.match(text[start + len(figure) :]) or _PEOPLE_BEFORE.search(text[max(0, start - 12) : start])
    if m is None:
        return ""
    label = m.group(0).lstrip("余多近约")
    if other_of_a_kind(focus, label, q.alternatives):
        return label  # 高校毕业生 asked, “1000多万高中毕业生” written
    return "" if names_a_pair(focus, label, q) else m.group(1)


def other_of_a_kind(asked: str, written: str, alternatives: dict[str, tuple[str, ...]] | None = None) -> bool:
    """Two people nouns with one head and different modifiers: 高校毕业生 asked, 高中毕业生 written (not 应届毕业生 for
    毕业生, nor 高校毕业生 for 毕业生)."""
    head = next((asked[-k:] for k in range(min(len(asked), len(written)), 1, -1) if written.endswith(asked[-k:])), "")
    if not head:
        return False
    mod = asked[: -len(head)]
    other = written[: -len(head)][-len(mod) :] if mod else ""
    same = other in alternatives.get(mod, ()) if alternatives else False  # 大学毕业生 is 高校毕业生
    return bool(mod) and bool(other) and mod not in written and other not in asked and not same


_ENROLS = re.compile(r"招生|招收|招多少|录取|在校")


# a total is asked (全省一共评出多少个, 一共多少个项目): counts_one_member and _total_misfit
_TOTAL_ASKED = re.compile(r"全省|全国|全市|全区|一共|总共|共计|总计|总数|合计|共有")


def counts_one_member(q: Query, c: Candidate) -> str:
    """A total asked (全省一共评出多少个一等奖) and the figure is one school's share (湖南大众传媒职业技术学院斩获3项一等奖):
    the name of that school when the question names none, else ''."""
    if q.answer_type not in MEASURED or not c.spans or not _TOTAL_ASKED.search(q.norm) or institutions(q.norm):
        return ""
    sp = c.spans[0]
    before = c.simple[max(0, sp.start - 24) : sp.start]
    names = institutions(before)
    if not names or not re.search(r"(?:获|获得|斩获|夺得|摘得|拿下|荣获|收获)了?(?:共|共计)?$", before):
        return ""
    name = names[-1]
    return name if normalise(name) not in q.norm else ""


_RATE_ASKED = re.compile(r"每人|每生|每名|每位|每个(?:学生|孩子|人)|人均|生均")


def states_a_total_not_a_rate(q: Query, c: Candidate) -> bool:
    """每人每年多少钱 asked and the figure is in 亿: a total (累计资助金额1560.25亿元), not what each one gets."""
    return (q.answer_type is AnswerType.AMOUNT and bool(c.spans) and "亿" in c.spans[0].text
            and _RATE_ASKED.search(q.norm) is not None)


def states_a_local_figure(q: Query, c: Candidate) -> str:
    """全国有多少所职业学校 asked and the figure is one province's (a province's news, no 全国 in the sentence): the
    province, else ''."""
    if q.answer_type not in MEASURED or "全国" not in q.norm or q.places or not c.spans:
        return ""
    region = c.hit.meta.region
    if region in ("", "全国") or re.search(r"全国|我国|中国", normalise(c.simple)):
        return ""
    return region


def states_a_part_figure(q: Query, c: Candidate) -> str:
    """河南全省…惠及多少人次 asked and the figure is one city's or county's of that province (孟州市…惠及3549人次),
    the sentence never speaking of the whole: that place, else ''."""
    whole = re.search(r"全(?:省|区|市)", q.norm)
    if q.answer_type not in MEASURED or not whole or not c.spans:
        return ""
    asked = [p for p in q.places if p.level == ("city" if whole.group(0) == "全市" else "province")]
    sent = normalise(c.simple)
    if not asked or re.search(r"全(?:省|区|市)", sent) or any(p.short in sent for p in asked):
        return ""
    level = ("county",) if whole.group(0) == "全市" else ("city", "county")
    parts = [p for p in find_places(sent) if p.level in level and any(
        p.province == a.province and (whole.group(0) != "全市" or p.city == a.short) for a in asked)]
    return parts[0].name if parts else ""


def states_a_change(q: Query, c: Candidate) -> bool:
    """The figure is how much something grew or fell (比去年多100万人, 比上年增加138.97亿元) and the question asks how
    much there is, not how much it changed."""
    return q.answer_type in MEASURED and bool(c.spans) and not q.asks_change and is_change(c.simple, c.spans[0])


_NATIONAL_CONTEST = re.compile(r"国赛|全国(?:职业院校)?(?:技能)?大赛|全国职业院校|中国国际")
_PROVINCIAL_CONTEST = re.compile(r"省赛|(?:省|自治区)(?:级)?[^，。；,;]{0,20}?(?:大赛|比赛|竞赛)")
_QUALIFY = r"(?:晋级|冲进|进入|进了|闯进|入围|挺进)[^，。；,;？?]{0,4}(?:全国|国赛)"
_QUALIFIED = re.compile(_QUALIFY)
_QUALIFY_ASKED = re.compile(rf"(?:哪|几|多少|谁)[^，,。？?]{{0,8}}{_QUALIFY}")  # 哪几个赛项冲进了国赛, not …晋级国赛后拿了什么奖


def contest_misfit(q: Query, c: Candidate) -> bool:
    """A national contest is asked (国赛, 全国职业院校技能大赛, 中国国际“互联网+”大赛) and the sentence reports a
    province's (第九届安徽省“互联网+”大赛…斩获3金1银; 江苏省职业院校教学能力比赛…2个一等奖)."""
    if not _NATIONAL_CONTEST.search(q.norm) or _PROVINCIAL_CONTEST.search(q.norm):
        return False
    if _QUALIFY_ASKED.search(q.norm) and _QUALIFIED.search(normalise(c.simple)):
        return False  # 哪几个赛项冲进了国赛决赛: who went through to the national final is told by the provincial contest
    text = _contest_named(c)
    return _PROVINCIAL_CONTEST.search(text) is not None and _NATIONAL_CONTEST.search(text) is None


def _contest_named(c: Candidate) -> str:
    """The words that say which contest the sentence reports: its own, or, when it names none (其中，…团队…斩获一等奖),
    the last sentence before it in the passage that names one, else the passage's title (…教师团队省赛“精彩绽放”)."""
    own = normalise(c.simple)
    if _PROVINCIAL_CONTEST.search(own) or _NATIONAL_CONTEST.search(own):
        return own
    before = [normalise(to_simplified(s)) for s in c.hit.chunk.sentences[: max(c.index, 0)]]
    for s in reversed(before):
        if _PROVINCIAL_CONTEST.search(s) or _NATIONAL_CONTEST.search(s):
            return s
    return normalise(to_simplified(c.hit.meta.title))


def clause_before(c: Candidate, stops: str = "") -> str:
    """The words of the candidate's sentence from the last clause break up to its figure (clause_up_to)."""
    return clause_up_to(c.simple, c.spans[0].start, stops)


_TARGET_ASKED = re.compile(r"目标|定了|定的|要完成|计划(?:要|完成)")
_ACHIEVED = re.compile(r"累计|过去五年|过去一年|五年来|以来")


def asks_target(q: Query) -> bool:
    """A target is asked (今年定的高职扩招目标), not what was done (累计, 过去五年…)."""
    return _TARGET_ASKED.search(q.norm) is not None and _ACHIEVED.search(q.norm) is None


def states_achievement_not_target(q: Query, c: Candidate) -> bool:
    """A target is asked (今年定的高职扩招目标) and the figure's clause reports what was done (累计扩招413万人)."""
    if q.answer_type not in MEASURED or not c.spans or not asks_target(q):
        return False
    return _ACHIEVED.search(clause_before(c)) is not None


# what was done is asked (签订了多少份, 培养了多少人), with no word for a plan
_DONE_ASKED = re.compile(r"(?:签订|签约|培养|培训|完成|招收|录取|建成|实现|新增|发放|资助|帮扶|安置|吸纳)了")
_PLAN_WORDS = re.compile(r"目标|计划|预计|要|将|拟|力争|争取|打算|定了|定的")
_PLANNED = re.compile(r"目标|计划|预计|力争|争取|拟|将|到20\d{2}年")


def states_target_not_achievement(q: Query, c: Candidate) -> bool:
    """What was done is asked (法国2023年签订了多少份学徒合同) and the figure's clause gives a target (目标每年100万份)."""
    if q.answer_type not in MEASURED or not c.spans or not _DONE_ASKED.search(q.norm) or _PLAN_WORDS.search(q.norm):
        return False
    return _PLANNED.search(clause_before(c)) is not None


# money that is not spent on something: a deficit, a debt, an income or an output (中央财政赤字1.55万亿元)
_NOT_SPENDING = re.compile(r"(赤字|债券|专项债|国债|税收|收入|利润|营收|产值|总值|增加值)(?:为|达|达到|约|共)?$")


def money_of_another_kind(q: Query, c: Candidate) -> str:
    """Money spent is asked (给职业教育安排了多少中央财政资金) and the figure is a deficit, a debt or an income the
    question does not name (中央财政赤字1.55万亿元): that word, or ''."""
    if q.answer_type is not AnswerType.AMOUNT or not c.spans:
        return ""
    m = _NOT_SPENDING.search(normalise(clause_before(c, "：:（(")))
    return m.group(1) if m and m.group(1) not in q.norm else ""


_MONEY_ASKED = re.compile(r"(?:多少|几)(?:万|亿|千|百)?(?:钱|元|块)")


def not_money(q: Query, c: Candidate) -> bool:
    """多少钱 / 几元 asks money, and the figure is none (班主任津贴每个月发多少钱 ← “…标准的十倍”). A fine may be a
    multiple of what was taken (罚多少钱 ← 处…一倍以上三倍以下罚款)."""
    return q.answer_type is AnswerType.AMOUNT and bool(c.spans) and _MONEY_ASKED.search(q.norm) is not None \
        and not c.spans[0].unit.endswith("元") and not (c.spans[0].unit == "倍" and "罚" in q.norm)


_MONEY_WORDS = re.compile(r"工资|薪酬|报酬|收入|经费|资金|费用|学费|补贴|补助|奖金|总额|预算|投入|支出|拨款|津贴|元")


def a_share_of_no_money(q: Query, c: Candidate) -> bool:
    """Money is asked (多少安家补贴) and the figure is a share of something that is not money (技能人才占从业人员40%):
    a percentage states money only as a share of money (不低于工资总额的1.5%)."""
    return q.answer_type is AnswerType.AMOUNT and bool(c.spans) and c.spans[0].unit == "%" \
        and _MONEY_WORDS.search(clause_before(c)) is None


# words for money set aside for a purpose, the purpose written before them (学生资助资金, 城乡医疗救助补助资金)
_FUND_HEADS = ("资金", "经费", "补助", "补贴", "奖金", "拨款", "专项资金", "补助资金", "资助金")
_FUND_LABEL = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:" + "|".join(sorted(_FUND_HEADS, key=len, reverse=True))
                         + r"))(?:为|达|达到|约|共|共计|超过|总额)?$")


def funds_another_purpose(q: Query, c: Candidate) -> str:
    """Money for one purpose is asked (学生资助资金投入了多少亿元) and the figure is money of the same kind set aside
    for another (中央财政安排城乡医疗救助补助资金160亿元), the asked purpose written nowhere in the sentence: that
    money's name, or ''."""
    if q.answer_type is not AnswerType.AMOUNT or not c.spans:
        return ""
    focus = counted_thing(q)
    head = next((h for h in sorted(_FUND_HEADS, key=len, reverse=True) if focus.endswith(h)), "")
    purpose = focus[: -len(head)] if head else ""
    if len(purpose) < 2:
        return ""
    m = _FUND_LABEL.search(normalise(clause_before(c, "：:（(")))
    if m is None or names_a_pair(purpose, normalise(c.simple), q):
        return ""
    label = re.sub(r"^.*?(?:安排|投入|下达|拨付|发放|筹集|提供|设立)", "", m.group(1))
    return label if len(label) > len(head) + 1 else ""


# a period of something other than what is asked, named right before it: a cycle, term or limit of another doing
# (支付周期不得超过1个月 for how long an internship lasts; not 建设周期 for 多久建成), or a term of office, a length of
# schooling, a probation (任期, 学制, 试用期)
_PERIOD_OF = re.compile(r"([\u4e00-\u9fff]{2})(周期|期限|时限|年限)[^，。；]{0,6}$")
_PERIOD_WORD = re.compile(r"(任期|学制|工期|试用期|有效期|聘期|服务期|公示期|缓冲期)[^，。；]{0,6}$")


def period_of_another_kind(q: Query, c: Candidate) -> str:
    """How long something lasts is asked (岗位实习一般不超过多久) and the figure is the length of another period the
    sentence names (原则上支付周期不得超过1个月): that period's name, or ''."""
    if q.answer_type is not AnswerType.PERIOD or not c.spans:
        return ""
    label = normalise(clause_before(c, "：:（("))
    if (m := _PERIOD_OF.search(label)) and m.group(1)[0] not in q.norm \
            and not any(m.group(1) + m.group(2) in alts for alts in q.alternatives.values()):
        return m.group(1) + m.group(2)  # (学制 asked: 修业年限 is the same period)
    if (m := _PERIOD_WORD.search(label)) and m.group(1) not in q.norm:
        return m.group(1)
    return ""


_STOCK_ASKED = re.compile(r"总量|总数|总规模|存量")
_FLOW_LABEL = re.compile(r"(引进|新增|新培养|培养|培训|招收)[\u4e00-\u9fff]{0,8}$")


def states_a_flow_not_a_stock(q: Query, c: Candidate) -> str:
    """How many people there are in all is asked (技能人才总量要达到多少万人) and the figure counts those added (引进
    技能人才2万人): the verb that adds them, or ''."""
    focus = counted_thing(q)
    if q.answer_type not in MEASURED or not c.spans or not _STOCK_ASKED.search(q.norm) \
            or not focus.endswith(_PEOPLE_HEADS + PEOPLE_NOUNS):
        return ""
    clause = clause_before(c, "：:、")
    m = _FLOW_LABEL.search(normalise(clause))
    return m.group(1) if m and m.group(1) not in q.norm and not _STOCK_ASKED.search(clause) else ""


# the stages of a contest or a selection: those who entered (报名, 参赛, 参与评审, 收到) and those chosen (获奖, 评出, 入选)
_ENTERED = re.compile(r"报名|申报|参赛|参与|参加|收到|征集|参展|角逐|提交|竞逐")
_CHOSEN = re.compile(r"获奖|获评|评出|评选出|入选|确定为|认定|授牌|授予|推荐|晋级|胜出|脱颖而出|闯进|进入|夺得|斩获|获得|入围")


_HEADCOUNT_ASKED = re.compile(r"招收|招生|招了|新生|在校生|录取|毕业生")


_TIME_ASKED = re.compile(r"[天日周月年岁]|多大|多久|时间|小时|分钟|学时")


def a_duration_for_a_count(q: Query, c: Candidate) -> bool:
    """How many is asked with no measure of time (多少学员考试通过) and the figure is a length of time (15分钟就业服务圈):
    time does not count people or things."""
    if q.answer_type is not AnswerType.COUNT or not c.spans or c.spans[0].exact or _TIME_ASKED.search(q.norm):
        return False
    return c.spans[0].unit in ("分钟", "小时", "学时", "个月", "周", "天", "日")  # (年, 月, 岁: a year, a date, an age)


def visits_not_heads(q: Query, c: Candidate) -> bool:
    """多少名新生 / 在校生有多少人 counts heads: 培训…0.89万人次 counts attendances (one person trained twice counts
    twice), which no enrolment is written in."""
    return (q.answer_type is AnswerType.COUNT and q.measure in ("名", "人", "") and bool(c.spans)
            and c.spans[0].text.endswith("人次") and _HEADCOUNT_ASKED.search(q.norm) is not None
            and "人次" not in q.norm)


def counts_another_stage(q: Query, c: Candidate) -> str:
    """Those chosen are asked (最终一共有多少所被确定为建设单位, 评出了多少个获奖案例) and the figure counts those who
    entered (共有39所职业院校参与评审, 共收到近千个视频案例), or the other way round: the verb of the figure's clause, or ''."""
    if q.answer_type not in MEASURED or not c.spans:
        return ""
    clause = normalise(clause_before(c) + re.split(r"[，。；,;]", c.simple[c.spans[0].start :])[0])
    asks_chosen, asks_entered = _CHOSEN.search(q.norm), _ENTERED.search(q.norm)
    if asks_chosen and not asks_entered and (m := _ENTERED.search(clause)) and not _CHOSEN.search(clause):
        return m.group(0)
    if asks_entered and not asks_chosen and (m := _CHOSEN.search(clause)) and not _ENTERED.search(clause):
        return m.group(0)
    return ""


_LEFT_OUT = re.compile(r"[（(]?(?:不含|不包括|不包含|未含|未包括|不计)([^，。；）)]{2,24})")


def leaves_out_what_is_asked(q: Query, c: Candidate) -> str:
    """The figure's sentence leaves out what is asked: 高职单招另外还放了多少名额 ← “计划招生165882人（不含高职单独
    招生计划）”. What it leaves out, or ''."""
    if q.answer_type not in (*MEASURED, AnswerType.PERCENT) or not c.spans or _LEFT_OUT.search(q.norm):
        return ""
    text = normalise(c.simple)
    for m in _LEFT_OUT.finditer(text):
        rest = text[: m.start()] + text[m.end() :]

        def written(u: str, where: str) -> bool:
            return u in where or (len(u) == 2 and re.search(f"{re.escape(u[0])}.{{0,2}}{re.escape(u[1])}", where))

        if any(written(u, m.group(1)) and not written(u, rest) for u in q.units):
            return m.group(1)
    return ""


def refuse(q: Query, hits: list[ScoredChunk], detail: str = "") -> Answer:
    """The one decline: NOT_FOUND, then what is known of why (a law's article count, a law not in the collection)."""
    return Answer(q.text, NOT_FOUND + detail, True, [], standalone_question=q.standalone, closest=hits[:3])


def _cn_count(rec) -> str:
    """共六十九条 / 共二十项: counted as the law numbers its own articles."""
    return rec.number_label(rec.count).replace("第", "").replace("（", "").replace("）", "")


_ARTICLE_HEAD = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条\s*")
_CONTINUED = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条（续）|^（[一二三四五六七八九十]+）（续）")


def article_answer(q: Query, look: ArticleLookup) -> Answer:
    """A provision asked for by number, quoted whole with its number, its version and where it applies."""
    if look.record is None:
        return refuse(q, [], f"资料库中没有《{look.missing_law}》。")
    rec = look.record
    label = rec.number_label(look.number)
    if not look.hits:
        return refuse(q, [], f"{rec.label}共{_cn_count(rec)}，没有{label}。")
    book = CitationBook(look.hits + [h for _, hits in look.more for h in hits])

    def quoted(hits: list[ScoredChunk]) -> str:
        parts, marks = [], []
        for h in hits:
            parts.append(_CONTINUED.sub("", to_simplified(h.chunk.text)).strip())
            marks.append(f"[{book.cite(h, h.chunk.sentences[0] if h.chunk.text else '')}]")
        text = _ARTICLE_HEAD.sub("", "".join(parts).replace("\n", ""))  # the label names it already
        return f"“{text}”{''.join(marks)}"

    where = rec.meta.jurisdiction if rec.meta.jurisdiction not in ("", "全国") else ""
    head = f"{where}规定，" if where else ""
    note = f"（此为旧版本，已被{rec.replaced_by}取代）" if rec.replaced_by else ""
    if look.count_asked:  # 一共有多少条: the count first, then the last article that shows it
        head = f"共{_cn_count(rec)}。{rec.label}最后一{rec.unit}是"
        return Answer(q.text, f"{head}{label}{note}：{quoted(look.hits)}", False, book.citations,
                      standalone_question=q.standalone)
    lines = [f"{head}{rec.label}{label}{note}：{quoted(look.hits)}"]
    for n, hits in look.more:  # 第五十条和第五十一条分别讲什么: each in turn
        label = rec.number_label(n)
        lines.append(f"{label}：{quoted(hits)}" if hits else f"没有{label}（共{_cn_count(rec)}）。")
    return Answer(q.text, "\n".join(lines), False, book.citations, standalone_question=q.standalone)


def holdings_answer(q: Query, which: str, kind: str, docs: list[ScoredChunk], limit: int = 15) -> Answer:
    """What the collection holds of a kind: its newest or oldest one, or the list (titles and dates, each cited)."""
    if not docs:
        return refuse(q, [], f"资料库中没有{kind}。")
    book = CitationBook(docs)

    def line(h: ScoredChunk) -> str:
        when = f"（{h.meta.date}）" if h.meta.date else ""
        first = h.chunk.sentences[0] if h.chunk.text else ""
        return f"《{to_simplified(h.meta.display_title)}》{when}[{book.cite(h, first)}]"

    if which in ("newest", "oldest"):
        h = docs[-1] if which == "newest" else docs[0]
        year = YEAR.search(h.meta.date or h.meta.title)
        lead = f"{year.group(1)}年。" if year else ""
        return Answer(q.text, f"{lead}资料库中{'最新' if which == 'newest' else '最早'}的{kind}是{line(h)}", False,
                      book.citations, standalone_question=q.standalone)
    shown = docs[::-1][:limit]  # newest first
    more = f"，列出最新的{limit}份" if len(docs) > limit else ""
    return Answer(q.text, f"资料库中有{len(docs)}份{kind}{more}：\n" + "\n".join(
        f"{i}. {line(h)}" for i, h in enumerate(shown, 1)), False, book.citations, standalone_question=q.standalone)


def missing_report(q: Query, reports: list[ScoredChunk], closest) -> Answer | None:
    """2020年的政府工作报告… when the collection (as filtered) holds no report of that year: declined, saying which
    years it does hold, rather than answered from another year's report (`closest()` gives the passages shown)."""
    years = sorted({y.group(1) for h in reports if (y := YEAR.search(h.meta.date or h.meta.title))})
    if not years or q.report_year in years:
        return None
    if len(years) <= 4:
        held = "、".join(f"{y}年" for y in years) + "的"
    else:
        gap = f"，缺{q.report_year}年" if years[0] < q.report_year < years[-1] else ""
        held = f"{years[0]}–{years[-1]}年的{len(years)}份{gap}"
    scope = "按当前筛选条件，" if not q.filters.empty else ""
    return refuse(q, closest(), f"{scope}资料库中没有{q.report_year}年的政府工作报告（收录了{held}）。")


def figure_source_answer(q: Query, found: list[tuple[ScoredChunk, str]], limit: int = 5) -> Answer:
    """Where a figure is written (9.2万人这个数字出自哪): each document that states it, newest first, with its date and
    the sentence that states it."""
    fig = q.figure_source
    if not found:
        return refuse(q, [], f"资料中没有写到“{fig}”的段落。")
    book = CitationBook([h for h, _ in found])
    lines = []
    for h, sentence in found[:limit]:
        n = book.cite(h, sentence)
        when = f"（{h.meta.date}）" if h.meta.date else ""
        quote = trim(to_simplified(sentence), q, 90, fig)
        lines.append(f"{len(lines) + 1}. 《{to_simplified(h.meta.display_title)}》{when}：“{quote}”[{n}]")
    more = f"，列出最新的{limit}份" if len(found) > limit else ""
    return Answer(q.text, f"写到“{fig}”的资料{more}：\n" + "\n".join(lines), False, book.citations,
                  standalone_question=q.standalone)


# ---- who speaks, where a rule applies ---------------------------------------------------------------------------

def jurisdiction(hit: ScoredChunk) -> str:
    """Where a law or regulation applies: '宁波市', '上海市'; '' for national law and for other documents."""
    m = hit.meta
    if m.doc_type not in ("law", "regulation") or not m.region or m.region == "全国":
        return ""
    got = _LOCAL_PREFIX.match(to_simplified(m.title))
    if got:
        return got.group(1)
    return m.city or m.region


def resolve_first_person(text: str, hit: ScoredChunk) -> str:
    """我校 → 我校（重庆市工业学校）, 本市 → 本市（宁波市）, 本条例 → 本条例（《…》）: once each, so a quote read alone
    still says who and where."""
    who = speaker(hit)
    if who and who not in text:
        if _SCHOOL_PRONOUN.search(text):
            text = _SCHOOL_PRONOUN.sub(lambda m: f"{m.group(0)}（{who}）", text, count=1)
        elif _WE.search(text) and hit.chunk.section:  # 我们 speaks for the speaker line above it
            text = _WE.sub(f"我们（{who}）", text, count=1)
    place = jurisdiction(hit) or (hit.meta.city or (hit.meta.region if hit.meta.region != "全国" else ""))
    if place and place not in text:
        text = _PLACE_PRONOUN.sub(lambda m: f"{m.group(0)}（{place}）", text, count=1)
    if jurisdiction(hit) and _RULE_PRONOUN.search(text):  # a national law is named by the attribution already
        title = _VERSION_NOTE.sub("", to_simplified(hit.meta.title))
        if title not in text:
            text = _RULE_PRONOUN.sub(lambda m: f"{m.group(0)}（《{title}》）", text, count=1)
    return text


# words whose time is the document's: a quote holding one is introduced with the document's date
_RELATIVE_TIME = re.compile(r"今年|去年|明年|本年度|上年|一年来|过去一年|过去五年|五年来|近年来|目前|截至目前|日前|近日")


def attribution(hit: ScoredChunk, quote: str = "", dated: bool = False) -> str:
    """How a quote is introduced: a local rule with its place (宁波市规定), a national one with its name and article,
    a government work report with its year (2025年政府工作报告); a quote whose time is relative (一年来…), or any when
    `dated` (the present is asked), with its document's date (2020-12-26的报道)."""
    place = jurisdiction(hit)
    if place:
        art = hit.chunk.article
        return f"{place}规定{('（' + art + '）') if art else ''}："
    if hit.meta.doc_type in ("law", "regulation") and hit.chunk.article:
        return f"《{_VERSION_NOTE.sub('', to_simplified(hit.meta.title))}》{hit.chunk.article}："
    # a government work report is always named with its year: each year's writes the same measures (城镇调查失业率
    # 5.5%左右), and a reader checking a figure needs to know which report set it
    if hit.meta.doc_type == "report" and "政府工作报告" in hit.meta.title and (y := YEAR.search(hit.meta.date)):
        return f"{y.group(1)}年政府工作报告："
    if quote and hit.meta.date and (dated or _RELATIVE_TIME.search(quote)):
        return f"{hit.meta.date}的报道：" if hit.meta.doc_type == "news" else f"{hit.meta.date}："
    return ""


# ---- quoting --------------------------------------------------------------------------------------------------

def trim(sentence: str, q: Query, limit: int, keep: str = "") -> str:
    """A long sentence cut to the clauses that carry the question's terms and `keep` (the answer span); quoted whole,
    it keeps its own full stop."""
    sentence = re.sub(r"\s{2,}", " ", sentence.strip()).rstrip("；;，,")  # a page's layout runs of spaces say nothing
    if len(sentence) <= limit + 1:
        return sentence
    clauses = [c for c in _CLAUSE.split(sentence) if c]
    scored = []
    for i, c in enumerate(clauses):
        s = len(q.units & set(bigram_tokens(normalise(c))))
        if keep and keep in c:
            s += 100
        scored.append((s, i))
    best = max(scored)[1]
    lo, hi = best, best + 1
    while hi - lo < len(clauses):
        grow_left = lo > 0 and (hi >= len(clauses) or scored[lo - 1][0] >= scored[hi][0])
        cand = clauses[lo - 1] if grow_left else clauses[hi]
        if sum(len(c) for c in clauses[lo:hi]) + len(cand) > limit:
            break
        if grow_left:
            lo -= 1
        else:
            hi += 1
    text = "".join(clauses[lo:hi]).rstrip("，,；;：:")
    if hi < len(clauses):
        text = text.rstrip("。")
    if len(text) > limit + 20 and keep and keep in text:  # one huge clause: a window around the span
        i = text.index(keep)
        a = max(0, i - limit // 2)
        text = text[a : a + limit]
        return "…" + text + "…"
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(clauses) else "")


_UNTIL = re.compile(r"到哪一?年|截止|截至|持续到|结束|到什么时候|哪年结束")
_DASH = r"(?:—|－|-|–|~|～|至|到)"  # what joins the two ends of a range: 2023年—2025年, 3~5年, 百分之一点五至百分之二点五
_RANGE_END = re.compile(rf"\s*{_DASH}\s*((?:19|20)\d{{2}}\s*年(?:\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?)?)")
_RANGE_JOIN = re.compile(rf"\s*(以上)?\s*{_DASH}\s*")
_ABOVE_BELOW = re.compile(r"以上")
_BOUND = re.compile(r"以上|以下|以内|左右|及以上")  # 2／3以上 (组成人员同意), 三万元以上 (罚款): the bound is the rule


# 近1亿人次, 超过1170万人, 不少于6个月: a bound written before a figure is part of what it says
# (不得超过 whole, never 超过 alone; 不足一万元的 opens a condition, not the figure's bound)
_BOUND_BEFORE = re.compile(r"(?:(?:不得|不能|不应|不宜|不可)(?:超过|少于|低于|高于)|将近|接近|大约|近|约|超过|逾|不少于|不低于|"
                           r"不超过|不高于|至少|最多|最少)$")


def figure_range(text: str, sp: Span) -> Span:
    """A figure that opens a range is answered with the whole range: 百分之一点五至百分之二点五, 3~5年,
    一倍以上三倍以下 (what the rule says, not its lower bound); a bound written after it stays: 2／3以上, and so does
    one written before it: 近1亿人次, 超过1170万人."""
    got = _figure_range(text, sp)
    if got.start == sp.start and (m := _BOUND_BEFORE.search(text[max(0, sp.start - 4) : sp.start])):
        got = replace(got, text=m.group(0) + got.text, start=sp.start - len(m.group(0)))
    return got


def _figure_range(text: str, sp: Span) -> Span:
    if sp.unit and text.startswith("以下", sp.start + len(sp.text)) and (
            low := re.search(rf"[一二两三四五六七八九十百千\d.]+{re.escape(sp.unit)}以上\s*$", text[: sp.start])):
        # 五倍以下 of 一倍以上五倍以下 (the ranker's span may be the upper end; 一倍 alone is no figure): the whole range
        return replace(sp, text=text[low.start() : sp.start + len(sp.text) + 2], start=low.start())
    before = re.search(rf"{_DASH}\s*$", text[: sp.start])
    if before:  # the range's upper end was found (百分之二点五 of 百分之一点五至百分之二点五): from its lower end
        lead = text[max(0, before.start() - 20) : before.start()]
        lows = [f for f in find_figures(lead, bare=True) if f.end == len(lead)]
        if lows:
            return replace(sp, text=text[before.start() - len(lead) + lows[-1].start : sp.start + len(sp.text)],
                           start=before.start() - len(lead) + lows[-1].start)
    end = sp.start + len(sp.text)
    m = _RANGE_JOIN.match(text, end) or _ABOVE_BELOW.match(text, end)
    bound = _BOUND.match(text, end)
    alone = replace(sp, text=text[sp.start : bound.end()]) if bound else sp  # no second figure: the bound only
    nxt = find_figures(text[m.end() : m.end() + 20], bare=True) if m else []
    if not nxt or nxt[0].start != 0:
        return alone
    stop = m.end() + nxt[0].end
    if m.group(0) == "以上":
        if not text.startswith("以下", stop):
            return sp
        stop += 2
    return replace(sp, text=text[sp.start : stop])


_FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_STEPS = {"通过": ("通过",), "颁布": ("通过", "公布"), "出台": ("通过", "公布"), "公布": ("公布", "通过"),
          "批准": ("批准",), "施行": ("施行",), "生效": ("施行",), "实施": ("施行",), "修订": ("修订", "修正"),
          "修正": ("修正", "修订"), "修改": ("修正", "修订")}


def history_span(text: str, q: Query) -> Span | None:
    """A rule's history (2002年12月28日 …会议通过2013年6月29日 …第一次修正…): each date belongs to the step written after
    it; the step asked for (通过, 第一次修正, 最近一次修订) picks the date."""
    dates = list(_FULL_DATE.finditer(text))
    asked = next((v for k, v in _STEPS.items() if k in q.norm), None)
    if len(dates) < 2 or asked is None:
        return None
    steps = [(m, text[m.end() : dates[i + 1].start() if i + 1 < len(dates) else len(text)]) for i, m in enumerate(dates)]
    fits = [(m, after) for m, after in steps if any(v in after for v in asked)]
    nth = re.search(r"第([一二三四五六七八九十\d]+)次", q.norm)
    if nth:
        fits = [(m, after) for m, after in fits if nth.group(0) in after]
    if not fits:
        return None
    m = fits[-1][0] if re.search(r"最近|最新|最后|上一次|上次", q.norm) else fits[0][0]
    return Span(m.group(0), m.start(), AnswerType.DATE)


# a kind of institution, not the name of one (职业学院, 中高职院校, 一批高水平职业学校)
GENERIC_NAME = re.compile(r"^(?:建设|打造|创建|支持|推动)?(?:一批|一所|若干|多所)?"
                          r"(?:职业|技术|技工|高等|中等|本科|高职|中职|中高职|普通|民办|公办|有关|相关|各类?|其他|地方|"
                          r"合作|培训|高水平|优质|示范性?|骨干|特色|优秀|新型)*(?:学院|大学|学校|院校|中心|协会|公司|企业|部门|机构)$")


def _span_for(c: Candidate, q: Query, kind: AnswerType) -> Span | None:
    if kind is AnswerType.DATE and q.asks_adoption and (h := history_span(c.simple, q)):
        return h
    if c.spans:
        sp = c.spans[0]
        if kind is AnswerType.DATE and q.asks_first:  # 2008年10月22日通过 … 2020年8月28日修正: the first
            dated = [s for s in find_spans(c.simple, kind) if re.match(r"(?:1[0-9]|20)\d{2}", s.text)]
            if dated:
                return min(dated, key=lambda s: (s.text[:4], s.start))
        if kind is AnswerType.DATE and _UNTIL.search(q.norm):  # 2023年—2025年, asked until when: the end
            m = _RANGE_END.match(c.simple, sp.start + len(sp.text))
            if m:
                return Span(m.group(1), m.start(1), kind)
        if kind in (*MEASURED, AnswerType.PERCENT) and c.simple[sp.start : sp.start + len(sp.text)] == sp.text:
            return figure_range(c.simple, sp)
        if kind is AnswerType.ORG and not q.asks_agent and GENERIC_NAME.match(sp.text):
            return None  # 曹晶是哪个单位的 ← “在职业学院调研”: a kind of school names none (由谁承担 ← 职业学校 may)
        return sp
    if kind is AnswerType.ORG and c.features.get("first_person"):
        who = speaker(c.hit)
        if who:
            return Span(who, 0, kind)
    if kind is AnswerType.PERSON:
        spans = find_spans(c.simple, kind, persons=True)
        if (m := _POST_ASKED.search(q.norm)) and (titled := [sp for sp in spans if m.group(1) in
                                                              c.simple[max(0, sp.start - 6) : sp.start]]):
            spans = titled  # 拿了一等奖的学生叫啥 ← 学生刘通, not 教师李宁 of the same sentence
        if (sp := best_span(spans, c.simple, q)) is not None:
            return sp
        return quote_speaker(c.hit.chunk.sentences, c.index)  # “我来自新疆木垒…” ← 阿迪巴
    return None


_CONTINUES = re.compile(r"^(?:[-•·]\s*)?(拒不|逾期|情节严重|但|但是|其中|并|同时|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|"
                        r"\d+[.．、])")
_PROVISO = re.compile(r"^(?:但是|但)[，,]?")
# 因此它有时也被称为笨蛋水果 / 所以到了七、八月间…: a conclusion whose reason is the sentence before it
_CONSEQUENCE = re.compile(r"^(?:因此|所以|因而|故而|由此|于是|从而|正因如此|正因为如此|也因此)")
_BULLET = re.compile(r"^[-•·]\s*(?=（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])")


def _quote(c: Candidate, q: Query, limit: int, keep: str = "") -> str:
    text = trim(c.simple, q, limit, keep)
    art = c.hit.chunk.article
    if art and text.startswith(art) and attribution(c.hit):  # 第三十三条：“第三十三条 …”: the label is said once
        text = text[len(art) :].lstrip()
    return resolve_first_person(text, c.hit)


# the post of the person asked for, written just before the question word: …的学生叫啥名字, 带队的老师是谁
_POST_ASKED = re.compile(rf"({'|'.join(POSTS)})(?:的名字)?[，,]?(?:叫|是谁|是哪位)")


def _naming_sentence(c: Candidate, q: Query, name: str) -> str:
    """The sentence next to the candidate that names `name` (the speaker of a quote), trimmed around it."""
    sents = c.hit.chunk.sentences
    for j in (c.index + 1, c.index - 1):
        if 0 <= j < len(sents) and name in (nxt := to_simplified(sents[j]).strip()):
            return trim(nxt, q, 40, name)
    return ""


def _opening(c: Candidate, sents: list[str]) -> str:
    """The sentence that opens the list an item belongs to (…用于资助以下校企合作项目或者活动：), '' if none: an item
    quoted alone (（七）其他促进…的项目或者活动) does not say what it is an item of."""
    if c.index <= 0 or not ITEM.match(c.simple.strip()):
        return ""
    for j in range(c.index - 1, max(-1, c.index - 12), -1):
        prev = to_simplified(sents[j]).strip()
        if prev.endswith(("：", ":")):
            return prev
        if not ITEM.match(prev):
            return ""
    return ""


def _item_asked(c: Candidate, q: Query) -> str:
    """Of the items the sentence opens, the one that holds most of the question's units ('' if none holds any):
    换校长 → （二）聘任、解聘校长；"""
    best, hits = "", 0
    for sent in items_opened(c.hit.chunk.sentences, c.index):
        n = sum(u in normalise(sent) for u in q.units)
        if n > hits:
            best, hits = _BULLET.sub("", to_simplified(sent).strip()), n
    return best


def _quote_with_continuation(c: Candidate, q: Query, limit: int) -> str:
    """A provision with what completes it: the sentence after a colon, the items of an enumeration, the 拒不改正的…
    clause that follows a 责令改正, the sentence that opens the list an item is in — within `limit` characters."""
    sents = c.hit.chunk.sentences
    if (intro := _opening(c, sents)) and len(intro) + len(c.simple) <= limit:
        return resolve_first_person(f"{intro}…{_BULLET.sub('', c.simple.strip())}", c.hit)
    first = _quote(c, q, limit)
    # 但是，实施职业教育的公办学校可以…: a proviso is quoted after the rule it qualifies (其他公办学校不得…); 为什么称猴面包树为
    # 笨蛋水果 → “因此它有时也被称为笨蛋水果” says that it is, not why: an explanation's conclusion after its reason
    leads_back = _PROVISO if _PROVISO.match(c.simple.strip()) else \
        _CONSEQUENCE if q.answer_type is AnswerType.EXPLANATION and _CONSEQUENCE.match(c.simple.strip()) else None
    if c.index > 0 and leads_back is not None:
        before = to_simplified(sents[c.index - 1]).strip()
        if len(before) + len(first) <= limit and not leads_back.match(before):
            first = resolve_first_person(before, c.hit) + first
    out, i = first, c.index
    while i + 1 < len(sents):
        nxt = _BULLET.sub("", to_simplified(sents[i + 1]).strip())  # “- （二）…”: the list's own number is enough
        # a clause ending in ；is one provision with the next (责令改正；教育教学质量低下…的，责令暂停招生)
        if not (out.rstrip().endswith(("：", ":")) or sents[i].rstrip().endswith(("；", ";")) or _CONTINUES.match(nxt)):
            break
        if len(out) + len(nxt) > limit:
            # more items follow (the card shows the whole article); the one the question is about is quoted
            asked = _item_asked(c, q)
            if asked and asked not in out and len(first) + len(asked) + 1 <= limit:
                return f"{first}…{asked}"
            return out + "…"
        end = to_simplified(sents[i].rstrip())[-1:]
        if end in "；;。" and not out.endswith(end):
            out += end  # the quote was trimmed of its closing mark: 组织清算；被审批机关…, not 组织清算被审批机关
        out += nxt
        i += 1
    return out


def _opens_items(c: Candidate) -> bool:
    """The sentence introduces the items that follow it in its passage (应当符合下列基本条件：(一)… (二)…): they are
    the list asked for, quoted with it, not cases from other documents."""
    if not c.simple.rstrip().endswith(("：", ":")):
        return False
    sents = c.hit.chunk.sentences
    return c.index + 1 < len(sents)


def _place_label(c: Candidate) -> str:
    """Where a case happened: the place the sentence names, else its section, else the document's region."""
    for text in (c.simple, c.hit.chunk.section, c.hit.chunk.text):
        prov, local = first_place(normalise(text))
        if prov:
            return prov + (local if local and local != prov else "")
    m = c.hit.meta
    if m.region and m.region != "全国":
        return m.region + (m.city if m.city and m.city != m.region else "")
    return m.source or ""


# ---- the answer -----------------------------------------------------------------------------------------------

_ALIAS_WORDS = re.compile(r"又称|又叫|也叫|又名|俗称|别名|别称|简称|全称|称为|亦称|原名|英文名|学名")


def defines(q: Query, sentence: str) -> bool:
    """The sentence defines the term asked about (X是… / X（…）是指… / 本法所称X，是指…) or, when another name is asked,
    gives one (X又称…)."""
    term = q.defined_term
    norm = normalise(sentence)
    found = [m.start() for m in re.finditer(re.escape(term), norm)]
    if not found:
        return False
    if _ALIAS_WORDS.search(q.norm):
        return _ALIAS_WORDS.search(norm) is not None
    if re.search(rf"[（(](?:以下)?(?:简称|称)[“\"]?{re.escape(term)}", norm):
        return True  # 启动“学历证书+若干职业技能等级证书”制度试点（以下称1+X证书制度试点）: what it stands for
    for i in found:
        if i > 12 and not re.search(r"所称|所谓|是指$", norm[:i]):
            continue
        if _DEFINITION_AFTER.match(norm, i + len(term)):
            return True
    return False


# what follows a term being defined: （英文名） or ，或称…， and then 是/是指/即
_DEFINITION_AFTER = re.compile(r"[”\"」』]?\s*(?:[（(][^）)]{0,40}[）)])?\s*"
                               r"(?:[,，](?:或称|亦称做?|又称|也称|简称|又名|俗称|或)[^,，。]{0,30}[,，])?"
                               r"\s*[,，]?\s*(?:是指|是|指|即|为|就是|系|被定义为|包括|包含|分为)")


_EACH = re.compile(r"([\u4e00-\u9fffA-Za-z0-9、和与及]{4,40}?)(?:分别|各自|各是|各有|各为|各)")
_COUNTED_PAIR = re.compile(r"(?:多少|几)个?([\u4e00-\u9fff]{1,6}(?:和|与|及|、)[\u4e00-\u9fff]{1,6}?)(?:[？?，,。]|$)")


def each_value(q: Query, sentence: str, kind: AnswerType) -> str:
    """路演和答辩分别多长时间 / 高职组和中职组各有多少个: each item the question names with the value the sentence gives it
    (路演10分钟、答辩5分钟), or '' when the sentence does not give every one."""
    m = _EACH.search(q.norm)
    joined = _COUNTED_PAIR.search(q.norm) if not m else None  # 有几个村和社区: two things counted at once
    if not (m or joined):
        return ""
    items = [i for i in re.split(r"[、和与及]", (m or joined).group(1)) if len(i) >= (2 if m else 1)]
    if not 2 <= len(items) <= 4:
        return ""
    spans = [sp for sp in find_spans(sentence, kind) if sp.exact]
    norm = normalise(sentence)
    found = []
    for item in items:
        k = next((k for k in range(min(len(item), 12), 0 if joined else 1, -1) if item[-k:] in norm), 0)
        if not k:
            return ""
        found.append((norm.find(item[-k:]), item[-k:]))
    # the sentence writes every value after its item (高职组94个) or every one before it (10分钟路演)
    after = [next((sp for sp in spans if 0 <= sp.start - (i + len(name)) <= 8), None) for i, name in found]
    before = [next((sp for sp in spans if 0 <= i - (sp.start + len(sp.text)) <= 2), None) for i, name in found]
    chosen = after if all(after) else before if all(before) else None
    if chosen is None or len({id(sp) for sp in chosen}) < len(chosen):
        return ""  # 中职组 found only inside 高职组: one value cannot answer two items
    if joined and chosen is before:  # 几个村和社区 ← “辖8个村、2个社区”: as the sentence counts them
        out = [sp.text + name for (i, name), sp in zip(found, chosen)]
    else:
        out = [name + sp.text for (i, name), sp in zip(found, chosen)]
    return "、".join(out) if len(set(out)) == len(out) else ""


# who or where does it, how it is done elsewhere: a list of cases, one per document; 某条例的著作/特征有哪些 is not
_CASES_ASKED = re.compile(r"案例|在做|做法|经验|典型|举措|模式|哪些地方|哪些地区|哪些省|哪些市|哪些县|哪些学校|哪些院校|哪些高校|"
                          r"哪些企业|哪些单位|哪些城市|哪些职校|哪些机构|哪些部门|哪几[家所个]|哪些[家所]|哪里|有没有")


def _asks_cases(q: Query) -> bool:
    return q.item_type is not None or bool(_CASES_ASKED.search(q.norm))


def full_name(short: str, c: Candidate) -> str:
    """The school's whole name when the passage calls it by a short form (湖汽职院 → 湖南汽车工程职业学院: the whole
    name, written in the same passage or title, holds the short one's characters in order, with its first and last),
    else ''."""
    if not 3 <= len(short) <= 6 or not short.endswith(("院", "校", "大")):
        return ""
    text = to_simplified(c.hit.meta.title + "。" + c.hit.chunk.text)
    for name in dict.fromkeys(institutions(text)):
        if len(name) > len(short) + 1 and name[0] == short[0] and name[-1] == short[-1] and short not in name \
                and re.fullmatch(".*?".join(map(re.escape, short)), name):
            return name
    return ""


def names_together(text: str, span: Span, q: Query) -> str:
    """The organisation found with the ones written beside it as one group (A、B联合承办; 由A、B和C共同牵头), not
    joined to the one the question names (与A、B合作共建锂电科技学院)."""
    spans = [sp for sp in find_spans(text, AnswerType.ORG) if text[sp.start : sp.start + len(sp.text)] == sp.text
             and (sp.start == span.start or not names_asked_thing(sp.text, q))]
    if not any(sp.start == span.start for sp in spans):
        return span.text
    spans.sort(key=lambda sp: sp.start)
    i = next(k for k, sp in enumerate(spans) if sp.start == span.start)
    lo = hi = i
    while lo > 0 and text[spans[lo - 1].start + len(spans[lo - 1].text) : spans[lo].start] in _JOINERS:
        lo -= 1
    while hi + 1 < len(spans) and text[spans[hi].start + len(spans[hi].text) : spans[hi + 1].start] in _JOINERS:
        hi += 1
    group = text[spans[lo].start : spans[hi].start + len(spans[hi].text)]
    opened = group.count("(") + group.count("（") - group.count(")") - group.count("）")
    return span.text if opened else group  # 中兴大学法商学院(今国立台北大学: a bracket cut open is no name


_JOINERS = {"", "、", "和", "与", "及", "以及"}  # "": one name split in two (通用技术集团|大连机床有限责任公司)
_PROPOSED = re.compile(r"提出|首次|第一次|最早|最先|率先")
_NAME_ASKED = re.compile(r"叫(?:什么|啥)|(?:什么|啥)名(?:字|称)|名(?:字|称)(?:是|叫)(?:什么|啥)")


def promoted(best: Candidate, cands: list[Candidate]) -> list[Candidate]:
    """The candidates with `best` (a runner-up chosen over the first) in front."""
    return [best] + [c for c in cands if c is not best]


_UNTIL_YEAR = re.compile(r"(?:到|至|截至|截止到?)\s*(?:19|20)\d{2}\s*年")


def names_venue(c: Candidate) -> bool:
    """The candidate's name is where something was held: 赛项在云南林业职业技术学院落幕."""
    if not c.spans:
        return False
    sp = c.spans[0]
    return any(m.start() <= sp.start and sp.start + len(sp.text) <= m.end() for m in _VENUE.finditer(c.simple))


def venue_misfit(q: Query, c: Candidate) -> bool:
    """The winner is asked (一等奖被哪所学校拿走了) and the candidate names the school the contest was held at."""
    return q.answer_type is AnswerType.ORG and _WINNER_ASKED.search(q.norm) is not None and names_venue(c)


def says_until(c: Candidate) -> bool:
    """The sentence gives an end: a range (2023年—2025年) or a date reached (到2025年, 截至2023年)."""
    return bool(c.spans) and (_RANGE_END.match(c.simple, c.spans[0].start + len(c.spans[0].text)) is not None
                              or _UNTIL_YEAR.search(c.simple) is not None)


def stated_as_fully(best: Candidate, cands: list[Candidate], margin: float) -> list[Candidate]:
    """The candidates within `margin` of the best that state a span as fully as it does: as many of the question's
    units (the sentence before may name what it is about: 今年发展主要预期目标是：…；城镇新增就业1200万人以上), in a chunk
    that covers as much, with a span that fits as well."""
    def covered(c: Candidate) -> float:
        return min(1.0, c.features["s_cov"] + c.features["prev_cov"])

    fits = ("chunk_cov", "measure_match", "type_match", "focus_near")
    return [c for c in cands if c.spans and c.score >= best.score - margin and covered(c) >= covered(best) - 0.05
            and all(c.features[k] >= best.features[k] for k in fits)]


def close_runner_up(cands: list[Candidate], n: int, margin: float, says_it) -> Candidate | None:
    """The first of the next `n` candidates after the best that `says_it` and scores within `margin` of the best."""
    return next((c for c in cands[1 : n + 1] if c.score >= cands[0].score - margin and says_it(c)), None)


def role_misfit(q: Query, best: Candidate) -> str:
    """谁是冠军 / 理事长单位是哪所学校: a name beside another post (副会长, 常务副理事长单位) does not answer it."""
    if q.role and re.search(r"场地|地点|赛场|会场|举办地|场馆", q.role) and _VENUE.search(best.simple):
        return ""  # 比赛场地设在哪所学校 ← “花艺赛项在云南林业职业技术学院落幕”: where it was held says it
    if q.role and not holds_role(q.role, best.simple, best.spans[0].text if best.spans else ""):
        return f"最接近的段落没有说“{q.role}”是谁。"
    return ""


# ranks of one kind: a question naming one is not answered by a sentence that names only others of its kind
# (not 国家级/省级: a sentence writes 国家资源库 for 国家级资源库)
def other_rank(q: Query, c: Candidate) -> tuple[str, str]:
    """(the rank asked, the ranks the sentence names instead) when a figure's sentence names other ranks of the kind the
    question names and not that one (技师（二级）证书补贴多少 ← “初级（五级）1000元、中级（四级）1500元…”), else ('', '')."""
    if q.answer_type not in (*MEASURED, AnswerType.PERCENT) or not c.spans:
        return "", ""
    sent = normalise(c.simple)
    for family in RANK_FAMILIES:
        asked = ranks_in(q.norm, family)
        named = ranks_in(sent, family)
        if asked and named and not asked & named:
            def said(ranks: set[str], text: str) -> str:  # a grade as written: 二等奖, 一等成果
                return "、".join(next((r + t for t in ("奖", "成果", "作品") if r + t in text), r) if r.endswith("等") else r
                                for r in family if r in ranks)
            return said(asked, q.norm), said(named, sent)
    return "", ""


_SUMMED = re.compile(r"累计|共计|合计|总计|总共|一共|共有|总数|总量")
_EACH_OF = re.compile(r"均|分别|各|每")
# a list of like things labelling a figure: 学前教育、义务教育、中职学校、普通高中和普通高校学生
_LISTED = re.compile(r"[\u4e00-\u9fff]{2,12}(?:、[\u4e00-\u9fff]{2,12})+(?:和|及|以及|与)[\u4e00-\u9fff]{2,12}")


def counts_a_sum(q: Query, c: Candidate) -> str:
    """The figure is a total over several things listed before it and the question names just one of them: 2015年全国
    中职学校学生获得资助多少人次 is not answered by “累计资助学前教育、义务教育、中职学校、普通高中和普通高校学生
    8433.311万人次”. The clause must say it is a total, and not give each its own (均为, 分别). The one asked, or ''."""
    if q.answer_type not in (*MEASURED, AnswerType.PERCENT) or not c.spans:
        return ""
    clause = normalise(clause_before(c, "：:"))
    if not _SUMMED.search(clause) or _EACH_OF.search(clause):
        return ""  # a total says so (累计资助…); 均为 / 分别 / 各 give each its own figure
    for m in _LISTED.finditer(clause):
        items = re.split(r"、|以及|和|及|与", m.group(0))
        # 中职学生 asked names 中职学校 of the list: the kind, with or without its 学校/学生/教育
        named = [it for it in items if it in q.norm or (len(it) >= 4 and it[-4:] in q.norm)
                 or len(stem := re.sub(r"(?:学校|学生|教育|学院)$", "", it)) >= 2 and stem != it and stem in q.norm]
        if len(items) >= 3 and len(named) == 1:
            return named[0]
    return ""


def _asked_people(q: Query) -> str:
    asked = counted_thing(q)
    return f"“{asked}”" if asked.endswith(_PEOPLE_HEADS + PEOPLE_NOUNS) else "所问的人"  # 招生多少人: the people taken in


def _asked_measure(q: Query) -> str:
    asked = q.focus or ("" if q.measure in MONEY_MEASURES else q.measure)  # not “元”: 所问的钱数
    return f"“{asked}”" if asked else ("所问的钱数" if q.answer_type is AnswerType.AMOUNT else "所问的量")


# why a figure cannot answer, in order: each check gives what it found (a name, a word, True) or nothing, and the
# reason told with the decline is made from it
_FIGURE_MISFITS: tuple[tuple[Callable[[Query, Candidate], object], Callable[[Query, object], str]], ...] = (
    (lambda q, c: (rank := other_rank(q, c))[0] and rank,  # 技师 asked, 初级/中级/高级 written
     lambda q, r: f"最接近的段落说的是{r[1]}，没有说{r[0]}。"),
    (counts_unnamed_thing,  # 多少在校生 ← “6位院校领导”: what is asked is never named
     lambda q, _: f"最接近的段落没有说“{counted_thing(q)}”{'是多少' if q.answer_type is AnswerType.PERCENT else '的数目'}。"),
    (counts_a_sum, lambda q, one: f"最接近的段落里的数字是几类合计的，没有单说“{one}”。"),  # 累计资助学前教育、…中职学校…
    (counts_one_member, lambda q, member: f"最接近的段落只说了{member}一家的数目，没有说总数。"),  # one school's haul
    (states_a_local_figure, lambda q, where: f"最接近的段落说的是{where}的数字，不是全国的。"),
    (states_a_part_figure, lambda q, where: f"最接近的段落说的是{where}的数字，不是所问的全{'市' if '全市' in q.norm else '省'}的。"),
    (states_achievement_not_target, lambda q, _: "最接近的段落里的数字是已经完成的累计数，不是所问的目标。"),
    (leaves_out_what_is_asked, lambda q, left: f"最接近的段落里的数字不含“{left}”。"),
    (states_a_flow_not_a_stock, lambda q, verb: f"最接近的段落里的数字是{verb}的人数，不是所问的总量。"),
    (counts_another_stage, lambda q, verb: f"最接近的段落里的数字说的是“{verb}”的，不是所问的。"),
    (not_money, lambda q, _: "最接近的段落里的数字不是钱数。"),
    (money_of_another_kind, lambda q, kind: f"最接近的段落里的钱数是“{kind}”，不是所问的钱。"),
    (funds_another_purpose, lambda q, label: f"最接近的段落里的钱是“{label}”，不是“{counted_thing(q)}”。"),
    (period_of_another_kind, lambda q, label: f"最接近的段落里的时间是“{label}”，不是所问的时长。"),
    (states_target_not_achievement, lambda q, _: "最接近的段落里的数字是目标或计划，不是所问的实际完成数。"),
    (counts_other_people, lambda q, who: f"最接近的段落里的数字说的是“{who}”，不是{_asked_people(q)}。"),
    (states_a_total_not_a_rate, lambda q, _: "最接近的段落里的数字是总额，不是每人的标准。"),
    (states_a_change, lambda q, _: "最接近的段落里的数字是增减的幅度，不是所问的数目。"),
    (visits_not_heads, lambda q, _: "最接近的段落里的数字是人次，不是所问的人数。"),  # 培训0.89万人次 for 新生
    (a_duration_for_a_count, lambda q, _: "最接近的段落里的数字是一段时间，不是所问的数目。"),  # 15分钟 for 多少学员
    (a_share_of_no_money, lambda q, _: "最接近的段落里的百分数不是钱数。"),  # 占从业人员40% for 多少安家补贴
    # the best evidence holds a figure, but it counts something else (问奖金, 文中是“4位老师”): never offer it
    (counts_something_else, lambda q, _: f"最接近的段落里的数字说的不是{_asked_measure(q)}。"),
)


def figure_misfit(q: Query, best: Candidate) -> str:
    """Why the best sentence's figure cannot answer a count or amount question ("" when it can). This and role_misfit
    are told to the user with the decline, whether the model declined or they did."""
    for check, reason in _FIGURE_MISFITS:
        if found := check(q, best):
            return reason(q, found)
    return ""


@dataclass(frozen=True)
class Swap:
    """A check on the best sentence. When `misfit` says why it cannot answer, the first of the next `among`
    candidates within the margin (the list margin when `wide`, else the second sentence's) that `fits` answers
    instead; when none does, the question is declined with that reason (`declines`) or the best stands."""

    misfit: Callable[[Query, Candidate], str]  # why the candidate cannot answer, '' when it can
    fits: Callable[[Query, Candidate], bool]
    among: int = 3
    wide: bool = False
    declines: bool = True

    def __call__(self, q: Query, cands: list[Candidate], model: EvidenceModel) -> list[Candidate] | str:
        why = self.misfit(q, cands[0])
        if not why:
            return cands
        margin = model.list_margin if self.wide else model.second_margin
        other = close_runner_up(cands, self.among, margin, lambda c: self.fits(q, c))
        if other is not None:
            return promoted(other, cands)
        return why if self.declines else cands


def _first_proposer(q: Query, cands: list[Candidate], model: EvidenceModel) -> list[Candidate]:
    """高职扩招100万人是哪年提出的: of the documents that write the figure (2019: 今年大规模扩招100万人; 2021: 实现…扩招100万
    人目标), the first one proposed it."""
    if not (q.asks_document_year and _PROPOSED.search(q.norm)):
        return cands
    figures = [f.raw for f in find_figures(q.norm)]
    best = cands[0]
    said = [c for c in cands if c.score >= best.score - model.list_margin and c.spans
            and all(normalise(f) in normalise(c.simple) for f in figures)]
    return promoted(min(said, key=lambda c: (c.spans[0].text, -c.score)), cands) if figures and said else cands


def _newest_statement(q: Query, cands: list[Candidate], model: EvidenceModel) -> list[Candidate]:
    """今年高校毕业生有多少人: each year's report says 今年…; of the close candidates that state it as fully, the newest
    document's speaks for now (2024: 超过1170万人, not 2015: 749万人)."""
    best = cands[0]
    if not (q.asks_latest and q.answer_type in FIGURE_OR_DATE and best.spans):
        return cands
    latest = max(stated_as_fully(best, cands, model.list_margin), key=lambda c: (c.hit.meta.date, c.score))
    return promoted(latest, cands) if latest.hit.meta.date > best.hit.meta.date else cands


def _until_misfit(q: Query, c: Candidate) -> str:
    """计划一直办到哪一年 and the sentence only says when it began (2023年开展…)."""
    return "没有说到哪一年" if q.answer_type is AnswerType.DATE and _UNTIL.search(q.norm) and not says_until(c) else ""


# what a date question asks the date of, and the words a text may say it with
_EVENTS = (("成立", "组建", "揭牌", "挂牌", "创建", "创立", "建立", "设立", "诞生", "落成", "建成", "兴建", "始建", "建于"),
           ("召开", "举办", "举行", "开幕", "开展", "闭幕"),
           ("发布", "印发", "公布", "颁布", "出台", "通过", "制定"),  # a law is 颁布 by the session that 通过 it
           ("签订", "签约", "签署"))


def _event_misfit(q: Query, c: Candidate) -> str:
    """联盟是哪一年成立的 and the sentence's date is of something else (自2018年起…开发了30余个技能体验项目): the sentence
    never says the event asked."""
    if q.answer_type is not AnswerType.DATE:
        return ""
    for group in _EVENTS:
        asked = next((w for w in group if w in q.norm), "")
        if asked and not any(w in c.simple for w in group):
            return f"最接近的段落没有说何时{asked.removesuffix('于')}。"
    return ""


_BATCH = re.compile(r"(本科|专科|提前)批")


def _batch_misfit(q: Query, c: Candidate) -> str:
    """湖南普通本科批计划招生多少人 and the sentence is about another admission batch (高职专科批…计划招生165882人)."""
    asked = set(_BATCH.findall(q.norm))
    written = set(_BATCH.findall(normalise(c.simple + c.hit.chunk.section)))
    if not asked or not written or asked & written:
        return ""
    return f"最接近的段落说的是{'、'.join(sorted(written))}批，不是{'、'.join(sorted(asked))}批。"


def _level_misfit(q: Query, c: Candidate) -> str:
    """那高职呢 after a 中职 question: “中等职业学校…学制一般为三年” does not say it of 高职."""
    text = normalise(c.simple + c.hit.chunk.section)
    # a sentence that names no level is of the level its document's title names (…荣获…高职组“花艺”赛项一等奖)
    others = other_levels(q, text if names_a_level(text) else normalise(to_simplified(c.hit.meta.title)))
    return f"最接近的段落说的是{'、'.join(others)}，不是{'、'.join(q.levels)}。" if others else ""


def _venue_unnamed(q: Query, c: Candidate) -> str:
    """赛项是在哪个学校比的 and the sentence names a school that took part, not where it was held."""
    asked = q.answer_type is AnswerType.ORG and _VENUE_SCHOOL_ASKED.search(q.norm) is not None
    return "没有说在哪所学校举办" if asked and not names_venue(c) else ""


def _winner_misfit(q: Query, c: Candidate) -> str:
    """一等奖被哪所学校拿走了 and the sentence names where the contest was held, not who won it."""
    return "最接近的段落只说了比赛在哪里举办，没有说是谁获得的。" if venue_misfit(q, c) else ""


# the school it was held at (赛项在云南林业职业技术学院落幕), not one that took part; or the one that won, not the host
_VENUE_SCHOOL = Swap(_venue_unnamed, lambda q, c: names_venue(c), wide=True, declines=False)
_WINNER = Swap(_winner_misfit, lambda q, c: bool(c.spans) and not venue_misfit(q, c))


def _agent_misfit(q: Query, c: Candidate) -> str:
    """哪所学校承办的 and the name found is not said to host it (湖汽职院获…赛项团体一等奖: a winner): a name whose
    clause says 承办 or where it was held answers; else the question is declined."""
    if q.answer_type is not AnswerType.ORG or q.agent_verb not in ("承办", "主办", "协办") or not c.spans \
            or c.spans[0].measure > 0 or names_venue(c):
        return ""
    return f"最接近的段落没有说是谁{q.agent_verb}的。"


def _payer_misfit(q: Query, c: Candidate) -> str:
    """社保钱谁来出 and the sentence does not say who pays (no 由…负担 clause): a runner-up that says it answers."""
    return "最接近的段落没有说费用由谁负担。" if q.asks_payer and not c.spans else ""


def _host_or_winner(q: Query, cands: list[Candidate], model: EvidenceModel) -> list[Candidate] | str:
    """The host school is asked and the best sentence does not name it, or else the winner is."""
    return (_VENUE_SCHOOL if _venue_unnamed(q, cands[0]) else _WINNER)(q, cands, model)


def _place_venue_misfit(q: Query, c: Candidate) -> str:
    """Where an event was held, and the place is named beside something else (北京大工匠表彰)."""
    asked = q.answer_type is AnswerType.PLACE and _VENUE_ASKED.search(q.norm) is not None
    return "最接近的段落没有说在哪里举办。" if asked and not _VENUE.search(c.simple) else ""


def _place_level_misfit(q: Query, c: Candidate) -> str:
    """曹晶是哪个省的人大代表 and the sentence names no province or city (曹晶建议…)."""
    if q.place_level and not c.spans and not _VENUE.search(c.simple):
        return f"最接近的段落没有说是哪个{_LEVEL_WORD[q.place_level]}。"
    return ""


def _definition_misfit(q: Query, c: Candidate) -> str:
    """什么是X and the sentence only uses the word (a runner-up that says “X是…” defines it)."""
    return "没有定义所问的词" if q.defined_term and not defines(q, c.simple) else ""


def _org_kind_misfit(q: Query, c: Candidate) -> str:
    """哪所学校 and the sentence names an association (苏州市美容美发行业协会)."""
    return "不是所问的一类机构" if q.org_kind and c.spans and not org_of_kind(c.spans[0].text, q.org_kind) else ""


def _contest_misfit(q: Query, c: Candidate) -> str:
    """国赛上拿了几个金奖 and the sentence reports a provincial contest."""
    return "最接近的段落说的是省级比赛，不是所问的全国比赛。" if contest_misfit(q, c) else ""


def _school_misfit(q: Query, c: Candidate) -> str:
    """湖南铁道职业技术学院主持了几个资源库 ← “湖汽职院先后主持国家资源库3个”: the sentence speaks of another school, and
    its passage never writes the one asked about."""
    if not q.named_schools or q.answer_type not in FIGURE_OR_DATE:
        return ""  # a figure or a date of a school; cases and lists are told with their own places and names
    schools = [n for n in institutions(c.simple) if org_of_kind(n, "学校")]
    text = normalise(to_simplified(f"{c.hit.meta.title}\n{c.hit.chunk.section}\n{c.hit.chunk.text}"))
    for name, forms in q.named_schools:
        if any(f in text for f in forms):
            continue
        # 湖北水职院 is 湖北水利水电职业技术学院 shortened (its characters in order); 湖汽职院 is not 湖南铁道职业技术学院
        others = [n for n in schools if not _shortens(n, name)]
        if others:
            return f"最接近的段落说的是{others[0]}，不是{name}。"
        if not any(_shortens(n, name) for n in institutions(text) if org_of_kind(n, "学校")):
            return f"最接近的段落没有说到{name}。"  # 黎明职业大学的就业率 ← “省内高校毕业生留皖就业率达75%左右”
    return ""


def _shortens(short: str, name: str) -> bool:
    """Every character of `short` is in `name`, in order (湖北水职院 ← 湖北水利水电职业技术学院)."""
    rest = iter(name)
    return all(ch in rest for ch in short)


def _companies_in(c: Candidate) -> int:
    return sum(org_of_kind(sp.text, "企业") for sp in find_spans(c.simple, AnswerType.ORG))


def _unnamed_list_misfit(q: Query, c: Candidate) -> str:
    """走访了哪些航空企业 and the sentence names no company (学院与走访企业…达成了多个合作意向)."""
    if q.answer_type is not AnswerType.LIST or not re.search(r"哪[些几][\u4e00-\u9fff]{0,4}(?:企业|公司)", q.norm) \
            or _companies_in(c):
        return ""
    return "最接近的段落没有列出它们的名称。"


# what a named thing is made of is asked: “三教”指哪三个, 4+3重点产业集群具体是哪七个产业, 模型包含哪些评价维度,
# 岗、课、赛、证分别代表啥, 提了哪些条件
_MEMBERS_ASKED = re.compile(
    r"(?:指|包括|包含|涵盖|分为)(?:的是)?(?:哪些|哪几|啥|什么|哪[二三四五六七八九十两\d]+[个项种类条方面点大])|"
    r"哪[二三四五六七八九十两\d]+[个项种类所家条方面点大]|分别(?:是|指|代表|叫)|"
    r"(?:哪些|什么|啥)(?:具体的?)?(?:标准|条件|维度|指标)")
# a sentence that lists (A、B; 一是…二是; A和B; 包括…; 下列…：)
_LISTS = re.compile(r"[、；;]|[一二三四五六七八九十]是|第[一二三四五]|[（(][一二三四五六七八九十\d][)）]|.(?:和|与|及|以及).|"
                    r"包括|包含|涵盖|分为|等|[：:]$")


def _members_misfit(q: Query, c: Candidate) -> str:
    """“三教”改革里的三教指哪三个 and the sentence only names the reform (大力推进“三教”改革): it lists nothing."""
    if q.answer_type not in (AnswerType.LIST, AnswerType.EXPLANATION) or not _MEMBERS_ASKED.search(q.norm) \
            or _LISTS.search(c.simple.rstrip("。！？!?”\" ")):
        return ""
    return "最接近的段落提到了它，但没有列出具体包括哪些。"


def _name_misfit(q: Query, c: Candidate) -> str:
    """那所学校叫什么名字 and the sentence names none (积极推进职业本科学校筹建工作). (谁 alone may be answered by a role:
    行政权属于君主.)"""
    if q.answer_type not in (AnswerType.PERSON, AnswerType.ORG) or not _NAME_ASKED.search(q.norm) \
            or _span_for(c, q, q.answer_type) is not None:
        return ""
    return "最接近的段落没有说出是谁。" if q.answer_type is AnswerType.PERSON else "最接近的段落没有说出名称。"


_AFTER_POST = re.compile(f"(?:{'|'.join(POSTS)})$")


@lru_cache(maxsize=256)
def persons_with_post(norm: str) -> tuple[str, ...]:
    """The people a question names with a post (特级技师王伟 → 王伟), read as a person's name by the tagger too (not
    老师本人, 总理报告里); once per question, however many candidates are checked."""
    out, pos = [], 0
    for word, flag in pos_tags(norm):
        if flag == "nr" and 2 <= len(word) <= 3 and _AFTER_POST.search(norm[:pos]):
            out.append(word)
        pos += len(word)
    return tuple(out)


_QUOTED_NAME = re.compile(r"[“\"「『]([^”\"」』]{2,12})[”\"」』]")


def _quoted_name_misfit(q: Query, c: Candidate) -> str:
    """The question quotes a name (“双优计划”) the sentence never writes, and the sentence quotes a sibling of it, the
    same length with the same ending (“双高计划”): it is about the other one."""
    asked = _QUOTED_NAME.findall(q.norm)
    if not asked:
        return ""
    text = normalise(c.simple)
    for name in asked:
        if name in text:
            continue
        for other in _QUOTED_NAME.findall(text):
            if other != name and len(other) == len(name) and other[-2:] == name[-2:]:
                return f"最接近的段落说的是“{other}”，不是“{name}”。"
    return ""


def _review_misfit(q: Query, c: Candidate) -> str:
    """A target is asked (2014年政府工作报告定的城镇新增就业目标) and the figure is from the part of a report that reviews
    the year before (一、2013年工作回顾: 城镇新增就业1310万人): what was done, not what was set."""
    if q.answer_type not in (*MEASURED, AnswerType.PERCENT) or not c.spans or not asks_target(q):
        return ""
    return "最接近的段落是工作回顾里的实际数，不是所问的目标。" if "回顾" in c.hit.chunk.section else ""


def _prior_misfit(q: Query, c: Candidate) -> str:
    """上一年度拿了多少项奖 and the figure is this year's (共获得了69项奖项), not the one compared against (比上年度的63项).
    A report's review of the year before (2015年政府工作报告回顾上一年时…) states that year's figures as they are."""
    if not q.asks_prior or q.answer_type not in MEASURED or not c.spans or is_prior(c.simple, c.spans[0]) \
            or re.search(r"报告|两会|回顾", q.norm):
        return ""
    return "最接近的段落里的数字是当年的，不是上一年的。"


# what a year came to, asked (2018年城镇新增就业人数最后是多少, 2024年全年…一共多少)
_OUTCOME_ASKED = re.compile(r"最后|最终|实际|全年[^，,。？?]{0,12}(?:一共|共|累计|总共)")
# a figure set as a target: 1100万人以上, 5.5%左右, 3%以内
_TARGET_MARK = re.compile(r"^(?:以上|以内|左右)")


def _target_misfit(q: Query, c: Candidate) -> str:
    """What a year came to is asked and the figure is the target a report set for it (the 2018 report's plans:
    城镇新增就业1100万人以上), not the next report's review of what was done (1361万人)."""
    if q.answer_type not in (*MEASURED, AnswerType.PERCENT) or not c.spans or asks_target(q) \
            or not _OUTCOME_ASKED.search(q.norm) or "政府工作报告" not in c.hit.meta.title or "回顾" in c.hit.chunk.section:
        return ""
    sp = c.spans[0]
    if _TARGET_MARK.match(c.simple[sp.start + len(sp.text) :]) or sp.text.endswith(("以上", "以内", "左右")):
        return "最接近的段落里的数字是当年定的目标，不是实际完成的数。"
    return ""


def _person_misfit(q: Query, c: Candidate) -> str:
    """王伟是哪一年进的中国商飞 and the sentence, with the one before it, never names 王伟 (自2018年起，上海人社部门…):
    a figure or date of someone else. The person is one the question names with a post (特级技师王伟)."""
    if q.answer_type not in FIGURE_OR_DATE:
        return ""
    names = persons_with_post(q.norm)
    if not names:
        return ""
    sentences = c.hit.chunk.sentences
    near = normalise(" ".join([c.simple, to_simplified(sentences[c.index - 1]) if c.index > 0 else "",
                               c.hit.meta.title, c.hit.chunk.section]))
    return "" if any(n in near for n in names) else f"最接近的段落没有说到{names[0]}。"


def _expansion(q: Query, cands: list[Candidate], model: EvidenceModel) -> list[Candidate]:
    """“五金”是哪五个: the sentence that lists the items (金专、金课、金师、金地、金教材) answers, wherever it ranks, over
    one that only uses the term. When none lists them, the answer is left to the other checks: such a term is often
    explained without its items (一带一路, 两会)."""
    if not q.abbreviation or enumerates(q.abbreviation, cands[0].simple):
        return cands
    listed = next((c for c in cands if enumerates(q.abbreviation, c.simple)), None)
    return promoted(listed, cands) if listed is not None else cands


_ABOLISH_ASKED = re.compile(r"废止|作废|失效|废除")
_ISSUED_ON = re.compile(r"^(?:[^，。；]{0,24}?)(?:颁布|发布|公布|通过|印发)")


def _abolished_with(q: Query, cands: list[Candidate], model: EvidenceModel) -> list[Candidate]:
    """社会力量办学条例是什么时候废止的 ← “1997年7月31日国务院颁布的《社会力量办学条例》同时废止”: 同时 means on the day
    the law that says so takes effect (本法自2003年9月1日起施行), not the old rule's issue date written before it."""
    best = cands[0]
    if q.answer_type is not AnswerType.DATE or not _ABOLISH_ASKED.search(q.norm) or "同时废止" not in best.simple \
            or not best.spans or not _ISSUED_ON.match(best.simple[best.spans[0].start + len(best.spans[0].text) :]):
        return cands
    doc = best.hit.chunk.doc_id
    effect = next((c for c in cands if c.hit.chunk.doc_id == doc and c.spans and "起施行" in c.simple), None)
    return promoted(effect, cands) if effect is not None else cands


def _change_misfit(q: Query, c: Candidate) -> str:
    """A change where the amount is asked, in a question that names its year or report (2017年的政府工作报告…目标定的是
    多少): another sentence of that year may state the amount. 去年…多少人 names none: a year's result found near a
    change (全年城镇新增就业1314万人, of 2016) is not last year's, and the change is declined as before."""
    return figure_misfit(q, c) if states_a_change(q, c) and (q.years or q.documents) else ""


def _excluded_misfit(q: Query, c: Candidate) -> str:
    """除了婴幼儿照护服务的，还同时成立了哪个产教融合共同体 and the sentence names only the one set aside (全国婴幼儿照护服务
    产教融合共同体正式成立): with that name taken out, the thing asked (融合共同体) is no longer in it."""
    head = q.focus[-5:]  # 产教融合共同体 (a bare 为共同体捐赠 refers back to the one set aside)
    if not q.excluded or len(head) < 2 or head in q.excluded:
        return ""
    text = normalise(c.simple)
    if head not in text:
        return ""
    rest = re.sub(re.escape(q.excluded) + rf"[^，,。；;、]{{0,12}}?{re.escape(head)}", " ", text)
    return "" if head in rest else f"最接近的段落只说了{q.excluded}。"


def _affiliation(q: Query) -> str:
    """The organisation a person is asked of: 国务院发展研究中心哪位领导 → 国务院发展研究中心 ('' when none)."""
    if q.answer_type is not AnswerType.PERSON:
        return ""
    for name in institutions(q.norm):
        i = q.norm.find(name) + len(name)
        if re.match(r"的?(?:哪一?位|谁)", q.norm[i:]):
            return name
    return ""


def _affiliation_misfit(q: Query, c: Candidate) -> str:
    """国务院发展研究中心哪位领导 and the name's clause is about another body (湖南机电职院党委书记伍光强): the person is
    not of the organisation asked."""
    org = _affiliation(q)
    if not org or not c.spans:
        return ""
    clause = normalise(clause_up_to(c.simple, c.spans[0].start))
    return "" if org[:4] in clause or org[-4:] in clause else f"最接近的段落没有说{org}的人。"


_WITHIN_ASKED = re.compile(r"(?:多久|多长时间|多少天|几天|几个月|多少个月|几年)(?:以|之)?内")
_AT_LEAST_ASKED = re.compile(r"满(?:多久|多长时间|几年|多少年|几个月)|(?:多久|多长时间|几年|几个月)(?:以上|及以上)|"
                             r"至少[^，,]{0,4}?(?:多久|多长时间)")


def _bound_misfit(q: Query, c: Candidate) -> str:
    """多久内得去申请 asks a deadline (12个月内), 失业保险得交满多久 a minimum (一年以上): a period bounded the other way
    answers the other question."""
    if q.answer_type is not AnswerType.PERIOD or not c.spans:
        return ""
    sp = c.spans[0]
    after = c.simple[sp.start + len(sp.text) : sp.start + len(sp.text) + 3]
    if _WITHIN_ASKED.search(q.norm) and re.match(r"(?:以上|及以上)", after):
        return "最接近的段落里的时间是最短期限，不是所问的期限。"
    if _AT_LEAST_ASKED.search(q.norm) and re.match(r"(?:以)?内|之内", after):
        return "最接近的段落里的时间是期限，不是所问的最短时间。"
    return ""


def _given_as_total(c: Candidate) -> bool:
    sp = c.spans[0]
    return re.search(r"共|累计|合计|总计|总数", c.simple[max(0, sp.start - 4) : sp.start]) is not None


def _total_misfit(q: Query, c: Candidate) -> str:
    """一共多少个项目 asks a total: a figure its sentence does not give as one (最终有4个项目脱颖而出, one school's) yields
    to a close runner-up that does (“职教赛道”共131个项目进入现场总决赛)."""
    if q.answer_type not in MEASURED or not c.spans or not _TOTAL_ASKED.search(q.norm) or _given_as_total(c):
        return ""
    return "最接近的段落里的数字不是总数。"


def _never(q: Query, c: Candidate) -> bool:
    return False


# the checks on the best sentence, in order; each may hand the answer to a close runner-up or decline
_CHECKS: tuple[Callable[[Query, list[Candidate], EvidenceModel], list[Candidate] | str], ...] = (
    # 专家组组长由谁担任: a name beside another post (副组长) does not say who holds this one
    Swap(role_misfit, lambda q, c: bool(c.spans) and not role_misfit(q, c)),
    _first_proposer,
    _abolished_with,
    # the date of another event than the one asked: a runner-up that says the event answers
    Swap(_event_misfit, lambda q, c: bool(c.spans) and not _event_misfit(q, c), wide=True),
    # until when: a runner-up that gives the end (于2023年—2025年举办) answers instead
    Swap(_until_misfit, lambda q, c: says_until(c), declines=False),
    _newest_statement,
    # another education level: a runner-up that names no other level answers instead
    Swap(_level_misfit, lambda q, c: not _level_misfit(q, c)),
    # another admission batch (高职专科批 for 本科批): a runner-up about the batch asked answers
    Swap(_batch_misfit, lambda q, c: not _batch_misfit(q, c)),
    _host_or_winner,
    # where it was held: a runner-up that says so (长沙举行…成立大会)
    Swap(_place_venue_misfit, lambda q, c: bool(c.spans) and bool(_VENUE.search(c.simple))),
    Swap(_place_level_misfit, lambda q, c: bool(c.spans)),
    _expansion,
    Swap(_definition_misfit, lambda q, c: defines(q, c.simple), among=5, wide=True, declines=False),
    # a figure or date of someone other than the person asked about
    Swap(_person_misfit, lambda q, c: bool(c.spans) and not _person_misfit(q, c)),
    # another programme of the same shape (“双高计划” for “双优计划”): a runner-up that is not about it answers
    Swap(_quoted_name_misfit, lambda q, c: not _quoted_name_misfit(q, c)),
    # another school than the one asked about: a runner-up whose passage is about it answers
    Swap(_school_misfit, lambda q, c: not _school_misfit(q, c)),
    # a change (比去年多100万人) where the amount is asked: a close runner-up that states an amount of what is asked
    # answers (城镇新增就业1100万人以上; not 高校毕业生795万人 for 扩招)
    Swap(_change_misfit, lambda q, c: bool(c.spans) and (not q.focus or c.features["focus_in_sent"] >= 1.0)
         and not (figure_misfit(q, c) or _review_misfit(q, c) or _target_misfit(q, c)), wide=True),
    # a figure that counts something else is never offered, nor is a runner-up's (figure_misfit's reasons)
    Swap(figure_misfit, _never, among=0),
    # a past year's result for a target asked: a runner-up from the report's plans answers
    # (after figure_misfit, whose reasons say more: 累计扩招413万人 is a cumulative figure)
    Swap(_review_misfit, lambda q, c: bool(c.spans) and not _review_misfit(q, c), among=5, wide=True),
    # last year's figure asked: a runner-up that gives the one compared against (比上年度的63项) answers
    Swap(_prior_misfit, lambda q, c: bool(c.spans) and is_prior(c.simple, c.spans[0]), declines=False),
    # what a year came to, asked: a runner-up from a report's review of that year answers, not the target set for it
    Swap(_target_misfit, lambda q, c: bool(c.spans) and not _target_misfit(q, c), among=5, wide=True),
    Swap(_org_kind_misfit, lambda q, c: bool(c.spans) and org_of_kind(c.spans[0].text, q.org_kind), wide=True,
         declines=False),
    # a provincial contest never answers for the national one
    Swap(_contest_misfit, lambda q, c: not (contest_misfit(q, c) or venue_misfit(q, c))
         and (bool(c.spans) or q.answer_type not in FIGURE_OR_DATE), wide=True),
    Swap(_name_misfit, lambda q, c: _span_for(c, q, q.answer_type) is not None and not role_misfit(q, c)),
    # which organisations, and the best sentence names none: a runner-up within the list margin that names some
    Swap(_unnamed_list_misfit, lambda q, c: _companies_in(c) >= 2, wide=True, declines=False),
    # what a thing is made of, and the best sentence lists nothing: a runner-up that lists answers
    Swap(_members_misfit, lambda q, c: not _members_misfit(q, c)),
    # a deadline asked (多久内) and the period is a minimum (一年以上), or the other way round: a runner-up bounded as asked
    Swap(_bound_misfit, lambda q, c: bool(c.spans) and not _bound_misfit(q, c), declines=False),
    # a person of a named organisation (…中心哪位领导): a close runner-up whose name is of that body answers
    Swap(_affiliation_misfit, lambda q, c: bool(c.spans) and not _affiliation_misfit(q, c), declines=False),
    # another of a kind is asked (除了X，还…哪个) and the sentence names only X: a runner-up that names another answers
    Swap(_excluded_misfit, lambda q, c: not _excluded_misfit(q, c), among=5, wide=True, declines=False),
    # who hosted it is asked: a runner-up whose name's clause says so, or where it was held
    Swap(_agent_misfit, lambda q, c: bool(c.spans) and not _agent_misfit(q, c), wide=True),
    # who pays is asked: a runner-up that says who (由财政经费进行合理负担) answers
    Swap(_payer_misfit, lambda q, c: bool(c.spans), wide=True),
    # a total asked (一共多少个): a close runner-up that gives its figure as a total (共131个) answers
    Swap(_total_misfit, lambda q, c: bool(c.spans) and _given_as_total(c), declines=False),
)


def extractive_answer(q: Query, hits: list[ScoredChunk], model: EvidenceModel, idf, max_sentences: int = 2) -> Answer:
    cands = rank(candidates(q, hits, idf), model)
    if not cands:
        return refuse(q, hits)
    if model.answerable(q, cands) < model.threshold:
        return refuse(q, hits, role_misfit(q, cands[0]) or figure_misfit(q, cands[0]))
    for check in _CHECKS:
        checked = check(q, cands, model)
        if isinstance(checked, str):
            return refuse(q, hits, checked)
        cands = checked
    best = cands[0]
    book = CitationBook(hits)
    if q.answer_type is AnswerType.LIST and not _opens_items(best) and _asks_cases(q):
        per_doc: list[Candidate] = []
        seen: set[str] = set()
        for c in cands:
            if c.score < best.score - model.list_margin:
                break
            if q.item_type is AnswerType.PLACE and not first_place(normalise(c.simple + c.hit.chunk.section))[0] \
                    and c.hit.meta.region in ("", "全国"):
                continue  # where is asked: a national rule is not a place's case
            if c.features["chunk_cov"] < 0.6 * best.features["chunk_cov"]:
                continue  # a case is of what is asked: 马来穿山甲分布在哪些地区 lists no other animal's range
            if c.hit.chunk.doc_id not in seen:
                seen.add(c.hit.chunk.doc_id)
                per_doc.append(c)
        if len(per_doc) >= 2:
            items = []
            for c in per_doc[:5]:
                n = book.cite(c.hit, c.sentence)
                label = _place_label(c)
                items.append(f"{len(items) + 1}. {label + '：' if label else ''}{_quote(c, q, 90)}[{n}]")
            return Answer(q.text, "资料中的相关案例：\n" + "\n".join(items), False, book.citations,
                          standalone_question=q.standalone)
        # 企业…是哪几家, and 那22家企业具体都是哪些公司: names of that kind are asked (哪些企业应当… asks a kind of
        # company, which a rule names)
        asked = re.search(r"(企业|公司|学校|院校|高校)[^，,。？?]{0,6}哪[几些]", q.norm) or (
            re.search(r"具体|分别|名单|\d+[家所个]", q.norm) and re.search(r"哪[几些][家所个]?(企业|公司|学校|院校|高校)", q.norm))
        names = find_spans(best.simple, AnswerType.ORG)
        several = re.search(r"哪[几些]", q.norm) is not None  # 有哪所学校入选: one name answers it
        if q.item_type is AnswerType.ORG and ((several and "、" not in best.simple and len(names) < 2)
                                              or (asked and not any(org_of_kind(sp.text, ORG_KIND_OF[asked[1]])
                                                                    for sp in names))):
            # 具体是哪几家: one passage that counts them (首批遴选15家企业) but names none does not list them, nor does
            # one that lists other kinds of names (企业 asked, 开发区、工业园区 listed; 试点学校 asked, 北京劳动保障职业
            # 学院、… listed answers)
            return refuse(q, hits, "最接近的段落没有列出它们的名称。")
    if q.abbreviation and (items := enumerates(q.abbreviation, best.simple)):
        # “五金”是哪五个 → 金专、金课、金师、金地、金教材, then the sentence that lists them
        n = book.cite(best.hit, best.sentence)
        quote = _quote(best, q, 120, items)
        return Answer(q.text, f"{items}。{attribution(best.hit, quote)}“{quote}”[{n}]", False, book.citations,
                      standalone_question=q.standalone)
    kind = q.answer_type
    if kind.is_short:
        span = _span_for(best, q, kind)
        if span is not None and kind is AnswerType.ORG and q.org_kind and not org_of_kind(span.text, q.org_kind):
            span = None  # 哪家企业 and the sentence names only an association (产教融合发展联盟): quoted, not led by it
        if span is not None:
            n = book.cite(best.hit, best.sentence)
            lead = span.text
            if kind in FIGURE_OR_DATE and (each := each_value(q, best.simple, kind)):
                lead = each  # 路演和答辩分别多长时间 → 路演10分钟、答辩5分钟
            elif q.asks_frequency and best.simple[max(0, span.start - 1) : span.start] == "每":
                lead = "每" + span.text  # 多久办一届 → 每两年
            elif kind is AnswerType.ORG:
                lead = names_together(best.simple, span, q)  # 山东理工职业学院、超星职业教育研究院联合承办: both
                if lead == span.text and (whole := full_name(span.text, best)):
                    lead = f"{whole}（{span.text}）"  # the school as a reader knows it, and as the quote calls it
            quote = _quote(best, q, 60, span.text)
            if kind is AnswerType.PERSON and span.text not in best.simple:
                quote = f"{quote}{_naming_sentence(best, q, span.text)}"  # the quote's speaker, named next to it
            if asked := _item_asked(best, q):
                quote = f"{quote}…{asked}"  # 2／3以上组成人员同意方可通过：…（二）聘任、解聘校长；
            source = attribution(best.hit, quote, q.asks_latest)
            if q.asks_document_year and span.text not in best.simple:  # the year of the document that says it
                source = f"《{to_simplified(best.hit.meta.display_title)}》："
            return Answer(q.text, f"{lead}。{source}“{quote}”[{n}]", False, book.citations,
                          standalone_question=q.standalone)
    parts: list[str] = []
    said: set[str] = set()
    quoted = ""
    for c in cands:
        if len(parts) >= max_sentences or (parts and c.score < best.score - model.quote_margin):
            break
        key = normalise(c.sentence)
        if key in said or normalise(c.simple) in quoted:
            continue  # already quoted, alone or as the clause that completes another
        said.add(key)
        n = book.cite(c.hit, c.sentence)
        text = _quote_with_continuation(c, q, 180)
        quoted += normalise(text)
        parts.append(f"{attribution(c.hit, text, q.asks_latest)}“{text}”[{n}]")
    return Answer(q.text, "\n".join(parts), False, book.citations, standalone_question=q.standalone)


# ---- what changed between versions ------------------------------------------------------------------------------

CHANGE_Q = re.compile(r"变化|变了|改了|修改|改动|有何不同|有什么不同|区别|新旧|对比|对照|修订后|修改后|前后")
_CHANGE_WORDS = re.compile(r"变化|变了|改了什么|改了|修改|改动|有何不同|有什么不同|不同|区别|新旧|对比|对照|修订后|修订前|修改后|"
                           r"前后|关于|方面|有哪些|有什么|哪些|什么|在|对|的|了|吗|呢|新版|旧版|(?:19|20)\d{2}年?")


def change_topic(q: Query) -> str:
    """"2022年修订后职业教育法关于实习有什么变化" → "实习"."""
    text = q.norm
    for d in q.documents:
        text = text.replace(d, " ")
    for alias in ("职教法", "新职教法"):
        text = text.replace(alias, " ")
    return re.sub(r"[\s，。？?！!、]+", " ", _CHANGE_WORDS.sub(" ", text)).strip()


def diff_answer(q: Query, d: LawDiff, max_pairs: int = 3) -> Answer:
    """The changed articles on the topic, old and new side by side, each cited, with what was added and removed."""
    changed = [p for p in d.pairs if p.changed][:max_pairs]
    if not changed:
        return refuse(q, [], f"《{d.name}》{version_name(d.old)}与{version_name(d.new)}中关于“{d.topic}”的条文没有找到改动。")
    hits = [h for p in changed for prov in (p.old, p.new) if prov for h in prov.hits]
    book = CitationBook(hits)
    tq = parse_query(d.topic)
    lines = [f"《{d.name}》{version_name(d.old)}与{version_name(d.new)}关于“{d.topic}”的条文对照："]
    for i, p in enumerate(changed, 1):
        def cite(prov):
            return "".join(f"[{book.cite(h, h.chunk.sentences[0])}]" for h in prov.hits)

        if p.old and p.new and p.similarity >= REWRITTEN:
            added = "、".join(f"“{t}”" for op, t in p.ops if op == "insert" and len(t) >= 4)[:100]
            removed = "、".join(f"“{t}”" for op, t in p.ops if op == "delete" and len(t) >= 4)[:100]
            change = "；".join(x for x in (f"新增{added}" if added else "", f"删去{removed}" if removed else "") if x)
            lines.append(f"{i}. {version_name(d.old)}{p.old.label}{cite(p.old)} → {version_name(d.new)}{p.new.label}"
                         f"{cite(p.new)}：{change or '措辞调整'}。")
            continue
        old = f"{version_name(d.old)}{p.old.label}：“{trim(p.old.text, tq, 70)}”{cite(p.old)}" if p.old \
            else f"{version_name(d.old)}没有对应条文"
        new = f"{version_name(d.new)}{p.new.label}：“{trim(p.new.text, tq, 70)}”{cite(p.new)}" if p.new \
            else f"{version_name(d.new)}已删去此条"
        lines.append(f"{i}. {old}\n   → {new}")
    return Answer(q.text, "\n".join(lines), False, book.citations, standalone_question=q.standalone)
