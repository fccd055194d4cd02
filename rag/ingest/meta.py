"""Describe a document: type, region, publisher and date from its header, path, title and lead."""

from __future__ import annotations

import re

from rag.places import first_place, main_place
from rag.text import normalise

_TYPE_MAP = {
    "law": "law",
    "local_regulation": "law",
    "ministerial_normative_document": "regulation",
    "regulation": "regulation",
    "government_work_report": "report",
    "report": "report",
    "news": "news",
    "notice": "notice",
    "policy": "policy",
}
_NOTICE = re.compile(r"(通知|公示|公告|名单)")
_LAW_TITLE = re.compile(r"(法|条例|办法|规定)(（.*）)?$")
_DATE_ANY = re.compile(r"((?:19|20)\d{2})(?:[-/年.](\d{1,2}))?(?:[-/月.](\d{1,2}))?")


def doc_type_for(header_type: str, rel_path: str, title: str) -> str:
    if header_type in _TYPE_MAP:
        return _TYPE_MAP[header_type]
    top = rel_path.split("/", 1)[0]
    if top in {"law", "laws"} or _LAW_TITLE.search(title or ""):
        return "law"
    if top in {"regulation", "regulations"}:
        return "regulation"
    if top in {"policy", "policies"}:
        return "policy"
    if top in {"gov_work_report", "report", "reports"} or "政府工作报告" in (title or ""):
        return "report"
    if _NOTICE.search(title or ""):
        return "notice"
    return "news"


def region_for(doc_type: str, title: str, lead: str, rel_path: str = "") -> tuple[str, str]:
    prov, city = first_place(normalise(title))
    if prov:
        return prov, city
    if doc_type in {"law", "report", "regulation", "policy"}:
        return "全国", ""
    return main_place(normalise(lead[:3000]))


def clean_date(value: str) -> str:
    """'2022-01-21 (published on gov.cn)' → '2022-01-21'; '2019 (delivered…)' → '2019'; '(none…)' → ''."""
    value = (value or "").strip()
    if not value or value.startswith("("):
        return ""
    m = _DATE_ANY.match(value)
    if not m:
        return ""
    y, mo, d = m.groups()
    if mo and d:
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    if mo:
        return f"{y}-{int(mo):02d}"
    return y


def clean_header_value(value: str) -> str:
    value = (value or "").strip()
    return "" if value.startswith("(") else value


def publisher_for(doc_type: str, title: str, body_head: str) -> str:
    """Who issued an official text, when the file does not say it outright."""
    if doc_type == "report":
        return "国务院"
    m = re.search(r"^\s*(国务院|教育部|人力资源社会保障部)", body_head)
    if doc_type == "policy" and m:
        return m.group(1)
    m = re.search(r"（([^（）]*?(?:部|委|院|厅|局)[^（）]*?)[，,]", title)
    if m:
        return m.group(1)
    m = re.search(r"(\S{2,20}?人民代表大会常务委员会)", body_head)
    if m:
        return re.sub(r"^(第\S+?届|\d{4}年\d{1,2}月\d{1,2}日)\s*", "", m.group(1))
    return ""


# ---- laws, regulations and policy documents -------------------------------------------------------------------

_VERSION_IN_TITLE = re.compile(r"[（(]((?:19|20)\d{2}年?(?:修订|修正|原文|版)?)[）)]")
_EFFECTIVE = [
    re.compile(r"(?:本法|本条例|本办法|本规定|本决定|本实施细则|本细则)自((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日起施行"),
    re.compile(r"^((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*施行", re.M),
]
_FROM_ISSUE = re.compile(r"自(?:公布|印发|发布)之日起施行")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔(?:19|20)\d{2}〕\d{1,4}号")
_LOCAL_NAME = re.compile(r"^(\S{2,8}?(?:省|自治区|市|县|区))")


