import shutil

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
    assert all(200 <= per_cycle[c.code] <= 500 for c in study.cycles) and per_cycle["in_both"] > 0
    answers = set(frame.iloc[:, 3:-1].to_numpy().ravel()) - {""}
    assert answers == {"มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด"}


def three_cycle_study(tmp_path):
    """A copy of the example study's configuration (a three-cycle study since the example gained
    C3, B.E. 2565), for tests that edit it."""
    from tests.conftest import copy_study_config

    target = tmp_path / "study3"
    target.mkdir()
    copy_study_config(target)
    return target


def test_example_has_three_cycles_returning_respondents_and_themed_suggestions(study):
    from analysis.config.themes import load_themes
    from analysis.data.suggestions import is_suggestion, summarise_suggestions

    assert [c.code for c in study.cycles] == ["C1", "C2", "C3"] and study.report_cycle == "C3"
    frame = pd.read_csv(paths.EXAMPLE_DATA, dtype=str, keep_default_na=False)
    settings = read_yaml(paths.EXAMPLE_SYNTHETIC_CONFIG)
    counts = settings["respondents"]
    assert len(frame) == 340 + 360 + 350 + settings["exact_duplicates"] + settings["resubmissions"]
    years = frame["ประทับเวลา"].str.extract(r"/(25\d\d) ")[0]
    assert set(years) == {"2563", "2564", "2565"}
    emails = {y: set(frame.loc[years == y, "ที่อยู่อีเมล"]) for y in ("2563", "2564", "2565")}
    assert [len(emails[y]) for y in ("2563", "2564", "2565")] == [counts[c] for c in ("C1", "C2", "C3")]
    assert len(emails["2563"] & emails["2564"]) == counts["in_both"] == 210
    assert len(emails["2564"] & emails["2565"]) == counts["returning"]["C3"] == 230
    # answers come from the themes, and the themes file written beside them finds them all
    themes = load_themes(paths.EXAMPLE_DIR / "themes.yaml")
    assert list(themes) == ["บริการ", "ทุนการศึกษา", "ช่องทางออนไลน์", "เอกสาร"]
    assert all(theme.name_en for theme in themes.values())  # the English edition names them too
    free = frame.columns[-1]
    answers = {y: frame.loc[years == y, free] for y in ("2563", "2564", "2565")}
    typed = [a for s in answers.values() for a in s if a]
    given = [a for a in typed if is_suggestion(a)]
    every = {a for spec in settings["suggestion_themes"].values() for a in spec["answers"]}
    assert set(given) <= every and 0.2 < len(given) / len(frame) < 0.3
    assert set(typed) - set(given) == set(settings["no_suggestion"]["answers"])  # "ไม่มี", "-", ...
    assert 0.07 < (len(typed) - len(given)) / len(frame) < 0.13
    summary = summarise_suggestions(answers, themes)
    table = {r["theme"]: r for r in summary.themes}
    assert sum(r["count_all"] for r in table.values()) >= len(given)
    assert (
        table["ช่องทางออนไลน์"]["percent"]["2565"] > table["ช่องทางออนไลน์"]["percent"]["2563"]
    )  # weight 1 -> 2
    assert summary.redactions == {}


def test_example_means_per_cycle_are_near_their_targets(codebook):
    """Recomputed from the export's labels with pandas (not the pipeline's cleaning): the
    dimension means of each cycle's first submissions lie within sampling error of the targets."""
    frame = pd.read_csv(paths.EXAMPLE_DATA, dtype=str, keep_default_na=False).drop_duplicates()
    frame["year"] = frame["ประทับเวลา"].str.extract(r"/(25\d\d) ")[0]
    frame = frame.drop_duplicates(["ที่อยู่อีเมล", "year"])  # rows are in time order: the first
    settings = read_yaml(paths.EXAMPLE_SYNTHETIC_CONFIG)
    value = {p.th: p.value for p in codebook.points}
    for cycle, be in (("C1", "2563"), ("C2", "2564"), ("C3", "2565")):
        rows = frame[frame["year"] == be]
        for dim in codebook.dimensions:
            cols = [next(h for h in frame.columns if f"[{it.text_th}]" in h) for it in dim.items]
            scored = rows[cols].apply(lambda col: col.map(value)).astype(float)
            for it, col in zip(dim.items, cols, strict=True):
                if it.reverse:
                    scored[col] = codebook.scale_min + codebook.scale_max - scored[col]
            mean = scored.mean(axis=1).mean()
            assert abs(mean - settings["targets"][cycle][dim.code]) < 0.08, (cycle, dim.code, mean)


def test_no_suggestion_answers_are_drawn_only_when_configured():
    from analysis.data.synthetic import no_suggestion_answers, themed_suggestion
    from analysis.errors import PhanatError

    themes = {"t": {"keywords": ["k"], "answers": ["a"]}}
    plain = [themed_suggestion(themes, "C1", 0.3, np.random.default_rng(1)) for _ in range(1)]
    with_blanks = [themed_suggestion(themes, "C1", 0.3, np.random.default_rng(1), (0.0, ["-"]))]
    assert plain == with_blanks  # a zero rate changes nothing
    rng = np.random.default_rng(7)
    drawn = [themed_suggestion(themes, "C1", 0.3, rng, (0.2, ["-"])) for _ in range(20_000)]
    assert abs(drawn.count("a") / 20_000 - 0.3) < 0.015 and abs(drawn.count("-") / 20_000 - 0.2) < 0.015
    assert no_suggestion_answers({}) == (0.0, [])
    with pytest.raises(PhanatError, match="no_suggestion"):
        no_suggestion_answers({"no_suggestion": {"rate": 1.5, "answers": ["-"]}})


def test_a_study_cycle_without_targets_is_a_clear_error(tmp_path):
    import yaml

    from analysis.errors import PhanatError

    target = three_cycle_study(tmp_path)
    settings = read_yaml(target / "synthetic.yaml")
    del settings["targets"]["C3"]
    (target / "synthetic.yaml").write_text(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    with pytest.raises(PhanatError, match="C3"):
        write_example(target / "synthetic.yaml", target / "responses.csv")
