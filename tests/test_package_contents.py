"""What the submission package holds besides the write-up: the read-me, the questionnaire, the
data dictionary and the tables' headers, all worded from the language catalogues."""

from __future__ import annotations

import pytest

from analysis import paths
from analysis.config.codebook import load_codebook
from analysis.report.messages import messages
from analysis.report.package import data_dictionary
from analysis.report.package_contents import questionnaire_markdown, readme_text, with_headers

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


def test_questionnaire_has_every_item_numbered_with_the_scale():
    codebook = load_codebook(paths.EXAMPLE_CODEBOOK)
    text = questionnaire_markdown(codebook)
    for point in codebook.points:
        assert messages("th")("package.questionnaire.point", value=point.value, label=point.th) in text
    for position, dim in enumerate(codebook.dimensions, start=1):
        assert f"## ด้านที่ {position} " in text
        assert f"## ด้านที่ {position} ด้าน" not in text  # not "ด้านที่ 1 ด้าน…"
        for number, item in enumerate(dim.items, start=1):
            assert f"| {number} | {item.text_th} |" in text
    english = questionnaire_markdown(codebook, "en")
    assert all(item.text_en in english for item in codebook.items if item.text_en)


def test_table_and_dictionary_headers_come_from_the_catalogue():
    import pandas as pd

    table = with_headers(pd.DataFrame(columns=["scale", "mean", "sd", "unknown_column"]))
    assert list(table.columns) == ["ด้าน", "ค่าเฉลี่ย", "ส่วนเบี่ยงเบนมาตรฐาน", "unknown_column"]
    assert list(with_headers(pd.DataFrame(columns=["mean"]), "en").columns) == ["Mean"]
    dictionary = data_dictionary(paths.EXAMPLE_CODEBOOK)
    assert list(dictionary.columns) == list(messages("th").get("package.dictionary.headers").values())
    assert len(dictionary) == 3 + len(load_codebook(paths.EXAMPLE_CODEBOOK).items)
