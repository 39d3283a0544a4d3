"""Seeded synthetic survey exports for demonstration and tests.

The generator draws answers from a graded response model (Samejima, 1969), not from
independent random numbers, so items of a dimension correlate as real questionnaires do:

* each respondent has a general latent trait :math:`\\theta_r \\sim N(0, 1)` that is kept
  across PDCA cycles (the same person answering again), plus a group shift :math:`\\gamma_g`;
* the latent score on dimension *d* in cycle *c* is
  :math:`\\eta_{rdc} = \\sqrt{s}\\,\\theta_r + \\sqrt{1-s}\\,\\varepsilon_{rdc} + \\gamma_g + \\delta_{dc}`
  where *s* is the general share and :math:`\\varepsilon \\sim N(0,1)`;
* an item *j* with slope :math:`a_j` and thresholds :math:`b_{jk} = b_k + o_j` is answered
  :math:`\\ge k` with probability :math:`P(Y_j \\ge k) = 1 / (1 + e^{-a_j(\\eta - b_{jk})})`;
  one uniform draw per answer gives the category by inverse CDF.

The location :math:`\\delta_{dc}` of every dimension and cycle is calibrated by root finding so
that the *expected* dimension mean (after reverse keying) equals the target in the generator's
config; the drawn sample then differs from the target only by sampling error.

The export imitates a Google Forms download: Thai headers in the grid style
``<question> [<row>]``, Thai answer labels, a ``ประทับเวลา`` timestamp with Buddhist Era year,
an e-mail column and an open-answer column. Next to it a sidecar file
``<export>.synthetic.json`` records the generator, the seed and the export's SHA-256; the
pipeline treats a data file as synthetic only when that sidecar matches its bytes.

Reference: Samejima, F. (1969). Estimation of latent ability using a response pattern of
graded scores. *Psychometrika Monograph Supplement*, 34(4, Pt. 2), 100.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import brentq

from analysis.config.codebook import Codebook, load_codebook
from analysis.config.files import read_yaml
from analysis.config.study import StudyConfig, load_study
from analysis.config.values import BE_OFFSET
from analysis.data.reading import SIDECAR_SUFFIX, sha256_file
from analysis.errors import PhanatError

CALIBRATION_DRAWS = 20_000


@dataclass(frozen=True)
class ItemParameters:
    code: str
    dimension: str
    slope: float
    thresholds: np.ndarray  # b_jk for k = min+1 .. max
    reverse: bool


def grm_category_probabilities(eta: np.ndarray, slope: float, thresholds: np.ndarray) -> np.ndarray:
    """Cumulative probabilities :math:`P(Y \\ge k)` of the graded response model.

    Returns an array of shape ``(len(eta), len(thresholds))``; column *k* holds
    :math:`1/(1+\\exp(-a(\\eta-b_k)))` (Samejima, 1969).
    """
    return 1.0 / (1.0 + np.exp(-slope * (eta[:, None] - thresholds[None, :])))


def expected_score(eta: np.ndarray, item: ItemParameters, scale_min: int) -> np.ndarray:
    """Expected scored answer :math:`E[Y] = \\min + \\sum_k P(Y \\ge k)` given the latent score."""
    return scale_min + grm_category_probabilities(eta, item.slope, item.thresholds).sum(axis=1)


def draw_answers(
    eta: np.ndarray, item: ItemParameters, scale_min: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw one scored answer per latent score by inverse CDF (one uniform per answer)."""
    cum = grm_category_probabilities(eta, item.slope, item.thresholds)
    u = rng.random(len(eta))
    return scale_min + (u[:, None] < cum).sum(axis=1)


