"""The PDF of a Thai paragraph, rendered by the real path (pandoc → thai_text → Typst with the
write-up's template): lines break only between words, and the text layer is the source text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from analysis import paths
from analysis.report import render as render_module
from analysis.report.pdf_text import anchor_cluster_ends
from analysis.report.thai_text import CONNECTIVES, line_breaks_allowed, segment
from tests.pdf_reading import (
    comparable,
    mupdf_pages,
    pdf_lines,
    poppler_pages,
    render_body,
    text_layer_differences,
)

# A paragraph of the write-up in which Typst's own segmenter broke words ("ม|อบทุน",
# "เทคโนโล|ยี", "มากที่|สุด"), with stacked marks that doubled in the text layer.
PARAGRAPH = (
    "กองทุนฯ มอบทุนการศึกษาแก่นักเรียนที่ขาดแคลนทุนทรัพย์และจัดสวัสดิการแก่สมาชิกอย่างเท่าเทียมกัน "
    "ผู้ตอบแบบสอบถามมีความพึงพอใจต่อการนำเทคโนโลยีสารสนเทศมาใช้ในการบริหารจัดการอยู่ในระดับมากที่สุด "
    "ค่าความเชื่อมั่นของแบบสอบถามทั้งฉบับเท่ากับ 0.93 ขนาดกลุ่มตัวอย่างขั้นต่ำตามตารางของ Krejcie และ Morgan "
    "คือ 327 คน ทั้งนี้ คณะกรรมการได้ปรับปรุงขั้นตอนการให้บริการแบบเบ็ดเสร็จ ณ จุดเดียว และนำเทคโนโลยีมาใช้"
    "ในการจัดเก็บข้อมูลสมาชิก ประมวลผลข้อมูล สื่อสารกับสมาชิกผ่านระบบออนไลน์ และให้บริการสมาชิก"
    "ได้อย่างรวดเร็วทั่วถึงมากที่สุดเท่าที่จะเป็นไปได้ ตั้งแต่วงรอบที่ 1 จนถึงวงรอบที่ 2 ซึ่งผลการประเมิน"
    "แสดงว่าสมาชิกมีความเชื่อมั่นต่อกองทุนเพิ่มขึ้นในทุกด้าน"
)

# Typst alone breaks this one inside the segmenter's word "ทุนการ|ศึกษา".
REPEATED = "คณะกรรมการกองทุนมอบทุนการศึกษาให้นักเรียนและนำเทคโนโลยีมาใช้ในการบริหารงานจนสมาชิกพึงพอใจมากที่สุด " * 3


def render_paragraph(tmp: Path, text: str) -> Path:
    """The PDF of ``text`` as the body of the write-up (title page first)."""
    return render_body(tmp, f"## หัวข้อ\n\n{text}\n")


def line_ends(pdf: Path, text: str) -> list[int]:
    """Offsets in ``comparable(text)`` where the PDF's lines of the paragraph end."""
    lines = [comparable(line.text) for line in pdf_lines(pdf) if line.page > 1][1:]  # heading first
    assert "".join(lines) == comparable(text), "the PDF's lines are not the paragraph"
    ends, pos = [], 0
    for line in lines[:-1]:
        pos += len(line)
        ends.append(pos)
    return ends


def allowed_ends(text: str) -> set[int]:
    """The segmenter's break offsets in ``text``, mapped to ``comparable(text)``."""
    return {len(comparable(text[:i])) for i in line_breaks_allowed(text)}


def word_ends(text: str) -> dict[int, str]:
    """The segmenter's words of ``text`` by their end offset in ``comparable(text)``."""
    ends, pos = {}, 0
    for word in segment(text):
        pos += len(comparable(word))
        ends[pos] = word
    return ends


@pytest.mark.parametrize("text", [PARAGRAPH, REPEATED], ids=["write-up", "repeated"])
def test_lines_break_only_between_words(tmp_path, text):
    pdf = render_paragraph(tmp_path, text)
    ends = line_ends(pdf, text)
    assert len(ends) >= 4, "the paragraph should fill several lines"
    allowed = allowed_ends(text)
    squeezed = comparable(text)
    bad = [f"{squeezed[e - 12 : e]}|{squeezed[e : e + 8]}" for e in ends if e not in allowed]
    assert not bad, f"lines broken where the segmenter and the glue rules allow no break: {bad}"
    words = word_ends(text)
    assert all(e in words for e in ends), "a line broken inside a word"
    assert not [e for e in ends if words[e] in CONNECTIVES], "a line ends with a connective"


