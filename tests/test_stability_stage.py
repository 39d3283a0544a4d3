"""The instrument across cycles, wired into stage 2 and the write-up: the numbers in
results/reliability.json are the statistics module's on the same rows (the statistics
themselves are checked against R in tests/test_stability.py and tests/test_invariance.py), and
the write-up chooses the right words for each outcome in both editions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.config.files import read_yaml
from analysis.data.synthetic import write_example
from analysis.report import stability as st
from analysis.report.messages import messages
from analysis.results.models import ReliabilityResults
from analysis.results.store import read_stage
from analysis.run.pipeline import (
    load_context,
    load_processed,
    stage_clean,
    stage_descriptives,
    stage_pdca,
    stage_reliability,
    stage_stability,
)
from analysis.stats.stability import feldt_two_alphas, hakstian_whalen, instrument_stability
from tests.test_synthetic import three_cycle_study


def cleaned(data: Path, study: Path, out: Path):
    """Context and processed data of a study after stage 1."""
    ctx = load_context(data, study / "codebook.yaml", study / "study.yaml", out)
    stage_clean(ctx)
    return ctx, load_processed(ctx)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The bundled example (three cycles) after stages 1 and 2."""
    out = tmp_path_factory.mktemp("example") / "run"
    ctx = load_context(paths.EXAMPLE_DATA, paths.EXAMPLE_CODEBOOK, paths.EXAMPLE_STUDY, out)
    stage_clean(ctx)
    data = load_processed(ctx)
    stage_reliability(ctx, data)
    return ctx, data, read_stage(out, "reliability")


def test_example_results_hold_the_stats_functions_numbers_over_all_rows(example):
    ctx, data, results = example
    assert isinstance(results, ReliabilityResults)
    stability = results.stability
    cycles = ["C1", "C2", "C3"]
    assert stability.code == "ok" and stability.cycles == cycles
    assert set(data["cycle"]) == set(cycles)  # every row of every cycle, not the report cycle's
    expected = instrument_stability(data, ctx.codebook, data["cycle"], cycles, ctx.study.missing_policy)
    for row, want in zip(stability.alpha, expected["alpha"].to_dict("records"), strict=True):
        assert (row.scale, row.cycle, row.n, row.k) == (want["scale"], want["cycle"], want["n"], want["k"])
        assert row.alpha == pytest.approx(want["alpha"], abs=1e-12)
    for row, want in zip(stability.alpha_tests, expected["alpha_tests"].to_dict("records"), strict=True):
        assert row.test == "hakstian_whalen_1976" and row.code == "ok"
        assert row.df1 == want["df1"] == 2
        assert row.statistic == pytest.approx(want["statistic"], abs=1e-12)
        assert row.p == pytest.approx(want["p"], abs=1e-12)
    inv, want = stability.invariance, expected["invariance"]
    assert inv is not None and inv.code == "ok" and inv.groups == cycles and inv.left_out == []
    assert inv.level == want["level"] and inv.n == want["n"]
    for step, w in zip(inv.steps, want["steps"], strict=True):
        assert step.model == w["model"] and step.df == w["df"] and step.holds == w["holds"]
        assert step.chi2 == pytest.approx(w["chi2"], rel=1e-9)  # stated to 10 significant digits
        assert step.cfi == pytest.approx(w["cfi"], rel=1e-9)
        if "delta_cfi" in w:
            assert step.delta_cfi == pytest.approx(w["delta_cfi"], rel=1e-9)
        else:
            assert step.delta_cfi is None
    for name in ("alpha_by_cycle", "alpha_equality", "invariance"):
        assert (ctx.out_dir / "tables" / f"{name}.csv").is_file()


def test_the_report_cycle_statistics_are_unchanged_by_the_stability_section(example):
    ctx, data, results = example
    assert results.cycle == ctx.study.report_cycle
    overall = next(r for r in results.scales if r.scale == "overall")
    assert overall.n_obs == int((data["cycle"] == ctx.study.report_cycle).sum())


