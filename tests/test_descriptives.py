"""Descriptives against psych::describe and base R (tests/reference/make_fixtures.R)."""

import numpy as np
import pandas as pd
import pytest

from analysis.config.criteria import load_criteria
from analysis.stats.descriptives import (
    describe_dimensions,
    describe_items,
    describe_overall,
    respondent_scores,
)
from tests.conftest import REFERENCE


@pytest.fixture(scope="module")
def c2() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "example_processed.csv")
    return data[data["cycle"] == "C2"].reset_index(drop=True)


@pytest.fixture(scope="module")
def criterion(study):
    return load_criteria(study.criteria_file)["class_interval_0.80"]


def test_items_match_psych_describe(reference, codebook, c2, criterion):
    ours = describe_items(c2, codebook, criterion).set_index("item")
    for ref in reference["descriptives"]["items"]:
        row = ours.loc[ref["item"]]
        assert row["n"] == ref["n"]
        np.testing.assert_allclose([row["mean"], row["sd"]], [ref["mean"], ref["sd"]], rtol=0, atol=1e-9)


def test_dimension_and_overall_scores_match_r(reference, codebook, c2, criterion):
    scores = respondent_scores(c2, codebook)
    dims = describe_dimensions(scores, codebook, criterion).set_index("dimension")
    overall = describe_overall(c2, scores, codebook, criterion)
    for ref in reference["descriptives"]["scores"]:
        if ref["scale"] == "overall":
            got = [overall["n"], overall["mean"], overall["sd_respondents"]]
        else:
            got = [dims.loc[ref["scale"], "n"], dims.loc[ref["scale"], "mean"], dims.loc[ref["scale"], "sd"]]
        np.testing.assert_allclose(got, [ref["n"], ref["mean"], ref["sd"]], rtol=0, atol=1e-9)
    pooled = reference["descriptives"]["pooled"]
    np.testing.assert_allclose(
        [overall["n_answers"], overall["mean_pooled"], overall["sd_pooled"]],
        [pooled["n"], pooled["mean"], pooled["sd"]],
        rtol=0,
        atol=1e-9,
    )


def test_levels_and_ranks(codebook, c2, criterion):
    dims = describe_dimensions(respondent_scores(c2, codebook), codebook, criterion)
    assert sorted(dims["rank"].tolist()) == list(range(1, 7))
    top = dims.loc[dims["rank"] == 1].iloc[0]
    assert top["mean"] == dims["mean"].max()
    assert set(dims["level_th"]) <= {"มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"}


def test_two_overall_sds_differ_and_are_both_given(codebook, c2, criterion):
    overall = describe_overall(c2, respondent_scores(c2, codebook), codebook, criterion)
    assert overall["sd_pooled"] > overall["sd_respondents"] > 0


def test_median_skewness_and_percentages_match_r(reference, codebook, c2, criterion):
    """psych::describe(type = 2) median and skew; prop.table(table(...)) per scale point."""
    items = describe_items(c2, codebook, criterion).set_index("item")
    for ref in reference["descriptives"]["items"]:
        row = items.loc[ref["item"]]
        assert row["median"] == ref["median"]
        assert row["skew"] == pytest.approx(ref["skew"], abs=1e-9)
        pct = [row[f"pct_{p}"] for p in range(1, 6)]
        np.testing.assert_allclose(pct, ref["percent"], rtol=0, atol=1e-9)
    scores = respondent_scores(c2, codebook)
    dims = describe_dimensions(scores, codebook, criterion, c2).set_index("dimension")
    overall = describe_overall(c2, scores, codebook, criterion)
    for ref in reference["descriptives"]["scores"]:
        row = overall if ref["scale"] == "overall" else dims.loc[ref["scale"]]
        assert row["median"] == pytest.approx(ref["median"], abs=1e-12)
        assert row["skew"] == pytest.approx(ref["skew"], abs=1e-9)
    # the dimension's percentages are of all its answers, and add up to 100
    assert sum(dims.loc["PAR", f"pct_{p}"] for p in range(1, 6)) == pytest.approx(100)
    assert sum(overall[f"pct_{p}"] for p in range(1, 6)) == pytest.approx(100)


def test_skewness_worked_example():
    """Joanes & Gill (1998): G1 = g1 * sqrt(n(n - 1)) / (n - 2) with g1 = m3 / m2^1.5."""
    from analysis.stats.descriptives import skewness

    x = pd.Series([1.0, 2.0, 3.0, 10.0])
    m = x - x.mean()
    g1 = (m**3).mean() / (m**2).mean() ** 1.5
    assert skewness(x) == pytest.approx(g1 * np.sqrt(4 * 3) / 2, abs=1e-12)
    assert np.isnan(skewness(pd.Series([1.0, 2.0])))
