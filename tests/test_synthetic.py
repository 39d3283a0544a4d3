import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.config.files import read_yaml
from analysis.data.reading import is_synthetic, sha256_file
from analysis.data.synthetic import grm_category_probabilities, write_example

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


def three_cycle_study(tmp_path):
    """The example study with the overlay tests/fixtures/synthetic_3cycles.yaml applied."""
    import yaml

    from tests.conftest import copy_study_config

    overlay = read_yaml(Path(__file__).parent / "fixtures" / "synthetic_3cycles.yaml")
    target = tmp_path / "study3"
    target.mkdir()
    copy_study_config(target)
    study_text = (target / "study.yaml").read_text(encoding="utf-8")
    c2_line = next(line for line in study_text.splitlines() if line.strip().startswith("- {code: C2"))
    c3 = overlay.pop("study_cycle3")
    c3_line = (
        c2_line.split("- {")[0]
        + "- "
        + yaml.safe_dump(c3, allow_unicode=True, default_flow_style=True, width=1000).strip()
    )
    (target / "study.yaml").write_text(
        study_text.replace(c2_line, c2_line + "\n" + c3_line), encoding="utf-8"
    )
    settings = read_yaml(target / "synthetic.yaml")
    settings.update(overlay)
    (target / "synthetic.yaml").write_text(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


def test_three_cycles_and_themed_suggestions(tmp_path):
    from analysis.config.study import load_study
    from analysis.config.themes import load_themes
    from analysis.data.suggestions import summarise_suggestions

    target = three_cycle_study(tmp_path)
    assert [c.code for c in load_study(target / "study.yaml").cycles] == ["C1", "C2", "C3"]
    out = write_example(target / "synthetic.yaml", target / "responses.csv")
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    settings = read_yaml(target / "synthetic.yaml")
    assert len(frame) == 340 + 360 + 350 + settings["exact_duplicates"] + settings["resubmissions"]
    years = frame["ประทับเวลา"].str.extract(r"/(25\d\d) ")[0]
    assert set(years) == {"2563", "2564", "2565"}
    in_c2 = set(frame.loc[years == "2564", "ที่อยู่อีเมล"])
    in_c3 = set(frame.loc[years == "2565", "ที่อยู่อีเมล"])
    assert len(in_c2 & in_c3) == 230  # returning: {C3: 230}
    assert is_synthetic(out)
    # answers come from the themes, and the themes file written beside them finds them all
    themes = load_themes(target / "themes.yaml")
    assert list(themes) == ["บริการ", "ทุนการศึกษา", "ช่องทางออนไลน์", "เอกสาร"]
    free = frame.columns[-1]
    answers = {y: frame.loc[years == y, free] for y in ("2563", "2564", "2565")}
    given = [a for s in answers.values() for a in s if a]
    every = {a for spec in settings["suggestion_themes"].values() for a in spec["answers"]}
    assert set(given) <= every and 0.2 < len(given) / len(frame) < 0.3
    summary = summarise_suggestions(answers, themes)
    table = {r["theme"]: r for r in summary.themes}
    assert sum(r["count_all"] for r in table.values()) >= len(given)
    assert (
        table["ช่องทางออนไลน์"]["percent"]["2565"] > table["ช่องทางออนไลน์"]["percent"]["2563"]
    )  # weight 1 -> 2
    assert summary.redactions == {}


def test_a_study_cycle_without_targets_is_a_clear_error(tmp_path):
    from analysis.errors import PhanatError

    target = three_cycle_study(tmp_path)
    settings = read_yaml(target / "synthetic.yaml")
    del settings["targets"]["C3"]
    import yaml

    (target / "synthetic.yaml").write_text(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    with pytest.raises(PhanatError, match="C3"):
        write_example(target / "synthetic.yaml", target / "responses.csv")