def rule_metadata(doc_type: str, title: str, region: str, date: str, header: dict, body: str) -> dict:
    """Version, declared status, effective date, jurisdiction and document number of a law, regulation or policy
    document, read from its header and its own text; fields the text does not give stay empty (shown as 未知)."""
    if doc_type not in ("law", "regulation", "policy"):
        return {}
    out = {"version": "", "declared_status": "", "effective": "", "jurisdiction": "", "doc_number": ""}
    m = _VERSION_IN_TITLE.search(title)
    if m:
        v = m.group(1)
        out["version"] = v if "年" in v else v.replace("修订", "年修订")
    note = clean_header_value(header.get("note", ""))
    if re.search(r"已被.{0,12}(?:取代|替代|修订)|已失效", note):
        out["declared_status"] = "已被修订"
    elif "已废止" in note:
        out["declared_status"] = "已废止"
    elif re.search(r"现行(?:有效|本)", note):
        out["declared_status"] = "现行有效"
    for pat in _EFFECTIVE:
        m = pat.search(body)
        if m:
            out["effective"] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            break
    if not out["effective"] and _FROM_ISSUE.search(body) and date:
        out["effective"] = date
    note_eff = re.search(r"施行\s*((?:19|20)\d{2}-\d{2}-\d{2})", note)
    if note_eff:
        out["effective"] = note_eff.group(1)
    if region in ("", "全国"):
        out["jurisdiction"] = "全国"
    else:
        m = _LOCAL_NAME.match(title)
        out["jurisdiction"] = m.group(1) if m else region
    number = clean_header_value(header.get("doc_number", ""))
    if not number:
        m = _DOC_NUMBER.search(title + "\n" + body[:400])
        number = m.group(0) if m else ""
    out["doc_number"] = number
    return out


# what opens a scraped news item before its first real sentence once the cleaner has taken its CRUD prefix away
# (clean.NEWS_PREFIX): an outlet's dateline with its reporters (中新网北京7月31日电 (记者 钟升) / 红网时刻新闻8月6日讯（记者 潘锦 通讯员 张扬帆）)
_ORIGINAL_TITLE = re.compile(r"^原标题[：:]\s*")
_DATELINE = re.compile(
    r"^(?:【[^】]{1,20}】)?[^，。！？\s（(]{0,24}?(?:网|报|社|台|客户端|新闻)[^，。！？（(]{0,16}?"
    r"(?:\d{1,2}月\d{1,2}日)?(?:讯|电|报道|消息)(?!员)[：:]?\s*(?:[（(][^）)]{0,40}[）)])?\s*")
# 极目新闻记者 成昱勋实习生 马婧8月16日，…: reporters before the date that opens the story
_BYLINE = re.compile(r"^[^，。！？]{0,12}?记者[^，。！？]{1,30}?(?=\d{1,2}月\d{1,2}日)")
# 中国经济导报 中国发展网 聂金秀、鲁利韦、记者罗勉报道: outlets and reporters credited before the story
_REPORTED = re.compile(r"^[^，。！？]{0,40}?记者[\u4e00-\u9fff]{2,4}报道\s*")
_OUTLET_AFTER_TITLE = re.compile(r"[\u4e00-\u9fff]{1,12}(?:网|报|社|台|新闻)[^，。！？]{0,12}?\d{1,2}月\d{1,2}日(?:讯|电)")
_CAPTION = re.compile(r"^([^。！？（(]{6,40})[（(]图片来源[：:][^）)]{1,20}[）)]")
HEADLINE_CHARS = 40


def news_headline(body: str) -> str:
    """A readable title for a news item that has none: its own original title (原标题：…) when it gives one, else its
    first sentence without the date prefix and the outlet's dateline, cut to 40 characters; "" when nothing is left."""
    first = body.strip().split("\n", 1)[0]
    text = first.strip()
    if (cap := _CAPTION.match(text)):  # 两岸青年职业教育融合发展研讨会（图片来源：山西省台办）: the photo's caption
        head = cap.group(1)
    elif _ORIGINAL_TITLE.match(text):
        text = _ORIGINAL_TITLE.sub("", text)
        end = _OUTLET_AFTER_TITLE.search(text)
        head = text[: end.start()] if end else re.split(r"[。！？【]", text, 1)[0]  # 【环球时报驻法国特派记者…
    else:
        text = _REPORTED.sub("", _DATELINE.sub("", text, count=1).strip(), count=1)
        text = _BYLINE.sub("", text, count=1)
        head = re.split(r"(?<=[。！？])", text, 1)[0].rstrip("。")
    head = head.strip(" |　")
    if len(head) < 6:
        return ""
    return head[:HEADLINE_CHARS] + ("…" if len(head) > HEADLINE_CHARS else "")
