"""Shared fixtures: real Chroma in temp dirs, the real bundled embedder (loaded once per process), real jieba.

The passage-embedding cache is shared across test sessions (.cache/embcache.sqlite) so that a second run does not
re-embed the corpus; every query still goes through the real model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rag.settings import ROOT, Settings

SEEDS = ROOT / "corpus" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
CACHE = ROOT / ".cache" / "embcache.sqlite"


def make_settings(corpus: Path, index: Path, **kw) -> Settings:
    kw.setdefault("embed_cache", CACHE)
    return Settings(corpus_dir=corpus, index_dir=index, **kw)


@pytest.fixture
def seed_corpus(tmp_path) -> Path:
    d = tmp_path / "corpus"
    shutil.copytree(SEEDS, d / "seeds", ignore=shutil.ignore_patterns("README.md"))
    return d


@pytest.fixture
def seed_settings(seed_corpus, tmp_path) -> Settings:
    return make_settings(seed_corpus, tmp_path / "index")


@pytest.fixture(scope="session")
def full_settings(tmp_path_factory) -> Settings:
    """The whole shipped corpus, indexed once per session."""
    from rag.index.build import Indexer

    s = make_settings(ROOT / "corpus", tmp_path_factory.mktemp("full-index"))
    report = Indexer(s).ingest()
    assert report.documents >= 127 and not report.skipped, report.summary()
    return s


@pytest.fixture(scope="session")
def assistant(full_settings):
    from rag.service import Assistant

    return Assistant(full_settings)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def dev_questions() -> list[dict]:
    return load_jsonl(FIXTURES / "dev.jsonl")


@pytest.fixture(scope="session")
def test_split() -> list[dict]:
    """The held-out half of the user-worded questions: scored, never read one by one."""
    return load_jsonl(FIXTURES / "test_split.jsonl")
