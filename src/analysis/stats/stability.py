"""Does the instrument hold steady across PDCA cycles? Cronbach's alpha per cycle with a test of
equal alphas for independent samples (each cycle's respondents are a separate sample):

* two cycles: Feldt's (1969) F test of :math:`W = (1-\\hat\\alpha_1)/(1-\\hat\\alpha_2)`;
* more cycles: the chi-square test of Hakstian & Whalen (1976) in the form given by Feldt,
  Woodruff & Salih (1987).

The CFA side (equal loadings and intercepts across cycles) is :mod:`analysis.stats.invariance`.
Results are numbers and codes only. Codes: ``ok``; ``fewer_than_two_cycles`` (fewer than two
cycles with a defined alpha); ``alpha_not_defined`` on a cycle whose alpha could not be computed
(too few respondents or items, no variation; that cycle is left out of the test);
``alpha_out_of_range`` (an alpha ≤ 0 or ≥ 1, where the tests are not defined).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import chdtrc, fdtr, fdtrc

from analysis.stats.reliability import cronbach_alpha

OK = "ok"
FEWER_THAN_TWO_CYCLES = "fewer_than_two_cycles"
ALPHA_NOT_DEFINED = "alpha_not_defined"
ALPHA_OUT_OF_RANGE = "alpha_out_of_range"


def feldt_two_alphas(alpha1: float, n1: int, alpha2: float, n2: int) -> dict:
    """Feldt's (1969) test of equal alphas in two independent samples:

    .. math:: W = \\frac{1-\\hat\\alpha_1}{1-\\hat\\alpha_2} \\sim F(n_2 - 1,\\; n_1 - 1)

    (each :math:`(1-\\alpha)/(1-\\hat\\alpha)` is approximately :math:`F(n-1, (n-1)(k-1))`, so the
    ratio of two independent ones is approximately *F* with the numerator's df from the sample in
    the denominator). Two-sided :math:`p = 2\\min(F(W), 1-F(W))`.

    Feldt, L. S. (1969). A test of the hypothesis that Cronbach's alpha or Kuder-Richardson
    coefficient twenty is the same for two tests. *Psychometrika*, 34, 363–373. Worked example:
    Charter, R. A., & Feldt, L. S. (1996). Testing the equality of two alpha coefficients.
    *Perceptual and Motor Skills*, 82, 763–768 (α = .78, n = 41 against α = .71, n = 151:
    W = 1.318, df 40 and 150, two-sided p = .242). R: ``cocron::cocron.two.coefficients(alpha =
    c(a1, a2), n = c(n1, n2), indep = TRUE)``."""
    w = (1 - alpha1) / (1 - alpha2)
    df1, df2 = n2 - 1, n1 - 1
    p = 2 * min(float(fdtr(df1, df2, w)), float(fdtrc(df1, df2, w)))
    return {"test": "feldt_1969", "statistic": float(w), "df1": df1, "df2": df2, "p": min(p, 1.0)}


def hakstian_whalen(alphas: list[float], n: list[int], items: list[int]) -> dict:
    """Hakstian & Whalen's (1976) test of equal alphas in *K* independent samples, in the form
    of Feldt, Woodruff & Salih (1987): with the cube-root transform
    :math:`u_i = (1-\\hat\\alpha_i)^{-1/3}` (approximately normal),
    :math:`\\tilde n_i = (J_i - 1)n_i/(J_i + 1)` for :math:`J_i` items and

    .. math:: \\sigma_i^2 = \\frac{2}{9(\\tilde n_i - 1)(1-\\hat\\alpha_i)^{2/3}},\\quad
              \\chi^2_{K-1} = \\sum_i \\frac{(u_i - \\bar u)^2}{\\bar{\\sigma^2}}

    with :math:`\\bar u` and :math:`\\bar{\\sigma^2}` the unweighted means over the samples.

    Hakstian, A. R., & Whalen, T. E. (1976). A k-sample significance test for independent alpha
    coefficients. *Psychometrika*, 41, 219–231. Feldt, L. S., Woodruff, D. J., & Salih, F. A.
    (1987). Statistical inference for coefficient alpha. *Applied Psychological Measurement*,
    11, 93–103 (worked example: α = .784, .875, .936 with 5 items and n = 51, 101, 151 gives
    χ²(2) = 22.926). R: ``cocron::cocron.n.coefficients(alpha, items, n, indep = TRUE)``."""
    a = np.asarray(alphas, float)
    n_tilde = (np.asarray(items, float) - 1) * np.asarray(n, float) / (np.asarray(items, float) + 1)
    u = (1 - a) ** (-1 / 3)
    variance = 2 / (9 * (n_tilde - 1) * (1 - a) ** (2 / 3))
    chi2 = float(((u - u.mean()) ** 2).sum() / variance.mean())
    df = len(a) - 1
    return {
        "test": "hakstian_whalen_1976",
        "statistic": chi2,
        "df1": df,
        "df2": math.nan,
        "p": float(chdtrc(df, chi2)),
    }


def equal_alphas_test(alphas: list[float], n: list[int], items: list[int]) -> dict:
    """Feldt's F test for two samples, Hakstian & Whalen's chi-square for more (see above)."""
    if len(alphas) < 2:
        return {"test": "", "statistic": math.nan, "df1": math.nan, "df2": math.nan, "p": math.nan}
    if len(alphas) == 2:
        return feldt_two_alphas(alphas[0], n[0], alphas[1], n[1])
    return hakstian_whalen(alphas, n, items)


def alpha_by_cycle(
    data: pd.DataFrame,
    scales: dict[str, list[str]],
    cycles: pd.Series,
    order: list[str],
    missing_policy: str = "pairwise",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Alpha of every scale (name -> its items, already reverse-scored) in every cycle, and per
    scale the test of equal alphas across the cycles where alpha is defined.

    Returns ``(per_cycle, tests)``: ``per_cycle`` has scale, cycle, n, k, alpha, ci_low, ci_high,
    code; ``tests`` has scale, cycles, test, statistic, df1, df2, p, code. Alpha is
    :func:`analysis.stats.reliability.cronbach_alpha` (psych::alpha), n the rows it used."""
    present = [c for c in order if (cycles == c).any()]
    rows, tests = [], []
    for scale, items in scales.items():
        kept: list[dict] = []
        for c in present:
            rel = cronbach_alpha(data.loc[cycles == c, items], scale, missing_policy)
            row = {
                "scale": scale,
                "cycle": c,
                "n": rel.n_obs,
                "k": rel.n_items,
                "alpha": rel.alpha if rel.alpha is not None else math.nan,
                "ci_low": rel.ci_low if rel.ci_low is not None else math.nan,
                "ci_high": rel.ci_high if rel.ci_high is not None else math.nan,
                "code": OK if rel.alpha is not None else ALPHA_NOT_DEFINED,
            }
            rows.append(row)
            if rel.alpha is not None:
                kept.append(row)
        test = {"scale": scale, "cycles": [r["cycle"] for r in kept]}
        if len(kept) < 2:
            tests.append({**test, **equal_alphas_test([], [], []), "code": FEWER_THAN_TWO_CYCLES})
        elif any(not 0 < r["alpha"] < 1 for r in kept):
            tests.append({**test, **equal_alphas_test([], [], []), "code": ALPHA_OUT_OF_RANGE})
        else:
            result = equal_alphas_test(
                [r["alpha"] for r in kept], [r["n"] for r in kept], [r["k"] for r in kept]
            )
            tests.append({**test, **result, "code": OK})
    return pd.DataFrame(rows), pd.DataFrame(tests)


def instrument_stability(
    data: pd.DataFrame,
    codebook,
    cycles: pd.Series,
    order: list[str],
    missing_policy: str = "pairwise",
    invariance: bool = True,
) -> dict:
    """Everything on the instrument across cycles for one study: ``alpha`` (per dimension and
    ``overall`` per cycle), ``alpha_tests`` (equal alphas across cycles) and ``invariance``
    (:func:`analysis.stats.invariance.invariance_across_cycles`, as a dict; ``None`` when
    ``invariance`` is false, e.g. the study switched the CFA off). ``data`` holds the
    reverse-scored items, one row per submission, aligned with ``cycles``."""
    scales = {d.code: codebook.dimension_items(d.code) for d in codebook.dimensions}
    scales["overall"] = list(codebook.item_codes)
    per_cycle, tests = alpha_by_cycle(data, scales, cycles, order, missing_policy)
    if not invariance:
        return {"alpha": per_cycle, "alpha_tests": tests, "invariance": None}
    from analysis.stats.invariance import invariance_across_cycles

    return {
        "alpha": per_cycle,
        "alpha_tests": tests,
        "invariance": invariance_across_cycles(data, codebook, cycles, order).as_dict(),
    }
