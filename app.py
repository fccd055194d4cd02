"""职教知识助手 web app: builds the Gradio UI on top of rag.service.Assistant and launches it."""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

import gradio as gr

from rag.errors import RagError
from rag.facts import cases_csv
from rag.plots import cases_timeline
from rag.present import (CASE_COLUMNS, CSS, FACT_COLUMNS, HEAD, LIBRARY_COLUMNS, answer_markdown, case_rows, claim_html,
                         diff_html, export_markdown, fact_rows, library_rows, sources_html)
from rag.records import DOC_TYPE_LABELS
from rag.places import provinces
from rag.records import Filters
from rag.service import Assistant, Turn
from rag.settings import Settings

log = logging.getLogger("zhijiao.app")

EXAMPLES = {
    "教师": ["职业学校学生的岗位实习时间一般为多长？", "职业教育法所称的职业教育包括哪两部分？"],
    "管理者": ["哪些地方在探索“厂中校”“校中厂”模式？", "大连金普新区市域产教联合体由哪几家单位共同牵头？"],
    "记者": ["辽宁全省职业教育一年来培养了多少高素质技术技能人才？", "青海有几所学校入选国家级现代学徒制试点单位？"],
}
TYPE_CHOICES = [(label, key) for key, label in DOC_TYPE_LABELS.items()]


def friendly(exc: Exception) -> str:
    """Errors reach the user as one short Chinese sentence; the details go to the log."""
    if isinstance(exc, RagError):
        return exc.user_message
    if isinstance(exc, ValueError):
        return str(exc)
    log.exception("unexpected error")
    return "出错了，请稍后再试。"


