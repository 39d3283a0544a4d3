"""Property-based tests of cleaning (hypothesis): whatever the cells hold, cleaning either
raises the project's own error or accounts for every raw row with a logged reason."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config.codebook import load_codebook
from analysis.config.study import load_study
from analysis.data.cleaning import clean_export
from analysis.data.reading import RawExport
from analysis.errors import PhanatError
from tests.fixtures.make_exports import H
from tests.test_cleaning_fixtures import FIXTURES

CODEBOOK = load_codebook(FIXTURES / "mini" / "codebook.yaml")
STUDY = load_study(FIXTURES / "mini" / "study.yaml")
HEADER = [c for c in H if c != "ข้อเสนอแนะ"]  # the fixtures' header without free text

answers = st.one_of(
    st.sampled_from(["มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด", "Highest", "low", "๕", "๑", ""]),
    st.integers(-3, 9).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=12),
)
stamps = st.one_of(
    st.builds(
        lambda d, m, h: f"{d}/{m}/2564 {h:02d}:00:00",
        st.integers(1, 31),
        st.integers(1, 12),
        st.integers(0, 23),
    ),
    st.text(max_size=20),
)
emails = st.one_of(st.sampled_from(["a@x.org", "b@x.org", "A@X.org", "", " c@x.org "]), st.text(max_size=8))
groups = st.one_of(st.sampled_from(["ครู", "บุคลากร", "Staff", ""]), st.text(max_size=6))
rows = st.lists(
    st.tuples(stamps, emails, groups, answers, answers, answers, answers), min_size=1, max_size=25
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_every_row_is_kept_or_dropped_with_a_reason(records):
    frame = pd.DataFrame([list(r) for r in records], columns=HEADER, dtype=str)
    raw = RawExport(path=FIXTURES / "generated.csv", frame=frame, encoding="utf-8", sha256="0" * 64)
    try:
        result = clean_export(raw, CODEBOOK, STUDY)
    except PhanatError:
        return  # the project's own, one-line error is an allowed outcome
    s = result.summary
    assert s["n_raw"] == len(records) == s["n_kept"] + sum(s["dropped_by_reason"].values())
    dropped = result.log[result.log["action"] == "dropped row"]
    assert len(dropped) == s["n_dropped"] and dropped["reason"].str.len().gt(0).all()
    assert sorted(set(dropped["raw_row"]) | set(result.data["raw_row"])) == list(range(1, len(records) + 1))
    for code in CODEBOOK.item_codes:
        values = result.data[code].dropna()
        assert values.between(CODEBOOK.scale_min, CODEBOOK.scale_max).all()
