"""Comparisons between respondent groups (teachers, permanent employees, pensioners, or any
grouping column): Welch's ANOVA (Welch's t-test for two groups), Kruskal–Wallis, effect
sizes and Games–Howell post-hoc tests. Checked against R's ``oneway.test``,
``kruskal.test`` and ``effectsize`` (tests/reference/make_fixtures.R) and pingouin.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from analysis.stats.pdca import hedges_g, welch_t_test

MIN_PER_GROUP = 2


@dataclass(frozen=True)
class WelchAnova:
    f: float
    df1: float
    df2: float
    p: float


def welch_anova(samples: list[np.ndarray]) -> WelchAnova:
    """Welch's (1951) one-way ANOVA for unequal variances: F and p from
    ``scipy.stats.f_oneway(*samples, equal_var=False)``; the denominator degrees of freedom,
    which scipy does not return, from the same weights :math:`w_i = n_i/s_i^2`:

    .. math::
        \\Lambda = \\sum_i (1 - w_i/\\textstyle\\sum w)^2/(n_i - 1),\\quad
        df_1 = k - 1,\\; df_2 = \\frac{k^2 - 1}{3\\Lambda}

    Reference: Welch, B. L. (1951). On the comparison of several mean values: an alternative
    approach. *Biometrika*, 38, 330–336. R: ``oneway.test(y ~ g, var.equal = FALSE)``."""
    from scipy.stats import f_oneway

    k = len(samples)
    n = np.array([len(s) for s in samples], dtype=float)
    w = n / np.array([np.var(s, ddof=1) for s in samples])
    lam = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
    result = f_oneway(*samples, equal_var=False)
    return WelchAnova(
        float(result.statistic), float(k - 1), float((k**2 - 1) / (3 * lam)), float(result.pvalue)
    )


def kruskal_wallis(samples: list[np.ndarray]) -> tuple[float, int, float]:
    """Kruskal–Wallis H corrected for ties and its p (chi-square approximation with k − 1
    df), from ``scipy.stats.kruskal`` (Kruskal & Wallis, 1952, JASA 47, 583–621).
    R: ``kruskal.test(y ~ g)``."""
    from scipy.stats import kruskal

    result = kruskal(*samples)
    return float(result.statistic), len(samples) - 1, float(result.pvalue)


def eta_squared(samples: list[np.ndarray]) -> float:
    """:math:`\\eta^2 = SS_{between}/SS_{total}` of the one-way layout (Cohen, 1988).
    R: ``effectsize::eta_squared(aov(y ~ g), partial = FALSE)``."""
    values = np.concatenate(samples)
    grand = values.mean()
    between = sum(len(s) * (np.mean(s) - grand) ** 2 for s in samples)
    return float(between / ((values - grand) ** 2).sum())


def rank_epsilon_squared(h: float, n: int) -> float:
    """Effect size of Kruskal–Wallis, :math:`\\varepsilon^2_R = H/((N^2-1)/(N+1)) = H/(N-1)`
    (Tomczak & Tomczak, 2014, Trends in Sport Sciences 21(1), 19–25).
    R: ``effectsize::rank_epsilon_squared(y ~ g)``."""
    return float(h / ((n**2 - 1) / (n + 1)))


def games_howell(samples: list[np.ndarray], names: list[str]) -> pd.DataFrame:
    """Games–Howell pairwise comparisons (Games & Howell, 1976, *Journal of Educational
    Statistics* 1, 113–125): for groups *i*, *j*

    .. math::
        t = \\frac{\\bar x_i - \\bar x_j}{\\sqrt{s_i^2/n_i + s_j^2/n_j}},\\quad
        df = \\frac{(s_i^2/n_i + s_j^2/n_j)^2}
                  {\\frac{(s_i^2/n_i)^2}{n_i-1} + \\frac{(s_j^2/n_j)^2}{n_j-1}},\\quad
        p = P(q_{k,df} > \\sqrt 2\\,|t|)

    with the studentized range distribution (``scipy.stats.studentized_range``). Matches
    ``pingouin.pairwise_gameshowell``; Hedges' g per pair."""
    from scipy.stats import studentized_range

    k = len(samples)
    rows = []
    for i in range(k):
        for j in range(i + 1, k):
            a, b = np.asarray(samples[i], float), np.asarray(samples[j], float)
            va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
            t = (a.mean() - b.mean()) / np.sqrt(va + vb)
            df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
            p = float(studentized_range.sf(np.sqrt(2) * abs(t), k, df))
            rows.append(
                {
                    "group_a": names[i],
                    "group_b": names[j],
                    "mean_a": a.mean(),
                    "mean_b": b.mean(),
                    "difference": a.mean() - b.mean(),
                    "t": t,
                    "df": df,
                    "p": min(p, 1.0),
                    "hedges_g": hedges_g(b, a),  # (mean_a - mean_b) / s_p: the sign of the difference
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class GroupComparison:
    """One scale compared across groups. ``test`` names the parametric test used."""

    scale: str
    groups: list[str]
    n: list[int]
    means: list[float]
    sds: list[float]
    test: str = ""
    statistic: float | None = None
    df1: float | None = None
    df2: float | None = None
    p: float | None = None
    effect_size: float | None = None
    effect_size_name: str = ""
    kruskal_h: float | None = None
    kruskal_df: int | None = None
    kruskal_p: float | None = None
    rank_epsilon_squared: float | None = None
    posthoc: list[dict] = field(default_factory=list)
    # why something was not tested: codes ``left_out`` (groups in ``left_out``, fewer than
    # MIN_PER_GROUP respondents), ``fewer_than_two_groups``, ``no_variation`` (groups in
    # ``without_variation``: Welch's test is not defined)
    note_codes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    without_variation: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def compare_groups(values: pd.Series, groups: pd.Series, order: list[str] | None = None) -> GroupComparison:
    """Compare one score across groups: Welch's t-test (two groups; Hedges' g) or Welch's
    ANOVA (three or more; eta squared, and Games–Howell post-hoc tests), plus Kruskal–Wallis
    with rank epsilon squared. Groups with fewer than two respondents are left out and named
    in ``left_out``; with fewer than two groups left nothing is tested (``note_codes`` say why)."""
    frame = pd.DataFrame({"y": values.astype(float), "g": groups}).dropna()
    by_group = {g: y.to_numpy() for g, y in frame.groupby("g", sort=False)["y"]}
    present = [g for g in (order or sorted(by_group)) if g in by_group]
    small = [g for g in present if len(by_group[g]) < MIN_PER_GROUP]
    kept = [g for g in present if g not in small]
    samples = [by_group[g] for g in kept]
    base = {
        "scale": str(values.name),
        "groups": kept,
        "n": [len(s) for s in samples],
        "means": [float(s.mean()) for s in samples],
        "sds": [float(s.std(ddof=1)) for s in samples],
    }
    codes = ["left_out"] if small else []
    base |= {"left_out": [str(g) for g in small]}
    if len(kept) < 2:
        return GroupComparison(**base, note_codes=[*codes, "fewer_than_two_groups"])
    if any(np.var(s, ddof=1) == 0 for s in samples):
        flat = [g for g, s in zip(kept, samples, strict=True) if np.var(s, ddof=1) == 0]
        codes.append("no_variation")
        parametric: dict = {"without_variation": flat}
    elif len(kept) == 2:
        t, df, p = welch_t_test(samples[0], samples[1])
        parametric = {
            "test": "Welch's t-test",
            "statistic": t,
            "df1": df,
            "p": p,
            "effect_size": hedges_g(samples[0], samples[1]),
            "effect_size_name": "Hedges' g",
        }
    else:
        w = welch_anova(samples)
        parametric = {
            "test": "Welch's ANOVA",
            "statistic": w.f,
            "df1": w.df1,
            "df2": w.df2,
            "p": w.p,
            "effect_size": eta_squared(samples),
            "effect_size_name": "eta squared",
            "posthoc": games_howell(samples, kept).to_dict(orient="records"),
        }
    h, df, p = kruskal_wallis(samples)
    n_total = sum(len(s) for s in samples)
    return GroupComparison(
        **base,
        **parametric,
        kruskal_h=h,
        kruskal_df=df,
        kruskal_p=p,
        rank_epsilon_squared=rank_epsilon_squared(h, n_total),
        note_codes=codes,
    )


def compare_groups_table(scores: pd.DataFrame, groups: pd.Series, order: list[str]) -> list[GroupComparison]:
    """:func:`compare_groups` for every column of ``scores`` (dimensions and overall)."""
    return [compare_groups(scores[col].rename(col), groups, order) for col in scores.columns]
