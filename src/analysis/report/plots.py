"""The charts and diagrams of the write-up, drawn in Sarabun and saved as PNG, SVG and PDF.

Drawing only: every word a chart shows (labels, axis titles, legends, the synthetic-data mark)
is given by the caller, :mod:`analysis.report.figures`, which takes it from the message
catalogue and the study's own names; nothing here is in any language. Figures are built with
:class:`matplotlib.figure.Figure` directly (no pyplot state, no GUI backend).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.report.fonts import use_thai_font


def mark_synthetic(fig: Figure, mark: str) -> None:
    """Write the synthetic-data notice ``mark`` in the figure's bottom-right corner (none when
    ``mark`` is empty: real data)."""
    if mark:
        fig.text(0.99, 0.01, mark, ha="right", va="bottom", fontsize=8, color="#b03030")


FIGURE_FORMATS = ("png", "pdf")


def figure_file_names(name: str, formats: tuple[str, ...] = FIGURE_FORMATS) -> dict[str, str]:
    """The files :func:`save_figure` writes for the figure ``name``, by format."""
    return {fmt: f"{name}.{fmt}" for fmt in formats}


def save_figure(
    fig: Figure, out_dir: str | Path, name: str, formats: tuple[str, ...] = FIGURE_FORMATS
) -> dict[str, str]:
    """Save ``fig`` as ``name.png`` (200 dpi: what the HTML, DOCX and PDF write-ups show) and
    ``name.pdf`` (vector: the submission package's copy) without timestamps, so that the same
    data give the same bytes (``formats`` picks one or both; PNG first). The PDF embeds Sarabun
    as a TrueType subset (``pdf.fonttype = 42``), so it shows Thai correctly on machines
    without the font."""
    import matplotlib as mpl

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = figure_file_names(name, formats)
    if "png" in files:
        fig.savefig(out / files["png"], dpi=200, bbox_inches="tight", metadata={"Software": None})
    if "pdf" in files:
        with mpl.rc_context({"pdf.fonttype": 42}):
            fig.savefig(
                out / files["pdf"],
                bbox_inches="tight",
                metadata={"CreationDate": None, "Creator": None, "Producer": None},
            )
    return files


def dimension_means_chart(
    dimensions: pd.DataFrame,
    overall_mean: float,
    *,
    xlabel: str,
    scale_min: int = 1,
    scale_max: int = 5,
    mark: str = "",
) -> Figure:
    """Horizontal bars of each dimension's mean with ±1 S.D. error bars, in the codebook's
    order (``order``), named by ``label``, and a dashed line at the overall mean."""
    use_thai_font()
    frame = dimensions.sort_values("order", ascending=False)
    names = frame["label"]
    fig = Figure(figsize=(6.5, 0.5 * len(frame) + 1.3))
    ax = fig.subplots()
    y = np.arange(len(frame))
    ax.barh(
        y,
        frame["mean"] - scale_min,
        left=scale_min,
        xerr=frame["sd"],
        color="#3a6ea5",
        error_kw={"ecolor": "#444444", "capsize": 3, "lw": 1},
    )
    for yi, m in zip(y, frame["mean"], strict=True):
        ax.text(scale_min + 0.05, yi, f"{m:.2f}", va="center", ha="left", color="white", fontsize=10)
    ax.axvline(overall_mean, color="#c0504d", ls="--", lw=1.2)
    ax.set_yticks(y, [f"{n}" for n in names])
    ax.set_xlim(scale_min, scale_max + 0.6)
    ax.set_xticks(range(scale_min, scale_max + 1))
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(rect=(0, 0.04 if mark else 0, 1, 1))
    mark_synthetic(fig, mark)
    return fig


def cycle_change_chart(
    comparison: pd.DataFrame,
    names: dict[str, str],
    cycle_names: tuple[str, str],
    *,
    xlabel: str,
    scale_min: int = 1,
    scale_max: int = 5,
    mark: str = "",
) -> Figure:
    """Dumbbell chart: each scale's mean in the earlier and the later cycle, with the 95% CI
    of each mean when the comparison table has it."""
    use_thai_font()
    frame = comparison.iloc[::-1].reset_index(drop=True)
    fig = Figure(figsize=(6.5, 0.5 * len(frame) + 1.5))
    ax = fig.subplots()
    y = np.arange(len(frame))
    ax.hlines(y, frame["mean_before"], frame["mean_after"], color="#999999", lw=2)
    if {"ci_before_low", "ci_after_low"} <= set(frame.columns):  # 95% CI of each cycle's mean
        for side, colour, dy in (("before", "#9bbb59", -0.12), ("after", "#3a6ea5", 0.12)):
            mean = frame[f"mean_{side}"]
            err = np.vstack([mean - frame[f"ci_{side}_low"], frame[f"ci_{side}_high"] - mean])
            ax.errorbar(mean, y + dy, xerr=err, fmt="none", ecolor=colour, capsize=3, lw=1)
    ax.scatter(frame["mean_before"], y, color="#9bbb59", s=45, zorder=3, label=cycle_names[0])
    ax.scatter(frame["mean_after"], y, color="#3a6ea5", s=45, zorder=3, label=cycle_names[1])
    ax.set_yticks(y, [names.get(s, s) for s in frame["scale"]])
    lo = max(scale_min, float(np.nanmin(frame[["mean_before", "mean_after"]].to_numpy())) - 0.4)
    ax.set_xlim(lo, scale_max)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(rect=(0, 0.04 if mark else 0, 1, 1))
    mark_synthetic(fig, mark)
    return fig


def cycle_trend_chart(
    means: pd.DataFrame,
    names: dict[str, str],
    cycle_names: dict[str, str],
    *,
    ylabel: str,
    scale_min: int = 1,
    scale_max: int = 5,
    mark: str = "",
) -> Figure:
    """Small multiples, one panel per scale in the order of ``names`` (the overall score
    last, in its own colour): each cycle's mean with its 95% CI as an error bar, joined by a
    line, cycles on x in the order of ``cycle_names`` (code → short name). Every panel has the
    same y range (the lowest and highest CI bound, widened by 0.1 within the scale), so slopes
    compare across panels. ``means`` has ``scale``, ``cycle``, ``mean``, ``ci_low``, ``ci_high``
    (:func:`analysis.stats.cycles.cycle_means`)."""
    use_thai_font()
    scales = [s for s in names if (means["scale"] == s).any()]
    order = list(cycle_names)
    ncols = 4 if len(scales) > 6 else 3 if len(scales) > 4 else max(len(scales), 1)
    nrows = -(-len(scales) // ncols)
    fig = Figure(figsize=(7.0, 2.15 * nrows + 0.5))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharey=True, squeeze=False)).ravel()
    low = np.nanmin(means["ci_low"].fillna(means["mean"]).to_numpy(float))
    high = np.nanmax(means["ci_high"].fillna(means["mean"]).to_numpy(float))
    ylim = (max(scale_min, low - 0.1), min(scale_max, high + 0.1))
    x = np.arange(len(order))
    rotate = len(order) > 3 or max(len(n) for n in cycle_names.values()) > 12
    for ax, scale in zip(axes, scales, strict=False):
        part = means[means["scale"] == scale].set_index("cycle").reindex(order)
        colour = "#c0504d" if scale == "overall" else "#3a6ea5"
        mean = part["mean"].to_numpy(float)
        err = np.vstack([mean - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - mean])
        ax.errorbar(x, mean, yerr=err, color=colour, marker="o", ms=4, lw=1.5, capsize=3, elinewidth=1)
        for xi, m in zip(x, mean, strict=True):
            if not np.isnan(m):
                ax.annotate(f"{m:.2f}", (xi, m), xytext=(5, 0), textcoords="offset points",
                            fontsize=7, va="center", color="#333333")  # fmt: skip
        ax.set_title(wrap_words(names[scale], 22), fontsize=8.5, linespacing=1.1)
        ax.set_xticks(x, [cycle_names[c] for c in order], fontsize=7,
                      rotation=30 if rotate else 0, ha="right" if rotate else "center")  # fmt: skip
        ax.set_xlim(-0.4, len(order) - 0.4)
        ax.set_ylim(*ylim)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", color="#e0e0e0", lw=0.6)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes[len(scales) :]:
        ax.set_visible(False)
    for ax in axes[::ncols]:
        ax.set_ylabel(ylabel, fontsize=8)
    fig.tight_layout(rect=(0, 0.04 if mark else 0, 1, 1))
    mark_synthetic(fig, mark)
    return fig


DIVERGING_COLOURS = ("#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac")


def diverging_stacked_bar_chart(
    items: pd.DataFrame,
    points: list[tuple[int, str]],
    *,
    xlabel: str,
    mark: str = "",
) -> Figure:
    """Answers per item as a diverging stacked bar (Robbins & Heiberger, 2011): the share of
    each scale point, disagreeing points left of zero, agreeing points right, the middle point
    split across zero. ``items`` has ``label`` and ``pct_<value>`` columns (from
    :func:`analysis.stats.descriptives.describe_items`); ``points`` is (value, label) low to high."""
    use_thai_font()
    frame = items.iloc[::-1].reset_index(drop=True)
    k = len(points)
    colours = DIVERGING_COLOURS if k == 5 else [mpl_colour(i, k) for i in range(k)]
    mid = (k - 1) / 2
    fig = Figure(figsize=(7.0, 0.28 * len(frame) + 1.6))
    ax = fig.subplots()
    y = np.arange(len(frame))
    pct = np.column_stack([frame[f"pct_{v}"].fillna(0).to_numpy() for v, _ in points])
    # left edge: minus everything below the middle (and half the middle point if k is odd)
    below = pct[:, : int(np.floor(mid))].sum(axis=1) + (pct[:, int(mid)] / 2 if k % 2 else 0)
    left = -below
    for j, (_, label) in enumerate(points):
        ax.barh(
            y, pct[:, j], left=left, color=colours[j], label=label, height=0.75, edgecolor="white", lw=0.3
        )
        left = left + pct[:, j]
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, frame["label"].tolist(), fontsize=8)
    ax.set_xlim(-min(100, 10 * np.ceil((below.max() + 3) / 10)), 100)
    ax.xaxis.set_major_formatter(lambda v, _p: f"{abs(v):.0f}%")
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=k, frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(rect=(0, 0.03 if mark else 0, 1, 1))
    mark_synthetic(fig, mark)
    return fig


def mpl_colour(i: int, k: int) -> tuple:
    """Colour *i* of *k* on a diverging red-blue map (for scales other than 5 points)."""
    from matplotlib import colormaps

    return colormaps["RdBu"](0.1 + 0.8 * i / max(k - 1, 1))


def radar_chart(
    dimensions: pd.DataFrame,
    *,
    scale_min: int = 1,
    scale_max: int = 5,
    mark: str = "",
) -> Figure:
    """A radar (spider) chart of the dimension means, one axis per dimension in codebook
    order (``order``) named by ``label``, the radius running from the scale's minimum to its
    maximum."""
    use_thai_font()
    frame = dimensions.sort_values("order")
    names = frame["label"].tolist()
    angles = np.linspace(0, 2 * np.pi, len(frame), endpoint=False)
    closed = np.append(angles, angles[0])
    values = np.append(frame["mean"].to_numpy(), frame["mean"].iloc[0])
    fig = Figure(figsize=(6.5, 5.6))
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.plot(closed, values, color="#3a6ea5", lw=2)
    ax.fill(closed, values, color="#3a6ea5", alpha=0.25)
    for a, v in zip(angles, frame["mean"], strict=True):
        ax.text(a, v - 0.3, f"{v:.2f}", ha="center", va="center", fontsize=9, color="#1f3f66")
    ax.set_xticks(angles, names, fontsize=9)
    ax.tick_params(axis="x", pad=14)
    ax.set_ylim(scale_min, scale_max)
    ax.set_yticks(range(scale_min, scale_max + 1))
    ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout(rect=(0, 0.04 if mark else 0, 1, 1))
    mark_synthetic(fig, mark)
    return fig


def attainment_chart(table: pd.DataFrame, *, xlabel: str, mark: str = "") -> Figure:
    """Horizontal bars of % attainment per indicator (named by ``label``) in one cycle, a line
    at 100%, bars of met targets in blue and unmet in red; indicators without a judgement are
    left out."""
    use_thai_font()
    frame = table.dropna(subset=["attainment_pct"]).iloc[::-1].reset_index(drop=True)
    fig = Figure(figsize=(6.8, 0.45 * max(len(frame), 1) + 1.4))
    ax = fig.subplots()
    y = np.arange(len(frame))
    colours = ["#3a6ea5" if bool(m) else "#c0504d" for m in frame["met"]]
    ax.barh(y, frame["attainment_pct"], color=colours)
    for yi, v in zip(y, frame["attainment_pct"], strict=True):
        ax.text(v + 1, yi, f"{v:.0f}%", va="center", fontsize=8)
    ax.axvline(100, color="#333333", ls="--", lw=1)
    ax.set_yticks(y, frame["label"].tolist(), fontsize=8)
    ax.set_xlim(0, max(130.0, float(frame["attainment_pct"].max()) + 15) if len(frame) else 130)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(rect=(0, 0.04 if mark else 0, 1, 1))
    mark_synthetic(fig, mark)
    return fig


def _box(ax, xy: tuple[float, float], title: str, text: str, colour: str, width: float = 0.34) -> None:
    from matplotlib.patches import FancyBboxPatch

    x, y = xy
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - 0.1), width, 0.2, boxstyle="round,pad=0.02", fc=colour, ec="#333333", lw=1
        )
    )
    ax.text(x, y + 0.045, title, ha="center", va="center", fontsize=11, weight="bold")
    ax.text(x, y - 0.045, wrap_phrases(text, 24), ha="center", va="center", fontsize=8.5, linespacing=1.1)


def wrap_phrases(text: str, width: int) -> str:
    """Break Thai text into lines at the spaces between phrases (Thai has no spaces between
    words, so only those are safe break points), each line at most about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def wrap_words(text: str, width: int) -> str:
    """Break a name into lines of about ``width`` characters between words: spaces, and the
    Thai word groups of :func:`analysis.report.thai_text.word_groups` (Thai has no spaces
    between words, so a line may only break where a reader would)."""
    from analysis.report.thai_text import word_groups

    lines: list[str] = []
    for phrase in text.split():
        for group in word_groups(phrase):
            if lines and len(lines[-1]) + len(group) <= width:
                lines[-1] += group
            else:
                lines.append(group)
        lines[-1] += " "
    return "\n".join(line.strip() for line in lines)


DIAGRAM_ARROW = {"arrowstyle": "-|>", "color": "#333333", "lw": 1.5, "mutation_scale": 14}


def _diagram_canvas(size: tuple[float, float], xlim: tuple[float, float]):
    """A blank figure for a method diagram: unit axes without frame or ticks."""
    use_thai_font()
    fig = Figure(figsize=size)
    ax = fig.subplots()
    ax.set_xlim(*xlim)
    ax.set_ylim(0, 1)
    ax.axis("off")
    return fig, ax


PDCA_STEPS = ("plan", "do", "check", "act")
SYSTEM_STEPS = ("input", "process", "output")


def pdca_diagram(titles: dict[str, str], texts: dict[str, str]) -> Figure:
    """The PDCA cycle (Deming): Plan → Do → Check → Act → Plan; each box has its title and the
    study's text (both keyed by :data:`PDCA_STEPS`). (A method diagram from the narrative
    file: it shows no data, so it carries no data notice.)"""
    fig, ax = _diagram_canvas((6.5, 4.6), (0, 1))
    places = ((0.27, 0.74), (0.73, 0.74), (0.73, 0.26), (0.27, 0.26))
    colours = ("#dbe8f5", "#e2f0d9", "#fff2cc", "#fbe5d6")
    for key, xy, colour in zip(PDCA_STEPS, places, colours, strict=True):
        _box(ax, xy, titles[key], texts[key], colour, width=0.4)
    for (a, b) in [((0.48, 0.74), (0.52, 0.74)), ((0.73, 0.62), (0.73, 0.38)), ((0.52, 0.26), (0.48, 0.26)),
                   ((0.27, 0.38), (0.27, 0.62))]:  # fmt: skip
        ax.annotate("", xy=b, xytext=a, arrowprops=DIAGRAM_ARROW)
    fig.tight_layout()
    return fig


def system_diagram(titles: dict[str, str], texts: dict[str, str], feedback: str) -> Figure:
    """System theory: Input → Process → Output (boxes with their titles and the study's texts,
    keyed by :data:`SYSTEM_STEPS`), with the ``feedback`` line from Output back to Input.
    (A method diagram from the narrative file: it shows no data, so it carries no data notice.)"""
    fig, ax = _diagram_canvas((7.0, 3.2), (-0.02, 1.02))
    places = ((0.15, 0.68), (0.5, 0.68), (0.85, 0.68))
    colours = ("#dbe8f5", "#e2f0d9", "#fff2cc")
    for key, xy, colour in zip(SYSTEM_STEPS, places, colours, strict=True):
        _box(ax, xy, titles[key], texts[key], colour, width=0.27)
    ax.annotate("", xy=(0.345, 0.68), xytext=(0.305, 0.68), arrowprops=DIAGRAM_ARROW)
    ax.annotate("", xy=(0.695, 0.68), xytext=(0.655, 0.68), arrowprops=DIAGRAM_ARROW)
    ax.plot([0.85, 0.85, 0.15], [0.56, 0.3, 0.3], color="#333333", lw=1.5)
    ax.annotate("", xy=(0.15, 0.56), xytext=(0.15, 0.3), arrowprops=DIAGRAM_ARROW)
    ax.text(0.5, 0.2, feedback, ha="center", va="top", fontsize=9)
    fig.tight_layout()
    return fig
