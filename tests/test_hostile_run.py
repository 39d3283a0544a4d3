"""Hostile inputs through the whole pipeline (issue 16): one real-data run of the example study
with every planted string of tests/fixtures/hostile/planted.yaml (a name and phone number in
the export's file name, an unknown column header, personal data in free text, formulas in
answers, group labels, item text and dimension names), rendered and packaged; a second run of
the same inputs for byte-identical outputs; Ctrl-C, a second writer, a missing key and a path
out of the study through the command line, each asserting exit code and the one-line message."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.cli import main
from analysis.data.synthetic import write_example
from analysis.report.package import build_package, entry_texts
from analysis.report.render import render
from analysis.results.store import PLAIN_NUMBER, load_results
from analysis.run.rundir import run_lock
from analysis.run.runner import run_pipeline
from tests.conftest import TEST_KEY
from tests.test_end_to_end import small_study

pytestmark = pytest.mark.e2e
PLANTED = yaml.safe_load((Path(__file__).parent / "fixtures" / "hostile" / "planted.yaml").read_text("utf-8"))
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plant(base: Path) -> dict[str, Path]:
    """The small example study as real data, with every planted string in place."""
    inputs = small_study(base, synthetic=False)
    study_dir = inputs["study"].parent
    settings = yaml.safe_load((study_dir / "synthetic.yaml").read_text(encoding="utf-8"))
    settings["respondents"] = {"C1": 50, "C2": 60, "C3": 110, "in_both": 40}  # C3: enough for the CFA
    (study_dir / "synthetic.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    write_example(study_dir / "synthetic.yaml")
    Path(str(inputs["data"]) + ".synthetic.json").unlink()  # real data: no sidecar
    config = yaml.safe_load(inputs["study"].read_text(encoding="utf-8"))
    config["unknown_columns"] = "log"
    config["groups"][0]["label_en"] = PLANTED["formulas"]["group_label_en"]
    inputs["study"].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    codebook = yaml.safe_load(inputs["codebook"].read_text(encoding="utf-8"))
    codebook["dimensions"][0]["name_en"] = PLANTED["formulas"]["dimension_name_en"]
    codebook["dimensions"][0]["items"][0]["text_en"] = PLANTED["formulas"]["item_text_en"]
    inputs["codebook"].write_text(yaml.safe_dump(codebook, allow_unicode=True), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(inputs["data"].read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    free = header.index(config["columns"]["free_text"][0])
    item = next(i for i, h in enumerate(header) if codebook["dimensions"][0]["items"][0]["text_th"] in h)
    header.append(PLANTED["unknown_header"])
    for i, row in enumerate(rows[1:], start=1):
        row.append("x")
        if i <= len(PLANTED["free_text"]):
            row[free] = PLANTED["free_text"][i - 1]
    key_col = header.index(config["columns"]["respondent_key"])
    rows[-1][key_col] = PLANTED["respondent_key"]  # a key that looks like no personal data
    rows[10][item] = PLANTED["formulas"]["answer"]
    rows[11][item] = PLANTED["formulas"]["answer_at"]
    data = study_dir / PLANTED["export_name"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    data.write_text(out.getvalue(), encoding="utf-8")
    inputs["data"].unlink()
    inputs["data"] = data
    return inputs


def run_render_package(
    inputs: dict[str, Path], out: Path, formats: tuple[str, ...]
) -> tuple[Path, list[str]]:
    messages: list[str] = []
    run_pipeline(inputs["data"], inputs["codebook"], inputs["study"], out, progress=messages.append)
    render(out, formats=formats, progress=messages.append)
    package = build_package(out, out.parent / f"{out.name}.zip")
    return package, messages


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    inputs = plant(base)
    first, messages = run_render_package(inputs, base / "run1", ("html", "docx", "pdf"))
    second, _ = run_render_package(inputs, base / "run2", ("html", "docx", "pdf"))
    return {"base": base, "inputs": inputs, "out": base / "run1", "package": first, "again": second,
            "messages": messages}  # fmt: skip


def texts_of(name: str, data: bytes) -> list[str]:
    """The readable text of one output file (JSON of notebooks with non-ASCII kept)."""
    if name.endswith(".ipynb"):
        return [json.dumps(json.loads(data), ensure_ascii=False)]
    if name.endswith(".json"):
        return [data.decode("utf-8"), json.dumps(json.loads(data), ensure_ascii=False)]
    return entry_texts(name, data)


def every_output(hostile) -> dict[str, list[str]]:
    files = {
        str(p.relative_to(hostile["out"])): p.read_bytes() for p in hostile["out"].rglob("*") if p.is_file()
    }
    with zipfile.ZipFile(hostile["package"]) as z:
        files |= {f"zip:{n}": z.read(n) for n in z.namelist()}
    return {name: texts_of(name, data) for name, data in files.items()}


def test_no_planted_string_in_any_file_of_the_run_or_the_package(hostile):
    outputs = every_output(hostile)
    assert "zip:MANIFEST.json" in outputs and "notebooks/01_clean.ipynb" in outputs
    secrets = [*PLANTED["secrets"], PLANTED["export_name"], PLANTED["unknown_header"], TEST_KEY]
    for name, texts in outputs.items():
        for secret in secrets:
            assert not any(secret in text for text in texts), (name, secret)
    assert not any(secret in m for m in hostile["messages"] for secret in secrets)


def test_the_export_is_named_by_a_neutral_label_and_its_hash(hostile):
    results = load_results(hostile["out"])
    assert results["meta"]["data_file"] == "export 1" and results["cleaning"]["file"] == "export 1"
    assert len(results["meta"]["data_sha256"]) == 64
    header = hostile["inputs"]["data"].read_text(encoding="utf-8").splitlines()[0].split(",")
    position, length = len(header), len(PLANTED["unknown_header"])
    assert results["cleaning"]["unmatched_columns"] == [f"column {position} ({length} characters)"]
    with zipfile.ZipFile(hostile["package"]) as z:
        assert json.loads(z.read("MANIFEST.json"))["data_file"] == "export 1"


def test_the_copied_study_config_holds_no_key(hostile):
    copied = yaml.safe_load((hostile["out"] / "config" / "study.yaml").read_text(encoding="utf-8"))
    assert "removed" in copied["pseudonym"]["key"]


def is_formula(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.lstrip().startswith(FORMULA_START)
        and value.strip() != "-"
        and not PLAIN_NUMBER.match(value)
    )


def test_every_csv_and_xlsx_cell_is_formula_safe(hostile):
    from openpyxl import load_workbook

    cells: list[str] = []
    for path in hostile["out"].rglob("*.csv"):
        if path.parent.name == "processed":  # codes and numbers, read back by the pipeline
            continue
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")):
            assert not any(is_formula(cell) for cell in row), (path.name, row)
            cells += row
    books = {p.name: p.read_bytes() for p in hostile["out"].rglob("*.xlsx")}
    with zipfile.ZipFile(hostile["package"]) as z:
        books |= {n: z.read(n) for n in z.namelist() if n.endswith(".xlsx")}
    for name, data in books.items():
        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f" and not is_formula(cell.value), (name, cell.coordinate)
                    cells.append(str(cell.value))
    for kind in ("answer", "group_label_en", "item_text_en", "dimension_name_en"):  # the test can fail
        assert any(c.startswith("'") and PLANTED["formulas"][kind][:12] in c for c in cells), kind


def test_package_guard_refuses_a_respondent_key_and_names_member_and_kind(hostile, tmp_path):
    from analysis.data.privacy import pseudonymous_id
    from analysis.errors import PhanatError

    copy = tmp_path / "run"
    shutil.copytree(hostile["out"], copy)
    ids = (copy / "processed" / "responses_clean.csv").read_text(encoding="utf-8")
    assert pseudonymous_id(PLANTED["respondent_key"], TEST_KEY.encode()) in ids  # the row was kept
    note = copy / "tables" / "note.csv"
    note.write_text(f"note\nตอบโดย {PLANTED['respondent_key']}.\n", encoding="utf-8")
    with pytest.raises(PhanatError, match=r"personal data found in tables/note.xlsx \(respondent key\)"):
        build_package(copy, tmp_path / "p.zip")
    note.write_text("note\nติดต่อ ไลน์ kru_somsak77\n", encoding="utf-8")
    with pytest.raises(PhanatError, match=r"tables/note.xlsx \(LINE ID\)"):
        build_package(copy, tmp_path / "p.zip")
    assert not (tmp_path / "p.zip").exists()


def test_package_of_real_data_needs_the_key_for_its_guard(hostile, tmp_path, monkeypatch):
    from analysis.errors import PhanatError

    monkeypatch.delenv("PHANAT_PSEUDONYM_KEY")
    with pytest.raises(PhanatError, match="the package guard checks that no respondent key") as err:
        build_package(hostile["out"], tmp_path / "p.zip")
    assert "\n" not in str(err.value) and not (tmp_path / "p.zip").exists()


def test_identical_runs_give_identical_bytes(hostile):
    one, two = hostile["out"], hostile["base"] / "run2"
    assert load_results(one)["reliability"]["cfa"]["fitted"]
    for stage in ("clean", "reliability", "descriptives", "pdca"):
        text = (one / "results" / f"{stage}.json").read_bytes()
        assert text == (two / "results" / f"{stage}.json").read_bytes(), stage
    tables = sorted(p.name for p in (one / "tables").iterdir())
    assert tables and tables == sorted(p.name for p in (two / "tables").iterdir())
    for name in tables:
        assert (one / "tables" / name).read_bytes() == (two / "tables" / name).read_bytes(), name
    assert hostile["package"].read_bytes() == hostile["again"].read_bytes()


# --------------------------------------------------------------------------- the command line
def cli(inputs: dict[str, Path], out: Path, capsys) -> tuple[int, str]:
    code = main(
        ["run", "--data", str(inputs["data"]), "--codebook", str(inputs["codebook"]),
         "--study", str(inputs["study"]), "--out", str(out), "--quiet"]
    )  # fmt: skip
    return code, capsys.readouterr().err.strip()


def assert_one_line(code: int, err: str, *needles: str) -> None:
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("phanat: error: "), err
    assert "Traceback" not in err and all(n in err for n in needles), err


def test_out_on_the_study_folder_is_refused_and_nothing_is_deleted(hostile, capsys):
    study_dir = hostile["inputs"]["study"].parent
    before = sorted(p.name for p in study_dir.iterdir())
    code, err = cli(hostile["inputs"], study_dir, capsys)
    assert_one_line(code, err, "--out is the folder of the")
    assert sorted(p.name for p in study_dir.iterdir()) == before


def test_second_writer_on_one_out_is_refused(hostile, capsys):
    out = hostile["base"] / "run1"
    with run_lock(out):
        code, err = cli(hostile["inputs"], out, capsys)
    assert_one_line(code, err, "another phanat run is writing this output folder")
    assert (out / "results" / "pdca.json").is_file()


def test_real_data_without_a_secret_key_is_refused(hostile, capsys, monkeypatch):
    monkeypatch.delenv("PHANAT_PSEUDONYM_KEY")
    code, err = cli(hostile["inputs"], hostile["base"] / "nokey", capsys)
    assert_one_line(code, err, "real data need a secret pseudonymisation key")
    assert not (hostile["base"] / "nokey").exists()


def test_config_path_out_of_the_study_is_refused(hostile, capsys, tmp_path):
    study_dir = tmp_path / "study"
    shutil.copytree(hostile["inputs"]["study"].parent, study_dir)
    path = study_dir / "study.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "writeup_file_en: ../../../../../../etc/passwd\n", encoding="utf-8"
    )
    inputs = {
        "data": study_dir / PLANTED["export_name"],
        "codebook": study_dir / "codebook.yaml",
        "study": path,
    }
    code, err = cli(inputs, tmp_path / "run", capsys)
    assert_one_line(code, err, "'writeup_file_en' points outside the study folder")
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    "how", ["Ctrl-C to the process group", "SIGTERM to phanat", "SIGTERM to phanat while 02 and 03 run"]
)
def test_ctrl_c_or_sigterm_stops_cleanly_and_keeps_the_old_results(hostile, tmp_path, how):
    out = tmp_path / "run"
    shutil.copytree(hostile["out"], out)
    before = (out / "results" / "clean.json").read_bytes()
    exe = shutil.which("phanat") or str(paths.PROJ_ROOT / ".venv" / "bin" / "phanat")
    inputs = hostile["inputs"]
    proc = subprocess.Popen(
        [exe, "run", "--data", str(inputs["data"]), "--codebook", str(inputs["codebook"]),
         "--study", str(inputs["study"]), "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env=dict(os.environ),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    partial = tmp_path / "run.partial" / "notebooks"
    while not partial.is_dir() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    if how.endswith("while 02 and 03 run"):  # notebooks side by side, each with its kernel
        while not (partial / "03_descriptives.ipynb").is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
    else:
        time.sleep(2.0)  # inside the first notebook
    if how.startswith("Ctrl-C"):
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    else:
        os.kill(proc.pid, signal.SIGTERM)  # what a scheduler or `kill` does: phanat alone
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("phanat: interrupted"), err
    assert (out / "results" / "clean.json").read_bytes() == before
    assert not (tmp_path / "run.partial").exists() and not (tmp_path / "run.old").exists()
    assert sys.executable
