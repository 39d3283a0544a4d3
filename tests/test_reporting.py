"""Thai and English results text against the published summary of seed 000."""

import re

from analysis.report.reporting import (
    dimension_table_md,
    markdown_table,
    results_paragraph,
)

# Published result (shared/seeds/000): overall 4.34, S.D. 0.78, highest level; dimensions high to low.
PUBLISHED = [
    ("PAR", "การดำเนินการอย่างเท่าเทียม", "Parity", 4.67, 1),
    ("HAP", "ความสุข ความพึงพอใจ", "Happy", 4.32, 3),
    ("ACC", "การอำนวยความสะดวก", "Accommodation", 4.21, 5),
    ("NET", "การสร้างเครือข่ายความร่วมมือ", "Network", 4.43, 2),
    ("AST", "การให้ความช่วยเหลือ", "Assistance", 4.26, 4),
    ("TEC", "การนำเทคโนโลยีมาใช้ในการบริหารจัดการ", "Technology", 4.16, 6),
]
DIMS = [
    {
        "dimension": c,
        "order": i + 1,
        "name_th": th,
        "name_en": en,
        "mean": m,
        "sd": 0.5,
        "rank": r,
        "level_th": "มากที่สุด",
        "level_en": "highest",
    }
    for i, (c, th, en, m, r) in enumerate(PUBLISHED)
]
OVERALL = {
    "mean": 4.34,
    "sd_respondents": 0.78,
    "sd_pooled": 0.9,
    "level_th": "มากที่สุด",
    "level_en": "highest",
}


def test_thai_paragraph_states_level_numbers_and_order():
    text = results_paragraph(DIMS, OVERALL, subject="ผลการประเมินพบว่า", language="th")
    assert "โดยภาพรวมอยู่ในระดับมากที่สุด (x̄ = 4.34, S.D. = 0.78)" in text
    order = re.findall(r"ด้าน(\S+(?: \S+)?) \(x̄ = (\d\.\d\d)\)", text)
    assert [float(m) for _, m in order] == [4.67, 4.43, 4.32, 4.26, 4.21, 4.16]
    assert text.index("ด้านการดำเนินการอย่างเท่าเทียม") < text.index("ด้านการสร้างเครือข่ายความร่วมมือ")
    assert text.endswith("ตามลำดับ") and "และด้านการนำเทคโนโลยีมาใช้ในการบริหารจัดการ" in text


def test_english_paragraph():
    text = results_paragraph(DIMS, OVERALL, subject="The rating", language="en")
    assert "highest level overall (M = 4.34, SD = 0.78)" in text
    assert (
        text.index("Parity (M = 4.67)")
        < text.index("Network (M = 4.43)")
        < text.index("Technology (M = 4.16)")
    )


def test_a_table_set_smaller_in_the_pdf_carries_a_scoped_typst_rule():
    md = markdown_table(["a", "b"], [["1", "2"]], "lr", "cap", "tbl-x", [30, 10], points=12)
    assert md.startswith("::: {.smaller-table}\n```{=typst}\n#show table: set text(size: 12pt)\n```")
    assert md.rstrip().endswith(":::") and ": cap {#tbl-x}" in md
    assert "smaller-table" not in markdown_table(["a", "b"], [["1", "2"]], "lr", "cap", "tbl-x", [30, 10])


def test_markdown_table_caption_label_and_widths():
    md = markdown_table(["a", "b"], [["1", "x|y"]], "lr", "cap", "tbl-x", [30, 10])
    lines = md.splitlines()
    assert lines[1] == "|:" + "-" * 30 + "|" + "-" * 10 + ":|"
    assert "x\\|y" in lines[2] and lines[-1] == ": cap {#tbl-x}"


def test_dimension_table_rows_in_codebook_order_with_overall_last():
    md = dimension_table_md({"dimensions": DIMS, "overall": OVERALL}, caption="c")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows[0].startswith("| 1. ด้านการดำเนินการอย่างเท่าเทียม") and "| 4.67 |" in rows[0]
    assert rows[-1].startswith("| **โดยภาพรวม**") and "**4.34**" in rows[-1] and "**0.78**" in rows[-1]


