"""Typed results: one pydantic model per stage file of a run (``<run>/results/<stage>.json``).

Each stage of :mod:`analysis.run.pipeline` validates its payload with its model before
writing it, and everything that reads a run (the renderer, the package, the tests) reads it
back through the same models (:func:`analysis.results.store.read_run`). Numbers are ``int``
or ``float`` (``None`` where a statistic is not defined: never NaN), codes are ``Literal``
values, and no model allows a key it does not name, so a stage that starts writing something
new has to say so here. ``docs/results.schema.json`` is generated from these models
(``phanat schema``). Figures and publication tables are not results: the report layer draws
and makes them from these numbers when it renders (:mod:`analysis.report.figures`).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MissingPolicy = Literal["pairwise", "listwise"]
STAGES = ("clean", "reliability", "descriptives", "pdca")


class Strict(BaseModel):
    """Base of every results model: unknown keys are an error, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


PCT_KEY = re.compile(r"^pct_-?[0-9]+$")


class PointShares(BaseModel):
    """A row with the percentage of answers at each scale point, ``pct_<value>`` (the keys
    depend on the codebook's scale, so they are checked by pattern, not named)."""

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        json_schema_extra={
            "patternProperties": {PCT_KEY.pattern: {"type": ["number", "null"]}},
            "additionalProperties": False,
        },
    )

    @model_validator(mode="after")
    def _only_point_shares(self) -> PointShares:
        for key, value in (self.model_extra or {}).items():
            if not PCT_KEY.match(key):
                raise ValueError(f"unknown key {key!r} (only pct_<scale point> may be added)")
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise ValueError(f"{key} must be a number or null, not {value!r}")
        return self


# --------------------------------------------------------------------------- clean (+ meta)
class Band(Strict):
    min: float
    max: float
    level: int
    th: str
    en: str


class CriterionMeta(Strict):
    key: str
    name_th: str
    name_en: str
    reference: str
    bands: list[Band]


class CycleMeta(Strict):
    code: str
    name_th: str
    name_en: str
    start: date
    end: date


class GroupMeta(Strict):
    code: str
    label_th: str
    label_en: str
    population: int | None


class ScalePoint(Strict):
    value: int
    th: str
    en: str


class ScaleMeta(Strict):
    min: int
    max: int
    points: list[ScalePoint]


class RunMeta(Strict):
    """What the run was made from: study, configuration files, criterion, cycles, groups and
    scale, the export's neutral label and SHA-256, and the software versions."""

    synthetic: bool
    title_th: str
    title_en: str
    agency_th: str
    agency_en: str
    model_name: str
    rating_subject_th: str
    rating_subject_en: str
    instrument_th: str
    data_file: str  # a neutral label ("export 1"): file names are untrusted text
    data_sha256: Sha256
    codebook_file: str
    study_file: str
    criteria_file: str
    writeup_file: str | None
    writeup_file_en: str | None
    indicators_file: str | None  # named in a figure's placeholder for an indicator without a name
    criterion: CriterionMeta
    cycles: list[CycleMeta]
    report_cycle: str
    groups: list[GroupMeta]
    scale: ScaleMeta
    last_submission: str | None
    software: dict[str, str]


class ExportPart(Strict):
    file: str
    sha256: Sha256
    first_row: int
    last_row: int


class CleaningRules(Strict):
    max_loss: float
    min_completeness: float
    drop_incomplete: bool
    drop_straightlining: bool


class TopValue(Strict):
    column: str
    value: str
    count: int


class Loss(Strict):
    rule: str
    count: int
    of: int
    unit: str
    share: float
    over: bool
    top: list[TopValue]
    rows: list[int]
    fix: str


class CleaningSummary(Strict):
    """Counts of the cleaning: rows read, kept and dropped by reason, cells set missing,
    flags, the rules used and the losses against ``cleaning.max_loss``."""

    file: str
    sha256: Sha256
    parts: list[ExportPart] | None = None  # a folder of exports
    encoding: str
    n_raw: int
    n_kept: int
    n_dropped: int
    dropped_by_reason: dict[str, int]
    n_cells_set_missing: int
    n_flag_incomplete: int
    n_flag_straightlining: int
    report_cycle: str
    rules: CleaningRules
    unmatched_columns: list[str]
    reverse_keyed_items: list[str]
    n_by_cycle: dict[str, int]
    timestamp_order: Literal["DMY", "MDY", "YMD"]
    respondent_key: str
    losses: list[Loss]
    # free-text answers: placeholders written per kind of personal data ("name", "phone", ...)
    redactions: dict[str, int] = {}


