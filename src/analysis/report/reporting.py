"""Text and tables for the write-up, in either language, from the numbers in the results.

Every function here takes plain dicts as stored in the results and a ``language``
(``"th"`` or ``"en"``); the words come from the message catalogue
(:mod:`analysis.report.messages`, ``catalogue/<language>.yaml``), the numbers from the results,
so the two editions differ in words only. Numbers are printed rounded half up to two decimals
(:func:`analysis.numbers.format_number`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from analysis.numbers import format_number as fmt
from analysis.report.citations import cite, narrative_cite
from analysis.report.messages import messages
from analysis.report.thai_text import NBSP, glue_space


def _m(language: str):
    return messages(language)


def bare_dimension_name(name: str, language: str = "th") -> str:
    """A dimension's name without the word the edition puts before it (catalogue
    ``names.dimension``, ``ด้าน{name}``): a codebook may write ``ด้านการวางแผน`` or ``การวางแผน``."""
    prefix = _m(language)("names.dimension", name="")
    return name.removeprefix(prefix) if prefix else name


def _get(row: Any, key: str, default: Any = None) -> Any:
    """A field of a result given as a dict or as a dataclass (``CfaResult``)."""
    if isinstance(row, Mapping):
        return row.get(key, default)
    return getattr(row, key, default)


def dimension_name(dim: dict, language: str = "th") -> str:
    """A dimension's own name in the edition's language: the codebook's ``name_th`` or
    ``name_en``; in another edition, when the codebook gives no name in its language, the
    catalogue's ``names.no_name_en`` (the Thai name and which key to fill in), never the Thai
    name alone (:func:`untranslated_names` also warns at render)."""
    name = dim.get(f"name_{language}") or ""
    if name or language == "th":
        return name or dim["name_th"]
    return _m(language)("names.no_name_en", name=dim["name_th"], code=dim["dimension"])


def item_text(item: dict, language: str = "th") -> str:
    """An item's question in the edition's language, or the catalogue's ``names.no_text_en``
    (the Thai question and which key to fill in) when the codebook gives none."""
    text = item.get(f"text_{language}") or ""
    if text or language == "th":
        return text or item["text_th"]
    return _m(language)("names.no_text_en", text=item["text_th"], code=item["item"])


def untranslated_names(results: dict, language: str = "th") -> list[str]:
    """One warning line per kind of config name the ``language`` edition prints as a
    placeholder because the config gives no name in that language (dimensions and items of
    the codebook, suggestion themes), naming the codes and the key to add; empty for Thai."""
    if language == "th":
        return []
    desc = results["descriptives"]
    codebook = results["meta"].get("codebook_file") or "codebook.yaml"
    suggestions = results.get("suggestions") or {}
    missing = {
        ("dimension", f"name_{language}", codebook): [
            d["dimension"] for d in desc["dimensions"] if not d.get(f"name_{language}")
        ],
        ("item", f"text_{language}", codebook): [
            i["item"] for i in desc["items"] if not i.get(f"text_{language}")
        ],
        ("theme", f"name_{language}", suggestions.get("themes_file") or "themes.yaml"): [
            t["theme"] for t in suggestions.get("themes") or [] if not t.get(f"name_{language}")
        ],
    }
    return [
        _m(language)("names.untranslated", kind=kind, key=key, file=file, codes=", ".join(codes))
        for (kind, key, file), codes in missing.items()
        if codes
    ]


def dimension_label(dim: dict, language: str = "th") -> str:
    """``ด้านการดำเนินการอย่างเท่าเทียม`` / ``Parity``."""
    return _m(language)("names.dimension", name=dimension_name(dim, language))


def _ordered(dimensions: list[dict]) -> list[dict]:
    return sorted(dimensions, key=lambda d: (d["rank"], d.get("order", 0)))


def join_list(parts: list[str], language: str) -> str:
    """Items joined as the language lists them (Thai: spaces with และ before the last, no
    commas; English: commas with "and"), from the catalogue's ``list`` entries."""
    if len(parts) <= 1:
        return "".join(parts)
    m = _m(language)
    last = m.get("list.last")
    follows = parts[-1]
    thai_next = bool(follows) and ("\u0e01" <= follows[0] <= "\u0e5b" or follows.startswith("[@"))
    if not last.endswith(" ") and follows and not thai_next:
        last += " "  # Thai "และ" joins the next Thai word (a cross-reference "[@fig-x]" becomes
        # "ภาพที่ n"), but not a quote, a number or Latin
    return m.get("list.separator").join(parts[:-1]) + last + parts[-1]


def level_word(row: dict, language: str) -> str:
    """A row's interpretation level in the edition's language."""
    return row.get(f"level_{language}") or row["level_th"]


def results_paragraph(
    dimensions: list[dict],
    overall: dict,
    *,
    subject: str,
    language: str = "th",
    sd_key: str = "sd_respondents",
) -> str:
    """The field's results sentence: overall level, mean and S.D., how many dimensions sit at
    each level, then the dimensions from the highest mean to the lowest (ties keep the codebook
    order and are said to be equal)."""
    m = _m(language)
    ordered = _ordered(dimensions)
    parts = []
    for i, d in enumerate(ordered):
        tie = any(o is not d and o["rank"] == d["rank"] for o in ordered)
        same = tie and i > 0 and ordered[i - 1]["rank"] == d["rank"]
        parts.append(
            m("results.dimension_mean", name=dimension_label(d, language), mean=fmt(d["mean"]))
            + (m("results.tie") if same else "")
        )
    return m(
        "results.paragraph",
        subject=subject,
        level=level_word(overall, language),
        mean=fmt(overall["mean"]),
        sd=fmt(overall[sd_key]),
        levels=_level_counts(ordered, language),
        dimensions=join_list(parts, language),
    )


def _level_counts(dimensions: list[dict], language: str) -> str:
    """``อยู่ในระดับมากที่สุด 4 ด้าน และระดับมาก 2 ด้าน`` (levels from the highest mean down);
    ``ทุกด้านอยู่ในระดับมากที่สุด`` when they share one level."""
    m = _m(language)
    counts: dict[str, int] = {}
    for d in dimensions:
        level = level_word(d, language)
        counts[level] = counts.get(level, 0) + 1
    if len(counts) == 1:
        return m("results.all_at_level", level=next(iter(counts)))
    parts = [m("results.level_count", level=level, n=n) for level, n in counts.items()]
    return m("results.level_counts", counts=join_list(parts, language))


def results_subject(results: dict, language: str = "th") -> str:
    """Who rated what, leading the results paragraph (the study's ``rating_subject``)."""
    meta, desc = results["meta"], results["descriptives"]
    subject = meta.get(f"rating_subject_{language}") or meta.get(f"title_{language}") or ""
    cycle = desc.get(f"cycle_name_{language}") or desc["cycle"]
    return _m(language)("results.subject", n=desc["overall"]["n"], cycle=cycle, rating_subject=subject)


def descriptives_paragraph(results: dict, language: str = "th") -> str:
    """The results paragraph of a run (Thai digits when the study asks for them)."""
    desc = results["descriptives"]
    text = results_paragraph(
        desc["dimensions"], desc["overall"], subject=results_subject(results, language), language=language
    )
    thai_digits = (desc.get("text_options") or {}).get("thai_digits", False)
    return apply_text_options(text, thai_digits) if language == "th" else text


TYPST_LINE_BREAK = "`#linebreak()`{=typst}"  # a line break in the PDF only (HTML and DOCX drop it)
PIPE_COLUMNS = 72  # pandoc's --columns: a pipe table with a longer line gets relative widths
TABLE_EM = 34.9  # a table line of the PDF: 16 cm of text at 13 pt (reports/templates/phanat.typ)
SHORT_CELL_EM = 7.0  # a body cell up to this wide (`paired t`) stays on one line where there is room
SHORT_GROUP_EM = 10.0  # and a bold group row (`Cycle 1 → Cycle 2`) up to this wide
CELL_PADDING_EM = (1.4, 0.9)  # a cell's inset (5 pt a side) and the rule, with air or without
THAI = re.compile(r"[\u0e00-\u0e7f]")
SPACES = re.compile(r"[ \t\n]+")  # where a line may break (not at a no-break space)
WORD_BREAK = re.compile(r"(?<=[A-Za-z][-–/])(?=[A-Za-z])")  # "Kruskal–|Wallis", "rank-|biserial"


@cache
def _advances(bold: bool) -> tuple[dict[int, int], float]:
    """Character → advance width of the PDF's font (Norasi, regular or bold), and its em."""
    from fontTools.ttLib import TTFont

    from analysis.report.fonts import pdf_font_files

    name = "Norasi-Bold.ttf" if bold else "Norasi.ttf"
    font = TTFont(next(f for f in pdf_font_files() if f.name == name), lazy=True)
    metrics, cmap = font["hmtx"].metrics, font.getBestCmap()
    return {c: metrics[g][0] for c, g in cmap.items()}, float(font["head"].unitsPerEm)


def text_em(text: str, bold: bool = False) -> float:
    """Width of ``text`` in em of the PDF's table font (half an em for a character it lacks)."""
    advances, em = _advances(bold)
    return sum(advances.get(ord(ch), em / 2) for ch in text) / em