def test_thai_digits_and_years():
    from analysis.report.reporting import apply_text_options, format_year, to_thai_digits

    text = results_paragraph(DIMS, OVERALL, subject="ผลการประเมิน", language="th")
    thai = apply_text_options(text, thai_digits=True)
    assert "(x̄ = ๔.๓๔, S.D. = ๐.๗๘)" in thai and not re.search(r"[0-9]", thai)
    assert apply_text_options(text, thai_digits=False) == text
    assert to_thai_digits("2564") == "๒๕๖๔"
    assert format_year(2021) == "พ.ศ. 2564" and format_year(2021, "CE") == "ค.ศ. 2021"
    assert format_year(2021, "BE", "en") == "B.E. 2564"


def test_group_table_and_sentence_name_the_tests():
    from analysis.report.reporting import group_sentence, group_table_md

    comp = {
        "scale": "PAR",
        "groups": ["teacher", "pensioner"],
        "means": [4.5, 4.1],
        "sds": [0.5, 0.6],
        "test": "Welch's t-test",
        "statistic": 3.21,
        "p": 0.0004,
        "effect_size": 0.71,
        "effect_size_name": "Hedges' g",
        "kruskal_p": 0.002,
        "note": "",
    }
    table = group_table_md([comp], {"PAR": "ด้านเท่าเทียม"}, {"teacher": "ครู"}, caption="c")
    assert "t = 3.21, p < .001" in table and "ครู x̄ (S.D.)" in table and "4.50 (0.50)" in table
    sentence = group_sentence([comp], {"PAR": "ด้านเท่าเทียม"}, "สถานภาพ")
    assert "ด้วยการทดสอบทีของ Welch และการทดสอบของ Kruskal–Wallis" in sentence
    assert "ด้านเท่าเทียม แตกต่างกัน" in sentence and "Welch's" not in sentence + table
    en = group_sentence([comp], {"PAR": "Parity"}, language="en")
    assert en.startswith("Welch's t-test and the Kruskal–Wallis test were used to compare the respondents by")
    assert "the groups differed significantly at the .05 level in Parity." in en
    en_table = group_table_md([comp], {"PAR": "Parity"}, {"teacher": "Teachers"}, caption="c", language="en")
    assert "Welch's t-test" in en_table and "Teachers M (SD)" in en_table


def test_three_groups_stack_every_mean_over_its_sd_in_the_pdf():
    """Three group columns are narrow in the PDF: each mean stands over its S.D. by a
    Typst-only line break, in every cell alike (two groups keep "4.50 (0.50)" on one line)."""
    from analysis.report.reporting import TYPST_LINE_BREAK, group_table_md

    three = {
        "scale": "PAR", "groups": ["a", "b", "c"], "means": [4.5, 4.16, 4.3], "sds": [0.5, 0.76, 0.6],
        "test": "Welch's ANOVA", "statistic": 1.28, "p": 0.285, "effect_size": 0.006,
        "effect_size_name": "eta squared", "kruskal_p": 0.437, "note": "",
    }  # fmt: skip
    table = group_table_md([three], {"PAR": "ด้านเท่าเทียม"}, {}, caption="c")
    assert all(
        f"{m} {TYPST_LINE_BREAK}({s})" in table
        for m, s in [("4.50", "0.50"), ("4.16", "0.76"), ("4.30", "0.60")]
    )
    two = {**three, "groups": ["a", "b"], "means": [4.5, 4.16], "sds": [0.5, 0.76]}
    assert TYPST_LINE_BREAK not in group_table_md([two], {"PAR": "ด้านเท่าเทียม"}, {}, caption="c")


