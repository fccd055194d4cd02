"""职教知识助手 web app: builds the Gradio UI on top of rag.service.Assistant and launches it."""

from __future__ import annotations

import html
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path

import gradio as gr

from rag.api import mount_api
from rag.errors import RagError
from rag.files import mount_files
from rag.present import (CASE_COLUMNS, CSS, FACT_COLUMNS, HEAD, LIBRARY_COLUMNS, answer_markdown, build_banner,
                         case_files, case_rows, claim_html, diff_html, error_html, export_docx, export_markdown,
                         export_text, fact_rows, gaps_file, library_rows, region_choices, sources_html, type_choices)
from rag.service import Assistant, Filters, Turn
from rag.settings import Settings
from rag.warm import warm_page

log = logging.getLogger("zhijiao.app")

# example questions for each role: not from any evaluation set; each sends at once
EXAMPLES = {
    "教师": ["实习学生每天最多能工作几个小时？", "职业教育法对实习学生的报酬有什么规定？"],
    "管理者": ["哪些地方在建设市域产教联合体？", "职教20条里关于1+X证书的规定是什么？"],
    "记者": ["2019年政府工作报告提出高职扩招多少人？", "2022年修订后职业教育法关于实习有什么变化？"],
}
TYPE_CHOICES = type_choices()


def friendly(exc: Exception) -> str:
    """Errors reach the user as one short Chinese sentence; the details go to the log."""
    if isinstance(exc, RagError):
        return exc.user_message
    log.exception("unexpected error")
    return "出错了，请稍后再试。"


def is_admin(assistant: Assistant, request: gr.Request | None) -> bool:
    """Without a login everyone is (the app is on loopback); with one, the users in RAG_ADMIN_USERS, or all when unset."""
    s = assistant.settings
    if not s.auth_pairs():
        return True
    admins = s.admins()
    user = getattr(request, "username", None) if request is not None else None
    return bool(user) and (not admins or user in admins)


def make_filters(types, regions, date_from, date_to, source) -> Filters:
    return Filters(
        doc_types=tuple(types or ()), regions=tuple(regions or ()),
        sources=tuple(x.strip() for x in (source or "").replace("，", ",").split(",") if x.strip()),
        date_from=(date_from or "").strip(), date_to=(date_to or "").strip(),
    )


def filter_summary(types, regions, date_from, date_to, source) -> str:
    """What the active filters are, shown above the chat so that a narrowed search is never a surprise."""
    labels = dict((k, v) for v, k in TYPE_CHOICES)
    parts = []
    if types:
        parts.append("类型：" + "、".join(labels.get(t, t) for t in types))
    if regions:
        parts.append("地区：" + "、".join(regions))
    if (date_from or "").strip() or (date_to or "").strip():
        parts.append(f"日期：{(date_from or '').strip() or '…'} 至 {(date_to or '').strip() or '…'}")
    if (source or "").strip():
        parts.append("来源：" + source.strip())
    if not parts:
        return ""
    return '<div class="filter-on"><span class="badge place">筛选中</span> ' + html.escape("；".join(parts)) + "</div>"


# a browser without a login keeps its conversations by a cookie it is given on its first visit
UID_JS = """() => {
  const m = document.cookie.match(/(?:^|; )zhijiao_uid=([0-9a-f]{16,32})/);
  let id = m ? m[1] : null;
  if (!id) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(12)), b => b.toString(16).padStart(2, '0')).join('');
    document.cookie = 'zhijiao_uid=' + id + '; max-age=31536000; path=/; SameSite=Lax';
  }
  return id;
}"""
FEEDBACK_OPTIONS = ["Like", "Dislike", "数字有误", "出处不对", "没有回答问题", "答非所问"]


def owner_of(uid: str, request: gr.Request | None) -> str:
    """Whose conversations these are: the login name, else the browser's cookie."""
    user = getattr(request, "username", None) if request is not None else None
    return f"user:{user}" if user else f"anon:{(uid or 'unknown')[:32]}"


