"""The assistant as an OpenAI-compatible API (/v1/models, /v1/chat/completions), its citations kept beside the text."""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, ValidationError

from rag.errors import RagError, UserInputError
from rag.records import Answer, Citation
from rag.service import Assistant, Turn

log = logging.getLogger("zhijiao.api")

MODEL_ID = "zhijiao-rag"
OWNER = "zhijiao"
MODEL_CREATED = 1735689600  # fixed (2025-01-01) so that /v1/models answers the same on every start
_PIECE = re.compile(r"[^。！？；\n]*(?:[。！？；\n]+|$)")  # a sentence and its closing punctuation


class ChatMessage(BaseModel):
    """One message of an OpenAI chat request; content may be a string or a list of content parts."""

    model_config = ConfigDict(extra="ignore")

    role: str
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):  # [{"type": "text", "text": …}, {"type": "image_url", …}]: text parts only
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    # temperature, top_p, max_tokens, … are accepted and ignored: the answer is extractive or checked after generation
    model_config = ConfigDict(extra="ignore")

    model: str = MODEL_ID
    messages: list[ChatMessage]
    stream: bool = False

    def conversation(self) -> tuple[str, list[Turn]]:
        """The last user message is the question; the user messages before it are the conversation so far."""
        asked = [m.text.strip() for m in self.messages if m.role == "user"]
        if not asked:
            raise UserInputError("no user message in the request", user_message="请求中没有用户的问题（role 为 user 的消息）。")
        return asked[-1], [Turn(q, q) for q in asked[:-1]]


def citation_json(c: Citation) -> dict:
    """What a client needs to show and check a source; `page` stays null until citations carry page numbers."""
    page = getattr(c, "page", None)
    return {"n": c.n, "doc_id": c.doc_id, "title": c.title, "date": c.date, "source": c.source, "url": c.url,
            "quote": c.quote, "page": page or None}


def completion_json(ans: Answer, cid: str, created: int, prompt_chars: int) -> dict:
    """A chat.completion object; the citations go at the top level and in the message, where clients look."""
    cites = [citation_json(c) for c in ans.citations]
    return {
        "id": cid, "object": "chat.completion", "created": created, "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": ans.answer, "citations": cites},
                     "finish_reason": "stop", "logprobs": None}],
        # no tokenizer is involved: characters stand in for tokens
        "usage": {"prompt_tokens": prompt_chars, "completion_tokens": len(ans.answer),
                  "total_tokens": prompt_chars + len(ans.answer)},
        "citations": cites, "refused": ans.refused, "unsupported": list(ans.unsupported), "notice": ans.notice,
    }


def completion_events(ans: Answer, cid: str, created: int) -> Iterator[str]:
    """Server-sent chat.completion.chunk events: the role, the checked answer sentence by sentence, then a final
    chunk carrying the citations. The answer is complete before the first event: an LLM's raw tokens are not sent,
    because the checked answer (markers dropped, figures flagged) can differ from them."""
    def event(delta: dict, finish: str | None = None, **extra) -> str:
        body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for piece in _PIECE.findall(ans.answer):
        if piece:
            yield event({"content": piece})
    yield event({}, "stop", citations=[citation_json(c) for c in ans.citations], refused=ans.refused,
                unsupported=list(ans.unsupported), notice=ans.notice)
    yield "data: [DONE]\n\n"


def api_error(status: int, message: str, kind: str = "invalid_request_error", code: str | None = None,
              headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": code}},
                        status_code=status, headers=headers)


def authorised(request: Request, keys: list[str]) -> bool:
    if not keys:
        return True
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    given = token.strip().encode()
    # compare every key in constant time: how long a rejection takes says nothing about the keys
    return scheme.lower() == "bearer" and any([secrets.compare_digest(given, k.encode()) for k in keys])


def api_router(assistant: Assistant) -> APIRouter:
    keys = assistant.settings.api_key_list()
    router = APIRouter(prefix="/v1", tags=["openai"])

    def denied() -> JSONResponse:
        return api_error(401, "API 密钥无效或缺失：请在 Authorization 头中以 Bearer 方式提供 RAG_API_KEYS 中的一个密钥。",
                         code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})

    @router.get("/models")
    async def list_models(request: Request):
        if not authorised(request, keys):
            return denied()
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": MODEL_CREATED,
                                            "owned_by": OWNER}]}

    @router.post("/chat/completions")
    async def chat_completions(request: Request):
        if not authorised(request, keys):
            return denied()
        # the body is checked here, not by FastAPI, so that a malformed request gets an OpenAI-style error
        try:
            req = ChatRequest.model_validate(await request.json())
        except (ValueError, ValidationError):
            return api_error(400, "请求格式有误：需要一个 JSON 对象，其中 messages 为 {role, content} 消息列表。")
        try:
            question, history = req.conversation()
            # retrieval and answering are synchronous CPU work: off the event loop, which also serves the web app
            ans = await run_in_threadpool(assistant.ask, question, history)
        except UserInputError as exc:
            return api_error(400, exc.user_message)
        except RagError as exc:  # the index or a server it needs is unavailable: not the caller's fault
            log.warning("API request failed: %s", exc)
            return api_error(503, exc.user_message, "server_error")
        except Exception:  # noqa: BLE001 - the edge: log the trace, answer with one short sentence
            log.exception("unexpected error in /v1/chat/completions")
            return api_error(500, "服务器内部错误，请稍后再试。", "server_error")
        cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if req.stream:
            return StreamingResponse(completion_events(ans, cid, created), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return completion_json(ans, cid, created, sum(len(m.text) for m in req.messages))

    return router


def mount_api(app: FastAPI, assistant: Assistant) -> None:
    """Serve the API under /v1 of an existing FastAPI app (the web app's, once launched, or any other). Routes are
    looked up per request, so including them into an app that is already serving works."""
    app.include_router(api_router(assistant))
    if assistant.settings.auth_users and not assistant.settings.api_key_list():
        log.warning("RAG_AUTH_USERS protects the web page but RAG_API_KEYS is empty: the /v1 API is open")
