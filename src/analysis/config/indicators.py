"""The indicator register of a PDCA study (``indicators.yaml`` or a long CSV): targets set in
Plan, actuals measured in Check.

A YAML register is a list under ``indicators:``; a CSV register has one row per indicator and
cycle (columns ``indicator, name_th, unit, unit_en, direction, cycle, target, actual,
evidence``). Each :class:`Indicator` has a code, names, a unit, a direction (``higher`` or
``lower`` is better), a target and an actual per cycle, and its evidence. ``source:
survey:PAR`` takes the actuals from the survey's means (see :mod:`analysis.stats.indicators`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from pydantic.dataclasses import dataclass

from analysis.config.files import read_yaml, validate, validate_row
from analysis.config.values import ConfigProblem, PlainText, Text, empty_as, number_from
from analysis.errors import PhanatError

MODEL = ConfigDict(frozen=True, validate_default=True, extra="forbid")
DIRECTIONS = ("higher", "lower")
CSV_COLUMNS = ("indicator", "direction", "cycle", "target", "actual")


def _direction(value: Any) -> str:
    text = str(value or "").strip().lower()
    if text not in DIRECTIONS:
        raise ConfigProblem(f"{{at}} must be 'higher' or 'lower' (which is better), not {value!r}")
    return text


def _value(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        return float(number_from(value))
    except ConfigProblem:
        raise ConfigProblem(f"{value!r} is not a number") from None


Direction = Annotated[str, BeforeValidator(_direction)]
Value = Annotated[float | None, BeforeValidator(_value)]  # a target or actual; empty = not set
Values = Annotated[dict[str, Value], empty_as({})]


@dataclass(config=MODEL)
class Indicator:
    """One indicator: code, names (the Thai name defaults to the code), unit, which direction
    is better, targets and actuals by cycle code, where actuals come from and the evidence."""

    code: Text = ""
    name_th: PlainText = ""
    name_en: PlainText = ""
    unit: PlainText = ""
    direction: Direction = ""
    targets: Values = Field(default_factory=dict)
    actuals: Values = Field(default_factory=dict)
    source: PlainText = ""
    evidence: PlainText = ""
    unit_en: PlainText = ""

    @model_validator(mode="after")
    def _named(self) -> Indicator:
        if not self.name_th:
            object.__setattr__(self, "name_th", self.code)
        return self


@dataclass(config=MODEL)
class IndicatorRegister:
    """A register: at least one indicator, each code once, and (with the study's ``cycles`` in
    the validation context) only the study's cycles."""

    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> IndicatorRegister:
        if not self.indicators:
            raise ConfigProblem("the indicator register lists no indicators")
        cycles = (info.context or {}).get("cycles")
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.code in seen:
                raise ConfigProblem(f"indicator {ind.code!r} appears twice")
            seen.add(ind.code)
            for cycle in [*ind.targets, *ind.actuals]:
                if cycles is not None and cycle not in cycles:
                    raise ConfigProblem(
                        f"indicator {ind.code!r} names cycle {cycle!r}, which the study does not have "
                        f"({', '.join(cycles)})"
                    )
        return self


@dataclass(config=MODEL)
class RegisterRow:
    """One row of a CSV register: an indicator's target and actual in one cycle."""

    indicator: Text = ""
    direction: Direction = ""
    cycle: Text = ""
    target: Value = None
    actual: Value = None
    name_th: PlainText = ""
    unit: PlainText = ""
    unit_en: PlainText = ""
    evidence: PlainText = ""


def _csv_indicators(path: Path) -> list[dict]:
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise PhanatError(f"cannot read the indicator register ({type(exc).__name__})", file=path) from None
    missing = [c for c in CSV_COLUMNS if c not in frame.columns]
    if missing:
        raise PhanatError(f"missing column(s): {', '.join(missing)}", file=path)
    fields = ("indicator", "direction", "cycle", "target", "actual", "name_th", "unit", "unit_en", "evidence")
    indicators: dict[str, dict] = {}
    for i, record in enumerate(frame.to_dict("records")):
        row = validate_row(RegisterRow, {k: record[k] for k in fields if k in record}, path, i + 2)
        entry = indicators.setdefault(
            row.indicator,
            {"code": row.indicator, "name_th": row.name_th, "unit": row.unit, "unit_en": row.unit_en,
             "direction": row.direction, "targets": {}, "actuals": {}, "evidence": row.evidence},
        )  # fmt: skip
        entry["targets"][row.cycle] = row.target
        entry["actuals"][row.cycle] = row.actual
    return list(indicators.values())


def load_indicators(path: str | Path, cycles: list[str]) -> list[Indicator]:
    """Read and check a register (YAML or CSV, see the module docstring). ``cycles`` are the
    study's cycle codes; a target or actual for any other cycle is an error."""
    path = Path(path)
    if not path.is_file():
        raise PhanatError("indicator register not found", file=path)
    data = {"indicators": _csv_indicators(path)} if path.suffix.lower() == ".csv" else read_yaml(path)
    return list(validate(IndicatorRegister, data, path, cycles=list(cycles)).indicators)