def chat_tab(assistant: Assistant) -> None:
    s = assistant.settings
    history = assistant.history

    def finished(chat, turns, sess, owner, ans):
        """The checked answer in the chat, stored in the user's conversation, with its sources and exports."""
        chat[-1] = {"role": "assistant", "content": answer_markdown(ans)}
        turns = list(turns) + [Turn(ans.question, ans.standalone_question)]
        sess = dict(sess or {"conv": "", "seqs": [], "answers": []})
        try:
            if not sess.get("conv"):
                sess["conv"] = history.create(owner, ans.question)
            seq = history.add_turn(owner, sess["conv"], ans)
        except Exception:  # noqa: BLE001 - an answer is never lost to a failing store; it just is not kept
            log.exception("could not store the conversation")
            seq = -1
        sess["seqs"] = list(sess.get("seqs", [])) + [seq]
        # the download files are made when asked for (a Word file costs more than the answer itself)
        return chat, turns, sess, sources_html(ans), gr.update(value=export_text(ans)), None

    def failed(chat, turns, sess, exc):
        chat[-1] = {"role": "assistant", "content": error_html(friendly(exc))}
        sess = dict(sess or {"conv": "", "seqs": []})
        sess["seqs"] = list(sess.get("seqs", [])) + [-1]
        return chat, turns, sess, gr.update(), gr.update(), gr.update()

    def respond(message, chat, turns, sess, uid, types, regions, date_from, date_to, source,
                request: gr.Request = None):
        message = (message or "").strip()
        chat = list(chat or [])
        owner = owner_of(uid, request)
        if not message:
            yield chat, turns, sess, gr.update(), gr.update(), gr.update()
            return
        chat.append({"role": "user", "content": message})
        chat.append({"role": "assistant", "content": "检索中……"})
        filters = make_filters(types, regions, date_from, date_to, source)
        if assistant.backend is None:
            # the extractive answer takes tens of milliseconds: one update, no placeholder, no polling thread
            try:
                ans = assistant.ask(message, history=turns, filters=filters)
            except Exception as exc:  # noqa: BLE001 - the edge: translate, never show a trace
                yield failed(chat, turns, sess, exc)
                return
            yield finished(chat, turns, sess, owner, ans)
            return
        yield chat, turns, sess, gr.update(), gr.update(), gr.update()
        result: dict = {"partial": "", "answer": None, "error": None}

        def work():
            try:
                result["answer"] = assistant.ask(message, history=turns, filters=filters,
                                              on_token=lambda text: result.__setitem__("partial", text))
            except Exception as exc:  # noqa: BLE001
                result["error"] = exc

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        shown_partial = ""
        while worker.is_alive():  # an LLM's tokens stream in as they come; the checked answer replaces them
            worker.join(0.1)
            if result["partial"] and result["partial"] != shown_partial:
                shown_partial = result["partial"]
                chat[-1] = {"role": "assistant", "content": shown_partial + " ▌"}
                yield chat, turns, sess, gr.update(), gr.update(), gr.update()
        if result["error"] is not None:
            yield failed(chat, turns, sess, result["error"])
            return
        yield finished(chat, turns, sess, owner, result["answer"])

    def on_feedback(sess, uid, data: gr.LikeData, request: gr.Request = None):
        """👍/👎 (or a reason from the menu) on one answer, stored with the question, answer and citations."""
        sess = sess or {}
        idx = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        k = idx // 2  # user, assistant, user, assistant …: the k-th answer
        seqs = sess.get("seqs", [])
        if not sess.get("conv") or k >= len(seqs) or seqs[k] < 0:
            return
        value = data.value if isinstance(data.value, str) else ("Like" if data.liked else "Dislike")
        rating = 1 if value == "Like" or (data.liked is True and value not in FEEDBACK_OPTIONS[2:]) else -1
        reason = "" if value in ("Like", "Dislike") else value
        history.rate(owner_of(uid, request), sess["conv"], seqs[k], rating, reason)
        gr.Info("已记录您的反馈，谢谢。")

    def conv_choices(uid, current=None, request: gr.Request = None):
        """This user's conversations, newest first; the one picked stays picked while it exists."""
        convs = history.conversations(owner_of(uid, request))
        keep = current if any(c.id == current for c in convs) else None
        return gr.update(choices=[(f"{c.title}（{time.strftime('%m-%d %H:%M', time.localtime(c.updated))}）", c.id)
                                  for c in convs], value=keep)

    def open_conv(cid, uid, request: gr.Request = None):
        owner = owner_of(uid, request)
        stored = history.turns(owner, cid) if cid else []
        if not stored:
            return gr.update(), gr.update(), gr.update(), gr.update()
        answers = [t.to_answer() for t in stored]
        chat = [m for a in answers for m in ({"role": "user", "content": a.question},
                                            {"role": "assistant", "content": answer_markdown(a)})]
        turns = [Turn(t.question, t.standalone) for t in stored]
        sess = {"conv": cid, "seqs": [t.seq for t in stored]}
        return chat, turns, sess, sources_html(answers[-1])

    def rename_conv(cid, title, uid, request: gr.Request = None):
        if cid and history.rename(owner_of(uid, request), cid, title):
            gr.Info("已重命名。")
        return conv_choices(uid, cid, request)

    def delete_conv(cid, uid, request: gr.Request = None):
        if cid and history.delete(owner_of(uid, request), cid):
            gr.Info("已删除这段对话。")
        return conv_choices(uid, None, request)

    def export_answer(sess, uid, request: gr.Request = None):
        """The latest answer as Markdown and Word files."""
        cid = (sess or {}).get("conv")
        seqs = [q for q in (sess or {}).get("seqs", []) if q >= 0]
        stored = [t for t in history.turns(owner_of(uid, request), cid) if seqs and t.seq == seqs[-1]] if cid else []
        if not stored:
            gr.Warning("还没有可下载的回答。")
            return None
        ans = stored[-1].to_answer()
        out = Path(tempfile.mkdtemp(prefix="zhijiao-"))
        (out / "answer.md").write_text(export_markdown(ans), encoding="utf-8")
        return [str(out / "answer.md"), str(export_docx([ans], out / "回答.docx", title=ans.question[:40]))]

    def export_conv(sess, uid, request: gr.Request = None):
        cid = (sess or {}).get("conv")
        stored = history.turns(owner_of(uid, request), cid) if cid else []
        if not stored:
            gr.Warning("当前对话还没有可导出的回答。")
            return None
        out = Path(tempfile.mkdtemp(prefix="zhijiao-conv-")) / "对话.docx"
        return str(export_docx([t.to_answer() for t in stored], out, title=stored[0].question[:40]))

    turns = gr.State([])
    pending = gr.State("")
    sess = gr.State({"conv": "", "seqs": []})
    uid = gr.Textbox(visible=False, elem_id="uid")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            with gr.Accordion("筛选（文档类型、地区、日期、来源）", open=False, elem_id="filters"):
                f_types = gr.CheckboxGroup(TYPE_CHOICES, label="文档类型", value=list(s.ui_default_types), elem_id="f-types")
                f_regions = gr.Dropdown(region_choices(), multiselect=True, label="地区", elem_id="f-regions")
                with gr.Row():
                    f_from = gr.Textbox(label="起始日期", placeholder="2020 或 2020-01-01", elem_id="f-from")
                    f_to = gr.Textbox(label="截止日期", placeholder="2024-12-31", elem_id="f-to")
                f_source = gr.Textbox(label="来源/发布单位（逗号分隔）", elem_id="f-source")
            filter_state = gr.HTML(filter_summary(list(s.ui_default_types), [], "", "", ""), elem_id="filter-status")
            chat = gr.Chatbot(label="对话", height=460, elem_id="chat", buttons=[], feedback_options=FEEDBACK_OPTIONS)
            with gr.Row():
                box = gr.Textbox(placeholder="输入问题，例如：岗位实习一般多长时间？", show_label=False, scale=5,
                                 elem_id="question", submit_btn=False, max_length=s.max_question_chars)
                send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="send")
            clear = gr.Button("新对话", elem_id="new-chat")
            example_buttons = []
            for who, qs in EXAMPLES.items():
                with gr.Row(elem_classes=["examples"]):
                    gr.Markdown(f"**{who}常问**", elem_classes=["ex-label"])
                    for q in qs:
                        example_buttons.append((gr.Button(q, size="sm", elem_classes=["ex-btn"]), q))
            with gr.Accordion("历史对话", open=False, elem_id="history") as history_box:
                conv_pick = gr.Dropdown(label="我的对话（刷新或重启后仍在）", choices=[], elem_id="conv-pick")
                with gr.Row():
                    conv_open = gr.Button("打开", size="sm", elem_id="conv-open")
                    conv_title = gr.Textbox(placeholder="新标题", show_label=False, scale=2, elem_id="conv-title")
                    conv_rename = gr.Button("重命名", size="sm", elem_id="conv-rename")
                    conv_delete = gr.Button("删除", size="sm", variant="stop", elem_id="conv-delete")
                conv_export = gr.Button("把当前对话导出为 Word", size="sm", elem_id="conv-export")
                conv_file = gr.File(label="对话 Word 文件", elem_id="conv-file")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### 出处")
            sources = gr.HTML(sources_html(None), elem_id="sources")
            with gr.Accordion("复制或下载本次回答", open=False):
                export_box = gr.Textbox(label="纯文本（含编号出处）", lines=6, buttons=["copy"], elem_id="export")
                export_btn = gr.Button("生成下载文件（Markdown、Word）", size="sm", elem_id="export-btn")
                export_file = gr.File(label="下载", file_count="multiple", elem_id="export-file")
    filters = [f_types, f_regions, f_from, f_to, f_source]
    inputs = [pending, chat, turns, sess, uid, *filters]
    outputs = [chat, turns, sess, sources, export_box, export_file]
    take = (lambda m: ("", m), [box], [box, pending])  # empty the box at once, answer from the state
    send.click(*take, queue=False).then(respond, inputs, outputs)
    box.submit(*take, queue=False).then(respond, inputs, outputs)
    for btn, q in example_buttons:  # an example is asked, not just typed
        btn.click(lambda q=q: ("", q), None, [box, pending], queue=False).then(respond, inputs, outputs)
    for f in filters:
        f.change(filter_summary, filters, [filter_state], queue=False)
    chat.like(on_feedback, [sess, uid], None)
    defaults = (list(s.ui_default_types), [], "", "", "")

    def new_chat():
        return ([], [], {"conv": "", "seqs": []}, sources_html(None), "", None, *defaults, filter_summary(*defaults))

    clear.click(new_chat, None, [chat, turns, sess, sources, export_box, export_file, *filters, filter_state],
                queue=False).then(conv_choices, [uid], [conv_pick])
    conv_open.click(open_conv, [conv_pick, uid], [chat, turns, sess, sources])
    conv_rename.click(rename_conv, [conv_pick, conv_title, uid], [conv_pick])
    conv_delete.click(delete_conv, [conv_pick, uid], [conv_pick])
    conv_export.click(export_conv, [sess, uid], [conv_file])
    export_btn.click(export_answer, [sess, uid], [export_file])
    history_box.expand(conv_choices, [uid, conv_pick], [conv_pick], queue=False)  # fresh when it is looked at
    uid.change(conv_choices, [uid], [conv_pick], queue=False)  # the page's first load: this browser's conversations
    return uid


