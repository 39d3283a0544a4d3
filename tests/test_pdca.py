"""Cycle comparison against R's t.test, p.adjust and effectsize (tests/reference/make_fixtures.R)."""

import numpy as np
import pandas as pd
import pytest

from analysis.stats.descriptives import respondent_scores
from analysis.stats.pdca import cohens_dz, compare_cycles, hedges_g, verdict
from tests.conftest import REFERENCE


@pytest.fixture(scope="module")
def comparison(codebook) -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "example_processed.csv")
    scores = respondent_scores(data, codebook)
    cols = [d.code for d in codebook.dimensions] + ["overall"]
    return compare_cycles(scores, data["respondent_id"], data["cycle"], "C1", "C2", cols).set_index("scale")


def test_matches_r(reference, comparison):
    keys = [
        "n_before",
        "n_after",
        "n_paired",
        "welch_t",
        "welch_df",
        "welch_p",
        "paired_t",
        "paired_df",
        "paired_p",
        "paired_mean_difference",
        "hedges_g",
        "cohens_dz",
        "welch_ci_low",
        "welch_ci_high",
        "paired_ci_low",
        "paired_ci_high",
        "wilcoxon_v",
        "wilcoxon_p",
        "mann_whitney_w",
        "mann_whitney_p",
        "rank_biserial_paired",
        "rank_biserial",
    ]
    for ref in reference["comparisons"]:
        row = comparison.loc[ref["scale"]]
        for key in keys:
            tol = 1e-9 * max(1.0, abs(ref[key])) if not key.endswith("_p") else 1e-12 + 1e-7 * ref[key]
            assert row[key] == pytest.approx(ref[key], abs=tol), (ref["scale"], key)
        if "paired_p_holm" in ref:
            assert row["p_holm"] == pytest.approx(ref["paired_p_holm"], rel=1e-7)


def test_hedges_g_small_sample_worked_example():
    # Hedges (1981) exact J for nu = 4: Gamma(2) / (sqrt(2) * Gamma(1.5)) = 1 / (sqrt(2) * sqrt(pi)/2)
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0])
    j = 1 / (np.sqrt(2) * np.sqrt(np.pi) / 2)
    assert hedges_g(x, y) == pytest.approx(j * 1.0 / 1.0, abs=1e-12)  # d = 1 / s_p = 1


def test_holm_matches_statsmodels_and_a_worked_example():
    from statsmodels.stats.multitest import multipletests

    from analysis.stats.pdca import holm_adjust

    p = np.array([0.01, 0.04, 0.03, 0.005])
    # worked example: sorted 0.005, 0.01, 0.03, 0.04 -> 4*0.005, 3*0.01, 2*0.03, max(.., 1*0.04)
    np.testing.assert_allclose(holm_adjust(p), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(holm_adjust(p), multipletests(p, method="holm")[1])


def test_cohens_dz():
    assert cohens_dz(np.array([1.0, 2.0, 3.0])) == pytest.approx(2.0)


def test_verdict_names():
    assert verdict(0.001, 0.3) == "improved"
    assert verdict(0.001, -0.3) == "declined"
    assert verdict(0.2, 0.3) == "no clear change"
    assert verdict(float("nan"), 0.3) == "no clear change"


def test_no_common_respondents_falls_back_to_welch(codebook):
    data = pd.read_csv(REFERENCE / "example_processed.csv")
    data.loc[data["cycle"] == "C1", "respondent_id"] += "-other"
    scores = respondent_scores(data, codebook)
    table = compare_cycles(scores, data["respondent_id"], data["cycle"], "C1", "C2", ["PAR"])
    assert table.loc[0, "n_paired"] == 0 and table.loc[0, "test"] == "Welch t-test"
    assert np.isnan(table.loc[0, "paired_t"])
