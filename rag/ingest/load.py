"""Read a file of any supported format into text, detecting its encoding, and split off a provenance header."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import DocumentError, EmptyDocumentError, UnsupportedFormatError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}

_HEADER_KEY = re.compile(r"^([a-z_]{2,30}):\s?(.*)$")


@dataclass
class RawText:
    text: str
    encoding: str
    header: dict[str, str] = field(default_factory=dict)
    is_html: bool = False


def decode_bytes(data: bytes, name: str = "") -> tuple[str, str]:
    """UTF-8 (BOM or not), UTF-16 with BOM, GB18030/GBK and Big5; refuses binary data instead of guessing."""
    if not data.strip():
        raise EmptyDocumentError(name, "文件为空", user_message=f"文件“{name}”是空的。")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    sample = data[:65536]
    if b"\x00" in sample or _control_ratio(sample) > 0.05:
        raise DocumentError(name, "看起来是二进制文件，不是文本")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # a file cut mid-character (scraped news often is) is still UTF-8
        if exc.start >= len(data) - 3:
            return data.decode("utf-8", errors="ignore"), "utf-8"
    best: tuple[float, str, str] | None = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:
        from charset_normalizer import from_bytes

        guess = from_bytes(data).best()
        if guess is None:
            raise DocumentError(name, "无法识别文件编码")
        return str(guess), guess.encoding
    return best[1], best[2]


# Frequent characters in Chinese prose; right decodings are dense in them, wrong ones are not.
_COMMON = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湖钟普"
)


def _plausibility(text: str) -> float:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not chars:
        return 0.0
    return sum(c in _COMMON for c in chars) / len(chars)


def _control_ratio(data: bytes) -> float:
    bad = sum(1 for b in data if b < 9 or 13 < b < 32)
    return bad / max(len(data), 1)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """The shared corpus starts with `key: value` lines and a `---` line; anything else has no header."""
    lines = text.split("\n", 40)
    header: dict[str, str] = {}
    for i, line in enumerate(lines[:40]):
        if line.strip() == "---" and header:
            return header, "\n".join(lines[i + 1 :]) if i + 1 < len(lines) else ""
        m = _HEADER_KEY.match(line.strip())
        if not m:
            return {}, text
        header[m.group(1)] = m.group(2).strip()
    return {}, text


def read_file(path: Path, name: str | None = None) -> RawText:
    """Any supported file → text; raises DocumentError subclasses that say which file and why."""
    name = name or path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            name,
            f"不支持的文件类型“{suffix or '无扩展名'}”（支持 txt、md、html、pdf、docx）",
        )
    data = path.read_bytes()
    if suffix == ".pdf":
        return RawText(_pdf_text(data, name), "pdf")
    if suffix == ".docx":
        return RawText(_docx_text(data, name), "docx")
    text, enc = decode_bytes(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if suffix in HTML_SUFFIXES or (suffix in TEXT_SUFFIXES and _looks_like_html(text)):
        return RawText(html_to_text(text), enc, is_html=True)
    header, body = split_header(text)
    return RawText(body, enc, header=header)


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def html_to_text(html: str) -> str:
    """Visible text of a page, one block a line; scripts, styles and page chrome dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "iframe", "svg", "nav", "form", "button", "select"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    blocks = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "div", "span", "br"]):
        if el.name in {"div", "span", "td"} and el.find(["p", "div", "li", "h1", "h2", "h3", "table"]):
            continue
        if el.name == "br":
            continue
        txt = el.get_text(" ", strip=True)
        if txt:
            blocks.append(txt)
    if not blocks:
        blocks = [ln.strip() for ln in soup.get_text("\n").split("\n") if ln.strip()]
    out, seen = [], set()
    for b in blocks:
        if b not in seen:  # nested inline elements repeat text
            out.append(b)
            seen.add(b)
    if title and (not out or out[0] != title):
        out.insert(0, title)
    return "\n\n".join(out)


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(p.extract_text() or "") for p in reader.pages]
    except Exception as exc:  # pypdf raises many types for broken files
        raise DocumentError(name, f"PDF 文件已损坏或无法解析（{type(exc).__name__}）") from exc
    text = "\n".join(pages).strip()
    if not text:
        raise EmptyDocumentError(name, "PDF 中没有可提取的文字（可能是扫描件）")
    return text


def _docx_text(data: bytes, name: str) -> str:
    import docx

    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise DocumentError(name, f"DOCX 文件已损坏或无法解析（{type(exc).__name__}）") from exc
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.append(" ".join(c.text for c in row.cells))
    text = "\n".join(p for p in parts if p.strip())
    if not text.strip():
        raise EmptyDocumentError(name, "DOCX 中没有文字")
    return text
