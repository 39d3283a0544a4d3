"""Rubric scoring driven by configuration files (``data/raw/<study>/rubrics.yaml``).

Two rubrics from the source documents:

* **ESA standard quality level** (seed 004, มาตรฐานสำนักงานเขตพื้นที่การศึกษา พ.ศ. 2557): an
  indicator has a number of considerations (ประเด็นการพิจารณา, six in the standard); every
  level requires all of them to be carried out, and the level follows how many have clear
  evidence (ร่องรอยหลักฐานปรากฏชัดเจน): all six → 5, five → 4, four → 3, three → 2, fewer than
  three → 1. The bands are read from the configuration, so another standard can set its own.
  A checklist in which not every consideration was carried out cannot reach any level's
  description; it is scored at the lowest level with the note code ``not_all_done``.
* **Milestone-and-bonus scoring** (seed 003, "คุณภาพ สกร.สุโขทัย"): an indicator's criteria are
  ordered milestones; the score is the number of milestones met in order from the first, up to
  the maximum (5). Missing the first milestone scores 0 at once. Indicators that count awards
  are not capped at the maximum: each award adds its level's points (the seed's example: a
  student of national standing and one of provincial standing score 7).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from analysis.config.rubrics import RubricsFile


@dataclass(frozen=True)
class QualityLevel:
    level: int
    evidenced: int
    considerations: int
    all_done: bool
    description_th: str
    not_done: int = 0
    note_code: str = ""
    maximum: int = 5  # the highest level of the bands (the full score)
    description_en: str = ""


def esa_quality_level(done: list[bool], evidenced: list[bool], bands: list[dict]) -> QualityLevel:
    """Quality level from an evidence checklist (one entry per consideration): ``done`` says
    whether each consideration was carried out, ``evidenced`` whether its evidence is clear.
    ``bands`` are ``{level, min_evidenced, description_th}``, highest level first (see the
    module docstring for seed 004's bands)."""
    if len(done) != len(evidenced):
        raise ValueError("done and evidenced must list the same considerations")
    n = len(done)
    count = sum(bool(d and e) for d, e in zip(done, evidenced, strict=True))
    ordered = sorted(bands, key=lambda b: -b["level"])
    lowest, top = ordered[-1], ordered[0]["level"]
    if not all(done):
        missing = n - sum(map(bool, done))
        return QualityLevel(
            lowest["level"],
            count,
            n,
            False,
            lowest.get("description_th", ""),
            missing,
            "not_all_done",  # every level requires all considerations carried out
            top,
            lowest.get("description_en", ""),
        )
    for band in ordered:
        if count >= band["min_evidenced"]:
            return QualityLevel(
                band["level"], count, n, True, band.get("description_th", ""),
                maximum=top, description_en=band.get("description_en", ""),
            )  # fmt: skip
    return QualityLevel(
        lowest["level"], count, n, True, lowest.get("description_th", ""),
        maximum=top, description_en=lowest.get("description_en", ""),
    )  # fmt: skip


@dataclass(frozen=True)
class MilestoneScore:
    score: float
    milestones_met: int
    bonus: float
    note_code: str = ""
    maximum: int = 5  # the full score (awards may add a bonus above it)


def milestone_score(met: list[bool], maximum: int = 5) -> MilestoneScore:
    """Score of an ordered-milestone indicator (seed 003): milestones count only in order from
    the first, so ``[False, True, True]`` scores 0 and ``[True, True, False, True]`` scores 2."""
    count = 0
    for ok in met:
        if not ok:
            break
        count += 1
    note = "first_milestone_not_met" if met and not met[0] else ""  # the indicator scores 0
    return MilestoneScore(float(min(count, maximum)), count, 0.0, note, maximum)


def award_score(awards: dict[str, int], points: dict[str, float], maximum: int = 5) -> MilestoneScore:
    """Score of an award-counting indicator (seed 003): the sum over awards of their level's
    points, not capped at ``maximum``; what lies above it is reported as the bonus. Unknown
    award levels are an error (a typo must not score 0 silently)."""
    unknown = [level for level in awards if level not in points]
    if unknown:
        raise ValueError(f"award level(s) not in the rubric: {', '.join(unknown)}")
    total = float(sum(points[level] * count for level, count in awards.items()))
    return MilestoneScore(total, sum(awards.values()), max(0.0, total - maximum), maximum=maximum)


def score_rubrics(rubrics: RubricsFile) -> dict:
    """Score every checklist and indicator of a loaded ``rubrics.yaml``."""
    out: dict = {"esa": [], "milestones": []}
    esa = rubrics.esa_quality_level
    for case in esa.checklists if esa else ():
        q = esa_quality_level(list(case.done), list(case.evidenced), [asdict(b) for b in esa.bands])
        names = {"indicator": case.indicator, "name_th": case.name_th, "name_en": case.name_en}
        out["esa"].append({**names, **q.__dict__})
    ms = rubrics.milestones
    for case in ms.indicators if ms else ():
        if case.awards is not None:
            s = award_score(case.awards, ms.award_points, ms.maximum)
        else:
            s = milestone_score(list(case.met), ms.maximum)
        names = {"indicator": case.indicator, "name_th": case.name_th, "name_en": case.name_en}
        out["milestones"].append({**names, **s.__dict__})
    return out
