"""A first run that answers at once: the lexical index is built in seconds, vectors follow in the background and
join retrieval as they arrive; an interrupted embedding resumes where it stopped."""

from __future__ import annotations

import threading

import pytest

from rag.index.build import Indexer
from rag.index.sentences import SENTENCES
from rag.query import parse_query
from rag.retrieve import Retriever
from rag.service import Assistant
from rag.text import split_sentences

pytestmark = pytest.mark.slow


def test_lexical_index_answers_before_any_vector_exists(seed_settings):
    Indexer(seed_settings).ingest(defer_dense=True)
    r = Retriever(seed_settings)
    done, total = r.dense_progress()
    assert done == 0 and total == len(r) > 0
    assert r.dense_by_vector(r.query_vectors("辽宁 技能人才"), 5) == [], "no vectors yet"
    assert all(h.sentence_dense == () for h in r.search(parse_query("辽宁 技能人才"))), "no sentence vectors either"
    a = Assistant(seed_settings)
    ans = a.ask("辽宁一年来培养了多少高素质技术技能人才？")  # the sentences count at their fitted average meanwhile
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
    q = parse_query("青海现代学徒制试点")
    assert all(h.sentence_dense == () for h in r.search(q)), "stopped before the sentences"
    rest = Indexer(seed_settings).densify(batch=8)
    assert first + rest == len(r) and r.dense_progress() == (len(r), len(r))
    assert r.dense_by_vector(r.query_vectors(q.norm), 5), "the vectors joined the dense leg"
    # then every chunk's sentences, which the running retriever reads as they are stored
    hits = r.search(q)
    assert hits and all(len(h.sentence_dense) == len(split_sentences(h.chunk.text)) for h in hits)


def test_the_app_start_builds_vectors_in_the_background(seed_settings):
    a = Assistant(seed_settings)
    report = a.ensure_index(progressive=True)
    assert report is not None and report.documents == 5
    a._dense_thread.join(timeout=300)
    done, total = a.dense_status()
    assert done == total > 0
    assert a.sentence_status() == (total, total), "the sentences were embedded after the chunks, and counted"
    assert a.start_dense_build() is None, "nothing left to embed"
    assert a.indexer.sentences_missing() == 0
    (seed_settings.index_dir / SENTENCES).unlink()  # an index built before sentences had vectors of their own
    assert a.indexer.sentences_missing() == total
    thread = a.start_dense_build()
    assert thread is not None, "the sentences are built in the background too"
    thread.join(timeout=300)
    assert a.indexer.sentences_missing() == 0


def test_the_banner_says_which_vectors_are_being_built():
    from rag.present import build_banner

    assert "向量索引建立中（40%）" in build_banner((40, 100), (0, 100), True)
    assert "句子向量建立中（25%）" in build_banner((100, 100), (25, 100), True)
    assert build_banner((100, 100), (25, 100), False) == "", "a build killed earlier is not shown as running"
    assert build_banner((100, 100), (100, 100), True) == build_banner((1, 1), (1, 1), False) == ""
