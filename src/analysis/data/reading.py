"""Reading raw survey exports read-only: CSV (UTF-8, UTF-8 with BOM, Windows-874/TIS-620),
XLSX (first or named sheet) and SPSS .sav (value labels applied).

Every cell comes back as a string exactly as exported (no type guessing by pandas), so that
cleaning can log each value it changes. Raw files are opened for reading only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import PhanatError

SIDECAR_SUFFIX = ".synthetic.json"  # written by analysis.data.synthetic next to an export
CSV_SUFFIXES = {".csv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SPSS_SUFFIXES = {".sav", ".zsav"}
THAI_RANGE = range(0x0E01, 0x0E5C)
THAI_CONSONANTS = range(0x0E01, 0x0E2F)  # ก..ฮ
# Above/below vowels, tone marks and other marks that must sit on a Thai base character.
THAI_COMBINING = {0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)}


def is_plausible_thai(text: str) -> bool:
    """True when ``text`` has Thai letters and every Thai combining mark follows a Thai
    character: bytes of another encoding decoded as Windows-874 (e.g. Latin-1 "é" → "้"
    after "n") break this rule."""
    has_consonant = False
    previous = ""
    for ch in text:
        code = ord(ch)
        if code in THAI_CONSONANTS:
            has_consonant = True
        if code in THAI_COMBINING and not (previous and ord(previous) in THAI_RANGE):
            return False
        previous = ch
    return has_consonant


@dataclass(frozen=True)
class RawExport:
    """A raw export as read: the table of strings plus where it came from."""

    path: Path
    frame: pd.DataFrame
    encoding: str
    sha256: str
    # For a folder of exports: (file name, SHA-256, first row, last row) of each, rows numbered
    # through the combined table (row 1 = the first file's first response).
    parts: tuple[tuple[str, str, int, int], ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.frame)


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode CSV bytes as UTF-8 (with or without BOM) or Windows-874 (TIS-620).

    Windows-874 is accepted only when the bytes are not valid UTF-8, decode without
    undefined code points, and give plausible Thai (:func:`is_plausible_thai`); anything else
    is an error rather than mojibake.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise PhanatError(
                f"starts with a UTF-8 BOM but byte {exc.start + 3} is not UTF-8", file=path
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError as exc:
        raise PhanatError(
            f"is neither UTF-8 nor Windows-874/TIS-620 text (byte {exc.start}); save it as CSV UTF-8",
            file=path,
        ) from None
    if not is_plausible_thai(text):
        raise PhanatError(
            "is not UTF-8, and read as Windows-874 it is not valid Thai text; save it as CSV UTF-8",
            file=path,
        )
    return text, "cp874"


def read_export(path: str | Path, sheet: str | int | None = None) -> RawExport:
    """Read a survey export into a DataFrame of strings (empty cells are ``""``)."""
    path = Path(path)
    if not path.exists():
        raise PhanatError("data file not found", file=path)
    if path.is_dir():
        return read_export_folder(path, sheet)
    if not path.is_file():
        raise PhanatError("is not a file", file=path)
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise PhanatError("the file is empty", file=path)
    if suffix in CSV_SUFFIXES:
        with open(path, "rb") as fh:
            data = fh.read()
        text, encoding = decode_text(data, path)
        frame = _parse_csv(text, path)
    elif suffix in EXCEL_SUFFIXES:
        encoding = "xlsx"
        frame = _read_excel(path, sheet)
    elif suffix in SPSS_SUFFIXES:
        encoding = "spss"
        frame = _read_spss(path)
    else:
        raise PhanatError(
            f"unknown file type '{suffix or '(none)'}': expected .csv, .xlsx or .sav", file=path
        )
    if frame.shape[1] == 0:
        raise PhanatError("the file has no columns", file=path)
    if len(frame) == 0:
        raise PhanatError("the file has a header but no responses", file=path)
    return RawExport(path=path, frame=frame, encoding=encoding, sha256=sha256_file(path))


def read_columns(path: str | Path, sheet: str | int | None = None) -> list[str]:
    """The export's column names, for checking a run's inputs before it starts, without
    parsing 100,000 rows that notebook 01 parses anyway. A CSV file is decoded whole (a wrong
    encoding is found here) and parsed up to its first response; what only the whole table
    shows (a row of the wrong width further down) :func:`read_export` finds. Anything unusual
    at the start (a blank or faulty header, no response, a first response of the wrong width)
    and every other kind of export are read in full, so the message is the one
    :func:`read_export` gives."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() in CSV_SUFFIXES and path.stat().st_size > 0:
        text, _ = decode_text(path.read_bytes(), path)
        reader = csv.reader(io.StringIO(text, newline=""))
        header, first = next(reader, []), next(reader, [])
        if header and len(first) == len(header) and any(cell.strip() for cell in first):
            try:
                _check_header(header, path)
            except PhanatError:
                pass  # read in full below: a row of the wrong width is named first, as before
            else:
                return header
    return list(read_export(path, sheet).frame.columns)


