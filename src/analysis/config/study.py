"""The study config (``study.yaml``): columns of the export, groups, PDCA cycles, cleaning
rules, interpretation, options of the statistics and the files the study names.

:class:`StudyConfig` mirrors the file section by section (``study.cleaning.max_loss`` is
``cleaning: max_loss:``); every check is in the models. Files the config names are resolved
from its folder and must stay inside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.dataclasses import dataclass

from analysis.config.criteria import (
    Criterion,
    check_bands,
)
from analysis.config.files import read_yaml, validate
from analysis.config.values import (
    ConfigProblem,
    Count,
    Date,
    Flag,
    Number,
    OptionalText,
    PlainText,
    Share,
    StudyFile,
    Text,
    Texts,
    TimestampFormat,
    WholeNumber,
    empty_as,
)

MODEL = ConfigDict(frozen=True, validate_default=True, extra="forbid")
PSEUDONYM_KEY_ENV = "PHANAT_PSEUDONYM_KEY"


def section(cls: type) -> object:
    """A section of the file that may be left out or left empty (``cleaning:``)."""
    return Annotated[cls, empty_as({})]


@dataclass(config=MODEL)
class Columns:
    """``columns:`` the export's columns that are not questionnaire items: the timestamp, the
    respondent key (never written to outputs), the group and cycle columns, free-text columns
    (never copied) and columns to ignore."""

    timestamp: Text = ""
    respondent_key: OptionalText = None
    group: OptionalText = None
    cycle: OptionalText = None
    free_text: Texts = ()
    ignore: Texts = ()
    timestamp_format: TimestampFormat = None  # also accepted here; the top-level key wins


@dataclass(config=MODEL)
class Group:
    """``groups[i]``: a respondent group, its labels in the export and its population size."""

    code: Text = ""
    label_th: Text = ""
    label_en: PlainText = ""
    population: Count = None


@dataclass(config=MODEL)
class Cycle:
    """``cycles[i]``: a PDCA cycle, its names and its window of dates (B.E. years converted)."""

    code: Text = ""
    name_th: Text = ""
    name_en: PlainText = ""
    start: Date = Field()
    end: Date = Field()


@dataclass(config=MODEL)
class Cleaning:
    """``cleaning:`` the row rules: completeness a row needs, which flagged rows are dropped,
    and the share of rows or answers a rule may drop before the run stops."""

    min_completeness: Share = 0.5
    drop_incomplete: Flag = True
    drop_straightlining: Flag = False
    max_loss: Share = 0.05


@dataclass(config=MODEL)
class Interpretation:
    """``interpretation:`` the criteria file, the criterion chosen and an optional ``custom``
    criterion (its bands checked for gaps and overlaps)."""

    criteria_file: StudyFile = None
    criterion: Text = ""
    custom: Criterion | None = None

    @field_validator("criteria_file")
    @classmethod
    def _required(cls, value: Path | None) -> Path:
        if value is None:
            raise ConfigProblem("missing required key {at}")
        return value

    @field_validator("custom", mode="before")
    @classmethod
    def _custom_key(cls, value: object) -> object:
        return {**value, "key": "custom"} if isinstance(value, dict) else value

    @field_validator("custom")
    @classmethod
    def _custom_bands(cls, value: Criterion | None) -> Criterion | None:
        if value is not None:
            check_bands(value)
        return value


@dataclass(config=MODEL)
class TextOptions:
    """``text:`` how the write-up prints numbers (Thai digits or not) and years (B.E. or C.E.)."""

    thai_digits: Flag = False
    year_era: Literal["BE", "CE"] = "BE"


@dataclass(config=MODEL)
class Reliability:
    """``reliability:`` bootstrap resamples for alpha's intervals (0 = no bootstrap)."""

    n_boot: WholeNumber = Field(2000, ge=0)


@dataclass(config=MODEL)
class Validity:
    """``validity:`` the expert-rating (IOC) file and whether to fit the CFA."""

    ioc_file: StudyFile = None
    cfa: Flag = True


@dataclass(config=MODEL)
class Pdca:
    """``pdca:`` the indicator register and rubrics files, and what the Act list names."""

    indicators_file: StudyFile = None
    rubrics_file: StudyFile = None
    act_lowest: WholeNumber = 3
    weak_item_rest_r: Number = 0.30


