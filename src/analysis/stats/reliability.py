"""Instrument reliability per dimension and for the whole scale.

One public function per statistic (alpha, standardized alpha, Guttman's lambda-6, average
inter-item correlation, omega total, item statistics, bootstrap interval), and
:func:`scale_reliability` / :func:`reliability_by_dimension` that put them together.
Reverse-keyed items must already be rescored (cleaning does it with the codebook's scale).
Every statistic is tested against R's psych (tests/reference/make_fixtures.R).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.special import fdtri, ndtr, ndtri

from analysis.config.codebook import Codebook

FELDT = "Feldt (1987) F-based"
PERCENTILE = "bootstrap percentile"
BCA = "bootstrap BCa"
MISSING_POLICIES = ("pairwise", "listwise")
DEFAULT_N_BOOT = 2000
DEFAULT_SEED = 20240101


# --------------------------------------------------------------------------- helpers
def _check_policy(missing_policy: str) -> None:
    if missing_policy not in MISSING_POLICIES:
        raise ValueError(f"missing_policy must be one of {MISSING_POLICIES}, not {missing_policy!r}")


def rows_for_policy(items: pd.DataFrame, missing_policy: str) -> pd.DataFrame:
    """The rows a policy uses, as floats: all of them (pairwise) or complete cases (listwise)."""
    _check_policy(missing_policy)
    frame = items.astype(float)
    return frame.dropna() if missing_policy == "listwise" else frame


@dataclass(frozen=True)
class ItemMoments:
    """Per-item answer counts and means, and the item covariance matrix (ddof = 1)."""

    n: np.ndarray
    mean: np.ndarray
    cov: np.ndarray


def item_moments(frame: pd.DataFrame) -> ItemMoments:
    """Counts, means and the pairwise-complete covariance matrix, as R's
    ``colSums(!is.na(x))``, ``colMeans(x, na.rm = TRUE)`` and ``cov(x, use = "pairwise")``.

    Complete data take one BLAS pass, :math:`C = (X^\top X - s s^\top / n)/(n-1)` with column
    sums *s* (exact in floating point for integer answers, and within 1e-13 of the centred
    formula for rating data); data with gaps use pandas' pairwise loop."""
    values = frame.to_numpy(dtype=float)
    n_rows = values.shape[0]
    sums = values.sum(axis=0)
    if n_rows > 1 and np.isfinite(sums).all():
        cov = (values.T @ values - np.outer(sums, sums) / n_rows) / (n_rows - 1)
        return ItemMoments(np.full(values.shape[1], n_rows), sums / n_rows, cov)
    return ItemMoments(frame.notna().sum().to_numpy(), frame.mean().to_numpy(), frame.cov().to_numpy())


def item_covariance(frame: pd.DataFrame) -> np.ndarray:
    """Item covariance matrix (ddof = 1), pairwise-complete as ``cov(x, use = "pairwise")``."""
    return item_moments(frame).cov


def covariance_to_correlation(cov: np.ndarray) -> np.ndarray:
    """:math:`R = D^{-1/2} C D^{-1/2}` with *D* the diagonal of *C*."""
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):  # a flat item gives NaN, checked by callers
        return cov / np.outer(sd, sd)


# --------------------------------------------------------------------------- statistics
def alpha_from_covariance(cov: np.ndarray) -> float:
    """Alpha of an item covariance matrix *C* (Cronbach, 1951):

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\sum_{ij} C_{ij}}\\right)

    the form used by psych::alpha and pingouin.cronbach_alpha. Given a correlation matrix it
    is the standardized alpha."""
    k = cov.shape[0]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def standardized_alpha(corr: np.ndarray) -> float:
    """Standardized alpha: alpha of the correlation matrix,

    .. math:: \\alpha_{std} = \\frac{k\\bar r}{1 + (k-1)\\bar r}

    with :math:`\\bar r` the average inter-item correlation. R: ``psych::alpha(x)$total$std.alpha``."""
    return alpha_from_covariance(corr)


def average_interitem_r(corr: np.ndarray) -> float:
    """Mean of the off-diagonal correlations, :math:`\\bar r = (\\sum_{ij} R_{ij} - k)/(k(k-1))`.
    R: ``psych::alpha(x)$total$average_r``."""
    k = corr.shape[0]
    return float((corr.sum() - k) / (k * (k - 1)))


