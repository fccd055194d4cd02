"""Evidence for a parsed question: every sentence of the retrieved chunks that may answer it, the answer spans of the
expected type it holds, its features, and the fitted model that scores it (weights and threshold are data, fitted by
`make calibrate`)."""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rag.figures import DIMENSION_UNITS, find_figures, said_roughly
from rag.laws import base_name
from rag.places import find_places, mentions, same_place
from rag.query import (NAME_TYPES, YEAR, AnswerType, Query, article_numbers, institutions, name_start_stripped,
                       ordinal_heads, ordinals_in, section_years)
from rag.records import ScoredChunk
from rag.text import bigram_tokens, is_common_word, jieba_words, normalise, pos_tags, to_simplified

FEATURES = (
    "bias",
    "s_cov",  # IDF-weighted share of the question's content units in the sentence (a synonym counts)
    "ctx_cov",  # … in the sentence with its document's title, section and place
    "chunk_cov",  # … in the whole chunk with that head
    "head_cov",  # … in the title and section alone
    "dense",  # the chunk's cosine similarity to the question (0 when the dense leg did not return it)
    "s_dense",  # ten times the sentence's own cosine to the question (its fitted mean while not yet embedded)
    "rr_dense", "rr_words", "rr_bigrams",  # 1 / rank of the chunk in each retrieval leg (0 = not returned)
    "rr_fused",  # 1 / rank after fusion
    "type_match",  # a figure or date is asked and the sentence holds one of that kind (0.5: a figure of another kind)
    "name_match",  # a person, organisation or place is asked and the sentence names one
    "type_miss",  # a name is asked and the sentence holds none
    "span_cov",  # the question's units around the best span, each weighted by its closeness to it
    "measure_match",  # the span's measure word or the noun after it is the one asked for (几位 → 14位); −1 another
    "focus_near",  # the noun a count is about (在校生, 金奖) is written next to the span
    "focus_in_sent",  # the noun asked about (几家联盟企业 → 联盟企业) is in the sentence (share of its pairs)
    "rest_cov",  # … of the units the document's title and section do not hold (叶柄 of 大果西番莲的叶柄有什么特点)
    "rare_cov",  # share of the question's three rarest units in the sentence and its document's head
    "year_in_sent",  # a year the question names is written in the sentence or the title
    "year_by_date",  # … only the document's date says it (一年来, 今年)
    "place_in_sent",  # a place the question names is written in the sentence
    "level_match",  # 中职/高职/本科 as the question names it (−1: the sentence names only another level)
    "doc_named",  # the question names this document
    "in_force",  # of the versions of a named law among the hits, this is the newest (the one in force)
    "jurisdiction",  # a rule of the place asked about (+1); a local rule for a question naming no place (−1)
    "article_match",  # the question names this article
    "first_person",  # the sentence speaks as 我校/我们/我市 (the speaker is resolved when quoted)
    "novelty",  # share of the sentence's bigrams the question does not have (near 0: it restates the question)
    "log_len",  # log of the sentence's length
    "provision_law",  # a provision is asked and the sentence is an article of a law or regulation
    "figure_any",  # the sentence holds any figure
    "list_shape",  # a list is asked and the sentence enumerates (、 ；)
    "phrase_cov",  # share of the question's words matched in runs of two or more characters, in order
    "longest",  # the longest run the question shares with the sentence, as a share of the question
    "prev_cov",  # the previous sentence of the chunk holds the question's terms (the subject named before)
    "extra_conjunct",  # the figure's label joins what is asked with what is not (国家级和省级…170个 for 国家级…)
    "prior_match",  # the year before is asked (上一年度): +1 the figure is written as the earlier one (比上年度的63项), −1 not
)

# features that may be unknown for a candidate (nan: its chunk's sentences not embedded yet); the model counts them at
# their mean on the data it was fitted on (EvidenceModel.fill)
MAY_BE_MISSING = ("s_dense",)
FIGURE_OR_DATE = {AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.PERIOD, AnswerType.DATE}
REQUIRED_SPAN = FIGURE_OR_DATE  # a figure or a date is asked: a sentence without one cannot answer
_FIRST_PERSON = re.compile(r"我校|我院|我们|我市|我省|我县|我区|本市|本省|本县|本区|本校|本院|本条例|本办法|本规定|本法")
_DATE_SPAN = re.compile(
    r"(?:1[0-9]|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"公元前?\s*\d{1,4}\s*年|"  # 罗马人在公元前25年建立
    r"[〇零○一二三四五六七八九]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?|"
    r"\d{1,4}\s*年代|[一二三四五六七八九十\d]{1,3}\s*世纪(?:[初中末]|[一二三四五六七八九十\d]{1,2}年代)?|"
    # a reign or era year: 光绪三年, 民国元年, or any 2-character name with the year it is (嘉靖三年（1524年）) — not
    # 技能提升三年 (a three-year action)
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2}元年(?:（\d{3,4}年）)?|[\u4e00-\u9fff]{2}元年（\d{3,4}年）|"
    r"[\u4e00-\u9fff]{2}[一二三四五六七八九十]{1,3}年（\d{3,4}年）|"
    r"(?:民国|光绪|宣统|同治|咸丰|道光|嘉庆|乾隆|雍正|康熙|顺治|崇祯|天启|万历|嘉靖|正德|弘治|成化|永乐|洪武|至元|贞观|开元|天宝|"
    r"建安|昭和|大正|明治|平成|令和)(?:[一二三四五六七八九十]{1,3}|元)年|"
    # a month or a span of months, a season (花期1-3月, 生殖季在2至4月, 每年9月下旬, 盛花期为夏季): after the full forms,
    # so 8月18日 is still read whole
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月?\s*(?:[-－—~～至到]|起至翌?年?)\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"(?:[上中下]旬|初|底)?|(?<![\d个])(?:\d{1,2}|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2})\s*月(?:[上中下]旬|初|底)?|"
    r"(?:春|夏|秋|冬)季|(?:春夏|夏秋|秋冬|冬春)(?:之交|两季|季)|"
    # a school term (实习提前到大二上学期, 第三学期)
    r"(?:大[一二三四五]|高[一二三]|初[一二三])[上下]?学期|(?:大[一二三四五]|高[一二三]|初[一二三])(?=[上下]半年)|第[一二三四五六七八九十]学期"
)
# one list of posts for every pattern that finds a person by one: the heads of an organisation or a place …
HEADS = ("校长", "书记", "院长", "主任", "局长", "厅长", "部长", "董事长", "总经理", "理事长", "会长", "主席", "秘书长", "组长", "队长",
         "所长", "馆长", "社长", "市长", "省长", "县长", "区长")
# … and every post or role a name is written right after (校长杜宏伟, 选手张三, 传承人毛珊)
POSTS = ("党委书记", *HEADS, "副院长", "副校长", "副主任", "副局长", "副厅长", "副会长", "总理", "教授", "老师", "教师", "选手",
         "学生", "同学", "工匠", "大师", "代表", "专家", "厂长", "经理", "冠军", "司长", "处长", "科长", "负责人", "站长", "台长",
         "主编", "传承人", "研究员", "工程师", "技师", "镇长", "委员")
_TITLE_NAME = re.compile(
    rf"(?:{'|'.join(POSTS)}|\d{{2,4}}班(?![级次]))"  # 移动商务2231班阿迪巴: a student's class before the name
    r"\s*((?![一二三四五六七八九十等们和与及或的在是]|学生|同学|表示|介绍|认为|指出|强调|告诉|坦言|透露|提出|希望|讲话|致辞|分别|共同|一同|先后|亲自|一起|相继|同时|现场|详细|专门|认真|还|也|都|均|单位|一职|职务|"
    r"身份|人选|候选|成员|负责|助理|任期|职责|办公)[\u4e00-\u9fff]{2,3})(?=[，,、。：:\s（(说称带率获在和与等被]|表示|介绍|认为|指出|强调|告诉|担任|"
    r"主持|出席|致辞|讲话|发言|宣读|作了?|做了?|一行|参加|为大会|向|对|侃侃|说道|谈到|坦言|笑着|带领|带队|率队|代表|参赛|$)"
)
# 协会副会长的陈晓文: the name after a head's post and 的 (found by the tagger)
_TITLE_OF = re.compile(rf"(?:{'|'.join(HEADS)}|传承人|冠军)的")
# 刘占山担任专家组组长: the name before the verb that gives it a head's post
_NAME_TITLE = re.compile(r"([\u4e00-\u9fff]{2,3})(?:担任|出任|任|当选为?|作为)[\u4e00-\u9fff]{0,12}?"
                         rf"(?:{'|'.join(HEADS)}|负责人|专家)")
# a name between the organisation and the post: 天津轻工职业技术学院李云梅院长表示
_ORG_NAME_TITLE = re.compile(r"(?:学院|大学|学校|公司|集团|协会|中心|研究院|委员会|管委会|局|厅)([\u4e00-\u9fff]{2,3}?)"
                             rf"(?:副?(?:{'|'.join(HEADS)})|教授|老师)(?![\u4e00-\u9fff]{{0,2}}的)")
_SCHOOL_SELF = re.compile(r"我校|我院|本校|本院")
# the firm the sentence before named: 该企业, 该公司 (该校 and 该院 may be one named further back, or a department)
_THAT_ONE = re.compile(r"该(企业|公司|集团)")
_TITLE = re.compile(r"《[^《》]{2,40}》")
# an enumeration of names counted right after: 辰泰重钢、伊利乳业、宝龙达3家联盟企业
_COUNTED_NAMES = re.compile(r"((?:[\u4e00-\u9fffA-Za-z]{2,12}、)+[\u4e00-\u9fffA-Za-z]{2,12})等?(?:\d+|[一二三四五六七八九十两]+)"
                            r"[家所个](?:[\u4e00-\u9fff]{0,6}(?:企业|公司|学校|院校|单位|机构|高校))")
