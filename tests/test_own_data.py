"""An office's own form: timestamps in every shape Google writes, numbered grid items, answer
label sets, loud losses, nothing typed echoed, and codebooks unlike the example's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.config.codebook import Codebook
from analysis.config.criteria import class_interval_criterion, criterion_problem, load_criteria
from analysis.config.labels import LABEL_SETS, best_label_set
from analysis.config.values import parse_count
from analysis.data.cleaning import (
    clean_export,
    loggable_value,
    match_columns,
    parse_scale_answer,
    scale_value_map,
    strip_item_number,
)
from analysis.data.reading import RawExport
from analysis.data.timestamps import AmbiguousDateOrder, infer_date_order, parse_timestamps
from analysis.errors import PhanatError
from analysis.report.reporting import fit_sentence
from analysis.stats.pdca import compare_cycles, holm_adjust
from analysis.stats.reliability import guttman_lambda6
from analysis.stats.validity import cfa_degrees_of_freedom, fit_cfa
from tests.fixtures.own_forms import make_form_export

MOMENT = dt.datetime(2024, 6, 11, 7, 4, 52)


# --------------------------------------------------------------------------- timestamps
@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("15/5/2567, 9:12:33", None, dt.datetime(2024, 5, 15, 9, 12, 33)),  # Sheets, Thai form
        ("15/5/2567 9:12:33", None, dt.datetime(2024, 5, 15, 9, 12, 33)),
        ("15/5/2567 9:12:33 น.", None, dt.datetime(2024, 5, 15, 9, 12, 33)),
        ("๑๕/๕/๒๕๖๗ ๙:๑๒:๓๓", None, dt.datetime(2024, 5, 15, 9, 12, 33)),  # Thai digits
        ("2024/06/11 7:04:52 AM GMT+7", None, MOMENT),  # Forms "Download responses"
        ("2024/06/11 7:04:52 PM GMT+7", None, MOMENT.replace(hour=19)),
        ("2024/06/11 12:04:52 AM GMT+7", None, MOMENT.replace(hour=0)),
        ("2024/06/11 12:04:52 PM GMT+7", None, MOMENT.replace(hour=12)),
        ("2567/06/11 7:04:52 หลังเที่ยง GMT+7", None, MOMENT.replace(hour=19)),  # Thai account, B.E.
        ("2567/06/11 7:04:52 ก่อนเที่ยง GMT+7", None, MOMENT),
        ("6/11/2024 7:04:52", "MDY", MOMENT),  # English (US) locale
        ("6/11/2024 7:04:52 PM", "MDY", MOMENT.replace(hour=19)),
        ("11/6/2024 7:04:52", "DMY", MOMENT),  # English (UK) locale
        ("2024-06-11 07:04:52", None, MOMENT),  # ISO, and XLSX date cells as read
        ("2024-06-11T07:04:52", None, MOMENT),
        ("2024-06-11T07:04:52Z", None, MOMENT),
        ("2024-06-11T07:04:52.250+07:00", None, MOMENT),
        ("2567-06-11 07:04:52", None, MOMENT),  # ISO with a B.E. year
        ("45454.2950462963", None, MOMENT),  # Excel serial date (days since 1899-12-30)
        ("45454", None, dt.datetime(2024, 6, 11)),
        ("11/6/2024", "DMY", dt.datetime(2024, 6, 11)),  # date only
    ],
)
def test_every_timestamp_shape_google_writes(raw, order, expected):
    assert parse_timestamps(pd.Series([raw]), order).iloc[0].to_pydatetime() == expected


@pytest.mark.parametrize("raw", ["yesterday", "31/2/2024 10:00:00", "2024/06/11 13:04:52 PM GMT+7", ""])
def test_unreadable_timestamps_are_missing(raw):
    assert pd.isna(parse_timestamps(pd.Series([raw]), "DMY").iloc[0])


def test_day_month_order_is_read_from_the_whole_column():
    us = pd.Series(["6/11/2024 7:04:52", "6/13/2024 8:00:00"])  # 13 can only be a day
    uk = pd.Series(["11/6/2024 7:04:52", "13/6/2024 8:00:00"])
    assert infer_date_order(us) == "MDY" and infer_date_order(uk) == "DMY"
    assert infer_date_order(pd.Series(["1/7/2564 09:00:00"])) == "DMY"  # B.E.: a Thai locale
    with pytest.raises(AmbiguousDateOrder):
        infer_date_order(pd.Series(["6/11/2024 7:04:52", "7/12/2024 8:00:00"]))
    assert infer_date_order(pd.Series(["6/11/2024 7:04:52"]), "MDY") == "MDY"
    with pytest.raises(ValueError, match="does not fit the data"):
        infer_date_order(us, "DMY")


def test_an_ambiguous_column_stops_the_run_asking_for_timestamp_format(tmp_path, codebook, study):
    frame = pd.DataFrame({"ประทับเวลา": ["6/11/2024 7:04:52"], "ที่อยู่อีเมล": ["a@example.com"]})
    for item in codebook.items:
        frame[item.code] = "มาก"
    raw = RawExport(tmp_path / "x.csv", frame.astype(str), "utf-8", "0" * 64)
    with pytest.raises(PhanatError, match="timestamp_format: DMY"):
        clean_export(
            raw,
            codebook,
            dataclasses.replace(study, columns=dataclasses.replace(study.columns, group=None, free_text=())),
        )


# --------------------------------------------------------------------------- matching
@pytest.mark.parametrize(
    "header",
    [
        "1. โรงเรียนจัดทำแผน",
        "1) โรงเรียนจัดทำแผน",
        "๑. โรงเรียนจัดทำแผน",
        "ข้อ 1 โรงเรียนจัดทำแผน",
        "ข้อที่ 1. โรงเรียนจัดทำแผน",
        "1.2 โรงเรียนจัดทำแผน",
        "โรงเรียนจัดทำแผน",
    ],
)
def test_item_numbers_are_not_part_of_the_question(header):
    assert strip_item_number(header) == "โรงเรียนจัดทำแผน"


def numbered_export(codebook, study, numbering):
    columns = ["ประทับเวลา", "ที่อยู่อีเมล", "สถานภาพ", "ข้อเสนอแนะเพิ่มเติม"]
    for dim in codebook.dimensions:
        for i, item in enumerate(dim.items, start=1):
            columns.append(f"ด้านที่ {dim.order} {dim.name_th} [{numbering.format(i=i)}{item.text_th}]")
    return columns


@pytest.mark.parametrize("numbering", ["{i}. ", "{i}) ", "ข้อ {i} ", ""])
def test_numbered_grid_headers_match_the_codebook(codebook, study, numbering):
    cmap = match_columns(numbered_export(codebook, study, numbering), codebook, study, None)
    assert list(cmap.items) == codebook.item_codes and cmap.unmatched == ()


def test_a_missing_item_names_the_closest_column(codebook, study):
    columns = numbered_export(codebook, study, "{i}. ")
    columns = [c.replace("กำหนดคุณสมบัติของการเป็นสมาชิก", "กำหนดคุณสมบัติการเป็นสมาชิก") for c in columns]
    with pytest.raises(PhanatError) as err:
        match_columns(columns, codebook, dataclasses.replace(study, unknown_columns="log"), None)
    message = str(err.value)
    assert (
        "PAR1 not found" in message
        and "closest unmatched column is number 5 " in message
        and "alike" in message
    )


# --------------------------------------------------------------------------- labels
@pytest.mark.parametrize("label_set", LABEL_SETS, ids=lambda s: s.key)
def test_every_label_set_is_recognised_from_its_answers(label_set):
    for labels in (label_set.th, label_set.en):
        found, unknown = best_label_set(set(labels))
        assert found is not None and found.n_points == label_set.n_points and unknown == []
        assert found.value_of()[labels[0].casefold().replace(" ", "")] == label_set.n_points


def test_also_labels_are_read_as_their_point(codebook):
    points = tuple(
        dataclasses.replace(p, also=(("เห็นด้วยอย่างยิ่ง",) if p.value == 5 else ())) for p in codebook.points
    )
    value_map = scale_value_map(dataclasses.replace(codebook, points=points))
    assert parse_scale_answer("เห็นด้วยอย่างยิ่ง", value_map) == (5, None)
    assert parse_scale_answer("เห็นด้วย", value_map) == (None, "not a scale label or number")


# --------------------------------------------------------------------------- nothing typed echoes
@pytest.mark.parametrize(
    "typed",
    [
        "กิตติพงษ์ บุญญาธิการ",
        "นายกิตติพงษ์ บุญญาธิการ",
        "kittipong@example.com",
        "0891234567",
        "089-123-4567",
        "1234567890123",
        "1 2345 67890 12 3",
        "line id: kittipong89",
    ],
)
def test_typed_values_are_logged_by_kind_and_length_only(typed):
    shown = loggable_value(typed)
    assert typed not in shown and shown.endswith(f"{len(typed)} characters")


@pytest.mark.parametrize("value", ["x", "6", "5.5", "12", "ครู", "เห็นด้วยอย่างยิ่ง", "Strongly agree"])
def test_codes_and_known_labels_are_logged_as_they_are(value):
    assert loggable_value(value) == value


def test_timestamps_are_logged_by_shape():
    assert loggable_value("2024/06/11 7:04 PM GMT+7", "timestamp") == "dddd/dd/dd d:dd PM GMT+7"
    assert loggable_value("สมชาย ใจดี", "timestamp") == "กกกกก กกกก"  # a shape, never the text


# --------------------------------------------------------------------------- losses
def agreement_export(tmp_path, codebook, share_unknown: float, n: int = 40) -> RawExport:
    """The example's items answered with a label set the codebook does not have, in a share
    of the cells."""
    rng = np.random.default_rng(5)
    rows = []
    for r in range(n):
        row = {"ประทับเวลา": f"{1 + r % 28}/8/2564 10:00:00", "ที่อยู่อีเมล": f"t{r}@example.com"}
        for item in codebook.items:
            value = int(rng.integers(3, 6))
            if rng.random() < share_unknown:
                row[item.code] = {5: "เห็นด้วยอย่างยิ่ง", 4: "เห็นด้วย", 3: "ไม่แน่ใจ"}[value]
            else:
                row[item.code] = {5: "มากที่สุด", 4: "มาก", 3: "ปานกลาง"}[value]
        rows.append(row)
    return RawExport(tmp_path / "agree.csv", pd.DataFrame(rows).astype(str), "utf-8", "0" * 64)


def test_unknown_labels_are_a_loss_with_values_and_the_fix(tmp_path, codebook, study):
    plain = dataclasses.replace(study, columns=dataclasses.replace(study.columns, group=None, free_text=()))
    result = clean_export(agreement_export(tmp_path, codebook, 0.3), codebook, plain)
    (loss,) = [x for x in result.summary["losses"] if x["rule"] == "unknown_answer"]
    assert loss["unit"] == "answers" and loss["over"] and 0.25 < loss["share"] < 0.35
    assert {t["value"] for t in loss["top"]} <= {"เห็นด้วยอย่างยิ่ง", "เห็นด้วย", "ไม่แน่ใจ"}
    assert "value 5: also: [เห็นด้วยอย่างยิ่ง]" in loss["fix"]
    small = clean_export(agreement_export(tmp_path, codebook, 0.01), codebook, plain)
    (loss,) = [x for x in small.summary["losses"] if x["rule"] == "unknown_answer"]
    assert not loss["over"]


# --------------------------------------------------------------------------- config
@pytest.mark.parametrize(
    ("value", "expected"),
    [(1480, 1480), ("1480", 1480), ("1,480", 1480), ("1,480 คน", 1480), ("๑,๔๘๐", 1480), (None, None)],
)
def test_population_counts(value, expected, tmp_path):
    assert parse_count(value, "population", tmp_path) == expected


@pytest.mark.parametrize("value", ["1.480", "about 1500", "1,48", "0", True, "-5"])
def test_population_that_is_not_a_count_is_an_error(value, tmp_path):
    with pytest.raises(PhanatError, match="population"):
        parse_count(value, "population", tmp_path)


def test_class_interval_is_computed_from_the_scale(study):
    criteria = load_criteria(study.criteria_file)
    five = class_interval_criterion(1, 5)
    assert [(b.low, b.high) for b in five.bands] == [
        (b.low, b.high) for b in criteria["class_interval_0.80"].bands
    ]
    four = class_interval_criterion(1, 4)  # width 3/4 = 0.75 (Best, 1977)
    assert [(b.low, b.high) for b in four.bands] == [(3.26, 4.0), (2.51, 3.25), (1.76, 2.5), (1.0, 1.75)]
    seven = class_interval_criterion(1, 7)  # width 6/7 = 0.857
    assert seven.bands[0].low == 6.15 and seven.bands[-1].high == 1.86 and len(seven.bands) == 7
    assert criterion_problem(criteria["class_interval_0.80"], 1, 4) is not None  # 5-point bands
    assert criterion_problem(four, 1, 4) is None


def test_criterion_bands_with_a_gap_or_overlap_are_errors(study):
    bands = list(load_criteria(study.criteria_file)["srisaard_0.50"].bands)
    gap = dataclasses.replace(
        load_criteria(study.criteria_file)["srisaard_0.50"], bands=tuple(bands[:1] + bands[2:])
    )
    assert "gap" in criterion_problem(gap, 1, 5)
    shifted = dataclasses.replace(bands[1], high=4.60)
    overlap = dataclasses.replace(gap, bands=(bands[0], shifted, *bands[2:]))
    assert "overlap" in criterion_problem(overlap, 1, 5)


# --------------------------------------------------------------------------- undefined statistics
def test_holm_ignores_undefined_p_values():
    # R: p.adjust(c(0.01, NA, 0.04, 0.03), "holm") -> 0.03 NA 0.06 0.06 (NAs are left out, n = 3)
    out = holm_adjust(np.array([0.01, np.nan, 0.04, 0.03]))
    np.testing.assert_allclose(out, [0.03, np.nan, 0.06, 0.06])


def test_a_constant_paired_change_is_judged_by_wilcoxon():
    ids = pd.Series([f"R{i}" for i in range(12)] * 2)
    cycles = pd.Series(["C1"] * 12 + ["C2"] * 12)
    before = np.linspace(3, 4, 12)
    scores = pd.DataFrame({"X": np.concatenate([before, before + 0.25])})
    row = compare_cycles(scores, ids, cycles, "C1", "C2", ["X"]).iloc[0]
    assert row["test"] == "Wilcoxon signed-rank test" and row["p"] == row["wilcoxon_p"] < 0.05
    assert row["verdict"] == "improved" and "paired_constant" in row["note_codes"].split(";")
    assert row["paired_mean_difference"] == pytest.approx(0.25)


def test_lambda6_is_never_above_one():
    r = np.array([[1, 0.999999, 0.5], [0.999999, 1, 0.5], [0.5, 0.5, 1]])
    value = guttman_lambda6(r)
    assert value is None or value <= 1


def test_cfa_degrees_of_freedom_match_lavaan(reference):
    # lavaan::cfa on the example (27 items, 6 factors): df = 309 (tests/reference/fixtures.json)
    assert cfa_degrees_of_freedom(27, 6) == reference["cfa"]["fit"]["df"]
    assert cfa_degrees_of_freedom(3, 1) == 0 and cfa_degrees_of_freedom(4, 1) == 2


def test_a_just_identified_cfa_is_said_in_words_not_a_crash(codebook):
    dim = dataclasses.replace(codebook.dimensions[0], items=codebook.dimensions[0].items[:3])
    one = Codebook(codebook.path, "", "", 1, 5, codebook.points, (dim,))
    rng = np.random.default_rng(1)
    data = pd.DataFrame(rng.integers(1, 6, size=(80, 3)), columns=one.item_codes)
    result = fit_cfa(data, one)
    assert not result.fitted and result.reason == "no_degrees_of_freedom"
    assert "องศาอิสระเท่ากับ 0" in fit_sentence(result, "th")
    assert "0 degrees of freedom" in fit_sentence(result, "en")


def test_init_drafts_a_runnable_codebook_from_an_export(tmp_path):
    from analysis.config.codebook import load_codebook
    from analysis.config.study import load_study
    from analysis.data.drafting import draft_study

    export = make_form_export(
        tmp_path / "form" / "export.csv", scale="en_agree7", english=True, stamps="en_us"
    )
    draft = draft_study(export)
    codebook = load_codebook(tmp_path / "form" / "codebook.yaml")
    study = load_study(tmp_path / "form" / "study.yaml")
    assert codebook.scale_max == 7 and [len(d.items) for d in codebook.dimensions] == [4, 4, 3, 3]
    assert codebook.items[0].text_th == "โรงเรียนจัดทำแผนพัฒนาคุณภาพการศึกษาอย่างเป็นระบบ"
    assert study.timestamp_format == "MDY" and study.groups == () and study.criterion == "class_interval"
    assert "# check:" in (tmp_path / "form" / "study.yaml").read_text(encoding="utf-8")
    assert any("population" in t for t in draft.todo)


def test_rows_outside_every_cycle_window_are_a_loss_with_their_dates(tmp_path, codebook, study):
    raw = agreement_export(tmp_path, codebook, 0.0)
    late = raw.frame.copy()
    late.loc[:9, "ประทับเวลา"] = "3/10/2565 10:00:00"  # 10 of 40 rows after every window
    plain = dataclasses.replace(study, columns=dataclasses.replace(study.columns, group=None, free_text=()))
    result = clean_export(dataclasses.replace(raw, frame=late), codebook, plain)
    (loss,) = [x for x in result.summary["losses"] if x["rule"] == "outside_cycles"]
    assert (loss["count"], loss["of"], loss["over"]) == (10, 40, True)
    assert loss["top"] == [{"column": "ประทับเวลา", "value": "2022-10-03", "count": 10}]
    assert "C2 2021-07-01..2021-09-30" in loss["fix"] and loss["rows"] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("seeds:\n  bootstrap: สองห้าหกสี่", "'seeds.bootstrap' must be a whole number, not 'สองห้าหกสี่'"),
        ("reliability:\n  n_boot: 2,000 resamples", "'reliability.n_boot' must be a whole number"),
        ("pdca:\n  act_lowest: three", "'pdca.act_lowest' must be a whole number, not 'three'"),
    ],
)
def test_a_word_where_the_study_config_wants_a_number_is_one_line(tmp_path, edit, message):
    from analysis.config.study import load_study

    text = (Path(__file__).parents[1] / "data/raw/example/study.yaml").read_text(encoding="utf-8")
    key = edit.split(":")[0]
    text = re.sub(rf"^{key}:\n(  .*\n)+", "", text, flags=re.M) + edit + "\n"
    (tmp_path / "study.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PhanatError, match=re.escape(message)):
        load_study(tmp_path / "study.yaml")


def test_numbers_in_config_take_thai_digits_and_separators(tmp_path):
    from analysis.config.values import parse_number

    assert parse_number("๒,๕๖๔", "seeds.bootstrap", tmp_path, whole=True) == 2564
    assert parse_number("0.30", "x", tmp_path) == 0.3
    with pytest.raises(PhanatError):
        parse_number("5 points", "x", tmp_path)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([(5, "มาก", "Highest"), (4, "มาก", "High")], "names both point 5 and point 4"),
        ([(5, "มากที่สุด", "มาก"), (4, "มาก", "High")], "names both point 5 and point 4"),
        ([(5, "มากที่สุด", "Highest"), (1, "น้อยที่สุด", "5")], "is the digit of point 5"),
        ([(5, "ห้า", "five")], None),
    ],
)
def test_scale_labels_name_one_point_each(tmp_path, points, message):
    from analysis.config.codebook import load_codebook

    full = {5: ("มากที่สุด", "Highest"), 4: ("มาก", "High"), 3: ("ปานกลาง", "Moderate"), 2: ("น้อย", "Low"),
            1: ("น้อยที่สุด", "Lowest")}  # fmt: skip
    for value, th, en in points:
        full[value] = (th, en)
    lines = ["scale:", "  min: 1", "  max: 5", "  points:"]
    lines += [
        f"    - {{value: {v}, th: '{th}', en: '{en}'}}" for v, (th, en) in sorted(full.items(), reverse=True)
    ]
    lines += ["dimensions:", "  - {code: A, name_th: ก, name_en: A, items: [{code: A1, text_th: ข้อ}]}"]
    (tmp_path / "codebook.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if message is None:
        assert load_codebook(tmp_path / "codebook.yaml").scale_max == 5
    else:
        with pytest.raises(PhanatError, match=message):
            load_codebook(tmp_path / "codebook.yaml")


def test_a_word_where_the_codebook_wants_a_number_is_one_line(tmp_path):
    from analysis.config.codebook import load_codebook

    text = (Path(__file__).parents[1] / "data/raw/example/codebook.yaml").read_text(encoding="utf-8")
    (tmp_path / "codebook.yaml").write_text(text.replace("{value: 5,", "{value: ห้า,", 1), encoding="utf-8")
    with pytest.raises(PhanatError, match="'scale.points\\[0\\].value' must be a whole number, not 'ห้า'"):
        load_codebook(tmp_path / "codebook.yaml")
    (tmp_path / "codebook.yaml").write_text(text.replace("order: 1", "order: first", 1), encoding="utf-8")
    with pytest.raises(PhanatError, match="'dimensions\\[0\\].order' must be a whole number, not 'first'"):
        load_codebook(tmp_path / "codebook.yaml")


def test_a_five_point_criterion_on_a_four_point_scale_stops_before_the_run(tmp_path):
    from analysis.run.pipeline import load_context

    root = Path(__file__).parents[1] / "data/raw/example"
    for name in ("codebook.yaml", "study.yaml", "criteria.yaml"):
        (tmp_path / name).write_text((root / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "codebook.yaml").read_text(encoding="utf-8")
    text = text.replace("  max: 5\n", "  max: 4\n").replace("    - {value: 5, th: มากที่สุด, en: Highest}\n", "")
    (tmp_path / "codebook.yaml").write_text(text, encoding="utf-8")
    study = (tmp_path / "study.yaml").read_text(encoding="utf-8")
    optional_files = "ioc_file|indicators_file|rubrics_file|writeup_file_en|themes_file"
    study = re.sub(rf"(?m)^  ({optional_files}): .*$", "", study)
    (tmp_path / "study.yaml").write_text(study, encoding="utf-8")
    with pytest.raises(
        PhanatError, match="does not fit the codebook's 4-point scale.*criterion: class_interval"
    ):
        load_context(
            tmp_path / "x.csv", tmp_path / "codebook.yaml", tmp_path / "study.yaml", tmp_path / "out"
        )
    (tmp_path / "study.yaml").write_text(
        study.replace("class_interval_0.80", "class_interval"), encoding="utf-8"
    )
    ctx = load_context(
        tmp_path / "x.csv", tmp_path / "codebook.yaml", tmp_path / "study.yaml", tmp_path / "out"
    )
    assert [b.high for b in ctx.criterion.bands] == [4.0, 3.25, 2.5, 1.75]
