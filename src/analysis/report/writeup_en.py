"""The English edition of the write-up (``phanat render --lang en``).

Same structure and numbers as the Thai edition, from the same ``results.json``; the narrative
comes from the study's English narrative file (``writeup_file_en`` in study.yaml, e.g.
``writeup.en.yaml``). The figures are drawn in English by the render
(:mod:`analysis.report.figures`).
"""

from __future__ import annotations

from analysis.numbers import format_number as fmt
from analysis.report.citations import cite
from analysis.report.reporting import (
    accepted_losses_text,
    act_sentence,
    dimension_table_md,
    english_label,
    figure_md,
    group_table_md,
    item_table_md,
    markdown_table,
    number_or_dash,
    number_text,
    p_text,
    pdca_note,
    pdca_table_md,
    reliability_coefficients_table_md,
    reliability_intervals_table_md,
    reliability_table_md,
    reliability_warning_text,
    sample_table_md,
    scale_names,
    statistics_used,
)


def methods_en(results: dict) -> str:
    meta, desc = results["meta"], results["descriptives"]
    names = scale_names(results, "en")
    scale = meta["scale"]
    n_items = sum(d["n_items"] for d in desc["dimensions"])
    parts = []
    if desc.get("sample"):
        parts += [
            "## Population and sample",
            desc["sample"]["sentence_en"],
            sample_table_md(
                desc["sample"]["table"],
                caption="Population, responses and required sample sizes",
                language="en",
            ),
        ]
    parts.append(accepted_losses_text(results.get("cleaning") or {}, "en"))
    parts += [
        "## Instrument",
        f"A questionnaire of {n_items} items in {len(desc['dimensions'])} dimensions on a "
        f"{scale['max'] - scale['min'] + 1}-point rating scale "
        f"({', '.join(p['en'] for p in scale['points'])}).",
    ]
    rel = results.get("reliability") or {}
    ioc = rel.get("ioc")
    if ioc:
        flagged = (
            f"items below {fmt(ioc['cutoff'])}: {', '.join(ioc['flagged'])}"
            if ioc["flagged"]
            else (f"every item reached {fmt(ioc['cutoff'])}")
        )
        parts.append(
            f"Content validity was judged by {ioc['n_experts']} experts: IOC ranged from {fmt(ioc['min'])} "
            f"to {fmt(ioc['max'])}; {flagged}."
        )
    if rel.get("scales"):
        overall = next((r for r in rel["scales"] if r["scale"] == "overall"), None)
        if overall and overall["alpha"] is not None:
            parts.append(
                f"Cronbach's alpha of the whole questionnaire was {fmt(overall['alpha'])} "
                "(95% CI by Feldt's method "
                f"{fmt(overall['ci_low'])}–{fmt(overall['ci_high'])}); missing answers were handled by "
                f"{rel['missing_policy']} deletion."
            )
        parts.append(
            reliability_table_md(
                rel, names, caption=f"Reliability per dimension, {desc['cycle_name_en']}", language="en"
            )
        )
        parts += [
            f"Warning: {reliability_warning_text(c, names, 'en')}" for c in rel.get("warning_codes") or []
        ]
    if rel.get("cfa"):
        parts.append(rel["cfa"]["sentence_en"])
    criterion = meta["criterion"]
    parts += [
        "## Interpretation",
        f"Means were interpreted by the criterion: {criterion['name_en']}"
        + (f" {cite(criterion['reference'])}" if criterion.get("reference") else "")
        + ".",
        "\n".join(f"- {b['min']:.2f}–{b['max']:.2f}: {b['en']}" for b in criterion["bands"]),
        "## Statistics",
        "\n".join(f"- {line}" for line in statistics_used(results, "en")),
    ]
    parts.append(
        "The data were analysed with the phanat command through re-runnable Jupyter notebooks "
        "(software versions in the appendix)."
    )
    return "\n\n".join(p for p in parts if p) + "\n"