def item_parameters(codebook: Codebook, model: dict, rng: np.random.Generator) -> list[ItemParameters]:
    """Item slopes and thresholds: base thresholds shifted by a seeded item offset."""
    base = np.asarray(model["thresholds"], dtype=float)
    if len(base) != codebook.scale_max - codebook.scale_min:
        raise PhanatError("model.thresholds needs one value per scale step", file="synthetic config")
    params = []
    for item in codebook.items:
        offset = rng.normal(0.0, float(model["item_offset_sd"]))
        slope = float(model["reverse_discrimination"] if item.reverse else model["discrimination"])
        params.append(ItemParameters(item.code, item.dimension, slope, base + offset, item.reverse))
    return params


def calibrate_location(
    target: float, eta0: np.ndarray, items: list[ItemParameters], scale_min: int, scale_max: int
) -> float:
    """Find :math:`\\delta` with mean over draws and items of :math:`E[Y \\mid \\eta_0+\\delta]` = target."""
    if not scale_min < target < scale_max:
        raise PhanatError(f"target mean {target} must lie strictly inside the scale")

    def gap(delta: float) -> float:
        return float(np.mean([expected_score(eta0 + delta, it, scale_min).mean() for it in items]) - target)

    return float(brentq(gap, -15.0, 15.0, xtol=1e-10))


def _format_timestamp(moment: dt.datetime) -> str:
    """Google Forms (Thai locale) style: ``d/m/YYYY H:MM:SS`` with a Buddhist Era year."""
    return f"{moment.day}/{moment.month}/{moment.year + BE_OFFSET} {moment:%H:%M:%S}"


