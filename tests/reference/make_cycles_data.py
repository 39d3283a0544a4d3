"""Write the synthetic three-cycle panel used by the cycle, stability and invariance tests.

Run from the repository root (seeded; same bytes every time):
    .venv/bin/python tests/reference/make_cycles_data.py
Output: tests/reference/cycles_panel.csv — one row per submission: respondent ``id``, ``cycle``
(C1, C2, C3) and nine 5-point items i1..i9 (three factors of three items). Respondents answer
in one, two or all three cycles; each keeps a personal level across cycles, so a random
intercept per respondent is present. Item i4 cross-loads and item i9 drifts upwards in C3, so
the three-factor model does not fit perfectly and its intercepts are not all invariant.
Not real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261122
OUT = Path(__file__).parent / "cycles_panel.csv"
MEMBERSHIP = {  # cycles answered -> number of respondents
    ("C1", "C2", "C3"): 90,
    ("C1", "C2"): 40,
    ("C2", "C3"): 30,
    ("C1", "C3"): 20,
    ("C1",): 30,
    ("C2",): 30,
    ("C3",): 30,
}
SHIFT = {"C1": 0.0, "C2": 0.25, "C3": 0.40}
LOADINGS = np.array([0.9, 0.8, 0.7, 0.85, 0.75, 0.8, 0.7, 0.9, 0.8])
CROSS_LOADING = 0.5  # i4 also measures the first factor: the CFA misfits a little
DRIFT = 0.6  # i9 is answered higher in C3 at the same factor level: scalar non-invariance
FACTOR_CORR = np.array([[1.0, 0.5, 0.4], [0.5, 1.0, 0.45], [0.4, 0.45, 1.0]])


def main() -> None:
    rng = np.random.default_rng(SEED)
    chol = np.linalg.cholesky(FACTOR_CORR)
    rows = []
    pid = 0
    for cycles, count in MEMBERSHIP.items():
        for _ in range(count):
            pid += 1
            person = 0.6 * rng.standard_normal()  # kept across cycles
            for c in cycles:
                factors = chol @ rng.standard_normal(3) * 0.8 + person + SHIFT[c]
                latent = LOADINGS * np.repeat(factors, 3) + 0.6 * rng.standard_normal(9)
                latent[3] += CROSS_LOADING * factors[0]  # misfit of the three-factor model
                latent[8] += DRIFT if c == "C3" else 0.0  # an intercept that moves in C3
                items = np.clip(np.rint(3.3 + latent), 1, 5).astype(int)
                rows.append(
                    {"id": f"P{pid:03d}", "cycle": c, **{f"i{j + 1}": v for j, v in enumerate(items)}}
                )
    frame = pd.DataFrame(rows).sort_values(["cycle", "id"], kind="stable")
    frame.to_csv(OUT, index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
