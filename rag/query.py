"""The question, parsed once: normalised text, its tokens and content units, the places, years, ordinals, documents
and articles it is pinned to, and the type of answer it expects. Follow-ups are resolved here too, by slot."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property, lru_cache

from rag.figures import cn_number, find_figures
from rag.laws import ALIASES
from rag.places import Place, find_places, gazetteer
from rag.records import Filters
from rag.text import bigram_tokens, normalise, pos_tags, to_simplified, word_tokens, word_tokens_plain


class AnswerType(str, Enum):
    COUNT = "count"  # 28个, 9.2万人
    AMOUNT = "amount"  # 1.05亿元
    PERCENT = "percent"  # 50%
    DATE = "date"  # 2022年5月1日
    PERIOD = "period"  # 6个月
    PERSON = "person"
    ORG = "org"  # organisation, school, company, department
    PLACE = "place"
    LIST = "list"
    YESNO = "yesno"
    PROVISION = "provision"  # what a rule says
    EXPLANATION = "explanation"  # why / how / what is
    DOCUMENT = "document"  # a law, rule or report by its title: 《青岛市职业学校管理条例》

    @property
    def is_figure(self) -> bool:
        return self in FIGURE_TYPES

    @property
    def is_short(self) -> bool:
        """Answered by a span: a figure, a date, a name."""
        return self in SHORT_TYPES


FIGURE_TYPES = {AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.PERIOD}
SHORT_TYPES = FIGURE_TYPES | {AnswerType.DATE, AnswerType.PERSON, AnswerType.ORG, AnswerType.PLACE, AnswerType.DOCUMENT}
NAME_TYPES = {AnswerType.PERSON, AnswerType.ORG, AnswerType.PLACE, AnswerType.DOCUMENT}

# interrogatives and fillers: what the evidence does not have to contain
_Q_WORDS = re.compile(
    r"(请问|想问一下|想问|问一下|我想知道|知道|告诉我|是多少|有多少|为多少|多少|哪些|哪几|哪[一两二三四五六七八九十几]?[个家所项种类条部分年位方面天月]*|"
    r"有哪|什么样?|啥|咋样?|怎么样?|怎样|如何|是否|能否|能不能|可不可以|有没有|是不是|要不要|会不会|"
    r"一般|大概|大约|多长时间?|多久|多大|多高|几[个所家项条名人次种年月天]?|指的是|是谁|谁|何时|何地|为何|为什么|"
    r"吗|呢|啊|呀|吧|嘛|了|？|\?|。|！|!)"
)
# 有什么规定 / 怎么规定的 / 规定了哪些: the frame of a question about a rule; its 规定 is no content word (every rule is
# one: “本规定所指…” says nothing about 实习报酬)
_RULE_FRAME = re.compile(r"(?:有|是|作了|做了|作出了?|做出了?)?(?:什么|啥|哪些|何|怎么|怎样|如何)(?:样的)?(?:规定|说法)|"
                         r"规定了?(?:什么|啥|哪些)|(?:是)?怎么(?:规定|说)的")
_LIST = re.compile(r"哪些|哪几|有哪|都有什么|都有啥|列举|举例|案例|在做|做法|经验|典型")
_YESNO = re.compile(r"是否|能否|能不能|可不可以|可以.{0,12}吗|有没有|是不是|要不要|需不需要|会不会|算不算|行不行|必须.{0,12}吗|"
                    r"应当.{0,12}吗|允许.{0,12}吗|得.{0,8}吗")
# the target a rate is set at (失业率的预期目标定在多少): the rate is asked, not 预期
_RATE_TARGET = r"的?(?:预期|计划|年度)?(?:目标|指标)"
_PERCENT = re.compile(r"比例|比率|占比|比重|百分之几|百分比|百分之多少|多少%|率.{0,4}多少|率.{0,3}多高|多少[\u4e00-\u9fff]{0,2}率|"
                      rf"率{_RATE_TARGET}(?:定在|定为|控制在|是|为|要达到)?多少|"
                      r"几成|增长了?多少|增幅|降幅|(?:几|多少)个?百分点|"
                      r"(?:降|升|提高|降低|下调|上调|增长|下降|涨|跌|减)[^，,]{0,3}(?:几|多少)个点(?!位)"  # 降到几个点: points
                      r"|多少(?:人|成员|委员|代表)(?:以上)?(?:同意|赞成|通过|表决)"  # a vote: 三分之二以上组成人员同意
                      # a ratio: 职位供求比是多少, 师生比要达到多少 (not 比去年多多少, 相比有多少)
                      r"|(?<![相对无好类可评攀排正反])(?<=[\u4e00-\u9fff])比(?:是|为|要|应|约|大概|达到|不|能|在)[^，,。？?]{0,4}多少")
_AMOUNT = re.compile(r"多少钱|多少元|多少万元|多少亿|金额|资金|经费|投入|拨款|补贴|补助|补多少|收入|工资|报酬|费用|产值|营收|奖金|GDP|生产总值|"
                     r"罚款|罚多少|捐赠|捐了|基金|学费|薪酬|月薪|年薪|资助金|助学金|奖学金|支出|预算|(?<![条])款(?!项)")
_PERIOD = re.compile(r"多长时间|多少[\u4e00-\u9fff]{0,6}?时间|多长|多久|多少年|几年|几个月|多少个月|多少天|几天|期限|时长|学制|"
                     r"年限|周期|多少学时|几周|几分钟|多少分钟|几个?小时|多少个?小时|几个?学时|"
                     r"(?:时间|工时)(?:最多|最长|最少|最短|一般|大概|大约|不能超过|不得超过|是|为|有|能|可以)*(?:多少|几)(?![钱元人])")
_DATE = re.compile(r"什么时候|何时|哪一年|哪年|哪一天|哪天|几月|(?<![〕\]］）)])几号|日期|什么时间|起施行|开始施行|生效|从哪天|成立于|哪个月")
_COUNT = re.compile(r"多少|几[个所家项条名人次种类批万亿倍座支门]|数量|规模(?!以上|以下)|几$|[^哪]几|多大|多高|多宽|多远|多重|面积")
_PERSON = re.compile(r"哪位|谁|什么人|姓名|叫什么名字|(?:校长|院长|书记|主任|局长|厅长|部长|董事长|总经理|理事长|会长|主席|"
                     r"老师|教授|领导|选手|冠军|代表|专家|负责人|师傅|同学|学生|学员|姑娘|小伙|传承人|大师|工匠)(?:的名字)?[，,]?叫(?:什么|啥)")
# the nouns for a school or an organisation that a question asks which one of (哪所学校, 理事长单位是哪家)
_ORG_NOUNS = "学校|院校|学院|大学|部门|单位|企业|公司|机构|组织|高校"
_ORG_ASKED = re.compile(rf"哪[个家所些几]?[个家所]?(?:[\u4e00-\u9fff]{{0,4}}?)(?:{_ORG_NOUNS}|中职|高职|职校|集团|联盟|平台)|"
                        r"(?:由|归|是)?(?:什么|哪个)(?:部门|单位|机构|组织)|谁(?:来|去)?(?:负责|主管|牵头|组织|承担|批准|审批|批|制定|清算|监督|认定|"
                        r"承办|主办|协办|出钱|出资|出(?=[？?，,。呢啊]|$)|负担|支付|掏钱|买单)|(?:单位|部门|机构|组织)(?:是|为)谁")
_PAYER_ASKED = re.compile(r"(?:费|钱|资金|经费|社保|工资|保险|补贴|补助)[\u4e00-\u9fff]{0,8}?(?:由谁|谁)来?(?:出|负担|承担|支付|掏|买单)|"
                          r"谁来?(?:出钱|出资|掏钱|买单)")
_PLACE_ASKED = re.compile(r"哪里|在哪(?![几个家所些位])|什么地方|哪个(?:省|市|县|区|地方|城市|地区)|哪些(?:省|市|县|地方|城市|地区)|哪[省市县]")
# what money or a thing is spent on (花在什么地方, 用在哪些方面, 用到哪儿): its use, not a place
_USE_ASKED = re.compile(r"(?:花|用|投|使用|投入)(?:在|到|于)(?:什么地方|哪里|哪儿|哪些地方|哪些方面|什么方面|哪方面|哪)")
_PROVISION = re.compile(r"规定|条款|第.{1,5}条|怎么说|有什么要求|要求|应当|必须|义务|权利|职责|责任|处罚|罚|禁止|不得|条件|标准|程序")
_EXPLAIN = re.compile(r"为什么|为何|如何|怎么|怎样|什么是|是什么|指什么|含义|意义|作用|目的|原因|措施|举措|办法")

# a year, not a quantity that starts like one (2000万人次, 2015.6亿元, 2023个)
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.万亿千百元%个人名位所家项次条余多])\s*年?")
_DOC_NUMBER = re.compile(r"[〔\[【（(]\s*(?:19|20)\d{2}\s*[〕\]】）)]\s*\d+\s*号")
# 17年政府工作报告, 23年两会: a two-digit year where what follows says it is one
_SHORT_YEAR = re.compile(r"(?<![\d.])([12]\d)年(?=两会|的?(?:政府工作)?报告|的?总理|那份|那届|全国两会|的两会|高考|国赛|省赛)|"
                         r"^([12]\d)年(?!来|间|内|以|多|前|后|左右|时间|[的之]?(?:时间|期限))")  # or opening the question: 25年中央预算内投资
_REPORT_YEARS = re.compile(r"(?:(?<![\d.])(?:(?:19|20)\d{2}|[12]\d)\s*年?\s*(?:[和、与及至到]|以及)?\s*)+(?<=年)"
                           r"(?:的|那份|那一份|的那份)?(?:全国)?(?:国务院)?(?:政府工作)?(?:报告|两会)|"
                           r"政府工作报告[（(](?:(?:19|20)\d{2}|[12]\d)年?[）)]")
_REPORT_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2}|[12]\d)\s*年(?:的|那份|那一份|的那份)?(?:全国)?(?:政府工作报告|两会)")
_ORDINAL = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)([批届次期轮])")
# 第一条铁路 / 第三条地铁线 count ways, not articles
_ARTICLE = re.compile(r"第([一二三四五六七八九十百零〇两\d]+)条(?![\u4e00-\u9fff]{0,3}(?:铁路|公路|道路|路线|线路|航线|地铁|隧道|跑道|高速|街|河))")
_NAMED_DOC = re.compile(r"《([^》]{2,40})》")
# a document's name ends where the question goes on: 第…条, 规定, 所称, 一共, 什么时候, 和…
_LAW_NAME = re.compile(r"([\u4e00-\u9fff]{1,20}?(?:法典|法|条例|实施办法|办法|规定|方案|意见|决定|纲要|报告))"
                       r"(?=第|规定|里|中|怎么|关于|对|有|是|要|所称|所说|所指|明确|提出|一共|共|总共|什么|何时|哪|几|多少|啥|"
                       r"和|与|及|、|修订|修正|修改|最近|最新|最后|最早|最初|最先|当初|起初|颁布|公布|生效|废止|"
                       r"$|[，,？?。的]|\d)")
# words for a version written before a document's name (新修订的职业教育法, 现行的条例)
_VERSION_WORDS = re.compile(r"^(?:新修订|修订后|修订|新修改|修改后|新版|最新|现行|旧版|老版|原来|原)的?(?=[\u4e00-\u9fff]{3,})")
# what people call documents (the short form → the words of the title)
DOC_ALIASES = {**ALIASES, "政府工作报告": "政府工作报告", "两会报告": "政府工作报告"}
LEVELS = {"中职": ("中职", "中等职业"), "高职": ("高职", "高等职业"), "职业本科": ("职业本科", "本科层次职业"),
          "本科": ("本科",), "技工": ("技工", "技师")}
_BARE_KIND = {"办法", "规定", "方案", "意见", "决定", "纲要", "条例", "实施办法", "法典"}  # 这个办法: no name
# how much something changed is asked (增加了多少, 比去年多几所), not how much there is
# the year before (not 去年的政府工作报告, which names a report)
_LAST_YEAR = re.compile(r"(?:去年|上一年(?!度的)|前一年)(?!(?:的|那份)?(?:政府工作)?报告)")
_LATEST = re.compile(r"今年|本年度|目前|现在|当前|如今|眼下|最新|近期|最近|截至目前|到目前")
_CHANGE_ASKED = re.compile(r"(?:增加|增长|提高|减少|下降|降低|上升|涨|多|少|增|多出)了?(?:百分之)?(?:多少|几)|"
                           r"比.{0,16}?[多少高低].{0,3}?(?:百分之)?(?:多少|几)|增幅|降幅|变化|相差|差(?:了)?多少")
# where a figure comes from: 出自哪里, 哪份材料说的, 来源是什么
_SOURCE_ASKED = re.compile(r"出自|出处|来源|来自哪|源自|哪份|哪篇|哪个文件|哪条新闻|哪家媒体|谁说的|哪里说|哪儿说|"
                           r"在哪(?:里|儿)?(?:看到|提到|说|写)|哪里提到|哪里来的|有没有依据|依据是什么")
# questions about what the collection holds, not about what a passage says
_HOLDING_KINDS = r"(政府工作报告|条例|法律|办法|规定|方案)"
_NEWEST = re.compile(rf"(最新|最近|最早|最老)的?(?:一份|一部|一个)?{_HOLDING_KINDS}(?:是|为)?(?:哪一?年|哪个|哪份|哪部|什么时候)")
_HOLDINGS = re.compile(rf"(?:资料库|库里|库中|收录|你们|你|这里|系统)(?:里|中)?(?:都|一共|总共)?(?:有|收录了?|包括|包含)"
                       rf"(?:哪些|哪几|多少|几)(?:份|部|个|年的?)?{_HOLDING_KINDS}")
_ARTICLE_COUNT = re.compile(r"(?:多少|几)个?[条项](?:内容|条文|规定)?[吗呢啊呀]?[?？。!！\s]*$")
_INSTITUTION = re.compile(
    r"([\u4e00-\u9fff（）()]{2,24}?(?:职业技术学院|职业学院|高等专科学校|职业技术大学|职业大学|技师学院|技工学校|"
    r"职业中专|职业高级中学|职业中学|职教中心|职业教育中心|学院|大学|学校|集团|公司|管委会|联盟|联合体|"
    r"协会|学会|研究会|委员会|研究院|研究所|研究中心|测绘院|设计院|医院|中心|基金会|组织|总工会|工会|厅|局|部门|银行|法院|机关|"
    r"出版社|报社|电视台|人民政府)|"
    # a school's short name, written where a word begins: 湖汽职院, 长沙航院, 由湖汽职院 (not 高职院校)
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,5}?(?:职院|航院)(?!校))(?!生|生创|城)"  # 大学生 / 学院生 / 大学城 name people or a district
)


_NAME_START = re.compile(r"^(?:[余多所家个名等和与及的在了是由向对为将把被从到以其该本我各报经受按据给请]|全(?!国)|\d+(?:年(?!代))?|年(?![轻度级代])|"
                         r"[（(][一二三四五六七八九十\d]{1,3}[）)])+")  # （三）劳动部门: an item's number is not the name's


def name_start_stripped(text: str) -> str:
    """A name as it starts: without the particles, measure words and digits before it (在辰泰重钢 → 辰泰重钢)."""
    return _NAME_START.sub("", text)


# verbs of policy text that run into the noun after them (引导学校, 着力提升学校, 支持民办学校), and of a career (现任佛光
# 大学校长, 毕业于…): not part of a name
_LEADING_VERBS = re.compile(r"^(?:引导|深化|提升|着力|推动|推进|支持|鼓励|明确|加强|促进|办好|指导|要求|帮助|动员|依托|培育|扶持|"
                            r"规范|完善|落实|带动|实现|参与|开展|举办|服务|面向|评选|遴选|认定|命名|确定|打造|建好|建立|创建|设立|"
                            r"联合|协调|督促|组织|安排|发挥|激励|吸引|选派|推荐|评估|考核|管理|加快|发展|大力|积极|加大|扩大|"
                            r"优化|健全|提高|改善|适应|现任|曾任|历任|担任|出任|兼任|就读于|毕业于|任职于|就职于|办)+")

_PARTICLES = r"[的进在与和把将了是为已被到向从于]"  # what stands between names, not inside one


_SCHOOL_KIND = re.compile(r"(职业技术学院|职业学院|技师学院|技工学校|职业技术大学|职业大学|职业中学|职业学校|职业教育中心|"
                          r"高等专科学校|大学|学院|学校)$")
# what may stand between a place and a kind of school without naming one
_KIND_WORDS = re.compile(r"(?:全省|全市|全区|全县|全日制|公办|民办|中职|高职|中等|高等|职业|普通|各级|各类|市属|省属|区属|县属|"
                         r"直属|本科|专科|技工|本地|当地|境内|辖区|区域内|其他|一般|重点|示范|优质|高水平|"
                         # kinds by whom they teach or where (青岛特殊教育学校办职业教育: the city's special schools)
                         r"特殊教育|特教|残疾人|成人|老年|民族|寄宿制|农村|乡村|城区|社区)*")


# kinds that name one school after a city (烟台职业学院, 珠海技师学院), unlike 职业学校 or 学院 alone
_SPECIFIC_KINDS = ("职业技术学院", "职业学院", "技师学院", "职业技术大学", "职业大学", "高等专科学校")


def named_schools(norm: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """See Query.named_schools."""
    out = []
    for name in institutions(norm):
        kind = _SCHOOL_KIND.search(name)
        if kind is None:
            continue  # no kind of school, no school named
        before = name[: kind.start()]
        ends = {kind.group(1)[:2]} | ({"职院", "职大"} if kind.group(1).startswith("职业") else set())  # 湖汽职院
        # a place run into the words after it (苏州工业园区: one word to jieba) is found on its own
        places = find_places(before) or find_places(before[:3]) or find_places(before[:2])
        if not places:
            # 黎明职业大学: a name of its own before a kind that names one school, with no place
            if kind.group(1) in _SPECIFIC_KINDS and len(before) >= 2 and not _KIND_WORDS.fullmatch(before) \
                    and not re.search(r"[的了是在有和与及或把被从向对给哪几那这该某各本我]|什么|多少", before) \
                    and all(flag.startswith(("n", "j")) and flag != "ns" for _, flag in pos_tags(before)):
                out.append((name, tuple(sorted({before + end for end in ends} | {name}))))
            continue
        place = places[-1]
        own = before[before.rfind(place.name) + len(place.name) :]  # what the school is called after its place
        if (_KIND_WORDS.fullmatch(own) and not (own == "" and kind.group(1) in _SPECIFIC_KINDS)) or re.search(r"[的了是在有和与及或把被从向对给哪几那这该某]|什么|多少", own) \
                or any(flag.startswith("v") for _, flag in pos_tags(own)):
            continue
        stems = {f"{p}{own}" for p in {place.name, place.short, place.full} if p}
        stems |= {f"{place.short}市{own}"} if place.level == "city" else set()
        forms = {stem + end for stem in stems for end in ends}
        out.append((place.name + own + kind.group(1), tuple(sorted(forms))))
    return tuple(out)


def institutions(text: str) -> list[str]:
    """Names of schools and organisations in (simplified) text: 重庆市工业学校, 大连职业技术学院 (not 引导学校: a verb
    run into the noun after it)."""
    out = []
    found: list[str] = []
    end = -1
    for m in _INSTITUTION.finditer(text):
        if found and m.start() == end and found[-1].endswith("政府") and not re.match(_PARTICLES, m.group(1)):
            found[-1] += m.group(1)  # 县级以上人民政府人力资源社会保障行政部门: the government's department
        else:
            found.append(m.group(1))
        end = m.end()
    for x in found:
        # 学院与湖南省第二测绘院 → the second; a photo caption run into the name (比赛现场广东生态工程职业学院) → the name
        # a person between two names (设计学院学生刘通代表学校参赛): the name ends before them
        # a body founded in the clause (在全省高职院校中率先成立创新创业实体学院): the name is what was founded
        x = _NAME_START.sub("", re.split(f"{_PARTICLES}|现场|(?:学生|教师|老师)[\u4e00-\u9fff]{{2,3}}代表|"
                                         r"中(?:率先|首家|首个|第一个)(?:成立|建成|组建|设立|创办)了?", x)[-1])
        x = _LEADING_VERBS.sub("", x)
        if len(x) >= 7:
            x = _after_clause_break(x)
        if len(x) >= 4 and not _ALL_LEVELS.match(x):
            out.append(x)
    return out


# the bodies of every level of a place (恩施州各级人社部门): a kind of body, not one
_ALL_LEVELS = re.compile(r"^[\u4e00-\u9fff]{1,4}[省市州县区]各级")
# what a name never runs on past: a preposition, a conjunction, a particle (tagged p, c, u…), or a word of time
# (疫情期间); not a verb or a locative in general, which the tagger also finds inside names (欣旺达, 北方稀土, 县级以上)
_NOT_IN_NAME = ("p", "c", "u", "uj", "ul")
_TIME_WORDS = ("期间", "以来", "之际", "之后", "以后", "之前", "当时", "年代中")


def _after_clause_break(name: str) -> str:
    """A long name without the clause run into it: what follows its last preposition, conjunction, particle or word
    of time (相关日常工作由教育行政主管部门 → 教育行政主管部门, 疫情期间辽宁机电职业技术学院 → 辽宁机电职业技术学院),
    when at least four characters are left and they do not open with a bracket."""
    pos, at = 0, 0
    for word, flag in pos_tags(name)[:-1]:
        pos += len(word)
        if flag in _NOT_IN_NAME and word not in ("或者", "或"):  # A或者B: both are named
            at = pos
    for w in _TIME_WORDS:  # wherever written, as a word of its own or not (年代中台湾电视公司)
        i = name.rfind(w)
        if i >= 0 and i + len(w) > at and i + len(w) < len(name):
            at = i + len(w)
    rest = name[at:]
    return rest if len(rest) >= 4 and not rest.startswith(("(", "（")) else name


_ENUMERATION = re.compile(r"[\u4e00-\u9fff]{1,8}(?:、[\u4e00-\u9fff]{1,8})+")


def enumerates(abbreviation: tuple[tuple[int, str], ...], text: str) -> str:
    """The items a text lists for a term of counts and shared characters (Query.abbreviation): 金专、金课、金师、金地、
    金教材 for 五金, 去产能、去库存、去杠杆、降成本、补短板 for 三去一降一补; '' when it lists none."""
    total = sum(n for n, _ in abbreviation)
    marks = {ch for _, ch in abbreviation}
    for m in _ENUMERATION.finditer(text):
        items = m.group(0).split("、")
        # each item opens with its mark (the first may follow the words before the list: 抓好去产能)
        first = next((items[0][i:] for i in range(len(items[0])) if items[0][i] in marks), "")
        items = [first, *items[1:]]
        if len(items) == total and all(len(it) <= 5 for it in items) \
                and all(sum(it[:1] == ch for it in items) == n for n, ch in abbreviation):
            return "、".join(items)
    return ""


@dataclass(frozen=True)
class Query:
    """One question as the pipeline understands it; built once by `parse_query`, never re-tokenised downstream."""

    text: str  # as typed
    standalone: str  # after resolving a follow-up, in the typed script
    norm: str  # normalised (simplified, NFKC, lower case) standalone question
    core: str  # norm minus interrogatives: what the evidence must speak of
    words: tuple[str, ...]  # jieba search-mode tokens (BM25 words leg)
    bigrams: tuple[str, ...]  # character bigrams (BM25 bigram leg)
    units: frozenset[str]  # content units: bigrams inside content words, latin words and numbers
    places: tuple[Place, ...] = ()  # named in the question or set by the region filter
    years: tuple[str, ...] = ()
    ordinals: frozenset[tuple[str, int]] = frozenset()  # 第二批 → ("批", 2)
    documents: tuple[str, ...] = ()  # titles or title words: 职业教育法, 青岛市职业教育条例
    articles: tuple[int, ...] = ()  # 第五十条 → 50
    levels: tuple[str, ...] = ()  # 中职, 高职, 职业本科 …
    answer_type: AnswerType = AnswerType.EXPLANATION
    item_type: AnswerType | None = None  # for a list: what its items are
    measure: str = ""  # the measure word a count expects: 个, 所, 人 …
    focus: str = ""  # the noun counted or measured: 几个金奖 → 金奖, 多少代表 → 代表
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unit → synonyms of its word
    filters: Filters = field(default_factory=Filters)
    follow_up: bool = False

    @property
    def place_names(self) -> set[str]:
        return {p.short for p in self.places}

    @property
    def role(self) -> str:
        """The post or prize whose holder is asked for: X的冠军是谁 → 冠军, 共同体的理事长单位是哪所学校 → 理事长单位."""
        if self.answer_type not in (AnswerType.PERSON, AnswerType.ORG):
            return ""
        m = _ROLE.search(self.norm)
        if m and not _NOT_A_POST.search(m.group(1)):
            return re.sub(r"^[这那该此][位个家所名]?", "", m.group(1))  # 那位副馆长 → 副馆长
        if m := _PRIZE_WON.search(self.norm):  # 邀请赛最后冠军是谁 / 一等奖最后是谁拿走的: the prize is the post
            return re.sub(r"^(?:最后|最终|究竟|到底)", "", re.split(r"[的赛会]", m.group(1) or m.group(2))[-1])
        if m := _ROLE_HELD.search(self.norm):  # (评审会上)专家组组长由谁担任 / 谁担任专家组组长
            post = re.split("[的，,]", m.group(1) or m.group(2))[-1]
            return re.sub(r"^[\u4e00-\u9fff]*?(?:会|赛|节|仪式|活动|典礼)(?:上|中|里|期间)", "", post)[-6:]
        return ""

    @property
    def asks_agent(self) -> bool:
        """费用由谁承担 / 找谁审批: who does it, as law text names the one after 由 (由…人民政府财政负担); a payer is one
        (社保谁掏钱)."""
        return self.answer_type in (AnswerType.ORG, AnswerType.PERSON) and re.search(
            r"由谁|谁来|谁(?:负责|承担|负担|出|审批|批准|批|管|组织|认定|调查|处理|支付|发放|赔)|找谁|报谁", self.norm) is not None \
            or self.asks_payer

    @property
    def asks_payer(self) -> bool:
        """社保钱谁来出 / 保费由谁负担: who pays, answered only by a sentence that says who pays (由财政经费…负担)."""
        return self.answer_type is AnswerType.ORG and _PAYER_ASKED.search(self.norm) is not None

    @cached_property
    def place_level(self) -> str:
        """哪个城市 / 哪个省 / 哪个县: the level of place asked for ('city', 'province', 'county'), or ''."""
        if self.answer_type is not AnswerType.PLACE:
            return ""
        m = re.search(r"哪[个座一]?(城市|市|省份|省|县|区(?!域))", self.norm)  # 哪个区域 is no division
        return {"城市": "city", "市": "city", "省份": "province", "省": "province", "县": "county", "区": "county"}[m.group(1)] \
            if m else ""

    @cached_property
    def org_kind(self) -> str:
        """哪个部门 / 哪所学校 / 哪家企业: the kind of organisation asked for ('部门', '学校', '企业'), or ''."""
        if self.answer_type is not AnswerType.ORG:
            return ""
        m = _ORG_KIND.search(self.norm)
        return ORG_KIND_OF.get(m.group(1), "") if m else ""

    @cached_property
    def agent_verb(self) -> str:
        """谁承办的 / 牵头单位是谁: the verb whose doer is asked (承办), as the text writes it after the name."""
        if self.answer_type not in (AnswerType.ORG, AnswerType.PERSON):
            return ""
        m = _AGENT_VERB.search(self.norm)
        return (m.group(1) or m.group(2)) if m else ""

    @cached_property
    def asks_start(self) -> bool:
        """从多少提高到… / 原来是多少: the figure a change started from (从10.23年提高到10.8年 → 10.23年)."""
        return re.search(r"从(?:多少|几)|原来|原先|原本|起初|之前是|以前是|提高前|调整前", self.norm) is not None

    @property
    def asks_roughly(self) -> bool:
        """报名的大概有多少人: a round number said roughly (近千人) answers it; a question that asks the number does
        not get one."""
        return re.search(r"大概|大约|约(?![束定])|左右|差不多|大致|上下", self.norm) is not None

    @cached_property
    def asks_prior(self) -> bool:
        """上一年度拿了多少项 / 上届有多少人: the figure of the year before, as a comparison writes it (比上年度的63项)."""
        return re.search(r"上一?个?年度|上一年|前一年|上届|上一届|上年", self.norm) is not None and not self.asks_change

    @property
    def asks_latest(self) -> bool:
        """今年高校毕业生有多少人 / 目前…: the present is asked and no year is named; of several documents that state
        it, the newest speaks for now."""
        return not self.years and _LATEST.search(self.norm) is not None and not self.asks_last_revision

    @cached_property
    def asks_purpose(self) -> bool:
        """职业教育法的立法目的是什么 / 为什么制定: what a law's first article says (为了…，制定本法)."""
        return re.search(r"立法(?:目的|宗旨|意图)|制定.{0,6}(?:目的|宗旨)|为什么(?:要)?(?:制定|出台)|为何(?:制定|出台)",
                         self.norm) is not None

    @cached_property
    def asks_last_revision(self) -> bool:
        """教育法最近一次修正是什么时候: of the dates a law's history lists, the last (the law's, not the present's
        newest document)."""
        return re.search(r"(?:最近|最后|最新|上)一次.{0,4}(?:修正|修订|修改)|(?:修正|修订|修改).{0,6}(?:最近|最后|最新)一次",
                         self.norm) is not None

    @property
    def asks_frequency(self) -> bool:
        """多久去一次 / 多久办一届 / 每隔几年: how often, answered by the 每两年 of 每两年…不少于两个月."""
        return re.search(r"(?:多久|多长时间|几年|几个月|几天|几周).{0,10}一[次届回]|每隔|隔多久|频率|频次", self.norm) is not None

    @property
    def asks_change(self) -> bool:
        """比上年增加了多少 / 涨了多少: how much something changed, not how much there is."""
        return _CHANGE_ASKED.search(self.norm) is not None

    @property
    def figure_source(self) -> str:
        """9.2万人这个数字出自哪份材料: the figure whose sources are asked ('' when no figure's source is asked)."""
        if not _SOURCE_ASKED.search(self.norm):
            return ""
        figs = find_figures(self.norm)
        return figs[0].raw if len(figs) == 1 else ""

    @property
    def asks_adoption(self) -> bool:
        """职业教育法什么时候通过的 / 哪年修订的: a date in a named rule's own history."""
        return (bool(self.documents) and self.answer_type is AnswerType.DATE
                and re.search(r"通过|颁布|公布|施行|生效|修订|修正|批准|出台|印发|实施", self.norm) is not None)

    @cached_property
    def asks_effect(self) -> bool:
        """新职教法什么时候开始实施的: the date a named rule took effect (本法自2022年5月1日起施行), not adopted."""
        rest = self.norm
        for d in (*self.documents, "实施条例", "实施办法", "实施细则", "实施《"):
            rest = rest.replace(d, " ")  # 民促法实施条例 names a rule, it does not ask when one took effect
        # the clause that asks (…2020年修正过，但它最初是从哪天起施行的: the revision is context)
        clauses = [c for c in re.split(r"[，,；;]", rest) if re.search(r"哪|什么|何时|几时|多会", c)]
        asking = clauses[-1] if clauses else rest
        return self.asks_adoption and re.search(r"施行|生效|实施|执行", asking) is not None \
            and re.search(r"通过|颁布|公布|修订|修正|批准", asking) is None

    @property
    def asks_holdings(self) -> tuple[str, str] | None:
        """最新的政府工作报告是哪一年的 → ("newest", "政府工作报告"); 资料库里有哪些条例 → ("list", "条例"): answered from
        the documents' own records, not from a passage."""
        if (m := _NEWEST.search(self.norm)):
            return ("newest" if m.group(1) in ("最新", "最近") else "oldest", m.group(2))
        if (m := _HOLDINGS.search(self.norm)):
            return ("list", m.group(1))
        return None

    @property
    def report_year(self) -> str:
        """2020年的政府工作报告 / 23年两会上定的: the year of the government work report the question names, or ''."""
        m = _REPORT_YEAR.search(self.norm)
        if not m:
            return ""
        y = m.group(1)
        return y if len(y) == 4 else f"20{y}"

    @cached_property
    def excluded(self) -> str:
        """What the question sets aside, asking for another of its kind: 除了婴幼儿照护服务的，还同时成立了哪个共同体 →
        婴幼儿照护服务 ('' when none)."""
        m = _EXCEPT.search(self.norm)
        return m.group(1) if m else ""

    @cached_property
    def named_schools(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The schools the question names in full after their place (苏州工业园区职业技术学院, 珠海技师学院), each with the
        ways a text may write it (苏州工业园区职业…, 苏州工业园区职院…, the place short or full): a school the
        collection never writes cannot be answered about. Not a kind of school after a place (青岛公办职业学校,
        全省职业学校)."""
        return named_schools(self.norm)

    @cached_property
    def report_years(self) -> frozenset[str]:
        """Every year a question names a government work report by: 2019年和2021年政府工作报告 → 2019, 2021."""
        out = set()
        for m in _REPORT_YEARS.finditer(self.norm):
            years = re.findall(r"(?:19|20)\d{2}|(?<!\d)[12]\d(?!\d)", m.group(0))
            out.update(y if len(y) == 4 else f"20{y}" for y in years)
        return frozenset(out)

    @cached_property
    def fact_years(self) -> frozenset[str]:
        """The years the question asks facts of: 2022年城镇新增就业…按2023年那份政府工作报告 → 2022 (2023 names the
        report). When the reports' years are the only ones, they are the facts' too."""
        asked = frozenset(self.years)
        if asked and asked == self.report_years and _LAST_YEAR.search(self.norm):
            # 去年全国城镇新增就业多少人？我看的是2025年的政府工作报告: the year before the report's, its review
            return frozenset(str(int(y) - 1) for y in asked)
        return (asked - self.report_years) or asked

    @property
    def asks_article_count(self) -> bool:
        """青岛职教条例一共有多少条: how many articles a named rule has, not a figure written in it."""
        return bool(self.documents) and not self.articles and _ARTICLE_COUNT.search(self.norm) is not None

    @property
    def measure_asked(self) -> bool:
        """The question names the measure it wants (多少元, 几所, 多少万人次), not just a money or count word."""
        return bool(self.measure) and re.search(f"(?:多少|几)(?:万|亿)?个?{re.escape(self.measure)}", self.norm) is not None

    @property
    def wants_list(self) -> bool:
        return self.answer_type is AnswerType.LIST

    @cached_property
    def dimension(self) -> str:
        """A measured dimension asked (area, length, weight; keys of figures.DIMENSION_UNITS), or ''."""
        if self.answer_type not in (AnswerType.COUNT, AnswerType.AMOUNT):
            return ""
        norm = _ABSTRACT_HIGH.sub("", self.norm)  # 级别有多高 asks a rank, not a height
        for name, cue in _DIMENSIONS:
            if cue.search(norm):
                return name
        return ""

    @cached_property
    def ordinal_asked(self) -> str | None:
        """排第几名 / 第几号令 / 第几级: a rank or ordinal is asked; its measure word ('名', '号', …, '' when none),
        or None."""
        if self.answer_type is not AnswerType.COUNT:
            return None
        if self.measure == "等奖":
            return "等奖"
        m = _ORDINAL_ASKED.search(self.norm)
        return (m.group(1) or "") if m else None

    @cached_property
    def asks_magnitude(self) -> bool:
        """多少万 / 几亿: a quantity in ten-thousands or more is asked; a percentage does not state it."""
        return self.answer_type in (AnswerType.COUNT, AnswerType.AMOUNT) \
            and re.search(r"(?:多少|几)(?:万|亿)", self.norm) is not None

    @cached_property
    def asks_first(self) -> bool:
        """最早/最初/当初 …: of several dates in the evidence, the earliest answers (a law's first adoption, not its
        latest amendment)."""
        return self.answer_type is AnswerType.DATE and re.search(r"最早|最初|首次|第一次|当初|起初|一开始|原先|原来", self.norm) is not None

    @cached_property
    def defined_term(self) -> str:
        """什么是双高计划 / 1+X证书指的是什么 / 五月艾又称什么: the term whose definition or other name is asked, or ''."""
        if self.answer_type not in (AnswerType.EXPLANATION, AnswerType.PROVISION):
            return ""
        text = self.norm.rstrip("？?。！!呢啊呀吧 ")
        m = _DEFINE_BEFORE.match(text) or _DEFINE_AFTER.match(text) or _ALIAS_ASKED.match(text)
        if not m:
            m = _BARE_WHAT.match(text)
            if not m or "的" in m.group(1) or len(m.group(1)) > 8:
                return ""
        quoted = re.findall(r"[“\"「]([^”\"」]{2,12})[”\"」]", m.group(1))
        if quoted:
            return quoted[-1]  # 这“五金”建设，这“五金”是哪五个 → 五金
        term = re.split(r"[,，；;]", m.group(1))[-1]  # the last clause
        term = re.sub(r"(?:到底|究竟|具体|的)+$", "", term.strip("“”\"'「」《》 "))
        return re.sub(r"^(?:所谓的?|这个|那个|这|那)", "", term)

    @cached_property
    def abbreviation(self) -> tuple[tuple[int, str], ...]:
        """A term made of counts and the character its items share, whose items are asked: “五金”是哪五个 → ((5, '金'),),
        “三去一降一补”展开说是哪五项 → ((3, '去'), (1, '降'), (1, '补')); () when none is asked."""
        if self.answer_type not in (AnswerType.EXPLANATION, AnswerType.LIST) or not _ITEMS_ASKED.search(self.norm):
            return ()
        for m in _ABBREVIATION.finditer(self.norm):
            term = next(g for g in m.groups() if g)
            pairs = tuple((_CN_DIGIT[a], ch) for a, ch in re.findall(r"([一二三四五六七八九十两])([\u4e00-\u9fff])", term))
            if sum(n for n, _ in pairs) >= 2 and not any(ch in _NOT_AN_ITEM_MARK for _, ch in pairs):
                return pairs
        return ()

    @cached_property
    def asks_year(self) -> bool:
        """到哪一年 / 哪年成立: a date without its year (7月28日) does not answer it."""
        return self.answer_type is AnswerType.DATE and re.search(r"哪一?年|什么年份|哪个年份|年份", self.norm) is not None

    @property
    def asks_document_year(self) -> bool:
        """哪一年的政府工作报告提出…: the year of the document that says it, when the sentence itself names none."""
        # 高职扩招是哪一年提出的: proposed, issued or announced in a document — the year of that document
        return self.asks_year and re.search(r"哪一?年(?:的|那份|那次)?(?:政府工作)?(?:报告|文件|政策|通知|意见|规定|条例|办法)|"
                                            r"哪一?年(?:首次|第一次|最早|正式)?(?:提出|出台|印发|发布|部署|宣布)|"
                                            r"(?:首次|第一次|最早|正式)?(?:提出|出台|印发|部署|宣布)[^，,。？?]{2,20}?(?:是|在)?哪一?年",
                                            self.norm) is not None


@lru_cache(maxsize=4096)
def section_years(section: str, title: str) -> frozenset[str]:
    """The years a chunk's section heading is about: those it names (the 2017 report's “一、2016年工作回顾”); for a
    review that names none (the 2018 report's “一、过去五年工作回顾”), the years before its document's; for the rest of
    a government work report, its year."""
    head = normalise(section)
    named = YEAR.findall(head)
    if named:
        return frozenset(named)
    name = normalise(title)
    if (m := YEAR.search(name)) and "回顾" in head:
        year, span = int(m.group(1)), 5 if "五年" in head else 1
        return frozenset(str(year - i) for i in range(1, span + 1))
    if m and "政府工作报告" in name:
        return frozenset({m.group(1)})  # the rest of a year's report is about that year (二、对今年政府工作的建议)
    return frozenset()


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    v = cn_number(text)
    return int(v) if v is not None else None


_FIRST = re.compile(r"首([批届次期轮])")
# 第一次全国职业教育工作会议: an ordinal of 次 names an event only when a meeting follows it
# or a round of admissions (第二次征集志愿, 第一次投档)
_TIMES_EVENT = re.compile(r"(?:第[一二三四五六七八九十百零〇两\d]+|首)次[\u4e00-\u9fff]{0,10}?"
                          r"(?:会议|大会|全会|普查|论坛|峰会|征集志愿|征集|投档|录取|补录|填报志愿|填报)")


def ordinals_in(norm: str) -> frozenset[tuple[str, int]]:
    """第46届 / 第二批 / 首批 → {("届", 46)}, {("批", 2)}, {("批", 1)}."""
    return frozenset((unit, n) for unit, n, _ in ordinal_heads(norm, 0))


def ordinal_heads(norm: str, width: int = 4) -> list[tuple[str, int, str]]:
    """Each ordinal with the `width` characters after it, the words it numbers: 第二届大国工匠创新交流大会 → ("届", 2,
    "大国工匠")."""
    out = [(unit, n, norm[m.end() : m.end() + width]) for m in _ORDINAL.finditer(norm)
           if (n := _number(m.group(1))) is not None for unit in (m.group(2),)]
    return out + [(m.group(1), 1, norm[m.end() : m.end() + width]) for m in _FIRST.finditer(norm)]


def article_numbers(norm: str) -> tuple[int, ...]:
    """第五十条 / 第50条 → (50,)."""
    return tuple(n for num in _ARTICLE.findall(norm) if (n := _number(num)) is not None)


# how high something abstract is: a rank, a level or a rate, not a length
_ABSTRACT_HIGH = re.compile(r"(?:级别|等级|规格|档次|水平|地位|评价|要求|标准|比例|率|价值|知名度)(?:有|是|会|能|算)?多高")
# a term of counts and shared characters, quoted (“五金”, “三去一降一补”) or standing alone (三教改革, 这三教); the question
# asks its items (是哪五个, 指什么, 展开说)
_ABBREVIATION = re.compile(r"[“\"「]((?:[一二三四五六七八九十两][\u4e00-\u9fff]){1,4})[”\"」]|"
                           r"(?<![\u4e00-\u9fff])((?:[一二三四五六七八九十两][\u4e00-\u9fff]){1,4})(?=改革|建设|是|指|到底)|"
                           r"(?<=的|这|那)((?:[一二三四五六七八九十两][\u4e00-\u9fff]){1,4})(?=[，,是指到])")
_ITEMS_ASKED = re.compile(r"哪[一二三四五六七八九十两几]|指(?:的是)?(?:什么|啥|哪)|是什么|啥意思|什么意思|展开|分别是")
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# characters after a count that are measure words, frames or parts, not a mark the items share (三个方面, 四大特点, 两年,
# 六片 = six areas)
_NOT_AN_ITEM_MARK = set("个位名所家项条种类批次届年月天日周大点方些级期号部份本篇章节句片区带圈线翼环层面")
_DIMENSIONS = (("area", re.compile(r"面积|多少亩|多少平方|几亩|占地")),
               # 高度/深度 name a dimension only where it is asked (深度是多少), not as adverbs (深度服务, 高度重视)
               ("length", re.compile(r"距离|多远|长度|全长|多长|海拔|(?:高度|深度)(?=是|有|为|约|达|多|几|大概|大约|一般|$|[？?，,])|"
                                     r"多高|身高|多少公里|多少米|宽度|多宽|多深")),
               ("weight", re.compile(r"重量|体重|多重|多少吨|多少公斤")))
# 这几年 / 近几个月 / 前几天 name a span of time, they do not ask one; 那几个项目 / 这几所学校 point at things named
# (a user's 我们有几个专业想试办…: "a few", the clause after it asks)
_DEMONSTRATIVE_FEW = re.compile(r"(?:这|那|近|前|最近|过去|头|好|十)几(?=年|个月|天|周)|(?<![哪])(?:这|那)几[个位所家项名条种类批]|"
                                r"(?<=有)几[个位所家项名条种类批](?=[\u4e00-\u9fff]{1,6}?(?:想|要|打算|准备|计划|希望|需要))")
_ASKS = re.compile(r"多少|几|哪|谁|什么|啥|咋|怎么|怎样|如何|是否|能否|吗|呢|有没有|是不是|能不能|可不可以")
# 理事长单位是哪家 / 那所职业本科学校叫什么名字: the organisation noun stands before what asks for it
_ORG_BEFORE = re.compile(rf"(?:{_ORG_NOUNS}|集团|联盟|基地|中心)"
                         r"(?:是|为|叫|设在|在|由)?(?:哪[一]?[个家所间](?![省市县区城地国年月天位人])|什么名字|啥名字|叫啥|什么名称)")
# 哪部地方性法规同时作废了 / 原来那部老条例叫什么 / 依据的是哪份文件: a document asked for by its title
_DOC_ASKED = re.compile(r"哪一?[部份本首篇](?![分门])|哪个(?:法|法律|法规|条例|规定|办法|文件|通知|意见|方案)|"
                        r"什么(?:法律|法规|条例|文件)|(?:条例|法规|法律|文件|办法|规定)(?:叫|是)(?:什么|啥)")
# a term to define: 什么是X / X指的是什么 / X的定义是什么 / X是啥意思; another name: X又称什么 / X的简称是什么
_DEFINE_BEFORE = re.compile(r"^(?:请问|想问一下|想问)?(?:什么是|什么叫|何为|何谓|啥是|啥叫|(?:能|可以)?(?:解释|介绍|讲讲|说说)一下)(.{2,20}?)(?:吗|呢)?$")
_DEFINE_AFTER = re.compile(r"^(?:请问)?(.{2,20}?)(?:指的是什么|是指什么|指什么|的定义是什么|的定义|的含义是什么|的意思|是什么意思|是啥意思|"
                           r"啥意思|是个什么东西|是什么东西|是个啥|到底是什么|究竟是什么|具体指什么|怎么理解|是干什么用?的|是干啥的|是做什么的|"
                           r"有什么用|的内涵是什么|的内涵|(?:是|指|代表)哪[几两三四五六七八九十]个|分别(?:代表|指)(?:什么|啥))$")
_ALIAS_ASKED = re.compile(r"^(?:请问)?(.{2,20}?)(?:又称|又叫|也叫|又名|俗称|别名|别称|简称|全称|的简称|的全称|的别名|的别称|的俗称)"
                          r"(?:之为|为|是|叫)?(?:什么|啥)$")
_BARE_WHAT = re.compile(r"^(?:请问)?(.{2,20}?)(?:是什么|是啥)$")
_GRADE_ASKED = re.compile(r"几等奖")
_RATE_NOUN_ASKED = re.compile(r"((?:(?![的了是和与及])[\u4e00-\u9fff]){1,4}率)"
                              rf"(?:{_RATE_TARGET}(?:定在|定为|控制在)?)?"
                              r"(?:是|为|有|能|会|可以|达到|达|大概|大约|一般)*(?:多少|几)")
_ORDINAL_ASKED = re.compile(r"第几([名位届条号级次批个项期区站代任层章集轮张部季场版])?")  # 排第几名, 第几号令: a rank or an ordinal
# 多长 of a way, a river or a wall asks a length; of anything else (实习多长) a period
_LENGTH_ASKED = re.compile(r"(?:街|路|道|河|江|桥|线|隧道|铁路|公路|管道|城墙|长城|大坝|堤|山脉|峡谷|运河|海峡|海岸|边界)"
                           r"的?(?:全长|总长|长度)?(?:有|是|约|大约|一共|总共)?多长(?!时间)")
_DATE_ASKED = re.compile(r"什么时候|何时|哪一?年|哪一?天|(?<!第)几月|(?<![第〕\]］）)])几号|日期|什么时间|哪个月|从哪天")
# 合作的职业院校是哪一所 asks a school of a kind, 四位台湾姑娘是哪所学校的 the school of a group: neither is a post
_NOT_A_POST = re.compile(r"(?:院校|学校|高校|大学|学院|职校|高职|中职)$|^[这那该此]?[一二三四五六七八九十两几\d]+[位名个]")
_EXCEPT = re.compile(r"(?:^|[，,])[^，,]{0,16}?除了?(?!此|这|上述)([^，,。？?]{2,20}?)(?:以外|之外|外)?的?[，,]")
_WHETHER_AFTER = re.compile(r"^[^，,？?]{0,12}?(?:可以|可不可以|能不能|能否|是否|要不要|需不需要)[^，,？?]{0,12}吗[？?]?$")
_SUPPOSE = re.compile(r"要是|如果|假如|假设|假使|万一|若是|倘若|不管|无论")  # question words after these are indefinite
_BARE_ORG = re.compile(r"(?:是|在|由)?哪[所家间](?:学校|院校|学院|大学|高职|中职|企业|公司|单位)?$")


def answer_type_of(norm: str) -> tuple[AnswerType, AnswerType | None, str]:
    """(answer type, item type for lists, measure word) from the question's wording (with 这几年 and the like
    already taken out). A question in two parts (有没有…？叫什么 / …的？是哪所) is typed by the last part that asks
    something."""
    clause = [p for p in re.split(r"[，,？?]", norm) if p.strip()][-1:]
    if clause and "还是" in clause[0] and not re.search(r"多少|几|哪|谁|什么|啥", clause[0]) \
            and not re.search(r"哪|谁", norm):
        # …学费收多少，是政府定还是学校自己定: a choice between two ways, told by the rule (找谁审批？教育局还是人社局？
        # offers names for the one asked: still a name)
        return AnswerType.YESNO, None, ""
    parts = [p for p in re.split(r"[？?]", norm) if p.strip()]
    if len(parts) >= 2 and _ASKS.search(parts[-1]):
        if _BARE_ORG.search(parts[-1].rstrip("呢啊呀吧")):
            return AnswerType.ORG, None, ""
        norm = parts[-1]
    clauses = [p for p in re.split(r"[，,]", norm) if p.strip()]
    if (last := list(re.finditer(r"多少|几", norm))) and _WHETHER_AFTER.search(norm[last[-1].end() :]):
        # 学费收多少可以学校自己说了算吗: whether the school decides, not how much
        return AnswerType.YESNO, None, ""
    if len(clauses) >= 2 and _ASKS.search(clauses[-1]) and _SUPPOSE.match(clauses[0]):
        # 要是青岛哪个区压根不办职业教育，那它的教育费附加该咋处理: in a supposition 哪个区 means "some district"; the
        # clause after it asks
        norm = "，".join(clauses[1:])
    if _DOC_ASKED.search(norm) and not _DATE_ASKED.search(norm):
        return AnswerType.DOCUMENT, None, ""
    if _GRADE_ASKED.search(norm):
        return AnswerType.COUNT, None, "等奖"  # 拿了几等奖: a grade of prize (一等奖), not a count of prizes
    if (m := _ORDINAL_ASKED.search(norm)) and not _DATE_ASKED.search(norm):
        return AnswerType.COUNT, None, m.group(1) or ""  # 排第几名 / 第几号令: a rank or an ordinal
    measure = ""
    # 好几所 / 十几个 state a rough number, they do not ask one; 几个人 asks for people (个人 is not 个)
    # 多少万人 / 几亿元: the magnitude stands between the question word and its measure
    # 几所民校…被禁止办新学校多少年: with 多少 in the question, 几 is “several”, not what is asked
    asks = "多少" if "多少" in norm else "多少|几"
    m = re.search(rf"(?<![好十第])(?:{asks})(?:万|亿)?(个小时|个月|个人|人次|个|所|家|项|条|名|人|次|种|类|批|座|支|门|倍|位|级|枚|金|分钟|分|天|日|年|"
                  r"小时|票|场|台|套|篇|部|件|张|处|辆|架|艘|首|册|层|块|颗|棵|株|组|股|集|幅|席|栋|间|只|号|回)", norm)
    if m:
        measure = {"个人": "人", "回": "次"}.get(m.group(1), m.group(1))  # 领几回: times, as 次
    if (pm := _PERCENT.search(norm)) and (pm.group(0) not in ("比例", "比率", "占比", "比重") or re.search(r"多少|几|多大|多高|多低", norm)):
        return AnswerType.PERCENT, None, "%"  # 一定比例的岗位…哪些企业 names a share, it does not ask one
    if _DATE.search(norm):
        return AnswerType.DATE, None, ""
    if _LENGTH_ASKED.search(norm):
        return AnswerType.COUNT, None, ""  # 跑道有多长: a length (metres), not a period
    if (pm := _PERIOD.search(norm)) and (pm.group(0) not in ("期限", "时长", "学制", "年限", "周期")
                                          or re.search(r"多少|几|多久|多长|是多|为多", norm)):
        return AnswerType.PERIOD, None, measure  # 修业年限跟全日制一样吗 names a period, it does not ask one
    if _USE_ASKED.search(norm):
        return AnswerType.EXPLANATION, None, ""  # 资金主要能花在什么地方: what it is for, not a place
    if _LIST.search(norm):
        item = AnswerType.ORG if _ORG_ASKED.search(norm) or re.search(r"哪[几些][家所](?=[？?，,。呢啊]|$)", norm) \
            else AnswerType.PLACE if _PLACE_ASKED.search(norm) else None  # 企业…是哪几家: organisations
        return AnswerType.LIST, item, ""
    if re.search(r"多少|几", norm) and _AMOUNT.search(norm) and not (measure and measure not in MONEY_MEASURES):
        return AnswerType.AMOUNT, None, "元"  # 多少补贴 asks for money; 领几次补贴, 经费的几倍 ask for a count
    if _COUNT.search(norm) and not _YESNO.search(norm):
        return AnswerType.COUNT, None, measure
    if _ORG_ASKED.search(norm) or _ORG_BEFORE.search(norm):
        return AnswerType.ORG, None, ""
    if _PERSON.search(norm):
        return AnswerType.PERSON, None, ""
    if _PLACE_ASKED.search(norm):
        return AnswerType.PLACE, None, ""
    if _YESNO.search(norm):
        return AnswerType.YESNO, None, ""
    if _PROVISION.search(norm) and not re.search(r"为什么|为何", norm):
        return AnswerType.PROVISION, None, ""
    return AnswerType.EXPLANATION, None, ""


# 是谁写的 / 是谁建立的 ask for an author or founder, not for the holder of a post
_ROLE_HELD = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:是|又是)?由(?:谁|哪位|什么人)来?(?:担任|出任|兼任)|"
                        r"(?:^|[，,。；;？?]|是|由)(?:谁|哪位)来?(?:担任|出任|兼任)(?:了|的)?([\u4e00-\u9fff]{2,6}?)(?:一职)?(?:呢|啊)?(?:[？?，,。]|$)")
_ROLE = re.compile(r"的([\u4e00-\u9fff]{2,6}?)(?:最后|最终|究竟|到底)?(?:是|设在|被|归|颁给了?|花落)(?:谁|哪)(?![\u4e00-\u9fff]{1,2}的)")
# a prize or a place in a ranking asked without 的 before it (…邀请赛最后冠军是谁, 一等奖最后是谁拿走的)
_PRIZE_WON = re.compile(r"([\u4e00-\u9fff]{0,6}?(?:冠军|亚军|季军|第一名|[一二三特]等奖|[金银铜]奖|大奖|展示奖|[优最][\u4e00-\u9fff]{1,4}奖))"
                        r"(?:最后|最终|究竟|到底)?(?:是|被|归|颁给了?|花落|由)?(?:谁|哪[位所家个])|"
                        # 最后谁拿了冠军, 哪所学校夺得一等奖: the prize after the verb
                        r"(?:谁|哪[位所家个][\u4e00-\u9fff]{0,4}?)(?:拿|获|夺|摘|捧)(?:得|到|走|下)?了?"
                        r"(冠军|亚军|季军|第一名|[一二三特]等奖|[金银铜]奖)")
_ORG_KIND = re.compile(r"(?:哪[一二两三四五六七八九十几]?[个家所间]?|什么)(部门|机关|学校|院校|高校|学院|大学|企业|公司)")
ORG_KIND_OF = {"部门": "部门", "机关": "部门", "学校": "学校", "院校": "学校", "高校": "学校", "学院": "学校", "大学": "学校",
                "企业": "企业", "公司": "企业"}
_AGENT_VERB = re.compile(r"(?:谁|哪[两几三]?[所家个位]?(?:学校|院校|高校|单位|企业|机构|部门)?)(?:联合|共同|一起)?(?:来|去)?"
                         r"(承办|主办|协办|牵头|指导|发起)|(承办|主办|协办|牵头|指导|发起)(?:单位|方|学校|院校)(?:是|为)?(?:谁|哪)")
MONEY_MEASURES = {"元", "分"}  # 分 as in 几分钱; a measure outside these makes a money question a count

_NOUNISH = ("n", "nr", "ns", "nt", "nz", "vn", "j", "l", "ng", "an", "b")  # b: 新型 (职业农民), 国家级 (基地)
_MEASURES = set("个位名所家项条种批次万亿元")
# 多少钱 / 多少人 / 多少人次 say what kind of figure is asked, not what it is about: 助学金每人每年多少钱 → 助学金
_GENERIC_FOCUS = {"人", "钱", "人次"}
_FRAME_FOCUS = {"规定", "说法", "讲究"}  # 有什么规定 / 有啥说法: the frame of a question about a rule, not its topic
# a head noun that says only that a figure is asked (…目标是多少, …总数有多少): the word before it is the focus
_GENERIC_HEAD = {"目标", "数量", "总数", "数目", "规模", "数字", "任务", "总量", "人数", "总人数", "总规模", "标准", "幅度"}
_NOT_A_DOER = {"规定", "要求", "需要", "应当", "可以", "能够"}  # 规定的…是多少: the rule's figure, not those who did it
_HEAD_MODIFIERS = {"预期", "预计", "年度", "主要", "总体", "具体"}  # 预期目标, 年度任务: still only that a figure is asked
_PLAN_VERBS = {"计划", "预计", "打算", "准备"}  # nouns to the tagger, verbs before 要/将 (计划要覆盖多少人次)
_MODALS = {"要", "将", "会", "能", "可", "需"}
_PLANNED = {"招生", "招收", "录取", "招"}  # 计划招生多少人: the planned intake is what is counted
_SINCE = {"以后", "之后", "以来", "后"}  # 国家奖学金设立以后，每个学生…: the time clause leaves the topic before it
_ADVERB_WORDS = {"一共", "总共", "共计", "合计", "累计", "目前", "现在", "大概", "大约", "一年", "具体", "最长", "最短", "最多",
                 "最少", "至少", "最久"}


_SAYS = {"说", "讲", "提出", "写", "写道", "表示", "指出", "称"}  # not 提到: 每生每年提到了多少钱 (raised to)


def focus_of(norm: str) -> str:
    """The noun phrase a count or amount question is about: 几个金奖 → 金奖, 有多少代表 → 代表, 多少技能人才 → 技能人才,
    在校生有多少人 → 在校生 (jieba's part-of-speech tags, on the question only)."""
    # 多少名校内外创业导师: the measure word kept apart, or jieba reads 名校 (a famous school); not in a word that only
    # begins with one (多少名额, 几个人, 多少项目)
    norm = re.sub(r"(多少|几)([个位名所家项条种批次])(?=[\u4e00-\u9fff])(?!(?<=名)[额单称字次]|(?<=个)[人体]|(?<=项)目|"
                  r"(?<=条)[件例款]|(?<=种)类|(?<=批)[准次]|(?<=家)[庭长属]|(?<=位)置|(?<=次)数)", r"\1\2 ", norm)
    toks = [(w, f) for w, f in pos_tags(norm) if w.strip()]
    asks = ("多少", "几", "哪些", "哪几", "哪个", "哪所", "哪家", "哪位", "哪项", "哪类", "哪种", "什么")
    # the word that asks how many (哪家职校…罚多少钱: 多少, not 哪家), else the first that asks anything
    # (多少 before 几: in 几所民校…多少年, 几 means “several”)
    idx = next((i for i, (w, _) in enumerate(toks) if w.startswith(("多少", "多大", "多久"))
                or (w == "多" and toks[i + 1 : i + 2] and toks[i + 1][0] == "大")), None)  # 规模有多大
    if idx is None:
        idx = next((i for i, (w, _) in enumerate(toks) if w.startswith("几")), None)
    if idx is None:
        idx = next((i for i, (w, _) in enumerate(toks) if w.startswith(asks)), None)
    if idx is None:
        return ""

    def run(seq, *, after: bool = False):
        out, shared = [], False
        for i, (w, f) in enumerate(seq):
            if after and w == "的" and "".join(out) == "人次" and i + 1 < len(seq) and seq[i + 1][0] not in _GENERIC_HEAD:
                out = []
                continue  # 多少人次的农民工技能提升培训: what the person-times are of follows 的 (not 多少人次的任务)
            if after and out and w in ("和", "及", "与", "、") and i + 1 < len(seq) and seq[i + 1][1].startswith(_NOUNISH):
                out, shared = [], True  # 多少个国家级和省级技能大师工作室: the head both conjuncts share is counted
                continue
            if shared and not out and f == "b":
                continue  # 省级, the last conjunct's own modifier
            if w in _ADVERB_WORDS or (after and not out and w == "钱"):
                if out:
                    break
                continue  # 一共, 目前: jieba tags some as nouns; they are not what is counted; 多少钱技能提升补贴
            if (f.startswith(_NOUNISH) or (after and f in ("t", "s"))) and w not in _MEASURES:
                out.append(w)
            elif after and f == "v" and i + 1 < len(seq) and seq[i + 1][1].startswith(_NOUNISH) \
                    and (not out or seq[i + 1][0] not in _MEASURES):
                out.append(w)  # 多少参展单位, 多少参会代表, 技能提升补贴: the verb is part of the noun phrase
            elif after and f in ("a", "q") and len(w) == 1 and w not in _MEASURES and i + 1 < len(seq) \
                    and seq[i + 1][1].startswith((*_NOUNISH, "q")):
                out.append(w)  # 多少个大类专业: a one-character modifier the tagger reads as an adjective or a measure
            elif out or (w not in _MEASURES and f not in ("m", "q", "d")):
                break
        return "".join(out)

    after = run(toks[idx + 1 :], after=True)
    if after.startswith("人次") and len(after) > 2:
        after = after[2:]  # 惠及多少人次学生: the measure run into the noun it counts (惠及学生3400多万人次)
    if after in _FRAME_FOCUS:
        return ""  # 实习报酬有什么规定: any rule is a 规定; “本规定所指…” is not about 报酬
    if after and after not in _GENERIC_FOCUS:
        return after
    if re.search(r"罚款?(?:能|要|得|会)?(?:罚到?)?(?:多少|几)", norm):
        return "罚款"  # 举办者会被罚多少钱: the fine is asked, not the one who pays it
    if re.search(r"补(?:贴|助)?(?:能|要|得|会|可以)?(?:补|拿|领)?(?:多少|几)", norm):
        return ""  # 中级证书能补多少钱: money is asked, not a count of the certificate it is paid for
    before: list[str] = []
    head = toks[:idx]
    first = idx
    rate = False
    # 增值税，2019年政府工作报告说要降到几个点: the clause that says who says it (…报告说) names the source, not the
    # thing measured; that is named before it
    said = next((j for j in range(len(head) - 1, -1, -1) if head[j][0] in _SAYS), None)
    if said is not None and all(f[:1] in ("v", "d", "p", "r", "u", "y", "c") for _, f in head[said + 1 :]):
        comma = next((j for j in range(said - 1, -1, -1) if head[j][0] in "，,"), None)
        if comma is not None and any(f.startswith(_NOUNISH) for _, f in head[:comma]):
            head = head[:comma]
    for j in range(len(head) - 1, -1, -1):
        w, f = head[j]
        if not before and w == "的" and j and head[j - 1][1] == "v" and head[j - 1][0] not in _NOT_A_DOER \
                and len(head[j - 1][0]) >= 2:
            before = [head[j - 1][0]]  # 去看展的有多少人次: those who did it are counted, named by the verb (看展)
            break
        if (w in _ADVERB_WORDS or w.startswith("每")) and not before:
            continue  # 每人每年多少钱: a rate, not what is paid
        if rate and not before and w in "，,":
            continue  # 中职国家奖学金，每个学生能拿多少钱: the topic before the comma is what is paid
        if not before and w in _PLAN_VERBS and j + 1 < len(head) and (head[j + 1][0] in _MODALS or (
                head[j + 1][1].startswith("v") and head[j + 1][0] not in _PLANNED)):
            continue  # 计划要覆盖多少人次, 计划覆盖多少人次: a plan to do, not a 计划 (a plan) that is counted
        if f.startswith(_NOUNISH) and w not in _ADVERB_WORDS:
            if j and head[j - 1][0].startswith("每"):
                before, rate = [], True
                continue  # 每个学生能拿多少钱: the rate's denominator, not what is paid
            before.insert(0, w)
            first = j
        elif before or (f[:1] not in ("v", "d", "p", "r", "m", "t", "q", "u", "y", "c") and w not in _SINCE):
            break  # the noun phrase ended, or something other than 有/是/一共/罚/以后 stands before 多少
    if len(before) > 1 and (before[0] in _FRAME_FOCUS or re.fullmatch(r"[按依据照]{1,2}规定", before[0])):
        before = before[1:]  # 按青岛的规定学校得退多少钱: the rule is the source, the school what is asked of
    base = first - 1  # the word before the topic, past 上/一/去: 比 makes the topic the base of a comparison
    while base >= 0 and head[base][1][:1] in ("f", "m", "r"):
        base -= 1
    if before and base >= 0 and head[base][0] == "比":
        before = []  # 一等奖比上一年度多了几个: what follows 比 is the base of the comparison, not what is counted
    if before and all(w in _FRAME_FOCUS for w in before):
        before = []  # …下企业实践，规定多久一次: the rule is the frame, not the topic
    if before and before[-1] in _GENERIC_HEAD:
        k = max(i for i, (w, _) in enumerate(head) if w == before[-1])
        if toks[k + 1][0] != "的":  # 在岗职工总数的多少: a share of the total is asked, the total stays
            before.pop()  # 高职扩招目标是多少人: the target is generic; 扩招 is what it is a target of
            while before and before[-1] in _HEAD_MODIFIERS:  # 城镇新增就业预期目标: 预期 says what kind of target
                before.pop()
                k -= 1
            if not before and k and head[k - 1][1].startswith((*_NOUNISH, "v")):
                before = [head[k - 1][0]]
    return "".join(before[-2:]) or after


def content_units(core: str) -> frozenset[str]:
    """Bigrams inside the question's content words (never across a word boundary, so '在联' or '了基' do not count),
    plus latin words and numbers."""
    units: set[str] = set()
    for w in word_tokens_plain(core):
        if re.fullmatch(r"[a-z0-9.%+]+", w):
            units.add(w)
        elif len(w) >= 2:
            units.update(w[i : i + 2] for i in range(len(w) - 1))
    return frozenset(units)


def named_documents(norm: str) -> tuple[str, ...]:
    docs: list[str] = []
    for m in _NAMED_DOC.finditer(norm):
        docs.append(m.group(1))
    aliased: dict[str, str] = {}
    for alias, full in DOC_ALIASES.items():
        if alias in norm and full not in docs:
            m = re.search(r"(?:^|(?<=[^\u4e00-\u9fff]|[按照据依在的和与对从]))" + re.escape(alias) + r"(实施条例|实施细则|实施办法)",
                          norm)
            if m:  # 民促法实施条例, whatever follows it (not 北京职教法实施办法: a place's measures)
                docs.append(full + m.group(1))
                aliased[full + m.group(1)] = alias + m.group(1)
                continue
            docs.append(full)
            aliased[full] = alias
    for m in _LAW_NAME.finditer(_NAMED_DOC.sub(" ", norm)):
        name = re.sub(r"^(根据|按照|依据|依照|关于|在|按|请问|那|那么|这|年|的|新|旧|版|份|部|个|国务院|总理|两会)+", "",
                      m.group(1))
        name = re.sub(r"(?<=.)(?:那|这|该)(?:部|个|份|项)?(?=.)", "", name)  # 宁波那部校企合作促进条例 → 宁波校企合作促进条例
        name = _VERSION_WORDS.sub("", name)  # 新修订的职业教育法 → 职业教育法: which version is asked, not its name
        if name == "报告":  # 2019年那份报告, 国务院报告: in this collection, a government work report
            if "政府工作报告" not in docs:
                docs.append("政府工作报告")
            continue
        if re.search(r"什么|哪|怎|吗|呢|多少|是否|有没有|^[对有要是让给把被和与]", name):
            continue  # 对实习报酬有什么规定 is a question, not the name of a document
        if len(name) >= 2 and name not in DOC_ALIASES and name not in _BARE_KIND and name not in aliased.values() \
                and not any(name in d or d in name for d in docs):
            within = [f for f, a in aliased.items() if a in name and a != name and f in docs]
            if within and not re.search(r"[和与及跟、]", name):
                # 北京职教法实施办法, 民促法实施条例: the alias is part of a longer name, written out in it, not a
                # document of its own
                for f in within:
                    docs.remove(f)
                    name = name.replace(aliased[f], f)
            docs.append(name)
    return tuple(docs)


# how a user may open a question (我想知道…, 请问，…): no part of what is asked, and it would run into a name after it
# (我想知道民促法实施条例 → 道民促法…)
_OPENER = re.compile(r"^(?:请问一下|请问|我想知道|我想了解|想知道|想了解|我想问一下|我想问|想问一下|想问|请教一下|请教|"
                     r"麻烦问一下|问一下)[，,：:\s]*")


def parse_query(text: str, history: list[str] | tuple[str, ...] = (), filters: Filters | None = None) -> Query:
    """The one place a question is normalised and tokenised. `history` holds earlier standalone questions of the
    conversation, newest last; a follow-up is rewritten against the newest."""
    filters = filters or Filters()
    typed = (text or "").strip()
    standalone, follow = condense(typed, list(history))
    norm = _OPENER.sub("", normalise(standalone)) or normalise(standalone)
    core = _SHORT_YEAR.sub(" ", _ARTICLE.sub(" ", _Q_WORDS.sub(" ", _RULE_FRAME.sub(" ", norm))))
    places = list(find_places(norm))
    named = {p.short for p in places}
    g = gazetteer()
    for region in filters.regions:  # an active region filter counts as a place named in the question
        p = g.lookup(normalise(region))
        if p is not None and p.short not in named:
            places.append(p)
            named.add(p.short)
    dated = _DOC_NUMBER.sub(" ", norm)  # 鲁人社发〔2023〕5号 names a document, not a year of its facts
    years = tuple(dict.fromkeys(YEAR.findall(dated) + [f"20{a or b}" for a, b in _SHORT_YEAR.findall(dated)]))
    ordinals = ordinals_in(norm)
    if not _TIMES_EVENT.search(norm):  # 第一次颁布 / 首次提出 say “for the first time”, they name no event
        ordinals = frozenset(o for o in ordinals if o[0] != "次")
    articles = article_numbers(norm)
    levels = tuple(k for k, forms in LEVELS.items() if any(f in norm for f in forms))
    if "职业本科" in levels and "本科" in levels:
        levels = tuple(x for x in levels if x != "本科")
    asking = _DEMONSTRATIVE_FEW.sub("", norm)  # 这几年 names time: neither the type nor the counted noun
    atype, item, measure = answer_type_of(asking)
    focus = focus_of(asking)
    if atype is AnswerType.PERCENT and (rate := _RATE_NOUN_ASKED.search(asking)):
        focus = rate.group(1)  # …有多少人参加，考证通过率是多少: the rate asked (通过率), not the head count's noun
    documents = named_documents(norm)
    units = set(content_units(core))
    for d in documents:  # the document a question names is an anchor (retrieval, doc_named), not what to find in it
        named = content_units(normalise(d))
        if units - named:
            units -= named
    for p in places:  # a place from the filter is part of what the evidence should be about
        if p.short not in core and len(p.short) >= 2:
            units.update(p.short[i : i + 2] for i in range(len(p.short) - 1))
    return Query(
        text=typed, standalone=standalone, norm=norm, core=core, words=tuple(word_tokens(norm)),
        bigrams=tuple(bigram_tokens(norm)), units=frozenset(units), places=tuple(places), years=years,
        ordinals=ordinals, documents=documents, articles=articles, levels=levels, answer_type=atype,
        item_type=item, measure=measure, focus=focus, alternatives=_alternatives(units), filters=filters,
        follow_up=follow,
    )


@lru_cache(maxsize=1)
def _synonym_groups() -> list[tuple[str, ...]]:
    path = os.path.join(os.path.dirname(__file__), "data", "synonyms.txt")
    with open(path, encoding="utf-8") as f:
        return [tuple(ln.split()) for ln in f if ln.strip() and not ln.startswith("#")]


def _alternatives(units: set[str]) -> dict[str, tuple[str, ...]]:
    """For each unit of a word that has synonyms, those synonyms: the unit counts as present where one of them is
    written (生效 → 施行, 实施)."""
    out: dict[str, list[str]] = {}
    for group in _synonym_groups():
        for word in group:
            grams = {word[i : i + 2] for i in range(len(word) - 1)}
            if grams and grams <= units:
                for g in grams:
                    out.setdefault(g, []).extend(o for o in group if o != word)
    return {u: tuple(dict.fromkeys(a)) for u, a in out.items()}


def with_filters(q: Query, filters: Filters) -> Query:
    return replace(q, filters=filters)


# ---- follow-ups ------------------------------------------------------------------------------------------------

_FOLLOW_START = ("那么", "那", "还有", "再看", "换成", "如果是", "改成", "要是", "假如是", "同样", "那要是")
_FOLLOW_END = re.compile(r"(呢|怎么样|如何|又如何|的情况|的呢|情况怎样|咋样)[？?。!！]?$")


def is_follow_up(question: str) -> bool:
    """Short and leaning on the previous turn: '那青海呢？', '那高职呢', '2021年呢', '第五十一条呢'."""
    q = question.strip()
    return len(q) <= 20 and (q.startswith(_FOLLOW_START) or bool(_FOLLOW_END.search(q)))


def _slots(norm: str) -> dict[str, list[str]]:
    """The replaceable parts of a question: place, year, education level, school, document, article."""
    out: dict[str, list[str]] = {}
    places = [p.name for p in find_places(norm)]
    if places:
        out["place"] = places
    years = [m.group(0) for m in re.finditer(r"(?:19|20)\d{2}\s*年?", norm)]
    if years:
        out["year"] = years
    levels = [f for forms in LEVELS.values() for f in forms if f in norm]
    if levels:
        out["level"] = sorted(set(levels), key=len, reverse=True)[:1]
    schools = institutions(norm)
    if schools:
        out["school"] = schools
    docs = [f"《{d}》" for d in _NAMED_DOC.findall(norm)] or [m.group(1) for m in _LAW_NAME.finditer(norm)]
    if docs:
        out["document"] = docs
    arts = _ARTICLE.findall(norm)
    if arts:
        out["article"] = [f"第{a}条" for a in arts]
    return out


def condense(question: str, history: list[str]) -> tuple[str, bool]:
    """'那青海呢？' after '辽宁培养了多少技能人才？' → '青海培养了多少技能人才？'; '那高职呢' after a 中职 question swaps the
    level. Any slot of the same type is substituted (place, year, level, school, document, article). When the
    follow-up cannot be read against the previous question, it is answered as a fresh question."""
    q = question.strip()
    if not history or not is_follow_up(q):
        return q, False
    prev = to_simplified(history[-1]).strip()
    core = q
    for s in _FOLLOW_START:
        if core.startswith(s):
            core = core[len(s) :]
            break
    core = _FOLLOW_END.sub("", core).strip("，, ？?。")
    if not core:
        return q, False
    new = _slots(normalise(core))
    old = _slots(normalise(prev))
    if not new:
        return q, False  # nothing to substitute: a fresh question, never the previous answer again
    out = prev
    bigger = [v for slot in ("school", "document") for v in new.get(slot, [])]
    for slot in ("place", "level"):  # 大连 inside 大连职业技术学院 is part of the school, not a slot of its own
        if slot in new and any(v in b for v in new[slot] for b in bigger):
            del new[slot]
    for slot in ("school", "document", "article", "year", "level", "place"):
        if slot not in new:
            continue
        values = new[slot]
        if slot in old:
            target = old[slot][0]
            # the previous question may write the place with its suffix (辽宁省): replace the whole name
            out = out.replace(target, values[0], 1) if target in out else out
        elif slot in ("place", "year"):
            out = values[0] + out
        else:
            return q, False  # '那职教法呢' after a question with no document: cannot tell what to swap
    if out == prev:
        return q, False
    return out, True
