"""Interpretation criteria (``criteria.yaml``): bands that turn a mean into a level, and the
levels of a reliability coefficient.

:class:`CriteriaFile` mirrors the file. Every criterion's bands must follow each other without
a gap or an overlap at the 0.01 resolution means are printed with; that is checked when the
file loads. Whether a criterion's bands span the codebook's scale is checked when the study's
configuration is put together (:mod:`analysis.config.configuration`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator
from pydantic.dataclasses import dataclass

from analysis.config.files import read_yaml, validate
from analysis.config.values import ConfigProblem, Number, PlainText, Text, WholeNumber, empty_as

MODEL = ConfigDict(
    frozen=True, validate_default=True, extra="forbid", validate_by_name=True, validate_by_alias=True
)
CLASS_INTERVAL = "class_interval"  # a criterion computed from the codebook's scale


@dataclass(config=MODEL)
class Band:
    """One band of a criterion: means from ``min`` to ``max`` (inclusive, two decimals) are at
    ``level``, named ``th`` / ``en``."""

    low: Number = Field(alias="min")
    high: Number = Field(alias="max")
    level: WholeNumber = Field()
    th: Text = Field()
    en: Text = Field()


@dataclass(config=MODEL)
class Criterion:
    """A named criterion for interpreting a mean: names, its reference and its bands (kept
    highest first). ``key`` is the name the study config chooses it by."""

    key: PlainText = ""
    name_th: Text = ""
    name_en: Text = ""
    reference: PlainText = ""
    bands: Annotated[tuple[Band, ...], empty_as(())] = ()

    @model_validator(mode="after")
    def _highest_first(self) -> Criterion:
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda b: -b.low)))
        return self


def band_problem(criterion: Criterion) -> str | None:
    """Why a criterion's bands do not follow each other (none, one ending before it starts,
    a gap or an overlap, at the 0.01 resolution means are printed with), or None."""
    bands = sorted(criterion.bands, key=lambda b: b.low)
    if not bands:
        return "it has no bands"
    for band in bands:
        if band.high < band.low:
            return f"band {band.low:.2f}–{band.high:.2f} ends before it starts"
    for a, b in zip(bands, bands[1:], strict=False):
        step = round(b.low - a.high, 2)
        if step > 0.01 + 1e-9:
            return f"a gap between {a.high:.2f} and {b.low:.2f}"
        if step < 0.01 - 1e-9:
            return f"bands {a.low:.2f}–{a.high:.2f} and {b.low:.2f}–{b.high:.2f} overlap"
    return None


def criterion_problem(criterion: Criterion, scale_min: int, scale_max: int) -> str | None:
    """Why a criterion's bands do not fit the scale (:func:`band_problem`, or not reaching
    from the scale's minimum to its maximum), or None when they fit."""
    problem = band_problem(criterion)
    if problem:
        return problem
    low, high = min(b.low for b in criterion.bands), max(b.high for b in criterion.bands)
    if abs(low - scale_min) > 1e-9 or abs(high - scale_max) > 1e-9:
        return (
            f"its bands run from {low:.2f} to {high:.2f} but the scale runs from {scale_min} to {scale_max}"
        )
    return None


def check_bands(criterion: Criterion) -> None:
    """Raise :class:`ConfigProblem` (at the criterion's key path) when its bands have a gap or
    an overlap."""
    problem = band_problem(criterion)
    if problem:
        raise ConfigProblem(f"{{at}}: the bands do not follow each other: {problem}")


def class_interval_criterion(scale_min: int, scale_max: int) -> Criterion:
    """Equal bands of width (max − min) / levels, one level per scale point, as Best (1977)
    builds them: the lowest band starts at the scale minimum and each next band starts 0.01
    above the previous one's end (two decimals, as means are printed). A 5-point scale gives
    the familiar 1.00–1.80 … 4.21–5.00 (width 0.80); 4 points give width 0.75, 7 points 0.86.
    Level names come from :data:`analysis.config.labels.LEVEL_NAMES`."""
    from analysis.config.labels import LEVEL_NAMES

    k = scale_max - scale_min + 1
    names = LEVEL_NAMES.get(k) or tuple((f"ระดับ {k - i}", f"level {k - i}") for i in range(k))
    width = (scale_max - scale_min) / k
    edges = [round(scale_min + i * width, 2) for i in range(k + 1)]
    edges[-1] = float(scale_max)
    bands = tuple(
        Band(
            low=edges[i] if i == 0 else round(edges[i] + 0.01, 2),
            high=edges[i + 1],
            level=i + 1,
            th=names[k - 1 - i][0],
            en=names[k - 1 - i][1].lower(),
        )
        for i in range(k)
    )
    return Criterion(
        key=CLASS_INTERVAL,
        name_th=f"เกณฑ์อันตรภาคชั้น (คะแนนสูงสุด − คะแนนต่ำสุด) / จำนวนชั้น = {width:.2f}",
        name_en=f"Class interval (max − min) / levels = {width:.2f}",
        reference="Best, J. W. (1977). *Research in education* (3rd ed.). Prentice-Hall.",
        bands=bands,
    )


@dataclass(config=MODEL)
class LevelBand:
    """A level of a reliability coefficient: reached at ``min`` and above, named ``th`` / ``en``."""

    low: Number = Field(alias="min")
    th: Text = Field()
    en: Text = Field()


@dataclass(config=MODEL)
class ReliabilityLevels:
    """Bands for interpreting a reliability coefficient (kept highest first) and their source."""

    bands: tuple[LevelBand, ...]
    reference: PlainText = ""

    @model_validator(mode="after")
    def _highest_first(self) -> ReliabilityLevels:
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda b: -b.low)))
        return self

    def label(self, value: float | None, lang: str = "th") -> str:
        """The name of the first band ``value`` reaches ("" for None or below every band)."""
        if value is None:
            return ""
        for band in self.bands:
            if value >= band.low - 1e-12:
                return band.th if lang == "th" else band.en
        return ""


@dataclass(config=MODEL)
class CriteriaFile:
    """``criteria.yaml``: the criteria by name (each criterion's ``key`` is its name) and,
    optionally, the reliability levels. A gap or overlap in any criterion's bands is an error."""

    criteria: dict[str, Criterion]
    reliability_levels: ReliabilityLevels | None = None

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("criteria"), dict):
            criteria = {
                str(k): ({"key": str(k), **v} if isinstance(v, dict) else v)
                for k, v in data["criteria"].items()
            }
            data = {**data, "criteria": criteria}
        return data

    @model_validator(mode="after")
    def _bands_follow(self) -> CriteriaFile:
        for key, criterion in self.criteria.items():
            problem = band_problem(criterion)
            if problem:
                raise ConfigProblem(f"'criteria.{key}': the bands do not follow each other: {problem}")
        return self


def load_criteria_file(path: str | Path) -> CriteriaFile:
    """Load and check a criteria file."""
    path = Path(path)
    return validate(CriteriaFile, read_yaml(path), path)


def load_criteria(path: str | Path) -> dict[str, Criterion]:
    """The interpretation criteria (mean → level bands) of a criteria file, by name."""
    return dict(load_criteria_file(path).criteria)


def load_reliability_levels(path: str | Path) -> ReliabilityLevels | None:
    """The ``reliability_levels`` section of the criteria file, or None when it has none."""
    return load_criteria_file(path).reliability_levels
