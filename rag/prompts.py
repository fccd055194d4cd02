"""Prompts are files in prompts/, loaded by name; the not-found phrase is the one constant they all share."""

from __future__ import annotations

from functools import lru_cache

from rag.settings import ROOT

NOT_FOUND = "资料库中没有找到能回答这个问题的内容。"
PROMPT_DIR = ROOT / "prompts"


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """prompts/<name>.md with {not_found} filled in; other {fields} are left for the caller."""
    path = PROMPT_DIR / f"{name}.md"
    if not path.exists():
        raise FileNotFoundError(f"prompt {name!r} not found at {path}")
    return path.read_text(encoding="utf-8").replace("{not_found}", NOT_FOUND)
