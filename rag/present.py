"""Turn answers and the library into what a reader sees: Markdown with clickable [n] markers, source cards with the
quoted sentence and figures highlighted, an exportable Markdown record. Plain strings; no UI framework here."""

from __future__ import annotations

import html
import re

from rag.figures import mark_figures
from rag.files import file_url
from rag.index.store import DocEntry
from rag.prompts import NOT_FOUND
from rag.records import DOC_TYPE_LABELS, Answer, Citation

_MARK = re.compile(r"\[(\d+)\]")


def answer_markdown(ans: Answer) -> str:
    """[n] becomes a link to source card n (the page script scrolls to it)."""
    text = _MARK.sub(lambda m: f"[[{m.group(1)}]](#src-{m.group(1)})", ans.answer)
    if ans.notice:
        text = f"> 说明：{ans.notice}\n\n" + text
    if ans.unsupported:
        text += "\n\n> 注意：以下内容中的数字未能在引用的原文中找到，请谨慎使用：\n" + "\n".join(f"> - {s}" for s in ans.unsupported)
    return text


def _highlight(passage: str, quote: str) -> str:
    """Escape the passage, mark the quoted sentence, and bold every figure in it."""
    def figs(s: str) -> str:
        return mark_figures(s, lambda raw: f'<b class="fig">{raw}</b>')

    if quote and quote in passage:
        i = passage.index(quote)
        before, mid, after = passage[:i], passage[i : i + len(quote)], passage[i + len(quote) :]
        return html.escape(before) + f"<mark>{figs(html.escape(mid))}</mark>" + html.escape(after)
    return figs(html.escape(passage))


def _mark_flagged(shown: str, c: Citation) -> str:
    """Boilerplate and instructions to an assistant stay visible in the card, struck through and labelled."""
    from rag.ingest.flags import FLAG_LABELS

    for sentence, flag in c.flagged:
        esc = html.escape(sentence)
        if esc in shown:
            label = html.escape(FLAG_LABELS.get(flag, flag))
            shown = shown.replace(esc, f'<span class="flagged" title="{label}">{esc}</span>'
                                       f'<span class="flag-label">（{label}）</span>', 1)
    return shown


def page_label(c: Citation) -> str:
    """第3页, or 第3–4页 when the passage runs on; "" for a source without pages."""
    if not c.page:
        return ""
    return f"第{c.page}–{c.page_end}页" if c.page_end > c.page else f"第{c.page}页"


def source_place_html(c: Citation) -> str:
    """Where in the original the passage sits (page, headings) and a link that opens the original at that page."""
    e = html.escape
    parts = [p for p in (page_label(c), c.heading_path) if p]
    place = f' · <span class="src-place">{e(" · ".join(parts))}</span>' if parts else ""
    url = file_url(c.path, c.page) if c.page else ""
    if url:
        place += f' <a class="orig" href="{e(url)}" target="_blank" rel="noopener">打开原文第{c.page}页</a>'
    return place


def citation_card(c: Citation) -> str:
    e = html.escape
    meta = " · ".join(
        x for x in (e(c.date or "日期不详"), e(c.source or "来源不详"), e(c.region or ""), e(DOC_TYPE_LABELS.get(c.doc_type, c.doc_type))) if x
    )
    badge = ""
    if c.status:
        text = f"已被{c.replaced_by}取代" if c.replaced_by else c.status
        kind = {"现行有效": "ok", "已被修订": "old", "已废止": "old"}.get(c.status, "unknown")
        badge = f'<span class="badge {kind}">{e(text)}</span>'
    if c.jurisdiction and c.jurisdiction != "全国":
        badge += f'<span class="badge place">{e(c.jurisdiction)}地方性法规</span>'
    link = f'<a class="orig" href="{e(c.url)}" target="_blank" rel="noopener noreferrer">原文链接</a>' if c.url.startswith(("http://", "https://")) else ""
    passage = c.original or c.text
    quote = c.quote if c.quote in c.text else ""
    if c.original and c.original != c.text:
        # the card shows the source's own script; find the quote's place via the simplified copy
        shown = _highlight(c.text, quote)
        extra = f'<details><summary>原文（繁体）</summary><p>{e(c.original)}</p></details>'
    else:
        shown = _highlight(passage, quote)
        extra = ""
    shown = _mark_flagged(shown, c)
    return (
        f'<div class="src-card" id="src-{c.n}"><div class="src-head"><span class="src-n">[{c.n}]</span> '
        f'<span class="src-title">{e(c.title)}</span> {badge}</div><div class="src-meta">{meta}{source_place_html(c)} {link}</div>'
        f'<div class="src-text">{shown}</div>{extra}</div>'
    )


