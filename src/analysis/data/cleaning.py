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
7. replace the respondent key by a pseudonymous id and drop key and free-text columns;
8. summarise the free-text answers of the kept rows per cycle (:mod:`analysis.data.suggestions`:
   redacted, every redaction counted by kind in the summary and the log, never the text).

Every raw row is accounted for: ``n_raw == n_kept + sum(dropped by reason)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config.codebook import Codebook
from analysis.config.labels import ZERO_WIDTH, is_known_label, label_key
from analysis.config.study import StudyConfig
from analysis.config.themes import Theme
from analysis.config.values import THAI_DIGITS
from analysis.data.privacy import pseudonym_key, pseudonymous_id, redact
from analysis.data.reading import RawExport, is_synthetic
from analysis.data.timestamps import AmbiguousDateOrder, infer_date_order, parse_timestamps, stamp_parts
from analysis.errors import PhanatError

BRACKETED = re.compile(r"\[(.+)\]\s*$")
# A leading item number: "1.", "1)", "1.2", "๑.", "ข้อ 1", "ข้อที่ 1.", "(1)", "Q1."
ITEM_NUMBER = re.compile(
    r"^\s*(?:(?:ข้อ(?:ที่)?|q|item|no\.?)\s*)?\(?[0-9๐-๙]+(?:\.[0-9๐-๙]+)*\s*[.):]?\s+(?=\S)|"
    r"^\s*(?:ข้อ(?:ที่)?|q|item)\s*[0-9๐-๙]+\s*[.):]?\s*",
    re.IGNORECASE,
)
LOG_COLUMNS = ["raw_row", "column", "raw_value", "action", "reason"]


def normalize_text(value: str) -> str:
    """NFC-normalise, drop zero-width characters, turn non-breaking spaces into spaces and
    collapse runs of whitespace."""
    value = unicodedata.normalize("NFC", str(value)).translate(ZERO_WIDTH)
    return " ".join(value.replace("\u00a0", " ").split())


def is_blank(value: str) -> bool:
    """True when :func:`normalize_text` leaves nothing of *value*. ASCII text is blank when it
    is whitespace only (NFC and the zero-width characters concern other text only), which
    spares 100,000 normalisations of e-mail addresses."""
    if value.isascii():
        return not value.strip()
    return not normalize_text(value)


def strip_item_number(text: str) -> str:
    """A question text without its leading item number (``1.``, ``1)``, ``๑.``, ``ข้อ 1``)."""
    return ITEM_NUMBER.sub("", text, count=1).strip()


def text_keys(text: str) -> list[str]:
    """The forms under which a question text is matched: as written, and without a leading
    item number (both case folded, after :func:`normalize_text`)."""
    norm = normalize_text(text).casefold()
    return list(dict.fromkeys([norm, strip_item_number(norm)]))


