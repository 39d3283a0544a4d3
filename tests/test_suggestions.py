"""Suggestions (analysis.data.suggestions): redaction with counts, Thai segmentation, top words and the
theme x cycle table; planted personal data must never reach the returned structures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.config.themes import Theme, load_themes
from analysis.data import suggestions as sg
from analysis.errors import PhanatError
from analysis.report import reporting as rp
from analysis.report.citations import reference_list

THEMES_FILE = Path(__file__).parent / "fixtures" / "themes.yaml"

PLANTED = {
    "names": ["นายสมชาย ใจดี", "นางสาวสมหญิง รักเรียน", "นางมาลี ศรีสุข"],
    "emails": ["somchai.j@example.com", "malee_s@school.ac.th"],
    "phones": ["081-234-5678", "0898765432", "+66 81 234 5678"],
    "ids": ["1-2345-67890-12-1", "3101200123456"],
    "line": ["somchai_99", "malee.line"],
}
SECRET_FRAGMENTS = [
    "สมชาย", "ใจดี", "สมหญิง", "รักเรียน", "มาลี", "ศรีสุข", "somchai", "malee", "example.com",
    "school.ac.th", "5678", "5432", "67890", "123456",
]  # fmt: skip


def answers_with_personal_data() -> dict[str, pd.Series]:
    c1 = [
        "อยากให้เพิ่มช่องทางการติดต่อออนไลน์",
        f"ขอบคุณ{PLANTED['names'][0]} ที่ให้บริการดีมาก โทร {PLANTED['phones'][0]}",
        f"ควรประชาสัมพันธ์ทุนการศึกษาให้ทั่วถึง ติดต่อ {PLANTED['emails'][0]}",
        f"เอกสารการกู้เงินมีขั้นตอนมากเกินไป เลขบัตร {PLANTED['ids'][0]}",
        "ไม่มี",
        "",
        None,
        "-",
    ]
    c2 = [
        f"{PLANTED['names'][1]} แนะนำให้ลดเอกสาร line id: {PLANTED['line'][0]}",
        f"ระบบออนไลน์ควรใช้งานบนโทรศัพท์มือถือได้ง่าย {PLANTED['phones'][1]}",
        f"ทุนการศึกษาควรเพิ่มจำนวน {PLANTED['names'][2]} {PLANTED['emails'][1]}",
        f"อยากให้เจ้าหน้าที่บริการรวดเร็ว ไลน์ไอดี {PLANTED['line'][1]} โทร {PLANTED['phones'][2]}",
        f"ขอแบบฟอร์มออนไลน์ เลขบัตร {PLANTED['ids'][1]}",
        "ไม่มีข้อเสนอแนะ",
    ]
    return {"C1": pd.Series(c1, dtype=object), "C2": pd.Series(c2, dtype=object)}


@pytest.fixture(scope="module")
def themes() -> dict[str, Theme]:
    return load_themes(THEMES_FILE)


@pytest.fixture(scope="module")
def summary(themes) -> sg.SuggestionSummary:
    return sg.summarise_suggestions(
        answers_with_personal_data(), themes, min_respondents=1, quote_examples=True
    )


def test_redaction_counts_every_kind():
    text = (
        f"{PLANTED['names'][0]} {PLANTED['emails'][0]} {PLANTED['phones'][0]} {PLANTED['phones'][1]} "
        f"{PLANTED['ids'][0]} Line ID: {PLANTED['line'][0]}"
    )
    clean, counts = sg.redact_counting(text)
    assert counts == {"name": 1, "e-mail": 1, "phone": 2, "national-id": 1, "line-id": 1}
    assert not any(s in clean for s in SECRET_FRAGMENTS), clean


def test_no_planted_personal_data_reaches_the_summary(summary):
    dumped = json.dumps(summary.as_dict(), ensure_ascii=False)
    for fragment in SECRET_FRAGMENTS:
        assert fragment not in dumped, fragment
    for values in PLANTED.values():
        for value in values:
            assert value not in dumped, value
    # the examples were quoted (allowed here) and are redacted
    assert summary.quoted and any(
        "[name]" in t or "[phone]" in t for ts in summary.examples.values() for t in ts
    )


def test_redactions_are_counted_per_cycle_and_in_total(summary):
    c1, c2 = summary.cycles
    assert c1["redactions"] == {"name": 1, "phone": 1, "e-mail": 1, "national-id": 1}
    assert c2["redactions"] == {"name": 2, "line-id": 2, "phone": 2, "e-mail": 1, "national-id": 1}
    assert summary.redactions == {"name": 3, "phone": 3, "e-mail": 2, "national-id": 2, "line-id": 2}


def test_blank_and_nothing_answers_are_not_suggestions(summary):
    c1, c2 = summary.cycles
    assert (c1["n_rows"], c1["n_suggestions"]) == (8, 4)
    assert (c2["n_rows"], c2["n_suggestions"]) == (6, 5)


def test_theme_table_counts_and_percentages(summary):
    table = {r["theme"]: r for r in summary.themes}
    assert list(table) == ["บริการ", "ทุนการศึกษา", "ช่องทางออนไลน์", "เอกสาร"]
    # C1: บริการ (answer 2; answer 4 has ขั้นตอน), ทุน (3), ออนไลน์ (1), เอกสาร (4)
    assert [table[t]["count"]["C1"] for t in table] == [2, 1, 1, 1]
    # C2: บริการ (4), ทุน (3), ออนไลน์ (2, 5), เอกสาร (1, 5 แบบฟอร์ม)
    assert [table[t]["count"]["C2"] for t in table] == [1, 1, 2, 2]
    assert table["บริการ"]["percent"]["C1"] == pytest.approx(50.0)
    assert table["เอกสาร"]["percent"]["C2"] == pytest.approx(40.0)
    assert table["ช่องทางออนไลน์"]["count_all"] == 3
    assert table["ช่องทางออนไลน์"]["percent_all"] == pytest.approx(100 * 3 / 9)


def test_examples_only_when_allowed_and_at_most_three(themes):
    closed = sg.summarise_suggestions(answers_with_personal_data(), themes)
    assert closed.examples == {} and not closed.quoted
    many = {"C1": pd.Series([f"เอกสารเยอะ ข้อ {i}" for i in range(6)])}
    opened = sg.summarise_suggestions(many, themes, quote_examples=True)
    assert len(opened.examples["เอกสาร"]) == 3 and opened.examples["บริการ"] == []


def test_a_title_glued_to_the_word_before_is_still_a_name():
    clean, counts = sg.redact_counting("ขอบคุณนายสมชาย ใจดี มากครับ")
    assert "สมชาย" not in clean and "ใจดี" not in clean and counts == {"name": 1}


def test_online_is_not_a_line_id():
    # "ออนไลน์" (online) ends in "ไลน์" (LINE): a number after it is not a LINE ID, and the word stays
    clean, counts = sg.redact_counting("ขอแบบฟอร์มออนไลน์ somchai")
    assert clean == "ขอแบบฟอร์มออนไลน์ somchai" and counts == {}


def test_top_words_are_thai_content_words():
    words = sg.content_words(sg.segment("อยากให้เพิ่มช่องทางการติดต่อออนไลน์ 2 ช่องทาง ๆ !! ๑๒๓"))
    assert "ออนไลน์" in words and "ติดต่อ" in words
    assert not {"ให้", "อยาก", "2", "๑๒๓", "!!", "ๆ"} & set(words)
    answers = {
        "C1": pd.Series(["ทุนการศึกษาน้อย", "ทุนการศึกษาควรเพิ่ม", "เอกสารเยอะ"]),
        "C2": pd.Series(["ทุนการศึกษาดี", "เอกสารเยอะมาก", "ขอบคุณ"]),
    }
    summary = sg.summarise_suggestions(answers, min_respondents=2)
    top = {r["word"]: r for r in summary.top_words}
    assert list(top)[:2] == ["ทุนการศึกษา", "เอกสาร"]
    assert top["ทุนการศึกษา"]["answers"] == 3 and top["ทุนการศึกษา"]["answers_by_cycle"]["C1"] == 2
    assert "ขอบคุณ" not in top  # used by one answer only (< min_respondents)


def test_rare_words_such_as_untitled_names_are_not_listed():
    answers = {"C1": pd.Series(["ประยุทธ์ดูแลดีมาก", "ทุนการศึกษาดี", "ทุนการศึกษาดีมาก", "ทุนการศึกษา"])}
    summary = sg.summarise_suggestions(answers)  # default: a word must appear in >= 3 answers
    assert [r["word"] for r in summary.top_words] == ["ทุนการศึกษา"]


def test_no_answers_is_a_code():
    summary = sg.summarise_suggestions(
        {"C1": pd.Series(["", None, "ไม่มี"]), "C2": pd.Series([], dtype=object)}
    )
    assert summary.code == sg.NO_ANSWERS and summary.top_words == [] and summary.themes == []
    assert [c["n_suggestions"] for c in summary.cycles] == [0, 0]


def test_theme_percent_is_none_for_a_cycle_without_suggestions(themes):
    summary = sg.summarise_suggestions({"C1": pd.Series(["เอกสารมาก"]), "C2": pd.Series(["ไม่มี"])}, themes)
    row = {r["theme"]: r for r in summary.themes}["เอกสาร"]
    assert row["count"]["C2"] == 0 and row["percent"]["C2"] is None and row["percent"]["C1"] == 100.0


def test_bad_themes_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "themes.yaml"
    bad.write_text("บริการ: []\n", encoding="utf-8")
    with pytest.raises(PhanatError, match=r"themes.yaml: theme 'บริการ' needs a non-empty list") as err:
        load_themes(bad)
    assert "\n" not in str(err.value)
    with pytest.raises(PhanatError, match="not found"):
        load_themes(tmp_path / "missing.yaml")


def test_themes_carry_an_english_name_or_none(themes, summary):
    assert themes["บริการ"] == Theme("บริการ", "Service", ("บริการ", "เจ้าหน้าที่", "ขั้นตอน"))
    assert themes["เอกสาร"].name_en == ""  # the short form: keywords only
    names = {r["theme"]: r["name_en"] for r in summary.themes}
    assert names["ช่องทางออนไลน์"] == "Online channels" and names["เอกสาร"] is None


def test_english_edition_names_a_theme_by_name_en_or_says_what_is_missing(summary):
    from analysis.report.reporting import theme_name

    rows = {r["theme"]: r for r in summary.themes}
    suggestions = {"themes_file": "themes.yaml"}
    assert theme_name(rows["บริการ"], suggestions, "en") == "Service"
    assert theme_name(rows["บริการ"], suggestions, "th") == "บริการ"
    missing = theme_name(rows["เอกสาร"], suggestions, "en")
    assert missing == "เอกสาร (no English name yet: add name_en to this theme in themes.yaml)"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("บริการ:\n  name: Service\n  keywords: [บริการ]\n", "theme 'บริการ' has unknown key(s) name"),
        ("บริการ:\n  name_en: [Service]\n  keywords: [บริการ]\n", "theme 'บริการ': name_en must be text"),
        ("บริการ:\n  name_en: Service\n", "theme 'บริการ' needs a non-empty list of keywords"),
    ],
)
def test_a_bad_theme_is_one_line_naming_the_file_and_the_theme(tmp_path, text, problem):
    bad = tmp_path / "themes.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(PhanatError, match=re.escape(f"themes.yaml: {problem}")) as err:
        load_themes(bad)
    assert "\n" not in str(err.value)


def test_answers_by_cycle_joins_columns_per_row():
    data = pd.DataFrame({"s1": ["เอกสารมาก", None, "ทุน"], "s2": ["", "บริการดี", "น้อย"], "x": [1, 2, 3]})
    cycles = pd.Series(["C1", "C1", "C2"])
    got = sg.answers_by_cycle(data, ["s1", "s2"], cycles, ["C1", "C2", "C3"])
    assert list(got["C1"]) == ["เอกสารมาก", "บริการดี"] and list(got["C2"]) == ["ทุน น้อย"]
    assert got["C3"].empty
    with pytest.raises(PhanatError, match="s9"):
        sg.answers_by_cycle(data, ["s9"], cycles, ["C1"])


# --------------------------------------------------------------------------- the write-up's words
SUMMARY = {
    "code": "ok",
    "cycles": [
        {"cycle": "C1", "n_rows": 50, "n_suggestions": 10, "redactions": {}},
        {"cycle": "C2", "n_rows": 60, "n_suggestions": 20, "redactions": {"name": 1}},
        {"cycle": "C3", "n_rows": 0, "n_suggestions": 0, "redactions": {}},
    ],
    "themes": [
        {"theme": "บริการ", "count": {"C1": 6, "C2": 4, "C3": 0},
         "percent": {"C1": 60.0, "C2": 20.0, "C3": None}, "count_all": 10, "percent_all": 100 / 3},
        {"theme": "ทุนการศึกษา", "count": {"C1": 1, "C2": 9, "C3": 0},
         "percent": {"C1": 10.0, "C2": 45.0, "C3": None}, "count_all": 10, "percent_all": 100 / 3},
    ],
    "top_words": [
        {"word": "เอกสาร", "answers": 7, "count": 8, "answers_by_cycle": {"C1": 5, "C2": 2, "C3": 0}},
        {"word": "ออนไลน์", "answers": 6, "count": 6, "answers_by_cycle": {"C1": 1, "C2": 5, "C3": 0}},
    ],
    "examples": {}, "quoted": False, "min_answers": 3, "n_columns": 1, "themes_file": "themes.yaml",
    "redactions": {"name": 1},
}  # fmt: skip
NAMES = {"C1": "วงรอบที่ 1", "C2": "วงรอบที่ 2", "C3": "วงรอบที่ 3"}


def test_theme_table_is_sorted_by_the_report_cycle_with_n_in_the_header():
    table = rp.suggestion_theme_table_md(SUMMARY, NAMES, "C2", caption="ข้อเสนอแนะ (ความถี่)")
    lines = table.splitlines()
    header = "| ข้อเสนอแนะ | ความถี่ วงรอบที่ 1 (n = 10) | ร้อยละ | ความถี่ วงรอบที่ 2 (n = 20) | ร้อยละ |"
    assert lines[0] == header.replace(" = ", "\u00a0=\u00a0")  # "n = 10" never wraps
    assert lines[2] == "| ทุนการศึกษา | 1 | 10.00 | 9 | 45.00 |" and lines[3].startswith("| บริการ | 6 |")
    assert "วงรอบที่ 3" not in table  # no suggestions in that cycle: no column
    first = rp.suggestion_theme_table_md(SUMMARY, NAMES, "C1", caption="x")
    assert first.splitlines()[2].startswith("| บริการ |") and "วงรอบที่ 2" not in first  # up to the report cycle


def test_word_table_and_sentences_in_both_languages():
    words = rp.suggestion_word_table_md(SUMMARY, NAMES, "C2", caption="x", language="en")
    header = "| Word | วงรอบที่ 1 (n = 10) | วงรอบที่ 2 (n = 20) | Total |"
    assert words.splitlines()[0] == header.replace(" = ", "\u00a0=\u00a0")
    assert words.splitlines()[2] == "| ออนไลน์ | 1 | 5 | 6 |"
    th = rp.suggestions_sentence(SUMMARY, "C2", "วงรอบที่ 2", "th")
    assert "เพิ่มเติม 20 คน จากทั้งหมด 60 คน (ร้อยละ 33.33)" in th
    assert "คือ “ทุนการศึกษา” (9 คน คิดเป็นร้อยละ 45.00 ของผู้ที่เขียนข้อเสนอแนะ)" in th
    en = rp.suggestions_sentence(SUMMARY, "C2", "Cycle 2", "en")
    assert en.startswith("In Cycle 2, 20 of the 60 respondents (33.33%) wrote a suggestion.")
    none = rp.suggestions_sentence({**SUMMARY, "code": "no_answers"}, "C2", "วงรอบที่ 2", "th")
    assert none == "ไม่มีผู้ตอบแบบสอบถามในวงรอบที่ 2 เขียนข้อเสนอแนะเพิ่มเติม"


def test_a_quoted_answer_is_literal_markdown_with_placeholders_in_the_edition_words():
    text = "[name] ขอ *ด่วน* [ลิงก์](http://x.y) @cite # $x$ | <b>"
    th = rp.quoted_answer(text, "th")
    assert th.startswith("“\\[ชื่อ\\] ขอ \\*ด่วน\\* \\[ลิงก์\\]\\(http") and th.endswith("”")
    assert not re.search(r"(?<!\\)[*\[\]@#$|<>]", th)
    assert rp.quoted_answer("โทร [phone]", "en") == "“โทร \\[phone number\\]”"


def test_methods_name_pythainlp_and_the_reference_list_cites_it():
    for key, word in (("themes", "ตามคำสำคัญ"), ("top_words", "คำที่พบบ่อย")):
        only = {**SUMMARY, "themes": SUMMARY["themes"] if key == "themes" else []}
        lines = rp.statistics_used({"suggestions": only}, "th")
        assert any("PyThaiNLP (Phatthiyaphaibun et al., 2023)" in line and word in line for line in lines)
    assert rp.statistics_used({"suggestions": {**SUMMARY, "code": "no_answers"}}, "en")[-1].startswith(
        "Percentages"
    )
    cited = reference_list(rp.statistics_used({"suggestions": SUMMARY}, "en"), [])
    assert any(r.startswith("Phatthiyaphaibun, W., Chaovavanich, K.") for r in cited)