def sources_html(ans: Answer | None) -> str:
    if ans is None:
        return '<div class="src-empty">提问后，这里会列出每条引用的出处和原文。</div>'
    if ans.refused:
        if not ans.closest:
            return f'<div class="src-empty">{html.escape(NOT_FOUND)}</div>'
        items = "".join(
            f'<div class="src-card near"><div class="src-title">{html.escape(h.meta.display_title)}</div>'
            f'<div class="src-meta">{html.escape(h.meta.date or "日期不详")} · {html.escape(h.meta.source or "来源不详")}</div>'
            f'<div class="src-text">{html.escape(h.chunk.text[:200])}…</div></div>'
            for h in ans.closest
        )
        return f'<div class="src-note">没有足以回答的资料。以下是最接近的段落，仅供参考：</div>{items}'
    return "".join(citation_card(c) for c in ans.citations)


def export_text(ans: Answer) -> str:
    """What the copy button copies: the answer as plain text, then its numbered sources (no Markdown links)."""
    lines = [f"问：{ans.question}", "", f"答：{ans.answer}"]
    if ans.citations:
        lines += ["", "出处："]
        for c in ans.citations:
            head = "，".join(x for x in (c.date, c.source) if x)
            lines.append(f"[{c.n}] 《{c.title}》{('（' + head + '）') if head else ''}{(' ' + c.url) if c.url else ''}")
            if c.quote:
                lines.append(f"    “{c.quote}”")
    return "\n".join(lines) + "\n"


def error_html(message: str) -> str:
    """An error in the chat, as a text badge (no emoji: not every machine has the font)."""
    return f'<span class="badge old">出错</span> {html.escape(message)}'


def export_markdown(ans: Answer) -> str:
    lines = [f"## 问：{ans.question}", "", ans.answer, ""]
    if ans.citations:
        lines.append("### 来源")
        for c in ans.citations:
            head = "，".join(x for x in (c.date, c.source) if x)
            lines.append(f"{c.n}. 《{c.title}》{('（' + head + '）') if head else ''}{(' ' + c.url) if c.url else ''}")
            lines.append(f"   > {c.quote}")
    return "\n".join(lines) + "\n"


LIBRARY_COLUMNS = ["标题", "类型", "日期", "来源", "地区", "片段数", "路径", "文档ID"]


def library_rows(entries: list[DocEntry]) -> list[list]:
    return [
        [e.meta.display_title, DOC_TYPE_LABELS.get(e.meta.doc_type, e.meta.doc_type), e.meta.date, e.meta.source,
         e.meta.region + (e.meta.city if e.meta.city and e.meta.city != e.meta.region else ""), len(e.chunk_ids), e.path, e.doc_id]
        for e in entries
    ]


