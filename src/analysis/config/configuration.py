"""A study's whole configuration, loaded and checked across its files before anything runs.

:func:`load_configuration` reads the codebook and the study config, then every file the study
names (criteria, expert ratings, indicator register, rubrics, suggestion themes), and checks
what no single file can: that the chosen criterion exists and its bands span the codebook's scale, that the
register names only the study's cycles and that the experts rated codebook items.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.config.codebook import Codebook, load_codebook
from analysis.config.criteria import (
    CLASS_INTERVAL,
    Criterion,
    ReliabilityLevels,
    class_interval_criterion,
    criterion_problem,
    load_criteria_file,
)
from analysis.config.indicators import Indicator, load_indicators
from analysis.config.ioc import read_expert_ratings
from analysis.config.rubrics import RubricsFile, load_rubrics
from analysis.config.study import StudyConfig, load_study
from analysis.config.themes import Theme, load_themes
from analysis.errors import PhanatError


@dataclass(frozen=True)
class Configuration:
    """Everything a run reads from the study folder: the codebook, the study config, the
    criterion chosen (and all criteria by name), the reliability levels, and the optional
    indicator register, rubrics, expert ratings (items × experts) and suggestion themes (None
    without a file)."""

    codebook: Codebook
    study: StudyConfig
    criteria: dict[str, Criterion]
    criterion: Criterion
    reliability_levels: ReliabilityLevels | None = None
    indicators: list[Indicator] | None = None
    rubrics: RubricsFile | None = None
    expert_ratings: Any = None  # pandas.DataFrame
    themes: dict[str, Theme] | None = None  # suggestions' themes by Thai name


def choose_criterion(criteria: dict[str, Criterion], study: StudyConfig, codebook: Codebook) -> Criterion:
    """The criterion the study names (``custom`` from the study config, ``class_interval``
    computed from the codebook's scale unless the criteria file defines it), which must span
    the codebook's scale."""
    criteria = dict(criteria)
    if study.interpretation.custom is not None:
        criteria["custom"] = study.interpretation.custom
    criteria.setdefault(CLASS_INTERVAL, class_interval_criterion(codebook.scale_min, codebook.scale_max))
    name = study.interpretation.criterion
    if name not in criteria:
        raise PhanatError(
            f"interpretation criterion '{name}' is not defined in {study.criteria_file.name} "
            f"(defined: {', '.join(criteria)})",
            file=study.path,
        )
    problem = criterion_problem(criteria[name], codebook.scale_min, codebook.scale_max)
    if problem:
        raise PhanatError(
            f"interpretation criterion '{name}' does not fit the codebook's "
            f"{codebook.scale_max - codebook.scale_min + 1}-point scale: {problem}; choose "
            f"'criterion: {CLASS_INTERVAL}' (equal bands computed from the scale) or define bands that fit",
            file=study.path,
        )
    return criteria[name]


def load_configuration(codebook_path: str | Path, study_path: str | Path) -> Configuration:
    """Load and check every configuration file of a study (see the module docstring)."""
    codebook = load_codebook(codebook_path)
    study = load_study(study_path)
    criteria_file = load_criteria_file(study.criteria_file)
    pdca, ioc_file = study.pdca, study.validity.ioc_file
    return Configuration(
        codebook=codebook,
        study=study,
        criteria=dict(criteria_file.criteria),
        criterion=choose_criterion(criteria_file.criteria, study, codebook),
        reliability_levels=criteria_file.reliability_levels,
        indicators=(
            load_indicators(pdca.indicators_file, [c.code for c in study.cycles])
            if pdca.indicators_file
            else None
        ),
        rubrics=load_rubrics(pdca.rubrics_file) if pdca.rubrics_file else None,
        expert_ratings=read_expert_ratings(ioc_file, codebook) if ioc_file else None,
        themes=load_themes(study.suggestions.themes_file) if study.suggestions.themes_file else None,
    )
