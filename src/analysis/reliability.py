"""Instrument reliability: Cronbach's alpha per dimension and for the whole scale.

Reverse-keyed items must already be rescored (cleaning does it with the codebook's scale).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.special import fdtri

from analysis.config import Codebook

FELDT = "Feldt (1987) F-based"
MISSING_POLICIES = ("pairwise", "listwise")


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of one scale. ``alpha`` is None when it is not defined."""

    scale: str
    n_items: int
    n_obs: int
    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    ci_level: float
    ci_method: str
    missing_policy: str
    note: str

    def as_dict(self) -> dict:
        return asdict(self)


def feldt_interval(alpha: float, n_obs: int, n_items: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval for coefficient alpha.

    .. math::
        \\left[1 - (1-\\hat\\alpha) F_{1-\\gamma/2}(n-1, (n-1)(k-1)),\\;
               1 - (1-\\hat\\alpha) F_{\\gamma/2}(n-1, (n-1)(k-1))\\right]

    with :math:`\\gamma = 1 - level`, *n* respondents and *k* items (Feldt, Woodruff &
    Salih, 1987, Applied Psychological Measurement 11(1), 93–103). In R:
    ``psych::alpha.ci(alpha, n.obs, n.var)``. F quantiles come from ``scipy.special.fdtri``
    (the function behind ``scipy.stats.f.ppf``, without importing all of scipy.stats).
    """
    df1 = n_obs - 1
    df2 = (n_obs - 1) * (n_items - 1)
    gamma = 1 - level
    low = 1 - (1 - alpha) * fdtri(df1, df2, 1 - gamma / 2)
    high = 1 - (1 - alpha) * fdtri(df1, df2, gamma / 2)
    return float(low), float(high)


def alpha_from_covariance(cov: np.ndarray) -> float:
    """Alpha of an item covariance matrix *C* (Cronbach, 1951):

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\sum_{ij} C_{ij}}\\right)

    the form used by psych::alpha and pingouin.cronbach_alpha."""
    k = cov.shape[0]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def cronbach_alpha(
    items: pd.DataFrame, scale: str = "", missing_policy: str = "pairwise", ci_level: float = 0.95
) -> AlphaResult:
    """Cronbach's alpha with Feldt's confidence interval.

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i \\sigma^2_{i}}{\\sigma^2_X}\\right)

    computed from the item covariance matrix (:func:`alpha_from_covariance`). With
    ``missing_policy="pairwise"`` each covariance uses all respondents who answered both items
    (``psych::alpha(x)`` in R, ``pingouin.cronbach_alpha(x)``); with ``"listwise"`` only
    respondents who answered every item (``psych::alpha(na.omit(x))``). *n* for the interval is
    the number of rows used. Fewer than two items or three respondents, or no variation, leave
    alpha not defined (``alpha=None`` with a note), never a bare NaN. Tested against
    psych::alpha (tests/reference/make_fixtures.R).

    Reference: Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. *Psychometrika*, 16(3), 297–334.
    """
    if missing_policy not in MISSING_POLICIES:
        raise ValueError(f"missing_policy must be one of {MISSING_POLICIES}")
    frame = items.astype(float)
    if missing_policy == "listwise":
        frame = frame.dropna()
    k, n = frame.shape[1], frame.shape[0]

    def undefined(note: str) -> AlphaResult:
        return AlphaResult(scale, k, n, None, None, None, ci_level, FELDT, missing_policy, note)

    if k < 2:
        return undefined("not defined: fewer than two items")
    if n < 3:
        return undefined("not defined: fewer than three respondents")
    cov = frame.cov().to_numpy()  # pairwise-complete covariances (ddof = 1)
    if np.isnan(cov).any():
        return undefined("not defined: some pair of items has fewer than two common answers")
    if cov.sum() <= 0 or np.allclose(np.diag(cov), 0):
        return undefined("not defined: no item varies")
    alpha = alpha_from_covariance(cov)
    if math.isnan(alpha):
        return undefined("not defined: total score does not vary")
    low, high = feldt_interval(alpha, n, k, ci_level)
    return AlphaResult(scale, k, n, alpha, low, high, ci_level, FELDT, missing_policy, "")


def reliability_by_dimension(
    data: pd.DataFrame, codebook: Codebook, missing_policy: str = "pairwise", ci_level: float = 0.95
) -> pd.DataFrame:
    """Alpha for each dimension and for all items together ("overall"), as a tidy table."""
    rows = [
        cronbach_alpha(data[codebook.dimension_items(d.code)], d.code, missing_policy, ci_level)
        for d in codebook.dimensions
    ]
    rows.append(cronbach_alpha(data[codebook.item_codes], "overall", missing_policy, ci_level))
    return pd.DataFrame([r.as_dict() for r in rows])
