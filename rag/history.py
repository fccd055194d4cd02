"""Conversations and feedback kept in SQLite under the index folder: each user's (a login, or a browser's cookie)
conversations survive a refresh and a restart; 👍/👎 with a reason is stored with the question, answer and citations;
declined and disliked questions are grouped into the gap list that tells the library's owner what to add."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from rag.records import Answer, Citation
from rag.text import bigram_tokens, jaccard, normalise

HISTORY_DB = "conversations.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conv_owner ON conversations(owner, updated);
CREATE TABLE IF NOT EXISTS turns (
    conv_id TEXT NOT NULL, seq INTEGER NOT NULL, question TEXT NOT NULL, standalone TEXT NOT NULL,
    answer TEXT NOT NULL, refused INTEGER NOT NULL, citations TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (conv_id, seq));
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, conv_id TEXT NOT NULL, seq INTEGER NOT NULL, owner TEXT NOT NULL,
    rating INTEGER NOT NULL, reason TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    citations TEXT NOT NULL, created REAL NOT NULL);
"""


@dataclass
class Conversation:
    id: str
    title: str
    created: float
    updated: float


@dataclass
class StoredTurn:
    seq: int
    question: str
    standalone: str
    answer: str
    refused: bool
    citations: list[dict] = field(default_factory=list)

    def to_answer(self) -> Answer:
        """The turn as an Answer again, citations included (for the chat, the sources panel and exports)."""
        fields = Citation.__dataclass_fields__
        cites = [Citation(**{k: (tuple(tuple(x) for x in v) if k == "flagged" else v) for k, v in c.items()
                             if k in fields}) for c in self.citations]
        return Answer(self.question, self.answer, self.refused, cites, standalone_question=self.standalone)


@dataclass
class Gap:
    """A group of similar questions the collection did not answer well."""

    question: str  # the group's most recent wording
    count: int
    declined: int
    disliked: int
    reasons: list[str]
    last: float
    examples: list[str]


class History:
    """One SQLite file; every call names its owner, and an owner only ever sees its own conversations."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        # a write per answer: the journal in WAL mode, synced at checkpoints, keeps it off the answer's path
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    # ---- conversations ----------------------------------------------------------------------------------------
    def create(self, owner: str, title: str) -> str:
        cid = uuid.uuid4().hex[:16]
        now = time.time()
        with self._lock, self._db:
            self._db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)", (cid, owner, title[:60], now, now))
        return cid

    def conversations(self, owner: str) -> list[Conversation]:
        rows = self._db.execute("SELECT id, title, created, updated FROM conversations WHERE owner = ? "
                                "ORDER BY updated DESC", (owner,)).fetchall()
        return [Conversation(*r) for r in rows]

    def _owns(self, owner: str, cid: str) -> bool:
        return self._db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (cid, owner)).fetchone() is not None

    def add_turn(self, owner: str, cid: str, ans: Answer) -> int:
        """Append an answered question; returns its position in the conversation."""
        if not self._owns(owner, cid):
            raise KeyError(cid)
        with self._lock, self._db:
            seq = self._db.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM turns WHERE conv_id = ?", (cid,)).fetchone()[0]
            cites = json.dumps([c.to_json() for c in ans.citations], ensure_ascii=False)
            self._db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (cid, seq, ans.question, ans.standalone_question or ans.question, ans.answer,
                              int(ans.refused), cites, time.time()))
            self._db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (time.time(), cid))
        return seq

    def turns(self, owner: str, cid: str) -> list[StoredTurn]:
        if not self._owns(owner, cid):
            return []
        rows = self._db.execute("SELECT seq, question, standalone, answer, refused, citations FROM turns "
                                "WHERE conv_id = ? ORDER BY seq", (cid,)).fetchall()
        return [StoredTurn(s, q, st, a, bool(r), json.loads(c)) for s, q, st, a, r, c in rows]

    def rename(self, owner: str, cid: str, title: str) -> bool:
        title = (title or "").strip()[:60]
        if not title:
            return False
        with self._lock, self._db:
            cur = self._db.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?", (title, cid, owner))
        return cur.rowcount == 1

    def delete(self, owner: str, cid: str) -> bool:
        if not self._owns(owner, cid):
            return False
        with self._lock, self._db:
            self._db.execute("DELETE FROM turns WHERE conv_id = ?", (cid,))
            self._db.execute("DELETE FROM conversations WHERE id = ?", (cid,))
        return True

    # ---- feedback and the gap list ---------------------------------------------------------------------------
    def rate(self, owner: str, cid: str, seq: int, rating: int, reason: str = "") -> None:
        """👍 (+1) or 👎 (−1) on one answer, with an optional reason; stored with what was asked and answered."""
        turn = next((t for t in self.turns(owner, cid) if t.seq == seq), None)
        if turn is None:
            raise KeyError((cid, seq))
        with self._lock, self._db:
            self._db.execute("INSERT INTO feedback (conv_id, seq, owner, rating, reason, question, answer, citations, "
                             "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (cid, seq, owner, 1 if rating > 0 else -1, (reason or "")[:200], turn.question,
                              turn.answer, json.dumps(turn.citations, ensure_ascii=False), time.time()))

    def gaps(self, threshold: float = 0.45) -> list[Gap]:
        """Declined and thumbs-down questions of every user, grouped by wording (character-pair overlap), most asked
        first: what the collection lacks."""
        rows = self._db.execute(
            "SELECT standalone, 'declined', '', created FROM turns WHERE refused = 1 UNION ALL "
            "SELECT question, 'disliked', reason, created FROM feedback WHERE rating < 0").fetchall()
        groups: list[tuple[set[str], list[tuple[str, str, str, float]]]] = []
        for q, kind, reason, at in sorted(rows, key=lambda r: r[3]):
            grams = set(bigram_tokens(normalise(q)))
            best = max(groups, key=lambda g: jaccard(grams, g[0]), default=None)
            if best is not None and jaccard(grams, best[0]) >= threshold:
                best[1].append((q, kind, reason, at))
                best[0].update(grams)
            else:
                groups.append((set(grams), [(q, kind, reason, at)]))
        out = []
        for _, items in groups:
            latest = max(items, key=lambda x: x[3])
            out.append(Gap(latest[0], len(items), sum(k == "declined" for _, k, _, _ in items),
                           sum(k == "disliked" for _, k, _, _ in items),
                           sorted({r for _, _, r, _ in items if r}), latest[3],
                           list(dict.fromkeys(q for q, _, _, _ in items))[:5]))
        return sorted(out, key=lambda g: (-g.count, -g.last))

    def close(self) -> None:
        self._db.close()


def gaps_csv(gaps: list[Gap]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["问题", "次数", "未回答", "差评", "差评原因", "最近", "其他问法"])
    for g in gaps:
        w.writerow([g.question, g.count, g.declined, g.disliked, "；".join(g.reasons),
                    time.strftime("%Y-%m-%d %H:%M", time.localtime(g.last)), "；".join(g.examples[1:])])
    return buf.getvalue()
