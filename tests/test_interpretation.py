import pandas as pd
import pytest

from analysis.config.criteria import load_criteria
from analysis.numbers import format_number, round_half_up
from analysis.stats.interpretation import interpret_mean, rank_descending


@pytest.fixture(scope="module")
def criteria(study):
    return load_criteria(study.criteria_file)


def test_round_half_up_rounds_as_printed():
    assert round_half_up(2.345) == 2.35  # Python's round(2.345, 2) gives 2.35 or 2.34 by binary luck
    assert round_half_up(4.205) == 4.21
    assert round_half_up(4.2049) == 4.2
    assert format_number(0.775) == "0.78"
    assert format_number(float("nan")) == "–"
    # a value that rounds to zero prints without a sign (a committee reads "-0.00" as a defect)
    assert format_number(-0.004) == "0.00" and format_number(-0.0004, 3) == "0.000"
    assert format_number(-0.005) == "-0.01"


def test_published_mean_4_34_is_highest_only_under_the_class_interval(criteria):
    # Brief: "The published 4.34 = highest follows the first; under the others it would be high."
    assert interpret_mean(4.34, criteria["class_interval_0.80"]).th == "มากที่สุด"
    assert interpret_mean(4.34, criteria["srisaard_0.50"]).th == "มาก"
    assert interpret_mean(4.34, criteria["half_0.49"]).th == "มาก"


@pytest.mark.parametrize(
    ("mean", "level"),
    [(4.21, 5), (4.2049, 4), (4.205, 5), (3.41, 4), (3.40, 3), (1.80, 1), (1.0, 1), (5.0, 5)],
)
def test_class_interval_band_edges(criteria, mean, level):
    assert interpret_mean(mean, criteria["class_interval_0.80"]).level == level


def test_half_049_edges(criteria):
    assert interpret_mean(4.50, criteria["half_0.49"]).level == 5
    assert interpret_mean(4.494, criteria["half_0.49"]).level == 4


def test_ranks_are_tied_on_printed_values():
    ranks = rank_descending(pd.Series([4.67, 4.321, 4.319, 4.16]))
    assert ranks.tolist() == [1, 2, 2, 4]