def build(assistant: Assistant) -> gr.Blocks:
    s = assistant.settings

    def make_filters(types, regions, date_from, date_to, source) -> Filters:
        return Filters(
            doc_types=tuple(types or ()), regions=tuple(regions or ()),
            sources=tuple(x.strip() for x in (source or "").replace("，", ",").split(",") if x.strip()),
            date_from=(date_from or "").strip(), date_to=(date_to or "").strip(),
        )

    def finished(chat, turns, ans):
        """The checked answer in the chat, the conversation state, its sources and its export."""
        chat[-1] = {"role": "assistant", "content": answer_markdown(ans)}
        turns = list(turns) + [Turn(ans.question, ans.standalone_question)]
        md = export_markdown(ans)
        path = Path(tempfile.mkdtemp(prefix="zhijiao-")) / "answer.md"
        path.write_text(md, encoding="utf-8")
        return chat, turns, sources_html(ans), gr.update(value=md), str(path)

    def respond(message, chat, turns, types, regions, date_from, date_to, source):
        message = (message or "").strip()
        chat = list(chat or [])
        if not message:
            yield chat, turns, gr.update(), gr.update(), gr.update()
            return
        chat.append({"role": "user", "content": message})
        chat.append({"role": "assistant", "content": "检索中……"})
        filters = make_filters(types, regions, date_from, date_to, source)
        if assistant.backend is None:
            # the extractive answer takes tens of milliseconds: one update, no placeholder, no polling thread
            try:
                ans = assistant.ask(message, history=turns, filters=filters)
            except Exception as exc:  # noqa: BLE001 - the edge: translate, never show a trace
                chat[-1] = {"role": "assistant", "content": f"⚠️ {friendly(exc)}"}
                yield chat, turns, gr.update(), gr.update(), gr.update()
                return
            yield finished(chat, turns, ans)
            return
        yield chat, turns, gr.update(), gr.update(), gr.update()
        result: dict = {"partial": "", "answer": None, "error": None}

        def work():
            try:
                result["answer"] = assistant.ask(message, history=turns, filters=filters,
                                              on_token=lambda text: result.__setitem__("partial", text))
            except Exception as exc:  # noqa: BLE001 - the edge: translate, never show a trace
                result["error"] = exc

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        shown_partial = ""
        while worker.is_alive():  # an LLM's tokens stream in as they come; the checked answer replaces them
            worker.join(0.1)
            if result["partial"] and result["partial"] != shown_partial:
                shown_partial = result["partial"]
                chat[-1] = {"role": "assistant", "content": shown_partial + " ▌"}
                yield chat, turns, gr.update(), gr.update(), gr.update()
        if result["error"] is not None:
            chat[-1] = {"role": "assistant", "content": f"⚠️ {friendly(result['error'])}"}
            yield chat, turns, gr.update(), gr.update(), gr.update()
            return
        yield finished(chat, turns, result["answer"])

    def new_chat():
        return [], [], sources_html(None), "", None

    def refresh_library():
        return library_rows(assistant.documents()), gr.update(choices=_doc_choices())

    def _doc_choices():
        return [(f"{e.meta.title[:40]}（{e.path}）", e.doc_id) for e in assistant.documents()]

    def upload(files, progress=gr.Progress()):
        if not files:
            return "请先选择文件。", *refresh_library()
        msgs = []
        for i, f in enumerate(files):
            path = Path(getattr(f, "name", f))
            original = Path(getattr(f, "orig_name", None) or path.name).name
            progress((i, len(files)), desc=f"正在索引 {original}")
            try:
                report = assistant.add_file(path, original)
                if report.skipped:
                    msgs.append(f"❌ {original}：{report.skipped[0][1]}")
                else:
                    msgs.append(f"✅ {original}：已加入（{report.chunks} 个片段在库）")
            except Exception as exc:  # noqa: BLE001
                msgs.append(f"❌ {original}：{friendly(exc)}")
        return "\n\n".join(msgs), *refresh_library()

    def delete(doc_id):
        if not doc_id:
            return "请选择要删除的文档。", *refresh_library()
        try:
            entry = assistant.delete_document(doc_id)
            msg = f"已删除：{entry.meta.title}" if entry else "文档不存在。"
        except Exception as exc:  # noqa: BLE001
            msg = friendly(exc)
        return msg, *refresh_library()

    def reindex(progress=gr.Progress()):
        try:
            report = assistant.ingest(progress=lambda i, n, name: progress((i, max(n, 1)), desc=name or "完成"))
            msg = report.summary().replace("\n", "\n\n")
        except Exception as exc:  # noqa: BLE001
            msg = friendly(exc)
        return msg, *refresh_library()

    def law_choices() -> list[str]:
        """Laws the collection holds in more than one version."""
        names: dict[str, int] = {}
        for r in assistant.retriever.laws.records.values():
            names[r.name] = names.get(r.name, 0) + 1
        return sorted(n for n, k in names.items() if k >= 2)

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
        csv_path = out / "cases.csv"
        csv_path.write_text(cases_csv(cases), encoding="utf-8-sig")
        png = cases_timeline(cases, out / "timeline.png")
        return case_rows(cases), str(png) if png else None, str(csv_path)

    def dense_banner() -> str:
        done, total = assistant.dense_status()
        if total and done < total:
            return (f'<div class="dense-building">向量索引建立中（{100 * done // total}%）：现在用关键词检索回答，'
                    f'完成后自动加入语义检索。</div>')
        return ""

    with gr.Blocks(title="职教知识助手", fill_height=False) as demo:
        gr.Markdown("# 职教知识助手\n关于职业教育、产教融合、校企合作的问答。每个回答都标注出处，点击 [n] 查看原文。")
        banner = gr.HTML(dense_banner(), elem_id="dense-status")
        gr.Timer(3.0).tick(dense_banner, None, [banner], queue=False)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                turns = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(label="对话", height=460, elem_id="chat")
                        with gr.Row():
                            box = gr.Textbox(placeholder="输入问题，例如：岗位实习一般多长时间？", show_label=False, scale=5,
                                             elem_id="question", submit_btn=False)
                            send = gr.Button("发送", variant="primary", scale=1, elem_id="send")
                        clear = gr.Button("新对话", elem_id="new-chat")
                        for who, qs in EXAMPLES.items():
                            gr.Examples(examples=[[q] for q in qs], inputs=[box], label=f"{who}常问")
                        with gr.Accordion("筛选", open=False, elem_id="filters"):
                            f_types = gr.CheckboxGroup(TYPE_CHOICES, label="文档类型", value=list(s.ui_default_types),
                                                       elem_id="f-types")
                            f_regions = gr.Dropdown(["全国", *provinces()], multiselect=True, label="地区", elem_id="f-regions")
                            with gr.Row():
                                f_from = gr.Textbox(label="起始日期", placeholder="2020 或 2020-01-01", elem_id="f-from")
                                f_to = gr.Textbox(label="截止日期", placeholder="2024-12-31", elem_id="f-to")
                            f_source = gr.Textbox(label="来源/发布单位（逗号分隔）", elem_id="f-source")
                    with gr.Column(scale=2):
                        gr.Markdown("### 出处")
                        sources = gr.HTML(sources_html(None), elem_id="sources")
                        with gr.Accordion("导出本次回答（Markdown）", open=False):
                            export_box = gr.Textbox(label="可复制", lines=6, buttons=["copy"], elem_id="export")
                            export_file = gr.File(label="下载", elem_id="export-file")
                pending = gr.State("")
                inputs = [pending, chat, turns, f_types, f_regions, f_from, f_to, f_source]
                outputs = [chat, turns, sources, export_box, export_file]
                take = (lambda m: ("", m), [box], [box, pending])  # empty the box at once, answer from the state
                send.click(*take, queue=False).then(respond, inputs, outputs)
                box.submit(*take, queue=False).then(respond, inputs, outputs)
                clear.click(new_chat, None, [chat, turns, sources, export_box, export_file])
            with gr.Tab("数据核查", id="figures"):
                gr.Markdown("按主题（如“辽宁 技能人才 培养”）或数字（如“9.2万”“92000”）查找资料中的数字；"
                            "或粘贴一句话，逐个核对其中的数字。")
                with gr.Row():
                    fig_q = gr.Textbox(label="主题或数字", scale=4, elem_id="fig-query")
                    fig_btn = gr.Button("查找", variant="primary", scale=1, elem_id="fig-search")
                fig_table = gr.Dataframe(headers=FACT_COLUMNS, interactive=False, wrap=True, elem_id="fig-table")
                with gr.Row():
                    claim = gr.Textbox(label="粘贴要核查的句子", scale=4, elem_id="claim")
                    claim_btn = gr.Button("核查", variant="primary", scale=1, elem_id="claim-btn")
                claim_out = gr.HTML(elem_id="claim-result")
                conflict_btn = gr.Button("列出资料中相互矛盾的数字", elem_id="conflicts-btn")
                conflict_out = gr.Markdown(elem_id="conflicts")
                fig_btn.click(lambda q: guarded(lambda: fact_rows(assistant.facts.search(q)), []), [fig_q], [fig_table])
                fig_q.submit(lambda q: guarded(lambda: fact_rows(assistant.facts.search(q)), []), [fig_q], [fig_table])
                claim_btn.click(lambda t: guarded(lambda: claim_html(assistant.facts.check_claim(t)), ""), [claim], [claim_out])
                conflict_btn.click(lambda: guarded(list_conflicts, ""), None, [conflict_out])
            with gr.Tab("案例检索", id="cases"):
                gr.Markdown("输入一种做法（如“厂中校”“产业学院”“市域产教联合体”“现代学徒制”），按地区列出案例。")
                with gr.Row():
                    case_q = gr.Textbox(label="做法", scale=4, elem_id="case-query")
                    case_btn = gr.Button("检索", variant="primary", scale=1, elem_id="case-search")
                case_table = gr.Dataframe(headers=CASE_COLUMNS, interactive=False, wrap=True, elem_id="case-table")
                with gr.Row():
                    case_plot = gr.Image(label="时间线", type="filepath", elem_id="case-timeline")
                    case_csv = gr.File(label="导出 CSV", elem_id="case-csv")
                case_btn.click(find_cases, [case_q], [case_table, case_plot, case_csv])
                case_q.submit(find_cases, [case_q], [case_table, case_plot, case_csv])
            with gr.Tab("法规对照", id="diff"):
                gr.Markdown("选一部有新旧版本的法规和一个主题（如“实习”“经费”“企业”），并排查看两个版本中的相关条文和改动。")
                with gr.Row():
                    law_pick = gr.Dropdown(choices=law_choices(), value=(law_choices() or [None])[0], label="法规",
                                           scale=2, elem_id="diff-law")
                    topic = gr.Textbox(label="主题", value="实习", scale=2, elem_id="diff-topic")
                    diff_btn = gr.Button("对照", variant="primary", scale=1, elem_id="diff-btn")
                diff_out = gr.HTML(elem_id="diff-result")
                diff_btn.click(lambda law, t: guarded(lambda: diff_html(assistant.diff(law or "", t or "")), ""),
                               [law_pick, topic], [diff_out])
                topic.submit(lambda law, t: guarded(lambda: diff_html(assistant.diff(law or "", t or "")), ""),
                             [law_pick, topic], [diff_out])
            with gr.Tab("文档库", id="library"):
                status = gr.Markdown(elem_id="lib-status")
                with gr.Row():
                    files = gr.File(label=f"上传文档（txt、md、html、pdf、docx；单个不超过 {s.upload_max_mb} MB）",
                                    file_count="multiple", elem_id="upload")
                    with gr.Column():
                        up_btn = gr.Button("上传并索引", variant="primary", elem_id="upload-btn")
                        reidx = gr.Button("重新索引语料库", elem_id="reindex")
                        del_pick = gr.Dropdown(label="删除文档", choices=[], elem_id="delete-pick")
                        del_btn = gr.Button("删除所选文档", variant="stop", elem_id="delete-btn")
                table = gr.Dataframe(headers=LIBRARY_COLUMNS, interactive=False, wrap=True, elem_id="library-table")
                up_btn.click(upload, [files], [status, table, del_pick])
                del_btn.click(delete, [del_pick], [status, table, del_pick])
                reidx.click(reindex, None, [status, table, del_pick])
                demo.load(refresh_library, None, [table, del_pick])
    return demo


def s_concurrency(settings: Settings) -> int:
    """Extractive answers are short CPU work: many at once; a remote LLM's answers wait on the network: fewer."""
    return 4 if (settings.llm_base_url or settings.llm_gguf_path) else 16


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    settings = Settings()
    assistant = Assistant(settings)
    # the page comes up as soon as the lexical index is built; vectors are embedded in the background
    report = assistant.ensure_index(progressive=True)
    if report is not None:
        print(report.summary(), file=sys.stderr)
    demo = build(assistant)
    demo.queue(default_concurrency_limit=s_concurrency(settings)).launch(
        server_name=settings.host, server_port=settings.port, css=CSS, head=HEAD,
        auth=settings.auth_pairs() or None, max_file_size=f"{settings.upload_max_mb}mb", footer_links=[],
    )


if __name__ == "__main__":
    main()
