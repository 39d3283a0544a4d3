import json
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.report.fonts import sarabun_file
from analysis.report.plots import dimension_means_chart, diverging_stacked_bar_chart, radar_chart, save_figure
from analysis.results.store import to_jsonable

MARK = "ข้อมูลสังเคราะห์เพื่อการสาธิต — ไม่ใช่ข้อมูลจริง"
DIMS = pd.DataFrame(
    {
        "order": [1, 2],
        "name_th": ["การดำเนินการอย่างเท่าเทียม", "การนำเทคโนโลยีมาใช้"],
        "name_en": ["Parity", "Technology"],
        "label": ["การดำเนินการอย่างเท่าเทียม", "การนำเทคโนโลยีมาใช้"],
        "mean": [4.67, 4.16],
        "sd": [0.5, 0.7],
    }
)


def test_thai_text_has_glyphs_and_figures_are_reproducible(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        fig = dimension_means_chart(DIMS, 4.4, xlabel="ค่าเฉลี่ย", mark=MARK)
        names = save_figure(fig, tmp_path / "a", "dims")
        save_figure(dimension_means_chart(DIMS, 4.4, xlabel="ค่าเฉลี่ย", mark=MARK), tmp_path / "b", "dims")
    assert names == {"png": "dims.png", "pdf": "dims.pdf"}
    for ext in ("png", "pdf"):
        assert (tmp_path / "a" / f"dims.{ext}").read_bytes() == (tmp_path / "b" / f"dims.{ext}").read_bytes()


def test_sarabun_has_every_thai_glyph_the_figures_use():
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(sarabun_file())).getBestCmap()
    text = "".join(DIMS["name_th"]) + "ค่าเฉลี่ยเส้นประโดยรวมแถบข้อมูลสังเคราะห์เพื่อการสาธิตไม่ใช่จริง"
    assert all(ord(ch) in cmap for ch in text if not ch.isspace())


def test_nan_and_numpy_values_become_plain_json_values():
    frame = pd.DataFrame({"x": [np.float64(1.5), float("nan")], "z": pd.array([1, None], dtype="Int64")})
    assert to_jsonable(frame) == [{"x": 1.5, "z": 1}, {"x": None, "z": None}]
    assert to_jsonable(np.int64(3)) == 3 and json.dumps(to_jsonable({"k": np.bool_(True), "v": pd.NA}))


ITEMS = pd.DataFrame(
    {
        "item": ["PAR1", "PAR2", "TEC1"],
        "label": ["ข้อ 1.1", "ข้อ 1.2", "ข้อ 2.1"],
        "pct_1": [0.0, 1.0, 2.0],
        "pct_2": [1.0, 4.0, 6.0],
        "pct_3": [4.0, 10.0, 20.0],
        "pct_4": [20.0, 35.0, 40.0],
        "pct_5": [75.0, 50.0, 32.0],
    }
)
POINTS = [(1, "น้อยที่สุด"), (2, "น้อย"), (3, "ปานกลาง"), (4, "มาก"), (5, "มากที่สุด")]


def test_every_figure_renders_thai_without_missing_glyph_boxes(tmp_path):
    """matplotlib warns "Glyph ... missing from font(s)" and draws a box (tofu) instead: any
    such warning fails the test. The PDF embeds only Sarabun; the SVG holds outlines only."""
    import pymupdf

    dims = DIMS.assign(order=[1, 2])
    figures = {
        "means": dimension_means_chart(dims, 4.4, xlabel="ค่าเฉลี่ย", mark=MARK),
        "diverging": diverging_stacked_bar_chart(ITEMS, POINTS, xlabel="ร้อยละของคำตอบ", mark=MARK),
        "radar": radar_chart(pd.concat([dims, dims.assign(order=[3, 4])]), mark=MARK),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, fig in figures.items():
            save_figure(fig, tmp_path, name)
    for name in figures:
        with pymupdf.open(tmp_path / f"{name}.pdf") as doc:
            fonts = {f[3] for page in doc for f in page.get_fonts(full=True)}
        assert fonts and all("Sarabun" in f for f in fonts), (name, fonts)


def test_diverging_bar_splits_the_middle_point_at_zero():
    fig = diverging_stacked_bar_chart(ITEMS, POINTS, xlabel="")
    ax = fig.axes[0]
    bars = [p for p in ax.patches]
    # first item drawn is the last row (TEC1); its "น้อยที่สุด" bar starts at -(2 + 6 + 20/2)
    tec1 = [b for b in bars if abs(b.get_y() + b.get_height() / 2 - 0) < 1e-9]
    assert tec1[0].get_x() == pytest.approx(-(2 + 6 + 10))
    assert sum(b.get_width() for b in tec1) == pytest.approx(100)


def test_publication_tables_have_catalogue_headers_and_reproducible_bytes():
    from analysis.report.reporting import publication_tables
    from analysis.results.store import xlsx_bytes

    dims = [
        {
            "dimension": "PAR",
            "order": 1,
            "name_th": "การดำเนินการอย่างเท่าเทียม",
            "name_en": "Parity",
            "mean": 4.67,
            "sd": 0.5,
            "level_th": "มากที่สุด",
            "level_en": "highest",
            "rank": 1,
        }
    ]
    item = {
        "item": "PAR1",
        "dimension": "PAR",
        "text_th": "ข้อหนึ่ง",
        "text_en": "One",
        "reverse": False,
        "mean": 4.7,
        "sd": 0.4,
        "level_th": "มากที่สุด",
        "level_en": "highest",
        "rank": 1,
    }
    overall = {"mean": 4.67, "sd_respondents": 0.5, "level_th": "มากที่สุด", "level_en": "highest"}
    desc = {"dimensions": dims, "items": [item], "overall": overall}
    th, en = publication_tables(desc, "th"), publication_tables(desc, "en")
    assert list(th["dimensions"].columns) == ["ด้าน", "x̄", "S.D.", "ระดับ", "ลำดับ"]
    assert list(th["items"].columns) == ["ข้อคำถาม", "x̄", "S.D.", "ระดับ", "ลำดับ"]
    assert list(en["dimensions"].columns) == ["Dimension", "Mean", "SD", "Level", "Rank"]
    assert list(en["items"].columns) == ["Item", "Mean", "SD", "Level", "Rank"]
    assert th["dimensions"].iloc[-1].tolist() == ["โดยภาพรวม", "4.67", "0.50", "มากที่สุด", "–"]
    assert xlsx_bytes(th) == xlsx_bytes(publication_tables(desc, "th"))