class SuggestionCycle(Strict):
    """One cycle's free-text answers: rows kept (blank answers included), answers that say
    something, and what was redacted in them (kind -> count)."""

    cycle: str
    n_rows: int
    n_suggestions: int
    redactions: dict[str, int]


class SuggestionWord(Strict):
    """A frequent content word: answers using it (in all and per cycle) and occurrences."""

    word: str
    answers: int
    count: int
    answers_by_cycle: dict[str, int]


class SuggestionTheme(Strict):
    """A theme of the themes file: its Thai name, its English name (None when the themes file
    gives none), answers mentioning it per cycle and their percentage of that cycle's
    suggestions (None for a cycle without suggestions), and over all cycles."""

    theme: str
    name_en: str | None
    count: dict[str, int]
    percent: dict[str, float | None]
    count_all: int
    percent_all: float | None


class SuggestionsSection(Strict):
    """The respondents' suggestions (free-text columns) summarised by
    :func:`analysis.data.suggestions.summarise_suggestions`: counts, frequent words, themes and,
    only when ``suggestions.quote_examples`` allows it, up to three redacted answers per theme.
    ``code`` is ``no_answers`` when nobody wrote one."""

    code: Literal["ok", "no_answers"]
    n_columns: int
    themes_file: str | None
    quoted: bool
    min_answers: int
    cycles: list[SuggestionCycle]
    redactions: dict[str, int]
    top_words: list[SuggestionWord]
    themes: list[SuggestionTheme]
    examples: dict[str, list[str]]


class StageFile(Strict):
    """What every stage file has: its stage and the SHA-256 of the processed data it used
    (stage 1: of the processed file it wrote)."""

    stage: str
    processed_sha256: Sha256
    SECTIONS: ClassVar[tuple[str, ...]] = ()

    def sections(self) -> dict[str, Any]:
        """The stage's sections of :func:`analysis.results.store.load_results`."""
        data = self.model_dump(mode="json", exclude={"stage", "processed_sha256"})
        if self.SECTIONS:
            return {name: data[name] for name in self.SECTIONS}
        return {self.stage: data}


class CleanResults(StageFile):
    """``results/clean.json``: the run's meta, the cleaning summary and the respondents'
    suggestions."""

    stage: Literal["clean"] = "clean"
    meta: RunMeta
    cleaning: CleaningSummary
    suggestions: SuggestionsSection | None = None  # None: the study names no free-text column
    SECTIONS: ClassVar[tuple[str, ...]] = ("meta", "cleaning", "suggestions")


# --------------------------------------------------------------------------- reliability
# (code, scale, item or items, value), as analysis.stats.reliability writes them
WarningKind = Literal["negative_item_rest_r", "zero_variance", "fewer_than_two_items", "negative_loading"]
WarningCode = tuple[WarningKind, str, str, float]


class ScaleReliabilityRow(Strict):
    scale: str
    n_items: int
    n_obs: int
    missing_policy: MissingPolicy
    alpha: float | None
    std_alpha: float | None
    lambda6: float | None
    average_r: float | None
    omega_total: float | None
    ci_level: float
    ci_method: Literal["Feldt (1987) F-based"]
    ci_low: float | None
    ci_high: float | None
    boot_percentile_low: float | None
    boot_percentile_high: float | None
    boot_bca_low: float | None
    boot_bca_high: float | None
    n_boot: int
    boot_seed: int | None
    note_code: Literal[
        "",
        "fewer_than_two_items",
        "fewer_than_three_respondents",
        "pair_without_common_answers",
        "no_item_varies",
        "total_does_not_vary",
    ]
    warning_codes: list[WarningCode]
    interpretation_th: str
    interpretation_en: str


class ItemAnalysisRow(Strict):
    dimension: str
    item: str
    n: int
    mean: float | None
    sd: float | None
    r_drop: float | None
    alpha_if_deleted: float | None