_BYLINE = re.compile(r"(记者|通讯员|编辑|摄影|实习生)\s*[\u4e00-\u9fff]{0,3}$")
# the names a byline credits, however many: 记者 潘锦 通讯员 熊雯 易世超
_BYLINE_RUN = re.compile(r"(?:记者|通讯员|编辑|摄影|实习生)(?:[\s、,，]*(?:记者|通讯员|编辑|摄影|实习生)?[\s、]*[\u4e00-\u9fff]{2,3}(?=[\s、,，）)]))+")
_LEVEL_FORMS = {"中职": ("中职", "中等职业"), "高职": ("高职", "高等职业", "专科"), "职业本科": ("职业本科", "本科层次职业"),
                "本科": ("本科",), "技工": ("技工", "技师")}
PEOPLE_UNITS = {"人", "名", "位", "人次"}
# measure words that count the same things: 多少天 is answered by 三十日, 银牌拿了几块 by 6枚银牌, 几首歌 by 5张单曲
SAME_MEASURE = ({"天", "日"}, {"块", "枚"}, {"首", "张", "支"}, {"栋", "座"})
PEOPLE_NOUNS = ("人才", "学生", "人员", "教师", "老师", "代表", "选手", "毕业生", "学员", "职工", "员工", "工匠", "农民",
                "青年", "校长", "专家", "孩子", "子女", "人")


@dataclass
class Span:
    text: str  # as it is written in the (simplified) sentence
    start: int
    kind: AnswerType
    unit: str = ""  # a figure's measure word
    exact: bool = True  # of the asked kind (False: a figure of another kind, e.g. a count where a percent is asked)
    cov: float = 0.0  # the question's units around it, weighted by closeness
    measure: float = 0.0  # it counts what is asked (1), something else (−1), or the question does not say (0)
    labelled: float = 0.0  # cov, with the items of a list kept apart (the term after a 、 labels the next one)
    adjacent: bool = False  # the counted noun asked is written against it (2个一等奖)
    specific: bool = False  # its 其中 clause names what the question asks and the rest of the sentence does not


@dataclass
class Candidate:
    """One sentence of one retrieved chunk, as evidence for one question."""

    hit: ScoredChunk
    index: int  # the sentence's index in chunk.sentences; −1: the chunk's speaker line (its section)
    sentence: str  # original script
    simple: str  # simplified, for quoting
    features: dict[str, float]
    spans: list[Span] = field(default_factory=list)  # the best span of the expected type, if any
    score: float = 0.0  # the ranker's score (higher = more likely the sentence that answers)


# what decides whether to answer at all: the best candidate's features, how far it leads, and the kind of question
_BASE_ANSWER = (
    "rank_score", "margin", "s_cov", "ctx_cov", "chunk_cov", "dense", "rr_fused", "type_match", "name_match",
    "type_miss", "span_cov", "measure_match", "focus_near", "focus_in_sent", "counts_other", "rare_cov", "year_in_sent",
    "place_in_sent", "doc_named", "novelty",
)
_KINDS = ("q_figure", "q_name", "q_list", "q_rule")
# every base feature once overall and once per kind of question: what makes a figure answer trustworthy (the
# counted noun beside it) is not what makes a provision trustworthy (the law named, the rule's words)
ANSWER_FEATURES = ("bias", *_BASE_ANSWER, *_KINDS, *(f"{b}*{k}" for k in _KINDS for b in _BASE_ANSWER))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class EvidenceModel:
    """Two fitted linear models: `rank` orders a question's candidate sentences (trained on pairs: the sentence that
    holds the answer above one that does not); `answerable` is the probability that the best one answers the
    question (logistic), declined below `threshold`. List items and second sentences must score within a margin of
    the best."""

    rank_weights: dict[str, float]
    answer_weights: dict[str, float]
    threshold: float
    list_margin: float = 3.0
    second_margin: float = 0.5  # a runner-up this close may answer in place of the best sentence (answer.Swap)
    fitted_on: str = ""
    fill: dict[str, float] = field(default_factory=dict)  # a feature not known (nan) counts at its fitted mean
    quote_margin: float = 0.5  # a second sentence this close is quoted beside the best one (a passage answer)

    def rank(self, features: dict[str, float]) -> float:
        return sum(self.rank_weights.get(k, 0.0) * (v if v == v else self.fill.get(k, 0.0))
                   for k, v in features.items())

    def answerable(self, q: Query, ranked: list["Candidate"]) -> float:
        if not ranked:
            return 0.0
        f = answer_features(q, ranked)
        return _sigmoid(sum(self.answer_weights.get(k, 0.0) * v for k, v in f.items()))

    @classmethod
    def load(cls, path: Path) -> "EvidenceModel":
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        unknown = (set(d["rank_weights"]) - set(FEATURES)) | (set(d["answer_weights"]) - set(ANSWER_FEATURES))
        if unknown:
            raise ValueError(f"{path}: weights for unknown features {sorted(unknown)}; re-fit with `make calibrate`")
        return cls(d["rank_weights"], d["answer_weights"], float(d["threshold"]), float(d.get("list_margin", 3.0)),
                   float(d.get("second_margin", 0.5)), d.get("fitted_on", ""), dict(d.get("fill", {})),
                   float(d.get("quote_margin", d.get("second_margin", 0.5))))

    def save(self, path: Path, extra: dict | None = None) -> None:
        payload = {
            "rank_weights": {k: round(self.rank_weights.get(k, 0.0), 6) for k in FEATURES},
            "answer_weights": {k: round(self.answer_weights.get(k, 0.0), 6) for k in ANSWER_FEATURES},
            "threshold": round(self.threshold, 6), "list_margin": self.list_margin,
            "second_margin": self.second_margin, "quote_margin": self.quote_margin, "fitted_on": self.fitted_on,
            "fill": {k: round(v, 6) for k, v in self.fill.items()}, **(extra or {}),
        }
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def answer_features(q: Query, ranked: list["Candidate"]) -> dict[str, float]:
    """Question-level features for the decision to answer: those of the best-ranked candidate and its lead."""
    best = ranked[0]
    f = {k: best.features.get(k, 0.0) for k in ANSWER_FEATURES if k in best.features}
    f["bias"] = 1.0
    f["rank_score"] = best.score
    f["margin"] = min(3.0, best.score - ranked[1].score) if len(ranked) > 1 else 3.0
    f["counts_other"] = counts_other(best.spans[0], best.simple, q) if best.spans else 0.0
    t = q.answer_type
    f["q_figure"] = float(t in FIGURE_OR_DATE)
    f["q_name"] = float(t in NAME_TYPES)
    f["q_list"] = float(t is AnswerType.LIST)
    f["q_rule"] = float(t in (AnswerType.PROVISION, AnswerType.YESNO, AnswerType.EXPLANATION))
    for k in _KINDS:
        for b in _BASE_ANSWER:
            f[f"{b}*{k}"] = f[b] * f[k]
    return f


@lru_cache(maxsize=4)
def load_model(path: str) -> EvidenceModel:
    return EvidenceModel.load(Path(path))


# ---- spans ----------------------------------------------------------------------------------------------------

_NAME_CHAR = r"[^\W\da-zA-Z_的是由所在和与及被为把向等了着将对从于以而或也都就又说称其该这那之年月日一第家位名到去曾]"
_DOTS = re.compile(r"[·•‧・]")
_TITLE_ENDS = {"医生", "先生", "学生", "教授", "总统", "国王", "主席", "导演", "演员", "歌手", "作家", "球员", "选手", "老师",
               "博士", "律师", "画家", "将军", "皇帝", "女王", "王子", "公主", "首相", "总理", "议员", "市长", "校长"}
_PLACE_END = re.compile(r"(?:省|市|县|州|区|国|岛|地区|半岛|群岛|山|河|湖|港)$")
_FOREIGN_NAME = re.compile(rf"{_NAME_CHAR}{{1,5}}(?:[·•‧・]{_NAME_CHAR}{{1,5}})+")


_HONOURED = ("荣获", "荣膺", "荣登")


def _person_spans(text: str, *, tagger: bool) -> list[Span]:
    """Names after a title (校长杜宏伟, 专家组组长刘占山); with `tagger`, jieba's person names too. A byline
    (记者邓伟) is not an answer."""
    bylines = [m.span() for m in _BYLINE_RUN.finditer(text)]

    def credited(i: int) -> bool:  # in “（记者 潘锦 通讯员 熊雯 易世超）”
        return any(a <= i < b for a, b in bylines)

    out = [Span(m.group(1), m.start(1), AnswerType.PERSON) for m in _TITLE_NAME.finditer(text)
           if not _BYLINE.search(text[max(0, m.start() - 6) : m.start(1)]) and not credited(m.start(1))]
    out += [Span(m.group(1), m.start(1), AnswerType.PERSON) for m in _NAME_TITLE.finditer(text)
            if not credited(m.start(1))]
    out += [Span(m.group(1), m.start(1), AnswerType.PERSON) for m in _ORG_NAME_TITLE.finditer(text)
            if not credited(m.start(1)) and not any(sp.start == m.start(1) for sp in out)]
    if not out and not tagger:  # 已是协会副会长的陈晓文欣喜地…: where a name ends only the tagger knows
        for m in _TITLE_OF.finditer(text):
            first = next(iter(pos_tags(text[m.end() : m.end() + 8])), None)
            if first is not None and first[1] == "nr" and 2 <= len(first[0]) <= 4 and not credited(m.end()):
                out.append(Span(first[0], m.end(), AnswerType.PERSON))
    if not out and tagger:
        pos = 0
        for word, flag in pos_tags(text):
            if flag == "nr" and 2 <= len(word) <= 4 and not _BYLINE.search(text[max(0, pos - 6) : pos]) \
                    and not credited(pos):
                out.append(Span(word, pos, AnswerType.PERSON))
            pos += len(word)
    # a transliterated name: 伊恩·法兰明, 保罗·塞里诺 (the tagger cuts it at the dot); not a quoted slogan (‘养·育’) or a
    # pair of places (九州·山口县)
    for m in _FOREIGN_NAME.finditer(text):
        name, start = m.group(0), m.start()
        if start and text[start - 1 : start + 1] in _TITLE_ENDS:  # 医生维珍尼亚·阿普伽: 生 ends the title
            name, start = name[1:], start + 1
        if len(re.sub(r"\W", "", name)) < 4 or (start and text[start - 1] in "‘“'\"「『《") or _PLACE_END.search(name) \
                or credited(start):
            continue
        out = [sp for sp in out if not start <= sp.start < start + len(name)]  # 法兰 of 伊恩·法兰明
        out.append(Span(name, start, AnswerType.PERSON))
    # 教师李宁荣获“优秀指导教师”称号: 荣 begins 荣获, it is not the name's
    out = [Span(sp.text[:-1], sp.start, sp.kind) if len(sp.text) == 3 and text[sp.start + 2 : sp.start + 4] in _HONOURED
           else sp for sp in out]
    return [sp for sp in out if not is_common_word(sp.text)]  # “非法从事人力资源服务”: 从事 is a verb, no one's name


