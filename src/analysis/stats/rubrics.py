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

from dataclasses import dataclass
from pathlib import Path

from analysis.config.study import read_yaml
from analysis.errors import PhanatError


@dataclass(frozen=True)
class QualityLevel:
    level: int
    evidenced: int
    considerations: int
    all_done: bool
    description_th: str
    not_done: int = 0
    note_code: str = ""


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
    lowest = ordered[-1]
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
        )
    for band in ordered:
        if count >= band["min_evidenced"]:
            return QualityLevel(band["level"], count, n, True, band.get("description_th", ""))
    return QualityLevel(lowest["level"], count, n, True, lowest.get("description_th", ""))


@dataclass(frozen=True)
class MilestoneScore:
    score: float
    milestones_met: int
    bonus: float
    note_code: str = ""


def milestone_score(met: list[bool], maximum: int = 5) -> MilestoneScore:
    """Score of an ordered-milestone indicator (seed 003): milestones count only in order from
    the first, so ``[False, True, True]`` scores 0 and ``[True, True, False, True]`` scores 2."""
    count = 0
    for ok in met:
        if not ok:
            break
        count += 1
    note = "first_milestone_not_met" if met and not met[0] else ""  # the indicator scores 0
    return MilestoneScore(float(min(count, maximum)), count, 0.0, note)


def award_score(awards: dict[str, int], points: dict[str, float], maximum: int = 5) -> MilestoneScore:
    """Score of an award-counting indicator (seed 003): the sum over awards of their level's
    points, not capped at ``maximum``; what lies above it is reported as the bonus. Unknown
    award levels are an error (a typo must not score 0 silently)."""
    unknown = [level for level in awards if level not in points]
    if unknown:
        raise ValueError(f"award level(s) not in the rubric: {', '.join(unknown)}")
    total = float(sum(points[level] * count for level, count in awards.items()))
    return MilestoneScore(total, sum(awards.values()), max(0.0, total - maximum))


def load_rubrics(path: str | Path) -> dict:
    """Read ``rubrics.yaml`` and check the parts the scorers rely on."""
    path = Path(path)
    raw = read_yaml(path)
    esa = raw.get("esa_quality_level")
    if esa:
        bands = esa.get("bands") or []
        if not bands or any("level" not in b or "min_evidenced" not in b for b in bands):
            raise PhanatError(
                "'esa_quality_level.bands' needs level and min_evidenced in every band", file=path
            )
        for i, case in enumerate(esa.get("checklists") or []):
            if len(case.get("done", [])) != len(case.get("evidenced", [])):
                raise PhanatError(
                    f"'esa_quality_level.checklists[{i}]': done and evidenced must have one entry each "
                    "per consideration",
                    file=path,
                )
    ms = raw.get("milestones")
    if ms:
        points = ms.get("award_points") or {}
        for i, case in enumerate(ms.get("indicators") or []):
            if "awards" in case:
                unknown = [a for a in case["awards"] if a not in points]
                if unknown:
                    raise PhanatError(
                        f"'milestones.indicators[{i}]': award level(s) {', '.join(unknown)} "
                        "are not in award_points",
                        file=path,
                    )
            elif "met" not in case:
                raise PhanatError(f"'milestones.indicators[{i}]' needs either met or awards", file=path)
    return raw


def score_rubrics(raw: dict) -> dict:
    """Score every checklist and indicator of a loaded ``rubrics.yaml``."""
    out: dict = {"esa": [], "milestones": []}
    esa = raw.get("esa_quality_level") or {}
    for case in esa.get("checklists") or []:
        q = esa_quality_level(case["done"], case["evidenced"], esa["bands"])
        out["esa"].append(
            {"indicator": case.get("indicator", ""), "name_th": case.get("name_th", ""), **q.__dict__}
        )
    ms = raw.get("milestones") or {}
    maximum = int(ms.get("maximum", 5))
    for case in ms.get("indicators") or []:
        if "awards" in case:
            s = award_score(case["awards"], ms["award_points"], maximum)
        else:
            s = milestone_score(case["met"], maximum)
        out["milestones"].append(
            {"indicator": case.get("indicator", ""), "name_th": case.get("name_th", ""), **s.__dict__}
        )
    return out