def test_custom_criterion_from_the_study_config(study_dir):
    import yaml

    from analysis.run.pipeline import load_context

    study = yaml.safe_load((study_dir / "study.yaml").read_text(encoding="utf-8"))
    study["interpretation"]["criterion"] = "custom"
    study["interpretation"]["custom"] = {
        "name_th": "เกณฑ์ของหน่วยงาน",
        "name_en": "Office bands",
        "bands": [
            {"min": 4.5, "max": 5.0, "level": 3, "th": "ดีเยี่ยม", "en": "excellent"},
            {"min": 3.0, "max": 4.49, "level": 2, "th": "ดี", "en": "good"},
            {"min": 1.0, "max": 2.99, "level": 1, "th": "ปรับปรุง", "en": "improve"},
        ],
    }
    (study_dir / "study.yaml").write_text(yaml.safe_dump(study, allow_unicode=True), encoding="utf-8")
    ctx = load_context(study_dir / "x.csv", study_dir / "codebook.yaml", study_dir / "study.yaml", study_dir)
    from analysis.stats.interpretation import interpret_mean

    assert ctx.criterion.name_th == "เกณฑ์ของหน่วยงาน"
    assert (
        interpret_mean(4.34, ctx.criterion).th == "ดี" and interpret_mean(4.5, ctx.criterion).en == "excellent"
    )


def test_the_cycle_and_item_findings_are_said_in_words():
    from analysis.report.reporting import item_findings, pdca_findings

    comparisons = [
        {"scale": "PAR", "verdict": "improved"},
        {"scale": "TEC", "verdict": "declined"},
        {"scale": "overall", "verdict": "improved"},
    ]
    text = pdca_findings(
        {"comparisons": comparisons}, {"PAR": "ด้านก", "TEC": "ด้านข"}, ("วงรอบที่ 1", "วงรอบที่ 2")
    )
    assert text.startswith(
        "ผลการเปรียบเทียบ พบว่า ความคิดเห็นโดยภาพรวมในวงรอบที่ 2 สูงกว่าวงรอบที่ 1 อย่างมีนัยสำคัญทางสถิติที่ระดับ .05"
    )
    assert "ด้านที่เพิ่มขึ้นอย่างมีนัยสำคัญทางสถิติ คือ ด้านก" in text and "ด้านที่ลดลงอย่างมีนัยสำคัญทางสถิติ คือ ด้านข" in text
    comparisons.insert(0, {"scale": "HAP", "verdict": "improved"})
    names = {"PAR": "Parity", "HAP": "Happy", "TEC": "Technology"}
    text = pdca_findings({"comparisons": comparisons}, names, ("Cycle 1", "Cycle 2"), "en")
    assert "the dimensions that rose significantly were Happy and Parity" in text
    assert "the only dimension that fell significantly was Technology." in text  # one: singular
    items = {
        "items": [{"text_th": "ก", "mean": 4.2}, {"text_th": "ข", "mean": 3.9}, {"text_th": "ค", "mean": 4.5}]
    }
    assert item_findings(items) == (
        "ผลการประเมินรายข้อ พบว่า ข้อที่มีค่าเฉลี่ยสูงที่สุด คือ “ค” (x̄ = 4.50) ส่วนข้อที่มีค่าเฉลี่ยต่ำที่สุด คือ “ข” (x̄ = 3.90)"
    )


def small_results() -> dict:
    """Results with the published dimensions and two items in each (PAR1, PAR2, HAP1, ...)."""
    items = [
        {"item": f"{d['dimension']}{k}", "dimension": d["dimension"], "text_th": f"ข้อความ {k}", "mean": 4.0}
        for d in DIMS
        for k in (1, 2)
    ]
    return {"descriptives": {"dimensions": DIMS, "items": items, "overall": OVERALL}}


