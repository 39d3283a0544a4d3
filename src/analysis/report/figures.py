"""Every figure of the write-up, drawn for one language from the run's results.

:func:`draw_figures` is what a render calls for each edition: the numbers come from the results
(nothing is recomputed), every word drawn in a figure from the message catalogue
(``figures:`` in ``catalogue/<language>.yaml``), and the study's own names (dimensions, scale
points, cycles, indicators, the texts of the PDCA and system-theory diagrams) from its config
files in that language. A name the study does not give in the language is drawn as a visible
placeholder naming the key and the file to fill in, never in the other language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.report import plots
from analysis.report.messages import Messages, messages


def draw_figures(
    results: dict, language: str, target: Path, *, narrative: Mapping[str, Any] | None = None
) -> dict[str, dict[str, str]]:
    """Draw the write-up's figures in ``language`` into ``target``; returns figure name →
    ``{"pdf": …, "png": …}`` (file names relative to ``target``). ``narrative`` is the
    study's narrative file of that language (its ``diagrams:`` label the method diagrams).
    A figure whose numbers the run does not have (no second cycle, no indicator register) is
    left out, as its section is."""
    makers = figure_makers(results, language, narrative)
    return {name: plots.save_figure(draw(), target, name) for name, draw in makers.items()}


def figure_makers(
    results: dict, language: str, narrative: Mapping[str, Any] | None = None
) -> dict[str, Callable[[], Any]]:
    """The figures :func:`draw_figures` draws, by name, each as a function that builds it
    (a :class:`matplotlib.figure.Figure`, not yet saved), in the write-up's order."""
    say = messages(language)
    return {
        **survey_figures(results, say),
        **pdca_figures(results, say),
        **method_diagrams(results, say, (narrative or {}).get("diagrams") or {}),
    }


def study_text(say: Messages, value: Any, key: str, file: str | None) -> str:
    """A name or text from the study's config, or the catalogue's placeholder saying which key
    of which file to fill in when the config leaves it empty."""
    text = str(value or "").strip()
    return text or say("figures.missing_text", setting=key, file=file or "?")


def synthetic_mark(results: dict, say: Messages) -> str:
    """The synthetic-data notice drawn in each chart of the example, empty for real data."""
    return say("figures.synthetic_mark") if results["meta"].get("synthetic") else ""


def dimension_labels(results: dict, say: Messages) -> dict[str, str]:
    """Dimension code → its name in the language (``name_th`` / ``name_en`` of the codebook)."""
    field, file = f"name_{say.language}", results["meta"].get("codebook_file")
    return {
        d["dimension"]: study_text(say, d.get(field), f"{d['dimension']} {field}", file)
        for d in results["descriptives"]["dimensions"]
    }


def cycle_label(results: dict, say: Messages, code: str) -> str:
    """A cycle's name in the language (``cycles`` of the study config)."""
    meta = results["meta"]
    cycle = next(c for c in meta["cycles"] if c["code"] == code)
    field = f"name_{say.language}"
    return study_text(say, cycle.get(field), f"cycles {code} {field}", meta.get("study_file"))


def item_labels(items: pd.DataFrame, say: Messages) -> list[str]:
    """Items as questionnaires number them, dimension then item (``ข้อ 1.1``, ``Item 1.2``,
    dimensions in order of first appearance); without a ``dimension`` column, the codes."""
    if "dimension" not in items.columns:
        return items["item"].astype(str).tolist()
    order = {d: i for i, d in enumerate(dict.fromkeys(items["dimension"]), start=1)}
    within = items.groupby("dimension", sort=False).cumcount() + 1
    return [
        say("figures.answers_per_item.item", dimension=order[d], item=n)
        for d, n in zip(items["dimension"], within, strict=True)
    ]


