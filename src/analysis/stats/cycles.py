"""PDCA over any number of cycles: trend, a test across all cycles, adjacent-cycle
comparisons and a linear mixed model for respondents who answered in several cycles.

Every function takes scale scores (one column per dimension and ``overall``, one row per
submission) aligned with a cycle label and, where needed, a pseudonymous respondent id. The
results are numbers and status codes only (no sentences): the report layer words them.

Status codes (column ``code``):

* ``ok`` — computed;
* ``fewer_than_two_cycles`` — fewer than two cycles with at least two scores each;
* ``no_variation`` — a cycle's scores do not vary, Welch's test is not defined
  (Kruskal–Wallis is still given);
* ``too_few_repeated`` — the mixed model needs at least ``min_repeated`` respondents who answered in
  two or more cycles; not fitted;
* ``singular_fit`` — the mixed model was fitted but the respondent variance is at its boundary
  (lme4's ``isSingular``: relative SD below 1e-4): the fixed effects are then those of ordinary
  least squares and are still given;
* ``not_converged`` — the optimiser did not converge; no estimates are given.

Checked against R (``oneway.test``, ``kruskal.test``, ``effectsize``, ``t.test`` and
``lme4::lmer``) in tests/reference/make_fixtures_cycles.R.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri, stdtrit

from analysis.stats.groups import eta_squared, kruskal_wallis, rank_epsilon_squared, welch_anova
from analysis.stats.pdca import compare_cycles, holm_verdicts

OK = "ok"
FEWER_THAN_TWO_CYCLES = "fewer_than_two_cycles"
NO_VARIATION = "no_variation"
TOO_FEW_REPEATED = "too_few_repeated"
SINGULAR_FIT = "singular_fit"
NOT_CONVERGED = "not_converged"
MIN_PER_CYCLE = 2
MIN_REPEATED = 10
SINGULAR_TOLERANCE = 1e-4  # lme4::isSingular default


def _present(cycles: pd.Series, order: list[str]) -> list[str]:
    seen = set(cycles.dropna())
    return [c for c in order if c in seen]


# --------------------------------------------------------------------------- trend
def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean with its t-based confidence interval,
    :math:`\\bar x \\pm t_{n-1,\\,(1+level)/2}\\; s/\\sqrt n` (Student, 1908).
    R: ``t.test(x, conf.level = level)$conf.int``. NaN bounds when n < 2."""
    x = np.asarray(values, float)
    if len(x) == 0:
        return math.nan, math.nan, math.nan
    if len(x) < 2:
        return float(x.mean()), math.nan, math.nan
    half = float(stdtrit(len(x) - 1, 1 - (1 - level) / 2)) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)