def unbreakable_em(cell: str) -> float:
    """Width (em) of the longest part of a cell that a line cannot break: a line breaks at a
    space that :func:`analysis.report.thai_text.glue_space` leaves breakable (not inside
    ``F = 1.28,``) and after a hyphen, dash or slash between letters; bold when the cell is
    (``**…**``)."""
    pieces: list[str] = []
    previous = ""
    for word in SPACES.split(cell.replace("**", "").replace("\\|", "|").strip()):
        if not word:
            continue
        groups = WORD_BREAK.split(word)
        if previous and glue_space(previous, word):
            pieces[-1] += " " + groups[0]
            groups = groups[1:]
        pieces += groups
        previous = word
    return max((text_em(p, cell.startswith("**")) for p in pieces), default=0.0)


def fitted_widths(widths: list[int], rows: list[list[str]], line_em: float = TABLE_EM) -> list[int]:
    """Relative column widths (dashes of a pipe table) that give every column room for its
    widest unbreakable word or number (:func:`unbreakable_em`, header ``rows[0]`` included) when
    the table spans ``line_em``, then, column by column as far as the room goes (the cheapest
    first), room for its short body cells on one line (``paired t``, :func:`whole_em`), then air.
    A column short of that room grows and the others give it up in proportion to what they have
    beyond theirs. ``Difference`` then
    fits its column and ``320,000`` no longer runs into the next cell; a table whose given
    widths already give every column its room keeps them. :func:`markdown_table` leaves a
    table holding Thai at its given widths (Thai word groups are wide: that layout is set by
    hand per table)."""
    columns = range(len(widths))
    words = [max(unbreakable_em(row[i]) for row in rows) for i in columns]
    cells = [max([words[i], *(whole_em(row[i]) for row in rows[1:])]) for i in columns]
    tight, loose = CELL_PADDING_EM[1], CELL_PADDING_EM[0]
    floor = [w + tight for w in words]
    for step in ([c + tight for c in cells], [c + loose for c in cells]):
        for i in sorted(columns, key=lambda i: step[i] - floor[i]):
            if step[i] > floor[i] and sum(floor) - floor[i] + step[i] <= line_em:
                floor[i] = step[i]
    wish = [w / sum(widths) * line_em for w in widths]
    if all(w >= f for w, f in zip(wish, floor, strict=True)):
        return widths
    deficit = [max(0.0, f - w) for w, f in zip(wish, floor, strict=True)]
    slack = [max(0.0, w - f) for w, f in zip(wish, floor, strict=True)]
    taken = min(1.0, sum(deficit) / sum(slack)) if sum(slack) else 0.0
    share = [w + d - s * taken for w, d, s in zip(wish, deficit, slack, strict=True)]
    return [max(3, round(s * 8)) for s in share]


def whole_em(cell: str) -> float:
    """Width (em) of a short body cell kept on one line: up to ``SHORT_CELL_EM`` (a number,
    ``paired t``), or ``SHORT_GROUP_EM`` for a bold group row (``Cycle 1 → Cycle 2``); a longer
    cell counts its widest word (:func:`unbreakable_em`)."""
    bold = cell.startswith("**")
    width = text_em(" ".join(SPACES.split(cell.replace("**", "").replace("\\|", "|").strip())), bold)
    return width if width <= (SHORT_GROUP_EM if bold else SHORT_CELL_EM) else unbreakable_em(cell)


def markdown_table(
    header: list[str],
    rows: list[list[str]],
    align: str,
    caption: str = "",
    label: str = "",
    widths: list[int] | None = None,
    points: int | None = None,
) -> str:
    """A pandoc/Quarto pipe table; ``align`` has one of ``l c r`` per column; ``widths`` are
    relative column widths (pandoc reads them from the number of dashes), fitted to the words
    and numbers of a table without Thai (:func:`fitted_widths`); the caption line
    ``: caption {#tbl-label}`` makes it a numbered, cross-referenced table. ``points`` sets
    the PDF's table text smaller than its 13 pt (a Typst rule scoped to the table's block;
    the DOCX and HTML size their tables themselves) for a Thai table whose word groups do
    not fit side by side at 13 pt."""
    widths = widths or [10] * len(header)

    def rule(a: str, w: int) -> str:
        dashes = "-" * max(3, w)
        return {"l": ":" + dashes, "c": ":" + dashes + ":", "r": dashes + ":"}[a]

    def table_lines(widths: list[int]) -> list[str]:
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join(rule(a, w) for a, w in zip(align, widths, strict=True)) + "|",
        ]
        return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]

    lines = table_lines(widths)
    latin = not any(THAI.search(cell) for row in [header, *rows] for cell in row)
    if latin and max(map(len, lines)) > PIPE_COLUMNS:  # pandoc sets the widths from the dashes
        shown = [[cell.replace(TYPST_LINE_BREAK, "") for cell in row] for row in [header, *rows]]
        lines = table_lines(fitted_widths(widths, shown))
    if caption:
        lines += ["", f": {caption}" + (f" {{#{label}}}" if label else "")]
    table = "\n".join(lines) + "\n"
    if points is None:
        return table
    return typst_scoped_block(".smaller-table", f"#show table: set text(size: {points}pt)", table)


def typst_scoped_block(attributes: str, rule: str, body: str) -> str:
    """``body`` (Markdown) in a pandoc div with ``attributes`` whose first element is the raw
    Typst ``rule``: pandoc writes the div as ``#block[…]`` for Typst, so the rule holds for
    ``body`` only; DOCX and HTML ignore the raw block (they style the div's class or
    ``custom-style`` themselves)."""
    return f"::: {{{attributes}}}\n```{{=typst}}\n{rule}\n```\n\n{body.rstrip()}\n:::\n"


def table_header(language: str, *keys: str) -> list[str]:
    """Column headers from the catalogue's ``headers`` section."""
    m = _m(language)
    return [m(f"headers.{key}") for key in keys]


def publication_header(language: str) -> list[str]:
    """x̄, S.D., ระดับ, ลำดับ (or the English equivalents)."""
    return table_header(language, "mean", "sd", "level", "rank")


def _bold(cells: list[str], on: bool) -> list[str]:
    return [f"**{c}**" if on and c not in ("", "–") else c for c in cells]


def dimension_rows(
    descriptives: dict, sd_key: str = "sd_respondents", language: str = "th"
) -> list[list[str]]:
    """Rows of the dimensions table (x̄, S.D., level, rank) and the overall row last; the Thai
    edition glosses each dimension with its English name (``style.english_gloss``)."""
    m = _m(language)
    gloss = bool(m.get("style.english_gloss"))
    rows = [
        [
            m(
                "tables.dimension_row",
                order=d["order"],
                name=dimension_label(d, language),
                gloss=f" ({d['name_en']})" if gloss and d.get("name_en") else "",
            ),
            fmt(d["mean"]),
            fmt(d["sd"]),
            level_word(d, language),
            str(d["rank"]),
        ]
        for d in sorted(descriptives["dimensions"], key=lambda d: d["order"])
    ]
    ov = descriptives["overall"]
    rows.append([m("names.overall"), fmt(ov["mean"]), fmt(ov[sd_key]), level_word(ov, language), "–"])
    return rows


def item_rows(descriptives: dict, language: str = "th") -> list[tuple[bool, list[str]]]:
    """Rows of the item table grouped under their dimension: (is_dimension_row, cells)."""
    m = _m(language)
    dims = {d["dimension"]: d for d in descriptives["dimensions"]}
    rows, current, number = [], None, 0
    for it in descriptives["items"]:
        number += 1
        if it["dimension"] != current:
            current, number = it["dimension"], 1
            d = dims[current]
            cells = [dimension_label(d, language), fmt(d["mean"]), fmt(d["sd"]), level_word(d, language)]
            rows.append((True, [*cells, str(d["rank"])]))
        text = item_text(it, language)
        reverse = m("tables.reverse_scored") if it["reverse"] else ""
        cells = [f"{number}. {text}{reverse}", fmt(it["mean"]), fmt(it["sd"]), level_word(it, language)]
        rows.append((False, [*cells, str(it["rank"])]))
    return rows


def publication_tables(descriptives: dict, language: str = "th") -> dict[str, pd.DataFrame]:
    """The dimension and item tables (x̄, S.D., ระดับ, ลำดับ) as DataFrames for CSV/XLSX."""
    header = publication_header(language)
    dimension, item = table_header(language, "dimension", "item")
    return {
        "dimensions": pd.DataFrame(
            dimension_rows(descriptives, language=language), columns=[dimension, *header]
        ),
        "items": pd.DataFrame(
            [cells for _, cells in item_rows(descriptives, language)], columns=[item, *header]
        ),
    }


def dimension_table_md(
    descriptives: dict,
    *,
    caption: str,
    label: str = "tbl-results",
    sd_key: str = "sd_respondents",
    language: str = "th",
) -> str:
    """x̄, S.D., level, rank per dimension and overall."""
    rows = dimension_rows(descriptives, sd_key, language)
    rows[-1] = _bold(rows[-1], True)
    header = [*table_header(language, "dimension"), *publication_header(language)]
    return markdown_table(header, rows, "lrrcc", caption, label, [52, 10, 10, 16, 10])


def item_table_md(descriptives: dict, *, caption: str, label: str = "tbl-items", language: str = "th") -> str:
    """x̄, S.D., level, rank per item, grouped by dimension."""
    rows = [_bold(cells, is_dim) for is_dim, cells in item_rows(descriptives, language)]
    header = [*table_header(language, "item"), *publication_header(language)]
    return markdown_table(header, rows, "lrrcc", caption, label, [58, 9, 9, 14, 9])


def criterion_cite(criterion: dict) -> str:
    """`` (Best, 1977)`` after a criterion's name, or nothing without a reference."""
    return f" {cite(criterion['reference'])}" if criterion.get("reference") else ""


