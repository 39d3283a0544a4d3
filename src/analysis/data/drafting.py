"""``phanat init``: draft a study folder from a raw export an office made with its own form.

From the export alone (CSV in any supported encoding, XLSX or SPSS .sav) it drafts:

- ``codebook.yaml``: one dimension per Google Forms grid (the header's part before ``[...]``),
  the items in form order with their question text (item numbers removed) and codes derived
  from the dimension, and the scale read from the answers (:mod:`analysis.config.labels`: Thai and
  English agreement, level, satisfaction, frequency and quality sets of 4, 5 and 7 points;
  answers that no known set explains are listed for the user to place);
- ``study.yaml``: the timestamp column and its day/month order, the respondent key (an e-mail
  column), the respondent group (a short text column with few values) with the groups found and
  empty populations to fill in, free-text columns, columns that look personal (ignored), one
  PDCA cycle spanning the data, and the class-interval criterion;
- ``criteria.yaml`` (the bundled criteria) and a ``writeup.th.yaml`` skeleton.

Every guess carries a ``# check:`` comment, and :class:`Draft` lists what was detected and what
the user must still fill in. Nothing a respondent typed is written: only column headers (the
form's own questions) and answer labels that are choices of a grid.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.config.labels import LEVEL_NAMES, LabelSet, best_label_set
from analysis.config.values import BE_OFFSET, THAI_DIGITS
from analysis.data.cleaning import BRACKETED, normalize_text, strip_item_number
from analysis.data.privacy import EMAIL
from analysis.data.reading import RawExport, read_export
from analysis.data.timestamps import AmbiguousDateOrder, infer_date_order, parse_timestamps
from analysis.errors import PhanatError

TIMESTAMP_HEADERS = {"ประทับเวลา", "timestamp", "เวลา", "วันที่", "วันเวลา", "date", "วันที่และเวลา"}
EMAIL_HEADERS = ("อีเมล", "email", "e-mail", "อีเมล์")
PERSONAL_HEADERS = (
    "ชื่อ",
    "นามสกุล",
    "name",
    "เบอร์",
    "โทรศัพท์",
    "phone",
    "tel",
    "เลขประจำตัว",
    "บัตรประชาชน",
    "ที่อยู่",
    "address",
    "line",
    "ไลน์",
)
FREE_TEXT_HEADERS = ("ข้อเสนอแนะ", "ความคิดเห็น", "suggest", "comment", "อื่น ๆ", "อื่นๆ", "feedback")
GROUP_HEADERS = ("ตำแหน่ง", "สถานภาพ", "กลุ่ม", "ประเภท", "สังกัด", "position", "role", "status", "group")
MAX_GROUPS = 12
MIN_SHARED = 3  # a value given by fewer respondents is not written into a drafted config
DIMENSION_PREFIX = re.compile(
    r"^\s*(?:ด้าน(?:ที่)?\s*[0-9๐-๙]+\s*[.:)]?|ตอนที่\s*[0-9๐-๙]+\s*[.:)]?|[0-9๐-๙]+[.)])\s*"
)
ENGLISH_IN_PARENS = re.compile(r"\(([A-Za-z][A-Za-z &/-]{1,40})\)")


@dataclass
class Draft:
    """What ``phanat init`` found and wrote, for the terminal summary."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    detected: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"drafted a study in {self.folder}:"]
        lines += [f"  wrote {p.name}" for p in self.files]
        lines += ["detected:"] + [f"  - {d}" for d in self.detected]
        lines += ["you must still:"] + [f"  - {t}" for t in self.todo]
        return "\n".join(lines)


@dataclass
class ColumnGuess:
    """The role ``phanat init`` gives one export column."""

    name: str
    role: str  # timestamp | email | item | group | free_text | personal | other
    note: str = ""


def _nonblank(values: pd.Series) -> pd.Series:
    text = values.astype(str).map(normalize_text)
    return text[text != ""]


def _header_has(header: str, words: tuple[str, ...] | set[str]) -> bool:
    text = normalize_text(header).casefold()
    return any(w in text for w in words)