def test_without_word_groups_typst_breaks_inside_words(tmp_path, monkeypatch):
    """The check above can fail: Typst's own segmenter breaks inside a word ("ทุนการ|ศึกษา")."""
    monkeypatch.setattr(render_module, "break_json", lambda ast, target, keep=(): ast)
    pdf = render_paragraph(tmp_path, REPEATED)
    words = word_ends(REPEATED)
    assert [e for e in line_ends(pdf, REPEATED) if e not in words]


def test_text_layer_is_the_paragraph(tmp_path):
    pdf = render_paragraph(tmp_path, PARAGRAPH)
    units = ["หัวข้อ", PARAGRAPH]
    assert text_layer_differences(units, mupdf_pages(pdf)[1:]) == []
    pages = poppler_pages(pdf)
    if pages is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    assert text_layer_differences(units, pages[1:]) == []


def test_with_sarabun_the_text_layer_doubles_stacked_marks(tmp_path):
    """Why the PDF uses Norasi: the same paragraph in Sarabun extracts as "ความเชื่อมั่มั่น"."""
    template = paths.TEMPLATES_DIR / "phanat.typ"
    text = template.read_text(encoding="utf-8")
    assert '#set text(font: ("Norasi", "Sarabun", "Libertinus Serif")' in text
    shutil.copytree(paths.TEMPLATES_DIR, tmp_path / "templates")
    (tmp_path / "templates" / "phanat.typ").write_text(
        text.replace('font: ("Norasi", "Sarabun", "Libertinus Serif")', 'font: "Sarabun"'), encoding="utf-8"
    )
    original = paths.TEMPLATES_DIR
    try:
        paths.TEMPLATES_DIR = tmp_path / "templates"
        pdf = render_paragraph(tmp_path / "sarabun", PARAGRAPH)
    finally:
        paths.TEMPLATES_DIR = original
    differences = text_layer_differences(["หัวข้อ", PARAGRAPH], mupdf_pages(pdf)[1:])
    assert differences and "มั่มั่น" in mupdf_pages(pdf)[1]


# Words whose clusters Typst writes as ActualText spans with marks shifted left (Norasi): poppler's
# layout mode read "เนื่ องจาก" and "ฟื้ นฟู" before analysis.report.pdf_text anchored the spans.
STACKED = (
    "ควรพัฒนาด้านการนำเทคโนโลยีมาใช้ในการบริหารจัดการเป็นลำดับแรก เนื่องจากมีค่าเฉลี่ยต่ำที่สุด "
    "และควรฟื้นฟูความเชื่อมั่นของสมาชิกที่มีต่อกองทุน เนื่องจากสมาชิกยังขาดความเชื่อมั่นในขั้นตอนการกู้ยืม"
)


def layout_text(pdf: Path) -> str:
    """What ``pdftotext`` gives in its default (layout) mode, as copy and paste in poppler-based
    viewers does, with the line ends joined (a Thai line break is not a space)."""
    proc = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return "".join(line.strip() for line in proc.stdout.splitlines())


def broken_words(text: str, extracted: str) -> list[str]:
    """The space-separated pieces of ``text`` that the extracted text does not hold whole."""
    return [word for word in text.split() if word not in extracted]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_layout_text_keeps_stacked_marks_in_their_word(tmp_path):
    pdf = render_paragraph(tmp_path, STACKED)
    assert broken_words(STACKED, layout_text(pdf)) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_without_anchoring_layout_text_splits_stacked_marks(tmp_path, monkeypatch):
    """The check above can fail: Typst's own PDF reads "เนื่ องจาก"."""
    monkeypatch.setattr(render_module, "anchor_cluster_ends", lambda path: 0)
    pdf = render_paragraph(tmp_path, STACKED)
    assert "เนื่ องจาก" in layout_text(pdf)
    assert broken_words(STACKED, layout_text(pdf))


def test_anchoring_moves_no_glyph(tmp_path, monkeypatch):
    """Redrawn in another order, every glyph lands where it was: at 150 dpi the pages differ by
    at most one grey level (antialiasing of overlapping edges), where a moved glyph changes whole
    strokes."""
    import numpy as np
    import pymupdf

    monkeypatch.setattr(render_module, "anchor_cluster_ends", lambda path: 0)
    plain = render_paragraph(tmp_path / "plain", STACKED)
    anchored = tmp_path / "anchored.pdf"
    shutil.copyfile(plain, anchored)
    assert anchor_cluster_ends(anchored) > 0
    with pymupdf.open(plain) as a, pymupdf.open(anchored) as b:
        assert len(a) == len(b)
        for page_a, page_b in zip(a, b, strict=True):
            pixels = [
                np.frombuffer(p.get_pixmap(dpi=150).samples, np.uint8).astype(int) for p in (page_a, page_b)
            ]
            assert np.abs(pixels[0] - pixels[1]).max() <= 1
