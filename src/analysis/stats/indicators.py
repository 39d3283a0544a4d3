"""The indicator register of a PDCA study: targets set in Plan, actuals measured in Check.

A register is a YAML file (``indicators:`` list) or a CSV file in long form (one row per
indicator and cycle). Each indicator has a code, a Thai name, a unit, a direction (``higher``
or ``lower`` is better), a target and an actual per cycle, and the evidence. An actual can
come from the survey instead of being typed: ``source: survey:PAR`` takes the mean of
dimension PAR in each cycle (``survey:overall`` the overall mean), so the number in the
write-up is the pipeline's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.config.study import read_yaml
from analysis.errors import PhanatError

DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class Indicator:
    code: str
    name_th: str
    name_en: str
    unit: str
    direction: str
    targets: dict[str, float | None]
    actuals: dict[str, float | None] = field(default_factory=dict)
    source: str = ""
    evidence: str = ""
    unit_en: str = ""


def _number(value, path: Path, row: int | None, column: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        raise PhanatError(f"{value!r} is not a number", file=path, row=row, column=column) from None


def _direction(value, path: Path, row: int | None, column: str) -> str:
    text = str(value or "").strip().lower()
    if text not in DIRECTIONS:
        raise PhanatError(
            f"direction must be 'higher' or 'lower' (which is better), not {value!r}",
            file=path,
            row=row,
            column=column,
        )
    return text


def load_indicators(path: str | Path, cycles: list[str]) -> list[Indicator]:
    """Read and check a register (YAML or CSV, see module docstring). ``cycles`` are the
    study's cycle codes; a target or actual for any other cycle is an error."""
    path = Path(path)
    if not path.is_file():
        raise PhanatError("indicator register not found", file=path)
    out = _load_csv(path) if path.suffix.lower() == ".csv" else _load_yaml(path)
    if not out:
        raise PhanatError("the indicator register lists no indicators", file=path)
    seen: set[str] = set()
    for ind in out:
        if ind.code in seen:
            raise PhanatError(f"indicator {ind.code!r} appears twice", file=path)
        seen.add(ind.code)
        for cycle in [*ind.targets, *ind.actuals]:
            if cycle not in cycles:
                raise PhanatError(
                    f"indicator {ind.code!r} names cycle {cycle!r}, which the study does not have "
                    f"({', '.join(cycles)})",
                    file=path,
                )
    return out


def _load_yaml(path: Path) -> list[Indicator]:
    raw = read_yaml(path).get("indicators")
    if not isinstance(raw, list):
        raise PhanatError("expected a list under 'indicators:'", file=path)
    out = []
    for i, item in enumerate(raw):
        where = f"indicators[{i}]"
        if not isinstance(item, dict) or not item.get("code"):
            raise PhanatError(f"'{where}' needs at least a code", file=path)
        targets = item.get("targets") or {}
        actuals = item.get("actuals") or {}
        out.append(
            Indicator(
                code=str(item["code"]),
                name_th=str(item.get("name_th") or item["code"]),
                name_en=str(item.get("name_en", "")),
                unit=str(item.get("unit", "")),
                direction=_direction(item.get("direction"), path, None, f"{where}.direction"),
                targets={str(c): _number(v, path, None, f"{where}.targets.{c}") for c, v in targets.items()},
                actuals={str(c): _number(v, path, None, f"{where}.actuals.{c}") for c, v in actuals.items()},
                source=str(item.get("source", "")),
                evidence=str(item.get("evidence", "")),
                unit_en=str(item.get("unit_en", "")),
            )
        )
    return out


def _load_csv(path: Path) -> list[Indicator]:
    try:
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise PhanatError(f"cannot read the indicator register ({type(exc).__name__})", file=path) from None
    missing = [c for c in ("indicator", "direction", "cycle", "target", "actual") if c not in frame.columns]
    if missing:
        raise PhanatError(f"missing column(s): {', '.join(missing)}", file=path)
    indicators: dict[str, dict] = {}
    for i, row in frame.iterrows():
        line = int(i) + 2
        code = row["indicator"].strip()
        if not code:
            raise PhanatError("empty indicator code", file=path, row=line, column="indicator")
        entry = indicators.setdefault(
            code,
            {
                "name_th": row.get("name_th", "") or code,
                "unit": row.get("unit", ""),
                "unit_en": row.get("unit_en", ""),
                "direction": _direction(row["direction"], path, line, "direction"),
                "targets": {},
                "actuals": {},
                "evidence": row.get("evidence", ""),
            },
        )
        cycle = row["cycle"].strip()
        entry["targets"][cycle] = _number(row["target"], path, line, "target")
        entry["actuals"][cycle] = _number(row["actual"], path, line, "actual")
    return [
        Indicator(
            code, e["name_th"], "", e["unit"], e["direction"], e["targets"], e["actuals"], "", e["evidence"]
        )
        for code, e in indicators.items()
    ]


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


def attainment_table(
    indicators: list[Indicator], cycles: list[str], cycle_means: dict[str, dict[str, float]]
) -> pd.DataFrame:
    """One row per indicator and cycle: target, actual, % attainment, met, and a ``note_code``
    where a number is missing (``no_target``, ``no_actual``; never a silent NaN); plus each
    indicator's trend across cycles."""
    rows = []
    for ind in indicators:
        actuals = dict(ind.actuals)
        if ind.source.startswith("survey:"):
            actuals.update(survey_actuals(ind.source, cycle_means))
        series = [actuals.get(c) for c in cycles]
        direction_trend = trend(series, ind.direction)
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
                    "source": ind.source or "register",
                    "evidence": ind.evidence,
                    "note_code": note,
                }
            )
    return pd.DataFrame(rows)
