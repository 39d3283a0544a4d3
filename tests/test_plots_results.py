import json
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.fonts import sarabun_file
from analysis.plots import dimension_means_chart, save_figure
from analysis.results import load_results, to_jsonable, update_results

DIMS = pd.DataFrame(
    {
        "order": [1, 2],
        "name_th": ["การดำเนินการอย่างเท่าเทียม", "การนำเทคโนโลยีมาใช้"],
        "name_en": ["Parity", "Technology"],
        "mean": [4.67, 4.16],
        "sd": [0.5, 0.7],
    }
)


def test_thai_text_has_glyphs_and_svg_is_reproducible(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        fig = dimension_means_chart(DIMS, 4.4, synthetic=True)
        names = save_figure(fig, tmp_path / "a", "dims")
        save_figure(dimension_means_chart(DIMS, 4.4, synthetic=True), tmp_path / "b", "dims")
    assert names == {"png": "dims.png", "svg": "dims.svg"}
    for ext in ("svg", "png"):
        assert (tmp_path / "a" / f"dims.{ext}").read_bytes() == (tmp_path / "b" / f"dims.{ext}").read_bytes()


def test_sarabun_has_every_thai_glyph_the_figures_use():
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(sarabun_file())).getBestCmap()
    text = "".join(DIMS["name_th"]) + "ค่าเฉลี่ยเส้นประโดยรวมแถบข้อมูลสังเคราะห์เพื่อการสาธิตไม่ใช่จริง"
    assert all(ord(ch) in cmap for ch in text if not ch.isspace())


def test_results_sections_are_merged_and_nan_is_null(tmp_path):
    update_results(tmp_path, "a", {"x": np.float64(1.5), "y": float("nan"), "z": pd.NA})
    update_results(tmp_path, "b", pd.DataFrame({"v": [1, 2]}))
    data = load_results(tmp_path)
    assert data == {"a": {"x": 1.5, "y": None, "z": None}, "b": [{"v": 1}, {"v": 2}]}
    assert "NaN" not in (tmp_path / "results.json").read_text(encoding="utf-8")
    assert to_jsonable(np.int64(3)) == 3 and json.dumps(to_jsonable({"k": np.bool_(True)}))


def test_load_results_without_a_run_is_a_clear_error(tmp_path):
    from analysis.errors import PhanatError

    with pytest.raises(PhanatError, match="run the pipeline first"):
        load_results(tmp_path)
