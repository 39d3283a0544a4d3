"""The rubrics of a PDCA study (``rubrics.yaml``): the ESA standard's quality level from an
evidence checklist (seed 004) and milestone-and-bonus indicators (seed 003).

:class:`RubricsFile` mirrors the file; the scoring is in :mod:`analysis.stats.rubrics`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator
from pydantic.dataclasses import dataclass

from analysis.config.files import read_yaml, validate
from analysis.config.values import ConfigProblem, Flag, Number, PlainText, WholeNumber, empty_as

MODEL = ConfigDict(frozen=True, validate_default=True, extra="forbid")
Flags = Annotated[tuple[Flag, ...], empty_as(())]


@dataclass(config=MODEL)
class EsaBand:
    """A quality level and the number of considerations with clear evidence it needs."""

    level: WholeNumber = Field()
    min_evidenced: WholeNumber = Field()
    description_th: PlainText = ""
    description_en: PlainText = ""  # the English edition's (the Thai text where empty)


@dataclass(config=MODEL)
class Checklist:
    """One indicator's checklist: per consideration, carried out (``done``) and with clear
    evidence (``evidenced``), one entry each."""

    indicator: PlainText = ""
    name_th: PlainText = ""
    name_en: PlainText = ""
    done: Flags = ()
    evidenced: Flags = ()

    @model_validator(mode="after")
    def _same_length(self) -> Checklist:
        if len(self.done) != len(self.evidenced):
            raise ConfigProblem("{at}: done and evidenced must have one entry each per consideration")
        return self


@dataclass(config=MODEL)
class EsaRubric:
    """``esa_quality_level:`` the levels (at least one) and the checklists scored with them."""

    bands: tuple[EsaBand, ...]
    checklists: Annotated[tuple[Checklist, ...], empty_as(())] = ()
    considerations: WholeNumber | None = None

    @model_validator(mode="after")
    def _has_bands(self) -> EsaRubric:
        if not self.bands:
            raise ConfigProblem("{at}.bands needs at least one band with level and min_evidenced")
        return self


@dataclass(config=MODEL)
class MilestoneIndicator:
    """A seed-003 indicator: ordered milestones met (``met``) or awards counted by level."""

    indicator: PlainText = ""
    name_th: PlainText = ""
    name_en: PlainText = ""
    met: Flags | None = None
    awards: Annotated[dict[str, WholeNumber], empty_as({})] | None = None

    @model_validator(mode="after")
    def _met_or_awards(self) -> MilestoneIndicator:
        if self.met is None and self.awards is None:
            raise ConfigProblem("{at} needs either met or awards")
        return self


@dataclass(config=MODEL)
class Milestones:
    """``milestones:`` the maximum score, the points of each award level and the indicators;
    every award level counted must have points."""

    maximum: WholeNumber = 5
    award_points: Annotated[dict[str, Number], empty_as({})] = Field(default_factory=dict)
    indicators: Annotated[tuple[MilestoneIndicator, ...], empty_as(())] = ()

    @model_validator(mode="after")
    def _known_awards(self) -> Milestones:
        for i, case in enumerate(self.indicators):
            unknown = [a for a in case.awards or {} if a not in self.award_points]
            if unknown:
                levels = ", ".join(unknown)
                raise ConfigProblem(
                    f"'milestones.indicators[{i}]': award level(s) {levels} are not in award_points"
                )
        return self


@dataclass(config=MODEL)
class RubricsFile:
    """``rubrics.yaml``: either rubric, or both."""

    esa_quality_level: EsaRubric | None = None
    milestones: Milestones | None = None


def load_rubrics(path: str | Path) -> RubricsFile:
    """Read and check ``rubrics.yaml``."""
    path = Path(path)
    return validate(RubricsFile, read_yaml(path), path)