def test_two_cycles_use_feldt(example):
    ctx, data, _ = example
    two = data[data["cycle"].isin(["C1", "C2"])]
    section = stage_stability(ctx, two)
    assert section["cycles"] == ["C1", "C2"]
    per_cycle, tests = section["alpha"], section["alpha_tests"]
    assert set(tests["test"]) == {"feldt_1969"}
    overall = per_cycle[per_cycle["scale"] == "overall"].set_index("cycle")
    want = feldt_two_alphas(*overall.loc["C1", ["alpha", "n"]], *overall.loc["C2", ["alpha", "n"]])
    got = tests[tests["scale"] == "overall"].iloc[0]
    assert (got["df1"], got["df2"]) == (want["df1"], want["df2"]) == (359, 339)
    assert got["statistic"] == pytest.approx(want["statistic"], abs=1e-12)
    assert got["p"] == pytest.approx(want["p"], abs=1e-12)
    assert section["invariance"]["groups"] == ["C1", "C2"]


def test_one_cycle_only_is_a_code(example):
    ctx, data, _ = example
    section = stage_stability(ctx, data[data["cycle"] == "C2"])
    assert section["code"] == "fewer_than_two_cycles" and section["cycles"] == ["C2"]
    assert section["alpha"] == [] and section["invariance"] is None


@pytest.fixture(scope="module")
def three_cycles(tmp_path_factory):
    base = tmp_path_factory.mktemp("three")
    study = three_cycle_study(base)
    data = write_example(study / "synthetic.yaml", study / "responses.csv")
    return cleaned(data, study, base / "run")


def test_three_cycles_use_hakstian_whalen_and_fit_invariance_over_all_three(three_cycles):
    ctx, data = three_cycles
    section = stage_stability(ctx, data)
    assert section["cycles"] == ["C1", "C2", "C3"]
    per_cycle, tests = section["alpha"], section["alpha_tests"]
    assert set(tests["test"]) == {"hakstian_whalen_1976"} and set(tests["df1"]) == {2}
    overall = per_cycle[per_cycle["scale"] == "overall"]
    want = hakstian_whalen(overall["alpha"].tolist(), overall["n"].tolist(), overall["k"].tolist())
    got = tests[tests["scale"] == "overall"].iloc[0]
    assert got["statistic"] == pytest.approx(want["statistic"], abs=1e-12)
    assert got["p"] == pytest.approx(want["p"], abs=1e-12)
    assert overall["n"].tolist() == [int((data["cycle"] == c).sum()) for c in ("C1", "C2", "C3")]
    inv = section["invariance"]
    assert inv["code"] == "ok" and inv["groups"] == ["C1", "C2", "C3"]
    assert [s["model"] for s in inv["steps"]] == ["configural", "metric", "scalar"]