def guttman_lambda6(corr: np.ndarray) -> float | None:
    """Guttman's (1945) lambda-6 from the squared multiple correlations (SMC) of each item on
    the others:

    .. math:: \\lambda_6 = 1 - \\frac{\\sum_i (1 - SMC_i)}{\\sum_{ij} R_{ij}},\\quad
              SMC_i = 1 - 1/(R^{-1})_{ii}

    as ``psych::alpha(x)$total[["G6(smc)"]]`` (Revelle, psych manual, ``guttman``). None when
    *R* is singular (an item is a linear function of the others), including when rounding
    makes an SMC leave [0, 1] and lambda-6 would exceed 1."""
    try:
        inverse = np.linalg.inv(corr)
    except np.linalg.LinAlgError:
        return None
    smc = 1 - 1 / np.diag(inverse)
    if not np.all(np.isfinite(smc)) or np.any(smc < -1e-9) or np.any(smc > 1 + 1e-9):
        return None  # numerically singular: an SMC outside [0, 1] is not a squared correlation
    value = float(1 - (1 - smc).sum() / corr.sum())
    return value if value <= 1 + 1e-12 else None


def one_factor_loadings(corr: np.ndarray) -> np.ndarray:
    """Loadings of a one-factor minimum-residual (minres/ULS) solution of *R*.

    Minimises :math:`\\sum_{i<j}(R_{ij} - \\lambda_i\\lambda_j)^2` (Harman & Jones, 1966), the
    criterion of ``psych::fa(r, 1, fm = "minres")``, with ``scipy.optimize.least_squares``
    started from the first principal component. Signs are set so the loadings sum positive."""
    from scipy.optimize import least_squares

    k = corr.shape[0]
    low = np.tril_indices(k, -1)
    values, vectors = np.linalg.eigh(corr)
    start = vectors[:, -1] * math.sqrt(max(values[-1], 1e-6))

    def residuals(lam: np.ndarray) -> np.ndarray:
        return (corr - np.outer(lam, lam))[low]

    fit = least_squares(residuals, start, xtol=1e-15, ftol=1e-15, gtol=1e-15, method="lm")
    lam = fit.x
    return -lam if lam.sum() < 0 else lam


def omega_total(corr: np.ndarray, loadings: np.ndarray | None = None) -> float | None:
    """McDonald's omega total from a one-factor model:

    .. math:: \\omega_t = 1 - \\frac{\\sum_i (1 - \\lambda_i^2)}{\\sum_{ij} R_{ij}}

    with :math:`\\lambda` the minres loadings (:func:`one_factor_loadings`) of the pairwise
    correlation matrix *R*. Items loading negatively are flipped first (their rows and columns
    of *R* change sign), as psych does by default; :func:`negative_loading_items` names them so
    the caller can warn. This is ``psych::omega(x, nfactors = 1)$omega.tot`` (McDonald, 1999,
    *Test theory: A unified treatment*, ch. 6; Revelle & Zinbarg, 2009, Psychometrika 74,
    145–154). None for fewer than three items (a one-factor model is not identified).
    *loadings*: ``one_factor_loadings(corr)`` if the caller has it already."""
    if corr.shape[0] < 3:
        return None
    loadings = one_factor_loadings(corr) if loadings is None else loadings
    if (loadings >= 0).all():  # nothing to flip: the refit would give the same loadings
        return float(1 - (1 - loadings**2).sum() / corr.sum())
    signs = np.where(loadings < 0, -1.0, 1.0)
    flipped = corr * np.outer(signs, signs)
    lam = one_factor_loadings(flipped)
    return float(1 - (1 - lam**2).sum() / flipped.sum())


def negative_loading_items(
    corr: np.ndarray, names: list[str], loadings: np.ndarray | None = None
) -> list[str]:
    """Items whose loading on the single factor is negative (flipped by :func:`omega_total`)."""
    if corr.shape[0] < 3:
        return []
    loadings = one_factor_loadings(corr) if loadings is None else loadings
    return [name for name, lam in zip(names, loadings, strict=True) if lam < 0]


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


def item_statistics(items: pd.DataFrame, missing_policy: str = "pairwise") -> pd.DataFrame:
    """Per item: n, mean, S.D., corrected item-total correlation and alpha if deleted.

    From the item covariance matrix *C* with row sums :math:`c_i = \\sum_j C_{ij}` and
    :math:`V = \\sum_{ij} C_{ij}`:

    .. math::
        r_{i,rest} = \\frac{c_i - C_{ii}}{\\sqrt{C_{ii}\\,(V - 2c_i + C_{ii})}},\\qquad
        \\alpha_{-i} = \\frac{k-1}{k-2}\\left(1 - \\frac{\\operatorname{tr}C - C_{ii}}
                        {V - 2c_i + C_{ii}}\\right)

    (the item against the sum of the *other* items, and alpha of the other items). R:
    ``psych::alpha(x)$item.stats[, c("n", "mean", "sd", "r.drop")]`` and
    ``$alpha.drop$raw_alpha``. Zero-variance items get r = NaN (no correlation exists)."""
    frame = rows_for_policy(items, missing_policy)
    return _item_statistics(frame, item_moments(frame))