def generate_export(
    codebook: Codebook, study: StudyConfig, settings: dict, seed: int | None = None
) -> pd.DataFrame:
    """Generate a Google-Forms-style export (one row per submission) as a DataFrame of strings."""
    rng = np.random.default_rng(settings["seed"] if seed is None else seed)
    model = settings["model"]
    share = float(model["general_share"])
    items = item_parameters(codebook, model, rng)
    label = {p.value: p.th for p in codebook.points}
    groups = {g.code: g for g in study.groups}
    shares = settings["group_shares"]
    shifts = settings["group_shift"]
    group_codes = list(shares)
    probs = np.array([shares[g] for g in group_codes], dtype=float)
    probs = probs / probs.sum()

    # Calibration sample of eta without delta: general + specific + group shift.
    cal_groups = rng.choice(len(group_codes), size=CALIBRATION_DRAWS, p=probs)
    cal_eta0 = (
        np.sqrt(share) * rng.standard_normal(CALIBRATION_DRAWS)
        + np.sqrt(1 - share) * rng.standard_normal(CALIBRATION_DRAWS)
        + np.array([shifts[group_codes[g]] for g in cal_groups])
    )
    cycles = [c.code for c in study.cycles]
    missing = [c for c in cycles if c not in settings["targets"] or c not in settings["respondents"]]
    if missing:
        raise PhanatError(
            f"cycle(s) {', '.join(missing)} of the study need respondents and targets in the config",
            file="synthetic config",
        )
    delta = {
        (d.code, c): calibrate_location(
            float(settings["targets"][c][d.code]),
            cal_eta0,
            [it for it in items if it.dimension == d.code],
            codebook.scale_min,
            codebook.scale_max,
        )
        for c in cycles
        for d in codebook.dimensions
    }

    # People: a panel answering several cycles, the rest answering once.
    counts = settings["respondents"]
    in_both = int(counts.get("in_both", 0))
    returning = counts.get("returning") or {}  # cycle -> respondents of the cycle before who answer again
    next_id = 1

    def new_person() -> dict:
        nonlocal next_id
        g = group_codes[rng.choice(len(group_codes), p=probs)]
        person = {"id": next_id, "group": g, "theta": rng.standard_normal()}
        next_id += 1
        return person

    by_cycle: dict[str, list[dict]] = {}
    previous: list[dict] = []
    for i, c in enumerate(cycles):
        n = int(counts[c])
        stay = previous[: int(returning.get(c, in_both))] if i > 0 else []
        members = stay + [new_person() for _ in range(n - len(stay))]
        rng.shuffle(members)
        by_cycle[c] = members
        previous = members
    domain = settings.get("email_domain", "example.com")
    suggestions = list(settings.get("suggestions") or [])
    themed = suggestion_themes(settings)
    suggestion_rate = float(settings.get("suggestion_rate", 1 / 6))
    no_suggestion = no_suggestion_answers(settings)
    missing_rate = float(model.get("missing_rate", 0.0))

    rows: list[dict] = []
    for c in cycles:
        cyc = study.cycle(c)
        members = by_cycle[c]
        n = len(members)
        theta = np.array([m["theta"] for m in members])
        gshift = np.array([shifts[m["group"]] for m in members])
        answers = {}
        for d in codebook.dimensions:
            eta = (
                np.sqrt(share) * theta
                + np.sqrt(1 - share) * rng.standard_normal(n)
                + gshift
                + delta[(d.code, c)]
            )
            for it in items:
                if it.dimension == d.code:
                    answers[it.code] = draw_answers(eta, it, codebook.scale_min, rng)
        # Submission moments: a day in the window, a time between 07:00 and 21:00.
        days = rng.integers(0, (cyc.end - cyc.start).days + 1, size=n)
        seconds = rng.integers(7 * 3600, 21 * 3600, size=n)
        offsets = np.sort(days * 86400 + seconds)
        for r, m in enumerate(members):
            moment = dt.datetime.combine(cyc.start, dt.time()) + dt.timedelta(seconds=int(offsets[r]))
            row = {
                "timestamp": moment,
                "email": f"member{m['id']:04d}@{domain}",
                "group": groups[m["group"]].label_th,
            }
            for it in items:
                scored = int(answers[it.code][r])
                raw = codebook.scale_min + codebook.scale_max - scored if it.reverse else scored
                row[it.code] = "" if rng.random() < missing_rate else label[raw]
            if themed:
                row["suggestion"] = themed_suggestion(themed, c, suggestion_rate, rng, no_suggestion)
            else:
                row["suggestion"] = (
                    suggestions[rng.integers(len(suggestions))]
                    if suggestions and rng.random() < 1 / 6
                    else ""
                )
            rows.append(row)

    # Data-quality events.
    for _ in range(int(settings.get("resubmissions", 0))):
        src = dict(rows[int(rng.integers(len(rows)))])
        src["timestamp"] = src["timestamp"] + dt.timedelta(hours=int(rng.integers(1, 48)))
        for it in items:
            if src[it.code]:
                src[it.code] = label[int(rng.integers(codebook.scale_min + 2, codebook.scale_max + 1))]
        rows.append(src)
    for _ in range(int(settings.get("exact_duplicates", 0))):
        rows.append(dict(rows[int(rng.integers(len(rows)))]))
    rows.sort(key=lambda r: r["timestamp"])

    header = google_forms_headers(codebook, study)
    records = []
    for row in rows:
        rec = {
            study.columns.timestamp: _format_timestamp(row["timestamp"]),
            study.columns.respondent_key: row["email"],
            study.columns.group: row["group"],
        }
        rec.update({header[it.code]: row[it.code] for it in items})
        if study.columns.free_text:
            rec[study.columns.free_text[0]] = row["suggestion"]
        records.append(rec)
    return pd.DataFrame.from_records(records).astype(str)


def suggestion_themes(settings: dict) -> dict[str, dict]:
    """The generator's optional ``suggestion_themes``: theme -> ``name_en`` and ``keywords`` (for
    the analysis' themes file), ``answers`` (open answers to sample) and optional per-cycle
    ``weight`` (relative chance of the theme in that cycle, default 1). Empty when the config
    has none, and then the plain ``suggestions`` list is used exactly as before."""
    raw = settings.get("suggestion_themes") or {}
    themes = {}
    for theme, spec in raw.items():
        if not isinstance(spec, dict) or not spec.get("answers") or not spec.get("keywords"):
            raise PhanatError(
                f"suggestion theme {theme!r} needs keywords and answers", file="synthetic config"
            )
        themes[str(theme)] = spec
    return themes


