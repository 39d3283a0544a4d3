"""Rounding and printing numbers as a Thai report does (shared by statistics and the report).

A value is rounded half up (2.345 → 2.35), as people round by hand and as SPSS prints, not
to even as Python's ``round`` does; R's ``round`` also rounds to even, so the R reference
values are compared unrounded.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, digits: int = 2) -> float:
    """Round as people do (2.345 → 2.35), not to even as Python's ``round`` does; a value that
    rounds to zero is 0, never -0 (-0.004 prints "0.00", not "-0.00")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    quant = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quant, rounding=ROUND_HALF_UP)) + 0.0


def format_number(value: float, digits: int = 2) -> str:
    """Fixed-point text of :func:`round_half_up` (``"4.30"``), ``"–"`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{round_half_up(value, digits):.{digits}f}"
