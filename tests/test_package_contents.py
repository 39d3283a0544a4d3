"""What the submission package holds besides the write-up: the read-me, the questionnaire, the
data dictionary and the tables' headers, all worded from the language catalogues."""

from __future__ import annotations

import pytest

from analysis import paths
from analysis.config.codebook import load_codebook
from analysis.report.messages import messages
from analysis.report.package import data_dictionary
from analysis.report.package_contents import readme_text, sheet_names, with_headers
from analysis.report.questionnaire import label_parts, questionnaire_content, questionnaire_typst, typst_text

MEMBERS = [
    "MANIFEST.json",
    "cleaning/cleaning_summary.json",
    "figures/pdca_cycle.pdf",
    "instrument/questionnaire.docx",
    "report/writeup.pdf",
    "tables/reliability.xlsx",
]


def test_readme_lists_every_member_and_nothing_else():
    text = readme_text(MEMBERS, {"title_th": "การประเมิน", "synthetic": True})
    words = {word for line in text.splitlines() for word in line.split()}
    listed = {w for w in words if ("/" in w and not w.endswith("/")) or w.endswith(".json")}
    assert listed == set(MEMBERS)
    assert "instrument/data_dictionary.xlsx" not in text  # absent, so not listed
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert messages("th")("package.readme.synthetic") in text


def test_readme_refuses_a_member_it_cannot_describe():
    with pytest.raises(ValueError, match="describes extra/thing.txt"):
        readme_text([*MEMBERS, "extra/thing.txt"], {})


def test_questionnaire_has_every_item_numbered_with_the_scale_and_the_parts():
    from analysis.config.study import load_study

    codebook = load_codebook(paths.EXAMPLE_CODEBOOK)
    study = load_study(paths.EXAMPLE_CODEBOOK.parent / "study.yaml")
    q = questionnaire_content(codebook, study)
    assert q.parts[0].startswith("ตอนที่ 1 ") and q.parts[-1] == "ตอนที่ 3 ข้อเสนอแนะ"
    assert q.group_question == "สถานภาพ" and q.group_options == tuple(g.label_th for g in study.groups)
    assert q.open_questions == ("ข้อเสนอแนะเพิ่มเติม",)
    assert [value for value, _parts in q.points] == ["5", "4", "3", "2", "1"]
    assert ["".join(parts) for _value, parts in q.points] == [p.th for p in codebook.points]
    for position, (heading, questions) in enumerate(q.dimensions, start=1):
        assert heading.startswith(f"ด้านที่ {position} ") and not heading.startswith(f"ด้านที่ {position} ด้าน")
        assert questions == tuple(item.text_th for item in codebook.dimensions[position - 1].items)
    bare = questionnaire_content(codebook)  # without a study: the rating part only, no part headings
    assert bare.parts == () and bare.group_question == "" and bare.open_questions == ()
    english = questionnaire_content(codebook, study, "en")
    assert english.parts[0].startswith("Section 1: ") and english.group_question == "Your status"


def test_scale_labels_break_only_between_words():
    assert label_parts("มากที่สุด") == ("มาก", "ที่สุด")
    assert label_parts("น้อยที่สุด") == ("น้อย", "ที่สุด")
    assert label_parts("ปานกลาง") == ("ปาน", "กลาง")
    assert label_parts("มาก") == ("มาก",)
    assert label_parts("Strongly agree") == ("Strongly", "agree")


def test_questionnaire_pdf_keeps_names_whole():
    """ "PHANAT Model" broke across the title's lines: the space inside a name is a no-break
    space, and every Thai word is one box (no line breaks inside it)."""
    text = typst_text("แบบสอบถามตามรูปแบบ PHANAT Model", ("PHANAT Model",))
    assert '#"PHANAT\u00a0Model";' in text and "PHANAT Model" not in text
    assert '#box("แบบสอบถาม");' in text
    codebook = load_codebook(paths.EXAMPLE_CODEBOOK)
    source = questionnaire_typst(questionnaire_content(codebook), ("PHANAT Model",))
    assert source.count("#rating-table(") == len(codebook.dimensions)
    assert '("มาก", "ที่สุด", )' in source


