"""Bad input: one line naming the file and the problem, exit code 2, no output folder."""

import csv
import shutil
import subprocess
import sys

import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.reading import read_columns, read_export
from analysis.errors import PhanatError


@pytest.fixture
def inputs(study_dir):
    shutil.copyfile(paths.EXAMPLE_DATA, study_dir / "responses.csv")
    return study_dir


def run_cli(capsys, inputs, out, **overrides):
    args = {
        "--data": inputs / "responses.csv",
        "--codebook": inputs / "codebook.yaml",
        "--study": inputs / "study.yaml",
        "--out": out,
    } | overrides
    code = main(["run", *[str(x) for kv in args.items() for x in kv]])
    err = capsys.readouterr().err.strip()
    return code, err


def assert_one_line_error(code, err, out, *needles):
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("phanat: error: ")
    for needle in needles:
        assert needle in err
    assert not out.exists() and not out.with_name(out.name + ".partial").exists()


def test_missing_data_file(capsys, inputs, tmp_path):
    out = tmp_path / "out"
    code, err = run_cli(capsys, inputs, out, **{"--data": inputs / "nope.csv"})
    assert_one_line_error(code, err, out, "nope.csv", "not found")


def test_codebook_that_does_not_parse(capsys, inputs, tmp_path):
    (inputs / "codebook.yaml").write_text("dimensions: [\n  - code: P\n", encoding="utf-8")
    out = tmp_path / "out"
    code, err = run_cli(capsys, inputs, out)
    assert_one_line_error(code, err, out, "codebook.yaml", "does not parse as YAML")


def test_unknown_data_column(capsys, inputs, tmp_path):
    data = inputs / "responses.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    data.write_text(
        "\n".join([lines[0] + ",คอลัมน์แปลก"] + [line + ",1" for line in lines[1:]]) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    code, err = run_cli(capsys, inputs, out)
    position = len(lines[0].split(",")) + 1
    assert_one_line_error(
        code, err, out, "responses.csv", f"column {position} (11 characters)", "not in the codebook"
    )
    assert "คอลัมน์แปลก" not in err  # headers are untrusted text: named by position and length


def test_codebook_item_missing_from_data(capsys, inputs, tmp_path):
    path = inputs / "codebook.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "      - code: TEC5\n",
            "      - code: TEC6\n        text_th: ข้อใหม่ที่ไม่มีในข้อมูล\n      - code: TEC5\n",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, err = run_cli(capsys, inputs, out)
    assert_one_line_error(code, err, out, "responses.csv", "TEC6 not found in the data")


def test_console_script_exit_code(tmp_path):
    exe = shutil.which("phanat") or str(paths.PROJ_ROOT / ".venv" / "bin" / "phanat")
    proc = subprocess.run(
        [exe, "run", "--data", str(tmp_path / "in" / "none.csv"), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "none.csv: data file not found" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sys.executable  # the test runs inside the project's environment


@pytest.mark.e2e
def test_a_faulty_row_further_down_is_one_line_too(capsys, inputs, tmp_path):
    """The runner checks the header only; notebook 01 finds a row of the wrong width as it
    reads the export, and the run ends the same way: one line, no output folder."""
    data = inputs / "responses.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    lines[200] += ",extra"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, err = run_cli(capsys, inputs, out)
    width = len(next(csv.reader([lines[0]])))
    assert_one_line_error(
        code, err, out, "responses.csv", f"row 200: has {width + 1} fields where the header has {width}"
    )
    assert not out.with_name(out.name + ".failed").exists()


def test_the_header_check_reads_what_read_export_reads(inputs):
    data = inputs / "responses.csv"
    assert read_columns(data) == list(read_export(data).frame.columns)
    lines = data.read_text(encoding="utf-8").splitlines()
    for broken, needle in (
        ([lines[0], ""], "header but no responses"),
        ([lines[0], lines[1] + ",x"], "row 1: has"),
        (["", *lines[1:3]], "row 1: has"),
        ([lines[0].replace(lines[0].split(",")[1], "", 1), *lines[1:3]], "empty column name"),
    ):
        data.write_text("\n".join(broken) + "\n", encoding="utf-8")
        with pytest.raises(PhanatError) as full:
            read_export(data)
        with pytest.raises(PhanatError) as header_only:
            read_columns(data)
        assert str(header_only.value) == str(full.value) and needle in str(full.value)