@dataclass(config=MODEL)
class Suggestions:
    """``suggestions:`` how the free-text answers (``columns.free_text``) are summarised: the
    optional themes file (theme -> name_en and keywords; without it only the most frequent words are shown),
    whether up to three redacted answers per theme may be quoted, how many frequent words are
    listed and in how many answers a word must occur to be listed."""

    themes_file: StudyFile = None
    quote_examples: Flag = False
    top_words: WholeNumber = Field(15, ge=1)
    min_answers: WholeNumber = Field(3, ge=1)


@dataclass(config=MODEL)
class Pseudonym:
    """``pseudonym:`` where the pseudonymisation key comes from (an environment variable, or
    ``key`` for the synthetic example only)."""

    key_env: Text = PSEUDONYM_KEY_ENV
    key: OptionalText = None


@dataclass(config=MODEL)
class StudyConfig:
    """``study.yaml`` as written, section by section, plus ``path`` (the file it came from).
    ``report_cycle`` defaults to the latest cycle; cycles are kept in date order and may not
    overlap; ``timestamp_format`` may also be given under ``columns``."""

    path: Path
    columns: section(Columns)
    cycles: tuple[Cycle, ...]
    interpretation: section(Interpretation)
    title_th: PlainText = ""
    title_en: PlainText = ""
    agency_th: PlainText = ""
    agency_en: PlainText = ""
    model_name: PlainText = ""
    rating_subject_th: PlainText = ""  # what respondents rated; defaults to title_th
    rating_subject_en: PlainText = ""
    unknown_columns: Literal["error", "log"] = "error"
    sheet: OptionalText = None  # XLSX exports: the sheet to read
    groups: Annotated[tuple[Group, ...], empty_as(())] = ()
    report_cycle: OptionalText = None
    missing_policy: Literal["pairwise", "listwise"] = "pairwise"
    cleaning: section(Cleaning) = Field(default_factory=Cleaning)
    timestamp_format: TimestampFormat = None  # DMY | MDY | YMD; None = inferred from the column
    population: Count = None  # the whole population, for a study without groups
    sample_sent: Count = None  # questionnaires sent out (the return rate is of these)
    text: section(TextOptions) = Field(default_factory=TextOptions)
    reliability: section(Reliability) = Field(default_factory=Reliability)
    validity: section(Validity) = Field(default_factory=Validity)
    pdca: section(Pdca) = Field(default_factory=Pdca)
    suggestions: section(Suggestions) = Field(default_factory=Suggestions)
    seeds: Annotated[dict[str, WholeNumber], empty_as({})] = Field(default_factory=dict)
    pseudonym: section(Pseudonym) = Field(default_factory=Pseudonym)
    writeup_file: StudyFile = None
    writeup_file_en: StudyFile = None

    @model_validator(mode="after")
    def _settle(self) -> StudyConfig:
        if not self.cycles:
            raise ConfigProblem("missing required key 'cycles'")
        for i, c in enumerate(self.cycles):
            if c.end < c.start:
                raise ConfigProblem(f"'cycles[{i}].end' is before 'cycles[{i}].start'")
        cycles = tuple(sorted(self.cycles, key=lambda c: c.start))
        for a, b in zip(cycles, cycles[1:], strict=False):
            if b.start <= a.end:
                raise ConfigProblem(f"cycles '{a.code}' and '{b.code}' overlap in time")
        report_cycle = self.report_cycle or cycles[-1].code
        if report_cycle not in {c.code for c in cycles}:
            raise ConfigProblem(f"report_cycle '{report_cycle}' is not one of the cycles")
        settled = {
            "cycles": cycles,
            "report_cycle": report_cycle,
            "timestamp_format": self.timestamp_format or self.columns.timestamp_format,
            "rating_subject_th": self.rating_subject_th or self.title_th,
            "rating_subject_en": self.rating_subject_en or self.title_en,
        }
        for name, value in settled.items():
            object.__setattr__(self, name, value)
        return self

    @property
    def criteria_file(self) -> Path:
        """``interpretation.criteria_file``, resolved from the study's folder."""
        return self.interpretation.criteria_file

    @property
    def criterion(self) -> str:
        """``interpretation.criterion``: the name of the criterion the write-up uses."""
        return self.interpretation.criterion

    def cycle(self, code: str) -> Cycle:
        for c in self.cycles:
            if c.code == code:
                return c
        raise KeyError(code)

    @property
    def folder(self) -> Path:
        """The folder of ``study.yaml``, from which the files it names are resolved."""
        return self.path.parent


def load_study(path: str | Path) -> StudyConfig:
    """Load and check the study config; the files it names are resolved from its folder."""
    path = Path(path)
    raw = read_yaml(path)
    return validate(StudyConfig, {**raw, "path": path}, path, folder=path.parent)
