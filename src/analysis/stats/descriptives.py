"""Descriptive statistics per item, per dimension and overall, with levels and ranks.

* Item: n, x̄, S.D. (n − 1 denominator), median, skewness, % answering each scale point.
* Dimension score of a respondent: the mean of the items of the dimension they answered.
* Overall score of a respondent: the mean of all items they answered.
* Overall S.D. is given in two definitions, which differ a lot in practice:
  ``sd_respondents`` — S.D. of respondents' overall scores, and
  ``sd_pooled`` — S.D. of all item answers pooled together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config.codebook import Codebook
from analysis.config.criteria import Criterion
from analysis.stats.interpretation import interpret_mean, rank_descending


def respondent_scores(data: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per respondent: each dimension's score and the overall score (means of the
    answered items)."""
    scores = pd.DataFrame(index=data.index)
    for dim in codebook.dimensions:
        scores[dim.code] = data[codebook.dimension_items(dim.code)].astype("Float64").mean(axis=1)
    scores["overall"] = data[codebook.item_codes].astype("Float64").mean(axis=1)
    return scores.astype(float)


def skewness(values: pd.Series) -> float:
    """Sample skewness adjusted for sample size (Joanes & Gill, 1998, type 2; SPSS, Excel SKEW):

    .. math:: G_1 = \\frac{\\sqrt{n(n-1)}}{n-2}\\,\\frac{m_3}{m_2^{3/2}}

    with central moments :math:`m_r = \\sum (x - \\bar x)^r / n` (pandas ``Series.skew``).
    R: ``psych::describe(x, type = 2)$skew``. NaN with fewer than three values."""
    return float(values.dropna().astype(float).skew())


def percent_by_point(values: pd.DataFrame | pd.Series | np.ndarray, points: list[int]) -> dict[str, float]:
    """Share of the answers (missing excluded) at each scale point, in percent:
    ``{"pct_1": .., ..., "pct_5": ..}``. R: ``100 * prop.table(table(factor(x, levels = 1:5)))``."""
    answers = pd.Series(pd.DataFrame(values).astype(float).to_numpy().ravel()).dropna()
    total = len(answers)
    counts = answers.value_counts()
    return {f"pct_{p}": (100 * counts.get(float(p), 0) / total if total else float("nan")) for p in points}


def _levels(frame: pd.DataFrame, criterion: Criterion) -> pd.DataFrame:
    bands = frame["mean"].map(lambda m: interpret_mean(m, criterion))
    frame["level"] = bands.map(lambda b: b.level if b else pd.NA).astype("Int64")
    frame["level_th"] = bands.map(lambda b: b.th if b else "")
    frame["level_en"] = bands.map(lambda b: b.en if b else "")
    return frame


def describe_items(data: pd.DataFrame, codebook: Codebook, criterion: Criterion) -> pd.DataFrame:
    """Per item: n, mean, sd, median, skewness, % per scale point, level and rank within its
    dimension."""
    points = codebook.scale_values
    rows = []
    for dim in codebook.dimensions:
        for item in dim.items:
            col = data[item.code].astype(float)
            rows.append(
                {
                    "dimension": dim.code,
                    "item": item.code,
                    "text_th": item.text_th,
                    "text_en": item.text_en,
                    "reverse": item.reverse,
                    "n": int(col.notna().sum()),
                    "mean": col.mean(),
                    "sd": col.std(ddof=1),
                    "median": col.median(),
                    "skew": skewness(col),
                    **percent_by_point(col, points),
                }
            )
    frame = _levels(pd.DataFrame(rows), criterion)
    frame["rank"] = frame.groupby("dimension", sort=False)["mean"].transform(rank_descending).astype("Int64")
    return frame


def describe_dimensions(
    scores: pd.DataFrame, codebook: Codebook, criterion: Criterion, data: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per dimension: n, mean, sd, median and skewness of respondents' dimension scores, level
    and rank; with the item ``data``, also the % of the dimension's answers at each point."""
    rows = [
        {
            "dimension": d.code,
            "order": d.order,
            "name_th": d.name_th,
            "name_en": d.name_en,
            "n_items": len(d.items),
            "n": int(scores[d.code].notna().sum()),
            "mean": scores[d.code].mean(),
            "sd": scores[d.code].std(ddof=1),
            "median": scores[d.code].median(),
            "skew": skewness(scores[d.code]),
            **(
                percent_by_point(data[codebook.dimension_items(d.code)], codebook.scale_values)
                if data is not None
                else {}
            ),
        }
        for d in codebook.dimensions
    ]
    frame = _levels(pd.DataFrame(rows), criterion)
    frame["rank"] = rank_descending(frame["mean"])
    return frame


def describe_overall(
    data: pd.DataFrame, scores: pd.DataFrame, codebook: Codebook, criterion: Criterion
) -> dict:
    """Overall mean with both S.D. definitions (see module docstring) and its level."""
    pooled = data[codebook.item_codes].astype(float).to_numpy().ravel()
    pooled = pooled[~np.isnan(pooled)]
    mean = float(scores["overall"].mean())
    band = interpret_mean(mean, criterion)
    return {
        "n": int(scores["overall"].notna().sum()),
        "n_items": len(codebook.item_codes),
        "mean": mean,
        "sd_respondents": float(scores["overall"].std(ddof=1)),
        "median": float(scores["overall"].median()),
        "skew": skewness(scores["overall"]),
        **percent_by_point(pooled, codebook.scale_values),
        "mean_pooled": float(pooled.mean()),
        "sd_pooled": float(pooled.std(ddof=1)),
        "n_answers": int(pooled.size),
        "level": band.level if band else None,
        "level_th": band.th if band else "",
        "level_en": band.en if band else "",
    }