_CN_DIGITS = "\\d一二三四五六七八九十百零两"


_CHANGE_BEFORE = re.compile(r"(?:增加|增长|提高|减少|下降|降低|上升|(?<![至最不较])多|(?<![至最不较])少)了?$")  # 至少 bounds


def is_change(text: str, span: Span) -> bool:
    """The figure says how much something grew or fell: 比去年多100万人, 比上年增加138.97亿元, 增加了6项."""
    return _CHANGE_BEFORE.search(text[max(0, span.start - 4) : span.start]) is not None


# 比上年度的63项 / 较去年同期的3.2万人: the figure compared against, the year before's, not this one's
_PRIOR_BEFORE = re.compile(r"(?:比|较|同比|相比|对比)(?:上一?年度?|去年|前一年|上届|上一届)(?:同期)?的?(?:约|近|共)?$")


def is_prior(text: str, span: Span) -> bool:
    """The figure is the one compared against: 获奖奖项比上年度的63项增加了6项 → 63项 is last year's count."""
    return _PRIOR_BEFORE.search(text[max(0, span.start - 10) : span.start]) is not None


_FROM_BEFORE = re.compile(r"(?:从|由|现行|原来的?|原先)[^，。；,;从由]{0,12}$")  # 现行16%的税率降至13%: 16% is where it starts
_TO_AFTER = re.compile(r"^[^，。；,;]{0,4}?(?:提高|增加|增长|提升|上升|扩大|下降|降低|减少|缩小|压缩|降)(?:到|至)\s*[\d一二三四五六七八九十百千两]")


def is_start(text: str, span: Span) -> bool:
    """The figure a change starts from: 平均受教育年限从10.23年提高到10.8年 → 10.23年 (asked 提高到多少, 10.8年)."""
    end = span.start + len(span.text)
    return _FROM_BEFORE.search(text[max(0, span.start - 12) : span.start]) is not None \
        and _TO_AFTER.match(text[end : end + 12]) is not None


def ordinal_spans(text: str, measure: str) -> list[Span]:
    """第二名 / 第399号 / 五级 (a grade asked as 第几级): the ordinals of the measure asked (any, when it names none)."""
    if measure == "等奖":  # 几等奖 → 一等奖 / 特等奖
        return [Span(m.group(0), m.start(), AnswerType.COUNT, measure) for m in re.finditer(r"[一二三四五特]等奖", text)]
    unit = re.escape(measure) if measure else "[名位届条号级次批个项期]"
    pattern = f"第[{_CN_DIGITS}]+{unit}" + (f"|(?<![{_CN_DIGITS}第])[{_CN_DIGITS}]+级" if measure == "级" else "")
    return [Span(m.group(0), m.start(), AnswerType.COUNT, measure) for m in re.finditer(pattern, text)]


# nouns 个 opens that are never the thing a count question asks about unless it names them: divisions of a country and
# the frames of a text (五个县（市）, 三个方面)
_FRAME_NOUN = re.compile(r"(?:县|市|区|省|镇|乡|村|国家|地区|城市|方面|环节|阶段|层面|维度|板块|部分|步骤|时期)")


def counts_a_frame(q: Query, text: str, sp: Span) -> bool:
    """“三个方面” / “五个县（市）”: 个 opens a frame of the text or a division of a country the question does not ask
    about (几个县 does), so the figure is no count of what is asked (几个资源库, 排查出多少个问题)."""
    if sp.unit != "个":
        return False
    frame = _FRAME_NOUN.match(noun_after(text, sp))
    return frame is not None and frame.group(0) not in q.norm


def noun_after(text: str, sp: Span) -> str:
    """The words written right after a span, up to the clause's end, at most six characters (“奖项” of 69项奖项)."""
    end = sp.start + len(sp.text)
    return re.split(r"[^\u4e00-\u9fff]", text[end : end + 6])[0]


_RATIO_NUMBERS = r"\d+(?:\.\d+)?\s*[:：∶]\s*\d+(?:\.\d+)?(?![\d:：∶])"
_RATIO = re.compile(rf"比例?[为是约达到了不低于高于超过]{{0,4}}({_RATIO_NUMBERS})|({_RATIO_NUMBERS})(?=的?比例?)")


def find_spans(text: str, kind: AnswerType, *, persons: bool = False) -> list[Span]:
    """Candidate answers of one type in simplified text. jieba's tagger for people runs only when `persons` (it costs
    more than the rest together, so only on the sentence that is quoted)."""
    if kind in (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.PERIOD):
        want = kind.value
        spans = [Span(f.raw, f.start, kind, f.unit, f.kind == want or (want == "count" and f.raw[-1] in "万亿"))
                 for f in find_figures(text)]
        if kind in (AnswerType.PERIOD, AnswerType.PERCENT):
            spans = [sp for sp in spans if sp.exact]  # a duration or a share is not a count of something
        if kind is AnswerType.AMOUNT:  # an amount said without a number: 应当退还所收取的全部费用, 全额退还
            spans += [Span(m.group(0), m.start(), kind, "元", exact=False) for m in _WHOLE_AMOUNT.finditer(text)]
            spans.sort(key=lambda sp: sp.start)
        if kind is AnswerType.PERCENT:  # a ratio: 职位供求比为5:1, 报录比约为1∶22.5, 按1:1的比例
            spans += [Span(m.group(1) or m.group(2), m.start(1) if m.group(1) else m.start(2), kind, "比")
                      for m in _RATIO.finditer(text)]
            spans.sort(key=lambda sp: sp.start)
        return spans
    if kind is AnswerType.DATE:
        return [Span(m.group(0), m.start(), kind) for m in _DATE_SPAN.finditer(text)]
    if kind is AnswerType.ORG:
        out, pos = [], 0
        for name in institutions(text):
            i = text.find(name, pos)
            out.append(Span(name, max(i, 0), kind))
            pos = max(i, 0) + len(name)
        for m in _COUNTED_NAMES.finditer(text):  # 辰泰重钢、伊利乳业、宝龙达3家联盟企业: names without a suffix
            start = m.start(1)
            for name in m.group(1).split("、"):
                clean = name_start_stripped(name)
                if len(clean) >= 2 and not re.search(r"\d|[及其所属的和与或]", name) \
                        and not any(sp.start <= start < sp.start + len(sp.text) for sp in out):
                    out.append(Span(clean, start + len(name) - len(clean), kind))
                start += len(name) + 1
        return out
    if kind is AnswerType.PLACE:
        out, pos = [], 0
        schools = [(m.start(), m.end()) for name in institutions(text) for m in re.finditer(re.escape(name), text)]
        for p in find_places(normalise(text)):
            i = text.find(p.name, pos)
            if i < 0:
                i = pos
            pos = i + len(p.name)
            # 烟台 in 烟台职业学院 names a school, 湖北 in 湖北日报讯 an outlet: a place only when the sentence names no other
            outlet = _OUTLET_AFTER.match(text, pos) is not None
            out.append(Span(p.name, i, kind, exact=not outlet and not any(a <= i and pos < b for a, b in schools)))
        return out
    if kind is AnswerType.PERSON:
        return _person_spans(text, tagger=persons)
    if kind is AnswerType.DOCUMENT:
        return [Span(m.group(0), m.start(), kind) for m in _TITLE.finditer(text)]
    return []


# who pays, as written after 由 when it is no institution (缴纳社保由财政经费进行合理负担), or from what (从职业学校学费中列支)
_PAID_BY = re.compile(r"由([\u4e00-\u9fff、（）()]{2,16}?)(?:进行|予以|给予|合理|共同|按比例|分担)*(?:负担|承担|支付|出资|列支)|"
                      r"从([\u4e00-\u9fff（）()]{2,12}?)中(?:列支|支出|安排|解决)")
_WHOLE_AMOUNT = re.compile(r"(?:所收取的|已收取的|已缴纳的|已交纳的)?全部(?:费用|学费|款项|价款)|全额")
_OUTLET_AFTER = re.compile(r"(?:日报|晚报|早报|商报|都市报|新闻网|电视台|广播电视台|卫视|网)")


