"""PDCA cycle evaluation: did the scores change between two cycles?

For each dimension and overall, two views of the same question:

* all respondents of each cycle (independent samples): Welch's t-test and Hedges' g;
* respondents present in both cycles (matched by pseudonymous id): paired t-test and
  Cohen's d_z.

p-values are Holm-adjusted across the dimensions (overall excluded). The verdict names the
test behind it: paired when at least ``min_paired`` respondents are matched, else Welch.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln
from statsmodels.stats.multitest import multipletests


def hedges_g(x: np.ndarray, y: np.ndarray) -> float:
    """Hedges' g of ``y - x`` with the pooled S.D. and the exact small-sample correction.

    .. math::
        g = J(\\nu)\\,\\frac{\\bar y - \\bar x}{s_p},\\quad
        s_p = \\sqrt{\\frac{(n_x-1)s_x^2 + (n_y-1)s_y^2}{\\nu}},\\quad \\nu = n_x+n_y-2,\\quad
        J(\\nu) = \\frac{\\Gamma(\\nu/2)}{\\sqrt{\\nu/2}\\,\\Gamma((\\nu-1)/2)}

    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. *Journal of Educational Statistics*, 6(2), 107–128.
    In R: ``effectsize::hedges_g(y, x)``.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    nx, ny = len(x), len(y)
    nu = nx + ny - 2
    sp = math.sqrt(((nx - 1) * x.var(ddof=1) + (ny - 1) * y.var(ddof=1)) / nu)
    j = math.exp(gammaln(nu / 2) - math.log(math.sqrt(nu / 2)) - gammaln((nu - 1) / 2))
    return float(j * (y.mean() - x.mean()) / sp)


def cohens_dz(diff: np.ndarray) -> float:
    """Cohen's :math:`d_z = \\bar d / s_d` of paired differences (Cohen, 1988, eq. 2.3.5).
    In R: ``effectsize::cohens_d(y, x, paired = TRUE)`` (effectsize ≥ 0.8.7: ``rm_d``
    with ``method = "z"``)."""
    diff = np.asarray(diff, float)
    return float(diff.mean() / diff.std(ddof=1))


def verdict(p_value: float, difference: float, alpha: float = 0.05) -> str:
    """ "improved" / "declined" when p < alpha, else "no clear change"."""
    if p_value is None or math.isnan(p_value) or p_value >= alpha:
        return "no clear change"
    return "improved" if difference > 0 else "declined"


def compare_cycles(
    scores: pd.DataFrame,
    ids: pd.Series,
    cycles: pd.Series,
    before: str,
    after: str,
    columns: list[str],
    *,
    min_paired: int = 10,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Compare each score column between two cycles (see module docstring).

    ``scores``, ``ids`` and ``cycles`` are aligned row-wise (one row per submission).
    Returns one row per column with the statistics of both views and the verdict.
    """
    rows = []
    for col in columns:
        x = scores.loc[cycles == before, col].dropna().to_numpy()
        y = scores.loc[cycles == after, col].dropna().to_numpy()
        row = {
            "scale": col,
            "cycle_before": before,
            "cycle_after": after,
            "n_before": len(x),
            "n_after": len(y),
            "mean_before": x.mean() if len(x) else np.nan,
            "mean_after": y.mean() if len(y) else np.nan,
        }
        row["difference"] = row["mean_after"] - row["mean_before"]
        if len(x) >= 2 and len(y) >= 2:
            w = stats.ttest_ind(y, x, equal_var=False)  # Welch (1947); R: t.test(y, x)
            row.update(
                welch_t=float(w.statistic),
                welch_df=float(w.df),
                welch_p=float(w.pvalue),
                hedges_g=hedges_g(x, y),
            )
        else:
            row.update(welch_t=np.nan, welch_df=np.nan, welch_p=np.nan, hedges_g=np.nan)
        a = pd.Series(scores.loc[cycles == before, col].to_numpy(), index=ids[cycles == before].to_numpy())
        b = pd.Series(scores.loc[cycles == after, col].to_numpy(), index=ids[cycles == after].to_numpy())
        pair = pd.concat([a, b], axis=1, join="inner").dropna()
        row["n_paired"] = len(pair)
        if len(pair) >= 2:
            diff = (pair.iloc[:, 1] - pair.iloc[:, 0]).to_numpy()
            # R: t.test(after, before, paired = TRUE)
            p = stats.ttest_rel(pair.iloc[:, 1].to_numpy(), pair.iloc[:, 0].to_numpy())
            row.update(
                paired_mean_difference=float(diff.mean()),
                paired_t=float(p.statistic),
                paired_df=float(p.df),
                paired_p=float(p.pvalue),
                cohens_dz=cohens_dz(diff) if diff.std(ddof=1) > 0 else np.nan,
            )
        else:
            row.update(
                paired_mean_difference=np.nan,
                paired_t=np.nan,
                paired_df=np.nan,
                paired_p=np.nan,
                cohens_dz=np.nan,
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["test"] = np.where(frame["n_paired"] >= min_paired, "paired t-test", "Welch t-test")
    frame["p"] = np.where(frame["test"] == "paired t-test", frame["paired_p"], frame["welch_p"])
    dims = frame["scale"] != "overall"
    frame["p_holm"] = frame["p"]
    valid = dims & frame["p"].notna()
    if valid.any():
        frame.loc[valid, "p_holm"] = multipletests(frame.loc[valid, "p"], method="holm")[1]
    frame["verdict"] = [
        verdict(p, d, alpha) for p, d in zip(frame["p_holm"], frame["difference"], strict=True)
    ]
    return frame
