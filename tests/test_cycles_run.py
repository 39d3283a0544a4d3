"""Stage 4 with three cycles: results/pdca.json's ``cycles`` equals the functions of
analysis.stats.cycles on the same rows, the Act list and the indicator register also look at
the cycle before and the first, and both editions of the write-up show the trend (figure,
tables, sentences) with every code worded by the catalogue."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import yaml

from analysis.config.files import read_yaml
from analysis.data.synthetic import write_example
from analysis.report.figures import draw_figures
from analysis.report.view import View, render_sections
from analysis.results.store import load_results, to_jsonable
from analysis.run.pipeline import (
    load_context,
    load_processed,
    stage_clean,
    stage_descriptives,
    stage_pdca,
    stage_reliability,
)
from analysis.stats.cycles import cycles_payload
from analysis.stats.descriptives import respondent_scores
from analysis.stats.pdca import act_priorities, compare_cycles
from tests.test_synthetic import three_cycle_study

CODES = ("too_few_repeated", "singular_fit", "fewer_than_two_cycles", "not_converged", "no_variation",
         "declined_since_first", "trend_previous", "left_out")  # fmt: skip
ENGLISH_WORDS = ("improving", "declining", "no clear change", "improved", "declined")  # not in Thai


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The three-cycle example, smaller (reported on its third cycle), with the waiting-time
    indicator's C3 actual set to 13.1 (worse than C2, better than C1), run through the four
    stages."""
    base = tmp_path_factory.mktemp("cycles3")
    study = three_cycle_study(base)
    settings = read_yaml(study / "synthetic.yaml")
    settings["respondents"] = {"C1": 90, "C2": 100, "C3": 95, "in_both": 60, "returning": {"C3": 55}}
    (study / "synthetic.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    edit(study / "study.yaml", "n_boot: 2000 ", "n_boot: 0 ")
    edit(study / "indicators.yaml", "targets: {C1: 15, C2: 15, C3: 12}", "targets: {C1: 15, C2: 15, C3: 15}")
    edit(
        study / "indicators.yaml",
        "actuals: {C1: 18.5, C2: 12.4, C3: 11.6}",
        "actuals: {C1: 18.5, C2: 12.4, C3: 13.1}",
    )
    # members served: measured in two cycles only
    edit(
        study / "indicators.yaml", "targets: {C1: 1500, C2: 1800, C3: 1900}", "targets: {C1: 1500, C2: 1800}"
    )
    edit(
        study / "indicators.yaml", "actuals: {C1: 1620, C2: 1755, C3: 1868}", "actuals: {C1: 1620, C2: 1755}"
    )
    data_path = write_example(study / "synthetic.yaml", study / "responses.csv")
    ctx = load_context(data_path, study / "codebook.yaml", study / "study.yaml", base / "run")
    stage_clean(ctx)
    data = load_processed(ctx)
    stage_reliability(ctx, data)
    stage_descriptives(ctx, data)
    stage_pdca(ctx, data)
    return ctx, data


def test_results_equal_the_stats_functions_on_the_same_rows(run):
    ctx, data = run
    pdca = json.loads((ctx.out_dir / "results" / "pdca.json").read_text(encoding="utf-8"))
    columns = [d.code for d in ctx.codebook.dimensions] + ["overall"]
    scores = respondent_scores(data, ctx.codebook)[columns]
    order = ["C1", "C2", "C3"]
    expected = cycles_payload(scores, data["respondent_id"], data["cycle"], order)
    cycles = pdca["cycles"]
    assert cycles["order"] == order
    for key in ("means", "across", "adjacent", "mixed"):
        assert cycles[key] == json.loads(json.dumps(to_jsonable(expected[key]))), key
    since = compare_cycles(scores, data["respondent_id"], data["cycle"], "C1", "C3", columns)
    assert cycles["since_first"] == json.loads(json.dumps(to_jsonable(since)))
    # the latest two are compared as before, next to the trend
    assert (pdca["before"], pdca["after"]) == ("C2", "C3")
    mixed = {r["scale"]: r for r in cycles["mixed"] if r["term"] == "change" and r["cycle"] == "C3"}
    assert mixed["overall"]["code"] in ("ok", "singular_fit") and mixed["overall"]["n_repeated"] >= 10
    for name in ("cycle_means", "cycles_across", "cycles_adjacent", "cycles_mixed", "cycles_since_first"):
        assert (ctx.out_dir / "tables" / f"{name}.csv").is_file(), name


def test_indicator_trend_against_the_cycle_before_and_the_first(run):
    ctx, _ = run
    pdca = json.loads((ctx.out_dir / "results" / "pdca.json").read_text(encoding="utf-8"))
    oss = [r for r in pdca["indicators"] if r["indicator"] == "OSS_TIME"]
    # 18.5 -> 12.4 -> 13.1 minutes, lower is better: better than C1, worse than C2
    assert {(r["trend"], r["trend_from"], r["trend_previous"], r["trend_previous_from"]) for r in oss} == {
        ("improving", "C1", "declining", "C2")
    }
    two_cycles = [r for r in pdca["indicators"] if r["indicator"] == "MEMBERS"]
    assert two_cycles and all("trend_previous" not in r for r in two_cycles)  # left out, not null


def test_act_lists_a_dimension_that_declined_since_the_first_cycle():
    dims = pd.DataFrame(
        [{"dimension": "PAR", "name_th": "ด้านเท่าเทียม", "mean": 4.5, "order": 1},
         {"dimension": "TEC", "name_th": "ด้านเทคโนโลยี", "mean": 4.0, "order": 2}]
    )  # fmt: skip
    items = pd.DataFrame([{"item": "PAR1", "text_th": "ก", "mean": 4.5, "dimension": "PAR"}])

    def comparison(before: str, verdict: str) -> pd.DataFrame:
        return pd.DataFrame(
            [{"scale": "PAR", "cycle_before": before, "difference": -0.3, "p_holm": 0.01,
              "test": "paired t-test", "verdict": verdict}]
        )  # fmt: skip

    act = act_priorities(dims, items, comparison("C2", "no clear change"), None, None, latest_cycle="C3",
                         n_lowest=1, since_first=comparison("C1", "declined"))  # fmt: skip
    first = act.iloc[0]
    assert (first["reason"], first["code"], first["since"], first["value"]) == (
        "declined_since_first",
        "PAR",
        "C1",
        -0.3,
    )
    # declined against the cycle before as well: listed once, as declined
    act = act_priorities(dims, items, comparison("C2", "declined"), None, None, latest_cycle="C3",
                         n_lowest=1, since_first=comparison("C1", "declined"))  # fmt: skip
    assert list(act["reason"]).count("declined") == 1 and "declined_since_first" not in set(act["reason"])


def writeup(run, language: str, tmp_path) -> tuple[str, dict]:
    ctx, _ = run
    results = load_results(ctx.out_dir)
    figures = draw_figures(results, language, tmp_path / language)
    sections = render_sections(View(results, {}, language, figures))
    return "\n".join(sections.values()), figures


@pytest.mark.parametrize("language", ["th", "en"])
def test_both_editions_show_the_trend_without_raw_codes(run, language, tmp_path):
    text, figures = writeup(run, language, tmp_path)
    assert "cycle_trend" in figures and (tmp_path / language / figures["cycle_trend"]["png"]).is_file()
    for label in ("fig-trend", "tbl-cycles-across", "tbl-cycles-adjacent", "tbl-cycles-mixed"):
        assert f"{{#{label}" in text, label
        assert f"[@{label}]" in text, label  # referred to from the text
    heading = {"th": "### แนวโน้มตลอด 3 วงรอบ", "en": "### Trend over the 3 cycles"}[language]
    assert heading in text
    mixed = {"th": "Laird & Ware, 1982", "en": "Laird & Ware, 1982"}[language]
    assert mixed in text and "Welch, 1951" in text and "Kruskal & Wallis, 1952" in text
    body = re.sub(r"\{#[^}]*\}|\[@[^\]]*\]|\]\([^)]*\)", "", text)  # labels, references, file names
    for code in CODES + (ENGLISH_WORDS if language == "th" else ()):
        assert code not in body, code
    assert "C1" not in body and "C3" not in body  # cycles by their names, never their codes


def test_thai_trend_sentence_reads_as_a_thai_report(run, tmp_path):
    ctx, _ = run
    text, _ = writeup(run, "th", tmp_path)
    means = {r["cycle"]: r["mean"] for r in load_results(ctx.out_dir)["pdca"]["cycles"]["means"]
             if r["scale"] == "overall"}  # fmt: skip
    from analysis.numbers import format_number as fmt

    direction = "เพิ่มขึ้น" if round(means["C3"], 2) > round(means["C1"], 2) else "ลดลง"
    assert (
        f"ค่าเฉลี่ยโดยภาพรวม{direction}จากวงรอบที่ 1 (x̄ = {fmt(means['C1'])}) เป็นวงรอบที่ 2"
        f" (x̄ = {fmt(means['C2'])}) และวงรอบที่ 3 (x̄ = {fmt(means['C3'])})"
    ) in text
    assert "อย่างมีนัยสำคัญทางสถิติที่ระดับ .05" in text


def test_too_few_repeated_respondents_is_said_in_words():
    from analysis.report.reporting import cycles_mixed_paragraph

    cycles = {"order": ["C1", "C2", "C3"], "min_repeated": 10,
              "mixed": [{"scale": "overall", "code": "too_few_repeated", "n_repeated": 4, "n_respondents": 90,
                         "term": None, "cycle": None}]}  # fmt: skip
    names = {"C1": "วงรอบที่ 1", "C2": "วงรอบที่ 2", "C3": "วงรอบที่ 3"}
    th = cycles_mixed_paragraph(cycles, {}, names, "th")
    en = cycles_mixed_paragraph(cycles, {}, names, "en")
    assert "4 คน น้อยกว่าเกณฑ์ 10 คน" in th and "too_few" not in th
    assert "Only 4 respondents" in en and "fewer than the 10" in en


def test_a_decline_since_the_first_cycle_is_worded_in_both_languages(run):
    from analysis.report.reporting import act_lines

    ctx, _ = run
    results = load_results(ctx.out_dir)
    row = {"priority": 1, "kind": "dimension", "code": "TEC", "name_th": "ด้านเทคโนโลยี", "dimension": "TEC",
           "reason": "declined_since_first", "value": -0.21, "p_holm": 0.012, "test": "paired t-test",
           "since": "C1"}  # fmt: skip
    th, en = act_lines([row], results, "th")[0], act_lines([row], results, "en")[0]
    assert "ค่าเฉลี่ยลดลง 0.21 เมื่อเทียบกับวงรอบที่ 1 (p ปรับตามวิธีของ Holm = 0.012" in th
    assert "declined by 0.21 since Cycle 1 (Holm p = 0.012, paired t-test)" in en
    assert "declined_since_first" not in th + en and "C1" not in th + en
