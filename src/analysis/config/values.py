"""The forgiving value types of the configuration files, as pydantic annotated types.

Researchers type numbers in Thai digits with thousands separators (``๒,๕๖๔``), head counts
with a unit (``1,480 คน``), dates in Buddhist Era years (``2564-09-30``) and flags as YAML
booleans. Each type below parses one such value or raises :class:`ConfigProblem`, whose
message names what was given and what was expected; :mod:`analysis.config.files` puts the
file and the key path in front of it. ``{at}`` in a message is where the key path goes; a
message without it gets the key path as its prefix.

The plain functions (:func:`parse_number`, :func:`parse_count`, :func:`parse_date`) give the
same parsing to code that reads a value outside a model.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo

from analysis.errors import PhanatError

BE_OFFSET = 543  # Buddhist Era year = Common Era year + 543
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$")
TIMESTAMP_FORMATS = {
    **{key: key.upper() for key in ("dmy", "mdy", "ymd")},
    "dd/mm/yyyy": "DMY",
    "d/m/yyyy": "DMY",
    "mm/dd/yyyy": "MDY",
    "m/d/yyyy": "MDY",
    "yyyy/mm/dd": "YMD",
    "yyyy-mm-dd": "YMD",
}


class ConfigProblem(ValueError):
    """A value or a rule of a configuration file that does not hold; the message is one line
    (``{at}`` marks where the key path goes)."""


# --------------------------------------------------------------------------- parsing
def number_from(value: Any, *, whole: bool = False) -> float | int:
    """A number from Arabic or Thai digits with optional thousands separators; a word
    (``ห้า``, ``first``) or a partial number (``5 points``) raises :class:`ConfigProblem`."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or value is None:
        raise ConfigProblem(f"{{at}} must be {kind}, not {value!r}")
    if isinstance(value, int | float):
        number = value
    else:
        text = str(value).translate(THAI_DIGITS).strip()
        if not NUMBER.match(text):
            hint = " (write it in digits)" if not any(ch.isdigit() for ch in text) else ""
            raise ConfigProblem(f"{{at}} must be {kind}, not {value!r}{hint}")
        number = float(text.replace(",", ""))
    if whole:
        if float(number) != int(number):
            raise ConfigProblem(f"{{at}} must be {kind}, not {value!r}")
        return int(number)
    return float(number)


def count_from(value: Any) -> int | None:
    """A head count: ``1480``, ``1,480``, ``๑,๔๘๐`` or ``1480 คน``; None when empty. Anything
    else (``1.480``, ``about 1500``) is an error, never a partial parse."""
    if value is None or value == "":
        return None
    text = value if isinstance(value, int) else re.sub(r"\s*(?:คน|people|persons)$", "", str(value).strip())
    try:
        number = number_from(text, whole=True)
    except ConfigProblem:
        raise ConfigProblem(
            f"{{at}} must be a whole number of people (e.g. 1480 or 1,480), not {value!r}"
        ) from None
    if number < 1:
        raise ConfigProblem(f"{{at}} must be at least 1, not {value!r}")
    return number


def date_from(value: Any) -> dt.date:
    """A date ``YYYY-MM-DD``; a year above 2400 is read as Buddhist Era and converted."""
    if isinstance(value, dt.date):
        year, month, day = value.year, value.month, value.day
    else:
        try:
            year, month, day = (int(p) for p in str(value).split("-"))
        except ValueError:
            raise ConfigProblem(f"{{at}} is not a date YYYY-MM-DD: {value!r}") from None
    if year > 2400:
        year -= BE_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ConfigProblem(f"{{at}} is not a valid date: {value!r} ({exc})") from None


def _at(problem: ConfigProblem, where: str) -> str:
    return str(problem).replace("{at}", f"'{where}'")


def parse_number(value: Any, where: str, path: Path, *, whole: bool = False) -> float | int:
    """:func:`number_from` for a value read outside a model: errors name ``path`` and ``where``."""
    try:
        return number_from(value, whole=whole)
    except ConfigProblem as exc:
        raise PhanatError(_at(exc, where), file=path) from None


def parse_count(value: Any, where: str, path: Path) -> int | None:
    """:func:`count_from` for a value read outside a model: errors name ``path`` and ``where``."""
    try:
        return count_from(value)
    except ConfigProblem as exc:
        raise PhanatError(_at(exc, where), file=path) from None


def parse_date(value: Any, where: str, path: Path) -> dt.date:
    """:func:`date_from` for a value read outside a model: errors name ``path`` and ``where``."""
    try:
        return date_from(value)
    except ConfigProblem as exc:
        raise PhanatError(_at(exc, where), file=path) from None


# --------------------------------------------------------------------------- annotated types
def _text(value: Any) -> str:
    if value is None or value == "":
        raise ConfigProblem("missing required key {at}")
    if isinstance(value, dict | list):
        raise ConfigProblem("{at} must be text, not a " + ("mapping" if isinstance(value, dict) else "list"))
    return str(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None or value == "" else _text(value)


def _plain_text(value: Any) -> str:
    return _optional_text(value) or ""


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigProblem(f"{{at}} must be true or false, not {value!r}")
    return value


def _share(value: Any) -> float:
    try:
        share = number_from(value)
    except ConfigProblem:
        share = -1.0
    if not 0 <= share <= 1:
        raise ConfigProblem(f"{{at}} must be a share from 0 to 1 (e.g. 0.05 = 5%), not {value!r}")
    return share


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple):
        raise ConfigProblem(f"{{at}} must be a list, not {value!r}")
    return tuple(str(v) for v in value)


def _study_file(value: Any, info: ValidationInfo) -> Path | None:
    """A file named in the study config, resolved from the study's folder (the validation
    context's ``folder``); it must stay inside that folder, symbolic links followed."""
    if value is None or value == "":
        return None
    folder = (info.context or {}).get("folder")
    if folder is None:
        return Path(value)
    folder = Path(folder).resolve()
    path = folder / str(value)
    if folder not in path.resolve().parents:
        raise ConfigProblem(
            f"{{at}} points outside the study folder ({folder}): put the file in that folder and name "
            "it relative to study.yaml"
        )
    return path


def _timestamp_format(value: Any) -> str | None:
    if value is None or value == "":
        return None
    found = TIMESTAMP_FORMATS.get(str(value).strip().casefold())
    if found is None:
        raise ConfigProblem(
            "{at} must be DMY (day first, 6/11/2024 = 6 November), MDY (month first, = June 11) or "
            f"YMD, not {value!r}"
        )
    return found


def empty_as(default: Any):
    """A validator that reads an empty YAML value (``key:`` with nothing after it) as ``default``."""

    def replace(value: Any) -> Any:
        return default if value is None else value

    return BeforeValidator(replace)


Text = Annotated[str, BeforeValidator(_text)]  # required text (a number is read as its digits)
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
PlainText = Annotated[str, BeforeValidator(_plain_text)]  # optional text, "" when absent
Texts = Annotated[tuple[str, ...], BeforeValidator(_texts)]
Flag = Annotated[bool, BeforeValidator(_flag)]  # true or false only, never "yes" or 1
Number = Annotated[float, BeforeValidator(lambda v: number_from(v))]
WholeNumber = Annotated[int, BeforeValidator(lambda v: number_from(v, whole=True))]
Count = Annotated[int | None, BeforeValidator(count_from)]
Share = Annotated[float, BeforeValidator(_share)]
Date = Annotated[dt.date, BeforeValidator(date_from)]
StudyFile = Annotated[Path | None, BeforeValidator(_study_file)]
TimestampFormat = Annotated[str | None, BeforeValidator(_timestamp_format)]
