"""Reading the study's configuration files: codebook, study config, interpretation criteria.

All three are YAML files a researcher edits (see ``data/raw/example/``). Every problem is
raised as :class:`~analysis.errors.PhanatError` naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import PhanatError

BE_OFFSET = 543  # Buddhist Era year = Common Era year + 543


# --------------------------------------------------------------------------- YAML
def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping from ``path`` (UTF-8), with one-line errors."""
    path = Path(path)
    if not path.is_file():
        raise PhanatError("file not found", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PhanatError(f"not UTF-8 text (byte {exc.start})", file=path) from None
    try:
        data = _load_yaml_limited(text, path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PhanatError(f"does not parse as YAML: {line}{problem}", file=path) from None
    if not isinstance(data, dict):
        raise PhanatError("expected a YAML mapping (key: value) at the top level", file=path)
    return data


MAX_YAML_VALUES = 200_000  # a study's largest file (the codebook) holds a few thousand


def _load_yaml_limited(text: str, path: Path) -> Any:
    """``yaml.safe_load`` that first measures the document as its aliases expand it: nine
    aliases of nine aliases ("billion laughs", or the same with ``<<:`` merge keys) parse into
    a few shared nodes, but building or printing them runs out of memory. Each node's size is
    counted once (linear time); more than :data:`MAX_YAML_VALUES` values, or an alias inside
    itself, is an error."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expanded_size(node, path)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expanded_size(root: yaml.Node, path: Path, limit: int = MAX_YAML_VALUES) -> None:
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        if isinstance(node, yaml.ScalarNode):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise PhanatError("a YAML alias refers to the value that contains it", file=path)
        busy.add(key)
        children = (
            [x for pair in node.value for x in pair] if isinstance(node, yaml.MappingNode) else node.value
        )
        total = 1 + sum(size(child) for child in children)
        busy.discard(key)
        sizes[key] = total
        if total > limit:
            raise PhanatError(
                f"YAML aliases expand to more than {limit:,} values (an alias bomb?): write the "
                "values out instead of repeating anchors",
                file=path,
            )
        return total

    size(root)


def _require(mapping: dict, key: str, where: str, path: Path) -> Any:
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] in (None, ""):
        raise PhanatError(f"missing required key '{where}{key}'", file=path)
    return mapping[key]


def parse_date(value: Any, where: str, path: Path) -> dt.date:
    """Parse ``YYYY-MM-DD``; a year above 2400 is read as Buddhist Era and converted."""
    if isinstance(value, dt.date):
        year, month, day = value.year, value.month, value.day
    else:
        try:
            year, month, day = (int(p) for p in str(value).split("-"))
        except ValueError:
            raise PhanatError(f"'{where}' is not a date YYYY-MM-DD: {value!r}", file=path) from None
    if year > 2400:
        year -= BE_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise PhanatError(f"'{where}' is not a valid date: {value!r} ({exc})", file=path) from None


TIMESTAMP_FORMATS = {
    **{key: key.upper() for key in ("dmy", "mdy", "ymd")},
    "dd/mm/yyyy": "DMY",
    "d/m/yyyy": "DMY",
    "mm/dd/yyyy": "MDY",
    "m/d/yyyy": "MDY",
    "yyyy/mm/dd": "YMD",
    "yyyy-mm-dd": "YMD",
}
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def parse_count(value: Any, where: str, path: Path) -> int | None:
    """A head count from the config: ``1480``, ``1,480``, ``๑,๔๘๐`` or ``1480 คน``; None when
    empty. Anything else (``1.480``, ``about 1500``) is an error, never a partial parse."""
    if value is None or value == "":
        return None
    text = value if isinstance(value, int) else re.sub(r"\s*(?:คน|people|persons)$", "", str(value).strip())
    try:
        number = parse_number(text, where, path, whole=True)
    except PhanatError:
        raise PhanatError(
            f"'{where}' must be a whole number of people (e.g. 1480 or 1,480), not {value!r}", file=path
        ) from None
    if number < 1:
        raise PhanatError(f"'{where}' must be at least 1, not {value!r}", file=path)
    return number


NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_number(value: Any, where: str, path: Path, *, whole: bool = False) -> float | int:
    """A number from the config: Arabic or Thai digits, thousands separators allowed
    (``2,564``, ``๒๕๖๔``); a word (``ห้า``, ``first``) or a partial number (``5 points``) is a
    one-line error naming the key, never a traceback or a partial parse."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or value is None:
        raise PhanatError(f"'{where}' must be {kind}, not {value!r}", file=path)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).translate(THAI_DIGITS).strip()
        if not NUMBER.match(text):
            raise PhanatError(f"'{where}' must be {kind}, not {value!r}", file=path)
        number = float(text.replace(",", ""))
    if whole:
        if float(number) != int(number):
            raise PhanatError(f"'{where}' must be {kind}, not {value!r}", file=path)
        return int(number)
    return float(number)


# --------------------------------------------------------------------------- codebook
@dataclass(frozen=True)
class ScalePoint:
    value: int
    th: str
    en: str
    also: tuple[str, ...] = ()  # further answer labels read as this point (another label set)


@dataclass(frozen=True)
class Item:
    code: str
    dimension: str
    text_th: str
    text_en: str
    reverse: bool


@dataclass(frozen=True)
class Dimension:
    code: str
    order: int
    name_th: str
    name_en: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Codebook:
    path: Path
    instrument_th: str
    instrument_en: str
    scale_min: int
    scale_max: int
    points: tuple[ScalePoint, ...]
    dimensions: tuple[Dimension, ...]

    @property
    def items(self) -> list[Item]:
        return [item for dim in self.dimensions for item in dim.items]

    @property
    def item_codes(self) -> list[str]:
        return [item.code for item in self.items]

    def dimension_items(self, code: str) -> list[str]:
        return [i.code for d in self.dimensions if d.code == code for i in d.items]

    def dimension(self, code: str) -> Dimension:
        for dim in self.dimensions:
            if dim.code == code:
                return dim
        raise KeyError(code)

    @property
    def scale_values(self) -> list[int]:
        """The scale points from lowest to highest (1..5 for a 5-point scale)."""
        return list(range(self.scale_min, self.scale_max + 1))

    @property
    def reverse_items(self) -> list[str]:
        return [item.code for item in self.items if item.reverse]


def check_scale_labels(points: list[ScalePoint], path: Path) -> None:
    """Every label (Thai, English, ``also``) names one point only, compared as answers are read
    (:func:`analysis.config.labels.label_key`), and no label is the digit of another point: either would
    silently rescore answers."""
    from analysis.config.labels import label_key

    owner: dict[str, int] = {}
    for p in points:
        for label in dict.fromkeys(label_key(x) for x in (p.th, p.en, *p.also) if str(x).strip()):
            digits = label.translate(THAI_DIGITS)
            if digits.isdigit() and int(digits) != p.value:
                raise PhanatError(
                    f"scale label {label!r} of point {p.value} is the digit of point {int(digits)}: "
                    "an answer of that digit would be read as the wrong point",
                    file=path,
                )
            if label in owner and owner[label] != p.value:
                raise PhanatError(
                    f"scale label {label!r} names both point {owner[label]} and point {p.value}: "
                    "every label must name one point (check th, en and also)",
                    file=path,
                )
            owner[label] = p.value


def load_codebook(path: str | Path) -> Codebook:
    """Load and check a codebook YAML file (scale, dimensions, items)."""
    path = Path(path)
    raw = read_yaml(path)
    scale = _require(raw, "scale", "", path)
    smin = parse_number(_require(scale, "min", "scale.", path), "scale.min", path, whole=True)
    smax = parse_number(_require(scale, "max", "scale.", path), "scale.max", path, whole=True)
    if smin >= smax:
        raise PhanatError(f"scale.min ({smin}) must be below scale.max ({smax})", file=path)
    points = []
    for i, p in enumerate(_require(scale, "points", "scale.", path)):
        value = _require(p, "value", f"scale.points[{i}].", path)
        also = p.get("also") or []
        if isinstance(also, str):
            also = [also]
        if not isinstance(also, list):
            raise PhanatError(f"'scale.points[{i}].also' must be a list of answer labels", file=path)
        number = parse_number(value, f"scale.points[{i}].value", path, whole=True)
        points.append(
            ScalePoint(
                number,
                str(_require(p, "th", f"scale.points[{i}].", path)),
                str(_require(p, "en", f"scale.points[{i}].", path)),
                tuple(str(a) for a in also),
            )
        )
    if sorted(p.value for p in points) != list(range(smin, smax + 1)):
        raise PhanatError(
            f"scale.points must label every value from {smin} to {smax} exactly once", file=path
        )
    check_scale_labels(points, path)
    dims: list[Dimension] = []
    seen: set[str] = set()
    for d_i, d in enumerate(_require(raw, "dimensions", "", path)):
        where = f"dimensions[{d_i}]."
        dcode = str(_require(d, "code", where, path))
        items = []
        for i_i, it in enumerate(_require(d, "items", where, path)):
            iwhere = f"{where}items[{i_i}]."
            code = str(_require(it, "code", iwhere, path))
            if code in seen:
                raise PhanatError(f"item code '{code}' appears twice", file=path)
            seen.add(code)
            reverse = it.get("reverse", False)
            if not isinstance(reverse, bool):
                raise PhanatError(f"'{iwhere}reverse' must be true or false", file=path)
            items.append(
                Item(
                    code=code,
                    dimension=dcode,
                    text_th=str(_require(it, "text_th", iwhere, path)),
                    text_en=str(it.get("text_en", "")),
                    reverse=reverse,
                )
            )
        dims.append(
            Dimension(
                code=dcode,
                order=parse_number(d.get("order", d_i + 1), f"{where}order", path, whole=True),
                name_th=str(_require(d, "name_th", where, path)),
                name_en=str(_require(d, "name_en", where, path)),
                items=tuple(items),
            )
        )
    if len({d.code for d in dims}) != len(dims):
        raise PhanatError("dimension codes must be unique", file=path)
    dims.sort(key=lambda d: d.order)
    return Codebook(
        path=path,
        instrument_th=str(raw.get("instrument_th", "")),
        instrument_en=str(raw.get("instrument_en", "")),
        scale_min=smin,
        scale_max=smax,
        points=tuple(sorted(points, key=lambda p: -p.value)),
        dimensions=tuple(dims),
    )


# --------------------------------------------------------------------------- criteria
@dataclass(frozen=True)
class Band:
    low: float
    high: float
    level: int
    th: str
    en: str


@dataclass(frozen=True)
class Criterion:
    key: str
    name_th: str
    name_en: str
    reference: str
    bands: tuple[Band, ...]


def parse_criterion(key: str, c: dict, path: Path, where: str) -> Criterion:
    """One criterion (name, reference, bands) from its YAML mapping; ``where`` prefixes messages."""
    if not isinstance(c, dict):
        raise PhanatError(f"'{where}' must be a mapping with name_th, name_en and bands", file=path)
    bands = []
    for b_i, b in enumerate(_require(c, "bands", f"{where}.", path)):
        at = f"{where}.bands[{b_i}]."
        low = parse_number(_require(b, "min", at, path), f"{at}min", path)
        high = parse_number(_require(b, "max", at, path), f"{at}max", path)
        bands.append(
            Band(
                low=low,
                high=high,
                level=parse_number(_require(b, "level", at, path), f"{at}level", path, whole=True),
                th=str(_require(b, "th", at, path)),
                en=str(_require(b, "en", at, path)),
            )
        )
    return Criterion(
        key=str(key),
        name_th=str(_require(c, "name_th", f"{where}.", path)),
        name_en=str(_require(c, "name_en", f"{where}.", path)),
        reference=str(c.get("reference", "")),
        bands=tuple(sorted(bands, key=lambda b: -b.low)),
    )


CLASS_INTERVAL = "class_interval"  # a criterion computed from the codebook's scale


def class_interval_criterion(scale_min: int, scale_max: int) -> Criterion:
    """Equal bands of width (max − min) / levels, one level per scale point, as Best (1977)
    builds them: the lowest band starts at the scale minimum and each next band starts 0.01
    above the previous one's end (two decimals, as means are printed). A 5-point scale gives
    the familiar 1.00–1.80 … 4.21–5.00 (width 0.80); 4 points give width 0.75, 7 points 0.86.
    Level names come from :data:`analysis.config.labels.LEVEL_NAMES`."""
    from analysis.config.labels import LEVEL_NAMES

    k = scale_max - scale_min + 1
    names = LEVEL_NAMES.get(k) or tuple((f"ระดับ {k - i}", f"level {k - i}") for i in range(k))
    width = (scale_max - scale_min) / k
    edges = [round(scale_min + i * width, 2) for i in range(k + 1)]
    edges[-1] = float(scale_max)
    bands = tuple(
        Band(
            low=edges[i] if i == 0 else round(edges[i] + 0.01, 2),
            high=edges[i + 1],
            level=i + 1,
            th=names[k - 1 - i][0],
            en=names[k - 1 - i][1].lower(),
        )
        for i in range(k)
    )
    return Criterion(
        key=CLASS_INTERVAL,
        name_th=f"เกณฑ์อันตรภาคชั้น (คะแนนสูงสุด − คะแนนต่ำสุด) / จำนวนชั้น = {width:.2f}",
        name_en=f"Class interval (max − min) / levels = {width:.2f}",
        reference="Best, J. W. (1977). *Research in education* (3rd ed.). Prentice-Hall.",
        bands=tuple(sorted(bands, key=lambda b: -b.low)),
    )


def criterion_problem(criterion: Criterion, scale_min: int, scale_max: int) -> str | None:
    """Why a criterion's bands do not fit the scale (a gap, an overlap, or not reaching from
    the scale's minimum to its maximum, at the 0.01 resolution means are printed with), or
    None when they fit."""
    bands = sorted(criterion.bands, key=lambda b: b.low)
    if not bands:
        return "it has no bands"
    for band in bands:
        if band.high < band.low:
            return f"band {band.low:.2f}–{band.high:.2f} ends before it starts"
    if abs(bands[0].low - scale_min) > 1e-9 or abs(bands[-1].high - scale_max) > 1e-9:
        return (
            f"its bands run from {bands[0].low:.2f} to {bands[-1].high:.2f} but the scale runs from "
            f"{scale_min} to {scale_max}"
        )
    for a, b in zip(bands, bands[1:], strict=False):
        step = round(b.low - a.high, 2)
        if step > 0.01 + 1e-9:
            return f"a gap between {a.high:.2f} and {b.low:.2f}"
        if step < 0.01 - 1e-9:
            return f"bands {a.low:.2f}–{a.high:.2f} and {b.low:.2f}–{b.high:.2f} overlap"
    return None


def load_criteria(path: str | Path) -> dict[str, Criterion]:
    """Load the interpretation criteria (mean → level bands) from a YAML file."""
    path = Path(path)
    raw = _require(read_yaml(path), "criteria", "", path)
    return {str(key): parse_criterion(str(key), c, path, f"criteria.{key}") for key, c in raw.items()}


@dataclass(frozen=True)
class ReliabilityLevels:
    """Bands for interpreting a reliability coefficient: (min, Thai, English), highest first."""

    reference: str
    bands: tuple[tuple[float, str, str], ...]

    def label(self, value: float | None, lang: str = "th") -> str:
        if value is None:
            return ""
        for low, th, en in self.bands:
            if value >= low - 1e-12:
                return th if lang == "th" else en
        return ""


def load_reliability_levels(path: str | Path) -> ReliabilityLevels | None:
    """The ``reliability_levels`` section of the criteria file, or None when it has none."""
    path = Path(path)
    raw = read_yaml(path).get("reliability_levels")
    if not raw:
        return None
    bands = []
    for i, b in enumerate(_require(raw, "bands", "reliability_levels.", path)):
        where = f"reliability_levels.bands[{i}]."
        try:
            low = float(_require(b, "min", where, path))
        except (TypeError, ValueError):
            raise PhanatError(f"'{where}min' must be a number", file=path) from None
        bands.append((low, str(_require(b, "th", where, path)), str(_require(b, "en", where, path))))
    return ReliabilityLevels(str(raw.get("reference", "")), tuple(sorted(bands, key=lambda b: -b[0])))


# --------------------------------------------------------------------------- study
@dataclass(frozen=True)
class Group:
    code: str
    label_th: str
    label_en: str
    population: int | None


@dataclass(frozen=True)
class Cycle:
    code: str
    name_th: str
    name_en: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class StudyConfig:
    path: Path
    title_th: str
    title_en: str
    agency_th: str
    agency_en: str
    model_name: str
    rating_subject_th: str
    rating_subject_en: str
    timestamp_column: str
    respondent_key: str | None
    group_column: str | None
    free_text_columns: tuple[str, ...]
    ignore_columns: tuple[str, ...]
    unknown_columns: str
    groups: tuple[Group, ...]
    cycles: tuple[Cycle, ...]
    report_cycle: str
    criteria_file: Path
    criterion: str
    missing_policy: str
    seeds: dict[str, int] = field(default_factory=dict)
    pseudonym_key_env: str = "PHANAT_PSEUDONYM_KEY"
    pseudonym_key: str | None = None
    writeup_file: Path | None = None
    writeup_file_en: Path | None = None
    cycle_column: str | None = None
    sheet: str | None = None
    min_completeness: float = 0.5
    drop_incomplete: bool = True
    drop_straightlining: bool = False
    n_boot: int = 2000
    custom_criterion: Criterion | None = None
    thai_digits: bool = False
    year_era: str = "BE"
    ioc_file: Path | None = None
    run_cfa: bool = True
    indicators_file: Path | None = None
    rubrics_file: Path | None = None
    act_lowest: int = 3
    weak_item_rest_r: float = 0.30
    timestamp_format: str | None = None  # DMY | MDY | YMD; None = inferred from the column
    population: int | None = None  # the whole population, for a study without groups
    sample_sent: int | None = None  # questionnaires sent out (the return rate is of these)
    max_loss: float = 0.05  # share of rows or answers a cleaning rule may drop before the run stops

    def cycle(self, code: str) -> Cycle:
        for c in self.cycles:
            if c.code == code:
                return c
        raise KeyError(code)


def load_study(path: str | Path) -> StudyConfig:
    """Load and check the study config; relative paths are resolved from its folder."""
    path = Path(path)
    raw = read_yaml(path)
    cols = _require(raw, "columns", "", path)
    groups = tuple(
        Group(
            code=str(_require(g, "code", f"groups[{i}].", path)),
            label_th=str(_require(g, "label_th", f"groups[{i}].", path)),
            label_en=str(g.get("label_en", "")),
            population=parse_count(g.get("population"), f"groups[{i}].population", path),
        )
        for i, g in enumerate(raw.get("groups") or [])
    )
    cycles = []
    for i, c in enumerate(_require(raw, "cycles", "", path)):
        where = f"cycles[{i}]."
        start = parse_date(_require(c, "start", where, path), f"{where}start", path)
        end = parse_date(_require(c, "end", where, path), f"{where}end", path)
        if end < start:
            raise PhanatError(f"'{where}end' is before '{where}start'", file=path)
        cycles.append(
            Cycle(
                code=str(_require(c, "code", where, path)),
                name_th=str(_require(c, "name_th", where, path)),
                name_en=str(c.get("name_en", "")),
                start=start,
                end=end,
            )
        )
    cycles.sort(key=lambda c: c.start)
    for a, b in zip(cycles, cycles[1:], strict=False):
        if b.start <= a.end:
            raise PhanatError(f"cycles '{a.code}' and '{b.code}' overlap in time", file=path)
    report_cycle = str(raw.get("report_cycle") or cycles[-1].code)
    if report_cycle not in {c.code for c in cycles}:
        raise PhanatError(f"report_cycle '{report_cycle}' is not one of the cycles", file=path)
    interp = _require(raw, "interpretation", "", path)
    unknown = str(raw.get("unknown_columns", "error"))
    if unknown not in {"error", "log"}:
        raise PhanatError("'unknown_columns' must be 'error' or 'log'", file=path)
    missing_policy = str(raw.get("missing_policy", "pairwise"))
    if missing_policy not in {"pairwise", "listwise"}:
        raise PhanatError("'missing_policy' must be 'pairwise' or 'listwise'", file=path)
    pseudo = raw.get("pseudonym") or {}
    writeup = raw.get("writeup_file")
    rules = raw.get("cleaning") or {}
    try:
        min_completeness = float(rules.get("min_completeness", 0.5))
    except (TypeError, ValueError):
        raise PhanatError("'cleaning.min_completeness' must be a number from 0 to 1", file=path) from None
    if not 0 <= min_completeness <= 1:
        raise PhanatError("'cleaning.min_completeness' must be a number from 0 to 1", file=path)
    for key in ("drop_incomplete", "drop_straightlining"):
        if not isinstance(rules.get(key, False), bool):
            raise PhanatError(f"'cleaning.{key}' must be true or false", file=path)
    try:
        max_loss = float(rules.get("max_loss", 0.05))
    except (TypeError, ValueError):
        max_loss = -1.0
    if not 0 <= max_loss <= 1:
        raise PhanatError(
            "'cleaning.max_loss' must be a share from 0 to 1 (e.g. 0.05 = 5% of rows or answers)", file=path
        )
    stamp_format = raw.get("timestamp_format") or cols.get("timestamp_format")
    if stamp_format is not None:
        stamp_format = TIMESTAMP_FORMATS.get(str(stamp_format).strip().casefold())
        if stamp_format is None:
            raise PhanatError(
                "'timestamp_format' must be DMY (day first, 6/11/2024 = 6 November), MDY (month first, "
                "= June 11) or YMD",
                file=path,
            )
    rel = raw.get("reliability") or {}
    n_boot = parse_number(rel.get("n_boot", 2000), "reliability.n_boot", path, whole=True)
    if n_boot < 0:
        raise PhanatError("'reliability.n_boot' must be a whole number (0 = no bootstrap)", file=path)
    validity = raw.get("validity") or {}
    if not isinstance(validity.get("cfa", True), bool):
        raise PhanatError("'validity.cfa' must be true or false", file=path)
    ioc = validity.get("ioc_file")
    custom = interp.get("custom")
    pdca = raw.get("pdca") or {}
    text = raw.get("text") or {}
    if not isinstance(text.get("thai_digits", False), bool):
        raise PhanatError("'text.thai_digits' must be true or false", file=path)
    era = str(text.get("year_era", "BE"))
    if era not in {"BE", "CE"}:
        raise PhanatError("'text.year_era' must be BE (พ.ศ.) or CE (ค.ศ.)", file=path)
    return StudyConfig(
        path=path,
        title_th=str(raw.get("title_th", "")),
        title_en=str(raw.get("title_en", "")),
        agency_th=str(raw.get("agency_th", "")),
        agency_en=str(raw.get("agency_en", "")),
        model_name=str(raw.get("model_name", "")),
        rating_subject_th=str(raw.get("rating_subject_th") or raw.get("title_th", "")),
        rating_subject_en=str(raw.get("rating_subject_en") or raw.get("title_en", "")),
        timestamp_column=str(_require(cols, "timestamp", "columns.", path)),
        respondent_key=str(cols["respondent_key"]) if cols.get("respondent_key") else None,
        group_column=cols.get("group"),
        cycle_column=cols.get("cycle"),
        free_text_columns=tuple(cols.get("free_text") or ()),
        ignore_columns=tuple(cols.get("ignore") or ()),
        unknown_columns=unknown,
        groups=groups,
        cycles=tuple(cycles),
        report_cycle=report_cycle,
        criteria_file=(path.parent / str(_require(interp, "criteria_file", "interpretation.", path))),
        criterion=str(_require(interp, "criterion", "interpretation.", path)),
        missing_policy=missing_policy,
        seeds={
            str(k): parse_number(v, f"seeds.{k}", path, whole=True)
            for k, v in (raw.get("seeds") or {}).items()
        },
        pseudonym_key_env=str(pseudo.get("key_env", "PHANAT_PSEUDONYM_KEY")),
        pseudonym_key=pseudo.get("key"),
        writeup_file=(path.parent / str(writeup)) if writeup else None,
        writeup_file_en=(path.parent / str(raw["writeup_file_en"])) if raw.get("writeup_file_en") else None,
        sheet=str(raw["sheet"]) if raw.get("sheet") is not None else None,
        min_completeness=min_completeness,
        drop_incomplete=bool(rules.get("drop_incomplete", True)),
        drop_straightlining=bool(rules.get("drop_straightlining", False)),
        n_boot=n_boot,
        ioc_file=(path.parent / str(ioc)) if ioc else None,
        custom_criterion=parse_criterion("custom", custom, path, "interpretation.custom") if custom else None,
        thai_digits=bool(text.get("thai_digits", False)),
        year_era=era,
        run_cfa=bool(validity.get("cfa", True)),
        indicators_file=(path.parent / str(pdca["indicators_file"])) if pdca.get("indicators_file") else None,
        rubrics_file=(path.parent / str(pdca["rubrics_file"])) if pdca.get("rubrics_file") else None,
        act_lowest=parse_number(pdca.get("act_lowest", 3), "pdca.act_lowest", path, whole=True),
        weak_item_rest_r=parse_number(pdca.get("weak_item_rest_r", 0.30), "pdca.weak_item_rest_r", path),
        timestamp_format=stamp_format,
        population=parse_count(raw.get("population"), "population", path),
        sample_sent=parse_count(raw.get("sample_sent"), "sample_sent", path),
        max_loss=max_loss,
    )


STUDY_PATH_KEYS = {
    "criteria_file": "interpretation.criteria_file",
    "writeup_file": "writeup_file",
    "writeup_file_en": "writeup_file_en",
    "ioc_file": "validity.ioc_file",
    "indicators_file": "pdca.indicators_file",
    "rubrics_file": "pdca.rubrics_file",
}


def check_paths_inside_study(study: StudyConfig) -> None:
    """Every file the study config names must resolve (symbolic links followed) inside the
    study config's folder: ``writeup_file_en: ../../../../etc/passwd`` would otherwise be read
    and copied into the run folder."""
    folder = study.path.resolve().parent
    for attr, key in STUDY_PATH_KEYS.items():
        value = getattr(study, attr)
        if value is None:
            continue
        resolved = Path(value).resolve()
        if folder not in resolved.parents:
            raise PhanatError(
                f"'{key}' points outside the study folder ({folder}): put the file in that "
                "folder and name it relative to study.yaml",
                file=study.path,
            )
