"""Sample adequacy against Krejcie & Morgan's (1970) published table and Yamane's formula."""

import dataclasses

import pytest

from analysis.sampling import (
    adequacy_sentence_en,
    adequacy_sentence_th,
    krejcie_morgan,
    sample_adequacy,
    yamane,
)


@pytest.mark.parametrize(
    "population, required",
    # Krejcie & Morgan (1970), Table 1. (Its last row, 100,000 -> 384, is the limit for an
    # infinite population; the formula gives 383 there.)
    [
        (10, 10),
        (50, 44),
        (100, 80),
        (200, 132),
        (500, 217),
        (1000, 278),
        (2000, 322),
        (5000, 357),
    ],
)
def test_krejcie_morgan_reproduces_the_table(population, required):
    assert krejcie_morgan(population) == required


def test_yamane_worked_examples():
    # n = N / (1 + N e^2): 1,000 / 3.5 = 285.7 -> 286; 500 / 2.25 = 222.2 -> 223
    assert yamane(1000) == 286 and yamane(500) == 223 and yamane(86) == 71


def test_adequacy_per_group_and_overall(study):
    table = sample_adequacy(study, {"teacher": 250, "employee": 20, "pensioner": 90})
    rows = table.set_index("group")
    assert rows.loc["overall", "population"] == 1480 + 86 + 612
    assert rows.loc["overall", "n"] == 360
    assert rows.loc["overall", "response_rate"] == pytest.approx(100 * 360 / 2178)
    assert rows.loc["overall", "required_krejcie_morgan"] == krejcie_morgan(2178)
    assert bool(rows.loc["overall", "adequate_krejcie_morgan"]) is True
    assert bool(rows.loc["employee", "adequate_krejcie_morgan"]) is False  # 20 of 86 (needs 70)
    th = adequacy_sentence_th(table)
    assert "ร้อยละ 16.53" in th and "เพียงพอตามทั้งสองเกณฑ์" in th and "ลูกจ้างประจำ" in th
    assert "adequate by both" in adequacy_sentence_en(table)


def test_no_population_is_said(study):
    groups = tuple(dataclasses.replace(g, population=None) for g in study.groups)
    table = sample_adequacy(dataclasses.replace(study, groups=groups), {"teacher": 5})
    assert "ไม่ได้ระบุขนาดประชากร" in adequacy_sentence_th(table)
