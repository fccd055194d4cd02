"""Strip the noise of scraped pages — navigation, ads, disclaimers, related-article lists, repeated captions,
duplicated paragraphs, glued pinyin — while keeping every body sentence and pulling out title, date, source, URL."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rag.ingest.marks import lift_marks, restore_marks
from rag.text import CJK, match_key

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
# 發(fā) → 發 ; only lower-case syllables with a vowel, so "(GDP)" or "(1)" survive
_PINYIN = re.compile(rf"(?<=[{CJK}])\((?=[a-z{_TONED}]*[aeiouv{_TONED}])[a-z{_TONED}]{{1,7}}\)")
# a character lost to "??" with a leftover pinyin fragment, e.g. "??h委常委" (縣 rendered as ??h)
_BROKEN = re.compile(rf"\?{{1,3}}[a-z{_TONED}]{{0,6}}(?=[{CJK}])")

_URL = re.compile(r"(?:https?://|www\.)[\w./%?=&#:~+-]+", re.I)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")
_SOURCE = re.compile(r"(?:来源|來源|信息来源|稿件来源)\s*[:：]\s*([^\s:：|｜]{2,30}?)(?=\s|责任编辑|責任編輯|更新时间|发布时间|发布日期|作者|编辑|$)")
_URL_META = re.compile(r"(?:地址|原文链接|原文地址|链接|網址|网址)\s*[:：]\s*((?:https?://|www\.)\S+)")
_TITLE_META = re.compile(r"^(?:标题|標題)\s*[:：]\s*(.+)$")
_AUTHOR_META = re.compile(r"^(?:作者|编辑|责任编辑|記者|记者)\s*[:：]")
_BYLINE_HINT = re.compile(r"(围观|閱讀|阅读|浏览|点击|发布日期|發布日期|发布时间|更新时间|来源|來源|作者)")

_FOOTER = re.compile(
    r"^(相关阅读|相關閱讀|相关文章|相关新闻|延伸阅读|推荐阅读|热门推荐|猜你喜欢|版权与免责声明|免责声明|版权声明|"
    r"上一篇|下一篇|转载请注明|轉載請註明|分享到|扫一扫|打印本页|关闭窗口|网站简介)"
)
_FOOTER_ANYWHERE = re.compile(r"(责任编辑|責任編輯)\s*[:：]|ICP备|ICP證|我要投稿")
_BOILER = [
    re.compile(r"^本篇文章\s*\d+\s*字"),
    re.compile(r"^欢迎(来到|访问|光临)"),
    re.compile(r"^(当前位置|您的位置|你的位置|首页)\s*[:：>]"),
    re.compile(r"ICP备|公网安备"),
    re.compile(r"^(图片来源|图源)[:：]"),
]
_BREADCRUMB = re.compile(r"\S\s*(>|»|›)\s*\S.*(>|»|›)")
# what a scraped news item (the CRUD collection) opens with before its text, however the site wrote it: a date
# (2023-07-31 10:24 / 2023/08/04 / [2023年07月23日] / 7-31, its year's digits stripped), a source or a byline
# (来源：央视新闻 | 2023年07月20日 10:05:25 / 记者：路艳霞), then “，正文：”. It goes; the date in it is kept when whole
NEWS_PREFIX = re.compile(r"^\s*([^。！？\n]{0,60}?)\s*正文[:：]\s*")
_SENTENCE_PUNCT = re.compile(r"[。！？；!?;]")


@dataclass
class Cleaned:
    text: str
    title: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    removed: list[str] = field(default_factory=list)


# decorative glyphs used as bullets (✍ 我省在…): a line break, so the sentences they separate stay apart
_GLYPHS = re.compile(r"\s*[✍✅❤☞▶►●◆■★☆👉📌🔥✨💡📢]+\ufe0f?\s*")
def _glyph_break(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 1) : m.start()]
    return "\n" if not before or before in "。！？；!?;\n" else "："


# a portal's footer glued to the last sentence: 返回搜狐，查看更多责任编辑：
_INLINE_JUNK = re.compile(r"(?:返回搜狐[，,]?\s*查看更多|责任编辑[:：]\s*$|平台声明[:：].{0,80}$)", re.M)


def strip_pinyin(text: str) -> str:
    """發(fā)布 → 發布, and rebuild characters lost to '??x' from the same text where another copy shows them."""
    text = _PINYIN.sub("", text)
    if "?" not in text:
        return text

    def repair(m: re.Match) -> str:
        right = text[m.end() : m.end() + 3]
        left = text[max(0, m.start() - 2) : m.start()]
        votes: Counter[str] = Counter()
        if len(right) == 3:
            for cand in re.finditer(rf"([{CJK}]){re.escape(right)}", text):
                votes[cand.group(1)] += 1
        if not votes and len(left) == 2:
            for cand in re.finditer(rf"{re.escape(left)}([{CJK}])", text):
                if cand.start() != m.start() - 2:
                    votes[cand.group(1)] += 1
        return votes.most_common(1)[0][0] if votes else ""

    return _BROKEN.sub(repair, text)


def _is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line)) or (len(line) < 80 and bool(_FOOTER_ANYWHERE.search(line)))


def _is_boilerplate(line: str) -> bool:
    if any(p.search(line) for p in _BOILER):
        return True
    if _BREADCRUMB.search(line) and len(line) < 120 and not _SENTENCE_PUNCT.search(line):
        return True
    return False


def _is_ad(line: str) -> bool:
    """A short line carrying a URL that is not the page's own address: an ad or a link farm."""
    if not _URL.search(line) or _URL_META.search(line):
        return False
    rest = _URL.sub("", line).strip()
    return len(rest) < 40 and not _SENTENCE_PUNCT.search(rest)


