"""The configuration models: a word where a number is wanted, a gap between criterion bands
and an unknown key are one line naming the file, the key path, the value and what was
expected, through the loaders and through ``phanat run``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main
from analysis.config.criteria import load_criteria_file
from analysis.config.study import load_study
from analysis.errors import PhanatError


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(study_dir: Path, tmp_path: Path, capsys) -> tuple[int, str]:
    shutil.copyfile(paths.EXAMPLE_DATA, study_dir / "responses.csv")
    code = main(
        ["run", "--data", str(study_dir / "responses.csv"), "--codebook", str(study_dir / "codebook.yaml"),
         "--study", str(study_dir / "study.yaml"), "--out", str(tmp_path / "run"), "--quiet"]
    )  # fmt: skip
    return code, capsys.readouterr().err.strip()


WORDS = [
    ("study.yaml", "  bootstrap: 2564", "  bootstrap: สองห้าหกสี่",
     "study.yaml: 'seeds.bootstrap' must be a whole number, not 'สองห้าหกสี่' (write it in digits)"),
    ("study.yaml", "  act_lowest: 3 ", "  act_lowest: three ",
     "study.yaml: 'pdca.act_lowest' must be a whole number, not 'three'"),
    ("codebook.yaml", "{value: 5,", "{value: ห้า,",
     "codebook.yaml: 'scale.points[0].value' must be a whole number, not 'ห้า'"),
    ("codebook.yaml", "order: 1", "order: first",
     "codebook.yaml: 'dimensions[0].order' must be a whole number, not 'first'"),
    ("criteria.yaml", "max: 5.00, level: 5,", "max: 5.00, level: five,",
     "criteria.yaml: 'criteria.class_interval_0.80.bands[0].level' must be a whole number, not 'five'"),
    ("study.yaml", "  max_loss: 0.05 ", "  max_loss: ห้าเปอร์เซ็นต์ ",
     "study.yaml: 'cleaning.max_loss' must be a share from 0 to 1"),
    ("study.yaml", "  cfa: true ", "  cfa: yes please ",
     "study.yaml: 'validity.cfa' must be true or false, not 'yes please'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "message"), WORDS, ids=[w[3].split("'")[1] for w in WORDS])
def test_a_word_where_a_number_is_wanted_stops_the_run_in_one_line(
    study_dir, tmp_path, capsys, name, old, new, message
):
    edit(study_dir / name, old, new)
    code, err = run(study_dir, tmp_path, capsys)
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert message in err, err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("{min: 3.51, max: 4.50, level: 4", "{min: 3.61, max: 4.50, level: 4", "a gap between 3.50 and 3.61"),
        ("{min: 3.51, max: 4.50, level: 4", "{min: 3.51, max: 4.60, level: 4", "overlap"),
    ],
)
def test_a_gap_or_overlap_in_any_criterion_is_an_error_when_the_file_loads(study_dir, old, new, problem):
    edit(study_dir / "criteria.yaml", old, new)  # srisaard_0.50, not the criterion the study uses
    with pytest.raises(PhanatError, match=re.escape(problem)) as err:
        load_criteria_file(study_dir / "criteria.yaml")
    assert "'criteria.srisaard_0.50': the bands do not follow each other" in str(err.value)


def test_a_gap_in_the_studys_custom_criterion_is_an_error_when_the_study_loads(study_dir):
    custom = (
        "  custom:\n    name_th: เกณฑ์\n    name_en: Own\n    bands:\n"
        "      - {min: 3.00, max: 5.00, level: 2, th: ดี, en: good}\n"
        "      - {min: 1.00, max: 2.50, level: 1, th: พอใช้, en: fair}\n"
    )
    edit(study_dir / "study.yaml", "  criterion: class_interval_0.80", "  criterion: custom\n" + custom)
    with pytest.raises(PhanatError, match=r"'interpretation.custom': .*a gap between 2.50 and 3.00"):
        load_study(study_dir / "study.yaml")


def test_an_unknown_or_misplaced_key_is_named(study_dir):
    edit(study_dir / "study.yaml", "  max_loss: 0.05", "  max_los: 0.05")
    with pytest.raises(PhanatError, match=r"'cleaning.max_los' is not a key this file knows"):
        load_study(study_dir / "study.yaml")


def test_the_study_config_mirrors_the_file(study):
    assert study.cleaning.max_loss == 0.05 and study.cleaning.drop_incomplete
    assert study.columns.group == "สถานภาพ" and study.columns.free_text == ("ข้อเสนอแนะเพิ่มเติม",)
    assert (
        study.pdca.act_lowest == 3 and study.reliability.n_boot == 2000 and study.seeds == {"bootstrap": 2564}
    )
    assert study.interpretation.criteria_file == study.path.parent / "criteria.yaml"
    assert study.validity.ioc_file.name == "ioc.csv" and study.pseudonym.key_env == "PHANAT_PSEUDONYM_KEY"


def test_thai_digits_and_separators_are_read_by_the_models(study_dir):
    edit(study_dir / "study.yaml", "  bootstrap: 2564", "  bootstrap: '๒,๕๖๔'")
    edit(study_dir / "study.yaml", "  n_boot: 2000", "  n_boot: '๒,๐๐๐'")
    study = load_study(study_dir / "study.yaml")
    assert study.seeds["bootstrap"] == 2564 and study.reliability.n_boot == 2000


def test_an_impossible_date_is_named_not_a_traceback(study_dir):
    edit(study_dir / "study.yaml", "end: 2563-09-30", "end: 2563-13-30")
    with pytest.raises(PhanatError, match=r"'cycles\[0\].end' is not a valid date: '2563-13-30'"):
        load_study(study_dir / "study.yaml")
