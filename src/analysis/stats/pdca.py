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
from scipy.special import gammaln


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
    """Welch's t-test of ``mean(y) - mean(x)``: (t, df, two-sided p), by
    ``scipy.stats.ttest_ind(y, x, equal_var=False)``.

    .. math::
        t = \\frac{\\bar y - \\bar x}{\\sqrt{s_x^2/n_x + s_y^2/n_y}},\\quad
        \\nu = \\frac{(s_x^2/n_x + s_y^2/n_y)^2}{\\frac{(s_x^2/n_x)^2}{n_x-1} + \\frac{(s_y^2/n_y)^2}{n_y-1}}

    Welch, B. L. (1947). The generalization of Student's problem when several different
    population variances are involved. *Biometrika*, 34(1–2), 28–35. In R: ``t.test(y, x)``
    (tested against it)."""
    from scipy.stats import ttest_ind

    res = ttest_ind(np.asarray(y, float), np.asarray(x, float), equal_var=False)
    return float(res.statistic), float(res.df), float(res.pvalue)


def paired_t_test(diff: np.ndarray) -> tuple[float, float, float]:
    """Paired t-test of the differences ``after - before``: (t, df, two-sided p), with
    :math:`t = \\bar d / (s_d/\\sqrt n)`, :math:`\\nu = n - 1` (Student, 1908), by
    ``scipy.stats.ttest_1samp(diff, 0)`` (the same as ``ttest_rel(after, before)``). In R:
    ``t.test(after, before, paired = TRUE)`` (tested against it)."""
    from scipy.stats import ttest_1samp

    res = ttest_1samp(np.asarray(diff, float), 0.0)
    return float(res.statistic), float(res.df), float(res.pvalue)