CLOSE = 12.0  # characters at which a question term near a span counts half
# a boundary between the span and a term after it weighs more than one before it: a label is written before its value
# (硕士…为二至三年，博士…为三至四年 — 博士 is 三至四年's, though as near to 二至三年). Swept on the 2,748 read
# questions (bench.sets.READ), right answers: 1.0 → 2,025, 1.25 → 2,025, 1.5 → 2,027, 2.0 → 2,026, 3.0 → 2,026
AFTER_BOUNDARY = 1.5
_BOUNDARY = re.compile(r"[，,；;。！？!?]")
_BOUNDARY_AFTER = re.compile(r"[，,；;。！？!?、]")
# the dateline under a speech's or a report's title: ——2023年3月5日在第十四届全国人民代表大会第一次会议上
_DATELINE = re.compile(r"^[^，,。]{0,16}(?:——|—|--)\s*(?:19|20)\d{2}年\d{1,2}月\d{1,2}日在[^，,。]{2,40}(?:会议|大会|会)上")
# ranks of one kind, each listed before the ranks it contains (高级技师 before 技师 and 高级); a grade (一等) stands for
# what it grades (一等奖, 一等成果)
RANK_FAMILIES = (("高级技师", "技师", "初级", "中级", "高级", "一级", "二级", "三级", "四级", "五级"),
                 ("特等", "一等", "二等", "三等", "金奖", "银奖", "铜奖", "优胜奖"))


def ranks_in(text: str, family: tuple[str, ...]) -> set[str]:
    """The ranks of a family written in the text, longest first (高级技师 is not also 技师 and 高级)."""
    found = set()
    for rank in family:  # the family lists a rank before the ranks it contains
        if rank in text:
            found.add(rank)
            text = text.replace(rank, " ")
    return found


def _clause_fit(sp: Span, norm: str, ranks: list[tuple[tuple[str, ...], set[str]]], titles: list[str]) -> int:
    """How the span's clause fits a rank or a work the question names: +1 for each it names (30个成果获评三等成果
    answers 三等成果有几个; 邯郸供电分公司…完成的《输电线路封网作业智能一体机》 answers who made that work), −1 for each
    it names another of (其中3个成果获评一等成果, …完成的《万吨级轻稀土…》)."""
    start = max((m.end() for m in _BOUNDARY.finditer(norm, 0, sp.start)), default=0)
    end = _BOUNDARY.search(norm, sp.start + len(sp.text))
    clause = norm[start : end.start() if end else len(norm)]
    fit = 0
    for family, asked in ranks:
        if named := ranks_in(clause, family):
            fit += 1 if named & asked else -1
            break
    if titles and (named := _TITLE.findall(clause)):
        fit += 1 if set(named) & set(titles) else -1
    return fit


def _covered(u: str, present: set[str], text: str, q: Query) -> bool:
    return u in present or any(a in text for a in q.alternatives.get(u, ()))


def other_ordinal(q: Query, text: str) -> bool:
    """The text names another ordinal of a kind asked (第二届 for 第三届) and none of those asked. An ordinal of
    something else does not count: 第二届大国工匠创新交流大会 is asked, and 第七届全国职工优秀技术创新成果交流活动 numbers
    another event (the words after the ordinals share no pair of characters)."""
    kinds = {u for u, _ in q.ordinals}
    asked = [h for _, _, h in ordinal_heads(q.norm, 12)]
    named = frozenset((u, n) for u, n, h in ordinal_heads(text, 12) if not _numbers_another(asked, h))
    return not named & q.ordinals and any(u in kinds for u, _ in named)


def _numbers_another(asked: list[str], head: str) -> bool:
    """The words after a text's ordinal name another thing than those after the question's: neither's first words
    share a pair of characters with the other's (第二届大国工匠创新交流大会 / 第七届全国职工优秀技术创新成果交流活动). A
    question's ordinal followed by no name of its own (第三届是在哪里举办的, 第三届大赛在哪) numbers whatever is meant."""
    if not head[:4] or not asked:
        return False

    def pairs(t: str) -> set[str]:
        return {t[i : i + 2] for i in range(len(t) - 1)}

    for a in asked:
        if not re.match(r"[\u4e00-\u9fff]{2}", a) or re.match(r"[是在的了]|.{0,2}(?:哪|什么|几|多少|谁)", a):
            return False
        if pairs(a[:4]) & pairs(head) or pairs(head[:4]) & pairs(a):
            return False
    return True


def names_asked_thing(span_text: str, q: Query, qgrams: set[str] | None = None) -> bool:
    """The span is the question's own subject (专科层次的高等职业学校; an alias in brackets does not make it another
    name: 大连金普新区(大连经济技术开发区)市域产教联合体 is the 大连金普新区…联合体 asked about)."""
    st = re.sub(r"[（(][^（）()]*[）)]", "", normalise(span_text)).strip("《》")
    grams = {st[i : i + 2] for i in range(len(st) - 1)}
    qgrams = set(q.bigrams) if qgrams is None else qgrams
    # written in the question, with or without a name's dots (美特斯·邦威 is the 美特斯邦威 asked about)
    return _DOTS.sub("", st) in _DOTS.sub("", q.norm) or abbreviated_in(st, q.norm) \
        or (len(grams) >= 3 and 3 * len(grams & qgrams) >= 2 * len(grams))


def abbreviated_in(name: str, text: str) -> bool:
    """The text writes a school's name cut to its first characters and its last (湖南工程职院 for 湖南工程职业技术学院,
    长沙航院 for 长沙航空职业技术学院)."""
    return name.endswith(("学院", "大学", "学校")) and any(name[:k] + name[-1] in text for k in range(3, len(name) - 2))


def _focus_adjacent(span: Span, text: str, q: Query) -> bool:
    """The counted noun is written against the figure (2个一等奖, 一等奖2个), not only its measure word (6个教师团队)."""
    if len(q.focus) < 2:
        return False
    end = span.start + len(span.text)
    return _AFTER_FIGURE.sub("", normalise(text[end : end + len(q.focus) + 4])).startswith(q.focus) \
        or labelled_before(span, text, q)


# what stands between a figure and the noun it counts: a word for the quantity and a verb (总量将达到, 达, 超过)
_LABEL_TAIL = re.compile(r"(?:总量|总数|规模|人数)?(?:将|已|要)?(?:达到|达|约|近|共|超过|为|突破)*$")


def labelled_before(span: Span, text: str, q: Query) -> bool:
    """The counted noun is written right before the figure: 引进技能人才2万人, 技能人才总量将达到80万人."""
    before = normalise(text[max(0, span.start - len(q.focus) - 8) : span.start])
    return len(q.focus) >= 2 and _LABEL_TAIL.sub("", before).endswith(q.focus)


def _run_before(span: Span, norm: str, q: Query) -> int:
    """How many characters right before the figure the question writes as they are (高技能人才占技能人才38% for
    高技能人才占技能人才的比重), a verb like 达/为 between them aside."""
    if span.kind not in FIGURE_OR_DATE:
        return 0
    head = re.sub(r"(?:达到|达|为|约|近|共|超过|是)$", "", norm[max(0, span.start - 16) : span.start])
    n = 0
    while n < len(head) and head[len(head) - n - 1 :] in q.norm:
        n += 1
    return n


# how a name of each kind of organisation asked for ends: 哪个部门 → 市教育部门 / 国务院教育行政部门 / 人社厅, not a school
_ORG_KIND_END = {"部门": re.compile(r"(?:部门|机关|厅|局|委员会|委|部|办公室|人民政府|政府)$"),
                 "学校": re.compile(r"(?:学院|大学|学校|中学|职校|技校|中专|职教中心|教育中心|职院|职大|航院)$"),
                 "企业": re.compile(r"(?:公司|集团|企业|厂|银行)$")}


_RECKON_ASKED = re.compile(r"按(?:照)?(?:多少|几|什么(?:标准|数)?)(?:钱|元)?来?(?:算|计算|计|核算)")


def reckoned_at(sp: Span, norm: str, q: Query) -> bool:
    """按多少算 is asked and the figure is what a thing is reckoned at (不足一万元的，按一万元计算): the answer, though
    the question names the same figure as the condition."""
    return _RECKON_ASKED.search(q.norm) is not None and norm[max(0, sp.start - 2) : sp.start].endswith(("按", "按照")) \
        and re.match(r"(?:计算|算|计|核算)", norm[sp.start + len(sp.text) :]) is not None


def org_of_kind(name: str, kind: str) -> bool:
    """The name is of the kind of organisation asked for (部门 → 市教育部门, 学校 → …职业学院)."""
    return _ORG_KIND_END[kind].search(name) is not None