CSS = """
.src-card{border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;margin:0 0 10px 0;background:#fff}
.src-card.flash{box-shadow:0 0 0 3px #f5a623}
.src-head{font-weight:600}.src-n{color:#0969da}.src-meta{color:#57606a;font-size:.85em;margin:4px 0}
.src-text{font-size:.92em;line-height:1.6}.src-text mark{background:#fff3b0}.fig{color:#b42318}
.src-empty,.src-note{color:#57606a;padding:8px}
.filter-on{margin:2px 0 6px 0;color:#0969da;font-size:.9em}
.wide-table table{min-width:900px}.wide-table{overflow-x:auto}
.examples{align-items:center;flex-wrap:wrap;gap:6px}.ex-label{flex:0 0 auto !important;min-width:64px !important}
.ex-btn{flex:0 1 auto !important;min-width:0 !important;white-space:normal !important}
@media (max-width:600px){#chat{height:360px !important}.src-card{font-size:.95em}}
.dense-building{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px;color:#4d2d00}
.flagged{text-decoration:line-through;color:#8c959f}.flag-label{color:#9a6700;font-size:.85em}
.badge{display:inline-block;border-radius:10px;padding:0 8px;margin-left:4px;font-size:.78em;font-weight:500;
border:1px solid #d0d7de;color:#57606a}.badge.ok{border-color:#1a7f37;color:#1a7f37}.badge.old{border-color:#cf222e;
color:#cf222e}.badge.place{border-color:#0969da;color:#0969da}
.law-diff{width:100%;border-collapse:collapse;table-layout:fixed}.law-diff td,.law-diff th{border:1px solid #d0d7de;
padding:6px 8px;vertical-align:top;line-height:1.6;font-size:.92em;word-break:break-all}.law-diff ins{background:#dafbe1;
text-decoration:none}.law-diff del{background:#ffebe9}.diff-head{font-weight:600;margin:6px 0}
.claim{border-left:4px solid #d0d7de;padding:6px 10px;margin:8px 0}.claim.ok{border-color:#1a7f37}
.claim.bad{border-color:#cf222e}.claim.unknown{border-color:#9a6700}
"""

# a marker click scrolls to its card (capture phase: the chat's own link handling would open a new tab)
HEAD = """
<script>
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a[href^="#src-"]');
  if (!a) return;
  e.preventDefault(); e.stopPropagation();
  var card = document.getElementById(a.getAttribute('href').slice(1));
  if (card) { card.scrollIntoView({behavior: 'smooth', block: 'center'}); card.classList.add('flash');
              setTimeout(function () { card.classList.remove('flash'); }, 1500); }
}, true);
</script>
"""


FACT_COLUMNS = ["数字", "所指", "原句", "文档", "日期", "地区", "来源"]
CASE_COLUMNS = ["地区", "机构", "日期", "做法", "涉及数字", "文档", "来源"]


def fact_rows(facts) -> list[list]:
    from rag.facts import fact_row

    return [fact_row(f) for f in facts]


def claim_html(results) -> str:
    e = html.escape
    if not results:
        return '<div class="src-empty">句子中没有可核查的数字。</div>'
    out = []
    for r in results:
        css = {"found": "ok", "different": "bad", "not_found": "unknown"}[r.status]
        rows = "".join(
            f'<li><b class="fig">{e(f.raw)}</b> —《{e(f.title)}》{e(f.date or "日期不详")}'
            f'{(" · " + e(f.source)) if f.source else ""}：{e(f.sentence)}</li>'
            for f in (r.matches or r.conflicts)
        )
        badge = {"ok": "ok", "bad": "old", "unknown": "unknown"}[css]
        out.append(f'<div class="claim {css}"><div class="claim-head"><b>{e(r.figure)}</b> '
                   f'<span class="badge {badge}">{e(r.label)}</span></div><ul>{rows}</ul></div>')
    return "".join(out)


def case_rows(cases) -> list[list]:
    return [[c.region, c.institution, c.date or "日期不详", c.what, "；".join(c.figures), c.title, c.source] for c in cases]


