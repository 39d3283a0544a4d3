"""Figures for the write-up, with Thai text in Sarabun, saved as PNG and SVG.

Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot state, no GUI
backend), which also keeps each notebook's start-up short.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.fonts import use_thai_font

SYNTHETIC_MARK = {
    "th": "ข้อมูลสังเคราะห์เพื่อการสาธิต — ไม่ใช่ข้อมูลจริง",
    "en": "Synthetic demonstration data — not real responses",
}


def mark_synthetic(fig: Figure, synthetic: bool, language: str = "th") -> None:
    """Write the synthetic-data notice in the figure's bottom-right corner (only if synthetic)."""
    if synthetic:
        fig.text(0.99, 0.01, SYNTHETIC_MARK[language], ha="right", va="bottom", fontsize=8, color="#b03030")


def save_figure(fig: Figure, out_dir: str | Path, name: str) -> dict[str, str]:
    """Save ``fig`` as ``name.png`` (200 dpi) and ``name.svg`` without timestamps, so that
    the same data give the same bytes."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    fig.savefig(png, dpi=200, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return {"png": png.name, "svg": svg.name}


def dimension_means_chart(
    dimensions: pd.DataFrame,
    overall_mean: float,
    *,
    scale_min: int = 1,
    scale_max: int = 5,
    language: str = "th",
    synthetic: bool = False,
) -> Figure:
    """Horizontal bars of each dimension's mean with ±1 S.D. error bars, in the codebook's
    order, and a dashed line at the overall mean."""
    use_thai_font()
    frame = dimensions.sort_values("order", ascending=False)
    names = frame["name_th" if language == "th" else "name_en"]
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
    label = {
        "th": ("ค่าเฉลี่ย (เส้นประ = ค่าเฉลี่ยโดยรวม; แถบ = ±1 S.D.)"),
        "en": "Mean (dashed line = overall mean; bars = ±1 S.D.)",
    }[language]
    ax.set_xlabel(label)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(rect=(0, 0.04 if synthetic else 0, 1, 1))
    mark_synthetic(fig, synthetic, language)
    return fig


def cycle_change_chart(
    comparison: pd.DataFrame,
    names: dict[str, str],
    cycle_names: tuple[str, str],
    *,
    scale_min: int = 1,
    scale_max: int = 5,
    language: str = "th",
    synthetic: bool = False,
) -> Figure:
    """Dumbbell chart: each scale's mean in the earlier and the later cycle."""
    use_thai_font()
    frame = comparison.iloc[::-1].reset_index(drop=True)
    fig = Figure(figsize=(6.5, 0.5 * len(frame) + 1.5))
    ax = fig.subplots()
    y = np.arange(len(frame))
    ax.hlines(y, frame["mean_before"], frame["mean_after"], color="#999999", lw=2)
    ax.scatter(frame["mean_before"], y, color="#9bbb59", s=45, zorder=3, label=cycle_names[0])
    ax.scatter(frame["mean_after"], y, color="#3a6ea5", s=45, zorder=3, label=cycle_names[1])
    ax.set_yticks(y, [names.get(s, s) for s in frame["scale"]])
    lo = max(scale_min, float(np.nanmin(frame[["mean_before", "mean_after"]].to_numpy())) - 0.4)
    ax.set_xlim(lo, scale_max)
    ax.set_xlabel("ค่าเฉลี่ย" if language == "th" else "Mean")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(rect=(0, 0.04 if synthetic else 0, 1, 1))
    mark_synthetic(fig, synthetic, language)
    return fig