class IocRow(Strict):
    item: str
    n_experts: int
    ioc: float
    acceptable: bool


class IocSection(Strict):
    file: str
    cutoff: float
    n_experts: int
    min: float | None
    max: float | None
    flagged: list[str]
    not_rated: list[str]
    items: list[IocRow]


class Loading(Strict):
    dimension: str
    item: str
    std_loading: float | None


class CfaSection(Strict):
    fitted: bool
    n_obs: int
    estimator: Literal["ML"]
    missing: Literal["listwise"]
    chi2: float | None
    df: int | None
    p_value: float | None
    cfi: float | None
    tli: float | None
    rmsea: float | None
    rmsea_ci_low: float | None
    rmsea_ci_high: float | None
    srmr: float | None
    loadings: list[Loading]
    meets: dict[Literal["cfi", "tli", "rmsea", "srmr"], bool]
    reason: Literal[
        "", "too_few_items", "too_few_responses", "no_variation", "no_degrees_of_freedom", "estimation_failed"
    ]
    reason_values: list[str | int | float]
    # cautions about a fitted model: ("small_sample", n, the n below which it applies)
    warning_codes: list[tuple[Literal["small_sample"], int, int]]


class AlphaByCycleRow(Strict):
    """Alpha of one scale (a dimension or ``overall``) in one cycle (analysis.stats.stability)."""

    scale: str
    cycle: str
    n: int
    k: int
    alpha: float | None
    ci_low: float | None  # Feldt's interval, as in the scales of the report cycle
    ci_high: float | None
    code: Literal["ok", "alpha_not_defined"]


class AlphaEqualityRow(Strict):
    """The test of equal alphas of one scale across the cycles where alpha is defined: Feldt's
    (1969) W ~ F(df1, df2) for two cycles, Hakstian & Whalen's (1976) chi-square (df1) for more."""

    scale: str
    cycles: list[str]
    test: Literal["", "feldt_1969", "hakstian_whalen_1976"]
    statistic: float | None
    df1: int | None
    df2: int | None
    p: float | None
    code: Literal["ok", "fewer_than_two_cycles", "alpha_out_of_range"]


class InvarianceStep(Strict):
    """One multi-group model (configural, metric, scalar) and, from metric on, its difference to
    the model before and whether it holds by Chen (2007)."""

    model: Literal["configural", "metric", "scalar"]
    converged: bool
    chi2: float | None
    df: int
    p_value: float | None
    cfi: float | None
    tli: float | None
    rmsea: float | None
    n_params: int
    heywood: bool
    delta_chi2: float | None = None
    delta_df: int | None = None
    delta_p: float | None = None
    delta_cfi: float | None = None
    delta_rmsea: float | None = None
    holds: bool | None = None  # None: the model did not converge
    code: Literal["ok", "not_converged"]


class InvarianceSection(Strict):
    """Measurement invariance of the CFA across cycles (analysis.stats.invariance): the cycles
    fitted and their complete responses, the cycles left out (fewer than ``min_n``), the models
    and the highest ``level`` that holds ("scalar": means comparable)."""

    code: Literal["ok", "fewer_than_two_groups", "too_few_items", "no_variation", "not_converged"]
    groups: list[str]
    n: list[int]
    left_out: list[str]
    min_n: int
    steps: list[InvarianceStep]
    level: Literal["", "configural", "metric", "scalar"]
    criteria: dict[Literal["max_cfi_drop", "max_rmsea_rise"], float]


class StabilitySection(Strict):
    """Does the instrument hold steady across cycles: alpha per cycle with the test of equal
    alphas, and the CFA's measurement invariance (``None`` with ``validity.cfa: false``), over
    every cycle with data. ``fewer_than_two_cycles``: one cycle, nothing compared."""

    code: Literal["ok", "fewer_than_two_cycles"]
    cycles: list[str]
    missing_policy: MissingPolicy
    alpha: list[AlphaByCycleRow]
    alpha_tests: list[AlphaEqualityRow]
    invariance: InvarianceSection | None


