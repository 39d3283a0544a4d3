"""Interpreting 5-point means as levels (ระดับ) and ranking them (ลำดับ).

A mean is classified *as printed*: rounded half up to two decimals first, so that a table
never shows 4.21 next to a level that belongs to 4.2049. The criteria (bands) come from a
YAML file (see ``data/raw/example/criteria.yaml``), not from code.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.config.criteria import Band, Criterion
from analysis.numbers import round_half_up


def interpret_mean(mean: float, criterion: Criterion) -> Band | None:
    """The band whose [min, max] holds the mean rounded half up to 2 decimals."""
    if mean is None or math.isnan(mean):
        return None
    shown = round_half_up(mean, 2)
    for band in criterion.bands:
        if band.low - 1e-9 <= shown <= band.high + 1e-9:
            return band
    raise ValueError(f"mean {shown} is outside every band of criterion '{criterion.key}'")


def rank_descending(means: pd.Series) -> pd.Series:
    """Ranks 1 = highest mean, on the printed (2-decimal) values; ties share the lowest rank
    ("1, 2, 2, 4"), as ``rank(method="min")``."""
    shown = means.map(lambda m: round_half_up(m, 2))
    return shown.rank(ascending=False, method="min").astype("Int64")
