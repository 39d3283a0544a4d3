"""The messy-export corpus (tests/fixtures/exports): every fixture's cleaning log is compared
with its reviewed expected log, and every raw row is accounted for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.config.codebook import load_codebook
from analysis.config.study import load_study
from analysis.data.cleaning import CleaningResult, clean_export
from analysis.data.privacy import contains_personal_data
from analysis.data.reading import read_export
from analysis.errors import PhanatError

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = FIXTURES / "exports"
WITH_LOGS = sorted(p for p in EXPORTS.glob("*.log.csv"))


def clean_fixture(path: Path) -> CleaningResult:
    codebook = load_codebook(FIXTURES / "mini" / "codebook.yaml")
    study = load_study(FIXTURES / "mini" / "study.yaml")
    sheet = "Form responses 1" if path.suffix == ".xlsx" else None
    return clean_export(read_export(path, sheet), codebook, study)


def export_of(log: Path) -> Path:
    stem = log.name.removesuffix(".log.csv")
    return next(p for p in EXPORTS.glob(stem + ".*") if not p.name.endswith(".log.csv"))


@pytest.mark.parametrize("log", WITH_LOGS, ids=[p.name.removesuffix(".log.csv") for p in WITH_LOGS])
def test_log_matches_the_reviewed_log(log):
    result = clean_fixture(export_of(log))
    expected = pd.read_csv(log, dtype=str, keep_default_na=False)
    got = result.log.astype(str)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)
    s = result.summary
    assert s["n_raw"] == s["n_kept"] + sum(s["dropped_by_reason"].values())
    dropped_rows = set(result.log.loc[result.log["action"] == "dropped row", "raw_row"])
    assert set(range(1, s["n_raw"] + 1)) == dropped_rows | set(result.data["raw_row"])
    assert not contains_personal_data(result.log.to_csv() + result.data.to_csv())


def test_corpus_covers_the_cases_the_issue_names():
    names = {p.name for p in EXPORTS.iterdir()}
    for needed in (
        "cp874.csv",
        "bom.csv",
        "sheets.xlsx",
        "spss.sav",
        "thai_labels.csv",
        "thai_digits.csv",
        "out_of_range.csv",
        "duplicates_and_resubmissions.csv",
        "straight_liner_and_incomplete.csv",
        "empty.csv",
        "header_only.csv",
        "unknown_column.csv",
        "wrong_type.pdf",
    ):
        assert needed in names


@pytest.mark.parametrize("name", ["bom.csv", "cp874.csv", "sheets.xlsx", "unknown_column.csv"])
def test_same_answers_in_any_format_give_the_same_data(name):
    reference = clean_fixture(EXPORTS / "thai_labels.csv").data
    pd.testing.assert_frame_equal(clean_fixture(EXPORTS / name).data, reference)


def test_spss_value_labels_are_applied():
    data = clean_fixture(EXPORTS / "spss.sav").data
    assert data["group"].tolist() == ["teacher", "staff"]
    assert data["A1"].tolist() == [5, 4] and data["A2"].tolist() == [4, 3]  # A2 reverse-keyed


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "empty.csv: the file is empty"),
        ("header_only.csv", "header_only.csv: the file has a header but no responses"),
        ("wrong_type.pdf", "wrong_type.pdf: unknown file type '.pdf'"),
        ("latin1.csv", "latin1.csv: is not UTF-8"),
    ],
)
def test_unreadable_files_give_one_line_errors(name, message):
    with pytest.raises(PhanatError) as err:
        clean_fixture(EXPORTS / name)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_unknown_column_is_listed_in_the_log():
    log = clean_fixture(EXPORTS / "unknown_column.csv").log
    row = log[log["action"] == "column not used"].iloc[0]
    header = (EXPORTS / "unknown_column.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    position = header.index("คำถามเพิ่มเติม") + 1
    assert row["column"] == f"column {position} (14 characters)" and row["raw_row"] == 0  # never the header
    assert "คำถามเพิ่มเติม" not in log.to_csv()


def test_free_text_with_personal_data_never_reaches_outputs():
    result = clean_fixture(EXPORTS / "free_text_with_personal_data.csv")
    text = result.data.to_csv() + result.log.to_csv() + str(result.summary)
    for secret in ("สมชาย", "0812345678", "1101200345678", "a@example.com"):
        assert secret not in text
