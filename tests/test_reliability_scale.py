"""The streamed bootstrap of alpha (issue 14): the same resamples as one big draw, alphas equal
to alpha recomputed on each resample, and memory bounded by a chunk, not n_boot x n."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from analysis.stats import reliability
from analysis.stats.reliability import (
    _jackknife_alphas,
    _weighted_alphas,
    bootstrap_alphas,
    bootstrap_resample_counts,
    cronbach_alpha,
    reliability_by_dimension,
    resample_count_chunks,
    scale_reliability,
)
from tests.conftest import REFERENCE


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "example_processed.csv")


def likert(n: int, k: int, blank_rate: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.clip(np.rint(3.5 + 0.8 * rng.normal(size=(n, 1)) + 0.9 * rng.normal(size=(n, k))), 1, 5)
    x[rng.random((n, k)) < blank_rate] = np.nan
    return x


@pytest.mark.parametrize("n_obs", [3, 7, 500, 1001])
@pytest.mark.parametrize("chunk", [1, 3, 64])
def test_streamed_resamples_are_one_big_draw(n_obs, chunk):
    """Resample b is row b of ``default_rng(seed).integers(0, n, (n_boot, n))``, whatever the chunk."""
    n_boot, seed = 20, 42
    draws = np.random.default_rng(seed).integers(0, n_obs, size=(n_boot, n_obs))
    expected = np.stack([np.bincount(d, minlength=n_obs) for d in draws])
    streamed = np.concatenate(list(resample_count_chunks(n_obs, n_boot, seed, chunk)))
    assert (streamed == expected).all()
    assert (bootstrap_resample_counts(n_obs, n_boot, seed) == expected).all()


@pytest.mark.parametrize("blank_rate", [0.0, 0.004, 0.3])
def test_each_streamed_alpha_is_alpha_of_its_resample(blank_rate):
    """Scattered and heavy blanks alike: alpha of resample b equals pairwise alpha of the rows
    it repeats, and the streamed alphas equal the ones from the full count matrix."""
    values = likert(150, 6, blank_rate, seed=3)
    counts = bootstrap_resample_counts(len(values), 9, seed=8)
    streamed = bootstrap_alphas(values, 9, seed=8)
    assert np.array_equal(streamed, _weighted_alphas(values, counts))
    for b in range(9):
        resample = pd.DataFrame(np.repeat(values, counts[b].astype(int), axis=0))
        assert streamed[b] == pytest.approx(cronbach_alpha(resample).alpha, abs=1e-10)


def test_small_chunks_and_blocks_change_nothing(monkeypatch):
    values = likert(400, 5, 0.05, seed=4)
    whole = bootstrap_alphas(values, 50, seed=2)
    monkeypatch.setattr(reliability, "BOOT_MAX_CHUNK", 7)
    monkeypatch.setattr(reliability, "BLOCK_CELLS", 100)
    assert bootstrap_alphas(values, 50, seed=2) == pytest.approx(whole, abs=1e-12)


def test_jackknife_with_many_gaps_leaves_each_row_out():
    values = likert(80, 5, 0.2, seed=5)
    values[3] = [np.nan, 2, 3, np.nan, 4]
    jack = _jackknife_alphas(values)
    for i in range(len(values)):
        left_out = pd.DataFrame(np.delete(values, i, axis=0))
        assert jack[i] == pytest.approx(cronbach_alpha(left_out).alpha, abs=1e-10)


def test_bootstrap_memory_is_bounded_by_a_chunk_not_n_boot_times_n():
    """20,000 x 10 with blanks and 2,000 resamples: n_boot x n floats would be 320 MB."""
    values = likert(20_000, 10, 0.004, seed=6)
    tracemalloc.start()
    try:
        bootstrap_alphas(values, 2000, seed=1)
        _jackknife_alphas(values)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 80e6, f"{peak / 1e6:.0f} MB"


@pytest.mark.parametrize("policy", ["pairwise", "listwise"])
def test_scales_sharing_resamples_get_what_each_would_alone(codebook, example, policy):
    """reliability_by_dimension draws the resamples once for all scales of the same size."""
    rows = example[example["cycle"] == "C2"]
    table = reliability_by_dimension(rows, codebook, policy, n_boot=300, seed=9)
    boot_columns = ["boot_percentile_low", "boot_percentile_high", "boot_bca_low", "boot_bca_high"]
    for record in table.to_dict("records"):
        scale = record["scale"]
        cols = codebook.item_codes if scale == "overall" else codebook.dimension_items(scale)
        alone = scale_reliability(rows[cols], scale, policy, n_boot=300, seed=9)
        assert [record[c] for c in boot_columns] == pytest.approx(
            [getattr(alone, c) for c in boot_columns], abs=1e-12
        )
        assert (record["n_boot"], record["boot_seed"], record["omega_total"]) == (300, 9, alone.omega_total)