def holm_adjust(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values: with the *m* p-values sorted ascending,
    :math:`\\tilde p_{(i)} = \\min\\{1, \\max_{j \\le i} (m - j + 1)\\,p_{(j)}\\}`.

    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65–70. In R: ``p.adjust(p, "holm")`` (tested against it);
    statsmodels' ``multipletests(p, method="holm")`` computes the same.
    """
    p_all = np.asarray(p_values, float)
    out = np.full(len(p_all), np.nan)
    defined = ~np.isnan(p_all)  # undefined p-values are left out, as p.adjust(..., n = sum(!is.na(p)))
    p = p_all[defined]
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    adjusted = np.empty(m)
    adjusted[order] = stepped
    out[defined] = adjusted
    return out


def cohens_dz(diff: np.ndarray) -> float:
    """Cohen's :math:`d_z = \\bar d / s_d` of paired differences (Cohen, 1988, eq. 2.3.5).
    In R: ``effectsize::cohens_d(y, x, paired = TRUE)`` (effectsize ≥ 0.8.7: ``rm_d``
    with ``method = "z"``)."""
    diff = np.asarray(diff, float)
    return float(diff.mean() / diff.std(ddof=1))


def mean_difference_ci(
    x: np.ndarray, y: np.ndarray | None = None, level: float = 0.95
) -> tuple[float, float, float]:
    """Mean difference with its t-based confidence interval: (difference, low, high).

    Paired (``y`` None, ``x`` the differences): :math:`\\bar d \\pm t_{n-1}\\,s_d/\\sqrt n`
    (``scipy.stats.ttest_1samp(d, 0).confidence_interval(level)``). Independent:
    :math:`(\\bar y - \\bar x) \\pm t_{\\nu}\\sqrt{s_x^2/n_x + s_y^2/n_y}` with Welch's
    :math:`\\nu` (``scipy.stats.ttest_ind(y, x, equal_var=False).confidence_interval(level)``).
    R: ``t.test(...)$conf.int``."""
    from scipy.stats import ttest_1samp, ttest_ind

    if y is None:
        d = np.asarray(x, float)
        res, diff = ttest_1samp(d, 0.0), d.mean()
    else:
        x, y = np.asarray(x, float), np.asarray(y, float)
        res, diff = ttest_ind(y, x, equal_var=False), y.mean() - x.mean()
    ci = res.confidence_interval(confidence_level=level)
    return float(diff), float(ci.low), float(ci.high)


def wilcoxon_signed_rank(diff: np.ndarray) -> tuple[float, float, float]:
    """Wilcoxon signed-rank test of paired differences ``after - before``: (V, p, r).

    Zeros are dropped; *V* is the sum of the ranks of the positive differences (mid-ranks
    of :math:`|d|`); p is two-sided from the normal approximation with continuity and tie
    corrections (``scipy.stats.wilcoxon(..., method="approx", correction=True)``), as
    ``wilcox.test(after, before, paired = TRUE)`` reports with ties. The matched-pairs
    rank-biserial correlation is :math:`r = (V - V^-)/(V + V^-)` (Kerby, 2014,
    *Comprehensive Psychology* 3; R: ``effectsize::rank_biserial(after, before, paired = TRUE)``)."""
    from scipy.stats import wilcoxon

    d = np.asarray(diff, float)
    d = d[d != 0]
    if len(d) == 0:
        return float("nan"), float("nan"), float("nan")
    ranks = pd.Series(np.abs(d)).rank(method="average").to_numpy()
    positive, negative = ranks[d > 0].sum(), ranks[d < 0].sum()
    p = wilcoxon(d, zero_method="wilcox", correction=True, method="approx").pvalue
    return float(positive), float(p), float((positive - negative) / (positive + negative))


def mann_whitney(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Mann–Whitney U test of ``y`` against ``x``: (W, p, r).

    *W* is the U statistic of ``y`` (R's ``wilcox.test(y, x)$statistic``); p is two-sided from
    the normal approximation with continuity and tie corrections
    (``scipy.stats.mannwhitneyu(..., method="asymptotic")``). Rank-biserial correlation
    :math:`r = 2W/(n_x n_y) - 1`, positive when ``y`` tends to be larger (Glass, 1965;
    R: ``effectsize::rank_biserial(y, x)``)."""
    from scipy.stats import mannwhitneyu

    x, y = np.asarray(x, float), np.asarray(y, float)
    res = mannwhitneyu(y, x, use_continuity=True, alternative="two-sided", method="asymptotic")
    w = float(res.statistic)
    return w, float(res.pvalue), 2 * w / (len(x) * len(y)) - 1


def verdict(p_value: float, difference: float, alpha: float = 0.05) -> str:
    """ "improved" / "declined" when p < alpha, else "no clear change"."""
    if p_value is None or math.isnan(p_value) or p_value >= alpha:
        return "no clear change"
    return "improved" if difference > 0 else "declined"


INDEPENDENT_COLUMNS = (
    "welch_t", "welch_df", "welch_p", "welch_ci_low", "welch_ci_high", "hedges_g",
    "mann_whitney_w", "mann_whitney_p", "rank_biserial",
)  # fmt: skip
PAIRED_COLUMNS = (
    "paired_mean_difference", "paired_t", "paired_df", "paired_p", "paired_ci_low", "paired_ci_high",
    "cohens_dz", "wilcoxon_v", "wilcoxon_p", "rank_biserial_paired",
)  # fmt: skip


def comparison_note_codes(row: dict, min_paired: int) -> str:
    """Why a test could not be run or was replaced, as codes joined by ``;`` (empty when all
    ran); the numbers behind them are the row's own (``n_before``, ``n_paired``,
    ``paired_mean_difference``):

    - ``too_few_before`` / ``too_few_after``: fewer than 2 scores in a cycle, no Welch test;
    - ``paired_constant``: every paired respondent changed by the same amount, so the paired
      t-test is not defined and the Wilcoxon signed-rank test judges the change;
    - ``no_common_respondents``: no paired analysis;
    - ``few_common_respondents``: fewer than ``min_paired`` pairs, Welch's test is used."""
    codes = [f"too_few_{side}" for side in ("before", "after") if row[f"n_{side}"] < 2]
    if row.get("paired_constant"):
        codes.append("paired_constant")
    if row["n_paired"] == 0:
        codes.append("no_common_respondents")
    elif row["n_paired"] < min_paired:
        codes.append("few_common_respondents")
    return ";".join(codes)


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
        for label, values in (("before", x), ("after", y)):  # 95% CI of each cycle's mean
            _, low, high = mean_difference_ci(values) if len(values) >= 2 else (0, np.nan, np.nan)
            row[f"ci_{label}_low"], row[f"ci_{label}_high"] = low, high
        if len(x) >= 2 and len(y) >= 2:
            welch_t, welch_df, welch_p = welch_t_test(x, y)
            _, low, high = mean_difference_ci(x, y)
            mw, mw_p, r_rb = mann_whitney(x, y)
            row.update(
                welch_t=welch_t,
                welch_df=welch_df,
                welch_p=welch_p,
                welch_ci_low=low,
                welch_ci_high=high,
                hedges_g=hedges_g(x, y),
                mann_whitney_w=mw,
                mann_whitney_p=mw_p,
                rank_biserial=r_rb,
            )
        else:
            row.update(dict.fromkeys(INDEPENDENT_COLUMNS, np.nan))
        a = pd.Series(scores.loc[cycles == before, col].to_numpy(), index=ids[cycles == before].to_numpy())
        b = pd.Series(scores.loc[cycles == after, col].to_numpy(), index=ids[cycles == after].to_numpy())
        pair = pd.concat([a, b], axis=1, join="inner").dropna()
        row["n_paired"] = len(pair)
        row["paired_constant"] = False
        if len(pair) >= 2:
            diff = (pair.iloc[:, 1] - pair.iloc[:, 0]).to_numpy()
            paired_t, paired_df, paired_p = paired_t_test(diff)
            varies = diff.std(ddof=1) > 0
            _, low, high = mean_difference_ci(diff) if varies else (0, np.nan, np.nan)
            v, v_p, r_pair = wilcoxon_signed_rank(diff)
            row.update(
                paired_mean_difference=float(diff.mean()),
                paired_t=paired_t if varies else np.nan,
                paired_df=paired_df,
                paired_p=paired_p if varies else np.nan,
                paired_ci_low=low,
                paired_ci_high=high,
                cohens_dz=cohens_dz(diff) if varies else np.nan,
                wilcoxon_v=v,
                wilcoxon_p=v_p,
                rank_biserial_paired=r_pair,
                paired_constant=not varies,
            )
        else:
            row.update(dict.fromkeys(PAIRED_COLUMNS, np.nan))
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["note_codes"] = [comparison_note_codes(r, min_paired) for r in rows]
    paired = frame["n_paired"] >= min_paired
    constant = paired & frame["paired_constant"].astype(bool)
    frame["test"] = np.where(
        constant, "Wilcoxon signed-rank test", np.where(paired, "paired t-test", "Welch t-test")
    )
    frame["p"] = np.where(
        constant, frame["wilcoxon_p"], np.where(paired, frame["paired_p"], frame["welch_p"])
    )
    return holm_verdicts(frame, [frame["scale"] != "overall"], alpha)


def holm_verdicts(frame: pd.DataFrame, families: list[pd.Series], alpha: float = 0.05) -> pd.DataFrame:
    """``p_holm`` (Holm within each family of rows; rows in no family keep their p) and the
    ``verdict`` of each row (:func:`verdict` on its adjusted p and its ``difference``)."""
    frame["p_holm"] = frame["p"]
    for family in families:
        valid = family & frame["p"].notna()
        if valid.any():
            frame.loc[valid, "p_holm"] = holm_adjust(frame.loc[valid, "p"].to_numpy())
    frame["verdict"] = [
        verdict(p, d, alpha) for p, d in zip(frame["p_holm"], frame["difference"], strict=True)
    ]
    return frame


def act_priorities(
    dimensions: pd.DataFrame,
    items: pd.DataFrame,
    comparison: pd.DataFrame | None,
    attainment: pd.DataFrame | None,
    item_analysis: pd.DataFrame | None,
    *,
    latest_cycle: str,
    n_lowest: int = 3,
    weak_r: float = 0.30,
    since_first: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Improvement priorities for the next cycle (the Act of PDCA), each with the number that
    put it on the list, in this order: dimensions that declined against the cycle before
    (``comparison``); with three or more cycles, dimensions that declined against the first
    cycle (``since_first``, the latest cycle against the first) and are not listed already;
    indicators not met in the latest cycle; the lowest-mean dimension; the ``n_lowest``
    lowest-mean items; items whose item-rest correlation is below ``weak_r`` (they measure their
    dimension weakly).

    Each row has a ``reason`` code (``declined``, ``declined_since_first``,
    ``indicator_not_met``, ``lowest_dimension``, ``lowest_item``, ``weak_item``), the
    ``dimension`` it concerns (an item's dimension, an
    indicator's survey dimension; "" for other indicators) and the numbers behind it (for an
    indicator its ``shortfall`` from the target, in its unit and direction; for a decline since
    the first cycle that cycle, ``since``); the report layer words them."""
    rows: list[dict] = []

    def add(kind: str, code: str, name: str, reason: str, value: float, **numbers) -> None:
        rows.append(
            {
                "priority": len(rows) + 1,
                "kind": kind,
                "code": code,
                "name_th": name,
                "reason": reason,
                "value": value,
                "dimension": code if kind == "dimension" else numbers.pop("dimension", ""),
                **numbers,
            }
        )

    names = dict(zip(dimensions["dimension"], dimensions["name_th"], strict=True))
    for table, reason in ((comparison, "declined"), (since_first, "declined_since_first")):
        if table is None or not len(table):
            continue
        listed = {row["code"] for row in rows}
        for r in table[(table["verdict"] == "declined") & (table["scale"] != "overall")].itertuples():
            if r.scale not in listed:
                since = {"since": r.cycle_before} if reason == "declined_since_first" else {}
                add("dimension", r.scale, names.get(r.scale, r.scale), reason, r.difference,
                    p_holm=r.p_holm, test=r.test, **since)  # fmt: skip
    if attainment is not None and len(attainment):
        latest = attainment[(attainment["cycle"] == latest_cycle) & (attainment["met"] == False)]  # noqa: E712
        for r in latest.itertuples():
            unit_en = getattr(r, "unit_en", r.unit)
            source = str(getattr(r, "source", "") or "")
            survey = source.removeprefix("survey:") if source.startswith("survey:") else ""
            direction = getattr(r, "direction", "higher") or "higher"
            shortfall = r.actual - r.target if direction == "lower" else r.target - r.actual
            add("indicator", r.indicator, r.name_th, "indicator_not_met", r.attainment_pct,
                actual=r.actual, target=r.target, unit=r.unit, unit_en=unit_en,
                name_en=getattr(r, "name_en", "") or "", direction=direction,
                shortfall=float(shortfall), dimension="" if survey == "overall" else survey)  # fmt: skip
    lowest = dimensions.sort_values(["mean", "order"]).iloc[0]
    add("dimension", lowest["dimension"], lowest["name_th"], "lowest_dimension", lowest["mean"])
    shown = items["mean"].round(2)  # ranks and ties as the means are printed
    for r in items.sort_values(["mean", "item"]).head(n_lowest).itertuples():
        mean = round(r.mean, 2)
        rank, tied = int((shown < mean).sum()) + 1, int((shown == mean).sum()) - 1
        add("item", r.item, r.text_th, "lowest_item", r.mean, rank=rank, tied=tied,
            dimension=getattr(r, "dimension", ""))  # fmt: skip
    if item_analysis is not None and len(item_analysis):
        texts = dict(zip(items["item"], items["text_th"], strict=True))
        for r in item_analysis[item_analysis["r_drop"] < weak_r].itertuples():
            add("item", r.item, texts.get(r.item, r.item), "weak_item", r.r_drop, threshold=weak_r,
                dimension=getattr(r, "dimension", ""))  # fmt: skip
    return pd.DataFrame(rows)
