"""Benchmark (issue 4): reliability at scale, measured in the same run.

1. Alpha with Feldt's CI and all item statistics (n, mean, S.D., item-rest r, alpha if
   deleted) on 1,000,000 x 30 responses, against ``pingouin.cronbach_alpha`` alone on the same
   matrix. Target: ratio <= 1 (no slower than pingouin).
2. 2,000 bootstrap resamples (percentile and BCa intervals) of a 5,000 x 26 matrix.
   Target: under 3 s.
3. (issue 14) 2,000 bootstrap resamples of 50,000 x 27 with 0.4% scattered blanks (the
   pairwise-complete path), side by side with the matrix products it cannot avoid: 3 x 2,000
   Gram matrices X'X of the same size with numpy. Targets: within 3x those products, at most
   5 s, and traced peak memory bounded by a chunk (far below n_boot x n floats = 800 MB);
   complete data of the same size as well.

The matrices are 5-point answers driven by one latent trait (seeded).

    make bench          # or: uv run python benchmarks/bench_reliability.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd

from analysis.stats.reliability import alpha_with_item_statistics, bootstrap_alpha

TARGET_RATIO = 1.0
TARGET_BOOT_SECONDS = 3.0
TARGET_FLOOR_RATIO = 3.0
TARGET_BIG_BOOT_SECONDS = 5.0
TARGET_BOOT_PEAK_MB = 300.0


def likert_matrix(rows: int, items: int, seed: int, blank_rate: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(rows, 1))
    noise = rng.normal(size=(rows, items))
    answers = np.clip(np.rint(3.5 + 0.8 * trait + 0.9 * noise), 1, 5).astype(np.int8)
    frame = pd.DataFrame(answers, columns=[f"Q{i + 1}" for i in range(items)])
    return frame.mask(rng.random((rows, items)) < blank_rate) if blank_rate else frame


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def big_bootstrap(repeat: int, rows: int = 50_000, items: int = 27, n_boot: int = 2000) -> None:
    """Part 3: the pairwise bootstrap at scale against 3 x n_boot Gram matrices."""
    gappy = likert_matrix(rows, items, seed=3, blank_rate=0.004)
    x = gappy.fillna(3).to_numpy(float)
    t_gram, _ = best_of(max(repeat, 3) * 10, lambda: x.T @ x)
    floor = 3 * n_boot * t_gram
    t_boot, boot = best_of(repeat, lambda: bootstrap_alpha(gappy, n_boot=n_boot, seed=1))
    complete = gappy.fillna(3)
    t_complete, _ = best_of(repeat, lambda: bootstrap_alpha(complete, n_boot=n_boot, seed=1))
    tracemalloc.start()
    bootstrap_alpha(gappy, n_boot=n_boot, seed=1)
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    ratio = t_boot / floor
    print(
        f"{rows:,} x {items}, {gappy.isna().to_numpy().mean():.1%} blanks: {n_boot:,} bootstrap resamples "
        f"(pairwise) {t_boot:.2f} s; 3 x {n_boot:,} Gram matrices {floor:.2f} s; ratio {ratio:.2f} "
        f"(target <= {TARGET_FLOOR_RATIO:.0f}) {verdict(ratio <= TARGET_FLOOR_RATIO)}; "
        f"{t_boot:.2f} s (target <= {TARGET_BIG_BOOT_SECONDS:.0f} s; ratio "
        f"{t_boot / TARGET_BIG_BOOT_SECONDS:.2f}) {verdict(t_boot <= TARGET_BIG_BOOT_SECONDS)}; "
        f"BCa [{boot.bca[0]:.4f}, {boot.bca[1]:.4f}]"
    )
    print(
        f"{rows:,} x {items}, complete: {n_boot:,} bootstrap resamples {t_complete:.2f} s "
        f"(target <= {TARGET_BIG_BOOT_SECONDS:.0f} s) {verdict(t_complete <= TARGET_BIG_BOOT_SECONDS)}"
    )
    print(
        f"bootstrap peak traced memory {peak_mb:.0f} MB (target <= {TARGET_BOOT_PEAK_MB:.0f} MB; "
        f"n_boot x n floats would be {n_boot * rows * 8 / 1e6:.0f} MB) "
        f"{verdict(peak_mb <= TARGET_BOOT_PEAK_MB)}"
    )


def best_of(repeat: int, fn) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    args = parser.parse_args()
    import pingouin as pg

    big = likert_matrix(args.rows, 30, seed=1)

    def ours():
        return alpha_with_item_statistics(big, "bench")

    t_pg, (alpha_pg, _) = best_of(args.repeat, lambda: pg.cronbach_alpha(big))
    t_ours, (res, stats) = best_of(args.repeat, ours)
    assert abs(res.alpha - alpha_pg) < 1e-10, (res.alpha, alpha_pg)
    ratio = t_ours / t_pg
    print(
        f"{args.rows:,} x 30: alpha + Feldt CI + item statistics {t_ours:.2f} s; "
        f"pingouin.cronbach_alpha {t_pg:.2f} s; ratio {ratio:.2f} (target <= {TARGET_RATIO:.1f}) "
        f"{'OK' if ratio <= TARGET_RATIO else 'MISSED'}"
    )

    boot_data = likert_matrix(5000, 26, seed=2)
    t_boot, boot = best_of(args.repeat, lambda: bootstrap_alpha(boot_data, n_boot=2000, seed=1))
    print(
        f"5,000 x 26: 2,000 bootstrap resamples (percentile + BCa) {t_boot:.2f} s "
        f"(target < {TARGET_BOOT_SECONDS:.0f} s; ratio {t_boot / TARGET_BOOT_SECONDS:.2f}) "
        f"{'OK' if t_boot < TARGET_BOOT_SECONDS else 'MISSED'}; "
        f"alpha {boot.estimate:.3f}, BCa [{boot.bca[0]:.3f}, {boot.bca[1]:.3f}]"
    )
    big_bootstrap(args.repeat)


if __name__ == "__main__":
    main()