def best_span(spans: list[Span], text: str, q: Query, weights: dict[str, float] | None = None) -> Span | None:
    """The span whose surroundings hold most of the question's terms, closer ones counting more (exact kind first);
    spans the question itself contains are not answers."""
    norm = normalise(text)
    if len(norm) != len(text):  # normalising changed the length (spaces): positions are taken in the simplified text
        norm = to_simplified(text).lower()
    w = weights or {u: 1.0 for u in q.units}
    total = sum(w.get(u, 1.0) for u in q.units) or 1.0
    where: dict[str, list[int]] = {}
    for i in range(len(norm) - 1):
        if norm[i : i + 2] in q.units:
            where.setdefault(norm[i : i + 2], []).append(i)
    for u, alts in q.alternatives.items():
        for a in alts:
            for m in re.finditer(re.escape(a), norm):  # every place the synonym is written, like the word itself
                where.setdefault(u, []).append(m.start())
    best = None
    qgrams = set(q.bigrams)
    starts = sorted(sp.start for sp in spans)
    asked_ranks = [(f, r) for f in RANK_FAMILIES if (r := ranks_in(q.norm, f))]
    asked_titles = _TITLE.findall(q.norm)
    best_key: tuple = ()

    @lru_cache(maxsize=None)
    def labels_next(p: int) -> bool:  # a term at p is followed, in its clause, by another value (中级（四级）1500元)
        nxt = next((st for st in starts if st > p), None)
        return nxt is not None and not _BOUNDARY.search(norm, p, nxt)

    # a date that opens its clause heads what follows it up to the next such date: 1970年，在…取得学士学位，1975年在…
    # 取得硕士学位 — 学士学位 is 1970's, however close 1975年 is written after it (a date after its label, as in
    # 开战时之编制1942年7月14日、…, heads nothing)
    dated = sorted(sp.start for sp in spans if sp.kind is AnswerType.DATE
                   and (sp.start == 0 or norm[sp.start - 1] in "，,；;。：:（( "))

    def owner(p: int) -> int | None:
        return next((st for st in reversed(dated) if st <= p), None) if len(dated) > 1 else None

    for sp in spans:
        if names_asked_thing(sp.text, q, qgrams) and not reckoned_at(sp, norm, q):
            continue  # the question's own words (专科层次的高等职业学校) are not its answer
        lo, hi = sp.start, sp.start + len(sp.text)
        got = labelled = 0.0
        for u, positions in where.items():
            plain = item = math.inf
            for p in positions:
                if owner(p) == lo:
                    plain = item = 0.0
                    continue
                gap, a, b = max(lo - p - 2, p - hi, 0), min(p, hi), max(p, lo)
                # a clause boundary between the term and the span counts as a further CLOSE characters: 专科…为二至三年，
                # 本科…为四至五年 — 本科 belongs to the figure of its own clause, not to the one just before it
                d = gap + CLOSE * len(_BOUNDARY.findall(norm, a, b)) * (AFTER_BOUNDARY if p >= hi else 1.0)
                plain = min(plain, d)
                # which item of a list: a term after the span and a 、, with another value after it in the same clause,
                # labels that value (初级1000元、中级1500元 — 中级 is 1500元's); this chooses the span within the
                # sentence, the sentence's feature stays the plain closeness
                if p >= hi and labels_next(p):
                    d = gap + CLOSE * len(_BOUNDARY_AFTER.findall(norm, a, b)) * AFTER_BOUNDARY
                item = min(item, d)
            got += w.get(u, 1.0) * CLOSE / (CLOSE + plain)
            labelled += w.get(u, 1.0) * CLOSE / (CLOSE + item)
        sp.cov = got / total
        sp.measure = measure_match(sp, text, q)
        if sp.kind is AnswerType.PERSON and q.role and _role_before(sp, norm, q):
            sp.measure = 1.0  # 魏玩的弟弟是谁 ← “…弟为北宋文人魏泰”: the name after the kin asked, not the subject's
        if q.agent_verb:  # 谁承办的: the name whose own clause says 承办 (山东理工职业学院、…联合承办), not the 主办 before
            clause = _BOUNDARY.split(norm[hi:], maxsplit=1)[0]
            sp.measure = 1.0 if q.agent_verb in clause else -1.0
        sp.labelled = labelled / total
        sp.adjacent = (sp.kind is AnswerType.COUNT and _focus_adjacent(sp, text, q)) or (
            sp.kind is AnswerType.PERCENT and _run_before(sp, norm, q) >= 4) or (
            sp.kind is AnswerType.ORG and bool(q.org_kind) and org_of_kind(sp.text, q.org_kind)) or (
            sp.kind is AnswerType.PLACE and bool(q.place_level)
            and any(p.level == q.place_level for p in find_places(normalise(sp.text))))
        sp.specific = _specific_clause(sp, norm, q)
        fit = _clause_fit(sp, norm, asked_ranks, asked_titles) if asked_ranks or asked_titles else 0
        key = (sp.exact, fit, sp.measure, sp.specific, sp.adjacent, sp.labelled)
        if best is None or key > best_key:
            best, best_key = sp, key
    if q.asks_last_revision and (dates := [sp for sp in spans if sp.kind is AnswerType.DATE
                                           and re.match(r"\d{4}年", sp.text)]):  # 最近一次修正: the last date of 通过…修正…
        best = max(dates, key=lambda sp: tuple(int(x) for x in re.findall(r"\d+", sp.text)[:3]))
    return best


# kin a text writes with one character (弟为北宋文人魏泰, 其妻…)
KIN = {"弟弟": "弟", "哥哥": "兄|哥", "姐姐": "姊|姐", "妹妹": "妹", "父亲": "父", "母亲": "母", "妻子": "妻", "丈夫": "夫",
       "儿子": "子", "女儿": "女"}


def _role_before(sp: Span, norm: str, q: Query) -> bool:
    """The post or kin asked is written in the span's own clause, before it (校长张三, 弟为北宋文人魏泰)."""
    start = max((m.end() for m in _BOUNDARY.finditer(norm, 0, sp.start)), default=0)
    clause = norm[start : sp.start] + sp.text[: len(q.role)]  # 主角巴里·尼尔逊: the post read into the name
    return q.role in clause or bool((kin := KIN.get(q.role)) and re.search(kin, clause))


def _specific_clause(span: Span, norm: str, q: Query) -> bool:
    """The span's clause opens with 其中 and lists kinds (音乐类、美术类、服装类) of which the question names one the rest
    of the sentence does not: 音乐、美术、服装类最多降多少分 ← “可在…线下20分以内…投档录取，其中，音乐类、美术类、服装类的
    …最大降分幅度均为10分” (10分, not 20分)."""
    cut = norm.rfind("其中", 0, span.start)
    if cut < 0 or (_BOUNDARY.search(norm, cut + 3, span.start) and not re.match(r"其中[，,]", norm[cut:])):
        return False
    end = _BOUNDARY.search(norm, span.start)
    clause = norm[cut : end.start() if end else len(norm)]
    rest = norm[:cut] + norm[end.start() if end else len(norm) :]
    items = []
    for m in re.finditer(r"[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+", clause):
        parts = m.group(0).split("、")  # 其中音乐类 … 服装类的文化和专业…: the first and last items end where they do
        items += [parts[0][-6:], *parts[1:-1], re.split(r"的|和|及|与", parts[-1])[0][:6]]
    return any(any(u in it for it in items) and u not in rest for u in q.units)


def _names_focus(phrase: str, focus: str) -> bool:
    """The noun phrase right after a figure is the asked one with a word or two more (176个校内外创新创业导师 for
    多少名校内外创业导师): it ends in the focus's head and holds three in four of its character pairs."""
    if len(focus) < 4 or focus[-2:] not in phrase:
        return False
    grams = {focus[i : i + 2] for i in range(len(focus) - 1)}
    return sum(g in phrase for g in grams) >= 0.75 * len(grams)


def _noun_follows(text: str) -> bool:
    """The text opens with a noun (专业组…), so the word before it only qualifies it."""
    words = [(w, f) for w, f in pos_tags(re.split(r"[^\u4e00-\u9fff]", text)[0]) if w.strip()]
    return bool(words) and words[0][1] in ("n", "nz", "ng")


def measure_match(span: Span, text: str, q: Query) -> float:
    """1 when the span counts what is asked (几位 → 14位; 几个金奖 → 3金 or 3个金奖), −1 when it counts something
    else, 0 when the question does not say."""
    if span.kind not in (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERIOD):
        return 0.0
    unit = span.unit
    if q.asks_magnitude and (unit == "%" or not re.search(r"[万亿]|\d{5}", span.text)):
        return -1.0  # 技能人才总量有多少万: “占从业人员40%” or “10个” is not a number in ten-thousands
    if q.asks_magnitude and re.search(r"(?:多少|几)亿", q.norm) and not re.search(r"亿|\d{4,}\s*万|\d{9}", span.text):
        return -1.0  # 增加了多少亿元: “生均12000元” is not in hundreds of millions
    if q.dimension:  # 占地面积多大: 1133.87亩 measures it, “20个区” does not
        return 1.0 if unit in DIMENSION_UNITS[q.dimension] else -1.0
    if not (q.measure or q.focus):
        return 0.0
    if q.asks_change and unit == "%":
        return 0.0  # 农村学生涨了多少 ← 农村学生人数增长21.3%: a change in people may be told as a share
    if unit == "地":  # 四地入选 counts places; 穗台港澳四地青年 does not count 青年
        return 1.0 if q.focus.endswith(_PLACE_HEADS) else -1.0
    end = span.start + len(span.text)
    after = normalise(text[end : end + 8])
    if q.focus and unit == "个" and q.measure not in ("", "个") and after.startswith(q.focus) \
            and _noun_follows(normalise(text[end + len(q.focus) : end + len(q.focus) + 6])):
        return -1.0  # 几所院校 ← “20个院校专业组”: 个 counts the groups the schools' name qualifies
    if q.focus and (after.startswith(q.focus) or (unit and q.focus.startswith(unit))
                    or _names_focus(normalise(text[end : end + len(q.focus) + 4]), q.focus)):
        return 1.0
    if labelled_before(span, text, q):
        return 1.0  # the noun written right before it: 引进技能人才2万人 and 技能人才总量将达到80万人 count 技能人才
    if unit == "个" and len(q.focus) >= 2:  # 多少家企业 → “22个新能源龙头企业”: 个 counts the noun phrase it opens
        phrase = re.split(r"[的、，。；：,;（(]", text[end : end + 12])[0]
        if normalise(phrase).endswith(q.focus):
            return 1.0
    if q.focus.endswith(PEOPLE_NOUNS) and unit and unit not in PEOPLE_UNITS and not q.measure:
        return -1.0  # people are asked about (多少技能人才): 3个 counts something else
    if q.measure and unit:
        if q.measure == "个" and not q.focus:
            return 0.0  # …的一等奖，比前一年多了几个: a bare 几个 counts anything (增加了4项)
        if q.measure == "人次" and unit != "人次":
            return -1.0  # 看展的有多少人次: visits, not “12位大国工匠”
        if unit == q.measure or any({unit, q.measure} <= same for same in SAME_MEASURE) \
                or (q.measure == "个" and q.focus.endswith(unit)) \
                or (unit in PEOPLE_UNITS and (q.measure in PEOPLE_UNITS or q.focus[:1] == "人")):
            return 1.0
        if q.measure == "个" and q.focus and (q.focus[:1] in PEOPLE_UNITS | {"人"} or q.focus.endswith(PEOPLE_NOUNS)) \
                and unit in PEOPLE_UNITS:
            return 1.0
        return -1.0
    return 0.0


