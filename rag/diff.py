"""What changed between two versions of a law on a topic: the matching articles of the old and the new text side by
side, aligned by content, with what was added and removed marked.

    python -m rag diff 职业教育法 --topic 实习
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import numpy as np

from rag.errors import UserInputError
from rag.laws import LawRecord
from rag.query import parse_query
from rag.records import ScoredChunk
from rag.text import bigram_tokens, jaccard, normalise, to_simplified

_CONTINUED = re.compile(r"^(第[一二三四五六七八九十百千零〇两\d]+条)（续）")
_ARTICLE_HEAD = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条\s*")


REWRITTEN = 0.5  # below this similarity an article was rewritten: shown whole, side by side, not as a character diff


@dataclass
class Provision:
    record: LawRecord
    number: int
    text: str  # simplified, whole article, without its 第X条 head
    hits: list[ScoredChunk]

    @property
    def label(self) -> str:
        return self.record.number_label(self.number)


@dataclass
class ArticlePair:
    old: Provision | None
    new: Provision | None
    similarity: float
    ops: list[tuple[str, str]] = field(default_factory=list)  # ("equal" | "delete" | "insert", text)

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _ in self.ops) or self.old is None or self.new is None


@dataclass
class LawDiff:
    name: str
    old: LawRecord
    new: LawRecord
    topic: str
    pairs: list[ArticlePair]


def _provision(retriever, rec: LawRecord, n: int) -> Provision:
    idx = rec.articles[n]
    hits = [ScoredChunk(retriever.chunks[i], retriever.metas[i], 1.0, {"article": 1}, {}, r) for r, i in enumerate(idx, 1)]
    text = "".join(_CONTINUED.sub("", to_simplified(retriever.chunks[i].text)).strip() for i in idx)
    return Provision(rec, n, _ARTICLE_HEAD.sub("", text.replace("\n", "")), hits)


def _on_topic(retriever, rec: LawRecord, topic: str, k: int) -> list[int]:
    """Article numbers of one version that speak of the topic, best first (BM25 over that version's articles)."""
    mask = np.zeros(len(retriever.chunks), dtype=bool)
    for idx in rec.articles.values():
        mask[idx] = True
    q = parse_query(topic)
    want = set(q.bigrams)
    hits = retriever.lexical("bigrams", q.bigrams, k * 3, only=mask)
    pos_to_article = {i: n for n, idx in rec.articles.items() for i in idx}
    out: list[int] = []
    for i, _ in hits:
        n = pos_to_article.get(i)
        if n is not None and n not in out and want & set(bigram_tokens(retriever.chunks[i].norm)):
            out.append(n)
    return out[:k]


def _ops(old: str, new: str) -> list[tuple[str, str]]:
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.append(("equal", new[j1:j2]))
        else:
            if i2 > i1:
                out.append(("delete", old[i1:i2]))
            if j2 > j1:
                out.append(("insert", new[j1:j2]))
    return out


def diff_versions(retriever, name: str, topic: str, k: int = 4) -> LawDiff:
    """The latest two versions of `name` on `topic`: each on-topic article of either version with its counterpart in
    the other (the article of most similar wording), or alone when it was added or dropped."""
    versions = retriever.laws.versions(name)
    if not versions:
        raise UserInputError(f"资料库中没有《{name}》。")
    if len(versions) < 2:
        raise UserInputError(f"资料库中《{versions[0].name}》只有一个版本（{versions[0].meta.version or versions[0].meta.date}），无法对照。")
    old, new = versions[-2], versions[-1]
    if not topic.strip():
        raise UserInputError("请给出要对照的主题，例如：实习、经费、企业。")
    old_all = {n: _provision(retriever, old, n) for n in old.articles}
    new_all = {n: _provision(retriever, new, n) for n in new.articles}
    sets_old = {n: set(bigram_tokens(normalise(p.text))) for n, p in old_all.items()}
    sets_new = {n: set(bigram_tokens(normalise(p.text))) for n, p in new_all.items()}

    def overlap(a: set[str], b: set[str]) -> float:
        """Shared character pairs over the shorter article's: a rewritten article keeps most of its words even when
        the new one is twice as long."""
        return len(a & b) / min(len(a), len(b)) if a and b else 0.0

    def best(target: set[str], pool: dict[int, set[str]]) -> tuple[int | None, float]:
        scored = max(((0.5 * overlap(target, s) + 0.5 * jaccard(target, s), n) for n, s in pool.items()),
                     default=(0.0, None))
        return (scored[1], scored[0]) if scored[0] >= 0.3 else (None, scored[0])

    pairs: list[ArticlePair] = []
    used_old: set[int] = set()
    for n in _on_topic(retriever, new, topic, k):
        m, sim = best(sets_new[n], sets_old)
        o = old_all[m] if m is not None else None
        if m is not None:
            used_old.add(m)
        pairs.append(ArticlePair(o, new_all[n], sim, _ops(o.text if o else "", new_all[n].text)))
    for m in _on_topic(retriever, old, topic, k):
        if m in used_old:
            continue
        n, sim = best(sets_old[m], sets_new)
        if n is not None and any(p.new and p.new.number == n for p in pairs):
            continue
        pairs.append(ArticlePair(old_all[m], new_all[n] if n is not None else None, sim,
                                 _ops(old_all[m].text, new_all[n].text if n is not None else "")))
    return LawDiff(new.name, old, new, topic, pairs)


def version_name(rec: LawRecord) -> str:
    return rec.meta.version or (rec.meta.date[:4] + "年版")


def diff_text(d: LawDiff) -> str:
    """Plain text for the CLI: [-删去的-] {+新增的+}."""
    lines = [f"《{d.name}》{version_name(d.old)} → {version_name(d.new)}：关于“{d.topic}”的条文对照", ""]
    for p in d.pairs:
        left = f"{version_name(d.old)} {p.old.label}" if p.old else f"{version_name(d.old)} 无对应条文"
        right = f"{version_name(d.new)} {p.new.label}" if p.new else f"{version_name(d.new)} 已删去"
        lines.append(f"■ {left} → {right}（用词相似度 {p.similarity:.2f}）")
        if not p.changed:
            lines.append("  未修改：" + (p.new.text if p.new else ""))
        elif p.old and p.new and p.similarity < REWRITTEN:
            lines.append("  旧：" + p.old.text)
            lines.append("  新：" + p.new.text)
        else:
            lines.append("  " + "".join(t if op == "equal" else f"[-{t}-]" if op == "delete" else f"{{+{t}+}}"
                                        for op, t in p.ops))
        lines.append("")
    if not d.pairs:
        lines.append("两个版本中都没有找到关于这一主题的条文。")
    return "\n".join(lines)
