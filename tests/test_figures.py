"""The write-up's figures, drawn by the report layer for each language from the results: every
word from the catalogue or the study's own names, no Thai in the English figures, the same
bytes twice."""

from __future__ import annotations

import copy
import re
import warnings

import pytest

from analysis.report.figures import draw_figures

THAI = re.compile("[\u0e00-\u0e7f]")
POINTS = [
    {"value": v, "th": th, "en": en}
    for v, th, en in [(1, "น้อยที่สุด", "Lowest"), (2, "น้อย", "Low"), (3, "ปานกลาง", "Moderate"),
                      (4, "มาก", "High"), (5, "มากที่สุด", "Highest")]
]  # fmt: skip
PCT = {"pct_1": 1.0, "pct_2": 4.0, "pct_3": 15.0, "pct_4": 40.0, "pct_5": 40.0}


def dimension(code: str, order: int, name_th: str, name_en: str, mean: float) -> dict:
    return {
        "dimension": code,
        "order": order,
        "name_th": name_th,
        "name_en": name_en,
        "mean": mean,
        "sd": 0.6,
    }


def comparison(scale: str, before: float, after: float) -> dict:
    """One row of the cycle comparison, each mean with a 95% CI of ±0.1."""
    row = {"scale": scale, "mean_before": before, "mean_after": after}
    for side, mean in (("before", before), ("after", after)):
        row |= {f"ci_{side}_low": mean - 0.1, f"ci_{side}_high": mean + 0.1}
    return row


RESULTS = {
    "meta": {
        "synthetic": True,
        "codebook_file": "codebook.yaml",
        "study_file": "study.yaml",
        "indicators_file": "indicators.yaml",
        "writeup_file": "writeup.th.yaml",
        "writeup_file_en": "writeup.en.yaml",
        "scale": {"min": 1, "max": 5, "points": POINTS},
        "cycles": [
            {"code": "C1", "name_th": "วงรอบที่ 1", "name_en": "Cycle 1"},
            {"code": "C2", "name_th": "วงรอบที่ 2", "name_en": "Cycle 2"},
        ],
    },
    "descriptives": {
        "cycle": "C2",
        "dimensions": [
            dimension("PAR", 1, "การดำเนินการอย่างเท่าเทียม", "Parity", 4.6),
            dimension("TEC", 2, "การนำเทคโนโลยีมาใช้", "Technology", 4.1),
        ],
        "items": [{"item": c, "dimension": c[:3], **PCT} for c in ("PAR1", "PAR2", "TEC1")],
        "overall": {"mean": 4.35},
    },
    "pdca": {
        "before": "C1",
        "after": "C2",
        "comparisons": [
            comparison("PAR", 4.3, 4.6),
            comparison("TEC", 3.8, 4.1),
            comparison("overall", 4.0, 4.35),
        ],
        "indicators": [
            {
                "indicator": "SAT",
                "cycle": "C2",
                "name_th": "ความพึงพอใจ",
                "name_en": "Satisfaction",
                "attainment_pct": 104.0,
                "met": True,
            },
            {
                "indicator": "OSS",
                "cycle": "C2",
                "name_th": "เวลาให้บริการ",
                "name_en": "Service time",
                "attainment_pct": 80.0,
                "met": False,
            },
        ],  # fmt: skip
    },
}
NARRATIVE = {
    "th": {"diagrams": {
        "pdca": {"plan": "กำหนดเป้าหมาย", "do": "ดำเนินการ", "check": "ประเมิน", "act": "ปรับปรุง"},
        "system": {"input": "ระเบียบ", "process": "วงจร PDCA", "output": "ผลลัพธ์", "feedback": "ผลการประเมิน"},
    }},
    "en": {"diagrams": {
        "pdca": {"plan": "Set targets", "do": "Act on them", "check": "Survey", "act": "Improve"},
        "system": {"input": "Rules", "process": "PDCA cycles", "output": "Results",
                   "feedback": "Each cycle's evaluation"},
    }},
}  # fmt: skip
NAMES = ["dimension_means", "answers_per_item", "dimension_radar", "cycle_change", "indicator_attainment",
         "pdca_cycle", "system_theory"]  # fmt: skip


def figure_text(path) -> str:
    """The text a reader sees in a figure: the text layer of its PDF (Sarabun embedded)."""
    import pymupdf

    with pymupdf.open(path) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    base = tmp_path_factory.mktemp("figures")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from Sarabun warns and draws a box
        files = {
            lang: draw_figures(RESULTS, lang, base / lang, narrative=NARRATIVE[lang]) for lang in ("th", "en")
        }
    return base, files


def test_every_figure_is_drawn_in_both_languages_in_three_formats(drawn):
    base, files = drawn
    for lang in ("th", "en"):
        assert sorted(files[lang]) == sorted(NAMES)
        for name, saved in files[lang].items():
            assert saved == {"pdf": f"{name}.pdf", "png": f"{name}.png"}
            assert all((base / lang / file).stat().st_size > 0 for file in saved.values())


