"""The four stages of a run, as the notebooks call them.

Each stage reads its inputs from the run folder (``out_dir``), computes with the modules of
this package, and writes its own outputs: tables (CSV) and its own results file
``results/<stage>.json`` (numbers and codes, validated by its model in analysis.results.models,
with the SHA-256 of the processed data it used). Stage 1 runs first; stages 2 and 3 read its
processed data; stage 4 also reads what stages 2 and 3 wrote. Figures and publication tables
are drawn from the results by the report layer when the write-up is rendered
(:mod:`analysis.report.figures`). The notebooks hold only parameters and calls to these
functions.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.config.codebook import Codebook
from analysis.config.configuration import Configuration, load_configuration
from analysis.config.criteria import Criterion
from analysis.config.study import StudyConfig
from analysis.data.reading import is_synthetic, read_export
from analysis.errors import PhanatError
from analysis.results.models import DescriptivesResults, ReliabilityResults
from analysis.results.store import read_stage, write_csv, write_stage, write_table, write_text_atomic
from analysis.run.progress import Counter, step

# Each notebook runs in a fresh kernel, where importing scipy.stats, statsmodels and
# matplotlib takes most of a stage's time: every stage imports only the modules it uses.

# The packages whose code computes a run's results (their versions go into results/clean.json).
SOFTWARE = ("numpy", "pandas", "scipy", "pandera", "pythainlp", "matplotlib", "papermill")


# What each notebook's stage imports when it runs (besides the notebook's own imports): a
# kernel started ahead of its notebook imports them while the notebook before it still runs
# (analysis.run.runner.WarmKernels).
STAGE_MODULES = {
    "01_clean": ("analysis.data.cleaning", "analysis.thai_words", "pandera.pandas", "pythainlp.tokenize"),
    "02_reliability": (
        "analysis.stats.reliability",
        "analysis.stats.validity",
        "analysis.stats.stability",
        "analysis.stats.invariance",
        "scipy.optimize",
    ),
    "03_descriptives": (
        "analysis.stats.descriptives",
        "analysis.stats.sampling",
        "analysis.stats.groups",
        "scipy.stats",
    ),
    "04_pdca": (
        "analysis.stats.descriptives",
        "analysis.stats.pdca",
        "analysis.stats.cycles",
        "analysis.stats.indicators",
        "analysis.stats.rubrics",
        "scipy.stats",
    ),
}


def preload(notebook: str) -> None:
    """Import the modules the stage of ``notebook`` (its file name without .ipynb) will use;
    a name not listed imports nothing."""
    import importlib

    for module in STAGE_MODULES.get(notebook, ()):
        importlib.import_module(module)


@dataclass(frozen=True)
class RunContext:
    """Everything a stage needs: the study's configuration and where the run lives."""

    data_path: Path
    config: Configuration
    out_dir: Path
    synthetic: bool

    @property
    def codebook(self) -> Codebook:
        return self.config.codebook

    @property
    def study(self) -> StudyConfig:
        return self.config.study

    @property
    def criterion(self) -> Criterion:
        return self.config.criterion


def load_context(
    data_path: str | Path, codebook_path: str | Path, study_path: str | Path, out_dir: str | Path
) -> RunContext:
    """Load the configuration (every file checked, see analysis.config.configuration) and
    decide whether the data are the synthetic example."""
    data_path = Path(data_path)
    return RunContext(
        data_path=data_path,
        config=load_configuration(codebook_path, study_path),
        out_dir=Path(out_dir),
        synthetic=data_path.exists() and is_synthetic(data_path),
    )


# ``phanat run`` hands the notebooks the export's path in this variable, not as a papermill
# parameter: parameters are written into the executed notebooks, and an export's file name
# may carry a respondent's or an officer's name and phone number.
DATA_ENV = "PHANAT_DATA_PATH"


def data_label(ctx: RunContext) -> str:
    """How a notebook names its data: a neutral label and the SHA-256, never the file name."""
    from analysis.data.reading import read_export_folder, sha256_file

    if ctx.data_path.is_dir():
        return f"exports (SHA-256 {read_export_folder(ctx.data_path).sha256[:16]}…)"
    return f"export 1 (SHA-256 {sha256_file(ctx.data_path)[:16]}…)"