def _is_answer_like(values: pd.Series) -> bool:
    """Values of a rating item: few distinct values, each a known label or a small digit."""
    uniques = set(values.unique())
    if not uniques or len(uniques) > 11:
        return False
    from analysis.config.labels import is_known_label

    def fits(v: str) -> bool:
        digits = v.translate(THAI_DIGITS)
        return is_known_label(v) or (digits.isdigit() and 0 <= int(digits) <= 10)

    return sum(fits(v) for v in uniques) >= max(1, len(uniques) - 1)


def classify_columns(frame: pd.DataFrame) -> list[ColumnGuess]:
    """A role for every column (see the module docstring), in form order."""
    guesses = []
    n = len(frame)
    timestamp_found = email_found = False
    for col in frame.columns:
        values = _nonblank(frame[col])
        header = normalize_text(col)
        grid = BRACKETED.search(header) is not None
        if not timestamp_found and (header.casefold() in TIMESTAMP_HEADERS or _mostly_timestamps(values)):
            guesses.append(ColumnGuess(col, "timestamp"))
            timestamp_found = True
        elif not email_found and (
            _header_has(header, EMAIL_HEADERS)
            or (len(values) and values.map(lambda v: bool(EMAIL.fullmatch(v))).mean() > 0.8)
        ):
            guesses.append(ColumnGuess(col, "email"))
            email_found = True
        elif len(values) and (grid or (_is_answer_like(values) and not _header_has(header, GROUP_HEADERS))):
            guesses.append(ColumnGuess(col, "item"))
        elif _header_has(header, PERSONAL_HEADERS) and not _header_has(header, FREE_TEXT_HEADERS):
            guesses.append(ColumnGuess(col, "personal"))
        elif _header_has(header, FREE_TEXT_HEADERS):
            guesses.append(ColumnGuess(col, "free_text"))
        elif _looks_like_groups(values, n):
            guesses.append(ColumnGuess(col, "group"))
        elif len(values) == 0:
            guesses.append(ColumnGuess(col, "other", "empty"))
        else:
            guesses.append(ColumnGuess(col, "free_text"))
    groups = [g for g in guesses if g.role == "group"]
    if len(groups) > 1:  # one grouping column: the one whose header says so, else the first
        chosen = next((g for g in groups if _header_has(g.name, GROUP_HEADERS)), groups[0])
        for g in groups:
            if g is not chosen:
                g.role, g.note = "other", "a further short-answer column"
    return guesses


