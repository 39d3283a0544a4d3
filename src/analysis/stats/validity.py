"""Instrument validity: content validity (IOC from expert ratings) and construct validity (CFA).

- IOC: the index of item-objective congruence of Rovinelli & Hambleton (1977), the content
  validity index Thai theses report, from an items × experts table of −1 / 0 / +1 ratings
  (read and checked by :func:`analysis.config.ioc.read_expert_ratings`).
- CFA: a confirmatory factor analysis of the codebook's dimensions (each item loads on its own
  dimension, dimensions correlate), fitted by maximum likelihood as the one-group case of
  :func:`analysis.stats.invariance.fit_multigroup` (scipy's L-BFGS-B on the normal likelihood
  with its analytic gradient); fit indices follow lavaan's conventions and are tested against
  ``lavaan::cfa`` (tests/reference/make_fixtures.R).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from analysis.config.codebook import Codebook
from analysis.stats.reliability import one_blas_thread

IOC_CUTOFF = 0.50
IOC_VALUES = (-1, 0, 1)
# Hu & Bentler (1999), Structural Equation Modeling 6(1), 1–55: the usual cut-offs.
CUTOFFS = {"cfi": (">=", 0.95), "tli": (">=", 0.95), "rmsea": ("<=", 0.06), "srmr": ("<=", 0.08)}


# --------------------------------------------------------------------------- IOC
def index_of_congruence(ratings: pd.DataFrame, cutoff: float = IOC_CUTOFF) -> pd.DataFrame:
    """IOC per item: the mean of the experts' ratings,

    .. math:: IOC = \\frac{\\sum R}{N}

    with *R* ∈ {−1, 0, +1} (−1: the item does not measure the objective, 0: unsure, +1: it
    does) and *N* experts. Items with IOC below ``cutoff`` (0.50 by convention) are flagged.
    Reference: Rovinelli, R. J., & Hambleton, R. K. (1977). On the use of content specialists
    in the assessment of criterion-referenced test item validity. *Dutch Journal of
    Educational Research*, 2, 49–60."""
    values = ratings.to_numpy(dtype=float)
    if not np.isin(values, IOC_VALUES).all():
        raise ValueError("ratings must be -1, 0 or +1")
    ioc = values.mean(axis=1)
    return pd.DataFrame(
        {
            "item": ratings.index.astype(str),
            "n_experts": values.shape[1],
            "ioc": ioc,
            "acceptable": ioc >= cutoff,
        }
    )


# --------------------------------------------------------------------------- CFA
@dataclass(frozen=True)
class CfaResult:
    """Fit of the dimensions model. ``fitted`` is False (with a ``reason`` code and its values)
    when it could not run; ``warning_codes`` hold cautions about a fitted model as codes with
    their values: ``("small_sample", n, CFA_SMALL_SAMPLE)``."""

    fitted: bool
    n_obs: int
    estimator: str = "ML"
    missing: str = "listwise"
    chi2: float | None = None
    df: int | None = None
    p_value: float | None = None
    cfi: float | None = None
    tli: float | None = None
    rmsea: float | None = None
    rmsea_ci_low: float | None = None
    rmsea_ci_high: float | None = None
    srmr: float | None = None
    loadings: list[dict] = field(default_factory=list)
    meets: dict[str, bool] = field(default_factory=dict)
    # Why it was not fitted, as a code with its values (the sentences put it in words):
    # too_few_items [dimensions], too_few_responses [n, parameters], no_variation [items],
    # no_degrees_of_freedom [df], estimation_failed [the solver's error class, or nothing when
    # it did not converge].
    reason: str = ""
    reason_values: list = field(default_factory=list)
    warning_codes: list[tuple] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def cfa_model_description(codebook: Codebook) -> str:
    """The model in lavaan syntax: one ``dimension =~ item + item ...`` line each."""
    lines = [f"{d.code} =~ {' + '.join(codebook.dimension_items(d.code))}" for d in codebook.dimensions]
    return "\n".join(lines)


def cfa_degrees_of_freedom(n_items: int, n_factors: int) -> int:
    """Degrees of freedom of the correlated-factors model with each item on one factor and the
    first loading of each factor fixed to 1: :math:`p(p+1)/2 - (2p - k + k(k+1)/2)` (moments
    minus free parameters: p − k loadings, p error variances, k(k+1)/2 factor (co)variances;
    Kline, 2016, *Principles and Practice of SEM*, 4th ed., ch. 9). Three items on one factor
    give 0 (just identified: its fit cannot be tested); lavaan reports the same ``df``."""
    p, k = n_items, n_factors
    return p * (p + 1) // 2 - (2 * p - k + k * (k + 1) // 2)


def rmsea_interval(chi2: float, df: int, n_obs: int, level: float = 0.90) -> tuple[float, float, float]:
    """RMSEA and its confidence interval (Browne & Cudeck, 1993; lavaan's convention with *N*):

    .. math:: RMSEA = \\sqrt{\\max(0, \\chi^2 - df) / (df\\,N)}

    The bounds are :math:`\\sqrt{\\lambda/(df\\,N)}` for the noncentrality values
    :math:`\\lambda` at which the noncentral chi-square CDF at the observed statistic equals
    (1 + level)/2 and (1 − level)/2 (roots by ``brentq``); 0 when no such value exists.
    lavaan reports the 90% interval. The CDFs are ``scipy.special.chdtr`` and ``chndtr``, the
    functions behind ``scipy.stats.chi2.cdf`` and ``scipy.stats.ncx2.cdf`` (importing
    scipy.stats would cost the kernel about a second)."""
    from scipy.optimize import brentq
    from scipy.special import chdtr, chndtr

    def bound(prob: float) -> float:
        if chdtr(df, chi2) < prob:  # even lambda = 0 is too much
            return 0.0

        def f(lam: float) -> float:
            return chndtr(chi2, df, lam) - prob

        upper = max(chi2, 1.0)
        while f(upper) > 0:
            upper *= 2
        return brentq(f, 1e-12, upper, xtol=1e-12)

    point = math.sqrt(max(0.0, chi2 - df) / (df * n_obs))
    low = bound((1 + level) / 2)
    high = bound((1 - level) / 2)
    return point, math.sqrt(low / (df * n_obs)), math.sqrt(high / (df * n_obs))


def srmr(sample_cov: np.ndarray, implied_cov: np.ndarray) -> float:
    """Standardized root mean square residual (Bentler, 1995; lavaan's ``srmr``):

    .. math:: SRMR = \\sqrt{\\frac{2}{p(p+1)} \\sum_{i \\le j}
              \\left(\\frac{s_{ij} - \\hat\\sigma_{ij}}{\\sqrt{s_{ii}s_{jj}}}\\right)^2}"""
    sd = np.sqrt(np.diag(sample_cov))
    residual = (sample_cov - implied_cov) / np.outer(sd, sd)
    upper = np.triu_indices(len(sd))
    return float(np.sqrt((residual[upper] ** 2).mean()))


def judge_fit(result: CfaResult) -> dict[str, bool]:
    """Which indices meet the usual cut-offs (:data:`CUTOFFS`)."""
    out = {}
    for name, (op, cut) in CUTOFFS.items():
        value = getattr(result, name)
        if value is not None:
            out[name] = value >= cut if op == ">=" else value <= cut
    return out


CFA_SMALL_SAMPLE = 200  # fewer complete responses than this: read the fit indices with care
CFA_DIGITS = 10  # significant digits of every CFA estimate in outputs


def round_sig(value: float, digits: int = CFA_DIGITS) -> float:
    """``value`` rounded to ``digits`` significant digits: an optimiser's last bits depend on
    the BLAS and the machine (~1e-13), so the CFA's estimates are stated to 10 significant
    digits and the same data give the same bytes."""
    if not math.isfinite(value) or value == 0:
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def fit_cfa(data: pd.DataFrame, codebook: Codebook) -> CfaResult:
    """Fit the codebook's dimensions as correlated factors (first loading of each fixed to 1)
    by maximum likelihood on complete cases: :math:`F = \\log|\\Sigma| + tr(S\\Sigma^{-1}) -
    \\log|S| - p` with the biased (divide by *n*) covariance *S*, :math:`\\chi^2 = nF`, CFI and
    TLI against the independence model, as lavaan's ``cfa(model, data, estimator = "ML")``.
    RMSEA with its 90% CI and SRMR use lavaan's formulas (:func:`rmsea_interval`,
    :func:`srmr`); loadings are fully standardized (lavaan ``std.all``:
    :math:`\\lambda_i\\sqrt{\\phi_{ff}}/\\sqrt{\\sigma_{ii}}`). Every estimate is rounded to
    :data:`CFA_DIGITS` significant digits (:func:`round_sig`)."""
    with one_blas_thread():  # its last digits would otherwise depend on the machine's cores
        return _fit_cfa(data, codebook)


def _fit_cfa(data: pd.DataFrame, codebook: Codebook) -> CfaResult:
    items = codebook.item_codes
    rows = data[items].astype(float).dropna()
    n = len(rows)

    def not_fitted(reason: str, values: list) -> CfaResult:
        return CfaResult(False, n, reason=reason, reason_values=values)

    too_small = [d.code for d in codebook.dimensions if len(codebook.dimension_items(d.code)) < 2]
    if too_small:
        return not_fitted("too_few_items", too_small)
    p, k = len(items), len(codebook.dimensions)
    df = cfa_degrees_of_freedom(p, k)
    if df <= 0:
        return not_fitted("no_degrees_of_freedom", [df])
    n_params = 2 * p + k * (k + 1) // 2
    if n <= n_params:
        return not_fitted("too_few_responses", [n, n_params])
    flat = [c for c in items if rows[c].std() == 0]
    if flat:
        return not_fitted("no_variation", flat)
    from analysis.stats.invariance import fit_multigroup, group_moments

    codes = [d.code for d in codebook.dimensions]
    factor = {item: f for f, code in enumerate(codes) for item in codebook.dimension_items(code)}
    factor_of = np.array([factor[item] for item in items])
    moments = group_moments(rows, items, pd.Series("all", index=rows.index), ["all"])
    try:
        fit = fit_multigroup(moments, factor_of, "configural")
    except (np.linalg.LinAlgError, ValueError) as exc:  # which error, as a code
        return not_fitted("estimation_failed", [type(exc).__name__])
    if not fit.converged or not math.isfinite(fit.chi2):
        return not_fitted("estimation_failed", [])
    lam, phi = np.array(fit.loadings[0]), np.array(fit.factor_cov[0])
    loading_matrix = np.zeros((p, k))
    loading_matrix[np.arange(p), factor_of] = lam
    sigma = loading_matrix @ phi @ loading_matrix.T + np.diag(fit.residual_var[0])
    sample = moments[0].cov
    chi2, df = round_sig(fit.chi2), fit.df
    rmsea, low, high = (round_sig(x) for x in rmsea_interval(chi2, df, n))
    standardized = lam * np.sqrt(np.diag(phi))[factor_of] / np.sqrt(np.diag(sigma))
    loadings = [
        {"dimension": codes[f], "item": item, "std_loading": round_sig(float(value))}
        for item, f, value in zip(items, factor_of, standardized, strict=True)
    ]
    result = CfaResult(
        True,
        n,
        chi2=chi2,
        df=df,
        p_value=round_sig(fit.p_value),
        cfi=round_sig(fit.cfi),
        tli=round_sig(fit.tli),
        rmsea=rmsea,
        rmsea_ci_low=low,
        rmsea_ci_high=high,
        srmr=round_sig(srmr(sample, sigma)),
        loadings=loadings,
    )
    cautions = [("small_sample", n, CFA_SMALL_SAMPLE)] if n < CFA_SMALL_SAMPLE else []
    return CfaResult(**{**result.as_dict(), "meets": judge_fit(result), "warning_codes": cautions})
