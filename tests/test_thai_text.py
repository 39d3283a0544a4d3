"""Thai line breaking by words (analysis.report.thai_text): segmentation, groups and the pandoc AST."""

from __future__ import annotations

import json
import subprocess

import pytest

from analysis.report.thai_text import (
    CONNECTIVES,
    HTML_CLASS,
    NBSP,
    break_document,
    glue_space,
    line_breaks_allowed,
    segment,
    word_groups,
)

# Words Typst's own segmenter broke in the write-up: ม|อบทุน, เทคโนโล|ยี, มากที่|สุด.
BROKEN_BY_TYPST = "มอบทุนการศึกษาและการนำเทคโนโลยีมาใช้อยู่ในระดับมากที่สุด"


def test_newmm_keeps_the_words_typst_broke():
    words = segment(BROKEN_BY_TYPST)
    assert "".join(words) == BROKEN_BY_TYPST
    assert {"มอบ", "เทคโนโลยี", "มากที่สุด"} <= set(words)  # "มากที่สุด": a domain word, whole


def test_groups_glue_connectives_to_the_next_word():
    groups = word_groups(BROKEN_BY_TYPST)
    assert "".join(groups) == BROKEN_BY_TYPST
    for group in groups:
        assert segment(group)[-1] not in CONNECTIVES, group
    assert "และการนำ" in groups


def test_punctuation_and_numbers_stay_with_their_word():
    groups = word_groups("ระดับมากที่สุด(ร้อยละ16.53)")
    assert groups[-1].endswith("(ร้อยละ16.53)")


def test_spaces_after_connectives_and_between_numbers_and_units_do_not_break():
    text = "ผู้ตอบ จำนวน 360 คน และ ร้อยละ 16.53 ตารางที่ 1 ค่าเฉลี่ย"
    breaks = line_breaks_allowed(text)
    before = {text[:i].rstrip().split(" ")[-1] for i in breaks}
    assert "จำนวน" not in before and "360" not in before and "และ" not in before
    assert "ตารางที่" not in before and "ร้อยละ" not in before
    assert "ผู้ตอบ" in before and "คน" in before


def test_names_kept_whole_are_not_split():
    name = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาชลบุรี"
    assert len(segment(name)) > 1
    assert segment(name, keep=(name,)) == [name]


def _ast(markdown: str) -> dict:
    import pypandoc

    out = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "json"],
        input=markdown.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out)


def _raw(ast: dict, fmt: str) -> list[str]:
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "RawInline" and node["c"][0] == fmt:
                found.append(node["c"][1])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(ast)
    return found


def test_typst_boxes_cover_every_thai_letter_once():
    ast = break_document(_ast(f"# หัวข้อ\n\n{BROKEN_BY_TYPST} ใน **ตารางที่ 1** `code ไทย`\n"), "typst")
    boxes = _raw(ast, "typst")
    assert all(b.startswith('#box("') and b.endswith('");') for b in boxes)
    inside = "".join(b[6:-3] for b in boxes)
    assert inside == "หัวข้อ" + BROKEN_BY_TYPST + "ใน" + "ตารางที่"
    assert {"t": "Str", "c": NBSP} in ast["blocks"][1]["c"][-3]["c"]  # ตารางที่~1
    assert json.dumps(ast, ensure_ascii=False).count("code ไทย") == 1  # code is left alone


def test_connective_before_emphasis_and_soft_break_is_glued():
    ast = break_document(_ast("ข้อมูลใน **ตารางที่ 1** และ\nภาพที่ 2\n"), "typst")
    inlines = ast["blocks"][0]["c"]
    spaces = [el for el in inlines if el["t"] in ("Space", "SoftBreak") or el == {"t": "Str", "c": NBSP}]
    nbsp, space = {"t": "Str", "c": NBSP}, {"t": "Space"}
    assert spaces == [nbsp, space, nbsp, nbsp]  # ใน~**ตารางที่ 1** และ~ภาพที่~2


