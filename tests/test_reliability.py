"""Cronbach's alpha against R's psych::alpha (tests/reference/make_fixtures.R)."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from analysis.stats.reliability import (
    FELDT,
    _jackknife_alphas,
    _weighted_alphas,
    alpha_with_item_statistics,
    bootstrap_alpha,
    bootstrap_resample_counts,
    cronbach_alpha,
    feldt_interval,
    item_analysis,
    item_moments,
    item_statistics,
    reliability_by_dimension,
    scale_reliability,
)
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
    assert one.alpha is None and one.note_code == "fewer_than_two_items"
    flat = cronbach_alpha(pd.DataFrame({"a": [3, 3, 3], "b": [4, 4, 4]}), "flat")
    assert flat.alpha is None and flat.note_code == "no_item_varies"


def test_reliability_table_has_each_dimension_and_overall(codebook, example):
    table = reliability_by_dimension(example[example["cycle"] == "C2"], codebook)
    assert table["scale"].tolist() == ["PAR", "HAP", "ACC", "NET", "AST", "TEC", "overall"]
    assert table["n_items"].tolist() == [5, 4, 4, 4, 5, 5, 27]
    assert (table["missing_policy"] == "pairwise").all()


# --------------------------------------------------------------------------- issue 4
def test_other_statistics_match_psych(reference, bfi, example):
    """std.alpha, G6(smc), average_r (closed form, 1e-6) and omega.tot (iterative, 1e-3)."""
    for case in reference["alpha"]:
        res = scale_reliability(case_data(case, bfi, example), case["name"], case["missing_policy"], n_boot=0)
        for ours, theirs in [
            (res.std_alpha, case["std_alpha"]),
            (res.lambda6, case["lambda6"]),
            (res.average_r, case["average_r"]),
        ]:
            assert ours == pytest.approx(theirs, abs=1e-6), case["name"]
        assert res.omega_total == pytest.approx(case["omega_total"], abs=1e-3), case["name"]


def test_item_statistics_match_psych(reference, bfi, example):
    """n, mean, sd, r.drop and alpha.drop from psych::alpha, to 1e-6."""
    for case in reference["alpha"]:
        ours = item_statistics(case_data(case, bfi, example), case["missing_policy"])
        theirs = pd.DataFrame(case["item_stats"])
        assert ours["item"].tolist() == theirs["item"].tolist()
        for col in ("n", "mean", "sd", "r_drop", "alpha_if_deleted"):
            np.testing.assert_allclose(
                ours[col], theirs[col], rtol=0, atol=1e-6, err_msg=f"{case['name']} {col}"
            )


def test_item_statistics_and_alpha_agree_with_pingouin(bfi):
    items = bfi[["O1", "O2", "O3", "O4", "O5"]].copy()
    items[["O2", "O5"]] = 7 - items[["O2", "O5"]]
    res = scale_reliability(items, "O", "pairwise", n_boot=0)
    theirs, _ = pg.cronbach_alpha(items)
    assert res.alpha == pytest.approx(theirs, abs=1e-12)
    stats = item_statistics(items)
    for i, item in enumerate(items.columns):
        rest = items.drop(columns=item)
        assert stats["alpha_if_deleted"][i] == pytest.approx(pg.cronbach_alpha(rest)[0], abs=1e-12)


def test_missing_policy_is_selectable_and_recorded(bfi):
    items = bfi[["A2", "A3", "A4"]]
    pair = scale_reliability(items, "A", "pairwise", n_boot=0)
    listwise = scale_reliability(items, "A", "listwise", n_boot=0)
    assert pair.missing_policy == "pairwise" and listwise.missing_policy == "listwise"
    assert listwise.n_obs == len(items.dropna()) < pair.n_obs == len(items)
    with pytest.raises(ValueError, match="missing_policy"):
        scale_reliability(items, "A", "mean-impute")


def test_warnings_are_given_not_silence():
    rng = np.random.default_rng(1)
    trait = rng.normal(size=200)
    items = pd.DataFrame(
        {f"q{i}": np.clip(np.round(3 + trait + rng.normal(size=200)), 1, 5) for i in range(4)}
    )
    items["q_neg"] = 6 - items["q0"]  # should have been reverse-keyed
    items["q_flat"] = 4.0
    res = scale_reliability(items, "D", n_boot=0)
    codes = {(c[0], c[2]): c for c in res.warning_codes}
    assert codes[("negative_item_rest_r", "q_neg")][3] < 0 and codes[("zero_variance", "q_flat")][3] == 0.0
    assert all(c[1] == "D" for c in res.warning_codes)
    single = scale_reliability(items[["q0"]], "S")
    assert single.alpha is None and single.note_code == "fewer_than_two_items"
    assert single.warning_codes == [("fewer_than_two_items", "S", "", 1.0)]
    assert not hasattr(single, "note") and not hasattr(single, "warnings")  # codes only


def test_bootstrap_is_seeded_and_each_resample_is_alpha_of_that_resample(example):
    items = example.loc[example["cycle"] == "C2", ["PAR1", "PAR2", "PAR3", "PAR4", "PAR5"]].dropna()
    values = items.to_numpy(float)
    counts = bootstrap_resample_counts(len(values), 5, seed=7)
    assert (counts.sum(axis=1) == len(values)).all()
    vectorised = _weighted_alphas(values, counts)
    for b in range(5):
        resample = pd.DataFrame(np.repeat(values, counts[b].astype(int), axis=0))
        assert vectorised[b] == pytest.approx(cronbach_alpha(resample).alpha, abs=1e-10)
    first = bootstrap_alpha(items, n_boot=300, seed=3)
    assert first == bootstrap_alpha(items, n_boot=300, seed=3)
    assert first != bootstrap_alpha(items, n_boot=300, seed=4)


def test_bootstrap_with_gaps_uses_pairwise_alpha(example):
    items = example.loc[example["cycle"] == "C2", ["AST1", "AST2", "AST3", "AST4", "AST5"]]
    assert items.isna().any().any()
    values = items.to_numpy(float)
    counts = bootstrap_resample_counts(len(values), 3, seed=11)
    vectorised = _weighted_alphas(values, counts)
    for b in range(3):
        resample = pd.DataFrame(np.repeat(values, counts[b].astype(int), axis=0))
        assert vectorised[b] == pytest.approx(cronbach_alpha(resample).alpha, abs=1e-10)
    jack = _jackknife_alphas(values)
    for i in (0, 17, len(values) - 1):
        assert jack[i] == pytest.approx(
            cronbach_alpha(pd.DataFrame(np.delete(values, i, axis=0))).alpha, abs=1e-10
        )


def test_bca_matches_scipy_given_the_same_resamples(example):
    """scipy.stats.bootstrap computes its own BCa (jackknife and all) from our distribution."""
    from types import SimpleNamespace

    from scipy import stats

    items = example.loc[example["cycle"] == "C2", ["NET1", "NET2", "NET3", "NET4"]].dropna()
    values = items.to_numpy(float)
    ours = bootstrap_alpha(items, "pairwise", n_boot=2000, seed=5)
    boot = _weighted_alphas(values, bootstrap_resample_counts(len(values), 2000, 5))

    def alpha_of_rows(idx):
        return cronbach_alpha(pd.DataFrame(values[idx.astype(int)])).alpha

    theirs = stats.bootstrap(
        (np.arange(len(values)),),
        alpha_of_rows,
        vectorized=False,
        n_resamples=0,
        method="BCa",
        confidence_level=0.95,
        bootstrap_result=SimpleNamespace(bootstrap_distribution=boot),
    )
    assert ours.bca == pytest.approx(tuple(theirs.confidence_interval), abs=1e-10)
    pct = stats.bootstrap(
        (np.arange(len(values)),),
        alpha_of_rows,
        vectorized=False,
        n_resamples=0,
        method="percentile",
        bootstrap_result=SimpleNamespace(bootstrap_distribution=boot),
    )
    assert ours.percentile == pytest.approx(tuple(pct.confidence_interval), abs=1e-10)
    # and all three intervals cover the estimate, each named
    res = scale_reliability(items, "NET", n_boot=500)
    assert res.ci_low < res.alpha < res.ci_high and res.ci_method == FELDT
    assert res.boot_bca_low < res.alpha < res.boot_bca_high and res.n_boot == 500


def test_reliability_table_reports_every_statistic(codebook, example):
    table = reliability_by_dimension(example[example["cycle"] == "C2"], codebook, n_boot=200)
    for col in ("std_alpha", "lambda6", "average_r", "omega_total", "boot_bca_low", "boot_percentile_high"):
        assert table[col].notna().all(), col
    items = item_analysis(example[example["cycle"] == "C2"], codebook)
    assert len(items) == 27 and set(items["dimension"]) == {"PAR", "HAP", "ACC", "NET", "AST", "TEC"}


def test_one_pass_equals_separate_calls_and_pandas_covariance(bfi):
    items = bfi[["E3", "E4", "E5"]].dropna()
    alpha, stats = alpha_with_item_statistics(items, "E")
    assert alpha == cronbach_alpha(items, "E")
    pd.testing.assert_frame_equal(stats, item_statistics(items))
    np.testing.assert_allclose(item_moments(items).cov, items.cov().to_numpy(), rtol=0, atol=1e-12)