_PLACE_HEADS = ("市", "县", "省", "区", "地", "地方", "城市", "地区")
_AFTER_FIGURE = re.compile(r"^[余多近约左右的以上下]+")


def counts_other(span: Span, text: str, q: Query) -> float:
    """1 when the words right after a count, amount or period are none the question has: 注册用户有多少人 is not
    answered by “近1200人参会”, 在校生多少人 not by “6位院校领导”."""
    if span.kind not in (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERIOD):
        return 0.0
    end = span.start + len(span.text)
    after = _AFTER_FIGURE.sub("", re.split(r"[，。；：、,;（(“”\s的]", normalise(text[end : end + 8]))[0])
    if not re.match(r"[\u4e00-\u9fff]{2}", after):
        return 0.0
    if q.focus and (q.focus in after or after[:2] in q.focus):
        return 0.0
    return float(after[:2] not in q.norm)


_CONJUNCTIONS = ("和", "及", "以及", "、")


def clause_up_to(text: str, end: int, stops: str = "") -> str:
    """The words of `text` from the last clause break (，。；, and any of `stops`) up to `end`: what labels a figure
    written there (其中，中央财政赤字1.55万亿元 → 中央财政赤字)."""
    return re.split(f"[，。；,;{re.escape(stops)}]", text[:end])[-1]


def extra_conjunct(span: Span, text: str, q: Query) -> float:
    """1 when the words labelling a figure join two like terms, one the question has and one it has not: 国家级技能大师
    工作室有多少个 is not answered by “建成国家级和省级技能大师工作室170个”, which counts both. Like terms end alike
    (国家级/省级, 中职/高职, 博士/硕士); a term after a figure (413万人、培训…) is not one."""
    if span.kind not in (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT):
        return 0.0
    label = clause_up_to(text, span.start, "：！？!?（(")[-16:]
    words = ["", *jieba_words(normalise(label))]

    def asked(w: str) -> bool:
        return w in q.norm or (len(w) >= 3 and w[:2] in q.norm)

    for before, a, conj, b in zip(words, words[1:], words[2:], words[3:]):
        if conj in _CONJUNCTIONS and len(a) >= 2 and len(b) >= 2 and a[-1] == b[-1] and not re.search(r"\d", before) \
                and asked(a) != asked(b):
            return 1.0
    return 0.0


_QUOTE_OPEN = re.compile(r"^\s*[“\"「]")


def quote_speaker(sentences: list[str], idx: int) -> Span | None:
    """Who says a first-person quote (“我来自新疆木垒，是哈萨克刺绣的传承人…”): the person the next sentence opens with
    (…移动商务2231班阿迪巴被湘绣的美深深吸引), else the one the sentence before names when it leads into the quote
    (…阿迪巴说：). None when the sentence is not such a quote or no one is named."""
    if not 0 <= idx < len(sentences):
        return None
    own = to_simplified(sentences[idx])
    if not _QUOTE_OPEN.match(own) or "我" not in own:
        return None
    if idx + 1 < len(sentences):
        first = re.split(r"[，,；;。]", to_simplified(sentences[idx + 1]).lstrip("”\"」 "))[0]
        if (names := _person_spans(first, tagger=True)):
            return Span(names[0].text, max(own.find("我"), 0), AnswerType.PERSON)
    if idx > 0 and (before := to_simplified(sentences[idx - 1]).rstrip()).endswith(("：", ":")):
        if (names := _person_spans(re.split(r"[，,；;。]", before)[-1], tagger=True)):
            return Span(names[-1].text, max(own.find("我"), 0), AnswerType.PERSON)
    return None


def speaker(hit: ScoredChunk) -> str:
    """The school or organisation a first-person passage speaks for: its speaker line or section heading
    ("重庆市工业学校校长杜宏伟:"), else the publisher when it is one (天津电子信息职业技术学院, 孟州市委宣传部, 国务院; not
    an outlet: 红网, 网络转载, 北京日报)."""
    for text in (hit.chunk.section, hit.meta.title):
        names = institutions(to_simplified(text))
        if names:
            return names[0]
    source = hit.meta.source
    return source if institutions(source) or _SPEAKING_BODY.search(source) else ""


_SPEAKING_BODY = re.compile(r"^[\u4e00-\u9fff]{2,20}(?:部|厅|局|委|院|政府|办公室)$")


# ---- candidates and features ----------------------------------------------------------------------------------

def _coverage(q: Query, present: set[str], text: str, weights: dict[str, float]) -> float:
    return _coverage_of(q.units, q, present, text, weights)


def _coverage_of(units, q: Query, present: set[str], text: str, weights: dict[str, float]) -> float:
    total = sum(weights[u] for u in units)
    return sum(weights[u] for u in units if _covered(u, present, text, q)) / total if total else 0.0


def _focus_share(focus: str, text: str) -> float:
    if not focus:
        return 0.0
    if len(focus) == 1:
        return float(focus in text)
    grams = {focus[i : i + 2] for i in range(len(focus) - 1)}
    return sum(g in text for g in grams) / len(grams)


def focus_near(span: Span, text: str, q: Query) -> float:
    """Share of the focus noun's characters pairs written within a few characters of the span (1: 400余名代表)."""
    if not q.focus:
        return 0.0
    window = normalise(text[max(0, span.start - 10) : span.start + len(span.text) + 10])
    if len(q.focus) == 1:
        return float(q.focus in window)
    grams = {q.focus[i : i + 2] for i in range(len(q.focus) - 1)}
    return sum(g in window for g in grams) / len(grams)


def _run_opening(sentences: list[str], idx: int) -> str:
    """The opening clause of the run of ；-joined clauses the sentence continues (' ' + its text, '' when it opens none):
    到2025年，…毕业生留珠率达到65%；技工院校达到2.3万人…留珠率达到90%； — the year is said once for the run."""
    j = idx
    while 0 < j and sentences[j - 1].rstrip().endswith(("；", ";")) and idx - j < 8:
        j -= 1
    return " " + normalise(sentences[j]) if j < idx else ""


def _year_state(q: Query, sentence_norm: str, head: str, hit: ScoredChunk) -> tuple[float, float, bool]:
    """(in sentence or title, by the document's date only, allowed). A sentence that names other years and none of
    the asked ones does not answer; otherwise one asked year must be written near it or be its document's year."""
    if not q.years:
        return 0.0, 0.0, True
    if q.answer_type in (AnswerType.DATE, AnswerType.DOCUMENT):
        # "修正过2020年，最初哪天施行?" / "2015年新条例生效后哪部老条例作废": the year is context, not the answer's year
        return float(any(y in sentence_norm or y in head for y in q.years)), 0.0, True
    named = set(YEAR.findall(sentence_norm))
    if named and not named & set(q.years) and not any(y in head for y in q.years):
        return 0.0, 0.0, False
    if not named & set(q.years):
        title = normalise(hit.meta.title) if q.documents and q.report_years else ""
        if title and any(normalise(d) in title for d in q.documents):
            # 2016年政府工作报告说…: the document named with its year is that year's (not the 2017 report, whose
            # section “一、2016年工作回顾” names the year too); 政府工作报告里2022年…: any report, by its sections
            of_title = set(YEAR.findall(title)) or set(YEAR.findall(hit.meta.date[:4]))
            if of_title and not of_title & q.report_years:
                return 0.0, 0.0, False
        facts = q.fact_years
        if not facts <= q.report_years:
            # a section about other years (the 2016 report's “一、2015年工作回顾”, the 2018 report's “过去五年工作
            # 回顾”) speaks of those years, whatever the title's; unless the report's year is the only one asked
            # (2016年政府工作报告说…: whatever that report says)
            of_section = section_years(hit.chunk.section, hit.meta.title)
            if of_section and not of_section & facts:
                return 0.0, 0.0, False
            if of_section:
                return 1.0, 0.0, True  # the section is about the year asked (“一、过去一年和五年工作回顾” of 2023)
    if any(y in sentence_norm for y in q.years):
        return 1.0, 0.0, True
    if any(y in head for y in q.years):
        return 1.0, 0.0, True
    if any(hit.meta.date.startswith(y) for y in q.years):
        return 0.0, 1.0, True
    return 0.0, 0.0, False


def _place_state(q: Query, sentence_norm: str, chunk_head: str, hit: ScoredChunk) -> tuple[float, bool]:
    if not q.places:
        return 0.0, True
    in_sent = any(mentions(p, sentence_norm) for p in q.places)
    ok = all(same_place(p, hit.meta.region, hit.meta.city, chunk_head) for p in q.places)
    if not ok and q.answer_type in (AnswerType.PROVISION, AnswerType.YESNO) and hit.meta.region in ("", "全国") \
            and hit.meta.doc_type in ("law", "regulation"):
        ok = True  # 在甘肃办民办学校，贷款有没有优惠: a national law's rule holds there too (and is quoted as the law's)
    return float(in_sent), ok