def export_files(folder: Path) -> list[Path]:
    """The exports in a folder (.csv, .xlsx, .sav; hidden files and sidecars ignored), sorted."""
    suffixes = CSV_SUFFIXES | EXCEL_SUFFIXES | SPSS_SUFFIXES
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(".")
    )


def read_export_folder(folder: Path, sheet: str | int | None = None) -> RawExport:
    """One export per cycle (or per form): every export in ``folder``, read as
    :func:`read_export` and stacked in file-name order. The files must have the same columns
    (in any order); the SHA-256 covers every file, and ``parts`` says which rows came from which
    file, so each logged row can be traced to its file."""
    files = export_files(folder)
    if not files:
        raise PhanatError("the folder holds no exports (.csv, .xlsx, .sav)", file=folder)
    parts = [read_export(f, sheet) for f in files]
    columns = list(parts[0].frame.columns)
    for part in parts[1:]:
        extra = [c for c in part.frame.columns if c not in columns]
        missing = [c for c in columns if c not in part.frame.columns]
        if extra or missing:
            detail = "; ".join(
                x
                for x in (
                    f"extra: {', '.join(extra)}" if extra else "",
                    f"missing: {', '.join(missing)}" if missing else "",
                )
                if x
            )
            raise PhanatError(f"columns differ from {files[0].name} ({detail})", file=part.path)
    frame = pd.concat([p.frame[columns] for p in parts], ignore_index=True)
    spans, start = [], 1
    for p in parts:
        spans.append((p.path.name, p.sha256, start, start + p.n_rows - 1))
        start += p.n_rows
    digest = hashlib.sha256("".join(f"{sha}  {name}\n" for name, sha, _, _ in spans).encode()).hexdigest()
    encoding = ",".join(sorted({p.encoding for p in parts}))
    return RawExport(path=folder, frame=frame, encoding=encoding, sha256=digest, parts=tuple(spans))


def _parse_csv(text: str, path: Path) -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise PhanatError("the file is empty", file=path)
    header, body = rows[0], rows[1:]
    width = len(header)
    for i, row in enumerate(body, start=1):
        if len(row) != width:
            raise PhanatError(f"has {len(row)} fields where the header has {width}", file=path, row=i)
    _check_header(header, path)
    return pd.DataFrame(body, columns=header, dtype=str)


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    try:
        frame = pd.read_excel(
            path,
            sheet_name=0 if sheet is None else sheet,
            dtype=str,
            keep_default_na=False,
            engine="openpyxl",
        )
    except ValueError as exc:  # unknown sheet name
        raise PhanatError(f"cannot read sheet {sheet!r}: {exc}", file=path) from None
    except Exception as exc:  # noqa: BLE001 - corrupt workbook: one line, not a traceback
        raise PhanatError(f"is not a readable .xlsx workbook ({type(exc).__name__})", file=path) from None
    frame = frame.fillna("")
    _check_header([str(c) for c in frame.columns], path)
    return frame.astype(str)


def _read_spss(path: Path) -> pd.DataFrame:
    """SPSS .sav with value labels applied (a labelled 5 becomes its label, e.g. มากที่สุด);
    unlabelled numbers are written without a trailing ``.0``."""
    import pyreadstat

    try:
        frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=True, encoding=None)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises its own types for bad files
        raise PhanatError(
            f"is not a readable SPSS .sav file ({' '.join(str(exc).split())[:120]})", file=path
        ) from None

    def text(value: object) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    frame = frame.map(text)
    _check_header([str(c) for c in frame.columns], path)
    return frame.astype(str)


def _check_header(header: list[str], path: Path) -> None:
    blank = [i + 1 for i, name in enumerate(header) if not str(name).strip()]
    if blank:
        raise PhanatError(f"header has empty column name(s) at position {blank}", file=path)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise PhanatError("column name appears twice in the header", file=path, column=name)
        seen.add(name)


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in blocks (the file is only read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_synthetic(data_path: str | Path) -> bool:
    """True when ``<data>.synthetic.json`` (written by :mod:`analysis.data.synthetic`) exists and
    records exactly this file's SHA-256: an edited or replaced export counts as real data."""
    if Path(data_path).is_dir():  # a folder of exports is synthetic only if every export is
        files = export_files(Path(data_path))
        return bool(files) and all(is_synthetic(f) for f in files)
    sidecar = Path(str(data_path) + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return False
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return bool(meta.get("synthetic")) and meta.get("sha256") == sha256_file(data_path)