def context_from_parameters(
    data_path: str = "", codebook_path: str = "", study_path: str = "", out_dir: str = ""
) -> RunContext:
    """:func:`load_context` for a notebook's parameters: an empty data path means the one in
    the environment variable :data:`DATA_ENV` (set by ``phanat run``); otherwise an empty
    string means the bundled example study (``data/raw/example``) and its run folder
    ``data/processed/example``."""
    return load_context(
        data_path or os.environ.get(DATA_ENV) or paths.EXAMPLE_DATA,
        codebook_path or paths.EXAMPLE_CODEBOOK,
        study_path or paths.EXAMPLE_STUDY,
        out_dir or paths.EXAMPLE_OUT,
    )


def data_notice(ctx: RunContext) -> str:
    """The line every output of the synthetic example carries; empty for real data."""
    if not ctx.synthetic:
        return ""
    return (
        "ข้อมูลสังเคราะห์เพื่อการสาธิต ไม่ใช่ข้อมูลจริง — Synthetic demonstration data, "
        "not real responses (made by analysis.data.synthetic)"
    )


def software_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    versions.update({name: metadata.version(name) for name in SOFTWARE})
    return versions


# --------------------------------------------------------------------------- stage 1
def stage_clean(ctx: RunContext):
    """Read and clean the export; write processed data, the cleaning log and
    ``results/clean.json`` (the run's meta, the cleaning summary and the summary of the
    free-text suggestions of the rows kept). Returns the
    :class:`~analysis.data.cleaning.CleaningResult`."""
    from analysis.data.cleaning import clean_export

    with step(f"reading the export ({_size(ctx.data_path)})"):
        raw = read_export(ctx.data_path, ctx.study.sheet)
    with step(f"cleaning {len(raw.frame):,} rows") as say:
        result = clean_export(raw, ctx.codebook, ctx.study, ctx.config.themes, progress=say)
    processed = ctx.out_dir / paths.PROCESSED_CSV
    with step(f"writing {len(result.data):,} cleaned rows and {len(result.log):,} log entries"):
        write_csv(result.data, processed, bom=False, safe=False)  # codes and numbers only
        log = ctx.out_dir / paths.CLEANING_LOG
        write_csv(result.log, log)
    config_dir = ctx.out_dir / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    study = ctx.study
    configs = (
        study.criteria_file,
        study.writeup_file,
        study.writeup_file_en,
        study.validity.ioc_file,
        study.pdca.indicators_file,
        study.pdca.rubrics_file,
        study.suggestions.themes_file,
    )
    for src in (ctx.codebook.path, *configs):
        if src is not None and Path(src).is_file():
            shutil.copyfile(src, config_dir / Path(src).name)
    write_text_atomic(config_dir / study.path.name, study_without_key(study.path))
    meta = {
        "synthetic": ctx.synthetic,
        "title_th": study.title_th,
        "title_en": study.title_en,
        "agency_th": study.agency_th,
        "agency_en": study.agency_en,
        "model_name": study.model_name,
        "rating_subject_th": study.rating_subject_th,
        "rating_subject_en": study.rating_subject_en,
        "instrument_th": ctx.codebook.instrument_th,
        "data_file": result.summary["file"],  # a neutral label: file names are untrusted text
        "data_sha256": result.summary["sha256"],
        "codebook_file": ctx.codebook.path.name,
        "study_file": study.path.name,
        "criteria_file": study.criteria_file.name,
        "writeup_file": study.writeup_file.name if study.writeup_file else None,
        "writeup_file_en": study.writeup_file_en.name if study.writeup_file_en else None,
        "indicators_file": study.pdca.indicators_file.name if study.pdca.indicators_file else None,
        "criterion": {
            "key": ctx.criterion.key,
            "name_th": ctx.criterion.name_th,
            "name_en": ctx.criterion.name_en,
            "reference": ctx.criterion.reference,
            "bands": [
                {"min": b.low, "max": b.high, "level": b.level, "th": b.th, "en": b.en}
                for b in ctx.criterion.bands
            ],
        },
        "cycles": [
            {
                "code": c.code,
                "name_th": c.name_th,
                "name_en": c.name_en,
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
            }
            for c in study.cycles
        ],
        "report_cycle": study.report_cycle,
        "groups": [
            {"code": g.code, "label_th": g.label_th, "label_en": g.label_en, "population": g.population}
            for g in study.groups
        ],
        "scale": {
            "min": ctx.codebook.scale_min,
            "max": ctx.codebook.scale_max,
            "points": [{"value": p.value, "th": p.th, "en": p.en} for p in ctx.codebook.points],
        },
        "last_submission": str(result.data["submitted_at"].max()) if len(result.data) else None,
        "software": software_versions(),
    }
    payload = {
        "processed_sha256": processed_sha256(ctx),
        "meta": meta,
        "cleaning": result.summary,
        "suggestions": result.suggestions,  # counts, words, themes; redacted examples only if allowed
    }
    write_stage(ctx.out_dir, "clean", payload)
    return result


