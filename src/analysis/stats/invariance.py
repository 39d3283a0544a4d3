"""Measurement invariance of the CFA across PDCA cycles (or any groups): configural, metric
(equal loadings) and scalar (equal loadings and intercepts) multi-group models, fitted by
maximum likelihood, with chi-square difference tests and the changes in CFI and RMSEA judged
by Chen (2007). Means of different cycles may be compared when scalar invariance holds.

The multi-group model is fitted here with ``scipy.optimize`` on the stacked normal likelihood
(with one group it is the CFA of :mod:`analysis.stats.validity`); identification and fit indices follow
lavaan's defaults so that the numbers match ``lavaan::cfa(model, data, group = "cycle",
group.equal = ...)`` (tests/reference/make_fixtures_cycles.R):

* each factor's first item has loading 1 in every group (marker variable);
* factor variances and covariances and residual variances are free in every group;
* intercepts are free, factor means fixed to 0 — except in the scalar model, where intercepts
  are equal across groups and factor means are free in all groups but the first;
* ML with the biased (divide by *n*) covariance matrices and the mean structure; the statistic
  is :math:`\\chi^2 = \\sum_g n_g F_g`;
* the baseline model for CFI/TLI is the independence model with free means and variances in
  every group; RMSEA carries lavaan's multi-group factor :math:`\\sqrt G` (Steiger, 1998).

Results are numbers and codes only. Status codes: ``ok``; ``fewer_than_two_groups`` (fewer than
two cycles with enough complete responses; cycles with too few are listed in ``left_out``);
``too_few_items`` (a factor has fewer than two items); ``no_variation`` (an item does not vary
or the covariance matrix of a cycle is singular); ``not_converged``.

References: Meredith, W. (1993). Measurement invariance, factor analysis and factorial
invariance. *Psychometrika*, 58, 525–543. Chen, F. F. (2007). Sensitivity of goodness of fit
indexes to lack of measurement invariance. *Structural Equation Modeling*, 14(3), 464–504.
Steiger, J. H. (1998). A note on multiple sample extensions of the RMSEA fit index.
*Structural Equation Modeling*, 5(4), 411–419.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import chdtrc

from analysis.stats.reliability import one_blas_thread

OK = "ok"
FEWER_THAN_TWO_GROUPS = "fewer_than_two_groups"
TOO_FEW_ITEMS = "too_few_items"
NO_VARIATION = "no_variation"
NOT_CONVERGED = "not_converged"
MODELS = ("configural", "metric", "scalar")
# Chen (2007): invariance rejected when CFI drops by more than .010 together with an RMSEA
# rise of more than .015 (loadings and intercepts, N > 300); both must stay within.
CHEN_DELTA_CFI = -0.010
CHEN_DELTA_RMSEA = 0.015
MIN_PER_GROUP = 30  # below this a cycle's CFA is not attempted, whatever the parameter count


@dataclass(frozen=True)
class GroupMoments:
    """Complete-case moments of one group: n, mean vector and ML (divide by n) covariance."""

    label: str
    n: int
    mean: np.ndarray
    cov: np.ndarray


@dataclass
class _Spec:
    """Where each free parameter sits: per group, index arrays into the parameter vector
    (-1 = fixed: loading 1 for a marker, factor mean 0)."""

    loading: list[np.ndarray]  # (p,) loading of item i on its factor
    residual: list[np.ndarray]  # (p,)
    phi: list[np.ndarray]  # (m, m) symmetric
    intercept: list[np.ndarray]  # (p,)
    factor_mean: list[np.ndarray]  # (m,)
    n_params: int
    lower: np.ndarray  # bounds for L-BFGS-B (variances >= 1e-6)


def _build_spec(factor_of: np.ndarray, n_factors: int, n_groups: int, model: str) -> _Spec:
    p = len(factor_of)
    markers = {int(np.flatnonzero(factor_of == f)[0]) for f in range(n_factors)}
    counter = iter(range(10**9))
    lower: list[float] = []

    def new(bound: float = -np.inf) -> int:
        lower.append(bound)
        return next(counter)

    def loadings() -> np.ndarray:
        return np.array([-1 if i in markers else new() for i in range(p)])

    def intercepts() -> np.ndarray:
        return np.array([new() for _ in range(p)])

    shared_loading = loadings() if model in ("metric", "scalar") else None
    shared_intercept = intercepts() if model == "scalar" else None
    spec = _Spec([], [], [], [], [], 0, np.array([]))
    for g in range(n_groups):
        spec.loading.append(shared_loading if shared_loading is not None else loadings())
        spec.residual.append(np.array([new(1e-6) for _ in range(p)]))
        phi = np.empty((n_factors, n_factors), dtype=int)
        for a in range(n_factors):
            for b in range(a + 1):
                phi[a, b] = phi[b, a] = new(1e-6 if a == b else -np.inf)
        spec.phi.append(phi)
        spec.intercept.append(shared_intercept if shared_intercept is not None else intercepts())
        free_means = model == "scalar" and g > 0
        spec.factor_mean.append(np.array([new() if free_means else -1 for _ in range(n_factors)]))
    spec.n_params = next(counter)
    spec.lower = np.array(lower)
    return spec


def _take(x: np.ndarray, idx: np.ndarray, fixed: float) -> np.ndarray:
    return np.where(idx >= 0, x[np.maximum(idx, 0)], fixed)


def _objective(
    x: np.ndarray, spec: _Spec, groups: list[GroupMoments], factor_of: np.ndarray
) -> tuple[float, np.ndarray]:
    """:math:`\\sum_g n_g F_g / N` and its gradient, with
    :math:`F_g = \\log|\\Sigma| + \\mathrm{tr}(S\\Sigma^{-1}) + (\\bar y-\\mu)'\\Sigma^{-1}(\\bar y-\\mu)
    - \\log|S| - p`, :math:`\\Sigma = \\Lambda\\Phi\\Lambda' + \\Theta`,
    :math:`\\mu = \\nu + \\Lambda\\alpha`.
    Gradient: with :math:`G = \\Sigma^{-1} - \\Sigma^{-1}(S + dd')\\Sigma^{-1}`, :math:`d = \\bar y - \\mu`:
    :math:`\\partial\\Lambda = 2G\\Lambda\\Phi - 2\\Sigma^{-1}d\\alpha'`,
    :math:`\\partial\\Phi = \\Lambda'G\\Lambda`,
    :math:`\\partial\\Theta_{ii} = G_{ii}`, :math:`\\partial\\nu = -2\\Sigma^{-1}d`,
    :math:`\\partial\\alpha = -2\\Lambda'\\Sigma^{-1}d` (Jöreskog, 1971; Bollen, 1989, ch. 4)."""
    p, m = len(factor_of), spec.phi[0].shape[0]
    n_total = sum(g.n for g in groups)
    total, grad = 0.0, np.zeros_like(x)
    rows = np.arange(p)
    for g, data in enumerate(groups):
        lam_values = _take(x, spec.loading[g], 1.0)
        lam = np.zeros((p, m))
        lam[rows, factor_of] = lam_values
        theta = x[spec.residual[g]]
        phi = x[spec.phi[g]]
        nu = x[spec.intercept[g]]
        alpha = _take(x, spec.factor_mean[g], 0.0)
        sigma = lam @ phi @ lam.T + np.diag(theta)
        try:  # Sigma must be positive definite, not only of positive determinant
            chol = np.linalg.cholesky(sigma)
        except np.linalg.LinAlgError:
            return 1e10, np.zeros_like(x)
        logdet = 2 * np.log(np.diag(chol)).sum()
        inv = np.linalg.inv(sigma)
        d = data.mean - (nu + lam @ alpha)
        inv_d = inv @ d
        _, logdet_s = np.linalg.slogdet(data.cov)
        f = logdet + np.trace(data.cov @ inv) + d @ inv_d - logdet_s - p
        w = data.n / n_total
        total += w * f
        big_g = inv - inv @ (data.cov + np.outer(d, d)) @ inv
        d_lam = 2 * big_g @ lam @ phi - 2 * np.outer(inv_d, alpha)
        d_phi = lam.T @ big_g @ lam
        d_phi_sym = 2 * d_phi - np.diag(np.diag(d_phi))
        tri = np.tril_indices(m)
        for idx, value in (
            (spec.loading[g], d_lam[rows, factor_of]),
            (spec.residual[g], np.diag(big_g)),
            (spec.phi[g][tri], d_phi_sym[tri]),
            (spec.intercept[g], -2 * inv_d),
            (spec.factor_mean[g], -2 * lam.T @ inv_d),
        ):
            keep = idx >= 0
            np.add.at(grad, idx[keep], w * value[keep])
    return float(total), grad


def _start(spec: _Spec, groups: list[GroupMoments], factor_of: np.ndarray) -> np.ndarray:
    """Starting values: loadings 1, residual variances half the item variances, factor
    variances the mean covariance among a factor's items, factor covariances 0, intercepts the
    item means, factor means 0."""
    x = np.zeros(spec.n_params)
    m = spec.phi[0].shape[0]
    for g, data in enumerate(groups):
        x[spec.loading[g][spec.loading[g] >= 0]] = 1.0
        x[spec.residual[g]] = np.diag(data.cov) / 2
        for f in range(m):
            items = np.flatnonzero(factor_of == f)
            block = data.cov[np.ix_(items, items)]
            off = block[~np.eye(len(items), dtype=bool)]
            x[spec.phi[g][f, f]] = max(float(off.mean()), 0.05)
        x[spec.intercept[g]] = data.mean
    return x


def baseline_chi2(groups: list[GroupMoments]) -> tuple[float, int]:
    """Independence model with free means and variances per group (lavaan's baseline):
    :math:`\\chi^2_B = \\sum_g n_g(\\sum_i \\log s_{ii} - \\log|S_g|)`, df :math:`= G\\,p(p-1)/2`."""
    chi2 = sum(g.n * (np.log(np.diag(g.cov)).sum() - np.linalg.slogdet(g.cov)[1]) for g in groups)
    p = len(groups[0].mean)
    return float(chi2), len(groups) * p * (p - 1) // 2


def fit_indices(chi2: float, df: int, base_chi2: float, base_df: int, n_total: int, n_groups: int) -> dict:
    """CFI (Bentler, 1990), TLI (Tucker & Lewis, 1973) and RMSEA as lavaan computes them for
    several groups:

    .. math:: CFI = 1 - \\frac{\\max(\\chi^2 - df, 0)}{\\max(\\chi^2_B - df_B, \\chi^2 - df, 0)},\\quad
              TLI = \\frac{\\chi^2_B/df_B - \\chi^2/df}{\\chi^2_B/df_B - 1},\\quad
              RMSEA = \\sqrt{\\max\\left(0, \\frac{\\chi^2 - df}{N\\,df}\\right)}\\sqrt G

    R: ``lavaan::fitMeasures(fit, c("cfi", "tli", "rmsea"))``."""
    denominator = max(base_chi2 - base_df, chi2 - df, 0.0)
    cfi = 1 - max(chi2 - df, 0.0) / denominator if denominator > 0 else 1.0
    tli = (base_chi2 / base_df - chi2 / df) / (base_chi2 / base_df - 1) if df > 0 else 1.0
    rmsea = math.sqrt(max(0.0, (chi2 - df) / (n_total * df))) * math.sqrt(n_groups) if df > 0 else 0.0
    return {"cfi": cfi, "tli": tli, "rmsea": rmsea}


@dataclass(frozen=True)
class ModelFit:
    """One multi-group model: χ², df, p, CFI, TLI, RMSEA, the number of free parameters and
    the estimates (loadings per group and item; factor means of the scalar model)."""

    model: str
    converged: bool
    chi2: float
    df: int
    p_value: float
    cfi: float
    tli: float
    rmsea: float
    n_params: int
    heywood: bool = False  # a residual or factor variance ended at its lower bound (lavaan: negative)
    loadings: list[list[float]] = field(default_factory=list)  # group x item (markers 1)
    factor_means: list[list[float]] = field(default_factory=list)  # group x factor
    factor_cov: list[list[list[float]]] = field(default_factory=list)  # group x factor x factor
    residual_var: list[list[float]] = field(default_factory=list)  # group x item


def fit_multigroup(groups: list[GroupMoments], factor_of: np.ndarray, model: str) -> ModelFit:
    """Fit one of :data:`MODELS` by ML (L-BFGS-B with the analytic gradient of
    :func:`_objective`)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}")
    n_factors = int(factor_of.max()) + 1
    spec = _build_spec(factor_of, n_factors, len(groups), model)
    x0 = _start(spec, groups, factor_of)
    bounds = [(lo if np.isfinite(lo) else None, None) for lo in spec.lower]
    # small matrices, many iterations: BLAS threads only wait for each other (5x slower on two
    # cores), and the last digits would depend on the machine's cores
    with one_blas_thread():
        res = minimize(
            _objective,
            x0,
            args=(spec, groups, factor_of),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 20000, "maxfun": 40000, "ftol": 1e-15, "gtol": 1e-9},
        )
    n_total = sum(g.n for g in groups)
    p = len(factor_of)
    chi2 = float(res.fun * n_total)
    df = len(groups) * (p * (p + 1) // 2 + p) - spec.n_params
    base_chi2, base_df = baseline_chi2(groups)
    indices = fit_indices(chi2, df, base_chi2, base_df, n_total, len(groups))
    gradient_ok = np.max(np.abs(res.jac)) < 1e-4
    return ModelFit(
        model=model,
        converged=bool(res.success or gradient_ok),
        chi2=chi2,
        df=int(df),
        p_value=float(chdtrc(df, chi2)),
        n_params=spec.n_params,
        heywood=bool(np.any(res.x[np.isfinite(spec.lower)] <= 1e-5)),
        loadings=[_take(res.x, spec.loading[g], 1.0).tolist() for g in range(len(groups))],
        factor_means=[_take(res.x, spec.factor_mean[g], 0.0).tolist() for g in range(len(groups))],
        factor_cov=[res.x[spec.phi[g]].tolist() for g in range(len(groups))],
        residual_var=[res.x[spec.residual[g]].tolist() for g in range(len(groups))],
        **indices,
    )


@dataclass(frozen=True)
class InvarianceResult:
    """The three models and their comparisons. ``steps`` holds one dict per model with its fit
    and, for metric and scalar, the difference to the model before (``delta_chi2``,
    ``delta_df``, ``delta_p``, ``delta_cfi``, ``delta_rmsea``) and ``holds`` by Chen (2007).
    ``level`` is the highest level that holds: "scalar" (means comparable across groups),
    "metric", "configural", or "" when nothing was fitted (see ``code``)."""

    code: str
    groups: list[str]
    n: list[int]
    left_out: list[str] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    level: str = ""
    criteria: dict[str, float] = field(default_factory=dict)
    min_n: int = 0  # complete responses a cycle needs to take part (0: not decided)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def means_comparable(self) -> bool:
        return self.level == "scalar"


def chen_holds(
    delta_cfi: float,
    delta_rmsea: float,
    max_cfi_drop: float = CHEN_DELTA_CFI,
    max_rmsea_rise: float = CHEN_DELTA_RMSEA,
) -> bool:
    """Chen (2007): the more constrained model holds when CFI does not fall by more than .010
    and RMSEA does not rise by more than .015 (:data:`CHEN_DELTA_CFI`, :data:`CHEN_DELTA_RMSEA`).
    Both must hold (the common conjunctive reading; Chen flags non-invariance when the CFI drop is
    "supplemented by" the RMSEA rise). Chen suggests the stricter −.005 and .010 when the groups
    are small (total N ≤ 300) and unequal; pass them as ``max_cfi_drop``/``max_rmsea_rise``."""
    return delta_cfi >= max_cfi_drop - 1e-12 and delta_rmsea <= max_rmsea_rise + 1e-12


def group_moments(
    data: pd.DataFrame, items: list[str], groups: pd.Series, order: list[str]
) -> list[GroupMoments]:
    """Complete-case (listwise) moments per group in ``order``; groups without rows are skipped."""
    out = []
    for label in order:
        rows = data.loc[groups == label, items].astype(float).dropna().to_numpy()
        if len(rows):
            mean = rows.mean(axis=0)
            cov = (rows - mean).T @ (rows - mean) / len(rows)
            out.append(GroupMoments(str(label), len(rows), mean, cov))
    return out


def measurement_invariance(
    data: pd.DataFrame,
    factors: dict[str, list[str]],
    groups: pd.Series,
    order: list[str],
    *,
    min_per_group: int = MIN_PER_GROUP,
    max_cfi_drop: float = CHEN_DELTA_CFI,
    max_rmsea_rise: float = CHEN_DELTA_RMSEA,
) -> InvarianceResult:
    """Configural, metric and scalar invariance of the factor model ``factors`` (factor code ->
    its items) across the groups of ``groups`` (e.g. the cycle of each row), listwise per group.

    A group is left out when it has fewer complete responses than ``min_per_group`` or than
    the configural model's free parameters per group plus one. R: ``lavaan::cfa(model, data,
    group = "cycle", group.equal = c("loadings"))``, ``c("loadings", "intercepts")`` and
    ``lavTestLRT``."""
    items = [i for its in factors.values() for i in its]
    if any(len(its) < 2 for its in factors.values()):
        return InvarianceResult(TOO_FEW_ITEMS, [], [])
    factor_of = np.repeat(np.arange(len(factors)), [len(its) for its in factors.values()])
    p, m = len(items), len(factors)
    per_group_params = 2 * p - m + m * (m + 1) // 2 + p
    moments = group_moments(data, items, groups, order)
    need = max(min_per_group, per_group_params + 1)
    kept = [g for g in moments if g.n >= need]
    left_out = [g.label for g in moments if g.n < need] + [
        str(c) for c in order if c not in {g.label for g in moments}
    ]
    base = {"groups": [g.label for g in kept], "n": [g.n for g in kept], "left_out": left_out, "min_n": need}
    if len(kept) < 2:
        return InvarianceResult(FEWER_THAN_TWO_GROUPS, **base)
    for g in kept:
        if np.any(np.diag(g.cov) <= 0) or np.linalg.eigvalsh(g.cov)[0] <= 1e-10:
            return InvarianceResult(NO_VARIATION, **base)
    steps: list[dict] = []
    level = ""
    previous: ModelFit | None = None
    for name in MODELS:
        fit = fit_multigroup(kept, factor_of, name)
        step = asdict(fit)
        if not fit.converged:
            steps.append({**step, "code": NOT_CONVERGED})
            break
        if previous is None:
            level = "configural"
            step["holds"] = True
        else:
            d_chi2, d_df = fit.chi2 - previous.chi2, fit.df - previous.df
            step.update(
                delta_chi2=d_chi2,
                delta_df=d_df,
                delta_p=float(chdtrc(d_df, max(d_chi2, 0.0))),
                delta_cfi=fit.cfi - previous.cfi,
                delta_rmsea=fit.rmsea - previous.rmsea,
            )
            within = chen_holds(step["delta_cfi"], step["delta_rmsea"], max_cfi_drop, max_rmsea_rise)
            step["holds"] = within and level == previous.model
            if step["holds"]:
                level = name
        steps.append({**step, "code": OK})
        previous = fit
    code = OK if steps and steps[0]["code"] == OK else NOT_CONVERGED
    criteria = {"max_cfi_drop": max_cfi_drop, "max_rmsea_rise": max_rmsea_rise}
    return InvarianceResult(code, **base, steps=steps, level=level, criteria=criteria)


def invariance_across_cycles(
    data: pd.DataFrame, codebook, cycles: pd.Series, order: list[str], **options
) -> InvarianceResult:
    """:func:`measurement_invariance` of the codebook's dimensions model (the model of
    :func:`analysis.stats.validity.fit_cfa`) across the cycles of ``cycles``; ``options`` as there."""
    factors = {d.code: codebook.dimension_items(d.code) for d in codebook.dimensions}
    return measurement_invariance(data, factors, cycles, order, **options)
