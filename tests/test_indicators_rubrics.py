"""Indicator attainment, rubric rules (worked examples from seeds 003 and 004), the Act list,
and bad input of the PDCA stage."""

import pandas as pd
import pytest

from analysis import paths
from analysis.config.indicators import load_indicators
from analysis.config.rubrics import load_rubrics
from analysis.errors import PhanatError
from analysis.report.reporting import act_lines, act_sentence
from analysis.stats.indicators import attainment, attainment_table, is_met, trend
from analysis.stats.pdca import act_priorities
from analysis.stats.rubrics import award_score, esa_quality_level, milestone_score, score_rubrics

CYCLES = ["C1", "C2"]


# --------------------------------------------------------------------------- indicators
def test_attainment_both_directions():
    assert attainment(92.0, 80.0, "higher") == pytest.approx(115.0)
    assert attainment(12.0, 15.0, "lower") == pytest.approx(125.0)  # 12-minute service vs 15
    assert is_met(15.0, 15.0, "lower") and not is_met(15.5, 15.0, "lower")
    assert trend([18.5, 12.4], "lower") == "improving" and trend([4.1, 3.9], "higher") == "declining"
    assert trend([None, 4.0], "higher") == "one cycle only"


def test_example_register_with_survey_actuals(study):
    cycles = [c.code for c in study.cycles]  # C1, C2, C3
    indicators = load_indicators(paths.EXAMPLE_DIR / "indicators.yaml", cycles)
    means = {
        "C1": {"PAR": 4.39, "overall": 4.02},
        "C2": {"PAR": 4.67, "overall": 4.35},
        "C3": {"PAR": 4.72, "overall": 4.45},
    }
    table = attainment_table(indicators, cycles, means).set_index(["indicator", "cycle"])
    assert table.loc[("SAT_PAR", "C2"), "actual"] == 4.67  # from the survey, not typed
    assert table.loc[("SAT_ALL", "C1"), "met"] == False  # noqa: E712  4.02 < 4.21
    assert table.loc[("OSS_TIME", "C2"), "attainment_pct"] == pytest.approx(100 * 15 / 12.4)
    assert table.loc[("OSS_TIME", "C3"), "attainment_pct"] == pytest.approx(100 * 12 / 11.6)  # target 12
    assert table.loc[("MEMBERS", "C2"), "met"] == False  # noqa: E712  1,755 < 1,800
    assert table.loc[("MEMBERS", "C3"), "met"] == False  # noqa: E712  1,868 < 1,900
    assert table.loc[("FUNDS", "C3"), "met"] == True  # noqa: E712  335,400 >= 320,000


