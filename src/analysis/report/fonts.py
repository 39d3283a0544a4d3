"""The Thai fonts: Sarabun (``fontpkg-sarabun``) for figures, HTML and DOCX; Norasi
(``reports/fonts``) for the PDF, whose text layer it keeps exact (see reports/fonts/README.md)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg_sarabun

from analysis.paths import REPORTS_DIR

FAMILY = "Sarabun"
PDF_FAMILY = "Norasi"


def pdf_font_files() -> list[Path]:
    """The Norasi TTF files of the PDF write-up (regular, bold, italic, bold italic)."""
    files = sorted((REPORTS_DIR / "fonts").glob(f"{PDF_FAMILY}*.ttf"))
    if len(files) != 4:
        raise FileNotFoundError(REPORTS_DIR / "fonts" / f"{PDF_FAMILY}-*.ttf")
    return files


def sarabun_dir() -> Path:
    """Folder holding the Sarabun TTF files."""
    return Path(fontpkg_sarabun.ROOT) / "files"


def sarabun_file(style: str = "Regular") -> Path:
    """Path of one Sarabun style, e.g. ``Regular`` or ``Bold``."""
    path = sarabun_dir() / f"Sarabun-{style}.ttf"
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


@cache
def use_thai_font() -> str:
    """Register Sarabun with matplotlib and make it the default family (idempotent).

    SVG text is written as paths and PDF fonts as embedded TrueType, so the figures show
    Thai on machines without the font.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    for ttf in sorted(sarabun_dir().glob("*.ttf")):
        font_manager.fontManager.addfont(str(ttf))
    mpl.rcParams.update(
        {
            "font.family": FAMILY,
            "pdf.fonttype": 42,
            "axes.unicode_minus": False,
        }
    )
    return FAMILY
