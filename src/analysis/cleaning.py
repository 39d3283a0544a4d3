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
from analysis.reading import RawExport

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
    for needed in [study.timestamp_column, study.respondent_key, study.group_column]:
        if needed and needed not in roles:
            raise PhanatError(f"column {needed!r} named in the study config is not in the data", file=file)
    if unmatched and study.unknown_columns == "error":
        raise PhanatError(
            f"{len(unmatched)} column(s) not in the codebook or study config, first {unmatched[0]!r}; "
            "add them to columns.ignore or set unknown_columns: log",
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
    )


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


def parse_timestamp(raw: str) -> dt.datetime | None:
    """Parse a Google Forms timestamp; a year above 2400 is Buddhist Era (minus 543)."""
    text = normalize_text(raw).translate(THAI_DIGITS).replace(" น.", "")
    for fmt in TIMESTAMP_FORMATS:
        try:
            moment = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if moment.year > 2400:
            moment = moment.replace(year=moment.year - BE_OFFSET)
        return moment
    return None


def assign_cycle(moment: dt.datetime, study: StudyConfig) -> str | None:
    """Code of the cycle whose [start, end] window (whole days) holds ``moment``."""
    day = moment.date()
    for cyc in study.cycles:
        if cyc.start <= day <= cyc.end:
            return cyc.code
    return None


# --------------------------------------------------------------------------- rows
@dataclass
class CleaningResult:
    data: pd.DataFrame
    log: pd.DataFrame
    summary: dict = field(default_factory=dict)


def is_straightlining(items: pd.DataFrame) -> pd.Series:
    """True for rows answering every item (at least 2 answered) with one and the same value."""
    answered = items.notna().sum(axis=1)
    return (answered >= 2) & (items.nunique(axis=1) == 1) & (answered == items.shape[1])


