"""Group comparisons against R's oneway.test, kruskal.test and effectsize, and pingouin."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from analysis.stats.descriptives import respondent_scores
from analysis.stats.groups import compare_groups, games_howell, welch_anova
from tests.conftest import REFERENCE

ORDER = ["teacher", "employee", "pensioner"]


@pytest.fixture(scope="module")
def c2() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "example_processed.csv")
    return data[data["cycle"] == "C2"].reset_index(drop=True)


def test_welch_anova_kruskal_and_effect_sizes_match_r(reference, codebook, c2):
    scores = respondent_scores(c2, codebook)
    assert len(reference["groups"]) == 7
    for ref in reference["groups"]:
        res = compare_groups(scores[ref["scale"]].rename(ref["scale"]), c2["group"], ORDER)
        assert res.test == "Welch's ANOVA"
        got = [res.statistic, res.df1, res.df2, res.p, res.effect_size]
        want = [ref["welch_f"], ref["welch_df1"], ref["welch_df2"], ref["welch_p"], ref["eta_squared"]]
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=ref["scale"])
        got = [res.kruskal_h, res.kruskal_df, res.kruskal_p, res.rank_epsilon_squared]
        want = [ref["kruskal_h"], ref["kruskal_df"], ref["kruskal_p"], ref["rank_epsilon_squared"]]
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=ref["scale"])


def test_games_howell_and_welch_agree_with_pingouin(codebook, c2):
    frame = pd.DataFrame({"y": respondent_scores(c2, codebook)["overall"], "g": c2["group"]})
    samples = [frame.loc[frame["g"] == g, "y"].to_numpy() for g in ORDER]
    ours = games_howell(samples, ORDER)
    theirs = pg.pairwise_gameshowell(frame, dv="y", between="g")
    for row in ours.itertuples():
        match = theirs[
            ((theirs["A"] == row.group_a) & (theirs["B"] == row.group_b))
            | ((theirs["A"] == row.group_b) & (theirs["B"] == row.group_a))
        ].iloc[0]
        sign = 1 if match["A"] == row.group_a else -1
        assert row.t == pytest.approx(sign * match["T"], abs=1e-9)
        assert row.df == pytest.approx(match["df"], abs=1e-9)
        # Hedges' g with the sign of the difference, as pingouin reports it (A - B); pingouin's
        # J = 1 - 3/(4 df - 1) approximates our exact Gamma-function J to about 1e-8 here
        assert row.hedges_g == pytest.approx(sign * match["hedges"], abs=1e-6)
        assert np.sign(row.hedges_g) == np.sign(row.difference)
        assert row.p == pytest.approx(match["pval"], abs=1e-6)  # studentized range integration
    w = welch_anova(samples)
    pw = pg.welch_anova(frame, dv="y", between="g")
    assert w.f == pytest.approx(pw["F"].iloc[0], abs=1e-9) and w.p == pytest.approx(
        pw["p_unc"].iloc[0], abs=1e-9
    )


def test_two_groups_use_welch_t():
    y = pd.Series([4.0, 4.5, 3.5, 5.0, 4.0, 3.0, 2.5, 3.5], name="overall")
    g = pd.Series(["a"] * 4 + ["b"] * 4)
    res = compare_groups(y, g)
    assert res.test == "Welch's t-test" and res.effect_size_name == "Hedges' g" and res.df2 is None
    assert res.posthoc == []


def test_small_or_missing_groups_are_said_not_crashed():
    y = pd.Series([4.0, 4.5, 3.5, 5.0, 4.0], name="PAR")
    one = compare_groups(y, pd.Series(["a", "a", "a", "a", "b"]))
    assert one.p is None and one.note_codes == ["left_out", "fewer_than_two_groups"] and one.left_out == ["b"]
    flat = compare_groups(pd.Series([4.0, 4.0, 3.0, 5.0], name="x"), pd.Series(["a", "a", "b", "b"]))
    assert (
        flat.p is None
        and flat.note_codes == ["no_variation"]
        and flat.without_variation == ["a"]
        and flat.kruskal_p is not None
    )