def _item_statistics(frame: pd.DataFrame, moments: ItemMoments) -> pd.DataFrame:
    k, cov = frame.shape[1], moments.cov
    diag = np.diag(cov)
    row_sums = cov.sum(axis=1)
    rest_var = cov.sum() - 2 * row_sums + diag
    with np.errstate(divide="ignore", invalid="ignore"):
        r_rest = (row_sums - diag) / np.sqrt(diag * rest_var)
        alpha_drop = (k - 1) / (k - 2) * (1 - (np.trace(cov) - diag) / rest_var) if k > 2 else np.nan
    r_rest = np.where(diag > 0, r_rest, np.nan)
    return pd.DataFrame(
        {
            "item": list(frame.columns),
            "n": moments.n,
            "mean": moments.mean,
            "sd": np.sqrt(diag),
            "r_drop": r_rest,
            "alpha_if_deleted": np.broadcast_to(alpha_drop, (k,)).astype(float),
        }
    )


# --------------------------------------------------------------------------- bootstrap
# Memory of the bootstrap, independent of n_boot x n: resample counts are made and used a chunk
# of resamples at a time (one byte per respondent and resample), and the per-respondent moment
# vectors they multiply are formed a block of respondents at a time.
BOOT_CHUNK_BYTES = 128 * 2**20
BOOT_MAX_CHUNK = 512  # resamples per chunk: enough for matrix products at full speed
BLOCK_CELLS = 2**21  # float64 cells of one block of moment vectors (16 MB)


@dataclass(frozen=True)
class BootstrapInterval:
    """Percentile and BCa intervals from one set of bootstrap resamples."""

    estimate: float
    percentile: tuple[float, float]
    bca: tuple[float, float]
    n_boot: int
    seed: int
    level: float
    n_obs: int


def _alpha_from_moments(count, s_i, s_j, p_ij) -> np.ndarray:
    """Alpha of many samples at once from pairwise sums: counts, sums of each item of the pair,
    and cross-products, each of shape (..., k, k). cov = (P - S_i S_j / N) / (N - 1)."""
    cov = (p_ij - s_i * s_j / count) / (count - 1)
    k = cov.shape[-1]
    trace = np.trace(cov, axis1=-2, axis2=-1)
    return k / (k - 1) * (1 - trace / cov.sum(axis=(-2, -1)))