def _find_byline(lines: list[str]) -> int:
    for i, line in enumerate(lines[:10]):
        if len(line) < 90 and not line.endswith("。") and _DATE.search(line) and (
            _BYLINE_HINT.search(line) or len(_DATE.sub("", line).strip()) < 30
        ):
            return i
    return -1


def _iso(m: re.Match) -> str:
    y, mo, d = m.groups()
    return f"{y}-{int(mo):02d}-{int(d):02d}"


def clean_text(raw: str, *, title_hint: str = "", structured: bool = False) -> Cleaned:
    """`structured` documents (laws, reports) keep their layout; scraped pages get the full treatment. Marker lines
    (page numbers, heading paths) are set aside while cleaning and put back above the lines they belong to."""
    text = strip_pinyin(raw.replace("\ufeff", ""))
    out = Cleaned(text="")
    if (m := NEWS_PREFIX.match(text)):
        if (d := _DATE.search(m.group(1))):
            out.date = _iso(d)
        text = text[m.end() :]

    text = _INLINE_JUNK.sub("", _GLYPHS.sub(_glyph_break, text))
    lines = [ln.strip() for ln in text.split("\n")]
    lines, marks = lift_marks([ln for ln in lines if ln])
    if structured:
        out.text = "\n".join(restore_marks(_clean_structured(lines, out), marks))
        out.title = title_hint
        return out

    # page metadata can sit anywhere, footer included: read it before anything is dropped
    for line in lines:
        if not out.source and (sm := _SOURCE.search(line)):
            out.source = sm.group(1).strip()
        if not out.url and (um := _URL_META.search(line)):
            out.url = um.group(1).rstrip("。，,")
        if not out.title and (tm := _TITLE_META.match(line)):
            out.title = tm.group(1).strip()

    by = _find_byline(lines)
    if by >= 0:
        if not out.date and (dm := _DATE.search(lines[by])):
            out.date = _iso(dm)
        if not out.source:
            outlet = _DATE.split(lines[by])[0].strip()
            if 2 <= len(outlet) <= 20 and not _BYLINE_HINT.search(outlet):
                out.source = outlet
    title = title_hint or out.title
    title_idx = -1
    if title:
        for i, line in enumerate(lines[:12]):
            if match_key(line).endswith(match_key(title)) or match_key(title) == match_key(line):
                title_idx = i
                break
    if title_idx < 0 and by > 0:
        for i in range(by - 1, -1, -1):
            if len(lines[i]) >= 6 and not _is_boilerplate(lines[i]) and not _URL.search(lines[i]):
                title_idx = i
                break
    if title_idx < 0 and not title_hint:
        for i, line in enumerate(lines[:5]):
            if 6 <= len(line) <= 60 and not _SENTENCE_PUNCT.search(line) and not _URL.search(line):
                title_idx = i
                break
    if title_idx >= 0 and not title:
        title = lines[title_idx]
    out.title = title

    body: list[tuple[int, str]] = []  # (index in lines, line)
    seen: set[str] = set()
    title_key = match_key(title) if title else ""
    started = False
    for i, line in enumerate(lines):
        key = match_key(line)
        reason = ""
        if i < title_idx or (title_idx < 0 and i < by):
            if len(line) < 50 or _is_boilerplate(line):
                reason = "页头导航"
        elif i == title_idx or (title_key and key in (title_key, match_key("标题:" + title))):
            reason = "标题重复"
        elif i == by:
            reason = "署名行"
        if not reason and started and _is_footer(line):
            out.removed.append(f"[页脚] {line}")
            out.removed.extend(f"[页脚] {rest}" for rest in lines[i + 1 :])
            break
        if not reason:
            if _is_boilerplate(line):
                reason = "样板"
            elif _is_ad(line):
                reason = "广告"
            elif _TITLE_META.match(line) or (_URL_META.search(line) and len(_URL_META.sub("", line).strip()) < 10):
                reason = "元数据行"
            elif _SOURCE.match(line) and len(line) < 60 and not _SENTENCE_PUNCT.search(line):
                reason = "元数据行"
            elif _AUTHOR_META.match(line) and len(line) < 40:
                reason = "署名行"
            elif key in seen and len(key) >= 8:
                reason = "重复段落"
        if reason:
            out.removed.append(f"[{reason}] {line}")
            continue
        started = True
        seen.add(key)
        body.append((i, line))
    if not body:  # a one-line document (a headline, a notice) is its own body, not a title with nothing under it
        keep = [(i, ln) for i, ln in enumerate(lines)
                if not _is_boilerplate(ln) and not _is_ad(ln) and len(match_key(ln)) >= 6]
        if keep:
            body = [max(keep, key=lambda p: len(p[1]))]
            out.removed = [r for r in out.removed if not r.endswith(body[0][1])]
    out.text = "\n".join(restore_marks(body, marks))
    return out


