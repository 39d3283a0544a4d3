"""How tables meet page breaks in the PDF (reports/templates/tables.typ), rendered by the real path
(Markdown tables of analysis.report.reporting → pandoc with crossref.lua → Typst with the
write-up's template) and read back page by page: one document holds the same long table at many
heights on the page, so every kind of break occurs."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report.messages import messages
from analysis.report.reporting import markdown_table
from tests.pdf_reading import (
    CAPTION,
    comparable,
    continuation_pages,
    continued_tables,
    layout_problems,
    pdf_lines,
    render_body,
    table_break_problems,
)

HEADER = ["ข้อคำถาม", "x̄", "S.D.", "ระดับ"]


def long_table(number: int) -> str:
    """Sixteen body rows: four groups (a bold dimension row over three items), as the item tables;
    higher than the share of the page (tables.typ's ``short-share``) below which a table stays whole."""
    rows = []
    for group in range(1, 5):
        rows.append([f"**ด้านที่ {group}**", "", "", ""])
        rows += [[f"{item}. การให้บริการแก่สมาชิกข้อที่ {item}", "4.50", "0.61", "มากที่สุด"] for item in range(1, 4)]
    return markdown_table(HEADER, rows, "lrrc", caption=f"รายการยาวชุดที่ {number}", widths=[40, 8, 8, 12])


def short_table(number: int) -> str:
    """Five body rows: kept whole, never broken."""
    rows = [[f"{item}. ข้อสั้น", "4.20", "0.70", "มาก"] for item in range(1, 6)]
    return markdown_table(HEADER, rows, "lrrc", caption=f"รายการสั้นชุดที่ {number}", widths=[40, 8, 8, 12])


def render_tables(tmp: Path, language: str = "th") -> Path:
    """A write-up whose body is, for k = 0, 1, …: k one-line paragraphs, a long table, a short one."""
    parts = ["## หัวข้อ"]
    for k in range(14):
        parts += ["ย่อหน้าสั้น"] * k + [long_table(k), short_table(k)]
    body = "\n\n".join(parts) + "\n"
    return render_body(tmp, body, language, **{"table-continued": messages(language)("tables.continued")})


@pytest.fixture(scope="module")
def tables_pdf(tmp_path_factory) -> Path:
    return render_tables(tmp_path_factory.mktemp("tables"))


def test_long_tables_break_with_their_rows_kept_together(tables_pdf):
    """No caption without its header and two rows at the foot of a page, no table continued by
    one row or without its "(ต่อ)" line, no group row ending a page, no heading ending a page."""
    word = messages("th")("tables.continued")
    assert table_break_problems(tables_pdf, word) == []
    assert layout_problems(tables_pdf, heading_size=16.5) == []
    assert continued_tables(tables_pdf) == []


def test_continuation_pages_open_with_the_line_and_the_header(tables_pdf):
    """Each page a table continues on opens with "ตารางที่ n (ต่อ)" (n of a long table: the
    short ones, numbered even, stay whole) and then the header row."""
    word = messages("th")("tables.continued")
    pages = continuation_pages(tables_pdf, word)
    assert len(pages) >= 5, "too few breaks: the document no longer tests them"
    assert all(number % 2 == 1 for _, number, _, _ in pages)  # long tables are 1, 3, 5, …
    header = sorted(comparable("".join(HEADER)))
    assert [p for p, _, _, row in pages if sorted(comparable("".join(ln.text for ln in row))) != header] == []
    for _, _, line, _ in pages:  # the line is set like a caption: bold label, caption size
        assert line.bold_start and line.size > 14, line


def test_short_tables_stay_whole(tables_pdf):
    """A five-row table is never split: its caption and its last row are on one page."""
    lines = pdf_lines(tables_pdf)
    captions = {
        int(m.group(2)): line.page
        for line in lines
        if (m := CAPTION.match(line.text)) and line.bold_start and "(ต่อ)" not in line.text
    }
    last_rows = [line.page for line in lines if comparable(line.text).startswith("5.ข้อสั้น")]
    assert [captions[n] for n in sorted(captions) if n % 2 == 0] == last_rows


def broken_groups(pdf: Path, words: list[str]) -> list[str]:
    """Thai word groups that a line ends inside ("การอำนวยความสะดว" | "ก"), read from the
    PDF's lines in order."""
    from analysis.report.thai_text import word_groups

    groups = {g for word in words for g in word_groups(word) if len(g) >= 3}
    lines = [line.text.strip() for line in pdf_lines(pdf)]
    found = []
    for upper, lower in zip(lines, lines[1:], strict=False):
        for group in groups:
            for cut in range(1, len(group)):
                head, tail = group[:cut], group[cut:]
                if upper.endswith(head) and lower.startswith(tail) and not upper.endswith(group):
                    found.append(f"{head}|{tail}")
    return found