def criterion_note(criterion: dict, overall: dict, *, overall_row: bool = True, language: str = "th") -> str:
    """The note under a results table: the criterion used and, for a table with an overall
    row, that its S.D. is of the respondents' scores (with the pooled S.D. beside it)."""
    m = _m(language)
    fields = {"criterion": criterion[f"name_{language}"], "cite": criterion_cite(criterion)}
    if overall_row:
        return m("notes.criterion_with_sd", **fields, sd_pooled=fmt(overall["sd_pooled"]))
    return m("notes.criterion", **fields)


def interval_text(low: float | None, high: float | None) -> str:
    """A confidence interval in a table cell, "[0.85, 0.93]" (APA; a negative bound reads
    clearly, "[-0.04, 0.14]"), or a dash when it could not be computed."""
    return "–" if low is None else f"[{fmt(low)}, {fmt(high)}]"


def number_or_dash(x: float | None) -> str:
    """A number to two decimals, or a dash when it could not be computed."""
    return "–" if x is None else fmt(x)


def figure_md(
    figures: dict, name: str, caption: str, label: str, width: int = 95, folder: str = "_generated/figures"
) -> str:
    """A numbered figure (``figures`` maps a name to its saved files, as in the results), or
    nothing when the stage did not make it."""
    figure = figures.get(name)
    if not figure:
        return ""
    return f"![{caption}]({folder}/{figure['png']}){{#{label} width={width}%}}"


def scale_names(results: dict, language: str = "th") -> dict[str, str]:
    """Dimension code → its name as the text says it (``ด้าน…`` / ``Parity``), plus ``overall``."""
    m = _m(language)
    dims = results["descriptives"]["dimensions"]
    names = {
        d["dimension"]: m("names.dimension", name=bare_dimension_name(dimension_name(d, language), language))
        for d in dims
    }
    return names | {"overall": m("names.overall")}


def item_numbers(items: list[dict]) -> dict[str, int]:
    """Each item's number within its dimension (1, 2, … as questionnaires number them)."""
    counts: dict[str, int] = {}
    numbers = {}
    for item in items:
        numbers[item["item"]] = counts[item["dimension"]] = counts.get(item["dimension"], 0) + 1
    return numbers


def item_labels(results: dict, language: str = "th") -> dict[str, str]:
    """Codes as a report names them: an item by its number within its dimension (``ข้อ 3
    ด้านการวางแผน`` / ``item 3 of Planning``), a dimension by its name."""
    m = _m(language)
    names = scale_names(results, language)
    items = results["descriptives"]["items"]
    numbers = item_numbers(items)
    out = dict(names)
    for item in items:
        dim = names.get(item["dimension"], item["dimension"])
        out[item["item"]] = m("names.item_of_dimension", number=numbers[item["item"]], dimension=dim)
    return out


def reliability_table_md(
    reliability: dict,
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-reliability",
    language: str = "th",
) -> str:
    """Dimension, number of items, alpha with its 95% CI, omega total and the interpretation
    of alpha. Undefined alpha is said, with the reason."""
    rows = []
    for r in reliability["scales"]:
        name = names.get(r["scale"], r["scale"])
        if r["alpha"] is None:
            rows.append(
                [name, str(r["n_items"]), _m(language)("reliability.undefined"), "–",
                 alpha_undefined_text(r, language)]
            )  # fmt: skip
            continue
        rows.append(
            [
                name,
                str(r["n_items"]),
                f"{fmt(r['alpha'])} {interval_text(r['ci_low'], r['ci_high'])}",
                number_or_dash(r.get("omega_total")),
                r.get(f"interpretation_{language}", ""),
            ]
        )
    header = table_header(language, "dimension", "n_items", "alpha_ci", "omega", "interpretation")
    return markdown_table(header, rows, "lcccc", caption, label, [38, 10, 26, 12, 14])


def reliability_note(reliability: dict, language: str = "th") -> str:
    """The note under the reliability table: interval method, missing-data policy, the bands
    that interpret alpha, and where the bootstrap intervals are."""
    m = _m(language)
    policy = reliability["missing_policy"]
    policies = m.get("reliability.policies")
    text = m("reliability.note", policy=policies.get(policy, policy))
    if reliability.get("levels_reference"):
        text += m("reliability.note_levels", cite=narrative_cite(reliability["levels_reference"], language))
    if reliability.get("n_boot"):
        text += m(
            "reliability.note_bootstrap",
            n_boot=f"{reliability['n_boot']:,}",
            seed=reliability["bootstrap_seed"],
        )
    return text


def reliability_intervals_table_md(
    reliability: dict,
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-reliability-ci",
    language: str = "th",
) -> str:
    """Appendix: alpha with all three 95% intervals, each headed by its method."""
    rows = [
        [
            names.get(r["scale"], r["scale"]),
            str(r["n_obs"]),
            number_or_dash(r["alpha"]),
            interval_text(r["ci_low"], r["ci_high"]),
            interval_text(r.get("boot_percentile_low"), r.get("boot_percentile_high")),
            interval_text(r.get("boot_bca_low"), r.get("boot_bca_high")),
        ]
        for r in reliability["scales"]
    ]
    header = table_header(language, "dimension", "n", "alpha", "feldt", "boot_percentile", "boot_bca")
    return markdown_table(header, rows, "lrrccc", caption, label, [32, 10, 10, 16, 16, 16])


def reliability_coefficients_table_md(
    reliability: dict,
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-reliability-coef",
    language: str = "th",
) -> str:
    """Appendix: raw and standardized alpha, lambda-6, average inter-item r and omega total."""
    rows = [
        [
            names.get(r["scale"], r["scale"]),
            str(r["n_items"]),
            number_or_dash(r["alpha"]),
            number_or_dash(r.get("std_alpha")),
            number_or_dash(r.get("lambda6")),
            number_or_dash(r.get("average_r")),
            number_or_dash(r.get("omega_total")),
        ]
        for r in reliability["scales"]
    ]
    header = table_header(
        language, "dimension", "n_items", "alpha", "std_alpha", "lambda6", "average_r", "omega"
    )
    return markdown_table(header, rows, "lcrrrrr", caption, label, [30, 11, 10, 14, 14, 9, 12])


def item_analysis_table_md(
    items: list[dict],
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-item-analysis",
    language: str = "th",
) -> str:
    """Appendix: mean, S.D., corrected item-total r and alpha if deleted, per item (items by
    their number within their dimension, as the item table numbers them)."""
    m = _m(language)
    numbers = item_numbers(items)
    rows, current = [], None
    for it in items:
        if it["dimension"] != current:
            current = it["dimension"]
            rows.append([f"**{names.get(current, current)}**", "", "", "", "", ""])
        rows.append(
            [
                m("names.item", number=numbers[it["item"]]),
                str(it["n"]),
                number_or_dash(it["mean"]),
                number_or_dash(it["sd"]),
                number_or_dash(it["r_drop"]),
                number_or_dash(it["alpha_if_deleted"]),
            ]
        )
    header = table_header(language, "item_number", "n", "mean", "sd", "r_drop", "alpha_if_deleted")
    return markdown_table(header, rows, "lrrrrr", caption, label, [38, 10, 9, 9, 18, 16])


def ioc_sentence(ioc: dict, language: str = "th", item_names: Mapping[str, str] | None = None) -> str:
    """Content validity in the field's phrasing, naming items below the cut-off."""
    m = _m(language)
    name = (item_names or {}).get
    text = m("ioc.sentence", n_experts=ioc["n_experts"], min=fmt(ioc["min"]), max=fmt(ioc["max"]))
    if ioc["flagged"]:
        flagged = [name(code, code) for code in ioc["flagged"]]
        text += m("ioc.flagged", cutoff=fmt(ioc["cutoff"]), items=m.get("list.plain").join(flagged))
    else:
        text += m("ioc.all_pass", cutoff=fmt(ioc["cutoff"]))
    if ioc.get("not_rated"):
        text += m("ioc.not_rated", items=", ".join(name(code, code) for code in ioc["not_rated"]))
    return text