class ReliabilityResults(StageFile):
    """``results/reliability.json``: alpha and its intervals per dimension and overall, item
    analysis, IOC and the CFA, for the report cycle; ``stability`` across all cycles."""

    stage: Literal["reliability"] = "reliability"
    cycle: str
    missing_policy: MissingPolicy
    n_boot: int
    bootstrap_seed: int
    levels_reference: str
    scales: list[ScaleReliabilityRow]
    items: list[ItemAnalysisRow]
    warning_codes: list[WarningCode]
    ioc: IocSection | None
    cfa: CfaSection | None
    stability: StabilitySection


# --------------------------------------------------------------------------- descriptives
class ItemRow(PointShares):
    dimension: str
    item: str
    text_th: str
    text_en: str
    reverse: bool
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    skew: float | None
    level: int | None
    level_th: str
    level_en: str
    rank: int | None


class DimensionRow(PointShares):
    dimension: str
    order: int
    name_th: str
    name_en: str
    n_items: int
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    skew: float | None
    level: int | None
    level_th: str
    level_en: str
    rank: int | None


class Overall(PointShares):
    n: int
    n_items: int
    mean: float | None
    sd_respondents: float | None
    median: float | None
    skew: float | None
    mean_pooled: float | None
    sd_pooled: float | None
    n_answers: int
    level: int | None
    level_th: str
    level_en: str


class CycleDescriptives(Strict):
    dimensions: list[DimensionRow]
    overall: Overall


class TextOptions(Strict):
    thai_digits: bool
    year_era: Literal["BE", "CE"]


class SampleRow(Strict):
    group: str
    label_th: str
    label_en: str
    population: int | None
    n: int
    response_rate: float | None = None
    required_krejcie_morgan: int | None = None
    required_yamane: int | None = None
    adequate_krejcie_morgan: bool | None = None
    adequate_yamane: bool | None = None
    allocation: Literal["", "proportional"] | None = None
    sent: int | None = None
    return_rate: float | None = None


class SampleSection(Strict):
    table: list[SampleRow]


class GamesHowellRow(Strict):
    group_a: str
    group_b: str
    mean_a: float
    mean_b: float
    difference: float
    t: float | None
    df: float | None
    p: float | None
    hedges_g: float | None


class GroupComparison(Strict):
    scale: str
    groups: list[str]
    n: list[int]
    means: list[float]
    sds: list[float | None]
    test: Literal["", "Welch's t-test", "Welch's ANOVA"]
    statistic: float | None
    df1: float | None
    df2: float | None
    p: float | None
    effect_size: float | None
    effect_size_name: Literal["", "Hedges' g", "eta squared"]
    kruskal_h: float | None
    kruskal_df: int | None
    kruskal_p: float | None
    rank_epsilon_squared: float | None
    posthoc: list[GamesHowellRow]
    note_codes: list[Literal["left_out", "fewer_than_two_groups", "no_variation"]]
    left_out: list[str]  # groups with fewer than two respondents
    without_variation: list[str]  # groups whose answers do not vary


class GroupsSection(Strict):
    column: str | None  # the export's group column; None when the study has none
    labels_th: dict[str, str]
    labels_en: dict[str, str]
    comparisons: list[GroupComparison]


class DescriptivesResults(StageFile):
    """``results/descriptives.json``: items, dimensions and overall of the report cycle (and
    dimensions and overall of every cycle), the sample's adequacy and the group comparisons."""

    stage: Literal["descriptives"] = "descriptives"
    cycle: str
    cycle_name_th: str
    cycle_name_en: str
    criterion: str
    criterion_name_th: str
    criterion_name_en: str
    sd_overall_shown: Literal["sd_respondents", "sd_pooled"]
    text_options: TextOptions
    items: list[ItemRow]
    dimensions: list[DimensionRow]
    overall: Overall
    by_cycle: dict[str, CycleDescriptives]
    n_by_group: dict[str, int]
    sample: SampleSection
    groups: GroupsSection