def test_html_spans_and_wbr():
    ast = break_document(_ast(f"{BROKEN_BY_TYPST}\n"), "html")
    (raw,) = _raw(ast, "html")
    assert raw.count(f'<span class="{HTML_CLASS}">') == raw.count("<wbr>") + 1
    assert raw.replace("<wbr>", "").replace(f'<span class="{HTML_CLASS}">', "").replace("</span>", "") == (
        BROKEN_BY_TYPST
    )


def test_metadata_is_treated_for_typst_only():
    ast = _ast(f"---\ntitle: {BROKEN_BY_TYPST}\n---\n\nข้อความ\n")
    assert _raw({"m": break_document(ast, "typst")["meta"]}, "typst")
    assert break_document(ast, "html")["meta"] == ast["meta"]  # <title> takes no markup


def test_unknown_target():
    with pytest.raises(ValueError):
        break_document({"blocks": []}, "docx")


def test_methods_named_in_thai_stay_whole():
    """Transliterated names newmm's dictionary lacks are kept whole (catalogue/thai_words.txt):
    a committee saw "ของค|รอนบาค" and "บูตสแตรปแบบเปอร์|เซ็นไทล์" in the PDF."""
    from analysis.report.thai_text import domain_words, segment

    assert all(segment(word) == [word] for word in domain_words())
    text = "สัมประสิทธิ์แอลฟาของครอนบาคและช่วงความเชื่อมั่นแบบบูตสแตรปแบบเปอร์เซ็นไทล์"
    groups = word_groups(text)
    assert "".join(groups) == text
    for word in ("ครอนบาค", "บูตสแตรป", "เปอร์เซ็นไทล์"):
        assert any(word in group for group in groups), (word, groups)


def test_number_ranges_and_t_test_do_not_break_at_their_dash():
    # the PDF broke "ค่าเฉลี่ย (1–|5)" and "(paired t-|test)" at the dash (issue 13 review)
    text = "หน่วย ค่าเฉลี่ย (1–5) ช่วง 4.21–4.50, (paired t-test) และ Kruskal–Wallis\n"
    ast = break_document(_ast(text), "typst")
    boxes = _raw(ast, "typst")
    assert {'#box("(1–5)");', '#box("4.21–4.50,");', '#box("t-test)");'} <= set(boxes)
    assert not any("Kruskal" in b for b in boxes)  # a name may still break at its dash in a narrow column
    html = _raw(break_document(_ast("ค่าเฉลี่ย (1–5)\n"), "html"), "html")
    assert f'<span class="{HTML_CLASS}">(1–5)</span>' in html


def test_a_range_in_parentheses_may_start_a_line():
    assert not glue_space("ค่าเฉลี่ย", "(1–5)")
    assert glue_space("จำนวน", "27")  # a number still stays with the word before it


def test_a_test_letter_stays_with_its_name_and_table_numbers_with_their_word():
    assert glue_space("Mann–Whitney", "U)") and glue_space("Kruskal–Wallis", "H,")
    assert glue_space("Welch’s", "t") and not glue_space("and", "a") and not glue_space("personnel", "M")
    text = "การทดสอบ Mann–Whitney U) ดังตารางที่ 4 ซึ่งแตกต่างกัน"
    breaks = line_breaks_allowed(text)
    assert text.index(" U)") not in breaks and text.index("U)") not in breaks
    assert text.index("ที่ 4") not in breaks and text.index("ต่างกัน") not in breaks


def test_an_interval_stays_whole():
    """ "[−0.02, 0.11]" broke after its comma in the English appendix's narrow CI column; an
    interval is one piece, in a cell and in running text ("ร้อยละ 90 [0.024, 0.041], SRMR")."""
    assert glue_space("[−0.02,", "0.11]") and glue_space("[0.024,", "0.041],")
    assert not glue_space("0.41,", "0.46") and not glue_space("(0.41,", "0.46)")  # not a bracketed interval