def no_suggestion_answers(settings: dict) -> tuple[float, list[str]]:
    """The generator's optional ``no_suggestion``: ``rate`` (share of the respondents who give no
    suggestion but type something, as forms with a required open question get) and ``answers``
    to sample for them (``ไม่มี``, ``-``, ...). ``(0.0, [])`` when the config has none."""
    raw = settings.get("no_suggestion") or {}
    if not raw:
        return 0.0, []
    rate, answers = raw.get("rate"), [str(a) for a in raw.get("answers") or []]
    if not answers or not isinstance(rate, int | float) or not 0 <= rate < 1:
        raise PhanatError("no_suggestion needs a rate in [0, 1) and answers", file="synthetic config")
    return float(rate), answers


def themed_suggestion(
    themes: dict[str, dict],
    cycle: str,
    rate: float,
    rng: np.random.Generator,
    no_suggestion: tuple[float, list[str]] = (0.0, []),
) -> str:
    """With probability ``rate`` an answer: a theme drawn by its weight in ``cycle``, then one of
    its answers uniformly; otherwise, with probability ``no_suggestion[0]`` of the respondents,
    one of the ``no_suggestion[1]`` answers (``ไม่มี``, ``-``) uniformly, else an empty answer.
    Without ``no_suggestion`` the draws are exactly those of a config that has none."""
    u = rng.random()
    if u >= rate:
        blank_rate, blanks = no_suggestion
        if blanks and u < rate + blank_rate:
            return blanks[rng.integers(len(blanks))]
        return ""
    names = list(themes)
    weights = np.array([float((themes[t].get("weight") or {}).get(cycle, 1.0)) for t in names])
    theme = themes[names[rng.choice(len(names), p=weights / weights.sum())]]
    return str(theme["answers"][rng.integers(len(theme["answers"]))])


def themes_file_content(settings: dict) -> dict[str, dict]:
    """Theme -> its ``name_en`` (when the generator's theme has one) and ``keywords``, from the
    generator's ``suggestion_themes``: the content of the study's ``themes.yaml`` that goes with
    the generated answers (:mod:`analysis.config.themes`)."""
    return {
        theme: {
            **({"name_en": spec["name_en"]} if spec.get("name_en") else {}),
            "keywords": list(spec["keywords"]),
        }
        for theme, spec in suggestion_themes(settings).items()
    }


def google_forms_headers(codebook: Codebook, study: StudyConfig) -> dict[str, str]:
    """Grid-style headers as Google Forms writes them: ``ด้านที่ n <name> [<item text>]``."""
    return {
        item.code: f"ด้านที่ {i} {dim.name_th} ({dim.name_en}) [{item.text_th}]"
        for i, dim in enumerate(codebook.dimensions, start=1)
        for item in dim.items
    }


def write_example(config_path: str | Path, output: str | Path | None = None) -> Path:
    """Generate the export named in the generator config and its provenance sidecar."""
    config_path = Path(config_path)
    settings = read_yaml(config_path)
    base = config_path.parent
    codebook = load_codebook(base / settings["codebook"])
    study = load_study(base / settings["study"])
    out = Path(output) if output else base / settings["output"]
    frame = generate_export(codebook, study, settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False, encoding="utf-8", lineterminator="\n")
    sidecar = {
        "synthetic": True,
        "description": "Synthetic demonstration data made by analysis.data.synthetic; not real responses.",
        "generator": "analysis.data.synthetic.generate_export",
        "config": config_path.name,
        "seed": int(settings["seed"]),
        "rows": len(frame),
        "sha256": sha256_file(out),
    }
    if settings.get("themes_output") and suggestion_themes(settings):  # the themes file of the answers
        (base / settings["themes_output"]).write_text(
            yaml.safe_dump(themes_file_content(settings), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    Path(str(out) + SIDECAR_SUFFIX).write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return out