def test_missing_target_is_said_not_nan(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text(
        "indicator,name_th,unit,direction,cycle,target,actual,evidence\n"
        "FUNDS,เงินกองทุน,บาท,higher,C1,,231500,รายงาน\n"
        'FUNDS,เงินกองทุน,บาท,higher,C2,300000,"318,200",รายงาน\n',
        encoding="utf-8",
    )
    table = attainment_table(load_indicators(path, CYCLES), CYCLES, {})
    first = table[table["cycle"] == "C1"].iloc[0]
    assert first["met"] is None and first["note_code"] == "no_target"
    assert table[table["cycle"] == "C2"].iloc[0]["actual"] == 318200


@pytest.mark.parametrize(
    "row, message",
    [
        ("X,x,u,sideways,C1,1,1,e", r"row 2, column 'direction': direction must be 'higher' or 'lower'"),
        ("X,x,u,higher,C1,abc,1,e", r"row 2, column 'target': 'abc' is not a number"),
        ("X,x,u,higher,C9,1,1,e", r"names cycle 'C9', which the study does not have"),
    ],
)
def test_bad_register_is_one_clear_error(tmp_path, row, message):
    path = tmp_path / "ind.csv"
    path.write_text(
        "indicator,name_th,unit,direction,cycle,target,actual,evidence\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(PhanatError, match=message):
        load_indicators(path, CYCLES)


# --------------------------------------------------------------------------- rubrics
ESA_BANDS = [
    {"level": 5, "min_evidenced": 6},
    {"level": 4, "min_evidenced": 5},
    {"level": 3, "min_evidenced": 4},
    {"level": 2, "min_evidenced": 3},
    {"level": 1, "min_evidenced": 0},
]


@pytest.mark.parametrize("evidenced, level", [(6, 5), (5, 4), (4, 3), (3, 2), (2, 1), (0, 1)])
def test_esa_quality_level_follows_seed_004(evidenced, level):
    """Seed 004: all six done; clear evidence for 6 -> 5, 5 -> 4, 4 -> 3, 3 -> 2, fewer than 3 -> 1."""
    flags = [True] * evidenced + [False] * (6 - evidenced)
    assert esa_quality_level([True] * 6, flags, ESA_BANDS).level == level


def test_esa_not_all_done_scores_lowest_with_a_note():
    q = esa_quality_level([True] * 5 + [False], [True] * 5 + [False], ESA_BANDS)
    assert q.level == 1 and not q.all_done and q.note_code == "not_all_done" and q.not_done == 1


def test_milestones_follow_seed_003():
    """Seed 003: milestones count in order; missing the first scores 0 at once."""
    assert milestone_score([True, True, True, False, True]).score == 3
    zero = milestone_score([False, True, True, True, True])
    assert zero.score == 0 and zero.note_code == "first_milestone_not_met"
    assert milestone_score([True] * 5).score == 5


def test_award_bonus_reproduces_seed_003_example():
    """Seed 003: a student of national standing and one of provincial standing score 7 (> 5)."""
    points = {"national": 5, "region": 3, "province": 2, "district": 1}
    s = award_score({"national": 1, "province": 1}, points)
    assert s.score == 7 and s.bonus == 2
    with pytest.raises(ValueError, match="not in the rubric"):
        award_score({"nationl": 1}, points)


def test_example_rubrics_file_scores():
    scored = score_rubrics(load_rubrics(paths.EXAMPLE_DIR / "rubrics.yaml"))
    assert scored["esa"][0]["level"] == 4
    assert [m["score"] for m in scored["milestones"]] == [3.0, 7.0]


def test_bad_rubrics_file_names_the_problem(tmp_path):
    path = tmp_path / "rubrics.yaml"
    path.write_text("milestones:\n  award_points: {national: 5}\n  indicators:\n    - awards: {world: 1}\n")
    with pytest.raises(PhanatError, match=r"award level\(s\) world are not in award_points"):
        load_rubrics(path)


# --------------------------------------------------------------------------- Act
def test_act_list_names_the_number_behind_each_priority():
    dims = pd.DataFrame(
        {"dimension": ["PAR", "TEC"], "name_th": ["เท่าเทียม", "เทคโนโลยี"], "mean": [4.6, 4.1], "order": [1, 2]}
    )
    items = pd.DataFrame(
        {"item": ["PAR1", "TEC1", "TEC2"], "text_th": ["a", "b", "c"], "mean": [4.7, 4.0, 4.2]}
    )
    comparison = pd.DataFrame(
        {"scale": ["PAR", "TEC"], "verdict": ["no clear change", "declined"], "difference": [0.1, -0.3],
         "p_holm": [0.4, 0.01], "test": ["paired t-test"] * 2}
    )  # fmt: skip
    attain = pd.DataFrame(
        {"indicator": ["OSS"], "name_th": ["เวลาให้บริการ"], "cycle": ["C2"], "met": [False], "actual": [18.0],
         "target": [15.0], "unit": ["นาที"], "attainment_pct": [83.3], "direction": ["lower"]}
    )  # fmt: skip
    analysis = pd.DataFrame({"item": ["TEC2"], "r_drop": [0.21]})
    act = act_priorities(dims, items, comparison, attain, analysis, latest_cycle="C2", n_lowest=1, weak_r=0.3)
    assert act["code"].tolist() == ["TEC", "OSS", "TEC", "TEC1", "TEC2"]
    assert act["reason"].tolist() == [
        "declined",
        "indicator_not_met",
        "lowest_dimension",
        "lowest_item",
        "weak_item",
    ]
    assert act["value"].tolist() == [-0.3, 83.3, 4.1, 4.0, 0.21]
    rows = act.to_dict(orient="records")
    assert act_sentence(rows[0]) == (
        "ควรเร่งพัฒนาด้านเทคโนโลยี เนื่องจากค่าเฉลี่ยลดลงจากวงรอบก่อน 0.30 "
        "(p ปรับตามวิธีของ Holm = 0.010, การทดสอบทีแบบไม่อิสระ)"
    )
    assert act_sentence(rows[1]) == (
        "ควรปรับปรุงการดำเนินงานเพื่อให้บรรลุตัวชี้วัด “เวลาให้บริการ” ซึ่งยังสูงกว่าค่าเป้าหมาย 3 นาที "
        "(ตัวชี้วัดนี้ยิ่งน้อยยิ่งดี) "
        "(ผลการดำเนินงาน 18 นาที เทียบกับค่าเป้าหมาย 15 นาที คิดเป็นร้อยละ 83.3 ของค่าเป้าหมาย)"
    )
    assert act_sentence(rows[2]) == (
        "ควรพัฒนาด้านเทคโนโลยีเป็นลำดับแรก เนื่องจากมีค่าเฉลี่ยต่ำที่สุดเมื่อเทียบกับด้านอื่น (x̄ = 4.10)"
    )
    assert act_sentence(rows[3], label="ข้อ 1 ด้านเทคโนโลยี") == (
        "ควรพัฒนาเรื่อง “b” (ข้อ 1 ด้านเทคโนโลยี) เนื่องจากมีค่าเฉลี่ยต่ำที่สุดในบรรดาข้อคำถามทั้งหมด (x̄ = 4.00)"
    )
    assert "(r = 0.21 ต่ำกว่าเกณฑ์ 0.30)" in act_sentence(rows[4])
    second = dict(rows[3], rank=2.0, tied=1.0)  # numbers come back from JSON as floats
    assert "มีค่าเฉลี่ยต่ำเป็นลำดับที่ 2 ในบรรดาข้อคำถามทั้งหมด (x̄ = 4.00) ร่วมกับข้อคำถามอื่นอีก 1 ข้อ" in act_sentence(second)
    three = act_sentence(dict(second, tied=3.0))
    assert "ต่ำเป็นลำดับที่ 2 ในบรรดาข้อคำถามทั้งหมด (x̄ = 4.00) ร่วมกับข้อคำถามอื่นอีก 3 ข้อ" in three
    assert act_sentence(second, "en", "b", "item 1") == (
        "Improve “b” (item 1; M = 4.00): one of the 2 lowest means of all items (tied with one other item)"
    )
    assert "(tied with 3 other items)" in act_sentence(dict(second, tied=3.0), "en", "b", "item 1")
    assert "lowest mean of all dimensions (M = 4.10)" in act_sentence(rows[2], "en", "Technology")
    assert act["dimension"].tolist() == ["TEC", "", "TEC", "", ""]  # items without a dimension column here


def test_act_priorities_of_one_dimension_merge_into_one_sentence():
    """Issue 13: the survey indicator, the lowest dimension and its lowest item are one priority
    a director would sign, with the gap and the action; a register indicator states its gap."""
    dims = pd.DataFrame(
        {"dimension": ["PAR", "TEC"], "name_th": ["เท่าเทียม", "เทคโนโลยี"], "name_en": ["Parity", "Technology"],
         "mean": [4.6, 4.16], "order": [1, 2]}
    )  # fmt: skip
    items = pd.DataFrame(
        {"item": ["PAR1", "TEC1", "TEC2"], "dimension": ["PAR", "TEC", "TEC"], "text_th": ["ก", "ข", "ค"],
         "text_en": ["a", "b", "c"], "mean": [4.7, 4.05, 4.2]}
    )  # fmt: skip
    attain = pd.DataFrame(
        {"indicator": ["SAT_TEC", "MEMBERS"], "name_th": ["พึงพอใจเทคโนโลยี", "สมาชิก"],
         "name_en": ["Technology satisfaction", "Members served"], "cycle": ["C2"] * 2, "met": [False] * 2,
         "actual": [4.16, 1755.0], "target": [4.21, 1800.0], "unit": ["ค่าเฉลี่ย (1–5)", "คน"],
         "unit_en": ["mean (1–5)", "people"], "attainment_pct": [98.8, 97.5], "direction": ["higher"] * 2,
         "source": ["survey:TEC", "register"]}
    )  # fmt: skip
    act = act_priorities(dims, items, None, attain, None, latest_cycle="C2", n_lowest=1)
    assert act["dimension"].tolist() == ["TEC", "", "TEC", "TEC"]
    assert act.loc[1, "shortfall"] == pytest.approx(45.0)
    results = {
        "descriptives": {
            "dimensions": [dict(r, dimension=r["dimension"]) for r in dims.to_dict(orient="records")],
            "items": items.to_dict(orient="records"),
        }
    }
    th = act_lines(act.to_dict(orient="records"), results, "th")
    assert th == [
        "1. ควรพัฒนาด้านเทคโนโลยีเป็นลำดับแรก เนื่องจากมีค่าเฉลี่ยต่ำที่สุดเมื่อเทียบกับด้านอื่น (x̄ = 4.16) "
        "และยังไม่บรรลุตัวชี้วัด “พึงพอใจเทคโนโลยี” ซึ่งกำหนดค่าเป้าหมายไว้ที่ 4.21 "
        "โดยเฉพาะเรื่อง “ข” (ข้อ 1) ซึ่งมีค่าเฉลี่ยต่ำที่สุดในบรรดาข้อคำถามทั้งหมด (x̄ = 4.05)",
        "2. ควรปรับปรุงการดำเนินงานเพื่อให้บรรลุตัวชี้วัด “สมาชิก” ซึ่งยังต่ำกว่าค่าเป้าหมาย 45 คน "
        "(ผลการดำเนินงาน 1,755 คน เทียบกับค่าเป้าหมาย 1,800 คน คิดเป็นร้อยละ 97.5 ของค่าเป้าหมาย)",
    ]
    en = act_lines(act.to_dict(orient="records"), results, "en")
    assert en == [
        "1. Improve Technology first: it has the lowest mean of all dimensions (M = 4.16) and it misses the "
        "target of 4.21 set for the indicator “Technology satisfaction”; start with “b” (item 1; M = 4.05), "
        "the lowest mean of all items.",
        "2. Meet the target for “Members served”: the result is still 45 people short "
        "(1,755 against 1,800 people, 97.5% of the target).",
    ]
    declined = dict(act.iloc[0], reason="declined", value=-0.3, p_holm=0.01, test="paired t-test")
    assert act_lines([declined], results, "th")[0].startswith("1. ควรเร่งพัฒนาด้านเทคโนโลยี เนื่องจากค่าเฉลี่ยลดลง")


def test_cycle_with_one_respondent_is_a_clear_note(codebook):
    from analysis.stats.descriptives import respondent_scores
    from analysis.stats.pdca import compare_cycles
    from tests.conftest import REFERENCE

    data = pd.read_csv(REFERENCE / "example_processed.csv")
    one = pd.concat([data[data["cycle"] == "C1"].head(1), data[data["cycle"] == "C2"]])
    scores = respondent_scores(one, codebook)
    table = compare_cycles(scores, one["respondent_id"], one["cycle"], "C1", "C2", ["PAR"])
    assert "too_few_before" in table.loc[0, "note_codes"].split(";") and table.loc[0, "n_before"] == 1
    codes = table.loc[0, "note_codes"].split(";")
    assert ("few_common_respondents" in codes and table.loc[0, "n_paired"] == 1) or (
        "no_common_respondents" in codes and table.loc[0, "n_paired"] == 0
    )


def test_english_unit_is_carried_to_the_act_list(study):
    cycles = [c.code for c in study.cycles]  # the example's latest cycle is C3
    indicators = load_indicators(paths.EXAMPLE_DIR / "indicators.yaml", cycles)
    table = attainment_table(indicators, cycles, {"C3": {"PAR": 4.6, "TEC": 4.0, "overall": 4.3}})
    oss = table[table["indicator"] == "OSS_TIME"].iloc[0]
    assert oss["unit"] == "นาที" and oss["unit_en"] == "minutes"
    dims = pd.DataFrame({"dimension": ["TEC"], "name_th": ["t"], "mean": [4.0], "order": [1]})
    items = pd.DataFrame({"item": ["TEC1"], "text_th": ["x"], "mean": [4.0]})
    act = act_priorities(dims, items, None, table, None, latest_cycle="C3")
    members = act[act["code"] == "MEMBERS"].iloc[0].to_dict()
    assert "1,868 against 1,900 people" in act_sentence(members, "en", "members served")
    assert "ผลการดำเนินงาน 1,868 คน เทียบกับค่าเป้าหมาย 1,900 คน" in act_sentence(members)


def test_rubric_names_and_descriptions_in_english_for_the_english_edition():
    """The English edition shows the rubrics' English names and level descriptions where the
    config gives them (name_en, description_en), the Thai ones where it does not."""
    scored = score_rubrics(load_rubrics(paths.EXAMPLE_DIR / "rubrics.yaml"))
    esa = scored["esa"][0]
    assert esa["name_en"] == "Good management (welfare fund)" and esa["level"] == 4
    assert esa["description_en"] == "all 6 carried out, clear evidence for 5"
    assert [m["name_en"] for m in scored["milestones"]][0] == "Complete records in the DMIS system"