def test_reliability_warnings_are_codes_said_with_item_numbers_in_both_languages():
    from analysis.report.reporting import reliability_warning_text

    results = small_results()
    negative = ["negative_item_rest_r", "PAR", "PAR2", -0.123]
    assert reliability_warning_text(negative, results, "th") == (
        "ข้อ 2 ในด้านการดำเนินการอย่างเท่าเทียม มีสหสัมพันธ์กับคะแนนรวมของข้ออื่นเป็นลบ (r = -0.12)"
        " ควรตรวจสอบว่าเป็นข้อคำถามเชิงลบที่ต้องกลับคะแนนหรือไม่"
    )
    assert reliability_warning_text(negative, results, "en") == (
        "Item 2 in Parity correlates negatively with the rest (r = -0.12); "
        "check whether it should be reverse-keyed"
    )
    flipped = ["negative_loading", "overall", "PAR2, TEC1", 0.0]
    assert reliability_warning_text(flipped, results, "th").startswith(
        "ข้อ 2 ด้านการดำเนินการอย่างเท่าเทียม และข้อ 1 ด้านการนำเทคโนโลยีมาใช้ในการบริหารจัดการ"
        " ในแบบสอบถามทั้งฉบับ มีน้ำหนักองค์ประกอบเป็นลบ"
    )
    assert reliability_warning_text(flipped, results, "en").startswith(
        "item 2 of Parity and item 1 of Technology in the whole questionnaire: negative loading"
    )
    single = ["fewer_than_two_items", "PAR", "", 1.0]  # no item named: the scale is the subject
    assert (
        reliability_warning_text(single, results, "en")
        == "Parity has fewer than two items, so alpha is not defined"
    )
    flat = ["zero_variance", "HAP", "HAP1", 0.0]
    flat_th = reliability_warning_text(flat, results, "th")
    assert flat_th.startswith("ข้อ 1 ในด้านความสุข ความพึงพอใจ ไม่มีความแปรปรวน")


def test_cfa_loadings_name_each_dimension_once_as_a_group_row():
    from analysis.report.reporting import cfa_loadings_table_md

    cfa = {
        "loadings": [
            {"dimension": d, "item": f"{d}{k}", "std_loading": 0.7} for d in ("PAR", "TEC") for k in (1, 2)
        ]
    }
    for language, name, item in (("th", "ด้านเท่าเทียม", "ข้อ 2"), ("en", "Parity", "Item 2")):
        table = cfa_loadings_table_md(cfa, {"PAR": name, "TEC": "T"}, caption="c", language=language)
        assert table.count(name) == 1 and f"**{name}**" in table and table.count(item) == 2


def test_cover_subtitle_does_not_repeat_the_title():
    from analysis.report.render import cover_subtitle

    title = "การประเมินรูปแบบการบริหารงานกองทุนสวัสดิการ (PHANAT Model)"
    assert cover_subtitle(title, "รูปแบบการบริหารงานกองทุนสวัสดิการ (PHANAT  Model)") == ""
    assert cover_subtitle("Evaluation", "The PHANAT Model") == "The PHANAT Model"


def indicator_view(language: str, narrative: dict | None = None):
    from analysis.report.view import View

    row = {"indicator": "OSS", "name_th": "เวลาให้บริการ", "name_en": "Service time", "unit": "นาที",
           "unit_en": "minutes", "cycle": "C2", "target": 15, "actual": 12.4, "attainment_pct": 121.0,
           "met": True, "trend": "improving", "trend_from": "C1", "direction": "lower",
           "source": "register"}  # fmt: skip
    rubrics = {"esa": [{"name_th": "บริหารดี", "level": 4, "maximum": 5, "note_code": ""}],
               "milestones": [{"name_th": "รางวัล", "score": 7.0, "bonus": 2.0, "milestones_met": 2,
                               "maximum": 5, "note_code": ""}]}  # fmt: skip
    cycles = [{"code": "C1", "name_th": "วงรอบที่ 1 (พ.ศ. 2563)", "name_en": "Cycle 1 (2020)"},
              {"code": "C2", "name_th": "วงรอบที่ 2 (พ.ศ. 2564)", "name_en": "Cycle 2 (2021)"}]  # fmt: skip
    results = {
        "meta": {"cycles": cycles},
        "descriptives": {"cycle": "C2", "dimensions": DIMS, "items": [], "overall": OVERALL},
        "pdca": {"indicators": [row], "rubrics": rubrics},
    }
    return View(results, narrative or {}, language)


