"""The typed results: the models refuse what they do not name, the committed JSON Schema is
the one the models generate, and a folder without a run is one line. (Reading a real run,
mixed and incomplete runs: tests/test_end_to_end.py.)"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from analysis import paths
from analysis.errors import PhanatError
from analysis.results.models import STAGE_MODELS, STAGES, DimensionRow, Loading, results_schema_text
from analysis.results.store import load_results, read_run, read_stage, stage_path

DIMENSION = {
    "dimension": "PAR", "order": 1, "name_th": "ด้านความเท่าเทียม", "name_en": "Parity", "n_items": 5,
    "n": 360, "mean": 4.67, "sd": 0.47, "median": 4.8, "skew": -1.9, "level": 5, "level_th": "มากที่สุด",
    "level_en": "highest", "rank": 1,
}  # fmt: skip


def test_the_committed_schema_is_the_one_the_models_generate():
    assert paths.RESULTS_SCHEMA.read_text(encoding="utf-8") == results_schema_text(), (
        "docs/results.schema.json is out of date: run `phanat schema` (make schema) and commit it"
    )


def test_every_stage_has_a_model_named_after_its_file():
    assert tuple(STAGE_MODELS) == STAGES
    assert all(model.model_fields["stage"].default == stage for stage, model in STAGE_MODELS.items())


def test_point_shares_take_pct_keys_of_any_scale_and_nothing_else():
    row = DimensionRow.model_validate(DIMENSION | {"pct_1": 0.0, "pct_7": 12.5, "pct_0": None})
    assert row.model_dump()["pct_7"] == 12.5
    with pytest.raises(ValidationError, match="only pct_<scale point>"):
        DimensionRow.model_validate(DIMENSION | {"comment": 1.0})
    with pytest.raises(ValidationError, match="must be a number"):
        DimensionRow.model_validate(DIMENSION | {"pct_1": "12%"})


def test_a_key_no_model_names_or_a_wrong_type_is_refused():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Loading.model_validate({"dimension": "PAR", "item": "PAR1", "std_loading": 0.7, "name": "x"})
    with pytest.raises(ValidationError):
        DimensionRow.model_validate(DIMENSION | {"n": "many"})


def test_a_folder_without_a_run_is_one_line_that_says_what_to_do(tmp_path):
    for read in (read_run, load_results, lambda out: read_stage(out, "pdca")):
        with pytest.raises(PhanatError, match=r"results/\w+\.json not found.*run phanat run again") as err:
            read(tmp_path)
        assert "\n" not in str(err.value)


def test_a_malformed_stage_file_is_one_line(tmp_path):
    path = stage_path(tmp_path, "reliability")
    path.parent.mkdir(parents=True)
    path.write_text('{"stage": "reliability", "n_boot": "many"}', encoding="utf-8")
    with pytest.raises(PhanatError, match=r"does not match the reliability results model.*run again") as err:
        read_stage(tmp_path, "reliability")
    assert "\n" not in str(err.value) and str(path) in str(err.value)
