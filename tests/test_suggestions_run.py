"""Suggestions through the whole pipeline (issue 15 item 3): a real-data run of the small example
study whose free-text answers carry planted personal data (Thai names with titles, also glued to
the word before, e-mails, Thai phone numbers, national IDs with and without dashes, LINE IDs),
with a themes file and quoting allowed; rendered in both editions (HTML, DOCX, PDF) and packaged.
None of the planted strings, nor their digits-only forms, may appear in any file of the run
folder, inside the DOCX files or the package (unzipped), or in the executed notebooks; the
redactions are counted right in clean.json, and the write-up has its suggestions section."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from analysis.report.package import build_package, entry_texts
from analysis.report.render import render
from analysis.report.view import View, render_section
from analysis.results.store import load_results
from analysis.run.runner import run_pipeline
from tests.test_end_to_end import small_study

pytestmark = pytest.mark.e2e
THEMES = Path(__file__).parent / "fixtures" / "themes.yaml"

# (answer, redactions it holds by kind); each answer also names a theme of tests/fixtures/themes.yaml
PLANTED = [
    ("ขอบคุณนายสมชาย ทองประเสริฐ ที่ให้บริการดีมาก โทร 081-234-5678", {"name": 1, "phone": 1}),
    ("นางสาวสมหญิง รักเรียนดี อยากให้เพิ่มทุนการศึกษา ติดต่อ somying.r@kruthai-mail.co.th", {"name": 1, "e-mail": 1}),
    ("เอกสารเยอะเกินไป ส่งที่ นางมาลี ศรีสุขสันต์ เบอร์ +66 89 765 4321", {"name": 1, "phone": 1}),
    ("ขอแบบฟอร์มออนไลน์ เลขบัตร 3-1012-00456-78-9", {"national-id": 1}),
    ("อยากให้บริการเร็วขึ้น เลขประจำตัวประชาชน 1101700203451", {"national-id": 1}),
    ("ไลน์: somchai99 ขอช่องทางออนไลน์เพิ่ม", {"line-id": 1}),
    ("line id @abc123 เอกสารการกู้ควรลดลง", {"line-id": 1}),
]
SECRETS = [
    "สมชาย", "ทองประเสริฐ", "สมหญิง", "รักเรียนดี", "มาลี", "ศรีสุขสันต์", "somying", "kruthai-mail",
    "somchai99", "abc123", "081-234-5678", "+66 89 765 4321", "3-1012-00456-78-9", "1101700203451",
]  # fmt: skip
DIGITS_ONLY = ["0812345678", "66897654321", "3101200456789", "1101700203451"]


def plant(base: Path) -> dict[str, Path]:
    """The small example study as real data: every free-text answer blank but the planted ones
    (in the last rows, so they belong to the report cycle), a themes file, quoting allowed."""
    inputs = small_study(base, synthetic=False)
    study_dir = inputs["study"].parent
    shutil.copyfile(THEMES, study_dir / "themes.yaml")
    config = yaml.safe_load(inputs["study"].read_text(encoding="utf-8"))
    config["suggestions"] = {"themes_file": "themes.yaml", "quote_examples": True, "min_answers": 2}
    inputs["study"].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(inputs["data"].read_text(encoding="utf-8"), newline="")))
    free = rows[0].index(config["columns"]["free_text"][0])
    for row in rows[1:]:
        row[free] = ""
    for row, (answer, _) in zip(rows[-len(PLANTED) :], PLANTED, strict=True):
        row[free] = answer
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    inputs["data"].write_text(out.getvalue(), encoding="utf-8")
    inputs["n_rows"] = len(rows) - 1
    return inputs


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("suggestions")
    inputs = plant(base)
    out = base / "run"
    messages: list[str] = []
    run_pipeline(inputs["data"], inputs["codebook"], inputs["study"], out, progress=messages.append)
    for language in ("th", "en"):
        render(out, formats=("html", "docx", "pdf"), progress=messages.append, language=language)
    package = build_package(out, base / "package.zip")
    return {"inputs": inputs, "out": out, "package": package, "messages": messages}


def texts(name: str, data: bytes) -> list[str]:
    """Every way a planted string could show in a file: its bytes as UTF-8, the text of a PDF,
    XLSX or DOCX (each member of a DOCX or zip unzipped, XML tags dropped so that text split
    into runs joins up again)."""
    out = [data.decode("utf-8", "replace")]
    if name.endswith((".docx", ".zip", ".xlsx")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                inner = z.read(member)
                out += texts(f"{name}:{member}", inner)
                if member.endswith(".xml"):
                    out.append(re.sub(r"<[^>]+>", "", inner.decode("utf-8", "replace")))
    if name.endswith((".pdf", ".xlsx", ".docx")):
        out += entry_texts(name, data)
    return out


def test_no_planted_string_reaches_any_output(planted_run):
    files = {str(p.relative_to(planted_run["out"])): p for p in planted_run["out"].rglob("*") if p.is_file()}
    files["package.zip"] = planted_run["package"]
    assert "notebooks/01_clean.ipynb" in files and "report/writeup.en.docx" in files
    assert "report/writeup.pdf" in files and "report/writeup.en.html" in files
    for name, path in files.items():
        found = "\n".join(texts(name, path.read_bytes()))
        for secret in SECRETS + DIGITS_ONLY:
            assert secret not in found, (name, secret)
    for message in planted_run["messages"]:
        assert not any(secret in message for secret in SECRETS + DIGITS_ONLY), message


def test_redactions_are_counted_in_clean_json_and_the_log(planted_run):
    results = load_results(planted_run["out"])
    kept = set(
        int(r["raw_row"])
        for r in csv.DictReader(
            (planted_run["out"] / "processed" / "responses_clean.csv").open(encoding="utf-8")
        )
    )
    first = planted_run["inputs"]["n_rows"] - len(PLANTED) + 1
    expected: dict[str, int] = {}
    for row, (_, kinds) in enumerate(PLANTED, start=first):
        if row in kept:
            for kind, n in kinds.items():
                expected[kind] = expected.get(kind, 0) + n
    assert sum(expected.values()) >= 8  # most planted rows survived cleaning: the test can fail
    assert results["cleaning"]["redactions"] == expected
    assert results["suggestions"]["redactions"] == expected
    assert sum(sum(c["redactions"].values()) for c in results["suggestions"]["cycles"]) == sum(
        expected.values()
    )
    log = (planted_run["out"] / "logs" / "cleaning_log.csv").read_text(encoding="utf-8-sig")
    for kind, n in expected.items():
        assert f"redacted,{kind}: {n}" in log
    line = next(m for m in planted_run["messages"] if m.startswith("free text:"))
    assert all(f"{kind} {n}" in line for kind, n in expected.items()), line


def test_both_editions_show_the_section_with_redacted_quotes(planted_run):
    build = planted_run["out"] / "report" / "_build"
    th = (build / "th" / "_generated" / "results.md").read_text(encoding="utf-8")
    en = (build / "en" / "_generated" / "results.md").read_text(encoding="utf-8")
    assert "## ข้อเสนอแนะของผู้ตอบแบบสอบถาม" in th and "## Respondents' suggestions" in en
    assert "{#tbl-suggestions}" in th and "{#tbl-suggestions}" in en
    assert "\\[ชื่อ\\]" in th and "\\[name\\]" in en  # the placeholders in the edition's words
    assert re.search(r"ความถี่ วงรอบที่ \d \(n\s=\s\d+\)", th) and re.search(r"Cycle \d \(n\s=\s\d+\)", en)
    assert "| Service |" in en and "| บริการ |" in th and "| Service |" not in th  # name_en in English
    assert "เอกสาร (no English name yet: add name_en to this theme in themes.yaml)" in en
    methods = (build / "th" / "_generated" / "methods.md").read_text(encoding="utf-8")
    assert "PyThaiNLP (Phatthiyaphaibun et al., 2023)" in methods
    references = (build / "th" / "_generated" / "references.md").read_text(encoding="utf-8")
    assert "Phatthiyaphaibun, W., Chaovavanich, K." in references


def test_no_answers_is_one_sentence_and_no_free_text_column_no_section(planted_run):
    results = load_results(planted_run["out"])
    silent = {**results["suggestions"], "code": "no_answers", "themes": [], "top_words": [], "examples": {}}
    silent["cycles"] = [{**c, "n_suggestions": 0, "redactions": {}} for c in silent["cycles"]]
    for language, heading, sentence in (
        ("th", "ข้อเสนอแนะของผู้ตอบแบบสอบถาม", "ไม่มีผู้ตอบแบบสอบถามใน"),
        ("en", "Respondents' suggestions", "No respondent of"),
    ):
        text = render_section("results", View({**results, "suggestions": silent}, {}, language))
        section = text.split(heading)[1].split("\n## ")[0]
        assert sentence in section and "|" not in section
        text = render_section("results", View({**results, "suggestions": None}, {}, language))
        assert heading not in text