def gaps_tab(assistant: Assistant) -> None:
    """What users asked that the collection could not answer well (declined, or thumbs down), for its owner."""
    def show(request: gr.Request = None):
        if not is_admin(assistant, request):
            return [], None, "只有管理员可以查看。"
        gaps = assistant.history.gaps()
        out = Path(tempfile.mkdtemp(prefix="zhijiao-gaps-")) / "未回答的问题.csv"
        gaps_file(gaps, out)
        rows = [[g.question, g.count, g.declined, g.disliked, "；".join(g.reasons), "；".join(g.examples[1:])]
                for g in gaps]
        note = f"共 {len(gaps)} 组问题。补充相关文档后，这些问题就能得到回答。" if gaps else "还没有未回答或差评的问题。"
        return rows, str(out), note

    gr.Markdown("用户问过、资料库没能回答好的问题（被拒答或被点了差评），按问法相近归组，次数多的在前。")
    refresh = gr.Button("刷新", elem_id="gaps-refresh")
    note = gr.Markdown(elem_id="gaps-note")
    table = gr.Dataframe(headers=["问题", "次数", "未回答", "差评", "差评原因", "其他问法"], interactive=False,
                         wrap=True, elem_id="gaps-table",
                         column_widths=["320px", "60px", "70px", "60px", "160px", "320px"], elem_classes=["wide-table"])
    csv_file = gr.File(label="导出 CSV", elem_id="gaps-csv")
    refresh.click(show, None, [table, csv_file, note])


