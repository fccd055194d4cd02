"""Command line: `python -m rag ingest|stats|ask|search|batch` — the contract other tools rely on."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rag.errors import RagError
from rag.records import DOC_TYPE_LABELS
from rag.records import Filters
from rag.settings import Settings


def _filters(args) -> Filters:
    return Filters(
        doc_types=tuple(args.type or ()),
        regions=tuple(args.region or ()),
        sources=tuple(args.source or ()),
        date_from=args.date_from or "",
        date_to=args.date_to or "",
    )


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", action="append", choices=list(DOC_TYPE_LABELS), help="文档类型，可重复")
    p.add_argument("--region", action="append", help="地区（省级名称或城市，如 辽宁、大连），可重复")
    p.add_argument("--source", action="append", help="来源/发布单位（包含匹配），可重复")
    p.add_argument("--from", dest="date_from", help="起始日期 YYYY[-MM[-DD]]")
    p.add_argument("--to", dest="date_to", help="截止日期 YYYY[-MM[-DD]]")


def _progress_bar(desc: str):
    from tqdm import tqdm

    bar = {"b": None}

    def cb(i: int, n: int, name: str) -> None:
        if bar["b"] is None:
            bar["b"] = tqdm(total=n, desc=desc, unit="篇", file=sys.stderr, dynamic_ncols=True,
                            mininterval=0.5 if sys.stderr.isatty() else 5.0)
        b = bar["b"]
        b.set_postfix_str(name[-40:] if name else "", refresh=False)
        b.update(i - b.n)
        if i >= n:
            b.close()

    return cb


def _assistant(settings: Settings, *, build_if_missing: bool = True):
    from rag.service import Assistant

    a = Assistant(settings)
    if build_if_missing:
        report = a.ensure_index(progress=_progress_bar("首次建立索引"))
        if report is not None:
            print(report.summary(), file=sys.stderr)
    return a


def cmd_ingest(args, settings: Settings) -> int:
    from rag.index.build import Indexer

    paths = [Path(p) for p in args.paths] or None
    for p in paths or []:
        if not p.exists():
            raise RagError(f"{p}: no such file or folder", user_message=f"找不到文件或文件夹：{p}")
    rebuild = args.rebuild
    if args.auto_rebuild and not rebuild:
        from rag.index.store import Manifest

        m = Manifest.load(settings.index_dir)
        if m is not None and m.fingerprint != settings.build_fingerprint():
            print("索引与当前设置不一致，正在重建（未变的段落取自嵌入缓存）……", file=sys.stderr)
            rebuild = True
    report = Indexer(settings).ingest(paths, rebuild=rebuild, progress=_progress_bar("建立索引"))
    print(report.summary())
    return 0


def cmd_stats(args, settings: Settings) -> int:
    from rag.index.store import require_manifest

    m = require_manifest(settings)
    by_type: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for e in m.docs.values():
        by_type[e.meta.doc_type] = by_type.get(e.meta.doc_type, 0) + 1
        by_region[e.meta.region or "未知"] = by_region.get(e.meta.region or "未知", 0) + 1
    size = sum(f.stat().st_size for f in settings.index_dir.rglob("*") if f.is_file())
    info = {
        "documents": len(m.docs),
        "chunks": sum(len(e.chunk_ids) for e in m.docs.values()),
        "by_type": by_type,
        "by_region": dict(sorted(by_region.items(), key=lambda kv: -kv[1])),
        "index_dir": str(settings.index_dir),
        "index_bytes": size,
        "corpus_hash": m.corpus_hash,
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(m.built_at)),
        "fingerprint": m.fingerprint,
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
    else:
        print(f"文档 {info['documents']} 篇，片段 {info['chunks']} 个，索引 {size / 1048576:.1f} MB（{settings.index_dir}）")
        print("类型：" + "，".join(f"{DOC_TYPE_LABELS.get(k, k)} {v}" for k, v in by_type.items()))
        print("地区：" + "，".join(f"{k} {v}" for k, v in list(info["by_region"].items())[:12]))
        print(f"建于 {info['built_at']}；嵌入模型 {m.fingerprint.get('embedder')}；语料指纹 {m.corpus_hash}")
    return 0


def _citation_json(c) -> dict:
    return {"n": c.n, "doc_id": c.doc_id, "title": c.title, "date": c.date, "source": c.source, "url": c.url,
            "chunk_id": c.chunk_id, "text": c.text}


def answer_record(ans, latency_ms: float, qid=None) -> dict:
    rec = {"id": qid, "question": ans.question, "answer": ans.answer, "refused": ans.refused,
           "citations": [_citation_json(c) for c in ans.citations], "latency_ms": round(latency_ms, 1),
           "unsupported": list(ans.unsupported)}
    if qid is None:
        rec.pop("id")
    return rec


def cmd_ask(args, settings: Settings) -> int:
    a = _assistant(settings)
    t0 = time.perf_counter()
    ans = a.ask(args.question, filters=_filters(args))
    ms = (time.perf_counter() - t0) * 1000
    if args.json:
        rec = answer_record(ans, ms)
        rec["citations"] = [c.to_json() for c in ans.citations]
        rec["closest"] = [_hit_json(i, h) for i, h in enumerate(ans.closest, 1)]
        print(json.dumps(rec, ensure_ascii=False))
        return 0
    print(ans.answer)
    if ans.citations:
        print("\n来源：")
        for c in ans.citations:
            head = "，".join(x for x in (c.date, c.source) if x)
            print(f"[{c.n}] 《{c.title}》{('（' + head + '）') if head else ''}{(' ' + c.url) if c.url else ''}")
            print(f"    “{c.quote}”")
    elif ans.closest:
        print("\n最接近的段落（仅供参考）：")
        for h in ans.closest:
            print(f"- 《{h.meta.display_title}》{h.meta.date}：{h.chunk.text[:80]}…")
    return 0


def _hit_json(rank: int, h) -> dict:
    m = h.meta
    return {"rank": rank, "score": round(h.score, 6), "ranks": h.ranks, "chunk_id": h.chunk.chunk_id,
            "doc_id": h.chunk.doc_id, "title": m.title, "date": m.date, "source": m.source, "url": m.url,
            "doc_type": m.doc_type, "region": m.region, "city": m.city, "section": h.chunk.section,
            "article": h.chunk.article, "text": h.chunk.text}


def cmd_search(args, settings: Settings) -> int:
    a = _assistant(settings)
    hits = a.search(args.query, k=args.k, filters=_filters(args))
    if args.json:
        print(json.dumps([_hit_json(i, h) for i, h in enumerate(hits, 1)], ensure_ascii=False))
        return 0
    for i, h in enumerate(hits, 1):
        print(f"{i:2d}. {h.score:.4f} 《{h.meta.display_title}》{h.meta.date} {h.chunk.article}\n"
              f"    {h.chunk.text[:120]}")
    return 0


def cmd_batch(args, settings: Settings) -> int:
    a = _assistant(settings)
    src = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")
    out = sys.stdout
    with src:
        for lineno, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                qid, question = item["id"], item["question"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                print(f"第 {lineno} 行无效（需要 id 和 question）：{exc}", file=sys.stderr)
                continue
            t0 = time.perf_counter()
            try:
                ans = a.ask(str(question))
                rec = answer_record(ans, (time.perf_counter() - t0) * 1000, qid)
            except (RagError, ValueError) as exc:
                msg = exc.user_message if isinstance(exc, RagError) else str(exc)
                rec = {"id": qid, "question": question, "answer": msg, "refused": True, "citations": [],
                       "latency_ms": round((time.perf_counter() - t0) * 1000, 1), "unsupported": [], "error": msg}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()
    return 0


def cmd_figures(args, settings: Settings) -> int:
    from rag.facts import fact_json

    facts = _assistant(settings).facts.search(args.query)[: args.k]
    if args.json:
        print(json.dumps([fact_json(f) for f in facts], ensure_ascii=False))
        return 0
    for f in facts:
        print(f"{f.raw}\t{f.measure}\t《{f.title[:30]}》{f.date}\t{f.sentence[:80]}")
    if not facts:
        print("资料中没有找到相关数字。")
    return 0


def cmd_check(args, settings: Settings) -> int:
    from rag.facts import fact_json

    results = _assistant(settings).facts.check_claim(args.sentence)
    if args.json:
        print(json.dumps([{"figure": r.figure, "measure": r.measure, "status": r.status,
                           "matches": [fact_json(f) for f in r.matches],
                           "conflicts": [fact_json(f) for f in r.conflicts]} for r in results], ensure_ascii=False))
        return 0
    if not results:
        print("句子中没有可核查的数字。")
    for r in results:
        print(f"{r.figure}：{r.label}")
        for f in r.matches or r.conflicts:
            print(f"    {f.raw} —《{f.title[:30]}》{f.date}：{f.sentence[:80]}")
    return 0


def cmd_conflicts(args, settings: Settings) -> int:
    groups = _assistant(settings).facts.conflicts()
    for g in groups:
        print(" ≠ ".join(f"{f.raw}（《{f.title[:20]}》{f.date}）" for f in g), f"— {g[0].region} {g[0].measure}")
    if not groups:
        print("没有发现同一地区、同一年份、同一指标的不同数字。")
    return 0


def cmd_cases(args, settings: Settings) -> int:
    from dataclasses import asdict

    from rag.facts import cases_csv

    cases = _assistant(settings).facts.cases(args.practice)
    if args.csv:
        Path(args.csv).write_text(cases_csv(cases), encoding="utf-8-sig")
    if args.json:
        print(json.dumps([asdict(c) for c in cases], ensure_ascii=False))
        return 0
    for c in cases:
        print(f"{c.region}\t{c.institution or '-'}\t{c.date or '日期不详'}\t{c.what[:60]}\t《{c.title[:24]}》{c.source}")
    if not cases:
        print("资料中没有找到这一做法的案例。")
    return 0


def cmd_diff(args, settings: Settings) -> int:
    from rag.diff import diff_text

    d = _assistant(settings).diff(args.law, args.topic)
    if args.json:
        print(json.dumps({
            "law": d.name, "old": d.old.meta.title, "new": d.new.meta.title, "topic": d.topic,
            "pairs": [{"old": p.old.label if p.old else None, "new": p.new.label if p.new else None,
                       "old_text": p.old.text if p.old else "", "new_text": p.new.text if p.new else "",
                       "similarity": round(p.similarity, 3), "changed": p.changed,
                       "ops": [[op, t] for op, t in p.ops]} for p in d.pairs],
        }, ensure_ascii=False))
        return 0
    print(diff_text(d))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m rag", description="职教知识助手：带可核查引用的问答")
    sub = p.add_subparsers(dest="cmd", required=True)
    pi = sub.add_parser("ingest", help="把语料（或指定文件/文件夹）加入索引")
    pi.add_argument("paths", nargs="*", help="文件或文件夹；省略时为整个 corpus/")
    pi.add_argument("--rebuild", action="store_true", help="丢弃现有索引，从头重建")
    pi.add_argument("--auto-rebuild", action="store_true", help="索引与当前设置不一致时自动重建（make index 使用）")
    ps = sub.add_parser("stats", help="索引概况")
    ps.add_argument("--json", action="store_true")
    pa = sub.add_parser("ask", help="提问")
    pa.add_argument("question")
    pa.add_argument("--json", action="store_true")
    _add_filter_args(pa)
    pq = sub.add_parser("search", help="检索片段")
    pq.add_argument("query")
    pq.add_argument("-k", type=int, default=10)
    pq.add_argument("--json", action="store_true")
    _add_filter_args(pq)
    pb = sub.add_parser("batch", help="批量回答 JSONL 中的问题（id, question），每行输出一个 JSON")
    pb.add_argument("file", help="JSONL 文件，- 表示标准输入")
    pf = sub.add_parser("figures", help="数据核查：按主题或数字（9.2万、92000）查找资料中的数字")
    pf.add_argument("query")
    pf.add_argument("-k", type=int, default=30)
    pf.add_argument("--json", action="store_true")
    pc = sub.add_parser("check", help="数据核查：逐个核对一句话中的数字")
    pc.add_argument("sentence")
    pc.add_argument("--json", action="store_true")
    sub.add_parser("conflicts", help="列出同一指标在资料中的不同数字")
    pk = sub.add_parser("cases", help="案例检索：某种做法（厂中校、产业学院……）的案例")
    pk.add_argument("practice")
    pk.add_argument("--csv", help="同时导出为 CSV 文件")
    pk.add_argument("--json", action="store_true")
    pd = sub.add_parser("diff", help="法规对照：两个版本中关于某一主题的条文及其改动")
    pd.add_argument("law", help="法规名称，如 职业教育法、职教法")
    pd.add_argument("--topic", required=True, help="主题，如 实习、经费、企业")
    pd.add_argument("--json", action="store_true")
    return p


COMMANDS = {"ingest": cmd_ingest, "stats": cmd_stats, "ask": cmd_ask, "search": cmd_search, "batch": cmd_batch,
            "figures": cmd_figures, "check": cmd_check, "conflicts": cmd_conflicts, "cases": cmd_cases,
            "diff": cmd_diff}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
        return COMMANDS[args.cmd](args, settings)
    except RagError as exc:
        print(f"错误：{exc.user_message}\n（{exc}）", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。已完成的部分保留在索引中，再次运行即可继续。", file=sys.stderr)
        return 130