def test_indicator_trend_names_its_baseline_and_lower_is_better_in_both_languages():
    th, en = indicator_view("th").indicator_table("c"), indicator_view("en").indicator_table("c")
    assert "แนวโน้มเทียบวงรอบที่ 1" in th and " (ยิ่งน้อยยิ่งดี) |" in th and "ดีขึ้น (ยิ่ง" not in th
    assert "Trend (since Cycle 1)" in en and " (lower is better) |" in en and "improving (lower" not in en


def test_rubric_scores_give_the_full_score_in_both_languages():
    th, en = indicator_view("th").rubric_rows, indicator_view("en").rubric_rows
    assert [r[2] for r in th] == ["4 (คะแนนเต็ม 5)", "7 (คะแนนเต็ม 5)"]
    # a score above the full score says why (seed 003: award points are not capped)
    assert th[1][3] == "รวมคะแนนพิเศษจากรางวัล 2 คะแนน ซึ่งไม่จำกัดเพดาน คะแนนจึงเกินคะแนนเต็มได้"
    assert [r[2] for r in en] == ["4 (out of 5)", "7 (out of 5)"]
    assert en[1][3] == (
        "including 2 bonus points for awards, which are not capped, so the score may exceed the maximum"
    )


def test_the_impact_cites_its_indicators_in_both_languages():
    assert indicator_view("th").impact_evidence == (
        "ผลกระทบดังกล่าวปรากฏในผลการดำเนินงานตามตัวชี้วัด ได้แก่ “เวลาให้บริการ” (12.40 นาที จากค่าเป้าหมาย 15 นาที)"
        " ดัง[@tbl-indicators]"
    )
    assert indicator_view("en").impact_evidence == (
        "This impact shows in the indicators “Service time” (12.40 minutes against a target of 15). "
        "See [@tbl-indicators]."
    )
    assert indicator_view("th", {"impact_indicators": []}).impact_evidence == ""


def test_thai_list_joins_and_to_a_thai_word_but_not_to_a_quote_or_number():
    from analysis.report.reporting import join_list

    assert join_list(["ด้านก", "ด้านข", "ด้านค"], "th") == "ด้านก ด้านข และด้านค"
    assert join_list(["“ก”", "“ข”"], "th") == "“ก” และ “ข”"
    assert join_list(["ข้อ 1", "2"], "th") == "ข้อ 1 และ 2"
    # a cross-reference becomes Thai words ("ภาพที่ 2"): no space after และ, as "และภาพที่ 2"
    assert join_list(["[@fig-a]", "[@fig-b]"], "th") == "[@fig-a] และ[@fig-b]"
    assert join_list(["[@fig-a]", "[@fig-b]"], "en") == "[@fig-a] and [@fig-b]"
    assert join_list(["a", "b", "c"], "en") == "a, b and c"


def test_english_edition_never_prints_a_thai_dimension_or_item_name_silently():
    from analysis.report.reporting import dimension_label, item_rows, untranslated_names

    unnamed = [d | {"name_en": ""} if d["dimension"] == "TEC" else d for d in DIMS]
    text = results_paragraph(unnamed, OVERALL, subject="The rating", language="en")
    placeholder = (
        "การนำเทคโนโลยีมาใช้ในการบริหารจัดการ (no English name yet: add name_en to dimension TEC in the codebook)"
    )
    assert placeholder in text and "Parity (M = 4.67)" in text
    assert dimension_label(unnamed[5], "th") == "ด้านการนำเทคโนโลยีมาใช้ในการบริหารจัดการ"  # Thai unchanged
    item = {"item": "TEC1", "dimension": "TEC", "text_th": "ใช้เทคโนโลยี", "text_en": "", "reverse": False,
            "mean": 4.2, "sd": 0.8, "rank": 1, "level_th": "มาก", "level_en": "high"}  # fmt: skip
    rows = item_rows({"dimensions": unnamed, "items": [item]}, "en")
    assert rows[1][1][0] == "1. ใช้เทคโนโลยี (no English text yet: add text_en to item TEC1 in the codebook)"
    results = {
        "meta": {"codebook_file": "codebook.yaml"},
        "descriptives": {"dimensions": unnamed, "items": [item]},
        "suggestions": {"themes_file": "themes.yaml", "themes": [{"theme": "เอกสาร", "name_en": None}]},
    }
    warnings = untranslated_names(results, "en")
    assert warnings == [
        "warning: no name_en for dimension(s) TEC in codebook.yaml: the English edition prints the Thai "
        "wording with a note to add it",
        "warning: no text_en for item(s) TEC1 in codebook.yaml: the English edition prints the Thai "
        "wording with a note to add it",
        "warning: no name_en for theme(s) เอกสาร in themes.yaml: the English edition prints the Thai "
        "wording with a note to add it",
    ]
    assert untranslated_names(results, "th") == []


