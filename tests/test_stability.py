"""Equal-alpha tests across cycles (analysis.stats.stability) against published worked examples and
psych::alpha per cycle (tests/reference/make_fixtures_cycles.R)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.stats import stability as st
from tests.conftest import REFERENCE

SCALES = {
    "A": ["i1", "i2", "i3"],
    "B": ["i4", "i5", "i6"],
    "C": ["i7", "i8", "i9"],
    "overall": [f"i{j}" for j in range(1, 10)],
}


def test_feldt_charter_feldt_1996_worked_example():
    # Charter & Feldt (1996): alpha .78 (n = 41) against .71 (n = 151): W = 1.318, df 40 and 150,
    # two-sided p = .242 (the paper doubles the rounded one-sided .121).
    r = st.feldt_two_alphas(0.71, 151, 0.78, 41)
    assert round(r["statistic"], 3) == 1.318
    assert (r["df1"], r["df2"]) == (40, 150)
    assert round(r["p"] / 2, 3) == 0.121
    # the order of the samples does not change p
    assert st.feldt_two_alphas(0.78, 41, 0.71, 151)["p"] == pytest.approx(r["p"], rel=1e-12)


@pytest.mark.parametrize(
    ("alphas", "items", "n", "chi2", "p"),
    [
        # Feldt, Woodruff & Salih (1987), Applied Psychological Measurement 11, 93-103
        ((0.784, 0.875, 0.936), (5, 5, 5), (51, 101, 151), 22.926, None),
        # AlphaTest (Lautenschlager & Meade, 2008) cases, as reproduced by R cocron's tests
        ((0.6, 0.7), (50, 100), (150, 200), 3.4535, 0.0631),
        ((0.9, 0.7), (25, 30), (200, 150), 47.559, 0.0000),
        ((0.9, 0.7, 0.8), (15, 15, 12), (100, 150, 130), 31.3795, 0.0000),
        ((0.7, 0.75, 0.7), (10, 10, 10), (100, 120, 130), 1.0553, 0.59),
        ((0.7, 0.8, 0.75, 0.77), (15, 15, 20, 20), (100, 100, 200, 200), 4.9738, 0.1737),
    ],
)
def test_hakstian_whalen_published_examples(alphas, items, n, chi2, p):
    r = st.hakstian_whalen(list(alphas), list(n), list(items))
    decimals = len(str(chi2).split(".")[1])
    assert round(r["statistic"], decimals) == chi2
    assert r["df1"] == len(alphas) - 1
    if p is not None:
        assert round(r["p"], 4) == p


def test_hakstian_whalen_agrees_with_feldt_for_two_large_samples():
    # Both are large-sample tests of the same hypothesis: with big samples their p-values agree.
    for a1, a2 in ((0.80, 0.82), (0.85, 0.87), (0.70, 0.74)):
        hw = st.hakstian_whalen([a1, a2], [3000, 3000], [20, 20])["p"]
        feldt = st.feldt_two_alphas(a1, 3000, a2, 3000)["p"]
        assert hw == pytest.approx(feldt, abs=0.01), (a1, a2, hw, feldt)
    assert st.equal_alphas_test([0.8, 0.82], [300, 300], [20, 20])["test"] == "feldt_1969"
    assert st.equal_alphas_test([0.8, 0.82, 0.83], [300] * 3, [20] * 3)["test"] == "hakstian_whalen_1976"


def test_alpha_by_cycle_matches_psych(tmp_path):
    ref = json.loads((REFERENCE / "fixtures_cycles.json").read_text(encoding="utf-8"))
    panel = pd.read_csv(REFERENCE / "cycles_panel.csv")
    per_cycle, tests = st.alpha_by_cycle(panel, SCALES, panel["cycle"], ["C1", "C2", "C3"])
    for r in ref["alpha_per_cycle"]:
        for rc in r["cycles"]:
            row = per_cycle[(per_cycle["scale"] == r["scale"]) & (per_cycle["cycle"] == rc["cycle"])].iloc[0]
            assert row["alpha"] == pytest.approx(rc["alpha"], rel=1e-10)
            assert (row["n"], row["k"]) == (rc["n"], rc["k"])
    assert set(tests["code"]) == {st.OK} and set(tests["test"]) == {"hakstian_whalen_1976"}
    overall = tests.set_index("scale").loc["overall"]
    by = per_cycle[per_cycle["scale"] == "overall"]
    want = st.hakstian_whalen(list(by["alpha"]), list(by["n"]), list(by["k"]))
    assert overall["statistic"] == pytest.approx(want["statistic"])


def test_a_cycle_without_alpha_is_left_out_and_coded():
    rng = np.random.default_rng(1)
    data = pd.DataFrame(rng.integers(1, 6, size=(42, 3)), columns=["a", "b", "c"]).astype(float)
    cycles = pd.Series(["C1"] * 20 + ["C2"] * 20 + ["C3"] * 2)
    per_cycle, tests = st.alpha_by_cycle(data, {"S": ["a", "b", "c"]}, cycles, ["C1", "C2", "C3"])
    assert list(per_cycle["code"]) == [st.OK, st.OK, st.ALPHA_NOT_DEFINED]
    assert tests["cycles"][0] == ["C1", "C2"]
    one = cycles.replace({"C2": "C1"})  # C1 and two rows of C3
    _, tests = st.alpha_by_cycle(data, {"S": ["a", "b", "c"]}, one, ["C1", "C2", "C3"])
    assert tests["code"][0] == st.FEWER_THAN_TWO_CYCLES and np.isnan(tests["p"][0])


def test_negative_alpha_is_coded_not_tested():
    x = np.tile([1.0, 2, 3, 4, 5], 8)
    data = pd.DataFrame({"a": x, "b": 6 - x, "c": np.roll(x, 1)})
    cycles = pd.Series(["C1", "C2"] * 20)
    per_cycle, tests = st.alpha_by_cycle(data, {"S": ["a", "b", "c"]}, cycles, ["C1", "C2"])
    assert (per_cycle["alpha"] < 0).all()
    assert tests["code"][0] == st.ALPHA_OUT_OF_RANGE and np.isnan(tests["statistic"][0])


def test_instrument_stability_on_the_example(codebook):
    data = pd.read_csv(REFERENCE / "example_processed.csv")
    out = st.instrument_stability(data, codebook, data["cycle"], ["C1", "C2"])
    assert set(out["alpha"]["scale"]) == {d.code for d in codebook.dimensions} | {"overall"}
    assert set(out["alpha_tests"]["test"]) == {"feldt_1969"} and set(out["alpha_tests"]["code"]) == {st.OK}
    assert out["invariance"]["code"] == "ok" and out["invariance"]["level"] in {
        "configural",
        "metric",
        "scalar",
    }