def results_en(results: dict, narrative: dict, figures: dict[str, dict]) -> str:
    meta, desc = results["meta"], results["descriptives"]
    names = scale_names(results, "en")
    cycle = desc["cycle_name_en"] or desc["cycle"]
    parts = [
        f"## Results of the evaluation of {meta.get('model_name') or 'the model'}",
        desc["paragraph_en"],
        dimension_table_md(
            desc, caption=f"Mean (x̄), S.D., level and rank per dimension and overall, {cycle}", language="en"
        ),
        f"Note: means interpreted by {meta['criterion']['name_en']}; "
        "the overall S.D. is that of respondents' "
        f"overall scores (S.D. of all item answers pooled = {fmt(desc['overall']['sd_pooled'])}).",
        figure_md(
            figures,
            "dimension_means",
            f"Mean per dimension, {cycle} (n = {desc['overall']['n']})",
            "fig-dimensions",
        ),
        figure_md(figures, "dimension_radar", f"Dimension means as a radar chart, {cycle}", "fig-radar", 75),
    ]
    groups = desc.get("groups") or {}
    if groups.get("comparisons"):
        parts += [
            "## Comparison between respondent groups",
            group_table_md(
                groups["comparisons"],
                names,
                groups["labels_en"],
                caption=f"Mean (S.D.) by respondent group and the tests, {cycle}",
                language="en",
            ),
        ]
    pdca = results.get("pdca") or {}
    if pdca.get("comparisons"):
        cycles = {c["code"]: c.get("name_en") or c["code"] for c in meta["cycles"]}
        before, after = cycles[pdca["before"]], cycles[pdca["after"]]
        parts += [
            "## Change between PDCA cycles",
            f"Means of {before} and {after} compared: paired t-test for respondents in both cycles, "
            "otherwise Welch's t-test; p-values Holm-adjusted across dimensions "
            "(Wilcoxon and Mann–Whitney in the appendix).",
            pdca_table_md(
                pdca,
                names,
                (before, after),
                caption=f"Change of the dimension means, {before} to {after}",
                language="en",
            ),
            pdca_note(pdca, "en"),
            figure_md(
                figures, "cycle_change", f"Dimension means in {before} and {after} (95% CI)", "fig-cycles"
            ),
        ]
    indicators = [r for r in pdca.get("indicators") or [] if r["cycle"] == desc["cycle"]]
    if indicators:
        rows = [
            [
                r["name_en"] or r["indicator"],
                r.get("unit_en") or r["unit"],
                "–" if r["target"] is None else number_text(r["target"]),
                "–" if r["actual"] is None else number_text(r["actual"]),
                "–" if r["attainment_pct"] is None else f"{r['attainment_pct']:.1f}",
                {True: "met", False: "not met"}.get(r["met"], r["note"] or "–"),
                r["trend"],
            ]
            for r in indicators
        ]
        parts += [
            "## Indicators against targets",
            markdown_table(
                ["Indicator", "Unit", "Target", "Actual", "% of target", "Result", "Trend"],
                rows,
                "llrrrcc",
                f"Indicators against their targets, {cycle}",
                "tbl-indicators",
                [40, 12, 10, 10, 10, 10, 8],
            ),
            figure_md(
                figures, "indicator_attainment", f"Attainment per indicator, {cycle}", "fig-attainment", 90
            ),
        ]
    if pdca.get("act"):
        parts += [
            "## Priorities for the next cycle (Act)",
            "\n".join(
                f"{a['priority']}. {act_sentence(a, 'en', english_label(a, results))}" for a in pdca["act"]
            ),
        ]
    if narrative.get("impact"):
        parts += ["## Impact", narrative["impact"].strip()]
    parts += [
        "## Item details",
        item_table_md(desc, caption=f"Mean, S.D., level and rank per item, {cycle}", language="en"),
        figure_md(
            figures,
            "answers_per_item",
            f"Share of answers at each scale point per item, {cycle}",
            "fig-answers",
            100,
        ),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def appendix_en(results: dict) -> str:
    names = scale_names(results, "en")
    rel = results.get("reliability") or {}
    parts = []
    cleaning = results.get("cleaning") or {}
    if cleaning:
        dropped = "; ".join(f"{k}: {v}" for k, v in sorted(cleaning.get("dropped_by_reason", {}).items()))
        parts += [
            "## Data cleaning",
            f"{cleaning['n_raw']} rows were read from {cleaning['file']} "
            f"(SHA-256 {cleaning['sha256'][:16]}…); "
            f"{cleaning['n_kept']} were kept and {cleaning['n_dropped']} dropped ({dropped or 'none'}); "
            f"{cleaning['n_cells_set_missing']} answers were set missing.",
        ]
    if rel.get("scales"):
        parts += [
            "## Reliability in full",
            reliability_intervals_table_md(
                rel, names, caption="Cronbach's alpha with its 95% intervals by method", language="en"
            ),
            reliability_coefficients_table_md(rel, names, caption="Reliability coefficients", language="en"),
        ]
    pdca = results.get("pdca") or {}
    if pdca.get("comparisons"):
        rows = [
            [
                names.get(r["scale"], r["scale"]),
                str(r["n_paired"]),
                p_text(r["wilcoxon_p"]),
                number_or_dash(r["rank_biserial_paired"]),
                p_text(r["mann_whitney_p"]),
                number_or_dash(r["rank_biserial"]),
            ]
            for r in pdca["comparisons"]
        ]
        parts += [
            "## Nonparametric cycle comparison",
            markdown_table(
                ["Dimension", "n paired", "Wilcoxon p", "r (paired)", "Mann–Whitney p", "r"],
                rows,
                "lrrrrr",
                "Wilcoxon signed-rank and Mann–Whitney U with rank-biserial r",
                "tbl-nonparametric",
                [30, 10, 12, 12, 14, 10],
            ),
        ]
    from analysis.report.render import software_section

    parts.append(software_section(results, "en"))
    return "\n\n".join(parts) + "\n" if parts else ""


def english_fragments(results: dict, narrative: dict, figures: dict[str, dict[str, str]]) -> dict[str, str]:
    """The fragments ``reports/writeup.en.qmd`` includes; ``figures`` are the English edition's
    drawn figures (:func:`analysis.report.figures.draw_figures`)."""
    from analysis.report.render import to_write

    meta = results["meta"]
    creation = "\n\n".join(
        p
        for p in (
            narrative.get("creation", ""),
            figure_md(figures, "system_theory", "The model developed by system theory", "fig-system", 90),
            figure_md(figures, "pdca_cycle", "The PDCA cycle of each round", "fig-pdca", 70),
        )
        if p
    )
    return {
        "award": narrative.get("award_name") or to_write("award_name", language="en"),
        "agency": meta.get("agency_en") or to_write("agency_en", "study", "en"),
        "innovation": narrative.get("innovation_name")
        or meta.get("model_name")
        or to_write("innovation_name", language="en"),
        "creation": creation,
        "use": narrative.get("use") or to_write("use", language="en"),
        "methods": methods_en(results),
        "results": results_en(results, narrative, figures),
        "appendix": appendix_en(results),
        "quote": f"> “{narrative['quote'].strip()}”"
        if narrative.get("quote")
        else to_write("quote", language="en"),
    }