# --------------------------------------------------------------------------- pdca
class CycleComparisonRow(Strict):
    scale: str
    cycle_before: str
    cycle_after: str
    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None
    difference: float | None
    ci_before_low: float | None
    ci_before_high: float | None
    ci_after_low: float | None
    ci_after_high: float | None
    welch_t: float | None
    welch_df: float | None
    welch_p: float | None
    welch_ci_low: float | None
    welch_ci_high: float | None
    hedges_g: float | None
    mann_whitney_w: float | None
    mann_whitney_p: float | None
    rank_biserial: float | None
    n_paired: int
    paired_constant: bool
    paired_mean_difference: float | None
    paired_t: float | None
    paired_df: float | None
    paired_p: float | None
    paired_ci_low: float | None
    paired_ci_high: float | None
    cohens_dz: float | None
    wilcoxon_v: float | None
    wilcoxon_p: float | None
    rank_biserial_paired: float | None
    # why a test was not run or was replaced, codes joined by ";" (analysis.stats.pdca)
    note_codes: Annotated[
        str,
        StringConstraints(
            pattern=r"^((too_few_before|too_few_after|paired_constant|no_common_respondents|"
            r"few_common_respondents)(;|$))*$"
        ),
    ]
    test: Literal["paired t-test", "Welch t-test", "Wilcoxon signed-rank test"]
    p: float | None
    p_holm: float | None
    verdict: Literal["improved", "declined", "no clear change"]


class IndicatorRow(Strict):
    indicator: str
    name_th: str
    name_en: str
    unit: str
    unit_en: str
    direction: Literal["higher", "lower"]
    cycle: str
    target: float | None
    actual: float | None
    attainment_pct: float | None
    met: bool | None
    trend: Literal["improving", "declining", "stable", "one cycle only"]
    source: str
    evidence: str
    note_code: Literal["", "no_target", "no_actual"]
    trend_from: str | None  # the cycle the trend starts from (None with one cycle only)
    # with three or more cycles with a value: the latest against the one before it (left out of
    # the file otherwise, so a two-cycle study's rows are as they were)
    trend_previous: Literal["improving", "declining", "stable"] | None = Field(
        default=None, exclude_if=lambda v: v is None
    )
    trend_previous_from: str | None = Field(default=None, exclude_if=lambda v: v is None)


class QualityLevelRow(Strict):
    indicator: str
    name_th: str
    name_en: str
    description_en: str
    level: int
    evidenced: int
    considerations: int
    all_done: bool
    description_th: str
    not_done: int
    note_code: Literal["", "not_all_done"]
    maximum: int  # the highest level of the bands (the full score)


class MilestoneRow(Strict):
    indicator: str
    name_th: str
    name_en: str
    score: float
    milestones_met: int
    bonus: float
    note_code: Literal["", "first_milestone_not_met"]
    maximum: int  # the full score (awards may add a bonus above it)


class RubricsSection(Strict):
    esa: list[QualityLevelRow]
    milestones: list[MilestoneRow]


class ActRow(Strict):
    """One Act priority: ``reason`` says why, ``value`` is the number that put it on the list;
    the other numbers belong to some reasons only."""

    priority: int
    kind: Literal["dimension", "indicator", "item"]
    code: str
    name_th: str
    reason: Literal[
        "declined",
        "declined_since_first",
        "indicator_not_met",
        "lowest_dimension",
        "lowest_item",
        "weak_item",
    ]
    value: float | None
    p_holm: float | None = None
    test: Literal["paired t-test", "Welch t-test", "Wilcoxon signed-rank test"] | None = None
    actual: float | None = None
    target: float | None = None
    unit: str | None = None
    unit_en: str | None = None
    name_en: str | None = None
    rank: int | None = None
    tied: int | None = None
    threshold: float | None = None
    dimension: str = ""  # the dimension the priority is about ("" for the whole instrument)
    direction: Literal["higher", "lower"] | None = None  # indicators: which way is better
    shortfall: float | None = None  # indicators: how far from the target, in its unit
    # declined_since_first: the cycle the decline is measured from (absent for other reasons)
    since: str | None = Field(default=None, exclude_if=lambda v: v is None)


class CycleMeanRow(Strict):
    """A scale's mean in one cycle with its t-based 95% CI (analysis.stats.cycles.cycle_means)."""

    scale: str
    cycle: str
    n: int
    mean: float
    sd: float | None
    ci_low: float | None
    ci_high: float | None