def figures_tab(assistant: Assistant) -> None:
    def guarded(fn, empty):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            gr.Warning(friendly(exc))
            return empty

    def list_conflicts() -> str:
        groups = assistant.facts.conflicts()
        if not groups:
            return "没有发现同一地区、同一年份、同一指标的不同数字。"
        return "\n".join(
            "- " + " ≠ ".join(f"**{f.raw}**（《{f.title[:24]}》{f.date}）" for f in g) + f" — {g[0].region}：{g[0].measure}"
            for g in groups)

    gr.Markdown("按主题（如“辽宁 技能人才 培养”）或数字（如“9.2万”“92000”）查找资料中的数字；或粘贴一句话，逐个核对其中的数字。")
    with gr.Row():
        fig_q = gr.Textbox(label="主题或数字", scale=4, elem_id="fig-query")
        fig_btn = gr.Button("查找", variant="primary", scale=1, min_width=80, elem_id="fig-search")
    fig_table = gr.Dataframe(headers=FACT_COLUMNS, interactive=False, wrap=True, elem_id="fig-table",
                             column_widths=["90px", "150px", "360px", "200px", "100px", "70px", "120px"],
                             elem_classes=["wide-table"])
    with gr.Row():
        claim = gr.Textbox(label="粘贴要核查的句子", scale=4, elem_id="claim")
        claim_btn = gr.Button("核查", variant="primary", scale=1, min_width=80, elem_id="claim-btn")
    claim_out = gr.HTML(elem_id="claim-result")
    conflict_btn = gr.Button("列出资料中相互矛盾的数字", elem_id="conflicts-btn")
    conflict_out = gr.Markdown(elem_id="conflicts")
    find = lambda q: guarded(lambda: fact_rows(assistant.facts.search(q)), [])  # noqa: E731
    fig_btn.click(find, [fig_q], [fig_table])
    fig_q.submit(find, [fig_q], [fig_table])
    claim_btn.click(lambda t: guarded(lambda: claim_html(assistant.facts.check_claim(t)), ""), [claim], [claim_out])
    conflict_btn.click(lambda: guarded(list_conflicts, ""), None, [conflict_out])


