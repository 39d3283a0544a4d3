import datetime as dt

import pytest

from analysis.config.codebook import load_codebook
from analysis.config.criteria import load_criteria
from analysis.config.study import load_study
from analysis.config.values import parse_date
from analysis.errors import PhanatError


def test_example_codebook_has_six_phanat_dimensions(codebook):
    assert [d.code for d in codebook.dimensions] == ["PAR", "HAP", "ACC", "NET", "AST", "TEC"]
    assert [d.name_en for d in codebook.dimensions] == [
        "Parity",
        "Happy",
        "Accommodation",
        "Network",
        "Assistance",
        "Technology",
    ]
    assert all(4 <= len(d.items) <= 5 for d in codebook.dimensions)
    assert codebook.reverse_items == ["PAR5", "TEC4"]
    assert (codebook.scale_min, codebook.scale_max) == (1, 5)
    assert [p.th for p in codebook.points] == ["มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"]


def test_example_study_cycles_are_read_as_buddhist_era(study):
    assert [c.code for c in study.cycles] == ["C1", "C2", "C3"]
    assert study.cycles[0].start == dt.date(2020, 7, 1)  # 2563 B.E.
    assert study.cycles[-1].end == dt.date(2022, 9, 30)  # 2565 B.E.
    assert study.report_cycle == "C3"  # the headline is the latest cycle
    assert sum(g.population for g in study.groups) == 2178


def test_parse_date_converts_be_and_keeps_ce(tmp_path):
    assert parse_date("2564-09-30", "x", tmp_path) == dt.date(2021, 9, 30)
    assert parse_date("2021-09-30", "x", tmp_path) == dt.date(2021, 9, 30)
    with pytest.raises(PhanatError, match="not a date"):
        parse_date("30/9/2564", "cycles[0].end", tmp_path)


def test_codebook_that_does_not_parse_names_file_and_line(tmp_path):
    bad = tmp_path / "codebook.yaml"
    bad.write_text("scale:\n  min: 1\n   max: 5\n", encoding="utf-8")
    with pytest.raises(PhanatError) as err:
        load_codebook(bad)
    assert str(bad) in str(err.value) and "line 3" in str(err.value)
    assert "\n" not in str(err.value)


def test_codebook_missing_key_is_named(study_dir):
    path = study_dir / "codebook.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    name_th: ความสุข ความพึงพอใจ\n", ""), encoding="utf-8"
    )
    with pytest.raises(PhanatError, match=r"dimensions\[1\]\.name_th"):
        load_codebook(path)


def test_scale_must_label_every_point(study_dir):
    path = study_dir / "codebook.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    - {value: 3, th: ปานกลาง, en: Moderate}\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(PhanatError, match="label every value"):
        load_codebook(path)


def test_overlapping_cycles_are_refused(study_dir):
    path = study_dir / "study.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("start: 2564-07-01", "start: 2563-09-01"), encoding="utf-8"
    )
    with pytest.raises(PhanatError, match="overlap"):
        load_study(path)


def test_three_criteria_from_the_brief(study):
    criteria = load_criteria(study.criteria_file)
    assert set(criteria) == {"class_interval_0.80", "srisaard_0.50", "half_0.49"}
    assert [b.low for b in criteria["class_interval_0.80"].bands] == [4.21, 3.41, 2.61, 1.81, 1.00]
    assert [b.low for b in criteria["srisaard_0.50"].bands] == [4.51, 3.51, 2.51, 1.51, 1.00]
    assert [b.high for b in criteria["half_0.49"].bands] == [5.00, 4.49, 3.49, 2.49, 1.49]
