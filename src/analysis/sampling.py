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


def study_population(study: StudyConfig) -> int | None:
    """The population the whole sample is drawn from: the sum of the groups' populations when
    every group has one, else the study's own ``population`` (a study with one group or none)."""
    populations = [g.population for g in study.groups]
    if len(populations) >= 2:
        return sum(populations) if all(populations) else None
    if study.population:
        return study.population
    return populations[0] if populations else None


def allocate(total: int, populations: list[int]) -> list[int]:
    """Proportional allocation of a required sample to strata, :math:`n_h = n N_h / N`,
    rounded half up (Cochran, 1977, *Sampling Techniques*, 3rd ed., §5.5), as Thai theses
    allocate Krejcie & Morgan's size to respondent groups."""
    whole = sum(populations)
    return [math.floor(total * p / whole + 0.5) for p in populations]


def sample_adequacy(
    study: StudyConfig, n_by_group: dict[str, int], n_total: int | None = None
) -> pd.DataFrame:
    """Sample adequacy overall and, with two or more groups, per group.

    Overall: the study's population (:func:`study_population`), every respondent (``n_total``;
    by default the sum over groups), the response rate, and the required samples by Krejcie &
    Morgan and by Yamane. Per group: the overall required samples allocated in proportion to
    the groups' populations (:func:`allocate`), and whether each group's responses reach its
    share. A study with one group or none has the overall row only."""
    n_all = int(sum(n_by_group.values()) if n_total is None else n_total)
    total_pop = study_population(study)
    if len(study.groups) == 1:
        g = study.groups[0]
        return pd.DataFrame([_row("overall", g.label_th, g.label_en or g.label_th, total_pop, n_all)])
    overall = _row("overall", "รวม", "Total", total_pop, n_all)
    rows = []
    if study.groups:
        populations = [g.population for g in study.groups]
        km = allocate(overall["required_krejcie_morgan"], populations) if total_pop else None
        ya = allocate(overall["required_yamane"], populations) if total_pop else None
        for i, g in enumerate(study.groups):
            n = int(n_by_group.get(g.code, 0))
            shares = (km[i], ya[i]) if km else None
            rows.append(_row(g.code, g.label_th, g.label_en, g.population, n, shares))
    rows.append(overall)
    return pd.DataFrame(rows)


def _row(
    code: str,
    label_th: str,
    label_en: str,
    population: int | None,
    n: int,
    required: tuple[int, int] | None = None,
) -> dict:
    """One row of the adequacy table; ``required`` = (K&M, Yamane) allocated to a group, else
    computed from the population itself."""
    if not population:
        return {"group": code, "label_th": label_th, "label_en": label_en, "population": None, "n": n}
    km, ya = required or (krejcie_morgan(population), yamane(population))
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
        "allocation": "proportional" if required else "",
    }


def adequacy_sentence_th(table: pd.DataFrame) -> str:
    """The sentence the methods section prints: the overall verdict first, then the groups
    whose responses fall short of their proportional share."""
    overall = table[table["group"] == "overall"].iloc[0]
    if pd.isna(overall.get("population")):
        return (
            f"ได้รับแบบสอบถามคืน {overall['n']:,} ฉบับ "
            "(ไม่ได้ระบุขนาดประชากร จึงไม่ได้ประเมินความเพียงพอของขนาดกลุ่มตัวอย่าง)"
        )
    if overall["adequate_krejcie_morgan"] and overall["adequate_yamane"]:
        verdict = "กลุ่มตัวอย่างมีขนาดเพียงพอตามทั้งสองเกณฑ์"
    elif overall["adequate_yamane"] or overall["adequate_krejcie_morgan"]:
        which = "Yamane" if overall["adequate_yamane"] else "Krejcie และ Morgan"
        verdict = f"กลุ่มตัวอย่างมีขนาดเพียงพอตามเกณฑ์ของ {which} เท่านั้น"
    else:
        verdict = "กลุ่มตัวอย่างมีขนาดไม่เพียงพอ ควรระมัดระวังในการสรุปผลไปยังประชากร"
    text = (
        f"{verdict} กล่าวคือ ประชากรมีจำนวน {int(overall['population']):,} คน "
        f"ขนาดกลุ่มตัวอย่างขั้นต่ำตามตารางของ Krejcie และ Morgan คือ {overall['required_krejcie_morgan']:,} คน "
        f"และตามสูตรของ Yamane (e = 0.05) คือ {overall['required_yamane']:,} คน "
        f"ได้รับแบบสอบถามคืน {overall['n']:,} ฉบับ คิดเป็นร้อยละ {overall['response_rate']:.2f} ของประชากร"
    )
    groups = table[table["group"] != "overall"]
    if len(groups) and groups["population"].notna().all():
        text += " เมื่อจัดสรรขนาดกลุ่มตัวอย่างตามสัดส่วนประชากรของแต่ละกลุ่ม"
        short = [r["label_th"] for _, r in groups.iterrows() if not r["adequate_krejcie_morgan"]]
        if short:
            text += f" กลุ่ม{'และกลุ่ม'.join(short)} มีผู้ตอบน้อยกว่าขนาดที่จัดสรร ควรระวังการสรุปผลรายกลุ่ม"
        else:
            text += " ทุกกลุ่มมีผู้ตอบครบตามขนาดที่จัดสรร"
    return text


def adequacy_sentence_en(table: pd.DataFrame) -> str:
    """English equivalent of :func:`adequacy_sentence_th`."""
    overall = table[table["group"] == "overall"].iloc[0]
    if pd.isna(overall.get("population")):
        return (
            f"{overall['n']:,} questionnaires were returned (no population size given, so adequacy "
            "is not assessed)."
        )
    verdict = (
        "adequate by both criteria"
        if overall["adequate_krejcie_morgan"] and overall["adequate_yamane"]
        else "adequate by one of the two criteria"
        if overall["adequate_krejcie_morgan"] or overall["adequate_yamane"]
        else "below both criteria"
    )
    text = (
        f"The sample is {verdict}: of a population of {int(overall['population']):,}, "
        f"{overall['n']:,} responded ({overall['response_rate']:.2f}%); Krejcie & Morgan require "
        f"{overall['required_krejcie_morgan']:,} and Yamane (e = 0.05) {overall['required_yamane']:,}."
    )
    groups = table[table["group"] != "overall"]
    if len(groups) and groups["population"].notna().all():
        short = [
            r["label_en"] or r["label_th"] for _, r in groups.iterrows() if not r["adequate_krejcie_morgan"]
        ]
        text += " Allocated to the groups in proportion to their populations, " + (
            f"{', '.join(short)} fall short of their share." if short else "every group reaches its share."
        )
    return text
