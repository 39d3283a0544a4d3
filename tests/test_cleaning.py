import dataclasses
import datetime as dt

import pandas as pd
import pytest

from analysis import paths
from analysis.data.cleaning import (
    clean_export,
    match_columns,
    normalize_text,
    parse_scale_answer,
    reverse_score,
    scale_value_map,
)
from analysis.data.privacy import contains_personal_data
from analysis.data.reading import read_export
from analysis.data.synthetic import google_forms_headers
from analysis.data.timestamps import parse_timestamp, parse_timestamps
from analysis.errors import PhanatError


def make_export(tmp_path, codebook, study, rows: list[dict], extra: dict | None = None):
    """Write a small Google-Forms-style export; each row gives timestamp, email, group and
    answers (by item code, default 'มาก')."""
    header = google_forms_headers(codebook, study)
    records = []
    for row in rows:
        rec = {"ประทับเวลา": row["ts"], "ที่อยู่อีเมล": row["email"], "สถานภาพ": row.get("group", "ลูกจ้างประจำ")}
        rec |= {header[c]: row.get(c, row.get("all", "มาก")) for c in codebook.item_codes}
        rec["ข้อเสนอแนะเพิ่มเติม"] = row.get("note", "")
        rec |= extra or {}
        records.append(rec)
    path = tmp_path / "export.csv"
    pd.DataFrame(records).to_csv(path, index=False, encoding="utf-8")
    return read_export(path)


def test_normalize_text_handles_nfc_zero_width_and_nbsp():
    assert normalize_text("  มาก\u200bที่สุด\u00a0 ") == "มากที่สุด"
    assert normalize_text("ด้าน  ที่ 1\t[ข้อ]") == "ด้าน ที่ 1 [ข้อ]"


@pytest.mark.parametrize(
    ("raw", "value", "reason"),
    [
        ("มากที่สุด", 5, None),
        (" มาก ", 4, None),
        ("Moderate", 3, None),
        ("low", 2, None),
        ("1", 1, None),
        ("๕", 5, None),
        ("5.0", 5, None),
        ("", None, None),
        ("0", None, "number outside the scale"),
        ("6", None, "number outside the scale"),
        ("5.5", None, "not a whole number"),
        ("x", None, "not a scale label or number"),
    ],
)
def test_scale_answers(codebook, raw, value, reason):
    assert parse_scale_answer(raw, scale_value_map(codebook)) == (value, reason)


def test_reverse_uses_scale_bounds_not_observed_ones():
    # Nobody chose 1 or 5: jamovi's (observed min + max) - x would give 6 - x only by luck;
    # with answers 2..4 it gives (2 + 4) - x. The scale's own bounds give 6 - x.
    answers = pd.Series([2, 3, 4], dtype="Int64")
    assert reverse_score(answers, 1, 5).tolist() == [4, 3, 2]


def test_timestamps_buddhist_and_common_era():
    assert parse_timestamp("15/9/2564 10:23:45").year == 2021
    assert parse_timestamp("2021-09-15 10:23:45").year == 2021
    assert parse_timestamp("๑๕/๙/๒๕๖๔ ๑๐:๒๓:๔๕").month == 9
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp("29/2/2563 08:00:00") == dt.datetime(2020, 2, 29, 8)  # leap day, B.E.
    assert parse_timestamp("29/2/2564 08:00:00") is None  # 2021 has no 29 February
    assert parse_timestamps(pd.Series(["29/2/2563 08:00:00", "29/2/2564 08:00:00"])).isna().tolist() == [
        False,
        True,
    ]


def test_example_every_row_accounted_for_and_no_personal_data(codebook, study):
    result = clean_export(read_export(paths.EXAMPLE_DATA), codebook, study)
    s = result.summary
    # 340 + 360 + 350 respondents, 4 resubmissions and 3 exact duplicates (synthetic.yaml); counted
    # from the CSV with pandas (duplicated rows; e-mails submitting twice in a cycle)
    assert s["n_raw"] == s["n_kept"] + sum(s["dropped_by_reason"].values()) == 1057
    assert s["dropped_by_reason"] == {
        "exact duplicate submission": 3,
        "earlier submission by the same respondent in the cycle": 4,
    }
    dropped_rows = result.log[result.log["action"] == "dropped row"]
    assert len(dropped_rows) == s["n_dropped"]
    assert "ที่อยู่อีเมล" not in result.data.columns and "ข้อเสนอแนะเพิ่มเติม" not in result.data.columns
    for frame in (result.data, result.log):
        text = frame.astype(str).to_csv()
        assert "@" not in text and not contains_personal_data(text)
    assert result.data.groupby("cycle")["respondent_id"].apply(lambda s: s.is_unique).all()