def test_table_columns_make_room_for_their_widest_word_or_number():
    from analysis.report.reporting import TABLE_EM, fitted_widths, markdown_table, text_em

    header = ["Pair", "Difference", "t", "df", "p", "Hedges' g"]
    row = [
        "Teachers and educational personnel – Permanent employees",
        "−0.04",
        "−0.57",
        "41.1",
        ".837",
        "−0.09",
    ]
    widths = fitted_widths([46, 11, 10, 11, 10, 12], [header, row])
    assert widths[1] / sum(widths) * TABLE_EM >= text_em("Difference") + 0.77  # the word and the inset
    assert widths[0] / sum(widths) > 0.3  # the room came from the wide text column
    numbers = fitted_widths(
        [28, 10, 9, 9], [["Indicator", "Unit", "Target", "Actual"], ["Funds", "baht", "320,000", "335,400"]]
    )
    assert all(w / sum(numbers) * TABLE_EM >= text_em("320,000") + 0.77 for w in numbers[2:])
    assert fitted_widths([40, 20, 20], [["Dimension", "Mean", "SD"], ["Parity", "4.72", "0.45"]]) == [
        40,
        20,
        20,
    ]
    table = markdown_table(header, [row], "lrrrrr", widths=[46, 11, 10, 11, 10, 12])
    assert table.splitlines()[1].count("-") == sum(widths)  # pandoc reads the fitted widths
    thai_rows = [["ด้านการนำเทคโนโลยีมาใช้ในการบริหารจัดการ", "ผลต่าง", "320,000"], ["ด้าน", "0.06", "335,400"]]
    thai = markdown_table(["ด้าน", "x̄", "n"], thai_rows, "lrr", widths=[30, 5, 5] * 1)
    assert "|:" + "-" * 30 + "|" in thai  # a Thai table keeps the widths it was given


def test_a_change_that_rounds_to_zero_carries_no_sign():
    """Table 4 printed "+0.000" for a ΔRMSEA of 0.0004: zero has no sign; others keep theirs
    (a true minus)."""
    from analysis.report.stability import _signed

    assert _signed(0.0004) == "0.000" and _signed(-0.0004) == "0.000"
    assert _signed(0.0123) == "+0.012" and _signed(-0.0123) == "−0.012" and _signed(None) == "–"


def test_items_tied_at_the_precision_shown_are_named_together():
    """The example's two lowest items both show 4.12: the lead-in named one of them while the
    Act list said they tie (both reviewers)."""
    from analysis.report.reporting import item_findings

    items = [
        {"item": "A1", "mean": 4.81, "text_th": "ก", "text_en": "a", "dimension": "X"},
        {"item": "A2", "mean": 4.1204, "text_th": "ข", "text_en": "b", "dimension": "X"},
        {"item": "A3", "mean": 4.1249, "text_th": "ค", "text_en": "c", "dimension": "X"},
        {"item": "A4", "mean": 4.1251, "text_th": "ง", "text_en": "d", "dimension": "X"},
    ]
    th, en = item_findings({"items": items}, "th"), item_findings({"items": items}, "en")
    assert "สูงที่สุด คือ “ก” (x̄ = 4.81)" in th and "ต่ำที่สุด ได้แก่ “ข” และ “ค” ซึ่งมีค่าเฉลี่ยเท่ากัน (x̄ = 4.12)" in th
    assert "“ง”" not in th
    assert en == (
        "The highest-rated item was “a” (M = 4.81) and the lowest-rated were “b” and “c” (each M = 4.12)."
    )