def number_text(value: float) -> str:
    """A register number as written: whole numbers with thousands separators, others to 2 dp."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def act_subject(row: dict, results: dict, language: str = "th") -> dict[str, str]:
    """How an Act priority names its subject: ``name`` (the dimension, indicator or item text
    in the edition's language) and ``label`` (an item by its number within its dimension)."""
    if row["kind"] == "indicator":
        name = row.get(f"name_{language}") or row["name_th"] if language != "th" else row["name_th"]
        return {"name": name or row["code"], "label": name or row["code"]}
    labels = item_labels(results, language)
    if row["kind"] == "dimension":
        name = scale_names(results, language).get(row["code"], row["name_th"])
        return {"name": name, "label": name}
    texts = {i["item"]: item_text(i, language) for i in results["descriptives"]["items"]}
    return {"name": texts.get(row["code"], row["name_th"]), "label": labels.get(row["code"], row["code"])}


def act_sentence(row: dict, language: str = "th", name: str = "", label: str = "") -> str:
    """One priority of the Act list as a sentence a director would sign, from its reason code
    and numbers (:func:`analysis.stats.pdca.act_priorities`); ``name`` and ``label`` name its
    subject as the edition does (:func:`act_subject`)."""
    m = _m(language)
    reason, value = row["reason"], row["value"]
    if not name:
        plain = row["name_th"]
        dimension = row.get("kind") == "dimension"
        name = m("names.dimension", name=bare_dimension_name(plain, language)) if dimension else plain
    label = label or (m("names.item", number=row["code"]) if row.get("kind") == "item" else name)
    if reason == "declined":
        return m(
            "act.declined",
            name=name,
            difference=f"{abs(value):.2f}",
            p_holm=f"{row['p_holm']:.3f}",
            test=test_name(row.get("test"), language),
        )
    if reason == "declined_since_first":
        return m("act.develop_urgently", name=name) + m("act.because", reasons=_act_reason(row, language))
    if reason == "indicator_not_met":
        unit = (row.get("unit_en") or row.get("unit") or "") if language != "th" else (row.get("unit") or "")
        mean = "ค่าเฉลี่ย" in (row.get("unit") or "")
        key = "act.indicator_mean" if mean else "act.indicator_result"
        result = m(key, actual=number_text(row["actual"]), target=number_text(row["target"]), unit=unit)
        gap = m("act.gap_unknown")
        if row.get("shortfall") is not None:
            shortfall = fmt(row["shortfall"]) if mean else number_text(round(row["shortfall"], 2))
            side = "act.gap_lower" if row.get("direction") == "lower" else "act.gap_higher"
            gap = m(side, shortfall=shortfall, unit="" if mean else f" {unit}")
        return m("act.indicator_not_met", name=name, gap=gap, result=result, pct=f"{value:.1f}")
    if reason == "lowest_dimension":
        return m("act.lowest_dimension", name=name, mean=f"{value:.2f}")
    if reason == "lowest_item":
        order = int(row.get("rank") or 1)
        rank = m("act.lowest") if order == 1 else m("act.lowest_rank", rank=order)
        together = _tied_text(int(row.get("tied") or 0), language)
        return m("act.lowest_item", name=name, label=label, rank=rank, tied=together, mean=f"{value:.2f}")
    if reason == "weak_item":
        return m(
            "act.weak_item", name=name, label=label, r=f"{value:.2f}", threshold=f"{row['threshold']:.2f}"
        )
    return m("act.other", name=name, reason=reason)


def _act_reason(row: dict, language: str) -> str:
    """Why a dimension is on the Act list, as a clause of its sentence."""
    m = _m(language)
    if row["reason"] == "declined":
        test = test_name(row.get("test"), language)
        return m("act.reason_declined", difference=f"{abs(row['value']):.2f}",
                 p_holm=f"{row['p_holm']:.3f}", test=test)  # fmt: skip
    if row["reason"] == "declined_since_first":
        return m("act.reason_declined_since_first", difference=f"{abs(row['value']):.2f}",
                 p_holm=f"{row['p_holm']:.3f}", test=test_name(row.get("test"), language),
                 first=row.get("since_name") or row.get("since") or "")  # fmt: skip
    if row["reason"] == "indicator_not_met":
        name = (row.get(f"name_{language}") or row["name_th"]) if language != "th" else row["name_th"]
        return m("act.reason_indicator", name=name, target=number_text(row["target"]))
    return m("act.reason_lowest", mean=f"{row['value']:.2f}")


def _act_item_point(row: dict, results: dict, language: str) -> str:
    """An item singled out in its dimension's Act sentence: its text, number and rank."""
    m = _m(language)
    subject = act_subject(row, results, language)
    number = item_numbers(results["descriptives"]["items"]).get(row["code"], row["code"])
    order, tied = int(row.get("rank") or 1), int(row.get("tied") or 0)
    return m(
        "act.item_point",
        name=subject["name"],
        label=m("act.item_label", number=number),
        rank=m("act.lowest") if order == 1 else m("act.lowest_rank", rank=order),
        tied=_tied_text(tied, language),
        mean=f"{row['value']:.2f}",
    )


def _tied_text(tied: int, language: str) -> str:
    """How many other items share an Act item's mean (``เท่ากับข้ออื่นอีก 1 ข้อ``), empty without a tie."""
    m = _m(language)
    return "" if not tied else m("act.tied_one") if tied == 1 else m("act.tied", n=tied)


def test_name(code: str | None, language: str) -> str:
    """A statistical test's name as the edition writes it (``paired t-test`` →
    ``การทดสอบทีแบบไม่อิสระ``); a name the catalogue does not list is printed as stored."""
    return _m(language).get("tests").get(code, code or "")


def act_dimension_sentence(rows: list[dict], results: dict, language: str = "th") -> str:
    """One Act sentence for every priority about one dimension (it declined, it has the lowest
    mean, its survey indicator missed its target, its lowest items): the action, the gap, and
    the items to start with (``ควรพัฒนาด้าน… เนื่องจาก… โดยเฉพาะเรื่อง…``)."""
    m = _m(language)
    code = rows[0]["dimension"]
    name = scale_names(results, language).get(code, code)
    reasons = [r["reason"] for r in rows]
    lead = (
        "act.develop_urgently" if {"declined", "declined_since_first"} & set(reasons)
        else "act.develop_first" if "lowest_dimension" in reasons
        else "act.develop"
    )  # fmt: skip
    text = m(lead, name=name)
    # the survey's gaps, then the target's
    order = ("declined", "declined_since_first", "lowest_dimension", "indicator_not_met")
    dimension_rows = sorted((r for r in rows if r["reason"] in order), key=lambda r: order.index(r["reason"]))
    gaps = [_act_reason(r, language) for r in dimension_rows]
    if gaps:
        text += m("act.because", reasons=join_list(gaps, language))
    points = [_act_item_point(r, results, language) for r in rows if r["reason"] == "lowest_item"]
    if points:
        text += m("act.in_particular", items=join_list(points, language))
    return text


DIMENSION_REASONS = (
    "declined", "declined_since_first", "indicator_not_met", "lowest_dimension", "lowest_item",
)  # fmt: skip


def _short_cycle_names(results: dict, language: str) -> dict[str, str]:
    """Cycle code → its short name in the language (``วงรอบที่ 1`` of ``วงรอบที่ 1 (ปีงบประมาณ …)``)."""
    return {
        c["code"]: (c.get(f"name_{language}") or c["name_th"] or c["code"]).split(" (")[0]
        for c in (results.get("meta") or {}).get("cycles") or []
    }


def act_lines(rows: list[dict], results: dict, language: str = "th") -> list[str]:
    """The Act list as numbered sentences: priorities about the same dimension merge into one
    sentence (:func:`act_dimension_sentence`), placed where the first of them stood; the others
    (an indicator of the register, an item to reword) keep a sentence each (:func:`act_sentence`)."""
    m = _m(language)
    groups: dict[str, list[dict]] = {}
    entries: list[str | dict] = []
    short = _short_cycle_names(results, language)
    rows = [r | {"since_name": short.get(r["since"], r["since"])} if r.get("since") else r for r in rows]
    for row in rows:
        code = row.get("dimension") or ""
        if code and row["reason"] in DIMENSION_REASONS:
            if code not in groups:
                groups[code] = []
                entries.append(code)
            groups[code].append(row)
        else:
            entries.append(row)
    sentences = [
        act_dimension_sentence(groups[e], results, language)
        if isinstance(e, str)
        else act_sentence(e, language, **act_subject(e, results, language))
        for e in entries
    ]
    return [f"{i}. {text}{m('act.end')}" for i, text in enumerate(sentences, 1)]


def accepted_losses_text(cleaning: dict, language: str = "th") -> str:
    """The methods' statement of cleaning losses above ``cleaning.max_loss`` that the run was
    told to accept (``phanat run --accept-losses``); empty when there are none."""
    over = [loss for loss in cleaning.get("losses") or [] if loss.get("over")]
    if not over:
        return ""
    m = _m(language)
    rules = m.get("losses.rules")
    threshold = 100 * (cleaning.get("rules") or {}).get("max_loss", 0.05)
    parts = []
    for loss in over:
        rule = rules.get(loss["rule"]) or {"what": loss["rule"], "unit": ""}
        parts.append(
            m(
                "losses.part",
                what=rule["what"],
                unit=rule["unit"],
                count=f"{loss['count']:,}",
                of=f"{loss['of']:,}",
                share=f"{100 * loss['share']:.1f}",
            )
        )
    return m("losses.text", threshold=f"{threshold:.0f}", losses=m.get("losses.joiner").join(parts))


def alpha_undefined_text(row: dict | None, language: str = "th") -> str:
    """Why alpha is not defined for a scale, in words (from ``note_code``)."""
    reasons = _m(language).get("reliability.undefined_reasons")
    return reasons.get((row or {}).get("note_code") or "", "")


def reliability_warning_text(code: list, results: dict, language: str = "th") -> str:
    """A reliability warning (code, scale, item(s), value) as a sentence: items by their number
    (within the scale's own dimension, or with their dimension in the whole questionnaire)."""
    kind, scale, item, value = code
    m = _m(language)
    warnings = m.get("reliability.warnings")
    if kind not in warnings:
        return f"{kind} {scale} {item}"
    names = scale_names(results, language)
    items = {i["item"]: i for i in results["descriptives"]["items"]}
    numbers = item_numbers(list(items.values()))

    def label(code: str) -> str:
        if code not in items:
            return code
        if items[code]["dimension"] == scale:
            return m("names.item", number=numbers[code])
        dimension = names.get(items[code]["dimension"], items[code]["dimension"])
        return m("names.item_of_dimension", number=numbers[code], dimension=dimension)

    codes = [c.strip() for c in str(item).split(",") if c.strip()]
    scale_name = m("reliability.whole_scale") if scale == "overall" else names.get(scale, scale)
    return str(warnings[kind]).format(
        items=join_list([label(c) for c in codes], language),
        scale=scale_name,
        value=f"{value:.2f}" if isinstance(value, int | float) else "",
    )


def reliability_sentence(reliability: dict, language: str = "th") -> str:
    """Whole-scale alpha with its interval, omega and the range over dimensions."""
    m = _m(language)
    scales = {r["scale"]: r for r in reliability["scales"]}
    overall = scales.get("overall")
    if not overall or overall["alpha"] is None:
        reason = m("reliability.whole_undefined_reason", reason=alpha_undefined_text(overall, language))
        return m("reliability.whole_undefined") + (reason if overall else "")
    dims = [r["alpha"] for k, r in scales.items() if k != "overall" and r["alpha"] is not None]
    text = m(
        "reliability.sentence",
        alpha=fmt(overall["alpha"]),
        low=fmt(overall["ci_low"]),
        high=fmt(overall["ci_high"]),
    )
    if overall.get("omega_total") is not None:
        text += m("reliability.sentence_omega", omega=fmt(overall["omega_total"]))
    if dims:
        text += m("reliability.sentence_dimensions", low=fmt(min(dims)), high=fmt(max(dims)))
    return text + m("reliability.sentence_end")


def cfa_loadings_table_md(
    cfa: dict, names: dict[str, str], *, caption: str, label: str = "tbl-cfa", language: str = "th"
) -> str:
    """Standardized loadings of the CFA: each dimension once, as a group row, over its items
    (by their number within the dimension, as the item-analysis table shows them)."""
    m = _m(language)
    rows, counts, current = [], {}, None
    for r in cfa["loadings"]:
        if r["dimension"] != current:
            current = r["dimension"]
            rows.append([f"**{names.get(current, current)}**", ""])
        counts[current] = counts.get(current, 0) + 1  # items by number within the dimension
        rows.append([m("names.item", number=counts[current]), fmt(r["std_loading"])])
    header = table_header(language, "item_number", "std_loading")
    return markdown_table(header, rows, "lr", caption, label, [60, 40])


def pdca_findings(
    pdca: dict, names: dict[str, str], cycle_names: tuple[str, str], language: str = "th"
) -> str:
    """What the cycle comparison found, in words: the dimensions that rose or fell
    significantly (Holm-adjusted, .05) and the overall change."""
    m = _m(language)
    rows = {r["scale"]: r for r in pdca["comparisons"]}
    dims = [r for code, r in rows.items() if code != "overall"]
    up = [names.get(r["scale"], r["scale"]) for r in dims if r["verdict"] == "improved"]
    down = [names.get(r["scale"], r["scale"]) for r in dims if r["verdict"] == "declined"]
    before, after = cycle_names
    overall = rows.get("overall")
    parts = []
    if overall is not None and overall["verdict"] != "no clear change":
        key = "findings.overall_higher" if overall["verdict"] == "improved" else "findings.overall_lower"
        parts.append(m(key, before=before, after=after))
    elif overall is not None:
        parts.append(m("findings.overall_same", before=before, after=after))
    if up and len(up) == len(dims):
        parts.append(m("findings.all_up"))
    elif up:  # one dimension: "the dimension that rose ... was", not "were"
        key = "findings.up" if len(up) > 1 else "findings.up_one"
        parts.append(m(key, names=join_list(up, language)))
    if down:
        key = "findings.down" if len(down) > 1 else "findings.down_one"
        parts.append(m(key, names=join_list(down, language)))
    return m("findings.lead", findings=m.get("findings.joiner").join(parts)) if parts else ""


def item_findings(descriptives: dict, language: str = "th") -> str:
    """The highest- and lowest-rated items in words, for the item table's lead-in; items tied
    at the precision shown (two decimals) are named together."""
    m = _m(language)
    items = [i for i in descriptives["items"] if i.get("mean") is not None]
    if len(items) < 2:
        return ""

    def extreme(end: str, pick) -> str:
        mean = fmt(pick(i["mean"] for i in items))
        tied = [f"“{item_text(i, language)}”" for i in items if fmt(i["mean"]) == mean]
        if len(tied) == 1:
            return m(f"findings.items_{end}_one", item=tied[0], mean=mean)
        return m(f"findings.items_{end}_tied", items=join_list(tied, language), mean=mean)

    return m("findings.items", high=extreme("high", max), low=extreme("low", min))


def pdca_note(pdca: dict, language: str = "th") -> str:
    """The note under the cycle comparison table: which difference each test is about."""
    m = _m(language)
    paired = [r for r in pdca["comparisons"] if r["test"] != "Welch t-test"]
    if not paired:
        return m("pdca.note_welch")
    return m("pdca.note_paired", n=f"{max(r['n_paired'] for r in paired):,}")


def pdca_table_md(
    pdca: dict,
    names: dict[str, str],
    cycle_names: tuple[str, str],
    *,
    caption: str,
    label: str = "tbl-pdca",
    language: str = "th",
) -> str:
    """Mean per cycle, difference, the test used, Holm-adjusted p and the verdict."""
    rows = [
        comparison_cells(r, names, language, r["p_holm"] if r["scale"] != "overall" else r["p"])
        for r in pdca["comparisons"]
    ]
    header = table_header(language, "dimension")
    header += [
        *cycle_names,
        *table_header(language, "difference_star", "test", "p_holm", "effect_dz_g", "verdict"),
    ]
    # English headers are single long words ("Difference*", "Accommodation") that cannot wrap
    widths = {"th": [19, 10, 10, 11, 12, 10, 11, 17], "en": [22, 9, 9, 15, 12, 10, 11, 12]}[language]
    return markdown_table(header, rows, "lrrrlrrc", caption, label, widths)


def comparison_cells(r: dict, names: dict[str, str], language: str, p: float | None) -> list[str]:
    """One row of a cycle comparison table: the scale, the two means, the difference the test
    is about (of the paired respondents for a paired test), the test, ``p``, the effect size
    (dz for a paired test, g for Welch's) and the verdict."""
    m = _m(language)
    verdicts, tests = m.get("pdca.verdicts"), m.get("pdca.test_cells")
    paired = r["test"] != "Welch t-test"
    effect = r["cohens_dz"] if paired else r["hedges_g"]
    difference = r["paired_mean_difference"] if paired else r["difference"]
    return [
        names.get(r["scale"], r["scale"]),
        fmt(r["mean_before"]),
        fmt(r["mean_after"]),
        fmt(difference),
        tests.get(r["test"], test_name(r["test"], language)),
        "< .001" if p is not None and p < 0.001 else fmt(p, 3).removeprefix("0"),  # ".443", as elsewhere
        fmt(effect),
        verdicts.get(r["verdict"], r["verdict"]),
    ]


# --------------------------------------------------------------------------- three or more cycles
def _across_p(row: dict) -> float | None:
    """The p that judges a scale across all cycles: Welch's, or Kruskal–Wallis' where Welch's
    test is not defined (a cycle without variation)."""
    return row["welch_p"] if row["welch_p"] is not None else row["kruskal_p"]


def _across_stats(row: dict) -> str:
    """``F(2, 685.29) = 61.31, p < .001, η² = .119`` (or H with ε² where Welch's F is not defined)."""
    if row["welch_f"] is not None:
        return (
            f"F({row['welch_df1']:.0f}, {row['welch_df2']:.2f}) = {row['welch_f']:.2f}, "
            f"p {p_relation(row['welch_p'])}, η² = {p_text(row['eta_squared'])}"
        )
    return (
        f"H({row['kruskal_df']:.0f}) = {row['kruskal_h']:.2f}, p {p_relation(row['kruskal_p'])}, "
        f"ε² = {p_text(row['rank_epsilon_squared'])}"
    )


def cycles_trend_paragraph(
    cycles: dict, names: dict[str, str], cycle_names: dict[str, str], refs: str, language: str = "th"
) -> str:
    """The trend in words: the overall mean from the first cycle to each later one
    (``ค่าเฉลี่ยโดยภาพรวมเพิ่มขึ้นจาก 4.03 ในวงรอบที่ 1 เป็น …``), then the test across all cycles
    (Welch's ANOVA, Kruskal–Wallis) for the overall score with its statistics and which
    dimensions differ at .05."""
    m = _m(language)
    order = cycles["order"]
    overall = {r["cycle"]: r["mean"] for r in cycles["means"] if r["scale"] == "overall"}
    shown = [c for c in order if c in overall]
    text = ""
    if len(shown) >= 2:
        first, last = overall[shown[0]], overall[shown[-1]]
        key = (
            "up"
            if round(last, 2) > round(first, 2)
            else "down"
            if round(last, 2) < round(first, 2)
            else "same"
        )
        said = [m("cycles.mean_in", mean=fmt(overall[c]), cycle=cycle_names[c]) for c in shown]
        text = m(f"cycles.trend_{key}", first=said[0], later=join_list(said[1:], language)) + " "
    rows = {r["scale"]: r for r in cycles["across"]}
    tested = {code: r for code, r in rows.items() if _across_p(r) is not None}
    parts = []
    if "overall" in tested:
        r = tested["overall"]
        key = "cycles.overall_differs" if _across_p(r) < 0.05 else "cycles.overall_same"
        parts.append(m(key, n=len(r["cycles"]), stats=_across_stats(r)))
    dims = [code for code in tested if code != "overall"]
    differ = [names.get(c, c) for c in dims if _across_p(tested[c]) < 0.05]
    if dims and len(differ) == len(dims):
        parts.append(m("cycles.dimensions_all_differ"))
    elif differ:
        parts.append(m("cycles.dimensions_differ", names=join_list(differ, language)))
    elif dims:
        parts.append(m("cycles.dimensions_none_differ"))
    if parts:
        text += m("cycles.across_lead", n=len(order), findings=m.get("list.plain").join(parts), refs=refs)
    return text.strip()


def cycles_across_table_md(
    cycles: dict,
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-cycles-across",
    language: str = "th",
) -> str:
    """Per scale: Welch's F with its degrees of freedom, p and η²; Kruskal–Wallis' H, p and ε²
    (its df, the number of cycles less one, is said in the note; dashes where a test is not
    defined, said in the note too)."""
    rows = []
    for r in cycles["across"]:
        welch = r["welch_f"] is not None
        rows.append(
            [
                names.get(r["scale"], r["scale"]),
                f"{r['welch_f']:.2f}" if welch else "–",
                f"{r['welch_df1']:.0f},{NBSP}{r['welch_df2']:.2f}" if welch else "–",  # one line
                p_text(r["welch_p"]),
                p_text(r["eta_squared"]),
                "–" if r["kruskal_h"] is None else f"{r['kruskal_h']:.2f}",
                p_text(r["kruskal_p"]),
                p_text(r["rank_epsilon_squared"]),
            ]
        )
    header = [*table_header(language, "dimension"), "F", "df", "p", "η²", "H", "p", "ε²"]
    # the dimension's name is the only cell that may wrap: the number columns fit their numbers
    widths = {"th": [30, 9, 15, 9, 8, 9, 9, 8], "en": [28, 9, 15, 9, 8, 10, 9, 9]}[language]
    return markdown_table(header, rows, "lrrrrrrr", caption, label, widths)


def cycles_across_note(
    cycles: dict, names: dict[str, str], cycle_names: dict[str, str], language: str = "th"
) -> str:
    """The note under the across-cycles table: what F, H, η² and ε² are, and, from the rows'
    codes, where a test was not defined or a cycle was left out."""
    m = _m(language)
    parts = [m("cycles.across_note")]
    for code in ("no_variation", "fewer_than_two_cycles"):
        which = [names.get(r["scale"], r["scale"]) for r in cycles["across"] if r["code"] == code]
        if which:
            parts.append(m(f"cycles.codes.{code}", names=join_list(which, language)))
    left_out = sorted({c for r in cycles["across"] for c in r["left_out"]}, key=cycles["order"].index)
    if left_out:
        parts.append(
            m("cycles.codes.left_out", cycles=join_list([cycle_names[c] for c in left_out], language))
        )
    return m.get("list.plain").join(parts)


def cycles_adjacent_findings(
    cycles: dict, names: dict[str, str], cycle_names: dict[str, str], language: str = "th"
) -> str:
    """Each cycle against the one before in words (Holm-adjusted p, .05): for each pair the
    overall change and the dimensions that rose or fell."""
    m = _m(language)
    pairs: dict[tuple[str, str], list[dict]] = {}
    for r in cycles["adjacent"]:
        pairs.setdefault((r["cycle_before"], r["cycle_after"]), []).append(r)
    said = []
    for (before, after), rows in pairs.items():
        by_scale = {r["scale"]: r for r in rows}
        dims = [r for code, r in by_scale.items() if code != "overall"]
        up = [names.get(r["scale"], r["scale"]) for r in dims if r["verdict"] == "improved"]
        down = [names.get(r["scale"], r["scale"]) for r in dims if r["verdict"] == "declined"]
        parts = []
        if "overall" in by_scale:
            verdict = by_scale["overall"]["verdict"]
            key = {"improved": "pair_overall_up", "declined": "pair_overall_down"}.get(
                verdict, "pair_overall_same"
            )
            parts.append(m(f"cycles.{key}"))
        if up and len(up) == len(dims):
            parts.append(m("cycles.pair_all_up"))
        elif up:  # one dimension: "the only dimension that rose ... was", not "were"
            key = "cycles.pair_up" if len(up) > 1 else "cycles.pair_up_one"
            parts.append(m(key, names=join_list(up, language)))
        if down:
            key = "cycles.pair_down" if len(down) > 1 else "cycles.pair_down_one"
            parts.append(m(key, names=join_list(down, language)))
        if not up and not down and dims:
            parts.append(m("cycles.pair_no_dimension"))
        findings = m.get("list.plain").join(parts)
        said.append(m("cycles.pair", before=cycle_names[before], after=cycle_names[after], findings=findings))
    if not said:
        return ""
    return m("cycles.adjacent_lead", pairs=m.get("cycles.pair_joiner").join(said))


def cycles_adjacent_table_md(
    cycles: dict,
    names: dict[str, str],
    cycle_names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-cycles-adjacent",
    language: str = "th",
) -> str:
    """The cycle comparison table (:func:`comparison_cells` without the two means, which the
    trend shows) for every adjacent pair, each pair under a group row ``วงรอบที่ 1 → วงรอบที่ 2``,
    p Holm-adjusted within its family."""
    m = _m(language)
    rows, current = [], None
    for r in cycles["adjacent"]:
        pair = (r["cycle_before"], r["cycle_after"])
        if pair != current:
            current = pair
            before, after = (cycle_names[c].replace(" ", NBSP) for c in pair)  # a break only at the arrow
            title = m("cycles.pair_title", before=before, after=after)
            rows.append([f"**{title}**", *[""] * 5])
        cells = comparison_cells(r, names, language, r["p_holm"])
        rows.append([cells[0], *cells[3:]])  # the cycles' means are in the trend table and figure
    header = table_header(
        language, "dimension", "difference_star", "test", "p_holm", "effect_dz_g", "verdict"
    )
    widths = {"th": [30, 11, 18, 11, 11, 19], "en": [27, 16, 13, 10, 12, 22]}[language]
    return markdown_table(header, rows, "lrlrrc", caption, label, widths)


def _mixed_fitted(cycles: dict) -> list[dict]:
    return [r for r in cycles["mixed"] if r["code"] in ("ok", "singular_fit")]


def cycles_mixed_paragraph(
    cycles: dict, names: dict[str, str], cycle_names: dict[str, str], language: str = "th"
) -> str:
    """The mixed model in words: how many respondents answered in several cycles, the model,
    the overall score's change from the first to the latest cycle with its 95% CI and whether
    it is significant at .05, and the ICC; or why the model was not fitted (its code)."""
    m = _m(language)
    rows = cycles["mixed"]
    overall = [r for r in rows if r["scale"] == "overall"] or rows[:1]
    if not overall:
        return ""
    head = overall[0]
    order = cycles["order"]
    if head["code"] in ("too_few_repeated", "fewer_than_two_cycles"):
        return m(
            f"cycles.mixed_codes.{head['code']}",
            n=f"{head['n_repeated']:,}",
            minimum=cycles["min_repeated"],
        )
    text = m("cycles.mixed_lead", n=f"{head['n_repeated']:,}", total=f"{head['n_respondents']:,}")
    latest = [r for r in overall if r["term"] == "change" and r["cycle"] == order[-1]]
    if latest:
        r = latest[0]
        higher = r["estimate"] >= 0
        low, high = (
            (r["ci_low"], r["ci_high"]) if higher else (-r["ci_high"], -r["ci_low"])
        )  # of the decrease
        significance = "cycles.significant" if r["p"] < 0.05 else "cycles.not_significant"
        text += " " + m(
            "cycles.mixed_higher" if higher else "cycles.mixed_lower",
            latest=cycle_names[order[-1]],
            first=cycle_names[order[0]],
            estimate=fmt(abs(r["estimate"])),
            low=fmt(low),
            high=fmt(high),
            significance=m(significance),
            icc=fmt(r["icc"]),
        )
    elif head["code"] == "not_converged":
        text += " " + m("cycles.mixed_codes.not_converged", names=names.get("overall", "overall"))
    return text


def cycles_mixed_table_md(
    cycles: dict,
    names: dict[str, str],
    cycle_names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-cycles-mixed",
    language: str = "th",
) -> str:
    """Per scale (a group row with its ICC): each later cycle's change against the first with
    its 95% Wald CI and p; a scale whose model was not fitted shows dashes (said in the note)."""
    rows, first = [], cycles["order"][0]
    for scale in dict.fromkeys(r["scale"] for r in cycles["mixed"]):
        terms = [r for r in cycles["mixed"] if r["scale"] == scale]
        fitted = terms[0]["code"] in ("ok", "singular_fit")
        icc = fmt(terms[0]["icc"]) if fitted else "–"
        rows.append([f"**{names.get(scale, scale)}**", "", "", "", icc])
        for r in terms:
            if r["term"] == "change":
                rows.append(
                    [cycle_names[r["cycle"]], fmt(r["estimate"]), interval_text(r["ci_low"], r["ci_high"]),
                     p_text(r["p"]), ""]
                )  # fmt: skip
    header = [
        *table_header(language, "scale_cycle"),
        _m(language)("headers.change_from", cycle=cycle_names[first]),
        *table_header(language, "ci95"),
        "p",
        "ICC",
    ]
    widths = {"th": [31, 24, 22, 10, 10], "en": [30, 20, 22, 10, 10]}[language]
    return markdown_table(header, rows, "lrccr", caption, label, widths)


def cycles_mixed_note(
    cycles: dict, names: dict[str, str], cycle_names: dict[str, str], language: str = "th"
) -> str:
    """The note under the mixed-model table: the estimation, and the scales whose fit was
    singular or did not converge (from their codes)."""
    m = _m(language)
    parts = [m("cycles.mixed_note", first=cycle_names[cycles["order"][0]])]
    for code in ("singular_fit", "not_converged"):
        which = list(
            dict.fromkeys(names.get(r["scale"], r["scale"]) for r in cycles["mixed"] if r["code"] == code)
        )
        if which:
            parts.append(m(f"cycles.mixed_codes.{code}", names=join_list(which, language)))
    return m.get("list.plain").join(parts)


# --------------------------------------------------------------------------- text options
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
BE_OFFSET_YEARS = 543


def to_thai_digits(text: str) -> str:
    """Arabic digits written as Thai digits (4.34 → ๔.๓๔), the style of many official papers."""
    return text.translate(THAI_DIGITS)


def format_year(ce_year: int, era: str = "BE", language: str = "th") -> str:
    """A year in the chosen era: ``พ.ศ. 2564`` / ``ค.ศ. 2021`` (Thai), ``B.E. 2564`` / ``2021``."""
    m = _m(language)
    if era == "BE":
        return m("dates.year_be", year=ce_year + BE_OFFSET_YEARS)
    return m("dates.year_ce", year=ce_year)


def apply_text_options(text: str, thai_digits: bool) -> str:
    """The study's text options applied to a generated Thai paragraph."""
    return to_thai_digits(text) if thai_digits else text


# --------------------------------------------------------------------------- groups
def p_text(p: float | None) -> str:
    """p printed as the field does: ``< .001`` or three decimals."""
    if p is None:
        return "–"
    return "< .001" if p < 0.001 else f"{p:.3f}".removeprefix("0")


def p_relation(p: float | None) -> str:
    """``< .001`` or ``= .253``: p with its relation sign, for "p …" in text."""
    text = p_text(p)
    return text if text.startswith("<") or text == "–" else f"= {text}"


def group_table_md(
    comparisons: list[dict],
    names: dict[str, str],
    group_labels: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-groups",
    language: str = "th",
) -> str:
    """Mean (S.D.) per group for each scale, the parametric test with its p and effect size,
    and Kruskal–Wallis p."""
    m = _m(language)
    groups = comparisons[0]["groups"] if comparisons else []
    rows = []
    for c in comparisons:
        cells = [names.get(c["scale"], c["scale"])]
        by_group = {g: (mean, sd) for g, mean, sd in zip(c["groups"], c["means"], c["sds"], strict=True)}
        # with three groups or more the PDF's columns hold "4.69" over "(0.50)": every such cell
        # alike (one that happened to fit stood on one line); the DOCX stacks them itself
        stack = TYPST_LINE_BREAK if len(groups) >= 3 else ""
        cells += [
            f"{fmt(by_group[g][0])} {stack}({fmt(by_group[g][1])})" if g in by_group else "–" for g in groups
        ]
        if c["p"] is None:
            cells += ["–", "–", p_text(c["kruskal_p"])]
        else:
            stat = "F" if c["test"] == "Welch's ANOVA" else "t"
            cells += [
                f"{stat} = {c['statistic']:.2f}, p {p_relation(c['p'])}",
                f"{c['effect_size']:.3f}",
                p_text(c["kruskal_p"]),
            ]
        rows.append(cells)
    test = next((c["test"] for c in comparisons if c["test"]), "Welch")
    effect = next((c["effect_size_name"] for c in comparisons if c["effect_size_name"]), "")
    effect = m.get("effects").get(effect, effect)
    header = [
        *table_header(language, "dimension"),
        *[m("headers.group_mean_sd", group=group_labels.get(g, g)) for g in groups],
        m.get("groups.test_headers").get(test, test_name(test, language)),
        effect,
        "Kruskal–Wallis p",
    ]
    widths = [20, *([15] * len(groups)), 16, 9, 14]  # room for "Kruskal–" in the header
    return markdown_table(header, rows, "l" + "c" * (len(header) - 1), caption, label, widths)


def group_reason_text(comparison: dict, group_labels: Mapping[str, str], language: str = "th") -> str:
    """Why groups were not compared (or some were left out), from the comparison's
    ``note_codes`` and the groups they concern (:mod:`analysis.stats.groups`)."""
    m = _m(language)
    concerned = {"left_out": "left_out", "no_variation": "without_variation"}
    parts = []
    for code in comparison.get("note_codes") or []:
        groups = [group_labels.get(g, g) for g in comparison.get(concerned.get(code, ""), [])]
        parts.append(m(f"groups.reasons.{code}", groups=join_list(groups, language) if groups else ""))
    return m.get("list.plain").join(parts)


def group_sentence(
    comparisons: list[dict],
    names: dict[str, str],
    group_word: str = "",
    language: str = "th",
    group_labels: Mapping[str, str] | None = None,
) -> str:
    """Which scales differ between groups at .05 by the parametric test (with Kruskal–Wallis)."""
    m = _m(language)
    group_word = group_word or m("groups.default_word")
    tested = [c for c in comparisons if c["p"] is not None]
    if not tested:
        reasons = sorted({group_reason_text(c, group_labels or {}, language) for c in comparisons} - {""})
        return m("groups.not_compared", reasons=m.get("list.plain").join(reasons)) if reasons else ""
    differ = [names.get(c["scale"], c["scale"]) for c in tested if c["p"] < 0.05]
    text = m("groups.lead", group_word=group_word, test=test_name(tested[0]["test"], language))
    if not differ:
        return text + m("groups.no_difference", group_word=group_word)
    return text + m("groups.differ", names=join_list(differ, language))


def sample_table_md(
    table: list[dict], *, caption: str, label: str = "tbl-sample", language: str = "th"
) -> str:
    """Population, responses, response rate and the required samples, per group and overall."""
    rows = []
    total = _m(language)("names.total")
    for r in table:
        fallback = total if r["group"] == "overall" else (r.get("label_th") or r["group"])
        name = r.get(f"label_{language}") or fallback
        if r.get("population") is None:
            rows.append([name, "–", str(r["n"]), "–", "–", "–"])
            continue
        short = "*"
        rows.append(
            [
                name,
                f"{r['population']:,}",
                f"{r['n']:,}",
                f"{r['response_rate']:.2f}",
                f"{r['required_krejcie_morgan']:,}" + ("" if r["adequate_krejcie_morgan"] else short),
                f"{r['required_yamane']:,}" + ("" if r["adequate_yamane"] else short),
            ]
        )
    header = table_header(language, "group", "population", "responses", "pct_population", "krejcie", "yamane")
    return markdown_table(header, rows, "lrrrrr", caption, label, [26, 14, 14, 14, 16, 16])


def software_text(software: dict[str, str]) -> str:
    """``Python 3.11.7, matplotlib 3.11.2, numpy 2.4.6, ...``: the run's software versions,
    Python (spelt as its makers spell it) first, then the libraries sorted by name."""
    rest = sorted((k, v) for k, v in software.items() if k != "python")
    first = [("Python", software["python"])] if "python" in software else []
    return ", ".join(f"{k} {v}" for k, v in first + rest)


def statistics_used(results: dict, language: str = "th") -> list[str]:
    """The statistics this run actually computed, one line each, for the methods section."""
    rel = results.get("reliability") or {}
    groups = (results.get("descriptives") or {}).get("groups") or {}
    used = {
        "descriptives": True,
        "reliability": bool(rel.get("scales")),
        "bootstrap": bool(rel.get("n_boot")),
        "ioc": bool(rel.get("ioc")),
        "cfa": bool(rel.get("cfa") and rel["cfa"].get("fitted")),
        "groups": any(c.get("p") is not None for c in groups.get("comparisons", [])),
        "stability": (rel.get("stability") or {}).get("code") == "ok",
        "pdca": bool((results.get("pdca") or {}).get("comparisons")),
        "cycles": bool((results.get("pdca") or {}).get("cycles")),
        "mixed": any(
            r["code"] in ("ok", "singular_fit")
            for r in ((results.get("pdca") or {}).get("cycles") or {}).get("mixed", [])
        ),
    }
    suggestions = results.get("suggestions") or {}
    if suggestions.get("code") == "ok":  # how the free-text answers were summarised
        used["suggestions_themes" if suggestions.get("themes") else "suggestions_words"] = True
    m = _m(language)
    return [m(f"statistics.{key}") for key, on in used.items() if on]


# --------------------------------------------------------------------------- CFA and sample sentences
def not_fitted_reason(result: Any, language: str, names: dict[str, str] | None = None) -> str:
    """Why the CFA was not fitted, from its reason code; ``names`` turns dimension codes into
    names."""
    names = names or {}
    m = _m(language)
    values = [names.get(x, x) if isinstance(x, str) else x for x in _get(result, "reason_values") or []]
    reason = _get(result, "reason") or ""
    reasons = m.get("cfa.not_fitted_reasons")
    if reason not in reasons:
        return reason
    fields = {
        "names": join_list([str(v) for v in values], language) if values else "",
        "items": ", ".join(map(str, values)),
        "first": values[0] if values else "",
        "second": values[1] if len(values) > 1 else "",
    }
    return str(reasons[reason]).format_map(fields)


def fit_sentence(result: Any, language: str = "th", names: dict[str, str] | None = None) -> str:
    """The CFA's fit against Hu & Bentler's (1999) cut-offs, or why it was not fitted; ``result``
    is a :class:`analysis.stats.validity.CfaResult` or its dict in the results."""
    m = _m(language)
    if not _get(result, "fitted"):
        return m("cfa.not_fitted", reason=not_fitted_reason(result, language, names))
    meets = _get(result, "meets") or {}
    met = [k.upper() for k, ok in meets.items() if ok]
    missed = [k.upper() for k, ok in meets.items() if not ok]
    if not missed:
        verdict = m("cfa.fits")
    elif met:
        verdict = m("cfa.fits_partly", met=", ".join(met), missed=", ".join(missed))
    else:
        verdict = m("cfa.does_not_fit", missed=", ".join(missed))
    g = lambda key: _get(result, key)  # noqa: E731 - one-letter reader of the result's fields
    cautions = "".join(
        m("cfa.small_sample", n=f"{values[0]:,}", minimum=f"{values[1]:,}")
        for kind, *values in g("warning_codes") or []
        if kind == "small_sample"
    )
    return (
        m(
            "cfa.sentence",
            verdict=verdict,
            chi2=f"{g('chi2'):.2f}",
            df=g("df"),
            cfi=f"{g('cfi'):.3f}",
            tli=f"{g('tli'):.3f}",
            rmsea=f"{g('rmsea'):.3f}",
            rmsea_low=f"{g('rmsea_ci_low'):.3f}",
            rmsea_high=f"{g('rmsea_ci_high'):.3f}",
            srmr=f"{g('srmr'):.3f}",
            n=f"{g('n_obs'):,}",
        )
        + cautions
    )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _returned(overall: Mapping, language: str) -> str:
    """How many questionnaires came back: of those sent when the study says how many were
    sent, else as a share of the population (said as such, not as a return rate)."""
    m = _m(language)
    if not _missing(overall.get("sent")):
        return m(
            "sample.returned_of_sent",
            sent=f"{int(overall['sent']):,}",
            n=f"{overall['n']:,}",
            rate=f"{overall['return_rate']:.2f}",
        )
    if _missing(overall.get("population")):
        return m("sample.returned", n=f"{overall['n']:,}")
    return m("sample.share_of_population", n=f"{overall['n']:,}", rate=f"{overall['response_rate']:.2f}")


def adequacy_sentence(table: pd.DataFrame | list[dict], language: str = "th") -> str:
    """The sentence the methods section prints: the population and the required sizes, the
    questionnaires returned, the overall verdict, then (several groups) the groups whose
    responses fall short of their proportional share."""
    m = _m(language)
    rows = table.to_dict(orient="records") if isinstance(table, pd.DataFrame) else list(table)
    overall = next(r for r in rows if r["group"] == "overall")
    if _missing(overall.get("population")):
        return _returned(overall, language) + m("sample.no_population")
    km, yamane = bool(overall["adequate_krejcie_morgan"]), bool(overall["adequate_yamane"])
    if km and yamane:
        verdict = m("sample.adequate_both")
    elif km or yamane:
        verdict = m("sample.adequate_one", which=m("sample.yamane" if yamane else "sample.krejcie_morgan"))
    else:
        verdict = m("sample.inadequate")
    text = m(
        "sample.sentence",
        population=f"{int(overall['population']):,}",
        krejcie_morgan=f"{overall['required_krejcie_morgan']:,}",
        yamane=f"{overall['required_yamane']:,}",
        returned=_returned(overall, language),
        verdict=verdict,
    )
    groups = [r for r in rows if r["group"] != "overall"]
    if groups and all(not _missing(r.get("population")) for r in groups):
        text += m("sample.allocated")
        short = [
            r.get(f"label_{language}") or r["label_th"] for r in groups if not r["adequate_krejcie_morgan"]
        ]
        if short:
            text += m("sample.groups_short", groups=m.get("sample.group_joiner").join(short))
        else:
            text += m("sample.groups_ok")
    return text + m("sample.end")


# --------------------------------------------------------------------------- suggestions (ข้อเสนอแนะ)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~^@\"'=:])")


def escape_markdown(text: str) -> str:
    """Typed text as literal Markdown: every character that could make a link, a citation, a
    heading, emphasis or a formula is backslash-escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def quoted_answer(text: str, language: str = "th") -> str:
    """A redacted answer as the write-up quotes it: the placeholders of redaction (``[name]``) in
    the edition's words (``[ชื่อ]``), escaped (:func:`escape_markdown`), inside quotation marks."""
    placeholders = _m(language).get("suggestions.placeholders")
    parts = re.split(r"(\[[a-z][a-z\-]*\])", text)
    out = []
    for part in parts:
        kind = part[1:-1] if part.startswith("[") and part.endswith("]") else ""
        out.append(escape_markdown(f"[{placeholders.get(kind, kind)}]" if kind else part))
    return _m(language)("suggestions.quote", text="".join(out))


def suggestion_cycles(suggestions: dict, report_cycle: str) -> list[dict]:
    """The cycles the suggestion tables show: those with suggestions, up to the report cycle."""
    shown = []
    for c in suggestions["cycles"]:
        if c["n_suggestions"]:
            shown.append(c)
        if c["cycle"] == report_cycle:
            break
    return shown


def theme_name(row: dict, suggestions: dict, language: str = "th") -> str:
    """A suggestion theme as the edition names it: the themes file's Thai name, its ``name_en``
    in the English edition, or there, when the file gives none, the catalogue's
    ``suggestions.no_name_en`` (the Thai name and which key of which file to fill in)."""
    if language == "th":
        return row["theme"]
    file = suggestions.get("themes_file") or "themes.yaml"
    return row.get("name_en") or _m(language)("suggestions.no_name_en", theme=row["theme"], file=file)


def themes_by_frequency(suggestions: dict, report_cycle: str) -> list[dict]:
    """The themes as the table lists them: most frequent in the report cycle first."""
    return _by_report_cycle(suggestions["themes"], report_cycle, "count", "count_all")


def _by_report_cycle(rows: list[dict], report_cycle: str, counts: str, total: str) -> list[dict]:
    """Rows by frequency in the report cycle, then over all cycles, then as configured."""
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (-r[counts].get(report_cycle, 0), -r[total], order[id(r)]))