KEY_LINE = re.compile(r"^(\s+key\s*:).*$", re.MULTILINE)
REMOVED_KEY = ' "(removed: the pseudonymisation key is never copied into outputs)"'


def study_without_key(path: Path) -> str:
    """The study config as copied into the run folder, with ``pseudonym.key`` removed (a
    block-style ``key:`` line keeps its place and comments; any other layout is rewritten
    from the parsed YAML without the key)."""
    from analysis.config.files import read_yaml

    text = path.read_text(encoding="utf-8")
    key = (read_yaml(path).get("pseudonym") or {}).get("key")
    if not key:
        return text
    import yaml

    raw = read_yaml(path)
    raw["pseudonym"] = {k: v for k, v in raw["pseudonym"].items() if k != "key"}
    masked = KEY_LINE.sub(lambda m: m.group(1) + REMOVED_KEY, text)
    reread = yaml.safe_load(masked)
    reread["pseudonym"].pop("key", None)
    if str(key) not in masked and reread == raw:
        return masked
    return "# pseudonym.key removed: the key is never copied into outputs\n" + yaml.safe_dump(
        raw, allow_unicode=True, sort_keys=False
    )


def _size(path: Path) -> str:
    size = (
        sum(p.stat().st_size for p in path.iterdir() if p.is_file()) if path.is_dir() else path.stat().st_size
    )
    return f"{size / 1e6:.1f} MB"


def load_processed(ctx: RunContext) -> pd.DataFrame:
    """The processed table written by :func:`stage_clean` (items as nullable integers)."""
    path = ctx.out_dir / paths.PROCESSED_CSV
    if not path.is_file():
        raise PhanatError("processed data not found: run notebook 01_clean first", file=path)
    dtypes = {code: "Int64" for code in ctx.codebook.item_codes}
    dtypes.update(respondent_id=str, cycle=str, group=str)
    return pd.read_csv(
        path,
        dtype=dtypes,
        encoding="utf-8",
        keep_default_na=False,
        na_values={c: [""] for c in [*ctx.codebook.item_codes, "group"]},
    )


def processed_sha256(ctx: RunContext) -> str:
    """SHA-256 of the processed data file of the run (what every stage file records)."""
    from analysis.data.reading import sha256_file

    return sha256_file(ctx.out_dir / paths.PROCESSED_CSV)


def report_cycle_data(ctx: RunContext, data: pd.DataFrame) -> pd.DataFrame:
    """Rows of the cycle the write-up reports (``report_cycle`` in the study config)."""
    rows = data[data["cycle"] == ctx.study.report_cycle]
    if rows.empty:
        raise PhanatError(f"no responses in the report cycle '{ctx.study.report_cycle}'", file=ctx.data_path)
    return rows


