"""Writing a run's results: ``results.json`` (every number the write-up quotes) and tables.

``results.json`` has one section per stage; each stage replaces only its own section, so the
notebooks can be rerun one at a time. NaN is written as ``null``; keys are sorted so that the
same results give the same bytes.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import PhanatError
from analysis.paths import RESULTS_JSON, TABLES


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/pandas values and DataFrames to plain JSON values (NaN/NA → None)."""
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.bool_ | bool):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return None if math.isnan(obj) else float(obj)
    if obj is pd.NA or obj is None:
        return None
    if isinstance(obj, Path):
        return str(obj)
    return obj


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text through a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, path)


def load_results(out_dir: str | Path) -> dict:
    """Read ``results.json`` of a run folder."""
    path = Path(out_dir) / RESULTS_JSON
    if not path.is_file():
        raise PhanatError("results.json not found: run the pipeline first (phanat run)", file=path)
    return json.loads(path.read_text(encoding="utf-8"))


def update_results(out_dir: str | Path, section: str, payload: Any) -> Path:
    """Replace one top-level section of ``results.json`` (creating the file if needed)."""
    path = Path(out_dir) / RESULTS_JSON
    current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    current[section] = to_jsonable(payload)
    write_text_atomic(
        path, json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"
    )
    return path


def write_table(frame: pd.DataFrame, out_dir: str | Path, name: str) -> Path:
    """Write a table as ``tables/<name>.csv`` in UTF-8 with BOM (opens correctly in Excel)."""
    path = Path(out_dir) / TABLES / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def fix_zip_timestamps(path: Path, moment: tuple[int, ...] = (1980, 1, 1, 0, 0, 0)) -> None:
    """Rewrite a zip (DOCX) with a fixed time on every entry, so its bytes do not depend on
    when it was made (pandoc copies the reference document's entries into the output)."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)


def write_publication_table(
    frame: pd.DataFrame, out_dir: str | Path, name: str, markdown: str = "", sheet: str = "table"
) -> dict[str, str]:
    """A table for publication as ``tables/<name>.csv`` (UTF-8 with BOM), ``.xlsx`` (one sheet,
    fixed timestamps so reruns give the same bytes) and, if given, ``.md``."""
    csv = write_table(frame, out_dir, name)
    xlsx = csv.with_suffix(".xlsx")
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        props = writer.book.properties
        props.created = props.modified = pd.Timestamp("2000-01-01").to_pydatetime()
        sheet_obj = writer.sheets[sheet[:31]]
        for i, col in enumerate(frame.columns, start=1):
            width = max([len(str(col)), *(len(str(v)) for v in frame[col])]) + 2
            sheet_obj.column_dimensions[sheet_obj.cell(1, i).column_letter].width = min(width, 80)
    fix_zip_timestamps(xlsx)
    out = {"csv": csv.name, "xlsx": xlsx.name}
    if markdown:
        write_text_atomic(csv.with_suffix(".md"), markdown)
        out["md"] = csv.with_suffix(".md").name
    return out
