"""The OpenAI-compatible API of the running app, through the real openai client: answers keep their citations."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import openai  # installed with langchain-openai
import pytest

from rag.prompts import NOT_FOUND
from tests.test_web import start_app

pytestmark = pytest.mark.slow
MODEL = "zhijiao-rag"
LIAONING = "辽宁2020年培养了多少技能人才？"
NO_LLM = {"RAG_LLM_BASE_URL": "", "RAG_LLM_GGUF_PATH": ""}  # the extractive answerer, whatever the shell has set


def get(url: str, key: str | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return exc.code, json.loads(body) if body.startswith(b"{") else {}


def serve_api(full_settings, base, **env):
    """The app as a subprocess; its /v1 routes join the server just after the page is up, so wait for them too."""
    proc, url = start_app(full_settings, base, **NO_LLM, **env)
    api = url + "v1"
    deadline = time.time() + 30
    while get(api + "/models", env.get("RAG_API_KEYS") or None)[0] == 404 and time.time() < deadline:
        time.sleep(0.2)
    return proc, api


def stop(proc) -> None:
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def api_url(full_settings, tmp_path_factory):
    proc, api = serve_api(full_settings, tmp_path_factory.mktemp("api"), RAG_API_KEYS="")
    yield api
    stop(proc)


@pytest.fixture
def client(api_url):
    return openai.OpenAI(base_url=api_url, api_key="not-needed", max_retries=0, timeout=60)


def ask(client, question: str, history: tuple[str, ...] = ()) -> tuple[object, dict]:
    """The parsed completion and the raw JSON body (where the citations are)."""
    messages = [{"role": "user", "content": q} for q in history] + [{"role": "user", "content": question}]
    raw = client.chat.completions.with_raw_response.create(model=MODEL, messages=messages, temperature=0.2)
    return raw.parse(), raw.http_response.json()


def test_models_list_names_the_assistant(client):
    assert MODEL in [m.id for m in client.models.list()]


def test_answer_keeps_figure_marker_and_citations(client):
    completion, body = ask(client, LIAONING)
    content = completion.choices[0].message.content
    assert "9.2万人" in content and "[1]" in content
    assert completion.choices[0].finish_reason == "stop" and completion.id.startswith("chatcmpl-")
    assert body["refused"] is False
    first = body["citations"][0]
    assert first["n"] == 1 and first["title"].startswith("要闻:辽宁") and "9.2万人" in first["quote"]
    assert first["date"] and first["doc_id"] and first["page"] is None
    assert set(first) == {"n", "doc_id", "title", "date", "source", "url", "quote", "page"}
    assert body["choices"][0]["message"]["citations"] == body["citations"], "clients that read the message find them"
    assert completion.usage.completion_tokens == len(content) and completion.usage.prompt_tokens == len(LIAONING)


def test_streamed_answer_is_the_same_and_the_last_chunk_carries_citations(client):
    whole = ask(client, LIAONING)[0].choices[0].message.content
    chunks = list(client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": LIAONING}],
                                                 stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == whole
    assert len(chunks) >= 3, "role, content, and a final chunk"
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    cites = last.model_extra["citations"]
    assert cites[0]["title"].startswith("要闻:辽宁") and "9.2万人" in cites[0]["quote"]


def test_earlier_user_messages_are_the_conversation(client):
    completion, body = ask(client, "那青海呢？", history=(LIAONING,))
    content = completion.choices[0].message.content
    assert "9.2万人" not in content, "the follow-up is about Qinghai, not a repeat of the Liaoning answer"
    assert all(not c["title"].startswith("要闻:辽宁") for c in body["citations"])


def test_unanswerable_question_is_declined_without_citations(client):
    completion, body = ask(client, "2026年政府工作报告提出扩招多少人？")
    assert completion.choices[0].message.content.startswith(NOT_FOUND)
    assert body["citations"] == [] and body["refused"] is True


def test_bad_input_is_a_400_with_the_chinese_message(client):
    with pytest.raises(openai.BadRequestError) as empty:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "  "}])
    assert "问题不能为空" in empty.value.message
    with pytest.raises(openai.BadRequestError) as long:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "职业教育" * 200}])
    assert "问题太长" in long.value.message
    with pytest.raises(openai.BadRequestError) as none:
        client.chat.completions.create(model=MODEL, messages=[{"role": "system", "content": "你是助手"}])
    assert none.value.body["type"] == "invalid_request_error" and "Traceback" not in none.value.message


def test_keys_are_required_when_configured(full_settings, tmp_path):
    proc, api = serve_api(full_settings, tmp_path, RAG_API_KEYS="k1, k2")
    try:
        status, body = get(api + "/models")
        assert status == 401 and body["error"]["code"] == "invalid_api_key"
        assert body["error"]["type"] == "invalid_request_error"
        wrong = openai.OpenAI(base_url=api, api_key="k3", max_retries=0)
        with pytest.raises(openai.AuthenticationError):
            wrong.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": LIAONING}])
        right = openai.OpenAI(base_url=api, api_key="k1", max_retries=0, timeout=60)
        assert MODEL in [m.id for m in right.models.list()]
        answer = right.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": LIAONING}])
        assert "9.2万人" in answer.choices[0].message.content
    finally:
        stop(proc)
