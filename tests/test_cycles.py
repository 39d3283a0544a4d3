"""Many-cycle statistics (analysis.stats.cycles) against R (tests/reference/make_fixtures_cycles.R)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import cycles as cy
from analysis.stats.pdca import compare_cycles, holm_adjust

ORDER = ["C1", "C2", "C3"]
SCALES = {
    "A": ["i1", "i2", "i3"],
    "B": ["i4", "i5", "i6"],
    "C": ["i7", "i8", "i9"],
    "overall": [f"i{j}" for j in range(1, 10)],
}


@pytest.fixture(scope="module")
def scores(panel) -> pd.DataFrame:
    return pd.DataFrame({s: panel[items].mean(axis=1) for s, items in SCALES.items()})


def by_scale(ref: dict) -> dict:
    return {c["scale"]: c for c in ref["cycles"]}


def test_cycle_means_and_t_intervals_match_r(ref, panel, scores):
    table = cy.cycle_means(scores, panel["cycle"], ORDER)
    assert len(table) == 12
    for scale, r in by_scale(ref).items():
        for rc in r["per_cycle"]:
            row = table[(table["scale"] == scale) & (table["cycle"] == rc["cycle"])].iloc[0]
            assert row["n"] == rc["n"]
            for key in ("mean", "sd", "ci_low", "ci_high"):
                assert row[key] == pytest.approx(rc[key], rel=1e-10), (scale, rc["cycle"], key)


def test_across_cycles_matches_oneway_kruskal_and_effectsize(ref, panel, scores):
    table = cy.across_cycles(scores, panel["cycle"], ORDER).set_index("scale")
    for scale, r in by_scale(ref).items():
        row = table.loc[scale]
        assert row["code"] == cy.OK
        for key in ("welch_f", "welch_df1", "welch_df2", "welch_p", "kruskal_h", "kruskal_df", "kruskal_p"):
            assert row[key] == pytest.approx(r[key], rel=1e-9), (scale, key)
        assert row["eta_squared"] == pytest.approx(r["eta_squared"], rel=1e-9)
        assert row["rank_epsilon_squared"] == pytest.approx(r["rank_epsilon_squared"], rel=1e-9)


def test_mixed_model_matches_lmer(ref, panel, scores):
    table = cy.mixed_model_table(scores, panel["id"], panel["cycle"], ORDER)
    for scale, r in by_scale(ref).items():
        lmer = r["lmer"]
        rows = table[table["scale"] == scale].reset_index(drop=True)
        assert list(rows["code"]) == [cy.OK] * 3
        assert list(rows["term"]) == ["intercept", "change", "change"]
        assert rows["n_obs"][0] == lmer["n_obs"] and rows["n_respondents"][0] == lmer["n_respondents"]
        assert rows["n_repeated"][0] == 180  # 90 in three cycles + 40 + 30 + 20 in two
        np.testing.assert_allclose(rows["estimate"], lmer["estimate"], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(rows["se"], lmer["se"], rtol=1e-5)
        np.testing.assert_allclose(rows["ci_low"], lmer["ci_low"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(rows["ci_high"], lmer["ci_high"], rtol=1e-5, atol=1e-6)
        assert rows["var_respondent"][0] == pytest.approx(lmer["var_respondent"], rel=1e-5)
        assert rows["var_residual"][0] == pytest.approx(lmer["var_residual"], rel=1e-5)
        assert rows["reml_loglik"][0] == pytest.approx(lmer["reml_loglik"], rel=1e-8)
        assert not lmer["singular"]


def test_adjacent_comparisons_with_two_cycles_equal_compare_cycles(panel, scores):
    two = panel["cycle"] != "C3"
    got = cy.adjacent_comparisons(scores[two], panel.loc[two, "id"], panel.loc[two, "cycle"], ORDER)
    want = compare_cycles(
        scores[two], panel.loc[two, "id"], panel.loc[two, "cycle"], "C1", "C2", list(SCALES)
    )
    pd.testing.assert_frame_equal(got, want)


def test_adjacent_comparisons_holm_over_dimension_and_overall_families(panel, scores):
    got = cy.adjacent_comparisons(scores, panel["id"], panel["cycle"], ORDER)
    assert (
        list(zip(got["cycle_before"], got["cycle_after"], strict=True))
        == [("C1", "C2")] * 4 + [("C2", "C3")] * 4
    )
    dims = got["scale"] != "overall"
    np.testing.assert_allclose(got.loc[dims, "p_holm"], holm_adjust(got.loc[dims, "p"].to_numpy()))
    np.testing.assert_allclose(got.loc[~dims, "p_holm"], holm_adjust(got.loc[~dims, "p"].to_numpy()))
    # six dimension tests in one family: the smallest p is multiplied by 6, not 3
    smallest = got.loc[dims, "p"].idxmin()
    assert got.loc[smallest, "p_holm"] == pytest.approx(min(1, 6 * got.loc[smallest, "p"]))


def test_fewer_than_two_cycles_gives_codes_not_errors(panel, scores):
    one = panel["cycle"] == "C1"
    across = cy.across_cycles(scores[one], panel.loc[one, "cycle"], ORDER)
    assert set(across["code"]) == {cy.FEWER_THAN_TWO_CYCLES}
    mixed = cy.mixed_model_table(scores[one], panel.loc[one, "id"], panel.loc[one, "cycle"], ORDER)
    assert set(mixed["code"]) == {cy.FEWER_THAN_TWO_CYCLES} and mixed["estimate"].isna().all()
    assert cy.adjacent_comparisons(scores[one], panel.loc[one, "id"], panel.loc[one, "cycle"], ORDER).empty


def test_a_cycle_with_one_score_is_left_out(panel, scores):
    keep = (panel["cycle"] != "C3") | (panel.index == panel.index[panel["cycle"] == "C3"][0])
    across = cy.across_cycles(scores[keep], panel.loc[keep, "cycle"], ORDER)
    assert list(across["left_out"][0]) == ["C3"] and list(across["cycles"][0]) == ["C1", "C2"]
    assert across["welch_df1"][0] == 1.0


def test_flat_cycle_is_coded_no_variation():
    scores = pd.DataFrame({"overall": [3.0, 3.0, 3.0, 2.0, 4.0, 5.0]})
    cycles = pd.Series(["C1", "C1", "C1", "C2", "C2", "C2"])
    row = cy.across_cycles(scores, cycles, ["C1", "C2"]).iloc[0]
    assert row["code"] == cy.NO_VARIATION and np.isnan(row["welch_f"]) and not np.isnan(row["kruskal_h"])


def test_too_few_repeated_respondents_is_a_code(panel, scores):
    firsts = ~panel["id"].duplicated()  # every respondent once
    rows = cy.mixed_model(scores.loc[firsts, "A"], panel.loc[firsts, "id"], panel.loc[firsts, "cycle"], ORDER)
    assert len(rows) == 1 and rows[0]["code"] == cy.TOO_FEW_REPEATED and rows[0]["n_repeated"] == 0


def test_no_between_respondent_variance_is_a_singular_fit(ref):
    # every respondent's mean is 3.5: the respondent variance is at its boundary (0); lme4 says
    # isSingular and gives the least-squares estimates
    lmer = ref["singular_lmer"]
    n = 40
    ids = pd.Series([f"P{i}" for i in range(n) for _ in range(2)])
    cycles = pd.Series(["C1", "C2"] * n)
    values = pd.Series([3.0, 4.0, 4.0, 3.0] * (n // 2), name="overall")
    rows = cy.mixed_model(values, ids, cycles, ["C1", "C2"])
    assert {r["code"] for r in rows} == {cy.SINGULAR_FIT}
    assert rows[0]["var_respondent"] == pytest.approx(0.0, abs=1e-6)
    assert rows[1]["estimate"] == pytest.approx(0.0, abs=1e-8)  # OLS: mean C2 - mean C1 = 0
    assert lmer["singular"]
    np.testing.assert_allclose([r["estimate"] for r in rows], lmer["estimate"], atol=1e-10)
    np.testing.assert_allclose([r["se"] for r in rows], lmer["se"], rtol=1e-8)
    assert rows[0]["var_residual"] == pytest.approx(lmer["var_residual"], rel=1e-10)
    assert rows[0]["reml_loglik"] == pytest.approx(lmer["reml_loglik"], rel=1e-10)


def test_missing_scores_are_dropped_not_fatal(panel, scores):
    holes = scores["A"].copy()
    holes.iloc[::7] = np.nan
    rows = cy.mixed_model(holes, panel["id"], panel["cycle"], ORDER)
    assert rows[0]["code"] == cy.OK and rows[0]["n_obs"] == holes.notna().sum()


def test_payload_has_every_part(panel, scores):
    payload = cy.cycles_payload(scores[["overall"]], panel["id"], panel["cycle"], ORDER)
    assert set(payload) == {"means", "across", "adjacent", "mixed"}
    assert len(payload["means"]) == 3 and len(payload["mixed"]) == 3


def test_constant_scores_are_not_fitted():
    ids = pd.Series([f"P{i}" for i in range(20) for _ in range(2)])
    cycles = pd.Series(["C1", "C2"] * 20)
    rows = cy.mixed_model(pd.Series([4.0] * 40, name="overall"), ids, cycles, ["C1", "C2"])
    assert len(rows) == 1 and rows[0]["code"] == cy.NOT_CONVERGED


def test_two_cycles_welch_f_is_welch_t_squared(panel, scores):
    from analysis.stats.pdca import welch_t_test

    two = panel["cycle"] != "C3"
    row = cy.across_cycles(scores.loc[two, ["A"]], panel.loc[two, "cycle"], ORDER).iloc[0]
    x = scores.loc[panel["cycle"] == "C1", "A"].to_numpy()
    y = scores.loc[panel["cycle"] == "C2", "A"].to_numpy()
    t, df, p = welch_t_test(x, y)
    assert row["welch_f"] == pytest.approx(t**2) and row["welch_df2"] == pytest.approx(df)
    assert row["welch_p"] == pytest.approx(p)


def test_mixed_model_equals_statsmodels_mixedlm(panel, scores):
    """The profiled REML fit gives what statsmodels' MixedLM gives (a second, independent
    implementation: it optimises all parameters by BFGS with per-respondent loops)."""
    import warnings

    from statsmodels.regression.mixed_linear_model import MixedLM

    frame = pd.DataFrame({"y": scores["B"], "id": panel["id"], "cycle": panel["cycle"]}).dropna()
    exog = np.column_stack([np.ones(len(frame))] + [(frame["cycle"] == c).to_numpy(float) for c in ORDER[1:]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = MixedLM(frame["y"].to_numpy(), exog, groups=frame["id"].to_numpy()).fit(
            reml=True, method=["bfgs"], maxiter=500, gtol=1e-10
        )
    rows = cy.mixed_model(scores["B"].rename("B"), panel["id"], panel["cycle"], ORDER)
    np.testing.assert_allclose([r["estimate"] for r in rows], fit.fe_params, rtol=1e-6)
    assert rows[0]["var_respondent"] == pytest.approx(float(np.asarray(fit.cov_re)[0, 0]), rel=1e-4)
    assert rows[0]["var_residual"] == pytest.approx(float(fit.scale), rel=1e-5)
