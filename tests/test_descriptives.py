"""Descriptives against psych::describe and base R (tests/reference/make_fixtures.R)."""

import numpy as np
import pandas as pd
import pytest

from analysis.config import load_criteria
from analysis.descriptives import describe_dimensions, describe_items, describe_overall, respondent_scores
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
