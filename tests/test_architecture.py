"""The layers keep to their concern: statistics modules compute numbers and codes, and every
word a reader sees (Thai or English) is written by the report layer."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "analysis"
STATISTICS = sorted(p.stem for p in (SRC / "stats").glob("*.py") if p.stem != "__init__")
# Which layer may import which: configuration and data -> statistics -> results -> report;
# run drives them all; the report reads results only (and the configuration it shows). Shared
# basics (errors, paths, numbers) sit at the top and every layer may use them.
LAYERS = ("config", "data", "stats", "results", "run", "report")
MAY_IMPORT = {
    "config": {"config"},  # configuration is read and checked by its own models only
    "data": {"config", "data"},
    "stats": {"config", "stats"},
    "results": {"results"},  # the results models and store stand on their own
    "run": {"config", "data", "stats", "results", "run"},
    "report": {"config", "results", "report", "data"},  # data: the privacy scan of a package
}
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


@pytest.mark.parametrize("module", STATISTICS)
def test_statistics_modules_write_no_thai(module):
    found = [(line, text) for line, text in code_strings(SRC / "stats" / f"{module}.py") if THAI.search(text)]
    assert not found, (
        f"{module}.py has Thai text in code (words belong in analysis.report.reporting): {found[:3]}"
    )


# Thai in the report layer's code that is not a word a reader sees: line-breaking word lists
# (thai_text), author-list parsing and sort keys (citations), character classes and digits.
REPORT_THAI_ALLOWED = {
    "thai_text": None,  # every string: the connectives and units Thai lines keep together
    "citations": {"[\u0e00-\u0e7f]", ",|\\s&\\s|และ", "เแโใไ"},
    "reporting": {"ก", "๛", "๐๑๒๓๔๕๖๗๘๙", "ค่าเฉลี่ย"},  # ค่าเฉลี่ย: recognises a mean-valued unit
    "wordfile": {"[\u0e00-\u0e7f]"},
}


@pytest.mark.parametrize("module", sorted(p.stem for p in (SRC / "report").glob("*.py")))
def test_report_words_live_in_the_catalogues(module):
    """Every Thai word a reader sees comes from catalogue/{th,en}.yaml or a template, not code."""
    allowed = REPORT_THAI_ALLOWED.get(module, set())
    found = [
        (line, text)
        for line, text in code_strings(SRC / "report" / f"{module}.py")
        if THAI.search(text) and allowed is not None and text not in allowed
    ]
    assert not found, f"report/{module}.py has Thai words in code (move them to the catalogue): {found[:3]}"


def imported_layers(path: Path) -> set[str]:
    """The layers (sub-packages of ``analysis``) a module imports, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "analysis" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_one_way(layer):
    wrong = {
        f"{path.relative_to(SRC)} imports {sorted(imported_layers(path) - MAY_IMPORT[layer])}"
        for path in (SRC / layer).glob("*.py")
        if imported_layers(path) - MAY_IMPORT[layer]
    }
    assert not wrong, f"imports against the layer order: {sorted(wrong)}"


# A sentence: four or more words. Statistics store codes and numbers; the names of the tests they
# ran are codes too. Error messages (raise) and progress lines are not stored results.
SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,:;'()-]+[A-Za-z]+){3,}")
METHOD_NAMES = {
    "Welch's t-test",
    "Wilcoxon signed-rank test",
    "paired t-test",
    "Welch t-test",
    "Welch's ANOVA",
}
NOT_STORED = {"step", "Counter", "progress", "print", "update"}


def stored_sentences(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that read as English sentences, outside docstrings,
    ``raise``/``assert`` statements and progress calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        called = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", ""))
        if isinstance(node, ast.Raise | ast.Assert) or called in NOT_STORED:
            skip |= {id(sub) for sub in ast.walk(node)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        and SENTENCE.search(node.value) and node.value not in METHOD_NAMES
    ]  # fmt: skip


@pytest.mark.parametrize("module", STATISTICS)
def test_statistics_modules_store_codes_not_english_sentences(module):
    found = stored_sentences(SRC / "stats" / f"{module}.py")
    assert not found, f"{module}.py stores English text (use a code and its values): {found[:3]}"