def diff_html(d) -> str:
    """Two versions of a law side by side: rewritten articles whole, lightly edited ones with <del>/<ins> marks."""
    from rag.diff import REWRITTEN, version_name

    e = html.escape
    if not d.pairs:
        return f'<div class="src-empty">两个版本中都没有找到关于“{e(d.topic)}”的条文。</div>'

    def marked(ops, keep: str) -> str:
        out = []
        for op, t in ops:
            if op == "equal":
                out.append(e(t))
            elif op == keep:
                out.append(f"<{'ins' if op == 'insert' else 'del'}>{e(t)}</{'ins' if op == 'insert' else 'del'}>")
        return "".join(out)

    rows = []
    for p in d.pairs:
        if p.old and p.new and p.similarity >= REWRITTEN:
            left, right = marked(p.ops, "delete"), marked(p.ops, "insert")
        else:
            left = e(p.old.text) if p.old else '<span class="src-empty">无对应条文</span>'
            right = e(p.new.text) if p.new else '<span class="src-empty">已删去</span>'
        lab_l = e(p.old.label) if p.old else "—"
        lab_r = e(p.new.label) if p.new else "—"
        rows.append(f'<tr><td><b>{lab_l}</b><br>{left}</td><td><b>{lab_r}</b><br>{right}</td></tr>')
    return (f'<div class="diff-head">《{e(d.name)}》{e(version_name(d.old))} → {e(version_name(d.new))}：'
            f'关于“{e(d.topic)}”</div><table class="law-diff"><thead><tr><th>{e(version_name(d.old))}</th>'
            f'<th>{e(version_name(d.new))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def export_docx(answers: list[Answer], path, title: str = "职教知识助手 问答记录"):
    """A Word file of one answer or a whole conversation: each question, its answer with [n], numbered sources."""
    from docx import Document as Docx
    from docx.shared import Pt

    d = Docx()
    d.add_heading(title, level=1)
    for ans in answers:
        d.add_heading(f"问：{ans.question}", level=2)
        for line in (ans.answer or "").split("\n"):
            d.add_paragraph(line)
        if ans.citations:
            p = d.add_paragraph()
            p.add_run("出处").bold = True
            for c in ans.citations:
                head = "，".join(x for x in (c.date, c.source) if x)
                item = d.add_paragraph(style="List Number")
                item.add_run(f"[{c.n}] 《{c.title}》{('（' + head + '）') if head else ''}")
                if c.url:
                    item.add_run(f" {c.url}")
                if c.quote:
                    q = d.add_paragraph(f"“{c.quote}”")
                    q.paragraph_format.left_indent = Pt(18)
    d.save(str(path))
    return path


# ---- what the web app needs besides the service (so that it imports only the service, this and the errors) -----

def type_choices() -> list[tuple[str, str]]:
    """(label, key) of every document type, for filters and uploads."""
    return [(label, key) for key, label in DOC_TYPE_LABELS.items()]


def region_choices() -> list[str]:
    from rag.places import provinces

    return ["全国", *provinces()]


def case_files(cases, folder) -> tuple[str, str | None]:
    """The cases as a CSV (with a BOM, for Excel) and a timeline picture in `folder`: (csv path, png path or None)."""
    from pathlib import Path

    from rag.facts import cases_csv
    from rag.plots import cases_timeline

    folder = Path(folder)
    csv_path = folder / "cases.csv"
    csv_path.write_text(cases_csv(cases), encoding="utf-8-sig")
    png = cases_timeline(cases, folder / "timeline.png")
    return str(csv_path), (str(png) if png else None)


def gaps_file(gaps, path) -> str:
    from rag.history import gaps_csv

    from pathlib import Path

    Path(path).write_text(gaps_csv(gaps), encoding="utf-8-sig")
    return str(path)


def build_banner(dense: tuple[int, int], sentences: tuple[int, int], building: bool) -> str:
    """The notice above the chat while the background build runs: chunk vectors first (answers come from keyword
    search meanwhile), then sentence vectors (semantic search already answers; each sentence is compared once they
    are in). "" when nothing is being built."""
    done, total = dense
    if total and done < total:
        return (f'<div class="dense-building">向量索引建立中（{100 * done // total}%）：现在用关键词检索回答，'
                f'完成后自动加入语义检索。</div>')
    done, total = sentences
    if building and total and done < total:
        return (f'<div class="dense-building">句子向量建立中（{100 * done // total}%）：已在用语义检索回答，'
                f'完成后逐句比对，引用的句子更准。</div>')
    return ""