# --------------------------------------------------------------------------- stage 2
def stage_reliability(ctx: RunContext, data: pd.DataFrame) -> dict:
    """Reliability per dimension and overall (alpha with Feldt and bootstrap intervals,
    standardized alpha, lambda-6, average r, omega), item analysis, IOC (when the study has
    an expert-rating file) and the CFA of the dimensions, for the report cycle; and whether the
    instrument holds steady across all cycles with data (:func:`stage_stability`)."""
    from analysis.stats.reliability import DEFAULT_SEED, item_analysis, reliability_by_dimension

    study = ctx.study
    rows = report_cycle_data(ctx, data)
    seed = study.seeds.get("bootstrap", DEFAULT_SEED)
    policy = study.missing_policy
    with Counter(None, "bootstrap of alpha", "resample") as counter:
        scales = reliability_by_dimension(
            rows, ctx.codebook, policy, n_boot=study.reliability.n_boot, seed=seed, progress=counter.update
        )
    levels = ctx.config.reliability_levels
    if levels is not None:
        scales["interpretation_th"] = [levels.label(a, "th") for a in scales["alpha"]]
        scales["interpretation_en"] = [levels.label(a, "en") for a in scales["alpha"]]
    else:
        scales["interpretation_th"] = scales["interpretation_en"] = ""
    items = item_analysis(rows, ctx.codebook, study.missing_policy)
    write_table(scales.drop(columns=["warning_codes"]), ctx.out_dir, "reliability")
    write_table(items, ctx.out_dir, "item_analysis")
    codes = [list(c) for cs in scales["warning_codes"] for c in cs]
    payload: dict = {
        "processed_sha256": processed_sha256(ctx),
        "cycle": study.report_cycle,
        "missing_policy": study.missing_policy,
        "n_boot": study.reliability.n_boot,
        "bootstrap_seed": seed,
        "levels_reference": levels.reference if levels else "",
        "scales": scales,
        "items": items,
        "warning_codes": [c for i, c in enumerate(codes) if c not in codes[:i]],
        "ioc": stage_ioc(ctx),
        "cfa": stage_cfa(ctx, rows),
        "stability": stage_stability(ctx, data),
    }
    write_stage(ctx.out_dir, "reliability", payload)
    return payload


def stage_ioc(ctx: RunContext) -> dict | None:
    """IOC of each item from the study's expert-rating file, or None when there is none."""
    if ctx.config.expert_ratings is None:
        return None
    from analysis.stats.validity import IOC_CUTOFF, index_of_congruence

    table = index_of_congruence(ctx.config.expert_ratings)
    write_table(table, ctx.out_dir, "ioc")
    return {
        "file": ctx.study.validity.ioc_file.name,
        "cutoff": IOC_CUTOFF,
        "n_experts": int(table["n_experts"].iloc[0]) if len(table) else 0,
        "min": float(table["ioc"].min()) if len(table) else None,
        "max": float(table["ioc"].max()) if len(table) else None,
        "flagged": table.loc[~table["acceptable"], "item"].tolist(),
        "not_rated": [c for c in ctx.codebook.item_codes if c not in set(table["item"])],
        "items": table,
    }


def stage_cfa(ctx: RunContext, rows: pd.DataFrame) -> dict | None:
    """Confirmatory factor analysis of the dimensions: fit indices, loadings, or the reason
    code (and values) of a model that could not be fitted."""
    if not ctx.study.validity.cfa:
        return None
    from analysis.stats.validity import fit_cfa

    with step(f"CFA of {len(ctx.codebook.dimensions)} dimensions"):
        result = fit_cfa(rows, ctx.codebook)
    if result.loadings:
        write_table(pd.DataFrame(result.loadings), ctx.out_dir, "cfa_loadings")
    return result.as_dict()