_MD_SCAFFOLD = re.compile(r"^(>|\||-{3,}$|[-*]\s|#{1,6}\s)")
_FIRST_PROVISION = re.compile(r"^#*\s*第[一二三四五六七八九十百千零〇两]+[章节编条]")


_LICENCE_LINES = {"public domain", "true", "false", "none", "null"}


def _clean_structured(lines: list[str], out: Cleaned) -> list[tuple[int, str]]:
    """Laws and reports: drop markdown scaffolding before the first provision and repeated long paragraphs; the
    lines kept, with their index in `lines`."""
    body = []
    seen: set[str] = set()
    in_front = any(_FIRST_PROVISION.match(ln.replace("*", "")) for ln in lines)
    for i, line in enumerate(lines):
        line = line.replace("**", "").replace("__", "").strip()
        if not line:
            continue
        if line.startswith("<!--") and line.endswith("-->"):
            out.removed.append(f"[标记] {line}")
            continue
        if line.lower() in _LICENCE_LINES:  # the corpus's licence footer ("Public domain", "false"), not text
            out.removed.append(f"[页脚] {line}")
            continue
        if in_front:
            if _FIRST_PROVISION.match(line):
                in_front = False
            elif _MD_SCAFFOLD.match(line):
                out.removed.append(f"[排版说明] {line}")
                continue
        key = match_key(line)
        if key in seen and len(key) >= 30:  # repeated long paragraphs only; short headings legitimately repeat
            out.removed.append(f"[重复段落] {line}")
            continue
        seen.add(key)
        body.append((i, line))
    return body