_VOCATIONAL_LEVELS = {"中职": ("中职", "中等职业", "中高职", "中专"), "高职": ("高职", "高等职业", "高职专科", "专科层次"),
                      "职业本科": ("职业本科", "本科层次")}


def other_levels(q: Query, sentence_norm: str) -> list[str]:
    """The vocational levels the sentence names when it names none the question asks about (中职 for a 高职 question),
    else []. (本科 and 专科 alone are read as any university's: 南开大学…本科 is no 职业本科.)"""
    asked = [lv for lv in q.levels if lv in _VOCATIONAL_LEVELS]
    if not asked or any(f in sentence_norm for lv in asked for f in _VOCATIONAL_LEVELS[lv]):
        return []
    return [lv for lv, forms in _VOCATIONAL_LEVELS.items()
            if lv not in asked and any(f in sentence_norm for f in forms)]


def names_a_level(text: str) -> bool:
    """The text names a vocational level (中职, 高等职业, 职业本科 …)."""
    return any(f in text for forms in _VOCATIONAL_LEVELS.values() for f in forms)


def _level_match(q: Query, sentence_norm: str) -> float:
    if not q.levels:
        return 0.0
    asked = any(f in sentence_norm for lv in q.levels for f in _LEVEL_FORMS.get(lv, (lv,)))
    if asked:
        return 1.0
    other = any(f in sentence_norm for lv, forms in _LEVEL_FORMS.items() if lv not in q.levels for f in forms)
    return -1.0 if other else 0.0


def _article_number(article: str) -> int | None:
    nums = article_numbers(article or "")
    return nums[0] if nums else None


_VERSION = re.compile(r"[（(][^（）()]*?(?:修订|修正|原文|试行)[^（）()]*?[）)]|中华人民共和国")


def in_force(q: Query, hits: list[ScoredChunk]) -> set[str]:
    """Documents that are the newest version of a law or regulation among the hits: two texts of the same law
    (职业教育法 2022年修订 and 1996年原文) share a title once the version is dropped; the newer is in force. A question
    that names a year or 原文 asks for that version instead."""
    if q.years or "原文" in q.norm or "旧" in q.norm or "修订前" in q.norm:
        return set()
    by_name: dict[str, tuple[str, str]] = {}
    for h in hits:
        if h.meta.doc_type not in ("law", "regulation"):
            continue
        name = _VERSION.sub("", normalise(h.meta.title))
        got = by_name.get(name)
        if got is None or h.meta.date > got[0]:
            by_name[name] = (h.meta.date, h.chunk.doc_id)
    return {doc for _, doc in by_name.values()}


_COMPACT = re.compile(r"[\s\W_]+")


def _runs(core: str, sentence_norm: str) -> tuple[float, float]:
    """(share of the question matched in runs of ≥2 characters, the longest run's share), in order."""
    if not core:
        return 0.0, 0.0
    blocks = difflib.SequenceMatcher(None, core, _COMPACT.sub("", sentence_norm), autojunk=False).get_matching_blocks()
    sizes = [b.size for b in blocks if b.size >= 2]
    return min(1.0, sum(sizes) / len(core)), (max(sizes) / len(core) if sizes else 0.0)


