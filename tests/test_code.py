"""The code's own hygiene: checks on the source that no behaviour test would catch until an answer changes."""
import ast
from pathlib import Path

import pytest

RAG = Path(__file__).resolve().parent.parent / "rag"


@pytest.mark.parametrize("path", sorted(RAG.rglob("*.py")), ids=lambda p: str(p.relative_to(RAG)))
def test_no_module_defines_a_top_level_name_twice(path):
    """A second `def clause_before` or `_TOTAL_ASKED = …` further down a module silently replaces the first at import,
    and every caller of the first gets the second (it happened twice in answer.py)."""
    seen: dict[str, int] = {}
    twice = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names = [node.target.id]
        else:
            continue
        for name in names:
            if name in seen:
                twice.append(f"{name} (lines {seen[name]} and {node.lineno})")
            seen[name] = node.lineno
    assert not twice, f"{path.name} defines {', '.join(twice)}"