def cases_tab(assistant: Assistant) -> None:
    def find_cases(practice):
        practice = (practice or "").strip()
        if not practice:
            return [], None, None
        try:
            cases = assistant.facts.cases(practice)
        except Exception as exc:  # noqa: BLE001
            gr.Warning(friendly(exc))
            return [], None, None
        if not cases:
            gr.Info("资料中没有找到这一做法的案例。")
            return [], None, None
        out = Path(tempfile.mkdtemp(prefix="zhijiao-cases-"))
        csv_path, png = case_files(cases, out)
        return case_rows(cases), png, csv_path

    gr.Markdown("输入一种做法（如“厂中校”“产业学院”“市域产教联合体”“现代学徒制”），按地区列出案例。")
    with gr.Row():
        case_q = gr.Textbox(label="做法", scale=4, elem_id="case-query")
        case_btn = gr.Button("检索", variant="primary", scale=1, min_width=80, elem_id="case-search")
    case_table = gr.Dataframe(headers=CASE_COLUMNS, interactive=False, wrap=True, elem_id="case-table",
                              column_widths=["100px", "170px", "100px", "380px", "110px", "220px", "130px"],
                              elem_classes=["wide-table"])
    with gr.Row():
        case_plot = gr.Image(label="时间线", type="filepath", elem_id="case-timeline")
        case_csv = gr.File(label="导出 CSV", elem_id="case-csv")
    case_btn.click(find_cases, [case_q], [case_table, case_plot, case_csv])
    case_q.submit(find_cases, [case_q], [case_table, case_plot, case_csv])