def candidates(q: Query, hits: list[ScoredChunk], idf) -> list[Candidate]:
    """Every quotable sentence of the hits that meets the question's anchors (places, years, ordinals, the article
    asked for), with its features. `idf(bigram)` weighs the question's units."""
    if not q.units:
        return []
    weights = {u: idf(u) for u in q.units}
    q_bigrams = set(q.bigrams)
    span_type = q.item_type if q.answer_type is AnswerType.LIST else q.answer_type
    is_span_type = span_type is not None and span_type.is_short
    newest = in_force(q, hits)
    core = _COMPACT.sub("", q.core)
    # the three rarest units, and any unit as rare as the third (ties in a set's order made answers depend on the
    # process's hash seed)
    cut = sorted(weights.values(), reverse=True)[:3][-1]
    rare = frozenset(u for u in q.units if weights[u] >= cut)
    out: list[Candidate] = []
    old_asked = bool(re.search(r"原文|旧版|旧的|老版|修订前|修改前|原来的", q.norm)
                     or (q.documents and re.search(r"最早|最初|当初|起初", q.norm)))  # 职业教育法最早…施行
    # 每年要去企业实践多久: the figure in the clause that says 每年 (每年至少1个月, not 5年一周期)
    per = re.search(r"每(?:一)?(?:年|月|周|天|日|学期|学年)", q.norm) if not q.asks_frequency else None
    per_forms = {per.group(0), per.group(0).replace("天", "日"), per.group(0).replace("日", "天")} if per else set()
    titled = [any(normalise(d) in normalise(h.meta.title) for d in q.documents) for h in hits]
    # 职业教育法 names the law, not 北京市实施《职业教育法》办法: a rule whose own name is the one asked, when the hits hold one
    exact = [h.meta.doc_type in ("law", "regulation") and any(
        base_name(h.meta.title) == normalise(d) or (len(d) >= 6 and base_name(h.meta.title).endswith(normalise(d)))
        for d in q.documents) for h in hits]
    if any(exact):
        titled = [t and (e or h.meta.doc_type not in ("law", "regulation")) for t, e, h in zip(titled, exact, hits)]
    named = [t and h.meta.doc_type != "news" for t, h in zip(titled, hits)]  # a news item's title is its first line
    doc_ordinals: dict[str, set] = {}
    if q.ordinals:  # 第十一届 named in the news item's first chunk anchors its other chunks too
        for h in hits:
            doc_ordinals.setdefault(h.chunk.doc_id, set()).update(ordinals_in(h.chunk.norm))
    for hit, is_titled, is_named in zip(hits, titled, named):
        if any(named) and not is_named:
            continue  # the question names a document the search found: another document's sentence does not answer
        meta, chunk = hit.meta, hit.chunk
        if meta.status == "已被修订" and not (old_asked or any(y in meta.version + meta.date for y in q.years)):
            continue  # a replaced version answers only when it is asked for; the one in force speaks for the law
        local = meta.jurisdiction not in ("", "全国")
        jur = (1.0 if q.places else -1.0) if local else (1.0 if meta.jurisdiction == "全国" and not q.places else 0.0)
        head = normalise(" ".join([meta.title, chunk.section, chunk.article, meta.region, meta.city, chunk.refers]))
        head_set = set(bigram_tokens(head))
        chunk_cov = _coverage(q, set(bigram_tokens(chunk.norm)) | head_set, chunk.norm + head, weights)
        head_cov = _coverage(q, head_set, head, weights)
        rest = [u for u in q.units if not _covered(u, head_set, head, q)]
        place_head = head + " " + chunk.norm
        flagged = {i for i, _ in chunk.flags}
        doc_named = float(is_titled)
        art = _article_number(chunk.article)
        if q.articles and (art not in q.articles or (q.documents and not doc_named)):
            continue  # 第五十条 (of a named law) is asked: no other article answers it
        article_match = float(bool(q.articles))
        title_bigrams = set(bigram_tokens(normalise(meta.title)))
        is_rule = meta.doc_type in ("law", "regulation") and bool(chunk.article)
        sentences = chunk.sentences
        lines = list(enumerate(sentences))
        if span_type is AnswerType.PERSON and chunk.section and _TITLE_NAME.search(to_simplified(chunk.section)):
            lines.insert(0, (-1, chunk.section))  # the speaker line names the person: 重庆市工业学校校长杜宏伟
        prev_set: set[str] = set()
        named_here: list[str] | None = None  # the persons the chunk names, found once when a sentence names none
        for idx, sent in lines:
            if idx > 0:
                prev_set = set(bigram_tokens(normalise(sentences[idx - 1])))
            if idx in flagged:
                continue  # boilerplate or an instruction to the assistant: never an answer
            ns = normalise(sent)
            if span_type not in (AnswerType.PERSON, AnswerType.DATE, AnswerType.PLACE) and "会" not in q.norm \
                    and _DATELINE.search(ns):
                continue  # a speech's heading (政府工作报告——2023年3月5日在…会议上 国务院总理 李克强) says who, when, where
            if len(ns) < 6:
                continue
            y_sent, y_date, y_ok = _year_state(q, ns, head + (_run_opening(sentences, idx) if q.years else ""), hit)
            p_sent, p_ok = _place_state(q, ns, place_head, hit)
            if not (y_ok and p_ok and (not q.ordinals or q.ordinals <= ordinals_in(ns + " " + head)
                                                                | doc_ordinals[chunk.doc_id])):
                continue
            if q.ordinals and other_ordinal(q, ns):
                continue  # 第三届 asked: a sentence about 第二届 does not answer, whatever else its document names
            simple = to_simplified(sent)
            if q.ordinal_asked is not None:
                spans = ordinal_spans(simple, q.ordinal_asked)  # 排第几名 → 第二名, not “4位老师”
            else:
                spans = find_spans(simple, span_type) if is_span_type else []
                if span_type in FIGURE_OR_DATE and not q.asks_roughly:
                    spans = [sp for sp in spans if not said_roughly(sp.text, 1)]  # 近千人 answers 大概多少人 only
                if q.asks_year:
                    spans = [sp for sp in spans if "年" in sp.text or "世纪" in sp.text]
                if q.asks_document_year and not spans and (y := YEAR.search(meta.title) or YEAR.search(meta.date)):
                    spans = [Span(f"{y.group(1)}年", 0, AnswerType.DATE, exact=False)]  # 2019年 (政府工作报告)
                if q.asks_effect:  # when it took effect: the date of 自…起施行, not of its adoption in the header
                    spans = [sp for sp in spans if re.match(r"[起开始]*(?:施行|生效|实施|执行)",
                                                            simple[sp.start + len(sp.text) : sp.start + len(sp.text) + 6])]
                if per:
                    spans = [sp for sp in spans
                             if any(form in re.split(r"[，,；;。]", simple[: sp.start])[-1] for form in per_forms)] or spans
                if q.asks_agent and not q.agent_verb:
                    # 费用由谁承担: the one written after 由 (…费用由市、区（市）人民政府财政负担); 由谁承办 is answered
                    # by the verb's own clause (由A主办，B承办 → B), weighed in best_span
                    spans = [sp for sp in spans if "由" in simple[max(0, sp.start - 4) : sp.start]] or spans
                    if span_type is AnswerType.ORG and (m := _PAID_BY.search(simple)) and (
                            not spans or any(m.start(m.lastindex) <= sp.start < m.end(m.lastindex) for sp in spans)):
                        # who pays, whole: 由财政经费进行合理负担, 由市、区（市）人民政府财政负担 (not 区（市）人民政府)
                        spans = [Span(m.group(m.lastindex), m.start(m.lastindex), AnswerType.ORG, exact=False)]
                    elif q.asks_payer:
                        spans = []  # 社保钱谁来出: a school named where nothing is paid does not say who pays
                if span_type in FIGURE_OR_DATE and not q.asks_start and any(is_start(simple, sp) for sp in spans):
                    spans = [sp for sp in spans if not is_start(simple, sp)] or spans  # 从10.23年提高到10.8年 → 10.8年
                if span_type in FIGURE_OR_DATE and any(is_prior(simple, sp) for sp in spans):
                    # 比上年度的63项增加了6项: 63项 answers 上一年度拿了多少项; this year's count is not written in
                    # the sentence, and the change (6项) is not it either unless a change is asked
                    spans = [sp for sp in spans if is_prior(simple, sp)] if q.asks_prior else [
                        sp for sp in spans if not is_prior(simple, sp) and (q.asks_change or not is_change(simple, sp))]
                if span_type in FIGURE_OR_DATE:
                    # 比上年度的3项增加了4项: how many is asked, not how many more (or the other way round); 每两年…
                    # 不少于两个月: “两年” says how often, the requirement is the other figure (unless how often is asked)
                    spans = [sp for sp in spans if is_change(simple, sp) == q.asks_change
                             and (simple[max(0, sp.start - 1) : sp.start] == "每") == q.asks_frequency] or spans
                if span_type is AnswerType.COUNT and len(q.focus) >= 2:
                    spans = [sp for sp in spans if not counts_a_frame(q, simple, sp)]
                if q.asks_frequency:  # 多久办一届: 每两年 or 两年一次 says it; “开幕式前一小时” does not
                    spans = [sp for sp in spans if simple[max(0, sp.start - 1) : sp.start] in ("每", "隔")
                             or re.match(r"[一]?[次届回期轮]", simple[sp.start + len(sp.text) :])]
            if span_type is AnswerType.PERSON and not spans and (said := quote_speaker(sentences, idx)) is not None:
                spans = [said]  # a first-person quote is said by the person named next to it
            if span_type is AnswerType.PERSON and not spans and q.ordinal_asked is None:
                if named_here is None:  # 副校长刘志成 named once: 刘志成在会上做了…专题报告 names him too
                    named_here = list(dict.fromkeys(sp.text for line in sentences
                                                    for sp in find_spans(to_simplified(line), AnswerType.PERSON)
                                                    if len(sp.text) >= 2))
                spans = [Span(n, simple.find(n), AnswerType.PERSON) for n in named_here if n in simple]
            if span_type is AnswerType.ORG and (m := _SCHOOL_SELF.search(simple)):
                who = speaker(hit)  # 我校 speaks for the school of the speaker line above it
                if who:
                    spans.append(Span(who, m.start(), AnswerType.ORG))
            if span_type is AnswerType.ORG and idx > 0 and (m := _THAT_ONE.search(simple)):
                # 该企业…说 is the one the sentence before names (总部设在沈阳的新松机器人自动化股份有限公司…)
                named = [n for n in institutions(to_simplified(sentences[idx - 1])) if org_of_kind(n, "企业")]
                if named:
                    spans.append(Span(named[-1], m.start(), AnswerType.ORG))
            if span_type is AnswerType.DOCUMENT and not spans and meta.doc_type != "news" and not doc_named:
                title = re.sub(r"[（(][^（）()]*[）)]$", "", meta.title)  # without （2018年修正）
                spans = [Span(f"《{title}》", 0, AnswerType.DOCUMENT, exact=False)]  # 哪部法律规定…: the law itself
            best = best_span(spans, simple, q, weights) if spans else None
            if span_type in REQUIRED_SPAN and best is None:
                continue  # a figure or a date is asked: a sentence without one cannot answer
            if best is not None and best.measure < 0 and span_type is AnswerType.COUNT and (
                    q.measure not in ("", "个") or q.focus.endswith(PEOPLE_NOUNS) or q.dimension or q.asks_magnitude):
                continue  # 几位/多少名/多少人才 is asked: 3个专业 or 11项任务 counts something else
            st = set(bigram_tokens(ns))
            runs = _runs(core, ns)
            novelty = len(st - q_bigrams) / max(len(st), 1)
            if best is None and q.answer_type is not AnswerType.YESNO \
                    and (novelty < 0.2 or len(st - q_bigrams - title_bigrams) / max(len(st), 1) < 0.2) \
                    and not any(t not in q.norm for t in _TITLE.findall(ns)):
                continue  # it only restates the question (or the document's title); a title it adds may be the answer
                # (以公路电影什么入围 ← “以公路电影《一路顺风》入围…”)
            # a sentence that opens a list is read with its items: 换校长 asked, （二）聘任、解聘校长 is one of the matters
            # that need 2／3 of the members (the items themselves hold no figure)
            items = "".join(normalise(it) for it in items_opened(sentences, idx))
            cst, cns = (st | set(bigram_tokens(items)), ns + items) if items else (st, ns)
            f = {
                "bias": 1.0,
                "s_cov": _coverage(q, cst, cns, weights),
                "ctx_cov": _coverage(q, cst | head_set, cns + head, weights),
                "chunk_cov": chunk_cov,
                "head_cov": head_cov,
                "dense": hit.scores.get("dense", 0.0),
                "s_dense": 10 * hit.sentence_dense[idx] if 0 <= idx < len(hit.sentence_dense) else math.nan,
                "rr_dense": 1.0 / hit.ranks["dense"] if "dense" in hit.ranks else 0.0,
                "rr_words": 1.0 / hit.ranks["words"] if "words" in hit.ranks else 0.0,
                "rr_bigrams": 1.0 / hit.ranks["bigrams"] if "bigrams" in hit.ranks else 0.0,
                "rr_fused": 1.0 / hit.rank if hit.rank else 0.0,
                "type_match": (1.0 if best.exact else 0.5) if best is not None and span_type in FIGURE_OR_DATE else 0.0,
                "name_match": 1.0 if best is not None and span_type not in FIGURE_OR_DATE else 0.0,
                "type_miss": float(is_span_type and best is None),
                "span_cov": best.cov if best is not None else 0.0,
                "measure_match": best.measure if best is not None else 0.0,
                "focus_near": focus_near(best, simple, q) if best is not None else 0.0,
                "focus_in_sent": _focus_share(q.focus, ns),
                "rest_cov": _coverage_of(rest, q, cst, cns, weights) if rest else 1.0,
                "rare_cov": _coverage_of(rare, q, cst | head_set, cns + head, weights),
                "year_in_sent": y_sent,
                "year_by_date": y_date,
                "place_in_sent": p_sent,
                "level_match": _level_match(q, ns),
                "doc_named": doc_named,
                "in_force": float(hit.chunk.doc_id in newest),
                "jurisdiction": jur,
                "article_match": article_match,
                "first_person": float(bool(_FIRST_PERSON.search(ns))),
                "novelty": novelty,
                "log_len": math.log(len(ns)),
                "provision_law": float(q.answer_type in (AnswerType.PROVISION, AnswerType.YESNO) and is_rule),
                "figure_any": float(bool(find_figures(ns))),
                "list_shape": min(1.0, (ns.count("、") + ns.count("；")) / 3) if q.wants_list else 0.0,
                "phrase_cov": runs[0],
                "longest": runs[1],
                "prev_cov": _coverage(q, prev_set, "", weights) if idx > 0 else 0.0,
                "extra_conjunct": extra_conjunct(best, simple, q) if best is not None else 0.0,
                "prior_match": (1.0 if is_prior(simple, best) else -1.0) if q.asks_prior and best is not None else 0.0,
            }
            out.append(Candidate(hit, idx, sent, simple, f, [best] if best is not None else []))
    return out


# an item of an enumeration: （二）聘任、解聘校长； / 二、… / 2. …
ITEM = re.compile(r"^(?:[-•·]\s*)?(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])")
_ITEMS_READ = 12  # at most this many items of a list count as part of the sentence that opens it


def items_opened(sentences: list[str], idx: int) -> list[str]:
    """The items a sentence ending in a colon opens (讨论下列重大事项，应当经2／3以上组成人员同意方可通过： → （一）变更举办
    者；, （二）聘任、解聘校长；…), as written; none when it opens none (or is not a sentence of the chunk: idx < 0)."""
    if idx < 0 or not sentences[idx].rstrip().endswith(("：", ":")):
        return []
    items = []
    for sent in sentences[idx + 1 : idx + 1 + _ITEMS_READ]:
        if not ITEM.match(sent.strip()):
            break
        items.append(sent)
    return items


def rank(cands: list[Candidate], model: EvidenceModel) -> list[Candidate]:
    """The candidates, best first, each with its rank score."""
    for c in cands:
        c.score = model.rank(c.features)
    cands.sort(key=lambda c: -c.score)
    return cands