def survey_figures(results: dict, say: Messages) -> dict[str, Callable[[], Any]]:
    """Dimension means with ±1 S.D., the radar of the means and the answers per item."""
    meta, desc = results["meta"], results["descriptives"]
    scale, mark = meta["scale"], synthetic_mark(results, say)
    names = dimension_labels(results, say)
    dims = pd.DataFrame(desc["dimensions"])
    dims["label"] = dims["dimension"].map(names)
    items = pd.DataFrame(desc["items"])
    items["label"] = item_labels(items, say)
    lang, file = say.language, meta.get("codebook_file")
    points = [
        (p["value"], study_text(say, p.get(lang), f"points {p['value']} {lang}", file))
        for p in sorted(scale["points"], key=lambda p: p["value"])
    ]
    span = {"scale_min": scale["min"], "scale_max": scale["max"]}
    return {
        "dimension_means": lambda: plots.dimension_means_chart(
            dims, desc["overall"]["mean"], xlabel=say("figures.dimension_means.x_axis"), mark=mark, **span
        ),
        "answers_per_item": lambda: plots.diverging_stacked_bar_chart(
            items, points, xlabel=say("figures.answers_per_item.x_axis"), mark=mark
        ),
        "dimension_radar": lambda: plots.radar_chart(dims, mark=mark, **span),
    }


def pdca_figures(results: dict, say: Messages) -> dict[str, Callable[[], Any]]:
    """The change between the last two cycles (with each mean's 95% CI), with three or more
    cycles the trend of every scale over all of them, and the report cycle's indicator
    attainment, when the run has them."""
    meta, pdca = results["meta"], results.get("pdca") or {}
    mark, figures = synthetic_mark(results, say), {}
    if pdca.get("comparisons"):
        names = dimension_labels(results, say) | {"overall": say("figures.cycle_change.overall")}
        cycles = (cycle_label(results, say, pdca["before"]), cycle_label(results, say, pdca["after"]))
        figures["cycle_change"] = lambda: plots.cycle_change_chart(
            pd.DataFrame(pdca["comparisons"]),
            names,
            cycles,
            xlabel=say("figures.cycle_change.x_axis"),
            scale_min=meta["scale"]["min"],
            scale_max=meta["scale"]["max"],
            mark=mark,
        )
    if pdca.get("cycles"):
        trend = pdca["cycles"]
        short = {c: cycle_label(results, say, c).split(" (")[0] for c in trend["order"]}
        figures["cycle_trend"] = lambda: plots.cycle_trend_chart(
            pd.DataFrame(trend["means"]),
            dimension_labels(results, say) | {"overall": say("figures.cycle_change.overall")},
            short,
            ylabel=say("figures.cycle_trend.y_axis"),
            scale_min=meta["scale"]["min"],
            scale_max=meta["scale"]["max"],
            mark=mark,
        )
    report_cycle = results["descriptives"]["cycle"]
    latest = [r for r in pdca.get("indicators") or [] if r["cycle"] == report_cycle]
    if any(r["attainment_pct"] is not None for r in latest):
        field, file = f"name_{say.language}", meta.get("indicators_file")
        frame = pd.DataFrame(latest)
        frame["attainment_pct"] = frame["attainment_pct"].astype(float)
        frame["label"] = [study_text(say, r.get(field), f"{r['indicator']} {field}", file) for r in latest]
        xlabel = say("figures.indicator_attainment.x_axis", cycle=cycle_label(results, say, report_cycle))
        figures["indicator_attainment"] = lambda: plots.attainment_chart(frame, xlabel=xlabel, mark=mark)
    return figures


def method_diagrams(
    results: dict, say: Messages, diagrams: Mapping[str, Any]
) -> dict[str, Callable[[], Any]]:
    """The PDCA cycle and the system-theory diagram, titles from the catalogue and box texts
    from the narrative file's ``diagrams:`` (placeholders where it gives none)."""
    key = "writeup_file" if say.language == "th" else "writeup_file_en"
    file = results["meta"].get(key) or f"writeup.{say.language}.yaml"

    def texts(diagram: str, keys: tuple[str, ...]) -> dict[str, str]:
        given = diagrams.get(diagram) or {}
        return {k: study_text(say, given.get(k), f"diagrams.{diagram}.{k}", file) for k in keys}

    pdca = texts("pdca", plots.PDCA_STEPS)
    system = texts("system", (*plots.SYSTEM_STEPS, "feedback"))
    feedback = say("figures.system_theory.feedback", text=system["feedback"])
    return {
        "pdca_cycle": lambda: plots.pdca_diagram(say.get("figures.pdca_cycle"), pdca),
        "system_theory": lambda: plots.system_diagram(say.get("figures.system_theory"), system, feedback),
    }
