"""Answers written by an LLM (any OpenAI-compatible endpoint, or a local GGUF file), then checked: markers that point
to nothing retrieved are removed, and every number must appear in a passage its sentence cites — else the sentence
is flagged. An answer left with no supported claim is replaced by the extractive answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol

from rag.errors import ConfigError, LLMError
from rag.figures import find_figures, supported
from rag.prompts import NOT_FOUND, load_prompt
from rag.query import Query
from rag.records import Answer, Citation, ScoredChunk
from rag.settings import Settings
from rag.text import bigram_tokens, normalise, split_sentences, to_simplified

UNSUPPORTED_MARK = "（注意：此句中的数字未在所引原文中找到）"
_MARKERS = re.compile(r"\[(\d+(?:\s*[,，、]\s*\d+)*)\]")


class ChatBackend(Protocol):
    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]: ...


class OpenAICompatible:
    """DeepSeek, Qwen, vLLM, Ollama, llama.cpp server: all speak /v1/chat/completions."""

    def __init__(self, settings: Settings):
        from langchain_openai import ChatOpenAI

        self.model = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=settings.llm_model or "default",
            api_key=settings.llm_api_key.get_secret_value() or "not-needed",
            timeout=settings.llm_timeout,
            max_retries=0,
            temperature=0,
            streaming=True,
        )

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        try:
            for chunk in self.model.stream(messages):
                if chunk.content:
                    yield str(chunk.content)
        except Exception as exc:  # network, HTTP and protocol errors all mean the same thing to the user
            raise LLMError(f"LLM endpoint failed: {type(exc).__name__}") from None


class LocalGGUF:
    """A user-supplied GGUF model through llama-cpp-python (pip install '.[gguf]')."""

    def __init__(self, settings: Settings):
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ConfigError("RAG_LLM_GGUF_PATH is set but llama-cpp-python is not installed: pip install '.[gguf]'") from exc
        self.llm = Llama(model_path=settings.llm_gguf_path, n_ctx=4096, verbose=False)

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        msgs = [{"role": r, "content": c} for r, c in messages]
        try:
            for part in self.llm.create_chat_completion(messages=msgs, stream=True, temperature=0):
                delta = part["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta
        except Exception as exc:
            raise LLMError(f"local GGUF model failed: {type(exc).__name__}") from None


def make_backend(settings: Settings) -> ChatBackend | None:
    if settings.llm_base_url:
        return OpenAICompatible(settings)
    if settings.llm_gguf_path:
        return LocalGGUF(settings)
    return None


def context_block(hits: list[ScoredChunk]) -> str:
    parts = []
    for i, h in enumerate(hits, 1):
        head = "，".join(x for x in (h.meta.date, h.meta.source) if x)
        # passages are data: fenced, so text inside them cannot pose as the conversation
        parts.append(f"[{i}] 《{h.meta.display_title}》{('（' + head + '）') if head else ''}\n<<<\n{h.chunk.text}\n>>>")
    return "\n\n".join(parts)


def messages_for(question: str, hits: list[ScoredChunk]) -> list[tuple[str, str]]:
    user = load_prompt("answer_user").replace("{context}", context_block(hits)).replace("{question}", question)
    return [("system", load_prompt("answer_system")), ("user", user)]


def condense_with_llm(backend: ChatBackend, question: str, history: list[str]) -> str:
    prompt = load_prompt("condense").replace("{history}", "\n".join(f"用户：{h}" for h in history[-4:]))
    prompt = prompt.replace("{question}", question)
    text = "".join(backend.stream([("user", prompt)])).strip().split("\n")[0].strip()
    return text or question


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    unsupported: list[str]
    supported_claims: int


def _attach_leading_markers(sentences: list[str]) -> list[str]:
    """'…。' + '[1]后文' → '…。[1]' + '后文': a marker right after a full stop belongs to the sentence before it."""
    out: list[str] = []
    for s in sentences:
        m = re.match(r"^((?:\[\d+(?:\s*[,，、]\s*\d+)*\]\s*)+)(.*)$", s)
        if m and out:
            out[-1] += m.group(1).strip()
            s = m.group(2).strip()
        if s:
            out.append(s)
    return out


def check(text: str, hits: list[ScoredChunk]) -> Checked:
    """Strip markers to nothing retrieved, renumber by first use, and flag sentences whose numbers are not in
    the passages they cite."""
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    unsupported: list[str] = []
    supported_claims = 0
    lines_out: list[str] = []
    for line in to_simplified(text).split("\n"):
        sentences = _attach_leading_markers(split_sentences(line)) if line.strip() else []
        rebuilt = []
        for sent in sentences:
            cited: list[int] = []

            def repl(m: re.Match) -> str:
                keep = []
                for n in re.split(r"\s*[,，、]\s*", m.group(1)):
                    k = int(n)
                    if 1 <= k <= len(hits):
                        if k not in renumber:
                            renumber[k] = len(renumber) + 1
                        cited.append(k)
                        keep.append(f"[{renumber[k]}]")
                return "".join(keep)

            clean = _MARKERS.sub(repl, sent)
            body = _MARKERS.sub("", clean)
            figs = find_figures(re.sub(r"^\s*\d+[.、)]\s*", "", body), bare=True)
            passages = [to_simplified(hits[k - 1].chunk.evidence_text) for k in cited]
            bad = [f for f in figs if not supported(f, passages)]
            if bad:
                unsupported.append(_MARKERS.sub("", clean).strip())
                clean = clean + UNSUPPORTED_MARK
            elif cited:
                supported_claims += 1
            rebuilt.append(clean)
        lines_out.append("".join(rebuilt))
    for old, new in sorted(renumber.items(), key=lambda kv: kv[1]):
        citations.append(Citation.from_hit(hits[old - 1], new))
    return Checked("\n".join(lines_out).strip(), citations, unsupported, supported_claims)


def generated_answer(
    q: Query,
    hits: list[ScoredChunk],
    backend: ChatBackend,
    on_token: Callable[[str], None] | None = None,
) -> Answer | None:
    """The LLM's answer after checking, or None when nothing it said is supported (the caller falls back)."""
    question, standalone = q.text, q.standalone
    pieces = []
    for tok in backend.stream(messages_for(standalone, hits)):
        pieces.append(tok)
        if on_token:
            on_token("".join(pieces))
    raw = "".join(pieces).strip()
    if NOT_FOUND in raw or NOT_FOUND.rstrip("。") in raw:
        return Answer(question, NOT_FOUND, True, [], standalone_question=standalone, closest=hits[:3], mode="llm")
    checked = check(raw, hits)
    if checked.supported_claims == 0:
        return None
    for c in checked.citations:  # the quote: the passage sentence closest to what the answer says with it
        said = " ".join(_MARKERS.sub("", s) for s in split_sentences(checked.text) if f"[{c.n}]" in s)
        want = set(bigram_tokens(normalise(said)))
        best = max(split_sentences(c.text), key=lambda x: len(want & set(bigram_tokens(normalise(x)))), default="")
        object.__setattr__(c, "quote", best)
    return Answer(question, checked.text, False, checked.citations, standalone_question=standalone,
                  unsupported=checked.unsupported, mode="llm")