# --------------------------------------------------------------------------- columns
@dataclass(frozen=True)
class ColumnMap:
    items: dict[str, str]  # item code -> export column
    timestamp: str
    respondent_key: str | None
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
        for text in (item.text_th, item.text_en):
            for key in text_keys(text) if text else ():
                by_text.setdefault(key, item.code)
    role_names = {
        normalize_text(n): n
        for n in [
            study.columns.timestamp,
            study.columns.respondent_key,
            study.columns.group,
            study.columns.cycle,
            *study.columns.free_text,
            *study.columns.ignore,
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
        candidates = text_keys(text) + (text_keys(bracket.group(1)) if bracket else [])
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
        first = codebook.items[codebook.item_codes.index(missing[0])]
        raise PhanatError(
            f"codebook item(s) {', '.join(missing)} not found in the data (first: {first.text_th!r}); "
            + closest_column_hint(first.text_th, unmatched, columns),
            file=file,
        )
    for needed in [
        study.columns.timestamp,
        study.columns.respondent_key,
        study.columns.group,
        study.columns.cycle,
    ]:
        if needed and needed not in roles:
            raise PhanatError(
                f"column {needed!r} named in the study config is not in the data; "
                + closest_column_hint(needed, unmatched, columns),
                file=file,
            )
    if unmatched and study.unknown_columns == "error":
        raise PhanatError(
            f"{len(unmatched)} column(s) not in the codebook or study config, first "
            f"{column_position(columns, unmatched[0])}; add them to columns.ignore or set "
            "unknown_columns: log",
            file=file,
        )
    return ColumnMap(
        items=items,
        timestamp=roles[study.columns.timestamp],
        respondent_key=roles[study.columns.respondent_key] if study.columns.respondent_key else None,
        group=roles.get(study.columns.group) if study.columns.group else None,
        free_text=tuple(roles[c] for c in study.columns.free_text if c in roles),
        ignored=tuple(roles[c] for c in study.columns.ignore if c in roles),
        unmatched=tuple(unmatched),
        cycle=roles.get(study.columns.cycle) if study.columns.cycle else None,
    )


def column_position(columns: list[str], col: str) -> str:
    """An export column as outputs name a column nobody configured: its position and length,
    never its header (a header is untrusted text and may hold a name or a phone number)."""
    return f"column {columns.index(col) + 1} ({len(col)} characters)"


def closest_column_hint(
    wanted: str, columns: list[str] | tuple[str, ...], header: list[str] | None = None
) -> str:
    """Where to look when a question text or column name is not found: the export column
    whose text is most alike (Google Forms adds item numbers and ``ด้าน … [...]`` grid
    prefixes, which are ignored already), or what to check when none is close."""
    import difflib

    target = strip_item_number(normalize_text(wanted).casefold())
    best, best_ratio = None, 0.0
    for col in columns:
        position = header.index(col) + 1 if header and col in header else 0
        text = normalize_text(col)
        bracket = BRACKETED.search(text)
        inner = strip_item_number((bracket.group(1) if bracket else text).casefold())
        ratio = difflib.SequenceMatcher(None, target, inner, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = (position, col), ratio
    if best is None or best_ratio < 0.6:
        return (
            "no unmatched column is alike: check the codebook's text_th against the form's question "
            "(item numbers and the grid's '[...]' are ignored; spelling and spaces inside are not)"
        )
    shown = normalize_text(best[1])
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return (
        f"the closest unmatched column is {'number ' + str(best[0]) + ' ' if best[0] else ''}"
        f"({shown!r}, {best_ratio:.0%} alike): "
        "make the codebook's text_th the same as the form's question, or use the item code as the header"
    )


# --------------------------------------------------------------------------- values
def scale_value_map(codebook: Codebook) -> dict[str, int]:
    """Accepted answers → scale point: Thai and English labels, the labels a point lists
    under ``also``, Arabic and Thai digits. Keys are :func:`analysis.config.labels.label_key`."""
    out: dict[str, int] = {}
    for p in codebook.points:
        for label in (p.th, p.en, *p.also):
            out[label_key(label)] = p.value
        out[str(p.value)] = p.value
        out[f"{p.value}.0"] = p.value
    return out


def parse_scale_answer(raw: str, value_map: dict[str, int]) -> tuple[int | None, str | None]:
    """One answer → (scale point, None), (None, None) for blank, or (None, reason)."""
    text = label_key(normalize_text(raw).translate(THAI_DIGITS))
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
    suggestions: dict | None = None  # the free-text answers summarised; None without such columns


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


CODE_LIKE = re.compile(r"^[0-9๐-๙]{1,4}(?:[.,][0-9๐-๙]{1,2})?$")
STAMP_WORDS = {"am", "pm", "gmt", "utc", "น.", "ก่อนเที่ยง", "หลังเที่ยง"}


def loggable_value(raw: object, kind: str = "answer") -> str:
    """How a raw value that was not recognised may appear in a log, a message or a notebook.

    Only what cannot be personal is shown as it is: a label of a known answer scale
    (:mod:`analysis.config.labels`), a code of at most 3 characters, or a number of at most 4 digits.
    Timestamps are shown by their shape (digits as ``d``, letters as ``x`` or ``ก``, so
    ``2024/06/11 7:04 PM`` becomes ``dddd/dd/dd d:dd PM``). Anything else is described by its
    kind and length (``text, 23 characters``): a respondent may have typed a name, a phone
    number or an e-mail into any cell."""
    text = normalize_text(str(raw))
    if not text:
        return ""
    if is_known_label(text) or CODE_LIKE.match(text):
        return text
    if len(text) <= 3:
        return redact(text)
    if kind == "timestamp":
        return " ".join(
            word if word.casefold() in STAMP_WORDS or word.casefold().startswith("gmt") else _shape(word)
            for word in text.split()
        )
    digits = sum(ch.isdigit() for ch in text)
    noun = "number" if digits == len(text.replace(" ", "").replace("-", "")) else "text"
    return f"{noun}, {len(text)} characters"


def _shape(word: str) -> str:
    """Digits → d, Latin letters → x, Thai letters → ก, punctuation kept."""
    out = []
    for ch in word:
        if ch.isdigit():
            out.append("d")
        elif "\u0e00" <= ch <= "\u0e7f":
            out.append("ก")
        elif ch.isalpha():
            out.append("x")
        else:
            out.append(ch)
    return "".join(out)


def loggable_series(values: pd.Series, kind: str = "answer") -> pd.Series:
    """:func:`loggable_value` for a column (computed once per distinct value)."""
    shown = {v: loggable_value(v, kind) for v in values.unique()}
    return values.map(shown)


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
    raw_row: pd.Series,
    column: str,
    raw_value: pd.Series | str,
    action: str,
    reason: pd.Series | str,
    kind: str = "answer",
) -> pd.DataFrame:
    """Rows of the cleaning log (vectorised); raw values appear only as
    :func:`loggable_value` allows."""
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
        frame["raw_value"] = loggable_series(raw_value, kind)
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
            f"{row.column}: {row.check} (e.g. {loggable_value(row.failure_case)!r})"
            for row in cases.drop_duplicates(["column", "check"]).head(5).itertuples()
        )
        raise PhanatError(f"processed data fail {len(cases)} schema check(s): {summary}", file=file) from None


def export_label(raw: RawExport) -> str:
    """How outputs name the export: a neutral label (its SHA-256 identifies it), never its
    file name, which may carry a respondent's or an officer's name and phone number."""
    return f"exports 1-{len(raw.parts)}" if raw.parts else "export 1"


REASON_TIMESTAMP = "timestamp not readable"
REASON_OUTSIDE = "timestamp outside every cycle window"
REASON_CYCLE_VALUE = "cycle value not one of the study's cycles"
REASON_NO_KEY = "no respondent key"
REASON_GROUP = "group not listed in the study config"
REASON_ANSWER = "not a scale label or number"


def incomplete_reason(study: StudyConfig) -> str:
    return f"fewer than {study.cleaning.min_completeness:.0%} of items answered"


def timestamp_order(
    values: pd.Series, study: StudyConfig, file: Path, parts: pd.DataFrame | None = None
) -> str:
    """The day/month order of the timestamp column (:func:`analysis.data.timestamps.infer_date_order`),
    or a one-line error asking for ``timestamp_format`` when the data cannot settle it.
    *parts*: the column's :func:`~analysis.data.timestamps.stamp_parts`, if at hand."""
    try:
        return infer_date_order(values, study.timestamp_format, parts)
    except AmbiguousDateOrder:
        raise PhanatError(
            "the timestamps read both day-first and month-first (no day above 12): set "
            "'timestamp_format: DMY' (6/11/2024 = 6 November, Thai and British forms) or "
            "'timestamp_format: MDY' (= June 11, US English forms) in the study config",
            file=file,
            column=str(values.name),
        ) from None
    except ValueError as exc:
        raise PhanatError(f"timestamps: {exc}", file=file, column=str(values.name)) from None


def row_ids(export_sha256: str, raw_row: pd.Series) -> pd.Series:
    """Ids for an export without a respondent-key column: ``R`` + 12 hex digits of
    SHA-256(export digest, row number). Each submission counts as its own respondent, so
    resubmissions cannot be found and no respondent is paired across cycles."""
    import hashlib

    return raw_row.map(lambda r: "R" + hashlib.sha256(f"{export_sha256}:{r}".encode()).hexdigest()[:12])


def _top_values(frame: pd.DataFrame, n: int = 5) -> list[dict]:
    """The ``n`` most frequent (column, value) pairs of log rows, most frequent first."""
    counts = (
        frame.groupby(["column", "raw_value"], sort=False).size().sort_values(ascending=False, kind="stable")
    )
    return [{"column": str(c), "value": str(v), "count": int(k)} for (c, v), k in counts.head(n).items()]


def answer_fix(values: list[str], codebook: Codebook) -> str:
    """The codebook line that makes unknown answer labels count: ``also:`` on the point each
    label means, when the labels belong to a known label set of the codebook's length."""
    from analysis.config.labels import LABEL_SETS

    n_points = codebook.scale_max - codebook.scale_min + 1
    keys = {label_key(v): v for v in values}
    for label_set in LABEL_SETS:
        mapping = label_set.value_of()
        if label_set.n_points == n_points and keys and all(k in mapping for k in keys):
            by_point: dict[int, list[str]] = {}
            for k, v in keys.items():
                by_point.setdefault(codebook.scale_min - 1 + mapping[k], []).append(v)
            lines = "; ".join(
                f"value {point}: also: [{', '.join(labels)}]" for point, labels in sorted(by_point.items())
            )
            return f"in the codebook's scale.points add {lines}"
    return (
        "add each label to 'also:' of the scale point it means in the codebook's scale.points "
        "(or correct the export)"
    )


def loss_report(
    log: pd.DataFrame,
    dropped: pd.Series,
    details: dict[str, pd.Series],
    answered: int,
    cmap: ColumnMap,
    codebook: Codebook,
    study: StudyConfig,
) -> list[dict]:
    """What each cleaning rule removed or blanked, as a share of what it could have: answers
    set missing (of all non-blank answers), rows dropped (of all raw rows), group labels set
    missing (of kept rows). Each entry names the rule, the count, the share, the 5 most
    frequent offending values (as :func:`loggable_value` shows them) with their columns, the
    first raw rows, and the config change that would fix it; ``over`` is True when the share
    exceeds ``cleaning.max_loss``."""
    n_raw = len(dropped)
    out: list[dict] = []

    def add(rule: str, count: int, of: int, unit: str, top: list[dict], rows: list[int], fix: str) -> None:
        if count == 0 or of == 0:
            return
        share = count / of
        out.append(
            {
                "rule": rule,
                "count": int(count),
                "of": int(of),
                "unit": unit,
                "share": share,
                "over": share > study.cleaning.max_loss,
                "top": top,
                "rows": rows[:5],
                "fix": fix,
            }
        )

    answers = log[log["column"].isin(codebook.item_codes) & (log["action"] == "set missing")]
    values = list(dict.fromkeys(answers["raw_value"]))
    add(
        "unknown_answer",
        len(answers),
        answered,
        "answers",
        _top_values(answers),
        sorted(set(answers["raw_row"].astype(int)))[:5],
        answer_fix(values, codebook),
    )
    windows = ", ".join(f"{c.code} {c.start.isoformat()}..{c.end.isoformat()}" for c in study.cycles)
    rules = (
        ("timestamp_unreadable", REASON_TIMESTAMP, cmap.timestamp,
         "set 'timestamp_format: DMY', 'MDY' or 'YMD' in the study config, or correct the timestamps "
         "(their shapes are shown)"),
        ("outside_cycles", REASON_OUTSIDE, cmap.timestamp,
         f"widen a cycle's start/end in the study config's cycles (now {windows}) or add a cycle"),
        ("unknown_cycle", REASON_CYCLE_VALUE, cmap.cycle,
         "each value of the cycle column must be a cycle code or name listed under cycles (study config)"),
        ("no_respondent_key", REASON_NO_KEY, cmap.respondent_key,
         "fill in the respondent key, or remove columns.respondent_key to count each submission once"),
        ("incomplete", incomplete_reason(study), "",
         "lower cleaning.min_completeness or set cleaning.drop_incomplete: false in the study config"),
    )  # fmt: skip
    for rule, reason, column, fix in rules:
        mask = dropped == reason
        detail = details.get(reason)
        top = []
        if detail is not None and column:
            top = _top_values(pd.DataFrame({"column": column, "raw_value": detail}))
        rows = [int(i) + 1 for i in np.flatnonzero(mask.to_numpy())[:5]]
        add(rule, int(mask.sum()), n_raw, "rows", top, rows, fix)
    if cmap.group is not None:
        groups = log[(log["column"] == cmap.group) & (log["action"] == "set missing")]
        labels = ", ".join(g.label_th for g in study.groups) or "none"
        add(
            "unknown_group",
            len(groups),
            int((dropped == "").sum()),
            "rows",
            _top_values(groups),
            sorted(set(groups["raw_row"].astype(int)))[:5],
            f"list every label of column {cmap.group!r} under groups in the study config "
            f"(code, label_th, population); listed now: {labels}",
        )
    return out


def clean_export(
    raw: RawExport,
    codebook: Codebook,
    study: StudyConfig,
    themes: dict[str, Theme] | None = None,
    progress: Callable[[str], None] | None = None,
) -> CleaningResult:
    """Clean one export (see the module docstring). Row rules come from ``study``:
    ``min_completeness``, ``drop_incomplete``, ``drop_straightlining``; the suggestions'
    options from ``study.suggestions``, their themes (:class:`~analysis.config.themes.Theme`
    by Thai name) from ``themes``. ``progress`` is told the part of the cleaning under way."""
    say = progress or (lambda _part: None)
    say("timestamps")
    frame = raw.frame
    cmap = match_columns(list(frame.columns), codebook, study, raw.path)
    stamp_fields = stamp_parts(frame[cmap.timestamp].astype(str))  # once, for the order and the parse
    date_order = timestamp_order(frame[cmap.timestamp], study, raw.path, stamp_fields)
    n_raw = len(frame)
    raw_row = pd.Series(np.arange(1, n_raw + 1), index=frame.index)  # data row 1 = line 2 of a CSV
    logs: list[pd.DataFrame] = []
    dropped = pd.Series("", index=frame.index)  # the reason a row was dropped, "" = kept

    details: dict[str, pd.Series] = {}  # what the rows a rule dropped held (as loggable)

    def drop(mask: pd.Series, reason: str, detail: pd.Series | None = None) -> None:
        """Drop the rows of *mask* not dropped yet; *detail* (what each held, as loggable) need
        cover only the rows of *mask*: it is made for those alone, not for 100,000 kept rows."""
        mask = mask & (dropped == "")
        if mask.any():
            dropped[mask] = reason
            if detail is not None:
                detail = detail.reindex(mask.index)
                details[reason] = detail[mask]
            text = reason if detail is None else reason + " (" + detail[mask].astype(str) + ")"
            logs.append(log_entries(raw_row[mask], "", "", "dropped row", text))

    # Answers → scale points; every value that is neither blank nor on the scale is logged.
    # All item columns are read as one block: each distinct text is parsed once.
    say("answers")
    value_map = scale_value_map(codebook)
    block = frame[list(cmap.items.values())].to_numpy(dtype=object)
    codes, uniques = pd.factorize(block.ravel(), use_na_sentinel=False)
    codes = codes.reshape(block.shape)
    parsed = [parse_scale_answer(u, value_map) for u in uniques]
    point = np.array([np.nan if v is None else v for v, _ in parsed], dtype=float)
    problem = np.array([r or "" for _, r in parsed], dtype=object)
    nonblank = np.array([normalize_text(u) != "" for u in uniques], dtype=bool)
    answered = int(nonblank[codes].sum())
    for j, (code, col) in enumerate(cmap.items.items()):
        cells = pd.Series(problem[codes[:, j]] != "", index=frame.index)
        if cells.any():
            shown = pd.Series(problem[codes[:, j]], index=frame.index)[cells]
            logs.append(log_entries(raw_row[cells], code, frame.loc[cells, col], "set missing", shown))
    items = pd.DataFrame(point[codes], index=frame.index, columns=list(cmap.items)).astype("Int64")
    straight = is_straightlining(items)  # on the answers as given, before reverse keying
    for code in codebook.reverse_items:
        items[code] = reverse_score(items[code], codebook.scale_min, codebook.scale_max)

    # Timestamps and cycles.
    stamps = parse_timestamps(frame[cmap.timestamp], date_order, stamp_fields)
    unread = stamps.isna()  # only their values are shown (computed per distinct value)
    drop(
        unread,
        REASON_TIMESTAMP,
        loggable_series(frame.loc[unread, cmap.timestamp], "timestamp").reindex(frame.index),
    )
    if cmap.cycle is None:
        cycles = assign_cycles(stamps, study)
        outside = cycles.isna()
        drop(outside, REASON_OUTSIDE, stamps[outside].dt.strftime("%Y-%m-%d"))
    else:  # the export says the cycle: its code or its Thai or English name
        cycles = cycles_from_column(frame[cmap.cycle], study)
        drop(cycles.isna(), REASON_CYCLE_VALUE, loggable_series(frame[cmap.cycle]))

    # Exact duplicates: rows whose raw cells are all identical (64-bit row hashes).
    say("duplicates")
    # The item cells enter as their codes in the block above (equal codes = equal texts).
    item_columns = set(cmap.items.values())
    cells = {f"c{i}": frame.iloc[:, i] for i, c in enumerate(frame.columns) if c not in item_columns}
    cells |= {f"i{j}": codes[:, j] for j in range(codes.shape[1])}
    row_hash = pd.util.hash_pandas_object(pd.DataFrame(cells, index=frame.index), index=False)
    first_of = raw_row.groupby(row_hash.to_numpy()).transform("min")
    duplicate = row_hash.duplicated(keep="first")
    drop(duplicate, "exact duplicate submission", "same as raw row " + first_of[duplicate].astype(str))

    # Respondents: pseudonymous ids; resubmissions keep the latest per respondent and cycle.
    say("respondents")
    if cmap.respondent_key is None:  # no key column: every submission is its own respondent
        ids = row_ids(raw.sha256, raw_row)
    else:
        key = pseudonym_key(study.pseudonym.key_env, study.pseudonym.key, synthetic=is_synthetic(raw.path))
        keys = frame[cmap.respondent_key]
        id_of = {k: "" if is_blank(k) else pseudonymous_id(k, key) for k in keys.unique()}
        ids = keys.map(id_of)
    drop(ids == "", REASON_NO_KEY)
    alive = dropped == ""
    order = pd.DataFrame({"id": ids, "cycle": cycles, "stamp": stamps, "row": raw_row})[alive]
    order = order.sort_values(["stamp", "row"])
    latest = order.groupby(["id", "cycle"])["row"].transform("last")
    resub = pd.Series(False, index=frame.index)
    resub[order.index] = order["row"] != latest
    kept_row = "kept later raw row " + latest[resub[order.index]].astype(str)
    drop(resub, "earlier submission by the same respondent in the cycle", kept_row)

    # Groups: labels (Thai, English or code) → group code; unknown labels are logged.
    say("groups and flags")
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
                    raw_row[unknown], cmap.group, frame.loc[unknown, cmap.group], "set missing", REASON_GROUP
                )
            )

    # Completeness and straight-lining: flagged, dropped only if the study config says so.
    completeness = items.notna().mean(axis=1)
    incomplete = completeness < study.cleaning.min_completeness
    if study.cleaning.drop_incomplete:
        drop(
            incomplete,
            incomplete_reason(study),
            (completeness[incomplete] * 100).round().astype(int).astype(str) + "% answered",
        )
    if study.cleaning.drop_straightlining:
        drop(straight, "same answer to every item")

    kept = dropped == ""
    for mask, reason in (
        (incomplete, incomplete_reason(study)),
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
    say("checking the cleaned table")
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
    for col in (*([cmap.respondent_key] if cmap.respondent_key else []), *cmap.free_text):
        logs.append(
            log_entries(
                zero, col, "", "column removed", "personal data or free text: not written to processed data"
            )
        )
    suggestions = None
    if cmap.free_text:
        say("free-text suggestions")
        suggestions = summarise_free_text(frame[kept], cmap.free_text, cycles[kept], study, themes)
        for kind, n in sorted(suggestions["redactions"].items()):
            logs.append(log_entries(zero, "free text", "", "redacted", f"{kind}: {n}"))
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
        "report_cycle": study.report_cycle,
        "rules": {
            "max_loss": study.cleaning.max_loss,
            "min_completeness": study.cleaning.min_completeness,
            "drop_incomplete": study.cleaning.drop_incomplete,
            "drop_straightlining": study.cleaning.drop_straightlining,
        },
        "unmatched_columns": [column_position(header, c) for c in cmap.unmatched],
        "reverse_keyed_items": codebook.reverse_items,
        "n_by_cycle": {c.code: int((data["cycle"] == c.code).sum()) for c in study.cycles},
        "redactions": suggestions["redactions"] if suggestions else {},
    }
    if summary["n_raw"] != summary["n_kept"] + sum(summary["dropped_by_reason"].values()):
        raise AssertionError("row accounting failed: raw != kept + dropped")  # a bug, not input
    summary["timestamp_order"] = date_order
    summary["respondent_key"] = "column" if cmap.respondent_key else "none: each submission is a respondent"
    summary["losses"] = loss_report(log_frame, dropped, details, answered, cmap, codebook, study)
    return CleaningResult(
        data=data, log=log_frame.reset_index(drop=True), summary=summary, suggestions=suggestions
    )


def summarise_free_text(
    rows: pd.DataFrame,
    columns: tuple[str, ...],
    cycles: pd.Series,
    study: StudyConfig,
    themes: dict[str, Theme] | None,
) -> dict:
    """The kept rows' free-text answers per cycle (study order), summarised with the study's
    ``suggestions`` options (:func:`analysis.data.suggestions.summarise_suggestions`): counts,
    frequent words, themes, redaction counts, redacted examples only if quoting is allowed."""
    from analysis.data.suggestions import answers_by_cycle, summarise_suggestions

    options = study.suggestions
    answers = answers_by_cycle(rows, list(columns), cycles, [c.code for c in study.cycles])
    summary = summarise_suggestions(
        answers,
        themes,
        n_top=options.top_words,
        min_respondents=options.min_answers,
        quote_examples=options.quote_examples,
    )
    return summary.as_dict() | {
        "n_columns": len(columns),
        "themes_file": options.themes_file.name if options.themes_file else None,
        "min_answers": options.min_answers,
    }