def stage_stability(ctx: RunContext, data: pd.DataFrame) -> dict:
    """Does the instrument hold steady across the cycles? Over every row of every cycle with
    data (the processed items, reverse-keyed items already rescored, as the alpha and the CFA
    get them): alpha per cycle with the test of equal alphas (Feldt for two cycles, Hakstian &
    Whalen for more) and the measurement invariance of the CFA across cycles
    (:func:`analysis.stats.stability.instrument_stability`). One cycle with data: code
    ``fewer_than_two_cycles`` and nothing computed; ``validity.cfa: false``: no invariance."""
    from analysis.stats.stability import instrument_stability
    from analysis.stats.validity import round_sig

    order = [c.code for c in ctx.study.cycles]
    present = [c for c in order if (data["cycle"] == c).any()]
    policy = ctx.study.missing_policy
    payload: dict = {"code": "ok", "cycles": present, "missing_policy": policy, "invariance": None}
    if len(present) < 2:
        return payload | {"code": "fewer_than_two_cycles", "alpha": [], "alpha_tests": []}
    fit = ctx.study.validity.cfa
    with step(f"alpha and invariance across {len(present)} cycles" if fit else "alpha per cycle"):
        result = instrument_stability(data, ctx.codebook, data["cycle"], order, policy, invariance=fit)
    alpha, tests, invariance = result["alpha"], result["alpha_tests"], result["invariance"]
    if invariance is not None:
        estimates = ("loadings", "factor_means", "factor_cov", "residual_var")
        steps = [  # the fit (estimates stay in the stats), to 10 significant digits like the CFA
            {k: round_sig(v) if isinstance(v, float) else v for k, v in s.items() if k not in estimates}
            for s in invariance["steps"]
        ]
        payload["invariance"] = invariance | {"steps": steps}
        if steps:
            write_table(pd.DataFrame(steps), ctx.out_dir, "invariance")
    write_table(alpha, ctx.out_dir, "alpha_by_cycle")
    write_table(tests.assign(cycles=tests["cycles"].str.join(" ")), ctx.out_dir, "alpha_equality")
    return payload | {"alpha": alpha, "alpha_tests": tests}


# --------------------------------------------------------------------------- stage 3
def describe_cycle(ctx: RunContext, rows: pd.DataFrame) -> dict:
    """Items, dimensions and overall of one cycle, as tables and a dict for its results file."""
    from analysis.stats.descriptives import (
        describe_dimensions,
        describe_items,
        describe_overall,
        respondent_scores,
    )

    scores = respondent_scores(rows, ctx.codebook)
    items = describe_items(rows, ctx.codebook, ctx.criterion)
    dims = describe_dimensions(scores, ctx.codebook, ctx.criterion, rows)
    overall = describe_overall(rows, scores, ctx.codebook, ctx.criterion)
    return {"items": items, "dimensions": dims, "overall": overall}


def stage_descriptives(ctx: RunContext, data: pd.DataFrame) -> dict:
    """Descriptives of the report cycle (and each cycle), group comparisons and sample
    adequacy (numbers and codes; the report words them, draws the figures and makes the
    publication tables)."""
    from analysis.stats.descriptives import respondent_scores

    study = ctx.study
    rows = report_cycle_data(ctx, data)
    main = describe_cycle(ctx, rows)
    write_table(main["items"], ctx.out_dir, "descriptives_items")
    write_table(main["dimensions"], ctx.out_dir, "descriptives_dimensions")
    cycle = study.cycle(study.report_cycle)
    by_cycle = {}
    for c in study.cycles:
        part = data[data["cycle"] == c.code]
        if len(part):
            d = describe_cycle(ctx, part)
            by_cycle[c.code] = {"dimensions": d["dimensions"], "overall": d["overall"]}
    payload = {
        "processed_sha256": processed_sha256(ctx),
        "cycle": cycle.code,
        "cycle_name_th": cycle.name_th,
        "cycle_name_en": cycle.name_en,
        "criterion": ctx.criterion.key,
        "criterion_name_th": ctx.criterion.name_th,
        "criterion_name_en": ctx.criterion.name_en,
        "sd_overall_shown": "sd_respondents",
        "text_options": {"thai_digits": study.text.thai_digits, "year_era": study.text.year_era},
        "items": main["items"],
        "dimensions": main["dimensions"],
        "overall": main["overall"],
        "by_cycle": by_cycle,
        "n_by_group": {g.code: int((rows["group"] == g.code).sum()) for g in study.groups},
    }
    payload["sample"] = sample_section(ctx, payload["n_by_group"], len(rows))
    payload["groups"] = group_section(ctx, respondent_scores(rows, ctx.codebook), rows["group"])
    write_stage(ctx.out_dir, "descriptives", payload)
    return payload


def sample_section(ctx: RunContext, n_by_group: dict[str, int], n_total: int) -> dict:
    """Sample adequacy overall and per group (Krejcie & Morgan, Yamane)."""
    from analysis.stats.sampling import sample_adequacy

    table = sample_adequacy(ctx.study, n_by_group, n_total)
    write_table(table, ctx.out_dir, "sample_adequacy")
    return {"table": table}


