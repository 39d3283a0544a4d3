"""Sample adequacy: the sample size a population needs (Krejcie & Morgan; Yamane), the
response rate, and whether the sample is large enough — per group and overall."""

from __future__ import annotations

import math

import pandas as pd

from analysis.config import StudyConfig

KM_CHI_SQUARE = 3.841  # chi-square, 1 df, 95% (the value Krejcie & Morgan used)


def krejcie_morgan(population: int, proportion: float = 0.5, margin: float = 0.05) -> int:
    """Required sample size (Krejcie & Morgan, 1970, *Educational and Psychological
    Measurement* 30, 607–610):

    .. math:: s = \\frac{\\chi^2 N P(1-P)}{d^2(N-1) + \\chi^2 P(1-P)}

    with :math:`\\chi^2 = 3.841`, *P* = 0.50 and *d* = 0.05, rounded to the nearest whole
    number (half up), which reproduces their published table: it gives
    N = 100 → 80, 500 → 217, 1,000 → 278, 2,000 → 322 (tested)."""
    p = proportion * (1 - proportion)
    s = KM_CHI_SQUARE * population * p / (margin**2 * (population - 1) + KM_CHI_SQUARE * p)
    return math.floor(s + 0.5)


def yamane(population: int, margin: float = 0.05) -> int:
    """Required sample size by Yamane (1967, *Statistics: An Introductory Analysis*, 2nd ed.):
    :math:`n = N/(1 + Ne^2)` with *e* = 0.05, rounded up (N = 1,000 → 286)."""
    return math.ceil(round(population / (1 + population * margin**2), 6))


def sample_adequacy(study: StudyConfig, n_by_group: dict[str, int]) -> pd.DataFrame:
    """Per group with a population in the study config, and overall: population, responses,
    response rate (%), required sample by Krejcie & Morgan and by Yamane, and whether the
    responses reach each. Groups without a population are listed with blanks."""
    rows = []
    for g in study.groups:
        n = int(n_by_group.get(g.code, 0))
        rows.append(_row(g.code, g.label_th, g.label_en, g.population, n))
    populations = [g.population for g in study.groups]
    total_pop = sum(populations) if populations and all(p for p in populations) else None
    rows.append(_row("overall", "รวม", "Total", total_pop, int(sum(n_by_group.values()))))
    return pd.DataFrame(rows)


def _row(code: str, label_th: str, label_en: str, population: int | None, n: int) -> dict:
    if not population:
        return {"group": code, "label_th": label_th, "label_en": label_en, "population": None, "n": n}
    km, ya = krejcie_morgan(population), yamane(population)
    return {
        "group": code,
        "label_th": label_th,
        "label_en": label_en,
        "population": population,
        "n": n,
        "response_rate": 100 * n / population,
        "required_krejcie_morgan": km,
        "required_yamane": ya,
        "adequate_krejcie_morgan": n >= km,
        "adequate_yamane": n >= ya,
    }


def adequacy_sentence_th(table: pd.DataFrame) -> str:
    """The sentence the methods section prints, from the overall row and the groups."""
    overall = table[table["group"] == "overall"].iloc[0]
    if pd.isna(overall.get("population")):
        return (
            f"ได้รับแบบสอบถามคืน {overall['n']} ฉบับ "
            "(ไม่ได้ระบุขนาดประชากรครบทุกกลุ่ม จึงไม่ได้ประเมินความพอเพียงของกลุ่มตัวอย่าง)"
        )
    text = (
        f"ประชากร {int(overall['population']):,} คน ได้รับแบบสอบถามคืน {overall['n']:,} ฉบับ "
        f"คิดเป็นร้อยละ {overall['response_rate']:.2f} ขนาดกลุ่มตัวอย่างขั้นต่ำตามตารางของ Krejcie และ Morgan "
        f"คือ {overall['required_krejcie_morgan']:,} คน และตามสูตรของ Yamane (e = 0.05) คือ "
        f"{overall['required_yamane']:,} คน "
    )
    if overall["adequate_krejcie_morgan"] and overall["adequate_yamane"]:
        text += "กลุ่มตัวอย่างจึงมีขนาดเพียงพอตามทั้งสองเกณฑ์"
    elif overall["adequate_yamane"] or overall["adequate_krejcie_morgan"]:
        which = "Yamane" if overall["adequate_yamane"] else "Krejcie และ Morgan"
        text += f"กลุ่มตัวอย่างมีขนาดเพียงพอตามเกณฑ์ของ {which} เท่านั้น"
    else:
        text += "กลุ่มตัวอย่างมีขนาดไม่เพียงพอ ควรระมัดระวังในการสรุปผลไปยังประชากร"
    short = [
        r["label_th"]
        for _, r in table.iterrows()
        if r["group"] != "overall" and pd.notna(r.get("population")) and not r["adequate_krejcie_morgan"]
    ]
    if short:
        text += f" ทั้งนี้ กลุ่ม{', '.join(short)} มีผู้ตอบน้อยกว่าขนาดขั้นต่ำของกลุ่ม ควรระวังการสรุปผลรายกลุ่ม"
    return text


def adequacy_sentence_en(table: pd.DataFrame) -> str:
    """English equivalent of :func:`adequacy_sentence_th`."""
    overall = table[table["group"] == "overall"].iloc[0]
    if pd.isna(overall.get("population")):
        return f"{overall['n']} questionnaires were returned (population sizes not given for every group)."
    verdict = (
        "adequate by both"
        if overall["adequate_krejcie_morgan"] and overall["adequate_yamane"]
        else "adequate by one of the two"
        if overall["adequate_krejcie_morgan"] or overall["adequate_yamane"]
        else "below both"
    )
    return (
        f"Of a population of {int(overall['population']):,}, {overall['n']:,} responded "
        f"({overall['response_rate']:.2f}%); Krejcie & Morgan require {overall['required_krejcie_morgan']:,} "
        f"and Yamane (e = 0.05) {overall['required_yamane']:,}, so the sample is {verdict}."
    )
