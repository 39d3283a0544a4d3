"""Cleaning a raw survey export into an analysis-ready table, with a log of every change.

Steps (each logged per row or per cell in ``CleaningResult.log``):

1. match export columns to codebook items (by item code or question text, after Unicode
   normalisation) and to the study's own columns (timestamp, respondent key, group, free text);
2. map answers (Thai or English labels, Arabic or Thai digits) to scale points; anything else
   becomes missing, logged with row, column, raw value and reason;
3. rescore reverse-keyed items as ``scale.min + scale.max - x`` with the codebook's scale;
4. assign each submission to the PDCA cycle whose window holds its timestamp;
5. drop exact duplicate submissions, then keep each respondent's latest submission per cycle;
6. flag straight-lining and incomplete rows (dropped only when the study config says so);
7. replace the respondent key by a pseudonymous id and drop key and free-text columns.

Every raw row is accounted for: ``n_raw == n_kept + sum(dropped by reason)``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import BE_OFFSET, Codebook, StudyConfig
from analysis.errors import PhanatError
from analysis.privacy import pseudonym_key, pseudonymous_id, redact
from analysis.reading import RawExport, is_synthetic

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BRACKETED = re.compile(r"\[(.+)\]\s*$")
LOG_COLUMNS = ["raw_row", "column", "raw_value", "action", "reason"]


def normalize_text(value: str) -> str:
    """NFC-normalise, drop zero-width characters, turn non-breaking spaces into spaces and
    collapse runs of whitespace."""
    value = unicodedata.normalize("NFC", str(value)).translate(ZERO_WIDTH)
    return " ".join(value.replace("\u00a0", " ").split())


# --------------------------------------------------------------------------- columns
@dataclass(frozen=True)
class ColumnMap:
    items: dict[str, str]  # item code -> export column
    timestamp: str
    respondent_key: str
    group: str | None
    free_text: tuple[str, ...]
    ignored: tuple[str, ...]
    unmatched: tuple[str, ...]
    cycle: str | None = None


def match_columns(columns: list[str], codebook: Codebook, study: StudyConfig, file: Path) -> ColumnMap:
    """Match export columns to items by code, by full question text, or by the text in the
    trailing ``[...]`` of a Google Forms grid header. Raises on a missing item or (unless the
    study config says ``unknown_columns: log``) on a column nobody knows."""
    norm = {col: normalize_text(col) for col in columns}
    by_text: dict[str, str] = {}
    for item in codebook.items:
        by_text[normalize_text(item.code).casefold()] = item.code
        by_text[normalize_text(item.text_th).casefold()] = item.code
        if item.text_en:
            by_text[normalize_text(item.text_en).casefold()] = item.code
    role_names = {
        normalize_text(n): n
        for n in [
            study.timestamp_column,
            study.respondent_key,
            study.group_column,
            study.cycle_column,
            *study.free_text_columns,
            *study.ignore_columns,
        ]
        if n
    }
    items: dict[str, str] = {}
    roles: dict[str, str] = {}
    unmatched: list[str] = []
    for col in columns:
        text = norm[col]
        if text in role_names:
            roles[role_names[text]] = col
            continue
        bracket = BRACKETED.search(text)
        candidates = [text.casefold()] + ([normalize_text(bracket.group(1)).casefold()] if bracket else [])
        code = next((by_text[c] for c in candidates if c in by_text), None)
        if code is None:
            unmatched.append(col)
        elif code in items:
            raise PhanatError(
                f"matches item {code} which column {items[code]!r} matches too", file=file, column=col
            )
        else:
            items[code] = col
    missing = [c for c in codebook.item_codes if c not in items]
    if missing:
        raise PhanatError(
            f"codebook item(s) {', '.join(missing)} not found in the data "
            f"(first: {codebook.items[codebook.item_codes.index(missing[0])].text_th!r})",
            file=file,
        )
    for needed in [study.timestamp_column, study.respondent_key, study.group_column, study.cycle_column]:
        if needed and needed not in roles:
            raise PhanatError(f"column {needed!r} named in the study config is not in the data", file=file)
    if unmatched and study.unknown_columns == "error":
        raise PhanatError(
            f"{len(unmatched)} column(s) not in the codebook or study config, first "
            f"{column_position(columns, unmatched[0])}; add them to columns.ignore or set "
            "unknown_columns: log",
            file=file,
        )
    return ColumnMap(
        items=items,
        timestamp=roles[study.timestamp_column],
        respondent_key=roles[study.respondent_key],
        group=roles.get(study.group_column) if study.group_column else None,
        free_text=tuple(roles[c] for c in study.free_text_columns if c in roles),
        ignored=tuple(roles[c] for c in study.ignore_columns if c in roles),
        unmatched=tuple(unmatched),
        cycle=roles.get(study.cycle_column) if study.cycle_column else None,
    )


def column_position(columns: list[str], col: str) -> str:
    """An export column as outputs name a column nobody configured: its position and length,
    never its header (a header is untrusted text and may hold a name or a phone number)."""
    return f"column {columns.index(col) + 1} ({len(col)} characters)"


# --------------------------------------------------------------------------- values
def scale_value_map(codebook: Codebook) -> dict[str, int]:
    """Accepted answers → scale point: Thai and English labels, Arabic and Thai digits."""
    out: dict[str, int] = {}
    for p in codebook.points:
        out[normalize_text(p.th).casefold()] = p.value
        out[normalize_text(p.en).casefold()] = p.value
        out[str(p.value)] = p.value
        out[f"{p.value}.0"] = p.value
    return out


def parse_scale_answer(raw: str, value_map: dict[str, int]) -> tuple[int | None, str | None]:
    """One answer → (scale point, None), (None, None) for blank, or (None, reason)."""
    text = normalize_text(raw).translate(THAI_DIGITS).casefold()
    if text == "":
        return None, None
    if text in value_map:
        return value_map[text], None
    try:
        number = float(text)
    except ValueError:
        return None, "not a scale label or number"
    if number.is_integer():
        return None, "number outside the scale"
    return None, "not a whole number"


def reverse_score(values: pd.Series, scale_min: int, scale_max: int) -> pd.Series:
    """Reverse keying with the scale's own bounds: :math:`x' = min + max - x`."""
    return (scale_min + scale_max) - values


# --------------------------------------------------------------------------- timestamps
TIMESTAMP_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
)
DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?$")


BE_YEAR = re.compile(r"(?<!\d)(2[4-9]\d\d)(?!\d)")


def parse_timestamp(raw: str) -> dt.datetime | None:
    """Parse a Google Forms timestamp. A four-digit year from 2400 on is Buddhist Era and is
    converted (minus 543) *before* the date is checked, so 29/2/2563 (a leap day of 2020)
    is read and 29/2/2564 (2021 has none) is not."""
    text = normalize_text(raw).translate(THAI_DIGITS).replace(" น.", "")
    text = BE_YEAR.sub(lambda m: str(int(m.group(1)) - BE_OFFSET), text)
    for fmt in TIMESTAMP_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_timestamps(raw: pd.Series) -> pd.Series:
    """:func:`parse_timestamp` for a column, vectorised for the common ``d/m/YYYY H:MM:SS``
    form (B.E. or C.E.); other forms fall back to the row-wise parser. NaT = not readable."""
    parts = raw.str.strip().str.extract(DMY).astype(float)
    year = parts[2].where(parts[2] <= 2400, parts[2] - BE_OFFSET)
    fast = pd.to_datetime(
        pd.DataFrame(
            {
                "year": year,
                "month": parts[1],
                "day": parts[0],
                "hour": parts[3],
                "minute": parts[4],
                "second": parts[5].fillna(0),
            }
        ),
        errors="coerce",
    )
    rest = fast.isna()
    if rest.any():
        uniques = raw[rest].unique()
        slow = {u: parse_timestamp(u) for u in uniques}
        fast[rest] = pd.to_datetime(raw[rest].map(slow), errors="coerce")
    return fast


def assign_cycles(stamps: pd.Series, study: StudyConfig) -> pd.Series:
    """The code of the cycle whose [start, end] window (whole days) holds each timestamp;
    missing where no window does."""
    out = pd.Series(pd.NA, index=stamps.index, dtype="object")
    days = stamps.dt.normalize()
    for cyc in study.cycles:
        inside = (days >= pd.Timestamp(cyc.start)) & (days <= pd.Timestamp(cyc.end))
        out[inside] = cyc.code
    return out


# --------------------------------------------------------------------------- rows
@dataclass
class CleaningResult:
    data: pd.DataFrame
    log: pd.DataFrame
    summary: dict = field(default_factory=dict)


def cycles_from_column(values: pd.Series, study: StudyConfig) -> pd.Series:
    """Cycle codes from an export's cycle column: each value may be a cycle's code or its Thai
    or English name (compared after Unicode normalisation, case-insensitively); anything else
    is missing (and the row is dropped with that reason)."""
    names = {}
    for c in study.cycles:
        for label in (c.code, c.name_th, c.name_en):
            if label:
                names[normalize_text(label).casefold()] = c.code
    return values.map(lambda v: names.get(normalize_text(str(v)).casefold()))


def redact_series(values: pd.Series) -> pd.Series:
    """Values as they may appear in a log: personal data replaced (:func:`analysis.privacy.redact`)."""
    return values.astype(str).map(redact)


def is_straightlining(items: pd.DataFrame) -> pd.Series:
    """True for rows answering every item (at least two) with one and the same value."""
    values = items.astype("float64").to_numpy(na_value=np.nan)
    complete = ~np.isnan(values).any(axis=1)
    with np.errstate(invalid="ignore"):
        same = np.nanmax(values, axis=1, initial=-np.inf, where=~np.isnan(values)) == np.nanmin(
            values, axis=1, initial=np.inf, where=~np.isnan(values)
        )
    return pd.Series(complete & same & (items.shape[1] >= 2), index=items.index)


def log_entries(
    raw_row: pd.Series, column: str, raw_value: pd.Series | str, action: str, reason: pd.Series | str
) -> pd.DataFrame:
    """Rows of the cleaning log (vectorised); raw values are redacted and shortened."""
    frame = pd.DataFrame(
        {
            "raw_row": raw_row.astype(int),
            "column": column,
            "raw_value": raw_value,
            "action": action,
            "reason": reason,
        }
    )
    if isinstance(raw_value, pd.Series):
        uniques = {v: redact(normalize_text(v))[:60] for v in raw_value.unique()}
        frame["raw_value"] = raw_value.map(uniques)
    return frame


def validate_processed(data: pd.DataFrame, codebook: Codebook, study: StudyConfig, file: Path) -> None:
    """Check the processed table with a pandera schema (types, ranges, required columns) and
    report every violation at once."""
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    item = pa.Column("Int64", pa.Check.in_range(codebook.scale_min, codebook.scale_max), nullable=True)
    schema = pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str, pa.Check.str_matches(r"^R[0-9a-f]{12}$")),
            "cycle": pa.Column(str, pa.Check.isin([c.code for c in study.cycles])),
            "group": pa.Column(object, pa.Check.isin([g.code for g in study.groups]), nullable=True),
            "submitted_at": pa.Column(str),
            "raw_row": pa.Column(int, pa.Check.ge(1)),
            "flag_incomplete": pa.Column(bool),
            "flag_straightlining": pa.Column(bool),
            **{code: item for code in codebook.item_codes},
        },
        strict=True,
        unique=["respondent_id", "cycle"],
    )
    try:
        schema.validate(data, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        summary = "; ".join(
            f"{row.column}: {row.check} (e.g. {redact(str(row.failure_case))!r})"
            for row in cases.drop_duplicates(["column", "check"]).head(5).itertuples()
        )
        raise PhanatError(f"processed data fail {len(cases)} schema check(s): {summary}", file=file) from None


def export_label(raw: RawExport) -> str:
    """How outputs name the export: a neutral label (its SHA-256 identifies it), never its
    file name, which may carry a respondent's or an officer's name and phone number."""
    return f"exports 1-{len(raw.parts)}" if raw.parts else "export 1"


def clean_export(raw: RawExport, codebook: Codebook, study: StudyConfig) -> CleaningResult:
    """Clean one export (see the module docstring). Row rules come from ``study``:
    ``min_completeness``, ``drop_incomplete``, ``drop_straightlining``."""
    frame = raw.frame
    cmap = match_columns(list(frame.columns), codebook, study, raw.path)
    key = pseudonym_key(study.pseudonym_key_env, study.pseudonym_key, synthetic=is_synthetic(raw.path))
    n_raw = len(frame)
    raw_row = pd.Series(np.arange(1, n_raw + 1), index=frame.index)  # data row 1 = line 2 of a CSV
    logs: list[pd.DataFrame] = []
    dropped = pd.Series("", index=frame.index)  # the reason a row was dropped, "" = kept

    def drop(mask: pd.Series, reason: str, detail: pd.Series | None = None) -> None:
        mask = mask & (dropped == "")
        if mask.any():
            dropped[mask] = reason
            text = reason if detail is None else reason + " (" + detail[mask].astype(str) + ")"
            logs.append(log_entries(raw_row[mask], "", "", "dropped row", text))

    # Answers → scale points; every value that is neither blank nor on the scale is logged.
    value_map = scale_value_map(codebook)
    items = {}
    for code, col in cmap.items.items():
        parsed = {u: parse_scale_answer(u, value_map) for u in frame[col].unique()}
        items[code] = frame[col].map({u: v for u, (v, _) in parsed.items()}).astype("Int64")
        bad = {u: r for u, (_, r) in parsed.items() if r}
        if bad:
            cells = frame[col].isin(list(bad))
            logs.append(
                log_entries(
                    raw_row[cells], code, frame.loc[cells, col], "set missing", frame.loc[cells, col].map(bad)
                )
            )
    items = pd.DataFrame(items, index=frame.index)
    straight = is_straightlining(items)  # on the answers as given, before reverse keying
    for code in codebook.reverse_items:
        items[code] = reverse_score(items[code], codebook.scale_min, codebook.scale_max)

    # Timestamps and cycles.
    stamps = parse_timestamps(frame[cmap.timestamp])
    drop(stamps.isna(), "timestamp not readable")
    if cmap.cycle is None:
        cycles = assign_cycles(stamps, study)
        drop(cycles.isna(), "timestamp outside every cycle window", stamps.dt.strftime("%Y-%m-%d"))
    else:  # the export says the cycle: its code or its Thai or English name
        cycles = cycles_from_column(frame[cmap.cycle], study)
        drop(cycles.isna(), "cycle value not one of the study's cycles", redact_series(frame[cmap.cycle]))

    # Exact duplicates: rows whose raw cells are all identical (64-bit row hashes).
    row_hash = pd.util.hash_pandas_object(frame, index=False)
    first_of = raw_row.groupby(row_hash.to_numpy()).transform("min")
    drop(
        row_hash.duplicated(keep="first"),
        "exact duplicate submission",
        "same as raw row " + first_of.astype(str),
    )

    # Respondents: pseudonymous ids; resubmissions keep the latest per respondent and cycle.
    keys = frame[cmap.respondent_key]
    id_of = {k: pseudonymous_id(k, key) if normalize_text(k) else "" for k in keys.unique()}
    ids = keys.map(id_of)
    drop(ids == "", "no respondent key")
    alive = dropped == ""
    order = pd.DataFrame({"id": ids, "cycle": cycles, "stamp": stamps, "row": raw_row})[alive]
    order = order.sort_values(["stamp", "row"])
    latest = order.groupby(["id", "cycle"])["row"].transform("last")
    resub = pd.Series(False, index=frame.index)
    resub[order.index] = order["row"] != latest
    kept_row = pd.Series("", index=frame.index)
    kept_row[order.index] = "kept later raw row " + latest.astype(str)
    drop(resub, "earlier submission by the same respondent in the cycle", kept_row)

    # Groups: labels (Thai, English or code) → group code; unknown labels are logged.
    group = pd.Series(pd.NA, index=frame.index, dtype="object")
    if cmap.group is not None:
        labels = {normalize_text(g.label_th).casefold(): g.code for g in study.groups}
        labels |= {normalize_text(g.label_en).casefold(): g.code for g in study.groups if g.label_en}
        labels |= {g.code.casefold(): g.code for g in study.groups}
        group_of = {v: labels.get(normalize_text(v).casefold(), pd.NA) for v in frame[cmap.group].unique()}
        group = frame[cmap.group].map(group_of).astype("object")
        unknown = group.isna() & (dropped == "")
        if unknown.any():
            logs.append(
                log_entries(
                    raw_row[unknown],
                    cmap.group,
                    frame.loc[unknown, cmap.group],
                    "set missing",
                    "group not listed in the study config",
                )
            )

    # Completeness and straight-lining: flagged, dropped only if the study config says so.
    completeness = items.notna().mean(axis=1)
    incomplete = completeness < study.min_completeness
    if study.drop_incomplete:
        drop(
            incomplete,
            f"fewer than {study.min_completeness:.0%} of items answered",
            (completeness * 100).round().astype(int).astype(str) + "% answered",
        )
    if study.drop_straightlining:
        drop(straight, "same answer to every item")

    kept = dropped == ""
    for mask, reason in (
        (incomplete, f"fewer than {study.min_completeness:.0%} of items answered"),
        (straight, "same answer to every item"),
    ):
        if (mask & kept).any():
            logs.append(log_entries(raw_row[mask & kept], "", "", "flagged row", reason))
    data = pd.DataFrame(
        {
            "respondent_id": ids[kept],
            "cycle": cycles[kept].astype(str),
            "group": group[kept],
            "submitted_at": stamps[kept].dt.strftime("%Y-%m-%d %H:%M:%S"),
            "raw_row": raw_row[kept],
            "flag_incomplete": incomplete[kept],
            "flag_straightlining": straight[kept],
        }
    )
    data = pd.concat([data, items[kept]], axis=1)
    cycle_order = {c.code: i for i, c in enumerate(study.cycles)}
    data = data.sort_values(
        ["cycle", "submitted_at", "raw_row"], key=lambda s: s.map(cycle_order) if s.name == "cycle" else s
    )
    data = data.reset_index(drop=True)
    validate_processed(data, codebook, study, raw.path)

    zero = pd.Series([0])
    header = list(frame.columns)
    for col in cmap.unmatched:
        logs.append(
            log_entries(
                zero,
                column_position(header, col),
                "",
                "column not used",
                "not in the codebook or study config",
            )
        )
    for col in (cmap.respondent_key, *cmap.free_text):
        logs.append(
            log_entries(
                zero, col, "", "column removed", "personal data or free text: not written to processed data"
            )
        )
    log_frame = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=LOG_COLUMNS)
    log_frame = log_frame[LOG_COLUMNS].sort_values(["raw_row", "column"], kind="stable")

    reasons = dropped[dropped != ""].value_counts().sort_index()
    item_cells = log_frame["column"].isin(codebook.item_codes) & (log_frame["action"] == "set missing")
    summary = {
        "file": export_label(raw),
        "sha256": raw.sha256,
        **(
            {
                "parts": [
                    {"file": f"export {i}", "sha256": h, "first_row": a, "last_row": b}
                    for i, (_, h, a, b) in enumerate(raw.parts, start=1)
                ]
            }
            if raw.parts
            else {}
        ),
        "encoding": raw.encoding,
        "n_raw": n_raw,
        "n_kept": int(kept.sum()),
        "n_dropped": int((~kept).sum()),
        "dropped_by_reason": {str(k): int(v) for k, v in reasons.items()},
        "n_cells_set_missing": int(item_cells.sum()),
        "n_flag_incomplete": int(data["flag_incomplete"].sum()),
        "n_flag_straightlining": int(data["flag_straightlining"].sum()),
        "rules": {
            "min_completeness": study.min_completeness,
            "drop_incomplete": study.drop_incomplete,
            "drop_straightlining": study.drop_straightlining,
        },
        "unmatched_columns": [column_position(header, c) for c in cmap.unmatched],
        "reverse_keyed_items": codebook.reverse_items,
        "n_by_cycle": {c.code: int((data["cycle"] == c.code).sum()) for c in study.cycles},
    }
    if summary["n_raw"] != summary["n_kept"] + sum(summary["dropped_by_reason"].values()):
        raise AssertionError("row accounting failed: raw != kept + dropped")  # a bug, not input
    return CleaningResult(data=data, log=log_frame.reset_index(drop=True), summary=summary)