def test_messy_rows_are_logged(tmp_path, codebook, study):
    rows = [
        {"ts": "1/7/2564 09:00:00", "email": "a@example.com"},
        {"ts": "1/7/2564 09:00:00", "email": "a@example.com"},  # exact duplicate
        {"ts": "2/7/2564 09:00:00", "email": "A@Example.com", "all": "มากที่สุด"},  # resubmission
        {"ts": "3/7/2564 09:00:00", "email": "b@example.com", "PAR1": "6", "HAP2": "x"},
        {"ts": "1/1/2560 09:00:00", "email": "c@example.com"},  # outside every cycle
        {"ts": "not a time", "email": "d@example.com"},
        {"ts": "4/7/2564 09:00:00", "email": "e@example.com", "all": ""},  # nothing answered
        {"ts": "5/7/2564 09:00:00", "email": "", "note": "โทร 0812345678"},  # no key
    ]
    result = clean_export(make_export(tmp_path, codebook, study, rows), codebook, study)
    s = result.summary
    assert s["n_raw"] == 8 and s["n_kept"] == 2
    assert s["n_raw"] == s["n_kept"] + sum(s["dropped_by_reason"].values())
    log = result.log
    assert set(log.loc[log["action"] == "dropped row", "raw_row"]) == {1, 2, 5, 6, 7, 8}
    bad = log[log["action"] == "set missing"].set_index("column")
    assert bad.loc["PAR1", "raw_value"] == "6" and bad.loc["PAR1", "raw_row"] == 4
    assert bad.loc["HAP2", "reason"] == "not a scale label or number"
    kept = result.data.set_index("raw_row")
    assert kept.loc[3, "PAR1"] == 5 and kept.loc[3, "PAR5"] == 1  # PAR5 reverse-keyed: 6 - 5
    assert pd.isna(kept.loc[4, "PAR1"])
    assert not contains_personal_data(log.to_csv())


def test_unknown_column_and_missing_item_are_errors(tmp_path, codebook, study):
    raw = make_export(
        tmp_path,
        codebook,
        study,
        [{"ts": "1/7/2564 09:00:00", "email": "a@x.org"}],
        extra={"คำถามที่ไม่รู้จัก": "1"},
    )
    position = list(raw.frame.columns).index("คำถามที่ไม่รู้จัก") + 1
    with pytest.raises(
        PhanatError, match=rf"not in the codebook or study config, first column {position} \(17 "
    ) as err:
        match_columns(list(raw.frame.columns), codebook, study, raw.path)
    assert "คำถามที่ไม่รู้จัก" not in str(err.value)  # a header is untrusted text
    columns = [c for c in raw.frame.columns if "PAR3" not in c and "สมาชิกได้รับสวัสดิการ" not in c]
    with pytest.raises(PhanatError, match="PAR3 not found in the data"):
        match_columns(columns, codebook, study, raw.path)


def test_columns_match_by_code_too(codebook, study):
    columns = ["ประทับเวลา", "ที่อยู่อีเมล", "สถานภาพ", *codebook.item_codes]
    cmap = match_columns(columns, codebook, study, paths.EXAMPLE_DATA)
    assert cmap.items["TEC4"] == "TEC4" and cmap.unmatched == ()


def test_cleaning_the_example_reproduces_the_r_fixture_input(tmp_path, codebook):
    """tests/reference/example_processed.csv (R's input) is exactly what cleaning gives today on
    the frozen two-cycle example export (the generator still makes it byte for byte)."""
    from analysis.config.study import load_study
    from analysis.data.reading import sha256_file
    from tests.conftest import REFERENCE
    from tests.reference.export_example import FROZEN_SHA256, frozen_example

    data, _, study_path = frozen_example(tmp_path)
    assert sha256_file(data) == FROZEN_SHA256
    result = clean_export(read_export(data), codebook, load_study(study_path))
    expected = pd.read_csv(REFERENCE / "example_processed.csv", dtype=str, keep_default_na=False)
    got = result.data[expected.columns].astype("string").fillna("")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.astype("string"))


