"""A first run that answers at once: the lexical index is built in seconds, vectors follow in the background and
join retrieval as they arrive; an interrupted embedding resumes where it stopped."""

from __future__ import annotations

import threading

import pytest

from rag.index.build import Indexer
from rag.query import parse_query
from rag.retrieve import Retriever
from rag.service import Assistant

pytestmark = pytest.mark.slow


def test_lexical_index_answers_before_any_vector_exists(seed_settings):
    Indexer(seed_settings).ingest(defer_dense=True)
    r = Retriever(seed_settings)
    done, total = r.dense_progress()
    assert done == 0 and total == len(r) > 0
    assert r.dense_by_vector(r.query_vectors("辽宁 技能人才"), 5) == [], "no vectors yet"
    a = Assistant(seed_settings)
    ans = a.ask("辽宁一年来培养了多少高素质技术技能人才？")
    assert ans.answer.startswith("9.2万人"), ans.answer


def test_an_interrupted_embedding_resumes_where_it_stopped(seed_settings):
    ix = Indexer(seed_settings)
    ix.ingest(defer_dense=True)
    stop = threading.Event()
    seen = []

    def halt_after_first_batch(done, total, _name):
        seen.append(done)
        stop.set()

    first = ix.densify(progress=halt_after_first_batch, batch=4, stop=stop)
    assert first == 4
    r = Retriever(seed_settings)
    assert r.dense_progress()[0] == 4
    rest = Indexer(seed_settings).densify(batch=8)
    assert first + rest == len(r) and r.dense_progress() == (len(r), len(r))
    q = parse_query("青海现代学徒制试点")
    assert r.dense_by_vector(r.query_vectors(q.norm), 5), "the vectors joined the dense leg"


def test_the_app_start_builds_vectors_in_the_background(seed_settings):
    a = Assistant(seed_settings)
    report = a.ensure_index(progressive=True)
    assert report is not None and report.documents == 5
    a._dense_thread.join(timeout=300)
    done, total = a.dense_status()
    assert done == total > 0
    assert a.start_dense_build() is None, "nothing left to embed"
