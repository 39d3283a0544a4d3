"""Sample adequacy against Krejcie & Morgan's (1970) published table and Yamane's formula."""

import dataclasses

import pytest

from analysis.report.reporting import adequacy_sentence
from analysis.stats.sampling import (
    allocate,
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
    # Proportional allocation of K&M's 327 for N = 2,178: 327 x 1480/2178 = 222.2 -> 222,
    # 327 x 86/2178 = 12.9 -> 13, 327 x 612/2178 = 91.9 -> 92 (Yamane's 338: 230, 13, 95).
    assert rows["required_krejcie_morgan"].tolist() == [222, 13, 92, 327]
    assert rows["required_yamane"].tolist() == [230, 13, 95, 338]
    assert rows["adequate_krejcie_morgan"].tolist() == [True, True, False, True]  # pensioners 90 < 92
    th = adequacy_sentence(table, "th")
    assert th.startswith("ประชากรมีจำนวน 2,178 คน")
    assert th.index("จึงมีขนาดกลุ่มตัวอย่างเพียงพอตามเกณฑ์ทั้งสอง") < th.index("ตามสัดส่วน")  # overall verdict first
    assert "ร้อยละ 16.53 ของประชากร" in th and "ตามสัดส่วนประชากร" in th and "กลุ่มข้าราชการบำนาญ" in th
    assert adequacy_sentence(table, "en").startswith("The population numbered 2,178; 360 of them answered")
    assert "the sample is adequate by both criteria." in adequacy_sentence(table, "en")


def test_allocation_worked_example():
    # Cochran (1977) 5.5: n_h = n N_h / N; 100 over strata of 500, 300, 200 -> 50, 30, 20.
    assert allocate(100, [500, 300, 200]) == [50, 30, 20]
    assert sum(allocate(327, [1480, 86, 612])) == 327


def test_one_group_or_none_counts_every_respondent(study):
    alone = dataclasses.replace(study, groups=(), population=1500)
    table = sample_adequacy(alone, {}, 320)
    assert table["group"].tolist() == ["overall"]
    assert table.loc[0, "n"] == 320 and table.loc[0, "required_krejcie_morgan"] == krejcie_morgan(1500)
    assert "มีผู้ตอบแบบสอบถาม 320 คน คิดเป็นร้อยละ 21.33 ของประชากร" in adequacy_sentence(table, "th")
    sent = sample_adequacy(dataclasses.replace(alone, sample_sent=400), {}, 320)
    assert "ส่งแบบสอบถามไปยังกลุ่มตัวอย่าง 400 ฉบับ ได้รับคืน 320 ฉบับ คิดเป็นอัตราการตอบกลับร้อยละ 80.00" in (
        adequacy_sentence(sent, "th")
    )
    one = dataclasses.replace(study, groups=study.groups[:1], population=None)
    table = sample_adequacy(one, {"teacher": 250}, 250)
    assert len(table) == 1 and table.loc[0, "population"] == 1480 and table.loc[0, "n"] == 250
    none_given = sample_adequacy(dataclasses.replace(study, groups=()), {}, 75)
    assert "มีผู้ตอบแบบสอบถามทั้งสิ้น 75 คน" in adequacy_sentence(none_given, "th")
    assert adequacy_sentence(none_given, "en").startswith(
        "75 people answered the questionnaire (no population"
    )


@pytest.mark.parametrize("language", ["th", "en"])
def test_return_rate_is_said_against_what_the_study_gives(study, language):
    """Sent questionnaires given: a return rate of those sent. Population only: the share of the
    population who answered, never worded as a return rate (a 21% "return rate" reads as failed)."""
    alone = dataclasses.replace(study, groups=(), population=1500)
    of_population = adequacy_sentence(sample_adequacy(alone, {}, 320), language)
    of_sent = adequacy_sentence(
        sample_adequacy(dataclasses.replace(alone, sample_sent=400), {}, 320), language
    )
    said = {
        "th": ("คิดเป็นร้อยละ 21.33 ของประชากร", "ส่งแบบสอบถามไปยังกลุ่มตัวอย่าง 400 ฉบับ", "อัตราการตอบกลับร้อยละ 80.00"),
        "en": (
            "21.33% of the population",
            "of the 400 questionnaires sent to the sample",
            "a return rate of 80.00%",
        ),
    }[language]
    rate_word, returned_word = {"th": ("อัตราการตอบกลับ", "ได้รับคืน"), "en": ("return rate", "returned")}[
        language
    ]
    assert said[0] in of_population and rate_word not in of_population and returned_word not in of_population
    assert (
        said[1] in of_sent
        and said[2] in of_sent
        and "ของประชากร" not in of_sent
        and "of the population" not in of_sent
    )


def test_no_population_is_said(study):
    groups = tuple(dataclasses.replace(g, population=None) for g in study.groups)
    table = sample_adequacy(dataclasses.replace(study, groups=groups), {"teacher": 5})
    assert "ไม่ได้ระบุขนาดประชากร" in adequacy_sentence(table, "th")