def _resamples_per_chunk(n_obs: int, n_boot: int) -> int:
    return max(1, min(n_boot, BOOT_MAX_CHUNK, BOOT_CHUNK_BYTES // max(n_obs, 1)))


def resample_count_chunks(
    n_obs: int, n_boot: int, seed: int, chunk: int | None = None
) -> Iterator[np.ndarray]:
    """The rows of :func:`bootstrap_resample_counts`, a chunk of resamples at a time (uint8,
    shape (chunk, n_obs)): resample *b* is ``rng.integers(0, n_obs, n_obs)``, the *b*-th draw of
    ``numpy.random.default_rng(seed)``. PCG64 keeps its spare 32 bits between calls, so drawing
    one resample per call gives exactly the same numbers as one (n_boot, n_obs) call."""
    rng = np.random.default_rng(seed)
    size = chunk or _resamples_per_chunk(n_obs, n_boot)
    for start in range(0, n_boot, size):
        counts = np.empty((min(size, n_boot - start), n_obs), dtype=np.uint8)
        for b in range(len(counts)):
            row = np.bincount(rng.integers(0, n_obs, size=n_obs), minlength=n_obs)
            if n_obs > 255 and row.max() > 255:  # probability < 1e-400; stay exact anyway
                counts = counts.astype(np.int64)
            counts[b] = row
        yield counts


def bootstrap_resample_counts(n_obs: int, n_boot: int, seed: int) -> np.ndarray:
    """How often each respondent appears in each of *n_boot* resamples (n_boot, n_obs), drawn
    with replacement by ``numpy.random.default_rng(seed)``: the same seed, the same resamples.
    (The bootstrap itself streams them with :func:`resample_count_chunks`.)"""
    return np.concatenate(list(resample_count_chunks(n_obs, n_boot, seed))).astype(float)


def _weighted_sums(weights: np.ndarray, features, width: int) -> np.ndarray:
    """``weights @ features(all rows)`` without ever holding all of ``features``: blocks of
    respondents of at most :data:`BLOCK_CELLS` cells (of features and of weights as floats),
    each made by ``features(slice)``."""
    n = weights.shape[1]
    step = max(64, BLOCK_CELLS // max(width, len(weights), 1))
    total = np.zeros((weights.shape[0], width))
    for start in range(0, n, step):
        block = slice(start, min(start + step, n))
        total += weights[:, block].astype(float) @ features(block)
    return total


def _products(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Per row, :math:`x_i x_j` for i <= j (in ``numpy.triu_indices`` order), into *out*'s
    first k(k+1)/2 columns if given."""
    n, k = x.shape
    out = np.empty((n, k * (k + 1) // 2)) if out is None else out
    start = 0
    for i in range(k):
        np.multiply(x[:, i : i + 1], x[:, i:], out=out[:, start : start + k - i])
        start += k - i
    return out


class _PairwiseMoments:
    """Weighted pairwise-complete counts N_ij, sums S_ij (of item i over respondents answering
    i and j) and cross-products P_ij of many resamples at once.

    With blanks as zeros, P needs one product per resample with the rows' :math:`x_i x_j`
    (i <= j), x_i and 1, as if every row were complete; then, for each item j, only the rows
    missing j correct S (:math:`S_{ij} = \\sum_r w_r x_{ri} - \\sum_{r \\in R_j} w_r x_{ri}`)
    and N (:math:`N_{ij} = \\sum_r w_r - E_{ii} - E_{jj} + E_{ij}` with :math:`E_{ij}` the
    weight of rows missing both). Scattered blanks thus cost next to nothing, and a resample
    little more than one Gram matrix."""

    def __init__(self, values: np.ndarray):
        self.k = k = values.shape[1]
        self.missing = np.isnan(values)
        self.x0 = np.where(self.missing, 0.0, values)
        self.iu = np.triu_indices(k)
        self.q = len(self.iu[0])
        self.rows_missing = [np.flatnonzero(self.missing[:, j]) for j in range(k)]

    def row_features(self, rows: slice) -> np.ndarray:
        x, q = self.x0[rows], self.q
        out = np.empty((len(x), q + self.k + 1))
        _products(x, out)
        out[:, q:-1], out[:, -1] = x, 1.0
        return out

    def moments(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """N, S and P of each weighted sample, each of shape (m, k, k)."""
        k, q, iu = self.k, self.q, self.iu
        full = _weighted_sums(weights, self.row_features, q + k + 1)
        m = len(weights)
        lost, both_missing = np.zeros((m, k, k)), np.zeros((m, k, k))
        step = max(64, BLOCK_CELLS // max(m, 2 * k))
        with one_blas_thread():  # many small products: threads only wait for each other
            for j, missing_j in enumerate(self.rows_missing):
                for start in range(0, len(missing_j), step):
                    rows = missing_j[start : start + step]
                    part = weights[:, rows].astype(float) @ np.hstack([self.x0[rows], self.missing[rows]])
                    lost[:, :, j] += part[:, :k]
                    both_missing[:, :, j] += part[:, k:]
        cross = np.empty((m, k, k))
        cross[:, iu[0], iu[1]] = cross[:, iu[1], iu[0]] = full[:, :q]
        alone = np.diagonal(both_missing, axis1=1, axis2=2)
        count = full[:, -1:, None] - alone[:, :, None] - alone[:, None, :] + both_missing
        return count, full[:, q : q + k, None] - lost, cross


def one_blas_thread():
    """A context in which BLAS uses one thread (threadpoolctl), or nothing if it is missing:
    for many small products, and for results that must not depend on the machine's cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return nullcontext()
    return threadpool_limits(1, user_api="blas")


class _ScaleAlphas:
    """Alpha of each weighted sample for several scales at once, the scales being column
    subsets (*scales*, index arrays) of one matrix with the same respondents: one product
    with the weights serves them all. Complete data need item moments and each scale's
    total-score moments; data with blanks use pairwise-complete sums (as
    :func:`item_covariance`), each scale taking its block of N, S and P."""

    def __init__(self, values: np.ndarray, scales: list[np.ndarray]):
        self.values, self.scales = values, scales
        self.pairwise = _PairwiseMoments(values) if np.isnan(values).any() else None
        if self.pairwise is None:
            self.totals = np.column_stack([values[:, cols].sum(axis=1) for cols in scales])

    def _features(self, rows: slice) -> np.ndarray:
        x, t = self.values[rows], self.totals[rows]
        return np.hstack([x, x**2, t, t**2])

    def __call__(self, weights: np.ndarray) -> list[np.ndarray]:
        if self.pairwise is not None:
            count, sums, cross = self.pairwise.moments(weights)
            out = []
            for cols in self.scales:
                block = np.ix_(np.arange(len(weights)), cols, cols)
                s = sums[block]
                out.append(_alpha_from_moments(count[block], s, np.swapaxes(s, -1, -2), cross[block]))
            return out
        n, k, n_scales = *self.values.shape, len(self.scales)
        sums = _weighted_sums(weights, self._features, 2 * k + 2 * n_scales)
        m1, m2 = sums[:, :k], sums[:, k : 2 * k]
        t1, t2 = sums[:, 2 * k : 2 * k + n_scales], sums[:, 2 * k + n_scales :]
        out = []
        for i, cols in enumerate(self.scales):
            item_var = (m2[:, cols] - m1[:, cols] ** 2 / n).sum(axis=1)
            total_var = t2[:, i] - t1[:, i] ** 2 / n
            out.append(len(cols) / (len(cols) - 1) * (1 - item_var / total_var))
        return out


def _alphas_of_chunks(values: np.ndarray, chunks: Iterable[np.ndarray]) -> np.ndarray:
    engine = _ScaleAlphas(values, [np.arange(values.shape[1])])
    return np.concatenate([engine(w)[0] for w in chunks])


def _weighted_alphas(values: np.ndarray, weights: np.ndarray, chunk: int = BOOT_MAX_CHUNK) -> np.ndarray:
    """Alpha of each weighted sample: row *b* of ``weights`` counts how often each respondent
    is in resample *b*. Complete data needs only item and total-score moments; data with gaps
    use pairwise-complete sums (as :func:`item_covariance`)."""
    return _alphas_of_chunks(values, (weights[s : s + chunk] for s in range(0, len(weights), chunk)))


def bootstrap_alphas(values: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """Alpha of each of the *n_boot* resamples of :func:`bootstrap_resample_counts`, streamed
    a chunk at a time (memory bounded by :data:`BOOT_CHUNK_BYTES`, not n_boot x n)."""
    return _alphas_of_chunks(values, resample_count_chunks(len(values), n_boot, seed))


def _jackknife_alphas(values: np.ndarray) -> np.ndarray:
    """Leave-one-out alphas, vectorised by subtracting each respondent's contribution.

    With gaps, leaving out a complete row *x* changes every pairwise count by one, so with the
    totals N, S, P and :math:`A = 1/(N-2)`, :math:`G = 1/((N-1)(N-2))` (elementwise)

    .. math:: \\sum_{ij} C'_{ij} = \\sum_{ij}(A_{ij}P_{ij} - G_{ij}S_{ij}S_{ji})
              - x^\\top (A + G) x + 2 x^\\top u,\\quad u_i = \\sum_j G_{ij} S_{ji}

    (and its diagonal for the trace): one matrix product for all complete rows. Rows with a
    gap are left out one by one, a block at a time."""
    k = values.shape[1]
    if not np.isnan(values).any():
        n = values.shape[0] - 1
        total = values.sum(axis=1)
        m1, m2 = values.sum(axis=0) - values, (values**2).sum(axis=0) - values**2
        t1, t2 = total.sum() - total, (total**2).sum() - total**2
        item_var = (m2 - m1**2 / n).sum(axis=1)
        return k / (k - 1) * (1 - item_var / (t2 - t1**2 / n))
    moments = _PairwiseMoments(values)
    x0, m = moments.x0, (~moments.missing).astype(float)
    count, sums, cross = m.T @ m, x0.T @ m, x0.T @ x0
    complete = ~moments.missing.any(axis=1)
    gaps = np.flatnonzero(~complete)
    out = np.empty(len(values))
    with np.errstate(divide="ignore", invalid="ignore"):
        a, g = 1 / (count - 2), 1 / ((count - 1) * (count - 2))
        x = x0[complete]
        u = (g * sums.T).sum(axis=1)
        total = (a * cross - g * sums * sums.T).sum() - ((x @ (a + g)) * x).sum(axis=1) + 2 * x @ u
        d_a, d_g, d_s = np.diag(a), np.diag(g), np.diag(sums)
        trace = (d_a * np.diag(cross) - d_g * d_s**2).sum() - x**2 @ (d_a + d_g) + 2 * x @ (d_g * d_s)
        out[complete] = k / (k - 1) * (1 - trace / total)
        step = max(1, BLOCK_CELLS // (4 * k * k))
        for start in range(0, len(gaps), step):
            rows = gaps[start : start + step]
            xr, mr = x0[rows], m[rows]
            out[rows] = _alpha_from_moments(
                count - mr[:, :, None] * mr[:, None, :],
                sums - xr[:, :, None] * mr[:, None, :],
                np.swapaxes(sums - xr[:, :, None] * mr[:, None, :], -1, -2),
                cross - xr[:, :, None] * xr[:, None, :],
            )
    return out


def bca_interval(
    estimate: float, boot: np.ndarray, jackknife: np.ndarray, level: float = 0.95
) -> tuple[float, float]:
    """Bias-corrected and accelerated (BCa) interval (Efron & Tibshirani, 1993, *An
    Introduction to the Bootstrap*, §14.3):

    .. math::
        \\hat z_0 = \\Phi^{-1}(\\hat p),\\quad
        \\hat a = \\frac{\\sum_i (\\bar\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^3}
                       {6\\left[\\sum_i (\\bar\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^2\\right]^{3/2}},\\quad
        \\alpha_{1,2} = \\Phi\\left(\\hat z_0
            + \\frac{\\hat z_0 + z_{\\gamma}}{1 - \\hat a(\\hat z_0 + z_{\\gamma})}\\right)

    with :math:`\\hat p` the share of resamples below the estimate (ties count half, as
    ``scipy.stats.bootstrap``), jackknife values :math:`\\hat\\theta_{(i)}`, and
    :math:`\\gamma = (1 \\mp level)/2`; the interval is the bootstrap distribution's
    :math:`\\alpha_1, \\alpha_2` quantiles. Checked against ``scipy.stats.bootstrap(method="BCa")``
    given the same resamples."""
    p = ((boot < estimate).mean() + (boot <= estimate).mean()) / 2
    z0 = ndtri(p)
    centred = jackknife.mean() - jackknife
    denominator = 6 * (centred**2).sum() ** 1.5
    accel = (centred**3).sum() / denominator if denominator > 0 else 0.0
    z = ndtri(np.array([(1 - level) / 2, (1 + level) / 2]))
    adjusted = ndtr(z0 + (z0 + z) / (1 - accel * (z0 + z)))
    low, high = np.quantile(boot, adjusted)
    return float(low), float(high)


def _interval(values: np.ndarray, estimate: float, boot: np.ndarray, seed: int, level: float):
    boot = boot[np.isfinite(boot)]
    low, high = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    bca = bca_interval(estimate, boot, _jackknife_alphas(values), level)
    return BootstrapInterval(estimate, (float(low), float(high)), bca, len(boot), seed, level, len(values))


def bootstrap_alpha_many(
    frames: list[pd.DataFrame],
    n_boot: int,
    seed: int,
    level: float = 0.95,
    progress: Callable[[int], None] | None = None,
) -> list[BootstrapInterval]:
    """:func:`bootstrap_alpha` of several scales (frames already as the missing-data policy
    left them) with the same seed: scales with the same number of rows share the very same
    resamples, drawn once and used a chunk at a time; scales on the same respondents (as
    pairwise deletion leaves them) also share one product of the weights with the moments of
    all their items. *progress* is called with the number of resamples of each chunk done."""
    groups: list[list[int]] = []
    for i, frame in enumerate(frames):
        same = next((g for g in groups if frames[g[0]].index.equals(frame.index)), None)
        if same is None:
            groups.append([i])
        else:
            same.append(i)
    boots: list[list[np.ndarray]] = [[] for _ in frames]
    for n in sorted({len(f) for f in frames}):
        engines = []
        for members in (g for g in groups if len(frames[g[0]]) == n):
            union = pd.concat([frames[i] for i in members], axis=1)
            union = union.loc[:, ~union.columns.duplicated()]
            scales = [union.columns.get_indexer(frames[i].columns) for i in members]
            engines.append((members, _ScaleAlphas(union.to_numpy(dtype=float), scales)))
        for weights in resample_count_chunks(n, n_boot, seed):
            for members, engine in engines:
                for i, alphas in zip(members, engine(weights), strict=True):
                    boots[i].append(alphas)
            if progress is not None:
                progress(len(weights))
    return [
        _interval(
            f.to_numpy(dtype=float), alpha_from_covariance(item_covariance(f)), np.concatenate(b), seed, level
        )
        for f, b in zip(frames, boots, strict=True)
    ]


def bootstrap_alpha(
    items: pd.DataFrame,
    missing_policy: str = "pairwise",
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> BootstrapInterval:
    """Nonparametric bootstrap of Cronbach's alpha: respondents resampled with replacement,
    alpha recomputed on each resample (with the same missing-data policy), vectorised over
    resamples. Returns the percentile interval (the distribution's (1 ∓ level)/2 quantiles,
    numpy's linear interpolation) and the BCa interval (:func:`bca_interval`), which corrects
    for the skew of alpha's sampling distribution (Padilla, Divers & Newton, 2012, *Applied
    Psychological Measurement* 36(5), 410–430)."""
    frame = rows_for_policy(items, missing_policy)
    values = frame.to_numpy(dtype=float)
    estimate = alpha_from_covariance(item_covariance(frame))
    return _interval(values, estimate, bootstrap_alphas(values, n_boot, seed), seed, level)


# --------------------------------------------------------------------------- whole scale
@dataclass(frozen=True)
class ScaleReliability:
    """Reliability of one scale. Statistics that are not defined are None, with a code
    (``note_code``) saying why; warnings are codes with their values (``warning_codes``)."""

    scale: str
    n_items: int
    n_obs: int
    missing_policy: str
    alpha: float | None = None
    std_alpha: float | None = None
    lambda6: float | None = None
    average_r: float | None = None
    omega_total: float | None = None
    ci_level: float = 0.95
    ci_method: str = FELDT
    ci_low: float | None = None
    ci_high: float | None = None
    boot_percentile_low: float | None = None
    boot_percentile_high: float | None = None
    boot_bca_low: float | None = None
    boot_bca_high: float | None = None
    n_boot: int = 0
    boot_seed: int | None = None
    # Why alpha is not defined, as a code: fewer_than_two_items, fewer_than_three_respondents,
    # pair_without_common_answers, no_item_varies, total_does_not_vary ("" when defined).
    note_code: str = ""
    # Warnings as (code, scale, item or items, value): negative_item_rest_r, zero_variance,
    # fewer_than_two_items, negative_loading; the report layer puts them in words.
    warning_codes: list[tuple] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def item_warning_codes(stats: pd.DataFrame, scale: str) -> list[tuple]:
    """Item warnings as codes: ("zero_variance", scale, item, 0.0) and
    ("negative_item_rest_r", scale, item, r)."""
    out: list[tuple] = []
    for row in stats.itertuples():
        if not row.sd > 0:
            out.append(("zero_variance", scale, row.item, 0.0))
        elif row.r_drop < 0:
            out.append(("negative_item_rest_r", scale, row.item, float(row.r_drop)))
    return out


def cronbach_alpha(
    items: pd.DataFrame, scale: str = "", missing_policy: str = "pairwise", ci_level: float = 0.95
) -> ScaleReliability:
    """Cronbach's alpha with Feldt's confidence interval.

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i \\sigma^2_{i}}{\\sigma^2_X}\\right)

    computed from the item covariance matrix (:func:`alpha_from_covariance`). With
    ``missing_policy="pairwise"`` each covariance uses all respondents who answered both items
    (``psych::alpha(x)`` in R, ``pingouin.cronbach_alpha(x)``); with ``"listwise"`` only
    respondents who answered every item (``psych::alpha(na.omit(x))``). *n* for the interval is
    the number of rows used. Fewer than two items or three respondents, or no variation, leave
    alpha not defined (``alpha=None`` with its ``note_code``), never a bare NaN.

    Reference: Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. *Psychometrika*, 16(3), 297–334.
    """
    frame = rows_for_policy(items, missing_policy)
    cov = item_covariance(frame) if frame.shape[1] >= 2 and len(frame) >= 3 else None
    return _cronbach_alpha(frame, cov, scale, missing_policy, ci_level)


def _cronbach_alpha(
    frame: pd.DataFrame, cov: np.ndarray | None, scale: str, missing_policy: str, ci_level: float
) -> ScaleReliability:
    k, n = frame.shape[1], frame.shape[0]
    base = {"scale": scale, "n_items": k, "n_obs": n, "missing_policy": missing_policy, "ci_level": ci_level}
    if k < 2:
        return ScaleReliability(**base, note_code="fewer_than_two_items")
    if n < 3:
        return ScaleReliability(**base, note_code="fewer_than_three_respondents")
    if np.isnan(cov).any():
        return ScaleReliability(**base, note_code="pair_without_common_answers")
    if cov.sum() <= 0 or np.allclose(np.diag(cov), 0):
        return ScaleReliability(**base, note_code="no_item_varies")
    alpha = alpha_from_covariance(cov)
    if math.isnan(alpha):
        return ScaleReliability(**base, note_code="total_does_not_vary")
    low, high = feldt_interval(alpha, n, k, ci_level)
    return ScaleReliability(**base, alpha=alpha, ci_low=low, ci_high=high)


def alpha_with_item_statistics(
    items: pd.DataFrame, scale: str = "", missing_policy: str = "pairwise", ci_level: float = 0.95
) -> tuple[ScaleReliability, pd.DataFrame]:
    """:func:`cronbach_alpha` (with Feldt's CI) and :func:`item_statistics` from one pass over
    the data (one covariance matrix): what large files need."""
    frame = rows_for_policy(items, missing_policy)
    if frame.shape[1] < 2 or len(frame) < 3:
        return _cronbach_alpha(frame, None, scale, missing_policy, ci_level), item_statistics(frame)
    moments = item_moments(frame)
    return _cronbach_alpha(frame, moments.cov, scale, missing_policy, ci_level), _item_statistics(
        frame, moments
    )


def scale_reliability(
    items: pd.DataFrame,
    scale: str = "",
    missing_policy: str = "pairwise",
    ci_level: float = 0.95,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = DEFAULT_SEED,
) -> ScaleReliability:
    """Everything about one scale: raw alpha with Feldt and bootstrap (percentile and BCa)
    intervals, standardized alpha, lambda-6, average inter-item r, omega total, and warnings.
    ``n_boot=0`` skips the bootstrap."""
    frame = rows_for_policy(items, missing_policy)
    moments = item_moments(frame) if frame.shape[1] >= 2 and len(frame) >= 3 else None
    cov = moments.cov if moments else None
    result = _cronbach_alpha(frame, cov, scale, missing_policy, ci_level)
    codes: list[tuple] = []
    if result.n_items < 2:
        codes.append(("fewer_than_two_items", scale, "", float(result.n_items)))
    if moments is not None:
        stats = _item_statistics(frame, moments)
        codes += item_warning_codes(stats, scale)
    if result.alpha is None:
        return ScaleReliability(**{**result.as_dict(), "warning_codes": codes})
    corr = covariance_to_correlation(cov)
    # omega uses per-pair S.D.s, as cor(x, use = "pairwise"); the same as corr without gaps
    pairwise_corr = frame.corr().to_numpy() if frame.isna().any().any() else corr
    extra: dict = {"warning_codes": codes}
    if np.all(np.isfinite(corr)) and np.all(np.isfinite(pairwise_corr)):
        loadings = one_factor_loadings(pairwise_corr) if len(pairwise_corr) >= 3 else None
        flipped = negative_loading_items(pairwise_corr, list(frame.columns), loadings)
        if flipped:
            codes.append(("negative_loading", scale, ", ".join(flipped), 0.0))
        extra |= {
            "std_alpha": standardized_alpha(corr),
            "average_r": average_interitem_r(corr),
            "lambda6": guttman_lambda6(corr),
            "omega_total": omega_total(pairwise_corr, loadings),
        }
    if n_boot > 0:
        extra |= _bootstrap_fields(bootstrap_alpha(frame, missing_policy, n_boot, seed, ci_level))
    return ScaleReliability(**{**result.as_dict(), **extra})


def _bootstrap_fields(boot: BootstrapInterval) -> dict:
    return {
        "boot_percentile_low": boot.percentile[0],
        "boot_percentile_high": boot.percentile[1],
        "boot_bca_low": boot.bca[0],
        "boot_bca_high": boot.bca[1],
        "n_boot": boot.n_boot,
        "boot_seed": boot.seed,
    }


def reliability_by_dimension(
    data: pd.DataFrame,
    codebook: Codebook,
    missing_policy: str = "pairwise",
    ci_level: float = 0.95,
    n_boot: int = 0,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """:func:`scale_reliability` for each dimension and for all items ("overall"), tidy. The
    scales' bootstraps share their resamples (:func:`bootstrap_alpha_many`): the same numbers
    as one :func:`scale_reliability` per scale, for a fraction of the random draws."""
    scales = [(d.code, codebook.dimension_items(d.code)) for d in codebook.dimensions]
    scales.append(("overall", codebook.item_codes))
    results = [
        scale_reliability(data[cols], code, missing_policy, ci_level, 0, seed) for code, cols in scales
    ]
    defined = [i for i, res in enumerate(results) if res.alpha is not None]
    if n_boot > 0 and defined:
        frames = [rows_for_policy(data[scales[i][1]], missing_policy) for i in defined]
        for i, boot in zip(
            defined, bootstrap_alpha_many(frames, n_boot, seed, ci_level, progress), strict=True
        ):
            results[i] = replace(results[i], **_bootstrap_fields(boot))
    return pd.DataFrame([res.as_dict() for res in results])


def item_analysis(data: pd.DataFrame, codebook: Codebook, missing_policy: str = "pairwise") -> pd.DataFrame:
    """:func:`item_statistics` of every item within its own dimension, with the dimension code."""
    frames = []
    for d in codebook.dimensions:
        stats = item_statistics(data[codebook.dimension_items(d.code)], missing_policy)
        frames.append(stats.assign(dimension=d.code))
    out = pd.concat(frames, ignore_index=True)
    return out[["dimension", *[c for c in out.columns if c != "dimension"]]]