def clean_export(
    raw: RawExport,
    codebook: Codebook,
    study: StudyConfig,
    *,
    min_completeness: float = 0.5,
    drop_incomplete: bool = True,
    drop_straightlining: bool = False,
) -> CleaningResult:
    """Clean one export. See the module docstring for the steps."""
    frame = raw.frame
    cmap = match_columns(list(frame.columns), codebook, study, raw.path)
    key = pseudonym_key(study.pseudonym_key_env, study.pseudonym_key)
    n_raw = len(frame)
    raw_row = pd.Series(np.arange(1, n_raw + 1), index=frame.index)  # data row 1 = line 2
    log: list[dict] = []
    dropped = pd.Series("", index=frame.index)  # reason, "" = kept

    def drop(mask: pd.Series, reason: str, detail: pd.Series | None = None) -> None:
        mask = mask & (dropped == "")
        for idx in frame.index[mask]:
            dropped[idx] = reason
            text = reason if detail is None else f"{reason} ({detail[idx]})"
            log.append(
                {
                    "raw_row": int(raw_row[idx]),
                    "column": "",
                    "raw_value": "",
                    "action": "dropped row",
                    "reason": text,
                }
            )

    # Answers → scale points.
    value_map = scale_value_map(codebook)
    items = pd.DataFrame(index=frame.index)
    for code, col in cmap.items.items():
        uniques = frame[col].unique()
        parsed = {u: parse_scale_answer(u, value_map) for u in uniques}
        items[code] = frame[col].map({u: v for u, (v, _) in parsed.items()}).astype("Int64")
        bad = {u: r for u, (_, r) in parsed.items() if r}
        if bad:
            for idx in frame.index[frame[col].isin(list(bad))]:
                value = frame.at[idx, col]
                log.append(
                    {
                        "raw_row": int(raw_row[idx]),
                        "column": code,
                        "raw_value": redact(normalize_text(value))[:60],
                        "action": "set missing",
                        "reason": bad[value],
                    }
                )
    for code in codebook.reverse_items:
        items[code] = reverse_score(items[code], codebook.scale_min, codebook.scale_max)

    # Timestamps and cycles.
    stamps = frame[cmap.timestamp].map(parse_timestamp)
    drop(stamps.isna(), "timestamp not readable")
    cycles = stamps.map(lambda m: assign_cycle(m, study) if pd.notna(m) else None)
    drop(
        cycles.isna(),
        "timestamp outside every cycle window",
        stamps.map(lambda m: m.date().isoformat() if pd.notna(m) else ""),
    )

    # Exact duplicates (all raw cells identical), then resubmissions per respondent and cycle.
    dup = frame.duplicated(keep="first")
    first_row = frame.groupby(list(frame.columns), sort=False).ngroup()
    first_of = raw_row.groupby(first_row).transform("min")
    drop(dup, "exact duplicate submission", first_of.map(lambda r: f"same as raw row {r}"))
    ids = frame[cmap.respondent_key].map(lambda k: pseudonymous_id(k, key) if normalize_text(k) else "")
    drop(ids == "", "no respondent key")
    alive = dropped == ""
    order = pd.DataFrame({"id": ids, "cycle": cycles, "stamp": stamps, "row": raw_row})[alive]
    order = order.sort_values(["stamp", "row"])
    latest = order.groupby(["id", "cycle"])["row"].transform("last")
    resub = pd.Series(False, index=frame.index)
    resub[order.index] = order["row"] != latest
    kept_row = pd.Series("", index=frame.index)
    kept_row[order.index] = latest.map(lambda r: f"kept later raw row {r}")
    drop(resub, "earlier submission by the same respondent in the cycle", kept_row)

    # Groups.
    group = pd.Series(pd.NA, index=frame.index, dtype="object")
    if cmap.group is not None:
        labels = {normalize_text(g.label_th).casefold(): g.code for g in study.groups}
        labels.update({normalize_text(g.label_en).casefold(): g.code for g in study.groups if g.label_en})
        labels.update({g.code.casefold(): g.code for g in study.groups})
        norm_group = frame[cmap.group].map(lambda v: normalize_text(v).casefold())
        group = norm_group.map(labels)
        for idx in frame.index[group.isna() & (dropped == "")]:
            log.append(
                {
                    "raw_row": int(raw_row[idx]),
                    "column": cmap.group,
                    "raw_value": redact(normalize_text(frame.at[idx, cmap.group]))[:60],
                    "action": "set missing",
                    "reason": "group not listed in the study config",
                }
            )

    # Completeness and straight-lining.
    completeness = items.notna().mean(axis=1)
    incomplete = completeness < min_completeness
    straight = is_straightlining(items)
    if drop_incomplete:
        drop(
            incomplete,
            f"fewer than {min_completeness:.0%} of items answered",
            completeness.map(lambda c: f"{c:.0%} answered"),
        )
    if drop_straightlining:
        drop(straight, "same answer to every item")

    kept = dropped == ""
    data = pd.DataFrame(
        {
            "respondent_id": ids[kept],
            "cycle": cycles[kept],
            "group": group[kept],
            "submitted_at": stamps[kept].map(lambda m: m.isoformat(sep=" ")),
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

    for col in cmap.unmatched:
        log.append(
            {
                "raw_row": 0,
                "column": col,
                "raw_value": "",
                "action": "column not used",
                "reason": "not in the codebook or study config",
            }
        )
    for col in (cmap.respondent_key, *cmap.free_text):
        log.append(
            {
                "raw_row": 0,
                "column": col,
                "raw_value": "",
                "action": "column removed",
                "reason": "personal data or free text: not written to processed data",
            }
        )
    log_frame = pd.DataFrame(log, columns=LOG_COLUMNS).sort_values(["raw_row", "column"], kind="stable")

    reasons = dropped[dropped != ""].value_counts().sort_index()
    summary = {
        "file": raw.path.name,
        "sha256": raw.sha256,
        "encoding": raw.encoding,
        "n_raw": n_raw,
        "n_kept": int(kept.sum()),
        "n_dropped": int((~kept).sum()),
        "dropped_by_reason": {str(k): int(v) for k, v in reasons.items()},
        "n_cells_set_missing": int(
            sum(1 for r in log if r["action"] == "set missing" and r["column"] in codebook.item_codes)
        ),
        "n_flag_incomplete": int(data["flag_incomplete"].sum()),
        "n_flag_straightlining": int(data["flag_straightlining"].sum()),
        "unmatched_columns": len(cmap.unmatched),
        "reverse_keyed_items": codebook.reverse_items,
        "n_by_cycle": {c.code: int((data["cycle"] == c.code).sum()) for c in study.cycles},
    }
    if summary["n_raw"] != summary["n_kept"] + sum(summary["dropped_by_reason"].values()):
        raise AssertionError("row accounting failed: raw != kept + dropped")  # a bug, not input
    return CleaningResult(data=data, log=log_frame.reset_index(drop=True), summary=summary)