def suggestion_theme_table_md(
    suggestions: dict,
    cycle_names: Mapping[str, str],
    report_cycle: str,
    *,
    caption: str,
    label: str = "tbl-suggestions",
    language: str = "th",
) -> str:
    """ข้อเสนอแนะ (ความถี่): each theme's number of answers and their percentage of the cycle's
    suggestions, per cycle (n = answers with a suggestion in the header), the most frequent
    theme of the report cycle first."""
    m = _m(language)
    cycles = suggestion_cycles(suggestions, report_cycle)
    header = [m("headers.suggestion")]
    for c in cycles:
        header += [m("headers.suggestion_count", cycle=cycle_names[c["cycle"]], n=c["n_suggestions"])
                   .replace(" = ", f"{NBSP}={NBSP}"),  # "n = 90" on one line
                   m("headers.suggestion_percent")]  # fmt: skip
    rows = [
        [
            theme_name(r, suggestions, language),
            *[cell for c in cycles for cell in (str(r["count"][c["cycle"]]), fmt(r["percent"][c["cycle"]]))],
        ]
        for r in themes_by_frequency(suggestions, report_cycle)
    ]
    k = max(1, len(cycles))
    theme, percent = (28, 10) if k < 3 else (22, 10)  # ร้อยละ and 100.00 fit on one line
    widths = [theme] + [(100 - theme - percent * k) // k, percent] * len(cycles)
    return markdown_table(header, rows, "l" + "r" * 2 * len(cycles), caption, label, widths)


def suggestion_word_table_md(
    suggestions: dict,
    cycle_names: Mapping[str, str],
    report_cycle: str,
    *,
    caption: str,
    label: str = "tbl-suggestions",
    language: str = "th",
) -> str:
    """The most frequent content words of the suggestions (no themes file): per cycle the
    number of answers using the word, and in all, the most frequent in the report cycle first."""
    m = _m(language)
    cycles = suggestion_cycles(suggestions, report_cycle)
    header = [
        m("headers.suggestion_word"),
        *[
            m("headers.suggestion_answers", cycle=cycle_names[c["cycle"]], n=c["n_suggestions"]).replace(
                " = ", f"{NBSP}={NBSP}"
            )
            for c in cycles
        ],
        m("names.total"),
    ]
    rows = [
        [r["word"], *[str(r["answers_by_cycle"][c["cycle"]]) for c in cycles], str(r["answers"])]
        for r in _by_report_cycle(suggestions["top_words"], report_cycle, "answers_by_cycle", "answers")
    ]
    widths = [34] + [66 // (len(cycles) + 1)] * (len(cycles) + 1)
    return markdown_table(header, rows, "l" + "r" * (len(cycles) + 1), caption, label, widths)


def suggestions_sentence(suggestions: dict, report_cycle: str, cycle_name: str, language: str = "th") -> str:
    """How many respondents of the report cycle wrote a suggestion (count and percentage) and,
    with themes, the most frequent one; one sentence when nobody wrote one."""
    m = _m(language)
    cycle = next((c for c in suggestions["cycles"] if c["cycle"] == report_cycle), None)
    if suggestions["code"] != "ok" or cycle is None or not cycle["n_suggestions"]:
        return m("suggestions.none", cycle=cycle_name)
    text = m(
        "suggestions.written",
        cycle=cycle_name,
        n=f"{cycle['n_suggestions']:,}",
        total=f"{cycle['n_rows']:,}",
        percent=fmt(100 * cycle["n_suggestions"] / cycle["n_rows"]),
    )
    themes = themes_by_frequency(suggestions, report_cycle)
    if themes and themes[0]["count"][report_cycle]:
        top = themes[0]
        text += m(
            "suggestions.most_frequent",
            theme=theme_name(top, suggestions, language),
            n=f"{top['count'][report_cycle]:,}",
            percent=fmt(top["percent"][report_cycle]),
        )
    if suggestions["themes"] or suggestions["top_words"]:
        text += m("refs.shown", refs="[@tbl-suggestions]")
    return text
