"""Server mode: a real Chroma server (`chroma run`) on a loopback port holds the vectors; ingest, search and ask work
against it, and an unreachable server gets a clear message."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.errors import ChromaUnavailableError
from rag.index.build import Indexer
from rag.service import Assistant
from tests.conftest import make_settings

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    log = open(tmp_path / "chroma.log", "w")
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start: " + (tmp_path / "chroma.log").read_text()[-1000:])
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_ingest_search_and_ask_against_a_chroma_server(chroma_server, seed_corpus, tmp_path):
    s = make_settings(seed_corpus, tmp_path / "index", chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = Indexer(s).ingest()
    assert report.documents == 5 and report.chunks > 20
    assert not (tmp_path / "index" / "chroma").exists(), "vectors live on the server, not in the local folder"
    a = Assistant(s)
    hits = a.search("青海 现代学徒制 试点", k=3)
    assert any("9所学校入选" in h.chunk.text for h in hits)
    ans = a.ask("青海有几所学校入选国家级现代学徒制试点单位？")
    assert "9所" in ans.answer and not ans.refused
    again = Indexer(s).ingest()
    assert again.unchanged == 5 and again.embedded == 0


def test_unreachable_server_is_a_clear_error(seed_corpus, tmp_path):
    s = make_settings(seed_corpus, tmp_path / "index", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(ChromaUnavailableError) as exc:
        Indexer(s).ingest()
    assert "chroma run" in str(exc.value) and "向量数据库" in exc.value.user_message
