"""Cronbach's alpha against R's psych::alpha (tests/reference/make_fixtures.R)."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from analysis.reliability import FELDT, cronbach_alpha, feldt_interval, reliability_by_dimension
from tests.conftest import REFERENCE, as_list


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "bfi.csv")


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "example_processed.csv")


def case_data(case: dict, bfi: pd.DataFrame, example: pd.DataFrame) -> pd.DataFrame:
    if case["name"].startswith("bfi"):
        items = bfi[case["items"]].copy()
        for col in as_list(case["reverse"]):
            items[col] = (1 + 6) - items[col]  # bfi's scale is 1..6: reverse with its own bounds
        return items
    return example.loc[example["cycle"] == "C2", case["items"]]


def test_alpha_matches_psych(reference, bfi, example):
    cases = reference["alpha"]
    assert len(cases) >= 10
    for case in cases:
        res = cronbach_alpha(case_data(case, bfi, example), case["name"], case["missing_policy"])
        assert res.n_obs == case["n_obs"], case["name"]
        # closed-form statistic: agreement to 1e-6 (psych prints the same numbers)
        np.testing.assert_allclose(res.alpha, case["raw_alpha"], rtol=0, atol=1e-6, err_msg=case["name"])
        np.testing.assert_allclose(
            [res.ci_low, res.ci_high],
            [case["feldt_lower"], case["feldt_upper"]],
            rtol=0,
            atol=1e-6,
            err_msg=case["name"],
        )
        assert res.ci_method == FELDT


def test_alpha_agrees_with_pingouin_listwise(bfi):
    items = bfi[["C1", "C2", "C3", "C4", "C5"]].copy()
    items[["C4", "C5"]] = 7 - items[["C4", "C5"]]
    ours = cronbach_alpha(items, "C", "listwise")
    theirs, ci = pg.cronbach_alpha(items, nan_policy="listwise")
    assert ours.alpha == pytest.approx(theirs, abs=1e-12)
    assert [round(ours.ci_low, 3), round(ours.ci_high, 3)] == pytest.approx(list(ci), abs=1e-12)


def test_feldt_interval_textbook_example():
    # Feldt, Woodruff & Salih (1987): alpha = .80, n = 100, k = 10 gives F(99, 891) bounds.
    from scipy import stats

    low, high = feldt_interval(0.80, 100, 10, 0.95)
    assert low == pytest.approx(1 - 0.2 * stats.f.ppf(0.975, 99, 891), abs=1e-12)
    assert high == pytest.approx(1 - 0.2 * stats.f.ppf(0.025, 99, 891), abs=1e-12)
    assert low < 0.80 < high


def test_alpha_not_defined_is_said_not_nan():
    one = cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4]}), "single")
    assert one.alpha is None and "fewer than two items" in one.note
    flat = cronbach_alpha(pd.DataFrame({"a": [3, 3, 3], "b": [4, 4, 4]}), "flat")
    assert flat.alpha is None and "varies" in flat.note


def test_reliability_table_has_each_dimension_and_overall(codebook, example):
    table = reliability_by_dimension(example[example["cycle"] == "C2"], codebook)
    assert table["scale"].tolist() == ["PAR", "HAP", "ACC", "NET", "AST", "TEC", "overall"]
    assert table["n_items"].tolist() == [5, 4, 4, 4, 5, 5, 27]
    assert (table["missing_policy"] == "pairwise").all()
