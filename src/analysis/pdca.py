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
from scipy.special import gammaln, stdtr


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


def welch_t_test(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Welch's t-test of ``mean(y) - mean(x)``: (t, df, two-sided p).

    .. math::
        t = \\frac{\\bar y - \\bar x}{\\sqrt{s_x^2/n_x + s_y^2/n_y}},\\quad
        \\nu = \\frac{(s_x^2/n_x + s_y^2/n_y)^2}{\\frac{(s_x^2/n_x)^2}{n_x-1} + \\frac{(s_y^2/n_y)^2}{n_y-1}},
        \\quad p = 2\\,F_{t,\\nu}(-|t|)

    Welch, B. L. (1947). The generalization of Student's problem when several different
    population variances are involved. *Biometrika*, 34(1–2), 28–35. In R: ``t.test(y, x)``
    (tested against it). The t CDF is ``scipy.special.stdtr``, which scipy.stats uses too.
    """
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    t = (y.mean() - x.mean()) / math.sqrt(vx + vy)
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
    return float(t), float(df), float(2 * stdtr(df, -abs(t)))


def paired_t_test(diff: np.ndarray) -> tuple[float, float, float]:
    """Paired t-test of the differences ``after - before``: (t, df, two-sided p), with
    :math:`t = \\bar d / (s_d/\\sqrt n)`, :math:`\\nu = n - 1` (Student, 1908). In R:
    ``t.test(after, before, paired = TRUE)`` (tested against it)."""
    n = len(diff)
    t = diff.mean() / (diff.std(ddof=1) / math.sqrt(n))
    return float(t), float(n - 1), float(2 * stdtr(n - 1, -abs(t)))


def holm_adjust(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values: with the *m* p-values sorted ascending,
    :math:`\\tilde p_{(i)} = \\min\\{1, \\max_{j \\le i} (m - j + 1)\\,p_{(j)}\\}`.

    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65–70. In R: ``p.adjust(p, "holm")`` (tested against it);
    statsmodels' ``multipletests(p, method="holm")`` computes the same.
    """
    p = np.asarray(p_values, float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = stepped
    return out


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
            welch_t, welch_df, welch_p = welch_t_test(x, y)
            row.update(
                welch_t=welch_t,
                welch_df=welch_df,
                welch_p=welch_p,
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
            paired_t, paired_df, paired_p = paired_t_test(diff)
            row.update(
                paired_mean_difference=float(diff.mean()),
                paired_t=paired_t,
                paired_df=paired_df,
                paired_p=paired_p,
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
        frame.loc[valid, "p_holm"] = holm_adjust(frame.loc[valid, "p"].to_numpy())
    frame["verdict"] = [
        verdict(p, d, alpha) for p, d in zip(frame["p_holm"], frame["difference"], strict=True)
    ]
    return frame