def tiny_third_cycle_study(base: Path) -> Path:
    """The three-cycle example with only 8 responses in cycle 3 (the report cycle)."""
    study = three_cycle_study(base)
    settings = read_yaml(study / "synthetic.yaml")
    settings["respondents"]["C3"] = 8
    settings["respondents"]["returning"] = {"C3": 5}
    (study / "synthetic.yaml").write_text(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return study


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A whole run (stages 1–4, no notebooks) of the study with a tiny third cycle."""
    base = tmp_path_factory.mktemp("tiny")
    study = tiny_third_cycle_study(base)
    data = write_example(study / "synthetic.yaml", study / "responses.csv")
    ctx, processed = cleaned(data, study, base / "run")
    stage_reliability(ctx, processed)
    stage_descriptives(ctx, processed)
    stage_pdca(ctx, processed)
    return ctx


def test_a_tiny_third_cycle_is_left_out_of_invariance_and_said_in_words(tiny_run):
    from analysis.report.view import View, render_sections
    from analysis.results.store import load_results

    results = read_stage(tiny_run.out_dir, "reliability")
    inv = results.stability.invariance
    assert inv.left_out == ["C3"] and inv.groups == ["C1", "C2"] and inv.min_n > 8
    assert len(results.stability.alpha_tests) == 7  # alphas of all three cycles are still compared
    loaded = load_results(tiny_run.out_dir)
    for language in ("th", "en"):
        sections = render_sections(View(loaded, {}, language))
        m = messages(language)
        left_out = m(
            "stability.left_out",
            cycles=View(loaded, {}, language).short_cycle_name("C3"),
            min_n=str(inv.min_n),
        )
        assert left_out.strip() in sections["methods"]
        assert m("stability.heading") in sections["methods"]
        see = st.stability_ref(loaded["reliability"]["stability"], language)
        assert see.strip() in sections["results"]


@pytest.mark.e2e
def test_the_tiny_third_cycle_renders_in_both_languages(tiny_run):
    from analysis.report.render import render

    for language in ("th", "en"):
        outputs = render(
            tiny_run.out_dir, formats=("pdf",), engine="pandoc", progress=lambda _: None, language=language
        )
        assert all(p.stat().st_size > 0 for p in outputs)


# --------------------------------------------------------------------------- the words
STEPS = {
    "configural": {"model": "configural", "code": "ok", "delta_chi2": None, "holds": True},
    "metric": {"model": "metric", "code": "ok", "delta_chi2": 14.4, "holds": True},
    "scalar": {"model": "scalar", "code": "ok", "delta_chi2": 26.6, "holds": True},
}


def stability_with(code: str = "ok", level: str = "scalar", left_out=()) -> dict:
    return {
        "code": "ok",
        "cycles": ["C1", "C2"],
        "invariance": {
            "code": code,
            "groups": ["C1", "C2"] if code == "ok" else [],
            "n": [304, 327] if code == "ok" else [],
            "left_out": list(left_out),
            "min_n": 97,
            "level": level,
            "steps": [],
        },
    }


NAMES = {"C1": "วงรอบที่ 1", "C2": "วงรอบที่ 2"}


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("level", ["scalar", "metric", "configural"])
def test_the_comparability_sentence_follows_the_level_that_holds(language, level):
    m = messages(language)
    sentence = st.comparability_sentence(stability_with(level=level), NAMES, language)
    assert sentence == m(f"stability.comparable.{level}", cycles=st.join_list(list(NAMES.values()), language))


def test_the_thai_sentences_read_as_a_thai_report_writes_them():
    say = lambda **kw: st.comparability_sentence(stability_with(**kw), NAMES, "th")  # noqa: E731
    assert "จึงสามารถเปรียบเทียบค่าเฉลี่ยระหว่างวงรอบที่ 1 และวงรอบที่ 2 ได้" in say(level="scalar")
    assert "ด้วยความระมัดระวัง" in say(level="metric") and "metric invariance" in say(level="metric")
    assert "ยังไม่มีหลักฐานสนับสนุน" in say(level="configural")
    too_few = say(code="fewer_than_two_groups", level="")
    assert too_few.startswith("จำนวนผู้ตอบในแต่ละวงรอบน้อยเกินกว่าจะทดสอบความไม่แปรเปลี่ยนของโมเดลการวัดได้")
    assert "อย่างน้อย 97 คนต่อวงรอบ" in too_few
    assert "การประมาณค่าไม่ลู่เข้า" in say(code="not_converged", level="")


@pytest.mark.parametrize("language", ["th", "en"])
def test_no_invariance_without_the_cfa_is_said(language):
    stability = stability_with()
    stability["invariance"] = None
    assert st.comparability_sentence(stability, NAMES, language) == messages(language)(
        "stability.comparable.not_tested"
    )
    assert "[@tbl-alpha-cycles]" in st.stability_ref(stability, language)  # no invariance table


def test_the_alpha_sentences_say_which_dimensions_differ():
    def test(scale, p):
        return {"scale": scale, "cycles": ["C1", "C2"], "test": "feldt_1969", "statistic": 0.8,
                "df1": 359, "df2": 339, "p": p, "code": "ok"}  # fmt: skip

    stability = {"alpha_tests": [test("PAR", 0.001), test("HAP", 0.4), test("overall", 0.07)]}
    text = st.alpha_sentences(stability, {"PAR": "ด้านก", "HAP": "ด้านข"}, "th")
    assert "ค่าความเชื่อมั่นของแบบสอบถามทั้งฉบับไม่แตกต่างกันระหว่างวงรอบอย่างมีนัยสำคัญทางสถิติที่ระดับ .05" in text
    assert "(W(359, 339) = 0.80, p = .070)" in text and "การทดสอบของ Feldt (1969)" in text
    assert "ด้านกมีค่าความเชื่อมั่นแตกต่างกันระหว่างวงรอบ" in text and "ด้านข" not in text
    stability["alpha_tests"][0]["p"] = 0.2
    assert "ค่าความเชื่อมั่นไม่แตกต่างกันระหว่างวงรอบทุกด้าน" in st.alpha_sentences(stability, {}, "th")


def test_one_cycle_shows_no_stability_section_and_no_reference():
    from analysis.report.view import View

    view = View({"reliability": {"stability": {"code": "fewer_than_two_cycles"}}}, {}, "th")
    assert view.stability == {} and view.stability_ref == ""