def group_section(ctx: RunContext, scores: pd.DataFrame, groups: pd.Series) -> dict:
    """Dimensions and overall compared across respondent groups (see analysis.stats.groups)."""
    from analysis.stats.groups import compare_groups_table

    order = [g.code for g in ctx.study.groups]
    present = [code for code in order if (groups == code).sum() >= 2]
    if len(present) < 2:  # one group or none: nothing to compare, no table
        return {"column": ctx.study.columns.group, "labels_th": {}, "labels_en": {}, "comparisons": []}
    comparisons = [c.as_dict() for c in compare_groups_table(scores, groups, order)]
    flat = pd.DataFrame([{k: v for k, v in c.items() if k != "posthoc"} for c in comparisons])
    write_table(flat, ctx.out_dir, "group_comparisons")
    posthoc = [dict(p, scale=c["scale"]) for c in comparisons for p in c["posthoc"]]
    if posthoc:
        write_table(pd.DataFrame(posthoc), ctx.out_dir, "group_posthoc_games_howell")
    return {
        "column": ctx.study.columns.group,
        "labels_th": {g.code: g.label_th for g in ctx.study.groups},
        "labels_en": {g.code: g.label_en for g in ctx.study.groups},
        "comparisons": comparisons,
    }


def stage_pdca(ctx: RunContext, data: pd.DataFrame) -> dict:
    """Check and Act: survey change between the last two cycles with data, with three or more
    cycles the trend over all of them (:func:`cycles_section`), indicator attainment, rubric
    scores and the Act priorities. The cycles' means, the report cycle's descriptives and the
    item analysis are read from what stages 2 and 3 wrote (:func:`earlier_results`), not
    computed again."""
    from analysis.stats.descriptives import respondent_scores
    from analysis.stats.pdca import compare_cycles

    study = ctx.study
    sha256 = processed_sha256(ctx)
    reliability, descriptives = earlier_results(ctx, sha256)
    scores = respondent_scores(data, ctx.codebook)  # per respondent: results hold no such rows
    present = [c for c in study.cycles if (data["cycle"] == c.code).any()]
    payload: dict = {
        "processed_sha256": sha256,
        "comparisons": [],
        "note_code": "",
        "cycles_with_data": [c.code for c in present],
    }
    table = since_first = None
    if len(present) < 2:
        payload["note_code"] = "fewer_than_two_cycles"  # the change between cycles cannot be tested
    else:
        before, after = present[-2], present[-1]
        columns = [d.code for d in ctx.codebook.dimensions] + ["overall"]
        table = compare_cycles(scores, data["respondent_id"], data["cycle"], before.code, after.code, columns)
        write_table(table, ctx.out_dir, "pdca_comparison")
        payload |= {
            "before": before.code,
            "after": after.code,
            "comparisons": table,
            "holm_family": "dimensions (overall excluded)",
        }
    payload["cycles"] = None
    if len(present) >= 3:
        columns = [d.code for d in ctx.codebook.dimensions] + ["overall"]
        payload["cycles"] = cycles_section(ctx, scores[columns], data, [c.code for c in present])
        since_first = payload["cycles"]["since_first"]
    cycle_means = {  # each cycle's mean dimension and overall scores, from stage 3
        code: {d.dimension: d.mean for d in part.dimensions} | {"overall": part.overall.mean}
        for code, part in descriptives.by_cycle.items()
    }
    attainment = indicator_section(ctx, [c.code for c in study.cycles], cycle_means)
    payload["indicators"] = attainment
    payload["rubrics"] = rubric_section(ctx)
    payload["act"] = act_section(ctx, reliability, descriptives, table, attainment, since_first)
    write_stage(ctx.out_dir, "pdca", payload)
    return payload


