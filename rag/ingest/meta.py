"""Describe a document: type, region, publisher and date from its header, path, title and lead."""

from __future__ import annotations

import re

from rag.text import normalise

PROVINCES = [
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
]
# cities and counties that the corpus names without their province
CITIES = {
    "大连": "辽宁", "沈阳": "辽宁", "鞍山": "辽宁", "青岛": "山东", "济南": "山东", "潍坊": "山东", "临朐": "山东",
    "烟台": "山东", "淄博": "山东", "宁波": "浙江", "杭州": "浙江", "温州": "浙江", "金华": "浙江", "宜宾": "四川",
    "成都": "四川", "绵阳": "四川", "广州": "广东", "深圳": "广东", "东莞": "广东", "佛山": "广东", "南京": "江苏",
    "苏州": "江苏", "无锡": "江苏", "常州": "江苏", "淮安": "江苏", "徐州": "江苏", "武汉": "湖北", "长沙": "湖南",
    "西安": "陕西", "郑州": "河南", "许昌": "河南", "洛阳": "河南", "合肥": "安徽", "池州": "安徽", "六安": "安徽",
    "福州": "福建", "厦门": "福建", "泉州": "福建", "南昌": "江西", "石家庄": "河北", "唐山": "河北", "太原": "山西",
    "晋中": "山西", "长春": "吉林", "哈尔滨": "黑龙江", "昆明": "云南", "贵阳": "贵州", "南宁": "广西", "柳州": "广西",
    "兰州": "甘肃", "西宁": "青海", "海西": "青海", "银川": "宁夏", "乌鲁木齐": "新疆", "拉萨": "西藏", "昌都": "西藏",
    "呼和浩特": "内蒙古", "包头": "内蒙古", "海口": "海南", "三亚": "海南", "璧山": "重庆", "北碚": "重庆", "南川": "重庆",
    "金普": "辽宁",
}
_TRAD = {"遼寧": "辽宁", "臨朐": "临朐", "廣東": "广东", "雲南": "云南", "貴州": "贵州", "陝西": "陕西", "寧夏": "宁夏",
         "黑龍江": "黑龙江", "內蒙古": "内蒙古", "廣西": "广西", "蘇州": "苏州", "寧波": "宁波", "璧山": "璧山"}

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


def find_places(text: str) -> tuple[str, str]:
    """(province, city) first named in the text; ('', '') if none."""
    for trad, simp in _TRAD.items():
        text = text.replace(trad, simp)
    best: tuple[int, str, str] | None = None
    for p in PROVINCES:
        i = text.find(p)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, p, "")
    for c, p in CITIES.items():
        i = text.find(c)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, p, c)
    if best is None:
        return "", ""
    _, prov, city = best
    if not city:  # a city named later still refines the province
        for c, p in CITIES.items():
            if p == prov and c in text:
                city = c
                break
    return prov, city


def region_for(doc_type: str, title: str, lead: str, rel_path: str = "") -> tuple[str, str]:
    prov, city = find_places(normalise(title))
    if prov:
        return prov, city
    if doc_type in {"law", "report", "regulation"}:
        return "全国", ""
    prov, city = find_places(normalise(lead[:400]))
    return (prov, city) if prov else find_places(normalise(lead))


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
