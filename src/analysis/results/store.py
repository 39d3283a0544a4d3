"""Writing and reading a run's results and tables.

Each stage writes its own file ``<run>/results/<stage>.json`` (:func:`write_stage`), validated
by its model in :mod:`analysis.results.models` and recording the SHA-256 of the processed data
it used; :func:`read_run` reads them back through the same models and refuses a run whose
files disagree. NaN is written as ``null``; keys are sorted so that the same results give the
same bytes. Tables are CSV (UTF-8 with BOM, formula-safe) and reproducible XLSX.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from analysis.errors import PhanatError
from analysis.paths import RESULTS_DIR, TABLES
from analysis.results.models import STAGE_MODELS, STAGES, RunResults, StageFile


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


def stage_path(out_dir: str | Path, stage: str) -> Path:
    """Where a stage writes its results: ``<run>/results/<stage>.json``."""
    return Path(out_dir) / RESULTS_DIR / f"{stage}.json"


def stage_json(result: StageFile) -> str:
    """A stage's results as the text of its file: every field (NaN is ``null``), keys sorted,
    indented, UTF-8 without escapes; no time of the run, so the same results give the same
    bytes."""
    data = result.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


def stage_result(stage: str, payload: Any) -> StageFile:
    """A stage's payload (numpy and pandas values and tables allowed) validated by its model."""
    return STAGE_MODELS[stage].model_validate(to_jsonable({"stage": stage, **payload}))


def write_stage(out_dir: str | Path, stage: str, payload: Any) -> StageFile:
    """Validate a stage's payload with its model (:func:`stage_result`) and write it to the
    stage's own file. Each stage is the only writer of its file, so no lock is needed."""
    result = stage_result(stage, payload)
    write_text_atomic(stage_path(out_dir, stage), stage_json(result))
    return result


def read_stage(out_dir: str | Path, stage: str) -> StageFile:
    """One stage's results, validated by its model; a missing or malformed file is a
    PhanatError of one line that says what to do."""
    path = stage_path(out_dir, stage)
    if not path.is_file():
        raise PhanatError(
            f"{RESULTS_DIR}/{stage}.json not found: the run is incomplete (stage {stage} has not written "
            "its results); run phanat run again",
            file=Path(out_dir),
        )
    try:
        return STAGE_MODELS[stage].model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise PhanatError(
            f"does not match the {stage} results model at {where}: {first['msg']} "
            f"({exc.error_count()} problem(s)); run phanat run again",
            file=path,
        ) from None


def read_stages(out_dir: str | Path, stages: Iterable[str] = STAGES) -> dict[str, StageFile]:
    """The given stage files of a run, validated, and checked to come from one and the same
    processed data (each file records the SHA-256 of the data it used): files that disagree
    (a notebook re-run by hand after the data changed) are refused in one line naming them."""
    read = {stage: read_stage(out_dir, stage) for stage in stages}
    if not read:
        return read
    first, made = next(iter(read.items()))
    made_sha = made.processed_sha256
    differ = [f"{RESULTS_DIR}/{s}.json" for s, r in read.items() if r.processed_sha256 != made_sha]
    if differ:
        raise PhanatError(
            f"mixed run: {', '.join(differ)} were made from other processed data than "
            f"{RESULTS_DIR}/{first}.json (SHA-256 "
            + ", ".join(f"{s} {r.processed_sha256[:12]}" for s, r in read.items())
            + "); run phanat run again",
            file=Path(out_dir),
        )
    return read


def read_run(out_dir: str | Path) -> RunResults:
    """A whole run: every stage file, validated and from the same processed data
    (:func:`read_stages`)."""
    return RunResults(**read_stages(out_dir, STAGES))


def load_results(out_dir: str | Path, stages: Iterable[str] = STAGES) -> dict:
    """A run's results as one nested dict (``meta``, ``cleaning``, ``reliability``,
    ``descriptives``, ``pdca``), built from :func:`read_run` (validated, one processed data):
    the one way to read a run's results as plain values. A notebook in the middle of a run
    reads the stages written so far by naming them (``stages=("clean", "descriptives")``)."""
    stages = tuple(stages)
    if stages == STAGES:
        return read_run(out_dir).sections()
    out: dict = {}
    for result in read_stages(out_dir, stages).values():
        out |= result.sections()
    return out


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
