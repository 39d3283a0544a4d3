"""Answer label sets in common Thai use, for reading a form's scale from its answers.

Each set lists its points from highest to lowest with a Thai and an English label and the
variants seen in real exports (``เฉย ๆ`` for the middle of the agreement set, ``Neither agree
nor disagree`` for ``Neutral``). ``phanat init`` reads a new form's scale from them, and the
cleaning log may show a value verbatim when it is one of these labels (it is then a choice a
form offered, not something a respondent typed).

Labels are compared by :func:`label_key`: Unicode NFC, case folded, without spaces or
zero-width characters, so ``นาน ๆ ครั้ง`` and ``นานๆครั้ง`` are one label.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def label_key(text: object) -> str:
    """The form of a label used for comparison (NFC, case folded, no spaces)."""
    value = unicodedata.normalize("NFC", str(text)).translate(ZERO_WIDTH).casefold()
    return "".join(value.split())


@dataclass(frozen=True)
class LabelSet:
    """One answer scale: ``th[i]``/``en[i]`` label the point ``n_points - i`` (highest first);
    ``variants[i]`` are other labels of the same point."""

    key: str
    kind: str  # agreement | level | satisfaction | frequency | quality
    th: tuple[str, ...]
    en: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...] = ()

    @property
    def n_points(self) -> int:
        return len(self.th)

    def value_of(self) -> dict[str, int]:
        """Every label and variant (as :func:`label_key`) → its scale point (1 = lowest)."""
        out: dict[str, int] = {}
        for i in range(self.n_points):
            point = self.n_points - i
            names = [self.th[i], self.en[i], *(self.variants[i] if self.variants else ())]
            for name in names:
                out.setdefault(label_key(name), point)
        return out


def _set(key: str, kind: str, th: list[str], en: list[str], variants: list[list[str]] | None = None):
    variants = variants or [[] for _ in th]
    return LabelSet(key, kind, tuple(th), tuple(en), tuple(tuple(v) for v in variants))


LABEL_SETS: tuple[LabelSet, ...] = (
    _set(
        "level5",
        "level",
        ["มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"],
        ["Highest", "High", "Moderate", "Low", "Lowest"],
        [["Very high", "Very much"], ["Much"], ["Medium"], ["Little"], ["Very low", "Very little"]],
    ),
    _set(
        "agree5",
        "agreement",
        ["เห็นด้วยอย่างยิ่ง", "เห็นด้วย", "ไม่แน่ใจ", "ไม่เห็นด้วย", "ไม่เห็นด้วยอย่างยิ่ง"],
        ["Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree"],
        [
            ["เห็นด้วยมากที่สุด"],
            [],
            ["เฉยๆ", "เฉย ๆ", "ไม่มีความเห็น", "Neither agree nor disagree", "Undecided", "Not sure"],
            [],
            ["ไม่เห็นด้วยมากที่สุด"],
        ],
    ),
    _set(
        "agree4",
        "agreement",
        ["เห็นด้วยอย่างยิ่ง", "เห็นด้วย", "ไม่เห็นด้วย", "ไม่เห็นด้วยอย่างยิ่ง"],
        ["Strongly agree", "Agree", "Disagree", "Strongly disagree"],
    ),
    _set(
        "agree7",
        "agreement",
        [
            "เห็นด้วยอย่างยิ่ง",
            "เห็นด้วย",
            "ค่อนข้างเห็นด้วย",
            "ไม่แน่ใจ",
            "ค่อนข้างไม่เห็นด้วย",
            "ไม่เห็นด้วย",
            "ไม่เห็นด้วยอย่างยิ่ง",
        ],
        [
            "Strongly agree",
            "Agree",
            "Somewhat agree",
            "Neither agree nor disagree",
            "Somewhat disagree",
            "Disagree",
            "Strongly disagree",
        ],
        [[], [], ["Slightly agree"], ["Neutral", "เฉยๆ"], ["Slightly disagree"], [], []],
    ),
    _set(
        "level4",
        "level",
        ["มากที่สุด", "มาก", "น้อย", "น้อยที่สุด"],
        ["Highest", "High", "Low", "Lowest"],
    ),
    _set(
        "satisfaction5",
        "satisfaction",
        ["พึงพอใจมากที่สุด", "พึงพอใจมาก", "พึงพอใจปานกลาง", "พึงพอใจน้อย", "พึงพอใจน้อยที่สุด"],
        ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"],
        [[], [], ["Neither satisfied nor dissatisfied"], ["Unsatisfied"], ["Very unsatisfied"]],
    ),
    _set(
        "satisfaction4",
        "satisfaction",
        ["พึงพอใจมากที่สุด", "พึงพอใจมาก", "พึงพอใจน้อย", "พึงพอใจน้อยที่สุด"],
        ["Very satisfied", "Satisfied", "Dissatisfied", "Very dissatisfied"],
    ),
    _set(
        "frequency5",
        "frequency",
        ["เป็นประจำ", "บ่อยครั้ง", "บางครั้ง", "นาน ๆ ครั้ง", "ไม่เคย"],
        ["Always", "Often", "Sometimes", "Rarely", "Never"],
        [["ทุกครั้ง", "สม่ำเสมอ"], ["บ่อย", "Usually"], [], ["นานๆครั้ง", "Seldom"], ["ไม่เคยเลย"]],
    ),
    _set(
        "quality5",
        "quality",
        ["ดีมาก", "ดี", "ปานกลาง", "พอใช้", "ปรับปรุง"],
        ["Excellent", "Very good", "Good", "Fair", "Poor"],
        [["ดีเยี่ยม"], [], [], [], ["ควรปรับปรุง", "Needs improvement"]],
    ),
    _set(
        "quality4",
        "quality",
        ["ดีมาก", "ดี", "พอใช้", "ปรับปรุง"],
        ["Very good", "Good", "Fair", "Poor"],
        [["ดีเยี่ยม"], [], [], ["ควรปรับปรุง", "Needs improvement"]],
    ),
)

# Every label of every set: values a form offers, not text a respondent typed.
KNOWN_LABELS: frozenset[str] = frozenset(key for s in LABEL_SETS for key in s.value_of())

# Thai level labels for a scale of n points (highest first), used where a form's own labels
# are digits: the names Thai reports give the levels of a rating scale.
LEVEL_NAMES = {
    4: (("มากที่สุด", "Highest"), ("มาก", "High"), ("น้อย", "Low"), ("น้อยที่สุด", "Lowest")),
    5: (
        ("มากที่สุด", "Highest"),
        ("มาก", "High"),
        ("ปานกลาง", "Moderate"),
        ("น้อย", "Low"),
        ("น้อยที่สุด", "Lowest"),
    ),
    6: (
        ("มากที่สุด", "Highest"),
        ("มาก", "High"),
        ("ค่อนข้างมาก", "Fairly high"),
        ("ค่อนข้างน้อย", "Fairly low"),
        ("น้อย", "Low"),
        ("น้อยที่สุด", "Lowest"),
    ),
    7: (
        ("มากที่สุด", "Highest"),
        ("มาก", "High"),
        ("ค่อนข้างมาก", "Fairly high"),
        ("ปานกลาง", "Moderate"),
        ("ค่อนข้างน้อย", "Fairly low"),
        ("น้อย", "Low"),
        ("น้อยที่สุด", "Lowest"),
    ),
}


def is_known_label(value: object) -> bool:
    """True when ``value`` is a label of one of :data:`LABEL_SETS`."""
    return label_key(value) in KNOWN_LABELS


def best_label_set(values: set[str]) -> tuple[LabelSet | None, list[str]]:
    """The label set that explains the most of ``values`` (labels as given), and the values
    no set explains. A set explaining every value wins; among those, the one whose points are
    all used, then the smallest. (None, values) when no set explains any value."""
    keys = {label_key(v): v for v in values if label_key(v)}
    best, best_rank = None, None
    for s in LABEL_SETS:
        mapping = s.value_of()
        explained = [k for k in keys if k in mapping]
        if not explained:
            continue
        points_used = len({mapping[k] for k in explained})
        rank = (len(explained), points_used == s.n_points, points_used / s.n_points, -s.n_points)
        if best_rank is None or rank > best_rank:
            best, best_rank = s, rank
    if best is None:
        return None, sorted(values)
    mapping = best.value_of()
    return best, sorted(v for k, v in keys.items() if k not in mapping)