def test_schema_reports_every_violation_at_once(codebook, study):
    from analysis.data.cleaning import validate_processed

    data = clean_export(read_export(paths.EXAMPLE_DATA), codebook, study).data.head(3).copy()
    data.loc[0, "PAR1"] = 9
    data.loc[1, "cycle"] = "C9"
    data.loc[2, "respondent_id"] = "someone@example.com"
    with pytest.raises(PhanatError) as err:
        validate_processed(data, codebook, study, paths.EXAMPLE_DATA)
    message = str(err.value)
    assert "3 schema check(s)" in message
    for column in ("PAR1", "cycle", "respondent_id"):
        assert column in message
    assert "someone@example.com" not in message  # failing values are redacted too


def test_summary_records_the_raw_files_sha256(codebook, study):
    from analysis.data.reading import sha256_file

    summary = clean_export(read_export(paths.EXAMPLE_DATA), codebook, study).summary
    assert summary["sha256"] == sha256_file(paths.EXAMPLE_DATA) and summary["file"] == "export 1"


# --------------------------------------------------------------------------- cycle inputs (issue 6)
def test_one_export_per_cycle_in_a_folder(tmp_path, codebook, study):
    """A folder of exports is read as one table; every row is traced to its file."""
    from analysis.data.reading import read_export

    raw = read_export(paths.EXAMPLE_DATA)
    header, *rows = paths.EXAMPLE_DATA.read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "exports"
    folder.mkdir()
    half = len(rows) // 2
    (folder / "c1.csv").write_text("\n".join([header, *rows[:half]]) + "\n", encoding="utf-8")
    (folder / "c2.csv").write_text("\n".join([header, *rows[half:]]) + "\n", encoding="utf-8")
    combined = read_export(folder)
    assert combined.n_rows == raw.n_rows
    assert [p[0] for p in combined.parts] == ["c1.csv", "c2.csv"]
    assert combined.parts[1][2] == half + 1 and combined.parts[1][3] == raw.n_rows
    a = clean_export(dataclasses.replace(raw, path=tmp_path / "real.csv"), codebook, study)  # real data
    b = clean_export(combined, codebook, study)
    pd.testing.assert_frame_equal(a.data, b.data)
    assert [p["file"] for p in b.summary["parts"]] == ["export 1", "export 2"]  # never the file names
    assert b.summary["file"] == "exports 1-2"


def test_folder_exports_must_share_columns(tmp_path):
    from analysis.data.reading import read_export

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    (folder / "b.csv").write_text("x,z\n1,2\n", encoding="utf-8")
    with pytest.raises(PhanatError, match=r"b.csv: columns differ from a.csv \(extra: z; missing: y\)"):
        read_export(folder)
    empty = tmp_path / "none"
    empty.mkdir()
    with pytest.raises(PhanatError, match="holds no exports"):
        read_export(empty)


def test_cycle_column_decides_the_cycle(tmp_path, codebook, study):
    import dataclasses

    from analysis.data.reading import read_export

    raw = read_export(paths.EXAMPLE_DATA)
    frame = raw.frame.copy()
    frame["วงรอบ"] = "C1"
    frame.loc[frame.index[:5], "วงรอบ"] = "วงรอบที่ 2 (ปีงบประมาณ พ.ศ. 2564)"  # a cycle's Thai name
    frame.loc[frame.index[5], "วงรอบ"] = "C9"
    custom = dataclasses.replace(study, columns=dataclasses.replace(study.columns, cycle="วงรอบ"))
    result = clean_export(dataclasses.replace(raw, frame=frame), codebook, custom)
    log = result.log
    assert (log["reason"].str.startswith("cycle value not one of the study's cycles")).sum() == 1
    assert set(result.data["cycle"]) == {"C1", "C2"}
    assert (result.data["cycle"] == "C2").sum() <= 5
