"""Writing a run's results: ``results.json`` (every number the write-up quotes) and tables.

``results.json`` has one section per stage; each stage replaces only its own section, so the
notebooks can be rerun one at a time. NaN is written as ``null``; keys are sorted so that the
same results give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import tempfile
import time
import zipfile
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
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file and rename: a full disk or a kill leaves the old
    file (or none), never a truncated one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_results(out_dir: str | Path) -> dict:
    """Read ``results.json`` of a run folder."""
    path = Path(out_dir) / RESULTS_JSON
    if not path.is_file():
        raise PhanatError("results.json not found: run the pipeline first (phanat run)", file=path)
    return json.loads(path.read_text(encoding="utf-8"))


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 120.0, stale: float = 600.0):
    """A lock between processes (the stages' kernels run at the same time): the holder is
    whoever created ``path`` (``O_CREAT | O_EXCL``, atomic on every platform). A lock file
    older than ``stale`` seconds is left over from a killed run and is removed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                if time.time() - path.stat().st_mtime > stale:
                    path.unlink(missing_ok=True)
                    continue
            except FileNotFoundError:
                continue
            if time.monotonic() > deadline:
                raise PhanatError(
                    "results.json stayed locked by another stage; remove the lock file", file=path
                ) from None
            time.sleep(0.02)
    try:
        yield
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)


def update_results(out_dir: str | Path, section: str, payload: Any) -> Path:
    """Replace one top-level section of ``results.json`` (creating the file if needed). Stages
    run concurrently, so the read-modify-write happens under :func:`file_lock`."""
    path = Path(out_dir) / RESULTS_JSON
    text = json.dumps(to_jsonable(payload), ensure_ascii=False, allow_nan=False)  # fail before locking
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path.with_name(".results.json.lock")):
        current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        current[section] = json.loads(text)
        write_text_atomic(
            path, json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"
        )
    return path


def write_table(frame: pd.DataFrame, out_dir: str | Path, name: str) -> Path:
    """Write a table as ``tables/<name>.csv`` in UTF-8 with BOM (opens correctly in Excel),
    formula-safe (:func:`formula_safe`)."""
    path = Path(out_dir) / TABLES / f"{name}.csv"
    write_csv(frame, path)
    return path


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?%?$")


def neutralise_formula(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (it starts with ``= + - @``, a
    tab or a carriage return, after any spaces) gets a leading single quote, as OWASP recommends
    against CSV injection; numbers, numbers written as text (``-0.25``) and a lone dash stay as
    they are. Carriage returns inside text become line feeds (which CSV quotes)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")  # a bare CR would end the CSV row
    if value.lstrip().startswith(FORMULA_START) and value.strip() != "-" and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and column name passed through :func:`neutralise_formula`."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    out.columns = [neutralise_formula(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: Path, *, bom: bool = True, safe: bool = True) -> None:
    """A table as CSV (UTF-8, with BOM unless ``bom=False``), written atomically; text cells are
    made formula-safe (:func:`formula_safe`) unless ``safe=False`` (data read back by the
    pipeline itself)."""
    text = (formula_safe(frame) if safe else frame).to_csv(index=False, lineterminator="\n")
    write_bytes_atomic(path, (text.encode("utf-8-sig") if bom else text.encode("utf-8")))


def fix_zip_timestamps(path: Path) -> None:
    """Rewrite an Office zip in place with :func:`reproducible_office_zip`."""
    write_bytes_atomic(path, reproducible_office_zip(path.read_bytes()))


OFFICE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def zip_bytes(entries: dict[str, bytes], date_time: tuple[int, ...] = ZIP_TIME) -> bytes:
    """A zip of ``entries`` (name → content, in the given order) whose every entry has the
    same time (``date_time``, fixed by default) and permissions, so the same contents always
    give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in entries.items():
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def reproducible_office_zip(data: bytes) -> bytes:
    """An Office file (XLSX/DOCX, a zip) rewritten by :func:`zip_bytes`, with a fixed
    created/modified date in ``docProps/core.xml`` (openpyxl stamps the time of saving there),
    so the same table gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {info.filename: src.read(info) for info in src.infolist()}
    if "docProps/core.xml" in entries:
        entries["docProps/core.xml"] = OFFICE_TIME.sub(
            rb"\g<1>2000-01-01T00:00:00Z\g<2>", entries["docProps/core.xml"]
        )
    return zip_bytes(entries)


def xlsx_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """Sheets (name → table) as a reproducible XLSX, columns sized to their content."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame = formula_safe(frame)
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, col in enumerate(frame.columns, start=1):
                width = max([len(str(col)), *(len(str(v)) for v in frame[col])]) + 2
                sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width, 80)
    return reproducible_office_zip(buffer.getvalue())
