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
    if top in {"gov_work_report", "report", "reports"} or "政府工作报告" in (title or ""):
        return "report"
    if _NOTICE.search(title or ""):
        return "notice"
    return "news"


def region_for(doc_type: str, title: str, lead: str, rel_path: str = "") -> tuple[str, str]:
    prov, city = first_place(normalise(title))
    if prov:
        return prov, city
    if doc_type in {"law", "report", "regulation"}:
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
    m = re.search(r"（([^（）]*?(?:部|委|院|厅|局)[^（）]*?)[，,]", title)
    if m:
        return m.group(1)
    m = re.search(r"(\S{2,20}?人民代表大会常务委员会)", body_head)
    if m:
        return re.sub(r"^(第\S+?届|\d{4}年\d{1,2}月\d{1,2}日)\s*", "", m.group(1))
    return ""