def cycle_means(
    scores: pd.DataFrame, cycles: pd.Series, order: list[str], level: float = 0.95
) -> pd.DataFrame:
    """Per scale (column of ``scores``) and cycle (in ``order``): n, mean, SD and the t-based
    confidence interval of the mean (:func:`mean_ci`). Cycles without scores are left out."""
    rows = []
    for scale in scores.columns:
        for c in _present(cycles, order):
            x = scores.loc[cycles == c, scale].dropna().to_numpy(dtype=float)
            if not len(x):
                continue
            mean, low, high = mean_ci(x, level)
            sd = float(x.std(ddof=1)) if len(x) > 1 else math.nan
            rows.append(
                {
                    "scale": scale,
                    "cycle": c,
                    "n": len(x),
                    "mean": mean,
                    "sd": sd,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    return pd.DataFrame(rows, columns=["scale", "cycle", "n", "mean", "sd", "ci_low", "ci_high"])


# --------------------------------------------------------------------------- across all cycles
ACROSS_COLUMNS = (
    "scale", "cycles", "n", "welch_f", "welch_df1", "welch_df2", "welch_p", "eta_squared",
    "kruskal_h", "kruskal_df", "kruskal_p", "rank_epsilon_squared", "left_out", "code",
)  # fmt: skip


def across_cycles(scores: pd.DataFrame, cycles: pd.Series, order: list[str]) -> pd.DataFrame:
    """One test across all cycles per scale, independent samples (every submission counts):
    Welch's ANOVA with eta squared and Kruskal–Wallis with rank epsilon squared, the functions of
    :mod:`analysis.stats.groups` (R: ``oneway.test``, ``kruskal.test``, ``effectsize::eta_squared``,
    ``effectsize::rank_epsilon_squared``). With two cycles Welch's F is the square of Welch's t.
    Cycles with fewer than two scores are left out (``left_out``)."""
    rows = []
    for scale in scores.columns:
        present = _present(cycles, order)
        samples = {c: scores.loc[cycles == c, scale].dropna().to_numpy(dtype=float) for c in present}
        left_out = [c for c in present if len(samples[c]) < MIN_PER_CYCLE]
        kept = [c for c in present if c not in left_out]
        row = dict.fromkeys(ACROSS_COLUMNS, math.nan)
        row.update(scale=scale, cycles=kept, n=[len(samples[c]) for c in kept], left_out=left_out)
        if len(kept) < 2:
            rows.append({**row, "code": FEWER_THAN_TWO_CYCLES})
            continue
        data = [samples[c] for c in kept]
        code = OK
        if any(np.var(s, ddof=1) == 0 for s in data):
            code = NO_VARIATION
        else:
            w = welch_anova(data)
            row.update(
                welch_f=w.f, welch_df1=w.df1, welch_df2=w.df2, welch_p=w.p, eta_squared=eta_squared(data)
            )
        h, df, p = kruskal_wallis(data)
        n_total = sum(len(s) for s in data)
        row.update(
            kruskal_h=h, kruskal_df=df, kruskal_p=p, rank_epsilon_squared=rank_epsilon_squared(h, n_total)
        )
        rows.append({**row, "code": code})
    return pd.DataFrame(rows, columns=list(ACROSS_COLUMNS))


# --------------------------------------------------------------------------- adjacent cycles
def adjacent_comparisons(
    scores: pd.DataFrame,
    ids: pd.Series,
    cycles: pd.Series,
    order: list[str],
    *,
    min_paired: int = 10,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each cycle against the one before it with :func:`analysis.stats.pdca.compare_cycles` (paired
    t-test when at least ``min_paired`` respondents are matched, else Welch; effect sizes and
    rank tests as there).

    Holm's adjustment (:func:`analysis.stats.pdca.holm_adjust`; R ``p.adjust(p, "holm")``) is applied
    within two families: all dimension tests of all adjacent pairs together, and the overall
    score's tests of all adjacent pairs. ``p_holm`` and ``verdict`` are recomputed accordingly;
    with two cycles both families equal those of ``compare_cycles``, so its output is unchanged."""
    present = _present(cycles, order)
    pairs = list(zip(present[:-1], present[1:], strict=True))
    if not pairs:
        return pd.DataFrame()
    frame = pd.concat(
        [
            compare_cycles(
                scores, ids, cycles, a, b, list(scores.columns), min_paired=min_paired, alpha=alpha
            )
            for a, b in pairs
        ],
        ignore_index=True,
    )
    return holm_verdicts(frame, [frame["scale"] != "overall", frame["scale"] == "overall"], alpha)


# --------------------------------------------------------------------------- mixed model
MIXED_COLUMNS = (
    "scale", "code", "n_obs", "n_respondents", "n_repeated", "cycle", "term", "estimate", "se",
    "z", "p", "ci_low", "ci_high", "var_respondent", "var_residual", "icc", "reml_loglik",
)  # fmt: skip


def _mixed_rows(base: dict, code: str) -> list[dict]:
    return [{**dict.fromkeys(MIXED_COLUMNS, math.nan), **base, "code": code}]


class _RandomIntercepts:
    """The random-intercept design of one fit: :math:`H = I + \\tau ZZ'` per respondent, with
    :math:`H^{-1} = I - \\frac{\\tau}{1 + n_r\\tau}J` in closed form (so every product is a sum
    per respondent, linear in the number of rows)."""

    def __init__(self, groups: np.ndarray) -> None:
        codes, self.index = np.unique(groups, return_inverse=True)
        self.sizes = np.bincount(self.index, minlength=len(codes)).astype(float)
        self.n_groups = len(codes)

    def sums(self, a: np.ndarray) -> np.ndarray:
        out = np.zeros((self.n_groups,) + a.shape[1:])
        np.add.at(out, self.index, a)
        return out

    def h_inv_product(self, a: np.ndarray, b: np.ndarray, ratio: float) -> np.ndarray:
        """:math:`a'H^{-1}b`."""
        shrink = ratio / (1 + self.sizes * ratio)
        sa, sb = self.sums(a), self.sums(b)
        return a.T @ b - (sa * (shrink[:, None] if sa.ndim > 1 else shrink)).T @ sb


def reml_parts(
    y: np.ndarray, exog: np.ndarray, design: _RandomIntercepts, ratio: float
) -> tuple[float, np.ndarray, float]:
    """Restricted log-likelihood of the random-intercept model profiled over the fixed effects
    and :math:`\\sigma_e^2`, as a function of :math:`\\tau = \\sigma_u^2/\\sigma_e^2` (Harville,
    1977; the objective lme4 minimises, as ``-2 l_R``), with the GLS fixed effects and
    :math:`\\hat\\sigma_e^2` at that :math:`\\tau`:

    .. math:: l_R(\\tau) = -\\tfrac12\\left[\\log|H| + \\log|X'H^{-1}X|
              + (n-p)(1 + \\log(2\\pi\\hat\\sigma^2))\\right],\\quad
              \\hat\\beta = (X'H^{-1}X)^{-1}X'H^{-1}y,\\quad
              \\hat\\sigma^2 = \\frac{r'H^{-1}r}{n-p}

    with :math:`\\log|H| = \\sum_r \\log(1 + n_r\\tau)`."""
    xtx = design.h_inv_product(exog, exog, ratio)
    beta = np.linalg.solve(xtx, design.h_inv_product(exog, y, ratio))
    resid = y - exog @ beta
    n, p = exog.shape
    sigma2 = float(design.h_inv_product(resid, resid, ratio)) / (n - p)
    logdet_h = float(np.log1p(design.sizes * ratio).sum())
    loglik = -0.5 * (logdet_h + np.linalg.slogdet(xtx)[1] + (n - p) * (1 + math.log(2 * math.pi * sigma2)))
    return loglik, beta, sigma2


def gls_covariance(exog: np.ndarray, design: _RandomIntercepts, var_u: float, var_e: float) -> np.ndarray:
    """Covariance of the fixed effects, :math:`(X'V^{-1}X)^{-1}`, with the random-intercept
    covariance :math:`V_r = \\sigma_e^2 I + \\sigma_u^2 J = \\sigma_e^2 H_r` per respondent
    (:math:`\\tau = \\sigma_u^2/\\sigma_e^2`), so :math:`V^{-1} = H^{-1}/\\sigma_e^2`.
    This is what ``vcov(lmer(...))`` reports (statsmodels' ``bse_fe`` comes from the Hessian of
    all parameters and differs slightly)."""
    return np.linalg.inv(design.h_inv_product(exog, exog, var_u / var_e) / var_e)


LOG_RATIO_BOUNDS = (-30.0, 15.0)  # tau = sigma_u^2 / sigma_e^2 from 1e-13 to 3e6


def reml_ratio(y: np.ndarray, exog: np.ndarray, design: _RandomIntercepts) -> tuple[float, bool]:
    """The REML estimate of :math:`\\tau`: Brent's bounded search of :math:`l_R(e^u)` over
    :data:`LOG_RATIO_BOUNDS` (one parameter, so the search is the whole fit; Bates et al., 2015,
    profile lme4's deviance over the fixed effects and the residual variance the same way),
    then the boundary :math:`\\tau = 0` if it is at least as likely. Returns ``(tau, converged)``."""
    from scipy.optimize import minimize_scalar

    def deviance(u: float) -> float:
        return -reml_parts(y, exog, design, math.exp(u))[0]

    res = minimize_scalar(deviance, bounds=LOG_RATIO_BOUNDS, method="bounded", options={"xatol": 1e-10})
    ratio = math.exp(float(res.x))
    if reml_parts(y, exog, design, 0.0)[0] >= -float(res.fun):
        ratio = 0.0
    return ratio, bool(res.success) and math.isfinite(float(res.fun))


def mixed_model(
    values: pd.Series,
    ids: pd.Series,
    cycles: pd.Series,
    order: list[str],
    *,
    min_repeated: int = MIN_REPEATED,
    level: float = 0.95,
) -> list[dict]:
    """Linear mixed model of one score with cycle as fixed effect and a random intercept per
    respondent, fitted by REML (Laird & Ware, 1982):

    .. math:: y_{rc} = \\beta_0 + \\sum_{c \\ge 2} \\beta_c\\,[cycle = c] + u_r + e_{rc},\\quad
              u_r \\sim N(0, \\sigma_u^2),\\; e_{rc} \\sim N(0, \\sigma_e^2)

    The one variance ratio :math:`\\tau = \\sigma_u^2/\\sigma_e^2` is found by :func:`reml_ratio`
    on the profiled restricted likelihood (:func:`reml_parts`), which gives the fixed effects
    and :math:`\\sigma_e^2` in closed form; the same estimates as statsmodels ``MixedLM(...).fit
    (reml=True)`` (a test compares them) without its per-respondent loops, so a survey of
    thousands fits in milliseconds.

    Treatment coding with the first cycle as reference: :math:`\\beta_c` is the change of cycle
    *c* against the first, adjusted for who answered. Wald intervals
    :math:`\\hat\\beta \\pm z_{(1+level)/2}\\,SE` (SE from :func:`gls_covariance`) and two-sided
    normal p-values; the intra-class correlation is :math:`\\sigma_u^2/(\\sigma_u^2+\\sigma_e^2)`.
    R: ``lme4::lmer(y ~ cycle + (1 | id), REML = TRUE)`` and ``confint(fit, method = "Wald")``.

    Returns one dict per fixed-effect term (``term`` "intercept" for the first cycle's mean,
    "change" for each later cycle) or a single dict with a code when not fitted (see the module
    docstring). Respondents with one answer still count: they inform the cycle means."""
    frame = pd.DataFrame({"y": values.astype(float), "id": ids, "cycle": cycles}).dropna()
    present = _present(frame["cycle"], order)
    frame = frame[frame["cycle"].isin(present)]
    per_id = frame.groupby("id")["cycle"].nunique()
    base = {
        "scale": str(values.name),
        "n_obs": len(frame),
        "n_respondents": int(per_id.size),
        "n_repeated": int((per_id >= 2).sum()),
    }
    if len(present) < 2:
        return _mixed_rows(base, FEWER_THAN_TWO_CYCLES)
    if base["n_repeated"] < min_repeated:
        return _mixed_rows(base, TOO_FEW_REPEATED)
    frame = frame.sort_values(["id", "cycle"], kind="stable")
    exog = np.column_stack(
        [np.ones(len(frame))] + [(frame["cycle"] == c).to_numpy(float) for c in present[1:]]
    )
    y, groups = frame["y"].to_numpy(), frame["id"].to_numpy()
    if np.ptp(y) == 0:
        return _mixed_rows(base, NOT_CONVERGED)
    design = _RandomIntercepts(groups)
    ratio, converged = reml_ratio(y, exog, design)
    loglik, fe, var_e = reml_parts(y, exog, design, ratio)
    if not converged or not (math.isfinite(var_e) and var_e > 0):
        return _mixed_rows(base, NOT_CONVERGED)
    singular = math.sqrt(ratio) < SINGULAR_TOLERANCE
    if singular:  # the REML optimum is sigma_u = 0: ordinary least squares
        ratio = 0.0
        loglik, fe, var_e = reml_parts(y, exog, design, ratio)
    var_u = ratio * var_e
    cov_fe = gls_covariance(exog, design, var_u, var_e)
    q = float(ndtri(1 - (1 - level) / 2))
    rows = []
    for i, c in enumerate(present):
        est, se = float(fe[i]), math.sqrt(cov_fe[i, i])
        z = est / se
        rows.append(
            {
                **base,
                "code": SINGULAR_FIT if singular else OK,
                "cycle": c,
                "term": "intercept" if i == 0 else "change",
                "estimate": est,
                "se": se,
                "z": z,
                "p": float(2 * ndtr(-abs(z))),
                "ci_low": est - q * se,
                "ci_high": est + q * se,
                "var_respondent": var_u,
                "var_residual": var_e,
                "icc": var_u / (var_u + var_e),
                "reml_loglik": loglik,
            }
        )
    return rows


def mixed_model_table(
    scores: pd.DataFrame,
    ids: pd.Series,
    cycles: pd.Series,
    order: list[str],
    *,
    min_repeated: int = MIN_REPEATED,
) -> pd.DataFrame:
    """:func:`mixed_model` for every column of ``scores`` (dimensions and overall), one row per
    term (or one coded row per scale that could not be fitted)."""
    rows = [
        row
        for col in scores.columns
        for row in mixed_model(scores[col].rename(col), ids, cycles, order, min_repeated=min_repeated)
    ]
    return pd.DataFrame(rows, columns=list(MIXED_COLUMNS))


def cycles_payload(
    scores: pd.DataFrame,
    ids: pd.Series,
    cycles: pd.Series,
    order: list[str],
    *,
    min_paired: int = 10,
    min_repeated: int = MIN_REPEATED,
) -> dict[str, pd.DataFrame]:
    """Everything of this module for one study: ``means`` (trend), ``across`` (all cycles),
    ``adjacent`` (each cycle against the one before) and ``mixed`` (mixed model)."""
    return {
        "means": cycle_means(scores, cycles, order),
        "across": across_cycles(scores, cycles, order),
        "adjacent": adjacent_comparisons(scores, ids, cycles, order, min_paired=min_paired),
        "mixed": mixed_model_table(scores, ids, cycles, order, min_repeated=min_repeated),
    }
