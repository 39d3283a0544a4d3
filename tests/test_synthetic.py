import shutil

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.config import read_yaml
from analysis.reading import is_synthetic, sha256_file
from analysis.synthetic import grm_category_probabilities, write_example

PUBLISHED = {"PAR": 4.67, "NET": 4.43, "HAP": 4.32, "AST": 4.26, "ACC": 4.21, "TEC": 4.16}  # seed 000


def test_grm_probability_worked_example():
    # P(Y >= k) = 1 / (1 + exp(-a (theta - b))) (Samejima 1969); a = 1, theta = b gives 0.5,
    # a = 2, theta - b = ln(3) / 2 gives 1 / (1 + 1/3) = 0.75.
    p = grm_category_probabilities(np.array([0.0]), 1.0, np.array([0.0]))
    assert p[0, 0] == pytest.approx(0.5)
    p = grm_category_probabilities(np.array([np.log(3) / 2]), 2.0, np.array([0.0]))
    assert p[0, 0] == pytest.approx(0.75)


def test_regenerating_the_example_gives_the_committed_bytes(tmp_path):
    out = write_example(paths.EXAMPLE_SYNTHETIC_CONFIG, tmp_path / "responses.csv")
    assert sha256_file(out) == sha256_file(paths.EXAMPLE_DATA)
    assert is_synthetic(paths.EXAMPLE_DATA)


def test_sidecar_only_marks_the_exact_file(tmp_path):
    copy = tmp_path / "responses.csv"
    shutil.copyfile(paths.EXAMPLE_DATA, copy)
    assert not is_synthetic(copy)  # no sidecar: real data
    shutil.copyfile(str(paths.EXAMPLE_DATA) + ".synthetic.json", str(copy) + ".synthetic.json")
    assert is_synthetic(copy)
    copy.write_bytes(copy.read_bytes() + b"\n")  # someone edited the export
    assert not is_synthetic(copy)


def test_example_calibration_is_near_published_and_cycle1_lower(codebook, study):
    from tests.conftest import REFERENCE

    data = pd.read_csv(REFERENCE / "example_processed.csv")
    means = {
        c: {
            d.code: data.loc[data["cycle"] == c, codebook.dimension_items(d.code)].mean(axis=1).mean()
            for d in codebook.dimensions
        }
        for c in ("C1", "C2")
    }
    for dim, published in PUBLISHED.items():
        assert abs(means["C2"][dim] - published) < 0.08, dim
        assert means["C1"][dim] < means["C2"][dim] - 0.15, dim
    order = sorted(means["C2"], key=means["C2"].get, reverse=True)
    assert order[0] == "PAR" and order[-1] == "TEC"


def test_example_export_looks_like_google_forms(study):
    frame = pd.read_csv(paths.EXAMPLE_DATA, dtype=str, keep_default_na=False)
    settings = read_yaml(paths.EXAMPLE_SYNTHETIC_CONFIG)
    assert list(frame.columns[:3]) == ["ประทับเวลา", "ที่อยู่อีเมล", "สถานภาพ"]
    assert frame["ประทับเวลา"].str.match(r"^\d{1,2}/\d{1,2}/25\d\d \d\d:\d\d:\d\d$").all()
    assert set(frame["สถานภาพ"]) == {g.label_th for g in study.groups}
    assert frame["ที่อยู่อีเมล"].str.endswith("@example.com").all()
    per_cycle = settings["respondents"]
    assert 200 <= per_cycle["C1"] <= 500 and 200 <= per_cycle["C2"] <= 500 and per_cycle["in_both"] > 0
    answers = set(frame.iloc[:, 3:-1].to_numpy().ravel()) - {""}
    assert answers == {"มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"}
