"""The layers keep to their concern: statistics modules compute numbers and codes, and every
word a reader sees (Thai or English) is written by the report layer."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "analysis"
STATISTICS = (
    "reliability", "validity", "descriptives", "groups", "sampling", "pdca", "indicators", "rubrics",
    "interpretation", "cycles", "stability", "invariance",
)  # fmt: skip
THAI = re.compile("[\u0e00-\u0e7f]")


def code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that are not docstrings, with their line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", [m for m in STATISTICS if (SRC / f"{m}.py").is_file()])
def test_statistics_modules_write_no_thai(module):
    found = [(line, text) for line, text in code_strings(SRC / f"{module}.py") if THAI.search(text)]
    assert not found, f"{module}.py has Thai text in code (words belong in analysis.reporting): {found[:3]}"
