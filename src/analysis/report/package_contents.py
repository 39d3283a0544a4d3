"""What a committee finds in the submission package besides the write-up: tables with Thai
headers and sheet names, and a Thai read-me (``อ่านก่อน.txt``); the questionnaire is
:mod:`analysis.report.questionnaire`.

Words only (the report layer): the numbers come from the run folder as they are.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from analysis.report.messages import messages

README_FILE = "report/writeup.pdf"  # where the read-me tells a committee to start


def table_headers(language: str = "th") -> dict[str, str]:
    """Column name → header for the run's tables in a package (catalogue ``package.columns``)."""
    return dict(messages(language).get("package.columns"))


def with_headers(frame: pd.DataFrame, language: str = "th") -> pd.DataFrame:
    """A table with its column names in ``language`` (:func:`table_headers`); others unchanged."""
    headers = table_headers(language)
    names: dict[str, str] = {}
    for column in frame.columns:
        name = headers.get(column, column)
        names[column] = name if name not in names.values() else f"{name} ({column})"  # never twice
    return frame.rename(columns=names)


def readme_text(entries: list[str], meta: dict, language: str = "th") -> str:
    """``อ่านก่อน.txt``: what the package holds, folder by folder, every member under its folder
    (catalogue ``package.readme``, whose ``folders`` are folder or file-name prefixes; CRLF line
    ends for Notepad). A member no prefix of the catalogue describes is an error: the read-me
    lists everything and only what is there."""
    m = messages(language)
    described: dict[str, str] = m.get("package.readme.folders")
    unlisted = [e for e in entries if not any(e.startswith(prefix) for prefix in described)]
    if unlisted:
        raise ValueError(f"no folder of catalogue package.readme.folders describes {', '.join(unlisted)}")
    lines = [
        m("package.readme.title", title=meta.get(f"title_{language}") or m("package.readme.default_title"))
    ]
    if meta.get(f"agency_{language}"):
        lines.append(m("package.readme.agency", agency=meta[f"agency_{language}"]))
    if meta.get("synthetic"):
        lines.append(m("package.readme.synthetic"))
    lines += [
        "",
        m("package.readme.made_by"),
        m("package.readme.no_personal_data"),
        "",
        m("package.readme.contents"),
    ]
    for prefix, text in described.items():  # a folder and its members, or each file by itself
        members = [e for e in entries if e.startswith(prefix)]
        if prefix.endswith("/") and members:
            lines.append(m("package.readme.folder", folder=prefix, text=text))
            lines += [m("package.readme.member", name=e) for e in members]
        else:
            lines += [m("package.readme.folder", folder=e, text=text) for e in members]
    lines += ["", m("package.readme.start", file=README_FILE)]
    return "\r\n".join(lines) + "\r\n"


def package_timestamp(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The date every member of the zip carries: the documents' creation time
    (:func:`analysis.report.render.source_epoch`, the data's last submission), so the same data give
    the same zip and the dates a committee sees are the data's, not 1980."""
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second - moment.second % 2,
    )


SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_MAX = 31  # Excel's limit, in UTF-16 code units


def sheet_names(stems: list[str], language: str = "th") -> dict[str, str]:
    """Each table's sheet (tab) name, by file stem: the catalogue's ``package.sheets`` (or
    ``package.sheet_other`` with a number for a table it does not name), without the
    characters Excel refuses (``[]:*?/\\``), cut to 31 characters and unique."""
    m = messages(language)
    named: dict[str, str] = m.get("package.sheets")
    names: dict[str, str] = {}
    for number, stem in enumerate(stems, start=1):
        base = named.get(stem) or m("package.sheet_other", number=number)
        base = SHEET_FORBIDDEN.sub(" ", base).strip(" '") or m("package.sheet_other", number=number)
        name, copy = _cut(base), 1
        while name in names.values():
            copy += 1
            name = _cut(base, f" ({copy})")
        names[stem] = name
    return names


def _cut(name: str, suffix: str = "") -> str:
    """``name`` + ``suffix`` within :data:`SHEET_MAX` UTF-16 units, ``name`` cut first."""
    while len((name + suffix).encode("utf-16-le")) // 2 > SHEET_MAX:
        name = name[:-1]
    return name.rstrip() + suffix