def diff_tab(assistant: Assistant) -> None:
    def law_choices() -> list[str]:
        """Laws the collection holds in more than one version."""
        names: dict[str, int] = {}
        for r in assistant.retriever.laws.records.values():
            names[r.name] = names.get(r.name, 0) + 1
        return sorted(n for n, k in names.items() if k >= 2)

    def compare(law, topic):
        try:
            return diff_html(assistant.diff(law or "", topic or ""))
        except Exception as exc:  # noqa: BLE001
            return error_html(friendly(exc))

    gr.Markdown("选一部有新旧版本的法规和一个主题（如“实习”“经费”“企业”），并排查看两个版本中的相关条文和改动。")
    choices = law_choices()
    with gr.Row():
        law_pick = gr.Dropdown(choices=choices, value=choices[0] if choices else None, label="法规", scale=2,
                               elem_id="diff-law")
        topic = gr.Textbox(label="主题", value="实习", scale=2, elem_id="diff-topic")
        diff_btn = gr.Button("对照", variant="primary", scale=1, min_width=80, elem_id="diff-btn")
    diff_out = gr.HTML(elem_id="diff-result")
    diff_btn.click(compare, [law_pick, topic], [diff_out])
    topic.submit(compare, [law_pick, topic], [diff_out])


def library_tab(assistant: Assistant, demo: gr.Blocks) -> None:
    s = assistant.settings

    def refresh():
        uploads = [(f"{e.meta.title[:40]}（{e.path}）", e.doc_id) for e in assistant.uploaded_documents()]
        return library_rows(assistant.documents()), gr.update(choices=uploads, value=None), False

    def upload(files, doc_type, region, date, request: gr.Request, progress=gr.Progress()):
        if not is_admin(assistant, request):
            return "只有管理员可以修改文档库。", gr.update(), *refresh()
        if not files:
            return "请先选择文件。", gr.update(), *refresh()
        msgs = []
        for i, f in enumerate(files):
            path = Path(getattr(f, "name", f))
            original = Path(getattr(f, "orig_name", None) or path.name).name
            progress((i, len(files)), desc=f"正在索引 {original}")
            try:
                report = assistant.add_file(path, original, doc_type=doc_type or "", region=region or "",
                                            date=(date or "").strip())
                renamed = f"（已改名为 {report.stored_as}）" if report.stored_as and report.stored_as != original else ""
                if report.skipped:
                    msgs.append(f"【未加入】{original}{renamed}：{report.skipped[0][1]}")
                else:
                    n = assistant.chunks_of(f"uploads/{report.stored_as}")
                    msgs.append(f"【已加入】{original}{renamed}：切分为 {n} 个片段，现在可以提问了。")
            except Exception as exc:  # noqa: BLE001
                msgs.append(f"【未加入】{original}：{friendly(exc)}")
        return "\n\n".join(msgs), None, *refresh()  # the file list is emptied: pressing again re-indexes nothing

    def delete(doc_id, confirmed, request: gr.Request):
        if not is_admin(assistant, request):
            return "只有管理员可以修改文档库。", *refresh()
        if not doc_id:
            return "请选择要删除的文档。", *refresh()
        if not confirmed:
            return "请先勾选“确认删除”。", gr.update(), gr.update(), gr.update()
        try:
            entry = assistant.delete_document(doc_id)
            msg = f"已删除：{entry.meta.title}" if entry else "文档不存在。"
        except Exception as exc:  # noqa: BLE001
            msg = friendly(exc)
        return msg, *refresh()

    def reindex(request: gr.Request, progress=gr.Progress()):
        if not is_admin(assistant, request):
            return "只有管理员可以修改文档库。", *refresh()
        try:
            report = assistant.ingest(progress=lambda i, n, name: progress((i, max(n, 1)), desc=name or "完成"))
            msg = report.summary().replace("\n", "\n\n")
        except Exception as exc:  # noqa: BLE001
            msg = friendly(exc)
        return msg, *refresh()

    status = gr.Markdown(elem_id="lib-status")
    with gr.Row():
        with gr.Column(scale=3, min_width=300):
            files = gr.File(label=f"上传文档（txt、md、html、pdf、docx、ofd、doc、wps；单个不超过 {s.upload_max_mb} MB）",
                            file_count="multiple", elem_id="upload")
            with gr.Row():
                up_type = gr.Dropdown([("（自动判断）", ""), *TYPE_CHOICES], value="", label="文档类型", elem_id="up-type")
                up_region = gr.Dropdown(["", *region_choices()], value="", label="地区", elem_id="up-region")
                up_date = gr.Textbox(label="日期", placeholder="2024-05-01", elem_id="up-date")
            up_btn = gr.Button("上传并索引", variant="primary", elem_id="upload-btn")
        with gr.Column(scale=2, min_width=260):
            del_pick = gr.Dropdown(label="删除上传的文档", choices=[], elem_id="delete-pick")
            del_ok = gr.Checkbox(label="确认删除（不可撤销）", value=False, elem_id="delete-confirm")
            del_btn = gr.Button("删除所选文档", variant="stop", elem_id="delete-btn")
            reidx = gr.Button("重新索引语料库", elem_id="reindex")
    table = gr.Dataframe(headers=LIBRARY_COLUMNS, interactive=False, wrap=True, elem_id="library-table",
                         column_widths=["260px", "80px", "100px", "160px", "80px", "60px", "220px", "140px"],
                         elem_classes=["wide-table"])
    lib_out = [table, del_pick, del_ok]
    up_btn.click(upload, [files, up_type, up_region, up_date], [status, files, *lib_out])
    del_btn.click(delete, [del_pick, del_ok], [status, *lib_out])
    reidx.click(reindex, None, [status, *lib_out])
    demo.load(refresh, None, lib_out)