def cycles_section(ctx: RunContext, scores: pd.DataFrame, data: pd.DataFrame, order: list[str]) -> dict:
    """Three or more cycles with data (``order``): each cycle's mean with its 95% CI, the test
    across all cycles, each cycle against the one before (Holm within the dimensions' and the
    overall family), the mixed model of respondents who answered in several cycles
    (:func:`analysis.stats.cycles.cycles_payload`), and the latest cycle against the first
    (:func:`analysis.stats.pdca.compare_cycles`, Holm across the dimensions as for the latest
    two), which the Act list also reads."""
    from analysis.stats.cycles import MIN_REPEATED, cycles_payload
    from analysis.stats.pdca import compare_cycles

    ids, cycles = data["respondent_id"], data["cycle"]
    with step(f"trend over {len(order)} cycles (mixed model of {len(scores.columns)} scores)"):
        tables = cycles_payload(scores, ids, cycles, order, min_repeated=MIN_REPEATED)
    since_first = compare_cycles(scores, ids, cycles, order[0], order[-1], list(scores.columns))
    names = {"means": "cycle_means", "across": "cycles_across", "adjacent": "cycles_adjacent",
             "mixed": "cycles_mixed"}  # fmt: skip
    for key, name in names.items():
        write_table(tables[key], ctx.out_dir, name)
    write_table(since_first, ctx.out_dir, "cycles_since_first")
    return {
        "order": order,
        "min_repeated": MIN_REPEATED,
        "holm_families": "dimensions of all adjacent pairs; overall of all adjacent pairs",
        **tables,
        "since_first": since_first,
    }


def earlier_results(ctx: RunContext, sha256: str) -> tuple[ReliabilityResults, DescriptivesResults]:
    """The results stages 2 and 3 wrote, checked to come from the processed data ``sha256``
    (stage 4 runs after them; a stale file is refused with one line)."""
    reliability = read_stage(ctx.out_dir, "reliability")
    descriptives = read_stage(ctx.out_dir, "descriptives")
    assert isinstance(reliability, ReliabilityResults) and isinstance(descriptives, DescriptivesResults)
    earlier = (reliability, descriptives)
    stale = [f"{paths.RESULTS_DIR}/{r.stage}.json" for r in earlier if r.processed_sha256 != sha256]
    if stale:
        raise PhanatError(
            f"{', '.join(stale)} were made from other processed data than the current one: "
            "run notebooks 02 and 03 again before 04 (or phanat run)",
            file=ctx.out_dir,
        )
    return reliability, descriptives


def indicator_section(ctx: RunContext, cycles: list[str], cycle_means: dict) -> pd.DataFrame | None:
    """Attainment per indicator and cycle from the study's register (None without one)."""
    if ctx.config.indicators is None:
        return None
    from analysis.stats.indicators import attainment_table

    table = attainment_table(ctx.config.indicators, cycles, cycle_means)
    write_table(table, ctx.out_dir, "indicator_attainment")
    return table


def rubric_section(ctx: RunContext) -> dict | None:
    """Scores of the study's rubric checklists (None without a rubrics file)."""
    if ctx.config.rubrics is None:
        return None
    from analysis.stats.rubrics import score_rubrics

    scored = score_rubrics(ctx.config.rubrics)
    for name, rows in scored.items():
        if rows:
            write_table(pd.DataFrame(rows), ctx.out_dir, f"rubric_{name}")
    return scored


def act_section(
    ctx: RunContext,
    reliability: ReliabilityResults,
    descriptives: DescriptivesResults,
    comparison: pd.DataFrame | None,
    attainment: pd.DataFrame | None,
    since_first: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The Act list for the next cycle (see analysis.stats.pdca.act_priorities), from the report
    cycle's descriptives (stage 3) and item analysis (stage 2) as those stages wrote them, the
    latest two cycles' comparison and, with three or more cycles, the latest against the first."""
    from analysis.stats.pdca import act_priorities

    def frame(rows: list) -> pd.DataFrame:
        return pd.DataFrame([r.model_dump() for r in rows])

    table = act_priorities(
        frame(descriptives.dimensions),
        frame(descriptives.items),
        comparison,
        attainment,
        frame(reliability.items),
        latest_cycle=ctx.study.report_cycle,
        n_lowest=ctx.study.pdca.act_lowest,
        weak_r=ctx.study.pdca.weak_item_rest_r,
        since_first=since_first,
    )
    write_table(table, ctx.out_dir, "act_priorities")
    return table