class CyclesAcrossRow(Strict):
    """One test across all cycles of a scale: Welch's ANOVA with eta squared, Kruskal–Wallis
    with rank epsilon squared (analysis.stats.cycles.across_cycles)."""

    scale: str
    cycles: list[str]
    n: list[int]
    welch_f: float | None
    welch_df1: float | None
    welch_df2: float | None
    welch_p: float | None
    eta_squared: float | None
    kruskal_h: float | None
    kruskal_df: float | None
    kruskal_p: float | None
    rank_epsilon_squared: float | None
    left_out: list[str]  # cycles with fewer than two scores
    code: Literal["ok", "fewer_than_two_cycles", "no_variation"]


class CyclesMixedRow(Strict):
    """One fixed-effect term of the mixed model of a scale (``intercept``: the first cycle's
    mean; ``change``: a later cycle against the first), or one row with the code of a model
    that was not fitted (analysis.stats.cycles.mixed_model)."""

    scale: str
    code: Literal["ok", "fewer_than_two_cycles", "too_few_repeated", "singular_fit", "not_converged"]
    n_obs: int
    n_respondents: int
    n_repeated: int  # respondents who answered in two or more cycles
    cycle: str | None
    term: Literal["intercept", "change"] | None
    estimate: float | None
    se: float | None
    z: float | None
    p: float | None
    ci_low: float | None
    ci_high: float | None
    var_respondent: float | None
    var_residual: float | None
    icc: float | None
    reml_loglik: float | None


class CyclesSection(Strict):
    """Three or more cycles with data: the trend (``means``), the test across all cycles, each
    cycle against the one before (Holm within the dimensions' family and within the overall
    score's, over all adjacent pairs), the mixed model, and the latest cycle against the first
    (``since_first``, Holm across the dimensions as the latest two)."""

    order: list[str]  # the cycles with data, in the study's order
    min_repeated: int  # respondents in several cycles the mixed model needs
    holm_families: Literal["dimensions of all adjacent pairs; overall of all adjacent pairs"]
    means: list[CycleMeanRow]
    across: list[CyclesAcrossRow]
    adjacent: list[CycleComparisonRow]
    mixed: list[CyclesMixedRow]
    since_first: list[CycleComparisonRow]


class PdcaResults(StageFile):
    """``results/pdca.json``: the change between the last two cycles with data, with three or
    more cycles the trend over all of them (``cycles``; null otherwise), indicator attainment,
    rubric scores and the Act priorities."""

    stage: Literal["pdca"] = "pdca"
    comparisons: list[CycleComparisonRow]
    note_code: Literal["", "fewer_than_two_cycles"]  # why the change was not tested
    cycles_with_data: list[str]
    before: str | None = None
    after: str | None = None
    holm_family: Literal["dimensions (overall excluded)"] | None = None
    cycles: CyclesSection | None = None
    indicators: list[IndicatorRow] | None
    rubrics: RubricsSection | None
    act: list[ActRow]


STAGE_MODELS: dict[str, type[StageFile]] = {
    "clean": CleanResults,
    "reliability": ReliabilityResults,
    "descriptives": DescriptivesResults,
    "pdca": PdcaResults,
}


class RunResults(Strict):
    """A whole run: the four stage files, all made from the same processed data."""

    clean: CleanResults
    reliability: ReliabilityResults
    descriptives: DescriptivesResults
    pdca: PdcaResults

    def sections(self) -> dict[str, Any]:
        """The nested dict of :func:`analysis.results.store.load_results`: ``meta``,
        ``cleaning``, ``suggestions``, ``reliability``, ``descriptives``, ``pdca``."""
        out: dict[str, Any] = {}
        for stage in STAGES:
            out |= getattr(self, stage).sections()
        return out


def results_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a run's results, generated from the models: one property
    per stage file (``results/<stage>.json``), each described by its model under ``$defs``."""
    schema = RunResults.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "PHANAT run results"
    schema["description"] = (
        "The results of one phanat run: each property is one file of the run folder, "
        "results/<property>.json (clean, reliability, descriptives, pdca). Every file records "
        "processed_sha256, the SHA-256 of the processed data it was computed from; the files of "
        "one run record the same value. Numbers are null where a statistic is not defined."
    )
    return schema


def results_schema_text() -> str:
    """:func:`results_schema` as the text of ``docs/results.schema.json``."""
    return json.dumps(results_schema(), ensure_ascii=False, indent=2) + "\n"
