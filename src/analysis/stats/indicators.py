"""Indicator attainment of a PDCA study: targets set in Plan, actuals measured in Check.

The register is read and checked by :mod:`analysis.config.indicators`; this module only
computes. An actual can come from the survey instead of being typed: ``source: survey:PAR``
takes the mean of dimension PAR in each cycle (``survey:overall`` the overall mean), so the
number in the write-up is the pipeline's own.
"""

from __future__ import annotations

import pandas as pd

from analysis.config.indicators import Indicator


def survey_actuals(source: str, cycle_means: dict[str, dict[str, float]]) -> dict[str, float]:
    """Actuals of a ``survey:<scale>`` indicator from the per-cycle means of the scales."""
    scale = source.split(":", 1)[1]
    return {cycle: means[scale] for cycle, means in cycle_means.items() if scale in means}


def attainment(actual: float, target: float, direction: str) -> float:
    """Percent attainment: :math:`100\\,a/t` when higher is better, :math:`100\\,t/a` when lower
    is better (a 12-minute service against a 15-minute target is 125%)."""
    if direction == "higher":
        return 100 * actual / target if target else float("nan")
    return 100 * target / actual if actual else float("nan")


def is_met(actual: float, target: float, direction: str) -> bool:
    """Target met: actual ≥ target (higher is better) or actual ≤ target (lower is better)."""
    return actual >= target if direction == "higher" else actual <= target


def trend(values: list[float], direction: str) -> str:
    """``improving`` / ``declining`` / ``stable`` from the first to the last cycle with a value,
    judged by the direction; ``one cycle only`` with fewer than two values."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return "one cycle only"
    change = known[-1] - known[0]
    if change == 0:
        return "stable"
    better = change > 0 if direction == "higher" else change < 0
    return "improving" if better else "declining"


def previous_trend(
    values: dict[str, float | None], cycles: list[str], direction: str
) -> tuple[str | None, str | None]:
    """The latest cycle with a value against the one before it with a value: (:func:`trend`,
    that earlier cycle). ``(None, None)`` unless at least three cycles have a value: with two,
    the one before is the first, and :func:`trend` already says it."""
    known = [c for c in cycles if values.get(c) is not None]
    if len(known) < 3:
        return None, None
    return trend([values[known[-2]], values[known[-1]]], direction), known[-2]


def attainment_table(
    indicators: list[Indicator], cycles: list[str], cycle_means: dict[str, dict[str, float]]
) -> pd.DataFrame:
    """One row per indicator and cycle: target, actual, % attainment, met, and a ``note_code``
    where a number is missing (``no_target``, ``no_actual``; never a silent NaN); plus each
    indicator's trend across cycles: the latest cycle with a value against the first
    (``trend``, starting from ``trend_from``) and, with three or more cycles with a value,
    against the one before it (``trend_previous``, from ``trend_previous_from``; columns left
    out when no indicator has three)."""
    rows = []
    for ind in indicators:
        actuals = dict(ind.actuals)
        if ind.source.startswith("survey:"):
            actuals.update(survey_actuals(ind.source, cycle_means))
        series = [actuals.get(c) for c in cycles]
        direction_trend = trend(series, ind.direction)
        baseline = next((c for c in cycles if actuals.get(c) is not None), None)  # the trend's start
        to_previous, previous = previous_trend(actuals, cycles, ind.direction)
        for cycle in cycles:
            target, actual = ind.targets.get(cycle), actuals.get(cycle)
            if target is None and actual is None:
                continue
            note = ""
            if target is None:
                note = "no_target"  # attainment not judged
            elif actual is None:
                note = "no_actual"
            met = None if note else is_met(actual, target, ind.direction)
            rows.append(
                {
                    "indicator": ind.code,
                    "name_th": ind.name_th,
                    "name_en": ind.name_en,
                    "unit": ind.unit,
                    "unit_en": ind.unit_en or ind.unit,
                    "direction": ind.direction,
                    "cycle": cycle,
                    "target": target,
                    "actual": actual,
                    "attainment_pct": None if note else attainment(actual, target, ind.direction),
                    "met": met,
                    "trend": direction_trend,
                    "trend_from": baseline if direction_trend != "one cycle only" else None,
                    "source": ind.source or "register",
                    "evidence": ind.evidence,
                    "note_code": note,
                    "trend_previous": to_previous,
                    "trend_previous_from": previous,
                }
            )
    table = pd.DataFrame(rows)
    if len(table) and table["trend_previous"].isna().all():  # two cycles: the table as before
        table = table.drop(columns=["trend_previous", "trend_previous_from"])
    return table