def _looks_like_groups(values: pd.Series, n_rows: int) -> bool:
    """A grouping column: short answers, few distinct values, each given by several people."""
    distinct = values.nunique()
    return 1 <= distinct <= MAX_GROUPS and distinct <= max(2, n_rows // 3) and values.str.len().max() <= 80


def _mostly_timestamps(values: pd.Series) -> bool:
    if len(values) == 0:
        return False
    sample = values.head(200)
    try:
        order = infer_date_order(sample)
    except AmbiguousDateOrder:
        order = "DMY"
    except ValueError:
        return False
    return parse_timestamps(sample, order).notna().mean() > 0.9


# --------------------------------------------------------------------------- codebook
@dataclass
class DraftItem:
    column: str
    dimension: str  # the grid's part before [...], or "" for a question of its own
    text: str


def draft_items(frame: pd.DataFrame, guesses: list[ColumnGuess]) -> list[DraftItem]:
    out = []
    for g in guesses:
        if g.role != "item":
            continue
        header = normalize_text(g.name)
        bracket = BRACKETED.search(header)
        if bracket:
            out.append(
                DraftItem(g.name, header[: bracket.start()].strip(), strip_item_number(bracket.group(1)))
            )
        else:
            out.append(DraftItem(g.name, "", strip_item_number(header)))
    return out


def dimension_names(prefix: str, position: int) -> tuple[str, str, str]:
    """(code, Thai name, English name) of a dimension from its grid prefix."""
    english = ENGLISH_IN_PARENS.search(prefix)
    name_th = ENGLISH_IN_PARENS.sub("", prefix)
    name_th = DIMENSION_PREFIX.sub("", name_th).strip() or prefix or f"ด้านที่ {position}"
    if english:
        letters = re.sub(r"[^A-Za-z]", "", english.group(1)).upper()
        return letters[:3] or f"D{position}", name_th, english.group(1).strip()
    return f"D{position}", name_th, f"Dimension {position}"


def read_scale(frame: pd.DataFrame, items: list[DraftItem]) -> tuple[LabelSet | None, int, int, list[str]]:
    """The label set of the answers, the scale's min and max, and the answer labels that no
    known set explains (those given by at least :data:`MIN_SHARED` answers; rarer ones may be
    typed text and are left out)."""
    values = pd.concat([_nonblank(frame[i.column]) for i in items]) if items else pd.Series(dtype=str)
    counts = values.value_counts()
    digits = {v for v in counts.index if v.translate(THAI_DIGITS).isdigit()}
    labels = set(counts.index) - digits
    label_set, unknown = best_label_set(labels) if labels else (None, [])
    if label_set is not None:
        return label_set, 1, label_set.n_points, [u for u in unknown if counts[u] >= MIN_SHARED]
    if digits:
        numbers = sorted(int(d.translate(THAI_DIGITS)) for d in digits)
        low = 0 if numbers[0] == 0 else 1
        high = max(numbers[-1], 4 if numbers[-1] <= 4 else 5 if numbers[-1] <= 5 else 7)
        return None, low, high, [u for u in sorted(labels) if counts[u] >= MIN_SHARED]
    return None, 1, 5, [u for u in sorted(labels) if counts[u] >= MIN_SHARED]


def q(value: object) -> str:
    """A YAML scalar (JSON is YAML): strings quoted with Thai kept as it is."""
    return json.dumps(value, ensure_ascii=False)


def codebook_yaml(
    items: list[DraftItem], label_set: LabelSet | None, smin: int, smax: int, unknown: list[str]
) -> tuple[str, list[tuple[str, str, list[str]]]]:
    """The codebook text and its dimensions as (code, Thai name, item codes)."""
    lines = [
        "# Codebook drafted by `phanat init`: check every line marked `# check:`.",
        "# Dimensions are the form's grids; items keep the form's order and question text.",
        "#   reverse: true  -> a negatively worded item, rescored as (scale.min + scale.max) - x",
        'instrument_th: "แบบสอบถาม"  # check: the questionnaire\'s title as the report should print it',
        'instrument_en: "Questionnaire"',
        "",
        "scale:",
        f"  min: {smin}",
        f"  max: {smax}",
    ]
    n_points = smax - smin + 1
    if label_set is not None:
        lines.append(
            f"  # check: read from the answers as the '{label_set.key}' label set ({label_set.kind})"
        )
        lines.append("  points:")
        for i in range(label_set.n_points):
            value = label_set.n_points - i
            variants = [v for v in (label_set.variants[i] if label_set.variants else ())]
            also = f", also: {q(variants)}" if variants else ""
            lines.append(
                f"    - {{value: {value}, th: {q(label_set.th[i])}, en: {q(label_set.en[i])}{also}}}"
            )
    else:
        names = LEVEL_NAMES.get(n_points) or tuple(
            (f"ระดับ {n_points - i}", f"level {n_points - i}") for i in range(n_points)
        )
        lines.append("  # check: the answers are digits; name the levels as your form describes them")
        lines.append("  points:")
        for i in range(n_points):
            lines.append(f"    - {{value: {smax - i}, th: {q(names[i][0])}, en: {q(names[i][1])}}}")
    if unknown:
        lines.append(
            "  # check: answers that fit no known label set; add each to `also:` of the point it means:"
        )
        for u in unknown:
            lines.append(f"  #   {q(u)}")
    lines += ["", "dimensions:"]
    dims: list[tuple[str, str, list[str]]] = []
    order: list[str] = []
    by_prefix: dict[str, list[DraftItem]] = {}
    loose = 0
    for item in items:
        key = item.dimension
        if not key:  # a question of its own: consecutive ones form one dimension
            if not order or not order[-1].startswith("\x00"):
                loose += 1
                order.append(f"\x00{loose}")
            key = order[-1]
        elif key not in by_prefix:
            order.append(key)
        by_prefix.setdefault(key, []).append(item)
    codes: set[str] = set()
    for position, key in enumerate(order, start=1):
        prefix = "" if key.startswith("\x00") else key
        code, name_th, name_en = dimension_names(prefix, position)
        while code in codes:
            code = f"{code}{position}"
        codes.add(code)
        lines += [
            f"  - code: {code}" + ("" if prefix else "  # check: these questions are not in a grid"),
            f"    order: {position}",
            f"    name_th: {q(name_th)}  # check: the dimension's name as the report should print it",
            f"    name_en: {q(name_en)}" + ("" if name_en != f"Dimension {position}" else "  # check"),
            "    items:",
        ]
        sep = "_" if code[-1].isdigit() else ""
        item_codes = []
        for i, item in enumerate(by_prefix[key], start=1):
            item_code = f"{code}{sep}{i}"
            item_codes.append(item_code)
            lines += [f"      - code: {item_code}", f"        text_th: {q(item.text)}"]
        dims.append((code, name_th, item_codes))
    lines.append("")
    return "\n".join(lines), dims


# --------------------------------------------------------------------------- study
def study_yaml(
    raw: RawExport,
    guesses: list[ColumnGuess],
    stamps: pd.Series,
    order: str,
    group_counts: pd.Series | None,
    n_points: int,
) -> str:
    role = {g.role: g.name for g in guesses}
    free = [g.name for g in guesses if g.role == "free_text"]
    ignore = [g.name for g in guesses if g.role in ("personal", "other")]
    first, last = stamps.min().date(), stamps.max().date()
    be = lambda day: f"{day.year + BE_OFFSET}-{day.month:02d}-{day.day:02d}"  # noqa: E731
    year = last.year + BE_OFFSET
    lines = [
        f"# Study config drafted by `phanat init` from an export of {raw.n_rows} rows "
        f"(SHA-256 {raw.sha256[:12]}…).",
        "# Check every line marked `# check:`; paths are relative to this file.",
        'title_th: "การประเมินผลการดำเนินงาน"  # check: the title of your evaluation',
        'title_en: "Evaluation"  # check',
        'agency_th: ""  # check: your office, e.g. สำนักงานเขตพื้นที่การศึกษา…',
        'agency_en: ""',
        'model_name: ""  # check: the name of your model, if it has one',
        'rating_subject_th: "ระดับการดำเนินงาน"  # check: what respondents rated (the results paragraph)',
        'rating_subject_en: "the level of implementation"',
        "",
        "columns:",
        f"  timestamp: {q(role['timestamp'])}  # check: detected from the values",
    ]
    if "email" in role:
        lines.append(f"  respondent_key: {q(role['email'])}  # check: e-mail, becomes a keyed-hash id")
    else:
        lines.append(
            "  # respondent_key: none found, so each submission counts as one respondent "
            "(no resubmission check, no pairing across cycles)  # check"
        )
    if "group" in role:
        lines.append(f"  group: {q(role['group'])}  # check: the respondent group (few distinct answers)")
    lines.append(f"  free_text: {q(free)}  # check: open answers, never copied to outputs")
    lines.append(f"  ignore: {q(ignore)}  # check: not analysed (looks personal, or not a rating item)")
    lines += [
        "unknown_columns: error",
        f"timestamp_format: {order}  # check: read from the data ({_order_words(order)})",
        "",
        "cleaning:",
        "  min_completeness: 0.5",
        "  drop_incomplete: true",
        "  drop_straightlining: false",
        "  max_loss: 0.05   # stop when a rule drops or blanks more than 5% of rows or answers",
        "",
    ]
    if group_counts is not None and len(group_counts):
        lines.append("groups:  # check: give each group a short code and fill in its population")
        for i, (label, count) in enumerate(group_counts.items(), start=1):
            lines.append(
                f'  - {{code: g{i}, label_th: {q(label)}, label_en: "", population: null}}'
                f"  # check: population ({count} responses)"
            )
    else:
        lines.append("population: null  # check: how many people were asked (for sample adequacy)")
    lines += [
        "",
        "# PDCA cycles: a response belongs to the cycle whose window holds its timestamp (B.E. dates).",
        "cycles:  # check: one cycle spanning the data; add a cycle per survey round",
        f'  - {{code: C1, name_th: "วงรอบที่ 1 (พ.ศ. {year})", name_en: "Cycle 1 ({last.year})", '
        f"start: {be(first)}, end: {be(last)}}}",
        "report_cycle: C1",
        "",
        "interpretation:",
        "  criteria_file: criteria.yaml",
        f"  criterion: {'class_interval_0.80' if n_points == 5 else 'class_interval'}"
        "  # check: class_interval_0.80 | srisaard_0.50 | half_0.49 | class_interval | custom",
        "",
        "text:",
        "  thai_digits: false",
        "  year_era: BE",
        "",
        "missing_policy: pairwise",
        "reliability:",
        "  n_boot: 2000",
        "validity:",
        "  cfa: true",
        "seeds:",
        f"  bootstrap: {year}",
        "",
        "# Respondent keys become keyed-hash ids: set a secret of your own in this variable.",
        "pseudonym:",
        "  key_env: PHANAT_PSEUDONYM_KEY",
        "",
        "writeup_file: writeup.th.yaml",
        "",
    ]
    return "\n".join(lines)


def _order_words(order: str) -> str:
    return {
        "DMY": "day first, as Thai and British forms write dates",
        "MDY": "month first, as US English forms write dates",
        "YMD": "year first",
    }[order]


WRITEUP_SKELETON = """\
# Narrative of the award write-up drafted by `phanat init`. Write your own text under each key
# (Markdown allowed). Do not type survey results here: the pipeline inserts every number.
award_name: ""        # check: the award or report this write-up is for
innovation_name: ""   # check: the name of your innovation or model
creation: ""          # check: how the innovation was created (PDCA, system theory)
use: ""               # check: how it was put to use
impact: ""            # check: results and impact beyond the survey
quote: ""             # check: an inspiring quote (optional)
diagrams:
  pdca: {plan: วางแผน, do: ดำเนินการ, check: ตรวจสอบ ประเมินผล, act: ปรับปรุงพัฒนา}
  system: {input: ปัจจัยนำเข้า, process: กระบวนการ PDCA, output: ผลผลิต, feedback: ข้อมูลย้อนกลับ}
"""


def draft_study(export: str | Path, out: str | Path | None = None, *, force: bool = False) -> Draft:
    """Draft ``codebook.yaml``, ``study.yaml``, ``criteria.yaml`` and ``writeup.th.yaml`` in
    ``out`` (default: the export's folder) from the export; see the module docstring."""
    export = Path(export)
    raw = read_export(export)
    folder = Path(out) if out is not None else export.parent
    targets = {
        name: folder / name for name in ("codebook.yaml", "study.yaml", "criteria.yaml", "writeup.th.yaml")
    }
    existing = [p.name for p in targets.values() if p.exists()]
    if existing and not force:
        raise PhanatError(
            f"{', '.join(existing)} already exist; choose another --out or add --force to overwrite",
            file=folder,
        )
    frame = raw.frame
    guesses = classify_columns(frame)
    draft = Draft(folder)
    stamp_col = next((g.name for g in guesses if g.role == "timestamp"), None)
    if stamp_col is None:
        raise PhanatError(
            "no column holds timestamps (Google Forms writes one first, 'ประทับเวลา' or 'Timestamp')",
            file=export,
        )
    items = draft_items(frame, guesses)
    if len(items) < 2:
        raise PhanatError(
            f"found {len(items)} rating item(s): a rating item's answers are scale labels or digits; "
            "is this the export of a rating-scale questionnaire?",
            file=export,
        )
    try:
        order = infer_date_order(frame[stamp_col])
        order_note = ""
    except AmbiguousDateOrder:
        order = "DMY"
        order_note = "day/month order could not be told (no day above 12): DMY assumed"
        draft.todo.append(f"check timestamp_format in study.yaml: {order_note}")
    stamps = parse_timestamps(frame[stamp_col], order)
    if stamps.notna().sum() == 0:
        raise PhanatError("no timestamp could be read", file=export, column=stamp_col)
    label_set, smin, smax, unknown = read_scale(frame, items)
    codebook_text, dims = codebook_yaml(items, label_set, smin, smax, unknown)
    group_col = next((g.name for g in guesses if g.role == "group"), None)
    group_counts, rare_groups = None, 0
    if group_col is not None:
        counts = _nonblank(frame[group_col]).value_counts()
        # Only labels several people chose are choices of the form; a value given by one or two
        # respondents may be typed text (a name) and is never written into the config.
        group_counts = counts[counts >= MIN_SHARED]
        rare_groups = int((counts < MIN_SHARED).sum())
        if rare_groups:
            draft.todo.append(
                f"{rare_groups} value(s) of column {group_col!r} were given by fewer than {MIN_SHARED} "
                "respondents and are not listed under groups: add them if they are real groups"
            )
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "codebook.yaml": codebook_text,
        "study.yaml": study_yaml(raw, guesses, stamps.dropna(), order, group_counts, smax - smin + 1),
        "criteria.yaml": (paths.EXAMPLE_DIR / "criteria.yaml").read_text(encoding="utf-8"),
        "writeup.th.yaml": WRITEUP_SKELETON,
    }
    for name, text in texts.items():
        targets[name].write_text(text, encoding="utf-8")
        draft.files.append(targets[name])

    n_items = sum(len(d[2]) for d in dims)
    draft.detected += [
        f"{raw.n_rows} responses, {len(frame.columns)} columns ({raw.encoding})",
        f"timestamps in column {stamp_col!r}, {_order_words(order)}, "
        f"{stamps.min():%Y-%m-%d} to {stamps.max():%Y-%m-%d}; {int(stamps.isna().sum())} unreadable",
        f"{n_items} rating items in {len(dims)} dimension(s): "
        + ", ".join(f"{code} {name} ({len(codes)})" for code, name, codes in dims),
        (
            f"scale {smin}-{smax}: the '{label_set.key}' label set ({label_set.kind})"
            if label_set
            else f"scale {smin}-{smax} from digit answers"
        ),
    ]
    roles = {g.role: g.name for g in guesses}
    draft.detected.append(
        f"respondent key: column {roles['email']!r}"
        if "email" in roles
        else "no respondent key: each submission counts as one respondent"
    )
    if group_col is not None:
        draft.detected.append(f"groups in column {group_col!r}: {len(group_counts)} label(s)")
    else:
        draft.detected.append("no group column: all respondents form one group")
    for g in guesses:
        if g.role in ("free_text", "personal", "other"):
            kind = {"free_text": "free text", "personal": "looks personal, ignored", "other": "not analysed"}[
                g.role
            ]
            draft.detected.append(f"column {g.name!r}: {kind}")
    if unknown:
        draft.todo.append(
            f"place {len(unknown)} answer label(s) no known set explains under `also:` in codebook.yaml "
            f"({', '.join(unknown[:5])})"
        )
    draft.todo += [
        "check every line marked `# check:` in codebook.yaml and study.yaml "
        "(dimension names, reverse-keyed items, cycles, title)",
        (
            "fill in each group's population in study.yaml (for sample adequacy)"
            if group_col is not None
            else "fill in `population:` in study.yaml (for sample adequacy)"
        ),
        "write the narrative in writeup.th.yaml",
    ]
    if "email" in roles:
        draft.todo.append("set a secret pseudonymisation key: export PHANAT_PSEUDONYM_KEY='…'")
    draft.todo.append(
        f"run: phanat run --data {export} --codebook {targets['codebook.yaml']} "
        f"--study {targets['study.yaml']} --out data/processed/{folder.name}"
    )
    return draft
