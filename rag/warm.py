"""The page's own request path (run/predict, then the queue and its server-sent events), spoken without a browser:
the load benchmark's users, and the one empty question a just-started app sends itself so that the first real users
do not pay for Gradio's first-request set-up (~0.45 s measured here)."""

from __future__ import annotations

import json
import logging
import time
import urllib.request
import uuid

log = logging.getLogger("zhijiao.web")

# what a fresh page sends for each kind of input of the answer step (the session state stays on the server)
_EMPTY = {"state": None, "chatbot": [], "checkboxgroup": [], "dropdown": [], "textbox": ""}


def endpoints(url: str) -> dict:
    """fn_index, trigger and input layout of the chat's two steps (take the question, then answer), from /config."""
    cfg = json.loads(urllib.request.urlopen(url.rstrip("/") + "/config", timeout=10).read())
    deps = cfg["dependencies"]
    take = next(d for d in deps if d.get("api_name") == "lambda")
    answer = next(d for d in deps if d.get("api_name") == "respond")
    kinds = {c["id"]: c.get("type") for c in cfg["components"]}
    return {"prefix": url.rstrip("/") + cfg.get("api_prefix", "/gradio_api"), "take": take["id"],
            "answer": answer["id"], "trigger": take["targets"][0][0],
            "empty_inputs": [_EMPTY.get(kinds.get(i), None) for i in answer["inputs"]]}


def ask_page(client, ep: dict, question: str, session: str | None = None) -> list:
    """One question as the page asks it; returns the chat the server sends back (raises if the event failed)."""
    session = session or uuid.uuid4().hex[:11]
    prefix = ep["prefix"]
    client.post(prefix + "/run/predict", json={"data": [question], "fn_index": ep["take"], "session_hash": session,
                                               "event_data": None, "trigger_id": ep["trigger"]}).raise_for_status()
    client.post(prefix + "/queue/join", json={"data": list(ep["empty_inputs"]), "fn_index": ep["answer"],
                                              "session_hash": session, "event_data": None,
                                              "trigger_id": ep["trigger"]}).raise_for_status()
    with client.stream("GET", prefix + "/queue/data", params={"session_hash": session}) as events:
        for line in events.iter_lines():
            if not line.startswith("data:"):
                continue
            msg = json.loads(line[5:])
            if msg.get("msg") == "process_completed":
                if not msg.get("success", True):
                    raise RuntimeError(str(msg.get("output"))[:200])
                return msg["output"]["data"][0]
    raise RuntimeError("the event stream ended without an answer")


def warm_page(url: str) -> None:
    """An empty question through the page's path (nothing is answered, nothing is stored): Gradio's routes, queue
    and event stream are set up before the first user asks. Best effort: a failure is logged, never raised."""
    import httpx

    t0 = time.perf_counter()
    try:
        with httpx.Client(timeout=30) as client:
            ask_page(client, endpoints(url), "")
        log.info("warmed the page's request path in %.2f s", time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation; the app serves without it
        log.info("could not warm the page's request path (%s: %s)", type(exc).__name__, exc)