def test_english_figures_have_no_thai_and_say_what_the_catalogue_says(drawn):
    base, _ = drawn
    texts = {name: figure_text(base / "en" / f"{name}.pdf") for name in NAMES}
    assert {name: text for name, text in texts.items() if THAI.search(text)} == {}
    assert "Synthetic demonstration data" in texts["dimension_means"]
    assert "Share of answers" in texts["answers_per_item"] and "Item 2.1" in texts["answers_per_item"]
    assert "Cycle 1" in texts["cycle_change"] and "Overall" in texts["cycle_change"]
    assert "% of target (Cycle 2)" in texts["indicator_attainment"]
    assert "Feedback: Each cycle's evaluation" in texts["system_theory"]
    assert "Plan" in texts["pdca_cycle"] and "Set targets" in texts["pdca_cycle"]


def test_thai_figures_take_their_words_from_the_thai_catalogue(drawn):
    base, _ = drawn
    # MuPDF repeats some Thai clusters of matplotlib's PDFs (ร้ร้อยละ): look for whole words
    text = re.sub(r"\s+", "", figure_text(base / "th" / "answers_per_item.pdf"))
    assert all(word in text for word in ("ร้อยละ", "ตอบ", "ข้อ2.1", "ปานกลาง")), text
    assert "สังเคราะห์" in figure_text(base / "th" / "dimension_radar.pdf")


def test_a_name_the_study_leaves_out_is_a_visible_placeholder_never_the_other_language(tmp_path):
    results = copy.deepcopy(RESULTS)
    results["descriptives"]["dimensions"][0]["name_en"] = ""
    results["meta"]["synthetic"] = False
    files = draw_figures(results, "en", tmp_path, narrative={})  # no English diagrams either
    means = figure_text(tmp_path / files["dimension_means"]["pdf"])
    assert "(not written yet: fill in PAR name_en in codebook.yaml)" in means
    assert "Synthetic" not in means  # real data carry no mark
    system = figure_text(tmp_path / files["system_theory"]["pdf"])
    assert "diagrams.system.input in writeup.en.yaml" in system
    assert not any(THAI.search(figure_text(tmp_path / f"{name}.pdf")) for name in files)


def test_figures_without_a_second_cycle_or_indicators_are_left_out(tmp_path):
    results = copy.deepcopy(RESULTS)
    results["pdca"] = {"comparisons": [], "indicators": None}
    files = draw_figures(results, "th", tmp_path)
    assert sorted(files) == sorted(set(NAMES) - {"cycle_change", "indicator_attainment"})


def test_the_same_results_give_the_same_bytes(drawn, tmp_path):
    base, files = drawn
    again = draw_figures(RESULTS, "en", tmp_path, narrative=NARRATIVE["en"])
    for saved in again.values():
        for file in saved.values():
            assert (tmp_path / file).read_bytes() == (base / "en" / file).read_bytes(), file


def test_figures_hold_no_hard_coded_words():
    """plots.py draws; the words come from figures.py's callers (catalogue, study config)."""
    from pathlib import Path

    from tests.test_architecture import code_strings

    plots = Path(__file__).parents[1] / "src" / "analysis" / "report" / "plots.py"
    assert [text for _, text in code_strings(plots) if THAI.search(text)] == []


def test_figures_drawn_beside_are_the_same_files_as_drawn_here(drawn, tmp_path):
    """A render draws its figures in a forked process (analysis.report.drawing): the same
    names at once, the same bytes once waited for, PNGs before PDFs."""
    from analysis.report.drawing import FiguresBeside, can_fork

    base, files = drawn
    with FiguresBeside() as beside:
        names = beside(RESULTS, "th", tmp_path, narrative=NARRATIVE["th"])
        assert names == files["th"]
        beside.wait("pdf")  # the PNGs' time comes with it
        beside.wait("png")
    assert beside.seconds["png"] <= beside.seconds["pdf"]
    assert can_fork() or beside.seconds["png"] == beside.seconds["pdf"]
    for saved in names.values():
        for file in saved.values():
            assert (tmp_path / file).read_bytes() == (base / "th" / file).read_bytes(), file


def test_a_figure_that_fails_beside_raises_in_the_render(tmp_path, monkeypatch):
    """An error in the figure process is raised where the render waits, with its traceback."""
    from analysis.report import plots
    from analysis.report.drawing import FiguresBeside

    def broken(*_args, **_kwargs):
        raise KeyError("radar")

    monkeypatch.setattr(plots, "radar_chart", broken)  # the forked child has it too
    with FiguresBeside() as beside:
        beside(RESULTS, "en", tmp_path, narrative=NARRATIVE["en"])
        with pytest.raises(KeyError, match="radar"):  # whichever drawer took the radar
            beside.wait("png")
        with pytest.raises(KeyError, match="radar"):  # every later wait says the same
            beside.wait("pdf")
