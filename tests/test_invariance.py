"""Multi-group CFA invariance (analysis.stats.invariance) against lavaan
(tests/reference/make_fixtures_cycles.R)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import invariance as inv
from tests.conftest import REFERENCE

FACTORS = {"F1": ["i1", "i2", "i3"], "F2": ["i4", "i5", "i6"], "F3": ["i7", "i8", "i9"]}
ORDER = ["C1", "C2", "C3"]


@pytest.fixture(scope="module")
def result(panel) -> inv.InvarianceResult:
    return inv.measurement_invariance(panel, FACTORS, panel["cycle"], ORDER)


def test_three_models_match_lavaan(ref, result):
    assert result.code == inv.OK and result.groups == ORDER and result.n == [180, 190, 170]
    for step, r in zip(result.steps, ref["invariance"], strict=True):
        assert step["model"] == r["model"] and r["converged"]
        assert step["df"] == r["df"] and step["n_params"] == r["npar"]
        assert step["chi2"] == pytest.approx(r["chisq"], rel=1e-6), r["model"]
        assert step["p_value"] == pytest.approx(r["pvalue"], rel=1e-5)
        for key in ("cfi", "tli", "rmsea"):
            assert step[key] == pytest.approx(r[key], rel=1e-6, abs=1e-8), (r["model"], key)


def test_two_cycles_match_lavaan(ref, panel):
    two = panel[panel["cycle"] != "C3"]
    result = inv.measurement_invariance(two, FACTORS, two["cycle"], ORDER)
    assert result.groups == ["C1", "C2"] and result.left_out == ["C3"]
    for step, r in zip(result.steps, ref["invariance_two"], strict=True):
        assert step["model"] == r["model"] and step["df"] == r["df"] and step["n_params"] == r["npar"]
        for mine, theirs in (("chi2", "chisq"), ("cfi", "cfi"), ("tli", "tli"), ("rmsea", "rmsea")):
            assert step[mine] == pytest.approx(r[theirs], rel=1e-6, abs=1e-8), (r["model"], mine)


def test_baseline_model_matches_lavaan(ref, panel):
    moments = inv.group_moments(panel, [i for its in FACTORS.values() for i in its], panel["cycle"], ORDER)
    chi2, df = inv.baseline_chi2(moments)
    assert chi2 == pytest.approx(ref["invariance"][0]["baseline.chisq"], rel=1e-10)
    assert df == ref["invariance"][0]["baseline.df"]


def test_difference_tests_match_lavtestlrt(ref, result):
    lrt = ref["invariance_lrt"]
    metric, scalar = result.steps[1], result.steps[2]
    np.testing.assert_allclose([metric["delta_chi2"], scalar["delta_chi2"]], lrt["chisq_diff"], rtol=1e-5)
    assert [metric["delta_df"], scalar["delta_df"]] == lrt["df_diff"]
    np.testing.assert_allclose([metric["delta_p"], scalar["delta_p"]], lrt["p"], rtol=1e-4)


def test_estimates_match_lavaan(ref, result):
    np.testing.assert_allclose(result.steps[1]["loadings"][0], ref["metric_loadings"]["est"], rtol=1e-4)
    means = np.array(ref["scalar_factor_means"]["est"]).reshape(3, 3)
    np.testing.assert_allclose(result.steps[2]["factor_means"], means, atol=1e-5)


def test_chen_2007_judgement(result):
    # the fixture's item i9 drifts in C3: loadings hold, intercepts do not
    metric, scalar = result.steps[1], result.steps[2]
    assert metric["holds"] and not scalar["holds"]
    assert scalar["delta_cfi"] < -0.01 and scalar["delta_rmsea"] > 0.015
    assert result.level == "metric" and not result.means_comparable
    assert inv.chen_holds(-0.010, 0.015) and inv.chen_holds(0.0, -0.01)
    assert not inv.chen_holds(-0.0101, 0.0) and not inv.chen_holds(0.0, 0.0151)
    assert not inv.chen_holds(-0.006, 0.0, max_cfi_drop=-0.005, max_rmsea_rise=0.010)
    assert result.criteria == {"max_cfi_drop": -0.010, "max_rmsea_rise": 0.015}
    assert not any(s["heywood"] for s in result.steps)


def test_stricter_criteria_reject_metric_invariance(panel):
    # the metric step moves CFI by -0.0069 and RMSEA by +0.0075: within .010/.015, not .005/.010
    strict = inv.measurement_invariance(
        panel, FACTORS, panel["cycle"], ORDER, max_cfi_drop=-0.005, max_rmsea_rise=0.010
    )
    assert strict.level == "configural" and not strict.steps[1]["holds"] and not strict.steps[2]["holds"]


def test_without_the_drifting_item_scalar_invariance_holds(panel):
    factors = {"F1": ["i1", "i2", "i3"], "F2": ["i4", "i5", "i6"], "F3": ["i7", "i8"]}
    result = inv.measurement_invariance(panel, factors, panel["cycle"], ORDER)
    assert result.level == "scalar" and result.means_comparable


def test_analytic_gradient_equals_numerical(panel):
    items = [i for its in FACTORS.values() for i in its]
    moments = inv.group_moments(panel, items, panel["cycle"], ORDER)
    factor_of = np.repeat(np.arange(3), 3)
    spec = inv._build_spec(factor_of, 3, 3, "scalar")
    x = inv._start(spec, moments, factor_of) + np.random.default_rng(0).normal(0, 0.02, spec.n_params)
    _, grad = inv._objective(x, spec, moments, factor_of)
    h = 1e-6
    numeric = np.array(
        [
            (
                inv._objective(x + h * e, spec, moments, factor_of)[0]
                - inv._objective(x - h * e, spec, moments, factor_of)[0]
            )
            / (2 * h)
            for e in np.eye(spec.n_params)
        ]
    )
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-7)


def test_small_cycles_are_left_out_and_nothing_crashes(panel):
    few = panel[(panel["cycle"] != "C3") | (panel.index % 20 == 0)]
    result = inv.measurement_invariance(few, FACTORS, few["cycle"], ORDER)
    assert result.code == inv.OK and result.groups == ["C1", "C2"] and result.left_out == ["C3"]
    tiny = panel.groupby("cycle").head(10)
    result = inv.measurement_invariance(tiny, FACTORS, tiny["cycle"], ORDER)
    assert result.code == inv.FEWER_THAN_TWO_GROUPS and result.steps == [] and result.level == ""
    assert result.left_out == ORDER
    absent = inv.measurement_invariance(panel, FACTORS, panel["cycle"], ["C1", "C9"])
    assert absent.code == inv.FEWER_THAN_TWO_GROUPS and absent.left_out == ["C9"]


def test_degenerate_models_are_coded(panel):
    result = inv.measurement_invariance(panel, {"F1": ["i1"], "F2": ["i2", "i3"]}, panel["cycle"], ORDER)
    assert result.code == inv.TOO_FEW_ITEMS
    flat = panel.copy()
    flat.loc[flat["cycle"] == "C2", "i5"] = 3
    result = inv.measurement_invariance(flat, FACTORS, flat["cycle"], ORDER)
    assert result.code == inv.NO_VARIATION and result.steps == []


def test_codebook_wrapper_runs_on_the_example(codebook):
    data = pd.read_csv(REFERENCE / "example_processed.csv")
    result = inv.invariance_across_cycles(data, codebook, data["cycle"], ["C1", "C2"])
    assert result.code == inv.OK and result.groups == ["C1", "C2"]
    assert [s["model"] for s in result.steps] == ["configural", "metric", "scalar"]
    assert all(s["converged"] for s in result.steps)