def build(assistant: Assistant) -> gr.Blocks:
    def dense_banner() -> str:
        return build_banner(assistant.dense_status(), assistant.sentence_status(), assistant.building())

    with gr.Blocks(title="职教知识助手", fill_height=False) as demo:
        gr.Markdown("# 职教知识助手\n关于职业教育、产教融合、校企合作的问答。每个回答都标注出处，点击 [n] 查看原文。")
        banner = gr.HTML(dense_banner(), elem_id="dense-status")
        gr.Timer(3.0).tick(dense_banner, None, [banner], queue=False)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                uid = chat_tab(assistant)
            with gr.Tab("数据核查", id="figures"):
                figures_tab(assistant)
            with gr.Tab("案例检索", id="cases"):
                cases_tab(assistant)
            with gr.Tab("法规对照", id="diff"):
                diff_tab(assistant)
            with gr.Tab("文档库", id="library"):
                library_tab(assistant, demo)
            with gr.Tab("未回答的问题", id="gaps"):
                gaps_tab(assistant)
        demo.load(None, None, [uid], js=UID_JS)  # the browser's cookie id, for its conversations
    return demo


def s_concurrency(settings: Settings) -> int:
    """Extractive answers are short CPU work: many at once; a remote LLM's answers wait on the network: fewer."""
    return 4 if (settings.llm_base_url or settings.llm_gguf_path) else 16


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_exposure(settings: Settings) -> str:
    """'' when it is safe to serve; else why not: on a non-loopback address without a login anyone could change the
    library (upload, delete, re-index), so that needs RAG_AUTH_USERS, or RAG_ALLOW_OPEN=true said on purpose."""
    if settings.host in LOOPBACK or settings.auth_pairs() or settings.allow_open:
        return ""
    return (f"拒绝在 {settings.host} 上无登录地对外服务：任何人都能修改文档库。请设置 RAG_AUTH_USERS=用户:密码"
            f"（可用 RAG_ADMIN_USERS 指定管理员），或明确设置 RAG_ALLOW_OPEN=true。")


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    settings = Settings()
    refusal = check_exposure(settings)
    if refusal:
        print(refusal, file=sys.stderr)
        raise SystemExit(2)
    assistant = Assistant(settings)
    # the page comes up as soon as the lexical index is built; vectors are embedded in the background
    report = assistant.ensure_index(progressive=True)
    if report is not None:
        print(report.summary(), file=sys.stderr)
    assistant.warm_up()
    demo = build(assistant)
    demo.queue(default_concurrency_limit=s_concurrency(settings)).launch(
        server_name=settings.host, server_port=settings.port, css=CSS, head=HEAD,
        auth=settings.auth_pairs() or None, max_file_size=f"{settings.upload_max_mb}mb", footer_links=[],
        prevent_thread_lock=True,
    )
    mount_api(demo.app, assistant)  # launch() creates the FastAPI app; the OpenAI-compatible /v1 joins it there
    mount_files(demo.app, settings)  # the originals behind the source cards' 打开原文第N页 links
    if not settings.auth_pairs():
        warm_page(demo.local_url)  # the first users do not pay for Gradio's first-request set-up
    demo.block_thread()


if __name__ == "__main__":
    main()