def test_sheet_names_are_thai_valid_and_unique():
    stems = [*messages("th").get("package.sheets"), "new_table", "other:table"]
    names = sheet_names(stems)
    assert len(set(names.values())) == len(names)
    for stem, name in names.items():
        assert 0 < len(name.encode("utf-16-le")) // 2 <= 31, name
        assert not set(name) & set("[]:*?/\\"), name
        assert stem not in name  # not the English file name
    assert names["reliability"] == "ความเชื่อมั่น" and names["new_table"].startswith("ตาราง ")
    long = sheet_names(["a", "b"], "th") | sheet_names(["x" * 40], "en")
    assert all(len(n) <= 31 for n in long.values())
    assert set(messages("th").get("package.sheets")) == set(messages("en").get("package.sheets"))


def test_table_and_dictionary_headers_come_from_the_catalogue():
    import pandas as pd

    table = with_headers(pd.DataFrame(columns=["scale", "mean", "sd", "unknown_column"]))
    assert list(table.columns) == ["ด้าน", "ค่าเฉลี่ย", "ส่วนเบี่ยงเบนมาตรฐาน", "unknown_column"]
    assert list(with_headers(pd.DataFrame(columns=["mean"]), "en").columns) == ["Mean"]
    dictionary = data_dictionary(paths.EXAMPLE_CODEBOOK)
    assert list(dictionary.columns) == list(messages("th").get("package.dictionary.headers").values())
    assert len(dictionary) == 3 + len(load_codebook(paths.EXAMPLE_CODEBOOK).items)


def test_questionnaire_files_are_a4_with_a_bordered_rating_table(tmp_path):
    """The DOCX: A4, TH Sarabun New, each rating table bordered on every side and between all
    cells, a two-row header repeated on a new page with the scale spanning its points; the PDF:
    A4, the title's "PHANAT Model" on one line, grid lines drawn around the boxes to tick."""
    import io
    import zipfile

    import pymupdf
    from docx import Document

    from analysis.config.study import load_study
    from analysis.report.questionnaire import render_questionnaire

    codebook = load_codebook(paths.EXAMPLE_CODEBOOK)
    study = load_study(paths.EXAMPLE_CODEBOOK.parent / "study.yaml")
    files = render_questionnaire(codebook, tmp_path / "q", 1_664_561_700, "th", study, ("PHANAT Model",))
    doc = Document(io.BytesIO(files["questionnaire.docx"]))
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert len(doc.tables) == len(codebook.dimensions)
    for table, dim in zip(doc.tables, codebook.dimensions, strict=True):
        xml = table._tbl.xml
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            assert f'<w:{side} w:val="single"' in xml, side
        assert xml.count("<w:tblHeader/>") == 2 and f'<w:gridSpan w:val="{len(codebook.points)}"/>' in xml
        assert [row.cells[0].text for row in table.rows[2:]] == [str(n) for n in range(1, len(dim.items) + 1)]
    with zipfile.ZipFile(io.BytesIO(files["questionnaire.docx"])) as z:
        assert 'w:ascii="TH Sarabun New"' in z.read("word/styles.xml").decode()
    with pymupdf.open(stream=files["questionnaire.pdf"], filetype="pdf") as pdf:
        assert all(round(page.rect.width) == 595 and round(page.rect.height) == 842 for page in pdf)
        lines = [
            "".join(span["text"] for span in line["spans"])
            for block in pdf[0].get_text("dict")["blocks"]
            for line in block.get("lines", [])
        ]
        assert any("PHANAT" in line and "Model" in line for line in lines), lines[:4]
        rules = len(codebook.items) + len(codebook.dimensions) * (len(codebook.points) + 2)
        assert sum(len(page.get_drawings()) for page in pdf) >= rules  # a line per row and column
